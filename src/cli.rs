//! Command-line types (clap derive). No behaviour lives here.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use clap_complete::engine::ArgValueCandidates;

use crate::output::Format;
use crate::time::Millis;

const EXAMPLES: &str = "\
Examples:
  smsctl key create ci --sender ACME --allow-ip 203.0.113.7   # prints the new secret once
  S=$(smsctl key create deploy --sender ACME --allow-ip 10.0.0.0/8 --quiet)   # the secret alone
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
    /// The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]
    #[arg(
        long,
        global = true,
        help_heading = "Global options",
        env = crate::env::DB,
        hide_env_values = true,
        value_name = "PATH|URL"
    )]
    pub db: Option<PathBuf>,
    /// Output format
    #[arg(long, global = true, help_heading = "Global options", env = crate::env::FORMAT, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Shorthand for --format json
    #[arg(long, global = true, help_heading = "Global options", env = crate::env::JSON, value_parser = clap::builder::FalseyValueParser::new())]
    pub json: bool,
    /// Print only each command's one essential value (docs/exit-codes.md lists them; most --help pages say)
    #[arg(long, short, global = true, help_heading = "Global options", env = crate::env::QUIET, value_parser = clap::builder::FalseyValueParser::new())]
    pub quiet: bool,
    /// Assume yes for confirmations (required for destructive commands without a TTY)
    #[arg(long, short = 'y', global = true, help_heading = "Global options", env = crate::env::YES, value_parser = clap::builder::FalseyValueParser::new())]
    pub yes: bool,
    /// Never prompt; fail instead when a value or confirmation is missing
    #[arg(long, global = true, help_heading = "Global options", env = crate::env::NO_INPUT, value_parser = clap::builder::FalseyValueParser::new())]
    pub no_input: bool,
}

/// Where `--format` and `--json` got their values: the command line beats the environment.
#[derive(Debug, Clone, Copy, Default)]
pub struct FormatSources {
    pub format_from_flag: bool,
    pub json_from_flag: bool,
}

impl FormatSources {
    pub fn of(matches: &clap::ArgMatches) -> FormatSources {
        // Global flags may be given after the subcommand: look at every level.
        let from_flag = |id: &str| {
            let mut cur = matches;
            loop {
                if cur.value_source(id) == Some(clap::parser::ValueSource::CommandLine) {
                    return true;
                }
                match cur.subcommand() {
                    Some((_, sub)) => cur = sub,
                    None => return false,
                }
            }
        };
        FormatSources {
            format_from_flag: from_flag("format"),
            json_from_flag: from_flag("json"),
        }
    }
}

impl GlobalArgs {
    /// Settles `format`/`json`: an explicit flag beats SMSCTL_FORMAT / SMSCTL_JSON.
    pub fn resolve_format(&mut self, sources: FormatSources) {
        let format = if self.json && sources.json_from_flag {
            Format::Json
        } else if sources.format_from_flag {
            self.format
        } else if self.json {
            Format::Json
        } else {
            self.format
        };
        self.format = format;
        self.json = format == Format::Json;
    }
}

