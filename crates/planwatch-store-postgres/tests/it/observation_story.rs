//! The reported-data story (planwatch-store's `story_observations`), on a fresh PostgreSQL database.

async fn fresh() -> (
    planwatch_store_postgres::PostgresStore,
    planwatch_store_postgres::test_util::TestDatabase,
) {
    planwatch_store_postgres::test_util::fresh()
        .await
        .expect("a fresh PostgreSQL database")
}

planwatch_store::observation_story_tests!(fresh());
