//! Operator workflows (issue 18): finishing rotations, handing secrets over, guard rails,
//! the output contract. Prompts run in a real terminal (tmux).

use std::time::{Duration, Instant};

use crate::common::{Gateway, TestEnv};

use serde_json::Value;

fn secret_state(env: &TestEnv, key: &str, secret: &str) -> Value {
    let out = env
        .cmd()
        .args(["key", "verify", "--key", key, "--no-record", "--json"])
        .write_stdin(secret)
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&out.stderr)))
}

fn audit_intact(env: &TestEnv) {
    let v = env.json(&["audit", "verify"]);
    assert_eq!(v["intact"], true, "{v}");
}

fn sql(env: &TestEnv, statement: &str) {
    crate::common::open_store(&env.db).execute_batch(statement).unwrap();
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

#[test]
fn finish_ends_the_grace_now_with_an_audit_row_the_replay_accepts() {
    let env = TestEnv::new();
    let (_, old) = env.create_key("ci", &["--allow-ip", "127.0.0.1"]);
    let rotated = env.json(&["key", "rotate", "ci", "--grace", "7d"]);
    let new = rotated["secret"].as_str().unwrap().to_owned();
    assert_eq!(secret_state(&env, "ci", &old)["secret"]["state"], "grace");

    let out = env.ok(&["key", "rotate", "ci", "--finish"]);
    assert!(out.contains("Finished the rotation of key ci"), "{out}");
    assert_eq!(secret_state(&env, "ci", &old)["reason"], "grace_ended");
    assert_eq!(secret_state(&env, "ci", &new)["reason"], "ok");
    audit_intact(&env);
    let trail = env.json(&["audit", "--key", "ci"]);
    assert_eq!(trail.as_array().unwrap().last().unwrap()["action"], "key.rotate_finish");

    // Nothing left to finish: a conflict, and nothing changes.
    let err = env.fails(&["key", "rotate", "ci", "--finish"], 4, "no previous secret in grace");
    assert!(err.contains("hint: start one with `smsctl key rotate ci`"), "{err}");
    // --finish issues no secret, so the options of a new one make no sense with it.
    env.fails(&["key", "rotate", "ci", "--finish", "--grace", "1h"], 2, "cannot be used with");
    env.fails(&["key", "rotate", "ci", "--finish", "--secret-file", "x"], 2, "cannot be used with");
}

#[test]
fn retire_when_quiet_waits_for_quiet_then_retires_at_the_next_write() {
    let env = TestEnv::new();
    let (_, old) = env.create_key("ci", &["--allow-ip", "127.0.0.1"]);
    let out = env.ok(&["key", "rotate", "ci", "--grace", "7d", "--retire-when-quiet", "1h"]);
    assert!(out.contains("retires earlier, by itself, once unused for 1h"), "{out}");
    // Pretend the rotation was two hours ago, but the old secret was used 30 minutes ago.
    let now = now_ms();
    sql(
        &env,
        &format!(
            "UPDATE secrets SET created_at = {} WHERE id = 2; UPDATE secrets SET last_used_at = {} WHERE id = 1;",
            now - 7_200_000,
            now - 1_800_000
        ),
    );
    env.create_key("other", &[]);
    assert_eq!(secret_state(&env, "ci", &old)["secret"]["state"], "grace", "used recently: kept");

    // Quiet for more than an hour now: the next write (any command) retires it.
    sql(
        &env,
        &format!("UPDATE secrets SET last_used_at = {} WHERE id = 1;", now - 3_700_000),
    );
    assert_eq!(secret_state(&env, "ci", &old)["secret"]["state"], "grace", "reads change nothing");
    env.ok(&["key", "rename", "other", "other2"]);
    assert_eq!(secret_state(&env, "ci", &old)["reason"], "grace_ended");
    audit_intact(&env);
    let trail = env.json(&["audit", "--key", "ci"]);
    let retire = trail
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["action"] == "key.retire_quiet")
        .expect("retire row");
    assert_eq!(retire["actor"], "smsctl");
}

#[test]
fn retire_when_quiet_needs_a_positive_duration_and_a_grace() {
    let env = TestEnv::new();
    env.create_key("ci", &[]);
    env.fails(
        &["key", "rotate", "ci", "--retire-when-quiet", "0"],
        2,
        "--retire-when-quiet must be longer than 0",
    );
    env.fails(
        &["key", "rotate", "ci", "--grace", "0", "--retire-when-quiet", "1h"],
        2,
        "needs a grace period",
    );
    env.fails(&["key", "rotate", "ci", "--retire-when-quiet", "soon"], 2, "soon");
}

