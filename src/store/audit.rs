//! The audit trail: one row per mutation, written in the mutation's own transaction, each row
//! hash-chained to the previous one so that edits, deletions and reordering are detectable.

use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::error::Result;
use crate::time::Millis;

const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// A mutation about to be recorded. `before`/`after` hold settings, never secrets.
pub struct Event<'a> {
    pub actor: &'a str,
    pub action: &'a str,
    pub key_id: Option<&'a str>,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub seq: i64,
    #[serde(serialize_with = "crate::output::iso")]
    pub at: Millis,
    pub actor: String,
    pub action: String,
    pub key_id: Option<String>,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    #[serde(skip)]
    raw_before: Option<String>,
    #[serde(skip)]
    raw_after: Option<String>,
    #[serde(skip)]
    prev_hash: String,
    #[serde(skip)]
    hash: String,
}

impl Row {
    /// SHA-256 over this row's stored content and the previous row's hash.
    fn compute_hash(&self) -> String {
        // JSON array encoding makes field boundaries unambiguous.
        let content = serde_json::json!([
            self.prev_hash,
            self.seq,
            self.at,
            self.actor,
            self.action,
            self.key_id,
            self.raw_before,
            self.raw_after
        ])
        .to_string();
        hex(&Sha256::digest(content.as_bytes()))
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn append(conn: &Connection, at: Millis, event: Event<'_>) -> Result<()> {
    let last: Option<(i64, String)> = conn
        .query_row("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1", [], |r| {
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
        action: event.action.to_owned(),
        key_id: event.key_id.map(str::to_owned),
        before: None,
        after: None,
        raw_before: event.before.map(|v| v.to_string()),
        raw_after: event.after.map(|v| v.to_string()),
        prev_hash: prev,
        hash: String::new(),
    };
    row.hash = row.compute_hash();
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
    Ok(())
}

pub struct Filter<'a> {
    pub key_id: Option<&'a str>,
    pub since: Option<Millis>,
    pub limit: Option<u32>,
}

pub fn list(conn: &Connection, filter: &Filter<'_>) -> Result<Vec<Row>> {
    let mut stmt = conn.prepare(
        "SELECT seq, at, actor, action, key_id, before, after, prev_hash, hash FROM audit
         WHERE (?1 IS NULL OR key_id = ?1) AND (?2 IS NULL OR at >= ?2)
         ORDER BY seq DESC LIMIT ?3",
    )?;
    let limit = filter.limit.map(i64::from).unwrap_or(-1);
    let mut rows = stmt
        .query_map(params![filter.key_id, filter.since, limit], read_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
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

fn read_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
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

/// The first place the chain breaks, if any.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Break {
    pub seq: i64,
    pub problem: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Verification {
    pub rows: u64,
    pub intact: bool,
    pub first_break: Option<Break>,
    /// The last entry's number and hash. Record it elsewhere: a hash chain alone cannot
    /// show that entries were cut off its end, but a recorded head that is gone can.
    pub head: Option<Head>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Head {
    pub seq: i64,
    pub hash: String,
}

/// Whether a head recorded earlier is still in the trail.
pub fn contains_hash(conn: &Connection, hash: &str) -> Result<bool> {
    let n: i64 = conn.query_row("SELECT count(*) FROM audit WHERE hash = ?1", [hash.trim()], |r| r.get(0))?;
    Ok(n > 0)
}

/// Walks the whole trail in order, recomputing every hash.
pub fn verify(conn: &Connection) -> Result<Verification> {
    let mut stmt = conn.prepare("SELECT seq, at, actor, action, key_id, before, after, prev_hash, hash FROM audit ORDER BY seq")?;
    let mut rows = stmt.query([])?;
    let mut expected_prev = GENESIS.to_owned();
    let mut expected_seq = 1;
    let mut count = 0;
    while let Some(r) = rows.next()? {
        let row = read_row(r)?;
        count += 1;
        let problem = if row.seq != expected_seq {
            Some(format!(
                "expected row {expected_seq}, found row {} (a row was deleted or inserted)",
                row.seq
            ))
        } else if row.prev_hash != expected_prev {
            Some("previous-hash link does not match (rows deleted or reordered)".to_owned())
        } else if row.hash != row.compute_hash() {
            Some("content does not match its hash (row edited)".to_owned())
        } else {
            None
        };
        if let Some(problem) = problem {
            return Ok(Verification {
                rows: count,
                intact: false,
                first_break: Some(Break { seq: row.seq, problem }),
                head: None,
            });
        }
        expected_prev = row.hash;
        expected_seq += 1;
    }
    Ok(Verification {
        rows: count,
        intact: true,
        first_break: None,
        head: (count > 0).then(|| Head {
            seq: expected_seq - 1,
            hash: expected_prev,
        }),
    })
}
