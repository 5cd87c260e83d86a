//! `smsctl backup FILE` (online, `VACUUM INTO`) and `smsctl restore FILE` (checked, atomic).

use std::path::Path;
use std::sync::Arc;

use crate::store::Conn;
use serde::Serialize;

use crate::cli::{BackupArgs, RestoreArgs, StoreCopyArgs};
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::output::{Human, Report};
use crate::private_fs::{self, Staging};
use crate::store::audit_key::AuditKeys;
use crate::store::{self, SCHEMA_VERSION, Store, audit, schema};
use crate::time;

#[derive(Serialize)]
struct Summary {
    file: String,
    bytes: u64,
    keys: i64,
    audit_entries: u64,
    schema_version: i64,
    /// The trail's last entry: keep it elsewhere, then `audit verify --expect-head` proves
    /// that nothing was cut off since.
    head: Option<audit::Head>,
}

impl Report for Summary {
    fn human(&self, out: &mut Human) {
        out.fields(&[
            ("file", self.file.clone()),
            ("size", format!("{} bytes", self.bytes)),
            ("keys", self.keys.to_string()),
            ("audit entries", format!("{} (chain and state verified)", self.audit_entries)),
            (
                "audit head",
                self.head.as_ref().map_or_else(|| "-".into(), |h| format!("#{} {}", h.seq, h.hash)),
            ),
            ("schema", self.schema_version.to_string()),
        ]);
    }
    fn quiet(&self) -> Option<String> {
        Some(self.file.clone())
    }
}

/// Opens `path` read-only and checks that it is an intact smsctl store this binary can read:
/// its version, its exact schema, its integrity, its audit chain and that its tables match
/// the chain. `shown` is the name to use in messages.
/// `keys`: where the backup's audit key (the store's) is looked up.
fn inspect(path: &Path, shown: &Path, keys: &Arc<AuditKeys>) -> Result<(Conn, Summary)> {
    let bad = |why: String| {
        Error::usage(format!("{} is not a usable smsctl backup: {why}", shown.display())).hint("give a file written by `smsctl backup`")
    };
    if !path.is_file() {
        return Err(bad("no such file".into()).hint("give the path of a file written by `smsctl backup`"));
    }
    let conn = Store::inspect(path).map_err(|e| bad(e.message))?.with_audit_keys(keys.clone());
    let version = store::user_version(&conn).map_err(|e| bad(e.message))?;
    if version == 0 {
        return Err(bad("it has no smsctl schema".into()));
    }
    if version > SCHEMA_VERSION {
        return Err(Error::store(format!(
            "{} has schema version {version}, newer than this smsctl supports ({SCHEMA_VERSION})",
            shown.display()
        ))
        .hint("upgrade smsctl first"));
    }
    schema::ensure_exact(&conn, version, &shown.display().to_string())?;
    let integrity = store::integrity(&conn, false).map_err(|e| bad(e.message))?;
    if integrity != "ok" {
        return Err(bad(format!("integrity check failed: {integrity}")));
    }
    let v = if version >= 2 {
        audit::verify(&conn)?
    } else {
        audit::verify_legacy(&conn)?
    };
    ensure_trusted(
        &v,
        &shown.display().to_string(),
        "this backup cannot be trusted; use an older one",
        "this backup was changed behind its audit trail; use an older one",
    )?;
    let keys = store::keys::count(&conn).map_err(|e| bad(e.message))?;
    let bytes = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    Ok((
        conn,
        Summary {
            file: shown.display().to_string(),
            bytes,
            keys,
            audit_entries: v.rows,
            schema_version: version,
            head: v.head,
        },
    ))
}

