#!/usr/bin/env bash
# What one core loses when every core is busy: each measurement runs alone, then as one process
# per core at once (round after round, alternating), and the script prints the minimum and
# median of each and the loss (the minimum's change). Three measurements:
#   - alu: a register-only loop (bench_contention alu): slowed only where the cores share
#     execution units (hardware threads of one core);
#   - stream S: a pass over S MiB (bench_contention stream S), for each size S: slowed where the
#     cores share caches or the memory bus;
#   - the model: bench_throughput WORKLOAD on one thread without output, CPU seconds.
#
#   bash bench/contention.sh [-n ROUNDS] [-w WORKLOAD] [-r REPLICATES] [-s MIB[,MIB...]] [-b BUILD]
#
# Defaults: 3 rounds, the national workload, 2 replicates, streams of 4, 8 and 16 MiB, build/.
set -euo pipefail
rounds=3 workload=national replicates=2 sizes=4,8,16 build=build
usage() {
  echo "usage: $0 [-n ROUNDS] [-w WORKLOAD] [-r REPLICATES] [-s MIB[,MIB...]] [-b BUILD]" >&2
  exit 2
}
while getopts "n:w:r:s:b:" flag; do
  case $flag in
    n) rounds=$OPTARG ;;
    w) workload=$OPTARG ;;
    r) replicates=$OPTARG ;;
    s) sizes=$OPTARG ;;
    b) build=$OPTARG ;;
    *) usage ;;
  esac
done
if ! [[ $rounds =~ ^[1-9][0-9]*$ && $replicates =~ ^[1-9][0-9]*$ && $sizes =~ ^[1-9][0-9]*(,[1-9][0-9]*)*$ ]] ||
  [[ $workload == *,* ]]; then
  usage
fi
contention=$build/bench/bench_contention throughput=$build/bench/bench_throughput
for bin in "$contention" "$throughput"; do
  [ -x "$bin" ] || { echo "$0: $bin is not an executable (build the bench targets)" >&2; exit 2; }
done
cores=$(nproc)
rows=$(mktemp -d)
trap 'rm -rf "$rows"' EXIT

# measure NAME COMMAND...: the command's figure (last field of its last line), alone and as one
# copy per core at once, appended to $rows/NAME.alone and $rows/NAME.busy.
measure() {
  local name=$1
  shift
  "$@" | tail -1 | awk '{ print $(NF - 3) }' >> "$rows/$name.alone"
  local k
  for ((k = 0; k < cores; k++)); do
    "$@" > "$rows/$name.out$k" &
  done
  wait
  for ((k = 0; k < cores; k++)); do
    tail -1 "$rows/$name.out$k" | awk '{ print $(NF - 3) }' >> "$rows/$name.busy"
  done
}
names=(alu)
IFS=, read -r -a mib <<< "$sizes"
for s in "${mib[@]}"; do names+=("stream_$s"); done
names+=(model)
for ((round = 1; round <= rounds; round++)); do
  measure alu "$contention" alu 1
  for s in "${mib[@]}"; do measure "stream_$s" "$contention" stream "$s" 1; done
  # bench_throughput's row has the CPU seconds in its 6th field: put where measure reads.
  measure model bash -c "\"$throughput\" --workloads $workload --threads 1 --outputs none \
    --replicates $replicates | awk 'NR > 1 { print \$6, 0, 0, 0 }'"
done
/usr/bin/python3 - "$rows" "$cores" "$workload" "$replicates" "$rounds" "${names[@]}" <<'PY'
import statistics, sys
rows, cores, workload, replicates, rounds, names = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6:]
print(f"alone and with {cores} processes at once (one per core), {rounds} rounds: min (median)")
for name in names:
    alone = [float(v) for v in open(f"{rows}/{name}.alone")]
    busy = [float(v) for v in open(f"{rows}/{name}.busy")]
    label = {"alu": "alu, ns per step", "model": f"{workload} ({replicates} replicates), CPU s"}.get(
        name, name.replace("stream_", "stream ") + " MiB, ns per line")
    loss = 100 * (min(busy) - min(alone)) / min(alone)
    print(f"  {label:34s} alone {min(alone):8.3f} ({statistics.median(alone):.3f})"
          f"  busy {min(busy):8.3f} ({statistics.median(busy):.3f})  {loss:+.1f} %")
PY
