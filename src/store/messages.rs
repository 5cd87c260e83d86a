//! The message log: what `send` attempted and what the gateway accepted, with outcomes.

use crate::params;
use crate::store::db::{Conn, OptionalExtension, Row, Spelled};
use crate::store::events::{self, DlrOutcome, NewEvent};
use crate::text::{AutoConvert, Encoding};

use crate::error::Result;
use crate::time::UnixMillis;

/// Who recorded a message: `smsctl send` (the client's attempt) or the gateway (its acceptance).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Origin {
    #[default]
    Send,
    Gateway,
}

impl Spelled for Origin {
    const WHAT: &'static str = "origin";
    const ALL: &'static [Self] = &[Origin::Send, Origin::Gateway];
    fn spelling(self) -> &'static str {
        match self {
            Origin::Send => "send",
            Origin::Gateway => "gateway",
        }
    }
}

crate::stored_as_text!(Origin);

/// A message as sent or accepted; what is recorded before any delivery report.
#[derive(Debug, Clone, Default)]
pub struct NewMessage {
    pub at: UnixMillis,
    pub origin: Origin,
    pub key_id: String,
    pub recipient: String,
    pub sender: Option<String>,
    pub autoconvert: AutoConvert,
    pub dlr_url: Option<String>,
    pub encoding: Encoding,
    pub parts: i64,
    pub http_status: Option<i64>,
    pub message_id: Option<String>,
    pub omnimessage_id: Option<String>,
    pub error: Option<String>,
    /// The gateway's `text_store`: `plaintext`, `sha256` or `nostore` (`None` for `send`'s rows).
    pub text_store: Option<String>,
    /// What `text_store` lets the log keep: the text, its SHA-256 in hex, or nothing.
    pub text: Option<String>,
    /// `time_to_send`, when the message was scheduled.
    pub send_at: Option<UnixMillis>,
    /// The secret that sent it (the gateway's rows; `None` before schema v7 and for `send`).
    pub secret_id: Option<i64>,
    /// Relay mode's upstream outcome: `pending`, `accepted`, `refused: ..`, `unknown: ..` or
    /// `not sent: ..`; `None` when the message was not relayed.
    pub relay_outcome: Option<String>,
}

/// A recorded message with its row id and delivery-report outcome.
#[derive(Debug, Clone)]
pub struct MessageRow {
    pub id: i64,
    pub message: NewMessage,
    /// Every recorder of the message, the client side first (`send`, `gateway`): one entry
    /// for a single row, more once [`merge`] has joined the rows of one omnimessage.
    pub via: Vec<Origin>,
    pub dlr_status: Option<DlrOutcome>,
    pub dlr_attempts: i64,
    pub dlr_at: Option<UnixMillis>,
    pub cancelled_at: Option<UnixMillis>,
}

impl std::ops::Deref for MessageRow {
    type Target = NewMessage;
    fn deref(&self) -> &NewMessage {
        &self.message
    }
}

const COLUMNS: &str = "id, at, origin, key_id, recipient, sender, autoconvert, dlr_url, encoding, parts, http_status, message_id, omnimessage_id, error, dlr_status, dlr_attempts, dlr_at, text_store, text, send_at, cancelled_at, secret_id, relay_outcome";

/// How many columns [`COLUMNS`] names.
const COLUMN_COUNT: usize = {
    let bytes = COLUMNS.as_bytes();
    let mut i = 0;
    let mut commas = 0;
    while i < bytes.len() {
        if bytes[i] == b',' {
            commas += 1;
        }
        i += 1;
    }
    commas + 1
};

fn read(r: &Row<'_>) -> crate::store::db::Result<MessageRow> {
    let origin = r.get(2)?;
    Ok(MessageRow {
        id: r.get(0)?,
        via: vec![origin],
        message: NewMessage {
            at: r.get(1)?,
            origin,
            key_id: r.get(3)?,
            recipient: r.get(4)?,
            sender: r.get(5)?,
            autoconvert: r.get(6)?,
            dlr_url: r.get(7)?,
            encoding: r.get(8)?,
            parts: r.get(9)?,
            http_status: r.get(10)?,
            message_id: r.get(11)?,
            omnimessage_id: r.get(12)?,
            error: r.get(13)?,
            text_store: r.get(17)?,
            text: r.get(18)?,
            send_at: r.get(19)?,
            secret_id: r.get(21)?,
            relay_outcome: r.get(22)?,
        },
        dlr_status: r.get(14)?,
        dlr_attempts: r.get(15)?,
        dlr_at: r.get(16)?,
        cancelled_at: r.get(20)?,
    })
}

