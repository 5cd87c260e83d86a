//! How long a revocation takes to reach the gateway: BENCH_NODES gateway nodes (default 2)
//! on one store, each with a warm key cache; `smsctl key revoke` runs, then every node is
//! asked (1 ms apart) until it answers 401. Prints p50/p99/max over BENCH_ROUNDS revocations
//! (default 30), from the end of the revoke command to the first 401 of each node.
//! On SQLite (the default) one node is used: a store file has one gateway.
//! `SMSCTL_TEST_BACKEND=postgres` (inside scripts/pg-session.sh) uses a PostgreSQL store.

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use common::{Gateway, TestEnv, agent, basic, on_postgres};

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn status(gw: &Gateway, key: &(String, String)) -> u16 {
    agent()
        .post(format!("{}/omnimessage", gw.url))
        .header("Content-Type", "application/json")
        .header("Authorization", basic(&key.0, &key.1))
        .send(r#"{"to":"+3725551234","messages":[{"channel":"sms","text":"propagation"}]}"#)
        .map(|r| r.status().as_u16())
        .unwrap_or(0)
}

fn main() {
    let smoke = !std::env::args().any(|a| a == "--bench");
    let rounds = if smoke { 2 } else { env_number("BENCH_ROUNDS", 30) } as usize;
    let nodes = if on_postgres() { env_number("BENCH_NODES", 2) } else { 1 } as usize;
    let env = TestEnv::new();
    let gateways: Vec<Gateway> = (0..nodes)
        .map(|_| Gateway::start(&env, &["--quiet"]).expect("gateway starts"))
        .collect();
    let mut samples: Vec<Duration> = Vec::new();
    for round in 0..rounds {
        let key = env.create_key(&format!("k{round}"), &["--allow-ip", "127.0.0.1", "--sender", "ACME"]);
        for gw in &gateways {
            assert_eq!(status(gw, &key), 201, "warm the cache");
        }
        let out = env.cmd().args(["key", "revoke", &key.0, "--yes", "--quiet"]).output().unwrap();
        assert!(out.status.success());
        let revoked = Instant::now();
        let mut pending: Vec<&Gateway> = gateways.iter().collect();
        while !pending.is_empty() {
            assert!(
                revoked.elapsed() < Duration::from_secs(10),
                "a node still accepts a key revoked 10 s ago"
            );
            pending.retain(|gw| {
                if status(gw, &key) == 401 {
                    samples.push(revoked.elapsed());
                    false
                } else {
                    true
                }
            });
            std::thread::sleep(Duration::from_millis(1));
        }
    }
    samples.sort();
    let n = samples.len();
    let pct = |p: f64| samples[((n as f64 * p).ceil() as usize).clamp(1, n) - 1].as_secs_f64() * 1000.0;
    println!(
        "propagation ({}, {nodes} node(s)): {rounds} revocations, {n} samples: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        if on_postgres() { "postgres" } else { "sqlite" },
        pct(0.50),
        pct(0.99),
        pct(1.0)
    );
}
