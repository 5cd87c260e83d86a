//! The trust boundary, tried as a hostile local user would: planted schema objects, edits
//! behind the audit trail, a wrong or missing audit key, secrets that reach nobody, planted
//! links, zone-less times, terminal escapes, and failing commands creating stores.

use std::os::unix::fs::PermissionsExt;
use std::process::Stdio;

use crate::common::{TestEnv, store_bytes};
use rusqlite::Connection;
use sha2::Digest;
use smsctl::params;

const UNREVOKE: &str = "CREATE TRIGGER keep_alive AFTER INSERT ON audit WHEN NEW.action = 'key.revoke' \
     BEGIN UPDATE keys SET revoked_at = NULL WHERE id = NEW.key_id; \
     UPDATE secrets SET valid_until = NULL WHERE key_id = NEW.key_id; END";

fn raw(env: &TestEnv) -> smsctl::store::Conn {
    crate::common::open_store(&env.db)
}

fn mode(path: &std::path::Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// Runs a command and returns (exit code, stdout, stderr).
fn run(env: &TestEnv, args: &[&str]) -> (Option<i32>, String, String) {
    let out = env.cmd().args(args).output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

// ---- exact schema ----

#[test]
fn a_planted_trigger_in_the_live_store_is_refused_untouched() {
    if crate::common::sqlite_only("an SQLite trigger (tests/it/pg_shared.rs plants one on PostgreSQL)") {
        return;
    }
    let env = TestEnv::new();
    env.create_key("ci", &[]);
    {
        let c = raw(&env);
        c.execute_batch(UNREVOKE).unwrap();
        c.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)").unwrap();
    }
    let bytes = store_bytes(&env.db);
    let stderr = env.fails(
        &["key", "revoke", "ci", "--yes"],
        7,
        "trigger 'keep_alive' is not part of smsctl's schema",
    );
    assert!(stderr.contains("hint: "), "{stderr}");
    env.fails(&["key", "list"], 7, "trigger 'keep_alive'");
    env.fails(&["audit", "verify"], 7, "trigger 'keep_alive'");
    // doctor names every deviation instead of refusing to look.
    raw(&env).execute_batch("CREATE VIEW spy AS SELECT * FROM keys").unwrap();
    raw(&env).execute_batch("PRAGMA wal_checkpoint(TRUNCATE)").unwrap();
    let bytes_with_view = store_bytes(&env.db);
    let (code, out, _) = run(&env, &["doctor", "--json"]);
    assert_eq!(code, Some(1));
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    let messages: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert!(messages.iter().any(|m| m.contains("trigger 'keep_alive'")), "{messages:?}");
    assert!(messages.iter().any(|m| m.contains("view 'spy'")), "{messages:?}");
    assert_eq!(bytes_with_view, store_bytes(&env.db), "doctor changed the store");
    assert_ne!(bytes, bytes_with_view);
}

#[test]
fn an_altered_or_missing_index_is_refused() {
    let env = TestEnv::new();
    env.create_key("ci", &[]);
    raw(&env).execute_batch("DROP INDEX audit_key").unwrap();
    env.fails(&["key", "show", "ci"], 7, "index 'audit_key' is missing");
}

#[test]
fn a_backup_carrying_a_trigger_is_not_restored() {
    let env = TestEnv::new();
    let (id, secret) = env.create_key("ci", &["--allow-ip", "127.0.0.1"]);
    let file = env.dir.path().join("evil.db");
    env.ok(&["backup", file.to_str().unwrap()]);
    Connection::open(&file).unwrap().execute_batch(UNREVOKE).unwrap();
    env.fails(&["restore", file.to_str().unwrap(), "--yes"], 7, "trigger 'keep_alive'");
    // The live store is still sound: revocation holds.
    env.ok(&["key", "revoke", "ci", "--yes"]);
    let out = env
        .cmd()
        .args(["key", "verify", "--key", &id])
        .write_stdin(format!("{secret}\n"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(5), "{}", String::from_utf8_lossy(&out.stdout));
}

// ---- the keyed trail and the replay ----

#[test]
fn a_hand_inserted_secret_is_found() {
    let env = TestEnv::new();
    let (id, _) = env.create_key("ci", &[]);
    env.create_key("other", &[]);
    let planted = [7u8; 32];
    raw(&env)
        .execute(
            "INSERT INTO secrets (key_id, hash, last4, created_at, valid_until) VALUES (?1, ?2, 'evil', 0, NULL)",
            params![id, planted.as_slice()],
        )
        .unwrap();
    let stderr = env.fails(&["audit", "verify"], 1, "changed behind the audit trail");
    assert!(stderr.contains(&format!("key {id}")), "{stderr}");
    assert!(stderr.contains("was not issued by any audit entry"), "{stderr}");
    let (code, out, _) = run(&env, &["audit", "verify", "--json"]);
    assert_eq!(code, Some(1));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["intact"], false);
    let problems: Vec<&str> = v["state_mismatches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["problem"].as_str().unwrap())
        .collect();
    assert!(problems.iter().any(|p| p.contains("2 current secrets")), "{problems:?}");
    let (code, out, _) = run(&env, &["doctor", "--json"]);
    assert_eq!(code, Some(1));
    assert!(out.contains("was not issued by any audit entry"), "{out}");
}

/// The attack that worked on the plain SHA-256 chain: delete the revocation, un-revoke the
/// key and recompute every link. Without the audit key the links cannot be recomputed.
#[test]
fn an_unrevoked_key_with_a_recomputed_chain_is_caught() {
    let env = TestEnv::new();
    env.create_key("ci", &[]);
    env.ok(&["key", "revoke", "ci", "--yes"]);
    let c = raw(&env);
    c.execute("DELETE FROM audit WHERE action = 'key.revoke'", ()).unwrap();
    c.execute("UPDATE keys SET revoked_at = NULL", ()).unwrap();
    c.execute("UPDATE secrets SET valid_until = NULL", ()).unwrap();
    // Recompute every link the way an attacker without the key can: plain SHA-256, and an
    // HMAC under a key of their own.
    type AuditRow = (i64, i64, String, String, Option<String>, Option<String>, Option<String>);
    let rows: Vec<AuditRow> = c
        .prepare("SELECT seq, at, actor, action, key_id, before, after FROM audit ORDER BY seq")
        .unwrap()
        .query_map((), |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let mut prev = "0".repeat(64);
    for (seq, at, actor, action, key_id, before, after) in rows {
        let content = serde_json::json!([prev, seq, at, actor, action, key_id, before, after]).to_string();
        let hash: String = sha2::Sha256::digest(content.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        c.execute(
            "UPDATE audit SET prev_hash = ?1, hash = ?2 WHERE seq = ?3",
            params![prev, hash, seq],
        )
        .unwrap();
        prev = hash;
    }
    drop(c);
    let stderr = env.fails(&["audit", "verify"], 1, "audit trail altered at entry #1");
    assert!(stderr.contains("keyed link"), "{stderr}");
    env.fails(&["doctor"], 1, "doctor found");
}

#[test]
fn an_edited_setting_behind_the_trail_names_the_key_and_field() {
    let env = TestEnv::new();
    let (id, _) = env.create_key("ci", &["--allow-ip", "10.0.0.1"]);
    raw(&env)
        .execute("UPDATE keys SET whitelist = '[\"0.0.0.0/0\"]', expires_at = NULL", ())
        .unwrap();
    let stderr = env.fails(&["audit", "verify"], 1, &format!("key {id}: whitelist"));
    assert!(stderr.contains("0.0.0.0/0"), "{stderr}");
    // A key row added by hand has no creation entry.
    raw(&env)
        .execute("INSERT INTO keys (id, name, created_at) VALUES ('key_planted1', 'planted', 0)", ())
        .unwrap();
    let (_, out, _) = run(&env, &["audit", "verify", "--json"]);
    assert!(out.contains("no audit entry created it"), "{out}");
}

#[test]
fn without_the_right_audit_key_verify_cannot_say_intact() {
    let env = TestEnv::new();
    env.create_key("ci", &[]);
    let wrong = "ab".repeat(32);
    let out = env
        .cmd()
        .args(["audit", "verify"])
        .env("SMSCTL_AUDIT_KEY", &wrong)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("cannot verify the audit trail"), "{stderr}");
    assert!(stderr.contains("SMSCTL_AUDIT_KEY is not the key of store"), "{stderr}");
    assert!(!String::from_utf8_lossy(&out.stdout).contains("intact"));
    let out = env
        .cmd()
        .args(["audit", "verify"])
        .env("SMSCTL_AUDIT_KEY", "nothex")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));

    // The key file gone: verify cannot, and a write is refused with the store unchanged.
    let keys = env.dir.path().join(".config/smsctl/audit-keys");
    let file = std::fs::read_dir(&keys).unwrap().next().unwrap().unwrap().path();
    assert_eq!(mode(&file), 0o600);
    assert_eq!(mode(&keys), 0o700);
    let saved = std::fs::read(&file).unwrap();
    std::fs::remove_file(&file).unwrap();
    let stderr = env.fails(&["audit", "verify"], 1, "cannot verify the audit trail: no audit key for store st_");
    assert!(stderr.contains("hint: set SMSCTL_AUDIT_KEY"), "{stderr}");
    env.fails(&["key", "rename", "ci", "ci2"], 7, "cannot append to the audit trail");
    // With the key given in the environment instead, everything works again.
    let hex = String::from_utf8(saved).unwrap();
    let out = env
        .cmd()
        .args(["audit", "verify", "--json"])
        .env("SMSCTL_AUDIT_KEY", hex.trim())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["audit_key"], "env");
    assert_eq!(v["intact"], true);
}

