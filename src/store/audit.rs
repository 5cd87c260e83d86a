//! The audit trail: one row per mutation, written in the mutation's own transaction, each row
//! chained to the previous one so that edits, deletions and reordering are detectable.
//!
//! Since schema 2 the chain is an HMAC-SHA256 under the audit key ([`super::audit_key`]),
//! which is not in the store: whoever can write the file cannot recompute it. The first keyed
//! row (`audit.anchor`) links to the head of the older, plain SHA-256 rows and records the
//! state of every key at that moment; from there on, replaying the trail must give exactly
//! what the `keys` and `secrets` tables hold ([`verify`]).

use std::collections::BTreeMap;

use crate::params;
use crate::store::db::{Conn, OptionalExtension, Spelled};
use hmac::Mac;
use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::audit_key::{self, AuditKey};
use crate::error::{Error, Result};
use crate::time::UnixMillis;

/// What an audit row records. The spellings are part of each row's keyed link: never change one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// The first keyed row: the legacy head and every key's state.
    Anchor,
    /// A key created, by `key create` or keys as code.
    KeyCreate,
    KeyRename,
    KeySet,
    KeyReplace,
    KeyWhitelist,
    KeyRotate,
    /// A rotation's grace ended early (`key rotate --finish`).
    KeyRotateFinish,
    /// A secret ended by itself after `--retire-when-quiet`.
    KeyRetireQuiet,
    KeyRevoke,
    /// The key is gone from the tables, and the replay expects it gone.
    KeyPurge,
    /// A keys-as-code file applied (the file's summary).
    KeyApply,
    /// A canary key was used (by the gateway).
    KeyCanaryTripped,
    ReplaceAdd,
    ReplaceRemove,
    ReplaceClear,
    /// The account's replacement table set whole (keys as code).
    ReplaceApply,
    /// The store restored from a backup.
    StoreRestore,
}

impl Spelled for Action {
    const WHAT: &'static str = "audit action";
    const ALL: &'static [Self] = &[
        Action::Anchor,
        Action::KeyCreate,
        Action::KeyRename,
        Action::KeySet,
        Action::KeyReplace,
        Action::KeyWhitelist,
        Action::KeyRotate,
        Action::KeyRotateFinish,
        Action::KeyRetireQuiet,
        Action::KeyRevoke,
        Action::KeyPurge,
        Action::KeyApply,
        Action::KeyCanaryTripped,
        Action::ReplaceAdd,
        Action::ReplaceRemove,
        Action::ReplaceClear,
        Action::ReplaceApply,
        Action::StoreRestore,
    ];
    fn spelling(self) -> &'static str {
        match self {
            Action::Anchor => "audit.anchor",
            Action::KeyCreate => "key.create",
            Action::KeyRename => "key.rename",
            Action::KeySet => "key.set",
            Action::KeyReplace => "key.replace",
            Action::KeyWhitelist => "key.whitelist",
            Action::KeyRotate => "key.rotate",
            Action::KeyRotateFinish => "key.rotate_finish",
            Action::KeyRetireQuiet => "key.retire_quiet",
            Action::KeyRevoke => "key.revoke",
            Action::KeyPurge => "key.purge",
            Action::KeyApply => "key.apply",
            Action::KeyCanaryTripped => "key.canary_tripped",
            Action::ReplaceAdd => "replace.add",
            Action::ReplaceRemove => "replace.remove",
            Action::ReplaceClear => "replace.clear",
            Action::ReplaceApply => "replace.apply",
            Action::StoreRestore => "store.restore",
        }
    }
}

crate::stored_as_text!(Action);

impl Action {
    pub fn as_str(self) -> &'static str {
        self.spelling()
    }
}

impl std::fmt::Display for Action {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.spelling())
    }
}

/// The action of the first keyed row.
pub const ANCHOR: Action = Action::Anchor;