pub fn insert(conn: &Conn, m: &NewMessage) -> Result<()> {
    insert_row(conn, m, None)
}

/// The gateway's record of a message it accepted, with the status changes it planned: those
/// without a webhook are kept on the message's row (history only), those with one are queued
/// as rows of their own.
pub fn insert_accepted(conn: &Conn, m: &NewMessage, planned: &[NewEvent]) -> Result<()> {
    let (kept, rows) = events::keep_on_row(m, planned);
    insert_row(conn, m, kept.as_deref())?;
    for event in rows {
        events::insert(conn, event)?;
    }
    Ok(())
}

fn insert_row(conn: &Conn, m: &NewMessage, planned: Option<&str>) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO messages (at, origin, key_id, recipient, sender, autoconvert, dlr_url, encoding, parts, http_status, message_id, omnimessage_id, error, text_store, text, send_at, secret_id, relay_outcome, planned)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)",
    )?
    .execute(params![
            m.at,
            m.origin,
            m.key_id,
            m.recipient,
            m.sender,
            m.autoconvert,
            m.dlr_url,
            m.encoding,
            m.parts,
            m.http_status,
            m.message_id,
            m.omnimessage_id,
            m.error,
            m.text_store,
            m.text,
            m.send_at,
            m.secret_id,
            m.relay_outcome,
            planned
        ])?;
    Ok(())
}

/// Which messages `list` returns; `None` fields do not filter.
#[derive(Debug, Default)]
pub struct Filter<'a> {
    pub key_id: Option<&'a str>,
    pub since: Option<UnixMillis>,
    /// `Some(true)`: accepted (no error, HTTP 2xx or no status); `Some(false)`: refused.
    pub accepted: Option<bool>,
    pub recipient: Option<&'a str>,
    /// The most messages (not rows of anything joined to them).
    pub limit: u32,
}

/// SQL for "the API accepted this message".
const ACCEPTED: &str = "(error IS NULL AND (http_status IS NULL OR http_status BETWEEN 200 AND 299))";

impl MessageRow {
    /// `accepted` or `refused`, as `messages --status` filters.
    pub fn status(&self) -> &'static str {
        let ok = self.error.is_none() && self.http_status.is_none_or(|s| (200..300).contains(&s));
        if ok { "accepted" } else { "refused" }
    }
}

/// Newest first, one entry per message: `smsctl send` through the local gateway records the
/// same message twice (the client's attempt and the gateway's acceptance, sharing an
/// omnimessage id); those rows are merged ([`merge`]) and `limit` counts messages.
pub fn list(conn: &Conn, f: &Filter<'_>) -> Result<Vec<MessageRow>> {
    let mut stmt = conn.prepare(&format!(
        "WITH picked AS (
             SELECT coalesce(omnimessage_id, 'row:' || id) AS mkey, max(id) AS newest FROM messages
             WHERE (CAST(?1 AS TEXT) IS NULL OR key_id = ?1) AND (CAST(?2 AS BIGINT) IS NULL OR at >= ?2)
               AND (CAST(?3 AS BIGINT) IS NULL OR (CASE WHEN {ACCEPTED} THEN 1 ELSE 0 END) = ?3) AND (CAST(?4 AS TEXT) IS NULL OR recipient = ?4)
             GROUP BY mkey ORDER BY newest DESC LIMIT ?5)
         SELECT {COLUMNS}, coalesce(omnimessage_id, 'row:' || id) FROM messages
         WHERE coalesce(omnimessage_id, 'row:' || id) IN (SELECT mkey FROM picked) ORDER BY id"
    ))?;
    let rows = stmt
        .query_map(params![f.key_id, f.since, f.accepted, f.recipient, f.limit], |r| {
            // The group key follows the columns `read` takes.
            Ok((r.get::<_, String>(COLUMN_COUNT)?, read(r)?))
        })?
        .collect::<crate::store::db::Result<Vec<_>>>()?;
    let mut groups: Vec<(String, Vec<MessageRow>)> = Vec::new();
    for (mkey, row) in rows {
        match groups.iter_mut().find(|(k, _)| *k == mkey) {
            Some((_, g)) => g.push(row),
            None => groups.push((mkey, vec![row])),
        }
    }
    let mut merged: Vec<MessageRow> = groups.into_iter().map(|(_, g)| merge(g)).collect();
    merged.sort_by_key(|m| std::cmp::Reverse(m.id));
    Ok(merged)
}

