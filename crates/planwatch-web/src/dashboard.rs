//! The dashboard (监测概览) for the committee office and leaders:
//!
//! - `/regions/{id}/dashboard?year=R` — a region's overview for report year `R`: the
//!   warnings first, then the status counts per domain and per responsible unit, the
//!   mid-term and final 达标率, and every target linked to its indicator page;
//! - `/regions/{id}/indicators/{key}?year=R` — one indicator of the region: the chart of
//!   its values, the straight path from the baseline to the target (序时进度), the projection
//!   and the target line, the status explained in a sentence, the numbers and the values;
//! - `/regions/{id}/compare/{key}?year=R` — every sub-region's latest value and status for
//!   one indicator, ranked;
//! - `/api/regions/{id}/dashboard?year=R` — the overview as JSON.
//!
//! `key` is the indicator key reported data is filed under (the catalog code, or
//! `local:{name}`). Without `year` the latest year with data is shown. The pages are
//! complete without JavaScript (tables); the charts are drawn by ECharts from the data each
//! page embeds as JSON (`static/dashboard.js`).

use crate::assets::{DASHBOARD_JS_PATH, ECHARTS_PATH};
use crate::auth::Caller;
use crate::page_cache::PageKey;
use crate::regions::{Crumb, crumbs, parse_id, segment};
use crate::{AppState, WebError};
use askama::Template;
use axum::Json;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use planwatch_core::access::Action;
use planwatch_core::evaluation::overview::{
    self, FINAL_YEAR, MID_TERM_YEAR, MilestoneView, Overview, OverviewItem, SEVERITY,
    milestone_report_year, split_units, warnings_by_severity,
};
use planwatch_core::evaluation::report::{StatusCounts, SubRegionItem, compare_sub_regions};
use planwatch_core::evaluation::{
    Evaluation, Observation, Series, Status, Warning, evaluate, with_unit,
};
use planwatch_core::reporting::ReportKind;
use planwatch_store::monitoring::DEMO_LABEL;
use planwatch_store::system::TargetState;
use planwatch_store::{
    Generation, MonitoringRow, RegionMonitoring, RegionRow, Store, region_monitoring,
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::sync::Arc;

/// Warned targets listed before the rest fold away.
const WARNED_SHOWN: usize = 10;

/// Report years a page accepts.
const YEARS: std::ops::RangeInclusive<i32> = 1990..=2100;

/// Statuses in the order the dashboard lists them: the good, the worrying, the unknown.
pub const DISPLAY_ORDER: [Status; 8] = [
    Status::Achieved,
    Status::OnTrack,
    Status::NeedsAcceleration,
    Status::OffTrack,
    Status::Regressing,
    Status::Missed,
    Status::NoTrend,
    Status::NoData,
];

/// The colour of a status in charts (the CSS classes `st-{status}` use the same ones).
pub fn status_color(s: Status) -> &'static str {
    match s {
        Status::Achieved => "#1e7b3c",
        Status::OnTrack => "#6aab4f",
        Status::NeedsAcceleration => "#e0a800",
        Status::OffTrack => "#e06a1b",
        Status::Regressing => "#b3141b",
        Status::Missed => "#6d0a0f",
        Status::NoTrend => "#7d95ad",
        Status::NoData => "#bcc2c9",
    }
}

// ---------------------------------------------------------------------------------------
// Input: the report year and the region.

#[derive(Debug, Deserialize)]
pub struct YearQuery {
    year: Option<String>,
}

/// The `year` of the query: `None` when absent or empty; a clear 400 when it is no year.
pub(crate) fn requested_year(
    q: Result<Query<YearQuery>, QueryRejection>,
) -> Result<Option<i32>, String> {
    let Ok(Query(q)) = q else {
        return Err("查询参数无法解析：请使用 ?year=2024 的形式指定报告年度。".into());
    };
    parse_year(q.year)
}

/// A report year as typed: `None` when absent or empty; a clear message when it is no year.
pub(crate) fn parse_year(raw: Option<String>) -> Result<Option<i32>, String> {
    let Some(raw) = raw.map(|s| s.trim().to_string()).filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    match raw.parse::<i32>() {
        Ok(y) if YEARS.contains(&y) => Ok(Some(y)),
        _ => Err(format!(
            "报告年度“{raw}”无效：请填写 {}—{} 之间的四位年份，例如 ?year=2024。",
            YEARS.start(),
            YEARS.end()
        )),
    }
}

/// The latest year with reported data in any of `regions`; the current year when there is
/// none.
async fn latest_year(store: &dyn Store, regions: &[i64]) -> Result<i32, WebError> {
    let mut latest: Option<i32> = None;
    for id in regions {
        for o in store.observations(*id).await? {
            latest = latest.max(Some(o.year));
        }
    }
    Ok(latest.unwrap_or_else(current_year))
}

pub(crate) fn current_year() -> i32 {
    use chrono::Datelike;
    chrono::Utc::now().year()
}

struct Place {
    regions: Vec<RegionRow>,
    region: RegionRow,
}

async fn place(state: &AppState, raw: &str) -> Result<Place, WebError> {
    let id = parse_id(raw, "地区")?;
    let regions = state.store.regions().await?;
    let region = regions
        .iter()
        .find(|r| r.id == id)
        .cloned()
        .ok_or_else(|| WebError::NotFound(format!("没有编号为“{raw}”的地区。")))?;
    Ok(Place { regions, region })
}

impl Place {
    /// Breadcrumbs down to and including the region.
    fn crumbs(&self) -> Vec<Crumb> {
        let mut c = crumbs(&self.regions, &self.region);
        c.push(Crumb {
            href: format!("/regions/{}", self.region.id),
            name: self.region.name.clone(),
        });
        c
    }

