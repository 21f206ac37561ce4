//! The view from the level above (下级地区概览), for the committee one level up:
//!
//! - `/regions/{id}/overview?year=R` — every region below `{id}` for report year `R`: its
//!   targets, status counts, warnings, 达标率 and the share of its indicators with a value
//!   for the year; ranked, and filtered by level, status or warning; then per indicator how
//!   many regions are in each status and how their latest values spread; every row links
//!   down to the region's own dashboard and every indicator to its comparison;
//! - `/overview?year=R` — the same over every region of the database (全国);
//! - `/api/regions/{id}/overview`, `/api/overview` — the same as JSON (every region, the
//!   filters applied, no pages).
//!
//! Judging a province or the nation takes a moment, so the result is kept ([`LevelCache`])
//! and used again while no region below has been written since (by any process: the
//! regions' write counters are compared on every request).

use crate::api::ApiError;
use crate::dashboard::{DISPLAY_ORDER, Tag, compare_href, parse_year, status_tag};
use crate::regions::{Crumb, crumbs, parse_id, segment};
use crate::{AppState, WebError};
use askama::Template;
use axum::Json;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::response::Html;
use planwatch_core::Level;
use planwatch_core::evaluation::levels::Spread;
use planwatch_core::evaluation::{Status, Warning, readable_with_unit};
use planwatch_store::levels::{LevelView, SubRegion, level_view};
use planwatch_store::monitoring::DEMO_LABEL;
use planwatch_store::{Generation, RegionRow, Store, StoreError};
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Regions listed on one page.
const PAGE_SIZE: usize = 100;

/// Subtrees × years kept at once; beyond that the oldest is dropped (a national view of
/// 3,000 regions is some tens of megabytes).
const KEPT: usize = 6;

type Slot = Arc<tokio::sync::Mutex<Option<(Generation, Arc<LevelView>)>>>;

/// A subtree's latest year with data, as of its write counters.
type LatestYear = (Generation, Option<i32>);

/// A subtree (its root's id, `None` for 全国) and a report year.
type SlotKey = (Option<i64>, i32);

/// Judged subtrees kept while nothing below them changes.
#[derive(Default)]
pub struct LevelCache {
    slots: Mutex<Vec<(SlotKey, Slot)>>,
    /// The latest year with data per subtree: finding it reads every value of the subtree.
    latest: Mutex<HashMap<Option<i64>, LatestYear>>,
}

impl LevelCache {
    /// The latest year with a reported value below `root` (every region when `None`),
    /// looked up again only when a region of the subtree has been written since.
    pub async fn latest_year(
        &self,
        store: &dyn Store,
        root: Option<&RegionRow>,
    ) -> Result<Option<i32>, StoreError> {
        let path = root.map(|r| r.path.as_str());
        let generation = store.generation(path).await?;
        let key = root.map(|r| r.id);
        {
            let latest = self.latest.lock().unwrap_or_else(|e| e.into_inner());
            if let Some((seen, year)) = latest.get(&key)
                && *seen == generation
            {
                return Ok(*year);
            }
        }
        let year = store.latest_year(path).await?;
        let mut latest = self.latest.lock().unwrap_or_else(|e| e.into_inner());
        if latest.len() >= 64 {
            latest.clear();
        }
        latest.insert(key, (generation, year));
        Ok(year)
    }

