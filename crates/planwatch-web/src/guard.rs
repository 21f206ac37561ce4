//! What every request passes before it reaches a handler, outermost first:
//!
//! 1. security headers on every response (CSP and friends);
//! 2. English error bodies that axum or hyper-facing layers produce (405, rejections …)
//!    become Chinese: JSON `{"error": …}` under `/api/`, the error page elsewhere;
//! 3. the `Host` allow-list (DNS rebinding);
//! 4. the write rate limit per person (their session or token), else per address;
//! 5. same-origin writes (`Origin`, else `Referer`, else a bearer token);
//! 6. the request deadline;
//! 7. the body: `Content-Type: application/json` under `/api/`, the size limit (larger for
//!    the one route that takes an Excel file, [`is_upload`]), the read
//!    deadline — the body is read here, whole, so that handlers get it at once.
//!
//! ARCHITECTURE.md ("The server's guards") says why each exists.

use crate::error;
use crate::server::{ServeOptions, client_key};
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, DefaultBodyLimit, Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, header};
use axum::middleware::{Next, from_fn, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use http_body_util::BodyExt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

pub(crate) const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; \
     base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// The guards' settings and state, shared by every request.
struct Guard {
    hosts: Vec<String>,
    limiter: DefaultKeyedRateLimiter<Writer>,
    clock: DefaultClock,
    checks: AtomicU64,
    request_timeout: Duration,
    body_read_timeout: Duration,
    body_limit: usize,
    upload_limit: usize,
}

/// `router` behind every guard, set by `options`.
pub(crate) fn apply(router: Router, options: &ServeOptions) -> Router {
    let per_second = NonZeroU32::new(options.writes_per_second).unwrap_or(NonZeroU32::MIN);
    let burst = NonZeroU32::new(options.write_burst).unwrap_or(NonZeroU32::MIN);
    let guard = Arc::new(Guard {
        hosts: options
            .allowed_hosts
            .iter()
            .filter_map(|h| host_name(h.trim()))
            .filter(|h| !h.is_empty())
            .collect(),
        limiter: RateLimiter::keyed(Quota::per_second(per_second).allow_burst(burst)),
        clock: DefaultClock::default(),
        checks: AtomicU64::new(0),
        request_timeout: options.request_timeout,
        body_read_timeout: options.body_read_timeout,
        body_limit: options.body_limit,
        upload_limit: options.upload_limit,
    });
    router
        .layer(DefaultBodyLimit::max(options.body_limit))
        .layer(from_fn_with_state(guard.clone(), read_body))
        .layer(from_fn_with_state(guard.clone(), deadline))
        .layer(from_fn(same_origin))
        .layer(from_fn_with_state(guard.clone(), write_limit))
        .layer(from_fn_with_state(guard, allowed_host))
        .layer(from_fn(chinese_errors))
        .layer(from_fn(security_headers))
}

fn is_api(path: &str) -> bool {
    path == "/api" || path.starts_with("/api/")
}

fn is_write(method: &Method) -> bool {
    matches!(
        *method,
        Method::POST | Method::PUT | Method::PATCH | Method::DELETE
    )
}

/// A refusal in the form the address calls for: JSON under `/api/`, a page elsewhere.
fn refuse(api: bool, status: StatusCode, message: &str) -> Response {
    if api {
        let body = serde_json::json!({ "error": message });
        (status, axum::Json(body)).into_response()
    } else {
        error::page(status, &title(status), message)
    }
}

fn title(status: StatusCode) -> String {
    let what = match status.as_u16() {
        400 => "请求有误",
        403 => "请求被拒绝",
        404 => "页面不存在",
        405 => "不支持的请求方法",
        408 => "请求超时",
        413 => "请求内容过大",
        415 => "请求内容格式不受支持",
        421 => "主机名未获准",
        429 => "请求过于频繁",
        503 => "服务暂不可用",
        s if s >= 500 => "服务器内部错误",
        _ => "请求未能完成",
    };
    format!("{what}（{}）", status.as_u16())
}

// 1. Security headers.

async fn security_headers(req: Request, next: Next) -> Response {
    let mut response = next.run(req).await;
    let headers = response.headers_mut();
    let set = [
        (
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        ),
        (
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ),
        (
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ),
        (header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
        (
            HeaderName::from_static("cross-origin-opener-policy"),
            HeaderValue::from_static("same-origin"),
        ),
    ];
    for (name, value) in set {
        headers.entry(name).or_insert(value);
    }
    // No Strict-Transport-Security: this server speaks plain HTTP only, so no request ever
    // reaches it over HTTPS; the TLS proxy in front, where there is one, sets it.
    response
}

// 2. Chinese error bodies.

/// Whether a response's body is one of ours (a page or API JSON) rather than a framework's
/// plain-text or empty error.
fn ours(response: &Response) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/html") || t.starts_with("application/json"))
}

async fn chinese_errors(req: Request, next: Next) -> Response {
    let api = is_api(req.uri().path());
    let method = req.method().clone();
    let response = next.run(req).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) || ours(&response) {
        return response;
    }
    let allow = response.headers().get(header::ALLOW).cloned();
    let allowed = allow
        .as_ref()
        .and_then(|v| v.to_str().ok())
        .map(|v| v.replace(',', "、").replace(' ', ""))
        .filter(|v| !v.is_empty());
    let message = match status.as_u16() {
        400 => "请求有误，无法处理：请检查地址、参数与请求内容。".to_string(),
        404 if api => "没有这个接口".to_string(),
        404 => "您访问的页面不存在。".to_string(),
        405 => match &allowed {
            Some(allowed) => format!("此地址不支持 {method} 请求（可用：{allowed}）。"),
            None => format!("此地址不支持 {method} 请求。"),
        },
        408 => "请求发送超时，请重试。".to_string(),
        413 => "请求内容过大，请减少内容后重试。".to_string(),
        414 => "地址过长。".to_string(),
        415 => "请求内容的格式不受支持。".to_string(),
        422 => "请求内容无法处理：请检查各字段的值。".to_string(),
        429 => "请求过于频繁，请稍后再试。".to_string(),
        503 => "服务器繁忙，请稍后再试。".to_string(),
        s if s >= 500 => {
            "服务器内部错误，请稍后再试。如果问题持续出现，请联系系统管理员。".to_string()
        }
        s => format!("请求未能完成（{s}）。"),
    };
    let mut chinese = refuse(api, status, &message);
    for name in [header::ALLOW, header::RETRY_AFTER] {
        if let Some(value) = response.headers().get(&name) {
            chinese.headers_mut().insert(name, value.clone());
        }
    }
    chinese
}

