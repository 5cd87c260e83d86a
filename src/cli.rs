//! Command-line types (clap derive). No behaviour lives here.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::output::Format;

const EXAMPLES: &str = "\
Examples:
  smsctl key create ci --sender ACME            # prints the new secret once
  S=$(smsctl key create deploy --quiet)         # the secret alone, for scripts
  smsctl key list --json | jq -r '.[].name'
  smsctl key rotate ci --grace 2h               # old secret valid for 2 more hours
  smsctl audit --key ci";

#[derive(Debug, Parser)]
#[command(
    name = "smsctl",
    version,
    about = "Administer SMS API keys: create, rotate, revoke, configure and test them",
    long_about = None,
    after_help = EXAMPLES,
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Path of the SQLite store [default: the platform data directory]
    #[arg(long, global = true, env = "SMSCTL_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Output format
    #[arg(long, global = true, env = "SMSCTL_FORMAT", value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Shorthand for --format json
    #[arg(long, global = true, env = "SMSCTL_JSON")]
    pub json: bool,
    /// Print only the essential value (e.g. the new secret), no decoration
    #[arg(long, short, global = true, env = "SMSCTL_QUIET")]
    pub quiet: bool,
    /// Assume yes for confirmations (required for destructive commands without a TTY)
    #[arg(long, short = 'y', global = true, env = "SMSCTL_YES")]
    pub yes: bool,
    /// Never prompt; fail instead when a value or confirmation is missing
    #[arg(long, global = true, env = "SMSCTL_NO_INPUT")]
    pub no_input: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create, inspect, configure, rotate and revoke API keys
    #[command(subcommand)]
    Key(KeyCommand),
    /// Show the audit trail, or check that it has not been tampered with
    Audit(AuditArgs),
}

#[derive(Debug, Subcommand)]
pub enum KeyCommand {
    /// Create a key; its secret is shown once
    #[command(
        after_help = "Examples:\n  smsctl key create ci --description 'GitHub Actions' --expires 90d\n  S=$(smsctl key create deploy --quiet)"
    )]
    Create(KeyCreateArgs),
    /// List keys (revoked keys only with --all); never shows secrets
    #[command(
        after_help = "Examples:\n  smsctl key list\n  smsctl key list --all --json | jq '.[] | select(.status == \"active\") | .name'"
    )]
    List(KeyListArgs),
    /// Show one key: settings, secrets (last 4 characters only), usage
    #[command(after_help = "Examples:\n  smsctl key show ci\n  smsctl key show key_8f3k2m1x --json")]
    Show(KeyRef),
    /// Rename a key (names are unique, case-insensitively)
    #[command(after_help = "Example:\n  smsctl key rename ci ci-legacy")]
    Rename(KeyRenameArgs),
    /// Issue a new secret; the previous one stays valid until the grace period ends
    #[command(
        after_help = "Examples:\n  smsctl key rotate ci                 # old secret valid for 24h\n  smsctl key rotate ci --grace 0       # old secret dead now\n  smsctl key rotate ci --force         # end an earlier grace now and rotate again"
    )]
    Rotate(KeyRotateArgs),
    /// Revoke a key: every secret stops working at once; this is final
    #[command(
        after_help = "Examples:\n  smsctl key revoke ci            # asks on a terminal\n  smsctl key revoke ci --yes      # scripts"
    )]
    Revoke(KeyRef),
}

#[derive(Debug, Args)]
pub struct KeyRef {
    /// Key name or key id (key_...)
    pub key: String,
}

#[derive(Debug, Args)]
pub struct KeyCreateArgs {
    /// Unique name: 1-64 characters of letters, digits, '.', '_' and '-'
    pub name: String,
    /// Free-text description
    #[arg(long)]
    pub description: Option<String>,
    /// Expiry: a duration (90d, 12h), a date (2026-12-31) or an RFC 3339 time
    #[arg(long, value_name = "DUR|DATE")]
    pub expires: Option<String>,
}

#[derive(Debug, Args)]
pub struct KeyListArgs {
    /// Include revoked keys
    #[arg(long)]
    pub all: bool,
}

#[derive(Debug, Args)]
pub struct KeyRenameArgs {
    /// Key name or key id
    pub key: String,
    /// The new name
    pub new_name: String,
}

#[derive(Debug, Args)]
pub struct KeyRotateArgs {
    /// Key name or key id
    pub key: String,
    /// How long the previous secret stays valid (0 = not at all)
    #[arg(long, value_name = "DUR", default_value = "24h")]
    pub grace: String,
    /// Rotate even while an older secret is in grace (that grace ends now)
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
#[command(
    args_conflicts_with_subcommands = true,
    after_help = "Examples:\n  smsctl audit --key ci --since 7d\n  smsctl audit verify"
)]
pub struct AuditArgs {
    #[command(subcommand)]
    pub command: Option<AuditCommand>,
    /// Only entries about this key (name or id)
    #[arg(long)]
    pub key: Option<String>,
    /// Only entries since a time: a duration ago (24h, 7d) or a date/RFC 3339 time
    #[arg(long, value_name = "DUR|DATE")]
    pub since: Option<String>,
    /// At most this many entries (the newest)
    #[arg(long)]
    pub limit: Option<u32>,
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Recompute the hash chain; exit 1 naming the first bad row if the trail was altered
    Verify,
}
