//! Commands run in-process through `smsctl::run_with` with a context of the test's own: an
//! in-memory keyring and a fixed environment. This is how `--save-secret` and everything else
//! that writes to the keyring is tested without an OS keyring (tests/keyring_e2e.rs runs the
//! same paths against a real one when a session provides it).

mod common;

use std::path::PathBuf;
use std::sync::Arc;

use clap::Parser as _;
use smsctl::auth::{self, Reason};
use smsctl::context::Ctx;
use smsctl::env::{self, Env};
use smsctl::keyring::{MemoryKeyring, SecretStore};
use smsctl::store::audit_key::AuditKeys;
use smsctl::store::{Store, keys};

fn isolate_the_process() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // SAFETY: every test calls this before it reads the environment (or starts a thread
        // that does), and `Once` makes them wait until it has finished.
        unsafe {
            for (k, _) in std::env::vars_os() {
                if k.to_string_lossy().starts_with("SMSCTL_") {
                    std::env::remove_var(k);
                }
            }
            std::env::set_var(env::KEYRING, "none");
            // Which store lives at which path is recorded in the config directory: the
            // test process's own, not the user's.
            let config = tempfile::tempdir().unwrap().keep();
            std::env::set_var("XDG_CONFIG_HOME", config);
            std::env::remove_var("DBUS_SESSION_BUS_ADDRESS");
        }
    });
}

struct InProcess {
    _dir: tempfile::TempDir,
    db: PathBuf,
    keyring: Arc<MemoryKeyring>,
    /// Where the store's audit key is saved: the context's, so no test touches the process's
    /// `SMSCTL_AUDIT_KEY`, the OS keyring or the config directory for it.
    audit_keyring: Arc<MemoryKeyring>,
}

impl InProcess {
    fn new() -> InProcess {
        isolate_the_process();
        let dir = tempfile::tempdir().unwrap();
        InProcess {
            db: dir.path().join("smsctl.db"),
            _dir: dir,
            keyring: Arc::new(MemoryKeyring::new()),
            audit_keyring: Arc::new(MemoryKeyring::new()),
        }
    }

    /// `smsctl --quiet ARGS` against this store, with the keyring and `vars` as its world.
    fn run_with_env(&self, vars: &[(&str, &str)], args: &[&str]) -> smsctl::Result<()> {
        let db = self.db.to_str().unwrap();
        let argv = ["smsctl", "--db", db, "--quiet"].into_iter().chain(args.iter().copied());
        let cli = smsctl::cli::Cli::try_parse_from(argv).unwrap();
        let mut all = vec![(env::ACTOR, "tester")];
        all.extend_from_slice(vars);
        let keyring: Arc<dyn SecretStore> = self.keyring.clone();
        let env = Env::fixed(all);
        let audit_keys = self.audit_keys(env.audit_key());
        let mut ctx = Ctx::with(&cli.global, env, keyring);
        ctx.audit_keys = audit_keys;
        smsctl::run_with(&ctx, cli.command)
    }

    /// The audit keyring, and `env_key` as the context's `SMSCTL_AUDIT_KEY`.
    fn audit_keys(&self, env_key: Option<zeroize::Zeroizing<String>>) -> Arc<AuditKeys> {
        let keyring: Arc<dyn SecretStore> = self.audit_keyring.clone();
        Arc::new(AuditKeys::new(env_key, Some(keyring)))
    }

    fn run(&self, args: &[&str]) -> smsctl::Result<()> {
        self.run_with_env(&[], args)
    }

    fn ok(&self, args: &[&str]) {
        if let Err(e) = self.run(args) {
            panic!("smsctl {args:?} failed: {} (hint: {:?})", e.message, e.hint);
        }
    }

    /// Fails with `code` and a message containing `message`, and changes neither the store
    /// nor the keyring.
    fn fails(&self, args: &[&str], code: u8, message: &str) {
        let (store, saved) = (common::dump(&self.db), self.saved());
        let err = self.run(args).expect_err("should fail");
        assert_eq!(err.exit_code(), code, "{}", err.message);
        assert!(err.message.contains(message), "{:?} lacks {message:?}", err.message);
        assert_eq!(common::dump(&self.db), store, "store changed");
        assert_eq!(self.saved(), saved, "keyring changed");
    }

