#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz/ with clang (build-fuzz: ASan + UBSan + libFuzzer
# instrumentation of every library) and fuzzes each for SECONDS, starting from the committed
# seed corpus tests/fuzz/corpus/<target>/. New inputs go to build-fuzz/corpus/<target>/ (the
# committed corpus is not changed); a crash, leak, timeout or sanitizer report is saved under
# build-fuzz/artifacts/<target>/ and fails the run.
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

for t in "${targets[@]}"; do
  mkdir -p "$dir/corpus/$t" "$dir/artifacts/$t"
  dict=()
  [ -f "tests/fuzz/$t.dict" ] && dict=(-dict="tests/fuzz/$t.dict")
  echo "fuzz: $t for ${seconds} s"
  # -timeout: an input taking 30 s is a hang; -rss_limit_mb: an input needing 2 GiB is a defect
  # (sizes are checked before allocating). Our own output goes to the log; libFuzzer's final
  # statistics (executions, new units) are printed at the end.
  set +e
  ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=0" \
  LSAN_OPTIONS="suppressions=$PWD/tests/fuzz/lsan.supp:print_suppressions=0" \
  UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
    "$dir/tests/fuzz/fuzz_$t" -max_total_time="$seconds" -timeout=30 -rss_limit_mb=2048 \
      -print_final_stats=1 -artifact_prefix="$dir/artifacts/$t/" "${dict[@]}" \
      "$dir/corpus/$t" "tests/fuzz/corpus/$t" > "$dir/fuzz-$t.log" 2>&1
  status=$?
  set -e
  grep -E "^(#[0-9]+ +DONE|stat::number_of_executed_units|stat::average_exec_per_sec|stat::new_units_added|stat::peak_rss_mb)" \
    "$dir/fuzz-$t.log" || true
  if [ "$status" -ne 0 ]; then
    echo "fuzz: $t FAILED (status $status); see $dir/fuzz-$t.log and $dir/artifacts/$t/" >&2
    tail -n 60 "$dir/fuzz-$t.log" >&2
    exit 1
  fi
done
echo "fuzz: no crashes"
