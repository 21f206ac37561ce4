//! A region's overview for one report year, as the dashboard shows it: the warned targets
//! first, then how many targets are in each status per domain and per responsible unit
//! (责任单位), and the mid-term (2025) and final (2030) 达标率.
//!
//! Built from per-target results only (no I/O): the caller judges every target with
//! [`super::monitor`] and passes what this needs. A milestone the report year has reached is
//! the evaluation of `report::Milestone` on results judged with the milestone's year as the
//! report year; a milestone still ahead is a projection (预估) from the latest data: a due
//! target counts as 达标 when it is met already or its projection to the target year meets it.

use super::report::{Milestone, StatusCounts, UnitSummary, summarize_by_unit};
use super::status::Warning;
use super::target::{Evaluation, TargetSpec, met};
use serde::Serialize;

/// The mid-term evaluation's year.
pub const MID_TERM_YEAR: i32 = 2025;
/// The final evaluation's year.
pub const FINAL_YEAR: i32 = 2030;

/// Warnings from the most to the least severe: the order the dashboard lists them in.
pub const SEVERITY: [Warning; 4] = [
    Warning::BindingMissed,
    Warning::ProjectedMiss,
    Warning::Volatile,
    Warning::Missing,
];

/// The name a target without a responsible unit is counted under.
pub const NO_UNIT: &str = "未明确责任单位";

/// One target of the region as the overview needs it.
#[derive(Debug, Clone, Copy)]
pub struct OverviewItem<'a> {
    pub domain: &'a str,
    /// Its responsible units; empty when the plan names none (counted under [`NO_UNIT`]).
    pub units: &'a [&'a str],
    pub target: &'a TargetSpec,
    /// Judged with the report year `R`.
    pub evaluation: &'a Evaluation,
    /// Judged with report year `min(R, 2025)` and `min(R, 2030)` (see
    /// [`milestone_report_year`]): what the mid-term and final evaluations see. Equal to
    /// `evaluation` while `R` precedes them.
    pub at_mid_term: &'a Evaluation,
    pub at_final: &'a Evaluation,
}

/// The report year a milestone's results are judged with: the milestone's own year once
/// `R` has reached it, else `R` (and the milestone is a projection).
pub fn milestone_report_year(milestone: i32, report_year: i32) -> i32 {
    report_year.min(milestone)
}

/// A domain's (发展领域) status counts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DomainSummary {
    pub domain: String,
    pub counts: StatusCounts,
}

/// The mid-term or final evaluation, or its projection while the year is ahead.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MilestoneView {
    /// For a projection, `no_data` counts the due targets that cannot be projected (no
    /// data, or fewer than two points for a trend).
    pub milestone: Milestone,
    /// 预估: the report year precedes the milestone's year.
    pub projected: bool,
}

impl MilestoneView {
    /// "中期评估" / "中期评估（预估）" …
    pub fn title_zh(&self) -> String {
        let t = self.milestone.title_zh();
        if self.projected {
            format!("{t}（预估）")
        } else {
            t
        }
    }

    /// The evaluation's sentence; a projection says what it rests on.
    /// "2025年无到期目标。" when no target is due that year.
    pub fn sentence_zh(&self) -> String {
        if self.milestone.due == 0 {
            return format!("{}年无到期目标。", self.milestone.year);
        }
        if !self.projected {
            return self.milestone.sentence_zh();
        }
        let m = &self.milestone;
        let mut s = format!(
            "按目前趋势预估：{}年到期目标{}项，可预估的{}项中预计{}项达标",
            m.year,
            m.due,
            m.met + m.not_met,
            m.met
        );
        if let Some(r) = m.rate {
            s.push_str(&format!("，预估达标率{:.1}%", r * 100.0));
        }
        if m.no_data > 0 {
            s.push_str(&format!(
                "；另有{}项无数据或数据点不足，无法预估",
                m.no_data
            ));
        }
        s.push('。');
        s
    }
}

/// The dashboard's overview of one region for one report year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Overview {
    pub report_year: i32,
    pub total: StatusCounts,
    /// Indices into the items of the targets with a warning, the most severe first: by
    /// their most severe warning (see [`SEVERITY`]), then by how many warnings they carry,
    /// then in the items' order.
    pub warned: Vec<usize>,
    /// In the order the domains first appear in the items.
    pub by_domain: Vec<DomainSummary>,
    /// Sorted by unit name; a target with several units counts once for each.
    pub by_unit: Vec<UnitSummary>,
    pub mid_term: MilestoneView,
    pub final_term: MilestoneView,
}

/// The position of a warning in [`SEVERITY`].
pub fn severity_rank(w: Warning) -> usize {
    SEVERITY
        .iter()
        .position(|s| *s == w)
        .unwrap_or(SEVERITY.len())
}

