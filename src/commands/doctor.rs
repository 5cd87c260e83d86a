//! `smsctl doctor`: health checks over the store, the audit trail, the keys and the keyring.

use serde::Serialize;

use crate::cli::DoctorArgs;
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::keys::rotation;
use crate::output::{Human, Report};
use crate::private_fs;
use crate::store::keys::{self, Status};
use crate::store::{self, SCHEMA_VERSION, audit};
use crate::time::{self, Millis};
use crate::whitelist;
use std::path::Path;

const EXPIRY_WINDOW: Millis = Millis::days(7);

#[derive(Serialize)]
struct Check {
    name: &'static str,
    ok: bool,
    detail: String,
}

#[derive(Serialize)]
struct Finding {
    check: &'static str,
    key: Option<String>,
    message: String,
}

#[derive(Serialize)]
struct Report_ {
    healthy: bool,
    store: String,
    checks: Vec<Check>,
    findings: Vec<Finding>,
    /// Information that needs no fix (a rotation in progress): never makes doctor fail.
    notes: Vec<Finding>,
}

impl Report for Report_ {
    fn human(&self, out: &mut Human) {
        out.line(format!("Store: {}", self.store));
        out.table(
            &["check", "result", "detail"],
            self.checks
                .iter()
                .map(|c| vec![c.name.to_owned(), if c.ok { "ok" } else { "FINDING" }.to_owned(), c.detail.clone()]),
        );
        if self.findings.is_empty() {
            out.blank();
            out.line("Healthy: no findings.");
        } else {
            out.blank();
            out.line(format!("{} finding(s):", self.findings.len()));
            for f in &self.findings {
                out.line(format!("  - [{}] {}", f.check, f.message));
            }
        }
        if !self.notes.is_empty() {
            out.blank();
            out.line("Information (not a problem):");
            for f in &self.notes {
                out.line(format!("  - [{}] {}", f.check, f.message));
            }
        }
    }
    /// `--quiet`: the findings alone, one per line (nothing when healthy).
    fn quiet(&self) -> Option<String> {
        (!self.findings.is_empty()).then(|| {
            self.findings
                .iter()
                .map(|f| format!("[{}] {}", f.check, crate::output::escape_controls(&f.message)))
                .collect::<Vec<_>>()
                .join("\n")
        })
    }
}

