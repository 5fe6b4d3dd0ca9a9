#!/usr/bin/env bash
# What one core loses when the other cores are busy: each measurement runs alone, then as J
# copies at once (one per core), round after round; the script prints, over the rounds, the
# minimum and median of the lone runs and of each round's median copy, and the change of each.
# Three kinds of measurement:
#   - alu: eight multiply-add chains in registers (bench_contention alu): slowed only where the
#     copies share execution units (hardware threads of one core);
#   - stream S: passes over S MiB (bench_contention stream S), for each size S: slowed where the
#     copies share caches, or the memory bus for sizes beyond the last-level cache;
#   - the model: bench_throughput WORKLOAD on one thread without output, CPU seconds.
#
#   bash bench/contention.sh [-n ROUNDS] [-j COPIES] [-w WORKLOAD] [-r REPLICATES]
#                            [-s MIB[,MIB...]] [-b BUILD]
#
# Defaults: 3 rounds, one copy per logical CPU (nproc; on a machine with hardware threads give
# the number of physical cores), the national workload, 2 replicates, streams of 4, 8 and 16 MiB
# (1 to 4096 each), build/.
set -euo pipefail
rounds=3 copies=$(nproc) workload=national replicates=2 sizes=4,8,16 build=build
usage() {
  echo "usage: $0 [-n ROUNDS] [-j COPIES] [-w WORKLOAD] [-r REPLICATES] [-s MIB[,MIB...]] [-b BUILD]" >&2
  exit 2
}
while getopts "n:j:w:r:s:b:" flag; do
  case $flag in
    n) rounds=$OPTARG ;;
    j) copies=$OPTARG ;;
    w) workload=$OPTARG ;;
    r) replicates=$OPTARG ;;
    s) sizes=$OPTARG ;;
    b) build=$OPTARG ;;
    *) usage ;;
  esac
done
shift $((OPTIND - 1))
[ $# -eq 0 ] || usage
whole='[1-9][0-9]*'
if ! [[ $rounds =~ ^$whole$ && $copies =~ ^$whole$ && $replicates =~ ^$whole$ &&
  $sizes =~ ^$whole(,$whole)*$ && $workload =~ ^[a-z]+$ ]]; then
  usage
fi
IFS=, read -r -a mib <<< "$sizes"
for s in "${mib[@]}"; do
  ((s <= 4096)) || { echo "$0: stream sizes are 1 to 4096 MiB (-s $sizes)" >&2; exit 2; }
done
contention=$build/bench/bench_contention throughput=$build/bench/bench_throughput
for bin in "$contention" "$throughput"; do
  [ -x "$bin" ] || { echo "$0: $bin is not an executable (build the bench targets)" >&2; exit 2; }
done
rows=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2> /dev/null || true; done
  rm -rf "$rows"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Each measurement prints its figure as the last field of its last line.
alu() { "$contention" alu 1; }
stream() { "$contention" stream "$1" 1; }
model() {  # bench_throughput's row: the CPU seconds are its 6th field
  "$throughput" --workloads "$workload" --threads 1 --outputs none --replicates "$replicates" |
    awk 'NR > 1 { print $6 }'
}
figure() { tail -1 "$1" | awk 'NF { print $NF }'; }

# measure NAME COMMAND...: the figure alone, appended to $rows/NAME.alone, and the figures of
# $copies copies at once, one line per round appended to $rows/NAME.busy. A failed or silent run
# stops the script.
measure() {
  local name=$1 k v
  shift
  "$@" > "$rows/out"
  v=$(figure "$rows/out")
  [ -n "$v" ] || { echo "$0: $* printed no figure" >&2; exit 1; }
  echo "$v" >> "$rows/$name.alone"
  pids=()
  for ((k = 0; k < copies; k++)); do
    "$@" > "$rows/out$k" &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do
    wait "$pid" || { echo "$0: a copy of $* failed" >&2; exit 1; }
  done
  pids=()
  local line=()
  for ((k = 0; k < copies; k++)); do
    v=$(figure "$rows/out$k")
    [ -n "$v" ] || { echo "$0: a copy of $* printed no figure" >&2; exit 1; }
    line+=("$v")
  done
  echo "${line[*]}" >> "$rows/$name.busy"
}
names=(alu)
for s in "${mib[@]}"; do names+=("stream_$s"); done
names+=(model)
for ((round = 1; round <= rounds; round++)); do
  measure alu alu
  for s in "${mib[@]}"; do measure "stream_$s" stream "$s"; done
  measure model model
done
/usr/bin/python3 - "$rows" "$copies" "$workload" "$replicates" "$rounds" "${names[@]}" <<'PY'
import statistics, sys
rows, copies, workload, replicates, rounds, names = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6:]
print(f"alone, and the median of {copies} copies at once; {rounds} round(s): min (median) over the rounds")
for name in names:
    alone = [float(v) for v in open(f"{rows}/{name}.alone")]
    # each round's figure: the median of its copies
    busy = [statistics.median(map(float, line.split())) for line in open(f"{rows}/{name}.busy")]
    label = {"alu": "alu, ns per step", "model": f"{workload} ({replicates} replicates), CPU s"}.get(
        name, name.replace("stream_", "stream ") + " MiB, ns per line")
    low = 100 * (min(busy) - min(alone)) / min(alone)
    mid = 100 * (statistics.median(busy) - statistics.median(alone)) / statistics.median(alone)
    print(f"  {label:34s} alone {min(alone):8.3f} ({statistics.median(alone):.3f})"
          f"  busy {min(busy):8.3f} ({statistics.median(busy):.3f})  {low:+.1f} % ({mid:+.1f} %)")
PY
