//! `full` mode: NFC, keep GSM-7, transliterate or `?` the rest, cluster by cluster.

use std::collections::HashSet;

use unicode_normalization::char::{compose, decompose_canonical, decompose_compatible, is_combining_mark};
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

use super::Replacement;
use super::alphabet::{ASCII_SEPTETS, gsm7_septets, is_gsm7};
use super::clusters::{ZWJ, cluster_at, is_extend};
use super::transliteration::transliterate;

/// `full` mode works cluster by cluster. Clusters only break before an NFC starter that cannot
/// combine with what precedes it (a unit test checks this over all of Unicode), so normalising each
/// cluster on its own equals normalising the whole text, and unchanged text is copied only once.
pub(super) fn apply_full(text: &str) -> (String, Vec<Replacement>) {
    let bytes = text.as_bytes();
    let mut st = FullState::default();
    // Runs of unchanged text are copied lazily, from `flushed` up to the next rewritten cluster.
    let mut flushed = 0;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        // ASCII GSM-7 char not followed by a non-ASCII char (which might extend it): kept as is.
        if b < 0x80 && ASCII_SEPTETS[b as usize] != 0 && bytes.get(i + 1).is_none_or(|&n| n < 0x80) {
            i += 1;
            continue;
        }
        let Some((end, base)) = cluster_at(text, i) else { break };
        let single = end - i == base.len_utf8();
        // GSM-7 chars are NFC starters with quick-check Yes: a lone one is final as it is.
        if single && gsm7_septets(base).is_some() {
            i = end;
            continue;
        }
        if st.out.capacity() == 0 {
            st.out.reserve(text.len());
        }
        st.out.push_str(text.get(flushed..i).unwrap_or_default());
        let raw = text.get(i..end).unwrap_or_default();
        if single {
            st.push_char(base, raw);
        } else {
            st.push_cluster(raw);
        }
        flushed = end;
        i = end;
    }
    if flushed == 0 {
        return (text.to_owned(), st.replaced);
    }
    st.out.push_str(text.get(flushed..).unwrap_or_default());
    (st.out, st.replaced)
}

const CACHE_SLOTS: usize = 1024;
const CACHE_EMPTY: (u32, u32, u32) = (u32::MAX, 0, 0);
/// Past this the arena is dropped with the cache, so adversarial input cannot grow it unboundedly.
const ARENA_MAX: usize = 1 << 16;

#[derive(Default)]
struct FullState {
    out: String,
    replaced: Vec<Replacement>,
    /// NFC `from` of every reported replacement (the output is a function of it).
    reported: HashSet<String>,
    /// Direct-mapped cache of lone non-GSM chars: (char, start, len) of its output in `arena`.
    /// Saves the normalisation and decomposition work for chars that repeat (most of them).
    cache: Vec<(u32, u32, u32)>,
    arena: String,
    scratch: String,
}

impl FullState {
    fn push_char(&mut self, c: char, raw: &str) {
        if self.cache.is_empty() {
            self.cache = vec![CACHE_EMPTY; CACHE_SLOTS];
        }
        let slot = ((c as u32).wrapping_mul(0x9E37_79B1) >> 22) as usize % CACHE_SLOTS;
        if let Some(&(key, start, len)) = self.cache.get(slot) {
            if key == c as u32 {
                let (start, len) = (start as usize, len as usize);
                self.out.push_str(self.arena.get(start..start + len).unwrap_or_default());
                return;
            }
        }
        let mark = self.out.len();
        self.push_cluster(raw);
        if self.arena.len() > ARENA_MAX {
            self.arena.clear();
            self.cache.fill(CACHE_EMPTY);
        }
        let start = self.arena.len();
        self.arena.push_str(self.out.get(mark..).unwrap_or_default());
        if let Some(entry) = self.cache.get_mut(slot) {
            // Both fit: the arena is kept under ARENA_MAX plus one output.
            *entry = (c as u32, start as u32, (self.arena.len() - start) as u32);
        }
    }

    fn push_cluster(&mut self, raw: &str) {
        let FullState {
            out,
            replaced,
            reported,
            scratch,
            ..
        } = self;
        let from: &str = if is_nfc_quick(raw.chars()) == IsNormalized::Yes {
            raw
        } else {
            scratch.clear();
            scratch.extend(raw.nfc());
            scratch
        };
        // NFC alone made it GSM-7 (`e` + U+0301 -> `é`): not reported.
        if is_gsm7(from) {
            out.push_str(from);
            return;
        }
        let mark = out.len();
        map_cluster(from, out);
        let to = out.get(mark..).unwrap_or_default();
        if to != from && !reported.contains(from) {
            reported.insert(from.to_owned());
            replaced.push(Replacement {
                from: from.to_owned(),
                to: to.to_owned(),
                source: None,
            });
        }
    }
}

