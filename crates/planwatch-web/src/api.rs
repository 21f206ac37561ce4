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
    pub(crate) fn bad(msg: impl Into<String>) -> ApiError {
        ApiError(StatusCode::BAD_REQUEST, msg.into())
    }
    /// A refusal because of what is stored (a closed round, a locked submission) is a
    /// conflict with it, not a bad request.
    pub(crate) fn conflict_if_refused(self) -> ApiError {
        if self.0 == StatusCode::BAD_REQUEST {
            ApiError(StatusCode::CONFLICT, self.1)
        } else {
            self
        }
    }
    pub(crate) fn not_found(msg: impl Into<String>) -> ApiError {
        ApiError(StatusCode::NOT_FOUND, msg.into())
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> ApiError {
        let status = match &e {
            StoreError::TargetNotFound { .. } | StoreError::RegionNotFound { .. } => {
                StatusCode::NOT_FOUND
            }
            StoreError::WouldOrphan { .. }
            | StoreError::Conflict { .. }
            | StoreError::SubmissionChanged { .. } => StatusCode::CONFLICT,
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

pub(crate) type ApiResult<T> = Result<Json<T>, ApiError>;

pub(crate) fn ids(path: Result<Path<Vec<String>>, PathRejection>) -> Result<Vec<i64>, ApiError> {
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

pub(crate) async fn region(state: &AppState, id: i64) -> Result<RegionRow, ApiError> {
    state
        .store
        .region(id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("没有编号为 {id} 的地区")))
}

pub(crate) fn body<T: for<'de> Deserialize<'de>>(bytes: &Bytes) -> Result<T, ApiError> {
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

#[utoipa::path(
    get,
    path = "/api/regions/{id}/targets",
    operation_id = "list_targets",
    tag = "指标体系",
    summary = "列出地区指标体系中的目标",
    description = "该地区指标体系中的全部目标，各取当前版本（含已停用的目标，其 retired 为 true）。",
    params(("id" = i64, Path, description = "地区编号")),
    responses(
        (status = 200, description = "全部目标", body = [SystemTarget]),
        (status = 401, description = "未登录，或接口令牌无效", body = crate::openapi::ErrorBody),
        (status = 403, description = "无权查看该地区", body = crate::openapi::ErrorBody),
        (status = 404, description = "地区不存在", body = crate::openapi::ErrorBody),
        (status = 503, description = "数据库正忙（另一项导入正在进行），请按 Retry-After 稍后重试", body = crate::openapi::ErrorBody),
    ),
    security(("bearer_token" = ["read"]), ("session_cookie" = [])),
)]
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

#[utoipa::path(
    get,
    path = "/api/regions/{id}/targets/{tid}",
    operation_id = "get_target",
    tag = "指标体系",
    summary = "查看一个目标",
    description = "目标的当前版本。",
    params(("id" = i64, Path, description = "地区编号"), ("tid" = i64, Path, description = "目标编号")),
    responses(
        (status = 200, description = "目标的当前版本", body = SystemTarget),
        (status = 401, description = "未登录，或接口令牌无效", body = crate::openapi::ErrorBody),
        (status = 403, description = "无权查看该地区", body = crate::openapi::ErrorBody),
        (status = 404, description = "地区或目标不存在", body = crate::openapi::ErrorBody),
        (status = 503, description = "数据库正忙（另一项导入正在进行），请按 Retry-After 稍后重试", body = crate::openapi::ErrorBody),
    ),
    security(("bearer_token" = ["read"]), ("session_cookie" = [])),
)]
pub async fn one(
    State(state): State<AppState>,
    path: Result<Path<Vec<String>>, PathRejection>,
) -> ApiResult<SystemTarget> {
    let ids = ids(path)?;
    let region = region(&state, ids[0]).await?;
    Ok(Json(target_of(&state, region.id, ids[1]).await?))
}

