//! Logging in and out, one's own account (password, API tokens), and the account bar in
//! every page's header.

use super::password::{self, DUMMY_HASH};
use super::{Caller, Via, digest, new_token, random_secret, session_cookie_header};
use crate::{AppState, WebError};
use askama::Template;
use axum::Form;
use axum::body::{Body, to_bytes};
use axum::extract::rejection::{FormRejection, PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::Utc;
use planwatch_core::access::{Role, TokenScope};
use planwatch_store::people::{AuditAction, GrantRow, TokenRow};
use serde::Deserialize;

/// Failed logins counted over this window.
pub const THROTTLE_WINDOW: chrono::Duration = chrono::Duration::minutes(15);
/// Failed logins of one account in the window before it is refused for the rest of it.
pub const ACCOUNT_FAILURES: i64 = 5;
/// Failed logins from one address in the window (an office shares one address).
pub const ADDRESS_FAILURES: i64 = 30;

/// Where the page header's account bar goes (base.html).
const ACCOUNT_MARK: &str = "<!--account-->";
/// The largest page the account bar is written into (the source page of a plan is the
/// largest, about 2 MB).
const PAGE_LIMIT: usize = 32 * 1024 * 1024;

/// `next` for the login page, percent-encoded.
pub fn encode_next(path_and_query: &str) -> String {
    serde_urlencoded::to_string([("n", path_and_query)])
        .map(|s| s.trim_start_matches("n=").to_string())
        .unwrap_or_default()
}

/// Only a path of this site: no `//host`, no scheme.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.starts_with("/\\") => {
            n.to_string()
        }
        _ => "/".to_string(),
    }
}

fn escape(s: &str) -> String {
    askama::filters::escape(s, askama::filters::Html)
        .map(|e| e.to_string())
        .unwrap_or_default()
}

