//! `show` after `import` equals `parse` for the four real plans, on both databases.

use planwatch_store::sql::test_util;
use planwatch_store::{SourceDoc, Store};

async fn four_plans_come_back_as_read(store: &dyn Store) {
    let files = test_util::shipped_plans().expect("assets/plans");
    assert_eq!(files.len(), 4);
    for file in &files {
        let (source, doc) = planwatch_ingest::parse_file(file).expect("the reader reads it");
        let source = SourceDoc::new(source.name.clone(), source.lines.clone());
        planwatch_store::story::round_trip(store, &source, &doc).await;
    }
    // All four again: nothing changes.
    for file in &files {
        let (source, doc) = planwatch_ingest::parse_file(file).expect("the reader reads it");
        let source = SourceDoc::new(source.name.clone(), source.lines.clone());
        assert!(
            store
                .import(&doc, &source)
                .await
                .expect("again")
                .unchanged()
        );
    }
}

#[tokio::test]
async fn the_four_plans_come_back_as_read_on_sqlite() {
    let (store, _dir) = test_util::fresh_sqlite().await.expect("open");
    four_plans_come_back_as_read(&store).await;
}

#[tokio::test]
async fn the_four_plans_come_back_as_read_on_postgres() {
    let (store, _db) = test_util::fresh_postgres().await.expect("open");
    four_plans_come_back_as_read(&store).await;
}
