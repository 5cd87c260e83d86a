//! `smsctl key set`: its options become a `keys::SettingsPatch` (`key create` and `key edit`
//! build theirs too), applied to the key in one transaction.

use crate::cli::{KeySetArgs, PolicyClearArgs, SettingsArgs};
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::keys::{self, Edit, PolicyPatch, SettingsPatch};
use crate::store::audit;
use crate::time::{self, Expiry, Millis};

/// The patch that `key create`'s settings options make.
pub(super) fn patch_of(args: &SettingsArgs) -> SettingsPatch {
    patch_with_clears(args, &KeySetClears::default())
}

/// The `--no-*` options of `key set`, apart from the policy ones.
#[derive(Default)]
struct KeySetClears<'a> {
    sender: bool,
    dlr_url: bool,
    auto_replace: bool,
    description: bool,
    production: bool,
    policy: Option<&'a PolicyClearArgs>,
}

fn patch_with_clears(args: &SettingsArgs, no: &KeySetClears) -> SettingsPatch {
    let p = &args.policy;
    let none = PolicyClearArgs::default();
    let c = no.policy.unwrap_or(&none);
    SettingsPatch {
        sender: Edit::from_options(args.sender.clone(), no.sender),
        auto_replace: Edit::from_options(args.autoconvert, no.auto_replace),
        dlr_url: Edit::from_options(args.dlr_url.clone(), no.dlr_url),
        description: Edit::from_options(args.description.clone(), no.description),
        expires: args.expires.clone(),
        production: match (args.production, no.production) {
            (true, _) => Some(true),
            (false, true) => Some(false),
            (false, false) => None,
        },
        policy: PolicyPatch {
            owner: Edit::from_options(p.owner.clone(), c.no_owner),
            scopes: Edit::from_list(p.scope.clone(), c.all_scopes),
            allow_senders: Edit::from_list(p.allow_sender.clone(), c.no_allow_sender),
            allow_to: Edit::from_list(p.allow_to.clone(), c.no_allow_to),
            deny_to: Edit::from_list(p.deny_to.clone(), c.no_deny_to),
            max_parts: Edit::from_options(p.max_parts, c.no_max_parts),
            rate: Edit::from_options(p.rate.clone(), c.no_rate),
            quota: Edit::from_options(p.quota.clone(), c.no_quota),
            purpose: Edit::from_options(p.purpose, c.no_purpose),
            send_window: Edit::from_options(p.send_window.clone(), c.no_send_window),
            canary: match (p.canary, c.no_canary) {
                (true, _) => Some(true),
                (false, true) => Some(false),
                (false, false) => None,
            },
            alert_url: Edit::from_options(p.alert_url.clone(), c.no_alert_url),
        },
    }
}

/// An expiry less than this far away on a production key is an outage in the making: asked.
const SHORT_EXPIRY: Millis = Millis::hours(24);

/// On a production key, an expiry under 24 hours asks for the key's name (or `--yes`).
fn guard_short_expiry(ctx: &Ctx, conn: &crate::store::Conn, key_ref: &str, patch: &SettingsPatch, now: time::UnixMillis) -> Result<()> {
    let Some(e) = &patch.expires else { return Ok(()) };
    let Expiry::At(at) = time::parse_expiry(e, now)? else {
        return Ok(());
    };
    if at - now >= SHORT_EXPIRY {
        return Ok(());
    }
    let key = crate::store::keys::find(conn, key_ref)?;
    let production = patch.production.unwrap_or(key.settings.production);
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

pub(super) fn exec(ctx: &Ctx, args: KeySetArgs) -> Result<()> {
    let no = KeySetClears {
        sender: args.no_sender,
        dlr_url: args.no_dlr_url,
        auto_replace: args.no_autoconvert,
        description: args.no_description,
        production: args.no_production,
        policy: Some(&args.clear),
    };
    exec_expecting(ctx, &args.key, &patch_with_clears(&args.settings, &no), None)
}

/// `key set`, refusing (exit 4) if the key no longer matches `expected` (an audit snapshot
/// taken before `key edit` started prompting), so an edit never reverts a concurrent change.
pub(super) fn exec_expecting(ctx: &Ctx, key_ref: &str, patch: &SettingsPatch, expected: Option<&serde_json::Value>) -> Result<()> {
    if patch.is_empty() {
        return Err(Error::usage("nothing to change").hint("pass at least one option, e.g. --sender ACME; see `smsctl key set --help`"));
    }
    let now = ctx.clock.now();
    let mut store = ctx.store()?;
    guard_short_expiry(ctx, store.conn(), key_ref, patch, now)?;
    let (shown, warnings) = store.write(|tx| {
        let (key, warnings) = super::change_settings(ctx, tx, key_ref, audit::Action::KeySet, now, |key| {
            if expected.is_some_and(|e| *e != key.audit_snapshot()) {
                return Err(
                    Error::conflict(format!("key '{}' changed while it was being edited; nothing was saved", key.name)).hint(format!(
                        "run `smsctl key edit {}` again to start from its current settings",
                        key.name
                    )),
                );
            }
            let mut warnings = keys::apply_patch(key, patch, now)?;
            warnings.extend(keys::check_consistency(key)?);
            Ok(warnings)
        })?;
        Ok((super::show::load(tx, &key.id, now)?, warnings))
    })?;
    for w in &warnings {
        ctx.out.warn(w);
    }
    ctx.out.emit(&shown)
}
