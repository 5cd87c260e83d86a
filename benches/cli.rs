//! On-demand benchmarks of the release binary, each beside a floor measured in the same run:
//! process start, `key list --json` over 10,000 keys, `key verify` against 100,000 keys,
//! text-engine throughput (figures from `benches/text.rs`) and gateway requests per second.
//!
//! Run through `scripts/bench.sh`, which writes `docs/benchmarks.md`; never part of CI.
//! Prints Markdown on stdout and progress on stderr. Floors and subjects run interleaved,
//! so background load on a shared machine hits both alike.
//!
//! Environment: `SMSCTL_BENCH_QUICK=1` cuts runs and durations for a smoke test (as does running
//! without `--bench`, i.e. under `cargo test --benches`);
//! `SMSCTL_BENCH_TEXT=FILE` is the saved output of `cargo bench --bench text`, and
//! `SMSCTL_BENCH_GATEWAY_LOAD=FILE` that of `cargo bench --bench gateway_load`.

use std::collections::HashSet;
use std::error::Error;
use std::io::Write;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use base64::Engine;
use smsctl::store::Store;
use smsctl::store::keys::{self, Key, Settings};
use smsctl::text::AutoConvert;
use smsctl::time::{Millis, UnixMillis};
use smsctl::token::{Secret, generate_key_id};

type BenchResult<T> = Result<T, Box<dyn Error>>;
/// One timed run of a floor command.
type TimedRun<'a> = &'a mut dyn FnMut() -> BenchResult<Duration>;

/// The release binary cargo built for this bench (same profile as `cargo build --release`).
const SMSCTL: &str = env!("CARGO_BIN_EXE_smsctl");

const START_TARGET_MS: f64 = 3.0;
const LIST_TARGET_RATIO: f64 = 2.0;
const VERIFY_TARGET_MS: f64 = 5.0;
/// From issue 7: valid sends over loopback, 32 keep-alive clients, this 2-core machine.
const GATEWAY_TARGET_RPS: f64 = 5_000.0;
const GATEWAY_CLIENTS: usize = 32;

const LIST_KEYS: usize = 10_000;
const VERIFY_KEYS: usize = 100_000;

/// The columns `key list --json` reports, in the order `keys::list` reads them.
const LIST_SQL: &str = "SELECT id, name, description, created_at, expires_at, revoked_at, last_used_at, last_used_ip, \
     sender, auto_replace, dlr_url, replace_table, whitelist, production \
     FROM keys WHERE revoked_at IS NULL ORDER BY name COLLATE NOCASE";

const SEND_BODY: &str = r#"{"to":"+37255512345","messages":[{"channel":"sms","sender":"ACME","text":"hi"}]}"#;

fn main() {
    if let Err(e) = run() {
        eprintln!("bench cli: error: {e}");
        std::process::exit(1);
    }
}

fn run() -> BenchResult<()> {
    let plan = Plan::from_env();
    let tmp = tempfile::tempdir()?;
    let mut report = Report::default();
    // The fixtures are written by this process: keep their audit key out of the user's config.
    // SAFETY: set before any thread is started.
    unsafe { std::env::set_var("SMSCTL_AUDIT_KEY", "5e".repeat(32)) };

    progress("process start");
    process_start(&plan, tmp.path(), &mut report)?;

    progress("start-up with a store (schema check included)");
    let small_db = tmp.path().join("small.db");
    let small = build_store(&small_db, 10, &mut report)?;
    store_start(&plan, tmp.path(), &small_db, &small, &mut report)?;

    progress("auth timing: key with 500 old secrets vs unknown key id");
    auth_timing(&plan, tmp.path(), &mut report)?;

    progress(&format!("building a store with {LIST_KEYS} keys"));
    let list_db = tmp.path().join("list.db");
    build_store(&list_db, LIST_KEYS, &mut report)?;
    progress("key list --json");
    key_list(&plan, tmp.path(), &list_db, &mut report)?;

    progress(&format!("building a store with {VERIFY_KEYS} keys"));
    let verify_db = tmp.path().join("verify.db");
    let probe = build_store(&verify_db, VERIFY_KEYS, &mut report)?;
    progress("key verify");
    key_verify(&plan, tmp.path(), &verify_db, &probe, &mut report)?;

    progress("text engine floor");
    text_engine(&mut report)?;

    progress("gateway");
    gateway(&plan, tmp.path(), &verify_db, &probe, &mut report)?;

    report.print();
    Ok(())
}

fn progress(what: &str) {
    eprintln!("bench cli: {what}…");
}

/// How many runs and how long: full under `cargo bench`, short with `SMSCTL_BENCH_QUICK=1` or
/// under `cargo test --benches` (which does not pass `--bench`).
struct Plan {
    quick: bool,
    start_runs: usize,
    list_runs: usize,
    verify_runs: usize,
    load_warmup: Duration,
    load_duration: Duration,
}

impl Plan {
    fn from_env() -> Plan {
        let quick = std::env::var_os("SMSCTL_BENCH_QUICK").is_some_and(|v| !v.is_empty() && v != "0");
        if quick || !std::env::args().any(|a| a == "--bench") {
            Plan {
                quick: true,
                start_runs: 20,
                list_runs: 5,
                verify_runs: 10,
                load_warmup: Duration::from_millis(200),
                load_duration: Duration::from_secs(1),
            }
        } else {
            Plan {
                quick: false,
                start_runs: 300,
                list_runs: 41,
                verify_runs: 201,
                load_warmup: Duration::from_secs(1),
                load_duration: Duration::from_secs(8),
            }
        }
    }
}

