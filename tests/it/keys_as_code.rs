//! Keys as code through the binary: export, plan, apply, and the bulk selectors.

use std::path::{Path, PathBuf};

use crate::common::TestEnv;

fn write(env: &TestEnv, name: &str, text: &str) -> PathBuf {
    let p = env.dir.path().join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn secrets_dir(env: &TestEnv) -> PathBuf {
    let d = env.dir.path().join("secrets");
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A store with keys that use every setting.
fn populated() -> TestEnv {
    let env = TestEnv::new();
    env.create_key(
        "ci",
        &[
            "--sender",
            "ACME",
            "--auto-replace",
            "on",
            "--replace",
            "ç=c",
            "--replace",
            "€=EUR",
            "--dlr-url",
            "https://hooks.example.com/dlr",
            "--allow-ip",
            "10.0.0.0/8",
            "--allow-ip",
            "2001:db8::/32",
            "--expires",
            "90d",
            "--description",
            "GitHub Actions",
            "--production",
            "--owner",
            "payments",
            "--scope",
            "send,status",
            "--allow-to",
            "+372",
            "--deny-to",
            "+3729",
            "--max-parts",
            "3",
            "--rate",
            "10/min",
            "--quota",
            "1000/day",
            "--purpose",
            "alerts",
            "--send-window",
            "08:00-21:00@Europe/Tallinn",
            "--alert-url",
            "https://alerts.example.com/hook",
        ],
    );
    env.create_key("deploy", &["--sender", "+3725551234"]);
    env
}

fn plan_json(env: &TestEnv, file: &Path) -> serde_json::Value {
    env.json(&["plan", "-f", s(file)])
}

fn check_code(env: &TestEnv, file: &Path) -> i32 {
    env.cmd()
        .args(["plan", "-f", s(file), "--check"])
        .output()
        .unwrap()
        .status
        .code()
        .unwrap()
}

/// The names of the live keys, sorted.
fn live_names(env: &TestEnv) -> Vec<String> {
    let list = env.json(&["key", "list"]);
    list.as_array()
        .unwrap()
        .iter()
        .map(|k| k["name"].as_str().unwrap().to_owned())
        .collect()
}

fn audit_intact(env: &TestEnv) {
    env.ok(&["audit", "verify"]);
}

#[test]
fn export_apply_on_an_empty_store_then_plan_shows_no_changes() {
    let src = populated();
    let exported = src.ok(&["export"]);
    assert!(exported.contains("[[key]]") && exported.contains("name = \"ci\""), "{exported}");
    assert!(!exported.contains("smsk_"), "an export never holds a secret");
    assert_eq!(exported, src.ok(&["export"]), "exports are stable");

    let dst = TestEnv::new();
    let file = write(&dst, "keys.toml", &exported);
    assert_eq!(check_code(&dst, &file), 1);
    let dir = secrets_dir(&dst);
    let out = dst.ok(&["apply", "-f", s(&file), "--yes", "--secrets-dir", s(&dir)]);
    assert!(out.contains("2 created"), "{out}");
    assert_eq!(check_code(&dst, &file), 0, "round trip");
    assert_eq!(dst.ok(&["export"]), exported, "the new store exports the same file");
    // The same ids, so the file now describes both stores.
    let a = src.json(&["key", "show", "ci"]);
    let b = dst.json(&["key", "show", "ci"]);
    for f in [
        "id",
        "sender",
        "auto_replace",
        "replace",
        "dlr_url",
        "whitelist",
        "production",
        "description",
    ] {
        assert_eq!(a[f], b[f], "{f}");
    }
    audit_intact(&dst);
}

#[test]
fn every_field_update_appears_in_plan_and_applies() {
    let cases: &[(&str, &str, &str)] = &[
        ("name", "name = \"ci\"", "name = \"ci-main\""),
        ("description", "description = \"GitHub Actions\"", "description = \"GitLab\""),
        ("sender", "sender = \"ACME\"", "sender = \"ACME2\""),
        ("auto_replace", "auto_replace = \"on\"", "auto_replace = \"full\""),
        (
            "dlr_url",
            "dlr_url = \"https://hooks.example.com/dlr\"",
            "dlr_url = \"https://other.example.com/x\"",
        ),
        (
            "whitelist",
            "whitelist = [\"10.0.0.0/8\", \"2001:db8::/32\"]",
            "whitelist = [\"192.0.2.0/24\"]",
        ),
        ("expires", "expires = \"", "expires = \"2099-01-01T00:00:00Z\"\n#"),
        ("production", "production = true", "production = false"),
        ("replace", "\"ç\" = \"c\"", "\"ç\" = \"C\""),
        ("owner", "owner = \"payments\"", "owner = \"billing\""),
        ("scopes", "scopes = [\"send\", \"status\"]", "scopes = [\"send\", \"bulk\"]"),
        ("allow_to", "allow_to = [\"+372\"]", "allow_to = [\"+372\", \"+371\"]"),
        ("deny_to", "deny_to = [\"+3729\"]", "deny_to = [\"+1900\"]"),
        ("max_parts", "max_parts = 3", "max_parts = 2"),
        ("rate", "rate = \"10/min\"", "rate = \"5/s\""),
        ("quota", "quota = \"1000/day\"", "quota = \"20000/month\""),
        ("purpose", "purpose = \"alerts\"", "purpose = \"otp\""),
        (
            "send_window",
            "send_window = \"08:00-21:00@Europe/Tallinn\"",
            "send_window = \"09:00-17:00@UTC\"",
        ),
        (
            "alert_url",
            "alert_url = \"https://alerts.example.com/hook\"",
            "alert_url = \"https://x.example.com/a\"",
        ),
    ];
    for (field, from, to) in cases {
        let env = populated();
        let exported = env.ok(&["export"]);
        assert!(exported.contains(from), "{field}: {from} not in\n{exported}");
        let file = write(&env, "keys.toml", &exported.replacen(from, to, 1));
        let plan = plan_json(&env, &file);
        let ci = &plan["keys"][0];
        assert_eq!(ci["action"], "update", "{field}: {plan:#}");
        let changed: Vec<&str> = ci["changes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["field"].as_str().unwrap())
            .collect();
        assert_eq!(changed, vec![*field], "{field}: {plan:#}");
        assert_eq!(plan["keys"][1]["action"], "unchanged");
        env.ok(&["apply", "-f", s(&file), "--yes"]);
        assert_eq!(check_code(&env, &file), 0, "{field}: applied");
        audit_intact(&env);
    }
}

#[test]
fn applied_values_reach_the_key() {
    let env = populated();
    let exported = env.ok(&["export"]);
    let file = write(
        &env,
        "keys.toml",
        &exported
            .replacen("sender = \"ACME\"", "sender = \"NEWCO\"", 1)
            .replacen("name = \"ci\"", "name = \"ci-main\"", 1),
    );
    env.ok(&["apply", "-f", s(&file), "--yes"]);
    let k = env.json(&["key", "show", "ci-main"]);
    assert_eq!(k["sender"], "NEWCO");
    assert!(
        env.cmd().args(["key", "show", "ci"]).output().unwrap().status.code() == Some(3),
        "renamed by id"
    );
}

#[test]
fn a_second_apply_finds_nothing_to_do() {
    let env = populated();
    let exported = env.ok(&["export"]);
    let file = write(&env, "keys.toml", &exported.replacen("sender = \"ACME\"", "sender = \"X1\"", 1));
    let hash = plan_json(&env, &file)["plan_hash"].as_str().unwrap().to_owned();
    env.ok(&["apply", "-f", s(&file), "--yes", "--plan-hash", &hash]);
    let before = env.dump();
    let out = env.ok(&["apply", "-f", s(&file), "--yes"]);
    assert!(out.contains("Nothing to do"), "{out}");
    // A re-run with the hash of the plan already carried out finds nothing to do, too.
    let again = env.ok(&["apply", "-f", s(&file), "--yes", "--plan-hash", &hash]);
    assert!(again.contains("Nothing to do"), "{again}");
    assert_eq!(before, env.dump(), "a second apply writes nothing, not even an audit row");
}

#[test]
fn each_change_is_audited_with_the_files_sha256() {
    use sha2::Digest;
    let env = populated();
    // ci changes, deploy is left out (pruned), fresh is new.
    let ci = env.ok(&["export", "--key", "ci"]);
    let text = format!(
        "{}\n[[key]]\nname = \"fresh\"\nwhitelist = [\"192.0.2.7\"]\n",
        ci.replacen("sender = \"ACME\"", "sender = \"X1\"", 1)
            .replacen("version = 1", "version = 1\nprune = true", 1)
    );
    let file = write(&env, "keys.toml", &text);
    let sha: String = sha2::Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
    let dir = secrets_dir(&env);
    let applied = env.json(&["apply", "-f", s(&file), "--yes", "--secrets-dir", s(&dir)]);
    assert_eq!(applied["file_sha256"], sha.as_str());
    assert_eq!(applied["summary"]["create"], 1, "{applied:#}");
    assert_eq!(applied["summary"]["update"], 1);
    assert_eq!(applied["summary"]["revoke"], 1);
    let rows = env.json(&["audit", "--limit", "3"]);
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 3);
    for r in rows {
        assert_eq!(r["after"]["applied_from"]["file_sha256"], sha.as_str(), "{r:#}");
    }
    let actions: Vec<&str> = rows.iter().map(|r| r["action"].as_str().unwrap()).collect();
    assert_eq!(actions, vec!["key.apply", "key.create", "key.revoke"]);
    assert_eq!(env.json(&["key", "show", "deploy"])["status"], "revoked");
    audit_intact(&env);
}

#[test]
fn prune_revokes_unlisted_keys_and_only_then() {
    let env = populated();
    let file = write(&env, "keys.toml", "version = 1\n");
    let plan = plan_json(&env, &file);
    assert_eq!(plan["summary"]["revoke"], 0);
    assert_eq!(plan["kept"].as_array().unwrap().len(), 2);
    assert_eq!(check_code(&env, &file), 0, "without prune, unlisted keys are not drift");
    let file = write(&env, "keys.toml", "version = 1\nprune = true\n");
    assert_eq!(plan_json(&env, &file)["summary"]["revoke"], 2);
    env.ok(&["apply", "-f", s(&file), "--yes"]);
    assert!(live_names(&env).is_empty());
    assert_eq!(check_code(&env, &file), 0);
    audit_intact(&env);
}

#[test]
fn plan_check_exit_codes() {
    let env = populated();
    let file = write(&env, "keys.toml", &env.ok(&["export"]));
    assert_eq!(check_code(&env, &file), 0);
    env.ok(&["key", "set", "ci", "--sender", "DRIFT"]);
    let out = env.cmd().args(["plan", "-f", s(&file), "--check"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("sender: \"DRIFT\" → \"ACME\""), "{stdout}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("1 key(s) would change"));
}

#[test]
fn an_invalid_file_names_every_problem_and_changes_nothing() {
    let env = populated();
    let text = "version = 1\n\
                colour = \"red\"\n\
                [[key]]\n\
                name = \"a\"\n\
                sender = \"TwelveChars!\"\n\
                whitelist = [\"10.0.0.1\", \"nope\"]\n\
                [[key]]\n\
                name = \"b\"\n\
                sendr = \"X\"\n\
                [[key]]\n\
                name = \"c\"\n\
                dlr_url = \"http://example.com/\"\n\
                expires = \"90d\"\n\
                replace = { \"ab\" = \"x\" }\n";
    let file = write(&env, "keys.toml", text);
    let dir = secrets_dir(&env);
    for cmd in [
        vec!["plan", "-f", s(&file)],
        vec!["apply", "-f", s(&file), "--yes", "--secrets-dir", s(&dir)],
    ] {
        let err = env.fails(&cmd, 2, "has 7 problem(s); nothing was changed");
        for want in [
            "keys.toml:2:1: unknown field `colour`",
            "keys.toml:5:10: invalid sender",
            "keys.toml:6:26: invalid whitelist entry 'nope'",
            "keys.toml:9:1: unknown field `sendr`",
            "keys.toml:12:11: invalid webhook URL",
            "keys.toml:13:11: expires '90d' is a duration",
            "keys.toml:14:13: invalid replacement",
        ] {
            assert!(err.contains(want), "{want} missing:\n{err}");
        }
        assert!(err.contains("hint:"), "{err}");
    }
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0, "no secret file either");
}

#[test]
fn syntax_and_store_conflicts_are_invalid_files_too() {
    let env = populated();
    let file = write(&env, "keys.toml", "version = 1\n[[key]\nname = \"a\"\n");
    env.fails(&["plan", "-f", s(&file)], 2, "keys.toml:2:");
    let file = write(
        &env,
        "keys.toml",
        "version = 1\n[[key]]\nname = \"x\"\n[[key]]\nname = \"X\"\n[[key]]\nid = \"key_zzzz\"\nname = \"y\"\n",
    );
    let err = env.fails(&["apply", "-f", s(&file), "--yes"], 2, "2 problem(s)");
    assert!(err.contains("keys.toml:5:8: two entries are named 'X'"), "{err}");
    assert!(err.contains("keys.toml:7:6: 'key_zzzz' is not a key id"), "{err}");
    env.fails(&["plan", "-f", s(&env.dir.path().join("missing.toml"))], 2, "cannot read key file");
    let file = write(&env, "v2.toml", "version = 2\n");
    env.fails(&["plan", "-f", s(&file)], 2, "unsupported version 2");
    // The file is checked before the store is opened: a PR check reports its problems even
    // where the store cannot be reached.
    let out = env
        .cmd()
        .env("SMSCTL_DB", env.dir.path().join("no-such-dir/s.db"))
        .args(["plan", "-f", s(&file)])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn a_stale_plan_is_refused() {
    let env = populated();
    let exported = env.ok(&["export"]);
    let file = write(&env, "keys.toml", &exported.replacen("sender = \"ACME\"", "sender = \"X1\"", 1));
    let hash = plan_json(&env, &file)["plan_hash"].as_str().unwrap().to_owned();
    env.ok(&["key", "set", "deploy", "--sender", "LATE"]);
    env.fails(
        &["apply", "-f", s(&file), "--yes", "--plan-hash", &hash],
        4,
        "is not the one reviewed",
    );
    let fresh = plan_json(&env, &file)["plan_hash"].as_str().unwrap().to_owned();
    assert_ne!(fresh, hash);
    env.ok(&["apply", "-f", s(&file), "--yes", "--plan-hash", &fresh]);
}

#[test]
fn apply_without_a_terminal_needs_yes() {
    let env = populated();
    let file = write(
        &env,
        "keys.toml",
        &env.ok(&["export"]).replacen("sender = \"ACME\"", "sender = \"X1\"", 1),
    );
    let err = env.fails(
        &["apply", "-f", s(&file)],
        2,
        "needs confirmation, and there is no terminal to ask on",
    );
    assert!(err.contains("hint:"));
}

#[test]
fn new_secrets_go_to_private_files_never_overwritten_nor_printed() {
    let env = TestEnv::new();
    let file = write(&env, "keys.toml", "version = 1\n[[key]]\nname = \"a\"\n[[key]]\nname = \"b\"\n");
    let warnings = env.json(&["plan", "-f", s(&file)])["warnings"].clone();
    assert!(warnings[0].as_str().unwrap().contains("empty IP whitelist"), "{warnings}");
    env.fails(&["apply", "-f", s(&file), "--yes"], 2, "their secrets need somewhere to go");
    let dir = secrets_dir(&env);
    std::fs::write(dir.join("b.secret"), "keep me").unwrap();
    env.fails(
        &["apply", "-f", s(&file), "--yes", "--secrets-dir", s(&dir)],
        2,
        "never overwritten",
    );
    assert_eq!(std::fs::read_to_string(dir.join("b.secret")).unwrap(), "keep me");
    assert!(!dir.join("a.secret").exists(), "nothing written when one cannot be");
    std::fs::remove_file(dir.join("b.secret")).unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(env.dir.path().join("victim"), dir.join("b.secret")).unwrap();
        env.fails(
            &["apply", "-f", s(&file), "--yes", "--secrets-dir", s(&dir)],
            2,
            "never overwritten",
        );
        assert!(!env.dir.path().join("victim").exists());
        std::fs::remove_file(dir.join("b.secret")).unwrap();
    }
    let out = env
        .cmd()
        .args(["apply", "-f", s(&file), "--yes", "--secrets-dir", s(&dir)])
        .output()
        .unwrap();
    assert!(out.status.success());
    for name in ["a", "b"] {
        let path = dir.join(format!("{name}.secret"));
        let secret = std::fs::read_to_string(&path).unwrap();
        let secret = secret.trim();
        assert!(secret.starts_with("smsk_"), "{secret}");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        }
        assert!(!String::from_utf8_lossy(&out.stdout).contains(secret), "secret printed");
        assert!(!String::from_utf8_lossy(&out.stderr).contains(secret), "secret printed");
        // And it is the key's real secret.
        let v = env
            .cmd()
            .args(["key", "verify", "--key", name])
            .write_stdin(secret)
            .output()
            .unwrap();
        assert_eq!(v.status.code(), Some(0), "{}", String::from_utf8_lossy(&v.stderr));
    }
}

#[test]
fn export_of_chosen_keys_and_of_nothing() {
    let env = populated();
    let one = env.ok(&["export", "--key", "deploy"]);
    assert!(one.contains("name = \"deploy\"") && !one.contains("name = \"ci\""), "{one}");
    assert!(!one.contains("prune"), "a partial export never prunes");
    env.fails(&["export", "--key", "nope"], 3, "no key named 'nope'");
    let empty = TestEnv::new().ok(&["export"]);
    assert!(empty.contains("version = 1"));
}

#[test]
fn list_selectors() {
    let env = populated();
    env.create_key("ci-old", &["--expires", "3d"]);
    let names = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["key", "list"];
        all.extend_from_slice(args);
        env.json(&all)
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k["name"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(names(&["--name", "ci*"]), vec!["ci", "ci-old"]);
    assert_eq!(names(&["--expires-within", "7d"]), vec!["ci-old"]);
    assert_eq!(names(&["--expires-within", "100d"]), vec!["ci", "ci-old"]);
    assert_eq!(names(&["--created-before", "1d"]), Vec::<String>::new());
    assert_eq!(names(&["--unused-for", "0"]).len(), 3, "never used: counts from creation");
    assert_eq!(names(&["--unused-for", "1d"]).len(), 0);
    env.fails(&["key", "list", "--unused-for", "soon"], 2, "invalid --unused-for 'soon'");
    env.fails(&["key", "list", "--created-before", "yesterday"], 2, "invalid --created-before");
}

#[test]
fn bulk_revoke_previews_asks_and_is_one_transaction() {
    let env = populated();
    env.create_key("tmp-1", &[]);
    env.create_key("tmp-2", &[]);
    let err = env.fails(&["key", "revoke", "--name", "tmp-*"], 2, "revoking 2 key(s) needs confirmation");
    assert!(err.contains("hint:"));
    env.fails(&["key", "revoke", "ci", "--name", "tmp-*", "--yes"], 2, "either a KEY or selectors");
    let out = env.json(&["key", "revoke", "--name", "tmp-*", "--yes"]);
    let revoked: Vec<&str> = out["revoked"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["name"].as_str().unwrap())
        .collect();
    assert_eq!(revoked, vec!["tmp-1", "tmp-2"]);
    let live = live_names(&env);
    assert_eq!(live, vec!["ci", "deploy"]);
    let none = env.ok(&["key", "revoke", "--name", "tmp-*", "--yes"]);
    assert!(none.contains("nothing was revoked"), "{none}");
    audit_intact(&env);
}

/// Runs smsctl with a pseudo-terminal as its controlling terminal and stdio; types `answer`
/// once `prompt` appears. Returns everything the terminal showed and the exit code.
#[cfg(target_os = "linux")]
fn on_a_terminal(env: &TestEnv, args: &[&str], prompt: &str, answer: &str) -> (String, i32) {
    use std::io::{Read, Write};
    use std::os::fd::{FromRawFd, OwnedFd};
    use std::os::unix::process::CommandExt;
    let (mut m, mut sl) = (0, 0);
    // SAFETY: openpty writes two descriptors into the given integers; null means defaults.
    let rc = unsafe { libc::openpty(&mut m, &mut sl, std::ptr::null_mut(), std::ptr::null(), std::ptr::null()) };
    assert_eq!(rc, 0, "openpty");
    // SAFETY: both descriptors were just opened and are owned here only.
    let (master, slave) = unsafe { (OwnedFd::from_raw_fd(m), OwnedFd::from_raw_fd(sl)) };
    let mut cmd = env.std_cmd();
    cmd.args(args)
        .env("TERM", "dumb")
        .stdin(slave.try_clone().unwrap())
        .stdout(slave.try_clone().unwrap())
        .stderr(slave);
    // SAFETY: only async-signal-safe calls between fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            if libc::setsid() < 0 || libc::ioctl(0, libc::TIOCSCTTY, 0) < 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let mut child = cmd.spawn().expect("spawn on a pty");
    drop(cmd);
    let mut reader = std::fs::File::from(master);
    let mut writer = reader.try_clone().unwrap();
    let (tx, rx) = std::sync::mpsc::channel::<Vec<u8>>();
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        // Reading the master fails (EIO) once the child has exited and closed the terminal.
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    let mut seen = Vec::new();
    let mut answered = false;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        match rx.recv_timeout(std::time::Duration::from_millis(100)) {
            Ok(chunk) => seen.extend(chunk),
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => break,
            Err(_) => {}
        }
        if !answered && String::from_utf8_lossy(&seen).contains(prompt) {
            std::thread::sleep(std::time::Duration::from_millis(100));
            writer.write_all(format!("{answer}\r").as_bytes()).unwrap();
            answered = true;
        }
        if let Some(status) = child.try_wait().unwrap() {
            // Collect what is still buffered, briefly.
            while let Ok(chunk) = rx.recv_timeout(std::time::Duration::from_millis(200)) {
                seen.extend(chunk);
            }
            return (String::from_utf8_lossy(&seen).into_owned(), status.code().unwrap_or(-1));
        }
        assert!(
            std::time::Instant::now() < deadline,
            "timed out on the terminal:\n{}",
            String::from_utf8_lossy(&seen)
        );
    }
    let status = child.wait().unwrap();
    (String::from_utf8_lossy(&seen).into_owned(), status.code().unwrap_or(-1))
}

#[cfg(target_os = "linux")]
#[test]
fn on_a_terminal_bulk_revoke_asks_for_the_typed_count() {
    let env = TestEnv::new();
    env.create_key("tmp-1", &[]);
    env.create_key("tmp-2", &[]);
    env.create_key("keep", &[]);
    let before = env.dump();
    let (screen, code) = on_a_terminal(&env, &["key", "revoke", "--name", "tmp-*"], "Type 2", "yes");
    assert_eq!(code, 1, "{screen}");
    assert!(
        screen.contains("These 2 key(s) would be revoked") && screen.contains("tmp-1") && screen.contains("tmp-2"),
        "{screen}"
    );
    assert!(!screen.contains("keep"), "{screen}");
    assert!(screen.contains("cancelled; nothing changed"), "{screen}");
    assert_eq!(before, env.dump(), "a wrong count changes nothing");
    let (screen, code) = on_a_terminal(&env, &["key", "revoke", "--name", "tmp-*"], "Type 2", "2");
    assert_eq!(code, 0, "{screen}");
    let live = live_names(&env);
    assert_eq!(live, vec!["keep"]);
    audit_intact(&env);
}

#[cfg(target_os = "linux")]
#[test]
fn on_a_terminal_apply_shows_the_plan_and_asks() {
    let env = TestEnv::new();
    let file = write(&env, "keys.toml", "version = 1\n[[key]]\nname = \"x\"\nsender = \"ACME\"\n");
    let dir = secrets_dir(&env);
    let args = ["apply", "-f", s(&file), "--secrets-dir", s(&dir)];
    let (screen, code) = on_a_terminal(&env, &args, "Apply these 1 change(s)?", "n");
    assert_eq!(code, 1, "{screen}");
    assert!(screen.contains("+ create    x") && screen.contains("sender: \"ACME\""), "{screen}");
    assert_eq!(env.dump(), "<no store>", "declined: no store was even created");
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
    let (screen, code) = on_a_terminal(&env, &args, "Apply these 1 change(s)?", "y");
    assert_eq!(code, 0, "{screen}");
    assert!(dir.join("x.secret").exists());
    let secret = std::fs::read_to_string(dir.join("x.secret")).unwrap();
    assert!(!screen.contains(secret.trim()), "the secret never reaches the terminal");
}

#[test]
fn bad_policy_values_in_a_file_are_named_and_change_nothing() {
    let env = populated();
    let exported = env.ok(&["export"]);
    let bad = exported
        .replacen("rate = \"10/min\"", "rate = \"fast\"", 1)
        .replacen("scopes = [\"send\", \"status\"]", "scopes = [\"send\", \"nope\"]", 1)
        .replacen("deny_to = [\"+3729\"]", "deny_to = [\"3729\"]", 1)
        .replacen("owner = \"payments\"", "owner = \"bad team\"", 1);
    let file = write(&env, "keys.toml", &bad);
    let stderr = env.fails(&["apply", "-f", s(&file), "--yes"], 2, "rate");
    for what in [
        "has 4 problem(s)",
        "unknown scope 'nope'",
        "invalid destination prefix '3729'",
        "invalid owner 'bad team'",
        "invalid rate 'fast'",
    ] {
        assert!(stderr.contains(what), "{what} missing from:\n{stderr}");
    }
    env.fails(&["plan", "-f", s(&file)], 2, "rate");
}

#[test]
fn the_account_replacement_table_is_exported_planned_and_applied() {
    let env = populated();
    env.ok(&["replace", "add", "naïve", "naive"]);
    env.ok(&["replace", "add", "€", "EUR"]);
    let exported = env.ok(&["export"]);
    assert!(exported.contains("[replacements]"), "{exported}");
    assert!(
        !env.ok(&["export", "--key", "ci"]).contains("[replacements]"),
        "a partial export leaves the table out"
    );
    // Round trip: unchanged.
    let same = write(&env, "same.toml", &exported);
    assert_eq!(check_code(&env, &same), 0);
    // A change and a removal show in the plan, apply in one step and are audited.
    let changed = exported
        .replacen("\"€\" = \"EUR\"", "\"€\" = \"euro\"", 1)
        .replacen("\"naïve\" = \"naive\"\n", "", 1);
    let file = write(&env, "keys.toml", &changed);
    let plan = plan_json(&env, &file);
    let changes = plan["replacements"].as_array().unwrap();
    assert_eq!(changes.len(), 2, "{plan:#}");
    assert_eq!(check_code(&env, &file), 1);
    env.ok(&["apply", "-f", s(&file), "--yes"]);
    assert_eq!(check_code(&env, &file), 0);
    let table = env.json(&["replace", "list"]);
    assert!(!table.to_string().contains("naïve"), "{table}");
    assert!(table.to_string().contains("euro"), "{table}");
    let rows = env.json(&["audit"]);
    assert!(
        rows.as_array()
            .unwrap()
            .iter()
            .any(|r| r["action"] == "replace.apply" && r["after"]["applied_from"]["file_sha256"].is_string())
    );
    audit_intact(&env);
    // A bad entry: exit 2, named, nothing changed.
    let bad = changed.replacen("\"€\" = \"euro\"", "\"€\" = \"łuro\"", 1);
    let bad_file = write(&env, "bad.toml", &bad);
    env.fails(&["apply", "-f", s(&bad_file), "--yes"], 2, "invalid replacement");
}
