//! The synthetic national data set for the monitoring database (`planwatch synth --db`):
//! real county-level regions of the gazetteer (GB/T 2260) spread over the provinces, with
//! their cities and provinces, each with the indicator system of a shipped plan and values
//! over a span of years, made by the demo's generator (`planwatch_core::demo`, with gaps)
//! so that every status of the evaluation occurs. One [`BulkSet`] for
//! [`crate::Store::bulk_load`]. No SQL.
//!
//! Deterministic: the same templates, number of regions, seed and years give the same
//! set, row for row.
//!
//! The regions get no plan document: a plan is what a region's government issued, and a
//! synthetic county did not issue 曾都区's. Their targets are the template plan's, seeded
//! as `plan import` seeds them (catalog codes, baselines), recorded as taken from it, and
//! not linked to any plan (`plan_id` NULL, as for targets people add). This also keeps the
//! load to the tables the pages read for monitoring.

use crate::StoreError;
use crate::bulk::{BulkRegion, BulkSet, BulkTarget, BulkValue, Progress, RegionData};
use crate::demo::{Baselines, DEMO_BY, latest_baselines, region_values};
use crate::monitoring::{DEMO_LABEL, GENERATED_LABEL};
use crate::system::{ChangeAction, Seeder, TargetState, plan_seeds};
use planwatch_core::demo::{DemoOptions, seed_from};
use planwatch_core::gazetteer::{Division, gazetteer};
use planwatch_core::{Level, PlanDocument, PlanKind};
use rand::{Rng as _, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::{BTreeMap, HashMap};

/// The source of every synthetic value.
pub const SYNTH_LABEL: &str = "合成数据";
/// Who synthetic targets and values are recorded as.
pub const SYNTH_BY: &str = "planwatch synth";

/// An indicator system to give regions: the targets a plan document seeds.
#[derive(Debug, Clone)]
pub struct Template {
    /// The document's region ("湖北省/随州市/曾都区").
    pub source: String,
    /// The level of the regions it suits (a county's plan for counties).
    pub level: Level,
    pub targets: Vec<BulkTarget>,
    pub baselines: Baselines,
    /// What the reasons of its targets start with (合成数据, 演示地区).
    pub label: String,
}

impl Template {
    /// The targets `plan import` would seed from `doc` (mapped by `seeder`), each with the
    /// plan it is taken from in its reason.
    pub fn new(doc: &PlanDocument, seeder: &Seeder<'_>) -> Template {
        Template::labelled(doc, seeder, SYNTH_LABEL)
    }

    /// As [`Template::new`], the reasons starting with `label` (合成数据, 演示地区).
    pub fn labelled(doc: &PlanDocument, seeder: &Seeder<'_>, label: &str) -> Template {
        let mut targets = Vec::new();
        for plan in &doc.plans {
            let why = format!("{label}：指标体系取自《{}》", plan.title);
            // No plan row stands behind these targets: the id and version are not stored.
            for seed in plan_seeds(0, 1, plan, seeder) {
                targets.push(BulkTarget {
                    kind: seed.kind,
                    // Apart from the origins a later import of a real plan seeds.
                    origin: format!("synth|{}", seed.origin),
                    action: ChangeAction::Import,
                    why: why.clone(),
                    state: seed.state,
                });
            }
        }
        Template {
            source: doc.region_path(),
            level: doc.level,
            targets,
            baselines: latest_baselines(&doc.plans),
            label: label.to_string(),
        }
    }
}

/// What to make.
#[derive(Debug, Clone, Copy)]
pub struct SynthOptions {
    /// Regions with data: county-level ones first, then prefecture-level ones.
    pub regions: usize,
    pub seed: u64,
    pub years: DemoOptions,
}

/// How many regions a set can have: every county-level and prefecture-level division.
pub fn max_regions() -> usize {
    gazetteer().spread(0).len()
}

/// The set `opts` asks for; `progress` is told of each region made.
pub fn national_set(
    templates: &[Template],
    opts: &SynthOptions,
    progress: &Progress<'_>,
) -> Result<BulkSet, StoreError> {
    let g = gazetteer();
    let order = g.spread(opts.seed);
    if opts.regions == 0 || opts.regions > order.len() {
        let counties = order.iter().filter(|d| d.level() == Level::County).count();
        return Err(StoreError::EditRefused(format!(
            "合成地区数应在 1 到 {} 之间（县级 {counties} 个，地级 {} 个）",
            order.len(),
            order.len() - counties
        )));
    }
    if templates.is_empty() {
        return Err(StoreError::EditRefused("没有可用作指标体系的规划".into()));
    }
    let mut set = BulkSet {
        by: SYNTH_BY.into(),
        source: SYNTH_LABEL.into(),
        why: format!(
            "{SYNTH_LABEL}（planwatch synth 生成，种子 {}，并非真实统计数据）",
            opts.seed
        ),
        systems: templates.iter().map(|t| t.targets.clone()).collect(),
        ..BulkSet::default()
    };
    let chosen = order[..opts.regions].iter().map(|division| {
        let path = path_of(division);
        let seed = seed_from(&path) ^ opts.seed.rotate_left(29);
        let system = any_template(templates, division, seed);
        (*division, path, system)
    });
    fill(&mut set, templates, chosen, opts, progress);
    Ok(set)
}

/// Where the demo's made-up regions go: beside its real ones, so that the level above has
/// several sub-regions to rank and compare.
///
/// For a real county under a prefecture-level city, the city's other counties; for a real
/// city, its counties and the other cities of its province. Counties directly under a
/// province-level municipality get no neighbours (重庆 has 38 of them: more rows than the
/// demo needs). Every region of `real` and every path `exists` knows is left out, so that
/// a region is made once, and never where a real plan or a person's data already stands.
pub fn demo_divisions(real: &[&str], exists: &dyn Fn(&str) -> bool) -> Vec<&'static Division> {
    let g = gazetteer();
    let mut out: BTreeMap<u32, &'static Division> = BTreeMap::new();
    for path in real {
        let Some(division) = g.at_path(path) else {
            continue;
        };
        let parent = division.parent.and_then(|p| g.get(p));
        match division.level() {
            Level::County => {
                if let Some(city) = parent.filter(|p| p.level() == Level::City) {
                    out.extend(g.children(city.code).into_iter().map(|d| (d.code, d)));
                }
            }
            Level::City => {
                out.extend(g.children(division.code).into_iter().map(|d| (d.code, d)));
                if let Some(province) = parent {
                    let cities = g.children(province.code).into_iter();
                    out.extend(
                        cities
                            .filter(|d| d.level() == Level::City)
                            .map(|d| (d.code, d)),
                    );
                }
            }
            Level::Province => {}
        }
    }
    out.into_values()
        .filter(|d| {
            let path = path_of(d);
            !real.contains(&path.as_str()) && !exists(&path)
        })
        .collect()
}

