//! `smsctl audit` and `smsctl audit verify`.

use serde::Serialize;

use crate::cli::{AuditArgs, AuditCommand};
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::output::{Human, Report};
use crate::store::audit::{self, Row, Verification};
use crate::store::keys;
use crate::time::{self, Millis};

#[derive(Serialize)]
#[serde(transparent)]
struct Trail {
    rows: Vec<Row>,
}

impl Report for Trail {
    fn human(&self, out: &mut Human) {
        if self.rows.is_empty() {
            out.line("No audit entries.");
            return;
        }
        out.table(
            &["#", "time", "actor", "action", "key", "change"],
            self.rows.iter().map(|r| {
                vec![
                    r.seq.to_string(),
                    time::format(r.at),
                    r.actor.clone(),
                    r.action.clone(),
                    r.key_id.clone().unwrap_or_else(|| "-".into()),
                    describe_change(r.before.as_ref(), r.after.as_ref()),
                ]
            }),
        );
    }
}

/// `field: old → new` for each field that differs.
fn describe_change(before: Option<&serde_json::Value>, after: Option<&serde_json::Value>) -> String {
    let empty = serde_json::Map::new();
    let b = before.and_then(|v| v.as_object()).unwrap_or(&empty);
    let a = after.and_then(|v| v.as_object()).unwrap_or(&empty);
    let mut parts = Vec::new();
    for (k, av) in a {
        match b.get(k) {
            Some(bv) if bv == av => {}
            Some(bv) => parts.push(format!("{k}: {bv} → {av}")),
            None if before.is_none() => {}
            None => parts.push(format!("{k}: → {av}")),
        }
    }
    if before.is_none() && after.is_some() {
        return "created".into();
    }
    parts.join("; ")
}

impl Report for Verification {
    fn human(&self, out: &mut Human) {
        match &self.first_break {
            None => {
                out.line(format!("Audit trail intact: {} entries, hash chain verified.", self.rows));
                if let Some(h) = &self.head {
                    out.line(format!("Head: entry #{} {} (record it to detect later removals)", h.seq, h.hash));
                }
            }
            Some(b) => out.line(format!("Audit trail BROKEN at entry #{}: {}", b.seq, b.problem)),
        }
    }
}

pub fn exec(ctx: &Ctx, args: AuditArgs) -> Result<()> {
    if let Some(AuditCommand::Verify(verify_args)) = &args.command {
        if let Some(h) = &verify_args.expect_head {
            if h.trim().len() != 64 || !h.trim().bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(Error::usage(format!("--expect-head '{}' is not a head hash", keys::printable(h)))
                    .hint("use the 64-hex-digit hash that `smsctl audit verify --json` printed as head.hash"));
            }
        }
    }
    let store = ctx.store_for_reading()?;
    if let Some(AuditCommand::Verify(verify_args)) = args.command {
        let v = audit::verify(store.conn())?;
        ctx.out.emit(&v)?;
        if let Some(expected) = verify_args.expect_head.as_deref().filter(|_| v.intact) {
            if !audit::contains_hash(store.conn(), expected)? {
                return Err(Error::failure(format!(
                    "the recorded head {} is not in the audit trail: entries were removed from its end",
                    keys::printable(expected)
                ))
                .hint("restore the store from a backup you trust"));
            }
        }
        return match &v.first_break {
            None => Ok(()),
            Some(b) => Err(Error::failure(format!("audit trail altered at entry #{}: {}", b.seq, b.problem))
                .hint("restore the store from a backup you trust; entries from here on cannot be relied on")),
        };
    }
    let now = time::now();
    let key_id = match &args.key {
        Some(k) => Some(keys::find(store.conn(), k)?.id),
        None => None,
    };
    let since = args.since.as_deref().map(|s| parse_since(s, now)).transpose()?;
    let rows = audit::list(
        store.conn(),
        &audit::Filter {
            key_id: key_id.as_deref(),
            since,
            limit: args.limit,
        },
    )?;
    ctx.out.emit(&Trail { rows })
}

/// A duration ago (`24h`), or a date / RFC 3339 time.
pub(crate) fn parse_since(input: &str, now: Millis) -> Result<Millis> {
    if let Ok(d) = time::parse_duration(input) {
        return Ok(now - d);
    }
    if let Ok(ts) = input.trim().parse::<jiff::Timestamp>() {
        return Ok(ts.as_millisecond());
    }
    if let Ok(date) = input.trim().parse::<jiff::civil::Date>() {
        if let Ok(z) = date.to_zoned(jiff::tz::TimeZone::UTC) {
            return Ok(z.timestamp().as_millisecond());
        }
    }
    Err(Error::usage(format!("invalid --since '{input}'")).hint("use a duration ago (24h, 7d) or a date (2026-11-01)"))
}
