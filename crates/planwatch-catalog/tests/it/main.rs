//! Integration tests of planwatch-catalog: the shipped catalog, the loader's checks,
//! and the mapping of real plans' indicator names.

mod loader;
mod mapping;
mod plans;
mod propose;
mod robust;
