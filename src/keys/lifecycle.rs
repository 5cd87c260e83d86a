//! Rules of a key's life that every change obeys.

use crate::error::{Error, Result};
use crate::store::keys::Key;

/// Refuses any change to a revoked key: revocation is final, so its name, settings and
/// secrets stay as they were for the audit trail. Exit 5 (rejected), one message for every
/// command that would change the key.
pub(crate) fn ensure_mutable(key: &Key) -> Result<()> {
    if key.revoked_at.is_none() {
        return Ok(());
    }
    Err(
        Error::rejected(format!("key '{}' is revoked; a revoked key cannot change", key.name)).hint(format!(
            "revocation is final: create a replacement, e.g. `smsctl key create {}-2 --allow-ip IP|CIDR`, and move the clients to it",
            key.name
        )),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_live_key_may_change() {
        let mut key = crate::keyfile::fields::blank_key("key_test0001");
        key.name = "legacy".into();
        key.expires_at = Some(crate::time::UnixMillis::from_i64(1));
        // Expired is not revoked: an expired key can still be extended.
        assert!(ensure_mutable(&key).is_ok());
        key.revoked_at = Some(crate::time::UnixMillis::from_i64(5));
        let err = ensure_mutable(&key).unwrap_err();
        assert_eq!(err.exit_code(), 5);
        assert_eq!(err.message, "key 'legacy' is revoked; a revoked key cannot change");
        assert!(err.hint.unwrap().contains("smsctl key create legacy-2"));
    }
}
