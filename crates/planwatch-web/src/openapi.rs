//! The OpenAPI document of the JSON API, `GET /api/openapi.json`.
//!
//! It is built once, from the `#[utoipa::path]` annotations on the handlers and the
//! `ToSchema` derives on the types they take and give, so it cannot drift from them; the
//! integration test `openapi` checks every `/api/` route of [`crate::app`] is in it.
//!
//! The dashboard and overview answers are built with `json!` (their shape is the CLI's
//! `--format json` too): the types here describe them for the document only, and the test
//! compares them with real answers.

#![allow(dead_code)] // The description types below are never built: they are only shown.

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use std::sync::LazyLock;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{IntoParams, Modify, OpenApi, ToSchema};

/// The security scheme of an API token (`Authorization: Bearer pwt_…`).
pub const BEARER: &str = "bearer_token";
/// The security scheme of a browser session (the `planwatch_session` cookie).
pub const SESSION: &str = "session_cookie";
/// The anti-forgery header a session's writes carry besides the cookie.
pub const CSRF: &str = "csrf_header";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "planwatch 妇女儿童发展规划监测评估系统 数据接口",
        description = "planwatch 的 JSON 数据接口：查询和维护地区的指标体系，读取监测看板与总览。\n\n\
## 身份验证\n\n\
所有接口都须先验证身份，未登录时返回 401。有两种方式：\n\n\
1. **接口令牌**（供程序、脚本调用）：在请求头中带上 `Authorization: Bearer pwt_…`。\
令牌在网页“我的账号 → 接口令牌”中新建，或由管理员在服务器上运行 `planwatch token create` 生成；\
令牌只在创建时显示一次，请妥善保存。只读令牌（read）只能调用 GET 接口，读写令牌（write）还可以新增和修改。\n\
2. **浏览器会话**：登录网页后浏览器带有 Cookie `planwatch_session`；用会话进行修改（POST、PATCH）时，\
还须在请求头 `X-CSRF-Token` 中带上页面给出的防伪令牌。\n\n\
能看到和修改哪些地区，取决于账号的权限；无权访问时返回 403。\n\n\
## 错误\n\n\
出错时返回 `{\"error\": \"中文说明\"}`：400 请求有误，401 未登录或令牌无效，403 无权访问或防伪令牌不符，\
404 地区或目标不存在，409 修改冲突（会使已报送的数据失去对应目标，或目标已被他人修改），\
415 请求内容不是 JSON，429 操作过于频繁，503 数据库正忙（见 `Retry-After`，稍后重试）。",
    ),
    paths(
        crate::api::list,
        crate::api::add,
        crate::api::one,
        crate::api::patch,
        crate::api::history,
        crate::above::api,
        crate::dashboard::api,
        crate::overview::region_api,
        crate::overview::national_api,
        crate::rounds::api::due,
        crate::rounds::api::region_rounds,
        crate::rounds::api::open_round,
        crate::rounds::api::round,
        crate::rounds::api::unit_form_get,
        crate::rounds::api::save,
        crate::rounds::api::submit,
        crate::rounds::api::review,
        crate::reports::download::api,
        document,
    ),
    components(schemas(ErrorBody, Dashboard, Overview, ReportDoc)),
    modifiers(&Security, &ChineseFields),
    tags(
        (name = "指标体系", description = "地区指标体系中的目标：列出、新增、修改、查看历史版本"),
        (name = "监测看板", description = "一个地区的监测结果与概况"),
        (name = "总览", description = "各地区监测结果的比较"),
        (name = "年度填报", description = "年度监测数据的填报、报送与审核"),
        (name = "报告", description = "地区的监测与评估报告（与下载的 Word、Excel 内容相同）"),
        (name = "文档", description = "本接口文档"),
    ),
)]
struct ApiDoc;

/// Declares the security schemes the operations name.
struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            BEARER,
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("pwt_…")
                    .description(Some(
                        "接口令牌：请求头 `Authorization: Bearer pwt_…`。在“我的账号 → 接口令牌”中新建，\
                         或运行 `planwatch token create`。read 令牌只能读取，write 令牌还能修改。",
                    ))
                    .build(),
            ),
        );
        components.add_security_scheme(
            SESSION,
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                crate::auth::SESSION_COOKIE,
                "浏览器会话：登录网页后的 Cookie。用会话修改数据时还须带上请求头 X-CSRF-Token。",
            ))),
        );
        components.add_security_scheme(
            CSRF,
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "X-CSRF-Token",
                "防伪令牌：用浏览器会话修改数据（POST、PATCH）时必带，其值为页面中给出的令牌。",
            ))),
        );
    }
}

/// The Chinese descriptions of the fields of planwatch-store's types, whose doc comments
/// are English (written for developers). Every field must have one here: a field added to
/// the store without it makes building the document panic, which the test shows.
struct ChineseFields;

