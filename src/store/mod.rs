//! The SQLite store: opening, pragmas, versioned migrations and write transactions.
//!
//! Every write goes through [`Store::write`], one `BEGIN IMMEDIATE` transaction, so a failed
//! command changes nothing and concurrent writers queue on the busy timeout instead of racing.
//!
//! Every open checks the schema against exactly what the migrations create ([`schema`]). A
//! store that does not exist yet is built in a private staging directory and linked into
//! place only when its first write commits, so a failing command never leaves a store file.

pub mod audit;
pub mod audit_key;
pub mod events;
pub mod keys;
pub mod messages;
pub mod relay;
pub mod replacements;
pub mod schema;
pub mod usage;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};

use crate::error::{Error, Result};
use crate::private_fs::{self, Staging};

/// Schema migrations, applied in order; `user_version` records how many have run.
const MIGRATIONS: &[&str] = &[
    include_str!("schema_v1.sql"),
    include_str!("schema_v2.sql"),
    include_str!("schema_v3.sql"),
    include_str!("schema_v4.sql"),
    include_str!("schema_v5.sql"),
    include_str!("schema_v6.sql"),
];

/// The schema version this binary writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// The first version whose trail is keyed: migrating to it writes the anchor row.
const KEYED_SINCE: i64 = 2;

const DEFAULT_BUSY_TIMEOUT_MS: u64 = 5_000;

/// The file name of the store inside its staging directory.
const STAGED: &str = "store.db";

pub struct Store {
    conn: Connection,
    path: PathBuf,
    /// Set while the store exists only in staging: its first commit publishes it.
    pending: Option<Pending>,
}

struct Pending {
    staging: Staging,
    /// The new store's audit key, saved just before its first write.
    identity: Option<(String, audit_key::AuditKey)>,
    /// Where that key was saved, to forget if the store is never published.
    saved: Option<(String, audit_key::Source)>,
    create_parent: bool,
}

impl Store {
    /// Opens the store at `path` and brings its schema up to date. A store that does not exist
    /// yet is prepared in staging and appears at `path` with its first committed write.
    /// A store written by a newer smsctl, or with a schema smsctl did not create, is refused
    /// before anything touches it.
    pub fn open(path: &Path) -> Result<Store> {
        Store::open_with(path, false)
    }

    /// As [`Store::open`], creating the store's missing directory (0700) when it is published:
    /// for the default location under the platform data directory.
    pub fn open_with(path: &Path, create_parent: bool) -> Result<Store> {
        if path.is_dir() {
            return Err(Error::store(format!("store path {} is a directory", path.display()))
                .hint("point --db / SMSCTL_DB at a file, e.g. <dir>/smsctl.db"));
        }
        let Ok(meta) = std::fs::symlink_metadata(path) else {
            return Store::prepare_new(path, create_parent);
        };
        check_parent(path)?;
        check_owned(path, &meta)?;
        let conn = open_conn(path)?;
        let mut store = Store {
            conn,
            path: path.to_owned(),
            pending: None,
        };
        store.bring_up_to_date()?;
        Ok(store)
    }

    /// Opens (and, if missing, publishes at once) the store: for the gateway, whose other
    /// connections must see the same file.
    pub fn open_or_create(path: &Path) -> Result<Store> {
        let mut store = Store::open(path)?;
        if store.pending.is_some() {
            store.publish()?;
        }
        Ok(store)
    }

    fn prepare_new(path: &Path, create_parent: bool) -> Result<Store> {
        if create_parent {
            if let Some(dir) = path.parent() {
                private_fs::create_dir_all(dir)
                    .map_err(|e| Error::store(format!("cannot create {}: {e}", dir.display())).hint("pass --db PATH or set SMSCTL_DB"))?;
            }
        } else {
            check_parent(path)?;
        }
        busy_timeout_ms()?;
        let staging = Staging::beside(path)?;
        let file = staging.file(STAGED);
        private_fs::create_new(&file).map_err(|e| Error::store(format!("cannot create a store beside {}: {e}", path.display())))?;
        let conn = open_conn(&file)?;
        let mut store = Store {
            conn,
            path: path.to_owned(),
            pending: Some(Pending {
                staging,
                identity: None,
                saved: None,
                create_parent,
            }),
        };
        store.bring_up_to_date()?;
        Ok(store)
    }

    /// For read-only commands: a missing store reads as an empty one, and no file is created.
    pub fn open_for_reading(path: &Path) -> Result<Store> {
        if std::fs::symlink_metadata(path).is_ok() {
            return Store::open(path);
        }
        check_parent(path)?;
        busy_timeout_ms()?;
        let conn = Connection::open_in_memory()?;
        let mut store = Store {
            conn,
            path: path.to_owned(),
            pending: None,
        };
        store.migrate()?;
        Ok(store)
    }

