-- The gateway's delivery lifecycle: what the message log keeps of the text, when a
-- scheduled message goes out, and every status change with the webhook POST that reports it.
ALTER TABLE messages ADD COLUMN text_store TEXT;
-- By text_store: the text as sent (plaintext), its SHA-256 in hex (sha256), NULL (nostore).
ALTER TABLE messages ADD COLUMN text TEXT;
-- time_to_send; NULL = at once.
ALTER TABLE messages ADD COLUMN send_at INTEGER;
ALTER TABLE messages ADD COLUMN cancelled_at INTEGER;

-- One row per status change of one channel entry of an omnimessage, planned when the message
-- is accepted. The row becomes visible (GET .../status) at due_at; the report queue is the rows
-- with a dlr_url and no outcome yet. body and signature are the exact bytes POSTed and the
-- X-Messente-Signature computed while the request held the secret: no key material is kept.
CREATE TABLE message_events (
    id              INTEGER PRIMARY KEY,
    omnimessage_id  TEXT NOT NULL,
    message_id      TEXT NOT NULL,
    channel         TEXT NOT NULL,
    sender          TEXT,
    status          TEXT NOT NULL,
    err             INTEGER NOT NULL,
    due_at          INTEGER NOT NULL,
    dlr_url         TEXT,
    body            TEXT NOT NULL,
    signature       TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    -- NULL while queued; delivered | failed: why | refused: why | no webhook.
    outcome         TEXT,
    done_at         INTEGER
) STRICT;
CREATE INDEX message_events_omni ON message_events (omnimessage_id, id);
CREATE INDEX message_events_queue ON message_events (next_attempt_at) WHERE outcome IS NULL;


-- The account's replacement table for autoconvert `on` (`smsctl replace`); FROM may be a word.
-- A key's own entries (keys.replace_table) override entries with the same FROM.
CREATE TABLE replacements (
    from_text TEXT PRIMARY KEY,
    to_text   TEXT NOT NULL
) STRICT;
