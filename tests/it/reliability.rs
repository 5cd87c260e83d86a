//! Concurrency, tamper evidence, crash safety, backup/restore and hostile input.

use std::process::Stdio;
use std::time::Duration;

use crate::common::{TestEnv, dump};
use rusqlite::Connection;

fn verify_fails_at(env: &TestEnv, seq: i64) {
    let out = env.cmd().args(["audit", "verify", "--json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["intact"], false);
    assert_eq!(v["first_break"]["seq"], seq, "{v}");
    assert!(String::from_utf8_lossy(&out.stderr).contains(&format!("entry #{seq}")));
}

fn trail(env: &TestEnv) -> TestEnv {
    env.create_key("a", &[]);
    env.ok(&["key", "set", "a", "--sender", "ACME"]);
    env.ok(&["key", "rename", "a", "b"]);
    env.ok(&["key", "rotate", "b", "--grace", "0"]);
    env.ok(&["key", "revoke", "b", "--yes"]);
    assert_eq!(env.json(&["audit", "verify"])["intact"], true);
    TestEnv::new()
}

#[test]
fn audit_verify_detects_an_edit() {
    let env = TestEnv::new();
    trail(&env);
    crate::common::open_store(&env.db)
        .execute("UPDATE audit SET after = replace(after, 'ACME', 'EVIL') WHERE seq = 3", ())
        .unwrap();
    verify_fails_at(&env, 3);
}

#[test]
fn audit_verify_detects_a_deletion() {
    let env = TestEnv::new();
    trail(&env);
    crate::common::open_store(&env.db)
        .execute("DELETE FROM audit WHERE seq = 3", ())
        .unwrap();
    verify_fails_at(&env, 4);
}

#[test]
fn audit_verify_detects_reordering() {
    let env = TestEnv::new();
    trail(&env);
    let conn = crate::common::open_store(&env.db);
    conn.execute_batch(
        "UPDATE audit SET seq = 100 WHERE seq = 2;
         UPDATE audit SET seq = 2 WHERE seq = 3;
         UPDATE audit SET seq = 3 WHERE seq = 100;",
    )
    .unwrap();
    verify_fails_at(&env, 2);
}

#[test]
fn audit_verify_detects_a_forged_actor() {
    let env = TestEnv::new();
    trail(&env);
    crate::common::open_store(&env.db)
        .execute("UPDATE audit SET actor = 'someone-else' WHERE seq = 5", ())
        .unwrap();
    verify_fails_at(&env, 5);
}

/// 8 processes, 200 mutations on shared and private keys: nothing lost, chain intact.
#[test]
fn concurrent_writers_lose_nothing() {
    let env = TestEnv::new();
    env.create_key("shared", &[]);
    for i in 0..8 {
        env.create_key(&format!("own{i}"), &[]);
    }
    let env = &env;
    let results: Vec<_> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..8)
            .map(|w| {
                scope.spawn(move || {
                    let mut results = Vec::new();
                    for op in 0..25 {
                        let own = format!("own{w}");
                        let entry = format!("10.{w}.{op}.0/24");
                        let sender = format!("S{w}x{op}");
                        let args: Vec<&str> = match op % 4 {
                            0 => vec!["key", "whitelist", "shared", "add", &entry],
                            1 => vec!["key", "set", &own, "--sender", &sender],
                            2 => vec!["key", "rotate", &own, "--grace", "0"],
                            _ => vec!["key", "whitelist", &own, "add", &entry],
                        };
                        let out = env
                            .std_cmd()
                            .args(&args)
                            .env("SMSCTL_ACTOR", format!("worker{w}"))
                            .env("SMSCTL_QUIET", "1")
                            .stdin(Stdio::null())
                            .output()
                            .unwrap();
                        let code = out.status.code();
                        assert!(
                            code == Some(0) || code == Some(7),
                            "worker {w} op {op}: {code:?} {}",
                            String::from_utf8_lossy(&out.stderr)
                        );
                        if code == Some(7) {
                            assert!(String::from_utf8_lossy(&out.stderr).contains("store busy"));
                        }
                        results.push((op, entry, code == Some(0)));
                    }
                    results
                })
            })
            .collect();
        workers
            .into_iter()
            .enumerate()
            .flat_map(|(w, h)| h.join().unwrap().into_iter().map(move |r| (w, r)))
            .collect()
    });
    let successes = results.iter().filter(|(_, (_, _, ok))| *ok).count();
    assert_eq!(results.len(), 200);
    // With a 5 s busy timeout nearly every operation gets through; a test where all of them
    // failed with 'store busy' would check nothing.
    assert!(successes >= 150, "only {successes} of 200 operations succeeded");
    for kind in 0..4 {
        assert!(
            results.iter().any(|(_, (op, _, ok))| op % 4 == kind && *ok),
            "no operation of kind {kind} succeeded"
        );
    }

    // Every successful whitelist add on the shared key is present (no lost update).
    let shared = env.json(&["key", "show", "shared"]);
    let list: Vec<String> = shared["whitelist"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    for (_, (op, entry, ok)) in &results {
        if op % 4 == 0 && *ok {
            assert!(list.contains(entry), "lost update: {entry} missing from {list:?}");
        }
    }
    // One audit row per success (plus the anchor and the 9 creations), chain intact.
    let audit = env.json(&["audit"]);
    assert_eq!(audit.as_array().unwrap().len(), successes + 10);
    assert_eq!(env.json(&["audit", "verify"])["intact"], true);
    // Each change (rotations too: rows record the whole key state) starts from the previous
    // one's result, per key.
    let mut last_after: std::collections::HashMap<String, serde_json::Value> = Default::default();
    for row in audit.as_array().unwrap() {
        let Some(key) = row["key_id"].as_str().map(str::to_owned) else {
            continue;
        };
        if let Some(prev) = last_after.get(&key) {
            assert_eq!(&row["before"], prev, "row {} did not start from the previous state", row["seq"]);
        }
        last_after.insert(key, row["after"].clone());
    }
    if !crate::common::on_postgres() {
        let conn = crate::common::open_store(&env.db);
        let ok: String = conn.query_row("PRAGMA quick_check", (), |r| r.get(0)).unwrap();
        assert_eq!(ok, "ok");
    }
}

