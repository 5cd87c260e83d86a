//! The account's replacement table (`smsctl replace`) with the built-in autoconvert default `on`,
//! and the webhook tooling (`smsctl webhook test` / `verify`), against the real binary; webhook
//! receivers are loopback servers started by the test.

use std::time::Duration;

use crate::common::{Gateway, MockApi, TestEnv};
use serde_json::{Value, json};

/// HMAC-SHA256 by RustCrypto's `hmac`, independent of smsctl's own.
fn hmac_hex(secret: &str, body: &[u8]) -> String {
    use hmac_012::Mac;
    let mut mac = hmac_012::Hmac::<sha2_010::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(body);
    mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect()
}

/// Runs smsctl with `SMSCTL_KEY_SECRET` and optional stdin; returns (exit code, stdout, stderr).
fn run(env: &TestEnv, args: &[&str], secret: Option<&str>, stdin: Option<&[u8]>) -> (i32, String, String) {
    let mut cmd = env.cmd();
    cmd.args(args);
    if let Some(secret) = secret {
        cmd.env("SMSCTL_KEY_SECRET", secret);
    }
    if let Some(input) = stdin {
        cmd.write_stdin(input.to_vec());
    }
    let out = cmd.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_account_table_holds_words_and_keys_override_it() {
    let env = TestEnv::new();
    env.create_key("ci", &["--sender", "ACME"]);
    env.ok(&["replace", "add", "naïve", "naive"]);
    env.ok(&["replace", "add", "€", "euro"]);
    // NFC: "e" + U+0301 is stored as "é".
    env.ok(&["replace", "add", "cafe\u{301}", "cafe"]);
    let list = env.json(&["replace", "list"]);
    assert_eq!(list["replace"], json!({"café": "cafe", "naïve": "naive", "€": "euro"}));

    // The built-in default is `on`: the account's table applies without any flag.
    let v = env.json(&[
        "send",
        "--key",
        "ci",
        "--to",
        "+37255512345",
        "--text",
        "naïve café 5€",
        "--dry-run",
    ]);
    assert_eq!(v["settings"]["autoconvert"]["value"], "on");
    assert_eq!(v["settings"]["autoconvert"]["source"], "default");
    assert_eq!(v["message"]["text"], "naive cafe 5euro");
    assert_eq!(v["message"]["encoding"], "GSM-7");
    // A key's own entry overrides the account's for the same FROM, and the dry run says which.
    env.ok(&["key", "replace", "ci", "add", "€", "EUR"]);
    let v = env.json(&["send", "--key", "ci", "--to", "+37255512345", "--text", "naïve 5€", "--dry-run"]);
    assert_eq!(v["message"]["text"], "naive 5EUR");
    assert_eq!(
        v["message"]["replaced"],
        json!([{"from": "naïve", "to": "naive", "source": "account"}, {"from": "€", "to": "EUR", "source": "key"}])
    );
    let table = env.ok(&["send", "--key", "ci", "--to", "+37255512345", "--text", "naïve 5€", "--dry-run"]);
    assert!(table.contains("naïve→naive (account)") && table.contains("€→EUR (key)"), "{table}");
    // `text` applies the same table.
    let v = env.json(&["text", "--key", "ci", "naïve €"]);
    assert_eq!(v["text"], "naive EUR", "{v}");
    let v = env.json(&["text", "naïve €"]);
    assert_eq!(v["text"], "naive euro", "without --key only the account's table: {v}");
    // off and full ignore it.
    let v = env.json(&[
        "send",
        "--key",
        "ci",
        "--to",
        "+37255512345",
        "--text",
        "naïve",
        "--autoconvert",
        "off",
        "--dry-run",
    ]);
    assert_eq!(v["message"]["text"], "naïve");

    // Every change is audited.
    let audit = env.json(&["audit"]);
    let actions: Vec<&str> = audit.as_array().unwrap().iter().filter_map(|r| r["action"].as_str()).collect();
    assert_eq!(actions.iter().filter(|a| **a == "replace.add").count(), 3, "{actions:?}");
    env.ok(&["audit", "verify"]);

    // Refusals: exit code, message, store unchanged.
    env.fails(&["replace", "add", "ok", "“q”"], 2, "TO must be GSM-7 text");
    env.fails(&["replace", "add", "", "x"], 2, "FROM is empty");
    env.fails(&["replace", "add", &"x".repeat(33), "x"], 2, "at most 32 characters");
    env.fails(&["replace", "remove", "absent"], 3, "no replacement for 'absent'");

    env.ok(&["replace", "remove", "€"]);
    env.ok(&["replace", "clear"]);
    assert_eq!(env.json(&["replace", "list"])["replace"], json!({}));
    let actions: Vec<String> = env
        .json(&["audit"])
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["action"].as_str().map(str::to_owned))
        .collect();
    assert!(actions.contains(&"replace.remove".to_owned()) && actions.contains(&"replace.clear".to_owned()));
}

