//! `GET /search?q=`: the header's search box. Regions by name or path, indicators of the
//! catalog by name, alias or code, and targets by indicator, code or text — targets only
//! of the regions the caller may read, found by a bounded query per region the caller's
//! roles start from (never by loading every region's indicator system).

use crate::auth::Caller;
use crate::regions::Crumb;
use crate::{AppState, WebError};
use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::Html;
use planwatch_core::access::{Action, RegionRef, Role, within};
use serde::Deserialize;

/// Results shown per kind: a page to glance at, not a listing; more words narrow it.
pub const LIMIT: usize = 50;
/// Longer queries are cut: nobody types more, and LIKE patterns stay small.
const MAX_CHARS: usize = 40;

#[derive(Deserialize, Default)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
}

pub struct Hit {
    pub href: String,
    pub title: String,
    pub detail: String,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    crumbs: Vec<Crumb>,
    q: String,
    regions: Vec<Hit>,
    indicators: Vec<Hit>,
    targets: Vec<Hit>,
    /// Whether a kind had more matches than it shows.
    more_regions: bool,
    more_indicators: bool,
    more_targets: bool,
}

impl SearchPage {
    fn nothing(&self) -> bool {
        self.regions.is_empty() && self.indicators.is_empty() && self.targets.is_empty()
    }
}

/// The regions the caller's read rights start from: `None` inside means everything
/// (an administrator). Roots below another root are dropped: the query covers them.
fn roots(caller: &Caller) -> Vec<Option<String>> {
    if caller.is_admin() {
        return vec![None];
    }
    let mut out: Vec<String> = caller
        .grants()
        .iter()
        .filter(|g| matches!(g.role, Role::Office | Role::Bureau | Role::Viewer))
        .filter_map(|g| g.region_path.clone())
        .collect();
    out.sort();
    out.dedup();
    let all = out.clone();
    out.retain(|r| !all.iter().any(|o| o != r && within(r, o)));
    out.into_iter().map(Some).collect()
}

fn matches(hay: &str, words: &str) -> bool {
    hay.to_lowercase().contains(words)
}

pub async fn page(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<SearchQuery>, QueryRejection>,
) -> Result<Html<String>, WebError> {
    let q = query.map(|Query(q)| q.q).unwrap_or_default();
    let words: String = q.trim().chars().take(MAX_CHARS).collect();
    let mut page = SearchPage {
        crumbs: vec![Crumb {
            href: "/".into(),
            name: "全部地区".into(),
        }],
        q: words.clone(),
        regions: Vec::new(),
        indicators: Vec::new(),
        targets: Vec::new(),
        more_regions: false,
        more_indicators: false,
        more_targets: false,
    };
    if words.is_empty() {
        return Ok(Html(page.render()?));
    }
    let lower = words.to_lowercase();

    let regions = state.store.regions().await?;
    let mut found: Vec<_> = regions
        .iter()
        .filter(|r| matches(&r.path, &lower) && caller.may(Action::ReadRegion, r))
        .collect();
    // The region named exactly first, then the shorter (higher) paths.
    found.sort_by_key(|r| (r.name != words, r.path.matches('/').count(), r.path.clone()));
    page.more_regions = found.len() > LIMIT;
    page.regions = found
        .into_iter()
        .take(LIMIT)
        .map(|r| Hit {
            href: format!("/regions/{}", r.id),
            title: r.name.clone(),
            detail: r.path.replace('/', " / "),
        })
        .collect();

    if let Ok(catalog) = crate::catalog::catalog() {
        let found: Vec<_> = catalog
            .indicators()
            .iter()
            .filter(|i| {
                matches(&i.name, &lower)
                    || matches(&i.code, &lower)
                    || i.aliases.iter().any(|a| matches(a, &lower))
            })
            .collect();
        page.more_indicators = found.len() > LIMIT;
        page.indicators = found
            .into_iter()
            .take(LIMIT)
            .map(|i| Hit {
                href: format!("/indicators/{}", i.code),
                title: i.name.clone(),
                detail: format!("{} · {}", i.domain_label(), i.unit),
            })
            .collect();
    }

    // One more than shown, to tell whether there are more.
    let cap = u32::try_from(LIMIT + 1).unwrap_or(u32::MAX);
    let mut targets = Vec::new();
    for root in roots(&caller) {
        targets.extend(
            state
                .store
                .search_targets(root.as_deref(), &words, cap)
                .await?,
        );
        if targets.len() > LIMIT {
            break;
        }
    }
    // The gate's own rule again on every row: the query's roots are only a way to find them.
    targets.retain(|t| {
        planwatch_core::access::allows(
            caller.grants(),
            Action::ReadRegion,
            RegionRef {
                id: t.region_id,
                path: &t.region_path,
            },
        )
    });
    page.more_targets = targets.len() > LIMIT;
    page.targets = targets
        .iter()
        .take(LIMIT)
        .map(|t| {
            let s = &t.state;
            let region = t.region_path.rsplit('/').next().unwrap_or(&t.region_path);
            Hit {
                href: format!(
                    "/regions/{}/indicators/{}",
                    t.region_id,
                    crate::dashboard::encode_segment(&s.indicator_key())
                ),
                title: format!("{region}：{}", s.indicator),
                detail: format!(
                    "{} · {}年{}",
                    t.kind.label_zh(),
                    s.year,
                    crate::format::goal(s.comparator, s.value, &s.unit)
                ),
            }
        })
        .collect();
    Ok(Html(page.render()?))
}
