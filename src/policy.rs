//! Key policy: who owns a key and what it may do (operations, senders, destinations, parts,
//! rate, quota, send window, canary). Pure types, the parsing of their command-line spellings,
//! and the one evaluation used by `send` (locally, before traffic) and by the gateway.
//!
//! Rate and quota need state (a token bucket, parts counted per UTC day/month). The state is
//! passed in ([`LimitState`]); [`check_limits`] decides and returns the new bucket. The gateway
//! calls it inside the store transaction that records the message, so the decision and the
//! counting are one atomic step (see docs/policy.md for what that guarantees).

use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::store::keys::printable;
use crate::time::{Millis, UnixMillis};

/// An API operation a key may be scoped to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// `POST /omnimessage` without `time_to_send`.
    Send,
    /// `POST /omnimessages` (many recipients).
    Bulk,
    /// A send with `time_to_send`, and cancelling it.
    Schedule,
    /// Reading messages back and their delivery status.
    Status,
}

pub const ALL_SCOPES: [Scope; 4] = [Scope::Send, Scope::Bulk, Scope::Schedule, Scope::Status];

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Send => "send",
            Scope::Bulk => "bulk",
            Scope::Schedule => "schedule",
            Scope::Status => "status",
        }
    }
}

impl FromStr for Scope {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Scope, String> {
        ALL_SCOPES
            .into_iter()
            .find(|k| k.as_str() == s.trim())
            .ok_or_else(|| format!("unknown scope '{}': use send, bulk, schedule or status", printable(s)))
    }
}

/// What kind of messages a key originates (shown in lists and usage).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Purpose {
    Marketing,
    Transactional,
    Alerts,
    Otp,
    Internal,
}

impl Purpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Marketing => "marketing",
            Purpose::Transactional => "transactional",
            Purpose::Alerts => "alerts",
            Purpose::Otp => "otp",
            Purpose::Internal => "internal",
        }
    }
}

impl FromStr for Purpose {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Purpose, String> {
        [
            Purpose::Marketing,
            Purpose::Transactional,
            Purpose::Alerts,
            Purpose::Otp,
            Purpose::Internal,
        ]
        .into_iter()
        .find(|p| p.as_str() == s)
        .ok_or_else(|| {
            format!(
                "unknown purpose '{}': use marketing, transactional, alerts, otp or internal",
                printable(s)
            )
        })
    }
}

/// Stored and shown as the command-line spelling (`"5/s,burst=20"`), parsed back with the same rules.
macro_rules! string_form {
    ($t:ty) => {
        impl From<$t> for String {
            fn from(v: $t) -> String {
                v.to_string()
            }
        }

        impl TryFrom<String> for $t {
            type Error = String;
            fn try_from(s: String) -> std::result::Result<$t, String> {
                s.parse().map_err(|e: Error| e.message)
            }
        }
    };
}

/// A token bucket: `count` requests per `per_ms`, holding at most `burst` tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub struct Rate {
    pub count: u32,
    pub per_ms: i64,
    pub burst: u32,
}

const RATE_HINT: &str = "use N/s or N/min, optionally with a burst: 10/s, 600/min, 5/s,burst=20 (N and the burst 1-1000000)";

impl FromStr for Rate {
    type Err = Error;
    fn from_str(input: &str) -> Result<Rate> {
        let bad = |why: &str| Error::usage(format!("invalid rate '{}': {why}", printable(input))).hint(RATE_HINT);
        let (main, burst) = match input.split_once(',') {
            Some((m, b)) => (m, Some(b.strip_prefix("burst=").ok_or_else(|| bad("expected ',burst=N'"))?)),
            None => (input, None),
        };
        let (n, unit) = main.split_once('/').ok_or_else(|| bad("expected N/s or N/min"))?;
        let count = parse_count(n).ok_or_else(|| bad("the count must be a whole number from 1 to 1000000"))?;
        let per_ms = match unit {
            "s" | "sec" => 1_000,
            "min" | "m" => 60_000,
            _ => return Err(bad("the unit is s or min")),
        };
        let burst = match burst {
            Some(b) => parse_count(b).ok_or_else(|| bad("the burst must be a whole number from 1 to 1000000"))?,
            None => count,
        };
        Ok(Rate { count, per_ms, burst })
    }
}

fn parse_count(s: &str) -> Option<u32> {
    s.parse::<u32>().ok().filter(|n| (1..=1_000_000).contains(n))
}

