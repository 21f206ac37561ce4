//! Opening databases: bad URLs, newer schemas, reopening.

use planwatch_store::{Store, StoreError};
use planwatch_store_sqlite::SqliteStore;

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
