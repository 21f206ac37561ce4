//! The accounts of a region, as its committee office manages them
//! (`/regions/{id}/users`), every account for the administrator (`/users`), and the audit
//! log (`/regions/{id}/audit`, `/audit`).

use crate::auth::password;
use crate::auth::{Caller, pages::roles_text};
use crate::format;
use crate::regions::{parse_id, region_of, segment};
use crate::{AppState, WebError};
use askama::Template;
use axum::Form;
use axum::extract::rejection::{FormRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use planwatch_core::access::{Role, within};
use planwatch_store::people::{AuditEntry, GrantRow, NewUser, UserRow};
use planwatch_store::{RegionRow, StoreError};
use serde::Deserialize;

pub struct RoleLine {
    pub text: String,
    pub role: &'static str,
    pub unit: Option<i64>,
    /// Whether this office may take it back (a role on its own region).
    pub revocable: bool,
}

pub struct UserLine {
    pub id: i64,
    pub name: String,
    pub display_name: String,
    pub disabled: bool,
    pub roles: Vec<RoleLine>,
    /// Whether the office may reset, disable or enable the account: every role of it is
    /// within the office's region.
    pub manageable: bool,
}

pub struct UnitChoice {
    pub id: i64,
    pub name: String,
}

pub struct RoleChoice {
    pub code: &'static str,
    pub label: &'static str,
}

#[derive(Template)]
#[template(path = "users.html")]
struct UsersPage {
    region: String,
    region_href: String,
    action: String,
    users: Vec<UserLine>,
    units: Vec<UnitChoice>,
    roles: Vec<RoleChoice>,
    csrf: String,
    message: Option<String>,
    error: Option<String>,
}

struct Shown {
    message: Option<String>,
    error: Option<String>,
    status: StatusCode,
}

impl Shown {
    fn ok(m: impl Into<String>) -> Shown {
        Shown {
            message: Some(m.into()),
            error: None,
            status: StatusCode::OK,
        }
    }
    fn bad(e: impl Into<String>) -> Shown {
        Shown {
            message: None,
            error: Some(e.into()),
            status: StatusCode::BAD_REQUEST,
        }
    }
}

/// Whether every role of the account lies within `region` (so its office may manage it).
fn within_region(grants: &[GrantRow], region: &RegionRow) -> bool {
    !grants.is_empty()
        && grants.iter().all(|g| {
            g.grant.role != Role::Admin
                && g.grant
                    .region_path
                    .as_deref()
                    .is_some_and(|p| within(p, &region.path))
        })
}

async fn users_page(
    state: &AppState,
    caller: &Caller,
    region: &RegionRow,
    shown: Shown,
) -> Result<Response, WebError> {
    let held = state.store.region_grants(region.id).await?;
    let mut ids: Vec<i64> = held.iter().map(|g| g.user_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let mut users = Vec::new();
    for id in ids {
        let Some(user) = state.store.user(id).await? else {
            continue;
        };
        let grants = state.store.grants(id).await?;
        users.push(UserLine {
            id,
            manageable: within_region(&grants, region) && Some(id) != caller.user_id(),
            roles: grants
                .iter()
                .map(|g| RoleLine {
                    text: roles_text(std::slice::from_ref(g)),
                    role: g.grant.role.code(),
                    unit: g.grant.unit_id,
                    revocable: g.grant.region_id == Some(region.id) && Some(id) != caller.user_id(),
                })
                .collect(),
            name: user.name,
            display_name: user.display_name,
            disabled: user.disabled,
        });
    }
    users.sort_by(|a, b| a.name.cmp(&b.name));
    let units = state
        .store
        .member_units(region.id)
        .await?
        .into_iter()
        .map(|u| UnitChoice {
            id: u.id,
            name: u.name,
        })
        .collect();
    let page = UsersPage {
        region: region.name.clone(),
        region_href: format!("/regions/{}", region.id),
        action: format!("/regions/{}/users", region.id),
        users,
        units,
        roles: Role::ALL
            .into_iter()
            .filter(|r| crate::auth::pages::grantable(*r))
            .map(|r| RoleChoice {
                code: r.code(),
                label: r.label(),
            })
            .collect(),
        csrf: caller.csrf().to_string(),
        message: shown.message,
        error: shown.error,
    };
    Ok((shown.status, Html(page.render()?)).into_response())
}

pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    path: Result<Path<String>, PathRejection>,
) -> Result<Response, WebError> {
    let region = region_of(&state, &segment(path)?).await?;
    let shown = Shown {
        message: None,
        error: None,
        status: StatusCode::OK,
    };
    users_page(&state, &caller, &region, shown).await
}

#[derive(Deserialize)]
pub struct NewUserForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    role: String,
    unit: Option<String>,
    #[serde(default)]
    password: String,
}