impl fmt::Display for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let unit = if self.per_ms == 1_000 { "s" } else { "min" };
        write!(f, "{}/{unit}", self.count)?;
        if self.burst != self.count {
            write!(f, ",burst={}", self.burst)?;
        }
        Ok(())
    }
}

string_form!(Rate);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Window {
    Day,
    Month,
}

/// At most `parts` message parts per UTC calendar day or month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub struct Quota {
    pub parts: u64,
    pub per: Window,
}

impl FromStr for Quota {
    type Err = Error;
    fn from_str(input: &str) -> Result<Quota> {
        let bad = |why: &str| {
            Error::usage(format!("invalid quota '{}': {why}", printable(input)))
                .hint("use N/day or N/month: message parts per UTC calendar day or month, e.g. 5000/day (N 1-1000000000)")
        };
        let (n, unit) = input.split_once('/').ok_or_else(|| bad("expected N/day or N/month"))?;
        let parts = n
            .parse::<u64>()
            .ok()
            .filter(|n| (1..=1_000_000_000).contains(n))
            .ok_or_else(|| bad("N must be a whole number from 1 to 1000000000"))?;
        let per = match unit {
            "day" | "d" => Window::Day,
            "month" | "mo" => Window::Month,
            _ => return Err(bad("the unit is day or month")),
        };
        Ok(Quota { parts, per })
    }
}

impl fmt::Display for Quota {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let unit = match self.per {
            Window::Day => "day",
            Window::Month => "month",
        };
        write!(f, "{}/{unit}", self.parts)
    }
}

string_form!(Quota);

/// Local wall-clock hours in a time zone when sends are allowed, e.g. `08:00-21:00@Europe/Tallinn`.
/// `start > end` spans midnight (`22:00-06:00@UTC`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub struct SendWindow {
    /// Minutes after local midnight.
    pub start: u16,
    pub end: u16,
    pub zone: String,
}

const WINDOW_HINT: &str = "use HH:MM-HH:MM@ZONE with an IANA time zone, e.g. 08:00-21:00@Europe/Tallinn or 09:00-17:30@UTC";

impl FromStr for SendWindow {
    type Err = Error;
    fn from_str(input: &str) -> Result<SendWindow> {
        let bad = |why: &str| Error::usage(format!("invalid send window '{}': {why}", printable(input))).hint(WINDOW_HINT);
        let (hours, zone) = input.split_once('@').ok_or_else(|| bad("no time zone after '@'"))?;
        let (start, end) = hours.split_once('-').ok_or_else(|| bad("expected START-END"))?;
        let clock = |s: &str| -> Option<u16> {
            let (h, m) = s.split_once(':')?;
            if h.len() != 2 || m.len() != 2 {
                return None;
            }
            let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
            // 24:00 is allowed as an end: the window runs to midnight.
            ((h < 24 && m < 60) || (h == 24 && m == 0)).then_some(h * 60 + m)
        };
        let start = clock(start)
            .filter(|s| *s < 1440)
            .ok_or_else(|| bad("the start is not a HH:MM time"))?;
        let end = clock(end).ok_or_else(|| bad("the end is not a HH:MM time"))?;
        if start == end {
            return Err(bad("the window is empty (start equals end)"));
        }
        jiff::tz::TimeZone::get(zone).map_err(|_| bad(&format!("unknown time zone '{}'", printable(zone))))?;
        Ok(SendWindow {
            start,
            end,
            zone: zone.to_owned(),
        })
    }
}

impl fmt::Display for SendWindow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:02}:{:02}-{:02}:{:02}@{}",
            self.start / 60,
            self.start % 60,
            self.end / 60,
            self.end % 60,
            self.zone
        )
    }
}

string_form!(SendWindow);

impl SendWindow {
    /// Whether `now` falls inside the window, and the local time it was judged at (`HH:MM ZONE`).
    pub fn contains(&self, now: UnixMillis) -> (bool, String) {
        let Ok(tz) = jiff::tz::TimeZone::get(&self.zone) else {
            // Validated when set; a zone missing from this machine's database refuses (fail closed).
            return (false, format!("time zone {} unknown on this machine", self.zone));
        };
        let Some(ts) = now.to_timestamp() else {
            return (false, "clock out of range".into());
        };
        let local = ts.to_zoned(tz).time();
        let minute = local.hour() as u16 * 60 + local.minute() as u16;
        let inside = if self.start < self.end {
            (self.start..self.end).contains(&minute)
        } else {
            minute >= self.start || minute < self.end
        };
        (inside, format!("{:02}:{:02} {}", local.hour(), local.minute(), self.zone))
    }
}

