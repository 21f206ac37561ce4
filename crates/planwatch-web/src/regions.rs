//! The region list and a region's page.

use crate::auth::Caller;
use crate::{AppState, WebError};
use askama::Template;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::response::Html;
use axum::response::{IntoResponse, Redirect, Response};
use planwatch_core::access::{Action, Role, within};
use planwatch_store::{RegionRow, RegionTree, StoreError};

/// A link to a region as the pages show it.
pub struct RegionLink {
    pub href: String,
    pub name: String,
    pub plan_count: i64,
    /// Whether the caller may read it (the page links only those).
    pub open: bool,
    /// Made up by the demo (演示地区).
    pub generated: bool,
}

impl RegionLink {
    fn of(r: &RegionRow) -> RegionLink {
        RegionLink::shown(r, true)
    }

    fn shown(r: &RegionRow, readable: bool) -> RegionLink {
        RegionLink {
            href: format!("/regions/{}", r.id),
            name: r.name.clone(),
            plan_count: r.plan_count,
            open: readable,
            generated: r.generated,
        }
    }
}

/// A link to somewhere the caller works ("连平县卫健委：本单位指标").
pub struct WorkLink {
    pub href: String,
    pub label: String,
}

/// Where each of the caller's roles is worked from.
fn work_links(caller: &Caller) -> Vec<WorkLink> {
    let mut out = Vec::new();
    for g in caller.grants() {
        let (Some(region), Some(path)) = (g.region_id, g.region_path.as_deref()) else {
            continue;
        };
        let name = path.rsplit('/').next().unwrap_or(path);
        let mut push = |href: String, what: &str| {
            out.push(WorkLink {
                href,
                label: format!("{name}：{what}"),
            })
        };
        match g.role {
            Role::Reporter => {
                if let Some(unit) = g.unit_id {
                    push(
                        format!("/regions/{region}/units/{unit}"),
                        "本单位负责的指标",
                    );
                }
            }
            Role::Office => {
                push(format!("/regions/{region}/dashboard"), "监测概览");
                push(format!("/regions/{region}/units"), "成员单位与责任分工");
                push(format!("/regions/{region}/rounds"), "年度数据填报");
                push(format!("/regions/{region}/users"), "账号与角色");
                push(format!("/regions/{region}/audit"), "审计日志");
            }
            Role::Bureau => {
                push(format!("/regions/{region}/dashboard"), "监测概览");
                push(format!("/regions/{region}/rounds"), "年度数据填报与审核");
            }
            Role::Viewer => {
                push(format!("/regions/{region}/dashboard"), "监测概览");
            }
            Role::Admin => {}
        }
    }
    out
}

pub struct Section {
    pub head: Option<RegionLink>,
    pub items: Vec<RegionLink>,
}

pub struct Group {
    pub top: RegionLink,
    pub sections: Vec<Section>,
    pub plan_total: i64,
}

#[derive(Template)]
#[template(path = "regions.html")]
struct RegionsPage {
    national: bool,
    work: Vec<WorkLink>,
    groups: Vec<Group>,
    total: usize,
    region_count: usize,
    plan_count: i64,
}

pub async fn list(State(state): State<AppState>, caller: Caller) -> Result<Response, WebError> {
    let all = state.store.regions().await?;
    let readable = |r: &RegionRow| caller.may(Action::ReadRegion, r);
    // The regions the caller may read, with the regions above them for the grouping.
    let open: Vec<&RegionRow> = all.iter().filter(|r| readable(r)).collect();
    let regions: Vec<RegionRow> = all
        .iter()
        .filter(|r| open.iter().any(|o| within(&o.path, &r.path)))
        .cloned()
        .collect();
    let work = work_links(&caller);
    if open.is_empty() && work.len() == 1 {
        return Ok(Redirect::to(&work[0].href).into_response());
    }
    let of = |r: &RegionRow| RegionLink::shown(r, readable(r));
    let tree = RegionTree::build(&regions);
    let groups = tree
        .groups
        .iter()
        .map(|g| {
            let sections: Vec<Section> = g
                .sections
                .iter()
                .map(|s| Section {
                    head: s.head.as_ref().map(of),
                    items: s.items.iter().map(of).collect(),
                })
                .collect();
            let plans = |r: &RegionRow| if readable(r) { r.plan_count } else { 0 };
            let plan_total = plans(&g.top)
                + g.sections
                    .iter()
                    .map(|s| {
                        s.head.as_ref().map(plans).unwrap_or(0)
                            + s.items.iter().map(plans).sum::<i64>()
                    })
                    .sum::<i64>();
            Group {
                top: of(&g.top),
                sections,
                plan_total,
            }
        })
        .collect();
    let page = RegionsPage {
        national: caller.is_admin(),
        work,
        groups,
        total: open.len(),
        // What the caller may open, not the regions above shown for grouping.
        region_count: open.iter().filter(|r| r.plan_count > 0).count(),
        plan_count: open.iter().map(|r| r.plan_count).sum(),
    };
    Ok(Html(page.render()?).into_response())
}

