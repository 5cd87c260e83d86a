//! `smsctl usage`, and the usage section of `key show`: what the gateway accepted per key and
//! per secret, how much of the quota is left, and refused authentications.

use serde::Serialize;

use crate::cli::UsageArgs;
use crate::context::Ctx;
use crate::error::Result;
use crate::output::{Human, Report};
use crate::policy::{self, Window};
use crate::store::keys::{self, Key};
use crate::store::usage::{self, AddressUsage, Counts, Failures, SecretUsage};
use crate::time::{self, Millis, UnixMillis, iso, iso_opt};

/// Messages and parts, as `--json` shows them.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct CountsView {
    pub messages: i64,
    pub parts: i64,
}

impl From<Counts> for CountsView {
    fn from(c: Counts) -> CountsView {
        CountsView {
            messages: c.messages,
            parts: c.parts,
        }
    }
}

/// One secret's usage, as `--json` shows it (the secret's row id stays out).
#[derive(Debug, Clone, Serialize)]
pub struct SecretUsageView {
    #[serde(skip)]
    pub secret_id: i64,
    pub last4: String,
    pub messages: i64,
    pub parts: i64,
    pub last_ip: Option<String>,
    #[serde(serialize_with = "iso_opt")]
    pub last_at: Option<UnixMillis>,
}

impl From<SecretUsage> for SecretUsageView {
    fn from(s: SecretUsage) -> SecretUsageView {
        SecretUsageView {
            secret_id: s.secret_id,
            last4: s.last4,
            messages: s.messages,
            parts: s.parts,
            last_ip: s.last_ip,
            last_at: s.last_at,
        }
    }
}

/// Refused authentications from one address for one reason, as `--json` shows them.
#[derive(Debug, Clone, Serialize)]
pub struct FailuresView {
    pub key_id: String,
    pub ip: String,
    pub reason: String,
    pub count: i64,
    #[serde(serialize_with = "iso")]
    pub last_at: UnixMillis,
}

impl From<Failures> for FailuresView {
    fn from(f: Failures) -> FailuresView {
        FailuresView {
            key_id: f.key_id,
            ip: f.ip,
            reason: f.reason,
            count: f.count,
            last_at: f.last_at,
        }
    }
}

/// One client address's use of a secret, as `--json` shows it.
#[derive(Debug, Clone, Serialize)]
pub struct AddressUsageView {
    pub ip: String,
    pub messages: i64,
    pub parts: i64,
    #[serde(serialize_with = "iso")]
    pub last_at: UnixMillis,
}

impl From<AddressUsage> for AddressUsageView {
    fn from(a: AddressUsage) -> AddressUsageView {
        AddressUsageView {
            ip: a.ip,
            messages: a.messages,
            parts: a.parts,
            last_at: a.last_at,
        }
    }
}

/// Store rows as their views.
pub fn views<R, V: From<R>>(rows: Vec<R>) -> Vec<V> {
    rows.into_iter().map(V::from).collect()
}

/// How far back `key show` lists authentication failures.
pub const RECENT_FAILURES: Millis = Millis::days(7);

#[derive(Debug, Clone, Serialize)]
pub struct QuotaUse {
    pub quota: String,
    pub limit: u64,
    /// Parts used in the current UTC day or month.
    pub used: u64,
    pub remaining: u64,
    #[serde(serialize_with = "crate::time::iso")]
    pub resets_at: UnixMillis,
}

/// A key's usage as `key show` reports it.
#[derive(Debug, Clone, Serialize)]
pub struct KeyUsage {
    pub today: CountsView,
    pub this_month: CountsView,
    pub quota: Option<QuotaUse>,
    /// Every secret the key had, all time: messages, parts and the last client address.
    pub secrets: Vec<SecretUsageView>,
    /// Refused authentications claiming this key in the last 7 days.
    pub recent_failures: Vec<FailuresView>,
}

impl KeyUsage {
    pub fn field_rows(&self) -> Vec<(&'static str, String)> {
        let counts = |c: &CountsView| format!("{} message(s), {} part(s)", c.messages, c.parts);
        let mut rows = vec![("usage today", counts(&self.today)), ("usage this month", counts(&self.this_month))];
        if let Some(q) = &self.quota {
            rows.push((
                "quota left",
                format!("{} of {} (resets {})", q.remaining, q.quota, time::format(q.resets_at)),
            ));
        }
        for s in &self.secrets {
            if s.messages > 0 {
                rows.push((
                    "usage by secret",
                    format!(
                        "…{}: {} message(s), last from {} at {}",
                        s.last4,
                        s.messages,
                        s.last_ip.as_deref().unwrap_or("?"),
                        time::format_opt(s.last_at)
                    ),
                ));
            }
        }
        let total: i64 = self.recent_failures.iter().map(|f| f.count).sum();
        rows.push((
            "auth failures (7d)",
            if total == 0 {
                "none".into()
            } else {
                self.recent_failures
                    .iter()
                    .map(|f| format!("{} {} from {}", f.count, f.reason, f.ip))
                    .collect::<Vec<_>>()
                    .join(", ")
            },
        ));
        rows
    }
}

