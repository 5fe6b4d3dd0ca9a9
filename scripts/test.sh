#!/usr/bin/env bash
# Quick start, command 2: set-up, Release build, and the whole test suite (ctest).
# Extra arguments go to ctest, e.g. `bash scripts/test.sh -L unit` for the quick subset.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
mkdir -p results
cd build
exec ctest --output-on-failure -j "$(nproc)" "$@"