#[test]
fn the_gateway_applies_the_account_table_by_default() {
    let env = TestEnv::new();
    let k = env.create_key("ci", &["--sender", "ACME", "--allow-ip", "127.0.0.1"]);
    env.ok(&["replace", "add", "naïve", "naive"]);
    let gw = Gateway::start(&env, &[]).unwrap();
    // No autoconvert in the request and none on the key: on, as the provider's default.
    for autoconvert in [None, Some("true"), Some("false"), Some("full"), Some("on"), Some("off")] {
        let mut sms = json!({"channel": "sms", "text": "naïve"});
        if let Some(a) = autoconvert {
            sms["autoconvert"] = a.into();
        }
        let auth = format!(
            "Basic {}",
            base64::Engine::encode(&base64::engine::general_purpose::STANDARD, format!("{}:{}", k.0, k.1))
        );
        let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).proxy(None).build().into();
        let mut resp = agent
            .post(format!("{}/omnimessage", gw.url))
            .header("Authorization", &auth)
            .send(json!({"to": "+3725551234", "messages": [sms]}).to_string())
            .unwrap();
        assert_eq!(resp.status(), 201);
        let body: Value = serde_json::from_str(&resp.body_mut().read_to_string().unwrap()).unwrap();
        let omni = body["omnimessage_id"].as_str().unwrap();
        let rows = env.json(&["messages", "--limit", "100"]);
        let row = rows
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["omnimessage_id"] == omni)
            .unwrap()
            .clone();
        let (mode, text) = match autoconvert {
            None | Some("true") | Some("on") => ("on", "naive"),
            Some("full") => ("full", "naive"),
            _ => ("off", "naïve"),
        };
        assert_eq!(
            (row["autoconvert"].as_str(), row["text"].as_str()),
            (Some(mode), Some(text)),
            "{autoconvert:?}"
        );
    }
}