    /// The view of the subtree below `root` for `year`, judged again only when a region of
    /// the subtree has been written since (or the subtree gained or lost a region).
    pub async fn get(
        &self,
        store: &dyn Store,
        root: Option<&RegionRow>,
        year: i32,
    ) -> Result<Arc<LevelView>, StoreError> {
        let key = (root.map(|r| r.id), year);
        let slot = {
            let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
            match slots.iter().position(|(k, _)| *k == key) {
                Some(i) => {
                    // Most recently used last.
                    let entry = slots.remove(i);
                    let slot = entry.1.clone();
                    slots.push(entry);
                    slot
                }
                None => {
                    if slots.len() >= KEPT {
                        slots.remove(0);
                    }
                    let slot: Slot = Arc::default();
                    slots.push((key, slot.clone()));
                    slot
                }
            }
        };
        // One request judges; the others asking for the same view wait for its result.
        let mut kept = slot.lock().await;
        let generation = store.generation(root.map(|r| r.path.as_str())).await?;
        if let Some((seen, view)) = kept.as_ref()
            && *seen == generation
        {
            return Ok(view.clone());
        }
        // Taken before judging: a write while judging leaves the counters ahead of it, and
        // the next request judges again.
        let view = Arc::new(level_view(store, root, year).await?);
        *kept = Some((generation, view.clone()));
        Ok(view)
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct OverviewQuery {
    year: Option<String>,
    level: Option<String>,
    status: Option<String>,
    warning: Option<String>,
    sort: Option<String>,
    page: Option<String>,
}

/// What the person chose to see.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Filters {
    level: Option<Level>,
    status: Option<Status>,
    warning: Option<Warning>,
    sort: Sort,
    page: usize,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Sort {
    /// 达标率 from high to low (the default ranking).
    Rate,
    /// Warned targets, most first.
    Warned,
    /// Share of indicators reported for the year, lowest first (whom to chase).
    Reported,
    /// By place (path).
    Place,
}

impl Sort {
    const ALL: [Sort; 4] = [Sort::Rate, Sort::Warned, Sort::Reported, Sort::Place];

    fn as_str(self) -> &'static str {
        match self {
            Sort::Rate => "rate",
            Sort::Warned => "warned",
            Sort::Reported => "reported",
            Sort::Place => "place",
        }
    }

    fn label_zh(self) -> &'static str {
        match self {
            Sort::Rate => "达标率从高到低",
            Sort::Warned => "预警目标从多到少",
            Sort::Reported => "本年报送率从低到高",
            Sort::Place => "按行政区划",
        }
    }
}

fn level_label(l: Level) -> &'static str {
    match l {
        Level::Province => "省级",
        Level::City => "市级",
        Level::County => "县级",
    }
}

const LEVELS: [Level; 3] = [Level::Province, Level::City, Level::County];

/// Reads the filters; anything it cannot use is a clear 400 naming the field.
fn filters(q: &OverviewQuery) -> Result<Filters, String> {
    fn pick(raw: &Option<String>) -> Option<&str> {
        raw.as_deref().map(str::trim).filter(|s| !s.is_empty())
    }
    let level = match pick(&q.level) {
        None => None,
        Some(raw) => Some(
            LEVELS
                .into_iter()
                .find(|l| l.as_str() == raw)
                .ok_or_else(|| format!("级别“{raw}”无效：可选 province、city、county。"))?,
        ),
    };
    let status = match pick(&q.status) {
        None => None,
        Some(raw) => Some(
            Status::ALL
                .into_iter()
                .find(|s| s.as_str() == raw)
                .ok_or_else(|| format!("状态“{raw}”无效。"))?,
        ),
    };
    let warning = match pick(&q.warning) {
        None => None,
        Some(raw) => Some(
            Warning::ALL
                .into_iter()
                .find(|w| w.as_str() == raw)
                .ok_or_else(|| format!("预警“{raw}”无效。"))?,
        ),
    };
    let sort = match pick(&q.sort) {
        None => Sort::Rate,
        Some(raw) => Sort::ALL
            .into_iter()
            .find(|s| s.as_str() == raw)
            .ok_or_else(|| format!("排序方式“{raw}”无效。"))?,
    };
    let page = match pick(&q.page) {
        None => 1,
        Some(raw) => raw
            .parse::<usize>()
            .ok()
            .filter(|p| (1..=100_000).contains(p))
            .ok_or_else(|| format!("页码“{raw}”无效。"))?,
    };
    Ok(Filters {
        level,
        status,
        warning,
        sort,
        page,
    })
}

