//! Test harness: a temp store and the real binary, with every SMSCTL_* variable cleared.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use assert_cmd::Command;
use rusqlite::Connection;

/// The clock of the smsctl it is set for runs this far (a duration) ahead of the system clock.
pub const CLOCK_AHEAD: &str = "SMSCTL_TEST_CLOCK_AHEAD";

pub struct TestEnv {
    pub dir: tempfile::TempDir,
    /// The store: a file, or with `SMSCTL_TEST_BACKEND=postgres` a `postgres://` URL naming a
    /// database of this test's own on the cluster of `scripts/pg-session.sh`.
    pub db: PathBuf,
    /// The PostgreSQL database to drop when the test ends.
    pg_database: Option<String>,
    /// On PostgreSQL: this test's share of the cluster, released after its database is dropped.
    _server: Option<ServerShare>,
}

/// Every PostgreSQL test of this binary uses one cluster, and one test stops and starts it:
/// that one holds [`SERVER`] for writing ([`server_alone`]), every [`TestEnv`] for reading.
static SERVER: std::sync::RwLock<()> = std::sync::RwLock::new(());

/// This thread's hold on [`SERVER`].
struct Shares {
    /// How many [`ServerShare`]s of this thread are alive.
    count: usize,
    /// The read guard they share: taken once per thread, since a second `read` while a writer
    /// waits would wait for that writer forever.
    guard: Option<std::sync::RwLockReadGuard<'static, ()>>,
    /// This thread holds [`SERVER`] for writing ([`server_alone`]): its shares take nothing.
    alone: bool,
}

thread_local! {
    static SHARES: std::cell::RefCell<Shares> =
        const { std::cell::RefCell::new(Shares { count: 0, guard: None, alone: false }) };
}

