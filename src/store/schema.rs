//! The exact schema: a store holds the tables, indexes, triggers and views its migrations
//! create, and nothing else. A planted trigger or view could rewrite what smsctl stores (a
//! trigger that un-revokes a key after its audit row), so anything extra, missing or altered
//! is refused before the store is used.

use std::sync::OnceLock;

use rusqlite::Connection;
use serde::Serialize;

use crate::error::{Error, Result};

/// One object in `sqlite_master`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Object {
    kind: String,
    name: String,
    table: String,
    sql: Option<String>,
}

/// How a store's schema differs from what its version should have.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Deviation {
    /// `table`, `index`, `trigger` or `view`.
    pub kind: String,
    pub name: String,
    /// `extra`, `missing` or `altered`.
    pub problem: &'static str,
}

impl Deviation {
    pub fn describe(&self) -> String {
        let what = match self.problem {
            "extra" => "is not part of smsctl's schema",
            "missing" => "is missing",
            _ => "differs from smsctl's definition",
        };
        format!("{} '{}' {what}", self.kind, crate::printable::escape_controls(&self.name))
    }
}

/// ANALYZE's statistics tables: optional and inert, the only objects not compared. Exact
/// names: a pattern would let a trigger named like them pass unseen.
const INERT: &[&str] = &["sqlite_stat1", "sqlite_stat4"];

fn objects(conn: &Connection) -> rusqlite::Result<Vec<Object>> {
    let mut stmt = conn.prepare("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name")?;
    let rows = stmt.query_map([], |r| {
        Ok(Object {
            kind: r.get(0)?,
            name: r.get(1)?,
            table: r.get(2)?,
            sql: r.get(3)?,
        })
    })?;
    let all: Vec<Object> = rows.collect::<rusqlite::Result<_>>()?;
    Ok(all
        .into_iter()
        .filter(|o| !(o.kind == "table" && INERT.contains(&o.name.as_str())))
        .collect())
}

/// What the first `version` migrations create, computed once per process in memory.
fn expected(version: usize) -> Result<&'static [Object]> {
    static CACHE: OnceLock<Vec<Vec<Object>>> = OnceLock::new();
    if CACHE.get().is_none() {
        let mut all = Vec::with_capacity(super::MIGRATIONS.len() + 1);
        let conn = Connection::open_in_memory()?;
        all.push(objects(&conn)?);
        for sql in super::MIGRATIONS {
            conn.execute_batch(sql)?;
            all.push(objects(&conn)?);
        }
        let _ = CACHE.set(all);
    }
    CACHE
        .get()
        .and_then(|all| all.get(version))
        .map(Vec::as_slice)
        .ok_or_else(|| Error::store(format!("no schema is known for version {version}")))
}

/// Every difference between `conn`'s schema and that of `version`.
pub fn deviations(conn: &Connection, version: i64) -> Result<Vec<Deviation>> {
    let want = expected(usize::try_from(version).unwrap_or(usize::MAX))?;
    let have = objects(conn)?;
    let mut out = Vec::new();
    for h in &have {
        match want.iter().find(|w| w.kind == h.kind && w.name == h.name) {
            None => out.push(Deviation {
                kind: h.kind.clone(),
                name: h.name.clone(),
                problem: "extra",
            }),
            Some(w) if w != h => out.push(Deviation {
                kind: h.kind.clone(),
                name: h.name.clone(),
                problem: "altered",
            }),
            Some(_) => {}
        }
    }
    for w in want {
        if !have.iter().any(|h| h.kind == w.kind && h.name == w.name) {
            out.push(Deviation {
                kind: w.kind.clone(),
                name: w.name.clone(),
                problem: "missing",
            });
        }
    }
    Ok(out)
}

/// Refuses (exit 7) a store whose schema is not exactly its version's.
pub fn ensure_exact(conn: &Connection, version: i64, what: &str) -> Result<()> {
    let found = deviations(conn, version)?;
    if found.is_empty() {
        return Ok(());
    }
    let list = found.iter().map(Deviation::describe).collect::<Vec<_>>().join("; ");
    Err(Error::store(format!("{what} has a schema smsctl did not create: {list}"))
        .hint("someone changed the store's schema; nothing was written. Run `smsctl doctor` for the list, and restore a backup you trust"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn migrated() -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        for sql in super::super::MIGRATIONS {
            conn.execute_batch(sql).unwrap();
        }
        conn
    }

    #[test]
    fn a_migrated_store_is_exact() {
        let conn = migrated();
        assert_eq!(deviations(&conn, super::super::SCHEMA_VERSION).unwrap(), vec![]);
    }

    #[test]
    fn objects_named_like_statistics_are_still_compared() {
        let conn = migrated();
        conn.execute_batch("CREATE TRIGGER sqlite1stat_x AFTER INSERT ON audit BEGIN UPDATE keys SET revoked_at = NULL; END;")
            .unwrap();
        let found = deviations(&conn, super::super::SCHEMA_VERSION).unwrap();
        assert!(found.iter().any(|d| d.name == "sqlite1stat_x" && d.problem == "extra"), "{found:?}");
        conn.execute_batch("ANALYZE").unwrap();
        let found = deviations(&conn, super::super::SCHEMA_VERSION).unwrap();
        assert!(!found.iter().any(|d| d.name == "sqlite_stat1"), "{found:?}");
    }

    #[test]
    fn extra_missing_and_altered_objects_are_named() {
        let conn = migrated();
        conn.execute_batch(
            "CREATE TRIGGER unrevoke AFTER INSERT ON audit BEGIN UPDATE keys SET revoked_at = NULL; END;
             CREATE VIEW v AS SELECT 1; DROP INDEX audit_key; DROP INDEX messages_key;
             CREATE INDEX messages_key ON messages (recipient);",
        )
        .unwrap();
        let mut found = deviations(&conn, super::super::SCHEMA_VERSION).unwrap();
        found.sort_by(|a, b| a.name.cmp(&b.name));
        let got: Vec<_> = found.iter().map(|d| (d.kind.as_str(), d.name.as_str(), d.problem)).collect();
        assert_eq!(
            got,
            vec![
                ("index", "audit_key", "missing"),
                ("index", "messages_key", "altered"),
                ("trigger", "unrevoke", "extra"),
                ("view", "v", "extra")
            ]
        );
    }
}