/// Writes the GSM-7 form of one cluster: the base char mapped, extenders dropped, a char joined by
/// ZWJ mapped too unless both it and what came before became `?` (one `?` per emoji sequence).
fn map_cluster(cluster: &str, out: &mut String) {
    let mut chars = cluster.chars();
    let Some(base) = chars.next() else { return };
    let mut unknown = map_char(base, out);
    let mut after_zwj = base == ZWJ;
    for c in chars {
        if c == ZWJ {
            after_zwj = true;
            continue;
        }
        if after_zwj && !is_extend(c) {
            let mark = out.len();
            if map_char(c, out) {
                if unknown {
                    out.truncate(mark);
                }
                unknown = true;
            }
        }
        after_zwj = false;
    }
}

/// Writes the GSM-7 form of `c`; returns true when that is the `?` of last resort.
fn map_char(c: char, out: &mut String) -> bool {
    if push_simple(c, out) {
        return false;
    }
    if is_combining_mark(c) {
        return false;
    }
    if decompose_into(c, false, out) || decompose_into(c, true, out) {
        return false;
    }
    out.push('?');
    true
}

/// Pushes `c` if it is GSM-7, or its explicit transliteration if it has one.
fn push_simple(c: char, out: &mut String) -> bool {
    if gsm7_septets(c).is_some() {
        out.push(c);
        true
    } else if let Some(to) = transliterate(c) {
        out.push_str(to);
        true
    } else {
        false
    }
}