    /// Opens a file read-only with no checks and no migration, to inspect it (`doctor`,
    /// `restore`): the caller decides what to make of its version and schema.
    pub fn inspect(path: &Path) -> Result<Connection> {
        let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
            .map_err(|e| open_error(path, e))?;
        conn.busy_timeout(Duration::from_millis(busy_timeout_ms()?))?;
        harden(&conn)?;
        Ok(conn)
    }

    /// Opens an existing store for writing without any check, only to replace its whole
    /// content (`restore`).
    pub fn open_raw(path: &Path) -> Result<Store> {
        let meta = std::fs::symlink_metadata(path).map_err(|e| Error::store(format!("cannot open store {}: {e}", path.display())))?;
        check_owned(path, &meta)?;
        Ok(Store {
            conn: open_conn(path)?,
            path: path.to_owned(),
            pending: None,
        })
    }

    fn bring_up_to_date(&mut self) -> Result<()> {
        // Read the version and the schema before any pragma that writes, so a refused store
        // stays byte-for-byte intact.
        let version: i64 = self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| open_error(&self.path, e))?;
        check_version(version, &self.path)?;
        schema::ensure_exact(&self.conn, version, &format!("store {}", self.path.display()))?;
        let on_disk = self.pending.is_none();
        let recorded = if on_disk { identity::recorded(&self.path) } else { None };
        if on_disk {
            self.check_identity(version, recorded.as_deref())?;
        }
        self.conn.pragma_update(None, "foreign_keys", "ON")?;
        if version < SCHEMA_VERSION {
            // WAL is persistent in the file header: set it once, when the store is created or upgraded.
            self.conn
                .pragma_update(None, "journal_mode", "WAL")
                .map_err(|e| open_error(&self.path, e))?;
        }
        self.conn.pragma_update(None, "synchronous", "FULL")?;
        if version < SCHEMA_VERSION {
            self.migrate()?;
        }
        if on_disk && (recorded.is_none() || version < SCHEMA_VERSION) {
            self.remember_identity();
        }
        Ok(())
    }

    /// A store file seen before at this path must still be that store: not an unkeyed
    /// (schema 1) copy, which would be re-anchored under a new key, nor another store put in
    /// its place. `restore` is the way to replace a store on purpose.
    fn check_identity(&self, version: i64, recorded: Option<&str>) -> Result<()> {
        let Some(recorded) = recorded else {
            return Ok(());
        };
        let current = if version >= KEYED_SINCE {
            audit_key::store_identity(&self.conn)?.map(|(id, _)| id)
        } else {
            None
        };
        match current {
            Some(id) if id == recorded => Ok(()),
            Some(id) => Err(Error::store(format!(
                "store {} is not the store smsctl knew there: its id is {id}, it was {recorded}",
                self.path.display()
            ))
            .hint("someone replaced the file; use `smsctl restore` to put another store in place, or remove the file")),
            None => Err(Error::store(format!(
                "store {} was keyed (store id {recorded}) but is now an unkeyed store: it was replaced by a downgraded copy",
                self.path.display()
            ))
            .hint("restore the store from a backup you trust; nothing was changed")),
        }
    }

    /// Records which store lives at this path (best effort: without a writable config
    /// directory the check above has nothing to compare with).
    fn remember_identity(&self) {
        remember_identity_at(&self.path, &self.conn);
    }

    fn migrate(&mut self) -> Result<()> {
        let path = self.path.clone();
        let pending = self.pending.is_some();
        let in_memory = self.conn.path().is_none_or(str::is_empty);
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        // Re-read inside the lock: another process may have migrated meanwhile.
        let version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        check_version(version, &path)?;
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        }
        // Keying the trail reads every key with this binary's columns, so it runs once all
        // migrations have.
        let mut identity = None;
        if version < KEYED_SINCE {
            let store_id = audit_key::new_store_id();
            let key = audit_key::for_new_store(&store_id)?;
            tx.execute(
                "INSERT INTO meta (name, value) VALUES ('store_id', ?1), ('audit_key_check', ?2)",
                [&store_id, &key.check_value()],
            )?;
            audit::append_anchor(&tx, &key, &store_id, crate::time::now())?;
            identity = Some((store_id, key));
        }
        match identity {
            // A store being created keeps its new key until it is published.
            Some(id) if pending => {
                if let Some(p) = self.pending.as_mut() {
                    p.identity = Some(id);
                }
            }
            // An existing file being upgraded (or an in-memory empty store, whose key is
            // never needed again) saves the key before the upgrade commits.
            Some((store_id, key)) if !in_memory => {
                audit_key::persist(&store_id, &key)?;
            }
            _ => {}
        }
        tx.commit()?;
        Ok(())
    }

    /// Runs `f` in one `BEGIN IMMEDIATE` transaction; commits only if it returns `Ok`.
    /// The first commit of a new store publishes it at its path.
    /// Secrets marked `--retire-when-quiet` that are due retire first, in the same transaction.
    pub fn write<T>(&mut self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        // A new store's key is saved, and its path checked, before the write runs: a command
        // that delivers a secret inside `f` must not do so for a store that cannot be created.
        let saved = self.prepare_publish()?;
        let outcome = (|| {
            let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            keys::retire_quiet_secrets(&tx, crate::time::now())?;
            let value = f(&tx)?;
            tx.commit()?;
            Ok(value)
        })();
        match outcome {
            Ok(value) => {
                if self.pending.is_some() {
                    self.publish()?;
                }
                Ok(value)
            }
            Err(e) => {
                if let Some((id, source)) = saved {
                    audit_key::forget(&id, source);
                }
                Err(e)
            }
        }
    }

    /// For a store still in staging: refuses a target path that is taken and saves the new
    /// audit key. Returns what was saved, to forget if the write fails.
    fn prepare_publish(&mut self) -> Result<Option<(String, audit_key::Source)>> {
        let Some(pending) = self.pending.as_mut() else {
            return Ok(None);
        };
        if std::fs::symlink_metadata(&self.path).is_ok() {
            return Err(Error::store(format!(
                "store {} appeared while this command was creating it; nothing was saved",
                self.path.display()
            ))
            .hint("run the command again"));
        }
        let Some((id, key)) = pending.identity.as_ref() else {
            return Ok(None);
        };
        let source = audit_key::persist(id, key)?;
        let saved = (id.clone(), source);
        pending.identity = None;
        pending.saved = Some(saved.clone());
        Ok(Some(saved))
    }

    /// Makes a staged store real: saves its audit key, then links the file into place
    /// (never over anything already there) and reopens it there.
    fn publish(&mut self) -> Result<()> {
        let Some(pending) = self.pending.take() else {
            return Ok(());
        };
        // Close the staged connection first: its WAL is checkpointed and removed.
        let staged = std::mem::replace(&mut self.conn, Connection::open_in_memory()?);
        staged.close().map_err(|(_, e)| Error::from(e))?;
        let saved = match &pending.identity {
            Some((id, key)) => Some((id.clone(), audit_key::persist(id, key)?)),
            None => pending.saved.clone(),
        };
        if pending.create_parent {
            if let Some(dir) = self.path.parent() {
                let _ = private_fs::create_dir_all(dir);
            }
        }
        if let Err(e) = pending.staging.publish(STAGED, &self.path) {
            if let Some((id, source)) = saved {
                audit_key::forget(&id, source);
            }
            return Err(if e.kind() == std::io::ErrorKind::AlreadyExists {
                Error::store(format!(
                    "store {} appeared while this command was creating it; nothing was saved",
                    self.path.display()
                ))
                .hint("run the command again")
            } else {
                Error::store(format!("cannot create store {}: {e}", self.path.display()))
            });
        }
        drop(pending);
        self.conn = open_conn(&self.path)?;
        self.conn.pragma_update(None, "foreign_keys", "ON")?;
        self.conn.pragma_update(None, "synchronous", "FULL")?;
        self.remember_identity();
        Ok(())
    }

    /// Replaces the whole content of this store with `source`'s, in one step, so a crash
    /// leaves either the old or the new content.
    pub fn replace_with(&mut self, source: &Connection) -> Result<()> {
        use rusqlite::backup::{Backup, StepResult};
        {
            let backup = Backup::new(source, &mut self.conn)?;
            // -1 copies every page in one step: the destination changes in a single transaction.
            match backup.step(-1)? {
                StepResult::Done => {}
                _ => {
                    return Err(Error::store("store busy: could not lock it for the restore").hint("stop other smsctl processes and retry"));
                }
            }
        }
        if let Some(p) = self.pending.as_mut() {
            // The new content brings its own identity and key.
            p.identity = None;
            self.publish()?;
        }
        Ok(())
    }

    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether the store exists only in memory or staging (nothing at its path yet).
    pub fn is_new(&self) -> bool {
        self.pending.is_some() || self.conn.path().is_none_or(str::is_empty)
    }
}

