#!/usr/bin/env bash
# Sanitizer builds (gcc, separate build directories, only the unit-test executable):
#   build-asan  AddressSanitizer + UndefinedBehaviorSanitizer (leaks included): every unit test
#   build-tsan  ThreadSanitizer: the parallel engine tests (determinism 1 vs 4 threads, the model
#               runs, parallel chunk compression: tags [determinism], [model], [chunks]), with tests/sanitizers/tsan.supp for the
#               uninstrumented oneTBB library (see that file)
# Any sanitizer report fails the run (halt_on_error / exitcode), so "passed" means "clean".
# Usage: bash scripts/sanitizers.sh [asan|tsan]...   (default: both). Called by scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs="$(nproc)"
which=("$@")
[ ${#which[@]} -eq 0 ] && which=(asan tsan)

# Configure and build tests_unit in $1 with sanitizer flags $2. Warnings are not errors here
# (gcc's sanitizer instrumentation adds false -Wmaybe-uninitialized / -Wstringop-* reports at
# -O1); the Release build keeps -Werror.
build() {
  local dir="$1" flags="$2"
  cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Debug -DASIM_WERROR=OFF \
    -DCMAKE_C_COMPILER=gcc -DCMAKE_CXX_COMPILER=g++ \
    -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g -fno-omit-frame-pointer $flags" \
    -DCMAKE_C_FLAGS_DEBUG="-O1 -g -fno-omit-frame-pointer $flags" \
    -DCMAKE_EXE_LINKER_FLAGS="$flags" > "$dir.configure.log" 2>&1 \
    || { cat "$dir.configure.log"; exit 1; }
  cmake --build "$dir" -j "$jobs" --target tests_unit
}

for w in "${which[@]}"; do
  case "$w" in
    asan)
      echo "sanitizers: building build-asan (ASan + UBSan)"
      build build-asan "-fsanitize=address,undefined -fno-sanitize-recover=all"
      echo "sanitizers: unit tests under ASan + UBSan"
      ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:halt_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1" \
      UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
        build-asan/tests/tests_unit
      ;;
    tsan)
      echo "sanitizers: building build-tsan (TSan)"
      build build-tsan "-fsanitize=thread"
      echo "sanitizers: parallel engine tests under TSan"
      TSAN_OPTIONS="halt_on_error=1:exitcode=66:second_deadlock_stack=1:suppressions=$PWD/tests/sanitizers/tsan.supp" \
        build-tsan/tests/tests_unit "[determinism],[model],[chunks]"
      ;;
    *) echo "sanitizers: unknown build '$w' (asan, tsan)" >&2; exit 2 ;;
  esac
done
echo "sanitizers: clean"
