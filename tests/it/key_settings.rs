//! Per-key settings, the character table, the IP whitelist and `key verify`, through the binary.

use crate::common::TestEnv;

#[test]
fn create_and_set_accept_every_setting() {
    let env = TestEnv::new();
    env.create_key(
        "ci",
        &[
            "--sender",
            "ACME",
            "--auto-replace",
            "on",
            "--replace",
            "ł=l",
            "--dlr-url",
            "https://hooks.example.com/dlr",
            "--allow-ip",
            "203.0.113.0/24",
            "--description",
            "CI",
            "--expires",
            "30d",
        ],
    );
    let v = env.json(&["key", "show", "ci"]);
    assert_eq!(v["sender"], "ACME");
    assert_eq!(v["auto_replace"], "on");
    assert_eq!(v["replace"]["ł"], "l");
    assert_eq!(v["dlr_url"], "https://hooks.example.com/dlr");
    assert_eq!(v["whitelist"][0], "203.0.113.0/24");
    assert_eq!(v["description"], "CI");

    let v = env.json(&[
        "key",
        "set",
        "ci",
        "--sender",
        "+3725551234",
        "--auto-replace",
        "full",
        "--expires",
        "never",
    ]);
    assert_eq!(v["sender"], "+3725551234");
    assert_eq!(v["auto_replace"], "full");
    assert!(v["expires_at"].is_null());
    let v = env.json(&["key", "set", "ci", "--no-sender", "--no-dlr-url", "--no-description"]);
    assert!(v["sender"].is_null() && v["dlr_url"].is_null() && v["description"].is_null());

    let audit = env.json(&["audit", "--key", "ci"]);
    let last = audit.as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["action"], "key.set");
    assert_eq!(last["before"]["sender"], "+3725551234");
    assert!(last["after"]["sender"].is_null());
}

