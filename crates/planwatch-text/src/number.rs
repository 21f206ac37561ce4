//! Numbers as plans write them: Arabic (98.5, 2.5万), Chinese numerals (一百二十, 两),
//! fractions (十万分之九, 百分之八十, 三分之一), rates per 100,000 (12/10万) and ratios (1:3).

use crate::unit::unit_at;

/// A number with its normalised unit, found at `start..end` (char indexes).
#[derive(Debug, Clone, PartialEq)]
pub struct Quantity {
    pub value: f64,
    /// Normalised unit; empty when the text gives none.
    pub unit: String,
    pub start: usize,
    pub end: usize,
}

fn digit_value(c: char) -> Option<u64> {
    Some(match c {
        '零' | '〇' => 0,
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

fn is_cn_numeral(c: char) -> bool {
    digit_value(c).is_some() || matches!(c, '十' | '百' | '千' | '万' | '亿')
}

/// The longest run of Chinese numerals read as one number ("九千九百九十九万九千九百九十九"
/// is 15). A longer run is no number a plan writes; scanning past this bound would let a
/// run of n numerals cost n² when every position of it is tried as a start.
const MAX_NUMERAL_RUN: usize = 16;

/// End of the run of numerals (and, when `digits`, ASCII digits) at `i`, or None when the
/// run is longer than [`MAX_NUMERAL_RUN`].
fn numeral_run_end(chars: &[char], i: usize, digits: bool) -> Option<usize> {
    let mut j = i;
    while j < chars.len() && (is_cn_numeral(chars[j]) || digits && chars[j].is_ascii_digit()) {
        j += 1;
        if j - i > MAX_NUMERAL_RUN {
            return None;
        }
    }
    Some(j)
}

/// Parses a Chinese integer ("一百二十", "十", "十万", "两"). Returns None for text that is
/// not a well-formed numeral.
pub fn parse_chinese_integer(s: &str) -> Option<u64> {
    let mut total: u64 = 0; // completed 万/亿 sections
    let mut section: u64 = 0; // below 万
    let mut digit: Option<u64> = None;
    let mut any = false;
    for c in s.chars() {
        any = true;
        if let Some(d) = digit_value(c) {
            digit = Some(d);
            continue;
        }
        let unit = match c {
            '十' => 10,
            '百' => 100,
            '千' => 1000,
            '万' => 10_000,
            '亿' => 100_000_000,
            _ => return None,
        };
        if unit >= 10_000 {
            section += digit.take().unwrap_or(0);
            let value = if section == 0 { 1 } else { section };
            total = total.checked_add(value.checked_mul(unit)?)?;
            section = 0;
        } else {
            section += digit.take().unwrap_or(1) * unit;
        }
    }
    if !any {
        return None;
    }
    Some(total + section + digit.unwrap_or(0))
}

/// Rounds to `decimals` places: shares (33.33) and ratios (0.333) keep what a person writes.
pub fn round_to(value: f64, decimals: i32) -> f64 {
    let f = 10f64.powi(decimals);
    (value * f).round() / f
}

/// A fraction written in words: "十万分之九" → 9 per 1/10万, "万分之一" → 10 per 1/10万,
/// "百分之八十" → 80 %, "千分之五" → 5 ‰, "三分之一" → 33.33 %.
fn fraction_at(chars: &[char], i: usize) -> Option<Quantity> {
    // Denominator: Chinese numerals or digits, then 分之.
    let j = numeral_run_end(chars, i, true)?;
    if j == i || j + 2 > chars.len() || chars[j] != '分' || chars.get(j + 1) != Some(&'之') {
        return None;
    }
    let den_text: String = chars[i..j].iter().collect();
    let denominator = den_text.parse::<u64>().ok().or_else(|| {
        // "百分之" and "千分之" leave out the leading 一.
        parse_chinese_integer(&den_text)
    })?;
    let mut k = j + 2;
    let num_start = k;
    while k < chars.len()
        && k - num_start <= MAX_NUMERAL_RUN
        && (is_cn_numeral(chars[k])
            || chars[k].is_ascii_digit()
            || chars[k] == '.'
            || chars[k] == '点')
    {
        k += 1;
    }
    // A trailing '.' is sentence punctuation, not a decimal point.
    while k > num_start && matches!(chars[k - 1], '.' | '点') {
        k -= 1;
    }
    if k == num_start {
        return None;
    }
    let num_text: String = chars[num_start..k].iter().collect();
    let numerator = num_text
        .parse::<f64>()
        .ok()
        .or_else(|| chinese_decimal(&num_text))?;
    if denominator == 0 {
        return None;
    }
    let (value, unit) = match denominator {
        100 => (numerator, "%"),
        1000 => (numerator, "‰"),
        10_000 => (numerator * 10.0, "1/10万"),
        100_000 => (numerator, "1/10万"),
        d => (round_to(numerator / d as f64 * 100.0, 2), "%"),
    };
    Some(Quantity {
        value,
        unit: unit.to_string(),
        start: i,
        end: k,
    })
}

/// "八十" → 80, "九十五点五" → 95.5.
fn chinese_decimal(s: &str) -> Option<f64> {
    match s.split_once('点') {
        Some((int, frac)) => {
            let int = parse_chinese_integer(int)? as f64;
            let mut digits = String::new();
            for c in frac.chars() {
                digits.push(char::from_digit(digit_value(c)? as u32, 10)?);
            }
            format!("{int}.{digits}").parse().ok()
        }
        None => parse_chinese_integer(s).map(|v| v as f64),
    }
}

fn arabic_at(chars: &[char], i: usize) -> Option<(f64, usize)> {
    let mut j = i;
    while j < chars.len() && chars[j].is_ascii_digit() {
        j += 1;
    }
    if j == i {
        return None;
    }
    if j + 1 < chars.len() && chars[j] == '.' && chars[j + 1].is_ascii_digit() {
        j += 1;
        while j < chars.len() && chars[j].is_ascii_digit() {
            j += 1;
        }
    }
    let text: String = chars[i..j].iter().filter(|c| **c != ',').collect();
    text.parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .map(|v| (v, j))
}

/// Is `chars[i..]` a calendar year ("2025年", "2020—2025")? Years are not quantities.
pub fn is_year_at(chars: &[char], i: usize) -> bool {
    let Some((v, end)) = arabic_at(chars, i) else {
        return false;
    };
    let four_digits = end - i == 4 && v.fract() == 0.0 && (1949.0..=2100.0).contains(&v);
    four_digits
        && matches!(
            chars.get(end),
            Some('年' | '-' | '—' | '~' | '至' | '到' | '、' | '和' | '及')
        )
}

/// The quantity that starts at `chars[i]`: a number and its unit. Chars are folded text.
/// Calendar years are refused.
pub fn parse_quantity_at(chars: &[char], i: usize) -> Option<Quantity> {
    let c = *chars.get(i)?;
    if i > 0 && (chars[i - 1].is_ascii_digit() || chars[i - 1] == '.') {
        return None;
    }
    if let Some(q) = fraction_at(chars, i) {
        return Some(q);
    }
    if c.is_ascii_digit() {
        if is_year_at(chars, i) {
            return None;
        }
        let (mut value, mut j) = arabic_at(chars, i)?;
        // "12/10万" and "9/十万": a rate per 100,000.
        for per in ["/10万", "/十万", "/100000"] {
            let len = per.chars().count();
            if j + len <= chars.len() && chars[j..j + len].iter().copied().eq(per.chars()) {
                return Some(Quantity {
                    value,
                    unit: "1/10万".into(),
                    start: i,
                    end: j + len,
                });
            }
        }
        if j + 2 <= chars.len() && chars[j] == '/' && chars[j + 1] == '万' {
            return Some(Quantity {
                value: value * 10.0,
                unit: "1/10万".into(),
                start: i,
                end: j + 2,
            });
        }
        // "1:3" and "2:3": a ratio, the value as written.
        if j + 1 < chars.len() && chars[j] == ':' && chars[j + 1].is_ascii_digit() {
            let (b, end) = arabic_at(chars, j + 1)?;
            if b == 0.0 {
                return None;
            }
            return Some(Quantity {
                value: round_to(value / b, 3),
                unit: "比".into(),
                start: i,
                end,
            });
        }
        // "2.5万" is 25,000 unless the unit itself is 万人/万元 …
        if chars.get(j) == Some(&'万') && unit_at(chars, j).is_none() {
            value *= 10_000.0;
            j += 1;
        }
        let (unit, end, factor) = match unit_at(chars, j) {
            Some(m) => (m.unit.to_string(), j + m.len, m.factor),
            None => (String::new(), j, 1.0),
        };
        return Some(Quantity {
            value: value * factor,
            unit,
            start: i,
            end,
        });
    }
    if is_cn_numeral(c) {
        let j = numeral_run_end(chars, i, false)?;
        // Chinese numerals count only with a unit: "一所", "两个"; a bare 一 is a word.
        let m = unit_at(chars, j)?;
        let text: String = chars[i..j].iter().collect();
        let value = parse_chinese_integer(&text)? as f64;
        return Some(Quantity {
            value: value * m.factor,
            unit: m.unit.to_string(),
            start: i,
            end: j + m.len,
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(text: &str) -> Option<(f64, String)> {
        let chars: Vec<char> = text.chars().collect();
        parse_quantity_at(&chars, 0).map(|q| (q.value, q.unit))
    }

    #[test]
    fn chinese_integers() {
        assert_eq!(parse_chinese_integer("十"), Some(10));
        assert_eq!(parse_chinese_integer("十五"), Some(15));
        assert_eq!(parse_chinese_integer("一百二十"), Some(120));
        assert_eq!(parse_chinese_integer("两"), Some(2));
        assert_eq!(parse_chinese_integer("十万"), Some(100_000));
        assert_eq!(parse_chinese_integer("三千零五"), Some(3005));
        assert_eq!(parse_chinese_integer("一万二千"), Some(12_000));
        assert_eq!(parse_chinese_integer("是"), None);
    }

    #[test]
    fn fractions_in_words() {
        assert_eq!(q("十万分之九以下"), Some((9.0, "1/10万".into())));
        assert_eq!(q("万分之一以下"), Some((10.0, "1/10万".into())));
        assert_eq!(q("百分之八十"), Some((80.0, "%".into())));
        assert_eq!(q("千分之五"), Some((5.0, "‰".into())));
        assert_eq!(q("三分之一以上"), Some((33.33, "%".into())));
        assert_eq!(q("百分之九十五点五"), Some((95.5, "%".into())));
    }

    #[test]
    fn arabic_numbers_with_units() {
        assert_eq!(q("12/10万以下"), Some((12.0, "1/10万".into())));
        assert_eq!(q("98.5%以上"), Some((98.5, "%".into())));
        assert_eq!(q("5‰"), Some((5.0, "‰".into())));
        assert_eq!(q("1个百分点"), Some((1.0, "百分点".into())));
        assert_eq!(q("2.5万人"), Some((2.5, "万人".into())));
        assert_eq!(q("2.5万"), Some((25_000.0, "".into())));
        assert_eq!(q("82.3岁"), Some((82.3, "岁".into())));
        assert_eq!(q("15分钟"), Some((15.0, "分钟".into())));
        assert_eq!(q("3万元"), Some((30_000.0, "元".into())));
    }

    #[test]
    fn ratios_are_values_with_unit_bi() {
        assert_eq!(q("1:3"), Some((0.333, "比".into())));
        assert_eq!(q("2:3"), Some((0.667, "比".into())));
    }

    #[test]
    fn years_and_bare_chinese_words_are_not_quantities() {
        assert_eq!(q("2025年"), None);
        assert_eq!(q("2021—2030"), None);
        assert_eq!(q("一是"), None);
        assert_eq!(q("一所"), Some((1.0, "所".into())));
    }

    #[test]
    fn a_run_of_numerals_longer_than_any_number_is_none() {
        let mut text = "一".repeat(MAX_NUMERAL_RUN + 1);
        text.push('所');
        assert_eq!(q(&text), None);
        assert_eq!(
            q("九千九百九十九万九千九百九十九人"),
            Some((99_999_999.0, "人".into()))
        );
    }

    #[test]
    fn never_starts_inside_a_number() {
        let chars: Vec<char> = "123%".chars().collect();
        assert_eq!(parse_quantity_at(&chars, 1), None);
    }
}