const STORE_FIELDS: &[(&str, &[(&str, &str)])] = &[
    (
        "SystemTarget",
        &[
            ("id", "目标编号"),
            ("region_id", "地区编号"),
            (
                "region_path",
                "地区的行政区划路径，如“广东省/河源市/连平县”",
            ),
            ("kind", "规划类别"),
            ("plan_id", "导入来源的规划编号（人工新增的目标为 null）"),
            ("plan_version", "导入来源的规划版本"),
            ("line", "目标在规划原文中的行号"),
            ("version", "目标的版本号：每次修改成为一个新版本"),
            ("action", "该版本所做的修改"),
            ("changed_at", "修改时间（UTC）"),
            ("changed_by", "修改人（账号）"),
            ("why", "修改原因"),
        ],
    ),
    (
        "TargetState",
        &[
            ("domain", "发展领域"),
            ("indicator", "指标名称（规划原文或填写人的写法）"),
            ("code", "指标目录编码（地方指标为 null）"),
            ("confidence", "自动映射的置信度（0–1；人工设定编码后为 1）"),
            ("mapping", "指标编码的来源"),
            ("comparator", "比较符"),
            ("value", "目标值"),
            ("unit", "单位"),
            ("year", "目标年份"),
            ("owner", "责任单位"),
            ("binding", "是否约束性指标"),
            ("text", "目标的表述"),
            ("retired", "是否已停用"),
            (
                "baseline_year",
                "基期年份（与 baseline_value 同时有或同时无）",
            ),
            ("baseline_value", "基期值"),
        ],
    ),
    (
        "Check",
        &[
            ("region", "本地区名称"),
            (
                "levels",
                "对照的上级，由近及远（数据库中有指标体系的上级地区，最后为国家纲要）",
            ),
            (
                "pairs",
                "目标对：低于上级目标的在前，其后为不一致、不低于上级目标、无法比较的",
            ),
            ("counts", "各种对照结果的目标对数"),
        ],
    ),
    (
        "Pair",
        &[
            ("lower", "本地区的目标"),
            ("upper", "上级的目标"),
            ("upper_name", "上级名称（地区名，或“国家纲要”）"),
            ("upper_region_id", "上级地区编号（国家纲要为 null）"),
            ("outcome", "对照结果"),
            ("sentence", "对照结果的中文说明"),
        ],
    ),
    (
        "Goal",
        &[
            ("id", "目标编号（国家纲要的目标为 null）"),
            ("key", "指标键：指标目录编码，或“local:指标名称”"),
            ("indicator", "指标名称（规划原文的写法）"),
            ("comparator", "比较符"),
            ("value", "目标值"),
            ("unit", "单位"),
            ("year", "目标年份"),
        ],
    ),
    (
        "Counts",
        &[
            ("weaker", "低于上级目标的目标对数"),
            (
                "weaker_targets",
                "低于至少一级上级目标的本地区目标数（一项目标可能同时低于市、省目标，计为一项）",
            ),
            ("differs", "与上级目标不一致的目标对数（均为“=”而数值不同）"),
            ("not_weaker", "不低于上级目标（相同或更高）的目标对数"),
            (
                "not_comparable",
                "无法比较的目标对数（目标年份不同、单位不同或方向相反）",
            ),
        ],
    ),
];

impl Modify for ChineseFields {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{RefOr, Schema};
        let schemas = &mut openapi
            .components
            .as_mut()
            .expect("the document has components")
            .schemas;
        for (name, fields) in STORE_FIELDS {
            let Some(RefOr::T(schema)) = schemas.get_mut(*name) else {
                panic!("the schema {name} is not in the document");
            };
            // `SystemTarget` flattens `TargetState`: its own fields are the object of its allOf.
            let object = match schema {
                Schema::Object(o) => o,
                Schema::AllOf(all) => all
                    .items
                    .iter_mut()
                    .find_map(|i| match i {
                        RefOr::T(Schema::Object(o)) => Some(o),
                        _ => None,
                    })
                    .unwrap_or_else(|| panic!("{name} has no fields of its own")),
                _ => panic!("{name} is not an object"),
            };
            for (field, _) in fields.iter() {
                assert!(
                    object.properties.contains_key(*field),
                    "{name}.{field} is described in openapi.rs but is no field"
                );
            }
            for (field, property) in object.properties.iter_mut() {
                let Some((_, zh)) = fields.iter().find(|(f, _)| f == field) else {
                    panic!("{name}.{field} has no Chinese description in openapi.rs");
                };
                match property {
                    RefOr::T(Schema::Object(o)) => o.description = Some(zh.to_string()),
                    RefOr::T(Schema::Array(a)) => a.description = Some(zh.to_string()),
                    RefOr::Ref(r) => r.description = zh.to_string(),
                    _ => panic!("{name}.{field}: an unexpected kind of schema"),
                }
            }
        }
    }
}

