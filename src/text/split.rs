//! Counting units (septets or UTF-16 code units) and splitting into concatenated-SMS parts.

use super::alphabet::{ASCII_SEPTETS, gsm7_septets};
use super::{Encoding, GSM7_PART, Part, UCS2_PART};

/// The encoding `text` needs and its length in that encoding's units.
pub fn count_units(text: &str) -> (Encoding, usize) {
    match gsm7_total(text) {
        Some(septets) => (Encoding::Gsm7, septets),
        None => (Encoding::Ucs2, utf16_len(text)),
    }
}

/// Splits `text` into parts: one part up to the single-message limit, otherwise parts of at most
/// 153 septets / 67 units. An escape pair or surrogate pair is never split; each part is filled
/// greedily. Empty text is one empty part.
pub fn split(text: &str) -> (Encoding, usize, Vec<Part>) {
    let (encoding, units) = count_units(text);
    (encoding, units, split_counted(text, encoding, units))
}

/// Total septets, or `None` at the first char that is not GSM-7.
pub(super) fn gsm7_total(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut n = 0usize;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b < 0x80 {
            match ASCII_SEPTETS[b as usize] {
                0 => return None,
                w => n += w as usize,
            }
            i += 1;
        } else {
            let c = text.get(i..)?.chars().next()?;
            n += gsm7_septets(c)? as usize;
            i += c.len_utf8();
        }
    }
    Some(n)
}

/// UTF-16 code units: one per UTF-8 lead byte, two for 4-byte sequences (astral chars).
fn utf16_len(text: &str) -> usize {
    text.bytes().map(|b| usize::from(b & 0xC0 != 0x80) + usize::from(b >= 0xF0)).sum()
}

/// Septets of the char whose UTF-8 encoding starts with `b`, for text already known to be GSM-7;
/// 0 for continuation bytes. € is the only 3-byte GSM-7 char and there are no 4-byte ones.
#[inline]
fn gsm7_lead_width(b: u8) -> usize {
    match b {
        0x00..=0x7F => ASCII_SEPTETS[b as usize] as usize,
        0x80..=0xBF => 0,
        0xC0..=0xDF => 1,
        _ => 2,
    }
}

/// UTF-16 units of the char whose UTF-8 encoding starts with `b`; 0 for continuation bytes.
#[inline]
fn utf16_lead_width(b: u8) -> usize {
    match b {
        0x80..=0xBF => 0,
        0xF0..=0xFF => 2,
        _ => 1,
    }
}

fn split_counted(text: &str, encoding: Encoding, units: usize) -> Vec<Part> {
    if units <= encoding.single_limit() {
        return vec![Part {
            units,
            text: text.to_owned(),
        }];
    }
    match encoding {
        Encoding::Gsm7 => split_greedy(text, units, GSM7_PART, gsm7_lead_width),
        Encoding::Ucs2 => split_greedy(text, units, UCS2_PART, utf16_lead_width),
    }
}

/// Cuts by byte ranges: a char's whole width is charged at its lead byte, so a cut only ever falls
/// before a lead byte and never inside a char (escape pair or surrogate pair).
fn split_greedy(text: &str, units: usize, limit: usize, width: impl Fn(u8) -> usize) -> Vec<Part> {
    let mut parts = Vec::with_capacity(units / limit + 1);
    let (mut start, mut cur) = (0, 0);
    for (i, &b) in text.as_bytes().iter().enumerate() {
        let w = width(b);
        if cur + w > limit {
            parts.push(Part {
                units: cur,
                text: text.get(start..i).unwrap_or_default().to_owned(),
            });
            start = i;
            cur = 0;
        }
        cur += w;
    }
    parts.push(Part {
        units: cur,
        text: text.get(start..).unwrap_or_default().to_owned(),
    });
    parts
}

#[cfg(test)]
mod tests {
    use crate::text::fixtures::*;
    use crate::text::*;