// 3. Host allow-list.

/// The host a request names: its `Host` header, or the authority of an absolute URI
/// (HTTP/2, or an HTTP/1.1 request line in absolute form).
fn request_host(req: &Request) -> Option<&str> {
    match req.headers().get(header::HOST) {
        Some(v) => v.to_str().ok(),
        None => req.uri().authority().map(|a| a.as_str()),
    }
}

/// Splits `host[:port]` (`[v6]:port` too); the name in lower case, without a final dot.
/// `None` for something that is no host.
fn split_host(authority: &str) -> Option<(String, Option<u16>)> {
    let authority = authority.trim();
    if authority.is_empty() || authority.contains(['@', '/', ' ']) {
        return None;
    }
    let (name, port) = if let Some(rest) = authority.strip_prefix('[') {
        let (v6, after) = rest.split_once(']')?;
        v6.parse::<Ipv6Addr>().ok()?;
        let port = match after {
            "" => None,
            p => Some(p.strip_prefix(':')?),
        };
        (format!("[{}]", v6.to_ascii_lowercase()), port)
    } else {
        match authority.rsplit_once(':') {
            Some((name, port)) if !name.contains(':') => (name.to_string(), Some(port)),
            Some(_) => return None,
            None => (authority.to_string(), None),
        }
    };
    let port = match port {
        Some(p) => Some(p.parse::<u16>().ok()?),
        None => None,
    };
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    if name.is_empty() {
        return None;
    }
    Some((name, port))
}

