//! The report as an Excel workbook, for offices that sort, filter and chart it further.
//!
//! Sheets, in order:
//! - [`SHEET_SUMMARY`]: the report's identity, its headline counts (达标率 as a number
//!   formatted as a percentage), a demo notice when it has demo data, a native column
//!   chart of the progress groups, and links to every other sheet.
//! - [`SHEET_ALL`]: one row per target, columns [`COLUMNS`].
//! - [`SHEET_SUB_REGIONS`], when the report compares sub-regions.
//! - One sheet per domain ([`DOMAIN_PREFIX`]), with the same table, a native line chart
//!   per indicator with data and, below them, the charts' data.
//! - One sheet per lead responsible unit ([`UNIT_PREFIX`]; [`UNASSIGNED_UNIT`] when the
//!   plan names none), with the same table.
//!
//! Every table has a frozen header row and an autofilter. Numbers are numbers with the
//! row's reported precision, years are integers, a missing value is an empty cell. Status
//! and progress are coloured by conditional formats, so that a sorted or filtered copy
//! keeps its colours right. Text cells never start a formula ([`crate::text`]).

use super::ReportWriteError;
use super::open_data::plan_zh;
use crate::text::neutral;
use planwatch_core::evaluation::Status;
use planwatch_core::reporting::{
    GENERATED_REGION, Point, Progress, Report, ReportKind, Row, decimals_of,
};
use rust_xlsxwriter::{
    Chart, ChartFormat, ChartLine, ChartLineDashType, ChartMarker, ChartMarkerType, ChartPoint,
    ChartSolidFill, ChartType, ConditionalFormatCell, ConditionalFormatCellRule, Format,
    FormatAlign, FormatBorder, Url, Workbook, Worksheet, XlsxError,
};
use std::collections::HashSet;

pub const SHEET_SUMMARY: &str = "概况";
pub const SHEET_ALL: &str = "全部目标";
pub const SHEET_SUB_REGIONS: &str = "下级地区";
/// Sheet names of domains start with it ("领域-妇女与健康") …
pub const DOMAIN_PREFIX: &str = "领域-";
/// … and those of responsible units with this ("单位-县卫生健康委").
pub const UNIT_PREFIX: &str = "单位-";
/// The lead unit of a target whose plan names none.
pub const UNASSIGNED_UNIT: &str = "未明确责任单位";

/// The columns of every target table, in order.
pub const COLUMNS: [&str; 24] = [
    "规划",
    "领域",
    "指标",
    "指标代码",
    "单位",
    "责任单位",
    "目标",
    "目标值",
    "目标年份",
    "约束性",
    "基期年份",
    "基期值",
    "上期年份",
    "上期值",
    "最新年份",
    "最新值",
    "比上期变化",
    "序时进度",
    "预计目标年值",
    "状态",
    "实现情况",
    "预警",
    "说明",
    "演示数据",
];
const WIDTHS: [f64; 24] = [
    6.0, 12.0, 26.0, 10.0, 8.0, 16.0, 20.0, 9.0, 9.0, 7.0, 9.0, 9.0, 9.0, 9.0, 9.0, 9.0, 10.0, 9.0,
    11.0, 12.0, 10.0, 16.0, 60.0, 8.0,
];
/// Zero-based columns of the table.
pub const COL_STATUS: u16 = 19;
pub const COL_PROGRESS: u16 = 20;

const SUB_REGION_COLUMNS: [&str; 11] = [
    "地区",
    "地区代码",
    "层级",
    "目标数",
    "有数据",
    "已达标",
    "达标率",
    "有预警",
    "预计难以按期达标",
    "本年报送率",
    "演示数据",
];

/// A chart on a domain sheet: 560 × 300 pixels, two side by side, one every
/// [`CHART_ROWS`] rows (300 px over 20 px rows, and a gap).
const CHART_WIDTH: u32 = 560;
const CHART_HEIGHT: u32 = 300;
const CHART_ROWS: u32 = 16;
/// The right-hand chart starts at this column (columns A–F are about 600 px wide).
const CHART_RIGHT_COL: u16 = 6;
/// The charts' data on a domain sheet: the indicator in column C (指标), the row's label
/// in D, the years and values from E on.
const DATA_FIRST_COL: u16 = 4;
/// Reported precision beyond this is noise in a number format.
const MAX_DECIMALS: u8 = 6;