/// The action of a purge: the key is gone from the tables, and the replay expects it gone.
pub const PURGE: Action = Action::KeyPurge;

const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// A mutation about to be recorded. `before`/`after` hold settings, never secrets.
pub struct Event<'a> {
    pub actor: &'a str,
    pub action: Action,
    pub key_id: Option<&'a str>,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

#[derive(Debug, Clone)]
pub struct Row {
    pub seq: i64,
    pub at: UnixMillis,
    pub actor: String,
    pub action: Action,
    pub key_id: Option<String>,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    raw_before: Option<String>,
    raw_after: Option<String>,
    prev_hash: String,
    hash: String,
}

impl Row {
    /// This row's stored content and the previous row's hash, as one unambiguous string.
    fn content(&self) -> String {
        // JSON array encoding makes field boundaries unambiguous.
        serde_json::json!([
            self.prev_hash,
            self.seq,
            self.at,
            self.actor,
            self.action.spelling(),
            self.key_id,
            self.raw_before,
            self.raw_after
        ])
        .to_string()
    }

    /// The plain SHA-256 link of rows written before schema 2.
    fn legacy_hash(&self) -> String {
        hex(&Sha256::digest(self.content().as_bytes()))
    }

    /// The keyed link: HMAC-SHA256 under the audit key.
    fn mac(&self, key: &AuditKey) -> String {
        let mut m = key.mac();
        m.update(self.content().as_bytes());
        hex(&m.finalize().into_bytes())
    }
}

use crate::token::hex;

/// Appends a keyed row in the caller's transaction.
pub fn append(conn: &Conn, at: UnixMillis, event: Event<'_>) -> Result<()> {
    let key = audit_key::for_writing(conn)?;
    append_with(conn, &key, at, event)
}

/// The last row's number and link, if any.
pub fn last(conn: &Conn) -> Result<Option<Head>> {
    Ok(conn
        .query_row("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1", (), |r| {
            Ok(Head {
                seq: r.get(0)?,
                hash: r.get(1)?,
            })
        })
        .optional()?)
}

fn append_with(conn: &Conn, key: &AuditKey, at: UnixMillis, event: Event<'_>) -> Result<()> {
    let last: Option<(i64, String)> = conn
        .query_row("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1", (), |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?;
    let (seq, prev) = match last {
        Some((seq, hash)) => (seq + 1, hash),
        None => (1, GENESIS.to_owned()),
    };
    let mut row = Row {
        seq,
        at,
        actor: event.actor.to_owned(),
        action: event.action,
        key_id: event.key_id.map(str::to_owned),
        before: None,
        after: None,
        raw_before: event.before.map(|v| v.to_string()),
        raw_after: event.after.map(|v| v.to_string()),
        prev_hash: prev,
        hash: String::new(),
    };
    row.hash = row.mac(key);
    conn.execute(
        "INSERT INTO audit (seq, at, actor, action, key_id, before, after, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            row.seq,
            row.at,
            row.actor,
            row.action,
            row.key_id,
            row.raw_before,
            row.raw_after,
            row.prev_hash,
            row.hash
        ],
    )?;
    // Every key and replacement change extends the trail: on PostgreSQL, every gateway node
    // hears of it when this transaction commits (see gateway/cache.rs).
    if conn.backend() == crate::store::Backend::Postgres {
        conn.execute("SELECT pg_notify(?1, ?2)", params![super::pg::CHANNEL, row.seq.to_string()])?;
    }
    Ok(())
}

/// Which entries [`list`] returns; every filter given must match.
#[derive(Default)]
pub struct Filter<'a> {
    pub key_id: Option<&'a str>,
    pub since: Option<UnixMillis>,
    /// An exact action, or a prefix when it ends with `*`.
    pub action: Option<&'a str>,
    pub actor: Option<&'a str>,
    pub limit: Option<u32>,
}

