//! Every `SMSCTL_*` environment variable smsctl reads: its name, what it means and its one
//! parser. README's environment table and the man pages' ENVIRONMENT section are generated from
//! [`VARS`] (`cargo run --example generate`), so a new variable is added here or nowhere.
//!
//! Variables that stand for a flag are parsed by clap (`#[arg(env = ...)]` names the constant
//! below); the others have their parser here, and callers use it instead of `std::env::var`.

use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::time::Millis;

pub const DB: &str = "SMSCTL_DB";
pub const FORMAT: &str = "SMSCTL_FORMAT";
pub const JSON: &str = "SMSCTL_JSON";
pub const QUIET: &str = "SMSCTL_QUIET";
pub const YES: &str = "SMSCTL_YES";
pub const NO_INPUT: &str = "SMSCTL_NO_INPUT";
pub const API_URL: &str = "SMSCTL_API_URL";
pub const UPSTREAM: &str = "SMSCTL_UPSTREAM";
pub const KEY_SECRET: &str = "SMSCTL_KEY_SECRET";
pub const ACTOR: &str = "SMSCTL_ACTOR";
pub const KEYRING: &str = "SMSCTL_KEYRING";
pub const BUSY_TIMEOUT_MS: &str = "SMSCTL_BUSY_TIMEOUT_MS";
pub const UPSTREAM_USERNAME: &str = "SMSCTL_UPSTREAM_USERNAME";
pub const UPSTREAM_PASSWORD: &str = "SMSCTL_UPSTREAM_PASSWORD";
pub const UPSTREAM_PREVIOUS_PASSWORD: &str = "SMSCTL_UPSTREAM_PREVIOUS_PASSWORD";
pub const AUDIT_KEY: &str = "SMSCTL_AUDIT_KEY";
pub const COMPLETE: &str = "SMSCTL_COMPLETE";
pub const TEST_CLOCK_AHEAD: &str = "SMSCTL_TEST_CLOCK_AHEAD";

/// One environment variable.
#[derive(Debug, Clone, Copy)]
pub struct Var {
    pub name: &'static str,
    /// The flag it stands for, when it has one (clap then parses it).
    pub flag: Option<&'static str>,
    /// One line, Markdown code spans allowed (the man pages drop the backticks).
    pub meaning: &'static str,
    /// For the test suite only: not in README's table or the man pages.
    pub testing: bool,
}

const fn var(name: &'static str, flag: Option<&'static str>, meaning: &'static str) -> Var {
    Var {
        name,
        flag,
        meaning,
        testing: false,
    }
}

