//! What every HTTP test module shares: a fresh database of either kind, and the real server
//! on a random port in front of it.

use planwatch_core::access::{Role, TokenScope};
use planwatch_store::Store;
use planwatch_store::people::NewUser;
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

/// A page of ours acting for the administrator: `Origin: {base}` and an admin token.
pub async fn same_origin_admin_client(store: &Arc<dyn Store>, base: &str) -> reqwest::Client {
    let token = make_token(
        store,
        "origin-admin",
        &[(Role::Admin, None, None)],
        TokenScope::Write,
    )
    .await;
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        reqwest::header::ORIGIN,
        reqwest::header::HeaderValue::from_str(base).expect("origin"),
    );
    headers.insert(
        reqwest::header::AUTHORIZATION,
        reqwest::header::HeaderValue::from_str(&format!("Bearer {token}")).expect("header"),
    );
    reqwest::Client::builder()
        .default_headers(headers)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

/// A client that is the administrator, by an API token (`Authorization: Bearer`): it may
/// read every page and write through the API, with no CSRF token to carry.
pub async fn admin_client(store: &Arc<dyn Store>) -> reqwest::Client {
    token_client(
        store,
        "test-admin",
        &[(Role::Admin, None, None)],
        TokenScope::Write,
    )
    .await
}

/// A client acting as a new account `name` holding `roles`, by an API token of `scope`.
pub async fn token_client(
    store: &Arc<dyn Store>,
    name: &str,
    roles: &[(Role, Option<i64>, Option<i64>)],
    scope: TokenScope,
) -> reqwest::Client {
    let token = make_token(store, name, roles, scope).await;
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        reqwest::header::AUTHORIZATION,
        reqwest::header::HeaderValue::from_str(&format!("Bearer {token}")).expect("header"),
    );
    reqwest::Client::builder()
        .default_headers(headers)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

/// A new account holding `roles` (its password unusable) and a token for it.
pub async fn make_token(
    store: &Arc<dyn Store>,
    name: &str,
    roles: &[(Role, Option<i64>, Option<i64>)],
    scope: TokenScope,
) -> String {
    let id = make_user(store, name, None, roles).await;
    let (hash, prefix, token) = planwatch_web::auth::new_token();
    store
        .create_token(id, "测试", scope, &hash, &prefix, "测试")
        .await
        .expect("token");
    token
}

/// A new account holding `roles`; with `password`, one that can log in.
pub async fn make_user(
    store: &Arc<dyn Store>,
    name: &str,
    password: Option<&str>,
    roles: &[(Role, Option<i64>, Option<i64>)],
) -> i64 {
    let password_hash = match password {
        Some(p) => planwatch_web::auth::password::hash(p).expect("hash"),
        None => "!".to_string(),
    };
    let user = NewUser {
        name: name.to_string(),
        display_name: format!("{name}（测试）"),
        password_hash,
        demo_password: None,
    };
    let id = store.create_user(&user, "测试").await.expect("user");
    for (role, region, unit) in roles {
        store
            .grant_role(id, *role, *region, *unit, "测试")
            .await
            .expect("role");
    }
    id
}

/// A browser-like client (cookies kept, redirects not followed) logged in as `name`.
/// Returns it with the session's CSRF token, read off the account page.
pub async fn browser_login(base: &str, name: &str, password: &str) -> (reqwest::Client, String) {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let response = client
        .post(format!("{base}/login"))
        .header("Origin", base)
        .form(&[("name", name), ("password", password), ("next", "/")])
        .send()
        .await
        .expect("login");
    assert_eq!(response.status(), 303, "login of {name}");
    let account = client
        .get(format!("{base}/account"))
        .send()
        .await
        .expect("account")
        .text()
        .await
        .expect("body");
    let csrf = account
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("csrf on the account page")
        .to_string();
    (client, csrf)
}

/// A signed-in browser: its cookie client, the session's CSRF token and the server's base.
pub struct Browser {
    pub client: reqwest::Client,
    pub csrf: String,
    pub base: String,
}

impl Browser {
    /// Signs `name` in (see [`browser_login`]).
    pub async fn login(base: &str, name: &str, password: &str) -> Browser {
        let (client, csrf) = browser_login(base, name, password).await;
        Browser {
            client,
            csrf,
            base: base.to_string(),
        }
    }

    /// GETs `path`: (status, body).
    pub async fn get(&self, path: &str) -> (u16, String) {
        let r = self
            .client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .expect("get");
        let status = r.status().as_u16();
        (status, r.text().await.expect("body"))
    }

    /// POSTs the form `fields` with the session's CSRF token: (status, Location, body).
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> (u16, String, String) {
        let mut form: Vec<(&str, &str)> = vec![("csrf", self.csrf.as_str())];
        form.extend_from_slice(fields);
        let r = self
            .client
            .post(format!("{}{path}", self.base))
            .header("Origin", &self.base)
            .form(&form)
            .send()
            .await
            .expect("post");
        let status = r.status().as_u16();
        let location = r
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        (status, location, r.text().await.expect("body"))
    }
}
