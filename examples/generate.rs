//! Regenerates everything under `completions/` and `docs/man/` from the clap definition, and
//! `docs/keys.schema.json` from the key file's types.
//! Run `cargo run --example generate`; CI runs it and fails on any diff.

use std::path::Path;

use clap::CommandFactory;
use clap_complete::Shell;
use smsctl::cli::Cli;
use smsctl::commands::completions;

/// Every environment variable smsctl reads, for the ENVIRONMENT section of each page.
const ENVIRONMENT: &[(&str, &str)] = &[
    ("SMSCTL_DB", "The store (as --db): a SQLite file path, or a postgres:// URL."),
    (
        "SMSCTL_FORMAT",
        "Output format, table or json (as --format); a --format or --json flag beats it.",
    ),
    (
        "SMSCTL_JSON",
        "Non-empty and not 0/false: JSON output (as --json); an explicit --format beats it.",
    ),
    ("SMSCTL_QUIET", "As --quiet."),
    ("SMSCTL_YES", "As --yes: confirm destructive actions without a prompt."),
    ("SMSCTL_NO_INPUT", "As --no-input: never prompt."),
    (
        "SMSCTL_KEY_SECRET",
        "The secret for send (after --secret-stdin) and key verify (before stdin). Never on argv.",
    ),
    ("SMSCTL_API_URL", "API base URL for send (as --api-url)."),
    ("SMSCTL_ACTOR", "Who the audit trail names for changes (default: the OS user)."),
    ("SMSCTL_KEYRING", "none disables the OS keyring."),
    (
        "SMSCTL_AUDIT_KEY",
        "The store's audit key, hex (otherwise the OS keyring or the key file beside the store).",
    ),
    (
        "SMSCTL_BUSY_TIMEOUT_MS",
        "How long to wait for another process's lock on the store (default 5000).",
    ),
    (
        "SMSCTL_COMPLETE",
        "Set by the shell's dynamic completion (see smsctl completions --help).",
    ),
    ("NO_COLOR", "Non-empty: no colour."),
    ("TERM", "dumb: no colour and no box drawing."),
];

/// Exit codes, as docs/exit-codes.md documents them.
const EXIT_STATUS: &[(&str, &str)] = &[
    ("0", "Success."),
    (
        "1",
        "The command ran but the outcome is a failure (a CI gate, doctor findings, a cancelled prompt, a broken audit trail).",
    ),
    (
        "2",
        "Usage or invalid input; a confirmation needed without a terminal (pass --yes).",
    ),
    ("3", "The named key or message does not exist."),
    (
        "4",
        "Conflict with the current state (name taken, grace in progress, nothing to finish).",
    ),
    ("5", "Rejected: authentication, whitelist, revoked, expired, wrong key, policy."),
    ("6", "Network or remote API failure."),
    ("7", "The store is locked, corrupt, unreadable, too new or has a foreign schema."),
    ("130", "Interrupted (Ctrl-C)."),
];

fn roff_escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('-', "\\-")
}

/// clap_mangen's page, then ENVIRONMENT and EXIT STATUS.
fn generate_man(cmd: clap::Command, dir: &Path) -> std::io::Result<()> {
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()).cloned() {
        generate_man(sub, dir)?;
    }
    let man = clap_mangen::Man::new(cmd);
    let mut page = Vec::new();
    man.render(&mut page)?;
    let mut extra = String::from(".SH ENVIRONMENT\n");
    for (name, what) in ENVIRONMENT {
        extra.push_str(&format!(".TP\n\\fB{}\\fR\n{}\n", roff_escape(name), roff_escape(what)));
    }
    extra.push_str(".SH \"EXIT STATUS\"\n");
    for (code, what) in EXIT_STATUS {
        extra.push_str(&format!(".TP\n\\fB{code}\\fR\n{}\n", roff_escape(what)));
    }
    page.extend_from_slice(extra.as_bytes());
    std::fs::write(dir.join(man.get_filename()), page)
}

fn main() -> std::io::Result<()> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));

    let comp_dir = root.join("completions");
    std::fs::create_dir_all(&comp_dir)?;
    for shell in [Shell::Bash, Shell::Zsh, Shell::Fish, Shell::PowerShell, Shell::Elvish] {
        std::fs::write(comp_dir.join(completions::file_name(shell)), completions::render(shell))?;
    }

    // Start from an empty directory so pages of removed commands disappear.
    let man_dir = root.join("docs").join("man");
    if man_dir.exists() {
        std::fs::remove_dir_all(&man_dir)?;
    }
    std::fs::create_dir_all(&man_dir)?;
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    generate_man(cmd, &man_dir)?;
    // The key file's JSON Schema, generated from its types (see docs/keys-as-code.md).
    let schema = root.join("docs").join("keys.schema.json");
    std::fs::write(&schema, smsctl::keyfile::schema_json())?;
    // The current store schema every open compares with (src/store/schema.rs).
    std::fs::write(
        root.join("src/store/schema_current.txt"),
        smsctl::store::schema::current_canonical().map_err(|e| std::io::Error::other(e.message))?,
    )?;
    // And the PostgreSQL schema's description (src/store/pg.rs), which needs a server:
    // scripts/check-generated.sh runs this inside scripts/pg-session.sh.
    match std::env::var("SMSCTL_TEST_PG_URL") {
        Ok(url) => std::fs::write(
            root.join("src/store/pg_schema_current.txt"),
            smsctl::store::pg::describe_fresh(&url).map_err(|e| std::io::Error::other(e.message))?,
        )?,
        Err(_) => eprintln!("SMSCTL_TEST_PG_URL is not set: src/store/pg_schema_current.txt left as it is"),
    }
    println!("wrote {}, {} and {}", comp_dir.display(), man_dir.display(), schema.display());
    Ok(())
}
