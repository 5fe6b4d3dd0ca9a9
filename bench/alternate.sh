#!/usr/bin/env bash
# Compare bench_throughput binaries (builds of different commits) on a noisy machine: runs them
# in turn, round after round, so that a slow spell of the host falls on every binary alike, and
# prints each binary's minimum and median CPU seconds per output, and its change against the
# first binary's minimum.
#
#   bash bench/alternate.sh [-n ROUNDS] [-w WORKLOAD] [-r REPLICATES] [-o OUTPUTS] BIN [BIN...]
#
# Defaults: 5 rounds, the default workload, 200 replicates, outputs none,waves, 1 thread.
# Example (the previous commit against the working tree):
#   git worktree add /tmp/before HEAD~1 && cmake -S /tmp/before -B /tmp/before/build \
#       -DCMAKE_BUILD_TYPE=Release && cmake --build /tmp/before/build --target bench_throughput
#   bash bench/alternate.sh /tmp/before/build/bench/bench_throughput build/bench/bench_throughput
set -euo pipefail
rounds=5 workload=default replicates=200 outputs=none,waves
while getopts "n:w:r:o:" flag; do
  case $flag in
    n) rounds=$OPTARG ;;
    w) workload=$OPTARG ;;
    r) replicates=$OPTARG ;;
    o) outputs=$OPTARG ;;
    *) echo "usage: $0 [-n ROUNDS] [-w WORKLOAD] [-r REPLICATES] [-o OUTPUTS] BIN [BIN...]" >&2
       exit 2 ;;
  esac
done
shift $((OPTIND - 1))
if ! [[ $rounds =~ ^[1-9][0-9]*$ && $replicates =~ ^[1-9][0-9]*$ ]]; then
  echo "$0: -n and -r take positive whole numbers" >&2
  exit 2
fi
if [[ $workload == *,* ]]; then
  echo "$0: one workload at a time (-w $workload)" >&2
  exit 2
fi
if [ $# -eq 0 ]; then
  echo "usage: $0 [-n ROUNDS] [-w WORKLOAD] [-r REPLICATES] [-o OUTPUTS] BIN [BIN...]" >&2
  exit 2
fi
for bin in "$@"; do
  [ -x "$bin" ] || { echo "$0: $bin is not an executable" >&2; exit 2; }
done
rows=$(mktemp)
trap 'rm -f "$rows"' EXIT
for ((round = 1; round <= rounds; round++)); do
  for ((i = 1; i <= $#; i++)); do
    "${!i}" --workloads "$workload" --threads 1 --outputs "$outputs" --replicates "$replicates" |
      awk -v i="$i" 'NR > 1 { print i, $2, $6 }' >> "$rows"
  done
done
/usr/bin/python3 - "$rows" "$workload" "$replicates" "$rounds" "$@" <<'PY'
import statistics, sys
rows, workload, replicates, rounds, bins = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:]
cpu = {}
for line in open(rows):
    i, output, seconds = line.split()
    cpu.setdefault((int(i), output), []).append(float(seconds))
print(f"{workload}, {replicates} replicates, 1 thread, {rounds} rounds: CPU s, min (median)")
order = ["none", "waves", "groups", "main", "daily"]
for output in sorted({o for _, o in cpu}, key=order.index):
    missing = [b for i, b in enumerate(bins, 1) if (i, output) not in cpu]
    if missing:
        sys.exit(f"no {output} row from {', '.join(missing)}")
    first = min(cpu[(1, output)])
    for i, b in enumerate(bins, 1):
        v = cpu[(i, output)]
        change = "" if i == 1 else f"  {100 * (min(v) - first) / first:+.1f} %"
        print(f"  {output:6s} {min(v):7.3f} ({statistics.median(v):.3f})  {b}{change}")
PY
