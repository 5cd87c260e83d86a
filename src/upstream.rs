//! The provider account's one credential, which `gateway serve --upstream` uses to forward
//! every team's traffic. It lives in the OS keyring (service `smsctl`, account [`ACCOUNT`],
//! value `username:password`) or in `SMSCTL_UPSTREAM_USERNAME` / `SMSCTL_UPSTREAM_PASSWORD`;
//! never in the store, in a log line or on argv.

use std::fmt;

use zeroize::Zeroizing;

use crate::env::Env;
use crate::error::{Error, Result};
use crate::keyring::SecretStore;

/// The keyring account holding `username:password`.
pub const ACCOUNT: &str = "upstream";
/// The password `upstream set` replaced: reports the provider signed before the change still verify.
pub const PREVIOUS_ACCOUNT: &str = "upstream-previous";
pub const PREVIOUS_PASSWORD_ENV: &str = crate::env::UPSTREAM_PREVIOUS_PASSWORD;
pub const USERNAME_ENV: &str = crate::env::UPSTREAM_USERNAME;
pub const PASSWORD_ENV: &str = crate::env::UPSTREAM_PASSWORD;

/// The account credential. `Debug` shows the username only.
#[derive(Clone)]
pub struct Credential {
    pub username: String,
    password: Zeroizing<String>,
    /// The password in use before the last change, accepted on incoming reports only.
    previous: Option<Zeroizing<String>>,
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credential")
            .field("username", &self.username)
            .field("password", &"<redacted>")
            .finish()
    }
}

/// Where the credential was found (for messages; never the value).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Environment,
    Keyring,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Environment => "SMSCTL_UPSTREAM_USERNAME/SMSCTL_UPSTREAM_PASSWORD",
            Source::Keyring => "the OS keyring",
        }
    }
}

impl Credential {
    /// Checks the shape: a Basic-auth username cannot hold ':' and neither part may be empty.
    pub fn new(username: &str, password: Zeroizing<String>) -> Result<Credential> {
        let username = username.trim();
        if username.is_empty() || username.contains(':') || username.chars().any(char::is_control) {
            return Err(
                Error::usage("invalid upstream username: it must be non-empty, without ':' or control characters")
                    .hint("give the provider account's API username, e.g. --username 3f2c...; the password is read separately"),
            );
        }
        let trimmed = Zeroizing::new(password.trim_end_matches(['\r', '\n']).to_owned());
        if trimmed.is_empty() {
            return Err(
                Error::usage("the upstream password is empty").hint("pipe it in: `smsctl upstream set --username USER < password.txt`")
            );
        }
        Ok(Credential {
            username: username.to_owned(),
            password: trimmed,
            previous: None,
        })
    }

    pub fn password(&self) -> &str {
        &self.password
    }

    /// The replaced password, if one is kept (see [`PREVIOUS_ACCOUNT`]).
    pub fn previous_password(&self) -> Option<&str> {
        self.previous.as_deref().map(String::as_str)
    }

    fn with_previous(mut self, previous: Option<Zeroizing<String>>) -> Credential {
        self.previous = previous.filter(|p| !p.trim().is_empty() && p.as_str() != self.password.as_str());
        self
    }

    fn encoded(&self) -> Zeroizing<String> {
        Zeroizing::new(format!("{}:{}", self.username, self.password.as_str()))
    }
}