/// The regions the filters keep, ranked.
fn chosen<'a>(view: &'a LevelView, f: &Filters) -> Vec<&'a SubRegion> {
    let mut out: Vec<&SubRegion> = view
        .at_level(f.level)
        .filter(|r| f.status.is_none_or(|s| r.summary.counts.get(s) > 0))
        .filter(|r| f.warning.is_none_or(|w| r.summary.warned_with(w) > 0))
        .collect();
    let rate = |r: &SubRegion| r.summary.rate.unwrap_or(-1.0);
    let reported = |r: &SubRegion| r.summary.reported_share().unwrap_or(2.0);
    match f.sort {
        Sort::Rate => out.sort_by(|a, b| {
            rate(b)
                .total_cmp(&rate(a))
                .then(a.summary.counts.warned.cmp(&b.summary.counts.warned))
                .then_with(|| a.region.path.cmp(&b.region.path))
        }),
        Sort::Warned => out.sort_by(|a, b| {
            b.summary
                .counts
                .warned
                .cmp(&a.summary.counts.warned)
                .then_with(|| a.region.path.cmp(&b.region.path))
        }),
        Sort::Reported => out.sort_by(|a, b| {
            reported(a)
                .total_cmp(&reported(b))
                .then_with(|| a.region.path.cmp(&b.region.path))
        }),
        Sort::Place => {}
    }
    out
}

fn percent(x: Option<f64>) -> String {
    x.map(|x| format!("{:.1}%", x * 100.0))
        .unwrap_or_else(|| "—".into())
}

// ---------------------------------------------------------------------------------------
// The page.

pub struct RegionLine {
    rank: usize,
    name: String,
    within: String,
    level: &'static str,
    href: String,
    targets: usize,
    rate: String,
    rate_base: String,
    statuses: Vec<(Tag, usize)>,
    warned: usize,
    reported: String,
    reported_base: String,
    demo: bool,
    /// A region the demo made up (演示地区).
    generated: bool,
}

pub struct IndicatorRow {
    name: String,
    href: Option<String>,
    regions: usize,
    statuses: Vec<(Tag, usize)>,
    spread: String,
}

pub struct Choice {
    value: &'static str,
    label: &'static str,
    selected: bool,
}