#[utoipa::path(
    get,
    path = "/api/regions/{id}/targets/{tid}/history",
    operation_id = "target_history",
    tag = "指标体系",
    summary = "目标的历史版本",
    description = "目标的每一个版本，从最早到最新，每个版本附修改人、时间和原因。",
    params(("id" = i64, Path, description = "地区编号"), ("tid" = i64, Path, description = "目标编号")),
    responses(
        (status = 200, description = "全部版本，从最早到最新", body = [SystemTarget]),
        (status = 401, description = "未登录，或接口令牌无效", body = crate::openapi::ErrorBody),
        (status = 403, description = "无权查看该地区", body = crate::openapi::ErrorBody),
        (status = 404, description = "地区或目标不存在", body = crate::openapi::ErrorBody),
        (status = 503, description = "数据库正忙（另一项导入正在进行），请按 Retry-After 稍后重试", body = crate::openapi::ErrorBody),
    ),
    security(("bearer_token" = ["read"]), ("session_cookie" = [])),
)]
pub async fn history(
    State(state): State<AppState>,
    path: Result<Path<Vec<String>>, PathRejection>,
) -> ApiResult<Vec<SystemTarget>> {
    let ids = ids(path)?;
    let region = region(&state, ids[0]).await?;
    target_of(&state, region.id, ids[1]).await?;
    Ok(Json(state.store.target_history(ids[1]).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[schema(description = "新目标", example = json!({"kind": "children", "indicator": "儿童体质健康达标率", "comparator": ">=", "value": 92, "unit": "%", "year": 2030, "domain": "儿童与健康", "why": "根据市级规划补充"}))]
struct NewTarget {
    /// 规划类别：women（妇女）或 children（儿童）
    kind: String,
    /// 指标名称
    indicator: String,
    /// 指标目录编码；不给时为地方指标
    code: Option<String>,
    /// 比较符：>=、<=、>、<、=
    comparator: String,
    /// 目标值
    value: f64,
    /// 单位；不给时取指标目录中的单位
    unit: Option<String>,
    /// 目标年份
    year: i32,
    /// 发展领域；不给时取指标目录中的领域
    domain: Option<String>,
    /// 责任单位
    owner: Option<String>,
    /// 是否约束性指标
    binding: Option<bool>,
    /// 目标的表述；不给时按字段生成，如“到2030年…”
    text: Option<String>,
    /// 基期年份（与 baseline_value 同时给出）
    baseline_year: Option<i32>,
    /// 基期值
    baseline_value: Option<f64>,
    /// Accepted for older clients and ignored: who changed it is the signed-in caller.
    #[serde(rename = "by")]
    #[schema(ignore)]
    _by: Option<serde::de::IgnoredAny>,
    /// 修改原因（必填）
    #[schema(value_type = String, required = true)]
    why: Option<String>,
}

#[utoipa::path(
    post,
    path = "/api/regions/{id}/targets",
    operation_id = "add_target",
    tag = "指标体系",
    summary = "新增目标",
    description = "在地区的指标体系中新增一个目标（根据需要调整扩充）。修改人为当前账号，须填写修改原因 why。给出指标目录编码 code 时，单位和发展领域可从目录中取得。",
    params(("id" = i64, Path, description = "地区编号")),
    request_body(content = NewTarget, content_type = "application/json", description = "新目标"),
    responses(
        (status = 201, description = "已新增，回答新目标", body = SystemTarget),
        (status = 400, description = "请求内容有误（不是有效的 JSON、缺少字段、未知的比较符或编码、未填写修改原因等）", body = crate::openapi::ErrorBody),
        (status = 401, description = "未登录，或接口令牌无效", body = crate::openapi::ErrorBody),
        (status = 403, description = "无权修改该地区的指标体系；只读令牌；或用会话修改时缺少 X-CSRF-Token 或其不符", body = crate::openapi::ErrorBody),
        (status = 404, description = "地区不存在", body = crate::openapi::ErrorBody),
        (status = 409, description = "与已有数据冲突", body = crate::openapi::ErrorBody),
        (status = 415, description = "请求内容类型须为 application/json", body = crate::openapi::ErrorBody),
        (status = 429, description = "修改过于频繁，请稍后再试", body = crate::openapi::ErrorBody),
        (status = 503, description = "数据库正忙（另一项导入正在进行），请按 Retry-After 稍后重试", body = crate::openapi::ErrorBody),
    ),
    security(("bearer_token" = ["write"]), ("session_cookie" = [], "csrf_header" = [])),
)]
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

#[derive(Deserialize, Default, utoipa::ToSchema)]
#[schema(description = "要修改的字段（只给要改的）", example = json!({"value": 95, "why": "中期评估后上调目标"}))]
#[serde(deny_unknown_fields)]
struct PatchBody {
    /// 目标值
    value: Option<f64>,
    /// 目标年份
    year: Option<i32>,
    /// 比较符：>=、<=、>、<、=
    comparator: Option<String>,
    /// 单位
    unit: Option<String>,
    // An empty string clears the owner.
    /// 责任单位；空字符串清除
    owner: Option<String>,
    /// 是否约束性指标
    binding: Option<bool>,
    /// 发展领域
    domain: Option<String>,
    /// 指标名称
    indicator: Option<String>,
    /// 目标的表述
    text: Option<String>,
    // With `baseline_value`: both numbers set the baseline, both `null` clear it.
    /// 基期年份；与 baseline_value 同时给出，两者都为 null 时清除基期
    #[serde(default, deserialize_with = "present")]
    baseline_year: Option<Option<i32>>,
    /// 基期值（见 baseline_year）
    #[serde(default, deserialize_with = "present")]
    baseline_value: Option<Option<f64>>,
    // A catalog code, or "local".
    /// 指标目录编码，或 "local"（地方指标）
    code: Option<String>,
    /// true 停用，false 恢复
    retired: Option<bool>,
    /// Accepted for older clients and ignored: who changed it is the signed-in caller.
    #[serde(rename = "by")]
    #[schema(ignore)]
    _by: Option<serde::de::IgnoredAny>,
    /// 修改原因（必填）
    #[schema(value_type = String, required = true)]
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

#[utoipa::path(
    patch,
    path = "/api/regions/{id}/targets/{tid}",
    operation_id = "patch_target",
    tag = "指标体系",
    summary = "修改目标",
    description = "修改目标的字段、指标目录编码（code，地方指标为 \"local\"）或停用状态（retired）；每一类修改都成为一个新版本，记录修改人（当前账号）、时间和原因 why。只需给出要改的字段。",
    params(("id" = i64, Path, description = "地区编号"), ("tid" = i64, Path, description = "目标编号")),
    request_body(content = PatchBody, content_type = "application/json", description = "要修改的字段"),
    responses(
        (status = 200, description = "已修改，回答目标的最新版本", body = SystemTarget),
        (status = 400, description = "请求内容有误（不是有效的 JSON、未知字段、没有要修改的内容、未填写修改原因等）", body = crate::openapi::ErrorBody),
        (status = 401, description = "未登录，或接口令牌无效", body = crate::openapi::ErrorBody),
        (status = 403, description = "无权修改该地区的指标体系；只读令牌；或用会话修改时缺少 X-CSRF-Token 或其不符", body = crate::openapi::ErrorBody),
        (status = 404, description = "地区或目标不存在", body = crate::openapi::ErrorBody),
        (status = 409, description = "修改会使已报送的数据失去对应的目标，或目标已被他人修改", body = crate::openapi::ErrorBody),
        (status = 415, description = "请求内容类型须为 application/json", body = crate::openapi::ErrorBody),
        (status = 429, description = "修改过于频繁，请稍后再试", body = crate::openapi::ErrorBody),
        (status = 503, description = "数据库正忙（另一项导入正在进行），请按 Retry-After 稍后重试", body = crate::openapi::ErrorBody),
    ),
    security(("bearer_token" = ["write"]), ("session_cookie" = [], "csrf_header" = [])),
)]
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
