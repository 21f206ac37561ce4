//! The national outlines' quantified main targets (`catalog/outlines.toml`): the level
//! above every province when a region's targets are held against the plans above it.
//!
//! Data, like the catalog: embedded at compile time ([`OUTLINES_TOML`]) and checked when
//! it loads — a missing field, an unknown outline, comparator or unit, a value that is
//! not finite, a code that is not in the catalog or whose unit is not the catalog's fails
//! with a Chinese message naming the entry.

use crate::{Catalog, CatalogError, check_unit};
use planwatch_core::evaluation::above::{Above, Goal};
use planwatch_core::{Comparator, PlanKind};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The shipped outlines file, embedded at compile time.
pub const OUTLINES_TOML: &str = include_str!("../../../catalog/outlines.toml");

/// What the pages and sentences call the outlines as a level above.
pub const LEVEL_NAME: &str = planwatch_core::evaluation::above::OUTLINES;

/// The title of the outline of `kind`.
pub fn title(kind: PlanKind) -> &'static str {
    match kind {
        PlanKind::Women => "中国妇女发展纲要（2021—2030年）",
        PlanKind::Children => "中国儿童发展纲要（2021—2030年）",
    }
}

/// One quantified main target of a national outline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutlineTarget {
    /// Which outline: women's or children's.
    pub outline: PlanKind,
    /// The catalog code; `None` when the catalog has no entry for it.
    pub code: Option<String>,
    /// The indicator as the outline writes it.
    pub indicator: String,
    pub comparator: Comparator,
    pub value: f64,
    pub unit: String,
    pub year: i32,
    /// The outline's sentence.
    pub text: String,
}

#[derive(Deserialize)]
struct RawTarget {
    outline: Option<String>,
    code: Option<String>,
    indicator: Option<String>,
    comparator: Option<String>,
    value: Option<f64>,
    unit: Option<String>,
    year: Option<i32>,
    text: Option<String>,
    #[serde(flatten)]
    unknown: BTreeMap<String, toml::Value>,
}

#[derive(Deserialize)]
struct RawOutlines {
    #[serde(default)]
    target: Vec<RawTarget>,
    #[serde(flatten)]
    unknown: BTreeMap<String, toml::Value>,
}

/// The shipped outlines, checked against `catalog`.
pub fn shipped(catalog: &Catalog) -> Result<Vec<OutlineTarget>, CatalogError> {
    parse(OUTLINES_TOML, catalog)
}

/// Parses and checks an outlines file in the `outlines.toml` format against `catalog`.
pub fn parse(text: &str, catalog: &Catalog) -> Result<Vec<OutlineTarget>, CatalogError> {
    let raw: RawOutlines =
        toml::from_str(text).map_err(|e| CatalogError::Syntax(format!("国家纲要目标文件：{e}")))?;
    let mut errors = Vec::new();
    for key in raw.unknown.keys() {
        errors.push(format!(
            "国家纲要目标文件：未知的顶层表 `{key}`，目标应写作 [[target]]"
        ));
    }
    let mut out = Vec::new();
    for (i, r) in raw.target.into_iter().enumerate() {
        if let Some(t) = check_entry(i + 1, r, catalog, &mut errors) {
            out.push(t);
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(CatalogError::Invalid(errors))
    }
}

fn check_entry(
    pos: usize,
    r: RawTarget,
    catalog: &Catalog,
    errors: &mut Vec<String>,
) -> Option<OutlineTarget> {
    let trimmed = |v: Option<String>| v.map(|s| s.trim().to_string());
    let indicator = trimmed(r.indicator).filter(|s| !s.is_empty());
    let who = match &indicator {
        Some(n) => format!("国家纲要第 {pos} 项目标（{n}）"),
        None => format!("国家纲要第 {pos} 项目标（无指标名称）"),
    };
    let before = errors.len();
    let missing = |field: &str, errors: &mut Vec<String>| {
        errors.push(format!("{who}：缺少字段 `{field}`"));
    };
    if indicator.is_none() {
        missing("indicator", errors);
    }
    for key in r.unknown.keys() {
        errors.push(format!("{who}：未知字段 `{key}`（拼写错误？）"));
    }
    let outline = match trimmed(r.outline) {
        None => {
            missing("outline", errors);
            None
        }
        Some(o) => {
            let kind = PlanKind::parse(&o);
            if kind.is_none() {
                errors.push(format!("{who}：未知的纲要“{o}”，应为 women 或 children"));
            }
            kind
        }
    };
    let comparator = match trimmed(r.comparator) {
        None => {
            missing("comparator", errors);
            None
        }
        Some(c) => {
            let parsed = Comparator::parse(&c);
            if parsed.is_none() {
                errors.push(format!("{who}：未知的比较符“{c}”，应为 >=、<=、>、<、="));
            }
            parsed
        }
    };
    let value = match r.value {
        None => {
            missing("value", errors);
            None
        }
        Some(v) if !v.is_finite() => {
            errors.push(format!("{who}：目标值必须是有限的数"));
            None
        }
        Some(v) => Some(v),
    };
    let unit = match trimmed(r.unit) {
        None => {
            missing("unit", errors);
            None
        }
        Some(u) => {
            check_unit(&who, &u, errors);
            Some(u)
        }
    };
    let year = match r.year {
        None => {
            missing("year", errors);
            None
        }
        Some(y) if !(2021..=2030).contains(&y) => {
            errors.push(format!("{who}：年份 {y} 不在纲要期 2021—2030 年内"));
            None
        }
        Some(y) => Some(y),
    };
    let text = trimmed(r.text).filter(|s| !s.is_empty());
    if text.is_none() {
        missing("text", errors);
    }
    // An empty code marks an outline indicator the catalog does not have yet.
    let code = match trimmed(r.code) {
        None => {
            missing("code", errors);
            None
        }
        Some(c) if c.is_empty() => None,
        Some(c) => match catalog.get(&c) {
            None => {
                errors.push(format!("{who}：指标目录中没有编码“{c}”"));
                None
            }
            Some(ind) => {
                if let Some(u) = &unit
                    && *u != ind.unit
                {
                    errors.push(format!(
                        "{who}：单位“{u}”与指标目录中 {}（{}）的单位“{}”不同",
                        ind.code, ind.name, ind.unit
                    ));
                }
                if let Some(kind) = outline
                    && !ind.serves(kind)
                {
                    errors.push(format!(
                        "{who}：指标 {}（{}）不属于{}的领域",
                        ind.code,
                        ind.name,
                        kind.label_zh()
                    ));
                }
                Some(ind.code.clone())
            }
        },
    };
    if errors.len() > before {
        return None;
    }
    Some(OutlineTarget {
        outline: outline?,
        code,
        indicator: indicator?,
        comparator: comparator?,
        value: value?,
        unit: unit?,
        year: year?,
        text: text?,
    })
}

/// The outlines as one level above every province, for
/// [`planwatch_core::evaluation::above::check`]. An entry without a catalog code is left
/// out: a region's target can only meet it under a code.
pub fn as_level(targets: &[OutlineTarget]) -> Above {
    Above {
        name: LEVEL_NAME.to_string(),
        region_id: None,
        goals: targets
            .iter()
            .filter_map(|t| {
                Some(Goal {
                    id: None,
                    key: t.code.clone()?,
                    indicator: t.indicator.clone(),
                    comparator: t.comparator,
                    value: t.value,
                    unit: t.unit.clone(),
                    year: t.year,
                })
            })
            .collect(),
    }
}
