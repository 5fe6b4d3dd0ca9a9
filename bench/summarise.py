#!/usr/bin/python3
"""Turns bench_throughput JSON files into a Markdown table and an SVG plot.

    /usr/bin/python3 bench/summarise.py bench/results/default-200.json [more.json ...] \
        [--svg bench/results/latest.svg]

Files of another kind (bench/results/mpi_scaling.json) are passed over with a note.

Columns: youth-days per second in total and per thread, and per CPU-second (user + system
time of the measurement's process, the per-core figure least disturbed by other load); parallel
efficiency (throughput at n
threads over n times the 1-thread throughput of the same workload and output, from wall time);
output overhead (CPU time, or wall time where CPU time was not recorded, per youth-day over that
of the same workload and threads without output); for daily series (output main: alliance,
motivation and problems; daily: all) the same over wave-only output; bytes written; peak
resident memory and peak memory per bed; for the classroom workload the latency of one
simulated day. The plot is written by hand as SVG (no plotting library needed).
"""
import json
import sys


def load(paths):
    rows = []
    for path in paths:
        with open(path) as f:
            doc = json.load(f)
        if "measurements" not in doc:
            print(f"{path}: not a bench_throughput file, passed over", file=sys.stderr)
            continue
        for m in doc["measurements"]:
            m["source"] = path
            m["git_commit"] = doc.get("git_commit", "")
            rows.append(m)
    return rows


def fmt_rate(x):
    return f"{x / 1e6:.2f} M"


def extra_cost(m, ref):
    """Extra time per youth-day of measurement m over ref, as '+N %' ('' without ref)."""
    if not ref:
        return ""
    # CPU time where recorded: on a loaded machine wall time mostly measures the others.
    t = "cpu_s" if m.get("cpu_s") and ref.get("cpu_s") else "wall_s"
    per = m[t] / m["youth_days"]
    per_ref = ref[t] / ref["youth_days"]
    return f"{100 * (per / per_ref - 1):+.0f} %"


def table(rows):
    # Compared only with measurements of the same workload and number of replicates.
    base = {(m["workload"], m["replicates"], m["output"]): m for m in rows if m["threads"] == 1}
    none = {(m["workload"], m["replicates"], m["threads"]): m for m in rows if m["output"] == "none"}
    waves = {(m["workload"], m["replicates"], m["threads"]): m for m in rows if m["output"] == "waves"}
    out = ["| workload | output | threads | replicates | wall s | youth-days/s | per thread | "
           "per CPU-s | efficiency | output overhead | over waves | MiB written | peak MiB | KiB/bed | ms/day |",
           "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for m in rows:
        one = base.get((m["workload"], m["replicates"], m["output"]))
        eff = (f"{100 * m['youth_days_per_s'] / (m['threads'] * one['youth_days_per_s']):.0f} %"
               if one else "")
        key = (m["workload"], m["replicates"], m["threads"])
        overhead = extra_cost(m, none.get(key)) if m["output"] != "none" else ""
        # Daily series: the cost over wave-only output (target: at most 25 % for main,
        # docs/architecture.md §8).
        over_waves = extra_cost(m, waves.get(key)) if m["output"] in ("groups", "main", "daily") else ""
        kib_bed = 1024 * m["peak_rss_mib"] / m["beds"] if m.get("beds") else 0
        ms_day = (f"{m['ms_per_simulated_day']:.4f}"
                  if m["workload"] == "classroom" and m.get("ms_per_simulated_day") else "")
        out.append(f"| {m['workload']} | {m['output']} | {m['threads']} | {m['replicates']} | "
                   f"{m['wall_s']:.2f} | {fmt_rate(m['youth_days_per_s'])} | "
                   f"{fmt_rate(m['youth_days_per_s_per_thread'])} | "
                   f"{fmt_rate(m['youth_days_per_cpu_s']) if m.get('youth_days_per_cpu_s') else ''} | "
                   f"{eff} | {overhead} | {over_waves} | "
                   f"{m['bytes_written'] / 1048576:.1f} | {m['peak_rss_mib']:.0f} | "
                   f"{kib_bed:.1f} | {ms_day} |")
    return "\n".join(out)


def svg(rows, path):
    """Grouped bars: youth-days/s per thread for each (workload, output), one bar per thread count."""
    groups = []
    for m in rows:
        key = (m["workload"], m["output"])
        if key not in groups:
            groups.append(key)
    threads = sorted({m["threads"] for m in rows})
    value = {(m["workload"], m["output"], m["threads"]): m["youth_days_per_s_per_thread"] for m in rows}
    top = max(value.values()) * 1.1 or 1
    colours = ["#4477aa", "#ee6677", "#228833", "#ccbb44", "#66ccee", "#aa3377"]
    bar, gap, left, height, bottom = 14, 18, 70, 260, 90
    width = left + len(groups) * (len(threads) * bar + gap) + 140
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height + bottom + 30}" '
             'font-family="sans-serif" font-size="11">',
             f'<text x="{left}" y="16" font-size="13">youth-days per second per thread</text>']
    for i in range(6):
        v = top * i / 5
        y = 30 + height - height * i / 5
        parts.append(f'<line x1="{left}" x2="{width - 140}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{v / 1e6:.1f} M</text>')
    x = left + gap / 2
    for (w, o) in groups:
        for k, t in enumerate(threads):
            v = value.get((w, o, t))
            if v is None:
                continue
            h = height * v / top
            parts.append(f'<rect x="{x + k * bar:.1f}" y="{30 + height - h:.1f}" width="{bar - 2}" '
                         f'height="{h:.1f}" fill="{colours[k % len(colours)]}">'
                         f'<title>{w} {o} {t} threads: {v / 1e6:.2f} M</title></rect>')
        cx = x + len(threads) * bar / 2
        parts.append(f'<text transform="translate({cx:.1f},{30 + height + 10}) rotate(45)">{w} / {o}</text>')
        x += len(threads) * bar + gap
    for k, t in enumerate(threads):
        y = 40 + 16 * k
        parts.append(f'<rect x="{width - 120}" y="{y}" width="10" height="10" fill="{colours[k % len(colours)]}"/>')
        parts.append(f'<text x="{width - 104}" y="{y + 9}">{t} thread{"s" if t > 1 else ""}</text>')
    parts.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(parts) + "\n")


def main(argv):
    paths, svg_path = [], None
    i = 0
    while i < len(argv):
        if argv[i] == "--svg" and i + 1 < len(argv):
            svg_path = argv[i + 1]
            i += 2
            continue
        paths.append(argv[i])
        i += 1
    if not paths:
        print(__doc__, file=sys.stderr)
        return 2
    rows = load(paths)
    print(table(rows))
    if svg_path:
        svg(rows, svg_path)
        print(f"\nplot: {svg_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