/// The demo's made-up regions (演示地区, see [`demo_divisions`]) as one set: each with the
/// indicator system of the template of its level nearest to it (sharing the most of its
/// path; the seed decides between equals), and values from the demo's generator seeded by
/// its path, over `years`, marked as demo data. `None` when there is nothing to add.
pub fn demo_set(
    templates: &[Template],
    divisions: &[&Division],
    years: &DemoOptions,
) -> Option<BulkSet> {
    if templates.is_empty() || divisions.is_empty() {
        return None;
    }
    let opts = SynthOptions {
        regions: divisions.len(),
        seed: 0,
        years: *years,
    };
    let mut set = BulkSet {
        by: DEMO_BY.into(),
        source: DEMO_LABEL.into(),
        why: format!("{DEMO_LABEL}（planwatch demo 生成的{GENERATED_LABEL}，并非真实统计数据）"),
        systems: templates.iter().map(|t| t.targets.clone()).collect(),
        ..BulkSet::default()
    };
    let chosen = divisions.iter().map(|division| {
        let path = path_of(division);
        let system = nearest_template(templates, division, &path, seed_from(&path));
        (*division, path, system)
    });
    fill(&mut set, templates, chosen, &opts, &|_| {});
    Some(set)
}

/// Adds each chosen (division, path, template) with its data to `set`, its missing
/// parents before it.
fn fill<'a>(
    set: &mut BulkSet,
    templates: &[Template],
    chosen: impl Iterator<Item = (&'a Division, String, usize)>,
    opts: &SynthOptions,
    progress: &Progress<'_>,
) {
    let g = gazetteer();
    let mut keys: HashMap<String, u32> = HashMap::new();
    // By path: each region once, a chosen city that is also a parent with its data.
    let mut regions: BTreeMap<String, BulkRegion> = BTreeMap::new();
    for (division, path, system) in chosen {
        let mut parent_path = String::new();
        for parent in g.ancestors(division) {
            parent_path = join(&parent_path, parent.name);
            regions
                .entry(parent_path.clone())
                .or_insert_with(|| BulkRegion {
                    path: parent_path.clone(),
                    level: parent.level(),
                    data: None,
                });
        }
        let data = region_data(templates, system, &path, opts, &mut set.keys, &mut keys);
        regions
            .entry(path.clone())
            .or_insert_with(|| BulkRegion {
                path,
                level: division.level(),
                data: None,
            })
            .data = Some(data);
        progress(1);
    }
    // Parents first; within a level, by path.
    let mut regions: Vec<BulkRegion> = regions.into_values().collect();
    regions.sort_by_key(BulkRegion::depth);
    set.regions = regions;
}

