//! The gateway's delivery lifecycle: the status changes of each channel entry of an
//! omnimessage, planned when the message is accepted. A change is part of the message's status
//! history from its `due_at` on. Those with a webhook are rows here, and the rows without an
//! outcome are the report queue, which lives here so that reports survive a restart.
//!
//! Each row with a webhook carries the exact report body and its signature, computed while the
//! request that sent the message held the secret: the store keeps no key material for signing.
//!
//! The status changes the gateway plans for a message without a webhook are history only:
//! nothing will ever be POSTed. Since schema v7 they are kept on the message's own row
//! (`messages.planned`), so such a send writes one row instead of three. Older stores hold them
//! as rows with outcome `no webhook`, and [`history`] reads both.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::params;
use crate::store::db::{Conn, FromValue, OptionalExtension, Row, Value};

use crate::error::Result;
use crate::store::messages::NewMessage;
use crate::time::{Millis, UnixMillis};

/// How a delivery report ended (`message_events.outcome`, and the summary in
/// `messages.dlr_status`). Stored as `delivered`, `no webhook`, `refused: WHY`, `failed: WHY`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DlrOutcome {
    /// The webhook answered 200-399.
    Delivered,
    /// The message had no webhook: the row is history only.
    NoWebhook,
    /// The webhook's address was refused before any attempt (why).
    Refused(String),
    /// Every attempt failed (the last failure).
    Failed(String),
}

const REFUSED: &str = "refused: ";
const FAILED: &str = "failed: ";

impl DlrOutcome {
    /// The stored spelling: the one place it is written.
    pub fn spelling(&self) -> std::borrow::Cow<'_, str> {
        match self {
            DlrOutcome::Delivered => "delivered".into(),
            DlrOutcome::NoWebhook => NO_WEBHOOK.into(),
            DlrOutcome::Refused(why) => format!("{REFUSED}{why}").into(),
            DlrOutcome::Failed(why) => format!("{FAILED}{why}").into(),
        }
    }

    /// The stored spelling read back; `None` for anything else.
    pub fn from_spelling(s: &str) -> Option<DlrOutcome> {
        match s {
            "delivered" => Some(DlrOutcome::Delivered),
            NO_WEBHOOK => Some(DlrOutcome::NoWebhook),
            _ => s
                .strip_prefix(REFUSED)
                .map(|why| DlrOutcome::Refused(why.to_owned()))
                .or_else(|| s.strip_prefix(FAILED).map(|why| DlrOutcome::Failed(why.to_owned()))),
        }
    }
}

impl std::fmt::Display for DlrOutcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.spelling())
    }
}

impl FromValue for DlrOutcome {
    fn from_value(v: Value) -> std::result::Result<Self, String> {
        let s = String::from_value(v)?;
        DlrOutcome::from_spelling(&s)
            .ok_or_else(|| format!("unknown delivery-report outcome '{s}' (expected delivered, {NO_WEBHOOK}, {REFUSED}..., {FAILED}...)"))
    }
}

/// A status change as planned at accept time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEvent {
    pub omnimessage_id: String,
    pub message_id: String,
    pub channel: String,
    pub sender: Option<String>,
    pub status: String,
    pub err: i64,
    pub due_at: UnixMillis,
    /// `None`: no webhook; the row is history only.
    pub dlr_url: Option<String>,
    /// The report POSTed to `dlr_url` (empty for a planned row without one).
    pub body: String,
    /// Its `X-Messente-Signature` (empty with an empty body).
    pub signature: String,
}

/// A stored status change with its delivery state.
#[derive(Debug, Clone)]
pub struct Event {
    pub id: i64,
    pub omnimessage_id: String,
    pub message_id: String,
    pub channel: String,
    pub sender: Option<String>,
    pub status: String,
    pub err: i64,
    pub due_at: UnixMillis,
    pub dlr_url: Option<String>,
    pub body: String,
    pub signature: String,
    pub attempts: i64,
    pub outcome: Option<DlrOutcome>,
    pub done_at: Option<UnixMillis>,
}

