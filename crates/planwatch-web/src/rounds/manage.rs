//! The office's and the bureau's side of a round: the rounds of a region and opening one
//! (`/regions/{id}/rounds`), a round's completeness per member unit or per sub-region with
//! closing and reopening (`…/rounds/{year}`), what is still missing (`…/gaps`, `.xlsx`),
//! reviewing a unit's submission (`…/units/{unit}/review`), the provisional evaluation
//! with submitted values (`…/provisional`) and the values' audit trail (`…/changes`,
//! `.csv`).
//!
//! Messages after a redirect travel as a short code in `?done=` (never as text from the
//! query: a link cannot make the page say anything we did not write).

use super::{RegionForms, completeness, refusal, region_forms, round_of, state_of, today, unit_of};
use crate::auth::Caller;
use crate::dashboard::{Judged, judged_with};
use crate::format;
use crate::regions::{region_of, segment};
use crate::{AppState, WebError};
use askama::Template;
use axum::body::Bytes;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::{Datelike, NaiveDate};
use planwatch_core::access::Action;
use planwatch_core::quality::Severity;
use planwatch_core::round::{
    Completeness, FormIndicator, RoundState, SubmissionState, TargetLine, day,
};
use planwatch_export::gaps::{GapRow, GapsSheet, write_gaps};
use planwatch_export::text::{csv_document, csv_field, csv_text};
use planwatch_store::RegionRow;
use planwatch_store::rounds::{
    NewRound, Review, RoundChange, RoundRow, Submission, ValueChangeFilter,
};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};

/// What every provisional figure says, wherever it is shown.
const PROVISIONAL_NOTE: &str = "含待审核数据，仅供内部参考，不是正式监测结果";

/// At most this many lines of the audit trail on a page or in a file.
const CHANGES_LIMIT: i64 = 5000;

// ---------------------------------------------------------------------------------------
// Shared bits.

/// The form fields of a POST, as they came (repeated and dynamic names such as `c:{key}`
/// included, which `Form` into a struct cannot take).
struct Fields(Vec<(String, String)>);

impl Fields {
    fn parse(body: &Bytes) -> Result<Fields, WebError> {
        serde_urlencoded::from_bytes(body)
            .map(Fields)
            .map_err(|_| WebError::BadRequest("表单内容无法读取，请在页面上重新提交。".into()))
    }

    fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }
}

#[derive(Deserialize, Default)]
pub struct DoneQuery {
    done: Option<String>,
}

/// The banner of a code in `?done=`.
fn done_message(q: Result<Query<DoneQuery>, QueryRejection>) -> Option<String> {
    let code = q.ok()?.0.done?;
    let text = match code.as_str() {
        "opened" => "已开启本轮填报，成员单位现在可以填报。",
        "closed" => "已关闭本轮填报。",
        "reopened" => "已重新开启本轮填报，截止日期后报送的数据将标为逾期。",
        "dates" => "已调整本轮填报的日期。",
        "approved" => "审核通过：该单位的数据已进入监测数据库。",
        "returned" => "已退回该单位修改，退回意见已发给填报人。",
        "reopened_unit" => "已重新开启该单位的数据，单位修改后需重新报送审核。",
        _ => return None,
    };
    Some(text.to_string())
}

/// A date as an `<input type="date">` holds it.
fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn parse_date(raw: &str, what: &str) -> Result<NaiveDate, String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(format!("请填写{what}。"));
    }
    NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(raw, "%Y/%m/%d"))
        .map_err(|_| format!("{what}“{raw}”不是日期，请按 2025-03-31 的形式填写。"))
}

/// The targets of an indicator as one line: "2025年 92%以上；2030年 95%以上".
fn targets_text(targets: &[TargetLine]) -> String {
    targets
        .iter()
        .map(|t| format!("{}年 {}", t.year, t.text))
        .collect::<Vec<_>>()
        .join("；")
}

fn value_text(v: f64, unit: &str) -> String {
    super::with_unit(v, unit)
}

/// What a part of a value is called on the pages.
fn part_label(part: &str) -> String {
    match part {
        "" => "合计".into(),
        planwatch_core::round::NUMERATOR => "分子".into(),
        planwatch_core::round::DENOMINATOR => "分母".into(),
        other => other.replace(':', "·"),
    }
}

/// A download with a Chinese file name (RFC 6266 and 5987: an ASCII fallback, and the
/// real name percent-encoded as UTF-8).
fn download(bytes: Vec<u8>, content_type: &'static str, fallback: &str, name: &str) -> Response {
    let mut encoded = String::with_capacity(name.len() * 3);
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            encoded.push(b as char);
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    let disposition = format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}");
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    // A file of one region's round is for the person who asked: kept nowhere.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The region and the round a `{id}/rounds/{year}` route names.
async fn region_round(
    state: &AppState,
    path: Result<Path<(String, String)>, PathRejection>,
) -> Result<(RegionRow, RoundRow), WebError> {
    let (raw_id, raw_year) = segment(path)?;
    let region = region_of(state, &raw_id).await?;
    let round = round_of(state, &region, &raw_year).await?;
    Ok((region, round))
}

fn round_href(region: &RegionRow, year: i32) -> String {
    format!("/regions/{}/rounds/{year}", region.id)
}

/// After a write: back to the round's page, with the banner of `done` (see [`done_message`]).
fn back_to_round(region: &RegionRow, year: i32, done: &str) -> Response {
    Redirect::to(&format!("{}?done={done}", round_href(region, year))).into_response()
}

