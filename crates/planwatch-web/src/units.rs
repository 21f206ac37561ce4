//! A region's member units (成员单位) and which of them each target is assigned to
//! (`/regions/{id}/units`), and one unit's own indicators (`/regions/{id}/units/{unit}`):
//! the page a department's reporter works from.

use crate::auth::Caller;
use crate::format;
use crate::regions::{parse_id, region_of, segment};
use crate::{AppState, WebError};
use askama::Template;
use axum::Form;
use axum::extract::rejection::{FormRejection, PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use planwatch_core::access::Action;
use planwatch_store::people::{Assignment, MemberUnit};
use planwatch_store::system::{Change, SystemTarget};
use planwatch_store::{RegionRow, StoreError};
use serde::Deserialize;
use std::collections::HashMap;

pub struct UnitLine {
    pub href: String,
    pub name: String,
    pub lead: usize,
    pub supporting: usize,
}

pub struct TargetLine {
    pub id: i64,
    pub kind: &'static str,
    pub domain: String,
    pub indicator: String,
    pub goal: String,
    pub lead: String,
    pub supporting: String,
    pub version: i64,
}

pub struct Choice {
    pub id: i64,
    pub name: String,
    pub lead: bool,
    pub supporting: bool,
}

pub struct Editing {
    pub target: TargetLine,
    pub choices: Vec<Choice>,
    pub history: Vec<String>,
}

#[derive(Template)]
#[template(path = "units.html")]
struct UnitsPage {
    region: String,
    region_href: String,
    units_href: String,
    rounds_href: String,
    units: Vec<UnitLine>,
    targets: Vec<TargetLine>,
    unassigned: usize,
    may_manage: bool,
    csrf: String,
    editing: Option<Editing>,
    message: Option<String>,
    error: Option<String>,
}

fn names(units: &HashMap<i64, &MemberUnit>, ids: &[i64]) -> String {
    ids.iter()
        .filter_map(|i| units.get(i).map(|u| u.name.as_str()))
        .collect::<Vec<_>>()
        .join("、")
}

fn target_line(
    t: &SystemTarget,
    a: Option<&Assignment>,
    by_id: &HashMap<i64, &MemberUnit>,
) -> TargetLine {
    TargetLine {
        id: t.id,
        kind: t.kind.label_zh(),
        domain: t.state.domain.clone(),
        indicator: t.state.indicator.clone(),
        goal: format::goal(t.state.comparator, t.state.value, &t.state.unit),
        lead: a
            .and_then(|a| a.lead)
            .map(|l| names(by_id, &[l]))
            .unwrap_or_default(),
        supporting: a.map(|a| names(by_id, &a.supporting)).unwrap_or_default(),
        version: a.map_or(0, |a| a.version),
    }
}

#[derive(Deserialize)]
pub struct UnitsQuery {
    edit: Option<i64>,
}

struct Shown {
    message: Option<String>,
    error: Option<String>,
    edit: Option<i64>,
    status: StatusCode,
}

async fn units_page(
    state: &AppState,
    caller: &Caller,
    region: &RegionRow,
    shown: Shown,
) -> Result<Response, WebError> {
    let units = state.store.member_units(region.id).await?;
    let by_id: HashMap<i64, &MemberUnit> = units.iter().map(|u| (u.id, u)).collect();
    let assignments = state.store.assignments(region.id).await?;
    let by_target: HashMap<i64, &Assignment> =
        assignments.iter().map(|a| (a.target_id, a)).collect();
    let targets: Vec<SystemTarget> = state
        .store
        .system_targets(region.id)
        .await?
        .into_iter()
        .filter(|t| !t.state.retired)
        .collect();
    let mut unit_lines: Vec<UnitLine> = units
        .iter()
        .map(|u| UnitLine {
            href: format!("/regions/{}/units/{}", region.id, u.id),
            name: u.name.clone(),
            lead: assignments.iter().filter(|a| a.lead == Some(u.id)).count(),
            supporting: assignments
                .iter()
                .filter(|a| a.supporting.contains(&u.id))
                .count(),
        })
        .collect();
    // The units that carry the most targets first: what an office looks for.
    unit_lines.sort_by(|a, b| {
        (b.lead + b.supporting)
            .cmp(&(a.lead + a.supporting))
            .then_with(|| a.name.cmp(&b.name))
    });
    let lines: Vec<TargetLine> = targets
        .iter()
        .map(|t| target_line(t, by_target.get(&t.id).copied(), &by_id))
        .collect();
    let unassigned = lines.iter().filter(|l| l.lead.is_empty()).count();
    let may_manage = caller.may(Action::ManageUnits, region);
    let editing = match shown.edit.filter(|_| may_manage) {
        Some(tid) => match targets.iter().find(|t| t.id == tid) {
            Some(t) => {
                let a = by_target.get(&t.id).copied();
                let history = state
                    .store
                    .assignment_history(t.id)
                    .await?
                    .iter()
                    .rev()
                    .map(|h| {
                        let lead = h.lead.map(|l| names(&by_id, &[l])).unwrap_or("无".into());
                        let sup = names(&by_id, &h.supporting);
                        format!(
                            "第 {} 版 · {} · {}：牵头 {}{}（{}）",
                            h.version,
                            format::local_time(h.changed_at),
                            h.changed_by,
                            lead,
                            if sup.is_empty() {
                                String::new()
                            } else {
                                format!("，配合 {sup}")
                            },
                            h.why
                        )
                    })
                    .collect();
                Some(Editing {
                    target: target_line(t, a, &by_id),
                    choices: units
                        .iter()
                        .map(|u| Choice {
                            id: u.id,
                            name: u.name.clone(),
                            lead: a.and_then(|a| a.lead) == Some(u.id),
                            supporting: a.is_some_and(|a| a.supporting.contains(&u.id)),
                        })
                        .collect(),
                    history,
                })
            }
            None => None,
        },
        None => None,
    };
    let page = UnitsPage {
        region: region.name.clone(),
        region_href: format!("/regions/{}", region.id),
        units_href: format!("/regions/{}/units", region.id),
        rounds_href: format!("/regions/{}/rounds", region.id),
        units: unit_lines,
        targets: lines,
        unassigned,
        may_manage,
        csrf: caller.csrf().to_string(),
        editing,
        message: shown.message,
        error: shown.error,
    };
    Ok((shown.status, Html(page.render()?)).into_response())
}

pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    path: Result<Path<String>, PathRejection>,
    query: Result<Query<UnitsQuery>, QueryRejection>,
) -> Result<Response, WebError> {
    let region = region_of(&state, &segment(path)?).await?;
    let edit = query.ok().and_then(|Query(q)| q.edit);
    let shown = Shown {
        message: None,
        error: None,
        edit,
        status: StatusCode::OK,
    };
    units_page(&state, &caller, &region, shown).await
}

