//! The `planwatch` binary as a person runs it.

mod data;
mod plan_parse;
mod store;
mod support;
mod synth;
mod target;