/// The policy of one key. Every field is optional; the default policy allows everything.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Policy {
    /// The team the key belongs to (required on production keys).
    pub owner: Option<String>,
    /// `None`: every operation.
    pub scopes: Option<BTreeSet<Scope>>,
    /// Empty: any sender.
    pub allow_senders: Vec<String>,
    /// E.164 prefixes; empty: any destination.
    pub allow_to: Vec<String>,
    /// E.164 prefixes that are refused even when allowed (deny wins).
    pub deny_to: Vec<String>,
    pub max_parts: Option<u32>,
    pub rate: Option<Rate>,
    pub quota: Option<Quota>,
    pub purpose: Option<Purpose>,
    pub send_window: Option<SendWindow>,
    /// A key that must never be used: any attempt is refused and raises an alarm.
    pub canary: bool,
    /// Where a canary trip is POSTed.
    pub alert_url: Option<String>,
}

/// Owners are team names: 1-64 characters of letters, digits, '.', '_' and '-'.
pub fn validate_owner(owner: &str) -> Result<String> {
    if owner.is_empty() || owner.chars().count() > 64 || !owner.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')) {
        return Err(Error::usage(format!("invalid owner '{}'", printable(owner)))
            .hint("an owner is a team name: 1-64 characters of letters, digits, '.', '_' and '-', e.g. growth-team"));
    }
    Ok(owner.to_owned())
}

/// E.164 prefixes: '+' and 1-15 digits, not starting with 0.
pub fn validate_prefix(prefix: &str) -> Result<String> {
    let digits = prefix.strip_prefix('+').unwrap_or("");
    if digits.is_empty() || digits.len() > 15 || !digits.bytes().all(|b| b.is_ascii_digit()) || digits.starts_with('0') {
        return Err(Error::usage(format!("invalid destination prefix '{}'", printable(prefix)))
            .hint("give an E.164 prefix: '+' and 1-15 digits, e.g. +372 (Estonia) or +1900 (US premium numbers)"));
    }
    Ok(prefix.to_owned())
}

/// Which rule a check is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    Scope,
    Sender,
    Destination,
    MaxParts,
    SendWindow,
    Rate,
    Quota,
}

impl Rule {
    pub fn as_str(self) -> &'static str {
        match self {
            Rule::Scope => "scope",
            Rule::Sender => "sender",
            Rule::Destination => "destination",
            Rule::MaxParts => "max_parts",
            Rule::SendWindow => "send_window",
            Rule::Rate => "rate",
            Rule::Quota => "quota",
        }
    }
}

/// One rule that applied: its configured value and what it decided.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    pub rule: Rule,
    /// The key's setting, as written on the command line.
    pub value: String,
    pub allowed: bool,
    /// Why, in words.
    pub detail: String,
}

/// A refusal, ready for the gateway's error body or `send`'s error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Violation {
    pub rule: Rule,
    /// 403 (not allowed at all) or 429 (not now: rate or quota).
    pub status: u16,
    pub detail: String,
    /// The part of the Omnimessage payload at fault (`payload[to]`, ...), if any.
    pub source: Option<&'static str>,
    /// For 429: seconds until a retry can succeed.
    pub retry_after: Option<u64>,
}

/// What is being attempted. `None` fields are not part of this operation (e.g. a status read).
#[derive(Debug, Clone, Copy)]
pub struct Attempt<'a> {
    pub operation: Scope,
    pub sender: Option<&'a str>,
    pub to: Option<&'a str>,
    pub parts: Option<u32>,
    pub now: UnixMillis,
}

impl Attempt<'_> {
    /// Reading messages or delivery status back: only the scope applies.
    pub fn status_read(now: UnixMillis) -> Attempt<'static> {
        Attempt::operation(Scope::Status, now)
    }

    /// A request checked for its scope only (a read-back, a cancel, a bulk request as a whole).
    pub fn operation(operation: Scope, now: UnixMillis) -> Attempt<'static> {
        Attempt {
            operation,
            sender: None,
            to: None,
            parts: None,
            now,
        }
    }
}