pub const NO_WEBHOOK: &str = "no webhook";

const COLUMNS: &str =
    "id, omnimessage_id, message_id, channel, sender, status, err, due_at, dlr_url, body, signature, attempts, outcome, done_at";

fn read(r: &Row<'_>) -> crate::store::db::Result<Event> {
    Ok(Event {
        id: r.get(0)?,
        omnimessage_id: r.get(1)?,
        message_id: r.get(2)?,
        channel: r.get(3)?,
        sender: r.get(4)?,
        status: r.get(5)?,
        err: r.get(6)?,
        due_at: r.get(7)?,
        dlr_url: r.get(8)?,
        body: r.get(9)?,
        signature: r.get(10)?,
        attempts: r.get(11)?,
        outcome: r.get(12)?,
        done_at: r.get(13)?,
    })
}

pub fn insert(conn: &Conn, e: &NewEvent) -> Result<()> {
    // A row without a webhook is history only: it never enters the queue.
    let outcome = if e.dlr_url.is_none() {
        Some(DlrOutcome::NoWebhook.spelling())
    } else {
        None
    };
    // Cached: the gateway's writer inserts two or more of these per accepted message.
    conn.prepare_cached(
        "INSERT INTO message_events (omnimessage_id, message_id, channel, sender, status, err, due_at, dlr_url, body, signature, next_attempt_at, outcome)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?7, ?11)",
    )?
    .execute(params![
            e.omnimessage_id,
            e.message_id,
            e.channel,
            e.sender,
            e.status,
            e.err,
            e.due_at,
            e.dlr_url,
            e.body,
            e.signature,
            outcome
        ])?;
    Ok(())
}

/// A planned status change that no webhook will hear, as `messages.planned` keeps it: one
/// object of a JSON array, holding only what the message's row does not. An absent
/// `message_id` or `sender` is the row's, an absent `channel` is `sms`, an absent `err` is 0,
/// and `after` is milliseconds past the row's send time (`send_at`, else `at`; absent: 0). So
/// the usual send keeps `[{"status":"ACK"},{"status":"DELIVRD"}]`: bytes are what a commit
/// pays for, more than rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Kept<'a> {
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    message_id: Option<Cow<'a, str>>,
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    channel: Option<Cow<'a, str>>,
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    sender: Option<Cow<'a, str>>,
    #[serde(borrow)]
    status: Cow<'a, str>,
    #[serde(default, skip_serializing_if = "is_zero")]
    err: i64,
    #[serde(default, skip_serializing_if = "is_zero")]
    after: i64,
}

fn is_zero(n: &i64) -> bool {
    *n == 0
}

const SMS: &str = "sms";

/// The message's own fields a kept status change defaults to.
struct RowDefaults<'a> {
    message_id: Option<&'a str>,
    sender: Option<&'a str>,
    start: UnixMillis,
}

impl<'a> RowDefaults<'a> {
    fn of(m: &'a NewMessage) -> RowDefaults<'a> {
        RowDefaults {
            message_id: m.message_id.as_deref(),
            sender: m.sender.as_deref(),
            start: m.send_at.unwrap_or(m.at),
        }
    }

    fn keep<'e>(&self, e: &'e NewEvent) -> Kept<'e> {
        let differs = |own: &'e str, row: Option<&str>| (Some(own) != row).then_some(Cow::Borrowed(own));
        Kept {
            message_id: differs(&e.message_id, self.message_id),
            channel: (e.channel != SMS).then_some(Cow::Borrowed(e.channel.as_str())),
            sender: e.sender.as_deref().and_then(|s| differs(s, self.sender)),
            status: Cow::Borrowed(&e.status),
            err: e.err,
            after: e.due_at.as_i64() - self.start.as_i64(),
        }
    }
}

