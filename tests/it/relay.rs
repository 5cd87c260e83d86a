//! Relay mode end to end: gateway A (`--upstream`) holds the team keys and forwards to gateway
//! B, a second smsctl in sandbox mode with its own store playing the provider, whose only key
//! is the account credential A forwards with.

use std::time::Duration;

use crate::common::{Gateway, MockApi, TestEnv, agent, basic, wait_for, wait_for_within};
use serde_json::{Value, json};

#[derive(Debug)]
struct Reply {
    status: u16,
    body: Value,
    retry_after: Option<String>,
    replayed: bool,
}

fn reply(mut resp: ureq::http::Response<ureq::Body>) -> Reply {
    let header = |name: &str| resp.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let retry_after = header("retry-after");
    let replayed = header("idempotent-replayed").is_some();
    let status = resp.status().as_u16();
    let text = resp.body_mut().read_to_string().unwrap_or_default();
    Reply {
        status,
        body: serde_json::from_str(&text).unwrap_or(Value::String(text)),
        retry_after,
        replayed,
    }
}

fn post(url: &str, key: &(String, String), body: &Value, idempotency: Option<&str>) -> Reply {
    let mut req = agent()
        .post(url)
        .header("Content-Type", "application/json")
        .header("Authorization", basic(&key.0, &key.1));
    if let Some(k) = idempotency {
        req = req.header("Idempotency-Key", k);
    }
    reply(req.send(body.to_string()).expect("POST"))
}

fn send(gw: &Gateway, key: &(String, String), body: &Value) -> Reply {
    post(&format!("{}/omnimessage", gw.url), key, body, None)
}

fn get(gw: &Gateway, key: &(String, String), path: &str) -> Reply {
    reply(
        agent()
            .get(format!("{}{path}", gw.url))
            .header("Authorization", basic(&key.0, &key.1))
            .call()
            .expect("GET"),
    )
}

fn sms(to: &str, text: &str) -> Value {
    json!({"to": to, "messages": [{"channel": "sms", "text": text}]})
}

fn messages(env: &TestEnv) -> Vec<Value> {
    env.json(&["messages", "--limit", "1000"]).as_array().cloned().unwrap_or_default()
}

fn hmac_hex(secret: &str, body: &[u8]) -> String {
    use hmac_012::Mac;
    let mut mac = hmac_012::Hmac::<sha2_010::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(body);
    mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect()
}

/// The provider (B) and the relay's store (A) with one team key.
struct Chain {
    b_env: TestEnv,
    a_env: TestEnv,
    account: (String, String),
    b: Gateway,
}

impl Chain {
    fn new() -> Chain {
        let b_env = TestEnv::new();
        let account = b_env.create_key("account", &["--sender", "ACCOUNT", "--allow-ip", "127.0.0.1"]);
        let b = Gateway::start(&b_env, &[]).expect("gateway B");
        Chain {
            b_env,
            a_env: TestEnv::new(),
            account,
            b,
        }
    }

    fn team(&self, name: &str, extra: &[&str]) -> (String, String) {
        let mut args = vec!["--allow-ip", "127.0.0.1"];
        if !extra.contains(&"--sender") {
            args.extend(["--sender", "TEAM"]);
        }
        args.extend_from_slice(extra);
        self.a_env.create_key(name, &args)
    }

    fn credential(&self) -> [(&'static str, String); 2] {
        [
            ("SMSCTL_UPSTREAM_USERNAME", self.account.0.clone()),
            ("SMSCTL_UPSTREAM_PASSWORD", self.account.1.clone()),
        ]
    }

    fn relay(&self, upstream: &str, extra: &[&str]) -> Gateway {
        let mut args = vec!["--upstream", upstream];
        args.extend_from_slice(extra);
        let vars = self.credential();
        let vars: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (*k, v.as_str())).collect();
        Gateway::start_with_env(&self.a_env, &args, &vars).unwrap_or_else(|log| panic!("relay did not start:\n{log}"))
    }

    fn b_messages(&self) -> Vec<Value> {
        messages(&self.b_env)
    }
}

