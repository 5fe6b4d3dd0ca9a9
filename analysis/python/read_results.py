#!/usr/bin/env python3
"""Reads an alliance-sim result file into tidy pandas tables (h5py, numpy and pandas only).

Usage:
  /usr/bin/python3 analysis/python/read_results.py FILE.h5 [--scenario NAME] [--csv DIR]

Builds, for every scenario in the file (or the one named with --scenario):
  - a long table, one row per (scenario, replicate, youth, wave): scenario, replicate, youth,
    wave, wave_day, setting, externalising, and every measure of youth/waves/;
  - a wide table, one row per (scenario, replicate, youth): every field of youth/static/ and
    outcomes/.
and prints the mean youth-rated alliance per wave by setting and the favourable % by setting.
With --csv DIR it writes DIR/waves_long.csv and DIR/youth_outcomes.csv.

For each scenario it also prints one machine-checkable line,
  check <scenario> mean_alliance_youth_first_open=3.8412
the mean first-wave youth-rated alliance of youths in open groups (4 decimals), which
tests/e2e/test_readers.cpp compares with the R reader and with a value computed in C++.

Only dataset names documented in docs/hdf5-schema.md (schema_version 2, and 1) are used. Only the first
`replicates_written` replicates of each scenario are read, so the .partial file of an
interrupted run can be read too.
"""
import argparse
import os
import sys

import h5py
import numpy as np
import pandas as pd

SCHEMA_VERSIONS = (2, 1)  # 2: netCDF-4 layout; 1: coordinates in sibling groups

# docs/hdf5-schema.md: youth/waves/<measure> [replicate, youth, wave]
WAVE_MEASURES = [
    "alliance_youth", "alliance_mentor", "alliance_parent", "alliance_observer", "motivation",
    "problems", "climate_support", "climate_growth", "climate_atmosphere", "climate_repression",
    "srs", "parent_outcome", "alliance_true", "alliance_true_bond", "alliance_true_goals",
    "alliance_true_tasks", "alliance_true_others", "alliance_true_parent", "motivation_true",
    "problems_true", "engagement_true", "peer_standing_true",
]
# docs/hdf5-schema.md: youth/static/<field> [replicate, youth]
STATIC_FIELDS = [
    "intake_index", "setting", "group", "mentor", "admission_day", "age", "female", "profile",
    "externalising", "help_history", "expectations", "autonomy", "attachment",
    "parent_involvement", "severity", "problems_intake", "mandated", "planned_stay_days",
    "closed_indicated",
]
# docs/hdf5-schema.md: outcomes/<field> [replicate, youth]
OUTCOME_FIELDS = [
    "exit_reason", "exit_day", "favourable", "premature_exit", "mentor_changes", "ruptures",
    "repairs", "incidents", "coercive_measures",
]
SETTING_NAMES = {0: "open", 1: "closed"}


def as_str(value):
    """Attribute strings are str in h5py 3; be lenient with bytes from other writers."""
    return value.decode() if isinstance(value, bytes) else str(value)


def read_scenario(name, s):
    """Returns (long, wide) DataFrames for one scenario group."""
    R = int(s.attrs["replicates_written"])
    # Schema 2 keeps each section's coordinates in the section (netCDF-4 layout); schema 1 kept
    # them in sibling groups.
    new_layout = "youth/waves/wave" in s
    youth_coord = s["youth/waves/youth" if new_layout else "youth/id"]
    wave_coord = s["youth/waves/wave" if new_layout else "waves/day"]
    N = youth_coord.shape[0]
    wave_days = wave_coord[()].astype(int)
    wave_names = [as_str(w) for w in wave_coord.attrs["names"]]
    W = len(wave_days)

    static = {f: s["youth/static/" + f][:R] for f in STATIC_FIELDS}      # [R, N]
    outcomes = {f: s["outcomes/" + f][:R] for f in OUTCOME_FIELDS}       # [R, N]
    waves = {m: s["youth/waves/" + m][:R] for m in WAVE_MEASURES}        # [R, N, W]
    for m, v in waves.items():
        if v.shape != (R, N, W):
            raise SystemExit(f"{name}: youth/waves/{m} has shape {v.shape}, expected {(R, N, W)}")

    # Long table: C order of [replicate, youth, wave], so the index arrays vary wave fastest.
    rep, youth, wave = np.meshgrid(np.arange(R), np.arange(N), np.arange(W), indexing="ij")
    long = pd.DataFrame({
        "scenario": name,
        "replicate": rep.ravel(),
        "youth": youth.ravel(),
        "wave": pd.Categorical(np.array(wave_names)[wave.ravel()], categories=wave_names,
                               ordered=True),
        "wave_day": wave_days[wave.ravel()],
        "setting": pd.Categorical(
            [SETTING_NAMES[int(v)] for v in np.repeat(static["setting"].ravel(), W)],
            categories=["open", "closed"]),
        "externalising": np.repeat(static["externalising"].ravel(), W).astype(np.int8),
    })
    for m in WAVE_MEASURES:
        long[m] = waves[m].astype(np.float64).ravel()

    rep2, youth2 = np.meshgrid(np.arange(R), np.arange(N), indexing="ij")
    wide = pd.DataFrame({"scenario": name, "replicate": rep2.ravel(), "youth": youth2.ravel()})
    for f in STATIC_FIELDS:
        wide[f] = static[f].ravel()
    wide["setting_name"] = pd.Categorical([SETTING_NAMES[int(v)] for v in wide["setting"]],
                                          categories=["open", "closed"])
    for f in OUTCOME_FIELDS:
        wide[f] = outcomes[f].ravel()
    return long, wide


