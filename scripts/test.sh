#!/usr/bin/env bash
# The test command: installs what is missing, checks generated code is current, builds, runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/check-proto.sh
scripts/check-bigtable-proto.sh   # skips (exit 0) when protoc or the Swift plugins cannot be had
swift build --build-tests -Xswiftc -warnings-as-errors
swift test --skip-build
