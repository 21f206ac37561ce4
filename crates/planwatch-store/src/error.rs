use thiserror::Error;

/// Why the database could not do what was asked. Messages are Chinese: they reach the
/// person at the command line or the log of the office's server.
#[derive(Debug, Error)]
pub enum StoreError {
    #[error(
        "数据库地址无效：{url}（{reason}）。应为 sqlite://路径 或 postgres://用户@主机:端口/库名"
    )]
    BadUrl { url: String, reason: String },
    #[error("无法连接数据库 {url}：{reason}。请检查数据库服务是否已启动、地址是否正确")]
    Connect { url: String, reason: String },
    #[error("数据库版本较新（架构版本 {found}，本程序支持到 {supported}），请升级 planwatch")]
    SchemaTooNew { found: i64, supported: i64 },
    #[error("数据库迁移失败：{0}")]
    Migrate(String),
    #[error("数据库操作失败（{context}）：{reason}")]
    Query { context: String, reason: String },
    #[error("数据库正忙（{context}）：另一项写入（如导入）尚未完成，请稍后再试")]
    Busy { context: String },
    #[error("数据库中的数据无效（{0}）")]
    Corrupt(String),
    #[error("文档无法导入：{0}")]
    Invalid(String),
    #[error("未找到地区“{query}”。可用 `planwatch region list` 查看已导入的地区")]
    RegionNotFound { query: String },
    #[error("地区“{query}”不唯一，请用完整路径指明：{}", candidates.join("、"))]
    AmbiguousRegion {
        query: String,
        candidates: Vec<String>,
    },
    #[error("地区“{region}”没有已导入的规划")]
    NoPlans { region: String },
    #[error("地区“{region}”的规划没有第 {version} 版（最新为第 {latest} 版）")]
    NoSuchVersion {
        region: String,
        version: u32,
        latest: u32,
    },
    #[error("账号“{name}”已存在，请换一个登录名")]
    UserExists { name: String },
    #[error("修改未执行：{0}")]
    EditRefused(String),
    #[error("未找到目标 {id}。可用 `planwatch target list 地区` 查看该地区的目标及编号")]
    TargetNotFound { id: i64 },
    #[error(
        "不能{action}：地区“{region}”已报送指标“{key}”的 {count} 条监测数据，此修改会使这些数据失去对应的目标。\
         请先为该指标保留或新增一个目标，或先处理这些数据"
    )]
    WouldOrphan {
        action: String,
        region: String,
        key: String,
        count: i64,
    },
    #[error("备份文件 {path} 已存在，未覆盖。请换一个文件名，或加 --force 覆盖它")]
    BackupExists { path: String },
    #[error(
        "备份文件不能是数据库文件本身（{path}）。请把备份写到另一个位置，最好是另一块磁盘或U盘"
    )]
    BackupOverDatabase { path: String },
    #[error("备份文件 {path}：{reason}")]
    BackupFile { path: String, reason: String },
    #[error(
        "{path} 不是 planwatch 的备份文件（{reason}），未做任何修改。请给出用 `planwatch db backup` 生成的文件"
    )]
    NotABackup { path: String, reason: String },
    #[error(
        "备份文件 {path} 由较新版本的 planwatch 生成（架构版本 {found}，本程序支持到 {supported}），\
         未做任何修改。请先升级 planwatch 再恢复"
    )]
    BackupTooNew {
        path: String,
        found: i64,
        supported: i64,
    },
    #[error(
        "目标数据库 {target} 中已有数据（{regions} 个地区，共 {rows} 行），未做任何修改。\
         恢复会替换其中的全部数据：如确要替换，请先用 `planwatch db backup` 备份现有数据，再加 --replace 重新运行"
    )]
    TargetNotEmpty {
        target: String,
        regions: i64,
        rows: i64,
    },
    #[error(
        "目标 {id} 已被他人修改（当前为第 {found} 版，您修改的是第 {expected} 版），请重新读取后再改"
    )]
    Conflict { id: i64, expected: u32, found: u32 },
    #[error(
        "这张表已由 {by} 于 {at} 保存过，您看到的是较早的内容，所以这次修改没有保存（以免覆盖对方的填写）。请刷新后核对再保存"
    )]
    SubmissionChanged { by: String, at: String },
}

impl StoreError {
    /// A query error with what was being done.
    pub fn query(context: impl Into<String>, err: impl std::fmt::Display) -> StoreError {
        StoreError::Query {
            context: context.into(),
            reason: err.to_string(),
        }
    }
}
