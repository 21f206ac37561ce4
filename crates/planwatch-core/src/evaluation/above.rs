//! A region's targets against those of the levels above it (不低于上级规划目标): every
//! plan promises targets no weaker than the upper plan's; this says where one is weaker.
//!
//! [`check`] takes the region's live targets and, nearest first, those of each level
//! above (the city, the province, then the national outlines) and pairs every target
//! with the upper targets of the same indicator key. Pure: no I/O, no panics on input.
//!
//! # Decisions
//! - **The same year.** Only targets for one year are compared: a county's 2025 stage
//!   target is not held against the province's 2030 one, nor the reverse, since nothing
//!   says what a 2025 value must be for a 2030 goal. Such a pair is reported as
//!   [`Outcome::OtherYear`] (not comparable) with the upper target of the nearest year,
//!   so that a clerk sees why nothing was compared. It is reported only when the level
//!   above has no target of the same key for the lower target's year.
//! - **Weaker.** For ≥ and > a lower value is weaker, for ≤ and < a higher one. Values
//!   within the spec's tolerance ([`tolerance`] of the larger magnitude, so the verdict
//!   does not depend on which side is "lower") are tied; at a tie a strict comparator is
//!   the stronger (高于95% asks more than 95%以上). `=` (保持在…左右) against a one-sided
//!   target is read on that target's side, as a bound it holds at; `=` against `=`
//!   compares equality: equal, or [`Outcome::Differs`] (neither weaker nor stronger).
//!   One target aiming up and the other down ([`Outcome::OppositeDirection`]) means one of
//!   them was misread: not compared.
//! - **Units.** Equal units compare as they are. Units of one scale are converted by an
//!   exact power of ten (% ‰ 1/万 1/10万 are shares of one; 人 and 万人 are counts); any
//!   other difference is [`Outcome::OtherUnit`], not comparable.
//! - **Duplicates.** A target written by both of a region's plans (九年义务教育巩固率 in the
//!   women's and the children's plan) is compared once when both say the same.

use super::explain::goal_zh;
use super::target::tolerance;
use crate::plan::Comparator;
use serde::Serialize;
use std::cmp::Ordering;

/// One target as the comparison reads it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(
    feature = "openapi",
    derive(utoipa::ToSchema),
    schema(description = "参与对照的一项目标")
)]
pub struct Goal {
    /// The stored target's id (none for the national outlines).
    pub id: Option<i64>,
    /// The key values are filed under: the catalog code, or `local:{indicator}`.
    pub key: String,
    /// The indicator as the plan writes it.
    pub indicator: String,
    pub comparator: Comparator,
    pub value: f64,
    pub unit: String,
    pub year: i32,
}

impl Goal {
    /// "12/10万以下", as plans write a target.
    pub fn goal_zh(&self) -> String {
        goal_zh(self.comparator, self.value, &self.unit)
    }

    fn same_goal(&self, other: &Goal) -> bool {
        self.key == other.key
            && self.year == other.year
            && self.comparator == other.comparator
            && self.unit == other.unit
            && self.value.to_bits() == other.value.to_bits()
    }
}

/// One level above the region: a region's indicator system or the national outlines.
#[derive(Debug, Clone, PartialEq)]
pub struct Above {
    /// 河源市, 广东省; for the outlines [`OUTLINES`].
    pub name: String,
    /// The region's id; `None` for the national outlines.
    pub region_id: Option<i64>,
    pub goals: Vec<Goal>,
}

/// What the national outlines are called as a level above.
pub const OUTLINES: &str = "国家纲要";

/// How a lower target stands against an upper one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "openapi",
    derive(utoipa::ToSchema),
    schema(
        description = "对照结果：weaker 低于上级目标，differs 与上级目标不一致（均为“=”而数值不同），equal 与上级目标相同，stronger 高于上级目标，other_year 目标年份不同，other_unit 单位不同，opposite_direction 方向相反（后三种无法比较）"
    )
)]
pub enum Outcome {
    Weaker,
    Differs,
    Equal,
    Stronger,
    OtherYear,
    OtherUnit,
    OppositeDirection,
}

