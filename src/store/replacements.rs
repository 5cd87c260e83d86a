//! The account's (store-wide) replacement table for autoconvert `on`: `smsctl replace ...`.

use crate::params;
use crate::store::db::Conn;

use crate::error::Result;
use crate::text::{AccountTable, ReplaceTable, Replacements};

pub fn load(conn: &Conn) -> Result<AccountTable> {
    // Cached: the gateway reads the table for every accepted message.
    let mut stmt = conn.prepare_cached("SELECT from_text, to_text FROM replacements ORDER BY from_text")?;
    let rows = stmt
        .query_map((), |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<crate::store::db::Result<AccountTable>>()?;
    Ok(rows)
}

/// The table `on` mode applies for a key: the account's entries, the key's overriding them.
pub fn effective(conn: &Conn, key: &ReplaceTable) -> Result<Replacements> {
    Ok(Replacements::new(&load(conn)?, key))
}

/// Adds or replaces one entry; returns the previous TO, if any.
pub fn set(conn: &Conn, from: &str, to: &str) -> Result<Option<String>> {
    let before = load(conn)?.remove(from);
    conn.execute(
        "INSERT INTO replacements (from_text, to_text) VALUES (?1, ?2)
         ON CONFLICT (from_text) DO UPDATE SET to_text = excluded.to_text",
        params![from, to],
    )?;
    Ok(before)
}

/// Removes one entry; returns its TO, or `None` when there was none.
pub fn remove(conn: &Conn, from: &str) -> Result<Option<String>> {
    let before = load(conn)?.remove(from);
    conn.execute("DELETE FROM replacements WHERE from_text = ?1", [from])?;
    Ok(before)
}

/// Removes every entry; returns how many there were.
pub fn clear(conn: &Conn) -> Result<usize> {
    Ok(conn.execute("DELETE FROM replacements", ())?)
}
