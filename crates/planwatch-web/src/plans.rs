//! A plan's page (domains, targets, qualitative targets, baselines) and its source text.

use crate::format;
use crate::regions::{Crumb, crumbs, parse_id, segment};
use crate::{AppState, WebError};
use askama::Template;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::response::Html;
use planwatch_core::Section;
use planwatch_store::{PlanSummary, RegionRow, StoredPlan};
use std::collections::BTreeMap;

pub struct TargetRow {
    pub indicator: String,
    pub value: String,
    pub year: i32,
    pub owner: String,
    pub binding: &'static str,
    pub binding_class: &'static str,
    pub measure: bool,
    pub line: u32,
    pub text: String,
}

pub struct QualitativeRow {
    pub indicator: String,
    pub direction: &'static str,
    pub direction_class: &'static str,
    pub owner: String,
    pub measure: bool,
    pub line: u32,
    pub text: String,
}

pub struct DomainBlock {
    pub anchor: String,
    pub name: String,
    pub targets: Vec<TargetRow>,
    pub qualitative: Vec<QualitativeRow>,
}

pub struct BaselineRow {
    pub indicator: String,
    pub value: String,
    pub year: i32,
    pub line: u32,
    pub text: String,
}

pub struct VersionLink {
    pub href: String,
    pub version: u32,
    pub date: String,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "plan.html")]
struct PlanPage {
    crumbs: Vec<Crumb>,
    region_href: String,
    region_name: String,
    title: String,
    kind: &'static str,
    period: String,
    version: u32,
    imported_at: String,
    source_href: String,
    versions: Vec<VersionLink>,
    target_count: usize,
    binding_count: usize,
    qualitative_count: usize,
    baseline_count: usize,
    domains: Vec<DomainBlock>,
    baselines: Vec<BaselineRow>,
}

struct Loaded {
    regions: Vec<RegionRow>,
    region: RegionRow,
    summary: PlanSummary,
    stored: StoredPlan,
}

async fn load(
    state: &AppState,
    raw_id: &str,
    raw_version: Option<&str>,
) -> Result<Loaded, WebError> {
    let id = parse_id(raw_id, "规划")?;
    let version = match raw_version {
        None => None,
        Some(raw) => Some(
            raw.parse::<u32>()
                .ok()
                .filter(|&v| v > 0)
                .ok_or_else(|| WebError::NotFound(format!("没有“{raw}”这个版本。")))?,
        ),
    };
    let stored = state
        .store
        .plan_version(id, version)
        .await?
        .ok_or_else(|| match version {
            Some(v) => WebError::NotFound(format!("编号为 {id} 的规划没有第 {v} 版。")),
            None => WebError::NotFound(format!("没有编号为“{raw_id}”的规划。")),
        })?;
    let regions = state.store.regions().await?;
    let region = regions
        .iter()
        .find(|r| r.id == stored.region_id)
        .cloned()
        .ok_or_else(|| WebError::NotFound(format!("没有编号为“{raw_id}”的规划。")))?;
    let summary = state
        .store
        .region_plans(region.id)
        .await?
        .into_iter()
        .find(|p| p.id == id)
        .ok_or_else(|| WebError::NotFound(format!("没有编号为“{raw_id}”的规划。")))?;
    Ok(Loaded {
        regions,
        region,
        summary,
        stored,
    })
}

fn owner(o: &Option<String>) -> String {
    o.clone().unwrap_or_else(|| "—".into())
}