/// Writes who is signed in (and the logout button) into an HTML page's header.
pub async fn with_account_bar(response: Response, caller: &Caller) -> Response {
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if !is_html {
        return response;
    }
    let (parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, PAGE_LIMIT).await else {
        tracing::error!("a page too large for its account bar");
        return crate::error::page(
            StatusCode::INTERNAL_SERVER_ERROR,
            "服务器内部错误（500）",
            crate::error::INTERNAL,
        );
    };
    let html = String::from_utf8_lossy(&bytes);
    let Some(at) = html.find(ACCOUNT_MARK) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    let bar = match &caller.principal {
        Some(p) => {
            let who = if p.user.display_name.is_empty() {
                &p.user.name
            } else {
                &p.user.display_name
            };
            let logout = if matches!(caller.via, Via::Session { .. }) {
                format!(
                    r#"<form class="logout" method="post" action="/logout"><input type="hidden" name="csrf" value="{}"><button type="submit">退出</button></form>"#,
                    escape(caller.csrf())
                )
            } else {
                String::new()
            };
            let admin = if caller.is_admin() {
                r#"<a href="/users">账号管理</a><a href="/audit">审计日志</a>"#
            } else {
                ""
            };
            format!(
                r#"<form class="site-search" method="get" action="/search" role="search"><input type="search" name="q" maxlength="40" aria-label="搜索地区、指标、目标" placeholder="搜索地区、指标"><button type="submit">搜索</button></form><a href="/">地区列表</a><a href="/indicators">监测指标目录</a><a href="/public">公开发布</a><span class="account">{admin}<a href="/account" title="我的账号">{}</a>{logout}</span>"#,
                escape(who)
            )
        }
        None => {
            r#"<a href="/public">公开发布</a><span class="account"><a href="/login">登录</a></span>"#
                .to_string()
        }
    };
    let mut out = String::with_capacity(html.len() + bar.len());
    out.push_str(&html[..at]);
    out.push_str(&bar);
    out.push_str(&html[at + ACCOUNT_MARK.len()..]);
    let mut response = Response::from_parts(parts, Body::from(out));
    response.headers_mut().remove(header::CONTENT_LENGTH);
    if caller.signed_in() {
        // A signed-in page is for this person only: not kept by the browser, so that the
        // back button after logout on an office's shared computer shows nothing.
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

// ----- login -----

pub struct DemoAccount {
    pub name: String,
    pub password: String,
    pub display_name: String,
    pub roles: String,
}

pub struct DemoGroup {
    pub region: String,
    pub accounts: Vec<DemoAccount>,
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    next: String,
    name: String,
    message: Option<String>,
    notice: Option<String>,
    demo: Vec<DemoGroup>,
}

#[derive(Deserialize)]
pub struct LoginQuery {
    next: Option<String>,
    expired: Option<String>,
    out: Option<String>,
}

pub fn roles_text(grants: &[GrantRow]) -> String {
    let parts: Vec<String> = grants
        .iter()
        .map(|g| {
            let mut s = g.grant.role.label().to_string();
            if let Some(r) = &g.region_name {
                s = format!("{r}·{s}");
            }
            if let Some(u) = &g.unit_name {
                s.push_str(&format!("（{u}）"));
            }
            s
        })
        .collect();
    if parts.is_empty() {
        "尚无角色".into()
    } else {
        parts.join("、")
    }
}

async fn demo_accounts(state: &AppState) -> Result<Vec<DemoGroup>, WebError> {
    let mut groups: Vec<DemoGroup> = Vec::new();
    for user in state.store.users().await? {
        let (Some(password), false) = (user.demo_password.clone(), user.disabled) else {
            continue;
        };
        let grants = state.store.grants(user.id).await?;
        let region = grants
            .iter()
            .find_map(|g| g.grant.region_path.clone())
            .unwrap_or_else(|| "全部地区".into());
        let account = DemoAccount {
            roles: roles_text(&grants),
            name: user.name,
            password,
            display_name: user.display_name,
        };
        match groups.iter_mut().find(|g| g.region == region) {
            Some(g) => g.accounts.push(account),
            None => groups.push(DemoGroup {
                region,
                accounts: vec![account],
            }),
        }
    }
    groups.sort_by(|a, b| a.region.cmp(&b.region));
    Ok(groups)
}

async fn login_page(
    state: &AppState,
    next: String,
    name: String,
    message: Option<String>,
    notice: Option<String>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let page = LoginPage {
        next,
        name,
        message,
        notice,
        demo: demo_accounts(state).await?,
    };
    Ok((status, Html(page.render()?)).into_response())
}

pub async fn login_form(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<LoginQuery>, QueryRejection>,
) -> Result<Response, WebError> {
    let q = query.ok().map(|Query(q)| q);
    let next = safe_next(q.as_ref().and_then(|q| q.next.as_deref()));
    if caller.signed_in() && matches!(caller.via, Via::Session { .. }) {
        return Ok(Redirect::to(&next).into_response());
    }
    let notice = match q {
        Some(LoginQuery {
            expired: Some(_), ..
        }) => Some("登录已超时，请重新登录。".to_string()),
        Some(LoginQuery { out: Some(_), .. }) => Some("您已退出登录。".to_string()),
        _ => None,
    };
    login_page(&state, next, String::new(), None, notice, StatusCode::OK).await
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    password: String,
    next: Option<String>,
}

pub async fn login(
    State(state): State<AppState>,
    caller: Caller,
    form: Result<Form<LoginForm>, FormRejection>,
) -> Result<Response, WebError> {
    let Ok(Form(form)) = form else {
        return Err(WebError::BadRequest(
            "登录表单不完整，请在登录页面重新填写。".into(),
        ));
    };
    let name = form.name.trim().to_string();
    let next = safe_next(form.next.as_deref());
    let address = caller.address.map(|a| a.to_string()).unwrap_or_default();
    let refuse = |message: &str, status| {
        login_page(
            &state,
            next.clone(),
            name.clone(),
            Some(message.to_string()),
            None,
            status,
        )
    };
    if name.is_empty() || form.password.is_empty() {
        return refuse("请填写登录名和密码。", StatusCode::BAD_REQUEST).await;
    }
    let since = Utc::now() - THROTTLE_WINDOW;
    let (by_account, by_address) = state.store.login_failures(&name, &address, since).await?;
    if by_account >= ACCOUNT_FAILURES || by_address >= ADDRESS_FAILURES {
        let mut a = caller.audit(
            AuditAction::LoginFailed,
            None,
            &name,
            "登录失败次数过多，已暂停尝试",
        );
        a.actor = String::new();
        state.store.audit(&a).await?;
        let message = if by_account >= ACCOUNT_FAILURES {
            format!(
                "该账号连续 {ACCOUNT_FAILURES} 次密码错误，已暂停登录 15 分钟。请稍后再试；如忘记密码，请联系本级妇儿工委办公室重置。"
            )
        } else {
            "您所在网络的登录失败次数过多，已暂停登录 15 分钟，请稍后再试。".to_string()
        };
        return refuse(&message, StatusCode::TOO_MANY_REQUESTS).await;
    }
    let user = state.store.user_by_name(&name).await?;
    let stored = user
        .as_ref()
        .map_or_else(|| DUMMY_HASH.clone(), |u| u.password_hash.clone());
    let matches = password::verify_async(form.password.clone(), stored).await;
    let fail_reason = match &user {
        None => Some("账号不存在"),
        Some(_) if !matches => Some("密码错误"),
        Some(u) if u.disabled => Some("账号已停用"),
        Some(_) => None,
    };
    if let Some(reason) = fail_reason {
        state
            .store
            .record_login_failure(&name, &address, Utc::now())
            .await?;
        let mut a = caller.audit(AuditAction::LoginFailed, None, &name, reason);
        a.actor = String::new();
        state.store.audit(&a).await?;
        // A disabled account is told so only when the password was right: nobody learns
        // which names exist from this page.
        let message = if reason == "账号已停用" {
            "该账号已停用。如需恢复，请联系本级妇儿工委办公室。"
        } else {
            "登录名或密码不正确，请重新输入。"
        };
        return refuse(message, StatusCode::UNAUTHORIZED).await;
    }
    let Some(user) = user else {
        return refuse("登录名或密码不正确，请重新输入。", StatusCode::UNAUTHORIZED).await;
    };
    state.store.clear_login_failures(&name).await?;
    // A new id at every login: a session id planted before login is worth nothing.
    if let Via::Session { id_hash, .. } = &caller.via {
        state.store.delete_session(id_hash).await?;
    }
    let id = random_secret();
    state
        .store
        .create_session(&digest(&id), user.id, &random_secret(), Utc::now())
        .await?;
    let mut a = caller.audit(AuditAction::Login, None, &user.name, "");
    a.actor = user.name.clone();
    state.store.audit(&a).await?;
    let mut response = Redirect::to(&next).into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        session_cookie_header(Some(&id), caller.https),
    );
    Ok(response)
}

pub async fn logout(State(state): State<AppState>, caller: Caller) -> Result<Response, WebError> {
    if let Via::Session { id_hash, .. } = &caller.via {
        state.store.delete_session(id_hash).await?;
        state
            .store
            .audit(&caller.audit(AuditAction::Logout, None, caller.name(), ""))
            .await?;
    }
    let mut response = Redirect::to("/login?out=1").into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        session_cookie_header(None, caller.https),
    );
    Ok(response)
}

