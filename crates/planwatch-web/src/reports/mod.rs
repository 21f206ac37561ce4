//! Reports on the web: downloaded live from a region's dashboard (Word, Excel, a page), as
//! JSON from the API, published (frozen) by the office, and read by the public without
//! login.
//!
//! - [`download`]: `GET /regions/{id}/report?kind=&year=&format=docx|xlsx|html` and
//!   `GET /api/regions/{id}/report` — built live: the store's `report_input`, core's
//!   `build`, the export crate's writers;
//! - [`publish`]: `GET/POST /regions/{id}/publications` — the region's published versions
//!   and the office's publish form;
//! - [`public`]: `/public`, `/public/reports/{id}` and its files — rendered from the frozen
//!   JSON only, never from live data.
//!
//! Building and rendering a report is CPU work: it runs on the blocking pool, at most
//! [`RENDERS`] at a time, so that downloads (anonymous ones included) cannot starve the
//! pages. A published report's files never change, so each is rendered once and kept.

pub mod download;
pub mod public;
pub mod publish;

use crate::WebError;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use chrono::Datelike;
use lru::LruCache;
use planwatch_core::reporting::{Report, ReportKind};
use planwatch_export::report::{ReportWriteError, docx, xlsx};
use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};
use tokio::sync::Semaphore;

/// Reports built or rendered at once.
const RENDERS: usize = 2;
/// Rendered files of published reports kept (a few hundred kilobytes each).
const FILES: usize = 64;

/// A published report's file: (publication id, which file).
type FileKey = (i64, FileKind);

/// The renderings under way, and the files of published reports already rendered.
pub struct Renders {
    permits: Semaphore,
    files: Mutex<LruCache<FileKey, Arc<[u8]>>>,
    /// The HTML of published reports' pages (their content, without the layout).
    bodies: Mutex<LruCache<i64, Arc<str>>>,
}

impl Default for Renders {
    fn default() -> Renders {
        Renders {
            permits: Semaphore::new(RENDERS),
            files: Mutex::new(LruCache::new(
                NonZeroUsize::new(FILES).unwrap_or(NonZeroUsize::MIN),
            )),
            bodies: Mutex::new(LruCache::new(
                NonZeroUsize::new(FILES).unwrap_or(NonZeroUsize::MIN),
            )),
        }
    }
}

impl Renders {
    /// Runs `work` on the blocking pool once a permit is free.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, WebError> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|e| WebError::Internal(format!("render permits closed: {e}")))?;
        tokio::task::spawn_blocking(work)
            .await
            .map_err(|e| WebError::Internal(format!("a report rendering failed: {e}")))
    }

    fn kept(&self, key: FileKey) -> Option<Arc<[u8]>> {
        let mut files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        files.get(&key).cloned()
    }

    fn kept_body(&self, id: i64) -> Option<Arc<str>> {
        let mut bodies = self.bodies.lock().unwrap_or_else(|e| e.into_inner());
        bodies.get(&id).cloned()
    }

    fn keep_body(&self, id: i64, body: Arc<str>) {
        let mut bodies = self.bodies.lock().unwrap_or_else(|e| e.into_inner());
        bodies.put(id, body);
    }

    fn keep(&self, key: FileKey, bytes: Arc<[u8]>) {
        let mut files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        files.put(key, bytes);
    }
}

/// A file a report is downloaded as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileKind {
    Docx,
    Xlsx,
    Csv,
    Json,
    SdmxCsv,
}

impl FileKind {
    pub fn content_type(self) -> &'static str {
        match self {
            FileKind::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            FileKind::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            FileKind::Csv => "text/csv; charset=utf-8",
            FileKind::Json => "application/json; charset=utf-8",
            FileKind::SdmxCsv => "text/csv; charset=utf-8; header=present",
        }
    }

    /// What ends the file's name.
    pub fn suffix(self) -> &'static str {
        match self {
            FileKind::Docx => ".docx",
            FileKind::Xlsx => ".xlsx",
            FileKind::Csv => "（开放数据）.csv",
            FileKind::Json => "（开放数据）.json",
            FileKind::SdmxCsv => "（SDMX-CSV）.csv",
        }
    }

    fn ascii_suffix(self) -> &'static str {
        match self {
            FileKind::Docx => ".docx",
            FileKind::Xlsx => ".xlsx",
            FileKind::Csv => "-data.csv",
            FileKind::Json => "-data.json",
            FileKind::SdmxCsv => "-sdmx.csv",
        }
    }

    /// The report as this file.
    pub fn write(self, report: &Report) -> Result<Vec<u8>, ReportWriteError> {
        use planwatch_export::report::open_data;
        match self {
            FileKind::Docx => docx::write(report),
            FileKind::Xlsx => xlsx::write(report),
            FileKind::Csv => Ok(open_data::csv(report)),
            FileKind::Json => Ok(open_data::json(report)),
            FileKind::SdmxCsv => Ok(open_data::sdmx_csv(report)),
        }
    }
}