fn host_name(authority: &str) -> Option<String> {
    split_host(authority).map(|(name, _)| name)
}

impl Guard {
    fn host_allowed(&self, name: &str) -> bool {
        name == "localhost"
            || name.parse::<Ipv4Addr>().is_ok()
            || name.starts_with('[')
            || self.hosts.iter().any(|h| h == name)
    }
}

async fn allowed_host(State(guard): State<Arc<Guard>>, req: Request, next: Next) -> Response {
    let host = request_host(&req).unwrap_or("");
    let allowed = host_name(host).is_some_and(|name| guard.host_allowed(&name));
    if allowed {
        return next.run(req).await;
    }
    let shown: String = host.chars().take(100).collect();
    tracing::warn!(host = %shown, "refused a request for a host name that is not allowed");
    let message = if shown.is_empty() {
        "请求缺少主机名（Host）。".to_string()
    } else {
        format!(
            "本服务不接受主机名“{shown}”。管理员如需以该名称提供服务，\
             请在启动时加上 --host 名称（或设置环境变量 PLANWATCH_HOSTS）。"
        )
    };
    refuse(
        is_api(req.uri().path()),
        StatusCode::MISDIRECTED_REQUEST,
        &message,
    )
}

// 4. Write rate limit.

/// Whose writes are counted together. People who are signed in are counted per session or
/// token: two hundred clerks of one county report through one office's NAT address, and
/// one person's burst must not stop the others. Logins and anonymous writes are counted
/// per address (a made-up credential would otherwise buy a fresh allowance).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Writer {
    Address(IpAddr),
    /// The SHA-256 of the credential: the limiter keeps no secret.
    Credential([u8; 32]),
}

fn writer(req: &Request) -> Writer {
    if req.uri().path() != "/login"
        && let Some(secret) = crate::auth::credential(req.headers())
    {
        use sha2::Digest;
        return Writer::Credential(sha2::Sha256::digest(secret.as_bytes()).into());
    }
    Writer::Address(client_ip(req))
}

fn client_ip(req: &Request) -> IpAddr {
    req.extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| client_key(addr.ip()))
        .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED))
}

async fn write_limit(State(guard): State<Arc<Guard>>, req: Request, next: Next) -> Response {
    if !is_write(req.method()) {
        return next.run(req).await;
    }
    // Forget clients that have been quiet long enough to be back at a full burst.
    if guard.checks.fetch_add(1, Ordering::Relaxed) % 1024 == 1023 {
        guard.limiter.retain_recent();
        guard.limiter.shrink_to_fit();
    }
    let who = writer(&req);
    match guard.limiter.check_key(&who) {
        Ok(()) => next.run(req).await,
        Err(not_until) => {
            let wait = not_until.wait_time_from(guard.clock.now());
            let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            let seconds = seconds.max(1);
            match &who {
                Writer::Address(ip) => {
                    tracing::warn!(client = %ip, "too many writes from one address")
                }
                Writer::Credential(_) => {
                    tracing::warn!(client = %client_ip(&req), "too many writes from one account")
                }
            }
            let mut response = refuse(
                is_api(req.uri().path()),
                StatusCode::TOO_MANY_REQUESTS,
                &format!("修改请求过于频繁，请 {seconds} 秒后再试。"),
            );
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
            response
        }
    }
}

// 5. Same-origin writes.

/// `scheme://host[:port]` (an `Origin`, or the start of a `Referer`) → scheme, host, port.
fn split_origin(url: &str) -> Option<(&str, String, Option<u16>)> {
    let (scheme, rest) = url.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let (name, port) = split_host(authority)?;
    Some((scheme, name, port))
}

fn default_port(scheme: &str) -> Option<u16> {
    match scheme.to_ascii_lowercase().as_str() {
        "http" => Some(80),
        "https" => Some(443),
        _ => None,
    }
}

