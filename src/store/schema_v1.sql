-- Keys: public metadata and settings. Secrets live in `secrets`, as hashes only.
CREATE TABLE keys (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    description   TEXT,
    created_at    INTEGER NOT NULL,
    expires_at    INTEGER,
    revoked_at    INTEGER,
    sender        TEXT,
    -- NULL = not set on the key (the built-in default applies).
    auto_replace  TEXT,
    dlr_url       TEXT,
    replace_table TEXT NOT NULL DEFAULT '{}',
    whitelist     TEXT NOT NULL DEFAULT '[]',
    production    INTEGER NOT NULL DEFAULT 0,
    last_used_at  INTEGER,
    last_used_ip  TEXT
) STRICT;
CREATE UNIQUE INDEX keys_name_nocase ON keys (name COLLATE NOCASE);

CREATE TABLE secrets (
    id          INTEGER PRIMARY KEY,
    key_id      TEXT NOT NULL REFERENCES keys (id),
    hash        BLOB NOT NULL UNIQUE,
    last4       TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    -- NULL while current; set when rotated out (end of grace) or revoked.
    valid_until INTEGER,
    last_used_at INTEGER
) STRICT;
CREATE INDEX secrets_key ON secrets (key_id);

-- Append-only, hash-chained audit trail.
CREATE TABLE audit (
    seq       INTEGER PRIMARY KEY,
    at        INTEGER NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    key_id    TEXT,
    before    TEXT,
    after     TEXT,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
) STRICT;
CREATE INDEX audit_key ON audit (key_id);

-- What `send` and the gateway recorded.
CREATE TABLE messages (
    id             INTEGER PRIMARY KEY,
    at             INTEGER NOT NULL,
    origin         TEXT NOT NULL,
    key_id         TEXT NOT NULL,
    recipient      TEXT NOT NULL,
    sender         TEXT,
    autoconvert    TEXT NOT NULL,
    dlr_url        TEXT,
    encoding       TEXT NOT NULL,
    parts          INTEGER NOT NULL,
    http_status    INTEGER,
    message_id     TEXT,
    omnimessage_id TEXT,
    error          TEXT,
    dlr_status     TEXT,
    dlr_attempts   INTEGER NOT NULL DEFAULT 0,
    dlr_at         INTEGER
) STRICT;
CREATE INDEX messages_key ON messages (key_id);
CREATE INDEX messages_omni ON messages (omnimessage_id);