#[test]
fn sends_are_forwarded_with_the_resolved_settings_and_attributed_to_the_team() {
    let chain = Chain::new();
    let team = chain.team("billing", &["--auto-replace", "full"]);
    let other = chain.team("support", &["--sender", "HELP", "--auto-replace", "on", "--replace", "€=EUR"]);
    let a = chain.relay(&chain.b.url, &[]);

    let r = send(&a, &team, &sms("+3725551234", "Invoice “42”"));
    assert_eq!(r.status, 201, "{r:?}");
    let omni = r.body["omnimessage_id"].as_str().unwrap().to_owned();
    assert_eq!(r.body["messages"][0]["sender"], "TEAM");
    let r2 = send(&a, &other, &sms("+3725551235", "Ticket 5€"));
    assert_eq!(r2.status, 201, "{r2:?}");

    // B saw the account key, the team's resolved sender and autoconvert, A's callback, and
    // gave the ids the team got.
    let b_rows = chain.b_messages();
    assert_eq!(b_rows.len(), 2);
    let b_row = b_rows
        .iter()
        .find(|m| m["omnimessage_id"] == omni.as_str())
        .expect("B has the team's id");
    assert_eq!(b_row["key_id"], chain.account.0.as_str());
    assert_eq!(
        (b_row["sender"].as_str(), b_row["autoconvert"].as_str()),
        (Some("TEAM"), Some("full"))
    );
    assert_eq!(b_row["dlr_url"].as_str().unwrap(), format!("http://{}/relay/dlr", a.addr));
    // The key's own replacement table is applied before forwarding (the upstream has none of it).
    let replaced = b_rows.iter().find(|m| m["omnimessage_id"] == r2.body["omnimessage_id"]).unwrap();
    assert_eq!(replaced["text"], "Ticket 5EUR", "{replaced}");

    // A recorded each team's message with its secret, the upstream's ids and its parts.
    let a_rows = messages(&chain.a_env);
    let mine = a_rows.iter().find(|m| m["omnimessage_id"] == omni.as_str()).unwrap();
    assert_eq!(mine["key_id"], team.0.as_str());
    assert_eq!(mine["relay_outcome"], "accepted");
    assert_eq!(mine["message_id"], r.body["messages"][0]["message_id"]);
    assert!(mine["secret_id"].as_i64().is_some(), "{mine}");
    assert_eq!(mine["parts"], 1);
    let table = chain.a_env.ok(&["messages"]);
    assert!(table.contains("relay"), "{table}");

    let usage = chain.a_env.json(&["usage"]);
    let parts = |name: &str| {
        usage
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["name"] == name)
            .map(|u| u["parts"].clone())
            .unwrap_or(Value::Null)
    };
    assert_eq!((parts("billing"), parts("support")), (json!(1), json!(1)), "{usage}");

    // A's store holds no account credential.
    let store = crate::common::store_bytes(&chain.a_env.db);
    assert!(
        !crate::common::contains(&store, chain.account.1.as_bytes()),
        "A's store holds the upstream password"
    );
    assert!(!crate::common::contains(&store, team.1.as_bytes()), "A's store holds a team secret");
    assert!(!a.log().contains(&chain.account.1), "the log shows the upstream password");
}

