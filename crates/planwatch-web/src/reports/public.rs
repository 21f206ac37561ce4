//! What the public reads without login (发布机制): `/public`, every region's published
//! reports; `/public/reports/{id}`, one published version at its stable address, with its
//! Word, Excel and open-data files. Everything here is rendered from the frozen JSON of a
//! publication, never from live data, and in a layout without the signed-in navigation.

use super::publish::china_time;
use super::{FileKind, attachment, file_name, label};
use crate::regions::segment;
use crate::{AppState, WebError};
use askama::Template;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{Html, IntoResponse, Response};
use planwatch_export::report::html;
use planwatch_store::publications::{Publication, PublicationSummary};
use std::sync::Arc;

/// Public pages change only when something is published: a browser may keep them briefly.
const PAGE_CACHE: &str = "public, max-age=60";
/// A published version's files never change.
const FILE_CACHE: &str = "public, max-age=86400";

pub struct IndexLine {
    pub href: String,
    pub title: String,
    pub kind: &'static str,
    pub year: i32,
    pub version: i64,
    pub at: String,
}

pub struct IndexGroup {
    pub region: String,
    pub path: String,
    pub lines: Vec<IndexLine>,
}

#[derive(Template)]
#[template(path = "public_index.html")]
struct IndexPage {
    groups: Vec<IndexGroup>,
}

fn cached_page(html: String) -> Response {
    let mut response = Html(html).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(PAGE_CACHE));
    response
}

/// `GET /public`: every region's published reports, by region, newest first within each.
pub async fn index(State(state): State<AppState>) -> Result<Response, WebError> {
    let mut all = state.store.publications(None).await?;
    // By region path (parents before their sub-regions), newest first within a region.
    all.sort_by(|a, b| a.region_path.cmp(&b.region_path).then(b.id.cmp(&a.id)));
    let mut groups: Vec<IndexGroup> = Vec::new();
    for p in all {
        let line = IndexLine {
            href: format!("/public/reports/{}", p.id),
            title: p.title.clone(),
            kind: label(p.kind),
            year: p.year,
            version: p.version,
            at: china_time(p.published_at),
        };
        match groups.last_mut() {
            Some(g) if g.path == p.region_path.replace('/', " / ") => g.lines.push(line),
            _ => groups.push(IndexGroup {
                region: p.region_name.clone(),
                path: p.region_path.replace('/', " / "),
                lines: vec![line],
            }),
        }
    }
    Ok(cached_page(IndexPage { groups }.render()?))
}

async fn published(state: &AppState, raw: &str) -> Result<Publication, WebError> {
    let missing = || WebError::NotFound(format!("没有编号为“{raw}”的已发布报告。"));
    let id = raw
        .parse::<i64>()
        .ok()
        .filter(|i| *i > 0)
        .ok_or_else(missing)?;
    state.store.publication(id).await?.ok_or_else(missing)
}

