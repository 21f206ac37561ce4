//! The annual reporting round as the database keeps it: a region's round per year, each
//! member unit's submission with its values as entered, and every change of such a value.
//! What a state allows and what a form holds is `planwatch_core::round`; this module
//! stores and moves them.
//!
//! Invariants every implementation keeps (the story test in `story_rounds` checks them):
//! - every change of a value (draft, submission, review) appends a line to
//!   [`ValueChange`]s with who, when, old, new, why and the channel; nothing updates or
//!   deletes those lines;
//! - a save names the submission version it was based on; a save based on an older one is
//!   refused ([`StoreError::SubmissionChanged`]), never merged silently;
//! - only approval writes into the monitoring data (`observations`), in the same
//!   transaction, audited with the channel `review`;
//! - every write is one transaction: refused, it leaves nothing.

use crate::StoreError;
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use planwatch_core::round::{Channel, Entry, RoundState, SubmissionState, Window};
use std::collections::BTreeMap;

/// A region's reporting round for one year.
#[derive(Debug, Clone, PartialEq)]
pub struct RoundRow {
    pub id: i64,
    pub region_id: i64,
    pub year: i32,
    pub opens_on: NaiveDate,
    pub closes_on: NaiveDate,
    pub state: RoundState,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub changed_at: DateTime<Utc>,
    pub changed_by: String,
    /// Why it was last closed, reopened or given new dates.
    pub why: Option<String>,
}

impl RoundRow {
    pub fn window(&self) -> Window {
        Window {
            opens_on: self.opens_on,
            closes_on: self.closes_on,
            state: self.state,
        }
    }
}

/// A new round.
#[derive(Debug, Clone, PartialEq)]
pub struct NewRound {
    pub region_id: i64,
    pub year: i32,
    pub opens_on: NaiveDate,
    pub closes_on: NaiveDate,
}

/// A change of a round: its state and dates, with why.
#[derive(Debug, Clone, PartialEq)]
pub struct RoundChange {
    pub state: RoundState,
    pub opens_on: NaiveDate,
    pub closes_on: NaiveDate,
    pub why: String,
}

/// One member unit's submission in a round, without its values.
#[derive(Debug, Clone, PartialEq)]
pub struct SubmissionRow {
    pub id: i64,
    pub round_id: i64,
    pub unit_id: i64,
    pub state: SubmissionState,
    pub version: i64,
    pub saved_at: DateTime<Utc>,
    pub saved_by: String,
    pub submitted_at: Option<DateTime<Utc>>,
    pub submitted_by: Option<String>,
    pub late: bool,
    pub reviewed_at: Option<DateTime<Utc>>,
    pub reviewed_by: Option<String>,
    pub review_comment: Option<String>,
    pub approved_at: Option<DateTime<Utc>>,
    pub reopen_reason: Option<String>,
}

/// One stored value of a submission.
#[derive(Debug, Clone, PartialEq)]
pub struct SubmissionValue {
    pub key: String,
    /// `""` for the total, else `numerator`, `denominator` or `性别:女`.
    pub part: String,
    pub value: Option<f64>,
    pub explanation: Option<String>,
    /// The reviewer's comment when the value was returned.
    pub comment: Option<String>,
    /// The value when the submission was last approved.
    pub approved_value: Option<f64>,
}

/// A submission with its values.
#[derive(Debug, Clone, PartialEq)]
pub struct Submission {
    pub row: SubmissionRow,
    pub values: Vec<SubmissionValue>,
}

impl Submission {
    /// The values as entries by indicator key.
    pub fn entries(&self) -> BTreeMap<String, Entry> {
        let mut out: BTreeMap<String, Entry> = BTreeMap::new();
        for v in &self.values {
            let entry = out.entry(v.key.clone()).or_default();
            if v.part.is_empty() {
                entry.value = v.value;
                entry.explanation = v.explanation.clone();
            } else if let Some(value) = v.value {
                entry.parts.insert(v.part.clone(), value);
            }
        }
        out.retain(|_, e| !e.is_empty());
        out
    }

    /// The reviewer's comments by indicator key.
    pub fn comments(&self) -> BTreeMap<String, String> {
        self.values
            .iter()
            .filter(|v| v.part.is_empty())
            .filter_map(|v| v.comment.clone().map(|c| (v.key.clone(), c)))
            .collect()
    }