/// "2026年12月3日", the day in China.
pub fn issued_on() -> String {
    let d = crate::rounds::today();
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// The file's name people see: "连平县2024年度监测报告.docx".
pub fn file_name(region: &str, year: i32, kind: ReportKind, file: FileKind) -> String {
    let stem = match kind {
        ReportKind::Annual => format!("{region}{year}年度监测报告"),
        _ => format!("{region}{year}年{}", kind.label_zh()),
    };
    let clean: String = stem
        .chars()
        .filter(|c| {
            !c.is_control() && !matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|')
        })
        .collect();
    format!("{clean}{}", file.suffix())
}

/// `Content-Disposition: attachment` with the name in UTF-8 (RFC 5987 `filename*`) and an
/// ASCII one for old clients.
pub fn disposition(name: &str, ascii_stem: &str, file: FileKind) -> HeaderValue {
    let mut encoded = String::with_capacity(name.len() * 3);
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            encoded.push(b as char);
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    let ascii: String = ascii_stem
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
        .collect();
    let value = format!(
        "attachment; filename=\"{ascii}{}\"; filename*=UTF-8''{encoded}",
        file.ascii_suffix()
    );
    HeaderValue::from_str(&value).unwrap_or_else(|_| HeaderValue::from_static("attachment"))
}

/// A file as a download response.
pub fn attachment(
    bytes: impl Into<axum::body::Body>,
    file: FileKind,
    name: &str,
    ascii_stem: &str,
    cache: &'static str,
) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static(file.content_type()),
            ),
            (
                header::CONTENT_DISPOSITION,
                disposition(name, ascii_stem, file),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static(cache)),
        ],
        bytes.into(),
    )
        .into_response()
}

/// The report kinds as the forms offer them.
pub struct KindOption {
    pub code: &'static str,
    pub label: &'static str,
    pub selected: bool,
}

pub fn kind_options(selected: ReportKind) -> Vec<KindOption> {
    ReportKind::ALL
        .iter()
        .map(|k| KindOption {
            code: k.code(),
            label: label(*k),
            selected: *k == selected,
        })
        .collect()
}

/// The kind's name in the forms and lists: `label_zh`, the units' report said whole.
pub fn label(kind: ReportKind) -> &'static str {
    match kind {
        ReportKind::Units => "成员单位重点指标监测情况",
        ReportKind::Upward => "向上级报告",
        k => k.label_zh(),
    }
}

/// The `kind` of a query or form: annual when not given; a Chinese message when unknown.
pub fn parse_kind(raw: Option<&str>) -> Result<ReportKind, String> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(ReportKind::Annual),
        Some(s) => ReportKind::parse(s).ok_or_else(|| {
            format!(
                "报告类型“{s}”无效：请在年度监测报告、中期评估报告、终期评估报告、成员单位重点指标监测情况、向上级报告中选择。"
            )
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_name_is_chinese_and_its_header_says_it_in_utf8() {
        let name = file_name("连平县", 2024, ReportKind::Annual, FileKind::Docx);
        assert_eq!(name, "连平县2024年度监测报告.docx");
        let header = disposition(&name, "441623-2024-annual", FileKind::Docx);
        let text = header.to_str().expect("ascii");
        assert!(text.starts_with("attachment; filename=\"441623-2024-annual.docx\""));
        assert!(
            text.contains("filename*=UTF-8''%E8%BF%9E%E5%B9%B3"),
            "{text}"
        );
        assert_eq!(
            file_name("a/b", 2025, ReportKind::Midterm, FileKind::Xlsx),
            "ab2025年中期评估报告.xlsx"
        );
    }

    #[test]
    fn kinds_parse_with_a_chinese_refusal() {
        assert_eq!(parse_kind(None), Ok(ReportKind::Annual));
        assert_eq!(parse_kind(Some("final")), Ok(ReportKind::Final));
        assert!(parse_kind(Some("yearly")).is_err_and(|m| m.contains("报告类型")));
    }
}
