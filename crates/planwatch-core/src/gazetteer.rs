//! China's administrative divisions (GB/T 2260), shipped as data in `data/divisions.tsv`.
//!
//! A plan names its region ("连平县") but rarely its parents; the gazetteer supplies them,
//! and tells two namesakes (鼓楼区 in Nanjing, Xuzhou, Fuzhou, Kaifeng) apart with the help of
//! the other place names a document mentions.

use crate::Level;
use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

const DATA: &str = include_str!("../data/divisions.tsv");

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Division {
    pub code: u32,
    pub name: &'static str,
    pub parent: Option<u32>,
}

impl Division {
    /// Province-level units have 2-digit codes, prefecture-level 4, county-level 6.
    pub fn level(&self) -> Level {
        match self.code {
            0..=99 => Level::Province,
            100..=9999 => Level::City,
            _ => Level::County,
        }
    }
}

pub struct Gazetteer {
    divisions: Vec<Division>,
    by_code: HashMap<u32, usize>,
    by_name: HashMap<&'static str, Vec<usize>>,
}

/// The shipped gazetteer, parsed once.
pub fn gazetteer() -> &'static Gazetteer {
    static CELL: OnceLock<Gazetteer> = OnceLock::new();
    CELL.get_or_init(|| Gazetteer::parse(DATA))
}

impl Gazetteer {
    fn parse(data: &'static str) -> Gazetteer {
        let mut divisions = Vec::new();
        for line in data
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        {
            let mut fields = line.split('\t');
            let code = fields.next().and_then(|c| c.trim().parse::<u32>().ok());
            let name = fields.next().map(str::trim).filter(|n| !n.is_empty());
            let parent = fields.next().and_then(|p| p.trim().parse::<u32>().ok());
            if let (Some(code), Some(name)) = (code, name) {
                divisions.push(Division { code, name, parent });
            }
        }
        let mut by_code = HashMap::new();
        let mut by_name: HashMap<&'static str, Vec<usize>> = HashMap::new();
        for (i, d) in divisions.iter().enumerate() {
            by_code.insert(d.code, i);
            by_name.entry(d.name).or_default().push(i);
        }
        Gazetteer {
            divisions,
            by_code,
            by_name,
        }
    }

    pub fn get(&self, code: u32) -> Option<&Division> {
        self.by_code.get(&code).map(|&i| &self.divisions[i])
    }

    /// Divisions whose official name is exactly `name`.
    pub fn find_exact(&self, name: &str) -> Vec<&Division> {
        self.by_name
            .get(name)
            .map(|found| found.iter().map(|&i| &self.divisions[i]).collect())
            .unwrap_or_default()
    }

    /// Divisions whose official name is `name`, or whose name is `name` with an ethnic
    /// autonomy qualifier left out (石柱县 → 石柱土家族自治县).
    pub fn find(&self, name: &str) -> Vec<&Division> {
        if let Some(found) = self.by_name.get(name) {
            return found.iter().map(|&i| &self.divisions[i]).collect();
        }
        let Some(last) = name.chars().last() else {
            return Vec::new();
        };
        let stem: String = name
            .chars()
            .take(name.chars().count().saturating_sub(1))
            .collect();
        if stem.chars().count() < 2 || !matches!(last, '县' | '区' | '市' | '州' | '旗' | '省')
        {
            return Vec::new();
        }
        self.divisions
            .iter()
            .filter(|d| d.name.starts_with(&stem) && d.name.ends_with(last))
            .filter(|d| d.name.contains("自治") || d.name.contains("族"))
            .collect()
    }

    /// The chain of enclosing divisions, from the province down (the division itself excluded).
    pub fn ancestors(&self, division: &Division) -> Vec<&Division> {
        let mut chain = Vec::new();
        let mut parent = division.parent;
        while let Some(code) = parent {
            match self.get(code) {
                Some(d) if chain.len() < 4 => {
                    chain.push(d);
                    parent = d.parent;
                }
                _ => break,
            }
        }
        chain.reverse();
        chain
    }

