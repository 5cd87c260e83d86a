//! One database interface over the two backends: SQLite (rusqlite) and PostgreSQL
//! (rust-postgres). The store's modules write their SQL once, in the common dialect both
//! engines accept (`?N` placeholders are rewritten to `$N` for PostgreSQL), and read columns
//! through [`Row::get`], which converts the same way on both.
//!
//! Values cross the boundary as SQLite's five storage classes ([`Value`]): integers, reals,
//! text, blobs and NULL. The PostgreSQL schema uses `BIGINT`, `TEXT` and `BYTEA` so that
//! every column maps to one of them.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use postgres::types::{IsNull, ToSql, Type};

use super::audit_key::AuditKeys;

/// Which engine a connection talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A connection to either backend. Methods take `&self`, as rusqlite's do, so a transaction
/// can be handed around as a plain `&Conn`.
pub struct Conn {
    inner: Inner,
    /// Where the audit key of the store behind this connection is looked up.
    audit_keys: Arc<AuditKeys>,
}

enum Inner {
    Sqlite(rusqlite::Connection),
    Pg(Box<Pg>),
}

struct Pg {
    client: RefCell<postgres::Client>,
    /// Prepared statements by their (already translated) text.
    statements: RefCell<HashMap<String, postgres::Statement>>,
    /// A new session after the server closed this one (a restart): used only between
    /// transactions, so no statement ever runs outside the transaction it belonged to.
    reconnect: Box<dyn Fn() -> std::result::Result<postgres::Client, postgres::Error> + Send>,
    in_tx: std::cell::Cell<bool>,
}

impl Pg {
    /// The client, reconnected first if the server closed the session outside a transaction.
    fn client(&self) -> Result<std::cell::RefMut<'_, postgres::Client>> {
        if !self.in_tx.get() && self.client.borrow().is_closed() {
            let fresh = (self.reconnect)()?;
            *self.client.borrow_mut() = fresh;
            self.statements.borrow_mut().clear();
        }
        Ok(self.client.borrow_mut())
    }

    /// Tracks BEGIN / COMMIT / ROLLBACK sent as text.
    fn note_tx(&self, sql: &str) {
        let head = sql.trim_start().get(..8).unwrap_or("").to_ascii_uppercase();
        if head.starts_with("BEGIN") {
            self.in_tx.set(true);
        } else if head.starts_with("COMMIT") || head.starts_with("ROLLBACK") {
            self.in_tx.set(false);
        }
    }
}

/// An owned column value, in SQLite's storage classes.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

/// A borrowed parameter value.
#[derive(Debug, Clone, Copy)]
pub enum Param<'a> {
    Null,
    Int(i64),
    Real(f64),
    Text(&'a str),
    Blob(&'a [u8]),
}

/// What the database layer can fail with.
#[derive(Debug)]
pub enum DbError {
    Sqlite(rusqlite::Error),
    Pg(postgres::Error),
    /// A query that must return a row returned none.
    NoRows,
    /// A column held something its reader cannot use.
    Conversion {
        column: usize,
        /// The column's name, when the row knows it ([`Row::get`] fills it in).
        name: Option<String>,
        message: String,
    },
}

pub type Result<T, E = DbError> = std::result::Result<T, E>;

impl fmt::Display for DbError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DbError::Sqlite(e) => write!(f, "{e}"),
            DbError::Pg(e) => match e.as_db_error() {
                Some(db) => write!(f, "{}: {}", db.severity(), db.message()),
                None => write!(f, "{e}"),
            },
            DbError::NoRows => f.write_str("query returned no rows"),
            DbError::Conversion {
                name: Some(name), message, ..
            } => write!(f, "column {name}: {message}"),
            DbError::Conversion { column, message, .. } => write!(f, "column {column}: {message}"),
        }
    }
}

impl std::error::Error for DbError {}

impl From<rusqlite::Error> for DbError {
    fn from(e: rusqlite::Error) -> DbError {
        match e {
            rusqlite::Error::QueryReturnedNoRows => DbError::NoRows,
            e => DbError::Sqlite(e),
        }
    }
}

impl From<postgres::Error> for DbError {
    fn from(e: postgres::Error) -> DbError {
        DbError::Pg(e)
    }
}

impl DbError {
    /// A value in the store that its reader rejects (bad JSON, an unknown enum name...).
    pub fn conversion(column: usize, message: impl Into<String>) -> DbError {
        DbError::Conversion {
            column,
            name: None,
            message: message.into(),
        }
    }
}

/// `.optional()` on a single-row query, as in rusqlite.
pub trait OptionalExtension<T> {
    fn optional(self) -> Result<Option<T>>;
}

