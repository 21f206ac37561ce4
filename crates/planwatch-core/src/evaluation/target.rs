//! One target judged against one series: the spec's "Per target" section.

use super::series::SeriesAt;
use super::status::{Status, Warning, Warnings};
use super::{ACCELERATION_RATIO, KEEP_TOLERANCE};
use crate::plan::{Comparator, Direction};
use serde::{Deserialize, Serialize};

/// A quantitative target as the evaluation needs it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TargetSpec {
    pub comparator: Comparator,
    pub value: f64,
    pub year: i32,
    /// The baseline year the target names, if any.
    pub baseline_year: Option<i32>,
    /// The stated baseline value; used only with a baseline year and only when there is
    /// no observation for that year.
    pub baseline_value: Option<f64>,
    /// 约束性 (binding) rather than 预期性.
    pub binding: bool,
}

/// The spec's tolerance around a threshold `v`: `1e-9 * max(1, |v|)`.
///
/// Values computed from decimal inputs (a projection, a progress ratio) land a few ulps
/// beside the decimal result; within this distance they count as equal to `v`, so a
/// target that is met in exact decimal arithmetic is met here too.
pub fn tolerance(v: f64) -> f64 {
    1e-9 * f64::max(1.0, v.abs())
}

/// `x c v` with the spec's tolerance: a tie (within [`tolerance`]) satisfies `>=`, `<=`
/// and `=` and fails `>` and `<`. A NaN `x` meets nothing.
pub fn met(x: f64, c: Comparator, v: f64) -> bool {
    let tol = tolerance(v);
    match c {
        Comparator::Ge => x >= v - tol,
        Comparator::Le => x <= v + tol,
        Comparator::Gt => x > v + tol,
        Comparator::Lt => x < v - tol,
        Comparator::Eq => (x - v).abs() <= tol,
    }
}

/// What the evaluation says about one target in one report year.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Evaluation {
    pub status: Status,
    /// `(e, y_e)`; `None` for `no_data`.
    pub latest: Option<super::Observation>,
    /// `t0`: the named baseline year, else the earliest observation's year.
    pub baseline_year: Option<i32>,
    /// `y0`.
    pub baseline_value: Option<f64>,
    /// 序时进度: the straight path from the baseline to the target, in year `e`.
    pub expected: Option<f64>,
    pub progress_ratio: Option<f64>,
    /// OLS slope over the points from the baseline to `e`.
    pub slope: Option<f64>,
    /// `y_e + slope * (T - e)`.
    pub projected: Option<f64>,
    /// Points the slope was fitted on.
    pub points: u32,
    pub warnings: Warnings,
}

/// The baseline `(t0, y0)` of the spec. `y0` may be unknown when a named baseline year
/// has neither an observation nor a stated value.
fn baseline(
    at: &SeriesAt<'_>,
    baseline_year: Option<i32>,
    stated: Option<f64>,
) -> (Option<i32>, Option<f64>) {
    match baseline_year {
        Some(t0) => (Some(t0), at.get(t0).or(stated)),
        None => match at.upto.first() {
            Some(o) => (Some(o.year), Some(o.value)),
            None => (None, None),
        },
    }
}

/// OLS slope over the observations with `from <= t <= e` plus an optional extra point
/// (the stated baseline, whose year precedes them all). `None` with fewer than two points.
///
/// Years enter as `t - e` and sums run in year order: an independent implementation
/// that does the same gets the same bits.
fn slope(at: &SeriesAt<'_>, from: i32, extra: Option<(i32, f64)>, e: i32) -> (Option<f64>, u32) {
    let start = at.upto.partition_point(|o| o.year < from);
    let obs = &at.upto[start..];
    let pts = || {
        extra
            .into_iter()
            .map(move |(t, y)| ((t - e) as f64, y))
            .chain(obs.iter().map(move |o| ((o.year - e) as f64, o.value)))
    };
    let n = obs.len() as u32 + u32::from(extra.is_some());
    if n < 2 {
        return (None, n);
    }
    let nf = n as f64;
    let (mut sx, mut sy) = (0.0, 0.0);
    for (x, y) in pts() {
        sx += x;
        sy += y;
    }
    let (mx, my) = (sx / nf, sy / nf);
    let (mut sxy, mut sxx) = (0.0, 0.0);
    for (x, y) in pts() {
        sxy += (x - mx) * (y - my);
        sxx += (x - mx) * (x - mx);
    }
    (Some(sxy / sxx), n)
}

