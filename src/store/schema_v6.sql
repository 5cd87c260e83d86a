-- Relay mode (`gateway serve --upstream`): attribution, the upstream's outcome, re-signing
-- material for reports that arrive later, and Idempotency-Key answers.

-- The secret that sent the message (keys' secrets.id); NULL for rows from before v7.
ALTER TABLE messages ADD COLUMN secret_id INTEGER;
-- NULL: not relayed (sandbox or `send`). Else pending | accepted | refused: why | unknown: why
-- | not sent: why. `unknown` means the POST may have reached the upstream: never resent blindly.
ALTER TABLE messages ADD COLUMN relay_outcome TEXT;

-- What the relay needs to sign a relayed message's reports with the sending secret after the
-- request is gone: the SHA-256 states after HMAC's inner and outer key blocks (64 bytes). They
-- sign reports; they do not authenticate (the secrets table keeps a different hash). Removed
-- when they expire.
CREATE TABLE relay_signing (
    omnimessage_id TEXT PRIMARY KEY,
    key_id         TEXT NOT NULL,
    secret_id      INTEGER NOT NULL,
    midstates      BLOB NOT NULL,
    expires_at     INTEGER NOT NULL
) STRICT;

-- Idempotency-Key: the first answer to a request, per key (not per secret) and client key,
-- replayed for 24 h to the same body; response NULL while the first request is in flight.
CREATE TABLE idempotency (
    key_id     TEXT NOT NULL,
    idem_key   TEXT NOT NULL,
    body_hash  TEXT NOT NULL,
    status     INTEGER,
    response   TEXT,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (key_id, idem_key)
) STRICT;

-- The relay's circuit breaker, as the gateway last saw it (for `smsctl doctor`).
CREATE TABLE relay_state (
    upstream   TEXT PRIMARY KEY,
    breaker    TEXT NOT NULL,
    failures   INTEGER NOT NULL,
    detail     TEXT,
    updated_at INTEGER NOT NULL
) STRICT;
