//! Maps `kind|name` lines from a file: `cargo run --example try_names FILE`.

use planwatch_catalog::Catalog;
use planwatch_catalog::mapping::{Query, map};
use planwatch_core::PlanKind;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let catalog = Catalog::shipped()?;
    for path in std::env::args().skip(1) {
        for line in std::fs::read_to_string(&path)?.lines() {
            let Some((kind, name)) = line.split_once('|') else {
                continue;
            };
            let Some(kind) = PlanKind::parse(kind) else {
                continue;
            };
            let m = map(
                &catalog,
                &Query {
                    indicator: name,
                    unit: None,
                    kind,
                    domain: None,
                },
            );
            println!(
                "{name} → {} {} {:.2}",
                m.map_or("—", |m| m.indicator.code.as_str()),
                m.map_or("", |m| m.indicator.name.as_str()),
                m.map_or(0.0, |m| m.confidence)
            );
        }
    }
    Ok(())
}
