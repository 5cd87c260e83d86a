//! `on` mode: the replacement tables (the account's words and the key's characters) and their rules.

use std::collections::{BTreeMap, HashSet};

use unicode_normalization::UnicodeNormalization;

use super::Replacement;
use super::alphabet::gsm7_septets;

/// The key's own FROM -> TO table used in `on` mode. FROM is one char; TO is 0..=4 GSM-7 chars.
pub type ReplaceTable = BTreeMap<char, String>;

/// The account's (store-wide) replacement table: FROM may be a word, not only a character.
pub type AccountTable = BTreeMap<String, String>;

/// Where an entry of the table `on` mode applies came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TableSource {
    /// `smsctl replace ...`: the account's table.
    Account,
    /// `smsctl key replace KEY ...`: the key's own entries, which override the account's.
    Key,
}

impl TableSource {
    pub fn as_str(self) -> &'static str {
        match self {
            TableSource::Account => "account",
            TableSource::Key => "key",
        }
    }
}

/// The table `on` mode applies: the account's entries with the key's own entries overriding
/// any with the same FROM. Matching is leftmost-longest: at each position the longest FROM
/// that matches is replaced, then scanning continues after it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Replacements {
    /// Longest FROM first, so the first match at a position is the longest.
    entries: Vec<(String, String, TableSource)>,
}

impl Replacements {
    pub fn new(account: &AccountTable, key: &ReplaceTable) -> Replacements {
        let mut merged: BTreeMap<String, (String, TableSource)> = account
            .iter()
            .map(|(from, to)| (from.clone(), (to.clone(), TableSource::Account)))
            .collect();
        for (from, to) in key {
            merged.insert(from.to_string(), (to.clone(), TableSource::Key));
        }
        let mut entries: Vec<(String, String, TableSource)> = merged
            .into_iter()
            .filter(|(from, _)| !from.is_empty())
            .map(|(from, (to, source))| (from, to, source))
            .collect();
        entries.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
        Replacements { entries }
    }

