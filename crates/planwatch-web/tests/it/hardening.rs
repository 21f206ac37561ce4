//! The server's guards over real connections (SQLite; the database does not matter here):
//! security headers, the Host allow-list, same-origin writes, JSON bodies, the body limit,
//! the write rate limit, the header timeout and the per-client connection limit.

use crate::support;
use planwatch_core::access::Role;
use planwatch_store::Store;
use planwatch_store::story_system::seeded;
use planwatch_web::ServeOptions;
use serde_json::{Value, json};
use std::any::Any;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

struct App {
    base: String,
    /// `127.0.0.1:port`
    addr: String,
    region: i64,
    /// Sends `Origin: {base}`, as a page of ours would, and the administrator's token.
    client: reqwest::Client,
    /// A browser signed in as the administrator: its cookie, nothing else it is not told.
    bare: reqwest::Client,
    /// The browser session's CSRF token.
    csrf: String,
    _store: Arc<dyn Store>,
    _guard: Box<dyn Any + Send>,
}

async fn start(options: ServeOptions) -> App {
    let (store, guard) = support::fresh_sqlite().await;
    seeded(store.as_ref(), "连平县").await;
    let region = store
        .regions()
        .await
        .expect("regions")
        .iter()
        .find(|r| r.name == "连平县")
        .expect("region")
        .id;
    let base = support::listen_with(&store, options).await;
    // A browser signed in as the administrator (its session cookie goes with every
    // request, as a forged cross-site request's would), and a page of ours.
    support::make_user(
        &store,
        "guard-admin",
        Some("guard-admin-pw"),
        &[(Role::Admin, None, None)],
    )
    .await;
    let (bare, csrf) = support::browser_login(&base, "guard-admin", "guard-admin-pw").await;
    let client = support::same_origin_admin_client(&store, &base).await;
    App {
        addr: base.trim_start_matches("http://").to_string(),
        client,
        bare,
        csrf,
        base,
        region,
        _store: store,
        _guard: guard,
    }
}

impl App {
    fn targets(&self) -> String {
        format!("{}/api/regions/{}/targets", self.base, self.region)
    }

    async fn list(&self) -> Vec<Value> {
        let list: Value = self
            .bare
            .get(self.targets())
            .send()
            .await
            .expect("request")
            .json()
            .await
            .expect("json");
        list.as_array().expect("list").clone()
    }

    /// The first target's address and value.
    async fn first(&self) -> (String, Value) {
        let list = self.list().await;
        let id = list[0]["id"].as_i64().expect("id");
        (format!("{}/{id}", self.targets()), list[0]["value"].clone())
    }
}

async fn error_of(resp: reqwest::Response) -> (u16, String) {
    let status = resp.status().as_u16();
    let ctype = resp
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    assert!(ctype.starts_with("application/json"), "{status}: {ctype}");
    let body: Value = resp.json().await.expect("json");
    (status, body["error"].as_str().expect("error").to_string())
}

fn has_chinese(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// Sends `request` as written on a new connection and reads until the server closes it.
async fn raw(addr: &str, request: &str) -> String {
    let mut stream = TcpStream::connect(addr).await.expect("connect");
    stream.write_all(request.as_bytes()).await.expect("write");
    let mut out = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut out))
        .await
        .expect("the server answers in time")
        .expect("read");
    String::from_utf8_lossy(&out).into_owned()
}

fn status_of(response: &str) -> u16 {
    response
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

async fn get_with_host(addr: &str, host: &str) -> String {
    raw(
        addr,
        &format!("GET /login HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
    )
    .await
}

/// Whether the server closes `stream` within `within` (a read returns end of file or an
/// error) rather than leaving it open.
async fn closed_within(stream: &mut TcpStream, within: Duration) -> bool {
    let mut buf = [0u8; 4096];
    let deadline = Instant::now() + within;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, stream.read(&mut buf)).await {
            Err(_) => return false,
            Ok(Ok(0)) | Ok(Err(_)) => return true,
            Ok(Ok(_)) => continue,
        }
    }
}

