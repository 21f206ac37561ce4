//! What a reporting round still misses (缺项), as an .xlsx the office sends round or
//! hands to whoever runs a survey: one row per expected indicator without a value.
//!
//! Layout: sheet [`SHEET_GAPS`], a title row, a frozen header row with an autofilter, then
//! the rows. The year and the sequence number are numbers; every text cell that would
//! start with a formula character is written with a leading `'` (see [`crate::text`]), so
//! that no spreadsheet evaluates what a department typed.

use crate::ExportError;
use crate::text::neutral;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook};

/// Name of the only sheet.
pub const SHEET_GAPS: &str = "缺项清单";
/// Zero-based row of the header; data rows follow it.
pub const HEADER_ROW: u32 = 1;
/// The header, in column order.
pub const HEADERS: [&str; 9] = [
    "序号",
    "年度",
    "责任单位",
    "指标",
    "计量单位",
    "目标",
    "报送状态",
    "单位说明",
    "指标代码",
];

/// The missing indicators of one round.
#[derive(Debug, Clone, PartialEq)]
pub struct GapsSheet {
    /// "连平县2024年度监测数据缺项清单".
    pub title: String,
    pub year: i32,
    pub rows: Vec<GapRow>,
}

/// One expected indicator without a value.
#[derive(Debug, Clone, PartialEq)]
pub struct GapRow {
    /// The responsible member unit, or a note that none is assigned.
    pub department: String,
    pub indicator: String,
    pub unit: String,
    /// The targets as the plan states them, "2030年 12/10万以下；…".
    pub targets: String,
    /// Where the unit's submission stands (未填报, 草稿 …).
    pub state: String,
    /// What the unit wrote about the missing value.
    pub explanation: String,
    /// The catalog code; empty for a local indicator.
    pub code: String,
}

/// Writes `sheet` as an .xlsx (see the module documentation for the layout). An empty list
/// is a valid file with the header only: "nothing missing" is worth sending too.
pub fn write_gaps(sheet: &GapsSheet) -> Result<Vec<u8>, ExportError> {
    let mut workbook = Workbook::new();
    let title = Format::new().set_bold().set_font_size(14);
    let header = crate::form::write::header_format();
    let text = Format::new()
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_border(FormatBorder::Thin);
    let number = Format::new()
        .set_num_format("0")
        .set_align(FormatAlign::Top)
        .set_border(FormatBorder::Thin);

    let ws = workbook.add_worksheet();
    ws.set_name(SHEET_GAPS)?;
    ws.write_string_with_format(0, 0, neutral(&sheet.title), &title)?;
    for (col, h) in HEADERS.iter().enumerate() {
        ws.write_string_with_format(HEADER_ROW, col as u16, *h, &header)?;
    }
    for (col, width) in [6.0, 8.0, 16.0, 30.0, 10.0, 30.0, 10.0, 36.0, 12.0]
        .into_iter()
        .enumerate()
    {
        ws.set_column_width(col as u16, width)?;
    }
    for (i, row) in sheet.rows.iter().enumerate() {
        let r = HEADER_ROW + 1 + i as u32;
        ws.write_number_with_format(r, 0, (i + 1) as f64, &number)?;
        ws.write_number_with_format(r, 1, f64::from(sheet.year), &number)?;
        let texts = [
            &row.department,
            &row.indicator,
            &row.unit,
            &row.targets,
            &row.state,
            &row.explanation,
            &row.code,
        ];
        for (j, t) in texts.into_iter().enumerate() {
            ws.write_string_with_format(r, 2 + j as u16, neutral(t), &text)?;
        }
    }
    let last_row = HEADER_ROW + sheet.rows.len() as u32;
    ws.autofilter(HEADER_ROW, 0, last_row, HEADERS.len() as u16 - 1)?;
    ws.set_freeze_panes(HEADER_ROW + 1, 0)?;
    Ok(workbook.save_to_buffer()?)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used)]
    use super::*;
    use calamine::{Data, Reader, Xlsx};
    use std::io::Cursor;

    #[test]
    fn gaps_are_rows_with_numbers_as_numbers_and_no_formulas() {
        let sheet = GapsSheet {
            title: "连平县2024年度监测数据缺项清单".into(),
            year: 2024,
            rows: vec![
                GapRow {
                    department: "卫健委".into(),
                    indicator: "孕产妇死亡率".into(),
                    unit: "1/10万".into(),
                    targets: "2030年 12/10万以下".into(),
                    state: "草稿".into(),
                    explanation: "=HYPERLINK(\"http://x\")".into(),
                    code: "W-HEA-03".into(),
                },
                GapRow {
                    department: "（未确定牵头单位）".into(),
                    indicator: "-女性平均受教育年限".into(),
                    unit: "年".into(),
                    targets: String::new(),
                    state: String::new(),
                    explanation: String::new(),
                    code: String::new(),
                },
            ],
        };
        let bytes = write_gaps(&sheet).expect("xlsx");
        let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).expect("open");
        let range = book.worksheet_range(SHEET_GAPS).expect("sheet");
        assert_eq!(range.get_value((1, 3)), Some(&Data::String("指标".into())));
        assert_eq!(range.get_value((2, 0)), Some(&Data::Float(1.0)));
        assert_eq!(range.get_value((2, 1)), Some(&Data::Float(2024.0)));
        assert_eq!(
            range.get_value((2, 7)),
            Some(&Data::String("'=HYPERLINK(\"http://x\")".into()))
        );
        assert_eq!(
            range.get_value((3, 3)),
            Some(&Data::String("'-女性平均受教育年限".into()))
        );
        let formulas = book.worksheet_formula(SHEET_GAPS).expect("formulas");
        assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()));
    }
}
