//! A region's indicator system as its page shows it: each live target linked to its
//! indicator's page, and the region-local ones listed for review with the catalog entries
//! proposed for them.

use planwatch_catalog::Catalog;
use planwatch_catalog::mapping::Query;
use planwatch_catalog::propose::propose;
use planwatch_core::PlanKind;
use planwatch_core::evaluation::plans_zh;
use planwatch_store::system::SystemTarget;

pub struct SystemRow {
    pub id: i64,
    /// The plan that sets it, or both ("妇女发展规划、儿童发展规划") when both plans set
    /// the same target: it is monitored once.
    pub kind: String,
    pub indicator: String,
    pub code: String,
    /// `/indicators/{code}`; `None` for a region-local indicator.
    pub indicator_href: Option<String>,
    pub value: String,
    pub year: i32,
    pub owner: String,
    pub version: u32,
    pub domain: String,
    /// `id` of the first row of its domain (`d1`, `d2` …), for the page's contents.
    pub anchor: String,
}

/// Marks the first row of each domain and lists the domains with their anchors.
pub fn anchor_domains(rows: &mut [SystemRow]) -> Vec<(String, String)> {
    let mut seen: Vec<(String, String)> = Vec::new();
    let mut out: Vec<(String, String)> = Vec::new();
    for r in rows.iter_mut() {
        if r.domain.is_empty() || seen.iter().any(|(k, d)| *k == r.kind && *d == r.domain) {
            continue;
        }
        seen.push((r.kind.clone(), r.domain.clone()));
        r.anchor = format!("d{}", out.len() + 1);
        out.push((r.anchor.clone(), r.domain.clone()));
    }
    out
}

fn row(t: &SystemTarget, kinds: &[PlanKind]) -> SystemRow {
    let s = &t.state;
    SystemRow {
        id: t.id,
        kind: plans_zh(kinds),
        indicator: s.indicator.clone(),
        code: s.code.clone().unwrap_or_default(),
        indicator_href: s.code.as_ref().map(|c| format!("/indicators/{c}")),
        value: crate::format::goal(s.comparator, s.value, &s.unit),
        year: s.year,
        owner: s.owner.clone().unwrap_or_default(),
        version: t.version,
        domain: s.domain.clone(),
        anchor: String::new(),
    }
}

/// The targets in use, as they are monitored: the same target of both plans once, with
/// every plan's responsible units.
pub fn live(targets: &[SystemTarget]) -> Vec<SystemRow> {
    let live: Vec<SystemTarget> = targets
        .iter()
        .filter(|t| !t.state.retired)
        .cloned()
        .collect();
    planwatch_store::monitoring::monitored_targets(live)
        .iter()
        .map(|(first, also)| {
            let kinds: Vec<PlanKind> = std::iter::once(first.kind)
                .chain(also.iter().map(|t| t.kind))
                .collect();
            row(first, &kinds)
        })
        .collect()
}

/// The review list (待审核的地方指标) of a region's page.
pub struct Review {
    pub rows: Vec<ReviewRow>,
    /// `/regions/{id}/review`, the form's address, when the caller may map targets
    /// (`Action::EditSystem`); `None`: the list is shown without buttons.
    pub action: Option<String>,
    pub csrf: String,
}

pub struct ReviewRow {
    pub id: i64,
    pub version: u32,
    pub row: SystemRow,
    pub proposals: Vec<ProposalView>,
}

pub struct ProposalView {
    pub code: String,
    pub name: String,
    /// 高, 中, 低.
    pub certainty: &'static str,
    pub percent: u32,
    /// Why it is proposed, in plain words.
    pub basis: String,
}