/// Splits the status changes planned for an accepted message `m`: what its row keeps in
/// `messages.planned` (those without a webhook, in order, as JSON; `None` for none) and the
/// rest, which are the report queue: [`insert`] them. A change whose sender is unset while
/// the message has one cannot be kept (the row's sender would read back); then all of them
/// stay rows, as before schema v7, so the history keeps its order.
pub fn keep_on_row<'e>(m: &NewMessage, planned: &'e [NewEvent]) -> (Option<String>, Vec<&'e NewEvent>) {
    let (quiet, queued): (Vec<&NewEvent>, Vec<&NewEvent>) = planned.iter().partition(|e| e.dlr_url.is_none());
    if quiet.is_empty() || quiet.iter().any(|e| e.sender.is_none() && m.sender.is_some()) {
        return (None, planned.iter().collect());
    }
    let row = RowDefaults::of(m);
    let kept: Vec<Kept<'_>> = quiet.iter().map(|e| row.keep(e)).collect();
    // A Vec of plain fields always serialises.
    (serde_json::to_string(&kept).ok(), queued)
}

/// One status change of a message's history, due or not, with its report's delivery state
/// (as `GET /v1/omnimessage/{id}` shows it: times in ISO-8601, the outcome spelled).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// The `message_events` row; `None` for a change kept on the message's row (no webhook).
    pub id: Option<i64>,
    pub omnimessage_id: String,
    pub message_id: String,
    pub channel: String,
    pub sender: Option<String>,
    pub status: String,
    pub err: i64,
    #[serde(serialize_with = "crate::time::iso")]
    pub due_at: UnixMillis,
    pub dlr_url: Option<String>,
    pub attempts: i64,
    pub outcome: Option<DlrOutcome>,
    #[serde(serialize_with = "crate::time::iso_opt")]
    pub done_at: Option<UnixMillis>,
}

impl Serialize for DlrOutcome {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.spelling())
    }
}

/// Every status change of an omnimessage, due or not, in the order they were planned: those
/// kept on the gateway's message row (all planned at accept time), then the rows.
pub fn history(conn: &Conn, omnimessage_id: &str) -> Result<Vec<Change>> {
    // One snapshot: a cancel committing between the two reads cannot show both layouts' halves.
    let tx = conn.begin(crate::store::db::TxKind::Read)?;
    let conn: &Conn = &tx;
    let row: Option<(String, Option<String>, Option<String>, UnixMillis)> = conn
        .query_row(
            "SELECT planned, message_id, sender, coalesce(send_at, at) FROM messages
             WHERE omnimessage_id = ?1 AND origin = 'gateway' AND planned IS NOT NULL ORDER BY id LIMIT 1",
            [omnimessage_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    let mut out = match &row {
        None => Vec::new(),
        Some((json, message_id, sender, start)) => {
            let kept: Vec<Kept<'_>> = serde_json::from_str(json)
                .map_err(|e| crate::error::Error::store(format!("message {omnimessage_id}: unreadable planned statuses: {e}")))?;
            kept.into_iter()
                .map(|k| Change {
                    id: None,
                    omnimessage_id: omnimessage_id.to_owned(),
                    message_id: k.message_id.map_or_else(|| message_id.clone().unwrap_or_default(), Cow::into_owned),
                    channel: k.channel.map_or_else(|| SMS.to_owned(), Cow::into_owned),
                    sender: k.sender.map(Cow::into_owned).or_else(|| sender.clone()),
                    status: k.status.into_owned(),
                    err: k.err,
                    due_at: UnixMillis::from_i64(start.as_i64().saturating_add(k.after)),
                    dlr_url: None,
                    attempts: 0,
                    outcome: Some(DlrOutcome::NoWebhook),
                    done_at: None,
                })
                .collect()
        }
    };
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM message_events WHERE omnimessage_id = ?1 ORDER BY id"
    ))?;
    let rows = stmt
        .query_map([omnimessage_id], read)?
        .collect::<crate::store::db::Result<Vec<_>>>()?;
    out.extend(rows.into_iter().map(|e| Change {
        id: Some(e.id),
        omnimessage_id: e.omnimessage_id,
        message_id: e.message_id,
        channel: e.channel,
        sender: e.sender,
        status: e.status,
        err: e.err,
        due_at: e.due_at,
        dlr_url: e.dlr_url,
        attempts: e.attempts,
        outcome: e.outcome,
        done_at: e.done_at,
    }));
    drop(stmt);
    tx.commit()?;
    Ok(out)
}