// Parsed once per process: the size of the largest variant does not matter.
#[allow(clippy::large_enum_variant)]
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
        after_help = "Examples:\n  smsctl text 'Hello “world”' --autoconvert full\n  smsctl text --compare 'Café — déjà vu…'\n  smsctl text --key ci --text-file message.txt --json\n  echo 'Hi 😀' | smsctl text -"
    )]
    Text(TextArgs),
    /// List what `send` (and the gateway) recorded
    #[command(
        after_help = "Examples:\n  smsctl messages --key ci --limit 5\n  smsctl messages --since 1h --status refused --wide\n  smsctl messages --to +37255512345 --json | jq '.[0].omnimessage_id'\n  smsctl messages show 12\n\n--quiet prints the omnimessage id of each message, one per line."
    )]
    Messages(MessagesArgs),
    /// Show the audit trail, or check that it has not been tampered with
    Audit(AuditArgs),
    /// Run a local Omnimessage-compatible API that enforces this store's keys
    #[command(subcommand)]
    Gateway(GatewayCommand),
    /// The provider account credential that `gateway serve --upstream` (relay mode) forwards with
    #[command(
        subcommand,
        after_help = "Examples:\n  smsctl upstream set --username acct-api-user      # prompts for the password\n  smsctl upstream set --username acct-api-user < pw.txt\n  smsctl upstream show"
    )]
    Upstream(UpstreamCommand),
    /// Edit the account's replacement table (words allowed), used by autoconvert `on` for every
    /// key; a key's own entries (`key replace`) override it
    #[command(
        after_help = "Examples:\n  smsctl replace add '€' EUR\n  smsctl replace add 'naïve' naive\n  smsctl replace list --json\n  smsctl replace remove '€'"
    )]
    Replace(AccountReplaceArgs),
    /// Send a signed sample delivery report to a webhook, or check a report's signature
    #[command(subcommand)]
    Webhook(WebhookCommand),
    /// Copy the store to FILE while it stays in use (a SQLite file, from either backend), then check the copy
    #[command(after_help = "Examples:\n  smsctl backup /var/backups/smsctl-$(date +%F).db\n\n--quiet prints the backup file.")]
    Backup(BackupArgs),
    /// Move a whole store between backends (SQLite and PostgreSQL)
    #[command(subcommand)]
    Store(StoreCommand),
    /// Replace the store with a backup after checking its integrity (asks; --yes in scripts)
    #[command(
        after_help = "Examples:\n  smsctl restore /var/backups/smsctl-2026-11-01.db --yes\n\n--quiet prints where the replaced store was saved."
    )]
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
    #[command(after_help = "Examples:\n  smsctl paths\n  smsctl paths --json | jq -r .store\n\n--quiet prints the store path.")]
    Paths,
    /// Check the store, the audit trail, risky keys and the keyring; exit 1 listing each finding
    #[command(
        after_help = "Examples:\n  smsctl doctor\n  smsctl doctor --since 24h --max-addresses 2\n  smsctl doctor --json | jq '.findings[]'\n\n--quiet prints the findings alone, one per line (nothing when healthy)."
    )]
    Doctor(DoctorArgs),
    /// Messages and parts accepted per key and per secret, quotas, authentication failures
    #[command(
        after_help = "Examples:\n  smsctl usage\n  smsctl usage --key marketing --since 7d\n  smsctl usage --json | jq '.[] | {name, parts}'"
    )]
    Usage(UsageArgs),
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
    /// Only keys owned by this team (the policy's --owner)
    #[arg(long, value_name = "TEAM")]
    pub owner: Option<String>,
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
    #[arg(add = ArgValueCandidates::new(crate::complete::key_names), required_unless_present_any = ["name", "owner", "unused_for", "created_before", "expires_within"])]
    pub key: Option<String>,
    #[command(flatten)]
    pub select: KeySelectors,
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// Where to write the backup (must not exist)
    pub file: PathBuf,
}

#[derive(Debug, Subcommand)]
pub enum StoreCommand {
    /// Copy every key, secret, audit entry and message from SRC to DST, a new file or an
    /// empty PostgreSQL database, then verify the chain and the counts on DST
    #[command(
        after_help = "Examples:\n  smsctl store copy ~/.local/share/smsctl/smsctl.db postgres://smsctl@db.internal/smsctl?sslmode=verify-full\n  smsctl store copy \"$SMSCTL_DB\" ./smsctl-local.db\n\nPut the password in PGPASSWORD rather than in the URL: argv is visible to other users.\n--quiet prints nothing; --json prints the counts."
    )]
    Copy(StoreCopyArgs),
}

#[derive(Debug, Args)]
pub struct StoreCopyArgs {
    /// The store to copy: a file, or a postgres:// URL
    pub src: PathBuf,
    /// Where to copy it: a new file, or a postgres:// URL naming an empty database
    pub dst: PathBuf,
}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// A backup written by `smsctl backup`
    pub file: PathBuf,
    /// Also restore a backup from before keyed audit trails (schema 1), whose plain chain
    /// anyone could have recomputed after editing it
    #[arg(long)]
    pub allow_unkeyed: bool,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to generate completions for
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

const SEND_EXAMPLES: &str = "\
--quiet prints the omnimessage id, which `messages show` and GET /v1/omnimessage/{id}/status take.

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
    #[arg(long, visible_alias = "from", value_name = "S")]
    pub sender: Option<String>,
    /// Autoconvert mode for this message: off, on or full (beats the key's mode)
    #[arg(long, value_name = "MODE", value_parser = parse_autoconvert)]
    pub autoconvert: Option<crate::text::AutoConvert>,
    /// Delivery-report webhook for this message (beats the key's webhook)
    #[arg(long, value_name = "URL", conflicts_with = "no_dlr_url")]
    pub dlr_url: Option<String>,
    /// No delivery report for this message, even if the key has a webhook
    #[arg(long, alias = "no-dlr")]
    pub no_dlr_url: bool,
    /// Show what would be sent, which value won and why; send nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Fail (exit 1) unless the final text is GSM-7
    #[arg(long)]
    pub require_gsm7: bool,
    /// Fail (exit 1) if the message needs more than N parts
    #[arg(long, alias = "max-segments", value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub max_parts: Option<u32>,
    /// Read the key's secret from stdin
    #[arg(long)]
    pub secret_stdin: bool,
    /// API base URL (POST {api}/omnimessage)
    #[arg(long, env = crate::env::API_URL, value_name = "URL", default_value = crate::commands::send::DEFAULT_API_URL)]
    pub api_url: String,
    /// The request's Idempotency-Key [default: derived from the key and the exact request, so
    /// a retried run within 24 h is answered without sending twice; give a new value to send
    /// the same message again on purpose]
    #[arg(long, value_name = "KEY")]
    pub idempotency_key: Option<String>,
    /// Overall request timeout
    #[arg(long, value_name = "DUR", default_value = "15s")]
    pub timeout: String,
}

