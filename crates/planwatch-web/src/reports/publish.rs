//! Publishing (发布): `GET /regions/{id}/publications` lists a region's published reports
//! for everyone who reads the region and gives the office its publish form;
//! `POST /regions/{id}/publications` builds the report from today's data, freezes it and
//! sends the office to its public address. Who may publish is the access rule's
//! (`Action::Publish`); the gate refuses, logs and audits everyone else before this runs.

use super::download::live_report;
use super::{KindOption, kind_options, label, parse_kind};
use crate::auth::Caller;
use crate::regions::{Crumb, crumbs, segment};
use crate::{AppState, WebError};
use askama::Template;
use axum::body::Bytes;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use planwatch_core::access::Action;
use planwatch_core::reporting::ReportKind;
use planwatch_store::RegionRow;
use planwatch_store::publications::NewPublication;
use serde::Deserialize;

#[derive(Debug, Deserialize, Default)]
pub struct PublishQuery {
    kind: Option<String>,
    year: Option<String>,
}

/// One published version in the region's list.
pub struct Line {
    pub href: String,
    pub title: String,
    pub kind: &'static str,
    pub year: i32,
    pub version: i64,
    pub at: String,
    pub by: String,
    pub why: String,
}

#[derive(Template)]
#[template(path = "publications.html")]
struct PublicationsPage {
    crumbs: Vec<Crumb>,
    name: String,
    lines: Vec<Line>,
    may_publish: bool,
    action: String,
    csrf: String,
    kinds: Vec<KindOption>,
    year: i32,
    why: String,
    error: Option<String>,
}

/// The time of a publication as people read it (China time).
pub fn china_time(at: chrono::DateTime<chrono::Utc>) -> String {
    match chrono::FixedOffset::east_opt(8 * 3600) {
        Some(tz) => at.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string(),
        None => at.format("%Y-%m-%d %H:%M UTC").to_string(),
    }
}

struct Typed {
    kind: ReportKind,
    year: i32,
    why: String,
}

async fn render(
    state: &AppState,
    caller: &Caller,
    region: &RegionRow,
    typed: Typed,
    error: Option<String>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let regions = state.store.regions().await?;
    let mut c = crumbs(&regions, region);
    c.push(Crumb {
        href: format!("/regions/{}/dashboard", region.id),
        name: format!("{}监测概览", region.name),
    });
    let lines = state
        .store
        .publications(Some(region.id))
        .await?
        .into_iter()
        .map(|p| Line {
            href: format!("/public/reports/{}", p.id),
            title: p.title,
            kind: label(p.kind),
            year: p.year,
            version: p.version,
            at: china_time(p.published_at),
            by: p.published_by,
            why: p.why.unwrap_or_default(),
        })
        .collect();
    let page = PublicationsPage {
        crumbs: c,
        name: region.name.clone(),
        lines,
        may_publish: caller.may(Action::Publish, region),
        action: format!("/regions/{}/publications", region.id),
        csrf: caller.csrf().to_string(),
        kinds: kind_options(typed.kind),
        year: typed.year,
        why: typed.why,
        error,
    };
    let mut response = (status, Html(page.render()?)).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// `GET /regions/{id}/publications`.
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    path: Result<Path<String>, PathRejection>,
    query: Result<Query<PublishQuery>, QueryRejection>,
) -> Result<Response, WebError> {
    let region = crate::regions::region_of(&state, &segment(path)?).await?;
    let q = query.map(|Query(q)| q).unwrap_or_default();
    let kind = parse_kind(q.kind.as_deref()).unwrap_or(ReportKind::Annual);
    let year = match crate::dashboard::parse_year(q.year).ok().flatten() {
        Some(y) => y,
        None => crate::dashboard::report_year(&state, None, &[region.id]).await?,
    };
    let typed = Typed {
        kind,
        year,
        why: String::new(),
    };
    render(&state, &caller, &region, typed, None, StatusCode::OK).await
}

/// `POST /regions/{id}/publications`: kind, year, why (optional), csrf.
pub async fn publish(
    State(state): State<AppState>,
    caller: Caller,
    path: Result<Path<String>, PathRejection>,
    body: Bytes,
) -> Result<Response, WebError> {
    let region = crate::regions::region_of(&state, &segment(path)?).await?;
    let fields: Vec<(String, String)> = serde_urlencoded::from_bytes(&body)
        .map_err(|_| WebError::BadRequest("表单内容无法读取，请在页面上重新提交。".into()))?;
    let field = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
            .trim()
            .to_string()
    };
    let why: String = field("why").chars().take(500).collect();
    let kind = match parse_kind(Some(&field("kind"))) {
        Ok(k) => k,
        Err(m) => return Err(WebError::BadRequest(m)),
    };
    let year = match crate::dashboard::parse_year(Some(field("year"))) {
        Ok(Some(y)) => y,
        Ok(None) => {
            return Err(WebError::BadRequest(
                "请填写要发布的报告年度，例如 2024。".into(),
            ));
        }
        Err(m) => return Err(WebError::BadRequest(m)),
    };
    let typed = Typed {
        kind,
        year,
        why: why.clone(),
    };
    let report = match live_report(&state, &region, kind, year).await? {
        Ok(r) => r,
        Err(e) => {
            return render(
                &state,
                &caller,
                &region,
                typed,
                Some(format!("未发布：{e}")),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let json = NewPublication::json_of(&report)?;
    let published = state
        .store
        .publish(&NewPublication {
            region_id: region.id,
            year,
            kind,
            title: &report.title,
            report_json: &json,
            by: caller.name(),
            why: Some(&why),
        })
        .await?;
    tracing::info!(
        who = caller.name(),
        region = %region.path,
        kind = kind.code(),
        year,
        version = published.summary.version,
        id = published.summary.id,
        "report published"
    );
    Ok(Redirect::to(&format!(
        "/public/reports/{}?published=1",
        published.summary.id
    ))
    .into_response())
}
