#!/usr/bin/env python3
"""Prints the calibration targets of docs/calibration.md from a result file (h5py + numpy only).

Usage: /usr/bin/python3 analysis/python/calibration_check.py results/default.h5 [scenario]

The scenario's waves are read from the file (any number; the study's are first, 3m, 6m, 9m), with
the roles of docs/ODD.md: the first wave is the first impression, the second (3m) the settled
wave, the third (6m) the one after it, and the cross-lagged paths run between consecutive waves
after the first (both waves of a two-wave scenario).
"""
import sys

import h5py
import numpy as np


def ols(y, xs):
    """Standardised OLS coefficients of y on the columns xs (rows with NaN dropped)."""
    X = np.column_stack(xs)
    ok = ~np.isnan(y) & ~np.isnan(X).any(axis=1)
    X, y = X[ok], y[ok]
    X = (X - X.mean(0)) / X.std(0)
    y = (y - y.mean()) / y.std()
    X = np.column_stack([np.ones(len(y)), X])
    beta, *_ = np.linalg.lstsq(X, y, rcond=None)
    resid = y - X @ beta
    s2 = resid @ resid / (len(y) - X.shape[1])
    se = np.sqrt(np.diag(s2 * np.linalg.inv(X.T @ X)))
    return beta[1:], se[1:], len(y)


def main():
    path = sys.argv[1]
    with h5py.File(path, "r") as f:
        name = sys.argv[2] if len(sys.argv) > 2 else list(f["scenarios"])[0]
        s = f["scenarios"][name]
        coord = s["youth/waves/wave"] if "youth/waves/wave" in s else s["waves/day"]  # schema 2 / 1
        names = [n.decode() if isinstance(n, bytes) else str(n) for n in coord.attrs["names"]]
        W = len(coord)
        w = {k: s["youth/waves"][k][()] for k in s["youth/waves"]
             if k not in ("wave", "youth", "replicate")}
        st = {k: s["youth/static"][k][()] for k in s["youth/static"]}
        out = {k: s["outcomes"][k][()] for k in s["outcomes"]}
    setting = st["setting"].ravel()
    ext = st["externalising"].ravel()
    flat = {k: v.reshape(-1, W) for k, v in w.items()}
    settled, third = min(1, W - 1), min(2, W - 1)
    panel = list(range(1, W)) if W >= 3 else list(range(W))
    print(f"scenario {name}: {setting.size} youths")
    for k in ["alliance_youth", "alliance_mentor", "alliance_parent", "alliance_observer", "motivation", "problems"]:
        v = flat[k]
        print(f"  {k:18s}", " ".join(f"{np.nanmean(v[:, i]):5.2f}({np.nanstd(v[:, i]):.2f})" for i in range(W)))
    for s_ in (0, 1):
        m = setting == s_
        print(f"  setting {s_}: alliance_youth {names[settled]} {np.nanmean(flat['alliance_youth'][m, settled]):.2f} "
              f"motivation {names[third]} {np.nanmean(flat['motivation'][m, third]):.2f}")
    def corr(a, b):
        ok = ~np.isnan(a) & ~np.isnan(b)
        return np.corrcoef(a[ok], b[ok])[0, 1]
    y, m, p, o = (flat[k][:, 0] for k in ["alliance_youth", "alliance_mentor", "alliance_parent", "alliance_observer"])
    print(f"  first wave r: youth-mentor {corr(y, m):.2f} youth-parent {corr(y, p):.2f} "
          f"mentor-parent {corr(m, p):.2f} youth-obs {corr(y, o):.2f} mentor-obs {corr(m, o):.2f}")
    fav = out["favourable"].ravel().astype(float)
    reason = out["exit_reason"].ravel()
    prem = out["premature_exit"].ravel()
    print(f"  favourable {fav.mean()*100:.1f}%  dropout {np.mean(reason==2)*100:.1f}% abscond {np.mean(reason==3)*100:.1f}% "
          f"transfer {np.mean(reason==4)*100:.1f}% planned {np.mean(reason==1)*100:.1f}% in care {np.mean(reason==0)*100:.1f}%")
    print(f"  premature exit: externalising {prem[ext==1].mean()*100:.1f}%  other {prem[ext==0].mean()*100:.1f}%  "
          f"closed {prem[setting==1].mean()*100:.1f}% open {prem[setting==0].mean()*100:.1f}%")
    print(f"  alliance youth first wave: ext {np.nanmean(y[ext==1]):.2f} other {np.nanmean(y[ext==0]):.2f}")
    for i, lab in enumerate(names):
        print(f"  r(alliance_youth {lab}, favourable) = {corr(flat['alliance_youth'][:, i], fav):.3f}   "
              f"r(alliance_true, fav) = {corr(flat['alliance_true'][:, i], fav):.3f}")
    # cross-lagged: motivation(t+1) ~ motivation(t) + alliance_youth(t)
    for s_ in (0, 1):
        msk = setting == s_
        for t, u in zip(panel, panel[1:]):
            b, se, n = ols(flat["motivation"][msk, u], [flat["motivation"][msk, t], flat["alliance_youth"][msk, t]])
            b2, se2, _ = ols(flat["alliance_youth"][msk, u], [flat["alliance_youth"][msk, t], flat["motivation"][msk, t]])
            print(f"  setting {s_} wave {t}->{u}: alliance->motivation {b[1]:.3f} (se {se[1]:.3f})  "
                  f"motivation->alliance {b2[1]:.3f} (se {se2[1]:.3f}) n={n}")
    # subgroups by median split at the settled wave (3m)
    ym, mm = flat["alliance_youth"][:, settled], flat["alliance_mentor"][:, settled]
    ok = ~np.isnan(ym) & ~np.isnan(mm)
    hy, hm = ym > np.nanmedian(ym), mm > np.nanmedian(mm)
    for a, b_, lab in [(0, 0, "weak/weak"), (1, 0, "youth strong"), (0, 1, "mentor strong"), (1, 1, "strong/strong")]:
        sel = ok & (hy == a) & (hm == b_)
        print(f"  {lab:14s} favourable {fav[sel].mean()*100:.1f}%")
    print(f"  mentor changes/youth {out['mentor_changes'].mean():.2f}, ruptures {out['ruptures'].mean():.2f}, "
          f"repairs {out['repairs'].mean():.2f}, incidents {out['incidents'].mean():.2f}")


if __name__ == "__main__":
    main()