// ----- one's own account -----

pub struct TokenLine {
    pub id: i64,
    pub name: String,
    pub scope: &'static str,
    pub prefix: String,
    pub created: String,
    pub used: String,
    pub revoked: Option<String>,
}

impl TokenLine {
    fn of(t: &TokenRow) -> TokenLine {
        let day = |d: chrono::DateTime<Utc>| crate::format::local_time(d);
        TokenLine {
            id: t.id,
            name: t.name.clone(),
            scope: t.scope.label(),
            prefix: t.prefix.clone(),
            created: day(t.created_at),
            used: t.last_used_at.map(day).unwrap_or_else(|| "从未使用".into()),
            revoked: t.revoked_at.map(day),
        }
    }
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    name: String,
    display_name: String,
    roles: Vec<String>,
    csrf: String,
    tokens: Vec<TokenLine>,
    new_token: Option<String>,
    message: Option<String>,
    error: Option<String>,
    via_token: bool,
}

async fn account_page(
    state: &AppState,
    caller: &Caller,
    new_token: Option<String>,
    message: Option<String>,
    error: Option<String>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let Some(p) = &caller.principal else {
        return Ok(Redirect::to("/login").into_response());
    };
    let grants = state.store.grants(p.user.id).await?;
    let roles = grants
        .iter()
        .map(|g| roles_text(std::slice::from_ref(g)))
        .collect();
    let tokens = state.store.tokens(p.user.id).await?;
    let page = AccountPage {
        name: p.user.name.clone(),
        display_name: p.user.display_name.clone(),
        roles,
        csrf: caller.csrf().to_string(),
        tokens: tokens.iter().map(TokenLine::of).collect(),
        new_token,
        message,
        error,
        via_token: !matches!(caller.via, Via::Session { .. }),
    };
    let mut response = (status, Html(page.render()?)).into_response();
    // The page may hold a token shown once: no copy of it anywhere.
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

pub async fn account(State(state): State<AppState>, caller: Caller) -> Result<Response, WebError> {
    account_page(&state, &caller, None, None, None, StatusCode::OK).await
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
    #[serde(default)]
    repeat: String,
}

pub async fn change_password(
    State(state): State<AppState>,
    caller: Caller,
    form: Result<Form<PasswordForm>, FormRejection>,
) -> Result<Response, WebError> {
    let (Some(p), Via::Session { id_hash, .. }) = (&caller.principal, &caller.via) else {
        return Err(WebError::Forbidden("请在登录后的页面上修改密码。".into()));
    };
    let fail = |m: &str| {
        account_page(
            &state,
            &caller,
            None,
            None,
            Some(m.to_string()),
            StatusCode::BAD_REQUEST,
        )
    };
    let Ok(Form(f)) = form else {
        return fail("表单不完整，请重新填写。").await;
    };
    if !password::verify_async(f.current.clone(), p.user.password_hash.clone()).await {
        return fail("当前密码不正确，密码未修改。").await;
    }
    if f.new != f.repeat {
        return fail("两次输入的新密码不一致，密码未修改。").await;
    }
    if let Err(why) = password::check_strength(&f.new, &p.user.name) {
        return fail(&format!("{why}，密码未修改。")).await;
    }
    let hash = password::hash_async(f.new)
        .await
        .map_err(WebError::Internal)?;
    state
        .store
        .set_password(p.user.id, &hash, &p.user.name, false, Some(id_hash))
        .await?;
    account_page(
        &state,
        &caller,
        None,
        Some("密码已修改。您在其他电脑或浏览器上的登录已全部退出。".into()),
        None,
        StatusCode::OK,
    )
    .await
}

#[derive(Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    scope: String,
}