#[test]
fn webhook_test_posts_a_signed_sample_and_reports_the_answer() {
    let env = TestEnv::new();
    let (_, secret) = env.create_key("ci", &["--sender", "ACME"]);
    let (_, other) = env.create_key("other", &[]);
    let hook = MockApi::start(204, "", &[], Duration::ZERO);
    let url = format!("{}/dlr", hook.url);

    let (code, stdout, stderr) = run(&env, &["webhook", "test", &url, "--key", "ci", "--json"], Some(&secret), None);
    assert_eq!(code, 0, "{stderr}");
    let v: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!((v["http_status"].as_u64(), v["delivered"].as_bool()), (Some(204), Some(true)));
    let seen = hook.seen();
    assert_eq!(seen.len(), 1);
    assert_eq!(
        seen[0].signature.as_deref(),
        Some(hmac_hex(&secret, seen[0].body.as_bytes()).as_str())
    );
    let report: Value = serde_json::from_str(&seen[0].body).unwrap();
    // The provider's field order, in the raw body.
    let fields = [
        "status",
        "sender",
        "err",
        "message_id",
        "to",
        "channel",
        "error",
        "omnimessage_id",
        "timestamp",
    ];
    let at: Vec<usize> = fields
        .iter()
        .map(|f| seen[0].body.find(&format!("\"{f}\":")).unwrap_or_else(|| panic!("no {f}")))
        .collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{}", seen[0].body);
    assert_eq!(report.as_object().unwrap().len(), fields.len());
    assert_eq!(
        (report["status"].as_str(), report["err"].as_i64(), report["sender"].as_str()),
        (Some("DELIVRD"), Some(0), Some("ACME"))
    );
    assert!(!stdout.contains(&secret) && !stderr.contains(&secret));

    let (code, _, stderr) = run(
        &env,
        &["webhook", "test", &url, "--key", "ci", "--status", "FAILED"],
        Some(&secret),
        None,
    );
    assert_eq!(code, 0, "{stderr}");
    let report: Value = serde_json::from_str(&hook.seen()[1].body).unwrap();
    assert_eq!((report["err"].as_i64(), report["error"].as_str()), (Some(9), Some("Unroutable")));

    // Refusals: another key's secret (nothing is sent), a bad URL, a failing receiver; none
    // of them (nor the successes) writes to the store.
    let before = env.dump();
    let (code, _, stderr) = run(&env, &["webhook", "test", &url, "--key", "ci"], Some(&other), None);
    assert_eq!(code, 5, "{stderr}");
    assert!(stderr.contains("not a valid secret of key 'ci'"), "{stderr}");
    assert_eq!(hook.seen().len(), 2, "nothing was sent with the wrong secret");
    let (code, _, stderr) = run(
        &env,
        &["webhook", "test", "http://example.com/dlr", "--key", "ci"],
        Some(&secret),
        None,
    );
    assert_eq!(code, 2, "{stderr}");
    let (code, _, stderr) = run(&env, &["webhook", "test", &url, "--key", "ci"], None, None);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("no secret for key 'ci'"), "{stderr}");
    let failing = MockApi::start(500, "", &[], Duration::ZERO);
    let (code, _, stderr) = run(
        &env,
        &["webhook", "test", &format!("{}/dlr", failing.url), "--key", "ci"],
        Some(&secret),
        None,
    );
    assert_eq!(code, 6, "{stderr}");
    assert!(stderr.contains("answered HTTP 500"), "{stderr}");
    assert_eq!(before, env.dump(), "webhook test changed the store");
    // A redirect is delivered (200-399), and not followed.
    let redirect = MockApi::start(302, "", &[("Location", "http://127.0.0.1:9/")], Duration::ZERO);
    let (code, _, stderr) = run(
        &env,
        &["webhook", "test", &format!("{}/dlr", redirect.url), "--key", "ci"],
        Some(&secret),
        None,
    );
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn webhook_verify_checks_a_body_on_stdin() {
    let env = TestEnv::new();
    let (_, secret) = env.create_key("ci", &[]);
    let (_, other) = env.create_key("other", &[]);
    let body = br#"{"status":"DELIVRD","sender":"ACME","err":0}"#;
    let good = hmac_hex(&secret, body);
    let verify = |sig: &str, key_secret: &str, input: &[u8]| {
        run(
            &env,
            &["webhook", "verify", "--key", "ci", "--signature", sig],
            Some(key_secret),
            Some(input),
        )
    };
    let (code, stdout, stderr) = verify(&good, &secret, body);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("valid"), "{stdout}");
    let (code, _, _) = verify(&good.to_ascii_uppercase(), &secret, body);
    assert_eq!(code, 0, "hex in either case");

    // Wrong: a changed body, a signature by another key, the wrong key's secret.
    let before = env.dump();
    let (code, _, stderr) = verify(&good, &secret, br#"{"status":"FAILED","sender":"ACME","err":0}"#);
    assert_eq!(code, 5);
    assert!(stderr.contains("invalid: the signature does not match"), "{stderr}");
    let (code, _, _) = verify(&hmac_hex(&other, body), &secret, body);
    assert_eq!(code, 5);
    let (code, _, stderr) = verify(&good, &other, body);
    assert_eq!(code, 5);
    assert!(stderr.contains("not a secret of key 'ci'"), "{stderr}");
    // The echo slip gets a hint.
    let mut echoed = body.to_vec();
    echoed.push(b'\n');
    let (code, _, stderr) = verify(&good, &secret, &echoed);
    assert_eq!(code, 5);
    assert!(stderr.contains("without the trailing newline"), "{stderr}");
    // No secret: stdin is the body, so the hint names only the environment and the keyring.
    let (code, _, stderr) = run(&env, &["webhook", "verify", "--key", "ci", "--signature", &good], None, Some(body));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("stdin carries the body") && stderr.contains("set SMSCTL_KEY_SECRET"),
        "{stderr}"
    );
    assert!(!stderr.contains("--secret-stdin"), "{stderr}");
    // Malformed signature: a usage error.
    let (code, _, stderr) = verify("abc", &secret, body);
    assert_eq!(code, 2);
    assert!(stderr.contains("expected 64 hex digits"), "{stderr}");
    assert_eq!(before, env.dump(), "webhook verify changed the store");
}

