//! The message log: what `send` attempted and what the gateway accepted, with outcomes.

use rusqlite::{Connection, OptionalExtension, Row, params};
use serde::Serialize;

use crate::error::Result;
use crate::output::{iso, iso_opt};
use crate::time::Millis;

/// A message as sent or accepted; what is recorded before any delivery report.
#[derive(Debug, Clone, Default, Serialize)]
pub struct NewMessage {
    #[serde(serialize_with = "iso")]
    pub at: Millis,
    /// `send` or `gateway`.
    pub origin: String,
    pub key_id: String,
    pub recipient: String,
    pub sender: Option<String>,
    pub autoconvert: String,
    pub dlr_url: Option<String>,
    pub encoding: String,
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
    #[serde(serialize_with = "iso_opt")]
    pub send_at: Option<Millis>,
}

/// A recorded message with its row id and delivery-report outcome.
#[derive(Debug, Clone, Serialize)]
pub struct MessageRow {
    pub id: i64,
    #[serde(flatten)]
    pub message: NewMessage,
    pub dlr_status: Option<String>,
    pub dlr_attempts: i64,
    #[serde(serialize_with = "iso_opt")]
    pub dlr_at: Option<Millis>,
    #[serde(serialize_with = "iso_opt")]
    pub cancelled_at: Option<Millis>,
}

impl std::ops::Deref for MessageRow {
    type Target = NewMessage;
    fn deref(&self) -> &NewMessage {
        &self.message
    }
}

const COLUMNS: &str = "id, at, origin, key_id, recipient, sender, autoconvert, dlr_url, encoding, parts, http_status, message_id, omnimessage_id, error, dlr_status, dlr_attempts, dlr_at, text_store, text, send_at, cancelled_at";

fn read(r: &Row<'_>) -> rusqlite::Result<MessageRow> {
    Ok(MessageRow {
        id: r.get(0)?,
        message: NewMessage {
            at: r.get(1)?,
            origin: r.get(2)?,
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
        },
        dlr_status: r.get(14)?,
        dlr_attempts: r.get(15)?,
        dlr_at: r.get(16)?,
        cancelled_at: r.get(20)?,
    })
}

pub fn insert(conn: &Connection, m: &NewMessage) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO messages (at, origin, key_id, recipient, sender, autoconvert, dlr_url, encoding, parts, http_status, message_id, omnimessage_id, error, text_store, text, send_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
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
            m.send_at
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Newest first.
pub fn list(conn: &Connection, key_id: Option<&str>, limit: u32) -> Result<Vec<MessageRow>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM messages WHERE (?1 IS NULL OR key_id = ?1) ORDER BY id DESC LIMIT ?2"
    ))?;
    let rows = stmt
        .query_map(params![key_id, limit], read)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The gateway's record of an omnimessage (`send` records the same id on its side).
pub fn find_gateway(conn: &Connection, omnimessage_id: &str) -> Result<Option<MessageRow>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM messages WHERE omnimessage_id = ?1 AND origin = 'gateway' ORDER BY id LIMIT 1"
    ))?;
    Ok(stmt.query_row([omnimessage_id], read).optional()?)
}
