//! The report as a Word document: a title page, a table of contents, chapters in real
//! heading styles (so Word's navigation pane and the contents field find them), tables
//! whose header row repeats on every page, and the charts as pictures.
//!
//! docx-rs writes everything but the repeating header row (`w:tblHeader`); that one
//! element is added to the built document.xml (see [`mark_header_rows`]).

use super::{ReportWriteError, chart};
use docx_rs::{
    AbstractNumbering, AlignmentType, BorderType, BreakType, Docx, Footer, IndentLevel, Level,
    LevelJc, LevelText, LineSpacing, LineSpacingType, NumberFormat, Numbering, NumberingId,
    PageMargin, PageNum, Paragraph, Pic, Run, RunFonts, Shading, ShdType, SpecialIndentType, Start,
    Style, StyleType, Table, TableAlignmentType, TableBorder, TableBorderPosition, TableBorders,
    TableCell, TableLayoutType, TableOfContents, TableOfContentsItem, TableRow, VAlignType,
    WidthType,
};
use planwatch_core::reporting::{Block, Cell, Progress, Report};
use rayon::prelude::*;
use std::io::Cursor;

// A4 in twentieths of a point, with the margins of GB/T 9704 (official documents).
const PAGE_WIDTH: u32 = 11906;
const PAGE_HEIGHT: u32 = 16838;
const MARGIN_TOP: i32 = 2098;
const MARGIN_BOTTOM: i32 = 1984;
const MARGIN_LEFT: i32 = 1588;
const MARGIN_RIGHT: i32 = 1474;
const TEXT_WIDTH: usize = (PAGE_WIDTH as i32 - MARGIN_LEFT - MARGIN_RIGHT) as usize;

/// Chart pictures: 2× the SVG's size, printed 15 cm wide (sharp on paper and on screen).
const CHART_PIXELS: u32 = 1280;
const CHART_WIDTH_EMU: u32 = 5_400_000;

const BODY_FONT: &str = "宋体";
const HEADING_FONT: &str = "黑体";
const LATIN_FONT: &str = "Times New Roman";