impl Outcome {
    pub fn label_zh(self) -> &'static str {
        match self {
            Outcome::Weaker => "低于上级目标",
            Outcome::Differs => "与上级目标不一致",
            Outcome::Equal => "与上级目标相同",
            Outcome::Stronger => "高于上级目标",
            Outcome::OtherYear => "目标年份不同",
            Outcome::OtherUnit => "单位不同",
            Outcome::OppositeDirection => "方向相反",
        }
    }

    /// Weaker or equal-but-different: what the region should look at.
    pub fn needs_attention(self) -> bool {
        matches!(self, Outcome::Weaker | Outcome::Differs)
    }

    /// Equal or stronger.
    pub fn not_weaker(self) -> bool {
        matches!(self, Outcome::Equal | Outcome::Stronger)
    }

    pub fn comparable(self) -> bool {
        !matches!(
            self,
            Outcome::OtherYear | Outcome::OtherUnit | Outcome::OppositeDirection
        )
    }

    /// Listing order: what needs attention first, what was not compared last.
    fn rank(self) -> u8 {
        match self {
            Outcome::Weaker => 0,
            Outcome::Differs => 1,
            Outcome::Equal | Outcome::Stronger => 2,
            Outcome::OtherYear | Outcome::OtherUnit | Outcome::OppositeDirection => 3,
        }
    }
}

/// One lower target against one upper target.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(
    feature = "openapi",
    derive(utoipa::ToSchema),
    schema(description = "本地区一项目标与上级一项目标的对照")
)]
pub struct Pair {
    /// The region's target.
    pub lower: Goal,
    /// The upper target.
    pub upper: Goal,
    /// The level above that sets it: 广东省, or 国家纲要.
    pub upper_name: String,
    /// Its region's id; `None` for the national outlines.
    pub upper_region_id: Option<i64>,
    pub outcome: Outcome,
    /// "连平县目标孕产妇死亡率12/10万以下，低于广东省规划目标10/10万以下".
    pub sentence: String,
}

/// How many pairs came out each way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(
    feature = "openapi",
    derive(utoipa::ToSchema),
    schema(description = "对照结果计数（按目标对）")
)]
pub struct Counts {
    /// 低于上级目标: pairs (one target may be weaker than the city's and the province's).
    pub weaker: usize,
    /// The region's targets weaker than at least one level above.
    pub weaker_targets: usize,
    /// 与上级目标不一致 (both `=`, other values).
    pub differs: usize,
    /// 不低于上级目标: equal or stronger.
    pub not_weaker: usize,
    /// 无法比较: other year, other unit, opposite direction.
    pub not_comparable: usize,
}

/// The comparison of one region's targets with every level above it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(
    feature = "openapi",
    derive(utoipa::ToSchema),
    schema(description = "本地区目标与上级目标的对照")
)]
pub struct Check {
    /// The region's name as the sentences say it.
    pub region: String,
    /// The levels compared with, nearest first (those that set no target of the region's
    /// indicators included).
    pub levels: Vec<String>,
    /// Weaker first, then 不一致, then equal or stronger, then the pairs not compared;
    /// within each, the region's targets in their order, then the levels nearest first.
    pub pairs: Vec<Pair>,
    pub counts: Counts,
}

