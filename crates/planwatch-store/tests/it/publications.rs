//! A publication is frozen in the schema too: on both databases the triggers refuse to
//! change or delete a published report, whatever program holds the database.

use planwatch_core::reporting::ReportKind;
use planwatch_store::Store;
use planwatch_store::publications::{NewPublication, Publications};
use planwatch_store::sql::test_util::{fresh_postgres, fresh_sqlite};
use planwatch_store::story_system::seeded;

async fn published(store: &dyn Store) -> i64 {
    let county = seeded(store, "连平县").await;
    store
        .publish(&NewPublication {
            region_id: county.id,
            year: 2024,
            kind: ReportKind::Annual,
            title: "连平县2024年度监测报告",
            report_json: "{\"title\":\"连平县2024年度监测报告\"}",
            by: "office",
            why: None,
        })
        .await
        .expect("publish")
        .summary
        .id
}

#[tokio::test]
async fn a_publication_cannot_be_changed_on_sqlite() {
    let (store, _dir) = fresh_sqlite().await.expect("sqlite");
    let id = published(&store).await;
    for sql in [
        "UPDATE publications SET report_json = '{}' WHERE id = $1",
        "DELETE FROM publications WHERE id = $1",
    ] {
        let refused = sqlx::query(sql).bind(id).execute(store.pool()).await;
        assert!(refused.is_err(), "{sql}");
    }
    let kept = store.publication(id).await.expect("read").expect("kept");
    assert!(kept.report_json.contains("连平县"));
}

#[tokio::test]
async fn a_publication_cannot_be_changed_on_postgres() {
    let (store, _db) = fresh_postgres().await.expect("postgres");
    let id = published(&store).await;
    for sql in [
        "UPDATE publications SET report_json = '{}' WHERE id = $1",
        "DELETE FROM publications WHERE id = $1",
    ] {
        let refused = sqlx::query(sql).bind(id).execute(store.pool()).await;
        assert!(refused.is_err(), "{sql}");
    }
    let refused = sqlx::query("TRUNCATE publications")
        .execute(store.pool())
        .await;
    assert!(refused.is_err(), "TRUNCATE");
    let kept = store.publication(id).await.expect("read").expect("kept");
    assert!(kept.report_json.contains("连平县"));
}
