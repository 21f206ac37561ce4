//! The report's indicator table as open data: CSV, JSON with a data dictionary, and
//! SDMX-CSV 1.0 for statistics offices above.
//!
//! CSV and JSON carry the same fields, named and described once in [`dictionary`]: the
//! web app shows it as a page and the JSON ships it, so a field can never be in one file
//! and missing from its description. Machine names are English snake_case and never
//! change; labels and descriptions are Chinese. A CSV text cell that would start a
//! formula gets a leading `'` ([`crate::text`]); JSON, which no spreadsheet evaluates,
//! carries the text as written. A missing value is an empty CSV field and a JSON null.
//!
//! SDMX-CSV 1.0 (one line per observation, `DATAFLOW` first, then the dimensions, the
//! measure and the attributes; see [`SDMX_HEADER`]) carries only the values themselves:
//! - `REF_AREA` is the region's GB/T 2260 code; a region the gazetteer does not know has
//!   no code, and then its path (`重庆市/石柱土家族自治县`) stands in, so that the office
//!   above still sees whose values these are (it is no code of the area code list, and a
//!   validating receiver will say so rather than file the values under a wrong region).
//! - `INDICATOR` is the catalog code (W-HEA-03). A region's own indicator has none and is
//!   left out: a local id would mean nothing above, and could collide with another
//!   region's.
//! - `SEX` is always `_T` (total): the report model has no breakdowns yet.
//! - Each code's series is written once, even when two targets (one per plan, or two
//!   target years) judge the same indicator.

use crate::text::neutral;
use planwatch_core::reporting::{Point, Progress, Report, Row};
use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};
use std::collections::BTreeSet;

/// The type of a field's values (JSON type; CSV writes them as text).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldType {
    String,
    Number,
    Integer,
    Boolean,
    /// A JSON array of strings; one CSV field with the items joined by [`LIST_SEPARATOR`].
    StringList,
}

impl FieldType {
    /// The type as the dictionary page says it.
    pub fn label_zh(self) -> &'static str {
        match self {
            FieldType::String => "文本",
            FieldType::Number => "数值",
            FieldType::Integer => "整数",
            FieldType::Boolean => "是/否",
            FieldType::StringList => "文本列表",
        }
    }
}

/// One field of the CSV and JSON rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Field {
    /// The CSV column and JSON key.
    pub name: &'static str,
    /// The Chinese label (the column header of the Excel sheet where there is one).
    pub label: &'static str,
    #[serde(rename = "type")]
    pub kind: FieldType,
    pub description: &'static str,
}

/// How a list field is written in one CSV cell.
pub const LIST_SEPARATOR: &str = ";";

/// The dataflow every SDMX-CSV line names: agency (全国妇儿工委 monitoring), id, version.
pub const SDMX_DATAFLOW: &str = "CN_NWCCW:DF_PLAN_MONITORING(1.0)";

/// The SDMX-CSV 1.0 header: dataflow, dimensions, measure, attribute.
pub const SDMX_HEADER: [&str; 7] = [
    "DATAFLOW",
    "REF_AREA",
    "INDICATOR",
    "SEX",
    "TIME_PERIOD",
    "OBS_VALUE",
    "UNIT_MEASURE",
];

const fn field(
    name: &'static str,
    label: &'static str,
    kind: FieldType,
    description: &'static str,
) -> Field {
    Field {
        name,
        label,
        kind,
        description,
    }
}

use FieldType::{Boolean, Integer, Number, String as Text, StringList};