/// Compares `own` (the region's targets) with the targets of each level `above` it,
/// nearest first. `region` names the region in the sentences.
pub fn check(region: &str, own: &[Goal], above: &[Above]) -> Check {
    let mut lower: Vec<&Goal> = Vec::new();
    for g in own {
        if !lower.iter().any(|l| l.same_goal(g)) {
            lower.push(g);
        }
    }
    let mut pairs = Vec::new();
    for l in &lower {
        for level in above {
            let same_key: Vec<&Goal> = level.goals.iter().filter(|u| u.key == l.key).collect();
            let same_year: Vec<&Goal> = same_key
                .iter()
                .copied()
                .filter(|u| u.year == l.year)
                .collect();
            let mut push = |u: &Goal, outcome: Outcome| {
                pairs.push(Pair {
                    sentence: sentence(region, l, u, &level.name, level.region_id, outcome),
                    lower: (*l).clone(),
                    upper: u.clone(),
                    upper_name: level.name.clone(),
                    upper_region_id: level.region_id,
                    outcome,
                });
            };
            if same_year.is_empty() {
                // The nearest year, the later one of two as near.
                if let Some(u) = same_key.iter().min_by_key(|u| {
                    (
                        (i64::from(u.year) - i64::from(l.year)).abs(),
                        std::cmp::Reverse(u.year),
                    )
                }) {
                    push(u, Outcome::OtherYear);
                }
                continue;
            }
            let mut seen: Vec<&Goal> = Vec::new();
            for u in same_year {
                if seen.iter().any(|s| s.same_goal(u)) {
                    continue;
                }
                seen.push(u);
                push(u, judge(l, u));
            }
        }
    }
    pairs.sort_by_key(|p| p.outcome.rank());
    let mut weaker_targets: Vec<&Goal> = Vec::new();
    for p in pairs.iter().filter(|p| p.outcome == Outcome::Weaker) {
        if !weaker_targets.iter().any(|g| g.same_goal(&p.lower)) {
            weaker_targets.push(&p.lower);
        }
    }
    let mut counts = Counts {
        weaker_targets: weaker_targets.len(),
        ..Counts::default()
    };
    for p in &pairs {
        match p.outcome {
            Outcome::Weaker => counts.weaker += 1,
            Outcome::Differs => counts.differs += 1,
            o if o.not_weaker() => counts.not_weaker += 1,
            _ => counts.not_comparable += 1,
        }
    }
    Check {
        region: region.to_string(),
        levels: above.iter().map(|a| a.name.clone()).collect(),
        pairs,
        counts,
    }
}

/// How `lower` stands against `upper` (same key and year assumed): converts the lower
/// value into the upper unit where both are of one scale, then [`compare`]s.
pub fn judge(lower: &Goal, upper: &Goal) -> Outcome {
    match convert(lower.value, &lower.unit, &upper.unit) {
        None => Outcome::OtherUnit,
        Some(v) => compare(lower.comparator, v, upper.comparator, upper.value),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Up,
    Down,
}

fn side(c: Comparator) -> Option<Side> {
    match c {
        Comparator::Ge | Comparator::Gt => Some(Side::Up),
        Comparator::Le | Comparator::Lt => Some(Side::Down),
        Comparator::Eq => None,
    }
}

fn strict(c: Comparator) -> bool {
    matches!(c, Comparator::Gt | Comparator::Lt)
}

/// The target `lc lv` against `uc uv`, both in one unit (see the module's decisions).
pub fn compare(lc: Comparator, lv: f64, uc: Comparator, uv: f64) -> Outcome {
    let tied = (lv - uv).abs() <= tolerance(f64::max(lv.abs(), uv.abs()));
    let dir = match (side(lc), side(uc)) {
        (Some(a), Some(b)) if a != b => return Outcome::OppositeDirection,
        (None, None) => {
            return if tied {
                Outcome::Equal
            } else {
                Outcome::Differs
            };
        }
        (Some(d), _) | (None, Some(d)) => d,
    };
    if tied {
        return match (strict(lc), strict(uc)) {
            (true, false) => Outcome::Stronger,
            (false, true) => Outcome::Weaker,
            _ => Outcome::Equal,
        };
    }
    // Past the tolerance the values are ordered (a NaN compares as weaker: not met).
    let higher = lv.partial_cmp(&uv) == Some(Ordering::Greater);
    match (dir, higher) {
        (Side::Up, true) | (Side::Down, false) if !lv.is_nan() => Outcome::Stronger,
        _ => Outcome::Weaker,
    }
}

/// The power of ten a unit counts in, within its scale: shares of one, or people.
fn scale(unit: &str) -> Option<(u8, i32)> {
    match unit {
        "%" => Some((0, -2)),
        "‰" => Some((0, -3)),
        "1/万" => Some((0, -4)),
        "1/10万" => Some((0, -5)),
        "人" => Some((1, 0)),
        "万人" => Some((1, 4)),
        _ => None,
    }
}

/// Exact powers of ten (all representable up to 1e22).
const POW10: [f64; 8] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7];

