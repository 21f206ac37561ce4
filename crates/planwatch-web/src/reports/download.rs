//! A region's report built live, for the people who may read the region: as Word, Excel
//! or a page (`/regions/{id}/report`), and as JSON (`/api/regions/{id}/report`).

use super::{FileKind, attachment, file_name, issued_on, label, parse_kind};
use crate::api::ApiError;
use crate::regions::{Crumb, crumbs, parse_id, segment};
use crate::{AppState, WebError};
use askama::Template;
use axum::Json;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use planwatch_core::reporting::{Report, ReportError, ReportKind, build};
use planwatch_export::report::html;
use planwatch_store::RegionRow;
use planwatch_store::reporting::report_input;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct ReportQuery {
    kind: Option<String>,
    year: Option<String>,
    format: Option<String>,
}

/// What is asked for: the kind, the report year, and for pages the format.
struct Asked {
    kind: ReportKind,
    year: i32,
}

async fn asked(state: &AppState, region: &RegionRow, q: &ReportQuery) -> Result<Asked, String> {
    let kind = parse_kind(q.kind.as_deref())?;
    let year = match crate::dashboard::parse_year(q.year.clone())? {
        Some(y) => y,
        None => crate::dashboard::report_year(state, None, &[region.id])
            .await
            .unwrap_or_else(|_| crate::dashboard::current_year()),
    };
    Ok(Asked { kind, year })
}

/// The report `kind` of `region` in `year`, built live; `Err` inside when the region
/// cannot have that report (a Chinese reason).
pub async fn live_report(
    state: &AppState,
    region: &RegionRow,
    kind: ReportKind,
    year: i32,
) -> Result<Result<Report, ReportError>, WebError> {
    let input = report_input(state.store.as_ref(), region, kind, year, issued_on()).await?;
    state.renders.run(move || build(&input)).await
}

/// A report the region cannot have, as a page people read (not an error of the system).
pub fn cannot(e: &ReportError) -> Response {
    crate::error::page(
        StatusCode::UNPROCESSABLE_ENTITY,
        "无法生成该报告",
        &e.to_string(),
    )
}

#[derive(Template)]
#[template(path = "report_view.html")]
struct ReportView {
    crumbs: Vec<Crumb>,
    title: String,
    subtitle: String,
    kind: &'static str,
    year: i32,
    demo: bool,
    dashboard_href: String,
    docx_href: String,
    xlsx_href: String,
    body: String,
}

/// `GET /regions/{id}/report?kind=annual&year=2024&format=docx|xlsx|html`.
pub async fn page(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    query: Result<Query<ReportQuery>, QueryRejection>,
) -> Result<Response, WebError> {
    let raw = segment(path)?;
    let id = parse_id(&raw, "地区")?;
    let regions = state.store.regions().await?;
    let Some(region) = regions.iter().find(|r| r.id == id).cloned() else {
        return Err(WebError::NotFound(format!("没有编号为“{raw}”的地区。")));
    };
    let Ok(Query(q)) = query else {
        return Err(WebError::BadRequest(
            "查询参数无法解析：请从监测概览页的“报告”一栏选择报告类型和年度。".into(),
        ));
    };
    let file = match q.format.as_deref().map(str::trim) {
        None | Some("") | Some("html") => None,
        Some("docx") => Some(FileKind::Docx),
        Some("xlsx") => Some(FileKind::Xlsx),
        Some(other) => {
            return Err(WebError::BadRequest(format!(
                "文件格式“{other}”无效：可以下载 Word（docx）或 Excel（xlsx），或在线查看（html）。"
            )));
        }
    };
    let Asked { kind, year } = asked(&state, &region, &q)
        .await
        .map_err(WebError::BadRequest)?;
    let input = report_input(state.store.as_ref(), &region, kind, year, issued_on()).await?;
    let rendered = state
        .renders
        .run(move || {
            let report = build(&input)?;
            let out = match file {
                Some(f) => Rendered::File(f, f.write(&report)),
                None => Rendered::Page(html::body(&report)),
            };
            Ok::<_, ReportError>((report, out))
        })
        .await?;
    let (report, out) = match rendered {
        Ok(r) => r,
        Err(e) => return Ok(cannot(&e)),
    };
    let name = |f| file_name(&region.name, year, kind, f);
    let ascii = format!(
        "{}-{year}-{}",
        report
            .region
            .code
            .clone()
            .unwrap_or_else(|| region.id.to_string()),
        kind.code()
    );
    match out {
        Rendered::File(f, Ok(bytes)) => {
            // A signed-in download is for this person only: not kept by the browser.
            Ok(attachment(bytes, f, &name(f), &ascii, "no-store"))
        }
        Rendered::File(_, Err(e)) => Err(WebError::Internal(e.to_string())),
        Rendered::Page(body) => {
            let href = |f: &str| {
                format!(
                    "/regions/{}/report?kind={}&year={year}&format={f}",
                    region.id,
                    kind.code()
                )
            };
            let mut c = crumbs(&regions, &region);
            c.push(Crumb {
                href: format!("/regions/{}/dashboard?year={year}", region.id),
                name: format!("{}监测概览", region.name),
            });
            let view = ReportView {
                crumbs: c,
                title: report.title.clone(),
                subtitle: report.subtitle.clone(),
                kind: label(kind),
                year,
                demo: report.demo,
                dashboard_href: format!("/regions/{}/dashboard?year={year}", region.id),
                docx_href: href("docx"),
                xlsx_href: href("xlsx"),
                body,
            };
            let mut response = Html(view.render()?).into_response();
            response
                .headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            Ok(response)
        }
    }
}

