//! `smsctl key set`: change settings; shared validation with `key create`.

use crate::cli::{KeySetArgs, SettingsArgs};
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::settings;
use crate::store::keys::Key;
use crate::time::{self, Expiry, Millis};

/// Applies the positive settings options to `key`, validating each; returns warnings.
pub fn apply(key: &mut Key, args: &SettingsArgs, now: Millis) -> Result<Vec<String>> {
    let mut warnings = Vec::new();
    if let Some(s) = &args.sender {
        key.settings.sender = Some(settings::validate_sender(s)?);
    }
    if let Some(mode) = args.auto_replace {
        key.settings.auto_replace = Some(mode);
        if mode == crate::text::AutoConvert::On && key.settings.replace.is_empty() {
            warnings.push(format!(
                "auto-replace 'on' uses the key's own table, which is empty; add mappings with `smsctl key replace {} add FROM TO`",
                key.name
            ));
        }
    }
    if let Some(url) = &args.dlr_url {
        key.settings.dlr_url = Some(settings::validate_dlr_url(url)?);
    }
    if let Some(d) = &args.description {
        settings::validate_description(d)?;
        key.description = Some(d.clone());
    }
    if let Some(e) = &args.expires {
        key.expires_at = match time::parse_expiry(e, now)? {
            Expiry::Never => None,
            Expiry::At(t) => Some(t),
        };
    }
    if args.production {
        key.settings.production = true;
    }
    Ok(warnings)
}

pub fn exec(ctx: &Ctx, args: KeySetArgs) -> Result<()> {
    exec_expecting(ctx, args, None)
}

/// `key set`, refusing (exit 4) if the key no longer matches `expected` (an audit snapshot
/// taken before `key edit` started prompting), so an edit never reverts a concurrent change.
pub fn exec_expecting(ctx: &Ctx, args: KeySetArgs, expected: Option<&serde_json::Value>) -> Result<()> {
    let s = &args.settings;
    let nothing = s.sender.is_none()
        && s.auto_replace.is_none()
        && s.dlr_url.is_none()
        && s.description.is_none()
        && s.expires.is_none()
        && !s.production
        && !(args.no_sender || args.no_dlr_url || args.no_auto_replace || args.no_description || args.no_production);
    if nothing {
        return Err(Error::usage("nothing to change").hint("pass at least one option, e.g. --sender ACME; see `smsctl key set --help`"));
    }
    let now = time::now();
    let mut store = ctx.store()?;
    let (shown, warnings) = store.write(|tx| {
        let (key, warnings) = super::change_settings(ctx, tx, &args.key, "key.set", now, |key| {
            if expected.is_some_and(|e| *e != key.audit_snapshot()) {
                return Err(
                    Error::conflict(format!("key '{}' changed while it was being edited; nothing was saved", key.name)).hint(format!(
                        "run `smsctl key edit {}` again to start from its current settings",
                        key.name
                    )),
                );
            }
            let warnings = apply(key, s, now)?;
            if args.no_sender {
                key.settings.sender = None;
            }
            if args.no_dlr_url {
                key.settings.dlr_url = None;
            }
            if args.no_auto_replace {
                key.settings.auto_replace = None;
            }
            if args.no_description {
                key.description = None;
            }
            if args.no_production {
                key.settings.production = false;
            }
            Ok(warnings)
        })?;
        Ok((super::show::load(tx, &key.id, now)?, warnings))
    })?;
    for w in &warnings {
        ctx.out.warn(w);
    }
    ctx.out.emit(&shown)
}
