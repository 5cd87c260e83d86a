//! Key selectors for bulk operations (`key list` / `key revoke` with `--name`, `--unused-for`,
//! `--created-before`, `--expires-within`): parsed once into bounds, matched as pure functions.

use crate::error::{Error, Result};
use crate::store::keys::Key;
use crate::time::{self, UnixMillis};

/// Every given condition must hold. The default selects every key.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selector {
    pub name_glob: Option<String>,
    /// The key policy's owner, exactly.
    pub owner: Option<String>,
    /// Unused since at least this instant (a never-used key counts from its creation).
    pub unused_since: Option<UnixMillis>,
    pub created_before: Option<UnixMillis>,
    /// Expires at or before this instant (already expired keys included).
    pub expires_by: Option<UnixMillis>,
}

impl Selector {
    pub fn parse(
        name: Option<&str>,
        owner: Option<&str>,
        unused_for: Option<&str>,
        created_before: Option<&str>,
        expires_within: Option<&str>,
        now: UnixMillis,
    ) -> Result<Selector> {
        if let Some(g) = name {
            if g.is_empty() {
                return Err(Error::usage("--name needs a pattern").hint("e.g. --name 'ci-*' ('*' any run of characters, '?' one)"));
            }
        }
        let duration = |flag: &str, v: &str| {
            time::parse_duration(v).map_err(|e| {
                Error::usage(format!("invalid {flag} '{}'", crate::store::keys::printable(v))).hint(e.hint.unwrap_or_default())
            })
        };
        if let Some(o) = owner {
            crate::policy::validate_owner(o)?;
        }
        Ok(Selector {
            name_glob: name.map(str::to_owned),
            owner: owner.map(str::to_owned),
            unused_since: unused_for.map(|v| duration("--unused-for", v).map(|d| now - d)).transpose()?,
            created_before: created_before
                .map(|v| {
                    time::parse_since(v, now).map_err(|_| {
                        Error::usage(format!("invalid --created-before '{}'", crate::store::keys::printable(v)))
                            .hint("use a duration ago (90d), a date (2026-01-01) or a time (2026-01-01T09:00:00Z)")
                    })
                })
                .transpose()?,
            expires_by: expires_within
                .map(|v| duration("--expires-within", v).map(|d| now + d))
                .transpose()?,
        })
    }

    /// Whether any condition was given.
    pub fn is_filtering(&self) -> bool {
        *self != Selector::default()
    }

    pub fn matches(&self, key: &Key) -> bool {
        self.name_glob.as_deref().is_none_or(|g| glob_match(g, &key.name))
            && self
                .owner
                .as_deref()
                .is_none_or(|o| key.settings.policy.owner.as_deref() == Some(o))
            && self.unused_since.is_none_or(|t| key.last_used_at.unwrap_or(key.created_at) <= t)
            && self.created_before.is_none_or(|t| key.created_at < t)
            && self.expires_by.is_none_or(|t| key.expires_at.is_some_and(|e| e <= t))
    }
}

/// `*` matches any run of characters, `?` exactly one; everything else itself, ignoring ASCII
/// case (key names are case-insensitive).
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().map(|c| c.to_ascii_lowercase()).collect();
    let t: Vec<char> = text.chars().map(|c| c.to_ascii_lowercase()).collect();
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::Millis;

    const DAY: Millis = Millis::days(1);
    const NOW: UnixMillis = UnixMillis::from_i64(1_800_000_000_000);
    const LONG_AGO: UnixMillis = UnixMillis::EPOCH;

    #[test]
    fn globs() {
        for (p, t) in [
            ("ci-*", "ci-main"),
            ("*", ""),
            ("c?", "CI"),
            ("*-prod", "eu-prod"),
            ("a*b*c", "axxbyyc"),
            ("ci", "CI"),
        ] {
            assert!(glob_match(p, t), "{p} {t}");
        }
        for (p, t) in [("ci-*", "ci"), ("c?", "c"), ("*-prod", "prod"), ("a*b*c", "axxbyy"), ("ci", "ci2")] {
            assert!(!glob_match(p, t), "{p} {t}");
        }
    }

    fn key(created: UnixMillis, used: Option<UnixMillis>, expires: Option<UnixMillis>) -> Key {
        let mut k = crate::keyfile::fields::blank_key("key_aaaaaaaa");
        k.name = "ci".into();
        k.created_at = created;
        k.last_used_at = used;
        k.expires_at = expires;
        k
    }

    #[test]
    fn conditions() {
        let s = Selector::parse(None, None, Some("30d"), None, None, NOW).unwrap();
        assert!(s.matches(&key(NOW - Millis::days(40), None, None)), "never used, old");
        assert!(!s.matches(&key(NOW - Millis::days(10), None, None)), "never used, young");
        assert!(!s.matches(&key(NOW - Millis::days(40), Some(NOW - DAY), None)), "used recently");
        let s = Selector::parse(None, None, None, None, Some("7d"), NOW).unwrap();
        assert!(s.matches(&key(LONG_AGO, None, Some(NOW + DAY))));
        assert!(s.matches(&key(LONG_AGO, None, Some(NOW - DAY))), "already expired");
        assert!(!s.matches(&key(LONG_AGO, None, Some(NOW + Millis::days(8)))));
        assert!(!s.matches(&key(LONG_AGO, None, None)), "never expires");
        let s = Selector::parse(Some("c*"), None, None, Some("2026-01-01"), None, NOW).unwrap();
        assert!(s.matches(&key(LONG_AGO, None, None)));
        assert!(!s.matches(&key(NOW, None, None)));
        assert!(!Selector::default().is_filtering());
        assert!(s.is_filtering());
        for bad in [
            Selector::parse(None, None, Some("soon"), None, None, NOW),
            Selector::parse(None, None, None, Some("yesterday"), None, NOW),
            Selector::parse(None, None, None, None, Some("-1d"), NOW),
            Selector::parse(Some(""), None, None, None, None, NOW),
        ] {
            assert_eq!(bad.unwrap_err().exit_code(), 2);
        }
    }
}
