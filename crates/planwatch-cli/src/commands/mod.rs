//! One module per subcommand group.

pub mod backup;
pub mod data;
pub mod db;
pub mod evaluate;
pub mod indicator;
pub mod plan;
pub mod plan_map;
pub mod region;
pub mod report;
pub mod serve;
pub mod synth;
pub mod target;
pub mod user;
