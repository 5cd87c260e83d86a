//! smsctl: administration of SMS API keys backed by a local SQLite store.
//!
//! `main.rs` parses the command line and calls [`run`]; each command family lives in
//! [`commands`]; domain logic (tokens, text engine, precedence) is pure and unit-tested.
//!
//! Outside tests the library never unwraps (input, I/O and the store are errors, not panics)
//! and prints only through [`output`], its error printers here, the terminal prompts and the
//! gateway's log: each exception is allowed where it is. Cargo's `[lints]` table would apply
//! these to the tests and benchmarks too, where unwrapping and printing are the point.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]
#![cfg_attr(not(test), deny(clippy::print_stdout, clippy::print_stderr))]
// What tests, benchmarks and the generators use is `pub`; everything else is `pub(crate)`, and
// this keeps it so (here rather than in `[lints]`, which would apply to the test crates too).
#![deny(unreachable_pub)]

pub(crate) mod address;
pub mod auth;
pub mod cli;
pub mod commands;
pub mod complete;
pub mod context;
pub mod env;
pub mod error;
// The gateway's request and lifecycle log is its output, on stderr.
#[allow(clippy::print_stderr)]
pub(crate) mod gateway;
pub(crate) mod input;
pub mod keyfile;
pub mod keyring;
pub(crate) mod keys;
pub(crate) mod omni;
#[allow(clippy::print_stdout, clippy::print_stderr)]
pub(crate) mod output;
pub mod policy;
pub(crate) mod printable;
pub(crate) mod private_fs;
pub(crate) mod resolve;
pub mod settings;
pub mod store;
pub mod text;
pub mod time;
pub mod token;
pub mod upstream;
pub mod whitelist;

pub use error::{Error, Result};

/// Runs one parsed invocation.
pub fn run(cli: cli::Cli) -> Result<()> {
    // Stores, backups, key files and their side files are the owner's alone.
    private_fs::restrict_umask();
    let ctx = context::Ctx::new(&cli.global);
    run_with(&ctx, cli.command)
}

/// Runs one command in the given context: [`run`]'s, or a test's own (in-memory keyring, fixed
/// environment).
pub fn run_with(ctx: &context::Ctx, command: cli::Command) -> Result<()> {
    ctx.env.check()?;
    commands::dispatch(ctx, command)
}

/// Prints an error the way every smsctl failure looks: `smsctl: error: ...` then `hint: ...`;
/// under `--json`, one JSON object on stderr: `{"error": {"kind", "message", "hint", "exit_code"}}`.
#[allow(clippy::print_stderr)]
pub fn report_error(err: &Error, json: bool) {
    if json {
        eprintln!("{}", error_json(err));
        return;
    }
    let color = output::color_on_stderr();
    let (red, bold, reset) = if color {
        ("\x1b[31;1m", "\x1b[1m", "\x1b[0m")
    } else {
        ("", "", "")
    };
    eprintln!("{red}smsctl: error:{reset} {}", err.message);
    if let Some(hint) = &err.hint {
        eprintln!("{bold}hint:{reset} {hint}");
    }
}

/// The JSON form of an error (`--json`), on one line.
pub fn error_json(err: &Error) -> String {
    let mut e = serde_json::json!({
        "kind": err.kind.as_str(),
        "message": err.message,
        "hint": err.hint,
        "exit_code": err.exit_code(),
    });
    if let (Some(reason), Some(map)) = (err.reason, e.as_object_mut()) {
        map.insert("reason".into(), reason.into());
    }
    serde_json::json!({ "error": e }).to_string()
}

/// A flag people reach for under another name (the key's setting, or another tool's
/// spelling), and the flag this command takes instead.
fn better_flag(err: &clap::Error) -> Option<&'static str> {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    if err.kind() != ErrorKind::UnknownArgument {
        return None;
    }
    let Some(ContextValue::String(arg)) = err.get(ContextKind::InvalidArg) else {
        return None;
    };
    let name = arg.split('=').next().unwrap_or(arg);
    let send = std::env::args_os().any(|a| a == "send");
    match name {
        "--auto-replace" if send => Some("the mode of this message is --autoconvert MODE (--auto-replace is its old name on `key set`)"),
        "--secret" | "--key-secret" => Some("secrets never go on the command line: pipe one with --secret-stdin, or set SMSCTL_KEY_SECRET"),
        _ => None,
    }
}

/// Whether JSON output was asked for, judged from the raw arguments and environment: for
/// errors found while parsing them, before the parsed flags exist.
fn json_requested_raw() -> bool {
    let args: Vec<String> = std::env::args_os()
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned())
        .take_while(|a| a != "--")
        .collect();
    let mut flag = None;
    for (i, a) in args.iter().enumerate() {
        match a.as_str() {
            "--json" => flag = Some(true),
            "--format=json" => flag = Some(true),
            "--format=table" => flag = Some(false),
            "--format" => flag = args.get(i + 1).map(|v| v == "json").or(flag),
            _ => {}
        }
    }
    flag.unwrap_or_else(|| {
        let truthy = |v: &str| {
            !matches!(
                v.trim().to_ascii_lowercase().as_str(),
                "" | "0" | "false" | "no" | "off" | "n" | "f"
            )
        };
        std::env::var(env::JSON).is_ok_and(|v| truthy(&v)) || std::env::var(env::FORMAT).is_ok_and(|v| v == "json")
    })
}

/// Prints a command-line parsing error in smsctl's shape (`smsctl: error: ...`; JSON under
/// `--json`), exit 2; `--help` and `--version` print normally and exit 0.
#[allow(clippy::print_stderr)]
pub fn report_usage_error(err: &clap::Error) -> std::process::ExitCode {
    if !err.use_stderr() {
        let _ = err.print();
        return std::process::ExitCode::SUCCESS;
    }
    let rendered = err.render().to_string();
    let mut body = rendered.strip_prefix("error: ").unwrap_or(&rendered).to_owned();
    if let Some(tip) = better_flag(err) {
        body = format!("{}\n\n  tip: {tip}\n", body.lines().next().unwrap_or(""));
    }
    let body = body.as_str();
    if json_requested_raw() {
        let (message, rest) = body.split_once('\n').unwrap_or((body, ""));
        let hint = rest
            .lines()
            .map(str::trim)
            .find_map(|l| l.strip_prefix("tip: ").or_else(|| l.strip_prefix("For more information, ")))
            .map(str::to_owned);
        let mut e = Error::usage(message.trim());
        e.hint = hint.or_else(|| Some("see `smsctl --help`".into()));
        eprintln!("{}", error_json(&e));
        return std::process::ExitCode::from(error::Kind::Usage.exit_code());
    }
    eprint!("smsctl: error: {body}");
    std::process::ExitCode::from(error::Kind::Usage.exit_code())
}
