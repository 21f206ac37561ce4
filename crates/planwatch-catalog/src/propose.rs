//! Proposals for a target the mapper could not place with certainty: the closest catalog
//! entries, each with a confidence and the reasons for it, for a person to accept or
//! refuse on the review list.
//!
//! A proposal is scored from what a clerk can check by reading the two names:
//! - the words they share after [`normalize`] (的, 人数比例/占比/比重, 少年儿童, unit
//!   brackets and region prefixes folded away) — the Dice coefficient of their character
//!   bigrams, over the entry's name and each alias and over the rewritings the mapper tries
//!   (a population word moved to the front, 女性占X的比例);
//! - the same domain (+0.05), the same unit (+0.05);
//! - penalties for a different measure word (死亡率 / 发生率: ×0.85), for a distinguishing
//!   word only one of the names has (农村 孕产妇死亡率 / 孕产妇死亡率: ×0.85), and for an
//!   entry of the other plan kind (×0.9).
//!
//! What is never proposed: an entry whose unit cannot hold the target's value (a count is
//! not a rate), and an entry that names a different member of a group of distinguishing
//! words than the target does (宫颈癌/乳腺癌, 城镇/农村, 新生儿/婴儿/5岁以下, 小学/初中/高中,
//! 村委会/居委会 …) or a different sex: those are different indicators however alike the
//! names look.

use crate::mapping::{self, GROUPS, Query, bigrams, dice, normalize, rewritings, units_compatible};
use crate::{Catalog, Indicator};
use serde::Serialize;

/// At most this many proposals per target.
pub const MAX_PROPOSALS: usize = 3;
/// Candidates scored below this are not worth a clerk's time.
pub const MIN_CONFIDENCE: f64 = 0.4;
/// From this confidence on a proposal is called 把握高; from [`MEDIUM`] 把握中.
pub const HIGH: f64 = 0.8;
pub const MEDIUM: f64 = 0.6;

/// One catalog entry proposed for a target, with why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Proposal {
    pub code: String,
    /// The catalog's name of the entry.
    pub name: String,
    /// In [0, 1]; the mapper's own confidence when it would map the name to this entry.
    pub confidence: f64,
    /// Words (two characters or more) the name shares with the entry after the tolerant
    /// normalisation, longest first.
    pub shared: Vec<String>,
    pub same_domain: bool,
    pub same_unit: bool,
    /// The mapper itself maps the name onto this entry (by name, alias, rewriting or the
    /// fuzzy step).
    pub mapped: bool,
}

impl Proposal {
    /// 高, 中 or 低: how sure the proposal is, in a word a clerk reads.
    pub fn certainty_zh(&self) -> &'static str {
        if self.confidence >= HIGH {
            "高"
        } else if self.confidence >= MEDIUM {
            "中"
        } else {
            "低"
        }
    }

    /// The confidence as a whole percentage (0–100).
    pub fn percent(&self) -> u32 {
        (self.confidence * 100.0).round().clamp(0.0, 100.0) as u32
    }

    /// Why it is proposed, in plain Chinese: 共同词语“系统管理、孕产妇”；同一领域；单位相同.
    pub fn basis_zh(&self) -> String {
        let mut parts = Vec::new();
        if self.mapped {
            parts.push("名称按目录的写法可以对应".to_string());
        }
        if !self.shared.is_empty() {
            parts.push(format!("共同词语“{}”", self.shared.join("、")));
        }
        if self.same_domain {
            parts.push("同一领域".into());
        }
        if self.same_unit {
            parts.push("单位相同".into());
        }
        parts.join("；")
    }
}

