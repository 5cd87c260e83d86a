//! Usage counters, token buckets and authentication failures (schema v4). Counts are kept per
//! UTC day, so every "since" here starts at the beginning of its UTC day.

use crate::params;
use crate::store::db::{Conn, OptionalExtension};

use crate::error::Result;
use crate::policy::{self, Bucket, LimitState, Policy, Rate};
use crate::time::UnixMillis;

/// The audit action of a canary trip.
pub const CANARY_TRIPPED: crate::store::audit::Action = crate::store::audit::Action::KeyCanaryTripped;

/// Reads the rate and quota state of `key_id` at `now` (nothing is written).
pub fn limit_state(conn: &Conn, key_id: &str, policy: &Policy, now: UnixMillis) -> Result<LimitState> {
    let mut state = LimitState::default();
    if let Some(rate) = &policy.rate {
        state.bucket = bucket(conn, key_id, rate)?;
    }
    if policy.quota.is_some() {
        let today = policy::utc_day(now);
        let (first, last) = policy::utc_month_days(now);
        let (day, month): (i64, i64) = conn.query_row(
            "SELECT coalesce(sum(CASE WHEN day = ?2 THEN parts END), 0), coalesce(sum(parts), 0)
             FROM usage_daily WHERE key_id = ?1 AND day BETWEEN ?3 AND ?4",
            params![key_id, today, first, last],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        state.parts_today = day.max(0) as u64;
        state.parts_this_month = month.max(0) as u64;
    }
    Ok(state)
}

/// The stored bucket of `key_id`, if it was computed for this same rate.
fn bucket(conn: &Conn, key_id: &str, rate: &Rate) -> Result<Option<Bucket>> {
    let row: Option<(String, i64, UnixMillis)> = conn
        .query_row("SELECT spec, level, at FROM rate_buckets WHERE key_id = ?1", [key_id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?;
    Ok(row
        .filter(|(spec, _, _)| *spec == rate.to_string())
        .map(|(_, level, at)| Bucket { level, at }))
}

pub fn save_bucket(conn: &Conn, key_id: &str, rate: &Rate, bucket: Bucket) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO rate_buckets (key_id, spec, level, at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (key_id) DO UPDATE SET spec = excluded.spec, level = excluded.level, at = excluded.at",
    )?
    .execute(params![key_id, rate.to_string(), bucket.level, bucket.at])?;
    Ok(())
}

/// Counts `messages` accepted messages of `parts` parts in all, the latest at `at`, sent with
/// secret `secret_id` from `ip` on `at`'s UTC day.
pub fn record_accept(conn: &Conn, key_id: &str, secret_id: i64, ip: &str, messages: i64, parts: i64, at: UnixMillis) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO usage_daily (key_id, day, secret_id, ip, messages, parts, last_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (key_id, day, secret_id, ip)
         DO UPDATE SET messages = usage_daily.messages + excluded.messages, parts = usage_daily.parts + excluded.parts,
             last_at = CASE WHEN excluded.last_at > usage_daily.last_at THEN excluded.last_at ELSE usage_daily.last_at END",
    )?
    .execute(params![key_id, policy::utc_day(at), secret_id, ip, messages, parts, at])?;
    Ok(())
}

/// Counts one refused authentication. `key_id` is the claimed id (or `(invalid)`), never a secret.
pub fn record_failure(conn: &Conn, key_id: &str, ip: &str, reason: &str, at: UnixMillis) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO auth_failures (key_id, ip, reason, day, count, first_at, last_at) VALUES (?1, ?2, ?3, ?4, 1, ?5, ?5)
         ON CONFLICT (key_id, ip, reason, day) DO UPDATE SET count = auth_failures.count + 1,
             last_at = CASE WHEN excluded.last_at > auth_failures.last_at THEN excluded.last_at ELSE auth_failures.last_at END",
    )?
    .execute(params![key_id, ip, reason, policy::utc_day(at), at])?;
    Ok(())
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub messages: i64,
    pub parts: i64,
}

/// Messages and parts of `key_id` from the UTC day of `since` on (all time when `None`).
pub fn totals(conn: &Conn, key_id: &str, since: Option<UnixMillis>) -> Result<Counts> {
    let since = since.map(policy::utc_day).unwrap_or_default();
    Ok(conn.query_row(
        "SELECT coalesce(sum(messages), 0), coalesce(sum(parts), 0) FROM usage_daily WHERE key_id = ?1 AND day >= ?2",
        params![key_id, since],
        |r| {
            Ok(Counts {
                messages: r.get(0)?,
                parts: r.get(1)?,
            })
        },
    )?)
}

/// Usage of one secret of a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretUsage {
    pub secret_id: i64,
    pub last4: String,
    pub messages: i64,
    pub parts: i64,
    /// The address of this secret's most recent accepted message.
    pub last_ip: Option<String>,
    pub last_at: Option<UnixMillis>,
}

/// Per secret of `key_id` (every secret it ever had, newest first), from the day of `since` on.
pub fn by_secret(conn: &Conn, key_id: &str, since: Option<UnixMillis>) -> Result<Vec<SecretUsage>> {
    let since = since.map(policy::utc_day).unwrap_or_default();
    let mut stmt = conn.prepare(
        "SELECT s.id, s.last4,
                coalesce(sum(u.messages), 0), coalesce(sum(u.parts), 0),
                (SELECT ip FROM usage_daily l WHERE l.secret_id = s.id AND l.day >= ?2 ORDER BY l.last_at DESC LIMIT 1),
                max(u.last_at)
         FROM secrets s LEFT JOIN usage_daily u ON u.secret_id = s.id AND u.day >= ?2
         WHERE s.key_id = ?1 GROUP BY s.id ORDER BY s.created_at DESC, s.id DESC",
    )?;
    let rows = stmt
        .query_map(params![key_id, since], |r| {
            Ok(SecretUsage {
                secret_id: r.get(0)?,
                last4: r.get(1)?,
                messages: r.get(2)?,
                parts: r.get(3)?,
                last_ip: r.get(4)?,
                last_at: r.get(5)?,
            })
        })?
        .collect::<crate::store::db::Result<Vec<_>>>()?;
    Ok(rows)
}