/// The number format showing `decimals` digits after the point ("0", "0.0" …).
fn decimals_format(decimals: u8) -> String {
    match decimals.min(MAX_DECIMALS) {
        0 => "0".to_string(),
        d => format!("0.{}", "0".repeat(usize::from(d))),
    }
}

/// The formats of one workbook.
struct Styles {
    title: Format,
    subtitle: Format,
    heading: Format,
    header: Format,
    label: Format,
    text: Format,
    wrap: Format,
    year: Format,
    count: Format,
    percent: Format,
    demo: Format,
    link: Format,
    /// By decimals, 0 to [`MAX_DECIMALS`].
    numbers: Vec<Format>,
    /// The same with a sign, for changes.
    changes: Vec<Format>,
}

impl Styles {
    fn new() -> Styles {
        let cell = || Format::new().set_border(FormatBorder::Thin);
        Styles {
            title: Format::new().set_bold().set_font_size(16),
            subtitle: Format::new().set_font_size(11).set_font_color("#595959"),
            heading: Format::new().set_bold().set_font_size(12),
            header: crate::form::write::header_format(),
            label: cell().set_bold().set_background_color("#F2F2F2"),
            text: cell().set_align(FormatAlign::Top),
            wrap: cell().set_text_wrap().set_align(FormatAlign::Top),
            year: cell().set_num_format("0").set_align(FormatAlign::Top),
            count: cell().set_num_format("0"),
            percent: cell().set_num_format("0.0%"),
            demo: Format::new()
                .set_bold()
                .set_font_color("#C00000")
                .set_background_color("#FFF2CC"),
            link: Format::new()
                .set_font_color("#0563C1")
                .set_underline(rust_xlsxwriter::FormatUnderline::Single),
            numbers: (0..=MAX_DECIMALS)
                .map(|d| {
                    cell()
                        .set_num_format(decimals_format(d))
                        .set_align(FormatAlign::Top)
                })
                .collect(),
            changes: (0..=MAX_DECIMALS)
                .map(|d| {
                    let f = decimals_format(d);
                    cell()
                        .set_num_format(format!("+{f};-{f};{f}"))
                        .set_align(FormatAlign::Top)
                })
                .collect(),
        }
    }

    fn number(&self, decimals: u8) -> &Format {
        &self.numbers[usize::from(decimals.min(MAX_DECIMALS))]
    }

    fn change(&self, decimals: u8) -> &Format {
        &self.changes[usize::from(decimals.min(MAX_DECIMALS))]
    }
}

/// The fill and font of a progress group: green met, red behind, greys unknown.
fn progress_colours(p: Option<Progress>) -> (&'static str, &'static str) {
    match p {
        Some(Progress::Early | Progress::OnTime) => ("#C6EFCE", "#006100"),
        Some(Progress::Gap) => ("#FFC7CE", "#9C0006"),
        Some(Progress::Undetermined) => ("#D9D9D9", "#262626"),
        Some(Progress::NoData) => ("#F2F2F2", "#7F7F7F"),
        // 数据有误: amber, a thing to fix rather than a result.
        None => ("#FFEB9C", "#9C5700"),
    }
}

/// The progress group a status falls in, for its colour (提前/如期 are told apart by the
/// year met, which a status alone does not say; both are green).
fn status_group(s: Status) -> Progress {
    match s {
        Status::NoData => Progress::NoData,
        Status::Achieved | Status::OnTrack => Progress::OnTime,
        Status::NoTrend => Progress::Undetermined,
        Status::Missed | Status::NeedsAcceleration | Status::OffTrack | Status::Regressing => {
            Progress::Gap
        }
    }
}

fn colour_rule(text: &str, p: Option<Progress>) -> ConditionalFormatCell {
    let (fill, font) = progress_colours(p);
    ConditionalFormatCell::new()
        .set_rule(ConditionalFormatCellRule::EqualTo(text))
        .set_format(
            Format::new()
                .set_background_color(fill)
                .set_font_color(font),
        )
}

