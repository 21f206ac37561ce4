//! Reads an upload back.

use std::io::Cursor;

use calamine::{Data, Range, Reader, Xlsx, open_workbook_from_rs};

use super::cell::{NotNumber, parse_number};
use super::guard::{self, UploadLimits};
use super::write::{
    EXPLANATION_HEADER, FIRST_DATA_ROW, HEADER_ROW, META_KEYS_ROW, META_MARK, META_REGION_ROW,
    META_UNIT_ROW, META_YEAR_ROW, VALUE_COL, VALUE_HEADER,
};
use super::{CellError, FilledRow, FormRow, FormSpec, SHEET_FORM, SHEET_META};

const REDOWNLOAD: &str = "请重新下载模板填写后上传";

/// Reads a filled template of `spec` with the default [`UploadLimits`].
///
/// Returns one [`FilledRow`] per indicator row of the upload, in sheet order; or, if
/// anything is wrong, every error found (nothing of the upload is to be stored then).
pub fn read_upload(bytes: &[u8], spec: &FormSpec) -> Result<Vec<FilledRow>, Vec<CellError>> {
    read_upload_with_limits(bytes, spec, &UploadLimits::default())
}

/// [`read_upload`] with explicit limits (tests lower them).
pub fn read_upload_with_limits(
    bytes: &[u8],
    spec: &FormSpec,
    limits: &UploadLimits,
) -> Result<Vec<FilledRow>, Vec<CellError>> {
    guard::check(bytes, limits).map_err(|e| vec![e])?;
    let mut workbook: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).map_err(|_| {
        vec![CellError::file(
            "文件已损坏或不是 Excel 文件（.xlsx），无法打开；请用下载的模板填写后上传",
        )]
    })?;
    let missing = |name: &str| {
        vec![CellError {
            sheet: name.to_owned(),
            cell: String::new(),
            message: format!(
                "找不到工作表“{name}”，这不是从本系统下载的填报模板或工作表被改名、删除；{REDOWNLOAD}"
            ),
        }]
    };
    let meta = workbook
        .worksheet_range(SHEET_META)
        .map_err(|_| missing(SHEET_META))?;
    let form = workbook
        .worksheet_range(SHEET_FORM)
        .map_err(|_| missing(SHEET_FORM))?;
    check_identity(&meta, spec).map_err(|e| vec![e])?;

    let mut errors = Vec::new();
    let rows = meta_rows(&meta, &mut errors);
    let columns = match Columns::find(&form) {
        Ok(c) => c,
        Err(e) => {
            errors.push(e);
            return Err(errors);
        }
    };

    let mut filled = Vec::new();
    let mut known_rows = Vec::new();
    for (key, r) in rows {
        known_rows.push(r);
        let Some(spec_row) = spec.rows.iter().find(|s| s.key == key) else {
            errors.push(CellError::at(
                SHEET_FORM,
                r,
                1,
                format!(
                    "第{}行的指标“{}”不在{}{}年度的填报指标中；{REDOWNLOAD}",
                    r + 1,
                    text(&form, r, 1),
                    spec.unit_name,
                    spec.year
                ),
            ));
            continue;
        };
        if text(&form, r, 1) != spec_row.name.trim() {
            errors.push(CellError::at(
                SHEET_FORM,
                r,
                1,
                format!(
                    "第{}行应为指标“{}”，表格中是“{}”（行被移动或修改过）；{REDOWNLOAD}",
                    r + 1,
                    spec_row.name,
                    text(&form, r, 1)
                ),
            ));
            continue;
        }
        filled.push(read_row(&form, &columns, r, spec_row, &mut errors));
    }
    // Rows typed below or between the template's rows.
    if let Some((end_row, _)) = form.end() {
        for r in FIRST_DATA_ROW..=end_row {
            if known_rows.contains(&r) {
                continue;
            }
            let used = (0..=columns.explanation).any(|c| !is_blank(form.get_value((r, c))));
            if used {
                errors.push(CellError::at(
                    SHEET_FORM,
                    r,
                    1,
                    format!(
                        "第{}行不是模板中的指标行（可能是新增的行），请删除该行；需要增加指标请联系管理部门",
                        r + 1
                    ),
                ));
            }
        }
    }
    if errors.is_empty() {
        Ok(filled)
    } else {
        Err(errors)
    }
}

fn is_blank(cell: Option<&Data>) -> bool {
    match cell {
        None | Some(Data::Empty) => true,
        Some(Data::String(s)) => s.trim().is_empty(),
        _ => false,
    }
}

/// A cell as text: strings trimmed, whole numbers without ".0".
fn text(range: &Range<Data>, row: u32, col: u32) -> String {
    match range.get_value((row, col)) {
        None | Some(Data::Empty) => String::new(),
        Some(Data::String(s)) => s.trim().to_owned(),
        Some(Data::Float(f)) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Some(other) => other.to_string(),
    }
}

/// The template's region, year and unit must be the expected ones.
fn check_identity(meta: &Range<Data>, spec: &FormSpec) -> Result<(), CellError> {
    if text(meta, 0, 0) != META_MARK {
        return Err(CellError::at(
            SHEET_META,
            0,
            0,
            format!(
                "工作表“{SHEET_META}”的内容被修改，无法确认是哪个单位哪一年的模板；{REDOWNLOAD}"
            ),
        ));
    }
    let checks = [
        (META_REGION_ROW, 2, spec.region_id.to_string()),
        (META_YEAR_ROW, 1, spec.year.to_string()),
        (META_UNIT_ROW, 2, spec.unit_id.to_string()),
    ];
    if let Some((row, col, _)) = checks
        .iter()
        .find(|(r, c, want)| text(meta, *r, *c) != *want)
    {
        return Err(CellError::at(
            SHEET_META,
            *row,
            *col,
            format!(
                "这是{}{}年度“{}”的填报模板，本次应上传{}{}年度“{}”的模板；请下载正确的模板填写后上传",
                text(meta, META_REGION_ROW, 1),
                text(meta, META_YEAR_ROW, 1),
                text(meta, META_UNIT_ROW, 1),
                spec.region,
                spec.year,
                spec.unit_name
            ),
        ));
    }
    Ok(())
}