/// A form without its version is from a page older than the version check.
const STALE_PAGE: &str = "页面已过期，请刷新后再操作。";

/// The submissions of a round by unit id.
async fn submissions_by_unit(
    state: &AppState,
    round: &RoundRow,
) -> Result<HashMap<i64, Submission>, WebError> {
    Ok(state
        .store
        .submissions(round.id)
        .await?
        .into_iter()
        .map(|s| (s.row.unit_id, s))
        .collect())
}

/// How many units of a round were expected to report, have submitted (awaiting review or
/// approved), were approved, and submitted late.
#[derive(Default, Clone, Copy)]
struct UnitCounts {
    expected: usize,
    submitted: usize,
    approved: usize,
    late: usize,
}

fn unit_counts(forms: &RegionForms, subs: &HashMap<i64, Submission>) -> UnitCounts {
    let mut c = UnitCounts::default();
    for unit in forms.forms.keys() {
        c.expected += 1;
        let s = subs.get(unit);
        match state_of(s) {
            SubmissionState::Submitted => c.submitted += 1,
            SubmissionState::Approved => {
                c.submitted += 1;
                c.approved += 1;
            }
            _ => {}
        }
        if s.is_some_and(|s| s.row.late) {
            c.late += 1;
        }
    }
    c
}

/// A submission's state as a tag: its own colours, apart from the targets' statuses (a
/// returned submission is no target "off track").
fn state_class(s: SubmissionState) -> &'static str {
    match s {
        SubmissionState::NotStarted => "sub sub-not_started",
        SubmissionState::Draft => "sub sub-draft",
        SubmissionState::Submitted => "sub sub-submitted",
        SubmissionState::Returned => "sub sub-returned",
        SubmissionState::Approved => "sub sub-approved",
    }
}

// ---------------------------------------------------------------------------------------
// The rounds of a region.

pub struct RoundLine {
    pub href: String,
    pub year: i32,
    pub opens: String,
    pub closes: String,
    pub phase: &'static str,
    pub submitted: usize,
    pub approved: usize,
    pub expected: usize,
}

#[derive(Template)]
#[template(path = "rounds.html")]
struct RoundsPage {
    region: String,
    region_href: String,
    units_href: String,
    action: String,
    rounds: Vec<RoundLine>,
    may_manage: bool,
    csrf: String,
    year: String,
    opens_on: String,
    closes_on: String,
    message: Option<String>,
    error: Option<String>,
}

/// What the open form holds: as typed, or the defaults.
struct Typed {
    year: String,
    opens_on: String,
    closes_on: String,
}

async fn rounds_page(
    state: &AppState,
    caller: &Caller,
    region: &RegionRow,
    typed: Typed,
    message: Option<String>,
    error: Option<String>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let rounds = state.store.rounds(region.id).await?;
    let mut lines = Vec::with_capacity(rounds.len());
    if !rounds.is_empty() {
        // Which units report does not depend on the year: one reading serves every round.
        let forms = region_forms(state, region, rounds[0].year).await?;
        let now = today();
        for r in &rounds {
            let subs = submissions_by_unit(state, r).await?;
            let c = unit_counts(&forms, &subs);
            lines.push(RoundLine {
                href: round_href(region, r.year),
                year: r.year,
                opens: day(r.opens_on),
                closes: day(r.closes_on),
                phase: r.window().phase(now).label(),
                submitted: c.submitted,
                approved: c.approved,
                expected: c.expected,
            });
        }
    }
    let page = RoundsPage {
        region: region.name.clone(),
        region_href: format!("/regions/{}", region.id),
        units_href: format!("/regions/{}/units", region.id),
        action: format!("/regions/{}/rounds", region.id),
        rounds: lines,
        may_manage: caller.may(Action::ManageRounds, region),
        csrf: caller.csrf().to_string(),
        year: typed.year,
        opens_on: typed.opens_on,
        closes_on: typed.closes_on,
        message,
        error,
    };
    Ok((status, Html(page.render()?)).into_response())
}

/// GET: the region's rounds, and the form to open one.
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    path: Result<Path<String>, PathRejection>,
    query: Result<Query<DoneQuery>, QueryRejection>,
) -> Result<Response, WebError> {
    let region = region_of(&state, &segment(path)?).await?;
    let now = today();
    // The data of a year are there after it ends: the round usually asks for last year's.
    let typed = Typed {
        year: (now.year() - 1).to_string(),
        opens_on: iso(now),
        closes_on: String::new(),
    };
    let message = done_message(query);
    rounds_page(
        &state,
        &caller,
        &region,
        typed,
        message,
        None,
        StatusCode::OK,
    )
    .await
}

