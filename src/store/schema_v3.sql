-- Key policy: one JSON object per key; '{}' is the default policy (everything allowed).
ALTER TABLE keys ADD COLUMN policy TEXT NOT NULL DEFAULT '{}';

-- Accepted messages and parts per key, UTC day, secret and client address. Quotas are checked
-- against these sums in the transaction that adds to them.
CREATE TABLE usage_daily (
    key_id    TEXT NOT NULL,
    day       TEXT NOT NULL,
    secret_id INTEGER NOT NULL,
    ip        TEXT NOT NULL,
    messages  INTEGER NOT NULL DEFAULT 0,
    parts     INTEGER NOT NULL DEFAULT 0,
    last_at   INTEGER NOT NULL,
    PRIMARY KEY (key_id, day, secret_id, ip)
) STRICT;
CREATE INDEX usage_daily_secret ON usage_daily (secret_id, last_at);

-- Token buckets of rate-limited keys. `spec` is the rate the level was computed for; a changed
-- rate starts a full bucket.
CREATE TABLE rate_buckets (
    key_id TEXT PRIMARY KEY,
    spec   TEXT NOT NULL,
    level  INTEGER NOT NULL,
    at     INTEGER NOT NULL
) STRICT;

-- Authentication failures per claimed key id, source address, reason and UTC day. Never a secret.
CREATE TABLE auth_failures (
    key_id   TEXT NOT NULL,
    ip       TEXT NOT NULL,
    reason   TEXT NOT NULL,
    day      TEXT NOT NULL,
    count    INTEGER NOT NULL,
    first_at INTEGER NOT NULL,
    last_at  INTEGER NOT NULL,
    PRIMARY KEY (key_id, ip, reason, day)
) STRICT;