// ---------------------------------------------------------------- statistics

#[derive(Clone, Copy)]
struct Stats {
    median: Duration,
    p90: Duration,
    p99: Duration,
    min: Duration,
}

impl Stats {
    fn of(samples: &[Duration]) -> Stats {
        let mut s = samples.to_vec();
        s.sort_unstable();
        let at = |q: f64| s[((s.len() - 1) as f64 * q).round() as usize];
        Stats {
            median: at(0.5),
            p90: at(0.9),
            p99: at(0.99),
            min: s[0],
        }
    }

    /// `median / p90 / min` in milliseconds.
    fn cell(&self) -> String {
        format!("{} / {} / {}", ms(self.median), ms(self.p90), ms(self.min))
    }
}

fn ms(d: Duration) -> String {
    let v = d.as_secs_f64() * 1e3;
    if v < 0.1 {
        return format!("{:.1} µs", v * 1e3);
    }
    if v < 10.0 { format!("{v:.2} ms") } else { format!("{v:.1} ms") }
}

/// `100000` → `100,000`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn ms_f(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn verdict(pass: bool) -> &'static str {
    if pass { "**pass**" } else { "**FAIL**" }
}

// ---------------------------------------------------------------- report

/// One row of the per-process table.
struct ProcessRow {
    what: String,
    runs: usize,
    subject: Stats,
    floor_name: String,
    floor: Option<Stats>,
    ratio: String,
    target: String,
    result: String,
}

struct TextRow {
    case: String,
    engine_mbps: Option<f64>,
    floor_name: &'static str,
    floor_mbps: f64,
}

enum GatewayOutcome {
    Measured(LoadResult),
    Skipped(String),
}

#[derive(Default)]
struct Report {
    process: Vec<ProcessRow>,
    text: Vec<TextRow>,
    text_note: Option<String>,
    gateway: Option<GatewayOutcome>,
    gateway_floor: Option<LoadResult>,
    /// The summary line of `cargo bench --bench gateway_load`, when the script ran it.
    gateway_cross_check: Option<String>,
    verify_breakdown: Vec<(String, Stats)>,
    notes: Vec<String>,
}

impl Report {
    fn print(&self) {
        println!("## Per-process commands\n");
        println!(
            "Wall time from spawn to exit, output read through a pipe; median / p90 / min over the runs, \
             subject and floor interleaved.\n"
        );
        println!("| Benchmark | Runs | smsctl median / p90 / min | Floor | Floor median / p90 / min | Ratio | Target | Result |");
        println!("|---|---:|---|---|---|---:|---|---|");
        for r in &self.process {
            println!(
                "| {} | {} | {} | {} | {} | {} | {} | {} |",
                r.what,
                r.runs,
                r.subject.cell(),
                r.floor_name,
                r.floor.map_or_else(|| "skipped".to_owned(), |f| f.cell()),
                r.ratio,
                r.target,
                r.result
            );
        }

        if !self.verify_breakdown.is_empty() {
            println!("\nWhere `key verify`'s time goes (same run, interleaved):\n");
            println!("| Process | median / p90 / min |");
            println!("|---|---|");
            for (what, stats) in &self.verify_breakdown {
                println!("| {what} | {} |", stats.cell());
            }
        }

        println!("\n## Text engine throughput\n");
        println!(
            "Medians from `cargo bench --bench text` (divan, 1 MB inputs; MB = 10^6 bytes). Floors, \
             timed in this bench over 1 MB of similar text (median of 201): decoding every char (what \
             counting must at least do) and decoding plus copying every char into a new string (what \
             replacing must at least do).\n"
        );
        println!("| Case (divan name) | Engine median | Floor | Floor median | Floor ÷ engine | Target |");
        println!("|---|---:|---|---:|---:|---|");
        for r in &self.text {
            let engine = r.engine_mbps.map_or_else(|| "**TODO**".to_owned(), |e| format!("{e:.1} MB/s"));
            let times = r
                .engine_mbps
                .map_or_else(|| "–".to_owned(), |e| format!("{:.1}×", r.floor_mbps / e));
            // The text engine's targets (issue: GSM-7 counting and full replacement of mixed text).
            let target = [("`gsm7_off`", 200.0), ("`mixed_full`", 50.0)]
                .iter()
                .find(|(name, _)| r.case.contains(name))
                .map(|(_, mbps)| *mbps);
            let target = match (target, r.engine_mbps) {
                (Some(t), Some(e)) => format!("≥ {t:.0} MB/s: {}", if e >= t { "**pass**" } else { "**FAIL**" }),
                (Some(t), None) => format!("≥ {t:.0} MB/s: not measured"),
                (None, _) => "–".to_owned(),
            };
            println!(
                "| {} | {engine} | {} | {:.0} MB/s | {times} | {target} |",
                r.case, r.floor_name, r.floor_mbps
            );
        }
        if let Some(note) = &self.text_note {
            println!("\n{note}");
        }

        println!("\n## Gateway requests per second\n");
        println!(
            "`POST /v1/omnimessage` (valid send, Basic auth, whitelisted 127.0.0.1) over loopback from \
             {GATEWAY_CLIENTS} threads, each a `ureq` agent with keep-alive; latency per request. Floor: a \
             minimal `tiny_http` server in the bench process answering 201 to the same requests from the \
             same client.\n"
        );
        println!("| Server | Clients | Seconds | Requests (201) | Errors | req/s | p50 | p99 | Target | Result |");
        println!("|---|---:|---:|---:|---:|---:|---:|---:|---|---|");
        match &self.gateway {
            Some(GatewayOutcome::Measured(g)) => {
                let pass = g.errors == 0 && g.rps() >= GATEWAY_TARGET_RPS;
                println!(
                    "{}",
                    g.row("`smsctl gateway serve`", &format!("≥ {GATEWAY_TARGET_RPS:.0} req/s"), verdict(pass))
                );
            }
            Some(GatewayOutcome::Skipped(why)) => {
                println!("| `smsctl gateway serve` | – | – | – | – | skipped | – | – | ≥ {GATEWAY_TARGET_RPS:.0} req/s | {why} |")
            }
            None => {}
        }
        if let Some(f) = &self.gateway_floor {
            println!("{}", f.row("floor: minimal `tiny_http`", "–", "–"));
        }
        if let Some(line) = &self.gateway_cross_check {
            println!(
                "\nCross-check with lighter clients (raw sockets, prebuilt request; `cargo bench --bench \
                 gateway_load`, run just before this bench):\n\n    {line}"
            );
        }

        if !self.notes.is_empty() {
            println!("\n## Notes from this run\n");
            for n in &self.notes {
                println!("- {n}");
            }
        }
    }
}