#[test]
fn reports_travel_b_to_a_to_the_team_signed_at_each_hop_and_forgeries_are_refused() {
    let chain = Chain::new();
    let hook = MockApi::start(204, "", &[], Duration::ZERO);
    let hook_url = format!("{}/team-hook", hook.url);
    let team = chain.team("billing", &["--dlr-url", &hook_url]);
    let a = chain.relay(&chain.b.url, &[]);

    let r = send(&a, &team, &sms("+447700900002", "Will fail"));
    assert_eq!(r.status, 201, "{r:?}");
    let omni = r.body["omnimessage_id"].as_str().unwrap().to_owned();
    wait_for("two reports at the team's webhook", || hook.seen().len() >= 2);
    let seen = hook.seen();
    let statuses: Vec<(String, i64)> = seen
        .iter()
        .map(|s| {
            // Signed with the team's secret, not the account's.
            assert_eq!(
                s.signature.as_deref(),
                Some(hmac_hex(&team.1, s.body.as_bytes()).as_str()),
                "{}",
                s.body
            );
            assert_ne!(s.signature.as_deref(), Some(hmac_hex(&chain.account.1, s.body.as_bytes()).as_str()));
            assert!(s.authorization.is_none());
            let v: Value = serde_json::from_str(&s.body).unwrap();
            assert_eq!(v["omnimessage_id"], omni.as_str());
            (v["status"].as_str().unwrap().to_owned(), v["err"].as_i64().unwrap())
        })
        .collect();
    assert_eq!(statuses, [("ACK".to_owned(), 0), ("FAILED".to_owned(), 9)]);
    // The flat shape, fields in the provider's order, as B sent it.
    let first: Value = serde_json::from_str(&seen[0].body).unwrap();
    let keys: Vec<&str> = first.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys.len(), 9, "{keys:?}");

    // The history at A has both statuses.
    let history = get(&a, &team, &format!("/omnimessage/{omni}"));
    assert_eq!(crate::common::history_statuses(&history.body), ["ACK", "FAILED"], "{history:?}");

    // A forged report (wrong key, or none) is refused and recorded nowhere.
    let forged = json!({"status": "DELIVRD", "sender": "TEAM", "err": 0, "message_id": r.body["messages"][0]["message_id"],
        "to": "+447700900002", "channel": "sms", "error": null, "omnimessage_id": omni, "timestamp": "2026-01-01T00:00:00.000Z"})
    .to_string();
    // The GET's last-used stamp is written asynchronously; let it land first.
    std::thread::sleep(Duration::from_millis(300));
    let before = crate::common::dump(&chain.a_env.db);
    for signature in [Some(hmac_hex(&team.1, forged.as_bytes())), Some("00".repeat(32)), None] {
        let mut req = agent()
            .post(format!("http://{}/relay/dlr", a.addr))
            .header("Content-Type", "application/json");
        if let Some(sig) = &signature {
            req = req.header("X-Messente-Signature", sig);
        }
        let got = reply(req.send(forged.clone()).unwrap());
        assert_eq!(got.status, 401, "{signature:?}: {got:?}");
    }
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(hook.seen().len(), 2, "a forged report reached the team");
    assert!(crate::common::dump(&chain.a_env.db) == before, "a forged report changed A's store");

    // The same report signed with the account password is accepted (and recorded once).
    let genuine = reply(
        agent()
            .post(format!("http://{}/relay/dlr", a.addr))
            .header("X-Messente-Signature", hmac_hex(&chain.account.1, forged.as_bytes()))
            .send(forged.clone())
            .unwrap(),
    );
    assert_eq!(genuine.status, 200, "{genuine:?}");
    wait_for("the third report", || hook.seen().len() >= 3);
}