/// Reports whose next attempt is due, with the key that sent each. A report waits while an
/// earlier report of the same omnimessage is still queued, so a receiver sees ACK before the
/// final status even when the ACK needed retries. Taken fairly, oldest first within a key: at most
/// `per_key` per key, every key's first before any key's second, at most `limit` in all. A key
/// with thousands of reports queued (a dead webhook) cannot crowd out another key's.
pub fn due_reports_fair(conn: &Conn, now: UnixMillis, per_key: u32, limit: u32) -> Result<Vec<(String, Event)>> {
    let mut stmt = conn.prepare_cached(&format!(
        "WITH due AS (
             SELECT e.*, coalesce((SELECT m.key_id FROM messages m
                                   WHERE m.omnimessage_id = e.omnimessage_id AND m.origin = 'gateway' LIMIT 1), '') AS key_id
             FROM message_events e
             WHERE e.outcome IS NULL AND e.next_attempt_at <= ?1
               AND NOT EXISTS (SELECT 1 FROM message_events p
                               WHERE p.omnimessage_id = e.omnimessage_id AND p.id < e.id AND p.outcome IS NULL)),
         ranked AS (
             SELECT *, ROW_NUMBER() OVER (PARTITION BY key_id ORDER BY next_attempt_at, id) AS turn FROM due)
         SELECT {COLUMNS}, key_id FROM ranked WHERE turn <= ?2 ORDER BY turn, next_attempt_at, id LIMIT ?3"
    ))?;
    let rows = stmt
        .query_map(params![now, per_key, limit], |r| Ok((r.get(14)?, read(r)?)))?
        .collect::<crate::store::db::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Claims the reports `ids` that are still due at `now` for `lease` ms (their next attempt
/// moves that far ahead), in the caller's write transaction; returns the ids this call got.
/// With several gateway nodes on one PostgreSQL store each due report goes to one node; a
/// node that dies holding a claim lets it lapse, and another node (or its next start)
/// delivers the report then.
pub fn claim(conn: &Conn, ids: &[i64], now: UnixMillis, lease: Millis) -> Result<Vec<i64>> {
    let mut stmt =
        conn.prepare_cached("UPDATE message_events SET next_attempt_at = ?3 WHERE id = ?1 AND outcome IS NULL AND next_attempt_at <= ?2")?;
    let mut got = Vec::new();
    for &id in ids {
        if stmt.execute(params![id, now, now + lease])? == 1 {
            got.push(id);
        }
    }
    Ok(got)
}

/// Gives back claims of reports that were never attempted (a drain that ended first).
pub fn release_claims(conn: &Conn, ids: &[i64], now: UnixMillis) -> Result<()> {
    let mut stmt = conn.prepare_cached("UPDATE message_events SET next_attempt_at = ?2 WHERE id = ?1 AND outcome IS NULL")?;
    for id in ids {
        stmt.execute(params![id, now])?;
    }
    Ok(())
}

/// Reports still queued (no outcome yet), due or not.
pub fn queued_count(conn: &Conn) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT COUNT(*) FROM message_events WHERE outcome IS NULL AND dlr_url IS NOT NULL",
        (),
        |r| r.get(0),
    )?)
}

/// When the next queued report that is not waiting for an earlier one falls due.
pub fn next_due(conn: &Conn) -> Result<Option<UnixMillis>> {
    Ok(conn.query_row(
        "SELECT MIN(e.next_attempt_at) FROM message_events e
         WHERE e.outcome IS NULL
           AND NOT EXISTS (SELECT 1 FROM message_events p
                           WHERE p.omnimessage_id = e.omnimessage_id AND p.id < e.id AND p.outcome IS NULL)",
        (),
        |r| r.get(0),
    )?)
}