// ---------------------------------------------------------------- running processes

/// A command with a clean environment: only PATH, a temp HOME, the keyring off and `db`.
fn smsctl(home: &Path, db: Option<&Path>) -> Command {
    let mut cmd = Command::new(SMSCTL);
    clean_env(&mut cmd, home);
    cmd.env("SMSCTL_KEYRING", "none");
    if let Some(db) = db {
        cmd.env("SMSCTL_DB", db);
    }
    cmd
}

fn clean_env(cmd: &mut Command, home: &Path) {
    cmd.env_clear().env("HOME", home).env("LC_ALL", "C");
    if let Some(path) = std::env::var_os("PATH") {
        cmd.env("PATH", path);
    }
}

/// Runs `cmd` to completion, feeding `stdin`; returns wall time and stdout. Fails on a non-zero exit.
fn time_run(cmd: &mut Command, stdin: Option<&[u8]>) -> BenchResult<(Duration, Vec<u8>)> {
    cmd.stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let started = Instant::now();
    let mut child = cmd.spawn()?;
    if let (Some(input), Some(mut pipe)) = (stdin, child.stdin.take()) {
        pipe.write_all(input)?;
    }
    let out = child.wait_with_output()?;
    let took = started.elapsed();
    if !out.status.success() {
        return Err(format!("{cmd:?} failed ({}): {}", out.status, String::from_utf8_lossy(&out.stderr).trim()).into());
    }
    Ok((took, out.stdout))
}

