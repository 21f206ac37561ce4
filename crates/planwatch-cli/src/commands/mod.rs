//! One module per subcommand group.

pub mod db;
pub mod evaluate;
pub mod plan;
pub mod region;
pub mod serve;
pub mod synth;