#[derive(Template)]
#[template(path = "overview.html")]
struct OverviewPage {
    title: String,
    crumbs: Vec<Crumb>,
    year: i32,
    demo: bool,
    demo_label: &'static str,
    own_dashboard: Option<String>,
    regions_total: usize,
    by_level: Vec<(&'static str, usize)>,
    total_targets: usize,
    totals: Vec<(Tag, usize)>,
    /// How 无数据 differs from 缺报, 预计达标困难 from 预计难以按期达标.
    terms: String,
    warned: usize,
    levels: Vec<Choice>,
    statuses: Vec<Choice>,
    warnings: Vec<Choice>,
    sorts: Vec<Choice>,
    filtered: bool,
    lines: Vec<RegionLine>,
    shown_from: usize,
    shown_to: usize,
    matching: usize,
    prev_href: Option<String>,
    next_href: Option<String>,
    indicators: Vec<IndicatorRow>,
    api_href: String,
}

fn status_chips(c: &planwatch_core::evaluation::report::StatusCounts) -> Vec<(Tag, usize)> {
    DISPLAY_ORDER
        .iter()
        .filter(|s| c.get(**s) > 0)
        .map(|s| (status_tag(*s), c.get(*s)))
        .collect()
}

fn spread_zh(s: Option<&Spread>, unit: &str) -> String {
    // Quartiles are computed: rounded for reading, as 序时进度 is.
    let r = |x: f64| readable_with_unit(x, f64::NAN, unit);
    match s {
        None => "无数据".into(),
        Some(s) if s.n == 1 => r(s.median),
        Some(s) => format!(
            "{} ～ {}，中位数 {}（四分位 {} ～ {}）",
            r(s.min),
            r(s.max),
            r(s.median),
            r(s.q1),
            r(s.q3),
        ),
    }
}

/// The query string of this view with `page` replaced.
fn page_href(base: &str, year: i32, f: &Filters, page: usize) -> String {
    let mut q = format!("{base}?year={year}&sort={}", f.sort.as_str());
    if let Some(l) = f.level {
        q.push_str(&format!("&level={}", l.as_str()));
    }
    if let Some(s) = f.status {
        q.push_str(&format!("&status={}", s.as_str()));
    }
    if let Some(w) = f.warning {
        q.push_str(&format!("&warning={}", w.as_str()));
    }
    q.push_str(&format!("&page={page}"));
    q
}

struct Asked {
    root: Option<RegionRow>,
    regions: Vec<RegionRow>,
    year: i32,
    filters: Filters,
}

async fn asked(
    state: &AppState,
    raw_id: Option<String>,
    query: Result<Query<OverviewQuery>, QueryRejection>,
) -> Result<Asked, WebError> {
    let Ok(Query(q)) = query else {
        return Err(WebError::BadRequest(
            "查询参数无法解析：请使用 ?year=2024&level=county 的形式。".into(),
        ));
    };
    let filters = filters(&q).map_err(WebError::BadRequest)?;
    let asked_year = parse_year(q.year.clone()).map_err(WebError::BadRequest)?;
    let regions = state.store.regions().await?;
    let root = match raw_id {
        None => None,
        Some(raw) => {
            let id = parse_id(&raw, "地区")?;
            Some(
                regions
                    .iter()
                    .find(|r| r.id == id)
                    .cloned()
                    .ok_or_else(|| WebError::NotFound(format!("没有编号为“{raw}”的地区。")))?,
            )
        }
    };
    if let Some(root) = &root {
        let below = format!("{}/", root.path);
        if !regions.iter().any(|r| r.path.starts_with(&below)) {
            return Err(WebError::NotFound(format!("{}没有下级地区。", root.name)));
        }
    }
    let year = match asked_year {
        Some(y) => y,
        None => state
            .levels
            .latest_year(state.store.as_ref(), root.as_ref())
            .await?
            .unwrap_or_else(crate::dashboard::current_year),
    };
    Ok(Asked {
        root,
        regions,
        year,
        filters,
    })
}

pub async fn region_page(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    query: Result<Query<OverviewQuery>, QueryRejection>,
) -> Result<Html<String>, WebError> {
    let raw = segment(path)?;
    let a = asked(&state, Some(raw), query).await?;
    render(&state, a).await
}

pub async fn national_page(
    State(state): State<AppState>,
    query: Result<Query<OverviewQuery>, QueryRejection>,
) -> Result<Html<String>, WebError> {
    let a = asked(&state, None, query).await?;
    render(&state, a).await
}

async fn render(state: &AppState, a: Asked) -> Result<Html<String>, WebError> {
    let view = state
        .levels
        .get(state.store.as_ref(), a.root.as_ref(), a.year)
        .await?;
    let f = a.filters;
    let (title, base, mut crumbs, own_dashboard) = match &a.root {
        Some(root) => {
            let mut c = crumbs(&a.regions, root);
            c.push(Crumb {
                href: format!("/regions/{}", root.id),
                name: root.name.clone(),
            });
            (
                format!("{}下级地区监测概览", root.name),
                format!("/regions/{}/overview", root.id),
                c,
                (root.plan_count > 0)
                    .then(|| format!("/regions/{}/dashboard?year={}", root.id, a.year)),
            )
        }
        None => (
            "全国各地区监测概览".to_string(),
            "/overview".to_string(),
            vec![Crumb {
                href: "/".into(),
                name: "全部地区".into(),
            }],
            None,
        ),
    };
    crumbs.retain(|c| !c.name.is_empty());
    let all = chosen(&view, &f);
    let matching = all.len();
    let from = (f.page - 1) * PAGE_SIZE;
    let prefix = a.root.as_ref().map(|r| format!("{}/", r.path));
    let lines: Vec<RegionLine> = all
        .iter()
        .enumerate()
        .skip(from)
        .take(PAGE_SIZE)
        .map(|(i, r)| {
            let s = &r.summary;
            let within = match &prefix {
                Some(p) => r
                    .region
                    .path
                    .strip_prefix(p.as_str())
                    .unwrap_or(&r.region.path),
                None => r.region.path.as_str(),
            }
            .replace('/', " / ");
            RegionLine {
                rank: i + 1,
                name: r.region.name.clone(),
                within,
                level: r.region.level.map(level_label).unwrap_or(""),
                href: format!("/regions/{}/dashboard?year={}", r.region.id, a.year),
                targets: s.counts.total,
                rate: percent(s.rate),
                rate_base: format!("{}/{}", s.achieved, s.with_data),
                statuses: status_chips(&s.counts),
                warned: s.counts.warned,
                reported: percent(s.reported_share()),
                reported_base: format!("{}/{}", s.indicators_reported, s.indicators),
                demo: r.demo,
                generated: r.region.generated,
            }
        })
        .collect();
    let mut totals = planwatch_core::evaluation::report::StatusCounts::default();
    for r in &view.regions {
        let c = &r.summary.counts;
        totals.total += c.total;
        totals.warned += c.warned;
        for i in 0..totals.by_status.len() {
            totals.by_status[i] += c.by_status[i];
        }
        for i in 0..totals.by_warning.len() {
            totals.by_warning[i] += c.by_warning[i];
        }
    }
    let by_level = LEVELS
        .iter()
        .map(|l| (level_label(*l), view.at_level(Some(*l)).count()))
        .filter(|(_, n)| *n > 0)
        .collect();
    let indicators = view
        .indicators
        .iter()
        .map(|i| IndicatorRow {
            name: i.name.clone(),
            href: Some(match &a.root {
                Some(root) => compare_href(root.id, &i.key, a.year),
                None => format!(
                    "/overview/compare/{}?year={}",
                    crate::dashboard::encode_segment(&i.key),
                    a.year
                ),
            }),
            regions: i.spread.regions,
            statuses: status_chips(&i.spread.counts),
            spread: spread_zh(i.spread.values.as_ref(), &i.unit),
        })
        .collect();
    let choice = |value: &'static str, label: &'static str, selected: bool| Choice {
        value,
        label,
        selected,
    };
    let page = OverviewPage {
        title,
        crumbs,
        year: a.year,
        terms: crate::format::terms_zh(a.year),
        demo: view.demo,
        demo_label: DEMO_LABEL,
        own_dashboard,
        regions_total: view.regions.len(),
        by_level,
        total_targets: totals.total,
        totals: status_chips(&totals),
        warned: totals.warned,
        levels: LEVELS
            .iter()
            .map(|l| choice(l.as_str(), level_label(*l), f.level == Some(*l)))
            .collect(),
        statuses: DISPLAY_ORDER
            .iter()
            .map(|s| choice(s.as_str(), s.label_zh(), f.status == Some(*s)))
            .collect(),
        warnings: Warning::ALL
            .iter()
            .map(|w| choice(w.as_str(), w.label_zh(), f.warning == Some(*w)))
            .collect(),
        sorts: Sort::ALL
            .iter()
            .map(|s| choice(s.as_str(), s.label_zh(), f.sort == *s))
            .collect(),
        filtered: f.level.is_some() || f.status.is_some() || f.warning.is_some(),
        shown_from: if lines.is_empty() { 0 } else { from + 1 },
        shown_to: from + lines.len(),
        lines,
        matching,
        prev_href: (f.page > 1).then(|| page_href(&base, a.year, &f, f.page - 1)),
        next_href: (from + PAGE_SIZE < matching).then(|| page_href(&base, a.year, &f, f.page + 1)),
        indicators,
        api_href: match &a.root {
            Some(root) => format!("/api/regions/{}/overview?year={}", root.id, a.year),
            None => format!("/api/overview?year={}", a.year),
        },
    };
    Ok(Html(page.render()?))
}

// ---------------------------------------------------------------------------------------
// JSON.

#[utoipa::path(
    get,
    path = "/api/regions/{id}/overview",
    operation_id = "region_overview",
    tag = "总览",
    summary = "地区及其下级的总览",
    description = "该地区下级各地区监测结果的比较，可按级别、状态、预警筛选和排序。",
    params(("id" = i64, Path, description = "地区编号"), crate::openapi::OverviewParams),
    responses(
        (status = 200, description = "总览", body = crate::openapi::Overview),
        (status = 400, description = "查询参数无法解析", body = crate::openapi::ErrorBody),
        (status = 401, description = "未登录，或接口令牌无效", body = crate::openapi::ErrorBody),
        (status = 403, description = "无权查看该地区", body = crate::openapi::ErrorBody),
        (status = 404, description = "地区不存在", body = crate::openapi::ErrorBody),
        (status = 503, description = "数据库正忙（另一项导入正在进行），请按 Retry-After 稍后重试", body = crate::openapi::ErrorBody),
    ),
    security(("bearer_token" = ["read"]), ("session_cookie" = [])),
)]
pub async fn region_api(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    query: Result<Query<OverviewQuery>, QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    let raw = segment(path)?;
    let a = asked(&state, Some(raw), query).await?;
    Ok(to_json(&state, a).await?)
}

