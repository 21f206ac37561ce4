//! The round through the JSON API, for systems that report automatically (a department's
//! own statistics system with a write token) and for the pages' scripts:
//!
//! - `GET  /api/rounds/due` — what is due for the caller's member units;
//! - `GET  /api/regions/{id}/rounds`, `POST` — a region's rounds; open one;
//! - `GET  /api/regions/{id}/rounds/{year}` — a round's progress per member unit;
//! - `GET  /api/regions/{id}/rounds/{year}/units/{unit}` — a unit's form with its values,
//!   checks and review state; `PUT` saves a draft;
//! - `POST …/units/{unit}/submit` — saves and submits; `POST …/units/{unit}/review` — the
//!   bureau approves, returns or reopens.
//!
//! The checks are the form's and the upload's (`planwatch_core::round`); values are JSON
//! numbers, never text. A save names the version it is based on: a save based on an older
//! one is refused with 409, so that two writers never overwrite each other unnoticed.

use super::{RegionForms, check, completeness, region_forms, state_of, today};
use crate::AppState;
use crate::api::{ApiError, ApiResult, body, ids, region};
use crate::auth::Caller;
use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use planwatch_core::access::own_units;
use planwatch_core::quality::{self, Severity};
use planwatch_core::round::{BreakdownSpec, Channel, Entry, FormIndicator, TargetLine};
use planwatch_store::rounds::{NewRound, Review, RoundRow, Save, Submission};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// 填报轮次。
#[derive(Serialize, ToSchema)]
pub struct RoundJson {
    /// 轮次编号
    id: i64,
    /// 地区编号
    region_id: i64,
    /// 数据年度
    year: i32,
    /// 开始日期（YYYY-MM-DD，北京时间）
    opens_on: String,
    /// 截止日期（含当日）
    closes_on: String,
    /// 轮次状态：open（开启）、closed（已关闭）、reopened（已重新开启）
    state: String,
    /// 今天是否接受填报：not_yet、open、late（逾期补报）、overdue（已截止）、closed
    phase: String,
    /// 今天的填报阶段（中文）
    phase_zh: String,
    /// 轮次的版本号：关闭、重新开启时须给出
    version: i64,
    /// 最近一次关闭、重新开启或调整日期的原因
    why: Option<String>,
}

fn round_json(r: &RoundRow) -> RoundJson {
    let phase = r.window().phase(today());
    RoundJson {
        id: r.id,
        region_id: r.region_id,
        year: r.year,
        opens_on: r.opens_on.to_string(),
        closes_on: r.closes_on.to_string(),
        state: r.state.code().into(),
        phase: phase.code().into(),
        phase_zh: phase.label().into(),
        version: r.version,
        why: r.why.clone(),
    }
}

/// 一个成员单位在本轮的进度。
#[derive(Serialize, ToSchema)]
pub struct UnitProgress {
    /// 成员单位编号
    unit_id: i64,
    /// 成员单位名称
    unit: String,
    /// 报送状态：not_started、draft、submitted（待审核）、returned（已退回）、approved（已通过）
    state: String,
    /// 报送状态（中文）
    state_zh: String,
    /// 应报指标数
    expected: usize,
    /// 已填数值的指标数
    reported: usize,
    /// 已审核通过的指标数
    approved: usize,
    /// 是否逾期报送
    late: bool,
    /// 报送时间
    submitted_at: Option<String>,
    /// 报送的版本号（尚未填报为 null）
    version: Option<i64>,
}

fn progress(forms: &RegionForms, unit_id: i64, name: &str, s: Option<&Submission>) -> UnitProgress {
    let c = completeness(forms.form(unit_id), s);
    let state = state_of(s);
    UnitProgress {
        unit_id,
        unit: name.to_string(),
        state: state.code().into(),
        state_zh: state.label().into(),
        expected: c.expected,
        reported: c.reported,
        approved: c.approved,
        late: s.is_some_and(|s| s.row.late),
        submitted_at: s.and_then(|s| s.row.submitted_at).map(|t| t.to_rfc3339()),
        version: s.map(|s| s.row.version),
    }
}