/// The document as JSON, built on first use.
pub static DOCUMENT: LazyLock<String> = LazyLock::new(|| {
    ApiDoc::openapi()
        .to_pretty_json()
        .expect("the OpenAPI document serialises")
});

/// `GET /api/openapi.json`.
#[utoipa::path(
    get,
    path = "/api/openapi.json",
    operation_id = "openapi_document",
    tag = "文档",
    summary = "本接口文档（OpenAPI 3.1）",
    responses(
        (status = 200, description = "OpenAPI 文档", content_type = "application/json", body = Object),
        (status = 401, description = "未登录，或接口令牌无效", body = ErrorBody),
    ),
    security(("bearer_token" = ["read"]), ("session_cookie" = [])),
)]
pub async fn document() -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, max-age=3600"),
            ),
        ],
        DOCUMENT.as_str(),
    )
        .into_response()
}

/// 出错时的回答。
#[derive(ToSchema)]
#[schema(example = json!({"error": "没有编号为 9 的地区"}))]
pub struct ErrorBody {
    /// 中文说明
    error: String,
}

/// 地区（编号、名称与行政区划路径）。
#[derive(ToSchema)]
pub struct RegionRef {
    id: i64,
    name: String,
    /// 行政区划路径，如“广东省/广州市”
    path: String,
    /// 是否为演示地区（系统生成，指标体系与数据均为演示）；仅看板给出
    generated: Option<bool>,
}

/// 一份报告：标题、概况、按阅读顺序排列的正文（标题、段落、列表、表格、图表），以及每个目标
/// 一行的数据（即开放数据的指标表）。
#[derive(ToSchema)]
pub struct ReportDoc {
    /// 报告类型：annual、midterm、final、units、upward
    kind: String,
    /// 报告标题
    title: String,
    /// 副标题（所依据的规划）
    subtitle: String,
    /// 发文单位
    issuer: String,
    /// 成文日期，如“2026年12月3日”
    issued_on: String,
    /// 地区：名称、路径、行政区划代码
    #[schema(value_type = Object)]
    region: Value,
    /// 报告年度
    year: i32,
    /// 是否含演示数据
    demo: bool,
    /// 开篇的统计数字（目标数、有数据的目标数、已达标数等）
    #[schema(value_type = Object)]
    headline: Value,
    /// 正文，按阅读顺序；每块有 type：heading、paragraph、list、table、chart
    #[schema(value_type = Vec<Object>)]
    blocks: Vec<Value>,
    /// 每个目标一行：指标、目标值、基期值、最新值、状态、进展、预警、说明
    #[schema(value_type = Vec<Object>)]
    rows: Vec<Value>,
    /// 下级地区的情况（向上级报告，以及有下级地区的地区）
    #[schema(value_type = Vec<Object>)]
    sub_regions: Vec<Value>,
}

/// 一个地区的监测看板：每个目标的监测结果，以及概况（与 `planwatch evaluate --format json`
/// 的输出相同，另加 `overview`）。
#[derive(ToSchema)]
pub struct Dashboard {
    region: RegionRef,
    /// 报告年度
    report_year: i32,
    /// 是否含演示数据
    demo: bool,
    /// 演示数据的提示语（无演示数据时为 null）
    demo_label: Option<String>,
    /// 一句话概况
    summary: String,
    /// 各状态、各类预警的目标数：`total`、`by_status`、`by_warning`、`warned`、`errors`
    #[schema(value_type = Object)]
    counts: Value,
    /// 每个目标一行
    rows: Vec<MonitoringRow>,
    overview: DashboardOverview,
}

/// 一个目标的监测结果。
#[derive(ToSchema)]
pub struct MonitoringRow {
    target_id: i64,
    /// 该目标对应的指标体系目标编号：两部规划设定了相同的目标（同一指标、年份、目标值）时只监测一次，此处列出两部规划的目标编号
    target_ids: Vec<i64>,
    kind: planwatch_core::PlanKind,
    /// 设定该目标的规划（一部或两部）
    kinds: Vec<planwatch_core::PlanKind>,
    /// 设定该目标的规划名称，如“妇女发展规划、儿童发展规划”
    plans_zh: String,
    /// 数值显示的小数位数（按报送数据的精度）
    decimals: u8,
    /// 发展领域
    domain: String,
    /// 指标名称
    indicator: String,
    /// 指标键：目录编码，或地方指标的 `local:名称`
    indicator_key: String,
    /// 指标目录编码（地方指标为 null）
    code: Option<String>,
    comparator: planwatch_core::Comparator,
    /// 目标的写法，如“98%以上（2030年）”
    goal_zh: String,
    target_value: f64,
    unit: String,
    target_year: i32,
    /// 是否约束性指标
    binding: Option<bool>,
    /// 责任单位
    owner: Option<String>,
    /// 状态（中文）
    status_zh: String,
    /// 评估结果：`status`、`latest_year`、`latest_value`、`baseline_year`、`baseline_value`、
    /// `expected`、`progress_ratio`、`slope`、`projected`、`points`、`warnings` 等（目标年份不晚于报告年度的目标不给序时进度和预测值）；数据有误时为 null
    #[schema(value_type = Option<Object>)]
    evaluation: Option<Value>,
    /// 数据有误时的说明
    error: Option<String>,
    /// 对结果的解释
    explanation: String,
    demo: bool,
    /// 历年报送的数据
    series: Vec<SeriesPoint>,
}

