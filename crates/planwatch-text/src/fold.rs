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
        '〜' => '~',
        '。' | '｡' => '。',
        _ => c,
    }
}

/// Folds a whole string, char for char.
pub fn fold(text: &str) -> String {
    text.chars().map(fold_char).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

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
