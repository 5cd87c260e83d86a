//! Command-line types (clap derive). No behaviour lives here.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use clap_complete::engine::ArgValueCandidates;

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
    #[arg(long, global = true, env = "SMSCTL_JSON", value_parser = clap::builder::FalseyValueParser::new())]
    pub json: bool,
    /// Print only the essential value (e.g. the new secret), no decoration
    #[arg(long, short, global = true, env = "SMSCTL_QUIET", value_parser = clap::builder::FalseyValueParser::new())]
    pub quiet: bool,
    /// Assume yes for confirmations (required for destructive commands without a TTY)
    #[arg(long, short = 'y', global = true, env = "SMSCTL_YES", value_parser = clap::builder::FalseyValueParser::new())]
    pub yes: bool,
    /// Never prompt; fail instead when a value or confirmation is missing
    #[arg(long, global = true, env = "SMSCTL_NO_INPUT", value_parser = clap::builder::FalseyValueParser::new())]
    pub no_input: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create, inspect, configure, rotate and revoke API keys
    #[command(subcommand)]
    Key(KeyCommand),
    /// Send a test SMS with a key; flags override the key's settings (see --dry-run)
    #[command(after_help = SEND_EXAMPLES)]
    Send(SendArgs),
    /// Analyse a message: encoding, units, parts, replacements; what send would do to it
    #[command(
        after_help = "Examples:\n  smsctl text 'Hello “world”' --autoconvert full\n  smsctl text --compare 'Café — déjà vu…'\n  smsctl text --key ci --file message.txt --json\n  echo 'Hi 😀' | smsctl text -"
    )]
    Text(TextArgs),
    /// List what `send` (and the gateway) recorded
    #[command(after_help = "Examples:\n  smsctl messages --key ci --limit 5\n  smsctl messages --json | jq '.[0].message_id'")]
    Messages(MessagesArgs),
    /// Show the audit trail, or check that it has not been tampered with
    Audit(AuditArgs),
    /// Run a local Omnimessage-compatible API that enforces this store's keys
    #[command(subcommand)]
    Gateway(GatewayCommand),
    /// Copy the store to FILE while it stays in use (VACUUM INTO), then check the copy
    #[command(after_help = "Examples:\n  smsctl backup /var/backups/smsctl-$(date +%F).db")]
    Backup(BackupArgs),
    /// Replace the store with a backup after checking its integrity (asks; --yes in scripts)
    #[command(after_help = "Examples:\n  smsctl restore /var/backups/smsctl-2026-11-01.db --yes")]
    Restore(RestoreArgs),
    /// Write every live key's configuration as a key file (TOML; never a secret or a hash)
    #[command(
        after_help = "Examples:\n  smsctl export > keys.toml\n  smsctl export --key ci --key deploy > some-keys.toml\n  smsctl export --json | jq '.key[].name'"
    )]
    Export(ExportArgs),
    /// Compare a key file with the store: what `apply` would create, update, revoke
    #[command(
        after_help = "Examples:\n  smsctl plan -f keys.toml\n  smsctl plan -f keys.toml --check       # CI: exit 1 if anything would change\n  smsctl plan -f keys.toml --json | jq -r .plan_hash"
    )]
    Plan(PlanArgs),
    /// Carry out a key file's plan in one transaction (asks on a terminal; --yes in scripts)
    #[command(
        after_help = "Examples:\n  smsctl apply -f keys.toml\n  smsctl apply -f keys.toml --yes --secrets-dir ./new-secrets\n  smsctl apply -f keys.toml --yes --plan-hash \"$(smsctl plan -f keys.toml --json | jq -r .plan_hash)\""
    )]
    Apply(ApplyArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish)
    #[command(
        after_help = "Examples:\n  smsctl completions bash > ~/.local/share/bash-completion/completions/smsctl\n  smsctl completions zsh > \"${fpath[1]}/_smsctl\"\n\nCompletion that also offers key names (smsctl is asked at each TAB):\n  echo 'source <(SMSCTL_COMPLETE=bash smsctl)' >> ~/.bashrc\n  echo 'SMSCTL_COMPLETE=fish smsctl | source' >> ~/.config/fish/completions/smsctl.fish"
    )]
    Completions(CompletionsArgs),
    /// Show where smsctl keeps its store and secrets
    #[command(after_help = "Examples:\n  smsctl paths\n  smsctl paths --json | jq -r .store")]
    Paths,
    /// Check the store, the audit trail, risky keys and the keyring; exit 1 listing each finding
    #[command(after_help = "Examples:\n  smsctl doctor\n  smsctl doctor --json | jq '.findings[]'")]
    Doctor,
}