/// A share of the test cluster; released on the thread that took it (hence `!Send`).
pub struct ServerShare(std::marker::PhantomData<std::sync::MutexGuard<'static, ()>>);

impl ServerShare {
    fn take() -> ServerShare {
        SHARES.with(|s| {
            let mut s = s.borrow_mut();
            if s.count == 0 && !s.alone {
                s.guard = Some(SERVER.read().unwrap_or_else(|p| p.into_inner()));
            }
            s.count += 1;
        });
        ServerShare(std::marker::PhantomData)
    }
}

impl Drop for ServerShare {
    fn drop(&mut self) {
        SHARES.with(|s| {
            let mut s = s.borrow_mut();
            s.count -= 1;
            if s.count == 0 {
                s.guard = None;
            }
        });
    }
}

/// The cluster to this test alone, until the guard drops: for stopping and starting it.
pub struct ServerAlone(#[allow(dead_code)] std::sync::RwLockWriteGuard<'static, ()>);

pub fn server_alone() -> ServerAlone {
    let guard = SERVER.write().unwrap_or_else(|p| p.into_inner());
    SHARES.with(|s| s.borrow_mut().alone = true);
    ServerAlone(guard)
}

impl Drop for ServerAlone {
    fn drop(&mut self) {
        SHARES.with(|s| s.borrow_mut().alone = false);
    }
}

/// Which backend the suite runs on: `SMSCTL_TEST_BACKEND=postgres` (inside
/// `scripts/pg-session.sh`, which sets `SMSCTL_TEST_PG_URL`), else SQLite.
pub fn on_postgres() -> bool {
    std::env::var("SMSCTL_TEST_BACKEND").is_ok_and(|b| b == "postgres")
}

/// The cluster's superuser URL (`scripts/pg-session.sh` sets it).
pub fn pg_admin_url() -> String {
    std::env::var("SMSCTL_TEST_PG_URL").expect("SMSCTL_TEST_BACKEND=postgres needs SMSCTL_TEST_PG_URL: run inside scripts/pg-session.sh")
}

/// For a test of SQLite's file itself (tampering with it, its bytes, its pragmas): `true`,
/// and a note on stderr, when the suite runs on PostgreSQL, where the file does not exist.
pub fn sqlite_only(what: &str) -> bool {
    if on_postgres() {
        eprintln!("skipped on PostgreSQL: {what} is a property of the SQLite file");
        return true;
    }
    false
}

fn pg_admin() -> smsctl::store::Conn {
    smsctl::store::pg::Target::parse(&pg_admin_url())
        .and_then(|t| t.connect())
        .expect("connect to the test cluster")
}

/// A new, empty database on the test cluster; returns its name and URL.
pub fn new_pg_database() -> (String, String) {
    let name = format!("t_{:016x}", rand_u64());
    pg_admin()
        .execute_batch(&format!("CREATE DATABASE {name}"))
        .expect("create test database");
    let url = smsctl::store::pg::with_database(&pg_admin_url(), &name);
    (name, url)
}

pub fn drop_pg_database(name: &str) {
    let _ = pg_admin().execute_batch(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
}

/// Drops a role a test created on the cluster (after `DROP OWNED BY` in each database it has rights in).
pub fn drop_pg_role(name: &str) {
    let _ = pg_admin().execute_batch(&format!("DROP ROLE IF EXISTS {name}"));
}

fn rand_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos(),
    );
    h.write_u32(std::process::id());
    h.finish()
}

impl Drop for TestEnv {
    fn drop(&mut self) {
        if let Some(name) = self.pg_database.take() {
            drop_pg_database(&name);
        }
    }
}

impl TestEnv {
    /// On PostgreSQL, the name of this test's database.
    pub fn pg_database(&self) -> Option<&str> {
        self.pg_database.as_deref()
    }

    pub fn new() -> TestEnv {
        let dir = tempfile::tempdir().expect("temp dir");
        if on_postgres() {
            let share = ServerShare::take();
            let (name, url) = new_pg_database();
            return TestEnv {
                dir,
                db: PathBuf::from(url),
                pg_database: Some(name),
                _server: Some(share),
            };
        }
        let db = dir.path().join("smsctl.db");
        TestEnv {
            dir,
            db,
            pg_database: None,
            _server: None,
        }
    }

    /// `smsctl` against this env's store, no TTY, no inherited configuration.
    pub fn cmd(&self) -> Command {
        Command::from_std(self.std_cmd())
    }

    /// [`TestEnv::cmd`] with the clock `ahead` (a duration such as `2h`) of the system clock:
    /// how tests see expiry and grace end without waiting for them.
    pub fn cmd_ahead(&self, ahead: &str) -> Command {
        let mut cmd = self.cmd();
        cmd.env(CLOCK_AHEAD, ahead);
        cmd
    }

    /// Runs and expects success; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.cmd().args(args).output().expect("run");
        assert!(
            out.status.success(),
            "smsctl {args:?} failed ({:?}):\nstdout: {}\nstderr: {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8 stdout")
    }

    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        let mut all = args.to_vec();
        all.push("--json");
        serde_json::from_str(&self.ok(&all)).expect("valid JSON")
    }

    /// Creates a key and returns (id, secret).
    pub fn create_key(&self, name: &str, extra: &[&str]) -> (String, String) {
        let mut args = vec!["key", "create", name];
        args.extend_from_slice(extra);
        let v = self.json(&args);
        (v["id"].as_str().unwrap().to_owned(), v["secret"].as_str().unwrap().to_owned())
    }

    /// Runs a command that must fail with `code`, print `message` on stderr, and leave the store as it was.
    pub fn fails(&self, args: &[&str], code: i32, message: &str) -> String {
        self.fails_with_stdin(args, None, code, message)
    }

    pub fn fails_with_stdin(&self, args: &[&str], stdin: Option<&str>, code: i32, message: &str) -> String {
        let before = self.dump();
        let mut cmd = self.cmd();
        cmd.args(args);
        if let Some(input) = stdin {
            cmd.write_stdin(input);
        }
        let out = cmd.output().expect("run");
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(out.status.code(), Some(code), "smsctl {args:?}: wrong exit code; stderr: {stderr}");
        assert!(stderr.contains(message), "smsctl {args:?}: stderr lacks {message:?}:\n{stderr}");
        let json_error = serde_json::from_str::<serde_json::Value>(stderr.lines().last().unwrap_or(""))
            .ok()
            .filter(|v| v["error"]["exit_code"] == code && v["error"]["kind"].is_string());
        assert!(
            stderr.starts_with("smsctl: error: ")
                || stderr.contains("\nsmsctl: error: ")
                || stderr.starts_with("error:")
                || json_error.is_some(),
            "unexpected stderr shape: {stderr}"
        );
        assert_eq!(before, self.dump(), "smsctl {args:?} changed the store");
        stderr
    }

    /// The names `key list` shows, in its order.
    pub fn key_names(&self) -> Vec<String> {
        self.json(&["key", "list"])
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k["name"].as_str().unwrap().to_owned())
            .collect()
    }

    /// A textual dump of the whole store (schema, version and every row), like `sqlite3 .dump`.
    pub fn dump(&self) -> String {
        dump(&self.db)
    }
}