/// Whether `url` (an `Origin` or `Referer`) is the origin of a request for `host`. The
/// scheme may be http or https: behind a TLS proxy the page is https, the request to us not.
fn same_origin_as(url: &str, host: &str) -> bool {
    let Some((scheme, name, port)) = split_origin(url) else {
        return false;
    };
    let Some(default) = default_port(scheme) else {
        return false;
    };
    let Some((host_name, host_port)) = split_host(host) else {
        return false;
    };
    name == host_name && port.unwrap_or(default) == host_port.unwrap_or(default)
}

fn has_bearer(headers: &HeaderMap) -> bool {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .is_some_and(|(scheme, token)| {
            scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty()
        })
}

async fn same_origin(req: Request, next: Next) -> Response {
    if !is_write(req.method()) {
        return next.run(req).await;
    }
    let host = request_host(&req).unwrap_or("");
    let headers = req.headers();
    let header_text = |name| {
        headers
            .get(name)
            .map(|v: &HeaderValue| v.to_str().unwrap_or("").to_string())
    };
    let refusal = match (header_text(header::ORIGIN), header_text(header::REFERER)) {
        (Some(origin), _) if same_origin_as(&origin, host) => None,
        (Some(origin), _) => {
            let shown: String = origin.chars().take(100).collect();
            Some((
                shown.clone(),
                if origin.trim() == "null" || origin.trim().is_empty() {
                    "拒绝来源不明的修改请求：请在本系统的页面上操作。".to_string()
                } else {
                    format!("拒绝来自其他网站（{shown}）的修改请求：请在本系统的页面上操作。")
                },
            ))
        }
        (None, Some(referer)) if same_origin_as(&referer, host) => None,
        (None, Some(referer)) => {
            let shown: String = split_origin(&referer)
                .map(|(s, n, p)| match p {
                    Some(p) => format!("{s}://{n}:{p}"),
                    None => format!("{s}://{n}"),
                })
                .unwrap_or_default();
            Some((
                shown.clone(),
                format!("拒绝来自其他网站（{shown}）的修改请求：请在本系统的页面上操作。"),
            ))
        }
        (None, None) if has_bearer(headers) => None,
        (None, None) => Some((
            String::new(),
            "修改请求缺少来源信息（Origin 或 Referer），已被拒绝。\
             程序调用接口时请附带 Authorization: Bearer 凭据。"
                .to_string(),
        )),
    };
    match refusal {
        None => next.run(req).await,
        Some((from, message)) => {
            tracing::warn!(
                method = %req.method(),
                path = %req.uri().path(),
                from = %from,
                "refused a write from another origin"
            );
            refuse(is_api(req.uri().path()), StatusCode::FORBIDDEN, &message)
        }
    }
}

// 6. Request deadline.

async fn deadline(State(guard): State<Arc<Guard>>, req: Request, next: Next) -> Response {
    let api = is_api(req.uri().path());
    match tokio::time::timeout(guard.request_timeout, next.run(req)).await {
        Ok(response) => response,
        Err(_) => {
            tracing::warn!(
                seconds = guard.request_timeout.as_secs_f64(),
                "a request took too long and was cut"
            );
            let mut response = refuse(
                api,
                StatusCode::SERVICE_UNAVAILABLE,
                "处理时间过长，请求已中止。请稍后再试；如果问题持续出现，请联系系统管理员。",
            );
            response.headers_mut().insert(
                header::RETRY_AFTER,
                HeaderValue::from_static(error::RETRY_AFTER_SECONDS),
            );
            response
        }
    }
}

// 7. The body.

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json"))
}

/// Whether `path` is a unit's Excel upload (`/regions/{id}/rounds/{year}/units/{unit}/upload`):
/// the one route whose body may be larger than `body_limit`, up to `upload_limit`. Known
/// by its path because this guard runs before routing.
pub(crate) fn is_upload(path: &str) -> bool {
    let segments: Vec<&str> = path.split('/').collect();
    matches!(
        segments.as_slice(),
        ["", "regions", _, "rounds", _, "units", _, "upload"]
    )
}

