//! Grapheme clusters, approximated the way `full` mode needs them.

use unicode_normalization::char::is_combining_mark;

pub(super) const ZWJ: char = '\u{200D}';

/// Chars that extend the cluster before them (grapheme `Extend`, approximately).
pub(super) fn is_extend(c: char) -> bool {
    matches!(c,
        '\u{200C}'                      // ZWNJ
        | '\u{1160}'..='\u{11FF}'       // Hangul medial vowels and final consonants
        | '\u{D7B0}'..='\u{D7FF}'       // (they compose with the syllable before them)
        | '\u{FE00}'..='\u{FE0F}'       // variation selectors
        | '\u{16D67}'..='\u{16D68}'     // Kirat Rai vowel signs that compose (NFC quick-check Maybe)
        | '\u{1F3FB}'..='\u{1F3FF}'     // emoji skin tone modifiers
        | '\u{E0020}'..='\u{E007F}'     // tag chars (subdivision flags)
        | '\u{E0100}'..='\u{E01EF}'     // variation selectors supplement
    ) || (c >= '\u{300}' && is_combining_mark(c))
}

/// Approximates `Extended_Pictographic` (what a ZWJ joins in emoji sequences). None of these is
/// changed or produced by NFC, which keeps cluster boundaries the same before and after it.
fn is_pictographic(c: char) -> bool {
    matches!(c,
        '©' | '®' | '‼' | '⁉' | '™' | 'ℹ' | '\u{2195}'..='\u{2199}' | '\u{21A9}'..='\u{21AA}' | '\u{231A}'..='\u{231B}'
        | '\u{2328}' | '\u{2388}' | '\u{23CF}' | '\u{23E9}'..='\u{23FA}' | '\u{24C2}' | '\u{25AA}'..='\u{25AB}' | '\u{25B6}'
        | '\u{25C0}' | '\u{25FB}'..='\u{25FE}' | '\u{2600}'..='\u{27BF}' | '\u{2934}'..='\u{2935}' | '\u{2B05}'..='\u{2B07}'
        | '\u{2B1B}'..='\u{2B1C}' | '\u{2B50}' | '\u{2B55}' | '\u{3030}' | '\u{303D}' | '\u{3297}' | '\u{3299}'
        | '\u{1F000}'..='\u{1FAFF}' | '\u{1FC00}'..='\u{1FFFD}'
    ) && !is_regional_indicator(c)
}

fn is_regional_indicator(c: char) -> bool {
    matches!(c, '\u{1F1E6}'..='\u{1F1FF}')
}

/// End byte and first char of the cluster starting at byte `start` of `s`.
pub(super) fn cluster_at(s: &str, start: usize) -> Option<(usize, char)> {
    let mut chars = s.get(start..)?.char_indices();
    let (_, base) = chars.next()?;
    let mut end = start + base.len_utf8();
    if base.is_control() {
        return Some((end, base));
    }
    let mut prev = base;
    let mut flag_open = is_regional_indicator(base);
    for (off, c) in chars {
        let joins = if c == ZWJ || is_extend(c) {
            true
        } else if prev == ZWJ {
            is_pictographic(c)
        } else {
            flag_open && is_regional_indicator(c)
        };
        if !joins {
            break;
        }
        flag_open = false;
        end = start + off + c.len_utf8();
        prev = c;
    }
    Some((end, base))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clusters_only_break_before_stable_nfc_starters() {
        use unicode_normalization::char::{canonical_combining_class, compose, decompose_canonical};
        use unicode_normalization::{IsNormalized, is_nfc_quick};
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            let unstable = canonical_combining_class(c) != 0 || is_nfc_quick(std::iter::once(c)) != IsNormalized::Yes;
            // A QC-No starter (a singleton like U+2126) is fine: it only changes itself.
            let starter_no = canonical_combining_class(c) == 0 && is_nfc_quick(std::iter::once(c)) == IsNormalized::No;
            assert!(
                !unstable || starter_no || is_extend(c),
                "U+{:04X} can interact with the cluster before it",
                c as u32
            );
        }
        // What a ZWJ joins must be NFC-inert: not decomposed, and composing with no mark.
        let marks: Vec<char> = (0..=0x10FFFFu32)
            .filter_map(char::from_u32)
            .filter(|&m| is_combining_mark(m))
            .collect();
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32).filter(|&c| is_pictographic(c)) {
            let mut decomposed = Vec::new();
            decompose_canonical(c, |d| decomposed.push(d));
            assert_eq!(decomposed, [c], "U+{:04X} decomposes", c as u32);
            assert!(is_nfc_quick(std::iter::once(c)) == IsNormalized::Yes, "U+{:04X}", c as u32);
            assert!(marks.iter().all(|&m| compose(c, m).is_none()), "U+{:04X} composes", c as u32);
        }
    }
}
