//! The declarative key file (`keys.toml`, "keys as code"): its types, from which the JSON
//! Schema in `docs/keys.schema.json` is generated, and a parser that names every problem in
//! a file at once, each with its line and column.
//!
//! What each field means, how it is validated, exported and compared lives in one table,
//! [`fields::FIELDS`]; [`plan`] compares a file with the store as pure functions.

pub mod fields;
pub mod plan;
pub mod select;

use std::collections::BTreeMap;
use std::ops::Range;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use toml::de::{DeTable, DeValue};

use crate::error::Error;
use crate::text::AutoConvert;

/// The only format version so far.
pub const FORMAT_VERSION: u32 = 1;

/// A whole key file: the desired state of this store's live keys.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "smsctl keys file",
    description = "The desired state of an smsctl store's live keys (smsctl export / plan / apply). Secrets are never part of it."
)]
pub struct KeyFile {
    /// Format version of this file; must be 1.
    #[schemars(range(min = 1, max = 1))]
    pub version: u32,
    /// Revoke every live key that this file does not list. Off unless set.
    #[serde(default, skip_serializing_if = "is_false")]
    pub prune: bool,
    /// The account's (store-wide) replacement table for autoconvert `on`: a character or
    /// word (1-32 characters) → 0-32 GSM-7 characters. Left out, the store's table is left as
    /// it is; given (even empty), it is the whole table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replacements: Option<BTreeMap<String, String>>,
    /// The keys, one `[[key]]` table each.
    #[serde(default, rename = "key")]
    pub keys: Vec<KeyEntry>,
}

/// One key. A field left out means its default (no sender, no webhook, an empty whitelist,
/// never expires ...): the entry is the key's whole configuration, not a patch.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct KeyEntry {
    /// The key's public id (`key_...`). With an id the entry is matched by id, and a different
    /// `name` renames the key; without one it is matched by name, or created.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Unique name: 1-64 characters of letters, digits, '.', '_' and '-'.
    #[schemars(regex(pattern = r"^[A-Za-z0-9._-]{1,64}$"))]
    pub name: String,
    /// Free text, at most 1000 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 1000))]
    pub description: Option<String>,
    /// Default sender: alphanumeric (1-11 characters, at least one letter) or numeric (1-15 digits, optional '+').
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sender: Option<String>,
    /// Autoconvert mode; left out, the built-in default (on: the account's table, then the key's) applies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<AutoReplaceMode>")]
    pub auto_replace: Option<AutoConvert>,
    /// Delivery-report webhook: an https URL (plain http only for localhost).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dlr_url: Option<String>,
    /// IP addresses and CIDR ranges allowed to use the key; empty refuses every address.
    #[serde(default)]
    pub whitelist: Vec<String>,
    /// When the key expires: an RFC 3339 time (`2026-12-31T23:59:59Z`) or a date (end of that day, UTC). Left out: never.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
    /// A production key (whitelisting private ranges then warns).
    #[serde(default, skip_serializing_if = "is_false")]
    pub production: bool,
    /// The key's own character table for autoconvert `on`: one character → 0-4 GSM-7 characters.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub replace: BTreeMap<String, String>,
    /// Policy: the team that owns the key (required on production keys).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^[A-Za-z0-9._-]{1,64}$"))]
    pub owner: Option<String>,
    /// Policy: the API operations the key may use (`send`, `bulk`, `schedule`, `status`). Left out: all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scopes: Option<Vec<String>>,
    /// Policy: the only senders the key may use; empty: any. The default sender must be one of them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allow_senders: Vec<String>,
    /// Policy: E.164 prefixes the key may send to (e.g. `+372`); empty: anywhere.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allow_to: Vec<String>,
    /// Policy: E.164 prefixes refused even when allowed (deny wins), e.g. `+1900`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub deny_to: Vec<String>,
    /// Policy: the most parts one message may take.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1))]
    pub max_parts: Option<u32>,
    /// Policy: a token bucket, `N/s` or `N/min`, optionally `,burst=B`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate: Option<String>,
    /// Policy: message parts per UTC calendar window, `N/day` or `N/month`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quota: Option<String>,
    /// Policy: what the key's messages are (`marketing`, `transactional`, `alerts`, `otp`, `internal`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purpose: Option<String>,
    /// Policy: when sends are allowed, `HH:MM-HH:MM@Zone` (e.g. `08:00-21:00@Europe/Tallinn`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub send_window: Option<String>,
    /// Policy: a canary key that must never be used; any attempt raises an alarm.
    #[serde(default, skip_serializing_if = "is_false")]
    pub canary: bool,
    /// Policy: where a canary trip is POSTed (https).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alert_url: Option<String>,
}

