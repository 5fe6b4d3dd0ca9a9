#!/usr/bin/env bash
# What each step of the day costs, by knock-out: bench_throughput runs the workload without
# output, in full and with each step left out in turn (--skip STEP), round after round; prints
# each run's minimum CPU seconds and the share of the full run's time that leaving the step out
# saves (the step's cost, its knock-on effects on the other steps included). admit, draws and
# exits cannot be left out (bench/throughput.cpp).
#
#   bash bench/knockout.sh [-n ROUNDS] [-w WORKLOAD] [-r REPLICATES] [-b BENCH_THROUGHPUT]
#
# Defaults: 5 rounds, the default workload, 200 replicates, build/bench/bench_throughput.
set -euo pipefail
rounds=5 workload=default replicates=200 bench=build/bench/bench_throughput
usage() {
  echo "usage: $0 [-n ROUNDS] [-w WORKLOAD] [-r REPLICATES] [-b BENCH_THROUGHPUT]" >&2
  exit 2
}
while getopts "n:w:r:b:" flag; do
  case $flag in
    n) rounds=$OPTARG ;;
    w) workload=$OPTARG ;;
    r) replicates=$OPTARG ;;
    b) bench=$OPTARG ;;
    *) usage ;;
  esac
done
if ! [[ $rounds =~ ^[1-9][0-9]*$ && $replicates =~ ^[1-9][0-9]*$ ]] || [[ $workload == *,* ]]; then
  usage
fi
[ -x "$bench" ] || { echo "$0: $bench is not an executable" >&2; exit 2; }
steps=(staffing contact incidents peers ruptures alliance motivation parents problems switch
       measure climate)
rows=$(mktemp)
trap 'rm -f "$rows"' EXIT
for ((round = 1; round <= rounds; round++)); do
  for step in full "${steps[@]}"; do
    skip=()
    [ "$step" = full ] || skip=(--skip "$step")
    "$bench" --workloads "$workload" --threads 1 --outputs none --replicates "$replicates" \
        "${skip[@]}" | awk -v s="$step" 'NR > 1 { print s, $6 }' >> "$rows"
  done
done
echo "$workload, $replicates replicates, 1 thread, no output, minimum of $rounds rounds:"
awk '{ if (!($1 in m) || $2 < m[$1]) m[$1] = $2; if (!($1 in o)) o[$1] = NR }
     END { for (k in m) print o[k], k, m[k] }' "$rows" | sort -n |
  awk 'NR == 1 { full = $3 } { printf "  %-10s %7.3f s  %5.1f %%\n", $2, $3, 100 * (full - $3) / full }'
