#!/usr/bin/env bash
# Copies config/quality-rules.json into Shared/ClickstreamTransform/BuiltInQualityRules.swift (the transformer's
# built-in rules). ClickstreamTransformTests fails while the two differ.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 - <<'PY'
src = open('config/quality-rules.json').read()
path = 'Shared/ClickstreamTransform/BuiltInQualityRules.swift'
text = open(path).read()
start = text.index('#"""\n') + len('#"""\n')
end = text.index('\n"""#')
open(path, 'w').write(text[:start] + src.rstrip('\n') + text[end:])
PY
echo "embedded config/quality-rules.json"