#[test]
fn status_cancel_and_bulk_work_through_the_relay() {
    let chain = Chain::new();
    let team = chain.team("billing", &[]);
    let a = chain.relay(&chain.b.url, &[]);

    let r = send(&a, &team, &sms("+3725551234", "Now"));
    let omni = r.body["omnimessage_id"].as_str().unwrap().to_owned();
    let status = get(&a, &team, &format!("/omnimessage/{omni}/status"));
    assert_eq!(status.status, 200, "{status:?}");
    assert_eq!(status.body["statuses"][0]["status"], "DELIVRD", "{status:?}");
    assert_eq!(status.body["omnimessage_id"], omni.as_str());
    // Another team's key does not see it.
    let other = chain.team("support", &[]);
    assert_eq!(get(&a, &other, &format!("/omnimessage/{omni}/status")).status, 404);

    let later = jiff::Timestamp::now() + jiff::SignedDuration::from_hours(1);
    let mut scheduled = sms("+3725551234", "Later");
    scheduled["time_to_send"] = later.to_string().into();
    let s = send(&a, &team, &scheduled);
    assert_eq!(s.status, 201, "{s:?}");
    let sid = s.body["omnimessage_id"].as_str().unwrap().to_owned();
    let cancel = |key: &(String, String)| {
        reply(
            agent()
                .delete(format!("{}/omnimessage/{sid}", a.url))
                .header("Authorization", basic(&key.0, &key.1))
                .call()
                .unwrap(),
        )
    };
    assert_eq!(cancel(&other).status, 404, "another team cannot cancel it");
    let c = cancel(&team);
    assert_eq!((c.status, &c.body), (202, &json!({})), "{c:?}");
    let b_row = chain
        .b_messages()
        .into_iter()
        .find(|m| m["omnimessage_id"] == sid.as_str())
        .unwrap();
    assert!(b_row["cancelled_at"].is_string(), "B did not cancel it: {b_row}");
    assert_eq!(cancel(&team).status, 404, "cancelled twice");

    let bulk = post(
        &format!("{}/omnimessages", a.url),
        &team,
        &json!({"messages": [sms("+3725551234", "One"), sms("+0", "Bad"), sms("+3725551235", "Three")]}),
        None,
    );
    assert_eq!(bulk.status, 201, "{bulk:?}");
    let items = bulk.body["messages"].as_array().unwrap();
    assert!(
        items[0]["omnimessage_id"].is_string() && items[2]["omnimessage_id"].is_string(),
        "{bulk:?}"
    );
    assert_eq!(items[1]["errors"][0]["source"], "payload[to]");
    // The refused item never left A: B has the single send, the scheduled one and two bulk items.
    assert_eq!(chain.b_messages().len(), 4);
}

#[test]
fn upstream_outage_gives_503_with_retry_after_then_recovers_and_the_breaker_is_reported() {
    let chain = Chain::new();
    let team = chain.team("billing", &[]);
    let b_addr = chain.b.addr.to_string();
    let a = chain.relay(&chain.b.url, &["--breaker-threshold", "2", "--breaker-cooldown", "1s"]);
    assert_eq!(send(&a, &team, &sms("+3725551234", "Before")).status, 201);

    let Chain { b, b_env, .. } = chain;
    let (code, _) = b.stop("TERM");
    assert_eq!(code, Some(0));
    for _ in 0..2 {
        let r = send(&a, &team, &sms("+3725551234", "During"));
        assert_eq!(r.status, 503, "{r:?}");
        assert!(r.retry_after.is_some(), "{r:?}");
        assert!(
            r.body["errors"][0]["detail"].as_str().unwrap().contains("nothing was sent"),
            "{r:?}"
        );
    }
    // The breaker is open now: /healthz and doctor say so, and requests fail fast.
    let health = reply(agent().get(format!("http://{}/healthz", a.addr)).call().unwrap());
    assert_eq!(
        (health.status, health.body["upstream"]["breaker"].as_str()),
        (503, Some("open")),
        "{health:?}"
    );
    let doctor = chain.a_env.cmd().args(["doctor", "--json"]).output().unwrap();
    let report = String::from_utf8_lossy(&doctor.stdout);
    assert!(report.contains("circuit"), "doctor does not report the breaker: {report}");
    let failed: Vec<Value> = messages(&chain.a_env)
        .into_iter()
        .filter(|m| m["relay_outcome"].as_str().is_some_and(|o| o.starts_with("not sent")))
        .collect();
    assert_eq!(failed.len(), 2, "{failed:?}");
    // Nothing was sent, so nothing is counted against the team.
    let usage = chain.a_env.json(&["usage"]);
    assert_eq!(usage[0]["parts"], 1, "{usage}");

    let b2 = Gateway::start(&b_env, &["--listen", &b_addr]).expect("B again");
    // The breaker's timing is unit-tested (gateway::relay::tests); here it is waited for.
    wait_for_within("the breaker to half-open", Duration::from_secs(10), || {
        reply(agent().get(format!("http://{}/healthz", a.addr)).call().unwrap()).body["upstream"]["breaker"] == "half-open"
    });
    let r = send(&a, &team, &sms("+3725551234", "After"));
    assert_eq!(r.status, 201, "{r:?}");
    let health = reply(agent().get(format!("http://{}/healthz", a.addr)).call().unwrap());
    assert_eq!(
        (health.status, health.body["upstream"]["breaker"].as_str()),
        (200, Some("closed")),
        "{health:?}"
    );
    assert_eq!(messages(&b_env).len(), 2);
    drop(b2);
}