const FIELDS: [Field; 36] = [
    field(
        "region_code",
        "地区代码",
        Text,
        "GB/T 2260 行政区划代码（6位）；地名库中没有的地区为空（null）。",
    ),
    field("region", "地区", Text, "报告所属地区的名称。"),
    field(
        "region_path",
        "地区路径",
        Text,
        "从省级到本地区的名称，以“/”分隔，如“重庆市/石柱土家族自治县”。",
    ),
    field(
        "year",
        "报告年份",
        Integer,
        "报告年份：截至该年的数据参与评价。",
    ),
    field(
        "plan",
        "规划代码",
        Text,
        "目标所属规划：women（妇女发展规划）或 children（儿童发展规划）。",
    ),
    field("plan_zh", "规划", Text, "目标所属规划：妇女或儿童。"),
    field("domain", "领域", Text, "规划的领域，如“妇女与健康”。"),
    field("indicator", "指标", Text, "指标名称。"),
    field(
        "code",
        "指标代码",
        Text,
        "指标目录代码，如 W-HEA-03；本地区自设指标为空（null）。",
    ),
    field(
        "unit",
        "单位",
        Text,
        "计量单位，如“%”“1/10万”“‰”“岁”；空表示无单位。",
    ),
    field(
        "owners",
        "责任单位",
        StringList,
        "责任单位，牵头单位在前；规划未明确时为空列表。CSV 中以分号“;”分隔。",
    ),
    field(
        "comparator",
        "比较符",
        Text,
        "目标值的比较方式：>=（不低于）、<=（不高于）、>（高于）、<（低于）、=（等于）。",
    ),
    field(
        "target_value",
        "目标值",
        Number,
        "规划确定的目标值，单位见 unit。",
    ),
    field("target_year", "目标年份", Integer, "目标应实现的年份。"),
    field("goal", "目标", Text, "规划原文表述的目标，如“9/10万以下”。"),
    field(
        "binding",
        "约束性",
        Boolean,
        "是否为约束性指标（true）；否则为预期性指标（false）。",
    ),
    field(
        "baseline_year",
        "基期年份",
        Integer,
        "基期值的年份；无基期值时为空。",
    ),
    field(
        "baseline_value",
        "基期值",
        Number,
        "基期值；无基期值时为空。",
    ),
    field(
        "previous_year",
        "上期年份",
        Integer,
        "最新值之前一个值的年份；只有一个值时为空。",
    ),
    field(
        "previous_value",
        "上期值",
        Number,
        "最新值之前的一个值；只有一个值时为空。",
    ),
    field(
        "latest_year",
        "最新年份",
        Integer,
        "截至报告年份的最新值的年份；无数据时为空。",
    ),
    field(
        "latest_value",
        "最新值",
        Number,
        "截至报告年份的最新值；无数据时为空。",
    ),
    field(
        "change",
        "比上期变化",
        Number,
        "最新值减上期值，按报送精度四舍五入；缺任一值时为空。",
    ),
    field(
        "expected",
        "序时进度",
        Number,
        "按基期值到目标值匀速推进，最新值年份应达到的值，按报送精度四舍五入；无基期值时为空。",
    ),
    field(
        "projected",
        "预计目标年值",
        Number,
        "按近年趋势推算的目标年份的值，按报送精度四舍五入；数据不足以推算时为空。",
    ),
    field(
        "status",
        "状态代码",
        Text,
        "评价状态：no_data、achieved、missed、no_trend、on_track、needs_acceleration、off_track、regressing；数据有误（无法形成序列）时为空。",
    ),
    field(
        "status_zh",
        "状态",
        Text,
        "评价状态的中文：无数据、已达标、未达标、待观察、进展顺利、需加快进度、预计达标困难、出现倒退、数据有误。",
    ),
    field(
        "progress",
        "实现情况代码",
        Text,
        "实现情况分组：early、on_time、gap、undetermined、no_data；数据有误时为空。",
    ),
    field(
        "progress_zh",
        "实现情况",
        Text,
        "实现情况分组的中文：提前实现、如期实现、尚存差距、待观察、无数据、数据有误。",
    ),
    field(
        "warnings",
        "预警代码",
        StringList,
        "预警代码：W_PROJECTED_MISS、W_VOLATILE、W_BINDING_MISSED、W_MISSING；无预警为空列表。CSV 中以分号“;”分隔。",
    ),
    field(
        "warnings_zh",
        "预警",
        StringList,
        "预警的中文：预计难以按期达标、波动较大、约束性指标未达标、缺报。CSV 中以分号“;”分隔。",
    ),
    field("sentence", "说明", Text, "根据评价结果生成的一句话说明。"),
    field(
        "series_years",
        "历年年份",
        StringList,
        "截至报告年份的全部数据的年份，与 series_values 一一对应。CSV 中以分号“;”分隔。",
    ),
    field(
        "series_values",
        "历年数值",
        StringList,
        "截至报告年份的全部数据，与 series_years 一一对应。CSV 中以分号“;”分隔。",
    ),
    field("decimals", "小数位数", Integer, "数据报送时的小数位数。"),
    field(
        "demo",
        "演示数据",
        Boolean,
        "该目标的数据含演示数据（true）时，不代表实际监测结果。",
    ),
];

