//! PDF to lines: the text layer of a text PDF, as Word, WPS and LibreOffice "save as PDF"
//! write it (CID fonts with ToUnicode maps for Chinese), read with `pdf-extract`.
//!
//! The text comes one printed line a line, a form feed line between pages; the extraction's
//! pre-pass (`extract::reflow`) rejoins the wrapped lines and drops page numbers and running
//! heads. We place the characters ourselves (`Lines`) rather than take pdf-extract's plain
//! text: it puts a space wherever a glyph stands a little apart, and Word and LibreOffice set
//! Latin digits apart from Chinese ("2030 年"), which would hide every year from the rules.
//! Ruled tables are rebuilt from their borders (`table`) and come out one line a row, cells
//! after tabs, as Word tables do; a table going on to the next page is read as one: its
//! repeated heading row is dropped and a row the page broke is joined.
//!
//! Bad PDFs are refused with a Chinese message naming the file: encrypted ones, scanned
//! ones (no text layer), damaged ones; the parser runs on its own thread under a time limit
//! and behind `catch_unwind`, so a PDF that would make it panic or loop costs an error,
//! not the process.

mod table;

use crate::IngestError;
use pdf_extract::{
    ColorSpace, Document, MediaBox, OutputDev, OutputError, Path, PathOp, Transform,
};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc;
use std::time::Duration;
use table::{Glyph, Rule, Table, continues, join_rows, row_line};

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
    /// The current page's glyphs and ruling lines, laid out when the page ends: a table's
    /// borders may be drawn after its text.
    glyphs: Vec<Glyph>,
    rules: Vec<Rule>,
    /// The table the last page ended with, which this page may go on with.
    open_table: Option<OpenTable>,
}

/// A table that ended a page: where its last row was written, and what it held.
struct OpenTable {
    /// Index into `lines` of its last row.
    line: usize,
    last_row: Vec<String>,
    /// Its first rows (of the whole table, and of its part on the page), which a continued
    /// table repeats as its heading on every page.
    headings: [Vec<String>; 2],
    columns: Vec<f64>,
}

/// Most glyphs outside a table between it and the page's edge for the table still to end
/// or begin the page: a page number, a running head.
const FURNITURE_GLYPHS: usize = 40;

/// Most ruling lines kept from one page: a plan's page has a few hundred; a drawing of
/// thousands is no table, and finding grids costs the square of the count.
const MAX_RULES_PER_PAGE: usize = 4000;

