//! PDF in: text PDFs made from the shipped plans (LibreOffice, A4, a page number in every
//! foot: `tests/data/pdf/make.py`) read like their text; bad PDFs give a Chinese error that
//! names the file, never a panic.

use super::broken_copies::targets_of;
use planwatch_ingest::IngestError;
use std::path::PathBuf;

fn data(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/pdf")
        .join(name);
    match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) => panic!("{}: {e}", path.display()),
    }
}

fn error_of(name: &str, bytes: &[u8]) -> IngestError {
    match planwatch_ingest::decode(name, bytes).and_then(|s| planwatch_ingest::extract(&s)) {
        Ok(_) => panic!("{name}: accepted"),
        Err(e) => e,
    }
}

/// 石柱 (002) holds its indicators in ruled 专栏 tables whose rows break across pages: the
/// tables are rebuilt from their borders and the broken rows joined; in `002-heading.pdf`
/// every continued table repeats its heading row on the new page, which is read once; in
/// `002-official.pdf` (16pt serif, a running head, 第 N 页 共 M 页) the children's table's
/// heading is cut by the page and a row goes on in three of its five cells.
#[test]
fn pdfs_of_the_plans_give_the_same_targets_as_their_text() {
    for (file, prefix) in [
        ("000.pdf", "000"),
        ("002.pdf", "002"),
        ("002-heading.pdf", "002"),
        ("002-official.pdf", "002"),
        ("003.pdf", "003"),
        ("004.pdf", "004"),
    ] {
        let pdf =
            planwatch_ingest::decode(file, &data(file)).and_then(|s| planwatch_ingest::extract(&s));
        let text = planwatch_ingest::parse_file(&super::plan_path(prefix)).map(|(_, d)| d);
        match (pdf, text) {
            (Ok(pdf), Ok(text)) => {
                assert_eq!(pdf.region, text.region, "{file}");
                assert_eq!(targets_of(&pdf), targets_of(&text), "{file}");
            }
            (pdf, text) => panic!("{file}: {:?} / {:?}", pdf.err(), text.err()),
        }
    }
}

#[test]
fn a_pdf_target_cites_the_line_its_value_stands_on() {
    let source = planwatch_ingest::decode("004.pdf", &data("004.pdf"));
    let Ok(source) = source else {
        panic!("{:?}", source.err());
    };
    let Ok(doc) = planwatch_ingest::extract(&source) else {
        panic!("004.pdf");
    };
    let mut checked = 0;
    for t in doc.plans.iter().flat_map(|p| &p.targets) {
        let line = &source.lines[t.line as usize - 1];
        let digits: String = format!("{}", t.value).chars().take(2).collect();
        if digits.chars().all(|c| c.is_ascii_digit()) && t.text.contains(&digits) {
            assert!(line.contains(&digits), "line {} «{line}» for {t:?}", t.line);
            checked += 1;
        }
    }
    assert!(checked > 40, "{checked}");
}

#[test]
fn an_encrypted_pdf_is_refused_naming_the_file() {
    let err = error_of("加密.pdf", &data("encrypted.pdf"));
    assert!(matches!(err, IngestError::EncryptedPdf { .. }), "{err}");
    assert!(
        err.to_string().starts_with("加密.pdf: PDF 文件已加密"),
        "{err}"
    );
}

/// Found by fuzzing (fuzz/RESULTS.md): a damaged font map makes the PDF parser index out of
/// bounds. The panic stays on the parser's thread; the clerk reads that the file is damaged.
#[test]
fn a_pdf_that_breaks_the_parser_is_a_damaged_file() {
    let err = error_of("规划.pdf", &data("fuzz-cmap-panic.pdf"));
    assert!(matches!(err, IngestError::BadPdf { .. }), "{err}");
    assert!(err.to_string().starts_with("规划.pdf: "), "{err}");
}