#[derive(Deserialize)]
pub struct AddUnitForm {
    #[serde(default)]
    name: String,
}

pub async fn add(
    State(state): State<AppState>,
    caller: Caller,
    path: Result<Path<String>, PathRejection>,
    form: Result<Form<AddUnitForm>, FormRejection>,
) -> Result<Response, WebError> {
    let region = region_of(&state, &segment(path)?).await?;
    let name = form
        .ok()
        .map(|Form(f)| f.name.trim().to_string())
        .unwrap_or_default();
    if name.is_empty() || name.chars().count() > 40 {
        let shown = Shown {
            message: None,
            error: Some("请填写成员单位的名称（40 字以内）。".into()),
            edit: None,
            status: StatusCode::BAD_REQUEST,
        };
        return units_page(&state, &caller, &region, shown).await;
    }
    let name = planwatch_catalog::departments::canonical(&name)
        .map(str::to_string)
        .unwrap_or(name);
    state
        .store
        .add_member_unit(region.id, &name, caller.name())
        .await?;
    let shown = Shown {
        message: Some(format!("已添加成员单位“{name}”。")),
        error: None,
        edit: None,
        status: StatusCode::OK,
    };
    units_page(&state, &caller, &region, shown).await
}

#[derive(Deserialize)]
pub struct AssignForm {
    target: i64,
    version: Option<i64>,
    lead: Option<String>,
    #[serde(default)]
    why: String,
}

pub async fn assign(
    State(state): State<AppState>,
    caller: Caller,
    path: Result<Path<String>, PathRejection>,
    body: axum::body::Bytes,
) -> Result<Response, WebError> {
    let region = region_of(&state, &segment(path)?).await?;
    // Supporting units arrive as repeated `supporting` fields, which `Form` into a struct
    // cannot take; the pairs are read as they come.
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&body)
        .map_err(|_| WebError::BadRequest("表单内容无法读取，请在页面上重新提交。".into()))?;
    let single: HashMap<&str, &str> = pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let form = AssignForm {
        target: single
            .get("target")
            .and_then(|t| t.parse().ok())
            .ok_or_else(|| WebError::BadRequest("没有指明要调整的目标。".into()))?,
        version: single.get("version").and_then(|v| v.parse().ok()),
        lead: single.get("lead").map(|s| s.to_string()),
        why: single.get("why").map(|s| s.to_string()).unwrap_or_default(),
    };
    let supporting: Vec<i64> = pairs
        .iter()
        .filter(|(k, _)| k == "supporting")
        .filter_map(|(_, v)| v.parse().ok())
        .collect();
    let lead = form.lead.as_deref().and_then(|l| l.parse::<i64>().ok());
    let supporting: Vec<i64> = supporting
        .into_iter()
        .filter(|s| Some(*s) != lead)
        .collect();
    let fail = |m: String, status| Shown {
        message: None,
        error: Some(m),
        edit: Some(form.target),
        status,
    };
    let change = match Change::new(caller.name(), &form.why) {
        Ok(c) => c,
        Err(_) => {
            let shown = fail(
                "请填写调整原因（例如“按2025年部门职责调整”）。".into(),
                StatusCode::BAD_REQUEST,
            );
            return units_page(&state, &caller, &region, shown).await;
        }
    };
    match state.store.system_target(form.target).await? {
        Some(t) if t.region_id == region.id => {}
        _ => return Err(WebError::NotFound("没有这个目标。".into())),
    }
    let expected = form.version.filter(|&v| v > 0);
    match state
        .store
        .assign(form.target, lead, &supporting, expected, &change)
        .await
    {
        Ok(_) => Ok(
            Redirect::to(&format!("/regions/{}/units#t{}", region.id, form.target)).into_response(),
        ),
        Err(e @ (StoreError::Conflict { .. } | StoreError::EditRefused(_))) => {
            let shown = fail(
                format!("未保存：{e}。页面已刷新为当前的分工，请核对后重新提交。"),
                StatusCode::CONFLICT,
            );
            units_page(&state, &caller, &region, shown).await
        }
        Err(e) => Err(e.into()),
    }
}

