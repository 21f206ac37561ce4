//! Rules about Chinese plan language, each a small tested unit.
//!
//! Invariant: pure functions over `&str`/`&[char]`; no I/O, no panics on any input.
//! Folding is char-for-char, so a char index into folded text is a char index into the
//! original: extraction matches on folded text and quotes the original.

pub mod comparator;
pub mod fold;
pub mod number;
pub mod unit;
pub mod year;

pub use comparator::{Verb, VerbKind};
pub use fold::{fold, fold_char};
pub use number::{Quantity, parse_quantity_at};
pub use year::{YearMention, find_years};