/// Runs each of `runners` in turn, `runs` rounds, after two untimed warm-up rounds; returns
/// their statistics in the same order.
fn interleaved(runs: usize, runners: &mut [TimedRun<'_>]) -> BenchResult<Vec<Stats>> {
    for _ in 0..2 {
        for run in runners.iter_mut() {
            run()?;
        }
    }
    let mut samples = vec![Vec::with_capacity(runs); runners.len()];
    for _ in 0..runs {
        for (run, out) in runners.iter_mut().zip(&mut samples) {
            out.push(run()?);
        }
    }
    Ok(samples.iter().map(|s| Stats::of(s)).collect())
}

fn sqlite3_available() -> bool {
    Command::new("sqlite3")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn sqlite3(home: &Path) -> Command {
    let mut cmd = Command::new("sqlite3");
    clean_env(&mut cmd, home);
    cmd
}

// ---------------------------------------------------------------- fixtures

/// The key whose secret the verify and gateway benchmarks present.
struct Probe {
    id: String,
    secret: Secret,
}

/// Creates `n` varied, active keys (one current secret each) in one transaction; returns the
/// middle key, which also whitelists loopback so the gateway accepts it.
fn build_store(path: &Path, n: usize, report: &mut Report) -> BenchResult<Probe> {
    let started = Instant::now();
    let mut store = Store::open(path)?;
    let now = smsctl::time::now();
    let mut ids = HashSet::with_capacity(n);
    let probe_at = n / 2;
    let mut fixtures = Vec::with_capacity(n);
    for i in 0..n {
        let mut id = generate_key_id();
        while !ids.insert(id.clone()) {
            id = generate_key_id();
        }
        fixtures.push((fixture_key(i, id, now, i == probe_at)?, Secret::generate()));
    }
    store.write(|tx| {
        for (key, secret) in &fixtures {
            keys::insert(tx, key)?;
            keys::insert_secret(tx, &key.id, secret, now)?;
        }
        Ok(())
    })?;
    drop(store);
    let (key, secret) = fixtures.swap_remove(probe_at);
    let probe = Probe { id: key.id, secret };
    let size = std::fs::metadata(path)?.len();
    report.notes.push(format!(
        "Fixture: {count} keys (+{count} secrets) written in one transaction in {:.1} s; store {:.1} MB.",
        started.elapsed().as_secs_f64(),
        size as f64 / 1e6,
        count = thousands(n)
    ));
    Ok(probe)
}

fn fixture_key(i: usize, id: String, now: UnixMillis, probe: bool) -> BenchResult<Key> {
    let mut settings = Settings {
        sender: (i % 2 == 0).then(|| "ACME".to_owned()),
        auto_replace: match i % 3 {
            0 => None,
            1 => Some(AutoConvert::On),
            _ => Some(AutoConvert::Full),
        },
        dlr_url: (i % 5 == 0).then(|| format!("https://hooks.example.com/dlr/{i}")),
        production: i % 4 == 0,
        ..Settings::default()
    };
    if i % 3 == 1 {
        settings.replace.insert('’', "'".to_owned());
        settings.replace.insert('€', "EUR".to_owned());
    }
    if i % 7 == 0 {
        settings.whitelist = vec!["203.0.113.0/24".parse()?, "2001:db8::/32".parse()?];
    }
    if probe {
        settings.sender = Some("ACME".to_owned());
        settings.dlr_url = None;
        settings.whitelist = vec!["127.0.0.1/32".parse()?, "::1/128".parse()?];
    }
    Ok(Key {
        id,
        name: format!("bench-{i:06}"),
        description: (i % 10 == 0).then(|| format!("benchmark fixture key number {i}")),
        created_at: now - Millis::days(i as i64 % 365),
        expires_at: (i % 6 == 0).then_some(now + Millis::days(365)),
        revoked_at: None,
        settings,
        last_used_at: (i % 2 == 1).then_some(now - Millis::days(1)),
        last_used_ip: (i % 2 == 1).then(|| "198.51.100.7".to_owned()),
    })
}

// ---------------------------------------------------------------- 1. process start

fn process_start(plan: &Plan, home: &Path, report: &mut Report) -> BenchResult<()> {
    let mut version = || time_run(smsctl(home, None).arg("--version"), None).map(|r| r.0);
    let mut floor = || time_run(Command::new("/bin/true").env_clear(), None).map(|r| r.0);
    let stats = interleaved(plan.start_runs, &mut [&mut version, &mut floor])?;
    let (s, f) = (stats[0], stats[1]);
    report.process.push(ProcessRow {
        what: "Process start: `smsctl --version`".into(),
        runs: plan.start_runs,
        subject: s,
        floor_name: "`/bin/true`".into(),
        floor: Some(f),
        ratio: format!("{:.1}× (+{})", ratio(s.median, f.median), ms(s.median.saturating_sub(f.median))),
        target: format!("≤ {START_TARGET_MS} ms median"),
        result: verdict(ms_f(s.median) <= START_TARGET_MS).into(),
    });
    Ok(())
}

/// `key show` opens the store (version, exact-schema check, pragmas) and reads one key.
fn store_start(plan: &Plan, home: &Path, db: &Path, probe: &Probe, report: &mut Report) -> BenchResult<()> {
    let env_key = "5e".repeat(32);
    let mut show = || {
        time_run(
            smsctl(home, Some(db))
                .env("SMSCTL_AUDIT_KEY", &env_key)
                .args(["key", "show", &probe.id, "--json"]),
            None,
        )
        .map(|r| r.0)
    };
    let mut version = || time_run(smsctl(home, None).arg("--version"), None).map(|r| r.0);
    let stats = interleaved(plan.start_runs, &mut [&mut show, &mut version])?;
    let (s, f) = (stats[0], stats[1]);
    report.process.push(ProcessRow {
        what: "Start-up with a store: `smsctl key show KEY --json` (open, exact-schema check, one key)".into(),
        runs: plan.start_runs,
        subject: s,
        floor_name: "`smsctl --version`".into(),
        floor: Some(f),
        ratio: format!("{:.1}× (+{})", ratio(s.median, f.median), ms(s.median.saturating_sub(f.median))),
        target: format!("≤ {START_TARGET_MS} ms median"),
        result: verdict(ms_f(s.median) <= START_TARGET_MS).into(),
    });
    Ok(())
}

/// Rejecting a wrong secret must cost the same for a key id with 500 rotated secrets as for
/// an id that does not exist: timing must not tell key ids apart.
fn auth_timing(plan: &Plan, home: &Path, report: &mut Report) -> BenchResult<()> {
    let path = home.join("auth.db");
    let mut store = Store::open(&path)?;
    let now = smsctl::time::now();
    let key = fixture_key(0, generate_key_id(), now, false)?;
    store.write(|tx| {
        keys::insert(tx, &key)?;
        for i in 0..500 {
            let s = Secret::generate();
            keys::insert_secret(tx, &key.id, &s, now - Millis::from_i64(1000 - i))?;
        }
        tx.execute("UPDATE secrets SET valid_until = ?1", [now - Millis::from_i64(1)])?;
        keys::insert_secret(tx, &key.id, &Secret::generate(), now)?;
        Ok(())
    })?;
    let wrong = Secret::generate();
    let unknown = generate_key_id();
    let iterations = if plan.quick { 200 } else { 5_000 };
    let conn = store.conn();
    let time_check = |id: &str| -> BenchResult<Duration> {
        let started = Instant::now();
        let outcome = smsctl::auth::check(conn, Some(id), wrong.expose(), None, now)?;
        let took = started.elapsed();
        if outcome.reason != smsctl::auth::Reason::Unknown {
            return Err(format!("a wrong secret was not refused as unknown: {:?}", outcome.reason).into());
        }
        Ok(took)
    };
    let (mut known, mut missing) = (Vec::with_capacity(iterations), Vec::with_capacity(iterations));
    for _ in 0..iterations {
        known.push(time_check(&key.id)?);
        missing.push(time_check(&unknown)?);
    }
    let (k, m) = (Stats::of(&known), Stats::of(&missing));
    let r = ratio(k.median, m.median);
    report.process.push(ProcessRow {
        what: "`auth::check` of a wrong secret (in process): key id with 500 rotated secrets".into(),
        runs: iterations,
        subject: k,
        floor_name: "the same check for a key id that does not exist".into(),
        floor: Some(m),
        ratio: format!("{r:.2}×"),
        target: "0.8× – 1.25×".into(),
        result: verdict((0.8..=1.25).contains(&r)).into(),
    });
    Ok(())
}

fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64()
}

// ---------------------------------------------------------------- 2. key list

fn key_list(plan: &Plan, home: &Path, db: &Path, report: &mut Report) -> BenchResult<()> {
    let list = || time_run(smsctl(home, Some(db)).args(["key", "list", "--json"]), None);
    let (_, out) = list()?;
    let listed = json_array_len(&out)?;
    if listed != LIST_KEYS {
        return Err(format!("key list printed {listed} keys, expected {LIST_KEYS}").into());
    }
    report.notes.push(format!(
        "`key list --json` prints {:.1} MB for {} keys.",
        out.len() as f64 / 1e6,
        thousands(LIST_KEYS)
    ));

    let have_sqlite3 = sqlite3_available();
    let query = || time_run(sqlite3(home).arg("-json").arg(db).arg(LIST_SQL), None);
    if have_sqlite3 {
        let (_, out) = query()?;
        let selected = json_array_len(&out)?;
        if selected != LIST_KEYS {
            return Err(format!("sqlite3 selected {selected} rows, expected {LIST_KEYS}").into());
        }
        report.notes.push(format!(
            "List floor query (`sqlite3 -json`, {:.1} MB out): `{LIST_SQL}`",
            out.len() as f64 / 1e6
        ));
    }
    let mut subject = || list().map(|r| r.0);
    let mut floor = || query().map(|r| r.0);
    let mut runners: Vec<TimedRun<'_>> = vec![&mut subject];
    if have_sqlite3 {
        runners.push(&mut floor);
    }
    let stats = interleaved(plan.list_runs, &mut runners)?;
    let (s, f) = (stats[0], stats.get(1).copied());
    let (ratio_cell, result) = match f {
        Some(f) => {
            let r = ratio(s.median, f.median);
            (format!("{r:.2}×"), verdict(r <= LIST_TARGET_RATIO).to_owned())
        }
        None => ("–".into(), "no floor: sqlite3 not installed".into()),
    };
    report.process.push(ProcessRow {
        what: format!("`smsctl key list --json`, {} keys", thousands(LIST_KEYS)),
        runs: plan.list_runs,
        subject: s,
        floor_name: "`sqlite3 -json` selecting the same rows and columns".into(),
        floor: f,
        ratio: ratio_cell,
        target: format!("≤ {LIST_TARGET_RATIO}× floor"),
        result,
    });
    Ok(())
}

fn json_array_len(out: &[u8]) -> BenchResult<usize> {
    let v: serde_json::Value = serde_json::from_slice(out)?;
    v.as_array().map(Vec::len).ok_or_else(|| "output is not a JSON array".into())
}

// ---------------------------------------------------------------- 3. key verify

fn key_verify(plan: &Plan, home: &Path, db: &Path, probe: &Probe, report: &mut Report) -> BenchResult<()> {
    let stdin = format!("{}\n", probe.secret.expose());
    let verify = || time_run(smsctl(home, Some(db)).args(["key", "verify", "--json"]), Some(stdin.as_bytes()));
    let (_, out) = verify()?;
    let verdict_json: serde_json::Value = serde_json::from_slice(&out)?;
    if verdict_json["valid"] != serde_json::Value::Bool(true) {
        return Err(format!("key verify did not accept the probe secret: {verdict_json}").into());
    }

    // The same store work in sqlite3: find the secret by hash and its key, then record the use
    // (committed with synchronous=FULL, as smsctl does). The lookup alone and smsctl's own start
    // are timed too, to show where the time goes.
    let hash: String = probe.secret.hash().0.iter().map(|b| format!("{b:02x}")).collect();
    let lookup = format!(
        "PRAGMA busy_timeout=5000; \
         SELECT k.id, k.name, k.revoked_at, k.expires_at, k.whitelist, s.id, s.valid_until \
           FROM secrets s JOIN keys k ON k.id = s.key_id WHERE s.hash = x'{hash}';"
    );
    let now_ms = "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)";
    let lookup_and_touch = format!(
        "PRAGMA synchronous=FULL; {lookup} BEGIN IMMEDIATE; \
         UPDATE keys SET last_used_at = {now_ms}, last_used_ip = NULL WHERE id = '{id}'; \
         UPDATE secrets SET last_used_at = {now_ms} WHERE hash = x'{hash}'; \
         COMMIT;",
        id = probe.id
    );
    let have_sqlite3 = sqlite3_available();
    let mut subject = || verify().map(|r| r.0);
    let mut start = || time_run(smsctl(home, Some(db)).arg("--version"), None).map(|r| r.0);
    let mut floor = || time_run(sqlite3(home).arg(db).arg(&lookup_and_touch), None).map(|r| r.0);
    let mut read_only = || time_run(sqlite3(home).arg(db).arg(&lookup), None).map(|r| r.0);
    let mut runners: Vec<TimedRun<'_>> = vec![&mut subject, &mut start];
    if have_sqlite3 {
        runners.push(&mut floor);
        runners.push(&mut read_only);
    }
    let stats = interleaved(plan.verify_runs, &mut runners)?;
    let (s, f) = (stats[0], stats.get(2).copied());
    report.verify_breakdown = vec![
        (
            "`smsctl key verify` (lookup, then last-used update committed with fsync)".into(),
            stats[0],
        ),
        ("`smsctl --version` (process start, no store)".into(), stats[1]),
    ];
    if let (Some(touch), Some(read)) = (stats.get(2), stats.get(3)) {
        report
            .verify_breakdown
            .push(("`sqlite3`: same lookup and last-used update, synchronous=FULL".into(), *touch));
        report
            .verify_breakdown
            .push(("`sqlite3`: same lookup only (no write)".into(), *read));
    }
    report.process.push(ProcessRow {
        what: format!("`smsctl key verify` (secret on stdin), {} keys", thousands(VERIFY_KEYS)),
        runs: plan.verify_runs,
        subject: s,
        floor_name: "`sqlite3` doing the same lookup and last-used update".into(),
        floor: f,
        ratio: f.map_or_else(|| "–".into(), |f| format!("{:.2}×", ratio(s.median, f.median))),
        target: format!("≤ {VERIFY_TARGET_MS} ms median"),
        result: verdict(ms_f(s.median) <= VERIFY_TARGET_MS).into(),
    });
    Ok(())
}

// ---------------------------------------------------------------- 4. text engine

const MB: usize = 1 << 20;

fn text_engine(report: &mut Report) -> BenchResult<()> {
    let gsm = repeat_to_mb("Your code is 481516. Valid 10 min; don't share it {ref: A-23}. Prix: 5€ à Genève, Øresund!\n");
    let mixed = repeat_to_mb("“Hi” — it’s 5 € … café Łódź Ελληνικά 你好 👍🏽 👨\u{200D}👩\u{200D}👧 e\u{301} Привет\u{A0}™\n");
    let floors = TextFloors {
        gsm_decode: mbps(&gsm, decode_each_char),
        gsm_copy: mbps(&gsm, copy_each_char),
        mixed_decode: mbps(&mixed, decode_each_char),
        mixed_copy: mbps(&mixed, copy_each_char),
    };

    let divan = match std::env::var_os("SMSCTL_BENCH_TEXT") {
        Some(path) => std::fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", PathBuf::from(path).display()))?,
        None => String::new(),
    };
    let cases = divan_medians(&divan);
    if cases.is_empty() {
        report.text_note = Some(
            "**TODO**: no figures from `cargo bench --bench text` in this run (bench missing or not run); \
             run `scripts/bench.sh` once `benches/text.rs` exists."
                .into(),
        );
        for name in ["gsm7_off", "mixed_full"] {
            let (floor_name, floor_mbps) = floors.for_case(name);
            report.text.push(TextRow {
                case: format!("TODO: {}", describe_text_case(name)),
                engine_mbps: None,
                floor_name,
                floor_mbps,
            });
        }
        return Ok(());
    }
    for (name, engine) in cases {
        let (floor_name, floor_mbps) = floors.for_case(&name);
        report.text.push(TextRow {
            case: format!("{} (`{name}`)", describe_text_case(&name)),
            engine_mbps: Some(engine),
            floor_name,
            floor_mbps,
        });
    }
    Ok(())
}

/// Floor throughputs in MB/s, by kind of text and by what the engine must at least do.
struct TextFloors {
    gsm_decode: f64,
    gsm_copy: f64,
    mixed_decode: f64,
    mixed_copy: f64,
}

impl TextFloors {
    /// Counting-only cases (`*_off`) against decoding; replacing cases against decode-and-copy.
    fn for_case(&self, name: &str) -> (&'static str, f64) {
        match (name.starts_with("gsm"), name.ends_with("_off")) {
            (true, true) => ("decode every char, GSM-7-like", self.gsm_decode),
            (true, false) => ("decode + copy every char, GSM-7-like", self.gsm_copy),
            (false, true) => ("decode every char, mixed Unicode", self.mixed_decode),
            (false, false) => ("decode + copy every char, mixed Unicode", self.mixed_copy),
        }
    }
}

fn repeat_to_mb(unit: &str) -> String {
    let mut s = unit.repeat(MB / unit.len() + 1);
    let mut end = MB;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s.truncate(end);
    s
}

/// `black_box` on every char keeps the compiler from replacing the loop by a byte count.
fn decode_each_char(text: &str) {
    for c in std::hint::black_box(text).chars() {
        std::hint::black_box(c);
    }
}

fn copy_each_char(text: &str) {
    let mut out = String::with_capacity(text.len());
    for c in std::hint::black_box(text).chars() {
        out.push(std::hint::black_box(c));
    }
    std::hint::black_box(out);
}

/// Median throughput of `f` over `text`, in MB/s (10^6 bytes).
fn mbps(text: &str, f: fn(&str)) -> f64 {
    let samples: Vec<Duration> = (0..201)
        .map(|_| {
            let t = Instant::now();
            f(text);
            t.elapsed()
        })
        .collect();
    text.len() as f64 / Stats::of(&samples).median.as_secs_f64() / 1e6
}

fn describe_text_case(name: &str) -> &'static str {
    match name {
        "gsm7_off" => "GSM-7 text, counting only (autoconvert off)",
        "gsm7_full" => "GSM-7 text, full replacement",
        "mixed_off" => "Mixed Unicode, counting only (autoconvert off)",
        "mixed_on" => "Mixed Unicode, replace table (autoconvert on)",
        "mixed_full" => "Mixed Unicode, full replacement",
        "mixed_nfc_full" => "Mixed Unicode already NFC, full replacement",
        _ => "text engine",
    }
}

