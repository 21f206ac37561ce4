#!/usr/bin/env python3
"""An independent, vectorised pandas implementation of shared/spec/evaluation.md
(plain-file form), the peer that `planwatch evaluate` is measured and diffed against.

usage: evaluate_pandas.py OBS.csv TARGETS.csv R OUT.csv

Written from the spec, not from the Rust code. Sums over a target's points run over the
years in increasing order (as one column-wise vector pass per year), the order the spec's
formulas suggest, so that both implementations see the same floating-point operations.
"""
import os
import sys
import time
import warnings

import numpy as np
import pandas as pd

OBS_COLS = ["region", "indicator", "year", "value"]
TGT_COLS = ["region", "indicator", "comparator", "value", "year",
            "baseline_year", "baseline_value", "binding"]
STATUSES = np.array(["no_data", "achieved", "missed", "no_trend", "on_track",
                     "needs_acceleration", "off_track", "regressing"], dtype=object)
NO_DATA, ACHIEVED, MISSED, NO_TREND, ON_TRACK, NEEDS_ACC, OFF_TRACK, REGRESSING = range(8)


def fail(msg):
    sys.stderr.write(msg + "\n")
    sys.exit(1)


def read(path, cols, dtypes, na_cols=()):
    # round_trip: the exact parse (pandas 3 makes it the default and warns about it).
    warnings.filterwarnings("ignore", message=".*float_precision.*")
    df = pd.read_csv(path, dtype=dtypes, keep_default_na=False,
                     na_values={c: [""] for c in na_cols}, float_precision="round_trip",
                     encoding="utf-8")
    missing = [c for c in cols if c not in df.columns]
    if missing:
        fail(f"{path}: missing column {missing[0]}")
    return df


COMPARATORS = {">=": 0, "<=": 1, ">": 2, "<": 3, "=": 4}


def met(x, comp, v):
    """x c v per target (comp coded as in COMPARATORS) with tol = 1e-9 * max(1, |v|):
    a tie within tol satisfies >=, <= and =, and fails > and <. NaN x is never met."""
    tol = 1e-9 * np.maximum(1.0, np.abs(v))
    with np.errstate(invalid="ignore"):
        return np.select(
            [comp == 0, comp == 1, comp == 2, comp == 3, comp == 4],
            [x >= v - tol, x <= v + tol, x > v + tol, x < v - tol, np.abs(x - v) <= tol],
            default=False)


