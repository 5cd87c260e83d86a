//! `smsctl send`: precedence in table and JSON, CI gates, and HTTP delivery against a
//! loopback API started by the test.

use std::time::Duration;

use crate::common::{MockApi, TestEnv};

const OK_BODY: &str = r#"{"messages":[{"channel":"sms","message_id":"m-1","sender":"ACME"}],"to":"+37255512345","omnimessage_id":"o-1"}"#;

fn send_cmd(env: &TestEnv, api: &str, secret: &str, extra: &[&str]) -> std::process::Output {
    send_text(env, api, secret, "Hello", extra)
}

fn send_text(env: &TestEnv, api: &str, secret: &str, text: &str, extra: &[&str]) -> std::process::Output {
    send_by(env.cmd(), api, secret, text, extra)
}

fn send_by(mut cmd: assert_cmd::Command, api: &str, secret: &str, text: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["send", "--key", "ci", "--to", "+372 5551 2345", "--text", text, "--api-url", api];
    args.extend_from_slice(extra);
    cmd.args(&args).env("SMSCTL_KEY_SECRET", secret).output().unwrap()
}

fn dry(env: &TestEnv, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["send", "--key", "ci", "--to", "+37255512345", "--text", "Hello", "--dry-run"];
    args.extend_from_slice(extra);
    env.json(&args)
}

#[test]
fn precedence_sender_in_json() {
    let env = TestEnv::new();
    env.create_key("ci", &["--sender", "KEYSENDER"]);
    // key only
    let v = dry(&env, &[]);
    assert_eq!(
        v["settings"]["sender"],
        serde_json::json!({"value": "KEYSENDER", "source": "key", "overridden": []})
    );
    // both: flag wins
    let v = dry(&env, &["--from", "FLAG"]);
    assert_eq!(v["settings"]["sender"]["value"], "FLAG");
    assert_eq!(v["settings"]["sender"]["source"], "flag");
    assert_eq!(
        v["settings"]["sender"]["overridden"],
        serde_json::json!([{"value": "KEYSENDER", "source": "key"}])
    );
    assert_eq!(v["request"]["messages"][0]["sender"], "FLAG");
    // flag only
    env.ok(&["key", "set", "ci", "--no-sender"]);
    let v = dry(&env, &["--from", "FLAG"]);
    assert_eq!(
        v["settings"]["sender"],
        serde_json::json!({"value": "FLAG", "source": "flag", "overridden": []})
    );
    // neither: a usage error naming both fixes, nothing sent
    env.fails(
        &["send", "--key", "ci", "--to", "+37255512345", "--text", "x", "--dry-run"],
        2,
        "no sender: pass --from or set one with smsctl key set KEY --sender",
    );
}

#[test]
fn precedence_autoconvert_in_json() {
    let env = TestEnv::new();
    env.create_key("ci", &["--sender", "ACME"]);
    let v = dry(&env, &[]);
    assert_eq!(
        v["settings"]["autoconvert"],
        serde_json::json!({"value": "on", "source": "default", "overridden": []})
    );
    let v = dry(&env, &["--autoconvert", "full"]);
    assert_eq!(v["settings"]["autoconvert"]["source"], "flag");
    assert_eq!(
        v["settings"]["autoconvert"]["overridden"],
        serde_json::json!([{"value": "on", "source": "default"}])
    );
    env.ok(&["key", "set", "ci", "--auto-replace", "full"]);
    let v = dry(&env, &[]);
    assert_eq!(
        (
            v["settings"]["autoconvert"]["value"].as_str(),
            v["settings"]["autoconvert"]["source"].as_str()
        ),
        (Some("full"), Some("key"))
    );
    // --autoconvert off beats a key set to full
    let v = env.json(&[
        "send",
        "--key",
        "ci",
        "--to",
        "+37255512345",
        "--text",
        "Café “quoted”",
        "--dry-run",
        "--autoconvert",
        "off",
    ]);
    assert_eq!(v["settings"]["autoconvert"]["value"], "off");
    assert_eq!(v["settings"]["autoconvert"]["source"], "flag");
    assert_eq!(
        v["settings"]["autoconvert"]["overridden"][0],
        serde_json::json!({"value": "full", "source": "key"})
    );
    assert_eq!(v["message"]["encoding"], "UCS-2");
    assert_eq!(v["request"]["messages"][0]["autoconvert"], "off");
    assert_eq!(v["request"]["messages"][0]["text"], "Café “quoted”");
}