/// The credential from the environment (both variables) or else the keyring.
pub fn load(env: &Env, keyring: &dyn SecretStore) -> Result<(Credential, Source)> {
    let user = env.upstream(USERNAME_ENV);
    let pass = env.upstream(PASSWORD_ENV);
    match (user, pass) {
        (Some(user), Some(pass)) => {
            let previous = env.upstream(PREVIOUS_PASSWORD_ENV);
            return Ok((Credential::new(&user, pass)?.with_previous(previous), Source::Environment));
        }
        (Some(_), None) | (None, Some(_)) => {
            return Err(Error::usage(format!("only one of {USERNAME_ENV} and {PASSWORD_ENV} is set"))
                .hint("set both, or neither to use the credential saved with `smsctl upstream set`"));
        }
        (None, None) => {}
    }
    let stored = keyring.get(ACCOUNT).map_err(|e| {
        Error::usage(format!("no upstream credential: {USERNAME_ENV}/{PASSWORD_ENV} are not set and {e}"))
            .hint("set both variables, or save the credential with `smsctl upstream set --username USER` where a keyring works")
    })?;
    let Some(stored) = stored.map(Zeroizing::new) else {
        return Err(Error::usage(format!(
            "no upstream credential: {USERNAME_ENV}/{PASSWORD_ENV} are not set and the OS keyring has none"
        ))
        .hint("save it with `smsctl upstream set --username USER` (the password is prompted for or read from stdin)"));
    };
    let Some((user, pass)) = stored.split_once(':') else {
        return Err(
            Error::failure("the upstream credential in the OS keyring is not in the form smsctl saves")
                .hint("save it again with `smsctl upstream set --username USER`"),
        );
    };
    let previous = keyring.get(PREVIOUS_ACCOUNT).ok().flatten().map(Zeroizing::new);
    Ok((
        Credential::new(user, Zeroizing::new(pass.to_owned()))?.with_previous(previous),
        Source::Keyring,
    ))
}

/// Saves the credential in the keyring. The password it replaces is kept as the previous one
/// (reports signed before the change still verify) until the next change or `delete`.
pub fn save(keyring: &dyn SecretStore, credential: &Credential) -> Result<()> {
    if let Some(old) = keyring.get(ACCOUNT).map_err(Error::from)?.map(Zeroizing::new) {
        if let Some((_, old_password)) = old.split_once(':') {
            if old_password != credential.password() {
                keyring.set(PREVIOUS_ACCOUNT, old_password).map_err(Error::from)?;
            }
        }
    }
    keyring.set(ACCOUNT, &credential.encoded()).map_err(Error::from)
}

/// Removes the saved credential and any previous password; `Ok` when there was none.
pub fn delete(keyring: &dyn SecretStore) -> Result<()> {
    keyring.delete(PREVIOUS_ACCOUNT).map_err(Error::from)?;
    keyring.delete(ACCOUNT).map_err(Error::from)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keyring::MemoryKeyring;

    #[test]
    fn saved_credential_round_trips_and_debug_redacts() {
        let ring = MemoryKeyring::new();
        let cred = Credential::new("acct", Zeroizing::new("pa:ss\n".into())).unwrap();
        assert_eq!(cred.password(), "pa:ss");
        assert!(!format!("{cred:?}").contains("pa:ss"));
        save(&ring, &cred).unwrap();
        let newer = Credential::new("acct", Zeroizing::new("new".into())).unwrap();
        save(&ring, &newer).unwrap();
        assert_eq!(ring.get(PREVIOUS_ACCOUNT).unwrap().as_deref(), Some("pa:ss"));
        save(&ring, &cred).unwrap();
        // An empty environment, whatever the test process has.
        let env = Env::fixed::<&str, &str>([]);
        let (back, source) = load(&env, &ring).unwrap();
        assert_eq!(
            (back.username.as_str(), back.password(), source),
            ("acct", "pa:ss", Source::Keyring)
        );
        assert_eq!(back.previous_password(), Some("new"));
        delete(&ring).unwrap();
        assert!(load(&env, &ring).unwrap_err().message.contains("has none"));
        // Both variables beat the keyring; one alone is a usage error.
        save(&ring, &cred).unwrap();
        let env = Env::fixed([(USERNAME_ENV, "envacct"), (PASSWORD_ENV, "envpw")]);
        let (back, source) = load(&env, &ring).unwrap();
        assert_eq!((back.username.as_str(), source), ("envacct", Source::Environment));
        let err = load(&Env::fixed([(USERNAME_ENV, "envacct")]), &ring).unwrap_err();
        assert_eq!(err.exit_code(), 2);
    }

    #[test]
    fn bad_shapes_are_refused() {
        assert!(Credential::new("a:b", Zeroizing::new("x".into())).is_err());
        assert!(Credential::new(" ", Zeroizing::new("x".into())).is_err());
        assert!(Credential::new("a", Zeroizing::new("\n".into())).is_err());
    }
}