#[test]
fn a_timeout_is_504_and_recorded_as_unknown_and_4xx_come_back_in_the_providers_shape() {
    let chain = Chain::new();
    let team = chain.team("billing", &[]);
    let slow = MockApi::start(201, "{}", &[], Duration::from_secs(3));
    let a = chain.relay(&slow.url, &["--upstream-timeout", "1s"]);
    let r = send(&a, &team, &sms("+3725551234", "Slow"));
    assert_eq!(r.status, 504, "{r:?}");
    assert!(r.retry_after.is_some());
    assert!(
        r.body["errors"][0]["detail"].as_str().unwrap().contains("may have been sent"),
        "{r:?}"
    );
    assert_eq!(slow.seen().len(), 1, "the POST was retried");
    let rows = messages(&chain.a_env);
    assert!(rows[0]["relay_outcome"].as_str().unwrap().starts_with("unknown"), "{rows:?}");
    let table = chain.a_env.ok(&["messages"]);
    assert!(table.contains("unknown"), "{table}");
    let doctor = chain.a_env.cmd().args(["doctor", "--json"]).output().unwrap();
    assert_eq!(doctor.status.code(), Some(1));
    let report = String::from_utf8_lossy(&doctor.stdout);
    assert!(
        report.contains("1 relayed message(s) in the --since window with an unknown upstream outcome"),
        "{report}"
    );
    drop(a);

    let refusing = MockApi::start(
        400,
        r#"{"errors":[{"title":"Invalid data","detail":"Sender 'TEAM' is not registered","code":"105","source":"payload[sms][sender]"}]}"#,
        &[],
        Duration::ZERO,
    );
    let a = chain.relay(&refusing.url, &[]);
    let r = send(&a, &team, &sms("+3725551234", "Refused"));
    assert_eq!(r.status, 400, "{r:?}");
    let e = &r.body["errors"][0];
    assert_eq!(
        (e["code"].as_str(), e["source"].as_str()),
        (Some("105"), Some("payload[sms][sender]")),
        "{r:?}"
    );
    assert_eq!(e["detail"], "Sender 'TEAM' is not registered");
    let rows = messages(&chain.a_env);
    assert!(rows[0]["relay_outcome"].as_str().unwrap().starts_with("refused"), "{rows:?}");

    // The account credential refused upstream is the operator's problem, not the team's key.
    let bad_credential = MockApi::start(
        401,
        r#"{"errors":[{"title":"Unauthorized","detail":"no","code":"103"}]}"#,
        &[],
        Duration::ZERO,
    );
    drop(a);
    let a = chain.relay(&bad_credential.url, &[]);
    let r = send(&a, &team, &sms("+3725551234", "x"));
    assert_eq!(r.status, 502, "{r:?}");
    // The account credential went out as HTTP Basic to the upstream, and only there.
    let auth = bad_credential.seen()[0].authorization.clone().unwrap();
    assert_eq!(auth, basic(&chain.account.0, &chain.account.1));
}

