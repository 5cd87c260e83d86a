//! The audit key: 256 bits that key the audit trail's HMAC chain and are never in the store.
//!
//! Looked up, per store, in `SMSCTL_AUDIT_KEY` (hex), then the OS keyring (service
//! `smsctl-audit`, account = the store id), then a 0600 file
//! `<config dir>/smsctl/audit-keys/<store id>.key`. A new store gets a new key, saved in the
//! keyring when one is reachable, else in that file. The store keeps only a check value
//! (an HMAC of a fixed label), so a wrong key is told apart from an edited trail.
//!
//! Which variable value and which keyring are the places to look is [`AuditKeys`]: a
//! command's context's (tests: their own), which the gateway carries to every connection it
//! opens ([`super::StoreAt`]); the process's for a store opened outside any command.

use std::io::Write;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

use crate::store::db::{Conn, OptionalExtension};
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::keyring::{OsKeyring, SecretStore};

pub const ENV: &str = crate::env::AUDIT_KEY;
pub const KEYRING_SERVICE: &str = "smsctl-audit";
const CHECK_LABEL: &[u8] = b"smsctl audit key check v1";

/// A 256-bit audit key; zeroed when dropped.
#[derive(Clone)]
pub struct AuditKey {
    bytes: Zeroizing<[u8; 32]>,
    pub source: Source,
}

impl std::fmt::Debug for AuditKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "AuditKey({:?}, <redacted>)", self.source)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    Env,
    Keyring,
    File,
}

impl Source {
    pub fn describe(self) -> &'static str {
        match self {
            Source::Env => "SMSCTL_AUDIT_KEY",
            Source::Keyring => "the OS keyring",
            Source::File => "the audit key file",
        }
    }
}

impl AuditKey {
    fn generate(source: Source) -> AuditKey {
        let mut bytes = Zeroizing::new([0u8; 32]);
        rand::fill(&mut bytes[..]);
        AuditKey { bytes, source }
    }

    fn from_hex(text: &str, source: Source) -> Option<AuditKey> {
        let t = text.trim();
        if t.len() != 64 {
            return None;
        }
        let mut bytes = Zeroizing::new([0u8; 32]);
        for (i, b) in bytes.iter_mut().enumerate() {
            *b = u8::from_str_radix(t.get(2 * i..2 * i + 2)?, 16).ok()?;
        }
        Some(AuditKey { bytes, source })
    }

    fn to_hex(&self) -> Zeroizing<String> {
        Zeroizing::new(crate::token::hex(&self.bytes[..]))
    }

    pub fn mac(&self) -> Hmac<Sha256> {
        // HMAC takes keys of any length; 32 bytes cannot fail.
        <Hmac<Sha256> as KeyInit>::new_from_slice(&self.bytes[..]).unwrap_or_else(|_| unreachable!("HMAC accepts any key length"))
    }

    /// The value stored beside the trail to recognise this key (not the key, not reversible).
    pub fn check_value(&self) -> String {
        let mut m = self.mac();
        m.update(CHECK_LABEL);
        crate::token::hex(&m.finalize().into_bytes())
    }
}

/// `<config dir>/smsctl/audit-keys/<store id>.key`.
pub fn file_path(store_id: &str) -> Result<PathBuf> {
    use etcetera::BaseStrategy;
    if !is_store_id(store_id) && store_id != "<store id>" {
        return Err(Error::store("not a store id").hint("restore the store from a backup you trust"));
    }
    let strategy = etcetera::choose_base_strategy()
        .map_err(|e| Error::store(format!("cannot find a config directory for the audit key: {e}")).hint(format!("set {ENV}")))?;
    Ok(strategy
        .config_dir()
        .join("smsctl")
        .join("audit-keys")
        .join(format!("{store_id}.key")))
}

/// Where audit keys are looked up and saved, besides the key file: the `SMSCTL_AUDIT_KEY`
/// value and the keyring (none when `SMSCTL_KEYRING=none`).
pub struct AuditKeys {
    env_key: Option<Zeroizing<String>>,
    keyring: Option<Arc<dyn SecretStore>>,
    /// Keys already resolved through these places, by store id (a gateway resolves once), and
    /// a new store's key before it is saved.
    cache: Mutex<Vec<(String, AuditKey)>>,
}

impl std::fmt::Debug for AuditKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuditKeys")
            .field("env_key", &self.env_key.as_ref().map(|_| "<redacted>"))
            .field("keyring", &self.keyring.as_ref().map(|k| k.describe()))
            .finish()
    }
}

