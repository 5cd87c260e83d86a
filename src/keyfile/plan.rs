//! Comparing a key file with the store: which keys `apply` would create, update (field by
//! field), leave alone or revoke. Pure functions over the keys as loaded.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::fields::{self, FIELDS};
use crate::error::Error;
use crate::store::keys::{Key, KeyName};
use crate::time::{self, UnixMillis};

/// One file entry, read and validated.
#[derive(Debug, Clone)]
pub struct Desired {
    /// Its position among the file's entries (0-based).
    pub index: usize,
    /// The id the entry names, if any.
    pub id: Option<String>,
    /// The configuration it asks for (`id` empty for a new key).
    pub key: Key,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    Create,
    Update,
    Unchanged,
    Revoke,
}

/// One field that differs. `old`/`new` are the values as a key file writes them (`null`
/// where a file leaves the field out, i.e. its default); the `*_text` forms are for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldChange {
    pub field: &'static str,
    pub old: serde_json::Value,
    pub new: serde_json::Value,
    #[serde(skip)]
    pub old_text: String,
    #[serde(skip)]
    pub new_text: String,
}

/// A key as the fields of a file entry, for `FieldChange`'s values.
fn as_entry(key: &Key) -> serde_json::Map<String, serde_json::Value> {
    match serde_json::to_value(fields::export(key)) {
        Ok(serde_json::Value::Object(map)) => map,
        _ => serde_json::Map::new(),
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeyPlan {
    pub action: Action,
    /// `null` for a key still to be created.
    pub id: Option<String>,
    pub name: String,
    pub changes: Vec<FieldChange>,
    /// The file entry (0-based) this comes from; `None` for a pruned key.
    #[serde(skip)]
    pub entry: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Plan {
    /// The file's keys in file order, then pruned keys by name.
    pub keys: Vec<KeyPlan>,
    /// Live keys the file does not list, left alone because `prune` is off.
    pub kept: Vec<KeyName>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub create: usize,
    pub update: usize,
    pub revoke: usize,
    pub unchanged: usize,
}

impl Plan {
    pub fn summary(&self) -> Summary {
        let mut s = Summary::default();
        for k in &self.keys {
            match k.action {
                Action::Create => s.create += 1,
                Action::Update => s.update += 1,
                Action::Revoke => s.revoke += 1,
                Action::Unchanged => s.unchanged += 1,
            }
        }
        s
    }

    /// How many keys `apply` would change.
    pub fn pending(&self) -> usize {
        self.keys.iter().filter(|k| k.action != Action::Unchanged).count()
    }
}

/// A file entry that cannot be carried out against this store.
#[derive(Debug)]
pub struct Conflict {
    pub index: usize,
    /// The field to point at.
    pub field: &'static str,
    pub error: Error,
}

/// Compares the desired keys with every key in the store (revoked ones included, since their
/// names and ids stay taken). Keys are matched by id when the entry gives one, else by name.
pub fn diff(all: &[Key], desired: &[Desired], prune: bool, now: UnixMillis) -> Result<Plan, Vec<Conflict>> {
    let mut conflicts = Vec::new();
    let mut keys = Vec::new();
    let mut claimed: BTreeMap<&str, usize> = BTreeMap::new();
    let mut names: BTreeMap<String, usize> = BTreeMap::new();
    let blank = fields::blank_key("");
    for d in desired {
        let mut conflict = |field: &'static str, error: Error| {
            conflicts.push(Conflict {
                index: d.index,
                field,
                error,
            })
        };
        let name = &d.key.name;
        if let Some(first) = names.insert(name.to_lowercase(), d.index) {
            conflict(
                "name",
                Error::usage(format!(
                    "two entries are named '{name}' (entries #{} and #{}; names are case-insensitive)",
                    first + 1,
                    d.index + 1
                ))
                .hint("every key has one entry"),
            );
            continue;
        }
        let matched = match &d.id {
            Some(id) if !crate::token::looks_like_key_id(id) => {
                conflict(
                    "id",
                    Error::usage(format!("'{}' is not a key id", crate::store::keys::printable(id)))
                        .hint("key ids are 'key_' and 8 lowercase letters or digits; to create a key, leave `id` out"),
                );
                continue;
            }
            Some(id) => match all.iter().find(|k| k.id == *id) {
                // A key this store never had is created with the file's id, so that a file
                // exported elsewhere (or a restored setup) applies and then reads back unchanged.
                None => None,
                Some(k) if k.revoked_at.is_some() => {
                    conflict(
                        "id",
                        Error::usage(format!("key {id} ('{}') is revoked, and revocation is final", k.name))
                            .hint("remove the entry, or leave `id` out to create a new key"),
                    );
                    continue;
                }
                Some(k) => Some(k),
            },
            None => all.iter().find(|k| k.revoked_at.is_none() && k.name.eq_ignore_ascii_case(name)),
        };
        if let Some(other) = all
            .iter()
            .find(|k| k.name.eq_ignore_ascii_case(name) && matched.is_none_or(|m| m.id != k.id))
        {
            let (msg, hint) = if other.revoked_at.is_some() {
                (
                    format!("the name '{name}' belongs to revoked key {}; names are never reused", other.id),
                    "choose another name",
                )
            } else {
                (
                    format!("the name '{name}' belongs to key {}", other.id),
                    "rename that key first (its own entry, or a separate apply), or choose another name",
                )
            };
            conflict("name", Error::usage(msg).hint(hint));
            continue;
        }
        if let Some(m) = matched {
            if let Some(first) = claimed.insert(&m.id, d.index) {
                conflict(
                    "name",
                    Error::usage(format!(
                        "entries #{} and #{} both describe key {} ('{}')",
                        first + 1,
                        d.index + 1,
                        m.id,
                        m.name
                    ))
                    .hint("every key has one entry"),
                );
                continue;
            }
        }
        let base = matched.unwrap_or(&blank);
        let (base_entry, want_entry) = (as_entry(base), as_entry(&d.key));
        let value = |entry: &serde_json::Map<String, serde_json::Value>, name: &str| entry.get(name).cloned().unwrap_or_default();
        let changes: Vec<FieldChange> = FIELDS
            .iter()
            .filter_map(|f| {
                let (old_text, new_text) = ((f.show)(base), (f.show)(&d.key));
                (old_text != new_text).then(|| FieldChange {
                    field: f.name,
                    old: value(&base_entry, f.name),
                    new: value(&want_entry, f.name),
                    old_text,
                    new_text,
                })
            })
            .collect();
        if let Some(at) = d.key.expires_at {
            let changes_expiry = changes.iter().any(|c| c.field == "expires");
            if changes_expiry && at <= now {
                conflict(
                    "expires",
                    Error::usage(format!("expires {} is in the past", time::format(at))).hint("give a future date, or leave `expires` out"),
                );
                continue;
            }
        }
        let action = match (matched, changes.is_empty()) {
            (None, _) => Action::Create,
            (Some(_), true) => Action::Unchanged,
            (Some(_), false) => Action::Update,
        };
        keys.push(KeyPlan {
            action,
            id: matched.map(|m| m.id.clone()).or_else(|| d.id.clone()),
            name: name.clone(),
            changes,
            entry: Some(d.index),
        });
    }
    if !conflicts.is_empty() {
        return Err(conflicts);
    }
    let listed: BTreeSet<&str> = claimed.keys().copied().collect();
    let mut kept = Vec::new();
    for k in all.iter().filter(|k| k.revoked_at.is_none() && !listed.contains(k.id.as_str())) {
        if prune {
            keys.push(KeyPlan {
                action: Action::Revoke,
                id: Some(k.id.clone()),
                name: k.name.clone(),
                changes: vec![],
                entry: None,
            });
        } else {
            kept.push(KeyName::from(k));
        }
    }
    Ok(Plan { keys, kept })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::Millis;

    const NOW: UnixMillis = UnixMillis::from_i64(1_800_000_000_000);

    fn key(id: &str, name: &str) -> Key {
        let mut k = fields::blank_key(id);
        k.name = name.into();
        k
    }

    fn want(index: usize, id: Option<&str>, k: Key) -> Desired {
        Desired {
            index,
            id: id.map(str::to_owned),
            key: k,
        }
    }

    #[test]
    fn creates_updates_unchanged_and_kept() {
        let mut ci = key("key_aaaaaaaa", "ci");
        ci.settings.sender = Some("ACME".into());
        let deploy = key("key_bbbbbbbb", "deploy");
        let other = key("key_cccccccc", "other");
        let all = vec![ci.clone(), deploy.clone(), other.clone()];
        let mut ci2 = key("", "CI");
        ci2.settings.sender = Some("ACME2".into());
        let plan = diff(
            &all,
            &[want(0, None, ci2), want(1, None, key("", "deploy")), want(2, None, key("", "new"))],
            false,
            NOW,
        )
        .unwrap();
        let actions: Vec<_> = plan.keys.iter().map(|k| (k.action, k.name.as_str())).collect();
        assert_eq!(
            actions,
            vec![(Action::Update, "CI"), (Action::Unchanged, "deploy"), (Action::Create, "new")]
        );
        let fields: Vec<_> = plan.keys[0]
            .changes
            .iter()
            .map(|c| (c.field, c.old_text.as_str(), c.new_text.as_str()))
            .collect();
        assert_eq!(fields, vec![("name", "\"ci\"", "\"CI\""), ("sender", "\"ACME\"", "\"ACME2\"")]);
        assert_eq!(plan.keys[0].changes[1].old, serde_json::json!("ACME"), "typed values for scripts");
        assert_eq!(plan.kept, vec![KeyName::from(&other)]);
        assert_eq!(plan.pending(), 2);
    }

    #[test]
    fn prune_revokes_unlisted_live_keys_only() {
        let mut gone = key("key_dddddddd", "gone");
        gone.revoked_at = Some(UnixMillis::from_i64(1));
        let all = vec![key("key_aaaaaaaa", "a"), key("key_bbbbbbbb", "b"), gone];
        let plan = diff(&all, &[want(0, None, key("", "a"))], true, NOW).unwrap();
        assert_eq!(
            plan.summary(),
            Summary {
                create: 0,
                update: 0,
                revoke: 1,
                unchanged: 1
            }
        );
        assert_eq!(plan.keys[1].name, "b");
        assert!(plan.kept.is_empty());
    }

    #[test]
    fn renames_only_by_id() {
        let all = vec![key("key_aaaaaaaa", "old")];
        let by_id = diff(&all, &[want(0, Some("key_aaaaaaaa"), key("key_aaaaaaaa", "new"))], true, NOW).unwrap();
        assert_eq!(by_id.keys.len(), 1);
        assert_eq!(by_id.keys[0].action, Action::Update);
        // Without the id, a new name is a new key (and, with prune, the old one goes).
        let by_name = diff(&all, &[want(0, None, key("", "new"))], true, NOW).unwrap();
        let actions: Vec<_> = by_name.keys.iter().map(|k| k.action).collect();
        assert_eq!(actions, vec![Action::Create, Action::Revoke]);
    }

    #[test]
    fn conflicts_are_all_reported() {
        let mut revoked = key("key_rrrrrrrr", "retired");
        revoked.revoked_at = Some(UnixMillis::from_i64(1));
        let all = vec![key("key_aaaaaaaa", "a"), key("key_bbbbbbbb", "b"), revoked];
        let mut past = key("", "late");
        past.expires_at = Some(NOW - Millis::from_i64(1));
        let desired = vec![
            want(0, Some("not-an-id"), key("not-an-id", "x")),
            want(1, None, key("", "retired")),
            want(2, Some("key_aaaaaaaa"), key("key_aaaaaaaa", "b")),
            want(3, None, key("", "dup")),
            want(4, None, key("", "DUP")),
            want(5, Some("key_rrrrrrrr"), key("key_rrrrrrrr", "r2")),
            want(6, None, past),
        ];
        let errs = diff(&all, &desired, false, NOW).unwrap_err();
        let got: Vec<_> = errs.iter().map(|c| (c.index, c.field)).collect();
        assert_eq!(
            got,
            vec![(0, "id"), (1, "name"), (2, "name"), (4, "name"), (5, "id"), (6, "expires")]
        );
        assert!(errs[1].error.message.contains("never reused"));
    }

    #[test]
    fn an_unknown_id_creates_the_key_with_that_id() {
        let plan = diff(&[], &[want(0, Some("key_zzzzzzzz"), key("key_zzzzzzzz", "x"))], false, NOW).unwrap();
        assert_eq!(plan.keys[0].action, Action::Create);
        assert_eq!(plan.keys[0].id.as_deref(), Some("key_zzzzzzzz"));
        // But not a second key under a name another key holds.
        let errs = diff(
            &[key("key_aaaaaaaa", "x")],
            &[want(0, Some("key_zzzzzzzz"), key("key_zzzzzzzz", "x"))],
            false,
            NOW,
        )
        .unwrap_err();
        assert_eq!(errs[0].field, "name");
    }

    #[test]
    fn an_expired_key_that_stays_expired_is_unchanged() {
        let mut k = key("key_aaaaaaaa", "old");
        k.expires_at = Some(NOW - Millis::from_secs(5));
        let mut d = k.clone();
        d.id.clear();
        let plan = diff(std::slice::from_ref(&k), &[want(0, None, d)], false, NOW).unwrap();
        assert_eq!(plan.keys[0].action, Action::Unchanged);
    }

    #[test]
    fn expiry_compares_to_the_second() {
        let mut k = key("key_aaaaaaaa", "a");
        k.expires_at = Some(NOW + Millis::days(1) + Millis::from_i64(123));
        let mut d = key("", "a");
        d.expires_at = Some(NOW + Millis::days(1));
        assert_eq!(diff(&[k], &[want(0, None, d)], false, NOW).unwrap().pending(), 0);
    }
}
