//! The view from the level above (上级妇儿工委; 下级每年向上级报告): each sub-region's
//! results for a report year in a few numbers, and per indicator how the sub-regions
//! spread over the statuses and over their latest values. Pure: the callers judge the
//! sub-regions and hand over the results.

use super::report::StatusCounts;
use super::status::{Status, Warning};
use super::target::{Evaluation, TargetSpec};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};

/// One judged target of a sub-region.
#[derive(Debug, Clone, Copy)]
pub struct JudgedTarget<'a> {
    /// The indicator key its values are filed under (catalog code, or `local:名称`).
    pub key: &'a str,
    pub spec: &'a TargetSpec,
    pub evaluation: &'a Evaluation,
}

/// A sub-region's results for the report year.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct RegionSummary {
    /// Targets judged, by status and warning.
    pub counts: StatusCounts,
    /// Targets with data (any status but 无数据).
    pub with_data: usize,
    /// Of those, already met (已达标).
    pub achieved: usize,
    /// 达标率 = achieved / with_data; `None` without data.
    pub rate: Option<f64>,
    /// Distinct indicators the sub-region targets …
    pub indicators: usize,
    /// … and how many of them have a value for the report year itself.
    pub indicators_reported: usize,
}

impl RegionSummary {
    /// The share of indicators with a value for the report year; `None` without indicators.
    pub fn reported_share(&self) -> Option<f64> {
        (self.indicators > 0).then(|| self.indicators_reported as f64 / self.indicators as f64)
    }

    /// Targets with `w`.
    pub fn warned_with(&self, w: Warning) -> usize {
        Warning::ALL
            .iter()
            .position(|x| *x == w)
            .map(|i| self.counts.by_warning[i])
            .unwrap_or(0)
    }
}

/// Sums up one sub-region's judged targets for `report_year`.
pub fn summarize_region(report_year: i32, targets: &[JudgedTarget<'_>]) -> RegionSummary {
    let mut s = RegionSummary::default();
    let mut keys: BTreeSet<&str> = BTreeSet::new();
    let mut reported: BTreeSet<&str> = BTreeSet::new();
    for t in targets {
        s.counts.add(t.evaluation);
        keys.insert(t.key);
        if t.evaluation.status != Status::NoData {
            s.with_data += 1;
        }
        if t.evaluation.status == Status::Achieved {
            s.achieved += 1;
        }
        if t.evaluation.latest.is_some_and(|l| l.year == report_year) {
            reported.insert(t.key);
        }
    }
    s.rate = (s.with_data > 0).then(|| s.achieved as f64 / s.with_data as f64);
    s.indicators = keys.len();
    s.indicators_reported = reported.len();
    s
}

/// How a set of values spreads: the five-number summary (quartiles by linear
/// interpolation between order statistics, as spreadsheets' QUARTILE.INC).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Spread {
    pub n: usize,
    pub min: f64,
    pub q1: f64,
    pub median: f64,
    pub q3: f64,
    pub max: f64,
}

impl Spread {
    /// `None` for no values; non-finite values are left out.
    pub fn of(values: &[f64]) -> Option<Spread> {
        let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
        if v.is_empty() {
            return None;
        }
        v.sort_by(f64::total_cmp);
        let at = |p: f64| {
            let pos = p * (v.len() - 1) as f64;
            let lo = pos.floor() as usize;
            let hi = pos.ceil() as usize;
            v[lo] + (v[hi] - v[lo]) * (pos - lo as f64)
        };
        Some(Spread {
            n: v.len(),
            min: v[0],
            q1: at(0.25),
            median: at(0.5),
            q3: at(0.75),
            max: v[v.len() - 1],
        })
    }
}

/// One sub-region's result for one indicator: its target for the latest year (a region
/// with targets for 2025 and 2030 is compared on 2030's).
#[derive(Debug, Clone, Copy)]
pub struct IndicatorItem<'a> {
    pub key: &'a str,
    pub spec: &'a TargetSpec,
    pub evaluation: &'a Evaluation,
}

/// Across the sub-regions, for one indicator.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorSpread {
    pub key: String,
    /// Sub-regions that target the indicator.
    pub regions: usize,
    /// One status per sub-region.
    pub counts: StatusCounts,
    /// Their latest values (those with data).
    pub values: Option<Spread>,
}

/// Per indicator (by key, in byte order): the sub-regions' statuses and values. Each
/// sub-region contributes the items of its own indicators; give one item per sub-region
/// and indicator ([`latest_target_per_key`] picks it).
pub fn spread_by_indicator<'a>(
    items: impl IntoIterator<Item = IndicatorItem<'a>>,
) -> Vec<IndicatorSpread> {
    let mut by: HashMap<&str, (StatusCounts, Vec<f64>)> = HashMap::new();
    for it in items {
        let entry = by.entry(it.key).or_default();
        entry.0.add(it.evaluation);
        if let Some(l) = it.evaluation.latest {
            entry.1.push(l.value);
        }
    }
    let mut out: Vec<IndicatorSpread> = by
        .into_iter()
        .map(|(key, (counts, values))| IndicatorSpread {
            key: key.to_string(),
            regions: counts.total,
            counts,
            values: Spread::of(&values),
        })
        .collect();
    out.sort_by(|a, b| a.key.as_bytes().cmp(b.key.as_bytes()));
    out
}