impl<T> OptionalExtension<T> for Result<T> {
    fn optional(self) -> Result<Option<T>> {
        match self {
            Ok(v) => Ok(Some(v)),
            Err(DbError::NoRows) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// Anything that can be bound as a parameter.
pub trait ToParam {
    fn to_param(&self) -> Param<'_>;
}

macro_rules! int_param {
    ($($t:ty),*) => {$(
        impl ToParam for $t {
            fn to_param(&self) -> Param<'_> {
                Param::Int(*self as i64)
            }
        }
    )*};
}
int_param!(i64, i32, i16, u8, u16, u32);

impl ToParam for u64 {
    fn to_param(&self) -> Param<'_> {
        Param::Int(i64::try_from(*self).unwrap_or(i64::MAX))
    }
}

impl ToParam for usize {
    fn to_param(&self) -> Param<'_> {
        Param::Int(i64::try_from(*self).unwrap_or(i64::MAX))
    }
}

impl ToParam for bool {
    fn to_param(&self) -> Param<'_> {
        Param::Int(i64::from(*self))
    }
}

impl ToParam for f64 {
    fn to_param(&self) -> Param<'_> {
        Param::Real(*self)
    }
}

impl ToParam for str {
    fn to_param(&self) -> Param<'_> {
        Param::Text(self)
    }
}

impl ToParam for String {
    fn to_param(&self) -> Param<'_> {
        Param::Text(self)
    }
}

impl ToParam for std::borrow::Cow<'_, str> {
    fn to_param(&self) -> Param<'_> {
        Param::Text(self)
    }
}

impl ToParam for [u8] {
    fn to_param(&self) -> Param<'_> {
        Param::Blob(self)
    }
}

impl ToParam for Vec<u8> {
    fn to_param(&self) -> Param<'_> {
        Param::Blob(self)
    }
}

impl<const N: usize> ToParam for [u8; N] {
    fn to_param(&self) -> Param<'_> {
        Param::Blob(self)
    }
}

impl<T: ToParam> ToParam for Option<T> {
    fn to_param(&self) -> Param<'_> {
        match self {
            Some(v) => v.to_param(),
            None => Param::Null,
        }
    }
}

impl<T: ToParam + ?Sized> ToParam for &T {
    fn to_param(&self) -> Param<'_> {
        (**self).to_param()
    }
}

impl ToParam for Value {
    fn to_param(&self) -> Param<'_> {
        match self {
            Value::Null => Param::Null,
            Value::Int(i) => Param::Int(*i),
            Value::Real(r) => Param::Real(*r),
            Value::Text(s) => Param::Text(s),
            Value::Blob(b) => Param::Blob(b),
        }
    }
}

impl ToParam for Param<'_> {
    fn to_param(&self) -> Param<'_> {
        *self
    }
}

/// A statement's parameters: `()`, an array, a slice, or [`params!`](crate::params).
pub trait Params {
    fn to_params(&self) -> Vec<Param<'_>>;
}

impl Params for () {
    fn to_params(&self) -> Vec<Param<'_>> {
        Vec::new()
    }
}

impl<T: ToParam> Params for [T] {
    fn to_params(&self) -> Vec<Param<'_>> {
        self.iter().map(ToParam::to_param).collect()
    }
}

impl<T: ToParam, const N: usize> Params for [T; N] {
    fn to_params(&self) -> Vec<Param<'_>> {
        self.iter().map(ToParam::to_param).collect()
    }
}

impl<P: Params + ?Sized> Params for &P {
    fn to_params(&self) -> Vec<Param<'_>> {
        (**self).to_params()
    }
}

/// `params![a, b, c]`: parameters of different types, as in rusqlite.
#[macro_export]
macro_rules! params {
    () => { &[] as &[&dyn $crate::store::db::ToParam] };
    ($($p:expr),+ $(,)?) => { &[$(&$p as &dyn $crate::store::db::ToParam),+] as &[&dyn $crate::store::db::ToParam] };
}
pub use crate::params;

impl rusqlite::ToSql for Param<'_> {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef};
        Ok(ToSqlOutput::Borrowed(match *self {
            Param::Null => ValueRef::Null,
            Param::Int(i) => ValueRef::Integer(i),
            Param::Real(r) => ValueRef::Real(r),
            Param::Text(s) => ValueRef::Text(s.as_bytes()),
            Param::Blob(b) => ValueRef::Blob(b),
        }))
    }
}

type BoxError = Box<dyn std::error::Error + Sync + Send>;