/// One attempt that will be retried at `next_at`.
pub fn retry_at(conn: &Conn, id: i64, attempts: i64, next_at: UnixMillis) -> Result<()> {
    conn.execute(
        "UPDATE message_events SET attempts = ?2, next_attempt_at = ?3 WHERE id = ?1",
        params![id, attempts, next_at],
    )?;
    Ok(())
}

/// The report is finished: delivered, failed for good, or refused. Once the message's last
/// queued report is finished, the message log gets the summary: `delivered` when every report
/// was, else the first report's failure; the attempts of all its reports.
pub fn finish(conn: &Conn, id: i64, attempts: i64, outcome: &DlrOutcome, at: UnixMillis) -> Result<()> {
    conn.execute(
        "UPDATE message_events SET attempts = ?2, outcome = ?3, done_at = ?4 WHERE id = ?1",
        params![id, attempts, outcome.spelling(), at],
    )?;
    conn.execute(
        "UPDATE messages SET
            dlr_status = COALESCE((SELECT outcome FROM message_events
                                   WHERE omnimessage_id = messages.omnimessage_id AND outcome NOT IN ('delivered', ?3)
                                   ORDER BY id LIMIT 1), 'delivered'),
            dlr_attempts = (SELECT SUM(attempts) FROM message_events WHERE omnimessage_id = messages.omnimessage_id),
            dlr_at = ?2
         WHERE origin = 'gateway'
           AND omnimessage_id = (SELECT omnimessage_id FROM message_events WHERE id = ?1)
           AND NOT EXISTS (SELECT 1 FROM message_events
                           WHERE omnimessage_id = messages.omnimessage_id AND outcome IS NULL)",
        params![id, at, NO_WEBHOOK],
    )?;
    Ok(())
}

/// Cancels a scheduled omnimessage: drops the status changes not yet due (and their reports)
/// and records `DELETED`. Returns false (and changes nothing) when it is no longer scheduled.
/// Cancels every message of `key_id` still waiting for its `time_to_send` (a revoked key
/// sends nothing more); returns how many. No report is planned for them: signing one needs
/// the key's secret, which only the sending request held.
pub fn cancel_scheduled_of_key(conn: &Conn, key_id: &str, now: UnixMillis) -> Result<usize> {
    conn.execute(
        "DELETE FROM message_events WHERE due_at > ?2 AND omnimessage_id IN (
             SELECT omnimessage_id FROM messages
             WHERE key_id = ?1 AND origin = 'gateway' AND cancelled_at IS NULL AND send_at IS NOT NULL AND send_at > ?2)",
        params![key_id, now],
    )?;
    // As in `cancel`: none of their status changes is due, so none is kept.
    Ok(conn.execute(
        "UPDATE messages SET cancelled_at = ?2, planned = NULL
         WHERE key_id = ?1 AND origin = 'gateway' AND cancelled_at IS NULL AND send_at IS NOT NULL AND send_at > ?2",
        params![key_id, now],
    )?)
}

