//! Load benchmark of `smsctl gateway serve`: valid sends over loopback from N concurrent
//! keep-alive clients; prints requests/second and latency percentiles. Run with
//! `cargo bench --bench gateway_load` (BENCH_CLIENTS, default 32; BENCH_SECS, default 5;
//! BENCH_POLICY=full gives the key every policy rule, set so that none refuses;
//! BENCH_NODES=2 starts two gateway nodes on one store, the clients split between them, for
//! a PostgreSQL store: `SMSCTL_TEST_BACKEND=postgres` inside scripts/pg-session.sh).
//!
//! The clients are raw sockets with a prebuilt request, so the figures measure the gateway
//! (auth, validation, resolver, text engine, group-committed SQLite write with fsync), not a
//! client library. Client and server share the machine's cores.

#[path = "../tests/common/mod.rs"]
mod common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use base64::Engine;
use common::{Gateway, TestEnv};

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn main() {
    // `cargo bench` passes --bench; `cargo test --benches` runs this too: keep that short.
    let smoke = !std::env::args().any(|a| a == "--bench");
    let clients = env_number("BENCH_CLIENTS", 32) as usize;
    let secs = if smoke { 1 } else { env_number("BENCH_SECS", 5) };

    let env = TestEnv::new();
    let mut key_args = vec!["--sender", "ACME", "--allow-ip", "127.0.0.1"];
    let full_policy = std::env::var("BENCH_POLICY").is_ok_and(|v| v == "full");
    if full_policy {
        key_args.extend([
            "--owner",
            "bench",
            "--purpose",
            "transactional",
            "--scope",
            "send,status",
            "--allow-sender",
            "ACME",
            "--allow-to",
            "+372",
            "--deny-to",
            "+3729",
            "--max-parts",
            "3",
            "--rate",
            "1000000/s",
            "--quota",
            "1000000000/month",
            "--send-window",
            "00:00-24:00@Europe/Tallinn",
        ]);
    }
    let (id, secret) = env.create_key("bench", &key_args);
    let nodes = env_number("BENCH_NODES", 1).max(1) as usize;
    let gateways: Vec<Gateway> = (0..nodes)
        .map(|_| Gateway::start(&env, &["--quiet"]).expect("gateway starts"))
        .collect();
    let auth = base64::engine::general_purpose::STANDARD.encode(format!("{id}:{secret}"));
    let body = r#"{"to":"+3725551234","messages":[{"channel":"sms","text":"Benchmark message, plain GSM-7 text."}]}"#;
    let request = format!(
        "POST /v1/omnimessage HTTP/1.1\r\nHost: bench\r\nAuthorization: Basic {auth}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );

    let stop = AtomicBool::new(false);
    let measuring = AtomicBool::new(false);
    let warmup = Duration::from_millis(if smoke { 200 } else { 1000 });
    let mut latencies: Vec<Duration> = Vec::new();
    let mut failures = 0usize;
    std::thread::scope(|s| {
        let workers: Vec<_> = (0..clients)
            .map(|i| {
                let addr = gateways[i % nodes].addr;
                let (request, stop, measuring) = (request.as_bytes(), &stop, &measuring);
                s.spawn(move || client(addr, request, stop, measuring))
            })
            .collect();
        std::thread::sleep(warmup);
        measuring.store(true, Ordering::SeqCst);
        std::thread::sleep(Duration::from_secs(secs));
        stop.store(true, Ordering::SeqCst);
        for w in workers {
            let (lat, failed) = w.join().expect("client thread");
            latencies.extend(lat);
            failures += failed;
        }
    });
    for gw in gateways {
        let (code, log) = gw.stop("TERM");
        assert_eq!(code, Some(0), "{log}");
    }

    latencies.sort();
    let n = latencies.len();
    let pct = |p: f64| latencies[((n as f64 * p).ceil() as usize).clamp(1, n) - 1];
    println!(
        "gateway_load ({} policy, {}, {nodes} node(s)): {clients} keep-alive clients, {secs}s: {n} valid sends, {:.0} req/s; latency p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms; {failures} non-201",
        if full_policy { "full" } else { "no" },
        if common::on_postgres() { "postgres" } else { "sqlite" },
        n as f64 / secs as f64,
        ms(pct(0.50)),
        ms(pct(0.99)),
        ms(latencies[n - 1])
    );
    assert_eq!(failures, 0, "some sends were not 201");
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// One keep-alive client: send, read the whole response, repeat. Returns measured latencies
/// and the number of non-201 answers.
fn client(addr: SocketAddr, request: &[u8], stop: &AtomicBool, measuring: &AtomicBool) -> (Vec<Duration>, usize) {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream.set_nodelay(true).expect("nodelay");
    let mut latencies = Vec::with_capacity(100_000);
    let mut failures = 0;
    let mut buf = vec![0u8; 4096];
    while !stop.load(Ordering::Relaxed) {
        let started = Instant::now();
        stream.write_all(request).expect("write");
        let status = read_response(&mut stream, &mut buf);
        if measuring.load(Ordering::Relaxed) {
            latencies.push(started.elapsed());
            if status != 201 {
                failures += 1;
            }
        }
    }
    (latencies, failures)
}

/// Reads one response (head + Content-Length body); returns its status.
fn read_response(stream: &mut TcpStream, buf: &mut [u8]) -> u16 {
    let mut filled = 0;
    loop {
        let n = stream.read(&mut buf[filled..]).expect("read");
        assert!(n > 0, "gateway closed the connection");
        filled += n;
        let Some(end) = buf[..filled].windows(4).position(|w| w == b"\r\n\r\n") else {
            continue;
        };
        let head = std::str::from_utf8(&buf[..end]).expect("ascii head");
        let length: usize = head
            .lines()
            .find_map(|l| l.strip_prefix("Content-Length: "))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        if filled >= end + 4 + length {
            return head.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0);
        }
    }
}