/// POST: open a round.
pub async fn open(
    State(state): State<AppState>,
    caller: Caller,
    path: Result<Path<String>, PathRejection>,
    body: Bytes,
) -> Result<Response, WebError> {
    let region = region_of(&state, &segment(path)?).await?;
    let fields = Fields::parse(&body)?;
    let typed = Typed {
        year: fields.get("year").trim().to_string(),
        opens_on: fields.get("opens_on").trim().to_string(),
        closes_on: fields.get("closes_on").trim().to_string(),
    };
    let parsed = (|| -> Result<NewRound, String> {
        let year: i32 = typed
            .year
            .parse()
            .map_err(|_| format!("年度“{}”不是四位年份。", typed.year))?;
        Ok(NewRound {
            region_id: region.id,
            year,
            opens_on: parse_date(&typed.opens_on, "开始日期")?,
            closes_on: parse_date(&typed.closes_on, "截止日期")?,
        })
    })();
    let error = match parsed {
        Ok(new) => match state.store.open_round(&new, caller.name()).await {
            Ok(r) => return Ok(back_to_round(&region, r.year, "opened")),
            Err(e) => Some(refusal(e)?),
        },
        Err(m) => Some(m),
    };
    rounds_page(
        &state,
        &caller,
        &region,
        typed,
        None,
        error,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

// ---------------------------------------------------------------------------------------
// A round's completeness.

pub struct UnitRow {
    pub name: String,
    pub form_href: String,
    pub review_href: Option<String>,
    pub counts: Completeness,
    pub state: &'static str,
    pub state_class: &'static str,
    pub submitted_at: String,
    pub late: bool,
    pub review: String,
}

pub struct SubRow {
    pub name: String,
    pub href: Option<String>,
    pub has_round: bool,
    pub phase: &'static str,
    pub submitted: usize,
    pub expected: usize,
    pub approved: usize,
    pub late: usize,
}

pub struct Unassigned {
    pub name: String,
    pub unit: String,
    pub targets: String,
}

#[derive(Template)]
#[template(path = "round.html")]
struct RoundPage {
    region: String,
    region_href: String,
    rounds_href: String,
    units_href: String,
    href: String,
    year: i32,
    opens: String,
    closes: String,
    phase: &'static str,
    accepts: bool,
    why: String,
    changed: String,
    units: Vec<UnitRow>,
    total: Completeness,
    share: String,
    submitted_units: usize,
    unassigned: Vec<Unassigned>,
    subs: Vec<SubRow>,
    may_manage: bool,
    csrf: String,
    version: i64,
    opens_on: String,
    closes_on: String,
    can_close: bool,
    can_reopen: bool,
    message: Option<String>,
    error: Option<String>,
}

async fn round_page(
    state: &AppState,
    caller: &Caller,
    region: &RegionRow,
    round: &RoundRow,
    message: Option<String>,
    error: Option<String>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let forms = region_forms(state, region, round.year).await?;
    let subs = submissions_by_unit(state, round).await?;
    let href = round_href(region, round.year);
    let may_review = caller.may(Action::ReviewData, region);
    let mut units = Vec::new();
    let mut total = Completeness::default();
    for (unit_id, form) in &forms.forms {
        let Some(unit) = forms.unit(*unit_id) else {
            continue;
        };
        let sub = subs.get(unit_id);
        let counts = completeness(form, sub);
        total.add(counts);
        let st = state_of(sub);
        let review = match sub {
            Some(s) if st == SubmissionState::Approved => s
                .row
                .approved_at
                .map(|t| format!("{} 通过", format::local_time(t)))
                .unwrap_or_else(|| "已通过".into()),
            Some(s) if st == SubmissionState::Returned => match &s.row.reviewed_at {
                Some(t) => format!("{} 退回", format::local_time(*t)),
                None => "已退回".into(),
            },
            _ => String::new(),
        };
        units.push(UnitRow {
            name: unit.name.clone(),
            form_href: format!("{href}/units/{unit_id}"),
            // Only what there is to decide: a submission waiting, or an approved one to reopen.
            review_href: (may_review
                && matches!(st, SubmissionState::Submitted | SubmissionState::Approved))
            .then(|| format!("{href}/units/{unit_id}/review")),
            counts,
            state: st.label(),
            state_class: state_class(st),
            submitted_at: sub
                .and_then(|s| s.row.submitted_at)
                .map(format::local_time)
                .unwrap_or_default(),
            late: sub.is_some_and(|s| s.row.late),
            review,
        });
    }
    let submitted_units = unit_counts(&forms, &subs).submitted;
    let unassigned = forms
        .unassigned
        .iter()
        .map(|i| Unassigned {
            name: i.name.clone(),
            unit: i.unit.clone(),
            targets: targets_text(&i.targets),
        })
        .collect();
    let subs_rows = sub_regions(state, caller, region, round.year).await?;
    let phase = round.window().phase(today());
    let page = RoundPage {
        region: region.name.clone(),
        region_href: format!("/regions/{}", region.id),
        rounds_href: format!("/regions/{}/rounds", region.id),
        units_href: format!("/regions/{}/units", region.id),
        href,
        year: round.year,
        opens: day(round.opens_on),
        closes: day(round.closes_on),
        phase: phase.label(),
        accepts: phase.accepts(),
        why: round.why.clone().unwrap_or_default(),
        changed: format!(
            "{} {}",
            format::local_time(round.changed_at),
            round.changed_by
        ),
        units,
        share: total
            .reported_share()
            .map(|s| format!("{s}%"))
            .unwrap_or_else(|| "—".into()),
        total,
        submitted_units,
        unassigned,
        subs: subs_rows,
        may_manage: caller.may(Action::ManageRounds, region),
        csrf: caller.csrf().to_string(),
        version: round.version,
        opens_on: iso(round.opens_on),
        closes_on: iso(round.closes_on),
        can_close: round.state != RoundState::Closed,
        can_reopen: !phase.accepts(),
        message,
        error,
    };
    Ok((status, Html(page.render()?)).into_response())
}

/// Every region below `region` that has plans or a round for `year`: whether its round is
/// open, and how many of its units reported.
async fn sub_regions(
    state: &AppState,
    caller: &Caller,
    region: &RegionRow,
    year: i32,
) -> Result<Vec<SubRow>, WebError> {
    let below = format!("{}/", region.path);
    let regions: Vec<RegionRow> = state
        .store
        .regions()
        .await?
        .into_iter()
        .filter(|r| r.path.starts_with(&below))
        .collect();
    if regions.is_empty() {
        return Ok(Vec::new());
    }
    let rounds: HashMap<i64, RoundRow> = state
        .store
        .subtree_rounds(&region.path, year)
        .await?
        .into_iter()
        .map(|r| (r.region_id, r))
        .collect();
    let now = today();
    let mut out = Vec::new();
    for sub in &regions {
        let round = rounds.get(&sub.id);
        if round.is_none() && sub.plan_count == 0 {
            continue;
        }
        let readable = caller.may(Action::ReadRegion, sub);
        let mut row = SubRow {
            name: sub.path[below.len()..].replace('/', " / "),
            href: readable.then(|| match round {
                Some(_) => round_href(sub, year),
                None => format!("/regions/{}/rounds", sub.id),
            }),
            has_round: round.is_some(),
            phase: "未开启",
            submitted: 0,
            expected: 0,
            approved: 0,
            late: 0,
        };
        if let Some(r) = round {
            let forms = region_forms(state, sub, year).await?;
            let subs = submissions_by_unit(state, r).await?;
            let c = unit_counts(&forms, &subs);
            row.phase = r.window().phase(now).label();
            row.submitted = c.submitted;
            row.expected = c.expected;
            row.approved = c.approved;
            row.late = c.late;
        }
        out.push(row);
    }
    Ok(out)
}

/// GET: a round's completeness.
pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    path: Result<Path<(String, String)>, PathRejection>,
    query: Result<Query<DoneQuery>, QueryRejection>,
) -> Result<Response, WebError> {
    let (region, round) = region_round(&state, path).await?;
    let message = done_message(query);
    round_page(
        &state,
        &caller,
        &region,
        &round,
        message,
        None,
        StatusCode::OK,
    )
    .await
}

/// POST: close, reopen or move a round.
pub async fn change(
    State(state): State<AppState>,
    caller: Caller,
    path: Result<Path<(String, String)>, PathRejection>,
    body: Bytes,
) -> Result<Response, WebError> {
    let (region, round) = region_round(&state, path).await?;
    let fields = Fields::parse(&body)?;
    let version: Option<i64> = fields.get("version").trim().parse().ok();
    let dates = || -> Result<(NaiveDate, NaiveDate), String> {
        let opens = match fields.get("opens_on").trim() {
            "" => round.opens_on,
            raw => parse_date(raw, "开始日期")?,
        };
        let closes = match fields.get("closes_on").trim() {
            "" => round.closes_on,
            raw => parse_date(raw, "截止日期")?,
        };
        Ok((opens, closes))
    };
    let asked = match fields.get("action") {
        "close" => Ok((
            RoundState::Closed,
            "closed",
            (round.opens_on, round.closes_on),
        )),
        "reopen" => dates().map(|d| (RoundState::Reopened, "reopened", d)),
        "dates" => dates().map(|d| (round.state, "dates", d)),
        _ => Err("请选择要进行的操作：关闭、重新开启或调整日期。".to_string()),
    };
    let why = fields.get("why").trim().to_string();
    let error = match (asked, version) {
        (Err(m), _) => m,
        (Ok(_), None) => STALE_PAGE.into(),
        (Ok(_), Some(_)) if why.is_empty() => {
            "请写明原因（例如“部分单位因统计年报延迟申请补报”）。".into()
        }
        (Ok((new_state, done, (opens_on, closes_on))), Some(version)) => {
            let change = RoundChange {
                state: new_state,
                opens_on,
                closes_on,
                why,
            };
            match state
                .store
                .change_round(round.id, version, &change, caller.name())
                .await
            {
                Ok(r) => {
                    return Ok(back_to_round(&region, r.year, done));
                }
                Err(e) => refusal(e)?,
            }
        }
    };
    round_page(
        &state,
        &caller,
        &region,
        &round,
        None,
        Some(error),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

// ---------------------------------------------------------------------------------------
// What is missing.

pub struct GapLine {
    pub unit_name: String,
    pub form_href: Option<String>,
    pub indicator: String,
    pub unit: String,
    pub targets: String,
    pub state: &'static str,
    pub explanation: String,
    pub code: String,
}

/// Every expected indicator without a value, unit by unit, then the unassigned ones.
async fn gap_lines(
    state: &AppState,
    region: &RegionRow,
    round: &RoundRow,
) -> Result<(Vec<GapLine>, Vec<GapLine>), WebError> {
    let forms = region_forms(state, region, round.year).await?;
    let subs = submissions_by_unit(state, round).await?;
    let href = round_href(region, round.year);
    let mut lines = Vec::new();
    for (unit_id, form) in &forms.forms {
        let name = forms
            .unit(*unit_id)
            .map(|u| u.name.clone())
            .unwrap_or_default();
        let sub = subs.get(unit_id);
        let entries = sub.map(Submission::entries).unwrap_or_default();
        for ind in form {
            let entry = entries.get(&ind.key);
            if entry.is_some_and(|e| e.value.is_some()) {
                continue;
            }
            lines.push(gap_line(
                ind,
                name.clone(),
                Some(format!("{href}/units/{unit_id}")),
                state_of(sub).label(),
                entry
                    .and_then(|e| e.explanation())
                    .unwrap_or_default()
                    .to_string(),
            ));
        }
    }
    let unassigned = forms
        .unassigned
        .iter()
        .map(|i| gap_line(i, "（未确定牵头单位）".into(), None, "", String::new()))
        .collect();
    Ok((lines, unassigned))
}

fn gap_line(
    ind: &FormIndicator,
    unit_name: String,
    form_href: Option<String>,
    state: &'static str,
    explanation: String,
) -> GapLine {
    GapLine {
        unit_name,
        form_href,
        indicator: ind.name.clone(),
        unit: ind.unit.clone(),
        targets: targets_text(&ind.targets),
        state,
        explanation,
        code: ind.code.clone().unwrap_or_default(),
    }
}

#[derive(Template)]
#[template(path = "round_gaps.html")]
struct GapsPage {
    region: String,
    region_href: String,
    round_href: String,
    units_href: String,
    year: i32,
    lines: Vec<GapLine>,
    unassigned: Vec<GapLine>,
    xlsx_href: String,
}

/// GET: what is still missing.
pub async fn gaps(
    State(state): State<AppState>,
    path: Result<Path<(String, String)>, PathRejection>,
) -> Result<Response, WebError> {
    let (region, round) = region_round(&state, path).await?;
    let (lines, unassigned) = gap_lines(&state, &region, &round).await?;
    let href = round_href(&region, round.year);
    let page = GapsPage {
        region: region.name.clone(),
        region_href: format!("/regions/{}", region.id),
        units_href: format!("/regions/{}/units", region.id),
        year: round.year,
        lines,
        unassigned,
        xlsx_href: format!("{href}/gaps.xlsx"),
        round_href: href,
    };
    Ok(Html(page.render()?).into_response())
}

/// GET: what is still missing, as .xlsx.
pub async fn gaps_xlsx(
    State(state): State<AppState>,
    path: Result<Path<(String, String)>, PathRejection>,
) -> Result<Response, WebError> {
    let (region, round) = region_round(&state, path).await?;
    let (lines, unassigned) = gap_lines(&state, &region, &round).await?;
    let rows = lines
        .into_iter()
        .chain(unassigned)
        .map(|l| GapRow {
            department: l.unit_name,
            indicator: l.indicator,
            unit: l.unit,
            targets: l.targets,
            state: l.state.to_string(),
            explanation: l.explanation,
            code: l.code,
        })
        .collect();
    let sheet = GapsSheet {
        title: format!("{}{}年度监测数据缺项清单", region.name, round.year),
        year: round.year,
        rows,
    };
    let bytes = write_gaps(&sheet).map_err(|e| WebError::Internal(e.to_string()))?;
    Ok(download(
        bytes,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        &format!("gaps-{}.xlsx", round.year),
        &format!("{}{}年度缺项清单.xlsx", region.name, round.year),
    ))
}

// ---------------------------------------------------------------------------------------
// The provisional evaluation.

#[derive(Template)]
#[template(path = "round_provisional.html")]
struct ProvisionalPage {
    region: String,
    region_href: String,
    round_href: String,
    dashboard_href: String,
    year: i32,
    note: &'static str,
    pending_units: usize,
    pending_values: usize,
    judged: Judged,
    demo_label: &'static str,
}

/// GET: the provisional evaluation with submitted values.
pub async fn provisional(
    State(state): State<AppState>,
    path: Result<Path<(String, String)>, PathRejection>,
) -> Result<Response, WebError> {
    let (region, round) = region_round(&state, path).await?;
    let submissions = state.store.submissions(round.id).await?;
    let pending: Vec<&Submission> = submissions
        .iter()
        .filter(|s| s.row.state == SubmissionState::Submitted)
        .collect();
    let pending_values = pending
        .iter()
        .map(|s| s.entries().values().filter(|e| e.value.is_some()).count())
        .sum();
    let approved = state.store.observations(region.id).await?;
    let observations = super::provisional(approved, region.id, round.year, &submissions);
    let judged = judged_with(state.store.as_ref(), &region, round.year, &observations).await?;
    let page = ProvisionalPage {
        region: region.name.clone(),
        region_href: format!("/regions/{}", region.id),
        round_href: round_href(&region, round.year),
        dashboard_href: format!("/regions/{}/dashboard?year={}", region.id, round.year),
        year: round.year,
        note: PROVISIONAL_NOTE,
        pending_units: pending.len(),
        pending_values,
        judged,
        demo_label: planwatch_store::monitoring::DEMO_LABEL,
    };
    let mut response = Html(page.render()?).into_response();
    // Judged on values nobody approved yet: no browser or proxy may keep it.
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

// ---------------------------------------------------------------------------------------
// The values' audit trail.

#[derive(Deserialize, Default)]
pub struct ChangesQuery {
    unit: Option<String>,
    key: Option<String>,
}

pub struct ChangeLine {
    pub time: String,
    pub who: String,
    pub unit: String,
    pub indicator: String,
    pub part: String,
    pub old: String,
    pub new: String,
    pub explanation: String,
    pub why: String,
    pub channel: &'static str,
}

pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

struct Trail {
    lines: Vec<ChangeLine>,
    units: Vec<Choice>,
    keys: Vec<Choice>,
    unit: Option<i64>,
    key: Option<String>,
}

async fn trail(
    state: &AppState,
    region: &RegionRow,
    round: &RoundRow,
    q: ChangesQuery,
) -> Result<Trail, WebError> {
    let forms = region_forms(state, region, round.year).await?;
    let unit: Option<i64> = q
        .unit
        .as_deref()
        .and_then(|u| u.trim().parse().ok())
        .filter(|u| forms.unit(*u).is_some());
    let key = q
        .key
        .map(|k| k.trim().to_string())
        .filter(|k| !k.is_empty());
    let indicators: HashMap<&str, &FormIndicator> = forms
        .forms
        .values()
        .flatten()
        .chain(forms.unassigned.iter())
        .map(|i| (i.key.as_str(), i))
        .collect();
    let unit_names: HashMap<i64, &str> = forms
        .units
        .iter()
        .map(|u| (u.id, u.name.as_str()))
        .collect();
    let name_of = |key: &str| -> (String, String) {
        indicators.get(key).map_or_else(
            || (key.to_string(), String::new()),
            |i| (i.name.clone(), i.unit.clone()),
        )
    };
    let shown =
        |v: Option<f64>, unit: &str| v.map(|v| value_text(v, unit)).unwrap_or_else(|| "—".into());
    let filter = ValueChangeFilter {
        unit_id: unit,
        key: key.clone(),
        year: Some(round.year),
        limit: Some(CHANGES_LIMIT),
    };
    let mut dated: Vec<(chrono::DateTime<chrono::Utc>, ChangeLine)> = Vec::new();
    for c in state.store.value_changes(region.id, &filter).await? {
        let (name, u) = name_of(&c.key);
        let unit_part = if c.part.is_empty() { u.as_str() } else { "" };
        let explanation = match (&c.old_explanation, &c.new_explanation) {
            (old, new) if old == new => String::new(),
            (_, Some(new)) => new.clone(),
            (Some(_), None) => "（说明已删除）".into(),
            (None, None) => String::new(),
        };
        dated.push((
            c.changed_at,
            ChangeLine {
                time: format::local_time(c.changed_at),
                who: c.changed_by.clone(),
                unit: unit_names
                    .get(&c.unit_id)
                    .copied()
                    .unwrap_or("")
                    .to_string(),
                indicator: name,
                part: part_label(&c.part),
                old: shown(c.old_value, unit_part),
                new: shown(c.new_value, unit_part),
                explanation,
                why: c.why.clone(),
                channel: c.channel.label(),
            },
        ));
    }
    // The monitoring data's own log of the year: what approval (and imports) wrote.
    for h in state
        .store
        .observation_history(region.id, key.as_deref())
        .await?
        .into_iter()
        .filter(|h| h.year == round.year)
    {
        let reporter = forms.reporter_of(&h.indicator_key);
        if unit.is_some() && reporter != unit {
            continue;
        }
        let (name, u) = name_of(&h.indicator_key);
        dated.push((
            h.changed_at,
            ChangeLine {
                time: format::local_time(h.changed_at),
                who: h.changed_by.clone(),
                unit: reporter
                    .and_then(|r| unit_names.get(&r).copied())
                    .unwrap_or("")
                    .to_string(),
                indicator: name,
                part: "监测数据".into(),
                old: shown(h.old_value, &u),
                new: shown(h.new_value, &u),
                explanation: h.new_source.clone().unwrap_or_default(),
                why: h.why.clone(),
                channel: h.channel.label(),
            },
        ));
    }
    dated.sort_by_key(|d| std::cmp::Reverse(d.0));
    dated.truncate(CHANGES_LIMIT as usize);
    let mut keys: Vec<Choice> = indicators
        .values()
        .map(|i| Choice {
            value: i.key.clone(),
            label: i.name.clone(),
            selected: key.as_deref() == Some(i.key.as_str()),
        })
        .collect();
    keys.sort_by(|a, b| a.label.cmp(&b.label));
    let units = forms
        .units
        .iter()
        .filter(|u| !forms.form(u.id).is_empty())
        .map(|u| Choice {
            value: u.id.to_string(),
            label: u.name.clone(),
            selected: unit == Some(u.id),
        })
        .collect();
    Ok(Trail {
        lines: dated.into_iter().map(|(_, l)| l).collect(),
        units,
        keys,
        unit,
        key,
    })
}

#[derive(Template)]
#[template(path = "round_changes.html")]
struct ChangesPage {
    region: String,
    region_href: String,
    round_href: String,
    year: i32,
    lines: Vec<ChangeLine>,
    units: Vec<Choice>,
    keys: Vec<Choice>,
    csv_href: String,
    limit: i64,
}

fn changes_query(q: Result<Query<ChangesQuery>, QueryRejection>) -> Result<ChangesQuery, WebError> {
    q.map(|Query(q)| q)
        .map_err(|_| WebError::BadRequest("查询参数无法解析，请在页面上重新选择。".into()))
}

/// GET: the values' audit trail.
pub async fn changes(
    State(state): State<AppState>,
    path: Result<Path<(String, String)>, PathRejection>,
    query: Result<Query<ChangesQuery>, QueryRejection>,
) -> Result<Response, WebError> {
    let (region, round) = region_round(&state, path).await?;
    let t = trail(&state, &region, &round, changes_query(query)?).await?;
    let href = round_href(&region, round.year);
    let mut params: Vec<(&str, String)> = Vec::new();
    if let Some(u) = t.unit {
        params.push(("unit", u.to_string()));
    }
    if let Some(k) = &t.key {
        params.push(("key", k.clone()));
    }
    let qs = serde_urlencoded::to_string(&params).unwrap_or_default();
    let page = ChangesPage {
        region: region.name.clone(),
        region_href: format!("/regions/{}", region.id),
        csv_href: if qs.is_empty() {
            format!("{href}/changes.csv")
        } else {
            format!("{href}/changes.csv?{qs}")
        },
        round_href: href,
        year: round.year,
        lines: t.lines,
        units: t.units,
        keys: t.keys,
        limit: CHANGES_LIMIT,
    };
    Ok(Html(page.render()?).into_response())
}

/// The header of the trail's CSV.
const CHANGES_HEADER: [&str; 10] = [
    "时间",
    "操作人",
    "单位",
    "指标",
    "分项",
    "原值",
    "新值",
    "说明",
    "原因",
    "渠道",
];

/// GET: the values' audit trail as CSV.
pub async fn changes_csv(
    State(state): State<AppState>,
    path: Result<Path<(String, String)>, PathRejection>,
    query: Result<Query<ChangesQuery>, QueryRejection>,
) -> Result<Response, WebError> {
    let (region, round) = region_round(&state, path).await?;
    let t = trail(&state, &region, &round, changes_query(query)?).await?;
    let mut rows: Vec<Vec<String>> = vec![CHANGES_HEADER.iter().map(|h| csv_field(h)).collect()];
    for l in &t.lines {
        rows.push(
            [
                l.time.as_str(),
                l.who.as_str(),
                l.unit.as_str(),
                l.indicator.as_str(),
                l.part.as_str(),
                l.old.as_str(),
                l.new.as_str(),
                l.explanation.as_str(),
                l.why.as_str(),
                l.channel,
            ]
            .iter()
            .map(|f| csv_text(f))
            .collect(),
        );
    }
    Ok(download(
        csv_document(&rows),
        "text/csv; charset=utf-8",
        &format!("changes-{}.csv", round.year),
        &format!("{}{}年度数据修改记录.csv", region.name, round.year),
    ))
}

// ---------------------------------------------------------------------------------------
// Review.

pub struct Note {
    pub class: &'static str,
    pub text: String,
}

pub struct ReviewLine {
    pub key: String,
    pub name: String,
    pub code: String,
    pub value: String,
    pub parts: Vec<String>,
    pub last_year: String,
    pub change: String,
    pub targets: String,
    pub notes: Vec<Note>,
    pub explanation: String,
    pub comment: String,
    pub changed: bool,
}

#[derive(Template)]
#[template(path = "round_review.html")]
struct ReviewPage {
    region: String,
    region_href: String,
    round_href: String,
    form_href: String,
    action: String,
    year: i32,
    unit: String,
    state: &'static str,
    state_class: &'static str,
    started: bool,
    submitted: String,
    late: bool,
    reviewed: String,
    review_comment: String,
    reopen_reason: String,
    lines: Vec<ReviewLine>,
    reported: usize,
    blocking: usize,
    changed_count: usize,
    can_decide: bool,
    can_reopen: bool,
    version: i64,
    csrf: String,
    comment: String,
    reason: String,
    error: Option<String>,
}

/// What was typed into the review form, kept when it is refused.
#[derive(Default)]
struct ReviewTyped {
    comment: String,
    per_value: BTreeMap<String, String>,
    reason: String,
}

#[allow(clippy::too_many_arguments)]
async fn review_view(
    state: &AppState,
    caller: &Caller,
    region: &RegionRow,
    round: &RoundRow,
    raw_unit: &str,
    typed: Option<ReviewTyped>,
    error: Option<String>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let unit = unit_of(state, region, raw_unit).await?;
    let forms = region_forms(state, region, round.year).await?;
    let form = forms.form(unit.id);
    let sub = state.store.submission(round.id, unit.id).await?;
    let st = state_of(sub.as_ref());
    let entries = sub.as_ref().map(Submission::entries).unwrap_or_default();
    let comments = sub.as_ref().map(Submission::comments).unwrap_or_default();
    let changed: Vec<String> = sub
        .as_ref()
        .map(Submission::changed_since_approval)
        .unwrap_or_default();
    let (findings, blocking) = super::check(form, round.year, &entries, true);
    let typed_now = typed.is_some();
    let typed = typed.unwrap_or_default();
    let lines: Vec<ReviewLine> = form
        .iter()
        .map(|ind| {
            let entry = entries.get(&ind.key);
            let value = entry.and_then(|e| e.value);
            let parts = entry
                .map(|e| {
                    e.parts
                        .iter()
                        .map(|(p, v)| {
                            let unit = if p == planwatch_core::round::NUMERATOR
                                || p == planwatch_core::round::DENOMINATOR
                            {
                                ""
                            } else {
                                ind.unit.as_str()
                            };
                            format!("{} {}", part_label(p), value_text(*v, unit))
                        })
                        .collect()
                })
                .unwrap_or_default();
            let change = match (value, ind.last_year) {
                (Some(v), Some(l)) => {
                    let diff = v - l;
                    let sign = if diff > 0.0 { "+" } else { "" };
                    let pct = if l != 0.0 {
                        format!("（{sign}{:.1}%）", diff / l.abs() * 100.0)
                    } else {
                        String::new()
                    };
                    format!("{sign}{}{pct}", format::number((diff * 1e6).round() / 1e6))
                }
                _ => String::new(),
            };
            let notes = findings
                .get(&ind.key)
                .map(|fs| {
                    fs.iter()
                        .map(|f| Note {
                            class: match f.severity {
                                Severity::Hard => "form-error",
                                Severity::Soft => "warn warn-w",
                            },
                            text: f.message.clone(),
                        })
                        .collect()
                })
                .unwrap_or_default();
            let comment = if typed_now {
                typed.per_value.get(&ind.key).cloned().unwrap_or_default()
            } else {
                comments.get(&ind.key).cloned().unwrap_or_default()
            };
            ReviewLine {
                key: ind.key.clone(),
                name: ind.name.clone(),
                code: ind.code.clone().unwrap_or_default(),
                value: value
                    .map(|v| value_text(v, &ind.unit))
                    .unwrap_or_else(|| "未填".into()),
                parts,
                last_year: ind
                    .last_year
                    .map(|v| value_text(v, &ind.unit))
                    .unwrap_or_else(|| "—".into()),
                change,
                targets: targets_text(&ind.targets),
                notes,
                explanation: entry
                    .and_then(|e| e.explanation())
                    .unwrap_or_default()
                    .to_string(),
                comment,
                changed: changed.contains(&ind.key),
            }
        })
        .collect();
    let href = round_href(region, round.year);
    let row = sub.as_ref().map(|s| &s.row);
    let reviewed = match row {
        Some(r) => match (&r.reviewed_at, &r.reviewed_by) {
            (Some(t), Some(by)) => format!("{} · {by}", format::local_time(*t)),
            _ => String::new(),
        },
        None => String::new(),
    };
    let page = ReviewPage {
        region: region.name.clone(),
        region_href: format!("/regions/{}", region.id),
        form_href: format!("{href}/units/{}", unit.id),
        action: format!("{href}/units/{}/review", unit.id),
        round_href: href,
        year: round.year,
        unit: unit.name.clone(),
        state: st.label(),
        state_class: state_class(st),
        started: sub.is_some(),
        submitted: row
            .and_then(|r| {
                r.submitted_at.map(|t| {
                    format!(
                        "{} · {}",
                        format::local_time(t),
                        r.submitted_by.clone().unwrap_or_default()
                    )
                })
            })
            .unwrap_or_default(),
        late: row.is_some_and(|r| r.late),
        reviewed,
        review_comment: row
            .and_then(|r| r.review_comment.clone())
            .unwrap_or_default(),
        reopen_reason: row
            .and_then(|r| r.reopen_reason.clone())
            .unwrap_or_default(),
        reported: lines.iter().filter(|l| l.value != "未填").count(),
        lines,
        blocking,
        changed_count: changed.len(),
        can_decide: st == SubmissionState::Submitted,
        can_reopen: st == SubmissionState::Approved,
        version: row.map_or(0, |r| r.version),
        csrf: caller.csrf().to_string(),
        comment: typed.comment,
        reason: typed.reason,
        error,
    };
    Ok((status, Html(page.render()?)).into_response())
}

/// GET: a unit's submission for review.
pub async fn review_page(
    State(state): State<AppState>,
    caller: Caller,
    path: Result<Path<(String, String, String)>, PathRejection>,
) -> Result<Response, WebError> {
    let (raw_id, raw_year, raw_unit) = segment(path)?;
    let region = region_of(&state, &raw_id).await?;
    let round = round_of(&state, &region, &raw_year).await?;
    review_view(
        &state,
        &caller,
        &region,
        &round,
        &raw_unit,
        None,
        None,
        StatusCode::OK,
    )
    .await
}

/// POST: approve, return or reopen.
pub async fn review(
    State(state): State<AppState>,
    caller: Caller,
    path: Result<Path<(String, String, String)>, PathRejection>,
    body: Bytes,
) -> Result<Response, WebError> {
    let (raw_id, raw_year, raw_unit) = segment(path)?;
    let region = region_of(&state, &raw_id).await?;
    let round = round_of(&state, &region, &raw_year).await?;
    let unit = unit_of(&state, &region, &raw_unit).await?;
    let fields = Fields::parse(&body)?;
    let typed = ReviewTyped {
        comment: fields.get("comment").trim().to_string(),
        per_value: fields
            .0
            .iter()
            .filter_map(|(k, v)| {
                let key = k.strip_prefix("c:")?;
                let v = v.trim();
                (!v.is_empty()).then(|| (key.to_string(), v.to_string()))
            })
            .collect(),
        reason: fields.get("reason").trim().to_string(),
    };
    let version: Option<i64> = fields.get("version").trim().parse().ok();
    let decided = match fields.get("action") {
        "approve" => Ok((
            Review::Approve {
                source: format!("{}{}年度报送", unit.name, round.year),
            },
            "approved",
        )),
        "return" => Ok((
            Review::Return {
                comment: Some(typed.comment.clone()).filter(|c| !c.is_empty()),
                per_value: typed.per_value.clone(),
            },
            "returned",
        )),
        "reopen" => Ok((
            Review::Reopen {
                reason: typed.reason.clone(),
            },
            "reopened_unit",
        )),
        _ => Err("请选择审核通过、退回修改或重新开启。".to_string()),
    };
    let error = match (decided, version) {
        (Err(m), _) => m,
        (Ok(_), None) => STALE_PAGE.into(),
        (Ok((decision, done)), Some(version)) => {
            match state
                .store
                .review_submission(round.id, unit.id, version, &decision, caller.name())
                .await
            {
                Ok(_) => {
                    return Ok(back_to_round(&region, round.year, done));
                }
                Err(e) => refusal(e)?,
            }
        }
    };
    review_view(
        &state,
        &caller,
        &region,
        &round,
        &raw_unit,
        Some(typed),
        Some(error),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}
