//! The one table of who may reach which route, and the gate that applies it.
//!
//! Every route's pattern (as written in `app()`) has a [`Rule`]; the gate finds the
//! region the route is about (from its `{id}`, or a plan's region), asks the caller's
//! grants, and checks the CSRF token of every write made with a session. A route missing
//! from the table is refused (and logged as the bug it is), so nothing is open by
//! accident.

use super::{CSRF_FIELD, CSRF_HEADER, Caller, Via, is_write, record_denial, refuse};
use crate::AppState;
use axum::body::{Body, Bytes, to_bytes};
use axum::extract::{FromRequest, MatchedPath, Multipart, RawPathParams, State};
use axum::http::{Method, Request, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use planwatch_core::access::{Action, own_units};
use planwatch_store::RegionRow;

/// Who may use a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// Anyone, signed in or not (the login page, the stylesheet).
    Public,
    /// Anyone signed in; the handler shows only what the caller may see.
    SignedIn,
    /// The administrator only.
    Admin,
    /// `action` on the region named by the route's `{id}`.
    Region(Action),
    /// `action` on the region of the plan named by the route's `{id}`.
    Plan(Action),
    /// Reading the region `{id}`, or for a reporter one of its own member units' indicators
    /// (`{key}` assigned to that unit).
    RegionOrOwnIndicator,
    /// Reading one member unit `{unit}` of the region `{id}`.
    Unit,
    /// Reporting for one member unit `{unit}` of the region `{id}`.
    UnitReport,
}

/// The rule of a route: `(method, pattern)` as routed.
pub fn rule(method: &Method, pattern: &str) -> Option<Rule> {
    let read = matches!(*method, Method::GET | Method::HEAD);
    let rule = match pattern {
        "/login" | "/static/style.css" => Rule::Public,
        // Published reports: frozen, for everyone (发布机制).
        "/public"
        | "/glossary"
        | "/public/data-dictionary"
        | "/public/reports/{id}"
        | "/public/reports/{id}/report.docx"
        | "/public/reports/{id}/report.xlsx"
        | "/public/reports/{id}/data.csv"
        | "/public/reports/{id}/data.json"
        | "/public/reports/{id}/sdmx.csv"
            if read =>
        {
            Rule::Public
        }
        // A report built live is read by whoever reads the region; publishing it is the
        // office's (`Action::Publish`).
        "/regions/{id}/report" | "/api/regions/{id}/report" => Rule::Region(Action::ReadRegion),
        "/regions/{id}/publications" if read => Rule::Region(Action::ReadRegion),
        "/regions/{id}/publications" => Rule::Region(Action::Publish),
        p if p.starts_with("/static/") => Rule::Public,
        "/logout"
        | "/account"
        | "/account/password"
        | "/account/tokens"
        | "/account/tokens/{token}/revoke" => Rule::SignedIn,
        "/" | "/indicators" | "/indicators/{code}" | "/search" => Rule::SignedIn,
        "/overview" | "/overview/compare/{key}" | "/api/overview" | "/audit" | "/users" => {
            Rule::Admin
        }
        "/regions/{id}"
        | "/regions/{id}/dashboard"
        | "/regions/{id}/compare/{key}"
        | "/regions/{id}/overview"
        | "/api/regions/{id}/dashboard"
        | "/api/regions/{id}/overview"
        | "/api/regions/{id}/targets/{tid}/history"
        | "/api/regions/{id}/targets/check" => Rule::Region(Action::ReadRegion),
        "/regions/{id}/indicators/{key}" => Rule::RegionOrOwnIndicator,
        "/regions/{id}/units/{unit}" => Rule::Unit,
        "/regions/{id}/units" if read => Rule::Region(Action::ReadRegion),
        "/regions/{id}/units" | "/regions/{id}/units/assign" => Rule::Region(Action::ManageUnits),
        "/api/regions/{id}/targets" | "/api/regions/{id}/targets/{tid}" if read => {
            Rule::Region(Action::ReadRegion)
        }
        "/api/regions/{id}/targets"
        | "/api/regions/{id}/targets/{tid}"
        | "/regions/{id}/review" => Rule::Region(Action::EditSystem),
        "/regions/{id}/users"
        | "/regions/{id}/users/{user}/password"
        | "/regions/{id}/users/{user}/disable"
        | "/regions/{id}/users/{user}/enable"
        | "/regions/{id}/users/{user}/revoke" => Rule::Region(Action::ManageUsers),
        "/regions/{id}/audit" => Rule::Region(Action::ReadAudit),
        // The reporting round: reading it is reading the region; a unit's form is its
        // reporter's; the office and the bureau run it; the bureau reviews.
        "/regions/{id}/rounds" | "/api/regions/{id}/rounds" if read => {
            Rule::Region(Action::ReadRegion)
        }
        "/regions/{id}/rounds"
        | "/api/regions/{id}/rounds"
        | "/regions/{id}/rounds/{year}/state" => Rule::Region(Action::ManageRounds),
        "/regions/{id}/rounds/{year}"
        | "/api/regions/{id}/rounds/{year}"
        | "/regions/{id}/rounds/{year}/gaps"
        | "/regions/{id}/rounds/{year}/gaps.xlsx" => Rule::Region(Action::ReadRegion),
        "/regions/{id}/rounds/{year}/provisional"
        | "/regions/{id}/rounds/{year}/changes"
        | "/regions/{id}/rounds/{year}/changes.csv" => Rule::Region(Action::ManageRounds),
        "/regions/{id}/rounds/{year}/units/{unit}"
        | "/api/regions/{id}/rounds/{year}/units/{unit}"
        | "/regions/{id}/rounds/{year}/units/{unit}/template.xlsx"
            if read =>
        {
            Rule::Unit
        }
        "/regions/{id}/rounds/{year}/units/{unit}"
        | "/api/regions/{id}/rounds/{year}/units/{unit}"
        | "/api/regions/{id}/rounds/{year}/units/{unit}/submit"
        | "/regions/{id}/rounds/{year}/units/{unit}/upload" => Rule::UnitReport,
        "/regions/{id}/rounds/{year}/units/{unit}/review"
        | "/api/regions/{id}/rounds/{year}/units/{unit}/review" => Rule::Region(Action::ReviewData),
        "/api/rounds/due" => Rule::SignedIn,
        "/plans/{id}"
        | "/plans/{id}/versions/{version}"
        | "/plans/{id}/versions/{version}/source" => Rule::Plan(Action::ReadRegion),
        "/api/openapi.json" => Rule::SignedIn,
        "/api/{*rest}" => Rule::SignedIn,
        _ => return None,
    };
    Some(rule)
}