#[test]
fn an_unkeyed_store_is_upgraded_in_place_and_its_old_head_recorded() {
    if crate::common::sqlite_only("a schema-1 store") {
        return;
    }
    let env = TestEnv::new();
    // A store as smsctl 0.1 wrote it: schema 1, a plain SHA-256 chain.
    {
        let c = Connection::open(&env.db).unwrap();
        c.execute_batch(include_str!("../../src/store/schema_v1.sql")).unwrap();
        c.pragma_update(None, "user_version", 1).unwrap();
        c.execute(
            "INSERT INTO keys (id, name, created_at, whitelist) VALUES ('key_old00001', 'old', 1000, '[]')",
            [],
        )
        .unwrap();
        c.execute(
            "INSERT INTO secrets (key_id, hash, last4, created_at) VALUES ('key_old00001', ?1, 'abcd', 1000)",
            [[9u8; 32].as_slice()],
        )
        .unwrap();
        let mut prev = "0".repeat(64);
        for (seq, action) in [(1, "key.create"), (2, "key.rename")] {
            let content = serde_json::json!([prev, seq, 1000, "old", action, "key_old00001", null, "{}"]).to_string();
            let hash: String = sha2::Sha256::digest(content.as_bytes())
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            c.execute(
                "INSERT INTO audit (seq, at, actor, action, key_id, before, after, prev_hash, hash) VALUES (?1, 1000, 'old', ?2, 'key_old00001', NULL, '{}', ?3, ?4)",
                rusqlite::params![seq, action, prev, hash],
            )
            .unwrap();
            prev = hash;
        }
    }
    let old_head = raw(&env)
        .query_row("SELECT hash FROM audit WHERE seq = 2", (), |r| r.get::<_, String>(0))
        .unwrap();
    assert_eq!(env.json(&["key", "list"]).as_array().unwrap().len(), 1);
    let v = env.json(&["audit", "verify"]);
    assert_eq!(v["intact"], true, "{v}");
    assert_eq!(v["keyed_from"], 3);
    let rows = env.json(&["audit"]);
    let anchor = &rows.as_array().unwrap()[2];
    assert_eq!(anchor["action"], "audit.anchor");
    assert_eq!(anchor["after"]["legacy_head"]["hash"], old_head.as_str());
    assert_eq!(anchor["after"]["legacy_head"]["seq"], 2);
    assert!(anchor["after"]["keys"]["key_old00001"]["secrets"][0]["fingerprint"].is_string());
    // Editing a legacy row now breaks the chain too: the anchor holds the old head.
    raw(&env).execute("UPDATE audit SET actor = 'x' WHERE seq = 1", ()).unwrap();
    env.fails(&["audit", "verify"], 1, "entry #1");
}