#[derive(Debug, Args)]
pub struct AuditVerifyArgs {
    /// A head hash recorded earlier (from `audit verify --json`): it must still be in the
    /// trail, which catches entries removed from the end
    #[arg(long, value_name = "HASH")]
    pub expect_head: Option<String>,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Export only this key (name or id; repeatable) [default: every live key]
    #[arg(long, value_name = "KEY", add = ArgValueCandidates::new(crate::complete::key_names))]
    pub key: Vec<String>,
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    /// The key file ('-' reads stdin)
    #[arg(long, short = 'f', value_name = "FILE")]
    pub file: PathBuf,
    /// Exit 1 when anything would change, 0 when nothing would (a drift gate for CI)
    #[arg(long)]
    pub check: bool,
}

#[derive(Debug, Args)]
pub struct ApplyArgs {
    /// The key file ('-' reads stdin)
    #[arg(long, short = 'f', value_name = "FILE")]
    pub file: PathBuf,
    /// Refuse (exit 4) unless the plan is still the one with this hash (from `plan --json`)
    #[arg(long, value_name = "HASH")]
    pub plan_hash: Option<String>,
    /// Save new keys' secrets in the OS keyring (service smsctl, account = key id)
    #[arg(long, conflicts_with = "secrets_dir")]
    pub save_secrets: bool,
    /// Write each new key's secret to DIR/NAME.secret (a new 0600 file; never overwrites)
    #[arg(long, value_name = "DIR")]
    pub secrets_dir: Option<PathBuf>,
}

/// Which keys a bulk command acts on; every given condition must hold.
#[derive(Debug, Args, Default, Clone)]
pub struct KeySelectors {
    /// Only keys whose name matches GLOB ('*' any characters, '?' one; case-insensitive)
    #[arg(long, value_name = "GLOB")]
    pub name: Option<String>,
    /// Only keys not used for DUR (a never-used key counts from its creation), e.g. 90d
    #[arg(long, value_name = "DUR")]
    pub unused_for: Option<String>,
    /// Only keys created before T: a duration ago (30d), a date (2026-01-01) or an RFC 3339 time
    #[arg(long, value_name = "T")]
    pub created_before: Option<String>,
    /// Only keys that expire within DUR (already expired ones included), e.g. 14d
    #[arg(long, value_name = "DUR")]
    pub expires_within: Option<String>,
}

#[derive(Debug, Args)]
pub struct KeyRevokeArgs {
    /// Key name or key id (key_...); or leave it out and select keys with the options below
    #[arg(add = ArgValueCandidates::new(crate::complete::key_names), required_unless_present_any = ["name", "unused_for", "created_before", "expires_within"])]
    pub key: Option<String>,
    #[command(flatten)]
    pub select: KeySelectors,
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// Where to write the backup (must not exist)
    pub file: PathBuf,
}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// A backup written by `smsctl backup`
    pub file: PathBuf,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to generate completions for
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

const SEND_EXAMPLES: &str = "\
Examples:
  smsctl send --key ci --to +37255512345 --text 'Hello' --dry-run
  echo \"$SECRET\" | smsctl send --key ci --to +37255512345 --text 'Hi' --secret-stdin
  SMSCTL_KEY_SECRET=... smsctl send --key ci --to +37255512345 --text-file msg.txt --from ACME
  smsctl send --key ci --to +37255512345 --text 'Ünïcode' --autoconvert full --require-gsm7 --dry-run --json

Precedence: a flag beats the key's setting, which beats the built-in default.";