/// Paths a visitor without an account may open (before routing, for [`super::authenticate`]).
pub fn is_public(path: &str) -> bool {
    path == "/login"
        || path.starts_with("/static/")
        || path == "/public"
        || path == "/glossary"
        || path.starts_with("/public/")
}

/// Applies [`rule`] to a routed request.
pub async fn gate(
    State(state): State<AppState>,
    matched: Result<MatchedPath, axum::extract::rejection::MatchedPathRejection>,
    params: Result<RawPathParams, axum::extract::rejection::RawPathParamsRejection>,
    caller: Caller,
    req: Request<Body>,
    next: Next,
) -> Response {
    let path = req.uri().path().to_string();
    let pattern = matched.as_ref().map_or("", |m| m.as_str());
    let Some(rule) = rule(req.method(), pattern) else {
        tracing::error!(pattern, "a route has no access rule; refused");
        return refuse(&path, StatusCode::FORBIDDEN, "您没有访问此页面的权限。");
    };
    let param = |name: &str| -> Option<String> {
        params.as_ref().ok().and_then(|p| {
            p.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        })
    };
    let named = Params {
        id: param("id"),
        unit: param("unit"),
        key: param("key"),
    };
    drop(params);
    let allowed = match decide(&state, &caller, rule, &named).await {
        Ok(Decision::Allow) => true,
        Ok(Decision::Deny) => false,
        // Nothing to protect: the handler answers with its 404.
        Ok(Decision::Unknown) => true,
        Err(response) => return response,
    };
    if !allowed {
        let why = match rule {
            Rule::Region(Action::Publish) => "无权发布报告",
            _ => "无权访问",
        };
        if is_write(req.method()) {
            // A refused write is worth a line in the log as well as in the audit log.
            tracing::warn!(who = caller.name(), method = %req.method(), path, why, "a write was refused");
        }
        record_denial(&state, &caller, why, &path).await;
        let message = match rule {
            Rule::Region(Action::Publish) => {
                "只有本地区的妇儿工委办公室（或系统管理员）可以发布报告，本次未发布任何内容。您可以在监测概览页下载或在线查看报告，交由妇儿工委办公室发布。"
            }
            _ => {
                "您的账号没有访问此页面或进行此项操作的权限：每个账号只能使用其角色所在地区、所属单位的内容。如确需开通，请联系本级妇儿工委办公室或系统管理员。"
            }
        };
        return refuse(&path, StatusCode::FORBIDDEN, message);
    }
    if is_write(req.method()) && matches!(caller.via, Via::Session { .. }) {
        return match with_checked_csrf(&state, &caller, req).await {
            Ok(req) => next.run(req).await,
            Err(response) => response,
        };
    }
    next.run(req).await
}