pub fn cancel(conn: &Conn, omnimessage_id: &str, deleted: &NewEvent, now: UnixMillis) -> Result<bool> {
    // Every status change of a scheduled message is planned at or after its send time, so
    // none of them is due yet: the kept ones all go, as do the rows below.
    let changed = conn.execute(
        "UPDATE messages SET cancelled_at = ?2, planned = NULL
         WHERE omnimessage_id = ?1 AND origin = 'gateway' AND cancelled_at IS NULL AND send_at IS NOT NULL AND send_at > ?2",
        params![omnimessage_id, now],
    )?;
    if changed == 0 {
        return Ok(false);
    }
    conn.execute(
        "DELETE FROM message_events WHERE omnimessage_id = ?1 AND due_at > ?2",
        params![omnimessage_id, now],
    )?;
    insert(conn, deleted)?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_round_trip_through_their_spelling() {
        let conn = Conn::sqlite(rusqlite::Connection::open_in_memory().unwrap());
        conn.execute_batch("CREATE TABLE t (n INTEGER, v TEXT)").unwrap();
        let all = [
            DlrOutcome::Delivered,
            DlrOutcome::NoWebhook,
            DlrOutcome::Refused("internal address".into()),
            DlrOutcome::Failed("HTTP 500".into()),
            DlrOutcome::Failed(String::new()),
        ];
        for (n, o) in all.iter().enumerate() {
            conn.execute("INSERT INTO t VALUES (?1, ?2)", params![n, o.spelling()]).unwrap();
            let back: DlrOutcome = conn.query_row("SELECT v FROM t WHERE n = ?1", [n], |r| r.get(0)).unwrap();
            assert_eq!(&back, o);
        }
        assert_eq!(DlrOutcome::Refused("x".into()).to_string(), "refused: x");
        assert_eq!(DlrOutcome::NoWebhook.to_string(), "no webhook");
    }

    fn planned(status: &str, dlr_url: Option<&str>) -> NewEvent {
        NewEvent {
            omnimessage_id: "o".into(),
            message_id: "m".into(),
            channel: "sms".into(),
            sender: Some("ACME".into()),
            status: status.into(),
            err: 0,
            due_at: UnixMillis::from_i64(1_700_000_000_123),
            dlr_url: dlr_url.map(Into::into),
            body: String::new(),
            signature: String::new(),
        }
    }

    #[test]
    fn the_message_row_keeps_only_what_no_webhook_hears_and_only_what_it_lacks() {
        let hook = Some("https://hook.example/");
        let m = NewMessage {
            at: UnixMillis::from_i64(1_700_000_000_000),
            message_id: Some("m".into()),
            sender: Some("ACME".into()),
            ..NewMessage::default()
        };
        fn split<'e>(m: &NewMessage, events: &'e [NewEvent]) -> (Option<String>, Vec<&'e str>) {
            let (json, rows) = keep_on_row(m, events);
            (json, rows.iter().map(|e| e.status.as_str()).collect())
        }
        assert_eq!(split(&m, &[]), (None, vec![]));
        assert_eq!(split(&m, &[planned("ACK", hook)]), (None, vec!["ACK"]));
        assert_eq!(
            split(&m, &[planned("ACK", None), planned("DELIVRD", hook), planned("DELIVRD", None)]),
            (
                Some(r#"[{"status":"ACK","after":123},{"status":"DELIVRD","after":123}]"#.into()),
                vec!["DELIVRD"]
            )
        );
        let mut other = planned("UNDELIV", None);
        other.message_id = "v".into();
        other.channel = "viber".into();
        other.sender = Some("Other".into());
        other.err = 1;
        assert_eq!(
            split(&m, &[other]).0.unwrap(),
            r#"[{"message_id":"v","channel":"viber","sender":"Other","status":"UNDELIV","err":1,"after":123}]"#
        );
        // A sender the row would fill in wrongly: every change stays a row, in order.
        let mut unset = planned("ACK", None);
        unset.sender = None;
        assert_eq!(split(&m, &[unset, planned("DELIVRD", None)]), (None, vec!["ACK", "DELIVRD"]));
    }

    #[test]
    fn an_unknown_outcome_is_an_error_naming_the_column() {
        let conn = Conn::sqlite(rusqlite::Connection::open_in_memory().unwrap());
        conn.execute_batch("CREATE TABLE message_events (outcome TEXT); INSERT INTO message_events VALUES ('lost')")
            .unwrap();
        let e = conn
            .query_row("SELECT outcome FROM message_events", (), |r| r.get::<_, Option<DlrOutcome>>(0))
            .unwrap_err();
        let shown = e.to_string();
        assert!(
            shown.starts_with("column outcome: unknown delivery-report outcome 'lost'"),
            "{shown}"
        );
    }
}
