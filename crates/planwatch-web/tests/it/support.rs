//! What every HTTP test module shares: a fresh database of either kind, and the real server
//! on a random port in front of it.

use planwatch_store::Store;
use std::any::Any;
use std::sync::Arc;

/// A store and what keeps its database alive (a temporary directory, or a PostgreSQL
/// database dropped when the guard goes).
pub type Fresh = (Arc<dyn Store>, Box<dyn Any + Send>);

pub async fn fresh_sqlite() -> Fresh {
    let (store, dir) = planwatch_store::sql::test_util::fresh_sqlite()
        .await
        .expect("sqlite");
    (Arc::new(store), Box::new(dir))
}

pub async fn fresh_postgres() -> Fresh {
    let (store, db) = planwatch_store::sql::test_util::fresh_postgres()
        .await
        .expect("postgres");
    (Arc::new(store), Box::new(db))
}

/// Serves `store` on 127.0.0.1 at a free port; returns the base address.
pub async fn listen(store: &Arc<dyn Store>) -> String {
    listen_with(store, planwatch_web::ServeOptions::default()).await
}

/// [`listen`] with `options` (allowed host names, limits, timeouts).
pub async fn listen_with(store: &Arc<dyn Store>, options: planwatch_web::ServeOptions) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let served = store.clone();
    tokio::spawn(async move {
        let _ = planwatch_web::serve_with(listener, served, options).await;
    });
    format!("http://{addr}")
}

/// A client whose requests carry `Origin: {base}`, as a browser's from one of our pages
/// do: the server refuses writes from elsewhere.
pub fn same_origin_client(base: &str) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        reqwest::header::ORIGIN,
        reqwest::header::HeaderValue::from_str(base).expect("origin"),
    );
    reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .expect("client")
}