#[test]
fn show_says_plainly_that_an_empty_whitelist_refuses_all() {
    let env = TestEnv::new();
    let out = env.cmd().args(["key", "create", "open"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("empty IP whitelist"), "{stderr}");
    assert!(env.ok(&["key", "show", "open"]).contains("empty: every address is refused"));
    assert!(env.ok(&["key", "whitelist", "open", "list"]).contains("every address is refused"));
}

#[test]
fn bad_settings_are_rejected_and_change_nothing() {
    let env = TestEnv::new();
    env.create_key("ci", &["--sender", "ACME"]);
    env.fails(&["key", "set", "ci", "--sender", "ABCDEFGHIJKL"], 2, "at most 11 characters");
    env.fails(&["key", "set", "ci", "--sender", "1234567890123456"], 2, "at most 15 digits");
    env.fails(&["key", "set", "ci", "--sender", "АСМЕ"], 2, "is not allowed");
    env.fails(&["key", "set", "ci", "--sender", "+ACME"], 2, "only numeric senders");
    env.fails(
        &["key", "set", "ci", "--dlr-url", "http://hooks.example.com/x"],
        2,
        "only allowed for localhost",
    );
    env.fails(
        &["key", "set", "ci", "--dlr-url", "https://user@hooks.example.com/x"],
        2,
        "credentials",
    );
    env.fails(&["key", "set", "ci", "--dlr-url", "ftp://hooks.example.com/x"], 2, "scheme 'ftp'");
    env.fails(&["key", "set", "ci", "--dlr-url", "https://intranet/x"], 2, "fully qualified");
    let long = format!("https://example.com/{}", "a".repeat(2100));
    env.fails(&["key", "set", "ci", "--dlr-url", &long], 2, "2048");
    env.fails(&["key", "set", "ci", "--auto-replace", "sometimes"], 2, "expected off, on or full");
    env.fails(&["key", "set", "ci", "--expires", "yesterday"], 2, "invalid expiry");
    env.fails(&["key", "set", "ci"], 2, "nothing to change");
    env.fails(&["key", "set", "ghost", "--sender", "X"], 3, "no key named");
    // A bad setting in `create` creates nothing.
    env.fails(&["key", "create", "new", "--sender", "way too long sender"], 2, "invalid sender");
    env.fails(
        &["key", "create", "new", "--allow-ip", "10.0.0.0/8", "--allow-ip", "1.2.3.4/33"],
        2,
        "invalid whitelist entry '1.2.3.4/33'",
    );
    env.fails(&["key", "create", "new", "--replace", "ab=c"], 2, "exactly one character");
    env.fails(&["key", "create", "new", "--replace", "nope"], 2, "expected FROM=TO");
}

#[test]
fn replace_table_add_remove_list_clear() {
    let env = TestEnv::new();
    env.create_key("ci", &["--auto-replace", "on"]);
    env.ok(&["key", "replace", "ci", "add", "ł", "l"]);
    env.ok(&["key", "replace", "ci", "add", "€", "EUR"]);
    env.ok(&["key", "replace", "ci", "add", "☺", ""]);
    let v = env.json(&["key", "replace", "ci", "list"]);
    assert_eq!(v["replace"]["ł"], "l");
    assert_eq!(v["replace"]["€"], "EUR");
    assert_eq!(v["replace"]["☺"], "");
    env.ok(&["key", "replace", "ci", "remove", "☺"]);
    assert!(env.json(&["key", "replace", "ci", "list"])["replace"].get("☺").is_none());
    env.fails(&["key", "replace", "ci", "remove", "☺"], 3, "no replacement for");
    env.fails(&["key", "replace", "ci", "add", "ab", "x"], 2, "exactly one character");
    env.fails(&["key", "replace", "ci", "add", "x", "toolong"], 2, "0-4");
    env.fails(&["key", "replace", "ci", "add", "x", "ç"], 2, "GSM-7");
    env.ok(&["key", "replace", "ci", "clear"]);
    assert_eq!(env.json(&["key", "replace", "ci", "list"])["replace"], serde_json::json!({}));
}

#[test]
fn whitelist_canonicalises_dedupes_and_reports() {
    let env = TestEnv::new();
    env.create_key("ci", &[]);
    let out = env
        .cmd()
        .args([
            "key",
            "whitelist",
            "ci",
            "add",
            "10.0.0.1/8",
            "192.0.2.7",
            "2001:db8::1/32",
            "::ffff:198.51.100.1",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("10.0.0.1/8 has host bits set; stored as 10.0.0.0/8"), "{stderr}");
    let v = env.json(&["key", "whitelist", "ci", "list"]);
    assert_eq!(
        v["whitelist"],
        serde_json::json!(["10.0.0.0/8", "192.0.2.7/32", "198.51.100.1/32", "2001:db8::/32"])
    );

    let v = env.json(&["key", "whitelist", "ci", "add", "10.0.0.0/8", "10.2.3.4", "192.0.2.0/24"]);
    assert_eq!(v["change"]["duplicates"], serde_json::json!(["10.0.0.0/8"]));
    assert_eq!(
        v["change"]["covered"][0],
        serde_json::json!({"entry": "10.2.3.4/32", "by": "10.0.0.0/8"})
    );
    assert_eq!(
        v["change"]["superseded"][0],
        serde_json::json!({"entry": "192.0.2.7/32", "by": "192.0.2.0/24"})
    );
    assert_eq!(v["whitelist"].as_array().unwrap().len(), 4);

    env.ok(&["key", "whitelist", "ci", "remove", "192.0.2.0/24"]);
    env.fails(&["key", "whitelist", "ci", "remove", "192.0.2.0/24"], 3, "not in the whitelist");
    // All or nothing.
    env.fails(
        &["key", "whitelist", "ci", "add", "203.0.113.1", "01.2.3.4"],
        2,
        "invalid whitelist entry '01.2.3.4'",
    );
    env.fails(&["key", "whitelist", "ci", "add", "::/129"], 2, "invalid whitelist entry");
    env.fails(&["key", "whitelist", "ci", "add", "fe80::1%eth0"], 2, "zone ids");
    env.fails(
        &["key", "whitelist", "ci", "remove", "10.0.0.0/8", "11.0.0.0/8"],
        3,
        "11.0.0.0/8 is not in the whitelist",
    );
}

#[test]
fn whitelist_family_and_production_lints() {
    let env = TestEnv::new();
    env.create_key("prod", &["--production", "--owner", "ops"]);
    let out = env
        .cmd()
        .args(["key", "whitelist", "prod", "add", "0.0.0.0/0", "127.0.0.1"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("add ::/0"), "{stderr}");
    // Clearing a production key's whitelist is an outage: without a terminal it needs --yes.
    env.fails(&["key", "whitelist", "prod", "clear"], 2, "needs confirmation");
    let out = env.cmd().args(["key", "whitelist", "prod", "clear", "--yes"]).output().unwrap();
    assert!(out.status.success());
    let out = env.cmd().args(["key", "whitelist", "prod", "add", "10.0.0.0/8"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("private/loopback range on a production key"));
    let v = env.json(&["key", "whitelist", "prod", "allow-all"]);
    assert_eq!(v["whitelist"], serde_json::json!(["0.0.0.0/0", "::/0"]));
    assert_eq!(v["allows_all"], true);
}

#[test]
fn whitelist_test_answers_offline() {
    let env = TestEnv::new();
    env.create_key("ci", &["--allow-ip", "10.0.0.0/8", "--allow-ip", "::1"]);
    let v = env.json(&["key", "whitelist", "ci", "test", "10.1.2.3", "::ffff:10.9.9.9", "::1"]);
    assert_eq!(v[0]["matched"], "10.0.0.0/8");
    assert_eq!(v[1]["matched"], "10.0.0.0/8", "IPv4-mapped peers match IPv4 entries");
    assert_eq!(v[2]["matched"], "::1/128");
    env.fails(&["key", "whitelist", "ci", "test", "11.0.0.1"], 5, "would be refused");
    env.fails(&["key", "whitelist", "ci", "test", "not-an-ip"], 2, "invalid address");
}

fn verify(env: &TestEnv, secret: &str, extra: &[&str]) -> (i32, serde_json::Value) {
    verify_by(env.cmd(), secret, extra)
}

/// `key verify` by a clock `ahead` of the system clock.
fn verify_later(env: &TestEnv, ahead: &str, secret: &str) -> (i32, serde_json::Value) {
    verify_by(env.cmd_ahead(ahead), secret, &[])
}

fn verify_by(mut cmd: assert_cmd::Command, secret: &str, extra: &[&str]) -> (i32, serde_json::Value) {
    let mut args = vec!["key", "verify", "--json"];
    args.extend_from_slice(extra);
    let out = cmd.args(&args).write_stdin(format!("{secret}\n")).output().unwrap();
    let v: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|_| panic!("stdout not JSON: {}", String::from_utf8_lossy(&out.stdout)));
    (out.status.code().unwrap(), v)
}

#[test]
fn verify_outcomes() {
    let env = TestEnv::new();
    let (id, secret) = env.create_key("ci", &["--allow-ip", "10.0.0.0/8", "--allow-ip", "2001:db8::/32"]);

    let (code, v) = verify(&env, &secret, &[]);
    assert_eq!((code, v["reason"].as_str().unwrap()), (0, "ok"));
    assert_eq!(v["key"]["id"], id.as_str());
    assert_eq!(v["secret"]["state"], "current");

    let (code, v) = verify(&env, &secret, &["--ip", "::ffff:10.1.1.1"]);
    assert_eq!((code, v["reason"].as_str().unwrap()), (0, "ok"));
    assert_eq!(v["ip"]["matched"], "10.0.0.0/8");
    let shown = env.json(&["key", "show", "ci"]);
    assert!(shown["last_used_at"].is_string());
    assert_eq!(shown["last_used_ip"], "10.1.1.1");

    let (code, v) = verify(&env, &secret, &["--ip", "192.0.2.1"]);
    assert_eq!((code, v["reason"].as_str().unwrap()), (5, "ip_not_allowed"));

    let mut typo = secret.clone().into_bytes();
    typo[10] = if typo[10] == b'a' { b'b' } else { b'a' };
    let (code, v) = verify(&env, std::str::from_utf8(&typo).unwrap(), &[]);
    assert_eq!((code, v["reason"].as_str().unwrap()), (5, "malformed"));

    // Well-formed, valid checksum, but no such key: a fresh key's secret from another store.
    let other = TestEnv::new();
    let (_, foreign) = other.create_key("x", &[]);
    let (code, v) = verify(&env, &foreign, &[]);
    assert_eq!((code, v["reason"].as_str().unwrap()), (5, "unknown"));
    assert!(v["key"].is_null());

    env.ok(&["key", "revoke", "ci", "--yes"]);
    let (code, v) = verify(&env, &secret, &[]);
    assert_eq!((code, v["reason"].as_str().unwrap()), (5, "revoked"));
}

#[test]
fn verify_reports_grace_then_grace_ended() {
    let env = TestEnv::new();
    let (_, old) = env.create_key("ci", &[]);
    let new = env.json(&["key", "rotate", "ci", "--grace", "1h"])["secret"]
        .as_str()
        .unwrap()
        .to_owned();
    let (code, v) = verify(&env, &old, &[]);
    assert_eq!((code, v["reason"].as_str().unwrap()), (0, "ok"));
    assert_eq!(v["secret"]["state"], "grace");
    let (code, v) = verify(&env, &new, &[]);
    assert_eq!((code, v["secret"]["state"].as_str().unwrap()), (0, "current"));
    // Two hours on, by a clock that runs ahead: the grace has ended, the new secret is current.
    let (code, v) = verify_later(&env, "2h", &old);
    assert_eq!((code, v["reason"].as_str().unwrap()), (5, "grace_ended"));
    let (code, v) = verify_later(&env, "2h", &new);
    assert_eq!((code, v["secret"]["state"].as_str().unwrap()), (0, "current"));
    // Half an hour on, it still runs.
    let (code, v) = verify_later(&env, "30m", &old);
    assert_eq!((code, v["secret"]["state"].as_str().unwrap()), (0, "grace"));
}

#[test]
fn verify_reports_expired() {
    let env = TestEnv::new();
    let (_, secret) = env.create_key("ci", &["--expires", "1h"]);
    assert_eq!(verify(&env, &secret, &[]).0, 0);
    let (code, v) = verify_later(&env, "2h", &secret);
    assert_eq!((code, v["reason"].as_str().unwrap()), (5, "expired"));
    let shown = env.cmd_ahead("2h").args(["key", "show", "ci", "--json"]).output().unwrap();
    let shown: serde_json::Value = serde_json::from_slice(&shown.stdout).unwrap();
    assert_eq!(shown["status"], "expired");
    assert_eq!(env.json(&["key", "show", "ci"])["status"], "active");
}

#[test]
fn verify_bad_input() {
    let env = TestEnv::new();
    env.create_key("ci", &[]);
    env.fails_with_stdin(
        &["key", "verify"],
        Some(""),
        2,
        "no secret to check: nothing on stdin and SMSCTL_KEY_SECRET is not set",
    );
    env.fails_with_stdin(&["key", "verify", "--ip", "nope"], Some("smsk_x"), 2, "invalid --ip");
    let stderr = env.fails_with_stdin(
        &["key", "verify"],
        Some("smsk_0000000000000000000000000000000000000"),
        5,
        "secret rejected (malformed)",
    );
    assert!(!stderr.contains("smsk_0000"), "the secret must not be echoed");
}

#[test]
fn edit_without_a_terminal_points_to_key_set() {
    let env = TestEnv::new();
    env.create_key("ci", &[]);
    let stderr = env.fails(&["key", "edit", "ci"], 2, "needs a terminal");
    assert!(stderr.contains("smsctl key set ci"));
}

/// Every command that would change a revoked key refuses it the same way: exit 5, one
/// message, the store unchanged (`fails` checks it).
#[test]
fn revoked_keys_cannot_change() {
    let env = TestEnv::new();
    env.create_key("ci", &[]);
    env.ok(&["key", "revoke", "ci", "--yes"]);
    let message = "key 'ci' is revoked; a revoked key cannot change";
    for args in [
        &["key", "set", "ci", "--sender", "ACME"][..],
        &["key", "whitelist", "ci", "allow-all"],
        &["key", "replace", "ci", "clear"],
        &["key", "rename", "ci", "ci-renamed"],
        &["key", "rotate", "ci"],
        &["key", "rotate", "ci", "--finish"],
        &["key", "revoke", "ci", "--yes"],
    ] {
        let stderr = env.fails(args, 5, message);
        assert!(stderr.contains("hint: revocation is final"), "{args:?}: {stderr}");
    }
    // The name stays taken by the revoked key.
    env.fails(&["key", "create", "ci"], 4, "already exists");
}

#[test]
fn last_use_is_tracked_per_secret() {
    let env = TestEnv::new();
    let (_, old) = env.create_key("ci", &["--allow-ip", "10.0.0.0/8"]);
    let new = env.json(&["key", "rotate", "ci", "--grace", "1h"])["secret"]
        .as_str()
        .unwrap()
        .to_owned();
    let (code, _) = verify(&env, &new, &["--ip", "10.1.1.1"]);
    assert_eq!(code, 0);
    let v = env.json(&["key", "show", "ci"]);
    assert!(v["secrets"][0]["last_used_at"].is_string(), "the new secret was used: {v}");
    assert!(v["secrets"][1]["last_used_at"].is_null(), "the old secret was not: {v}");
    assert_eq!(v["last_used_ip"], "10.1.1.1");
    // A check without an address records the use but never clears the last known address.
    let (code, _) = verify(&env, &old, &[]);
    assert_eq!(code, 0);
    let v = env.json(&["key", "show", "ci"]);
    assert!(v["secrets"][1]["last_used_at"].is_string());
    assert_eq!(v["last_used_ip"], "10.1.1.1");
}

#[test]
fn auto_replace_can_be_set_explicitly_and_unset() {
    let env = TestEnv::new();
    env.create_key("ci", &["--sender", "ACME"]);
    assert!(env.json(&["key", "show", "ci"])["auto_replace"].is_null());
    env.ok(&["key", "set", "ci", "--auto-replace", "off"]);
    assert_eq!(env.json(&["key", "show", "ci"])["auto_replace"], "off");
    let v = env.json(&["send", "--key", "ci", "--to", "+37255512345", "--text", "x", "--dry-run"]);
    assert_eq!(v["settings"]["autoconvert"]["source"], "key", "an explicit off is the key's choice");
    env.ok(&["key", "set", "ci", "--no-auto-replace"]);
    assert!(env.json(&["key", "show", "ci"])["auto_replace"].is_null());
    let v = env.json(&["send", "--key", "ci", "--to", "+37255512345", "--text", "x", "--dry-run"]);
    assert_eq!(v["settings"]["autoconvert"]["source"], "default");
}

/// Runs smsctl on a real pseudo-terminal (util-linux `script`), typing `input`; `None` when
/// `script` is not installed.
fn on_terminal(env: &TestEnv, args: &str, input: &[u8]) -> Option<std::process::ExitStatus> {
    on_terminal_after(env, args, || {}, input)
}

/// Like [`on_terminal`], running `meanwhile` after the command started and before typing.
fn on_terminal_after(env: &TestEnv, args: &str, meanwhile: impl FnOnce(), input: &[u8]) -> Option<std::process::ExitStatus> {
    use std::io::Write;
    use std::process::{Command, Stdio};
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("skipped: util-linux `script` is not installed");
        return None;
    }
    let bin = assert_cmd::cargo::cargo_bin("smsctl");
    let mut child = Command::new("script")
        .args(["-qec", &format!("'{}' {args}", bin.display()), "/dev/null"])
        .env("SMSCTL_DB", &env.db)
        .env("SMSCTL_KEYRING", "none")
        .env("SMSCTL_ACTOR", "tester")
        .env("HOME", env.dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    meanwhile();
    stdin.write_all(input).unwrap();
    // Keep stdin open until the command is done: closing it would end the terminal session.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("smsctl {args} did not finish on the terminal");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    drop(stdin);
    Some(status)
}

#[test]
fn edit_on_a_terminal_walks_through_the_settings() {
    let env = TestEnv::new();
    env.create_key("ed", &[]);
    // Sender: type SHOP. Autoconvert: down twice to `full` (arrow keys are escape sequences on
    // a terminal). Webhook and description: type one each. Then Enter at "Save these changes?".
    let input = b"SHOP\r\x1b[B\x1b[B\rhttps://hooks.example.com/x\redited\r\r";
    let Some(status) = on_terminal(&env, "key edit ed", input) else {
        return;
    };
    assert!(status.success());
    let v = env.json(&["key", "show", "ed"]);
    assert_eq!(v["sender"], "SHOP");
    assert_eq!(v["auto_replace"], "full");
    assert_eq!(v["dlr_url"], "https://hooks.example.com/x");
    assert_eq!(v["description"], "edited");
    let audit = env.json(&["audit", "--key", "ed"]);
    assert_eq!(audit.as_array().unwrap().last().unwrap()["action"], "key.set");
}

#[test]
fn revoke_asks_on_a_terminal() {
    let env = TestEnv::new();
    env.create_key("keep", &[]);
    env.create_key("drop", &[]);
    let before = env.dump();
    // A single `y` never revokes: the name must be typed.
    let Some(status) = on_terminal(&env, "key revoke keep", b"y\r") else {
        return;
    };
    assert_eq!(status.code(), Some(1), "declining is a failure, and changes nothing");
    assert_eq!(before, env.dump());
    let Some(status) = on_terminal(&env, "key revoke drop", b"drop\r") else {
        return;
    };
    assert!(status.success());
    assert_eq!(env.json(&["key", "show", "drop"])["status"], "revoked");
    assert_eq!(env.json(&["key", "show", "keep"])["status"], "active");
}

#[test]
fn verify_reads_the_environment_before_stdin_and_checks_the_key_with_key() {
    let env = TestEnv::new();
    let (_, ci) = env.create_key("ci", &[]);
    let (_, other) = env.create_key("other", &[]);
    // Nothing piped: SMSCTL_KEY_SECRET is used.
    let out = env
        .cmd()
        .args(["key", "verify", "--json"])
        .env("SMSCTL_KEY_SECRET", &ci)
        .write_stdin("")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    // The environment wins over stdin (which is then not read, so an open pipe cannot make
    // verify wait); --secret-stdin reads stdin anyway.
    let out = env
        .cmd()
        .args(["key", "verify", "--json"])
        .env("SMSCTL_KEY_SECRET", "smsk_bad")
        .write_stdin(ci.clone())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(5));
    let out = env
        .cmd()
        .args(["key", "verify", "--json", "--secret-stdin"])
        .env("SMSCTL_KEY_SECRET", "smsk_bad")
        .write_stdin(ci.clone())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    // --key: another key's valid secret does not belong to it.
    let out = env
        .cmd()
        .args(["key", "verify", "--key", "ci", "--json"])
        .write_stdin(other)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(5));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["reason"], "wrong_key", "it says whose secret it is: {v}");
    env.fails_with_stdin(&["key", "verify", "--key", "ghost"], Some(&ci), 3, "no key named");
}

#[test]
fn edit_leaves_untouched_fields_alone() {
    let env = TestEnv::new();
    env.create_key("ed", &["--sender", "KEEP"]);
    let before = env.dump();
    // Enter at every prompt: nothing changes, no audit row, auto-replace stays unset.
    let Some(status) = on_terminal(&env, "key edit ed", b"\r\r\r\r") else {
        return;
    };
    assert!(status.success());
    assert_eq!(before, env.dump());
    assert!(env.json(&["key", "show", "ed"])["auto_replace"].is_null());
}

#[test]
fn edit_refuses_to_overwrite_a_concurrent_change() {
    let env = TestEnv::new();
    env.create_key("ed", &[]);
    let concurrent = || {
        // The editor has loaded the key and waits at its first prompt.
        std::thread::sleep(std::time::Duration::from_millis(700));
        env.ok(&["key", "set", "ed", "--sender", "OTHER"]);
    };
    let Some(status) = on_terminal_after(&env, "key edit ed", concurrent, b"MINE\r\r\r\r\r") else {
        return;
    };
    assert_eq!(status.code(), Some(4), "a conflict, nothing saved");
    assert_eq!(env.json(&["key", "show", "ed"])["sender"], "OTHER");
}