    /// The divisions directly under `code`, in code order.
    pub fn children(&self, code: u32) -> Vec<&Division> {
        let mut out: Vec<&Division> = self
            .divisions
            .iter()
            .filter(|d| d.parent == Some(code))
            .collect();
        out.sort_by_key(|d| d.code);
        out
    }

    /// The division at `path` ("湖北省/随州市/曾都区"): its name, and its ancestors' names
    /// in order.
    pub fn at_path(&self, path: &str) -> Option<&Division> {
        let name = path.rsplit('/').next()?;
        self.find_exact(name).into_iter().find(|d| {
            let mut names: Vec<&str> = self.ancestors(d).iter().map(|a| a.name).collect();
            names.push(d.name);
            names.join("/") == path
        })
    }

    /// Every county-level division, then every prefecture-level one, in an order spread
    /// over the country: the provinces take turns (in a shuffled order), and within a
    /// province its prefectures take turns, each giving its divisions in a shuffled order.
    /// The first `n` are a sample spread over provinces and cities (100 counties touch
    /// every province), and a larger sample contains the smaller one. The same seed gives
    /// the same order on every machine.
    pub fn spread(&self, seed: u64) -> Vec<&Division> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut out = Vec::with_capacity(self.divisions.len());
        for level in [Level::County, Level::City] {
            // province → group (the prefecture, or the province for the divisions directly
            // under it) → divisions, in code order before shuffling.
            let mut by_province: BTreeMap<u32, BTreeMap<u32, Vec<&Division>>> = BTreeMap::new();
            for d in self.divisions.iter().filter(|d| d.level() == level) {
                let province = self.ancestors(d).first().map_or(d.code, |p| p.code);
                let group = d.parent.unwrap_or(province);
                by_province
                    .entry(province)
                    .or_default()
                    .entry(group)
                    .or_default()
                    .push(d);
            }
            let mut provinces: Vec<Vec<&Division>> = Vec::with_capacity(by_province.len());
            for groups in by_province.into_values() {
                let mut groups: Vec<Vec<&Division>> = groups.into_values().collect();
                for g in &mut groups {
                    g.shuffle(&mut rng);
                }
                groups.shuffle(&mut rng);
                provinces.push(take_turns(groups));
            }
            provinces.shuffle(&mut rng);
            out.extend(take_turns(provinces));
        }
        out
    }

    /// Among namesakes, the one whose ancestors the `context` text mentions most
    /// (by full or short name: 广东省 or 广东).
    pub fn best_match<'a>(&'a self, name: &str, context: &str) -> Option<&'a Division> {
        let candidates = self.find(name);
        let score = |d: &Division| -> usize {
            self.ancestors(d)
                .iter()
                .map(|a| {
                    let short = short_name(a.name);
                    context.matches(a.name).count() * 2
                        + if short.chars().count() >= 2 {
                            context.matches(short).count()
                        } else {
                            0
                        }
                })
                .sum()
        };
        let mut best: Option<(&Division, usize)> = None;
        for d in candidates {
            let s = score(d);
            if best.is_none_or(|(_, bs)| s > bs) {
                best = Some((d, s));
            }
        }
        best.map(|(d, _)| d)
    }
}

/// The first of each list, then the second of each, and so on.
fn take_turns<T>(lists: Vec<Vec<T>>) -> Vec<T> {
    let total = lists.iter().map(Vec::len).sum();
    let mut out = Vec::with_capacity(total);
    let mut iters: Vec<_> = lists.into_iter().map(Vec::into_iter).collect();
    while out.len() < total {
        for it in &mut iters {
            out.extend(it.next());
        }
    }
    out
}

