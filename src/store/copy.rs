//! Moving a whole store between backends, row for row: `smsctl store copy`, `backup` of a
//! PostgreSQL store (always a SQLite file) and `restore` into PostgreSQL.

use std::path::Path;

use serde::Serialize;

use super::db::{Backend, Conn, TxKind, Value};
use super::{MIGRATIONS, SCHEMA_VERSION};
use crate::error::{Error, Result};

/// Every table of a store, parents before children (secrets reference keys).
pub const TABLES: &[&str] = &[
    "meta",
    "keys",
    "secrets",
    "audit",
    "messages",
    "message_events",
    "usage_daily",
    "rate_buckets",
    "auth_failures",
    "replacements",
    "relay_signing",
    "idempotency",
    "relay_state",
];

/// Tables whose `id` the database assigns (SQLite's rowid; PostgreSQL's identity columns).
const IDENTITY: &[&str] = &["secrets", "messages", "message_events"];

/// How many rows a table holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TableCount {
    pub table: &'static str,
    pub rows: i64,
}

/// The row count of every table.
pub fn counts(conn: &Conn) -> Result<Vec<TableCount>> {
    TABLES
        .iter()
        .map(|&table| {
            let rows = conn.query_row(&format!("SELECT count(*) FROM {table}"), (), |r| r.get(0))?;
            Ok(TableCount { table, rows })
        })
        .collect()
}

/// Copies every row of every table from `from` to `to` (whose tables must be empty), in
/// the caller's transactions. Returns the counts copied.
pub fn copy_rows(from: &Conn, to: &Conn) -> Result<Vec<TableCount>> {
    let mut copied = Vec::new();
    for &table in TABLES {
        let mut select = from.prepare(&format!("SELECT * FROM {table} ORDER BY 1"))?;
        let columns = select.column_names()?;
        let rows: Vec<Vec<Value>> = select
            .query_map((), |r| (0..r.column_count()).map(|i| r.value(i)).collect())?
            .collect::<super::db::Result<_>>()?;
        let placeholders: Vec<String> = (1..=columns.len()).map(|i| format!("?{i}")).collect();
        let insert = format!("INSERT INTO {table} ({}) VALUES ({})", columns.join(", "), placeholders.join(", "));
        let mut stmt = to.prepare(&insert)?;
        for row in &rows {
            stmt.execute(row.as_slice())?;
        }
        copied.push(TableCount {
            table,
            rows: rows.len() as i64,
        });
    }
    if to.backend() == Backend::Postgres {
        reset_identities(to)?;
    }
    Ok(copied)
}

/// After rows were inserted with their ids, PostgreSQL's identity sequences continue after
/// the largest.
fn reset_identities(conn: &Conn) -> Result<()> {
    for table in IDENTITY {
        conn.execute_batch(&format!(
            "SELECT setval(pg_get_serial_sequence('{table}', 'id'), coalesce((SELECT max(id) FROM {table}), 0) + 1, false)"
        ))?;
    }
    Ok(())
}

/// Deletes every row of every table (children first), in the caller's transaction.
pub fn clear(conn: &Conn) -> Result<()> {
    for table in TABLES.iter().rev() {
        conn.execute(&format!("DELETE FROM {table}"), ())?;
    }
    Ok(())
}

/// A new SQLite file at `path` (which must not exist) with the current schema and no rows.
pub fn new_sqlite(path: &Path) -> Result<Conn> {
    new_sqlite_at(path, SCHEMA_VERSION)
}

/// [`new_sqlite`] at schema `version` (the first `version` migrations).
fn new_sqlite_at(path: &Path, version: i64) -> Result<Conn> {
    crate::private_fs::create_new(path).map_err(|e| Error::store(format!("cannot create {}: {e}", path.display())))?;
    let conn = rusqlite::Connection::open(path)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    let conn = Conn::sqlite(conn);
    let tx = conn.begin(TxKind::Write)?;
    for sql in MIGRATIONS.iter().take(usize::try_from(version).unwrap_or(0)) {
        tx.execute_batch(sql)?;
    }
    tx.execute_batch(&format!("PRAGMA user_version = {version}"))?;
    tx.commit()?;
    Ok(conn)
}

/// Writes the whole store behind `conn` into the new SQLite file `target`, from one
/// consistent snapshot, at the store's own schema version (an older store, such as the one a
/// `restore` saves before replacing it, is copied as it is; opening the file upgrades it).
pub fn to_sqlite_file(conn: &Conn, target: &Path) -> Result<Vec<TableCount>> {
    let version = super::user_version(conn)?;
    if !(1..=SCHEMA_VERSION).contains(&version) {
        return Err(Error::store(format!(
            "the store has schema {version}; copying needs schema 1 to {SCHEMA_VERSION}"
        ))
        .hint("a store from a newer smsctl is copied by that smsctl"));
    }
    let dest = new_sqlite_at(target, version)?;
    let snapshot = conn.begin(TxKind::Read)?;
    let tx = dest.begin(TxKind::Write)?;
    let copied = copy_rows(&snapshot, &tx)?;
    tx.commit()?;
    snapshot.commit()?;
    if let Some(c) = dest.into_sqlite() {
        c.close().map_err(|(_, e)| Error::from(e))?;
    }
    Ok(copied)
}

/// What [`replace_pg`] may find at the destination.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Destination {
    /// `store copy`: an empty database only.
    MustBeEmpty,
    /// `restore`: an existing store is replaced, whatever was planted in it.
    Replace,
}

/// Makes the PostgreSQL database behind `to` hold exactly `from`'s store, in one transaction
/// under the write lock: smsctl's tables are dropped (and with them any trigger, rule or
/// policy planted on them), the schema is created anew, every row is copied from one
/// snapshot, and nothing commits unless the result has exactly smsctl's schema, the same
/// row counts as the snapshot, and passes `check` (the audit chain). Returns the counts.
pub fn replace_pg(from: &Conn, to: &Conn, dest: Destination, check: impl FnOnce(&Conn) -> Result<()>) -> Result<Vec<TableCount>> {
    let tx = to.begin(TxKind::Write)?;
    match (super::pg::version(&tx)?, dest) {
        (Some(_), Destination::MustBeEmpty) => {
            return Err(Error::usage("the destination database already holds an smsctl store")
                .hint("copy into a new, empty database (createdb NAME); nothing was copied"));
        }
        (Some(_), Destination::Replace) => super::pg::drop_schema(&tx)?,
        (None, _) => {}
    }
    if super::pg::object_count(&tx)? > 0 {
        return Err(Error::usage("the destination database holds tables smsctl did not create")
            .hint("use a new, empty database (createdb NAME), or a schema of its own; nothing was changed"));
    }
    super::pg::create_schema(&tx)?;
    let snapshot = from.begin(TxKind::Read)?;
    let copied = copy_rows(&snapshot, &tx)?;
    snapshot.commit()?;
    super::pg::ensure_exact(&tx, "the destination")?;
    if counts(&tx)? != copied {
        return Err(Error::failure("the copy does not hold the rows it was given; nothing was changed"));
    }
    check(&tx)?;
    tx.commit()?;
    to.clear_statement_cache();
    Ok(copied)
}
