//! `smsctl key edit`: the interactive front of `key set`, for terminals only.

use dialoguer::{Input, Select};

use crate::cli::{KeyRef, KeySetArgs, SettingsArgs};
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::store::keys;
use crate::text::AutoConvert;

fn prompt_err(e: dialoguer::Error) -> Error {
    Error::usage(format!("prompt failed: {e}"))
}

pub fn exec(ctx: &Ctx, args: KeyRef) -> Result<()> {
    if !ctx.interactive() {
        return Err(Error::usage("key edit needs a terminal to prompt on").hint(format!(
            "in scripts use `smsctl key set {} --sender S --auto-replace MODE --dlr-url URL ...`",
            args.key
        )));
    }
    let key = {
        let store = ctx.store()?;
        keys::find(store.conn(), &args.key)?
    };
    let s = &key.settings;
    eprintln!("Editing key '{}' ({}). Leave a field empty to clear it.", key.name, key.id);
    let sender: String = Input::new()
        .with_prompt("Default sender")
        .with_initial_text(s.sender.clone().unwrap_or_default())
        .allow_empty(true)
        .interact_text()
        .map_err(prompt_err)?;
    let modes = [AutoConvert::Off, AutoConvert::On, AutoConvert::Full];
    let current = modes.iter().position(|m| Some(*m) == s.auto_replace).unwrap_or(0);
    let mode = Select::new()
        .with_prompt("Auto-replace")
        .items([
            "off: send text unchanged",
            "on: apply the key's own table",
            "full: transliterate to GSM-7",
        ])
        .default(current)
        .interact()
        .map_err(prompt_err)?;
    let dlr: String = Input::new()
        .with_prompt("Delivery-report webhook")
        .with_initial_text(s.dlr_url.clone().unwrap_or_default())
        .allow_empty(true)
        .interact_text()
        .map_err(prompt_err)?;
    let description: String = Input::new()
        .with_prompt("Description")
        .with_initial_text(key.description.clone().unwrap_or_default())
        .allow_empty(true)
        .interact_text()
        .map_err(prompt_err)?;
    // Only what the operator changed is applied; an untouched field stays as it is (an unset
    // auto-replace mode stays unset rather than becoming an explicit `off`).
    let changed = |new: &str, old: Option<&str>| (new.trim() != old.unwrap_or("")).then(|| new.trim().to_owned());
    let sender = changed(&sender, s.sender.as_deref());
    let dlr = changed(&dlr, s.dlr_url.as_deref());
    let description = changed(&description, key.description.as_deref());
    let auto_replace = (mode != current).then_some(modes[mode]);
    if sender.is_none() && dlr.is_none() && description.is_none() && auto_replace.is_none() {
        eprintln!("No changes.");
        return Ok(());
    }
    let cleared = |v: &Option<String>| v.as_deref() == Some("");
    let args = KeySetArgs {
        key: key.id.clone(),
        no_sender: cleared(&sender),
        no_dlr_url: cleared(&dlr),
        no_auto_replace: false,
        no_description: cleared(&description),
        no_production: false,
        clear: Default::default(),
        settings: SettingsArgs {
            sender: sender.filter(|v| !v.is_empty()),
            auto_replace,
            dlr_url: dlr.filter(|v| !v.is_empty()),
            description: description.filter(|v| !v.is_empty()),
            expires: None,
            production: false,
            policy: Default::default(),
        },
    };
    super::set::exec_expecting(ctx, args, Some(&key.audit_snapshot()))
}