/// Refuses a store whose verification found a broken chain, tables disagreeing with their
/// indexes, or keys that differ from the trail; `broken` and `changed` are the hints.
fn ensure_trusted(v: &audit::Verification, shown: &str, broken: &str, changed: &str) -> Result<()> {
    if let Some(b) = &v.first_break {
        return Err(Error::failure(format!("{shown}: audit trail altered at entry #{}: {}", b.seq, b.problem)).hint(broken.to_owned()));
    }
    if let Some(problem) = &v.integrity {
        return Err(Error::failure(format!("{shown}: {problem}")).hint(broken.to_owned()));
    }
    if let Some(m) = v.state_mismatches.first() {
        return Err(Error::failure(format!(
            "{shown}: the keys do not match the audit trail ({} difference(s); key {}: {})",
            v.state_mismatches.len(),
            m.key_id,
            m.problem
        ))
        .hint(changed.to_owned()));
    }
    Ok(())
}

/// What `restore` reports: the backup it restored and where the replaced store was saved.
#[derive(Serialize)]
struct Restored {
    #[serde(flatten)]
    summary: Summary,
    /// The backup of the store that was replaced (`null` when there was none).
    previous: Option<String>,
}

impl Report for Restored {
    fn human(&self, out: &mut Human) {
        self.summary.human(out);
        if let Some(p) = &self.previous {
            out.line(format!("The store it replaced was saved as {p}; `smsctl restore {p}` undoes this."));
        }
    }
    /// `--quiet`: the backup of the replaced store (empty when there was none).
    fn quiet(&self) -> Option<String> {
        self.previous.clone()
    }
}

fn exists_error(path: &Path) -> Error {
    Error::usage(format!("{} already exists", path.display())).hint("choose a new file name; backups never overwrite")
}

/// Writes a checked copy of the store: built in a private directory beside the target, then
/// linked into place, so the target is never followed, overwritten or seen half-written.
pub fn backup(ctx: &Ctx, args: BackupArgs) -> Result<()> {
    if std::fs::symlink_metadata(&args.file).is_ok() {
        return Err(exists_error(&args.file));
    }
    let store = ctx.store_for_reading()?;
    if store.is_new() {
        return Err(
            Error::not_found(format!("there is no store at {} to back up", store.path().display()))
                .hint("check --db / SMSCTL_DB; a store appears with its first key"),
        );
    }
    let summary = write_backup(store.conn(), &args.file, true)?.0;
    ctx.out.emit(&summary)
}

/// Copies the store behind `conn` to the new file `target` (private, checked). With
/// `require_checks` a copy that fails the checks is not kept; without, it is kept and the
/// failed check is returned beside the summary (`restore` saving a damaged store it replaces).
fn write_backup(conn: &Conn, target: &Path, require_checks: bool) -> Result<(Summary, Option<Error>)> {
    let staging = Staging::beside(target)?;
    let copy = staging.file("backup.db");
    store::copy_to(conn, &copy).map_err(|e| {
        Error::store(format!("cannot write backup {}: {e}", target.display())).hint("check that the directory exists and is writable")
    })?;
    private_fs::make_private(&copy).map_err(|e| Error::store(format!("cannot restrict {}: {e}", target.display())))?;
    let (summary, problem) = match inspect(&copy, target, conn.audit_keys()) {
        Ok((conn, summary)) => {
            drop(conn);
            (summary, None)
        }
        Err(e) if !require_checks => (
            Summary {
                file: target.display().to_string(),
                bytes: std::fs::metadata(&copy).map(|m| m.len()).unwrap_or(0),
                keys: 0,
                audit_entries: 0,
                schema_version: 0,
                head: None,
            },
            Some(e),
        ),
        Err(e) => return Err(e),
    };
    staging.publish("backup.db", target).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => exists_error(target),
        _ => Error::store(format!("cannot write backup {}: {e}", target.display())),
    })?;
    Ok((summary, problem))
}

/// Where `restore` saves the store it replaces: beside it, named after the time (for
/// PostgreSQL, in smsctl's data directory).
fn pre_restore_path(db: &Path, now: time::UnixMillis) -> Result<std::path::PathBuf> {
    if store::pg_url(db).is_some() {
        let dir = store::default_path()?.with_file_name("before-restore");
        private_fs::create_dir_all(&dir).map_err(|e| Error::store(format!("cannot create {}: {e}", dir.display())))?;
        return Ok(pre_restore_file(&dir.join("postgres.db"), now));
    }
    Ok(pre_restore_file(db, now))
}

