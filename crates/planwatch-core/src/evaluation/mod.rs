//! Judging targets against observations: the method of `shared/spec/evaluation.md`.
//!
//! The flow: a [`Series`] holds one (region, indicator)'s observations, sorted by year;
//! [`Series::at`] fixes the report year `R` and computes what the series alone decides
//! (the evaluation year `e`, W_VOLATILE, W_MISSING); [`evaluate`] judges one
//! [`TargetSpec`] against it. Everything above (the monitoring table, mid-term and final
//! evaluation, per-unit summaries, sub-region comparison) is built from those results in
//! [`report`]; [`explain`] turns one result into a Chinese sentence.
//!
//! Pure: no I/O, no panics on input. Float arithmetic is written in the order the spec
//! writes it, so an independent implementation gets the same bits.
//!
//! # Readings of the spec where it leaves room
//! - "A baseline with `t0 >= e` is no baseline for the ratios": both `expected` and
//!   `progress_ratio` are undefined then (`expected` is the time ratio `(e-t0)/(T-t0)`).
//! - With `t0 > e` the slope's range `min(t0, e) <= t <= e` is the single year `e`: the
//!   target is `no_trend` unless it is achieved or missed.
//! - A named baseline year with neither an observation (up to `R`) nor a stated value
//!   keeps `t0` (it starts the slope's range and is printed) but has no `y0`: the ratios
//!   are undefined and there is no extra point.
//! - A stated baseline value without a baseline year is ignored: the target "names" no
//!   baseline, so the earliest observation is taken.
//! - Observations after `R` are ignored everywhere, the baseline look-up included.
//! - "Toward the target": the slope and `v - latest` are both non-zero and of one sign; a
//!   flat slope, or a latest value equal to `v` (a strict `>`/`<` target), is not.
//! - W_MISSING is also set on `no_data` rows (they have no value for `R` either).
//! - Qualitative `keep` needs a baseline before `e`; `up`/`down` with a flat slope is
//!   `regressing` (not the direction).
//! - Mid-term/final 达标 is `met(latest)` with the latest value up to `R`, even when it is
//!   from an earlier year than `R`.
//! - Ties: every comparison against a threshold goes through [`met`], whose tolerance is
//!   `1e-9 * max(1, |threshold|)` (the spec's "tolerance 1e-9, as for `met`" read with the
//!   scale rule of `met`). For the ratio thresholds 0.5 and 0 that is 1e-9 either way, so
//!   the three trajectory statuses split the ratios without gap or overlap:
//!   `needs_acceleration` from `0.5 - 1e-9` on, `off_track` from `-1e-9` up to below
//!   `0.5 - 1e-9`, `regressing` below `-1e-9`.
//! - The tolerance scales with the threshold (`v`, 0.5, 0), never with the value judged,
//!   so it cannot grow with a runaway projection.
//! - W_VOLATILE's "a MAD of at most `1e-9 * max(1, |y_{e-1}|)`" uses the same function
//!   with `y_{e-1}` as the scale; such a MAD takes the rule for a MAD of 0.

pub mod above;
mod explain;
pub mod glossary;
pub mod levels;
pub mod monitor;
pub mod numfmt;
pub mod once;
pub mod overview;
pub mod report;
mod series;
mod status;
mod target;

#[cfg(test)]
mod tests;

pub use explain::{explain, goal_zh, readable, readable_with_unit, with_unit};
pub use monitor::{KeyedObservation, KeyedTarget, MonitorError, monitor};
pub use once::{Precision, SameTarget, Shown, decimals_of, monitored_groups, plans_zh, shown};
pub use series::{Observation, Series, SeriesAt, SeriesError};
pub use status::{Status, Warning, Warnings};
pub use target::{
    DirectionEvaluation, Evaluation, TargetSpec, evaluate, evaluate_direction, met, tolerance,
};

/// A series whose latest observation is `R - 5` or older has no data.
pub const STALE_AFTER_YEARS: i32 = 5;
/// `needs_acceleration` from this progress ratio on.
pub const ACCELERATION_RATIO: f64 = 0.5;
/// W_VOLATILE: robust z-score threshold and the MAD consistency constant.
pub const VOLATILE_Z: f64 = 3.5;
pub const MAD_SCALE: f64 = 1.4826;
/// W_VOLATILE when the MAD is 0: relative jump against the previous value.
pub const VOLATILE_FLAT_SHARE: f64 = 0.1;
/// A `keep` direction target holds while the latest value is within 2% of the baseline.
pub const KEEP_TOLERANCE: f64 = 0.02;
