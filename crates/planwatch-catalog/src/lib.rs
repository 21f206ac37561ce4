//! The monitoring catalog: one definition per indicator of the women's and children's
//! development plans, as national monitoring uses them, and the mapping of a plan's
//! targets onto it.
//!
//! The catalog is data, not code: `catalog/indicators.toml` at the repository top, one
//! `[[indicator]]` table per indicator, reviewed like any other change. This crate embeds
//! it ([`Catalog::shipped`]) and checks it when it loads: a duplicate code or name/alias
//! (after [`mapping::normalize`]), an unknown unit, kind, domain, department or
//! disaggregation, or a missing field fails with a Chinese message that names the entry.
//!
//! Invariants:
//! - a code is never reused: an indicator that is no longer monitored is marked
//!   `retired = true` and stays in the file;
//! - no two entries share a normalised name or alias, so a name resolves to one code;
//! - pure: no I/O; loading never panics on input.

pub mod baseline;
pub mod departments;
pub mod mapping;
pub mod outlines;
pub mod propose;

use planwatch_core::PlanKind;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::fmt;

/// The shipped catalog file, embedded at compile time.
pub const SHIPPED_TOML: &str = include_str!("../../../catalog/indicators.toml");

/// The units an indicator may be measured in (closed list; extend it here and in the
/// catalog's header together).
pub const UNITS: &[&str] = &[
    "%",
    "‰",
    "1/万",
    "1/10万",
    "百分点",
    "比",
    "女=100",
    "岁",
    "年",
    "天",
    "小时",
    "分钟",
    "个",
    "所",
    "家",
    "处",
    "张",
    "名",
    "人",
    "万人",
    "人次",
    "户",
    "项",
    "件",
    "平方米",
    "元",
];

/// Domains of the national women's outline (中国妇女发展纲要（2021—2030年）).
pub const WOMEN_DOMAINS: &[&str] = &[
    "健康",
    "教育",
    "经济",
    "参与决策和管理",
    "社会保障",
    "家庭建设",
    "环境",
    "法律",
];

/// Domains of the national children's outline (中国儿童发展纲要（2021—2030年）).
pub const CHILDREN_DOMAINS: &[&str] = &["健康", "安全", "教育", "福利", "家庭", "环境", "法律保护"];

/// The kinds of department that report indicators (成员单位).
pub const DEPARTMENTS: &[&str] = &[
    "卫健委",
    "教育局",
    "民政局",
    "公安局",
    "法院",
    "检察院",
    "人社局",
    "统计局",
    "妇联",
    "医保局",
    "体育局",
    "司法局",
    "总工会",
    "组织部",
    "宣传部",
    "统战部",
    "人大",
    "政协",
    "残联",
    "市场监管局",
    "药监局",
    "生态环境局",
    "水利局",
    "住建局",
    "城管局",
    "农业农村局",
    "应急管理局",
    "国资委",
    "团委",
    "科协",
    "文旅局",
    "发改委",
    "工信局",
    "通信管理局",
    "交通运输局",
    "乡村振兴局",
    "疾控中心",
];

/// Breakdowns an indicator can be reported by.
pub const DISAGGREGATIONS: &[&str] = &["sex", "urban_rural", "age_group"];

/// Code prefix per kind and domain: `W-HEA-01`.
fn domain_code(kind: PlanKind, domain: &str) -> Option<&'static str> {
    let code = match (kind, domain) {
        (PlanKind::Women, "健康") => "HEA",
        (PlanKind::Women, "教育") => "EDU",
        (PlanKind::Women, "经济") => "ECO",
        (PlanKind::Women, "参与决策和管理") => "DEC",
        (PlanKind::Women, "社会保障") => "SOC",
        (PlanKind::Women, "家庭建设") => "FAM",
        (PlanKind::Women, "环境") => "ENV",
        (PlanKind::Women, "法律") => "LAW",
        (PlanKind::Children, "健康") => "HEA",
        (PlanKind::Children, "安全") => "SAF",
        (PlanKind::Children, "教育") => "EDU",
        (PlanKind::Children, "福利") => "WEL",
        (PlanKind::Children, "家庭") => "FAM",
        (PlanKind::Children, "环境") => "ENV",
        (PlanKind::Children, "法律保护") => "LAW",
        _ => return None,
    };
    Some(code)
}

