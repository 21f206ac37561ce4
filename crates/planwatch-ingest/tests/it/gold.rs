//! Extraction quality against a gold set read by hand from the four plans
//! (`tests/data/gold/*.txt`): precision, recall and F1 of the main targets (quantified),
//! the qualitative targets and both, per plan and overall. Shared with
//! `examples/extraction_score.rs`, which prints the table.
//!
//! Matching: the gold set lists what 主要目标 (or a 专栏 主要指标 table) asks for; the
//! reader's `section: main` output is compared with it. An extracted target matches a gold
//! one when the names agree after normalising (width, spaces, punctuation, 的), or one name
//! contains the other and is at least 60% of its length (so "适龄妇女宫颈癌人群筛查率" matches
//! "宫颈癌人群筛查率", but "死亡率" does not match "宫颈癌和乳腺癌死亡率"); then the comparator,
//! value (to 0.5%) and year must agree, or the direction for a qualitative target. Each gold
//! line matches at most one extracted target; `>= 100` and `= 100` are the same target. A qualitative target whose indicator has a
//! quantified gold target is neither right nor wrong (石柱's 主要目标 paragraphs restate
//! the table's indicators in words): it is left out of precision.

#![allow(dead_code)]

use planwatch_core::{Plan, PlanKind, Section};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone)]
pub struct Gold {
    pub line: u32,
    pub names: Vec<String>,
    pub what: GoldWhat,
}

#[derive(Debug, Clone, PartialEq)]
pub enum GoldWhat {
    Quantified {
        comparator: String,
        value: f64,
        year: i32,
    },
    Qualitative(String),
}

/// Counts for one kind of target: true positives, extracted, gold.
#[derive(Debug, Clone, Copy, Default)]
pub struct Counts {
    pub tp: usize,
    pub extracted: usize,
    pub gold: usize,
}

impl Counts {
    pub fn add(&mut self, o: Counts) {
        self.tp += o.tp;
        self.extracted += o.extracted;
        self.gold += o.gold;
    }
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.extracted)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.gold)
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

/// One plan's score, with what was missed and what was extra (for reading, not asserting).
#[derive(Debug, Default)]
pub struct Score {
    pub main: Counts,
    pub qualitative: Counts,
    pub missed: Vec<String>,
    pub extra: Vec<String>,
}

impl Score {
    pub fn all(&self) -> Counts {
        let mut c = self.main;
        c.add(self.qualitative);
        c
    }
}

pub fn gold_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/gold")
}

pub fn plans_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../assets/plans")
}

/// The four plan documents by their number: (prefix, file).
pub fn documents() -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    for prefix in ["000", "002", "003", "004"] {
        let file = std::fs::read_dir(plans_dir())
            .ok()
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .find(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with(prefix) && n.ends_with(".txt"))
            });
        if let Some(file) = file {
            out.push((prefix.to_string(), file));
        }
    }
    out
}

pub fn read_gold(path: &Path) -> Result<Vec<Gold>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let l = raw.trim();
        if l.is_empty() || l.starts_with('#') {
            continue;
        }
        let f: Vec<&str> = l.split_whitespace().collect();
        let bad = || format!("{}:{}: cannot read {l:?}", path.display(), i + 1);
        let line: u32 = f.first().and_then(|s| s.parse().ok()).ok_or_else(bad)?;
        let names: Vec<String> = f
            .get(1)
            .ok_or_else(bad)?
            .split('|')
            .map(str::to_string)
            .collect();
        let what = match f.len() {
            3 if ["up", "down", "keep"].contains(&f[2]) => GoldWhat::Qualitative(f[2].to_string()),
            5 => GoldWhat::Quantified {
                comparator: f[2].to_string(),
                value: f[3].parse().map_err(|_| bad())?,
                year: f[4].parse().map_err(|_| bad())?,
            },
            _ => return Err(bad()),
        };
        out.push(Gold { line, names, what });
    }
    Ok(out)
}

/// Width-folded, without spaces, punctuation, brackets and 的.
pub fn normalise(name: &str) -> String {
    planwatch_text::fold::fold(name)
        .chars()
        .filter(|c| {
            !c.is_whitespace()
                && !c.is_ascii_punctuation()
                && !"、，。；：“”‘’《》（）【】—·的".contains(*c)
        })
        .collect()
}

pub fn name_matches(gold: &[String], extracted: &str) -> bool {
    let e = normalise(extracted);
    if e.is_empty() {
        return false;
    }
    gold.iter().any(|g| {
        let g = normalise(g);
        if g == e {
            return true;
        }
        let (short, long) = if g.chars().count() <= e.chars().count() {
            (&g, &e)
        } else {
            (&e, &g)
        };
        long.contains(short.as_str()) && short.chars().count() * 10 >= long.chars().count() * 6
    })
}

/// "覆盖率达到100%" is `>=` by the contract's wording and `=` by its meaning (全覆盖): a
/// share cannot exceed 100, so the two are the same target.
fn comparator_matches(extracted: &str, gold: &str, value: f64) -> bool {
    extracted == gold
        || (value_matches(value, 100.0)
            && [extracted, gold].iter().all(|c| *c == ">=" || *c == "="))
}

fn value_matches(a: f64, b: f64) -> bool {
    (a - b).abs() <= (0.005 * b.abs()).max(0.006)
}