/// Reads divan's table: a `├─ name` / `╰─ name` timing line followed by a throughput line whose
/// third `│`-separated column is the median. Returns (name, MB/s).
fn divan_medians(output: &str) -> Vec<(String, f64)> {
    let mut found = Vec::new();
    let mut lines = output.lines();
    while let Some(line) = lines.next() {
        let Some(rest) = line
            .trim_start()
            .strip_prefix("├─ ")
            .or_else(|| line.trim_start().strip_prefix("╰─ "))
        else {
            continue;
        };
        let Some(name) = rest.split_whitespace().next() else { continue };
        let Some(throughput) = lines.next() else { break };
        // Columns: fastest │ slowest │ median │ mean; all but the last row's line open with `│`.
        let mut columns: Vec<&str> = throughput.split('│').collect();
        if columns.first().is_some_and(|c| c.trim().is_empty()) {
            columns.remove(0);
        }
        let median = columns.get(2).copied().and_then(parse_rate);
        if let Some(mbps) = median {
            found.push((name.to_owned(), mbps));
        }
    }
    found
}

/// `"220.1 MB/s"` → 220.1 (MB/s, decimal units as divan prints them).
fn parse_rate(cell: &str) -> Option<f64> {
    let mut parts = cell.split_whitespace();
    let value: f64 = parts.next()?.parse().ok()?;
    let scale = match parts.next()? {
        "B/s" => 1e-6,
        "KB/s" => 1e-3,
        "MB/s" => 1.0,
        "GB/s" => 1e3,
        "TB/s" => 1e6,
        _ => return None,
    };
    Some(value * scale)
}

