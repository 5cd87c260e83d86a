//! The GSM 03.38 default alphabet: basic table plus the escape-prefixed extension table.

use std::collections::HashSet;

use super::split::gsm7_total;

/// Septets per ASCII char: 1 basic table, 2 extension table, 0 not GSM-7.
pub(super) const ASCII_SEPTETS: [u8; 128] = {
    let mut t = [0u8; 128];
    let mut i = 0x20;
    while i < 0x7F {
        t[i] = 1;
        i += 1;
    }
    t[b'\n' as usize] = 1;
    t[b'\r' as usize] = 1;
    t[0x0C] = 2; // form feed
    t[b'`' as usize] = 0; // the only printable ASCII char in neither table
    let ext = *b"^{}\\[~]|";
    let mut j = 0;
    while j < ext.len() {
        t[ext[j] as usize] = 2;
        j += 1;
    }
    t
};

/// Septets `c` costs in GSM-7: `Some(1)` basic table, `Some(2)` extension table (escape + code),
/// `None` not representable. ESC (U+001B) itself is not a user character, so it is `None`.
#[inline]
pub fn gsm7_septets(c: char) -> Option<u8> {
    let cp = c as u32;
    if cp < 0x80 {
        match ASCII_SEPTETS[cp as usize] {
            0 => None,
            n => Some(n),
        }
    } else {
        match c {
            '£' | '¥' | 'è' | 'é' | 'ù' | 'ì' | 'ò' | 'Ç' | 'Ø' | 'ø' | 'Å' | 'å' | 'Δ' | 'Φ' | 'Γ' | 'Λ' | 'Ω' | 'Π' | 'Ψ' | 'Σ' | 'Θ'
            | 'Ξ' | 'Æ' | 'æ' | 'ß' | 'É' | '¤' | '¡' | 'Ä' | 'Ö' | 'Ñ' | 'Ü' | '§' | '¿' | 'ä' | 'ö' | 'ñ' | 'ü' | 'à' => {
                Some(1)
            }
            '€' => Some(2),
            _ => None,
        }
    }
}

/// Whether every char of `text` is in the GSM-7 basic or extension table.
pub fn is_gsm7(text: &str) -> bool {
    gsm7_total(text).is_some()
}

/// Distinct chars of `text` that are not GSM-7, in first-occurrence order.
pub fn non_gsm_chars(text: &str) -> Vec<String> {
    // A bit per BMP char (8 KiB, made on first use) is much cheaper than hashing every char.
    let mut bmp: Vec<u64> = Vec::new();
    let mut astral = HashSet::new();
    let mut found = Vec::new();
    for c in text.chars().filter(|&c| gsm7_septets(c).is_none()) {
        let cp = c as u32;
        let new = if cp < 0x10000 {
            if bmp.is_empty() {
                bmp = vec![0; 0x10000 / 64];
            }
            let bit = 1u64 << (cp % 64);
            bmp.get_mut((cp / 64) as usize).is_some_and(|word| {
                let new = *word & bit == 0;
                *word |= bit;
                new
            })
        } else {
            astral.insert(c)
        };
        if new {
            found.push(c.to_string());
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::fixtures::*;
    use crate::text::*;

    #[test]
    fn tables_have_the_standard_sizes() {
        assert_eq!(BASIC.chars().count(), 128);
        assert_eq!(EXTENSION.chars().count(), 10);
    }

    #[test]
    fn gsm7_septets_matches_the_tables_for_every_char() {
        let basic: HashSet<char> = BASIC.chars().filter(|&c| c != '\u{1B}').collect();
        let ext: HashSet<char> = EXTENSION.chars().collect();
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            let expected = if ext.contains(&c) {
                Some(2)
            } else if basic.contains(&c) {
                Some(1)
            } else {
                None
            };
            assert_eq!(gsm7_septets(c), expected, "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn latin_letters_in_and_out_of_the_table() {
        for c in "ÇèéùìòÉàÄÖÑÜäöñüÅåÆæØøß".chars() {
            assert_eq!(gsm7_septets(c), Some(1), "{c}");
        }
        for c in "çÈÀÙÌÒÊêÁáíóúÂâ`".chars() {
            assert_eq!(gsm7_septets(c), None, "{c}");
        }
        assert_eq!(gsm7_septets('\u{1B}'), None, "ESC is not a user character");
        assert!(!is_gsm7("Ça va? À bientôt"));
        assert!(is_gsm7("Ça va, à demain"));
    }

    #[test]
    fn every_extension_char_costs_two() {
        for c in EXTENSION.chars() {
            let a = off(&c.to_string());
            assert_eq!((a.encoding, a.units), (Encoding::Gsm7, 2), "U+{:04X}", c as u32);
        }
        assert_eq!(off("a{b}€").units, 8);
    }

    #[test]
    fn greek_capitals() {
        for c in GREEK_IN_GSM.chars() {
            assert_eq!(gsm7_septets(c), Some(1), "{c}");
        }
        for c in "ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ".chars() {
            assert_eq!(gsm7_septets(c), None, "{c}");
        }
        let a = off("ΑΒ");
        assert_eq!(a.encoding, Encoding::Ucs2);
        assert_eq!(a.non_gsm, ["Α", "Β"]);
        assert_eq!(full_text("ΑΒΓΔ"), "ABΓΔ");
        assert_eq!(full_text("αβγδεζηθικλμνξοπρσςτυφχψω"), "ABΓΔEZHΘIKΛMNΞOΠPΣΣTYΦXΨΩ");
        assert_eq!(full_text("Ελληνικά"), "EΛΛHNIKA");
    }

    #[test]
    fn non_gsm_is_distinct_in_first_occurrence_order() {
        assert_eq!(off("😀a😀жbж").non_gsm, ["😀", "ж"]);
        assert!(off("plain").non_gsm.is_empty());
    }
}
