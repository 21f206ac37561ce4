//! Writes the template.

use rust_xlsxwriter::{
    DataValidation, DataValidationRule, Format, FormatAlign, FormatBorder, Workbook,
};

use super::cell::a1;
use super::{ExportError, FormSpec, SHEET_FORM, SHEET_META, TemplateColumn};

/// Zero-based row of the header on [`SHEET_FORM`]; data rows follow it.
pub(crate) const HEADER_ROW: u32 = 2;
pub(crate) const FIRST_DATA_ROW: u32 = HEADER_ROW + 1;
/// Header of the value column.
pub(crate) const VALUE_HEADER: &str = "本年数值";
/// Header of the explanation column (the last one).
pub(crate) const EXPLANATION_HEADER: &str = "说明(如数值变化较大请说明)";
/// Column of the value; breakdown columns follow it, then the explanation.
pub(crate) const VALUE_COL: u16 = 6;
const FIXED_HEADERS: [&str; 6] = ["序号", "指标", "单位", "定义", "上年数值", "目标"];

/// Marker in A1 of [`SHEET_META`], and the layout version next to it.
pub(crate) const META_MARK: &str = "planwatch 填报模板";
pub(crate) const META_VERSION: &str = "1";
/// Zero-based rows of [`SHEET_META`]: region, year, unit, then keys from `META_KEYS_ROW`.
pub(crate) const META_REGION_ROW: u32 = 1;
pub(crate) const META_YEAR_ROW: u32 = 2;
pub(crate) const META_UNIT_ROW: u32 = 3;
pub(crate) const META_KEYS_ROW: u32 = 6;

/// Breakdown labels of the whole form, in order of first use.
pub(crate) fn breakdown_columns(spec: &FormSpec) -> Vec<&str> {
    let mut labels: Vec<&str> = Vec::new();
    for label in spec.rows.iter().flat_map(|r| &r.breakdowns) {
        if !labels.contains(&label.as_str()) {
            labels.push(label);
        }
    }
    labels
}

/// The look of a header row in every sheet we write.
pub(crate) fn header_format() -> Format {
    Format::new()
        .set_bold()
        .set_text_wrap()
        .set_border(FormatBorder::Thin)
        .set_background_color("#D9E1F2")
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
}

/// The A1 name ("G5") of a data row's cell on [`SHEET_FORM`] in the layout
/// [`write_template`] writes for `spec`, so that a check made after reading an upload can
/// name the cell a person has to fix. `None` when `key` is no row of `spec`, or the row has
/// no such breakdown (its cell is locked).
pub fn template_cell(spec: &FormSpec, key: &str, column: TemplateColumn<'_>) -> Option<String> {
    let index = spec.rows.iter().position(|r| r.key == key)?;
    let row = FIRST_DATA_ROW + index as u32;
    let labels = breakdown_columns(spec);
    let col = match column {
        TemplateColumn::Value => u32::from(VALUE_COL),
        TemplateColumn::Breakdown(label) => {
            if !spec.rows[index].breakdowns.iter().any(|b| b == label) {
                return None;
            }
            let at = labels.iter().position(|l| *l == label)?;
            u32::from(VALUE_COL) + 1 + at as u32
        }
        TemplateColumn::Explanation => u32::from(VALUE_COL) + 1 + labels.len() as u32,
    };
    Some(a1(row, col))
}

