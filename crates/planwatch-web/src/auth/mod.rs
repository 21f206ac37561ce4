//! Who is asking, and whether they may: sessions, API tokens, CSRF, and the gate every
//! route goes through.
//!
//! Two layers. [`authenticate`] (on the whole router) turns a session cookie or an
//! `Authorization: Bearer` token into a [`Caller`] and puts it in the request; nothing
//! else reads cookies or tokens. [`gate`] (on every route, after routing) looks up the
//! route's [`Rule`](rules::Rule) in one table and asks `planwatch_core::access::allows`;
//! a route without a rule is refused, so a new page is closed until someone decides who
//! may see it. Handlers only narrow further what a rule lets through (the region list
//! shows the regions the caller may read).
//!
//! Secrets: a session id, a CSRF token and an API token are 256 random bits; the database
//! keeps only their SHA-256, the log never sees them (the request log prints method and
//! path only).

pub mod pages;
pub mod password;
pub mod rules;

use crate::AppState;
use axum::body::Body;
use axum::extract::{ConnectInfo, FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, Request, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, SameSite};
use chrono::{DateTime, Utc};
use planwatch_core::access::{self, Action, Grant, RegionRef, TokenScope};
use planwatch_store::RegionRow;
use planwatch_store::people::{AuditAction, NewAudit, Principal};
use rand::Rng;
use sha2::{Digest, Sha256};
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "planwatch_session";
/// A session unused this long ends (a clerk away from the desk).
pub const IDLE_TIMEOUT: chrono::Duration = chrono::Duration::minutes(60);
/// A session ends this long after login however busy (one working day).
pub const ABSOLUTE_TIMEOUT: chrono::Duration = chrono::Duration::hours(12);
/// Last use is written at most this often: a page view is not a database write.
const TOUCH_EVERY: chrono::Duration = chrono::Duration::seconds(60);
/// The form field and header that carry the CSRF token.
pub const CSRF_FIELD: &str = "csrf";
pub const CSRF_HEADER: &str = "x-csrf-token";
/// API tokens start with this, so that people (and secret scanners) know one when seen.
pub const TOKEN_PREFIX: &str = "pwt_";

/// 256 random bits as hex.
pub fn random_secret() -> String {
    let bytes: [u8; 32] = rand::rng().random();
    hex::encode(bytes)
}

