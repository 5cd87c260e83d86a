//! Clock, durations (`24h`, `1h30m`, `7d`, `0`) and timestamps (ISO-8601, UTC, millisecond store).

use crate::error::{Error, Result};

/// An instant: milliseconds since the Unix epoch. Serialised as the bare number; the views
/// that show times as ISO-8601 say so with [`iso`]. The default is the epoch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct UnixMillis(i64);

/// A duration: a span of milliseconds (negative only as the difference of two instants).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct Millis(i64);

impl UnixMillis {
    pub const EPOCH: UnixMillis = UnixMillis(0);
    pub const MIN: UnixMillis = UnixMillis(i64::MIN);

    pub const fn from_i64(ms: i64) -> UnixMillis {
        UnixMillis(ms)
    }

    pub const fn as_i64(self) -> i64 {
        self.0
    }

    pub fn from_timestamp(ts: jiff::Timestamp) -> UnixMillis {
        UnixMillis(ts.as_millisecond())
    }

    /// `None` outside the range jiff can represent.
    pub fn to_timestamp(self) -> Option<jiff::Timestamp> {
        jiff::Timestamp::from_millisecond(self.0).ok()
    }

    pub fn saturating_add(self, d: Millis) -> UnixMillis {
        UnixMillis(self.0.saturating_add(d.0))
    }
}

impl Millis {
    pub const ZERO: Millis = Millis(0);
    pub const MAX: Millis = Millis(i64::MAX);

    pub const fn from_i64(ms: i64) -> Millis {
        Millis(ms)
    }

    pub const fn from_secs(secs: i64) -> Millis {
        Millis(secs * 1_000)
    }

    pub const fn minutes(m: i64) -> Millis {
        Millis(m * 60_000)
    }

    pub const fn hours(h: i64) -> Millis {
        Millis(h * 3_600_000)
    }

    pub const fn days(d: i64) -> Millis {
        Millis(d * 86_400_000)
    }

    pub const fn as_i64(self) -> i64 {
        self.0
    }

    /// As a `std::time::Duration`; a negative span is zero.
    pub fn to_std(self) -> std::time::Duration {
        std::time::Duration::from_millis(u64::try_from(self.0).unwrap_or(0))
    }
}

impl std::ops::Add<Millis> for UnixMillis {
    type Output = UnixMillis;
    fn add(self, d: Millis) -> UnixMillis {
        UnixMillis(self.0 + d.0)
    }
}

impl std::ops::Sub<Millis> for UnixMillis {
    type Output = UnixMillis;
    fn sub(self, d: Millis) -> UnixMillis {
        UnixMillis(self.0 - d.0)
    }
}

/// The span from `earlier` to `self` (negative when `earlier` is later).
impl std::ops::Sub for UnixMillis {
    type Output = Millis;
    fn sub(self, earlier: UnixMillis) -> Millis {
        Millis(self.0 - earlier.0)
    }
}

impl std::ops::Add for Millis {
    type Output = Millis;
    fn add(self, other: Millis) -> Millis {
        Millis(self.0 + other.0)
    }
}

/// A clock: the system clock, or that clock moved ahead by a fixed span (tests set
/// `SMSCTL_TEST_CLOCK_AHEAD` to see expiry and grace end without waiting for them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clock {
    ahead: Millis,
}

impl Clock {
    pub const SYSTEM: Clock = Clock { ahead: Millis::ZERO };

    /// The system clock moved `ahead` milliseconds into the future.
    pub fn ahead(ahead: Millis) -> Clock {
        Clock { ahead }
    }

    pub fn now(self) -> UnixMillis {
        UnixMillis::from_timestamp(jiff::Timestamp::now()).saturating_add(self.ahead)
    }
}

/// This process's clock, as `SMSCTL_TEST_CLOCK_AHEAD` sets it (checked by `Env::check` before
/// any command runs, so an invalid value never gets here as the system clock).
pub fn clock() -> Clock {
    static CLOCK: std::sync::OnceLock<Clock> = std::sync::OnceLock::new();
    *CLOCK.get_or_init(|| Clock::ahead(crate::env::Env::process().test_clock_ahead().unwrap_or(Millis::ZERO)))
}

/// Now, by this process's clock: the one place smsctl reads the time of day.
pub fn now() -> UnixMillis {
    clock().now()
}

const DURATION_HINT: &str = "use a number with a unit: 30s, 15m, 24h, 7d, 2w (combine as 1h30m), or 0";

/// Parses `30s`, `15m`, `24h`, `7d`, `2w`, combinations such as `1h30m`, and `0`.
pub fn parse_duration(input: &str) -> Result<Millis> {
    let s = input.trim();
    let bad = || Error::usage(format!("invalid duration '{input}'")).hint(DURATION_HINT);
    if s == "0" {
        return Ok(Millis::ZERO);
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
    Ok(Millis(total))
}

/// A point in time as the user wrote it: an exact instant, or a whole calendar day (UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    /// An RFC 3339 time, or a date and time without an offset, read as UTC.
    At(UnixMillis),
    /// A bare date: what it means (start or end of the day) is up to the caller.
    Day(jiff::civil::Date),
}