#[derive(Debug, Args)]
pub struct SendArgs {
    /// Key name or key id
    #[arg(long, add = ArgValueCandidates::new(crate::complete::key_names))]
    pub key: String,
    /// Recipient in E.164 form (+ and 7-15 digits; spaces, dashes and parentheses are ignored)
    #[arg(long, value_name = "+E164")]
    pub to: String,
    /// The message text
    #[arg(long, conflicts_with_all = ["text_file", "stdin"])]
    pub text: Option<String>,
    /// Read the message text from a UTF-8 file ('-' for stdin)
    #[arg(long, value_name = "FILE", conflicts_with = "stdin")]
    pub text_file: Option<PathBuf>,
    /// '-' reads the message text from stdin
    #[arg(value_name = "-", value_parser = clap::builder::PossibleValuesParser::new(["-"]))]
    pub stdin: Option<String>,
    /// Sender for this message (beats the key's default sender)
    #[arg(long, value_name = "S")]
    pub from: Option<String>,
    /// Auto-replace mode for this message: off, on or full (beats the key's mode)
    #[arg(long, value_name = "MODE", value_parser = parse_autoconvert)]
    pub autoconvert: Option<crate::text::AutoConvert>,
    /// Delivery-report webhook for this message (beats the key's webhook)
    #[arg(long, value_name = "URL", conflicts_with = "no_dlr")]
    pub dlr_url: Option<String>,
    /// No delivery report for this message, even if the key has a webhook
    #[arg(long)]
    pub no_dlr: bool,
    /// Show what would be sent, which value won and why; send nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Fail (exit 1) unless the final text is GSM-7
    #[arg(long)]
    pub require_gsm7: bool,
    /// Fail (exit 1) if the message needs more than N parts
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub max_segments: Option<u32>,
    /// Read the key's secret from stdin
    #[arg(long)]
    pub secret_stdin: bool,
    /// API base URL (POST {api}/omnimessage)
    #[arg(long, env = "SMSCTL_API_URL", value_name = "URL", default_value = crate::commands::send::DEFAULT_API_URL)]
    pub api_url: String,
    /// Overall request timeout
    #[arg(long, value_name = "DUR", default_value = "15s")]
    pub timeout: String,
}

#[derive(Debug, Args)]
pub struct TextArgs {
    /// The text ('-' reads stdin)
    #[arg(conflicts_with = "file")]
    pub text: Option<String>,
    /// Read the text from a UTF-8 file
    #[arg(long, value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// Auto-replace mode: off, on or full (default: the key's mode with --key, else off)
    #[arg(long, value_name = "MODE", value_parser = parse_autoconvert)]
    pub autoconvert: Option<crate::text::AutoConvert>,
    /// Use this key's character table (and its mode, unless --autoconvert is given)
    #[arg(long, add = ArgValueCandidates::new(crate::complete::key_names))]
    pub key: Option<String>,
    /// Show off / on / full side by side
    #[arg(long, conflicts_with = "autoconvert")]
    pub compare: bool,
}

