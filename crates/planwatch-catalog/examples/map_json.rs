//! Maps the targets of `planwatch plan parse` JSON output: `cargo run --example map_json FILE.json`.

use planwatch_catalog::Catalog;
use planwatch_catalog::mapping::{Query, map};
use planwatch_core::PlanDocument;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let catalog = Catalog::shipped()?;
    for path in std::env::args().skip(1) {
        let doc: PlanDocument = serde_json::from_str(&std::fs::read_to_string(&path)?)?;
        let (mut total, mut mapped) = (0, 0);
        for plan in &doc.plans {
            let items = plan
                .targets
                .iter()
                .map(|t| {
                    (
                        t.line,
                        t.section,
                        &t.indicator,
                        Some(t.unit.as_str()),
                        &t.domain,
                    )
                })
                .chain(
                    plan.qualitative
                        .iter()
                        .map(|t| (t.line, t.section, &t.indicator, None, &t.domain)),
                );
            for (line, section, indicator, unit, domain) in items {
                let m = map(
                    &catalog,
                    &Query {
                        indicator,
                        unit,
                        kind: plan.kind,
                        domain: Some(domain),
                    },
                );
                if section.as_str() == "main" {
                    total += 1;
                    mapped += usize::from(m.is_some());
                }
                println!(
                    "{line:>4} {:7} {:8} {indicator} → {} {} {:.2}",
                    section.as_str(),
                    plan.kind.as_str(),
                    m.map_or("—", |m| m.indicator.code.as_str()),
                    m.map_or("", |m| m.indicator.name.as_str()),
                    m.map_or(0.0, |m| m.confidence)
                );
            }
        }
        println!("{path}: main {mapped}/{total}");
    }
    Ok(())
}
