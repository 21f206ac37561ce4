//! The evaluations built on the per-target results: mid-term and final evaluation
//! (达标率), the summary per responsible unit, and the comparison of sub-regions.

use super::status::{Status, Warning};
use super::target::{Evaluation, TargetSpec, met};
use crate::plan::Comparator;
use serde::Serialize;
use std::cmp::Ordering;
use std::collections::BTreeMap;

/// How many targets are in each status, and how many carry each warning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct StatusCounts {
    /// Indexed by [`Status::index`].
    pub by_status: [usize; 8],
    /// Indexed like [`Warning::ALL`].
    pub by_warning: [usize; 4],
    /// Targets with at least one warning.
    pub warned: usize,
    pub total: usize,
}

impl StatusCounts {
    pub fn add(&mut self, e: &Evaluation) {
        self.total += 1;
        self.by_status[e.status.index()] += 1;
        for (i, w) in Warning::ALL.iter().enumerate() {
            if e.warnings.contains(*w) {
                self.by_warning[i] += 1;
            }
        }
        if !e.warnings.is_empty() {
            self.warned += 1;
        }
    }

    pub fn get(&self, s: Status) -> usize {
        self.by_status[s.index()]
    }
}

impl<'a> FromIterator<&'a Evaluation> for StatusCounts {
    fn from_iter<I: IntoIterator<Item = &'a Evaluation>>(iter: I) -> Self {
        let mut c = StatusCounts::default();
        for e in iter {
            c.add(e);
        }
        c
    }
}

/// The verdict on a target whose year is the evaluation year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// 达标
    Met,
    /// 未达标
    NotMet,
    /// 无数据 (counted apart)
    NoData,
}

impl Verdict {
    pub fn label_zh(self) -> &'static str {
        match self {
            Verdict::Met => "达标",
            Verdict::NotMet => "未达标",
            Verdict::NoData => "无数据",
        }
    }
}

/// A target due in the evaluation year is 达标 when its latest value meets it.
/// `None` when the target is not due that year (`T != R`).
pub fn verdict(target: &TargetSpec, eval: &Evaluation, year: i32) -> Option<Verdict> {
    if target.year != year {
        return None;
    }
    Some(match eval.latest {
        None => Verdict::NoData,
        Some(l) if met(l.value, target.comparator, target.value) => Verdict::Met,
        Some(_) => Verdict::NotMet,
    })
}

/// Mid-term (2025) or final (2030) evaluation: the targets due that year judged
/// 达标/未达标, the 达标率 over those with data, and the later targets' trajectory.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Milestone {
    pub year: i32,
    /// Targets with `T = year`.
    pub due: usize,
    pub met: usize,
    pub not_met: usize,
    /// Due targets without data, counted apart from the rate.
    pub no_data: usize,
    /// 达标率 = met / (met + not_met); `None` when no due target has data.
    pub rate: Option<f64>,
    /// Targets for later years (e.g. 2030 at mid-term), by trajectory status.
    pub later: StatusCounts,
}

impl Milestone {
    /// Builds the evaluation from results computed with report year `year`.
    pub fn new<'a>(
        year: i32,
        items: impl IntoIterator<Item = (&'a TargetSpec, &'a Evaluation)>,
    ) -> Milestone {
        let mut m = Milestone {
            year,
            due: 0,
            met: 0,
            not_met: 0,
            no_data: 0,
            rate: None,
            later: StatusCounts::default(),
        };
        for (t, e) in items {
            match verdict(t, e, year) {
                Some(v) => {
                    m.due += 1;
                    match v {
                        Verdict::Met => m.met += 1,
                        Verdict::NotMet => m.not_met += 1,
                        Verdict::NoData => m.no_data += 1,
                    }
                }
                None if t.year > year => m.later.add(e),
                None => {}
            }
        }
        let with_data = m.met + m.not_met;
        m.rate = (with_data > 0).then(|| m.met as f64 / with_data as f64);
        m
    }

    /// "中期评估" or "终期评估" for 2025 and 2030, else "{year}年评估".
    pub fn title_zh(&self) -> String {
        match self.year {
            2025 => "中期评估".to_string(),
            2030 => "终期评估".to_string(),
            y => format!("{y}年评估"),
        }
    }

    /// "2025年到期目标X项，有数据的Y项中Z项达标，达标率W%；另有N项无数据。"
    pub fn sentence_zh(&self) -> String {
        let mut s = format!(
            "{}年到期目标{}项，有数据的{}项中{}项达标",
            self.year,
            self.due,
            self.met + self.not_met,
            self.met
        );
        if let Some(r) = self.rate {
            s.push_str(&format!("，达标率{:.1}%", r * 100.0));
        }
        if self.no_data > 0 {
            s.push_str(&format!("；另有{}项无数据，未计入达标率", self.no_data));
        }
        s.push('。');
        s
    }
}