/// Names sheets as Excel allows: at most 31 characters, none of `[]:*?/\`, not starting
/// or ending with `'`, unique regardless of case (a suffix "(2)" tells twins apart).
#[derive(Default)]
struct SheetNames {
    used: HashSet<String>,
}

impl SheetNames {
    fn take(&mut self, wanted: &str) -> String {
        let clean: String = wanted
            .chars()
            .map(|c| match c {
                '[' | ']' | ':' | '*' | '?' | '/' | '\\' => '_',
                c if c.is_control() => '_',
                c => c,
            })
            .collect();
        let clean = clean.trim().trim_matches('\'').to_string();
        let clean = if clean.is_empty() {
            "工作表".to_string()
        } else {
            clean
        };
        for n in 1.. {
            let suffix = if n == 1 {
                String::new()
            } else {
                format!("({n})")
            };
            let room = 31 - suffix.chars().count();
            let base: String = clean.chars().take(room).collect();
            let base = base.trim_end_matches('\'');
            let name = format!("{base}{suffix}");
            if self.used.insert(name.to_lowercase()) {
                return name;
            }
        }
        // `1..` never ends; the compiler wants a value anyway.
        clean
    }
}

/// The lead responsible unit of a row.
pub fn lead_unit(row: &Row) -> &str {
    row.owners
        .first()
        .map(String::as_str)
        .filter(|o| !o.trim().is_empty())
        .unwrap_or(UNASSIGNED_UNIT)
}

/// Groups rows by a key, keeping the order of first appearance.
fn groups<'a>(rows: &'a [Row], key: impl Fn(&'a Row) -> &'a str) -> Vec<(&'a str, Vec<&'a Row>)> {
    let mut out: Vec<(&str, Vec<&Row>)> = Vec::new();
    for row in rows {
        let k = key(row);
        match out.iter_mut().find(|(g, _)| *g == k) {
            Some((_, list)) => list.push(row),
            None => out.push((k, vec![row])),
        }
    }
    out
}

/// The .xlsx bytes (see the module documentation for the layout).
pub fn write(report: &Report) -> Result<Vec<u8>, ReportWriteError> {
    let st = Styles::new();
    let mut names = SheetNames::default();
    for fixed in [SHEET_SUMMARY, SHEET_ALL, SHEET_SUB_REGIONS] {
        names.take(fixed);
    }
    let domains: Vec<(String, Vec<&Row>)> = groups(&report.rows, |r| r.domain.as_str())
        .into_iter()
        .map(|(d, rows)| (names.take(&format!("{DOMAIN_PREFIX}{d}")), rows))
        .collect();
    let units: Vec<(String, Vec<&Row>)> = groups(&report.rows, lead_unit)
        .into_iter()
        .map(|(u, rows)| (names.take(&format!("{UNIT_PREFIX}{u}")), rows))
        .collect();

    let mut book = Workbook::new();
    let mut contents: Vec<(String, String)> = vec![(
        SHEET_ALL.to_string(),
        format!("全部{}项目标", report.rows.len()),
    )];
    if !report.sub_regions.is_empty() {
        contents.push((
            SHEET_SUB_REGIONS.to_string(),
            format!("{}个下级地区的比较", report.sub_regions.len()),
        ));
    }
    for (name, rows) in domains.iter().chain(&units) {
        contents.push((name.clone(), format!("{}项目标", rows.len())));
    }

    summary(book.add_worksheet(), report, &st, &contents)?;

    let ws = book.add_worksheet();
    ws.set_name(SHEET_ALL)?;
    let all: Vec<&Row> = report.rows.iter().collect();
    table(ws, &all, &st)?;

    if !report.sub_regions.is_empty() {
        sub_regions(book.add_worksheet(), report, &st)?;
    }
    for (name, rows) in &domains {
        let ws = book.add_worksheet();
        ws.set_name(name)?;
        ws.set_tab_color("#4472C4");
        table(ws, rows, &st)?;
        trend_charts(ws, name, rows, &st)?;
    }
    for (name, rows) in &units {
        let ws = book.add_worksheet();
        ws.set_name(name)?;
        ws.set_tab_color("#70AD47");
        table(ws, rows, &st)?;
    }
    Ok(book.save_to_buffer()?)
}

