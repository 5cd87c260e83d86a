//! Clock, durations (`24h`, `1h30m`, `7d`, `0`) and timestamps (ISO-8601, UTC, millisecond store).

use crate::error::{Error, Result};

/// Milliseconds since the Unix epoch.
pub type Millis = i64;

pub fn now() -> Millis {
    jiff::Timestamp::now().as_millisecond()
}

const DURATION_HINT: &str = "use a number with a unit: 30s, 15m, 24h, 7d, 2w (combine as 1h30m), or 0";

/// Parses `30s`, `15m`, `24h`, `7d`, `2w`, combinations such as `1h30m`, and `0`. Returns milliseconds.
pub fn parse_duration(input: &str) -> Result<Millis> {
    let s = input.trim();
    let bad = || Error::usage(format!("invalid duration '{input}'")).hint(DURATION_HINT);
    if s == "0" {
        return Ok(0);
    }
    if s.is_empty() {
        return Err(bad());
    }
    let mut total: i64 = 0;
    let mut digits = String::new();
    for c in s.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        let unit: i64 = match c {
            's' => 1_000,
            'm' => 60_000,
            'h' => 3_600_000,
            'd' => 86_400_000,
            'w' => 7 * 86_400_000,
            _ => return Err(bad()),
        };
        let n: i64 = digits.parse().map_err(|_| bad())?;
        digits.clear();
        total = n
            .checked_mul(unit)
            .and_then(|v| total.checked_add(v))
            .filter(|v| *v <= 100 * 365 * 86_400_000)
            .ok_or_else(|| Error::usage(format!("duration '{input}' is too long")).hint("the limit is 100 years"))?;
    }
    if !digits.is_empty() {
        return Err(bad());
    }
    Ok(total)
}

/// When something expires: `never`, a duration from now, a date (`2026-12-31`, end of that
/// day UTC) or an RFC 3339 timestamp.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expiry {
    Never,
    At(Millis),
}

pub fn parse_expiry(input: &str, now: Millis) -> Result<Expiry> {
    let s = input.trim();
    if s.eq_ignore_ascii_case("never") {
        return Ok(Expiry::Never);
    }
    if let Ok(ts) = s.parse::<jiff::Timestamp>() {
        return future(ts.as_millisecond(), input, now);
    }
    if let Ok(date) = s.parse::<jiff::civil::Date>() {
        let end = date
            .at(23, 59, 59, 0)
            .to_zoned(jiff::tz::TimeZone::UTC)
            .map_err(|e| Error::usage(format!("invalid date '{input}': {e}")))?;
        return future(end.timestamp().as_millisecond(), input, now);
    }
    match parse_duration(s) {
        Ok(0) => Err(Error::usage(format!("expiry '{input}' is already past")).hint("give a positive duration such as 30d")),
        Ok(d) => Ok(Expiry::At(now + d)),
        Err(_) => Err(Error::usage(format!("invalid expiry '{input}'"))
            .hint("use a duration (30d, 12h), a date (2026-12-31), an RFC 3339 time, or 'never'")),
    }
}

fn future(at: Millis, input: &str, now: Millis) -> Result<Expiry> {
    if at <= now {
        return Err(Error::usage(format!("expiry '{input}' is in the past")).hint("give a future date or a duration such as 30d"));
    }
    Ok(Expiry::At(at))
}

/// `2026-11-23T12:00:00Z`.
pub fn format(ms: Millis) -> String {
    match jiff::Timestamp::from_millisecond(ms) {
        Ok(ts) => ts.strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
        Err(_) => ms.to_string(),
    }
}

pub fn format_opt(ms: Option<Millis>) -> String {
    ms.map(format).unwrap_or_else(|| "-".into())
}

/// A short human description of a span, e.g. `23h 59m`.
pub fn humanize(ms: Millis) -> String {
    let secs = ms.max(0) / 1000;
    let (d, h, m, s) = (secs / 86_400, secs / 3600 % 24, secs / 60 % 60, secs % 60);
    match (d, h, m) {
        (0, 0, 0) => format!("{s}s"),
        (0, 0, _) => format!("{m}m {s}s"),
        (0, _, _) => format!("{h}h {m}m"),
        _ => format!("{d}d {h}h"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("0").unwrap(), 0);
        assert_eq!(parse_duration("30s").unwrap(), 30_000);
        assert_eq!(parse_duration("24h").unwrap(), 86_400_000);
        assert_eq!(parse_duration("1h30m").unwrap(), 5_400_000);
        assert_eq!(parse_duration("2w").unwrap(), 14 * 86_400_000);
        for bad in ["", "h", "10", "1x", "-1h", "1.5h", "99999999999999999999d", "200000d"] {
            let err = parse_duration(bad).unwrap_err();
            assert_eq!(err.exit_code(), 2, "{bad}");
        }
    }

    #[test]
    fn expiries() {
        let now = 1_800_000_000_000;
        assert_eq!(parse_expiry("never", now).unwrap(), Expiry::Never);
        assert_eq!(parse_expiry("1d", now).unwrap(), Expiry::At(now + 86_400_000));
        assert!(parse_expiry("2099-01-01", now).is_ok());
        assert!(parse_expiry("2099-01-01T00:00:00Z", now).is_ok());
        assert!(parse_expiry("2001-01-01", now).is_err());
        assert!(parse_expiry("0", now).is_err());
        assert!(parse_expiry("tomorrow", now).is_err());
    }

    #[test]
    fn formatting() {
        assert_eq!(format(0), "1970-01-01T00:00:00Z");
        assert_eq!(humanize(90_000), "1m 30s");
        assert_eq!(humanize(86_400_000 + 3_600_000), "1d 1h");
    }
}
