//! The one table of key-file fields: how each is read from a file entry (validated with the
//! same validators as the CLI), written by `export`, shown and compared by `plan`, and
//! carried over to the stored key by `apply`.
//!
//! Adding a setting to key files is one field in [`super::KeyEntry`] and one row here.

use super::KeyEntry;
use crate::error::{Error, Result};
use crate::store::keys::{self, Key, Settings};
use crate::time::{self, Expiry, UnixMillis};
use crate::{policy, settings, whitelist};

/// Which part of a list or table field a problem is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// The n-th element of a list (0-based).
    Index(usize),
    /// The entry with this key in a table.
    Key(String),
}

/// What reading one entry found.
#[derive(Debug, Default)]
pub struct Findings {
    /// (field, item, error).
    pub errors: Vec<(&'static str, Option<Item>, Error)>,
    pub warnings: Vec<String>,
}

type Import = fn(&KeyEntry, &mut Key, &mut Vec<(Option<Item>, Error)>, &mut Vec<String>);

/// One field of a key entry.
pub struct Field {
    /// Its name in the file.
    pub name: &'static str,
    /// How `plan` shows the stored value; two keys differ in this field exactly when these differ.
    pub show: fn(&Key) -> String,
    /// Writes the stored value into an entry (`export`).
    pub export: fn(&Key, &mut KeyEntry),
    /// Reads and validates the entry's value into a key.
    pub import: Import,
    /// Copies the value from the desired key onto the stored one (`apply`).
    pub copy: fn(&Key, &mut Key),
}

fn quoted(v: &Option<String>) -> String {
    v.as_ref().map_or_else(|| "(none)".to_owned(), |s| format!("{s:?}"))
}

fn one(r: Result<()>, errors: &mut Vec<(Option<Item>, Error)>) {
    if let Err(e) = r {
        errors.push((None, e));
    }
}

/// Every field except `id`, which identifies the key rather than configuring it.
pub const FIELDS: &[Field] = &[
    Field {
        name: "name",
        show: |k| format!("{:?}", k.name),
        export: |k, e| e.name = k.name.clone(),
        import: |e, k, errs, _| {
            one(keys::validate_name(&e.name), errs);
            k.name = e.name.clone();
        },
        copy: |from, to| to.name = from.name.clone(),
    },
    Field {
        name: "description",
        show: |k| quoted(&k.description),
        export: |k, e| e.description = k.description.clone(),
        import: |e, k, errs, _| {
            if let Some(d) = &e.description {
                one(settings::validate_description(d), errs);
            }
            k.description = e.description.clone();
        },
        copy: |from, to| to.description = from.description.clone(),
    },
    Field {
        name: "sender",
        show: |k| quoted(&k.settings.sender),
        export: |k, e| e.sender = k.settings.sender.clone(),
        import: |e, k, errs, _| {
            k.settings.sender = e
                .sender
                .as_deref()
                .and_then(|s| settings::validate_sender(s).map_err(|err| errs.push((None, err))).ok());
        },
        copy: |from, to| to.settings.sender = from.settings.sender.clone(),
    },
    Field {
        name: "auto_replace",
        show: |k| {
            k.settings
                .auto_replace
                .map_or_else(|| "(default: on)".to_owned(), |m| m.to_string())
        },
        export: |k, e| e.auto_replace = k.settings.auto_replace,
        import: |e, k, _, _| k.settings.auto_replace = e.auto_replace,
        copy: |from, to| to.settings.auto_replace = from.settings.auto_replace,
    },
    Field {
        name: "dlr_url",
        show: |k| quoted(&k.settings.dlr_url),
        export: |k, e| e.dlr_url = k.settings.dlr_url.clone(),
        import: |e, k, errs, _| {
            k.settings.dlr_url = e
                .dlr_url
                .as_deref()
                .and_then(|u| settings::validate_dlr_url(u).map_err(|err| errs.push((None, err))).ok());
        },
        copy: |from, to| to.settings.dlr_url = from.settings.dlr_url.clone(),
    },
    Field {
        name: "whitelist",
        show: |k| {
            format!(
                "[{}]",
                k.settings.whitelist.iter().map(|n| n.to_string()).collect::<Vec<_>>().join(", ")
            )
        },
        export: |k, e| e.whitelist = k.settings.whitelist.iter().map(|n| n.to_string()).collect(),
        import: |e, k, errs, warns| {
            let mut parsed = Vec::new();
            for (i, entry) in e.whitelist.iter().enumerate() {
                match whitelist::parse_entry(entry) {
                    Ok(p) => parsed.push(p),
                    Err(err) => errs.push((Some(Item::Index(i)), err)),
                }
            }
            // The same canonical form `key whitelist add` stores: sorted, no duplicates, no covered entries.
            let mut list = Vec::new();
            let outcome = whitelist::add(&mut list, &parsed, e.production);
            warns.extend(outcome.warnings.into_iter().map(|w| format!("key '{}': {w}", e.name)));
            for c in outcome.covered {
                warns.push(format!(
                    "key '{}': {} is already covered by {}; not stored twice",
                    e.name, c.entry, c.by
                ));
            }
            k.settings.whitelist = list;
        },
        copy: |from, to| to.settings.whitelist = from.settings.whitelist.clone(),
    },
    Field {
        name: "expires",
        // Whole seconds, as files and the audit trail write times.
        show: |k| k.expires_at.map_or_else(|| "never".to_owned(), time::format),
        export: |k, e| e.expires = k.expires_at.map(time::format),
        import: |e, k, errs, _| {
            k.expires_at = None;
            if let Some(s) = &e.expires {
                match parse_expires(s) {
                    Ok(at) => k.expires_at = at,
                    Err(err) => errs.push((None, err)),
                }
            }
        },
        copy: |from, to| to.expires_at = from.expires_at,
    },
    Field {
        name: "production",
        show: |k| if k.settings.production { "true" } else { "false" }.to_owned(),
        export: |k, e| e.production = k.settings.production,
        import: |e, k, _, _| k.settings.production = e.production,
        copy: |from, to| to.settings.production = from.settings.production,
    },
    Field {
        name: "replace",
        show: |k| {
            let pairs: Vec<String> = k.settings.replace.iter().map(|(f, t)| format!("{f:?} = {t:?}")).collect();
            format!("{{{}}}", pairs.join(", "))
        },
        export: |k, e| e.replace = k.settings.replace.iter().map(|(f, t)| (f.to_string(), t.clone())).collect(),
        import: |e, k, errs, _| {
            k.settings.replace.clear();
            for (from, to) in &e.replace {
                match crate::text::validate_replacement(from, to) {
                    Ok((c, to)) => {
                        k.settings.replace.insert(c, to);
                    }
                    Err(why) => errs.push((
                        Some(Item::Key(from.clone())),
                        Error::usage(format!("invalid replacement: {why}"))
                            .hint("FROM is one character; TO is 0-4 GSM-7 characters (\"\" drops FROM)"),
                    )),
                }
            }
        },
        copy: |from, to| to.settings.replace = from.settings.replace.clone(),
    },
    Field {
        name: "owner",
        show: |k| quoted(&k.settings.policy.owner),
        export: |k, e| e.owner = k.settings.policy.owner.clone(),
        import: |e, k, errs, _| {
            k.settings.policy.owner = e
                .owner
                .as_deref()
                .and_then(|o| policy::validate_owner(o).map_err(|err| errs.push((None, err))).ok());
            if k.settings.production && e.owner.is_none() {
                errs.push((
                    None,
                    Error::usage(format!("production key '{}' needs an owner", e.name)).hint("add owner = \"TEAM\" to the entry"),
                ));
            }
        },
        copy: |from, to| to.settings.policy.owner = from.settings.policy.owner.clone(),
    },
    Field {
        name: "scopes",
        show: |k| match &k.settings.policy.scopes {
            None => "(all)".to_owned(),
            Some(set) => format!("[{}]", set.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")),
        },
        export: |k, e| {
            e.scopes = k
                .settings
                .policy
                .scopes
                .as_ref()
                .map(|set| set.iter().map(|s| s.as_str().to_owned()).collect());
        },
        import: |e, k, errs, _| {
            k.settings.policy.scopes = e.scopes.as_ref().map(|list| {
                let mut set = std::collections::BTreeSet::new();
                for (i, s) in list.iter().enumerate() {
                    match s.parse::<policy::Scope>() {
                        Ok(scope) => {
                            set.insert(scope);
                        }
                        Err(why) => errs.push((Some(Item::Index(i)), Error::usage(why))),
                    }
                }
                set
            });
        },
        copy: |from, to| to.settings.policy.scopes = from.settings.policy.scopes.clone(),
    },
    Field {
        name: "allow_senders",
        show: |k| format!("{:?}", k.settings.policy.allow_senders),
        export: |k, e| e.allow_senders = k.settings.policy.allow_senders.clone(),
        import: |e, k, errs, _| {
            k.settings.policy.allow_senders = validated_list(&e.allow_senders, settings::validate_sender, errs);
            let p = &k.settings.policy;
            if let (Some(sender), false) = (&e.sender, p.allow_senders.is_empty()) {
                if !p.allow_senders.contains(sender) {
                    errs.push((
                        None,
                        Error::usage(format!("the default sender '{sender}' is not one of the allowed senders"))
                            .hint("add it to allow_senders, or change sender"),
                    ));
                }
            }
        },
        copy: |from, to| to.settings.policy.allow_senders = from.settings.policy.allow_senders.clone(),
    },
    Field {
        name: "allow_to",
        show: |k| format!("{:?}", k.settings.policy.allow_to),
        export: |k, e| e.allow_to = k.settings.policy.allow_to.clone(),
        import: |e, k, errs, _| k.settings.policy.allow_to = validated_list(&e.allow_to, policy::validate_prefix, errs),
        copy: |from, to| to.settings.policy.allow_to = from.settings.policy.allow_to.clone(),
    },
    Field {
        name: "deny_to",
        show: |k| format!("{:?}", k.settings.policy.deny_to),
        export: |k, e| e.deny_to = k.settings.policy.deny_to.clone(),
        import: |e, k, errs, _| k.settings.policy.deny_to = validated_list(&e.deny_to, policy::validate_prefix, errs),
        copy: |from, to| to.settings.policy.deny_to = from.settings.policy.deny_to.clone(),
    },
    Field {
        name: "max_parts",
        show: |k| k.settings.policy.max_parts.map_or_else(|| "(none)".to_owned(), |n| n.to_string()),
        export: |k, e| e.max_parts = k.settings.policy.max_parts,
        import: |e, k, errs, _| {
            if e.max_parts == Some(0) {
                errs.push((None, Error::usage("max_parts must be at least 1").hint("leave it out for no limit")));
            }
            k.settings.policy.max_parts = e.max_parts.filter(|n| *n > 0);
        },
        copy: |from, to| to.settings.policy.max_parts = from.settings.policy.max_parts,
    },
    Field {
        name: "rate",
        show: |k| {
            k.settings
                .policy
                .rate
                .as_ref()
                .map_or_else(|| "(none)".to_owned(), |r| r.to_string())
        },
        export: |k, e| e.rate = k.settings.policy.rate.as_ref().map(|r| r.to_string()),
        import: |e, k, errs, _| k.settings.policy.rate = parsed(e.rate.as_deref(), errs),
        copy: |from, to| to.settings.policy.rate = from.settings.policy.rate,
    },
    Field {
        name: "quota",
        show: |k| {
            k.settings
                .policy
                .quota
                .as_ref()
                .map_or_else(|| "(none)".to_owned(), |q| q.to_string())
        },
        export: |k, e| e.quota = k.settings.policy.quota.as_ref().map(|q| q.to_string()),
        import: |e, k, errs, _| k.settings.policy.quota = parsed(e.quota.as_deref(), errs),
        copy: |from, to| to.settings.policy.quota = from.settings.policy.quota,
    },
    Field {
        name: "purpose",
        show: |k| {
            k.settings
                .policy
                .purpose
                .map_or_else(|| "(none)".to_owned(), |p| p.as_str().to_owned())
        },
        export: |k, e| e.purpose = k.settings.policy.purpose.map(|p| p.as_str().to_owned()),
        import: |e, k, errs, _| {
            k.settings.policy.purpose = e.purpose.as_deref().and_then(|p| {
                p.parse::<policy::Purpose>()
                    .map_err(|why| errs.push((None, Error::usage(why))))
                    .ok()
            });
        },
        copy: |from, to| to.settings.policy.purpose = from.settings.policy.purpose,
    },
    Field {
        name: "send_window",
        show: |k| {
            k.settings
                .policy
                .send_window
                .as_ref()
                .map_or_else(|| "(any time)".to_owned(), |w| w.to_string())
        },
        export: |k, e| e.send_window = k.settings.policy.send_window.as_ref().map(|w| w.to_string()),
        import: |e, k, errs, _| k.settings.policy.send_window = parsed(e.send_window.as_deref(), errs),
        copy: |from, to| to.settings.policy.send_window = from.settings.policy.send_window.clone(),
    },
    Field {
        name: "canary",
        show: |k| k.settings.policy.canary.to_string(),
        export: |k, e| e.canary = k.settings.policy.canary,
        import: |e, k, _, _| k.settings.policy.canary = e.canary,
        copy: |from, to| to.settings.policy.canary = from.settings.policy.canary,
    },
    Field {
        name: "alert_url",
        show: |k| quoted(&k.settings.policy.alert_url),
        export: |k, e| e.alert_url = k.settings.policy.alert_url.clone(),
        import: |e, k, errs, _| {
            k.settings.policy.alert_url = e
                .alert_url
                .as_deref()
                .and_then(|u| settings::validate_dlr_url(u).map_err(|err| errs.push((None, err))).ok());
        },
        copy: |from, to| to.settings.policy.alert_url = from.settings.policy.alert_url.clone(),
    },
];

/// Validates each element of a list field, naming the bad ones by index.
fn validated_list(list: &[String], validate: fn(&str) -> Result<String>, errs: &mut Vec<(Option<Item>, Error)>) -> Vec<String> {
    let mut out = Vec::new();
    for (i, v) in list.iter().enumerate() {
        match validate(v) {
            Ok(v) if !out.contains(&v) => out.push(v),
            Ok(_) => {}
            Err(e) => errs.push((Some(Item::Index(i)), e)),
        }
    }
    out
}

/// A value in the CLI's spelling (`10/min`, `1000/day`, `08:00-21:00@Europe/Tallinn`).
fn parsed<T: std::str::FromStr<Err = Error>>(text: Option<&str>, errs: &mut Vec<(Option<Item>, Error)>) -> Option<T> {
    text.and_then(|t| t.parse().map_err(|e| errs.push((None, e))).ok())
}

/// An expiry as a file writes it: `never`, an RFC 3339 time or a date. A duration would
/// mean something else at every apply, so it is refused. Whether it is in the past is
/// checked only when it would change (an expired key's export must read back unchanged).
pub fn parse_expires(s: &str) -> Result<Option<UnixMillis>> {
    if time::parse_duration(s).is_ok() {
        return Err(Error::usage(format!(
            "expires '{}' is a duration, which would change at every apply",
            keys::printable(s)
        ))
        .hint("write a date (2026-12-31) or an RFC 3339 time (2026-12-31T12:00:00Z)"));
    }
    // Any instant is acceptable here: a lower bound of MIN checks the form, not the future.
    match time::parse_expiry(s, UnixMillis::MIN)? {
        Expiry::Never => Ok(None),
        Expiry::At(t) => Ok(Some(t)),
    }
}

/// A key with every field at its default, to read an entry into.
pub fn blank_key(id: &str) -> Key {
    Key {
        id: id.to_owned(),
        name: String::new(),
        description: None,
        created_at: UnixMillis::EPOCH,
        expires_at: None,
        revoked_at: None,
        settings: Settings::default(),
        last_used_at: None,
        last_used_ip: None,
    }
}

/// Reads one entry through every field's validator.
pub fn import(entry: &KeyEntry) -> (Key, Findings) {
    let mut key = blank_key(entry.id.as_deref().unwrap_or(""));
    let mut findings = Findings::default();
    for f in FIELDS {
        let mut errs = Vec::new();
        (f.import)(entry, &mut key, &mut errs, &mut findings.warnings);
        findings.errors.extend(errs.into_iter().map(|(item, e)| (f.name, item, e)));
    }
    (key, findings)
}

/// The entry `export` writes for a stored key.
pub fn export(key: &Key) -> KeyEntry {
    let mut entry = KeyEntry {
        id: Some(key.id.clone()),
        ..KeyEntry::default()
    };
    for f in FIELDS {
        (f.export)(key, &mut entry);
    }
    entry
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entry_field_but_id_has_a_row() {
        let mut names: Vec<_> = FIELDS.iter().map(|f| f.name.to_owned()).collect();
        names.push("id".into());
        names.sort();
        let mut schema = super::super::schema_fields::<KeyEntry>();
        schema.sort();
        assert_eq!(names, schema);
    }

    #[test]
    fn import_reports_every_bad_field() {
        let entry = KeyEntry {
            name: "bad name".into(),
            sender: Some("TwelveChars!".into()),
            dlr_url: Some("http://example.com/".into()),
            whitelist: vec!["10.0.0.1".into(), "nope".into(), "300.1.1.1".into()],
            expires: Some("90d".into()),
            replace: [("ab".to_owned(), "x".to_owned())].into(),
            ..KeyEntry::default()
        };
        let (_, f) = import(&entry);
        let got: Vec<_> = f.errors.iter().map(|(n, i, _)| (*n, i.clone())).collect();
        assert_eq!(
            got,
            vec![
                ("name", None),
                ("sender", None),
                ("dlr_url", None),
                ("whitelist", Some(Item::Index(1))),
                ("whitelist", Some(Item::Index(2))),
                ("expires", None),
                ("replace", Some(Item::Key("ab".into()))),
            ]
        );
    }

    #[test]
    fn export_then_import_gives_the_same_key() {
        let mut key = blank_key("key_abcdefgh");
        key.name = "ci".into();
        key.description = Some("CI".into());
        key.settings.sender = Some("ACME".into());
        key.settings.auto_replace = Some(crate::text::AutoConvert::Full);
        key.settings.dlr_url = Some("https://hooks.example.com/dlr".into());
        key.settings.whitelist = vec!["10.0.0.0/8".parse().unwrap(), "2001:db8::/32".parse().unwrap()];
        key.settings.replace.insert('ç', "c".into());
        key.settings.production = true;
        key.expires_at = Some(UnixMillis::from_i64(1_900_000_000_123));
        let p = &mut key.settings.policy;
        p.owner = Some("payments".into());
        p.scopes = Some([policy::Scope::Send, policy::Scope::Status].into());
        p.allow_senders = vec!["ACME".into(), "ACME2".into()];
        p.allow_to = vec!["+372".into()];
        p.deny_to = vec!["+3729".into()];
        p.max_parts = Some(3);
        p.rate = Some("10/min".parse().unwrap());
        p.quota = Some("1000/day".parse().unwrap());
        p.purpose = Some("alerts".parse().unwrap());
        p.send_window = Some("08:00-21:00@Europe/Tallinn".parse().unwrap());
        p.canary = true;
        p.alert_url = Some("https://alerts.example.com/hook".into());
        let (back, f) = import(&export(&key));
        assert_eq!(back.settings.policy, key.settings.policy);
        assert!(f.errors.is_empty(), "{:?}", f.errors);
        for field in FIELDS {
            assert_eq!((field.show)(&back), (field.show)(&key), "{}", field.name);
        }
    }

    #[test]
    fn expiry_forms() {
        assert_eq!(parse_expires("never").unwrap(), None);
        assert_eq!(
            parse_expires("2030-01-01T00:00:00Z").unwrap(),
            Some(UnixMillis::from_i64(1_893_456_000_000))
        );
        assert!(parse_expires("2001-01-01").unwrap().is_some(), "past dates parse; plan decides");
        assert!(parse_expires("30d").unwrap_err().message.contains("duration"));
        assert_eq!(parse_expires("soon").unwrap_err().exit_code(), 2);
    }
}