/// The outcome of [`evaluate`]: every rule that applied, and the first refusal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Evaluation {
    pub checks: Vec<Check>,
    pub violation: Option<Violation>,
}

impl Evaluation {
    fn push(&mut self, check: Check, refusal: impl FnOnce(&Check) -> Violation) {
        if !check.allowed && self.violation.is_none() {
            self.violation = Some(refusal(&check));
        }
        self.checks.push(check);
    }
}

pub const SOURCE_TO: &str = "payload[to]";
pub const SOURCE_SENDER: &str = "payload[sms][sender]";
pub const SOURCE_TEXT: &str = "payload[sms][text]";

fn forbidden(source: Option<&'static str>) -> impl FnOnce(&Check) -> Violation {
    move |c| Violation {
        rule: c.rule,
        status: 403,
        detail: c.detail.clone(),
        source,
        retry_after: None,
    }
}

/// Evaluates the stateless rules (scope, sender, destination, parts, send window) and, when
/// `limits` is given, rate and quota against that state (without consuming anything).
pub fn evaluate(policy: &Policy, attempt: &Attempt<'_>, limits: Option<&LimitState>) -> Evaluation {
    let mut eval = Evaluation::default();
    if let Some(scopes) = &policy.scopes {
        let op = attempt.operation;
        let allowed = scopes.contains(&op);
        let value = scopes.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(",");
        let detail = if allowed {
            format!("operation '{}' is in the key's scopes", op.as_str())
        } else {
            format!("this key may not use the '{}' operation (its scopes: {value})", op.as_str())
        };
        let source = (op != Scope::Status).then_some("payload");
        eval.push(
            Check {
                rule: Rule::Scope,
                value,
                allowed,
                detail,
            },
            forbidden(source),
        );
    }
    if let (false, Some(sender)) = (policy.allow_senders.is_empty(), attempt.sender) {
        let allowed = policy.allow_senders.iter().any(|s| s == sender);
        let value = policy.allow_senders.join(",");
        let detail = if allowed {
            format!("sender '{sender}' is allowed")
        } else {
            format!("sender '{}' is not allowed for this key (allowed: {value})", printable(sender))
        };
        eval.push(
            Check {
                rule: Rule::Sender,
                value,
                allowed,
                detail,
            },
            forbidden(Some(SOURCE_SENDER)),
        );
    }
    if let (true, Some(to)) = (!policy.allow_to.is_empty() || !policy.deny_to.is_empty(), attempt.to) {
        let denied = policy.deny_to.iter().find(|p| to.starts_with(p.as_str()));
        let allowed_by = policy.allow_to.iter().find(|p| to.starts_with(p.as_str()));
        let mut value = Vec::new();
        if !policy.allow_to.is_empty() {
            value.push(format!("allow {}", policy.allow_to.join(",")));
        }
        if !policy.deny_to.is_empty() {
            value.push(format!("deny {}", policy.deny_to.join(",")));
        }
        let (allowed, detail) = match (denied, allowed_by) {
            (Some(p), _) => (false, format!("destination {to} is denied for this key (prefix {p})")),
            (None, None) if !policy.allow_to.is_empty() => (
                false,
                format!(
                    "destination {to} is not allowed for this key (allowed prefixes: {})",
                    policy.allow_to.join(",")
                ),
            ),
            (None, Some(p)) => (true, format!("destination {to} is allowed by prefix {p}")),
            (None, None) => (true, format!("destination {to} matches no denied prefix")),
        };
        eval.push(
            Check {
                rule: Rule::Destination,
                value: value.join("; "),
                allowed,
                detail,
            },
            forbidden(Some(SOURCE_TO)),
        );
    }
    if let (Some(max), Some(parts)) = (policy.max_parts, attempt.parts) {
        let allowed = parts <= max;
        let detail = if allowed {
            format!("{parts} part(s), at most {max}")
        } else {
            format!("the message needs {parts} parts; this key allows at most {max} per message")
        };
        eval.push(
            Check {
                rule: Rule::MaxParts,
                value: max.to_string(),
                allowed,
                detail,
            },
            forbidden(Some(SOURCE_TEXT)),
        );
    }
    if let (Some(window), true) = (&policy.send_window, attempt.operation != Scope::Status) {
        let (allowed, local) = window.contains(attempt.now);
        let detail = if allowed {
            format!("{local} is inside the send window")
        } else {
            format!("outside this key's send window {window} (it is {local})")
        };
        eval.push(
            Check {
                rule: Rule::SendWindow,
                value: window.to_string(),
                allowed,
                detail,
            },
            forbidden(Some("payload")),
        );
    }
    if let (Some(state), Some(parts)) = (limits, attempt.parts) {
        let (checks, violation, _) = check_limits(policy, parts, attempt.now, state);
        for c in checks {
            eval.checks.push(c);
        }
        if eval.violation.is_none() {
            eval.violation = violation;
        }
    }
    eval
}