#[tokio::test]
async fn security_headers_on_every_response() {
    let app = start(ServeOptions::default()).await;
    for path in [
        "/".to_string(),
        "/no/such/page".to_string(),
        "/static/style.css".to_string(),
        format!("/api/regions/{}/targets", app.region),
        "/api/nothing".to_string(),
    ] {
        let resp = app
            .bare
            .get(format!("{}{path}", app.base))
            .send()
            .await
            .expect("request");
        let h = resp.headers();
        let csp = h
            .get("content-security-policy")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_else(|| panic!("{path}: no CSP"));
        assert!(csp.contains("script-src 'self';"), "{path}: {csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(csp.contains("object-src 'none'"), "{path}: {csp}");
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["referrer-policy"], "same-origin", "{path}");
        assert_eq!(h["x-frame-options"], "DENY", "{path}");
        assert_eq!(h["cross-origin-opener-policy"], "same-origin", "{path}");
        assert!(h.get("strict-transport-security").is_none(), "{path}");
    }
}

#[tokio::test]
async fn only_allowed_host_names_are_answered() {
    let app = start(ServeOptions {
        allowed_hosts: vec!["plan.example.org".into()],
        ..ServeOptions::default()
    })
    .await;
    let refused = get_with_host(&app.addr, "evil.example").await;
    assert_eq!(status_of(&refused), 421, "{refused}");
    assert!(refused.contains("主机名"), "{refused}");
    assert!(refused.contains("content-security-policy"), "{refused}");
    let refused = get_with_host(&app.addr, "evil.example:8080").await;
    assert_eq!(status_of(&refused), 421, "{refused}");
    // An API address refuses in JSON.
    let refused = raw(
        &app.addr,
        &format!(
            "GET /api/regions/{}/targets HTTP/1.1\r\nHost: rebind.example\r\nConnection: close\r\n\r\n",
            app.region
        ),
    )
    .await;
    assert_eq!(status_of(&refused), 421, "{refused}");
    assert!(refused.contains("application/json"), "{refused}");
    for host in [
        app.addr.as_str(),
        "127.0.0.1",
        "localhost",
        "localhost:8080",
        "[::1]:8080",
        "10.1.2.3",
        "plan.example.org",
        "PLAN.example.org.:443",
    ] {
        let answered = get_with_host(&app.addr, host).await;
        assert_eq!(status_of(&answered), 200, "{host}: {answered}");
    }
    // A request without a Host is refused too.
    let refused = raw(&app.addr, "GET /login HTTP/1.0\r\n\r\n").await;
    assert_eq!(status_of(&refused), 421, "{refused}");
}

#[tokio::test]
async fn writes_from_another_origin_are_refused() {
    let app = start(ServeOptions::default()).await;
    let (one, value) = app.first().await;
    let before = app.list().await.len();
    let patch = json!({"value": 77, "by": "攻击者", "why": "跨站"});
    let new = json!({"kind": "women", "indicator": "跨站指标", "comparator": ">=",
                     "value": 1, "year": 2030, "domain": "健康", "by": "攻击者", "why": "跨站"});

    for origin in ["http://evil.example", "null", "https://evil.example:443"] {
        let resp = app
            .bare
            .patch(&one)
            .header("origin", origin)
            .json(&patch)
            .send()
            .await
            .expect("request");
        let (status, error) = error_of(resp).await;
        assert_eq!(status, 403, "{origin}: {error}");
        assert!(has_chinese(&error), "{error}");
        let resp = app
            .bare
            .post(app.targets())
            .header("origin", origin)
            .json(&new)
            .send()
            .await
            .expect("request");
        assert_eq!(resp.status().as_u16(), 403, "{origin}");
    }
    // A page of another origin without Origin but with its Referer.
    let resp = app
        .bare
        .patch(&one)
        .header("referer", "http://evil.example/page.html")
        .json(&patch)
        .send()
        .await
        .expect("request");
    assert_eq!(resp.status().as_u16(), 403);
    // Neither Origin nor Referer nor a bearer token.
    let resp = app.bare.patch(&one).json(&patch).send().await.expect("req");
    let (status, error) = error_of(resp).await;
    assert_eq!(status, 403);
    assert!(error.contains("Origin"), "{error}");
    // A form on another site posting text/plain to a page address: a Chinese page.
    let resp = app
        .bare
        .post(format!("{}/", app.base))
        .header("origin", "http://evil.example")
        .header("content-type", "text/plain")
        .body("{\"value\": 77}")
        .send()
        .await
        .expect("request");
    assert_eq!(resp.status().as_u16(), 403);
    let page = resp.text().await.expect("body");
    assert!(page.contains("其他网站"), "{page}");

    // Nothing changed.
    let (_, after) = app.first().await;
    assert_eq!(after, value);
    assert_eq!(app.list().await.len(), before);

    // The same origin, by Origin or by Referer, is let through; so is a bearer token
    // (a browser cannot send one to another site without that site's CORS consent).
    let resp = app
        .client
        .patch(&one)
        .json(&json!({"value": 8, "by": "张三", "why": "核对"}))
        .send()
        .await
        .expect("request");
    assert_eq!(resp.status().as_u16(), 200);
    let resp = app
        .bare
        .patch(&one)
        .header("referer", format!("{}/regions/{}", app.base, app.region))
        .header("x-csrf-token", &app.csrf)
        .json(&json!({"value": 9, "by": "张三", "why": "核对"}))
        .send()
        .await
        .expect("request");
    assert_eq!(resp.status().as_u16(), 200);
    let resp = app
        .bare
        .patch(&one)
        .bearer_auth("a-token")
        .json(&json!({"value": 10, "by": "张三", "why": "核对"}))
        .send()
        .await
        .expect("request");
    assert_ne!(resp.status().as_u16(), 403);
}