    /// Regions below this one, at any depth.
    fn descendants(&self) -> Vec<&RegionRow> {
        let prefix = format!("{}/", self.region.path);
        self.regions
            .iter()
            .filter(|r| r.path.starts_with(&prefix))
            .collect()
    }

    /// Enclosing regions that are in the database, from the nearest up.
    fn ancestors(&self) -> Vec<&RegionRow> {
        let mut out = Vec::new();
        let mut parent = self.region.parent_id;
        while let Some(id) = parent {
            match self.regions.iter().find(|r| r.id == id) {
                Some(r) if !out.iter().any(|o: &&RegionRow| o.id == r.id) => {
                    out.push(r);
                    parent = r.parent_id;
                }
                _ => break,
            }
        }
        out
    }
}

/// The report year asked for, else the latest with data in `regions`.
pub(crate) async fn report_year(
    state: &AppState,
    asked: Option<i32>,
    regions: &[i64],
) -> Result<i32, WebError> {
    match asked {
        Some(y) => Ok(y),
        None => latest_year(state.store.as_ref(), regions).await,
    }
}

// ---------------------------------------------------------------------------------------
// Paths and numbers.

/// Percent-encodes a path segment (an indicator key may hold Chinese, `:` or `/`).
pub fn encode_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b':') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

pub fn indicator_href(region_id: i64, key: &str, year: i32) -> String {
    format!(
        "/regions/{region_id}/indicators/{}?year={year}",
        encode_segment(key)
    )
}

pub fn compare_href(region_id: i64, key: &str, year: i32) -> String {
    format!(
        "/regions/{region_id}/compare/{}?year={year}",
        encode_segment(key)
    )
}

pub(crate) fn value_with_unit(v: f64, unit: &str) -> String {
    with_unit(v, unit)
}

/// JSON for a `<script type="application/json">` block: nothing in it can close the tag.
pub(crate) fn script_json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v)
        .unwrap_or_else(|_| "null".into())
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

pub struct Tag {
    pub label: &'static str,
    pub class: String,
    /// The word's entry on the 名词解释 page.
    pub anchor: &'static str,
}

pub(crate) fn status_tag(s: Status) -> Tag {
    Tag {
        label: s.label_zh(),
        class: format!("st st-{}", s.as_str()),
        anchor: s.as_str(),
    }
}

pub(crate) fn warning_tags(e: &Evaluation) -> Vec<Tag> {
    warnings_by_severity(e)
        .into_iter()
        .map(|w| Tag {
            label: w.label_zh(),
            class: format!("warn warn-{}", w.as_str().to_ascii_lowercase()),
            anchor: w.as_str(),
        })
        .collect()
}

fn row_status(r: &MonitoringRow) -> Tag {
    match &r.evaluation {
        Ok(e) => status_tag(e.status),
        Err(_) => Tag {
            label: "数据有误",
            class: "st st-error".into(),
            anchor: "",
        },
    }
}

// ---------------------------------------------------------------------------------------
// The overview.

/// A region's monitoring with its overview.
struct Built {
    rm: RegionMonitoring,
    /// Indices into `rm.rows` of the targets that could be judged; the overview's indices
    /// point into this.
    judged: Vec<usize>,
    overview: Overview,
}

/// Judges `row` again with another report year (the mid-term or final evaluation's).
fn judged_at(row: &MonitoringRow, year: i32) -> Option<Evaluation> {
    let mut obs: Vec<Observation> = row
        .series
        .iter()
        .map(|o| Observation::new(o.year, o.value))
        .collect();
    let s = Series::sorted(&mut obs).ok()?;
    Some(evaluate(&s.at(year), &row.spec))
}

/// A target's responsible units: those its plan names, else the departments the monitoring
/// catalog names for its indicator, else none (counted under 未明确责任单位).
fn responsible_units(state: &TargetState) -> Vec<&str> {
    if let Some(owner) = state.owner.as_deref() {
        let units = split_units(owner);
        if !units.is_empty() {
            return units;
        }
    }
    let from_catalog = state
        .code
        .as_deref()
        .and_then(|code| crate::catalog::catalog().ok()?.get(code))
        .map(|i| i.departments.iter().map(String::as_str).collect());
    from_catalog.unwrap_or_default()
}

async fn build(store: &dyn Store, region: &RegionRow, year: i32) -> Result<Built, WebError> {
    let rm = region_monitoring(store, region, year).await?;
    Ok(built(rm, year))
}

/// The overview of a region's judged targets.
fn built(rm: RegionMonitoring, year: i32) -> Built {
    let judged: Vec<usize> = (0..rm.rows.len())
        .filter(|&i| rm.rows[i].evaluation.is_ok())
        .collect();
    let evals: Vec<&Evaluation> = judged
        .iter()
        .filter_map(|&i| rm.rows[i].evaluation.as_ref().ok())
        .collect();
    let again = |milestone: i32| -> Vec<Option<Evaluation>> {
        let at = milestone_report_year(milestone, year);
        judged
            .iter()
            .map(|&i| (at != year).then(|| judged_at(&rm.rows[i], at)).flatten())
            .collect()
    };
    let mid = again(MID_TERM_YEAR);
    let fin = again(FINAL_YEAR);
    let units: Vec<Vec<&str>> = judged
        .iter()
        .map(|&i| responsible_units(&rm.rows[i].target.state))
        .collect();
    let items: Vec<OverviewItem<'_>> = judged
        .iter()
        .enumerate()
        .map(|(n, &i)| {
            let row = &rm.rows[i];
            OverviewItem {
                domain: &row.target.state.domain,
                units: &units[n],
                target: &row.spec,
                evaluation: evals[n],
                at_mid_term: mid[n].as_ref().unwrap_or(evals[n]),
                at_final: fin[n].as_ref().unwrap_or(evals[n]),
            }
        })
        .collect();
    let overview = overview::overview(year, &items);
    drop(items);
    Built {
        rm,
        judged,
        overview,
    }
}