fn plan_page(l: Loaded) -> Result<Html<String>, WebError> {
    let plan = &l.stored.plan;
    let base = format!("/plans/{}/versions/{}", l.stored.plan_id, l.stored.version);
    // Domains in the plan's order, then any a target names that the list lacks.
    let mut order: Vec<String> = plan.domains.clone();
    for d in plan
        .targets
        .iter()
        .map(|t| &t.domain)
        .chain(plan.qualitative.iter().map(|t| &t.domain))
    {
        if !order.contains(d) {
            order.push(d.clone());
        }
    }
    let mut blocks: BTreeMap<usize, DomainBlock> = BTreeMap::new();
    for (i, name) in order.iter().enumerate() {
        blocks.insert(
            i,
            DomainBlock {
                anchor: format!("d{}", i + 1),
                // Targets the reader found outside any domain (a 重点工程 chapter after
                // the domains, say) still get a heading people can read.
                name: if name.trim().is_empty() {
                    "其他（未归入发展领域）".to_string()
                } else {
                    name.clone()
                },
                targets: vec![],
                qualitative: vec![],
            },
        );
    }
    let index = |d: &str| order.iter().position(|o| o == d).unwrap_or(0);
    for t in &plan.targets {
        let (binding, binding_class) = format::binding(t.binding);
        if let Some(block) = blocks.get_mut(&index(&t.domain)) {
            block.targets.push(TargetRow {
                indicator: t.indicator.clone(),
                value: format::goal(t.comparator, t.value, &t.unit),
                year: t.year,
                owner: owner(&t.owner),
                binding,
                binding_class,
                measure: t.section == Section::Measure,
                line: t.line,
                text: t.text.clone(),
            });
        }
    }
    for t in &plan.qualitative {
        let (direction, direction_class) = format::direction(t.direction);
        if let Some(block) = blocks.get_mut(&index(&t.domain)) {
            block.qualitative.push(QualitativeRow {
                indicator: t.indicator.clone(),
                direction,
                direction_class,
                owner: owner(&t.owner),
                measure: t.section == Section::Measure,
                line: t.line,
                text: t.text.clone(),
            });
        }
    }
    let mut crumbs = crumbs(&l.regions, &l.region);
    crumbs.push(Crumb {
        href: format!("/regions/{}", l.region.id),
        name: l.region.name.clone(),
    });
    let page = PlanPage {
        crumbs,
        region_href: format!("/regions/{}", l.region.id),
        region_name: l.region.name.clone(),
        title: plan.title.clone(),
        kind: plan.kind.label_zh(),
        period: format!("{}—{}年", plan.period[0], plan.period[1]),
        version: l.stored.version,
        imported_at: l.stored.imported_at.format("%Y-%m-%d %H:%M").to_string(),
        source_href: format!("{base}/source"),
        versions: l
            .summary
            .versions
            .iter()
            .rev()
            .map(|v| VersionLink {
                href: format!("/plans/{}/versions/{}", l.stored.plan_id, v.version),
                version: v.version,
                date: v.imported_at.format("%Y-%m-%d %H:%M").to_string(),
                current: v.version == l.stored.version,
            })
            .collect(),
        target_count: plan.targets.len(),
        binding_count: plan
            .targets
            .iter()
            .filter(|t| t.binding == Some(true))
            .count(),
        qualitative_count: plan.qualitative.len(),
        baseline_count: plan.baselines.len(),
        domains: blocks
            .into_values()
            .filter(|b| !b.targets.is_empty() || !b.qualitative.is_empty())
            .collect(),
        baselines: plan
            .baselines
            .iter()
            .map(|b| BaselineRow {
                indicator: b.indicator.clone(),
                value: format::with_unit(b.value, &b.unit),
                year: b.year,
                line: b.line,
                text: b.text.clone(),
            })
            .collect(),
    };
    Ok(Html(page.render()?))
}

pub async fn latest(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
) -> Result<Html<String>, WebError> {
    let id = segment(path)?;
    plan_page(load(&state, &id, None).await?)
}

pub async fn show(
    State(state): State<AppState>,
    path: Result<Path<(String, String)>, PathRejection>,
) -> Result<Html<String>, WebError> {
    let (id, version) = segment(path)?;
    plan_page(load(&state, &id, Some(&version)).await?)
}

pub struct SourceLine {
    pub no: usize,
    pub text: String,
    pub class: &'static str,
    pub marks: Vec<String>,
}

#[derive(Template)]
#[template(path = "source.html")]
struct SourcePage {
    crumbs: Vec<Crumb>,
    title: String,
    plan_href: String,
    version: u32,
    line_count: usize,
    marked_count: usize,
    lines: Vec<SourceLine>,
    /// Each domain's heading (or its first target's line), for the page's own contents.
    domains: Vec<DomainAnchor>,
    /// The filter's words; the page then shows only the lines that contain them.
    q: String,
    source_href: String,
}

pub struct DomainAnchor {
    pub name: String,
    pub line: usize,
}

#[derive(serde::Deserialize, Default)]
pub struct SourceQuery {
    #[serde(default)]
    q: String,
}

