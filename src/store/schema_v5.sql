-- `key rotate --retire-when-quiet DUR`: a secret in grace that retires itself (valid_until set
-- to the time of retirement, with an audit row) once it has gone unused for this many
-- milliseconds. NULL: only the grace timer ends it.
ALTER TABLE secrets ADD COLUMN retire_when_quiet INTEGER;