pub fn dump(path: &Path) -> String {
    if let Some(url) = path.to_str().filter(|p| p.starts_with("postgres://")) {
        return dump_pg(url);
    }
    if !path.exists() {
        return "<no store>".into();
    }
    let conn = Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).expect("open store");
    let mut out = String::new();
    let version: i64 = conn.query_row("PRAGMA user_version", (), |r| r.get(0)).unwrap();
    out.push_str(&format!("user_version={version}\n"));
    let mut stmt = conn
        .prepare("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name")
        .unwrap();
    let objects: Vec<(String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    for (name, sql) in &objects {
        out.push_str(sql);
        out.push('\n');
        if !sql.starts_with("CREATE TABLE") {
            continue;
        }
        let mut rows = conn.prepare(&format!("SELECT * FROM \"{name}\" ORDER BY rowid")).unwrap();
        let n = rows.column_count();
        let mut q = rows.query([]).unwrap();
        while let Some(row) = q.next().unwrap() {
            let vals: Vec<String> = (0..n).map(|i| format!("{:?}", row.get_ref(i).unwrap())).collect();
            out.push_str(&format!("  {name}: {}\n", vals.join(", ")));
        }
    }
    out
}

/// Whether a store exists at `path`: the file, or smsctl's schema in the test database.
pub fn store_exists(path: &Path) -> bool {
    smsctl::store::location_exists(path).expect("reach the store")
}

/// A read-write connection to the store behind `path`, on either backend, for tests that
/// look at or change rows directly.
pub fn open_store(path: &Path) -> smsctl::store::Conn {
    if let Some(url) = path.to_str().filter(|p| p.starts_with("postgres://")) {
        return smsctl::store::pg::Target::parse(url).and_then(|t| t.connect()).expect("connect");
    }
    smsctl::store::Conn::sqlite(Connection::open(path).expect("open store"))
}

/// Sets the schema version the store records (to fake a store from a newer smsctl).
pub fn set_schema_version(path: &Path, version: i64) {
    if let Some(url) = path.to_str().filter(|p| p.starts_with("postgres://")) {
        let conn = smsctl::store::pg::Target::parse(url).and_then(|t| t.connect()).expect("connect");
        conn.execute("UPDATE schema_version SET version = ?1", [version]).unwrap();
        return;
    }
    let conn = Connection::open(path).unwrap();
    conn.pragma_update(None, "user_version", version).unwrap();
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)").unwrap();
}

/// As [`dump`], for a PostgreSQL store: its schema description, then every row of every table.
pub fn dump_pg(url: &str) -> String {
    let conn = smsctl::store::pg::Target::parse(url).and_then(|t| t.connect()).expect("connect");
    let mut out = smsctl::store::pg::describe(&conn).expect("describe");
    let tables: Vec<String> = conn
        .prepare("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")
        .unwrap()
        .query_map((), |r| r.get(0))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    if tables.is_empty() {
        return "<no store>".into();
    }
    for table in tables {
        let rows: Vec<String> = conn
            .prepare(&format!("SELECT * FROM \"{table}\" ORDER BY 1"))
            .unwrap()
            .query_map((), |r| {
                Ok((0..r.column_count())
                    .map(|i| format!("{:?}", r.value(i).unwrap()))
                    .collect::<Vec<_>>()
                    .join(", "))
            })
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        for row in rows {
            out.push_str(&format!("  {table}: {row}\n"));
        }
    }
    out
}

