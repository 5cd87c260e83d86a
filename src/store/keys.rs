//! Key and secret rows. Secrets are stored as SHA-256 hashes plus their last four characters.

use crate::params;
use crate::store::db::{Conn, OptionalExtension, Row};
use ipnet::IpNet;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::keys::rotation;
use crate::policy::Policy;
use crate::text::{AutoConvert, ReplaceTable};
use crate::time::{Millis, UnixMillis};
use crate::token::{self, Secret, SecretHash};
use sha2::Digest as _;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    pub created_at: UnixMillis,
    pub expires_at: Option<UnixMillis>,
    pub revoked_at: Option<UnixMillis>,
    pub settings: Settings,
    pub last_used_at: Option<UnixMillis>,
    pub last_used_ip: Option<String>,
}

/// The per-key settings that `send` and the gateway resolve against.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Settings {
    pub sender: Option<String>,
    /// `None`: not set on the key, so the built-in default applies.
    pub auto_replace: Option<AutoConvert>,
    pub dlr_url: Option<String>,
    pub replace: ReplaceTable,
    pub whitelist: Vec<IpNet>,
    pub production: bool,
    /// Owner, scopes, senders, destinations, limits, canary (see [`crate::policy`]).
    pub policy: Policy,
}

/// How output names a key: `{"id", "name"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeyName {
    pub id: String,
    pub name: String,
}

impl From<&Key> for KeyName {
    fn from(key: &Key) -> KeyName {
        KeyName {
            id: key.id.clone(),
            name: key.name.clone(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Active,
    Expired,
    Revoked,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Active => "active",
            Status::Expired => "expired",
            Status::Revoked => "revoked",
        }
    }
}

impl Key {
    pub fn status(&self, now: UnixMillis) -> Status {
        if self.revoked_at.is_some() {
            Status::Revoked
        } else if self.expires_at.is_some_and(|e| e <= now) {
            Status::Expired
        } else {
            Status::Active
        }
    }

