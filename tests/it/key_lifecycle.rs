//! The key lifecycle through the real binary: create, list, show, rename, rotate, revoke, audit.

use crate::common::{TestEnv, contains, store_bytes};
use predicates::prelude::*;

#[test]
fn create_prints_the_secret_once_and_stores_only_its_hash() {
    let env = TestEnv::new();
    let out = env.ok(&["key", "create", "ci", "--description", "CI runner"]);
    let secret = out
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with("smsk_"))
        .expect("secret line")
        .to_owned();
    assert_eq!(secret.len(), 41);
    assert!(out.contains("shown once"));

    let list = env.ok(&["key", "list", "--json"]);
    let show = env.ok(&["key", "show", "ci", "--json"]);
    let audit = env.ok(&["audit", "--json"]);
    for text in [&list, &show, &audit] {
        assert!(!text.contains(&secret), "secret leaked: {text}");
        assert!(!text.contains(&secret[5..35]));
    }
    let bytes = store_bytes(&env.db);
    assert!(!bytes.is_empty());
    assert!(!contains(&bytes, secret.as_bytes()), "secret found in the store file");
    assert!(!contains(&bytes, &secret.as_bytes()[5..35]), "secret body found in the store file");
    // The last four characters are kept on purpose.
    let v: serde_json::Value = serde_json::from_str(&show).unwrap();
    assert_eq!(v["secrets"][0]["last4"], secret[secret.len() - 4..]);
    assert_eq!(v["secrets"][0]["state"], "current");
}

#[test]
fn quiet_create_prints_the_secret_alone() {
    let env = TestEnv::new();
    let out = env.ok(&["key", "create", "deploy", "--quiet"]);
    assert!(out.starts_with("smsk_"));
    assert_eq!(out.trim_end().lines().count(), 1);
    assert_eq!(out.trim_end().len(), 41);
}

#[test]
fn json_create_has_id_name_secret() {
    let env = TestEnv::new();
    let v = env.json(&["key", "create", "svc", "--expires", "30d"]);
    assert!(v["id"].as_str().unwrap().starts_with("key_"));
    assert_eq!(v["name"], "svc");
    assert!(v["secret"].as_str().unwrap().starts_with("smsk_"));
    assert!(v["expires_at"].as_str().unwrap().ends_with('Z'));
    assert_eq!(v["status"], "active");
}

