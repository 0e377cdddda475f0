#!/usr/bin/env bash
# Regenerates the Swift code for the trimmed Bigtable protos under proto/google/
# (swift-protobuf messages and grpc-swift 2 stubs) into Shared/BigtableProto.
#
# Usage: scripts/generate-bigtable-proto.sh [OUTPUT_DIR]   (default: Shared/BigtableProto)
#
# Needs protoc (Debian: protobuf-compiler, plus libprotobuf-dev for the well-known
# types). protoc-gen-swift and protoc-gen-grpc-swift-2 are built once, from the same
# pinned package versions, by scripts/build-bigtable-codegen.sh outside the repository.
# The output depends only on the .proto files and those generator versions, so
# scripts/check-bigtable-proto.sh can regenerate into a temporary directory and diff.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$root/Shared/BigtableProto}"

if ! command -v protoc >/dev/null 2>&1; then
    echo "error: protoc not found; install it with: apt-get install -y protobuf-compiler libprotobuf-dev" >&2
    exit 1
fi
bin="$("$root/scripts/build-bigtable-codegen.sh")"

protos=()
while IFS= read -r proto; do
    protos+=("$proto")
done < <(cd "$root/proto" && find google -name '*.proto' -type f | LC_ALL=C sort)
if [ "${#protos[@]}" -eq 0 ]; then
    echo "error: no .proto files under $root/proto/google" >&2
    exit 1
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Public types (the PipelineBigtable module re-wraps them), access-levelled imports
# (the target uses InternalImportsByDefault), file names from the full proto path.
common="Visibility=Public,UseAccessLevelOnImports=true,FileNaming=PathToUnderscores"
(cd "$root/proto" && protoc --proto_path=. \
    --plugin=protoc-gen-swift="$bin/protoc-gen-swift" \
    --plugin=protoc-gen-grpc-swift-2="$bin/protoc-gen-grpc-swift-2" \
    --swift_out="$work" --swift_opt="$common" \
    --grpc-swift-2_out="$work" --grpc-swift-2_opt="$common,Client=true,Server=true" \
    "${protos[@]}")

# Replace only the generated files, so a stale one for a deleted .proto disappears.
mkdir -p "$out"
find "$out" -maxdepth 1 \( -name '*.pb.swift' -o -name '*.grpc.swift' \) -delete
cp "$work"/*.swift "$out/"
echo "generated $(ls "$work" | wc -l | tr -d ' ') files from ${#protos[@]} protos into $out"
