//! A change to a key's settings as plain data ([`SettingsPatch`]), and applying it: each value
//! validated as it is set, then the rules between settings ([`check_consistency`]). `key set`,
//! `key create` and `key edit` build a patch from what they were given.

use crate::error::{Error, Result};
use crate::policy::{self, Policy, Purpose, Scope};
use crate::settings;
use crate::store::keys::Key;
use crate::text::AutoConvert;
use crate::time::{self, Expiry, UnixMillis};

/// What to do with one setting.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) enum Edit<T> {
    /// Leave it as it is.
    #[default]
    Keep,
    /// Set it to this (as given; validated when applied).
    Set(T),
    /// Remove it (unset, empty list, or the built-in default).
    Clear,
}

impl<T> Edit<T> {
    /// `Set(v)` for `Some(v)`, `Clear` when `clear`, else `Keep`.
    pub(crate) fn from_options(value: Option<T>, clear: bool) -> Edit<T> {
        match (value, clear) {
            (Some(v), _) => Edit::Set(v),
            (None, true) => Edit::Clear,
            (None, false) => Edit::Keep,
        }
    }

    /// `Set(list)` for a non-empty list (lists replace the stored one), `Clear` when `clear`.
    pub(crate) fn from_list(list: Vec<T>, clear: bool) -> Edit<Vec<T>> {
        Edit::from_options(Some(list).filter(|l| !l.is_empty()), clear)
    }

    /// Applies a validated value to `slot`.
    fn apply<U>(&self, slot: &mut Option<U>, check: impl FnOnce(&T) -> Result<U>) -> Result<()> {
        match self {
            Edit::Keep => {}
            Edit::Set(v) => *slot = Some(check(v)?),
            Edit::Clear => *slot = None,
        }
        Ok(())
    }
}

/// A change to a key's settings. `Default` changes nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct SettingsPatch {
    pub sender: Edit<String>,
    /// `Clear`: the built-in default (`on`) applies.
    pub auto_replace: Edit<AutoConvert>,
    pub dlr_url: Edit<String>,
    pub description: Edit<String>,
    /// A duration, date, time or `never`, as `time::parse_expiry` reads it.
    pub expires: Option<String>,
    pub production: Option<bool>,
    pub policy: PolicyPatch,
}

/// A change to a key's policy (docs/policy.md). List values replace the stored list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct PolicyPatch {
    pub owner: Edit<String>,
    /// `Clear`: every operation.
    pub scopes: Edit<Vec<Scope>>,
    pub allow_senders: Edit<Vec<String>>,
    pub allow_to: Edit<Vec<String>>,
    pub deny_to: Edit<Vec<String>>,
    pub max_parts: Edit<u32>,
    /// `N/s` or `N/min`, as `policy::Rate` parses it.
    pub rate: Edit<String>,
    /// `N/day` or `N/month`.
    pub quota: Edit<String>,
    pub purpose: Edit<Purpose>,
    /// `HH:MM-HH:MM@ZONE`.
    pub send_window: Edit<String>,
    pub canary: Option<bool>,
    pub alert_url: Edit<String>,
}

impl SettingsPatch {
    pub(crate) fn is_empty(&self) -> bool {
        *self == SettingsPatch::default()
    }
}

/// Applies `patch` to `key`, validating each value in a fixed order (so the first bad one is
/// the error); returns warnings. The key is changed only in memory.
pub(crate) fn apply(key: &mut Key, patch: &SettingsPatch, now: UnixMillis) -> Result<Vec<String>> {
    let mut warnings = Vec::new();
    let s = &mut key.settings;
    patch.sender.apply(&mut s.sender, |v| settings::validate_sender(v))?;
    patch.auto_replace.apply(&mut s.auto_replace, |m| Ok(*m))?;
    if patch.auto_replace == Edit::Set(AutoConvert::On) && s.replace.is_empty() {
        warnings.push(format!(
            "autoconvert 'on' uses the key's own table, which is empty; add mappings with `smsctl key replace {} add FROM TO`",
            key.name
        ));
    }
    patch.dlr_url.apply(&mut s.dlr_url, |v| settings::validate_dlr_url(v))?;
    patch.description.apply(&mut key.description, |d| {
        settings::validate_description(d)?;
        Ok(d.clone())
    })?;
    if let Some(e) = &patch.expires {
        key.expires_at = match time::parse_expiry(e, now)? {
            Expiry::Never => None,
            Expiry::At(t) => Some(t),
        };
    }
    if let Some(production) = patch.production {
        key.settings.production = production;
    }
    apply_policy(&mut key.settings.policy, &patch.policy)?;
    Ok(warnings)
}