impl ToSql for Param<'_> {
    fn to_sql(&self, ty: &Type, out: &mut bytes::BytesMut) -> std::result::Result<IsNull, BoxError> {
        let mismatch = || -> BoxError { format!("cannot bind {self:?} as {ty}").into() };
        match *self {
            Param::Null => Ok(IsNull::Yes),
            Param::Int(i) => match *ty {
                Type::INT8 => i.to_sql(ty, out),
                Type::INT4 => i32::try_from(i).map_err(|_| mismatch())?.to_sql(ty, out),
                Type::INT2 => i16::try_from(i).map_err(|_| mismatch())?.to_sql(ty, out),
                Type::BOOL => (i != 0).to_sql(ty, out),
                Type::FLOAT8 => (i as f64).to_sql(ty, out),
                Type::TEXT | Type::VARCHAR | Type::NAME => i.to_string().as_str().to_sql(ty, out),
                _ => Err(mismatch()),
            },
            Param::Real(r) => match *ty {
                Type::FLOAT8 => r.to_sql(ty, out),
                Type::FLOAT4 => (r as f32).to_sql(ty, out),
                _ => Err(mismatch()),
            },
            Param::Text(s) => match *ty {
                Type::TEXT | Type::VARCHAR | Type::NAME | Type::BPCHAR | Type::UNKNOWN => s.to_sql(ty, out),
                Type::INT8 => s.parse::<i64>().map_err(|_| mismatch())?.to_sql(ty, out),
                _ => Err(mismatch()),
            },
            Param::Blob(b) => match *ty {
                Type::BYTEA => b.to_sql(ty, out),
                _ => Err(mismatch()),
            },
        }
    }

    fn accepts(_: &Type) -> bool {
        // Checked per value in `to_sql`, which knows what it holds.
        true
    }

    postgres::types::to_sql_checked!();
}

/// One result row.
pub struct Row<'a> {
    inner: RowInner<'a>,
}

enum RowInner<'a> {
    Sqlite(&'a rusqlite::Row<'a>),
    Pg(&'a postgres::Row),
}

/// A column index (only positions: the store names columns in its SQL).
pub trait ColumnIndex {
    fn index(&self) -> usize;
}

impl ColumnIndex for usize {
    fn index(&self) -> usize {
        *self
    }
}

impl Row<'_> {
    /// Column `idx`, converted as rusqlite converts (an integer reads as `bool`, `NULL` as `None`).
    pub fn get<I: ColumnIndex, T: FromValue>(&self, idx: I) -> Result<T> {
        let idx = idx.index();
        T::from_value(self.value(idx)?).map_err(|message| DbError::Conversion {
            column: idx,
            name: self.column_name(idx),
            message,
        })
    }

    /// The name the query gave column `idx` (only looked up on the error path).
    fn column_name(&self, idx: usize) -> Option<String> {
        match &self.inner {
            RowInner::Sqlite(r) => r.as_ref().column_name(idx).ok().map(str::to_owned),
            RowInner::Pg(r) => r.columns().get(idx).map(|c| c.name().to_owned()),
        }
    }

    pub fn column_count(&self) -> usize {
        match &self.inner {
            RowInner::Sqlite(r) => r.as_ref().column_count(),
            RowInner::Pg(r) => r.len(),
        }
    }

    /// Column `idx` as an owned [`Value`].
    pub fn value(&self, idx: usize) -> Result<Value> {
        match &self.inner {
            RowInner::Sqlite(r) => {
                use rusqlite::types::ValueRef;
                Ok(match r.get_ref(idx)? {
                    ValueRef::Null => Value::Null,
                    ValueRef::Integer(i) => Value::Int(i),
                    ValueRef::Real(f) => Value::Real(f),
                    ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
                    ValueRef::Blob(b) => Value::Blob(b.to_vec()),
                })
            }
            RowInner::Pg(r) => pg_value(r, idx),
        }
    }
}

fn pg_value(r: &postgres::Row, idx: usize) -> Result<Value> {
    let Some(column) = r.columns().get(idx) else {
        return Err(DbError::conversion(idx, "no such column"));
    };
    fn opt<T>(v: Option<T>, f: impl FnOnce(T) -> Value) -> Value {
        v.map_or(Value::Null, f)
    }
    Ok(match *column.type_() {
        Type::INT8 => opt(r.try_get::<_, Option<i64>>(idx)?, Value::Int),
        Type::INT4 => opt(r.try_get::<_, Option<i32>>(idx)?, |v| Value::Int(v.into())),
        Type::INT2 => opt(r.try_get::<_, Option<i16>>(idx)?, |v| Value::Int(v.into())),
        Type::OID => opt(r.try_get::<_, Option<u32>>(idx)?, |v| Value::Int(v.into())),
        Type::BOOL => opt(r.try_get::<_, Option<bool>>(idx)?, |v| Value::Int(v.into())),
        Type::FLOAT8 => opt(r.try_get::<_, Option<f64>>(idx)?, Value::Real),
        Type::FLOAT4 => opt(r.try_get::<_, Option<f32>>(idx)?, |v| Value::Real(v.into())),
        Type::BYTEA => opt(r.try_get::<_, Option<Vec<u8>>>(idx)?, Value::Blob),
        Type::TEXT | Type::VARCHAR | Type::NAME | Type::BPCHAR | Type::UNKNOWN => opt(r.try_get::<_, Option<String>>(idx)?, Value::Text),
        // sum() of BIGINT is NUMERIC on PostgreSQL.
        Type::NUMERIC => opt(r.try_get::<_, Option<Numeric>>(idx)?, |n| n.0),
        ref other => {
            return Err(DbError::conversion(
                idx,
                format!("type {other} is not one smsctl reads (cast it to BIGINT or TEXT)"),
            ));
        }
    })
}