#[test]
fn the_gateway_retires_a_quiet_secret_without_any_other_write() {
    let env = TestEnv::new();
    let (_, old) = env.create_key("ci", &["--allow-ip", "127.0.0.1"]);
    env.ok(&["key", "rotate", "ci", "--grace", "7d", "--retire-when-quiet", "1m"]);
    let back = now_ms() - 120_000;
    sql(&env, &format!("UPDATE secrets SET created_at = {back} WHERE id = 2;"));
    let gw = Gateway::start(&env, &[]).expect("gateway");
    let deadline = Instant::now() + Duration::from_secs(20);
    while secret_state(&env, "ci", &old)["reason"] != "grace_ended" {
        assert!(Instant::now() < deadline, "not retired by the gateway:\n{}", gw.log());
        std::thread::sleep(Duration::from_millis(300));
    }
    drop(gw);
    audit_intact(&env);
}

#[test]
fn rollover_shows_who_still_uses_the_old_secret() {
    let env = TestEnv::new();
    let (_, old) = env.create_key("ci", &["--allow-ip", "127.0.0.1", "--sender", "ACME"]);
    let gw = Gateway::start(&env, &[]).expect("gateway");
    env.ok(&["key", "rotate", "ci", "--grace", "1d"]);
    // Two different messages: `send` gives identical requests one Idempotency-Key.
    for i in 0..2 {
        let text = format!("hi {i}");
        let out = env
            .cmd()
            .args(["send", "--key", "ci", "--to", "+37255512345", "--text", &text, "--api-url", &gw.url])
            .env("SMSCTL_KEY_SECRET", &old)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let v = env.json(&["key", "rollover", "ci"]);
    let prev = &v["previous"][0];
    assert_eq!(prev["last4"], old[old.len() - 4..]);
    assert_eq!(prev["messages"], 2, "{v}");
    assert_eq!(prev["addresses"][0]["ip"], "127.0.0.1", "{v}");
    assert_eq!(prev["addresses"][0]["messages"], 2);
    assert!(prev["last_used_at"].is_string());
    let human = env.ok(&["key", "rollover", "ci"]);
    assert!(human.contains("127.0.0.1") && human.contains("--finish"), "{human}");
    assert_eq!(env.ok(&["key", "rollover", "ci", "--quiet"]), "127.0.0.1\n");
    // key show lists the same per secret: count and last address beside the last use.
    let show = env.json(&["key", "show", "ci"]);
    assert_eq!(show["secrets"][1]["messages"], 2, "{show}");
    assert_eq!(show["secrets"][1]["last_ip"], "127.0.0.1");
    assert_eq!(show["secrets"][0]["messages"], 0);
    assert!(env.ok(&["key", "show", "ci"]).contains("last ip"));
    drop(gw);

    env.ok(&["key", "rotate", "ci", "--finish"]);
    let human = env.ok(&["key", "rollover", "ci"]);
    assert!(human.contains("no rotation in progress"), "{human}");
    env.fails(&["key", "rollover", "nope"], 3, "no key named 'nope'");
}

#[test]
fn verify_no_record_changes_nothing_and_a_recorded_check_keeps_the_address() {
    let env = TestEnv::new();
    let (_, secret) = env.create_key("ci", &["--allow-ip", "0.0.0.0/0"]);
    env.cmd()
        .args(["key", "verify", "--ip", "203.0.113.9"])
        .write_stdin(secret.as_str())
        .assert()
        .success();
    let before = env.dump();
    env.cmd()
        .args(["key", "verify", "--no-record"])
        .write_stdin(secret.as_str())
        .assert()
        .success();
    assert_eq!(before, env.dump(), "--no-record changed the store");
    env.cmd().args(["key", "verify"]).write_stdin(secret.as_str()).assert().success();
    let show = env.json(&["key", "show", "ci"]);
    assert_eq!(
        show["last_used_ip"], "203.0.113.9",
        "a check without --ip cleared the address: {show}"
    );
}

#[test]
fn verify_with_the_env_secret_does_not_wait_on_an_open_stdin() {
    let env = TestEnv::new();
    let (_, secret) = env.create_key("ci", &[]);
    let mut child = env
        .std_cmd()
        .args(["key", "verify", "--key", "ci"])
        .env("SMSCTL_KEY_SECRET", &secret)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let _stdin_kept_open = child.stdin.take();
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("key verify waited on stdin although SMSCTL_KEY_SECRET was set");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success());
}

#[test]
fn verify_names_the_key_a_secret_really_belongs_to() {
    let env = TestEnv::new();
    env.create_key("ci", &[]);
    let (other_id, other) = env.create_key("deploy", &[]);
    let out = env
        .cmd()
        .args(["key", "verify", "--key", "ci", "--json"])
        .write_stdin(other.as_str())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(5));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["reason"], "wrong_key");
    assert!(v["detail"].as_str().unwrap().contains(&other_id), "{v}");
    let err: Value = serde_json::from_str(String::from_utf8_lossy(&out.stderr).trim()).unwrap();
    assert_eq!(err["error"]["reason"], "wrong_key");
}

