//! `smsctl upstream`: the provider account credential relay mode forwards with. The password
//! is prompted for on a terminal or read from stdin, never taken from argv, and kept only in
//! the OS keyring.

use std::io::{IsTerminal, Read};

use serde::Serialize;
use zeroize::Zeroizing;

use crate::cli::{UpstreamCommand, UpstreamSetArgs};
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::output::{Human, Report};
use crate::upstream::{self, Credential};

pub fn dispatch(ctx: &Ctx, cmd: UpstreamCommand) -> Result<()> {
    match cmd {
        UpstreamCommand::Set(args) => set(ctx, &args),
        UpstreamCommand::Show => show(ctx),
        UpstreamCommand::Delete => delete(ctx),
    }
}

#[derive(Serialize)]
struct Shown {
    username: String,
    source: &'static str,
    saved: bool,
}

impl Report for Shown {
    fn human(&self, out: &mut Human) {
        if self.saved {
            out.line(format!("Saved the upstream credential for '{}' in {}.", self.username, self.source));
        } else {
            out.line(format!(
                "Upstream credential: '{}' from {} (password not shown).",
                self.username, self.source
            ));
        }
    }
}

fn set(ctx: &Ctx, args: &UpstreamSetArgs) -> Result<()> {
    let password = read_password(ctx)?;
    let credential = Credential::new(&args.username, password)?;
    upstream::save(&*ctx.keyring, &credential)?;
    ctx.out.emit(&Shown {
        username: credential.username.clone(),
        source: upstream::Source::Keyring.as_str(),
        saved: true,
    })
}

fn show(ctx: &Ctx) -> Result<()> {
    let (credential, source) = upstream::load(&ctx.env, &*ctx.keyring)?;
    ctx.out.emit(&Shown {
        username: credential.username.clone(),
        source: source.as_str(),
        saved: false,
    })
}

#[derive(Serialize)]
struct Deleted {
    deleted: bool,
}

impl Report for Deleted {
    fn human(&self, out: &mut Human) {
        out.line("Removed the upstream credential from the OS keyring (if there was one).");
    }
}

fn delete(ctx: &Ctx) -> Result<()> {
    upstream::delete(&*ctx.keyring)?;
    ctx.out.emit(&Deleted { deleted: true })
}

fn read_password(ctx: &Ctx) -> Result<Zeroizing<String>> {
    if std::io::stdin().is_terminal() {
        if !ctx.interactive() {
            return Err(Error::usage("no upstream password given, and prompts are disabled (--no-input)")
                .hint("pipe it in: `smsctl upstream set --username USER < password.txt`"));
        }
        return dialoguer::Password::new()
            .with_prompt("Upstream password")
            .interact()
            .map(Zeroizing::new)
            .map_err(|e| Error::usage(format!("cannot read the password: {e}")));
    }
    let mut buf = Zeroizing::new(String::new());
    std::io::stdin()
        .lock()
        .take(4096)
        .read_to_string(&mut buf)
        .map_err(|e| Error::usage(format!("cannot read the password from stdin: {e}")).hint("stdin must be UTF-8 text"))?;
    if buf.trim().is_empty() {
        return Err(Error::usage("no upstream password on stdin")
            .hint("pipe it in: `smsctl upstream set --username USER < password.txt`, or run it on a terminal to be prompted"));
    }
    Ok(buf)
}