/// Parses `2026-12-31T12:00:00Z`, `2026-12-31T14:00:00+02:00`, `2026-12-31T12:00:00` or
/// `2026-12-31 12:00[:00[.fff]]` (no offset: UTC) and `2026-12-31` (a day). A time of day is
/// never dropped: anything that is not exactly one of these is `None`.
pub fn parse_written(input: &str) -> Option<Written> {
    let s = input.trim();
    if let Ok(ts) = s.parse::<jiff::Timestamp>() {
        return Some(Written::At(UnixMillis::from_timestamp(ts)));
    }
    let bytes = s.as_bytes();
    // A bare date is exactly YYYY-MM-DD; anything longer must parse as a full date-time.
    if bytes.len() == 10 {
        return s.parse::<jiff::civil::Date>().ok().map(Written::Day);
    }
    if bytes.len() > 10 && matches!(bytes[10], b'T' | b't' | b' ') {
        let dt = s.parse::<jiff::civil::DateTime>().ok()?;
        let zoned = dt.to_zoned(jiff::tz::TimeZone::UTC).ok()?;
        return Some(Written::At(UnixMillis::from_timestamp(zoned.timestamp())));
    }
    None
}

fn day_at(date: jiff::civil::Date, h: i8, m: i8, s: i8) -> Option<UnixMillis> {
    let zoned = date.at(h, m, s, 0).to_zoned(jiff::tz::TimeZone::UTC).ok()?;
    Some(UnixMillis::from_timestamp(zoned.timestamp()))
}

/// A lower bound such as `--since`: a duration ago (`24h`), a date (its start, UTC) or a time.
pub fn parse_since(input: &str, now: UnixMillis) -> Result<UnixMillis> {
    if let Ok(d) = parse_duration(input) {
        return Ok(now - d);
    }
    match parse_written(input) {
        Some(Written::At(t)) => Ok(t),
        Some(Written::Day(d)) => day_at(d, 0, 0, 0).ok_or_else(|| Error::usage(format!("invalid date '{input}'"))),
        None => Err(Error::usage(format!("invalid --since '{input}'"))
            .hint("use a duration ago (24h, 7d), a date (2026-11-01) or a time (2026-11-01T09:30:00, UTC unless it has an offset)")),
    }
}

/// When something expires: `never`, a duration from now, a date (`2026-12-31`, end of that
/// day UTC) or a date and time (RFC 3339, or without an offset: UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expiry {
    Never,
    At(UnixMillis),
}

pub fn parse_expiry(input: &str, now: UnixMillis) -> Result<Expiry> {
    let s = input.trim();
    if s.eq_ignore_ascii_case("never") {
        return Ok(Expiry::Never);
    }
    match parse_written(s) {
        Some(Written::At(t)) => return future(t, input, now),
        Some(Written::Day(d)) => {
            let end = day_at(d, 23, 59, 59).ok_or_else(|| Error::usage(format!("invalid date '{input}'")))?;
            return future(end, input, now);
        }
        None => {}
    }
    match parse_duration(s) {
        Ok(Millis::ZERO) => Err(Error::usage(format!("expiry '{input}' is already past")).hint("give a positive duration such as 30d")),
        Ok(d) => Ok(Expiry::At(now + d)),
        Err(_) => Err(Error::usage(format!("invalid expiry '{input}'"))
            .hint("use a duration (30d, 12h), a date (2026-12-31), a time (2026-12-31T12:00:00, UTC unless it has an offset), or 'never'")),
    }
}

fn future(at: UnixMillis, input: &str, now: UnixMillis) -> Result<Expiry> {
    if at <= now {
        return Err(Error::usage(format!("expiry '{input}' is in the past")).hint("give a future date or a duration such as 30d"));
    }
    Ok(Expiry::At(at))
}

/// `2026-11-23T12:00:00Z`.
pub fn format(at: UnixMillis) -> String {
    match at.to_timestamp() {
        Some(ts) => ts.strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
        None => at.0.to_string(),
    }
}

/// `2026-11-23T12:00:00.123Z`: to the millisecond, as the audit trail records times so that
/// its replay compares them exactly.
pub fn format_exact(at: UnixMillis) -> String {
    match at.to_timestamp() {
        Some(ts) => ts.strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
        None => at.0.to_string(),
    }
}

pub fn format_opt(at: Option<UnixMillis>) -> String {
    at.map(format).unwrap_or_else(|| "-".into())
}

/// A short human description of a span, e.g. `23h 59m`.
pub fn humanize(span: Millis) -> String {
    let secs = span.0.max(0) / 1000;
    let (d, h, m, s) = (secs / 86_400, secs / 3600 % 24, secs / 60 % 60, secs % 60);
    match (d, h, m) {
        (0, 0, 0) => format!("{s}s"),
        (0, 0, _) => format!("{m}m {s}s"),
        (0, _, _) => format!("{h}h {m}m"),
        _ => format!("{d}d {h}h"),
    }
}

/// Serialises an instant as ISO-8601.
pub fn iso<S: serde::Serializer>(at: &UnixMillis, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_str(&format(*at))
}

