//! Secret storage for smsctl: the OS keyring behind a small trait.
//!
//! * [`OsKeyring`] talks to the platform keyring through the `keyring` crate.
//!   On Linux (with the features smsctl uses) that is the freedesktop
//!   Secret Service over the D-Bus *session* bus (gnome-keyring, KWallet, ...).
//! * [`MemoryKeyring`] is an in-memory fake for unit tests. It is never chosen
//!   automatically: there is no silent plaintext or in-memory fallback.
//! * `SMSCTL_KEYRING=none` disables the OS keyring explicitly: every operation
//!   then fails with [`KeyringError::Unavailable`] (useful to test that path).
//!   Any other non-empty value except `os` is rejected with an error.
//!
//! Error messages never contain a secret value.

use std::collections::HashMap;
use std::fmt;
use std::sync::Mutex;

/// Service name under which smsctl stores its secrets.
pub const SERVICE: &str = "smsctl";

/// Environment variable selecting the keyring mode: unset, empty or `os`
/// means the OS keyring; `none` disables it.
pub const KEYRING_ENV: &str = crate::env::KEYRING;

/// Prefix of the account that [`probe`] writes, reads back and deletes
/// (`smsctl-doctor-probe-<pid>`, so concurrent probes do not collide).
pub const PROBE_ACCOUNT: &str = "smsctl-doctor-probe";

/// Text to show next to an [`KeyringError::Unavailable`] error.
pub const HINT: &str = "start a Secret Service (e.g. gnome-keyring) in a D-Bus session and unlock \
it (headless: dbus-run-session + `gnome-keyring-daemon --unlock`), or pass the secret on stdin \
with --secret-stdin / SMSCTL_KEY_SECRET";

const DETAIL_MAX_CHARS: usize = 300;

/// Hint for a user whose keyring is unavailable. Same as [`HINT`].
pub fn hint() -> &'static str {
    HINT
}

#[derive(Debug, thiserror::Error)]
pub enum KeyringError {
    /// No usable keyring: no session bus, no Secret Service on it, keyring
    /// locked, access refused, or disabled with `SMSCTL_KEYRING=none`.
    #[error("OS keyring unavailable: {detail}")]
    Unavailable { detail: String },
    /// Anything else (bad stored data, ambiguous entries, bad configuration).
    #[error("OS keyring error: {0}")]
    Other(String),
}

impl From<KeyringError> for crate::error::Error {
    fn from(err: KeyringError) -> Self {
        let hint = err.hint();
        let e = crate::error::Error::failure(err.to_string());
        match hint {
            Some(h) => e.hint(h),
            None => e,
        }
    }
}

impl KeyringError {
    /// The user-facing hint for this error, if there is one.
    pub fn hint(&self) -> Option<&'static str> {
        match self {
            KeyringError::Unavailable { .. } => Some(HINT),
            KeyringError::Other(_) => None,
        }
    }

    pub fn is_unavailable(&self) -> bool {
        matches!(self, KeyringError::Unavailable { .. })
    }

    fn unavailable(detail: impl Into<String>) -> Self {
        KeyringError::Unavailable { detail: detail.into() }
    }
}

/// Where secrets live. Implementations must be usable from any thread.
pub trait SecretStore: Send + Sync {
    /// Create or overwrite the secret for `account`.
    fn set(&self, account: &str, secret: &str) -> Result<(), KeyringError>;
    /// The secret for `account`, or `Ok(None)` if there is none.
    fn get(&self, account: &str) -> Result<Option<String>, KeyringError>;
    /// Remove the secret for `account`; removing a missing entry is `Ok`.
    fn delete(&self, account: &str) -> Result<(), KeyringError>;
    /// One line for `smsctl doctor`, e.g. which backend and service.
    fn describe(&self) -> String;
}