/// Writes the .xlsx template of `spec` (see the module documentation for the layout).
pub fn write_template(spec: &FormSpec) -> Result<Vec<u8>, ExportError> {
    if spec.rows.is_empty() {
        return Err(ExportError::Empty);
    }
    let labels = breakdown_columns(spec);
    let explanation_col = VALUE_COL + 1 + labels.len() as u16;
    let mut workbook = Workbook::new();

    let title = Format::new()
        .set_bold()
        .set_font_size(14)
        .set_align(FormatAlign::Center);
    let note = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let header = header_format();
    let locked = Format::new().set_text_wrap().set_border(FormatBorder::Thin);
    let locked_number = Format::new()
        .set_num_format("General")
        .set_border(FormatBorder::Thin);
    let blocked = Format::new()
        .set_border(FormatBorder::Thin)
        .set_background_color("#EDEDED");
    let input = Format::new()
        .set_unlocked()
        .set_num_format("General")
        .set_border(FormatBorder::Thin)
        .set_background_color("#FFF2CC");
    let input_text = Format::new()
        .set_unlocked()
        .set_num_format("@")
        .set_text_wrap()
        .set_border(FormatBorder::Thin)
        .set_background_color("#FFF2CC");

    let sheet = workbook.add_worksheet();
    sheet.set_name(SHEET_FORM)?;
    sheet.merge_range(
        0,
        0,
        0,
        explanation_col,
        &format!(
            "{}{}年度规划指标监测填报表——{}",
            spec.region, spec.year, spec.unit_name
        ),
        &title,
    )?;
    let instructions = format!(
        "填报说明：1. 请在黄色单元格填写{year}年数值，只填数字（如 12.5），不要填单位、文字或百分号；小数用小数点“.”，不要用逗号。\
         2. 暂无数据的留空，不要填 0 或“无”。3. 有分项（如女、男、城镇、农村）的请一并填写。\
         4. 与上年相比变化较大的，请在最后一列说明原因。5. 请勿增删行列、修改表头或改名后另存为其他格式；\
         本模板只适用于{region}{year}年“{unit}”，其他年度或单位的模板将被拒收。",
        year = spec.year,
        region = spec.region,
        unit = spec.unit_name
    );
    sheet.merge_range(1, 0, 1, explanation_col, &instructions, &note)?;
    sheet.set_row_height(1, 75)?;

    for (col, text) in FIXED_HEADERS.iter().enumerate() {
        sheet.write_string_with_format(HEADER_ROW, col as u16, *text, &header)?;
    }
    sheet.write_string_with_format(HEADER_ROW, VALUE_COL, VALUE_HEADER, &header)?;
    for (i, label) in labels.iter().enumerate() {
        sheet.write_string_with_format(HEADER_ROW, VALUE_COL + 1 + i as u16, *label, &header)?;
    }
    sheet.write_string_with_format(HEADER_ROW, explanation_col, EXPLANATION_HEADER, &header)?;
    sheet.set_row_height(HEADER_ROW, 30)?;
    sheet.set_freeze_panes(FIRST_DATA_ROW, 0)?;

    for (col, width) in [
        (0u16, 6.0),
        (1, 30.0),
        (2, 10.0),
        (3, 36.0),
        (4, 12.0),
        (5, 22.0),
    ] {
        sheet.set_column_width(col, width)?;
    }
    for col in VALUE_COL..explanation_col {
        sheet.set_column_width(col, 12.0)?;
    }
    sheet.set_column_width(explanation_col, 36.0)?;

    for (i, row) in spec.rows.iter().enumerate() {
        let r = FIRST_DATA_ROW + i as u32;
        sheet.write_number_with_format(r, 0, (i + 1) as f64, &locked_number)?;
        sheet.write_string_with_format(r, 1, &row.name, &locked)?;
        sheet.write_string_with_format(r, 2, &row.unit, &locked)?;
        sheet.write_string_with_format(r, 3, &row.definition, &locked)?;
        match row.last_year {
            Some((y, v)) if y == spec.year - 1 => {
                sheet.write_number_with_format(r, 4, v, &locked_number)?;
            }
            Some((y, v)) => {
                sheet.write_string_with_format(r, 4, format!("{v}（{y}年）"), &locked)?;
            }
            None => {
                sheet.write_blank(r, 4, &locked)?;
            }
        }
        sheet.write_string_with_format(r, 5, &row.target, &locked)?;
        sheet.write_blank(r, VALUE_COL, &input)?;
        for (j, label) in labels.iter().enumerate() {
            let format = if row.breakdowns.iter().any(|b| b == label) {
                &input
            } else {
                &blocked
            };
            sheet.write_blank(r, VALUE_COL + 1 + j as u16, format)?;
        }
        sheet.write_blank(r, explanation_col, &input_text)?;
    }
    let last = FIRST_DATA_ROW + spec.rows.len() as u32 - 1;
    let validation = DataValidation::new()
        .allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(0.0))
        .set_input_title("填写数值")?
        .set_input_message("只填数字，如 12.5；小数用“.”；暂无数据请留空。")?
        .set_error_title("数值格式不对")?
        .set_error_message("请填写不小于 0 的数字，不要填单位、文字或百分号；小数用小数点“.”。")?;
    sheet.add_data_validation(
        FIRST_DATA_ROW,
        VALUE_COL,
        last,
        explanation_col - 1,
        &validation,
    )?;
    // No password: see the module documentation.
    sheet.protect();

    let meta = workbook.add_worksheet();
    meta.set_name(SHEET_META)?;
    meta.write_string(0, 0, META_MARK)?;
    meta.write_string(0, 1, META_VERSION)?;
    meta.write_string(META_REGION_ROW, 0, "地区")?;
    meta.write_string(META_REGION_ROW, 1, &spec.region)?;
    meta.write_string(META_REGION_ROW, 2, spec.region_id.to_string())?;
    meta.write_string(META_YEAR_ROW, 0, "年度")?;
    meta.write_string(META_YEAR_ROW, 1, spec.year.to_string())?;
    meta.write_string(META_UNIT_ROW, 0, "单位")?;
    meta.write_string(META_UNIT_ROW, 1, &spec.unit_name)?;
    meta.write_string(META_UNIT_ROW, 2, spec.unit_id.to_string())?;
    meta.write_string(META_KEYS_ROW - 1, 0, "指标键")?;
    meta.write_string(META_KEYS_ROW - 1, 1, "行号")?;
    for (i, row) in spec.rows.iter().enumerate() {
        let r = META_KEYS_ROW + i as u32;
        meta.write_string(r, 0, &row.key)?;
        meta.write_string(r, 1, (FIRST_DATA_ROW + i as u32 + 1).to_string())?;
    }
    meta.set_hidden(true);
    meta.protect();

    Ok(workbook.save_to_buffer()?)
}
