//! Dynamic shell completion: key names offered where a KEY is expected.
//! Enabled with `source <(SMSCTL_COMPLETE=bash smsctl)` (or zsh/fish/elvish/powershell).

use clap_complete::engine::CompletionCandidate;
use rusqlite::{Connection, OpenFlags};

/// The environment variable the shell integration sets.
pub const ENV_VAR: &str = crate::env::COMPLETE;

/// The names of the store's keys that are not revoked, each with its status as help.
/// Completion must never fail loudly: any problem yields no candidates.
pub fn key_names() -> Vec<CompletionCandidate> {
    let path = match std::env::var_os(crate::env::DB) {
        Some(p) => std::path::PathBuf::from(p),
        None => match crate::store::default_path() {
            Ok(p) => p,
            Err(_) => return vec![],
        },
    };
    // Read-only and without migrations: pressing TAB must never change a store.
    let conn = match crate::store::pg_url(&path) {
        Some(_) => match crate::store::inspect_location(&path) {
            Ok(conn) => conn,
            Err(_) => return vec![],
        },
        None => match Connection::open_with_flags(&path, OpenFlags::SQLITE_OPEN_READ_ONLY) {
            Ok(conn) => crate::store::Conn::sqlite(conn),
            Err(_) => return vec![],
        },
    };
    let now = crate::time::now();
    crate::store::keys::list(&conn, false)
        .unwrap_or_default()
        .into_iter()
        .map(|k| {
            let help = match &k.description {
                Some(d) => format!("{} — {d}", k.status(now).as_str()),
                None => k.status(now).as_str().to_owned(),
            };
            CompletionCandidate::new(k.name).help(Some(help.into()))
        })
        .collect()
}