#[derive(Debug, Args)]
pub struct TextArgs {
    /// The text ('-' reads stdin)
    #[arg(conflicts_with = "text_file")]
    pub text: Option<String>,
    /// Read the text from a UTF-8 file
    #[arg(long, alias = "file", value_name = "FILE")]
    pub text_file: Option<PathBuf>,
    /// Autoconvert mode: off, on or full (default: the key's mode with --key, else on)
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
#[command(args_conflicts_with_subcommands = true)]
pub struct MessagesArgs {
    #[command(subcommand)]
    pub command: Option<MessagesCommand>,
    /// Only messages sent with this key (name or id)
    #[arg(long, add = ArgValueCandidates::new(crate::complete::key_names))]
    pub key: Option<String>,
    /// Only messages since a time: a duration ago (24h, 7d) or a date/RFC 3339 time
    #[arg(long, value_name = "DUR|DATE")]
    pub since: Option<String>,
    /// Only messages with this outcome: accepted (the API took it) or refused (an error)
    #[arg(long, value_enum)]
    pub status: Option<MessageStatus>,
    /// Only messages to this recipient (E.164; spaces and dashes are ignored)
    #[arg(long, value_name = "+E164")]
    pub to: Option<String>,
    /// At most this many messages (newest first)
    #[arg(long, default_value_t = 50)]
    pub limit: u32,
    /// Every column (ids, sender, encoding, webhook report), wider than 80 columns
    #[arg(long)]
    pub wide: bool,
}

/// The outcome `messages --status` filters on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum MessageStatus {
    /// The API accepted the message (HTTP 2xx).
    Accepted,
    /// The API refused it, or it never got an answer.
    Refused,
}

