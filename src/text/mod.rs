//! The SMS text engine: the GSM 03.38 default alphabet (3GPP TS 23.038 §6.2.1, basic table plus the
//! escape-prefixed extension table, no national shift tables), choosing GSM-7 or UCS-2, counting units
//! (septets or UTF-16 code units), splitting into concatenated-SMS parts, and the autoconvert modes
//! (`off`, `on` with the key's own table, `full` transliteration to GSM-7).
//!
//! Everything here is pure: no I/O, and no input makes it panic.
//!
//! Choices worth knowing:
//! - Parts are cut between chars (never inside an escape pair or surrogate pair) but may cut inside
//!   a grapheme cluster, as carriers and gateways count; the receiving phone joins parts before display.
//! - `full` maps `ç` to `Ç` (0x09 is capital Ç; there is no small ç), works per grapheme cluster so an
//!   emoji sequence becomes one `?`, and does not report changes made by NFC alone.
//! - [`Analysis::non_gsm`] lists single chars (so a ZWJ sequence shows its parts, ZWJ included).

mod alphabet;
mod clusters;
mod full;
mod split;
mod table;
mod transliteration;

pub use alphabet::{gsm7_septets, is_gsm7, non_gsm_chars};
pub use split::{count_units, split};
pub use table::{
    ACCOUNT_ENTRY_MAX, AccountTable, ReplaceTable, Replacements, TableSource, validate_account_replacement, validate_replacement,
};

/// Septets in a single-part GSM-7 message.
pub const GSM7_SINGLE: usize = 160;
/// Septets per part of a multi-part GSM-7 message (the UDH takes the rest).
pub const GSM7_PART: usize = 153;
/// UTF-16 code units in a single-part UCS-2 message.
pub const UCS2_SINGLE: usize = 70;
/// UTF-16 code units per part of a multi-part UCS-2 message.
pub const UCS2_PART: usize = 67;

/// How a key rewrites message text before sending.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AutoConvert {
    /// Text is sent as given.
    Off,
    /// The built-in default, as the provider's: the replacement table is applied: the account's entries (words allowed), with the
    /// key's own [`ReplaceTable`] overriding them ([`Replacements`]).
    #[default]
    On,
    /// Everything is transliterated to GSM-7 (see [`apply`]).
    Full,
}

impl AutoConvert {
    pub fn as_str(self) -> &'static str {
        match self {
            AutoConvert::Off => "off",
            AutoConvert::On => "on",
            AutoConvert::Full => "full",
        }
    }
}

impl std::str::FromStr for AutoConvert {
    type Err = String;

    /// Accepts `off`, `on`, `full`, and `false`/`true` as `off`/`on`, in any case.
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "off" | "false" => Ok(AutoConvert::Off),
            "on" | "true" => Ok(AutoConvert::On),
            "full" => Ok(AutoConvert::Full),
            _ => Err(format!("invalid autoconvert mode '{s}': expected off, on or full")),
        }
    }
}

impl std::fmt::Display for AutoConvert {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The data coding a message needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, serde::Serialize)]
pub enum Encoding {
    #[default]
    #[serde(rename = "GSM-7")]
    Gsm7,
    #[serde(rename = "UCS-2")]
    Ucs2,
}

impl Encoding {
    pub fn as_str(self) -> &'static str {
        match self {
            Encoding::Gsm7 => "GSM-7",
            Encoding::Ucs2 => "UCS-2",
        }
    }

    /// What this encoding's units are, as people read them next to a count: `160 septets`.
    pub fn unit_label(self) -> &'static str {
        match self {
            Encoding::Gsm7 => "septets",
            Encoding::Ucs2 => "UTF-16 units",
        }
    }

    /// Units that fit in a message sent as one part.
    pub fn single_limit(self) -> usize {
        match self {
            Encoding::Gsm7 => GSM7_SINGLE,
            Encoding::Ucs2 => UCS2_SINGLE,
        }
    }

    /// Units that fit in each part of a multi-part message.
    pub fn part_limit(self) -> usize {
        match self {
            Encoding::Gsm7 => GSM7_PART,
            Encoding::Ucs2 => UCS2_PART,
        }
    }

    /// Units `c` costs in this encoding (`None`: `c` cannot be sent as GSM-7).
    pub fn units_of(self, c: char) -> Option<usize> {
        match self {
            Encoding::Gsm7 => gsm7_septets(c).map(usize::from),
            Encoding::Ucs2 => Some(c.len_utf16()),
        }
    }
}