/// Checks that `store` is usable, for a `doctor` command: writes a
/// non-secret marker under [`PROBE_ACCOUNT`]`-<pid>`, reads it back and deletes it.
///
/// A read-only check is not enough: a *locked* gnome-keyring still answers
/// searches, so `get` of a missing account returns `Ok(None)` while every
/// `set` fails. On a desktop with a locked keyring this may show the normal
/// unlock prompt (as `smsctl` storing a secret would).
pub fn probe(store: &dyn SecretStore) -> Result<(), KeyringError> {
    let account = format!("{PROBE_ACCOUNT}-{}", std::process::id());
    let marker = format!("smsctl probe marker {account}");
    store.set(&account, &marker)?;
    let read = store.get(&account);
    let deleted = store.delete(&account);
    match read? {
        Some(v) if v == marker => {}
        Some(_) => {
            return Err(KeyringError::Other(
                "keyring returned a different value than was just stored".into(),
            ));
        }
        None => {
            return Err(KeyringError::Other("keyring did not return the value that was just stored".into()));
        }
    }
    deleted
}

// ---------------------------------------------------------------------------
// OS keyring

use crate::env::KeyringMode as Mode;

fn mode_from_env() -> Result<Mode, KeyringError> {
    crate::env::keyring().map_err(KeyringError::Other)
}

/// The platform keyring (Secret Service on Linux), one entry per account
/// under `service` (default [`SERVICE`]).
///
/// `SMSCTL_KEYRING` is read on every operation, so it is honoured however the
/// value was constructed.
#[derive(Debug, Clone)]
pub struct OsKeyring {
    service: String,
}

impl Default for OsKeyring {
    fn default() -> Self {
        Self::new()
    }
}

impl OsKeyring {
    /// The keyring under service [`SERVICE`] ("smsctl").
    pub fn new() -> Self {
        Self::with_service(SERVICE)
    }

    /// The keyring under another service name (tests, other tools).
    pub fn with_service(service: impl Into<String>) -> Self {
        Self { service: service.into() }
    }

    pub fn service(&self) -> &str {
        &self.service
    }

    fn entry(&self, account: &str) -> Result<keyring::Entry, KeyringError> {
        if mode_from_env()? == Mode::Disabled {
            return Err(KeyringError::unavailable(format!("disabled by {KEYRING_ENV}=none")));
        }
        if account.is_empty() {
            return Err(KeyringError::Other("account name is empty".into()));
        }
        keyring::Entry::new(&self.service, account).map_err(map_keyring_error)
    }
}

impl SecretStore for OsKeyring {
    fn set(&self, account: &str, secret: &str) -> Result<(), KeyringError> {
        self.run(account, |e| e.set_password(secret))?
            .map_err(map_keyring_error)
            .map_err(|e| redact(e, secret))
    }

    fn get(&self, account: &str) -> Result<Option<String>, KeyringError> {
        match self.run(account, keyring::Entry::get_password)? {
            Ok(secret) => Ok(Some(secret)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(map_keyring_error(e)),
        }
    }

    fn delete(&self, account: &str) -> Result<(), KeyringError> {
        match self.run(account, keyring::Entry::delete_credential)? {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(map_keyring_error(e)),
        }
    }

    fn describe(&self) -> String {
        match mode_from_env() {
            Ok(Mode::Disabled) => format!("OS keyring disabled ({KEYRING_ENV}=none)"),
            Err(e) => e.to_string(),
            Ok(Mode::Os) => format!("OS keyring ({}), service {:?}", backend_name(), self.service),
        }
    }
}

impl OsKeyring {
    /// Runs `op` on the entry for `account`, retrying when the matching item
    /// vanished between the crate's search and its use (another process
    /// deleted or replaced it: "No such interface org.freedesktop.Secret.Item
    /// on object at path ..."). A retry re-searches, so it sees the new state.
    fn run<T>(&self, account: &str, op: impl Fn(&keyring::Entry) -> keyring::Result<T>) -> Result<keyring::Result<T>, KeyringError> {
        let entry = self.entry(account)?;
        let mut result = op(&entry);
        for _ in 0..3 {
            match &result {
                Err(e) if is_vanished_item(e) => result = op(&entry),
                _ => break,
            }
        }
        Ok(result)
    }
}

fn is_vanished_item(err: &keyring::Error) -> bool {
    let keyring::Error::PlatformFailure(inner) = err else {
        return false;
    };
    let msg = inner.to_string();
    (msg.contains("org.freedesktop.Secret.Item") || msg.contains("/org/freedesktop/secrets/"))
        && ["No such interface", "No such object", "does not exist", "UnknownObject"]
            .iter()
            .any(|needle| msg.contains(needle))
}

fn backend_name() -> &'static str {
    if cfg!(target_os = "macos") {
        "macOS Keychain"
    } else if cfg!(windows) {
        "Windows Credential Manager"
    } else {
        // keyring 3.6 with sync-secret-service + linux-native picks Secret
        // Service as the default store; keyutils is not used.
        "Secret Service over the D-Bus session bus"
    }
}

