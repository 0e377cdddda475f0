#!/usr/bin/env bash
# The README's main command: installs what is missing, builds in release mode, then runs the whole pipeline
# locally (`tributary up`: local broker and services as child processes) and prints the run's summary.
# Arguments go to `tributary up` (try --help).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build -c release
exec .build/release/tributary up "$@"
