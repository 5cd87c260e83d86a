//! Round trip against the real OS keyring. Skipped (with a note) unless
//! SMSCTL_TEST_REAL_KEYRING=1; on a headless box run it as
//!
//!   SMSCTL_TEST_REAL_KEYRING=1 bash scripts/keyring-session.sh cargo test --test keyring_real

#[path = "keyring_support/mod.rs"]
mod common;

use smsctl::keyring::{OsKeyring, SecretStore, probe};
use std::io::Write;
use std::time::Duration;

const CHILD_ENV: &str = "SMSCTL_KEYRING_TEST_CHILD_ACCOUNT";

fn enabled(test: &str) -> bool {
    if std::env::var("SMSCTL_TEST_REAL_KEYRING").as_deref() == Ok("1") {
        return true;
    }
    // Written to the stderr handle directly so libtest's capture does not hide it.
    let _ = writeln!(
        std::io::stderr(),
        "note: {test} skipped: set SMSCTL_TEST_REAL_KEYRING=1 (headless: \
         SMSCTL_TEST_REAL_KEYRING=1 bash scripts/keyring-session.sh cargo test --test keyring_real)"
    );
    false
}

#[test]
fn real_round_trip() {
    if !enabled("real_round_trip") {
        return;
    }
    let store = OsKeyring::new();
    println!("backend: {}", store.describe());
    probe(&store).expect("probe");

    let account = common::unique("smsctl-test");
    assert_eq!(store.get(&account).expect("get (fresh)"), None);

    let first = "first sëcret with spaces & symbols: \"'$`\\";
    store.set(&account, first).expect("set");
    assert_eq!(store.get(&account).expect("get").as_deref(), Some(first));

    // A second handle sees the same entry (state is in the keyring, not the object).
    let other = OsKeyring::new();
    assert_eq!(other.get(&account).expect("get via 2nd").as_deref(), Some(first));

    // Overwrite.
    store.set(&account, "second").expect("overwrite");
    assert_eq!(store.get(&account).expect("get 2").as_deref(), Some("second"));

    // Another service name does not see it.
    let elsewhere = OsKeyring::with_service("smsctl-test-other-service");
    assert_eq!(elsewhere.get(&account).expect("get other service"), None);

    store.delete(&account).expect("delete");
    assert_eq!(store.get(&account).expect("get after delete"), None);
    store.delete(&account).expect("delete missing is Ok");
}

/// Several processes using the keyring at the same time.
#[test]
fn real_concurrent_processes() {
    if !enabled("real_concurrent_processes") {
        return;
    }
    let base = common::unique("smsctl-test-conc");
    let handles: Vec<_> = (0..4)
        .map(|i| {
            let account = format!("{base}-{i}");
            std::thread::spawn(move || common::run_child("child_worker", &[(CHILD_ENV, &account)], &[], Duration::from_secs(120)))
        })
        .collect();
    for (i, h) in handles.into_iter().enumerate() {
        let r = h.join().unwrap();
        assert!(
            r.success && r.stdout.contains("WORKER-OK"),
            "worker {i} failed\n--- stdout\n{}\n--- stderr\n{}",
            r.stdout,
            r.stderr
        );
    }
}

/// Not a test on its own: does nothing unless started by
/// `real_concurrent_processes`.
#[test]
fn child_worker() {
    let Ok(account) = std::env::var(CHILD_ENV) else {
        return;
    };
    let store = OsKeyring::new();
    let shared = format!("{}-shared", account.rsplit_once('-').unwrap().0);
    for n in 0..20 {
        let v = format!("value-{n}");
        store.set(&account, &v).expect("set");
        assert_eq!(store.get(&account).expect("get").as_deref(), Some(v.as_str()));
        // Everyone also writes one shared entry: last writer wins, no errors
        // (and no duplicate items, which would make `get` fail as ambiguous).
        // Another worker may already have deleted it, so None is fine too.
        store.set(&shared, &account).expect("set shared");
        store.get(&shared).expect("get shared");
    }
    store.delete(&account).expect("delete");
    assert_eq!(store.get(&account).expect("get after delete"), None);
    store.delete(&shared).expect("delete shared");
    println!("WORKER-OK");
}

const LOCKED_CHILD_ENV: &str = "SMSCTL_KEYRING_TEST_LOCKED_CHILD";

/// A locked keyring must be reported as Unavailable by `probe` and `set`
/// (not hang, not panic). Runs in its own keyring session (so locking it does
/// not disturb the other tests) via scripts/keyring-session.sh.
#[test]
fn real_locked_keyring_is_unavailable() {
    if !enabled("real_locked_keyring_is_unavailable") {
        return;
    }
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/keyring-session.sh");
    let exe = std::env::current_exe().unwrap();
    let out = std::process::Command::new("bash")
        .arg(script)
        .arg(exe)
        .args(["--exact", "child_locked", "--nocapture", "--test-threads=1"])
        .env(LOCKED_CHILD_ENV, "1")
        // No display: gnome-keyring's unlock prompt must fail, not wait.
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run keyring-session.sh");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("LOCKED-OK"),
        "locked child failed\n--- stdout\n{stdout}\n--- stderr\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Not a test on its own: run by `real_locked_keyring_is_unavailable`.
#[test]
fn child_locked() {
    if std::env::var_os(LOCKED_CHILD_ENV).is_none() {
        return;
    }
    let store = OsKeyring::new();
    let account = common::unique("smsctl-test-locked");
    store.set(&account, "before-lock").expect("set while unlocked");
    let status = std::process::Command::new("dbus-send")
        .args([
            "--session",
            "--print-reply",
            "--dest=org.freedesktop.secrets",
            "/org/freedesktop/secrets",
            "org.freedesktop.Secret.Service.Lock",
            "array:objpath:/org/freedesktop/secrets/collection/login",
        ])
        .stdout(std::process::Stdio::null())
        .status()
        .expect("dbus-send");
    assert!(status.success(), "locking the login collection failed");

    let e = probe(&store).expect_err("probe on a locked keyring");
    assert!(e.is_unavailable(), "{e:?}");
    println!("probe: {e}");
    let e = store.set(&account, "after-lock").expect_err("set on locked");
    assert!(e.is_unavailable(), "{e:?}");
    assert!(!e.to_string().contains("after-lock"));
    println!("set: {e}");
    let e = store.get(&account).expect_err("get of existing item on locked");
    assert!(e.is_unavailable(), "{e:?}");
    println!("get: {e}");
    // Quirk: searching still works while locked, so a missing account reads
    // as None. This is why `probe` writes instead of only reading.
    assert_eq!(store.get("smsctl-test-never-stored").expect("get missing"), None);
    println!("LOCKED-OK");
}
