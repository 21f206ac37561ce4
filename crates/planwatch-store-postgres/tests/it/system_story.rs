//! The indicator-system story (planwatch-store's `story_system`), on a fresh PostgreSQL database.

async fn fresh() -> (
    planwatch_store_postgres::PostgresStore,
    planwatch_store_postgres::test_util::TestDatabase,
) {
    planwatch_store_postgres::test_util::fresh()
        .await
        .expect("a fresh PostgreSQL database")
}

planwatch_store::system_story_tests!(fresh());