#[tokio::test]
async fn api_bodies_must_be_json() {
    let app = start(ServeOptions::default()).await;
    let before = app.list().await.len();
    let new = json!({"kind": "women", "indicator": "新增指标", "comparator": ">=",
                     "value": 1, "year": 2030, "domain": "健康", "by": "张三", "why": "新增"});
    for ctype in [
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        None,
    ] {
        let mut req = app.client.post(app.targets()).body(new.to_string());
        if let Some(ctype) = ctype {
            req = req.header("content-type", ctype);
        }
        let (status, error) = error_of(req.send().await.expect("request")).await;
        assert_eq!(status, 415, "{ctype:?}");
        assert!(error.contains("application/json"), "{error}");
        assert!(has_chinese(&error), "{error}");
    }
    assert_eq!(app.list().await.len(), before);
    let resp = app
        .client
        .post(app.targets())
        .header("content-type", "application/json; charset=utf-8")
        .body(new.to_string())
        .send()
        .await
        .expect("request");
    assert_eq!(resp.status().as_u16(), 201);
    assert_eq!(app.list().await.len(), before + 1);
}

#[tokio::test]
async fn bad_json_is_explained_in_chinese() {
    let app = start(ServeOptions::default()).await;
    let (one, value) = app.first().await;
    let english = [
        "expected",
        "invalid type",
        "PatchBody",
        "NewTarget",
        "unknown field",
        "at line",
        "elements",
    ];
    let cases = [
        (
            json!({"value": "很多", "by": "张三", "why": "x"}).to_string(),
            vec!["value", "数字"],
        ),
        (
            json!({"year": "明年", "by": "张三", "why": "x"}).to_string(),
            vec!["year", "整数"],
        ),
        (
            json!({"valeu": 3, "by": "张三", "why": "x"}).to_string(),
            vec!["未知字段“valeu”", "value"],
        ),
        (json!([1, 2, 3]).to_string(), vec!["JSON 对象"]),
        (
            "{\"value\": 3,\n \"by\": }".to_string(),
            vec!["第2行", "JSON"],
        ),
        (String::new(), vec!["为空"]),
    ];
    for (body, wanted) in cases {
        let resp = app
            .client
            .patch(&one)
            .header("content-type", "application/json")
            .body(body.clone())
            .send()
            .await
            .expect("request");
        let (status, error) = error_of(resp).await;
        assert_eq!(status, 400, "{body}: {error}");
        for w in wanted {
            assert!(error.contains(w), "{body}: {error} lacks {w}");
        }
        for e in english {
            assert!(!error.contains(e), "{body}: {error} has {e}");
        }
    }
    // A new target without its indicator.
    let resp = app
        .client
        .post(app.targets())
        .json(&json!({"kind": "women", "comparator": ">=", "value": 1, "year": 2030}))
        .send()
        .await
        .expect("request");
    let (status, error) = error_of(resp).await;
    assert_eq!(status, 400);
    assert!(error.contains("缺少字段“indicator”"), "{error}");
    assert_eq!(app.first().await.1, value);
}

