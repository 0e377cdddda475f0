#!/usr/bin/env bash
# Fails when the committed Swift code in Shared/BigtableProto does not match what
# scripts/generate-bigtable-proto.sh produces from proto/google/. Skips (exit 0)
# with a message when protoc or the Swift generator plugins cannot be had: the
# build itself never needs them, since the generated code is committed.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
committed="$root/Shared/BigtableProto"

if ! command -v protoc >/dev/null 2>&1; then
    echo "skipping Bigtable proto check: protoc not found (apt-get install -y protobuf-compiler libprotobuf-dev)"
    exit 0
fi
if ! "$root/scripts/build-bigtable-codegen.sh" >/dev/null 2>&1; then
    echo "skipping Bigtable proto check: could not build protoc-gen-swift / protoc-gen-grpc-swift-2 (scripts/build-bigtable-codegen.sh)"
    exit 0
fi

fresh="$(mktemp -d)"
trap 'rm -rf "$fresh"' EXIT
"$root/scripts/generate-bigtable-proto.sh" "$fresh" >/dev/null

if ! diff -r "$committed" "$fresh"; then
    echo >&2
    echo "error: generated Bigtable code is stale: run scripts/generate-bigtable-proto.sh" >&2
    echo "(protoc here: $(protoc --version 2>&1 | head -n 1))" >&2
    exit 1
fi
echo "generated Bigtable code is up to date"