/// kill -9 during a large all-or-nothing write leaves an intact store with all or none of it.
#[test]
fn kill_during_a_large_batch_leaves_all_or_nothing() {
    let env = TestEnv::new();
    env.create_key("big", &[]);
    let total = 40_000;
    let entries: String = (0..total)
        .map(|i| format!("2001:db8:{:x}:{:x}::/64\n", i / 65536, i % 65536))
        .collect();
    let run = |kill_after: Option<Duration>| {
        let mut child = env
            .std_cmd()
            .args(["key", "whitelist", "big", "add", "-"])
            .env("SMSCTL_QUIET", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        let data = entries.clone();
        let feeder = std::thread::spawn(move || {
            use std::io::Write;
            let _ = stdin.write_all(data.as_bytes());
        });
        if let Some(delay) = kill_after {
            std::thread::sleep(delay);
            let _ = child.kill(); // SIGKILL
        }
        let status = child.wait().unwrap();
        let _ = feeder.join();
        if !crate::common::on_postgres() {
            let conn = crate::common::open_store(&env.db);
            let ok: String = conn.query_row("PRAGMA quick_check", (), |r| r.get(0)).unwrap();
            assert_eq!(ok, "ok");
        }
        let n = env.json(&["key", "show", "big"])["whitelist"].as_array().unwrap().len();
        assert!(n == 0 || n == total, "partial batch: {n} entries");
        assert_eq!(env.json(&["audit", "verify"])["intact"], true);
        (status.success(), n)
    };
    let mut outcomes = Vec::new();
    for delay_ms in [50u64, 300, 800, 1500, 2500] {
        let (finished, n) = run(Some(Duration::from_millis(delay_ms)));
        outcomes.push((delay_ms, finished, n));
        if n == total {
            env.ok(&["key", "whitelist", "big", "clear"]);
        }
    }
    // Uninterrupted, the whole batch lands.
    assert_eq!(run(None), (true, total));
    eprintln!("kill outcomes (delay ms, finished, entries): {outcomes:?}");
}

#[test]
fn backup_and_restore_round_trip() {
    let env = TestEnv::new();
    let (_, secret) = env.create_key("ci", &["--sender", "ACME"]);
    let backup = env.dir.path().join("b.db");
    let v = env.json(&["backup", backup.to_str().unwrap()]);
    assert_eq!(v["keys"], 1);
    env.ok(&["key", "revoke", "ci", "--yes"]);
    env.create_key("later", &[]);
    env.fails(&["backup", backup.to_str().unwrap()], 2, "already exists");
    env.fails(&["restore", backup.to_str().unwrap()], 2, "needs confirmation");
    env.ok(&["restore", backup.to_str().unwrap(), "--yes"]);
    let leftovers: Vec<_> = std::fs::read_dir(env.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".restore-"))
        .collect();
    assert!(leftovers.is_empty(), "staging files left behind: {leftovers:?}");
    let keys = env.json(&["key", "list", "--all"]);
    assert_eq!(keys.as_array().unwrap().len(), 1);
    assert_eq!(keys[0]["status"], "active");
    let out = env.cmd().args(["key", "verify"]).write_stdin(secret).output().unwrap();
    assert!(out.status.success());
    let audit = env.json(&["audit"]);
    assert_eq!(audit.as_array().unwrap().last().unwrap()["action"], "store.restore");
    assert_eq!(env.json(&["audit", "verify"])["intact"], true);
}