#[tokio::test]
async fn oversized_bodies_and_other_framework_errors_are_chinese() {
    let app = start(ServeOptions {
        body_limit: 4 * 1024,
        ..ServeOptions::default()
    })
    .await;
    let (one, _) = app.first().await;
    let big = json!({"text": "长".repeat(4000), "by": "张三", "why": "x"});
    let resp = app.client.patch(&one).json(&big).send().await.expect("req");
    let (status, error) = error_of(resp).await;
    assert_eq!(status, 413);
    assert!(error.contains("过大"), "{error}");
    // Outside the API: a page.
    let resp = app
        .client
        .post(format!("{}/indicators", app.base))
        .body("x".repeat(8 * 1024))
        .send()
        .await
        .expect("request");
    assert_eq!(resp.status().as_u16(), 413);
    assert!(resp.text().await.expect("body").contains("过大"));
    // A chunked body without a length, too large once read.
    let path = one.trim_start_matches(&app.base);
    let mut request = format!(
        "PATCH {path} HTTP/1.1\r\nHost: {}\r\nOrigin: {}\r\nContent-Type: application/json\r\n\
         Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
        app.addr, app.base
    );
    for _ in 0..8 {
        request.push_str(&format!("400\r\n{}\r\n", " ".repeat(1024)));
    }
    request.push_str("0\r\n\r\n");
    let answered = raw(&app.addr, &request).await;
    assert_eq!(status_of(&answered), 413, "{answered}");
    assert!(answered.contains("过大"), "{answered}");

    // A method the address does not take: 405 in Chinese, with Allow.
    let resp = app
        .client
        .delete(app.targets())
        .send()
        .await
        .expect("request");
    assert!(resp.headers().get("allow").is_some());
    let (status, error) = error_of(resp).await;
    assert_eq!(status, 405);
    assert!(error.contains("DELETE") && has_chinese(&error), "{error}");
    let resp = app
        .client
        .post(format!("{}/indicators", app.base))
        .body("a=1")
        .send()
        .await
        .expect("request");
    assert_eq!(resp.status().as_u16(), 405);
    let page = resp.text().await.expect("body");
    assert!(page.contains("不支持"), "{page}");
    let (status, error) = error_of(
        app.bare
            .get(format!("{}/api/nothing", app.base))
            .send()
            .await
            .expect("request"),
    )
    .await;
    assert_eq!(status, 404);
    assert!(has_chinese(&error));
}

#[tokio::test]
async fn writes_are_rate_limited_per_person() {
    let app = start(ServeOptions::default()).await;
    let (one, _) = app.first().await;
    let mut refused = None;
    for i in 0..200 {
        // An empty change: refused by the API (400) but counted all the same.
        let resp = app
            .client
            .patch(&one)
            .json(&json!({"by": "张三", "why": "x"}))
            .send()
            .await
            .expect("request");
        if resp.status().as_u16() == 429 {
            let retry = resp
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse::<u64>().ok())
                .expect("retry-after");
            assert!(retry >= 1);
            let (_, error) = error_of(resp).await;
            assert!(error.contains("频繁"), "{error}");
            refused = Some(i);
            break;
        }
        assert_eq!(resp.status().as_u16(), 400);
    }
    let refused = refused.expect("a 429 after the burst");
    assert!(refused >= 29, "refused after {refused} writes");
    // Another person behind the same address (an office's NAT) is not held up: writes
    // are counted per session or token.
    let other = support::token_client(
        &app._store,
        "同一网段的另一位",
        &[(Role::Admin, None, None)],
        planwatch_core::access::TokenScope::Write,
    )
    .await;
    let resp = other
        .patch(&one)
        .json(&json!({"by": "李四", "why": "x"}))
        .send()
        .await
        .expect("request");
    assert_eq!(
        resp.status().as_u16(),
        400,
        "another account is not throttled"
    );
    // Reading goes on.
    let resp = app
        .bare
        .get(format!("{}/", app.base))
        .send()
        .await
        .expect("request");
    assert_eq!(resp.status().as_u16(), 200);
    assert_eq!(app.list().await.len(), 5);
}

