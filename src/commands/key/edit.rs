//! `smsctl key edit`: the interactive front of `key set`, for terminals only. It talks to the
//! terminal on stderr, as its prompts do.
#![allow(clippy::print_stderr)]

use dialoguer::{Confirm, Input, Select};

use crate::cli::KeyRef;
use crate::context::{self, Ctx};
use crate::error::{Error, Result};
use crate::keys::{Edit, SettingsPatch};
use crate::settings;
use crate::store::keys;
use crate::text::AutoConvert;

fn prompt_err(e: dialoguer::Error) -> Error {
    context::prompt_failed(e, "in scripts use `smsctl key set`")
}

/// Checks one typed value as `key set` would; an empty value (clear the field) is fine.
/// A bad value is shown with the reason and asked again, so nothing typed is lost.
fn checked(check: fn(&str) -> Result<String>) -> impl FnMut(&String) -> std::result::Result<(), String> {
    move |v: &String| {
        if v.trim().is_empty() {
            return Ok(());
        }
        check(v.trim()).map(|_| ()).map_err(|e| match e.hint {
            Some(h) => format!("{} ({h})", e.message),
            None => e.message,
        })
    }
}

fn check_description(d: &str) -> Result<String> {
    if d.chars().count() > 1000 {
        return Err(Error::usage("description is longer than 1000 characters"));
    }
    Ok(d.to_owned())
}

pub(super) fn exec(ctx: &Ctx, args: KeyRef) -> Result<()> {
    if !ctx.interactive() {
        return Err(Error::usage("key edit needs a terminal to prompt on").hint(format!(
            "in scripts use `smsctl key set {} --sender S --autoconvert MODE --dlr-url URL ...`",
            args.key
        )));
    }
    let key = {
        let store = ctx.store()?;
        keys::find(store.conn(), &args.key)?
    };
    let s = &key.settings;
    context::exit_130_on_interrupt();
    eprintln!(
        "Editing key '{}' ({}). Leave a field empty to clear it; Ctrl-C leaves without saving.",
        crate::output::escape_controls(&key.name),
        key.id
    );
    let sender: String = Input::new()
        .with_prompt("Default sender")
        .with_initial_text(s.sender.clone().unwrap_or_default())
        .allow_empty(true)
        .validate_with(checked(settings::validate_sender))
        .interact_text()
        .map_err(prompt_err)?;
    let modes = [AutoConvert::Off, AutoConvert::On, AutoConvert::Full];
    let current = modes.iter().position(|m| Some(*m) == s.auto_replace).unwrap_or(0);
    let mode = Select::new()
        .with_prompt("Autoconvert")
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
        .validate_with(checked(settings::validate_dlr_url))
        .interact_text()
        .map_err(prompt_err)?;
    let description: String = Input::new()
        .with_prompt("Description")
        .with_initial_text(key.description.clone().unwrap_or_default())
        .allow_empty(true)
        .validate_with(checked(check_description))
        .interact_text()
        .map_err(prompt_err)?;
    // Only what the operator changed is applied; an untouched field stays as it is (an unset
    // autoconvert mode stays unset rather than becoming an explicit `off`).
    let changed = |new: &str, old: Option<&str>| (new.trim() != old.unwrap_or("")).then(|| new.trim().to_owned());
    let sender = changed(&sender, s.sender.as_deref());
    let dlr = changed(&dlr, s.dlr_url.as_deref());
    let description = changed(&description, key.description.as_deref());
    let auto_replace = (mode != current).then_some(modes[mode]);
    if sender.is_none() && dlr.is_none() && description.is_none() && auto_replace.is_none() {
        eprintln!("No changes.");
        return Ok(());
    }
    // The summary, then one confirmation: nothing is saved before it.
    let show = |v: &str| {
        if v.is_empty() {
            "(cleared)".to_owned()
        } else {
            crate::output::escape_controls(v).into_owned()
        }
    };
    eprintln!("Changes to key '{}':", crate::output::escape_controls(&key.name));
    let summary = |field: &str, old: Option<&str>, new: &Option<String>| {
        if let Some(n) = new {
            eprintln!("  {field}: {} → {}", old.map_or_else(|| "-".to_owned(), show), show(n));
        }
    };
    summary("sender", s.sender.as_deref(), &sender);
    summary(
        "autoconvert",
        s.auto_replace.map(|m| m.as_str()),
        &auto_replace.map(|m| m.as_str().to_owned()),
    );
    summary("dlr webhook", s.dlr_url.as_deref(), &dlr);
    summary("description", key.description.as_deref(), &description);
    let save = Confirm::new()
        .with_prompt("Save these changes?")
        .default(true)
        .interact()
        .map_err(prompt_err)?;
    if !save {
        return Err(Error::failure("not saved; nothing changed"));
    }
    // A field emptied by the operator is cleared; one left as it was is kept.
    let edit = |v: Option<String>| match v {
        None => Edit::Keep,
        Some(v) if v.is_empty() => Edit::Clear,
        Some(v) => Edit::Set(v),
    };
    let patch = SettingsPatch {
        sender: edit(sender),
        auto_replace: Edit::from_options(auto_replace, false),
        dlr_url: edit(dlr),
        description: edit(description),
        ..SettingsPatch::default()
    };
    super::set::exec_expecting(ctx, &key.id, &patch, Some(&key.audit_snapshot()))
}
