//! The store on a real SQLite file and a real PostgreSQL server: the shared stories on
//! both, the four real plans, opening, upgrading a database in place, and concurrent
//! writers.

mod backup;
mod bulk;
mod demo_regions;
mod open;
mod people;
mod plans;
mod publications;

/// Every story, once per database: the same queries must tell the same story on both.
mod sqlite {
    async fn fresh() -> (planwatch_store::SqliteStore, tempfile::TempDir) {
        planwatch_store::sql::test_util::fresh_sqlite()
            .await
            .expect("a fresh SQLite file")
    }
    planwatch_store::story_tests!(fresh());
    planwatch_store::system_story_tests!(fresh());
    planwatch_store::observation_story_tests!(fresh());
    planwatch_store::people_story_tests!(fresh());
    planwatch_store::round_story_tests!(fresh());
    planwatch_store::publication_story_tests!(fresh());
}

mod postgres {
    async fn fresh() -> (
        planwatch_store::PostgresStore,
        planwatch_store::sql::test_util::TestDatabase,
    ) {
        planwatch_store::sql::test_util::fresh_postgres()
            .await
            .expect("a fresh PostgreSQL database")
    }
    planwatch_store::story_tests!(fresh());
    planwatch_store::system_story_tests!(fresh());
    planwatch_store::observation_story_tests!(fresh());
    planwatch_store::people_story_tests!(fresh());
    planwatch_store::round_story_tests!(fresh());
    planwatch_store::publication_story_tests!(fresh());
}