    /// Only a key's own entries (no account table).
    pub fn key_only(key: &ReplaceTable) -> Replacements {
        Replacements::new(&AccountTable::new(), key)
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// Checks one entry of a key's replace table. Both sides are NFC-normalised first, so a FROM typed
/// as `e` + U+0301 is accepted as `é`. FROM must be exactly one char; TO 0 to 4 chars, all GSM-7.
pub fn validate_replacement(from: &str, to: &str) -> Result<(char, String), String> {
    let from_nfc: String = from.nfc().collect();
    let mut chars = from_nfc.chars();
    let c = match (chars.next(), chars.next()) {
        (Some(c), None) => c,
        (None, _) => return Err("FROM is empty: it must be exactly one character".to_owned()),
        (Some(_), Some(_)) => {
            return Err(format!(
                "FROM must be exactly one character, got {} ({from_nfc:?})",
                from_nfc.chars().count()
            ));
        }
    };
    let to: String = to.nfc().collect();
    check_replacement_to(&to, 4)?;
    Ok((c, to))
}

/// TO of a replacement: at most `max` characters, all GSM-7 (it must not force UCS-2 itself).
fn check_replacement_to(to: &str, max: usize) -> Result<(), String> {
    let len = to.chars().count();
    if len > max {
        return Err(format!("TO must be at most {max} characters, got {len} ({to:?})"));
    }
    if let Some(bad) = to.chars().find(|&c| gsm7_septets(c).is_none()) {
        return Err(format!(
            "TO must be GSM-7 text, but {bad:?} (U+{:04X}) is not in the GSM-7 alphabet",
            bad as u32
        ));
    }
    Ok(())
}

/// Longest FROM and TO of an account-table entry, in characters.
pub const ACCOUNT_ENTRY_MAX: usize = 32;

/// Checks one entry of the account's replacement table. Both sides are NFC-normalised. FROM is
/// 1-32 characters (a character or a word; no control characters); TO is 0-32 GSM-7 characters.
pub fn validate_account_replacement(from: &str, to: &str) -> Result<(String, String), String> {
    let from: String = from.nfc().collect();
    let to: String = to.nfc().collect();
    let len = from.chars().count();
    if len == 0 {
        return Err("FROM is empty: give a character or a word".to_owned());
    }
    if len > ACCOUNT_ENTRY_MAX {
        return Err(format!("FROM must be at most {ACCOUNT_ENTRY_MAX} characters, got {len}"));
    }
    if let Some(bad) = from.chars().find(|c| c.is_control()) {
        return Err(format!("FROM must not contain control characters ({:?})", bad));
    }
    check_replacement_to(&to, ACCOUNT_ENTRY_MAX)?;
    Ok((from, to))
}

pub(super) fn apply_table(text: &str, table: &Replacements) -> (String, Vec<Replacement>) {
    if table.is_empty() {
        return (text.to_owned(), Vec::new());
    }
    // Lets chars that start no entry skip the entry scan (ASCII by table, others by set).
    let mut ascii_first = [false; 128];
    let mut other_first = HashSet::new();
    for (from, _, _) in &table.entries {
        match from.chars().next() {
            Some(c) if c.is_ascii() => ascii_first[c as usize] = true,
            Some(c) => {
                other_first.insert(c);
            }
            None => {}
        }
    }
    let mut out = String::with_capacity(text.len());
    let mut replaced = Vec::new();
    let mut seen = HashSet::new();
    let mut flushed = 0;
    let mut i = 0;
    while let Some(c) = text.get(i..).and_then(|rest| rest.chars().next()) {
        let starts = if c.is_ascii() {
            ascii_first[c as usize]
        } else {
            other_first.contains(&c)
        };
        let rest = text.get(i..).unwrap_or_default();
        let hit = if starts {
            table.entries.iter().position(|(from, _, _)| rest.starts_with(from.as_str()))
        } else {
            None
        };
        let Some(index) = hit else {
            i += c.len_utf8();
            continue;
        };
        let (from, to, source) = &table.entries[index];
        if to != from {
            out.push_str(text.get(flushed..i).unwrap_or_default());
            out.push_str(to);
            flushed = i + from.len();
            if seen.insert(index) {
                replaced.push(Replacement {
                    from: from.clone(),
                    to: to.clone(),
                    source: Some(*source),
                });
            }
        }
        i += from.len();
    }
    out.push_str(text.get(flushed..).unwrap_or_default());
    (out, replaced)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::fixtures::*;
    use crate::text::*;

    #[test]
    fn on_mode_uses_the_key_table_only() {
        let table: ReplaceTable = [('ç', "c"), ('ł', "l"), ('€', "EUR"), ('x', "x"), ('!', "")]
            .into_iter()
            .map(|(k, v)| (k, v.to_owned()))
            .collect();
        let a = analyze("façade ł € ç xñ! “q”", AutoConvert::On, &table);
        assert_eq!(a.text, "facade l EUR c xñ “q”");
        let key = |from: &str, to: &str| Replacement {
            source: Some(TableSource::Key),
            ..rep(from, to)
        };
        assert_eq!(a.replaced, [key("ç", "c"), key("ł", "l"), key("€", "EUR"), key("!", "")]);
        assert_eq!(a.encoding, Encoding::Ucs2, "curly quotes are not in the table");
        assert_eq!(a.non_gsm, ["“", "”"]);
        let plain = "nothing to do";
        assert_eq!(apply(plain, AutoConvert::On, &table), (plain.to_owned(), vec![]));
        assert_eq!(apply("façade", AutoConvert::On, &none()).0, "façade");
        assert_eq!(apply("façade", AutoConvert::Off, &table).0, "façade");
    }

    #[test]
    fn account_words_with_key_entries_overriding() {
        let account: AccountTable = [("naïve", "naive"), ("€", "euro"), ("ï", "i"), ("Straße", "Strasse")]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        let key: ReplaceTable = [('€', "EUR".to_owned())].into_iter().collect();
        let table = Replacements::new(&account, &key);
        let a = analyze_with("naïve ï 5€ Straße", AutoConvert::On, &table);
        // The longest match wins ("naïve" before "ï"); the key's "€" beats the account's.
        assert_eq!(a.text, "naive i 5EUR Strasse");
        let got: Vec<(&str, &str, Option<TableSource>)> = a.replaced.iter().map(|r| (r.from.as_str(), r.to.as_str(), r.source)).collect();
        assert_eq!(
            got,
            [
                ("naïve", "naive", Some(TableSource::Account)),
                ("ï", "i", Some(TableSource::Account)),
                ("€", "EUR", Some(TableSource::Key)),
                ("Straße", "Strasse", Some(TableSource::Account)),
            ]
        );
        assert_eq!(a.encoding, Encoding::Gsm7);
        // Off and full ignore the table.
        assert_eq!(apply_with("naïve", AutoConvert::Off, &table).0, "naïve");
        assert_eq!(apply_with("naïve", AutoConvert::Full, &table).1[0].source, None);
    }

    #[test]
    fn validate_account_replacement_rules() {
        assert_eq!(
            validate_account_replacement("naïve", "naive"),
            Ok(("naïve".to_owned(), "naive".to_owned()))
        );
        // NFC on both sides: "e" + U+0301 is "é".
        assert_eq!(
            validate_account_replacement("caf\u{65}\u{301}", "cafe"),
            Ok(("café".to_owned(), "cafe".to_owned()))
        );
        assert_eq!(validate_account_replacement("ł", ""), Ok(("ł".to_owned(), String::new())));
        for (from, to) in [
            ("", "x"),
            ("a\nb", "x"),
            ("ok", "“q”"),
            (&"x".repeat(33)[..], "x"),
            ("ok", &"y".repeat(33)[..]),
        ] {
            assert!(validate_account_replacement(from, to).is_err(), "{from:?} -> {to:?}");
        }
    }

    #[test]
    fn validate_replacement_accepts() {
        assert_eq!(validate_replacement("ç", "c"), Ok(('ç', "c".to_owned())));
        assert_eq!(validate_replacement("€", "EUR"), Ok(('€', "EUR".to_owned())));
        assert_eq!(validate_replacement("x", ""), Ok(('x', String::new())));
        assert_eq!(validate_replacement("😀", "{:)}"), Ok(('😀', "{:)}".to_owned())));
        assert_eq!(validate_replacement("e\u{301}", "e"), Ok(('é', "e".to_owned())));
    }

    #[test]
    fn validate_replacement_rejects() {
        assert_eq!(
            validate_replacement("", "x").unwrap_err(),
            "FROM is empty: it must be exactly one character"
        );
        assert_eq!(
            validate_replacement("ab", "x").unwrap_err(),
            "FROM must be exactly one character, got 2 (\"ab\")"
        );
        assert_eq!(
            validate_replacement("x", "abcde").unwrap_err(),
            "TO must be at most 4 characters, got 5 (\"abcde\")"
        );
        assert_eq!(
            validate_replacement("x", "ç").unwrap_err(),
            "TO must be GSM-7 text, but 'ç' (U+00E7) is not in the GSM-7 alphabet"
        );
        assert!(validate_replacement("x", "\u{1B}").is_err());
        assert!(validate_replacement("👍🏽", "?").is_err(), "two chars");
    }
}