/// Canonical (or compatibility) decomposition of `c`, combining marks dropped, each remaining char
/// GSM-7 or explicitly mapped. Before dropping marks, base + first mark is recomposed, so e.g.
/// `ǘ` (u + diaeresis + acute) gives the GSM-7 `ü` rather than `u`.
fn decompose_into(c: char, compat: bool, out: &mut String) -> bool {
    // The longest decomposition in Unicode is 18 chars (U+FDFA).
    let mut buf = ['\0'; 24];
    let mut n = 0;
    let mut overflow = false;
    let sink = |d: char| match buf.get_mut(n) {
        Some(slot) => {
            *slot = d;
            n += 1;
        }
        None => overflow = true,
    };
    if compat {
        decompose_compatible(c, sink);
    } else {
        decompose_canonical(c, sink);
    }
    let parts = buf.get(..n).unwrap_or_default();
    if overflow || parts.is_empty() || parts == [c] {
        return false;
    }
    if let [base, mark, ..] = *parts {
        if is_combining_mark(mark) {
            if let Some(x) = compose(base, mark) {
                if x != c && push_simple(x, out) {
                    return true;
                }
            }
        }
    }
    let start = out.len();
    for &d in parts {
        if is_combining_mark(d) {
            continue;
        }
        if !push_simple(d, out) {
            out.truncate(start);
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use crate::text::fixtures::*;
    use crate::text::*;

    #[test]
    fn nfc_vs_nfd_in_full_mode() {
        let a = off("e\u{301}");
        assert_eq!(a.encoding, Encoding::Ucs2);
        assert_eq!(a.non_gsm, ["\u{301}"]);
        let a = full("e\u{301}");
        assert_eq!((a.text.as_str(), a.encoding, a.units), ("é", Encoding::Gsm7, 1));
        assert!(a.replaced.is_empty(), "NFC alone is not reported");
        // NFD of a letter not in GSM-7 loses its mark.
        assert_eq!(full_text("a\u{302}"), "a");
        // A mark with no precomposed form is dropped; a standalone one too.
        assert_eq!(full_text("q\u{301}"), "q");
        assert_eq!(full_text("\u{301}abc"), "abc");
        assert_eq!(full_text("x\n\u{301}"), "x\n");
    }

    #[test]
    fn full_mode_diacritics() {
        assert_eq!(full_text("Crème brûlée à la française"), "Crème brulée à la franÇaise");
        assert_eq!(full_text("Łódź, Kraków, Gdańsk, Zürich"), "Lodz, Krakow, Gdansk, Zürich");
        assert_eq!(full_text("ÀÈÌÒÙ àèìòù"), "AEIOU àèìòù");
        assert_eq!(full_text("Çç"), "ÇÇ");
        assert_eq!(full_text("İstanbul ışık"), "Istanbul isik");
        assert_eq!(full_text("ǘ ǻ Ǻ ḉ"), "ü å Å Ç");
        assert_eq!(full_text("Tiếng Việt"), "Tieng Viet");
        assert_eq!(full_text("đ Đ ħ œ Œ þ ð ŀ ø ß ẞ"), "d D h oe OE th d l ø ß SS");
        assert_eq!(full_text("ﬁ ½ ² ｆｕｌｌ"), "fi 1/2 2 full");
        assert_eq!(full_text("5 µg"), "5 ug");
    }

    #[test]
    fn full_mode_punctuation_and_spaces() {
        assert_eq!(full_text("‘a’ ‚b‛ “c” „d‟ ′ ″ «e» ‹f›"), "'a' 'b' \"c\" \"d\" ' \" \"e\" 'f'");
        assert_eq!(full_text("a‐b‑c‒d–e—f―g−h"), "a-b-c-d-e-f-g-h");
        assert_eq!(full_text("wait…"), "wait...");
        assert_eq!(full_text("a\u{A0}b\u{2003}c\u{202F}d\u{205F}e\u{3000}f\tg"), "a b c d e f g");
        assert_eq!(full_text("a\u{200B}b\u{200C}c\u{200D}d\u{FEFF}e\u{2060}f\u{AD}g"), "abcdefg");
        assert_eq!(full_text("• one ‣ two ∙ three · four"), "- one - two - three - four");
        assert_eq!(full_text("© ® ™ 2×3 6÷2 5¢ 10€ £ $"), "(c) (R) TM 2x3 6/2 5c 10€ £ $");
        assert_eq!(full_text("line\u{2028}next"), "line\nnext");
    }

    #[test]
    fn full_mode_unknown_and_emoji() {
        assert_eq!(full_text("Привет 你好"), "?????? ??");
        assert_eq!(full_text("ok 👍"), "ok ?");
        assert_eq!(full_text("👍🏽"), "?", "skin tone modifier is part of the emoji");
        assert_eq!(full_text("❤️"), "?", "variation selector dropped");
        assert_eq!(full_text("🇫🇷🇩🇪"), "??", "one ? per flag");
        assert_eq!(full_text("1️⃣"), "1", "keycap: VS and enclosing mark dropped");
        assert_eq!(full_text("a\u{1B}b"), "a?b", "ESC is not passed through");
    }

    #[test]
    fn zwj_family_off_and_full() {
        let family = "👨\u{200D}👩\u{200D}👧";
        let a = off(family);
        assert_eq!((a.encoding, a.units, a.segments), (Encoding::Ucs2, 8, 1));
        assert_eq!(a.non_gsm, ["👨", "\u{200D}", "👩", "👧"]);
        let a = full(&format!("hi {family}!"));
        assert_eq!((a.text.as_str(), a.encoding, a.units), ("hi ?!", Encoding::Gsm7, 5));
        assert_eq!(a.replaced, [rep(family, "?")]);
        assert!(a.non_gsm.is_empty());
    }

    #[test]
    fn full_mode_reports_distinct_pairs_in_order() {
        let a = full("“a” “b” ç ç 😀 😀");
        assert_eq!(a.text, "\"a\" \"b\" Ç Ç ? ?");
        assert_eq!(a.replaced, [rep("“", "\""), rep("”", "\""), rep("ç", "Ç"), rep("😀", "?")]);
        assert!(full("already GSM: é € {}").replaced.is_empty());
    }

    #[test]
    fn full_mode_keeps_every_gsm_char() {
        let all: String = BASIC.chars().filter(|&c| c != '\u{1B}').chain(EXTENSION.chars()).collect();
        let (text, replaced) = apply(&all, AutoConvert::Full, &none());
        assert_eq!(text, all);
        assert!(replaced.is_empty());
    }

    #[test]
    fn full_mode_normalises_per_cluster_like_whole_text() {
        use unicode_normalization::UnicodeNormalization;
        for text in [
            "e\u{301}\u{323}x",
            "\u{1100}\u{1161}\u{11A8}",
            "\u{2126}\u{301}",
            "a\n\u{301}\u{323}",
            "\u{958}\u{93C}",
            "Å\u{212B}",
        ] {
            let whole: String = text.nfc().collect();
            assert_eq!(full_text(text), full_text(&whole), "{text:?}");
        }
        assert_eq!(full_text("\u{2126}\u{212B}"), "ΩÅ", "singletons are NFC, not transliteration");
        assert!(full("\u{2126}").replaced.is_empty());
        assert_eq!(full_text("\u{1100}\u{1161}\u{11A8} 한"), "? ?", "one ? per Hangul syllable");
    }
}
