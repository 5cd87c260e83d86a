//! Relay overhead: the latency of a send through relay mode (client → gateway A → gateway B)
//! beside the same send to B directly, measured in one run, interleaved request by request so
//! both see the same machine load. One client, keep-alive, sequential requests; prints a
//! Markdown table; then the throughput of each path with BENCH_CLIENTS (default 16) concurrent
//! clients. `cargo bench --bench relay_overhead` (BENCH_REQUESTS, default 2000);
//! `cargo test --benches` runs a short smoke version.
//!
//! A and B run on the same host, so A→B is loopback: the figure is what the relay itself adds
//! (authentication, policy, recording at A, the second HTTP hop, recording the upstream's
//! answer), not a network round trip to a real provider.

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use base64::Engine;
use common::{Gateway, TestEnv};

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .proxy(None)
        .build()
        .new_agent()
}

fn send(agent: &ureq::Agent, url: &str, auth: &str, body: &str) -> Duration {
    let started = Instant::now();
    let mut resp = agent
        .post(url)
        .header("Authorization", auth)
        .header("Content-Type", "application/json")
        .send(body)
        .expect("POST");
    let status = resp.status().as_u16();
    let _ = resp.body_mut().read_to_string();
    let took = started.elapsed();
    assert_eq!(status, 201, "a send failed");
    took
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

fn main() {
    let smoke = !std::env::args().any(|a| a == "--bench");
    let n: usize = if smoke {
        50
    } else {
        std::env::var("BENCH_REQUESTS").ok().and_then(|v| v.parse().ok()).unwrap_or(2000)
    };

    let b_env = TestEnv::new();
    let (account_id, account_secret) = b_env.create_key("account", &["--sender", "ACCOUNT", "--allow-ip", "127.0.0.1"]);
    let b = Gateway::start(&b_env, &["--quiet"]).expect("gateway B");
    let a_env = TestEnv::new();
    let (team_id, team_secret) = a_env.create_key("team", &["--sender", "TEAM", "--allow-ip", "127.0.0.1"]);
    let a = Gateway::start_with_env(
        &a_env,
        &["--quiet", "--upstream", &b.url],
        &[
            ("SMSCTL_UPSTREAM_USERNAME", &account_id),
            ("SMSCTL_UPSTREAM_PASSWORD", &account_secret),
        ],
    )
    .expect("gateway A");

    let basic = |id: &str, secret: &str| {
        format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(format!("{id}:{secret}"))
        )
    };
    let (direct_auth, relay_auth) = (basic(&account_id, &account_secret), basic(&team_id, &team_secret));
    let (direct_url, relay_url) = (format!("{}/omnimessage", b.url), format!("{}/omnimessage", a.url));
    // No webhook: reports are history only, so delivery work does not compete with the sends.
    let body = r#"{"to":"+3725551234","messages":[{"channel":"sms","text":"Relay overhead probe"}],"dlr_url":""}"#;
    let (direct_agent, relay_agent) = (agent(), agent());

    for _ in 0..(n / 10).max(10) {
        send(&direct_agent, &direct_url, &direct_auth, body);
        send(&relay_agent, &relay_url, &relay_auth, body);
    }
    let mut direct = Vec::with_capacity(n);
    let mut relayed = Vec::with_capacity(n);
    for i in 0..n {
        // Alternate which goes first, so neither always follows the other's fsync.
        if i % 2 == 0 {
            direct.push(send(&direct_agent, &direct_url, &direct_auth, body));
            relayed.push(send(&relay_agent, &relay_url, &relay_auth, body));
        } else {
            relayed.push(send(&relay_agent, &relay_url, &relay_auth, body));
            direct.push(send(&direct_agent, &direct_url, &direct_auth, body));
        }
    }
    direct.sort();
    relayed.sort();
    let (d50, d99) = (percentile(&direct, 0.50), percentile(&direct, 0.99));
    let (r50, r99) = (percentile(&relayed, 0.50), percentile(&relayed, 0.99));
    println!("## Relay overhead");
    println!();
    println!("One client, sequential keep-alive sends over loopback, {n} of each, interleaved; A and B on the same host.");
    println!();
    println!("| path | p50 ms | p99 ms |");
    println!("|---|---:|---:|");
    println!("| client → B (sandbox, direct) | {d50:.2} | {d99:.2} |");
    println!("| client → A (relay) → B | {r50:.2} | {r99:.2} |");
    println!("| relay overhead (A→B minus direct) | {:.2} | {:.2} |", r50 - d50, r99 - d99);
    println!();
    println!("The overhead row is the difference of the two percentiles, not a percentile of differences.");

    // Throughput with concurrent clients, each path on its own (not interleaved).
    let clients: usize = std::env::var("BENCH_CLIENTS").ok().and_then(|v| v.parse().ok()).unwrap_or(16);
    let secs = if smoke { 1 } else { 5 };
    let direct_rps = throughput(clients, secs, &direct_url, &direct_auth, body);
    let relay_rps = throughput(clients, secs, &relay_url, &relay_auth, body);
    println!();
    println!("{clients} concurrent keep-alive clients, {secs} s per path:");
    println!();
    println!("| path | sends/s |");
    println!("|---|---:|");
    println!("| client → B (sandbox, direct) | {direct_rps:.0} |");
    println!("| client → A (relay) → B | {relay_rps:.0} |");
    drop(a);
    drop(b);
}

fn throughput(clients: usize, secs: u64, url: &str, auth: &str, body: &str) -> f64 {
    let deadline = Instant::now() + Duration::from_secs(secs);
    let started = Instant::now();
    let total: usize = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..clients)
            .map(|_| {
                scope.spawn(|| {
                    let agent = agent();
                    let mut n = 0;
                    while Instant::now() < deadline {
                        send(&agent, url, auth, body);
                        n += 1;
                    }
                    n
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap_or(0)).sum()
    });
    total as f64 / started.elapsed().as_secs_f64()
}
