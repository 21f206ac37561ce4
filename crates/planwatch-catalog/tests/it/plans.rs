//! The four sample plans (`assets/plans/`), read by the plan reader and mapped onto the
//! catalog: coverage of main targets, and the whole unmapped list per plan.

use planwatch_catalog::Catalog;
use planwatch_catalog::mapping::{Query, map, map_compound};
use planwatch_core::{PlanKind, Section};
use std::path::PathBuf;

struct Row {
    line: u32,
    section: Section,
    kind: PlanKind,
    indicator: String,
    code: Option<String>,
    name: Option<String>,
    confidence: f64,
    /// Codes of the parts when the indicator is an unsplit enumeration.
    parts: Vec<String>,
}

fn plan_path(file: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../assets/plans")
        .join(file)
}

fn map_plan(file: &str) -> Vec<Row> {
    let catalog = Catalog::shipped().unwrap_or_else(|e| panic!("{e}"));
    let (_, doc) = planwatch_ingest::parse_file(&plan_path(file)).unwrap_or_else(|e| panic!("{e}"));
    let mut rows = Vec::new();
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
            let q = Query {
                indicator,
                unit,
                kind: plan.kind,
                domain: Some(domain),
            };
            let m = map(&catalog, &q);
            let parts = match m {
                Some(_) => vec![],
                None => map_compound(&catalog, &q)
                    .unwrap_or_default()
                    .iter()
                    .map(|p| p.mapping.indicator.code.clone())
                    .collect(),
            };
            rows.push(Row {
                line,
                section,
                kind: plan.kind,
                indicator: indicator.clone(),
                code: m.map(|m| m.indicator.code.clone()),
                name: m.map(|m| m.indicator.name.clone()),
                confidence: m.map_or(0.0, |m| m.confidence),
                parts,
            });
        }
    }
    rows.sort_by_key(|r| r.line);
    rows
}

/// Coverage of one plan file's main targets.
struct Coverage {
    total: usize,
    /// Mapped to one code.
    mapped: usize,
    /// Unsplit enumerations whose every part maps (line:indicator → codes).
    compound: Vec<String>,
    /// Neither: region-local indicators for review (line:indicator).
    unmapped: Vec<String>,
}

/// Maps a plan file, prints every mapping and the coverage figures.
fn coverage(file: &str) -> Coverage {
    let rows = map_plan(file);
    for r in &rows {
        let code = match (&r.code, r.parts.is_empty()) {
            (Some(c), _) => c.clone(),
            (None, false) => r.parts.join("+"),
            (None, true) => "—".into(),
        };
        println!(
            "{:>4} {:7} {:8} {} → {code} {} {:.2}",
            r.line,
            r.section.as_str(),
            r.kind.as_str(),
            r.indicator,
            r.name.as_deref().unwrap_or(""),
            r.confidence
        );
    }
    let main: Vec<&Row> = rows.iter().filter(|r| r.section == Section::Main).collect();
    let cov = Coverage {
        total: main.len(),
        mapped: main.iter().filter(|r| r.code.is_some()).count(),
        compound: main
            .iter()
            .filter(|r| r.code.is_none() && !r.parts.is_empty())
            .map(|r| format!("{}:{} → {}", r.line, r.indicator, r.parts.join("+")))
            .collect(),
        unmapped: main
            .iter()
            .filter(|r| r.code.is_none() && r.parts.is_empty())
            .map(|r| format!("{}:{}", r.line, r.indicator))
            .collect(),
    };
    let all_mapped = rows.iter().filter(|r| r.code.is_some()).count();
    println!(
        "{file}: main targets {} — mapped {} ({:.1}%), unsplit enumerations with every part mapped {}, \
         unmapped {}; all targets incl. measures: {all_mapped}/{} mapped",
        cov.total,
        cov.mapped,
        100.0 * cov.mapped as f64 / cov.total.max(1) as f64,
        cov.compound.len(),
        cov.unmapped.len(),
        rows.len()
    );
    println!(
        "compound: {:#?}\nunmapped: {:#?}",
        cov.compound, cov.unmapped
    );
    cov
}

/// At least 95% of the main targets name a catalog indicator (alone, or as every part of
/// an enumeration the reader left unsplit).
fn assert_coverage(cov: &Coverage) {
    let named = cov.mapped + cov.compound.len();
    assert!(
        named * 100 >= cov.total * 95,
        "only {named} of {} main targets map: {:#?}",
        cov.total,
        cov.unmapped
    );
}

#[test]
fn lianping() {
    let cov = coverage("000_899738eeea2834b6.txt");
    assert_coverage(&cov);
}

#[test]
fn shizhu() {
    let cov = coverage("002_783e6206471bd0e6.txt");
    assert_coverage(&cov);
}

#[test]
fn lishui() {
    let cov = coverage("003_49819e7a68b52bdf.txt");
    assert_coverage(&cov);
}

#[test]
fn zengdu() {
    let cov = coverage("004_f195922d897a1781.txt");
    assert_coverage(&cov);
}
