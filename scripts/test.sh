#!/usr/bin/env bash
# The test command: installs what is missing, checks generated code is current, builds, runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/check-proto.sh
scripts/check-bigtable-proto.sh   # skips (exit 0) when protoc or the Swift plugins cannot be had
swift build --build-tests -Xswiftc -warnings-as-errors
scripts/check-deploy.sh           # deployment files (terraform, compose, Kubernetes, env vars, checkov); ~1 min after its first install
swift test --skip-build