/// The better direction of an indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Better {
    Up,
    Down,
    Keep,
}

impl Better {
    pub fn as_str(self) -> &'static str {
        match self {
            Better::Up => "up",
            Better::Down => "down",
            Better::Keep => "keep",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Better::Up => "越高越好",
            Better::Down => "越低越好",
            Better::Keep => "保持在合理区间",
        }
    }
}

/// One indicator of the catalog.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Indicator {
    /// Stable code, e.g. `W-HEA-03`; never reused.
    pub code: String,
    /// Chinese name as national monitoring writes it.
    pub name: String,
    pub aliases: Vec<String>,
    pub kind: PlanKind,
    /// Short domain name within the kind: 健康, 参与决策和管理 …
    pub domain: String,
    /// Other plans' domains that also set targets on it, full names: 儿童与环境.
    pub also_in: Vec<String>,
    pub unit: String,
    pub direction: Better,
    pub definition: String,
    /// For rates and shares: what is counted above the line …
    pub numerator: Option<String>,
    /// … and below it.
    pub denominator: Option<String>,
    /// For other indicators (counts, years, ratios of means): how the value is obtained.
    pub method: Option<String>,
    pub disaggregations: Vec<String>,
    pub departments: Vec<String>,
    pub source: String,
    pub note: Option<String>,
    /// The highest value that is possible when it lies above the unit's usual bound (a
    /// gross enrolment rate counts pupils of any age over the age group: above 100%).
    pub max: Option<f64>,
    pub retired: bool,
}

impl Indicator {
    /// The full domain name as plans write it: 妇女与健康, 儿童与法律保护.
    pub fn domain_label(&self) -> String {
        domain_label(self.kind, &self.domain)
    }

    /// The calculation method in words, e.g.
    /// `一年内未满周岁婴儿死亡数 ÷ 当年活产数 × 1000‰`.
    pub fn calculation(&self) -> String {
        match (&self.numerator, &self.denominator) {
            (Some(num), Some(den)) => {
                let scale = match self.unit.as_str() {
                    "%" => " × 100%",
                    "‰" => " × 1000‰",
                    "1/万" => " × 10000（1/万）",
                    "1/10万" => " × 100000（1/10万）",
                    "女=100" => " × 100",
                    _ => "",
                };
                let mut s = format!("{num} ÷ {den}{scale}");
                if let Some(method) = &self.method {
                    s.push('；');
                    s.push_str(method);
                }
                s
            }
            _ => self.method.clone().unwrap_or_default(),
        }
    }

    /// Whether a plan of `kind` sets targets on this indicator.
    pub fn serves(&self, kind: PlanKind) -> bool {
        self.kind == kind || self.also_in.iter().any(|d| kind_of_label(d) == Some(kind))
    }
}

/// 妇女与健康 from (women, 健康).
pub fn domain_label(kind: PlanKind, domain: &str) -> String {
    match kind {
        PlanKind::Women => format!("妇女与{domain}"),
        PlanKind::Children => format!("儿童与{domain}"),
    }
}

/// The kind and short domain of a full domain label (妇女与健康 → women, 健康).
pub fn parse_domain_label(label: &str) -> Option<(PlanKind, &str)> {
    if let Some(rest) = label.strip_prefix("妇女与") {
        WOMEN_DOMAINS
            .iter()
            .find(|d| **d == rest)
            .map(|d| (PlanKind::Women, *d))
    } else if let Some(rest) = label.strip_prefix("儿童与") {
        CHILDREN_DOMAINS
            .iter()
            .find(|d| **d == rest)
            .map(|d| (PlanKind::Children, *d))
    } else {
        None
    }
}

fn kind_of_label(label: &str) -> Option<PlanKind> {
    parse_domain_label(label).map(|(k, _)| k)
}

/// Why a catalog did not load. Messages are Chinese and name the entry.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum CatalogError {
    #[error("指标目录不是有效的 TOML：{0}")]
    Syntax(String),
    /// One or more entries are wrong; every problem found is listed.
    #[error("指标目录有 {} 处错误：\n{}", .0.len(), .0.join("\n"))]
    Invalid(Vec<String>),
}