/// The live region-local targets no person has decided on yet, each with the catalog
/// entries closest to it.
pub fn review(
    targets: &[SystemTarget],
    catalog: Option<&Catalog>,
    action: Option<String>,
    csrf: &str,
) -> Review {
    let rows = targets
        .iter()
        .filter(|t| t.state.awaiting_review())
        .map(|t| {
            let s = &t.state;
            let proposals = catalog
                .map(|c| {
                    propose(
                        c,
                        &Query {
                            indicator: &s.indicator,
                            unit: Some(s.unit.as_str()),
                            kind: t.kind,
                            domain: Some(s.domain.as_str()),
                        },
                    )
                })
                .unwrap_or_default()
                .into_iter()
                .map(|p| ProposalView {
                    certainty: p.certainty_zh(),
                    percent: p.percent(),
                    basis: p.basis_zh(),
                    code: p.code,
                    name: p.name,
                })
                .collect();
            ReviewRow {
                id: t.id,
                version: t.version,
                row: row(t, &[t.kind]),
                proposals,
            }
        })
        .collect();
    Review {
        rows,
        action,
        csrf: csrf.to_string(),
    }
}

/// Why a version made from the review list was made.
pub const WHY_ACCEPTED: &str = "采用建议的指标目录条目";
pub const WHY_LOCAL: &str = "确认为地方指标";

#[derive(serde::Deserialize)]
pub struct ReviewForm {
    target: Option<i64>,
    version: Option<u32>,
    /// A catalog code, or `local` to keep the target as a region-local indicator.
    code: Option<String>,
}

/// `POST /regions/{id}/review`: the office accepts a proposal (the target is mapped to
/// its code) or confirms the target as local, in one click; a new version with action
/// `map`, by the signed-in person. The gate has checked the role and the CSRF token.
pub async fn decide(
    axum::extract::State(state): axum::extract::State<crate::AppState>,
    caller: crate::auth::Caller,
    path: Result<axum::extract::Path<String>, axum::extract::rejection::PathRejection>,
    form: Result<axum::Form<ReviewForm>, axum::extract::rejection::FormRejection>,
) -> Result<axum::response::Response, crate::WebError> {
    use crate::WebError;
    use axum::response::IntoResponse;
    use planwatch_store::StoreError;
    use planwatch_store::system::{self, Change};

    let region = crate::regions::region_of(&state, &crate::regions::segment(path)?).await?;
    let axum::Form(form) =
        form.map_err(|_| WebError::BadRequest("表单内容无法读取，请在页面上重新提交。".into()))?;
    let (Some(target), Some(code)) = (form.target, form.code.as_deref().map(str::trim)) else {
        return Err(WebError::BadRequest(
            "没有指明要审核的目标或要采用的指标，请在页面上重新提交。".into(),
        ));
    };
    let current = match state.store.system_target(target).await? {
        Some(t) if t.region_id == region.id => t,
        _ => return Err(WebError::NotFound("没有这个目标。".into())),
    };
    let stale = |m: &str| {
        Ok(crate::error::page(
            axum::http::StatusCode::CONFLICT,
            "未保存（409）",
            &format!("{m}请返回地区页面刷新后再审核。"),
        ))
    };
    if form.version.is_some_and(|v| v != current.version) || !current.state.awaiting_review() {
        return stale("这项目标已被他人修改或审核过。");
    }
    let (code, why) = match code {
        "local" => (None, WHY_LOCAL),
        c => {
            let catalog = crate::catalog::catalog().map_err(WebError::Internal)?;
            match catalog.get(c) {
                Some(ind) if !ind.retired => (Some(ind.code.as_str()), WHY_ACCEPTED),
                _ => {
                    return Err(WebError::BadRequest(format!(
                        "指标目录中没有“{c}”这一指标，请在页面上重新选择。"
                    )));
                }
            }
        }
    };
    let change = Change::new(caller.name(), why)?;
    match system::map_target(state.store.as_ref(), region.id, target, code, &change).await {
        Ok(_) => Ok(axum::response::Redirect::to(&format!(
            "/regions/{}#target-{target}",
            region.id
        ))
        .into_response()),
        Err(
            e @ (StoreError::Conflict { .. }
            | StoreError::EditRefused(_)
            | StoreError::WouldOrphan { .. }),
        ) => stale(&format!("未保存：{e}。")),
        Err(e) => Err(e.into()),
    }
}