/// Judges one quantitative target (the spec's status table and warnings).
pub fn evaluate(at: &SeriesAt<'_>, target: &TargetSpec) -> Evaluation {
    let (c, v, big_t) = (target.comparator, target.value, target.year);
    let (t0, y0) = baseline(at, target.baseline_year, target.baseline_value);
    let mut warnings = Warnings::NONE;
    if at.missing {
        warnings.insert(Warning::Missing);
    }
    let Some(latest) = at.latest else {
        return Evaluation {
            status: Status::NoData,
            latest: None,
            baseline_year: t0,
            baseline_value: y0,
            expected: None,
            progress_ratio: None,
            slope: None,
            projected: None,
            points: 0,
            warnings,
        };
    };
    let (e, y_e) = (latest.year, latest.value);
    // With data there is always a t0: the named year, or the earliest observation.
    let t0_or_e = t0.unwrap_or(e);

    // A baseline at or after e is no baseline for the ratios.
    let ratio_base = match y0 {
        Some(y0) if t0_or_e < e => Some(y0),
        _ => None,
    };
    let expected = ratio_base.and_then(|y0| {
        if big_t == t0_or_e || met(y0, c, v) {
            None
        } else {
            Some(y0 + (v - y0) * (e - t0_or_e) as f64 / (big_t - t0_or_e) as f64)
        }
    });
    let progress_ratio = match (ratio_base, expected) {
        (Some(y0), Some(x)) if x != y0 => Some((y_e - y0) / (x - y0)),
        _ => None,
    };

    let from = t0_or_e.min(e);
    let extra = match (t0, y0) {
        (Some(t0), Some(y0)) if t0 <= e && at.get(t0).is_none() => Some((t0, y0)),
        _ => None,
    };
    let (slope, points) = slope(at, from, extra, e);
    let projected = slope.map(|s| y_e + s * (big_t - e) as f64);

    let status = if met(y_e, c, v) {
        Status::Achieved
    } else if big_t <= e {
        Status::Missed
    } else if points < 2 {
        Status::NoTrend
    } else if projected.is_some_and(|p| met(p, c, v)) {
        Status::OnTrack
    } else {
        // The ratio thresholds take the tolerance of `met` (a ratio of exactly one half
        // computed as 0.499999999999999 is one half); see the readings in `mod.rs`.
        match progress_ratio {
            Some(r) if met(r, Comparator::Ge, ACCELERATION_RATIO) => Status::NeedsAcceleration,
            Some(r) if met(r, Comparator::Ge, 0.0) => Status::OffTrack,
            Some(_) => Status::Regressing,
            None => {
                // Toward the target: the slope's sign is the sign of v - latest; flat
                // is not toward.
                let s = slope.unwrap_or(0.0);
                let gap = v - y_e;
                if s != 0.0 && (s > 0.0) == (gap > 0.0) && gap != 0.0 {
                    Status::OffTrack
                } else {
                    Status::Regressing
                }
            }
        }
    };

    if matches!(
        status,
        Status::NeedsAcceleration | Status::OffTrack | Status::Regressing
    ) && big_t > at.report_year
    {
        warnings.insert(Warning::ProjectedMiss);
    }
    if at.volatile {
        warnings.insert(Warning::Volatile);
    }
    if target.binding && status == Status::Missed {
        warnings.insert(Warning::BindingMissed);
    }
    Evaluation {
        status,
        latest: Some(latest),
        baseline_year: t0,
        baseline_value: y0,
        expected,
        progress_ratio,
        slope,
        projected,
        points,
        warnings,
    }
}

/// What the evaluation says about a qualitative (direction-only) target.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct DirectionEvaluation {
    /// `no_data`, `no_trend`, `on_track` or `regressing`.
    pub status: Status,
    pub latest: Option<super::Observation>,
    pub baseline_year: Option<i32>,
    pub baseline_value: Option<f64>,
    pub slope: Option<f64>,
    pub points: u32,
    /// W_VOLATILE and W_MISSING only: a direction has no target year.
    pub warnings: Warnings,
}

/// Judges a qualitative target: `on_track` when the slope's sign is the direction's (for
/// `keep`: the latest value within 2% of the baseline), `regressing` when opposite or
/// flat, `no_trend` with fewer than two points.
pub fn evaluate_direction(
    at: &SeriesAt<'_>,
    direction: Direction,
    baseline_year: Option<i32>,
    baseline_value: Option<f64>,
) -> DirectionEvaluation {
    let (t0, y0) = baseline(at, baseline_year, baseline_value);
    let mut warnings = Warnings::NONE;
    if at.missing {
        warnings.insert(Warning::Missing);
    }
    let mut out = DirectionEvaluation {
        status: Status::NoData,
        latest: at.latest,
        baseline_year: t0,
        baseline_value: y0,
        slope: None,
        points: 0,
        warnings,
    };
    let Some(latest) = at.latest else {
        return out;
    };
    if at.volatile {
        out.warnings.insert(Warning::Volatile);
    }
    let e = latest.year;
    let t0e = t0.unwrap_or(e);
    let extra = match (t0, y0) {
        (Some(t0), Some(y0)) if t0 <= e && at.get(t0).is_none() => Some((t0, y0)),
        _ => None,
    };
    let (slope, points) = slope(at, t0e.min(e), extra, e);
    out.slope = slope;
    out.points = points;
    out.status = match (slope, direction) {
        (None, _) => Status::NoTrend,
        (Some(_), Direction::Keep) => match y0 {
            Some(y0) if t0e < e => {
                if (latest.value - y0).abs() <= KEEP_TOLERANCE * y0.abs() {
                    Status::OnTrack
                } else {
                    Status::Regressing
                }
            }
            _ => Status::NoTrend,
        },
        (Some(s), Direction::Up) if s > 0.0 => Status::OnTrack,
        (Some(s), Direction::Down) if s < 0.0 => Status::OnTrack,
        (Some(_), _) => Status::Regressing,
    };
    out
}