/// The raw bytes of the store and its WAL, for "the secret is not on disk" checks.
/// On PostgreSQL: every row of every table, as [`dump_pg`] prints them.
pub fn store_bytes(path: &Path) -> Vec<u8> {
    if let Some(url) = path.to_str().filter(|p| p.starts_with("postgres://")) {
        return dump_pg(url).into_bytes();
    }
    let mut bytes = std::fs::read(path).unwrap_or_default();
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    bytes.extend(std::fs::read(PathBuf::from(wal)).unwrap_or_default());
    bytes
}

pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// One request as the mock API saw it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub authorization: Option<String>,
    /// `X-Messente-Signature`, as a webhook receiver gets it.
    pub signature: Option<String>,
    pub body: String,
}

/// A loopback HTTP server answering every request with a fixed status, body and headers.
pub struct MockApi {
    pub url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
    _server: Arc<tiny_http::Server>,
}

impl MockApi {
    pub fn start(status: u16, body: &str, headers: &[(&str, &str)], delay: Duration) -> MockApi {
        MockApi::start_at("127.0.0.1:0", status, body, headers, delay)
    }

    /// Like [`MockApi::start`], listening on `addr` (e.g. a port a test reserved earlier).
    pub fn start_at(addr: &str, status: u16, body: &str, headers: &[(&str, &str)], delay: Duration) -> MockApi {
        let server = Arc::new(tiny_http::Server::http(addr).expect("bind"));
        let port = server.server_addr().to_ip().unwrap().port();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let (s2, seen2) = (server.clone(), seen.clone());
        let body = body.to_owned();
        let headers: Vec<tiny_http::Header> = headers
            .iter()
            .map(|(k, v)| tiny_http::Header::from_bytes(k.as_bytes(), v.as_bytes()).unwrap())
            .collect();
        std::thread::spawn(move || {
            for mut req in s2.incoming_requests() {
                let mut b = String::new();
                let _ = req.as_reader().read_to_string(&mut b);
                seen2.lock().unwrap().push(Seen {
                    method: req.method().to_string(),
                    path: req.url().to_owned(),
                    authorization: req
                        .headers()
                        .iter()
                        .find(|h| h.field.equiv("Authorization"))
                        .map(|h| h.value.to_string()),
                    signature: req
                        .headers()
                        .iter()
                        .find(|h| h.field.equiv("X-Messente-Signature"))
                        .map(|h| h.value.to_string()),
                    body: b,
                });
                std::thread::sleep(delay);
                let mut resp = tiny_http::Response::from_string(body.clone()).with_status_code(status);
                for h in &headers {
                    resp.add_header(h.clone());
                }
                let _ = req.respond(resp);
            }
        });
        MockApi {
            url: format!("http://127.0.0.1:{port}/v1"),
            seen,
            _server: server,
        }
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

impl TestEnv {
    /// Like [`TestEnv::cmd`], as a `std::process::Command`, for long-running children (the gateway).
    pub fn std_cmd(&self) -> std::process::Command {
        let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("smsctl"));
        for (k, _) in std::env::vars() {
            if k.starts_with("SMSCTL_") {
                cmd.env_remove(k);
            }
        }
        cmd.env("SMSCTL_DB", &self.db)
            .env("SMSCTL_ACTOR", "tester")
            .env("SMSCTL_KEYRING", "none")
            .env("HOME", self.dir.path())
            .env("XDG_DATA_HOME", self.dir.path().join("data"))
            .env("NO_COLOR", "1")
            .env_remove("DBUS_SESSION_BUS_ADDRESS")
            .env_remove("SMSCTL_COMPLETE");
        cmd
    }
}

/// A running `smsctl gateway serve` on a free port; killed on drop if still running.
pub struct Gateway {
    child: Option<std::process::Child>,
    pub addr: std::net::SocketAddr,
    /// `http://ADDR/v1`, what `--api-url` and the official clients take.
    pub url: String,
    log: Arc<Mutex<String>>,
}

impl Gateway {
    /// Starts the gateway with `args` after `gateway serve` (default `--listen 127.0.0.1:0`) and
    /// waits for its first stderr line, which names the bound address. `Err(stderr)` if it exits.
    pub fn start(env: &TestEnv, args: &[&str]) -> Result<Gateway, String> {
        Gateway::start_with_env(env, args, &[])
    }

