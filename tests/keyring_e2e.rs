//! `--save-secret` through the real binary and a real Secret Service: create saves, send reads
//! it, rotate replaces it, revoke deletes it. Runs when SMSCTL_TEST_REAL_KEYRING=1 (CI runs it
//! under scripts/keyring-session.sh); otherwise it says so and passes.

mod common;

use std::time::Duration;

use common::{MockApi, TestEnv};
use smsctl::keyring::{OsKeyring, SecretStore};

const OK_BODY: &str = r#"{"messages":[{"channel":"sms","message_id":"m-1","sender":"ACME"}],"to":"+37255512345","omnimessage_id":"o-1"}"#;

fn real_keyring_enabled() -> bool {
    if std::env::var("SMSCTL_TEST_REAL_KEYRING").as_deref() == Ok("1") {
        wait_until_keyring_answers();
        return true;
    }
    eprintln!("keyring_e2e: skipped (set SMSCTL_TEST_REAL_KEYRING=1 and run under scripts/keyring-session.sh)");
    false
}

/// A freshly started gnome-keyring can drop the first calls while it sets up its collection
/// ("recipient disconnected"); wait until a probe succeeds, up to 10 s.
fn wait_until_keyring_answers() {
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        match smsctl::keyring::probe(&OsKeyring::new()) {
            Ok(()) => return,
            Err(e) if std::time::Instant::now() > deadline => panic!("the keyring never answered: {e}"),
            Err(_) => std::thread::sleep(Duration::from_millis(200)),
        }
    }
}

/// The harness disables the keyring; these tests use the session's real one.
fn with_keyring(env: &TestEnv, args: &[&str]) -> std::process::Output {
    let mut cmd = env.cmd();
    cmd.env_remove("SMSCTL_KEYRING");
    if let Ok(bus) = std::env::var("DBUS_SESSION_BUS_ADDRESS") {
        cmd.env("DBUS_SESSION_BUS_ADDRESS", bus);
    }
    cmd.args(args).output().unwrap()
}

