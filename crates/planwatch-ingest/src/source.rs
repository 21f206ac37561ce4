//! Bytes to lines: encoding detection and the per-format readers.

use crate::{IngestError, docx, html};
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
}

/// A document as lines of text, in reading order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceText {
    /// The file's name as the user gave it; used in every error message.
    pub name: String,
    pub format: SourceFormat,
    pub lines: Vec<String>,
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
    let is_zip = bytes.starts_with(b"PK\x03\x04");
    if lower.ends_with(".docx") || is_zip {
        let lines = docx::paragraphs(name, bytes)?;
        return Ok(SourceText {
            name: file,
            format: SourceFormat::Docx,
            lines,
        });
    }
    let text = decode_text(name, bytes)?;
    let looks_html = lower.ends_with(".html") || lower.ends_with(".htm") || sniff_html(&text);
    if looks_html {
        let lines = html::blocks(&text);
        return Ok(SourceText {
            name: file,
            format: SourceFormat::Html,
            lines,
        });
    }
    Ok(SourceText::from_text(name, SourceFormat::Text, &text))
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

/// UTF-8 (with or without BOM) or GB18030/GBK, decided from the bytes.
fn decode_text(name: &str, bytes: &[u8]) -> Result<String, IngestError> {
    let file = name.to_string();
    // NUL bytes do not occur in UTF-8 or GB18030 text; a file with them is binary (or UTF-16,
    // which no plan we know of uses).
    let nul_count = bytes.iter().take(8192).filter(|&&b| b == 0).count();
    if nul_count > 0 {
        if let Some(text) = decode_utf16(bytes) {
            return Ok(text);
        }
        return Err(IngestError::Binary { file });
    }
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(text) = std::str::from_utf8(body) {
        return check_text(name, text.to_string());
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
        return check_text(name, text.into_owned());
    }
    check_text(name, text.into_owned())
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
    fn png_renamed_docx_is_a_bad_docx() {
        let err = decode("p.docx", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").err();
        assert!(matches!(err, Some(IngestError::BadDocx { .. })));
    }
}