/// A token bucket's level, in units where one request costs `rate.per_ms` and each
/// millisecond adds `rate.count` (integers, so nothing is lost to rounding).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bucket {
    pub level: i64,
    pub at: UnixMillis,
}

impl Bucket {
    pub fn full(rate: &Rate, now: UnixMillis) -> Bucket {
        Bucket {
            level: capacity(rate),
            at: now,
        }
    }

    /// The level at `now` (a clock that went backwards adds nothing).
    pub fn refilled(self, rate: &Rate, now: UnixMillis) -> Bucket {
        let elapsed = (now - self.at).max(Millis::ZERO).as_i64();
        Bucket {
            level: self
                .level
                .saturating_add(elapsed.saturating_mul(i64::from(rate.count)))
                .min(capacity(rate)),
            at: now.max(self.at),
        }
    }

    /// Whole tokens available.
    pub fn tokens(self, rate: &Rate) -> i64 {
        self.level / rate.per_ms
    }
}

fn capacity(rate: &Rate) -> i64 {
    i64::from(rate.burst) * rate.per_ms
}

/// Rate and quota state of one key at the moment of a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LimitState {
    /// `None`: no bucket yet (it starts full).
    pub bucket: Option<Bucket>,
    /// Parts accepted so far in the current UTC day and month.
    pub parts_today: u64,
    pub parts_this_month: u64,
}

/// Decides rate and quota for one message of `parts` parts. Returns the checks, the refusal
/// (429 with Retry-After) if any, and the bucket to store when the message is accepted.
pub fn check_limits(policy: &Policy, parts: u32, now: UnixMillis, state: &LimitState) -> (Vec<Check>, Option<Violation>, Option<Bucket>) {
    let mut checks = Vec::new();
    let mut violation = None;
    let mut bucket_after = None;
    if let Some(rate) = &policy.rate {
        let bucket = state.bucket.unwrap_or_else(|| Bucket::full(rate, now)).refilled(rate, now);
        let allowed = bucket.level >= rate.per_ms;
        let detail = if allowed {
            format!("{} of {} request token(s) available", bucket.tokens(rate), rate.burst)
        } else {
            let wait = Millis::from_i64((rate.per_ms - bucket.level + i64::from(rate.count) - 1) / i64::from(rate.count));
            let secs = ceil_secs(wait);
            violation = Some(Violation {
                rule: Rule::Rate,
                status: 429,
                detail: format!("rate limit of this key ({rate}) reached; retry in {secs} s"),
                source: None,
                retry_after: Some(secs),
            });
            format!("no request token left (rate {rate})")
        };
        if allowed {
            bucket_after = Some(Bucket {
                level: bucket.level - rate.per_ms,
                at: bucket.at,
            });
        }
        checks.push(Check {
            rule: Rule::Rate,
            value: rate.to_string(),
            allowed,
            detail,
        });
    }
    if let Some(quota) = &policy.quota {
        let (used, window) = match quota.per {
            Window::Day => (state.parts_today, "today (UTC)"),
            Window::Month => (state.parts_this_month, "this month (UTC)"),
        };
        let after = used.saturating_add(u64::from(parts));
        let allowed = after <= quota.parts;
        let detail = if allowed {
            format!("{used} of {} part(s) used {window}; this message adds {parts}", quota.parts)
        } else {
            format!("quota of this key ({quota}) would be exceeded: {used} part(s) used {window}, this message needs {parts}")
        };
        if !allowed && violation.is_none() {
            // A message larger than the whole quota never fits: waiting would not help.
            let never = u64::from(parts) > quota.parts;
            violation = Some(Violation {
                rule: Rule::Quota,
                status: if never { 403 } else { 429 },
                detail: if never {
                    format!("this message needs {parts} part(s), more than the key's whole quota ({quota})")
                } else {
                    detail.clone()
                },
                source: if never { Some("payload[sms][text]") } else { None },
                retry_after: (!never).then(|| ceil_secs(window_end(quota.per, now) - now)),
            });
        }
        checks.push(Check {
            rule: Rule::Quota,
            value: quota.to_string(),
            allowed,
            detail,
        });
    }
    if violation.is_some() {
        bucket_after = None;
    }
    (checks, violation, bucket_after)
}