/// (key, zero-based row on the form sheet) of each data row, from the hidden sheet.
fn meta_rows(meta: &Range<Data>, errors: &mut Vec<CellError>) -> Vec<(String, u32)> {
    let mut rows: Vec<(String, u32)> = Vec::new();
    let end = meta.end().map_or(0, |(r, _)| r);
    for r in META_KEYS_ROW..=end {
        let key = text(meta, r, 0);
        if key.is_empty() {
            continue;
        }
        let row = text(meta, r, 1)
            .parse::<u32>()
            .ok()
            .filter(|n| *n > FIRST_DATA_ROW);
        let Some(row) = row else {
            errors.push(CellError::at(
                SHEET_META,
                r,
                1,
                format!("模板信息中指标“{key}”的行号被修改；{REDOWNLOAD}"),
            ));
            continue;
        };
        if rows.iter().any(|(k, n)| *k == key || *n == row - 1) {
            errors.push(CellError::at(
                SHEET_META,
                r,
                0,
                format!("模板信息中指标“{key}”重复；{REDOWNLOAD}"),
            ));
            continue;
        }
        rows.push((key, row - 1));
    }
    rows
}

/// Where the value, breakdown and explanation columns are, found by their headers.
struct Columns {
    value: u32,
    breakdowns: Vec<(u32, String)>,
    explanation: u32,
}

impl Columns {
    fn find(form: &Range<Data>) -> Result<Columns, CellError> {
        let end = form.end().map_or(0, |(_, c)| c);
        let header = |want: &str| (0..=end).find(|c| text(form, HEADER_ROW, *c) == want);
        let value = header(VALUE_HEADER).filter(|c| *c == u32::from(VALUE_COL));
        let explanation = header(EXPLANATION_HEADER);
        match (value, explanation) {
            (Some(value), Some(explanation)) if explanation > value => Ok(Columns {
                value,
                breakdowns: (value + 1..explanation)
                    .map(|c| (c, text(form, HEADER_ROW, c)))
                    .collect(),
                explanation,
            }),
            _ => Err(CellError::at(
                SHEET_FORM,
                HEADER_ROW,
                u32::from(VALUE_COL),
                format!(
                    "表头被修改，找不到“{VALUE_HEADER}”或“{EXPLANATION_HEADER}”列；{REDOWNLOAD}"
                ),
            )),
        }
    }
}

fn read_row(
    form: &Range<Data>,
    columns: &Columns,
    r: u32,
    spec_row: &FormRow,
    errors: &mut Vec<CellError>,
) -> FilledRow {
    let value = number(form, r, columns.value, &spec_row.name, errors);
    let mut breakdowns = Vec::new();
    for (c, label) in &columns.breakdowns {
        if !spec_row.breakdowns.contains(label) {
            if !is_blank(form.get_value((r, *c))) {
                errors.push(CellError::at(
                    SHEET_FORM,
                    r,
                    *c,
                    format!("指标“{}”没有“{label}”分项，请留空", spec_row.name),
                ));
            }
            continue;
        }
        if let Some(v) = number(form, r, *c, &spec_row.name, errors) {
            breakdowns.push((label.clone(), v));
        }
    }
    let explanation = Some(text(form, r, columns.explanation)).filter(|s| !s.is_empty());
    FilledRow {
        key: spec_row.key.clone(),
        value,
        breakdowns,
        explanation,
    }
}

/// A value cell: a number ≥ 0, or text that reads as one; empty is `None`.
fn number(
    form: &Range<Data>,
    r: u32,
    c: u32,
    name: &str,
    errors: &mut Vec<CellError>,
) -> Option<f64> {
    let why = match form.get_value((r, c)) {
        None | Some(Data::Empty) => return None,
        Some(Data::Float(f)) if f.is_finite() && *f >= 0.0 => return Some(*f),
        Some(Data::Int(i)) if *i >= 0 => return Some(*i as f64),
        Some(Data::Float(_) | Data::Int(_)) => "数值不能为负数".to_owned(),
        Some(Data::String(s)) if s.trim().is_empty() => return None,
        Some(Data::String(s)) => match parse_number(s) {
            Ok(v) => return Some(v),
            Err(NotNumber::Comma) => {
                format!("“{}”不是数字：请用小数点“.”表示小数，不要用逗号", s.trim())
            }
            Err(NotNumber::Negative) => "数值不能为负数".to_owned(),
            Err(NotNumber::Text) => {
                format!(
                    "“{}”不是数字：只填数字（如 12.5），不要填单位、文字或百分号；暂无数据请留空",
                    s.trim()
                )
            }
        },
        Some(Data::Bool(_)) => "这里应填数字，不是“是/否”".to_owned(),
        Some(Data::DateTime(_) | Data::DateTimeIso(_) | Data::DurationIso(_)) => {
            "这里应填数字，Excel 把它当成了日期或时间；请把单元格格式设为“常规”后重新输入"
                .to_owned()
        }
        Some(Data::Error(e)) => format!("单元格是错误值（{e}），请填数字"),
    };
    errors.push(CellError::at(
        SHEET_FORM,
        r,
        c,
        format!("指标“{name}”：{why}"),
    ));
    None
}
