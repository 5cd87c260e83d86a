//! Key policy (issue 15) end to end: the flags on `key create`/`key set` (audited, bad values
//! exit 2 with the store unchanged), `send --dry-run`, and the gateway's 403/429 answers, rate
//! and quota under 8 concurrent clients and across a restart, usage and failure counts, canaries
//! and doctor findings.

use std::time::Duration;

use crate::common::{Gateway, MockApi, TestEnv, agent, basic, wait_for_within};
use serde_json::{Value, json};

struct Reply {
    status: u16,
    body: Value,
    retry_after: Option<String>,
}

fn reply(mut resp: ureq::http::Response<ureq::Body>) -> Reply {
    let retry_after = resp.headers().get("retry-after").and_then(|v| v.to_str().ok()).map(str::to_owned);
    let status = resp.status().as_u16();
    let text = resp.body_mut().read_to_string().unwrap_or_default();
    Reply {
        status,
        body: serde_json::from_str(&text).unwrap_or(Value::String(text)),
        retry_after,
    }
}

fn post(gw: &Gateway, key: &(String, String), body: &Value) -> Reply {
    let resp = agent()
        .post(format!("{}/omnimessage", gw.url))
        .header("Content-Type", "application/json")
        .header("Authorization", basic(&key.0, &key.1))
        .send(body.to_string())
        .expect("POST");
    reply(resp)
}

fn get(gw: &Gateway, key: &(String, String), path: &str) -> Reply {
    let resp = agent()
        .get(format!("{}{path}", gw.url))
        .header("Authorization", basic(&key.0, &key.1))
        .call()
        .expect("GET");
    reply(resp)
}

fn sms(to: &str, sender: &str, text: &str) -> Value {
    json!({"to": to, "messages": [{"channel": "sms", "sender": sender, "text": text}]})
}

fn start(env: &TestEnv) -> Gateway {
    Gateway::start(env, &[]).expect("gateway starts")
}

/// A 403/429 in the provider's error shape with this detail fragment and source.
fn assert_refused(r: &Reply, status: u16, source: Option<&str>, detail: &str) {
    assert_eq!(r.status, status, "{}", r.body);
    let e = &r.body["errors"][0];
    assert_eq!(r.body["errors"].as_array().map(Vec::len), Some(1), "{}", r.body);
    assert_eq!(e["title"], "Forbidden", "{}", r.body);
    assert_eq!(e["code"], "102", "{}", r.body);
    assert_eq!(e["source"].as_str(), source, "{}", r.body);
    assert!(e["detail"].as_str().unwrap_or("").contains(detail), "{}", r.body);
}

/// `HH:MM` of now (UTC) shifted by `minutes`.
fn utc_clock(minutes: i64) -> String {
    let now = jiff::Timestamp::now().as_second() / 60;
    let m = (now + minutes).rem_euclid(1440);
    format!("{:02}:{:02}", m / 60, m % 60)
}

const LONG: &str = "This message is long enough to need two parts when it is sent as GSM-7 because one part holds only one hundred and sixty septets, and this one has more than that.";