#[test]
fn list_hides_revoked_keys_unless_all() {
    let env = TestEnv::new();
    env.create_key("a", &[]);
    env.create_key("b", &[]);
    env.ok(&["key", "revoke", "b", "--yes"]);
    let names = |v: serde_json::Value| {
        v.as_array()
            .unwrap()
            .iter()
            .map(|k| k["name"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(names(env.json(&["key", "list"])), ["a"]);
    assert_eq!(names(env.json(&["key", "list", "--all"])), ["a", "b"]);
    let all = env.json(&["key", "list", "--all"]);
    assert_eq!(all[1]["status"], "revoked");
    assert!(all[1].get("secrets").is_none(), "list never carries secrets");
}

#[test]
fn show_accepts_name_or_id_case_insensitively() {
    let env = TestEnv::new();
    let (id, _) = env.create_key("Billing", &[]);
    assert_eq!(env.json(&["key", "show", &id])["name"], "Billing");
    assert_eq!(env.json(&["key", "show", "billing"])["id"], id.as_str());
    let table = env.ok(&["key", "show", "Billing"]);
    assert!(table.contains("empty: every address is refused"));
}

#[test]
fn rename_keeps_the_id_and_audits() {
    let env = TestEnv::new();
    let (id, _) = env.create_key("old", &[]);
    env.ok(&["key", "rename", "old", "new"]);
    assert_eq!(env.json(&["key", "show", "new"])["id"], id.as_str());
    // Renaming to a different case of its own name is allowed.
    env.ok(&["key", "rename", "new", "NEW"]);
    let audit = env.json(&["audit", "--key", "NEW"]);
    let rename = &audit.as_array().unwrap()[1];
    assert_eq!(rename["action"], "key.rename");
    assert_eq!(rename["before"]["name"], "old");
    assert_eq!(rename["after"]["name"], "new");
    assert_eq!(rename["actor"], "tester");
}

#[test]
fn rotate_keeps_two_secrets_during_grace() {
    let env = TestEnv::new();
    let (_, first) = env.create_key("ci", &[]);
    let v = env.json(&["key", "rotate", "ci", "--grace", "2h"]);
    let second = v["secret"].as_str().unwrap().to_owned();
    assert_ne!(first, second);
    let secrets = v["secrets"].as_array().unwrap();
    assert_eq!(secrets.len(), 2);
    assert_eq!(secrets[0]["state"], "current");
    assert_eq!(secrets[0]["last4"], second[second.len() - 4..]);
    assert_eq!(secrets[1]["state"], "grace");
    assert_eq!(secrets[1]["last4"], first[first.len() - 4..]);
    assert!(secrets[1]["valid_until"].is_string());

    // A second rotation during the grace is a conflict, store unchanged.
    env.fails(&["key", "rotate", "ci"], 4, "in grace until");
    // --force ends the older grace now: still two secrets, the middle one in grace.
    let v = env.json(&["key", "rotate", "ci", "--force"]);
    let secrets = v["secrets"].as_array().unwrap();
    assert_eq!(secrets.len(), 2);
    assert_eq!(secrets[1]["last4"], second[second.len() - 4..]);
}

#[test]
fn rotate_with_zero_grace_leaves_one_secret() {
    let env = TestEnv::new();
    env.create_key("ci", &[]);
    let v = env.json(&["key", "rotate", "ci", "--grace", "0"]);
    assert_eq!(v["secrets"].as_array().unwrap().len(), 1);
    assert!(v["previous_valid_until"].is_null());
    // With no grace running, rotating again needs no --force.
    env.ok(&["key", "rotate", "ci", "--grace", "0"]);
}

#[test]
fn quiet_rotate_prints_the_new_secret_alone() {
    let env = TestEnv::new();
    env.create_key("ci", &[]);
    let out = env.ok(&["key", "rotate", "ci", "--quiet"]);
    assert!(out.starts_with("smsk_") && out.trim_end().lines().count() == 1);
}

#[test]
fn revoke_is_final() {
    let env = TestEnv::new();
    env.create_key("ci", &[]);
    let v = env.json(&["key", "revoke", "ci", "--yes"]);
    assert_eq!(v["status"], "revoked");
    assert_eq!(v["secrets"].as_array().unwrap().len(), 0);
    env.fails(&["key", "revoke", "ci", "--yes"], 5, "is revoked");
    env.fails(&["key", "rotate", "ci"], 5, "is revoked");
}

#[test]
fn audit_records_every_mutation_and_verifies() {
    let env = TestEnv::new();
    env.create_key("ci", &[]);
    env.ok(&["key", "rotate", "ci", "--grace", "0"]);
    env.ok(&["key", "rename", "ci", "ci2"]);
    env.ok(&["key", "revoke", "ci2", "--yes"]);
    let rows = env.json(&["audit"]);
    let actions: Vec<_> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["action"].as_str().unwrap().to_owned())
        .collect();
    // Every store's trail starts with its keyed anchor.
    assert_eq!(actions, ["audit.anchor", "key.create", "key.rotate", "key.rename", "key.revoke"]);
    let v = env.json(&["audit", "verify"]);
    assert_eq!(v["intact"], true);
    assert_eq!(v["rows"], 5);
    assert_eq!(v["keyed_from"], 1);
    env.cmd()
        .args(["audit", "--since", "1h"])
        .assert()
        .success()
        .stdout(predicate::str::contains("key.revoke"));
    // Secret changes read as words, not as the snapshot's JSON.
    let text = env.ok(&["audit"]);
    let rotate = text.lines().find(|l| l.contains("key.rotate")).unwrap();
    assert!(rotate.contains(" issued") && rotate.contains(" valid until "), "{rotate}");
    assert!(!rotate.contains("fingerprint"), "{rotate}");
}

// ---- bad input: exit code, message, store unchanged ----

#[test]
fn bad_names_are_usage_errors() {
    let env = TestEnv::new();
    env.create_key("taken", &[]);
    let long = "x".repeat(65);
    for bad in [
        "",
        "has space",
        "ünïcode",
        long.as_str(),
        "semi;colon",
        "key_abcd1234",
        "KEY_ABCD1234",
        "nul\u{1}byte",
    ] {
        env.fails(&["key", "create", bad], 2, "invalid key name");
    }
    env.fails(&["key", "rename", "taken", "bad/name"], 2, "invalid key name");
}

#[test]
fn duplicate_names_conflict_case_insensitively() {
    let env = TestEnv::new();
    env.create_key("prod", &[]);
    env.create_key("other", &[]);
    env.fails(&["key", "create", "PROD"], 4, "already exists");
    env.fails(&["key", "rename", "other", "Prod"], 4, "already exists");
}

#[test]
fn unknown_keys_are_not_found() {
    let env = TestEnv::new();
    env.create_key("real", &[]);
    env.fails(&["key", "show", "ghost"], 3, "no key named 'ghost'");
    env.fails(&["key", "rename", "ghost", "x"], 3, "no key named");
    env.fails(&["key", "rotate", "ghost"], 3, "no key named");
    env.fails(&["key", "revoke", "ghost", "--yes"], 3, "no key named");
    env.fails(&["audit", "--key", "ghost"], 3, "no key named");
}

#[test]
fn bad_durations_are_usage_errors() {
    let env = TestEnv::new();
    env.create_key("ci", &[]);
    env.fails(&["key", "rotate", "ci", "--grace", "5x"], 2, "invalid duration '5x'");
    env.fails(&["key", "rotate", "ci", "--grace=-1h"], 2, "invalid duration");
    env.fails(&["key", "create", "new", "--expires", "soon"], 2, "invalid expiry 'soon'");
    env.fails(&["key", "create", "new", "--expires", "2001-01-01"], 2, "in the past");
    env.fails(&["audit", "--since", "yesterday"], 2, "invalid --since");
}

#[test]
fn revoke_without_yes_and_without_tty_refuses() {
    let env = TestEnv::new();
    env.create_key("ci", &[]);
    let stderr = env.fails(&["key", "revoke", "ci"], 2, "needs confirmation");
    assert!(stderr.contains("hint: pass --yes"));
    env.fails(&["key", "revoke", "ci", "--no-input"], 2, "needs confirmation");
    assert_eq!(env.json(&["key", "show", "ci"])["status"], "active");
}

#[test]
fn store_newer_than_binary_is_refused_untouched() {
    let env = TestEnv::new();
    env.create_key("ci", &[]);
    crate::common::set_schema_version(&env.db, 99);
    let bytes = store_bytes(&env.db);
    let stderr = env.fails(&["key", "list"], 7, "newer than this smsctl supports");
    assert!(stderr.contains("hint: upgrade smsctl"));
    env.fails(&["key", "create", "x"], 7, "schema version 99");
    assert_eq!(bytes, store_bytes(&env.db), "store bytes changed");
}

#[test]
fn unusable_store_paths_are_store_errors() {
    let env = TestEnv::new();
    let missing_dir = env.dir.path().join("no/such/dir/s.db");
    env.cmd()
        .args(["key", "create", "x"])
        .env("SMSCTL_DB", &missing_dir)
        .assert()
        .code(7)
        .stderr(predicate::str::contains("does not exist"));
    env.cmd()
        .args(["key", "list"])
        .env("SMSCTL_DB", env.dir.path())
        .assert()
        .code(7)
        .stderr(predicate::str::contains("is a directory"));
    let garbage = env.dir.path().join("garbage.db");
    std::fs::write(&garbage, b"this is not a database, just some text long enough to have a header").unwrap();
    env.cmd()
        .args(["key", "list"])
        .env("SMSCTL_DB", &garbage)
        .assert()
        .code(7)
        .stderr(predicate::str::contains("smsctl: error:"));
    assert_eq!(
        std::fs::read(&garbage).unwrap(),
        b"this is not a database, just some text long enough to have a header"
    );
}

#[cfg(unix)]
#[test]
fn read_only_store_is_a_store_error_not_a_panic() {
    use std::os::unix::fs::PermissionsExt;
    let env = TestEnv::new();
    env.create_key("ci", &[]);
    // Root ignores permission bits; only meaningful for ordinary users.
    if std::fs::metadata("/root")
        .map(|m| m.permissions().mode() & 0o077 == 0)
        .unwrap_or(false)
        && std::env::var("USER").as_deref() == Ok("root")
    {
        return;
    }
    let dir = env.dir.path();
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o500)).unwrap();
    let out = env.cmd().args(["key", "create", "x"]).output().unwrap();
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).unwrap();
    assert_ne!(out.status.code(), Some(101), "panicked");
}

