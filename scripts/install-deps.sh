#!/usr/bin/env bash
# Installs the system packages Tributary builds against, if any is missing (Debian/Ubuntu).
set -euo pipefail
# No protoc / protoc-gen-swift here: the generated Bigtable code (Shared/BigtableProto) is committed,
# and scripts/check-bigtable-proto.sh skips when they are missing.
packages=(librdkafka-dev libprotobuf-c-dev protobuf-c-compiler libcurl4-openssl-dev pkg-config protobuf-compiler libprotobuf-dev
          python3 python3-prometheus-client  # these two: the metrics-exposition test parses /metrics with them
          openssl ca-certificates)  # the TLS tests make certificates and run `openssl s_server`
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing: ${missing[*]}"
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
command -v swift >/dev/null || { echo "error: Swift 6.2+ toolchain not found on PATH (https://swift.org/install)"; exit 1; }
