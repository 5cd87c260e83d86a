//! `smsctl messages` (the message log, filtered) and `smsctl messages show ID`.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::cli::{MessageStatus, MessagesArgs, MessagesCommand};
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::output::{Human, Report};
use crate::store::db::Spelled;
use crate::store::keys::{self, KeyName};
use crate::store::messages::{self, DeliveryEvent, MessageRow};
use crate::text::{AutoConvert, Encoding};
use crate::time::{self, UnixMillis, iso, iso_opt};

/// A recorded message as `--json` shows it (the store's row is not the contract).
#[derive(Serialize)]
struct MessageView {
    id: i64,
    #[serde(serialize_with = "iso")]
    at: UnixMillis,
    /// Every recorder: `send`, `gateway`, or `send+gateway` for the two rows of one message.
    origin: String,
    key_id: String,
    recipient: String,
    sender: Option<String>,
    autoconvert: AutoConvert,
    dlr_url: Option<String>,
    encoding: Encoding,
    parts: i64,
    http_status: Option<i64>,
    message_id: Option<String>,
    omnimessage_id: Option<String>,
    error: Option<String>,
    text_store: Option<String>,
    text: Option<String>,
    #[serde(serialize_with = "iso_opt")]
    send_at: Option<UnixMillis>,
    secret_id: Option<i64>,
    relay_outcome: Option<String>,
    dlr_status: Option<String>,
    dlr_attempts: i64,
    #[serde(serialize_with = "iso_opt")]
    dlr_at: Option<UnixMillis>,
    #[serde(serialize_with = "iso_opt")]
    cancelled_at: Option<UnixMillis>,
}

impl From<MessageRow> for MessageView {
    fn from(row: MessageRow) -> MessageView {
        let m = row.message;
        MessageView {
            id: row.id,
            at: m.at,
            origin: row.via.iter().map(|o| o.spelling()).collect::<Vec<_>>().join("+"),
            key_id: m.key_id,
            recipient: m.recipient,
            sender: m.sender,
            autoconvert: m.autoconvert,
            dlr_url: m.dlr_url,
            encoding: m.encoding,
            parts: m.parts,
            http_status: m.http_status,
            message_id: m.message_id,
            omnimessage_id: m.omnimessage_id,
            error: m.error,
            text_store: m.text_store,
            text: m.text,
            send_at: m.send_at,
            secret_id: m.secret_id,
            relay_outcome: m.relay_outcome,
            dlr_status: row.dlr_status.map(|s| s.to_string()),
            dlr_attempts: row.dlr_attempts,
            dlr_at: row.dlr_at,
            cancelled_at: row.cancelled_at,
        }
    }
}

/// One step of `messages show`'s delivery history.
#[derive(Serialize)]
struct HistoryView {
    #[serde(serialize_with = "iso")]
    at: UnixMillis,
    event: String,
    detail: Option<String>,
}

impl From<DeliveryEvent> for HistoryView {
    fn from(e: DeliveryEvent) -> HistoryView {
        HistoryView {
            at: e.at,
            event: e.event,
            detail: e.detail,
        }
    }
}

/// One message as listed: the record plus the name of its key.
#[derive(Serialize)]
struct Listed {
    #[serde(flatten)]
    row: MessageView,
    key_name: Option<String>,
    status: &'static str,
}

#[derive(Serialize)]
#[serde(transparent)]
struct Log {
    rows: Vec<Listed>,
    #[serde(skip)]
    wide: bool,
}

/// Cuts `s` to `n` characters, marking the cut.
fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_owned()
    } else {
        let mut out: String = s.chars().take(n - 1).collect();
        out.push('…');
        out
    }
}

impl Report for Log {
    fn human(&self, out: &mut Human) {
        if self.rows.is_empty() {
            out.line("No messages recorded.");
            return;
        }
        let dash = || "-".to_owned();
        if !self.wide {
            // Fits 80 columns: `messages show N` has the rest, `--wide` every column.
            out.table(
                &["#", "time", "key", "to", "parts", "status"],
                self.rows.iter().map(|m| {
                    vec![
                        m.row.id.to_string(),
                        time::format(m.row.at),
                        clip(m.key_name.as_deref().unwrap_or(&m.row.key_id), 14),
                        m.row.recipient.clone(),
                        m.row.parts.to_string(),
                        // A relayed message's status is its outcome at the upstream.
                        match m.row.relay_outcome.as_deref() {
                            Some(outcome) => format!("relay {}", outcome.split(':').next().unwrap_or(outcome)),
                            None => m.status.to_owned(),
                        },
                    ]
                }),
            );
            return;
        }
        out.table(
            &[
                "#",
                "time",
                "via",
                "key",
                "to",
                "sender",
                "autoconvert",
                "enc",
                "parts",
                "status",
                "http",
                "omnimessage id / error",
                "report",
            ],
            self.rows.iter().map(|m| {
                vec![
                    m.row.id.to_string(),
                    time::format(m.row.at),
                    // A relayed message says so; its outcome upstream is its status.
                    if m.row.relay_outcome.is_some() {
                        "relay".into()
                    } else {
                        m.row.origin.clone()
                    },
                    m.key_name.clone().unwrap_or_else(|| m.row.key_id.clone()),
                    m.row.recipient.clone(),
                    m.row.sender.clone().unwrap_or_else(dash),
                    m.row.autoconvert.to_string(),
                    m.row.encoding.to_string(),
                    m.row.parts.to_string(),
                    m.status.to_owned(),
                    match m.row.relay_outcome.as_deref() {
                        Some(outcome) if outcome != "accepted" => outcome.split(':').next().unwrap_or(outcome).to_owned(),
                        _ => m.row.http_status.map(|s| s.to_string()).unwrap_or_else(dash),
                    },
                    m.row.omnimessage_id.clone().or_else(|| m.row.error.clone()).unwrap_or_else(dash),
                    m.row.dlr_status.clone().unwrap_or_else(dash),
                ]
            }),
        );
    }
    /// `--quiet`: the omnimessage id of each message (its number when it has none), one per line.
    fn quiet(&self) -> Option<String> {
        (!self.rows.is_empty()).then(|| {
            self.rows
                .iter()
                .map(|m| m.row.omnimessage_id.clone().unwrap_or_else(|| m.row.id.to_string()))
                .collect::<Vec<_>>()
                .join("\n")
        })
    }
}