#[test]
fn every_policy_flag_is_stored_shown_audited_and_clearable() {
    let env = TestEnv::new();
    env.create_key(
        "mk",
        &[
            "--sender",
            "ACME",
            "--owner",
            "growth",
            "--purpose",
            "marketing",
            "--scope",
            "send,status",
            "--allow-sender",
            "ACME",
            "--allow-sender",
            "ACME-OPS",
            "--allow-to",
            "+372",
            "--deny-to",
            "+3729",
            "--max-parts",
            "3",
            "--rate",
            "5/s,burst=10",
            "--quota",
            "1000/day",
            "--send-window",
            "08:00-21:00@Europe/Tallinn",
        ],
    );
    let shown = env.json(&["key", "show", "mk"]);
    let p = &shown["policy"];
    assert_eq!(p["owner"], "growth");
    assert_eq!(p["purpose"], "marketing");
    assert_eq!(p["scopes"], json!(["send", "status"]));
    assert_eq!(p["allow_senders"], json!(["ACME", "ACME-OPS"]));
    assert_eq!((p["allow_to"].clone(), p["deny_to"].clone()), (json!(["+372"]), json!(["+3729"])));
    assert_eq!((p["max_parts"].clone(), p["rate"].clone()), (json!(3), json!("5/s,burst=10")));
    assert_eq!(p["quota"], "1000/day");
    assert_eq!(p["send_window"], "08:00-21:00@Europe/Tallinn");
    assert_eq!(shown["usage"]["quota"]["remaining"], 1000);
    let human = env.ok(&["key", "show", "mk"]);
    for row in [
        "owner",
        "growth",
        "allowed senders",
        "denied to",
        "+3729",
        "send window",
        "quota left",
    ] {
        assert!(human.contains(row), "{row}: {human}");
    }

    env.ok(&[
        "key",
        "set",
        "mk",
        "--no-owner",
        "--all-scopes",
        "--no-allow-sender",
        "--no-allow-to",
        "--no-deny-to",
        "--no-max-parts",
        "--no-rate",
        "--no-quota",
        "--no-purpose",
        "--no-send-window",
    ]);
    let cleared = env.json(&["key", "show", "mk"])["policy"].clone();
    assert_eq!(
        cleared,
        json!({"owner": null, "scopes": null, "allow_senders": [], "allow_to": [], "deny_to": [], "max_parts": null,
               "rate": null, "quota": null, "purpose": null, "send_window": null, "canary": false, "alert_url": null})
    );
    let audit = env.json(&["audit", "--key", "mk"]);
    let set = audit
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["action"] == "key.set")
        .expect("key.set audited");
    assert_eq!(set["before"]["policy"]["quota"], "1000/day");
    assert_eq!(set["after"]["policy"]["quota"], Value::Null);
    assert_eq!(set["before"]["policy"]["owner"], "growth");

    // key list --owner filters; the table shows owner and purpose.
    env.create_key("ops", &["--owner", "sre", "--purpose", "alerts"]);
    env.ok(&["key", "set", "mk", "--owner", "growth"]);
    let listed = env.json(&["key", "list", "--owner", "sre"]);
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(listed[0]["name"], "ops");
    assert!(env.ok(&["key", "list"]).contains("alerts"));
}

#[test]
fn bad_policy_values_exit_2_with_a_hint_and_change_nothing() {
    let env = TestEnv::new();
    env.create_key("k", &["--sender", "ACME", "--production", "--owner", "pay"]);
    let cases: &[(&[&str], &str)] = &[
        (&["--owner", "a b"], "invalid owner"),
        (&["--scope", "send,teleport"], "unknown scope"),
        (&["--allow-sender", "TwelveChars!"], "invalid sender"),
        (&["--allow-sender", "OTHER"], "not one of the allowed senders"),
        (&["--allow-to", "372"], "invalid destination prefix"),
        (&["--deny-to", "+0"], "invalid destination prefix"),
        (&["--max-parts", "0"], "max-parts"),
        (&["--rate", "10/h"], "invalid rate"),
        (&["--rate", "0/s"], "invalid rate"),
        (&["--quota", "5/week"], "invalid quota"),
        (&["--purpose", "spam"], "unknown purpose"),
        (&["--send-window", "08:00-21:00@Mars/Base"], "unknown time zone"),
        (&["--send-window", "21:00-21:00@UTC"], "empty"),
        (&["--alert-url", "http://example.com/x"], "invalid webhook URL"),
        (&["--no-owner"], "needs an owner"),
        (&["--rate", "5/s", "--no-rate"], "cannot be used with"),
    ];
    for (flags, message) in cases {
        let mut args = vec!["key", "set", "k"];
        args.extend_from_slice(flags);
        let stderr = env.fails(&args, 2, message);
        if !message.contains("cannot be used") && !message.contains("max-parts") && !message.contains("unknown") {
            assert!(stderr.contains("hint:"), "{flags:?}: {stderr}");
        }
    }
    // On create too: a production key without an owner, nothing stored.
    let stderr = env.fails(&["key", "create", "p2", "--production"], 2, "needs an owner");
    assert!(stderr.contains("hint: name the team"), "{stderr}");
    env.fails(&["key", "list", "--owner", "no owner!"], 2, "invalid owner");
}

/// A key allowed from loopback with `extra` policy flags.
fn key(env: &TestEnv, name: &str, extra: &[&str]) -> (String, String) {
    let mut args = vec!["--sender", "ACME", "--allow-ip", "127.0.0.1"];
    args.extend_from_slice(extra);
    env.create_key(name, &args)
}

