//! Comparator words: the verb before a target value (达到, 控制在, 不低于 …) and the word
//! after it (以上, 以下, 左右 …).

use planwatch_core::Comparator;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VerbKind {
    /// A value to reach or stay within: 达到 98%, 控制在 2% 以下, 不低于 1:3.
    Level,
    /// A change relative to a base: 下降 20%, 每年降低 1 个百分点. `up` tells the direction.
    Change { up: bool },
}

/// A comparator verb found in the text, ending where the value begins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verb {
    pub start: usize,
    pub end: usize,
    pub comparator: Comparator,
    pub kind: VerbKind,
}

use Comparator::{Eq as EQ, Ge, Gt, Le, Lt};

/// Verbs that end directly before a number; longest first so 提高到 wins over 提高.
const VERBS: &[(&str, Comparator, VerbKind)] = &[
    ("不低于", Ge, VerbKind::Level),
    ("不少于", Ge, VerbKind::Level),
    ("不小于", Ge, VerbKind::Level),
    ("不高于", Le, VerbKind::Level),
    ("不超过", Le, VerbKind::Level),
    ("不多于", Le, VerbKind::Level),
    ("不大于", Le, VerbKind::Level),
    ("提高到", Ge, VerbKind::Level),
    ("提高至", Ge, VerbKind::Level),
    ("提升到", Ge, VerbKind::Level),
    ("提升至", Ge, VerbKind::Level),
    ("增加到", Ge, VerbKind::Level),
    ("增加至", Ge, VerbKind::Level),
    ("增长到", Ge, VerbKind::Level),
    ("增长至", Ge, VerbKind::Level),
    ("上升到", Ge, VerbKind::Level),
    ("上升至", Ge, VerbKind::Level),
    ("扩大到", Ge, VerbKind::Level),
    ("扩大至", Ge, VerbKind::Level),
    ("延长到", Ge, VerbKind::Level),
    ("延长至", Ge, VerbKind::Level),
    ("巩固在", Ge, VerbKind::Level),
    ("巩固到", Ge, VerbKind::Level),
    ("达到了", Ge, VerbKind::Level),
    ("控制在", Le, VerbKind::Level),
    ("控制到", Le, VerbKind::Level),
    ("控制于", Le, VerbKind::Level),
    ("降低到", Le, VerbKind::Level),
    ("降低至", Le, VerbKind::Level),
    ("下降到", Le, VerbKind::Level),
    ("下降至", Le, VerbKind::Level),
    ("下降为", Le, VerbKind::Level),
    ("减少到", Le, VerbKind::Level),
    ("减少至", Le, VerbKind::Level),
    ("缩小到", Le, VerbKind::Level),
    ("缩小至", Le, VerbKind::Level),
    ("缩短到", Le, VerbKind::Level),
    ("缩短至", Le, VerbKind::Level),
    ("压缩到", Le, VerbKind::Level),
    ("保持在", EQ, VerbKind::Level),
    ("稳定在", EQ, VerbKind::Level),
    ("维持在", EQ, VerbKind::Level),
    ("不低于", Ge, VerbKind::Level),
    ("达到", Ge, VerbKind::Level),
    ("达", Ge, VerbKind::Level),
    ("超过", Gt, VerbKind::Level),
    // "力争突破50%": to break through a level is to exceed it.
    ("突破", Gt, VerbKind::Level),
    ("高于", Gt, VerbKind::Level),
    ("大于", Gt, VerbKind::Level),
    ("多于", Gt, VerbKind::Level),
    ("低于", Lt, VerbKind::Level),
    ("少于", Lt, VerbKind::Level),
    ("小于", Lt, VerbKind::Level),
    ("降至", Le, VerbKind::Level),
    ("控制", Le, VerbKind::Level),
    ("建有", Ge, VerbKind::Level),
    ("设有", Ge, VerbKind::Level),
    ("设立", Ge, VerbKind::Level),
    ("改扩建", Ge, VerbKind::Level),
    ("培育", Ge, VerbKind::Level),
    ("培树", Ge, VerbKind::Level),
    ("打造", Ge, VerbKind::Level),
    ("创建", Ge, VerbKind::Level),
    ("扶持", Ge, VerbKind::Level),
    ("设", Ge, VerbKind::Level),
    ("新增", Ge, VerbKind::Level),
    ("减至", Le, VerbKind::Level),
    ("低至", Le, VerbKind::Level),
    ("增至", Ge, VerbKind::Level),
    ("升至", Ge, VerbKind::Level),
    ("保持", EQ, VerbKind::Level),
    ("维持", EQ, VerbKind::Level),
    ("实现", Ge, VerbKind::Level),
    ("设置", Ge, VerbKind::Level),
    ("建成", Ge, VerbKind::Level),
    ("建立", Ge, VerbKind::Level),
    ("建设", Ge, VerbKind::Level),
    ("新建", Ge, VerbKind::Level),
    ("配备", Ge, VerbKind::Level),
    ("拥有", Ge, VerbKind::Level),
    ("开展", Ge, VerbKind::Level),
    ("培训", Ge, VerbKind::Level),
    ("为", EQ, VerbKind::Level),
    ("在", EQ, VerbKind::Level),
    (">=", Ge, VerbKind::Level),
    ("<=", Le, VerbKind::Level),
    ("≥", Ge, VerbKind::Level),
    ("≤", Le, VerbKind::Level),
    (">", Gt, VerbKind::Level),
    ("<", Lt, VerbKind::Level),
    ("=", EQ, VerbKind::Level),
    ("下降", Ge, VerbKind::Change { up: false }),
    ("降低", Ge, VerbKind::Change { up: false }),
    ("减少", Ge, VerbKind::Change { up: false }),
    ("缩小", Ge, VerbKind::Change { up: false }),
    ("提高", Ge, VerbKind::Change { up: true }),
    ("提升", Ge, VerbKind::Change { up: true }),
    ("增长", Ge, VerbKind::Change { up: true }),
    ("增加", Ge, VerbKind::Change { up: true }),
    ("上升", Ge, VerbKind::Change { up: true }),
];

