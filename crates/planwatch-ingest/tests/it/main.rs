//! Integration tests of the plan reader, on the real plan documents in `assets/plans/`.

mod bad_input;
mod broken_copies;
mod formats;
mod gold;
mod hostile;
mod hostile_inputs;
mod made;
mod pdf;
mod plans;
mod properties;
mod snapshots;

use planwatch_core::{Plan, PlanDocument, PlanKind};
use std::path::PathBuf;

pub fn plan_path(prefix: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../assets/plans");
    let found = std::fs::read_dir(&dir)
        .ok()
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(prefix) && n.ends_with(".txt"))
        });
    found.unwrap_or_else(|| dir.join(format!("{prefix}-missing.txt")))
}

pub fn parse(prefix: &str) -> PlanDocument {
    match planwatch_ingest::parse_file(&plan_path(prefix)) {
        Ok((_, doc)) => doc,
        Err(e) => panic!("{prefix}: {e}"),
    }
}

pub fn plan(doc: &PlanDocument, kind: PlanKind) -> &Plan {
    doc.plans
        .iter()
        .find(|p| p.kind == kind)
        .unwrap_or_else(|| panic!("no {kind:?} plan"))
}