fn ceil_secs(span: Millis) -> u64 {
    (span.as_i64().max(1) as u64).div_ceil(1000)
}

/// The UTC calendar day (`YYYY-MM-DD`) of `at`.
pub fn utc_day(at: UnixMillis) -> String {
    let date = utc_date(at);
    format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day())
}

/// The first and last day (`YYYY-MM-DD`) of `at`'s UTC month.
pub fn utc_month_days(at: UnixMillis) -> (String, String) {
    let date = utc_date(at);
    let first = date.first_of_month();
    let last = date.last_of_month();
    (
        format!("{:04}-{:02}-{:02}", first.year(), first.month(), first.day()),
        format!("{:04}-{:02}-{:02}", last.year(), last.month(), last.day()),
    )
}

fn utc_date(at: UnixMillis) -> jiff::civil::Date {
    at.to_timestamp()
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
        .to_zoned(jiff::tz::TimeZone::UTC)
        .date()
}

/// When the quota window containing `now` ends (the next UTC midnight or first of month).
pub fn window_end(per: Window, now: UnixMillis) -> UnixMillis {
    let date = utc_date(now);
    let next = match per {
        Window::Day => date.tomorrow(),
        Window::Month => date.last_of_month().tomorrow(),
    };
    next.ok()
        .and_then(|d| d.to_zoned(jiff::tz::TimeZone::UTC).ok())
        .map_or(now + Millis::days(1), |z| UnixMillis::from_timestamp(z.timestamp()))
}

#[cfg(test)]
mod tests {
    use super::*;

    // 2026-12-01T10:00:00Z: 12:00 in Tallinn (EET, UTC+2).
    const NOW: UnixMillis = UnixMillis::from_i64(1_796_119_200_000);

    fn attempt<'a>(sender: &'a str, to: &'a str, parts: u32) -> Attempt<'a> {
        Attempt {
            operation: Scope::Send,
            sender: Some(sender),
            to: Some(to),
            parts: Some(parts),
            now: NOW,
        }
    }

    #[test]
    fn default_policy_allows_everything_and_reports_nothing() {
        let e = evaluate(
            &Policy::default(),
            &attempt("ACME", "+37255512345", 9),
            Some(&LimitState::default()),
        );
        assert_eq!(e, Evaluation::default());
    }

    #[test]
    fn scopes() {
        let p = Policy {
            scopes: Some([Scope::Status].into()),
            ..Policy::default()
        };
        let v = evaluate(&p, &attempt("ACME", "+37255512345", 1), None).violation.unwrap();
        assert_eq!((v.rule, v.status, v.source), (Rule::Scope, 403, Some("payload")));
        assert!(v.detail.contains("'send'"), "{}", v.detail);
        let e = evaluate(&p, &Attempt::status_read(NOW), None);
        assert!(e.violation.is_none());
        assert_eq!(e.checks.len(), 1);
        assert!(e.checks[0].allowed);
    }

    #[test]
    fn senders() {
        let p = Policy {
            allow_senders: vec!["ACME".into(), "ACME-OPS".into()],
            ..Policy::default()
        };
        assert!(evaluate(&p, &attempt("ACME", "+37255512345", 1), None).violation.is_none());
        let v = evaluate(&p, &attempt("EVIL", "+37255512345", 1), None).violation.unwrap();
        assert_eq!((v.rule, v.status, v.source), (Rule::Sender, 403, Some(SOURCE_SENDER)));
        // Exact match: a sender is not a prefix.
        assert!(evaluate(&p, &attempt("ACM", "+37255512345", 1), None).violation.is_some());
    }