#[derive(Debug, Args)]
pub struct MessagesArgs {
    /// Only messages sent with this key (name or id)
    #[arg(long, add = ArgValueCandidates::new(crate::complete::key_names))]
    pub key: Option<String>,
    /// At most this many (newest first)
    #[arg(long, default_value_t = 50)]
    pub limit: u32,
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
        after_help = "Examples:\n  smsctl key list\n  smsctl key list --all --json | jq '.[] | select(.status == \"active\") | .name'\n  smsctl key list --unused-for 90d --name 'ci-*'"
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
    /// Revoke a key, or every key a selector matches: every secret stops working at once; this is final
    #[command(
        after_help = "Examples:\n  smsctl key revoke ci                        # asks on a terminal\n  smsctl key revoke ci --yes                  # scripts\n  smsctl key revoke --unused-for 90d          # lists them, then asks for their number\n  smsctl key revoke --name 'tmp-*' --yes      # scripts"
    )]
    Revoke(KeyRevokeArgs),
    /// Change a key's settings (sender, auto-replace, webhook, description, expiry)
    #[command(
        after_help = "Examples:\n  smsctl key set ci --sender ACME --auto-replace full\n  smsctl key set ci --dlr-url https://hooks.example.com/dlr\n  smsctl key set ci --no-sender --no-dlr-url --expires never"
    )]
    Set(KeySetArgs),
    /// Walk through a key's settings with prompts (terminal only; scripts use `key set`)
    #[command(after_help = "Example:\n  smsctl key edit ci      # prompts for sender, auto-replace, webhook, description")]
    Edit(KeyRef),
    /// Edit the key's own character table, used when auto-replace is `on`
    #[command(after_help = "Examples:\n  smsctl key replace ci add ç c\n  smsctl key replace ci add '€' EUR\n  smsctl key replace ci list")]
    Replace(KeyReplaceArgs),
    /// Edit the key's IP whitelist (an empty whitelist refuses every address)
    #[command(
        after_help = "Examples:\n  smsctl key whitelist ci add 203.0.113.7 10.0.0.0/8 2001:db8::/32\n  smsctl key whitelist ci test 10.1.2.3 ::1\n  smsctl key whitelist ci allow-all"
    )]
    Whitelist(KeyWhitelistArgs),
    /// Check a secret (stdin, then SMSCTL_KEY_SECRET, then the keyring with --key) as the API would; exit 0 if valid, 5 if not
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
    #[arg(add = ArgValueCandidates::new(crate::complete::key_names))]
    pub key: String,
    #[command(flatten)]
    pub settings: SettingsArgs,
    /// Remove the default sender (send then needs --from)
    #[arg(long, conflicts_with = "sender")]
    pub no_sender: bool,
    /// Remove the delivery-report webhook
    #[arg(long, conflicts_with = "dlr_url")]
    pub no_dlr_url: bool,
    /// Unset the auto-replace mode (the built-in default, off, applies)
    #[arg(long, conflicts_with = "auto_replace")]
    pub no_auto_replace: bool,
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
    #[arg(add = ArgValueCandidates::new(crate::complete::key_names))]
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
    #[arg(add = ArgValueCandidates::new(crate::complete::key_names))]
    pub key: String,
    #[command(subcommand)]
    pub action: WhitelistAction,
}

#[derive(Debug, Subcommand)]
pub enum WhitelistAction {
    /// Add addresses or CIDR ranges (all or nothing: one bad entry changes nothing); '-' reads them from stdin
    Add {
        #[arg(required = true, value_name = "IP|CIDR")]
        entries: Vec<String>,
    },
    /// Remove entries ('-' reads them from stdin)
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
    /// Check that the secret belongs to this key (and use its OS keyring entry as a source)
    #[arg(long, add = ArgValueCandidates::new(crate::complete::key_names))]
    pub key: Option<String>,
}

#[derive(Debug, Args)]
pub struct KeyRef {
    /// Key name or key id (key_...)
    #[arg(add = ArgValueCandidates::new(crate::complete::key_names))]
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
    /// Save the secret in the OS keyring (service smsctl, account = key id) instead of printing it
    #[arg(long)]
    pub save_secret: bool,
}

#[derive(Debug, Args)]
pub struct KeyListArgs {
    /// Include revoked keys
    #[arg(long)]
    pub all: bool,
    #[command(flatten)]
    pub select: KeySelectors,
}

#[derive(Debug, Args)]
pub struct KeyRenameArgs {
    /// Key name or key id
    #[arg(add = ArgValueCandidates::new(crate::complete::key_names))]
    pub key: String,
    /// The new name
    pub new_name: String,
}

#[derive(Debug, Args)]
pub struct KeyRotateArgs {
    /// Key name or key id
    #[arg(add = ArgValueCandidates::new(crate::complete::key_names))]
    pub key: String,
    /// How long the previous secret stays valid (0 = not at all)
    #[arg(long, value_name = "DUR", default_value = "24h")]
    pub grace: String,
    /// Rotate even while an older secret is in grace (that grace ends now)
    #[arg(long)]
    pub force: bool,
    /// Save the new secret in the OS keyring (replacing the old entry) instead of printing it
    #[arg(long)]
    pub save_secret: bool,
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
    #[arg(long, add = ArgValueCandidates::new(crate::complete::key_names))]
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
    Verify(AuditVerifyArgs),
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
    /// On a non-loopback --listen, still deliver reports to loopback, private and link-local webhooks
    #[arg(long)]
    pub allow_internal_webhooks: bool,
}
