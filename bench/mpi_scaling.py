#!/usr/bin/python3
"""Strong scaling of distributed runs (docs/cluster.md): one sweep run by a single process with
1 and 2 threads, then under mpirun with 1, 2, 3 ranks of one TBB thread each. Prints a table and
writes JSON: wall seconds, CPU seconds of all processes, youth-days, youth-days per wall second
and per CPU second, speed-up and parallel efficiency against one rank, and the load average of
the machine before and after each run (the figures are only as clean as the machine was idle).

    /usr/bin/python3 bench/mpi_scaling.py [--binary build/apps/alliance-sim]
        [--json bench/results/mpi_scaling.json] [--points 8] [--replicates 3] [--groups 220]
"""
import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time


def run(cmd, env):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    load_before = os.getloadavg()[0]
    t0 = time.monotonic()
    p = subprocess.run(cmd, env=env, capture_output=True, text=True)
    wall = time.monotonic() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if p.returncode != 0:
        sys.exit(f"failed ({p.returncode}): {' '.join(cmd)}\n{p.stdout}\n{p.stderr}")
    m = re.search(r"simulated ([0-9.e+]+) youth-days", p.stdout)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall_s": wall, "cpu_s": cpu, "youth_days": float(m.group(1)),
            "load_before": load_before, "load_after": os.getloadavg()[0]}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default="build/apps/alliance-sim")
    ap.add_argument("--json", default="bench/results/mpi_scaling.json")
    ap.add_argument("--points", type=int, default=8)
    ap.add_argument("--replicates", type=int, default=3)
    ap.add_argument("--groups", type=int, default=220, help="living groups (60 %% open)")
    args = ap.parse_args()
    binary = os.path.abspath(args.binary)
    mpirun = shutil.which("mpirun")
    env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1")
    work = tempfile.mkdtemp(prefix="asim-mpi-bench-")
    sweep = os.path.join(work, "sweep.toml")
    with open(sweep, "w") as f:
        f.write('inherit = "builtin:baseline"\n[scenario]\nname = "scaling"\n[sweep]\n'
                f'design = "lhs"\npoints = {args.points}\n[sweep.parameters]\n'
                '"mentor.caseload" = { min = 4, max = 12 }\n')
    open_groups = round(args.groups * 0.6)
    common = [sweep, "--replicates", str(args.replicates),
              "--set", f"institution.open_groups={open_groups}",
              "--set", f"institution.closed_groups={args.groups - open_groups}",
              "--set", f"cohort.size={args.groups * 9}", "--overwrite"]
    configs = [("single process", 1, 1, []), ("single process", 1, 2, [])]
    configs += [(f"mpirun -n {k}", k, 1, [mpirun, "--oversubscribe", "-n", str(k)]) for k in (1, 2, 3)]
    rows = []
    for label, ranks, threads, launcher in configs:
        out = os.path.join(work, "out.h5")
        r = run(launcher + [binary, "run"] + common + ["--threads", str(threads), "-o", out], env)
        r.update(label=label, ranks=ranks, threads_per_rank=threads,
                 bytes_written=os.path.getsize(out))
        rows.append(r)
    base = next(r for r in rows if r["label"] == "mpirun -n 1")
    print(f"sweep: {args.points} points x {args.replicates} replicates, {args.groups} living groups, "
          f"{rows[0]['youth_days']:.3g} youth-days; {os.cpu_count()} cores")
    print("| run | ranks x threads | wall s | CPU s | M youth-days/s | M per CPU-s | speed-up | efficiency | load before/after |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        r["youth_days_per_s"] = r["youth_days"] / r["wall_s"]
        r["youth_days_per_cpu_s"] = r["youth_days"] / r["cpu_s"] if r["cpu_s"] else None
        r["speedup_vs_1_rank"] = base["wall_s"] / r["wall_s"]
        workers = r["ranks"] * r["threads_per_rank"]
        r["efficiency"] = r["speedup_vs_1_rank"] / min(workers, os.cpu_count())
        print(f"| {r['label']} | {r['ranks']} x {r['threads_per_rank']} | {r['wall_s']:.2f} | "
              f"{r['cpu_s']:.2f} | {r['youth_days_per_s'] / 1e6:.2f} | "
              f"{r['youth_days_per_cpu_s'] / 1e6:.2f} | {r['speedup_vs_1_rank']:.2f} | "
              f"{r['efficiency']:.0%} | {r['load_before']:.1f} / {r['load_after']:.1f} |")
    os.makedirs(os.path.dirname(os.path.abspath(args.json)), exist_ok=True)
    with open(args.json, "w") as f:
        json.dump({"workload": {"points": args.points, "replicates": args.replicates,
                                "groups": args.groups, "cores": os.cpu_count()},
                   "runs": rows}, f, indent=2)
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