/// Every field of the CSV and JSON rows, in column order.
pub fn dictionary() -> &'static [Field] {
    &FIELDS
}

const SDMX_FIELDS: [Field; 7] = [
    field(
        "DATAFLOW",
        "数据流",
        Text,
        "数据流标识（机构:数据流(版本)），固定为 CN_NWCCW:DF_PLAN_MONITORING(1.0)。",
    ),
    field(
        "REF_AREA",
        "地区",
        Text,
        "GB/T 2260 行政区划代码；地名库中没有代码的地区以地区路径代替（如“重庆市/石柱土家族自治县”）。",
    ),
    field(
        "INDICATOR",
        "指标",
        Text,
        "指标目录代码，如 W-HEA-03；本地区自设指标没有目录代码，不在本文件中。",
    ),
    field(
        "SEX",
        "性别",
        Text,
        "固定为 _T（合计）：暂不报送分性别数据。",
    ),
    field("TIME_PERIOD", "年份", Integer, "数据所属年份。"),
    field(
        "OBS_VALUE",
        "数值",
        Number,
        "该年的指标值；同一指标被两项目标引用时只报送一次。",
    ),
    field(
        "UNIT_MEASURE",
        "计量单位",
        Text,
        "计量单位代码：PT（%）、PER_1000（‰）、PER_100000（1/10万）；其他单位照原文填写。",
    ),
];

/// The columns of [`sdmx_csv`], in order, described like [`dictionary`]'s.
pub fn sdmx_dictionary() -> &'static [Field] {
    &SDMX_FIELDS
}

/// A field's value in one row.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    Text(Option<String>),
    Number(Option<f64>),
    Integer(Option<i64>),
    Bool(bool),
    List(Vec<String>),
}

impl Value {
    fn text(s: &str) -> Value {
        Value::Text(Some(s.to_string()))
    }

    /// The CSV cell: text made formula-safe, numbers in their shortest exact form,
    /// nothing for a missing value.
    fn csv(&self) -> String {
        match self {
            Value::Text(Some(s)) => neutral(s),
            Value::Text(None) | Value::Number(None) | Value::Integer(None) => String::new(),
            Value::Number(Some(v)) => number_text(*v),
            Value::Integer(Some(v)) => v.to_string(),
            Value::Bool(b) => b.to_string(),
            Value::List(items) => neutral(&items.join(LIST_SEPARATOR)),
        }
    }
}

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Text(t) => t.serialize(s),
            // serde_json writes a non-finite float as null, which is what a missing
            // value is.
            Value::Number(v) => v.filter(|v| v.is_finite()).serialize(s),
            Value::Integer(v) => v.serialize(s),
            Value::Bool(b) => b.serialize(s),
            Value::List(items) => items.serialize(s),
        }
    }
}

/// `v` as CSV and SDMX write it: "8.2", "90", never "8.200000000000001" for a value
/// that was reported as 8.2 (values are stored as parsed).
fn number_text(v: f64) -> String {
    if v.is_finite() {
        format!("{v}")
    } else {
        String::new()
    }
}

fn round_to(v: f64, decimals: u8) -> f64 {
    let scale = 10f64.powi(i32::from(decimals));
    (v * scale).round() / scale
}

fn progress_code(p: Progress) -> &'static str {
    match p {
        Progress::Early => "early",
        Progress::OnTime => "on_time",
        Progress::Gap => "gap",
        Progress::Undetermined => "undetermined",
        Progress::NoData => "no_data",
    }
}

