//! The catalog page (`/indicators`: the monitoring indicators by plan kind and domain,
//! with their definitions) and an indicator's page (`/indicators/{code}`: its definition
//! and every region's targets for it side by side).

use crate::regions::{Crumb, segment};
use crate::{AppState, WebError};
use askama::Template;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::response::Html;
use planwatch_catalog::{Catalog, Indicator};
use planwatch_core::PlanKind;
use planwatch_core::access::{self, Action, RegionRef};
use std::sync::OnceLock;

/// The catalog shipped with planwatch, loaded once.
pub fn catalog() -> Result<&'static Catalog, String> {
    static CATALOG: OnceLock<Result<Catalog, String>> = OnceLock::new();
    CATALOG
        .get_or_init(|| Catalog::shipped().map_err(|e| format!("随附的指标目录无法加载：{e}")))
        .as_ref()
        .map_err(Clone::clone)
}

fn page_catalog() -> Result<&'static Catalog, WebError> {
    catalog().map_err(|e| {
        tracing::error!(error = %e, "catalog");
        WebError::Render(askama::Error::Custom(e.into()))
    })
}

pub struct IndicatorRow {
    pub href: String,
    pub code: String,
    pub name: String,
    pub unit: String,
    pub direction: &'static str,
    pub definition: String,
    pub calculation: String,
    pub retired: bool,
}

impl IndicatorRow {
    fn of(i: &Indicator) -> IndicatorRow {
        IndicatorRow {
            href: format!("/indicators/{}", i.code),
            code: i.code.clone(),
            name: i.name.clone(),
            unit: i.unit.clone(),
            direction: i.direction.label_zh(),
            definition: i.definition.clone(),
            calculation: i.calculation(),
            retired: i.retired,
        }
    }
}

pub struct DomainGroup {
    pub anchor: String,
    pub label: String,
    pub rows: Vec<IndicatorRow>,
}

#[derive(Template)]
#[template(path = "catalog.html")]
struct CatalogPage {
    crumbs: Vec<Crumb>,
    groups: Vec<DomainGroup>,
    count: usize,
    /// The filter's words: only indicators whose name, alias, code or definition has them.
    q: String,
    shown: usize,
}

#[derive(serde::Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
}

fn has(i: &Indicator, q: &str) -> bool {
    let q = q.to_lowercase();
    i.name.contains(&q)
        || i.code.to_lowercase().contains(&q)
        || i.aliases.iter().any(|a| a.contains(&q))
        || i.definition.contains(&q)
}

fn home() -> Vec<Crumb> {
    vec![Crumb {
        href: "/".into(),
        name: "全部地区".into(),
    }]
}

pub async fn list(
    query: Result<Query<ListQuery>, QueryRejection>,
) -> Result<Html<String>, WebError> {
    let q = crate::format::filter_term(query.ok().map(|Query(q)| q.q));
    let catalog = page_catalog()?;
    let mut groups: Vec<DomainGroup> = Vec::new();
    for kind in [PlanKind::Women, PlanKind::Children] {
        for i in catalog
            .indicators()
            .iter()
            .filter(|i| i.kind == kind && (q.is_empty() || has(i, &q)))
        {
            let label = i.domain_label();
            match groups.iter_mut().find(|g| g.label == label) {
                Some(g) => g.rows.push(IndicatorRow::of(i)),
                None => groups.push(DomainGroup {
                    anchor: format!("d{}", groups.len() + 1),
                    label,
                    rows: vec![IndicatorRow::of(i)],
                }),
            }
        }
    }
    let page = CatalogPage {
        crumbs: home(),
        count: catalog.len(),
        shown: groups.iter().map(|g| g.rows.len()).sum(),
        groups,
        q,
    };
    Ok(Html(page.render()?))
}

