#!/usr/bin/env bash
# Installs missing system packages, then configures and builds alliance-sim (Release) in build/.
# Arguments go to `cmake --build` (e.g. `--target alliance-sim`); none builds everything.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
BUILD_DIR="${BUILD_DIR:-build}"
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-Release}" > "$BUILD_DIR.configure.log" 2>&1 \
  || { cat "$BUILD_DIR.configure.log"; exit 1; }
cmake --build "$BUILD_DIR" -j "$(nproc)" "$@"   # extra arguments, e.g. --target alliance-sim
