//! A target is monitored once (issue 15): where the women's and the children's plan set the
//! same indicator, year and value (高中阶段毛入学率, 九年义务教育巩固率 …), the region's
//! indicator system keeps both stored targets — each with its provenance, its history and
//! its own re-import identity — but monitoring judges, counts, warns and charts one target
//! that names both plans. Where the plans differ (another value or year) both stay, each
//! named by its plan.
//!
//! Also here: what a page may print of a judged target without saying something false
//! ([`shown`]), and at which precision ([`Precision`]).

use super::target::{Evaluation, TargetSpec};
use crate::plan::{Comparator, PlanKind};

/// What makes two targets of one region one monitored target: the indicator key their data
/// is filed under, the year, the comparator, the value and the unit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SameTarget<'a> {
    pub key: &'a str,
    pub year: i32,
    pub comparator: Comparator,
    pub value: f64,
    pub unit: &'a str,
}

impl SameTarget<'_> {
    fn same(&self, other: &SameTarget<'_>) -> bool {
        self.key == other.key
            && self.year == other.year
            && self.comparator == other.comparator
            // Values are read from the plans' text: equal text reads as equal bits.
            && self.value.to_bits() == other.value.to_bits()
            && self.unit.trim() == other.unit.trim()
    }
}

/// The monitored targets among `items`: groups of indices into `items`, each group one
/// target, in the order of each group's first member (members in their own order). Every
/// index appears exactly once.
pub fn monitored_groups<'a, T>(
    items: &'a [T],
    same: impl Fn(&'a T) -> SameTarget<'a>,
) -> Vec<Vec<usize>> {
    let keys: Vec<SameTarget<'a>> = items.iter().map(same).collect();
    let mut groups: Vec<Vec<usize>> = Vec::new();
    // Per key, the groups holding it: a region has a few hundred targets at most, and
    // most keys one or two.
    let mut by_key: std::collections::HashMap<&str, Vec<usize>> = std::collections::HashMap::new();
    for (i, k) in keys.iter().enumerate() {
        let candidates = by_key.entry(k.key).or_default();
        match candidates
            .iter()
            .copied()
            .find(|&g| groups[g].first().is_some_and(|&f| keys[f].same(k)))
        {
            Some(g) => groups[g].push(i),
            None => {
                candidates.push(groups.len());
                groups.push(vec![i]);
            }
        }
    }
    groups
}

/// The plans a monitored target comes from, as pages name plans: "妇女发展规划",
/// "儿童发展规划", or both "妇女发展规划、儿童发展规划" (women's first, each once).
pub fn plans_zh(kinds: &[PlanKind]) -> String {
    [PlanKind::Women, PlanKind::Children]
        .into_iter()
        .filter(|k| kinds.contains(k))
        .map(PlanKind::label_zh)
        .collect::<Vec<_>>()
        .join("、")
}

/// What may be printed of a judged target's computed figures.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Shown {
    /// 序时进度; never beyond the target value.
    pub expected: Option<f64>,
    pub progress_ratio: Option<f64>,
    /// The projection for the target year.
    pub projected: Option<f64>,
}

/// The computed figures of `eval` that are true to print in report year `report_year`. A
/// target whose year is not after the report year is due: it is judged on the reported
/// value, and neither a 序时进度 (the straight path has ended) nor a projection (for a year
/// that has passed) is shown. A projection is only for a year after the latest value. The
/// engine's own figures (`status.csv`'s columns) are left as the spec computes them.
pub fn shown(spec: &TargetSpec, eval: &Evaluation, report_year: i32) -> Shown {
    let ahead = spec.year > report_year;
    let after_latest = eval.latest.is_none_or(|l| spec.year > l.year);
    let within = |x: f64| -> f64 {
        // The straight path runs from the baseline to the target: a point on it lies
        // between them. Floating error must not carry it past the target.
        match eval.baseline_value {
            Some(y0) if y0 <= spec.value => x.clamp(y0, spec.value),
            Some(y0) => x.clamp(spec.value, y0),
            None => x,
        }
    };
    let expected = eval
        .expected
        .filter(|x| ahead && after_latest && x.is_finite())
        .map(within);
    Shown {
        expected,
        progress_ratio: eval.progress_ratio.filter(|_| expected.is_some()),
        projected: eval
            .projected
            .filter(|x| ahead && after_latest && x.is_finite()),
    }
}