pub fn exec(ctx: &Ctx, args: DoctorArgs) -> Result<()> {
    let now = ctx.clock.now();
    let since = now - time::parse_duration(&args.since)?;
    let path = ctx.db_path()?;
    let mut checks = Vec::new();
    let mut findings = Vec::new();
    let mut notes = Vec::new();
    let mut check = |name: &'static str, found: Vec<(Option<String>, String)>, ok_detail: String| {
        checks.push(Check {
            name,
            ok: found.is_empty(),
            detail: if found.is_empty() {
                ok_detail
            } else {
                format!("{} finding(s)", found.len())
            },
        });
        for (key, message) in found {
            findings.push(Finding { check: name, key, message });
        }
    };

    let on_pg = store::pg_url(&path).is_some();
    if on_pg {
        let raw = store::inspect_location(&path)?;
        check("connection", vec![], store::pg::connection_summary(&raw)?);
    } else {
        check("file permissions", permission_findings(&path), "private to its owner".into());
    }

    // The schema is looked at before the store is opened for use, which would refuse it.
    if store::location_exists(&path)? {
        let raw = store::inspect_location(&path)?;
        let version = store::user_version(&raw)?;
        let deviations = if version <= SCHEMA_VERSION {
            store::schema_deviations(&raw, version)?
        } else {
            Vec::new()
        };
        let found: Vec<_> = deviations.iter().map(|d| (None, d.describe())).collect();
        let refused = !found.is_empty();
        check("exact schema", found, "every table, index and trigger is smsctl's own".into());
        if refused {
            return finish(ctx, &path, checks, findings, notes);
        }
    }
    let store = ctx.store_for_reading()?;
    let conn = store.conn();

    let integrity = store::integrity(conn, false)?;
    check(
        "store integrity",
        if integrity == "ok" || integrity == store::NOT_APPLICABLE {
            vec![]
        } else {
            vec![(None, format!("SQLite integrity_check: {integrity}"))]
        },
        if integrity == store::NOT_APPLICABLE {
            "PostgreSQL maintains its own pages and indexes".into()
        } else {
            "integrity_check ok".into()
        },
    );
    let version = store::user_version(conn)?;
    check(
        "schema version",
        if version == SCHEMA_VERSION {
            vec![]
        } else {
            vec![(None, format!("schema {version}, expected {SCHEMA_VERSION}"))]
        },
        format!("{version} (current)"),
    );
    let (found, detail) = match audit::verify(conn) {
        Err(e) => (vec![(None, e.message)], String::new()),
        Ok(v) => {
            let mut found: Vec<(Option<String>, String)> = Vec::new();
            if let Some(b) = &v.first_break {
                found.push((None, format!("chain broken at entry #{}: {}", b.seq, b.problem)));
            }
            if let Some(problem) = &v.integrity {
                found.push((None, problem.clone()));
            }
            for m in &v.state_mismatches {
                found.push((Some(m.key_id.clone()), format!("key {}: {}", m.key_id, m.problem)));
            }
            (found, format!("{} entries, keyed chain intact, keys match it", v.rows))
        }
    };
    check("audit trail", found, detail);

    let all = keys::list(conn, false)?;
    let active: Vec<_> = all.iter().filter(|k| k.status(now) == Status::Active).collect();
    let by_key = |k: &keys::Key, msg: String| (Some(k.name.clone()), msg);
    check(
        "empty whitelists",
        active
            .iter()
            .filter(|k| k.settings.whitelist.is_empty())
            .map(|k| by_key(k, format!("key '{}' has an empty whitelist: the API refuses every request", k.name)))
            .collect(),
        "none".into(),
    );
    check(
        "allow-all whitelists",
        active
            .iter()
            .filter(|k| k.settings.whitelist.iter().any(|n| n.prefix_len() == 0))
            .map(|k| {
                let what = if whitelist::allows_all(&k.settings.whitelist) {
                    "every address"
                } else {
                    "every address of one IP family"
                };
                by_key(k, format!("key '{}' accepts requests from {what}", k.name))
            })
            .collect(),
        "none".into(),
    );
    check(
        "expiring soon",
        active
            .iter()
            .filter_map(|k| k.expires_at.filter(|t| *t - now <= EXPIRY_WINDOW).map(|t| (k, t)))
            .map(|(k, t)| {
                by_key(
                    k,
                    format!("key '{}' expires in {} ({})", k.name, time::humanize(t - now), time::format(t)),
                )
            })
            .collect(),
        "no key expires within 7 days".into(),
    );
    // A rotation in progress is normal operation, not a problem: reported as information
    // until its grace is over (then the secret is simply ended).
    for k in &active {
        let live = keys::live_secrets(conn, &k.id, now)?;
        for s in rotation::in_progress(k, &live, now) {
            notes.push(Finding {
                check: "secrets in grace",
                key: Some(k.name.clone()),
                message: format!(
                    "key '{}': previous secret …{} still valid until {}; see `smsctl key rollover {}`",
                    k.name,
                    s.last4,
                    time::format_opt(s.valid_until),
                    k.name
                ),
            });
        }
    }
    check(
        "secrets in grace",
        Vec::new(),
        match notes.len() {
            0 => "none".into(),
            n => format!("{n} rotation(s) in progress (information)"),
        },
    );
    let (found, detail) = relay_findings(conn, since)?;
    check("relay upstream", found, detail);

    let window = format!("since {}", time::format(since));
    let everyone = keys::list(conn, true)?;
    let name_of = |id: &str| everyone.iter().find(|k| k.id == id).map(|k| k.name.clone());
    let mut tripped: Vec<(Option<String>, String)> = Vec::new();
    for row in audit::list(
        conn,
        &audit::Filter {
            since: Some(since),
            ..Default::default()
        },
    )? {
        if row.action == crate::store::usage::CANARY_TRIPPED {
            let id = row.key_id.clone().unwrap_or_default();
            let ip = row.after.as_ref().and_then(|a| a["ip"].as_str()).unwrap_or("?").to_owned();
            let name = name_of(&id).unwrap_or_else(|| id.clone());
            tripped.push((
                Some(name.clone()),
                format!(
                    "canary key '{name}' was tried at {} from {ip}: its secret has leaked",
                    time::format(row.at)
                ),
            ));
        }
    }
    check("canaries", tripped, format!("none tripped {window}"));

    let mut failed: Vec<(Option<String>, String)> = Vec::new();
    let failures = crate::store::usage::failures(conn, None, Some(since))?;
    let mut claimed: Vec<&str> = failures.iter().map(|f| f.key_id.as_str()).collect();
    claimed.sort_unstable();
    claimed.dedup();
    for id in claimed {
        let of_key: Vec<_> = failures.iter().filter(|f| f.key_id == id).collect();
        let total: i64 = of_key.iter().map(|f| f.count).sum();
        let mut reasons: Vec<&str> = of_key.iter().map(|f| f.reason.as_str()).collect();
        reasons.sort_unstable();
        reasons.dedup();
        let mut ips: Vec<&str> = of_key.iter().map(|f| f.ip.as_str()).collect();
        ips.sort_unstable();
        ips.dedup();
        let label = match name_of(id) {
            Some(name) => format!("key '{name}'"),
            None if id == crate::gateway::UNKNOWN_KEY_ID => "key ids that do not exist".to_owned(),
            None => format!("unknown key id {id}"),
        };
        failed.push((
            name_of(id),
            format!(
                "{total} refused authentication(s) claiming {label} ({}) from {}",
                reasons.join(", "),
                ips.join(", ")
            ),
        ));
    }
    check("auth failures", failed, format!("none {window}"));

    let mut shared = Vec::new();
    let mut quotas = Vec::new();
    for k in &active {
        let addresses = crate::store::usage::addresses(conn, &k.id, Some(since))?;
        if addresses.len() > args.max_addresses as usize {
            shared.push(by_key(
                k,
                format!(
                    "key '{}' was used from {} addresses {window} (more than {}): is it shared? {}",
                    k.name,
                    addresses.len(),
                    args.max_addresses,
                    addresses.join(", ")
                ),
            ));
        }
        if let Some(q) = crate::commands::usage::key_usage(conn, k, now)?.quota {
            if q.used * 10 > q.limit * 9 {
                quotas.push(by_key(
                    k,
                    format!("key '{}' has used {} of its quota {} (over 90%)", k.name, q.used, q.quota),
                ));
            }
        }
    }
    check(
        "shared keys",
        shared,
        format!("no key used from more than {} addresses {window}", args.max_addresses),
    );
    check("quotas", quotas, "every quota under 90%".into());
    // Keys made production before owners existed (schema v4): the next `key set` must add one.
    check(
        "production owners",
        active
            .iter()
            .filter(|k| k.settings.production && k.settings.policy.owner.is_none())
            .map(|k| {
                by_key(
                    k,
                    format!(
                        "production key '{}' has no owner; set one with `smsctl key set {} --owner TEAM`",
                        k.name, k.name
                    ),
                )
            })
            .collect(),
        "every production key has an owner".into(),
    );

    // A keyring switched off on purpose is reported as such, never as a fault.
    let keyring = if ctx.env.keyring_disabled() {
        ("disabled by SMSCTL_KEYRING=none".to_owned(), vec![])
    } else {
        match crate::keyring::probe(&*ctx.keyring) {
            Ok(()) => ("reachable".to_owned(), vec![]),
            Err(e) => (String::new(), vec![(None, format!("{e}; hint: {}", crate::keyring::hint()))]),
        }
    };
    check("keyring", keyring.1, keyring.0);

    finish(ctx, &path, checks, findings, notes)
}