/// The target's warnings, the most severe first.
pub fn warnings_by_severity(e: &Evaluation) -> Vec<Warning> {
    SEVERITY
        .iter()
        .copied()
        .filter(|w| e.warnings.contains(*w))
        .collect()
}

/// Builds the overview; `items` are the region's targets in the order the pages list them.
pub fn overview(report_year: i32, items: &[OverviewItem<'_>]) -> Overview {
    let total: StatusCounts = items.iter().map(|i| i.evaluation).collect();

    let mut warned: Vec<usize> = (0..items.len())
        .filter(|&i| !items[i].evaluation.warnings.is_empty())
        .collect();
    let worst = |i: usize| {
        items[i]
            .evaluation
            .warnings
            .iter()
            .map(severity_rank)
            .min()
            .unwrap_or(SEVERITY.len())
    };
    // Stable: ties keep the items' order.
    warned.sort_by_key(|&i| {
        (
            worst(i),
            std::cmp::Reverse(items[i].evaluation.warnings.len()),
        )
    });

    let mut by_domain: Vec<DomainSummary> = Vec::new();
    for it in items {
        match by_domain.iter_mut().find(|d| d.domain == it.domain) {
            Some(d) => d.counts.add(it.evaluation),
            None => {
                let mut counts = StatusCounts::default();
                counts.add(it.evaluation);
                by_domain.push(DomainSummary {
                    domain: it.domain.to_string(),
                    counts,
                });
            }
        }
    }

    let by_unit = summarize_by_unit(items.iter().flat_map(|it| {
        let units: &[&str] = if it.units.is_empty() {
            &[NO_UNIT]
        } else {
            it.units
        };
        units.iter().map(move |u| (*u, it.evaluation))
    }));

    let mid_term = milestone_view(
        MID_TERM_YEAR,
        report_year,
        items.iter().map(|i| (i.target, i.at_mid_term)),
    );
    let final_term = milestone_view(
        FINAL_YEAR,
        report_year,
        items.iter().map(|i| (i.target, i.at_final)),
    );
    Overview {
        report_year,
        total,
        warned,
        by_domain,
        by_unit,
        mid_term,
        final_term,
    }
}

/// The evaluation of `year` once the report year has reached it (`items` judged with
/// report year `year`), else its projection from `items` judged with the report year.
pub fn milestone_view<'a>(
    year: i32,
    report_year: i32,
    items: impl IntoIterator<Item = (&'a TargetSpec, &'a Evaluation)>,
) -> MilestoneView {
    if report_year >= year {
        return MilestoneView {
            milestone: Milestone::new(year, items),
            projected: false,
        };
    }
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
        if t.year == year {
            m.due += 1;
            match projected_met(t, e) {
                Some(true) => m.met += 1,
                Some(false) => m.not_met += 1,
                None => m.no_data += 1,
            }
        } else if t.year > year {
            m.later.add(e);
        }
    }
    let with_data = m.met + m.not_met;
    m.rate = (with_data > 0).then(|| m.met as f64 / with_data as f64);
    MilestoneView {
        milestone: m,
        projected: true,
    }
}

/// Whether a target still ahead is expected to be met in its year: met already, or its
/// projection meets it. `None` without data or without a trend to project.
pub fn projected_met(t: &TargetSpec, e: &Evaluation) -> Option<bool> {
    let latest = e.latest?;
    if met(latest.value, t.comparator, t.value) {
        return Some(true);
    }
    e.projected.map(|p| met(p, t.comparator, t.value))
}

