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

mod explain;
pub mod numfmt;
pub mod report;
mod series;
mod status;
mod target;

#[cfg(test)]
mod tests;

pub use explain::explain;
pub use series::{Observation, Series, SeriesAt, SeriesError};
pub use status::{Status, Warning, Warnings};
pub use target::{DirectionEvaluation, Evaluation, TargetSpec, evaluate, evaluate_direction, met};

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
