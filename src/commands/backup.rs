//! `smsctl backup FILE` (online, `VACUUM INTO`) and `smsctl restore FILE` (checked, atomic).

use std::path::Path;

use rusqlite::{Connection, OpenFlags};
use serde::Serialize;

use crate::cli::{BackupArgs, RestoreArgs};
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::output::{Human, Report};
use crate::store::{SCHEMA_VERSION, Store, audit};
use crate::time;

#[derive(Serialize)]
struct Summary {
    file: String,
    bytes: u64,
    keys: i64,
    audit_entries: u64,
    schema_version: i64,
}

impl Report for Summary {
    fn human(&self, out: &mut Human) {
        out.fields(&[
            ("file", self.file.clone()),
            ("size", format!("{} bytes", self.bytes)),
            ("keys", self.keys.to_string()),
            ("audit entries", format!("{} (chain intact)", self.audit_entries)),
            ("schema", self.schema_version.to_string()),
        ]);
    }
    fn quiet(&self) -> Option<String> {
        Some(self.file.clone())
    }
}

/// A scratch file beside the store (same filesystem, same permissions), unique per process.
fn staging_path(db: &Path) -> std::path::PathBuf {
    let name = db
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "smsctl.db".into());
    db.with_file_name(format!(".{name}.restore-{}", std::process::id()))
}

/// Opens `path` read-only and checks that it is an intact smsctl store this binary can read.
fn inspect(path: &Path) -> Result<(Connection, Summary)> {
    let bad = |why: String| {
        Error::usage(format!("{} is not a usable smsctl backup: {why}", path.display())).hint("give a file written by `smsctl backup`")
    };
    if !path.is_file() {
        return Err(bad("no such file".into()).hint("give the path of a file written by `smsctl backup`"));
    }
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).map_err(|e| bad(e.to_string()))?;
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|e| bad(e.to_string()))?;
    if version == 0 {
        return Err(bad("it has no smsctl schema".into()));
    }
    if version > SCHEMA_VERSION {
        return Err(Error::store(format!(
            "{} has schema version {version}, newer than this smsctl supports ({SCHEMA_VERSION})",
            path.display()
        ))
        .hint("upgrade smsctl first"));
    }
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|e| bad(e.to_string()))?;
    if integrity != "ok" {
        return Err(bad(format!("integrity check failed: {integrity}")));
    }
    let v = audit::verify(&conn).map_err(|e| bad(e.message))?;
    if let Some(b) = v.first_break {
        return Err(Error::failure(format!(
            "{}: audit trail altered at entry #{}: {}",
            path.display(),
            b.seq,
            b.problem
        ))
        .hint("this backup cannot be trusted; use an older one"));
    }
    let keys: i64 = conn
        .query_row("SELECT count(*) FROM keys", [], |r| r.get(0))
        .map_err(|e| bad(e.to_string()))?;
    let bytes = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    Ok((
        conn,
        Summary {
            file: path.display().to_string(),
            bytes,
            keys,
            audit_entries: v.rows,
            schema_version: version,
        },
    ))
}

pub fn backup(ctx: &Ctx, args: BackupArgs) -> Result<()> {
    if args.file.exists() {
        return Err(Error::usage(format!("{} already exists", args.file.display())).hint("choose a new file name; backups never overwrite"));
    }
    let target = args
        .file
        .to_str()
        .ok_or_else(|| Error::usage("the backup path is not valid UTF-8"))?;
    let store = ctx.store()?;
    store.conn().execute("VACUUM INTO ?1", [target]).map_err(|e| {
        Error::store(format!("cannot write backup {}: {e}", args.file.display())).hint("check that the directory exists and is writable")
    })?;
    let (_, summary) = inspect(&args.file)?;
    ctx.out.emit(&summary)
}

pub fn restore(ctx: &Ctx, args: RestoreArgs) -> Result<()> {
    let (source, summary) = inspect(&args.file)?;
    let db = ctx.db_path()?;
    ctx.confirm(
        &format!("restoring {} over {}", args.file.display(), db.display()),
        &format!(
            "Replace every key and the audit trail in {} with the backup ({} keys)?",
            db.display(),
            summary.keys
        ),
        "pass --yes to restore without a prompt",
    )?;
    // Prepare the final content in a staging copy (migrated, with the restore's audit row at
    // the end of its chain), then swap it in with one backup step: either all of it or nothing.
    let staging = staging_path(&db);
    let result = (|| -> Result<()> {
        let mut stage = Store::open(&staging)?;
        stage.replace_with(&source)?;
        drop(stage);
        let mut stage = Store::open(&staging)?;
        let now = time::now();
        stage.write(|tx| {
            ctx.audit(
                tx,
                now,
                "store.restore",
                None,
                None,
                Some(serde_json::json!({ "from": summary.file, "keys": summary.keys, "schema_version": summary.schema_version })),
            )
        })?;
        Store::open(&db)?.replace_with(stage.conn())
    })();
    for suffix in ["", "-wal", "-shm"] {
        let mut p = staging.clone().into_os_string();
        p.push(suffix);
        let _ = std::fs::remove_file(p);
    }
    result?;
    ctx.out.warn(&format!("restored {} keys from {}", summary.keys, summary.file));
    ctx.out.emit(&summary)
}