    /// The non-secret fields, as recorded in the audit trail's before/after.
    pub fn audit_snapshot(&self) -> serde_json::Value {
        let s = &self.settings;
        serde_json::json!({
            "name": self.name,
            "description": self.description,
            "created_at": crate::time::format_exact(self.created_at),
            "expires_at": self.expires_at.map(crate::time::format_exact),
            "revoked_at": self.revoked_at.map(crate::time::format_exact),
            "sender": s.sender,
            "auto_replace": s.auto_replace,
            "dlr_url": s.dlr_url,
            "replace": s.replace,
            "whitelist": s.whitelist.iter().map(|n| n.to_string()).collect::<Vec<_>>(),
            "production": s.production,
            "policy": s.policy,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretRow {
    pub id: i64,
    pub key_id: String,
    pub last4: String,
    pub created_at: UnixMillis,
    /// `None` while this is the key's current secret.
    pub valid_until: Option<UnixMillis>,
    /// When this secret last authenticated (per secret, so a rotation shows who still uses the old one).
    pub last_used_at: Option<UnixMillis>,
    /// `--retire-when-quiet`: the secret ends by itself once unused for this long.
    pub retire_when_quiet: Option<Millis>,
}

/// Key names: 1–64 characters of `[A-Za-z0-9._-]`, not shaped like a key id.
pub fn validate_name(name: &str) -> Result<()> {
    let hint = "names are 1-64 characters of letters, digits, '.', '_' and '-'";
    if name.is_empty() || name.chars().count() > 64 {
        return Err(Error::usage(format!("invalid key name '{}': must be 1-64 characters", printable(name))).hint(hint));
    }
    if let Some(c) = name.chars().find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))) {
        return Err(Error::usage(format!("invalid key name '{}': character {c:?} is not allowed", printable(name))).hint(hint));
    }
    if token::looks_like_key_id(&name.to_ascii_lowercase()) {
        return Err(Error::usage(format!("invalid key name '{name}': names shaped like key ids are reserved")).hint(hint));
    }
    Ok(())
}

/// Shows control characters escaped and cuts long input, so an error message cannot mangle the terminal.
pub fn printable(s: &str) -> String {
    let short: String = s.chars().take(80).collect();
    let mut out = crate::printable::escape_controls(&short).into_owned();
    if s.chars().count() > 80 {
        out.push('…');
    }
    out
}

const KEY_COLUMNS: &str = "id, name, description, created_at, expires_at, revoked_at, sender, auto_replace, dlr_url, replace_table, whitelist, production, last_used_at, last_used_ip, policy";

fn read_key(r: &Row<'_>) -> crate::store::db::Result<Key> {
    let replace: String = r.get(9)?;
    let whitelist: String = r.get(10)?;
    let policy: String = r.get(14)?;
    let bad = |i: usize, what: &str| crate::store::db::DbError::conversion(i, format!("bad {what} in store"));
    Ok(Key {
        id: r.get(0)?,
        name: r.get(1)?,
        description: r.get(2)?,
        created_at: r.get(3)?,
        expires_at: r.get(4)?,
        revoked_at: r.get(5)?,
        settings: Settings {
            sender: r.get(6)?,
            auto_replace: r.get(7)?,
            dlr_url: r.get(8)?,
            replace: serde_json::from_str(&replace).map_err(|_| bad(9, "replace table"))?,
            whitelist: serde_json::from_str::<Vec<String>>(&whitelist)
                .ok()
                .and_then(|v| v.iter().map(|s| s.parse().ok()).collect())
                .ok_or_else(|| bad(10, "whitelist"))?,
            production: r.get(11)?,
            policy: serde_json::from_str(&policy).map_err(|_| bad(14, "policy"))?,
        },
        last_used_at: r.get(12)?,
        last_used_ip: r.get(13)?,
    })
}

fn whitelist_json(list: &[IpNet]) -> String {
    serde_json::to_string(&list.iter().map(|n| n.to_string()).collect::<Vec<_>>()).unwrap_or_else(|_| "[]".into())
}

fn policy_json(policy: &Policy) -> String {
    serde_json::to_string(policy).unwrap_or_else(|_| "{}".into())
}

fn replace_json(table: &ReplaceTable) -> String {
    serde_json::to_string(table).unwrap_or_else(|_| "{}".into())
}

/// Looks a key up by id, then by name (case-insensitively).
pub fn find(conn: &Conn, name_or_id: &str) -> Result<Key> {
    let sql = format!(
        "SELECT {KEY_COLUMNS} FROM keys WHERE id = ?1 UNION ALL SELECT {KEY_COLUMNS} FROM keys WHERE name = ?1 COLLATE NOCASE LIMIT 1"
    );
    if let Some(key) = conn.query_row(&sql, [name_or_id], read_key).optional()? {
        return Ok(key);
    }
    let any: bool = conn.query_row("SELECT EXISTS (SELECT 1 FROM keys)", (), |r| r.get(0))?;
    let err = Error::not_found(format!("no key named '{}'", printable(name_or_id)));
    Err(if any {
        err.hint("run `smsctl key list --all` to see the keys in this store")
    } else {
        // Usually the wrong store (or none yet) rather than the wrong name.
        err.hint("this store has no keys at all, or does not exist yet: check --db / SMSCTL_DB (`smsctl paths` shows the store in use)")
    })
}

/// How many keys the store holds, revoked ones included.
pub fn count(conn: &Conn) -> Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM keys", (), |r| r.get(0))?)
}

pub fn find_by_id(conn: &Conn, id: &str) -> Result<Option<Key>> {
    let sql = format!("SELECT {KEY_COLUMNS} FROM keys WHERE id = ?1");
    Ok(conn.query_row(&sql, [id], read_key).optional()?)
}

pub fn name_taken(conn: &Conn, name: &str, except_id: Option<&str>) -> Result<bool> {
    let n: i64 = conn.query_row(
        "SELECT count(*) FROM keys WHERE name = ?1 COLLATE NOCASE AND (CAST(?2 AS TEXT) IS NULL OR id <> ?2)",
        params![name, except_id],
        |r| r.get(0),
    )?;
    Ok(n > 0)
}

pub fn name_conflict(name: &str) -> Error {
    Error::conflict(format!("a key named '{name}' already exists (names are case-insensitive)"))
        .hint("choose another name, or rename the existing key with `smsctl key rename`")
}

pub fn list(conn: &Conn, include_revoked: bool) -> Result<Vec<Key>> {
    let sql = format!("SELECT {KEY_COLUMNS} FROM keys WHERE (?1 OR revoked_at IS NULL) ORDER BY name COLLATE NOCASE");
    let mut stmt = conn.prepare(&sql)?;
    let keys = stmt
        .query_map([include_revoked], read_key)?
        .collect::<crate::store::db::Result<Vec<_>>>()?;
    Ok(keys)
}

pub fn insert(conn: &Conn, key: &Key) -> Result<()> {
    let s = &key.settings;
    conn.execute(
        &format!("INSERT INTO keys ({KEY_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)"),
        params![
            key.id,
            key.name,
            key.description,
            key.created_at,
            key.expires_at,
            key.revoked_at,
            s.sender,
            s.auto_replace,
            s.dlr_url,
            replace_json(&s.replace),
            whitelist_json(&s.whitelist),
            s.production,
            key.last_used_at,
            key.last_used_ip,
            policy_json(&s.policy)
        ],
    )?;
    Ok(())
}

/// Writes every mutable column of `key`.
pub fn update(conn: &Conn, key: &Key) -> Result<()> {
    let s = &key.settings;
    conn.execute(
        "UPDATE keys SET name = ?2, description = ?3, expires_at = ?4, revoked_at = ?5, sender = ?6, auto_replace = ?7,
         dlr_url = ?8, replace_table = ?9, whitelist = ?10, production = ?11, last_used_at = ?12, last_used_ip = ?13, policy = ?14 WHERE id = ?1",
        params![
            key.id,
            key.name,
            key.description,
            key.expires_at,
            key.revoked_at,
            s.sender,
            s.auto_replace,
            s.dlr_url,
            replace_json(&s.replace),
            whitelist_json(&s.whitelist),
            s.production,
            key.last_used_at,
            key.last_used_ip,
            policy_json(&s.policy)
        ],
    )?;
    Ok(())
}

/// Records a successful authentication of `secret` at `at` from `ip`. An unknown address
/// (`key verify` without `--ip`) keeps the last known one: a check never clears it.
pub fn touch_last_used(conn: &Conn, secret: &SecretRow, at: UnixMillis, ip: Option<&str>) -> Result<()> {
    conn.prepare_cached(
        "UPDATE keys SET last_used_at = ?2, last_used_ip = coalesce(?3, last_used_ip)
         WHERE id = ?1 AND (last_used_at IS NULL OR last_used_at <= ?2)",
    )?
    .execute(params![secret.key_id, at, ip])?;
    conn.prepare_cached("UPDATE secrets SET last_used_at = ?2 WHERE id = ?1 AND (last_used_at IS NULL OR last_used_at <= ?2)")?
        .execute(params![secret.id, at])?;
    Ok(())
}

pub fn insert_secret(conn: &Conn, key_id: &str, secret: &Secret, now: UnixMillis) -> Result<()> {
    conn.execute(
        "INSERT INTO secrets (key_id, hash, last4, created_at, valid_until) VALUES (?1, ?2, ?3, ?4, NULL)",
        params![key_id, secret.hash().0.as_slice(), secret.last4(), now],
    )?;
    Ok(())
}

const SECRET_COLUMNS: &str = "id, key_id, last4, created_at, valid_until, last_used_at, retire_when_quiet";

fn read_secret(r: &Row<'_>) -> crate::store::db::Result<SecretRow> {
    Ok(SecretRow {
        id: r.get(0)?,
        key_id: r.get(1)?,
        last4: r.get(2)?,
        created_at: r.get(3)?,
        valid_until: r.get(4)?,
        last_used_at: r.get(5)?,
        retire_when_quiet: r.get(6)?,
    })
}

/// The key's secrets that can still be valid at `now` (current first, then grace), newest first.
pub fn live_secrets(conn: &Conn, key_id: &str, now: UnixMillis) -> Result<Vec<SecretRow>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {SECRET_COLUMNS} FROM secrets WHERE key_id = ?1 AND (valid_until IS NULL OR valid_until > ?2) ORDER BY created_at DESC, id DESC"
    ))?;
    let rows = stmt
        .query_map(params![key_id, now], read_secret)?
        .collect::<crate::store::db::Result<Vec<_>>>()?;
    Ok(rows)
}