#[test]
fn gateway_enforces_every_rule_in_both_directions() {
    let env = TestEnv::new();
    let open = format!("{}-{}@UTC", utc_clock(-60), utc_clock(60));
    let closed = format!("{}-{}@UTC", utc_clock(120), utc_clock(180));
    let k = key(
        &env,
        "k",
        &[
            "--allow-sender",
            "ACME",
            "--allow-sender",
            "ACME2",
            "--allow-to",
            "+372",
            "--allow-to",
            "+1",
            "--deny-to",
            "+1900",
            "--max-parts",
            "1",
            "--send-window",
            &open,
        ],
    );
    let readonly = key(&env, "reader", &["--scope", "status"]);
    let sendonly = key(&env, "sender", &["--scope", "send"]);
    let late = key(&env, "late", &["--send-window", &closed]);
    let gw = start(&env);

    // Allowed: sender in the list, destination allowed, one part, inside the window.
    let ok = post(&gw, &k, &sms("+3725551234", "ACME2", "hi"));
    assert_eq!(ok.status, 201, "{}", ok.body);
    assert_eq!(post(&gw, &k, &sms("+12025550123", "ACME", "hi")).status, 201);
    let omni = ok.body["omnimessage_id"].as_str().unwrap().to_owned();

    assert_refused(
        &post(&gw, &k, &sms("+3725551234", "EVIL", "hi")),
        403,
        Some("payload[sms][sender]"),
        "sender 'EVIL' is not allowed",
    );
    assert_refused(
        &post(&gw, &k, &sms("+4915112345678", "ACME", "hi")),
        403,
        Some("payload[to]"),
        "is not allowed for this key",
    );
    assert_refused(
        &post(&gw, &k, &sms("+19005550123", "ACME", "hi")),
        403,
        Some("payload[to]"),
        "is denied for this key (prefix +1900)",
    );
    assert_refused(
        &post(&gw, &k, &sms("+3725551234", "ACME", LONG)),
        403,
        Some("payload[sms][text]"),
        "needs 2 parts",
    );
    assert_refused(
        &post(&gw, &late, &sms("+3725551234", "ACME", "hi")),
        403,
        Some("payload"),
        "outside this key's send window",
    );

    // Scopes: a status-only key cannot send; a send-only key cannot read back.
    assert_refused(
        &post(&gw, &readonly, &sms("+3725551234", "ACME", "hi")),
        403,
        Some("payload"),
        "may not use the 'send' operation",
    );
    let sent = post(&gw, &sendonly, &sms("+3725551234", "ACME", "hi"));
    assert_eq!(sent.status, 201);
    let id = sent.body["omnimessage_id"].as_str().unwrap();
    assert_refused(
        &get(&gw, &sendonly, &format!("/omnimessage/{id}/status")),
        403,
        None,
        "may not use the 'status' operation",
    );
    // A key with every scope reads back; the status-only key reads its own (none here: 404).
    assert_eq!(get(&gw, &k, &format!("/omnimessage/{omni}/status")).status, 200);
    assert_eq!(get(&gw, &readonly, &format!("/omnimessage/{omni}")).status, 404);
    // A scheduled send needs the schedule scope.
    let mut scheduled = sms("+3725551234", "ACME", "hi");
    scheduled["time_to_send"] = json!("2099-01-01T00:00:00Z");
    assert_refused(
        &post(&gw, &sendonly, &scheduled),
        403,
        Some("payload"),
        "may not use the 'schedule' operation",
    );

    // Only accepted messages are recorded and counted.
    let usage = env.json(&["usage", "--key", "k"]);
    assert_eq!((usage[0]["messages"].clone(), usage[0]["parts"].clone()), (json!(2), json!(2)));
    assert_eq!(env.json(&["messages", "--key", "k"]).as_array().unwrap().len(), 2);
}