#[derive(Template)]
#[template(path = "public_report.html")]
struct ReportPage {
    title: String,
    subtitle: String,
    region: String,
    kind: &'static str,
    year: i32,
    version: i64,
    at: String,
    demo: bool,
    /// The newest version when this one is not it.
    newer: Option<IndexLine>,
    just_published: bool,
    index_href: &'static str,
    files: Vec<(String, &'static str)>,
    body: Arc<str>,
}

#[derive(Debug, serde::Deserialize, Default)]
pub struct ReportQuery {
    published: Option<String>,
}

/// `GET /public/reports/{id}`: the published version, as frozen.
pub async fn report(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    query: Result<axum::extract::Query<ReportQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, WebError> {
    let raw = segment(path)?;
    let p = published(&state, &raw).await?;
    let report = p.report()?;
    let s = &p.summary;
    let newest: Option<PublicationSummary> = state
        .store
        .publications(Some(s.region_id))
        .await?
        .into_iter()
        .filter(|o| o.year == s.year && o.kind == s.kind && o.version > s.version)
        .max_by_key(|o| o.version);
    let id = s.id;
    let base = format!("/public/reports/{id}");
    let files = vec![
        (format!("{base}/report.docx"), "下载 Word"),
        (format!("{base}/report.xlsx"), "下载 Excel"),
        (format!("{base}/data.csv"), "开放数据（CSV）"),
        (format!("{base}/data.json"), "开放数据（JSON）"),
        (format!("{base}/sdmx.csv"), "SDMX-CSV 1.0（供上级统计部门）"),
    ];
    // The content never changes: rendered once per publication and kept.
    let body = match state.renders.kept_body(id) {
        Some(body) => body,
        None => {
            let frozen = report.clone();
            let body: Arc<str> = Arc::from(state.renders.run(move || html::body(&frozen)).await?);
            state.renders.keep_body(id, body.clone());
            body
        }
    };
    let page = ReportPage {
        title: report.title.clone(),
        subtitle: report.subtitle.clone(),
        region: s.region_name.clone(),
        kind: label(s.kind),
        year: s.year,
        version: s.version,
        at: china_time(s.published_at),
        demo: report.demo,
        newer: newest.map(|n| IndexLine {
            href: format!("/public/reports/{}", n.id),
            title: n.title,
            kind: label(n.kind),
            year: n.year,
            version: n.version,
            at: china_time(n.published_at),
        }),
        just_published: query
            .ok()
            .and_then(|q| q.0.published)
            .is_some_and(|v| v == "1"),
        index_href: "/public",
        files,
        body,
    };
    Ok(cached_page(page.render()?))
}

/// One file of a published version, rendered from its frozen JSON once and kept.
async fn file(state: &AppState, raw: &str, kind: FileKind) -> Result<Response, WebError> {
    let p = published(state, raw).await?;
    let s = &p.summary;
    let name = file_name(&s.region_name, s.year, s.kind, kind);
    let ascii = format!("report-{}-v{}", s.id, s.version);
    let key = (s.id, kind);
    if let Some(bytes) = state.renders.kept(key) {
        return Ok(attachment(
            axum::body::Bytes::from_owner(bytes),
            kind,
            &name,
            &ascii,
            FILE_CACHE,
        ));
    }
    let report = p.report()?;
    let bytes = state
        .renders
        .run(move || kind.write(&report))
        .await?
        .map_err(|e| WebError::Internal(e.to_string()))?;
    let bytes: Arc<[u8]> = Arc::from(bytes);
    state.renders.keep(key, bytes.clone());
    Ok(attachment(
        axum::body::Bytes::from_owner(bytes),
        kind,
        &name,
        &ascii,
        FILE_CACHE,
    ))
}

macro_rules! file_route {
    ($name:ident, $kind:expr) => {
        pub async fn $name(
            State(state): State<AppState>,
            path: Result<Path<String>, PathRejection>,
        ) -> Result<Response, WebError> {
            file(&state, &segment(path)?, $kind).await
        }
    };
}

file_route!(docx, FileKind::Docx);
file_route!(xlsx, FileKind::Xlsx);
file_route!(csv, FileKind::Csv);
file_route!(json, FileKind::Json);
file_route!(sdmx, FileKind::SdmxCsv);

pub struct DictionaryLine {
    pub name: &'static str,
    pub label: &'static str,
    pub kind: &'static str,
    pub description: &'static str,
}

#[derive(Template)]
#[template(path = "public_dictionary.html")]
struct DictionaryPage {
    fields: Vec<DictionaryLine>,
    sdmx: Vec<DictionaryLine>,
}

fn lines(fields: &[planwatch_export::report::open_data::Field]) -> Vec<DictionaryLine> {
    fields
        .iter()
        .map(|f| DictionaryLine {
            name: f.name,
            label: f.label,
            kind: f.kind.label_zh(),
            description: f.description,
        })
        .collect()
}

/// `GET /public/data-dictionary`: what every column of the open data means.
pub async fn dictionary() -> Result<Response, WebError> {
    use planwatch_export::report::open_data;
    let page = DictionaryPage {
        fields: lines(open_data::dictionary()),
        sdmx: lines(open_data::sdmx_dictionary()),
    };
    Ok(cached_page(page.render()?))
}