#[test]
fn precedence_dlr_in_json() {
    let env = TestEnv::new();
    env.create_key("ci", &["--sender", "ACME"]);
    let v = dry(&env, &[]);
    assert!(v["settings"]["dlr_url"]["value"].is_null());
    assert_eq!(v["settings"]["dlr_url"]["source"], "default");
    assert!(v["request"].get("dlr_url").is_none());
    let v = dry(&env, &["--dlr-url", "https://flag.example.com/dlr"]);
    assert_eq!(v["settings"]["dlr_url"]["source"], "flag");
    assert_eq!(v["request"]["dlr_url"], "https://flag.example.com/dlr");
    env.ok(&["key", "set", "ci", "--dlr-url", "https://key.example.com/dlr"]);
    let v = dry(&env, &[]);
    assert_eq!(v["settings"]["dlr_url"]["source"], "key");
    assert_eq!(v["request"]["dlr_url"], "https://key.example.com/dlr");
    assert!(
        v["request"]["messages"][0].get("dlr_url").is_none(),
        "dlr_url is a top-level field only"
    );
    let v = dry(&env, &["--dlr-url", "https://flag.example.com/dlr"]);
    assert_eq!(
        v["settings"]["dlr_url"]["overridden"],
        serde_json::json!([{"value": "https://key.example.com/dlr", "source": "key"}])
    );
    // --no-dlr beats a key webhook
    let v = dry(&env, &["--no-dlr"]);
    assert!(v["settings"]["dlr_url"]["value"].is_null());
    assert_eq!(v["settings"]["dlr_url"]["source"], "flag");
    assert_eq!(v["settings"]["dlr_url"]["overridden"][0]["value"], "https://key.example.com/dlr");
    assert_eq!(v["request"]["dlr_url"], "", "an explicit empty dlr_url tells the API: no report");
}

#[test]
fn dry_run_table_shows_winner_source_and_overrides() {
    let env = TestEnv::new();
    env.create_key(
        "ci",
        &[
            "--sender",
            "KEYSENDER",
            "--auto-replace",
            "full",
            "--dlr-url",
            "https://key.example.com/dlr",
        ],
    );
    let out = env.ok(&[
        "send",
        "--key",
        "ci",
        "--to",
        "+37255512345",
        "--text",
        "Hi “there”",
        "--dry-run",
        "--from",
        "FLAG",
        "--no-dlr",
    ]);
    let row = |name: &str| {
        out.lines()
            .find(|l| l.trim_start().starts_with(name))
            .unwrap_or_else(|| panic!("no {name} row in:\n{out}"))
            .to_owned()
    };
    let sender = row("sender");
    assert!(
        sender.contains("FLAG") && sender.contains("flag") && sender.contains("KEYSENDER (key ci)"),
        "{sender}"
    );
    let auto = row("autoconvert");
    assert!(
        auto.contains("full") && auto.contains("key ci") && auto.contains("on (default)"),
        "{auto}"
    );
    let dlr = row("dlr_url");
    assert!(
        dlr.contains("none") && dlr.contains("https://key.example.com/dlr (key ci)"),
        "{dlr}"
    );
    assert!(out.contains("Dry run: nothing was sent"));
    assert!(out.contains("GSM-7"));
    assert!(out.contains("Request body:"));
    // Key-only and default rows in the table too.
    let out = env.ok(&["send", "--key", "ci", "--to", "+37255512345", "--text", "Hi", "--dry-run"]);
    assert!(
        out.lines()
            .any(|l| l.contains("sender") && l.contains("KEYSENDER") && l.contains("key ci")),
        "{out}"
    );
    env.ok(&["key", "set", "ci", "--auto-replace", "off", "--no-dlr-url"]);
    let out = env.ok(&["send", "--key", "ci", "--to", "+37255512345", "--text", "Hi", "--dry-run"]);
    assert!(
        out.lines()
            .any(|l| l.contains("autoconvert") && l.contains("off") && l.contains("default")),
        "{out}"
    );
    assert!(
        out.lines()
            .any(|l| l.contains("dlr_url") && l.contains("none") && l.contains("default")),
        "{out}"
    );
}

