use thiserror::Error;

/// Why a document could not be read. Messages are Chinese: they reach the civil servant
/// who chose the file. Every variant names the file.
#[derive(Debug, Error)]
pub enum IngestError {
    #[error("{file}: 无法读取文件：{reason}")]
    Io { file: String, reason: String },
    #[error("{file}: 文件为空")]
    Empty { file: String },
    #[error(
        "{file}: 文件过大（{:.1} MB，上限 {} MB）。规划文本通常不到 1 MB：若是含大量图片的 PDF 或 Word，请另存为不含图片的文件后重试",
        *size as f64 / 1_048_576.0,
        limit / 1_048_576
    )]
    TooLarge { file: String, size: u64, limit: u64 },
    #[error(
        "{file}: 不是文本文件（含二进制内容），请提供 .txt、.docx、.html 或 .pdf 格式的规划文本"
    )]
    Binary { file: String },
    #[error("{file}: 无法识别文字编码（既不是 UTF-8 也不是 GB18030/GBK）")]
    Undecodable { file: String },
    #[error("{file}: 不是有效的 .docx 文件：{reason}")]
    BadDocx { file: String, reason: String },
    #[error("{file}: 不是有效的 PDF 文件（{reason}），请确认文件完整，或另存为 PDF、Word 后重试")]
    BadPdf { file: String, reason: String },
    #[error(
        "{file}: PDF 文件已加密（需要密码），无法读取文字；请提供未加密的 PDF、Word 或文本文件"
    )]
    EncryptedPdf { file: String },
    #[error(
        "{file}: PDF 没有文字层（{pages} 页几乎都是图像，可能是扫描件），无法读取；请提供文字版 PDF 或 Word 文件，或先进行文字识别（OCR）"
    )]
    ScannedPdf { file: String, pages: usize },
    #[error(
        "{file}: 读取 PDF 超过 {seconds} 秒仍未完成，已停止；文件可能已损坏，请另存为 PDF 或 Word 后重试"
    )]
    PdfTimeout { file: String, seconds: u64 },
    #[error("{file}: 未找到妇女或儿童发展规划（纲要）：{reason}")]
    NotAPlan { file: String, reason: String },
}

impl IngestError {
    pub fn file(&self) -> &str {
        match self {
            IngestError::Io { file, .. }
            | IngestError::Empty { file }
            | IngestError::TooLarge { file, .. }
            | IngestError::Binary { file }
            | IngestError::Undecodable { file }
            | IngestError::BadDocx { file, .. }
            | IngestError::BadPdf { file, .. }
            | IngestError::EncryptedPdf { file }
            | IngestError::ScannedPdf { file, .. }
            | IngestError::PdfTimeout { file, .. }
            | IngestError::NotAPlan { file, .. } => file,
        }
    }
}