#[test]
fn an_idempotency_key_is_forwarded_once_even_across_a_rotation() {
    let chain = Chain::new();
    let team = chain.team("billing", &[]);
    let a = chain.relay(&chain.b.url, &[]);
    let url = format!("{}/omnimessage", a.url);
    let body = sms("+3725551234", "Deploy finished");

    let first = post(&url, &team, &body, Some("deploy-1234"));
    assert_eq!(first.status, 201, "{first:?}");
    let again = post(&url, &team, &body, Some("deploy-1234"));
    assert_eq!((again.status, &again.body), (201, &first.body));
    assert!(again.replayed && !first.replayed);

    let rotated = chain.a_env.json(&["key", "rotate", "billing", "--grace", "1h"]);
    let new_secret = (team.0.clone(), rotated["secret"].as_str().unwrap().to_owned());
    let retried = post(&url, &new_secret, &body, Some("deploy-1234"));
    assert_eq!((retried.status, &retried.body), (201, &first.body), "{retried:?}");
    assert_eq!(chain.b_messages().len(), 1, "forwarded more than once");

    let conflict = post(&url, &new_secret, &sms("+3725551234", "Other text"), Some("deploy-1234"));
    assert_eq!(conflict.status, 409, "{conflict:?}");
    assert_eq!(conflict.body["errors"][0]["source"], "headers[Idempotency-Key]");
    // The key is per team key: another team may use the same string.
    let other = chain.team("support", &[]);
    assert_eq!(post(&url, &other, &body, Some("deploy-1234")).status, 201);
    assert_eq!(chain.b_messages().len(), 2);
    let bad = post(&url, &team, &body, Some("has space"));
    assert_eq!(bad.status, 400, "{bad:?}");

    // `smsctl send` sets one by default: a re-run of the same step sends once.
    let notice = |extra: &[&str]| {
        let mut args = vec![
            "send",
            "--key",
            "billing",
            "--to",
            "+3725551299",
            "--text",
            "CI notice",
            "--api-url",
            &a.url,
        ];
        args.extend_from_slice(extra);
        chain
            .a_env
            .cmd()
            .env("SMSCTL_KEY_SECRET", &new_secret.1)
            .args(&args)
            .assert()
            .success();
    };
    notice(&[]);
    notice(&[]);
    assert_eq!(chain.b_messages().len(), 3);
    notice(&["--idempotency-key", "second-notice"]);
    assert_eq!(chain.b_messages().len(), 4);
}

