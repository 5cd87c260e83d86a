//! `smsctl key whitelist`: add/remove/list/clear/allow-all/test the key's IP whitelist.

use std::net::IpAddr;

use serde::Serialize;

use crate::cli::{KeyWhitelistArgs, WhitelistAction};
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::output::{Human, Report};
use crate::store::audit;
use crate::store::keys::{self, Key, printable};
use crate::whitelist::{self, AddOutcome};

#[derive(Serialize)]
struct ListView {
    /// The key's name (kept for scripts; `key_name` is the same, by docs/precedence.md's rule).
    key: String,
    key_id: String,
    key_name: String,
    whitelist: Vec<String>,
    allows_all: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    change: Option<AddOutcome>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    removed: Vec<String>,
}

impl ListView {
    fn new(key: &Key, change: Option<AddOutcome>, removed: Vec<String>) -> ListView {
        ListView {
            key: key.name.clone(),
            key_id: key.id.clone(),
            key_name: key.name.clone(),
            whitelist: key.settings.whitelist.iter().map(|n| n.to_string()).collect(),
            allows_all: whitelist::allows_all(&key.settings.whitelist),
            change,
            removed,
        }
    }
}

impl Report for ListView {
    fn human(&self, out: &mut Human) {
        if let Some(c) = &self.change {
            if !c.added.is_empty() {
                out.line(format!("Added: {}", c.added.join(", ")));
            }
            if !c.duplicates.is_empty() {
                out.line(format!("Already present (not added again): {}", c.duplicates.join(", ")));
            }
            for cov in &c.covered {
                out.line(format!("Already covered: {} by {} (not added)", cov.entry, cov.by));
            }
            for cov in &c.superseded {
                out.line(format!("Replaced {} (now covered by {})", cov.entry, cov.by));
            }
        }
        if !self.removed.is_empty() {
            out.line(format!("Removed: {}", self.removed.join(", ")));
        }
        if self.whitelist.is_empty() {
            out.line(format!("Key '{}' has an empty whitelist: every address is refused.", self.key));
        } else {
            out.line(format!(
                "Whitelist of key '{}'{}:",
                self.key,
                if self.allows_all { " (allows every address)" } else { "" }
            ));
            for n in &self.whitelist {
                out.line(format!("  {n}"));
            }
        }
    }
}

#[derive(Serialize)]
struct TestResult {
    address: String,
    allowed: bool,
    matched: Option<String>,
}

#[derive(Serialize)]
#[serde(transparent)]
struct TestReport {
    results: Vec<TestResult>,
}

impl Report for TestReport {
    fn human(&self, out: &mut Human) {
        out.table(
            &["address", "result", "entry"],
            self.results.iter().map(|r| {
                vec![
                    r.address.clone(),
                    if r.allowed { "allowed" } else { "refused" }.to_owned(),
                    r.matched.clone().unwrap_or_else(|| "-".into()),
                ]
            }),
        );
    }
}

/// Entries from stdin, one per line or separated by spaces; `#` starts a comment.
fn read_entries_stdin() -> Result<Vec<String>> {
    use std::io::Read;
    const LIMIT: u64 = 16 * 1024 * 1024;
    let mut buf = String::new();
    std::io::stdin()
        .lock()
        .take(LIMIT + 1)
        .read_to_string(&mut buf)
        .map_err(|e| Error::usage(format!("cannot read whitelist entries from stdin: {e}")).hint("stdin must be UTF-8 text"))?;
    if buf.len() as u64 > LIMIT {
        return Err(Error::usage("more than 16 MiB of whitelist entries on stdin"));
    }
    let entries: Vec<String> = buf
        .lines()
        .map(|l| l.split('#').next().unwrap_or(""))
        .flat_map(str::split_whitespace)
        .map(str::to_owned)
        .collect();
    if entries.is_empty() {
        return Err(Error::usage("no whitelist entries on stdin"));
    }
    Ok(entries)
}

fn parse_addr(s: &str) -> Result<IpAddr> {
    s.trim().parse().map_err(|_| {
        Error::usage(format!("invalid address '{}'", printable(s))).hint("give a single IPv4 or IPv6 address, e.g. 203.0.113.7 or ::1")
    })
}

