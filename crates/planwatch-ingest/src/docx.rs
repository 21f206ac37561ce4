//! .docx: the paragraphs and table rows of `word/document.xml`, in reading order.
//!
//! Read with zip + quick-xml rather than a full docx model: plan documents are often
//! produced by converters that leave odd but harmless markup, and we need only text.

use crate::IngestError;
use quick_xml::Reader;
use quick_xml::events::Event;
use std::io::{Cursor, Read};

/// document.xml of a 200-page plan is a few MB; more than this is a zip bomb.
const MAX_DOCUMENT_XML: u64 = 64 * 1024 * 1024;

/// One line per paragraph outside tables, one line per table row (cells joined by a tab,
/// each cell's paragraphs joined by a space).
pub(crate) fn paragraphs(name: &str, bytes: &[u8]) -> Result<Vec<String>, IngestError> {
    let bad = |reason: String| IngestError::BadDocx {
        file: name.to_string(),
        reason,
    };
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| bad(format!("不是 zip 压缩包（{e}）")))?;
    let entry = archive
        .by_name("word/document.xml")
        .map_err(|_| bad("缺少 word/document.xml".to_string()))?;
    let mut xml = String::new();
    entry
        .take(MAX_DOCUMENT_XML)
        .read_to_string(&mut xml)
        .map_err(|e| bad(format!("word/document.xml 已损坏（{e}）")))?;
    parse_document_xml(&xml).map_err(bad)
}

#[derive(Default)]
struct RowState {
    cells: Vec<String>,
    cell: Option<String>,
    /// `w:gridSpan` of the open cell: a cell over N columns is followed by N-1 empty ones.
    span: usize,
}

