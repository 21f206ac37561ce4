//! The report as a document: what every output format (Word, Excel, HTML, open data)
//! renders, and what a publication freezes as JSON. Text is final here (sentences, goals,
//! values as they are printed); numbers stay numbers beside it for the formats that
//! compute (Excel, CSV, SDMX).

use crate::evaluation::{Status, Warning};
use crate::plan::{Comparator, PlanKind};
use serde::{Deserialize, Serialize};

/// The five kinds of report that leave a committee office.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportKind {
    /// 年度监测报告, written by the statistics bureau every year.
    Annual,
    /// 中期评估报告, in the plan's middle year (2025 for 2021–2030).
    Midterm,
    /// 终期评估报告, in the plan's last year.
    Final,
    /// 各成员单位重点指标监测情况, published every year.
    Units,
    /// 向上级妇儿工委的年度报告, with the sub-regions when there are some.
    Upward,
}

impl ReportKind {
    pub const ALL: [ReportKind; 5] = [
        ReportKind::Annual,
        ReportKind::Midterm,
        ReportKind::Final,
        ReportKind::Units,
        ReportKind::Upward,
    ];

    /// The spelling in the command line, the web address and file names.
    pub fn code(self) -> &'static str {
        match self {
            ReportKind::Annual => "annual",
            ReportKind::Midterm => "midterm",
            ReportKind::Final => "final",
            ReportKind::Units => "units",
            ReportKind::Upward => "upward",
        }
    }

    pub fn parse(s: &str) -> Option<ReportKind> {
        ReportKind::ALL.into_iter().find(|k| k.code() == s.trim())
    }

    /// The report's name as offices say it.
    pub fn label_zh(self) -> &'static str {
        match self {
            ReportKind::Annual => "年度监测报告",
            ReportKind::Midterm => "中期评估报告",
            ReportKind::Final => "终期评估报告",
            ReportKind::Units => "成员单位重点指标监测情况",
            ReportKind::Upward => "向上级妇儿工委的年度报告",
        }
    }
}

/// How far a target has come, in the words of the national statistics bureau's
/// monitoring reports: a grouping of the statuses, never a status of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Progress {
    /// 提前实现: met before its target year.
    Early,
    /// 如期实现: met in its target year, or on track to be met by it.
    OnTime,
    /// 尚存差距: missed, or behind the path to the target.
    Gap,
    /// 待观察: too few values to see a trend.
    Undetermined,
    /// 无数据.
    NoData,
}

impl Progress {
    pub const ALL: [Progress; 5] = [
        Progress::Early,
        Progress::OnTime,
        Progress::Gap,
        Progress::Undetermined,
        Progress::NoData,
    ];

    pub fn label_zh(self) -> &'static str {
        match self {
            Progress::Early => "提前实现",
            Progress::OnTime => "如期实现",
            Progress::Gap => "尚存差距",
            Progress::Undetermined => "待观察",
            Progress::NoData => "无数据",
        }
    }
}

/// A region as a report names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegionRef {
    pub name: String,
    /// `广东省/河源市/连平县`.
    pub path: String,
    /// GB/T 2260 code, when the gazetteer knows the region.
    pub code: Option<String>,
}

/// One value of a series.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Point {
    pub year: i32,
    pub value: f64,
}

/// A whole report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub kind: ReportKind,
    /// "石柱土家族自治县妇女儿童发展规划2024年度监测报告".
    pub title: String,
    /// The plans it covers: "《石柱土家族自治县妇女发展规划（2021—2030年）》……".
    pub subtitle: String,
    /// Who issues it: "石柱土家族自治县妇女儿童工作委员会办公室".
    pub issuer: String,
    /// "2026年12月3日".
    pub issued_on: String,
    pub region: RegionRef,
    /// The report year: data up to it are judged.
    pub year: i32,
    /// Some value judged is demo data (演示数据): every format says so on its first page.
    pub demo: bool,
    pub headline: Headline,
    /// The document's content in reading order.
    pub blocks: Vec<Block>,
    /// Every target judged, in the order of the indicator system: the data behind the
    /// tables, the Excel sheets and the open data.
    pub rows: Vec<Row>,
    /// The sub-regions (upward report, and the comparison section of a region that has
    /// some); empty otherwise.
    pub sub_regions: Vec<SubRegionLine>,
}

/// The counts of the opening paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Headline {
    /// Targets judged (rows whose data could form a series).
    pub total: usize,
    /// Targets with data (any status but 无数据).
    pub with_data: usize,
    /// 已达标.
    pub achieved: usize,
    /// Indexed like [`Progress::ALL`].
    pub by_progress: [usize; 5],
    /// Indexed like [`Status::ALL`].
    pub by_status: [usize; 8],
    /// Targets with at least one warning.
    pub warned: usize,
    /// Targets whose data are in error (not judged).
    pub errors: usize,
    /// The mid-term or final 达标率's base: targets due in the evaluation year …
    pub due: usize,
    /// … of which with data, and met.
    pub due_with_data: usize,
    pub due_met: usize,
}

impl Headline {
    /// 达标率 over the targets with data; `None` without any.
    pub fn rate(&self) -> Option<f64> {
        (self.with_data > 0).then(|| self.achieved as f64 / self.with_data as f64)
    }

