//! `smsctl key rename`.

use crate::cli::KeyRenameArgs;
use crate::context::Ctx;
use crate::error::Result;
use crate::store::audit;
use crate::store::keys;

pub(super) fn exec(ctx: &Ctx, args: KeyRenameArgs) -> Result<()> {
    let now = ctx.clock.now();
    keys::validate_name(&args.new_name)?;
    let mut store = ctx.store()?;
    let shown = store.write(|tx| {
        let mut key = keys::find(tx, &args.key)?;
        crate::keys::ensure_mutable(&key)?;
        if keys::name_taken(tx, &args.new_name, Some(&key.id))? {
            return Err(keys::name_conflict(&args.new_name));
        }
        let before = keys::state_snapshot(tx, &key)?;
        key.name = args.new_name.clone();
        keys::update(tx, &key)?;
        ctx.audit(
            tx,
            now,
            audit::Action::KeyRename,
            Some(&key.id),
            Some(before),
            Some(keys::state_snapshot(tx, &key)?),
        )?;
        super::show::load(tx, &key.id, now)
    })?;
    ctx.out.emit(&shown)
}
