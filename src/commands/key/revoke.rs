//! `smsctl key revoke`: immediate and final; the row stays for the audit trail. One key by
//! name or id, or every live key a selector matches (previewed, confirmed, one transaction).

use serde::Serialize;

use super::KeyView;
use crate::cli::KeyRevokeArgs;
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::output::{Human, Report};
use crate::store::audit;
use crate::store::keys::{self, Key};
use crate::time::{self, UnixMillis};

pub(crate) fn exec(ctx: &Ctx, args: KeyRevokeArgs) -> Result<()> {
    let now = ctx.clock.now();
    let select = super::selector(&args.select, now)?;
    match args.key {
        Some(key) if !select.is_filtering() => exec_one(ctx, &key, now),
        Some(_) => Err(Error::usage("give either a KEY or selectors (--name, --unused-for, ...), not both")
            .hint("`smsctl key revoke KEY` revokes one key; `smsctl key revoke --name 'ci-*'` revokes every match")),
        None => exec_bulk(ctx, &select, now),
    }
}

fn exec_one(ctx: &Ctx, key_ref: &str, now: UnixMillis) -> Result<()> {
    let mut store = ctx.store()?;
    let key = keys::find(store.conn(), key_ref)?;
    crate::keys::ensure_mutable(&key)?;
    // Final: a single keystroke never revokes; the operator types the key's name.
    ctx.confirm_typed(
        &format!("revoking key '{}'", key.name),
        &format!(
            "Revoking key '{}' ({}) is final: every secret stops working at once.",
            key.name, key.id
        ),
        &key.name,
        "pass --yes to revoke without a prompt",
    )?;
    let shown = store.write(|tx| {
        // Re-read inside the transaction: the confirmation may have taken a while.
        revoke_in_tx(ctx, tx, &key.id, now, audit::Action::KeyRevoke, None)?;
        super::show::load(tx, &key.id, now)
    })?;
    ctx.out
        .warn(&format!("key '{}' revoked; its secrets no longer authenticate", shown.key.name));
    forget_saved_secrets(ctx, std::slice::from_ref(&shown.key.id));
    ctx.out.emit(&shown)
}

/// Revokes one live key inside the caller's transaction and audits it (before/after, plus
/// `extra` fields in the after, e.g. which file asked for it). Refuses a revoked key.
pub(crate) fn revoke_in_tx(
    ctx: &Ctx,
    tx: &crate::store::Conn,
    key_id: &str,
    now: UnixMillis,
    action: audit::Action,
    extra: Option<&serde_json::Value>,
) -> Result<Key> {
    let mut key = keys::find(tx, key_id)?;
    crate::keys::ensure_mutable(&key)?;
    let before = keys::state_snapshot(tx, &key)?;
    key.revoked_at = Some(now);
    keys::update(tx, &key)?;
    keys::end_all_secrets(tx, &key.id, now)?;
    // Messages it scheduled would otherwise still go out, and nobody could cancel them.
    crate::store::events::cancel_scheduled_of_key(tx, &key.id, now)?;
    let after = with_extra(keys::state_snapshot(tx, &key)?, extra);
    ctx.audit(tx, now, action, Some(&key.id), Some(before), Some(after))?;
    Ok(key)
}

/// Adds `extra`'s fields to an audit snapshot. The trail's replay compares only the fields
/// the tables hold, so these are recorded without being mistaken for state.
pub(crate) fn with_extra(mut snapshot: serde_json::Value, extra: Option<&serde_json::Value>) -> serde_json::Value {
    if let (Some(map), Some(serde_json::Value::Object(more))) = (snapshot.as_object_mut(), extra) {
        for (k, v) in more {
            map.insert(k.clone(), v.clone());
        }
    }
    snapshot
}

/// A saved secret of a revoked key is useless; remove it. No keyring at all is fine here.
pub(crate) fn forget_saved_secrets(ctx: &Ctx, key_ids: &[String]) {
    for id in key_ids {
        match ctx.keyring.delete(id) {
            Ok(()) => {}
            Err(e) if e.is_unavailable() => return,
            Err(e) => ctx
                .out
                .warn(&format!("could not remove the saved secret of {id} from the OS keyring: {e}")),
        }
    }
}

