//! A region's indicator system as its page shows it: each live target linked to its
//! indicator's page, and the region-local ones listed for review.

use planwatch_store::system::{MappingState, SystemTarget};

pub struct SystemRow {
    pub kind: &'static str,
    pub indicator: String,
    pub code: String,
    /// `/indicators/{code}`; `None` for a region-local indicator.
    pub indicator_href: Option<String>,
    pub value: String,
    pub year: i32,
    pub owner: String,
    pub version: u32,
    pub domain: String,
    /// `id` of the first row of its domain (`d1`, `d2` …), for the page's contents.
    pub anchor: String,
}

/// Marks the first row of each domain and lists the domains with their anchors.
pub fn anchor_domains(rows: &mut [SystemRow]) -> Vec<(String, String)> {
    let mut seen: Vec<(&'static str, String)> = Vec::new();
    let mut out: Vec<(String, String)> = Vec::new();
    for r in rows.iter_mut() {
        if r.domain.is_empty() || seen.iter().any(|(k, d)| *k == r.kind && *d == r.domain) {
            continue;
        }
        seen.push((r.kind, r.domain.clone()));
        r.anchor = format!("d{}", out.len() + 1);
        out.push((r.anchor.clone(), r.domain.clone()));
    }
    out
}

fn row(t: &SystemTarget) -> SystemRow {
    let s = &t.state;
    SystemRow {
        kind: t.kind.label_zh(),
        indicator: s.indicator.clone(),
        code: s.code.clone().unwrap_or_default(),
        indicator_href: s.code.as_ref().map(|c| format!("/indicators/{c}")),
        value: crate::format::goal(s.comparator, s.value, &s.unit),
        year: s.year,
        owner: s.owner.clone().unwrap_or_default(),
        version: t.version,
        domain: s.domain.clone(),
        anchor: String::new(),
    }
}

/// The targets in use.
pub fn live(targets: &[SystemTarget]) -> Vec<SystemRow> {
    targets
        .iter()
        .filter(|t| !t.state.retired)
        .map(row)
        .collect()
}

/// The live region-local targets, awaiting review.
pub fn review(targets: &[SystemTarget]) -> Vec<SystemRow> {
    targets
        .iter()
        .filter(|t| !t.state.retired && t.state.mapping == MappingState::Local)
        .map(row)
        .collect()
}