pub struct RegionTarget {
    pub region_href: String,
    pub region: String,
    /// The region is made up by the demo (演示地区).
    pub generated: bool,
    pub kind: &'static str,
    pub indicator: String,
    pub value: String,
    pub year: i32,
    pub owner: String,
    pub binding: &'static str,
    pub binding_class: &'static str,
    pub source_href: Option<String>,
    pub mapping: &'static str,
}

#[derive(Template)]
#[template(path = "indicator.html")]
struct IndicatorPage {
    crumbs: Vec<Crumb>,
    code: String,
    name: String,
    retired: bool,
    fields: Vec<(&'static str, String)>,
    targets: Vec<RegionTarget>,
    region_count: usize,
}

pub async fn show(
    State(state): State<AppState>,
    caller: crate::auth::Caller,
    path: Result<Path<String>, PathRejection>,
) -> Result<Html<String>, WebError> {
    let code = segment(path)?;
    let catalog = page_catalog()?;
    let Some(ind) = catalog.get(&code) else {
        return Err(WebError::NotFound(format!(
            "指标目录中没有编码为“{code}”的指标。"
        )));
    };
    let dis: Vec<&str> = ind
        .disaggregations
        .iter()
        .map(|d| match d.as_str() {
            "sex" => "分性别",
            "urban_rural" => "分城乡",
            "age_group" => "分年龄组",
            other => other,
        })
        .collect();
    let fields: Vec<(&'static str, String)> = vec![
        ("规划与领域", ind.domain_label()),
        ("别名", ind.aliases.join("、")),
        ("单位", ind.unit.clone()),
        ("方向", ind.direction.label_zh().to_string()),
        ("定义", ind.definition.clone()),
        ("计算方法", ind.calculation()),
        ("分组统计", dis.join("、")),
        ("报送部门", ind.departments.join("、")),
        ("数据来源", ind.source.clone()),
        ("说明", ind.note.clone().unwrap_or_default()),
    ]
    .into_iter()
    .filter(|(_, v)| !v.is_empty())
    .collect();
    // Every region's targets for the indicator, as far as the caller may read them.
    let rows: Vec<_> = state
        .store
        .targets_by_code(&code)
        .await?
        .into_iter()
        .filter(|t| {
            access::allows(
                caller.grants(),
                Action::ReadRegion,
                RegionRef {
                    id: t.region_id,
                    path: &t.region_path,
                },
            )
        })
        .collect();
    let generated: std::collections::HashSet<i64> = state
        .store
        .regions()
        .await?
        .into_iter()
        .filter(|r| r.generated)
        .map(|r| r.id)
        .collect();
    let mut regions: Vec<&str> = rows.iter().map(|t| t.region_path.as_str()).collect();
    regions.dedup();
    let region_count = regions.len();
    let targets = rows
        .iter()
        .map(|t| {
            let s = &t.state;
            let (binding, binding_class) = crate::format::binding(s.binding);
            RegionTarget {
                region_href: format!("/regions/{}", t.region_id),
                region: t.region_path.replace('/', " / "),
                generated: generated.contains(&t.region_id),
                kind: t.kind.label_zh(),
                indicator: s.indicator.clone(),
                value: crate::format::goal(s.comparator, s.value, &s.unit),
                year: s.year,
                owner: s.owner.clone().unwrap_or_default(),
                binding,
                binding_class,
                source_href: match (t.plan_id, t.plan_version, t.line) {
                    (Some(p), Some(v), Some(l)) => {
                        Some(format!("/plans/{p}/versions/{v}/source#L{l}"))
                    }
                    _ => None,
                },
                mapping: crate::format::mapping(s.mapping),
            }
        })
        .collect();
    let mut crumbs = home();
    crumbs.push(Crumb {
        href: "/indicators".into(),
        name: "监测指标目录".into(),
    });
    let page = IndicatorPage {
        crumbs,
        code: ind.code.clone(),
        name: ind.name.clone(),
        retired: ind.retired,
        fields,
        targets,
        region_count,
    };
    Ok(Html(page.render()?))
}