/// The route parameters a rule needs.
struct Params {
    id: Option<String>,
    unit: Option<String>,
    key: Option<String>,
}

enum Decision {
    Allow,
    Deny,
    Unknown,
}

async fn region(state: &AppState, raw: Option<String>) -> Result<Option<RegionRow>, Response> {
    let Some(id) = raw.and_then(|r| r.parse::<i64>().ok()) else {
        return Ok(None);
    };
    state
        .store
        .region(id)
        .await
        .map_err(|e| crate::WebError::from(e).into_response())
}

async fn decide(
    state: &AppState,
    caller: &Caller,
    rule: Rule,
    params: &Params,
) -> Result<Decision, Response> {
    let param = |name: &str| -> Option<String> {
        match name {
            "id" => params.id.clone(),
            "unit" => params.unit.clone(),
            _ => params.key.clone(),
        }
    };
    let yes = |b: bool| if b { Decision::Allow } else { Decision::Deny };
    Ok(match rule {
        Rule::Public => Decision::Allow,
        Rule::SignedIn => yes(caller.signed_in()),
        Rule::Admin => yes(caller.is_admin()),
        Rule::Region(action) => match region(state, param("id")).await? {
            Some(r) => yes(caller.may(action, &r)),
            None => yes(caller.signed_in()).or_unknown(),
        },
        Rule::Plan(action) => {
            let plan = param("id").and_then(|r| r.parse::<i64>().ok());
            let stored = match plan {
                Some(id) => state
                    .store
                    .plan_version(id, None)
                    .await
                    .map_err(|e| crate::WebError::from(e).into_response())?,
                None => None,
            };
            match stored {
                Some(p) => match region(state, Some(p.region_id.to_string())).await? {
                    Some(r) => yes(caller.may(action, &r)),
                    None => Decision::Unknown,
                },
                None => yes(caller.signed_in()).or_unknown(),
            }
        }
        Rule::Unit => match region(state, param("id")).await? {
            Some(r) => match param("unit").and_then(|u| u.parse::<i64>().ok()) {
                Some(unit) => yes(caller.may(Action::ReadUnit(unit), &r)),
                None => yes(caller.may(Action::ReadRegion, &r)).or_unknown(),
            },
            None => yes(caller.signed_in()).or_unknown(),
        },
        Rule::UnitReport => match region(state, param("id")).await? {
            Some(r) => match param("unit").and_then(|u| u.parse::<i64>().ok()) {
                Some(unit) => yes(caller.may(Action::ReportData(unit), &r)),
                None => yes(caller.may(Action::ReadRegion, &r)).or_unknown(),
            },
            None => yes(caller.signed_in()).or_unknown(),
        },
        Rule::RegionOrOwnIndicator => match region(state, param("id")).await? {
            Some(r) if caller.may(Action::ReadRegion, &r) => Decision::Allow,
            Some(r) => {
                let units = own_units(caller.grants(), r.id);
                let key = param("key").unwrap_or_default();
                yes(!units.is_empty() && indicator_of_units(state, &r, &key, &units).await?)
            }
            None => yes(caller.signed_in()).or_unknown(),
        },
    })
}

impl Decision {
    /// A signed-in caller asking for something that does not exist gets the handler's 404.
    fn or_unknown(self) -> Decision {
        match self {
            Decision::Allow => Decision::Unknown,
            d => d,
        }
    }
}

