//! Units as plans write them, and their normalised form.

/// A unit recognised after a number: the surface form, the normalised unit, and the factor
/// that turns the written number into a value of the normalised unit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct UnitMatch {
    pub len: usize,
    pub unit: &'static str,
    pub factor: f64,
}

/// Longest surface forms first.
const UNITS: &[(&str, &str, f64)] = &[
    ("个百分点", "百分点", 1.0),
    ("百分点", "百分点", 1.0),
    ("平方公里", "平方公里", 1.0),
    ("平方米", "平方米", 1.0),
    ("万人次", "万人次", 1.0),
    ("万人", "万人", 1.0),
    ("万户", "万户", 1.0),
    ("万元", "元", 10_000.0),
    ("亿元", "元", 100_000_000.0),
    ("人次", "人次", 1.0),
    ("小时", "小时", 1.0),
    ("分贝", "分贝", 1.0),
    ("分钟", "分钟", 1.0),
    ("公里", "公里", 1.0),
    ("千克", "千克", 1.0),
    ("公斤", "千克", 1.0),
    ("厘米", "厘米", 1.0),
    ("学时", "学时", 1.0),
    ("课时", "课时", 1.0),
    ("周岁", "岁", 1.0),
    ("%", "%", 1.0),
    ("‰", "‰", 1.0),
    ("㎡", "平方米", 1.0),
    ("岁", "岁", 1.0),
    ("年", "年", 1.0),
    ("个", "个", 1.0),
    ("所", "所", 1.0),
    ("人", "人", 1.0),
    ("名", "人", 1.0),
    ("位", "人", 1.0),
    ("天", "天", 1.0),
    ("日", "天", 1.0),
    ("元", "元", 1.0),
    ("次", "次", 1.0),
    ("张", "张", 1.0),
    ("家", "家", 1.0),
    ("处", "处", 1.0),
    ("项", "项", 1.0),
    ("倍", "倍", 1.0),
    ("件", "件", 1.0),
    ("册", "册", 1.0),
    ("本", "册", 1.0),
    ("台", "台", 1.0),
    ("支", "支", 1.0),
    ("套", "套", 1.0),
    ("间", "间", 1.0),
    ("户", "户", 1.0),
    ("座", "座", 1.0),
    ("条", "条", 1.0),
    ("场", "场", 1.0),
    ("期", "期", 1.0),
    ("批", "批", 1.0),
    ("节", "节", 1.0),
    ("米", "米", 1.0),
    ("分", "分", 1.0),
];

/// The unit table as chars, built once: matching runs at every number of a document.
fn units() -> &'static [(Vec<char>, &'static str, f64)] {
    static TABLE: std::sync::OnceLock<Vec<(Vec<char>, &'static str, f64)>> =
        std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        UNITS
            .iter()
            .map(|&(s, u, f)| (s.chars().collect(), u, f))
            .collect()
    })
}

/// The unit that starts at `chars[i]`, if any.
pub fn unit_at(chars: &[char], i: usize) -> Option<UnitMatch> {
    let first = *chars.get(i)?;
    for (surface, unit, factor) in units() {
        let len = surface.len();
        if surface[0] == first && i + len <= chars.len() && chars[i..i + len] == surface[..] {
            return Some(UnitMatch {
                len,
                unit,
                factor: *factor,
            });
        }
    }
    None
}

/// The unit a bracketed indicator name states: "孕产妇死亡率（1/10万）" → "1/10万",
/// "妇女人均预期寿命（岁）" → "岁". Input is folded text.
pub fn unit_in_brackets(name: &str) -> Option<&'static str> {
    let open = name.rfind('(')?;
    let inner = name[open + 1..].trim_end_matches(')').trim();
    normalise(inner)
}

/// Normalises a unit written on its own ("1/10万", "%", "个百分点", "万分之一").
pub fn normalise(unit: &str) -> Option<&'static str> {
    let u = unit.trim();
    match u {
        "1/10万" | "/10万" | "1/100000" | "十万分之一" | "1/十万" => {
            return Some("1/10万");
        }
        "1/万" | "万分之一" => return Some("1/10万"),
        "比" | "比值" => return Some("比"),
        _ => {}
    }
    let chars: Vec<char> = u.chars().collect();
    let m = unit_at(&chars, 0)?;
    (m.len == chars.len()).then_some(m.unit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn longest_unit_wins() {
        let chars: Vec<char> = "个百分点以上".chars().collect();
        assert_eq!(unit_at(&chars, 0).map(|m| m.unit), Some("百分点"));
        let chars: Vec<char> = "万人".chars().collect();
        assert_eq!(unit_at(&chars, 0).map(|m| m.unit), Some("万人"));
        let chars: Vec<char> = "名".chars().collect();
        assert_eq!(unit_at(&chars, 0).map(|m| m.unit), Some("人"));
    }

    #[test]
    fn units_from_indicator_brackets() {
        assert_eq!(unit_in_brackets("孕产妇死亡率(1/10万)"), Some("1/10万"));
        assert_eq!(unit_in_brackets("妇女人均预期寿命(岁)"), Some("岁"));
        assert_eq!(unit_in_brackets("婚前医学检查率(%)"), Some("%"));
        assert_eq!(unit_in_brackets("出生人口性别比"), None);
    }
}