#[test]
fn send_dry_run_shows_each_check_and_refuses_what_the_gateway_would() {
    let env = TestEnv::new();
    let closed = format!("{}-{}@UTC", utc_clock(120), utc_clock(180));
    key(
        &env,
        "k",
        &[
            "--allow-sender",
            "ACME",
            "--allow-to",
            "+372",
            "--deny-to",
            "+3729",
            "--max-parts",
            "1",
            "--quota",
            "5/day",
            "--rate",
            "2/s",
        ],
    );
    key(&env, "late", &["--send-window", &closed]);
    key(&env, "reader", &["--scope", "status"]);
    let dry = |args: &[&str]| {
        let mut all = vec!["send", "--dry-run", "--json"];
        all.extend_from_slice(args);
        env.cmd().args(&all).output().unwrap()
    };
    let out = dry(&["--key", "k", "--to", "+3725551234", "--text", "hi"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let plan: Value = serde_json::from_slice(&out.stdout).unwrap();
    let rules: Vec<&str> = plan["policy"]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["sender", "destination", "max_parts", "rate", "quota"]);
    assert!(plan["policy"]["checks"].as_array().unwrap().iter().all(|c| c["allowed"] == true));
    assert_eq!(plan["policy"]["violation"], Value::Null);
    // The human plan shows the table beside the precedence table.
    let human = env.ok(&["send", "--dry-run", "--key", "k", "--to", "+3725551234", "--text", "hi"]);
    assert!(
        human.contains("policy rule") && human.contains("0 of 5 part(s) used today"),
        "{human}"
    );

    let refused: &[(&[&str], &str, &str)] = &[
        (
            &["--key", "k", "--to", "+3725551234", "--text", "hi", "--from", "EVIL"],
            "sender",
            "sender 'EVIL' is not allowed",
        ),
        (
            &["--key", "k", "--to", "+4915112345678", "--text", "hi"],
            "destination",
            "not allowed",
        ),
        (&["--key", "k", "--to", "+3729551234", "--text", "hi"], "destination", "denied"),
        (&["--key", "k", "--to", "+3725551234", "--text", LONG], "max_parts", "needs 2 parts"),
        (
            &["--key", "late", "--to", "+3725551234", "--text", "hi"],
            "send_window",
            "outside this key's send window",
        ),
        (
            &["--key", "reader", "--to", "+3725551234", "--text", "hi"],
            "scope",
            "may not use the 'send' operation",
        ),
    ];
    for (args, rule, detail) in refused {
        let out = dry(args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(5), "{args:?}: {stderr}");
        let err: Value = serde_json::from_str(stderr.trim()).unwrap_or_else(|e| panic!("{args:?}: {e}: {stderr}"));
        assert!(err["error"]["message"].as_str().unwrap().contains(detail), "{args:?}: {stderr}");
        assert!(err["error"]["hint"].is_string(), "{args:?}: {stderr}");
        let plan: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(plan["policy"]["violation"]["rule"], *rule, "{args:?}");
        // Without --dry-run: refused locally, before any traffic (no secret needed, nothing sent).
        let before = env.dump();
        let mut real = vec!["send", "--api-url", "http://127.0.0.1:9/v1"];
        real.extend_from_slice(args);
        let out = env.cmd().args(&real).output().unwrap();
        assert_eq!(out.status.code(), Some(5), "{args:?}");
        assert_eq!(before, env.dump());
    }
}

#[test]
fn rate_and_quota_are_exact_under_8_clients_and_survive_a_restart() {
    let env = TestEnv::new();
    // 10/min: one token per 6 s, so no refill happens while the burst is being spent.
    let rated = key(&env, "rated", &["--rate", "10/min"]);
    let quoted = key(&env, "quoted", &["--quota", "30/day"]);
    let gw = start(&env);
    let hammer = |k: &(String, String), per_client: usize, text: &'static str| {
        let statuses = std::sync::Mutex::new(Vec::new());
        std::thread::scope(|s| {
            for _ in 0..8 {
                s.spawn(|| {
                    for _ in 0..per_client {
                        let r = post(&gw, k, &sms("+3725551234", "ACME", text));
                        statuses.lock().unwrap().push((r.status, r.retry_after, r.body));
                    }
                });
            }
        });
        statuses.into_inner().unwrap()
    };
    let rate = hammer(&rated, 4, "hi");
    assert_eq!(rate.iter().filter(|r| r.0 == 201).count(), 10, "exactly the burst");
    let limited: Vec<_> = rate.iter().filter(|r| r.0 == 429).collect();
    assert_eq!(limited.len(), 22);
    for (_, retry, body) in &limited {
        let secs: u64 = retry.as_deref().expect("Retry-After").parse().unwrap();
        assert!((1..=6).contains(&secs), "{secs}");
        assert_eq!(body["errors"][0]["code"], "102");
        assert!(body["errors"][0]["detail"].as_str().unwrap().contains("rate limit"), "{body}");
    }

    // Two-part messages against 30 parts a day: exactly 15 accepted, never 31 parts.
    let quota = hammer(&quoted, 4, LONG);
    assert_eq!(quota.iter().filter(|r| r.0 == 201).count(), 15);
    let refused = quota.iter().find(|r| r.0 == 429).expect("a 429");
    let secs: u64 = refused.1.as_deref().expect("Retry-After").parse().unwrap();
    assert!((1..=86_400).contains(&secs));
    assert!(
        refused.2["errors"][0]["detail"].as_str().unwrap().contains("quota"),
        "{}",
        refused.2
    );

    // Restart: the counters and the bucket are in the store.
    let (code, _) = gw.stop("TERM");
    assert_eq!(code, Some(0));
    let gw = start(&env);
    assert_eq!(post(&gw, &rated, &sms("+3725551234", "ACME", "hi")).status, 429);
    assert_eq!(post(&gw, &quoted, &sms("+3725551234", "ACME", "hi")).status, 429);
    let usage = env.json(&["usage", "--key", "quoted"]);
    assert_eq!((usage[0]["messages"].clone(), usage[0]["parts"].clone()), (json!(15), json!(30)));
    assert_eq!(usage[0]["quota"]["remaining"], 0);
    assert_eq!(env.json(&["usage", "--key", "rated"])[0]["messages"], 10);
    let out = env
        .cmd()
        .args([
            "send",
            "--key",
            "rated",
            "--to",
            "+3725551234",
            "--text",
            "hi",
            "--dry-run",
            "--json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(5));
    let plan: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(plan["policy"]["violation"]["rule"], "rate");
    assert!(
        plan["policy"]["violation"]["retry_after"]
            .as_u64()
            .is_some_and(|s| (1..=6).contains(&s))
    );
    // `send` sees the same counters and refuses locally.
    let out = env
        .cmd()
        .args(["send", "--key", "quoted", "--to", "+3725551234", "--text", "hi", "--dry-run"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(5));
    assert!(String::from_utf8_lossy(&out.stderr).contains("quota of this key (30/day) would be exceeded"));
    // Doctor: the quota is above 90%.
    let out = env.cmd().args(["doctor", "--json"]).output().unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["check"] == "quotas" && f["key"] == "quoted"),
        "{report}"
    );
}

#[test]
fn usage_per_secret_and_auth_failures_are_counted_without_secrets() {
    let env = TestEnv::new();
    let k = key(&env, "k", &[]);
    let gw = start(&env);
    assert_eq!(post(&gw, &k, &sms("+3725551234", "ACME", "hi")).status, 201);
    assert_eq!(post(&gw, &k, &sms("+3725551234", "ACME", LONG)).status, 201);
    // Rotate with grace: the new secret sends once, the old one once more.
    let rotated = env.json(&["key", "rotate", "k", "--grace", "1h"]);
    let new = (k.0.clone(), rotated["secret"].as_str().unwrap().to_owned());
    assert_eq!(post(&gw, &new, &sms("+3725551234", "ACME", "hi")).status, 201);
    assert_eq!(post(&gw, &k, &sms("+3725551234", "ACME", "hi")).status, 201);

    let wrong = (k.0.clone(), env.create_key("other", &[]).1);
    assert_eq!(post(&gw, &wrong, &sms("+3725551234", "ACME", "hi")).status, 401);
    assert_eq!(post(&gw, &wrong, &sms("+3725551234", "ACME", "hi")).status, 401);
    let unknown = ("key_zzzzzzzz".to_owned(), k.1.clone());
    assert_eq!(post(&gw, &unknown, &sms("+3725551234", "ACME", "hi")).status, 401);
    let walled = env.create_key("walled", &["--sender", "ACME", "--allow-ip", "10.0.0.1"]);
    assert_eq!(post(&gw, &walled, &sms("+3725551234", "ACME", "hi")).status, 403);
    let revoked = key(&env, "gone", &[]);
    env.ok(&["key", "revoke", "gone", "--yes"]);
    assert_eq!(post(&gw, &revoked, &sms("+3725551234", "ACME", "hi")).status, 401);
    let ended = key(&env, "ended", &[]);
    env.ok(&["key", "rotate", "ended", "--grace", "0"]);
    assert_eq!(post(&gw, &ended, &sms("+3725551234", "ACME", "hi")).status, 401);

    let usage = env.json(&["usage", "--key", "k"]);
    assert_eq!((usage[0]["messages"].clone(), usage[0]["parts"].clone()), (json!(4), json!(5)));
    let secrets = usage[0]["secrets"].as_array().unwrap();
    assert_eq!(secrets.len(), 2);
    assert_eq!(secrets[0]["last4"], json!(&new.1[new.1.len() - 4..]));
    assert_eq!(
        (secrets[0]["messages"].clone(), secrets[0]["last_ip"].clone()),
        (json!(1), json!("127.0.0.1"))
    );
    assert_eq!((secrets[1]["messages"].clone(), secrets[1]["parts"].clone()), (json!(3), json!(4)));
    assert_eq!(usage[0]["addresses"], json!(["127.0.0.1"]));

    let failures_of = |name: &str| -> Vec<(String, i64)> {
        wait_for_within("failure counts", Duration::from_secs(10), || {
            !env.json(&["usage", "--key", name])[0]["auth_failures"]
                .as_array()
                .unwrap()
                .is_empty()
        });
        env.json(&["usage", "--key", name])[0]["auth_failures"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| (f["reason"].as_str().unwrap().to_owned(), f["count"].as_i64().unwrap()))
            .collect()
    };
    assert_eq!(failures_of("k"), [("wrong_secret".to_owned(), 2)]);
    assert_eq!(failures_of("walled"), [("ip_not_allowed".to_owned(), 1)]);
    assert_eq!(failures_of("gone"), [("revoked".to_owned(), 1)]);
    assert_eq!(failures_of("ended"), [("grace_ended".to_owned(), 1)]);
    let shown = env.json(&["key", "show", "k"]);
    assert_eq!(shown["usage"]["recent_failures"][0]["count"], 2);
    assert_eq!(shown["usage"]["today"], json!({"messages": 4, "parts": 5}));

    // Doctor names the keys with failures, and the unknown id.
    let out = env.cmd().args(["doctor"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("2 refused authentication(s) claiming key 'k' (wrong_secret)"),
        "{text}"
    );
    // Ids that do not exist are counted together, so random ids cannot grow the table.
    assert!(text.contains("claiming key ids that do not exist (unknown_id)"), "{text}");
    // No secret, right or wrong, is anywhere in the store.
    let bytes = crate::common::store_bytes(&env.db);
    for secret in [&k.1, &new.1, &wrong.1] {
        assert!(!crate::common::contains(&bytes, secret.as_bytes()));
    }
}

#[test]
fn expired_keys_count_as_expired() {
    let env = TestEnv::new();
    let k = key(&env, "brief", &["--expires", "1h"]);
    // A gateway whose clock runs two hours ahead sees the key as expired.
    let gw = Gateway::start_with_env(&env, &[], &[(crate::common::CLOCK_AHEAD, "2h")]).expect("gateway starts");
    assert_eq!(post(&gw, &k, &sms("+3725551234", "ACME", "hi")).status, 401);
    wait_for_within("the failure", Duration::from_secs(10), || {
        env.json(&["usage", "--key", "brief"])[0]["auth_failures"][0]["reason"] == "expired"
    });
}

#[test]
fn a_canary_gets_an_ordinary_401_an_audit_row_an_alert_and_fails_doctor() {
    let env = TestEnv::new();
    let hook = MockApi::start(200, "{}", &[], Duration::ZERO);
    let alert = format!("{}/canary", hook.url);
    let canary = key(&env, "billing-prod", &["--canary", "--alert-url", &alert]);
    let decoy = key(&env, "decoy", &[]);
    assert!(env.cmd().args(["doctor", "--json"]).output().unwrap().stdout.starts_with(b"{"));
    let gw = start(&env);
    let tripped = post(&gw, &canary, &sms("+3725551234", "ACME", "hi"));
    let unknown = post(&gw, &(decoy.0.clone(), canary.1.clone()), &sms("+3725551234", "ACME", "hi"));
    assert_eq!(tripped.status, 401);
    // Nothing tells a canary from a key that does not exist.
    assert_eq!(tripped.body["errors"][0]["detail"], unknown.body["errors"][0]["detail"]);
    assert_eq!(tripped.body["errors"][0]["detail"], "no active key has this key id and secret");

    wait_for_within("the audit row", Duration::from_secs(10), || {
        env.json(&["audit", "--key", "billing-prod"])
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["action"] == "key.canary_tripped" && r["after"]["ip"] == "127.0.0.1" && r["actor"] == "gateway")
    });
    wait_for_within("the alert", Duration::from_secs(10), || !hook.seen().is_empty());
    let seen = hook.seen();
    let body: Value = serde_json::from_str(&seen[0].body).unwrap();
    assert_eq!(
        (body["event"].clone(), body["key_id"].clone(), body["ip"].clone()),
        (json!("canary_tripped"), json!(canary.0), json!("127.0.0.1"))
    );
    assert_eq!(seen[0].authorization, None);
    let out = env.cmd().args(["doctor"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("canary key 'billing-prod' was tried at"), "{text}");
    assert_eq!(env.json(&["audit", "verify"])["intact"], true);
    // Nothing was recorded as sent; `send` refuses a canary locally, saying why.
    assert!(env.json(&["messages", "--key", "billing-prod"]).as_array().unwrap().is_empty());
    env.fails(
        &["send", "--key", "billing-prod", "--to", "+3725551234", "--text", "hi", "--dry-run"],
        5,
        "is a canary",
    );
}

#[test]
fn doctor_reports_keys_used_from_more_addresses_than_expected() {
    let env = TestEnv::new();
    let (id, _) = key(&env, "shared", &[]);
    // The gateway in these tests only sees 127.0.0.1; write the rows it would write for three clients.
    let conn = crate::common::open_store(&env.db);
    let now = jiff::Timestamp::now().as_millisecond();
    let day = jiff::Timestamp::now().strftime("%Y-%m-%d").to_string();
    for ip in ["203.0.113.1", "203.0.113.2", "198.51.100.7"] {
        conn.execute(
            "INSERT INTO usage_daily (key_id, day, secret_id, ip, messages, parts, last_at) VALUES (?1, ?2, 1, ?3, 1, 1, ?4)",
            smsctl::params![id, day, ip, now],
        )
        .unwrap();
    }
    drop(conn);
    let findings = |args: &[&str]| -> Vec<Value> {
        let mut all = vec!["doctor", "--json"];
        all.extend_from_slice(args);
        let out = env.cmd().args(&all).output().unwrap();
        let report: Value = serde_json::from_slice(&out.stdout).unwrap();
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["check"] == "shared keys")
            .cloned()
            .collect()
    };
    assert!(findings(&[]).is_empty(), "3 addresses is within the default of 3");
    let f = findings(&["--max-addresses", "2"]);
    assert_eq!(f.len(), 1);
    assert!(f[0]["message"].as_str().unwrap().contains("used from 3 addresses"), "{f:?}");
    env.fails(&["doctor", "--since", "soon"], 2, "invalid duration");
    // A production key from before owners existed: doctor says so, and `key set` insists.
    let conn = crate::common::open_store(&env.db);
    conn.execute("UPDATE keys SET production = 1 WHERE id = ?1", [&id]).unwrap();
    drop(conn);
    let out = env.cmd().args(["doctor"]).output().unwrap();
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("production key 'shared' has no owner"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    env.fails(&["key", "set", "shared", "--sender", "OTHER"], 2, "needs an owner");
    env.ok(&["key", "set", "shared", "--owner", "ops"]);
    env.fails(&["usage", "--since", "soon"], 2, "invalid --since");
    env.fails(&["usage", "--key", "nope"], 3, "no key named 'nope'");
}

#[test]
fn two_gateways_on_one_store_share_the_quota_exactly() {
    let env = TestEnv::new();
    let k = key(&env, "shared-quota", &["--quota", "20/day", "--rate", "1000/s,burst=40"]);
    let (a, b) = (start(&env), start(&env));
    let accepted = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|s| {
        for i in 0..8 {
            let gw = if i % 2 == 0 { &a } else { &b };
            let (k, accepted) = (&k, &accepted);
            s.spawn(move || {
                for _ in 0..5 {
                    let r = post(gw, k, &sms("+3725551234", "ACME", "hi"));
                    assert!(r.status == 201 || r.status == 429, "{}", r.body);
                    if r.status == 201 {
                        accepted.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    }
                }
            });
        }
    });
    // SQLite admits one writer at a time across processes: the decisions are serialised.
    assert_eq!(accepted.into_inner(), 20);
    assert_eq!(env.json(&["usage", "--key", "shared-quota"])[0]["parts"], 20);
    assert_eq!(env.json(&["messages", "--key", "shared-quota"]).as_array().unwrap().len(), 20);
}

fn bulk(gw: &Gateway, key: &(String, String), body: &Value) -> Reply {
    let resp = agent()
        .post(format!("{}/omnimessages", gw.url))
        .header("Content-Type", "application/json")
        .header("Authorization", basic(&key.0, &key.1))
        .send(body.to_string())
        .expect("POST");
    reply(resp)
}

/// Bulk needs the `bulk` scope as a whole, and every item meets the key's rules as a single
/// send does; scheduling and cancelling need `schedule`.
#[test]
fn bulk_items_and_scheduled_sends_go_through_the_same_policy() {
    let env = TestEnv::new();
    let k = key(&env, "k", &["--scope", "bulk,status", "--deny-to", "+1900"]);
    let sendonly = key(&env, "sendonly", &["--scope", "send"]);
    let gw = start(&env);
    let body = json!({"messages": [sms("+3725551234", "ACME", "ok"), sms("+19005550123", "ACME", "premium")]});
    let r = bulk(&gw, &k, &body);
    assert_eq!(r.status, 201, "{}", r.body);
    let items = r.body["messages"].as_array().unwrap();
    assert!(items[0]["omnimessage_id"].is_string(), "{}", r.body);
    let e = &items[1]["errors"][0];
    assert_eq!(
        (e["code"].as_str(), e["source"].as_str()),
        (Some("102"), Some("payload[to]")),
        "{}",
        r.body
    );
    // The single-send endpoint is not in this key's scopes.
    assert_refused(&post(&gw, &k, &sms("+3725551234", "ACME", "hi")), 403, Some("payload"), "scope");
    // A send-only key may not use bulk at all.
    assert_refused(&bulk(&gw, &sendonly, &body), 403, Some("payload"), "scope");
    // Nor schedule: a time_to_send needs the schedule scope.
    let mut later = sms("+3725551234", "ACME", "later");
    later["time_to_send"] = json!("2099-01-01T00:00:00Z");
    assert_refused(&post(&gw, &sendonly, &later), 403, Some("payload"), "scope");
    let accepted = messages_of(&env, "k");
    assert_eq!(accepted, 1, "only the allowed bulk item is recorded");
}

fn messages_of(env: &TestEnv, key: &str) -> usize {
    env.json(&["messages", "--key", key]).as_array().unwrap().len()
}

/// Found in review: a canary id must not be told apart by the answer to a malformed secret,
/// tripping it again must not add rows without bound, and random key ids must not either.
#[test]
fn canary_answers_and_failure_counts_stay_bounded() {
    let env = TestEnv::new();
    let canary = key(&env, "bait", &["--canary"]);
    let plain = key(&env, "plain", &[]);
    let gw = start(&env);
    let malformed = "not-a-secret".to_owned();
    let at_canary = post(&gw, &(canary.0.clone(), malformed.clone()), &sms("+3725551234", "ACME", "hi"));
    let at_plain = post(&gw, &(plain.0.clone(), malformed.clone()), &sms("+3725551234", "ACME", "hi"));
    assert_eq!(at_canary.status, 401);
    assert_eq!(at_canary.body, at_plain.body, "a canary id answers differently");
    for _ in 0..5 {
        assert_eq!(post(&gw, &canary, &sms("+3725551234", "ACME", "hi")).status, 401);
    }
    for i in 0..20 {
        let id = format!("key_{:08}", i);
        assert_eq!(post(&gw, &(id, canary.1.clone()), &sms("+3725551234", "ACME", "hi")).status, 401);
    }
    wait_for_within("the trips to be recorded", Duration::from_secs(10), || {
        env.json(&["audit", "--key", "bait"])
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["action"] == "key.canary_tripped")
    });
    // Let the background writer finish what it was handed.
    std::thread::sleep(Duration::from_millis(300));
    let trips = env
        .json(&["audit", "--key", "bait"])
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["action"] == "key.canary_tripped")
        .count();
    assert_eq!(trips, 1, "one audit row per key, address and day");
    let unknown_rows = || -> (i64, i64) {
        let conn = crate::common::open_store(&env.db);
        conn.query_row(
            "SELECT count(*), coalesce(sum(count), 0) FROM auth_failures WHERE key_id NOT IN (?1, ?2)",
            [&canary.0, &plain.0],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap()
    };
    wait_for_within("the twenty refusals to be counted", Duration::from_secs(10), || {
        unknown_rows().1 == 20
    });
    assert_eq!(unknown_rows().0, 1, "twenty unknown ids from one address are one row");
}