/// A NUMERIC in PostgreSQL's binary form, read as an integer when it is one (as sums of
/// integers are), else as a real.
struct Numeric(Value);

impl<'a> postgres::types::FromSql<'a> for Numeric {
    fn from_sql(_: &Type, raw: &'a [u8]) -> std::result::Result<Numeric, BoxError> {
        let word = |i: usize| -> std::result::Result<i16, BoxError> {
            raw.get(i..i + 2)
                .map(|b| i16::from_be_bytes([b[0], b[1]]))
                .ok_or_else(|| "truncated NUMERIC".into())
        };
        let (ndigits, weight, sign) = (word(0)?, word(2)?, word(4)? as u16);
        if sign == 0xC000 {
            return Ok(Numeric(Value::Real(f64::NAN)));
        }
        let mut int: Option<i128> = Some(0);
        let mut real = 0.0_f64;
        for i in 0..ndigits.max(0) as usize {
            let digit = i128::from(word(8 + 2 * i)?);
            let power = i32::from(weight) - i as i32;
            real += digit as f64 * 10_000_f64.powi(power);
            int = match (int, power) {
                (Some(acc), p) if p >= 0 => 10_000_i128.checked_pow(p as u32).and_then(|m| acc.checked_add(digit * m)),
                (acc, _) if digit == 0 => acc,
                _ => None,
            };
        }
        let negative = sign == 0x4000;
        Ok(Numeric(match int.and_then(|v| i64::try_from(if negative { -v } else { v }).ok()) {
            Some(v) => Value::Int(v),
            None => Value::Real(if negative { -real } else { real }),
        }))
    }

    fn accepts(ty: &Type) -> bool {
        *ty == Type::NUMERIC
    }
}

/// A type a column can be read as.
pub trait FromValue: Sized {
    fn from_value(v: Value) -> std::result::Result<Self, String>;
}

impl FromValue for Value {
    fn from_value(v: Value) -> std::result::Result<Self, String> {
        Ok(v)
    }
}

impl FromValue for i64 {
    fn from_value(v: Value) -> std::result::Result<Self, String> {
        match v {
            Value::Int(i) => Ok(i),
            other => Err(format!("expected an integer, found {}", class(&other))),
        }
    }
}

macro_rules! narrow_int {
    ($($t:ty),*) => {$(
        impl FromValue for $t {
            fn from_value(v: Value) -> std::result::Result<Self, String> {
                let i = i64::from_value(v)?;
                <$t>::try_from(i).map_err(|_| format!("integer {i} out of range for {}", stringify!($t)))
            }
        }
    )*};
}
narrow_int!(i32, i16, u8, u16, u32, u64, usize);

impl FromValue for bool {
    fn from_value(v: Value) -> std::result::Result<Self, String> {
        Ok(i64::from_value(v)? != 0)
    }
}

impl FromValue for f64 {
    fn from_value(v: Value) -> std::result::Result<Self, String> {
        match v {
            Value::Real(r) => Ok(r),
            Value::Int(i) => Ok(i as f64),
            other => Err(format!("expected a real, found {}", class(&other))),
        }
    }
}

impl FromValue for String {
    fn from_value(v: Value) -> std::result::Result<Self, String> {
        match v {
            Value::Text(s) => Ok(s),
            other => Err(format!("expected text, found {}", class(&other))),
        }
    }
}

impl FromValue for Vec<u8> {
    fn from_value(v: Value) -> std::result::Result<Self, String> {
        match v {
            Value::Blob(b) => Ok(b),
            Value::Text(s) => Ok(s.into_bytes()),
            other => Err(format!("expected a blob, found {}", class(&other))),
        }
    }
}

impl<T: FromValue> FromValue for Option<T> {
    fn from_value(v: Value) -> std::result::Result<Self, String> {
        match v {
            Value::Null => Ok(None),
            v => T::from_value(v).map(Some),
        }
    }
}

fn class(v: &Value) -> &'static str {
    match v {
        Value::Null => "NULL",
        Value::Int(_) => "an integer",
        Value::Real(_) => "a real",
        Value::Text(_) => "text",
        Value::Blob(_) => "a blob",
    }
}

/// An enum stored as text, one spelling per variant: the one place each typed column's
/// values are converted to and from what the store holds. [`stored_as_text!`] gives it
/// [`FromValue`] (an unknown spelling is a conversion error naming the column) and [`ToParam`].
pub trait Spelled: Sized + Copy + 'static {
    /// What the column holds, as an error names it: `origin`, `encoding`...
    const WHAT: &'static str;
    /// Every variant.
    const ALL: &'static [Self];
    fn spelling(self) -> &'static str;

    fn from_spelling(s: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.spelling() == s)
    }
}