// ---------------------------------------------------------------- 5. gateway

struct LoadResult {
    clients: usize,
    seconds: f64,
    ok: usize,
    errors: usize,
    latency: Option<Stats>,
    first_error: Option<String>,
}

impl LoadResult {
    fn rps(&self) -> f64 {
        self.ok as f64 / self.seconds
    }

    fn row(&self, server: &str, target: &str, result: &str) -> String {
        let (p50, p99) = self.latency.map_or(("–".into(), "–".into()), |l| (ms(l.median), ms(l.p99)));
        let mut result = result.to_owned();
        if let Some(e) = &self.first_error {
            result.push_str(&format!(" (first error: {e})"));
        }
        format!(
            "| {server} | {} | {:.0} | {} | {} | {:.0} | {p50} | {p99} | {target} | {result} |",
            self.clients,
            self.seconds,
            self.ok,
            self.errors,
            self.rps()
        )
    }
}

fn gateway(plan: &Plan, home: &Path, db: &Path, probe: &Probe, report: &mut Report) -> BenchResult<()> {
    let auth = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{}:{}", probe.id, probe.secret.expose()))
    );

    let help = smsctl(home, Some(db))
        .args(["gateway", "--help"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()?;
    report.gateway = Some(if help.success() {
        let addr = free_loopback_addr()?;
        let mut server = smsctl(home, Some(db))
            .args(["--quiet", "gateway", "serve", "--listen", &addr.to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()?;
        // Drain stderr so a chatty gateway never blocks on a full pipe; keep it for errors.
        let log = server.stderr.take().map(|mut pipe| {
            thread::spawn(move || {
                let mut text = String::new();
                let _ = std::io::Read::read_to_string(&mut pipe, &mut text);
                text
            })
        });
        let outcome = wait_listening(addr, &mut server).and_then(|()| load(addr, &auth, plan));
        stop(server);
        let log = log.and_then(|t| t.join().ok()).unwrap_or_default();
        GatewayOutcome::Measured(outcome.map_err(|e| format!("{e}; gateway stderr: {}", log.trim()))?)
    } else {
        GatewayOutcome::Skipped("skipped: `smsctl gateway --help` fails (gateway not built yet)".into())
    });

    let floor = tiny_http::Server::http("127.0.0.1:0").map_err(|e| e.to_string())?;
    let addr = floor.server_addr().to_ip().ok_or("floor server has no IP address")?;
    let floor = Arc::new(floor);
    let workers: Vec<_> = (0..4)
        .map(|_| {
            let server = Arc::clone(&floor);
            thread::spawn(move || answer_created(&server))
        })
        .collect();
    let result = load(addr, &auth, plan);
    // Each unblock wakes one worker.
    for _ in &workers {
        floor.unblock();
    }
    for w in workers {
        let _ = w.join();
    }
    report.gateway_floor = Some(result?);

    if let Some(path) = std::env::var_os("SMSCTL_BENCH_GATEWAY_LOAD") {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        report.gateway_cross_check = text.lines().find(|l| l.starts_with("gateway_load:")).map(str::to_owned);
    }
    Ok(())
}

/// The floor server: reads each request's body and answers 201 with a gateway-shaped body.
fn answer_created(server: &tiny_http::Server) {
    const BODY: &str = r#"{"messages":[{"channel":"sms","message_id":"00000000-0000-0000-0000-000000000000","sender":"ACME"}],"to":"+37255512345","omnimessage_id":"00000000-0000-0000-0000-000000000000"}"#;
    while let Ok(mut request) = server.recv() {
        let mut sink = Vec::new();
        let _ = std::io::Read::read_to_end(request.as_reader(), &mut sink);
        let header = tiny_http::Header::from_bytes("Content-Type", "application/json").ok();
        let mut response = tiny_http::Response::from_string(BODY).with_status_code(201);
        if let Some(h) = header {
            response.add_header(h);
        }
        let _ = request.respond(response);
    }
}

fn free_loopback_addr() -> BenchResult<SocketAddr> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?)
}

fn wait_listening(addr: SocketAddr, server: &mut Child) -> BenchResult<()> {
    let deadline = Instant::now() + Duration::from_secs(15);
    while Instant::now() < deadline {
        if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
            return Ok(());
        }
        if let Some(status) = server.try_wait()? {
            return Err(format!("gateway exited ({status}) before listening").into());
        }
        thread::sleep(Duration::from_millis(50));
    }
    Err(format!("gateway did not listen on {addr} within 15 s").into())
}