pub fn list(conn: &Conn, filter: &Filter<'_>) -> Result<Vec<Row>> {
    let mut stmt = conn.prepare(
        "SELECT seq, at, actor, action, key_id, before, after, prev_hash, hash FROM audit
         WHERE (CAST(?1 AS TEXT) IS NULL OR key_id = ?1) AND (CAST(?2 AS BIGINT) IS NULL OR at >= ?2)
           AND (CAST(?4 AS TEXT) IS NULL OR action = ?4 OR (CAST(?5 AS TEXT) IS NOT NULL AND substr(action, 1, length(?5)) = ?5))
           AND (CAST(?6 AS TEXT) IS NULL OR actor = ?6)
         ORDER BY seq DESC LIMIT ?3",
    )?;
    let limit = filter.limit.map(i64::from).unwrap_or(i64::MAX);
    let prefix = filter.action.and_then(|a| a.strip_suffix('*'));
    let mut rows = stmt
        .query_map(
            params![filter.key_id, filter.since, limit, filter.action, prefix, filter.actor],
            read_row,
        )?
        .collect::<crate::store::db::Result<Vec<_>>>()?;
    rows.reverse();
    for row in &mut rows {
        row.before = row.raw_before.as_deref().map(parse_json);
        row.after = row.raw_after.as_deref().map(parse_json);
    }
    Ok(rows)
}

fn parse_json(s: &str) -> serde_json::Value {
    serde_json::from_str(s).unwrap_or_else(|_| serde_json::Value::String(s.to_owned()))
}

fn read_row(r: &crate::store::db::Row<'_>) -> crate::store::db::Result<Row> {
    Ok(Row {
        seq: r.get(0)?,
        at: r.get(1)?,
        actor: r.get(2)?,
        action: r.get(3)?,
        key_id: r.get(4)?,
        before: None,
        after: None,
        raw_before: r.get(5)?,
        raw_after: r.get(6)?,
        prev_hash: r.get(7)?,
        hash: r.get(8)?,
    })
}

/// Writes the first keyed row: it links to the legacy head (if any) and records every key's
/// state, so the replay check can start from here.
pub fn append_anchor(conn: &Conn, key: &AuditKey, store_id: &str, at: UnixMillis) -> Result<()> {
    let legacy_head = last(conn)?;
    let state = super::keys::all_states(conn)?;
    let after = serde_json::json!({
        "store_id": store_id,
        "legacy_head": legacy_head,
        "keys": state,
        "replacements": super::replacements::load(conn)?,
    });
    append_with(
        conn,
        key,
        at,
        Event {
            actor: "smsctl",
            action: ANCHOR,
            key_id: None,
            before: None,
            after: Some(after),
        },
    )
}

/// The first place the chain breaks, if any.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Break {
    pub seq: i64,
    pub problem: String,
}