/// What a page judged on other values than the stored ones shows (the round's provisional
/// evaluation): the dashboard's counts and target lines, never cached.
pub struct Judged {
    pub summary: String,
    pub total: usize,
    pub warned: usize,
    pub errors: usize,
    pub demo: bool,
    pub status_heads: Vec<Tag>,
    /// Targets per status, in [`DISPLAY_ORDER`].
    pub totals: Vec<usize>,
    pub domains: Vec<CountRow>,
    pub lines: Vec<TargetLine>,
}

/// Judges `region`'s targets for `year` on `observations` instead of its stored values,
/// with the dashboard's own code.
pub(crate) async fn judged_with(
    store: &dyn Store,
    region: &RegionRow,
    year: i32,
    observations: &[planwatch_store::system::StoredObservation],
) -> Result<Judged, WebError> {
    let rm = planwatch_store::monitoring::region_monitoring_with(store, region, year, observations)
        .await?;
    let b = built(rm, year);
    let o = &b.overview;
    Ok(Judged {
        summary: b.rm.summary_zh(),
        total: b.rm.rows.len(),
        warned: o.total.warned,
        errors: b.rm.errors(),
        demo: b.rm.demo,
        status_heads: DISPLAY_ORDER.iter().map(|s| status_tag(*s)).collect(),
        totals: DISPLAY_ORDER.iter().map(|s| o.total.get(*s)).collect(),
        domains: o
            .by_domain
            .iter()
            .map(|d| count_row(&d.domain, &d.counts))
            .collect(),
        lines: b
            .rm
            .rows
            .iter()
            .map(|r| target_line(region.id, year, r))
            .collect(),
    })
}

pub struct TargetLine {
    pub href: String,
    pub indicator: String,
    pub domain: String,
    pub goal: String,
    pub latest: String,
    pub status: Tag,
    pub warnings: Vec<Tag>,
    pub explanation: String,
    pub owner: String,
    /// The plans it comes from: one, or both when both set the same target.
    pub plans: String,
    pub demo: bool,
}

fn target_line(region_id: i64, year: i32, row: &MonitoringRow) -> TargetLine {
    let s = &row.target.state;
    let latest = match &row.evaluation {
        Ok(e) => e
            .latest
            .map(|l| format!("{}（{}年）", value_with_unit(l.value, &s.unit), l.year))
            .unwrap_or_else(|| "—".into()),
        Err(_) => "—".into(),
    };
    TargetLine {
        href: indicator_href(region_id, &s.indicator_key(), year),
        indicator: s.indicator.clone(),
        domain: s.domain.clone(),
        goal: row.goal_zh(),
        latest,
        status: row_status(row),
        warnings: row
            .evaluation
            .as_ref()
            .map(warning_tags)
            .unwrap_or_default(),
        explanation: row.explanation.clone(),
        owner: s.owner.clone().unwrap_or_default(),
        plans: row.plans_zh(),
        demo: row.demo,
    }
}

pub struct CountRow {
    pub name: String,
    /// In [`DISPLAY_ORDER`].
    pub cells: Vec<usize>,
    pub warned: usize,
    pub total: usize,
}

fn count_row(name: &str, c: &StatusCounts) -> CountRow {
    CountRow {
        name: name.to_string(),
        cells: DISPLAY_ORDER.iter().map(|s| c.get(*s)).collect(),
        warned: c.warned,
        total: c.total,
    }
}

pub struct WarningChip {
    pub label: &'static str,
    pub class: String,
    pub count: usize,
}

pub struct MilestoneCard {
    pub title: String,
    pub rate: String,
    /// What the rate rests on: "有数据的18项目标中17项达标"; empty when no target is due.
    pub base: String,
    pub sentence: String,
    /// The later targets' trajectory ("2030年到期的目标…"); empty when there is none.
    pub later: String,
    pub projected: bool,
}

fn milestone_card(m: &MilestoneView) -> MilestoneCard {
    MilestoneCard {
        title: m.title_zh(),
        rate: m
            .milestone
            .rate
            .map(|r| format!("{:.1}%", r * 100.0))
            .unwrap_or_else(|| "—".into()),
        base: rate_base_zh(m),
        sentence: m.sentence_zh(),
        later: later_zh(m),
        projected: m.projected,
    }
}

/// The base of a milestone's 达标率, next to the rate (issue 15: 94.4% rested on 18 of 56
/// targets and did not say so).
fn rate_base_zh(m: &MilestoneView) -> String {
    let c = &m.milestone;
    let judged = c.met + c.not_met;
    if c.due == 0 {
        String::new()
    } else if judged == 0 {
        format!("{}年到期的{}项目标均无法判断，暂无达标率", c.year, c.due)
    } else if m.projected {
        format!("可预估的{judged}项目标中预计{}项达标", c.met)
    } else {
        format!("有数据的{judged}项目标中{}项达标", c.met)
    }
}

/// "此后到期的目标 60 项按目前趋势：已达标 20 项、进展顺利 15 项……。"
fn later_zh(m: &MilestoneView) -> String {
    let c = &m.milestone.later;
    if c.total == 0 {
        return String::new();
    }
    let parts: Vec<String> = DISPLAY_ORDER
        .iter()
        .filter(|s| c.get(**s) > 0)
        .map(|s| format!("{} {} 项", s.label_zh(), c.get(*s)))
        .collect();
    format!(
        "{}年以后到期的目标 {} 项按目前趋势：{}。",
        m.milestone.year,
        c.total,
        parts.join("、")
    )
}

/// The data of a stacked bar chart of status counts.
#[derive(Serialize)]
struct StatusBars {
    categories: Vec<String>,
    series: Vec<StatusSeries>,
}

#[derive(Serialize)]
struct StatusSeries {
    name: &'static str,
    color: &'static str,
    data: Vec<usize>,
}