/// Asks the gateway to shut down cleanly (SIGTERM), then kills it if it lingers.
fn stop(mut server: Child) {
    let _ = Command::new("kill").arg("-TERM").arg(server.id().to_string()).status();
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if let Ok(Some(_)) = server.try_wait() {
            return;
        }
        thread::sleep(Duration::from_millis(50));
    }
    let _ = server.kill();
    let _ = server.wait();
}

/// `GATEWAY_CLIENTS` threads send valid requests back to back for the warm-up, then for the
/// measured duration; each thread keeps one keep-alive connection through its own agent.
fn load(addr: SocketAddr, auth: &str, plan: &Plan) -> BenchResult<LoadResult> {
    let url = format!("http://{addr}/v1/omnimessage");
    let started = Instant::now();
    let measure_from = started + plan.load_warmup;
    let until = measure_from + plan.load_duration;
    let threads: Vec<_> = (0..GATEWAY_CLIENTS)
        .map(|_| {
            let url = url.clone();
            let auth = auth.to_owned();
            thread::spawn(move || client_loop(&url, &auth, measure_from, until))
        })
        .collect();
    let mut latencies = Vec::new();
    let mut errors = 0;
    let mut first_error = None;
    for t in threads {
        let c = t.join().map_err(|_| "load thread panicked")?;
        latencies.extend(c.latencies);
        errors += c.errors;
        first_error = first_error.or(c.first_error);
    }
    Ok(LoadResult {
        clients: GATEWAY_CLIENTS,
        seconds: plan.load_duration.as_secs_f64(),
        ok: latencies.len(),
        errors,
        latency: (!latencies.is_empty()).then(|| Stats::of(&latencies)),
        first_error,
    })
}