/// The .docx bytes.
pub fn write(report: &Report) -> Result<Vec<u8>, ReportWriteError> {
    let pictures = pictures(report)?;
    let mut docx = Docx::new()
        .page_size(PAGE_WIDTH, PAGE_HEIGHT)
        .page_margin(
            PageMargin::new()
                .top(MARGIN_TOP)
                .bottom(MARGIN_BOTTOM)
                .left(MARGIN_LEFT)
                .right(MARGIN_RIGHT)
                .header(851)
                .footer(992),
        )
        .default_fonts(fonts(BODY_FONT))
        .default_size(24)
        .default_line_spacing(
            LineSpacing::new()
                .line(360)
                .line_rule(LineSpacingType::Auto),
        )
        // The title page has no number; every other page does, centred in the footer.
        .title_pg()
        .first_footer(Footer::new().add_paragraph(Paragraph::new()))
        .footer(
            Footer::new().add_paragraph(
                Paragraph::new()
                    .align(AlignmentType::Center)
                    .add_run(Run::new().add_text("— ").size(21))
                    .add_page_num(PageNum::new())
                    .add_run(Run::new().add_text(" —").size(21)),
            ),
        );
    for style in styles() {
        docx = docx.add_style(style);
    }
    docx = title_page(docx, report);
    docx = docx
        .add_paragraph(
            Paragraph::new()
                .style("TocTitle")
                .add_run(Run::new().add_text("目　录")),
        )
        .add_table_of_contents(contents(report))
        .add_paragraph(page_break());

    let mut pictures = pictures.into_iter();
    let mut lists = 0usize;
    let mut headings = 0usize;
    for block in &report.blocks {
        match block {
            Block::Heading { level, text } => {
                let level = (*level).clamp(1, 3);
                headings += 1;
                docx = docx.add_paragraph(
                    Paragraph::new()
                        .style(&format!("Heading{level}"))
                        // A heading never ends a page.
                        .keep_next(true)
                        .add_bookmark_start(headings, toc_key(headings))
                        .add_run(text_run(text))
                        .add_bookmark_end(headings),
                );
            }
            Block::Paragraph { text } => docx = docx.add_paragraph(body_paragraph(text)),
            Block::List { items } => {
                // Each list its own numbering, so that every list starts at 1.
                lists += 1;
                docx = docx
                    .add_abstract_numbering(numbered_list(lists))
                    .add_numbering(Numbering::new(lists, lists));
                for item in items {
                    docx = docx.add_paragraph(
                        Paragraph::new()
                            .style("ListItem")
                            .numbering(NumberingId::new(lists), IndentLevel::new(0))
                            .add_run(text_run(item)),
                    );
                }
            }
            Block::Table(table) => {
                docx = docx
                    .add_paragraph(
                        Paragraph::new()
                            .style("Caption")
                            .keep_next(true)
                            .add_run(text_run(&table.caption)),
                    )
                    .add_table(word_table(&table.columns, &table.rows))
                    .add_paragraph(Paragraph::new().style("AfterTable"));
            }
            Block::Chart(c) => {
                let Some((bytes, w, h)) = pictures.next() else {
                    return Err(ReportWriteError::Chart(
                        c.id.clone(),
                        "图片与图表数目不符".to_string(),
                    ));
                };
                let height_emu = (u64::from(CHART_WIDTH_EMU) * u64::from(h) / u64::from(w.max(1)))
                    .min(u64::from(u32::MAX)) as u32;
                docx = docx
                    .add_paragraph(Paragraph::new().style("Figure").keep_next(true).add_run(
                        Run::new().add_image(
                            Pic::new_with_dimensions(bytes, w, h).size(CHART_WIDTH_EMU, height_emu),
                        ),
                    ))
                    .add_paragraph(
                        Paragraph::new()
                            .style("Caption")
                            .add_run(text_run(&c.caption)),
                    );
            }
        }
    }

    let mut xml = docx.build();
    xml.document = patch(&xml.document);
    let mut out = Cursor::new(Vec::with_capacity(1 << 20));
    xml.pack(&mut out)
        .map_err(|e| ReportWriteError::Write(format!("Word 文件打包失败：{e}")))?;
    Ok(out.into_inner())
}

/// The bookmark of the `n`-th heading, which its contents entry points to.
fn toc_key(n: usize) -> String {
    format!("_Toc{n:08}")
}

/// The contents, filled in with every heading so that readers that do not update fields
/// (WPS, LibreOffice, previewers) show it too; the page numbers are left for Word, which
/// updates the dirty field when the file is opened.
fn contents(report: &Report) -> TableOfContents {
    let mut toc = TableOfContents::new()
        .heading_styles_range(1, 3)
        .hyperlink()
        .dirty()
        // The entries' own content control is the only one kept (see `patch`).
        .without_sdt();
    let mut n = 0usize;
    for block in &report.blocks {
        if let Block::Heading { level, text } = block {
            n += 1;
            toc = toc.add_item(
                TableOfContentsItem::new()
                    .text(xml_safe(text))
                    .level(usize::from((*level).clamp(1, 3)))
                    .toc_key(toc_key(n))
                    .page_ref(""),
            );
        }
    }
    toc
}