impl std::fmt::Display for Encoding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One SMS of a (possibly concatenated) message.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Part {
    pub units: usize,
    pub text: String,
}

/// One distinct (from, to) rewrite made by [`apply`].
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Replacement {
    pub from: String,
    pub to: String,
    /// Which table the entry came from (`on` mode); absent for `full` mode's rewrites.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<TableSource>,
}

/// What sending a text would look like.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Analysis {
    /// The text after replacement.
    pub text: String,
    pub encoding: Encoding,
    /// Septets (GSM-7) or UTF-16 code units (UCS-2) of the whole text.
    pub units: usize,
    /// `parts.len()`.
    pub segments: usize,
    pub parts: Vec<Part>,
    /// Distinct rewrites, in first-occurrence order.
    pub replaced: Vec<Replacement>,
    /// Distinct chars of `text` that forced UCS-2, in first-occurrence order; empty for GSM-7.
    pub non_gsm: Vec<String>,
}

/// Rewrites `text` for `mode`; returns the new text and the distinct rewrites made.
///
/// - `off`: unchanged.
/// - `on`: each char that is a key of `table` becomes its value; identity entries are not reported.
/// - `full`: NFC first, then every char not in GSM-7 is transliterated (typographic punctuation,
///   spaces, diacritics, lookalike letters) or becomes `?`; the result is always GSM-7. Work is done
///   per grapheme cluster (approximated: a base char plus combining marks, variation selectors, skin
///   tone modifiers, ZWJ-joined chars, tag chars; a regional-indicator pair), so an emoji with its
///   modifiers or a ZWJ family is one `?` and is reported as one replacement of the whole cluster.
///   Changes made by NFC alone (`e` + U+0301 → `é`) are not reported.
pub fn apply(text: &str, mode: AutoConvert, table: &ReplaceTable) -> (String, Vec<Replacement>) {
    apply_with(text, mode, &Replacements::key_only(table))
}

/// [`apply`] with the whole `on`-mode table (the account's and the key's entries).
pub fn apply_with(text: &str, mode: AutoConvert, table: &Replacements) -> (String, Vec<Replacement>) {
    match mode {
        AutoConvert::Off => (text.to_owned(), Vec::new()),
        AutoConvert::On => table::apply_table(text, table),
        AutoConvert::Full => full::apply_full(text),
    }
}

/// [`apply`], then encoding choice, unit count and split, all on the replaced text.
pub fn analyze(text: &str, mode: AutoConvert, table: &ReplaceTable) -> Analysis {
    analyze_with(text, mode, &Replacements::key_only(table))
}

/// [`analyze`] with the whole `on`-mode table (the account's and the key's entries).
pub fn analyze_with(text: &str, mode: AutoConvert, table: &Replacements) -> Analysis {
    let (text, replaced) = apply_with(text, mode, table);
    let (encoding, units, parts) = split(&text);
    let non_gsm = match encoding {
        Encoding::Gsm7 => Vec::new(),
        Encoding::Ucs2 => non_gsm_chars(&text),
    };
    Analysis {
        segments: parts.len(),
        text,
        encoding,
        units,
        parts,
        replaced,
        non_gsm,
    }
}

/// Fixtures the tests of every part of the engine share.
#[cfg(test)]
pub(crate) mod fixtures {
    use super::*;

    /// GSM 03.38 basic table in code order 0x00..=0x7F (0x1B is ESC).
    pub(crate) const BASIC: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u{1B}ÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?\
                         ¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    pub(crate) const EXTENSION: &str = "\u{C}^{}\\[~]|€";
    pub(crate) const GREEK_IN_GSM: &str = "ΔΦΓΛΩΠΨΣΘΞ";

    pub(crate) fn none() -> ReplaceTable {
        ReplaceTable::new()
    }

    pub(crate) fn off(text: &str) -> Analysis {
        analyze(text, AutoConvert::Off, &none())
    }

    pub(crate) fn full(text: &str) -> Analysis {
        analyze(text, AutoConvert::Full, &none())
    }

    pub(crate) fn full_text(text: &str) -> String {
        apply(text, AutoConvert::Full, &none()).0
    }

    pub(crate) fn units(a: &Analysis) -> Vec<usize> {
        a.parts.iter().map(|p| p.units).collect()
    }

