//! Per-invocation context built once from the global flags and passed to every command. It
//! carries the world a command sees: the clock, the keyring and the environment, so a test can
//! run a command in-process with its own ([`Ctx::with`]).

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;

use crate::store::Conn;

use crate::cli::GlobalArgs;
use crate::env::Env;
use crate::error::{Error, Result};
use crate::keyring::{OsKeyring, SecretStore};
use crate::output::{Format, Output};
use crate::store::audit_key::AuditKeys;
use crate::store::{self, Store, audit};
use crate::time::{Clock, Millis, UnixMillis};

pub struct Ctx {
    pub db: Option<PathBuf>,
    pub out: Output,
    pub yes: bool,
    pub no_input: bool,
    pub actor: String,
    /// What "now" is for this invocation (see `time::clock`).
    pub clock: Clock,
    /// Where secrets are saved and looked up: the OS keyring (tests: an in-memory one).
    pub keyring: Arc<dyn SecretStore>,
    /// The `SMSCTL_*` variables (and the login name): the process's (tests: their own).
    pub env: Env,
    /// Where the store's audit key is looked up and saved: this environment's
    /// `SMSCTL_AUDIT_KEY` and the OS keyring (tests: their own keyring).
    pub audit_keys: Arc<AuditKeys>,
}

impl Ctx {
    /// The context of a real invocation: the process's environment, clock and OS keyring.
    pub fn new(global: &GlobalArgs) -> Ctx {
        Ctx::with(global, Env::process(), Arc::new(OsKeyring::new()))
    }

    /// A context over the given environment and keyring; the clock is the system clock moved
    /// ahead by the environment's `SMSCTL_TEST_CLOCK_AHEAD`.
    pub fn with(global: &GlobalArgs, env: Env, keyring: Arc<dyn SecretStore>) -> Ctx {
        let format = if global.json { Format::Json } else { global.format };
        Ctx {
            db: global.db.clone(),
            out: Output::new(format, global.quiet),
            yes: global.yes,
            no_input: global.no_input,
            actor: actor(&env),
            clock: Clock::ahead(env.test_clock_ahead().unwrap_or(Millis::ZERO)),
            keyring,
            audit_keys: Arc::new(AuditKeys::from_env(&env)),
            env,
        }
    }

    pub fn db_path(&self) -> Result<PathBuf> {
        match &self.db {
            Some(p) => Ok(p.clone()),
            None => store::default_path(),
        }
    }

    /// The store; a missing one is created by its first committed write (the default
    /// location's directory too), never by a command that fails.
    pub fn store(&self) -> Result<Store> {
        Store::open_with(&self.db_path()?, self.db.is_none(), self.audit_keys.clone())
    }

    /// The store for a read-only command: a missing store reads as empty and is not created.
    pub fn store_for_reading(&self) -> Result<Store> {
        Store::open_for_reading_with(&self.db_path()?, self.audit_keys.clone())
    }

    /// Prompts are allowed only on a terminal and without `--no-input`.
    pub fn interactive(&self) -> bool {
        !self.no_input && std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
    }

    /// Whether a confirmation prompt is to be shown: `false` with `--yes` (confirmed), an
    /// error without a terminal or with `--no-input`.
    fn may_ask(&self, action: &str, flag_hint: &str) -> Result<bool> {
        if self.yes {
            return Ok(false);
        }
        if !self.interactive() {
            let why = if self.no_input {
                "prompts are disabled (--no-input)"
            } else {
                "there is no terminal to ask on"
            };
            return Err(Error::usage(format!("{action} needs confirmation, and {why}")).hint(flag_hint.to_owned()));
        }
        Ok(true)
    }

    /// Asks before a destructive action; without a terminal `--yes` is required.
    /// `action` names what needs confirming ("revoking key 'ci'"); `question` is the prompt.
    pub fn confirm(&self, action: &str, question: &str, flag_hint: &str) -> Result<()> {
        if !self.may_ask(action, flag_hint)? {
            return Ok(());
        }
        let confirmed = dialoguer::Confirm::new()
            .with_prompt(question)
            .default(false)
            .interact()
            .map_err(|e| prompt_failed(e, flag_hint))?;
        if confirmed {
            Ok(())
        } else {
            Err(Error::failure("cancelled; nothing changed"))
        }
    }

