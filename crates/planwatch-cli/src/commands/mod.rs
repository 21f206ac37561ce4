//! One module per subcommand group.

pub mod evaluate;
pub mod plan;
pub mod synth;
