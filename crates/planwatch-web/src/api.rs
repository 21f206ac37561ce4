//! The JSON API for editing a region's indicator system (planwatch-store's `system`):
//!
//! - `GET  /api/regions/{id}/targets` — the region's targets at their current version;
//! - `POST /api/regions/{id}/targets` — add one (`by` and `why` required);
//! - `GET  /api/regions/{id}/targets/{tid}` — one target;
//! - `PATCH /api/regions/{id}/targets/{tid}` — change fields, the catalog code (`"code"`,
//!   `"local"` for a region-local indicator) or `"retired"`; each kind of change is a new
//!   version with `by` and `why`;
//! - `GET  /api/regions/{id}/targets/{tid}/history` — every version, oldest first.
//!
//! Errors are `{"error": "…"}` in Chinese: 400 for bad input, 404 for unknown regions and
//! targets, 409 when the edit would orphan reported data or the target changed meanwhile.

use crate::AppState;
use crate::auth::Caller;
use crate::catalog::catalog;
use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use planwatch_core::{Comparator, PlanKind};
use planwatch_store::system::{self, Change, MappingState, SystemTarget, TargetPatch, TargetState};
use planwatch_store::{RegionRow, StoreError};
use serde::Deserialize;
use serde_json::json;

pub struct ApiError(StatusCode, String);

impl ApiError {
    pub(crate) fn new(status: StatusCode, msg: impl Into<String>) -> ApiError {
        ApiError(status, msg.into())
    }
    fn bad(msg: impl Into<String>) -> ApiError {
        ApiError(StatusCode::BAD_REQUEST, msg.into())
    }
    fn not_found(msg: impl Into<String>) -> ApiError {
        ApiError(StatusCode::NOT_FOUND, msg.into())
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> ApiError {
        let status = match &e {
            StoreError::TargetNotFound { .. } | StoreError::RegionNotFound { .. } => {
                StatusCode::NOT_FOUND
            }
            StoreError::WouldOrphan { .. } | StoreError::Conflict { .. } => StatusCode::CONFLICT,
            StoreError::EditRefused(_) | StoreError::Invalid(_) => StatusCode::BAD_REQUEST,
            // Another writer (an import) holds the database: try again shortly.
            StoreError::Busy { .. } => {
                tracing::warn!(error = %e, "the database was busy");
                StatusCode::SERVICE_UNAVAILABLE
            }
            _ => {
                tracing::error!(error = %e, "database error in the API");
                return ApiError(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "服务器内部错误，请稍后再试。".into(),
                );
            }
        };
        ApiError(status, e.to_string())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.0, Json(json!({ "error": self.1 }))).into_response();
        if self.0 == StatusCode::SERVICE_UNAVAILABLE {
            response.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from_static(crate::error::RETRY_AFTER_SECONDS),
            );
        }
        response
    }
}

type ApiResult<T> = Result<Json<T>, ApiError>;

fn ids(path: Result<Path<Vec<String>>, PathRejection>) -> Result<Vec<i64>, ApiError> {
    let Path(raw) = path.map_err(|_| ApiError::not_found("地址无效"))?;
    raw.iter()
        .map(|s| {
            s.parse::<i64>()
                .ok()
                .filter(|&i| i > 0)
                .ok_or_else(|| ApiError::not_found(format!("编号“{s}”无效")))
        })
        .collect()
}

async fn region(state: &AppState, id: i64) -> Result<RegionRow, ApiError> {
    state
        .store
        .regions()
        .await?
        .into_iter()
        .find(|r| r.id == id)
        .ok_or_else(|| ApiError::not_found(format!("没有编号为 {id} 的地区")))
}

fn body<T: for<'de> Deserialize<'de>>(bytes: &Bytes) -> Result<T, ApiError> {
    // serde would take an array as the struct's fields in order; nobody means that.
    if bytes.trim_ascii_start().starts_with(b"[") {
        return Err(ApiError::bad(
            "请求内容应为一个 JSON 对象（{…}），收到的是数组。",
        ));
    }
    let mut json = serde_json::Deserializer::from_slice(bytes);
    match serde_path_to_error::deserialize(&mut json) {
        Ok(t) => json
            .end()
            .map(|()| t)
            .map_err(|e| ApiError::bad(crate::json_error::explain("", &e))),
        Err(e) => Err(ApiError::bad(crate::json_error::explain(
            &e.path().to_string(),
            e.inner(),
        ))),
    }
}