/// 一个地区一个年度的填报进度。
#[derive(Serialize, ToSchema)]
pub struct RoundProgress {
    round: RoundJson,
    /// 各成员单位的进度
    units: Vec<UnitProgress>,
    /// 尚未指定牵头单位、无人填报的指标（指标键）
    unassigned: Vec<String>,
}

/// 待填报的一项任务。
#[derive(Serialize, ToSchema)]
pub struct DueItem {
    /// 地区编号
    region_id: i64,
    /// 地区路径
    region: String,
    round: RoundJson,
    progress: UnitProgress,
}

/// 表中的一个指标。
#[derive(Serialize, ToSchema)]
pub struct IndicatorJson {
    /// 指标键：目录编码，或地方指标的 `local:名称`
    key: String,
    /// 指标名称
    name: String,
    /// 指标目录编码（地方指标为 null）
    code: Option<String>,
    /// 发展领域
    domain: String,
    /// 计量单位，如 %、1/10万
    unit: String,
    /// 指标解释
    definition: String,
    /// 分子（比率类指标）
    numerator: Option<String>,
    /// 分母（比率类指标）
    denominator: Option<String>,
    /// 分组：每组的名称和各组，如 性别：女、男；填报时写作 `性别:女`
    #[schema(value_type = Vec<Object>)]
    breakdowns: Vec<BreakdownSpec>,
    /// 上年审核通过的数值
    last_year: Option<f64>,
    /// 本地区的目标，如 [{"text": "≥95%", "year": 2030}]
    #[schema(value_type = Vec<Object>)]
    targets: Vec<TargetLine>,
    /// 允许超过单位常规上限时的上限（如毛入学率 150）
    max: Option<f64>,
}

fn indicator_json(i: &FormIndicator) -> IndicatorJson {
    IndicatorJson {
        key: i.key.clone(),
        name: i.name.clone(),
        code: i.code.clone(),
        domain: i.domain.clone(),
        unit: i.unit.clone(),
        definition: i.definition.clone(),
        numerator: i.numerator.clone(),
        denominator: i.denominator.clone(),
        breakdowns: i.breakdowns.clone(),
        last_year: i.last_year,
        targets: i.targets.clone(),
        max: i.max,
    }
}

/// 一项数值：合计、分项（分子 numerator、分母 denominator、分组如 `性别:女`）和说明。
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"value": 8.2, "parts": {"城乡:城镇": 7.9, "城乡:农村": 8.6}, "explanation": null}))]
pub struct EntryJson {
    /// 合计数值（数字；不填为 null）
    value: Option<f64>,
    /// 分项数值
    #[serde(default)]
    parts: BTreeMap<String, f64>,
    /// 说明：数值异常或缺项时必填
    #[serde(default)]
    explanation: Option<String>,
}

impl From<EntryJson> for Entry {
    fn from(e: EntryJson) -> Entry {
        Entry {
            value: e.value,
            parts: e.parts,
            explanation: e.explanation,
        }
    }
}

impl From<&Entry> for EntryJson {
    fn from(e: &Entry) -> EntryJson {
        EntryJson {
            value: e.value,
            parts: e.parts.clone(),
            explanation: e.explanation.clone(),
        }
    }
}

/// 一条检查结果。
#[derive(Serialize, ToSchema)]
pub struct FindingJson {
    /// 指标键
    key: String,
    /// 涉及的数值：value（合计）、numerator、denominator 或分组如 `性别:女`
    field: String,
    /// hard：必须修改；soft：须填写说明
    severity: String,
    /// 中文说明
    message: String,
}