/// What docx-rs cannot say, added to the built document.xml:
/// - header rows repeat on every page (`w:tblHeader`, see [`mark_header_rows`]);
/// - the contents' content control is marked as a table of contents, as Word writes it:
///   without the mark LibreOffice prints the first entry's field codes as text;
/// - the contents' page-number tab stands at the right margin: docx-rs puts it at a fixed
///   80000 twips, which wraps the number onto a line of its own.
fn patch(document: &[u8]) -> Vec<u8> {
    const _: () = assert!(TEXT_WIDTH == 8844, "the tab below is the text width");
    let out = mark_header_rows(document);
    let out = replace_all(
        &out,
        b"<w:sdt><w:sdtPr /><w:sdtContent>",
        b"<w:sdt><w:sdtPr><w:docPartObj><w:docPartGallery w:val=\"Table of Contents\" />\
          <w:docPartUnique /></w:docPartObj></w:sdtPr><w:sdtContent>",
    );
    replace_all(&out, b"w:pos=\"80000\"", b"w:pos=\"8844\"")
}

/// Every chart as a PNG, drawn in parallel: the pictures are most of the work.
fn pictures(report: &Report) -> Result<Vec<(Vec<u8>, u32, u32)>, ReportWriteError> {
    let charts = chart::all(report);
    let height = (f64::from(CHART_PIXELS) * chart::HEIGHT / chart::WIDTH).round() as u32;
    charts
        .par_iter()
        .map(|c| chart::png(c, CHART_PIXELS).map(|bytes| (bytes, CHART_PIXELS, height)))
        .collect()
}

/// docx-rs has no element for "repeat this row on every page"; header rows are
/// written with `w:cantSplit` (which body rows never get) and marked here.
fn mark_header_rows(document: &[u8]) -> Vec<u8> {
    replace_all(
        document,
        b"<w:cantSplit />",
        b"<w:cantSplit /><w:tblHeader />",
    )
}

fn replace_all(haystack: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(haystack.len() + 4096);
    let mut rest = haystack;
    while let Some(i) = rest.windows(from.len()).position(|w| w == from) {
        out.extend_from_slice(&rest[..i]);
        out.extend_from_slice(to);
        rest = &rest[i + from.len()..];
    }
    out.extend_from_slice(rest);
    out
}

fn fonts(east_asia: &str) -> RunFonts {
    RunFonts::new()
        .ascii(LATIN_FONT)
        .hi_ansi(LATIN_FONT)
        .cs(LATIN_FONT)
        .east_asia(east_asia)
}

fn styles() -> Vec<Style> {
    let heading = |level: usize, font: &str, size: usize| {
        Style::new(format!("Heading{level}"), StyleType::Paragraph)
            // The built-in names: Word's navigation pane and TOC \o look for these.
            .name(format!("heading {level}"))
            .based_on("Normal")
            .next("Normal")
            .q_format(true)
            .ui_priority(9)
            .fonts(fonts(font))
            .size(size)
            .outline_lvl(level - 1)
            .line_spacing(
                LineSpacing::new()
                    .before(if level == 1 { 240 } else { 120 })
                    .after(120)
                    .line(360)
                    .line_rule(LineSpacingType::Auto),
            )
    };
    // The contents' entries: docx-rs names their styles ToC1..ToC3.
    let toc = |level: usize| {
        Style::new(format!("ToC{level}"), StyleType::Paragraph)
            .name(format!("toc {level}"))
            .based_on("Normal")
            .next("Normal")
            .ui_priority(39)
            .indent(Some(((level - 1) * 420) as i32), None, None, None)
    };
    vec![
        heading(1, HEADING_FONT, 32),
        heading(2, "楷体", 30).bold(),
        heading(3, BODY_FONT, 28).bold(),
        toc(1),
        toc(2),
        toc(3),
        Style::new("ReportTitle", StyleType::Paragraph)
            .name("报告标题")
            .based_on("Normal")
            .fonts(fonts(HEADING_FONT))
            .size(44)
            .align(AlignmentType::Center)
            .line_spacing(
                LineSpacing::new()
                    .after(240)
                    .line(480)
                    .line_rule(LineSpacingType::Auto),
            ),
        Style::new("ReportSubtitle", StyleType::Paragraph)
            .name("报告副标题")
            .based_on("Normal")
            .fonts(fonts("楷体"))
            .size(28)
            .align(AlignmentType::Center),
        Style::new("TocTitle", StyleType::Paragraph)
            .name("目录标题")
            .based_on("Normal")
            .fonts(fonts(HEADING_FONT))
            .size(32)
            .align(AlignmentType::Center),
        Style::new("Caption", StyleType::Paragraph)
            .name("caption")
            .based_on("Normal")
            .fonts(fonts(HEADING_FONT))
            .size(21)
            .align(AlignmentType::Center)
            .line_spacing(
                LineSpacing::new()
                    .before(120)
                    .after(60)
                    .line(300)
                    .line_rule(LineSpacingType::Auto),
            ),
        Style::new("Figure", StyleType::Paragraph)
            .name("图片")
            .based_on("Normal")
            .align(AlignmentType::Center)
            .line_spacing(
                LineSpacing::new()
                    .before(120)
                    .line(240)
                    .line_rule(LineSpacingType::Auto),
            ),
        Style::new("TableText", StyleType::Paragraph)
            .name("表格文字")
            .based_on("Normal")
            .size(21)
            .line_spacing(
                LineSpacing::new()
                    .line(260)
                    .line_rule(LineSpacingType::Auto),
            ),
        Style::new("AfterTable", StyleType::Paragraph)
            .name("表后空行")
            .based_on("Normal")
            .size(12)
            .line_spacing(
                LineSpacing::new()
                    .line(240)
                    .line_rule(LineSpacingType::Auto),
            ),
        Style::new("ListItem", StyleType::Paragraph)
            .name("List Paragraph")
            .based_on("Normal"),
    ]
}

