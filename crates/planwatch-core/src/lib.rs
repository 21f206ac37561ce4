//! The domain of planwatch: what a development plan says (regions, plans, domains,
//! indicators, targets, baselines) and how its targets are judged.
//!
//! Invariant: this crate does no I/O and never panics on input. Storage, documents,
//! HTTP and the command line are adapters around it.

pub mod access;
pub mod demo;
pub mod evaluation;
pub mod gazetteer;
pub mod plan;
pub mod quality;
pub mod reporting;
pub mod round;

pub use plan::{
    Baseline, Comparator, Direction, Level, Plan, PlanDocument, PlanKind, QualitativeTarget,
    Section, Target,
};
