//! The types that cross the [`crate::Store`] interface.

use chrono::{DateTime, Utc};
use planwatch_core::{Level, Plan, PlanKind};
use sha2::{Digest, Sha256};
use std::fmt::Write;

/// A region as stored: its own name and the path of names from the province down.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionRow {
    pub id: i64,
    pub name: String,
    /// "广东省/河源市/连平县": unique; the region's identity.
    pub path: String,
    /// Known for regions that issued a document; `None` for a parent only named by one.
    pub level: Option<Level>,
    pub parent_id: Option<i64>,
    /// Plans this region itself issued (not its sub-regions').
    pub plan_count: i64,
    /// Made by the demo or `synth` (演示地区), not by importing a plan of its own.
    pub generated: bool,
}

impl RegionRow {
    /// The enclosing regions from the top, as in `PlanDocument::parents`.
    pub fn parents(&self) -> Vec<String> {
        let mut parts: Vec<String> = self.path.split('/').map(str::to_string).collect();
        parts.pop();
        parts
    }

    /// How many regions enclose this one.
    pub fn depth(&self) -> usize {
        self.path.matches('/').count()
    }
}

/// A document's source text as it was read: kept so that every target can be shown at its
/// line, and hashed so that importing the same document twice is noticed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceDoc {
    /// The file name the user gave (for display only; not part of the identity).
    pub name: String,
    pub lines: Vec<String>,
}

impl SourceDoc {
    pub fn new(name: impl Into<String>, lines: Vec<String>) -> SourceDoc {
        SourceDoc {
            name: name.into(),
            lines,
        }
    }

    /// SHA-256 of the lines joined by '\n', in lowercase hex.
    pub fn sha256(&self) -> String {
        let mut hasher = Sha256::new();
        for (i, line) in self.lines.iter().enumerate() {
            if i > 0 {
                hasher.update(b"\n");
            }
            hasher.update(line.as_bytes());
        }
        hex(&hasher.finalize())
    }
}

/// The identity of one version of a plan: its source document and what was read from it.
/// Equal hashes mean re-importing changes nothing; a revised document or a better reading
/// of the same document gives a new version.
pub fn plan_content_hash(source_sha256: &str, plan: &Plan) -> String {
    let mut hasher = Sha256::new();
    hasher.update(source_sha256.as_bytes());
    hasher.update(b"\n");
    // Serialising our own plain data types cannot fail; an empty string would still give a
    // stable (if less discriminating) hash.
    hasher.update(serde_json::to_string(plan).unwrap_or_default().as_bytes());
    hex(&hasher.finalize())
}

fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// What an import did to one plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportOutcome {
    /// Stored as this version (1 for a new plan).
    Stored { version: u32 },
    /// Equal to its latest version: nothing written.
    Unchanged { version: u32 },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanOutcome {
    pub kind: PlanKind,
    pub title: String,
    pub outcome: ImportOutcome,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportReport {
    pub region_path: String,
    pub region_id: i64,
    pub plans: Vec<PlanOutcome>,
    /// Targets added to the region's indicator system in the same transaction.
    pub seeded: usize,
    /// Of those, how many the catalog could not map (region-local indicators).
    pub seeded_local: usize,
}

impl ImportReport {
    /// True when the import wrote nothing.
    pub fn unchanged(&self) -> bool {
        self.seeded == 0
            && self
                .plans
                .iter()
                .all(|p| matches!(p.outcome, ImportOutcome::Unchanged { .. }))
    }
}

/// One stored version of a plan, without its content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanVersionInfo {
    pub version: u32,
    pub title: String,
    pub imported_at: DateTime<Utc>,
    pub document_name: String,
    pub target_count: i64,
}

/// A plan of a region with all its versions (oldest first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanSummary {
    pub id: i64,
    pub region_id: i64,
    pub kind: PlanKind,
    pub period: [i32; 2],
    pub versions: Vec<PlanVersionInfo>,
}

impl PlanSummary {
    pub fn latest_version(&self) -> u32 {
        self.versions.last().map(|v| v.version).unwrap_or(0)
    }

    pub fn latest(&self) -> Option<&PlanVersionInfo> {
        self.versions.last()
    }
}

/// One version of a plan with its content.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredPlan {
    pub plan_id: i64,
    pub region_id: i64,
    pub version: u32,
    pub imported_at: DateTime<Utc>,
    pub document_id: i64,
    pub document_name: String,
    pub plan: Plan,
}

/// A plan's period, with its region: what a target's default baseline year (the year
/// before the period starts) comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlanPeriod {
    pub region_id: i64,
    pub plan_id: i64,
    pub kind: PlanKind,
    pub period: [i32; 2],
}

/// How many regions a subtree has and how often they were written ([`crate::Store::generation`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Generation {
    pub regions: i64,
    pub writes: i64,
    pub last_id: i64,
}