/// Text as XML 1.0 allows it: control characters (pasted from spreadsheets) would make
/// the whole document unreadable, so they are left out.
fn xml_safe(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_control() || matches!(c, '\t' | '\n'))
        .collect()
}

fn text_run(text: &str) -> Run {
    Run::new().add_text(xml_safe(text))
}

fn page_break() -> Paragraph {
    Paragraph::new().add_run(Run::new().add_break(BreakType::Page))
}

fn body_paragraph(text: &str) -> Paragraph {
    // Two characters of first-line indent; the twips are for readers that ignore the
    // character-based value.
    Paragraph::new()
        .indent(None, Some(SpecialIndentType::FirstLine(480)), None, None)
        .first_line_chars(200)
        .align(AlignmentType::Both)
        .add_run(text_run(text))
}

fn title_page(mut docx: Docx, report: &Report) -> Docx {
    for _ in 0..5 {
        docx = docx.add_paragraph(Paragraph::new());
    }
    docx = docx.add_paragraph(
        Paragraph::new()
            .style("ReportTitle")
            .add_run(text_run(&report.title)),
    );
    if !report.subtitle.is_empty() {
        docx = docx.add_paragraph(
            Paragraph::new()
                .style("ReportSubtitle")
                .add_run(text_run(&report.subtitle)),
        );
    }
    if report.demo {
        docx = docx.add_paragraph(
            Paragraph::new().style("ReportSubtitle").add_run(
                Run::new()
                    .add_text("本报告含演示数据")
                    .bold()
                    .color("C00000")
                    .size(32),
            ),
        );
    }
    for _ in 0..8 {
        docx = docx.add_paragraph(Paragraph::new());
    }
    for line in [&report.issuer, &report.issued_on] {
        docx = docx.add_paragraph(
            Paragraph::new()
                .style("ReportSubtitle")
                .add_run(text_run(line)),
        );
    }
    docx.add_paragraph(page_break())
}

fn numbered_list(id: usize) -> AbstractNumbering {
    AbstractNumbering::new(id).add_level(
        Level::new(
            0,
            Start::new(1),
            NumberFormat::new("decimal"),
            LevelText::new("%1."),
            LevelJc::new("left"),
        )
        .indent(Some(420), Some(SpecialIndentType::Hanging(420)), None, None),
    )
}