#[derive(Debug, Subcommand)]
pub enum MessagesCommand {
    /// One message in full: the record, its effective settings and its delivery history
    #[command(
        after_help = "Examples:\n  smsctl messages show 12\n  smsctl messages show 4be5e5a5-3120-45ca-9d22-5a39124fd939   # omnimessage id or message id\n  smsctl messages show \"$(smsctl send --key ci --to +37255512345 --text hi --quiet)\" --json\n\n--quiet prints the message's status (accepted or refused)."
    )]
    Show {
        /// The message's number (first column of `smsctl messages`), message id or omnimessage id
        id: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum KeyCommand {
    /// Create a key; its secret is shown once
    #[command(
        after_help = "Examples:\n  smsctl key create ci --sender ACME --allow-ip 203.0.113.7 --description 'GitHub Actions' --expires 90d\n  S=$(smsctl key create deploy --sender ACME --allow-ip 10.0.0.0/8 --quiet)\n  smsctl key create shop --sender SHOP --allow-ip 198.51.100.0/24 --secret-file shop.secret\n\nWithout --allow-ip the key refuses every address; without --sender, send needs --from.\n--quiet prints the secret alone (the key id with --save-secret or --secret-file)."
    )]
    Create(KeyCreateArgs),
    /// List keys (revoked keys only with --all); never shows secrets
    #[command(
        after_help = "Examples:\n  smsctl key list\n  smsctl key list --all --json | jq '.[] | select(.status == \"active\") | .name'\n  smsctl key list --unused-for 90d --name 'ci-*'\n\n--quiet prints the key names, one per line."
    )]
    List(KeyListArgs),
    /// Show one key: settings, secrets (last 4 characters only), usage
    #[command(after_help = "Examples:\n  smsctl key show ci\n  smsctl key show key_8f3k2m1x --json\n\n--quiet prints the key id.")]
    Show(KeyRef),
    /// Rename a key (names are unique, case-insensitively)
    #[command(after_help = "Example:\n  smsctl key rename ci ci-legacy")]
    Rename(KeyRenameArgs),
    /// Issue a new secret; the previous one stays valid until the grace period ends
    #[command(
        after_help = "Examples:\n  smsctl key rotate ci --secret-file ci.secret   # old secret valid for 24h; new one in a 0600 file\n  smsctl key rotate ci --grace 7d --retire-when-quiet 1h\n  smsctl key rollover ci                         # who still uses the old secret\n  smsctl key rotate ci --finish                  # old secret dead now, no new one\n  smsctl key rotate ci --grace 0                 # old secret dead now (asks on production keys)\n  smsctl key rotate ci --force                   # end an earlier grace now and rotate again\n\n--quiet prints the new secret alone (the key id with --save-secret, --secret-file or --finish)."
    )]
    Rotate(KeyRotateArgs),
    /// Show who still uses a key's previous secret during a rotation: addresses, last seen, count
    #[command(
        after_help = "Examples:\n  smsctl key rollover checkout\n  smsctl key rollover checkout --json | jq '.previous[].addresses'\n  smsctl key rollover checkout --json | jq -r '.previous[].last_used_at'\n\n--quiet prints the client addresses still on a previous secret, one per line."
    )]
    Rollover(KeyRef),
    /// Revoke a key, or every key a selector matches: every secret stops working at once; this is final
    #[command(
        after_help = "Examples:\n  smsctl key revoke ci                        # asks on a terminal\n  smsctl key revoke ci --yes                  # scripts\n  smsctl key revoke --unused-for 90d          # lists them, then asks for their number\n  smsctl key revoke --name 'tmp-*' --yes      # scripts\n\nOn a terminal you type the key's name (or, for a selection, the number of keys) to confirm;\n--quiet prints the revoked key ids."
    )]
    Revoke(KeyRevokeArgs),
    /// Remove keys revoked before a time from the store; their audit history stays
    #[command(
        after_help = "Examples:\n  smsctl key purge --revoked-before 90d --dry-run\n  smsctl key purge --revoked-before 90d --yes\n\n--quiet prints the purged key ids, one per line."
    )]
    Purge(KeyPurgeArgs),
    /// There is no `key delete`: see `key revoke` (and `key purge`)
    #[command(hide = true, alias = "rm")]
    Delete {
        /// Ignored: the command only explains what to use instead
        #[arg(num_args = 0.., allow_hyphen_values = true)]
        rest: Vec<String>,
    },
    /// Change a key's settings (sender, autoconvert, webhook, description, expiry)
    #[command(
        after_help = "Examples:\n  smsctl key set ci --sender ACME --autoconvert full\n  smsctl key set ci --dlr-url https://hooks.example.com/dlr\n  smsctl key set ci --no-sender --no-dlr-url --expires never"
    )]
    Set(KeySetArgs),
    /// Walk through a key's settings with prompts (terminal only; scripts use `key set`)
    #[command(after_help = "Example:\n  smsctl key edit ci      # prompts for sender, autoconvert, webhook, description")]
    Edit(KeyRef),
    /// Edit the key's own character table, used when autoconvert is `on`
    #[command(after_help = "Examples:\n  smsctl key replace ci add ç c\n  smsctl key replace ci add '€' EUR\n  smsctl key replace ci list")]
    Replace(KeyReplaceArgs),
    /// Edit the key's IP whitelist (an empty whitelist refuses every address)
    #[command(
        after_help = "Examples:\n  smsctl key whitelist ci add 203.0.113.7 10.0.0.0/8 2001:db8::/32\n  smsctl key whitelist ci test 10.1.2.3 ::1\n  smsctl key whitelist ci allow-all"
    )]
    Whitelist(KeyWhitelistArgs),
    /// Check a secret (SMSCTL_KEY_SECRET, else stdin, else the keyring with --key) as the API would; exit 0 if valid, 5 if not
    #[command(
        after_help = "Examples:\n  echo \"$SECRET\" | smsctl key verify\n  smsctl key verify --key ci --ip 203.0.113.7 --json < secret.txt\n  smsctl key verify --no-record < old-secret.txt     # changes nothing\n\nA recorded check (the default) sets the secret's last use; it never clears the last address.\n\n--quiet prints the reason code alone (ok, grace_ended, wrong_key, ...)."
    )]
    Verify(KeyVerifyArgs),
}