/// 一个成员单位本年度的填报表：指标、已填数值、检查结果与审核状态。
#[derive(Serialize, ToSchema)]
pub struct UnitForm {
    round: RoundJson,
    progress: UnitProgress,
    /// 统计局退回时对整张表的意见
    review_comment: Option<String>,
    /// 重新开启已通过数据的原因
    reopen_reason: Option<String>,
    /// 审核通过后又被修改的指标
    changed_since_approval: Vec<String>,
    /// 本单位要填报的指标
    indicators: Vec<IndicatorJson>,
    /// 已填数值，按指标键
    values: BTreeMap<String, EntryJson>,
    /// 统计局对各数值的退回意见，按指标键
    comments: BTreeMap<String, String>,
    /// 按报送标准检查的结果（缺项也列出）
    findings: Vec<FindingJson>,
    /// 阻止报送的指标数：有必须修改的问题，或有须说明而未说明的问题
    blocking: usize,
}

fn findings_json(findings: &BTreeMap<String, Vec<quality::Finding>>) -> Vec<FindingJson> {
    findings
        .iter()
        .flat_map(|(key, fs)| {
            fs.iter().map(move |f| FindingJson {
                key: key.clone(),
                field: f.field.clone(),
                severity: if f.severity == Severity::Hard {
                    "hard".into()
                } else {
                    "soft".into()
                },
                message: f.message.clone(),
            })
        })
        .collect()
}

/// The round and unit a path names.
struct Target {
    round: RoundRow,
    unit_id: i64,
    unit: String,
    forms: std::sync::Arc<RegionForms>,
}

async fn target(
    state: &AppState,
    path: Result<Path<Vec<String>>, PathRejection>,
) -> Result<Target, ApiError> {
    let ids = ids(path)?;
    let region = region(state, ids[0]).await?;
    let year = i32::try_from(ids[1]).map_err(|_| ApiError::not_found("年度无效"))?;
    let round = state.store.round(region.id, year).await?.ok_or_else(|| {
        ApiError::not_found(format!("{} 尚未开启 {year} 年度的数据填报", region.name))
    })?;
    let forms = region_forms(state, &region, year)
        .await
        .map_err(web_to_api)?;
    let unit_id = ids[2];
    let unit = forms.unit(unit_id).map(|u| u.name.clone()).ok_or_else(|| {
        ApiError::not_found(format!("{}没有编号为 {unit_id} 的成员单位", region.name))
    })?;
    Ok(Target {
        round,
        unit_id,
        unit,
        forms,
    })
}

fn web_to_api(e: crate::WebError) -> ApiError {
    match e {
        crate::WebError::Store(e) => e.into(),
        crate::WebError::NotFound(m) => ApiError::not_found(m),
        other => {
            tracing::error!(error = ?other, "the round's form could not be built");
            ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "服务器内部错误，请稍后再试。",
            )
        }
    }
}

fn unit_form(t: &Target, s: Option<&Submission>) -> UnitForm {
    let form = t.forms.form(t.unit_id);
    let entries = s.map(Submission::entries).unwrap_or_default();
    let (findings, blocking) = check(form, t.round.year, &entries, true);
    UnitForm {
        round: round_json(&t.round),
        progress: progress(&t.forms, t.unit_id, &t.unit, s),
        review_comment: s.and_then(|s| s.row.review_comment.clone()),
        reopen_reason: s.and_then(|s| s.row.reopen_reason.clone()),
        changed_since_approval: s
            .map(Submission::changed_since_approval)
            .unwrap_or_default(),
        indicators: form.iter().map(indicator_json).collect(),
        values: entries.iter().map(|(k, e)| (k.clone(), e.into())).collect(),
        comments: s.map(Submission::comments).unwrap_or_default(),
        findings: findings_json(&findings),
        blocking,
    }
}