/// `messages show`: the record, its effective settings and its delivery history.
#[derive(Serialize)]
struct Shown {
    #[serde(flatten)]
    row: MessageView,
    key: Option<KeyName>,
    status: &'static str,
    /// The values the message went out with. The store records the outcome of the precedence
    /// rule, not which source (flag, key, default) each value came from.
    effective: Effective,
    history: Vec<HistoryView>,
}

#[derive(Serialize)]
struct Effective {
    sender: Option<String>,
    autoconvert: AutoConvert,
    dlr_url: Option<String>,
}

impl Report for Shown {
    fn human(&self, out: &mut Human) {
        let m = &self.row;
        let opt = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
        out.fields(&[
            ("number", m.id.to_string()),
            ("time", time::format(m.at)),
            ("via", m.origin.clone()),
            (
                "key",
                self.key.as_ref().map_or_else(
                    || format!("{} (no longer in the store)", m.key_id),
                    |k| format!("{} ({})", k.name, k.id),
                ),
            ),
            ("to", m.recipient.clone()),
            ("status", self.status.to_owned()),
            ("http status", m.http_status.map_or_else(|| "-".into(), |s| s.to_string())),
            ("message id", opt(&m.message_id)),
            ("omnimessage id", opt(&m.omnimessage_id)),
            ("error", opt(&m.error)),
            ("encoding", m.encoding.to_string()),
            ("parts", m.parts.to_string()),
        ]);
        out.blank();
        out.line("Effective settings (after precedence: flag > key > default; sources are not recorded):");
        out.fields(&[
            ("sender", opt(&self.effective.sender)),
            ("autoconvert", self.effective.autoconvert.to_string()),
            ("dlr webhook", opt(&self.effective.dlr_url)),
        ]);
        out.blank();
        out.line("Delivery history:");
        out.table(
            &["time", "event", "detail"],
            self.history
                .iter()
                .map(|e| vec![time::format(e.at), e.event.clone(), e.detail.clone().unwrap_or_else(|| "-".into())]),
        );
    }
    fn quiet(&self) -> Option<String> {
        Some(self.status.to_owned())
    }
}

pub fn exec(ctx: &Ctx, args: MessagesArgs) -> Result<()> {
    let store = ctx.store_for_reading()?;
    let conn = store.conn();
    if let Some(MessagesCommand::Show { id }) = &args.command {
        let Some(row) = messages::find(conn, id)? else {
            let mut err = Error::not_found(format!("no message '{}'", keys::printable(id)))
                .hint("give the number from `smsctl messages`, a message id or an omnimessage id");
            if store.is_new() {
                err = err.hint(format!(
                    "there is no store at {} yet (check --db / SMSCTL_DB); it appears with the first key",
                    store.path().display()
                ));
            }
            return Err(err);
        };
        let key = keys::find_by_id(conn, &row.key_id)?.map(|k| KeyName::from(&k));
        let history = messages::delivery_history(conn, &row)?;
        return ctx.out.emit(&Shown {
            status: row.status(),
            effective: Effective {
                sender: row.sender.clone(),
                autoconvert: row.autoconvert,
                dlr_url: row.dlr_url.clone(),
            },
            key,
            history: history.into_iter().map(HistoryView::from).collect(),
            row: row.into(),
        });
    }
    let now = ctx.clock.now();
    let key_id = match &args.key {
        Some(k) => Some(keys::find(conn, k)?.id),
        None => None,
    };
    let since = args.since.as_deref().map(|s| time::parse_since(s, now)).transpose()?;
    let to = args.to.as_deref().map(crate::settings::normalize_e164).transpose()?;
    let rows = messages::list(
        conn,
        &messages::Filter {
            key_id: key_id.as_deref(),
            since,
            accepted: args.status.map(|s| s == MessageStatus::Accepted),
            recipient: to.as_deref(),
            limit: args.limit,
        },
    )?;
    let names: BTreeMap<String, String> = keys::list(conn, true)?.into_iter().map(|k| (k.id, k.name)).collect();
    let rows = rows
        .into_iter()
        .map(|row| Listed {
            key_name: names.get(&row.key_id).cloned(),
            status: row.status(),
            row: row.into(),
        })
        .collect();
    ctx.out.emit(&Log { rows, wide: args.wide })
}