/// The raw form of an entry: every field optional so that a missing one can be reported
/// with the entry's code and name rather than a bare serde message.
#[derive(Deserialize)]
struct RawIndicator {
    code: Option<String>,
    name: Option<String>,
    aliases: Option<Vec<String>>,
    kind: Option<String>,
    domain: Option<String>,
    also_in: Option<Vec<String>>,
    unit: Option<String>,
    direction: Option<String>,
    definition: Option<String>,
    numerator: Option<String>,
    denominator: Option<String>,
    method: Option<String>,
    disaggregations: Option<Vec<String>>,
    departments: Option<Vec<String>>,
    source: Option<String>,
    note: Option<String>,
    max: Option<f64>,
    retired: Option<bool>,
    #[serde(flatten)]
    unknown: BTreeMap<String, toml::Value>,
}

#[derive(Deserialize)]
struct RawCatalog {
    #[serde(default)]
    indicator: Vec<RawIndicator>,
    #[serde(flatten)]
    unknown: BTreeMap<String, toml::Value>,
}

/// The loaded, checked catalog.
#[derive(Debug, Clone)]
pub struct Catalog {
    indicators: Vec<Indicator>,
    by_code: HashMap<String, usize>,
    /// Normalised name or alias → index into `indicators`.
    by_key: HashMap<String, usize>,
    /// Every normalised key with its distinguishing features and bigrams, for the fuzzy
    /// step (computed once at load).
    fuzzy_index: Vec<mapping::IndexedKey>,
}

impl Catalog {
    /// The catalog shipped with planwatch.
    pub fn shipped() -> Result<Catalog, CatalogError> {
        Catalog::parse(SHIPPED_TOML)
    }

    /// Parses and checks a catalog in the `indicators.toml` format.
    pub fn parse(text: &str) -> Result<Catalog, CatalogError> {
        let raw: RawCatalog =
            toml::from_str(text).map_err(|e| CatalogError::Syntax(e.to_string()))?;
        let mut errors = Vec::new();
        for key in raw.unknown.keys() {
            errors.push(format!(
                "未知的顶层表 `{key}`：指标条目应写作 [[indicator]]"
            ));
        }
        let mut indicators = Vec::new();
        for (i, r) in raw.indicator.into_iter().enumerate() {
            if let Some(ind) = check_entry(i + 1, r, &mut errors) {
                indicators.push(ind);
            }
        }
        let mut by_code = HashMap::new();
        let mut by_key: HashMap<String, usize> = HashMap::new();
        for (i, ind) in indicators.iter().enumerate() {
            if let Some(&j) = by_code.get(&ind.code) {
                let other: &Indicator = &indicators[j];
                errors.push(format!(
                    "指标 {}（{}）：编码与“{}”重复；编码不得重复或复用",
                    ind.code, ind.name, other.name
                ));
                continue;
            }
            by_code.insert(ind.code.clone(), i);
            for text in std::iter::once(&ind.name).chain(ind.aliases.iter()) {
                let key = mapping::normalize(text);
                if key.is_empty() {
                    errors.push(format!(
                        "指标 {}（{}）：名称或别名“{text}”规范化后为空",
                        ind.code, ind.name
                    ));
                    continue;
                }
                match by_key.get(&key) {
                    Some(&j) if j == i => {
                        errors.push(format!(
                            "指标 {}（{}）：别名“{text}”与本条目的名称或其他别名规范化后相同，请删去",
                            ind.code, ind.name
                        ));
                    }
                    Some(&j) => {
                        let other = &indicators[j];
                        errors.push(format!(
                            "指标 {}（{}）：名称或别名“{text}”与指标 {}（{}）重复（规范化后均为“{key}”）",
                            ind.code, ind.name, other.code, other.name
                        ));
                    }
                    None => {
                        by_key.insert(key, i);
                    }
                }
            }
        }
        if !errors.is_empty() {
            return Err(CatalogError::Invalid(errors));
        }
        let mut fuzzy_index: Vec<mapping::IndexedKey> = by_key
            .iter()
            .map(|(k, &i)| mapping::IndexedKey::new(k, i))
            .collect();
        fuzzy_index.sort_by(|a, b| a.key.cmp(&b.key));
        Ok(Catalog {
            indicators,
            by_code,
            by_key,
            fuzzy_index,
        })
    }