    #[test]
    fn destinations_deny_wins() {
        let p = Policy {
            allow_to: vec!["+372".into(), "+1".into()],
            deny_to: vec!["+1900".into()],
            ..Policy::default()
        };
        assert!(evaluate(&p, &attempt("A1", "+37255512345", 1), None).violation.is_none());
        assert!(evaluate(&p, &attempt("A1", "+12025550123", 1), None).violation.is_none());
        let v = evaluate(&p, &attempt("A1", "+19005550123", 1), None).violation.unwrap();
        assert_eq!((v.rule, v.source), (Rule::Destination, Some(SOURCE_TO)));
        assert!(v.detail.contains("denied"), "{}", v.detail);
        let v = evaluate(&p, &attempt("A1", "+4915112345678", 1), None).violation.unwrap();
        assert!(v.detail.contains("not allowed"), "{}", v.detail);
        // Deny-only: everything else passes.
        let deny = Policy {
            deny_to: vec!["+1900".into()],
            ..Policy::default()
        };
        assert!(evaluate(&deny, &attempt("A1", "+4915112345678", 1), None).violation.is_none());
        assert!(evaluate(&deny, &attempt("A1", "+19005550123", 1), None).violation.is_some());
    }

    #[test]
    fn max_parts() {
        let p = Policy {
            max_parts: Some(2),
            ..Policy::default()
        };
        assert!(evaluate(&p, &attempt("A1", "+37255512345", 2), None).violation.is_none());
        let v = evaluate(&p, &attempt("A1", "+37255512345", 3), None).violation.unwrap();
        assert_eq!((v.rule, v.status, v.source), (Rule::MaxParts, 403, Some(SOURCE_TEXT)));
    }

    #[test]
    fn send_windows_in_a_zone_and_across_midnight() {
        let w: SendWindow = "08:00-21:00@Europe/Tallinn".parse().unwrap();
        assert_eq!(w.to_string(), "08:00-21:00@Europe/Tallinn");
        assert!(w.contains(NOW).0, "{}", w.contains(NOW).1);
        // 19:30Z is 21:30 in Tallinn: closed.
        let late = NOW + Millis::minutes(9 * 60 + 30);
        assert!(!w.contains(late).0);
        let night: SendWindow = "22:00-06:00@UTC".parse().unwrap();
        assert!(!night.contains(NOW).0);
        assert!(night.contains(NOW + Millis::hours(13)).0); // 23:00Z
        assert!(night.contains(NOW - Millis::hours(5)).0); // 05:00Z
        let p = Policy {
            send_window: Some(w),
            ..Policy::default()
        };
        let v = evaluate(
            &p,
            &Attempt {
                now: late,
                ..attempt("A1", "+37255512345", 1)
            },
            None,
        )
        .violation
        .unwrap();
        assert_eq!((v.rule, v.status), (Rule::SendWindow, 403));
        assert!(v.detail.contains("21:30"), "{}", v.detail);
        for bad in [
            "08:00-21:00",
            "8:00-21:00@UTC",
            "08:00-25:00@UTC",
            "08:00-08:00@UTC",
            "08:00-21:00@Mars/Olympus",
            "08:60-21:00@UTC",
        ] {
            let err = bad.parse::<SendWindow>().unwrap_err();
            assert_eq!(err.exit_code(), 2, "{bad}");
            assert!(err.hint.is_some());
        }
    }

    #[test]
    fn rate_and_quota_spellings() {
        assert_eq!(
            "10/s".parse::<Rate>().unwrap(),
            Rate {
                count: 10,
                per_ms: 1000,
                burst: 10
            }
        );
        assert_eq!("5/s,burst=20".parse::<Rate>().unwrap().to_string(), "5/s,burst=20");
        assert_eq!("600/min".parse::<Rate>().unwrap().to_string(), "600/min");
        for bad in ["", "10", "0/s", "10/h", "-1/s", "10/s,burst=0", "10/s,20", "1.5/s", "2000000/s"] {
            assert_eq!(bad.parse::<Rate>().unwrap_err().exit_code(), 2, "{bad}");
        }
        assert_eq!("5000/day".parse::<Quota>().unwrap().to_string(), "5000/day");
        assert_eq!("1/month".parse::<Quota>().unwrap().per, Window::Month);
        for bad in ["", "0/day", "10/week", "x/day", "10"] {
            assert_eq!(bad.parse::<Quota>().unwrap_err().exit_code(), 2, "{bad}");
        }
        let p = Policy {
            rate: Some("5/s,burst=20".parse().unwrap()),
            quota: Some("100/day".parse().unwrap()),
            send_window: Some("08:00-21:00@Europe/Tallinn".parse().unwrap()),
            scopes: Some([Scope::Send, Scope::Status].into()),
            ..Policy::default()
        };
        let json = serde_json::to_string(&p).unwrap();
        assert!(json.contains("\"5/s,burst=20\"") && json.contains("\"100/day\""), "{json}");
        assert_eq!(serde_json::from_str::<Policy>(&json).unwrap(), p);
    }

