
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'smsctl' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'smsctl'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'smsctl' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Shorthand for --format json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead when a value or confirmation is missing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('key', 'key', [CompletionResultType]::ParameterValue, 'Create, inspect, configure, rotate and revoke API keys')
            [CompletionResult]::new('send', 'send', [CompletionResultType]::ParameterValue, 'Send a test SMS with a key; flags override the key''s settings (see --dry-run)')
            [CompletionResult]::new('text', 'text', [CompletionResultType]::ParameterValue, 'Analyse a message: encoding, units, parts, replacements; what send would do to it')
            [CompletionResult]::new('messages', 'messages', [CompletionResultType]::ParameterValue, 'List what `send` (and the gateway) recorded')
            [CompletionResult]::new('audit', 'audit', [CompletionResultType]::ParameterValue, 'Show the audit trail, or check that it has not been tampered with')
            [CompletionResult]::new('gateway', 'gateway', [CompletionResultType]::ParameterValue, 'Run a local Omnimessage-compatible API that enforces this store''s keys')
            [CompletionResult]::new('upstream', 'upstream', [CompletionResultType]::ParameterValue, 'The provider account credential that `gateway serve --upstream` (relay mode) forwards with')
            [CompletionResult]::new('replace', 'replace', [CompletionResultType]::ParameterValue, 'Edit the account''s replacement table (words allowed), used by autoconvert `on` for every key; a key''s own entries (`key replace`) override it')
            [CompletionResult]::new('webhook', 'webhook', [CompletionResultType]::ParameterValue, 'Send a signed sample delivery report to a webhook, or check a report''s signature')
            [CompletionResult]::new('backup', 'backup', [CompletionResultType]::ParameterValue, 'Copy the store to FILE while it stays in use (a SQLite file, from either backend), then check the copy')
            [CompletionResult]::new('store', 'store', [CompletionResultType]::ParameterValue, 'Move a whole store between backends (SQLite and PostgreSQL)')
            [CompletionResult]::new('restore', 'restore', [CompletionResultType]::ParameterValue, 'Replace the store with a backup after checking its integrity (asks; --yes in scripts)')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Write every live key''s configuration as a key file (TOML; never a secret or a hash)')
            [CompletionResult]::new('plan', 'plan', [CompletionResultType]::ParameterValue, 'Compare a key file with the store: what `apply` would create, update, revoke')
            [CompletionResult]::new('apply', 'apply', [CompletionResultType]::ParameterValue, 'Carry out a key file''s plan in one transaction (asks on a terminal; --yes in scripts)')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script (bash, zsh, fish, powershell, elvish)')
            [CompletionResult]::new('paths', 'paths', [CompletionResultType]::ParameterValue, 'Show where smsctl keeps its store and secrets')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check the store, the audit trail, risky keys and the keyring; exit 1 listing each finding')
            [CompletionResult]::new('usage', 'usage', [CompletionResultType]::ParameterValue, 'Messages and parts accepted per key and per secret, quotas, authentication failures')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'smsctl;key' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Shorthand for --format json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead when a value or confirmation is missing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a key; its secret is shown once')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List keys (revoked keys only with --all); never shows secrets')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one key: settings, secrets (last 4 characters only), usage')
            [CompletionResult]::new('rename', 'rename', [CompletionResultType]::ParameterValue, 'Rename a key (names are unique, case-insensitively)')
            [CompletionResult]::new('rotate', 'rotate', [CompletionResultType]::ParameterValue, 'Issue a new secret; the previous one stays valid until the grace period ends')
            [CompletionResult]::new('rollover', 'rollover', [CompletionResultType]::ParameterValue, 'Show who still uses a key''s previous secret during a rotation: addresses, last seen, count')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Revoke a key, or every key a selector matches: every secret stops working at once; this is final')
            [CompletionResult]::new('purge', 'purge', [CompletionResultType]::ParameterValue, 'Remove keys revoked before a time from the store; their audit history stays')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'There is no `key delete`: see `key revoke` (and `key purge`)')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Change a key''s settings (sender, autoconvert, webhook, description, expiry)')
            [CompletionResult]::new('edit', 'edit', [CompletionResultType]::ParameterValue, 'Walk through a key''s settings with prompts (terminal only; scripts use `key set`)')
            [CompletionResult]::new('replace', 'replace', [CompletionResultType]::ParameterValue, 'Edit the key''s own character table, used when autoconvert is `on`')
            [CompletionResult]::new('whitelist', 'whitelist', [CompletionResultType]::ParameterValue, 'Edit the key''s IP whitelist (an empty whitelist refuses every address)')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check a secret (SMSCTL_KEY_SECRET, else stdin, else the keyring with --key) as the API would; exit 0 if valid, 5 if not')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'smsctl;key;create' {
            [CompletionResult]::new('--sender', '--sender', [CompletionResultType]::ParameterName, 'Default sender: alphanumeric (≤11 chars) or numeric (≤15 digits, optional +)')
            [CompletionResult]::new('--autoconvert', '--autoconvert', [CompletionResultType]::ParameterName, 'Autoconvert mode: off, on (the account''s replacement table, the key''s own entries overriding it) or full (GSM-7 transliteration)')
            [CompletionResult]::new('--dlr-url', '--dlr-url', [CompletionResultType]::ParameterName, 'Delivery-report webhook: https URL (http only for localhost)')
            [CompletionResult]::new('--description', '--description', [CompletionResultType]::ParameterName, 'Free-text description')
            [CompletionResult]::new('--expires', '--expires', [CompletionResultType]::ParameterName, 'Expiry: a duration (90d), a date (2026-12-31), an RFC 3339 time, or `never`')
            [CompletionResult]::new('--owner', '--owner', [CompletionResultType]::ParameterName, 'The team that owns the key (required on --production keys)')
            [CompletionResult]::new('--scope', '--scope', [CompletionResultType]::ParameterName, 'The API operations the key may use, comma-separated [default: all]')
            [CompletionResult]::new('--allow-sender', '--allow-sender', [CompletionResultType]::ParameterName, 'The only senders the key may use (repeatable; replaces the list); its default sender must be one')
            [CompletionResult]::new('--allow-to', '--allow-to', [CompletionResultType]::ParameterName, 'Allow only destinations starting with this E.164 prefix (repeatable; replaces the list)')
            [CompletionResult]::new('--deny-to', '--deny-to', [CompletionResultType]::ParameterName, 'Refuse destinations starting with this E.164 prefix, even if allowed (repeatable; replaces the list)')
            [CompletionResult]::new('--max-parts', '--max-parts', [CompletionResultType]::ParameterName, 'The most parts one message may take')
            [CompletionResult]::new('--rate', '--rate', [CompletionResultType]::ParameterName, 'Request rate, a token bucket: N/s or N/min, burst N unless given (5/s,burst=20)')
            [CompletionResult]::new('--quota', '--quota', [CompletionResultType]::ParameterName, 'Message parts per UTC calendar day or month: N/day or N/month')
            [CompletionResult]::new('--purpose', '--purpose', [CompletionResultType]::ParameterName, 'What the key''s messages are: marketing, transactional, alerts, otp or internal')
            [CompletionResult]::new('--send-window', '--send-window', [CompletionResultType]::ParameterName, 'Refuse sends outside these local hours, e.g. 08:00-21:00@Europe/Tallinn')
            [CompletionResult]::new('--alert-url', '--alert-url', [CompletionResultType]::ParameterName, 'Where the gateway POSTs a canary trip (https URL; http only for localhost)')
            [CompletionResult]::new('--replace', '--replace', [CompletionResultType]::ParameterName, 'Add a character mapping for `on` mode (repeatable), e.g. --replace ç=c')
            [CompletionResult]::new('--allow-ip', '--allow-ip', [CompletionResultType]::ParameterName, 'Whitelist an address or CIDR range (repeatable); without any, every address is refused')
            [CompletionResult]::new('--secret-file', '--secret-file', [CompletionResultType]::ParameterName, 'Write the secret to PATH, a new 0600 file (never an existing path or a link), instead of printing it')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--production', '--production', [CompletionResultType]::ParameterName, 'Mark as a production key (whitelisting private ranges then warns; needs --owner)')
            [CompletionResult]::new('--canary', '--canary', [CompletionResultType]::ParameterName, 'A canary: must never be used; any attempt gets a 401, an audit row and a doctor finding')
            [CompletionResult]::new('--save-secret', '--save-secret', [CompletionResultType]::ParameterName, 'Save the secret in the OS keyring (service smsctl, account = key id) instead of printing it')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Shorthand for --format json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead when a value or confirmation is missing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'smsctl;key;list' {
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Only keys whose name matches GLOB (''*'' any characters, ''?'' one; case-insensitive)')
            [CompletionResult]::new('--owner', '--owner', [CompletionResultType]::ParameterName, 'Only keys owned by this team (the policy''s --owner)')
            [CompletionResult]::new('--unused-for', '--unused-for', [CompletionResultType]::ParameterName, 'Only keys not used for DUR (a never-used key counts from its creation), e.g. 90d')
            [CompletionResult]::new('--created-before', '--created-before', [CompletionResultType]::ParameterName, 'Only keys created before T: a duration ago (30d), a date (2026-01-01) or an RFC 3339 time')
            [CompletionResult]::new('--expires-within', '--expires-within', [CompletionResultType]::ParameterName, 'Only keys that expire within DUR (already expired ones included), e.g. 14d')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Include revoked keys')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Shorthand for --format json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead when a value or confirmation is missing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'smsctl;key;show' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Shorthand for --format json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead when a value or confirmation is missing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'smsctl;key;rename' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Shorthand for --format json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead when a value or confirmation is missing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'smsctl;key;rotate' {
            [CompletionResult]::new('--grace', '--grace', [CompletionResultType]::ParameterName, 'How long the previous secret stays valid (0 = not at all) [default: 24h]')
            [CompletionResult]::new('--retire-when-quiet', '--retire-when-quiet', [CompletionResultType]::ParameterName, 'Retire the previous secret by itself once it has gone unused for DUR (still at most --grace)')
            [CompletionResult]::new('--secret-file', '--secret-file', [CompletionResultType]::ParameterName, 'Write the new secret to PATH, a new 0600 file (never an existing path or a link), instead of printing it')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Rotate even while an older secret is in grace (that grace ends now)')
            [CompletionResult]::new('--finish', '--finish', [CompletionResultType]::ParameterName, 'Issue no new secret: end the grace of the previous secret now (see `key rollover` first)')
            [CompletionResult]::new('--save-secret', '--save-secret', [CompletionResultType]::ParameterName, 'Save the new secret in the OS keyring (replacing the old entry) instead of printing it')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Shorthand for --format json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead when a value or confirmation is missing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'smsctl;key;rollover' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Shorthand for --format json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead when a value or confirmation is missing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'smsctl;key;revoke' {
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Only keys whose name matches GLOB (''*'' any characters, ''?'' one; case-insensitive)')
            [CompletionResult]::new('--owner', '--owner', [CompletionResultType]::ParameterName, 'Only keys owned by this team (the policy''s --owner)')
            [CompletionResult]::new('--unused-for', '--unused-for', [CompletionResultType]::ParameterName, 'Only keys not used for DUR (a never-used key counts from its creation), e.g. 90d')
            [CompletionResult]::new('--created-before', '--created-before', [CompletionResultType]::ParameterName, 'Only keys created before T: a duration ago (30d), a date (2026-01-01) or an RFC 3339 time')
            [CompletionResult]::new('--expires-within', '--expires-within', [CompletionResultType]::ParameterName, 'Only keys that expire within DUR (already expired ones included), e.g. 14d')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Shorthand for --format json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead when a value or confirmation is missing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'smsctl;key;purge' {
            [CompletionResult]::new('--revoked-before', '--revoked-before', [CompletionResultType]::ParameterName, 'Purge keys revoked before this: a duration ago (90d) or a date/RFC 3339 time')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'List what would be purged; change nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Shorthand for --format json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead when a value or confirmation is missing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'smsctl;key;delete' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Shorthand for --format json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead when a value or confirmation is missing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'smsctl;key;set' {
            [CompletionResult]::new('--sender', '--sender', [CompletionResultType]::ParameterName, 'Default sender: alphanumeric (≤11 chars) or numeric (≤15 digits, optional +)')
            [CompletionResult]::new('--autoconvert', '--autoconvert', [CompletionResultType]::ParameterName, 'Autoconvert mode: off, on (the account''s replacement table, the key''s own entries overriding it) or full (GSM-7 transliteration)')
            [CompletionResult]::new('--dlr-url', '--dlr-url', [CompletionResultType]::ParameterName, 'Delivery-report webhook: https URL (http only for localhost)')
            [CompletionResult]::new('--description', '--description', [CompletionResultType]::ParameterName, 'Free-text description')
            [CompletionResult]::new('--expires', '--expires', [CompletionResultType]::ParameterName, 'Expiry: a duration (90d), a date (2026-12-31), an RFC 3339 time, or `never`')
            [CompletionResult]::new('--owner', '--owner', [CompletionResultType]::ParameterName, 'The team that owns the key (required on --production keys)')
            [CompletionResult]::new('--scope', '--scope', [CompletionResultType]::ParameterName, 'The API operations the key may use, comma-separated [default: all]')
            [CompletionResult]::new('--allow-sender', '--allow-sender', [CompletionResultType]::ParameterName, 'The only senders the key may use (repeatable; replaces the list); its default sender must be one')
            [CompletionResult]::new('--allow-to', '--allow-to', [CompletionResultType]::ParameterName, 'Allow only destinations starting with this E.164 prefix (repeatable; replaces the list)')
            [CompletionResult]::new('--deny-to', '--deny-to', [CompletionResultType]::ParameterName, 'Refuse destinations starting with this E.164 prefix, even if allowed (repeatable; replaces the list)')
            [CompletionResult]::new('--max-parts', '--max-parts', [CompletionResultType]::ParameterName, 'The most parts one message may take')
            [CompletionResult]::new('--rate', '--rate', [CompletionResultType]::ParameterName, 'Request rate, a token bucket: N/s or N/min, burst N unless given (5/s,burst=20)')
            [CompletionResult]::new('--quota', '--quota', [CompletionResultType]::ParameterName, 'Message parts per UTC calendar day or month: N/day or N/month')
            [CompletionResult]::new('--purpose', '--purpose', [CompletionResultType]::ParameterName, 'What the key''s messages are: marketing, transactional, alerts, otp or internal')
            [CompletionResult]::new('--send-window', '--send-window', [CompletionResultType]::ParameterName, 'Refuse sends outside these local hours, e.g. 08:00-21:00@Europe/Tallinn')
            [CompletionResult]::new('--alert-url', '--alert-url', [CompletionResultType]::ParameterName, 'Where the gateway POSTs a canary trip (https URL; http only for localhost)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--production', '--production', [CompletionResultType]::ParameterName, 'Mark as a production key (whitelisting private ranges then warns; needs --owner)')
            [CompletionResult]::new('--canary', '--canary', [CompletionResultType]::ParameterName, 'A canary: must never be used; any attempt gets a 401, an audit row and a doctor finding')
            [CompletionResult]::new('--no-sender', '--no-sender', [CompletionResultType]::ParameterName, 'Remove the default sender (send then needs --from)')
            [CompletionResult]::new('--no-dlr-url', '--no-dlr-url', [CompletionResultType]::ParameterName, 'Remove the delivery-report webhook')
            [CompletionResult]::new('--no-autoconvert', '--no-autoconvert', [CompletionResultType]::ParameterName, 'Unset the autoconvert mode (the built-in default, on, applies)')
            [CompletionResult]::new('--no-description', '--no-description', [CompletionResultType]::ParameterName, 'Remove the description')
            [CompletionResult]::new('--no-production', '--no-production', [CompletionResultType]::ParameterName, 'Mark as not a production key')
            [CompletionResult]::new('--no-owner', '--no-owner', [CompletionResultType]::ParameterName, 'Remove the owner (not allowed on production keys)')
            [CompletionResult]::new('--all-scopes', '--all-scopes', [CompletionResultType]::ParameterName, 'Allow every operation again')
            [CompletionResult]::new('--no-allow-sender', '--no-allow-sender', [CompletionResultType]::ParameterName, 'Allow any sender again')
            [CompletionResult]::new('--no-allow-to', '--no-allow-to', [CompletionResultType]::ParameterName, 'Allow any destination again (the deny list still applies)')
            [CompletionResult]::new('--no-deny-to', '--no-deny-to', [CompletionResultType]::ParameterName, 'Remove every denied prefix')
            [CompletionResult]::new('--no-max-parts', '--no-max-parts', [CompletionResultType]::ParameterName, 'No limit on parts per message')
            [CompletionResult]::new('--no-rate', '--no-rate', [CompletionResultType]::ParameterName, 'No rate limit')
            [CompletionResult]::new('--no-quota', '--no-quota', [CompletionResultType]::ParameterName, 'No quota')
            [CompletionResult]::new('--no-purpose', '--no-purpose', [CompletionResultType]::ParameterName, 'Remove the purpose')
            [CompletionResult]::new('--no-send-window', '--no-send-window', [CompletionResultType]::ParameterName, 'Send at any hour')
            [CompletionResult]::new('--no-canary', '--no-canary', [CompletionResultType]::ParameterName, 'No longer a canary')
            [CompletionResult]::new('--no-alert-url', '--no-alert-url', [CompletionResultType]::ParameterName, 'Remove the canary alert URL')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Shorthand for --format json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead when a value or confirmation is missing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'smsctl;key;edit' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Shorthand for --format json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead when a value or confirmation is missing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'smsctl;key;replace' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Shorthand for --format json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead when a value or confirmation is missing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Map one character to 0-4 GSM-7 characters')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove the mapping of one character')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Show the table')
            [CompletionResult]::new('clear', 'clear', [CompletionResultType]::ParameterValue, 'Remove every mapping')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'smsctl;key;replace;add' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Shorthand for --format json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead when a value or confirmation is missing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'smsctl;key;replace;remove' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Shorthand for --format json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead when a value or confirmation is missing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'smsctl;key;replace;list' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Shorthand for --format json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead when a value or confirmation is missing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'smsctl;key;replace;clear' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Shorthand for --format json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead when a value or confirmation is missing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'smsctl;key;replace;help' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Map one character to 0-4 GSM-7 characters')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove the mapping of one character')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Show the table')
            [CompletionResult]::new('clear', 'clear', [CompletionResultType]::ParameterValue, 'Remove every mapping')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'smsctl;key;replace;help;add' {
            break
        }
        'smsctl;key;replace;help;remove' {
            break
        }
        'smsctl;key;replace;help;list' {
            break
        }
        'smsctl;key;replace;help;clear' {
            break
        }
        'smsctl;key;replace;help;help' {
            break
        }
        'smsctl;key;whitelist' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Shorthand for --format json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead when a value or confirmation is missing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add addresses or CIDR ranges (all or nothing: one bad entry changes nothing); ''-'' reads them from stdin')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove entries (''-'' reads them from stdin)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Show the whitelist')
            [CompletionResult]::new('clear', 'clear', [CompletionResultType]::ParameterValue, 'Remove every entry (the key then refuses every address)')
            [CompletionResult]::new('allow-all', 'allow-all', [CompletionResultType]::ParameterValue, 'Allow every address: 0.0.0.0/0 and ::/0')
            [CompletionResult]::new('test', 'test', [CompletionResultType]::ParameterValue, 'Say, offline, whether each address would be allowed and by which entry')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'smsctl;key;whitelist;add' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Shorthand for --format json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead when a value or confirmation is missing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'smsctl;key;whitelist;remove' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Shorthand for --format json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead when a value or confirmation is missing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'smsctl;key;whitelist;list' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Shorthand for --format json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead when a value or confirmation is missing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'smsctl;key;whitelist;clear' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Shorthand for --format json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead when a value or confirmation is missing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'smsctl;key;whitelist;allow-all' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Shorthand for --format json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead when a value or confirmation is missing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'smsctl;key;whitelist;test' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Shorthand for --format json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead when a value or confirmation is missing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'smsctl;key;whitelist;help' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add addresses or CIDR ranges (all or nothing: one bad entry changes nothing); ''-'' reads them from stdin')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove entries (''-'' reads them from stdin)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Show the whitelist')
            [CompletionResult]::new('clear', 'clear', [CompletionResultType]::ParameterValue, 'Remove every entry (the key then refuses every address)')
            [CompletionResult]::new('allow-all', 'allow-all', [CompletionResultType]::ParameterValue, 'Allow every address: 0.0.0.0/0 and ::/0')
            [CompletionResult]::new('test', 'test', [CompletionResultType]::ParameterValue, 'Say, offline, whether each address would be allowed and by which entry')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'smsctl;key;whitelist;help;add' {
            break
        }
        'smsctl;key;whitelist;help;remove' {
            break
        }
        'smsctl;key;whitelist;help;list' {
            break
        }
        'smsctl;key;whitelist;help;clear' {
            break
        }
        'smsctl;key;whitelist;help;allow-all' {
            break
        }
        'smsctl;key;whitelist;help;test' {
            break
        }
        'smsctl;key;whitelist;help;help' {
            break
        }
        'smsctl;key;verify' {
            [CompletionResult]::new('--ip', '--ip', [CompletionResultType]::ParameterName, 'Also check this client address against the key''s whitelist')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'Check that the secret belongs to this key (and use its OS keyring entry as a source)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--no-record', '--no-record', [CompletionResultType]::ParameterName, 'Change nothing: do not record the check as a use of the secret')
            [CompletionResult]::new('--secret-stdin', '--secret-stdin', [CompletionResultType]::ParameterName, 'Read the secret from stdin even when SMSCTL_KEY_SECRET is set')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Shorthand for --format json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead when a value or confirmation is missing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'smsctl;key;help' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a key; its secret is shown once')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List keys (revoked keys only with --all); never shows secrets')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one key: settings, secrets (last 4 characters only), usage')
            [CompletionResult]::new('rename', 'rename', [CompletionResultType]::ParameterValue, 'Rename a key (names are unique, case-insensitively)')
            [CompletionResult]::new('rotate', 'rotate', [CompletionResultType]::ParameterValue, 'Issue a new secret; the previous one stays valid until the grace period ends')
            [CompletionResult]::new('rollover', 'rollover', [CompletionResultType]::ParameterValue, 'Show who still uses a key''s previous secret during a rotation: addresses, last seen, count')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Revoke a key, or every key a selector matches: every secret stops working at once; this is final')
            [CompletionResult]::new('purge', 'purge', [CompletionResultType]::ParameterValue, 'Remove keys revoked before a time from the store; their audit history stays')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'There is no `key delete`: see `key revoke` (and `key purge`)')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Change a key''s settings (sender, autoconvert, webhook, description, expiry)')
            [CompletionResult]::new('edit', 'edit', [CompletionResultType]::ParameterValue, 'Walk through a key''s settings with prompts (terminal only; scripts use `key set`)')
            [CompletionResult]::new('replace', 'replace', [CompletionResultType]::ParameterValue, 'Edit the key''s own character table, used when autoconvert is `on`')
            [CompletionResult]::new('whitelist', 'whitelist', [CompletionResultType]::ParameterValue, 'Edit the key''s IP whitelist (an empty whitelist refuses every address)')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check a secret (SMSCTL_KEY_SECRET, else stdin, else the keyring with --key) as the API would; exit 0 if valid, 5 if not')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'smsctl;key;help;create' {
            break
        }
        'smsctl;key;help;list' {
            break
        }
        'smsctl;key;help;show' {
            break
        }
        'smsctl;key;help;rename' {
            break
        }
        'smsctl;key;help;rotate' {
            break
        }
        'smsctl;key;help;rollover' {
            break
        }
        'smsctl;key;help;revoke' {
            break
        }
        'smsctl;key;help;purge' {
            break
        }
        'smsctl;key;help;delete' {
            break
        }
        'smsctl;key;help;set' {
            break
        }
        'smsctl;key;help;edit' {
            break
        }
        'smsctl;key;help;replace' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Map one character to 0-4 GSM-7 characters')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove the mapping of one character')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Show the table')
            [CompletionResult]::new('clear', 'clear', [CompletionResultType]::ParameterValue, 'Remove every mapping')
            break
        }
        'smsctl;key;help;replace;add' {
            break
        }
        'smsctl;key;help;replace;remove' {
            break
        }
        'smsctl;key;help;replace;list' {
            break
        }
        'smsctl;key;help;replace;clear' {
            break
        }
        'smsctl;key;help;whitelist' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add addresses or CIDR ranges (all or nothing: one bad entry changes nothing); ''-'' reads them from stdin')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove entries (''-'' reads them from stdin)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Show the whitelist')
            [CompletionResult]::new('clear', 'clear', [CompletionResultType]::ParameterValue, 'Remove every entry (the key then refuses every address)')
            [CompletionResult]::new('allow-all', 'allow-all', [CompletionResultType]::ParameterValue, 'Allow every address: 0.0.0.0/0 and ::/0')
            [CompletionResult]::new('test', 'test', [CompletionResultType]::ParameterValue, 'Say, offline, whether each address would be allowed and by which entry')
            break
        }
        'smsctl;key;help;whitelist;add' {
            break
        }
        'smsctl;key;help;whitelist;remove' {
            break
        }
        'smsctl;key;help;whitelist;list' {
            break
        }
        'smsctl;key;help;whitelist;clear' {
            break
        }
        'smsctl;key;help;whitelist;allow-all' {
            break
        }
        'smsctl;key;help;whitelist;test' {
            break
        }
        'smsctl;key;help;verify' {
            break
        }
        'smsctl;key;help;help' {
            break
        }
        'smsctl;send' {
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'Key name or key id')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Recipient in E.164 form (+ and 7-15 digits; spaces, dashes and parentheses are ignored)')
            [CompletionResult]::new('--text', '--text', [CompletionResultType]::ParameterName, 'The message text')
            [CompletionResult]::new('--text-file', '--text-file', [CompletionResultType]::ParameterName, 'Read the message text from a UTF-8 file (''-'' for stdin)')
            [CompletionResult]::new('--sender', '--sender', [CompletionResultType]::ParameterName, 'Sender for this message (beats the key''s default sender)')
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Sender for this message (beats the key''s default sender)')
            [CompletionResult]::new('--autoconvert', '--autoconvert', [CompletionResultType]::ParameterName, 'Autoconvert mode for this message: off, on or full (beats the key''s mode)')
            [CompletionResult]::new('--dlr-url', '--dlr-url', [CompletionResultType]::ParameterName, 'Delivery-report webhook for this message (beats the key''s webhook)')
            [CompletionResult]::new('--max-parts', '--max-parts', [CompletionResultType]::ParameterName, 'Fail (exit 1) if the message needs more than N parts')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'API base URL (POST {api}/omnimessage)')
            [CompletionResult]::new('--idempotency-key', '--idempotency-key', [CompletionResultType]::ParameterName, 'The request''s Idempotency-Key [default: derived from the key and the exact request, so a retried run within 24 h is answered without sending twice; give a new value to send the same message again on purpose]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Overall request timeout')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--no-dlr-url', '--no-dlr-url', [CompletionResultType]::ParameterName, 'No delivery report for this message, even if the key has a webhook')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would be sent, which value won and why; send nothing')
            [CompletionResult]::new('--require-gsm7', '--require-gsm7', [CompletionResultType]::ParameterName, 'Fail (exit 1) unless the final text is GSM-7')
            [CompletionResult]::new('--secret-stdin', '--secret-stdin', [CompletionResultType]::ParameterName, 'Read the key''s secret from stdin')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Shorthand for --format json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead when a value or confirmation is missing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'smsctl;text' {
            [CompletionResult]::new('--text-file', '--text-file', [CompletionResultType]::ParameterName, 'Read the text from a UTF-8 file')
            [CompletionResult]::new('--autoconvert', '--autoconvert', [CompletionResultType]::ParameterName, 'Autoconvert mode: off, on or full (default: the key''s mode with --key, else on)')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'Use this key''s character table (and its mode, unless --autoconvert is given)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--compare', '--compare', [CompletionResultType]::ParameterName, 'Show off / on / full side by side')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Shorthand for --format json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead when a value or confirmation is missing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'smsctl;messages' {
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'Only messages sent with this key (name or id)')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only messages since a time: a duration ago (24h, 7d) or a date/RFC 3339 time')
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'Only messages with this outcome: accepted (the API took it) or refused (an error)')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Only messages to this recipient (E.164; spaces and dashes are ignored)')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'At most this many messages (newest first)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--wide', '--wide', [CompletionResultType]::ParameterName, 'Every column (ids, sender, encoding, webhook report), wider than 80 columns')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Shorthand for --format json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead when a value or confirmation is missing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'One message in full: the record, its effective settings and its delivery history')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'smsctl;messages;show' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Shorthand for --format json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead when a value or confirmation is missing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'smsctl;messages;help' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'One message in full: the record, its effective settings and its delivery history')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'smsctl;messages;help;show' {
            break
        }
        'smsctl;messages;help;help' {
            break
        }
        'smsctl;audit' {
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'Only entries about this key (name, or key id, also of a purged key)')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only entries since a time: a duration ago (24h, 7d) or a date/RFC 3339 time')
            [CompletionResult]::new('--action', '--action', [CompletionResultType]::ParameterName, 'Only this action, e.g. key.rotate; a trailing * matches a prefix (key.*)')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Only entries by this actor (SMSCTL_ACTOR or the OS user that made the change)')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'At most this many entries (the newest)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Shorthand for --format json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead when a value or confirmation is missing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Recompute the hash chain; exit 1 naming the first bad row if the trail was altered')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Write the (filtered) trail to stdout as JSON lines, oldest first, one entry per line')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'smsctl;audit;verify' {
            [CompletionResult]::new('--expect-head', '--expect-head', [CompletionResultType]::ParameterName, 'A head hash recorded earlier (from `audit verify --json`): it must still be in the trail, which catches entries removed from the end')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Shorthand for --format json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead when a value or confirmation is missing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'smsctl;audit;export' {
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'Only entries about this key (name, or key id, also of a purged key)')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only entries since a time: a duration ago (24h, 7d) or a date/RFC 3339 time')
            [CompletionResult]::new('--action', '--action', [CompletionResultType]::ParameterName, 'Only this action, e.g. key.rotate; a trailing * matches a prefix (key.*)')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Only entries by this actor (SMSCTL_ACTOR or the OS user that made the change)')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'At most this many entries (the newest)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Shorthand for --format json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead when a value or confirmation is missing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'smsctl;audit;help' {
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Recompute the hash chain; exit 1 naming the first bad row if the trail was altered')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Write the (filtered) trail to stdout as JSON lines, oldest first, one entry per line')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'smsctl;audit;help;verify' {
            break
        }
        'smsctl;audit;help;export' {
            break
        }
        'smsctl;audit;help;help' {
            break
        }
        'smsctl;gateway' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Shorthand for --format json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead when a value or confirmation is missing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Serve POST /v1/omnimessage and friends until SIGINT/SIGTERM (then drain and exit 0)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'smsctl;gateway;serve' {
            [CompletionResult]::new('--listen', '--listen', [CompletionResultType]::ParameterName, 'Address to listen on, host:port (port 0 picks a free port)')
            [CompletionResult]::new('--dlr-retries', '--dlr-retries', [CompletionResultType]::ParameterName, 'Retries, with back-off, after a failed delivery-report POST')
            [CompletionResult]::new('--slow-delivery', '--slow-delivery', [CompletionResultType]::ParameterName, 'How long +447700900005 (the slow-delivery recipient) waits between ACK and DELIVRD')
            [CompletionResult]::new('--max-connections', '--max-connections', [CompletionResultType]::ParameterName, 'Most simultaneous client connections; over it the one idle the longest is closed (503 when none is idle)')
            [CompletionResult]::new('--max-connections-per-ip', '--max-connections-per-ip', [CompletionResultType]::ParameterName, 'Most simultaneous connections from one client address, with the same rule')
            [CompletionResult]::new('--drain-timeout', '--drain-timeout', [CompletionResultType]::ParameterName, 'On SIGINT/SIGTERM, how long to wait for open requests and due reports (the rest stays queued)')
            [CompletionResult]::new('--ready-file', '--ready-file', [CompletionResultType]::ParameterName, 'Once serving, write the API base URL (http://HOST:PORT/v1) to PATH, a new file; removed on exit')
            [CompletionResult]::new('--upstream', '--upstream', [CompletionResultType]::ParameterName, 'Relay mode: forward accepted messages to this Omnimessage API (https; http only to loopback) with the credential from `smsctl upstream set` or SMSCTL_UPSTREAM_*')
            [CompletionResult]::new('--public-url', '--public-url', [CompletionResultType]::ParameterName, 'Relay mode: the URL the upstream reaches this gateway at (its reports go to URL/relay/dlr) [default: the listen address, on loopback]')
            [CompletionResult]::new('--upstream-timeout', '--upstream-timeout', [CompletionResultType]::ParameterName, 'Relay mode: how long one upstream call may take')
            [CompletionResult]::new('--breaker-threshold', '--breaker-threshold', [CompletionResultType]::ParameterName, 'Relay mode: consecutive upstream failures that open the circuit breaker')
            [CompletionResult]::new('--breaker-cooldown', '--breaker-cooldown', [CompletionResultType]::ParameterName, 'Relay mode: how long the open breaker refuses (503) before one trial request')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--allow-internal-webhooks', '--allow-internal-webhooks', [CompletionResultType]::ParameterName, 'On a non-loopback --listen, still deliver reports to loopback, private and link-local webhooks')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Shorthand for --format json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead when a value or confirmation is missing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'smsctl;gateway;help' {
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Serve POST /v1/omnimessage and friends until SIGINT/SIGTERM (then drain and exit 0)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'smsctl;gateway;help;serve' {
            break
        }
        'smsctl;gateway;help;help' {
            break
        }
        'smsctl;upstream' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Shorthand for --format json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead when a value or confirmation is missing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Save the provider account''s credential in the OS keyring (password prompted, or read from stdin; never an argument)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show which upstream credential relay mode would use (the username and where it is from)')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Remove the saved credential from the OS keyring')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'smsctl;upstream;set' {
            [CompletionResult]::new('--username', '--username', [CompletionResultType]::ParameterName, 'The account''s API username')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Shorthand for --format json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead when a value or confirmation is missing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'smsctl;upstream;show' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Shorthand for --format json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead when a value or confirmation is missing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'smsctl;upstream;delete' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Shorthand for --format json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead when a value or confirmation is missing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'smsctl;upstream;help' {
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Save the provider account''s credential in the OS keyring (password prompted, or read from stdin; never an argument)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show which upstream credential relay mode would use (the username and where it is from)')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Remove the saved credential from the OS keyring')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'smsctl;upstream;help;set' {
            break
        }
        'smsctl;upstream;help;show' {
            break
        }
        'smsctl;upstream;help;delete' {
            break
        }
        'smsctl;upstream;help;help' {
            break
        }
        'smsctl;replace' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Shorthand for --format json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead when a value or confirmation is missing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Map a character or a word (1-32 characters) to 0-32 GSM-7 characters')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove one entry')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Show the table')
            [CompletionResult]::new('clear', 'clear', [CompletionResultType]::ParameterValue, 'Remove every entry')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'smsctl;replace;add' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Shorthand for --format json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead when a value or confirmation is missing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'smsctl;replace;remove' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Shorthand for --format json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead when a value or confirmation is missing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'smsctl;replace;list' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Shorthand for --format json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead when a value or confirmation is missing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'smsctl;replace;clear' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Shorthand for --format json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead when a value or confirmation is missing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'smsctl;replace;help' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Map a character or a word (1-32 characters) to 0-32 GSM-7 characters')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove one entry')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Show the table')
            [CompletionResult]::new('clear', 'clear', [CompletionResultType]::ParameterValue, 'Remove every entry')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'smsctl;replace;help;add' {
            break
        }
        'smsctl;replace;help;remove' {
            break
        }
        'smsctl;replace;help;list' {
            break
        }
        'smsctl;replace;help;clear' {
            break
        }
        'smsctl;replace;help;help' {
            break
        }
        'smsctl;webhook' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Shorthand for --format json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead when a value or confirmation is missing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('test', 'test', [CompletionResultType]::ParameterValue, 'POST a signed sample delivery report (a flat DELIVRD report) to URL, as the gateway would')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Read a report body on stdin and say whether SIGNATURE is its signature for the key')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'smsctl;webhook;test' {
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'Key name or key id whose secret signs the report')
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'The status to report')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--secret-stdin', '--secret-stdin', [CompletionResultType]::ParameterName, 'Read the secret from stdin')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Shorthand for --format json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead when a value or confirmation is missing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'smsctl;webhook;verify' {
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'Key name or key id whose secret should have signed the body')
            [CompletionResult]::new('--signature', '--signature', [CompletionResultType]::ParameterName, 'The X-Messente-Signature value (hex)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Shorthand for --format json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead when a value or confirmation is missing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'smsctl;webhook;help' {
            [CompletionResult]::new('test', 'test', [CompletionResultType]::ParameterValue, 'POST a signed sample delivery report (a flat DELIVRD report) to URL, as the gateway would')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Read a report body on stdin and say whether SIGNATURE is its signature for the key')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'smsctl;webhook;help;test' {
            break
        }
        'smsctl;webhook;help;verify' {
            break
        }
        'smsctl;webhook;help;help' {
            break
        }
        'smsctl;backup' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Shorthand for --format json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead when a value or confirmation is missing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'smsctl;store' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Shorthand for --format json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead when a value or confirmation is missing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('copy', 'copy', [CompletionResultType]::ParameterValue, 'Copy every key, secret, audit entry and message from SRC to DST, a new file or an empty PostgreSQL database, then verify the chain and the counts on DST')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'smsctl;store;copy' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Shorthand for --format json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead when a value or confirmation is missing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'smsctl;store;help' {
            [CompletionResult]::new('copy', 'copy', [CompletionResultType]::ParameterValue, 'Copy every key, secret, audit entry and message from SRC to DST, a new file or an empty PostgreSQL database, then verify the chain and the counts on DST')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'smsctl;store;help;copy' {
            break
        }
        'smsctl;store;help;help' {
            break
        }
        'smsctl;restore' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--allow-unkeyed', '--allow-unkeyed', [CompletionResultType]::ParameterName, 'Also restore a backup from before keyed audit trails (schema 1), whose plain chain anyone could have recomputed after editing it')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Shorthand for --format json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead when a value or confirmation is missing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'smsctl;export' {
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'Export only this key (name or id; repeatable) [default: every live key]')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Shorthand for --format json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead when a value or confirmation is missing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'smsctl;plan' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'The key file (''-'' reads stdin)')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'The key file (''-'' reads stdin)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--check', '--check', [CompletionResultType]::ParameterName, 'Exit 1 when anything would change, 0 when nothing would (a drift gate for CI)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Shorthand for --format json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead when a value or confirmation is missing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'smsctl;apply' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'The key file (''-'' reads stdin)')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'The key file (''-'' reads stdin)')
            [CompletionResult]::new('--plan-hash', '--plan-hash', [CompletionResultType]::ParameterName, 'Refuse (exit 4) unless the plan is still the one with this hash (from `plan --json`)')
            [CompletionResult]::new('--secrets-dir', '--secrets-dir', [CompletionResultType]::ParameterName, 'Write each new key''s secret to DIR/NAME.secret (a new 0600 file; never overwrites)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--save-secrets', '--save-secrets', [CompletionResultType]::ParameterName, 'Save new keys'' secrets in the OS keyring (service smsctl, account = key id)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Shorthand for --format json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead when a value or confirmation is missing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'smsctl;completions' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Shorthand for --format json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead when a value or confirmation is missing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'smsctl;paths' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Shorthand for --format json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead when a value or confirmation is missing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'smsctl;doctor' {
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Authentication failures, canary trips and client addresses count from this long ago')
            [CompletionResult]::new('--max-addresses', '--max-addresses', [CompletionResultType]::ParameterName, 'A key sending from more distinct client addresses than this is reported as possibly shared')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Shorthand for --format json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead when a value or confirmation is missing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'smsctl;usage' {
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'Only this key (name or id)')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only usage since a time: a duration ago (24h, 7d) or a date/RFC 3339 time; counts are kept per UTC day, so this starts at the beginning of that day [default: everything]')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Shorthand for --format json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Assume yes for confirmations (required for destructive commands without a TTY)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead when a value or confirmation is missing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'smsctl;help' {
            [CompletionResult]::new('key', 'key', [CompletionResultType]::ParameterValue, 'Create, inspect, configure, rotate and revoke API keys')
            [CompletionResult]::new('send', 'send', [CompletionResultType]::ParameterValue, 'Send a test SMS with a key; flags override the key''s settings (see --dry-run)')
            [CompletionResult]::new('text', 'text', [CompletionResultType]::ParameterValue, 'Analyse a message: encoding, units, parts, replacements; what send would do to it')
            [CompletionResult]::new('messages', 'messages', [CompletionResultType]::ParameterValue, 'List what `send` (and the gateway) recorded')
            [CompletionResult]::new('audit', 'audit', [CompletionResultType]::ParameterValue, 'Show the audit trail, or check that it has not been tampered with')
            [CompletionResult]::new('gateway', 'gateway', [CompletionResultType]::ParameterValue, 'Run a local Omnimessage-compatible API that enforces this store''s keys')
            [CompletionResult]::new('upstream', 'upstream', [CompletionResultType]::ParameterValue, 'The provider account credential that `gateway serve --upstream` (relay mode) forwards with')
            [CompletionResult]::new('replace', 'replace', [CompletionResultType]::ParameterValue, 'Edit the account''s replacement table (words allowed), used by autoconvert `on` for every key; a key''s own entries (`key replace`) override it')
            [CompletionResult]::new('webhook', 'webhook', [CompletionResultType]::ParameterValue, 'Send a signed sample delivery report to a webhook, or check a report''s signature')
            [CompletionResult]::new('backup', 'backup', [CompletionResultType]::ParameterValue, 'Copy the store to FILE while it stays in use (a SQLite file, from either backend), then check the copy')
            [CompletionResult]::new('store', 'store', [CompletionResultType]::ParameterValue, 'Move a whole store between backends (SQLite and PostgreSQL)')
            [CompletionResult]::new('restore', 'restore', [CompletionResultType]::ParameterValue, 'Replace the store with a backup after checking its integrity (asks; --yes in scripts)')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Write every live key''s configuration as a key file (TOML; never a secret or a hash)')
            [CompletionResult]::new('plan', 'plan', [CompletionResultType]::ParameterValue, 'Compare a key file with the store: what `apply` would create, update, revoke')
            [CompletionResult]::new('apply', 'apply', [CompletionResultType]::ParameterValue, 'Carry out a key file''s plan in one transaction (asks on a terminal; --yes in scripts)')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script (bash, zsh, fish, powershell, elvish)')
            [CompletionResult]::new('paths', 'paths', [CompletionResultType]::ParameterValue, 'Show where smsctl keeps its store and secrets')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check the store, the audit trail, risky keys and the keyring; exit 1 listing each finding')
            [CompletionResult]::new('usage', 'usage', [CompletionResultType]::ParameterValue, 'Messages and parts accepted per key and per secret, quotas, authentication failures')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'smsctl;help;key' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a key; its secret is shown once')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List keys (revoked keys only with --all); never shows secrets')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one key: settings, secrets (last 4 characters only), usage')
            [CompletionResult]::new('rename', 'rename', [CompletionResultType]::ParameterValue, 'Rename a key (names are unique, case-insensitively)')
            [CompletionResult]::new('rotate', 'rotate', [CompletionResultType]::ParameterValue, 'Issue a new secret; the previous one stays valid until the grace period ends')
            [CompletionResult]::new('rollover', 'rollover', [CompletionResultType]::ParameterValue, 'Show who still uses a key''s previous secret during a rotation: addresses, last seen, count')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Revoke a key, or every key a selector matches: every secret stops working at once; this is final')
            [CompletionResult]::new('purge', 'purge', [CompletionResultType]::ParameterValue, 'Remove keys revoked before a time from the store; their audit history stays')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'There is no `key delete`: see `key revoke` (and `key purge`)')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Change a key''s settings (sender, autoconvert, webhook, description, expiry)')
            [CompletionResult]::new('edit', 'edit', [CompletionResultType]::ParameterValue, 'Walk through a key''s settings with prompts (terminal only; scripts use `key set`)')
            [CompletionResult]::new('replace', 'replace', [CompletionResultType]::ParameterValue, 'Edit the key''s own character table, used when autoconvert is `on`')
            [CompletionResult]::new('whitelist', 'whitelist', [CompletionResultType]::ParameterValue, 'Edit the key''s IP whitelist (an empty whitelist refuses every address)')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check a secret (SMSCTL_KEY_SECRET, else stdin, else the keyring with --key) as the API would; exit 0 if valid, 5 if not')
            break
        }
        'smsctl;help;key;create' {
            break
        }
        'smsctl;help;key;list' {
            break
        }
        'smsctl;help;key;show' {
            break
        }
        'smsctl;help;key;rename' {
            break
        }
        'smsctl;help;key;rotate' {
            break
        }
        'smsctl;help;key;rollover' {
            break
        }
        'smsctl;help;key;revoke' {
            break
        }
        'smsctl;help;key;purge' {
            break
        }
        'smsctl;help;key;delete' {
            break
        }
        'smsctl;help;key;set' {
            break
        }
        'smsctl;help;key;edit' {
            break
        }
        'smsctl;help;key;replace' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Map one character to 0-4 GSM-7 characters')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove the mapping of one character')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Show the table')
            [CompletionResult]::new('clear', 'clear', [CompletionResultType]::ParameterValue, 'Remove every mapping')
            break
        }
        'smsctl;help;key;replace;add' {
            break
        }
        'smsctl;help;key;replace;remove' {
            break
        }
        'smsctl;help;key;replace;list' {
            break
        }
        'smsctl;help;key;replace;clear' {
            break
        }
        'smsctl;help;key;whitelist' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add addresses or CIDR ranges (all or nothing: one bad entry changes nothing); ''-'' reads them from stdin')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove entries (''-'' reads them from stdin)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Show the whitelist')
            [CompletionResult]::new('clear', 'clear', [CompletionResultType]::ParameterValue, 'Remove every entry (the key then refuses every address)')
            [CompletionResult]::new('allow-all', 'allow-all', [CompletionResultType]::ParameterValue, 'Allow every address: 0.0.0.0/0 and ::/0')
            [CompletionResult]::new('test', 'test', [CompletionResultType]::ParameterValue, 'Say, offline, whether each address would be allowed and by which entry')
            break
        }
        'smsctl;help;key;whitelist;add' {
            break
        }
        'smsctl;help;key;whitelist;remove' {
            break
        }
        'smsctl;help;key;whitelist;list' {
            break
        }
        'smsctl;help;key;whitelist;clear' {
            break
        }
        'smsctl;help;key;whitelist;allow-all' {
            break
        }
        'smsctl;help;key;whitelist;test' {
            break
        }
        'smsctl;help;key;verify' {
            break
        }
        'smsctl;help;send' {
            break
        }
        'smsctl;help;text' {
            break
        }
        'smsctl;help;messages' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'One message in full: the record, its effective settings and its delivery history')
            break
        }
        'smsctl;help;messages;show' {
            break
        }
        'smsctl;help;audit' {
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Recompute the hash chain; exit 1 naming the first bad row if the trail was altered')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Write the (filtered) trail to stdout as JSON lines, oldest first, one entry per line')
            break
        }
        'smsctl;help;audit;verify' {
            break
        }
        'smsctl;help;audit;export' {
            break
        }
        'smsctl;help;gateway' {
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Serve POST /v1/omnimessage and friends until SIGINT/SIGTERM (then drain and exit 0)')
            break
        }
        'smsctl;help;gateway;serve' {
            break
        }
        'smsctl;help;upstream' {
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Save the provider account''s credential in the OS keyring (password prompted, or read from stdin; never an argument)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show which upstream credential relay mode would use (the username and where it is from)')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Remove the saved credential from the OS keyring')
            break
        }
        'smsctl;help;upstream;set' {
            break
        }
        'smsctl;help;upstream;show' {
            break
        }
        'smsctl;help;upstream;delete' {
            break
        }
        'smsctl;help;replace' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Map a character or a word (1-32 characters) to 0-32 GSM-7 characters')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove one entry')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Show the table')
            [CompletionResult]::new('clear', 'clear', [CompletionResultType]::ParameterValue, 'Remove every entry')
            break
        }
        'smsctl;help;replace;add' {
            break
        }
        'smsctl;help;replace;remove' {
            break
        }
        'smsctl;help;replace;list' {
            break
        }
        'smsctl;help;replace;clear' {
            break
        }
        'smsctl;help;webhook' {
            [CompletionResult]::new('test', 'test', [CompletionResultType]::ParameterValue, 'POST a signed sample delivery report (a flat DELIVRD report) to URL, as the gateway would')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Read a report body on stdin and say whether SIGNATURE is its signature for the key')
            break
        }
        'smsctl;help;webhook;test' {
            break
        }
        'smsctl;help;webhook;verify' {
            break
        }
        'smsctl;help;backup' {
            break
        }
        'smsctl;help;store' {
            [CompletionResult]::new('copy', 'copy', [CompletionResultType]::ParameterValue, 'Copy every key, secret, audit entry and message from SRC to DST, a new file or an empty PostgreSQL database, then verify the chain and the counts on DST')
            break
        }
        'smsctl;help;store;copy' {
            break
        }
        'smsctl;help;restore' {
            break
        }
        'smsctl;help;export' {
            break
        }
        'smsctl;help;plan' {
            break
        }
        'smsctl;help;apply' {
            break
        }
        'smsctl;help;completions' {
            break
        }
        'smsctl;help;paths' {
            break
        }
        'smsctl;help;doctor' {
            break
        }
        'smsctl;help;usage' {
            break
        }
        'smsctl;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