fn status_bars(rows: &[CountRow]) -> StatusBars {
    StatusBars {
        categories: rows.iter().map(|r| r.name.clone()).collect(),
        series: DISPLAY_ORDER
            .iter()
            .enumerate()
            .map(|(i, s)| StatusSeries {
                name: s.label_zh(),
                color: status_color(*s),
                data: rows.iter().map(|r| r.cells[i]).collect(),
            })
            .collect(),
    }
}

pub struct YearOption {
    pub year: i32,
    pub selected: bool,
}

fn year_options(rm: &RegionMonitoring) -> Vec<YearOption> {
    let years = rm.rows.iter().flat_map(|r| r.series.iter().map(|o| o.year));
    let lo = years.clone().min().unwrap_or(rm.report_year);
    let hi = years.max().unwrap_or(rm.report_year);
    let (lo, hi) = (lo.min(rm.report_year), hi.max(rm.report_year));
    (lo..=hi)
        .rev()
        .map(|year| YearOption {
            year,
            selected: year == rm.report_year,
        })
        .collect()
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    overview_href: Option<String>,
    name: String,
    path: String,
    crumbs: Vec<Crumb>,
    region_href: String,
    api_href: String,
    /// The report form: where it goes, the kinds, the region's publications.
    report_action: String,
    report_kinds: Vec<crate::reports::KindOption>,
    publications_href: String,
    may_publish: bool,
    year: i32,
    years: Vec<YearOption>,
    demo: bool,
    demo_label: &'static str,
    /// The region is made up by the demo (演示地区).
    generated: bool,
    summary: String,
    total: usize,
    achieved: usize,
    on_track: usize,
    warned: usize,
    errors: usize,
    chips: Vec<WarningChip>,
    /// How 无数据 differs from 缺报, 预计达标困难 from 预计难以按期达标.
    terms: String,
    warned_lines: Vec<TargetLine>,
    /// Past the first [`WARNED_SHOWN`]: behind a `<details>`.
    warned_more: Vec<TargetLine>,
    warned_count: usize,
    status_heads: Vec<Tag>,
    domains: Vec<CountRow>,
    units: Vec<CountRow>,
    domain_chart: String,
    unit_chart: String,
    milestones: Vec<MilestoneCard>,
    lines: Vec<TargetLine>,
    echarts: &'static str,
    script: &'static str,
}

pub async fn page(
    State(state): State<AppState>,
    caller: Caller,
    path: Result<Path<String>, PathRejection>,
    query: Result<Query<YearQuery>, QueryRejection>,
) -> Result<Html<String>, WebError> {
    let raw = segment(path)?;
    let asked = requested_year(query).map_err(WebError::BadRequest)?;
    let id = parse_id(&raw, "地区")?;
    // The dashboard shows the region's own targets and values only: its own counter says
    // whether the kept page is current (one indexed row, not the whole region list).
    let Some(writes) = state.store.region_writes(id).await? else {
        return Err(WebError::NotFound(format!("没有编号为“{raw}”的地区。")));
    };
    let generation = Generation {
        regions: 1,
        writes,
        last_id: id,
    };
    // Those who may publish see a publish button: their page is kept apart.
    let may_publish = match state.store.region(id).await? {
        Some(r) => caller.may(Action::Publish, &r),
        None => false,
    };
    let key = PageKey {
        page: if may_publish {
            "dashboard-publisher"
        } else {
            "dashboard"
        },
        region: id,
        year: asked,
    };
    if let Some(kept) = state.pages.get(&key, generation) {
        return Ok(Html(kept.to_string()));
    }
    let html = render_page(&state, &raw, asked, may_publish).await?;
    state.pages.put(key, generation, Arc::from(html.as_str()));
    Ok(Html(html))
}

async fn render_page(
    state: &AppState,
    raw: &str,
    asked: Option<i32>,
    may_publish: bool,
) -> Result<String, WebError> {
    let place = place(state, raw).await?;
    let region = &place.region;
    let year = report_year(state, asked, &[region.id]).await?;
    let b = build(state.store.as_ref(), region, year).await?;
    let o = &b.overview;
    let rows = &b.rm.rows;

    let chips = SEVERITY
        .iter()
        .map(|w| {
            let i = Warning::ALL.iter().position(|x| x == w).unwrap_or(0);
            WarningChip {
                label: w.label_zh(),
                class: format!("warn warn-{}", w.as_str().to_ascii_lowercase()),
                count: o.total.by_warning[i],
            }
        })
        .collect();
    let mut warned_lines: Vec<TargetLine> = o
        .warned
        .iter()
        .filter_map(|&n| b.judged.get(n))
        .map(|&i| target_line(region.id, year, &rows[i]))
        .collect();
    let warned_more = warned_lines.split_off(WARNED_SHOWN.min(warned_lines.len()));
    let domains: Vec<CountRow> = o
        .by_domain
        .iter()
        .map(|d| count_row(&d.domain, &d.counts))
        .collect();
    let units: Vec<CountRow> = o
        .by_unit
        .iter()
        .map(|u| count_row(&u.unit, &u.counts))
        .collect();
    // The mid-term card shows even with nothing due in 2025: the 2030 targets' trajectory.
    let milestones = [&o.mid_term, &o.final_term]
        .into_iter()
        .filter(|m| m.milestone.due + m.milestone.later.total > 0)
        .map(milestone_card)
        .collect();
    let below = format!("{}/", region.path);
    let page = DashboardPage {
        overview_href: place
            .regions
            .iter()
            .any(|r| r.path.starts_with(&below))
            .then(|| format!("/regions/{}/overview?year={year}", region.id)),
        name: region.name.clone(),
        path: region.path.replace('/', " / "),
        crumbs: place.crumbs(),
        region_href: format!("/regions/{}", region.id),
        api_href: format!("/api/regions/{}/dashboard?year={year}", region.id),
        report_action: format!("/regions/{}/report", region.id),
        report_kinds: crate::reports::kind_options(ReportKind::Annual),
        publications_href: format!("/regions/{}/publications", region.id),
        may_publish,
        year,
        years: year_options(&b.rm),
        demo: b.rm.demo,
        demo_label: DEMO_LABEL,
        generated: region.generated,
        summary: b.rm.summary_zh(),
        total: rows.len(),
        achieved: o.total.get(Status::Achieved),
        on_track: o.total.get(Status::OnTrack),
        warned: o.total.warned,
        errors: b.rm.errors(),
        chips,
        terms: crate::format::terms_zh(year),
        warned_count: warned_lines.len() + warned_more.len(),
        warned_lines,
        warned_more,
        status_heads: DISPLAY_ORDER.iter().map(|s| status_tag(*s)).collect(),
        domain_chart: script_json(&status_bars(&domains)),
        unit_chart: script_json(&status_bars(&units)),
        domains,
        units,
        milestones,
        lines: rows
            .iter()
            .map(|r| target_line(region.id, year, r))
            .collect(),
        echarts: ECHARTS_PATH,
        script: DASHBOARD_JS_PATH,
    };
    Ok(page.render()?)
}