fn too_large(api: bool, limit: usize, upload: bool) -> Response {
    let size = if limit >= 1024 * 1024 {
        format!("{} MB", limit / (1024 * 1024))
    } else {
        format!("{} KB", limit.div_ceil(1024))
    };
    let message = if upload {
        format!(
            "上传的文件过大（上限 {size}），未导入任何内容。填好的填报表通常只有几十 KB：\
             请用本系统下载的模板填写，不要在表中粘贴图片或附件。"
        )
    } else {
        format!("请求内容过大（上限 {size}），请减少内容后重试。")
    };
    refuse(api, StatusCode::PAYLOAD_TOO_LARGE, &message)
}

async fn read_body(State(guard): State<Arc<Guard>>, req: Request, next: Next) -> Response {
    let method = req.method();
    if !matches!(*method, Method::POST | Method::PUT | Method::PATCH) {
        return next.run(req).await;
    }
    let api = is_api(req.uri().path());
    if api && !is_json(req.headers()) {
        return refuse(
            true,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "请求内容须为 JSON：请设置请求头 Content-Type: application/json。",
        );
    }
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    let upload = is_upload(req.uri().path());
    let limit = if upload {
        guard.upload_limit.max(guard.body_limit)
    } else {
        guard.body_limit
    };
    if declared.is_some_and(|n| n > limit as u64) {
        return too_large(api, limit, upload);
    }
    let (parts, body) = req.into_parts();
    let read = async move {
        let mut body = body;
        let mut bytes = Vec::new();
        while let Some(frame) = body.frame().await {
            let frame = frame.map_err(|_| false)?;
            if let Ok(data) = frame.into_data() {
                if bytes.len() + data.len() > limit {
                    return Err(true);
                }
                bytes.extend_from_slice(&data);
            }
        }
        Ok(Bytes::from(bytes))
    };
    let bytes = match tokio::time::timeout(guard.body_read_timeout, read).await {
        Ok(Ok(bytes)) => bytes,
        Ok(Err(true)) => return too_large(api, limit, upload),
        Ok(Err(false)) => {
            return refuse(
                api,
                StatusCode::BAD_REQUEST,
                "请求内容未能完整接收，请重试。",
            );
        }
        Err(_) => {
            tracing::warn!("a request body arrived too slowly");
            return refuse(
                api,
                StatusCode::REQUEST_TIMEOUT,
                "请求内容发送超时，请重试。",
            );
        }
    };
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_upload_route_takes_files() {
        assert!(is_upload("/regions/3/rounds/2025/units/7/upload"));
        assert!(!is_upload("/regions/3/rounds/2025/units/7"));
        assert!(!is_upload("/regions/3/rounds/2025/units/7/upload/x"));
        assert!(!is_upload("/api/regions/3/rounds/2025/units/7/upload"));
    }

    #[test]
    fn hosts_split() {
        assert_eq!(
            split_host("Example.ORG."),
            Some(("example.org".into(), None))
        );
        assert_eq!(
            split_host("example.org:8080"),
            Some(("example.org".into(), Some(8080)))
        );
        assert_eq!(split_host("[::1]:80"), Some(("[::1]".into(), Some(80))));
        assert_eq!(split_host("::1"), None);
        assert_eq!(split_host("a@b"), None);
        assert_eq!(split_host("x:port"), None);
        assert_eq!(split_host(""), None);
    }

    #[test]
    fn origins_compare() {
        assert!(same_origin_as("http://127.0.0.1:8080", "127.0.0.1:8080"));
        assert!(same_origin_as(
            "https://plan.example.org",
            "plan.example.org"
        ));
        assert!(same_origin_as("http://localhost", "localhost:80"));
        assert!(same_origin_as("http://h:1/a/b?c", "h:1"));
        assert!(!same_origin_as("http://evil.example", "127.0.0.1:8080"));
        assert!(!same_origin_as("http://127.0.0.1:8081", "127.0.0.1:8080"));
        assert!(!same_origin_as("https://h", "h:80"));
        assert!(!same_origin_as("null", "h"));
        assert!(!same_origin_as("ftp://h", "h"));
    }
}