#[test]
fn webhook_verify_accepts_what_the_gateway_sent() {
    let env = TestEnv::new();
    let (id, secret) = env.create_key("ci", &["--sender", "ACME", "--allow-ip", "127.0.0.1"]);
    let hook = MockApi::start(200, "", &[], Duration::ZERO);
    let gw = Gateway::start(&env, &[]).unwrap();
    let out = env
        .cmd()
        .args(["send", "--key", "ci", "--to", "+447700900001", "--text", "Hi", "--api-url", &gw.url])
        .args(["--dlr-url", &format!("{}/dlr", hook.url)])
        .env("SMSCTL_KEY_SECRET", &secret)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while hook.seen().len() < 2 {
        assert!(std::time::Instant::now() < deadline, "reports did not arrive");
        std::thread::sleep(Duration::from_millis(50));
    }
    for seen in hook.seen() {
        let sig = seen.signature.clone().unwrap();
        let (code, _, stderr) = run(
            &env,
            &["webhook", "verify", "--key", &id, "--signature", &sig],
            Some(&secret),
            Some(seen.body.as_bytes()),
        );
        assert_eq!(code, 0, "{stderr}: {}", seen.body);
    }
    // Rotated out, the old secret still verifies the reports it signed.
    env.ok(&["key", "rotate", "ci", "--grace", "0"]);
    let seen = &hook.seen()[0];
    let (code, _, stderr) = run(
        &env,
        &[
            "webhook",
            "verify",
            "--key",
            "ci",
            "--signature",
            seen.signature.as_deref().unwrap(),
        ],
        Some(&secret),
        Some(seen.body.as_bytes()),
    );
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn gateway_serve_help_shows_the_fault_table() {
    let env = TestEnv::new();
    let help = env.ok(&["gateway", "serve", "--help"]);
    for row in [
        "+447700900001  ACK, then UNDELIV, err 1 (Delivery failure)",
        "+447700900002  ACK, then FAILED, err 9 (Unroutable)",
        "+447700900003  REJECTD, err 7 (Sender name not allowed), no ACK",
        "+447700900004  ACK, then EXPIRED, err 2",
        "+447700900005  ACK, then DELIVRD after --slow-delivery (default 30 s)",
        "+447700900006  ACK, then DELIVRD twice",
        "anything else  ACK, then DELIVRD, err 0",
    ] {
        assert!(help.contains(row), "--help lacks {row:?}:\n{help}");
    }
    assert!(help.contains("--slow-delivery <DUR>"), "{help}");
    env.fails(&["gateway", "serve", "--slow-delivery", "soon"], 2, "invalid duration");
    env.fails(&["gateway", "serve", "--slow-delivery", "2d"], 2, "at most 1d");
}