    pub(crate) fn rep(from: &str, to: &str) -> Replacement {
        Replacement {
            from: from.to_owned(),
            to: to.to_owned(),
            source: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_convert_from_str_and_display() {
        for (s, mode) in [
            ("off", AutoConvert::Off),
            ("OFF", AutoConvert::Off),
            ("false", AutoConvert::Off),
            ("on", AutoConvert::On),
            ("True", AutoConvert::On),
            ("full", AutoConvert::Full),
            ("Full", AutoConvert::Full),
        ] {
            assert_eq!(s.parse::<AutoConvert>(), Ok(mode), "{s}");
        }
        assert_eq!(
            "yes".parse::<AutoConvert>(),
            Err("invalid autoconvert mode 'yes': expected off, on or full".to_owned())
        );
        assert!("".parse::<AutoConvert>().is_err());
        for mode in [AutoConvert::Off, AutoConvert::On, AutoConvert::Full] {
            assert_eq!(mode.to_string(), mode.as_str());
            assert_eq!(mode.as_str().parse::<AutoConvert>(), Ok(mode));
        }
        assert_eq!(AutoConvert::default(), AutoConvert::On);
    }

    #[test]
    fn auto_convert_deserializes_lowercase() {
        use serde::Deserialize;
        use serde::de::IntoDeserializer;
        use serde::de::value::{Error, StrDeserializer};
        let de = |s: &'static str| AutoConvert::deserialize::<StrDeserializer<Error>>(s.into_deserializer());
        assert_eq!(de("full").ok(), Some(AutoConvert::Full));
        assert!(de("Full").is_err());
    }

    #[test]
    fn encoding_names_and_limits() {
        assert_eq!(Encoding::Gsm7.as_str(), "GSM-7");
        assert_eq!(Encoding::Ucs2.to_string(), "UCS-2");
        assert_eq!((Encoding::Gsm7.single_limit(), Encoding::Gsm7.part_limit()), (160, 153));
        assert_eq!((Encoding::Ucs2.single_limit(), Encoding::Ucs2.part_limit()), (70, 67));
        assert_eq!(
            (Encoding::Gsm7.unit_label(), Encoding::Ucs2.unit_label()),
            ("septets", "UTF-16 units")
        );
    }

    mod props {
        use std::collections::HashSet;

        use super::super::*;
        use proptest::prelude::*;
        use proptest::test_runner::TestCaseError;

        /// Chars weighted towards GSM-7 (so texts cross the 153/160 boundaries), with extension
        /// chars, astral emoji, extenders and arbitrary chars mixed in.
        fn sms_char() -> impl Strategy<Value = char> {
            let ascii: Vec<char> = (' '..='~').filter(|&c| gsm7_septets(c) == Some(1)).chain(['\n', '\r']).collect();
            prop_oneof![
                12 => proptest::sample::select(ascii),
                3 => proptest::sample::select("\u{C}^{}\\[~]|€".chars().collect::<Vec<_>>()),
                2 => proptest::sample::select("éÇΔßüÅ".chars().collect::<Vec<_>>()),
                2 => proptest::sample::select(
                    "😀👍👨👩\u{1F3FD}\u{200D}\u{FE0F}\u{301}\u{323}\u{20E3}🇫🇷çжΑα’…\u{A0}\u{1B}Łǘ\t`中\u{1100}\u{1161}\u{11A8}\u{2126}"
                        .chars()
                        .collect::<Vec<_>>()
                ),
                1 => any::<char>(),
            ]
        }

        fn sms_text() -> impl Strategy<Value = String> {
            proptest::collection::vec(sms_char(), 0..480).prop_map(String::from_iter)
        }

        fn gsm_text() -> impl Strategy<Value = String> {
            let gsm: Vec<char> = (0..=0xFFFFu32)
                .filter_map(char::from_u32)
                .filter(|&c| gsm7_septets(c).is_some())
                .collect();
            proptest::collection::vec(proptest::sample::select(gsm), 0..480).prop_map(String::from_iter)
        }

        fn mode() -> impl Strategy<Value = AutoConvert> {
            prop_oneof![Just(AutoConvert::Off), Just(AutoConvert::On), Just(AutoConvert::Full)]
        }

        fn table() -> impl Strategy<Value = ReplaceTable> {
            proptest::collection::btree_map(
                sms_char(),
                proptest::collection::vec(sms_char(), 0..5).prop_map(String::from_iter),
                0..6,
            )
        }

        fn check(a: &Analysis) -> Result<(), TestCaseError> {
            let joined: String = a.parts.iter().map(|p| p.text.as_str()).collect();
            prop_assert_eq!(&joined, &a.text);
            prop_assert_eq!(a.segments, a.parts.len());
            prop_assert!(a.segments >= 1);

            let all_gsm = a.text.chars().all(|c| gsm7_septets(c).is_some());
            prop_assert_eq!(a.encoding == Encoding::Gsm7, all_gsm);
            prop_assert_eq!(is_gsm7(&a.text), all_gsm);

            let width = |c: char| a.encoding.units_of(c).unwrap_or(usize::MAX);
            let expected: usize = a.text.chars().map(width).sum();
            prop_assert_eq!(a.units, expected);
            prop_assert_eq!(a.units, a.parts.iter().map(|p| p.units).sum::<usize>());
            for p in &a.parts {
                prop_assert_eq!(p.units, p.text.chars().map(width).sum::<usize>());
            }

            if a.parts.len() == 1 {
                prop_assert!(a.units <= a.encoding.single_limit());
            } else {
                prop_assert!(a.units > a.encoding.single_limit());
                let limit = a.encoding.part_limit();
                for (p, next) in a.parts.iter().zip(a.parts.iter().skip(1)) {
                    prop_assert!(p.units <= limit && !p.text.is_empty());
                    // Greedy: the next part's first char did not fit.
                    let first = next.text.chars().next().map(width).unwrap_or(0);
                    prop_assert!(p.units + first > limit);
                }
                prop_assert!(a.parts.last().is_some_and(|p| p.units <= limit && !p.text.is_empty()));
            }

            let mut expected_non_gsm: Vec<String> = Vec::new();
            for c in a.text.chars().filter(|&c| gsm7_septets(c).is_none()) {
                if !expected_non_gsm.iter().any(|s| s.chars().eq([c])) {
                    expected_non_gsm.push(c.to_string());
                }
            }
            prop_assert_eq!(&a.non_gsm, &expected_non_gsm);

            let mut pairs = HashSet::new();
            for r in &a.replaced {
                prop_assert!(r.from != r.to);
                prop_assert!(pairs.insert((r.from.clone(), r.to.clone())), "duplicate {:?}", r);
            }
            Ok(())
        }

        proptest! {
            #[test]
            fn invariants_on_sms_like_text(text in sms_text(), mode in mode(), table in table()) {
                check(&analyze(&text, mode, &table))?;
            }

            #[test]
            fn invariants_on_gsm_text(text in gsm_text()) {
                let a = analyze(&text, AutoConvert::Off, &ReplaceTable::new());
                prop_assert_eq!(a.encoding, Encoding::Gsm7);
                check(&a)?;
            }

            #[test]
            fn never_panics_on_arbitrary_strings(text in any::<String>(), mode in mode(), table in table()) {
                check(&analyze(&text, mode, &table))?;
            }

            #[test]
            fn full_output_is_always_gsm7(text in prop_oneof![any::<String>(), sms_text()]) {
                let (out, replaced) = apply(&text, AutoConvert::Full, &ReplaceTable::new());
                prop_assert!(is_gsm7(&out), "{:?} -> {:?}", text, out);
                for r in &replaced {
                    prop_assert!(is_gsm7(&r.to));
                }
                // Idempotent: GSM-7 text is NFC and has nothing to rewrite.
                prop_assert_eq!(apply(&out, AutoConvert::Full, &ReplaceTable::new()), (out.clone(), vec![]));
            }

            #[test]
            fn full_equals_full_of_nfc(text in prop_oneof![any::<String>(), sms_text()]) {
                use unicode_normalization::UnicodeNormalization;
                let whole: String = text.nfc().collect();
                let none = ReplaceTable::new();
                prop_assert_eq!(apply(&text, AutoConvert::Full, &none), apply(&whole, AutoConvert::Full, &none));
            }

            #[test]
            fn full_keeps_gsm_text(text in gsm_text()) {
                prop_assert_eq!(apply(&text, AutoConvert::Full, &ReplaceTable::new()), (text.clone(), vec![]));
            }

            #[test]
            fn on_mode_rewrites_table_keys_only(text in sms_text(), table in table()) {
                let (out, _) = apply(&text, AutoConvert::On, &table);
                let expected: String = text.chars().map(|c| table.get(&c).cloned().unwrap_or_else(|| c.to_string())).collect();
                prop_assert_eq!(out, expected);
            }
        }
    }
}