/// A 422 naming every field that is wrong.
fn unprocessable(message: &str, findings: Vec<FindingJson>) -> Response {
    let body = FindingsBody {
        error: message.to_string(),
        findings,
    };
    (StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response()
}

/// 出错时的回答，附各数值的问题。
#[derive(Serialize, ToSchema)]
pub struct FindingsBody {
    /// 中文说明
    error: String,
    /// 各数值的问题
    findings: Vec<FindingJson>,
}

#[utoipa::path(
    get,
    path = "/api/rounds/due",
    operation_id = "rounds_due",
    tag = "年度填报",
    summary = "本账号待填报的任务",
    description = "当前账号作为成员单位填报人，在各地区已开启的填报轮次中的任务：截止日期、进度和报送状态。",
    responses(
        (status = 200, description = "待填报的任务，截止日期早的在前", body = [DueItem]),
        (status = 401, description = "未登录，或接口令牌无效", body = crate::openapi::ErrorBody),
    ),
    security(("bearer_token" = ["read"]), ("session_cookie" = [])),
)]
pub async fn due(State(state): State<AppState>, caller: Caller) -> ApiResult<Vec<DueItem>> {
    let mut regions: Vec<i64> = caller.grants().iter().filter_map(|g| g.region_id).collect();
    regions.sort_unstable();
    regions.dedup();
    let mut out = Vec::new();
    for region_id in regions {
        let units = own_units(caller.grants(), region_id);
        if units.is_empty() {
            continue;
        }
        let Some(region) = state.store.region(region_id).await? else {
            continue;
        };
        for round in state.store.rounds(region.id).await? {
            if matches!(
                round.window().phase(today()),
                planwatch_core::round::Phase::Closed
            ) {
                continue;
            }
            let forms = region_forms(&state, &region, round.year)
                .await
                .map_err(web_to_api)?;
            for &unit_id in &units {
                let Some(unit) = forms.unit(unit_id) else {
                    continue;
                };
                if forms.form(unit_id).is_empty() {
                    continue;
                }
                let s = state.store.submission(round.id, unit_id).await?;
                out.push(DueItem {
                    region_id: region.id,
                    region: region.path.clone(),
                    round: round_json(&round),
                    progress: progress(&forms, unit_id, &unit.name, s.as_ref()),
                });
            }
        }
    }
    out.sort_by(|a, b| a.round.closes_on.cmp(&b.round.closes_on));
    Ok(Json(out))
}

#[utoipa::path(
    get,
    path = "/api/regions/{id}/rounds",
    operation_id = "list_rounds",
    tag = "年度填报",
    summary = "地区的填报轮次",
    description = "该地区各年度的数据填报轮次，新的年度在前。",
    params(("id" = i64, Path, description = "地区编号")),
    responses(
        (status = 200, description = "各年度的填报轮次", body = [RoundJson]),
        (status = 401, description = "未登录，或接口令牌无效", body = crate::openapi::ErrorBody),
        (status = 403, description = "无权查看该地区", body = crate::openapi::ErrorBody),
        (status = 404, description = "地区不存在", body = crate::openapi::ErrorBody),
    ),
    security(("bearer_token" = ["read"]), ("session_cookie" = [])),
)]
pub async fn region_rounds(
    State(state): State<AppState>,
    path: Result<Path<Vec<String>>, PathRejection>,
) -> ApiResult<Vec<RoundJson>> {
    let ids = ids(path)?;
    let region = region(&state, ids[0]).await?;
    let rounds = state.store.rounds(region.id).await?;
    Ok(Json(rounds.iter().map(round_json).collect()))
}

/// 开启填报：数据年度与起止日期。
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"year": 2025, "opens_on": "2026-01-05", "closes_on": "2026-03-31"}))]
pub struct OpenRound {
    /// 数据年度
    year: i32,
    /// 开始日期（YYYY-MM-DD）
    opens_on: String,
    /// 截止日期（YYYY-MM-DD，含当日）
    closes_on: String,
}