fn apply_policy(p: &mut Policy, patch: &PolicyPatch) -> Result<()> {
    patch.owner.apply(&mut p.owner, |o| policy::validate_owner(o))?;
    patch.scopes.apply(&mut p.scopes, |list| Ok(list.iter().copied().collect()))?;
    let lists = [
        (
            &patch.allow_senders,
            &mut p.allow_senders,
            settings::validate_sender as fn(&str) -> Result<String>,
        ),
        (&patch.allow_to, &mut p.allow_to, policy::validate_prefix),
        (&patch.deny_to, &mut p.deny_to, policy::validate_prefix),
    ];
    for (edit, slot, check) in lists {
        match edit {
            Edit::Keep => {}
            Edit::Set(list) => *slot = dedup(list.iter().map(|s| check(s)).collect::<Result<_>>()?),
            Edit::Clear => slot.clear(),
        }
    }
    patch.max_parts.apply(&mut p.max_parts, |n| Ok(*n))?;
    patch.rate.apply(&mut p.rate, |r| r.parse())?;
    patch.quota.apply(&mut p.quota, |q| q.parse())?;
    patch.purpose.apply(&mut p.purpose, |v| Ok(*v))?;
    patch.send_window.apply(&mut p.send_window, |w| w.parse())?;
    if let Some(canary) = patch.canary {
        p.canary = canary;
    }
    patch.alert_url.apply(&mut p.alert_url, |u| settings::validate_dlr_url(u))?;
    Ok(())
}

fn dedup(mut list: Vec<String>) -> Vec<String> {
    let mut seen = std::collections::BTreeSet::new();
    list.retain(|s| seen.insert(s.clone()));
    list
}