/// The number of decimals an indicator's figures are printed with: the most among the
/// values reported for it (37.6 when reported with one decimal), else the catalog's usual
/// precision for it, else the target value's. A computed figure (序时进度, a projection,
/// a change) never shows more digits than the data it is computed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Precision(pub u8);

impl Precision {
    /// At most this many decimals are ever printed.
    pub const MAX: u8 = 3;

    /// From the reported values; `usual` (the catalog's) and the target value stand in
    /// when nothing is reported.
    pub fn of(reported: impl IntoIterator<Item = f64>, usual: Option<u8>, target: f64) -> Self {
        let d = reported
            .into_iter()
            .filter(|x| x.is_finite())
            .map(decimals_of)
            .max()
            .or(usual)
            .unwrap_or_else(|| decimals_of(target));
        Precision(d.min(Self::MAX))
    }

    /// A computed figure at this precision, trailing zeros dropped ("96.5", "8.7", "102").
    /// A figure that is not `target` never reads as `target` (a projection of 97.96 for
    /// "98%以上" would read as met): then it keeps digits until it differs, up to six.
    pub fn figure(self, x: f64, target: f64) -> String {
        if !x.is_finite() {
            return super::numfmt::format_g6(x);
        }
        let mut d = usize::from(self.0);
        let round = |d: usize| format!("{x:.d$}");
        let mut s = round(d);
        while d < 6 && x != target && s.parse::<f64>().ok() == Some(target) {
            d += 1;
            s = round(d);
        }
        if s.contains('.') {
            s = s.trim_end_matches('0').trim_end_matches('.').to_string();
        }
        if s == "-0" { "0".to_string() } else { s }
    }

    /// [`Precision::figure`] with the unit written as [`super::with_unit`] writes it.
    pub fn figure_with_unit(self, x: f64, target: f64, unit: &str) -> String {
        let text = self.figure(x, target);
        match unit.strip_prefix("1/") {
            Some(per) => format!("{text}/{per}"),
            None => format!("{text}{unit}"),
        }
    }

    /// A change (a difference of two figures, a slope) at this precision, with no target
    /// to keep apart from.
    pub fn change(self, x: f64) -> String {
        self.figure(x, f64::NAN)
    }
}