fn date(field: &str, text: &str) -> Result<NaiveDate, ApiError> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
        ApiError::bad(format!(
            "字段“{field}”应为日期，如 2026-03-31，收到“{text}”"
        ))
    })
}

#[utoipa::path(
    post,
    path = "/api/regions/{id}/rounds",
    operation_id = "open_round",
    tag = "年度填报",
    summary = "开启年度数据填报",
    description = "为该地区开启一个年度的数据填报，每个年度一次。只有本级妇儿工委办和统计局可以开启。",
    params(("id" = i64, Path, description = "地区编号")),
    request_body(content = OpenRound, content_type = "application/json", description = "年度与起止日期"),
    responses(
        (status = 201, description = "已开启", body = RoundJson),
        (status = 400, description = "请求内容有误：日期无效、截止早于开始、该年度已开启等", body = crate::openapi::ErrorBody),
        (status = 401, description = "未登录，或接口令牌无效", body = crate::openapi::ErrorBody),
        (status = 403, description = "无权开启该地区的填报；只读令牌；或用会话时缺少 X-CSRF-Token", body = crate::openapi::ErrorBody),
        (status = 404, description = "地区不存在", body = crate::openapi::ErrorBody),
    ),
    security(("bearer_token" = ["write"]), ("session_cookie" = [], "csrf_header" = [])),
)]
pub async fn open_round(
    State(state): State<AppState>,
    caller: Caller,
    path: Result<Path<Vec<String>>, PathRejection>,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let ids = ids(path)?;
    let region = region(&state, ids[0]).await?;
    let req: OpenRound = body(&bytes)?;
    let round = state
        .store
        .open_round(
            &NewRound {
                region_id: region.id,
                year: req.year,
                opens_on: date("opens_on", &req.opens_on)?,
                closes_on: date("closes_on", &req.closes_on)?,
            },
            caller.name(),
        )
        .await?;
    Ok((StatusCode::CREATED, Json(round_json(&round))).into_response())
}

#[utoipa::path(
    get,
    path = "/api/regions/{id}/rounds/{year}",
    operation_id = "round_progress",
    tag = "年度填报",
    summary = "年度填报进度",
    description = "该地区该年度各成员单位的应报、已填、已通过指标数和报送状态。",
    params(("id" = i64, Path, description = "地区编号"), ("year" = i32, Path, description = "数据年度")),
    responses(
        (status = 200, description = "各成员单位的进度", body = RoundProgress),
        (status = 401, description = "未登录，或接口令牌无效", body = crate::openapi::ErrorBody),
        (status = 403, description = "无权查看该地区", body = crate::openapi::ErrorBody),
        (status = 404, description = "地区不存在，或该年度未开启填报", body = crate::openapi::ErrorBody),
    ),
    security(("bearer_token" = ["read"]), ("session_cookie" = [])),
)]
pub async fn round(
    State(state): State<AppState>,
    path: Result<Path<Vec<String>>, PathRejection>,
) -> ApiResult<RoundProgress> {
    let ids = ids(path)?;
    let region = region(&state, ids[0]).await?;
    let year = i32::try_from(ids[1]).map_err(|_| ApiError::not_found("年度无效"))?;
    let round = state.store.round(region.id, year).await?.ok_or_else(|| {
        ApiError::not_found(format!("{} 尚未开启 {year} 年度的数据填报", region.name))
    })?;
    let forms = region_forms(&state, &region, year)
        .await
        .map_err(web_to_api)?;
    let submissions = state.store.submissions(round.id).await?;
    let units = forms
        .units
        .iter()
        .filter(|u| !forms.form(u.id).is_empty())
        .map(|u| {
            let s = submissions.iter().find(|s| s.row.unit_id == u.id);
            progress(&forms, u.id, &u.name, s)
        })
        .collect();
    Ok(Json(RoundProgress {
        round: round_json(&round),
        units,
        unassigned: forms.unassigned.iter().map(|i| i.key.clone()).collect(),
    }))
}

