-- `key rotate --retire-when-quiet DUR`: a secret in grace that retires itself (valid_until set
-- to the time of retirement, with an audit row) once it has gone unused for this many
-- milliseconds. NULL: only the grace timer ends it.
ALTER TABLE secrets ADD COLUMN retire_when_quiet INTEGER;
-- Every write looks for secrets due to retire; only the few with a quiet limit are indexed.
CREATE INDEX secrets_retire_when_quiet ON secrets (id) WHERE retire_when_quiet IS NOT NULL;