    #[test]
    fn token_bucket_is_exact() {
        let p = Policy {
            rate: Some("2/s,burst=3".parse().unwrap()),
            ..Policy::default()
        };
        let mut state = LimitState::default();
        let mut accepted = 0;
        for _ in 0..10 {
            let (_, v, b) = check_limits(&p, 1, NOW, &state);
            match v {
                None => {
                    accepted += 1;
                    state.bucket = b;
                }
                Some(v) => assert_eq!(v.retry_after, Some(1)),
            }
        }
        assert_eq!(accepted, 3, "the burst");
        // 499 ms later: still nothing (2/s is one token per 500 ms).
        assert!(check_limits(&p, 1, NOW + Millis::from_i64(499), &state).1.is_some());
        let (_, v, b) = check_limits(&p, 1, NOW + Millis::from_i64(500), &state);
        assert!(v.is_none());
        state.bucket = b;
        assert!(check_limits(&p, 1, NOW + Millis::from_i64(500), &state).1.is_some());
        // A long pause refills to the burst, no more.
        state.bucket = Some(state.bucket.unwrap().refilled(p.rate.as_ref().unwrap(), NOW + Millis::hours(1)));
        assert_eq!(state.bucket.unwrap().tokens(p.rate.as_ref().unwrap()), 3);
    }

    #[test]
    fn quota_counts_parts_and_says_when_to_retry() {
        let p = Policy {
            quota: Some("10/day".parse().unwrap()),
            ..Policy::default()
        };
        let state = LimitState {
            parts_today: 8,
            ..LimitState::default()
        };
        assert!(check_limits(&p, 2, NOW, &state).1.is_none());
        let v = check_limits(&p, 3, NOW, &state).1.unwrap();
        assert_eq!((v.rule, v.status), (Rule::Quota, 429));
        // 10:00Z to midnight: 14 h.
        assert_eq!(v.retry_after, Some(14 * 3600));
        let month = Policy {
            quota: Some("10/month".parse().unwrap()),
            ..Policy::default()
        };
        let v = check_limits(
            &month,
            3,
            NOW,
            &LimitState {
                parts_this_month: 8,
                ..state
            },
        )
        .1
        .unwrap();
        assert_eq!(v.retry_after, Some(30 * 86_400 + 14 * 3600));
        assert_eq!(utc_day(NOW), "2026-12-01");
        assert_eq!(utc_month_days(NOW), ("2026-12-01".into(), "2026-12-31".into()));
        // Larger than the whole quota: a 403 that says so, not a 429 to retry tomorrow.
        let v = check_limits(&p, 11, NOW, &LimitState::default()).1.unwrap();
        assert_eq!((v.rule, v.status, v.retry_after), (Rule::Quota, 403, None));
        assert!(v.detail.contains("more than the key's whole quota"), "{}", v.detail);
    }

    #[test]
    fn a_refused_quota_takes_no_rate_token() {
        let p = Policy {
            rate: Some("1/s".parse().unwrap()),
            quota: Some("1/day".parse().unwrap()),
            ..Policy::default()
        };
        let state = LimitState {
            parts_today: 1,
            ..LimitState::default()
        };
        let (checks, v, bucket) = check_limits(&p, 1, NOW, &state);
        assert_eq!(v.unwrap().rule, Rule::Quota);
        assert_eq!(bucket, None);
        assert_eq!(checks.len(), 2);
    }

    #[test]
    fn prefixes_and_owners() {
        assert!(validate_prefix("+372").is_ok());
        for bad in ["372", "+", "+0", "+37a", "+1234567890123456", ""] {
            assert_eq!(validate_prefix(bad).unwrap_err().exit_code(), 2, "{bad}");
        }
        assert!(validate_owner("growth-team").is_ok());
        for bad in ["", "a b", "ümlaut", &"x".repeat(65)] {
            assert_eq!(validate_owner(bad).unwrap_err().exit_code(), 2, "{bad}");
        }
    }
}
