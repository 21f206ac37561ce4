//! The same text written as .docx and as .html (made here) reads to the same plan as the .txt.

use super::made::{docx_of, html_of};
use crate::plan_path;
use planwatch_core::PlanDocument;
use std::io::Write;

/// The document without line numbers: HTML drops blank lines, so its lines are numbered
/// by block.
fn without_lines(doc: &PlanDocument) -> PlanDocument {
    let mut doc = doc.clone();
    for p in &mut doc.plans {
        p.targets.iter_mut().for_each(|t| t.line = 0);
        p.qualitative.iter_mut().for_each(|t| t.line = 0);
        p.baselines.iter_mut().for_each(|t| t.line = 0);
    }
    doc
}

#[test]
fn docx_and_html_read_like_the_text() {
    for prefix in ["000", "002", "003", "004"] {
        let path = plan_path(prefix);
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        let from_text = planwatch_ingest::parse_file(&path).map(|(_, d)| d).ok();
        assert!(from_text.is_some(), "{prefix}: the .txt does not parse");

        let docx = docx_of(&lines);
        let from_docx = planwatch_ingest::decode("plan.docx", &docx)
            .and_then(|s| planwatch_ingest::extract(&s));
        // One paragraph per line: even the line numbers agree.
        assert_eq!(from_docx.ok(), from_text, "{prefix}: .docx differs");

        let html = html_of(&lines);
        let from_html = planwatch_ingest::decode("plan.html", html.as_bytes())
            .and_then(|s| planwatch_ingest::extract(&s));
        assert_eq!(
            from_html.ok().map(|d| without_lines(&d)),
            from_text.as_ref().map(without_lines),
            "{prefix}: .html differs"
        );
    }
}

#[test]
fn gb18030_text_reads_like_utf8() {
    let path = plan_path("004");
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let (bytes, _, _) = encoding_rs::GB18030.encode(&text);
    let from_gb = planwatch_ingest::decode("plan.txt", &bytes)
        .and_then(|s| planwatch_ingest::extract(&s))
        .ok();
    let from_utf8 = planwatch_ingest::parse_file(&path).map(|(_, d)| d).ok();
    assert!(from_gb.is_some());
    assert_eq!(from_gb, from_utf8);
}

#[test]
fn a_real_word_table_keeps_its_rows_together() {
    let xml = "<w:document xmlns:w=\"x\"><w:body>\
        <w:p><w:r><w:t>某某县妇女发展规划（2021—2030年）</w:t></w:r></w:p>\
        <w:p><w:r><w:t>专栏一 妇女发展主要指标</w:t></w:r></w:p>\
        <w:tbl>\
        <w:tr><w:tc><w:p><w:r><w:t>类别</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>指标名称</w:t></w:r></w:p></w:tc>\
        <w:tc><w:p><w:r><w:t>2025年</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>2030年</w:t></w:r></w:p></w:tc>\
        <w:tc><w:p><w:r><w:t>指标属性</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>责任单位</w:t></w:r></w:p></w:tc></w:tr>\
        <w:tr><w:tc><w:p><w:r><w:t>妇女与健康</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>孕产妇死亡率（1/10万）</w:t></w:r></w:p></w:tc>\
        <w:tc><w:p><w:r><w:t>≤10</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>≤9</w:t></w:r></w:p></w:tc>\
        <w:tc><w:p><w:r><w:t>约束性</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>县卫生健康局</w:t></w:r></w:p><w:p><w:r><w:t>县医保局</w:t></w:r></w:p></w:tc></w:tr>\
        </w:tbl>\
        <w:p><w:r><w:t>二、主要任务</w:t></w:r></w:p>\
        </w:body></w:document>";
    let mut buffer = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut buffer);
        let ok = zip
            .start_file(
                "word/document.xml",
                zip::write::SimpleFileOptions::default(),
            )
            .is_ok()
            && zip.write_all(xml.as_bytes()).is_ok()
            && zip.finish().is_ok();
        assert!(ok);
    }
    let source = planwatch_ingest::decode("t.docx", &buffer.into_inner());
    let doc = source.and_then(|s| planwatch_ingest::extract(&s));
    let doc = match doc {
        Ok(d) => d,
        Err(e) => panic!("{e}"),
    };
    let targets: Vec<_> = doc.plans[0]
        .targets
        .iter()
        .map(|t| {
            (
                t.line,
                t.indicator.as_str(),
                t.comparator.as_str(),
                t.value,
                t.unit.as_str(),
                t.year,
                t.owner.as_deref(),
                t.binding,
            )
        })
        .collect();
    assert_eq!(
        targets,
        vec![
            (
                4,
                "孕产妇死亡率",
                "<=",
                10.0,
                "1/10万",
                2025,
                Some("县卫生健康局 县医保局"),
                Some(true)
            ),
            (
                4,
                "孕产妇死亡率",
                "<=",
                9.0,
                "1/10万",
                2030,
                Some("县卫生健康局 县医保局"),
                Some(true)
            ),
        ]
    );
}