#[utoipa::path(
    get,
    path = "/api/regions/{id}/rounds/{year}/units/{unit}",
    operation_id = "unit_form",
    tag = "年度填报",
    summary = "成员单位的填报表",
    description = "该成员单位本年度要填报的指标（单位、解释、上年数值、目标、分组）、已填数值、按报送标准检查的结果和审核状态。",
    params(("id" = i64, Path, description = "地区编号"), ("year" = i32, Path, description = "数据年度"), ("unit" = i64, Path, description = "成员单位编号")),
    responses(
        (status = 200, description = "填报表", body = UnitForm),
        (status = 401, description = "未登录，或接口令牌无效", body = crate::openapi::ErrorBody),
        (status = 403, description = "无权查看该成员单位", body = crate::openapi::ErrorBody),
        (status = 404, description = "地区、年度或成员单位不存在", body = crate::openapi::ErrorBody),
    ),
    security(("bearer_token" = ["read"]), ("session_cookie" = [])),
)]
pub async fn unit_form_get(
    State(state): State<AppState>,
    path: Result<Path<Vec<String>>, PathRejection>,
) -> ApiResult<UnitForm> {
    let t = target(&state, path).await?;
    let s = state.store.submission(t.round.id, t.unit_id).await?;
    Ok(Json(unit_form(&t, s.as_ref())))
}

/// 保存或报送的数值。
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"based_on": 3, "values": {"W-HEA-03": {"value": 8.2, "explanation": "新增两家产科"}}}))]
pub struct SaveBody {
    /// 所依据的报送版本号（上次读取时的 progress.version；尚未填报时为 null）。版本已变则拒绝保存（409），以免覆盖他人的填写
    based_on: Option<i64>,
    /// 按指标键的数值；未给出的指标保持原值，给出空值（value 为 null、无分项、无说明）则清空
    #[serde(default)]
    values: BTreeMap<String, EntryJson>,
}

async fn save_values(
    state: &AppState,
    caller: &Caller,
    t: &Target,
    req: SaveBody,
    submit: bool,
) -> Result<Response, ApiError> {
    let form = t.forms.form(t.unit_id);
    let entries: BTreeMap<String, Entry> = req
        .values
        .into_iter()
        .map(|(k, e)| (k, Entry::from(e)))
        .collect();
    let mut problems = Vec::new();
    for key in entries.keys() {
        if !form.iter().any(|i| i.key == *key) {
            problems.push(FindingJson {
                key: key.clone(),
                field: "value".into(),
                severity: "hard".into(),
                message: format!("指标“{key}”不是{}本年度要填报的指标", t.unit),
            });
        }
    }
    if !problems.is_empty() {
        return Ok(unprocessable("有不属于本单位的指标，未保存", problems));
    }
    // A submission is judged whole, as it would be after the save; a draft only by the
    // values it sends (which spares every save of a busy round a read).
    let judged = if submit {
        let stored = state.store.submission(t.round.id, t.unit_id).await?;
        let mut merged = stored.as_ref().map(Submission::entries).unwrap_or_default();
        for (k, e) in &entries {
            merged.insert(k.clone(), e.clone());
        }
        merged
    } else {
        entries.clone()
    };
    let (findings, blocking) = check(form, t.round.year, &judged, submit);
    // Values that cannot be (a % of 250, a count of 2.5) are not stored even as a draft
    // through the API: a machine gets every problem at once and sends again.
    let hard: Vec<FindingJson> = findings_json(&findings)
        .into_iter()
        .filter(|f| f.severity == "hard" && entries.contains_key(&f.key))
        .collect();
    if !hard.is_empty() {
        return Ok(unprocessable("有数值不符合报送标准，未保存", hard));
    }
    if submit && blocking > 0 {
        return Ok(unprocessable(
            &format!("{blocking} 项指标需要修改或填写说明，未报送"),
            findings_json(&findings),
        ));
    }
    let saved = state
        .store
        .save_submission(
            &Save {
                round_id: t.round.id,
                unit_id: t.unit_id,
                based_on: req.based_on,
                entries: &entries,
                channel: Channel::Api,
                by: caller.name(),
                submit,
                late: t.round.window().is_late(today()),
            },
            today(),
        )
        .await?;
    Ok(Json(unit_form(t, Some(&saved))).into_response())
}

