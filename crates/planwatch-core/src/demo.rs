//! Demonstration data (演示数据): yearly values 2016–2024 for a region's indicator system,
//! generated around each plan's own baselines and targets so that the dashboard shows
//! every status and every warning on first start.
//!
//! Pure and deterministic: the same targets and seed give the same values, so loading the
//! demo twice changes nothing. Each indicator key gets a *scenario* (a shape of its
//! series); the scenarios every region needs are placed first and checked with the
//! evaluation engine itself ([`evaluate`]), so a target whose shape cannot show a status
//! (a `> 100%` target cannot be achieved) leaves that status to another key.
//!
//! `missed` and `W_BINDING_MISSED` need a binding target whose year has come. The plans
//! set targets for 2025 and 2030 only, so when the region has no binding target due by
//! the report year ([`DEMO_REPORT_YEAR`] for the demo) the generator proposes a binding
//! stage target (阶段目标) for the year before ([`STAGE_YEAR`]) on one indicator; the
//! caller adds it to the indicator system marked as demo data.
//!
//! [`generate`] makes the demo's values; [`generate_with`] other spans of years and series
//! with gaps ([`DemoOptions`]), as the synthetic national data set (`planwatch synth`) has.

use crate::evaluation::{
    Observation, Series, Status, TargetSpec, Warning, Warnings, evaluate, met,
};
use crate::plan::Comparator;
use rand::seq::SliceRandom;
use rand::{Rng as _, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::BTreeMap;

/// The first and last year of demo values.
pub const DEMO_FIRST_YEAR: i32 = 2016;
pub const DEMO_REPORT_YEAR: i32 = 2024;
/// The year of a proposed stage target.
pub const STAGE_YEAR: i32 = DEMO_REPORT_YEAR - 1;

/// The years the generated series span, and whether they have gaps. The default is the
/// demo's: 2016–2024, no gaps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoOptions {
    first_year: i32,
    report_year: i32,
    gaps: bool,
}

impl Default for DemoOptions {
    fn default() -> DemoOptions {
        DemoOptions {
            first_year: DEMO_FIRST_YEAR,
            report_year: DEMO_REPORT_YEAR,
            gaps: false,
        }
    }
}

/// A span of years the generator cannot shape series over.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "年份范围 {first}—{last} 无效：应在 1900—2200 年之间，首尾至少 {min} 年、至多 {max} 年（如 2016-2025）",
    min = DemoOptions::MIN_YEARS,
    max = DemoOptions::MAX_YEARS
)]
pub struct BadYears {
    pub first: i32,
    pub last: i32,
}

impl DemoOptions {
    /// A trend, a volatile last step and gaps need a few earlier years.
    pub const MIN_YEARS: i32 = 5;
    pub const MAX_YEARS: i32 = 40;

    /// Values from `first_year` to `report_year` (the year statuses are placed for), with
    /// gaps when `gaps`: a few years in the middle of a series left out (never the first
    /// year, nor the last two, which the trend and the volatility warning need).
    pub fn new(first_year: i32, report_year: i32, gaps: bool) -> Result<DemoOptions, BadYears> {
        let years = report_year - first_year + 1;
        if !(1900..=2200).contains(&first_year)
            || !(1900..=2200).contains(&report_year)
            || !(Self::MIN_YEARS..=Self::MAX_YEARS).contains(&years)
        {
            return Err(BadYears {
                first: first_year,
                last: report_year,
            });
        }
        Ok(DemoOptions {
            first_year,
            report_year,
            gaps,
        })
    }

    pub fn first_year(&self) -> i32 {
        self.first_year
    }

    pub fn report_year(&self) -> i32 {
        self.report_year
    }

    /// The year of a proposed stage target: the year before the report year.
    pub fn stage_year(&self) -> i32 {
        self.report_year - 1
    }

    /// Yearly steps from the first year to the report year.
    fn steps(&self) -> i32 {
        self.report_year - self.first_year
    }
}