    /// Asks before a final or outage-making action by having the operator type `name` (a key's
    /// name): a single keystroke never does it. Without a terminal `--yes` is required.
    /// `consequence` is shown above the prompt.
    #[allow(clippy::print_stderr)] // part of the prompt, which is on stderr too
    pub fn confirm_typed(&self, action: &str, consequence: &str, name: &str, flag_hint: &str) -> Result<()> {
        if !self.may_ask(action, flag_hint)? {
            return Ok(());
        }
        eprintln!("{}", crate::output::escape_controls(consequence));
        let typed: String = dialoguer::Input::new()
            .with_prompt(format!("Type the key name '{name}' to confirm (anything else cancels)"))
            .allow_empty(true)
            .interact_text()
            .map_err(|e| prompt_failed(e, flag_hint))?;
        if typed.trim() == name {
            Ok(())
        } else {
            Err(Error::failure(format!(
                "cancelled: '{}' is not '{name}'; nothing changed",
                crate::store::keys::printable(typed.trim())
            )))
        }
    }

    /// Appends an audit row in the caller's transaction.
    pub fn audit(
        &self,
        conn: &Conn,
        now: UnixMillis,
        action: audit::Action,
        key_id: Option<&str>,
        before: Option<serde_json::Value>,
        after: Option<serde_json::Value>,
    ) -> Result<()> {
        audit::append(
            conn,
            now,
            audit::Event {
                actor: &self.actor,
                action,
                key_id,
                before,
                after,
            },
        )
    }
}

/// A prompt that failed: Ctrl-C (exit 130, terminal restored) or an I/O error (exit 2).
pub fn prompt_failed(e: dialoguer::Error, hint: &str) -> Error {
    let dialoguer::Error::IO(io) = &e;
    if io.kind() == std::io::ErrorKind::Interrupted {
        restore_terminal();
        return Error::new(crate::error::Kind::Interrupted, "interrupted (Ctrl-C); nothing was changed");
    }
    Error::usage(format!("prompt failed: {e}")).hint(hint.to_owned())
}

/// Shows the cursor again (dialoguer hides it in menus); cooked mode and echo come back when
/// the prompt's raw mode ends.
pub fn restore_terminal() {
    let _ = dialoguer::console::Term::stderr().show_cursor();
}

/// On a terminal, Ctrl-C outside a raw-mode prompt arrives as SIGINT: restore the terminal,
/// say what happened and exit 130, instead of dying with the cursor hidden.
#[allow(clippy::print_stderr)]
pub fn exit_130_on_interrupt() {
    let _ = ctrlc::set_handler(|| {
        restore_terminal();
        eprintln!("\nsmsctl: error: interrupted (Ctrl-C); nothing was changed");
        std::process::exit(130);
    });
}

/// `SMSCTL_ACTOR`, else the OS user.
fn actor(env: &Env) -> String {
    env.actor()
        .or_else(|| env.login_name())
        .or_else(os_user)
        .unwrap_or_else(|| "unknown".to_owned())
}

/// The user name of this process's uid, for environments (cron, containers) without $USER.
#[cfg(unix)]
fn os_user() -> Option<String> {
    use std::os::unix::fs::MetadataExt;
    let uid = std::fs::metadata("/proc/self").ok()?.uid();
    let passwd = std::fs::read_to_string("/etc/passwd").unwrap_or_default();
    let name = passwd.lines().find_map(|line| {
        let mut fields = line.split(':');
        let name = fields.next()?;
        (fields.nth(1)?.parse::<u32>().ok()? == uid).then(|| name.to_owned())
    });
    Some(name.unwrap_or_else(|| format!("uid:{uid}")))
}

#[cfg(not(unix))]
fn os_user() -> Option<String> {
    None
}