/// Every variable, in the order the documentation lists them.
pub const VARS: &[Var] = &[
    var(
        DB,
        Some("--db PATH|URL"),
        "the store: a SQLite file (default: `<data dir>/smsctl/smsctl.db`; see `smsctl paths`) or a `postgres://` URL (docs/scaling.md)",
    ),
    var(
        FORMAT,
        Some("--format table|json"),
        "output for people or scripts; a `--format` or `--json` flag beats it; under JSON, errors are `{\"error\": {\"kind\", \"message\", \"hint\", \"exit_code\"}}` on stderr",
    ),
    var(
        JSON,
        Some("--json"),
        "non-empty and not `0`/`false`/`no`/`off`: JSON output; an explicit `--format table` beats it",
    ),
    var(
        QUIET,
        Some("--quiet"),
        "print one documented value per command (docs/exit-codes.md lists them)",
    ),
    var(YES, Some("--yes"), "confirm destructive commands (required without a TTY)"),
    var(NO_INPUT, Some("--no-input"), "never prompt"),
    var(
        API_URL,
        Some("send --api-url URL"),
        "API base (default `http://127.0.0.1:8700/v1`, the local sandbox)",
    ),
    var(
        UPSTREAM,
        Some("gateway serve --upstream URL"),
        "relay mode's upstream API base (docs/relay.md)",
    ),
    var(
        KEY_SECRET,
        None,
        "the secret for `send` (after `--secret-stdin`) and `key verify` (before stdin, which it then never reads), before the keyring; never on argv",
    ),
    var(ACTOR, None, "who the audit trail names for changes (default: the OS user)"),
    var(
        KEYRING,
        None,
        "`none` (any case) disables the OS keyring; unset, empty or `os` uses it; there is never a plaintext fallback",
    ),
    var(
        BUSY_TIMEOUT_MS,
        None,
        "how long to wait for another process's lock on the store, in milliseconds (default 5000)",
    ),
    var(
        UPSTREAM_USERNAME,
        None,
        "relay mode's account username (with `SMSCTL_UPSTREAM_PASSWORD`, or neither to use `smsctl upstream set`'s)",
    ),
    var(
        UPSTREAM_PASSWORD,
        None,
        "relay mode's account password (with `SMSCTL_UPSTREAM_USERNAME`)",
    ),
    var(
        UPSTREAM_PREVIOUS_PASSWORD,
        None,
        "the account password before a change: incoming reports signed with it still verify",
    ),
    var(
        AUDIT_KEY,
        None,
        "the store's 256-bit audit key, 64 hex digits (else the OS keyring, else the key file; see docs/security.md)",
    ),
    var(
        COMPLETE,
        None,
        "set by the shell's dynamic completion (see `smsctl completions --help`)",
    ),
    Var {
        name: TEST_CLOCK_AHEAD,
        flag: None,
        meaning: "a duration (`2h`) the clock runs ahead of the system clock, so tests see expiry and grace end without waiting",
        testing: true,
    }, // Read by the test harness and the scripts, never by smsctl: listed so the names stay known.
    Var {
        name: "SMSCTL_TEST_BACKEND",
        flag: None,
        meaning: "`postgres`: the integration tests run on PostgreSQL (inside scripts/pg-session.sh)",
        testing: true,
    },
    Var {
        name: "SMSCTL_TEST_PG_URL",
        flag: None,
        meaning: "the throwaway cluster's superuser URL, set by scripts/pg-session.sh (also SMSCTL_TEST_PG_BINDIR, _DATA, _OWNER)",
        testing: true,
    },
    Var {
        name: "SMSCTL_TEST_PG_BINDIR",
        flag: None,
        meaning: "the cluster's server binaries, for tests that restart it",
        testing: true,
    },
    Var {
        name: "SMSCTL_TEST_PG_DATA",
        flag: None,
        meaning: "the cluster's data directory, for tests that restart it",
        testing: true,
    },
    Var {
        name: "SMSCTL_TEST_PG_OWNER",
        flag: None,
        meaning: "the user the cluster runs as (when the tests run as root)",
        testing: true,
    },
];

/// Variables smsctl honours that are not its own; the man pages list them after [`VARS`].
pub const OTHERS: &[Var] = &[
    var("NO_COLOR", None, "non-empty: no colour"),
    var("TERM", None, "`dumb`: no colour and no box drawing"),
];

/// Where smsctl reads its variables: the process's environment, or (tests) a fixed set, so a
/// command run in-process sees only what the test gives it. The context ([`crate::context::Ctx`])
/// carries one; commands ask it rather than `std::env`.
#[derive(Debug, Clone, Default)]
pub struct Env {
    /// `None`: the process's environment.
    fixed: Option<std::collections::BTreeMap<String, String>>,
}

impl Env {
    /// The process's environment.
    pub fn process() -> Env {
        Env { fixed: None }
    }

    /// Exactly these variables, and no others.
    pub fn fixed<K: Into<String>, V: Into<String>>(vars: impl IntoIterator<Item = (K, V)>) -> Env {
        Env {
            fixed: Some(vars.into_iter().map(|(k, v)| (k.into(), v.into())).collect()),
        }
    }

    fn var(&self, name: &str) -> std::result::Result<String, std::env::VarError> {
        match &self.fixed {
            None => std::env::var(name),
            Some(vars) => vars.get(name).cloned().ok_or(std::env::VarError::NotPresent),
        }
    }

    /// The value of `name`, `None` when unset, empty or only blanks (all the same to smsctl).
    fn text(&self, name: &str) -> Option<String> {
        self.var(name).ok().filter(|v| !v.trim().is_empty())
    }

    /// `SMSCTL_ACTOR`, as given: the audit trail records it so.
    pub fn actor(&self) -> Option<String> {
        self.text(ACTOR)
    }

    /// The login name from `USER`, `USERNAME` or `LOGNAME` (not smsctl's: the actor's fallback).
    pub fn login_name(&self) -> Option<String> {
        ["USER", "USERNAME", "LOGNAME"].iter().find_map(|v| self.text(v))
    }