/// The schema version a store's file records (`PRAGMA user_version`).
pub fn user_version(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
}

/// Changes whenever another connection commits to the store (`PRAGMA data_version`): how the
/// gateway's key cache notices a change made by the CLI.
pub fn data_version(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("PRAGMA data_version", [], |r| r.get(0))?)
}

/// Copies committed WAL frames into the database file without waiting on readers; returns
/// how many frames the WAL holds.
pub fn checkpoint(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| r.get(1))?)
}

/// SQLite's own consistency check: `ok`, or what it found. `quick` skips the index checks.
pub fn integrity(conn: &Connection, quick: bool) -> Result<String> {
    let pragma = if quick { "PRAGMA quick_check" } else { "PRAGMA integrity_check" };
    Ok(conn.query_row(pragma, [], |r| r.get(0))?)
}

/// Writes a consistent copy of the whole store behind `conn` to `target`, a path that must
/// not exist (`VACUUM INTO`).
pub fn copy_to(conn: &Connection, target: &Path) -> Result<()> {
    let target = target.to_str().ok_or_else(|| Error::usage("the backup path is not valid UTF-8"))?;
    conn.execute("VACUUM INTO ?1", [target])?;
    Ok(())
}

/// Which store id was last seen at which path: `<config dir>/smsctl/stores/<hash of the
/// path>`, private to the user, outside the store so that replacing the file cannot change it.
mod identity {
    use std::path::{Path, PathBuf};

