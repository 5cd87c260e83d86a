//! `smsctl audit` and `smsctl audit verify`.

use serde::Serialize;

use crate::cli::{AuditArgs, AuditCommand, AuditFilterArgs};
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::output::{Human, Report};
use crate::store::audit::{self, Row, Verification};
use crate::store::db::Spelled;
use crate::store::keys;
use crate::time::{self, UnixMillis};

/// An audit entry as `--json` and `audit export` show it (the store's row is not the contract).
#[derive(Serialize)]
struct Entry {
    seq: i64,
    #[serde(serialize_with = "time::iso")]
    at: UnixMillis,
    actor: String,
    action: &'static str,
    key_id: Option<String>,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
}

impl From<Row> for Entry {
    fn from(r: Row) -> Entry {
        Entry {
            seq: r.seq,
            at: r.at,
            actor: r.actor,
            action: r.action.spelling(),
            key_id: r.key_id,
            before: r.before,
            after: r.after,
        }
    }
}

#[derive(Serialize)]
#[serde(transparent)]
struct Trail {
    rows: Vec<Entry>,
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
                    r.action.to_owned(),
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
            Some(bv) if k == "secrets" => parts.extend(describe_secrets(bv, av)),
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

/// What changed among a key's secrets, in words: `secret …mIMe issued`, `secret …XyLi valid
/// until T`, instead of two JSON arrays.
fn describe_secrets(before: &serde_json::Value, after: &serde_json::Value) -> Vec<String> {
    let rows = |v: &serde_json::Value| -> Vec<serde_json::Value> { v.as_array().cloned().unwrap_or_default() };
    let (b, a) = (rows(before), rows(after));
    let find = |list: &[serde_json::Value], id: &serde_json::Value| list.iter().find(|s| &s["secret_id"] == id).cloned();
    let name = |s: &serde_json::Value| format!("secret …{}", s["last4"].as_str().unwrap_or("?"));
    let mut out = Vec::new();
    for s in &a {
        match find(&b, &s["secret_id"]) {
            None => out.push(format!("{} issued", name(s))),
            Some(old) if old["valid_until"] != s["valid_until"] => match s["valid_until"].as_str() {
                Some(t) => out.push(format!("{} valid until {t}", name(s))),
                None => out.push(format!("{} current again", name(s))),
            },
            Some(_) => {}
        }
    }
    for s in &b {
        if find(&a, &s["secret_id"]).is_none() {
            out.push(format!("{} pruned", name(s)));
        }
    }
    out
}

impl Report for Verification {
    fn human(&self, out: &mut Human) {
        if let Some(problem) = &self.integrity {
            out.line(format!("Store damaged: {problem}"));
        }
        match &self.first_break {
            None if self.state_mismatches.is_empty() && self.integrity.is_none() => {
                out.line(format!(
                    "Audit trail intact: {} entries, keyed chain verified from entry #{}, keys and secrets match it.",
                    self.rows,
                    self.keyed_from.unwrap_or(1)
                ));
                if let Some(h) = &self.head {
                    out.line(format!(
                        "Head: entry #{} {} (keep it elsewhere to detect later removals)",
                        h.seq, h.hash
                    ));
                }
            }
            None => {
                out.line(format!(
                    "Audit chain intact ({} entries), but the store does not match it ({} difference(s)):",
                    self.rows,
                    self.state_mismatches.len()
                ));
                for m in &self.state_mismatches {
                    out.line(format!("  - key {}: {}", m.key_id, m.problem));
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
        if let Some(b) = &v.first_break {
            return Err(Error::failure(format!("audit trail altered at entry #{}: {}", b.seq, b.problem))
                .hint("restore the store from a backup you trust; entries from here on cannot be relied on"));
        }
        if let Some(problem) = &v.integrity {
            return Err(Error::failure(format!("the store was changed behind the audit trail: {problem}"))
                .hint("restore the store from a backup you trust, and find out who can write the store file"));
        }
        if let Some(m) = v.state_mismatches.first() {
            return Err(Error::failure(format!(
                "the store was changed behind the audit trail: key {}: {}{}",
                m.key_id,
                m.problem,
                match v.state_mismatches.len() {
                    1 => String::new(),
                    n => format!(" (and {} more)", n - 1),
                }
            ))
            .hint("restore the store from a backup you trust, and find out who can write the store file"));
        }
        return Ok(());
    }
    if let Some(AuditCommand::Export(filter)) = &args.command {
        return export(store.conn(), filter);
    }
    let rows = filtered(store.conn(), &args.filter)?.into_iter().map(Entry::from).collect();
    ctx.out.emit(&Trail { rows })
}

/// The entries the filter flags select, oldest first.
fn filtered(conn: &crate::store::Conn, f: &AuditFilterArgs) -> Result<Vec<Row>> {
    let now = crate::time::now();
    let key_id = match &f.key {
        // A purged key is gone from `keys`, but its entries stay: its id still selects them.
        Some(k) => match keys::find(conn, k) {
            Ok(key) => Some(key.id),
            Err(_) if crate::token::looks_like_key_id(k) => Some(k.clone()),
            Err(e) => return Err(e),
        },
        None => None,
    };
    let since = f.since.as_deref().map(|s| time::parse_since(s, now)).transpose()?;
    audit::list(
        conn,
        &audit::Filter {
            key_id: key_id.as_deref(),
            since,
            action: f.action.as_deref(),
            actor: f.actor.as_deref(),
            limit: f.limit,
        },
    )
}

/// `audit export`: one JSON object per line, oldest first (the `--json` shape of each entry).
fn export(conn: &crate::store::Conn, f: &AuditFilterArgs) -> Result<()> {
    let mut out = String::new();
    for row in filtered(conn, f)? {
        out.push_str(&serde_json::to_string(&Entry::from(row)).map_err(|e| Error::failure(format!("cannot encode JSON: {e}")))?);
        out.push('\n');
    }
    crate::output::print_raw(out.as_bytes())
}