/// `GET /api/regions/{id}/dashboard?year=R`: the monitoring rows (as `planwatch evaluate
/// --format json` prints them) and the overview.
#[utoipa::path(
    get,
    path = "/api/regions/{id}/dashboard",
    operation_id = "region_dashboard",
    tag = "监测看板",
    summary = "地区的监测看板",
    description = "地区每个目标的监测结果（状态、预警、历年数据、解释）和概况（各领域、各责任单位的统计，中期和终期评估）。",
    params(("id" = i64, Path, description = "地区编号"), ("year" = Option<i32>, Query, description = "报告年度；不给时取有数据的最近一年")),
    responses(
        (status = 200, description = "监测看板", body = crate::openapi::Dashboard),
        (status = 400, description = "year 不是有效的年份", body = crate::openapi::ErrorBody),
        (status = 401, description = "未登录，或接口令牌无效", body = crate::openapi::ErrorBody),
        (status = 403, description = "无权查看该地区", body = crate::openapi::ErrorBody),
        (status = 404, description = "地区不存在", body = crate::openapi::ErrorBody),
        (status = 503, description = "数据库正忙（另一项导入正在进行），请按 Retry-After 稍后重试", body = crate::openapi::ErrorBody),
    ),
    security(("bearer_token" = ["read"]), ("session_cookie" = [])),
)]
pub async fn api(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    query: Result<Query<YearQuery>, QueryRejection>,
) -> Response {
    let err =
        |status: StatusCode, msg: String| (status, Json(json!({ "error": msg }))).into_response();
    let Ok(Path(raw)) = path else {
        return err(StatusCode::NOT_FOUND, "地址无效".into());
    };
    let asked = match requested_year(query) {
        Ok(y) => y,
        Err(msg) => return err(StatusCode::BAD_REQUEST, msg),
    };
    let result = async {
        let place = place(&state, &raw).await?;
        let year = report_year(&state, asked, &[place.region.id]).await?;
        build(state.store.as_ref(), &place.region, year).await
    }
    .await;
    let b = match result {
        Ok(b) => b,
        Err(WebError::NotFound(msg)) => return err(StatusCode::NOT_FOUND, msg),
        Err(e) => {
            tracing::error!(error = ?e, "dashboard API");
            return err(
                StatusCode::INTERNAL_SERVER_ERROR,
                "服务器内部错误，请稍后再试。".into(),
            );
        }
    };
    let o = &b.overview;
    let target_id = |n: &usize| b.judged.get(*n).map(|&i| b.rm.rows[i].target.id);
    let mut body = b.rm.to_json();
    body["overview"] = json!({
        "warned_target_ids": o.warned.iter().filter_map(target_id).collect::<Vec<_>>(),
        "by_domain": o.by_domain,
        "by_unit": o.by_unit,
        "mid_term": milestone_json(&o.mid_term),
        "final": milestone_json(&o.final_term),
    });
    Json(body).into_response()
}

fn milestone_json(m: &MilestoneView) -> serde_json::Value {
    json!({
        "title_zh": m.title_zh(),
        "projected": m.projected,
        "sentence_zh": m.sentence_zh(),
        "year": m.milestone.year,
        "due": m.milestone.due,
        "met": m.milestone.met,
        "not_met": m.milestone.not_met,
        "no_data": m.milestone.no_data,
        "rate": m.milestone.rate,
    })
}

// ---------------------------------------------------------------------------------------
// One indicator of a region.

pub struct NumberItem {
    pub label: String,
    pub value: String,
}

pub struct TargetCard {
    pub goal: String,
    pub status: Tag,
    pub warnings: Vec<Tag>,
    pub explanation: String,
    pub binding: (&'static str, &'static str),
    pub owner: String,
    pub numbers: Vec<NumberItem>,
    /// The plans that set it.
    pub plans: String,
}

pub struct ObservationLine {
    pub year: i32,
    pub value: String,
    pub source: String,
    pub demo: bool,
    pub after: bool,
    pub recorded: String,
}

#[derive(Serialize)]
struct IndicatorChart {
    name: String,
    unit: String,
    report_year: i32,
    /// `[year, value]` up to the report year.
    observed: Vec<(i32, f64)>,
    demo: bool,
    targets: Vec<ChartTarget>,
}

#[derive(Serialize)]
struct ChartTarget {
    label: String,
    year: i32,
    value: f64,
    /// 序时进度: from the baseline to the target.
    path: Option<[(i32, f64); 2]>,
    /// From the latest value to the target year.
    projection: Option<[(i32, f64); 2]>,
}

