//! `smsctl export`, `smsctl plan` and `smsctl apply`: the store's live keys as a reviewed
//! file. The file format and the comparison are in [`crate::keyfile`]; this module reads
//! the file, talks to the store and delivers new keys' secrets.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use serde::Serialize;
use sha2::Digest as _;

use crate::cli::{ApplyArgs, ExportArgs, PlanArgs};
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::keyfile::fields::{self, FIELDS};
use crate::keyfile::plan::{self, Action, Desired, Plan, Summary};
use crate::keyfile::{self, KeyFile, Problem};
use crate::keyring::SecretStore;
use crate::output::{Human, Report};
use crate::store::audit;
use crate::store::keys::{self, Key};
use crate::time::UnixMillis;
use crate::token::{self, Secret};
use std::sync::Arc;

/// Larger key files are refused: 16 MiB holds tens of thousands of keys.
const MAX_FILE: u64 = 16 * 1024 * 1024;

pub fn export(ctx: &Ctx, args: ExportArgs) -> Result<()> {
    let store = ctx.store_for_reading()?;
    let live = keys::list(store.conn(), false)?;
    let chosen: Vec<&Key> = if args.key.is_empty() {
        live.iter().collect()
    } else {
        let mut ids = Vec::new();
        for r in &args.key {
            let k = keys::find(store.conn(), r)?;
            if k.revoked_at.is_some() {
                return Err(Error::usage(format!("key '{}' is revoked; only live keys are exported", k.name))
                    .hint("see the live keys with `smsctl key list`"));
            }
            ids.push(k.id);
        }
        live.iter().filter(|k| ids.contains(&k.id)).collect()
    };
    // A partial export leaves the account's table out: it is not any one key's.
    let table = crate::store::replacements::load(store.conn())?;
    let file = KeyFile {
        version: keyfile::FORMAT_VERSION,
        prune: false,
        replacements: (args.key.is_empty() && !table.is_empty()).then_some(table),
        keys: chosen.into_iter().map(fields::export).collect(),
    };
    if ctx.out.json() {
        let mut s = serde_json::to_string_pretty(&file).map_err(|e| Error::failure(format!("cannot encode JSON: {e}")))?;
        s.push('\n');
        return crate::output::print_raw(s.as_bytes());
    }
    crate::output::print_raw(keyfile::to_toml(&file)?.as_bytes())
}

/// A key file as read: its name for messages, its text and the SHA-256 of its bytes.
struct Source {
    label: String,
    text: String,
    sha256: String,
}

fn read_source(path: &Path) -> Result<Source> {
    let label = path.display().to_string();
    let mut bytes = Vec::new();
    let read = if path.as_os_str() == "-" {
        std::io::stdin().lock().take(MAX_FILE + 1).read_to_end(&mut bytes)
    } else {
        std::fs::File::open(path).and_then(|f| f.take(MAX_FILE + 1).read_to_end(&mut bytes))
    };
    read.map_err(|e| Error::usage(format!("cannot read key file {label}: {e}")).hint("check the path given to -f"))?;
    if bytes.len() as u64 > MAX_FILE {
        return Err(Error::usage(format!("key file {label} is larger than 16 MiB")));
    }
    let sha256 = crate::token::hex(&sha2::Sha256::digest(&bytes));
    let text = String::from_utf8(bytes).map_err(|e| {
        Error::usage(format!("key file {label} is not UTF-8 (byte {})", e.utf8_error().valid_up_to())).hint("TOML files are UTF-8 text")
    })?;
    Ok(Source {
        label: if path.as_os_str() == "-" { "<stdin>".into() } else { label },
        text,
        sha256,
    })
}

/// One error naming every problem, `FILE:LINE:COLUMN: what` each (exit 2).
fn problems_error(src: &Source, mut problems: Vec<Problem>) -> Error {
    problems.sort_by_key(|p| (p.line, p.column));
    problems.dedup();
    let mut msg = format!("{} has {} problem(s); nothing was changed:", src.label, problems.len());
    for p in &problems {
        msg.push_str(&format!("\n  {}:{}:{}: {}", src.label, p.line, p.column, p.message));
        if let Some(h) = &p.hint {
            msg.push_str(&format!("\n    hint: {h}"));
        }
    }
    Error::usage(msg).hint(format!("fix them, then check again with `smsctl plan -f {}`", src.label))
}