/// One message from the rows that recorded it (oldest first): the first row's number and
/// record, `via` naming every recorder (`send`, `gateway`), the client's HTTP status, and the
/// delivery-report outcome from whichever row has it.
pub fn merge(mut rows: Vec<MessageRow>) -> MessageRow {
    let mut first = rows.remove(0);
    for r in rows {
        if !first.via.contains(&r.origin) {
            first.via.push(r.origin);
            // The client side first: `send`, then `gateway`, whichever committed first.
            first.via.sort_by_key(|o| *o != Origin::Send);
        }
        if first.http_status.is_none() {
            first.message.http_status = r.http_status;
        }
        if first.message_id.is_none() {
            first.message.message_id = r.message_id.clone();
        }
        if first.error.is_none() {
            first.message.error = r.error.clone();
        }
        if r.dlr_status.is_some() {
            first.dlr_status = r.dlr_status;
            first.dlr_attempts = r.dlr_attempts;
            first.dlr_at = r.dlr_at;
        }
    }
    first
}

/// A message by its number, message id or omnimessage id, merged as in [`list`].
pub fn find(conn: &Conn, id: &str) -> Result<Option<MessageRow>> {
    let number: Option<i64> = id.trim().parse().ok();
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM messages WHERE id = ?1 OR message_id = ?2 OR omnimessage_id = ?2 ORDER BY id LIMIT 1"
    ))?;
    let Some(row) = stmt.query_row(params![number, id.trim()], read).optional()? else {
        return Ok(None);
    };
    let Some(omni) = row.omnimessage_id.clone() else {
        return Ok(Some(row));
    };
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM messages WHERE omnimessage_id = ?1 ORDER BY id"))?;
    let rows = stmt.query_map([omni], read)?.collect::<crate::store::db::Result<Vec<_>>>()?;
    Ok(Some(merge(rows)))
}

/// One step in a message's delivery history.
#[derive(Debug, Clone)]
pub struct DeliveryEvent {
    pub at: UnixMillis,
    /// What happened: `accepted`, `refused`, or the delivery report's outcome.
    pub event: String,
    pub detail: Option<String>,
}

/// What the store knows of a message's delivery, oldest first. Today that is its acceptance
/// (or refusal) and the outcome of its delivery-report POSTs (`dlr_status`, `dlr_attempts`);
/// the one place to extend when per-status history is recorded.
pub fn delivery_history(_conn: &Conn, m: &MessageRow) -> Result<Vec<DeliveryEvent>> {
    let mut events = vec![DeliveryEvent {
        at: m.at,
        event: m.status().to_owned(),
        detail: match (&m.error, m.http_status) {
            (Some(e), _) => Some(e.clone()),
            (None, Some(s)) => Some(format!("HTTP {s}")),
            (None, None) => None,
        },
    }];
    if let Some(status) = &m.dlr_status {
        events.push(DeliveryEvent {
            at: m.dlr_at.unwrap_or(m.at),
            event: format!("report {status}"),
            detail: Some(format!(
                "{} attempt(s) to {}",
                m.dlr_attempts,
                m.dlr_url.as_deref().unwrap_or("the webhook")
            )),
        });
    }
    Ok(events)
}

/// The gateway's record of an omnimessage (`send` records the same id on its side).
pub fn find_gateway(conn: &Conn, omnimessage_id: &str) -> Result<Option<MessageRow>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM messages WHERE omnimessage_id = ?1 AND origin = 'gateway' ORDER BY id LIMIT 1"
    ))?;
    Ok(stmt.query_row([omnimessage_id], read).optional()?)
}
