//! PDF to lines: the text layer of a text PDF, as Word, WPS and LibreOffice "save as PDF"
//! write it (CID fonts with ToUnicode maps for Chinese), read with `pdf-extract`.
//!
//! The text comes one printed line a line, a form feed line between pages; the extraction's
//! pre-pass (`extract::reflow`) rejoins the wrapped lines and drops page numbers and running
//! heads. We place the characters ourselves (`Lines`) rather than take pdf-extract's plain
//! text: it puts a space wherever a glyph stands a little apart, and Word and LibreOffice set
//! Latin digits apart from Chinese ("2030 年"), which would hide every year from the rules.
//!
//! Bad PDFs are refused with a Chinese message naming the file: encrypted ones, scanned
//! ones (no text layer), damaged ones; the parser runs on its own thread under a time limit
//! and behind `catch_unwind`, so a PDF that would make it panic or loop costs an error,
//! not the process.

use crate::IngestError;
use pdf_extract::{Document, MediaBox, OutputDev, OutputError, Transform};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc;
use std::time::Duration;

/// The name of the thread the PDF parser runs on.
pub const PDF_THREAD: &str = "planwatch-pdf";

/// Keeps the PDF parser's panics off standard error: they are caught and reported as a
/// damaged file, so the backtrace the default hook prints would only alarm the clerk. Every
/// other thread keeps the hook it had. For a binary to call once at start.
pub fn quiet_parser_panics() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if std::thread::current().name() != Some(PDF_THREAD) {
            previous(info);
        }
    }));
}

/// How long one PDF may take. A plan of 100 pages reads in about a second.
pub const PDF_TIME_LIMIT: Duration = Duration::from_secs(30);

/// Fewer visible characters than this per page on average: the pages are images.
const MIN_CHARS_PER_PAGE: usize = 20;

/// Does `bytes` look like a PDF? The header may follow a little junk (some servers prepend
/// a byte order mark or blank lines).
pub(crate) fn is_pdf(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1024)];
    head.windows(5).any(|w| w == b"%PDF-")
}

/// The lines of a PDF's text layer, with warnings (pages that could not be read).
pub(crate) fn lines(name: &str, bytes: &[u8]) -> Result<PdfText, IngestError> {
    let file = name.to_string();
    if !is_pdf(bytes) {
        return Err(IngestError::BadPdf {
            file,
            reason: "文件开头没有 PDF 标记".into(),
        });
    }
    let (tx, rx) = mpsc::channel();
    let owned = bytes.to_vec();
    let worker_name = file.clone();
    let spawned = std::thread::Builder::new()
        .name(PDF_THREAD.into())
        .spawn(move || {
            let result = catch_unwind(AssertUnwindSafe(|| read(&worker_name, &owned)));
            // The receiver may have given up (time limit): nothing to do then.
            let _ = tx.send(result);
        });
    if let Err(e) = spawned {
        return Err(IngestError::Io {
            file,
            reason: e.to_string(),
        });
    }
    match rx.recv_timeout(PDF_TIME_LIMIT) {
        Ok(Ok(result)) => result,
        Ok(Err(_panic)) => Err(IngestError::BadPdf {
            file,
            reason: "文件结构损坏，解析器无法处理".into(),
        }),
        // The thread is left to finish on its own: a thread cannot be stopped from outside.
        Err(_) => Err(IngestError::PdfTimeout {
            file,
            seconds: PDF_TIME_LIMIT.as_secs(),
        }),
    }
}

fn read(name: &str, bytes: &[u8]) -> Result<PdfText, IngestError> {
    let file = name.to_string();
    let mut doc = Document::load_mem(bytes).map_err(|e| IngestError::BadPdf {
        file: file.clone(),
        reason: format!("{e}"),
    })?;
    if doc.is_encrypted() {
        // Many PDFs are encrypted with an empty user password (printing or copying
        // restricted): those read like any other.
        if doc.decrypt("").is_err() {
            return Err(IngestError::EncryptedPdf { file });
        }
    }
    let pages = doc.get_pages();
    if pages.is_empty() {
        return Err(IngestError::BadPdf {
            file,
            reason: "没有页面".into(),
        });
    }
    let mut out = Lines::default();
    let mut warnings = Vec::new();
    let mut unreadable = 0;
    for (&number, _) in pages.iter() {
        out.start_page();
        let page = catch_unwind(AssertUnwindSafe(|| {
            pdf_extract::output_doc_page(&doc, &mut out, number)
        }));
        match page {
            Ok(Ok(())) => {}
            Ok(Err(e)) => {
                unreadable += 1;
                warnings.push(format!("{name}: 第 {number} 页无法读取（{e:?}），已跳过"));
            }
            Err(_) => {
                unreadable += 1;
                warnings.push(format!("{name}: 第 {number} 页结构损坏，已跳过"));
            }
        }
    }
    if unreadable == pages.len() {
        return Err(IngestError::BadPdf {
            file,
            reason: "没有一页能读取".into(),
        });
    }
    let (lines, wraps) = out.finish();
    let visible: usize = lines
        .iter()
        .map(|l| l.chars().filter(|c| !c.is_whitespace()).count())
        .sum();
    if visible < MIN_CHARS_PER_PAGE * pages.len() {
        return Err(IngestError::ScannedPdf {
            file,
            pages: pages.len(),
        });
    }
    Ok(PdfText {
        lines,
        wraps,
        warnings,
    })
}