fn summary(
    ws: &mut Worksheet,
    report: &Report,
    st: &Styles,
    contents: &[(String, String)],
) -> Result<(), XlsxError> {
    ws.set_name(SHEET_SUMMARY)?;
    ws.set_column_width(0, 22.0)?;
    ws.set_column_width(1, 40.0)?;
    ws.write_string_with_format(0, 0, neutral(&report.title), &st.title)?;
    ws.set_row_height(0, 24)?;
    ws.write_string_with_format(1, 0, neutral(&report.subtitle), &st.subtitle)?;
    let mut r = 2;
    if report.demo {
        ws.merge_range(
            r,
            0,
            r,
            1,
            "本报告含演示数据，仅用于演示系统功能，不代表实际监测结果。",
            &st.demo,
        )?;
        r += 1;
    }
    r += 1;
    let facts: [(&str, String); 7] = [
        ("地区", report.region.name.clone()),
        ("地区路径", report.region.path.clone()),
        ("地区代码", report.region.code.clone().unwrap_or_default()),
        ("报告类型", report.kind.label_zh().to_string()),
        ("报告年份", String::new()),
        ("发布单位", report.issuer.clone()),
        ("发布日期", report.issued_on.clone()),
    ];
    for (label, value) in facts {
        ws.write_string_with_format(r, 0, label, &st.label)?;
        if label == "报告年份" {
            ws.write_number_with_format(r, 1, f64::from(report.year), &st.year)?;
        } else {
            ws.write_string_with_format(r, 1, neutral(&value), &st.text)?;
        }
        r += 1;
    }

    r += 1;
    ws.write_string_with_format(r, 0, "主要数字", &st.heading)?;
    r += 1;
    let h = &report.headline;
    // A count or a rate (None: no base to divide by, an empty cell).
    enum Figure {
        Count(usize),
        Rate(Option<f64>),
    }
    let mut figures = vec![
        ("目标总数", Figure::Count(h.total)),
        ("有监测数据", Figure::Count(h.with_data)),
        ("已达标", Figure::Count(h.achieved)),
        ("达标率", Figure::Rate(h.rate())),
        ("有预警的目标", Figure::Count(h.warned)),
        ("数据有误", Figure::Count(h.errors)),
    ];
    if matches!(report.kind, ReportKind::Midterm | ReportKind::Final) {
        figures.extend([
            ("到期目标", Figure::Count(h.due)),
            ("到期且有数据", Figure::Count(h.due_with_data)),
            ("到期已达标", Figure::Count(h.due_met)),
            ("到期目标达标率", Figure::Rate(h.due_rate())),
        ]);
    }
    for (label, figure) in figures {
        ws.write_string_with_format(r, 0, label, &st.label)?;
        match figure {
            Figure::Count(n) => ws.write_number_with_format(r, 1, n as f64, &st.count)?,
            Figure::Rate(Some(rate)) => ws.write_number_with_format(r, 1, rate, &st.percent)?,
            Figure::Rate(None) => ws.write_blank(r, 1, &st.percent)?,
        };
        r += 1;
    }

    r += 1;
    ws.write_string_with_format(r, 0, "实现情况", &st.header)?;
    ws.write_string_with_format(r, 1, "目标数", &st.header)?;
    let progress_first = r + 1;
    for (i, p) in Progress::ALL.into_iter().enumerate() {
        let at = progress_first + i as u32;
        ws.write_string_with_format(at, 0, p.label_zh(), &st.text)?;
        ws.write_number_with_format(at, 1, h.progress(p) as f64, &st.count)?;
    }
    let progress_last = progress_first + Progress::ALL.len() as u32 - 1;
    for rule in progress_rules() {
        ws.add_conditional_format(progress_first, 0, progress_last, 0, &rule)?;
    }
    r = progress_last + 2;

    ws.write_string_with_format(r, 0, "状态", &st.header)?;
    ws.write_string_with_format(r, 1, "目标数", &st.header)?;
    let status_first = r + 1;
    for s in Status::ALL {
        r += 1;
        ws.write_string_with_format(r, 0, s.label_zh(), &st.text)?;
        ws.write_number_with_format(r, 1, h.status(s) as f64, &st.count)?;
    }
    for rule in status_rules() {
        ws.add_conditional_format(status_first, 0, r, 0, &rule)?;
    }
    r += 2;

    ws.write_string_with_format(r, 0, "工作表目录", &st.heading)?;
    for (name, what) in contents {
        r += 1;
        let url =
            Url::new(format!("internal:'{}'!A1", name.replace('\'', "''"))).set_text(name.as_str());
        ws.write_url_with_format(r, 0, url, &st.link)?;
        ws.write_string(r, 1, what.as_str())?;
    }

    let mut chart = Chart::new(ChartType::Column);
    chart.title().set_name("目标实现情况");
    chart.legend().set_hidden();
    let points: Vec<ChartPoint> = Progress::ALL
        .into_iter()
        .map(|p| {
            // Stronger than the cell fills: bars are thin.
            let fill = match p {
                Progress::Early => "#00B050",
                Progress::OnTime => "#92D050",
                Progress::Gap => "#C00000",
                Progress::Undetermined => "#A6A6A6",
                Progress::NoData => "#D9D9D9",
            };
            ChartPoint::new().set_format(
                ChartFormat::new().set_solid_fill(ChartSolidFill::new().set_color(fill)),
            )
        })
        .collect();
    chart
        .add_series()
        .set_name("目标数")
        .set_categories((SHEET_SUMMARY, progress_first, 0, progress_last, 0))
        .set_values((SHEET_SUMMARY, progress_first, 1, progress_last, 1))
        .set_points(&points)
        .set_data_label(rust_xlsxwriter::ChartDataLabel::new().show_value());
    chart.y_axis().set_num_format("0");
    chart.set_width(480).set_height(300);
    ws.insert_chart(3, 3, &chart)?;
    ws.set_landscape()
        .set_paper_size(9)
        .set_print_fit_to_pages(1, 0);
    ws.set_active(true);
    Ok(())
}

