//! `full` mode's explicit transliterations.

/// Explicit transliterations for `full` mode, tried before decomposition. Every value is GSM-7
/// (a unit test checks). Letters here either have no decomposition or decompose badly.
pub(super) fn transliterate(c: char) -> Option<&'static str> {
    Some(match c {
        // Quotes and primes.
        '‘' | '’' | '‚' | '‛' | '′' | '‹' | '›' | '`' | '´' | 'ʹ' | 'ʻ' | 'ʼ' | 'ʽ' => "'",
        '“' | '”' | '„' | '‟' | '″' | '«' | '»' | 'ʺ' => "\"",
        // Dashes, hyphens, minus.
        '‐' | '‑' | '‒' | '–' | '—' | '―' | '−' | '⁃' => "-",
        '…' => "...",
        // Spaces and line breaks.
        '\t' | '\u{A0}' | '\u{1680}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' => " ",
        '\u{85}' | '\u{2028}' | '\u{2029}' => "\n",
        // Invisible: zero-width, soft hyphen, bidi controls, word joiner and invisible operators,
        // variation selectors, tags.
        '\u{AD}'
        | '\u{61C}'
        | '\u{180E}'
        | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{206F}'
        | '\u{FEFF}'
        | '\u{FE00}'..='\u{FE0F}'
        | '\u{E0000}'..='\u{E007F}'
        | '\u{E0100}'..='\u{E01EF}' => "",
        // Bullets.
        '•' | '‣' | '∙' | '·' | '◦' | '●' | '▪' => "-",
        // Symbols.
        '©' => "(c)",
        '®' => "(R)",
        '™' => "TM",
        '×' => "x",
        '÷' | '⁄' | '∕' => "/",
        '¢' => "c",
        '¦' => "|",
        '±' => "+/-",
        '≤' => "<=",
        '≥' => ">=",
        '≠' => "!=",
        '≈' | '∼' | '˜' => "~",
        'ˆ' => "^",
        '∗' => "*",
        '→' => "->",
        '←' => "<-",
        '↔' => "<->",
        // Micro sign: "u" as in "us", not the Greek-capital lookalike "M" (mega).
        'µ' => "u",
        // 0x09 is capital Ç and there is no small ç; SMS gateways conventionally send Ç for ç.
        'ç' => "Ç",
        // Latin letters without a (useful) decomposition.
        'ł' => "l",
        'Ł' => "L",
        'đ' => "d",
        'Đ' | 'Ð' => "D",
        'ð' => "d",
        'ħ' => "h",
        'Ħ' => "H",
        'ı' => "i",
        'ȷ' => "j",
        'ŀ' => "l", // NFKD is l + middle dot, which would give "l-"
        'Ŀ' => "L",
        'ŧ' => "t",
        'Ŧ' => "T",
        'œ' => "oe",
        'Œ' => "OE",
        'þ' => "th",
        'Þ' => "Th",
        'ĸ' => "k",
        'ŋ' => "n",
        'Ŋ' => "N",
        'ƒ' => "f",
        'ƀ' => "b",
        'ǥ' => "g",
        'Ǥ' => "G",
        'ƶ' => "z",
        'Ƶ' => "Z",
        'ɨ' => "i",
        'Ɨ' => "I",
        'ẞ' => "SS",
        // Greek capitals missing from GSM-7 become Latin lookalikes.
        'Α' => "A",
        'Β' => "B",
        'Ε' => "E",
        'Ζ' => "Z",
        'Η' => "H",
        'Ι' => "I",
        'Κ' => "K",
        'Μ' => "M",
        'Ν' => "N",
        'Ο' => "O",
        'Ρ' => "P",
        'Τ' => "T",
        'Υ' => "Y",
        'Χ' => "X",
        // Greek small letters become their capital: the GSM-7 one, or its Latin lookalike.
        'α' => "A",
        'β' => "B",
        'γ' => "Γ",
        'δ' => "Δ",
        'ε' => "E",
        'ζ' => "Z",
        'η' => "H",
        'θ' => "Θ",
        'ι' => "I",
        'κ' => "K",
        'λ' => "Λ",
        'μ' => "M",
        'ν' => "N",
        'ξ' => "Ξ",
        'ο' => "O",
        'π' => "Π",
        'ρ' => "P",
        'σ' | 'ς' => "Σ",
        'τ' => "T",
        'υ' => "Y",
        'φ' => "Φ",
        'χ' => "X",
        'ψ' => "Ψ",
        'ω' => "Ω",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::*;

    #[test]
    fn every_transliteration_is_gsm7() {
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            if let Some(to) = transliterate(c) {
                assert!(is_gsm7(to), "U+{:04X} -> {to:?}", c as u32);
                assert!(gsm7_septets(c).is_none(), "U+{:04X} is GSM-7 already", c as u32);
            }
        }
    }
}