/// A difference between what the trail says and what the tables hold.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Mismatch {
    pub key_id: String,
    pub problem: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Verification {
    pub rows: u64,
    /// The chain and every link check out, and the tables match the replayed trail.
    pub intact: bool,
    pub first_break: Option<Break>,
    /// Where the keyed part of the chain begins (the anchor row).
    pub keyed_from: Option<i64>,
    /// Differences between the replayed trail and the `keys`/`secrets` tables.
    pub state_mismatches: Vec<Mismatch>,
    /// Where the tables the replay reads disagree with their indexes (which authentication
    /// reads): an index swapped behind the tables' back.
    pub integrity: Option<String>,
    /// Where the audit key came from (`null`: a store from before keyed trails).
    pub audit_key: Option<audit_key::Source>,
    /// The last entry's number and link. Record it elsewhere: a chain alone cannot show that
    /// entries were cut off its end, but a recorded head that is gone can.
    pub head: Option<Head>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Head {
    pub seq: i64,
    pub hash: String,
}

/// Whether a head recorded earlier is still in the trail.
pub fn contains_hash(conn: &Conn, hash: &str) -> Result<bool> {
    let n: i64 = conn.query_row("SELECT count(*) FROM audit WHERE hash = ?1", [hash.trim()], |r| r.get(0))?;
    Ok(n > 0)
}

/// Checks the whole trail: without this store's audit key it cannot, and says so (exit 1).
pub fn verify(conn: &Conn) -> Result<Verification> {
    // On PostgreSQL other hosts write while this reads: the trail and the tables it is
    // replayed against are read from one snapshot, or a write in between would look like a
    // mismatch. (Inside a caller's transaction, that transaction is the snapshot.)
    if conn.backend() == crate::store::Backend::Postgres && !conn.in_transaction() {
        let snapshot = conn.begin(crate::store::TxKind::Read)?;
        let verified = verify(&snapshot)?;
        snapshot.commit()?;
        return Ok(verified);
    }
    let key = audit_key::for_store(conn)?
        .map_err(|u| Error::failure(format!("cannot verify the audit trail: {}", u.message())).hint(u.hint()))?;
    verify_with(conn, Some(&key))
}

/// Checks the trail of a store written before schema 2: plain SHA-256 links, no anchor.
pub fn verify_legacy(conn: &Conn) -> Result<Verification> {
    verify_with(conn, None)
}

/// Walks the trail in order, checking every link, then replays it against the tables.
/// `key` is `None` only for a store from before schema 2.
fn verify_with(conn: &Conn, key: Option<&AuditKey>) -> Result<Verification> {
    let mut stmt = conn.prepare("SELECT seq, at, actor, action, key_id, before, after, prev_hash, hash FROM audit ORDER BY seq")?;
    let rows = stmt.query_map((), read_row)?;
    let mut expected_prev = GENESIS.to_owned();
    let mut expected_seq = 1;
    let mut count = 0;
    let mut keyed_from = None;
    // The state the trail implies, per key id, from the anchor on, and the account's
    // replacement table.
    let mut implied: BTreeMap<String, Value> = BTreeMap::new();
    let mut table: BTreeMap<String, String> = BTreeMap::new();
    let mut first_break = None;
    let mut purge_problems = Vec::new();
    for row in rows {
        let row = row?;
        count += 1;
        let is_anchor = row.action == ANCHOR;
        let problem = if row.seq != expected_seq {
            Some(format!(
                "expected row {expected_seq}, found row {} (a row was deleted or inserted)",
                row.seq
            ))
        } else if row.prev_hash != expected_prev {
            Some("previous link does not match (rows deleted or reordered)".to_owned())
        } else if is_anchor && keyed_from.is_some() {
            Some("a second anchor row (the trail was spliced)".to_owned())
        } else if let (Some(key), true) = (key, keyed_from.is_some() || is_anchor) {
            (row.hash != row.mac(key)).then(|| "content does not match its keyed link (row edited or forged)".to_owned())
        } else {
            (row.hash != row.legacy_hash()).then(|| "content does not match its hash (row edited)".to_owned())
        };
        if let Some(problem) = problem {
            first_break = Some(Break { seq: row.seq, problem });
            break;
        }
        if is_anchor {
            keyed_from = Some(row.seq);
            let after = row.raw_after.as_deref().map(parse_json).unwrap_or(Value::Null);
            if let Some(keys) = after.get("keys").and_then(Value::as_object) {
                implied = keys.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
            }
            table = string_map(after.get("replacements"));
        } else if keyed_from.is_some()
            && matches!(
                row.action,
                Action::ReplaceAdd | Action::ReplaceRemove | Action::ReplaceClear | Action::ReplaceApply
            )
        {
            replay_replacement(&row, &mut table);
        } else if keyed_from.is_some() && row.action == PURGE {
            // Only revoked keys may be purged; the keyed link above proves smsctl wrote this row.
            if let Some(id) = &row.key_id {
                let revoked = implied.get(id).is_some_and(|s| !s["revoked_at"].is_null());
                if !revoked {
                    purge_problems.push(Mismatch {
                        key_id: id.clone(),
                        problem: format!("entry #{} purged the key, but the trail never revoked it", row.seq),
                    });
                }
                implied.remove(id);
            }
        } else if keyed_from.is_some() {
            // A key's state is what the last row recording a whole state snapshot says;
            // events that change no state (a canary trip) carry other data.
            if let (Some(id), Some(after)) = (&row.key_id, &row.raw_after) {
                let after = parse_json(after);
                if is_state_snapshot(&after) {
                    implied.insert(id.clone(), after);
                }
            }
        }
        expected_prev = row.hash;
        expected_seq += 1;
    }
    drop(stmt);
    let keyed = key.is_some();
    if keyed && first_break.is_none() && keyed_from.is_none() && count > 0 {
        first_break = Some(Break {
            seq: expected_seq - 1,
            problem: "the trail has no keyed anchor row (it was replaced by an unkeyed chain)".to_owned(),
        });
    }
    if keyed && first_break.is_none() && count == 0 {
        first_break = Some(Break {
            seq: 0,
            problem: "the trail is empty, but every store starts with an anchor row".to_owned(),
        });
    }
    let state_mismatches = if keyed && first_break.is_none() {
        let mut found = purge_problems;
        found.extend(compare_state(&implied, &super::keys::all_states(conn)?));
        found.extend(compare_replacements(&table, &super::replacements::load(conn)?));
        found
    } else {
        Vec::new()
    };
    let integrity = table_integrity(conn)?;
    let intact = first_break.is_none() && state_mismatches.is_empty() && integrity.is_none();
    Ok(Verification {
        rows: count,
        intact,
        head: first_break.is_none().then(|| Head {
            seq: expected_seq - 1,
            hash: expected_prev,
        }),
        first_break,
        keyed_from,
        state_mismatches,
        integrity,
        audit_key: key.map(|k| k.source),
    })
}

/// The replay reads `keys` and `secrets` by table scan; authentication finds rows through
/// their indexes. Both must hold the same rows.
fn table_integrity(conn: &Conn) -> Result<Option<String>> {
    // PostgreSQL's indexes are not in a file a user can swap; the server maintains them.
    if conn.backend() == crate::store::Backend::Postgres {
        return Ok(None);
    }
    for table in ["keys", "secrets", "audit"] {
        let found: String = conn.query_row(&format!("PRAGMA integrity_check({table})"), (), |r| r.get(0))?;
        if found != "ok" {
            return Ok(Some(format!("table {table} and its indexes disagree: {found}")));
        }
    }
    Ok(None)
}

fn string_map(v: Option<&Value>) -> BTreeMap<String, String> {
    v.and_then(Value::as_object)
        .map(|m| m.iter().filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_owned()))).collect())
        .unwrap_or_default()
}

