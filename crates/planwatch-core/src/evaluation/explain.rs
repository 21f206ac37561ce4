//! One Chinese sentence that explains a status, for the dashboard and reports.

use super::numfmt::format_g6;
use super::status::Status;
use super::target::{Evaluation, TargetSpec};

/// A value with its unit as Chinese text writes it: "96.1%", "5‰", and for a rate per
/// `1/10万` "16/10万" (not "161/10万", which reads as another number).
pub fn with_unit(x: f64, unit: &str) -> String {
    match unit.strip_prefix("1/") {
        Some(per) => format!("{}/{per}", format_g6(x)),
        None => format!("{}{unit}", format_g6(x)),
    }
}

/// "2024年为96.1%，按序时进度应达到96.5%，预计2030年可达97.8%，能够实现≥98%的目标".
/// Every value is written with `unit` ("%", "‰", "" …; see [`with_unit`]).
pub fn explain(target: &TargetSpec, eval: &Evaluation, report_year: i32, unit: &str) -> String {
    let n = |x: f64| with_unit(x, unit);
    let goal = format!(
        "{}年{}{}的目标",
        target.year,
        target.comparator.symbol(),
        n(target.value)
    );
    let Some(latest) = eval.latest else {
        return format!(
            "{}—{}年无监测数据，无法判断能否实现{goal}",
            report_year - 4,
            report_year
        );
    };
    let mut s = format!("{}年为{}", latest.year, n(latest.value));
    let expected = eval.expected.map(|x| format!("，按序时进度应达到{}", n(x)));
    let projected = eval
        .projected
        .map(|p| format!("，预计{}年可达{}", target.year, n(p)));
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
            if let Some(r) = eval.progress_ratio {
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
    use super::with_unit;

    #[test]
    fn a_rate_per_ten_thousand_reads_as_one_number() {
        assert_eq!(with_unit(16.0, "1/10万"), "16/10万");
        assert_eq!(with_unit(96.1, "%"), "96.1%");
        assert_eq!(with_unit(5.0, "‰"), "5‰");
        assert_eq!(with_unit(11.3, "年"), "11.3年");
        assert_eq!(with_unit(2.0, ""), "2");
    }
}