pub struct Crumb {
    pub href: String,
    pub name: String,
}

pub struct DomainCount {
    pub name: String,
    pub targets: usize,
    pub qualitative: usize,
}

pub struct PlanCard {
    pub href: String,
    pub title: String,
    pub kind: &'static str,
    pub period: String,
    pub version: u32,
    pub version_count: usize,
    pub imported_at: String,
    pub targets: usize,
    pub qualitative: usize,
    pub baselines: usize,
    pub binding: usize,
    pub domains: Vec<DomainCount>,
}

#[derive(Template)]
#[template(path = "region.html")]
struct RegionPage {
    overview_href: Option<String>,
    units_href: String,
    /// `/regions/{id}/rounds` for those who may read the region.
    rounds_href: Option<String>,
    users_href: Option<String>,
    audit_href: Option<String>,
    name: String,
    path: String,
    level: &'static str,
    /// Made up by the demo (演示地区): marked, with a banner saying what that means.
    generated: bool,
    crumbs: Vec<Crumb>,
    plans: Vec<PlanCard>,
    children: Vec<RegionLink>,
    system: Vec<crate::system_rows::SystemRow>,
    /// The indicator system's domains: (anchor, label).
    system_domains: Vec<(String, String)>,
    /// The indicator system's filter: only targets whose indicator, domain or owner has it.
    system_q: String,
    system_total: usize,
    review: crate::system_rows::Review,
    /// `/regions/{id}/dashboard` when the region has targets to monitor.
    dashboard_href: Option<String>,
    /// The sub-regions' indicators, each linked to their comparison.
    compare: Vec<CompareLink>,
    /// 与上级目标对照, when the region has targets.
    above: Option<crate::above::Section>,
}

#[derive(serde::Deserialize, Default)]
pub struct SystemQuery {
    #[serde(default)]
    q: String,
}

pub struct CompareLink {
    pub href: String,
    pub name: String,
    pub regions: usize,
}

/// Breadcrumbs down to (not including) `region`.
pub fn crumbs(regions: &[RegionRow], region: &RegionRow) -> Vec<Crumb> {
    let mut out = vec![Crumb {
        href: "/".into(),
        name: "全部地区".into(),
    }];
    let mut path = String::new();
    for name in region.parents() {
        if !path.is_empty() {
            path.push('/');
        }
        path.push_str(&name);
        if let Some(r) = regions.iter().find(|r| r.path == path) {
            out.push(Crumb {
                href: format!("/regions/{}", r.id),
                name,
            });
        }
    }
    out
}

pub fn parse_id(raw: &str, what: &str) -> Result<i64, WebError> {
    raw.parse::<i64>()
        .ok()
        .filter(|&id| id > 0)
        .ok_or_else(|| WebError::NotFound(format!("没有编号为“{raw}”的{what}。")))
}

/// The region a route's `{id}` names, or a Chinese 404.
pub async fn region_of(state: &AppState, raw: &str) -> Result<RegionRow, WebError> {
    let id = parse_id(raw, "地区")?;
    state
        .store
        .region(id)
        .await?
        .ok_or_else(|| WebError::NotFound(format!("没有编号为“{raw}”的地区。")))
}

/// A path segment that does not even decode (invalid UTF-8 …) names nothing: 404, like any
/// other unknown address, instead of axum's plain-text 400.
pub fn segment<T>(path: Result<Path<T>, PathRejection>) -> Result<T, WebError> {
    path.map(|Path(t)| t)
        .map_err(|_| WebError::NotFound("您访问的页面不存在。".into()))
}

pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    path: Result<Path<String>, PathRejection>,
    query: Result<Query<SystemQuery>, QueryRejection>,
) -> Result<Html<String>, WebError> {
    let raw = segment(path)?;
    let id = parse_id(&raw, "地区")?;
    let system_q = crate::format::filter_term(query.ok().map(|Query(q)| q.q));
    let regions = state.store.regions().await?;
    let region = regions
        .iter()
        .find(|r| r.id == id)
        .ok_or_else(|| WebError::NotFound(format!("没有编号为“{raw}”的地区。")))?;
    let mut plans = Vec::new();
    for summary in state.store.region_plans(id).await? {
        let Some(stored) = state.store.plan_version(summary.id, None).await? else {
            return Err(WebError::Store(StoreError::Corrupt(format!(
                "规划 {} 没有任何版本",
                summary.id
            ))));
        };
        let plan = &stored.plan;
        let mut domains: Vec<DomainCount> = plan
            .domains
            .iter()
            .map(|d| DomainCount {
                name: d.clone(),
                targets: plan.targets.iter().filter(|t| &t.domain == d).count(),
                qualitative: plan.qualitative.iter().filter(|t| &t.domain == d).count(),
            })
            .collect();
        domains.retain(|d| d.targets + d.qualitative > 0 || plan.domains.len() < 12);
        plans.push(PlanCard {
            href: format!("/plans/{}/versions/{}", summary.id, stored.version),
            title: plan.title.clone(),
            kind: plan.kind.label_zh(),
            period: format!("{}—{}年", plan.period[0], plan.period[1]),
            version: stored.version,
            version_count: summary.versions.len(),
            imported_at: stored.imported_at.format("%Y-%m-%d %H:%M").to_string(),
            targets: plan.targets.len(),
            qualitative: plan.qualitative.len(),
            baselines: plan.baselines.len(),
            binding: plan
                .targets
                .iter()
                .filter(|t| t.binding == Some(true))
                .count(),
            domains,
        });
    }
    let targets = state.store.system_targets(id).await?;
    let children = regions
        .iter()
        .filter(|r| r.parent_id == Some(id))
        .map(RegionLink::of)
        .collect();
    let mut system = crate::system_rows::live(&targets);
    let system_total = system.len();
    if !system_q.is_empty() {
        let has = |r: &crate::system_rows::SystemRow| {
            r.indicator.contains(&system_q)
                || r.domain.contains(&system_q)
                || r.owner.contains(&system_q)
                || r.code.contains(&system_q)
        };
        system.retain(has);
    }
    let system_domains = crate::system_rows::anchor_domains(&mut system);
    let compare = crate::dashboard::sub_region_indicators(state.store.as_ref(), region)
        .await?
        .into_iter()
        .map(|(name, key, regions)| CompareLink {
            href: format!(
                "/regions/{id}/compare/{}",
                crate::dashboard::encode_segment(&key)
            ),
            name,
            regions,
        })
        .collect();
    let above = if system.is_empty() {
        None
    } else {
        Some(crate::above::section(&state, region).await?)
    };
    let below = format!("{}/", region.path);
    let has_below = regions.iter().any(|r| r.path.starts_with(&below));
    let page = RegionPage {
        units_href: format!("/regions/{id}/units"),
        rounds_href: caller
            .may(Action::ReadRegion, region)
            .then(|| format!("/regions/{id}/rounds")),
        users_href: caller
            .may(Action::ManageUsers, region)
            .then(|| format!("/regions/{id}/users")),
        audit_href: caller
            .may(Action::ReadAudit, region)
            .then(|| format!("/regions/{id}/audit")),
        dashboard_href: (system_total > 0).then(|| format!("/regions/{id}/dashboard")),
        overview_href: has_below.then(|| format!("/regions/{id}/overview")),
        compare,
        above,
        name: region.name.clone(),
        path: region.path.replace('/', " / "),
        level: region.level.map(|l| l.label_zh()).unwrap_or(""),
        generated: region.generated,
        crumbs: crumbs(&regions, region),
        plans,
        children,
        system,
        system_domains,
        system_q,
        system_total,
        review: crate::system_rows::review(
            &targets,
            crate::catalog::catalog().ok(),
            caller
                .may(Action::EditSystem, region)
                .then(|| format!("/regions/{id}/review")),
            caller.csrf(),
        ),
    };
    Ok(Html(page.render()?))
}
