//! The words of the statuses, warnings and reports, each with how it is judged (in the
//! words of `shared/spec/evaluation.md`): one place for the 名词解释 page, the reports'
//! appendix and anything else that explains a word where it appears.

use super::status::{Status, Warning};

/// What a word names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    /// A target's status in a report year.
    Status,
    /// An early warning (预警).
    Warning,
    /// The reports' grouping of the statuses.
    Progress,
    /// The figures the statuses are judged from.
    Figure,
}

impl Group {
    pub fn label_zh(self) -> &'static str {
        match self {
            Group::Status => "目标状态",
            Group::Warning => "预警",
            Group::Progress => "实现情况（报告用语）",
            Group::Figure => "判断依据",
        }
    }

    pub const ALL: [Group; 4] = [
        Group::Status,
        Group::Warning,
        Group::Progress,
        Group::Figure,
    ];
}

/// One word and what it means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Term {
    pub word: &'static str,
    /// The fragment of the word on the 名词解释 page.
    pub anchor: &'static str,
    pub group: Group,
    pub meaning: &'static str,
}

const fn term(
    word: &'static str,
    anchor: &'static str,
    group: Group,
    meaning: &'static str,
) -> Term {
    Term {
        word,
        anchor,
        group,
        meaning,
    }
}

/// Every word, statuses in the order of the evaluation's table.
pub const TERMS: [Term; 19] = [
    term(
        "无数据",
        "no_data",
        Group::Status,
        "报告年份及此前四年都没有监测数据，无法判断。",
    ),
    term(
        "已达标",
        "achieved",
        Group::Status,
        "最新值已达到目标（按目标的写法判断：如“9/10万以下”即最新值不高于9/10万）。",
    ),
    term(
        "未达标",
        "missed",
        Group::Status,
        "目标年份已到，最新值仍未达到目标。",
    ),
    term(
        "待观察",
        "no_trend",
        Group::Status,
        "尚未达标，用于判断趋势的数据点不足两个，暂无法判断趋势。",
    ),
    term(
        "进展顺利",
        "on_track",
        Group::Status,
        "尚未达标，但按基期以来的趋势推算，到目标年份可以达到目标。",
    ),
    term(
        "需加快进度",
        "needs_acceleration",
        Group::Status,
        "按趋势推算到目标年份达不到目标，但实际进展已达到应有进展（序时进度）的一半以上。",
    ),
    term(
        "预计达标困难",
        "off_track",
        Group::Status,
        "按趋势推算到目标年份达不到目标，且实际进展不到应有进展（序时进度）的一半。",
    ),
    term(
        "出现倒退",
        "regressing",
        Group::Status,
        "与基期相比，指标朝偏离目标的方向变化（实际进展为负），或趋势背离目标。",
    ),
    term(
        "预计难以按期达标",
        "W_PROJECTED_MISS",
        Group::Warning,
        "目标年份还没到，而状态为需加快进度、预计达标困难或出现倒退。",
    ),
    term(
        "波动较大",
        "W_VOLATILE",
        Group::Warning,
        "最新一年的变化明显超出此前各年变化的正常范围（与历年变化中位数之差超过稳健标准差的3.5倍），请核实数据。",
    ),
    term(
        "约束性指标未达标",
        "W_BINDING_MISSED",
        Group::Warning,
        "约束性目标到期未达标。",
    ),
    term(
        "缺报",
        "W_MISSING",
        Group::Warning,
        "有目标的指标在报告年份没有报送数据。与“无数据”不同：缺报只看报告年份，无数据指近五年都没有数据。",
    ),
    term(
        "提前实现",
        "early",
        Group::Progress,
        "在目标年份之前已经达标。",
    ),
    term(
        "如期实现",
        "on_time",
        Group::Progress,
        "在目标年份达标，或进展顺利、按趋势可以如期达标。",
    ),
    term(
        "尚存差距",
        "gap",
        Group::Progress,
        "到期未达标，或需加快进度、预计达标困难、出现倒退。",
    ),
    term(
        "基期",
        "baseline",
        Group::Figure,
        "判断进展的起点：目标写明的基期年份；未写明时，为规划期前一年（2021—2030年规划为2020年）的数据，没有该年数据时为最早的数据。",
    ),
    term(
        "序时进度",
        "expected",
        Group::Figure,
        "从基期值到目标值按年份平均推进时，当年应达到的值。实际进展 ÷ 应有进展即完成序时进度的比例。",
    ),
    term(
        "趋势预测",
        "projected",
        Group::Figure,
        "用基期以来各年数据拟合的直线（最小二乘法）推算的目标年份的值。",
    ),
    term(
        "达标率",
        "rate",
        Group::Figure,
        "已达标的目标数 ÷ 有数据的目标数；无数据的目标不计入，另行列出。",
    ),
];

/// The entry of a status.
pub fn of_status(status: Status) -> Option<&'static Term> {
    TERMS.iter().find(|t| t.anchor == status.as_str())
}

/// The entry of a warning.
pub fn of_warning(warning: Warning) -> Option<&'static Term> {
    TERMS.iter().find(|t| t.anchor == warning.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_and_warning_is_explained_in_its_own_word() {
        for s in Status::ALL {
            assert_eq!(of_status(s).map(|t| t.word), Some(s.label_zh()), "{s}");
        }
        for w in Warning::ALL {
            assert_eq!(of_warning(w).map(|t| t.word), Some(w.label_zh()), "{w}");
        }
        let mut words: Vec<&str> = TERMS.iter().map(|t| t.word).collect();
        words.sort_unstable();
        words.dedup();
        assert_eq!(words.len(), TERMS.len(), "one word, one meaning");
    }
}