/// Reads a [`Spelled`] enum from a text column: `Err` names the unknown spelling and the known ones.
pub fn from_spelled<T: Spelled>(v: Value) -> std::result::Result<T, String> {
    let s = String::from_value(v)?;
    T::from_spelling(&s).ok_or_else(|| {
        let known: Vec<&str> = T::ALL.iter().map(|v| v.spelling()).collect();
        format!("unknown {} '{}' (expected {})", T::WHAT, s, known.join(", "))
    })
}

/// `FromValue` and `ToParam` for [`Spelled`] enums.
#[macro_export]
macro_rules! stored_as_text {
    ($($t:ty),* $(,)?) => {$(
        impl $crate::store::db::FromValue for $t {
            fn from_value(v: $crate::store::db::Value) -> ::std::result::Result<Self, String> {
                $crate::store::db::from_spelled(v)
            }
        }
        impl $crate::store::db::ToParam for $t {
            fn to_param(&self) -> $crate::store::db::Param<'_> {
                $crate::store::db::Param::Text($crate::store::db::Spelled::spelling(*self))
            }
        }
    )*};
}
pub use crate::stored_as_text;

impl Spelled for crate::text::AutoConvert {
    const WHAT: &'static str = "autoconvert mode";
    const ALL: &'static [Self] = &[Self::Off, Self::On, Self::Full];
    fn spelling(self) -> &'static str {
        self.as_str()
    }
}

impl Spelled for crate::text::Encoding {
    const WHAT: &'static str = "encoding";
    const ALL: &'static [Self] = &[Self::Gsm7, Self::Ucs2];
    fn spelling(self) -> &'static str {
        self.as_str()
    }
}

stored_as_text!(crate::text::AutoConvert, crate::text::Encoding);

/// Instants and durations are stored as integer milliseconds (`INTEGER`, `BIGINT` on PostgreSQL).
macro_rules! stored_as_millis {
    ($($t:ty),*) => {$(
        impl FromValue for $t {
            fn from_value(v: Value) -> std::result::Result<Self, String> {
                i64::from_value(v).map(<$t>::from_i64)
            }
        }
        impl ToParam for $t {
            fn to_param(&self) -> Param<'_> {
                Param::Int(self.as_i64())
            }
        }
    )*};
}
stored_as_millis!(crate::time::UnixMillis, crate::time::Millis);

/// Rewrites SQLite's `?N` (and bare `?`) placeholders to PostgreSQL's `$N`, leaving quoted
/// text and identifiers alone.
pub fn to_pg_placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut chars = sql.chars().peekable();
    let mut quote: Option<char> = None;
    let mut next_bare = 1;
    while let Some(c) = chars.next() {
        if let Some(q) = quote {
            out.push(c);
            if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '\'' | '"' => {
                quote = Some(c);
                out.push(c);
            }
            '?' => {
                out.push('$');
                if chars.peek().is_some_and(char::is_ascii_digit) {
                    while let Some(d) = chars.next_if(char::is_ascii_digit) {
                        out.push(d);
                    }
                } else {
                    out.push_str(&next_bare.to_string());
                    next_bare += 1;
                }
            }
            c => out.push(c),
        }
    }
    out
}

impl Conn {
    pub fn sqlite(conn: rusqlite::Connection) -> Conn {
        Conn {
            inner: Inner::Sqlite(conn),
            audit_keys: AuditKeys::process(),
        }
    }

    /// This connection, looking up its store's audit key in `keys`.
    pub fn with_audit_keys(mut self, keys: Arc<AuditKeys>) -> Conn {
        self.audit_keys = keys;
        self
    }

    pub fn audit_keys(&self) -> &Arc<AuditKeys> {
        &self.audit_keys
    }

    /// A private in-memory SQLite database.
    pub fn open_in_memory() -> Result<Conn> {
        Ok(Conn::sqlite(rusqlite::Connection::open_in_memory()?))
    }

    /// A PostgreSQL session; `reconnect` opens a new one when the server has closed it.
    pub fn postgres(
        client: postgres::Client,
        reconnect: Box<dyn Fn() -> std::result::Result<postgres::Client, postgres::Error> + Send>,
    ) -> Conn {
        Conn {
            inner: Inner::Pg(Box::new(Pg {
                client: RefCell::new(client),
                statements: RefCell::new(HashMap::new()),
                reconnect,
                in_tx: std::cell::Cell::new(false),
            })),
            audit_keys: AuditKeys::process(),
        }
    }

    /// Whether a transaction is open on this connection.
    pub fn in_transaction(&self) -> bool {
        match &self.inner {
            Inner::Pg(pg) => pg.in_tx.get(),
            Inner::Sqlite(c) => !c.is_autocommit(),
        }
    }

    /// Whether the session is gone (PostgreSQL closed it): a pool drops such a connection.
    pub fn is_broken(&self) -> bool {
        match &self.inner {
            Inner::Pg(pg) => pg.client.borrow().is_closed(),
            Inner::Sqlite(_) => false,
        }
    }