/// Maps a `keyring` error. Never includes secret material: `BadEncoding`
/// carries the raw stored bytes and is reduced to a fixed text.
fn map_keyring_error(err: keyring::Error) -> KeyringError {
    use keyring::Error as E;
    match err {
        E::PlatformFailure(inner) => {
            let msg = inner.to_string();
            let detail = if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none() && msg.contains("autolaunch") {
                // libdbus found neither DBUS_SESSION_BUS_ADDRESS nor a socket
                // at $XDG_RUNTIME_DIR/bus and fell back to (disabled) autolaunch.
                "no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set and there is \
                 no $XDG_RUNTIME_DIR/bus)"
                    .to_string()
            } else {
                short(&msg)
            };
            KeyringError::unavailable(detail)
        }
        E::NoStorageAccess(inner) => {
            let msg = inner.to_string();
            let detail = if msg.contains("no result found") {
                // dbus-secret-service's NoResult: typically no default
                // collection (no login keyring was ever created/unlocked).
                format!("the Secret Service has no usable default keyring ({})", short(&msg))
            } else {
                format!("keyring locked or access refused ({})", short(&msg))
            };
            KeyringError::unavailable(detail)
        }
        E::NoEntry => KeyringError::Other("no matching keyring entry".into()),
        E::BadEncoding(_) => KeyringError::Other("stored secret is not valid UTF-8".into()),
        E::TooLong(what, max) => KeyringError::Other(format!("{what} is longer than the keyring limit of {max}")),
        E::Invalid(what, why) => KeyringError::Other(format!("invalid {what}: {why}")),
        E::Ambiguous(items) => KeyringError::Other(format!(
            "{} keyring entries match this account; remove the duplicates \
             (e.g. with seahorse or secret-tool)",
            items.len()
        )),
        // keyring::Error is non_exhaustive; its Display never prints secrets.
        other => KeyringError::Other(short(&other.to_string())),
    }
}

/// First line, bounded length.
fn short(s: &str) -> String {
    let line = s.lines().next().unwrap_or("").trim();
    if line.chars().count() > DETAIL_MAX_CHARS {
        let mut out: String = line.chars().take(DETAIL_MAX_CHARS).collect();
        out.push('…');
        out
    } else {
        line.to_string()
    }
}

/// Defence in depth: never let a secret reach an error message.
fn redact(err: KeyringError, secret: &str) -> KeyringError {
    if secret.is_empty() {
        return err;
    }
    match err {
        KeyringError::Unavailable { detail } if detail.contains(secret) => KeyringError::Unavailable {
            detail: detail.replace(secret, "<redacted>"),
        },
        KeyringError::Other(msg) if msg.contains(secret) => KeyringError::Other(msg.replace(secret, "<redacted>")),
        other => other,
    }
}

// ---------------------------------------------------------------------------
// In-memory fake (tests only; never chosen automatically)

/// In-memory [`SecretStore`] for unit tests. Shared state across calls (unlike
/// `keyring`'s `mock` store, which keeps state per `Entry`). Can be switched
/// to fail like an unavailable keyring with [`MemoryKeyring::set_unavailable`].
#[derive(Default)]
pub struct MemoryKeyring {
    entries: Mutex<HashMap<String, String>>,
    unavailable: Mutex<Option<String>>,
}

