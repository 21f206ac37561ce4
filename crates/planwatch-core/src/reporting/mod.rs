//! Reports people forward (年度监测报告, 中期/终期评估报告, 成员单位重点指标监测情况, the
//! yearly report upward): [`build`] writes a [`Report`] from a region's judged targets —
//! every sentence generated from the evaluation, none a template with blanks — and the
//! export crate renders it as Word, Excel, HTML and open data. Pure: the callers judge the
//! targets and hand them over.

mod build;
mod model;
mod words;

pub use build::build;
pub use model::{
    Block, Cell, Chart, Headline, Point, Progress, RegionRef, Report, ReportKind, Row,
    SubRegionLine, Table,
};
pub use words::{chinese_ordinal, decimals_of, progress_of};

use crate::evaluation::Evaluation;
use crate::evaluation::TargetSpec;
use crate::evaluation::levels::RegionSummary;
use crate::plan::PlanKind;

/// What a region the demo (or `synth`) made up is called wherever it appears: its name is a
/// real division's, its indicator system and values are not.
pub const GENERATED_REGION: &str = "演示地区";

/// A plan of the region, as the report names it.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanRef {
    pub kind: PlanKind,
    /// The plan's title ("石柱土家族自治县妇女发展规划（2021—2030年）").
    pub title: String,
    pub period: [i32; 2],
}

/// One target of the region's indicator system with its evaluation.
#[derive(Debug, Clone)]
pub struct TargetInput {
    pub plan: PlanKind,
    pub domain: String,
    pub indicator: String,
    pub code: Option<String>,
    pub unit: String,
    pub owners: Vec<String>,
    pub spec: TargetSpec,
    /// `None` when the values could not form a series (数据有误).
    pub evaluation: Option<Evaluation>,
    /// Every value reported under the indicator (later years are left out).
    pub series: Vec<Point>,
    pub demo: bool,
}

/// A sub-region's results, for the comparison section and the upward report.
#[derive(Debug, Clone)]
pub struct SubRegionInput {
    pub region: RegionRef,
    pub level: String,
    pub summary: RegionSummary,
    pub errors: usize,
    pub demo: bool,
    /// A region the demo made up ([`GENERATED_REGION`]).
    pub generated: bool,
}

/// Everything a report is written from.
#[derive(Debug, Clone)]
pub struct ReportInput {
    pub kind: ReportKind,
    pub year: i32,
    pub region: RegionRef,
    /// The level above; `None` at the top.
    pub parent: Option<RegionRef>,
    pub plans: Vec<PlanRef>,
    pub targets: Vec<TargetInput>,
    pub sub_regions: Vec<SubRegionInput>,
    /// "2026年12月3日".
    pub issued_on: String,
}

/// A report the region cannot have; the message is Chinese and says why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReportError {
    #[error("{region}没有上级地区，无法生成向上级报告")]
    NoLevelAbove { region: String },
    #[error("{region}没有规划期为{year}年结束的规划（{periods}），无法生成{year}年终期评估报告")]
    NoFinal {
        region: String,
        year: i32,
        periods: String,
    },
    #[error("{region}没有以{year}年为中期的规划（{periods}），无法生成{year}年中期评估报告")]
    NoMidterm {
        region: String,
        year: i32,
        periods: String,
    },
    #[error("报告年份{year}年不在2000—2100年之间")]
    Year { year: i32 },
}

/// The mid-term year of a plan period: the last year of its first half (2025 for
/// 2021–2030, 2023 for 2021–2025).
pub fn midterm_year(period: [i32; 2]) -> i32 {
    period[0] + (period[1] - period[0] + 2).div_euclid(2) - 1
}

#[cfg(test)]
mod tests;