    pub fn backend(&self) -> Backend {
        match self.inner {
            Inner::Sqlite(_) => Backend::Sqlite,
            Inner::Pg(_) => Backend::Postgres,
        }
    }

    /// The SQLite connection, for what only SQLite has (pragmas, the backup API).
    pub fn as_sqlite(&self) -> Option<&rusqlite::Connection> {
        match &self.inner {
            Inner::Sqlite(c) => Some(c),
            Inner::Pg(_) => None,
        }
    }

    pub fn as_sqlite_mut(&mut self) -> Option<&mut rusqlite::Connection> {
        match &mut self.inner {
            Inner::Sqlite(c) => Some(c),
            Inner::Pg(_) => None,
        }
    }

    pub fn into_sqlite(self) -> Option<rusqlite::Connection> {
        match self.inner {
            Inner::Sqlite(c) => Some(c),
            Inner::Pg(_) => None,
        }
    }

    /// Runs `f` with the PostgreSQL client (LISTEN, notifications, COPY).
    pub fn with_pg<T>(&self, f: impl FnOnce(&mut postgres::Client) -> T) -> Option<T> {
        match &self.inner {
            Inner::Pg(pg) => Some(f(&mut pg.client.borrow_mut())),
            Inner::Sqlite(_) => None,
        }
    }

    /// Several statements, no parameters, no results.
    pub fn execute_batch(&self, sql: &str) -> Result<()> {
        match &self.inner {
            Inner::Sqlite(c) => Ok(c.execute_batch(sql)?),
            Inner::Pg(pg) => {
                let mut client = pg.client()?;
                pg.note_tx(sql);
                let outcome = client.batch_execute(sql);
                if outcome.is_err() && client.is_closed() {
                    pg.in_tx.set(false);
                }
                Ok(outcome?)
            }
        }
    }

    /// Runs one statement; returns the number of rows it changed.
    pub fn execute<P: Params>(&self, sql: &str, params: P) -> Result<usize> {
        self.prepare(sql)?.execute(params)
    }

    pub fn query_row<T, P: Params>(&self, sql: &str, params: P, f: impl FnOnce(&Row<'_>) -> Result<T>) -> Result<T> {
        self.prepare(sql)?.query_row(params, f)
    }

    /// A statement to run (SQLite caches the prepared form; PostgreSQL prepares on first use
    /// and keeps it for the connection's life).
    pub fn prepare<'c>(&'c self, sql: &str) -> Result<Stmt<'c>> {
        Ok(Stmt {
            conn: self,
            sql: sql.to_owned(),
        })
    }

    /// As [`Conn::prepare`]: every statement is cached.
    pub fn prepare_cached<'c>(&'c self, sql: &str) -> Result<Stmt<'c>> {
        self.prepare(sql)
    }

    fn pg_statement(pg: &Pg, sql: &str) -> Result<postgres::Statement> {
        // A reconnect (inside `client`) clears the statements of the old session first.
        drop(pg.client()?);
        if let Some(s) = pg.statements.borrow().get(sql) {
            return Ok(s.clone());
        }
        let translated = to_pg_placeholders(sql);
        let statement = pg.client()?.prepare(&translated)?;
        pg.statements.borrow_mut().insert(sql.to_owned(), statement.clone());
        Ok(statement)
    }

    /// Forgets PostgreSQL's prepared statements (after the schema changed under them).
    pub fn clear_statement_cache(&self) {
        match &self.inner {
            Inner::Pg(pg) => pg.statements.borrow_mut().clear(),
            Inner::Sqlite(c) => c.flush_prepared_statement_cache(),
        }
    }
}

/// A statement bound to its connection.
pub struct Stmt<'c> {
    conn: &'c Conn,
    sql: String,
}

