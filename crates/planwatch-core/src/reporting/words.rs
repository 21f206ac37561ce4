//! The words of the reports: numbering, precision, changes and the progress groups.

use super::model::Progress;
use crate::evaluation::{Evaluation, Status, TargetSpec};

/// 1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九; beyond 99 the digits.
pub fn chinese_ordinal(n: usize) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0 => "零".to_string(),
        1..=9 => DIGITS[n].to_string(),
        10..=99 => {
            let (tens, ones) = (n / 10, n % 10);
            let mut s = String::new();
            if tens > 1 {
                s.push_str(DIGITS[tens]);
            }
            s.push('十');
            if ones > 0 {
                s.push_str(DIGITS[ones]);
            }
            s
        }
        _ => n.to_string(),
    }
}

pub use crate::evaluation::decimals_of;

/// The progress group of a judged target (see [`Progress`]).
pub fn progress_of(spec: &TargetSpec, eval: &Evaluation) -> Progress {
    match eval.status {
        Status::NoData => Progress::NoData,
        Status::Achieved => match eval.latest {
            Some(l) if l.year < spec.year => Progress::Early,
            _ => Progress::OnTime,
        },
        Status::OnTrack => Progress::OnTime,
        Status::NoTrend => Progress::Undetermined,
        Status::Missed | Status::NeedsAcceleration | Status::OffTrack | Status::Regressing => {
            Progress::Gap
        }
    }
}

/// A rate's change is said in points of its unit ("个百分点"); other quantities change
/// by so many of their unit.
pub(crate) fn change_unit(unit: &str) -> String {
    match unit.trim() {
        "%" => "个百分点".to_string(),
        "‰" => "个千分点".to_string(),
        "1/10万" | "/10万" => "个十万分点".to_string(),
        "1/万" | "/万" => "个万分点".to_string(),
        "" => String::new(),
        u => match u.strip_prefix("1/") {
            Some(per) => format!("（每{per}）"),
            None => u.to_string(),
        },
    }
}

/// Whether the unit is a rate, which rises and falls (上升/下降); other quantities
/// increase and decrease (增加/减少).
pub(crate) fn is_rate(unit: &str) -> bool {
    let u = unit.trim();
    u == "%" || u == "‰" || u.starts_with("1/") || u.starts_with('/')
}

/// A number at `decimals` digits, trailing zeros kept as reported ("0.60" stays "0.6").
pub(crate) fn fixed(x: f64, decimals: u8) -> String {
    let d = usize::from(decimals.min(6));
    let s = format!("{:.d$}", x.abs());
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    if x < 0.0 && s != "0" {
        format!("-{s}")
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinals_read_as_chinese_writes_them() {
        assert_eq!(chinese_ordinal(1), "一");
        assert_eq!(chinese_ordinal(10), "十");
        assert_eq!(chinese_ordinal(12), "十二");
        assert_eq!(chinese_ordinal(20), "二十");
        assert_eq!(chinese_ordinal(37), "三十七");
    }

    #[test]
    fn precision_is_what_was_reported() {
        assert_eq!(decimals_of(8.2), 1);
        assert_eq!(decimals_of(95.0), 0);
        assert_eq!(decimals_of(37.637), 3);
        assert_eq!(fixed(-0.6000000000000005, 1), "-0.6");
        assert_eq!(fixed(0.04, 1), "0");
    }
}
