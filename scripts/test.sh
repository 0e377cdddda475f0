#!/usr/bin/env bash
# The test command: installs what is missing, checks generated code is current, builds, runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/check-proto.sh
scripts/check-bigtable-proto.sh   # skips (exit 0) when protoc or the Swift plugins cannot be had
swift build --build-tests -Xswiftc -warnings-as-errors
scripts/check-deploy.sh           # deployment files (terraform, compose, Kubernetes, env vars, checkov); ~1 min after its first install
# Unit and component suites first, then the end-to-end suites (real processes, broker, emulator) on their own:
# run together on two cores, the end-to-end suites' processes starve the unit suites' timing checks.
swift test --skip-build --skip '^EndToEndTests\.'
# At most four end-to-end tests at once: each runs a broker, an emulator and several services, and with all of
# them at once the test process itself (which paces producers and polls) was starved for seconds at a time.
swift test --skip-build --filter '^EndToEndTests\.' --skip '^EndToEndTests\.ChaosTests' \
  --experimental-maximum-parallelization-width 4
# The chaos suite last and alone (its short form: every service killed 5 times, every fault kind, exact checks);
# scripts/chaos.sh is the long standalone run.
swift test --skip-build --filter '^EndToEndTests\.ChaosTests'