/// The background of a status cell: green when met or on time, red-orange with a gap,
/// greys when it cannot be judged.
fn shade(p: Progress) -> &'static str {
    match p {
        Progress::Early => "C6EFCE",
        Progress::OnTime => "E2F0D9",
        Progress::Gap => "FCE4D6",
        Progress::Undetermined => "E7E6E6",
        Progress::NoData => "F2F2F2",
    }
}

/// Column widths in proportion to their longest text, within limits: the indicator's
/// name gets room, a count does not take more than it needs.
fn widths(columns: &[String], rows: &[Vec<Cell>]) -> Vec<usize> {
    let weight: Vec<usize> = (0..columns.len())
        .map(|i| {
            let longest = rows
                .iter()
                .filter_map(|r| r.get(i))
                .map(|c| c.text.chars().count())
                .chain(std::iter::once(columns[i].chars().count()))
                .max()
                .unwrap_or(1);
            // A cell's padding is worth about a character.
            longest.clamp(4, 14) + 1
        })
        .collect();
    let total: usize = weight.iter().sum::<usize>().max(1);
    weight.iter().map(|w| TEXT_WIDTH * w / total).collect()
}

fn cell_paragraph(text: &str, align: AlignmentType, bold: bool) -> Paragraph {
    let mut run = text_run(text);
    if bold {
        run = run.bold();
    }
    Paragraph::new()
        .style("TableText")
        .align(align)
        .add_run(run)
}

fn word_table(columns: &[String], rows: &[Vec<Cell>]) -> Table {
    let widths = widths(columns, rows);
    let header = TableRow::new(
        columns
            .iter()
            .zip(&widths)
            .map(|(c, w)| {
                TableCell::new()
                    .width(*w, WidthType::Dxa)
                    .vertical_align(VAlignType::Center)
                    .shading(Shading::new().shd_type(ShdType::Clear).fill("D9E2F3"))
                    .add_paragraph(cell_paragraph(c, AlignmentType::Center, true))
            })
            .collect(),
    )
    // Marks the header row for `mark_header_rows`; a header row should not split anyway.
    .cant_split();
    let mut out = vec![header];
    for row in rows {
        let cells = (0..columns.len())
            .map(|i| {
                let width = widths
                    .get(i)
                    .copied()
                    .unwrap_or(TEXT_WIDTH / columns.len().max(1));
                let cell = row.get(i);
                let text = cell.map(|c| c.text.as_str()).unwrap_or("");
                let align = if cell.is_some_and(|c| c.number.is_some()) {
                    AlignmentType::Right
                } else if cell.is_some_and(|c| c.progress.is_some()) || text == "—" {
                    AlignmentType::Center
                } else {
                    AlignmentType::Left
                };
                let mut tc = TableCell::new()
                    .width(width, WidthType::Dxa)
                    .vertical_align(VAlignType::Center)
                    .add_paragraph(cell_paragraph(text, align, false));
                if let Some(p) = cell.and_then(|c| c.progress) {
                    tc = tc.shading(Shading::new().shd_type(ShdType::Clear).fill(shade(p)));
                }
                tc
            })
            .collect();
        out.push(TableRow::new(cells));
    }
    let border = |pos| {
        TableBorder::new(pos)
            .border_type(BorderType::Single)
            .size(4)
            .color("7F7F7F")
    };
    Table::new(out)
        .set_grid(widths)
        .width(TEXT_WIDTH, WidthType::Dxa)
        .layout(TableLayoutType::Fixed)
        .align(TableAlignmentType::Center)
        .set_borders(
            TableBorders::new()
                .set(border(TableBorderPosition::Top))
                .set(border(TableBorderPosition::Bottom))
                .set(border(TableBorderPosition::Left))
                .set(border(TableBorderPosition::Right))
                .set(border(TableBorderPosition::InsideH))
                .set(border(TableBorderPosition::InsideV)),
        )
}
