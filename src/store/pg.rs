//! The PostgreSQL backend: connecting from a `postgres://` URL, errors, and what differs
//! from SQLite (schema version, exact-schema check, change notifications).

use crate::error::Error;

/// What a PostgreSQL failure means for the operator: every one is a store error (exit 7),
/// with a hint for the common causes.
pub fn error(e: &postgres::Error) -> Error {
    let code = e.code().map(|c| c.code().to_owned());
    let detail = match e.as_db_error() {
        Some(db) => db.message().to_owned(),
        None => e.to_string(),
    };
    match code.as_deref() {
        Some("28P01") | Some("28000") => Error::store(format!("PostgreSQL refused the login: {detail}"))
            .hint("check the user and password in the URL (or PGPASSWORD / ~/.pgpass) and pg_hba.conf"),
        Some("3D000") => Error::store(format!("PostgreSQL database does not exist: {detail}")).hint("create it first: createdb NAME"),
        Some("40001") | Some("40P01") => Error::store(format!(
            "PostgreSQL could not serialise this change with a concurrent one: {detail}"
        ))
        .hint("retry the command; nothing was changed"),
        Some("57P01") | Some("57P02") | Some("57P03") => {
            Error::store(format!("PostgreSQL is shutting down or starting: {detail}")).hint("retry once the server is up")
        }
        Some(_) => Error::store(format!("store error: {detail}")),
        None if e.is_closed() => {
            Error::store(format!("the connection to PostgreSQL was lost: {detail}")).hint("check that the server is running; retry")
        }
        None => Error::store(format!("cannot reach PostgreSQL: {detail}"))
            .hint("check the host and port in the URL, and that the server is running and accepts TCP connections"),
    }
}