/// Digits after the point in the shortest reading of `x` (at most six): 8.2 → 1,
/// 95 → 0, 37.637 → 3.
pub fn decimals_of(x: f64) -> u8 {
    let s = super::numfmt::format_g6(x);
    if s.contains(['e', 'E']) {
        return 6;
    }
    match s.split_once('.') {
        Some((_, frac)) => frac.len().min(6) as u8,
        None => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evaluation::{Observation, Series, evaluate};

    fn same<'a>(key: &'a str, year: i32, value: f64) -> SameTarget<'a> {
        SameTarget {
            key,
            year,
            comparator: Comparator::Ge,
            value,
            unit: "%",
        }
    }

    #[test]
    fn the_same_target_of_both_plans_is_one() {
        // 连平县: 高中阶段毛入学率 92% (2030) in both plans, 九年义务教育巩固率 97% and 96%.
        let items = [
            (PlanKind::Women, same("C-EDU-05", 2030, 92.0)),
            (PlanKind::Women, same("C-EDU-04", 2030, 97.0)),
            (PlanKind::Children, same("C-EDU-05", 2030, 92.0)),
            (PlanKind::Children, same("C-EDU-04", 2030, 96.0)),
            (PlanKind::Children, same("C-EDU-04", 2025, 97.0)),
        ];
        let groups = monitored_groups(&items, |(_, s)| *s);
        assert_eq!(groups, vec![vec![0, 2], vec![1], vec![3], vec![4]]);
        let kinds = |g: &[usize]| plans_zh(&g.iter().map(|&i| items[i].0).collect::<Vec<_>>());
        assert_eq!(kinds(&groups[0]), "妇女发展规划、儿童发展规划");
        assert_eq!(kinds(&groups[1]), "妇女发展规划");
        assert_eq!(kinds(&groups[2]), "儿童发展规划");
    }

    #[test]
    fn another_comparator_or_unit_is_another_target() {
        let mut le = same("K", 2030, 5.0);
        le.comparator = Comparator::Le;
        let mut permille = same("K", 2030, 5.0);
        permille.unit = "‰";
        let items = [same("K", 2030, 5.0), le, permille, same("K", 2030, 5.0)];
        assert_eq!(
            monitored_groups(&items, |s| *s),
            vec![vec![0, 3], vec![1], vec![2]]
        );
        assert_eq!(
            plans_zh(&[PlanKind::Children, PlanKind::Women]),
            "妇女发展规划、儿童发展规划"
        );
        assert_eq!(plans_zh(&[]), "");
    }

    fn judged(
        values: &[(i32, f64)],
        v: f64,
        year: i32,
        report_year: i32,
    ) -> (TargetSpec, Evaluation) {
        let spec = TargetSpec {
            comparator: Comparator::Ge,
            value: v,
            year,
            baseline_year: None,
            baseline_value: None,
            binding: false,
        };
        let mut obs: Vec<Observation> = values
            .iter()
            .map(|&(y, x)| Observation::new(y, x))
            .collect();
        let e = match Series::sorted(&mut obs) {
            Ok(s) => evaluate(&s.at(report_year), &spec),
            Err(e) => panic!("series: {e}"),
        };
        (spec, e)
    }

    #[test]
    fn a_due_target_shows_no_path_and_no_projection() {
        // The issue: a 2023 target judged in 2024 read "序时进度应达到91.7%" (beyond 90)
        // and "预计2023年88.5%".
        let data = [(2020, 80.0), (2021, 83.0), (2022, 85.0), (2024, 88.5)];
        let (spec, e) = judged(&data, 90.0, 2023, 2024);
        assert!(
            e.expected.is_some_and(|x| x > 90.0),
            "the engine's figure: {e:?}"
        );
        assert_eq!(
            shown(&spec, &e, 2024),
            Shown {
                expected: None,
                progress_ratio: None,
                projected: None
            }
        );
        // Latest value 2022, report year 2024, target 2023: due, not projected either.
        let (spec, e) = judged(&data[..3], 90.0, 2023, 2024);
        assert!(e.projected.is_some());
        assert_eq!(shown(&spec, &e, 2024).projected, None);
        assert_eq!(shown(&spec, &e, 2024).expected, None);
    }

    #[test]
    fn a_target_ahead_shows_both_and_the_path_stays_within_the_target() {
        let data = [(2020, 80.0), (2022, 84.0), (2024, 86.0)];
        // The year after the report year is ahead.
        let (spec, e) = judged(&data, 90.0, 2025, 2024);
        let s = shown(&spec, &e, 2024);
        assert_eq!(s.expected, Some(88.0));
        assert!(s.projected.is_some());
        assert!(s.progress_ratio.is_some());
        // The target year equal to the report year is due.
        let (spec, e) = judged(&data, 90.0, 2024, 2024);
        assert_eq!(shown(&spec, &e, 2024).expected, None);
        assert_eq!(shown(&spec, &e, 2024).projected, None);
        // A path computed a hair past the target is printed at the target.
        let mut e2 = e;
        e2.expected = Some(90.000_000_1);
        e2.latest = Some(Observation::new(2024, 86.0));
        let spec2 = TargetSpec { year: 2030, ..spec };
        assert_eq!(shown(&spec2, &e2, 2024).expected, Some(90.0));
    }

    #[test]
    fn figures_take_the_precision_of_the_reported_values() {
        let p = Precision::of([37.6, 36.9, 35.0], None, 40.0);
        assert_eq!(p, Precision(1));
        assert_eq!(p.figure(37.637, 40.0), "37.6");
        assert_eq!(p.figure_with_unit(12.7714, 12.0, "1/10万"), "12.8/10万");
        assert_eq!(p.figure(101.96, 98.0), "102");
        // Never reads as the target when it is not.
        assert_eq!(p.figure(97.96, 98.0), "97.96");
        assert_eq!(p.change(-0.04), "0");
        // Whole numbers reported: whole figures.
        assert_eq!(
            Precision::of([12.0, 15.0], Some(2), 20.0).figure(17.4, 20.0),
            "17"
        );
        // Nothing reported: the catalog's usual precision, else the target's.
        assert_eq!(Precision::of([], Some(2), 95.0), Precision(2));
        assert_eq!(Precision::of([], None, 8.5), Precision(1));
        // Never more than three decimals, whatever was typed.
        assert_eq!(Precision::of([1.0 / 3.0], None, 1.0), Precision(3));
        assert_eq!(decimals_of(37.637), 3);
    }
}