#[test]
fn dry_run_json_has_the_documented_shape() {
    let env = TestEnv::new();
    let (id, _) = env.create_key("ci", &["--sender", "ACME"]);
    let v = env.json(&["send", "--key", "ci", "--to", "+37255512345", "--text", "Hello 😀", "--dry-run"]);
    assert_eq!(v["key"], serde_json::json!({"id": id, "name": "ci"}));
    assert_eq!(v["to"], "+37255512345");
    for field in ["text", "encoding", "units", "segments", "parts", "replaced", "non_gsm"] {
        assert!(v["message"].get(field).is_some(), "message.{field} missing: {}", v["message"]);
    }
    assert_eq!(v["message"]["non_gsm"], serde_json::json!(["😀"]));
    assert_eq!(
        v["request"],
        serde_json::json!({"to": "+37255512345", "messages": [{"channel": "sms", "sender": "ACME", "text": "Hello 😀", "autoconvert": "on"}]})
    );
}

#[test]
fn ci_gates_fail_before_any_network_traffic() {
    let env = TestEnv::new();
    let (_, secret) = env.create_key("ci", &["--sender", "ACME"]);
    let api = MockApi::start(201, OK_BODY, &[], Duration::ZERO);
    let out = send_text(&env, &api.url, &secret, "Привет", &["--require-gsm7"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("'П' (U+041F)"), "{stderr}");
    let long = "a".repeat(161);
    let out = send_text(&env, &api.url, &secret, &long, &["--max-segments", "1"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("needs 2 parts"));
    env.fails(
        &[
            "send",
            "--key",
            "ci",
            "--to",
            "+37255512345",
            "--text",
            &long,
            "--dry-run",
            "--max-segments",
            "1",
        ],
        1,
        "needs 2 parts",
    );
    assert!(api.seen().is_empty(), "a gate let traffic through");
    assert!(env.json(&["messages"]).as_array().unwrap().is_empty());
}

#[test]
fn successful_send_posts_the_documented_request_and_logs_it() {
    let env = TestEnv::new();
    let (id, secret) = env.create_key("ci", &["--sender", "ACME", "--dlr-url", "https://key.example.com/dlr"]);
    let api = MockApi::start(201, OK_BODY, &[("Content-Type", "application/json")], Duration::ZERO);
    let out = send_cmd(&env, &api.url, &secret, &[]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("m-1") && stdout.contains("ACME"), "{stdout}");

    let seen = api.seen();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].method, "POST");
    assert_eq!(seen[0].path, "/v1/omnimessage");
    use base64::Engine;
    let expected = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{id}:{secret}"))
    );
    assert_eq!(seen[0].authorization.as_deref(), Some(expected.as_str()));
    let body: serde_json::Value = serde_json::from_str(&seen[0].body).unwrap();
    assert_eq!(body["to"], "+37255512345");
    assert_eq!(body["dlr_url"], "https://key.example.com/dlr");
    assert_eq!(body["messages"][0]["channel"], "sms");
    assert_eq!(body["messages"][0]["sender"], "ACME");
    assert_eq!(body["messages"][0]["text"], "Hello");
    assert_eq!(body["messages"][0]["autoconvert"], "on", "the built-in default, as the provider's");

    let log = env.json(&["messages", "--key", "ci"]);
    let m = &log[0];
    assert_eq!(m["http_status"], 201);
    assert_eq!(m["message_id"], "m-1");
    assert_eq!(m["omnimessage_id"], "o-1");
    assert_eq!(m["recipient"], "+37255512345");
    assert_eq!(m["sender"], "ACME");
    assert_eq!(m["encoding"], "GSM-7");
    assert_eq!(m["parts"], 1);
    assert_eq!(m["dlr_url"], "https://key.example.com/dlr");
    // The secret is in no output and not in the store.
    assert!(!String::from_utf8_lossy(&out.stdout).contains(&secret));
    assert!(!crate::common::contains(&crate::common::store_bytes(&env.db), secret.as_bytes()));
}