#[test]
fn restore_refuses_bad_backups() {
    let env = TestEnv::new();
    env.create_key("ci", &[]);
    let garbage = env.dir.path().join("garbage.db");
    std::fs::write(&garbage, vec![b'x'; 8192]).unwrap();
    env.fails(&["restore", garbage.to_str().unwrap(), "--yes"], 2, "not a usable smsctl backup");
    env.fails(&["restore", "/no/such/backup.db", "--yes"], 2, "no such file");
    let empty = env.dir.path().join("empty.db");
    Connection::open(&empty).unwrap().execute_batch("CREATE TABLE t(x)").unwrap();
    env.fails(&["restore", empty.to_str().unwrap(), "--yes"], 2, "no smsctl schema");
    let tampered = env.dir.path().join("t.db");
    env.ok(&["backup", tampered.to_str().unwrap()]);
    Connection::open(&tampered)
        .unwrap()
        .execute("UPDATE audit SET actor = 'x'", ())
        .unwrap();
    env.fails(&["restore", tampered.to_str().unwrap(), "--yes"], 1, "audit trail altered");
    let newer = env.dir.path().join("n.db");
    env.ok(&["backup", newer.to_str().unwrap()]);
    Connection::open(&newer).unwrap().pragma_update(None, "user_version", 42).unwrap();
    env.fails(&["restore", newer.to_str().unwrap(), "--yes"], 7, "newer than this smsctl");
}

