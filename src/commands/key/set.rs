//! `smsctl key set`: change settings; shared validation with `key create`.

use crate::cli::{KeySetArgs, PolicyArgs, PolicyClearArgs, SettingsArgs};
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::policy::{self, Policy, Scope};
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
    apply_policy(&mut key.settings.policy, &args.policy)?;
    Ok(warnings)
}

/// Applies the positive policy options, validating each (lists replace the stored list).
fn apply_policy(p: &mut Policy, args: &PolicyArgs) -> Result<()> {
    if let Some(owner) = &args.owner {
        p.owner = Some(policy::validate_owner(owner)?);
    }
    if !args.scope.is_empty() {
        p.scopes = Some(args.scope.iter().copied().collect());
    }
    if !args.allow_sender.is_empty() {
        p.allow_senders = dedup(
            args.allow_sender
                .iter()
                .map(|s| settings::validate_sender(s))
                .collect::<Result<_>>()?,
        );
    }
    if !args.allow_to.is_empty() {
        p.allow_to = dedup(args.allow_to.iter().map(|s| policy::validate_prefix(s)).collect::<Result<_>>()?);
    }
    if !args.deny_to.is_empty() {
        p.deny_to = dedup(args.deny_to.iter().map(|s| policy::validate_prefix(s)).collect::<Result<_>>()?);
    }
    if let Some(n) = args.max_parts {
        p.max_parts = Some(n);
    }
    if let Some(rate) = &args.rate {
        p.rate = Some(rate.parse()?);
    }
    if let Some(quota) = &args.quota {
        p.quota = Some(quota.parse()?);
    }
    if let Some(purpose) = args.purpose {
        p.purpose = Some(purpose);
    }
    if let Some(window) = &args.send_window {
        p.send_window = Some(window.parse()?);
    }
    if args.canary {
        p.canary = true;
    }
    if let Some(url) = &args.alert_url {
        p.alert_url = Some(settings::validate_dlr_url(url)?);
    }
    Ok(())
}

fn dedup(mut list: Vec<String>) -> Vec<String> {
    let mut seen = std::collections::BTreeSet::new();
    list.retain(|s| seen.insert(s.clone()));
    list
}

/// Applies the `--no-*` policy options.
fn clear_policy(p: &mut Policy, c: &PolicyClearArgs) {
    if c.no_owner {
        p.owner = None;
    }
    if c.all_scopes {
        p.scopes = None;
    }
    if c.no_allow_sender {
        p.allow_senders.clear();
    }
    if c.no_allow_to {
        p.allow_to.clear();
    }
    if c.no_deny_to {
        p.deny_to.clear();
    }
    if c.no_max_parts {
        p.max_parts = None;
    }
    if c.no_rate {
        p.rate = None;
    }
    if c.no_quota {
        p.quota = None;
    }
    if c.no_purpose {
        p.purpose = None;
    }
    if c.no_send_window {
        p.send_window = None;
    }
    if c.no_canary {
        p.canary = false;
    }
    if c.no_alert_url {
        p.alert_url = None;
    }
}

/// Rules between settings, checked on the final state of a created or changed key.
pub fn check_consistency(key: &Key) -> Result<Vec<String>> {
    let s = &key.settings;
    let p = &s.policy;
    if s.production && p.owner.is_none() {
        return Err(Error::usage(format!("production key '{}' needs an owner", key.name))
            .hint("name the team that owns it with --owner TEAM, e.g. --owner payments"));
    }
    if let (Some(sender), false) = (&s.sender, p.allow_senders.is_empty()) {
        if !p.allow_senders.contains(sender) {
            return Err(Error::usage(format!(
                "the default sender '{sender}' is not one of the allowed senders ({})",
                p.allow_senders.join(", ")
            ))
            .hint("add it with --allow-sender, or change the default with --sender"));
        }
    }
    let mut warnings = Vec::new();
    if p.alert_url.is_some() && !p.canary {
        warnings.push(format!(
            "key '{}' has an alert URL but is not a canary; the URL is used only when a canary is tripped",
            key.name
        ));
    }
    if let Some(scopes) = &p.scopes {
        if !scopes.contains(&Scope::Send) && !scopes.contains(&Scope::Bulk) && !scopes.contains(&Scope::Schedule) {
            warnings.push(format!("key '{}' cannot send: its scopes allow only reading status", key.name));
        }
    }
    Ok(warnings)
}

/// An expiry less than this far away on a production key is an outage in the making: asked.
const SHORT_EXPIRY_MS: i64 = 86_400_000;

/// On a production key, an expiry under 24 hours asks for the key's name (or `--yes`).
fn guard_short_expiry(ctx: &Ctx, conn: &rusqlite::Connection, args: &KeySetArgs, now: time::Millis) -> Result<()> {
    let Some(e) = &args.settings.expires else { return Ok(()) };
    let Expiry::At(at) = time::parse_expiry(e, now)? else {
        return Ok(());
    };
    if at - now >= SHORT_EXPIRY_MS {
        return Ok(());
    }
    let key = crate::store::keys::find(conn, &args.key)?;
    let production = (key.settings.production || args.settings.production) && !args.no_production;
    if !production || key.revoked_at.is_some() {
        return Ok(());
    }
    let when = if at <= now {
        "now".to_owned()
    } else {
        format!("in {}", time::humanize(at - now))
    };
    ctx.confirm_typed(
        &format!("setting production key '{}' to expire {when}", key.name),
        &format!(
            "Production key '{}' stops working {when} ({}); every client then gets 401.",
            key.name,
            time::format(at)
        ),
        &key.name,
        "pass --yes to set an expiry under 24h on a production key without a prompt",
    )
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
        && !s.policy.any()
        && !args.clear.any()
        && !(args.no_sender || args.no_dlr_url || args.no_auto_replace || args.no_description || args.no_production);
    if nothing {
        return Err(Error::usage("nothing to change").hint("pass at least one option, e.g. --sender ACME; see `smsctl key set --help`"));
    }
    let now = ctx.clock.now();
    let mut store = ctx.store()?;
    guard_short_expiry(ctx, store.conn(), &args, now)?;
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
            clear_policy(&mut key.settings.policy, &args.clear);
            let mut warnings = warnings;
            warnings.extend(check_consistency(key)?);
            Ok(warnings)
        })?;
        Ok((super::show::load(tx, &key.id, now)?, warnings))
    })?;
    for w in &warnings {
        ctx.out.warn(w);
    }
    ctx.out.emit(&shown)
}