    /// `SMSCTL_DB`, as clap read it for `--db` (for saying where the store came from).
    pub fn db(&self) -> Option<String> {
        self.text(DB)
    }

    /// `SMSCTL_API_URL`, as clap reads it for `send --api-url`.
    pub fn api_url(&self) -> Option<String> {
        self.text(API_URL)
    }

    /// `SMSCTL_KEY_SECRET`.
    pub fn key_secret(&self) -> Option<Zeroizing<String>> {
        self.text(KEY_SECRET).map(Zeroizing::new)
    }

    /// `SMSCTL_AUDIT_KEY`, unchecked (the audit key module decodes it).
    pub fn audit_key(&self) -> Option<Zeroizing<String>> {
        self.text(AUDIT_KEY).map(Zeroizing::new)
    }

    /// `SMSCTL_UPSTREAM_USERNAME`, `SMSCTL_UPSTREAM_PASSWORD`, `SMSCTL_UPSTREAM_PREVIOUS_PASSWORD`.
    pub fn upstream(&self, name: &'static str) -> Option<Zeroizing<String>> {
        debug_assert!(name.starts_with("SMSCTL_UPSTREAM_"));
        self.var(name).ok().filter(|v| !v.is_empty()).map(Zeroizing::new)
    }

    /// `SMSCTL_KEYRING`: unset, empty or `os` is the OS keyring, `none` disables it (both in any
    /// case); anything else is an error rather than a guess.
    pub fn keyring(&self) -> std::result::Result<KeyringMode, String> {
        match self.var(KEYRING) {
            Err(std::env::VarError::NotPresent) => Ok(KeyringMode::Os),
            Err(std::env::VarError::NotUnicode(_)) => Err(format!("{KEYRING} is not valid UTF-8")),
            Ok(v) => parse_keyring(&v),
        }
    }

    /// `SMSCTL_KEYRING=none`: switched off on purpose (an unsupported value is not this, and
    /// fails where the keyring is used).
    pub fn keyring_disabled(&self) -> bool {
        self.keyring() == Ok(KeyringMode::Disabled)
    }

    /// `SMSCTL_BUSY_TIMEOUT_MS`: `None` when unset or blank.
    pub fn busy_timeout_ms(&self) -> Result<Option<u64>> {
        self.text(BUSY_TIMEOUT_MS).map(|v| parse_millis(BUSY_TIMEOUT_MS, &v)).transpose()
    }

    /// `SMSCTL_TEST_CLOCK_AHEAD`: how far the clock runs ahead of the system clock (0 when unset).
    pub fn test_clock_ahead(&self) -> Result<Millis> {
        match self.text(TEST_CLOCK_AHEAD) {
            None => Ok(Millis::ZERO),
            Some(v) => crate::time::parse_duration(&v).map_err(|e| Error {
                message: format!("invalid {TEST_CLOCK_AHEAD}: {}", e.message),
                ..e
            }),
        }
    }

    /// Checks, before a command runs, the variables whose readers cannot report an error (the
    /// clock is read everywhere, as a plain number), so a bad value is a usage error, not ignored.
    pub fn check(&self) -> Result<()> {
        self.test_clock_ahead().map(drop)
    }
}

/// Whether smsctl may use the OS keyring.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyringMode {
    Os,
    /// `SMSCTL_KEYRING=none`: a deliberate choice, not a fault.
    Disabled,
}

/// The process's `SMSCTL_KEYRING` ([`Env::keyring`]), for the OS keyring, which reads it on
/// every operation.
pub fn keyring() -> std::result::Result<KeyringMode, String> {
    Env::process().keyring()
}

fn parse_keyring(v: &str) -> std::result::Result<KeyringMode, String> {
    let v = v.trim();
    if v.is_empty() || v.eq_ignore_ascii_case("os") {
        Ok(KeyringMode::Os)
    } else if v.eq_ignore_ascii_case("none") {
        Ok(KeyringMode::Disabled)
    } else {
        Err(format!(
            "unsupported {KEYRING}={v:?}: leave it unset (OS keyring) or set it to \
             `none` (keyring disabled); there is no plaintext or in-memory fallback"
        ))
    }
}

