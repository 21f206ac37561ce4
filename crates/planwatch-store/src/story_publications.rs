//! The publication story ([`crate::publications`]) every [`Store`] must tell the same way: a
//! report published is frozen (the data change, the stored report does not), publishing it
//! again is version 2 under a new id while version 1 stays, and each publication is in the
//! region's audit log. Run on both databases by `tests/it`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::people::AuditAction;
use crate::publications::NewPublication;
use crate::reporting::report_input;
use crate::story_system::seeded;
use crate::system::Observation;
use crate::{RegionRow, Store, StoreError};
use planwatch_core::reporting::{Report, ReportKind, build};

async fn annual(store: &dyn Store, region: &RegionRow) -> Report {
    let input = report_input(
        store,
        region,
        ReportKind::Annual,
        2024,
        "2026年12月3日".into(),
    )
    .await
    .expect("report input");
    build(&input).expect("an annual report")
}

fn value(region_id: i64, year: i32, value: f64) -> Observation {
    Observation {
        region_id,
        indicator_key: "W-HEA-03".into(),
        year,
        value,
        source: "妇幼卫生年报".into(),
        demo: false,
    }
}

/// Publish, change the data, publish again.
pub async fn publish_freeze_and_version(store: &dyn Store) {
    let county = seeded(store, "连平县").await;
    store
        .record_observation(&value(county.id, 2020, 12.0))
        .await
        .expect("2020");
    let report = annual(store, &county).await;
    let json = NewPublication::json_of(&report).expect("json");
    let first = store
        .publish(&NewPublication {
            region_id: county.id,
            year: 2024,
            kind: ReportKind::Annual,
            title: &report.title,
            report_json: &json,
            by: "office",
            why: Some("  "),
        })
        .await
        .expect("publish");
    assert_eq!(first.summary.version, 1);
    assert_eq!(first.summary.region_name, "连平县");
    assert_eq!(first.summary.why, None, "a blank reason is no reason");
    assert_eq!(first.report().expect("reads back"), report);

    // The data change: a live report would say something else, the publication does not.
    store
        .record_observation(&value(county.id, 2024, 8.5))
        .await
        .expect("2024");
    let live = annual(store, &county).await;
    assert_ne!(live, report, "the new value changes a live report");
    let kept = store
        .publication(first.summary.id)
        .await
        .expect("read")
        .expect("still there");
    assert_eq!(kept.report_json, json, "the published JSON is frozen");
    assert_eq!(kept, first);

    let live_json = NewPublication::json_of(&live).expect("json");
    let second = store
        .publish(&NewPublication {
            region_id: county.id,
            year: 2024,
            kind: ReportKind::Annual,
            title: &live.title,
            report_json: &live_json,
            by: "office",
            why: Some("补充2024年数据"),
        })
        .await
        .expect("publish again");
    assert_eq!(second.summary.version, 2);
    assert_ne!(second.summary.id, first.summary.id);
    assert_eq!(second.summary.why.as_deref(), Some("补充2024年数据"));
    let old = store
        .publication(first.summary.id)
        .await
        .expect("read")
        .expect("version 1 stays");
    assert_eq!(old.summary.version, 1);
    assert_eq!(old.report().expect("reads"), report);

    // Another kind of the same year numbers its own versions.
    let units = build(
        &report_input(
            store,
            &county,
            ReportKind::Units,
            2024,
            "2026年12月3日".into(),
        )
        .await
        .expect("input"),
    )
    .expect("units report");
    let units_json = NewPublication::json_of(&units).expect("json");
    let other = store
        .publish(&NewPublication {
            region_id: county.id,
            year: 2024,
            kind: ReportKind::Units,
            title: &units.title,
            report_json: &units_json,
            by: "office",
            why: None,
        })
        .await
        .expect("publish units");
    assert_eq!(other.summary.version, 1);

    let listed = store.publications(Some(county.id)).await.expect("list");
    let ids: Vec<i64> = listed.iter().map(|p| p.id).collect();
    assert_eq!(
        ids,
        vec![other.summary.id, second.summary.id, first.summary.id],
        "newest first"
    );
    assert_eq!(listed[1], second.summary);
    let everyone = store.publications(None).await.expect("all");
    assert_eq!(everyone.len(), 3);
    let elsewhere = store
        .publications(Some(county.id + 1000))
        .await
        .expect("none");
    assert!(elsewhere.is_empty());

    let by_version = store
        .publication_version(county.id, 2024, ReportKind::Annual, 1)
        .await
        .expect("read")
        .expect("version 1");
    assert_eq!(by_version.summary.id, first.summary.id);
    assert!(
        store
            .publication_version(county.id, 2024, ReportKind::Annual, 3)
            .await
            .expect("read")
            .is_none()
    );
    assert!(store.publication(-1).await.expect("read").is_none());

    let audit = store.audit_log(Some(county.id), 100).await.expect("audit");
    let published: Vec<_> = audit
        .iter()
        .filter(|e| e.action == AuditAction::Published)
        .collect();
    assert_eq!(published.len(), 3, "{audit:?}");
    assert!(published.iter().all(|e| e.actor == "office"));
    assert!(
        published
            .iter()
            .any(|e| e.detail.contains("第2版") && e.detail.contains("补充2024年数据")),
        "{published:?}"
    );
}

/// A publication for a region that does not exist, or without a body, is refused and
/// leaves nothing.
pub async fn publish_refused(store: &dyn Store) {
    let refused = store
        .publish(&NewPublication {
            region_id: 999_999,
            year: 2024,
            kind: ReportKind::Annual,
            title: "标题",
            report_json: "{}",
            by: "office",
            why: None,
        })
        .await
        .expect_err("no such region");
    assert!(matches!(refused, StoreError::EditRefused(_)), "{refused:?}");
    let county = seeded(store, "连平县").await;
    let empty = store
        .publish(&NewPublication {
            region_id: county.id,
            year: 2024,
            kind: ReportKind::Annual,
            title: " ",
            report_json: "{}",
            by: "office",
            why: None,
        })
        .await
        .expect_err("no title");
    assert!(matches!(empty, StoreError::EditRefused(_)), "{empty:?}");
    assert!(store.publications(None).await.expect("list").is_empty());
}

/// Runs every publication story for a store made by `$fresh` (an expression giving a
/// future of `(store, guard)`).
#[macro_export]
macro_rules! publication_story_tests {
    ($fresh:expr) => {
        #[tokio::test]
        async fn publication_freeze_and_version() {
            let (store, _guard) = $fresh.await;
            $crate::story_publications::publish_freeze_and_version(&store).await;
        }
        #[tokio::test]
        async fn publication_refused() {
            let (store, _guard) = $fresh.await;
            $crate::story_publications::publish_refused(&store).await;
        }
    };
}