#[cfg(unix)]
#[test]
fn secret_file_is_new_private_and_verifies() {
    use std::os::unix::fs::PermissionsExt;
    let env = TestEnv::new();
    let file = env.dir.path().join("ci.secret");
    let v = env.json(&["key", "create", "ci", "--secret-file", file.to_str().unwrap()]);
    assert!(v["secret"].is_null(), "the secret was printed: {v}");
    assert_eq!(v["secret_delivery"], "file");
    let meta = std::fs::symlink_metadata(&file).unwrap();
    assert_eq!(meta.permissions().mode() & 0o777, 0o600);
    let secret = std::fs::read_to_string(&file).unwrap();
    assert_eq!(secret_state(&env, "ci", secret.trim())["reason"], "ok");

    // rotate: an existing path and a symlink are refused, nothing changes, nothing is written.
    let f = file.to_str().unwrap();
    env.fails(&["key", "rotate", "ci", "--secret-file", f], 2, "already exists");
    let link = env.dir.path().join("link.secret");
    std::os::unix::fs::symlink(env.dir.path().join("target-of-link"), &link).unwrap();
    env.fails(
        &["key", "rotate", "ci", "--secret-file", link.to_str().unwrap()],
        2,
        "already exists (or is a link)",
    );
    assert!(!env.dir.path().join("target-of-link").exists());
    let missing = env.dir.path().join("no-such-dir").join("s");
    env.fails(
        &["key", "rotate", "ci", "--secret-file", missing.to_str().unwrap()],
        2,
        "does not exist",
    );

    let next = env.dir.path().join("ci-2.secret");
    let out = env.ok(&["key", "rotate", "ci", "--secret-file", next.to_str().unwrap()]);
    assert!(out.contains("Secret written to") && !out.contains("smsk_"), "{out}");
    let rotated = std::fs::read_to_string(&next).unwrap();
    assert_eq!(secret_state(&env, "ci", rotated.trim())["secret"]["state"], "current");
    assert_eq!(
        env.ok(&[
            "key",
            "rotate",
            "ci",
            "--force",
            "--secret-file",
            env.dir.path().join("q").to_str().unwrap(),
            "--quiet"
        ])
        .trim(),
        v["id"].as_str().unwrap()
    );
}