/// The plan as the Excel sheet and the CSV say it in one word.
pub(crate) fn plan_zh(row: &Row) -> &'static str {
    match row.plan {
        planwatch_core::PlanKind::Women => "妇女",
        planwatch_core::PlanKind::Children => "儿童",
    }
}

fn year_of(p: Option<Point>) -> Value {
    Value::Integer(p.map(|p| i64::from(p.year)))
}

fn value_of(p: Option<Point>) -> Value {
    Value::Number(p.map(|p| p.value))
}

/// One row's values, named, in the order of [`dictionary`].
fn record(report: &Report, row: &Row) -> Vec<(&'static str, Value)> {
    vec![
        ("region_code", Value::Text(report.region.code.clone())),
        ("region", Value::text(&report.region.name)),
        ("region_path", Value::text(&report.region.path)),
        ("year", Value::Integer(Some(i64::from(report.year)))),
        ("plan", Value::text(row.plan.as_str())),
        ("plan_zh", Value::text(plan_zh(row))),
        ("domain", Value::text(&row.domain)),
        ("indicator", Value::text(&row.indicator)),
        ("code", Value::Text(row.code.clone())),
        ("unit", Value::text(&row.unit)),
        ("owners", Value::List(row.owners.clone())),
        ("comparator", Value::text(row.comparator.as_str())),
        ("target_value", Value::Number(Some(row.target_value))),
        (
            "target_year",
            Value::Integer(Some(i64::from(row.target_year))),
        ),
        ("goal", Value::text(&row.goal)),
        ("binding", Value::Bool(row.binding)),
        ("baseline_year", year_of(row.baseline)),
        ("baseline_value", value_of(row.baseline)),
        ("previous_year", year_of(row.previous)),
        ("previous_value", value_of(row.previous)),
        ("latest_year", year_of(row.latest)),
        ("latest_value", value_of(row.latest)),
        ("change", Value::Number(row.change())),
        (
            "expected",
            Value::Number(row.expected.map(|v| round_to(v, row.decimals))),
        ),
        (
            "projected",
            Value::Number(row.projected.map(|v| round_to(v, row.decimals))),
        ),
        (
            "status",
            Value::Text(row.status.map(|s| s.as_str().to_string())),
        ),
        ("status_zh", Value::text(row.status_zh())),
        (
            "progress",
            Value::Text(row.progress.map(|p| progress_code(p).to_string())),
        ),
        ("progress_zh", Value::text(row.progress_zh())),
        (
            "warnings",
            Value::List(
                row.warnings
                    .iter()
                    .map(|w| w.as_str().to_string())
                    .collect(),
            ),
        ),
        (
            "warnings_zh",
            Value::List(
                row.warnings
                    .iter()
                    .map(|w| w.label_zh().to_string())
                    .collect(),
            ),
        ),
        ("sentence", Value::text(&row.sentence)),
        (
            "series_years",
            Value::List(row.series.iter().map(|p| p.year.to_string()).collect()),
        ),
        (
            "series_values",
            Value::List(row.series.iter().map(|p| number_text(p.value)).collect()),
        ),
        ("decimals", Value::Integer(Some(i64::from(row.decimals)))),
        ("demo", Value::Bool(row.demo)),
    ]
}

/// Writes `lines` as RFC 4180 CSV with CRLF line ends, after `prefix`.
fn write_csv<I>(prefix: &[u8], lines: I) -> Vec<u8>
where
    I: IntoIterator<Item = Vec<String>>,
{
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(prefix.to_vec());
    for line in lines {
        // Writing into memory fails only on rows of unequal length, which every caller
        // builds from one fixed header; a line dropped here would be a bug, never data.
        if w.write_record(&line).is_err() {
            debug_assert!(false, "a CSV line could not be written");
        }
    }
    w.into_inner().unwrap_or_default()
}

/// One row per target, UTF-8 with a BOM (Excel opens it as Chinese).
pub fn csv(report: &Report) -> Vec<u8> {
    let header = FIELDS.iter().map(|f| f.name.to_string()).collect();
    let lines = report
        .rows
        .iter()
        .map(|row| record(report, row).iter().map(|(_, v)| v.csv()).collect());
    write_csv("\u{feff}".as_bytes(), std::iter::once(header).chain(lines))
}

