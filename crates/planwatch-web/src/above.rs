//! A region's targets against the levels above it (不低于上级规划目标): the section
//! 与上级目标对照 of the region's page and `GET /api/regions/{id}/targets/check`.
//!
//! The comparison is `planwatch_core::evaluation::above`; the levels come from
//! `planwatch_store::above` (the regions above with an indicator system, nearest first)
//! and the national outlines (`catalog/outlines.toml`), loaded once.

use crate::AppState;
use crate::api::{ApiError, ApiResult, ids, region};
use crate::error::WebError;
use axum::Json;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use planwatch_core::evaluation::above::{Above, Check};
use planwatch_store::RegionRow;
use std::sync::OnceLock;

/// The national outlines as a level above, loaded once.
fn outlines() -> Result<&'static Above, String> {
    static OUTLINES: OnceLock<Result<Above, String>> = OnceLock::new();
    OUTLINES
        .get_or_init(|| {
            let catalog = crate::catalog::catalog()?;
            planwatch_catalog::outlines::shipped(catalog)
                .map(|t| planwatch_catalog::outlines::as_level(&t))
                .map_err(|e| format!("随附的国家纲要目标无法加载：{e}"))
        })
        .as_ref()
        .map_err(Clone::clone)
}

/// Why a check could not be made: the store's error, or the shipped data's.
enum Failure {
    Store(planwatch_store::StoreError),
    Data(String),
}

async fn run(state: &AppState, region: &RegionRow) -> Result<Check, Failure> {
    let outlines = outlines().map_err(Failure::Data)?.clone();
    planwatch_store::above::check_region(state.store.as_ref(), region, Some(outlines))
        .await
        .map_err(Failure::Store)
}

/// One pair the page lists.
pub struct Row {
    pub sentence: String,
    /// The upper region's page, when the upper level is a region in the database.
    pub upper_href: Option<String>,
    pub upper_name: String,
    pub outcome: &'static str,
}

/// The section 与上级目标对照.
pub struct Section {
    /// 河源市、广东省、国家纲要.
    pub levels: String,
    /// Weaker (and 不一致) pairs, weaker first.
    pub rows: Vec<Row>,
    /// The region's targets weaker than at least one level (a target can be weaker than
    /// two levels: two rows).
    pub weaker_targets: usize,
    pub not_weaker: usize,
    pub not_comparable: usize,
}

/// The section for `region`'s page (shown when the region has live targets).
pub async fn section(state: &AppState, region: &RegionRow) -> Result<Section, WebError> {
    let check = match run(state, region).await {
        Ok(c) => c,
        Err(Failure::Store(e)) => return Err(WebError::Store(e)),
        Err(Failure::Data(e)) => {
            tracing::error!(error = %e, "outlines");
            return Err(WebError::Render(askama::Error::Custom(e.into())));
        }
    };
    let rows = check
        .pairs
        .iter()
        .filter(|p| p.outcome.needs_attention())
        .map(|p| Row {
            sentence: p.sentence.clone(),
            upper_href: p.upper_region_id.map(|id| format!("/regions/{id}")),
            upper_name: p.upper_name.clone(),
            outcome: p.outcome.label_zh(),
        })
        .collect();
    Ok(Section {
        levels: check.levels.join("、"),
        rows,
        weaker_targets: check.counts.weaker_targets,
        not_weaker: check.counts.not_weaker,
        not_comparable: check.counts.not_comparable,
    })
}

#[utoipa::path(
    get,
    path = "/api/regions/{id}/targets/check",
    operation_id = "check_targets_above",
    tag = "指标体系",
    summary = "与上级目标对照",
    description = "把地区的在用目标与上级地区（市、省，取数据库中有指标体系的上级）和国家纲要同一指标、同一年份的目标逐项对照：低于上级目标的排在最前，其后为与上级目标不一致、不低于上级目标、无法比较（年份或单位不同、方向相反）的目标对。",
    params(("id" = i64, Path, description = "地区编号")),
    responses(
        (status = 200, description = "对照结果", body = Check),
        (status = 401, description = "未登录，或接口令牌无效", body = crate::openapi::ErrorBody),
        (status = 403, description = "无权查看该地区", body = crate::openapi::ErrorBody),
        (status = 404, description = "地区不存在", body = crate::openapi::ErrorBody),
        (status = 503, description = "数据库正忙（另一项导入正在进行），请按 Retry-After 稍后重试", body = crate::openapi::ErrorBody),
    ),
    security(("bearer_token" = ["read"]), ("session_cookie" = [])),
)]
pub async fn api(
    State(state): State<AppState>,
    path: Result<Path<Vec<String>>, PathRejection>,
) -> ApiResult<Check> {
    let ids = ids(path)?;
    let region = region(&state, ids[0]).await?;
    match run(&state, &region).await {
        Ok(c) => Ok(Json(c)),
        Err(Failure::Store(e)) => Err(e.into()),
        Err(Failure::Data(e)) => {
            tracing::error!(error = %e, "outlines");
            Err(ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "服务器内部错误，请稍后再试。",
            ))
        }
    }
}