fn verbs() -> &'static [(Vec<char>, Comparator, VerbKind)] {
    static TABLE: std::sync::OnceLock<Vec<(Vec<char>, Comparator, VerbKind)>> =
        std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        VERBS
            .iter()
            .map(|&(s, c, k)| (s.chars().collect(), c, k))
            .collect()
    })
}

/// The comparator verb that ends at `end` (spaces between verb and number are skipped).
pub fn verb_before(chars: &[char], end: usize) -> Option<Verb> {
    let mut end = end.min(chars.len());
    while end > 0 && chars[end - 1] == ' ' {
        end -= 1;
    }
    let mut best: Option<Verb> = None;
    let last = *chars.get(end.checked_sub(1)?)?;
    for (surface, comparator, kind) in verbs() {
        let (comparator, kind) = (*comparator, *kind);
        let len = surface.len();
        if len > end || surface[len - 1] != last {
            continue;
        }
        let start = end - len;
        if chars[start..end] == surface[..] && best.is_none_or(|b| start < b.start) {
            best = Some(Verb {
                start,
                end,
                comparator,
                kind,
            });
        }
    }
    best
}

/// What a word after the value does to the comparator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Suffix {
    /// 以上, 及以上
    AtLeast,
    /// 以下, 以内, 之内
    AtMost,
    /// 左右: the verb's comparator stands.
    About,
}

pub fn suffix_at(chars: &[char], i: usize) -> Option<(Suffix, usize)> {
    const SUFFIXES: &[(&str, Suffix)] = &[
        ("及其以上", Suffix::AtLeast),
        ("及以上", Suffix::AtLeast),
        ("及以下", Suffix::AtMost),
        ("以上", Suffix::AtLeast),
        ("以下", Suffix::AtMost),
        ("以内", Suffix::AtMost),
        ("之内", Suffix::AtMost),
        ("左右", Suffix::About),
    ];
    let mut j = i;
    while j < chars.len() && chars[j] == ' ' {
        j += 1;
    }
    for &(surface, suffix) in SUFFIXES {
        let len = surface.chars().count();
        if j + len <= chars.len() && chars[j..j + len].iter().copied().eq(surface.chars()) {
            return Some((suffix, j + len - i));
        }
    }
    None
}