struct JsonRow(Vec<(&'static str, Value)>);

impl Serialize for JsonRow {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // Keys in the dictionary's order (a map would sort them).
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

#[derive(Serialize)]
struct JsonRegion<'a> {
    name: &'a str,
    path: &'a str,
    code: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonReport<'a> {
    title: &'a str,
    kind: &'a str,
    kind_zh: &'a str,
    region: JsonRegion<'a>,
    year: i32,
    issuer: &'a str,
    issued_on: &'a str,
    demo: bool,
}

#[derive(Serialize)]
struct JsonDocument<'a> {
    report: JsonReport<'a>,
    dictionary: &'static [Field],
    rows: Vec<JsonRow>,
}

/// The table as JSON, with the report's identity and the data dictionary.
pub fn json(report: &Report) -> Vec<u8> {
    let doc = JsonDocument {
        report: JsonReport {
            title: &report.title,
            kind: report.kind.code(),
            kind_zh: report.kind.label_zh(),
            region: JsonRegion {
                name: &report.region.name,
                path: &report.region.path,
                code: report.region.code.as_deref(),
            },
            year: report.year,
            issuer: &report.issuer,
            issued_on: &report.issued_on,
            demo: report.demo,
        },
        dictionary: dictionary(),
        rows: report
            .rows
            .iter()
            .map(|row| JsonRow(record(report, row)))
            .collect(),
    };
    // Serialising strings, finite numbers and nulls into memory cannot fail.
    serde_json::to_vec_pretty(&doc).unwrap_or_default()
}

/// The SDMX code of a unit: the SDMX common code list's where there is one, the unit as
/// written otherwise.
pub fn sdmx_unit(unit: &str) -> String {
    match unit.trim() {
        "%" => "PT".to_string(),
        "‰" => "PER_1000".to_string(),
        "1/10万" => "PER_100000".to_string(),
        other => other.to_string(),
    }
}

/// SDMX-CSV 1.0 (see the module documentation for the choices): UTF-8 without a BOM, one
/// line per observation of every catalogued indicator's series.
pub fn sdmx_csv(report: &Report) -> Vec<u8> {
    let area = report
        .region
        .code
        .clone()
        .unwrap_or_else(|| report.region.path.clone());
    let area = neutral(&area);
    let mut seen: BTreeSet<(&str, i32)> = BTreeSet::new();
    let mut lines: Vec<Vec<String>> = vec![SDMX_HEADER.iter().map(|h| h.to_string()).collect()];
    for row in &report.rows {
        let Some(code) = row.code.as_deref() else {
            continue;
        };
        let unit = neutral(&sdmx_unit(&row.unit));
        for p in &row.series {
            if !p.value.is_finite() || !seen.insert((code, p.year)) {
                continue;
            }
            lines.push(vec![
                SDMX_DATAFLOW.to_string(),
                area.clone(),
                neutral(code),
                "_T".to_string(),
                p.year.to_string(),
                number_text(p.value),
                unit.clone(),
            ]);
        }
    }
    write_csv(b"", lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dictionary_names_are_unique_machine_names() {
        let mut names: Vec<&str> = FIELDS.iter().map(|f| f.name).collect();
        assert!(
            names
                .iter()
                .all(|n| n.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
        );
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), FIELDS.len());
    }

    #[test]
    fn the_sdmx_dictionary_describes_the_header() {
        let names: Vec<&str> = sdmx_dictionary().iter().map(|f| f.name).collect();
        assert_eq!(names, SDMX_HEADER);
    }

    #[test]
    fn units_map_to_sdmx_codes() {
        assert_eq!(sdmx_unit("%"), "PT");
        assert_eq!(sdmx_unit("‰"), "PER_1000");
        assert_eq!(sdmx_unit("1/10万"), "PER_100000");
        assert_eq!(sdmx_unit("岁"), "岁");
    }
}