pub(super) fn exec(ctx: &Ctx, args: KeyWhitelistArgs) -> Result<()> {
    let now = ctx.clock.now();
    match &args.action {
        WhitelistAction::List => {
            let store = ctx.store_for_reading()?;
            let key = keys::find(store.conn(), &args.key)?;
            return ctx.out.emit(&ListView::new(&key, None, vec![]));
        }
        WhitelistAction::Test { addresses } => {
            let peers = addresses.iter().map(|a| parse_addr(a)).collect::<Result<Vec<_>>>()?;
            let store = ctx.store_for_reading()?;
            let key = keys::find(store.conn(), &args.key)?;
            let results: Vec<TestResult> = addresses
                .iter()
                .zip(peers)
                .map(|(a, ip)| {
                    let m = whitelist::matching(&key.settings.whitelist, ip);
                    TestResult {
                        address: a.trim().to_owned(),
                        allowed: m.is_some(),
                        matched: m.map(|n| n.to_string()),
                    }
                })
                .collect();
            let refused = results.iter().filter(|r| !r.allowed).count();
            ctx.out.emit(&TestReport { results })?;
            if refused > 0 {
                let why = if key.settings.whitelist.is_empty() {
                    " (the whitelist is empty)"
                } else {
                    ""
                };
                return Err(Error::rejected(format!(
                    "{refused} address(es) would be refused by key '{}'{why}",
                    key.name
                )));
            }
            return Ok(());
        }
        _ => {}
    }
    // Parse everything before touching the store: one bad entry changes nothing.
    let parsed = match &args.action {
        WhitelistAction::Add { entries } | WhitelistAction::Remove { entries } => {
            let from_stdin;
            let entries = if entries.len() == 1 && entries[0] == "-" {
                from_stdin = read_entries_stdin()?;
                &from_stdin
            } else {
                entries
            };
            entries.iter().map(|e| whitelist::parse_entry(e)).collect::<Result<Vec<_>>>()?
        }
        _ => vec![],
    };
    let mut store = ctx.store()?;
    if matches!(args.action, WhitelistAction::Clear) {
        let key = keys::find(store.conn(), &args.key)?;
        if key.settings.production && key.revoked_at.is_none() && !key.settings.whitelist.is_empty() {
            ctx.confirm_typed(
                &format!("clearing the whitelist of production key '{}'", key.name),
                &format!(
                    "An empty whitelist refuses every address: production key '{}' stops working for all clients.",
                    key.name
                ),
                &key.name,
                "pass --yes to clear the whitelist of a production key without a prompt",
            )?;
        }
    }
    let (view, warnings) = store.write(|tx| {
        let (key, (change, removed, warnings)) = super::change_settings(ctx, tx, &args.key, audit::Action::KeyWhitelist, now, |key| {
            let mut change = None;
            let mut removed = vec![];
            let mut warnings = vec![];
            let production = key.settings.production;
            let name = key.name.clone();
            let list = &mut key.settings.whitelist;
            let now_empty = || format!("the whitelist of key '{name}' is now empty: every address is refused");
            match &args.action {
                WhitelistAction::Add { .. } => {
                    let outcome = whitelist::add(list, &parsed, production);
                    warnings = outcome.warnings.clone();
                    change = Some(outcome);
                }
                WhitelistAction::Remove { .. } => {
                    for p in &parsed {
                        let Some(pos) = list.iter().position(|n| *n == p.net) else {
                            return Err(Error::not_found(format!(
                                "{} is not in the whitelist of key '{name}'; nothing was removed",
                                p.net
                            ))
                            .hint(format!("see the entries with `smsctl key whitelist {name} list`")));
                        };
                        removed.push(list.remove(pos).to_string());
                    }
                    if list.is_empty() {
                        warnings.push(now_empty());
                    }
                }
                WhitelistAction::Clear => {
                    removed = list.iter().map(|n| n.to_string()).collect();
                    list.clear();
                    warnings.push(now_empty());
                }
                WhitelistAction::AllowAll => {
                    *list = whitelist::allow_all();
                    if production {
                        warnings.push(format!("production key '{name}' now accepts requests from every address"));
                    }
                }
                WhitelistAction::List | WhitelistAction::Test { .. } => {}
            }
            Ok((change, removed, warnings))
        })?;
        let mut view = ListView::new(&key, change, removed);
        if let Some(c) = &mut view.change {
            c.warnings = warnings.clone();
        }
        Ok((view, warnings))
    })?;
    for w in &warnings {
        ctx.out.warn(w);
    }
    ctx.out.emit(&view)
}
