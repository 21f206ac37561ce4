//! The `--format table` view: per plan and domain, a Chinese table a statistics officer can
//! check against the document.

use planwatch_core::PlanDocument;
use std::fmt::Write;

pub fn render(doc: &PlanDocument) -> String {
    let mut out = String::new();
    let parents = doc.parents.join(" / ");
    let _ = writeln!(
        out,
        "地区：{}（{}；上级：{}）",
        doc.region,
        doc.level.label_zh(),
        parents
    );
    for plan in &doc.plans {
        let _ = writeln!(
            out,
            "\n{}  {}—{}年",
            plan.title, plan.period[0], plan.period[1]
        );
        let _ = writeln!(
            out,
            "  量化目标 {} 项，定性目标 {} 项，基线 {} 项",
            plan.targets.len(),
            plan.qualitative.len(),
            plan.baselines.len()
        );
        for domain in &plan.domains {
            let targets: Vec<_> = plan
                .targets
                .iter()
                .filter(|t| &t.domain == domain)
                .collect();
            let qualitative: Vec<_> = plan
                .qualitative
                .iter()
                .filter(|t| &t.domain == domain)
                .collect();
            if targets.is_empty() && qualitative.is_empty() {
                continue;
            }
            let _ = writeln!(out, "\n  【{domain}】");
            let _ = writeln!(
                out,
                "  行号\t指标\t目标\t年份\t单位\t责任单位\t约束性\t部分"
            );
            for t in targets {
                let binding = match t.binding {
                    Some(true) => "约束性",
                    Some(false) => "预期性",
                    None => "",
                };
                let section = if t.section == planwatch_core::Section::Main {
                    "主要目标"
                } else {
                    "措施"
                };
                let _ = writeln!(
                    out,
                    "  {}\t{}\t{}{}\t{}\t{}\t{}\t{}\t{}",
                    t.line,
                    t.indicator,
                    t.comparator.symbol(),
                    format_value(t.value),
                    t.year,
                    t.unit,
                    t.owner.as_deref().unwrap_or(""),
                    binding,
                    section
                );
            }
            for q in qualitative {
                let _ = writeln!(
                    out,
                    "  {}\t{}\t{}（定性）\t\t\t{}\t\t",
                    q.line,
                    q.indicator,
                    q.direction.label_zh(),
                    q.owner.as_deref().unwrap_or("")
                );
            }
        }
        if !plan.baselines.is_empty() {
            let _ = writeln!(out, "\n  【基线】\n  行号\t指标\t数值\t单位\t年份");
            for b in &plan.baselines {
                let _ = writeln!(
                    out,
                    "  {}\t{}\t{}\t{}\t{}",
                    b.line,
                    b.indicator,
                    format_value(b.value),
                    b.unit,
                    b.year
                );
            }
        }
    }
    out
}

/// 12.0 → "12", 0.3333 → "0.3333": how a person writes the number.
pub fn format_value(v: f64) -> String {
    let s = format!("{v:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_string()
}
