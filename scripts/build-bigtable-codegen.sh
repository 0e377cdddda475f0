#!/usr/bin/env bash
# Builds protoc-gen-swift (swift-protobuf 1.39.0) and protoc-gen-grpc-swift-2
# (grpc-swift-protobuf 2.4.1) in a scratch package outside the repository, once,
# and prints the folder holding both binaries. The project's own build never
# needs them: the generated Bigtable code is committed.
#
# Usage: scripts/build-bigtable-codegen.sh     (prints the bin folder on stdout)
# Env:   TRIBUTARY_CODEGEN_DIR  scratch folder (default: $HOME/.cache/tributary-codegen)
set -euo pipefail

dir="${TRIBUTARY_CODEGEN_DIR:-$HOME/.cache/tributary-codegen}"
bin="$dir/.build/debug"
if [ -x "$bin/protoc-gen-swift" ] && [ -x "$bin/protoc-gen-grpc-swift-2" ]; then
    echo "$bin"
    exit 0
fi

command -v swift >/dev/null 2>&1 || { echo "error: swift not found on PATH" >&2; exit 1; }
mkdir -p "$dir/Sources/Placeholder"
# Exact versions: the generated code must not change when a newer generator appears.
cat >"$dir/Package.swift" <<'MANIFEST'
// swift-tools-version:6.1
import PackageDescription
let package = Package(
    name: "tributary-codegen",
    dependencies: [
        .package(url: "https://github.com/apple/swift-protobuf.git", exact: "1.39.0"),
        .package(url: "https://github.com/grpc/grpc-swift-protobuf.git", exact: "2.4.1"),
    ],
    targets: [
        .target(name: "Placeholder", dependencies: [
            .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
        ]),
    ]
)
MANIFEST
echo "// Only here so the package has a target." >"$dir/Sources/Placeholder/Placeholder.swift"

echo "building protoc-gen-swift and protoc-gen-grpc-swift-2 in $dir (a few minutes, once)" >&2
(cd "$dir" && swift build --product protoc-gen-swift >&2 && swift build --product protoc-gen-grpc-swift-2 >&2)
echo "$bin"
