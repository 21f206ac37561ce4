//! Bytes to lines: encoding detection and the per-format readers.

use crate::{IngestError, docx, html, pdf};
use std::io::Read;
use std::path::Path;

/// Plans are a few hundred KB; a file 100 times larger is not a plan and would only cost
/// memory.
pub const MAX_FILE_BYTES: u64 = 20 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceFormat {
    Text,
    Docx,
    Html,
    Pdf,
}

/// A document as lines of text, in reading order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceText {
    /// The file's name as the user gave it; used in every error message.
    pub name: String,
    pub format: SourceFormat,
    pub lines: Vec<String>,
    /// What the reader repaired on the way, in Chinese, each naming the file and where
    /// (an invalid byte replaced, page furniture dropped …); the caller shows them.
    pub warnings: Vec<String>,
    /// 0-based indexes of lines that the layout says continue on the next line (a PDF
    /// line that reaches the right margin); empty when the format tells nothing.
    pub wraps: Vec<u32>,
}

impl SourceText {
    pub fn from_text(name: &str, format: SourceFormat, text: &str) -> SourceText {
        SourceText {
            name: name.to_string(),
            format,
            lines: text
                .lines()
                .map(|l| l.trim_end_matches('\r').to_string())
                .collect(),
            warnings: Vec::new(),
            wraps: Vec::new(),
        }
    }
}

pub(crate) fn load(path: &Path) -> Result<SourceText, IngestError> {
    let name = path.display().to_string();
    let io_err = |e: std::io::Error| IngestError::Io {
        file: name.clone(),
        reason: e.to_string(),
    };
    let file = std::fs::File::open(path).map_err(io_err)?;
    let size = file.metadata().map_err(io_err)?.len();
    if size > MAX_FILE_BYTES {
        return Err(IngestError::TooLarge {
            file: name,
            size,
            limit: MAX_FILE_BYTES,
        });
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io_err)?;
    decode(&name, &bytes)
}

pub(crate) fn decode(name: &str, bytes: &[u8]) -> Result<SourceText, IngestError> {
    let mut source = decode_format(name, bytes)?;
    unify_radicals(&mut source);
    Ok(source)
}

/// Radical and variant characters read as the ideographs they show ("妇⼥" → 妇女), with a warning:
/// text out of some PDFs carries them, and every rule and catalog name would miss it.
fn unify_radicals(source: &mut SourceText) {
    let mut count = 0usize;
    let mut example = None;
    for line in &mut source.lines {
        if !line
            .chars()
            .any(|c| ('\u{2E80}'..='\u{2FDF}').contains(&c) || c == '戶')
        {
            continue;
        }
        *line = line
            .chars()
            .map(|c| match planwatch_text::fold::unify_radical(c) {
                Some(ideograph) => {
                    count += 1;
                    example.get_or_insert((c, ideograph));
                    ideograph
                }
                None => c,
            })
            .collect();
    }
    if let Some((radical, ideograph)) = example {
        source.warnings.push(format!(
            "{}: 有 {count} 处部首或异体字符（如“{radical}”）已按对应汉字（“{ideograph}”）读取，常见于从 PDF 转出的文字",
            source.name
        ));
    }
}

fn decode_format(name: &str, bytes: &[u8]) -> Result<SourceText, IngestError> {
    let file = name.to_string();
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(IngestError::TooLarge {
            file,
            size: bytes.len() as u64,
            limit: MAX_FILE_BYTES,
        });
    }
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(IngestError::Empty { file });
    }
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".pdf") || bytes.starts_with(b"%PDF-") {
        let text = pdf::lines(name, bytes)?;
        return Ok(SourceText {
            name: file,
            format: SourceFormat::Pdf,
            lines: text.lines,
            warnings: text.warnings,
            wraps: text.wraps,
        });
    }
    let is_zip = bytes.starts_with(b"PK\x03\x04");
    if lower.ends_with(".docx") || is_zip {
        let lines = docx::paragraphs(name, bytes)?;
        return Ok(SourceText {
            name: file,
            format: SourceFormat::Docx,
            lines,
            warnings: Vec::new(),
            wraps: Vec::new(),
        });
    }
    let (text, warnings) = decode_text(name, bytes)?;
    let looks_html = lower.ends_with(".html") || lower.ends_with(".htm") || sniff_html(&text);
    if looks_html {
        let lines = html::blocks(&text);
        return Ok(SourceText {
            name: file,
            format: SourceFormat::Html,
            lines,
            warnings,
            wraps: Vec::new(),
        });
    }
    let mut source = SourceText::from_text(name, SourceFormat::Text, &text);
    source.warnings = warnings;
    Ok(source)
}

