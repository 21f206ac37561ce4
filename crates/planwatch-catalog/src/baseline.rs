//! A target's baseline (基期) from its own plan: the value the plan states for the same
//! indicator in a year up to the plan's start, which `plan import` seeds into the
//! indicator system together with the target.
//!
//! The rule ([`match_baseline`], pure):
//! - only the target's own plan counts;
//! - a baseline is about the target's indicator when both map to a catalog code and the
//!   codes are equal; when either maps to none, when their [`normalize`]d names are equal
//!   (two different codes never match, whatever the names);
//! - its unit must be the target's (nothing is converted: a baseline in another unit is
//!   skipped);
//! - its year must be the plan's start year or earlier; of those, the latest year wins;
//! - when that year has two different values for the indicator, the plan is ambiguous and
//!   the target gets no baseline (a wrong baseline is worse than none: the earliest
//!   reported value stands in).

use crate::Catalog;
use crate::mapping::{Query, map_with_text, normalize, subject_context};
use planwatch_core::{Baseline, Plan, Target};

/// What the rule knows of a target: its indicator, unit and catalog code (the code
/// seeding gives it, `None` for a region-local indicator).
#[derive(Debug, Clone, Copy)]
pub struct TargetKey<'a> {
    pub indicator: &'a str,
    pub unit: &'a str,
    pub code: Option<&'a str>,
}

/// The catalog code of each of `plan`'s baselines (in order), mapped the way targets are.
pub fn baseline_codes(catalog: &Catalog, plan: &Plan) -> Vec<Option<String>> {
    plan.baselines
        .iter()
        .map(|b| {
            let q = Query {
                indicator: &b.indicator,
                unit: Some(&b.unit),
                kind: plan.kind,
                domain: None,
            };
            map_with_text(catalog, &q, subject_context(&b.text, &b.indicator))
                .map(|m| m.indicator.code.clone())
        })
        .collect()
}

/// Whether baseline `b` (with catalog code `b_code`) is about the target's indicator.
fn same_indicator(target: &TargetKey<'_>, b: &Baseline, b_code: Option<&str>) -> bool {
    match (target.code, b_code) {
        (Some(t), Some(c)) => t == c,
        _ => {
            let name = normalize(target.indicator);
            !name.is_empty() && name == normalize(&b.indicator)
        }
    }
}

/// The baseline of `baselines` (their codes in `codes`, same order; a missing code is
/// `None`) for `target` in a plan starting in `start_year`, by the rule of this module.
pub fn match_baseline<'p>(
    target: &TargetKey<'_>,
    start_year: i32,
    baselines: &'p [Baseline],
    codes: &[Option<String>],
) -> Option<&'p Baseline> {
    let candidates: Vec<&Baseline> = baselines
        .iter()
        .enumerate()
        .filter(|(i, b)| {
            let code = codes.get(*i).and_then(Option::as_deref);
            b.year <= start_year
                && b.value.is_finite()
                && b.unit.trim() == target.unit.trim()
                && same_indicator(target, b, code)
        })
        .map(|(_, b)| b)
        .collect();
    let year = candidates.iter().map(|b| b.year).max()?;
    let mut latest = candidates.into_iter().filter(|b| b.year == year);
    let first = latest.next()?;
    if latest.any(|b| b.value != first.value) {
        return None;
    }
    Some(first)
}