impl AuditKeys {
    /// `env_key`: a `SMSCTL_AUDIT_KEY` value; `keyring`: where keys are saved (`None`: nowhere).
    pub fn new(env_key: Option<Zeroizing<String>>, keyring: Option<Arc<dyn SecretStore>>) -> AuditKeys {
        AuditKeys {
            env_key,
            keyring,
            cache: Mutex::new(Vec::new()),
        }
    }

    fn cached(&self, store_id: &str) -> Option<AuditKey> {
        let cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        cache.iter().find(|(id, _)| id == store_id).map(|(_, k)| k.clone())
    }

    fn remember(&self, store_id: &str, key: &AuditKey) {
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        cache.retain(|(id, _)| id != store_id);
        cache.push((store_id.to_owned(), key.clone()));
    }

    /// The places `env` names: its `SMSCTL_AUDIT_KEY`, and the OS keyring's `smsctl-audit`
    /// service unless its `SMSCTL_KEYRING` disables the keyring.
    pub fn from_env(env: &crate::env::Env) -> AuditKeys {
        let keyring: Option<Arc<dyn SecretStore>> =
            (!env.keyring_disabled()).then(|| Arc::new(OsKeyring::with_service(KEYRING_SERVICE)) as Arc<dyn SecretStore>);
        AuditKeys::new(env.audit_key(), keyring)
    }

    /// The process's places, read once (for stores opened outside a command's context).
    pub fn process() -> Arc<AuditKeys> {
        static PROCESS: OnceLock<Arc<AuditKeys>> = OnceLock::new();
        PROCESS
            .get_or_init(|| Arc::new(AuditKeys::from_env(&crate::env::Env::process())))
            .clone()
    }

    fn variable_key(&self) -> Result<Option<AuditKey>> {
        match &self.env_key {
            Some(v) => AuditKey::from_hex(v, Source::Env).map(Some).ok_or_else(|| {
                Error::usage(format!("{ENV} is not a 256-bit hex key")).hint("give 64 hex digits, e.g. from `openssl rand -hex 32`")
            }),
            None => Ok(None),
        }
    }

    /// Where the key of `store_id` is looked up, in order (`smsctl paths` lists them).
    pub fn places(&self, store_id: &str) -> Vec<String> {
        let mut places = vec![ENV.to_owned()];
        if self.keyring.is_some() {
            places.push(format!("the OS keyring ({KEYRING_SERVICE}/{store_id})"));
        }
        if let Ok(file) = file_path(store_id) {
            places.push(file.display().to_string());
        }
        places
    }

    /// Where a missing key was looked for, for messages.
    fn where_looked(&self, store_id: &str) -> String {
        let mut places = self.places(store_id);
        if file_path(store_id).is_err() {
            places.push("<no config dir>".into());
        }
        let mut said = match places.split_last() {
            Some((last, [])) => last.clone(),
            Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
            None => String::new(),
        };
        if self.keyring.is_none() {
            said.push_str(" (the keyring is disabled)");
        }
        said
    }
}

/// Finds the key of `store_id`, or `None` when it is in none of the places it can be.
fn lookup(keys: &AuditKeys, store_id: &str) -> Result<Option<AuditKey>> {
    if let Some(k) = keys.variable_key()? {
        return Ok(Some(k));
    }
    if let Some(keyring) = &keys.keyring {
        if let Ok(Some(hex)) = keyring.get(store_id) {
            let hex = Zeroizing::new(hex);
            if let Some(k) = AuditKey::from_hex(&hex, Source::Keyring) {
                return Ok(Some(k));
            }
        }
    }
    let path = file_path(store_id)?;
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            let text = Zeroizing::new(text);
            AuditKey::from_hex(&text, Source::File).map(Some).ok_or_else(|| {
                Error::store(format!("audit key file {} is damaged", path.display())).hint("restore it from where you keep a copy")
            })
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::store(format!("cannot read audit key file {}: {e}", path.display()))),
    }
}

/// The store's id and check value, from its `meta` table.
pub fn store_identity(conn: &Conn) -> Result<Option<(String, String)>> {
    let get = |name: &str| -> Result<Option<String>> {
        Ok(conn
            .query_row("SELECT value FROM meta WHERE name = ?1", [name], |r| r.get(0))
            .optional()?)
    };
    match (get("store_id")?, get("audit_key_check")?) {
        (Some(id), Some(check)) if is_store_id(&id) => Ok(Some((id, check))),
        (Some(id), Some(_)) => Err(Error::store(format!(
            "the store's identity '{}' is not a store id",
            crate::printable::escape_controls(&id)
        ))
        .hint("the meta table was edited; restore the store from a backup you trust")),
        _ => Ok(None),
    }
}

/// `st_` and 24 lowercase hex digits, as [`new_store_id`] makes them. The id names the key
/// file, so anything else (a path, `..`) is refused rather than looked up.
pub fn is_store_id(id: &str) -> bool {
    id.strip_prefix("st_")
        .is_some_and(|hex| hex.len() == 24 && hex.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)))
}

