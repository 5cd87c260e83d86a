//! Relay mode's records: the upstream circuit breaker as the gateway last saw it, and the
//! messages whose upstream outcome is unknown.

use crate::params;
use crate::store::db::Conn;

use crate::error::Result;
use crate::time::UnixMillis;

/// One upstream's breaker, as `doctor` reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BreakerState {
    pub upstream: String,
    pub breaker: String,
    pub failures: i64,
    pub detail: Option<String>,
    pub updated_at: UnixMillis,
}

pub fn breakers(conn: &Conn) -> Result<Vec<BreakerState>> {
    let mut stmt = conn.prepare("SELECT upstream, breaker, failures, detail, updated_at FROM relay_state ORDER BY upstream")?;
    let rows = stmt
        .query_map((), |r| {
            Ok(BreakerState {
                upstream: r.get(0)?,
                breaker: r.get(1)?,
                failures: r.get(2)?,
                detail: r.get(3)?,
                updated_at: r.get(4)?,
            })
        })?
        .collect::<crate::store::db::Result<Vec<_>>>()?;
    Ok(rows)
}

pub fn save_breaker(conn: &Conn, state: &BreakerState) -> Result<()> {
    conn.execute(
        "INSERT INTO relay_state (upstream, breaker, failures, detail, updated_at) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (upstream) DO UPDATE SET breaker = excluded.breaker, failures = excluded.failures,
             detail = excluded.detail, updated_at = excluded.updated_at",
        params![state.upstream, state.breaker, state.failures, state.detail, state.updated_at],
    )?;
    Ok(())
}

/// Relayed messages since `since` whose upstream outcome is unknown.
pub fn unknown_outcomes_since(conn: &Conn, since: UnixMillis) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM messages WHERE relay_outcome LIKE 'unknown%' AND at >= ?1",
        [since],
        |r| r.get(0),
    )?)
}

/// Marks messages still `pending` from before `cutoff` as unknown: a gateway stopped between
/// recording and the upstream's answer. Returns how many.
pub fn sweep_pending(conn: &Conn, cutoff: UnixMillis) -> Result<usize> {
    Ok(conn.execute(
        "UPDATE messages SET relay_outcome = 'unknown: the gateway stopped before the upstream answered'
         WHERE origin = 'gateway' AND relay_outcome = 'pending' AND at < ?1",
        [cutoff],
    )?)
}

/// The upstream accepted a relayed message: its ids replace the placeholder, and the team
/// key's signing states are kept (until `expires_at`) to re-sign the reports that follow.
#[allow(clippy::too_many_arguments)]
pub fn record_accepted(
    conn: &Conn,
    placeholder: &str,
    omnimessage_id: &str,
    message_id: Option<&str>,
    key_id: &str,
    secret_id: i64,
    midstates: &[u8],
    expires_at: UnixMillis,
    now: UnixMillis,
) -> Result<()> {
    conn.execute(
        "UPDATE messages SET omnimessage_id = ?2, message_id = ?3, http_status = 201, relay_outcome = 'accepted'
         WHERE omnimessage_id = ?1 AND origin = 'gateway'",
        params![placeholder, omnimessage_id, message_id],
    )?;
    conn.execute(
        "INSERT INTO relay_signing (omnimessage_id, key_id, secret_id, midstates, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (omnimessage_id) DO UPDATE SET key_id = excluded.key_id, secret_id = excluded.secret_id,
             midstates = excluded.midstates, expires_at = excluded.expires_at",
        params![omnimessage_id, key_id, secret_id, midstates, expires_at],
    )?;
    conn.execute("DELETE FROM relay_signing WHERE expires_at < ?1", [now])?;
    Ok(())
}

/// Whose usage a message that never went out is taken back from.
pub struct Refund<'a> {
    pub key_id: &'a str,
    pub day: &'a str,
    pub secret_id: i64,
    pub peer: &'a str,
    pub parts: i64,
}