/// Login names: letters (Chinese too), digits and `._-`, 2–40 characters.
fn valid_login(name: &str) -> bool {
    (2..=40).contains(&name.chars().count())
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    path: Result<Path<String>, PathRejection>,
    form: Result<Form<NewUserForm>, FormRejection>,
) -> Result<Response, WebError> {
    let region = region_of(&state, &segment(path)?).await?;
    let Ok(Form(f)) = form else {
        return users_page(
            &state,
            &caller,
            &region,
            Shown::bad("表单不完整，请重新填写。"),
        )
        .await;
    };
    let name = f.name.trim();
    if !valid_login(name) {
        let msg =
            "登录名应为 2 至 40 个汉字、字母、数字或 . _ -（例如 连平县-卫健委），未创建账号。";
        return users_page(&state, &caller, &region, Shown::bad(msg)).await;
    }
    let role = match Role::parse(&f.role) {
        Some(r) if crate::auth::pages::grantable(r) => r,
        _ => {
            return users_page(&state, &caller, &region, Shown::bad("请选择角色。")).await;
        }
    };
    let unit = f
        .unit
        .as_deref()
        .and_then(|u| u.parse::<i64>().ok())
        .filter(|_| role.needs_unit());
    if role.needs_unit() && unit.is_none() {
        let msg = "成员单位填报人员须选择所属成员单位，未创建账号。";
        return users_page(&state, &caller, &region, Shown::bad(msg)).await;
    }
    if let Err(why) = password::check_strength(&f.password, name) {
        return users_page(
            &state,
            &caller,
            &region,
            Shown::bad(format!("初始密码：{why}，未创建账号。")),
        )
        .await;
    }
    let hash = password::hash_async(f.password)
        .await
        .map_err(WebError::Internal)?;
    let new = NewUser {
        name: name.to_string(),
        display_name: f.display_name.trim().to_string(),
        password_hash: hash,
        demo_password: None,
    };
    let id = match state.store.create_user(&new, caller.name()).await {
        Ok(id) => id,
        Err(e @ StoreError::UserExists { .. }) => {
            return users_page(&state, &caller, &region, Shown::bad(e.to_string())).await;
        }
        Err(e) => return Err(e.into()),
    };
    match state
        .store
        .grant_role(id, role, Some(region.id), unit, caller.name())
        .await
    {
        Ok(()) => {}
        Err(e @ StoreError::EditRefused(_)) => {
            return users_page(&state, &caller, &region, Shown::bad(e.to_string())).await;
        }
        Err(e) => return Err(e.into()),
    }
    let msg = format!(
        "已创建账号“{name}”（{}）。请把登录名和初始密码当面或电话告知本人，并提醒其登录后修改密码。",
        role.label()
    );
    users_page(&state, &caller, &region, Shown::ok(msg)).await
}

/// The account `{user}` of the route, if the office of `region` may manage it.
async fn managed_user(
    state: &AppState,
    caller: &Caller,
    region: &RegionRow,
    raw: &str,
) -> Result<UserRow, WebError> {
    let id = parse_id(raw, "账号")?;
    let user = state
        .store
        .user(id)
        .await?
        .ok_or_else(|| WebError::NotFound(format!("没有编号为“{raw}”的账号。")))?;
    let grants = state.store.grants(id).await?;
    if Some(id) == caller.user_id() {
        return Err(WebError::Forbidden(
            "不能在这里修改自己的账号；修改自己的密码请到“我的账号”。".into(),
        ));
    }
    if !caller.is_admin() && !within_region(&grants, region) {
        return Err(WebError::Forbidden(
            "该账号还有其他地区的角色，只能由系统管理员修改。".into(),
        ));
    }
    Ok(user)
}

#[derive(Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    password: String,
}

pub async fn reset_password(
    State(state): State<AppState>,
    caller: Caller,
    path: Result<Path<(String, String)>, PathRejection>,
    form: Result<Form<ResetForm>, FormRejection>,
) -> Result<Response, WebError> {
    let (raw_region, raw_user) = segment(path)?;
    let region = region_of(&state, &raw_region).await?;
    let user = managed_user(&state, &caller, &region, &raw_user).await?;
    let pw = form.ok().map(|Form(f)| f.password).unwrap_or_default();
    if let Err(why) = password::check_strength(&pw, &user.name) {
        return users_page(
            &state,
            &caller,
            &region,
            Shown::bad(format!("新密码：{why}，未重置。")),
        )
        .await;
    }
    let hash = password::hash_async(pw).await.map_err(WebError::Internal)?;
    state
        .store
        .set_password(user.id, &hash, caller.name(), true, None)
        .await?;
    let msg = format!("已重置“{}”的密码，其原有登录已全部退出。", user.name);
    users_page(&state, &caller, &region, Shown::ok(msg)).await
}