/// The file's entries, each read through the field validators.
#[allow(clippy::type_complexity)]
fn validate(src: &Source) -> Result<(bool, Vec<Desired>, Option<BTreeMap<String, String>>, Vec<String>)> {
    let (parsed, mut problems) = keyfile::parse_partial(&src.text).map_err(|p| problems_error(src, p))?;
    let mut warnings = Vec::new();
    let mut desired = Vec::new();
    for (index, (entry, spans)) in parsed.file.keys.iter().zip(&parsed.spans).enumerate() {
        let (key, findings) = fields::import(entry);
        for (field, item, err) in &findings.errors {
            problems.push(Problem::at(&src.text, &spans.item(field, item.as_ref()), err));
        }
        warnings.extend(findings.warnings);
        desired.push(Desired {
            index,
            id: entry.id.clone(),
            key,
        });
    }
    let mut replacements = None;
    if let Some(table) = &parsed.file.replacements {
        let mut valid = BTreeMap::new();
        for (from, to) in table {
            match crate::text::validate_account_replacement(from, to) {
                Ok((f, t)) => {
                    valid.insert(f, t);
                }
                Err(why) => {
                    let at = src
                        .text
                        .find(&format!("{from:?}"))
                        .or_else(|| src.text.find(from.as_str()))
                        .unwrap_or(0);
                    let err = Error::usage(format!("invalid replacement: {why}"))
                        .hint("FROM is 1-32 characters; TO is 0-32 GSM-7 characters (\"\" drops FROM)");
                    problems.push(Problem::at(&src.text, &(at..at), &err));
                }
            }
        }
        replacements = Some(valid);
    }
    if !problems.is_empty() {
        return Err(problems_error(src, problems));
    }
    Ok((parsed.file.prune, desired, replacements, warnings))
}

/// One change to the account's replacement table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
struct ReplacementChange {
    from: String,
    /// `null`: added.
    old: Option<String>,
    /// `null`: removed.
    new: Option<String>,
}

fn replacement_changes(have: &crate::text::AccountTable, want: Option<&BTreeMap<String, String>>) -> Vec<ReplacementChange> {
    let Some(want) = want else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (from, to) in want {
        if have.get(from) != Some(to) {
            out.push(ReplacementChange {
                from: from.clone(),
                old: have.get(from).cloned(),
                new: Some(to.clone()),
            });
        }
    }
    for (from, to) in have {
        if !want.contains_key(from) {
            out.push(ReplacementChange {
                from: from.clone(),
                old: Some(to.clone()),
                new: None,
            });
        }
    }
    out
}

#[derive(Serialize)]
struct PlanReport {
    file: String,
    file_sha256: String,
    /// Names this file against this store state; `apply --plan-hash` refuses any other.
    plan_hash: String,
    prune: bool,
    summary: Summary,
    #[serde(flatten)]
    plan: Plan,
    /// Changes to the account's replacement table (empty when the file leaves it out).
    replacements: Vec<ReplacementChange>,
    warnings: Vec<String>,
}

impl PlanReport {
    /// Keys that would change, plus one if the account's replacement table would.
    fn pending(&self) -> usize {
        self.plan.pending() + usize::from(!self.replacements.is_empty())
    }
}

/// The plan hash: the file's bytes and every key's recorded state (settings and secret rows,
/// not usage times), so any change to either makes an earlier plan stale.
fn plan_hash(conn: &crate::store::Conn, file_sha256: &str) -> Result<String> {
    let states = serde_json::to_string(&(keys::all_states(conn)?, crate::store::replacements::load(conn)?))?;
    let mut h = sha2::Sha256::new();
    sha2::Digest::update(&mut h, b"smsctl plan v1\0");
    sha2::Digest::update(&mut h, file_sha256.as_bytes());
    sha2::Digest::update(&mut h, b"\0");
    sha2::Digest::update(&mut h, states.as_bytes());
    Ok(crate::token::hex(&sha2::Digest::finalize(h)))
}

/// A file whose entries all passed the field validators.
struct Valid {
    prune: bool,
    desired: Vec<Desired>,
    replacements: Option<BTreeMap<String, String>>,
    warnings: Vec<String>,
}

/// Reads and validates a key file before the store is opened, so that its problems are
/// reported even where the store cannot be reached.
fn read_valid(path: &Path) -> Result<(Source, Valid)> {
    let src = read_source(path)?;
    let (prune, desired, replacements, warnings) = validate(&src)?;
    Ok((
        src,
        Valid {
            prune,
            desired,
            replacements,
            warnings,
        },
    ))
}

