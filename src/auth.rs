//! Checking a presented secret the way the API does: format, existence, revocation, expiry,
//! grace and the IP whitelist. Used by `key verify` and by the gateway.

use std::net::IpAddr;
use std::sync::Arc;

use crate::store::Conn;
use ipnet::IpNet;
use serde::Serialize;

use crate::error::Result;
use crate::keys::rotation::{self, SecretState};
use crate::store::keys::{self, Key, SecretRow};
use crate::time::UnixMillis;
use crate::token::{Secret, SecretHash};
use crate::whitelist;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    Ok,
    Malformed,
    Unknown,
    /// The secret is real but belongs to another key than the one claimed.
    WrongKey,
    Revoked,
    Expired,
    GraceEnded,
    IpNotAllowed,
}

impl Reason {
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Ok => "ok",
            Reason::Malformed => "malformed",
            Reason::Unknown => "unknown",
            Reason::WrongKey => "wrong_key",
            Reason::Revoked => "revoked",
            Reason::Expired => "expired",
            Reason::GraceEnded => "grace_ended",
            Reason::IpNotAllowed => "ip_not_allowed",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Outcome {
    pub reason: Reason,
    /// Why, in words (never containing the secret).
    pub detail: String,
    /// Shared: the gateway's cache hands out the same key to every request.
    pub key: Option<Arc<Key>>,
    pub secret: Option<SecretRow>,
    /// The whitelist entry that allowed the peer.
    pub matched: Option<IpNet>,
}

impl Outcome {
    fn fail(reason: Reason, detail: impl Into<String>, key: Option<Arc<Key>>, secret: Option<SecretRow>) -> Outcome {
        Outcome {
            reason,
            detail: detail.into(),
            key,
            secret,
            matched: None,
        }
    }
}

/// Checks `presented` (and, when given, that it belongs to `key_id` and that `peer` is whitelisted).
pub fn check(conn: &Conn, key_id: Option<&str>, presented: &str, peer: Option<IpAddr>, now: UnixMillis) -> Result<Outcome> {
    check_with(key_id, presented, peer, now, |hash| lookup(conn, hash))
}

/// The secret with this hash and its key, read from the store.
pub fn lookup(conn: &Conn, hash: &SecretHash) -> Result<Option<(SecretRow, Arc<Key>)>> {
    let Some(row) = keys::find_secret(conn, hash)? else {
        return Ok(None);
    };
    Ok(keys::find_by_id(conn, &row.key_id)?.map(|key| (row, Arc::new(key))))
}

/// [`check`] with the secret and key found by `lookup` (the store, or the gateway's cache of it).
/// The secret is looked up by its hash first, so the cost is the same whether `key_id` exists;
/// the id is compared after, in constant time.
pub fn check_with(
    key_id: Option<&str>,
    presented: &str,
    peer: Option<IpAddr>,
    now: UnixMillis,
    lookup: impl FnOnce(&SecretHash) -> Result<Option<(SecretRow, Arc<Key>)>>,
) -> Result<Outcome> {
    let secret = match Secret::parse(presented) {
        Ok(s) => s,
        Err(why) => return Ok(Outcome::fail(Reason::Malformed, format!("the secret {why}"), None, None)),
    };
    // Looked up by the hash alone, so the cost is the same whatever key id was claimed; the
    // claimed id is compared after (constant-time).
    let Some((row, key)) = lookup(&secret.hash())? else {
        return Ok(Outcome::fail(Reason::Unknown, "no key has this secret", None, None));
    };
    if let Some(id) = key_id {
        if !bool::from(subtle::ConstantTimeEq::ct_eq(row.key_id.as_bytes(), id.as_bytes())) {
            let detail = format!("this secret belongs to key '{}' ({}), not to {id}", key.name, key.id);
            return Ok(Outcome::fail(Reason::WrongKey, detail, Some(key), Some(row)));
        }
    }
    if let Some(at) = key.revoked_at {
        let detail = format!("key '{}' was revoked at {}", key.name, crate::time::format(at));
        return Ok(Outcome::fail(Reason::Revoked, detail, Some(key), Some(row)));
    }
    if let Some(at) = key.expires_at.filter(|t| *t <= now) {
        let detail = format!("key '{}' expired at {}", key.name, crate::time::format(at));
        return Ok(Outcome::fail(Reason::Expired, detail, Some(key), Some(row)));
    }
    if rotation::state(row.valid_until, now) == SecretState::Ended {
        let detail = format!(
            "this secret of key '{}' was rotated out; its grace ended at {}",
            key.name,
            crate::time::format_opt(row.valid_until)
        );
        return Ok(Outcome::fail(Reason::GraceEnded, detail, Some(key), Some(row)));
    }
    let mut matched = None;
    if let Some(ip) = peer {
        match whitelist::matching(&key.settings.whitelist, ip) {
            Some(entry) => matched = Some(entry),
            None => {
                let detail = if key.settings.whitelist.is_empty() {
                    format!(
                        "{ip} is not allowed: key '{}' has an empty whitelist, which refuses every address",
                        key.name
                    )
                } else {
                    format!("{ip} is not in the whitelist of key '{}'", key.name)
                };
                return Ok(Outcome::fail(Reason::IpNotAllowed, detail, Some(key), Some(row)));
            }
        }
    }
    let detail = match rotation::state(row.valid_until, now) {
        SecretState::Grace => format!(
            "valid for key '{}' (previous secret, in grace until {})",
            key.name,
            crate::time::format_opt(row.valid_until)
        ),
        _ => format!("valid for key '{}' (current secret)", key.name),
    };
    Ok(Outcome {
        reason: Reason::Ok,
        detail,
        key: Some(key),
        secret: Some(row),
        matched,
    })
}