// ---- a secret is delivered before it is committed ----

fn dev_full() -> Stdio {
    Stdio::from(std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap())
}

/// The write end of a pipe whose read end is already closed: every write gets EPIPE.
fn closed_pipe() -> Stdio {
    use std::os::fd::FromRawFd;
    let mut fds = [0; 2];
    // SAFETY: pipe() fills two fresh descriptors, each then owned by exactly one File.
    assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
    let (reader, writer) = unsafe { (std::fs::File::from_raw_fd(fds[0]), std::fs::File::from_raw_fd(fds[1])) };
    drop(reader);
    Stdio::from(writer)
}

fn assert_undelivered(env: &TestEnv, args: &[&str], stdout: Stdio) {
    let before = env.dump();
    let bytes = std::fs::read(&env.db).ok();
    let out = env.std_cmd().args(args).stdout(stdout).stderr(Stdio::piped()).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
    assert!(stderr.contains("cannot deliver the new secret"), "{stderr}");
    assert!(stderr.contains("nothing was changed"), "{stderr}");
    assert_eq!(before, env.dump(), "{args:?} changed the store");
    assert_eq!(bytes, std::fs::read(&env.db).ok(), "{args:?} changed the store file");
}

#[test]
fn create_and_rotate_commit_nothing_when_the_secret_cannot_be_written() {
    let env = TestEnv::new();
    // On a fresh machine the failed create leaves no store at all.
    assert_undelivered(&env, &["key", "create", "x", "--quiet"], dev_full());
    assert!(!crate::common::store_exists(&env.db));
    assert_undelivered(&env, &["key", "create", "x", "--quiet"], closed_pipe());
    assert!(!crate::common::store_exists(&env.db));
    env.create_key("ci", &[]);
    if !crate::common::on_postgres() {
        let c = raw(&env);
        c.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)").unwrap();
    }
    for args in [
        &["key", "create", "x", "--quiet"][..],
        &["key", "create", "x", "--json"][..],
        &["key", "rotate", "ci", "--quiet"][..],
        &["key", "rotate", "ci"][..],
    ] {
        assert_undelivered(&env, args, dev_full());
        assert_undelivered(&env, args, closed_pipe());
    }
    // Ordinary output into a closed pipe is still not an error.
    let out = env.std_cmd().args(["key", "list"]).stdout(closed_pipe()).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
}