    #[test]
    fn gsm7_single_part_boundary() {
        let a = off(&"a".repeat(159));
        assert_eq!((a.encoding, a.units, a.segments), (Encoding::Gsm7, 159, 1));
        let a = off(&"a".repeat(160));
        assert_eq!((a.units, a.segments), (160, 1));
        let a = off(&"a".repeat(161));
        assert_eq!((a.units, units(&a)), (161, vec![153, 8]));
    }

    #[test]
    fn gsm7_two_and_three_parts() {
        assert_eq!(units(&off(&"a".repeat(306))), [153, 153]);
        assert_eq!(units(&off(&"a".repeat(307))), [153, 153, 1]);
    }

    #[test]
    fn escape_pair_is_never_split() {
        let text = format!("{}€{}", "a".repeat(152), "b".repeat(10));
        let a = off(&text);
        assert_eq!(a.units, 164);
        assert_eq!(units(&a), [152, 12]);
        assert_eq!(a.parts[0].text, "a".repeat(152));
        assert!(a.parts[1].text.starts_with('€'));
        // Exactly fitting: 151 + 2 = 153 stays in the first part.
        let a = off(&format!("{}{{{}", "a".repeat(151), "b".repeat(10)));
        assert_eq!(units(&a), [153, 10]);
        assert!(a.parts[0].text.ends_with('{'));
    }

    #[test]
    fn ucs2_boundaries() {
        let a = off(&"ж".repeat(70));
        assert_eq!((a.encoding, a.units, a.segments), (Encoding::Ucs2, 70, 1));
        assert_eq!(units(&off(&"ж".repeat(71))), [67, 4]);
        assert_eq!(units(&off(&"ж".repeat(134))), [67, 67]);
        assert_eq!(units(&off(&"ж".repeat(135))), [67, 67, 1]);
    }

    #[test]
    fn surrogate_pair_is_never_split() {
        let text = format!("{}😀{}", "ж".repeat(66), "ж".repeat(5));
        let a = off(&text);
        assert_eq!(a.units, 73);
        assert_eq!(units(&a), [66, 7]);
        assert_eq!(a.parts[1].text, format!("😀{}", "ж".repeat(5)));
        // An emoji alone in a 70-unit text: 68 + 2 fits the single part.
        assert_eq!(off(&format!("{}😀", "ж".repeat(68))).segments, 1);
    }

    #[test]
    fn one_non_gsm_char_switches_the_whole_text() {
        let a = off(&format!("{}ç", "a".repeat(100)));
        assert_eq!((a.encoding, a.units, a.segments), (Encoding::Ucs2, 101, 2));
        assert_eq!(a.non_gsm, ["ç"]);
        let a = off("`code`");
        assert_eq!(a.encoding, Encoding::Ucs2, "backtick is not GSM-7");
    }

    #[test]
    fn crlf_counts_one_septet_each() {
        let a = off("a\r\nb");
        assert_eq!((a.encoding, a.units), (Encoding::Gsm7, 4));
        assert_eq!(full_text("a\r\nb"), "a\r\nb");
    }

    #[test]
    fn sixteen_hundred_chars() {
        assert_eq!(off(&"x".repeat(1600)).segments, 11);
        assert_eq!(off(&"ж".repeat(1600)).segments, 24);
        assert_eq!(off(&"€".repeat(1600)).segments, 22); // 3200 septets, 76 escape pairs per part
    }

    #[test]
    fn empty_text() {
        for mode in [AutoConvert::Off, AutoConvert::On, AutoConvert::Full] {
            let a = analyze("", mode, &none());
            assert_eq!(a.encoding, Encoding::Gsm7);
            assert_eq!((a.units, a.segments), (0, 1));
            assert_eq!(
                a.parts,
                [Part {
                    units: 0,
                    text: String::new()
                }]
            );
            assert!(a.replaced.is_empty() && a.non_gsm.is_empty());
        }
    }
}