fn numbers(row: &MonitoringRow, e: &Evaluation, report_year: i32) -> Vec<NumberItem> {
    let st = &row.target.state;
    let (unit, target_year, target_value) = (st.unit.as_str(), st.year, st.value);
    let v = |x: f64| value_with_unit(x, unit);
    // Computed values at the precision the data were reported in; observed ones as
    // reported; for a due target neither a 序时进度 nor a projection (issue 15).
    let p = row.precision;
    let c = |x: f64| p.figure_with_unit(x, target_value, unit);
    let shown = planwatch_core::evaluation::shown(&row.spec, e, report_year);
    let mut out = Vec::new();
    let mut push = |label: &str, value: String| {
        out.push(NumberItem {
            label: label.into(),
            value,
        })
    };
    push(
        "基线",
        match (e.baseline_year, e.baseline_value) {
            (Some(t), Some(y)) => format!("{}（{t}年）", v(y)),
            (Some(t), None) => format!("{t}年（无数值）"),
            _ => "—".into(),
        },
    );
    push(
        "最新值",
        e.latest
            .map(|l| format!("{}（{}年）", v(l.value), l.year))
            .unwrap_or_else(|| "—".into()),
    );
    push(
        "序时进度应达到",
        shown.expected.map(c).unwrap_or_else(|| "—".into()),
    );
    push(
        "完成应有进度",
        shown
            .progress_ratio
            .map(|r| format!("{:.0}%", r * 100.0))
            .unwrap_or_else(|| "—".into()),
    );
    push(
        "年均变化（趋势斜率）",
        e.slope
            .map(|s| {
                let sign = if s > 0.0 { "+" } else { "" };
                let s = p.change(s);
                let unit = match unit.strip_prefix("1/") {
                    Some(per) => format!("/{per}"),
                    None => unit.to_string(),
                };
                format!("{sign}{s}{unit}/年")
            })
            .unwrap_or_else(|| "—".into()),
    );
    if let Some(x) = shown.projected {
        push(&format!("预计{target_year}年"), c(x));
    }
    push("拟合数据点", format!("{} 个", e.points));
    out
}

#[derive(Template)]
#[template(path = "region_indicator.html")]
struct IndicatorPage {
    region_name: String,
    indicator: String,
    code: Option<String>,
    catalog_href: Option<String>,
    unit: String,
    domain: String,
    kind: String,
    crumbs: Vec<Crumb>,
    year: i32,
    years: Vec<YearOption>,
    demo: bool,
    demo_label: &'static str,
    cards: Vec<TargetCard>,
    /// How 无数据 differs from 缺报, 预计达标困难 from 预计难以按期达标.
    terms: String,
    observations: Vec<ObservationLine>,
    compare: Vec<Crumb>,
    chart: String,
    echarts: &'static str,
    script: &'static str,
}

pub struct KeyPath {
    id: String,
    key: String,
}

fn id_and_key(path: Result<Path<(String, String)>, PathRejection>) -> Result<KeyPath, WebError> {
    let (id, key) = segment(path)?;
    Ok(KeyPath { id, key })
}

pub async fn indicator(
    State(state): State<AppState>,
    path: Result<Path<(String, String)>, PathRejection>,
    query: Result<Query<YearQuery>, QueryRejection>,
) -> Result<Html<String>, WebError> {
    let KeyPath { id: raw, key } = id_and_key(path)?;
    let asked = requested_year(query).map_err(WebError::BadRequest)?;
    let place = place(&state, &raw).await?;
    let region = &place.region;
    let year = report_year(&state, asked, &[region.id]).await?;
    let rm = region_monitoring(state.store.as_ref(), region, year).await?;
    let mut rows: Vec<&MonitoringRow> = rm
        .rows
        .iter()
        .filter(|r| r.target.state.indicator_key() == key)
        .collect();
    let Some(first) = rows.first().copied() else {
        return Err(WebError::NotFound(format!(
            "{}的指标体系中没有指标“{key}”。",
            region.name
        )));
    };
    rows.sort_by_key(|r| r.target.state.year);
    let s = &first.target.state;
    let unit = s.unit.clone();

    let cards: Vec<TargetCard> = rows
        .iter()
        .map(|r| {
            let st = &r.target.state;
            TargetCard {
                goal: r.goal_zh(),
                status: row_status(r),
                warnings: r.evaluation.as_ref().map(warning_tags).unwrap_or_default(),
                explanation: r.explanation.clone(),
                binding: crate::format::binding(st.binding),
                owner: st.owner.clone().unwrap_or_default(),
                numbers: r
                    .evaluation
                    .as_ref()
                    .map(|e| numbers(r, e, year))
                    .unwrap_or_default(),
                plans: r.plans_zh(),
            }
        })
        .collect();
    let series = &first.series;
    let observations = series
        .iter()
        .rev()
        .map(|o| ObservationLine {
            year: o.year,
            value: value_with_unit(o.value, &unit),
            source: o.source.clone(),
            demo: o.demo,
            after: o.year > year,
            recorded: format!(
                "{} · {}",
                o.recorded_at.format("%Y-%m-%d %H:%M"),
                // Values the program wrote itself (the demo, the synthetic set) name the
                // command as their author; a clerk reads who, not which command.
                if o.recorded_by.starts_with("planwatch ") {
                    "系统生成"
                } else {
                    o.recorded_by.as_str()
                }
            ),
        })
        .collect();
    let chart = IndicatorChart {
        name: s.indicator.clone(),
        unit: unit.clone(),
        report_year: year,
        observed: series
            .iter()
            .filter(|o| o.year <= year)
            .map(|o| (o.year, o.value))
            .collect(),
        demo: first.demo,
        targets: rows
            .iter()
            .map(|r| {
                let st = &r.target.state;
                let e = r.evaluation.as_ref().ok();
                // A due target has no projection to draw (its path, from the baseline
                // to the target, ends at the target and stays true).
                let figures = r.shown(year);
                ChartTarget {
                    label: format!(
                        "{}年目标 {}",
                        st.year,
                        crate::format::goal(st.comparator, st.value, &st.unit)
                    ),
                    year: st.year,
                    value: st.value,
                    path: e.and_then(|e| match (e.baseline_year, e.baseline_value) {
                        (Some(t0), Some(y0)) if t0 < st.year => {
                            Some([(t0, y0), (st.year, st.value)])
                        }
                        _ => None,
                    }),
                    projection: e.and_then(|e| match (e.latest, figures?.projected) {
                        (Some(l), Some(p)) if l.year < st.year => {
                            Some([(l.year, l.value), (st.year, p)])
                        }
                        _ => None,
                    }),
                }
            })
            .collect(),
    };
    let mut compare = Vec::new();
    if !place.descendants().is_empty() {
        compare.push(Crumb {
            href: compare_href(region.id, &key, year),
            name: format!("{}各下级地区对比", region.name),
        });
    }
    for a in place.ancestors() {
        compare.push(Crumb {
            href: compare_href(a.id, &key, year),
            name: format!("{}各下级地区对比", a.name),
        });
    }
    let mut crumbs = place.crumbs();
    crumbs.push(Crumb {
        href: format!("/regions/{}/dashboard?year={year}", region.id),
        name: "监测概览".into(),
    });
    let page = IndicatorPage {
        region_name: region.name.clone(),
        indicator: s.indicator.clone(),
        catalog_href: s.code.as_ref().map(|c| format!("/indicators/{c}")),
        code: s.code.clone(),
        unit,
        domain: s.domain.clone(),
        kind: {
            let mut kinds: Vec<planwatch_core::PlanKind> =
                rows.iter().flat_map(|r| r.kinds()).collect();
            kinds.dedup();
            planwatch_core::evaluation::plans_zh(&kinds)
        },
        crumbs,
        // Only where a warning stands next to a status.
        terms: if cards.iter().any(|c| !c.warnings.is_empty()) {
            crate::format::terms_zh(year)
        } else {
            String::new()
        },
        year,
        years: year_options(&rm),
        demo: rows.iter().any(|r| r.demo),
        demo_label: DEMO_LABEL,
        cards,
        observations,
        compare,
        chart: script_json(&chart),
        echarts: ECHARTS_PATH,
        script: DASHBOARD_JS_PATH,
    };
    Ok(Html(page.render()?))
}