fn make_plan(conn: &crate::store::Conn, src: &Source, valid: Valid, now: UnixMillis) -> Result<(PlanReport, Vec<Desired>)> {
    let Valid {
        prune,
        desired,
        replacements,
        warnings,
    } = valid;
    let replacement_plan = replacement_changes(&crate::store::replacements::load(conn)?, replacements.as_ref());
    let all = keys::list(conn, true)?;
    let plan = plan::diff(&all, &desired, prune, now).map_err(|conflicts| {
        // Positions come from a second parse, which cannot fail: the first one succeeded.
        let spans = keyfile::parse(&src.text).map(|p| p.spans).unwrap_or_default();
        let problems = conflicts
            .iter()
            .map(|c| {
                let span = spans.get(c.index).map(|s| s.field(c.field)).unwrap_or(0..0);
                Problem::at(&src.text, &span, &c.error)
            })
            .collect();
        problems_error(src, problems)
    })?;
    let mut warnings = warnings;
    for k in plan.keys.iter().filter(|k| k.action == Action::Create) {
        if k.entry
            .and_then(|i| desired.get(i))
            .is_some_and(|d| d.key.settings.whitelist.is_empty())
        {
            warnings.push(format!(
                "key '{}' would be created with an empty IP whitelist, so the API refuses every address",
                k.name
            ));
        }
    }
    Ok((
        PlanReport {
            file: src.label.clone(),
            file_sha256: src.sha256.clone(),
            plan_hash: plan_hash(conn, &src.sha256)?,
            prune,
            summary: plan.summary(),
            plan,
            replacements: replacement_plan,
            warnings,
        },
        desired,
    ))
}

impl Report for PlanReport {
    fn human(&self, out: &mut Human) {
        let pending = self.pending();
        out.line(format!("Plan for {} (sha256 {}):", self.file, &self.file_sha256[..16]));
        for k in &self.plan.keys {
            let (mark, word) = match k.action {
                Action::Create => ('+', "create"),
                Action::Update => ('~', "update"),
                Action::Unchanged => ('=', "unchanged"),
                Action::Revoke => ('-', "revoke"),
            };
            let id = match (&k.id, k.action) {
                (Some(id), Action::Create) => format!("new, id {id}"),
                (Some(id), _) => id.clone(),
                (None, _) => "new".to_owned(),
            };
            let why = if k.action == Action::Revoke {
                "  (not in the file; prune = true)"
            } else {
                ""
            };
            out.line(format!("  {mark} {word:<9} {} ({id}){why}", k.name));
            for c in &k.changes {
                if k.action == Action::Create {
                    out.line(format!("      {}: {}", c.field, c.new_text));
                } else {
                    out.line(format!("      {}: {} → {}", c.field, c.old_text, c.new_text));
                }
            }
        }
        if !self.replacements.is_empty() {
            out.line("  ~ account replacement table");
            for c in &self.replacements {
                let show = |v: &Option<String>| v.as_ref().map_or_else(|| "(none)".to_owned(), |t| format!("{t:?}"));
                out.line(format!("      {:?}: {} → {}", c.from, show(&c.old), show(&c.new)));
            }
        }
        if !self.plan.kept.is_empty() {
            let names: Vec<String> = self.plan.kept.iter().map(|k| format!("{} ({})", k.name, k.id)).collect();
            out.line(format!("  Not in the file, kept (prune is off): {}", names.join(", ")));
        }
        let s = &self.summary;
        if pending == 0 {
            out.line(format!("No changes: the store matches {} ({} key(s)).", self.file, s.unchanged));
        } else {
            out.line(format!(
                "{} to create, {} to update, {} to revoke, {} unchanged.",
                s.create, s.update, s.revoke, s.unchanged
            ));
            out.line(format!("Plan hash: {}", self.plan_hash));
        }
        for w in &self.warnings {
            out.line(format!("warning: {w}"));
        }
    }
    fn quiet(&self) -> Option<String> {
        Some(self.plan_hash.clone())
    }
}