/// 广东省 → 广东, 河源市 → 河源, 广西壮族自治区 → 广西; used to find a region named in
/// running text ("健康河源").
pub fn short_name(name: &str) -> &str {
    for suffix in [
        "壮族自治区",
        "回族自治区",
        "维吾尔自治区",
        "自治区",
        "特别行政区",
        "自治州",
        "地区",
        "省",
        "市",
        "盟",
    ] {
        if let Some(stem) = name.strip_suffix(suffix)
            && stem.chars().count() >= 2
        {
            return stem;
        }
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_county_has_its_province_and_city() {
        let g = gazetteer();
        let d = g.best_match("连平县", "").map(|d| g.ancestors(d));
        let names: Vec<&str> = d.unwrap_or_default().iter().map(|a| a.name).collect();
        assert_eq!(names, vec!["广东省", "河源市"]);
    }

    #[test]
    fn a_path_names_one_division_and_its_children() {
        let g = gazetteer();
        let city = g.at_path("浙江省/丽水市").map(|d| d.code);
        assert_eq!(city, Some(3311));
        let counties: Vec<&str> = g.children(3311).iter().map(|d| d.name).collect();
        assert_eq!(counties.len(), 9);
        assert_eq!(counties[0], "莲都区");
        assert!(counties.contains(&"景宁畲族自治县"));
        assert_eq!(
            g.at_path("重庆市/石柱土家族自治县").map(|d| d.code),
            Some(500240)
        );
        // A name under the wrong parent is no division.
        assert!(g.at_path("广东省/随州市/曾都区").is_none());
        assert!(g.at_path("").is_none());
    }

    #[test]
    fn a_county_of_a_municipality_has_one_parent() {
        let g = gazetteer();
        let d = g.find("石柱县");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].name, "石柱土家族自治县");
        let names: Vec<&str> = g.ancestors(d[0]).iter().map(|a| a.name).collect();
        assert_eq!(names, vec!["重庆市"]);
    }

    #[test]
    fn namesakes_are_told_apart_by_context() {
        let g = gazetteer();
        assert!(g.find("鼓楼区").len() >= 3);
        let d = g.best_match(
            "鼓楼区",
            "为贯彻落实《福建省妇女发展规划》《福州市妇女发展规划》",
        );
        let parents: Vec<&str> = d
            .map(|d| g.ancestors(d))
            .unwrap_or_default()
            .iter()
            .map(|a| a.name)
            .collect();
        assert_eq!(parents, vec!["福建省", "福州市"]);
    }

    #[test]
    fn a_spread_sample_touches_every_province_and_is_the_same_for_a_seed() {
        let g = gazetteer();
        let order = g.spread(1);
        let counties = g
            .divisions
            .iter()
            .filter(|d| d.level() == Level::County)
            .count();
        let cities = g
            .divisions
            .iter()
            .filter(|d| d.level() == Level::City)
            .count();
        assert_eq!(order.len(), counties + cities);
        assert!(order[..counties].iter().all(|d| d.level() == Level::County));
        let mut codes: Vec<u32> = order.iter().map(|d| d.code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), order.len(), "every division once");
        let province = |d: &Division| g.ancestors(d).first().map(|p| p.code);
        let provinces: std::collections::BTreeSet<_> =
            order[..100].iter().map(|d| province(d)).collect();
        assert_eq!(provinces.len(), 31);
        // Within a province the first few come from different prefectures.
        let hubei: Vec<_> = order[..200]
            .iter()
            .filter(|d| province(d) == Some(42))
            .map(|d| d.parent)
            .collect();
        let distinct: std::collections::BTreeSet<_> = hubei.iter().collect();
        assert!(distinct.len() >= hubei.len().min(10) - 1, "{hubei:?}");
        assert_eq!(
            g.spread(1).iter().map(|d| d.code).collect::<Vec<_>>(),
            order.iter().map(|d| d.code).collect::<Vec<_>>()
        );
        assert_ne!(g.spread(2)[..20], order[..20]);
    }

    #[test]
    fn levels_follow_the_code() {
        let g = gazetteer();
        let level = |n: &str| g.find(n).first().map(|d| d.level());
        assert_eq!(level("浙江省"), Some(Level::Province));
        assert_eq!(level("丽水市"), Some(Level::City));
        assert_eq!(level("曾都区"), Some(Level::County));
        assert_eq!(level("重庆市"), Some(Level::Province));
    }
}
