#!/usr/bin/env bash
# The standalone chaos run (issue 9): the whole local pipeline under a seeded load of TRIBUTARY_CHAOS_EVENTS events
# (default 1,000,000) while every service is SIGKILLed and restarted, the broker, the emulator, the Salesforce
# simulator and the alert webhook fail; then exact checks. Prints the fault/outcome table and writes it to
# $TRIBUTARY_CHAOS_REPORT.md/.json (default .build/chaos-report).
#
#   scripts/chaos.sh                      # 1M events, release service binaries
#   TRIBUTARY_CHAOS_EVENTS=200000 TRIBUTARY_CHAOS_SECONDS=600 scripts/chaos.sh
#   TRIBUTARY_CHAOS_DEBUG=1 scripts/chaos.sh   # the debug binaries of `swift build --build-tests`
#
# Other knobs: TRIBUTARY_CHAOS_SEED, TRIBUTARY_CHAOS_KILLS (per service), TRIBUTARY_CHAOS_FAULTS (per fault kind),
# TRIBUTARY_CHAOS_PARTITIONS (per topic).
set -euo pipefail
cd "$(dirname "$0")/.."
export TRIBUTARY_CHAOS_EVENTS="${TRIBUTARY_CHAOS_EVENTS:-1000000}"
# The fault window; the generator's rate is set so the load spans it.
export TRIBUTARY_CHAOS_SECONDS="${TRIBUTARY_CHAOS_SECONDS:-$(( TRIBUTARY_CHAOS_EVENTS / 1000 + 60 ))}"
export TRIBUTARY_CHAOS_KILLS="${TRIBUTARY_CHAOS_KILLS:-8}"
export TRIBUTARY_CHAOS_FAULTS="${TRIBUTARY_CHAOS_FAULTS:-8}"
# The local broker keeps only ~5 MiB per partition: spread a long run wider so restarts stay within it.
export TRIBUTARY_CHAOS_PARTITIONS="${TRIBUTARY_CHAOS_PARTITIONS:-$(( TRIBUTARY_CHAOS_EVENTS >= 500000 ? 16 : 8 ))}"
export TRIBUTARY_CHAOS_REPORT="${TRIBUTARY_CHAOS_REPORT:-$PWD/.build/chaos-report}"
swift build --build-tests
if [[ -z "${TRIBUTARY_CHAOS_DEBUG:-}" ]]; then
    # The services (and the broker CLI) optimised; the test bundle stays the debug one and spawns these.
    for product in generator transformer bigtable-writer aggregator extractor cdc-router alerting tributary; do
        swift build -c release --product "$product"
    done
    export TRIBUTARY_BIN_DIR="$PWD/.build/release"
fi
swift test --skip-build --filter '^EndToEndTests\.ChaosTests'
echo "report: $TRIBUTARY_CHAOS_REPORT.md"