/// A relayed send that did not get through (`outcome`), optionally taken out of the usage.
pub fn record_failure(conn: &Conn, placeholder: &str, outcome: &str, status: u16, detail: &str, refund: Option<Refund<'_>>) -> Result<()> {
    conn.execute(
        "UPDATE messages SET relay_outcome = ?2, http_status = ?3, error = ?4 WHERE omnimessage_id = ?1 AND origin = 'gateway'",
        params![placeholder, outcome, status, detail],
    )?;
    if let Some(r) = refund {
        conn.execute(
            "UPDATE usage_daily SET messages = messages - 1, parts = parts - ?5
             WHERE key_id = ?1 AND day = ?2 AND secret_id = ?3 AND ip = ?4",
            params![r.key_id, r.day, r.secret_id, r.peer, r.parts],
        )?;
    }
    Ok(())
}

/// Whether this exact report of this message is already in its history.
pub fn report_seen(conn: &Conn, omnimessage_id: &str, body: &str) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM message_events WHERE omnimessage_id = ?1 AND body = ?2)",
        params![omnimessage_id, body],
        |r| r.get(0),
    )?)
}

/// A relayed message's team webhook (`None`: none) and its signing states while kept.
pub type ReportTarget = (Option<String>, Option<Vec<u8>>);

/// For a relayed, accepted message, where its reports go. `None`: no such relayed message.
pub fn report_target(conn: &Conn, omnimessage_id: &str, now: UnixMillis) -> Result<Option<ReportTarget>> {
    use crate::store::db::OptionalExtension;
    let row: Option<Option<String>> = conn
        .query_row(
            "SELECT dlr_url FROM messages WHERE omnimessage_id = ?1 AND origin = 'gateway' AND relay_outcome = 'accepted'",
            [omnimessage_id],
            |r| r.get(0),
        )
        .optional()?;
    let Some(dlr_url) = row else { return Ok(None) };
    let midstates: Option<Vec<u8>> = conn
        .query_row(
            "SELECT midstates FROM relay_signing WHERE omnimessage_id = ?1 AND expires_at >= ?2",
            params![omnimessage_id, now],
            |r| r.get(0),
        )
        .optional()?;
    Ok(Some((dlr_url, midstates)))
}

/// An Idempotency-Key as recorded: the request body's hash, and the answer once given.
pub struct IdempotencyRecord {
    pub body_hash: String,
    pub status: Option<i64>,
    pub response: Option<String>,
}

/// Forgets keys older than `before`, then returns this one, recording it (with `body_hash`,
/// no answer yet) when it is new.
pub fn claim_idempotency(
    conn: &Conn,
    key_id: &str,
    idem: &str,
    body_hash: &str,
    now: UnixMillis,
    before: UnixMillis,
) -> Result<Option<IdempotencyRecord>> {
    use crate::store::db::OptionalExtension;
    conn.execute("DELETE FROM idempotency WHERE created_at < ?1", [before])?;
    let found = conn
        .query_row(
            "SELECT body_hash, status, response FROM idempotency WHERE key_id = ?1 AND idem_key = ?2",
            params![key_id, idem],
            |r| {
                Ok(IdempotencyRecord {
                    body_hash: r.get(0)?,
                    status: r.get(1)?,
                    response: r.get(2)?,
                })
            },
        )
        .optional()?;
    if found.is_none() {
        conn.execute(
            "INSERT INTO idempotency (key_id, idem_key, body_hash, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![key_id, idem, body_hash, now],
        )?;
    }
    Ok(found)
}

pub fn finish_idempotency(conn: &Conn, key_id: &str, idem: &str, status: u16, response: &str) -> Result<()> {
    conn.execute(
        "UPDATE idempotency SET status = ?3, response = ?4 WHERE key_id = ?1 AND idem_key = ?2",
        params![key_id, idem, i64::from(status), response],
    )?;
    Ok(())
}

pub fn release_idempotency(conn: &Conn, key_id: &str, idem: &str) -> Result<()> {
    conn.execute("DELETE FROM idempotency WHERE key_id = ?1 AND idem_key = ?2", params![key_id, idem])?;
    Ok(())
}
