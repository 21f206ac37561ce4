//! The reporting-round story ([`crate::rounds`]) every [`Store`] must tell the same way:
//! a round opened, a unit's drafts saved and a stale save refused, a submission returned
//! with comments, corrected and approved into the monitoring data, reopened with a reason,
//! and closing and reopening the round. Run on both databases by `tests/it`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::people::AuditAction;
use crate::rounds::{NewRound, Review, RoundChange, Save, ValueChangeFilter};
use crate::story_system::seeded;
use crate::{Store, StoreError};
use chrono::NaiveDate;
use planwatch_core::round::{Channel, Entry, RoundState, SubmissionState};
use std::collections::BTreeMap;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("date")
}

/// (indicator key, total, parts, explanation)
type Row<'a> = (&'a str, Option<f64>, &'a [(&'a str, f64)], Option<&'a str>);

fn entries(rows: &[Row<'_>]) -> BTreeMap<String, Entry> {
    rows.iter()
        .map(|(key, value, parts, explanation)| {
            (
                (*key).to_string(),
                Entry {
                    value: *value,
                    parts: parts.iter().map(|(p, v)| ((*p).to_string(), *v)).collect(),
                    explanation: explanation.map(str::to_string),
                },
            )
        })
        .collect()
}

/// The whole round for one unit, from opening to reopening an approved submission.
pub async fn round_lifecycle(store: &dyn Store) {
    let county = seeded(store, "连平县").await;
    let unit = store
        .add_member_unit(county.id, "卫健委", "王主任")
        .await
        .expect("unit");
    let round = store
        .open_round(
            &NewRound {
                region_id: county.id,
                year: 2024,
                opens_on: d(2025, 1, 10),
                closes_on: d(2025, 3, 31),
            },
            "office",
        )
        .await
        .expect("open");
    assert_eq!(
        (round.year, round.state, round.version),
        (2024, RoundState::Open, 1)
    );
    let again = store
        .open_round(
            &NewRound {
                region_id: county.id,
                year: 2024,
                opens_on: d(2025, 1, 10),
                closes_on: d(2025, 3, 31),
            },
            "office",
        )
        .await
        .expect_err("one round a year");
    assert!(
        matches!(&again, StoreError::EditRefused(m) if m.contains("已经开启")),
        "{again:?}"
    );
    let bad_dates = store
        .open_round(
            &NewRound {
                region_id: county.id,
                year: 2025,
                opens_on: d(2026, 3, 1),
                closes_on: d(2026, 2, 1),
            },
            "office",
        )
        .await
        .expect_err("closing before opening");
    assert!(matches!(bad_dates, StoreError::EditRefused(_)));
    assert_eq!(store.rounds(county.id).await.expect("rounds").len(), 1);

    let on_time = d(2025, 2, 1);
    // Before the opening date nothing is taken.
    let first = entries(&[("W-HEA-03", Some(8.2), &[], None)]);
    let early = store
        .save_submission(
            &Save {
                round_id: round.id,
                unit_id: unit,
                based_on: None,
                entries: &first,
                channel: Channel::Form,
                by: "wjw",
                submit: false,
                late: false,
            },
            d(2025, 1, 9),
        )
        .await
        .expect_err("not open yet");
    assert!(
        matches!(&early, StoreError::EditRefused(m) if m.contains("开始")),
        "{early:?}"
    );
    assert!(
        store
            .submission(round.id, unit)
            .await
            .expect("read")
            .is_none()
    );

    let saved = store
        .save_submission(
            &Save {
                round_id: round.id,
                unit_id: unit,
                based_on: None,
                entries: &first,
                channel: Channel::Form,
                by: "wjw",
                submit: false,
                late: false,
            },
            on_time,
        )
        .await
        .expect("draft");
    assert_eq!(saved.row.state, SubmissionState::Draft);
    assert_eq!(saved.entries(), first);

    // A second reporter who loaded the empty form saves over nothing: refused, told who.
    let other = entries(&[("W-HEA-03", Some(9.9), &[], None)]);
    let stale = store
        .save_submission(
            &Save {
                round_id: round.id,
                unit_id: unit,
                based_on: None,
                entries: &other,
                channel: Channel::Api,
                by: "wjw2",
                submit: false,
                late: false,
            },
            on_time,
        )
        .await
        .expect_err("stale");
    assert!(
        matches!(&stale, StoreError::SubmissionChanged { by, .. } if by == "wjw"),
        "{stale:?}"
    );
    let stale = store
        .save_submission(
            &Save {
                round_id: round.id,
                unit_id: unit,
                based_on: Some(saved.row.version - 1),
                entries: &other,
                channel: Channel::Api,
                by: "wjw2",
                submit: false,
                late: false,
            },
            on_time,
        )
        .await
        .expect_err("stale");
    assert!(matches!(stale, StoreError::SubmissionChanged { .. }));
    assert_eq!(
        store
            .submission(round.id, unit)
            .await
            .expect("read")
            .expect("saved")
            .entries(),
        first,
        "nothing of a refused save is stored"
    );

    // The same unit adds the second indicator with a breakdown, and submits.
    let full = entries(&[
        ("W-HEA-03", Some(8.4), &[], Some("新增两家产科")),
        (
            "C-HEA-02",
            Some(3.1),
            &[("城乡:城镇", 2.8), ("城乡:农村", 3.4)],
            None,
        ),
    ]);
    let submitted = store
        .save_submission(
            &Save {
                round_id: round.id,
                unit_id: unit,
                based_on: Some(saved.row.version),
                entries: &full,
                channel: Channel::Upload,
                by: "wjw",
                submit: true,
                late: false,
            },
            on_time,
        )
        .await
        .expect("submit");
    assert_eq!(submitted.row.state, SubmissionState::Submitted);
    assert_eq!(submitted.entries(), full);
    assert_eq!(submitted.row.submitted_by.as_deref(), Some("wjw"));
    assert!(!submitted.row.late);
    // Submitted: the unit can no longer change it.
    let locked = store
        .save_submission(
            &Save {
                round_id: round.id,
                unit_id: unit,
                based_on: Some(submitted.row.version),
                entries: &first,
                channel: Channel::Form,
                by: "wjw",
                submit: false,
                late: false,
            },
            on_time,
        )
        .await
        .expect_err("submitted");
    assert!(matches!(&locked, StoreError::EditRefused(m) if m.contains("等待统计局审核")));

    // The bureau returns one value with a comment; nothing enters the monitoring data.
    let no_reason = store
        .review_submission(
            round.id,
            unit,
            submitted.row.version,
            &Review::Return {
                comment: Some("  ".into()),
                per_value: BTreeMap::new(),
            },
            "tjj",
        )
        .await
        .expect_err("a return needs a reason");
    assert!(matches!(no_reason, StoreError::EditRefused(_)));
    let returned = store
        .review_submission(
            round.id,
            unit,
            submitted.row.version,
            &Review::Return {
                comment: None,
                per_value: [("W-HEA-03".to_string(), "与妇幼年报不符，请核对".to_string())].into(),
            },
            "tjj",
        )
        .await
        .expect("return");
    assert_eq!(returned.row.state, SubmissionState::Returned);
    assert_eq!(
        returned.comments().get("W-HEA-03").map(String::as_str),
        Some("与妇幼年报不符，请核对")
    );
    assert!(store.observations(county.id).await.expect("obs").is_empty());

    // Corrected (the breakdown dropped) and submitted again; the comments go.
    let corrected = entries(&[
        ("W-HEA-03", Some(8.2), &[], Some("新增两家产科")),
        ("C-HEA-02", Some(3.1), &[], None),
    ]);
    let resubmitted = store
        .save_submission(
            &Save {
                round_id: round.id,
                unit_id: unit,
                based_on: Some(returned.row.version),
                entries: &corrected,
                channel: Channel::Form,
                by: "wjw",
                submit: true,
                late: false,
            },
            on_time,
        )
        .await
        .expect("resubmit");
    assert_eq!(resubmitted.entries(), corrected);
    assert!(resubmitted.comments().is_empty());

    let approved = store
        .review_submission(
            round.id,
            unit,
            resubmitted.row.version,
            &Review::Approve {
                source: "卫健委年度报送".into(),
            },
            "tjj",
        )
        .await
        .expect("approve");
    assert_eq!(approved.row.state, SubmissionState::Approved);
    assert!(approved.changed_since_approval().is_empty());
    let obs = store.observations(county.id).await.expect("obs");
    let got: Vec<(&str, i32, f64)> = obs
        .iter()
        .map(|o| (o.indicator_key.as_str(), o.year, o.value))
        .collect();
    assert_eq!(got, vec![("C-HEA-02", 2024, 3.1), ("W-HEA-03", 2024, 8.2)]);
    assert!(obs.iter().all(|o| o.source == "卫健委年度报送" && !o.demo));
    let history = store
        .observation_history(county.id, Some("W-HEA-03"))
        .await
        .expect("history");
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].channel, Channel::Review);
    assert_eq!(history[0].changed_by, "tjj");

    // Every change of a value is in the trail with its channel.
    let trail = store
        .value_changes(
            county.id,
            &ValueChangeFilter {
                key: Some("W-HEA-03".into()),
                ..Default::default()
            },
        )
        .await
        .expect("trail");
    let totals: Vec<(Option<f64>, Option<f64>, Channel)> = trail
        .iter()
        .filter(|c| c.part.is_empty())
        .map(|c| (c.old_value, c.new_value, c.channel))
        .collect();
    assert_eq!(
        totals,
        vec![
            (Some(8.4), Some(8.2), Channel::Form),
            (Some(8.2), Some(8.4), Channel::Upload),
            (None, Some(8.2), Channel::Form),
        ]
    );
    let dropped = store
        .value_changes(
            county.id,
            &ValueChangeFilter {
                unit_id: Some(unit),
                key: Some("C-HEA-02".into()),
                year: Some(2024),
                limit: None,
            },
        )
        .await
        .expect("trail");
    assert!(
        dropped
            .iter()
            .any(|c| c.part == "城乡:农村" && c.old_value == Some(3.4) && c.new_value.is_none())
    );

    // Approved is locked; reopening needs a reason and is counted against the approval.
    let locked = store
        .save_submission(
            &Save {
                round_id: round.id,
                unit_id: unit,
                based_on: Some(approved.row.version),
                entries: &first,
                channel: Channel::Form,
                by: "wjw",
                submit: false,
                late: false,
            },
            on_time,
        )
        .await
        .expect_err("approved");
    assert!(matches!(&locked, StoreError::EditRefused(m) if m.contains("锁定")));
    let no_reason = store
        .review_submission(
            round.id,
            unit,
            approved.row.version,
            &Review::Reopen { reason: " ".into() },
            "tjj",
        )
        .await
        .expect_err("reason");
    assert!(matches!(no_reason, StoreError::EditRefused(_)));
    let reopened = store
        .review_submission(
            round.id,
            unit,
            approved.row.version,
            &Review::Reopen {
                reason: "卫健委更正了年报".into(),
            },
            "tjj",
        )
        .await
        .expect("reopen");
    assert_eq!(reopened.row.state, SubmissionState::Returned);
    assert_eq!(
        reopened.row.reopen_reason.as_deref(),
        Some("卫健委更正了年报")
    );
    let changed = store
        .save_submission(
            &Save {
                round_id: round.id,
                unit_id: unit,
                based_on: Some(reopened.row.version),
                entries: &entries(&[("W-HEA-03", Some(8.0), &[], Some("年报更正"))]),
                channel: Channel::Form,
                by: "wjw",
                submit: false,
                late: false,
            },
            on_time,
        )
        .await
        .expect("change after reopening");
    assert_eq!(
        changed.changed_since_approval(),
        vec!["W-HEA-03".to_string()]
    );
    // The approved value stays the monitoring data until approved again.
    let obs = store.observations(county.id).await.expect("obs");
    assert!(
        obs.iter()
            .any(|o| o.indicator_key == "W-HEA-03" && o.value == 8.2)
    );

    // After the closing date: refused until reopened, then marked late by the caller.
    let after = d(2025, 4, 2);
    let overdue = store
        .save_submission(
            &Save {
                round_id: round.id,
                unit_id: unit,
                based_on: Some(changed.row.version),
                entries: &first,
                channel: Channel::Form,
                by: "wjw",
                submit: true,
                late: true,
            },
            after,
        )
        .await
        .expect_err("overdue");
    assert!(
        matches!(&overdue, StoreError::EditRefused(m) if m.contains("截止")),
        "{overdue:?}"
    );
    let closed = store
        .change_round(
            round.id,
            round.version,
            &RoundChange {
                state: RoundState::Closed,
                opens_on: round.opens_on,
                closes_on: round.closes_on,
                why: "年报汇总".into(),
            },
            "office",
        )
        .await
        .expect("close");
    assert_eq!((closed.state, closed.version), (RoundState::Closed, 2));
    let stale_round = store
        .change_round(
            round.id,
            round.version,
            &RoundChange {
                state: RoundState::Reopened,
                opens_on: round.opens_on,
                closes_on: round.closes_on,
                why: "补报".into(),
            },
            "office",
        )
        .await
        .expect_err("stale round version");
    assert!(matches!(stale_round, StoreError::EditRefused(_)));
    let reopened_round = store
        .change_round(
            round.id,
            closed.version,
            &RoundChange {
                state: RoundState::Reopened,
                opens_on: round.opens_on,
                closes_on: round.closes_on,
                why: "卫健委补报".into(),
            },
            "office",
        )
        .await
        .expect("reopen round");
    assert_eq!(reopened_round.why.as_deref(), Some("卫健委补报"));
    let late = store
        .save_submission(
            &Save {
                round_id: round.id,
                unit_id: unit,
                based_on: Some(changed.row.version),
                entries: &BTreeMap::new(),
                channel: Channel::Form,
                by: "wjw",
                submit: true,
                late: true,
            },
            after,
        )
        .await
        .expect("late submission");
    assert!(late.row.late);
    assert_eq!(late.row.state, SubmissionState::Submitted);

    let all = store.submissions(round.id).await.expect("all");
    assert_eq!(all.len(), 1);
    assert_eq!(all[0], late);
    let found = store
        .round(county.id, 2024)
        .await
        .expect("round")
        .expect("exists");
    assert_eq!(found, reopened_round);
    let below = store
        .subtree_rounds("广东省/河源市", 2024)
        .await
        .expect("subtree");
    assert_eq!(below, vec![reopened_round]);

    let audit = store.audit_log(Some(county.id), 100).await.expect("audit");
    let actions: Vec<AuditAction> = audit.iter().map(|e| e.action).collect();
    for action in [
        AuditAction::RoundOpened,
        AuditAction::RoundChanged,
        AuditAction::Submitted,
        AuditAction::Returned,
        AuditAction::Approved,
        AuditAction::SubmissionReopened,
    ] {
        assert!(actions.contains(&action), "{action:?} in {actions:?}");
    }
    let returned_line = audit
        .iter()
        .find(|e| e.action == AuditAction::Returned)
        .expect("returned");
    assert!(returned_line.detail.contains("与妇幼年报不符"));
}