pub fn plan(ctx: &Ctx, args: PlanArgs) -> Result<()> {
    let (src, valid) = read_valid(&args.file)?;
    let store = ctx.store_for_reading()?;
    let (report, _) = make_plan(store.conn(), &src, valid, ctx.clock.now())?;
    ctx.out.emit(&report)?;
    let pending = report.pending();
    if args.check && pending > 0 {
        return Err(Error::failure(format!(
            "{}: the store differs from {}",
            match (report.plan.pending(), report.replacements.is_empty()) {
                (n, true) => format!("{n} key(s) would change"),
                (0, false) => "the replacement table would change".to_owned(),
                (n, false) => format!("{n} key(s) and the replacement table would change"),
            },
            src.label
        ))
        .hint(format!("review the plan above, then run `smsctl apply -f {}`", src.label)));
    }
    Ok(())
}

/// Where new keys' secrets go. Never the terminal: a list of secrets is never printed.
enum SecretSink {
    Keyring(Arc<dyn SecretStore>),
    Dir(PathBuf),
}

/// Secrets delivered inside a transaction that has not committed: unless [`Delivered::keep`]
/// is called, the files are removed and the keyring entries deleted again.
struct Delivered<'a> {
    sink: &'a SecretSink,
    done: Vec<(String, PathBuf)>,
    kept: bool,
}

impl Delivered<'_> {
    fn deliver(&mut self, key: &Key, secret: &Secret) -> Result<()> {
        match self.sink {
            SecretSink::Keyring(kr) => {
                // The keyring is shared by every store on this machine, by key id: a key created
                // under a file's id must not replace another store's saved secret.
                if kr.get(&key.id).ok().flatten().is_some() {
                    return Err(Error::conflict(format!(
                        "the OS keyring already holds a secret for key id {} (of another store?); nothing was changed",
                        key.id
                    ))
                    .hint("use --secrets-dir DIR, or leave `id` out of the entry to create the key under a new id"));
                }
                kr.set(&key.id, secret.expose()).map_err(|e| {
                    Error::failure(format!(
                        "could not save the secret of new key '{}' in the OS keyring: {e}; nothing was changed",
                        key.name
                    ))
                    .hint("check `smsctl doctor`, or use --secrets-dir DIR instead")
                })?;
                self.done.push((key.id.clone(), PathBuf::new()));
            }
            SecretSink::Dir(dir) => {
                let path = secret_path(dir, &key.name);
                let mut f = crate::private_fs::create_new(&path).map_err(|e| secret_file_error(&path, &e))?;
                self.done.push((key.id.clone(), path.clone()));
                use std::io::Write;
                f.write_all(format!("{}\n", secret.expose()).as_bytes())
                    .and_then(|_| f.sync_all())
                    .map_err(|e| secret_file_error(&path, &e))?;
            }
        }
        Ok(())
    }

    fn keep(mut self) {
        self.kept = true;
    }
}

impl Drop for Delivered<'_> {
    fn drop(&mut self) {
        if self.kept {
            return;
        }
        for (id, path) in &self.done {
            match self.sink {
                SecretSink::Keyring(kr) => {
                    let _ = kr.delete(id);
                }
                SecretSink::Dir(_) => {
                    let _ = std::fs::remove_file(path);
                }
            }
        }
    }
}

fn secret_path(dir: &Path, name: &str) -> PathBuf {
    dir.join(format!("{name}.secret"))
}

fn secret_file_error(path: &Path, e: &std::io::Error) -> Error {
    let why = if e.kind() == std::io::ErrorKind::AlreadyExists {
        "it already exists (secret files are never overwritten)".to_owned()
    } else {
        e.to_string()
    };
    Error::usage(format!("cannot write secret file {}: {why}; nothing was changed", path.display()))
        .hint("move the old file away, or give another --secrets-dir")
}

#[derive(Serialize)]
struct AppliedKey {
    action: Action,
    id: String,
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    secret_file: Option<String>,
}

#[derive(Serialize)]
struct Applied {
    file: String,
    file_sha256: String,
    plan_hash: String,
    summary: Summary,
    keys: Vec<AppliedKey>,
    /// `keyring` or `files`, when keys were created.
    #[serde(skip_serializing_if = "Option::is_none")]
    secret_delivery: Option<&'static str>,
}

