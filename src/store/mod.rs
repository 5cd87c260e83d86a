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
pub mod copy;
pub mod db;
pub mod events;
pub mod keys;
pub mod messages;
pub mod pg;
pub mod relay;
pub mod replacements;
pub mod schema;
pub mod usage;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

pub use db::{Backend, Conn, TxKind};

use crate::error::{Error, Result};
use crate::private_fs::{self, Staging};
use audit_key::AuditKeys;
use std::sync::Arc;

/// Schema migrations, applied in order; `user_version` records how many have run.
const MIGRATIONS: &[&str] = &[
    include_str!("schema_v1.sql"),
    include_str!("schema_v2.sql"),
    include_str!("schema_v3.sql"),
    include_str!("schema_v4.sql"),
    include_str!("schema_v5.sql"),
    include_str!("schema_v6.sql"),
    include_str!("schema_v7.sql"),
];

/// The schema version this binary writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// The first version whose trail is keyed: migrating to it writes the anchor row.
const KEYED_SINCE: i64 = 2;

const DEFAULT_BUSY_TIMEOUT_MS: u64 = 5_000;

/// The file name of the store inside its staging directory.
const STAGED: &str = "store.db";

pub struct Store {
    conn: Conn,
    /// The file, or for PostgreSQL the URL without its password (what messages show).
    path: PathBuf,
    /// Set while the store exists only in staging: its first commit publishes it.
    pending: Option<Pending>,
    /// A PostgreSQL store being created: its schema and anchor wait, uncommitted and under the
    /// write lock, for the command's first write, so a failing command leaves the database empty.
    pg_new: Option<(String, audit_key::AuditKey)>,
}

struct Pending {
    staging: Staging,
    /// The new store's audit key, saved just before its first write.
    identity: Option<(String, audit_key::AuditKey)>,
    /// Where that key was saved, to forget if the store is never published.
    saved: Option<(String, audit_key::Source)>,
    create_parent: bool,
}

/// Where a store is, and where its audit key is looked up: what a process that opens the same
/// store many times over (the gateway: its writer, cache, dispatcher and request pool) carries.
#[derive(Debug, Clone)]
pub struct StoreAt {
    pub path: PathBuf,
    pub audit_keys: Arc<AuditKeys>,
}

impl StoreAt {
    /// [`Store::open_with`] on this path and these places.
    pub fn open(&self) -> Result<Store> {
        Store::open_with(&self.path, false, Arc::clone(&self.audit_keys))
    }
}

impl Store {
    /// Opens the store at `path` and brings its schema up to date. A store that does not exist
    /// yet is prepared in staging and appears at `path` with its first committed write.
    /// A store written by a newer smsctl, or with a schema smsctl did not create, is refused
    /// before anything touches it.
    /// Its audit key is looked up in the process's places ([`AuditKeys::process`]).
    pub fn open(path: &Path) -> Result<Store> {
        Store::open_with(path, false, AuditKeys::process())
    }

    /// As [`Store::open`], creating the store's missing directory (0700) when it is published:
    /// for the default location under the platform data directory.
    /// `keys`: where the store's audit key is looked up and, for a new store, saved.
    pub fn open_with(path: &Path, create_parent: bool, keys: Arc<AuditKeys>) -> Result<Store> {
        if let Some(url) = pg_url(path) {
            return Store::open_pg(url, false, keys);
        }
        if path.is_dir() {
            return Err(Error::store(format!("store path {} is a directory", path.display()))
                .hint("point --db / SMSCTL_DB at a file, e.g. <dir>/smsctl.db"));
        }
        let Ok(meta) = std::fs::symlink_metadata(path) else {
            return Store::prepare_new(path, create_parent, keys);
        };
        check_parent(path)?;
        check_owned(path, &meta)?;
        let conn = Conn::sqlite(open_conn(path)?).with_audit_keys(keys);
        let mut store = Store {
            conn,
            path: path.to_owned(),
            pending: None,
            pg_new: None,
        };
        store.bring_up_to_date()?;
        Ok(store)
    }