pub fn key_usage(conn: &crate::store::Conn, key: &Key, now: UnixMillis) -> Result<KeyUsage> {
    let today_start = window_start(Window::Day, now);
    let month_start = window_start(Window::Month, now);
    let today = usage::totals(conn, &key.id, Some(today_start))?;
    let this_month = usage::totals(conn, &key.id, Some(month_start))?;
    let quota = key.settings.policy.quota.map(|q| {
        let used = match q.per {
            Window::Day => today.parts,
            Window::Month => this_month.parts,
        }
        .max(0) as u64;
        QuotaUse {
            quota: q.to_string(),
            limit: q.parts,
            used,
            remaining: q.parts.saturating_sub(used),
            resets_at: policy::window_end(q.per, now),
        }
    });
    Ok(KeyUsage {
        today: today.into(),
        this_month: this_month.into(),
        quota,
        secrets: views(usage::by_secret(conn, &key.id, None)?),
        recent_failures: views(usage::failures(conn, Some(&key.id), Some(now - RECENT_FAILURES))?),
    })
}

/// The start of the UTC day or month containing `now`.
fn window_start(per: Window, now: UnixMillis) -> UnixMillis {
    let day = match per {
        Window::Day => policy::utc_day(now),
        Window::Month => policy::utc_month_days(now).0,
    };
    day.parse::<jiff::civil::Date>()
        .ok()
        .and_then(|d| d.to_zoned(jiff::tz::TimeZone::UTC).ok())
        .map_or(now, |z| UnixMillis::from_timestamp(z.timestamp()))
}

#[derive(Debug, Serialize)]
struct KeyReport {
    id: String,
    name: String,
    owner: Option<String>,
    purpose: Option<policy::Purpose>,
    messages: i64,
    parts: i64,
    /// Distinct client addresses in the period.
    addresses: Vec<String>,
    quota: Option<QuotaUse>,
    secrets: Vec<SecretUsageView>,
    auth_failures: Vec<FailuresView>,
}

#[derive(Serialize)]
#[serde(transparent)]
struct UsageReport {
    keys: Vec<KeyReport>,
    #[serde(skip)]
    since: Option<UnixMillis>,
}

impl Report for UsageReport {
    fn human(&self, out: &mut Human) {
        out.line(match self.since {
            Some(t) => format!("Usage since {} (UTC days):", time::format(t)),
            None => "Usage, everything recorded:".to_owned(),
        });
        out.table(
            &[
                "name",
                "owner",
                "purpose",
                "messages",
                "parts",
                "addresses",
                "quota left",
                "auth failures",
            ],
            self.keys.iter().map(|k| {
                vec![
                    k.name.clone(),
                    k.owner.clone().unwrap_or_else(|| "-".into()),
                    k.purpose.map_or_else(|| "-".to_owned(), |p| p.as_str().to_owned()),
                    k.messages.to_string(),
                    k.parts.to_string(),
                    k.addresses.len().to_string(),
                    k.quota
                        .as_ref()
                        .map_or_else(|| "-".to_owned(), |q| format!("{} of {}", q.remaining, q.quota)),
                    k.auth_failures.iter().map(|f| f.count).sum::<i64>().to_string(),
                ]
            }),
        );
        let secrets: Vec<Vec<String>> = self
            .keys
            .iter()
            .flat_map(|k| {
                k.secrets.iter().filter(|s| s.messages > 0).map(|s| {
                    vec![
                        k.name.clone(),
                        format!("…{}", s.last4),
                        s.messages.to_string(),
                        s.parts.to_string(),
                        s.last_ip.clone().unwrap_or_else(|| "-".into()),
                        time::format_opt(s.last_at),
                    ]
                })
            })
            .collect();
        if !secrets.is_empty() {
            out.blank();
            out.table(&["key", "secret", "messages", "parts", "last ip", "last used"], secrets);
        }
    }
}

pub fn exec(ctx: &Ctx, args: UsageArgs) -> Result<()> {
    let now = ctx.clock.now();
    let since = args.since.as_deref().map(|s| crate::time::parse_since(s, now)).transpose()?;
    let store = ctx.store_for_reading()?;
    let conn = store.conn();
    let selected = match &args.key {
        Some(k) => vec![keys::find(conn, k)?],
        None => keys::list(conn, true)?,
    };
    let mut reports = Vec::new();
    for key in &selected {
        let totals = usage::totals(conn, &key.id, since)?;
        let shown = key_usage(conn, key, now)?;
        reports.push(KeyReport {
            id: key.id.clone(),
            name: key.name.clone(),
            owner: key.settings.policy.owner.clone(),
            purpose: key.settings.policy.purpose,
            messages: totals.messages,
            parts: totals.parts,
            addresses: usage::addresses(conn, &key.id, since)?,
            quota: shown.quota,
            secrets: views(usage::by_secret(conn, &key.id, since)?),
            auth_failures: views(usage::failures(conn, Some(&key.id), since)?),
        });
    }
    ctx.out.emit(&UsageReport { keys: reports, since })
}