fn parse_millis(name: &str, v: &str) -> Result<u64> {
    v.trim()
        .parse()
        .map_err(|_| Error::usage(format!("invalid {name} '{}'", v.escape_debug())).hint("give a whole number of milliseconds, e.g. 5000"))
}

/// README's environment table, between its `<!-- env -->` markers.
pub fn markdown_table() -> String {
    let mut out = String::from("| option | env | meaning |\n|---|---|---|\n");
    for v in VARS.iter().filter(|v| !v.testing) {
        let flag = v
            .flag
            .map(|f| format!(" `{}` ", f.replace('|', "\\|")))
            .unwrap_or_else(|| " ".into());
        out.push_str(&format!("|{flag}| `{}` | {} |\n", v.name, v.meaning.replace('|', "\\|")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_prefixed() {
        let mut names: Vec<&str> = VARS.iter().map(|v| v.name).collect();
        assert!(names.iter().all(|n| n.starts_with("SMSCTL_")));
        names.sort_unstable();
        let before = names.len();
        names.dedup();
        assert_eq!(before, names.len());
    }

    /// Every `env = ...` of the command line is a registry entry with its flag, and back.
    #[test]
    fn the_flags_variables_are_the_registrys() {
        fn walk(cmd: &clap::Command, found: &mut Vec<String>) {
            for arg in cmd.get_arguments() {
                if let Some(env) = arg.get_env() {
                    found.push(env.to_string_lossy().into_owned());
                }
            }
            for sub in cmd.get_subcommands() {
                walk(sub, found);
            }
        }
        let mut found = Vec::new();
        walk(&<crate::cli::Cli as clap::CommandFactory>::command(), &mut found);
        found.sort_unstable();
        found.dedup();
        let mut with_flag: Vec<String> = VARS.iter().filter(|v| v.flag.is_some()).map(|v| v.name.to_owned()).collect();
        with_flag.sort_unstable();
        assert_eq!(found, with_flag);
    }

    #[test]
    fn keyring_values() {
        for os in ["", "  ", "os", "OS"] {
            assert_eq!(parse_keyring(os), Ok(KeyringMode::Os), "{os:?}");
        }
        for none in ["none", "None", " NONE "] {
            assert_eq!(parse_keyring(none), Ok(KeyringMode::Disabled), "{none:?}");
        }
        for bad in ["off", "0", "memory"] {
            assert!(parse_keyring(bad).unwrap_err().contains("unsupported"), "{bad:?}");
        }
    }

    #[test]
    fn a_fixed_environment_is_all_there_is() {
        let env = Env::fixed([(KEYRING, "None"), (ACTOR, " "), (KEY_SECRET, "s"), ("USERNAME", "ops")]);
        assert_eq!(env.keyring(), Ok(KeyringMode::Disabled));
        assert_eq!(env.actor(), None, "blank is unset");
        assert_eq!(env.login_name().as_deref(), Some("ops"));
        assert_eq!(env.key_secret().as_deref().map(String::as_str), Some("s"));
        assert_eq!(env.busy_timeout_ms().unwrap(), None);
        assert_eq!(env.test_clock_ahead().unwrap(), Millis::ZERO);
        assert!(Env::fixed([(KEYRING, "x")]).keyring().unwrap_err().contains("unsupported"));
        assert_eq!(Env::fixed([(TEST_CLOCK_AHEAD, "2h")]).test_clock_ahead().unwrap(), Millis::hours(2));
        assert_eq!(Env::fixed([(TEST_CLOCK_AHEAD, "soon")]).check().unwrap_err().exit_code(), 2);
        assert_eq!(Env::fixed::<&str, &str>([]).keyring(), Ok(KeyringMode::Os));
    }

    #[test]
    fn millis_values() {
        assert_eq!(parse_millis(BUSY_TIMEOUT_MS, " 250 ").unwrap(), 250);
        for bad in ["-1", "1.5", "5s", "x"] {
            assert_eq!(parse_millis(BUSY_TIMEOUT_MS, bad).unwrap_err().exit_code(), 2, "{bad}");
        }
    }

    #[test]
    fn the_table_escapes_pipes_and_leaves_out_test_variables() {
        let table = markdown_table();
        assert!(table.contains("`--format table\\|json`"));
        assert!(!table.contains(TEST_CLOCK_AHEAD));
        assert_eq!(table.lines().count(), 2 + VARS.iter().filter(|v| !v.testing).count());
    }
}