#[test]
fn quiet_send_prints_the_id_the_status_endpoint_accepts() {
    let env = TestEnv::new();
    let (_, secret) = env.create_key("ci", &["--sender", "ACME"]);
    let api = MockApi::start(201, OK_BODY, &[], Duration::ZERO);
    let out = send_cmd(&env, &api.url, &secret, &["--quiet"]);
    // GET /v1/omnimessage/{omnimessage_id}/status: the omnimessage id, not the message id.
    assert_eq!(String::from_utf8_lossy(&out.stdout), "o-1\n");
}

#[test]
fn secret_from_stdin_beats_the_environment() {
    let env = TestEnv::new();
    let (id, secret) = env.create_key("ci", &["--sender", "ACME"]);
    let (_, other) = TestEnv::new().create_key("x", &[]);
    let api = MockApi::start(201, OK_BODY, &[], Duration::ZERO);
    let out = env
        .cmd()
        .args([
            "send",
            "--key",
            "ci",
            "--to",
            "+37255512345",
            "--text",
            "Hi",
            "--api-url",
            &api.url,
            "--secret-stdin",
        ])
        .env("SMSCTL_KEY_SECRET", &other)
        .write_stdin(format!("{secret}\n"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    use base64::Engine;
    let expected = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{id}:{secret}"))
    );
    assert_eq!(api.seen()[0].authorization.as_deref(), Some(expected.as_str()));
}

fn assert_send_fails(status: u16, body: &str, headers: &[(&str, &str)], code: i32, message: &str) {
    let env = TestEnv::new();
    let (_, secret) = env.create_key("ci", &["--sender", "ACME"]);
    let api = MockApi::start(status, body, headers, Duration::ZERO);
    let out = send_cmd(&env, &api.url, &secret, &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(code), "HTTP {status}: {stderr}");
    assert!(stderr.contains(message), "HTTP {status}: {stderr}");
    assert!(!stderr.contains(&secret));
    assert_ne!(out.status.code(), Some(101), "panic");
    let log = env.json(&["messages"]);
    assert_eq!(log[0]["http_status"], status, "the failed attempt is logged");
    assert!(log[0]["error"].is_string());
}

#[test]
fn http_400_maps_provider_errors() {
    assert_send_fails(
        400,
        r#"{"errors":[{"title":"Invalid data","detail":"Invalid phone number","code":"105","source":"payload[to]"}]}"#,
        &[],
        6,
        "Invalid data: Invalid phone number [payload[to]] (code 105)",
    );
}

#[test]
fn http_401_and_403_are_rejections() {
    assert_send_fails(
        401,
        r#"{"errors":[{"title":"Unauthorized","detail":"bad credentials","code":"106"}]}"#,
        &[],
        5,
        "HTTP 401",
    );
    assert_send_fails(
        403,
        r#"{"errors":[{"title":"Forbidden","detail":"IP not allowed","code":"111"}]}"#,
        &[],
        5,
        "IP not allowed",
    );
}

#[test]
fn http_500_garbage_and_huge_bodies_are_network_errors() {
    assert_send_fails(500, "<html>Internal Server Error</html>", &[], 6, "HTTP 500");
    assert_send_fails(201, "this is not json", &[], 6, "not an Omnimessage response");
    assert_send_fails(502, &"x".repeat(200_000), &[], 6, "over 64 KiB");
}

#[test]
fn redirects_are_not_followed() {
    assert_send_fails(
        302,
        "",
        &[("Location", "http://127.0.0.1:9/elsewhere")],
        6,
        "redirects are not followed",
    );
}

#[test]
fn timeout_and_connection_refused_are_network_errors() {
    let env = TestEnv::new();
    let (_, secret) = env.create_key("ci", &["--sender", "ACME"]);
    let slow = MockApi::start(201, OK_BODY, &[], Duration::from_secs(3));
    let out = send_cmd(&env, &slow.url, &secret, &["--timeout", "1s"]);
    assert_eq!(out.status.code(), Some(6));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("timed out"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let out = send_cmd(&env, &format!("http://127.0.0.1:{port}/v1"), &secret, &[]);
    assert_eq!(out.status.code(), Some(6));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("cannot connect"), "{stderr}");
    assert!(stderr.contains("smsctl gateway serve"), "{stderr}");
}

#[test]
fn bad_send_input() {
    let env = TestEnv::new();
    let (_, secret) = env.create_key("ci", &["--sender", "ACME"]);
    env.create_key("old", &["--sender", "ACME"]);
    env.ok(&["key", "revoke", "old", "--yes"]);
    let base = ["send", "--key", "ci", "--text", "hi", "--dry-run"];
    fn join<'a>(base: &[&'a str], extra: &[&'a str]) -> Vec<&'a str> {
        base.iter().chain(extra).copied().collect()
    }
    let with = |extra: &[&'static str]| join(&base, extra);
    env.fails(&with(&["--to", "37255512345"]), 2, "must start with '+'");
    env.fails(&with(&["--to", "+372-555-abc"]), 2, "invalid recipient");
    env.fails(&with(&["--to", "+123"]), 2, "7 to 15");
    env.fails(&with(&["--to", "+37255512345", "--from", "WAYTOOLONGSENDER"]), 2, "invalid sender");
    env.fails(
        &with(&["--to", "+37255512345", "--dlr-url", "http://example.com/x"]),
        2,
        "invalid webhook URL",
    );
    env.fails(&with(&["--to", "+37255512345", "--autoconvert", "maybe"]), 2, "");
    env.fails(
        &["send", "--key", "ghost", "--to", "+37255512345", "--text", "x", "--dry-run"],
        3,
        "no key named",
    );
    env.fails(
        &["send", "--key", "old", "--to", "+37255512345", "--text", "x", "--dry-run"],
        5,
        "revoked",
    );
    env.fails(&["send", "--key", "ci", "--to", "+37255512345", "--dry-run"], 2, "no message text");
    env.fails(
        &["send", "--key", "ci", "--to", "+37255512345", "--text", "", "--dry-run"],
        2,
        "message text is empty",
    );
    // Invalid UTF-8 in a text file, a missing file, a directory.
    let bad = env.dir.path().join("bad.txt");
    std::fs::write(&bad, b"caf\xe9\n").unwrap();
    env.fails(
        &[
            "send",
            "--key",
            "ci",
            "--to",
            "+37255512345",
            "--text-file",
            bad.to_str().unwrap(),
            "--dry-run",
        ],
        2,
        "not valid UTF-8",
    );
    env.fails(
        &[
            "send",
            "--key",
            "ci",
            "--to",
            "+37255512345",
            "--text-file",
            "/no/such/file",
            "--dry-run",
        ],
        2,
        "cannot read text file",
    );
    env.fails(
        &[
            "send",
            "--key",
            "ci",
            "--to",
            "+37255512345",
            "--text-file",
            env.dir.path().to_str().unwrap(),
            "--dry-run",
        ],
        2,
        "directory",
    );
    // Plain http to a non-loopback API, credentials in the API URL.
    env.fails(
        &[
            "send",
            "--key",
            "ci",
            "--to",
            "+37255512345",
            "--text",
            "x",
            "--api-url",
            "http://api.example.com/v1",
        ],
        2,
        "only allowed to loopback",
    );
    env.fails(
        &[
            "send",
            "--key",
            "ci",
            "--to",
            "+37255512345",
            "--text",
            "x",
            "--api-url",
            "https://u:p@api.example.com/v1",
        ],
        2,
        "credentials",
    );
    // No secret anywhere (keyring disabled in tests), malformed secret.
    env.fails(
        &[
            "send",
            "--key",
            "ci",
            "--to",
            "+37255512345",
            "--text",
            "x",
            "--api-url",
            "http://127.0.0.1:9/v1",
        ],
        2,
        "no secret for key 'ci'",
    );
    let out = env
        .cmd()
        .args(["send", "--key", "ci", "--to", "+37255512345", "--text", "x"])
        .env("SMSCTL_KEY_SECRET", "smsk_nope")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("the secret from SMSCTL_KEY_SECRET is malformed"));
    let _ = secret;
}

#[test]
fn expired_key_is_rejected_before_network() {
    let env = TestEnv::new();
    let (_, secret) = env.create_key("ci", &["--sender", "ACME", "--expires", "1h"]);
    let api = MockApi::start(201, OK_BODY, &[], Duration::ZERO);
    // Two hours on, by a clock that runs ahead.
    let out = send_by(env.cmd_ahead("2h"), &api.url, &secret, "Hello", &[]);
    assert_eq!(out.status.code(), Some(5));
    assert!(String::from_utf8_lossy(&out.stderr).contains("expired"));
    assert!(api.seen().is_empty());
}

#[test]
fn text_from_stdin_and_file() {
    let env = TestEnv::new();
    env.create_key("ci", &["--sender", "ACME"]);
    let out = env
        .cmd()
        .args(["send", "--key", "ci", "--to", "+37255512345", "--dry-run", "--json", "-"])
        .write_stdin("from stdin")
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["message"]["text"], "from stdin");
    let f = env.dir.path().join("m.txt");
    std::fs::write(&f, "from a file").unwrap();
    let v = env.json(&[
        "send",
        "--key",
        "ci",
        "--to",
        "+37255512345",
        "--dry-run",
        "--text-file",
        f.to_str().unwrap(),
    ]);
    assert_eq!(v["message"]["text"], "from a file");
}