/// A PDF's text layer: its lines, the lines that reach the right margin, and warnings.
pub(crate) struct PdfText {
    pub lines: Vec<String>,
    pub wraps: Vec<u32>,
    pub warnings: Vec<String>,
}

/// Characters placed into lines by their position: a new line when the baseline moves by
/// half a character or more, an empty line before a paragraph set further apart, a space
/// only between two Latin letters or digits set apart (a word break). Each line remembers
/// its right edge: a line that reaches the page's right margin was wrapped by the
/// typesetter (justified text ends every full line at the margin), which tells the
/// pre-pass better than counting characters could.
#[derive(Default)]
struct Lines {
    lines: Vec<String>,
    /// Indexes into `lines` of the lines that continue on the next one.
    wraps: Vec<u32>,
    /// The current page's lines: index into `lines`, right edge, character size.
    page: Vec<(usize, f64, f64)>,
    current: String,
    /// Baseline, right edge and size of the last character.
    last: Option<(f64, f64, f64)>,
    pages: usize,
}

impl Lines {
    fn start_page(&mut self) {
        self.close_page();
        if self.pages > 0 {
            // A line of its own: the page break, for the pre-pass.
            self.lines.push("\u{c}".into());
        }
        self.pages += 1;
        self.last = None;
    }

    fn close_line(&mut self) {
        if !self.current.is_empty() {
            let line = std::mem::take(&mut self.current);
            let (right, size) = self.last.map_or((0.0, 0.0), |(_, r, s)| (r, s));
            self.page.push((self.lines.len(), right, size));
            self.lines.push(line.trim_end().to_string());
        }
    }

    /// Marks the page's lines that reach its right margin: the right edge most lines of
    /// ten characters or more share (to within a character), so a wider table row or a
    /// centred page number does not set it.
    fn close_page(&mut self) {
        self.close_line();
        let long: Vec<(f64, f64)> = self
            .page
            .iter()
            .filter(|(i, _, _)| self.lines[*i].chars().count() >= 10)
            .map(|&(_, r, s)| (r, s))
            .collect();
        let margin = long
            .iter()
            .map(|&(r, s)| {
                let near = long.iter().filter(|&&(q, _)| (q - r).abs() <= s).count();
                (near, r)
            })
            .max_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)))
            .filter(|&(near, _)| near >= 3)
            .map(|(_, r)| r);
        if let Some(margin) = margin {
            for &(i, right, size) in &self.page {
                if right >= margin - size * 1.5 && right <= margin + size {
                    self.wraps.push(i as u32);
                }
            }
        }
        self.page.clear();
    }

    fn finish(mut self) -> (Vec<String>, Vec<u32>) {
        self.close_page();
        (self.lines, self.wraps)
    }
}

impl OutputDev for Lines {
    fn begin_page(
        &mut self,
        _page: u32,
        _media_box: &MediaBox,
        _art_box: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), OutputError> {
        self.close_page();
        Ok(())
    }

    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        text: &str,
    ) -> Result<(), OutputError> {
        let (x, y) = (trm.m31, trm.m32);
        let sx = font_size * (trm.m11 + trm.m21);
        let sy = font_size * (trm.m12 + trm.m22);
        let size = (sx * sy).abs().sqrt().max(1e-3);
        if let Some((last_y, last_end, last_size)) = self.last {
            let dy = (y - last_y).abs();
            let size_ref = size.max(last_size);
            if dy > size_ref * 0.5 {
                self.close_line();
                // Paragraph spacing: a gap of more than a line and a half.
                if dy > size_ref * 2.0 {
                    self.lines.push(String::new());
                }
            } else if x > last_end + size_ref * 0.25 {
                let prev_word = self
                    .current
                    .chars()
                    .last()
                    .is_some_and(|c| c.is_ascii_alphanumeric());
                let next_word = text
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphanumeric());
                if prev_word && next_word {
                    self.current.push(' ');
                }
            }
        }
        // Characters with no Unicode mapping come out as control characters or nothing.
        self.current
            .extend(text.chars().filter(|c| !c.is_control() || *c == '\t'));
        self.last = Some((y, x + width * size, size));
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
}
