#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz/ with clang (build-fuzz: ASan + UBSan + libFuzzer
# instrumentation of every library) and fuzzes each for SECONDS, starting from the committed
# seed corpus tests/fuzz/corpus/<target>/. New inputs go to build-fuzz/corpus/<target>/ (the
# committed corpus is not changed); a crash, leak, timeout or sanitizer report is saved under
# build-fuzz/artifacts/<target>/ and fails the run, unless the crash is inside the HDF5 library
# (then it is listed as the library's limit).
# Usage: bash scripts/fuzz.sh [SECONDS] [TARGET...]   (default: 60 s, every target)
# ctest runs it with 60 s (label fuzz). For a longer run: bash scripts/fuzz.sh 600 scenario
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
shift || true
dir=build-fuzz
# -Wno-unknown-warning-option: the project's warning list has gcc-only entries (-Wno-restrict).
flags="-O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -Wno-unknown-warning-option"
# clang 14 with libstdc++ 12 in C++20 mode compiles these sources (none includes <ranges>).
cmake -S . -B "$dir" -DASIM_FUZZ=ON -DCMAKE_BUILD_TYPE=Debug \
  -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 \
  -DCMAKE_C_FLAGS_DEBUG="$flags" -DCMAKE_CXX_FLAGS_DEBUG="$flags" > "$dir.configure.log" 2>&1 \
  || { cat "$dir.configure.log"; exit 1; }
read -r -a all_targets < "$dir/fuzz_targets.txt"
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=("${all_targets[@]}")
cmake --build "$dir" -j "$(nproc)" --target "${targets[@]/#/fuzz_}"

# Whose is a crash or a hang: re-run the saved input (with the same 30 s limit, so a hang
# prints its stack too) and take the first stack frame that is either in libhdf5 or in our
# sources (engine/, models/, analysis/, tests/fuzz/). In libhdf5: HDF5 1.10 itself crashed or
# looped on a crafted file (listed as the library's limit, docs/errors.md; not a failure).
# In our sources, or no such frame at all: a defect, which fails the run.
crash_owner() {
  "$1" -timeout=30 "$2" 2>&1 | grep -E '^ +#[0-9]+ ' \
    | grep -E 'libhdf5|/(engine|models|analysis|tests/fuzz)/[A-Za-z0-9_]+\.(cpp|hpp):[0-9]' | head -n 1
}

# The fuzz targets write their scratch files under TMPDIR (fuzz_result_file: one file per
# process, left behind when an input crashes the process): give them a directory of this run's
# own, removed when the run ends, so nothing is left in /tmp.
scratch="$(mktemp -d "${TMPDIR:-/tmp}/asim-fuzz.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT
export TMPDIR="$scratch"

export ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=0"
export LSAN_OPTIONS="suppressions=$PWD/tests/fuzz/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
failed=0
for t in "${targets[@]}"; do
  rm -rf "$dir/artifacts/$t"
  mkdir -p "$dir/corpus/$t" "$dir/artifacts/$t"
  dict=()
  [ -f "tests/fuzz/$t.dict" ] && dict=(-dict="tests/fuzz/$t.dict")
  echo "fuzz: $t for ${seconds} s"
  # Fork mode (one child process at a time) with -ignore_crashes: a crash is saved and fuzzing
  # goes on, so a crash inside HDF5 does not end the run; each saved input is judged below.
  # -timeout: an input taking 30 s is a hang; -rss_limit_mb: an input needing 2 GiB is a defect
  # (sizes are checked before allocating). The statistics are in $dir/fuzz-$t.log.
  set +e
  "$dir/tests/fuzz/fuzz_$t" -fork=1 -ignore_crashes=1 -max_total_time="$seconds" -timeout=30 \
    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$dir/artifacts/$t/" "${dict[@]}" \
    "$dir/corpus/$t" "tests/fuzz/corpus/$t" > "$dir/fuzz-$t.log" 2>&1
  status=$?
  set -e
  grep -E "^#[0-9]+: cov:" "$dir/fuzz-$t.log" | tail -n 1 || true
  grep -E "^(stat::number_of_executed_units|stat::average_exec_per_sec|stat::new_units_added)" "$dir/fuzz-$t.log" || true
  shopt -s nullglob
  for a in "$dir/artifacts/$t"/*; do
    owner="$(crash_owner "$dir/tests/fuzz/fuzz_$t" "$a" || true)"
    if [[ "$owner" == *libhdf5* ]]; then
      echo "fuzz: $t: crash inside the HDF5 library, not our code: $a"
      echo "      $owner"
    else
      echo "fuzz: $t: DEFECT: $a" >&2
      echo "      ${owner:-no stack (timeout, leak or out of memory)}" >&2
      failed=1
    fi
  done
  shopt -u nullglob
  if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ] && ! ls "$dir/artifacts/$t"/* > /dev/null 2>&1; then
    echo "fuzz: $t: libFuzzer exited with status $status; see $dir/fuzz-$t.log" >&2
    tail -n 40 "$dir/fuzz-$t.log" >&2
    failed=1
  fi
done
if [ "$failed" -ne 0 ]; then
  echo "fuzz: FAILED (defects above; inputs saved under $dir/artifacts/)" >&2
  exit 1
fi
echo "fuzz: no crashes in our code"