    /// Opens (and, if missing, publishes at once) the store: for the gateway, whose other
    /// connections must see the same file.
    pub fn open_or_create(at: &StoreAt) -> Result<Store> {
        let mut store = at.open()?;
        if store.pending.is_some() {
            store.publish()?;
        }
        if store.pg_new.is_some() {
            store.write(|_| Ok(()))?;
        }
        Ok(store)
    }

    fn prepare_new(path: &Path, create_parent: bool, keys: Arc<AuditKeys>) -> Result<Store> {
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
        let conn = Conn::sqlite(open_conn(&file)?).with_audit_keys(keys);
        let mut store = Store {
            conn,
            path: path.to_owned(),
            pending: Some(Pending {
                staging,
                identity: None,
                saved: None,
                create_parent,
            }),
            pg_new: None,
        };
        store.bring_up_to_date()?;
        Ok(store)
    }

    /// For read-only commands: a missing store reads as an empty one, and no file is created.
    /// Its audit key is looked up in the process's places ([`AuditKeys::process`]).
    pub fn open_for_reading(path: &Path) -> Result<Store> {
        Store::open_for_reading_with(path, AuditKeys::process())
    }

    /// As [`Store::open_for_reading`], looking up the audit key in `keys`.
    pub fn open_for_reading_with(path: &Path, keys: Arc<AuditKeys>) -> Result<Store> {
        if let Some(url) = pg_url(path) {
            return Store::open_pg(url, true, keys);
        }
        if std::fs::symlink_metadata(path).is_ok() {
            return Store::open_with(path, false, keys);
        }
        check_parent(path)?;
        busy_timeout_ms()?;
        let conn = Conn::open_in_memory()?.with_audit_keys(keys);
        let mut store = Store {
            conn,
            path: path.to_owned(),
            pending: None,
            pg_new: None,
        };
        store.migrate()?;
        Ok(store)
    }

    /// Opens a file read-only with no checks and no migration, to inspect it (`doctor`,
    /// `restore`): the caller decides what to make of its version and schema.
    pub fn inspect(path: &Path) -> Result<Conn> {
        let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
            .map_err(|e| open_error(path, e))?;
        conn.busy_timeout(Duration::from_millis(busy_timeout_ms()?))?;
        harden(&conn)?;
        Ok(Conn::sqlite(conn))
    }

    /// Opens an existing store for writing without any check, only to replace its whole
    /// content (`restore`).
    pub fn open_raw(path: &Path) -> Result<Store> {
        let meta = std::fs::symlink_metadata(path).map_err(|e| Error::store(format!("cannot open store {}: {e}", path.display())))?;
        check_owned(path, &meta)?;
        Ok(Store {
            conn: Conn::sqlite(open_conn(path)?),
            path: path.to_owned(),
            pending: None,
            pg_new: None,
        })
    }

    /// Opens the store in a PostgreSQL database. An empty database becomes a store with the
    /// command's first write (`reading`: it reads as an empty store and stays empty).
    fn open_pg(url: &str, reading: bool, keys: Arc<AuditKeys>) -> Result<Store> {
        let target = pg::Target::parse(url)?;
        let conn = target.connect()?.with_audit_keys(keys.clone());
        let display = target.display.clone();
        let what = format!("store {display}");
        let version = match pg::version(&conn) {
            Ok(v) => v,
            Err(e) => {
                return Err(Error {
                    message: format!("cannot open {what}: {}", e.message),
                    ..e
                });
            }
        };
        let mut store = Store {
            conn,
            path: PathBuf::from(&display),
            pending: None,
            pg_new: None,
        };
        match version {
            None if reading => {
                store.conn = Conn::open_in_memory()?.with_audit_keys(keys);
                store.migrate()?;
            }
            None => store.begin_pg_store()?,
            Some(v) => {
                check_version(v, &store.path)?;
                if v < pg::FIRST_VERSION {
                    return Err(Error::store(format!(
                        "{what} has schema version {v}, older than any PostgreSQL store smsctl wrote"
                    )));
                }
                // Another store where this one was is refused before anything is upgraded.
                store.check_identity(v, identity::recorded_for(&display).as_deref())?;
                if v < SCHEMA_VERSION {
                    pg::upgrade(&store.conn, &what)?;
                } else {
                    pg::ensure_exact(&store.conn, &what)?;
                }
                identity::remember_for(&display, &store.conn);
            }
        }
        Ok(store)
    }