/// A target of the region's indicator system, as the generator needs it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DemoTarget<'a> {
    /// The indicator key its values are filed under; targets may share one.
    pub key: &'a str,
    pub spec: TargetSpec,
    /// "%" keeps values within 0–100, "‰" within 0–1000; every value is kept positive.
    pub unit: &'a str,
    /// The value the plan states for the indicator before the period (its latest
    /// baseline), if any.
    pub baseline: Option<f64>,
}

/// The shape of one indicator's series.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scenario {
    /// Reaches the target before the report year.
    Achieved,
    /// On the straight path to beyond the target.
    OnTrack,
    /// Progress ~70% of what is due.
    NeedsAcceleration,
    /// Progress ~30% of what is due.
    OffTrack,
    /// Moving away from the target.
    Regressing,
    /// Steady progress, then a sharp fall in the report year (W_VOLATILE).
    Volatile,
    /// One value only, for the year before the report year.
    NoTrend,
    /// No values at all.
    NoData,
    /// Slow progress: a binding target due by the report year is missed.
    Lagging,
}

impl Scenario {
    pub fn as_str(self) -> &'static str {
        match self {
            Scenario::Achieved => "achieved",
            Scenario::OnTrack => "on_track",
            Scenario::NeedsAcceleration => "needs_acceleration",
            Scenario::OffTrack => "off_track",
            Scenario::Regressing => "regressing",
            Scenario::Volatile => "volatile",
            Scenario::NoTrend => "no_trend",
            Scenario::NoData => "no_data",
            Scenario::Lagging => "lagging",
        }
    }
}

/// A binding stage target the generator proposes (see the module doc).
#[derive(Debug, Clone, PartialEq)]
pub struct StageTarget {
    /// Index into the generator's input of the target it is derived from (same key,
    /// indicator, unit, comparator).
    pub from: usize,
    pub spec: TargetSpec,
}

/// The generated values.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DemoData {
    /// (indicator key, value), by key then year.
    pub values: Vec<(String, Observation)>,
    /// At most one.
    pub stage_targets: Vec<StageTarget>,
    /// The scenario each key got, by key.
    pub scenarios: BTreeMap<String, Scenario>,
}

/// A seed from a region's name or path (FNV-1a), so regions get different mixes.
pub fn seed_from(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// The demo's random source: seeded, so a region gets the same data on every run and every
/// machine.
type Rng = ChaCha8Rng;

fn rng(seed: u64) -> Rng {
    ChaCha8Rng::seed_from_u64(seed)
}

/// The scenarios every region must show, in the order they are placed.
const REQUIRED: [Scenario; 8] = [
    Scenario::OnTrack,
    Scenario::NeedsAcceleration,
    Scenario::OffTrack,
    Scenario::Regressing,
    Scenario::Volatile,
    Scenario::NoTrend,
    Scenario::NoData,
    Scenario::Achieved,
];

/// The mix of the remaining keys (weights in percent).
const MIX: [(Scenario, u32); 8] = [
    (Scenario::Achieved, 22),
    (Scenario::OnTrack, 30),
    (Scenario::NeedsAcceleration, 14),
    (Scenario::OffTrack, 10),
    (Scenario::Regressing, 7),
    (Scenario::Volatile, 4),
    (Scenario::NoTrend, 5),
    (Scenario::NoData, 8),
];

/// A key's scenario and its (year, value) series.
type Shaped = (Scenario, Vec<(i32, f64)>);

/// One indicator key with its targets (indices into the input).
struct Key<'a> {
    key: &'a str,
    targets: Vec<usize>,
    /// The target the series is shaped for: the latest one (the first of those).
    primary: usize,
}