// ---- failed and read-only commands never create a store ----

#[test]
fn failing_and_read_only_commands_create_no_store_file() {
    let env = TestEnv::new();
    env.fails(&["key", "revoke", "foo", "--yes"], 3, "no key named 'foo'");
    env.fails(&["key", "rotate", "foo"], 3, "no key named");
    env.fails(&["key", "set", "foo", "--sender", "ACME"], 3, "no key named");
    env.fails(&["key", "create", "bad name"], 2, "invalid key name");
    for args in [&["key", "list"][..], &["audit"][..], &["audit", "verify"][..], &["messages"][..]] {
        env.ok(args);
    }
    let _ = run(&env, &["doctor"]);
    let entries: Vec<_> = std::fs::read_dir(env.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("smsctl"))
        .collect();
    assert!(entries.is_empty(), "left behind: {entries:?}");
    // A key saved for a store that never came to be is removed again.
    let keys = env.dir.path().join(".config/smsctl/audit-keys");
    let left: Vec<_> = std::fs::read_dir(&keys)
        .map(|d| d.map(|e| e.unwrap().file_name()).collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "audit keys left behind: {left:?}");
}

// ---- private files and planted links ----

#[test]
fn the_store_its_side_files_backups_and_directories_are_private() {
    if crate::common::sqlite_only("file modes of the store") {
        return;
    }
    let env = TestEnv::new();
    // The default location: its directory is created 0700.
    let out = env.cmd().env_remove("SMSCTL_DB").args(["key", "create", "ci"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let data = env.dir.path().join("data/smsctl");
    assert_eq!(mode(&data), 0o700);
    assert_eq!(mode(&data.join("smsctl.db")), 0o600);

    env.create_key("ci", &[]);
    assert_eq!(mode(&env.db), 0o600);
    // Keep a connection open so the side files exist while we look.
    let c = raw(&env);
    c.query_row("SELECT count(*) FROM keys", (), |r| r.get::<_, i64>(0)).unwrap();
    for suffix in ["-wal", "-shm"] {
        let side = std::path::PathBuf::from(format!("{}{suffix}", env.db.display()));
        assert_eq!(mode(&side), 0o600, "{}", side.display());
    }
    let backup = env.dir.path().join("b.db");
    env.ok(&["backup", backup.to_str().unwrap()]);
    assert_eq!(mode(&backup), 0o600);
    // doctor flags a store others can read, with the fix.
    std::fs::set_permissions(&env.db, std::fs::Permissions::from_mode(0o644)).unwrap();
    let stdout = String::from_utf8(env.cmd().args(["doctor"]).output().unwrap().stdout).unwrap();
    assert!(stdout.contains(&format!("chmod 600 {}", env.db.display())), "{stdout}");
}

#[test]
fn backup_never_follows_or_replaces_a_planted_link() {
    let env = TestEnv::new();
    env.create_key("ci", &[]);
    let victim = env.dir.path().join("victim.db");
    let link = env.dir.path().join("backup.db");
    std::os::unix::fs::symlink(&victim, &link).unwrap();
    env.fails(&["backup", link.to_str().unwrap()], 2, "already exists");
    assert!(!victim.exists(), "the dangling link was followed");
    std::fs::write(&victim, b"precious").unwrap();
    env.fails(&["backup", link.to_str().unwrap()], 2, "already exists");
    assert_eq!(std::fs::read(&victim).unwrap(), b"precious");
    // Nothing is left behind in the directory.
    let stray: Vec<_> = std::fs::read_dir(env.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".smsctl-"))
        .collect();
    assert!(stray.is_empty(), "{stray:?}");
}

#[test]
fn restore_stages_privately_and_leaves_nothing_behind() {
    if crate::common::sqlite_only("the staging directory beside the store file") {
        return;
    }
    let env = TestEnv::new();
    env.create_key("ci", &[]);
    let file = env.dir.path().join("b.db");
    env.ok(&["backup", file.to_str().unwrap()]);
    env.ok(&["key", "revoke", "ci", "--yes"]);
    env.ok(&["restore", file.to_str().unwrap(), "--yes"]);
    assert_eq!(env.json(&["key", "show", "ci"])["status"], "active");
    assert_eq!(env.json(&["audit", "verify"])["intact"], true);
    assert_eq!(mode(&env.db), 0o600);
    let stray: Vec<_> = std::fs::read_dir(env.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .filter(|n| n != ".config")
        .collect();
    assert!(stray.is_empty(), "{stray:?}");
}

// ---- times ----

#[test]
fn a_zone_less_expiry_keeps_its_time_of_day() {
    let env = TestEnv::new();
    env.create_key("ci", &["--expires", "2099-12-31T12:00:00"]);
    assert_eq!(env.json(&["key", "show", "ci"])["expires_at"], "2099-12-31T12:00:00Z");
    env.ok(&["key", "set", "ci", "--expires", "2099-06-01 08:30"]);
    assert_eq!(env.json(&["key", "show", "ci"])["expires_at"], "2099-06-01T08:30:00Z");
    env.fails(&["key", "set", "ci", "--expires", "2099-12-31T25:00:00"], 2, "invalid expiry");
    // --since with a time of day filters by that time, not by the whole day.
    let rows = env.json(&["audit"]);
    let last = rows.as_array().unwrap().last().unwrap()["at"].as_str().unwrap().to_owned();
    // Derived from the rows themselves, so it holds whatever second the commands ran in.
    let last_second: jiff::Timestamp = format!("{}Z", &last[..19]).parse().unwrap();
    let next_second = (last_second + jiff::SignedDuration::from_secs(1))
        .strftime("%Y-%m-%d %H:%M:%S")
        .to_string();
    let later = env.json(&["audit", "--since", &next_second]);
    assert_eq!(later.as_array().unwrap().len(), 0, "nothing was written after {last}");
    let same_second = env.json(&["audit", "--since", &last[..19]]);
    let expected = rows
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["at"].as_str().unwrap()[..19] >= last[..19])
        .count();
    assert_eq!(same_second.as_array().unwrap().len(), expected);
    let all_day = env.json(&["audit", "--since", &last[..10]]);
    assert_eq!(all_day.as_array().unwrap().len(), rows.as_array().unwrap().len());
    let tomorrow = env.json(&["audit", "--since", "2099-01-01T00:00:00"]);
    assert_eq!(tomorrow.as_array().unwrap().len(), 0);
}

// ---- printable output ----

#[test]
fn escape_sequences_in_actor_and_description_are_shown_escaped() {
    let env = TestEnv::new();
    let evil = "ok\u{1b}[2K\r#9 forged row\u{9b}\u{202e}";
    let out = env
        .cmd()
        .args(["key", "create", "ci", "--description", evil])
        .env("SMSCTL_ACTOR", evil)
        .output()
        .unwrap();
    assert!(out.status.success());
    for args in [&["audit"][..], &["key", "show", "ci"][..], &["key", "list"][..]] {
        let stdout = env.ok(args);
        for raw_char in ['\u{1b}', '\r', '\u{9b}', '\u{202e}'] {
            assert!(!stdout.contains(raw_char), "{args:?} printed {raw_char:?} raw:\n{stdout}");
        }
    }
    assert!(env.ok(&["audit"]).contains("ok\\u{1b}[2K\\r#9 forged row"));
    // JSON stays exact.
    assert_eq!(env.json(&["key", "show", "ci"])["description"], evil);
    let rows = env.json(&["audit"]);
    assert_eq!(rows.as_array().unwrap().last().unwrap()["actor"], evil);
}

// ---- constant-shape auth ----

#[test]
fn a_secret_of_another_key_is_refused_for_this_key_and_says_so() {
    let env = TestEnv::new();
    let (a, _) = env.create_key("a", &[]);
    let (_, secret_b) = env.create_key("b", &[]);
    let out = env
        .cmd()
        .args(["key", "verify", "--key", &a, "--json"])
        .write_stdin(format!("{secret_b}\n"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(5));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["reason"], "wrong_key", "{v}");
    assert_eq!(v["valid"], false, "{v}");
}

// ---- found in review: each was a way past the checks above ----

#[test]
fn a_store_id_that_is_a_path_is_refused() {
    let env = TestEnv::new();
    env.create_key("ci", &[]);
    raw(&env)
        .execute("UPDATE meta SET value = '/tmp/evil/k' WHERE name = 'store_id'", ())
        .unwrap();
    env.fails(&["audit", "verify"], 7, "is not a store id");
    env.fails(&["key", "rename", "ci", "x"], 7, "is not a store id");
}

#[test]
fn a_trigger_named_like_the_statistics_tables_is_refused() {
    if crate::common::sqlite_only("SQLite's statistics tables") {
        return;
    }
    let env = TestEnv::new();
    env.create_key("ci", &[]);
    raw(&env)
        .execute_batch("CREATE TRIGGER sqlite1stat_x AFTER INSERT ON audit BEGIN UPDATE keys SET revoked_at = NULL; END;")
        .unwrap();
    env.fails(&["key", "revoke", "ci", "--yes"], 7, "trigger 'sqlite1stat_x'");
}

/// Pointing the keys' primary-key index at another row makes one key's id find another
/// key's settings at the gateway while the table itself looks untouched.
#[test]
fn an_index_swapped_behind_the_table_is_caught() {
    if crate::common::sqlite_only("SQLite's rowid and sqlite_master") {
        return;
    }
    let env = TestEnv::new();
    env.create_key("narrow", &["--allow-ip", "10.9.9.9"]);
    env.create_key("wide", &["--allow-ip", "127.0.0.1"]);
    {
        let c = raw(&env);
        let row = |name: &str| -> (i64, String) {
            c.query_row("SELECT rowid, id FROM keys WHERE name = ?1", [name], |r| Ok((r.get(0)?, r.get(1)?)))
                .unwrap()
        };
        let ((ra, ida), (rb, idb)) = (row("narrow"), row("wide"));
        c.execute_batch("CREATE TABLE h (x TEXT PRIMARY KEY)").unwrap();
        c.execute("INSERT INTO h (rowid, x) VALUES (?1, ?2), (?3, ?4)", params![rb, ida, ra, idb])
            .unwrap();
        let root = |name: &str| -> i64 {
            c.query_row("SELECT rootpage FROM sqlite_master WHERE name = ?1", [name], |r| r.get(0))
                .unwrap()
        };
        let (rk, rh) = (root("sqlite_autoindex_keys_1"), root("sqlite_autoindex_h_1"));
        c.execute_batch("PRAGMA writable_schema = ON").unwrap();
        c.execute(
            "UPDATE sqlite_master SET rootpage = ?1 WHERE name = 'sqlite_autoindex_keys_1'",
            [rh],
        )
        .unwrap();
        c.execute("UPDATE sqlite_master SET rootpage = ?1 WHERE name = 'sqlite_autoindex_h_1'", [rk])
            .unwrap();
    }
    raw(&env).execute_batch("DROP TABLE h").unwrap();
    env.fails(&["audit", "verify"], 1, "indexes disagree");
    env.fails(&["doctor"], 1, "doctor found");
}

#[test]
fn a_keyed_store_replaced_by_an_unkeyed_copy_is_refused() {
    if crate::common::sqlite_only("a store file swapped for another") {
        return;
    }
    let env = TestEnv::new();
    env.create_key("victim", &[]);
    env.ok(&["key", "revoke", "victim", "--yes"]);
    // The same keys as a schema-1 store, the revocation undone and no trail.
    let fake = env.dir.path().join("fake.db");
    {
        let n = Connection::open(&fake).unwrap();
        n.execute_batch(include_str!("../../src/store/schema_v1.sql")).unwrap();
        n.pragma_update(None, "user_version", 1).unwrap();
        n.execute("ATTACH ?1 AS old", [env.db.to_str().unwrap()]).unwrap();
        n.execute_batch(
            "INSERT INTO keys (id, name, created_at, whitelist) SELECT id, name, created_at, whitelist FROM old.keys;
             INSERT INTO secrets (key_id, hash, last4, created_at) SELECT key_id, hash, last4, created_at FROM old.secrets;",
        )
        .unwrap();
    }
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", env.db.display()));
    }
    std::fs::copy(&fake, &env.db).unwrap();
    env.fails(&["audit", "verify"], 7, "replaced by a downgraded copy");
    env.fails(&["key", "list"], 7, "downgraded copy");
    // Nor does restore take such a file without being told.
    let other = TestEnv::new();
    other.create_key("x", &[]);
    other.fails(&["restore", fake.to_str().unwrap(), "--yes"], 2, "unkeyed backup");
}