#[test]
fn json_errors_still_go_to_stderr_with_exit_codes() {
    let env = TestEnv::new();
    let stderr = env.fails(&["key", "show", "nope", "--json"], 3, "no key named");
    let v: serde_json::Value = serde_json::from_str(stderr.trim()).expect("one JSON object on stderr");
    assert_eq!(v["error"]["kind"], "not_found");
    assert_eq!(v["error"]["exit_code"], 3);
    // An empty (here: missing) store is named as the likelier cause than the key's name.
    assert!(v["error"]["hint"].as_str().is_some_and(|h| h.contains("SMSCTL_DB")), "{v}");
}

#[test]
fn clap_usage_errors_exit_2() {
    let env = TestEnv::new();
    env.cmd().args(["key", "frobnicate"]).assert().code(2);
    env.cmd().args(["key", "create"]).assert().code(2);
}

#[test]
fn rotate_with_zero_grace_says_the_old_secret_stopped() {
    let env = TestEnv::new();
    env.create_key("ci", &[]);
    let out = env.ok(&["key", "rotate", "ci", "--grace", "0"]);
    assert!(out.contains("The previous secret stopped working now"), "{out}");
}

#[test]
fn usage_errors_from_the_parser_have_the_smsctl_shape() {
    let env = TestEnv::new();
    env.cmd()
        .args(["key", "frobnicate"])
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with("smsctl: error: unrecognized subcommand"));
    env.cmd()
        .arg("--version")
        .assert()
        .success()
        .stdout(predicate::str::starts_with("smsctl "));
}