/// What the database keeps of a secret.
pub fn digest(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// A new API token: what is shown once, and what the database keeps (hash, prefix).
pub fn new_token() -> (String, String, String) {
    let token = format!("{TOKEN_PREFIX}{}", random_secret());
    let prefix: String = token.chars().take(TOKEN_PREFIX.len() + 6).collect();
    (digest(&token), prefix, token)
}

/// How the caller proved who they are.
#[derive(Debug, Clone, PartialEq)]
pub enum Via {
    Anonymous,
    Session {
        id_hash: String,
        csrf: String,
        started: DateTime<Utc>,
    },
    Token {
        id: i64,
        scope: TokenScope,
    },
}

/// The person (or machine) behind a request.
#[derive(Debug, Clone)]
pub struct Caller {
    pub principal: Option<Arc<Principal>>,
    pub via: Via,
    pub address: Option<IpAddr>,
    /// Whether the request came over HTTPS (directly or through a proxy that says so).
    pub https: bool,
}

impl Caller {
    fn anonymous(address: Option<IpAddr>, https: bool) -> Caller {
        Caller {
            principal: None,
            via: Via::Anonymous,
            address,
            https,
        }
    }

    pub fn signed_in(&self) -> bool {
        self.principal.is_some()
    }

    /// The login name, or "" for nobody.
    pub fn name(&self) -> &str {
        self.principal.as_ref().map_or("", |p| p.user.name.as_str())
    }

    pub fn user_id(&self) -> Option<i64> {
        self.principal.as_ref().map(|p| p.user.id)
    }

    pub fn grants(&self) -> &[Grant] {
        self.principal.as_ref().map_or(&[], |p| p.grants.as_slice())
    }

    /// Whether the caller is the administrator (the pages only it reads).
    pub fn is_admin(&self) -> bool {
        access::is_admin(self.grants())
    }

    /// A read-scoped token reads only, whatever the account's roles.
    fn read_only(&self) -> bool {
        matches!(
            self.via,
            Via::Token {
                scope: TokenScope::Read,
                ..
            }
        )
    }

    /// Whether the caller may do `action` on `region`.
    pub fn may(&self, action: Action, region: &RegionRow) -> bool {
        !(action.is_write() && self.read_only())
            && access::allows(
                self.grants(),
                action,
                RegionRef {
                    id: region.id,
                    path: &region.path,
                },
            )
    }

    /// The CSRF token forms must carry, for a session.
    pub fn csrf(&self) -> &str {
        match &self.via {
            Via::Session { csrf, .. } => csrf,
            _ => "",
        }
    }

    /// The audit line for something this caller did.
    pub fn audit(
        &self,
        action: AuditAction,
        region_id: Option<i64>,
        subject: &str,
        detail: &str,
    ) -> NewAudit {
        NewAudit {
            actor: self.name().to_string(),
            action,
            region_id,
            subject: subject.to_string(),
            detail: detail.to_string(),
            address: self.address.map(|a| a.to_string()),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Caller, Self::Rejection> {
        Ok(parts
            .extensions
            .get::<Caller>()
            .cloned()
            .unwrap_or_else(|| Caller::anonymous(None, false)))
    }
}

fn client_address<B>(req: &Request<B>) -> Option<IpAddr> {
    req.extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(a)| a.ip())
}

fn came_over_https<B>(req: &Request<B>) -> bool {
    req.uri().scheme_str() == Some("https")
        || req
            .headers()
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.eq_ignore_ascii_case("https"))
}

/// The credential a request carries (a well-formed session cookie or API token), not yet
/// checked: what the write rate limit counts per person rather than per address.
pub(crate) fn credential(headers: &HeaderMap) -> Option<String> {
    match bearer(headers) {
        Some(Ok(token)) => Some(token),
        _ => session_cookie(headers),
    }
}

fn session_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| Cookie::parse(c.trim().to_string()).ok())
        .find(|c| c.name() == SESSION_COOKIE)
        .map(|c| c.value().to_string())
        .filter(|v| v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn bearer(headers: &HeaderMap) -> Option<Result<String, ()>> {
    let value = headers.get(header::AUTHORIZATION)?;
    let text = value.to_str().map_err(|_| ());
    Some(text.and_then(|t| {
        let t = t.trim();
        let token = t
            .strip_prefix("Bearer ")
            .or_else(|| t.strip_prefix("bearer "))
            .ok_or(())?
            .trim();
        let ok = token.len() == TOKEN_PREFIX.len() + 64
            && token.starts_with(TOKEN_PREFIX)
            && token[TOKEN_PREFIX.len()..]
                .bytes()
                .all(|b| b.is_ascii_hexdigit());
        if ok { Ok(token.to_string()) } else { Err(()) }
    }))
}

/// The `Set-Cookie` value of a session (or of its removal when `id` is `None`).
pub fn session_cookie_header(id: Option<&str>, https: bool) -> HeaderValue {
    let mut c = Cookie::new(SESSION_COOKIE, id.unwrap_or("").to_string());
    c.set_path("/");
    c.set_http_only(true);
    c.set_same_site(SameSite::Lax);
    c.set_secure(https);
    if id.is_none() {
        c.make_removal();
    }
    HeaderValue::from_str(&c.to_string()).unwrap_or_else(|_| HeaderValue::from_static(""))
}

fn is_api(path: &str) -> bool {
    path.starts_with("/api/")
}

/// A refusal as the client expects it: JSON under `/api/`, a page elsewhere.
pub(crate) fn refuse(path: &str, status: StatusCode, message: &str) -> Response {
    if is_api(path) {
        crate::api::ApiError::new(status, message).into_response()
    } else {
        crate::error::page(status, status_title(status), message)
    }
}

fn status_title(status: StatusCode) -> &'static str {
    match status {
        StatusCode::UNAUTHORIZED => "请先登录（401）",
        StatusCode::FORBIDDEN => "无权访问（403）",
        StatusCode::TOO_MANY_REQUESTS => "操作过于频繁（429）",
        _ => "请求有误",
    }
}

/// Where an anonymous visitor of a page is sent: the login page, back here after.
fn to_login(path_and_query: &str, expired: bool) -> Response {
    let mut target = String::from("/login?");
    if expired {
        target.push_str("expired=1&");
    }
    target.push_str("next=");
    target.push_str(&pages::encode_next(path_and_query));
    Redirect::to(&target).into_response()
}