fn pre_restore_file(db: &Path, now: time::UnixMillis) -> std::path::PathBuf {
    let stamp: String = time::format(now).chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    let name = db
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "smsctl.db".into());
    let first = db.with_file_name(format!("{name}.before-restore-{stamp}"));
    (2..100)
        .map(|n| db.with_file_name(format!("{name}.before-restore-{stamp}-{n}")))
        .fold(
            first,
            |best, next| if std::fs::symlink_metadata(&best).is_ok() { next } else { best },
        )
}

pub fn restore(ctx: &Ctx, args: RestoreArgs) -> Result<()> {
    let (source, summary) = inspect(&args.file, &args.file, &ctx.audit_keys)?;
    if summary.schema_version < 2 && !args.allow_unkeyed {
        return Err(Error::usage(format!(
            "{} is an unkeyed backup (schema {}): anyone who could write it could also have recomputed its audit trail",
            args.file.display(),
            summary.schema_version
        ))
        .hint("pass --allow-unkeyed if you made it yourself with an older smsctl and kept it safe"));
    }
    let db = ctx.db_path()?;
    let shown = store::display_location(&db);
    ctx.confirm(
        &format!("restoring {} over {shown}", args.file.display()),
        &format!(
            "Replace every key and the audit trail in {shown} with the backup ({} keys)?",
            summary.keys
        ),
        "pass --yes to restore without a prompt",
    )?;
    // First save the store being replaced, beside it, through the same private, checked
    // backup path: a restore of the wrong file can itself be undone.
    let on_pg = store::pg_url(&db).is_some();
    let saved = if store::location_exists(&db)? {
        let target = pre_restore_path(&db, ctx.clock.now())?;
        let current = store::inspect_location(&db)?;
        let (_, problem) = write_backup(&current, &target, false)?;
        drop(current);
        if let Some(p) = problem {
            ctx.out.warn(&format!(
                "the current store failed its checks ({}); it was saved anyway, unchecked",
                p.message
            ));
        }
        ctx.out
            .warn(&format!("saved the current store as {} before restoring", target.display()));
        Some(target.display().to_string())
    } else {
        None
    };
    // Prepare the final content in a private staging copy (migrated, with the restore's audit
    // row at the end of its chain), then swap it in with one backup step: all or nothing.
    let staging = if on_pg {
        Staging::beside(&args.file)?
    } else {
        Staging::beside(&db)?
    };
    let staged = staging.file("store.db");
    private_fs::create_new(&staged).map_err(|e| Error::store(format!("cannot stage the restore beside {shown}: {e}")))?;
    {
        let mut copy = rusqlite::Connection::open(&staged)?;
        let source = source.as_sqlite().ok_or_else(|| Error::store("a backup file is a SQLite file"))?;
        rusqlite::backup::Backup::new(source, &mut copy)?.step(-1)?;
    }
    let mut stage = Store::open_with(&staged, false, ctx.audit_keys.clone())?;
    let now = ctx.clock.now();
    stage.write(|tx| {
        ctx.audit(
            tx,
            now,
            audit::Action::StoreRestore,
            None,
            None,
            Some(serde_json::json!({ "from": summary.file, "keys": summary.keys, "schema_version": summary.schema_version })),
        )
    })?;
    if let Some(url) = store::pg_url(&db) {
        let target = store::pg::Target::parse(url)?;
        let conn = target.connect()?.with_audit_keys(ctx.audit_keys.clone());
        store::copy::replace_pg(stage.conn(), &conn, store::copy::Destination::Replace, |_| Ok(()))?;
        store::remember_location(&db, &conn);
    } else if std::fs::symlink_metadata(&db).is_err() {
        drop(stage);
        staging
            .publish("store.db", &db)
            .map_err(|e| Error::store(format!("cannot create store {}: {e}", db.display())))?;
    } else {
        // The current store is replaced whatever its schema: restoring is how a damaged or
        // planted store is repaired, so it is not opened through the checks that refuse it.
        Store::open_raw(&db)?.replace_with(stage.conn())?;
    }
    ctx.out.warn(&format!("restored {} keys from {}", summary.keys, summary.file));
    ctx.out.emit(&Restored { summary, previous: saved })
}

