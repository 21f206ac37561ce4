//! One Chinese sentence that explains a status, for the dashboard and reports.

use super::numfmt::format_g6;
use super::once::{Precision, shown};
use super::status::Status;
use super::target::{Evaluation, TargetSpec};
use crate::plan::Comparator;

/// A value with its unit as Chinese text writes it: "96.1%", "5‰", and for a rate per
/// `1/10万` "16/10万" (not "161/10万", which reads as another number).
pub fn with_unit(x: f64, unit: &str) -> String {
    match unit.strip_prefix("1/") {
        Some(per) => format!("{}/{per}", format_g6(x)),
        None => format!("{}{unit}", format_g6(x)),
    }
}

/// A computed value (序时进度, projection, slope) rounded for reading: one decimal from 10
/// up, two from 1 to 10, three significant digits below 1, trailing zeros dropped —
/// "96.5", not "96.4857". A value that is not `target` never reads as `target` (98 would
/// say a projection of 97.96 meets ≥ 98): it keeps digits until it differs, up to six.
pub fn readable(x: f64, target: f64) -> String {
    if !x.is_finite() {
        return format_g6(x);
    }
    let a = x.abs();
    let mut decimals: usize = if a >= 10.0 || a == 0.0 {
        1
    } else if a >= 1.0 {
        2
    } else {
        // Three significant digits: 0.0147667 → 0.0148.
        (2.0 - a.log10().floor()).clamp(0.0, 12.0) as usize
    };
    let round = |d: usize| format!("{x:.d$}");
    let mut s = round(decimals);
    while decimals < 6 && x != target && s.parse::<f64>().ok() == Some(target) {
        decimals += 1;
        s = round(decimals);
    }
    if s.contains('.') {
        let trimmed = s.trim_end_matches('0').trim_end_matches('.');
        s = trimmed.to_string();
    }
    if s == "-0" { "0".to_string() } else { s }
}

/// A target value as plans write it: "12/10万以下", "92%以上", "达到100%", "低于5‰".
pub fn goal_zh(comparator: Comparator, value: f64, unit: &str) -> String {
    let v = with_unit(value, unit);
    match comparator {
        Comparator::Ge => format!("{v}以上"),
        Comparator::Le => format!("{v}以下"),
        Comparator::Gt => format!("高于{v}"),
        Comparator::Lt => format!("低于{v}"),
        Comparator::Eq => format!("达到{v}"),
    }
}

/// [`readable`] with the unit written as [`with_unit`] writes it.
pub fn readable_with_unit(x: f64, target: f64, unit: &str) -> String {
    match unit.strip_prefix("1/") {
        Some(per) => format!("{}/{per}", readable(x, target)),
        None => format!("{}{unit}", readable(x, target)),
    }
}

/// "2024年为96.1%，按序时进度应达到96.5%，预计2030年可达97.8%，能够实现2030年98%以上的目标".
/// Every value is written with `unit` ("%", "‰", "" …; see [`with_unit`]); computed ones at
/// `precision`, the reported data's, and only those [`shown`] says are true to print.
pub fn explain(
    target: &TargetSpec,
    eval: &Evaluation,
    report_year: i32,
    unit: &str,
    precision: Precision,
) -> String {
    let n = |x: f64| with_unit(x, unit);
    let computed = |x: f64| precision.figure_with_unit(x, target.value, unit);
    let figures = shown(target, eval, report_year);
    let goal = format!(
        "{}年{}的目标",
        target.year,
        goal_zh(target.comparator, target.value, unit)
    );
    let Some(latest) = eval.latest else {
        return format!(
            "{}—{}年无监测数据，无法判断能否实现{goal}",
            report_year - 4,
            report_year
        );
    };
    let mut s = format!("{}年为{}", latest.year, n(latest.value));
    let expected = figures
        .expected
        .map(|x| format!("，按序时进度应达到{}", computed(x)));
    let projected = figures
        .projected
        .map(|p| format!("，预计{}年可达{}", target.year, computed(p)));
    match eval.status {
        Status::NoData => {}
        Status::Achieved => s.push_str(&format!("，已实现{goal}")),
        Status::Missed => s.push_str(&format!("，目标年份已到，未实现{goal}")),
        Status::NoTrend => s.push_str(&format!("，尚未达到{goal}，数据点不足两个，暂无法判断趋势")),
        Status::OnTrack => {
            s.push_str(expected.as_deref().unwrap_or(""));
            s.push_str(projected.as_deref().unwrap_or(""));
            s.push_str(&format!("，能够实现{goal}"));
        }
        Status::NeedsAcceleration | Status::OffTrack => {
            s.push_str(expected.as_deref().unwrap_or(""));
            if let Some(r) = figures.progress_ratio {
                s.push_str(&format!("，完成应有进度的{:.0}%", r * 100.0));
            }
            s.push_str(projected.as_deref().unwrap_or(""));
            if eval.status == Status::NeedsAcceleration {
                s.push_str(&format!("，需加快进度才能实现{goal}"));
            } else {
                s.push_str(&format!("，按目前趋势难以实现{goal}"));
            }
        }
        Status::Regressing => {
            if let (Some(t0), Some(y0)) = (eval.baseline_year, eval.baseline_value)
                && t0 < latest.year
                && y0 != latest.value
            {
                let word = if latest.value > y0 {
                    "上升"
                } else {
                    "下降"
                };
                s.push_str(&format!("，较{t0}年的{}有所{word}", n(y0)));
            }
            s.push_str(projected.as_deref().unwrap_or(""));
            s.push_str(&format!("，背离{goal}，出现倒退"));
        }
    }
    s
}

#[cfg(test)]
mod unit_tests {
    use super::{readable, readable_with_unit, with_unit};

    #[test]
    fn computed_values_read_with_few_digits() {
        assert_eq!(readable(96.4857, 98.0), "96.5");
        assert_eq!(readable(62.7714, 65.0), "62.8");
        assert_eq!(readable(8.69143, 9.0), "8.69");
        assert_eq!(readable(0.0147667, 0.0), "0.0148");
        assert_eq!(readable(-0.25, 0.0), "-0.25");
        assert_eq!(readable(100.04, 100.0), "100.04");
        assert_eq!(readable(12.0, 12.0), "12");
        assert_eq!(readable(-0.00001, 0.0), "-0.00001");
        assert_eq!(readable_with_unit(12.7714, 12.0, "1/10万"), "12.8/10万");
    }

    #[test]
    fn a_value_short_of_the_target_never_reads_as_the_target() {
        assert_eq!(readable(97.96, 98.0), "97.96");
        assert_eq!(readable(97.9999, 98.0), "97.9999");
        assert_eq!(readable(2.004, 2.0), "2.004");
    }

    #[test]
    fn a_rate_per_ten_thousand_reads_as_one_number() {
        assert_eq!(with_unit(16.0, "1/10万"), "16/10万");
        assert_eq!(with_unit(96.1, "%"), "96.1%");
        assert_eq!(with_unit(5.0, "‰"), "5‰");
        assert_eq!(with_unit(11.3, "年"), "11.3年");
        assert_eq!(with_unit(2.0, ""), "2");
    }
}
