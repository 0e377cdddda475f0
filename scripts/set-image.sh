#!/usr/bin/env bash
# Points a Kubernetes overlay at one build of the image: a unique tag <version>-<commit> by default (the registry has
# immutable tags, so every build needs a tag of its own), or the given tag, or a digest (@sha256:...).
#
#   scripts/set-image.sh deploy/k8s/overlays/dev                      # 0.1.0-<12-char commit>
#   scripts/set-image.sh deploy/k8s/overlays/prod 0.1.0
#   scripts/set-image.sh deploy/k8s/overlays/dev @sha256:<digest>     # what `docker push` printed
#
# Push the image under the same tag first (docs/deploy.md, first deploy). The version is BuildInfo.version.
set -euo pipefail
cd "$(dirname "$0")/.."
overlay="${1:?usage: scripts/set-image.sh OVERLAY_DIR [TAG|@sha256:DIGEST]}"
kustomization="$overlay/kustomization.yaml"
[ -f "$kustomization" ] || { echo "set-image: $kustomization does not exist" >&2; exit 2; }
version="$(sed -n 's/.*static let version = "\(.*\)"/\1/p' Shared/PipelineRuntime/BuildInfo.swift)"
reference="${2:-$version-$(git rev-parse --short=12 HEAD)}"
# Only the tributary image entry: the line after `- name: tributary` and its newName.
if [[ "$reference" == @sha256:* ]]; then
    line="    digest: \"${reference#@}\""
else
    line="    newTag: \"$reference\""
fi
awk -v line="$line" '
    /^  - name: tributary$/ { inside = 1 }
    inside && /^    (newTag|digest):/ { print line; inside = 0; next }
    { print }
' "$kustomization" > "$kustomization.new"
mv "$kustomization.new" "$kustomization"
echo "set-image: $overlay now deploys ${reference}"