pub fn set_secret_valid_until(conn: &Conn, secret_id: i64, until: UnixMillis) -> Result<()> {
    conn.execute("UPDATE secrets SET valid_until = ?2 WHERE id = ?1", params![secret_id, until])?;
    Ok(())
}

/// Marks a secret to retire itself once it has been unused for `quiet` ([`retire_quiet_secrets`]).
pub fn set_retire_when_quiet(conn: &Conn, secret_id: i64, quiet: Option<Millis>) -> Result<()> {
    conn.execute("UPDATE secrets SET retire_when_quiet = ?2 WHERE id = ?1", params![secret_id, quiet])?;
    Ok(())
}

/// The audit action of a secret retired by `--retire-when-quiet`.
pub const RETIRE_QUIET: crate::store::audit::Action = crate::store::audit::Action::KeyRetireQuiet;

/// A secret in grace that [`retire_quiet_secrets`] ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Retired {
    pub key_id: String,
    pub last4: String,
    /// Its last use, or the rotation that put it in grace when it was not used since.
    pub quiet_since: UnixMillis,
}

/// Ends every secret in grace marked `--retire-when-quiet DUR` that has gone unused for DUR,
/// each with an audit row holding the key's whole state before and after, so the replay in
/// `audit verify` agrees. Quiet is measured from the secret's last successful authentication
/// (API traffic or a recorded `key verify`), or from the rotation that put it in grace.
/// Runs at the start of every write transaction ([`super::Store::write`]) and on the
/// gateway's idle tick, so it acts at the first write after the quiet period, not to the second.
pub fn retire_quiet_secrets(conn: &Conn, now: UnixMillis) -> Result<Vec<Retired>> {
    let mut retired = Vec::new();
    for c in quiet_candidates(conn, now)? {
        let Some(quiet_since) = rotation::quiet_retirement(&c, now) else {
            continue;
        };
        let Some(key) = find_by_id(conn, &c.key_id)? else { continue };
        let before = state_snapshot(conn, &key)?;
        set_secret_valid_until(conn, c.secret_id, now)?;
        let after = state_snapshot(conn, &key)?;
        crate::store::audit::append(
            conn,
            now,
            crate::store::audit::Event {
                actor: "smsctl",
                action: RETIRE_QUIET,
                key_id: Some(&c.key_id),
                before: Some(before),
                after: Some(after),
            },
        )?;
        retired.push(Retired {
            key_id: c.key_id,
            last4: c.last4,
            quiet_since,
        });
    }
    Ok(retired)
}

