//! `smsctl key list`: every key, without secrets.

use serde::Serialize;

use super::KeyView;
use crate::cli::KeyListArgs;
use crate::context::Ctx;
use crate::error::Result;
use crate::output::{Human, Report};
use crate::store::keys;
use crate::text::AutoConvert;
use crate::time::{self, UnixMillis};

#[derive(Serialize)]
#[serde(transparent)]
struct KeyList {
    keys: Vec<KeyView>,
    #[serde(skip)]
    now: UnixMillis,
    #[serde(skip)]
    filtered: bool,
}

impl Report for KeyList {
    fn human(&self, out: &mut Human) {
        if self.keys.is_empty() && self.filtered {
            out.line("No key matches.");
            return;
        }
        if self.keys.is_empty() {
            out.line("No keys yet. Create one with `smsctl key create NAME`.");
            return;
        }
        out.table(
            &[
                "name",
                "id",
                "status",
                "owner",
                "purpose",
                "sender",
                "autoconvert",
                "expires",
                "last used",
            ],
            self.keys.iter().map(|k| {
                vec![
                    k.name.clone(),
                    k.id.clone(),
                    k.status.as_str().to_owned(),
                    k.policy.owner.clone().unwrap_or_else(|| "-".into()),
                    k.policy.purpose.map_or_else(|| "-".to_owned(), |p| p.as_str().to_owned()),
                    k.sender.clone().unwrap_or_else(|| "-".into()),
                    k.auto_replace
                        .map_or_else(|| format!("{} (default)", AutoConvert::default()), |m| m.to_string()),
                    match k.expires_at {
                        None => "never".into(),
                        Some(t) if t <= self.now => "expired".into(),
                        Some(t) => time::format(t),
                    },
                    time::format_opt(k.last_used_at),
                ]
            }),
        );
    }
    fn quiet(&self) -> Option<String> {
        Some(self.keys.iter().map(|k| k.name.as_str()).collect::<Vec<_>>().join("\n")).filter(|s| !s.is_empty())
    }
}

pub(super) fn exec(ctx: &Ctx, args: KeyListArgs) -> Result<()> {
    let now = ctx.clock.now();
    let store = ctx.store_for_reading()?;
    let select = super::selector(&args.select, now)?;
    let keys: Vec<_> = keys::list(store.conn(), args.all)?
        .into_iter()
        .filter(|k| select.matches(k))
        .collect();
    ctx.out.emit(&KeyList {
        keys: keys.iter().map(|k| KeyView::new(k, None, now)).collect(),
        now,
        filtered: select.is_filtering(),
    })
}