/// Applies one `replace.*` row to the account table it implies.
fn replay_replacement(row: &Row, table: &mut BTreeMap<String, String>) {
    let before = row.raw_before.as_deref().map(parse_json).unwrap_or(Value::Null);
    let after = row.raw_after.as_deref().map(parse_json).unwrap_or(Value::Null);
    match row.action {
        Action::ReplaceAdd => {
            if let (Some(from), Some(to)) = (after["from"].as_str(), after["to"].as_str()) {
                table.insert(from.to_owned(), to.to_owned());
            }
        }
        Action::ReplaceRemove => {
            if let Some(from) = before["from"].as_str() {
                table.remove(from);
            }
        }
        Action::ReplaceClear => table.clear(),
        // A whole table (keys as code).
        _ => {
            if after.get("replacements").is_some() {
                *table = string_map(after.get("replacements"));
            }
        }
    }
}

/// The account's replacement table against what the trail implies.
fn compare_replacements(implied: &BTreeMap<String, String>, actual: &BTreeMap<String, String>) -> Vec<Mismatch> {
    let mut out = Vec::new();
    for (from, to) in actual {
        match implied.get(from) {
            Some(want) if want == to => {}
            Some(want) => out.push(Mismatch {
                key_id: "(account)".into(),
                problem: format!("replacement {from:?} is {to:?} in the store, but the trail says {want:?}"),
            }),
            None => out.push(Mismatch {
                key_id: "(account)".into(),
                problem: format!("replacement {from:?} → {to:?} is in the store, but no audit entry added it"),
            }),
        }
    }
    for from in implied.keys().filter(|f| !actual.contains_key(*f)) {
        out.push(Mismatch {
            key_id: "(account)".into(),
            problem: format!("replacement {from:?} is in the trail, but gone from the store"),
        });
    }
    out
}

