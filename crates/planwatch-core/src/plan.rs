//! A plan document as the extraction contract (`shared/spec/extraction.md`) describes it.
//!
//! The serde form of these types *is* the contract's JSON: field names and enum spellings
//! must not change.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Administrative level of the issuing region.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Province,
    City,
    County,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Province => "province",
            Level::City => "city",
            Level::County => "county",
        }
    }

    pub fn parse(s: &str) -> Option<Level> {
        match s {
            "province" => Some(Level::Province),
            "city" => Some(Level::City),
            "county" => Some(Level::County),
            _ => None,
        }
    }

    /// The Chinese word a civil servant would use.
    pub fn label_zh(self) -> &'static str {
        match self {
            Level::Province => "省级",
            Level::City => "市级",
            Level::County => "县级",
        }
    }
}

/// Which of the two plans a region issues.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(
    feature = "openapi",
    derive(utoipa::ToSchema),
    schema(description = "规划类别：women（妇女发展规划）或 children（儿童发展规划）")
)]
#[serde(rename_all = "lowercase")]
pub enum PlanKind {
    Women,
    Children,
}

impl PlanKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PlanKind::Women => "women",
            PlanKind::Children => "children",
        }
    }

    pub fn parse(s: &str) -> Option<PlanKind> {
        match s {
            "women" => Some(PlanKind::Women),
            "children" => Some(PlanKind::Children),
            _ => None,
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            PlanKind::Women => "妇女发展规划",
            PlanKind::Children => "儿童发展规划",
        }
    }
}

/// How a value is compared with its target value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(
    feature = "openapi",
    derive(utoipa::ToSchema),
    schema(description = "比较符：>=、<=、>、<、=")
)]
pub enum Comparator {
    #[serde(rename = ">=")]
    Ge,
    #[serde(rename = "<=")]
    Le,
    #[serde(rename = ">")]
    Gt,
    #[serde(rename = "<")]
    Lt,
    #[serde(rename = "=")]
    Eq,
}

impl Comparator {
    pub fn as_str(self) -> &'static str {
        match self {
            Comparator::Ge => ">=",
            Comparator::Le => "<=",
            Comparator::Gt => ">",
            Comparator::Lt => "<",
            Comparator::Eq => "=",
        }
    }

    pub fn parse(s: &str) -> Option<Comparator> {
        match s.trim() {
            ">=" | "≥" => Some(Comparator::Ge),
            "<=" | "≤" => Some(Comparator::Le),
            ">" => Some(Comparator::Gt),
            "<" => Some(Comparator::Lt),
            "=" | "==" => Some(Comparator::Eq),
            _ => None,
        }
    }

    /// The sign as printed in Chinese tables (≥ ≤ > < =).
    pub fn symbol(self) -> &'static str {
        match self {
            Comparator::Ge => "≥",
            Comparator::Le => "≤",
            Comparator::Gt => ">",
            Comparator::Lt => "<",
            Comparator::Eq => "=",
        }
    }
}

impl fmt::Display for Comparator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where in the plan a target stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Section {
    /// 主要目标 or an indicator table (专栏 主要指标).
    Main,
    /// 策略措施 / 主要措施 / 重点任务 / 重点工程 / 实事项目.
    Measure,
}

impl Section {
    pub fn as_str(self) -> &'static str {
        match self {
            Section::Main => "main",
            Section::Measure => "measure",
        }
    }

    pub fn parse(s: &str) -> Option<Section> {
        match s {
            "main" => Some(Section::Main),
            "measure" => Some(Section::Measure),
            _ => None,
        }
    }
}

/// The direction of a target that names no number (逐步提高, 明显下降, 保持稳定).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Up,
    Down,
    Keep,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Up => "up",
            Direction::Down => "down",
            Direction::Keep => "keep",
        }
    }

    pub fn parse(s: &str) -> Option<Direction> {
        match s {
            "up" => Some(Direction::Up),
            "down" => Some(Direction::Down),
            "keep" => Some(Direction::Keep),
            _ => None,
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Direction::Up => "提高",
            Direction::Down => "降低",
            Direction::Keep => "保持",
        }
    }
}

/// A quantitative target: `indicator comparator value unit` by `year`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Target {
    /// 1-based line of the source (for .docx: paragraph number).
    pub line: u32,
    pub section: Section,
    pub domain: String,
    pub indicator: String,
    pub comparator: Comparator,
    pub value: f64,
    pub unit: String,
    pub year: i32,
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub binding: Option<bool>,
}

/// A target that names a direction but no number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QualitativeTarget {
    pub line: u32,
    pub section: Section,
    pub domain: String,
    pub indicator: String,
    pub direction: Direction,
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub binding: Option<bool>,
}

/// A value the document states for a past year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Baseline {
    pub line: u32,
    pub indicator: String,
    pub value: f64,
    pub unit: String,
    pub year: i32,
    pub text: String,
}

/// One plan (women's or children's) of a document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    pub kind: PlanKind,
    pub title: String,
    pub period: [i32; 2],
    pub domains: Vec<String>,
    pub targets: Vec<Target>,
    pub qualitative: Vec<QualitativeTarget>,
    pub baselines: Vec<Baseline>,
}

/// What one plan document says: the issuing region and its plans.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanDocument {
    pub region: String,
    pub level: Level,
    /// Enclosing regions from the top: ["广东省", "河源市"].
    pub parents: Vec<String>,
    pub plans: Vec<Plan>,
}

impl PlanDocument {
    /// The region's full name with its parents, e.g. "广东省/河源市/连平县": the key that
    /// keeps two counties of the same name apart.
    pub fn region_path(&self) -> String {
        let mut parts: Vec<&str> = self.parents.iter().map(String::as_str).collect();
        parts.push(&self.region);
        parts.join("/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn target_json_uses_the_contract_spelling() {
        let t = Target {
            line: 23,
            section: Section::Main,
            domain: "妇女与健康".into(),
            indicator: "孕产妇死亡率".into(),
            comparator: Comparator::Le,
            value: 12.0,
            unit: "1/10万".into(),
            year: 2030,
            text: "孕产妇死亡率稳定在12/10万以下".into(),
            owner: None,
            binding: Some(true),
        };
        let json = serde_json::to_value(&t).unwrap_or_default();
        assert_eq!(json["comparator"], "<=");
        assert_eq!(json["section"], "main");
        assert_eq!(json["value"], 12.0);
        assert!(json.get("owner").is_none());
        assert_eq!(json["binding"], true);
    }

    #[test]
    fn region_path_keeps_namesakes_apart() {
        let doc = PlanDocument {
            region: "城关区".into(),
            level: Level::County,
            parents: vec!["甘肃省".into(), "兰州市".into()],
            plans: vec![],
        };
        assert_eq!(doc.region_path(), "甘肃省/兰州市/城关区");
    }
}