/// Each hostile input: a clear error, the documented exit code, the store unchanged.
#[test]
fn hostile_input_corpus() {
    let env = TestEnv::new();
    env.create_key("ci", &["--sender", "ACME"]);
    let long_name = "n".repeat(10_000);
    let long_url = format!("https://example.com/{}", "a".repeat(5000));
    let cases: Vec<(Vec<&str>, i32, &str)> = vec![
        (vec!["key", "create", &long_name], 2, "must be 1-64 characters"),
        (vec!["key", "create", "x'; DROP TABLE keys;--"], 2, "invalid key name"),
        (vec!["key", "create", "../../etc/passwd"], 2, "invalid key name"),
        (vec!["key", "create", "tab\tname"], 2, "invalid key name"),
        (vec!["key", "create", "ｆｕｌｌｗｉｄｔｈ"], 2, "invalid key name"),
        (vec!["key", "show", "x' OR '1'='1"], 3, "no key named"),
        (
            vec!["key", "set", "ci", "--dlr-url", "https://user@hooks.example.com/"],
            2,
            "credentials",
        ),
        (
            vec!["key", "set", "ci", "--dlr-url", "https://[::ffff:127.0.0.1]/"],
            2,
            "IPv4-mapped",
        ),
        (vec!["key", "set", "ci", "--dlr-url", &long_url], 2, "2048"),
        (vec!["key", "set", "ci", "--dlr-url", "gopher://example.com/"], 2, "scheme 'gopher'"),
        (
            vec!["key", "set", "ci", "--dlr-url", "data:text/plain,hi"],
            2,
            "invalid webhook URL",
        ),
        (
            vec!["key", "set", "ci", "--dlr-url", "https://example.com\u{0}.evil/"],
            2,
            "invalid webhook URL",
        ),
        (vec!["key", "whitelist", "ci", "add", "1.2.3.4/33"], 2, "invalid whitelist entry"),
        (vec!["key", "whitelist", "ci", "add", "::/129"], 2, "invalid whitelist entry"),
        (vec!["key", "whitelist", "ci", "add", "01.2.3.4"], 2, "invalid whitelist entry"),
        (vec!["key", "whitelist", "ci", "add", "0x7f.0.0.1"], 2, "invalid whitelist entry"),
        (vec!["key", "set", "ci", "--sender", "ΑCΜΕ"], 2, "invalid sender"),
        (vec!["key", "set", "ci", "--sender", "ACME\u{202e}"], 2, "invalid sender"),
        (vec!["key", "set", "ci", "--sender", "A\u{0301}CME"], 2, "invalid sender"),
        (
            vec!["send", "--key", "ci", "--to", "+372555\u{0}1234", "--text", "x", "--dry-run"],
            2,
            "invalid recipient",
        ),
        (
            vec!["send", "--key", "ci", "--to", "+37255512345", "--text", "a\u{0}b", "--dry-run"],
            2,
            "NUL",
        ),
        (
            vec![
                "send",
                "--key",
                "ci",
                "--to",
                "+37255512345",
                "--text-file",
                "/etc/../no/such",
                "--dry-run",
            ],
            2,
            "cannot read text file",
        ),
        (
            vec!["key", "rotate", "ci", "--grace", "99999999999999999999s"],
            2,
            "invalid duration",
        ),
    ];
    for (args, code, message) in cases {
        // argv cannot carry NUL bytes; those cases go through a file or are skipped by the OS.
        if args.iter().any(|a| a.contains('\0')) {
            continue;
        }
        env.fails(&args, code, message);
    }
    // A 10 MB text through stdin and a NUL in a text file.
    let big = "a".repeat(10 * 1024 * 1024);
    env.fails_with_stdin(
        &["send", "--key", "ci", "--to", "+37255512345", "--dry-run", "-"],
        Some(&big),
        2,
        "the limit is 65536",
    );
    let nul = env.dir.path().join("nul.txt");
    std::fs::write(&nul, b"a\0b").unwrap();
    env.fails(
        &[
            "send",
            "--key",
            "ci",
            "--to",
            "+37255512345",
            "--text-file",
            nul.to_str().unwrap(),
            "--dry-run",
        ],
        2,
        "NUL",
    );
    // A description full of SQL metacharacters is data, stored verbatim.
    env.ok(&["key", "set", "ci", "--description", "'); DROP TABLE keys; --"]);
    assert_eq!(env.json(&["key", "show", "ci"])["description"], "'); DROP TABLE keys; --");
}