#[derive(Serialize)]
struct BulkRevoked {
    revoked: Vec<KeyView>,
    #[serde(skip)]
    now: UnixMillis,
}

impl Report for BulkRevoked {
    fn human(&self, out: &mut Human) {
        if self.revoked.is_empty() {
            out.line("No live key matches; nothing was revoked.");
            return;
        }
        out.line(format!("Revoked {} key(s):", self.revoked.len()));
        preview(out, &self.revoked, self.now);
    }
    fn quiet(&self) -> Option<String> {
        Some(self.revoked.iter().map(|k| k.id.as_str()).collect::<Vec<_>>().join("\n")).filter(|s| !s.is_empty())
    }
}

#[derive(Serialize)]
struct Preview<'a> {
    keys: &'a [KeyView],
    #[serde(skip)]
    now: UnixMillis,
}

impl Report for Preview<'_> {
    fn human(&self, out: &mut Human) {
        out.line(format!(
            "These {} key(s) would be revoked; every secret stops working at once:",
            self.keys.len()
        ));
        preview(out, self.keys, self.now);
    }
}

fn preview(out: &mut Human, keys: &[KeyView], now: UnixMillis) {
    out.table(
        &["name", "id", "created", "expires", "last used"],
        keys.iter().map(|k| {
            vec![
                k.name.clone(),
                k.id.clone(),
                time::format(k.created_at),
                super::expiry_text(k.expires_at, now),
                k.last_used_at.map_or_else(|| "never".to_owned(), time::format),
            ]
        }),
    );
}

fn selected(conn: &crate::store::Conn, select: &crate::keyfile::select::Selector) -> Result<Vec<Key>> {
    Ok(keys::list(conn, false)?.into_iter().filter(|k| select.matches(k)).collect())
}

fn exec_bulk(ctx: &Ctx, select: &crate::keyfile::select::Selector, now: UnixMillis) -> Result<()> {
    let mut store = ctx.store()?;
    let matched = selected(store.conn(), select)?;
    if matched.is_empty() {
        return ctx.out.emit(&BulkRevoked { revoked: vec![], now });
    }
    let views: Vec<KeyView> = matched.iter().map(|k| KeyView::new(k, None, now)).collect();
    let n = matched.len();
    if !ctx.yes {
        if !ctx.interactive() {
            let why = if ctx.no_input {
                "prompts are disabled (--no-input)"
            } else {
                "there is no terminal to ask on"
            };
            return Err(Error::usage(format!("revoking {n} key(s) needs confirmation, and {why}"))
                .hint("check the selection with `smsctl key list` and the same options, then pass --yes"));
        }
        ctx.out.preview(&Preview { keys: &views, now });
        let typed: String = dialoguer::Input::new()
            .with_prompt(format!("Type {n} to revoke them all"))
            .allow_empty(true)
            .interact_text()
            .map_err(|e| Error::usage(format!("prompt failed: {e}")).hint("pass --yes to revoke without a prompt"))?;
        if typed.trim() != n.to_string() {
            return Err(Error::failure("cancelled; nothing changed"));
        }
    }
    let ids: Vec<String> = matched.iter().map(|k| k.id.clone()).collect();
    let revoked = store.write(|tx| {
        // The selection is made again under the lock: if it is no longer what was shown, stop.
        let again: Vec<String> = selected(tx, select)?.into_iter().map(|k| k.id).collect();
        if again != ids {
            return Err(
                Error::conflict("the keys matching the selection changed since they were listed; nothing was revoked")
                    .hint("run the command again to see the current selection"),
            );
        }
        let mut out = Vec::with_capacity(ids.len());
        for id in &ids {
            let key = revoke_in_tx(ctx, tx, id, now, audit::Action::KeyRevoke, None)?;
            out.push(KeyView::new(&key, None, now));
        }
        Ok(out)
    })?;
    ctx.out
        .warn(&format!("{} key(s) revoked; their secrets no longer authenticate", revoked.len()));
    forget_saved_secrets(ctx, &ids);
    ctx.out.emit(&BulkRevoked { revoked, now })
}