/// The closest catalog entries for the target `q` (at most [`MAX_PROPOSALS`], best
/// first, each at least [`MIN_CONFIDENCE`]); empty when nothing is close enough or the
/// name is empty. Deterministic: ties are broken by code.
pub fn propose(catalog: &Catalog, q: &Query<'_>) -> Vec<Proposal> {
    let key = normalize(q.indicator);
    if key.is_empty() {
        return Vec::new();
    }
    let unit = q.unit.map(str::trim).filter(|u| !u.is_empty());
    let mapped = mapping::map(catalog, q);
    // the name as written and the rewritings the mapper would try
    let mut spellings = vec![key.clone()];
    spellings.extend(rewritings(q.indicator, &key));
    let spelled: Vec<(String, Vec<(char, char)>)> = spellings
        .into_iter()
        .map(|s| {
            let b = bigrams(&s);
            (s, b)
        })
        .collect();
    let qf = &mapping::features(&key);

    // an entry is forbidden when any of its names is: an alias may leave out the word
    // (儿童贫血患病率 for 5岁以下儿童贫血患病率) that its name says
    let barred: std::collections::HashSet<&str> = catalog
        .indexed()
        .filter(|(k, _)| forbidden(qf, &k.features))
        .map(|(_, ind)| ind.code.as_str())
        .collect();
    // best score per entry: (score, entry, the catalog key it was scored on, the spelling)
    let mut best: Vec<(f64, &Indicator, String, String)> = Vec::new();
    for (k, ind) in catalog.indexed() {
        if ind.retired {
            continue;
        }
        if let Some(u) = unit
            && !units_compatible(u, &ind.unit)
        {
            continue;
        }
        if barred.contains(ind.code.as_str()) {
            continue;
        }
        let mut score = 0.0f64;
        let mut on = String::new();
        for (s, b) in &spelled {
            let d = dice(b, &k.bigrams);
            if d > score {
                score = d;
                on = s.clone();
            }
        }
        if score == 0.0 {
            continue;
        }
        score *= penalty(qf, &k.features);
        if !ind.serves(q.kind) {
            score *= 0.9;
        }
        if same_domain(q, ind) {
            score += 0.05;
        }
        if unit.is_some_and(|u| u == ind.unit) {
            score += 0.05;
        }
        match best
            .iter_mut()
            .find(|(_, other, _, _)| other.code == ind.code)
        {
            Some(slot) if slot.0 < score => *slot = (score, ind, k.key.clone(), on),
            Some(_) => {}
            None => best.push((score, ind, k.key.clone(), on)),
        }
    }
    // what the mapper chooses comes first, with the mapper's confidence
    if let Some(m) = mapped {
        match best
            .iter_mut()
            .find(|(_, o, _, _)| o.code == m.indicator.code)
        {
            Some(slot) => slot.0 = 1.0 + m.confidence,
            None => best.push((
                1.0 + m.confidence,
                m.indicator,
                normalize(&m.indicator.name),
                key.clone(),
            )),
        }
    }
    best.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.code.cmp(&b.1.code)));
    best.into_iter()
        .filter_map(|(score, ind, on_key, spelling)| {
            let is_mapped = mapped.is_some_and(|m| m.indicator.code == ind.code);
            let confidence = if is_mapped {
                mapped.map_or(0.0, |m| m.confidence)
            } else {
                // a name the mapper could not place is never called certain
                score.min(0.89)
            };
            let confidence = (confidence * 1000.0).round() / 1000.0;
            (confidence >= MIN_CONFIDENCE).then(|| Proposal {
                code: ind.code.clone(),
                name: ind.name.clone(),
                confidence,
                shared: shared_words(&spelling, &on_key),
                same_domain: same_domain(q, ind),
                same_unit: unit.is_some_and(|u| u == ind.unit),
                mapped: is_mapped,
            })
        })
        .take(MAX_PROPOSALS)
        .collect()
}

fn same_domain(q: &Query<'_>, ind: &Indicator) -> bool {
    q.domain
        .is_some_and(|d| d == ind.domain_label() || ind.also_in.iter().any(|a| a == d))
}

/// Index of the population group in [`GROUPS`] (新生儿, 婴儿, 孕产妇 …): ages belong with
/// it, so that 婴儿 and 5岁以下 are told apart.
const POPULATION: usize = 2;

/// Whether the two feature sets name different members of one group (or a different
/// sex): the never-merge rule.
fn forbidden(a: &[Vec<String>], b: &[Vec<String>]) -> bool {
    let g = GROUPS.len();
    for i in 0..g {
        if i == POPULATION {
            continue;
        }
        if !a[i].is_empty() && !b[i].is_empty() && a[i] != b[i] {
            return true;
        }
    }
    // population words and ages together
    let pa: Vec<&String> = a[POPULATION].iter().chain(a[g].iter()).collect();
    let pb: Vec<&String> = b[POPULATION].iter().chain(b[g].iter()).collect();
    if !pa.is_empty() && !pb.is_empty() && pa != pb {
        return true;
    }
    // the male marker
    a[g + 1] != b[g + 1]
}

/// The score factor for what differs without being forbidden: a distinguishing word only
/// one name has, another measure word.
fn penalty(a: &[Vec<String>], b: &[Vec<String>]) -> f64 {
    let g = GROUPS.len();
    let mut f = 1.0;
    for i in 0..=g {
        if a[i] != b[i] {
            f *= 0.85;
        }
    }
    if a[g + 2] != b[g + 2] {
        f *= 0.85;
    }
    f
}

/// The maximal common substrings (two characters or more) of `a` and `b`, longest first,
/// as a reader would underline them.
fn shared_words(a: &str, b: &str) -> Vec<String> {
    let a: Vec<char> = a.chars().collect();
    let b_str = b;
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < a.len() {
        let mut len = 0;
        while i + len < a.len() {
            let cand: String = a[i..=i + len].iter().collect();
            if b_str.contains(&cand) {
                len += 1;
            } else {
                break;
            }
        }
        if len >= 2 {
            out.push(a[i..i + len].iter().collect());
            i += len;
        } else {
            i += 1;
        }
    }
    out.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_words_are_maximal_runs() {
        assert_eq!(
            shared_words("每天睡眠时间小学生", "小学生每天睡眠时间"),
            vec!["每天睡眠时间".to_string(), "小学生".to_string()]
        );
        assert!(shared_words("甲乙", "丙丁").is_empty());
    }

    #[test]
    fn certainty_words() {
        let p = |confidence| Proposal {
            code: "C-HEA-36".into(),
            name: "小学生每天睡眠时间".into(),
            confidence,
            shared: vec!["每天睡眠时间".into()],
            same_domain: true,
            same_unit: true,
            mapped: false,
        };
        assert_eq!(p(0.85).certainty_zh(), "高");
        assert_eq!(p(0.7).certainty_zh(), "中");
        assert_eq!(p(0.45).certainty_zh(), "低");
        assert_eq!(p(0.456).percent(), 46);
        assert_eq!(
            p(0.7).basis_zh(),
            "共同词语“每天睡眠时间”；同一领域；单位相同"
        );
    }
}