#[test]
fn bad_relay_settings_are_refused_before_serving_and_change_nothing() {
    let env = TestEnv::new();
    env.create_key("billing", &["--allow-ip", "127.0.0.1"]);
    let before = env.dump();
    let creds = [("SMSCTL_UPSTREAM_USERNAME", "acct"), ("SMSCTL_UPSTREAM_PASSWORD", "pw")];
    for (args, message) in [
        (
            vec!["--upstream", "http://api.example.com/v1"],
            "plain http is allowed only to a loopback address",
        ),
        (vec!["--upstream", "https://user:pw@api.example.com/v1"], "credentials in the URL"),
        (
            vec![
                "--upstream",
                "https://api.example.com/v1",
                "--public-url",
                "http://relay.example.com",
            ],
            "invalid --public-url",
        ),
    ] {
        let mut all = vec!["gateway", "serve", "--listen", "127.0.0.1:0"];
        all.extend(args);
        let out = env.cmd().envs(creds).args(&all).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{all:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(message), "{stderr}");
        assert_eq!(env.dump(), before);
    }
    // No credential anywhere: a clear error, exit 2; the keyring is disabled in tests.
    env.fails(
        &[
            "gateway",
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--upstream",
            "https://api.example.com/v1",
        ],
        2,
        "no upstream credential",
    );
    let out = env
        .cmd()
        .env("SMSCTL_UPSTREAM_USERNAME", "acct")
        .args(["upstream", "show"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("only one of"));
    let out = env.cmd().envs(creds).args(["upstream", "show", "--json"]).output().unwrap();
    assert!(out.status.success());
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(shown.contains("acct") && !shown.contains("\"pw\""), "{shown}");
    env.fails_with_stdin(
        &["upstream", "set", "--username", "acct"],
        Some(""),
        2,
        "no upstream password on stdin",
    );
    // The password is never an argument.
    env.fails(
        &["upstream", "set", "--username", "acct", "--password", "pw"],
        2,
        "unexpected argument",
    );
    env.fails(
        &[
            "send",
            "--key",
            "billing",
            "--to",
            "+3725551234",
            "--text",
            "x",
            "--idempotency-key",
            "has space",
        ],
        2,
        "invalid --idempotency-key",
    );
    assert_eq!(env.dump(), before);
}

/// The official Python client (`messente-api`), unchanged, through the relay to B. Skipped when
/// the package is not importable; when `PYTHON` is set (scripts/python-client-check.sh), not
/// importing it is a failure.
#[test]
fn official_python_client_through_the_relay() {
    let explicit = std::env::var("PYTHON").ok();
    let python = explicit.clone().unwrap_or_else(|| "python3".into());
    let importable = std::process::Command::new(&python)
        .args(["-c", "import messente_api"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !importable {
        assert!(explicit.is_none(), "PYTHON={python} is set but `import messente_api` failed");
        eprintln!("skipped: `{python} -c 'import messente_api'` failed; run scripts/python-client-check.sh");
        return;
    }
    let chain = Chain::new();
    let team = chain.team("billing", &[]);
    let a = chain.relay(&chain.b.url, &[]);
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/python_client/check.py");
    let out = std::process::Command::new(&python)
        .arg(script)
        .env("GATEWAY_URL", &a.url)
        .env("KEY_ID", &team.0)
        .env("KEY_SECRET", &team.1)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}\nA:\n{}",
        String::from_utf8_lossy(&out.stderr),
        a.log()
    );
    eprintln!("{stdout}");
    assert!(stdout.contains("OK"), "{stdout}");
    // 5 single sends and 2 accepted bulk items, at A (as the team's) and at B (as the account's).
    assert_eq!(messages(&chain.a_env).len(), 7);
    let b_rows = chain.b_messages();
    assert_eq!(b_rows.len(), 7);
    assert!(b_rows.iter().all(|m| m["key_id"] == chain.account.0.as_str()));
}

/// Rotating the account credential itself: reports the provider signed with the old password
/// (for messages sent before the change) still verify at the restarted relay, which now
/// forwards with the new one.
#[test]
fn rotating_the_upstream_credential_keeps_reports_of_earlier_messages_flowing() {
    let chain = Chain::new();
    let hook = MockApi::start(204, "", &[], Duration::ZERO);
    let hook_url = format!("{}/team-hook", hook.url);
    let team = chain.team("billing", &["--dlr-url", &hook_url]);
    let a = chain.relay(&chain.b.url, &[]);
    let a_addr = a.addr.to_string();

    let mut scheduled = sms("+3725551234", "Soon");
    scheduled["time_to_send"] = (jiff::Timestamp::now() + jiff::SignedDuration::from_secs(4)).to_string().into();
    let r = send(&a, &team, &scheduled);
    assert_eq!(r.status, 201, "{r:?}");
    let omni = r.body["omnimessage_id"].as_str().unwrap().to_owned();

    // New account password at the provider; the relay restarts with it and keeps the old one
    // for reports only.
    let rotated = chain.b_env.json(&["key", "rotate", "account", "--grace", "0"]);
    let new_password = rotated["secret"].as_str().unwrap().to_owned();
    a.stop("TERM");
    let vars = [
        ("SMSCTL_UPSTREAM_USERNAME", chain.account.0.as_str()),
        ("SMSCTL_UPSTREAM_PASSWORD", new_password.as_str()),
        ("SMSCTL_UPSTREAM_PREVIOUS_PASSWORD", chain.account.1.as_str()),
    ];
    let a = Gateway::start_with_env(&chain.a_env, &["--listen", &a_addr, "--upstream", &chain.b.url], &vars).expect("A again");

    wait_for("the scheduled message's reports", || hook.seen().len() >= 2);
    for seen in hook.seen() {
        assert_eq!(seen.signature.as_deref(), Some(hmac_hex(&team.1, seen.body.as_bytes()).as_str()));
        assert!(seen.body.contains(&omni), "{}", seen.body);
    }
    // New sends go out with the new password (the old one no longer authenticates at B).
    let after = send(&a, &team, &sms("+3725551234", "After the change"));
    assert_eq!(after.status, 201, "{after:?}\n{}", a.log());
    assert!(!a.log().contains(&new_password) && !a.log().contains(&chain.account.1));
}

/// The sandbox honours Idempotency-Key too: `send` re-runs against a plain gateway record once.
#[test]
fn the_sandbox_honours_idempotency_keys_as_well() {
    let env = TestEnv::new();
    let k = env.create_key("ci", &["--sender", "ACME", "--allow-ip", "127.0.0.1"]);
    let gw = Gateway::start(&env, &[]).expect("gateway");
    let url = format!("{}/omnimessage", gw.url);
    let body = sms("+3725551234", "Once");
    let first = post(&url, &k, &body, Some("k1"));
    let second = post(&url, &k, &body, Some("k1"));
    assert_eq!((first.status, second.status, &second.body), (201, 201, &first.body));
    assert_eq!(post(&url, &k, &sms("+3725551234", "Twice"), Some("k1")).status, 409);
    assert_eq!(post(&url, &k, &body, None).status, 201, "without the header every request is new");
    let gateway_rows = messages(&env).into_iter().filter(|m| m["origin"] == "gateway").count();
    assert_eq!(gateway_rows, 2);
}

/// A report can overtake the upstream's 201 (the provider reports as soon as it accepts): the
/// callback waits briefly for the answer to be recorded instead of refusing the report.
#[test]
fn a_report_that_overtakes_the_upstreams_answer_is_still_recorded_and_forwarded() {
    let chain = Chain::new();
    let hook = MockApi::start(204, "", &[], Duration::ZERO);
    let team = chain.team("billing", &["--dlr-url", &format!("{}/hook", hook.url)]);
    let created =
        r#"{"messages":[{"channel":"sms","message_id":"m-early","sender":"TEAM"}],"to":"+3725551234","omnimessage_id":"o-early"}"#;
    let slow_upstream = MockApi::start(201, created, &[], Duration::from_millis(700));
    let a = chain.relay(&slow_upstream.url, &[]);
    let report = json!({"status": "ACK", "sender": "TEAM", "err": 0, "message_id": "m-early", "to": "+3725551234",
        "channel": "sms", "error": null, "omnimessage_id": "o-early", "timestamp": "2026-01-01T00:00:00.000Z"})
    .to_string();
    let signature = hmac_hex(&chain.account.1, report.as_bytes());
    let callback = format!("http://{}/relay/dlr", a.addr);
    let early = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(200));
        reply(
            agent()
                .post(callback)
                .header("X-Messente-Signature", signature)
                .send(report)
                .unwrap(),
        )
    });
    let r = send(&a, &team, &sms("+3725551234", "Early report"));
    assert_eq!((r.status, r.body["omnimessage_id"].as_str()), (201, Some("o-early")), "{r:?}");
    let early = early.join().unwrap();
    assert_eq!(early.status, 200, "{early:?}\n{}", a.log());
    wait_for("the early report at the team's webhook", || !hook.seen().is_empty());
    let seen = &hook.seen()[0];
    assert_eq!(seen.signature.as_deref(), Some(hmac_hex(&team.1, seen.body.as_bytes()).as_str()));
}