/// The index of each key's target with the latest year among `targets` (first such in
/// order on a tie), in order of first appearance.
pub fn latest_target_per_key(targets: &[JudgedTarget<'_>]) -> Vec<usize> {
    let mut pick: Vec<usize> = Vec::new();
    let mut at: HashMap<&str, usize> = HashMap::new();
    for (i, t) in targets.iter().enumerate() {
        match at.get(t.key) {
            Some(&slot) => {
                if t.spec.year > targets[pick[slot]].spec.year {
                    pick[slot] = i;
                }
            }
            None => {
                at.insert(t.key, pick.len());
                pick.push(i);
            }
        }
    }
    pick
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evaluation::{Observation, Warnings};
    use crate::plan::Comparator;

    fn spec(year: i32) -> TargetSpec {
        TargetSpec {
            comparator: Comparator::Ge,
            value: 90.0,
            year,
            baseline_year: None,
            baseline_value: None,
            binding: false,
        }
    }

    fn eval(status: Status, latest: Option<(i32, f64)>, warnings: &[Warning]) -> Evaluation {
        let mut w = Warnings::NONE;
        for x in warnings {
            w.insert(*x);
        }
        Evaluation {
            status,
            latest: latest.map(|(y, v)| Observation::new(y, v)),
            baseline_year: None,
            baseline_value: None,
            expected: None,
            progress_ratio: None,
            slope: None,
            projected: None,
            points: 0,
            warnings: w,
        }
    }

    #[test]
    fn a_region_in_a_few_numbers() {
        let s25 = spec(2025);
        let s30 = spec(2030);
        let a = eval(Status::Achieved, Some((2024, 95.0)), &[]);
        let b = eval(
            Status::OffTrack,
            Some((2023, 80.0)),
            &[Warning::ProjectedMiss, Warning::Missing],
        );
        let c = eval(Status::NoData, None, &[Warning::Missing]);
        let targets = [
            JudgedTarget {
                key: "W-HEA-03",
                spec: &s25,
                evaluation: &a,
            },
            JudgedTarget {
                key: "W-HEA-03",
                spec: &s30,
                evaluation: &a,
            },
            JudgedTarget {
                key: "C-EDU-01",
                spec: &s30,
                evaluation: &b,
            },
            JudgedTarget {
                key: "local:x",
                spec: &s30,
                evaluation: &c,
            },
        ];
        let s = summarize_region(2024, &targets);
        assert_eq!(s.counts.total, 4);
        assert_eq!(s.counts.get(Status::Achieved), 2);
        assert_eq!((s.with_data, s.achieved), (3, 2));
        assert_eq!(s.rate, Some(2.0 / 3.0));
        // Three indicators; only W-HEA-03 has a 2024 value.
        assert_eq!((s.indicators, s.indicators_reported), (3, 1));
        assert_eq!(s.reported_share(), Some(1.0 / 3.0));
        assert_eq!(s.warned_with(Warning::Missing), 2);
        assert_eq!(s.counts.warned, 2);
        assert_eq!(latest_target_per_key(&targets), vec![1, 2, 3]);
    }

    #[test]
    fn an_empty_region_has_no_rate() {
        let s = summarize_region(2024, &[]);
        assert_eq!((s.rate, s.reported_share()), (None, None));
    }

    #[test]
    fn quartiles_as_spreadsheets_compute_them() {
        let s = Spread::of(&[7.0, 1.0, 3.0, 5.0, f64::NAN]).expect("values");
        // Sorted 1 3 5 7: q1 at 0.75 → 2.5, median 4, q3 at 2.25 → 5.5.
        assert_eq!(
            (s.n, s.min, s.q1, s.median, s.q3, s.max),
            (4, 1.0, 2.5, 4.0, 5.5, 7.0)
        );
        assert_eq!(Spread::of(&[]), None);
        let one = Spread::of(&[3.0]).expect("one");
        assert_eq!((one.min, one.median, one.max), (3.0, 3.0, 3.0));
    }

    #[test]
    fn sub_regions_per_indicator() {
        let s = spec(2030);
        let good = eval(Status::Achieved, Some((2024, 95.0)), &[]);
        let bad = eval(
            Status::Regressing,
            Some((2024, 70.0)),
            &[Warning::ProjectedMiss],
        );
        let none = eval(Status::NoData, None, &[]);
        let items = [
            IndicatorItem {
                key: "W-HEA-03",
                spec: &s,
                evaluation: &good,
            },
            IndicatorItem {
                key: "C-EDU-01",
                spec: &s,
                evaluation: &none,
            },
            IndicatorItem {
                key: "W-HEA-03",
                spec: &s,
                evaluation: &bad,
            },
        ];
        let spread = spread_by_indicator(items);
        assert_eq!(spread.len(), 2);
        assert_eq!(spread[0].key, "C-EDU-01");
        assert_eq!(spread[0].values, None);
        let mmr = &spread[1];
        assert_eq!(mmr.regions, 2);
        assert_eq!(mmr.counts.get(Status::Achieved), 1);
        assert_eq!(mmr.counts.get(Status::Regressing), 1);
        let v = mmr.values.expect("values");
        assert_eq!((v.min, v.median, v.max), (70.0, 82.5, 95.0));
    }
}