/// One client address's accepted messages with one secret, all time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddressUsage {
    pub ip: String,
    pub messages: i64,
    pub parts: i64,
    pub last_at: UnixMillis,
}

/// The addresses that sent with secret `secret_id`, most recent first.
pub fn addresses_of_secret(conn: &Conn, secret_id: i64) -> Result<Vec<AddressUsage>> {
    let mut stmt = conn.prepare(
        "SELECT ip, sum(messages), sum(parts), max(last_at) FROM usage_daily WHERE secret_id = ?1
         GROUP BY ip ORDER BY max(last_at) DESC",
    )?;
    let rows = stmt
        .query_map([secret_id], |r| {
            Ok(AddressUsage {
                ip: r.get(0)?,
                messages: r.get(1)?,
                parts: r.get(2)?,
                last_at: r.get(3)?,
            })
        })?
        .collect::<crate::store::db::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Distinct client addresses that sent with `key_id` from the day of `since` on.
pub fn addresses(conn: &Conn, key_id: &str, since: Option<UnixMillis>) -> Result<Vec<String>> {
    let since = since.map(policy::utc_day).unwrap_or_default();
    let mut stmt = conn.prepare("SELECT DISTINCT ip FROM usage_daily WHERE key_id = ?1 AND day >= ?2 ORDER BY ip")?;
    let rows = stmt
        .query_map(params![key_id, since], |r| r.get(0))?
        .collect::<crate::store::db::Result<Vec<String>>>()?;
    Ok(rows)
}

/// Refused authentications, summed per claimed key id, address and reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failures {
    pub key_id: String,
    pub ip: String,
    pub reason: String,
    pub count: i64,
    pub last_at: UnixMillis,
}

/// Failures from the day of `since` on, for one claimed key id or all; most recent first.
pub fn failures(conn: &Conn, key_id: Option<&str>, since: Option<UnixMillis>) -> Result<Vec<Failures>> {
    let since = since.map(policy::utc_day).unwrap_or_default();
    let mut stmt = conn.prepare(
        "SELECT key_id, ip, reason, sum(count), max(last_at) FROM auth_failures
         WHERE (CAST(?1 AS TEXT) IS NULL OR key_id = ?1) AND day >= ?2
         GROUP BY key_id, ip, reason ORDER BY max(last_at) DESC",
    )?;
    let rows = stmt
        .query_map(params![key_id, since], |r| {
            Ok(Failures {
                key_id: r.get(0)?,
                ip: r.get(1)?,
                reason: r.get(2)?,
                count: r.get(3)?,
                last_at: r.get(4)?,
            })
        })?
        .collect::<crate::store::db::Result<Vec<_>>>()?;
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::Millis;

    fn store() -> crate::store::Store {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        let store = crate::store::Store::open(&path).unwrap();
        std::mem::forget(dir);
        store
    }

    #[test]
    fn counts_per_day_month_secret_and_address() {
        let mut s = store();
        let day1 = UnixMillis::from_i64(1_796_119_200_000); // 2026-12-01T10:00Z
        let day2 = day1 + Millis::days(1);
        s.write(|tx| {
            tx.execute("INSERT INTO keys (id, name, created_at) VALUES ('key_aaaaaaaa', 'k', 0)", ())?;
            tx.execute(
                "INSERT INTO secrets (key_id, hash, last4, created_at) VALUES ('key_aaaaaaaa', x'01', 'AAAA', 0)",
                (),
            )?;
            record_accept(tx, "key_aaaaaaaa", 1, "10.0.0.1", 1, 2, day1)?;
            record_accept(tx, "key_aaaaaaaa", 1, "10.0.0.2", 1, 3, day1 + Millis::from_i64(1))?;
            record_accept(tx, "key_aaaaaaaa", 1, "10.0.0.1", 1, 1, day2)?;
            record_failure(tx, "key_aaaaaaaa", "10.0.0.9", "unknown", day2)?;
            record_failure(tx, "key_aaaaaaaa", "10.0.0.9", "unknown", day2 + Millis::from_i64(5))?;
            Ok(())
        })
        .unwrap();
        let p = Policy {
            quota: Some("100/day".parse().unwrap()),
            ..Policy::default()
        };
        let st = limit_state(s.conn(), "key_aaaaaaaa", &p, day2).unwrap();
        assert_eq!((st.parts_today, st.parts_this_month), (1, 6));
        assert_eq!(totals(s.conn(), "key_aaaaaaaa", None).unwrap(), Counts { messages: 3, parts: 6 });
        assert_eq!(
            totals(s.conn(), "key_aaaaaaaa", Some(day2)).unwrap(),
            Counts { messages: 1, parts: 1 }
        );
        let per = by_secret(s.conn(), "key_aaaaaaaa", None).unwrap();
        assert_eq!((per[0].messages, per[0].last_ip.as_deref()), (3, Some("10.0.0.1")));
        assert_eq!(addresses(s.conn(), "key_aaaaaaaa", None).unwrap().len(), 2);
        let f = failures(s.conn(), Some("key_aaaaaaaa"), None).unwrap();
        assert_eq!((f.len(), f[0].count, f[0].last_at), (1, 2, day2 + Millis::from_i64(5)));
    }
}