/// Settings accepted by both `key create` and `key set`.
#[derive(Debug, Args, Default)]
pub struct SettingsArgs {
    /// Default sender: alphanumeric (≤11 chars) or numeric (≤15 digits, optional +)
    #[arg(long, value_name = "S")]
    pub sender: Option<String>,
    /// Autoconvert mode: off, on (the account's replacement table, the key's own entries overriding it) or full (GSM-7 transliteration)
    #[arg(long, alias = "auto-replace", value_name = "MODE", value_parser = parse_autoconvert)]
    pub autoconvert: Option<crate::text::AutoConvert>,
    /// Delivery-report webhook: https URL (http only for localhost)
    #[arg(long, value_name = "URL")]
    pub dlr_url: Option<String>,
    /// Free-text description
    #[arg(long)]
    pub description: Option<String>,
    /// Expiry: a duration (90d), a date (2026-12-31), an RFC 3339 time, or `never`
    #[arg(long, value_name = "DUR|DATE")]
    pub expires: Option<String>,
    /// Mark as a production key (whitelisting private ranges then warns; needs --owner)
    #[arg(long)]
    pub production: bool,
    #[command(flatten)]
    pub policy: PolicyArgs,
}

/// Key policy options accepted by both `key create` and `key set` (see docs/policy.md).
#[derive(Debug, Args, Default)]
#[command(next_help_heading = "Policy")]
pub struct PolicyArgs {
    /// The team that owns the key (required on --production keys)
    #[arg(long, value_name = "TEAM")]
    pub owner: Option<String>,
    /// The API operations the key may use, comma-separated [default: all]
    #[arg(long, value_name = "send,bulk,schedule,status", value_delimiter = ',', value_parser = parse_scope)]
    pub scope: Vec<crate::policy::Scope>,
    /// The only senders the key may use (repeatable; replaces the list); its default sender must be one
    #[arg(long = "allow-sender", value_name = "S")]
    pub allow_sender: Vec<String>,
    /// Allow only destinations starting with this E.164 prefix (repeatable; replaces the list)
    #[arg(long = "allow-to", value_name = "PREFIX")]
    pub allow_to: Vec<String>,
    /// Refuse destinations starting with this E.164 prefix, even if allowed (repeatable; replaces the list)
    #[arg(long = "deny-to", value_name = "PREFIX")]
    pub deny_to: Vec<String>,
    /// The most parts one message may take
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=255))]
    pub max_parts: Option<u32>,
    /// Request rate, a token bucket: N/s or N/min, burst N unless given (5/s,burst=20)
    #[arg(long, value_name = "N/s|N/min")]
    pub rate: Option<String>,
    /// Message parts per UTC calendar day or month: N/day or N/month
    #[arg(long, value_name = "N/day|N/month")]
    pub quota: Option<String>,
    /// What the key's messages are: marketing, transactional, alerts, otp or internal
    #[arg(long, value_name = "PURPOSE", value_parser = parse_purpose)]
    pub purpose: Option<crate::policy::Purpose>,
    /// Refuse sends outside these local hours, e.g. 08:00-21:00@Europe/Tallinn
    #[arg(long, value_name = "HH:MM-HH:MM@ZONE")]
    pub send_window: Option<String>,
    /// A canary: must never be used; any attempt gets a 401, an audit row and a doctor finding
    #[arg(long)]
    pub canary: bool,
    /// Where the gateway POSTs a canary trip (https URL; http only for localhost)
    #[arg(long, value_name = "URL")]
    pub alert_url: Option<String>,
}

/// `key set` options that clear a policy setting.
#[derive(Debug, Args, Default)]
#[command(next_help_heading = "Policy")]
pub struct PolicyClearArgs {
    /// Remove the owner (not allowed on production keys)
    #[arg(long, conflicts_with = "owner")]
    pub no_owner: bool,
    /// Allow every operation again
    #[arg(long, conflicts_with = "scope")]
    pub all_scopes: bool,
    /// Allow any sender again
    #[arg(long, conflicts_with = "allow_sender")]
    pub no_allow_sender: bool,
    /// Allow any destination again (the deny list still applies)
    #[arg(long, conflicts_with = "allow_to")]
    pub no_allow_to: bool,
    /// Remove every denied prefix
    #[arg(long, conflicts_with = "deny_to")]
    pub no_deny_to: bool,
    /// No limit on parts per message
    #[arg(long, conflicts_with = "max_parts")]
    pub no_max_parts: bool,
    /// No rate limit
    #[arg(long, conflicts_with = "rate")]
    pub no_rate: bool,
    /// No quota
    #[arg(long, conflicts_with = "quota")]
    pub no_quota: bool,
    /// Remove the purpose
    #[arg(long, conflicts_with = "purpose")]
    pub no_purpose: bool,
    /// Send at any hour
    #[arg(long, conflicts_with = "send_window")]
    pub no_send_window: bool,
    /// No longer a canary
    #[arg(long, conflicts_with = "canary")]
    pub no_canary: bool,
    /// Remove the canary alert URL
    #[arg(long, conflicts_with = "alert_url")]
    pub no_alert_url: bool,
}