    /// The totals changed since the last approval (none before the first).
    pub fn changed_since_approval(&self) -> Vec<String> {
        if self.row.approved_at.is_none() {
            return Vec::new();
        }
        self.values
            .iter()
            .filter(|v| v.part.is_empty() && v.value != v.approved_value)
            .map(|v| v.key.clone())
            .collect()
    }
}

/// A save of a unit's values, perhaps with its submission.
#[derive(Debug, Clone, PartialEq)]
pub struct Save<'a> {
    pub round_id: i64,
    pub unit_id: i64,
    /// The submission version the values were based on; `None` when the unit had not
    /// saved anything yet. A save based on another version is refused.
    pub based_on: Option<i64>,
    /// The entries by indicator key; a key not given keeps what is stored, an empty entry
    /// clears it.
    pub entries: &'a BTreeMap<String, Entry>,
    pub channel: Channel,
    pub by: &'a str,
    /// Submit as well (after the caller checked the whole form).
    pub submit: bool,
    /// The submission is late (after the closing date).
    pub late: bool,
}

/// What the bureau decided.
#[derive(Debug, Clone, PartialEq)]
pub enum Review {
    /// The values enter the monitoring data, marked with `source`.
    Approve { source: String },
    /// Back to the unit with a comment on the whole and/or per indicator key.
    Return {
        comment: Option<String>,
        per_value: BTreeMap<String, String>,
    },
    /// An approved submission opened again, with why; its values stay in the monitoring
    /// data until approved again.
    Reopen { reason: String },
}

/// One line of the values' audit trail.
#[derive(Debug, Clone, PartialEq)]
pub struct ValueChange {
    pub id: i64,
    pub submission_id: i64,
    pub region_id: i64,
    pub unit_id: i64,
    pub year: i32,
    pub key: String,
    pub part: String,
    pub old_value: Option<f64>,
    pub new_value: Option<f64>,
    pub old_explanation: Option<String>,
    pub new_explanation: Option<String>,
    pub channel: Channel,
    pub changed_at: DateTime<Utc>,
    pub changed_by: String,
    pub why: String,
}

/// Which value changes to read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ValueChangeFilter {
    pub unit_id: Option<i64>,
    pub key: Option<String>,
    pub year: Option<i32>,
    /// At most this many, newest first.
    pub limit: Option<i64>,
}

/// The rounds' side of the monitoring database.
#[async_trait]
pub trait Rounds: Send + Sync {
    /// Opens a region's round for a year (audited); refused when the region has one for
    /// that year already.
    async fn open_round(&self, round: &NewRound, by: &str) -> Result<RoundRow, StoreError>;
    /// Closes, reopens or moves a round (audited), if it is still at version `expected`.
    async fn change_round(
        &self,
        round_id: i64,
        expected: i64,
        change: &RoundChange,
        by: &str,
    ) -> Result<RoundRow, StoreError>;
    /// A region's rounds, latest year first.
    async fn rounds(&self, region_id: i64) -> Result<Vec<RoundRow>, StoreError>;
    async fn round(&self, region_id: i64, year: i32) -> Result<Option<RoundRow>, StoreError>;
    /// The rounds of a year of the regions whose path starts with `root` (the region's
    /// sub-regions and itself).
    async fn subtree_rounds(&self, root: &str, year: i32) -> Result<Vec<RoundRow>, StoreError>;

    /// Every submission of a round with its values, by unit id.
    async fn submissions(&self, round_id: i64) -> Result<Vec<Submission>, StoreError>;
    /// One unit's submission; `None` before it saved anything.
    async fn submission(
        &self,
        round_id: i64,
        unit_id: i64,
    ) -> Result<Option<Submission>, StoreError>;
    /// Saves (and with `submit` submits) a unit's values in one transaction, each changed
    /// value audited. Refused when the round does not take data today, the submission is
    /// not editable, or it changed since `based_on`.
    async fn save_submission(
        &self,
        save: &Save<'_>,
        today: NaiveDate,
    ) -> Result<Submission, StoreError>;
    /// Approves, returns or reopens a submission at version `expected` (audited);
    /// approval writes its totals into the monitoring data in the same transaction.
    async fn review_submission(
        &self,
        round_id: i64,
        unit_id: i64,
        expected: i64,
        review: &Review,
        by: &str,
    ) -> Result<Submission, StoreError>;
    /// The values' audit trail of a region, newest first.
    async fn value_changes(
        &self,
        region_id: i64,
        filter: &ValueChangeFilter,
    ) -> Result<Vec<ValueChange>, StoreError>;
}