/// `value` in `from` written in `to`; `None` when the units are not of one scale. One
/// multiplication or division by an exact power of ten: correctly rounded.
pub fn convert(value: f64, from: &str, to: &str) -> Option<f64> {
    let (from, to) = (from.trim(), to.trim());
    if from == to {
        return Some(value);
    }
    let (sf, ef) = scale(from)?;
    let (st, et) = scale(to)?;
    if sf != st {
        return None;
    }
    let k = ef - et;
    let p = *POW10.get(k.unsigned_abs() as usize)?;
    Some(if k >= 0 { value * p } else { value / p })
}

fn sentence(
    region: &str,
    l: &Goal,
    u: &Goal,
    upper: &str,
    upper_region: Option<i64>,
    outcome: Outcome,
) -> String {
    // A region's own plan is 规划; the outlines are 纲要 already.
    let upper_goal_owner = if upper_region.is_none() && upper == OUTLINES {
        format!("{upper}目标")
    } else {
        format!("{upper}规划目标")
    };
    let own = format!("{region}目标{}{}", l.indicator, l.goal_zh());
    let theirs = format!("{upper_goal_owner}{}", u.goal_zh());
    match outcome {
        Outcome::Weaker => format!("{own}，低于{theirs}"),
        Outcome::Stronger => format!("{own}，高于{theirs}"),
        Outcome::Equal => format!("{own}，与{theirs}相同"),
        Outcome::Differs => format!("{own}，与{theirs}不一致"),
        Outcome::OtherYear => format!(
            "{region}目标{}为{}年{}，{upper_goal_owner}为{}年{}，年份不同，未作比较",
            l.indicator,
            l.year,
            l.goal_zh(),
            u.year,
            u.goal_zh()
        ),
        Outcome::OtherUnit => format!("{own}，{theirs}，单位不同，无法比较"),
        Outcome::OppositeDirection => format!("{own}，{theirs}，方向相反，请核对目标"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Comparator::{Eq as EQ, Ge, Gt, Le, Lt};
    use proptest::prelude::*;

    fn goal(key: &str, c: Comparator, v: f64, unit: &str, year: i32) -> Goal {
        Goal {
            id: None,
            key: key.into(),
            indicator: match key {
                "W-HEA-03" => "孕产妇死亡率".into(),
                "C-EDU-06" => "高中阶段毛入学率".into(),
                k => k.into(),
            },
            comparator: c,
            value: v,
            unit: unit.into(),
            year,
        }
    }

    fn level(name: &str, id: Option<i64>, goals: Vec<Goal>) -> Above {
        Above {
            name: name.into(),
            region_id: id,
            goals,
        }
    }

    #[test]
    fn a_county_allowing_more_maternal_deaths_than_its_province_is_weaker() {
        let own = [goal("W-HEA-03", Le, 12.0, "1/10万", 2030)];
        let above = [
            level(
                "广东省",
                Some(1),
                vec![goal("W-HEA-03", Le, 10.0, "1/10万", 2030)],
            ),
            level(
                OUTLINES,
                None,
                vec![goal("W-HEA-03", Le, 12.0, "1/10万", 2030)],
            ),
        ];
        let c = check("连平县", &own, &above);
        assert_eq!(c.pairs.len(), 2);
        assert_eq!(c.pairs[0].outcome, Outcome::Weaker);
        assert_eq!(
            c.pairs[0].sentence,
            "连平县目标孕产妇死亡率12/10万以下，低于广东省规划目标10/10万以下"
        );
        assert_eq!(c.pairs[0].upper_region_id, Some(1));
        assert_eq!(c.pairs[1].outcome, Outcome::Equal);
        assert_eq!(
            c.pairs[1].sentence,
            "连平县目标孕产妇死亡率12/10万以下，与国家纲要目标12/10万以下相同"
        );
        assert_eq!(
            c.counts,
            Counts {
                weaker: 1,
                weaker_targets: 1,
                differs: 0,
                not_weaker: 1,
                not_comparable: 0
            }
        );
        assert_eq!(c.levels, ["广东省", OUTLINES]);
    }

    #[test]
    fn a_lower_enrolment_goal_is_weaker_and_a_higher_one_stronger() {
        let upper = [level(
            OUTLINES,
            None,
            vec![goal("C-EDU-06", Ge, 92.0, "%", 2030)],
        )];
        let weaker = check("某县", &[goal("C-EDU-06", Ge, 90.0, "%", 2030)], &upper);
        assert_eq!(weaker.pairs[0].outcome, Outcome::Weaker);
        assert_eq!(
            weaker.pairs[0].sentence,
            "某县目标高中阶段毛入学率90%以上，低于国家纲要目标92%以上"
        );
        let stronger = check("某县", &[goal("C-EDU-06", Ge, 95.0, "%", 2030)], &upper);
        assert_eq!(stronger.pairs[0].outcome, Outcome::Stronger);
        // 保持在100% against 92%以上: held on the upper target's side.
        let kept = check("某县", &[goal("C-EDU-06", EQ, 100.0, "%", 2030)], &upper);
        assert_eq!(kept.pairs[0].outcome, Outcome::Stronger);
    }

    #[test]
    fn only_targets_of_one_year_are_compared() {
        let own = [
            goal("W-HEA-03", Le, 14.0, "1/10万", 2025),
            goal("W-HEA-03", Le, 11.0, "1/10万", 2030),
        ];
        let above = [level(
            "广东省",
            Some(1),
            vec![goal("W-HEA-03", Le, 10.0, "1/10万", 2030)],
        )];
        let c = check("连平县", &own, &above);
        let outcomes: Vec<(i32, Outcome)> =
            c.pairs.iter().map(|p| (p.lower.year, p.outcome)).collect();
        assert_eq!(
            outcomes,
            [(2030, Outcome::Weaker), (2025, Outcome::OtherYear)]
        );
        assert_eq!(
            c.pairs[1].sentence,
            "连平县目标孕产妇死亡率为2025年14/10万以下，广东省规划目标为2030年10/10万以下，年份不同，未作比较"
        );
        assert_eq!(c.counts.not_comparable, 1);
    }

    #[test]
    fn units_of_one_scale_are_converted_and_others_not_compared() {
        // 0.12‰ is 12/10万.
        assert_eq!(
            judge(
                &goal("W-HEA-03", Le, 0.12, "‰", 2030),
                &goal("W-HEA-03", Le, 12.0, "1/10万", 2030)
            ),
            Outcome::Equal
        );
        assert_eq!(
            judge(
                &goal("k", Ge, 1.2, "万人", 2030),
                &goal("k", Ge, 13000.0, "人", 2030)
            ),
            Outcome::Weaker
        );
        assert_eq!(
            judge(
                &goal("k", Ge, 5.0, "个", 2030),
                &goal("k", Ge, 5.0, "%", 2030)
            ),
            Outcome::OtherUnit
        );
        assert_eq!(convert(12.0, "1/10万", "%"), Some(12.0 / 1000.0));
        assert_eq!(convert(3.0, "岁", "年"), None);
    }

    #[test]
    fn ties_strictness_equality_and_direction() {
        assert_eq!(compare(Ge, 95.0, Gt, 95.0), Outcome::Weaker);
        assert_eq!(compare(Gt, 95.0, Ge, 95.0), Outcome::Stronger);
        assert_eq!(compare(Le, 5.0 + 1e-12, Le, 5.0), Outcome::Equal);
        assert_eq!(compare(EQ, 45.0, EQ, 45.0), Outcome::Equal);
        assert_eq!(compare(EQ, 50.0, EQ, 45.0), Outcome::Differs);
        assert_eq!(compare(Ge, 90.0, Le, 10.0), Outcome::OppositeDirection);
        assert_eq!(compare(Lt, 5.0, Le, 5.0), Outcome::Stronger);
        assert_eq!(compare(Le, f64::NAN, Le, 5.0), Outcome::Weaker);
    }

    #[test]
    fn a_target_both_plans_set_alike_is_compared_once() {
        let own = [
            goal("C-EDU-06", Ge, 90.0, "%", 2030),
            goal("C-EDU-06", Ge, 90.0, "%", 2030),
        ];
        let above = [level(
            OUTLINES,
            None,
            vec![
                goal("C-EDU-06", Ge, 92.0, "%", 2030),
                goal("C-EDU-06", Ge, 92.0, "%", 2030),
            ],
        )];
        assert_eq!(check("某县", &own, &above).pairs.len(), 1);
        // An indicator no level above sets gives no pair.
        let none = check("某县", &[goal("local:x", Ge, 1.0, "%", 2030)], &above);
        assert!(none.pairs.is_empty());
        assert_eq!(none.counts, Counts::default());
    }

    fn comparator() -> impl Strategy<Value = Comparator> {
        prop_oneof![Just(Ge), Just(Gt), Just(Le), Just(Lt), Just(EQ)]
    }

    fn mirrored(o: Outcome) -> Outcome {
        match o {
            Outcome::Weaker => Outcome::Stronger,
            Outcome::Stronger => Outcome::Weaker,
            o => o,
        }
    }

    proptest! {
        #[test]
        fn swapping_the_levels_mirrors_the_verdict(
            lc in comparator(), uc in comparator(),
            lv in -1e6f64..1e6, uv in -1e6f64..1e6, same in any::<bool>(),
        ) {
            let uv = if same { lv } else { uv };
            prop_assert_eq!(compare(lc, lv, uc, uv), mirrored(compare(uc, uv, lc, lv)));
        }

        #[test]
        fn equal_targets_are_never_weaker(c in comparator(), v in -1e9f64..1e9) {
            prop_assert_eq!(compare(c, v, c, v), Outcome::Equal);
        }

        #[test]
        fn asking_more_never_makes_a_target_weaker(
            c in prop_oneof![Just(Ge), Just(Gt), Just(Le), Just(Lt)],
            uc in comparator(), lv in 0f64..1000.0, uv in 0f64..1000.0, more in 0f64..100.0,
        ) {
            let before = compare(c, lv, uc, uv);
            let tighter = if matches!(c, Ge | Gt) { lv + more } else { lv - more };
            let after = compare(c, tighter, uc, uv);
            if before != Outcome::Weaker {
                prop_assert_ne!(after, Outcome::Weaker);
            }
        }

        #[test]
        fn a_converted_target_keeps_its_verdict(
            c in comparator(), uc in comparator(), lv in 0f64..100.0, uv in 0f64..100.0,
        ) {
            // The same targets written in ‰ instead of %.
            let percent = judge(&goal("k", c, lv, "%", 2030), &goal("k", uc, uv, "%", 2030));
            let permille = judge(
                &goal("k", c, lv * 10.0, "‰", 2030),
                &goal("k", uc, uv, "%", 2030),
            );
            prop_assume!((lv - uv).abs() > 1e-6);
            prop_assert_eq!(percent, permille);
        }

        #[test]
        fn check_never_panics_and_counts_every_pair(
            own in proptest::collection::vec((comparator(), -1e3f64..1e3, 2025i32..2031), 0..6),
            up in proptest::collection::vec((comparator(), -1e3f64..1e3, 2025i32..2031), 0..6),
        ) {
            let own: Vec<Goal> = own.into_iter().map(|(c, v, y)| goal("k", c, v, "%", y)).collect();
            let up: Vec<Goal> = up.into_iter().map(|(c, v, y)| goal("k", c, v, "%", y)).collect();
            let c = check("某县", &own, &[level("某市", Some(2), up)]);
            let n = c.counts.weaker + c.counts.differs + c.counts.not_weaker + c.counts.not_comparable;
            prop_assert_eq!(n, c.pairs.len());
            // Targets weaker than some level: no more than the weaker pairs, some if any.
            prop_assert!(c.counts.weaker_targets <= c.counts.weaker);
            prop_assert_eq!(c.counts.weaker_targets > 0, c.counts.weaker > 0);
            let ranks: Vec<u8> = c.pairs.iter().map(|p| p.outcome.rank()).collect();
            prop_assert!(ranks.windows(2).all(|w| w[0] <= w[1]));
        }
    }
}