pub fn parse_scope(s: &str) -> Result<crate::policy::Scope, String> {
    s.parse()
}

pub fn parse_purpose(s: &str) -> Result<crate::policy::Purpose, String> {
    s.parse()
}

/// A delay such as `30s`, `2m` or `0` (at most a day).
fn parse_delay(s: &str) -> Result<Millis, String> {
    match crate::time::parse_duration(s) {
        Ok(ms) if ms <= Millis::days(1) => Ok(ms),
        Ok(_) => Err("at most 1d".into()),
        Err(e) => Err(format!("{} (e.g. 30s, 2m)", e.message)),
    }
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
    /// Unset the autoconvert mode (the built-in default, on, applies)
    #[arg(long, alias = "no-auto-replace", conflicts_with = "autoconvert")]
    pub no_autoconvert: bool,
    /// Remove the description
    #[arg(long, conflicts_with = "description")]
    pub no_description: bool,
    /// Mark as not a production key
    #[arg(long, conflicts_with = "production")]
    pub no_production: bool,
    #[command(flatten)]
    pub clear: PolicyClearArgs,
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
pub struct AccountReplaceArgs {
    #[command(subcommand)]
    pub action: AccountReplaceAction,
}

#[derive(Debug, Subcommand)]
pub enum AccountReplaceAction {
    /// Map a character or a word (1-32 characters) to 0-32 GSM-7 characters
    Add {
        /// The character or word to replace (matched anywhere in the text; longest match first)
        from: String,
        /// Its replacement (0-32 GSM-7 characters; '' removes FROM)
        to: String,
    },
    /// Remove one entry
    Remove {
        /// The character or word whose entry to remove
        from: String,
    },
    /// Show the table
    List,
    /// Remove every entry
    Clear,
}

#[derive(Debug, Subcommand)]
pub enum WebhookCommand {
    /// POST a signed sample delivery report (a flat DELIVRD report) to URL, as the gateway would
    #[command(
        after_help = "The body is signed with X-Messente-Signature: HMAC-SHA256 keyed with the key's secret, over the\nraw body, lowercase hex. The secret comes from --secret-stdin, SMSCTL_KEY_SECRET or the keyring.\n\nExamples:\n  smsctl webhook test http://127.0.0.1:9000/dlr --key ci\n  smsctl webhook test https://hooks.example.com/dlr --key ci --status FAILED --json"
    )]
    Test(WebhookTestArgs),
    /// Read a report body on stdin and say whether SIGNATURE is its signature for the key
    #[command(
        after_help = "Exit 0 when the signature matches, 5 when it does not. The secret comes from SMSCTL_KEY_SECRET\nor the keyring (stdin carries the body).\n\nExamples:\n  printf %s \"$BODY\" | smsctl webhook verify --key ci --signature \"$SIG\""
    )]
    Verify(WebhookVerifyArgs),
}

#[derive(Debug, Args)]
pub struct WebhookTestArgs {
    /// The webhook: https://, or http:// to loopback
    pub url: String,
    /// Key name or key id whose secret signs the report
    #[arg(long, add = ArgValueCandidates::new(crate::complete::key_names))]
    pub key: String,
    /// The status to report
    #[arg(long, default_value = "DELIVRD", value_parser = ["ACK", "DELIVRD", "UNDELIV", "FAILED", "REJECTD", "EXPIRED", "DELETED"])]
    pub status: String,
    /// Read the secret from stdin
    #[arg(long)]
    pub secret_stdin: bool,
}