/// The conditional formats of a progress column, one per label.
fn progress_rules() -> Vec<ConditionalFormatCell> {
    Progress::ALL
        .into_iter()
        .map(|p| colour_rule(p.label_zh(), Some(p)))
        .chain(std::iter::once(colour_rule("数据有误", None)))
        .collect()
}

/// The conditional formats of a status column.
fn status_rules() -> Vec<ConditionalFormatCell> {
    Status::ALL
        .into_iter()
        .map(|s| colour_rule(s.label_zh(), Some(status_group(s))))
        .chain(std::iter::once(colour_rule("数据有误", None)))
        .collect()
}

fn write_opt_year(
    ws: &mut Worksheet,
    r: u32,
    c: u16,
    p: Option<Point>,
    st: &Styles,
) -> Result<(), XlsxError> {
    match p {
        Some(p) => ws.write_number_with_format(r, c, f64::from(p.year), &st.year)?,
        None => ws.write_blank(r, c, &st.year)?,
    };
    Ok(())
}

fn write_opt_number(
    ws: &mut Worksheet,
    r: u32,
    c: u16,
    v: Option<f64>,
    format: &Format,
) -> Result<(), XlsxError> {
    match v.filter(|v| v.is_finite()) {
        Some(v) => ws.write_number_with_format(r, c, v, format)?,
        None => ws.write_blank(r, c, format)?,
    };
    Ok(())
}

/// A table prints on A4 landscape, one page wide, the header on every page.
fn print_wide(ws: &mut Worksheet) -> Result<(), XlsxError> {
    ws.set_landscape()
        .set_paper_size(9)
        .set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, 0)?;
    Ok(())
}