impl Report for Applied {
    fn human(&self, out: &mut Human) {
        let s = &self.summary;
        if self.keys.is_empty() {
            out.line(format!("Nothing to do: the store matches {}.", self.file));
            return;
        }
        out.line(format!(
            "Applied {}: {} created, {} updated, {} revoked.",
            self.file, s.create, s.update, s.revoke
        ));
        for k in &self.keys {
            let word = match k.action {
                Action::Create => "created",
                Action::Update => "updated",
                Action::Revoke => "revoked",
                Action::Unchanged => "unchanged",
            };
            let secret = match (&k.secret_file, self.secret_delivery) {
                (Some(f), _) => format!("; secret in {f}"),
                (None, Some("keyring")) => format!("; secret in the OS keyring (service {}, account {})", crate::keyring::SERVICE, k.id),
                _ => String::new(),
            };
            out.line(format!("  {word} {} ({}){secret}", k.name, k.id));
        }
    }
    fn quiet(&self) -> Option<String> {
        None
    }
}

pub fn apply(ctx: &Ctx, args: ApplyArgs) -> Result<()> {
    let now = ctx.clock.now();
    let (src, valid) = read_valid(&args.file)?;
    let mut store = ctx.store()?;
    let (report, desired) = make_plan(store.conn(), &src, valid, now)?;
    for w in &report.warnings {
        ctx.out.warn(w);
    }
    let applied = |keys: Vec<AppliedKey>, delivery| Applied {
        file: src.label.clone(),
        file_sha256: src.sha256.clone(),
        plan_hash: report.plan_hash.clone(),
        summary: report.summary,
        keys,
        secret_delivery: delivery,
    };
    // Nothing to do is never refused: a re-run (say, of a CI job) with an older plan hash
    // finds the store already as the file says.
    if report.pending() == 0 {
        return ctx.out.emit(&applied(vec![], None));
    }
    if let Some(want) = &args.plan_hash {
        if want.trim() != report.plan_hash {
            return Err(Error::conflict(format!(
                "the plan for {} is not the one reviewed: the file or the store changed since (plan hash {})",
                src.label, report.plan_hash
            ))
            .hint(format!("run `smsctl plan -f {}` again and review the new plan", src.label)));
        }
    }
    let creates: Vec<&plan::KeyPlan> = report.plan.keys.iter().filter(|k| k.action == Action::Create).collect();
    let sink = if creates.is_empty() {
        None
    } else if args.save_secrets {
        Some(SecretSink::Keyring(super::key::keyring_for_saving(ctx)?))
    } else if let Some(dir) = &args.secrets_dir {
        if !dir.is_dir() {
            return Err(
                Error::usage(format!("--secrets-dir {} is not a directory", dir.display())).hint("create it first (mkdir -m 700 DIR)")
            );
        }
        for k in &creates {
            let path = secret_path(dir, &k.name);
            if std::fs::symlink_metadata(&path).is_ok() {
                return Err(secret_file_error(&path, &std::io::Error::from(std::io::ErrorKind::AlreadyExists)));
            }
        }
        Some(SecretSink::Dir(dir.clone()))
    } else {
        return Err(Error::usage(format!(
            "{} would create {} key(s), and their secrets need somewhere to go",
            src.label,
            creates.len()
        ))
        .hint("pass --secrets-dir DIR (one 0600 file per key) or --save-secrets (the OS keyring); secrets are never printed"));
    };
    if !ctx.yes && ctx.interactive() {
        ctx.out.preview(&report);
    }
    ctx.confirm(
        &format!("applying {} ({} change(s))", src.label, report.pending()),
        &format!("Apply these {} change(s)?", report.pending()),
        "review `smsctl plan -f FILE`, then pass --yes (and --plan-hash HASH to pin the reviewed plan)",
    )?;
    let extra = serde_json::json!({
        "applied_from": { "file": src.label, "file_sha256": src.sha256, "plan_hash": report.plan_hash }
    });
    let (done, delivered) = store.write(|tx| {
        // Under the lock: the plan carried out must be exactly the one shown.
        if plan_hash(tx, &src.sha256)? != report.plan_hash {
            return Err(
                Error::conflict("the store changed while the plan was being confirmed; nothing was changed")
                    .hint(format!("run `smsctl plan -f {}` again", src.label)),
            );
        }
        let mut delivered = sink.as_ref().map(|s| Delivered {
            sink: s,
            done: vec![],
            kept: false,
        });
        let mut done = Vec::new();
        for k in &report.plan.keys {
            let want = k.entry.and_then(|i| desired.get(i));
            match (k.action, &k.id, want) {
                (Action::Revoke, Some(id), _) => {
                    let key = super::key::revoke::revoke_in_tx(ctx, tx, id, now, audit::Action::KeyRevoke, Some(&extra))?;
                    done.push(AppliedKey {
                        action: Action::Revoke,
                        id: key.id,
                        name: key.name,
                        secret_file: None,
                    });
                }
                (Action::Update, Some(id), Some(want)) => {
                    let key = update_in_tx(ctx, tx, id, &want.key, &k.changes, now, &extra)?;
                    done.push(AppliedKey {
                        action: Action::Update,
                        id: key.id,
                        name: key.name,
                        secret_file: None,
                    });
                }
                (Action::Create, _, Some(want)) => {
                    let (key, secret) = create_in_tx(ctx, tx, &want.key, now, &extra)?;
                    let d = delivered.as_mut().ok_or_else(|| Error::failure("no destination for new secrets"))?;
                    d.deliver(&key, &secret)?;
                    let secret_file = match &d.sink {
                        SecretSink::Dir(dir) => Some(secret_path(dir, &key.name).display().to_string()),
                        SecretSink::Keyring(_) => None,
                    };
                    done.push(AppliedKey {
                        action: Action::Create,
                        id: key.id,
                        name: key.name,
                        secret_file,
                    });
                }
                _ => {}
            }
        }
        if !report.replacements.is_empty() {
            let before = crate::store::replacements::load(tx)?;
            for c in &report.replacements {
                match &c.new {
                    Some(to) => {
                        crate::store::replacements::set(tx, &c.from, to)?;
                    }
                    None => {
                        crate::store::replacements::remove(tx, &c.from)?;
                    }
                }
            }
            let mut after = serde_json::json!({ "replacements": crate::store::replacements::load(tx)? });
            if let (Some(a), Some(x)) = (after.as_object_mut(), extra.as_object()) {
                a.extend(x.clone());
            }
            ctx.audit(
                tx,
                now,
                audit::Action::ReplaceApply,
                None,
                Some(serde_json::json!({ "replacements": before })),
                Some(after),
            )?;
        }
        Ok((done, delivered))
    })?;
    if let Some(d) = delivered {
        d.keep();
    }
    let revoked: Vec<String> = done.iter().filter(|k| k.action == Action::Revoke).map(|k| k.id.clone()).collect();
    if !revoked.is_empty() {
        super::key::revoke::forget_saved_secrets(ctx, &revoked);
    }
    let delivery = sink.as_ref().map(|s| match s {
        SecretSink::Keyring(_) => "keyring",
        SecretSink::Dir(_) => "files",
    });
    ctx.out.emit(&applied(done, delivery))
}

