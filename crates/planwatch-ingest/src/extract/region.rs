//! The issuing region: from the plans' titles, else from the issuer or the place the text
//! speaks of most; its level and parents from the gazetteer.

use super::lines::Line;
use super::structure::PlanSpan;
use planwatch_core::Level;
use planwatch_core::gazetteer::{Division, gazetteer};

pub struct Region {
    pub name: String,
    pub level: Level,
    pub parents: Vec<String>,
}

/// "连平县妇女发展规划" → "连平县"; "重庆市石柱县妇女发展规划" → "重庆市石柱县".
fn title_prefix(title: &str) -> Option<String> {
    let mut pos = ["妇女", "儿童"]
        .iter()
        .filter_map(|w| title.find(w))
        .min()?;
    // "某市“十四五”妇女发展规划": the period is not part of the name.
    if let Some(q) = ["“", "\"", "十四五", "十五五"]
        .iter()
        .filter_map(|w| title[..pos].find(w))
        .min()
    {
        pos = q;
    }
    let prefix: String = title[..pos]
        .trim()
        .trim_matches(['"', '“', '”', '《'])
        .to_string();
    (prefix.chars().count() >= 2).then_some(prefix)
}

fn level_from_suffix(name: &str) -> Level {
    if name.ends_with('省')
        || name.ends_with("自治区")
        || ["北京市", "天津市", "上海市", "重庆市"].contains(&name)
    {
        Level::Province
    } else if name.ends_with('县') || name.ends_with('区') || name.ends_with('旗') {
        Level::County
    } else {
        Level::City
    }
}

/// The division a written name stands for: the name itself or its longest known tail
/// ("重庆市石柱县" → 石柱土家族自治县).
fn resolve(written: &str, context: &str) -> Option<&'static Division> {
    let g = gazetteer();
    let chars: Vec<char> = written.chars().collect();
    for start in 0..chars.len().saturating_sub(1) {
        let tail: String = chars[start..].iter().collect();
        let prefix: String = chars[..start].iter().collect();
        let ctx = format!("{prefix} {context}");
        if let Some(d) = g.best_match(&tail, &ctx) {
            return Some(d);
        }
    }
    None
}

/// Gazetteer names in the text, counted, preferring the level the text speaks as
/// (全县/我县 → a county).
fn most_mentioned(text: &str) -> Option<&'static Division> {
    let g = gazetteer();
    let chars: Vec<char> = text.chars().collect();
    let mut counts: std::collections::HashMap<u32, (usize, &'static Division)> =
        std::collections::HashMap::new();
    for i in 0..chars.len() {
        for len in 2..=8 {
            if i + len > chars.len() {
                break;
            }
            let last = chars[i + len - 1];
            if !matches!(last, '省' | '市' | '县' | '区' | '州' | '旗') {
                continue;
            }
            let name: String = chars[i..i + len].iter().collect();
            for d in g.find_exact(&name) {
                counts.entry(d.code).or_insert((0, d)).0 += 1;
            }
        }
    }
    let speaks_as =
        |s: &str| text.matches(&format!("全{s}")).count() + text.matches(&format!("我{s}")).count();
    let level_word = [
        ('县', speaks_as("县")),
        ('市', speaks_as("市")),
        ('区', speaks_as("区")),
        ('省', speaks_as("省")),
    ]
    .into_iter()
    .max_by_key(|(_, n)| *n)
    .filter(|(_, n)| *n > 0)
    .map(|(c, _)| c);
    counts
        .values()
        .filter(|(_, d)| level_word.is_none_or(|c| d.name.ends_with(c)))
        .max_by_key(|(n, d)| (*n, d.code))
        .map(|(_, d)| *d)
}

pub fn find_region(lines: &[Line], spans: &[PlanSpan]) -> Region {
    let head: String = lines
        .iter()
        .take(400)
        .map(Line::folded_string)
        .collect::<Vec<_>>()
        .join("\n");
    let mut written: Option<String> = spans
        .iter()
        .filter_map(|s| s.title.as_deref())
        .find_map(title_prefix);
    if written.is_none() {
        // The issuer: "某某县人民政府" near the top.
        written = lines.iter().take(15).find_map(|l| {
            let t = l.folded_string();
            let pos = t.find("人民政府")?;
            let name = t[..pos].trim();
            (name.chars().count() >= 2 && name.chars().count() <= 12).then(|| name.to_string())
        });
    }
    let division = written
        .as_deref()
        .and_then(|w| resolve(w, &head))
        .or_else(|| most_mentioned(&head));
    let g = gazetteer();
    match division {
        Some(d) => Region {
            name: d.name.to_string(),
            level: d.level(),
            parents: g.ancestors(d).iter().map(|a| a.name.to_string()).collect(),
        },
        None => {
            // A region the gazetteer does not know (new or renamed): the known places
            // its written name starts with are its parents ("广东省河源市某新区").
            let written = written.unwrap_or_else(|| "未知地区".to_string());
            let (parents, name) = split_known_prefixes(&written);
            Region {
                level: level_from_suffix(&name),
                name,
                parents,
            }
        }
    }
}

fn split_known_prefixes(written: &str) -> (Vec<String>, String) {
    let g = gazetteer();
    let mut parents = Vec::new();
    let mut rest = written.to_string();
    'outer: loop {
        let chars: Vec<char> = rest.chars().collect();
        for len in (2..chars.len()).rev() {
            let head: String = chars[..len].iter().collect();
            if g.find(&head).iter().any(|d| d.name == head) {
                parents.push(head);
                rest = chars[len..].iter().collect();
                continue 'outer;
            }
        }
        break;
    }
    (parents, rest)
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_unknown_region_keeps_its_known_parents() {
        assert_eq!(
            super::split_known_prefixes("广东省河源市未来新区"),
            (
                vec!["广东省".to_string(), "河源市".to_string()],
                "未来新区".to_string()
            )
        );
    }

    use super::*;

    #[test]
    fn prefixes_of_titles() {
        assert_eq!(
            title_prefix("连平县妇女发展规划（2021—2030年）").as_deref(),
            Some("连平县")
        );
        assert_eq!(
            title_prefix("重庆市石柱县儿童发展规划").as_deref(),
            Some("重庆市石柱县")
        );
        assert_eq!(
            title_prefix("丽水市“十四五”妇女发展规划").as_deref(),
            Some("丽水市")
        );
    }

    #[test]
    fn written_names_resolve() {
        assert_eq!(
            resolve("重庆市石柱县", "").map(|d| d.name),
            Some("石柱土家族自治县")
        );
        assert_eq!(resolve("曾都区", "").map(|d| d.name), Some("曾都区"));
        assert_eq!(level_from_suffix("某某自治区"), Level::Province);
    }
}