// ---------------------------------------------------------------------------------------
// Sub-regions compared on one indicator.

pub struct RankLine {
    pub rank: String,
    pub name: String,
    pub within: String,
    pub href: String,
    pub latest: String,
    pub goal: String,
    pub status: Tag,
    pub warnings: Vec<Tag>,
    pub demo: bool,
    /// A region the demo made up (演示地区).
    pub generated: bool,
}

#[derive(Serialize)]
struct CompareChart {
    name: String,
    unit: String,
    categories: Vec<String>,
    values: Vec<Option<f64>>,
    colors: Vec<&'static str>,
    statuses: Vec<&'static str>,
    /// The target value when every sub-region has the same one.
    target: Option<f64>,
    target_label: Option<String>,
}

#[derive(Template)]
#[template(path = "compare.html")]
struct ComparePage {
    region_name: String,
    indicator: String,
    unit: String,
    crumbs: Vec<Crumb>,
    year: i32,
    demo: bool,
    demo_label: &'static str,
    lines: Vec<RankLine>,
    chips: Vec<(Tag, usize)>,
    without: usize,
    chart: String,
    echarts: &'static str,
    script: &'static str,
}

pub async fn compare(
    State(state): State<AppState>,
    path: Result<Path<(String, String)>, PathRejection>,
    query: Result<Query<YearQuery>, QueryRejection>,
) -> Result<Html<String>, WebError> {
    let KeyPath { id: raw, key } = id_and_key(path)?;
    let asked = requested_year(query).map_err(WebError::BadRequest)?;
    let place = place(&state, &raw).await?;
    let mut crumbs = place.crumbs();
    compare_below(&state, Some(place.region), &mut crumbs, key, asked).await
}

/// `/overview/compare/{key}`: every region of the database that targets the indicator.
pub async fn compare_national(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    query: Result<Query<YearQuery>, QueryRejection>,
) -> Result<Html<String>, WebError> {
    let key = segment(path)?;
    let asked = requested_year(query).map_err(WebError::BadRequest)?;
    let mut crumbs = vec![Crumb {
        href: "/".into(),
        name: "全部地区".into(),
    }];
    compare_below(&state, None, &mut crumbs, key, asked).await
}