#[test]
fn a_store_path_that_is_a_link_is_not_followed() {
    if crate::common::sqlite_only("a store path that is a link") {
        return;
    }
    let env = TestEnv::new();
    let elsewhere = env.dir.path().join("attacker.db");
    let other = TestEnv::new();
    other.create_key("theirs", &[]);
    std::fs::copy(&other.db, &elsewhere).unwrap();
    std::os::unix::fs::symlink(&elsewhere, &env.db).unwrap();
    let before = std::fs::read(&elsewhere).unwrap();
    let out = env.cmd().args(["key", "create", "prod"]).output().unwrap();
    assert_eq!(out.status.code(), Some(7));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is a symbolic link"));
    assert!(out.stdout.is_empty(), "a secret was printed");
    assert_eq!(before, std::fs::read(&elsewhere).unwrap());
}

#[test]
fn no_secret_is_shown_for_a_store_that_cannot_be_created() {
    let env = TestEnv::new();
    // The config directory is a file: the new store's audit key cannot be saved.
    let blocker = env.dir.path().join("cfg");
    std::fs::write(&blocker, b"not a directory").unwrap();
    let out = env
        .cmd()
        .env("XDG_CONFIG_HOME", &blocker)
        .args(["key", "create", "ci", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(7), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot save the audit key"));
    assert!(
        out.stdout.is_empty(),
        "a secret was printed: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(!crate::common::store_exists(&env.db));
}

/// Found in review: the account's replacement table decides what messages say, so an edit
/// behind the trail is reported like a key's.
#[test]
fn an_edited_replacement_table_is_caught() {
    let env = TestEnv::new();
    env.create_key("ci", &[]);
    env.ok(&["replace", "add", "€", "EUR"]);
    env.ok(&["replace", "add", "naïve", "naive"]);
    env.ok(&["replace", "remove", "naïve"]);
    assert_eq!(env.json(&["audit", "verify"])["intact"], true);
    raw(&env).execute("UPDATE replacements SET to_text = 'USD'", ()).unwrap();
    raw(&env)
        .execute("INSERT INTO replacements (from_text, to_text) VALUES ('bank', 'b4nk')", ())
        .unwrap();
    let stderr = env.fails(&["audit", "verify"], 1, "changed behind the audit trail");
    assert!(stderr.contains("replacement"), "{stderr}");
    let (_, out, _) = run(&env, &["audit", "verify", "--json"]);
    assert!(out.contains("no audit entry added it"), "{out}");
}