/// Who changed it is the signed-in caller (a `by` in the body is not believed); why is
/// theirs to say.
fn change(caller: &Caller, why: Option<&str>) -> Result<Change, ApiError> {
    Change::new(caller.name(), why.unwrap_or("")).map_err(|e| ApiError::bad(e.to_string()))
}

fn comparator(s: Option<&str>) -> Result<Option<Comparator>, ApiError> {
    s.map(|s| {
        Comparator::parse(s)
            .ok_or_else(|| ApiError::bad(format!("未知的比较符“{s}”：应为 >=、<=、>、<、=")))
    })
    .transpose()
}

fn known_code(code: &str) -> Result<(), ApiError> {
    let catalog = catalog().map_err(|e| ApiError(StatusCode::INTERNAL_SERVER_ERROR, e))?;
    if catalog.get(code).is_none() {
        return Err(ApiError::bad(format!("指标目录中没有编码“{code}”")));
    }
    Ok(())
}

pub async fn list(
    State(state): State<AppState>,
    path: Result<Path<Vec<String>>, PathRejection>,
) -> ApiResult<Vec<SystemTarget>> {
    let ids = ids(path)?;
    let region = region(&state, ids[0]).await?;
    Ok(Json(state.store.system_targets(region.id).await?))
}

async fn target_of(state: &AppState, region_id: i64, id: i64) -> Result<SystemTarget, ApiError> {
    match state.store.system_target(id).await? {
        Some(t) if t.region_id == region_id => Ok(t),
        _ => Err(StoreError::TargetNotFound { id }.into()),
    }
}

pub async fn one(
    State(state): State<AppState>,
    path: Result<Path<Vec<String>>, PathRejection>,
) -> ApiResult<SystemTarget> {
    let ids = ids(path)?;
    let region = region(&state, ids[0]).await?;
    Ok(Json(target_of(&state, region.id, ids[1]).await?))
}

pub async fn history(
    State(state): State<AppState>,
    path: Result<Path<Vec<String>>, PathRejection>,
) -> ApiResult<Vec<SystemTarget>> {
    let ids = ids(path)?;
    let region = region(&state, ids[0]).await?;
    target_of(&state, region.id, ids[1]).await?;
    Ok(Json(state.store.target_history(ids[1]).await?))
}

#[derive(Deserialize)]
struct NewTarget {
    kind: String,
    indicator: String,
    code: Option<String>,
    comparator: String,
    value: f64,
    unit: Option<String>,
    year: i32,
    domain: Option<String>,
    owner: Option<String>,
    binding: Option<bool>,
    text: Option<String>,
    baseline_year: Option<i32>,
    baseline_value: Option<f64>,
    /// Accepted for older clients and ignored: who changed it is the signed-in caller.
    #[serde(rename = "by")]
    _by: Option<serde::de::IgnoredAny>,
    why: Option<String>,
}

pub async fn add(
    State(state): State<AppState>,
    caller: Caller,
    path: Result<Path<Vec<String>>, PathRejection>,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let ids = ids(path)?;
    let region = region(&state, ids[0]).await?;
    let new: NewTarget = body(&bytes)?;
    let change = change(&caller, new.why.as_deref())?;
    let kind = PlanKind::parse(&new.kind).ok_or_else(|| {
        ApiError::bad(format!(
            "未知的规划类别“{}”：应为 women 或 children",
            new.kind
        ))
    })?;
    let Some(cmp) = comparator(Some(&new.comparator))? else {
        return Err(ApiError::bad("缺少比较符"));
    };
    let entry = match new.code.as_deref() {
        Some(code) => {
            known_code(code)?;
            catalog().ok().and_then(|c| c.get(code).cloned())
        }
        None => None,
    };
    let unit = new
        .unit
        .clone()
        .or_else(|| entry.as_ref().map(|e| e.unit.clone()))
        .unwrap_or_default();
    let domain = new
        .domain
        .clone()
        .or_else(|| entry.as_ref().map(|e| e.domain.clone()))
        .ok_or_else(|| ApiError::bad("请填写发展领域（domain）"))?;
    let text = new.text.clone().unwrap_or_else(|| {
        format!(
            "到{}年{}{}{}{}",
            new.year,
            new.indicator,
            cmp.as_str(),
            crate::format::number(new.value),
            unit
        )
    });
    let mapped = new.code.is_some();
    let target_state = TargetState {
        domain,
        indicator: new.indicator.clone(),
        code: new.code.clone(),
        confidence: if mapped { 1.0 } else { 0.0 },
        mapping: if mapped {
            MappingState::Confirmed
        } else {
            MappingState::Local
        },
        comparator: cmp,
        value: new.value,
        unit,
        year: new.year,
        owner: new.owner.clone().filter(|o| !o.trim().is_empty()),
        binding: new.binding,
        text,
        retired: false,
        baseline_year: new.baseline_year,
        baseline_value: new.baseline_value,
    };
    let t = system::add_target(
        state.store.as_ref(),
        region.id,
        kind,
        &target_state,
        &change,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(t)).into_response())
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct PatchBody {
    value: Option<f64>,
    year: Option<i32>,
    comparator: Option<String>,
    unit: Option<String>,
    /// An empty string clears the owner.
    owner: Option<String>,
    binding: Option<bool>,
    domain: Option<String>,
    indicator: Option<String>,
    text: Option<String>,
    /// With `baseline_value`: both numbers set the baseline, both `null` clear it.
    #[serde(default, deserialize_with = "present")]
    baseline_year: Option<Option<i32>>,
    #[serde(default, deserialize_with = "present")]
    baseline_value: Option<Option<f64>>,
    /// A catalog code, or "local".
    code: Option<String>,
    retired: Option<bool>,
    /// Accepted for older clients and ignored: who changed it is the signed-in caller.
    #[serde(rename = "by")]
    _by: Option<serde::de::IgnoredAny>,
    why: Option<String>,
}

