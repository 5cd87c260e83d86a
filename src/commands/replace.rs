//! `smsctl replace`: the account's (store-wide) replacement table, applied by autoconvert `on`
//! for every key; a key's own entries (`smsctl key replace`) override entries with the same FROM.

use serde::Serialize;

use crate::cli::{AccountReplaceAction, AccountReplaceArgs};
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::output::{Human, Report};
use crate::store::audit;
use crate::store::keys::printable;
use crate::store::replacements;
use crate::text::AccountTable;

#[derive(Serialize)]
struct TableView {
    replace: AccountTable,
}

impl Report for TableView {
    fn human(&self, out: &mut Human) {
        if self.replace.is_empty() {
            out.line("The account's replacement table is empty.");
        } else {
            out.table(&["from", "to"], self.replace.iter().map(|(f, t)| vec![f.clone(), format!("{t:?}")]));
        }
    }
}

pub fn exec(ctx: &Ctx, args: AccountReplaceArgs) -> Result<()> {
    let now = ctx.clock.now();
    if let AccountReplaceAction::List = args.action {
        let store = ctx.store_for_reading()?;
        return ctx.out.emit(&TableView {
            replace: replacements::load(store.conn())?,
        });
    }
    let mut store = ctx.store()?;
    let view = store.write(|tx| {
        match &args.action {
            AccountReplaceAction::Add { from, to } => {
                let (from, to) = crate::text::validate_account_replacement(from, to).map_err(|why| {
                    Error::usage(format!("invalid replacement: {why}"))
                        .hint("FROM is a character or a word (1-32 characters); TO is 0-32 GSM-7 characters ('' drops FROM)")
                })?;
                let before = replacements::set(tx, &from, &to)?;
                ctx.audit(
                    tx,
                    now,
                    audit::Action::ReplaceAdd,
                    None,
                    before.map(|b| serde_json::json!({ "from": from, "to": b })),
                    Some(serde_json::json!({ "from": from, "to": to })),
                )?;
            }
            AccountReplaceAction::Remove { from } => {
                let (from, _) = crate::text::validate_account_replacement(from, "")
                    .map_err(|why| Error::usage(format!("invalid replacement: {why}")))?;
                let Some(before) = replacements::remove(tx, &from)? else {
                    return Err(
                        Error::not_found(format!("the account's table has no replacement for '{}'", printable(&from)))
                            .hint("see the table with `smsctl replace list`"),
                    );
                };
                ctx.audit(
                    tx,
                    now,
                    audit::Action::ReplaceRemove,
                    None,
                    Some(serde_json::json!({ "from": from, "to": before })),
                    None,
                )?;
            }
            AccountReplaceAction::Clear => {
                let before = replacements::load(tx)?;
                if replacements::clear(tx)? > 0 {
                    ctx.audit(
                        tx,
                        now,
                        audit::Action::ReplaceClear,
                        None,
                        Some(serde_json::to_value(&before)?),
                        None,
                    )?;
                }
            }
            AccountReplaceAction::List => {}
        }
        Ok(TableView {
            replace: replacements::load(tx)?,
        })
    })?;
    ctx.out.emit(&view)
}
