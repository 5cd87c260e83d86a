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
    /// Run a local Omnimessage-compatible API that enforces this store's keys
    #[command(subcommand)]
    Gateway(GatewayCommand),
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
    /// Change a key's settings (sender, auto-replace, webhook, description, expiry)
    #[command(
        after_help = "Examples:\n  smsctl key set ci --sender ACME --auto-replace full\n  smsctl key set ci --dlr-url https://hooks.example.com/dlr\n  smsctl key set ci --no-sender --no-dlr-url --expires never"
    )]
    Set(KeySetArgs),
    /// Walk through a key's settings with prompts (terminal only; scripts use `key set`)
    Edit(KeyRef),
    /// Edit the key's own character table, used when auto-replace is `on`
    #[command(after_help = "Examples:\n  smsctl key replace ci add ç c\n  smsctl key replace ci add '€' EUR\n  smsctl key replace ci list")]
    Replace(KeyReplaceArgs),
    /// Edit the key's IP whitelist (an empty whitelist refuses every address)
    #[command(
        after_help = "Examples:\n  smsctl key whitelist ci add 203.0.113.7 10.0.0.0/8 2001:db8::/32\n  smsctl key whitelist ci test 10.1.2.3 ::1\n  smsctl key whitelist ci allow-all"
    )]
    Whitelist(KeyWhitelistArgs),
    /// Check a secret read from stdin, as the API would; exit 0 if valid, 5 if not
    #[command(after_help = "Examples:\n  echo \"$SECRET\" | smsctl key verify\n  smsctl key verify --ip 203.0.113.7 --json < secret.txt")]
    Verify(KeyVerifyArgs),
}

/// Settings accepted by both `key create` and `key set`.
#[derive(Debug, Args, Default)]
pub struct SettingsArgs {
    /// Default sender: alphanumeric (≤11 chars) or numeric (≤15 digits, optional +)
    #[arg(long, value_name = "S")]
    pub sender: Option<String>,
    /// Auto-replace mode: off, on (the key's own table) or full (GSM-7 transliteration)
    #[arg(long, value_name = "MODE", value_parser = parse_autoconvert)]
    pub auto_replace: Option<crate::text::AutoConvert>,
    /// Delivery-report webhook: https URL (http only for localhost)
    #[arg(long, value_name = "URL")]
    pub dlr_url: Option<String>,
    /// Free-text description
    #[arg(long)]
    pub description: Option<String>,
    /// Expiry: a duration (90d), a date (2026-12-31), an RFC 3339 time, or `never`
    #[arg(long, value_name = "DUR|DATE")]
    pub expires: Option<String>,
    /// Mark as a production key (whitelisting private ranges then warns)
    #[arg(long)]
    pub production: bool,
}

pub fn parse_autoconvert(s: &str) -> Result<crate::text::AutoConvert, String> {
    s.parse()
}

#[derive(Debug, Args)]
pub struct KeySetArgs {
    /// Key name or key id
    pub key: String,
    #[command(flatten)]
    pub settings: SettingsArgs,
    /// Remove the default sender (send then needs --from)
    #[arg(long, conflicts_with = "sender")]
    pub no_sender: bool,
    /// Remove the delivery-report webhook
    #[arg(long, conflicts_with = "dlr_url")]
    pub no_dlr_url: bool,
    /// Remove the description
    #[arg(long, conflicts_with = "description")]
    pub no_description: bool,
    /// Mark as not a production key
    #[arg(long, conflicts_with = "production")]
    pub no_production: bool,
}

#[derive(Debug, Args)]
pub struct KeyReplaceArgs {
    /// Key name or key id
    pub key: String,
    #[command(subcommand)]
    pub action: ReplaceAction,
}

#[derive(Debug, Subcommand)]
pub enum ReplaceAction {
    /// Map one character to 0-4 GSM-7 characters
    Add {
        /// The character to replace
        from: String,
        /// Its replacement (0-4 GSM-7 characters; '' removes the character)
        to: String,
    },
    /// Remove the mapping of one character
    Remove {
        /// The character whose mapping to remove
        from: String,
    },
    /// Show the table
    List,
    /// Remove every mapping
    Clear,
}

#[derive(Debug, Args)]
pub struct KeyWhitelistArgs {
    /// Key name or key id
    pub key: String,
    #[command(subcommand)]
    pub action: WhitelistAction,
}

#[derive(Debug, Subcommand)]
pub enum WhitelistAction {
    /// Add addresses or CIDR ranges (all or nothing: one bad entry changes nothing)
    Add {
        #[arg(required = true, value_name = "IP|CIDR")]
        entries: Vec<String>,
    },
    /// Remove entries
    Remove {
        #[arg(required = true, value_name = "IP|CIDR")]
        entries: Vec<String>,
    },
    /// Show the whitelist
    List,
    /// Remove every entry (the key then refuses every address)
    Clear,
    /// Allow every address: 0.0.0.0/0 and ::/0
    AllowAll,
    /// Say, offline, whether each address would be allowed and by which entry
    Test {
        #[arg(required = true, value_name = "ADDR")]
        addresses: Vec<String>,
    },
}

#[derive(Debug, Args)]
pub struct KeyVerifyArgs {
    /// Also check this client address against the key's whitelist
    #[arg(long, value_name = "ADDR")]
    pub ip: Option<String>,
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
    #[command(flatten)]
    pub settings: SettingsArgs,
    /// Add a character mapping for `on` mode (repeatable), e.g. --replace ç=c
    #[arg(long = "replace", value_name = "FROM=TO")]
    pub replace: Vec<String>,
    /// Whitelist an address or CIDR range (repeatable); without any, every address is refused
    #[arg(long = "allow-ip", value_name = "IP|CIDR")]
    pub allow_ip: Vec<String>,
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

#[derive(Debug, Subcommand)]
pub enum GatewayCommand {
    /// Serve POST /v1/omnimessage and friends until SIGINT/SIGTERM (then drain and exit 0)
    #[command(
        after_help = "Examples:\n  smsctl gateway serve                          # http://127.0.0.1:8700/v1, smsctl send's default\n  smsctl gateway serve --listen 127.0.0.1:0     # any free port; the first stderr line names it\n  smsctl gateway serve --listen '[::1]:8700' --dlr-retries 5"
    )]
    Serve(GatewayServeArgs),
}

#[derive(Debug, Args)]
pub struct GatewayServeArgs {
    /// Address to listen on, host:port (port 0 picks a free port)
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8700")]
    pub listen: String,
    /// Retries, with back-off, after a failed delivery-report POST
    #[arg(long, value_name = "N", default_value_t = 3, value_parser = clap::value_parser!(u32).range(0..=10))]
    pub dlr_retries: u32,
    /// Most simultaneous client connections; more are answered 503
    #[arg(long, value_name = "N", default_value_t = 256, value_parser = clap::value_parser!(u64).range(1..=10_000))]
    pub max_connections: u64,
}
