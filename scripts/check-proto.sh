#!/usr/bin/env bash
# Fails when the committed protobuf-c code in Shared/CPipelineProto does not
# match what scripts/generate-proto.sh produces from proto/. CI runs it.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
committed="$root/Shared/CPipelineProto"

fresh="$(mktemp -d)"
trap 'rm -rf "$fresh"' EXIT

"$root/scripts/generate-proto.sh" "$fresh" >/dev/null

if ! diff -r "$committed" "$fresh"; then
    echo >&2
    echo "error: generated code is stale: run scripts/generate-proto.sh" >&2
    echo "(protoc-c here: $(protoc-c --version 2>&1 | head -n 1); a different protoc-c version also changes the output)" >&2
    exit 1
fi
echo "generated code is up to date"