/// What `store copy` reports.
#[derive(Serialize)]
struct Copied {
    from: String,
    to: String,
    tables: Vec<store::copy::TableCount>,
    audit_entries: u64,
    head: Option<audit::Head>,
}

impl Report for Copied {
    fn human(&self, out: &mut Human) {
        out.line(format!(
            "Copied {} to {}; on the copy, the audit chain and every count were verified:",
            self.from, self.to
        ));
        out.fields(&self.tables.iter().map(|t| (t.table, t.rows.to_string())).collect::<Vec<_>>());
        if let Some(h) = &self.head {
            out.line(format!("Audit head: entry #{} {}", h.seq, h.hash));
        }
    }
    fn quiet(&self) -> Option<String> {
        None
    }
}

/// `smsctl store copy SRC DST`: SRC is opened with every check (and its trail verified),
/// DST must be a new file or an empty database; the copy is verified before it is kept.
pub fn store_copy(ctx: &Ctx, args: StoreCopyArgs) -> Result<()> {
    let (from, to) = (store::display_location(&args.src), store::display_location(&args.dst));
    if !store::location_exists(&args.src)? {
        return Err(Error::not_found(format!("there is no store at {from} to copy")).hint("check SRC: a file, or a postgres:// URL"));
    }
    let source = Store::open_for_reading_with(&args.src, ctx.audit_keys.clone())?;
    let check = |conn: &Conn, which: &str| -> Result<audit::Verification> {
        let v = audit::verify(conn)?;
        ensure_trusted(
            &v,
            which,
            "run `smsctl audit verify` on it; nothing was copied",
            "run `smsctl doctor` on it; nothing was copied",
        )?;
        Ok(v)
    };
    check(source.conn(), &from)?;
    let (tables, v) = match store::pg_url(&args.dst) {
        Some(url) => {
            let conn = store::pg::Target::parse(url)?.connect()?.with_audit_keys(ctx.audit_keys.clone());
            let mut verified = None;
            let tables = store::copy::replace_pg(source.conn(), &conn, store::copy::Destination::MustBeEmpty, |tx| {
                verified = Some(check(tx, &to)?);
                Ok(())
            })?;
            let v = verified.ok_or_else(|| Error::failure("internal error: the copy was not verified"))?;
            store::remember_location(&args.dst, &conn);
            (tables, v)
        }
        None => {
            if std::fs::symlink_metadata(&args.dst).is_ok() {
                return Err(exists_error(&args.dst));
            }
            let staging = Staging::beside(&args.dst)?;
            let staged = staging.file("copy.db");
            let tables = store::copy::to_sqlite_file(source.conn(), &staged)?;
            let conn = Store::inspect(&staged)?.with_audit_keys(ctx.audit_keys.clone());
            let v = check(&conn, &to)?;
            if store::copy::counts(&conn)? != tables {
                return Err(Error::failure(format!(
                    "the copy of {from} does not hold the rows it was given; nothing was kept"
                )));
            }
            drop(conn);
            staging.publish("copy.db", &args.dst).map_err(|e| match e.kind() {
                std::io::ErrorKind::AlreadyExists => exists_error(&args.dst),
                _ => Error::store(format!("cannot write {to}: {e}")),
            })?;
            (tables, v)
        }
    };
    let copied = Copied {
        from,
        to,
        tables,
        audit_entries: v.rows,
        head: v.head,
    };
    ctx.out.emit(&copied)
}