/// A row left `pending` by a relay that stopped mid-send becomes `unknown` at the next start
/// (the message may have gone out); a recent one is left alone.
#[test]
fn rows_left_pending_by_an_earlier_run_become_unknown() {
    let chain = Chain::new();
    let team = chain.team("billing", &[]);
    chain.a_env.ok(&["messages"]);
    let conn = crate::common::open_store(&chain.a_env.db);
    let now = jiff::Timestamp::now().as_millisecond();
    for (omni, at) in [("old-pending", now - 3_600_000), ("new-pending", now)] {
        conn.execute(
            "INSERT INTO messages (at, origin, key_id, recipient, autoconvert, encoding, parts, omnimessage_id, relay_outcome)
             VALUES (?1, 'gateway', ?2, '+3725551234', 'on', 'GSM-7', 1, ?3, 'pending')",
            smsctl::params![at, team.0, omni],
        )
        .unwrap();
    }
    drop(conn);
    let a = chain.relay(&chain.b.url, &[]);
    // The sweep runs after the listening line, before the relay-mode line.
    wait_for("the relay-mode line", || a.log().contains("relay mode"));
    let outcome = |omni: &str| messages(&chain.a_env).into_iter().find(|m| m["omnimessage_id"] == omni).unwrap()["relay_outcome"].clone();
    assert!(outcome("old-pending").as_str().unwrap().starts_with("unknown"), "{}", a.log());
    assert_eq!(outcome("new-pending"), "pending");
    assert!(a.log().contains("1 relayed message(s) left pending"), "{}", a.log());
}