#[test]
fn bad_environment_values_are_usage_errors() {
    let env = TestEnv::new();
    env.create_key("ci", &[]);
    let before = env.dump();
    env.cmd()
        .args(["key", "list"])
        .env("SMSCTL_BUSY_TIMEOUT_MS", "soon")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("invalid SMSCTL_BUSY_TIMEOUT_MS"));
    assert_eq!(before, env.dump());
    let missing = env.dir.path().join("not-yet.db");
    env.cmd()
        .args(["key", "list"])
        .env("SMSCTL_DB", &missing)
        .env("SMSCTL_BUSY_TIMEOUT_MS", "soon")
        .assert()
        .code(2);
    env.cmd()
        .args(["key", "create", "other"])
        .env(crate::common::CLOCK_AHEAD, "soon")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("invalid SMSCTL_TEST_CLOCK_AHEAD: invalid duration 'soon'"));
    assert_eq!(before, env.dump());
    // Boolean variables accept the usual spellings.
    env.cmd()
        .args(["key", "list"])
        .env("SMSCTL_JSON", "1")
        .assert()
        .success()
        .stdout(predicate::str::starts_with("["));
    env.cmd()
        .args(["key", "list"])
        .env("SMSCTL_JSON", "false")
        .assert()
        .success()
        .stdout(predicate::str::starts_with(" name"));
}

#[test]
fn reading_from_a_store_in_a_missing_directory_fails_loudly() {
    let env = TestEnv::new();
    let typo = env.dir.path().join("no-such-dir/smsctl.db");
    env.cmd()
        .args(["key", "list"])
        .env("SMSCTL_DB", &typo)
        .assert()
        .code(7)
        .stderr(predicate::str::contains("does not exist"));
    // A missing file in an existing directory reads as an empty store, and is not created.
    let fresh = env.dir.path().join("fresh.db");
    env.cmd()
        .args(["key", "list", "--json"])
        .env("SMSCTL_DB", &fresh)
        .assert()
        .success()
        .stdout("[]\n");
    assert!(!fresh.exists());
}