/// The baseline of each target of `plan` (in order), `target_code` giving the catalog
/// code seeding gives a target.
pub fn plan_baselines<'p>(
    catalog: &Catalog,
    plan: &'p Plan,
    target_code: impl Fn(&Target) -> Option<String>,
) -> Vec<Option<&'p Baseline>> {
    let codes = baseline_codes(catalog, plan);
    plan.targets
        .iter()
        .map(|t| {
            let code = target_code(t);
            let key = TargetKey {
                indicator: &t.indicator,
                unit: &t.unit,
                code: code.as_deref(),
            };
            match_baseline(&key, plan.period[0], &plan.baselines, &codes)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b(indicator: &str, value: f64, unit: &str, year: i32) -> Baseline {
        Baseline {
            line: 1,
            indicator: indicator.into(),
            value,
            unit: unit.into(),
            year,
            text: String::new(),
        }
    }

    fn key<'a>(indicator: &'a str, unit: &'a str, code: Option<&'a str>) -> TargetKey<'a> {
        TargetKey {
            indicator,
            unit,
            code,
        }
    }

    #[test]
    fn same_code_matches_whatever_the_names() {
        let bs = [b("全县孕产妇死亡率", 12.5, "1/10万", 2020)];
        let codes = [Some("W-HEA-03".to_string())];
        let t = key("孕产妇死亡率", "1/10万", Some("W-HEA-03"));
        assert_eq!(match_baseline(&t, 2021, &bs, &codes), Some(&bs[0]));
    }

    #[test]
    fn different_codes_never_match_even_with_equal_names() {
        let bs = [b("筛查率", 60.0, "%", 2020)];
        let codes = [Some("W-HEA-05".to_string())];
        let t = key("筛查率", "%", Some("W-HEA-06"));
        assert_eq!(match_baseline(&t, 2021, &bs, &codes), None);
    }

    #[test]
    fn without_a_code_on_either_side_the_normalised_names_decide() {
        let bs = [
            b("农村自来水普及率", 88.0, "%", 2020),
            b("“农村卫生厕所普及率”", 70.0, "%", 2020),
        ];
        let codes = [None, Some("X-1".to_string())];
        // The target has no code: names decide, for both baselines.
        let t = key("农村卫生厕所普及率", "%", None);
        assert_eq!(match_baseline(&t, 2021, &bs, &codes), Some(&bs[1]));
        // The target has a code, the baseline none: names decide.
        let t = key("农村自来水普及率", "%", Some("X-2"));
        assert_eq!(match_baseline(&t, 2021, &bs, &codes), Some(&bs[0]));
        let t = key("城市自来水普及率", "%", None);
        assert_eq!(match_baseline(&t, 2021, &bs, &codes), None);
    }

    #[test]
    fn other_units_are_skipped_not_converted() {
        let bs = [
            b("婴儿死亡率", 0.45, "%", 2020),
            b("婴儿死亡率", 4.2, "‰", 2019),
        ];
        let t = key("婴儿死亡率", "‰", None);
        assert_eq!(match_baseline(&t, 2021, &bs, &[None, None]), Some(&bs[1]));
    }

    #[test]
    fn latest_year_up_to_the_plan_start_wins() {
        let bs = [
            b("婴儿死亡率", 5.0, "‰", 2015),
            b("婴儿死亡率", 4.0, "‰", 2020),
            b("婴儿死亡率", 3.8, "‰", 2021),
            b("婴儿死亡率", 3.5, "‰", 2022),
        ];
        let codes = [None, None, None, None];
        let t = key("婴儿死亡率", "‰", None);
        // The start year itself counts; a later year does not.
        assert_eq!(match_baseline(&t, 2021, &bs, &codes), Some(&bs[2]));
        assert_eq!(match_baseline(&t, 2020, &bs, &codes), Some(&bs[1]));
        assert_eq!(match_baseline(&t, 2014, &bs, &codes), None);
    }

    #[test]
    fn two_values_for_the_same_year_are_ambiguous() {
        let bs = [
            b("婴儿死亡率", 4.0, "‰", 2020),
            b("婴儿死亡率", 4.0, "‰", 2020),
        ];
        let t = key("婴儿死亡率", "‰", None);
        assert_eq!(match_baseline(&t, 2021, &bs, &[None, None]), Some(&bs[0]));
        let bs = [
            b("婴儿死亡率", 4.0, "‰", 2020),
            b("婴儿死亡率", 4.5, "‰", 2020),
            b("婴儿死亡率", 5.0, "‰", 2019),
        ];
        assert_eq!(match_baseline(&t, 2021, &bs, &[None, None, None]), None);
    }

    #[test]
    fn missing_codes_and_non_finite_values() {
        let bs = [
            b("婴儿死亡率", f64::NAN, "‰", 2020),
            b("婴儿死亡率", 4.0, "‰", 2019),
        ];
        let t = key("婴儿死亡率", "‰", None);
        // `codes` shorter than `baselines`: the missing ones are no code.
        assert_eq!(match_baseline(&t, 2021, &bs, &[]), Some(&bs[1]));
        let t = key("", "‰", None);
        assert_eq!(
            match_baseline(&t, 2021, &[b("", 1.0, "‰", 2020)], &[]),
            None
        );
    }
}
