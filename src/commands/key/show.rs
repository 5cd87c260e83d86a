//! `smsctl key show`: one key in full (secrets by their last four characters only).

use serde::Serialize;

use super::{KeyView, secrets_table};
use crate::cli::KeyRef;
use crate::context::Ctx;
use crate::error::Result;
use crate::output::{Human, Report};
use crate::store::keys;
use crate::time::UnixMillis;

#[derive(Serialize)]
#[serde(transparent)]
pub(super) struct Shown {
    pub key: KeyView,
    #[serde(skip)]
    pub now: UnixMillis,
}

impl Report for Shown {
    fn human(&self, out: &mut Human) {
        out.fields(&self.key.field_rows(self.now));
        if let Some(secrets) = &self.key.secrets {
            out.blank();
            if secrets.is_empty() {
                out.line("No valid secrets.");
            } else {
                secrets_table(out, secrets);
            }
        }
    }
    fn quiet(&self) -> Option<String> {
        Some(self.key.id.clone())
    }
}

/// Loads a key with its live secrets, ready to print.
pub(super) fn load(conn: &crate::store::Conn, key: &str, now: UnixMillis) -> Result<Shown> {
    let key = keys::find(conn, key)?;
    let secrets = keys::live_secrets(conn, &key.id, now)?;
    let mut view = KeyView::new(&key, Some(&secrets), now);
    let usage = crate::commands::usage::key_usage(conn, &key, now)?;
    // Per secret: the gateway's counts (store::usage), beside each secret's last use.
    for (view, row) in view.secrets.iter_mut().flatten().zip(&secrets) {
        let used = usage.secrets.iter().find(|u| u.secret_id == row.id);
        view.messages = Some(used.map_or(0, |u| u.messages));
        view.last_ip = used.and_then(|u| u.last_ip.clone());
    }
    view.usage = Some(usage);
    Ok(Shown { key: view, now })
}

pub(super) fn exec(ctx: &Ctx, args: KeyRef) -> Result<()> {
    let now = ctx.clock.now();
    let store = ctx.store_for_reading()?;
    ctx.out.emit(&load(store.conn(), &args.key, now)?)
}