    /// The keyring's entries (their values while it is available).
    fn saved(&self) -> Vec<(String, Option<String>)> {
        let accounts = self.keyring.accounts();
        accounts
            .into_iter()
            .map(|a| (a.clone(), self.keyring.get(&a).ok().flatten()))
            .collect()
    }

    fn key_id(&self, name: &str) -> String {
        let store = Store::open_for_reading_with(&self.db, self.audit_keys(None)).unwrap();
        keys::find(store.conn(), name).unwrap().id
    }

    fn check(&self, key_id: &str, secret: &str) -> auth::Outcome {
        let store = Store::open_for_reading_with(&self.db, self.audit_keys(None)).unwrap();
        auth::check(store.conn(), Some(key_id), secret, None, smsctl::time::now()).unwrap()
    }

    /// The store's files hold only hashes: the secret appears in none of them.
    fn assert_not_in_store(&self, secret: &str) {
        for ext in ["", "-wal", "-journal"] {
            let path = PathBuf::from(format!("{}{ext}", self.db.display()));
            if let Ok(bytes) = std::fs::read(&path) {
                assert!(
                    !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
                    "secret in {}",
                    path.display()
                );
            }
        }
    }
}

#[test]
fn create_and_rotate_save_the_secret_in_the_contexts_keyring() {
    let t = InProcess::new();
    t.ok(&["key", "create", "ci", "--allow-ip", "10.0.0.0/8", "--save-secret"]);
    let id = t.key_id("ci");
    assert_eq!(t.keyring.accounts(), vec![id.clone()]);
    let first = t.keyring.get(&id).unwrap().expect("saved");
    let ok = t.check(&id, &first);
    assert_eq!(ok.reason, Reason::Ok, "{}", ok.detail);
    assert!(ok.detail.contains("current secret"), "{}", ok.detail);
    t.assert_not_in_store(&first);

    t.ok(&["key", "rotate", "ci", "--save-secret"]);
    let second = t.keyring.get(&id).unwrap().expect("saved");
    assert_ne!(first, second, "the entry holds the new secret");
    assert_eq!(t.check(&id, &second).reason, Reason::Ok);
    // The previous secret is in its grace, so clients not yet moved keep working.
    let old = t.check(&id, &first);
    assert_eq!(old.reason, Reason::Ok);
    assert!(old.detail.contains("in grace until"), "{}", old.detail);
    t.assert_not_in_store(&second);

    // Rotating again during the grace is refused, and the saved secret stays.
    t.fails(&["key", "rotate", "ci", "--save-secret"], 4, "in grace until");
    assert_eq!(t.keyring.get(&id).unwrap().as_deref(), Some(second.as_str()));
}

#[test]
fn a_new_stores_audit_key_is_saved_in_the_contexts_keyring_and_looked_up_there() {
    let t = InProcess::new();
    t.ok(&["key", "create", "ci", "--allow-ip", "10.0.0.0/8"]);
    let accounts = t.audit_keyring.accounts();
    assert!(accounts.len() == 1 && accounts[0].starts_with("st_"), "one store id: {accounts:?}");
    t.ok(&["audit", "verify"]);
    let key = t.audit_keyring.get(&accounts[0]).unwrap().expect("saved");
    // Without it in the context's keyring the trail cannot be appended to: nothing changes.
    t.audit_keyring.delete(&accounts[0]).unwrap();
    t.fails(&["key", "rename", "ci", "deploy"], 7, "no audit key for store");
    // The same key in the context's environment (not the process's) works.
    t.run_with_env(&[(env::AUDIT_KEY, key.as_str())], &["key", "rename", "ci", "deploy"])
        .unwrap();
    t.key_id("deploy");
}