fn parse_document_xml(xml: &str) -> Result<Vec<String>, String> {
    let mut reader = Reader::from_str(xml);
    let mut lines = Vec::new();
    let mut paragraph = String::new();
    let mut outer_paragraphs: Vec<String> = Vec::new();
    let mut in_text = false;
    // A stack, because tables nest: an inner table's rows are flattened into the outer cell.
    let mut rows: Vec<RowState> = Vec::new();
    let mut table_depth = 0usize;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("XML 错误，位置 {}：{e}", reader.error_position()))?;
        match event {
            Event::Start(e) => match e.local_name().as_ref() {
                b"t" => in_text = true,
                b"tbl" => table_depth += 1,
                b"tr" => rows.push(RowState::default()),
                b"tc" => {
                    if let Some(row) = rows.last_mut() {
                        row.cell = Some(String::new());
                    }
                }
                // A paragraph inside a paragraph (a text box): the outer one resumes after.
                b"p" => outer_paragraphs.push(std::mem::take(&mut paragraph)),
                _ => {}
            },
            Event::Empty(e) => match e.local_name().as_ref() {
                b"tab" => paragraph.push('\t'),
                b"br" | b"cr" => paragraph.push(' '),
                b"gridSpan" => {
                    let span = e
                        .attributes()
                        .flatten()
                        .find(|a| a.key.local_name().as_ref() == b"val")
                        .and_then(|a| {
                            String::from_utf8_lossy(&a.value)
                                .trim()
                                .parse::<usize>()
                                .ok()
                        })
                        .unwrap_or(1);
                    if let Some(row) = rows.last_mut() {
                        row.span = span.clamp(1, 50);
                    }
                }
                // An empty paragraph still counts: line numbers are paragraph numbers.
                b"p" if table_depth == 0 => lines.push(String::new()),
                _ => {}
            },
            Event::Text(t) if in_text => {
                let text = t.unescape().map_err(|e| format!("XML 转义错误：{e}"))?;
                paragraph.push_str(&text);
            }
            Event::CData(t) if in_text => {
                paragraph.push_str(&String::from_utf8_lossy(&t));
            }
            Event::End(e) => match e.local_name().as_ref() {
                b"t" => in_text = false,
                b"p" => {
                    let text = std::mem::replace(
                        &mut paragraph,
                        outer_paragraphs.pop().unwrap_or_default(),
                    );
                    match rows.last_mut().and_then(|r| r.cell.as_mut()) {
                        Some(cell) if table_depth > 0 => {
                            if !cell.is_empty() && !text.trim().is_empty() {
                                cell.push(' ');
                            }
                            cell.push_str(text.trim());
                        }
                        _ => lines.push(text),
                    }
                }
                b"tc" => {
                    if let Some(row) = rows.last_mut() {
                        let cell = row.cell.take().unwrap_or_default();
                        row.cells.push(cell);
                        for _ in 1..row.span {
                            row.cells.push(String::new());
                        }
                        row.span = 1;
                    }
                }
                b"tr" => {
                    if let Some(row) = rows.pop() {
                        let line = format!("\t{}", row.cells.join("\t"));
                        match rows.last_mut().and_then(|r| r.cell.as_mut()) {
                            Some(outer) => {
                                if !outer.is_empty() {
                                    outer.push(' ');
                                }
                                outer.push_str(line.trim());
                            }
                            None => lines.push(line),
                        }
                    }
                }
                b"tbl" => table_depth = table_depth.saturating_sub(1),
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    if lines.iter().all(|l| l.trim().is_empty()) {
        return Err("文档中没有文字".to_string());
    }
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_and_table_rows_in_reading_order() {
        let xml = r#"<w:document xmlns:w="x"><w:body>
            <w:p><w:r><w:t>主要目标：</w:t></w:r></w:p>
            <w:tbl><w:tr><w:tc><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc>
            <w:tc><w:p><w:r><w:t>孕产妇死亡率（1/10万）</w:t></w:r></w:p></w:tc>
            <w:tc><w:p><w:r><w:t xml:space="preserve">&lt; 8</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
            <w:p><w:r><w:t>策略</w:t></w:r><w:r><w:t>措施：</w:t></w:r></w:p>
            </w:body></w:document>"#;
        let lines = parse_document_xml(xml).unwrap_or_default();
        assert_eq!(
            lines,
            vec![
                "主要目标：",
                "\t1\t孕产妇死亡率（1/10万）\t< 8",
                "策略措施："
            ]
        );
    }

    #[test]
    fn truncated_zip_is_a_bad_docx() {
        let err = paragraphs("t.docx", b"PK\x03\x04\x14\x00\x00\x00").err();
        assert!(matches!(err, Some(IngestError::BadDocx { .. })));
    }
}

#[cfg(test)]
mod more_tests {
    use super::*;

    #[test]
    fn empty_paragraphs_count_and_text_boxes_do_not_cut_their_paragraph() {
        let xml = r#"<w:document xmlns:w="x"><w:body>
            <w:p/>
            <w:p><w:r><w:t>前文</w:t></w:r><w:r><w:txbxContent><w:p><w:r><w:t>文本框</w:t></w:r></w:p></w:txbxContent></w:r><w:r><w:t>后文</w:t></w:r></w:p>
            </w:body></w:document>"#;
        assert_eq!(
            parse_document_xml(xml).unwrap_or_default(),
            vec!["", "文本框", "前文后文"]
        );
    }
}

#[cfg(test)]
mod span_tests {
    use super::*;

    #[test]
    fn a_cell_over_two_columns_keeps_the_columns_in_place() {
        let xml = r#"<w:document xmlns:w="x"><w:body><w:tbl>
            <w:tr><w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p><w:r><w:t>指标名称</w:t></w:r></w:p></w:tc>
            <w:tc><w:p><w:r><w:t>目标值</w:t></w:r></w:p></w:tc></w:tr>
            </w:tbl></w:body></w:document>"#;
        assert_eq!(
            parse_document_xml(xml).unwrap_or_default(),
            vec!["\t指标名称\t\t目标值"]
        );
    }
}