/// A unit of another region cannot report in a round.
pub async fn other_regions_unit(store: &dyn Store) {
    let county = seeded(store, "连平县").await;
    let other = seeded(store, "和平县").await;
    let stranger = store
        .add_member_unit(other.id, "教育局", "王主任")
        .await
        .expect("unit");
    let round = store
        .open_round(
            &NewRound {
                region_id: county.id,
                year: 2024,
                opens_on: d(2025, 1, 1),
                closes_on: d(2025, 3, 31),
            },
            "office",
        )
        .await
        .expect("open");
    let values = entries(&[("W-HEA-03", Some(8.2), &[], None)]);
    let err = store
        .save_submission(
            &Save {
                round_id: round.id,
                unit_id: stranger,
                based_on: None,
                entries: &values,
                channel: Channel::Api,
                by: "x",
                submit: false,
                late: false,
            },
            d(2025, 2, 1),
        )
        .await
        .expect_err("other region's unit");
    assert!(matches!(err, StoreError::EditRefused(_)));
    assert!(store.submissions(round.id).await.expect("none").is_empty());
}

/// The round story, once per database.
#[macro_export]
macro_rules! round_story_tests {
    ($fresh:expr) => {
        #[tokio::test]
        async fn round_lifecycle() {
            let (store, _guard) = $fresh.await;
            $crate::story_rounds::round_lifecycle(&store).await;
        }
        #[tokio::test]
        async fn round_other_regions_unit() {
            let (store, _guard) = $fresh.await;
            $crate::story_rounds::other_regions_unit(&store).await;
        }
    };
}