/// Whether the indicator `key` of `region` has a target assigned (lead or supporting) to
/// one of `units`.
async fn indicator_of_units(
    state: &AppState,
    region: &RegionRow,
    key: &str,
    units: &[i64],
) -> Result<bool, Response> {
    let err = |e| crate::WebError::from(e).into_response();
    let assignments = state.store.assignments(region.id).await.map_err(err)?;
    let mine: Vec<i64> = assignments
        .iter()
        .filter(|a| {
            a.lead.is_some_and(|l| units.contains(&l))
                || a.supporting.iter().any(|s| units.contains(s))
        })
        .map(|a| a.target_id)
        .collect();
    if mine.is_empty() {
        return Ok(false);
    }
    let targets = state.store.system_targets(region.id).await.map_err(err)?;
    Ok(targets
        .iter()
        .any(|t| mine.contains(&t.id) && t.state.indicator_key() == key))
}

/// The most a form may send: forms carry a few fields, never files.
const FORM_LIMIT: usize = 256 * 1024;

/// Checks a session's write carries its CSRF token: in the `X-CSRF-Token` header (scripts,
/// the JSON API) or the form's `csrf` field (of an urlencoded form, or of a multipart file
/// upload, where pages put it first). The body is read here and handed on unchanged.
async fn with_checked_csrf(
    state: &AppState,
    caller: &Caller,
    req: Request<Body>,
) -> Result<Request<Body>, Response> {
    let expected = caller.csrf();
    let path = req.uri().path().to_string();
    let refused = |why: &'static str| {
        let path = path.clone();
        async move {
            record_denial(state, caller, why, &path).await;
            refuse(
                &path,
                StatusCode::FORBIDDEN,
                "页面已过期或来源不明，未做任何修改。请刷新页面后重新提交。",
            )
        }
    };
    if let Some(given) = req.headers().get(CSRF_HEADER) {
        return if !expected.is_empty() && given.as_bytes() == expected.as_bytes() {
            Ok(req)
        } else {
            Err(refused("防伪令牌不符").await)
        };
    }
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let multipart = content_type.starts_with("multipart/form-data");
    if !multipart && !content_type.starts_with("application/x-www-form-urlencoded") {
        return Err(refused("缺少防伪令牌").await);
    }
    let (parts, body) = req.into_parts();
    // A file upload's body was read and bounded by the guard already (its own limit for
    // the upload route); a form's is small.
    let limit = if multipart { usize::MAX } else { FORM_LIMIT };
    let Ok(bytes) = to_bytes(body, limit).await else {
        return Err(refuse(
            &path,
            StatusCode::PAYLOAD_TOO_LARGE,
            "提交的内容过多，未做任何修改。",
        ));
    };
    let given = if multipart {
        multipart_field(&content_type, bytes.clone(), CSRF_FIELD).await
    } else {
        form_urlencoded_field(&bytes, CSRF_FIELD)
    };
    if expected.is_empty() || given.as_deref() != Some(expected) {
        return Err(refused(if given.is_some() {
            "防伪令牌不符"
        } else {
            "缺少防伪令牌"
        })
        .await);
    }
    Ok(Request::from_parts(parts, Body::from(bytes)))
}

/// The text of the field `name` of a multipart body, if it comes before any field too big
/// to read (the reader's default limit; the pages put the token first).
async fn multipart_field(content_type: &str, body: Bytes, name: &str) -> Option<String> {
    let probe = Request::builder()
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body))
        .ok()?;
    let mut multipart = Multipart::from_request(probe, &()).await.ok()?;
    while let Ok(Some(field)) = multipart.next_field().await {
        if field.name() == Some(name) {
            return field.text().await.ok();
        }
    }
    None
}

fn form_urlencoded_field(body: &[u8], name: &str) -> Option<String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_writes_of_the_same_route_have_their_own_rules() {
        assert_eq!(
            rule(&Method::GET, "/api/regions/{id}/targets"),
            Some(Rule::Region(Action::ReadRegion))
        );
        assert_eq!(
            rule(&Method::PATCH, "/api/regions/{id}/targets/{tid}"),
            Some(Rule::Region(Action::EditSystem))
        );
        assert_eq!(rule(&Method::GET, "/no/such/{route}"), None);
    }
}