#[test]
fn one_final_newline_of_a_file_is_not_part_of_the_message() {
    let env = TestEnv::new();
    env.create_key("ci", &["--sender", "ACME"]);
    let f = env.dir.path().join("m.txt");
    std::fs::write(&f, format!("{}\n", "x".repeat(160))).unwrap();
    let v = env.json(&[
        "send",
        "--key",
        "ci",
        "--to",
        "+37255512345",
        "--text-file",
        f.to_str().unwrap(),
        "--dry-run",
        "--max-segments",
        "1",
    ]);
    assert_eq!(v["message"]["units"], 160);
    std::fs::write(&f, "two lines\n\n").unwrap();
    let v = env.json(&[
        "send",
        "--key",
        "ci",
        "--to",
        "+37255512345",
        "--text-file",
        f.to_str().unwrap(),
        "--dry-run",
    ]);
    assert_eq!(v["message"]["text"], "two lines\n", "only one newline is dropped");
}

#[test]
fn dry_run_shows_the_text_before_and_after_auto_replace() {
    let env = TestEnv::new();
    env.create_key("ci", &["--sender", "ACME", "--auto-replace", "full"]);
    let v = env.json(&["send", "--key", "ci", "--to", "+37255512345", "--text", "“hi”", "--dry-run"]);
    assert_eq!(v["original_text"], "“hi”");
    assert_eq!(v["message"]["text"], "\"hi\"");
    let out = env.ok(&["send", "--key", "ci", "--to", "+37255512345", "--text", "“hi”", "--dry-run"]);
    let row = out
        .lines()
        .find(|l| l.contains("text before autoconvert"))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(row.trim_end().ends_with("“hi”"), "{row}");
}