    /// Starts the transaction that creates a PostgreSQL store: schema, store id, audit key
    /// check and anchor. [`Store::write`] commits it with the command's change.
    fn begin_pg_store(&mut self) -> Result<()> {
        self.conn.execute_batch("BEGIN ISOLATION LEVEL READ COMMITTED")?;
        let created = (|| {
            self.conn.execute("SELECT pg_advisory_xact_lock(?1)", [db::PG_WRITE_LOCK])?;
            // Another first command may have created it meanwhile: then use theirs.
            if pg::version(&self.conn)?.is_some() {
                return Ok(None);
            }
            if pg::object_count(&self.conn)? > 0 {
                return Err(Error::store(format!(
                    "PostgreSQL database {} already holds other tables; smsctl creates its store only in an empty database or schema",
                    self.path.display()
                ))
                .hint("create a database for smsctl (createdb smsctl), or a schema of its own and add options=-csearch_path%3DNAME to the URL"));
            }
            pg::create_schema(&self.conn)?;
            let store_id = audit_key::new_store_id();
            let key = audit_key::for_new_store(self.conn.audit_keys(), &store_id)?;
            self.conn.execute(
                "INSERT INTO meta (name, value) VALUES ('store_id', ?1), ('audit_key_check', ?2)",
                [&store_id, &key.check_value()],
            )?;
            audit::append_anchor(&self.conn, &key, &store_id, crate::time::now())?;
            Ok(Some((store_id, key)))
        })();
        match created {
            Ok(Some(new)) => {
                self.pg_new = Some(new);
                Ok(())
            }
            Ok(None) => {
                self.conn.execute_batch("ROLLBACK")?;
                let display = self.path.display().to_string();
                pg::ensure_exact(&self.conn, &format!("store {display}"))?;
                identity::remember_for(&display, &self.conn);
                Ok(())
            }
            Err(e) => {
                let _ = self.conn.execute_batch("ROLLBACK");
                Err(e)
            }
        }
    }

    /// Runs `f` inside the transaction that creates a new PostgreSQL store, saving its audit
    /// key before the commit.
    fn write_new_pg<T>(&mut self, f: impl FnOnce(&Conn) -> Result<T>) -> Result<T> {
        let Some((id, key)) = self.pg_new.take() else {
            return Err(Error::failure("internal error: no PostgreSQL store being created"));
        };
        // The key is saved before `f` runs: a command that delivers a secret inside `f` must
        // not do so for a store whose trail could never be verified.
        let source = match audit_key::persist(self.conn.audit_keys(), &id, &key) {
            Ok(source) => source,
            Err(e) => {
                let _ = self.conn.execute_batch("ROLLBACK");
                return Err(e);
            }
        };
        let outcome = (|| {
            let value = f(&self.conn).inspect_err(|_| audit_key::forget(self.conn.audit_keys(), &id, source))?;
            // A failed COMMIT may still have committed (the connection dropped after the
            // server did): the key is kept, never forgotten, in that case.
            self.conn.execute_batch("COMMIT")?;
            Ok(value)
        })();
        match outcome {
            Ok(value) => {
                identity::remember_for(&self.path.display().to_string(), &self.conn);
                Ok(value)
            }
            Err(e) => {
                let _ = self.conn.execute_batch("ROLLBACK");
                Err(e)
            }
        }
    }