fn pg_refs<'a>(params: &'a [Param<'a>]) -> Vec<&'a (dyn ToSql + Sync)> {
    params.iter().map(|p| p as &(dyn ToSql + Sync)).collect()
}

impl Stmt<'_> {
    pub fn execute<P: Params>(&mut self, params: P) -> Result<usize> {
        let params = params.to_params();
        match &self.conn.inner {
            Inner::Sqlite(c) => Ok(c.prepare_cached(&self.sql)?.execute(rusqlite::params_from_iter(params.iter()))?),
            Inner::Pg(pg) => {
                let statement = Conn::pg_statement(pg, &self.sql)?;
                let n = pg.client()?.execute(&statement, &pg_refs(&params))?;
                Ok(usize::try_from(n).unwrap_or(usize::MAX))
            }
        }
    }

    /// The first row, or [`DbError::NoRows`].
    pub fn query_row<T, P: Params>(&mut self, params: P, f: impl FnOnce(&Row<'_>) -> Result<T>) -> Result<T> {
        let params = params.to_params();
        match &self.conn.inner {
            Inner::Sqlite(c) => {
                let mut stmt = c.prepare_cached(&self.sql)?;
                let mut rows = stmt.query(rusqlite::params_from_iter(params.iter()))?;
                match rows.next()? {
                    Some(r) => f(&Row {
                        inner: RowInner::Sqlite(r),
                    }),
                    None => Err(DbError::NoRows),
                }
            }
            Inner::Pg(pg) => {
                let statement = Conn::pg_statement(pg, &self.sql)?;
                let rows = pg.client()?.query(&statement, &pg_refs(&params))?;
                match rows.first() {
                    Some(r) => f(&Row { inner: RowInner::Pg(r) }),
                    None => Err(DbError::NoRows),
                }
            }
        }
    }

    /// Every row through `f`. The rows are read in full before `f` runs on PostgreSQL, so `f`
    /// may use the connection.
    pub fn query_map<T, P: Params>(
        &mut self,
        params: P,
        mut f: impl FnMut(&Row<'_>) -> Result<T>,
    ) -> Result<std::vec::IntoIter<Result<T>>> {
        let params = params.to_params();
        let out: Vec<Result<T>> = match &self.conn.inner {
            Inner::Sqlite(c) => {
                let mut stmt = c.prepare_cached(&self.sql)?;
                let mut rows = stmt.query(rusqlite::params_from_iter(params.iter()))?;
                let mut out = Vec::new();
                while let Some(r) = rows.next()? {
                    out.push(f(&Row {
                        inner: RowInner::Sqlite(r),
                    }));
                }
                out
            }
            Inner::Pg(pg) => {
                let statement = Conn::pg_statement(pg, &self.sql)?;
                let rows = pg.client()?.query(&statement, &pg_refs(&params))?;
                rows.iter().map(|r| f(&Row { inner: RowInner::Pg(r) })).collect()
            }
        };
        Ok(out.into_iter())
    }

    /// The statement's column names.
    pub fn column_names(&self) -> Result<Vec<String>> {
        match &self.conn.inner {
            Inner::Sqlite(c) => Ok(c.prepare_cached(&self.sql)?.column_names().into_iter().map(str::to_owned).collect()),
            Inner::Pg(pg) => Ok(Conn::pg_statement(pg, &self.sql)?
                .columns()
                .iter()
                .map(|c| c.name().to_owned())
                .collect()),
        }
    }
}

/// How a transaction takes its locks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TxKind {
    /// Readers see one snapshot; no write lock.
    Read,
    /// The store's write lock is taken first, so writers queue instead of racing: SQLite's
    /// `BEGIN IMMEDIATE`, PostgreSQL's transaction-scoped advisory lock on the store.
    Write,
}

/// The advisory lock every PostgreSQL write transaction takes first: writes to one store are
/// serialised (one audit chain order, no lost updates), as SQLite's single writer is.
pub const PG_WRITE_LOCK: i64 = 0x736d_7363_746c; // "smsctl"

/// An open transaction; rolled back when dropped without [`Tx::commit`].
pub struct Tx<'c> {
    conn: &'c Conn,
    open: bool,
}

impl std::ops::Deref for Tx<'_> {
    type Target = Conn;
    fn deref(&self) -> &Conn {
        self.conn
    }
}

impl Conn {
    pub fn begin(&self, kind: TxKind) -> Result<Tx<'_>> {
        match (&self.inner, kind) {
            (Inner::Sqlite(c), TxKind::Write) => c.execute_batch("BEGIN IMMEDIATE")?,
            (Inner::Sqlite(c), TxKind::Read) => c.execute_batch("BEGIN DEFERRED")?,
            (Inner::Pg(_), TxKind::Write) => {
                self.execute_batch("BEGIN ISOLATION LEVEL READ COMMITTED")?;
                if let Err(e) = self.execute("SELECT pg_advisory_xact_lock(?1)", [PG_WRITE_LOCK]) {
                    let _ = self.execute_batch("ROLLBACK");
                    return Err(e);
                }
            }
            (Inner::Pg(_), TxKind::Read) => self.execute_batch("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")?,
        }
        Ok(Tx { conn: self, open: true })
    }
}

impl Tx<'_> {
    pub fn commit(mut self) -> Result<()> {
        self.open = false;
        self.conn.execute_batch("COMMIT")
    }
}

