//! `smsctl key replace`: the key's own FROM→TO table, applied in autoconvert `on` mode.

use serde::Serialize;

use crate::cli::{KeyReplaceArgs, ReplaceAction};
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::output::{Human, Report};
use crate::store::audit;
use crate::store::keys;
use crate::text::{AutoConvert, ReplaceTable};

#[derive(Serialize)]
struct TableView {
    /// The key's name (kept for scripts; `key_name` is the same, by docs/precedence.md's rule).
    key: String,
    key_id: String,
    key_name: String,
    auto_replace: Option<AutoConvert>,
    replace: ReplaceTable,
}

impl Report for TableView {
    fn human(&self, out: &mut Human) {
        if self.replace.is_empty() {
            out.line(format!("Key '{}' has no character replacements.", self.key));
        } else {
            out.table(
                &["from", "to", "code point"],
                self.replace
                    .iter()
                    .map(|(f, t)| vec![f.to_string(), format!("{t:?}"), format!("U+{:04X}", *f as u32)]),
            );
        }
        if self.auto_replace != Some(AutoConvert::On) {
            out.line(format!(
                "(autoconvert is '{}': this table is used only in 'on' mode)",
                self.auto_replace.unwrap_or_default()
            ));
        }
    }
}

/// Parses `FROM=TO` as given to `key create --replace`.
pub(super) fn parse_pair(pair: &str) -> Result<(char, String)> {
    let (from, to) = pair.split_once('=').ok_or_else(|| {
        Error::usage(format!("invalid --replace '{}': expected FROM=TO", keys::printable(pair))).hint("e.g. --replace ç=c")
    })?;
    validate(from, to)
}

pub(super) fn validate(from: &str, to: &str) -> Result<(char, String)> {
    crate::text::validate_replacement(from, to).map_err(|why| {
        Error::usage(format!("invalid replacement: {why}")).hint("FROM is one character; TO is 0-4 GSM-7 characters (use '' to drop FROM)")
    })
}

pub(super) fn exec(ctx: &Ctx, args: KeyReplaceArgs) -> Result<()> {
    let now = ctx.clock.now();
    if let ReplaceAction::List = args.action {
        let store = ctx.store_for_reading()?;
        let key = keys::find(store.conn(), &args.key)?;
        return ctx.out.emit(&TableView {
            key: key.name.clone(),
            key_id: key.id,
            key_name: key.name,
            auto_replace: key.settings.auto_replace,
            replace: key.settings.replace,
        });
    }
    let mut store = ctx.store()?;
    let view = store.write(|tx| {
        let (key, ()) = super::change_settings(ctx, tx, &args.key, audit::Action::KeyReplace, now, |key| {
            let table = &mut key.settings.replace;
            match &args.action {
                ReplaceAction::Add { from, to } => {
                    let (c, to) = validate(from, to)?;
                    table.insert(c, to);
                }
                ReplaceAction::Remove { from } => {
                    let mut chars = from.chars();
                    let (Some(c), None) = (chars.next(), chars.next()) else {
                        return Err(Error::usage(format!(
                            "invalid replacement: FROM must be one character, got '{}'",
                            keys::printable(from)
                        )));
                    };
                    if table.remove(&c).is_none() {
                        return Err(Error::not_found(format!("key '{}' has no replacement for '{c}'", key.name))
                            .hint(format!("see the table with `smsctl key replace {} list`", key.name)));
                    }
                }
                ReplaceAction::Clear => table.clear(),
                ReplaceAction::List => {}
            }
            Ok(())
        })?;
        Ok(TableView {
            key: key.name.clone(),
            key_id: key.id,
            key_name: key.name,
            auto_replace: key.settings.auto_replace,
            replace: key.settings.replace,
        })
    })?;
    ctx.out.emit(&view)
}