/// Whether an audit row's `after` is a whole key state ([`super::keys::state_snapshot`]).
fn is_state_snapshot(after: &Value) -> bool {
    after.get("secrets").is_some_and(Value::is_array)
}

/// Differences between the state the trail implies and the state the tables hold.
fn compare_state(implied: &BTreeMap<String, Value>, actual: &BTreeMap<String, Value>) -> Vec<Mismatch> {
    let mut out = Vec::new();
    let mut push = |key_id: &str, problem: String| {
        out.push(Mismatch {
            key_id: key_id.to_owned(),
            problem,
        })
    };
    for (id, have) in actual {
        let Some(want) = implied.get(id) else {
            push(id, "the key is in the store, but no audit entry created it".into());
            continue;
        };
        let (Some(have), Some(want)) = (have.as_object(), want.as_object()) else {
            continue;
        };
        for (field, have_v) in have {
            if field == "secrets" {
                continue;
            }
            let want_v = want.get(field).unwrap_or(&Value::Null);
            if want_v != have_v {
                push(id, format!("{field} is {have_v} in the store, but the trail says {want_v}"));
            }
        }
        compare_secrets(id, want.get("secrets"), have.get("secrets"), &mut push);
    }
    for id in implied.keys().filter(|id| !actual.contains_key(*id)) {
        push(id, "the trail has this key, but it is gone from the store".into());
    }
    out
}

fn compare_secrets(key_id: &str, want: Option<&Value>, have: Option<&Value>, push: &mut impl FnMut(&str, String)) {
    let by_id = |v: Option<&Value>| -> BTreeMap<i64, Value> {
        v.and_then(Value::as_array)
            .map(|a| a.iter().filter_map(|s| Some((s.get("secret_id")?.as_i64()?, s.clone()))).collect())
            .unwrap_or_default()
    };
    let (want, have) = (by_id(want), by_id(have));
    let now = crate::time::format_exact(crate::time::now());
    for (sid, h) in &have {
        match want.get(sid) {
            None => push(
                key_id,
                format!(
                    "secret #{sid} (…{}) was not issued by any audit entry",
                    h["last4"].as_str().unwrap_or("?")
                ),
            ),
            Some(w) if w["fingerprint"] != h["fingerprint"] => push(key_id, format!("secret #{sid} is not the secret that was issued")),
            Some(w) if w["valid_until"] != h["valid_until"] => push(
                key_id,
                format!(
                    "secret #{sid} is valid until {} in the store, but the trail says {}",
                    h["valid_until"], w["valid_until"]
                ),
            ),
            Some(_) => {}
        }
    }
    for (sid, w) in &want {
        // A secret whose validity has ended may be pruned; a live one may not vanish.
        let ended = w["valid_until"].as_str().is_some_and(|t| t <= now.as_str());
        if !have.contains_key(sid) && !ended {
            push(
                key_id,
                format!("secret #{sid} is still valid in the trail, but gone from the store"),
            );
        }
    }
    let current = have.values().filter(|s| s["valid_until"].is_null()).count();
    if current > 1 {
        push(key_id, format!("{current} current secrets; a key has at most one"));
    }
}