pub fn iso_opt<S: serde::Serializer>(at: &Option<UnixMillis>, s: S) -> std::result::Result<S::Ok, S::Error> {
    match at {
        Some(at) => s.serialize_str(&format(*at)),
        None => s.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("0").unwrap(), Millis::ZERO);
        assert_eq!(parse_duration("30s").unwrap(), Millis::from_secs(30));
        assert_eq!(parse_duration("24h").unwrap(), Millis::hours(24));
        assert_eq!(parse_duration("1h30m").unwrap(), Millis::minutes(90));
        assert_eq!(parse_duration("2w").unwrap(), Millis::days(14));
        for bad in ["", "h", "10", "1x", "-1h", "1.5h", "99999999999999999999d", "200000d"] {
            let err = parse_duration(bad).unwrap_err();
            assert_eq!(err.exit_code(), 2, "{bad}");
        }
    }

    #[test]
    fn expiries() {
        let now = UnixMillis::from_i64(1_800_000_000_000);
        assert_eq!(parse_expiry("never", now).unwrap(), Expiry::Never);
        assert_eq!(parse_expiry("1d", now).unwrap(), Expiry::At(now + Millis::days(1)));
        assert!(parse_expiry("2099-01-01", now).is_ok());
        assert!(parse_expiry("2099-01-01T00:00:00Z", now).is_ok());
        assert!(parse_expiry("2001-01-01", now).is_err());
        assert!(parse_expiry("0", now).is_err());
        assert!(parse_expiry("tomorrow", now).is_err());
    }

    #[test]
    fn a_time_without_offset_is_utc_to_the_second() {
        let now = UnixMillis::from_i64(1_700_000_000_000);
        let want = UnixMillis::from_i64(1_798_718_400_000); // 2026-12-31T12:00:00Z
        for s in [
            "2026-12-31T12:00:00",
            "2026-12-31 12:00:00",
            "2026-12-31T12:00",
            "2026-12-31T12:00:00Z",
            "2026-12-31T14:00:00+02:00",
        ] {
            assert_eq!(parse_expiry(s, now).unwrap(), Expiry::At(want), "{s}");
            assert_eq!(parse_since(s, now).unwrap(), want, "{s}");
        }
        assert_eq!(parse_since("2026-12-31", now).unwrap(), want - Millis::hours(12));
        assert_eq!(
            parse_expiry("2026-12-31", now).unwrap(),
            Expiry::At(want + Millis::hours(12) - Millis::from_secs(1))
        );
        for bad in ["2026-12-31T25:00:00", "2026-12-31X12:00:00", "2026-12-31 garbage", "2026-13-01"] {
            assert_eq!(parse_expiry(bad, now).unwrap_err().exit_code(), 2, "{bad}");
            assert_eq!(parse_since(bad, now).unwrap_err().exit_code(), 2, "{bad}");
        }
    }

    proptest::proptest! {
        /// Every date-time in the grammar means exactly that second, UTC unless an offset says otherwise.
        #[test]
        fn written_times_keep_their_time_of_day(
            y in 1971i16..2200, mo in 1i8..=12, d in 1i8..=28, h in 0i8..24, mi in 0i8..60, se in 0i8..60,
            sep in proptest::sample::select(vec!["T", " ", "t"]),
            off in proptest::sample::select(vec!["", "Z", "+00:00", "+02:00", "-05:30"]),
        ) {
            let text = format!("{y:04}-{mo:02}-{d:02}{sep}{h:02}:{mi:02}:{se:02}{off}");
            let utc = jiff::civil::date(y, mo, d).at(h, mi, se, 0).to_zoned(jiff::tz::TimeZone::UTC).unwrap();
            let shift = match off { "+02:00" => Millis::hours(-2), "-05:30" => Millis::minutes(5 * 60 + 30), _ => Millis::ZERO };
            let want = UnixMillis::from_timestamp(utc.timestamp()) + shift;
            // A space before an offset is not RFC 3339; without one every form must parse.
            match parse_written(&text) {
                Some(Written::At(t)) => proptest::prop_assert_eq!(t, want, "{}", text),
                other => proptest::prop_assert!(sep == " " && !off.is_empty(), "{} parsed as {:?}", text, other),
            }
            proptest::prop_assert_eq!(parse_written(&text[..10]), Some(Written::Day(jiff::civil::date(y, mo, d))));
        }
    }

    #[test]
    fn a_clock_ahead_reads_that_much_later() {
        let ahead = Clock::ahead(Millis::hours(2));
        let (system, later) = (Clock::SYSTEM.now(), ahead.now());
        // Read in that order, the later clock is at least the span ahead, and not much more.
        assert!(later - system >= Millis::hours(2), "{:?}", later - system);
        assert!(later - system < Millis::hours(2) + Millis::minutes(1), "{:?}", later - system);
    }

    #[test]
    fn formatting() {
        assert_eq!(format(UnixMillis::EPOCH), "1970-01-01T00:00:00Z");
        assert_eq!(humanize(Millis::from_secs(90)), "1m 30s");
        assert_eq!(humanize(Millis::days(1) + Millis::hours(1)), "1d 1h");
    }
}