/// Rules between settings, checked on the final state of a created or changed key.
pub(crate) fn check_consistency(key: &Key) -> Result<Vec<String>> {
    let s = &key.settings;
    let p = &s.policy;
    if s.production && p.owner.is_none() {
        return Err(Error::usage(format!("production key '{}' needs an owner", key.name))
            .hint("name the team that owns it with --owner TEAM, e.g. --owner payments"));
    }
    if let (Some(sender), false) = (&s.sender, p.allow_senders.is_empty()) {
        if !p.allow_senders.contains(sender) {
            return Err(Error::usage(format!(
                "the default sender '{sender}' is not one of the allowed senders ({})",
                p.allow_senders.join(", ")
            ))
            .hint("add it with --allow-sender, or change the default with --sender"));
        }
    }
    let mut warnings = Vec::new();
    if p.alert_url.is_some() && !p.canary {
        warnings.push(format!(
            "key '{}' has an alert URL but is not a canary; the URL is used only when a canary is tripped",
            key.name
        ));
    }
    if let Some(scopes) = &p.scopes {
        if !scopes.contains(&Scope::Send) && !scopes.contains(&Scope::Bulk) && !scopes.contains(&Scope::Schedule) {
            warnings.push(format!("key '{}' cannot send: its scopes allow only reading status", key.name));
        }
    }
    Ok(warnings)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> Key {
        let mut key = crate::keyfile::fields::blank_key("key_test0001");
        key.name = "ci".into();
        key.description = Some("old".into());
        key
    }

    #[test]
    fn an_empty_patch_changes_nothing() {
        let patch = SettingsPatch::default();
        assert!(patch.is_empty());
        let mut k = key();
        let before = k.audit_snapshot();
        assert!(apply(&mut k, &patch, UnixMillis::EPOCH).unwrap().is_empty());
        assert_eq!(before, k.audit_snapshot());
    }

    #[test]
    fn set_and_clear_each_setting() {
        let mut k = key();
        let patch = SettingsPatch {
            sender: Edit::Set("ACME".into()),
            auto_replace: Edit::Set(AutoConvert::Full),
            dlr_url: Edit::Set("https://hooks.example.com/dlr".into()),
            description: Edit::Clear,
            expires: Some("1d".into()),
            production: Some(true),
            policy: PolicyPatch {
                owner: Edit::Set("payments".into()),
                allow_senders: Edit::Set(vec!["ACME".into(), "ACME".into(), "Other".into()]),
                max_parts: Edit::Set(3),
                canary: Some(false),
                ..PolicyPatch::default()
            },
        };
        assert!(!patch.is_empty());
        assert!(apply(&mut k, &patch, UnixMillis::from_i64(1_000)).unwrap().is_empty());
        assert_eq!(k.settings.sender.as_deref(), Some("ACME"));
        assert_eq!(k.settings.auto_replace, Some(AutoConvert::Full));
        assert_eq!(k.description, None);
        assert_eq!(k.expires_at, Some(UnixMillis::from_i64(1_000) + crate::time::Millis::days(1)));
        assert!(k.settings.production);
        assert_eq!(k.settings.policy.allow_senders, ["ACME", "Other"], "duplicates dropped");
        assert_eq!(k.settings.policy.max_parts, Some(3));
        assert!(check_consistency(&k).unwrap().is_empty());

        let clear = SettingsPatch {
            sender: Edit::Clear,
            auto_replace: Edit::Clear,
            production: Some(false),
            policy: PolicyPatch {
                allow_senders: Edit::Clear,
                max_parts: Edit::Clear,
                ..PolicyPatch::default()
            },
            ..SettingsPatch::default()
        };
        apply(&mut k, &clear, UnixMillis::from_i64(1_000)).unwrap();
        assert_eq!((k.settings.sender.clone(), k.settings.auto_replace), (None, None));
        assert!(!k.settings.production && k.settings.policy.allow_senders.is_empty());
        assert_eq!(k.settings.policy.max_parts, None);
        assert_eq!(k.settings.dlr_url.as_deref(), Some("https://hooks.example.com/dlr"), "kept");
    }

    #[test]
    fn the_first_bad_value_is_the_error() {
        let patch = SettingsPatch {
            sender: Edit::Set("this sender is far too long".into()),
            dlr_url: Edit::Set("http://example.com/".into()),
            ..SettingsPatch::default()
        };
        let err = apply(&mut key(), &patch, UnixMillis::EPOCH).unwrap_err();
        assert_eq!(err.exit_code(), 2);
        assert!(err.message.contains("sender"), "{}", err.message);
        let bad_url = SettingsPatch {
            dlr_url: Edit::Set("http://example.com/".into()),
            ..SettingsPatch::default()
        };
        assert!(
            apply(&mut key(), &bad_url, UnixMillis::EPOCH)
                .unwrap_err()
                .message
                .contains("webhook")
        );
    }

    #[test]
    fn on_with_an_empty_table_warns() {
        let patch = SettingsPatch {
            auto_replace: Edit::Set(AutoConvert::On),
            ..SettingsPatch::default()
        };
        let warnings = apply(&mut key(), &patch, UnixMillis::EPOCH).unwrap();
        assert!(warnings[0].contains("table, which is empty"), "{warnings:?}");
    }

    #[test]
    fn consistency_rules() {
        let mut k = key();
        k.settings.production = true;
        assert!(check_consistency(&k).unwrap_err().message.contains("needs an owner"));
        k.settings.policy.owner = Some("payments".into());
        k.settings.sender = Some("ACME".into());
        k.settings.policy.allow_senders = vec!["Other".into()];
        assert!(
            check_consistency(&k)
                .unwrap_err()
                .message
                .contains("not one of the allowed senders")
        );
        k.settings.policy.allow_senders.clear();
        k.settings.policy.alert_url = Some("https://hooks.example.com/a".into());
        assert!(check_consistency(&k).unwrap()[0].contains("not a canary"));
    }

    #[test]
    fn edits_from_options() {
        assert_eq!(Edit::from_options(Some(1), false), Edit::Set(1));
        assert_eq!(Edit::<i32>::from_options(None, true), Edit::Clear);
        assert_eq!(Edit::<i32>::from_options(None, false), Edit::Keep);
        assert_eq!(Edit::from_list(Vec::<i32>::new(), false), Edit::Keep);
        assert_eq!(Edit::from_list(vec![1], false), Edit::Set(vec![1]));
    }
}