/// Whether any secret waits for [`retire_quiet_secrets`] at `now` (a read, for idle ticks).
pub fn retirement_due(conn: &Conn, now: UnixMillis) -> Result<bool> {
    Ok(quiet_candidates(conn, now)?
        .iter()
        .any(|c| rotation::quiet_retirement(c, now).is_some()))
}

/// The secrets in grace at `now` marked `--retire-when-quiet`, with the time of the rotation
/// that put each in grace (the creation of the key's next secret).
fn quiet_candidates(conn: &Conn, now: UnixMillis) -> Result<Vec<rotation::QuietCandidate>> {
    let mut stmt = conn.prepare_cached(
        "SELECT s.id, s.key_id, s.last4, s.valid_until, s.retire_when_quiet, s.last_used_at,
                coalesce((SELECT min(n.created_at) FROM secrets n WHERE n.key_id = s.key_id AND n.id > s.id), s.created_at)
         FROM secrets s WHERE s.retire_when_quiet IS NOT NULL AND s.valid_until > ?1
         ORDER BY s.id",
    )?;
    let rows = stmt
        .query_map([now], |r| {
            Ok(rotation::QuietCandidate {
                secret_id: r.get(0)?,
                key_id: r.get(1)?,
                last4: r.get(2)?,
                valid_until: r.get(3)?,
                retire_when_quiet: r.get(4)?,
                last_used_at: r.get(5)?,
                rotated_at: r.get(6)?,
            })
        })?
        .collect::<crate::store::db::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Applies a rotation's [`rotation::Plan`] to the key's existing secrets (the new one is
/// [`insert_secret`]ed beside them).
pub fn apply_rotation(conn: &Conn, key_id: &str, plan: &rotation::Plan) -> Result<()> {
    for e in &plan.end {
        set_secret_valid_until(conn, e.secret_id, e.valid_until)?;
        if let Some(quiet) = e.retire_when_quiet {
            set_retire_when_quiet(conn, e.secret_id, quiet)?;
        }
    }
    prune_ended_secrets(conn, key_id, plan.prune_ended_before)?;
    Ok(())
}

/// Ends every secret of the key at `now` (revocation).
pub fn end_all_secrets(conn: &Conn, key_id: &str, now: UnixMillis) -> Result<()> {
    conn.execute(
        "UPDATE secrets SET valid_until = ?2 WHERE key_id = ?1 AND (valid_until IS NULL OR valid_until > ?2)",
        params![key_id, now],
    )?;
    Ok(())
}

/// Finds the stored secret whose hash equals `hash`. The index lookup is not constant-time,
/// but it compares SHA-256 digests of 178-bit random tokens, which leak nothing useful; the
/// final check of the row is constant-time.
pub fn find_secret(conn: &Conn, hash: &SecretHash) -> Result<Option<SecretRow>> {
    let mut stmt = conn.prepare(&format!("SELECT {SECRET_COLUMNS}, hash FROM secrets WHERE hash = ?1"))?;
    let found = stmt
        .query_row([hash.0.as_slice()], |r| {
            let stored: Vec<u8> = r.get(7)?;
            Ok((read_secret(r)?, stored))
        })
        .optional()?;
    Ok(found.filter(|(_, stored)| hash.matches(stored)).map(|(row, _)| row))
}

/// Removes a key, its secrets and its usage counters (not its messages, failures or audit
/// entries). The caller records the `key.purge` audit entry.
pub fn purge(conn: &Conn, key_id: &str) -> Result<()> {
    conn.execute("DELETE FROM secrets WHERE key_id = ?1", [key_id])?;
    conn.execute("DELETE FROM usage_daily WHERE key_id = ?1", [key_id])?;
    conn.execute("DELETE FROM rate_buckets WHERE key_id = ?1", [key_id])?;
    conn.execute("DELETE FROM keys WHERE id = ?1", [key_id])?;
    Ok(())
}

/// Removes the key's secrets whose validity ended by `before`; returns how many.
pub fn prune_ended_secrets(conn: &Conn, key_id: &str, before: UnixMillis) -> Result<usize> {
    Ok(conn.execute(
        "DELETE FROM secrets WHERE key_id = ?1 AND valid_until IS NOT NULL AND valid_until <= ?2",
        params![key_id, before],
    )?)
}

/// A short fingerprint of a stored hash for the audit trail: it names the secret without
/// being the hash that authenticates, and it cannot be turned back into the secret.
pub fn fingerprint(hash: &[u8]) -> String {
    let mut h = sha2::Sha256::new();
    sha2::Digest::update(&mut h, b"smsctl secret fingerprint v1\0");
    sha2::Digest::update(&mut h, hash);
    crate::token::hex(&sha2::Digest::finalize(h)[..16])
}

/// What the audit trail records of a key: its fields and every secret row (never a hash).
pub fn state_snapshot(conn: &Conn, key: &Key) -> Result<serde_json::Value> {
    let mut snap = key.audit_snapshot();
    let mut stmt =
        conn.prepare("SELECT id, last4, created_at, valid_until, hash, retire_when_quiet FROM secrets WHERE key_id = ?1 ORDER BY id")?;
    let secrets = stmt
        .query_map([&key.id], |r| {
            let hash: Vec<u8> = r.get(4)?;
            let mut snap = secret_snapshot(r.get(0)?, &r.get::<_, String>(1)?, r.get(2)?, r.get(3)?, &hash);
            // Only when set, so snapshots of secrets without it read as before schema 6.
            if let (Some(quiet), Some(map)) = (r.get::<_, Option<Millis>>(5)?, snap.as_object_mut()) {
                map.insert("retire_when_quiet_ms".into(), quiet.as_i64().into());
            }
            Ok(snap)
        })?
        .collect::<crate::store::db::Result<Vec<_>>>()?;
    if let Some(map) = snap.as_object_mut() {
        map.insert("secrets".into(), serde_json::Value::Array(secrets));
    }
    Ok(snap)
}

fn secret_snapshot(id: i64, last4: &str, created_at: UnixMillis, valid_until: Option<UnixMillis>, hash: &[u8]) -> serde_json::Value {
    serde_json::json!({
        "secret_id": id,
        "last4": last4,
        "fingerprint": fingerprint(hash),
        "created_at": crate::time::format_exact(created_at),
        "valid_until": valid_until.map(crate::time::format_exact),
    })
}

/// Every key's [`state_snapshot`], by key id.
pub fn all_states(conn: &Conn) -> Result<std::collections::BTreeMap<String, serde_json::Value>> {
    let mut out = std::collections::BTreeMap::new();
    for key in list(conn, true)? {
        let snap = state_snapshot(conn, &key)?;
        out.insert(key.id.clone(), snap);
    }
    Ok(out)
}