#[utoipa::path(
    get,
    path = "/api/overview",
    operation_id = "national_overview",
    tag = "总览",
    summary = "全国总览",
    description = "全部地区监测结果的比较，可按级别、状态、预警筛选和排序。仅限管理员。",
    params(crate::openapi::OverviewParams),
    responses(
        (status = 200, description = "总览", body = crate::openapi::Overview),
        (status = 400, description = "查询参数无法解析", body = crate::openapi::ErrorBody),
        (status = 401, description = "未登录，或接口令牌无效", body = crate::openapi::ErrorBody),
        (status = 403, description = "仅限管理员", body = crate::openapi::ErrorBody),
        (status = 503, description = "数据库正忙（另一项导入正在进行），请按 Retry-After 稍后重试", body = crate::openapi::ErrorBody),
    ),
    security(("bearer_token" = ["read"]), ("session_cookie" = [])),
)]
pub async fn national_api(
    State(state): State<AppState>,
    query: Result<Query<OverviewQuery>, QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    let a = asked(&state, None, query).await?;
    Ok(to_json(&state, a).await?)
}

/// A page's error, answered as JSON `{"error": …}` like the rest of `/api/`.
impl From<WebError> for ApiError {
    fn from(e: WebError) -> ApiError {
        use axum::http::StatusCode;
        match e {
            WebError::NotFound(msg) => ApiError::new(StatusCode::NOT_FOUND, msg),
            WebError::BadRequest(msg) => ApiError::new(StatusCode::BAD_REQUEST, msg),
            WebError::Forbidden(msg) => ApiError::new(StatusCode::FORBIDDEN, msg),
            WebError::Store(e) => e.into(),
            e => {
                tracing::error!(error = ?e, "error in the overview API");
                ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "服务器内部错误，请稍后再试。",
                )
            }
        }
    }
}

