//! smsctl: administration of SMS API keys backed by a local SQLite store.
//!
//! `main.rs` parses the command line and calls [`run`]; each command family lives in
//! [`commands`]; domain logic (tokens, text engine, precedence) is pure and unit-tested.

pub mod auth;
pub mod cli;
pub mod commands;
pub mod complete;
pub mod context;
pub mod error;
pub mod gateway;
pub mod http;
pub mod input;
pub mod keyring;
pub mod output;
pub mod policy;
pub mod private_fs;
pub mod resolve;
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
    commands::dispatch(&ctx, cli.command)
}

/// Prints an error the way every smsctl failure looks: `smsctl: error: ...` then `hint: ...`.
pub fn report_error(err: &Error) {
    use std::io::IsTerminal;
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
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

/// Prints a command-line parsing error in smsctl's shape (`smsctl: error: ...`), exit 2;
/// `--help` and `--version` print normally and exit 0.
pub fn report_usage_error(err: &clap::Error) -> std::process::ExitCode {
    if !err.use_stderr() {
        let _ = err.print();
        return std::process::ExitCode::SUCCESS;
    }
    let rendered = err.render().to_string();
    let body = rendered.strip_prefix("error: ").unwrap_or(&rendered);
    eprint!("smsctl: error: {body}");
    std::process::ExitCode::from(error::Kind::Usage.exit_code())
}