/// Resolves the caller of every request (see the module comment).
pub async fn authenticate(
    State(state): State<AppState>,
    mut req: Request<Body>,
    next: Next,
) -> Response {
    let address = client_address(&req);
    let https = came_over_https(&req);
    let path = req.uri().path().to_string();
    let mut caller = Caller::anonymous(address, https);
    let mut clear_cookie = false;
    let mut expired = false;
    match bearer(req.headers()) {
        Some(Ok(token)) => match state.store.token(&digest(&token), Utc::now()).await {
            Ok(Some((row, principal))) => {
                caller.principal = Some(Arc::new(principal));
                caller.via = Via::Token {
                    id: row.id,
                    scope: row.scope,
                };
            }
            Ok(None) => {
                record_denial(&state, &caller, "接口令牌无效、已吊销或其账号已停用", &path).await;
                return refuse(
                    &path,
                    StatusCode::UNAUTHORIZED,
                    "接口令牌无效、已吊销或其账号已停用。请在“我的账号”中新建令牌。",
                );
            }
            Err(e) => return crate::WebError::from(e).into_response(),
        },
        Some(Err(())) => {
            record_denial(&state, &caller, "接口令牌格式不对", &path).await;
            return refuse(
                &path,
                StatusCode::UNAUTHORIZED,
                "接口令牌格式不对：请求头应为 Authorization: Bearer pwt_…（令牌创建时显示的全部字符）。",
            );
        }
        None => {
            if let Some(id) = session_cookie(req.headers()) {
                let id_hash = digest(&id);
                match state.store.session(&id_hash).await {
                    Ok(Some((session, principal))) => {
                        let now = Utc::now();
                        if now - session.last_seen_at > IDLE_TIMEOUT
                            || now - session.created_at > ABSOLUTE_TIMEOUT
                        {
                            if let Err(e) = state.store.delete_session(&id_hash).await {
                                tracing::warn!(error = %e, "an expired session could not be removed");
                            }
                            let mut a = caller.audit(
                                AuditAction::Denied,
                                None,
                                &principal.user.name,
                                "会话已过期",
                            );
                            a.actor = principal.user.name.clone();
                            if let Err(e) = state.store.audit(&a).await {
                                tracing::warn!(error = %e, "audit write failed");
                            }
                            clear_cookie = true;
                            expired = true;
                        } else {
                            if now - session.last_seen_at > TOUCH_EVERY
                                && let Err(e) = state.store.touch_session(&id_hash, now).await
                            {
                                tracing::warn!(error = %e, "a session's last use could not be recorded");
                            }
                            caller.principal = Some(Arc::new(principal));
                            caller.via = Via::Session {
                                id_hash,
                                csrf: session.csrf_token,
                                started: session.created_at,
                            };
                        }
                    }
                    // Unknown (logged out, or its account disabled): forget the cookie.
                    Ok(None) => clear_cookie = true,
                    Err(e) => return crate::WebError::from(e).into_response(),
                }
            }
        }
    }
    let public = rules::is_public(&path);
    if !caller.signed_in() && !public {
        let mut response = if is_api(&path) {
            refuse(
                &path,
                StatusCode::UNAUTHORIZED,
                "请先登录，或在请求头中带上接口令牌（Authorization: Bearer …）。",
            )
        } else if req.method() == Method::GET || req.method() == Method::HEAD {
            let pq = req
                .uri()
                .path_and_query()
                .map_or(path.clone(), |p| p.as_str().to_string());
            to_login(&pq, expired)
        } else {
            refuse(
                &path,
                StatusCode::UNAUTHORIZED,
                "登录已失效，请重新登录后再提交。",
            )
        };
        if clear_cookie {
            response
                .headers_mut()
                .append(header::SET_COOKIE, session_cookie_header(None, https));
        }
        return response;
    }
    req.extensions_mut().insert(caller.clone());
    let mut response = next.run(req).await;
    if clear_cookie {
        response
            .headers_mut()
            .append(header::SET_COOKIE, session_cookie_header(None, https));
    }
    // Pages are the same for everyone who may see them (and are kept in a cache as such);
    // who is signed in is written into the page's header on the way out.
    pages::with_account_bar(response, &caller).await
}

/// Writes a refused attempt to the audit log (a failure to write is only logged: the
/// refusal stands either way).
pub(crate) async fn record_denial(state: &AppState, caller: &Caller, why: &str, path: &str) {
    let entry = caller.audit(AuditAction::Denied, None, path, why);
    if let Err(e) = state.store.audit(&entry).await {
        tracing::warn!(error = %e, "audit write failed");
    }
}

/// Whether a request changes something.
pub(crate) fn is_write(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}