/// A field that is present (`Some`, its value possibly `null`) rather than absent
/// (`None`, by `#[serde(default)]`).
fn present<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

/// The baseline change a PATCH asks for: `Some(Some(..))` set, `Some(None)` clear.
fn baseline_patch(
    year: Option<Option<i32>>,
    value: Option<Option<f64>>,
) -> Result<Option<Option<(i32, f64)>>, ApiError> {
    match (year, value) {
        (None, None) => Ok(None),
        (Some(None), Some(None)) => Ok(Some(None)),
        (Some(Some(y)), Some(Some(v))) => Ok(Some(Some((y, v)))),
        _ => Err(ApiError::bad(
            "baseline_year 与 baseline_value 须同时给出（两者都为 null 时清除基线）",
        )),
    }
}

pub async fn patch(
    State(state): State<AppState>,
    caller: Caller,
    path: Result<Path<Vec<String>>, PathRejection>,
    bytes: Bytes,
) -> ApiResult<SystemTarget> {
    let ids = ids(path)?;
    let region = region(&state, ids[0]).await?;
    let id = ids[1];
    let p: PatchBody = body(&bytes)?;
    let change = change(&caller, p.why.as_deref())?;
    let fields = TargetPatch {
        domain: p.domain.clone(),
        indicator: p.indicator.clone(),
        comparator: comparator(p.comparator.as_deref())?,
        value: p.value,
        unit: p.unit.clone(),
        year: p.year,
        owner: p
            .owner
            .as_ref()
            .map(|o| Some(o.trim().to_string()).filter(|o| !o.is_empty())),
        binding: p.binding.map(Some),
        text: p.text.clone(),
        baseline: baseline_patch(p.baseline_year, p.baseline_value)?,
    };
    if fields.is_empty() && p.code.is_none() && p.retired.is_none() {
        return Err(ApiError::bad(
            "没有要修改的内容（可改：value、year、comparator、unit、owner、binding、domain、indicator、text、baseline_year 与 baseline_value、code、retired）",
        ));
    }
    let store = state.store.as_ref();
    let mut current = target_of(&state, region.id, id).await?;
    // A restore comes first (a retired target cannot be edited), a retirement last.
    if p.retired == Some(false) && current.state.retired {
        current = system::set_retired(store, region.id, id, false, &change).await?;
    }
    if let Some(code) = p.code.as_deref() {
        let code = match code.trim() {
            "local" => None,
            c => {
                known_code(c)?;
                Some(c)
            }
        };
        if current.state.code.as_deref() != code || current.state.mapping == MappingState::Auto {
            current = system::map_target(store, region.id, id, code, &change).await?;
        }
    }
    if !fields.is_empty() {
        current = system::edit_target(store, region.id, id, &fields, &change).await?;
    }
    if p.retired == Some(true) && !current.state.retired {
        current = system::set_retired(store, region.id, id, true, &change).await?;
    }
    Ok(Json(current))
}

pub async fn not_found() -> ApiError {
    ApiError::not_found("没有这个接口")
}
