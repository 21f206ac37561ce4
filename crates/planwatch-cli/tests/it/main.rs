//! The `planwatch` binary as a person runs it.

mod store;