#[derive(Debug, Args)]
pub struct WebhookVerifyArgs {
    /// Key name or key id whose secret should have signed the body
    #[arg(long, add = ArgValueCandidates::new(crate::complete::key_names))]
    pub key: String,
    /// The X-Messente-Signature value (hex)
    #[arg(long, value_name = "SIG")]
    pub signature: String,
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
        /// Addresses (203.0.113.7, 2001:db8::1) or CIDR ranges (10.0.0.0/8); '-' alone reads them from stdin
        #[arg(required = true, value_name = "IP|CIDR")]
        entries: Vec<String>,
    },
    /// Remove entries ('-' reads them from stdin)
    Remove {
        /// Entries exactly as listed by `whitelist KEY list`; '-' alone reads them from stdin
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
        /// Client addresses to check (IPv4 or IPv6)
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
    /// Change nothing: do not record the check as a use of the secret
    #[arg(long)]
    pub no_record: bool,
    /// Read the secret from stdin even when SMSCTL_KEY_SECRET is set
    #[arg(long)]
    pub secret_stdin: bool,
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
    #[arg(long, conflicts_with = "secret_file")]
    pub save_secret: bool,
    /// Write the secret to PATH, a new 0600 file (never an existing path or a link), instead of printing it
    #[arg(long, value_name = "PATH")]
    pub secret_file: Option<PathBuf>,
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
pub struct UsageArgs {
    /// Only this key (name or id)
    #[arg(long, add = ArgValueCandidates::new(crate::complete::key_names))]
    pub key: Option<String>,
    /// Only usage since a time: a duration ago (24h, 7d) or a date/RFC 3339 time; counts are
    /// kept per UTC day, so this starts at the beginning of that day [default: everything]
    #[arg(long, value_name = "DUR|DATE")]
    pub since: Option<String>,
}

#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// Authentication failures, canary trips and client addresses count from this long ago
    #[arg(long, value_name = "DUR", default_value = "7d")]
    pub since: String,
    /// A key sending from more distinct client addresses than this is reported as possibly shared
    #[arg(long, value_name = "N", default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..))]
    pub max_addresses: u32,
}

#[derive(Debug, Args)]
pub struct KeyPurgeArgs {
    /// Purge keys revoked before this: a duration ago (90d) or a date/RFC 3339 time
    #[arg(long, value_name = "DUR|DATE", required = true)]
    pub revoked_before: String,
    /// List what would be purged; change nothing
    #[arg(long)]
    pub dry_run: bool,
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
    /// How long the previous secret stays valid (0 = not at all) [default: 24h]
    #[arg(long, value_name = "DUR")]
    pub grace: Option<String>,
    /// Retire the previous secret by itself once it has gone unused for DUR (still at most --grace)
    #[arg(long, value_name = "DUR")]
    pub retire_when_quiet: Option<String>,
    /// Rotate even while an older secret is in grace (that grace ends now)
    #[arg(long)]
    pub force: bool,
    /// Issue no new secret: end the grace of the previous secret now (see `key rollover` first)
    #[arg(long, conflicts_with_all = ["grace", "retire_when_quiet", "force", "save_secret", "secret_file"])]
    pub finish: bool,
    /// Save the new secret in the OS keyring (replacing the old entry) instead of printing it
    #[arg(long, conflicts_with = "secret_file")]
    pub save_secret: bool,
    /// Write the new secret to PATH, a new 0600 file (never an existing path or a link), instead of printing it
    #[arg(long, value_name = "PATH")]
    pub secret_file: Option<PathBuf>,
}

#[derive(Debug, Args)]
#[command(
    args_conflicts_with_subcommands = true,
    after_help = "Examples:\n  smsctl audit --key ci --since 7d\n  smsctl audit --action key.rotate --actor alice   # filters combine (AND)\n  smsctl audit export --since 30d > audit.jsonl\n  smsctl audit verify"
)]
pub struct AuditArgs {
    #[command(subcommand)]
    pub command: Option<AuditCommand>,
    #[command(flatten)]
    pub filter: AuditFilterArgs,
}

/// Which audit entries to show or export; every filter given must match.
#[derive(Debug, Args, Default)]
pub struct AuditFilterArgs {
    /// Only entries about this key (name, or key id, also of a purged key)
    #[arg(long, add = ArgValueCandidates::new(crate::complete::key_names))]
    pub key: Option<String>,
    /// Only entries since a time: a duration ago (24h, 7d) or a date/RFC 3339 time
    #[arg(long, value_name = "DUR|DATE")]
    pub since: Option<String>,
    /// Only this action, e.g. key.rotate; a trailing * matches a prefix (key.*)
    #[arg(long, value_name = "ACTION")]
    pub action: Option<String>,
    /// Only entries by this actor (SMSCTL_ACTOR or the OS user that made the change)
    #[arg(long, value_name = "NAME")]
    pub actor: Option<String>,
    /// At most this many entries (the newest)
    #[arg(long, value_name = "N")]
    pub limit: Option<u32>,
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Recompute the hash chain; exit 1 naming the first bad row if the trail was altered
    Verify(AuditVerifyArgs),
    /// Write the (filtered) trail to stdout as JSON lines, oldest first, one entry per line
    #[command(
        after_help = "Examples:\n  smsctl audit export > audit.jsonl\n  smsctl audit export --key ci --action 'key.*' | jq -c '{at, action}'"
    )]
    Export(AuditFilterArgs),
}

