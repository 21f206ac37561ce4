//! The story every store tells (planwatch-store's `story`), on a fresh PostgreSQL database.

async fn fresh() -> (
    planwatch_store_postgres::PostgresStore,
    planwatch_store_postgres::test_util::TestDatabase,
) {
    planwatch_store_postgres::test_util::fresh()
        .await
        .expect("a fresh PostgreSQL database")
}

planwatch_store::story_tests!(fresh());