/// Writes the target table from A1: the header, one line per row, frozen header and the
/// first three columns, an autofilter and the colours. Returns the first free row.
fn table(ws: &mut Worksheet, rows: &[&Row], st: &Styles) -> Result<u32, XlsxError> {
    for (c, (h, w)) in COLUMNS.iter().zip(WIDTHS).enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &st.header)?;
        ws.set_column_width(c as u16, w)?;
    }
    ws.set_row_height(0, 30)?;
    for (i, row) in rows.iter().enumerate() {
        let r = 1 + i as u32;
        let texts: [(u16, String); 7] = [
            (0, plan_zh(row).to_string()),
            (1, row.domain.clone()),
            (2, row.indicator.clone()),
            (3, row.code.clone().unwrap_or_default()),
            (4, row.unit.clone()),
            (5, row.owners_zh()),
            (6, row.goal.clone()),
        ];
        for (c, t) in texts {
            ws.write_string_with_format(r, c, neutral(&t), &st.text)?;
        }
        let d = row.decimals;
        let num = st.number(d);
        let target_format = st.number(d.max(decimals_of(row.target_value)));
        ws.write_number_with_format(r, 7, row.target_value, target_format)?;
        ws.write_number_with_format(r, 8, f64::from(row.target_year), &st.year)?;
        ws.write_string_with_format(r, 9, if row.binding { "是" } else { "否" }, &st.text)?;
        for (c, p) in [(10, row.baseline), (12, row.previous), (14, row.latest)] {
            write_opt_year(ws, r, c, p, st)?;
            write_opt_number(ws, r, c + 1, p.map(|p| p.value), num)?;
        }
        write_opt_number(ws, r, 16, row.change(), st.change(d))?;
        write_opt_number(ws, r, 17, row.expected, num)?;
        write_opt_number(ws, r, 18, row.projected, num)?;
        ws.write_string_with_format(r, COL_STATUS, row.status_zh(), &st.text)?;
        ws.write_string_with_format(r, COL_PROGRESS, row.progress_zh(), &st.text)?;
        ws.write_string_with_format(r, 21, neutral(&row.warnings_zh()), &st.wrap)?;
        ws.write_string_with_format(r, 22, neutral(&row.sentence), &st.wrap)?;
        // A copied slice of the table still says which values are not real.
        ws.write_string_with_format(r, 23, if row.demo { "是" } else { "否" }, &st.text)?;
    }
    let last = rows.len() as u32;
    ws.set_freeze_panes(1, 3)?;
    print_wide(ws)?;
    ws.autofilter(0, 0, last, COLUMNS.len() as u16 - 1)?;
    if last > 0 {
        for rule in status_rules() {
            ws.add_conditional_format(1, COL_STATUS, last, COL_STATUS, &rule)?;
        }
        for rule in progress_rules() {
            ws.add_conditional_format(1, COL_PROGRESS, last, COL_PROGRESS, &rule)?;
        }
    }
    Ok(last + 1)
}

/// Below a domain's table: a line chart per indicator with data (values by year, and the
/// target as a dashed line), then the data the charts are drawn from.
fn trend_charts(
    ws: &mut Worksheet,
    sheet: &str,
    rows: &[&Row],
    st: &Styles,
) -> Result<(), XlsxError> {
    let with_data: Vec<&Row> = rows
        .iter()
        .copied()
        .filter(|r| r.series.iter().any(|p| p.value.is_finite()))
        .collect();
    let top = rows.len() as u32 + 2;
    if with_data.is_empty() {
        ws.write_string_with_format(top, 0, "本领域暂无可绘制趋势图的数据。", &st.heading)?;
        return Ok(());
    }
    ws.write_string_with_format(top, 0, "指标趋势图", &st.heading)?;
    let chart_top = top + 1;
    let chart_rows = (with_data.len() as u32).div_ceil(2) * CHART_ROWS;
    let data_top = chart_top + chart_rows + 1;
    ws.write_string_with_format(data_top, 0, "趋势图数据", &st.heading)?;

    for (i, row) in with_data.iter().enumerate() {
        let points: Vec<Point> = row
            .series
            .iter()
            .copied()
            .filter(|p| p.value.is_finite())
            .collect();
        let r = data_top + 1 + 3 * i as u32;
        // The name in the wide 指标 column, the values after the label column.
        let first = DATA_FIRST_COL;
        let last = first + points.len() as u16 - 1;
        ws.write_string_with_format(r, DATA_FIRST_COL - 2, neutral(&row.indicator), &st.label)?;
        for (k, label) in ["年份", "数值", "目标值"].into_iter().enumerate() {
            ws.write_string_with_format(r + k as u32, DATA_FIRST_COL - 1, label, &st.label)?;
        }
        let num = st.number(row.decimals);
        for (j, p) in points.iter().enumerate() {
            let c = first + j as u16;
            ws.write_number_with_format(r, c, f64::from(p.year), &st.year)?;
            ws.write_number_with_format(r + 1, c, p.value, num)?;
            ws.write_number_with_format(r + 2, c, row.target_value, num)?;
        }

        let mut chart = Chart::new(ChartType::Line);
        let unit = if row.unit.is_empty() {
            String::new()
        } else {
            format!("（{}）", row.unit)
        };
        // A title starting with "=" would be read as a reference to a cell.
        chart
            .title()
            .set_name(neutral(&format!("{}{}", row.indicator, unit)).as_str());
        chart
            .add_series()
            .set_name("数值")
            .set_categories((sheet, r, first, r, last))
            .set_values((sheet, r + 1, first, r + 1, last))
            .set_marker(ChartMarker::new().set_type(ChartMarkerType::Circle));
        chart
            .add_series()
            .set_name(format!("目标值（{}年）", row.target_year).as_str())
            .set_categories((sheet, r, first, r, last))
            .set_values((sheet, r + 2, first, r + 2, last))
            .set_format(
                ChartFormat::new().set_line(
                    ChartLine::new()
                        .set_color("#C00000")
                        .set_dash_type(ChartLineDashType::Dash),
                ),
            );
        chart.y_axis().set_num_format(decimals_format(row.decimals));
        chart.set_width(CHART_WIDTH).set_height(CHART_HEIGHT);
        let at_row = chart_top + (i as u32 / 2) * CHART_ROWS;
        let at_col = if i % 2 == 0 { 0 } else { CHART_RIGHT_COL };
        ws.insert_chart(at_row, at_col, &chart)?;
    }
    Ok(())
}