fn finish(ctx: &Ctx, path: &Path, checks: Vec<Check>, findings: Vec<Finding>, notes: Vec<Finding>) -> Result<()> {
    let report = Report_ {
        healthy: findings.is_empty(),
        store: store::display_location(path),
        checks,
        findings,
        notes,
    };
    ctx.out.emit(&report)?;
    if report.healthy {
        Ok(())
    } else {
        let hint = if ctx.out.json() {
            "see .findings in the JSON on stdout"
        } else if ctx.out.quiet {
            "the findings are on stdout, one per line"
        } else {
            "see the findings above"
        };
        Err(Error::failure(format!("doctor found {} problem(s)", report.findings.len())).hint(hint))
    }
}

/// The store, its side files and its directory must not be open to other users.
fn permission_findings(path: &Path) -> Vec<(Option<String>, String)> {
    let mut found = Vec::new();
    let mut files = vec![path.to_path_buf()];
    for suffix in ["-wal", "-shm"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        files.push(p.into());
    }
    for f in files {
        if let Some(mode) = private_fs::exposed(&f) {
            found.push((
                None,
                format!(
                    "{} is readable or writable by others (mode {mode:o}); fix: chmod 600 {}",
                    f.display(),
                    f.display()
                ),
            ));
        }
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        if let Some(mode) = private_fs::exposed(dir).filter(|m| m & 0o002 != 0 && m & 0o1000 == 0) {
            found.push((
                None,
                format!(
                    "{} is writable by others (mode {mode:o}); fix: chmod 700 {}",
                    dir.display(),
                    dir.display()
                ),
            ));
        }
    }
    found
}

/// Relay mode's circuit breaker and unknown outcomes, as the gateway last recorded them.
type Findings = Vec<(Option<String>, String)>;

/// Unknown outcomes count from `since` (`--since`), so an old one does not fail every run.
fn relay_findings(conn: &crate::store::Conn, since: time::UnixMillis) -> Result<(Findings, String)> {
    let states = crate::store::relay::breakers(conn)?;
    let mut found = Vec::new();
    for crate::store::relay::BreakerState {
        upstream,
        breaker,
        failures,
        detail,
        updated_at: at,
    } in &states
    {
        if breaker != "closed" {
            found.push((
                None,
                format!(
                    "upstream {upstream}: circuit {breaker} after {failures} failure(s) (last: {}), as of {}",
                    detail.as_deref().unwrap_or("-"),
                    time::format(*at)
                ),
            ));
        }
    }
    let unknown = crate::store::relay::unknown_outcomes_since(conn, since)?;
    if unknown > 0 {
        found.push((
            None,
            format!("{unknown} relayed message(s) in the --since window with an unknown upstream outcome: see `smsctl messages`; do not resend them blindly"),
        ));
    }
    let detail = if states.is_empty() {
        "not used (no gateway ran with --upstream)".to_owned()
    } else {
        format!("{} upstream(s), circuit closed", states.len())
    };
    Ok((found, detail))
}