/// 一年的报送值。
#[derive(ToSchema)]
pub struct SeriesPoint {
    year: i32,
    value: f64,
    /// 数据来源
    source: String,
    demo: bool,
}

/// 看板的概况。
#[derive(ToSchema)]
pub struct DashboardOverview {
    /// 有预警的目标编号
    warned_target_ids: Vec<i64>,
    /// 各发展领域的状态统计
    #[schema(value_type = Vec<Object>)]
    by_domain: Vec<Value>,
    /// 各责任单位的状态统计
    #[schema(value_type = Vec<Object>)]
    by_unit: Vec<Value>,
    /// 中期评估（或其预估）
    mid_term: Milestone,
    /// 终期评估（或其预估）
    #[schema(rename = "final")]
    final_term: Milestone,
}

/// 中期或终期评估。
#[derive(ToSchema)]
pub struct Milestone {
    /// 如“中期评估（预估）”
    title_zh: String,
    /// 报告年度早于评估年度时为预估
    projected: bool,
    sentence_zh: String,
    year: i32,
    /// 到期的目标数
    due: usize,
    met: usize,
    not_met: usize,
    no_data: usize,
    /// 达标率（0–1），无到期目标时为 null
    rate: Option<f64>,
}

/// 各地区监测结果的总览（全国，或某地区及其下级）。
#[derive(ToSchema)]
pub struct Overview {
    /// 所看的地区（全国总览时为 null）
    root: Option<RegionRef>,
    /// 报告年度
    report_year: i32,
    demo: bool,
    demo_label: Option<String>,
    /// 地区总数（筛选前）
    regions_total: usize,
    /// 筛选、排序后的地区
    regions: Vec<OverviewRegion>,
    /// 各指标在各地区的分布
    indicators: Vec<OverviewIndicator>,
}

/// 总览中的一个地区。
#[derive(ToSchema)]
pub struct OverviewRegion {
    /// 名次（按所选排序）
    rank: usize,
    id: i64,
    name: String,
    path: String,
    /// 行政级别：province、city、county
    level: Option<String>,
    /// 目标数
    targets: usize,
    /// 各状态、各类预警的目标数：`total`、`warned`、`by_status`、`by_warning`
    #[schema(value_type = Object)]
    counts: Value,
    with_data: usize,
    achieved: usize,
    /// 达标率（0–1）
    rate: Option<f64>,
    indicators: usize,
    indicators_reported: usize,
    /// 本年报送率（0–1）
    reported_share: Option<f64>,
    errors: usize,
    demo: bool,
    /// 是否为演示地区（系统生成，指标体系与数据均为演示）
    generated: bool,
    /// 该地区看板页面的地址
    dashboard: String,
}

/// 总览中的一个指标。
#[derive(ToSchema)]
pub struct OverviewIndicator {
    key: String,
    name: String,
    unit: String,
    /// 有该指标的地区数
    regions: usize,
    #[schema(value_type = Object)]
    counts: Value,
    /// 各地区最新值的分布（五数概括），无数据时为 null
    #[schema(value_type = Option<Object>)]
    values: Option<Value>,
}

/// The query of the overview APIs (`overview::OverviewQuery` takes them as text, to answer
/// a bad value with a Chinese 400).
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OverviewParams {
    /// 报告年度；不给时取有数据的最近一年
    year: Option<i32>,
    /// 只看某一级地区：province（省级）、city（市级）、county（县级）
    level: Option<String>,
    /// 只看有该状态目标的地区：achieved、missed、on_track、needs_acceleration、off_track、
    /// regressing、no_trend、no_data
    status: Option<String>,
    /// 只看有该类预警的地区，如 W_PROJECTED_MISS、W_VOLATILE、W_BINDING_MISSED、W_MISSING
    warning: Option<String>,
    /// 排序：rate（达标率从高到低，默认）、warned（预警目标从多到少）、reported（本年报送率从低到高）、
    /// place（按行政区划）
    sort: Option<String>,
    /// 页码（仅网页分页；本接口总是回答全部符合条件的地区）
    page: Option<u32>,
}