def median_rows(a, valid):
    """Row-wise median of the valid entries (mean of the two middle ones when even)."""
    s = np.sort(np.where(valid, a, np.inf), axis=1)
    k = valid.sum(axis=1)
    rows = np.arange(len(a))
    hi = np.clip(k // 2, 0, a.shape[1] - 1)
    lo = np.clip((k - 1) // 2, 0, a.shape[1] - 1)
    return np.where(k % 2 == 1, s[rows, hi], (s[rows, lo] + s[rows, hi]) / 2.0)


def g6(a):
    """printf %.6g (Python's %-formatting is C's), empty for NaN."""
    out = np.full(len(a), "", dtype=object)
    ok = ~np.isnan(a)
    out[ok] = list(map("%.6g".__mod__, a[ok].tolist()))
    return out


def ints(a):
    out = np.full(len(a), "", dtype=object)
    ok = ~np.isnan(a)
    out[ok] = list(map(str, a[ok].astype(np.int64).tolist()))
    return out


def csv_field(s):
    bad = s.str.contains('[,"\n\r]', regex=True)
    if bad.any():
        s = s.where(~bad, '"' + s.str.replace('"', '""', regex=False) + '"')
    return s


_T0 = [time.perf_counter()]


def tick(what):
    """Phase timings on stderr when PW_TIMING is set."""
    if os.environ.get("PW_TIMING"):
        now = time.perf_counter()
        sys.stderr.write(f"{what}: {now - _T0[0]:.2f} s\n")
        _T0[0] = now


def main():
    obs_path, tgt_path, R, out_path = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    obs = read(obs_path, OBS_COLS, {"region": str, "indicator": str, "year": "int64",
                                    "value": "float64"})
    tg = read(tgt_path, TGT_COLS, {"region": str, "indicator": str, "comparator": str,
                                   "value": "float64", "year": "int64",
                                   "baseline_year": "float64", "baseline_value": "float64",
                                   "binding": str}, na_cols=("baseline_year", "baseline_value"))
    tick("read")
    comp_codes = tg.comparator.map(COMPARATORS)
    if comp_codes.isna().any():
        fail(f"{tgt_path}: unknown comparator")

    tick("check")
    # Series keys over both files.
    n_obs = len(obs)
    reg_codes, reg_uni = pd.factorize(pd.concat([obs.region, tg.region], ignore_index=True))
    ind_codes, ind_uni = pd.factorize(pd.concat([obs.indicator, tg.indicator], ignore_index=True))
    key = reg_codes.astype(np.int64) * len(ind_uni) + ind_codes
    okey, tkey = key[:n_obs], key[n_obs:]
    if pd.Series(okey * 100000 + obs.year.to_numpy()).duplicated().any():
        fail(f"{obs_path}: duplicate (region, indicator, year)")

    # Observations after R are ignored.
    keep = obs.year.to_numpy() <= R
    okey = okey[keep]
    oyear = obs.year.to_numpy()[keep]
    oval = obs.value.to_numpy()[keep]
    skeys, osid = np.unique(okey, return_inverse=True)
    ns = len(skeys)

    # Per series: e and the earliest observation (groupby).
    grp = pd.DataFrame({"sid": osid, "year": oyear, "value": oval}).sort_values(
        ["sid", "year"], kind="stable").groupby("sid", sort=True)
    first = grp.first()
    last = grp.last()
    s_first_year = first.year.to_numpy().astype(np.float64)
    s_first_val = first.value.to_numpy()
    s_e = last.year.to_numpy().astype(np.float64)

    # Targets -> series.
    T = tg.year.to_numpy()
    v = tg.value.to_numpy()
    comp = comp_codes.to_numpy().astype(np.int64)
    by = tg.baseline_year.to_numpy()
    bv = tg.baseline_value.to_numpy()
    binding = (tg.binding.to_numpy() == "true")
    nt = len(tg)
    pos = np.searchsorted(skeys, tkey)
    posc = np.clip(pos, 0, max(ns - 1, 0))
    has = (pos < ns) & (skeys[posc] == tkey) if ns else np.zeros(nt, bool)
    tsid = np.where(has, posc, 0)

    # The dense year grid: every year from the earliest point to R.
    cands = [oyear.min() if len(oyear) else R]
    named_ok = ~np.isnan(by) & (by <= R)
    if named_ok.any():
        cands.append(int(by[named_ok].min()))
    ymin = int(min(cands))
    ny = R - ymin + 1
    W = np.full((max(ns, 1), ny), np.nan)
    W[osid, oyear - ymin] = oval

    def at(rows, years):
        """W[rows, years] where the year is in the grid, else NaN."""
        yi = np.nan_to_num(years, nan=-1).astype(np.int64) - ymin
        ok = (yi >= 0) & (yi < ny)
        out = np.full(len(rows), np.nan)
        out[ok] = W[rows[ok], yi[ok]]
        return out

    e = np.where(has, s_e[tsid] if ns else np.nan, np.nan)
    data = has & (e > R - 5)
    named = ~np.isnan(by)
    obs_t0 = np.where(has & named, at(tsid, by), np.nan)
    t0 = np.where(named, by, np.where(has, s_first_year[tsid] if ns else np.nan, np.nan))
    y0 = np.where(named, np.where(np.isnan(obs_t0), bv, obs_t0),
                  np.where(has, s_first_val[tsid] if ns else np.nan, np.nan))
    ye = np.where(data, at(tsid, e), np.nan)

    with np.errstate(invalid="ignore", divide="ignore"):
        ratio_ok = data & ~np.isnan(y0) & (t0 < e)
        exp_ok = ratio_ok & (T != t0) & ~met(y0, comp, v)
        expected = np.where(exp_ok, y0 + (v - y0) * (e - t0) / (T - t0), np.nan)
        pr_ok = exp_ok & (expected != y0)
        pr = np.where(pr_ok, (ye - y0) / (expected - y0), np.nan)

        # Points for the slope: min(t0, e) <= t <= e, plus the stated baseline.
        frm = np.minimum(t0, e)
        extra = data & named & ~np.isnan(y0) & (t0 <= e) & np.isnan(obs_t0)
        P = W[tsid].copy()
        years = np.arange(ymin, R + 1, dtype=np.float64)
        P[(years[None, :] < frm[:, None]) | (years[None, :] > e[:, None]) | ~data[:, None]] = np.nan
        ex = np.nonzero(extra)[0]
        P[ex, (t0[ex] - ymin).astype(np.int64)] = y0[ex]
        valid = ~np.isnan(P)
        n = valid.sum(axis=1).astype(np.float64)
        sx = np.zeros(nt)
        sy = np.zeros(nt)
        for j in range(ny):
            m = valid[:, j]
            sx = sx + np.where(m, years[j] - e, 0.0)
            sy = sy + np.where(m, P[:, j], 0.0)
        mx = sx / n
        my = sy / n
        sxy = np.zeros(nt)
        sxx = np.zeros(nt)
        for j in range(ny):
            m = valid[:, j]
            dx = (years[j] - e) - mx
            sxy = sxy + np.where(m, dx * (P[:, j] - my), 0.0)
            sxx = sxx + np.where(m, dx * dx, 0.0)
        two = n >= 2
        slope = np.where(two, sxy / sxx, np.nan)
        projected = np.where(two, ye + slope * (T - e), np.nan)
        del P, valid

        gap = v - ye
        toward = (slope != 0) & (gap != 0) & ((slope > 0) == (gap > 0))
        # The ratio thresholds 0.5 and 0 with met's tolerance: 1e-9 * max(1, |t|) = 1e-9.
        status = np.select(
            [~data, met(ye, comp, v), T <= e, ~two, met(projected, comp, v),
             pr_ok & (pr >= 0.5 - 1e-9), pr_ok & (pr >= -1e-9), pr_ok, toward],
            [NO_DATA, ACHIEVED, MISSED, NO_TREND, ON_TRACK, NEEDS_ACC, OFF_TRACK,
             REGRESSING, OFF_TRACK], default=REGRESSING)

        # W_VOLATILE per series.
        if ns:
            D = W[:, 1:] - W[:, :-1]          # D[:, j] is d for year ymin + j + 1
            dyears = np.arange(ymin + 1, R + 1)
            se = s_e.astype(np.int64)
            s_data = s_e > R - 5
            ei = se - ymin
            d_e = np.where(ei >= 1, D[np.arange(ns), np.clip(ei - 1, 0, ny - 2)], np.nan) \
                if ny >= 2 else np.full(ns, np.nan)
            earlier = ~np.isnan(D) & (dyears[None, :] < se[:, None])
            k = earlier.sum(axis=1)
            med = median_rows(D, earlier)
            dev = np.abs(D - med[:, None])
            mad = median_rows(dev, earlier)
            jump = np.abs(d_e - med)
            prev = W[np.arange(ns), np.clip(ei - 1, 0, ny - 1)]
            # A MAD of rounding noise counts as 0.
            mad0 = mad <= 1e-9 * np.maximum(1.0, np.abs(prev))
            vol = np.where(mad0, jump > 0.1 * np.abs(prev), jump > 3.5 * 1.4826 * mad)
            s_vol = s_data & (k >= 3) & ~np.isnan(d_e) & vol
            s_has_R = ~np.isnan(W[:, ny - 1])
        else:
            s_vol = np.zeros(1, bool)
            s_has_R = np.zeros(1, bool)

    w_pm = np.isin(status, [NEEDS_ACC, OFF_TRACK, REGRESSING]) & (T > R)
    w_vol = data & s_vol[tsid]
    w_bm = binding & (status == MISSED)
    w_miss = ~(has & s_has_R[tsid])
    warn = (np.where(w_pm, "W_PROJECTED_MISS;", "").astype(object)
            + np.where(w_vol, "W_VOLATILE;", "").astype(object)
            + np.where(w_bm, "W_BINDING_MISSED;", "").astype(object)
            + np.where(w_miss, "W_MISSING;", "").astype(object))
    warn = pd.Series(warn).str.rstrip(";")

    tick("evaluate")
    nd = ~data
    latest_year = np.where(nd, np.nan, e)
    cols = {
        "region": csv_field(tg.region),
        "indicator": csv_field(tg.indicator),
        "target_year": tg.year.astype(str),
        "comparator": tg.comparator,
        "target_value": g6(v),
        "latest_year": ints(latest_year),
        "latest_value": g6(ye),
        "baseline_year": ints(t0),
        "baseline_value": g6(y0),
        "expected": g6(expected),
        "progress_ratio": g6(pr),
        "projected": g6(projected),
        "status": STATUSES[status],
        "warnings": warn,
    }
    # Rows sorted by region, indicator, target_year in byte (= code point) order, stable.
    reg_rank = np.empty(len(reg_uni), np.int64)
    reg_rank[np.argsort(np.asarray(reg_uni, dtype=object), kind="stable")] = np.arange(len(reg_uni))
    ind_rank = np.empty(len(ind_uni), np.int64)
    ind_rank[np.argsort(np.asarray(ind_uni, dtype=object), kind="stable")] = np.arange(len(ind_uni))
    order = np.lexsort((np.arange(nt), T, ind_rank[ind_codes[n_obs:]], reg_rank[reg_codes[n_obs:]]))
    columns = [np.asarray(c, dtype=object)[order].tolist() for c in cols.values()]
    tick("format")
    with open(out_path, "w", encoding="utf-8", newline="") as f:
        f.write(",".join(cols) + "\n")
        f.write("".join(map("{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n".format, *columns)))
    tick("write")


if __name__ == "__main__":
    main()