#[derive(Default)]
struct ClientTally {
    latencies: Vec<Duration>,
    errors: usize,
    first_error: Option<String>,
}

fn client_loop(url: &str, auth: &str, measure_from: Instant, until: Instant) -> ClientTally {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .into();
    let mut tally = ClientTally::default();
    loop {
        let sent = Instant::now();
        if sent >= until {
            break;
        }
        let outcome = agent
            .post(url)
            .header("Authorization", auth)
            .header("Content-Type", "application/json")
            .send(SEND_BODY)
            .and_then(|mut r| {
                let status = r.status().as_u16();
                // Read the body to the end so the connection goes back to the pool.
                r.body_mut().read_to_vec().map(|body| (status, body))
            });
        let took = sent.elapsed();
        if sent < measure_from {
            continue;
        }
        match outcome {
            Ok((201, _)) => tally.latencies.push(took),
            Ok((status, body)) => {
                tally.errors += 1;
                tally.first_error.get_or_insert_with(|| {
                    format!(
                        "HTTP {status}: {}",
                        String::from_utf8_lossy(&body).chars().take(160).collect::<String>()
                    )
                });
            }
            Err(e) => {
                tally.errors += 1;
                tally.first_error.get_or_insert_with(|| e.to_string());
            }
        }
    }
    tally
}
