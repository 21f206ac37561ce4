//! Extraction: decoded lines to the plan's indicator system (`shared/spec/extraction.md`).
//!
//! Three passes over the document's lines:
//! 1. [`lines`]: clean conversion leftovers, fold widths (char for char), strip numbering;
//! 2. [`structure`]: find the plans (women / children), the region, the sections
//!    (发展基础 → baselines, 主要目标 → main, 策略措施/重点任务/… → measure) and domains;
//! 3. [`prose`] and [`indicator_table`]: the targets, qualitative targets and baselines of
//!    each line, by rules about Chinese plan language (numbers, units, comparator words,
//!    years: `planwatch-text`).

mod indicator_table;
mod lines;
mod prose;
mod reflow;
mod region;
pub mod render;
mod structure;

use crate::{IngestError, SourceText};
use planwatch_core::PlanDocument;

pub use lines::Line;

/// The lines the rules read, after page furniture is dropped and wrapped lines are joined:
/// (the source line each begins on, its text). For finding out why a copy reads differently.
pub fn logical_lines(source: &SourceText) -> Vec<(u32, String)> {
    lines::prepare_with_wraps(&source.lines, &source.wraps)
        .into_iter()
        .map(|l| (l.no, l.original.iter().collect()))
        .collect()
}

/// Extracts the region and its plans from a decoded document.
pub fn extract(source: &SourceText) -> Result<PlanDocument, IngestError> {
    let lines = lines::prepare_with_wraps(&source.lines, &source.wraps);
    let spans = structure::find_plans(&lines);
    if spans.is_empty() {
        return Err(IngestError::NotAPlan {
            file: source.name.clone(),
            reason:
                "文中没有“妇女发展规划/纲要”或“儿童发展规划/纲要”的标题，也没有“主要目标”等规划结构"
                    .into(),
        });
    }
    let region = region::find_region(&lines, &spans);
    let mut plans = Vec::new();
    for span in &spans {
        let plan = structure::extract_plan(&lines, span, &region.name);
        plans.push(plan);
    }
    let total: usize = plans
        .iter()
        .map(|p| p.targets.len() + p.qualitative.len())
        .sum();
    if total == 0 {
        return Err(IngestError::NotAPlan {
            file: source.name.clone(),
            reason: "找到了规划标题，但没有任何目标（主要目标、指标表）".into(),
        });
    }
    Ok(PlanDocument {
        region: region.name,
        level: region.level,
        parents: region.parents,
        plans,
    })
}