    fn record_path(store: &Path) -> Option<PathBuf> {
        use etcetera::BaseStrategy;
        use sha2::Digest;
        let canonical = std::fs::canonicalize(store).ok()?;
        let digest = sha2::Sha256::digest(canonical.as_os_str().as_encoded_bytes());
        let name = crate::token::hex(&digest[..16]);
        Some(
            etcetera::choose_base_strategy()
                .ok()?
                .config_dir()
                .join("smsctl")
                .join("stores")
                .join(name),
        )
    }

    pub fn recorded(store: &Path) -> Option<String> {
        let text = std::fs::read_to_string(record_path(store)?).ok()?;
        let id = text.trim().to_owned();
        super::audit_key::is_store_id(&id).then_some(id)
    }

    pub fn record(store: &Path, id: &str) {
        let Some(path) = record_path(store) else {
            return;
        };
        if recorded(store).as_deref() == Some(id) {
            return;
        }
        let Some(dir) = path.parent() else {
            return;
        };
        if crate::private_fs::create_dir_all(dir).is_err() {
            return;
        }
        // Written beside and renamed over: a reader sees the old record or the new one.
        let tmp = dir.join(format!(".{}.tmp", std::process::id()));
        let _ = std::fs::remove_file(&tmp);
        let written = crate::private_fs::create_new(&tmp).and_then(|mut f| std::io::Write::write_all(&mut f, format!("{id}\n").as_bytes()));
        if written.is_ok() {
            let _ = std::fs::rename(&tmp, &path);
        } else {
            let _ = std::fs::remove_file(&tmp);
        }
    }
}

/// Records `path` as holding the store whose identity `conn` has (after `restore`).
pub fn remember_identity_at(path: &Path, conn: &Connection) {
    if let Ok(Some((id, _))) = audit_key::store_identity(conn) {
        identity::record(path, &id);
    }
}

fn open_conn(path: &Path) -> Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).map_err(|e| open_error(path, e))?;
    conn.busy_timeout(Duration::from_millis(busy_timeout_ms()?))?;
    harden(&conn)?;
    Ok(conn)
}

/// Schema objects never run functions or views smsctl did not define; triggers never recurse.
fn harden(conn: &Connection) -> Result<()> {
    conn.pragma_update(None, "trusted_schema", "OFF")?;
    Ok(())
}

/// A store is a regular file of the user's own, never a link: a planted link or file in a
/// shared directory would make smsctl write keys where someone else reads them.
fn check_owned(path: &Path, meta: &std::fs::Metadata) -> Result<()> {
    if meta.file_type().is_symlink() {
        return Err(
            Error::store(format!("store {} is a symbolic link; smsctl does not follow it", path.display()))
                .hint("point --db / SMSCTL_DB at the real file, in a directory only you can write"),
        );
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        // SAFETY: geteuid has no preconditions and cannot fail.
        let me = unsafe { libc::geteuid() };
        if me != 0 && meta.uid() != me {
            return Err(Error::store(format!(
                "store {} belongs to another user (uid {}); smsctl uses only stores of your own",
                path.display(),
                meta.uid()
            ))
            .hint("copy it with `smsctl backup` as its owner, or point --db at a store of your own"));
        }
    }
    Ok(())
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