    /// All entries, in file order (retired ones included).
    pub fn indicators(&self) -> &[Indicator] {
        &self.indicators
    }

    pub fn len(&self) -> usize {
        self.indicators.len()
    }

    pub fn is_empty(&self) -> bool {
        self.indicators.is_empty()
    }

    pub fn get(&self, code: &str) -> Option<&Indicator> {
        self.by_code
            .get(code.trim().to_ascii_uppercase().as_str())
            .map(|&i| &self.indicators[i])
    }

    /// The entry named `name` (its name or an alias, compared as
    /// [`mapping::normalize`] folds them); never a fuzzy match.
    pub fn by_name(&self, name: &str) -> Option<&Indicator> {
        self.by_normalized(&mapping::normalize(name))
    }

    /// The entry whose normalised name or alias is `key` (already normalised).
    pub(crate) fn by_normalized(&self, key: &str) -> Option<&Indicator> {
        self.by_key.get(key).map(|&i| &self.indicators[i])
    }

    /// Every indexed key with its entry, for fuzzy matching.
    pub(crate) fn indexed(&self) -> impl Iterator<Item = (&mapping::IndexedKey, &Indicator)> {
        self.fuzzy_index
            .iter()
            .map(|k| (k, &self.indicators[k.entry]))
    }

    /// Every (normalised key, entry) pair.
    pub(crate) fn keys(&self) -> impl Iterator<Item = (&str, &Indicator)> {
        self.by_key
            .iter()
            .map(|(k, &i)| (k.as_str(), &self.indicators[i]))
    }
}

impl fmt::Display for Indicator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}（{}）", self.code, self.name)
    }
}

/// A unit must be one the evaluation knows; the error names the entry and lists them.
pub(crate) fn check_unit(who: &str, unit: &str, errors: &mut Vec<String>) {
    if !UNITS.contains(&unit) {
        errors.push(format!(
            "{who}：未知单位“{unit}”，可用单位：{}",
            UNITS.join(" ")
        ));
    }
}

