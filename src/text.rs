//! The SMS text engine: the GSM 03.38 default alphabet (3GPP TS 23.038 §6.2.1, basic table plus the
//! escape-prefixed extension table, no national shift tables), choosing GSM-7 or UCS-2, counting units
//! (septets or UTF-16 code units), splitting into concatenated-SMS parts, and the auto-replace modes
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

use std::collections::{BTreeMap, HashSet};

use unicode_normalization::char::{compose, decompose_canonical, decompose_compatible, is_combining_mark};
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

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
            _ => Err(format!("invalid auto-replace mode '{s}': expected off, on or full")),
        }
    }
}

impl std::fmt::Display for AutoConvert {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

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

/// The data coding a message needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum Encoding {
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

/// Septets per ASCII char: 1 basic table, 2 extension table, 0 not GSM-7.
const ASCII_SEPTETS: [u8; 128] = {
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
        AutoConvert::On => apply_table(text, table),
        AutoConvert::Full => apply_full(text),
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

// ---------------------------------------------------------------------------------------------
// Counting and splitting

/// Total septets, or `None` at the first char that is not GSM-7.
fn gsm7_total(text: &str) -> Option<usize> {
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

// ---------------------------------------------------------------------------------------------
// `on` mode

fn apply_table(text: &str, table: &Replacements) -> (String, Vec<Replacement>) {
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

// ---------------------------------------------------------------------------------------------
// `full` mode

const ZWJ: char = '\u{200D}';

/// `full` mode works cluster by cluster. Clusters only break before an NFC starter that cannot
/// combine with what precedes it (a unit test checks this over all of Unicode), so normalising each
/// cluster on its own equals normalising the whole text, and unchanged text is copied only once.
fn apply_full(text: &str) -> (String, Vec<Replacement>) {
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

/// Chars that extend the cluster before them (grapheme `Extend`, approximately).
fn is_extend(c: char) -> bool {
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
fn cluster_at(s: &str, start: usize) -> Option<(usize, char)> {
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

/// Explicit transliterations for `full` mode, tried before decomposition. Every value is GSM-7
/// (a unit test checks). Letters here either have no decomposition or decompose badly.
fn transliterate(c: char) -> Option<&'static str> {
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

    /// GSM 03.38 basic table in code order 0x00..=0x7F (0x1B is ESC).
    const BASIC: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u{1B}ÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?\
                         ¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    const EXTENSION: &str = "\u{C}^{}\\[~]|€";
    const GREEK_IN_GSM: &str = "ΔΦΓΛΩΠΨΣΘΞ";

    fn none() -> ReplaceTable {
        ReplaceTable::new()
    }

    fn off(text: &str) -> Analysis {
        analyze(text, AutoConvert::Off, &none())
    }

    fn full(text: &str) -> Analysis {
        analyze(text, AutoConvert::Full, &none())
    }

    fn full_text(text: &str) -> String {
        apply(text, AutoConvert::Full, &none()).0
    }

    fn units(a: &Analysis) -> Vec<usize> {
        a.parts.iter().map(|p| p.units).collect()
    }

    fn rep(from: &str, to: &str) -> Replacement {
        Replacement {
            from: from.to_owned(),
            to: to.to_owned(),
            source: None,
        }
    }

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

    #[test]
    fn non_gsm_is_distinct_in_first_occurrence_order() {
        assert_eq!(off("😀a😀жbж").non_gsm, ["😀", "ж"]);
        assert!(off("plain").non_gsm.is_empty());
    }

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
    fn clusters_only_break_before_stable_nfc_starters() {
        use unicode_normalization::char::canonical_combining_class;
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

    #[test]
    fn every_transliteration_is_gsm7() {
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            if let Some(to) = transliterate(c) {
                assert!(is_gsm7(to), "U+{:04X} -> {to:?}", c as u32);
                assert!(gsm7_septets(c).is_none(), "U+{:04X} is GSM-7 already", c as u32);
            }
        }
    }

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
            Err("invalid auto-replace mode 'yes': expected off, on or full".to_owned())
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
    }

    mod props {
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