#[utoipa::path(
    put,
    path = "/api/regions/{id}/rounds/{year}/units/{unit}",
    operation_id = "save_unit_form",
    tag = "年度填报",
    summary = "保存草稿",
    description = "保存该成员单位的数值（草稿，不报送）。数值须为数字；不符合报送标准的数值（如百分比超过 100）不保存并逐项说明（422）。须给出所依据的版本号 based_on：他人已保存过则拒绝（409）。",
    params(("id" = i64, Path, description = "地区编号"), ("year" = i32, Path, description = "数据年度"), ("unit" = i64, Path, description = "成员单位编号")),
    request_body(content = SaveBody, content_type = "application/json", description = "数值"),
    responses(
        (status = 200, description = "已保存，回答保存后的填报表", body = UnitForm),
        (status = 400, description = "请求内容有误（不是有效的 JSON、数值不是数字等）", body = crate::openapi::ErrorBody),
        (status = 401, description = "未登录，或接口令牌无效", body = crate::openapi::ErrorBody),
        (status = 403, description = "不是该成员单位的填报人；只读令牌；或用会话时缺少 X-CSRF-Token", body = crate::openapi::ErrorBody),
        (status = 404, description = "地区、年度或成员单位不存在", body = crate::openapi::ErrorBody),
        (status = 409, description = "他人已保存过（based_on 已过时），或本轮已截止、已关闭，或数据已报送、已通过", body = crate::openapi::ErrorBody),
        (status = 422, description = "数值不符合报送标准，逐项说明", body = FindingsBody),
    ),
    security(("bearer_token" = ["write"]), ("session_cookie" = [], "csrf_header" = [])),
)]
pub async fn save(
    State(state): State<AppState>,
    caller: Caller,
    path: Result<Path<Vec<String>>, PathRejection>,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let t = target(&state, path).await?;
    let req: SaveBody = body(&bytes)?;
    save_values(&state, &caller, &t, req, false)
        .await
        .map_err(refused_is_conflict)
}

/// A refusal of the round's state (closed, locked) is a conflict with the stored state.
fn refused_is_conflict(e: ApiError) -> ApiError {
    e.conflict_if_refused()
}

#[utoipa::path(
    post,
    path = "/api/regions/{id}/rounds/{year}/units/{unit}/submit",
    operation_id = "submit_unit_form",
    tag = "年度填报",
    summary = "报送",
    description = "保存给出的数值并报送全部数值，等待统计局审核。按报送标准检查整张表：有必须修改的问题，或异常、缺项未填写说明时不报送（422，逐项说明）。截止日期后（本轮重新开启时）的报送标记为逾期。",
    params(("id" = i64, Path, description = "地区编号"), ("year" = i32, Path, description = "数据年度"), ("unit" = i64, Path, description = "成员单位编号")),
    request_body(content = SaveBody, content_type = "application/json", description = "所依据的版本号，以及要一并保存的数值（可为空）"),
    responses(
        (status = 200, description = "已报送，回答报送后的填报表", body = UnitForm),
        (status = 400, description = "请求内容有误", body = crate::openapi::ErrorBody),
        (status = 401, description = "未登录，或接口令牌无效", body = crate::openapi::ErrorBody),
        (status = 403, description = "不是该成员单位的填报人；只读令牌；或用会话时缺少 X-CSRF-Token", body = crate::openapi::ErrorBody),
        (status = 404, description = "地区、年度或成员单位不存在", body = crate::openapi::ErrorBody),
        (status = 409, description = "他人已保存过，或本轮已截止、已关闭，或数据已报送、已通过", body = crate::openapi::ErrorBody),
        (status = 422, description = "不符合报送标准，逐项说明", body = FindingsBody),
    ),
    security(("bearer_token" = ["write"]), ("session_cookie" = [], "csrf_header" = [])),
)]
pub async fn submit(
    State(state): State<AppState>,
    caller: Caller,
    path: Result<Path<Vec<String>>, PathRejection>,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let t = target(&state, path).await?;
    let req: SaveBody = body(&bytes)?;
    save_values(&state, &caller, &t, req, true)
        .await
        .map_err(refused_is_conflict)
}