impl fmt::Debug for MemoryKeyring {
    // Accounts only: secrets never end up in Debug output.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemoryKeyring").field("accounts", &self.accounts()).finish()
    }
}

impl MemoryKeyring {
    pub fn new() -> Self {
        Self::default()
    }

    /// Sorted account names currently stored.
    pub fn accounts(&self) -> Vec<String> {
        let mut v: Vec<String> = self.lock().keys().cloned().collect();
        v.sort();
        v
    }

    /// `Some(detail)`: every operation fails with `Unavailable { detail }`.
    /// `None`: back to normal.
    pub fn set_unavailable(&self, detail: Option<&str>) {
        *self.unavailable.lock().unwrap_or_else(|p| p.into_inner()) = detail.map(str::to_owned);
    }

    fn check(&self) -> Result<(), KeyringError> {
        match &*self.unavailable.lock().unwrap_or_else(|p| p.into_inner()) {
            Some(detail) => Err(KeyringError::unavailable(detail.clone())),
            None => Ok(()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, String>> {
        self.entries.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl SecretStore for MemoryKeyring {
    fn set(&self, account: &str, secret: &str) -> Result<(), KeyringError> {
        self.check()?;
        if account.is_empty() {
            return Err(KeyringError::Other("account name is empty".into()));
        }
        self.lock().insert(account.to_owned(), secret.to_owned());
        Ok(())
    }

    fn get(&self, account: &str) -> Result<Option<String>, KeyringError> {
        self.check()?;
        Ok(self.lock().get(account).cloned())
    }

    fn delete(&self, account: &str) -> Result<(), KeyringError> {
        self.check()?;
        self.lock().remove(account);
        Ok(())
    }

    fn describe(&self) -> String {
        format!("in-memory test keyring ({} entries)", self.lock().len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_round_trip() {
        let m = MemoryKeyring::new();
        assert_eq!(m.get("a").unwrap(), None);
        m.set("a", "s1").unwrap();
        assert_eq!(m.get("a").unwrap().as_deref(), Some("s1"));
        m.set("a", "s2").unwrap();
        assert_eq!(m.get("a").unwrap().as_deref(), Some("s2"));
        m.set("b", "other").unwrap();
        assert_eq!(m.accounts(), vec!["a".to_string(), "b".to_string()]);
        m.delete("a").unwrap();
        assert_eq!(m.get("a").unwrap(), None);
        m.delete("a").unwrap(); // missing: still Ok
        assert_eq!(m.get("b").unwrap().as_deref(), Some("other"));
        assert!(m.set("", "x").is_err());
    }

    #[test]
    fn memory_state_is_shared_across_calls_and_threads() {
        let m = std::sync::Arc::new(MemoryKeyring::new());
        let handles: Vec<_> = (0..8)
            .map(|i| {
                let m = m.clone();
                std::thread::spawn(move || m.set(&format!("acct{i}"), &format!("sec{i}")).unwrap())
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
        for i in 0..8 {
            assert_eq!(m.get(&format!("acct{i}")).unwrap(), Some(format!("sec{i}")));
        }
    }

    #[test]
    fn memory_debug_and_describe_hide_secrets() {
        let m = MemoryKeyring::new();
        m.set("acct", "hunter2-very-secret").unwrap();
        assert!(!format!("{m:?}").contains("hunter2"));
        assert!(!m.describe().contains("hunter2"));
    }

    #[test]
    fn memory_unavailable_switch() {
        let m = MemoryKeyring::new();
        m.set("a", "s").unwrap();
        m.set_unavailable(Some("simulated"));
        for r in [m.set("a", "t"), m.delete("a"), m.get("a").map(|_| ())] {
            let e = r.unwrap_err();
            assert!(e.is_unavailable());
            assert_eq!(e.hint(), Some(HINT));
        }
        assert!(probe(&m).unwrap_err().is_unavailable());
        m.set_unavailable(None);
        assert_eq!(m.get("a").unwrap().as_deref(), Some("s"));
        probe(&m).unwrap();
        assert_eq!(m.accounts(), vec!["a".to_string()]); // probe cleans up
    }

    #[test]
    fn trait_object_usable() {
        let s: Box<dyn SecretStore> = Box::new(MemoryKeyring::new());
        s.set("x", "y").unwrap();
        assert_eq!(s.get("x").unwrap().as_deref(), Some("y"));
        probe(s.as_ref()).unwrap();
    }

    #[derive(Debug)]
    struct FakeInner(&'static str);
    impl fmt::Display for FakeInner {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(self.0)
        }
    }
    impl std::error::Error for FakeInner {}

    #[test]
    fn mapping_platform_and_access_errors_is_unavailable() {
        let e = map_keyring_error(keyring::Error::PlatformFailure(Box::new(FakeInner(
            "D-Bus error: boom\nsecond line",
        ))));
        match &e {
            KeyringError::Unavailable { detail } => {
                assert!(detail.contains("boom"), "{detail}");
                assert!(!detail.contains("second line"), "{detail}");
            }
            other => panic!("{other:?}"),
        }
        let e = map_keyring_error(keyring::Error::NoStorageAccess(Box::new(FakeInner("Locked"))));
        assert!(e.is_unavailable());
        assert!(e.to_string().contains("locked"), "{e}");
        let e = map_keyring_error(keyring::Error::NoStorageAccess(Box::new(FakeInner(
            "Secret Service: no result found",
        ))));
        assert!(e.to_string().contains("no usable default keyring"), "{e}");
    }

    #[test]
    fn mapping_bad_encoding_never_shows_bytes() {
        let e = map_keyring_error(keyring::Error::BadEncoding(b"topsecret\xff".to_vec()));
        assert!(!e.is_unavailable());
        assert!(!e.to_string().contains("topsecret"));
        assert!(!format!("{e:?}").contains("topsecret"));
    }

    #[test]
    fn mapping_other_variants() {
        assert!(!map_keyring_error(keyring::Error::NoEntry).is_unavailable());
        assert!(
            map_keyring_error(keyring::Error::Invalid("user".into(), "empty".into()))
                .to_string()
                .contains("invalid user")
        );
        assert!(!map_keyring_error(keyring::Error::TooLong("service".into(), 10)).is_unavailable());
    }

    #[test]
    fn vanished_item_detection() {
        let vanished = keyring::Error::PlatformFailure(Box::new(FakeInner(
            "DBus error: No such interface \u{201c}org.freedesktop.Secret.Item\u{201d} on object \
             at path /org/freedesktop/secrets/collection/login/8",
        )));
        assert!(is_vanished_item(&vanished));
        let no_bus = keyring::Error::PlatformFailure(Box::new(FakeInner(
            "DBus error: Failed to connect to socket /nonexistent: No such file or directory",
        )));
        assert!(!is_vanished_item(&no_bus));
        assert!(!is_vanished_item(&keyring::Error::NoEntry));
    }

    #[test]
    fn long_details_are_bounded() {
        let long = "x".repeat(5000);
        assert!(short(&long).chars().count() <= DETAIL_MAX_CHARS + 1);
    }

    #[test]
    fn redact_removes_secret() {
        let e = redact(KeyringError::unavailable("failed to store s3cr3t-value"), "s3cr3t-value");
        assert!(!e.to_string().contains("s3cr3t-value"));
        let e = redact(KeyringError::Other("x s3cr3t y".into()), "s3cr3t");
        assert!(!e.to_string().contains("s3cr3t"));
    }

    #[test]
    fn hint_mentions_alternatives() {
        assert!(hint().contains("--secret-stdin"));
        assert!(hint().contains("SMSCTL_KEY_SECRET"));
        assert!(KeyringError::Other("x".into()).hint().is_none());
    }
}