const GATEWAY_SERVE_HELP: &str = concat!(
    "Fault injection: the recipient chooses the reported outcome (UK drama numbers, never real):\n",
    "  +447700900001  ACK, then UNDELIV, err 1 (Delivery failure)\n",
    "  +447700900002  ACK, then FAILED, err 9 (Unroutable)\n",
    "  +447700900003  REJECTD, err 7 (Sender name not allowed), no ACK\n",
    "  +447700900004  ACK, then EXPIRED, err 2, when the message's validity runs out (10 s if none)\n",
    "  +447700900005  ACK, then DELIVRD after --slow-delivery (default 30 s)\n",
    "  +447700900006  ACK, then DELIVRD twice (for testing idempotent receivers)\n",
    "  anything else  ACK, then DELIVRD, err 0\n",
    "A message whose final status would come after its validity (validity/ttl) ends EXPIRED, err 2.\n",
    "\n",
    "Examples:\n",
    "  smsctl gateway serve                          # http://127.0.0.1:8700/v1, smsctl send's default\n",
    "  smsctl gateway serve --listen 127.0.0.1:0 --ready-file gw.url &   # any free port\n",
    "  export SMSCTL_API_URL=$(cat gw.url)          # once the file exists\n",
    "  smsctl gateway serve --listen '[::1]:8700' --dlr-retries 5 --slow-delivery 5s\n",
    "\n",
    "--quiet turns off the per-request log lines."
);

#[derive(Debug, Subcommand)]
pub enum GatewayCommand {
    /// Serve POST /v1/omnimessage and friends until SIGINT/SIGTERM (then drain and exit 0)
    #[command(after_help = GATEWAY_SERVE_HELP)]
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
    /// How long +447700900005 (the slow-delivery recipient) waits between ACK and DELIVRD
    #[arg(long, value_name = "DUR", default_value = "30s", value_parser = parse_delay)]
    pub slow_delivery: Millis,
    /// Most simultaneous client connections; over it the one idle the longest is closed (503 when none is idle)
    #[arg(long, value_name = "N", default_value_t = 16_384, value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    pub max_connections: u64,
    /// Most simultaneous connections from one client address, with the same rule
    #[arg(long, value_name = "N", default_value_t = 12_000, value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    pub max_connections_per_ip: u64,
    /// On SIGINT/SIGTERM, how long to wait for open requests and due reports (the rest stays queued)
    #[arg(long, value_name = "DUR", default_value = "30s", value_parser = parse_delay)]
    pub drain_timeout: Millis,
    /// On a non-loopback --listen, still deliver reports to loopback, private and link-local webhooks
    #[arg(long)]
    pub allow_internal_webhooks: bool,
    /// Once serving, write the API base URL (http://HOST:PORT/v1) to PATH, a new file; removed on exit
    #[arg(long, value_name = "PATH")]
    pub ready_file: Option<PathBuf>,
    /// Relay mode: forward accepted messages to this Omnimessage API (https; http only to
    /// loopback) with the credential from `smsctl upstream set` or SMSCTL_UPSTREAM_*
    #[arg(long, value_name = "URL", env = crate::env::UPSTREAM)]
    pub upstream: Option<String>,
    /// Relay mode: the URL the upstream reaches this gateway at (its reports go to
    /// URL/relay/dlr) [default: the listen address, on loopback]
    #[arg(long, value_name = "URL", requires = "upstream")]
    pub public_url: Option<String>,
    /// Relay mode: how long one upstream call may take
    #[arg(long, value_name = "DUR", default_value = "10s", value_parser = parse_delay, requires = "upstream")]
    pub upstream_timeout: Millis,
    /// Relay mode: consecutive upstream failures that open the circuit breaker
    #[arg(long, value_name = "N", default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=1000), requires = "upstream")]
    pub breaker_threshold: u32,
    /// Relay mode: how long the open breaker refuses (503) before one trial request
    #[arg(long, value_name = "DUR", default_value = "30s", value_parser = parse_delay, requires = "upstream")]
    pub breaker_cooldown: Millis,
}

#[derive(Debug, Subcommand)]
pub enum UpstreamCommand {
    /// Save the provider account's credential in the OS keyring (password prompted, or read
    /// from stdin; never an argument)
    Set(UpstreamSetArgs),
    /// Show which upstream credential relay mode would use (the username and where it is from)
    Show,
    /// Remove the saved credential from the OS keyring
    Delete,
}

#[derive(Debug, Args)]
pub struct UpstreamSetArgs {
    /// The account's API username
    #[arg(long, value_name = "USER")]
    pub username: String,
}