/// 审核决定。
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"version": 4, "decision": "return", "comments": {"W-HEA-03": "与妇幼年报不符，请核对"}}))]
pub struct ReviewBody {
    /// 所审核的报送版本号（progress.version）
    version: i64,
    /// approve（审核通过，数值入库）、return（退回修改）或 reopen（重新开启已通过的数据）
    decision: String,
    /// 对整张表的意见（退回时与 comments 至少给一项）
    #[serde(default)]
    comment: Option<String>,
    /// 对各数值的意见，按指标键
    #[serde(default)]
    comments: BTreeMap<String, String>,
    /// 重新开启的原因（reopen 时必填）
    #[serde(default)]
    reason: Option<String>,
}

#[utoipa::path(
    post,
    path = "/api/regions/{id}/rounds/{year}/units/{unit}/review",
    operation_id = "review_unit_form",
    tag = "年度填报",
    summary = "审核",
    description = "统计局审核一个成员单位报送的数据：审核通过（数值进入监测数据库，只有通过的数值参与评估）、退回修改（附对整张表或各数值的意见），或重新开启已通过的数据（须写明原因）。",
    params(("id" = i64, Path, description = "地区编号"), ("year" = i32, Path, description = "数据年度"), ("unit" = i64, Path, description = "成员单位编号")),
    request_body(content = ReviewBody, content_type = "application/json", description = "审核决定"),
    responses(
        (status = 200, description = "已审核，回答审核后的填报表", body = UnitForm),
        (status = 400, description = "请求内容有误（未知的决定、退回未写意见等）", body = crate::openapi::ErrorBody),
        (status = 401, description = "未登录，或接口令牌无效", body = crate::openapi::ErrorBody),
        (status = 403, description = "无权审核该地区的数据；只读令牌；或用会话时缺少 X-CSRF-Token", body = crate::openapi::ErrorBody),
        (status = 404, description = "地区、年度或成员单位不存在", body = crate::openapi::ErrorBody),
        (status = 409, description = "报送已变化（version 已过时），或当前状态不能这样审核", body = crate::openapi::ErrorBody),
    ),
    security(("bearer_token" = ["write"]), ("session_cookie" = [], "csrf_header" = [])),
)]
pub async fn review(
    State(state): State<AppState>,
    caller: Caller,
    path: Result<Path<Vec<String>>, PathRejection>,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let t = target(&state, path).await?;
    let req: ReviewBody = body(&bytes)?;
    let review = match req.decision.as_str() {
        "approve" => Review::Approve {
            source: format!("{}{}年度报送", t.unit, t.round.year),
        },
        "return" => Review::Return {
            comment: req.comment,
            per_value: req.comments,
        },
        "reopen" => Review::Reopen {
            reason: req.reason.unwrap_or_default(),
        },
        other => {
            return Err(ApiError::bad(format!(
                "未知的审核决定“{other}”：应为 approve、return 或 reopen"
            )));
        }
    };
    let s = state
        .store
        .review_submission(t.round.id, t.unit_id, req.version, &review, caller.name())
        .await
        .map_err(|e| ApiError::from(e).conflict_if_refused())?;
    Ok(Json(unit_form(&t, Some(&s))).into_response())
}