    /// [`Gateway::start`] with extra environment variables (e.g. the relay's upstream credential).
    pub fn start_with_env(env: &TestEnv, args: &[&str], vars: &[(&str, &str)]) -> Result<Gateway, String> {
        use std::io::BufRead;
        let mut all = vec!["gateway", "serve"];
        if !args.contains(&"--listen") {
            all.extend(["--listen", "127.0.0.1:0"]);
        }
        all.extend_from_slice(args);
        let mut child = env
            .std_cmd()
            .envs(vars.iter().copied())
            .args(&all)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawn gateway");
        let stderr = child.stderr.take().expect("stderr");
        let log = Arc::new(Mutex::new(String::new()));
        let (first_tx, first_rx) = std::sync::mpsc::channel();
        let log2 = log.clone();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                log2.lock().unwrap().push_str(&format!("{line}\n"));
                let _ = first_tx.send(line);
            }
        });
        let first = first_rx.recv_timeout(Duration::from_secs(20));
        let addr = first.ok().and_then(|line| {
            let rest = line.split("listening on http://").nth(1)?;
            rest.split("/v1").next()?.parse().ok()
        });
        let Some(addr) = addr else {
            let _ = child.kill();
            let _ = child.wait();
            std::thread::sleep(Duration::from_millis(50));
            return Err(log.lock().unwrap().clone());
        };
        Ok(Gateway {
            child: Some(child),
            addr,
            url: format!("http://{addr}/v1"),
            log,
        })
    }

    /// Everything the gateway wrote to stderr so far.
    pub fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    pub fn pid(&self) -> u32 {
        self.child.as_ref().map(|c| c.id()).unwrap_or(0)
    }

    /// Sends `signal` (e.g. "TERM") without waiting for anything.
    pub fn signal(&self, signal: &str) {
        let sent = std::process::Command::new("kill")
            .args([format!("-{signal}"), self.pid().to_string()])
            .status()
            .expect("run kill");
        assert!(sent.success(), "kill -{signal} failed");
    }

    /// Sends `signal` (e.g. "TERM", "INT") and waits for the exit; returns the exit code and the log.
    pub fn stop(mut self, signal: &str) -> (Option<i32>, String) {
        let mut child = self.child.take().expect("running");
        let sent = std::process::Command::new("kill")
            .args([format!("-{signal}"), child.id().to_string()])
            .status()
            .expect("run kill");
        assert!(sent.success(), "kill -{signal} failed");
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        let status = loop {
            if let Some(status) = child.try_wait().expect("wait") {
                break status;
            }
            if std::time::Instant::now() > deadline {
                let _ = child.kill();
                panic!("gateway did not exit within 30s of SIG{signal}:\n{}", self.log());
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        // Let the stderr reader catch the last lines.
        std::thread::sleep(Duration::from_millis(100));
        (status.code(), self.log())
    }
}

impl Drop for Gateway {
    fn drop(&mut self) {
        if let Some(child) = self.child.as_mut() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// A plain HTTP client for the gateway tests: statuses come back as responses, redirects are
/// not followed, no proxy.
pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(Duration::from_secs(30)))
        .proxy(None)
        .build()
        .new_agent()
}

/// An HTTP Basic `Authorization` value.
pub fn basic(user: &str, password: &str) -> String {
    use base64::Engine;
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
    )
}

/// The statuses in a `GET /v1/omnimessage/{id}` answer's history, oldest first.
pub fn history_statuses(message: &serde_json::Value) -> Vec<&str> {
    message["history"]
        .as_array()
        .expect("a history array")
        .iter()
        .map(|e| e["status"].as_str().expect("a status"))
        .collect()
}

/// Polls `done` every 50 ms until it holds; fails the test after 20 s.
pub fn wait_for(what: &str, done: impl FnMut() -> bool) {
    wait_for_within(what, Duration::from_secs(20), done);
}

/// [`wait_for`] with its own limit.
pub fn wait_for_within(what: &str, limit: Duration, mut done: impl FnMut() -> bool) {
    let deadline = std::time::Instant::now() + limit;
    while !done() {
        assert!(std::time::Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}
