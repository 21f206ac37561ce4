//! Helpers the adapter crates share: checking a document before it is written, and turning
//! stored columns back into domain values (a bad column is [`StoreError::Corrupt`], never a
//! panic).

use crate::StoreError;
use planwatch_core::{Comparator, Direction, Level, PlanDocument, PlanKind, Section};
use std::collections::HashSet;

pub use crate::model::plan_content_hash;

/// What a document must satisfy to be stored at all. Checked before the transaction
/// starts; what the schema itself refuses (a year out of range …) rolls the whole import
/// back.
pub fn validate(doc: &PlanDocument) -> Result<(), StoreError> {
    let names = doc.parents.iter().chain(std::iter::once(&doc.region));
    for name in names {
        if name.trim().is_empty() {
            return Err(StoreError::Invalid(format!(
                "地区名称为空（{}）",
                doc.region_path()
            )));
        }
        if name.contains('/') {
            return Err(StoreError::Invalid(format!("地区名称“{name}”含有“/”")));
        }
    }
    if doc.plans.is_empty() {
        return Err(StoreError::Invalid(format!(
            "{} 的文档中没有规划",
            doc.region_path()
        )));
    }
    let mut seen = HashSet::new();
    for plan in &doc.plans {
        if !seen.insert((plan.kind, plan.period)) {
            return Err(StoreError::Invalid(format!(
                "文档含两个同类型、同期限的规划：{}（{}—{}年）",
                plan.kind.label_zh(),
                plan.period[0],
                plan.period[1]
            )));
        }
    }
    Ok(())
}

fn corrupt(what: &str, value: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{what}：{value}"))
}

pub fn version_u32(v: i64) -> Result<u32, StoreError> {
    u32::try_from(v).map_err(|_| corrupt("版本号", v))
}

pub fn year(v: i64) -> Result<i32, StoreError> {
    i32::try_from(v).map_err(|_| corrupt("年份", v))
}

pub fn line(v: i64) -> Result<u32, StoreError> {
    u32::try_from(v).map_err(|_| corrupt("行号", v))
}

pub fn level(s: &str) -> Result<Level, StoreError> {
    Level::parse(s).ok_or_else(|| corrupt("地区级别", s))
}

pub fn kind(s: &str) -> Result<PlanKind, StoreError> {
    PlanKind::parse(s).ok_or_else(|| corrupt("规划类型", s))
}

pub fn section(s: &str) -> Result<Section, StoreError> {
    Section::parse(s).ok_or_else(|| corrupt("目标所在部分", s))
}

pub fn comparator(s: &str) -> Result<Comparator, StoreError> {
    Comparator::parse(s).ok_or_else(|| corrupt("比较符", s))
}

pub fn direction(s: &str) -> Result<Direction, StoreError> {
    Direction::parse(s).ok_or_else(|| corrupt("方向", s))
}