fn sniff_html(text: &str) -> bool {
    let head: String = text
        .chars()
        .take(512)
        .collect::<String>()
        .to_ascii_lowercase();
    let head = head.trim_start();
    head.starts_with("<!doctype html") || head.starts_with("<html")
}

/// UTF-8 (with or without BOM) or GB18030/GBK, decided from the bytes; with the warnings
/// of a repaired UTF-8 file.
fn decode_text(name: &str, bytes: &[u8]) -> Result<(String, Vec<String>), IngestError> {
    let file = name.to_string();
    // NUL bytes do not occur in UTF-8 or GB18030 text; a file with them is binary (or UTF-16,
    // which no plan we know of uses).
    let nul_count = bytes.iter().take(8192).filter(|&&b| b == 0).count();
    if nul_count > 0 {
        if let Some(text) = decode_utf16(bytes) {
            return Ok((text, Vec::new()));
        }
        return Err(IngestError::Binary { file });
    }
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(text) = std::str::from_utf8(body) {
        return Ok((check_text(name, text.to_string())?, Vec::new()));
    }
    // A UTF-8 plan with a few damaged bytes (a bad copy, a cut download) is read with the
    // bytes replaced by U+FFFD, and says where they were.
    if let Some(repaired) = repair_utf8(name, body, bytes.len() - body.len()) {
        let (text, warnings) = repaired;
        return Ok((check_text(name, text)?, warnings));
    }
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(body, true);
    let guess = detector.guess(None, true);
    // GB18030 is a superset of GBK and GB2312: decoding with it accepts all three.
    let encoding = if guess == encoding_rs::GBK || guess == encoding_rs::GB18030 {
        encoding_rs::GB18030
    } else {
        guess
    };
    let (text, _, had_errors) = encoding.decode(body);
    if had_errors || encoding != encoding_rs::GB18030 {
        // Try GB18030 directly: chardetng may guess another legacy encoding on short texts.
        let (text, _, gb_errors) = encoding_rs::GB18030.decode(body);
        if gb_errors {
            return Err(IngestError::Undecodable { file });
        }
        return Ok((check_text(name, text.into_owned())?, Vec::new()));
    }
    Ok((check_text(name, text.into_owned())?, Vec::new()))
}

/// How many damaged places a UTF-8 file may have and still be read as UTF-8: one per
/// thousand of its multi-byte characters, at least a few. A GBK file read as UTF-8 has a
/// damaged place at nearly every Chinese character.
fn utf8_damage_allowed(multibyte_chars: usize) -> usize {
    (multibyte_chars / 1000).max(4)
}

/// `body` as UTF-8 with its invalid sequences replaced, when it is UTF-8 but for a few
/// of them; the warnings name the line and byte offset of each (the first few).
fn repair_utf8(name: &str, body: &[u8], bom_len: usize) -> Option<(String, Vec<String>)> {
    let mut text = String::with_capacity(body.len());
    let mut bad: Vec<usize> = Vec::new();
    let mut multibyte = 0usize;
    let mut offset = 0usize;
    for chunk in body.utf8_chunks() {
        let valid = chunk.valid();
        multibyte += valid.chars().filter(|c| !c.is_ascii()).count();
        text.push_str(valid);
        offset += valid.len();
        if !chunk.invalid().is_empty() {
            // Invalid sequences back to back (a lead byte lost before its continuation
            // bytes) are one damaged place.
            if !valid.is_empty() || bad.is_empty() {
                bad.push(offset);
            }
            text.push('\u{FFFD}');
            offset += chunk.invalid().len();
        }
    }
    if bad.is_empty() || bad.len() > utf8_damage_allowed(multibyte) || multibyte < 10 * bad.len() {
        return None;
    }
    const SHOWN: usize = 5;
    let mut warnings: Vec<String> = bad
        .iter()
        .take(SHOWN)
        .map(|&at| {
            let line = body[..at].iter().filter(|&&b| b == b'\n').count() + 1;
            let at = at + bom_len;
            format!(
                "{name}: 第 {line} 行（第 {at} 字节起）有无效的 UTF-8 字节，已替换为“\u{FFFD}”后继续读取；请核对该处文字"
            )
        })
        .collect();
    if bad.len() > SHOWN {
        warnings.push(format!(
            "{name}: 另有 {} 处无效的 UTF-8 字节已替换",
            bad.len() - SHOWN
        ));
    }
    Some((text, warnings))
}