/// The comparator of a ratio target once the term it bounds is known. Plans write the
/// ratio of the sexes men first ("男女厕位比例不低于1:1.5", "男女厕位比 不低于2:3") and mean
/// that the women's term is at least that large: women's places at least 1.5 per man's.
/// The value stays A/B as written (men per woman, 0.667, as the catalog defines the
/// indicator), so the bound turns over: 男/女 ≤ 0.667, and a county at 1:1 (1.0) fails.
/// Other ratios (师生比不低于1:15: teachers per pupil) keep the comparator.
pub fn ratio_comparator(name: &str, unit: &str, comparator: Comparator) -> Comparator {
    let men_first = name.contains("男女") || name.contains("男性与女性") || name.contains("男:女");
    if unit != "比" || !men_first {
        return comparator;
    }
    match comparator {
        Ge => Le,
        Gt => Lt,
        Le => Ge,
        Lt => Gt,
        EQ => EQ,
    }
}

/// The comparator a verb and a suffix give together: the suffix decides where it bounds,
/// 左右 keeps the verb's (保持在50%左右 → =, 控制在3.5%左右 → <=).
pub fn combine(verb: Option<Comparator>, suffix: Option<Suffix>) -> Comparator {
    match (verb, suffix) {
        (_, Some(Suffix::AtLeast)) => match verb {
            Some(Gt) => Gt,
            _ => Ge,
        },
        (_, Some(Suffix::AtMost)) => match verb {
            Some(Lt) => Lt,
            _ => Le,
        },
        (Some(c), _) => c,
        (None, _) => EQ,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verb(text: &str) -> Option<(Comparator, VerbKind, usize)> {
        let chars: Vec<char> = text.chars().collect();
        verb_before(&chars, chars.len()).map(|v| (v.comparator, v.kind, v.start))
    }

    #[test]
    fn a_ratio_of_the_sexes_bounds_the_womens_term() {
        assert_eq!(ratio_comparator("城镇公共厕所男女厕位比例", "比", Ge), Le);
        assert_eq!(ratio_comparator("城镇公共厕所男女厕位比", "比", Le), Ge);
        assert_eq!(ratio_comparator("师生比", "比", Ge), Ge);
        assert_eq!(ratio_comparator("男女厕位比例", "%", Ge), Ge);
    }

    #[test]
    fn breaking_through_a_level_is_exceeding_it() {
        assert_eq!(verb("力争突破"), Some((Gt, VerbKind::Level, 2)));
    }

    #[test]
    fn longest_verb_wins() {
        assert_eq!(verb("婚前医学检查率提高到"), Some((Ge, VerbKind::Level, 7)));
        assert_eq!(
            verb("伤害死亡率下降"),
            Some((Ge, VerbKind::Change { up: false }, 5))
        );
        assert_eq!(verb("孕产妇死亡率控制在"), Some((Le, VerbKind::Level, 6)));
        assert_eq!(verb("比例不低于"), Some((Ge, VerbKind::Level, 2)));
        assert_eq!(verb("检测率达"), Some((Ge, VerbKind::Level, 3)));
    }

    #[test]
    fn suffix_decides_and_about_keeps_the_verb() {
        assert_eq!(combine(Some(EQ), Some(Suffix::AtMost)), Le);
        assert_eq!(combine(Some(Ge), Some(Suffix::AtLeast)), Ge);
        assert_eq!(combine(Some(EQ), Some(Suffix::About)), EQ);
        assert_eq!(combine(Some(Le), Some(Suffix::About)), Le);
        assert_eq!(combine(None, None), EQ);
        assert_eq!(combine(Some(Lt), None), Lt);
    }

    #[test]
    fn suffixes() {
        let chars: Vec<char> = "以上，".chars().collect();
        assert_eq!(suffix_at(&chars, 0), Some((Suffix::AtLeast, 2)));
        let chars: Vec<char> = " 左右".chars().collect();
        assert_eq!(suffix_at(&chars, 0), Some((Suffix::About, 3)));
    }
}
