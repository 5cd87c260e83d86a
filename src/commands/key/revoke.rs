//! `smsctl key revoke`: immediate and final; the row stays for the audit trail.

use crate::cli::KeyRef;
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::keyring::{OsKeyring, SecretStore};
use crate::store::keys;
use crate::time;

pub fn exec(ctx: &Ctx, args: KeyRef) -> Result<()> {
    let mut store = ctx.store()?;
    let key = keys::find(store.conn(), &args.key)?;
    if key.revoked_at.is_some() {
        return Err(Error::conflict(format!("key '{}' is already revoked", key.name)).hint(format!(
            "revocation is final; create a replacement with `smsctl key create {}-2`",
            key.name
        )));
    }
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
    let now = time::now();
    let shown = store.write(|tx| {
        // Re-read inside the transaction: the confirmation may have taken a while.
        let mut key = keys::find(tx, &key.id)?;
        if key.revoked_at.is_some() {
            return Err(Error::conflict(format!("key '{}' is already revoked", key.name)));
        }
        let before = keys::state_snapshot(tx, &key)?;
        key.revoked_at = Some(now);
        keys::update(tx, &key)?;
        keys::end_all_secrets(tx, &key.id, now)?;
        ctx.audit(
            tx,
            now,
            "key.revoke",
            Some(&key.id),
            Some(before),
            Some(keys::state_snapshot(tx, &key)?),
        )?;
        super::show::load(tx, &key.id, now)
    })?;
    ctx.out
        .warn(&format!("key '{}' revoked; its secrets no longer authenticate", shown.key.name));
    // A saved secret of a revoked key is useless; remove it. No keyring at all is fine here.
    match OsKeyring::new().delete(&shown.key.id) {
        Ok(()) => {}
        Err(e) if e.is_unavailable() => {}
        Err(e) => ctx.out.warn(&format!("could not remove the saved secret from the OS keyring: {e}")),
    }
    ctx.out.emit(&shown)
}
