//! Rules about Chinese plan language, each a small tested unit.
//!
//! Invariant: pure functions over `&str`; no I/O, no panics on any input.