/// Found in review: a schedule-only key must not send at once by giving a time_to_send that
/// is not a time.
#[test]
fn a_schedule_only_key_cannot_send_at_once() {
    let env = TestEnv::new();
    let k = key(&env, "later", &["--scope", "schedule"]);
    let gw = start(&env);
    let mut bogus = sms("+3725551234", "ACME", "now");
    bogus["time_to_send"] = json!("not a time");
    let r = post(&gw, &k, &bogus);
    assert_eq!(r.status, 400, "{}", r.body);
    assert_eq!(r.body["errors"][0]["source"], "payload[time_to_send]", "{}", r.body);
    assert_refused(&post(&gw, &k, &sms("+3725551234", "ACME", "now")), 403, Some("payload"), "scope");
    // Nor by giving a time that has already come: that is a send now.
    let mut past = sms("+3725551234", "ACME", "past");
    past["time_to_send"] = json!("2020-01-01T00:00:00Z");
    assert_refused(&post(&gw, &k, &past), 403, Some("payload"), "scope");
    let mut later = sms("+3725551234", "ACME", "later");
    later["time_to_send"] = json!("2099-01-01T00:00:00Z");
    assert_eq!(post(&gw, &k, &later).status, 201);
    assert_eq!(messages_of(&env, "later"), 1);
}
