//! Opening databases: bad URLs, newer schemas, reopening.

use planwatch_store::sql::test_util::TestDatabase;
use planwatch_store::{PostgresStore, SqliteStore, Store, StoreError};
use std::path::PathBuf;

#[tokio::test]
async fn a_newer_schema_is_refused_with_a_clear_message() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("t.db");
    let store = SqliteStore::open_path(&path).await.expect("open");
    sqlx::query(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
         VALUES (99990101000000, 'from the future', 1, x'00', 0)",
    )
    .execute(store.pool())
    .await
    .expect("insert");
    store.pool().close().await;
    let err = SqliteStore::open_path(&path).await.expect_err("refused");
    assert!(matches!(
        err,
        StoreError::SchemaTooNew {
            found: 99990101000000,
            ..
        }
    ));
    let msg = err.to_string();
    assert!(msg.starts_with("数据库版本较新（"), "{msg}");
    assert!(msg.contains("请升级 planwatch"), "{msg}");
}

#[tokio::test]
async fn reopening_keeps_the_data_and_migrates_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("t.db").display());
    let store = SqliteStore::open(&url).await.expect("open");
    let (source, doc) = planwatch_store::story::fixtures::county("广东省", "河源市", "连平县");
    store.import(&doc, &source).await.expect("import");
    store.pool().close().await;
    let again = SqliteStore::open(&url).await.expect("reopen");
    assert_eq!(again.regions().await.expect("regions").len(), 3);
}

#[tokio::test]
async fn a_malformed_url_or_an_unopenable_file_is_a_clear_error() {
    let err = SqliteStore::open("sqlite://?mode=bogus")
        .await
        .expect_err("refused");
    assert!(
        matches!(err, StoreError::BadUrl { .. } | StoreError::Connect { .. }),
        "{err:?}"
    );
    let err = SqliteStore::open_path(std::path::Path::new("/proc/planwatch/none/x.db"))
        .await
        .expect_err("refused");
    assert!(err.to_string().contains("无法连接数据库"), "{err}");
}

#[tokio::test]
async fn a_newer_schema_is_refused_on_postgres_too() {
    let db = TestDatabase::create().await.expect("database");
    let store = PostgresStore::open(&db.url).await.expect("open");
    sqlx::query(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
         VALUES (99990101000000, 'from the future', true, '\\x00', 0)",
    )
    .execute(store.pool())
    .await
    .expect("insert");
    store.pool().close().await;
    let err = PostgresStore::open(&db.url).await.expect_err("refused");
    assert!(matches!(
        err,
        StoreError::SchemaTooNew {
            found: 99990101000000,
            ..
        }
    ));
}

#[tokio::test]
async fn reopening_keeps_the_data_on_postgres() {
    let db = TestDatabase::create().await.expect("database");
    let store = PostgresStore::open(&db.url).await.expect("open");
    let (source, doc) = planwatch_store::story::fixtures::county("广东省", "河源市", "连平县");
    store.import(&doc, &source).await.expect("import");
    store.pool().close().await;
    let again = PostgresStore::open(&db.url).await.expect("reopen");
    assert_eq!(again.regions().await.expect("regions").len(), 3);
    again.pool().close().await;
}

#[tokio::test]
async fn malformed_urls_and_unreachable_servers_are_clear_errors() {
    let err = planwatch_store::open("postgres://postgres@127.0.0.1:notaport/x")
        .await
        .err();
    assert!(matches!(err, Some(StoreError::BadUrl { .. })), "{err:?}");
    let err = planwatch_store::open("mysql://x").await.err();
    assert!(matches!(err, Some(StoreError::BadUrl { .. })), "{err:?}");
    // Nothing listens on port 1.
    let err = planwatch_store::open("postgres://postgres:secret@127.0.0.1:1/x")
        .await
        .err();
    match err {
        Some(e @ StoreError::Connect { .. }) => {
            let msg = e.to_string();
            assert!(msg.contains("无法连接数据库"), "{msg}");
            assert!(
                !msg.contains("secret"),
                "the password must not be printed: {msg}"
            );
        }
        other => panic!("expected a connection error, got {other:?}"),
    }
}

/// A database file written by the release before the store was made one (commit bc5b398:
/// 连平县's two plans, five reported values with one correction, a target edited and one
/// retired) opens with the current code and keeps every row.
#[tokio::test]
async fn a_database_made_by_the_previous_release_upgrades_in_place() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("old.db");
    let fixture = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/made-by-bc5b398.db");
    std::fs::copy(&fixture, &path).expect("copy the fixture");
    let store = SqliteStore::open_path(&path)
        .await
        .expect("opens and migrates");
    let regions = store.regions().await.expect("regions");
    let county = regions
        .iter()
        .find(|r| r.path == "广东省/河源市/连平县")
        .expect("the county is there");
    assert_eq!(county.plan_count, 2);
    let targets = store.system_targets(county.id).await.expect("targets");
    assert_eq!(targets.len(), 84);
    let edited = targets.iter().find(|t| t.id == 2).expect("target 2");
    assert_eq!((edited.version, edited.state.value), (2, 75.0));
    let retired = targets.iter().find(|t| t.id == 5).expect("target 5");
    assert!(retired.state.retired);
    let values = store.observations(county.id).await.expect("values");
    assert_eq!(values.len(), 4);
    let corrected = values
        .iter()
        .find(|o| o.year == 2022 && o.indicator_key == "W-HEA-03")
        .expect("the 2022 value");
    assert_eq!(corrected.value, 12.6);
    let history = store
        .observation_history(county.id, None)
        .await
        .expect("history");
    assert_eq!(history.len(), 5);
    let doc = planwatch_store::load_document(&store, county, None)
        .await
        .expect("the plans load");
    assert_eq!(doc.plans.len(), 2);
}

/// Several processes opening one new file at once (the server and a command-line import
/// started together) all succeed: the migrations run once, the others wait for them.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_opens_of_a_new_file_do_not_race_in_the_migrations() {
    for round in 0..20 {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join(format!("new{round}.db"));
        let opens: Vec<_> = (0..6)
            .map(|_| {
                let path = path.clone();
                tokio::spawn(async move { SqliteStore::open_path(&path).await.map(|_| ()) })
            })
            .collect();
        for open in opens {
            open.await.expect("task").expect("every open succeeds");
        }
    }
}

/// A writer that waits longer than the busy timeout for another (a long import holding the
/// file) gets [`StoreError::Busy`], which pages and the API turn into "try again", not a
/// failure.
#[tokio::test]
async fn a_writer_held_up_too_long_is_told_the_database_is_busy() {
    let (store, _dir) = planwatch_store::sql::test_util::fresh_sqlite()
        .await
        .expect("open");
    let region = planwatch_store::story_system::seeded(&store, "连平县").await;
    let mut holder = store.pool().acquire().await.expect("a connection");
    sqlx::query("BEGIN IMMEDIATE")
        .execute(&mut *holder)
        .await
        .expect("hold the write lock");
    let row = planwatch_store::system::Observation {
        region_id: region.id,
        indicator_key: "W-HEA-03".into(),
        year: 2024,
        value: 11.0,
        source: "年报".into(),
        demo: false,
    };
    let change = planwatch_store::system::Change::new("王五", "年报").expect("change");
    let err = store
        .import_observations(&[row], &change)
        .await
        .expect_err("busy");
    assert!(matches!(err, StoreError::Busy { .. }), "{err:?}");
    assert!(err.to_string().contains("请稍后再试"), "{err}");
    sqlx::query("ROLLBACK")
        .execute(&mut *holder)
        .await
        .expect("release");
}