/// The responsible units a plan's cell names: "卫生健康委、妇联" → ["卫生健康委", "妇联"].
/// Separators are 、，,；; and white space; a trailing 等 is dropped; empty parts are skipped.
pub fn split_units(owner: &str) -> Vec<&str> {
    owner
        .split(|c: char| {
            matches!(c, '、' | '，' | ',' | '；' | ';' | '/' | '／') || c.is_whitespace()
        })
        .map(|u| u.trim())
        .map(|u| u.strip_suffix('等').filter(|s| !s.is_empty()).unwrap_or(u))
        .filter(|u| !u.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evaluation::{Observation, Status, Warnings};
    use crate::plan::Comparator;

    fn spec(c: Comparator, v: f64, year: i32, binding: bool) -> TargetSpec {
        TargetSpec {
            comparator: c,
            value: v,
            year,
            baseline_year: None,
            baseline_value: None,
            binding,
        }
    }

    /// An evaluation with only what the overview reads.
    fn ev(
        status: Status,
        latest: Option<f64>,
        projected: Option<f64>,
        w: &[Warning],
    ) -> Evaluation {
        Evaluation {
            status,
            latest: latest.map(|v| Observation::new(2024, v)),
            baseline_year: None,
            baseline_value: None,
            expected: None,
            progress_ratio: None,
            slope: None,
            projected,
            points: 2,
            warnings: w.iter().copied().collect::<Warnings>(),
        }
    }

    struct Fixture {
        specs: Vec<TargetSpec>,
        evals: Vec<Evaluation>,
        domains: Vec<&'static str>,
        units: Vec<Vec<&'static str>>,
    }

    impl Fixture {
        fn items(&self) -> Vec<OverviewItem<'_>> {
            (0..self.specs.len())
                .map(|i| OverviewItem {
                    domain: self.domains[i],
                    units: &self.units[i],
                    target: &self.specs[i],
                    evaluation: &self.evals[i],
                    at_mid_term: &self.evals[i],
                    at_final: &self.evals[i],
                })
                .collect()
        }
    }

    /// Report year 2024, six targets:
    /// 0 健康 ≥98 2030, on track (96 → 99 projected), no warning, 卫健委
    /// 1 健康 ≤12 2025, regressing, W_PROJECTED_MISS + W_VOLATILE, 卫健委、妇联
    /// 2 教育 ≥95 2025, achieved (96), W_MISSING, 教育局
    /// 3 教育 ≥90 2025, off track (80 → 85 projected), W_PROJECTED_MISS, 教育局
    /// 4 健康 ≥1 2030, no data, W_MISSING, no unit
    /// 5 教育 ≥50 2025, no trend (40, no projection), W_VOLATILE, 教育局
    fn fixture() -> Fixture {
        use Comparator::*;
        use Status::*;
        use Warning::*;
        Fixture {
            specs: vec![
                spec(Ge, 98.0, 2030, false),
                spec(Le, 12.0, 2025, true),
                spec(Ge, 95.0, 2025, false),
                spec(Ge, 90.0, 2025, false),
                spec(Ge, 1.0, 2030, false),
                spec(Ge, 50.0, 2025, false),
            ],
            evals: vec![
                ev(OnTrack, Some(96.0), Some(99.0), &[]),
                ev(
                    Regressing,
                    Some(14.0),
                    Some(15.0),
                    &[ProjectedMiss, Volatile],
                ),
                ev(Achieved, Some(96.0), Some(97.0), &[Missing]),
                ev(OffTrack, Some(80.0), Some(85.0), &[ProjectedMiss]),
                ev(NoData, None, None, &[Missing]),
                ev(NoTrend, Some(40.0), None, &[Volatile]),
            ],
            domains: vec!["健康", "健康", "教育", "教育", "健康", "教育"],
            units: vec![
                vec!["卫健委"],
                vec!["卫健委", "妇联"],
                vec!["教育局"],
                vec!["教育局"],
                vec![],
                vec!["教育局"],
            ],
        }
    }

    #[test]
    fn warned_targets_come_first_by_severity() {
        let f = fixture();
        let o = overview(2024, &f.items());
        // 1 and 3 carry W_PROJECTED_MISS (1 has two warnings, so first), then 5
        // (W_VOLATILE), then 2 and 4 (W_MISSING) in their order.
        assert_eq!(o.warned, vec![1, 3, 5, 2, 4]);
        assert_eq!(
            warnings_by_severity(&f.evals[1]),
            vec![Warning::ProjectedMiss, Warning::Volatile]
        );
    }

    #[test]
    fn a_missed_binding_target_is_the_most_severe() {
        let mut f = fixture();
        f.evals[0] = ev(
            Status::Missed,
            Some(90.0),
            None,
            &[Warning::BindingMissed, Warning::Missing],
        );
        let o = overview(2024, &f.items());
        assert_eq!(o.warned, vec![0, 1, 3, 5, 2, 4]);
    }

    #[test]
    fn counts_per_domain_in_order_of_appearance() {
        let f = fixture();
        let o = overview(2024, &f.items());
        assert_eq!(o.total.total, 6);
        assert_eq!(o.total.warned, 5);
        let names: Vec<_> = o.by_domain.iter().map(|d| d.domain.as_str()).collect();
        assert_eq!(names, ["健康", "教育"]);
        let health = &o.by_domain[0].counts;
        assert_eq!(health.total, 3);
        assert_eq!(health.get(Status::OnTrack), 1);
        assert_eq!(health.get(Status::Regressing), 1);
        assert_eq!(health.get(Status::NoData), 1);
        // W_PROJECTED_MISS, W_VOLATILE, W_BINDING_MISSED, W_MISSING
        assert_eq!(health.by_warning, [1, 1, 0, 1]);
        let edu = &o.by_domain[1].counts;
        assert_eq!(edu.total, 3);
        assert_eq!(edu.get(Status::Achieved), 1);
        assert_eq!(edu.get(Status::OffTrack), 1);
        assert_eq!(edu.get(Status::NoTrend), 1);
        assert_eq!(edu.warned, 3);
    }

    #[test]
    fn counts_per_unit_count_a_shared_target_for_each_unit() {
        let f = fixture();
        let o = overview(2024, &f.items());
        let got: Vec<_> = o
            .by_unit
            .iter()
            .map(|u| (u.unit.as_str(), u.targets, u.achieved, u.on_track, u.warned))
            .collect();
        // Sorted by name (byte order of UTF-8): 卫 E5 8D AB, 妇 E5 A6 87, 教 E6 95 99,
        // 未 E6 9C AA.
        assert_eq!(
            got,
            vec![
                ("卫健委", 2, 0, 1, 1),
                ("妇联", 1, 0, 0, 1),
                ("教育局", 3, 1, 0, 3),
                (NO_UNIT, 1, 0, 0, 1),
            ]
        );
    }

    #[test]
    fn a_milestone_ahead_is_projected() {
        let f = fixture();
        let o = overview(2024, &f.items());
        let m = &o.mid_term;
        assert!(m.projected);
        // Due 2025: 1 (15 > 12: not met), 2 (met already), 3 (85 < 90: not met),
        // 5 (no projection: counted apart).
        assert_eq!(
            (
                m.milestone.due,
                m.milestone.met,
                m.milestone.not_met,
                m.milestone.no_data
            ),
            (4, 1, 2, 1)
        );
        assert_eq!(m.milestone.rate, Some(1.0 / 3.0));
        // Later (2030) targets by trajectory: 0 on track, 4 no data.
        assert_eq!(m.milestone.later.total, 2);
        assert_eq!(m.title_zh(), "中期评估（预估）");
        assert_eq!(
            m.sentence_zh(),
            "按目前趋势预估：2025年到期目标4项，可预估的3项中预计1项达标，预估达标率33.3%；\
             另有1项无数据或数据点不足，无法预估。"
        );
        // Final 2030: 0 projected 99 ≥ 98 met; 4 has no data.
        let f2 = &o.final_term;
        assert!(f2.projected);
        assert_eq!(
            (f2.milestone.due, f2.milestone.met, f2.milestone.no_data),
            (2, 1, 1)
        );
        assert_eq!(f2.milestone.rate, Some(1.0));
        assert_eq!(f2.title_zh(), "终期评估（预估）");
    }

    #[test]
    fn a_milestone_reached_is_the_evaluation() {
        let f = fixture();
        let mut items = f.items();
        // At the mid-term year 2025 the results are judged with R = 2025: target 3
        // reached 91 ≥ 90 by then.
        let at_2025 = ev(Status::Achieved, Some(91.0), None, &[]);
        items[3].at_mid_term = &at_2025;
        let o = overview(2026, &items);
        let m = &o.mid_term;
        assert!(!m.projected);
        // Milestone::new: 1 (14 > 12 not met), 2 met, 3 met, 5 (40 < 50 not met).
        assert_eq!(
            (
                m.milestone.due,
                m.milestone.met,
                m.milestone.not_met,
                m.milestone.no_data
            ),
            (4, 2, 2, 0)
        );
        assert_eq!(m.milestone.rate, Some(0.5));
        assert_eq!(m.title_zh(), "中期评估");
        assert_eq!(
            m.sentence_zh(),
            "2025年到期目标4项，有数据的4项中2项达标，达标率50.0%。"
        );
        assert!(o.final_term.projected);
        assert_eq!(milestone_report_year(MID_TERM_YEAR, 2026), 2025);
        assert_eq!(milestone_report_year(FINAL_YEAR, 2026), 2026);
    }

    #[test]
    fn nothing_in_nothing_out() {
        let o = overview(2024, &[]);
        assert_eq!(o.total.total, 0);
        assert!(o.warned.is_empty() && o.by_domain.is_empty() && o.by_unit.is_empty());
        assert_eq!(o.mid_term.milestone.rate, None);
        assert_eq!(o.mid_term.sentence_zh(), "2025年无到期目标。");
        assert_eq!(o.final_term.sentence_zh(), "2030年无到期目标。");
    }

    #[test]
    fn units_are_split_on_chinese_separators() {
        assert_eq!(split_units("卫生健康委、妇联"), vec!["卫生健康委", "妇联"]);
        assert_eq!(
            split_units(" 教育局，民政局; 团县委等 "),
            vec!["教育局", "民政局", "团县委"]
        );
        assert_eq!(split_units("等"), vec!["等"]);
        assert!(split_units(" 、 ").is_empty());
    }
}