fn json(out: &std::process::Output) -> serde_json::Value {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn save_secret_round_trip() {
    if !real_keyring_enabled() {
        return;
    }
    let env = TestEnv::new();
    let created = json(&with_keyring(
        &env,
        &["key", "create", "ci", "--sender", "ACME", "--save-secret", "--json"],
    ));
    let id = created["id"].as_str().unwrap().to_owned();
    assert!(created["secret"].is_null(), "a saved secret is not printed");
    assert_eq!(created["secret_delivery"], "keyring");
    let kr = OsKeyring::new();
    let first = kr.get(&id).unwrap().expect("secret saved");
    assert!(first.starts_with("smsk_"));

    // send finds it in the keyring and authenticates with it.
    let api = MockApi::start(201, OK_BODY, &[], Duration::ZERO);
    let out = with_keyring(
        &env,
        &["send", "--key", "ci", "--to", "+37255512345", "--text", "hi", "--api-url", &api.url],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    use base64::Engine;
    let expected = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{id}:{first}"))
    );
    assert_eq!(api.seen()[0].authorization.as_deref(), Some(expected.as_str()));

    // rotate replaces the entry; the new secret verifies as current.
    json(&with_keyring(&env, &["key", "rotate", "ci", "--save-secret", "--json"]));
    let second = kr.get(&id).unwrap().expect("secret replaced");
    assert_ne!(first, second);
    let out = env
        .cmd()
        .args(["key", "verify", "--json"])
        .write_stdin(second.clone())
        .output()
        .unwrap();
    assert_eq!(json(&out)["secret"]["state"], "current");
    // key verify --key with nothing piped and no SMSCTL_KEY_SECRET reads the keyring entry.
    let v = json(&with_keyring(&env, &["key", "verify", "--key", "ci", "--json"]));
    assert_eq!((v["reason"].as_str(), v["secret"]["state"].as_str()), (Some("ok"), Some("current")));

    // revoke deletes it.
    json(&with_keyring(&env, &["key", "revoke", "ci", "--yes", "--json"]));
    assert_eq!(kr.get(&id).unwrap(), None);
}

#[test]
fn save_secret_without_a_keyring_changes_nothing() {
    // Runs everywhere: the harness disables the keyring with SMSCTL_KEYRING=none.
    let env = TestEnv::new();
    env.create_key("existing", &[]);
    env.fails(&["key", "create", "ci", "--save-secret"], 1, "OS keyring unavailable");
    env.fails(&["key", "rotate", "existing", "--save-secret"], 1, "OS keyring unavailable");
}

#[test]
fn apply_save_secrets_puts_new_secrets_in_the_keyring_only() {
    if !real_keyring_enabled() {
        return;
    }
    let env = TestEnv::new();
    let file = env.dir.path().join("keys.toml");
    std::fs::write(&file, "version = 1\nprune = true\n[[key]]\nname = \"gitops\"\n").unwrap();
    let file = file.to_str().unwrap();
    let out = with_keyring(&env, &["apply", "-f", file, "--yes", "--save-secrets", "--json"]);
    let applied = json(&out);
    assert_eq!(applied["secret_delivery"], "keyring");
    let id = applied["keys"][0]["id"].as_str().unwrap().to_owned();
    let kr = OsKeyring::new();
    let secret = kr.get(&id).unwrap().expect("secret saved");
    assert!(!String::from_utf8_lossy(&out.stdout).contains(&secret), "secret printed");
    let v = json(&with_keyring(&env, &["key", "verify", "--key", "gitops", "--json"]));
    assert_eq!(v["reason"], "ok");
    // Pruning the key (an empty file with prune) deletes its saved secret too.
    std::fs::write(file, "version = 1\nprune = true\n").unwrap();
    json(&with_keyring(&env, &["apply", "-f", file, "--yes", "--json"]));
    assert_eq!(kr.get(&id).unwrap(), None);
}

#[test]
fn apply_save_secrets_without_a_keyring_changes_nothing() {
    let env = TestEnv::new();
    let file = env.dir.path().join("keys.toml");
    std::fs::write(&file, "version = 1\n[[key]]\nname = \"gitops\"\n").unwrap();
    env.fails(
        &["apply", "-f", file.to_str().unwrap(), "--yes", "--save-secrets"],
        1,
        "OS keyring unavailable",
    );
}

#[test]
fn apply_save_secrets_never_replaces_a_saved_secret_of_the_same_id() {
    if !real_keyring_enabled() {
        return;
    }
    // Two stores on one machine: a file exported from the first, applied to the second,
    // creates the key under the same id, whose keyring entry belongs to the first.
    let first = TestEnv::new();
    let created = json(&with_keyring(&first, &["key", "create", "shared", "--save-secret", "--json"]));
    let id = created["id"].as_str().unwrap().to_owned();
    let kr = OsKeyring::new();
    let saved = kr.get(&id).unwrap().expect("saved");
    let exported = first.ok(&["export"]);
    let second = TestEnv::new();
    let file = second.dir.path().join("keys.toml");
    std::fs::write(&file, exported).unwrap();
    let out = with_keyring(&second, &["apply", "-f", file.to_str().unwrap(), "--yes", "--save-secrets"]);
    assert_eq!(out.status.code(), Some(4), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("already holds a secret for key id"));
    assert_eq!(
        kr.get(&id).unwrap().as_deref(),
        Some(saved.as_str()),
        "the first store's secret is intact"
    );
    assert_eq!(second.dump(), "<no store>", "nothing was created");
    json(&with_keyring(&first, &["key", "revoke", "shared", "--yes", "--json"]));
}
/// With a keyring reachable, a new store's audit key goes there (service `smsctl-audit`,
/// account = the store id), not to a file, and the trail verifies with it.
#[test]
fn a_new_stores_audit_key_is_kept_in_the_keyring() {
    if !real_keyring_enabled() {
        return;
    }
    let env = TestEnv::new();
    json(&with_keyring(&env, &["key", "create", "ci", "--json"]));
    assert!(
        !env.dir.path().join(".config/smsctl/audit-keys").exists(),
        "the audit key was written to a file although the keyring works"
    );
    let conn = common::open_store(&env.db);
    let store_id: String = conn
        .query_row("SELECT value FROM meta WHERE name = 'store_id'", (), |r| r.get(0))
        .unwrap();
    let kr = OsKeyring::with_service("smsctl-audit");
    let hex = kr.get(&store_id).unwrap().expect("audit key in the keyring");
    assert_eq!(hex.trim().len(), 64);
    let v = json(&with_keyring(&env, &["audit", "verify", "--json"]));
    assert_eq!(v["intact"], true);
    assert_eq!(v["audit_key"], "keyring");
    // Without the keyring (and no file, no env) it cannot verify.
    let out = env.cmd().args(["audit", "verify"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no audit key for store"));
    kr.delete(&store_id).unwrap();
}

/// The keyring's one `upstream` entry is shared: the tests that use it take turns.
static UPSTREAM_ENTRY: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Relay mode's account credential: `upstream set` reads the password from stdin into the real
/// keyring, `show` finds it (never printing it), a second `set` keeps the replaced password as
/// the previous one, `delete` removes both.
#[test]
fn upstream_credential_round_trip() {
    if !real_keyring_enabled() {
        return;
    }
    let _turn = UPSTREAM_ENTRY.lock().unwrap_or_else(|p| p.into_inner());
    use std::io::Write;
    let env = TestEnv::new();
    let set = |password: &str| {
        let mut cmd = env.std_cmd();
        cmd.env_remove("SMSCTL_KEYRING");
        if let Ok(bus) = std::env::var("DBUS_SESSION_BUS_ADDRESS") {
            cmd.env("DBUS_SESSION_BUS_ADDRESS", bus);
        }
        let mut child = cmd
            .args(["upstream", "set", "--username", "acct-user"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(format!("{password}\n").as_bytes()).unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        assert!(!String::from_utf8_lossy(&out.stdout).contains(password));
    };
    set("first-password-1");
    let shown = json(&with_keyring(&env, &["upstream", "show", "--json"]));
    assert_eq!(
        (shown["username"].as_str(), shown["source"].as_str()),
        (Some("acct-user"), Some("the OS keyring"))
    );
    assert!(!shown.to_string().contains("first-password-1"));
    set("second-password-2");
    let ring = OsKeyring::new();
    assert_eq!(ring.get("upstream").unwrap().as_deref(), Some("acct-user:second-password-2"));
    assert_eq!(ring.get("upstream-previous").unwrap().as_deref(), Some("first-password-1"));
    assert!(with_keyring(&env, &["upstream", "delete"]).status.success());
    assert_eq!(ring.get("upstream").unwrap(), None);
    assert_eq!(ring.get("upstream-previous").unwrap(), None);
    assert_eq!(with_keyring(&env, &["upstream", "show"]).status.code(), Some(2));
}

/// Relay mode with the credential from the real keyring: `upstream set` saves the account key of
/// a sandbox playing the provider, and `gateway serve --upstream` forwards with it.
#[test]
fn relay_forwards_with_the_keyring_credential() {
    if !real_keyring_enabled() {
        return;
    }
    let _turn = UPSTREAM_ENTRY.lock().unwrap_or_else(|p| p.into_inner());
    use std::io::Write;
    let provider = TestEnv::new();
    let (account_id, account_secret) = provider.create_key("account", &["--sender", "ACCT", "--allow-ip", "127.0.0.1"]);
    let b = common::Gateway::start(&provider, &[]).expect("provider sandbox");
    let relay = TestEnv::new();
    let (team_id, team_secret) = relay.create_key("team", &["--sender", "TEAM", "--allow-ip", "127.0.0.1"]);
    let bus = std::env::var("DBUS_SESSION_BUS_ADDRESS").unwrap_or_default();
    let mut child = relay
        .std_cmd()
        .env("SMSCTL_KEYRING", "os")
        .env("DBUS_SESSION_BUS_ADDRESS", &bus)
        .args(["upstream", "set", "--username", &account_id])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(account_secret.as_bytes()).unwrap();
    assert!(child.wait().unwrap().success());
    let a = common::Gateway::start_with_env(
        &relay,
        &["--upstream", &b.url],
        &[("SMSCTL_KEYRING", "os"), ("DBUS_SESSION_BUS_ADDRESS", &bus)],
    )
    .expect("relay");
    let auth = format!(
        "Basic {}",
        base64::Engine::encode(&base64::engine::general_purpose::STANDARD, format!("{team_id}:{team_secret}"))
    );
    let status = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .proxy(None)
        .build()
        .new_agent()
        .post(format!("{}/omnimessage", a.url))
        .header("Authorization", &auth)
        .send(r#"{"to":"+3725551234","messages":[{"channel":"sms","text":"via keyring"}]}"#)
        .unwrap()
        .status()
        .as_u16();
    assert_eq!(status, 201, "{}", a.log());
    assert!(a.log().contains("credential from the OS keyring"), "{}", a.log());
    assert!(!a.log().contains(&account_secret));
    let forwarded = json(&with_keyring(&provider, &["messages", "--json"]));
    assert_eq!(forwarded[0]["key_id"], account_id.as_str());
    drop(a);
    OsKeyring::new().delete("upstream").unwrap();
    OsKeyring::new().delete("upstream-previous").unwrap();
}