/// Generates the demo values of one region (see the module doc).
pub fn generate(targets: &[DemoTarget<'_>], seed: u64) -> DemoData {
    generate_with(targets, seed, &DemoOptions::default())
}

/// Generates one region's values over the years of `opts` (see the module doc).
pub fn generate_with(targets: &[DemoTarget<'_>], seed: u64, opts: &DemoOptions) -> DemoData {
    let mut by_key: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, t) in targets.iter().enumerate() {
        if t.spec.value.is_finite() {
            by_key.entry(t.key).or_default().push(i);
        }
    }
    let mut keys: Vec<Key<'_>> = by_key
        .into_iter()
        .map(|(key, idx)| {
            let mut primary = idx[0];
            for &i in &idx {
                if targets[i].spec.year > targets[primary].spec.year {
                    primary = i;
                }
            }
            Key {
                key,
                targets: idx,
                primary,
            }
        })
        .collect();
    // Shuffled, so each region places the required scenarios on other indicators.
    keys.shuffle(&mut rng(seed));

    let mut out = DemoData::default();
    let mut chosen: Vec<Option<Shaped>> = vec![None; keys.len()];
    let due = |i: usize| {
        let s = &targets[i].spec;
        s.binding && s.year <= opts.report_year
    };

    // 1. A binding target due by the report year (a person's, or the stage target an
    //    earlier run added) lags; without one, propose a stage target.
    let mut stage: Option<StageTarget> = None;
    if let Some(k) = keys.iter().position(|k| k.targets.iter().any(|&i| due(i))) {
        let series = series(
            Scenario::Lagging,
            &targets[keys[k].primary],
            seed_for(seed, keys[k].key),
            opts,
        );
        chosen[k] = Some((Scenario::Lagging, series));
    } else {
        for (k, key) in keys.iter().enumerate() {
            let t = &targets[key.primary];
            if t.spec.year <= opts.report_year
                || t.spec.comparator == Comparator::Eq
                || small_count(t)
            {
                continue;
            }
            let series = series(Scenario::Lagging, t, seed_for(seed, key.key), opts);
            let Some(spec) = stage_spec(t, opts) else {
                continue;
            };
            let mut with_stage: Vec<TargetSpec> =
                key.targets.iter().map(|&i| targets[i].spec).collect();
            with_stage.push(spec);
            if judged(&series, &with_stage, opts)
                .iter()
                .any(|e| e.1.contains(Warning::BindingMissed))
            {
                chosen[k] = Some((Scenario::Lagging, series));
                stage = Some(StageTarget {
                    from: key.primary,
                    spec,
                });
                break;
            }
        }
    }

    // 2. The required scenarios, each on the first key where the engine confirms it.
    for scenario in REQUIRED {
        for (k, key) in keys.iter().enumerate() {
            if chosen[k].is_some()
                || (small_count(&targets[key.primary])
                    && !matches!(scenario, Scenario::Achieved | Scenario::NoData))
            {
                continue;
            }
            let series = series(
                scenario,
                &targets[key.primary],
                seed_for(seed, key.key),
                opts,
            );
            let specs: Vec<TargetSpec> = key.targets.iter().map(|&i| targets[i].spec).collect();
            if shows(scenario, &judged(&series, &specs, opts)) {
                chosen[k] = Some((scenario, series));
                break;
            }
        }
    }

    // 3. The rest: a mix, weighted toward progress.
    for (k, key) in keys.iter().enumerate() {
        if chosen[k].is_some() {
            continue;
        }
        let t = &targets[key.primary];
        let mut r = rng(seed_for(seed, key.key) ^ 0x5151);
        let scenario = if t.spec.year <= opts.report_year {
            Scenario::Achieved
        } else if t.spec.comparator == Comparator::Eq || small_count(t) {
            if r.random_range(0..100) < 80 {
                Scenario::Achieved
            } else {
                Scenario::NoData
            }
        } else {
            let mut roll = r.random_range(0..100) as u32;
            let mut pick = Scenario::OnTrack;
            for (s, w) in MIX {
                if roll < w {
                    pick = s;
                    break;
                }
                roll -= w;
            }
            pick
        };
        chosen[k] = Some((scenario, series(scenario, t, seed_for(seed, key.key), opts)));
    }

    for (key, c) in keys.iter().zip(chosen) {
        let Some((scenario, series)) = c else {
            continue;
        };
        out.scenarios.insert(key.key.to_string(), scenario);
        for (year, value) in series {
            out.values
                .push((key.key.to_string(), Observation::new(year, value)));
        }
    }
    out.values
        .sort_by(|a, b| a.0.cmp(&b.0).then(a.1.year.cmp(&b.1.year)));
    out.stage_targets.extend(stage);
    out
}

fn seed_for(seed: u64, key: &str) -> u64 {
    seed ^ seed_from(key).rotate_left(17)
}

/// Each target of a key judged on `series` for the report year: (status, warnings).
fn judged(
    series: &[(i32, f64)],
    specs: &[TargetSpec],
    opts: &DemoOptions,
) -> Vec<(Status, Warnings)> {
    let mut obs: Vec<Observation> = series
        .iter()
        .map(|&(y, v)| Observation::new(y, v))
        .collect();
    let Ok(s) = Series::sorted(&mut obs) else {
        return Vec::new();
    };
    let at = s.at(opts.report_year);
    specs
        .iter()
        .map(|t| {
            let e = evaluate(&at, t);
            (e.status, e.warnings)
        })
        .collect()
}

/// The key's targets show what the scenario is placed for.
fn shows(scenario: Scenario, results: &[(Status, Warnings)]) -> bool {
    let status = |s: Status| results.iter().any(|r| r.0 == s);
    match scenario {
        Scenario::Achieved => status(Status::Achieved),
        Scenario::OnTrack => status(Status::OnTrack),
        Scenario::NeedsAcceleration => results
            .iter()
            .any(|r| r.0 == Status::NeedsAcceleration && r.1.contains(Warning::ProjectedMiss)),
        Scenario::OffTrack => status(Status::OffTrack),
        Scenario::Regressing => status(Status::Regressing),
        Scenario::Volatile => results.iter().any(|r| r.1.contains(Warning::Volatile)),
        Scenario::NoTrend => status(Status::NoTrend),
        Scenario::NoData => status(Status::NoData),
        Scenario::Lagging => results.iter().any(|r| r.1.contains(Warning::BindingMissed)),
    }
}

/// +1 when a higher value is better for the target, -1 when lower is.
fn direction(t: &DemoTarget<'_>) -> f64 {
    match t.spec.comparator {
        Comparator::Ge | Comparator::Gt => 1.0,
        Comparator::Le | Comparator::Lt => -1.0,
        Comparator::Eq => match t.baseline {
            Some(b) if b > t.spec.value => -1.0,
            _ => 1.0,
        },
    }
}

/// The upper bound of plausible values for a unit.
fn upper(unit: &str) -> f64 {
    match unit.trim() {
        "%" | "％" => 100.0,
        "‰" => 1000.0,
        _ => f64::INFINITY,
    }
}

/// Where the series starts (2016) and the gap to the target: the plan's baseline when it
/// does not meet the target yet, else a gap of a size plausible for the target.
fn start_and_gap(t: &DemoTarget<'_>) -> (f64, f64) {
    let (c, v) = (t.spec.comparator, t.spec.value);
    let d = direction(t);
    let hi = upper(t.unit);
    if let Some(b) = t.baseline
        && b.is_finite()
        && b > 0.0
        && b <= hi
        && !met(b, c, v)
        && (v - b).abs() > 1e-9
    {
        return (b, (v - b).abs());
    }
    let mut g = if v.abs() < 1e-9 {
        1.0
    } else {
        (v.abs() * if d > 0.0 { 0.08 } else { 0.15 }).max(0.1)
    };
    if d > 0.0 {
        // Keep the start and a regression below it positive.
        g = g.min(v * 0.6).max(1e-3);
    } else if v + 1.3 * g > hi {
        g = ((hi - v) / 1.3).max(1e-3);
    }
    (v - d * g, g)
}

/// A unit of things counted one by one (所, 个 …) with a whole target value.
fn count(t: &DemoTarget<'_>) -> bool {
    matches!(
        t.unit.trim(),
        "所" | "个" | "张" | "家" | "处" | "次" | "人" | "名" | "座"
    ) && t.spec.value.fract() == 0.0
}

/// A count too small for a smooth series: only achieved (or no data) is plausible.
fn small_count(t: &DemoTarget<'_>) -> bool {
    count(t) && t.spec.value.abs() < 50.0
}

/// Decimal places that keep steps of `step` visible.
fn decimals(step: f64) -> i32 {
    if !(step.is_finite() && step > 0.0) {
        return 2;
    }
    (-step.log10()).ceil().clamp(0.0, 4.0) as i32
}

/// The most decimals a demo value of `t` may have: as many as the plan writes for it (its
/// target or baseline), at least one — statistics report rates with one decimal — so a
/// demo value never reads more precise than the plan (issue 15: 37.637% beside a plan's
/// 38%).
fn plan_decimals(t: &DemoTarget<'_>) -> i32 {
    let written = crate::evaluation::decimals_of(t.spec.value)
        .max(t.baseline.map(crate::evaluation::decimals_of).unwrap_or(0));
    i32::from(written).max(1)
}

fn round_to(x: f64, dec: i32) -> f64 {
    let p = 10f64.powi(dec);
    (x * p).round() / p
}

/// The stage target for a lagging key: half way from the start to the target, due in
/// the stage year, binding. `None` when the start or gap is not usable.
fn stage_spec(t: &DemoTarget<'_>, opts: &DemoOptions) -> Option<TargetSpec> {
    let (s, g) = start_and_gap(t);
    let d = direction(t);
    let dec = decimals(0.02 * g).min(plan_decimals(t));
    let value = round_to(s + d * g * 0.5, dec);
    value.is_finite().then_some(TargetSpec {
        comparator: match t.spec.comparator {
            Comparator::Gt => Comparator::Ge,
            Comparator::Lt => Comparator::Le,
            c => c,
        },
        value,
        year: opts.stage_year(),
        baseline_year: None,
        baseline_value: None,
        binding: true,
    })
}

/// The values of one key for a scenario, with the gaps `opts` asks for.
fn series(
    scenario: Scenario,
    t: &DemoTarget<'_>,
    seed: u64,
    opts: &DemoOptions,
) -> Vec<(i32, f64)> {
    let mut v = shape(scenario, t, seed, opts);
    if opts.gaps && v.len() > 4 {
        // At most two years missing, none of the first one and the last two: a series
        // still has its start, its trend and the step the volatility warning looks at.
        let mut r = rng(seed ^ 0x6761_7073);
        let mut left_out = 0;
        let last_inner = v.len() - 3;
        let mut i = 1;
        while i <= last_inner - left_out {
            if left_out < 2 && r.random_range(0..10) == 0 {
                v.remove(i);
                left_out += 1;
            } else {
                i += 1;
            }
        }
    }
    v
}

/// The values of one key for a scenario, shaped for its primary target `t`.
fn shape(scenario: Scenario, t: &DemoTarget<'_>, seed: u64, opts: &DemoOptions) -> Vec<(i32, f64)> {
    let (s, g) = start_and_gap(t);
    let d = direction(t);
    let hi = upper(t.unit);
    // Years from the first demo year to the target's (at least one past the report year).
    let first = opts.first_year;
    let span = f64::from((t.spec.year - first).max(opts.report_year - first + 1));
    let n = opts.steps(); // 8 steps for the demo
    let mut rng = rng(seed);
    // f(x): the share of the gap closed after x years.
    let f: Vec<(i32, f64)> = match scenario {
        Scenario::NoData => Vec::new(),
        Scenario::NoTrend => vec![(n - 1, 0.4)],
        Scenario::Achieved if small_count(t) => {
            // A handful of institutions: there all along.
            return (first..=opts.report_year)
                .map(|y| (y, t.spec.value.max(1.0)))
                .collect();
        }
        Scenario::Achieved => {
            // Straight through the target, 2–15% of the gap beyond it in the report year
            // (exactly on it for `=`, and never beyond the unit's bound). A plateau would
            // read as a volatile last step.
            let mut m = if t.spec.comparator == Comparator::Eq {
                1.0
            } else {
                1.02 + 0.13 * (rng.random_range(0..1000usize) as f64 / 1000.0)
            };
            if (s + d * g * m) > hi {
                m = (hi - s) / (d * g);
            }
            wobbly(n, m / f64::from(n), &mut rng)
        }
        Scenario::OnTrack => wobbly(n, 1.08 / span, &mut rng),
        Scenario::NeedsAcceleration => wobbly(n, 0.72 / span, &mut rng),
        Scenario::OffTrack | Scenario::Lagging => wobbly(n, 0.3 / span, &mut rng),
        Scenario::Regressing => wobbly(n, -0.035, &mut rng),
        Scenario::Volatile => {
            let r = 0.6 / span;
            // Steady steps, then a sharp fall in the report year.
            let steps = VOLATILE_STEPS
                .iter()
                .copied()
                .cycle()
                .take((n - 1).max(0) as usize)
                .chain([-2.5]);
            let mut acc = 0.0;
            let mut v = vec![(0, 0.0)];
            for (x, k) in (1..=n).zip(steps) {
                acc += r * k;
                v.push((x, acc));
            }
            v
        }
    };
    // Rounding must stay well below the smallest yearly step, or it becomes the noise
    // W_VOLATILE measures.
    let smallest = f
        .windows(2)
        .map(|w| ((w[1].1 - w[0].1) * g).abs())
        .filter(|d| *d > 0.0)
        .fold(0.02 * g, f64::min);
    let dec = if count(t) {
        0
    } else {
        decimals(smallest / 10.0).min(plan_decimals(t))
    };
    let floor = 10f64.powi(-dec);
    f.into_iter()
        .map(|(x, share)| {
            let y = round_to(s + d * g * share, dec).clamp(floor, hi);
            (first + x, y)
        })
        .collect()
}

/// Yearly steps that vary as real statistics do (the earlier ones cycle through the first
/// seven, shuffled per key; the last is close to their median) and add up to
/// `per_year * n`. Steps of one size would make the earlier differences' MAD a rounding
/// artefact, and every series "volatile".
const STEP_WEIGHTS: [f64; 8] = [1.0, 1.3, 0.8, 1.2, 0.9, 1.25, 0.75, 1.05];

/// The steps of the volatile scenario before its fall in the report year.
const VOLATILE_STEPS: [f64; 7] = [1.0, 1.5, 1.2, 1.6, 0.9, 1.3, 1.1];

fn wobbly(n: i32, per_year: f64, rng: &mut Rng) -> Vec<(i32, f64)> {
    let (last, earlier) = STEP_WEIGHTS.split_last().unwrap_or((&1.0, &[]));
    let mut w: Vec<f64> = earlier
        .iter()
        .copied()
        .cycle()
        .take((n - 1).max(0) as usize)
        .collect();
    // The last weight stays last: the report year's step is close to the median.
    w.shuffle(rng);
    w.push(*last);
    let total: f64 = w.iter().sum();
    let scale = per_year * f64::from(n) / total;
    let mut acc = 0.0;
    let mut out = vec![(0, 0.0)];
    for x in 1..=n {
        let k = w.get((x - 1) as usize).copied().unwrap_or(1.0);
        acc += k * scale;
        out.push((x, acc));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evaluation::{KeyedObservation, KeyedTarget, monitor};

    fn spec(c: Comparator, value: f64, year: i32, binding: bool) -> TargetSpec {
        TargetSpec {
            comparator: c,
            value,
            year,
            baseline_year: None,
            baseline_value: None,
            binding,
        }
    }

    /// A region's system shaped like the plans': mostly `>= %` for 2030, some `<=`
    /// mortality rates, a few counts, an `=` and a `>` target, one indicator with a 2025
    /// and a 2030 target, one stated baseline.
    fn region(n: usize, year: i32) -> Vec<(String, TargetSpec, &'static str, Option<f64>)> {
        let mut v = Vec::new();
        for i in 0..n {
            let (c, value, unit, baseline) = match i % 9 {
                0 => (Comparator::Ge, 95.0, "%", None),
                1 => (Comparator::Le, 12.0, "1/10万", None),
                2 => (Comparator::Ge, 90.0, "%", Some(85.5)),
                3 => (Comparator::Le, 5.0, "‰", None),
                4 => (Comparator::Ge, 100.0, "%", None),
                5 => (Comparator::Eq, 100.0, "%", None),
                6 => (Comparator::Ge, 3.0, "所", None),
                7 => (Comparator::Gt, 50.0, "%", None),
                _ => (Comparator::Le, 0.5, "%", None),
            };
            v.push((
                format!("K{i:02}"),
                spec(c, value, year, false),
                unit,
                baseline,
            ));
        }
        v.push((
            "K00".into(),
            spec(Comparator::Ge, 93.0, 2025, false),
            "%",
            None,
        ));
        v
    }

    fn run(
        input: &[(String, TargetSpec, &'static str, Option<f64>)],
        seed: u64,
    ) -> (DemoData, Vec<(Status, Warnings)>) {
        run_with(input, seed, &DemoOptions::default())
    }

    /// The generated values and each target (stage targets included) judged by the
    /// engine as of the report year of `opts`.
    fn run_with(
        input: &[(String, TargetSpec, &'static str, Option<f64>)],
        seed: u64,
        opts: &DemoOptions,
    ) -> (DemoData, Vec<(Status, Warnings)>) {
        let targets: Vec<DemoTarget<'_>> = input
            .iter()
            .map(|(k, s, u, b)| DemoTarget {
                key: k,
                spec: *s,
                unit: u,
                baseline: *b,
            })
            .collect();
        let data = generate_with(&targets, seed, opts);
        let mut keyed: Vec<KeyedTarget<'_>> = targets
            .iter()
            .map(|t| KeyedTarget {
                key: t.key,
                spec: t.spec,
            })
            .collect();
        for s in &data.stage_targets {
            keyed.push(KeyedTarget {
                key: targets[s.from].key,
                spec: s.spec,
            });
        }
        let obs: Vec<KeyedObservation<'_>> = data
            .values
            .iter()
            .map(|(k, o)| KeyedObservation {
                key: k,
                observation: *o,
            })
            .collect();
        let results = monitor(&keyed, &obs, opts.report_year())
            .into_iter()
            .map(|r| match r {
                Ok(e) => (e.status, e.warnings),
                Err(e) => panic!("demo series refused: {e}"),
            })
            .collect();
        (data, results)
    }

    fn assert_everything_shows(results: &[(Status, Warnings)], what: &str) {
        for s in Status::ALL {
            assert!(
                results.iter().any(|r| r.0 == s),
                "{what}: no target is {s}: {results:?}"
            );
        }
        for w in Warning::ALL {
            assert!(
                results.iter().any(|r| r.1.contains(w)),
                "{what}: no target has {w}: {results:?}"
            );
        }
    }

    #[test]
    fn every_status_and_warning_occurs() {
        for (name, n, year) in [
            ("连平县", 40, 2030),
            ("石柱土家族自治县", 25, 2030),
            ("丽水市", 30, 2025),
            ("曾都区", 12, 2030),
        ] {
            let input = region(n, year);
            let (data, results) = run(&input, seed_from(name));
            assert_everything_shows(&results, name);
            assert_eq!(data.stage_targets.len(), 1, "{name}");
            let stage = &data.stage_targets[0];
            assert!(stage.spec.binding && stage.spec.year == STAGE_YEAR);
        }
    }

    #[test]
    fn values_are_plausible_and_cover_the_years() {
        let input = region(40, 2030);
        let (data, _) = run(&input, seed_from("连平县"));
        let unit: BTreeMap<&str, &str> =
            input.iter().map(|(k, _, u, _)| (k.as_str(), *u)).collect();
        for (k, o) in &data.values {
            assert!(o.value > 0.0 && o.value.is_finite(), "{k} {o:?}");
            if unit.get(k.as_str()) == Some(&"%") {
                assert!(o.value <= 100.0, "{k} {o:?}");
            }
            assert!((DEMO_FIRST_YEAR..=DEMO_REPORT_YEAR).contains(&o.year));
        }
        let full = data
            .scenarios
            .iter()
            .filter(|(_, s)| **s == Scenario::OnTrack)
            .count();
        assert!(full > 0);
        // A key with values has one per year from 2016 unless it is a no-trend one.
        for (k, s) in &data.scenarios {
            let years = data.values.iter().filter(|(key, _)| key == k).count();
            let want = match s {
                Scenario::NoData => 0,
                Scenario::NoTrend => 1,
                _ => 9,
            };
            assert_eq!(years, want, "{k} {s:?}");
        }
    }

    #[test]
    fn deterministic_and_stable_once_the_stage_target_exists() {
        let input = region(30, 2030);
        let seed = seed_from("曾都区");
        let (a, _) = run(&input, seed);
        let (b, _) = run(&input, seed);
        assert_eq!(a, b);
        // A second run sees the stage target the first one added: same values, no new one.
        let stage = &a.stage_targets[0];
        let mut with_stage = input.clone();
        let from = &input[stage.from];
        with_stage.push((from.0.clone(), stage.spec, from.2, from.3));
        let (c, results) = run(&with_stage, seed);
        assert!(c.stage_targets.is_empty());
        assert_eq!(c.values, a.values);
        assert_everything_shows(&results, "second run");
        // Other regions get other mixes.
        let (d, _) = run(&input, seed_from("丽水市"));
        assert_ne!(d.scenarios, a.scenarios);
    }

    #[test]
    fn only_the_volatile_scenario_is_volatile() {
        for (name, n, year) in [("连平县", 40, 2030), ("丽水市", 30, 2025)] {
            let input = region(n, year);
            let (data, results) = run(&input, seed_from(name));
            for ((key, _, _, _), r) in input.iter().zip(&results) {
                if r.1.contains(Warning::Volatile) {
                    assert_eq!(
                        data.scenarios.get(key),
                        Some(&Scenario::Volatile),
                        "{name} {key}"
                    );
                }
            }
        }
    }

    #[test]
    fn ten_years_with_gaps_show_every_status_as_of_their_last_year() {
        let opts = DemoOptions::new(2016, 2025, true).expect("years");
        for (name, n, year) in [
            ("湖北省/随州市/曾都区", 40, 2030),
            ("重庆市/石柱土家族自治县", 25, 2030),
            ("浙江省/丽水市", 30, 2025),
            ("广东省/河源市/连平县", 12, 2030),
        ] {
            let input = region(n, year);
            let (data, results) = run_with(&input, seed_from(name), &opts);
            if year > opts.report_year() {
                assert_everything_shows(&results, name);
            } else {
                // Targets due in the report year are settled: achieved or missed.
                for s in [Status::Achieved, Status::Missed, Status::NoData] {
                    assert!(results.iter().any(|r| r.0 == s), "{name}: no {s}");
                }
            }
            let stage = data.stage_targets.first().map(|s| s.spec.year);
            assert!(stage.is_none_or(|y| y == 2024), "{name}: {stage:?}");
            let mut gaps = 0;
            for (k, s) in &data.scenarios {
                let years: Vec<i32> = data
                    .values
                    .iter()
                    .filter(|(key, _)| key == k)
                    .map(|(_, o)| o.year)
                    .collect();
                if matches!(s, Scenario::NoData | Scenario::NoTrend) {
                    assert!(years.len() <= 1, "{name} {k}");
                    continue;
                }
                // The first year and the last two are always there; at most two missing.
                assert!(
                    years.contains(&2016) && years.ends_with(&[2024, 2025]),
                    "{name} {k}"
                );
                assert!(
                    years.len() >= 8 && years.len() <= 10,
                    "{name} {k} {years:?}"
                );
                gaps += 10 - years.len();
            }
            assert!(gaps > 0, "{name}: no gaps");
        }
        // Same seed, same values.
        let input = region(30, 2030);
        let a = run_with(&input, 7, &opts).0;
        assert_eq!(a, run_with(&input, 7, &opts).0);
    }

    #[test]
    fn years_out_of_range_are_refused() {
        assert!(DemoOptions::new(2016, 2019, false).is_err());
        assert!(DemoOptions::new(1800, 2025, false).is_err());
        assert!(DemoOptions::new(2025, 2016, false).is_err());
        assert!(DemoOptions::new(2021, 2025, false).is_ok());
        let e = DemoOptions::new(2020, 2019, false).map(|_| ()).unwrap_err();
        assert!(e.to_string().contains("2020—2019"), "{e}");
    }

    #[test]
    fn nothing_to_generate_for_nothing() {
        let data = generate(&[], 1);
        assert!(data.values.is_empty() && data.stage_targets.is_empty());
    }
}