/// Where each domain of `plan` starts in `lines`: the short line naming it (its heading)
/// at or before the domain's first target, else that target's line.
fn domain_anchors(plan: &planwatch_core::Plan, lines: &[SourceLine]) -> Vec<DomainAnchor> {
    let first = |d: &str| {
        plan.targets
            .iter()
            .filter(|t| t.domain == d)
            .map(|t| t.line)
            .chain(
                plan.qualitative
                    .iter()
                    .filter(|t| t.domain == d)
                    .map(|t| t.line),
            )
            .min()
    };
    let mut out: Vec<DomainAnchor> = Vec::new();
    for d in &plan.domains {
        let Some(at) = first(d) else { continue };
        let at = at as usize;
        let from = out.last().map_or(1, |a| a.line + 1);
        let heading = lines
            .iter()
            .filter(|l| l.no >= from && l.no <= at)
            .find(|l| l.text.chars().count() <= 30 && l.text.contains(d.as_str()))
            .map_or(at, |l| l.no);
        out.push(DomainAnchor {
            name: d.clone(),
            line: heading,
        });
    }
    out
}

pub async fn source(
    State(state): State<AppState>,
    path: Result<Path<(String, String)>, PathRejection>,
    query: Result<Query<SourceQuery>, QueryRejection>,
) -> Result<Html<String>, WebError> {
    let (id, version) = segment(path)?;
    let q = crate::format::filter_term(query.ok().map(|Query(q)| q.q));
    let l = load(&state, &id, Some(&version)).await?;
    let text = state
        .store
        .source_lines(l.stored.document_id)
        .await?
        .ok_or_else(|| WebError::NotFound("这一版规划的原文不存在。".into()))?;
    let plan = &l.stored.plan;
    // line → (class, marks); a target outranks a qualitative target outranks a baseline.
    let mut marks: BTreeMap<usize, (u8, Vec<String>)> = BTreeMap::new();
    let mut mark = |line: u32, rank: u8, label: String| {
        let e = marks.entry(line as usize).or_insert((rank, Vec::new()));
        e.0 = e.0.max(rank);
        e.1.push(label);
    };
    for t in &plan.targets {
        mark(
            t.line,
            3,
            format!(
                "{} {}（{}年）",
                t.indicator,
                format::goal(t.comparator, t.value, &t.unit),
                t.year
            ),
        );
    }
    for t in &plan.qualitative {
        mark(
            t.line,
            2,
            format!("{} {}", t.indicator, format::direction(t.direction).0),
        );
    }
    for b in &plan.baselines {
        mark(
            b.line,
            1,
            format!(
                "基线 {} {}（{}年）",
                b.indicator,
                format::with_unit(b.value, &b.unit),
                b.year
            ),
        );
    }
    let lines: Vec<SourceLine> = text
        .into_iter()
        .enumerate()
        .map(|(i, text)| {
            let no = i + 1;
            let text = format::without_leftovers(&text);
            let (class, marks) = match marks.get(&no) {
                Some((3, m)) => ("line hl", m.clone()),
                Some((2, m)) => ("line hl-q", m.clone()),
                Some((_, m)) => ("line hl-b", m.clone()),
                None => ("line", Vec::new()),
            };
            SourceLine {
                no,
                text,
                class,
                marks,
            }
        })
        .collect();
    let mut crumbs = crumbs(&l.regions, &l.region);
    crumbs.push(Crumb {
        href: format!("/regions/{}", l.region.id),
        name: l.region.name.clone(),
    });
    let plan_href = format!("/plans/{}/versions/{}", l.stored.plan_id, l.stored.version);
    crumbs.push(Crumb {
        href: plan_href.clone(),
        name: plan.title.clone(),
    });
    let domains = domain_anchors(plan, &lines);
    let line_count = lines.len();
    let lines = if q.is_empty() {
        lines
    } else {
        // A line matches on its text or on what was read from it ("孕产妇死亡率 …").
        lines
            .into_iter()
            .filter(|l| l.text.contains(&q) || l.marks.iter().any(|m| m.contains(&q)))
            .collect()
    };
    let page = SourcePage {
        crumbs,
        title: plan.title.clone(),
        plan_href,
        version: l.stored.version,
        line_count,
        marked_count: marks.len(),
        lines,
        domains,
        source_href: format!(
            "/plans/{}/versions/{}/source",
            l.stored.plan_id, l.stored.version
        ),
        q,
    };
    Ok(Html(page.render()?))
}