fn update_in_tx(
    ctx: &Ctx,
    tx: &crate::store::Conn,
    id: &str,
    want: &Key,
    changes: &[plan::FieldChange],
    now: UnixMillis,
    extra: &serde_json::Value,
) -> Result<Key> {
    let mut key = keys::find_by_id(tx, id)?.ok_or_else(|| Error::not_found(format!("key {id} disappeared")))?;
    let before = keys::state_snapshot(tx, &key)?;
    for c in changes {
        if let Some(f) = FIELDS.iter().find(|f| f.name == c.field) {
            (f.copy)(want, &mut key);
        }
    }
    keys::update(tx, &key)?;
    let after = super::key::revoke::with_extra(keys::state_snapshot(tx, &key)?, Some(extra));
    ctx.audit(tx, now, audit::Action::KeyApply, Some(&key.id), Some(before), Some(after))?;
    Ok(key)
}

fn create_in_tx(ctx: &Ctx, tx: &crate::store::Conn, want: &Key, now: UnixMillis, extra: &serde_json::Value) -> Result<(Key, Secret)> {
    let id = if want.id.is_empty() {
        token::generate_key_id()
    } else {
        want.id.clone()
    };
    if keys::find_by_id(tx, &id)?.is_some() {
        return Err(Error::conflict(format!("key id {id} is already taken")).hint("run the plan again"));
    }
    let key = Key {
        id,
        created_at: now,
        ..want.clone()
    };
    if keys::name_taken(tx, &key.name, None)? {
        return Err(keys::name_conflict(&key.name));
    }
    let secret = Secret::generate();
    keys::insert(tx, &key)?;
    keys::insert_secret(tx, &key.id, &secret, now)?;
    let after = super::key::revoke::with_extra(keys::state_snapshot(tx, &key)?, Some(extra));
    ctx.audit(tx, now, audit::Action::KeyCreate, Some(&key.id), None, Some(after))?;
    Ok((key, secret))
}