/// One responsible unit's (责任单位) targets.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitSummary {
    pub unit: String,
    pub targets: usize,
    pub achieved: usize,
    pub on_track: usize,
    /// Targets with at least one warning.
    pub warned: usize,
    pub counts: StatusCounts,
}

/// Sums per responsible unit, sorted by unit name. A target with several units is passed
/// once per unit.
pub fn summarize_by_unit<'a>(
    items: impl IntoIterator<Item = (&'a str, &'a Evaluation)>,
) -> Vec<UnitSummary> {
    let mut by: BTreeMap<&str, StatusCounts> = BTreeMap::new();
    for (u, e) in items {
        by.entry(u).or_default().add(e);
    }
    by.into_iter()
        .map(|(unit, c)| UnitSummary {
            unit: unit.to_string(),
            targets: c.total,
            achieved: c.get(Status::Achieved),
            on_track: c.get(Status::OnTrack),
            warned: c.warned,
            counts: c,
        })
        .collect()
}

/// One sub-region's result for one indicator.
#[derive(Debug, Clone, Copy)]
pub struct SubRegionItem<'a> {
    pub indicator: &'a str,
    pub region: &'a str,
    pub target: &'a TargetSpec,
    pub evaluation: &'a Evaluation,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RankedRegion {
    /// 1 is best; equal values share a rank (1, 2, 2, 4). `None` without data.
    pub rank: Option<u32>,
    pub region: String,
    pub latest_year: Option<i32>,
    pub latest_value: Option<f64>,
    pub status: Status,
}

/// For one indicator: how many sub-regions are in each status, and their values ranked.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorComparison {
    pub indicator: String,
    pub counts: StatusCounts,
    pub ranking: Vec<RankedRegion>,
}

/// Compares sub-regions per indicator (sorted by indicator). Values are ranked best
/// first by the target's comparator: higher first for `>=`/`>`, lower first for
/// `<=`/`<`, nearest to the target value first for `=`; regions without data come last,
/// by name.
pub fn compare_sub_regions<'a>(
    items: impl IntoIterator<Item = SubRegionItem<'a>>,
) -> Vec<IndicatorComparison> {
    let mut by: BTreeMap<&str, Vec<SubRegionItem<'a>>> = BTreeMap::new();
    for it in items {
        by.entry(it.indicator).or_default().push(it);
    }
    by.into_iter()
        .map(|(indicator, mut v)| {
            let counts = v.iter().map(|i| i.evaluation).collect();
            let key = |i: &SubRegionItem<'_>| -> Option<f64> {
                let x = i.evaluation.latest?.value;
                Some(match i.target.comparator {
                    Comparator::Ge | Comparator::Gt => -x,
                    Comparator::Le | Comparator::Lt => x,
                    Comparator::Eq => (x - i.target.value).abs(),
                })
            };
            v.sort_by(|a, b| match (key(a), key(b)) {
                (Some(x), Some(y)) => x.total_cmp(&y).then_with(|| a.region.cmp(b.region)),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => a.region.cmp(b.region),
            });
            let mut ranking = Vec::with_capacity(v.len());
            let mut prev: Option<f64> = None;
            let mut rank = 0u32;
            for (pos, it) in v.iter().enumerate() {
                let k = key(it);
                if k.is_some() && k != prev {
                    rank = pos as u32 + 1;
                }
                prev = k;
                ranking.push(RankedRegion {
                    rank: k.map(|_| rank),
                    region: it.region.to_string(),
                    latest_year: it.evaluation.latest.map(|l| l.year),
                    latest_value: it.evaluation.latest.map(|l| l.value),
                    status: it.evaluation.status,
                });
            }
            IndicatorComparison {
                indicator: indicator.to_string(),
                counts,
                ranking,
            }
        })
        .collect()
}
