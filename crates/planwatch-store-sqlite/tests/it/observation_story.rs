//! The reported-data story (planwatch-store's `story_observations`), on a fresh SQLite file.

async fn fresh() -> (planwatch_store_sqlite::SqliteStore, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = planwatch_store_sqlite::SqliteStore::open_path(&dir.path().join("t.db"))
        .await
        .expect("open");
    (store, dir)
}

planwatch_store::observation_story_tests!(fresh());
