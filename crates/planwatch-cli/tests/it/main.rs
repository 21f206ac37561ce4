//! The `planwatch` binary as a person runs it.

mod backup;
mod data;
mod pipe;
mod plan_parse;
mod report;
mod review;
mod serve;
mod store;
mod support;
mod synth;
mod target;
mod target_check;