enum Rendered {
    File(
        FileKind,
        Result<Vec<u8>, planwatch_export::report::ReportWriteError>,
    ),
    Page(String),
}

#[utoipa::path(
    get,
    path = "/api/regions/{id}/report",
    operation_id = "region_report",
    tag = "报告",
    summary = "地区的监测或评估报告",
    description = "按当前数据生成地区的报告（年度监测报告、中期评估报告、终期评估报告、成员单位重点指标监测情况、向上级报告），内容与下载的 Word、Excel 相同。",
    params(
        ("id" = i64, Path, description = "地区编号"),
        ("kind" = Option<String>, Query, description = "报告类型：annual（年度监测报告，默认）、midterm（中期评估报告）、final（终期评估报告）、units（成员单位重点指标监测情况）、upward（向上级报告）"),
        ("year" = Option<i32>, Query, description = "报告年度；不给时取有数据的最近一年"),
    ),
    responses(
        (status = 200, description = "报告", body = crate::openapi::ReportDoc),
        (status = 400, description = "kind 或 year 无效", body = crate::openapi::ErrorBody),
        (status = 401, description = "未登录，或接口令牌无效", body = crate::openapi::ErrorBody),
        (status = 403, description = "无权查看该地区", body = crate::openapi::ErrorBody),
        (status = 404, description = "地区不存在", body = crate::openapi::ErrorBody),
        (status = 422, description = "该地区不能生成这种报告（如没有上级地区、规划期不含该年），说明原因", body = crate::openapi::ErrorBody),
    ),
    security(("bearer_token" = ["read"]), ("session_cookie" = [])),
)]
pub async fn api(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    query: Result<Query<ReportQuery>, QueryRejection>,
) -> Response {
    match api_report(&state, path, query).await {
        Ok(report) => Json(report).into_response(),
        Err(e) => e.into_response(),
    }
}

async fn api_report(
    state: &AppState,
    path: Result<Path<String>, PathRejection>,
    query: Result<Query<ReportQuery>, QueryRejection>,
) -> Result<Report, ApiError> {
    let Ok(Path(raw)) = path else {
        return Err(ApiError::not_found("没有这个地区"));
    };
    let Some(id) = raw.parse::<i64>().ok().filter(|i| *i > 0) else {
        return Err(ApiError::not_found(format!("没有编号为 {raw} 的地区")));
    };
    let region = crate::api::region(state, id).await?;
    let Ok(Query(q)) = query else {
        return Err(ApiError::bad(
            "查询参数无法解析：请使用 ?kind=annual&year=2024 的形式。",
        ));
    };
    let Asked { kind, year } = asked(state, &region, &q).await.map_err(ApiError::bad)?;
    match live_report(state, &region, kind, year).await {
        Ok(Ok(report)) => Ok(report),
        Ok(Err(e)) => Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            e.to_string(),
        )),
        Err(WebError::Store(e)) => Err(e.into()),
        Err(e) => {
            tracing::error!(error = ?e, "a report could not be built");
            Err(ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                crate::error::INTERNAL,
            ))
        }
    }
}
