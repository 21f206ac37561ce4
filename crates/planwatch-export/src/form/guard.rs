//! Checks on the raw bytes of an upload, before any xlsx parser sees them.

use std::io::{Cursor, Read};

use super::CellError;

/// Limits on an upload. [`Default`] is what the web upload uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UploadLimits {
    /// Largest upload accepted, in bytes (default 10 MB; a filled form is some 20 KB).
    pub max_bytes: usize,
    /// Largest total uncompressed size of all zip entries (default 50 MB).
    pub max_uncompressed: u64,
    /// Largest compression ratio (uncompressed / compressed) of an entry bigger than
    /// [`UploadLimits::ratio_applies_above`] (default 100; worksheet XML compresses 5–30×,
    /// zeros 1000×).
    pub max_ratio: u64,
    /// Entries smaller than this are not checked for ratio (default 1 MB): tiny XML parts
    /// compress well and are harmless.
    pub ratio_applies_above: u64,
    /// Most zip entries accepted (default 1000; a template has about 15).
    pub max_entries: usize,
}

impl Default for UploadLimits {
    fn default() -> Self {
        UploadLimits {
            max_bytes: 10 * 1024 * 1024,
            max_uncompressed: 50 * 1024 * 1024,
            max_ratio: 100,
            ratio_applies_above: 1024 * 1024,
            max_entries: 1000,
        }
    }
}

const NOT_XLSX: &str = "这不是 Excel 文件（.xlsx），请用下载的模板填写后上传";

fn mb(bytes: u64) -> u64 {
    bytes / (1024 * 1024)
}

/// Refuses what must not reach calamine: too big, not a zip, a zip bomb.
pub(crate) fn check(bytes: &[u8], limits: &UploadLimits) -> Result<(), CellError> {
    if bytes.len() > limits.max_bytes {
        return Err(CellError::file(format!(
            "文件太大（{} MB），上传的填报表不能超过 {} MB；请用下载的模板填写，不要粘贴图片或附件",
            mb(bytes.len() as u64),
            mb(limits.max_bytes as u64)
        )));
    }
    if !bytes.starts_with(b"PK\x03\x04") {
        let hint = if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
            "这是旧版 Excel 文件（.xls），请用下载的模板（.xlsx）填写后上传"
        } else {
            NOT_XLSX
        };
        return Err(CellError::file(hint));
    }
    let broken = |_| CellError::file(format!("文件已损坏，无法打开；{NOT_XLSX}"));
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(broken)?;
    if archive.len() > limits.max_entries {
        return Err(CellError::file(format!(
            "文件内部结构异常（{} 个部件），{NOT_XLSX}",
            archive.len()
        )));
    }
    let too_big = || {
        CellError::file(format!(
            "文件解压后过大（超过 {} MB），可能是恶意文件，已拒绝；请用下载的模板填写后上传",
            mb(limits.max_uncompressed)
        ))
    };
    // Declared sizes first: cheap, and refuses an honest bomb without inflating it.
    let mut declared: u64 = 0;
    for i in 0..archive.len() {
        let entry = archive.by_index_raw(i).map_err(broken)?;
        let size = entry.size();
        declared = declared.saturating_add(size);
        if declared > limits.max_uncompressed {
            return Err(too_big());
        }
        if size > limits.ratio_applies_above
            && size / entry.compressed_size().max(1) > limits.max_ratio
        {
            return Err(CellError::file(format!(
                "文件中“{}”的压缩比异常（超过 {} 倍），可能是恶意文件，已拒绝；请用下载的模板填写后上传",
                entry.name(),
                limits.max_ratio
            )));
        }
    }
    // Then inflate with a cap: declared sizes can lie.
    let mut inflated: u64 = 0;
    let mut buf = vec![0u8; 64 * 1024];
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).map_err(broken)?;
        loop {
            let n = entry
                .read(&mut buf)
                .map_err(|_| CellError::file(format!("文件已损坏，无法解压；{NOT_XLSX}")))?;
            if n == 0 {
                break;
            }
            inflated += n as u64;
            if inflated > limits.max_uncompressed {
                return Err(too_big());
            }
        }
    }
    Ok(())
}