#[test]
fn secret_file_is_removed_when_the_command_rolls_back() {
    let env = TestEnv::new();
    env.create_key("ci", &[]);
    let file = env.dir.path().join("ci.secret");
    let before = env.dump();
    // The report cannot be written (stdout is /dev/full): the rotation rolls back.
    let out = env
        .std_cmd()
        .args(["key", "rotate", "ci", "--secret-file", file.to_str().unwrap()])
        .stdout(std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nothing was changed"));
    assert!(!file.exists(), "the secret file of a rolled-back rotation was left behind");
    assert_eq!(before, env.dump());
}

#[test]
fn an_explicit_format_flag_beats_the_environment() {
    let env = TestEnv::new();
    env.create_key("ci", &[]);
    let run = |vars: &[(&str, &str)], args: &[&str]| {
        let mut cmd = env.cmd();
        for (k, v) in vars {
            cmd.env(k, v);
        }
        String::from_utf8(cmd.args(args).output().unwrap().stdout).unwrap()
    };
    let table = run(&[("SMSCTL_JSON", "1")], &["key", "list", "--format", "table"]);
    assert!(table.starts_with(" name") || table.contains("name "), "{table}");
    assert!(serde_json::from_str::<Value>(&table).is_err());
    let table = run(&[("SMSCTL_FORMAT", "json")], &["key", "list", "--format", "table"]);
    assert!(serde_json::from_str::<Value>(&table).is_err(), "{table}");
    let json = run(&[("SMSCTL_FORMAT", "table")], &["key", "list", "--json"]);
    assert!(serde_json::from_str::<Value>(&json).is_ok(), "{json}");
    let json = run(&[("SMSCTL_JSON", "1")], &["key", "list"]);
    assert!(
        serde_json::from_str::<Value>(&json).is_ok(),
        "the environment alone still works: {json}"
    );
}

#[test]
fn json_errors_are_one_object_on_stderr_for_every_kind() {
    let env = TestEnv::new();
    env.create_key("ci", &[]);
    for (args, code, kind) in [
        (&["key", "show", "nope", "--json"][..], 3, "not_found"),
        (&["key", "create", "ci", "--json"][..], 4, "conflict"),
        (&["key", "frobnicate", "--json"][..], 2, "usage"),
        (&["--format", "json", "key", "rotate", "ci", "--grace", "soon"][..], 2, "usage"),
    ] {
        let stderr = env.fails(args, code, "");
        // Every stderr line is JSON (warnings too); the error is the last.
        let lines: Vec<Value> = stderr
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{args:?}: {e}: {stderr}")))
            .collect();
        let v = lines.last().unwrap();
        assert_eq!(v["error"]["kind"], kind, "{args:?}: {v}");
        assert_eq!(v["error"]["exit_code"], code);
        assert!(v["error"]["message"].as_str().is_some_and(|m| !m.is_empty()));
        assert!(v["error"].get("hint").is_some());
    }
}

#[test]
fn doctor_reports_a_rotation_in_progress_as_information() {
    let env = TestEnv::new();
    env.create_key("ci", &["--allow-ip", "10.0.0.0/8"]);
    env.ok(&["key", "rotate", "ci"]);
    let v = env.json(&["doctor"]);
    assert_eq!(v["healthy"], true, "{v}");
    assert!(v["notes"][0]["message"].as_str().unwrap().contains("still valid until"), "{v}");
    let human = env.ok(&["doctor"]);
    assert!(human.contains("Information (not a problem)"), "{human}");
}

#[test]
fn guard_rails_without_a_terminal_need_yes() {
    let env = TestEnv::new();
    env.create_key("prod", &["--production", "--owner", "shop", "--allow-ip", "203.0.113.0/24"]);
    env.create_key("dev", &["--allow-ip", "10.0.0.0/8"]);
    env.fails(&["key", "revoke", "dev"], 2, "revoking key 'dev' needs confirmation");
    env.fails(&["key", "rotate", "prod", "--grace", "0"], 2, "with --grace 0 needs confirmation");
    env.fails(
        &["key", "whitelist", "prod", "clear"],
        2,
        "clearing the whitelist of production key 'prod'",
    );
    env.fails(
        &["key", "set", "prod", "--expires", "2h"],
        2,
        "setting production key 'prod' to expire",
    );
    // Not production: the outage-making actions run as before.
    env.ok(&["key", "rotate", "dev", "--grace", "0"]);
    env.ok(&["key", "whitelist", "dev", "clear"]);
    env.ok(&["key", "set", "dev", "--expires", "2h"]);
    // A long expiry on a production key is not a guard-rail case; --yes is the way in.
    env.ok(&["key", "set", "prod", "--expires", "30d"]);
    env.ok(&["key", "rotate", "prod", "--grace", "0", "--yes"]);
    env.ok(&["key", "revoke", "dev", "--yes"]);
    audit_intact(&env);
}

/// A command run in a real terminal (tmux), with keys typed into it.
#[cfg(unix)]
struct Tty {
    name: String,
    marker: std::path::PathBuf,
}

#[cfg(unix)]
impl Tty {
    fn start(env: &TestEnv, args: &str) -> Option<Tty> {
        Tty::start_with_env(env, args, "TERM=xterm")
    }

    /// `vars`: extra `NAME=value` words for `env` (TERM among them).
    fn start_with_env(env: &TestEnv, args: &str, vars: &str) -> Option<Tty> {
        if std::process::Command::new("tmux").arg("-V").output().is_err() {
            eprintln!("tmux not installed: skipping the terminal test");
            return None;
        }
        let name = format!("smsctl-test-{}-{}", std::process::id(), rand_suffix());
        let marker = env.dir.path().join(format!("{name}.exit"));
        let bin = assert_cmd::cargo::cargo_bin("smsctl");
        let script = format!(
            "env -i PATH=/usr/bin:/bin HOME={home} {vars} SMSCTL_DB={db} SMSCTL_ACTOR=tester SMSCTL_KEYRING=none NO_COLOR=1 {bin} {args}; echo $? > {marker}; sleep 60",
            home = env.dir.path().display(),
            db = env.db.display(),
            bin = bin.display(),
            marker = marker.display(),
        );
        let ok = std::process::Command::new("tmux")
            .args(["new-session", "-d", "-s", &name, "-x", "120", "-y", "30", &script])
            .status()
            .unwrap()
            .success();
        assert!(ok, "tmux new-session failed");
        Some(Tty { name, marker })
    }

    fn screen(&self) -> String {
        let out = std::process::Command::new("tmux")
            .args(["capture-pane", "-p", "-t", &self.name])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn wait_for(&self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while !self.screen().contains(text) {
            assert!(Instant::now() < deadline, "{text:?} never appeared:\n{}", self.screen());
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", &self.name];
        args.extend_from_slice(keys);
        assert!(std::process::Command::new("tmux").args(&args).status().unwrap().success());
    }

    fn type_line(&self, text: &str) {
        self.keys(&["-l", text]);
        self.keys(&["Enter"]);
    }

    fn exit_code(&self) -> i32 {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok(s) = std::fs::read_to_string(&self.marker) {
                if let Ok(code) = s.trim().parse() {
                    return code;
                }
            }
            assert!(Instant::now() < deadline, "the command did not finish:\n{}", self.screen());
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

#[cfg(unix)]
impl Drop for Tty {
    fn drop(&mut self) {
        let _ = std::process::Command::new("tmux").args(["kill-session", "-t", &self.name]).status();
    }
}

fn rand_suffix() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos(),
    );
    h.finish()
}

#[cfg(unix)]
#[test]
fn revoke_on_a_terminal_needs_the_typed_name_not_a_y() {
    let env = TestEnv::new();
    env.create_key("ci", &[]);
    let before = env.dump();
    for wrong in ["y", "CI-x"] {
        let Some(tty) = Tty::start(&env, "key revoke ci") else { return };
        tty.wait_for("Type the key name 'ci' to confirm");
        tty.type_line(wrong);
        assert_eq!(tty.exit_code(), 1, "{}", tty.screen());
        assert!(tty.screen().contains("cancelled"), "{}", tty.screen());
        assert_eq!(before, env.dump(), "typing {wrong:?} changed the store");
    }
    let Some(tty) = Tty::start(&env, "key revoke ci") else { return };
    tty.wait_for("is final: every secret stops working at once");
    tty.type_line("ci");
    assert_eq!(tty.exit_code(), 0, "{}", tty.screen());
    assert_eq!(env.json(&["key", "show", "ci"])["status"], "revoked");
}

#[cfg(unix)]
#[test]
fn production_guard_rails_ask_for_the_name_on_a_terminal() {
    let env = TestEnv::new();
    env.create_key("prod", &["--production", "--owner", "shop", "--allow-ip", "203.0.113.0/24"]);
    for (args, consequence) in [
        ("key whitelist prod clear", "stops working for all clients"),
        ("key set prod --expires 1h", "Production key 'prod' stops working in"),
        ("key rotate prod --grace 0", "fails from now on"),
    ] {
        let before = env.dump();
        let Some(tty) = Tty::start(&env, args) else { return };
        tty.wait_for(consequence);
        tty.type_line("nope");
        assert_eq!(tty.exit_code(), 1, "{args}: {}", tty.screen());
        assert_eq!(before, env.dump(), "{args}: a wrong name changed the store");
        let Some(tty) = Tty::start(&env, args) else { return };
        tty.wait_for("Type the key name 'prod'");
        tty.type_line("prod");
        assert_eq!(tty.exit_code(), 0, "{args}: {}", tty.screen());
        assert_ne!(before, env.dump(), "{args}: the confirmed action did nothing");
    }
    audit_intact(&env);
}

#[test]
fn purge_removes_old_revoked_keys_and_the_replay_still_passes() {
    let env = TestEnv::new();
    let (old_id, _) = env.create_key("old", &[]);
    env.create_key("recent", &[]);
    env.create_key("live", &[]);
    env.ok(&["key", "revoke", "old", "--yes"]);
    env.ok(&["key", "revoke", "recent", "--yes"]);
    env.fails(&["key", "purge", "--revoked-before", "soon"], 2, "soon");
    env.fails(&["key", "purge", "--revoked-before", "0s"], 2, "needs confirmation");
    // Nothing was revoked 90 days ago yet.
    assert!(
        env.ok(&["key", "purge", "--revoked-before", "90d", "--yes"])
            .contains("nothing to purge")
    );
    env.fails(&["key", "purge", "--revoked-before", "2099-01-01"], 2, "is in the future");
    let out = env.ok(&["key", "purge", "--revoked-before", "0s", "--dry-run"]);
    assert!(out.contains("Would purge 2 key(s)"), "{out}");
    let purged = env.ok(&["key", "purge", "--revoked-before", "0s", "--yes", "--quiet"]);
    assert_eq!(purged.lines().count(), 2, "{purged}");
    assert!(purged.contains(&old_id));
    let list = env.json(&["key", "list", "--all"]);
    assert_eq!(list.as_array().unwrap().len(), 1, "{list}");
    audit_intact(&env);
    // The purged key's history stays, found by its id.
    let trail = env.json(&["audit", "--key", &old_id]);
    let actions: Vec<&str> = trail.as_array().unwrap().iter().map(|r| r["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["key.create", "key.revoke", "key.purge"]);
}

#[test]
fn delete_and_rm_point_to_revoke() {
    let env = TestEnv::new();
    env.create_key("ci", &[]);
    for cmd in ["delete", "rm"] {
        let err = env.fails(&["key", cmd, "ci"], 2, "there is no `key delete`");
        assert!(err.contains("smsctl key revoke KEY"), "{err}");
    }
}

#[test]
fn audit_filters_combine_and_export_writes_json_lines() {
    let env = TestEnv::new();
    env.create_key("ci", &[]);
    env.create_key("web", &[]);
    env.cmd()
        .args(["key", "rotate", "ci"])
        .env("SMSCTL_ACTOR", "alice")
        .assert()
        .success();
    env.cmd()
        .args(["key", "rotate", "web"])
        .env("SMSCTL_ACTOR", "alice")
        .assert()
        .success();
    env.cmd()
        .args(["key", "rename", "web", "web2"])
        .env("SMSCTL_ACTOR", "bob")
        .assert()
        .success();
    let count = |args: &[&str]| env.json(args).as_array().unwrap().len();
    assert_eq!(count(&["audit", "--actor", "alice"]), 2);
    assert_eq!(count(&["audit", "--actor", "alice", "--key", "ci"]), 1);
    assert_eq!(count(&["audit", "--action", "key.rotate", "--actor", "bob"]), 0);
    assert_eq!(count(&["audit", "--action", "key.*", "--actor", "bob"]), 1);
    assert_eq!(count(&["audit", "--action", "key.create"]), 2);
    let lines = env.ok(&["audit", "export", "--actor", "alice"]);
    let rows: Vec<Value> = lines.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().all(|r| r["action"] == "key.rotate" && r["actor"] == "alice"));
    assert!(rows[0]["seq"].as_i64() < rows[1]["seq"].as_i64(), "oldest first");
    env.fails(&["audit", "export", "--since", "soon"], 2, "soon");
    env.fails(&["audit", "--key", "nope"], 3, "no key named 'nope'");
}

#[test]
fn restore_first_saves_the_current_store_beside_it() {
    let env = TestEnv::new();
    env.create_key("before", &[]);
    let backup = env.dir.path().join("b.db");
    env.ok(&["backup", backup.to_str().unwrap()]);
    env.create_key("after", &[]);
    let v = env.json(&["restore", backup.to_str().unwrap(), "--yes"]);
    let saved = v["previous"].as_str().expect("the replaced store was named");
    let beside = if crate::common::on_postgres() {
        "postgres.db.before-restore-"
    } else {
        "smsctl.db.before-restore-"
    };
    assert!(saved.contains(beside), "{saved}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(saved).unwrap().permissions().mode() & 0o777, 0o600);
    }
    assert_eq!(env.json(&["key", "list"]).as_array().unwrap().len(), 1);
    // The saved store is a checked backup: restoring it brings the later key back.
    env.ok(&["restore", saved, "--yes"]);
    let names = env.key_names();
    assert_eq!(names, ["after", "before"]);
    audit_intact(&env);
}

#[test]
fn messages_fit_80_columns_filter_and_show_one() {
    let env = TestEnv::new();
    let (_, secret) = env.create_key("checkout-service", &["--allow-ip", "127.0.0.1", "--sender", "ACME"]);
    let gw = Gateway::start(&env, &[]).expect("gateway");
    let mut omni = Vec::new();
    // Different texts: `send` gives identical requests one Idempotency-Key.
    for (to, text) in [("+37255512345", "hi"), ("+37255512346", "hi"), ("+37255512346", "hi again")] {
        let out = env
            .cmd()
            .args([
                "send",
                "--key",
                "checkout-service",
                "--to",
                to,
                "--text",
                text,
                "--api-url",
                &gw.url,
                "--quiet",
            ])
            .env("SMSCTL_KEY_SECRET", &secret)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        omni.push(String::from_utf8(out.stdout).unwrap().trim().to_owned());
    }
    // A refused send (a real secret of a key this store does not have) is recorded too.
    let (_, foreign) = TestEnv::new().create_key("x", &[]);
    let out = env
        .cmd()
        .args([
            "send",
            "--key",
            "checkout-service",
            "--to",
            "+37255512347",
            "--text",
            "hi",
            "--api-url",
            &gw.url,
        ])
        .env("SMSCTL_KEY_SECRET", &foreign)
        .output()
        .unwrap();
    assert!(!out.status.success());
    drop(gw);

    let table = env.ok(&["messages"]);
    for line in table.lines() {
        assert!(line.chars().count() <= 80, "wider than 80 columns: {line:?}");
    }
    assert!(env.ok(&["messages", "--wide"]).lines().any(|l| l.chars().count() > 80));
    let n = |args: &[&str]| env.json(args).as_array().unwrap().len();
    assert_eq!(n(&["messages", "--to", "+372 5551 2346"]), 2);
    assert_eq!(n(&["messages", "--to", "+37255512346", "--limit", "1"]), 1);
    // `send` through the local gateway records each message twice (client and gateway): one entry.
    assert_eq!(n(&["messages", "--since", "1h", "--key", "checkout-service"]), 4);
    assert_eq!(
        env.json(&["messages", "--limit", "1"])[0]["origin"],
        "send",
        "the refused one: client only"
    );
    assert_eq!(env.json(&["messages", "--to", "+37255512345"])[0]["origin"], "send+gateway");
    assert_eq!(n(&["messages", "--status", "refused"]), 1);
    assert_eq!(n(&["messages", "--status", "accepted"]), 3);
    assert_eq!(n(&["messages", "--since", "2099-01-01"]), 0);
    env.fails(&["messages", "--status", "lost"], 2, "lost");
    env.fails(&["messages", "--to", "nope"], 2, "nope");

    // The omnimessage id that `send --quiet` printed is what the status endpoint and `show` take.
    let shown = env.json(&["messages", "show", &omni[0]]);
    assert_eq!(shown["recipient"], "+37255512345");
    assert_eq!(shown["effective"]["sender"], "ACME");
    assert_eq!(shown["history"][0]["event"], "accepted");
    let by_number = env.json(&["messages", "show", &shown["id"].to_string()]);
    assert_eq!(by_number["omnimessage_id"], omni[0].as_str());
    let human = env.ok(&["messages", "show", &omni[1]]);
    assert!(human.contains("Delivery history:") && human.contains("checkout-service"), "{human}");
    env.fails(&["messages", "show", "nope"], 3, "no message 'nope'");
}

#[test]
fn gateway_ready_file_names_the_url_and_goes_away() {
    let env = TestEnv::new();
    let ready = env.dir.path().join("gw.url");
    let gw = Gateway::start(&env, &["--ready-file", ready.to_str().unwrap()]).expect("gateway");
    let deadline = Instant::now() + Duration::from_secs(10);
    while !ready.exists() {
        assert!(Instant::now() < deadline, "no ready file:\n{}", gw.log());
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(std::fs::read_to_string(&ready).unwrap(), format!("{}\n", gw.url));
    let (code, _) = gw.stop("TERM");
    assert_eq!(code, Some(0));
    assert!(!ready.exists(), "the ready file outlived the gateway");
    // A stale file is refused up front, not overwritten.
    std::fs::write(&ready, "stale").unwrap();
    let err = Gateway::start(&env, &["--ready-file", ready.to_str().unwrap()])
        .err()
        .expect("refused");
    assert!(err.contains("--ready-file") && err.contains("already exists"), "{err}");
}

#[test]
fn port_in_use_hint_says_so() {
    let env = TestEnv::new();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let err = env.fails(&["gateway", "serve", "--listen", &addr], 6, "cannot listen on");
    assert!(err.contains("another process listens there"), "{err}");
}

#[test]
fn hints_fit_their_situation() {
    let env = TestEnv::new();
    // A key that is not found in a store without keys: the store is the likelier mistake.
    let err = env.fails(&["key", "show", "ci"], 3, "no key named 'ci'");
    assert!(err.contains("SMSCTL_DB"), "{err}");
    env.create_key("ci", &["--sender", "ACME"]);
    let err = env.fails(&["key", "show", "cj"], 3, "no key named 'cj'");
    assert!(err.contains("key list --all"), "{err}");
    // send --auto-replace: the flag is --autoconvert.
    let err = env.fails(
        &["send", "--key", "ci", "--to", "+37255512345", "--text", "hi", "--auto-replace=on"],
        2,
        "--auto-replace",
    );
    assert!(err.contains("--autoconvert MODE"), "{err}");
    // Text that is already GSM-7 is not told to use --autoconvert full.
    let long = "a".repeat(200);
    let err = env.fails(
        &[
            "send",
            "--key",
            "ci",
            "--to",
            "+37255512345",
            "--text",
            &long,
            "--max-parts",
            "1",
            "--dry-run",
        ],
        1,
        "--max-parts 1",
    );
    assert!(
        !err.contains("--autoconvert full") && err.contains("raise --max-parts to 2"),
        "{err}"
    );
    // Rotating a revoked key names the way forward.
    env.ok(&["key", "revoke", "ci", "--yes"]);
    let err = env.fails(&["key", "rotate", "ci"], 5, "a revoked key cannot change");
    assert!(err.contains("smsctl key create ci-2"), "{err}");
}

#[cfg(unix)]
#[test]
fn dumb_terminals_get_no_box_drawing_or_colour() {
    let env = TestEnv::new();
    env.create_key("ci", &[]);
    let draw = |term: &str| {
        let tty = Tty::start_with_env(&env, "key list", &format!("TERM={term}"))?;
        assert_eq!(tty.exit_code(), 0, "{}", tty.screen());
        Some(tty.screen())
    };
    let Some(fancy) = draw("xterm") else { return };
    assert!(
        fancy.contains('─') || fancy.contains('│') || fancy.contains('┆'),
        "expected box drawing on xterm:\n{fancy}"
    );
    let plain = draw("dumb").unwrap();
    assert!(plain.contains("ci"), "{plain}");
    assert!(
        !plain.chars().any(|c| ('\u{2500}'..='\u{257f}').contains(&c)),
        "box drawing on TERM=dumb:\n{plain}"
    );
}

#[test]
fn every_argument_is_described_and_global_options_come_last() {
    use clap::CommandFactory;
    fn walk(cmd: &clap::Command, path: &str, missing: &mut Vec<String>) {
        for arg in cmd.get_arguments() {
            let id = arg.get_id().as_str();
            if matches!(id, "help" | "version") || arg.is_hide_set() {
                continue;
            }
            if arg.get_help().is_none() && arg.get_long_help().is_none() {
                missing.push(format!("{path} {id}"));
            }
        }
        for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
            walk(sub, &format!("{path} {}", sub.get_name()), missing);
        }
    }
    let mut missing = Vec::new();
    walk(&smsctl::cli::Cli::command(), "smsctl", &mut missing);
    assert!(missing.is_empty(), "arguments without a description: {missing:?}");

    let env = TestEnv::new();
    let help = env.ok(&["key", "rotate", "--help"]);
    let own = help.find("--retire-when-quiet").expect("own option listed");
    let global = help.find("Global options:").expect("a Global options heading");
    assert!(own < global && help[global..].contains("--db"), "{help}");
    // The top-level examples create keys that can send: a sender and a whitelist.
    let top = env.ok(&["--help"]);
    let create = top.lines().find(|l| l.contains("smsctl key create")).unwrap();
    assert!(create.contains("--allow-ip") && create.contains("--sender"), "{create}");
}

#[test]
fn man_pages_have_environment_and_exit_status() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/man");
    for entry in std::fs::read_dir(dir).unwrap() {
        let page = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        assert!(page.contains(".SH ENVIRONMENT") && page.contains("SMSCTL_DB"), "no ENVIRONMENT");
        assert!(page.contains(".SH \"EXIT STATUS\""), "no EXIT STATUS");
    }
}

#[cfg(unix)]
#[test]
fn key_edit_asks_again_on_a_bad_value_and_summarises_before_saving() {
    let env = TestEnv::new();
    env.create_key("ed", &["--sender", "OLD"]);
    let Some(tty) = Tty::start(&env, "key edit ed") else { return };
    tty.wait_for("Default sender");
    // Erase the initial text, type a sender that is too long: asked again, with the reason
    // (the fields already answered are kept; the prompt starts again from the key's value).
    tty.keys(&["BSpace", "BSpace", "BSpace"]);
    tty.type_line("WAY-TOO-LONG-SENDER");
    tty.wait_for("alphanumeric senders have at most 11 characters");
    tty.keys(&["BSpace", "BSpace", "BSpace"]);
    tty.type_line("NEW");
    tty.wait_for("Autoconvert");
    tty.keys(&["Enter"]);
    tty.wait_for("Delivery-report webhook");
    tty.type_line("ftp://nope");
    tty.wait_for("invalid webhook URL 'ftp://nope'");
    tty.type_line("https://hooks.example.com/dlr");
    tty.wait_for("Description");
    tty.keys(&["Enter"]);
    tty.wait_for("Save these changes?");
    let screen = tty.screen();
    assert!(screen.contains("sender: OLD → NEW"), "{screen}");
    assert!(screen.contains("dlr webhook: - → https://hooks.example.com/dlr"), "{screen}");
    tty.keys(&["y"]);
    assert_eq!(tty.exit_code(), 0, "{}", tty.screen());
    let v = env.json(&["key", "show", "ed"]);
    assert_eq!(
        (v["sender"].as_str(), v["dlr_url"].as_str()),
        (Some("NEW"), Some("https://hooks.example.com/dlr"))
    );
}

#[cfg(unix)]
#[test]
fn ctrl_c_in_key_edit_restores_the_terminal_and_exits_130() {
    let env = TestEnv::new();
    env.create_key("ed", &[]);
    for at in ["Default sender", "Autoconvert"] {
        let before = env.dump();
        let Some(tty) = Tty::start(&env, "key edit ed") else { return };
        tty.wait_for("Default sender");
        if at == "Autoconvert" {
            tty.type_line("SHOP");
            tty.wait_for("Autoconvert");
        }
        tty.keys(&["C-c"]);
        assert_eq!(tty.exit_code(), 130, "at {at}: {}", tty.screen());
        assert!(
            tty.screen().contains("interrupted (Ctrl-C); nothing was changed"),
            "{}",
            tty.screen()
        );
        assert_eq!(before, env.dump(), "Ctrl-C at {at} changed the store");
        // The shell gets its terminal back: the cursor is visible and typed text echoes.
        tty.keys(&["-l", "echo-is-on"]);
        tty.wait_for("echo-is-on");
        let cursor = std::process::Command::new("tmux")
            .args(["display-message", "-p", "-t", &tty.name, "#{cursor_flag}"])
            .output()
            .unwrap();
        assert_eq!(String::from_utf8_lossy(&cursor.stdout).trim(), "1", "cursor left hidden at {at}");
    }
}

#[test]
fn quiet_prints_the_one_documented_value() {
    let env = TestEnv::new();
    let (id, secret) = env.create_key("ci", &[]);
    // doctor: the findings alone, and the hint points at them.
    let out = env.cmd().args(["doctor", "--quiet"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.lines().all(|l| l.starts_with('[')) && stdout.contains("[empty whitelists]"),
        "{stdout}"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("the findings are on stdout"));
    assert_eq!(env.ok(&["key", "set", "ci", "--sender", "ACME", "--quiet"]), format!("{id}\n"));
    let out = env
        .cmd()
        .args(["key", "verify", "--quiet", "--no-record"])
        .write_stdin(secret.as_str())
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), "ok\n");
}