impl Drop for Tx<'_> {
    fn drop(&mut self) {
        if self.open {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_become_dollar_numbers_outside_quotes() {
        assert_eq!(
            to_pg_placeholders("SELECT ?1, ?12 FROM t WHERE a = '?1' AND \"b?\" = ?"),
            "SELECT $1, $12 FROM t WHERE a = '?1' AND \"b?\" = $1"
        );
        assert_eq!(to_pg_placeholders("VALUES (?, ?)"), "VALUES ($1, $2)");
        assert_eq!(to_pg_placeholders("no params"), "no params");
    }

    #[test]
    fn sqlite_round_trip_through_the_common_interface() {
        let conn = Conn::sqlite(rusqlite::Connection::open_in_memory().unwrap());
        conn.execute_batch("CREATE TABLE t (a INTEGER, b TEXT, c BLOB)").unwrap();
        let tx = conn.begin(TxKind::Write).unwrap();
        tx.execute("INSERT INTO t VALUES (?1, ?2, ?3)", params![7_i64, "x", vec![1_u8, 2]])
            .unwrap();
        tx.execute("INSERT INTO t VALUES (?1, ?2, ?3)", params![true, None::<String>, None::<Vec<u8>>])
            .unwrap();
        tx.commit().unwrap();
        let rows: Vec<(i64, Option<String>, Option<Vec<u8>>)> = conn
            .prepare("SELECT a, b, c FROM t ORDER BY a DESC")
            .unwrap()
            .query_map((), |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<Result<_>>()
            .unwrap();
        assert_eq!(rows, vec![(7, Some("x".into()), Some(vec![1, 2])), (1, None, None)]);
        let flag: bool = conn.query_row("SELECT a FROM t WHERE a = 1", (), |r| r.get(0)).unwrap();
        assert!(flag);
        assert!(matches!(
            conn.query_row("SELECT a FROM t WHERE a = 99", (), |r| r.get::<_, i64>(0)),
            Err(DbError::NoRows)
        ));
        assert_eq!(
            conn.query_row("SELECT a FROM t WHERE a = 99", (), |r| r.get::<_, i64>(0))
                .optional()
                .unwrap(),
            None
        );
        let text_as_int = conn.query_row("SELECT b FROM t WHERE a = 7", (), |r| r.get::<_, i64>(0));
        assert!(matches!(text_as_int, Err(DbError::Conversion { column: 0, .. })), "{text_as_int:?}");
    }

    #[test]
    fn a_dropped_transaction_rolls_back() {
        let conn = Conn::sqlite(rusqlite::Connection::open_in_memory().unwrap());
        conn.execute_batch("CREATE TABLE t (a INTEGER)").unwrap();
        {
            let tx = conn.begin(TxKind::Write).unwrap();
            tx.execute("INSERT INTO t VALUES (1)", ()).unwrap();
        }
        let n: i64 = conn.query_row("SELECT count(*) FROM t", (), |r| r.get(0)).unwrap();
        assert_eq!(n, 0);
    }

    /// Every variant of `T` written through [`ToParam`] reads back as itself; a spelling it
    /// does not know is a conversion error that names the column and the value.
    fn round_trips<T: Spelled + FromValue + ToParam + PartialEq + fmt::Debug>() {
        let conn = Conn::sqlite(rusqlite::Connection::open_in_memory().unwrap());
        conn.execute_batch("CREATE TABLE t (n INTEGER, v TEXT)").unwrap();
        for (n, v) in T::ALL.iter().enumerate() {
            conn.execute("INSERT INTO t VALUES (?1, ?2)", params![n, *v]).unwrap();
            let back: T = conn.query_row("SELECT v FROM t WHERE n = ?1", [n], |r| r.get(0)).unwrap();
            assert_eq!(back, *v);
        }
        let spellings: std::collections::HashSet<&str> = T::ALL.iter().map(|v| v.spelling()).collect();
        assert_eq!(spellings.len(), T::ALL.len(), "two variants of {} share a spelling", T::WHAT);
        conn.execute("INSERT INTO t VALUES (-1, 'no-such-value')", ()).unwrap();
        let unknown = conn.query_row("SELECT v AS stored FROM t WHERE n = -1", (), |r| r.get::<_, T>(0));
        match unknown {
            Err(e @ DbError::Conversion { .. }) => {
                let shown = e.to_string();
                assert!(shown.starts_with("column stored: "), "{shown}");
                assert!(shown.contains(&format!("unknown {} 'no-such-value'", T::WHAT)), "{shown}");
            }
            other => panic!("expected a conversion error, got {other:?}"),
        }
        let wrong_class = conn.query_row("SELECT n FROM t WHERE n = -1", (), |r| r.get::<_, T>(0));
        assert!(matches!(wrong_class, Err(DbError::Conversion { column: 0, .. })), "{wrong_class:?}");
    }

    #[test]
    fn autoconvert_modes_round_trip() {
        round_trips::<crate::text::AutoConvert>();
    }

    #[test]
    fn encodings_round_trip() {
        round_trips::<crate::text::Encoding>();
    }

    #[test]
    fn origins_round_trip() {
        round_trips::<crate::store::messages::Origin>();
    }

    #[test]
    fn audit_actions_round_trip() {
        round_trips::<crate::store::audit::Action>();
    }

    #[test]
    fn autoconvert_is_stored_strictly() {
        // The flag parser accepts `true`/`ON`; the store holds only the one spelling.
        assert!(matches!(
            crate::text::AutoConvert::from_value(Value::Text("true".into())),
            Err(m) if m.contains("unknown autoconvert mode 'true'")
        ));
    }
}
