//! `smsctl gateway serve`: a local Omnimessage-compatible API that enforces the keys in the
//! store, so `smsctl send` and the provider's official client libraries have somewhere true to
//! send to.
//!
//! Connections live on a small tokio runtime ([`server`] frames them): an idle keep-alive
//! connection costs a file descriptor and a parked task. A single send is handled on the event
//! loop up to its commit, which it awaits without holding a thread ([`Api::begin_send`]); every
//! other request goes to a bounded pool of blocking threads that run [`Api::handle`], a plain
//! function of request → response over a pooled read connection to the store. What
//! authentication reads is kept in memory ([`cache`]: no store read on the hot path, key
//! changes seen within ~100 ms); one writer thread group-commits what requests record
//! ([`recorder`]); workers deliver reports to webhooks ([`dlr`]). Connections are capped in
//! total and per client address ([`conns`]); over a cap the connection idle the longest is
//! closed to make room, and only when none is idle is the newcomer refused with 503.
//! SIGINT/SIGTERM stop accepting, let open requests and due reports finish for at most
//! `--drain-timeout`, and return normally (exit 0); what is left stays queued in the store.

mod api;
mod cache;
mod conns;
mod dlr;
mod guard;
pub(crate) mod lifecycle;
mod recorder;
pub(crate) mod relay;
mod server;

/// The name refused logins with key ids that do not exist are counted under.
pub(crate) use guard::UNKNOWN_ID as UNKNOWN_KEY_ID;

use std::net::{IpAddr, TcpListener};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::watch;

use crate::error::{Error, Result};
use crate::omni::ApiError;
use crate::store::keys::printable;
use crate::store::{Store, StoreAt};
use crate::time::Millis;
use api::{Api, Handled};
use conns::{Conns, Full, Ticket};
use server::{Connection, Next, Timeouts};

pub(crate) use crate::omni::new_id;
pub(crate) use dlr::SIGNATURE_HEADER;

/// Connections over a cap that may linger at once after their 503; beyond this the 503 is
/// written and the connection closed at once.
const MAX_REFUSING: usize = 1024;
/// Idle read connections kept for reuse by the request handlers.
const STORE_POOL: usize = 64;
/// Threads that run request handlers (each blocks on the store, and on the group commit of
/// what it records: many of them in flight is what fills a commit).
const HANDLERS: usize = 64;
/// Threads of the event loop.
const IO_THREADS: usize = 2;

#[derive(Debug, Clone)]
pub(crate) struct Config {
    /// `host:port`; port 0 picks a free one (the bound address is printed first on stderr).
    pub listen: String,
    /// The store, and where its audit key is looked up (the command's context's places).
    pub db: StoreAt,
    /// Retries after a failed delivery-report attempt.
    pub dlr_retries: u32,
    /// How long the slow-delivery recipient (+447700900005) takes to be delivered.
    pub slow_delivery: Millis,
    /// Simultaneous connections; over it the longest-idle one is closed, or the newcomer
    /// answered 503 when none is idle.
    pub max_connections: usize,
    /// The same, per client address.
    pub max_connections_per_ip: usize,
    /// How long SIGINT/SIGTERM waits for open requests and due reports.
    pub drain_timeout: Duration,
    /// One stderr line per request.
    pub log_requests: bool,
    /// Deliver reports to loopback/private/link-local webhooks even when listening on a
    /// non-loopback address (on loopback they are always allowed).
    pub allow_internal_webhooks: bool,
    /// `--ready-file`: written (a new 0600 file) with the API base URL once requests are
    /// served, removed on exit.
    pub ready_file: Option<PathBuf>,
    /// `--upstream`: relay mode (see [`relay`]); `None`: the sandbox.
    pub relay: Option<relay::Settings>,
}