#[tokio::test]
async fn half_sent_requests_and_idle_connections_are_closed() {
    let app = start(ServeOptions {
        header_read_timeout: Duration::from_secs(1),
        idle_timeout: Duration::from_secs(1),
        ..ServeOptions::default()
    })
    .await;
    let started = Instant::now();
    let mut half = TcpStream::connect(&app.addr).await.expect("connect");
    half.write_all(b"GET / HTTP/1.1\r\nHost: x")
        .await
        .expect("write");
    let mut silent = TcpStream::connect(&app.addr).await.expect("connect");
    assert!(closed_within(&mut half, Duration::from_secs(5)).await);
    assert!(closed_within(&mut silent, Duration::from_secs(5)).await);
    assert!(started.elapsed() < Duration::from_secs(5));

    // A kept-alive connection answered once, then idle: closed after the same time.
    let mut kept = TcpStream::connect(&app.addr).await.expect("connect");
    kept.write_all(b"GET /static/style.css HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .await
        .expect("write");
    let mut buf = [0u8; 64];
    let n = kept.read(&mut buf).await.expect("read");
    assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 200"));
    assert!(closed_within(&mut kept, Duration::from_secs(5)).await);
    // The server is still answering.
    let answered = get_with_host(&app.addr, "127.0.0.1").await;
    assert_eq!(status_of(&answered), 200);
}

#[tokio::test]
async fn one_client_cannot_hold_every_connection() {
    let app = start(ServeOptions {
        max_connections_per_ip: 8,
        ..ServeOptions::default()
    })
    .await;
    let mut held = Vec::new();
    for _ in 0..8 {
        held.push(TcpStream::connect(&app.addr).await.expect("connect"));
    }
    // Let the server take them all before the extra ones come.
    tokio::time::sleep(Duration::from_millis(200)).await;
    for _ in 0..4 {
        let mut extra = TcpStream::connect(&app.addr).await.expect("connect");
        assert!(
            closed_within(&mut extra, Duration::from_secs(2)).await,
            "an extra connection stayed open"
        );
    }
    // A request on a connection already held is answered.
    let mut first = held.remove(0);
    first
        .write_all(b"GET /login HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        .await
        .expect("write");
    let mut out = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), first.read_to_end(&mut out))
        .await
        .expect("in time")
        .expect("read");
    assert_eq!(status_of(&String::from_utf8_lossy(&out)), 200);
    // Once that connection is closed, its place is free again.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let answered = get_with_host(&app.addr, "127.0.0.1").await;
    assert_eq!(status_of(&answered), 200);
}

#[tokio::test]
async fn a_body_that_stops_coming_is_answered_408() {
    let app = start(ServeOptions {
        body_read_timeout: Duration::from_secs(1),
        ..ServeOptions::default()
    })
    .await;
    let (one, value) = app.first().await;
    let path = one.trim_start_matches(&app.base);
    let mut stream = TcpStream::connect(&app.addr).await.expect("connect");
    let started = Instant::now();
    stream
        .write_all(
            format!(
                "PATCH {path} HTTP/1.1\r\nHost: {}\r\nOrigin: {}\r\n\
                 Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{{\"value\": 7",
                app.addr, app.base
            )
            .as_bytes(),
        )
        .await
        .expect("write");
    let mut buf = vec![0u8; 8192];
    let n = tokio::time::timeout(Duration::from_secs(5), stream.read(&mut buf))
        .await
        .expect("an answer in time")
        .expect("read");
    let answer = String::from_utf8_lossy(&buf[..n]);
    assert_eq!(status_of(&answer), 408, "{answer}");
    assert!(started.elapsed() < Duration::from_secs(4));
    assert_eq!(app.first().await.1, value);
}