fn counts_json(c: &planwatch_core::evaluation::report::StatusCounts) -> Value {
    json!({
        "total": c.total,
        "warned": c.warned,
        "by_status": Status::ALL.iter().map(|s| (s.as_str().to_string(), json!(c.get(*s)))).collect::<serde_json::Map<_, _>>(),
        "by_warning": Warning::ALL.iter().enumerate().map(|(i, w)| (w.as_str().to_string(), json!(c.by_warning[i]))).collect::<serde_json::Map<_, _>>(),
    })
}

async fn to_json(state: &AppState, a: Asked) -> Result<Json<Value>, WebError> {
    let view = state
        .levels
        .get(state.store.as_ref(), a.root.as_ref(), a.year)
        .await?;
    let regions: Vec<Value> = chosen(&view, &a.filters)
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let s = &r.summary;
            json!({
                "rank": i + 1,
                "id": r.region.id,
                "name": r.region.name,
                "path": r.region.path,
                "level": r.region.level.map(|l| l.as_str()),
                "targets": s.counts.total,
                "counts": counts_json(&s.counts),
                "with_data": s.with_data,
                "achieved": s.achieved,
                "rate": s.rate,
                "indicators": s.indicators,
                "indicators_reported": s.indicators_reported,
                "reported_share": s.reported_share(),
                "errors": r.errors,
                "demo": r.demo,
                "generated": r.region.generated,
                "dashboard": format!("/regions/{}/dashboard?year={}", r.region.id, a.year),
            })
        })
        .collect();
    let names: HashMap<&str, &str> = view
        .indicators
        .iter()
        .map(|i| (i.key.as_str(), i.name.as_str()))
        .collect();
    let indicators: Vec<Value> = view
        .indicators
        .iter()
        .map(|i| {
            json!({
                "key": i.key,
                "name": names.get(i.key.as_str()).copied().unwrap_or(""),
                "unit": i.unit,
                "regions": i.spread.regions,
                "counts": counts_json(&i.spread.counts),
                "values": i.spread.values,
            })
        })
        .collect();
    Ok(Json(json!({
        "root": a.root.as_ref().map(|r| json!({"id": r.id, "name": r.name, "path": r.path})),
        "report_year": a.year,
        "demo": view.demo,
        "demo_label": view.demo_label(),
        "regions_total": view.regions.len(),
        "regions": regions,
        "indicators": indicators,
    })))
}
