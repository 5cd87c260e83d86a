-- The store's identity and the audit key's check value (never the key itself). From this
-- version on the audit trail is an HMAC chain under a key kept outside the store; its first
-- keyed entry (action `audit.anchor`) records the old head and the state at that moment.
CREATE TABLE meta (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;
