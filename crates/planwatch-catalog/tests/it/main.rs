//! Integration tests of planwatch-catalog: the shipped catalog, the loader's checks,
//! and the mapping of real plans' indicator names.

mod loader;
mod mapping;
mod outlines;
mod plans;
mod propose;
mod robust;