fn decode_utf16(bytes: &[u8]) -> Option<String> {
    let (enc, body) = if let Some(b) = bytes.strip_prefix(b"\xFF\xFE") {
        (encoding_rs::UTF_16LE, b)
    } else if let Some(b) = bytes.strip_prefix(b"\xFE\xFF") {
        (encoding_rs::UTF_16BE, b)
    } else {
        return None;
    };
    let (text, errors) = enc.decode_without_bom_handling(body);
    (!errors).then(|| text.into_owned())
}

/// Control characters other than tab, CR, LF and form feed mark a binary file that happened
/// to decode.
fn check_text(name: &str, text: String) -> Result<String, IngestError> {
    let sample = text.chars().take(20_000);
    let (mut control, mut total) = (0usize, 0usize);
    for c in sample {
        total += 1;
        if c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{c}') {
            control += 1;
        }
    }
    if total > 0 && control * 100 > total {
        return Err(IngestError::Binary {
            file: name.to_string(),
        });
    }
    if text.trim().is_empty() {
        return Err(IngestError::Empty {
            file: name.to_string(),
        });
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_bom_and_crlf() {
        let src = decode("a.txt", "\u{feff}第一行\r\n第二行\r\n".as_bytes());
        let src = src.map(|s| s.lines).unwrap_or_default();
        assert_eq!(src, vec!["第一行".to_string(), "第二行".to_string()]);
    }

    #[test]
    fn gb18030_is_detected() {
        let text = "孕产妇死亡率稳定在12/10万以下，婴儿死亡率控制在5‰以下。\n";
        let (bytes, _, _) = encoding_rs::GB18030.encode(text);
        let lines = decode("gbk.txt", &bytes)
            .map(|s| s.lines)
            .unwrap_or_default();
        assert_eq!(lines, vec![text.trim_end().to_string()]);
    }

    #[test]
    fn binary_and_empty_are_refused_with_the_file_name() {
        let err = decode("x.txt", &[0u8, 1, 2, 3, 0, 0, 7]).err();
        assert!(matches!(err, Some(IngestError::Binary { .. })));
        let err = decode("empty.txt", b"  \n ").err();
        assert!(matches!(err, Some(IngestError::Empty { ref file }) if file == "empty.txt"));
    }

    #[test]
    fn a_utf8_plan_with_one_bad_byte_is_read_with_a_warning_naming_the_place() {
        let mut bytes = "孕产妇死亡率稳定在12/10万以下。\n".repeat(20).into_bytes();
        let second_line = bytes.len() / 20;
        bytes[second_line + 3] = 0xFF;
        let source = decode("bad.txt", &bytes);
        let Ok(source) = source else {
            panic!("refused: {source:?}");
        };
        assert_eq!(source.lines.len(), 20);
        assert!(source.lines[1].contains('\u{FFFD}'));
        assert_eq!(source.lines[2], "孕产妇死亡率稳定在12/10万以下。");
        assert_eq!(source.warnings.len(), 1);
        let expected = format!("bad.txt: 第 2 行（第 {} 字节起）", second_line + 3);
        assert!(
            source.warnings[0].starts_with(&expected),
            "{:?}",
            source.warnings
        );
    }

    #[test]
    fn png_renamed_docx_is_a_bad_docx() {
        let err = decode("p.docx", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").err();
        assert!(matches!(err, Some(IngestError::BadDocx { .. })));
    }
}

#[cfg(test)]
mod radical_tests {
    /// Text out of a PDF whose font drew 户 as the radical ⼾ and 女 as ⼥.
    #[test]
    fn radicals_and_variants_read_as_the_characters_they_show() {
        let s = super::decode("a.txt", "戶外，⼾籍，妇⼥".as_bytes());
        let s = s.ok().map(|s| (s.lines, s.warnings));
        let Some((lines, warnings)) = s else {
            panic!("not decoded");
        };
        assert_eq!(lines, vec!["户外，户籍，妇女".to_string()]);
        assert_eq!(
            warnings,
            vec![
                "a.txt: 有 3 处部首或异体字符（如“戶”）已按对应汉字（“户”）读取，常见于从 PDF 转出的文字"
            ]
        );
    }
}