/// Every region below `root` (every region when `None`) that targets `key`, ranked, from
/// the judged subtree the overview of the level above keeps.
async fn compare_below(
    state: &AppState,
    root: Option<RegionRow>,
    crumbs: &mut Vec<Crumb>,
    key: String,
    asked: Option<i32>,
) -> Result<Html<String>, WebError> {
    let root_path = root.as_ref().map(|r| r.path.clone());
    let region_name = root
        .as_ref()
        .map(|r| r.name.clone())
        .unwrap_or_else(|| "全国".into());
    if let Some(region) = &root {
        let below = format!("{}/", region.path);
        if !state
            .store
            .regions()
            .await?
            .iter()
            .any(|r| r.path.starts_with(&below))
        {
            return Err(WebError::NotFound(format!(
                "{}没有下级地区，无法对比。",
                region.name
            )));
        }
    }
    let year = match asked {
        Some(y) => y,
        None => state
            .levels
            .latest_year(state.store.as_ref(), root.as_ref())
            .await?
            .unwrap_or_else(current_year),
    };
    let view = state
        .levels
        .get(state.store.as_ref(), root.as_ref(), year)
        .await?;
    let Some(cells) = view.cells.get(&key).filter(|c| !c.is_empty()) else {
        return Err(WebError::NotFound(format!(
            "{region_name}的下级地区的指标体系中都没有指标“{key}”。"
        )));
    };
    let items = cells.iter().map(|c| SubRegionItem {
        indicator: &key,
        region: &view.regions[c.region].region.path,
        target: &c.spec,
        evaluation: &c.evaluation,
    });
    let comparison = compare_sub_regions(items).into_iter().next();
    let first = &cells[0];
    let unit = first.unit.clone();
    let indicator = view
        .indicators
        .iter()
        .find(|i| i.key == key)
        .map(|i| i.name.clone())
        .unwrap_or_else(|| key.clone());
    let parent_prefix = root_path.map(|p| format!("{p}/"));
    let by_path: std::collections::HashMap<&str, &planwatch_store::levels::Cell> = cells
        .iter()
        .map(|c| (view.regions[c.region].region.path.as_str(), c))
        .collect();
    let mut lines = Vec::new();
    let mut chart = CompareChart {
        name: indicator.clone(),
        unit: unit.clone(),
        categories: Vec::new(),
        values: Vec::new(),
        colors: Vec::new(),
        statuses: Vec::new(),
        target: None,
        target_label: None,
    };
    let counts = comparison.as_ref().map(|c| c.counts).unwrap_or_default();
    for ranked in comparison.iter().flat_map(|c| &c.ranking) {
        let Some(cell) = by_path.get(ranked.region.as_str()) else {
            continue;
        };
        let r = &view.regions[cell.region].region;
        let within = match &parent_prefix {
            Some(p) => r.path.strip_prefix(p.as_str()).unwrap_or(&r.path),
            None => r.path.as_str(),
        }
        .replace('/', " / ");
        lines.push(RankLine {
            rank: ranked
                .rank
                .map(|n| n.to_string())
                .unwrap_or_else(|| "—".into()),
            name: r.name.clone(),
            within,
            href: indicator_href(r.id, &key, year),
            latest: match (ranked.latest_value, ranked.latest_year) {
                (Some(v), Some(y)) => format!("{}（{y}年）", value_with_unit(v, &cell.unit)),
                _ => "无数据".into(),
            },
            goal: cell.goal.clone(),
            status: status_tag(ranked.status),
            warnings: warning_tags(&cell.evaluation),
            demo: cell.demo,
            generated: r.generated,
        });
        chart.categories.push(r.name.clone());
        chart.values.push(ranked.latest_value);
        chart.colors.push(status_color(ranked.status));
        chart.statuses.push(ranked.status.label_zh());
    }
    if cells
        .iter()
        .all(|c| c.spec.value == first.spec.value && c.goal == first.goal)
    {
        chart.target = Some(first.spec.value);
        chart.target_label = Some(format!("目标 {}", first.goal));
    }
    let chips = DISPLAY_ORDER
        .iter()
        .filter(|s| counts.get(**s) > 0)
        .map(|s| (status_tag(*s), counts.get(*s)))
        .collect();
    crumbs.push(Crumb {
        href: match &root {
            Some(r) => format!("/regions/{}/overview?year={year}", r.id),
            None => format!("/overview?year={year}"),
        },
        name: "下级地区概览".into(),
    });
    let page = ComparePage {
        region_name,
        indicator,
        unit,
        crumbs: std::mem::take(crumbs),
        year,
        demo: cells.iter().any(|c| c.demo),
        demo_label: DEMO_LABEL,
        lines,
        chips,
        without: 0,
        chart: script_json(&chart),
        echarts: ECHARTS_PATH,
        script: DASHBOARD_JS_PATH,
    };
    Ok(Html(page.render()?))
}

/// The indicators the sub-regions of `region` hold, for the region page's links to the
/// comparisons: `(name, key, how many sub-regions)`, by name. One query for the subtree.
pub async fn sub_region_indicators(
    store: &dyn Store,
    region: &RegionRow,
) -> Result<Vec<(String, String, usize)>, WebError> {
    let targets = store
        .subtree_targets(Some(&region.path), (i64::MIN, i64::MAX))
        .await?;
    let mut found: std::collections::HashMap<String, (String, std::collections::HashSet<i64>)> =
        std::collections::HashMap::new();
    for t in targets.iter().filter(|t| t.region_id != region.id) {
        found
            .entry(t.state.indicator_key())
            .or_insert_with(|| (t.state.indicator.clone(), Default::default()))
            .1
            .insert(t.region_id);
    }
    let mut out: Vec<(String, String, usize)> = found
        .into_iter()
        .map(|(key, (name, regions))| (name, key, regions.len()))
        .collect();
    out.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_encoded_as_one_segment() {
        assert_eq!(encode_segment("A01"), "A01");
        assert_eq!(encode_segment("local:男/女"), "local:%E7%94%B7%2F%E5%A5%B3");
        assert_eq!(
            indicator_href(3, "local:a b", 2024),
            "/regions/3/indicators/local:a%20b?year=2024"
        );
    }

    #[test]
    fn embedded_json_cannot_close_its_script_tag() {
        let s = script_json(&json!({"name": "</script><b>&"}));
        assert!(!s.contains('<') && !s.contains('>') && !s.contains('&'));
        let back: serde_json::Value = serde_json::from_str(&s).unwrap_or_default();
        assert_eq!(back["name"], "</script><b>&");
    }

    #[test]
    fn years_are_checked() {
        let q = |y: &str| {
            requested_year(Ok(Query(YearQuery {
                year: Some(y.to_string()),
            })))
        };
        assert_eq!(q("2024"), Ok(Some(2024)));
        assert_eq!(q(" "), Ok(None));
        assert!(q("abc").is_err_and(|m| m.contains("“abc”")));
        assert!(q("20245").is_err());
        assert!(q("-1").is_err());
    }
}