pub async fn create_token(
    State(state): State<AppState>,
    caller: Caller,
    form: Result<Form<TokenForm>, FormRejection>,
) -> Result<Response, WebError> {
    let Some(p) = caller.principal.clone() else {
        return Ok(Redirect::to("/login").into_response());
    };
    let fail = |m: &str| {
        account_page(
            &state,
            &caller,
            None,
            None,
            Some(m.to_string()),
            StatusCode::BAD_REQUEST,
        )
    };
    let Ok(Form(f)) = form else {
        return fail("表单不完整，请重新填写。").await;
    };
    let name = f.name.trim();
    if name.is_empty() || name.chars().count() > 60 {
        return fail("请为令牌起一个名称（60 字以内），例如“卫健委数据系统”。").await;
    }
    let Some(scope) = TokenScope::parse(&f.scope) else {
        return fail("请选择令牌的权限：只读或读写。").await;
    };
    let (hash, prefix, token) = new_token();
    state
        .store
        .create_token(p.user.id, name, scope, &hash, &prefix, &p.user.name)
        .await?;
    account_page(
        &state,
        &caller,
        Some(token),
        Some(format!("已创建令牌“{name}”。")),
        None,
        StatusCode::OK,
    )
    .await
}

pub async fn revoke_token(
    State(state): State<AppState>,
    caller: Caller,
    path: Result<Path<String>, PathRejection>,
) -> Result<Response, WebError> {
    let Some(p) = caller.principal.clone() else {
        return Ok(Redirect::to("/login").into_response());
    };
    let raw = crate::regions::segment(path)?;
    let id = crate::regions::parse_id(&raw, "令牌")?;
    let done = state
        .store
        .revoke_token(p.user.id, id, &p.user.name)
        .await?;
    let (message, error) = if done {
        (
            Some("令牌已吊销，使用它的系统将无法再访问。".to_string()),
            None,
        )
    } else {
        (None, Some("没有找到这个令牌，或它已被吊销。".to_string()))
    };
    account_page(&state, &caller, None, message, error, StatusCode::OK).await
}

/// Whether a role is one the pages offer to give (the administrator's is given by the
/// command line only).
pub fn grantable(role: Role) -> bool {
    role != Role::Admin
}
