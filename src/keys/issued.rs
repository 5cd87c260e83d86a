//! A newly issued secret and where it went: shown once, saved in the OS keyring, or written to
//! a file. Its JSON form carries the secret only when it is shown.

use std::path::PathBuf;

use serde::Serialize;
use serde::ser::SerializeMap;

use crate::token::Secret;

/// Where a newly issued secret went (the `secret_delivery` of `key create/rotate --json`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SecretDelivery {
    /// Printed once, on stdout.
    Shown,
    /// Saved in the OS keyring and not printed.
    Keyring,
    /// Written to a new 0600 file (`--secret-file`) and not printed.
    File,
}

/// A new secret as the operator receives it.
#[derive(Debug)]
pub enum IssuedSecret {
    /// To be printed once: the only copy outside the store's hash.
    Shown(Secret),
    /// Saved in the OS keyring under the key id; not printed.
    Keyring,
    /// Written to this new 0600 file; not printed.
    File(PathBuf),
}

impl IssuedSecret {
    pub fn delivery(&self) -> SecretDelivery {
        match self {
            IssuedSecret::Shown(_) => SecretDelivery::Shown,
            IssuedSecret::Keyring => SecretDelivery::Keyring,
            IssuedSecret::File(_) => SecretDelivery::File,
        }
    }

    /// The secret, when it is to be shown.
    pub fn shown(&self) -> Option<&Secret> {
        match self {
            IssuedSecret::Shown(s) => Some(s),
            IssuedSecret::Keyring | IssuedSecret::File(_) => None,
        }
    }

    /// What `--quiet` prints: the secret itself, or the key id when it went elsewhere.
    pub fn quiet(&self, key_id: &str) -> String {
        self.shown().map_or_else(|| key_id.to_owned(), |s| s.expose().to_owned())
    }
}

/// `"secret"` (the secret, or `null` when not shown), `"secret_delivery"`, and `"secret_file"`
/// when it was written to one: flattened into the report of the command that issued it.
impl Serialize for IssuedSecret {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("secret", &self.shown().map(Secret::expose))?;
        map.serialize_entry("secret_delivery", &self.delivery())?;
        if let IssuedSecret::File(path) = self {
            map.serialize_entry("secret_file", &path.display().to_string())?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_secret_is_in_the_output_only_when_shown() {
        let secret = Secret::generate();
        let exposed = secret.expose().to_owned();
        let shown = IssuedSecret::Shown(secret);
        assert_eq!(
            serde_json::to_value(&shown).unwrap(),
            serde_json::json!({"secret": exposed, "secret_delivery": "shown"})
        );
        assert_eq!(shown.quiet("key_x"), exposed);
        assert!(!format!("{shown:?}").contains(&exposed), "Debug redacts");

        let saved = IssuedSecret::Keyring;
        assert_eq!(
            serde_json::to_value(&saved).unwrap(),
            serde_json::json!({"secret": null, "secret_delivery": "keyring"})
        );
        assert_eq!(saved.quiet("key_x"), "key_x");

        let file = IssuedSecret::File("/tmp/ci.secret".into());
        assert_eq!(
            serde_json::to_value(&file).unwrap(),
            serde_json::json!({"secret": null, "secret_delivery": "file", "secret_file": "/tmp/ci.secret"})
        );
        assert_eq!(file.quiet("key_x"), "key_x");
    }
}
