//! Year expressions: 到2025年, 2030年前, 到2025年和2030年, "十四五"末, 规划期末.

/// A year the text names, at `start..end` (char indexes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YearMention {
    /// None for "the plan's end" (规划期末, 期末).
    pub year: Option<i32>,
    pub start: usize,
    pub end: usize,
}

/// Five-year plan periods by number: 十四五 → 2021–2025.
pub fn five_year_plan_end(ordinal: u32) -> i32 {
    // Counted from the 6th (1981–1985): the 1963–1965 adjustment years broke the sequence.
    1985 + 5 * (ordinal as i32 - 6)
}

const FIVE_YEAR: &[(&str, u32)] = &[
    ("十三五", 13),
    ("十四五", 14),
    ("十五五", 15),
    ("十六五", 16),
];

/// All year mentions in folded text.
pub fn find_years(chars: &[char]) -> Vec<YearMention> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit()
            && (i == 0 || !chars[i - 1].is_ascii_digit() && chars[i - 1] != '.')
        {
            let mut j = i;
            while j < chars.len() && chars[j].is_ascii_digit() {
                j += 1;
            }
            if j - i == 4 && chars.get(j) == Some(&'年') {
                let text: String = chars[i..j].iter().collect();
                if let Ok(y) = text.parse::<i32>()
                    && (1949..=2100).contains(&y)
                {
                    out.push(YearMention {
                        year: Some(y),
                        start: i,
                        end: j + 1,
                    });
                }
                i = j + 1;
                continue;
            }
            i = j;
            continue;
        }
        if !matches!(chars[i], '十' | '规' | '纲') {
            i += 1;
            continue;
        }
        let mut matched = false;
        for &(surface, ordinal) in FIVE_YEAR {
            let len = surface.chars().count();
            if i + len <= chars.len() && chars[i..i + len].iter().copied().eq(surface.chars()) {
                // Only the period's end counts as a year: "十四五"末 / 期末 / 时期末.
                let mut k = i + len;
                while k < chars.len() && matches!(chars[k], '"' | '”' | '“' | '\'' | '’') {
                    k += 1;
                }
                let rest: String = chars[k..chars.len().min(k + 3)].iter().collect();
                if rest.starts_with('末') || rest.starts_with("期末") || rest.starts_with("时期末")
                {
                    let end = k + if rest.starts_with('末') {
                        1
                    } else if rest.starts_with("期末") {
                        2
                    } else {
                        3
                    };
                    out.push(YearMention {
                        year: Some(five_year_plan_end(ordinal)),
                        start: i,
                        end,
                    });
                }
                i = k;
                matched = true;
                break;
            }
        }
        if matched {
            continue;
        }
        for surface in ["规划期末", "规划末期", "纲要期末"] {
            let len = surface.chars().count();
            if i + len <= chars.len() && chars[i..i + len].iter().copied().eq(surface.chars()) {
                out.push(YearMention {
                    year: None,
                    start: i,
                    end: i + len,
                });
                i += len;
                matched = true;
                break;
            }
        }
        if !matched {
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn years(text: &str) -> Vec<Option<i32>> {
        let chars: Vec<char> = text.chars().collect();
        find_years(&chars).iter().map(|y| y.year).collect()
    }

    #[test]
    fn calendar_years() {
        assert_eq!(
            years("到2025年和2030年,产前筛查率分别达80%以上和82%以上"),
            vec![Some(2025), Some(2030)]
        );
        assert_eq!(years("2030年前"), vec![Some(2030)]);
        assert_eq!(years("12.6年"), Vec::<Option<i32>>::new());
    }

    #[test]
    fn period_ends() {
        assert_eq!(years("到\"十四五\"末,达到90%"), vec![Some(2025)]);
        assert_eq!(years("十四五期末"), vec![Some(2025)]);
        assert_eq!(years("十四五时期"), Vec::<Option<i32>>::new());
        assert_eq!(years("到规划期末"), vec![None]);
    }
}
