//! Width folding: full-width digits, letters and punctuation to their ASCII forms.
//!
//! Never NFKC: it turns ① into 1 and "①2025年" into "12025年". This map is one char to one
//! char, so offsets into the folded text are offsets into the original.

/// Folds one character.
pub fn fold_char(c: char) -> char {
    match c {
        // Full-width ASCII block: ！ to ～.
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' | '\u{00A0}' | '\u{2002}'..='\u{200A}' | '\u{202F}' => ' ',
        '﹪' => '%',
        '∶' | '︰' => ':',
        '≦' => '≤',
        '≧' => '≥',
        '–' | '−' | '﹣' => '-',
        // Chrome writes a "——" bullet as one TWO-EM DASH.
        '⸺' | '⸻' => '—',
        '〜' => '~',
        '。' | '｡' => '。',
        _ => c,
    }
}

/// The ideograph a radical character stands for: "⼥" (U+2F25 KANGXI RADICAL WOMAN) → 女,
/// "⻓" (U+2ED3 CJK RADICAL C-SIMPLIFIED LONG) → 长. PDFs whose fonts map glyphs onto the
/// radical blocks (Chrome's and some WPS exports) give text that looks right and matches
/// nothing: "妇⼥⼈均预期寿命延⻓". Kangxi radicals have a compatibility decomposition
/// (NFKC); the simplified forms of the supplement do not, and take the ideograph Unicode's
/// CJKRadicals.txt gives for them.
pub fn unify_radical(c: char) -> Option<char> {
    match c {
        '\u{2F00}'..='\u{2FD5}' | '\u{2E9F}' | '\u{2EF3}' => {
            let mut out = None;
            unicode_normalization::char::decompose_compatible(c, |d| {
                out.get_or_insert(d);
            });
            // ⼾ (DOOR) decomposes to the traditional 戶, and simplified fonts draw it 户.
            out.filter(|&d| d != c)
                .map(|d| if d == '戶' { '户' } else { d })
        }
        '\u{2E80}'..='\u{2EFF}' => SIMPLIFIED_RADICALS
            .iter()
            .find(|(r, _)| *r == c)
            .map(|&(_, ideograph)| ideograph),
        // Simplified-Chinese text never writes 戶: it is 户 read through the radical.
        '戶' => Some('户'),
        _ => None,
    }
}

/// CJK Radicals Supplement forms with the ideograph they are: the simplified radicals
/// 90′ … 213′′ of Unicode's CJKRadicals.txt, 角's simplified form, and the radicals whose
/// shape is the whole character, which CJK fonts draw with the ideograph's own glyph (so
/// a PDF may name either): 民 西 長 青 食 骨 鬼.
const SIMPLIFIED_RADICALS: &[(char, char)] = &[
    ('\u{2EA0}', '民'),
    ('\u{2EC4}', '西'),
    ('\u{2EC6}', '角'),
    ('\u{2ED1}', '長'),
    ('\u{2ED8}', '青'),
    ('\u{2EDD}', '食'),
    ('\u{2EE3}', '骨'),
    ('\u{2EE4}', '鬼'),
    ('\u{2EA6}', '丬'),
    ('\u{2EB0}', '纟'),
    ('\u{2EC5}', '见'),
    ('\u{2EC8}', '讠'),
    ('\u{2EC9}', '贝'),
    ('\u{2ECB}', '车'),
    ('\u{2ED0}', '钅'),
    ('\u{2ED3}', '长'),
    ('\u{2ED4}', '门'),
    ('\u{2ED9}', '韦'),
    ('\u{2EDA}', '页'),
    ('\u{2EDB}', '风'),
    ('\u{2EDC}', '飞'),
    ('\u{2EE0}', '饣'),
    ('\u{2EE2}', '马'),
    ('\u{2EE5}', '鱼'),
    ('\u{2EE6}', '鸟'),
    ('\u{2EE7}', '卤'),
    ('\u{2EE8}', '麦'),
    ('\u{2EE9}', '黄'),
    ('\u{2EEA}', '黾'),
    ('\u{2EEB}', '斉'),
    ('\u{2EEC}', '齐'),
    ('\u{2EED}', '歯'),
    ('\u{2EEE}', '齿'),
    ('\u{2EEF}', '竜'),
    ('\u{2EF0}', '龙'),
    ('\u{2EF2}', '亀'),
];

/// Folds a whole string, char for char.
pub fn fold(text: &str) -> String {
    text.chars().map(fold_char).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn radicals_become_the_ideographs_they_look_like() {
        let copied = "妇⼥⼈均预期寿命延⻓，县卫⽣健康委，⻔诊，⻓期，县⼈⺠政府";
        let unified: String = copied
            .chars()
            .map(|c| unify_radical(c).unwrap_or(c))
            .collect();
        assert_eq!(
            unified,
            "妇女人均预期寿命延长，县卫生健康委，门诊，长期，县人民政府"
        );
        // Ideographs and everything else stay.
        assert_eq!(unify_radical('女'), None);
        assert_eq!(unify_radical('戶'), Some('户'));
        assert_eq!(unify_radical('\u{2F3E}'), Some('户'));
        assert_eq!(unify_radical('%'), None);
        // Every Kangxi radical has its ideograph.
        assert!(
            ('\u{2F00}'..='\u{2FD5}')
                .all(|c| unify_radical(c).is_some_and(|d| ('\u{4E00}'..='\u{9FFF}').contains(&d)))
        );
    }

    #[test]
    fn folds_digits_and_punctuation_one_for_one() {
        let original = "孕产妇死亡率控制在１２／１０万以下，达到９８．５％（２０２５年）";
        let folded = fold(original);
        assert_eq!(folded, "孕产妇死亡率控制在12/10万以下,达到98.5%(2025年)");
        assert_eq!(folded.chars().count(), original.chars().count());
    }

    #[test]
    fn circled_numbers_are_kept() {
        assert_eq!(fold("①2025年"), "①2025年");
    }
}
