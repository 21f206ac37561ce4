//! Opening databases: bad URLs, unreachable servers, newer schemas.

use planwatch_store::{Store, StoreError};
use planwatch_store_postgres::PostgresStore;
use planwatch_store_postgres::test_util::TestDatabase;

#[tokio::test]
async fn a_newer_schema_is_refused_with_a_clear_message() {
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
    assert!(err.to_string().contains("数据库版本较新"), "{err}");
    assert!(err.to_string().contains("请升级 planwatch"), "{err}");
}

#[tokio::test]
async fn reopening_keeps_the_data() {
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
    let err = PostgresStore::open("postgres://postgres@127.0.0.1:notaport/x")
        .await
        .err();
    assert!(matches!(err, Some(StoreError::BadUrl { .. })), "{err:?}");
    // Nothing listens on port 1.
    let err = PostgresStore::open("postgres://postgres:secret@127.0.0.1:1/x")
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