async fn set_disabled(
    state: AppState,
    caller: Caller,
    path: Result<Path<(String, String)>, PathRejection>,
    disabled: bool,
) -> Result<Response, WebError> {
    let (raw_region, raw_user) = segment(path)?;
    let region = region_of(&state, &raw_region).await?;
    let user = managed_user(&state, &caller, &region, &raw_user).await?;
    state
        .store
        .set_disabled(user.id, disabled, caller.name())
        .await?;
    let msg = if disabled {
        format!("已停用“{}”：其登录和接口令牌立即失效。", user.name)
    } else {
        format!("已启用“{}”。", user.name)
    };
    users_page(&state, &caller, &region, Shown::ok(msg)).await
}

pub async fn disable(
    State(state): State<AppState>,
    caller: Caller,
    path: Result<Path<(String, String)>, PathRejection>,
) -> Result<Response, WebError> {
    set_disabled(state, caller, path, true).await
}

pub async fn enable(
    State(state): State<AppState>,
    caller: Caller,
    path: Result<Path<(String, String)>, PathRejection>,
) -> Result<Response, WebError> {
    set_disabled(state, caller, path, false).await
}

#[derive(Deserialize)]
pub struct RevokeForm {
    #[serde(default)]
    role: String,
    unit: Option<String>,
}

pub async fn revoke(
    State(state): State<AppState>,
    caller: Caller,
    path: Result<Path<(String, String)>, PathRejection>,
    form: Result<Form<RevokeForm>, FormRejection>,
) -> Result<Response, WebError> {
    let (raw_region, raw_user) = segment(path)?;
    let region = region_of(&state, &raw_region).await?;
    let id = parse_id(&raw_user, "账号")?;
    if Some(id) == caller.user_id() {
        return Err(WebError::Forbidden("不能收回自己的角色。".into()));
    }
    let Ok(Form(f)) = form else {
        return Err(WebError::BadRequest(
            "表单不完整，请在页面上重新提交。".into(),
        ));
    };
    let role = Role::parse(&f.role)
        .filter(|r| crate::auth::pages::grantable(*r))
        .ok_or_else(|| WebError::BadRequest("未知的角色。".into()))?;
    let unit = f.unit.as_deref().and_then(|u| u.parse::<i64>().ok());
    let done = state
        .store
        .revoke_role(id, role, Some(region.id), unit, caller.name())
        .await?;
    let shown = if done {
        Shown::ok(format!("已收回角色“{}”。", role.label()))
    } else {
        Shown::bad("该账号在本地区没有这个角色。")
    };
    users_page(&state, &caller, &region, shown).await
}

// ----- the administrator's list of every account -----

pub struct AnyUser {
    pub name: String,
    pub display_name: String,
    pub disabled: bool,
    pub roles: String,
    pub created: String,
}

#[derive(Template)]
#[template(path = "all_users.html")]
struct AllUsersPage {
    users: Vec<AnyUser>,
}

pub async fn all(State(state): State<AppState>) -> Result<Response, WebError> {
    let mut users = Vec::new();
    for u in state.store.users().await? {
        let grants = state.store.grants(u.id).await?;
        users.push(AnyUser {
            roles: roles_text(&grants),
            created: format::local_time(u.created_at),
            name: u.name,
            display_name: u.display_name,
            disabled: u.disabled,
        });
    }
    Ok(Html(AllUsersPage { users }.render()?).into_response())
}

// ----- audit log -----

pub struct AuditLine {
    pub at: String,
    pub actor: String,
    pub action: &'static str,
    pub subject: String,
    pub detail: String,
    pub address: String,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    scope: String,
    lines: Vec<AuditLine>,
    limit: i64,
}

const AUDIT_LIMIT: i64 = 500;

fn audit_lines(entries: Vec<AuditEntry>) -> Vec<AuditLine> {
    entries
        .into_iter()
        .map(|e| AuditLine {
            at: format::local_time(e.at),
            actor: if e.actor.is_empty() {
                "（未登录）".into()
            } else {
                e.actor
            },
            action: e.action.label(),
            subject: e.subject,
            detail: e.detail,
            address: e.address.unwrap_or_default(),
        })
        .collect()
}

pub async fn region_audit(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
) -> Result<Response, WebError> {
    let region = region_of(&state, &segment(path)?).await?;
    let entries = state.store.audit_log(Some(region.id), AUDIT_LIMIT).await?;
    let page = AuditPage {
        scope: region.name.clone(),
        lines: audit_lines(entries),
        limit: AUDIT_LIMIT,
    };
    Ok(Html(page.render()?).into_response())
}

pub async fn all_audit(State(state): State<AppState>) -> Result<Response, WebError> {
    let entries = state.store.audit_log(None, AUDIT_LIMIT).await?;
    let page = AuditPage {
        scope: "全部地区".into(),
        lines: audit_lines(entries),
        limit: AUDIT_LIMIT,
    };
    Ok(Html(page.render()?).into_response())
}