/// Serves until SIGINT/SIGTERM, then drains and returns `Ok`.
pub(crate) fn serve(config: &Config) -> Result<()> {
    // Bind first, so a bad address fails before the store is created; then a too-new or
    // corrupt store fails here, with its own exit code, before anything is served.
    if let Some(f) = config.ready_file.as_deref().filter(|f| std::fs::symlink_metadata(f).is_ok()) {
        return Err(Error::usage(format!("--ready-file {} already exists", f.display()))
            .hint("remove the stale file first, or give a new path; it is written only once the gateway serves"));
    }
    let listener = bind(&config.listen)?;
    // The gateway's connections must all see one file, so a missing store is created now.
    let first_store = Store::open_or_create(&config.db)?;
    let local = listener
        .local_addr()
        .map_err(|e| Error::network(format!("cannot read the listening address: {e}")))?;
    // Said once everything below is up (clients and tests wait for this line), and first.
    let listening = format!(
        "smsctl gateway: listening on http://{local}/v1 (store {})",
        crate::store::display_location(&config.db.path)
    );
    let mut notes = Vec::new();
    // On loopback a webhook receiver on 127.0.0.1 is the normal case; reachable from other
    // machines, a client could otherwise make the gateway POST into the local network.
    let loopback = local.ip().to_canonical().is_loopback();
    let allow_internal = loopback || config.allow_internal_webhooks;
    if !loopback {
        notes.push(format!(
            "smsctl gateway: warning: {local} is reachable from other machines; the keys' IP whitelists still apply"
        ));
        if config.allow_internal_webhooks {
            notes.push(
                "smsctl gateway: warning: --allow-internal-webhooks: delivery reports may go to loopback, private and link-local addresses"
                    .to_owned(),
            );
        } else {
            notes.push(
                "smsctl gateway: delivery reports to loopback, private, link-local and other internal addresses are refused (--allow-internal-webhooks allows them)"
                    .to_owned(),
            );
        }
    }
    raise_fd_limit(config.max_connections);

    let (stop_tx, stop_rx) = watch::channel(false);
    on_signal(stop_tx)?;
    let recorder = recorder::Recorder::start(&config.db)?;
    let cache = cache::KeyCache::start(&config.db)?;
    // The writer and the cache are up: say so first (clients and tests wait for this line);
    // what starts below prints its own lines after it.
    eprintln!("{listening}");
    for note in notes {
        eprintln!("{note}");
    }
    let dispatcher = dlr::Dispatcher::start(&config.db, config.dlr_retries, allow_internal)?;
    let relay = match &config.relay {
        Some(settings) => {
            let relay = relay::Relay::start(settings, local, &config.db, recorder.handle())?;
            eprintln!(
                "smsctl gateway: relay mode: forwarding to {} as '{}' (credential from {}); reports come back to {}",
                relay.upstream(),
                settings.credential.username,
                settings.credential_source,
                relay.callback()
            );
            Some(relay)
        }
        None => None,
    };
    let idempotency = relay::Idempotency::new(recorder.handle());
    let shared = Arc::new(Shared {
        api: Api::new(
            recorder.handle(),
            cache,
            dispatcher.waker(),
            config.slow_delivery,
            relay,
            idempotency,
        ),
        db: config.db.clone(),
        inline: first_store.conn().backend() == crate::store::Backend::Sqlite,
        stores: Mutex::new(vec![first_store]),
        log_requests: config.log_requests,
        timeouts: Timeouts::default(),
        conns: Conns::new(config.max_connections, config.max_connections_per_ip),
        refusing: AtomicUsize::new(0),
        stop: stop_rx,
    });
    let _ready = match &config.ready_file {
        Some(path) => Some(ReadyFile::write(path, &format!("http://{local}/v1"))?),
        None => None,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(IO_THREADS)
        .max_blocking_threads(HANDLERS)
        .thread_name("gateway-io")
        .enable_io()
        .enable_time()
        .build()
        .map_err(|e| Error::failure(format!("cannot start the gateway's event loop: {e}")))?;
    let drained = runtime.block_on(run(Arc::clone(&shared), listener, config.drain_timeout));
    let drain_deadline = drained?;
    runtime.shutdown_timeout(Duration::from_millis(100));
    dispatcher.finish(drain_deadline);
    recorder.finish();
    eprintln!("smsctl gateway: stopped");
    Ok(())
}

/// Accepts until the stop signal, then waits (at most `drain`) for open connections; returns
/// the drain's deadline, which the report dispatcher shares.
async fn run(shared: Arc<Shared>, listener: TcpListener, drain: Duration) -> Result<Instant> {
    listener
        .set_nonblocking(true)
        .map_err(|e| Error::network(format!("cannot listen: {e}")))?;
    let listener = tokio::net::TcpListener::from_std(listener).map_err(|e| Error::network(format!("cannot listen: {e}")))?;
    let mut stop = shared.stop.clone();
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            _ = stop.wait_for(|s| *s) => break,
        };
        let (stream, addr) = match accepted {
            Ok(accepted) => accepted,
            Err(e) => {
                // E.g. out of file descriptors: keep serving the connections we have.
                eprintln!("smsctl gateway: accept failed: {e}");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let peer = addr.ip();
        match Conns::admit(&shared.conns, peer) {
            Ok(ticket) => {
                tokio::spawn(serve_connection(Arc::clone(&shared), stream, peer, ticket));
            }
            Err(full) => refuse_busy(&shared, stream, full),
        }
    }
    drop(listener);
    let deadline = Instant::now() + drain;
    while shared.conns.open() > 0 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    if shared.conns.open() > 0 {
        eprintln!("smsctl gateway: some connections did not finish within {drain:?}; closing anyway");
    }
    Ok(deadline)
}

struct Shared {
    /// Whether common sends may run on the event loop: with SQLite only. rust-postgres's
    /// synchronous client drives a runtime of its own, which cannot block inside this one,
    /// so on PostgreSQL every request runs on the blocking pool.
    inline: bool,
    api: Api,
    db: StoreAt,
    stores: Mutex<Vec<Store>>,
    log_requests: bool,
    timeouts: Timeouts,
    conns: Arc<Conns>,
    /// Connections lingering after their 503.
    refusing: AtomicUsize,
    stop: watch::Receiver<bool>,
}

impl Shared {
    /// A read connection for one request (rusqlite connections are not `Sync`).
    fn checkout(&self) -> Result<Store> {
        let pooled = self.stores.lock().unwrap_or_else(|p| p.into_inner()).pop();
        match pooled {
            Some(store) => Ok(store),
            None => self.db.open(),
        }
    }

    fn checkin(&self, store: Store) {
        if store.conn().is_broken() {
            return;
        }
        let mut stores = self.stores.lock().unwrap_or_else(|p| p.into_inner());
        if stores.len() < STORE_POOL {
            stores.push(store);
        }
    }

    fn stopping(&self) -> bool {
        *self.stop.borrow()
    }

    /// Runs the handler on a blocking thread with a pooled store connection.
    fn handle(&self, req: &server::Request, peer: IpAddr) -> Handled {
        match self.checkout() {
            Ok(store) => {
                let handled = self.api.handle(req, peer, &store);
                self.checkin(store);
                handled
            }
            Err(e) => store_unavailable(&e),
        }
    }

    /// [`Api::begin_send`] with a pooled store connection, on the calling (event-loop) thread.
    fn begin_send(&self, req: &server::Request, peer: IpAddr) -> std::result::Result<api::PendingSend, Handled> {
        let store = self.checkout().map_err(|e| store_unavailable(&e))?;
        let begun = self.api.begin_send(req, peer, &store);
        self.checkin(store);
        begun
    }

    /// One line per request on stderr: never the secret, never the Authorization header.
    fn log(&self, peer: IpAddr, method: &str, path: &str, handled: &Handled, started: Instant) {
        if !self.log_requests {
            return;
        }
        let mut line = format!(
            "{} {} {} {} {} key={} {:.1}ms",
            log_time(),
            peer.to_canonical(),
            printable(method),
            printable(path),
            handled.response.status,
            handled.key_id.as_deref().unwrap_or("-"),
            started.elapsed().as_secs_f64() * 1000.0
        );
        if let Some(note) = &handled.note {
            line.push_str(&format!(" ({note})"));
        }
        // One write per line: `eprintln!` writes the newline separately to the unbuffered stderr.
        line.push('\n');
        let _ = std::io::Write::write_all(&mut std::io::stderr().lock(), line.as_bytes());
    }
}

/// The request log's time (`time::format`, to the second), formatted once a second per thread.
fn log_time() -> String {
    thread_local! {
        static CACHED: std::cell::RefCell<(i64, String)> = const { std::cell::RefCell::new((i64::MIN, String::new())) };
    }
    let now = crate::time::now();
    let second = now.as_i64().div_euclid(1000);
    CACHED.with(|cached| {
        let mut cached = cached.borrow_mut();
        if cached.0 != second {
            *cached = (second, crate::time::format(now));
        }
        cached.1.clone()
    })
}

/// The 500 of a request for which no store connection could be opened.
fn store_unavailable(e: &Error) -> Handled {
    let error = if crate::store::pg::is_unavailable(&e.message) {
        ApiError::unavailable("the gateway cannot reach its store right now; retry")
    } else {
        ApiError::internal(500, "the gateway cannot open its store; see its log")
    };
    let mut handled = Handled::error(&error);
    handled.note = Some(format!("store: {}", e.message));
    handled
}

async fn serve_connection(shared: Arc<Shared>, stream: tokio::net::TcpStream, peer: IpAddr, ticket: Ticket) {
    let mut conn = Connection::new(stream, shared.timeouts);
    let mut stop = shared.stop.clone();
    loop {
        // Between requests: the connection gives way to shutdown and to newcomers over a cap.
        if !ticket.set_idle(true) {
            return;
        }
        let ready = tokio::select! {
            biased;
            ready = conn.wait_for_request() => ready,
            _ = ticket.evicted() => false,
            _ = stop.wait_for(|s| *s) => false,
        };
        // Evicted while its next request was arriving: the newcomer has its place.
        if !ticket.set_idle(false) || !ready {
            return;
        }
        match conn.read_request().await {
            Next::Closed => return,
            Next::Reject { status, detail } => {
                let started = Instant::now();
                let handled = Handled::error(&ApiError::protocol(status, detail));
                let _ = conn.respond(&handled.response, false, false, false).await;
                shared.log(peer, "-", "-", &handled, started);
                conn.linger_close().await;
                return;
            }
            Next::Request(mut req) => {
                let started = Instant::now();
                let handled = if shared.inline && shared.api.inline(&req) {
                    // The common send: handled here, and only the commit is waited for.
                    match shared.begin_send(&req, peer) {
                        Ok(pending) => pending.finish().await,
                        Err(handled) => handled,
                    }
                } else {
                    let worker = Arc::clone(&shared);
                    let Ok((back, handled)) = tokio::task::spawn_blocking(move || {
                        let handled = worker.handle(&req, peer);
                        (req, handled)
                    })
                    .await
                    else {
                        return;
                    };
                    req = back;
                    handled
                };
                let keep_alive = req.keep_alive && !shared.stopping();
                let written = conn.respond(&handled.response, keep_alive, req.http10, req.method == "HEAD").await;
                shared.log(peer, &req.method, &req.path, &handled, started);
                if handled.wake_reports {
                    shared.api.reports.wake();
                }
                if written.is_err() || !keep_alive {
                    return;
                }
            }
        }
    }
}

/// Over a cap with no idle connection to close: a 503, then the linger-close every rejected
/// request gets, so the client's unread request does not turn the close into a reset that
/// destroys the 503 (at most [`MAX_REFUSING`] lingering at once).
fn refuse_busy(shared: &Arc<Shared>, stream: tokio::net::TcpStream, full: Full) {
    let detail = match full {
        Full::Total(max) => format!("the gateway is at its limit of {max} connections; retry shortly"),
        Full::PerIp(max) => format!("this address is at the gateway's limit of {max} connections; retry shortly"),
    };
    let linger = shared.refusing.fetch_add(1, Ordering::SeqCst) < MAX_REFUSING;
    let shared = Arc::clone(shared);
    tokio::spawn(async move {
        let timeouts = Timeouts {
            header: Duration::from_secs(1),
            write: Duration::from_secs(1),
            ..Timeouts::default()
        };
        let mut conn = Connection::new(stream, timeouts);
        let mut handled = Handled::error(&ApiError::internal(503, detail));
        handled.response.headers.push(("Retry-After", "1".to_owned()));
        let _ = conn.respond(&handled.response, false, false, false).await;
        if linger {
            conn.linger_close().await;
        }
        shared.refusing.fetch_sub(1, Ordering::SeqCst);
    });
}

/// The `--ready-file`: the API base URL, for scripts; removed when the gateway exits.
struct ReadyFile(PathBuf);

impl ReadyFile {
    fn write(path: &std::path::Path, url: &str) -> Result<ReadyFile> {
        use std::io::Write;
        let cannot_create = |e: &dyn std::fmt::Display| {
            Error::usage(format!("cannot create --ready-file {}: {e}", path.display())).hint("give a new path in an existing directory")
        };
        // Written in full beside it, then linked into place: a script that sees the file
        // reads the whole URL, never an empty or half-written file.
        let staging = crate::private_fs::Staging::beside(path).map_err(|e| cannot_create(&e))?;
        let staged = staging.file("ready");
        let mut f = crate::private_fs::create_new(&staged).map_err(|e| cannot_create(&e))?;
        f.write_all(format!("{url}\n").as_bytes())
            .and_then(|_| f.sync_all())
            .map_err(|e| Error::failure(format!("cannot write --ready-file {}: {e}", path.display())))?;
        staging.publish("ready", path).map_err(|e| cannot_create(&e))?;
        Ok(ReadyFile(path.to_owned()))
    }
}

impl Drop for ReadyFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn bind(listen: &str) -> Result<TcpListener> {
    TcpListener::bind(listen).map_err(|e| {
        let hint = if e.kind() == std::io::ErrorKind::AddrInUse {
            "another process listens there (an earlier gateway?): stop it, pick another port, or --listen 127.0.0.1:0 for any free one"
        } else {
            "give host:port, e.g. --listen 127.0.0.1:8700, or port 0 for any free port"
        };
        if e.kind() == std::io::ErrorKind::InvalidInput {
            Error::usage(format!("invalid listen address '{}': {e}", printable(listen))).hint(hint)
        } else {
            Error::network(format!("cannot listen on {}: {e}", printable(listen))).hint(hint)
        }
    })
}

/// First signal: stop accepting and drain. Second: quit at once; queued reports stay in the
/// store (each accepted message and its reports were committed before its 201).
fn on_signal(stop: watch::Sender<bool>) -> Result<()> {
    ctrlc::set_handler(move || {
        if stop.send_replace(true) {
            eprintln!("smsctl gateway: second signal, quitting without draining; queued reports stay in the store");
            std::process::exit(130);
        }
        eprintln!("smsctl gateway: stopping: finishing open requests and due reports (signal again to quit at once)");
    })
    .map_err(|e| Error::failure(format!("cannot install the SIGINT/SIGTERM handler: {e}")))
}

#[cfg(not(unix))]
fn raise_fd_limit(_: usize) {}

/// Idle connections cost a file descriptor each: raise the soft limit towards the hard one.
#[cfg(unix)]
fn raise_fd_limit(max_connections: usize) {
    let want = (max_connections as u64).saturating_add(256);
    // SAFETY: getrlimit/setrlimit only read and write the struct passed to them.
    unsafe {
        let mut limit = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) != 0 || limit.rlim_cur >= want {
            return;
        }
        limit.rlim_cur = want.min(limit.rlim_max);
        let _ = libc::setrlimit(libc::RLIMIT_NOFILE, &limit);
        if limit.rlim_cur < want {
            eprintln!(
                "smsctl gateway: warning: the open-file limit ({}) is below --max-connections; accept will fail beyond it",
                limit.rlim_cur
            );
        }
    }
}