/// Why a store's key cannot be used.
#[derive(Debug)]
pub enum Unusable {
    /// `looked`: where it was looked for.
    Missing {
        store_id: String,
        looked: String,
    },
    Wrong {
        store_id: String,
        source: Source,
    },
}

impl Unusable {
    pub fn message(&self) -> String {
        match self {
            Unusable::Missing { store_id, looked } => format!("no audit key for store {store_id} (looked in {looked})"),
            Unusable::Wrong { store_id, source } => {
                format!("the audit key from {} is not the key of store {store_id}", source.describe())
            }
        }
    }

    pub fn hint(&self) -> String {
        format!("set {ENV} to this store's key, or put its key file back; see docs/security.md")
    }
}

/// The key of the store behind `conn`, checked against the store's check value.
pub fn for_store(conn: &Conn) -> Result<std::result::Result<AuditKey, Unusable>> {
    let Some((store_id, check)) = store_identity(conn)? else {
        return Err(Error::store("the store has no identity (meta table is empty)").hint("restore the store from a backup you trust"));
    };
    resolve(conn.audit_keys(), &store_id, &check)
}

fn resolve(keys: &AuditKeys, store_id: &str, check: &str) -> Result<std::result::Result<AuditKey, Unusable>> {
    let found = match keys.cached(store_id) {
        Some(k) => Some(k),
        None => lookup(keys, store_id)?,
    };
    Ok(match found {
        None => Err(Unusable::Missing {
            store_id: store_id.to_owned(),
            looked: keys.where_looked(store_id),
        }),
        Some(k) if !bool::from(subtle::ConstantTimeEq::ct_eq(k.check_value().as_bytes(), check.as_bytes())) => Err(Unusable::Wrong {
            store_id: store_id.to_owned(),
            source: k.source,
        }),
        Some(k) => {
            keys.remember(store_id, &k);
            Ok(k)
        }
    })
}

/// The key for appending to the trail: an unusable key is a store error (exit 7).
pub fn for_writing(conn: &Conn) -> Result<AuditKey> {
    for_store(conn)?.map_err(|u| Error::store(format!("cannot append to the audit trail: {}", u.message())).hint(u.hint()))
}

/// A key for a new store identity: `SMSCTL_AUDIT_KEY` when set, else a new random key that
/// [`persist`] saves once the store is about to become real.
pub fn for_new_store(keys: &AuditKeys, store_id: &str) -> Result<AuditKey> {
    let key = match keys.variable_key()? {
        Some(k) => k,
        None => AuditKey::generate(Source::File),
    };
    keys.remember(store_id, &key);
    Ok(key)
}

/// Saves a generated key: in the OS keyring when it is reachable, else in a new 0600 file.
/// A key from the environment is the caller's to keep, so nothing is written for it.
pub fn persist(keys: &AuditKeys, store_id: &str, key: &AuditKey) -> Result<Source> {
    if key.source == Source::Env {
        return Ok(Source::Env);
    }
    if let Some(kr) = &keys.keyring {
        if crate::keyring::probe(kr.as_ref()).is_ok() && kr.set(store_id, &key.to_hex()).is_ok() {
            let mut k = key.clone();
            k.source = Source::Keyring;
            keys.remember(store_id, &k);
            return Ok(Source::Keyring);
        }
    }
    let path = file_path(store_id)?;
    let fail = |e: std::io::Error| {
        Error::store(format!("cannot save the audit key in {}: {e}", path.display()))
            .hint(format!("make the config directory writable, or set {ENV}"))
    };
    if let Some(dir) = path.parent() {
        crate::private_fs::create_dir_all(dir).map_err(fail)?;
    }
    let mut file = crate::private_fs::create_new(&path).map_err(fail)?;
    let mut text = key.to_hex();
    text.push('\n');
    file.write_all(text.as_bytes()).and_then(|_| file.sync_all()).map_err(fail)?;
    Ok(Source::File)
}

/// Removes a saved key whose store never came to exist.
pub fn forget(keys: &AuditKeys, store_id: &str, source: Source) {
    match source {
        Source::Env => {}
        Source::Keyring => {
            if let Some(kr) = &keys.keyring {
                let _ = kr.delete(store_id);
            }
        }
        Source::File => {
            if let Ok(p) = file_path(store_id) {
                let _ = std::fs::remove_file(p);
            }
        }
    }
}

/// A new random store id.
pub fn new_store_id() -> String {
    let mut b = [0u8; 12];
    rand::fill(&mut b);
    format!("st_{}", crate::token::hex(&b))
}
