//! The `planwatch` binary as a person runs it.

mod backup;
mod data;
mod plan_parse;
mod store;
mod support;
mod target;