impl Lines {
    fn start_page(&mut self) {
        self.lay_out_page();
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
                // Past the margin by a full-width comma or stop: punctuation hung at the
                // line's end, as LibreOffice and Word set Chinese.
                if right >= margin - size * 1.5 && right <= margin + size * 1.5 {
                    self.wraps.push(i as u32);
                }
            }
        }
        self.page.clear();
    }

    /// Places the page's glyphs: those inside a ruled table as the table's rows, where its
    /// first glyph was drawn; the rest line by line.
    fn lay_out_page(&mut self) {
        if self.glyphs.is_empty() {
            // Laid out already (the page's end and the next page's start both ask).
            self.rules.clear();
            return;
        }
        let glyphs = std::mem::take(&mut self.glyphs);
        let rules = std::mem::take(&mut self.rules);
        let mut tables = Table::find(&rules);
        // For each glyph, the table it belongs to.
        let owner: Vec<Option<usize>> = glyphs
            .iter()
            .map(|g| tables.iter_mut().position(|t| t.take(g)))
            .collect();
        // Glyphs outside tables above and below each table: few means the table begins or
        // ends the page.
        let outside: Vec<&Glyph> = glyphs
            .iter()
            .zip(&owner)
            .filter(|(_, o)| o.is_none())
            .map(|(g, _)| g)
            .collect();
        let edges: Vec<(usize, usize)> = tables
            .iter()
            .map(|t| {
                let (top, bottom) = t.top_bottom();
                (
                    outside.iter().filter(|g| g.y > top).count(),
                    outside.iter().filter(|g| g.y < bottom).count(),
                )
            })
            .collect();
        let continued = self.open_table.take();
        let mut first_table = true;
        let mut placed = vec![false; tables.len()];
        for (glyph, owner) in glyphs.iter().zip(owner) {
            match owner {
                None => self.place(glyph),
                Some(t) if !placed[t] => {
                    placed[t] = true;
                    self.close_line();
                    self.last = None;
                    let mut rows = tables[t].rows();
                    let own_first = rows.first().cloned().unwrap_or_default();
                    let mut heading = own_first.clone();
                    if first_table
                        && edges[t].0 <= FURNITURE_GLYPHS
                        && let Some(open) = &continued
                        && tables[t].same_columns(&open.columns)
                    {
                        heading = open.headings[0].clone();
                        if rows
                            .first()
                            .is_some_and(|first| open.headings.contains(first))
                        {
                            rows.remove(0);
                        }
                        let last_is_heading = open.last_row == open.headings[0];
                        if let Some(first) = rows.first()
                            && continues(&open.last_row, first, last_is_heading)
                        {
                            let joined = join_rows(&open.last_row, first);
                            self.lines[open.line] = row_line(&joined);
                            if last_is_heading {
                                heading = joined;
                            }
                            rows.remove(0);
                        }
                    }
                    first_table = false;
                    self.lines.extend(rows.iter().map(|r| row_line(r)));
                    // Only the page's last table can go on; a later one replaces it.
                    self.open_table =
                        rows.last()
                            .filter(|_| edges[t].1 <= FURNITURE_GLYPHS)
                            .map(|last| OpenTable {
                                line: self.lines.len() - 1,
                                last_row: last.clone(),
                                headings: [heading.clone(), own_first.clone()],
                                columns: tables[t].columns().to_vec(),
                            });
                }
                Some(_) => {}
            }
        }
    }

    fn place(&mut self, glyph: &Glyph) {
        let Glyph {
            x,
            y,
            right,
            size,
            ref text,
        } = *glyph;
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
        self.last = Some((y, right, size));
    }

    fn add_rules(&mut self, ctm: &Transform, path: &Path, stroked: bool) {
        let at = |x: f64, y: f64| {
            (
                x * ctm.m11 + y * ctm.m21 + ctm.m31,
                x * ctm.m12 + y * ctm.m22 + ctm.m32,
            )
        };
        let mut found = Vec::new();
        // Points of the current subpath, for filled outlines and `Close`.
        let mut subpath: Vec<(f64, f64)> = Vec::new();
        let flush = |subpath: &mut Vec<(f64, f64)>, found: &mut Vec<Rule>| {
            // A filled outline of four or five points is a rectangle: a border drawn as a
            // thin filled bar (Word does this).
            if !stroked && (4..=5).contains(&subpath.len()) {
                let xs = subpath.iter().map(|p| p.0);
                let ys = subpath.iter().map(|p| p.1);
                let (x0, x1) = (
                    xs.clone().fold(f64::MAX, f64::min),
                    xs.fold(f64::MIN, f64::max),
                );
                let (y0, y1) = (
                    ys.clone().fold(f64::MAX, f64::min),
                    ys.fold(f64::MIN, f64::max),
                );
                found.extend(Rule::of_rectangle([(x0, y0), (x1, y1)], false));
            }
            subpath.clear();
        };
        for op in &path.ops {
            match *op {
                PathOp::MoveTo(x, y) => {
                    flush(&mut subpath, &mut found);
                    subpath.push(at(x, y));
                }
                PathOp::LineTo(x, y) => {
                    let point = at(x, y);
                    if let (true, Some(&last)) = (stroked, subpath.last()) {
                        found.extend(Rule::between(last, point));
                    }
                    subpath.push(point);
                }
                PathOp::CurveTo(_, _, _, _, x, y) => subpath.push(at(x, y)),
                PathOp::Rect(x, y, w, h) => {
                    flush(&mut subpath, &mut found);
                    found.extend(Rule::of_rectangle([at(x, y), at(x + w, y + h)], stroked));
                }
                PathOp::Close => {
                    if let (true, Some(&first), Some(&last)) =
                        (stroked, subpath.first(), subpath.last())
                    {
                        found.extend(Rule::between(last, first));
                    }
                    flush(&mut subpath, &mut found);
                }
            }
        }
        flush(&mut subpath, &mut found);
        let room = MAX_RULES_PER_PAGE.saturating_sub(self.rules.len());
        self.rules.extend(found.into_iter().take(room));
    }

    fn finish(mut self) -> (Vec<String>, Vec<u32>) {
        self.lay_out_page();
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
        self.lay_out_page();
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
        self.glyphs.push(Glyph {
            x,
            y,
            right: x + width * size,
            size,
            text: text.to_string(),
        });
        Ok(())
    }

    fn stroke(
        &mut self,
        ctm: &Transform,
        _colorspace: &ColorSpace,
        _color: &[f64],
        path: &Path,
    ) -> Result<(), OutputError> {
        self.add_rules(ctm, path, true);
        Ok(())
    }

    fn fill(
        &mut self,
        ctm: &Transform,
        _colorspace: &ColorSpace,
        _color: &[f64],
        path: &Path,
    ) -> Result<(), OutputError> {
        self.add_rules(ctm, path, false);
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