fn sub_regions(ws: &mut Worksheet, report: &Report, st: &Styles) -> Result<(), XlsxError> {
    ws.set_name(SHEET_SUB_REGIONS)?;
    for (c, h) in SUB_REGION_COLUMNS.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &st.header)?;
        ws.set_column_width(c as u16, if c == 0 { 24.0 } else { 11.0 })?;
    }
    ws.set_row_height(0, 30)?;
    for (i, s) in report.sub_regions.iter().enumerate() {
        let r = 1 + i as u32;
        let name = if s.generated {
            format!("{}（{GENERATED_REGION}）", s.region.name)
        } else {
            s.region.name.clone()
        };
        ws.write_string_with_format(r, 0, neutral(&name), &st.text)?;
        ws.write_string_with_format(
            r,
            1,
            neutral(s.region.code.as_deref().unwrap_or_default()),
            &st.text,
        )?;
        ws.write_string_with_format(r, 2, neutral(&s.level), &st.text)?;
        for (c, n) in [(3, s.total), (4, s.with_data), (5, s.achieved)] {
            ws.write_number_with_format(r, c, n as f64, &st.count)?;
        }
        write_opt_number(ws, r, 6, s.rate, &st.percent)?;
        ws.write_number_with_format(r, 7, s.warned as f64, &st.count)?;
        ws.write_number_with_format(r, 8, s.projected_miss as f64, &st.count)?;
        write_opt_number(ws, r, 9, s.reported_share, &st.percent)?;
        ws.write_string_with_format(r, 10, if s.demo { "是" } else { "否" }, &st.text)?;
    }
    ws.set_freeze_panes(1, 1)?;
    print_wide(ws)?;
    ws.autofilter(
        0,
        0,
        report.sub_regions.len() as u32,
        SUB_REGION_COLUMNS.len() as u16 - 1,
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_valid_and_unique() {
        let mut names = SheetNames::default();
        assert_eq!(names.take("领域-妇女与健康"), "领域-妇女与健康");
        assert_eq!(names.take("领域-妇女与健康"), "领域-妇女与健康(2)");
        assert_eq!(names.take("单位-a/b[c]:*?\\"), "单位-a_b_c_____");
        let long = format!("单位-{}", "很".repeat(40));
        let a = names.take(&long);
        let b = names.take(&long);
        assert_eq!(a.chars().count(), 31);
        assert_eq!(b.chars().count(), 31);
        assert!(b.ends_with("(2)"));
        assert_eq!(names.take("'x'"), "x");
        assert_eq!(names.take("ABC"), "ABC");
        assert_eq!(names.take("abc"), "abc(2)");
        for n in [a, b] {
            assert!(
                rust_xlsxwriter::utility::check_sheet_name(&n).is_ok(),
                "{n}"
            );
        }
    }
}