def summarise(name, long, wide):
    print(f"\nscenario {name}: {wide['replicate'].nunique()} replicates x "
          f"{wide['youth'].nunique()} youths")
    table = long.pivot_table(index="setting", columns="wave", values="alliance_youth",
                             aggfunc="mean", observed=False)
    print("mean youth-rated alliance (1-5) per wave by setting:")
    print(table.round(2).to_string())
    fav = wide.groupby("setting_name", observed=False)["favourable"].agg(["mean", "size"])
    print("favourable outcome by setting:")
    for setting, row in fav.iterrows():
        pct = 100.0 * row["mean"] if row["size"] else float("nan")
        print(f"  {setting:6s} {pct:5.1f}%  (n = {int(row['size'])})")
    first = long[(long["wave"] == long["wave"].cat.categories[0]) & (long["setting"] == "open")]
    value = first["alliance_youth"].mean()  # float64, NaN skipped
    print(f"check {name} mean_alliance_youth_first_open={value:.4f}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("file", help="result file (.h5 or .h5.partial)")
    ap.add_argument("--scenario", help="read only this scenario")
    ap.add_argument("--csv", metavar="DIR", help="write waves_long.csv and youth_outcomes.csv here")
    args = ap.parse_args()

    try:
        f = h5py.File(args.file, "r")
    except OSError as e:
        raise SystemExit(f"{args.file}: cannot open as HDF5 ({e})")
    with f:
        version = int(f.attrs.get("schema_version", -1))
        if version not in SCHEMA_VERSIONS or "scenarios" not in f:
            raise SystemExit(f"{args.file}: not an alliance-sim result file of schema_version "
                             f"{' or '.join(map(str, SCHEMA_VERSIONS))} (found {version})")
        print(f"{args.file}: {as_str(f.attrs['generator'])}, commit {as_str(f.attrs['git_commit'])}, "
              f"created {as_str(f.attrs['created_utc'])}")
        names = sorted(f["scenarios"])
        if args.scenario:
            if args.scenario not in names:
                raise SystemExit(f"{args.file}: no scenario '{args.scenario}' (has: {', '.join(names)})")
            names = [args.scenario]
        print("scenarios:")
        for n in names:
            s = f["scenarios"][n]
            state = "complete" if int(s.attrs["complete"]) else "INCOMPLETE"
            print(f"  {n}: {int(s.attrs['replicates_written'])} of {int(s.attrs['replicates'])} "
                  f"replicates ({state}), {int(s.attrs['cohort_size'])} youths each, "
                  f"seed {int(s.attrs['seed'])}: {as_str(s.attrs['question'])}")
        longs, wides = [], []
        for n in names:
            long, wide = read_scenario(n, f["scenarios"][n])
            summarise(n, long, wide)
            longs.append(long)
            wides.append(wide)

    if args.csv:
        os.makedirs(args.csv, exist_ok=True)
        # float32 values carry about 7 significant digits; NaN is written as an empty field.
        pd.concat(longs, ignore_index=True).to_csv(os.path.join(args.csv, "waves_long.csv"),
                                                   index=False, float_format="%.7g")
        pd.concat(wides, ignore_index=True).to_csv(os.path.join(args.csv, "youth_outcomes.csv"),
                                                   index=False, float_format="%.7g")
        print(f"\nwrote {os.path.join(args.csv, 'waves_long.csv')} and "
              f"{os.path.join(args.csv, 'youth_outcomes.csv')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
