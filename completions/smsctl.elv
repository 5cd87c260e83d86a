
use builtin;
use str;

set edit:completion:arg-completer[smsctl] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'smsctl'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'smsctl'= {
            cand --db 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]'
            cand --format 'Output format'
            cand --json 'Shorthand for --format json'
            cand -q 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand --quiet 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand -y 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --yes 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --no-input 'Never prompt; fail instead when a value or confirmation is missing'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand key 'Create, inspect, configure, rotate and revoke API keys'
            cand send 'Send a test SMS with a key; flags override the key''s settings (see --dry-run)'
            cand text 'Analyse a message: encoding, units, parts, replacements; what send would do to it'
            cand messages 'List what `send` (and the gateway) recorded'
            cand audit 'Show the audit trail, or check that it has not been tampered with'
            cand gateway 'Run a local Omnimessage-compatible API that enforces this store''s keys'
            cand upstream 'The provider account credential that `gateway serve --upstream` (relay mode) forwards with'
            cand replace 'Edit the account''s replacement table (words allowed), used by autoconvert `on` for every key; a key''s own entries (`key replace`) override it'
            cand webhook 'Send a signed sample delivery report to a webhook, or check a report''s signature'
            cand backup 'Copy the store to FILE while it stays in use (a SQLite file, from either backend), then check the copy'
            cand store 'Move a whole store between backends (SQLite and PostgreSQL)'
            cand restore 'Replace the store with a backup after checking its integrity (asks; --yes in scripts)'
            cand export 'Write every live key''s configuration as a key file (TOML; never a secret or a hash)'
            cand plan 'Compare a key file with the store: what `apply` would create, update, revoke'
            cand apply 'Carry out a key file''s plan in one transaction (asks on a terminal; --yes in scripts)'
            cand completions 'Print a shell completion script (bash, zsh, fish, powershell, elvish)'
            cand paths 'Show where smsctl keeps its store and secrets'
            cand doctor 'Check the store, the audit trail, risky keys and the keyring; exit 1 listing each finding'
            cand usage 'Messages and parts accepted per key and per secret, quotas, authentication failures'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'smsctl;key'= {
            cand --db 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]'
            cand --format 'Output format'
            cand --json 'Shorthand for --format json'
            cand -q 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand --quiet 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand -y 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --yes 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --no-input 'Never prompt; fail instead when a value or confirmation is missing'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand create 'Create a key; its secret is shown once'
            cand list 'List keys (revoked keys only with --all); never shows secrets'
            cand show 'Show one key: settings, secrets (last 4 characters only), usage'
            cand rename 'Rename a key (names are unique, case-insensitively)'
            cand rotate 'Issue a new secret; the previous one stays valid until the grace period ends'
            cand rollover 'Show who still uses a key''s previous secret during a rotation: addresses, last seen, count'
            cand revoke 'Revoke a key, or every key a selector matches: every secret stops working at once; this is final'
            cand purge 'Remove keys revoked before a time from the store; their audit history stays'
            cand delete 'There is no `key delete`: see `key revoke` (and `key purge`)'
            cand set 'Change a key''s settings (sender, autoconvert, webhook, description, expiry)'
            cand edit 'Walk through a key''s settings with prompts (terminal only; scripts use `key set`)'
            cand replace 'Edit the key''s own character table, used when autoconvert is `on`'
            cand whitelist 'Edit the key''s IP whitelist (an empty whitelist refuses every address)'
            cand verify 'Check a secret (SMSCTL_KEY_SECRET, else stdin, else the keyring with --key) as the API would; exit 0 if valid, 5 if not'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'smsctl;key;create'= {
            cand --sender 'Default sender: alphanumeric (≤11 chars) or numeric (≤15 digits, optional +)'
            cand --autoconvert 'Autoconvert mode: off, on (the account''s replacement table, the key''s own entries overriding it) or full (GSM-7 transliteration)'
            cand --dlr-url 'Delivery-report webhook: https URL (http only for localhost)'
            cand --description 'Free-text description'
            cand --expires 'Expiry: a duration (90d), a date (2026-12-31), an RFC 3339 time, or `never`'
            cand --owner 'The team that owns the key (required on --production keys)'
            cand --scope 'The API operations the key may use, comma-separated [default: all]'
            cand --allow-sender 'The only senders the key may use (repeatable; replaces the list); its default sender must be one'
            cand --allow-to 'Allow only destinations starting with this E.164 prefix (repeatable; replaces the list)'
            cand --deny-to 'Refuse destinations starting with this E.164 prefix, even if allowed (repeatable; replaces the list)'
            cand --max-parts 'The most parts one message may take'
            cand --rate 'Request rate, a token bucket: N/s or N/min, burst N unless given (5/s,burst=20)'
            cand --quota 'Message parts per UTC calendar day or month: N/day or N/month'
            cand --purpose 'What the key''s messages are: marketing, transactional, alerts, otp or internal'
            cand --send-window 'Refuse sends outside these local hours, e.g. 08:00-21:00@Europe/Tallinn'
            cand --alert-url 'Where the gateway POSTs a canary trip (https URL; http only for localhost)'
            cand --replace 'Add a character mapping for `on` mode (repeatable), e.g. --replace ç=c'
            cand --allow-ip 'Whitelist an address or CIDR range (repeatable); without any, every address is refused'
            cand --secret-file 'Write the secret to PATH, a new 0600 file (never an existing path or a link), instead of printing it'
            cand --db 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]'
            cand --format 'Output format'
            cand --production 'Mark as a production key (whitelisting private ranges then warns; needs --owner)'
            cand --canary 'A canary: must never be used; any attempt gets a 401, an audit row and a doctor finding'
            cand --save-secret 'Save the secret in the OS keyring (service smsctl, account = key id) instead of printing it'
            cand --json 'Shorthand for --format json'
            cand -q 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand --quiet 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand -y 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --yes 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --no-input 'Never prompt; fail instead when a value or confirmation is missing'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'smsctl;key;list'= {
            cand --name 'Only keys whose name matches GLOB (''*'' any characters, ''?'' one; case-insensitive)'
            cand --owner 'Only keys owned by this team (the policy''s --owner)'
            cand --unused-for 'Only keys not used for DUR (a never-used key counts from its creation), e.g. 90d'
            cand --created-before 'Only keys created before T: a duration ago (30d), a date (2026-01-01) or an RFC 3339 time'
            cand --expires-within 'Only keys that expire within DUR (already expired ones included), e.g. 14d'
            cand --db 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]'
            cand --format 'Output format'
            cand --all 'Include revoked keys'
            cand --json 'Shorthand for --format json'
            cand -q 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand --quiet 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand -y 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --yes 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --no-input 'Never prompt; fail instead when a value or confirmation is missing'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'smsctl;key;show'= {
            cand --db 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]'
            cand --format 'Output format'
            cand --json 'Shorthand for --format json'
            cand -q 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand --quiet 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand -y 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --yes 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --no-input 'Never prompt; fail instead when a value or confirmation is missing'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'smsctl;key;rename'= {
            cand --db 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]'
            cand --format 'Output format'
            cand --json 'Shorthand for --format json'
            cand -q 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand --quiet 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand -y 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --yes 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --no-input 'Never prompt; fail instead when a value or confirmation is missing'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'smsctl;key;rotate'= {
            cand --grace 'How long the previous secret stays valid (0 = not at all) [default: 24h]'
            cand --retire-when-quiet 'Retire the previous secret by itself once it has gone unused for DUR (still at most --grace)'
            cand --secret-file 'Write the new secret to PATH, a new 0600 file (never an existing path or a link), instead of printing it'
            cand --db 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]'
            cand --format 'Output format'
            cand --force 'Rotate even while an older secret is in grace (that grace ends now)'
            cand --finish 'Issue no new secret: end the grace of the previous secret now (see `key rollover` first)'
            cand --save-secret 'Save the new secret in the OS keyring (replacing the old entry) instead of printing it'
            cand --json 'Shorthand for --format json'
            cand -q 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand --quiet 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand -y 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --yes 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --no-input 'Never prompt; fail instead when a value or confirmation is missing'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'smsctl;key;rollover'= {
            cand --db 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]'
            cand --format 'Output format'
            cand --json 'Shorthand for --format json'
            cand -q 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand --quiet 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand -y 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --yes 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --no-input 'Never prompt; fail instead when a value or confirmation is missing'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'smsctl;key;revoke'= {
            cand --name 'Only keys whose name matches GLOB (''*'' any characters, ''?'' one; case-insensitive)'
            cand --owner 'Only keys owned by this team (the policy''s --owner)'
            cand --unused-for 'Only keys not used for DUR (a never-used key counts from its creation), e.g. 90d'
            cand --created-before 'Only keys created before T: a duration ago (30d), a date (2026-01-01) or an RFC 3339 time'
            cand --expires-within 'Only keys that expire within DUR (already expired ones included), e.g. 14d'
            cand --db 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]'
            cand --format 'Output format'
            cand --json 'Shorthand for --format json'
            cand -q 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand --quiet 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand -y 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --yes 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --no-input 'Never prompt; fail instead when a value or confirmation is missing'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'smsctl;key;purge'= {
            cand --revoked-before 'Purge keys revoked before this: a duration ago (90d) or a date/RFC 3339 time'
            cand --db 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]'
            cand --format 'Output format'
            cand --dry-run 'List what would be purged; change nothing'
            cand --json 'Shorthand for --format json'
            cand -q 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand --quiet 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand -y 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --yes 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --no-input 'Never prompt; fail instead when a value or confirmation is missing'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'smsctl;key;delete'= {
            cand --db 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]'
            cand --format 'Output format'
            cand --json 'Shorthand for --format json'
            cand -q 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand --quiet 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand -y 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --yes 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --no-input 'Never prompt; fail instead when a value or confirmation is missing'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'smsctl;key;set'= {
            cand --sender 'Default sender: alphanumeric (≤11 chars) or numeric (≤15 digits, optional +)'
            cand --autoconvert 'Autoconvert mode: off, on (the account''s replacement table, the key''s own entries overriding it) or full (GSM-7 transliteration)'
            cand --dlr-url 'Delivery-report webhook: https URL (http only for localhost)'
            cand --description 'Free-text description'
            cand --expires 'Expiry: a duration (90d), a date (2026-12-31), an RFC 3339 time, or `never`'
            cand --owner 'The team that owns the key (required on --production keys)'
            cand --scope 'The API operations the key may use, comma-separated [default: all]'
            cand --allow-sender 'The only senders the key may use (repeatable; replaces the list); its default sender must be one'
            cand --allow-to 'Allow only destinations starting with this E.164 prefix (repeatable; replaces the list)'
            cand --deny-to 'Refuse destinations starting with this E.164 prefix, even if allowed (repeatable; replaces the list)'
            cand --max-parts 'The most parts one message may take'
            cand --rate 'Request rate, a token bucket: N/s or N/min, burst N unless given (5/s,burst=20)'
            cand --quota 'Message parts per UTC calendar day or month: N/day or N/month'
            cand --purpose 'What the key''s messages are: marketing, transactional, alerts, otp or internal'
            cand --send-window 'Refuse sends outside these local hours, e.g. 08:00-21:00@Europe/Tallinn'
            cand --alert-url 'Where the gateway POSTs a canary trip (https URL; http only for localhost)'
            cand --db 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]'
            cand --format 'Output format'
            cand --production 'Mark as a production key (whitelisting private ranges then warns; needs --owner)'
            cand --canary 'A canary: must never be used; any attempt gets a 401, an audit row and a doctor finding'
            cand --no-sender 'Remove the default sender (send then needs --from)'
            cand --no-dlr-url 'Remove the delivery-report webhook'
            cand --no-autoconvert 'Unset the autoconvert mode (the built-in default, on, applies)'
            cand --no-description 'Remove the description'
            cand --no-production 'Mark as not a production key'
            cand --no-owner 'Remove the owner (not allowed on production keys)'
            cand --all-scopes 'Allow every operation again'
            cand --no-allow-sender 'Allow any sender again'
            cand --no-allow-to 'Allow any destination again (the deny list still applies)'
            cand --no-deny-to 'Remove every denied prefix'
            cand --no-max-parts 'No limit on parts per message'
            cand --no-rate 'No rate limit'
            cand --no-quota 'No quota'
            cand --no-purpose 'Remove the purpose'
            cand --no-send-window 'Send at any hour'
            cand --no-canary 'No longer a canary'
            cand --no-alert-url 'Remove the canary alert URL'
            cand --json 'Shorthand for --format json'
            cand -q 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand --quiet 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand -y 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --yes 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --no-input 'Never prompt; fail instead when a value or confirmation is missing'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'smsctl;key;edit'= {
            cand --db 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]'
            cand --format 'Output format'
            cand --json 'Shorthand for --format json'
            cand -q 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand --quiet 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand -y 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --yes 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --no-input 'Never prompt; fail instead when a value or confirmation is missing'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'smsctl;key;replace'= {
            cand --db 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]'
            cand --format 'Output format'
            cand --json 'Shorthand for --format json'
            cand -q 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand --quiet 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand -y 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --yes 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --no-input 'Never prompt; fail instead when a value or confirmation is missing'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand add 'Map one character to 0-4 GSM-7 characters'
            cand remove 'Remove the mapping of one character'
            cand list 'Show the table'
            cand clear 'Remove every mapping'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'smsctl;key;replace;add'= {
            cand --db 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]'
            cand --format 'Output format'
            cand --json 'Shorthand for --format json'
            cand -q 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand --quiet 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand -y 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --yes 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --no-input 'Never prompt; fail instead when a value or confirmation is missing'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'smsctl;key;replace;remove'= {
            cand --db 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]'
            cand --format 'Output format'
            cand --json 'Shorthand for --format json'
            cand -q 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand --quiet 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand -y 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --yes 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --no-input 'Never prompt; fail instead when a value or confirmation is missing'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'smsctl;key;replace;list'= {
            cand --db 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]'
            cand --format 'Output format'
            cand --json 'Shorthand for --format json'
            cand -q 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand --quiet 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand -y 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --yes 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --no-input 'Never prompt; fail instead when a value or confirmation is missing'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'smsctl;key;replace;clear'= {
            cand --db 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]'
            cand --format 'Output format'
            cand --json 'Shorthand for --format json'
            cand -q 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand --quiet 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand -y 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --yes 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --no-input 'Never prompt; fail instead when a value or confirmation is missing'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'smsctl;key;replace;help'= {
            cand add 'Map one character to 0-4 GSM-7 characters'
            cand remove 'Remove the mapping of one character'
            cand list 'Show the table'
            cand clear 'Remove every mapping'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'smsctl;key;replace;help;add'= {
        }
        &'smsctl;key;replace;help;remove'= {
        }
        &'smsctl;key;replace;help;list'= {
        }
        &'smsctl;key;replace;help;clear'= {
        }
        &'smsctl;key;replace;help;help'= {
        }
        &'smsctl;key;whitelist'= {
            cand --db 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]'
            cand --format 'Output format'
            cand --json 'Shorthand for --format json'
            cand -q 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand --quiet 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand -y 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --yes 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --no-input 'Never prompt; fail instead when a value or confirmation is missing'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand add 'Add addresses or CIDR ranges (all or nothing: one bad entry changes nothing); ''-'' reads them from stdin'
            cand remove 'Remove entries (''-'' reads them from stdin)'
            cand list 'Show the whitelist'
            cand clear 'Remove every entry (the key then refuses every address)'
            cand allow-all 'Allow every address: 0.0.0.0/0 and ::/0'
            cand test 'Say, offline, whether each address would be allowed and by which entry'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'smsctl;key;whitelist;add'= {
            cand --db 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]'
            cand --format 'Output format'
            cand --json 'Shorthand for --format json'
            cand -q 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand --quiet 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand -y 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --yes 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --no-input 'Never prompt; fail instead when a value or confirmation is missing'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'smsctl;key;whitelist;remove'= {
            cand --db 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]'
            cand --format 'Output format'
            cand --json 'Shorthand for --format json'
            cand -q 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand --quiet 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand -y 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --yes 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --no-input 'Never prompt; fail instead when a value or confirmation is missing'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'smsctl;key;whitelist;list'= {
            cand --db 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]'
            cand --format 'Output format'
            cand --json 'Shorthand for --format json'
            cand -q 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand --quiet 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand -y 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --yes 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --no-input 'Never prompt; fail instead when a value or confirmation is missing'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'smsctl;key;whitelist;clear'= {
            cand --db 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]'
            cand --format 'Output format'
            cand --json 'Shorthand for --format json'
            cand -q 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand --quiet 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand -y 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --yes 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --no-input 'Never prompt; fail instead when a value or confirmation is missing'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'smsctl;key;whitelist;allow-all'= {
            cand --db 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]'
            cand --format 'Output format'
            cand --json 'Shorthand for --format json'
            cand -q 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand --quiet 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand -y 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --yes 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --no-input 'Never prompt; fail instead when a value or confirmation is missing'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'smsctl;key;whitelist;test'= {
            cand --db 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]'
            cand --format 'Output format'
            cand --json 'Shorthand for --format json'
            cand -q 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand --quiet 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand -y 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --yes 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --no-input 'Never prompt; fail instead when a value or confirmation is missing'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'smsctl;key;whitelist;help'= {
            cand add 'Add addresses or CIDR ranges (all or nothing: one bad entry changes nothing); ''-'' reads them from stdin'
            cand remove 'Remove entries (''-'' reads them from stdin)'
            cand list 'Show the whitelist'
            cand clear 'Remove every entry (the key then refuses every address)'
            cand allow-all 'Allow every address: 0.0.0.0/0 and ::/0'
            cand test 'Say, offline, whether each address would be allowed and by which entry'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'smsctl;key;whitelist;help;add'= {
        }
        &'smsctl;key;whitelist;help;remove'= {
        }
        &'smsctl;key;whitelist;help;list'= {
        }
        &'smsctl;key;whitelist;help;clear'= {
        }
        &'smsctl;key;whitelist;help;allow-all'= {
        }
        &'smsctl;key;whitelist;help;test'= {
        }
        &'smsctl;key;whitelist;help;help'= {
        }
        &'smsctl;key;verify'= {
            cand --ip 'Also check this client address against the key''s whitelist'
            cand --key 'Check that the secret belongs to this key (and use its OS keyring entry as a source)'
            cand --db 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]'
            cand --format 'Output format'
            cand --no-record 'Change nothing: do not record the check as a use of the secret'
            cand --secret-stdin 'Read the secret from stdin even when SMSCTL_KEY_SECRET is set'
            cand --json 'Shorthand for --format json'
            cand -q 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand --quiet 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand -y 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --yes 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --no-input 'Never prompt; fail instead when a value or confirmation is missing'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'smsctl;key;help'= {
            cand create 'Create a key; its secret is shown once'
            cand list 'List keys (revoked keys only with --all); never shows secrets'
            cand show 'Show one key: settings, secrets (last 4 characters only), usage'
            cand rename 'Rename a key (names are unique, case-insensitively)'
            cand rotate 'Issue a new secret; the previous one stays valid until the grace period ends'
            cand rollover 'Show who still uses a key''s previous secret during a rotation: addresses, last seen, count'
            cand revoke 'Revoke a key, or every key a selector matches: every secret stops working at once; this is final'
            cand purge 'Remove keys revoked before a time from the store; their audit history stays'
            cand delete 'There is no `key delete`: see `key revoke` (and `key purge`)'
            cand set 'Change a key''s settings (sender, autoconvert, webhook, description, expiry)'
            cand edit 'Walk through a key''s settings with prompts (terminal only; scripts use `key set`)'
            cand replace 'Edit the key''s own character table, used when autoconvert is `on`'
            cand whitelist 'Edit the key''s IP whitelist (an empty whitelist refuses every address)'
            cand verify 'Check a secret (SMSCTL_KEY_SECRET, else stdin, else the keyring with --key) as the API would; exit 0 if valid, 5 if not'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'smsctl;key;help;create'= {
        }
        &'smsctl;key;help;list'= {
        }
        &'smsctl;key;help;show'= {
        }
        &'smsctl;key;help;rename'= {
        }
        &'smsctl;key;help;rotate'= {
        }
        &'smsctl;key;help;rollover'= {
        }
        &'smsctl;key;help;revoke'= {
        }
        &'smsctl;key;help;purge'= {
        }
        &'smsctl;key;help;delete'= {
        }
        &'smsctl;key;help;set'= {
        }
        &'smsctl;key;help;edit'= {
        }
        &'smsctl;key;help;replace'= {
            cand add 'Map one character to 0-4 GSM-7 characters'
            cand remove 'Remove the mapping of one character'
            cand list 'Show the table'
            cand clear 'Remove every mapping'
        }
        &'smsctl;key;help;replace;add'= {
        }
        &'smsctl;key;help;replace;remove'= {
        }
        &'smsctl;key;help;replace;list'= {
        }
        &'smsctl;key;help;replace;clear'= {
        }
        &'smsctl;key;help;whitelist'= {
            cand add 'Add addresses or CIDR ranges (all or nothing: one bad entry changes nothing); ''-'' reads them from stdin'
            cand remove 'Remove entries (''-'' reads them from stdin)'
            cand list 'Show the whitelist'
            cand clear 'Remove every entry (the key then refuses every address)'
            cand allow-all 'Allow every address: 0.0.0.0/0 and ::/0'
            cand test 'Say, offline, whether each address would be allowed and by which entry'
        }
        &'smsctl;key;help;whitelist;add'= {
        }
        &'smsctl;key;help;whitelist;remove'= {
        }
        &'smsctl;key;help;whitelist;list'= {
        }
        &'smsctl;key;help;whitelist;clear'= {
        }
        &'smsctl;key;help;whitelist;allow-all'= {
        }
        &'smsctl;key;help;whitelist;test'= {
        }
        &'smsctl;key;help;verify'= {
        }
        &'smsctl;key;help;help'= {
        }
        &'smsctl;send'= {
            cand --key 'Key name or key id'
            cand --to 'Recipient in E.164 form (+ and 7-15 digits; spaces, dashes and parentheses are ignored)'
            cand --text 'The message text'
            cand --text-file 'Read the message text from a UTF-8 file (''-'' for stdin)'
            cand --sender 'Sender for this message (beats the key''s default sender)'
            cand --from 'Sender for this message (beats the key''s default sender)'
            cand --autoconvert 'Autoconvert mode for this message: off, on or full (beats the key''s mode)'
            cand --dlr-url 'Delivery-report webhook for this message (beats the key''s webhook)'
            cand --max-parts 'Fail (exit 1) if the message needs more than N parts'
            cand --api-url 'API base URL (POST {api}/omnimessage)'
            cand --idempotency-key 'The request''s Idempotency-Key [default: derived from the key and the exact request, so a retried run within 24 h is answered without sending twice; give a new value to send the same message again on purpose]'
            cand --timeout 'Overall request timeout'
            cand --db 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]'
            cand --format 'Output format'
            cand --no-dlr-url 'No delivery report for this message, even if the key has a webhook'
            cand --dry-run 'Show what would be sent, which value won and why; send nothing'
            cand --require-gsm7 'Fail (exit 1) unless the final text is GSM-7'
            cand --secret-stdin 'Read the key''s secret from stdin'
            cand --json 'Shorthand for --format json'
            cand -q 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand --quiet 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand -y 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --yes 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --no-input 'Never prompt; fail instead when a value or confirmation is missing'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'smsctl;text'= {
            cand --text-file 'Read the text from a UTF-8 file'
            cand --autoconvert 'Autoconvert mode: off, on or full (default: the key''s mode with --key, else on)'
            cand --key 'Use this key''s character table (and its mode, unless --autoconvert is given)'
            cand --db 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]'
            cand --format 'Output format'
            cand --compare 'Show off / on / full side by side'
            cand --json 'Shorthand for --format json'
            cand -q 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand --quiet 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand -y 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --yes 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --no-input 'Never prompt; fail instead when a value or confirmation is missing'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'smsctl;messages'= {
            cand --key 'Only messages sent with this key (name or id)'
            cand --since 'Only messages since a time: a duration ago (24h, 7d) or a date/RFC 3339 time'
            cand --status 'Only messages with this outcome: accepted (the API took it) or refused (an error)'
            cand --to 'Only messages to this recipient (E.164; spaces and dashes are ignored)'
            cand --limit 'At most this many messages (newest first)'
            cand --db 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]'
            cand --format 'Output format'
            cand --wide 'Every column (ids, sender, encoding, webhook report), wider than 80 columns'
            cand --json 'Shorthand for --format json'
            cand -q 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand --quiet 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand -y 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --yes 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --no-input 'Never prompt; fail instead when a value or confirmation is missing'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand show 'One message in full: the record, its effective settings and its delivery history'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'smsctl;messages;show'= {
            cand --db 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]'
            cand --format 'Output format'
            cand --json 'Shorthand for --format json'
            cand -q 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand --quiet 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand -y 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --yes 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --no-input 'Never prompt; fail instead when a value or confirmation is missing'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'smsctl;messages;help'= {
            cand show 'One message in full: the record, its effective settings and its delivery history'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'smsctl;messages;help;show'= {
        }
        &'smsctl;messages;help;help'= {
        }
        &'smsctl;audit'= {
            cand --key 'Only entries about this key (name, or key id, also of a purged key)'
            cand --since 'Only entries since a time: a duration ago (24h, 7d) or a date/RFC 3339 time'
            cand --action 'Only this action, e.g. key.rotate; a trailing * matches a prefix (key.*)'
            cand --actor 'Only entries by this actor (SMSCTL_ACTOR or the OS user that made the change)'
            cand --limit 'At most this many entries (the newest)'
            cand --db 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]'
            cand --format 'Output format'
            cand --json 'Shorthand for --format json'
            cand -q 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand --quiet 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand -y 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --yes 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --no-input 'Never prompt; fail instead when a value or confirmation is missing'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand verify 'Recompute the hash chain; exit 1 naming the first bad row if the trail was altered'
            cand export 'Write the (filtered) trail to stdout as JSON lines, oldest first, one entry per line'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'smsctl;audit;verify'= {
            cand --expect-head 'A head hash recorded earlier (from `audit verify --json`): it must still be in the trail, which catches entries removed from the end'
            cand --db 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]'
            cand --format 'Output format'
            cand --json 'Shorthand for --format json'
            cand -q 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand --quiet 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand -y 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --yes 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --no-input 'Never prompt; fail instead when a value or confirmation is missing'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'smsctl;audit;export'= {
            cand --key 'Only entries about this key (name, or key id, also of a purged key)'
            cand --since 'Only entries since a time: a duration ago (24h, 7d) or a date/RFC 3339 time'
            cand --action 'Only this action, e.g. key.rotate; a trailing * matches a prefix (key.*)'
            cand --actor 'Only entries by this actor (SMSCTL_ACTOR or the OS user that made the change)'
            cand --limit 'At most this many entries (the newest)'
            cand --db 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]'
            cand --format 'Output format'
            cand --json 'Shorthand for --format json'
            cand -q 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand --quiet 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand -y 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --yes 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --no-input 'Never prompt; fail instead when a value or confirmation is missing'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'smsctl;audit;help'= {
            cand verify 'Recompute the hash chain; exit 1 naming the first bad row if the trail was altered'
            cand export 'Write the (filtered) trail to stdout as JSON lines, oldest first, one entry per line'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'smsctl;audit;help;verify'= {
        }
        &'smsctl;audit;help;export'= {
        }
        &'smsctl;audit;help;help'= {
        }
        &'smsctl;gateway'= {
            cand --db 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]'
            cand --format 'Output format'
            cand --json 'Shorthand for --format json'
            cand -q 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand --quiet 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand -y 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --yes 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --no-input 'Never prompt; fail instead when a value or confirmation is missing'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand serve 'Serve POST /v1/omnimessage and friends until SIGINT/SIGTERM (then drain and exit 0)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'smsctl;gateway;serve'= {
            cand --listen 'Address to listen on, host:port (port 0 picks a free port)'
            cand --dlr-retries 'Retries, with back-off, after a failed delivery-report POST'
            cand --slow-delivery 'How long +447700900005 (the slow-delivery recipient) waits between ACK and DELIVRD'
            cand --max-connections 'Most simultaneous client connections; over it the one idle the longest is closed (503 when none is idle)'
            cand --max-connections-per-ip 'Most simultaneous connections from one client address, with the same rule'
            cand --drain-timeout 'On SIGINT/SIGTERM, how long to wait for open requests and due reports (the rest stays queued)'
            cand --ready-file 'Once serving, write the API base URL (http://HOST:PORT/v1) to PATH, a new file; removed on exit'
            cand --upstream 'Relay mode: forward accepted messages to this Omnimessage API (https; http only to loopback) with the credential from `smsctl upstream set` or SMSCTL_UPSTREAM_*'
            cand --public-url 'Relay mode: the URL the upstream reaches this gateway at (its reports go to URL/relay/dlr) [default: the listen address, on loopback]'
            cand --upstream-timeout 'Relay mode: how long one upstream call may take'
            cand --breaker-threshold 'Relay mode: consecutive upstream failures that open the circuit breaker'
            cand --breaker-cooldown 'Relay mode: how long the open breaker refuses (503) before one trial request'
            cand --db 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]'
            cand --format 'Output format'
            cand --allow-internal-webhooks 'On a non-loopback --listen, still deliver reports to loopback, private and link-local webhooks'
            cand --json 'Shorthand for --format json'
            cand -q 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand --quiet 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand -y 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --yes 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --no-input 'Never prompt; fail instead when a value or confirmation is missing'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'smsctl;gateway;help'= {
            cand serve 'Serve POST /v1/omnimessage and friends until SIGINT/SIGTERM (then drain and exit 0)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'smsctl;gateway;help;serve'= {
        }
        &'smsctl;gateway;help;help'= {
        }
        &'smsctl;upstream'= {
            cand --db 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]'
            cand --format 'Output format'
            cand --json 'Shorthand for --format json'
            cand -q 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand --quiet 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand -y 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --yes 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --no-input 'Never prompt; fail instead when a value or confirmation is missing'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand set 'Save the provider account''s credential in the OS keyring (password prompted, or read from stdin; never an argument)'
            cand show 'Show which upstream credential relay mode would use (the username and where it is from)'
            cand delete 'Remove the saved credential from the OS keyring'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'smsctl;upstream;set'= {
            cand --username 'The account''s API username'
            cand --db 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]'
            cand --format 'Output format'
            cand --json 'Shorthand for --format json'
            cand -q 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand --quiet 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand -y 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --yes 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --no-input 'Never prompt; fail instead when a value or confirmation is missing'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'smsctl;upstream;show'= {
            cand --db 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]'
            cand --format 'Output format'
            cand --json 'Shorthand for --format json'
            cand -q 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand --quiet 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand -y 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --yes 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --no-input 'Never prompt; fail instead when a value or confirmation is missing'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'smsctl;upstream;delete'= {
            cand --db 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]'
            cand --format 'Output format'
            cand --json 'Shorthand for --format json'
            cand -q 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand --quiet 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand -y 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --yes 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --no-input 'Never prompt; fail instead when a value or confirmation is missing'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'smsctl;upstream;help'= {
            cand set 'Save the provider account''s credential in the OS keyring (password prompted, or read from stdin; never an argument)'
            cand show 'Show which upstream credential relay mode would use (the username and where it is from)'
            cand delete 'Remove the saved credential from the OS keyring'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'smsctl;upstream;help;set'= {
        }
        &'smsctl;upstream;help;show'= {
        }
        &'smsctl;upstream;help;delete'= {
        }
        &'smsctl;upstream;help;help'= {
        }
        &'smsctl;replace'= {
            cand --db 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]'
            cand --format 'Output format'
            cand --json 'Shorthand for --format json'
            cand -q 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand --quiet 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand -y 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --yes 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --no-input 'Never prompt; fail instead when a value or confirmation is missing'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand add 'Map a character or a word (1-32 characters) to 0-32 GSM-7 characters'
            cand remove 'Remove one entry'
            cand list 'Show the table'
            cand clear 'Remove every entry'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'smsctl;replace;add'= {
            cand --db 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]'
            cand --format 'Output format'
            cand --json 'Shorthand for --format json'
            cand -q 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand --quiet 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand -y 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --yes 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --no-input 'Never prompt; fail instead when a value or confirmation is missing'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'smsctl;replace;remove'= {
            cand --db 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]'
            cand --format 'Output format'
            cand --json 'Shorthand for --format json'
            cand -q 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand --quiet 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand -y 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --yes 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --no-input 'Never prompt; fail instead when a value or confirmation is missing'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'smsctl;replace;list'= {
            cand --db 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]'
            cand --format 'Output format'
            cand --json 'Shorthand for --format json'
            cand -q 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand --quiet 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand -y 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --yes 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --no-input 'Never prompt; fail instead when a value or confirmation is missing'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'smsctl;replace;clear'= {
            cand --db 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]'
            cand --format 'Output format'
            cand --json 'Shorthand for --format json'
            cand -q 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand --quiet 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand -y 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --yes 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --no-input 'Never prompt; fail instead when a value or confirmation is missing'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'smsctl;replace;help'= {
            cand add 'Map a character or a word (1-32 characters) to 0-32 GSM-7 characters'
            cand remove 'Remove one entry'
            cand list 'Show the table'
            cand clear 'Remove every entry'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'smsctl;replace;help;add'= {
        }
        &'smsctl;replace;help;remove'= {
        }
        &'smsctl;replace;help;list'= {
        }
        &'smsctl;replace;help;clear'= {
        }
        &'smsctl;replace;help;help'= {
        }
        &'smsctl;webhook'= {
            cand --db 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]'
            cand --format 'Output format'
            cand --json 'Shorthand for --format json'
            cand -q 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand --quiet 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand -y 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --yes 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --no-input 'Never prompt; fail instead when a value or confirmation is missing'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand test 'POST a signed sample delivery report (a flat DELIVRD report) to URL, as the gateway would'
            cand verify 'Read a report body on stdin and say whether SIGNATURE is its signature for the key'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'smsctl;webhook;test'= {
            cand --key 'Key name or key id whose secret signs the report'
            cand --status 'The status to report'
            cand --db 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]'
            cand --format 'Output format'
            cand --secret-stdin 'Read the secret from stdin'
            cand --json 'Shorthand for --format json'
            cand -q 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand --quiet 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand -y 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --yes 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --no-input 'Never prompt; fail instead when a value or confirmation is missing'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'smsctl;webhook;verify'= {
            cand --key 'Key name or key id whose secret should have signed the body'
            cand --signature 'The X-Messente-Signature value (hex)'
            cand --db 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]'
            cand --format 'Output format'
            cand --json 'Shorthand for --format json'
            cand -q 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand --quiet 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand -y 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --yes 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --no-input 'Never prompt; fail instead when a value or confirmation is missing'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'smsctl;webhook;help'= {
            cand test 'POST a signed sample delivery report (a flat DELIVRD report) to URL, as the gateway would'
            cand verify 'Read a report body on stdin and say whether SIGNATURE is its signature for the key'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'smsctl;webhook;help;test'= {
        }
        &'smsctl;webhook;help;verify'= {
        }
        &'smsctl;webhook;help;help'= {
        }
        &'smsctl;backup'= {
            cand --db 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]'
            cand --format 'Output format'
            cand --json 'Shorthand for --format json'
            cand -q 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand --quiet 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand -y 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --yes 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --no-input 'Never prompt; fail instead when a value or confirmation is missing'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'smsctl;store'= {
            cand --db 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]'
            cand --format 'Output format'
            cand --json 'Shorthand for --format json'
            cand -q 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand --quiet 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand -y 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --yes 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --no-input 'Never prompt; fail instead when a value or confirmation is missing'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand copy 'Copy every key, secret, audit entry and message from SRC to DST, a new file or an empty PostgreSQL database, then verify the chain and the counts on DST'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'smsctl;store;copy'= {
            cand --db 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]'
            cand --format 'Output format'
            cand --json 'Shorthand for --format json'
            cand -q 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand --quiet 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand -y 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --yes 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --no-input 'Never prompt; fail instead when a value or confirmation is missing'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'smsctl;store;help'= {
            cand copy 'Copy every key, secret, audit entry and message from SRC to DST, a new file or an empty PostgreSQL database, then verify the chain and the counts on DST'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'smsctl;store;help;copy'= {
        }
        &'smsctl;store;help;help'= {
        }
        &'smsctl;restore'= {
            cand --db 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]'
            cand --format 'Output format'
            cand --allow-unkeyed 'Also restore a backup from before keyed audit trails (schema 1), whose plain chain anyone could have recomputed after editing it'
            cand --json 'Shorthand for --format json'
            cand -q 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand --quiet 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand -y 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --yes 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --no-input 'Never prompt; fail instead when a value or confirmation is missing'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'smsctl;export'= {
            cand --key 'Export only this key (name or id; repeatable) [default: every live key]'
            cand --db 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]'
            cand --format 'Output format'
            cand --json 'Shorthand for --format json'
            cand -q 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand --quiet 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand -y 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --yes 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --no-input 'Never prompt; fail instead when a value or confirmation is missing'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'smsctl;plan'= {
            cand -f 'The key file (''-'' reads stdin)'
            cand --file 'The key file (''-'' reads stdin)'
            cand --db 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]'
            cand --format 'Output format'
            cand --check 'Exit 1 when anything would change, 0 when nothing would (a drift gate for CI)'
            cand --json 'Shorthand for --format json'
            cand -q 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand --quiet 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand -y 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --yes 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --no-input 'Never prompt; fail instead when a value or confirmation is missing'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'smsctl;apply'= {
            cand -f 'The key file (''-'' reads stdin)'
            cand --file 'The key file (''-'' reads stdin)'
            cand --plan-hash 'Refuse (exit 4) unless the plan is still the one with this hash (from `plan --json`)'
            cand --secrets-dir 'Write each new key''s secret to DIR/NAME.secret (a new 0600 file; never overwrites)'
            cand --db 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]'
            cand --format 'Output format'
            cand --save-secrets 'Save new keys'' secrets in the OS keyring (service smsctl, account = key id)'
            cand --json 'Shorthand for --format json'
            cand -q 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand --quiet 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand -y 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --yes 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --no-input 'Never prompt; fail instead when a value or confirmation is missing'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'smsctl;completions'= {
            cand --db 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]'
            cand --format 'Output format'
            cand --json 'Shorthand for --format json'
            cand -q 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand --quiet 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand -y 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --yes 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --no-input 'Never prompt; fail instead when a value or confirmation is missing'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'smsctl;paths'= {
            cand --db 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]'
            cand --format 'Output format'
            cand --json 'Shorthand for --format json'
            cand -q 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand --quiet 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand -y 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --yes 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --no-input 'Never prompt; fail instead when a value or confirmation is missing'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'smsctl;doctor'= {
            cand --since 'Authentication failures, canary trips and client addresses count from this long ago'
            cand --max-addresses 'A key sending from more distinct client addresses than this is reported as possibly shared'
            cand --db 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]'
            cand --format 'Output format'
            cand --json 'Shorthand for --format json'
            cand -q 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand --quiet 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand -y 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --yes 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --no-input 'Never prompt; fail instead when a value or confirmation is missing'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'smsctl;usage'= {
            cand --key 'Only this key (name or id)'
            cand --since 'Only usage since a time: a duration ago (24h, 7d) or a date/RFC 3339 time; counts are kept per UTC day, so this starts at the beginning of that day [default: everything]'
            cand --db 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]'
            cand --format 'Output format'
            cand --json 'Shorthand for --format json'
            cand -q 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand --quiet 'Print only each command''s one essential value (docs/exit-codes.md lists them; most --help pages say)'
            cand -y 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --yes 'Assume yes for confirmations (required for destructive commands without a TTY)'
            cand --no-input 'Never prompt; fail instead when a value or confirmation is missing'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'smsctl;help'= {
            cand key 'Create, inspect, configure, rotate and revoke API keys'
            cand send 'Send a test SMS with a key; flags override the key''s settings (see --dry-run)'
            cand text 'Analyse a message: encoding, units, parts, replacements; what send would do to it'
            cand messages 'List what `send` (and the gateway) recorded'
            cand audit 'Show the audit trail, or check that it has not been tampered with'
            cand gateway 'Run a local Omnimessage-compatible API that enforces this store''s keys'
            cand upstream 'The provider account credential that `gateway serve --upstream` (relay mode) forwards with'
            cand replace 'Edit the account''s replacement table (words allowed), used by autoconvert `on` for every key; a key''s own entries (`key replace`) override it'
            cand webhook 'Send a signed sample delivery report to a webhook, or check a report''s signature'
            cand backup 'Copy the store to FILE while it stays in use (a SQLite file, from either backend), then check the copy'
            cand store 'Move a whole store between backends (SQLite and PostgreSQL)'
            cand restore 'Replace the store with a backup after checking its integrity (asks; --yes in scripts)'
            cand export 'Write every live key''s configuration as a key file (TOML; never a secret or a hash)'
            cand plan 'Compare a key file with the store: what `apply` would create, update, revoke'
            cand apply 'Carry out a key file''s plan in one transaction (asks on a terminal; --yes in scripts)'
            cand completions 'Print a shell completion script (bash, zsh, fish, powershell, elvish)'
            cand paths 'Show where smsctl keeps its store and secrets'
            cand doctor 'Check the store, the audit trail, risky keys and the keyring; exit 1 listing each finding'
            cand usage 'Messages and parts accepted per key and per secret, quotas, authentication failures'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'smsctl;help;key'= {
            cand create 'Create a key; its secret is shown once'
            cand list 'List keys (revoked keys only with --all); never shows secrets'
            cand show 'Show one key: settings, secrets (last 4 characters only), usage'
            cand rename 'Rename a key (names are unique, case-insensitively)'
            cand rotate 'Issue a new secret; the previous one stays valid until the grace period ends'
            cand rollover 'Show who still uses a key''s previous secret during a rotation: addresses, last seen, count'
            cand revoke 'Revoke a key, or every key a selector matches: every secret stops working at once; this is final'
            cand purge 'Remove keys revoked before a time from the store; their audit history stays'
            cand delete 'There is no `key delete`: see `key revoke` (and `key purge`)'
            cand set 'Change a key''s settings (sender, autoconvert, webhook, description, expiry)'
            cand edit 'Walk through a key''s settings with prompts (terminal only; scripts use `key set`)'
            cand replace 'Edit the key''s own character table, used when autoconvert is `on`'
            cand whitelist 'Edit the key''s IP whitelist (an empty whitelist refuses every address)'
            cand verify 'Check a secret (SMSCTL_KEY_SECRET, else stdin, else the keyring with --key) as the API would; exit 0 if valid, 5 if not'
        }
        &'smsctl;help;key;create'= {
        }
        &'smsctl;help;key;list'= {
        }
        &'smsctl;help;key;show'= {
        }
        &'smsctl;help;key;rename'= {
        }
        &'smsctl;help;key;rotate'= {
        }
        &'smsctl;help;key;rollover'= {
        }
        &'smsctl;help;key;revoke'= {
        }
        &'smsctl;help;key;purge'= {
        }
        &'smsctl;help;key;delete'= {
        }
        &'smsctl;help;key;set'= {
        }
        &'smsctl;help;key;edit'= {
        }
        &'smsctl;help;key;replace'= {
            cand add 'Map one character to 0-4 GSM-7 characters'
            cand remove 'Remove the mapping of one character'
            cand list 'Show the table'
            cand clear 'Remove every mapping'
        }
        &'smsctl;help;key;replace;add'= {
        }
        &'smsctl;help;key;replace;remove'= {
        }
        &'smsctl;help;key;replace;list'= {
        }
        &'smsctl;help;key;replace;clear'= {
        }
        &'smsctl;help;key;whitelist'= {
            cand add 'Add addresses or CIDR ranges (all or nothing: one bad entry changes nothing); ''-'' reads them from stdin'
            cand remove 'Remove entries (''-'' reads them from stdin)'
            cand list 'Show the whitelist'
            cand clear 'Remove every entry (the key then refuses every address)'
            cand allow-all 'Allow every address: 0.0.0.0/0 and ::/0'
            cand test 'Say, offline, whether each address would be allowed and by which entry'
        }
        &'smsctl;help;key;whitelist;add'= {
        }
        &'smsctl;help;key;whitelist;remove'= {
        }
        &'smsctl;help;key;whitelist;list'= {
        }
        &'smsctl;help;key;whitelist;clear'= {
        }
        &'smsctl;help;key;whitelist;allow-all'= {
        }
        &'smsctl;help;key;whitelist;test'= {
        }
        &'smsctl;help;key;verify'= {
        }
        &'smsctl;help;send'= {
        }
        &'smsctl;help;text'= {
        }
        &'smsctl;help;messages'= {
            cand show 'One message in full: the record, its effective settings and its delivery history'
        }
        &'smsctl;help;messages;show'= {
        }
        &'smsctl;help;audit'= {
            cand verify 'Recompute the hash chain; exit 1 naming the first bad row if the trail was altered'
            cand export 'Write the (filtered) trail to stdout as JSON lines, oldest first, one entry per line'
        }
        &'smsctl;help;audit;verify'= {
        }
        &'smsctl;help;audit;export'= {
        }
        &'smsctl;help;gateway'= {
            cand serve 'Serve POST /v1/omnimessage and friends until SIGINT/SIGTERM (then drain and exit 0)'
        }
        &'smsctl;help;gateway;serve'= {
        }
        &'smsctl;help;upstream'= {
            cand set 'Save the provider account''s credential in the OS keyring (password prompted, or read from stdin; never an argument)'
            cand show 'Show which upstream credential relay mode would use (the username and where it is from)'
            cand delete 'Remove the saved credential from the OS keyring'
        }
        &'smsctl;help;upstream;set'= {
        }
        &'smsctl;help;upstream;show'= {
        }
        &'smsctl;help;upstream;delete'= {
        }
        &'smsctl;help;replace'= {
            cand add 'Map a character or a word (1-32 characters) to 0-32 GSM-7 characters'
            cand remove 'Remove one entry'
            cand list 'Show the table'
            cand clear 'Remove every entry'
        }
        &'smsctl;help;replace;add'= {
        }
        &'smsctl;help;replace;remove'= {
        }
        &'smsctl;help;replace;list'= {
        }
        &'smsctl;help;replace;clear'= {
        }
        &'smsctl;help;webhook'= {
            cand test 'POST a signed sample delivery report (a flat DELIVRD report) to URL, as the gateway would'
            cand verify 'Read a report body on stdin and say whether SIGNATURE is its signature for the key'
        }
        &'smsctl;help;webhook;test'= {
        }
        &'smsctl;help;webhook;verify'= {
        }
        &'smsctl;help;backup'= {
        }
        &'smsctl;help;store'= {
            cand copy 'Copy every key, secret, audit entry and message from SRC to DST, a new file or an empty PostgreSQL database, then verify the chain and the counts on DST'
        }
        &'smsctl;help;store;copy'= {
        }
        &'smsctl;help;restore'= {
        }
        &'smsctl;help;export'= {
        }
        &'smsctl;help;plan'= {
        }
        &'smsctl;help;apply'= {
        }
        &'smsctl;help;completions'= {
        }
        &'smsctl;help;paths'= {
        }
        &'smsctl;help;doctor'= {
        }
        &'smsctl;help;usage'= {
        }
        &'smsctl;help;help'= {
        }
    ]
    $completions[$command]
}
