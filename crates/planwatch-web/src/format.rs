//! How numbers and flags read on the pages.

use planwatch_core::{Comparator, Direction};

/// 12.0 → "12", 11.3 → "11.3", 0.3333333 → "0.3333333": the shortest form that reads back
/// as the stored value.
pub fn number(v: f64) -> String {
    if v.is_finite() && v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// "92%以上", "12/10万以下" — a target value with its unit, as plans write it.
pub fn goal(cmp: Comparator, v: f64, unit: &str) -> String {
    planwatch_core::evaluation::goal_zh(cmp, v, unit)
}

/// "91.5%", "16/10万" — a value with its unit.
pub fn with_unit(v: f64, unit: &str) -> String {
    planwatch_core::evaluation::with_unit(v, unit)
}

/// 约束性 / 预期性 / — and the CSS class of its badge.
pub fn binding(b: Option<bool>) -> (&'static str, &'static str) {
    match b {
        Some(true) => ("约束性", "tag tag-binding"),
        Some(false) => ("预期性", "tag tag-expected"),
        None => ("—", "muted"),
    }
}

pub fn direction(d: Direction) -> (&'static str, &'static str) {
    match d {
        Direction::Up => ("↑ 提高", "dir dir-up"),
        Direction::Down => ("↓ 降低", "dir dir-down"),
        Direction::Keep => ("→ 保持", "dir dir-keep"),
    }
}

/// How a target came to its catalog indicator, in an office's words (the store's own labels
/// name the mechanism).
pub fn mapping(m: planwatch_store::system::MappingState) -> &'static str {
    use planwatch_store::system::MappingState;
    match m {
        MappingState::Auto => "系统自动归入",
        MappingState::Confirmed => "人工确认",
        MappingState::Corrected => "人工更正",
        MappingState::Local => "地方指标",
    }
}

/// A source line as a reader sees it: what a document converter left behind
/// (`[bookmark: _Toc14780]`) is removed for display; the stored text is unchanged.
pub fn without_leftovers(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(at) = rest.find("[bookmark") {
        out.push_str(&rest[..at]);
        match rest[at..].find(']') {
            Some(end) => rest = &rest[at + end + 1..],
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// The note under a page where statuses and warnings stand side by side: how the words that
/// sound alike differ (evaluation.md's rules in an office's words).
pub fn terms_zh(year: i32) -> String {
    use planwatch_core::evaluation::{Status, Warning};
    format!(
        "{no_data}（状态）：截至{year}年该目标没有任何监测数据，无法判断进展。\
         {missing}（预警）：{year}年没有报送数据，以前年份可能有，状态按已有数据判断；\
         {no_data}的目标也计为{missing}。\
         {off_track}（状态）：已完成的进度不到应有进度的一半。\
         {projected_miss}（预警）：目标年份未到，按目前趋势难以按期达标\
         （状态为{needs}、{off_track}或{regressing}）。",
        no_data = Status::NoData.label_zh(),
        missing = Warning::Missing.label_zh(),
        off_track = Status::OffTrack.label_zh(),
        projected_miss = Warning::ProjectedMiss.label_zh(),
        needs = Status::NeedsAcceleration.label_zh(),
        regressing = Status::Regressing.label_zh(),
    )
}

/// A moment as a clerk in China reads it: Beijing time (UTC+8, no daylight saving).
pub fn local_time(t: chrono::DateTime<chrono::Utc>) -> String {
    const FORMAT: &str = "%Y-%m-%d %H:%M";
    match chrono::FixedOffset::east_opt(8 * 3600) {
        Some(beijing) => t.with_timezone(&beijing).format(FORMAT).to_string(),
        None => t.format(FORMAT).to_string(),
    }
}

/// What a page's filter box asked for: trimmed, and cut to the box's 40 characters so
/// that a crafted address cannot make the page match against a long text.
pub fn filter_term(raw: Option<String>) -> String {
    raw.unwrap_or_default().trim().chars().take(40).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_written() {
        assert_eq!(number(12.0), "12");
        assert_eq!(number(11.3), "11.3");
        assert_eq!(number(0.333), "0.333");
        assert_eq!(goal(Comparator::Le, 12.0, "1/10万"), "12/10万以下");
        assert_eq!(goal(Comparator::Ge, 92.0, "%"), "92%以上");
    }

    #[test]
    fn converter_leftovers_are_not_shown() {
        assert_eq!(
            without_leftovers("[bookmark: _Toc14780]一、总体目标"),
            "一、总体目标"
        );
        assert_eq!(without_leftovers("甲[bookmark: a][bookmark: b]乙"), "甲乙");
        assert_eq!(without_leftovers("[bookmark: 未完"), "");
        assert_eq!(without_leftovers("没有残留"), "没有残留");
    }
}