/// "湖北省/随州市/曾都区", as `plan import` names the region.
fn path_of(division: &Division) -> String {
    let g = gazetteer();
    let mut path = String::new();
    for parent in g.ancestors(division) {
        path = join(&path, parent.name);
    }
    join(&path, division.name)
}

/// A template of the division's level (any when none fits), chosen by the seed.
fn any_template(templates: &[Template], division: &Division, seed: u64) -> usize {
    let fitting: Vec<usize> = (0..templates.len())
        .filter(|&i| templates[i].level == division.level())
        .collect();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    match fitting.len() {
        0 => rng.random_range(0..templates.len()),
        n => fitting[rng.random_range(0..n)],
    }
}

/// The template of the division's level whose region shares the most of `path` (a
/// county's plan next door before one across the country), the seed deciding between
/// equals; any template when none is of its level.
fn nearest_template(templates: &[Template], division: &Division, path: &str, seed: u64) -> usize {
    let shared = |t: &Template| {
        t.source
            .split('/')
            .zip(path.split('/'))
            .take_while(|(a, b)| a == b)
            .count()
    };
    let fitting: Vec<usize> = (0..templates.len())
        .filter(|&i| templates[i].level == division.level())
        .collect();
    let Some(best) = fitting.iter().map(|&i| shared(&templates[i])).max() else {
        return any_template(templates, division, seed);
    };
    let nearest: Vec<usize> = fitting
        .into_iter()
        .filter(|&i| shared(&templates[i]) == best)
        .collect();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    nearest[rng.random_range(0..nearest.len())]
}

fn join(parent: &str, name: &str) -> String {
    if parent.is_empty() {
        name.to_string()
    } else {
        format!("{parent}/{name}")
    }
}

/// One region's system (template `system`) and values, seeded by its path.
fn region_data(
    templates: &[Template],
    system: usize,
    path: &str,
    opts: &SynthOptions,
    all_keys: &mut Vec<String>,
    keys: &mut HashMap<String, u32>,
) -> RegionData {
    let seed = seed_from(path) ^ opts.seed.rotate_left(29);
    let template = &templates[system];
    let live: Vec<(PlanKind, &TargetState)> = template
        .targets
        .iter()
        .filter(|t| !t.state.retired)
        .map(|t| (t.kind, &t.state))
        .collect();
    let (data, stage) = region_values(&live, &template.baselines, seed, &opts.years);
    let extra = stage
        .map(|(kind, state)| BulkTarget {
            kind,
            origin: format!("synth|stage|{}", state.year),
            action: ChangeAction::Add,
            why: format!("{}：阶段目标", template.label),
            state,
        })
        .into_iter()
        .collect();
    let values = data
        .values
        .iter()
        .map(|(key, o)| {
            let next = all_keys.len() as u32;
            let key = *keys.entry(key.clone()).or_insert_with(|| {
                all_keys.push(key.clone());
                next
            });
            BulkValue {
                key,
                year: o.year,
                value: o.value,
            }
        })
        .collect();
    RegionData {
        system,
        extra,
        values,
    }
}
