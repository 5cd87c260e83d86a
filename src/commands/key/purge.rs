//! `smsctl key purge --revoked-before DUR`: removes long-revoked keys from the store. Their
//! audit entries stay; a `key.purge` entry tells the replay in `audit verify` that the key is
//! gone on purpose (see `store::audit::PURGE`).

use serde::Serialize;

use crate::cli::KeyPurgeArgs;
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::output::{Human, Report, iso};
use crate::store::{audit, keys};
use crate::time::{self, UnixMillis};

#[derive(Serialize)]
struct Purged {
    dry_run: bool,
    #[serde(serialize_with = "iso")]
    revoked_before: UnixMillis,
    keys: Vec<PurgedKey>,
}

#[derive(Serialize)]
struct PurgedKey {
    id: String,
    name: String,
    #[serde(serialize_with = "iso")]
    revoked_at: UnixMillis,
}

impl Report for Purged {
    fn human(&self, out: &mut Human) {
        let verb = if self.dry_run { "Would purge" } else { "Purged" };
        if self.keys.is_empty() {
            out.line(format!(
                "No key was revoked before {}; nothing to purge.",
                time::format(self.revoked_before)
            ));
            return;
        }
        out.line(format!(
            "{verb} {} key(s) revoked before {}:",
            self.keys.len(),
            time::format(self.revoked_before)
        ));
        out.table(
            &["id", "name", "revoked"],
            self.keys
                .iter()
                .map(|k| vec![k.id.clone(), k.name.clone(), time::format(k.revoked_at)]),
        );
        out.line("Their audit history stays: `smsctl audit --key KEY_ID`.");
    }
    fn quiet(&self) -> Option<String> {
        (!self.keys.is_empty()).then(|| self.keys.iter().map(|k| k.id.clone()).collect::<Vec<_>>().join("\n"))
    }
}

fn candidates(conn: &crate::store::Conn, before: UnixMillis) -> Result<Vec<keys::Key>> {
    Ok(keys::list(conn, true)?
        .into_iter()
        .filter(|k| k.revoked_at.is_some_and(|t| t < before))
        .collect())
}

pub(super) fn exec(ctx: &Ctx, args: KeyPurgeArgs) -> Result<()> {
    let now = ctx.clock.now();
    let before = time::parse_since(&args.revoked_before, now)?;
    if before > now {
        return Err(Error::usage(format!("--revoked-before {} is in the future", args.revoked_before))
            .hint("give a duration ago (90d) or a past date"));
    }
    let view = |found: &[keys::Key], dry_run| Purged {
        dry_run,
        revoked_before: before,
        keys: found
            .iter()
            .map(|k| PurgedKey {
                id: k.id.clone(),
                name: k.name.clone(),
                revoked_at: k.revoked_at.unwrap_or_default(),
            })
            .collect(),
    };
    if args.dry_run {
        let store = ctx.store_for_reading()?;
        return ctx.out.emit(&view(&candidates(store.conn(), before)?, true));
    }
    let mut store = ctx.store()?;
    let found = candidates(store.conn(), before)?;
    if found.is_empty() {
        return ctx.out.emit(&view(&found, false));
    }
    ctx.confirm(
        &format!("purging {} revoked key(s)", found.len()),
        &format!(
            "Remove {} key(s) revoked before {} from the store (their audit history stays)?",
            found.len(),
            time::format(before)
        ),
        "pass --yes to purge without a prompt; --dry-run lists what would go",
    )?;
    let done = store.write(|tx| {
        // Re-read under the lock: only what is still revoked before the cut-off goes.
        let found = candidates(tx, before)?;
        for key in &found {
            let state = keys::state_snapshot(tx, key)?;
            keys::purge(tx, &key.id)?;
            ctx.audit(
                tx,
                now,
                audit::PURGE,
                Some(&key.id),
                Some(state),
                Some(serde_json::json!({ "purged": true, "name": key.name })),
            )?;
        }
        Ok(found)
    })?;
    ctx.out.emit(&view(&done, false))
}
