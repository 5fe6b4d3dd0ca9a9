#!/usr/bin/env python3
"""Writes docs/scenarios.md: every scenario of a result file with its question and its headline
result (paired differences against the baseline from `alliance-sim compare --csv`).

Usage:
  build/apps/alliance-sim run $(ls scenarios/*.toml | grep -v /sweep-) -o results/library.h5 --overwrite --quiet
  build/apps/alliance-sim compare results/library.h5 --csv > results/library.csv
  /usr/bin/python3 analysis/python/scenario_table.py results/library.h5 results/library.csv > docs/scenarios.md
"""
import csv
import sys

import h5py

HEADLINE = [("alliance_youth_6m", "alliance 6m", 2), ("motivation_6m", "motivation 6m", 2),
            ("favourable_pct", "favourable %", 1), ("premature_exit_pct", "premature exit %", 1),
            ("mentor_changes", "mentor changes", 2)]


def main():
    h5_path, csv_path = sys.argv[1], sys.argv[2]
    rows = {}
    with open(csv_path) as f:
        for r in csv.DictReader(f):
            rows[(r["scenario"], r["outcome"])] = r
    with h5py.File(h5_path, "r") as f:
        scen = f["scenarios"]
        names = sorted(scen)
        questions = {n: scen[n].attrs.get("question", "") for n in names}
        sources = {n: scen[n].attrs.get("source", "") for n in names}
        reps = {n: int(scen[n].attrs["replicates_written"]) for n in names}
        commit = f.attrs.get("git_commit", "")
    print("# Scenario library\n")
    print("Each file in `scenarios/` opens with the question it answers and a `# Mechanism:` paragraph")
    print("(the model processes the change acts through, and why some directions look odd, e.g. fewer")
    print("ruptures with less contact), inherits `baseline.toml` and changes only what the question is")
    print("about. Generated from one run of every scenario with the same seed (common random numbers),")
    print("so each difference below is paired over replicates:\n")
    print("```sh")
    print(__doc__.split("Usage:\n")[1].strip().replace("  ", "", 1).replace("\n  ", "\n"))
    print("```\n")
    print(f"Figures: {reps.get('baseline', 0)} replicates of 400 tracked youths per scenario, "
          f"alliance-sim commit {commit}. Cells give the scenario's value and, in brackets, the "
          "paired difference from the baseline with its 95 % confidence interval.\n")
    print("| scenario | question | " + " | ".join(h[1] for h in HEADLINE) + " |")
    print("|---|---|" + "---|" * len(HEADLINE))
    for n in names:
        cells = []
        for key, _, dec in HEADLINE:
            r = rows.get((n, key))
            if n == "baseline":
                any_row = next((v for (s, o), v in rows.items() if o == key), None)
                cells.append(f"{float(any_row['baseline']):.{dec}f}" if any_row else "")
            elif r:
                cells.append(f"{float(r['value']):.{dec}f} ({float(r['difference']):+.{dec}f} "
                             f"[{float(r['ci_low']):+.{dec}f}, {float(r['ci_high']):+.{dec}f}])")
            else:
                cells.append("")
        q = questions[n].replace("|", "\\|")
        print(f"| `{n}` | {q} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
