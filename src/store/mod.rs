//! The SQLite store: opening, pragmas, versioned migrations and write transactions.
//!
//! Every write goes through [`Store::write`], one `BEGIN IMMEDIATE` transaction, so a failed
//! command changes nothing and concurrent writers queue on the busy timeout instead of racing.

pub mod audit;
pub mod events;
pub mod keys;
pub mod messages;
pub mod replacements;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};

use crate::error::{Error, Result};

/// Schema migrations, applied in order; `user_version` records how many have run.
const MIGRATIONS: &[&str] = &[
    include_str!("schema_v1.sql"),
    include_str!("schema_v2.sql"),
    include_str!("schema_v3.sql"),
];

/// The schema version this binary writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

const DEFAULT_BUSY_TIMEOUT_MS: u64 = 5_000;

pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl Store {
    /// Opens (creating if needed) the store at `path` and brings its schema up to date.
    /// A store written by a newer smsctl is refused before anything touches it.
    pub fn open(path: &Path) -> Result<Store> {
        if path.is_dir() {
            return Err(Error::store(format!("store path {} is a directory", path.display()))
                .hint("point --db / SMSCTL_DB at a file, e.g. <dir>/smsctl.db"));
        }
        check_parent(path)?;
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(|e| open_error(path, e))?;
        conn.busy_timeout(Duration::from_millis(busy_timeout_ms()?))?;

        // Read the version before any pragma that writes, so a too-new store stays byte-for-byte intact.
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| open_error(path, e))?;
        check_version(version, path)?;

        conn.pragma_update(None, "foreign_keys", "ON")?;
        if version < SCHEMA_VERSION {
            // WAL is persistent in the file header: set it once, when the store is created or upgraded.
            conn.pragma_update(None, "journal_mode", "WAL").map_err(|e| open_error(path, e))?;
        }
        conn.pragma_update(None, "synchronous", "FULL")?;
        let mut store = Store {
            conn,
            path: path.to_owned(),
        };
        if version < SCHEMA_VERSION {
            store.migrate()?;
        }
        Ok(store)
    }

    /// For read-only commands: a missing store reads as an empty one, and no file is created.
    pub fn open_for_reading(path: &Path) -> Result<Store> {
        if path.exists() {
            return Store::open(path);
        }
        check_parent(path)?;
        busy_timeout_ms()?;
        let conn = Connection::open_in_memory()?;
        let mut store = Store {
            conn,
            path: path.to_owned(),
        };
        store.migrate()?;
        Ok(store)
    }

    fn migrate(&mut self) -> Result<()> {
        let path = self.path.clone();
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        // Re-read inside the lock: another process may have migrated meanwhile.
        let version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        check_version(version, &path)?;
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Runs `f` in one `BEGIN IMMEDIATE` transaction; commits only if it returns `Ok`.
    pub fn write<T>(&mut self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let value = f(&tx)?;
        tx.commit()?;
        Ok(value)
    }

    /// Replaces the whole content of this store with `source`'s, in one step, so a crash
    /// leaves either the old or the new content.
    pub fn replace_with(&mut self, source: &Connection) -> Result<()> {
        use rusqlite::backup::{Backup, StepResult};
        let backup = Backup::new(source, &mut self.conn)?;
        // -1 copies every page in one step: the destination changes in a single transaction.
        match backup.step(-1)? {
            StepResult::Done => Ok(()),
            _ => Err(Error::store("store busy: could not lock it for the restore").hint("stop other smsctl processes and retry")),
        }
    }

    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// A store's directory must exist: a typo in --db should fail loudly, not read as empty.
fn check_parent(path: &Path) -> Result<()> {
    match path.parent().filter(|p| !p.as_os_str().is_empty()) {
        Some(parent) if !parent.is_dir() => Err(Error::store(format!(
            "cannot open store {}: directory {} does not exist",
            path.display(),
            parent.display()
        ))
        .hint("create the directory first, or check --db / SMSCTL_DB for a typo")),
        _ => Ok(()),
    }
}

fn check_version(version: i64, path: &Path) -> Result<()> {
    if version > SCHEMA_VERSION {
        return Err(Error::store(format!(
            "store {} has schema version {version}, newer than this smsctl supports ({SCHEMA_VERSION})",
            path.display()
        ))
        .hint("upgrade smsctl; the store was left untouched"));
    }
    Ok(())
}

fn open_error(path: &Path, err: rusqlite::Error) -> Error {
    let base: Error = err.into();
    Error {
        message: format!("cannot open store {}: {}", path.display(), base.message),
        ..base
    }
}

fn busy_timeout_ms() -> Result<u64> {
    match std::env::var("SMSCTL_BUSY_TIMEOUT_MS") {
        Err(_) => Ok(DEFAULT_BUSY_TIMEOUT_MS),
        Ok(v) if v.trim().is_empty() => Ok(DEFAULT_BUSY_TIMEOUT_MS),
        Ok(v) => v.trim().parse().map_err(|_| {
            Error::usage(format!("invalid SMSCTL_BUSY_TIMEOUT_MS '{}'", v.escape_debug()))
                .hint("give a whole number of milliseconds, e.g. 5000")
        }),
    }
}

/// The default store location: the platform data directory (e.g. `~/.local/share/smsctl/smsctl.db`).
pub fn default_path() -> Result<PathBuf> {
    use etcetera::BaseStrategy;
    let strategy = etcetera::choose_base_strategy()
        .map_err(|e| Error::store(format!("cannot find a data directory: {e}")).hint("pass --db PATH or set SMSCTL_DB"))?;
    Ok(strategy.data_dir().join("smsctl").join("smsctl.db"))
}
