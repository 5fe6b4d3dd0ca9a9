#!/usr/bin/env bash
# Quick start, command 1: set-up, Release build, and the main job on the built-in default
# scenario. Writes results/default.h5 and replaces an earlier results/default.h5 on purpose
# (it passes --overwrite); extra arguments go to `alliance-sim run`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh --target alliance-sim   # the simulator only; the tests build with scripts/test.sh
mkdir -p results
echo "running the default scenario; results/default.h5 is replaced if it exists"
exec build/apps/alliance-sim run --overwrite -o results/default.h5 "$@"
