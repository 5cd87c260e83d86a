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
    let some = |v: &str| (!v.trim().is_empty()).then(|| v.trim().to_owned());
    super::set::exec(
        ctx,
        KeySetArgs {
            key: key.id.clone(),
            settings: SettingsArgs {
                sender: some(&sender),
                auto_replace: Some(modes[mode]),
                dlr_url: some(&dlr),
                description: some(&description),
                expires: None,
                production: false,
            },
            no_sender: sender.trim().is_empty(),
            no_dlr_url: dlr.trim().is_empty(),
            no_auto_replace: false,
            no_description: description.trim().is_empty(),
            no_production: false,
        },
    )
}
