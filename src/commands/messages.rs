//! `smsctl messages`: the message log.

use serde::Serialize;

use crate::cli::MessagesArgs;
use crate::context::Ctx;
use crate::error::Result;
use crate::output::{Human, Report};
use crate::store::{keys, messages};
use crate::time;

#[derive(Serialize)]
#[serde(transparent)]
struct Log {
    rows: Vec<messages::MessageRow>,
}

impl Report for Log {
    fn human(&self, out: &mut Human) {
        if self.rows.is_empty() {
            out.line("No messages recorded.");
            return;
        }
        out.table(
            &[
                "time",
                "via",
                "key",
                "to",
                "sender",
                "mode",
                "enc",
                "parts",
                "status",
                "message id / error",
                "dlr",
            ],
            self.rows.iter().map(|m| {
                vec![
                    time::format(m.at),
                    // A relayed message says so; its outcome upstream is its status.
                    if m.relay_outcome.is_some() {
                        "relay".into()
                    } else {
                        m.origin.clone()
                    },
                    m.key_id.clone(),
                    m.recipient.clone(),
                    m.sender.clone().unwrap_or_else(|| "-".into()),
                    m.autoconvert.clone(),
                    m.encoding.clone(),
                    m.parts.to_string(),
                    match m.relay_outcome.as_deref() {
                        Some(outcome) if outcome != "accepted" => outcome.split(':').next().unwrap_or(outcome).to_owned(),
                        _ => m.http_status.map(|s| s.to_string()).unwrap_or_else(|| "-".into()),
                    },
                    m.message_id.clone().or_else(|| m.error.clone()).unwrap_or_else(|| "-".into()),
                    m.dlr_status.clone().unwrap_or_else(|| "-".into()),
                ]
            }),
        );
    }
}

pub fn exec(ctx: &Ctx, args: MessagesArgs) -> Result<()> {
    let store = ctx.store_for_reading()?;
    let key_id = match &args.key {
        Some(k) => Some(keys::find(store.conn(), k)?.id),
        None => None,
    };
    let rows = messages::list(store.conn(), key_id.as_deref(), args.limit)?;
    ctx.out.emit(&Log { rows })
}