/// A PDF whose page holds no text (as a scan holds only an image): one page, an empty
/// content stream, a correct cross-reference table.
fn blank_pdf(pages: usize) -> Vec<u8> {
    let mut objects: Vec<String> = vec![
        "<< /Type /Catalog /Pages 2 0 R >>".into(),
        format!(
            "<< /Type /Pages /Kids [{}] /Count {pages} >>",
            (0..pages)
                .map(|k| format!("{} 0 R", 3 + 2 * k))
                .collect::<Vec<_>>()
                .join(" ")
        ),
    ];
    for k in 0..pages {
        objects.push(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {} 0 R >>",
            4 + 2 * k
        ));
        objects.push("<< /Length 0 >>\nstream\n\nendstream".into());
    }
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (k, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n{body}\nendobj\n", k + 1).as_bytes());
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for o in offsets {
        out.extend(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

#[test]
fn a_pdf_without_a_text_layer_is_refused_as_a_scan() {
    let err = error_of("扫描件.pdf", &blank_pdf(3));
    assert!(
        matches!(err, IngestError::ScannedPdf { pages: 3, .. }),
        "{err}"
    );
    assert!(err.to_string().contains("没有文字层"), "{err}");
}

#[test]
fn damaged_pdfs_give_an_error_or_a_reading_never_a_panic() {
    let whole = data("small.pdf");
    // Cut short, as a broken download is.
    for keep in [10, 100, whole.len() / 3, whole.len() / 2, whole.len() - 10] {
        let cut = &whole[..keep];
        if let Err(e) = planwatch_ingest::decode("cut.pdf", cut) {
            assert!(e.to_string().starts_with("cut.pdf: "), "{e}");
        }
    }
    // Bytes overwritten here and there (a deterministic walk over the file).
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    for _ in 0..24 {
        let mut bytes = whole.clone();
        for _ in 0..8 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let at = (state as usize) % bytes.len();
            bytes[at] = (state >> 32) as u8;
        }
        if let Err(e) = planwatch_ingest::decode("mutated.pdf", &bytes) {
            assert!(e.to_string().starts_with("mutated.pdf: "), "{e}");
        }
    }
    // Not a PDF at all, though named one.
    let err = error_of("report.pdf", "这不是PDF文件".as_bytes());
    assert!(matches!(err, IngestError::BadPdf { .. }), "{err}");
}

/// `table.pdf`: lines 40–75 of 石柱's plan (its first 专栏 table, cut in its fifth row) made
/// by `make.py`. LibreOffice draws each cell's text and borders in its own order and wraps
/// "2030年规划" and "指标属性" in their cells: the rows come back whole, one line each.
#[test]
fn a_ruled_table_comes_back_one_line_a_row() {
    let source = planwatch_ingest::decode("table.pdf", &data("table.pdf"));
    let Ok(source) = source else {
        panic!("{:?}", source.err());
    };
    assert_eq!(
        source.lines[..6],
        [
            "专栏一 2021—2030年妇女发展主要指标",
            "\t类别\t序号\t指标名称\t2030年规划\t指标属性\t责任单位",
            "\t妇女与健康\t1\t婚前医学检查率（%）\t逐年提高\t预期性\t县卫生健康委",
            "\t\t2\t妇女人均预期寿命（岁）\t≥82.3\t预期性\t县卫生健康委",
            "\t\t3\t孕产妇死亡率（1/10万）\t< 8\t约束性\t县卫生健康委",
            "\t\t4\t孕产妇系统管理率（%）\t≥ 92\t预期性\t",
        ]
    );
}

/// Chrome's copy of 石柱's women's plan (`make.py` says how it was made): radicals read as
/// the characters they show, the date and the file's address with the page number at every
/// page's foot dropped, the row the page cut kept whole; the targets are the text's.
#[test]
fn a_pdf_printed_by_chrome_reads_like_its_text() {
    let source = planwatch_ingest::decode("妇女规划.pdf", &data("002-women-chrome.pdf"));
    let Ok(source) = source else {
        panic!("{:?}", source.err());
    };
    assert!(
        source.warnings.iter().any(|w| w.contains("部首或异体字符")),
        "{:?}",
        source.warnings
    );
    assert!(source.lines.iter().all(|l| !l.contains('⼥')));
    let Ok(pdf) = planwatch_ingest::extract(&source) else {
        panic!("not read as a plan");
    };
    let text = match std::fs::read_to_string(super::plan_path("002")) {
        Ok(t) => t.lines().take(417).collect::<Vec<_>>().join("\n"),
        Err(e) => panic!("{e}"),
    };
    let text = planwatch_ingest::decode("妇女规划.txt", text.as_bytes())
        .and_then(|s| planwatch_ingest::extract(&s));
    let Ok(text) = text else {
        panic!("{:?}", text.err());
    };
    assert_eq!(pdf.region, text.region);
    assert_eq!(targets_of(&pdf), targets_of(&text));
    assert_eq!(targets_of(&pdf).values().sum::<usize>(), 22);
}

/// An office's typesetting (`make.py --official --lines 170`): a comma that ends a line
/// hangs past the margin, and the line still goes on to the next
/// (——义务教育巩固率稳定在100%，女童平等接受义务教育，| 消除女童辍学现象。).
#[test]
fn a_line_whose_comma_hangs_past_the_margin_goes_on() {
    let pdf = planwatch_ingest::decode("003-official.pdf", &data("003-official.pdf"))
        .and_then(|s| planwatch_ingest::extract(&s));
    let text = match std::fs::read_to_string(super::plan_path("003")) {
        Ok(t) => t.lines().take(170).collect::<Vec<_>>().join("\n"),
        Err(e) => panic!("{e}"),
    };
    let text = planwatch_ingest::decode("003.txt", text.as_bytes())
        .and_then(|s| planwatch_ingest::extract(&s));
    match (pdf, text) {
        (Ok(pdf), Ok(text)) => {
            assert_eq!(targets_of(&pdf), targets_of(&text));
            assert!(
                targets_of(&pdf)
                    .keys()
                    .any(|k| k.contains("义务教育巩固率")),
                "{:?}",
                targets_of(&pdf)
            );
        }
        (pdf, text) => panic!("{:?} / {:?}", pdf.err(), text.err()),
    }
}