    /// The evaluation's 达标率 over the due targets with data.
    pub fn due_rate(&self) -> Option<f64> {
        (self.due_with_data > 0).then(|| self.due_met as f64 / self.due_with_data as f64)
    }

    pub fn progress(&self, p: Progress) -> usize {
        Progress::ALL
            .iter()
            .position(|x| *x == p)
            .map(|i| self.by_progress[i])
            .unwrap_or(0)
    }

    pub fn status(&self, s: Status) -> usize {
        self.by_status[s.index()]
    }
}

/// One piece of the document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Block {
    /// Level 1 is a chapter ("一、总体情况"), 2 a section ("（一）妇女与健康"), 3 below.
    Heading {
        level: u8,
        text: String,
    },
    Paragraph {
        text: String,
    },
    /// Short items, one sentence each (warnings, missing data).
    List {
        items: Vec<String>,
    },
    Table(Table),
    Chart(Chart),
}

/// A table as printed; the header row repeats across pages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Table {
    /// "表1  妇女与健康领域指标监测情况".
    pub caption: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

/// A table cell: its printed text, the number behind it when it is one, and the status
/// it shows (coloured in every format).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cell {
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub progress: Option<Progress>,
}

impl Cell {
    pub fn text(text: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            number: None,
            progress: None,
        }
    }

    pub fn number(value: f64, text: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            number: Some(value),
            progress: None,
        }
    }

    pub fn progress(p: Progress, text: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            number: None,
            progress: Some(p),
        }
    }
}

/// One indicator's chart: its values, the straight path from the baseline to the target
/// (序时进度), the projection from the latest value to the target year, and the target.
/// The indicator's name and unit are the caption, outside the picture.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Chart {
    /// Unique within the report: "chart-12" (names the picture inside the .docx).
    pub id: String,
    /// "图3  孕产妇死亡率（单位：1/10万）".
    pub caption: String,
    pub unit: String,
    pub series: Vec<Point>,
    /// From the baseline to the target; empty without a baseline.
    pub path: Vec<Point>,
    /// From the latest value to the target year; empty without a slope.
    pub projection: Vec<Point>,
    pub target: Point,
    pub comparator: Comparator,
    /// Digits after the point the values were reported with (axis labels use no more).
    pub decimals: u8,
}

/// One target, judged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    pub plan: PlanKind,
    pub domain: String,
    pub indicator: String,
    /// Catalog code (W-HEA-03); `None` for a region's own indicator.
    pub code: Option<String>,
    /// The unit as stored ("%", "1/10万", "‰", "岁" …).
    pub unit: String,
    /// Responsible units (责任单位), lead first.
    pub owners: Vec<String>,
    pub comparator: Comparator,
    pub target_value: f64,
    pub target_year: i32,
    /// "9/10万以下", as plans write it.
    pub goal: String,
    pub binding: bool,
    pub baseline: Option<Point>,
    pub latest: Option<Point>,
    /// The value before the latest one (the year before, or the last earlier year).
    pub previous: Option<Point>,
    /// 序时进度 for the latest value's year.
    pub expected: Option<f64>,
    /// The projection for the target year.
    pub projected: Option<f64>,
    /// `None` when the values under the indicator cannot form a series (数据有误).
    pub status: Option<Status>,
    pub progress: Option<Progress>,
    pub warnings: Vec<Warning>,
    /// One sentence on the indicator, generated from its evaluation.
    pub sentence: String,
    /// Every value up to the report year.
    pub series: Vec<Point>,
    /// Digits after the point the values were reported with.
    pub decimals: u8,
    pub demo: bool,
}

impl Row {
    pub fn status_zh(&self) -> &'static str {
        self.status.map(Status::label_zh).unwrap_or("数据有误")
    }

    pub fn progress_zh(&self) -> &'static str {
        self.progress.map(Progress::label_zh).unwrap_or("数据有误")
    }

    pub fn warnings_zh(&self) -> String {
        self.warnings
            .iter()
            .map(|w| w.label_zh())
            .collect::<Vec<_>>()
            .join("、")
    }

    /// The responsible units joined by "、"; "未明确" when the plan names none.
    pub fn owners_zh(&self) -> String {
        if self.owners.is_empty() {
            "未明确".to_string()
        } else {
            self.owners.join("、")
        }
    }

    /// The change from the previous value, rounded to the reported precision.
    pub fn change(&self) -> Option<f64> {
        let (l, p) = (self.latest?, self.previous?);
        let scale = 10f64.powi(i32::from(self.decimals));
        Some(((l.value - p.value) * scale).round() / scale)
    }
}

/// One sub-region in the comparison.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SubRegionLine {
    pub region: RegionRef,
    /// 县级, 地级 … as the gazetteer says.
    pub level: String,
    pub total: usize,
    pub with_data: usize,
    pub achieved: usize,
    pub rate: Option<f64>,
    pub warned: usize,
    /// Targets with W_PROJECTED_MISS.
    pub projected_miss: usize,
    /// Share of its indicators with a value for the report year.
    pub reported_share: Option<f64>,
    pub demo: bool,
    /// A region the demo made up (演示地区); absent from reports published before it was
    /// told apart.
    #[serde(default)]
    pub generated: bool,
}