pub fn score_plan(plan: &Plan, gold: &[Gold]) -> Score {
    let mut s = Score::default();
    let targets: Vec<_> = plan
        .targets
        .iter()
        .filter(|t| t.section == Section::Main)
        .collect();
    let quals: Vec<_> = plan
        .qualitative
        .iter()
        .filter(|q| q.section == Section::Main)
        .collect();
    let mut t_used = vec![false; targets.len()];
    let mut q_used = vec![false; quals.len()];
    for g in gold {
        match &g.what {
            GoldWhat::Quantified {
                comparator,
                value,
                year,
            } => {
                s.main.gold += 1;
                let hit = targets.iter().enumerate().position(|(i, t)| {
                    !t_used[i]
                        && name_matches(&g.names, &t.indicator)
                        && comparator_matches(t.comparator.as_str(), comparator, *value)
                        && value_matches(t.value, *value)
                        && t.year == *year
                });
                match hit {
                    Some(i) => {
                        t_used[i] = true;
                        s.main.tp += 1;
                    }
                    None => s.missed.push(format!(
                        "{} {} {comparator} {value} {year}",
                        g.line, g.names[0]
                    )),
                }
            }
            GoldWhat::Qualitative(dir) => {
                s.qualitative.gold += 1;
                let hit = quals.iter().enumerate().position(|(i, q)| {
                    !q_used[i]
                        && name_matches(&g.names, &q.indicator)
                        && q.direction.as_str() == dir
                });
                match hit {
                    Some(i) => {
                        q_used[i] = true;
                        s.qualitative.tp += 1;
                    }
                    None => s.missed.push(format!("{} {} {dir}", g.line, g.names[0])),
                }
            }
        }
    }
    let quantified: Vec<&Gold> = gold
        .iter()
        .filter(|g| matches!(g.what, GoldWhat::Quantified { .. }))
        .collect();
    s.main.extracted = targets.len();
    for (i, t) in targets.iter().enumerate() {
        if !t_used[i] {
            s.extra.push(format!(
                "{} {} {} {} {}",
                t.line, t.indicator, t.comparator, t.value, t.year
            ));
        }
    }
    for (i, q) in quals.iter().enumerate() {
        if q_used[i] {
            s.qualitative.extracted += 1;
        } else if !quantified
            .iter()
            .any(|g| name_matches(&g.names, &q.indicator))
        {
            s.qualitative.extracted += 1;
            s.extra.push(format!(
                "{} {} {}",
                q.line,
                q.indicator,
                q.direction.as_str()
            ));
        }
    }
    s
}

/// Every plan of the four documents: ("000 women", score). Errors name the file.
pub fn score_all() -> Result<Vec<(String, Score)>, String> {
    let mut out = Vec::new();
    let docs = documents();
    if docs.len() != 4 {
        return Err(format!("expected four plans in {}", plans_dir().display()));
    }
    for (prefix, file) in docs {
        let (_, doc) = planwatch_ingest::parse_file(&file).map_err(|e| e.to_string())?;
        for kind in [PlanKind::Women, PlanKind::Children] {
            let k = if kind == PlanKind::Women {
                "women"
            } else {
                "children"
            };
            let gold = read_gold(&gold_dir().join(format!("{prefix}.{k}.txt")))?;
            let score = match doc.plans.iter().find(|p| p.kind == kind) {
                Some(p) => score_plan(p, &gold),
                None => score_plan(
                    &Plan {
                        kind,
                        title: String::new(),
                        period: [0, 0],
                        domains: vec![],
                        targets: vec![],
                        qualitative: vec![],
                        baselines: vec![],
                    },
                    &gold,
                ),
            };
            out.push((format!("{prefix} {k}"), score));
        }
    }
    Ok(out)
}

/// Floors of the F1 scores in `cargo test` (see the test below).
const FLOOR_MAIN: f64 = 0.97;
const FLOOR_QUAL: f64 = 0.97;
const FLOOR_ALL: f64 = 0.97;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gold_files_read_and_name_matching_is_strict_about_subjects() {
        for (prefix, _) in documents() {
            for k in ["women", "children"] {
                let g = read_gold(&gold_dir().join(format!("{prefix}.{k}.txt")));
                assert!(
                    g.as_ref().is_ok_and(|g| g.len() >= 30),
                    "{prefix} {k}: {g:?}"
                );
            }
        }
        let g = vec!["宫颈癌和乳腺癌死亡率".to_string()];
        assert!(!name_matches(&g, "死亡率"));
        assert!(name_matches(&g, "宫颈癌和乳腺癌死亡率"));
        let g = vec!["适龄妇女宫颈癌人群筛查率".to_string()];
        assert!(name_matches(&g, "宫颈癌人群筛查率"));
        assert!(!name_matches(&g, "乳腺癌人群筛查率"));
    }

    /// Floors under the measured figures (main 0.99, qualitative 0.99, all 0.99 when set; 0.98,
    /// 0.87 and 0.94 on the reader before), so a change that reads the four plans worse fails.
    #[test]
    fn extraction_scores_stay_above_their_floors() {
        let scores = match score_all() {
            Ok(s) => s,
            Err(e) => panic!("{e}"),
        };
        let (mut main, mut qual) = (Counts::default(), Counts::default());
        for (_, s) in &scores {
            main.add(s.main);
            qual.add(s.qualitative);
        }
        let mut all = main;
        all.add(qual);
        let report = format!(
            "main P {:.2} R {:.2} F1 {:.2}; qualitative P {:.2} R {:.2} F1 {:.2}; all F1 {:.2}",
            main.precision(),
            main.recall(),
            main.f1(),
            qual.precision(),
            qual.recall(),
            qual.f1(),
            all.f1()
        );
        assert!(main.f1() >= FLOOR_MAIN, "{report}");
        assert!(qual.f1() >= FLOOR_QUAL, "{report}");
        assert!(all.f1() >= FLOOR_ALL, "{report}");
    }
}