    fn bring_up_to_date(&mut self) -> Result<()> {
        // Read the version and the schema before any pragma that writes, so a refused store
        // stays byte-for-byte intact.
        let version: i64 = self
            .sqlite()?
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| open_error(&self.path, e))?;
        check_version(version, &self.path)?;
        schema::ensure_exact(&self.conn, version, &format!("store {}", self.path.display()))?;
        let on_disk = self.pending.is_none();
        let recorded = if on_disk { identity::recorded(&self.path) } else { None };
        if on_disk {
            self.check_identity(version, recorded.as_deref())?;
        }
        self.sqlite()?.pragma_update(None, "foreign_keys", "ON")?;
        if version < SCHEMA_VERSION {
            // WAL is persistent in the file header: set it once, when the store is created or upgraded.
            self.sqlite()?
                .pragma_update(None, "journal_mode", "WAL")
                .map_err(|e| open_error(&self.path, e))?;
        }
        self.sqlite()?.pragma_update(None, "synchronous", "FULL")?;
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
        let in_memory = self.sqlite()?.path().is_none_or(str::is_empty);
        let tx = self.conn.begin(TxKind::Write)?;
        // Re-read inside the lock: another process may have migrated meanwhile.
        let version: i64 = tx.query_row("PRAGMA user_version", (), |r| r.get(0))?;
        check_version(version, &path)?;
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            tx.execute_batch(sql)?;
            tx.execute_batch(&format!("PRAGMA user_version = {}", i + 1))?;
        }
        // Keying the trail reads every key with this binary's columns, so it runs once all
        // migrations have.
        let mut identity = None;
        if version < KEYED_SINCE {
            let store_id = audit_key::new_store_id();
            let key = audit_key::for_new_store(tx.audit_keys(), &store_id)?;
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
                audit_key::persist(tx.audit_keys(), &store_id, &key)?;
            }
            _ => {}
        }
        tx.commit()?;
        Ok(())
    }

    /// Runs `f` in one `BEGIN IMMEDIATE` transaction; commits only if it returns `Ok`.
    /// The first commit of a new store publishes it at its path.
    /// Secrets marked `--retire-when-quiet` that are due retire first, in the same transaction.
    pub fn write<T>(&mut self, f: impl FnOnce(&Conn) -> Result<T>) -> Result<T> {
        if self.pg_new.is_some() {
            return self.write_new_pg(f);
        }
        // A new store's key is saved, and its path checked, before the write runs: a command
        // that delivers a secret inside `f` must not do so for a store that cannot be created.
        let saved = self.prepare_publish()?;
        let outcome = (|| {
            let tx = self.conn.begin(TxKind::Write)?;
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
                    audit_key::forget(self.conn.audit_keys(), &id, source);
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
        let source = audit_key::persist(self.conn.audit_keys(), id, key)?;
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
        let keys = self.conn.audit_keys().clone();
        // Close the staged connection first: its WAL is checkpointed and removed.
        let staged = std::mem::replace(&mut self.conn, Conn::open_in_memory()?);
        if let Some(staged) = staged.into_sqlite() {
            staged.close().map_err(|(_, e)| Error::from(e))?;
        }
        let saved = match &pending.identity {
            Some((id, key)) => Some((id.clone(), audit_key::persist(&keys, id, key)?)),
            None => pending.saved.clone(),
        };
        if pending.create_parent {
            if let Some(dir) = self.path.parent() {
                let _ = private_fs::create_dir_all(dir);
            }
        }
        if let Err(e) = pending.staging.publish(STAGED, &self.path) {
            if let Some((id, source)) = saved {
                audit_key::forget(&keys, &id, source);
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
        let conn = open_conn(&self.path)?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        self.conn = Conn::sqlite(conn).with_audit_keys(keys);
        self.remember_identity();
        Ok(())
    }

    /// Replaces the whole content of this store with `source`'s, in one step, so a crash
    /// leaves either the old or the new content.
    pub fn replace_with(&mut self, source: &Conn) -> Result<()> {
        use rusqlite::backup::{Backup, StepResult};
        {
            let (Some(source), Some(target)) = (source.as_sqlite(), self.conn.as_sqlite_mut()) else {
                return Err(
                    Error::store("restore replaces a SQLite store from a SQLite file").hint("use `smsctl store copy` for PostgreSQL")
                );
            };
            let backup = Backup::new(source, target)?;
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

    pub fn conn(&self) -> &Conn {
        &self.conn
    }

    /// The SQLite connection underneath (only SQLite stores reach the code that needs it).
    fn sqlite(&self) -> Result<&Connection> {
        self.conn
            .as_sqlite()
            .ok_or_else(|| Error::failure("internal error: a SQLite operation on a PostgreSQL store"))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether the store exists only in memory or staging (nothing at its path yet).
    pub fn is_new(&self) -> bool {
        self.pending.is_some() || self.pg_new.is_some() || self.conn.as_sqlite().is_some_and(|c| c.path().is_none_or(str::is_empty))
    }
}

/// The schema version a store records (`PRAGMA user_version`; PostgreSQL's `schema_version`).
pub fn user_version(conn: &Conn) -> Result<i64> {
    if conn.backend() == Backend::Postgres {
        return Ok(pg::version(conn)?.unwrap_or(0));
    }
    Ok(conn.query_row("PRAGMA user_version", (), |r| r.get(0))?)
}

/// Changes whenever another connection commits to the store (`PRAGMA data_version`): how the
/// gateway's key cache notices a change made by the CLI.
pub fn data_version(conn: &Conn) -> Result<i64> {
    Ok(conn.query_row("PRAGMA data_version", (), |r| r.get(0))?)
}

/// What [`integrity`] says of a PostgreSQL store: the server keeps its own pages
/// consistent (WAL, page checksums when enabled); smsctl has no check of its own to run.
pub const NOT_APPLICABLE: &str = "not applicable";

/// Copies committed WAL frames into the database file without waiting on readers; returns
/// how many frames the WAL holds (0 on PostgreSQL, whose server manages its own WAL).
pub fn checkpoint(conn: &Conn) -> Result<i64> {
    if conn.backend() == Backend::Postgres {
        return Ok(0);
    }
    Ok(conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", (), |r| r.get(1))?)
}

/// SQLite's own consistency check: `ok`, or what it found. `quick` skips the index checks.
pub fn integrity(conn: &Conn, quick: bool) -> Result<String> {
    if conn.backend() == Backend::Postgres {
        return Ok(NOT_APPLICABLE.to_owned());
    }
    let pragma = if quick { "PRAGMA quick_check" } else { "PRAGMA integrity_check" };
    Ok(conn.query_row(pragma, (), |r| r.get(0))?)
}

/// Writes a consistent copy of the whole store behind `conn` to `target`, a path that must
/// not exist (`VACUUM INTO`).
pub fn copy_to(conn: &Conn, target: &Path) -> Result<()> {
    if conn.backend() == Backend::Postgres {
        copy::to_sqlite_file(conn, target)?;
        return Ok(());
    }
    let target = target.to_str().ok_or_else(|| Error::usage("the backup path is not valid UTF-8"))?;
    conn.execute("VACUUM INTO ?1", [target])?;
    Ok(())
}

/// Which store id was last seen at which path: `<config dir>/smsctl/stores/<hash of the
/// path>`, private to the user, outside the store so that replacing the file cannot change it.
mod identity {
    use std::path::{Path, PathBuf};

    fn record_path(store: &Path) -> Option<PathBuf> {
        let canonical = std::fs::canonicalize(store).ok()?;
        record_path_for(canonical.as_os_str().as_encoded_bytes())
    }

    /// The record for `what`: a canonical file path, or `pg:` and a URL without its password.
    fn record_path_for(what: &[u8]) -> Option<PathBuf> {
        use etcetera::BaseStrategy;
        use sha2::Digest;
        let digest = sha2::Sha256::digest(what);
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

    pub(super) fn recorded(store: &Path) -> Option<String> {
        read(&record_path(store)?)
    }

    fn read(record: &Path) -> Option<String> {
        let text = std::fs::read_to_string(record).ok()?;
        let id = text.trim().to_owned();
        super::audit_key::is_store_id(&id).then_some(id)
    }

    /// The store id last seen behind a PostgreSQL URL (`display`, without its password).
    pub(super) fn recorded_for(display: &str) -> Option<String> {
        read(&record_path_for(format!("pg:{display}").as_bytes())?)
    }

    pub(super) fn remember_for(display: &str, conn: &super::Conn) {
        if let (Some(path), Ok(Some((id, _)))) = (
            record_path_for(format!("pg:{display}").as_bytes()),
            super::audit_key::store_identity(conn),
        ) {
            write(&path, &id);
        }
    }

    pub(super) fn record(store: &Path, id: &str) {
        if let Some(path) = record_path(store) {
            write(&path, id);
        }
    }

    fn write(path: &Path, id: &str) {
        if read(path).as_deref() == Some(id) {
            return;
        }
        let Some(dir) = path.parent() else {
            return;
        };
        if crate::private_fs::create_dir_all(dir).is_err() {
            return;
        }
        // Written beside and renamed over: a reader sees the old record or the new one. The
        // temporary name is this write's own (process and sequence), so two threads recording
        // two stores never rename one another's file into place.
        static SEQ: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let seq = SEQ.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let tmp = dir.join(format!(".{}-{seq}.tmp", std::process::id()));
        let _ = std::fs::remove_file(&tmp);
        let written = crate::private_fs::create_new(&tmp).and_then(|mut f| std::io::Write::write_all(&mut f, format!("{id}\n").as_bytes()));
        if written.is_ok() {
            let _ = std::fs::rename(&tmp, path);
        } else {
            let _ = std::fs::remove_file(&tmp);
        }
    }

    #[cfg(test)]
    mod tests {
        /// Threads of one process recording different stores in one directory each end with
        /// their own id (they once shared a temporary name, and one renamed another's record
        /// into place: the next open then called the store replaced).
        #[test]
        fn concurrent_records_in_one_process_keep_their_own_ids() {
            let dir = tempfile::tempdir().unwrap();
            let threads: Vec<_> = (0..8)
                .map(|t| {
                    let dir = dir.path().to_owned();
                    std::thread::spawn(move || {
                        for round in 0..40 {
                            let path = dir.join(format!("record-{t}"));
                            let id = super::super::audit_key::new_store_id();
                            super::write(&path, &id);
                            assert_eq!(super::read(&path).as_deref(), Some(id.as_str()), "thread {t}, round {round}");
                        }
                    })
                })
                .collect();
            for t in threads {
                t.join().unwrap();
            }
        }
    }
}

/// As [`remember_identity_at`], for either backend's location.
pub fn remember_location(db: &Path, conn: &Conn) {
    match pg_url(db) {
        Some(url) => identity::remember_for(&pg::redact(url), conn),
        None => remember_identity_at(db, conn),
    }
}

/// Records `path` as holding the store whose identity `conn` has (after `restore`).
pub fn remember_identity_at(path: &Path, conn: &Conn) {
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

pub(crate) fn busy_timeout_ms() -> Result<u64> {
    Ok(crate::env::Env::process().busy_timeout_ms()?.unwrap_or(DEFAULT_BUSY_TIMEOUT_MS))
}

/// The URL, when `--db` / `SMSCTL_DB` names a PostgreSQL server.
pub fn pg_url(db: &Path) -> Option<&str> {
    db.to_str().filter(|s| pg::is_url(s))
}

/// Opens whatever store is at `db` with no checks and no migration, to inspect it
/// (`doctor`, `paths`): a SQLite file read-only, or a PostgreSQL connection.
pub fn inspect_location(db: &Path) -> Result<Conn> {
    match pg_url(db) {
        Some(url) => pg::Target::parse(url)?.connect(),
        None => Store::inspect(db),
    }
}

/// Whether a store exists at `db`: a file, or a database holding smsctl's schema. A server
/// that cannot be reached is an error (exit 7), not "no store".
pub fn location_exists(db: &Path) -> Result<bool> {
    match pg_url(db) {
        Some(_) => Ok(pg::version(&inspect_location(db)?)?.is_some()),
        None => Ok(std::fs::symlink_metadata(db).is_ok()),
    }
}

/// How the schema behind `conn` differs from what its `version` should have, on either backend.
pub fn schema_deviations(conn: &Conn, version: i64) -> Result<Vec<schema::Deviation>> {
    match conn.backend() {
        Backend::Sqlite => schema::deviations(conn, version),
        Backend::Postgres => Ok(pg::deviations_at(&pg::describe(conn)?, version)),
    }
}

/// How messages name a store location: a path, or a URL without its password.
pub fn display_location(db: &Path) -> String {
    match pg_url(db) {
        Some(url) => pg::redact(url),
        None => db.display().to_string(),
    }
}

/// The default store location: the platform data directory (e.g. `~/.local/share/smsctl/smsctl.db`).
pub fn default_path() -> Result<PathBuf> {
    use etcetera::BaseStrategy;
    let strategy = etcetera::choose_base_strategy()
        .map_err(|e| Error::store(format!("cannot find a data directory: {e}")).hint("pass --db PATH or set SMSCTL_DB"))?;
    Ok(strategy.data_dir().join("smsctl").join("smsctl.db"))
}