fn nonempty(v: Option<String>) -> Option<String> {
    v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

/// Checks one raw entry; pushes every problem to `errors`, returns the entry when it has
/// no problem.
fn check_entry(pos: usize, r: RawIndicator, errors: &mut Vec<String>) -> Option<Indicator> {
    let code = nonempty(r.code);
    let name = nonempty(r.name);
    let who = match (&code, &name) {
        (Some(c), Some(n)) => format!("指标 {c}（{n}）"),
        (Some(c), None) => format!("指标 {c}（无名称）"),
        (None, Some(n)) => format!("第 {pos} 个指标（{n}，无编码）"),
        (None, None) => format!("第 {pos} 个指标（无编码、无名称）"),
    };
    let before = errors.len();
    let missing = |field: &str, errors: &mut Vec<String>| {
        errors.push(format!("{who}：缺少字段 `{field}`"));
    };
    if code.is_none() {
        missing("code", errors);
    }
    if name.is_none() {
        missing("name", errors);
    }
    for key in r.unknown.keys() {
        errors.push(format!("{who}：未知字段 `{key}`（拼写错误？）"));
    }

    let kind = match nonempty(r.kind) {
        None => {
            missing("kind", errors);
            None
        }
        Some(k) => match PlanKind::parse(&k) {
            Some(k) => Some(k),
            None => {
                errors.push(format!(
                    "{who}：未知的规划类别“{k}”，应为 women 或 children"
                ));
                None
            }
        },
    };
    let domain = match nonempty(r.domain) {
        None => {
            missing("domain", errors);
            None
        }
        Some(d) => {
            if let Some(kind) = kind {
                let list = match kind {
                    PlanKind::Women => WOMEN_DOMAINS,
                    PlanKind::Children => CHILDREN_DOMAINS,
                };
                if !list.contains(&d.as_str()) {
                    errors.push(format!(
                        "{who}：未知的发展领域“{d}”，{}的领域为：{}",
                        kind.label_zh(),
                        list.join("、")
                    ));
                }
            }
            Some(d)
        }
    };
    if let (Some(code), Some(kind), Some(domain)) = (&code, kind, &domain)
        && let Some(dc) = domain_code(kind, domain)
    {
        let prefix = format!(
            "{}-{dc}-",
            match kind {
                PlanKind::Women => "W",
                PlanKind::Children => "C",
            }
        );
        let digits = code.strip_prefix(&prefix);
        if !digits.is_some_and(|d| d.len() == 2 && d.bytes().all(|b| b.is_ascii_digit())) {
            errors.push(format!(
                "{who}：编码应为“{prefix}”加两位数字（按规划类别和领域），例如 {prefix}01"
            ));
        }
    }
    let also_in = r.also_in.unwrap_or_default();
    for d in &also_in {
        if parse_domain_label(d).is_none() {
            errors.push(format!(
                "{who}：also_in 中的领域“{d}”无法识别，应写全称，如“妇女与环境”“儿童与健康”"
            ));
        }
    }
    let unit = match nonempty(r.unit) {
        None => {
            missing("unit", errors);
            None
        }
        Some(u) => {
            check_unit(&who, &u, errors);
            Some(u)
        }
    };
    let direction = match nonempty(r.direction) {
        None => {
            missing("direction", errors);
            None
        }
        Some(d) => match d.as_str() {
            "up" => Some(Better::Up),
            "down" => Some(Better::Down),
            "keep" => Some(Better::Keep),
            _ => {
                errors.push(format!("{who}：未知方向“{d}”，应为 up、down 或 keep"));
                None
            }
        },
    };
    let definition = nonempty(r.definition);
    if definition.is_none() {
        missing("definition", errors);
    }
    let numerator = nonempty(r.numerator);
    let denominator = nonempty(r.denominator);
    let method = nonempty(r.method);
    let is_rate = unit
        .as_deref()
        .is_some_and(|u| matches!(u, "%" | "‰" | "1/万" | "1/10万" | "女=100"));
    match (&numerator, &denominator) {
        (Some(_), None) => missing("denominator", errors),
        (None, Some(_)) => missing("numerator", errors),
        (None, None) if is_rate && method.is_none() => {
            errors.push(format!(
                "{who}：比率类指标须写明计算方法：分子 numerator 和分母 denominator"
            ));
        }
        (None, None) if method.is_none() => missing("method", errors),
        _ => {}
    }
    let disaggregations = r.disaggregations.unwrap_or_default();
    for d in &disaggregations {
        if !DISAGGREGATIONS.contains(&d.as_str()) {
            errors.push(format!(
                "{who}：未知的分组统计口径“{d}”，可用：{}",
                DISAGGREGATIONS.join("、")
            ));
        }
    }
    let departments = r.departments.unwrap_or_default();
    if departments.is_empty() {
        missing("departments", errors);
    }
    for d in &departments {
        if !DEPARTMENTS.contains(&d.as_str()) {
            errors.push(format!(
                "{who}：未知的报送部门“{d}”，可用：{}",
                DEPARTMENTS.join("、")
            ));
        }
    }
    let source = nonempty(r.source);
    if source.is_none() {
        missing("source", errors);
    }
    let aliases: Vec<String> = r
        .aliases
        .unwrap_or_default()
        .into_iter()
        .map(|a| a.trim().to_string())
        .collect();
    if aliases.iter().any(String::is_empty) {
        errors.push(format!("{who}：别名不能为空字符串"));
    }

    if errors.len() > before {
        return None;
    }
    Some(Indicator {
        code: code?,
        name: name?,
        aliases,
        kind: kind?,
        domain: domain?,
        also_in,
        unit: unit?,
        direction: direction?,
        definition: definition?,
        numerator,
        denominator,
        method,
        disaggregations,
        departments,
        source: source?,
        note: nonempty(r.note),
        max: r.max.filter(|m| m.is_finite() && *m > 0.0),
        retired: r.retired.unwrap_or(false),
    })
}
