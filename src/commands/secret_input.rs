//! Where a command finds the secret it needs: stdin, `SMSCTL_KEY_SECRET`, or the OS keyring,
//! in that order (DESIGN: never argv). Shared by `send` and `key verify`.

use std::io::{IsTerminal, Read};

use zeroize::Zeroizing;

use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::store::keys::Key;

/// How a command treats stdin when looking for a secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stdin {
    /// `--secret-stdin`: the secret must come from stdin (or a prompt on a terminal).
    Required,
    /// `key verify`: `SMSCTL_KEY_SECRET` when set (stdin is then not read, so an open pipe
    /// cannot make it wait), else stdin when something is piped in, a prompt last on a terminal.
    IfPiped,
    /// `send` without `--secret-stdin`: stdin may carry the text; never read it for the secret.
    Unused,
    /// `webhook verify`: stdin carries the body; the secret comes only from the environment or
    /// the keyring.
    Body,
}

pub const ENV_VAR: &str = crate::env::KEY_SECRET;

/// The raw secret and where it came from (for messages; never the secret itself).
pub fn obtain(ctx: &Ctx, stdin: Stdin, key: Option<&Key>, command: &str) -> Result<(Zeroizing<String>, &'static str)> {
    let piped = !std::io::stdin().is_terminal();
    let from_env = ctx.env.key_secret();
    if let (Stdin::IfPiped, Some(v)) = (stdin, &from_env) {
        return Ok((v.clone(), ENV_VAR));
    }
    if stdin == Stdin::Required || (stdin == Stdin::IfPiped && piped) {
        if piped {
            let s = read_piped()?;
            if !s.trim().is_empty() {
                return Ok((s, "stdin"));
            }
            if stdin == Stdin::Required {
                return Err(Error::usage("no secret on stdin").hint(format!("pipe the secret in: `echo \"$SECRET\" | {command}`")));
            }
        } else {
            return Ok((prompt(ctx, command)?, "the prompt"));
        }
    }
    if let Some(v) = from_env {
        return Ok((v, ENV_VAR));
    }
    let mut keyring_problem = None;
    if let Some(key) = key {
        match ctx.keyring.get(&key.id) {
            Ok(Some(s)) => return Ok((Zeroizing::new(s), "the OS keyring")),
            Ok(None) => {}
            Err(e) => keyring_problem = Some(e.to_string()),
        }
    }
    if stdin == Stdin::IfPiped && !piped {
        return Ok((prompt(ctx, command)?, "the prompt"));
    }
    let what = match key {
        Some(k) => format!("no secret for key '{}'", k.name),
        None => "no secret to check".to_owned(),
    };
    let stdin_part = match stdin {
        Stdin::Unused => "no --secret-stdin",
        Stdin::Body => "stdin carries the body",
        _ => "nothing on stdin",
    };
    let why = match (keyring_problem, key) {
        (Some(p), _) => format!("{what}: {stdin_part}, {ENV_VAR} is not set, and the OS keyring is unavailable ({p})"),
        (None, Some(_)) => format!("{what}: {stdin_part}, {ENV_VAR} is not set, and the OS keyring has no entry for it"),
        (None, None) => format!("{what}: {stdin_part} and {ENV_VAR} is not set"),
    };
    let save = key
        .map(|k| format!(", or save it with `smsctl key rotate {} --save-secret`", k.name))
        .unwrap_or_default();
    let hint = match stdin {
        Stdin::Unused => format!("pass --secret-stdin and pipe it, set {ENV_VAR}{save}"),
        Stdin::Body => format!("set {ENV_VAR}{save}"),
        _ => format!("pipe it in, set {ENV_VAR}{save}"),
    };
    Err(Error::usage(why).hint(hint))
}

fn read_piped() -> Result<Zeroizing<String>> {
    let mut buf = Zeroizing::new(String::new());
    // Bound the read: a secret is 41 bytes; anything huge is not a secret.
    std::io::stdin()
        .lock()
        .take(4096)
        .read_to_string(&mut buf)
        .map_err(|e| Error::usage(format!("cannot read the secret from stdin: {e}")).hint("stdin must be UTF-8 text"))?;
    Ok(buf)
}

fn prompt(ctx: &Ctx, command: &str) -> Result<Zeroizing<String>> {
    if !ctx.interactive() {
        return Err(Error::usage("no secret given, and prompts are disabled (--no-input)")
            .hint(format!("pipe the secret in: `{command} < secret.txt`, or set {ENV_VAR}")));
    }
    dialoguer::Password::new()
        .with_prompt("Secret")
        .interact()
        .map(Zeroizing::new)
        .map_err(|e| Error::usage(format!("cannot read the secret: {e}")))
}