// ----- one unit's indicators -----

pub struct UnitTarget {
    pub indicator: String,
    pub href: String,
    pub role: &'static str,
    pub goal: String,
    pub year: i32,
    pub latest: String,
    pub explanation: String,
}

/// A reporting round of the region, as a link to this unit's form in it.
pub struct RoundLink {
    pub href: String,
    pub text: String,
}

#[derive(Template)]
#[template(path = "unit.html")]
struct UnitPage {
    region: String,
    region_href: Option<String>,
    units_href: Option<String>,
    unit: String,
    report_year: i32,
    targets: Vec<UnitTarget>,
    rounds: Vec<RoundLink>,
}

pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    path: Result<Path<(String, String)>, PathRejection>,
) -> Result<Response, WebError> {
    let (raw_region, raw_unit) = segment(path)?;
    let region = region_of(&state, &raw_region).await?;
    let unit_id = parse_id(&raw_unit, "成员单位")?;
    let units = state.store.member_units(region.id).await?;
    let Some(unit) = units.iter().find(|u| u.id == unit_id) else {
        return Err(WebError::NotFound(format!(
            "{}没有编号为“{raw_unit}”的成员单位。",
            region.name
        )));
    };
    let assignments = state.store.assignments(region.id).await?;
    let role_of = |target: i64| -> Option<&'static str> {
        let a = assignments.iter().find(|a| a.target_id == target)?;
        if a.lead == Some(unit.id) {
            Some("牵头")
        } else if a.supporting.contains(&unit.id) {
            Some("配合")
        } else {
            None
        }
    };
    let report_year = state
        .store
        .latest_year(Some(&region.path))
        .await?
        .unwrap_or_else(|| chrono::Datelike::year(&chrono::Utc::now()) - 1);
    let rm = planwatch_store::region_monitoring(state.store.as_ref(), &region, report_year).await?;
    let mut targets: Vec<UnitTarget> = rm
        .rows
        .iter()
        .filter_map(|row| {
            // A target both plans set is one row: either plan's copy may be assigned.
            let role = row.target_ids().into_iter().find_map(&role_of)?;
            let t = &row.target;
            let latest = row
                .series
                .iter()
                .rev()
                .find(|o| o.year <= report_year)
                .map(|o| {
                    format!(
                        "{}（{}年）",
                        format::with_unit(o.value, &t.state.unit),
                        o.year
                    )
                })
                .unwrap_or_else(|| "尚无数据".into());
            Some(UnitTarget {
                indicator: t.state.indicator.clone(),
                href: crate::dashboard::indicator_href(
                    region.id,
                    &t.state.indicator_key(),
                    report_year,
                ),
                role,
                goal: format::goal(t.state.comparator, t.state.value, &t.state.unit),
                year: t.state.year,
                latest,
                explanation: row.explanation.clone(),
            })
        })
        .collect();
    targets.sort_by(|a, b| a.role.cmp(b.role).then(a.indicator.cmp(&b.indicator)));
    let reads_region = caller.may(Action::ReadRegion, &region);
    // Where a department's reporter finds its forms: every round of the region, latest
    // year first.
    let today = crate::rounds::today();
    let rounds = state
        .store
        .rounds(region.id)
        .await?
        .iter()
        .map(|r| RoundLink {
            href: format!("/regions/{}/rounds/{}/units/{}", region.id, r.year, unit.id),
            text: format!(
                "{}年度监测数据填报（{}，截止日期 {}）",
                r.year,
                r.window().phase(today).label(),
                planwatch_core::round::day(r.closes_on)
            ),
        })
        .collect();
    let page = UnitPage {
        region: region.name.clone(),
        region_href: reads_region.then(|| format!("/regions/{}", region.id)),
        units_href: reads_region.then(|| format!("/regions/{}/units", region.id)),
        unit: unit.name.clone(),
        report_year,
        targets,
        rounds,
    };
    Ok(Html(page.render()?).into_response())
}