#[test]
fn save_secret_with_an_unavailable_keyring_changes_nothing() {
    let t = InProcess::new();
    t.ok(&["key", "create", "existing", "--allow-ip", "10.0.0.0/8", "--save-secret"]);
    let before = t.saved();
    t.keyring.set_unavailable(Some("simulated outage"));
    t.fails(
        &["key", "create", "ci", "--allow-ip", "10.0.0.0/8", "--save-secret"],
        1,
        "OS keyring unavailable: simulated outage",
    );
    t.fails(&["key", "rotate", "existing", "--save-secret"], 1, "OS keyring unavailable");
    let file = t.db.with_file_name("keys.toml");
    std::fs::write(&file, "version = 1\n[[key]]\nname = \"gitops\"\n").unwrap();
    t.fails(
        &["apply", "-f", file.to_str().unwrap(), "--yes", "--save-secrets"],
        1,
        "OS keyring unavailable",
    );
    t.keyring.set_unavailable(None);
    assert_eq!(t.saved(), before, "the saved secret of `existing` is untouched");
}

#[test]
fn revoke_forgets_the_saved_secret() {
    let t = InProcess::new();
    t.ok(&["key", "create", "ci", "--allow-ip", "10.0.0.0/8", "--save-secret"]);
    t.ok(&["key", "create", "other", "--allow-ip", "10.0.0.0/8", "--save-secret"]);
    let id = t.key_id("ci");
    t.ok(&["key", "revoke", "ci", "--yes"]);
    assert_eq!(t.keyring.get(&id).unwrap(), None);
    assert_eq!(t.keyring.accounts(), vec![t.key_id("other")]);
}

#[test]
fn apply_save_secrets_saves_new_keys_and_prune_forgets_them() {
    let t = InProcess::new();
    let file = t.db.with_file_name("keys.toml");
    let path = file.to_str().unwrap();
    std::fs::write(&file, "version = 1\nprune = true\n[[key]]\nname = \"gitops\"\n").unwrap();
    t.ok(&["apply", "-f", path, "--yes", "--save-secrets"]);
    let id = t.key_id("gitops");
    let secret = t.keyring.get(&id).unwrap().expect("saved");
    assert_eq!(t.check(&id, &secret).reason, Reason::Ok);
    t.assert_not_in_store(&secret);
    std::fs::write(&file, "version = 1\nprune = true\n").unwrap();
    t.ok(&["apply", "-f", path, "--yes"]);
    assert_eq!(t.keyring.get(&id).unwrap(), None);
}

#[test]
fn upstream_show_and_delete_use_the_contexts_keyring_and_environment() {
    let t = InProcess::new();
    let credential = smsctl::upstream::Credential::new("acct", zeroize::Zeroizing::new("pw".into())).unwrap();
    smsctl::upstream::save(&*t.keyring, &credential).unwrap();
    t.ok(&["upstream", "show"]);
    // One variable of the pair alone is refused, whatever the keyring holds.
    let err = t
        .run_with_env(&[(env::UPSTREAM_USERNAME, "other")], &["upstream", "show"])
        .unwrap_err();
    assert_eq!(err.exit_code(), 2, "{}", err.message);
    t.ok(&["upstream", "delete"]);
    assert!(t.keyring.accounts().is_empty());
    assert_eq!(t.run(&["upstream", "show"]).unwrap_err().exit_code(), 2);
}

#[test]
fn doctor_reports_a_disabled_keyring_as_no_finding() {
    let t = InProcess::new();
    t.ok(&["key", "create", "ci", "--allow-ip", "10.0.0.0/8", "--save-secret"]);
    // A reachable keyring: healthy.
    t.run(&["doctor"]).expect("healthy with a working keyring");
    t.keyring.set_unavailable(Some("simulated outage"));
    // An unavailable keyring that should work is a finding...
    let err = t.run(&["doctor"]).expect_err("finding");
    assert_eq!(err.exit_code(), 1);
    assert!(err.message.contains("doctor found 1 problem"), "{}", err.message);
    // ...but one switched off on purpose is not, in any spelling.
    for off in ["none", "None", " NONE "] {
        t.run_with_env(&[(env::KEYRING, off)], &["doctor"])
            .unwrap_or_else(|e| panic!("SMSCTL_KEYRING={off:?}: {}", e.message));
    }
}
