//! The one error type: every failure knows its exit code and, where there is a fix, a hint.

use std::fmt;

/// Exit codes, as documented in `docs/exit-codes.md`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// 1: the command ran but the outcome is a failure (e.g. a CI gate).
    Failure,
    /// 2: usage or invalid input.
    Usage,
    /// 3: the named key (or record) does not exist.
    NotFound,
    /// 4: conflicts with the current state (name taken, grace in progress).
    Conflict,
    /// 5: rejected (auth, whitelist, revoked, expired).
    Rejected,
    /// 6: network or remote API failure.
    Network,
    /// 7: the store is locked, corrupt, unreadable or too new.
    Store,
    /// 130: interrupted at a prompt (Ctrl-C), as a shell reports SIGINT.
    Interrupted,
}

impl Kind {
    /// The name `--json` errors carry as `kind`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Failure => "failure",
            Kind::Usage => "usage",
            Kind::NotFound => "not_found",
            Kind::Conflict => "conflict",
            Kind::Rejected => "rejected",
            Kind::Network => "network",
            Kind::Store => "store",
            Kind::Interrupted => "interrupted",
        }
    }

    pub fn exit_code(self) -> u8 {
        match self {
            Kind::Failure => 1,
            Kind::Usage => 2,
            Kind::NotFound => 3,
            Kind::Conflict => 4,
            Kind::Rejected => 5,
            Kind::Network => 6,
            Kind::Store => 7,
            Kind::Interrupted => 130,
        }
    }
}

#[derive(Debug)]
pub struct Error {
    pub kind: Kind,
    pub message: String,
    pub hint: Option<String>,
    /// Machine-readable reason (e.g. `grace_ended`) for callers that report it.
    pub reason: Option<&'static str>,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn new(kind: Kind, message: impl Into<String>) -> Self {
        Error {
            kind,
            message: message.into(),
            hint: None,
            reason: None,
        }
    }
    pub fn usage(message: impl Into<String>) -> Self {
        Self::new(Kind::Usage, message)
    }
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(Kind::NotFound, message)
    }
    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(Kind::Conflict, message)
    }
    pub fn rejected(message: impl Into<String>) -> Self {
        Self::new(Kind::Rejected, message)
    }
    pub fn network(message: impl Into<String>) -> Self {
        Self::new(Kind::Network, message)
    }
    pub fn store(message: impl Into<String>) -> Self {
        Self::new(Kind::Store, message)
    }
    pub fn failure(message: impl Into<String>) -> Self {
        Self::new(Kind::Failure, message)
    }
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
    pub fn reason(mut self, reason: &'static str) -> Self {
        self.reason = Some(reason);
        self
    }
    pub fn exit_code(&self) -> u8 {
        self.kind.exit_code()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

impl From<rusqlite::Error> for Error {
    fn from(err: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode;
        match err.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy) | Some(ErrorCode::DatabaseLocked) => {
                Error::store("store busy: another process held the store's lock longer than the busy timeout")
                    .hint("retry the command; raise SMSCTL_BUSY_TIMEOUT_MS if this persists")
            }
            Some(ErrorCode::NotADatabase) | Some(ErrorCode::DatabaseCorrupt) => {
                Error::store(format!("store is not a valid smsctl database: {err}"))
                    .hint("check --db / SMSCTL_DB; restore from a backup if the file is damaged")
            }
            Some(ErrorCode::ReadOnly) | Some(ErrorCode::CannotOpen) | Some(ErrorCode::PermissionDenied) => {
                Error::store(format!("cannot write the store: {err}")).hint("check the permissions of the store file and its directory")
            }
            _ => Error::store(format!("store error: {err}")),
        }
    }
}

impl From<crate::store::db::DbError> for Error {
    fn from(err: crate::store::db::DbError) -> Self {
        use crate::store::db::DbError;
        match err {
            DbError::Sqlite(e) => e.into(),
            DbError::Pg(e) => crate::store::pg::error(&e),
            DbError::NoRows => Error::store("store error: a row smsctl expected is missing"),
            DbError::Conversion { column, name, message } => {
                let column = name.unwrap_or_else(|| column.to_string());
                Error::store(format!("store holds a value smsctl cannot read (column {column}): {message}"))
                    .hint("run `smsctl doctor`; restore from a backup if the store was edited by hand")
            }
        }
    }
}

impl From<serde_json::Error> for Error {
    fn from(err: serde_json::Error) -> Self {
        Error::store(format!("corrupt JSON in the store: {err}"))
    }
}
