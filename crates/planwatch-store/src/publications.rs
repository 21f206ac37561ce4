//! Published reports (发布机制): a report the office publishes is frozen as the JSON of its
//! [`Report`] and kept under a stable id; the public pages and the open data are rendered
//! from that JSON, never from the live data.
//!
//! Invariants every implementation keeps (the story test in `story_publications` checks
//! them):
//! - a publication never changes: nothing updates or deletes its row (triggers refuse it on
//!   both databases), so later data changes do not reach it;
//! - publishing a report (region, year, kind) again adds version N+1 with a new id, and the
//!   older versions stay at their addresses;
//! - a publication and its audit line (`AuditAction::Published`, in the region's log) are
//!   written in one transaction.

use crate::StoreError;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use planwatch_core::reporting::{Report, ReportKind};

/// What an office publishes.
#[derive(Debug, Clone, PartialEq)]
pub struct NewPublication<'a> {
    pub region_id: i64,
    pub year: i32,
    pub kind: ReportKind,
    pub title: &'a str,
    /// The report as built, serialised ([`NewPublication::json_of`]).
    pub report_json: &'a str,
    pub by: &'a str,
    /// Why it is published (again); optional.
    pub why: Option<&'a str>,
}

impl NewPublication<'_> {
    /// The JSON a publication freezes.
    pub fn json_of(report: &Report) -> Result<String, StoreError> {
        serde_json::to_string(report)
            .map_err(|e| StoreError::EditRefused(format!("报告无法保存：{e}")))
    }
}

/// A published report without its body: what lists show.
#[derive(Debug, Clone, PartialEq)]
pub struct PublicationSummary {
    pub id: i64,
    pub region_id: i64,
    pub region_name: String,
    /// `广东省/河源市/连平县`.
    pub region_path: String,
    pub year: i32,
    pub kind: ReportKind,
    /// 1, 2, … per region, year and kind.
    pub version: i64,
    pub title: String,
    pub published_at: DateTime<Utc>,
    pub published_by: String,
    pub why: Option<String>,
}

/// A published report with its frozen body.
#[derive(Debug, Clone, PartialEq)]
pub struct Publication {
    pub summary: PublicationSummary,
    pub report_json: String,
}

impl Publication {
    /// The report as it was published. A body that no longer reads is reported as a
    /// damaged database, never replaced by live data.
    pub fn report(&self) -> Result<Report, StoreError> {
        serde_json::from_str(&self.report_json).map_err(|e| {
            StoreError::Corrupt(format!(
                "已发布报告（编号 {}）的内容无法读取：{e}",
                self.summary.id
            ))
        })
    }
}

/// The publications' side of the monitoring database.
#[async_trait]
pub trait Publications: Send + Sync {
    /// Stores a report as the next version of its (region, year, kind), with its audit
    /// line, in one write transaction.
    async fn publish(&self, publication: &NewPublication<'_>) -> Result<Publication, StoreError>;

    /// Every publication (of one region when given), newest first, without bodies.
    async fn publications(
        &self,
        region_id: Option<i64>,
    ) -> Result<Vec<PublicationSummary>, StoreError>;

    /// One publication with its body; `None` when there is none with that id.
    async fn publication(&self, id: i64) -> Result<Option<Publication>, StoreError>;

    /// One version of a region's report of a kind and year.
    async fn publication_version(
        &self,
        region_id: i64,
        year: i32,
        kind: ReportKind,
        version: i64,
    ) -> Result<Option<Publication>, StoreError>;
}
