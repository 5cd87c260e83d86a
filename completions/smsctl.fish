# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_smsctl_global_optspecs
    string join \n db= format= json q/quiet y/yes no-input h/help V/version
end

function __fish_smsctl_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_smsctl_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_smsctl_using_subcommand
    set -l cmd (__fish_smsctl_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c smsctl -n "__fish_smsctl_needs_command" -l db -d 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]' -r -F
complete -c smsctl -n "__fish_smsctl_needs_command" -l format -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c smsctl -n "__fish_smsctl_needs_command" -l json -d 'Shorthand for --format json'
complete -c smsctl -n "__fish_smsctl_needs_command" -s q -l quiet -d 'Print only each command\'s one essential value (docs/exit-codes.md lists them; most --help pages say)'
complete -c smsctl -n "__fish_smsctl_needs_command" -s y -l yes -d 'Assume yes for confirmations (required for destructive commands without a TTY)'
complete -c smsctl -n "__fish_smsctl_needs_command" -l no-input -d 'Never prompt; fail instead when a value or confirmation is missing'
complete -c smsctl -n "__fish_smsctl_needs_command" -s h -l help -d 'Print help'
complete -c smsctl -n "__fish_smsctl_needs_command" -s V -l version -d 'Print version'
complete -c smsctl -n "__fish_smsctl_needs_command" -f -a "key" -d 'Create, inspect, configure, rotate and revoke API keys'
complete -c smsctl -n "__fish_smsctl_needs_command" -f -a "send" -d 'Send a test SMS with a key; flags override the key\'s settings (see --dry-run)'
complete -c smsctl -n "__fish_smsctl_needs_command" -f -a "text" -d 'Analyse a message: encoding, units, parts, replacements; what send would do to it'
complete -c smsctl -n "__fish_smsctl_needs_command" -f -a "messages" -d 'List what `send` (and the gateway) recorded'
complete -c smsctl -n "__fish_smsctl_needs_command" -f -a "audit" -d 'Show the audit trail, or check that it has not been tampered with'
complete -c smsctl -n "__fish_smsctl_needs_command" -f -a "gateway" -d 'Run a local Omnimessage-compatible API that enforces this store\'s keys'
complete -c smsctl -n "__fish_smsctl_needs_command" -f -a "upstream" -d 'The provider account credential that `gateway serve --upstream` (relay mode) forwards with'
complete -c smsctl -n "__fish_smsctl_needs_command" -f -a "replace" -d 'Edit the account\'s replacement table (words allowed), used by autoconvert `on` for every key; a key\'s own entries (`key replace`) override it'
complete -c smsctl -n "__fish_smsctl_needs_command" -f -a "webhook" -d 'Send a signed sample delivery report to a webhook, or check a report\'s signature'
complete -c smsctl -n "__fish_smsctl_needs_command" -f -a "backup" -d 'Copy the store to FILE while it stays in use (a SQLite file, from either backend), then check the copy'
complete -c smsctl -n "__fish_smsctl_needs_command" -f -a "store" -d 'Move a whole store between backends (SQLite and PostgreSQL)'
complete -c smsctl -n "__fish_smsctl_needs_command" -f -a "restore" -d 'Replace the store with a backup after checking its integrity (asks; --yes in scripts)'
complete -c smsctl -n "__fish_smsctl_needs_command" -f -a "export" -d 'Write every live key\'s configuration as a key file (TOML; never a secret or a hash)'
complete -c smsctl -n "__fish_smsctl_needs_command" -f -a "plan" -d 'Compare a key file with the store: what `apply` would create, update, revoke'
complete -c smsctl -n "__fish_smsctl_needs_command" -f -a "apply" -d 'Carry out a key file\'s plan in one transaction (asks on a terminal; --yes in scripts)'
complete -c smsctl -n "__fish_smsctl_needs_command" -f -a "completions" -d 'Print a shell completion script (bash, zsh, fish, powershell, elvish)'
complete -c smsctl -n "__fish_smsctl_needs_command" -f -a "paths" -d 'Show where smsctl keeps its store and secrets'
complete -c smsctl -n "__fish_smsctl_needs_command" -f -a "doctor" -d 'Check the store, the audit trail, risky keys and the keyring; exit 1 listing each finding'
complete -c smsctl -n "__fish_smsctl_needs_command" -f -a "usage" -d 'Messages and parts accepted per key and per secret, quotas, authentication failures'
complete -c smsctl -n "__fish_smsctl_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and not __fish_seen_subcommand_from create list show rename rotate rollover revoke purge delete set edit replace whitelist verify help" -l db -d 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]' -r -F
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and not __fish_seen_subcommand_from create list show rename rotate rollover revoke purge delete set edit replace whitelist verify help" -l format -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and not __fish_seen_subcommand_from create list show rename rotate rollover revoke purge delete set edit replace whitelist verify help" -l json -d 'Shorthand for --format json'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and not __fish_seen_subcommand_from create list show rename rotate rollover revoke purge delete set edit replace whitelist verify help" -s q -l quiet -d 'Print only each command\'s one essential value (docs/exit-codes.md lists them; most --help pages say)'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and not __fish_seen_subcommand_from create list show rename rotate rollover revoke purge delete set edit replace whitelist verify help" -s y -l yes -d 'Assume yes for confirmations (required for destructive commands without a TTY)'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and not __fish_seen_subcommand_from create list show rename rotate rollover revoke purge delete set edit replace whitelist verify help" -l no-input -d 'Never prompt; fail instead when a value or confirmation is missing'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and not __fish_seen_subcommand_from create list show rename rotate rollover revoke purge delete set edit replace whitelist verify help" -s h -l help -d 'Print help'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and not __fish_seen_subcommand_from create list show rename rotate rollover revoke purge delete set edit replace whitelist verify help" -s V -l version -d 'Print version'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and not __fish_seen_subcommand_from create list show rename rotate rollover revoke purge delete set edit replace whitelist verify help" -f -a "create" -d 'Create a key; its secret is shown once'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and not __fish_seen_subcommand_from create list show rename rotate rollover revoke purge delete set edit replace whitelist verify help" -f -a "list" -d 'List keys (revoked keys only with --all); never shows secrets'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and not __fish_seen_subcommand_from create list show rename rotate rollover revoke purge delete set edit replace whitelist verify help" -f -a "show" -d 'Show one key: settings, secrets (last 4 characters only), usage'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and not __fish_seen_subcommand_from create list show rename rotate rollover revoke purge delete set edit replace whitelist verify help" -f -a "rename" -d 'Rename a key (names are unique, case-insensitively)'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and not __fish_seen_subcommand_from create list show rename rotate rollover revoke purge delete set edit replace whitelist verify help" -f -a "rotate" -d 'Issue a new secret; the previous one stays valid until the grace period ends'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and not __fish_seen_subcommand_from create list show rename rotate rollover revoke purge delete set edit replace whitelist verify help" -f -a "rollover" -d 'Show who still uses a key\'s previous secret during a rotation: addresses, last seen, count'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and not __fish_seen_subcommand_from create list show rename rotate rollover revoke purge delete set edit replace whitelist verify help" -f -a "revoke" -d 'Revoke a key, or every key a selector matches: every secret stops working at once; this is final'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and not __fish_seen_subcommand_from create list show rename rotate rollover revoke purge delete set edit replace whitelist verify help" -f -a "purge" -d 'Remove keys revoked before a time from the store; their audit history stays'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and not __fish_seen_subcommand_from create list show rename rotate rollover revoke purge delete set edit replace whitelist verify help" -f -a "delete" -d 'There is no `key delete`: see `key revoke` (and `key purge`)'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and not __fish_seen_subcommand_from create list show rename rotate rollover revoke purge delete set edit replace whitelist verify help" -f -a "set" -d 'Change a key\'s settings (sender, autoconvert, webhook, description, expiry)'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and not __fish_seen_subcommand_from create list show rename rotate rollover revoke purge delete set edit replace whitelist verify help" -f -a "edit" -d 'Walk through a key\'s settings with prompts (terminal only; scripts use `key set`)'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and not __fish_seen_subcommand_from create list show rename rotate rollover revoke purge delete set edit replace whitelist verify help" -f -a "replace" -d 'Edit the key\'s own character table, used when autoconvert is `on`'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and not __fish_seen_subcommand_from create list show rename rotate rollover revoke purge delete set edit replace whitelist verify help" -f -a "whitelist" -d 'Edit the key\'s IP whitelist (an empty whitelist refuses every address)'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and not __fish_seen_subcommand_from create list show rename rotate rollover revoke purge delete set edit replace whitelist verify help" -f -a "verify" -d 'Check a secret (SMSCTL_KEY_SECRET, else stdin, else the keyring with --key) as the API would; exit 0 if valid, 5 if not'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and not __fish_seen_subcommand_from create list show rename rotate rollover revoke purge delete set edit replace whitelist verify help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from create" -l sender -d 'Default sender: alphanumeric (≤11 chars) or numeric (≤15 digits, optional +)' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from create" -l autoconvert -d 'Autoconvert mode: off, on (the account\'s replacement table, the key\'s own entries overriding it) or full (GSM-7 transliteration)' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from create" -l dlr-url -d 'Delivery-report webhook: https URL (http only for localhost)' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from create" -l description -d 'Free-text description' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from create" -l expires -d 'Expiry: a duration (90d), a date (2026-12-31), an RFC 3339 time, or `never`' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from create" -l owner -d 'The team that owns the key (required on --production keys)' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from create" -l scope -d 'The API operations the key may use, comma-separated [default: all]' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from create" -l allow-sender -d 'The only senders the key may use (repeatable; replaces the list); its default sender must be one' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from create" -l allow-to -d 'Allow only destinations starting with this E.164 prefix (repeatable; replaces the list)' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from create" -l deny-to -d 'Refuse destinations starting with this E.164 prefix, even if allowed (repeatable; replaces the list)' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from create" -l max-parts -d 'The most parts one message may take' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from create" -l rate -d 'Request rate, a token bucket: N/s or N/min, burst N unless given (5/s,burst=20)' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from create" -l quota -d 'Message parts per UTC calendar day or month: N/day or N/month' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from create" -l purpose -d 'What the key\'s messages are: marketing, transactional, alerts, otp or internal' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from create" -l send-window -d 'Refuse sends outside these local hours, e.g. 08:00-21:00@Europe/Tallinn' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from create" -l alert-url -d 'Where the gateway POSTs a canary trip (https URL; http only for localhost)' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from create" -l replace -d 'Add a character mapping for `on` mode (repeatable), e.g. --replace ç=c' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from create" -l allow-ip -d 'Whitelist an address or CIDR range (repeatable); without any, every address is refused' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from create" -l secret-file -d 'Write the secret to PATH, a new 0600 file (never an existing path or a link), instead of printing it' -r -F
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from create" -l db -d 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]' -r -F
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from create" -l format -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from create" -l production -d 'Mark as a production key (whitelisting private ranges then warns; needs --owner)'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from create" -l canary -d 'A canary: must never be used; any attempt gets a 401, an audit row and a doctor finding'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from create" -l save-secret -d 'Save the secret in the OS keyring (service smsctl, account = key id) instead of printing it'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from create" -l json -d 'Shorthand for --format json'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from create" -s q -l quiet -d 'Print only each command\'s one essential value (docs/exit-codes.md lists them; most --help pages say)'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from create" -s y -l yes -d 'Assume yes for confirmations (required for destructive commands without a TTY)'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from create" -l no-input -d 'Never prompt; fail instead when a value or confirmation is missing'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from create" -s V -l version -d 'Print version'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from list" -l name -d 'Only keys whose name matches GLOB (\'*\' any characters, \'?\' one; case-insensitive)' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from list" -l owner -d 'Only keys owned by this team (the policy\'s --owner)' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from list" -l unused-for -d 'Only keys not used for DUR (a never-used key counts from its creation), e.g. 90d' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from list" -l created-before -d 'Only keys created before T: a duration ago (30d), a date (2026-01-01) or an RFC 3339 time' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from list" -l expires-within -d 'Only keys that expire within DUR (already expired ones included), e.g. 14d' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from list" -l db -d 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]' -r -F
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from list" -l format -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from list" -l all -d 'Include revoked keys'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from list" -l json -d 'Shorthand for --format json'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print only each command\'s one essential value (docs/exit-codes.md lists them; most --help pages say)'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from list" -s y -l yes -d 'Assume yes for confirmations (required for destructive commands without a TTY)'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from list" -l no-input -d 'Never prompt; fail instead when a value or confirmation is missing'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from show" -l db -d 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]' -r -F
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from show" -l format -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from show" -l json -d 'Shorthand for --format json'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print only each command\'s one essential value (docs/exit-codes.md lists them; most --help pages say)'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from show" -s y -l yes -d 'Assume yes for confirmations (required for destructive commands without a TTY)'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from show" -l no-input -d 'Never prompt; fail instead when a value or confirmation is missing'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from rename" -l db -d 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]' -r -F
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from rename" -l format -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from rename" -l json -d 'Shorthand for --format json'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from rename" -s q -l quiet -d 'Print only each command\'s one essential value (docs/exit-codes.md lists them; most --help pages say)'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from rename" -s y -l yes -d 'Assume yes for confirmations (required for destructive commands without a TTY)'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from rename" -l no-input -d 'Never prompt; fail instead when a value or confirmation is missing'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from rename" -s h -l help -d 'Print help'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from rename" -s V -l version -d 'Print version'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from rotate" -l grace -d 'How long the previous secret stays valid (0 = not at all) [default: 24h]' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from rotate" -l retire-when-quiet -d 'Retire the previous secret by itself once it has gone unused for DUR (still at most --grace)' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from rotate" -l secret-file -d 'Write the new secret to PATH, a new 0600 file (never an existing path or a link), instead of printing it' -r -F
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from rotate" -l db -d 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]' -r -F
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from rotate" -l format -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from rotate" -l force -d 'Rotate even while an older secret is in grace (that grace ends now)'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from rotate" -l finish -d 'Issue no new secret: end the grace of the previous secret now (see `key rollover` first)'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from rotate" -l save-secret -d 'Save the new secret in the OS keyring (replacing the old entry) instead of printing it'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from rotate" -l json -d 'Shorthand for --format json'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from rotate" -s q -l quiet -d 'Print only each command\'s one essential value (docs/exit-codes.md lists them; most --help pages say)'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from rotate" -s y -l yes -d 'Assume yes for confirmations (required for destructive commands without a TTY)'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from rotate" -l no-input -d 'Never prompt; fail instead when a value or confirmation is missing'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from rotate" -s h -l help -d 'Print help'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from rotate" -s V -l version -d 'Print version'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from rollover" -l db -d 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]' -r -F
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from rollover" -l format -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from rollover" -l json -d 'Shorthand for --format json'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from rollover" -s q -l quiet -d 'Print only each command\'s one essential value (docs/exit-codes.md lists them; most --help pages say)'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from rollover" -s y -l yes -d 'Assume yes for confirmations (required for destructive commands without a TTY)'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from rollover" -l no-input -d 'Never prompt; fail instead when a value or confirmation is missing'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from rollover" -s h -l help -d 'Print help'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from rollover" -s V -l version -d 'Print version'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from revoke" -l name -d 'Only keys whose name matches GLOB (\'*\' any characters, \'?\' one; case-insensitive)' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from revoke" -l owner -d 'Only keys owned by this team (the policy\'s --owner)' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from revoke" -l unused-for -d 'Only keys not used for DUR (a never-used key counts from its creation), e.g. 90d' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from revoke" -l created-before -d 'Only keys created before T: a duration ago (30d), a date (2026-01-01) or an RFC 3339 time' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from revoke" -l expires-within -d 'Only keys that expire within DUR (already expired ones included), e.g. 14d' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from revoke" -l db -d 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]' -r -F
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from revoke" -l format -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from revoke" -l json -d 'Shorthand for --format json'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from revoke" -s q -l quiet -d 'Print only each command\'s one essential value (docs/exit-codes.md lists them; most --help pages say)'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from revoke" -s y -l yes -d 'Assume yes for confirmations (required for destructive commands without a TTY)'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from revoke" -l no-input -d 'Never prompt; fail instead when a value or confirmation is missing'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from revoke" -s h -l help -d 'Print help'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from revoke" -s V -l version -d 'Print version'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from purge" -l revoked-before -d 'Purge keys revoked before this: a duration ago (90d) or a date/RFC 3339 time' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from purge" -l db -d 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]' -r -F
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from purge" -l format -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from purge" -l dry-run -d 'List what would be purged; change nothing'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from purge" -l json -d 'Shorthand for --format json'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from purge" -s q -l quiet -d 'Print only each command\'s one essential value (docs/exit-codes.md lists them; most --help pages say)'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from purge" -s y -l yes -d 'Assume yes for confirmations (required for destructive commands without a TTY)'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from purge" -l no-input -d 'Never prompt; fail instead when a value or confirmation is missing'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from purge" -s h -l help -d 'Print help'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from purge" -s V -l version -d 'Print version'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from delete" -l db -d 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]' -r -F
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from delete" -l format -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from delete" -l json -d 'Shorthand for --format json'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from delete" -s q -l quiet -d 'Print only each command\'s one essential value (docs/exit-codes.md lists them; most --help pages say)'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from delete" -s y -l yes -d 'Assume yes for confirmations (required for destructive commands without a TTY)'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from delete" -l no-input -d 'Never prompt; fail instead when a value or confirmation is missing'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from delete" -s h -l help -d 'Print help'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from delete" -s V -l version -d 'Print version'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from set" -l sender -d 'Default sender: alphanumeric (≤11 chars) or numeric (≤15 digits, optional +)' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from set" -l autoconvert -d 'Autoconvert mode: off, on (the account\'s replacement table, the key\'s own entries overriding it) or full (GSM-7 transliteration)' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from set" -l dlr-url -d 'Delivery-report webhook: https URL (http only for localhost)' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from set" -l description -d 'Free-text description' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from set" -l expires -d 'Expiry: a duration (90d), a date (2026-12-31), an RFC 3339 time, or `never`' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from set" -l owner -d 'The team that owns the key (required on --production keys)' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from set" -l scope -d 'The API operations the key may use, comma-separated [default: all]' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from set" -l allow-sender -d 'The only senders the key may use (repeatable; replaces the list); its default sender must be one' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from set" -l allow-to -d 'Allow only destinations starting with this E.164 prefix (repeatable; replaces the list)' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from set" -l deny-to -d 'Refuse destinations starting with this E.164 prefix, even if allowed (repeatable; replaces the list)' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from set" -l max-parts -d 'The most parts one message may take' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from set" -l rate -d 'Request rate, a token bucket: N/s or N/min, burst N unless given (5/s,burst=20)' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from set" -l quota -d 'Message parts per UTC calendar day or month: N/day or N/month' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from set" -l purpose -d 'What the key\'s messages are: marketing, transactional, alerts, otp or internal' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from set" -l send-window -d 'Refuse sends outside these local hours, e.g. 08:00-21:00@Europe/Tallinn' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from set" -l alert-url -d 'Where the gateway POSTs a canary trip (https URL; http only for localhost)' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from set" -l db -d 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]' -r -F
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from set" -l format -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from set" -l production -d 'Mark as a production key (whitelisting private ranges then warns; needs --owner)'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from set" -l canary -d 'A canary: must never be used; any attempt gets a 401, an audit row and a doctor finding'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from set" -l no-sender -d 'Remove the default sender (send then needs --from)'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from set" -l no-dlr-url -d 'Remove the delivery-report webhook'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from set" -l no-autoconvert -d 'Unset the autoconvert mode (the built-in default, on, applies)'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from set" -l no-description -d 'Remove the description'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from set" -l no-production -d 'Mark as not a production key'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from set" -l no-owner -d 'Remove the owner (not allowed on production keys)'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from set" -l all-scopes -d 'Allow every operation again'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from set" -l no-allow-sender -d 'Allow any sender again'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from set" -l no-allow-to -d 'Allow any destination again (the deny list still applies)'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from set" -l no-deny-to -d 'Remove every denied prefix'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from set" -l no-max-parts -d 'No limit on parts per message'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from set" -l no-rate -d 'No rate limit'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from set" -l no-quota -d 'No quota'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from set" -l no-purpose -d 'Remove the purpose'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from set" -l no-send-window -d 'Send at any hour'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from set" -l no-canary -d 'No longer a canary'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from set" -l no-alert-url -d 'Remove the canary alert URL'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from set" -l json -d 'Shorthand for --format json'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from set" -s q -l quiet -d 'Print only each command\'s one essential value (docs/exit-codes.md lists them; most --help pages say)'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from set" -s y -l yes -d 'Assume yes for confirmations (required for destructive commands without a TTY)'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from set" -l no-input -d 'Never prompt; fail instead when a value or confirmation is missing'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from set" -s h -l help -d 'Print help'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from set" -s V -l version -d 'Print version'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from edit" -l db -d 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]' -r -F
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from edit" -l format -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from edit" -l json -d 'Shorthand for --format json'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from edit" -s q -l quiet -d 'Print only each command\'s one essential value (docs/exit-codes.md lists them; most --help pages say)'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from edit" -s y -l yes -d 'Assume yes for confirmations (required for destructive commands without a TTY)'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from edit" -l no-input -d 'Never prompt; fail instead when a value or confirmation is missing'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from edit" -s h -l help -d 'Print help'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from edit" -s V -l version -d 'Print version'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from replace" -l db -d 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]' -r -F
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from replace" -l format -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from replace" -l json -d 'Shorthand for --format json'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from replace" -s q -l quiet -d 'Print only each command\'s one essential value (docs/exit-codes.md lists them; most --help pages say)'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from replace" -s y -l yes -d 'Assume yes for confirmations (required for destructive commands without a TTY)'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from replace" -l no-input -d 'Never prompt; fail instead when a value or confirmation is missing'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from replace" -s h -l help -d 'Print help'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from replace" -s V -l version -d 'Print version'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from replace" -a "add" -d 'Map one character to 0-4 GSM-7 characters'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from replace" -a "remove" -d 'Remove the mapping of one character'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from replace" -a "list" -d 'Show the table'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from replace" -a "clear" -d 'Remove every mapping'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from replace" -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from whitelist" -l db -d 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]' -r -F
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from whitelist" -l format -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from whitelist" -l json -d 'Shorthand for --format json'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from whitelist" -s q -l quiet -d 'Print only each command\'s one essential value (docs/exit-codes.md lists them; most --help pages say)'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from whitelist" -s y -l yes -d 'Assume yes for confirmations (required for destructive commands without a TTY)'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from whitelist" -l no-input -d 'Never prompt; fail instead when a value or confirmation is missing'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from whitelist" -s h -l help -d 'Print help'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from whitelist" -s V -l version -d 'Print version'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from whitelist" -a "add" -d 'Add addresses or CIDR ranges (all or nothing: one bad entry changes nothing); \'-\' reads them from stdin'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from whitelist" -a "remove" -d 'Remove entries (\'-\' reads them from stdin)'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from whitelist" -a "list" -d 'Show the whitelist'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from whitelist" -a "clear" -d 'Remove every entry (the key then refuses every address)'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from whitelist" -a "allow-all" -d 'Allow every address: 0.0.0.0/0 and ::/0'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from whitelist" -a "test" -d 'Say, offline, whether each address would be allowed and by which entry'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from whitelist" -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from verify" -l ip -d 'Also check this client address against the key\'s whitelist' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from verify" -l key -d 'Check that the secret belongs to this key (and use its OS keyring entry as a source)' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from verify" -l db -d 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]' -r -F
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from verify" -l format -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from verify" -l no-record -d 'Change nothing: do not record the check as a use of the secret'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from verify" -l secret-stdin -d 'Read the secret from stdin even when SMSCTL_KEY_SECRET is set'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from verify" -l json -d 'Shorthand for --format json'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from verify" -s q -l quiet -d 'Print only each command\'s one essential value (docs/exit-codes.md lists them; most --help pages say)'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from verify" -s y -l yes -d 'Assume yes for confirmations (required for destructive commands without a TTY)'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from verify" -l no-input -d 'Never prompt; fail instead when a value or confirmation is missing'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from verify" -s h -l help -d 'Print help'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from verify" -s V -l version -d 'Print version'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from help" -f -a "create" -d 'Create a key; its secret is shown once'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from help" -f -a "list" -d 'List keys (revoked keys only with --all); never shows secrets'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show one key: settings, secrets (last 4 characters only), usage'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from help" -f -a "rename" -d 'Rename a key (names are unique, case-insensitively)'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from help" -f -a "rotate" -d 'Issue a new secret; the previous one stays valid until the grace period ends'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from help" -f -a "rollover" -d 'Show who still uses a key\'s previous secret during a rotation: addresses, last seen, count'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from help" -f -a "revoke" -d 'Revoke a key, or every key a selector matches: every secret stops working at once; this is final'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from help" -f -a "purge" -d 'Remove keys revoked before a time from the store; their audit history stays'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from help" -f -a "delete" -d 'There is no `key delete`: see `key revoke` (and `key purge`)'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from help" -f -a "set" -d 'Change a key\'s settings (sender, autoconvert, webhook, description, expiry)'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from help" -f -a "edit" -d 'Walk through a key\'s settings with prompts (terminal only; scripts use `key set`)'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from help" -f -a "replace" -d 'Edit the key\'s own character table, used when autoconvert is `on`'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from help" -f -a "whitelist" -d 'Edit the key\'s IP whitelist (an empty whitelist refuses every address)'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from help" -f -a "verify" -d 'Check a secret (SMSCTL_KEY_SECRET, else stdin, else the keyring with --key) as the API would; exit 0 if valid, 5 if not'
complete -c smsctl -n "__fish_smsctl_using_subcommand key; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c smsctl -n "__fish_smsctl_using_subcommand send" -l key -d 'Key name or key id' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand send" -l to -d 'Recipient in E.164 form (+ and 7-15 digits; spaces, dashes and parentheses are ignored)' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand send" -l text -d 'The message text' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand send" -l text-file -d 'Read the message text from a UTF-8 file (\'-\' for stdin)' -r -F
complete -c smsctl -n "__fish_smsctl_using_subcommand send" -l sender -l from -d 'Sender for this message (beats the key\'s default sender)' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand send" -l autoconvert -d 'Autoconvert mode for this message: off, on or full (beats the key\'s mode)' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand send" -l dlr-url -d 'Delivery-report webhook for this message (beats the key\'s webhook)' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand send" -l max-parts -d 'Fail (exit 1) if the message needs more than N parts' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand send" -l api-url -d 'API base URL (POST {api}/omnimessage)' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand send" -l idempotency-key -d 'The request\'s Idempotency-Key [default: derived from the key and the exact request, so a retried run within 24 h is answered without sending twice; give a new value to send the same message again on purpose]' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand send" -l timeout -d 'Overall request timeout' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand send" -l db -d 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]' -r -F
complete -c smsctl -n "__fish_smsctl_using_subcommand send" -l format -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c smsctl -n "__fish_smsctl_using_subcommand send" -l no-dlr-url -d 'No delivery report for this message, even if the key has a webhook'
complete -c smsctl -n "__fish_smsctl_using_subcommand send" -l dry-run -d 'Show what would be sent, which value won and why; send nothing'
complete -c smsctl -n "__fish_smsctl_using_subcommand send" -l require-gsm7 -d 'Fail (exit 1) unless the final text is GSM-7'
complete -c smsctl -n "__fish_smsctl_using_subcommand send" -l secret-stdin -d 'Read the key\'s secret from stdin'
complete -c smsctl -n "__fish_smsctl_using_subcommand send" -l json -d 'Shorthand for --format json'
complete -c smsctl -n "__fish_smsctl_using_subcommand send" -s q -l quiet -d 'Print only each command\'s one essential value (docs/exit-codes.md lists them; most --help pages say)'
complete -c smsctl -n "__fish_smsctl_using_subcommand send" -s y -l yes -d 'Assume yes for confirmations (required for destructive commands without a TTY)'
complete -c smsctl -n "__fish_smsctl_using_subcommand send" -l no-input -d 'Never prompt; fail instead when a value or confirmation is missing'
complete -c smsctl -n "__fish_smsctl_using_subcommand send" -s h -l help -d 'Print help'
complete -c smsctl -n "__fish_smsctl_using_subcommand send" -s V -l version -d 'Print version'
complete -c smsctl -n "__fish_smsctl_using_subcommand text" -l text-file -d 'Read the text from a UTF-8 file' -r -F
complete -c smsctl -n "__fish_smsctl_using_subcommand text" -l autoconvert -d 'Autoconvert mode: off, on or full (default: the key\'s mode with --key, else on)' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand text" -l key -d 'Use this key\'s character table (and its mode, unless --autoconvert is given)' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand text" -l db -d 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]' -r -F
complete -c smsctl -n "__fish_smsctl_using_subcommand text" -l format -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c smsctl -n "__fish_smsctl_using_subcommand text" -l compare -d 'Show off / on / full side by side'
complete -c smsctl -n "__fish_smsctl_using_subcommand text" -l json -d 'Shorthand for --format json'
complete -c smsctl -n "__fish_smsctl_using_subcommand text" -s q -l quiet -d 'Print only each command\'s one essential value (docs/exit-codes.md lists them; most --help pages say)'
complete -c smsctl -n "__fish_smsctl_using_subcommand text" -s y -l yes -d 'Assume yes for confirmations (required for destructive commands without a TTY)'
complete -c smsctl -n "__fish_smsctl_using_subcommand text" -l no-input -d 'Never prompt; fail instead when a value or confirmation is missing'
complete -c smsctl -n "__fish_smsctl_using_subcommand text" -s h -l help -d 'Print help'
complete -c smsctl -n "__fish_smsctl_using_subcommand text" -s V -l version -d 'Print version'
complete -c smsctl -n "__fish_smsctl_using_subcommand messages; and not __fish_seen_subcommand_from show help" -l key -d 'Only messages sent with this key (name or id)' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand messages; and not __fish_seen_subcommand_from show help" -l since -d 'Only messages since a time: a duration ago (24h, 7d) or a date/RFC 3339 time' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand messages; and not __fish_seen_subcommand_from show help" -l status -d 'Only messages with this outcome: accepted (the API took it) or refused (an error)' -r -f -a "accepted\t'The API accepted the message (HTTP 2xx)'
refused\t'The API refused it, or it never got an answer'"
complete -c smsctl -n "__fish_smsctl_using_subcommand messages; and not __fish_seen_subcommand_from show help" -l to -d 'Only messages to this recipient (E.164; spaces and dashes are ignored)' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand messages; and not __fish_seen_subcommand_from show help" -l limit -d 'At most this many messages (newest first)' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand messages; and not __fish_seen_subcommand_from show help" -l db -d 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]' -r -F
complete -c smsctl -n "__fish_smsctl_using_subcommand messages; and not __fish_seen_subcommand_from show help" -l format -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c smsctl -n "__fish_smsctl_using_subcommand messages; and not __fish_seen_subcommand_from show help" -l wide -d 'Every column (ids, sender, encoding, webhook report), wider than 80 columns'
complete -c smsctl -n "__fish_smsctl_using_subcommand messages; and not __fish_seen_subcommand_from show help" -l json -d 'Shorthand for --format json'
complete -c smsctl -n "__fish_smsctl_using_subcommand messages; and not __fish_seen_subcommand_from show help" -s q -l quiet -d 'Print only each command\'s one essential value (docs/exit-codes.md lists them; most --help pages say)'
complete -c smsctl -n "__fish_smsctl_using_subcommand messages; and not __fish_seen_subcommand_from show help" -s y -l yes -d 'Assume yes for confirmations (required for destructive commands without a TTY)'
complete -c smsctl -n "__fish_smsctl_using_subcommand messages; and not __fish_seen_subcommand_from show help" -l no-input -d 'Never prompt; fail instead when a value or confirmation is missing'
complete -c smsctl -n "__fish_smsctl_using_subcommand messages; and not __fish_seen_subcommand_from show help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c smsctl -n "__fish_smsctl_using_subcommand messages; and not __fish_seen_subcommand_from show help" -s V -l version -d 'Print version'
complete -c smsctl -n "__fish_smsctl_using_subcommand messages; and not __fish_seen_subcommand_from show help" -f -a "show" -d 'One message in full: the record, its effective settings and its delivery history'
complete -c smsctl -n "__fish_smsctl_using_subcommand messages; and not __fish_seen_subcommand_from show help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c smsctl -n "__fish_smsctl_using_subcommand messages; and __fish_seen_subcommand_from show" -l db -d 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]' -r -F
complete -c smsctl -n "__fish_smsctl_using_subcommand messages; and __fish_seen_subcommand_from show" -l format -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c smsctl -n "__fish_smsctl_using_subcommand messages; and __fish_seen_subcommand_from show" -l json -d 'Shorthand for --format json'
complete -c smsctl -n "__fish_smsctl_using_subcommand messages; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print only each command\'s one essential value (docs/exit-codes.md lists them; most --help pages say)'
complete -c smsctl -n "__fish_smsctl_using_subcommand messages; and __fish_seen_subcommand_from show" -s y -l yes -d 'Assume yes for confirmations (required for destructive commands without a TTY)'
complete -c smsctl -n "__fish_smsctl_using_subcommand messages; and __fish_seen_subcommand_from show" -l no-input -d 'Never prompt; fail instead when a value or confirmation is missing'
complete -c smsctl -n "__fish_smsctl_using_subcommand messages; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c smsctl -n "__fish_smsctl_using_subcommand messages; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c smsctl -n "__fish_smsctl_using_subcommand messages; and __fish_seen_subcommand_from help" -f -a "show" -d 'One message in full: the record, its effective settings and its delivery history'
complete -c smsctl -n "__fish_smsctl_using_subcommand messages; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c smsctl -n "__fish_smsctl_using_subcommand audit; and not __fish_seen_subcommand_from verify export help" -l key -d 'Only entries about this key (name, or key id, also of a purged key)' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand audit; and not __fish_seen_subcommand_from verify export help" -l since -d 'Only entries since a time: a duration ago (24h, 7d) or a date/RFC 3339 time' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand audit; and not __fish_seen_subcommand_from verify export help" -l action -d 'Only this action, e.g. key.rotate; a trailing * matches a prefix (key.*)' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand audit; and not __fish_seen_subcommand_from verify export help" -l actor -d 'Only entries by this actor (SMSCTL_ACTOR or the OS user that made the change)' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand audit; and not __fish_seen_subcommand_from verify export help" -l limit -d 'At most this many entries (the newest)' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand audit; and not __fish_seen_subcommand_from verify export help" -l db -d 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]' -r -F
complete -c smsctl -n "__fish_smsctl_using_subcommand audit; and not __fish_seen_subcommand_from verify export help" -l format -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c smsctl -n "__fish_smsctl_using_subcommand audit; and not __fish_seen_subcommand_from verify export help" -l json -d 'Shorthand for --format json'
complete -c smsctl -n "__fish_smsctl_using_subcommand audit; and not __fish_seen_subcommand_from verify export help" -s q -l quiet -d 'Print only each command\'s one essential value (docs/exit-codes.md lists them; most --help pages say)'
complete -c smsctl -n "__fish_smsctl_using_subcommand audit; and not __fish_seen_subcommand_from verify export help" -s y -l yes -d 'Assume yes for confirmations (required for destructive commands without a TTY)'
complete -c smsctl -n "__fish_smsctl_using_subcommand audit; and not __fish_seen_subcommand_from verify export help" -l no-input -d 'Never prompt; fail instead when a value or confirmation is missing'
complete -c smsctl -n "__fish_smsctl_using_subcommand audit; and not __fish_seen_subcommand_from verify export help" -s h -l help -d 'Print help'
complete -c smsctl -n "__fish_smsctl_using_subcommand audit; and not __fish_seen_subcommand_from verify export help" -s V -l version -d 'Print version'
complete -c smsctl -n "__fish_smsctl_using_subcommand audit; and not __fish_seen_subcommand_from verify export help" -f -a "verify" -d 'Recompute the hash chain; exit 1 naming the first bad row if the trail was altered'
complete -c smsctl -n "__fish_smsctl_using_subcommand audit; and not __fish_seen_subcommand_from verify export help" -f -a "export" -d 'Write the (filtered) trail to stdout as JSON lines, oldest first, one entry per line'
complete -c smsctl -n "__fish_smsctl_using_subcommand audit; and not __fish_seen_subcommand_from verify export help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c smsctl -n "__fish_smsctl_using_subcommand audit; and __fish_seen_subcommand_from verify" -l expect-head -d 'A head hash recorded earlier (from `audit verify --json`): it must still be in the trail, which catches entries removed from the end' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand audit; and __fish_seen_subcommand_from verify" -l db -d 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]' -r -F
complete -c smsctl -n "__fish_smsctl_using_subcommand audit; and __fish_seen_subcommand_from verify" -l format -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c smsctl -n "__fish_smsctl_using_subcommand audit; and __fish_seen_subcommand_from verify" -l json -d 'Shorthand for --format json'
complete -c smsctl -n "__fish_smsctl_using_subcommand audit; and __fish_seen_subcommand_from verify" -s q -l quiet -d 'Print only each command\'s one essential value (docs/exit-codes.md lists them; most --help pages say)'
complete -c smsctl -n "__fish_smsctl_using_subcommand audit; and __fish_seen_subcommand_from verify" -s y -l yes -d 'Assume yes for confirmations (required for destructive commands without a TTY)'
complete -c smsctl -n "__fish_smsctl_using_subcommand audit; and __fish_seen_subcommand_from verify" -l no-input -d 'Never prompt; fail instead when a value or confirmation is missing'
complete -c smsctl -n "__fish_smsctl_using_subcommand audit; and __fish_seen_subcommand_from verify" -s h -l help -d 'Print help'
complete -c smsctl -n "__fish_smsctl_using_subcommand audit; and __fish_seen_subcommand_from verify" -s V -l version -d 'Print version'
complete -c smsctl -n "__fish_smsctl_using_subcommand audit; and __fish_seen_subcommand_from export" -l key -d 'Only entries about this key (name, or key id, also of a purged key)' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand audit; and __fish_seen_subcommand_from export" -l since -d 'Only entries since a time: a duration ago (24h, 7d) or a date/RFC 3339 time' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand audit; and __fish_seen_subcommand_from export" -l action -d 'Only this action, e.g. key.rotate; a trailing * matches a prefix (key.*)' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand audit; and __fish_seen_subcommand_from export" -l actor -d 'Only entries by this actor (SMSCTL_ACTOR or the OS user that made the change)' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand audit; and __fish_seen_subcommand_from export" -l limit -d 'At most this many entries (the newest)' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand audit; and __fish_seen_subcommand_from export" -l db -d 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]' -r -F
complete -c smsctl -n "__fish_smsctl_using_subcommand audit; and __fish_seen_subcommand_from export" -l format -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c smsctl -n "__fish_smsctl_using_subcommand audit; and __fish_seen_subcommand_from export" -l json -d 'Shorthand for --format json'
complete -c smsctl -n "__fish_smsctl_using_subcommand audit; and __fish_seen_subcommand_from export" -s q -l quiet -d 'Print only each command\'s one essential value (docs/exit-codes.md lists them; most --help pages say)'
complete -c smsctl -n "__fish_smsctl_using_subcommand audit; and __fish_seen_subcommand_from export" -s y -l yes -d 'Assume yes for confirmations (required for destructive commands without a TTY)'
complete -c smsctl -n "__fish_smsctl_using_subcommand audit; and __fish_seen_subcommand_from export" -l no-input -d 'Never prompt; fail instead when a value or confirmation is missing'
complete -c smsctl -n "__fish_smsctl_using_subcommand audit; and __fish_seen_subcommand_from export" -s h -l help -d 'Print help'
complete -c smsctl -n "__fish_smsctl_using_subcommand audit; and __fish_seen_subcommand_from export" -s V -l version -d 'Print version'
complete -c smsctl -n "__fish_smsctl_using_subcommand audit; and __fish_seen_subcommand_from help" -f -a "verify" -d 'Recompute the hash chain; exit 1 naming the first bad row if the trail was altered'
complete -c smsctl -n "__fish_smsctl_using_subcommand audit; and __fish_seen_subcommand_from help" -f -a "export" -d 'Write the (filtered) trail to stdout as JSON lines, oldest first, one entry per line'
complete -c smsctl -n "__fish_smsctl_using_subcommand audit; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c smsctl -n "__fish_smsctl_using_subcommand gateway; and not __fish_seen_subcommand_from serve help" -l db -d 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]' -r -F
complete -c smsctl -n "__fish_smsctl_using_subcommand gateway; and not __fish_seen_subcommand_from serve help" -l format -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c smsctl -n "__fish_smsctl_using_subcommand gateway; and not __fish_seen_subcommand_from serve help" -l json -d 'Shorthand for --format json'
complete -c smsctl -n "__fish_smsctl_using_subcommand gateway; and not __fish_seen_subcommand_from serve help" -s q -l quiet -d 'Print only each command\'s one essential value (docs/exit-codes.md lists them; most --help pages say)'
complete -c smsctl -n "__fish_smsctl_using_subcommand gateway; and not __fish_seen_subcommand_from serve help" -s y -l yes -d 'Assume yes for confirmations (required for destructive commands without a TTY)'
complete -c smsctl -n "__fish_smsctl_using_subcommand gateway; and not __fish_seen_subcommand_from serve help" -l no-input -d 'Never prompt; fail instead when a value or confirmation is missing'
complete -c smsctl -n "__fish_smsctl_using_subcommand gateway; and not __fish_seen_subcommand_from serve help" -s h -l help -d 'Print help'
complete -c smsctl -n "__fish_smsctl_using_subcommand gateway; and not __fish_seen_subcommand_from serve help" -s V -l version -d 'Print version'
complete -c smsctl -n "__fish_smsctl_using_subcommand gateway; and not __fish_seen_subcommand_from serve help" -f -a "serve" -d 'Serve POST /v1/omnimessage and friends until SIGINT/SIGTERM (then drain and exit 0)'
complete -c smsctl -n "__fish_smsctl_using_subcommand gateway; and not __fish_seen_subcommand_from serve help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c smsctl -n "__fish_smsctl_using_subcommand gateway; and __fish_seen_subcommand_from serve" -l listen -d 'Address to listen on, host:port (port 0 picks a free port)' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand gateway; and __fish_seen_subcommand_from serve" -l dlr-retries -d 'Retries, with back-off, after a failed delivery-report POST' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand gateway; and __fish_seen_subcommand_from serve" -l slow-delivery -d 'How long +447700900005 (the slow-delivery recipient) waits between ACK and DELIVRD' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand gateway; and __fish_seen_subcommand_from serve" -l max-connections -d 'Most simultaneous client connections; over it the one idle the longest is closed (503 when none is idle)' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand gateway; and __fish_seen_subcommand_from serve" -l max-connections-per-ip -d 'Most simultaneous connections from one client address, with the same rule' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand gateway; and __fish_seen_subcommand_from serve" -l drain-timeout -d 'On SIGINT/SIGTERM, how long to wait for open requests and due reports (the rest stays queued)' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand gateway; and __fish_seen_subcommand_from serve" -l ready-file -d 'Once serving, write the API base URL (http://HOST:PORT/v1) to PATH, a new file; removed on exit' -r -F
complete -c smsctl -n "__fish_smsctl_using_subcommand gateway; and __fish_seen_subcommand_from serve" -l upstream -d 'Relay mode: forward accepted messages to this Omnimessage API (https; http only to loopback) with the credential from `smsctl upstream set` or SMSCTL_UPSTREAM_*' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand gateway; and __fish_seen_subcommand_from serve" -l public-url -d 'Relay mode: the URL the upstream reaches this gateway at (its reports go to URL/relay/dlr) [default: the listen address, on loopback]' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand gateway; and __fish_seen_subcommand_from serve" -l upstream-timeout -d 'Relay mode: how long one upstream call may take' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand gateway; and __fish_seen_subcommand_from serve" -l breaker-threshold -d 'Relay mode: consecutive upstream failures that open the circuit breaker' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand gateway; and __fish_seen_subcommand_from serve" -l breaker-cooldown -d 'Relay mode: how long the open breaker refuses (503) before one trial request' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand gateway; and __fish_seen_subcommand_from serve" -l db -d 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]' -r -F
complete -c smsctl -n "__fish_smsctl_using_subcommand gateway; and __fish_seen_subcommand_from serve" -l format -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c smsctl -n "__fish_smsctl_using_subcommand gateway; and __fish_seen_subcommand_from serve" -l allow-internal-webhooks -d 'On a non-loopback --listen, still deliver reports to loopback, private and link-local webhooks'
complete -c smsctl -n "__fish_smsctl_using_subcommand gateway; and __fish_seen_subcommand_from serve" -l json -d 'Shorthand for --format json'
complete -c smsctl -n "__fish_smsctl_using_subcommand gateway; and __fish_seen_subcommand_from serve" -s q -l quiet -d 'Print only each command\'s one essential value (docs/exit-codes.md lists them; most --help pages say)'
complete -c smsctl -n "__fish_smsctl_using_subcommand gateway; and __fish_seen_subcommand_from serve" -s y -l yes -d 'Assume yes for confirmations (required for destructive commands without a TTY)'
complete -c smsctl -n "__fish_smsctl_using_subcommand gateway; and __fish_seen_subcommand_from serve" -l no-input -d 'Never prompt; fail instead when a value or confirmation is missing'
complete -c smsctl -n "__fish_smsctl_using_subcommand gateway; and __fish_seen_subcommand_from serve" -s h -l help -d 'Print help'
complete -c smsctl -n "__fish_smsctl_using_subcommand gateway; and __fish_seen_subcommand_from serve" -s V -l version -d 'Print version'
complete -c smsctl -n "__fish_smsctl_using_subcommand gateway; and __fish_seen_subcommand_from help" -f -a "serve" -d 'Serve POST /v1/omnimessage and friends until SIGINT/SIGTERM (then drain and exit 0)'
complete -c smsctl -n "__fish_smsctl_using_subcommand gateway; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c smsctl -n "__fish_smsctl_using_subcommand upstream; and not __fish_seen_subcommand_from set show delete help" -l db -d 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]' -r -F
complete -c smsctl -n "__fish_smsctl_using_subcommand upstream; and not __fish_seen_subcommand_from set show delete help" -l format -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c smsctl -n "__fish_smsctl_using_subcommand upstream; and not __fish_seen_subcommand_from set show delete help" -l json -d 'Shorthand for --format json'
complete -c smsctl -n "__fish_smsctl_using_subcommand upstream; and not __fish_seen_subcommand_from set show delete help" -s q -l quiet -d 'Print only each command\'s one essential value (docs/exit-codes.md lists them; most --help pages say)'
complete -c smsctl -n "__fish_smsctl_using_subcommand upstream; and not __fish_seen_subcommand_from set show delete help" -s y -l yes -d 'Assume yes for confirmations (required for destructive commands without a TTY)'
complete -c smsctl -n "__fish_smsctl_using_subcommand upstream; and not __fish_seen_subcommand_from set show delete help" -l no-input -d 'Never prompt; fail instead when a value or confirmation is missing'
complete -c smsctl -n "__fish_smsctl_using_subcommand upstream; and not __fish_seen_subcommand_from set show delete help" -s h -l help -d 'Print help'
complete -c smsctl -n "__fish_smsctl_using_subcommand upstream; and not __fish_seen_subcommand_from set show delete help" -s V -l version -d 'Print version'
complete -c smsctl -n "__fish_smsctl_using_subcommand upstream; and not __fish_seen_subcommand_from set show delete help" -f -a "set" -d 'Save the provider account\'s credential in the OS keyring (password prompted, or read from stdin; never an argument)'
complete -c smsctl -n "__fish_smsctl_using_subcommand upstream; and not __fish_seen_subcommand_from set show delete help" -f -a "show" -d 'Show which upstream credential relay mode would use (the username and where it is from)'
complete -c smsctl -n "__fish_smsctl_using_subcommand upstream; and not __fish_seen_subcommand_from set show delete help" -f -a "delete" -d 'Remove the saved credential from the OS keyring'
complete -c smsctl -n "__fish_smsctl_using_subcommand upstream; and not __fish_seen_subcommand_from set show delete help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c smsctl -n "__fish_smsctl_using_subcommand upstream; and __fish_seen_subcommand_from set" -l username -d 'The account\'s API username' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand upstream; and __fish_seen_subcommand_from set" -l db -d 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]' -r -F
complete -c smsctl -n "__fish_smsctl_using_subcommand upstream; and __fish_seen_subcommand_from set" -l format -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c smsctl -n "__fish_smsctl_using_subcommand upstream; and __fish_seen_subcommand_from set" -l json -d 'Shorthand for --format json'
complete -c smsctl -n "__fish_smsctl_using_subcommand upstream; and __fish_seen_subcommand_from set" -s q -l quiet -d 'Print only each command\'s one essential value (docs/exit-codes.md lists them; most --help pages say)'
complete -c smsctl -n "__fish_smsctl_using_subcommand upstream; and __fish_seen_subcommand_from set" -s y -l yes -d 'Assume yes for confirmations (required for destructive commands without a TTY)'
complete -c smsctl -n "__fish_smsctl_using_subcommand upstream; and __fish_seen_subcommand_from set" -l no-input -d 'Never prompt; fail instead when a value or confirmation is missing'
complete -c smsctl -n "__fish_smsctl_using_subcommand upstream; and __fish_seen_subcommand_from set" -s h -l help -d 'Print help'
complete -c smsctl -n "__fish_smsctl_using_subcommand upstream; and __fish_seen_subcommand_from set" -s V -l version -d 'Print version'
complete -c smsctl -n "__fish_smsctl_using_subcommand upstream; and __fish_seen_subcommand_from show" -l db -d 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]' -r -F
complete -c smsctl -n "__fish_smsctl_using_subcommand upstream; and __fish_seen_subcommand_from show" -l format -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c smsctl -n "__fish_smsctl_using_subcommand upstream; and __fish_seen_subcommand_from show" -l json -d 'Shorthand for --format json'
complete -c smsctl -n "__fish_smsctl_using_subcommand upstream; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print only each command\'s one essential value (docs/exit-codes.md lists them; most --help pages say)'
complete -c smsctl -n "__fish_smsctl_using_subcommand upstream; and __fish_seen_subcommand_from show" -s y -l yes -d 'Assume yes for confirmations (required for destructive commands without a TTY)'
complete -c smsctl -n "__fish_smsctl_using_subcommand upstream; and __fish_seen_subcommand_from show" -l no-input -d 'Never prompt; fail instead when a value or confirmation is missing'
complete -c smsctl -n "__fish_smsctl_using_subcommand upstream; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c smsctl -n "__fish_smsctl_using_subcommand upstream; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c smsctl -n "__fish_smsctl_using_subcommand upstream; and __fish_seen_subcommand_from delete" -l db -d 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]' -r -F
complete -c smsctl -n "__fish_smsctl_using_subcommand upstream; and __fish_seen_subcommand_from delete" -l format -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c smsctl -n "__fish_smsctl_using_subcommand upstream; and __fish_seen_subcommand_from delete" -l json -d 'Shorthand for --format json'
complete -c smsctl -n "__fish_smsctl_using_subcommand upstream; and __fish_seen_subcommand_from delete" -s q -l quiet -d 'Print only each command\'s one essential value (docs/exit-codes.md lists them; most --help pages say)'
complete -c smsctl -n "__fish_smsctl_using_subcommand upstream; and __fish_seen_subcommand_from delete" -s y -l yes -d 'Assume yes for confirmations (required for destructive commands without a TTY)'
complete -c smsctl -n "__fish_smsctl_using_subcommand upstream; and __fish_seen_subcommand_from delete" -l no-input -d 'Never prompt; fail instead when a value or confirmation is missing'
complete -c smsctl -n "__fish_smsctl_using_subcommand upstream; and __fish_seen_subcommand_from delete" -s h -l help -d 'Print help'
complete -c smsctl -n "__fish_smsctl_using_subcommand upstream; and __fish_seen_subcommand_from delete" -s V -l version -d 'Print version'
complete -c smsctl -n "__fish_smsctl_using_subcommand upstream; and __fish_seen_subcommand_from help" -f -a "set" -d 'Save the provider account\'s credential in the OS keyring (password prompted, or read from stdin; never an argument)'
complete -c smsctl -n "__fish_smsctl_using_subcommand upstream; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show which upstream credential relay mode would use (the username and where it is from)'
complete -c smsctl -n "__fish_smsctl_using_subcommand upstream; and __fish_seen_subcommand_from help" -f -a "delete" -d 'Remove the saved credential from the OS keyring'
complete -c smsctl -n "__fish_smsctl_using_subcommand upstream; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c smsctl -n "__fish_smsctl_using_subcommand replace; and not __fish_seen_subcommand_from add remove list clear help" -l db -d 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]' -r -F
complete -c smsctl -n "__fish_smsctl_using_subcommand replace; and not __fish_seen_subcommand_from add remove list clear help" -l format -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c smsctl -n "__fish_smsctl_using_subcommand replace; and not __fish_seen_subcommand_from add remove list clear help" -l json -d 'Shorthand for --format json'
complete -c smsctl -n "__fish_smsctl_using_subcommand replace; and not __fish_seen_subcommand_from add remove list clear help" -s q -l quiet -d 'Print only each command\'s one essential value (docs/exit-codes.md lists them; most --help pages say)'
complete -c smsctl -n "__fish_smsctl_using_subcommand replace; and not __fish_seen_subcommand_from add remove list clear help" -s y -l yes -d 'Assume yes for confirmations (required for destructive commands without a TTY)'
complete -c smsctl -n "__fish_smsctl_using_subcommand replace; and not __fish_seen_subcommand_from add remove list clear help" -l no-input -d 'Never prompt; fail instead when a value or confirmation is missing'
complete -c smsctl -n "__fish_smsctl_using_subcommand replace; and not __fish_seen_subcommand_from add remove list clear help" -s h -l help -d 'Print help'
complete -c smsctl -n "__fish_smsctl_using_subcommand replace; and not __fish_seen_subcommand_from add remove list clear help" -s V -l version -d 'Print version'
complete -c smsctl -n "__fish_smsctl_using_subcommand replace; and not __fish_seen_subcommand_from add remove list clear help" -f -a "add" -d 'Map a character or a word (1-32 characters) to 0-32 GSM-7 characters'
complete -c smsctl -n "__fish_smsctl_using_subcommand replace; and not __fish_seen_subcommand_from add remove list clear help" -f -a "remove" -d 'Remove one entry'
complete -c smsctl -n "__fish_smsctl_using_subcommand replace; and not __fish_seen_subcommand_from add remove list clear help" -f -a "list" -d 'Show the table'
complete -c smsctl -n "__fish_smsctl_using_subcommand replace; and not __fish_seen_subcommand_from add remove list clear help" -f -a "clear" -d 'Remove every entry'
complete -c smsctl -n "__fish_smsctl_using_subcommand replace; and not __fish_seen_subcommand_from add remove list clear help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c smsctl -n "__fish_smsctl_using_subcommand replace; and __fish_seen_subcommand_from add" -l db -d 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]' -r -F
complete -c smsctl -n "__fish_smsctl_using_subcommand replace; and __fish_seen_subcommand_from add" -l format -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c smsctl -n "__fish_smsctl_using_subcommand replace; and __fish_seen_subcommand_from add" -l json -d 'Shorthand for --format json'
complete -c smsctl -n "__fish_smsctl_using_subcommand replace; and __fish_seen_subcommand_from add" -s q -l quiet -d 'Print only each command\'s one essential value (docs/exit-codes.md lists them; most --help pages say)'
complete -c smsctl -n "__fish_smsctl_using_subcommand replace; and __fish_seen_subcommand_from add" -s y -l yes -d 'Assume yes for confirmations (required for destructive commands without a TTY)'
complete -c smsctl -n "__fish_smsctl_using_subcommand replace; and __fish_seen_subcommand_from add" -l no-input -d 'Never prompt; fail instead when a value or confirmation is missing'
complete -c smsctl -n "__fish_smsctl_using_subcommand replace; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help'
complete -c smsctl -n "__fish_smsctl_using_subcommand replace; and __fish_seen_subcommand_from add" -s V -l version -d 'Print version'
complete -c smsctl -n "__fish_smsctl_using_subcommand replace; and __fish_seen_subcommand_from remove" -l db -d 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]' -r -F
complete -c smsctl -n "__fish_smsctl_using_subcommand replace; and __fish_seen_subcommand_from remove" -l format -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c smsctl -n "__fish_smsctl_using_subcommand replace; and __fish_seen_subcommand_from remove" -l json -d 'Shorthand for --format json'
complete -c smsctl -n "__fish_smsctl_using_subcommand replace; and __fish_seen_subcommand_from remove" -s q -l quiet -d 'Print only each command\'s one essential value (docs/exit-codes.md lists them; most --help pages say)'
complete -c smsctl -n "__fish_smsctl_using_subcommand replace; and __fish_seen_subcommand_from remove" -s y -l yes -d 'Assume yes for confirmations (required for destructive commands without a TTY)'
complete -c smsctl -n "__fish_smsctl_using_subcommand replace; and __fish_seen_subcommand_from remove" -l no-input -d 'Never prompt; fail instead when a value or confirmation is missing'
complete -c smsctl -n "__fish_smsctl_using_subcommand replace; and __fish_seen_subcommand_from remove" -s h -l help -d 'Print help'
complete -c smsctl -n "__fish_smsctl_using_subcommand replace; and __fish_seen_subcommand_from remove" -s V -l version -d 'Print version'
complete -c smsctl -n "__fish_smsctl_using_subcommand replace; and __fish_seen_subcommand_from list" -l db -d 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]' -r -F
complete -c smsctl -n "__fish_smsctl_using_subcommand replace; and __fish_seen_subcommand_from list" -l format -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c smsctl -n "__fish_smsctl_using_subcommand replace; and __fish_seen_subcommand_from list" -l json -d 'Shorthand for --format json'
complete -c smsctl -n "__fish_smsctl_using_subcommand replace; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print only each command\'s one essential value (docs/exit-codes.md lists them; most --help pages say)'
complete -c smsctl -n "__fish_smsctl_using_subcommand replace; and __fish_seen_subcommand_from list" -s y -l yes -d 'Assume yes for confirmations (required for destructive commands without a TTY)'
complete -c smsctl -n "__fish_smsctl_using_subcommand replace; and __fish_seen_subcommand_from list" -l no-input -d 'Never prompt; fail instead when a value or confirmation is missing'
complete -c smsctl -n "__fish_smsctl_using_subcommand replace; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c smsctl -n "__fish_smsctl_using_subcommand replace; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c smsctl -n "__fish_smsctl_using_subcommand replace; and __fish_seen_subcommand_from clear" -l db -d 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]' -r -F
complete -c smsctl -n "__fish_smsctl_using_subcommand replace; and __fish_seen_subcommand_from clear" -l format -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c smsctl -n "__fish_smsctl_using_subcommand replace; and __fish_seen_subcommand_from clear" -l json -d 'Shorthand for --format json'
complete -c smsctl -n "__fish_smsctl_using_subcommand replace; and __fish_seen_subcommand_from clear" -s q -l quiet -d 'Print only each command\'s one essential value (docs/exit-codes.md lists them; most --help pages say)'
complete -c smsctl -n "__fish_smsctl_using_subcommand replace; and __fish_seen_subcommand_from clear" -s y -l yes -d 'Assume yes for confirmations (required for destructive commands without a TTY)'
complete -c smsctl -n "__fish_smsctl_using_subcommand replace; and __fish_seen_subcommand_from clear" -l no-input -d 'Never prompt; fail instead when a value or confirmation is missing'
complete -c smsctl -n "__fish_smsctl_using_subcommand replace; and __fish_seen_subcommand_from clear" -s h -l help -d 'Print help'
complete -c smsctl -n "__fish_smsctl_using_subcommand replace; and __fish_seen_subcommand_from clear" -s V -l version -d 'Print version'
complete -c smsctl -n "__fish_smsctl_using_subcommand replace; and __fish_seen_subcommand_from help" -f -a "add" -d 'Map a character or a word (1-32 characters) to 0-32 GSM-7 characters'
complete -c smsctl -n "__fish_smsctl_using_subcommand replace; and __fish_seen_subcommand_from help" -f -a "remove" -d 'Remove one entry'
complete -c smsctl -n "__fish_smsctl_using_subcommand replace; and __fish_seen_subcommand_from help" -f -a "list" -d 'Show the table'
complete -c smsctl -n "__fish_smsctl_using_subcommand replace; and __fish_seen_subcommand_from help" -f -a "clear" -d 'Remove every entry'
complete -c smsctl -n "__fish_smsctl_using_subcommand replace; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c smsctl -n "__fish_smsctl_using_subcommand webhook; and not __fish_seen_subcommand_from test verify help" -l db -d 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]' -r -F
complete -c smsctl -n "__fish_smsctl_using_subcommand webhook; and not __fish_seen_subcommand_from test verify help" -l format -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c smsctl -n "__fish_smsctl_using_subcommand webhook; and not __fish_seen_subcommand_from test verify help" -l json -d 'Shorthand for --format json'
complete -c smsctl -n "__fish_smsctl_using_subcommand webhook; and not __fish_seen_subcommand_from test verify help" -s q -l quiet -d 'Print only each command\'s one essential value (docs/exit-codes.md lists them; most --help pages say)'
complete -c smsctl -n "__fish_smsctl_using_subcommand webhook; and not __fish_seen_subcommand_from test verify help" -s y -l yes -d 'Assume yes for confirmations (required for destructive commands without a TTY)'
complete -c smsctl -n "__fish_smsctl_using_subcommand webhook; and not __fish_seen_subcommand_from test verify help" -l no-input -d 'Never prompt; fail instead when a value or confirmation is missing'
complete -c smsctl -n "__fish_smsctl_using_subcommand webhook; and not __fish_seen_subcommand_from test verify help" -s h -l help -d 'Print help'
complete -c smsctl -n "__fish_smsctl_using_subcommand webhook; and not __fish_seen_subcommand_from test verify help" -s V -l version -d 'Print version'
complete -c smsctl -n "__fish_smsctl_using_subcommand webhook; and not __fish_seen_subcommand_from test verify help" -f -a "test" -d 'POST a signed sample delivery report (a flat DELIVRD report) to URL, as the gateway would'
complete -c smsctl -n "__fish_smsctl_using_subcommand webhook; and not __fish_seen_subcommand_from test verify help" -f -a "verify" -d 'Read a report body on stdin and say whether SIGNATURE is its signature for the key'
complete -c smsctl -n "__fish_smsctl_using_subcommand webhook; and not __fish_seen_subcommand_from test verify help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c smsctl -n "__fish_smsctl_using_subcommand webhook; and __fish_seen_subcommand_from test" -l key -d 'Key name or key id whose secret signs the report' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand webhook; and __fish_seen_subcommand_from test" -l status -d 'The status to report' -r -f -a "ACK\t''
DELIVRD\t''
UNDELIV\t''
FAILED\t''
REJECTD\t''
EXPIRED\t''
DELETED\t''"
complete -c smsctl -n "__fish_smsctl_using_subcommand webhook; and __fish_seen_subcommand_from test" -l db -d 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]' -r -F
complete -c smsctl -n "__fish_smsctl_using_subcommand webhook; and __fish_seen_subcommand_from test" -l format -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c smsctl -n "__fish_smsctl_using_subcommand webhook; and __fish_seen_subcommand_from test" -l secret-stdin -d 'Read the secret from stdin'
complete -c smsctl -n "__fish_smsctl_using_subcommand webhook; and __fish_seen_subcommand_from test" -l json -d 'Shorthand for --format json'
complete -c smsctl -n "__fish_smsctl_using_subcommand webhook; and __fish_seen_subcommand_from test" -s q -l quiet -d 'Print only each command\'s one essential value (docs/exit-codes.md lists them; most --help pages say)'
complete -c smsctl -n "__fish_smsctl_using_subcommand webhook; and __fish_seen_subcommand_from test" -s y -l yes -d 'Assume yes for confirmations (required for destructive commands without a TTY)'
complete -c smsctl -n "__fish_smsctl_using_subcommand webhook; and __fish_seen_subcommand_from test" -l no-input -d 'Never prompt; fail instead when a value or confirmation is missing'
complete -c smsctl -n "__fish_smsctl_using_subcommand webhook; and __fish_seen_subcommand_from test" -s h -l help -d 'Print help'
complete -c smsctl -n "__fish_smsctl_using_subcommand webhook; and __fish_seen_subcommand_from test" -s V -l version -d 'Print version'
complete -c smsctl -n "__fish_smsctl_using_subcommand webhook; and __fish_seen_subcommand_from verify" -l key -d 'Key name or key id whose secret should have signed the body' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand webhook; and __fish_seen_subcommand_from verify" -l signature -d 'The X-Messente-Signature value (hex)' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand webhook; and __fish_seen_subcommand_from verify" -l db -d 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]' -r -F
complete -c smsctl -n "__fish_smsctl_using_subcommand webhook; and __fish_seen_subcommand_from verify" -l format -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c smsctl -n "__fish_smsctl_using_subcommand webhook; and __fish_seen_subcommand_from verify" -l json -d 'Shorthand for --format json'
complete -c smsctl -n "__fish_smsctl_using_subcommand webhook; and __fish_seen_subcommand_from verify" -s q -l quiet -d 'Print only each command\'s one essential value (docs/exit-codes.md lists them; most --help pages say)'
complete -c smsctl -n "__fish_smsctl_using_subcommand webhook; and __fish_seen_subcommand_from verify" -s y -l yes -d 'Assume yes for confirmations (required for destructive commands without a TTY)'
complete -c smsctl -n "__fish_smsctl_using_subcommand webhook; and __fish_seen_subcommand_from verify" -l no-input -d 'Never prompt; fail instead when a value or confirmation is missing'
complete -c smsctl -n "__fish_smsctl_using_subcommand webhook; and __fish_seen_subcommand_from verify" -s h -l help -d 'Print help'
complete -c smsctl -n "__fish_smsctl_using_subcommand webhook; and __fish_seen_subcommand_from verify" -s V -l version -d 'Print version'
complete -c smsctl -n "__fish_smsctl_using_subcommand webhook; and __fish_seen_subcommand_from help" -f -a "test" -d 'POST a signed sample delivery report (a flat DELIVRD report) to URL, as the gateway would'
complete -c smsctl -n "__fish_smsctl_using_subcommand webhook; and __fish_seen_subcommand_from help" -f -a "verify" -d 'Read a report body on stdin and say whether SIGNATURE is its signature for the key'
complete -c smsctl -n "__fish_smsctl_using_subcommand webhook; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c smsctl -n "__fish_smsctl_using_subcommand backup" -l db -d 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]' -r -F
complete -c smsctl -n "__fish_smsctl_using_subcommand backup" -l format -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c smsctl -n "__fish_smsctl_using_subcommand backup" -l json -d 'Shorthand for --format json'
complete -c smsctl -n "__fish_smsctl_using_subcommand backup" -s q -l quiet -d 'Print only each command\'s one essential value (docs/exit-codes.md lists them; most --help pages say)'
complete -c smsctl -n "__fish_smsctl_using_subcommand backup" -s y -l yes -d 'Assume yes for confirmations (required for destructive commands without a TTY)'
complete -c smsctl -n "__fish_smsctl_using_subcommand backup" -l no-input -d 'Never prompt; fail instead when a value or confirmation is missing'
complete -c smsctl -n "__fish_smsctl_using_subcommand backup" -s h -l help -d 'Print help'
complete -c smsctl -n "__fish_smsctl_using_subcommand backup" -s V -l version -d 'Print version'
complete -c smsctl -n "__fish_smsctl_using_subcommand store; and not __fish_seen_subcommand_from copy help" -l db -d 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]' -r -F
complete -c smsctl -n "__fish_smsctl_using_subcommand store; and not __fish_seen_subcommand_from copy help" -l format -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c smsctl -n "__fish_smsctl_using_subcommand store; and not __fish_seen_subcommand_from copy help" -l json -d 'Shorthand for --format json'
complete -c smsctl -n "__fish_smsctl_using_subcommand store; and not __fish_seen_subcommand_from copy help" -s q -l quiet -d 'Print only each command\'s one essential value (docs/exit-codes.md lists them; most --help pages say)'
complete -c smsctl -n "__fish_smsctl_using_subcommand store; and not __fish_seen_subcommand_from copy help" -s y -l yes -d 'Assume yes for confirmations (required for destructive commands without a TTY)'
complete -c smsctl -n "__fish_smsctl_using_subcommand store; and not __fish_seen_subcommand_from copy help" -l no-input -d 'Never prompt; fail instead when a value or confirmation is missing'
complete -c smsctl -n "__fish_smsctl_using_subcommand store; and not __fish_seen_subcommand_from copy help" -s h -l help -d 'Print help'
complete -c smsctl -n "__fish_smsctl_using_subcommand store; and not __fish_seen_subcommand_from copy help" -s V -l version -d 'Print version'
complete -c smsctl -n "__fish_smsctl_using_subcommand store; and not __fish_seen_subcommand_from copy help" -f -a "copy" -d 'Copy every key, secret, audit entry and message from SRC to DST, a new file or an empty PostgreSQL database, then verify the chain and the counts on DST'
complete -c smsctl -n "__fish_smsctl_using_subcommand store; and not __fish_seen_subcommand_from copy help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c smsctl -n "__fish_smsctl_using_subcommand store; and __fish_seen_subcommand_from copy" -l db -d 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]' -r -F
complete -c smsctl -n "__fish_smsctl_using_subcommand store; and __fish_seen_subcommand_from copy" -l format -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c smsctl -n "__fish_smsctl_using_subcommand store; and __fish_seen_subcommand_from copy" -l json -d 'Shorthand for --format json'
complete -c smsctl -n "__fish_smsctl_using_subcommand store; and __fish_seen_subcommand_from copy" -s q -l quiet -d 'Print only each command\'s one essential value (docs/exit-codes.md lists them; most --help pages say)'
complete -c smsctl -n "__fish_smsctl_using_subcommand store; and __fish_seen_subcommand_from copy" -s y -l yes -d 'Assume yes for confirmations (required for destructive commands without a TTY)'
complete -c smsctl -n "__fish_smsctl_using_subcommand store; and __fish_seen_subcommand_from copy" -l no-input -d 'Never prompt; fail instead when a value or confirmation is missing'
complete -c smsctl -n "__fish_smsctl_using_subcommand store; and __fish_seen_subcommand_from copy" -s h -l help -d 'Print help'
complete -c smsctl -n "__fish_smsctl_using_subcommand store; and __fish_seen_subcommand_from copy" -s V -l version -d 'Print version'
complete -c smsctl -n "__fish_smsctl_using_subcommand store; and __fish_seen_subcommand_from help" -f -a "copy" -d 'Copy every key, secret, audit entry and message from SRC to DST, a new file or an empty PostgreSQL database, then verify the chain and the counts on DST'
complete -c smsctl -n "__fish_smsctl_using_subcommand store; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c smsctl -n "__fish_smsctl_using_subcommand restore" -l db -d 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]' -r -F
complete -c smsctl -n "__fish_smsctl_using_subcommand restore" -l format -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c smsctl -n "__fish_smsctl_using_subcommand restore" -l allow-unkeyed -d 'Also restore a backup from before keyed audit trails (schema 1), whose plain chain anyone could have recomputed after editing it'
complete -c smsctl -n "__fish_smsctl_using_subcommand restore" -l json -d 'Shorthand for --format json'
complete -c smsctl -n "__fish_smsctl_using_subcommand restore" -s q -l quiet -d 'Print only each command\'s one essential value (docs/exit-codes.md lists them; most --help pages say)'
complete -c smsctl -n "__fish_smsctl_using_subcommand restore" -s y -l yes -d 'Assume yes for confirmations (required for destructive commands without a TTY)'
complete -c smsctl -n "__fish_smsctl_using_subcommand restore" -l no-input -d 'Never prompt; fail instead when a value or confirmation is missing'
complete -c smsctl -n "__fish_smsctl_using_subcommand restore" -s h -l help -d 'Print help'
complete -c smsctl -n "__fish_smsctl_using_subcommand restore" -s V -l version -d 'Print version'
complete -c smsctl -n "__fish_smsctl_using_subcommand export" -l key -d 'Export only this key (name or id; repeatable) [default: every live key]' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand export" -l db -d 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]' -r -F
complete -c smsctl -n "__fish_smsctl_using_subcommand export" -l format -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c smsctl -n "__fish_smsctl_using_subcommand export" -l json -d 'Shorthand for --format json'
complete -c smsctl -n "__fish_smsctl_using_subcommand export" -s q -l quiet -d 'Print only each command\'s one essential value (docs/exit-codes.md lists them; most --help pages say)'
complete -c smsctl -n "__fish_smsctl_using_subcommand export" -s y -l yes -d 'Assume yes for confirmations (required for destructive commands without a TTY)'
complete -c smsctl -n "__fish_smsctl_using_subcommand export" -l no-input -d 'Never prompt; fail instead when a value or confirmation is missing'
complete -c smsctl -n "__fish_smsctl_using_subcommand export" -s h -l help -d 'Print help'
complete -c smsctl -n "__fish_smsctl_using_subcommand export" -s V -l version -d 'Print version'
complete -c smsctl -n "__fish_smsctl_using_subcommand plan" -s f -l file -d 'The key file (\'-\' reads stdin)' -r -F
complete -c smsctl -n "__fish_smsctl_using_subcommand plan" -l db -d 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]' -r -F
complete -c smsctl -n "__fish_smsctl_using_subcommand plan" -l format -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c smsctl -n "__fish_smsctl_using_subcommand plan" -l check -d 'Exit 1 when anything would change, 0 when nothing would (a drift gate for CI)'
complete -c smsctl -n "__fish_smsctl_using_subcommand plan" -l json -d 'Shorthand for --format json'
complete -c smsctl -n "__fish_smsctl_using_subcommand plan" -s q -l quiet -d 'Print only each command\'s one essential value (docs/exit-codes.md lists them; most --help pages say)'
complete -c smsctl -n "__fish_smsctl_using_subcommand plan" -s y -l yes -d 'Assume yes for confirmations (required for destructive commands without a TTY)'
complete -c smsctl -n "__fish_smsctl_using_subcommand plan" -l no-input -d 'Never prompt; fail instead when a value or confirmation is missing'
complete -c smsctl -n "__fish_smsctl_using_subcommand plan" -s h -l help -d 'Print help'
complete -c smsctl -n "__fish_smsctl_using_subcommand plan" -s V -l version -d 'Print version'
complete -c smsctl -n "__fish_smsctl_using_subcommand apply" -s f -l file -d 'The key file (\'-\' reads stdin)' -r -F
complete -c smsctl -n "__fish_smsctl_using_subcommand apply" -l plan-hash -d 'Refuse (exit 4) unless the plan is still the one with this hash (from `plan --json`)' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand apply" -l secrets-dir -d 'Write each new key\'s secret to DIR/NAME.secret (a new 0600 file; never overwrites)' -r -F
complete -c smsctl -n "__fish_smsctl_using_subcommand apply" -l db -d 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]' -r -F
complete -c smsctl -n "__fish_smsctl_using_subcommand apply" -l format -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c smsctl -n "__fish_smsctl_using_subcommand apply" -l save-secrets -d 'Save new keys\' secrets in the OS keyring (service smsctl, account = key id)'
complete -c smsctl -n "__fish_smsctl_using_subcommand apply" -l json -d 'Shorthand for --format json'
complete -c smsctl -n "__fish_smsctl_using_subcommand apply" -s q -l quiet -d 'Print only each command\'s one essential value (docs/exit-codes.md lists them; most --help pages say)'
complete -c smsctl -n "__fish_smsctl_using_subcommand apply" -s y -l yes -d 'Assume yes for confirmations (required for destructive commands without a TTY)'
complete -c smsctl -n "__fish_smsctl_using_subcommand apply" -l no-input -d 'Never prompt; fail instead when a value or confirmation is missing'
complete -c smsctl -n "__fish_smsctl_using_subcommand apply" -s h -l help -d 'Print help'
complete -c smsctl -n "__fish_smsctl_using_subcommand apply" -s V -l version -d 'Print version'
complete -c smsctl -n "__fish_smsctl_using_subcommand completions" -l db -d 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]' -r -F
complete -c smsctl -n "__fish_smsctl_using_subcommand completions" -l format -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c smsctl -n "__fish_smsctl_using_subcommand completions" -l json -d 'Shorthand for --format json'
complete -c smsctl -n "__fish_smsctl_using_subcommand completions" -s q -l quiet -d 'Print only each command\'s one essential value (docs/exit-codes.md lists them; most --help pages say)'
complete -c smsctl -n "__fish_smsctl_using_subcommand completions" -s y -l yes -d 'Assume yes for confirmations (required for destructive commands without a TTY)'
complete -c smsctl -n "__fish_smsctl_using_subcommand completions" -l no-input -d 'Never prompt; fail instead when a value or confirmation is missing'
complete -c smsctl -n "__fish_smsctl_using_subcommand completions" -s h -l help -d 'Print help'
complete -c smsctl -n "__fish_smsctl_using_subcommand completions" -s V -l version -d 'Print version'
complete -c smsctl -n "__fish_smsctl_using_subcommand paths" -l db -d 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]' -r -F
complete -c smsctl -n "__fish_smsctl_using_subcommand paths" -l format -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c smsctl -n "__fish_smsctl_using_subcommand paths" -l json -d 'Shorthand for --format json'
complete -c smsctl -n "__fish_smsctl_using_subcommand paths" -s q -l quiet -d 'Print only each command\'s one essential value (docs/exit-codes.md lists them; most --help pages say)'
complete -c smsctl -n "__fish_smsctl_using_subcommand paths" -s y -l yes -d 'Assume yes for confirmations (required for destructive commands without a TTY)'
complete -c smsctl -n "__fish_smsctl_using_subcommand paths" -l no-input -d 'Never prompt; fail instead when a value or confirmation is missing'
complete -c smsctl -n "__fish_smsctl_using_subcommand paths" -s h -l help -d 'Print help'
complete -c smsctl -n "__fish_smsctl_using_subcommand paths" -s V -l version -d 'Print version'
complete -c smsctl -n "__fish_smsctl_using_subcommand doctor" -l since -d 'Authentication failures, canary trips and client addresses count from this long ago' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand doctor" -l max-addresses -d 'A key sending from more distinct client addresses than this is reported as possibly shared' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand doctor" -l db -d 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]' -r -F
complete -c smsctl -n "__fish_smsctl_using_subcommand doctor" -l format -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c smsctl -n "__fish_smsctl_using_subcommand doctor" -l json -d 'Shorthand for --format json'
complete -c smsctl -n "__fish_smsctl_using_subcommand doctor" -s q -l quiet -d 'Print only each command\'s one essential value (docs/exit-codes.md lists them; most --help pages say)'
complete -c smsctl -n "__fish_smsctl_using_subcommand doctor" -s y -l yes -d 'Assume yes for confirmations (required for destructive commands without a TTY)'
complete -c smsctl -n "__fish_smsctl_using_subcommand doctor" -l no-input -d 'Never prompt; fail instead when a value or confirmation is missing'
complete -c smsctl -n "__fish_smsctl_using_subcommand doctor" -s h -l help -d 'Print help'
complete -c smsctl -n "__fish_smsctl_using_subcommand doctor" -s V -l version -d 'Print version'
complete -c smsctl -n "__fish_smsctl_using_subcommand usage" -l key -d 'Only this key (name or id)' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand usage" -l since -d 'Only usage since a time: a duration ago (24h, 7d) or a date/RFC 3339 time; counts are kept per UTC day, so this starts at the beginning of that day [default: everything]' -r
complete -c smsctl -n "__fish_smsctl_using_subcommand usage" -l db -d 'The store: a SQLite file, or a postgres:// URL (its password in PGPASSWORD, not argv) [default: a file in the platform data directory]' -r -F
complete -c smsctl -n "__fish_smsctl_using_subcommand usage" -l format -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c smsctl -n "__fish_smsctl_using_subcommand usage" -l json -d 'Shorthand for --format json'
complete -c smsctl -n "__fish_smsctl_using_subcommand usage" -s q -l quiet -d 'Print only each command\'s one essential value (docs/exit-codes.md lists them; most --help pages say)'
complete -c smsctl -n "__fish_smsctl_using_subcommand usage" -s y -l yes -d 'Assume yes for confirmations (required for destructive commands without a TTY)'
complete -c smsctl -n "__fish_smsctl_using_subcommand usage" -l no-input -d 'Never prompt; fail instead when a value or confirmation is missing'
complete -c smsctl -n "__fish_smsctl_using_subcommand usage" -s h -l help -d 'Print help'
complete -c smsctl -n "__fish_smsctl_using_subcommand usage" -s V -l version -d 'Print version'
complete -c smsctl -n "__fish_smsctl_using_subcommand help; and not __fish_seen_subcommand_from key send text messages audit gateway upstream replace webhook backup store restore export plan apply completions paths doctor usage help" -f -a "key" -d 'Create, inspect, configure, rotate and revoke API keys'
complete -c smsctl -n "__fish_smsctl_using_subcommand help; and not __fish_seen_subcommand_from key send text messages audit gateway upstream replace webhook backup store restore export plan apply completions paths doctor usage help" -f -a "send" -d 'Send a test SMS with a key; flags override the key\'s settings (see --dry-run)'
complete -c smsctl -n "__fish_smsctl_using_subcommand help; and not __fish_seen_subcommand_from key send text messages audit gateway upstream replace webhook backup store restore export plan apply completions paths doctor usage help" -f -a "text" -d 'Analyse a message: encoding, units, parts, replacements; what send would do to it'
complete -c smsctl -n "__fish_smsctl_using_subcommand help; and not __fish_seen_subcommand_from key send text messages audit gateway upstream replace webhook backup store restore export plan apply completions paths doctor usage help" -f -a "messages" -d 'List what `send` (and the gateway) recorded'
complete -c smsctl -n "__fish_smsctl_using_subcommand help; and not __fish_seen_subcommand_from key send text messages audit gateway upstream replace webhook backup store restore export plan apply completions paths doctor usage help" -f -a "audit" -d 'Show the audit trail, or check that it has not been tampered with'
complete -c smsctl -n "__fish_smsctl_using_subcommand help; and not __fish_seen_subcommand_from key send text messages audit gateway upstream replace webhook backup store restore export plan apply completions paths doctor usage help" -f -a "gateway" -d 'Run a local Omnimessage-compatible API that enforces this store\'s keys'
complete -c smsctl -n "__fish_smsctl_using_subcommand help; and not __fish_seen_subcommand_from key send text messages audit gateway upstream replace webhook backup store restore export plan apply completions paths doctor usage help" -f -a "upstream" -d 'The provider account credential that `gateway serve --upstream` (relay mode) forwards with'
complete -c smsctl -n "__fish_smsctl_using_subcommand help; and not __fish_seen_subcommand_from key send text messages audit gateway upstream replace webhook backup store restore export plan apply completions paths doctor usage help" -f -a "replace" -d 'Edit the account\'s replacement table (words allowed), used by autoconvert `on` for every key; a key\'s own entries (`key replace`) override it'
complete -c smsctl -n "__fish_smsctl_using_subcommand help; and not __fish_seen_subcommand_from key send text messages audit gateway upstream replace webhook backup store restore export plan apply completions paths doctor usage help" -f -a "webhook" -d 'Send a signed sample delivery report to a webhook, or check a report\'s signature'
complete -c smsctl -n "__fish_smsctl_using_subcommand help; and not __fish_seen_subcommand_from key send text messages audit gateway upstream replace webhook backup store restore export plan apply completions paths doctor usage help" -f -a "backup" -d 'Copy the store to FILE while it stays in use (a SQLite file, from either backend), then check the copy'
complete -c smsctl -n "__fish_smsctl_using_subcommand help; and not __fish_seen_subcommand_from key send text messages audit gateway upstream replace webhook backup store restore export plan apply completions paths doctor usage help" -f -a "store" -d 'Move a whole store between backends (SQLite and PostgreSQL)'
complete -c smsctl -n "__fish_smsctl_using_subcommand help; and not __fish_seen_subcommand_from key send text messages audit gateway upstream replace webhook backup store restore export plan apply completions paths doctor usage help" -f -a "restore" -d 'Replace the store with a backup after checking its integrity (asks; --yes in scripts)'
complete -c smsctl -n "__fish_smsctl_using_subcommand help; and not __fish_seen_subcommand_from key send text messages audit gateway upstream replace webhook backup store restore export plan apply completions paths doctor usage help" -f -a "export" -d 'Write every live key\'s configuration as a key file (TOML; never a secret or a hash)'
complete -c smsctl -n "__fish_smsctl_using_subcommand help; and not __fish_seen_subcommand_from key send text messages audit gateway upstream replace webhook backup store restore export plan apply completions paths doctor usage help" -f -a "plan" -d 'Compare a key file with the store: what `apply` would create, update, revoke'
complete -c smsctl -n "__fish_smsctl_using_subcommand help; and not __fish_seen_subcommand_from key send text messages audit gateway upstream replace webhook backup store restore export plan apply completions paths doctor usage help" -f -a "apply" -d 'Carry out a key file\'s plan in one transaction (asks on a terminal; --yes in scripts)'
complete -c smsctl -n "__fish_smsctl_using_subcommand help; and not __fish_seen_subcommand_from key send text messages audit gateway upstream replace webhook backup store restore export plan apply completions paths doctor usage help" -f -a "completions" -d 'Print a shell completion script (bash, zsh, fish, powershell, elvish)'
complete -c smsctl -n "__fish_smsctl_using_subcommand help; and not __fish_seen_subcommand_from key send text messages audit gateway upstream replace webhook backup store restore export plan apply completions paths doctor usage help" -f -a "paths" -d 'Show where smsctl keeps its store and secrets'
complete -c smsctl -n "__fish_smsctl_using_subcommand help; and not __fish_seen_subcommand_from key send text messages audit gateway upstream replace webhook backup store restore export plan apply completions paths doctor usage help" -f -a "doctor" -d 'Check the store, the audit trail, risky keys and the keyring; exit 1 listing each finding'
complete -c smsctl -n "__fish_smsctl_using_subcommand help; and not __fish_seen_subcommand_from key send text messages audit gateway upstream replace webhook backup store restore export plan apply completions paths doctor usage help" -f -a "usage" -d 'Messages and parts accepted per key and per secret, quotas, authentication failures'
complete -c smsctl -n "__fish_smsctl_using_subcommand help; and not __fish_seen_subcommand_from key send text messages audit gateway upstream replace webhook backup store restore export plan apply completions paths doctor usage help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c smsctl -n "__fish_smsctl_using_subcommand help; and __fish_seen_subcommand_from key" -f -a "create" -d 'Create a key; its secret is shown once'
complete -c smsctl -n "__fish_smsctl_using_subcommand help; and __fish_seen_subcommand_from key" -f -a "list" -d 'List keys (revoked keys only with --all); never shows secrets'
complete -c smsctl -n "__fish_smsctl_using_subcommand help; and __fish_seen_subcommand_from key" -f -a "show" -d 'Show one key: settings, secrets (last 4 characters only), usage'
complete -c smsctl -n "__fish_smsctl_using_subcommand help; and __fish_seen_subcommand_from key" -f -a "rename" -d 'Rename a key (names are unique, case-insensitively)'
complete -c smsctl -n "__fish_smsctl_using_subcommand help; and __fish_seen_subcommand_from key" -f -a "rotate" -d 'Issue a new secret; the previous one stays valid until the grace period ends'
complete -c smsctl -n "__fish_smsctl_using_subcommand help; and __fish_seen_subcommand_from key" -f -a "rollover" -d 'Show who still uses a key\'s previous secret during a rotation: addresses, last seen, count'
complete -c smsctl -n "__fish_smsctl_using_subcommand help; and __fish_seen_subcommand_from key" -f -a "revoke" -d 'Revoke a key, or every key a selector matches: every secret stops working at once; this is final'
complete -c smsctl -n "__fish_smsctl_using_subcommand help; and __fish_seen_subcommand_from key" -f -a "purge" -d 'Remove keys revoked before a time from the store; their audit history stays'
complete -c smsctl -n "__fish_smsctl_using_subcommand help; and __fish_seen_subcommand_from key" -f -a "delete" -d 'There is no `key delete`: see `key revoke` (and `key purge`)'
complete -c smsctl -n "__fish_smsctl_using_subcommand help; and __fish_seen_subcommand_from key" -f -a "set" -d 'Change a key\'s settings (sender, autoconvert, webhook, description, expiry)'
complete -c smsctl -n "__fish_smsctl_using_subcommand help; and __fish_seen_subcommand_from key" -f -a "edit" -d 'Walk through a key\'s settings with prompts (terminal only; scripts use `key set`)'
complete -c smsctl -n "__fish_smsctl_using_subcommand help; and __fish_seen_subcommand_from key" -f -a "replace" -d 'Edit the key\'s own character table, used when autoconvert is `on`'
complete -c smsctl -n "__fish_smsctl_using_subcommand help; and __fish_seen_subcommand_from key" -f -a "whitelist" -d 'Edit the key\'s IP whitelist (an empty whitelist refuses every address)'
complete -c smsctl -n "__fish_smsctl_using_subcommand help; and __fish_seen_subcommand_from key" -f -a "verify" -d 'Check a secret (SMSCTL_KEY_SECRET, else stdin, else the keyring with --key) as the API would; exit 0 if valid, 5 if not'
complete -c smsctl -n "__fish_smsctl_using_subcommand help; and __fish_seen_subcommand_from messages" -f -a "show" -d 'One message in full: the record, its effective settings and its delivery history'
complete -c smsctl -n "__fish_smsctl_using_subcommand help; and __fish_seen_subcommand_from audit" -f -a "verify" -d 'Recompute the hash chain; exit 1 naming the first bad row if the trail was altered'
complete -c smsctl -n "__fish_smsctl_using_subcommand help; and __fish_seen_subcommand_from audit" -f -a "export" -d 'Write the (filtered) trail to stdout as JSON lines, oldest first, one entry per line'
complete -c smsctl -n "__fish_smsctl_using_subcommand help; and __fish_seen_subcommand_from gateway" -f -a "serve" -d 'Serve POST /v1/omnimessage and friends until SIGINT/SIGTERM (then drain and exit 0)'
complete -c smsctl -n "__fish_smsctl_using_subcommand help; and __fish_seen_subcommand_from upstream" -f -a "set" -d 'Save the provider account\'s credential in the OS keyring (password prompted, or read from stdin; never an argument)'
complete -c smsctl -n "__fish_smsctl_using_subcommand help; and __fish_seen_subcommand_from upstream" -f -a "show" -d 'Show which upstream credential relay mode would use (the username and where it is from)'
complete -c smsctl -n "__fish_smsctl_using_subcommand help; and __fish_seen_subcommand_from upstream" -f -a "delete" -d 'Remove the saved credential from the OS keyring'
complete -c smsctl -n "__fish_smsctl_using_subcommand help; and __fish_seen_subcommand_from replace" -f -a "add" -d 'Map a character or a word (1-32 characters) to 0-32 GSM-7 characters'
complete -c smsctl -n "__fish_smsctl_using_subcommand help; and __fish_seen_subcommand_from replace" -f -a "remove" -d 'Remove one entry'
complete -c smsctl -n "__fish_smsctl_using_subcommand help; and __fish_seen_subcommand_from replace" -f -a "list" -d 'Show the table'
complete -c smsctl -n "__fish_smsctl_using_subcommand help; and __fish_seen_subcommand_from replace" -f -a "clear" -d 'Remove every entry'
complete -c smsctl -n "__fish_smsctl_using_subcommand help; and __fish_seen_subcommand_from webhook" -f -a "test" -d 'POST a signed sample delivery report (a flat DELIVRD report) to URL, as the gateway would'
complete -c smsctl -n "__fish_smsctl_using_subcommand help; and __fish_seen_subcommand_from webhook" -f -a "verify" -d 'Read a report body on stdin and say whether SIGNATURE is its signature for the key'
complete -c smsctl -n "__fish_smsctl_using_subcommand help; and __fish_seen_subcommand_from store" -f -a "copy" -d 'Copy every key, secret, audit entry and message from SRC to DST, a new file or an empty PostgreSQL database, then verify the chain and the counts on DST'