/// The autoconvert modes, as the schema offers them.
#[derive(JsonSchema)]
#[serde(rename_all = "lowercase")]
#[allow(dead_code)]
enum AutoReplaceMode {
    /// Text is sent as given.
    Off,
    /// The account's replacement table is applied, with the key's own entries overriding it.
    On,
    /// Every non-GSM-7 character is transliterated.
    Full,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// The JSON Schema of [`KeyFile`], as committed in `docs/keys.schema.json`.
pub fn schema_json() -> String {
    let schema = schemars::schema_for!(KeyFile);
    let mut s = serde_json::to_string_pretty(&schema).unwrap_or_default();
    s.push('\n');
    s
}

/// One problem in a file, where it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub hint: Option<String>,
}

impl Problem {
    pub fn at(text: &str, span: &Range<usize>, error: &Error) -> Problem {
        let (line, column) = position(text, span.start);
        Problem {
            line,
            column,
            message: error.message.clone(),
            hint: error.hint.clone(),
        }
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn position(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// Where each part of one `[[key]]` entry is, to point problems at it.
#[derive(Debug, Clone, Default)]
pub struct EntrySpans {
    pub entry: Range<usize>,
    /// Field name → span of its value.
    pub fields: BTreeMap<String, Range<usize>>,
    /// List field name → span of each of its elements.
    pub list_items: BTreeMap<String, Vec<Range<usize>>>,
    /// Replace table key (as written) → span of its entry.
    pub replace_items: BTreeMap<String, Range<usize>>,
}

impl EntrySpans {
    /// The span of a field (its value), else of the entry.
    pub fn field(&self, name: &str) -> Range<usize> {
        self.fields.get(name).cloned().unwrap_or_else(|| self.entry.clone())
    }

    pub fn item(&self, field: &str, item: Option<&fields::Item>) -> Range<usize> {
        match item {
            Some(fields::Item::Index(i)) => self
                .list_items
                .get(field)
                .and_then(|items| items.get(*i))
                .cloned()
                .unwrap_or_else(|| self.field(field)),
            Some(fields::Item::Key(k)) => self.replace_items.get(k).cloned().unwrap_or_else(|| self.field(field)),
            None => self.field(field),
        }
    }
}

/// A file read into its types, with the position of every entry's parts.
#[derive(Debug, Clone)]
pub struct Parsed {
    pub file: KeyFile,
    pub spans: Vec<EntrySpans>,
}

fn schema_fields<T: JsonSchema>() -> Vec<String> {
    let schema = schemars::schema_for!(T);
    schema
        .get("properties")
        .and_then(|p| p.as_object())
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default()
}

fn toml_problem(text: &str, err: &toml::de::Error) -> Problem {
    let span = err.span().unwrap_or(0..0);
    let message = err.message().trim().to_owned();
    Problem::at(
        text,
        &span,
        &Error::usage(message).hint("see docs/keys-as-code.md for the file format; `smsctl export` writes a valid file"),
    )
}

fn unknown_field(text: &str, span: &Range<usize>, name: &str, known: &[String], place: &str) -> Problem {
    Problem::at(
        text,
        span,
        &Error::usage(format!("unknown field `{}` in {place}", crate::store::keys::printable(name)))
            .hint(format!("the fields are: {}", known.join(", "))),
    )
}

/// Parses a key file. On failure every problem found is returned: all syntax errors, every
/// unknown field, and the first type error of each entry.
pub fn parse(text: &str) -> Result<Parsed, Vec<Problem>> {
    match parse_partial(text)? {
        (parsed, problems) if problems.is_empty() => Ok(parsed),
        (_, problems) => Err(problems),
    }
}

/// Like [`parse`], but past structural problems (not syntax errors) it also returns the
/// entries that could be read, so that their values can be checked as well.
pub fn parse_partial(text: &str) -> Result<(Parsed, Vec<Problem>), Vec<Problem>> {
    let (root, syntax) = DeTable::parse_recoverable(text);
    if !syntax.is_empty() {
        return Err(syntax.iter().map(|e| toml_problem(text, e)).collect());
    }
    let mut problems = Vec::new();
    let top_known = schema_fields::<KeyFile>();
    let entry_known = schema_fields::<KeyEntry>();
    let root_span = root.span();
    let root = root.into_inner();
    for (k, _) in root.iter() {
        if !top_known.iter().any(|f| f == k.get_ref().as_ref()) {
            problems.push(unknown_field(text, &k.span(), k.get_ref(), &top_known, "the file"));
        }
    }
    let mut file = KeyFile::default();
    match root.get("version") {
        None => problems.push(Problem::at(
            text,
            &(root_span.start..root_span.start),
            &Error::usage("missing `version = 1` at the top of the file").hint("add `version = 1` as the first line"),
        )),
        Some(v) => match v.get_ref() {
            DeValue::Integer(i) if i.as_str() == "1" => file.version = FORMAT_VERSION,
            _ => problems.push(Problem::at(
                text,
                &v.span(),
                &Error::usage(format!(
                    "unsupported version {}: this smsctl reads version 1",
                    value_text(text, &v.span())
                ))
                .hint("write `version = 1`, or upgrade smsctl"),
            )),
        },
    }
    if let Some(v) = root.get("prune") {
        match v.get_ref().as_bool() {
            Some(b) => file.prune = b,
            None => problems.push(Problem::at(
                text,
                &v.span(),
                &Error::usage(format!("`prune` must be true or false, not {}", v.get_ref().type_str())),
            )),
        }
    }
    if let Some(v) = root.get("replacements") {
        match v.get_ref().as_table() {
            Some(table) => {
                let mut map = BTreeMap::new();
                for (from, to) in table.iter() {
                    match to.get_ref().as_str() {
                        Some(t) => {
                            map.insert(from.get_ref().to_string(), t.to_owned());
                        }
                        None => problems.push(Problem::at(
                            text,
                            &to.span(),
                            &Error::usage(format!("a replacement must be a string, not {}", to.get_ref().type_str())),
                        )),
                    }
                }
                file.replacements = Some(map);
            }
            None => problems.push(Problem::at(
                text,
                &v.span(),
                &Error::usage("`replacements` must be a table: write it as a `[replacements]` section")
                    .hint("e.g. [replacements] then \"€\" = \"EUR\""),
            )),
        }
    }
    let mut spans = Vec::new();
    if let Some(list) = root.get("key") {
        let Some(entries) = list.get_ref().as_array() else {
            problems.push(Problem::at(
                text,
                &list.span(),
                &Error::usage("`key` must be a list of tables: write each key as a `[[key]]` section")
                    .hint("see `smsctl export` for the shape"),
            ));
            return Err(problems);
        };
        for (i, entry) in entries.iter().enumerate() {
            let Some(table) = entry.get_ref().as_table() else {
                problems.push(Problem::at(
                    text,
                    &entry.span(),
                    &Error::usage(format!("key entry #{} is a {}, not a table", i + 1, entry.get_ref().type_str())),
                ));
                continue;
            };
            let mut known = table.clone();
            let mut entry_spans = EntrySpans {
                entry: entry.span(),
                ..EntrySpans::default()
            };
            for (k, v) in table.iter() {
                let name = k.get_ref().as_ref();
                if !entry_known.iter().any(|f| f == name) {
                    problems.push(unknown_field(text, &k.span(), name, &entry_known, &format!("key entry #{}", i + 1)));
                    known.remove(name);
                    continue;
                }
                entry_spans.fields.insert(name.to_owned(), v.span());
                match (name, v.get_ref()) {
                    (list, DeValue::Array(items)) => {
                        entry_spans
                            .list_items
                            .insert(list.to_owned(), items.iter().map(|s| s.span()).collect());
                    }
                    ("replace", DeValue::Table(t)) => {
                        entry_spans.replace_items = t.iter().map(|(k, _)| (k.get_ref().to_string(), k.span())).collect()
                    }
                    _ => {}
                }
            }
            let value = toml::Spanned::new(entry.span(), DeValue::Table(known));
            match KeyEntry::deserialize(serde::de::IntoDeserializer::<toml::de::Error>::into_deserializer(value)) {
                Ok(e) => {
                    file.keys.push(e);
                    spans.push(entry_spans);
                }
                Err(e) => {
                    let mut p = toml_problem(text, &e);
                    if e.span().is_none() {
                        (p.line, p.column) = position(text, entry.span().start);
                    }
                    p.message = format!("key entry #{}: {}", i + 1, p.message);
                    problems.push(p);
                }
            }
        }
    }
    problems.sort_by_key(|p| (p.line, p.column));
    Ok((Parsed { file, spans }, problems))
}

fn value_text(text: &str, span: &Range<usize>) -> String {
    crate::store::keys::printable(text.get(span.clone()).unwrap_or("?"))
}

/// Renders a key file as TOML: keys in the given order, fields in a fixed order, so that
/// exports of the same state are byte-for-byte identical.
pub fn to_toml(file: &KeyFile) -> Result<String, Error> {
    let body = toml::to_string(file).map_err(|e| Error::failure(format!("cannot write TOML: {e}")))?;
    Ok(format!(
        "# smsctl keys file: the desired state of this store's live keys (no secrets).\n# Check it with `smsctl plan -f FILE`; carry it out with `smsctl apply -f FILE`. See docs/keys-as-code.md.\n{body}"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_and_count_characters() {
        let text = "a = 1\nbé = 2\n";
        assert_eq!(position(text, 0), (1, 1));
        assert_eq!(position(text, 6), (2, 1));
        assert_eq!(position(text, text.find('=').unwrap()), (1, 3));
        let second_eq = text.rfind('=').unwrap();
        assert_eq!(position(text, second_eq), (2, 4));
    }

    #[test]
    fn every_unknown_field_is_named_with_its_place() {
        let text = "version = 1\ncolour = 'red'\n[[key]]\nname = 'a'\nsendr = 'X'\n[[key]]\nname = 'b'\nwebhook = 'x'\n";
        let problems = parse(text).unwrap_err();
        let found: Vec<_> = problems.iter().map(|p| (p.line, p.column, p.message.as_str())).collect();
        assert_eq!(found.len(), 3, "{problems:#?}");
        assert_eq!((found[0].0, found[0].1), (2, 1));
        assert!(found[0].2.contains("`colour`"));
        assert_eq!((found[1].0, found[1].1), (5, 1));
        assert!(found[1].2.contains("`sendr`") && found[1].2.contains("entry #1"));
        assert_eq!(found[2].0, 8);
        assert!(problems[1].hint.as_deref().unwrap().contains("sender"));
    }

    #[test]
    fn type_errors_point_at_the_value_and_each_entry_is_checked() {
        let text = "version = 1\n[[key]]\nname = 'a'\nproduction = 'yes'\n[[key]]\nname = 'b'\nauto_replace = 'fulll'\n";
        let problems = parse(text).unwrap_err();
        assert_eq!(problems.len(), 2, "{problems:#?}");
        assert_eq!((problems[0].line, problems[0].column), (4, 14));
        assert_eq!(problems[1].line, 7);
        assert!(problems[1].message.contains("fulll"), "{}", problems[1].message);
    }

    #[test]
    fn version_is_required_and_checked() {
        assert!(parse("[[key]]\nname = 'a'\n").unwrap_err()[0].message.contains("missing `version"));
        assert!(parse("version = 2\n").unwrap_err()[0].message.contains("unsupported version 2"));
        let ok = parse("version = 1\nprune = true\n[[key]]\nname = 'a'\nwhitelist = ['10.0.0.1']\n").unwrap();
        assert!(ok.file.prune);
        assert_eq!(ok.file.keys[0].whitelist, vec!["10.0.0.1"]);
        assert_eq!(ok.spans[0].list_items["whitelist"].len(), 1);
    }

    #[test]
    fn syntax_errors_have_positions() {
        let problems = parse("version = 1\n[[key]\nname = 'a'\n").unwrap_err();
        assert_eq!(problems[0].line, 2);
    }

    #[test]
    fn export_round_trips() {
        let file = KeyFile {
            version: 1,
            prune: false,
            replacements: Some([("naïve".to_owned(), "naive".to_owned())].into()),
            keys: vec![KeyEntry {
                id: Some("key_abcdefgh".into()),
                name: "ci".into(),
                sender: Some("ACME".into()),
                auto_replace: Some(AutoConvert::On),
                whitelist: vec!["10.0.0.0/8".into()],
                replace: [("ç".to_owned(), "c".to_owned())].into(),
                ..KeyEntry::default()
            }],
        };
        let text = to_toml(&file).unwrap();
        assert_eq!(parse(&text).unwrap().file, file, "{text}");
    }
}