#[cfg(unix)]
#[test]
fn non_utf8_arguments_are_usage_errors() {
    use std::os::unix::ffi::OsStrExt;
    let env = TestEnv::new();
    env.create_key("ci", &[]);
    let before = env.dump();
    let out = env
        .cmd()
        .arg("key")
        .arg("create")
        .arg(std::ffi::OsStr::from_bytes(b"bad\xffname"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(!out.stderr.is_empty());
    assert_eq!(before, env.dump());
}

#[test]
fn db_path_pointing_at_a_non_database_is_left_alone() {
    let env = TestEnv::new();
    let victim = env.dir.path().join("notes.txt");
    std::fs::write(&victim, "important notes, not a database, long enough for a header check").unwrap();
    let before = std::fs::read(&victim).unwrap();
    let traversal = format!(
        "{}/../{}/notes.txt",
        env.dir.path().display(),
        env.dir.path().file_name().unwrap().to_str().unwrap()
    );
    let out = env.cmd().args(["key", "create", "x", "--db", &traversal]).output().unwrap();
    assert_eq!(out.status.code(), Some(7));
    assert!(String::from_utf8_lossy(&out.stderr).contains("smsctl: error:"));
    assert_eq!(before, std::fs::read(&victim).unwrap());
    let _ = dump(&env.db);
}

#[test]
fn a_recorded_head_catches_a_store_rolled_back_to_an_older_copy() {
    if crate::common::sqlite_only("a store file rolled back to an older copy") {
        return;
    }
    let env = TestEnv::new();
    env.create_key("a", &[]);
    env.ok(&["key", "set", "a", "--sender", "ACME"]);
    let old = env.dir.path().join("old.db");
    env.ok(&["backup", old.to_str().unwrap()]);
    env.ok(&["key", "rotate", "a", "--grace", "0"]);
    env.ok(&["key", "revoke", "a", "--yes"]);
    let head = env.json(&["audit", "verify"])["head"].clone();
    assert_eq!(head["seq"], 5);
    let hash = head["hash"].as_str().unwrap().to_owned();
    env.ok(&["audit", "verify", "--expect-head", &hash]);
    env.fails(&["audit", "verify", "--expect-head", "nothex"], 2, "is not a head hash");
    // Rolling the whole store back (trail and tables together) un-revokes the key and is
    // consistent in itself: the chain and the replay cannot see it...
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", env.db.display()));
    }
    std::fs::copy(&old, &env.db).unwrap();
    assert_eq!(env.json(&["audit", "verify"])["intact"], true);
    // ...the head kept elsewhere can.
    env.fails(&["audit", "verify", "--expect-head", &hash], 1, "entries were removed from its end");
}

#[test]
fn cutting_entries_off_the_end_without_the_state_is_caught_by_the_replay() {
    let env = TestEnv::new();
    trail(&env);
    crate::common::open_store(&env.db)
        .execute("DELETE FROM audit WHERE seq >= 5", ())
        .unwrap();
    let stderr = env.fails(&["audit", "verify"], 1, "changed behind the audit trail");
    assert!(stderr.contains("revoked_at"), "{stderr}");
}

/// A typed column holding a value smsctl does not know (a hand edit, or a store written by
/// something else) is a store error that names the column and the value: never a panic, and
/// never shown as if it were a known value.
#[test]
fn an_unknown_stored_spelling_is_a_store_error_naming_the_column() {
    let env = TestEnv::new();
    let (id, _) = env.create_key("ci", &["--sender", "ACME"]);
    let conn = crate::common::open_store(&env.db);
    conn.execute(
        "INSERT INTO messages (at, origin, key_id, recipient, autoconvert, encoding, parts) VALUES (1000, 'fax', ?1, '+3725551234', 'on', 'GSM-7', 1)",
        [id.as_str()],
    )
    .unwrap();
    drop(conn);
    env.fails(&["messages"], 7, "(column origin): unknown origin 'fax' (expected send, gateway)");

    let conn = crate::common::open_store(&env.db);
    conn.execute("UPDATE messages SET origin = 'send', encoding = 'UTF-8'", ()).unwrap();
    drop(conn);
    env.fails(&["messages", "show", "1"], 7, "(column encoding): unknown encoding 'UTF-8'");

    let conn = crate::common::open_store(&env.db);
    conn.execute("UPDATE keys SET auto_replace = 'sometimes'", ()).unwrap();
    drop(conn);
    env.fails(
        &["key", "show", "ci"],
        7,
        "(column auto_replace): unknown autoconvert mode 'sometimes'",
    );
}
