//! `smsctl gateway serve`: a local Omnimessage-compatible API that enforces the keys in the
//! store, so `smsctl send` and the provider's official client libraries have somewhere true to
//! send to.
//!
//! One thread per connection (capped), each with its own read connection to the store; one
//! writer thread that group-commits what requests record ([`recorder`]); a few workers that
//! deliver reports to webhooks ([`dlr`]). SIGINT/SIGTERM stop accepting, let open requests and
//! queued reports finish, and return normally (exit 0).

mod api;
mod dlr;
mod guard;
mod http;
pub mod lifecycle;
mod recorder;
pub mod relay;
mod wire;

/// The name refused logins with key ids that do not exist are counted under.
pub use guard::UNKNOWN_ID as UNKNOWN_KEY_ID;

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use crate::error::{Error, Result};
use crate::store::Store;
use crate::store::keys::printable;
use api::{Api, Handled};
use http::{Connection, Next, Timeouts};
use wire::ApiError;

pub use dlr::SIGNATURE_HEADER;
pub use wire::new_id;

/// How long shutdown waits for open connections before giving up on them.
const DRAIN_LIMIT: Duration = Duration::from_secs(30);
/// Connections over the cap that may linger at once after their 503 (each on a short-lived
/// thread); beyond this the 503 is written and the connection closed at once.
const MAX_REFUSING: usize = 32;
/// Idle read connections kept for reuse by later client connections.
const STORE_POOL: usize = 64;

#[derive(Debug, Clone)]
pub struct Config {
    /// `host:port`; port 0 picks a free one (the bound address is printed first on stderr).
    pub listen: String,
    pub db: PathBuf,
    /// Retries after a failed delivery-report attempt.
    pub dlr_retries: u32,
    /// How long the slow-delivery recipient (+447700900005) takes to be delivered, in ms.
    pub slow_delivery_ms: i64,
    /// Simultaneous connections; more are answered 503 and closed.
    pub max_connections: usize,
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
pub fn serve(config: &Config) -> Result<()> {
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
    eprintln!("smsctl gateway: listening on http://{local}/v1 (store {})", config.db.display());
    // On loopback a webhook receiver on 127.0.0.1 is the normal case; reachable from other
    // machines, a client could otherwise make the gateway POST into the local network.
    let loopback = local.ip().to_canonical().is_loopback();
    let allow_internal = loopback || config.allow_internal_webhooks;
    if !loopback {
        eprintln!("smsctl gateway: warning: {local} is reachable from other machines; the keys' IP whitelists still apply");
        if config.allow_internal_webhooks {
            eprintln!(
                "smsctl gateway: warning: --allow-internal-webhooks: delivery reports may go to loopback, private and link-local addresses"
            );
        } else {
            eprintln!(
                "smsctl gateway: delivery reports to loopback, private, link-local and other internal addresses are refused (--allow-internal-webhooks allows them)"
            );
        }
    }

    let stopping = Arc::new(AtomicBool::new(false));
    on_signal(Arc::clone(&stopping), wake_address(local))?;
    let recorder = recorder::Recorder::start(&config.db)?;
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
        api: Api::new(recorder.handle(), dispatcher.waker(), config.slow_delivery_ms, relay, idempotency),
        db: config.db.clone(),
        stores: Mutex::new(vec![first_store]),
        stopping: Arc::clone(&stopping),
        log_requests: config.log_requests,
        timeouts: Timeouts::default(),
    });
    let open = Arc::new(Gauge::default());
    let refusing = Arc::new(Gauge::default());
    let _ready = match &config.ready_file {
        Some(path) => Some(ReadyFile::write(path, &format!("http://{local}/v1"))?),
        None => None,
    };

    for incoming in listener.incoming() {
        if stopping.load(Ordering::SeqCst) {
            break;
        }
        let stream = match incoming {
            Ok(stream) => stream,
            Err(e) => {
                // E.g. out of file descriptors: keep serving the connections we have.
                eprintln!("smsctl gateway: accept failed: {e}");
                std::thread::sleep(Duration::from_millis(50));
                continue;
            }
        };
        let Some(slot) = Gauge::enter(&open, config.max_connections) else {
            refuse_busy(stream, config.max_connections, &refusing);
            continue;
        };
        let shared = Arc::clone(&shared);
        let spawned = std::thread::Builder::new().name("gateway-conn".into()).spawn(move || {
            let _slot = slot;
            serve_connection(&shared, stream);
        });
        if let Err(e) = spawned {
            eprintln!("smsctl gateway: cannot start a connection thread: {e}");
        }
    }
    drop(listener);
    if !open.wait_empty(DRAIN_LIMIT) {
        eprintln!("smsctl gateway: some connections did not finish within {DRAIN_LIMIT:?}; closing anyway");
    }
    dispatcher.finish();
    recorder.finish();
    eprintln!("smsctl gateway: stopped");
    Ok(())
}

struct Shared {
    api: Api,
    db: PathBuf,
    stores: Mutex<Vec<Store>>,
    stopping: Arc<AtomicBool>,
    log_requests: bool,
    timeouts: Timeouts,
}

impl Shared {
    /// A read connection for one client connection (rusqlite connections are not `Sync`).
    fn checkout(&self) -> Result<Store> {
        let pooled = self.stores.lock().unwrap_or_else(|p| p.into_inner()).pop();
        match pooled {
            Some(store) => Ok(store),
            None => Store::open(&self.db),
        }
    }

    fn checkin(&self, store: Store) {
        let mut stores = self.stores.lock().unwrap_or_else(|p| p.into_inner());
        if stores.len() < STORE_POOL {
            stores.push(store);
        }
    }

    /// One line per request on stderr: never the secret, never the Authorization header.
    fn log(&self, peer: IpAddr, method: &str, path: &str, handled: &Handled, started: Instant) {
        if !self.log_requests {
            return;
        }
        let mut line = format!(
            "{} {} {} {} {} key={} {:.1}ms",
            crate::time::format(crate::time::now()),
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
        eprintln!("{line}");
    }
}

fn serve_connection(shared: &Shared, stream: TcpStream) {
    let Ok(peer) = stream.peer_addr().map(|a| a.ip()) else {
        return;
    };
    let Ok(mut conn) = Connection::new(stream, shared.timeouts) else {
        return;
    };
    let store = match shared.checkout() {
        Ok(store) => store,
        Err(e) => {
            let handled = Handled::error(&ApiError::internal(500, "the gateway cannot open its store; see its log"));
            let _ = conn.respond(&handled.response, false, false, false);
            eprintln!("smsctl gateway: cannot open the store: {}", e.message);
            conn.linger_close();
            return;
        }
    };
    loop {
        match conn.next_request(&shared.stopping) {
            Next::Closed => break,
            Next::Reject { status, detail } => {
                let started = Instant::now();
                let handled = Handled::error(&ApiError::protocol(status, detail));
                let _ = conn.respond(&handled.response, false, false, false);
                shared.log(peer, "-", "-", &handled, started);
                shared.checkin(store);
                conn.linger_close();
                return;
            }
            Next::Request(req) => {
                let started = Instant::now();
                let handled = shared.api.handle(&req, peer, &store);
                let keep_alive = req.keep_alive && !shared.stopping.load(Ordering::SeqCst);
                let written = conn.respond(&handled.response, keep_alive, req.http10, req.method == "HEAD");
                shared.log(peer, &req.method, &req.path, &handled, started);
                if handled.wake_reports {
                    shared.api.reports.wake();
                }
                if written.is_err() || !keep_alive {
                    break;
                }
            }
        }
    }
    shared.checkin(store);
}

/// Over the connection cap: a 503, then the linger-close every rejected request gets, so the
/// client's unread request does not turn the close into a reset that destroys the 503. The
/// linger runs on its own short-lived thread (at most [`MAX_REFUSING`]), never in the accept loop.
fn refuse_busy(stream: TcpStream, max: usize, refusing: &Arc<Gauge>) {
    let Some(slot) = Gauge::enter(refusing, MAX_REFUSING) else {
        answer_busy(stream, max, false);
        return;
    };
    let spawned = std::thread::Builder::new().name("gateway-busy".into()).spawn(move || {
        let _slot = slot;
        answer_busy(stream, max, true);
    });
    if let Err(e) = spawned {
        eprintln!("smsctl gateway: cannot start a thread to refuse a connection: {e}");
    }
}

fn answer_busy(stream: TcpStream, max: usize, linger: bool) {
    let timeouts = Timeouts {
        request: Duration::from_secs(1),
        ..Timeouts::default()
    };
    if let Ok(mut conn) = Connection::new(stream, timeouts) {
        let mut handled = Handled::error(&ApiError::internal(
            503,
            format!("the gateway is at its limit of {max} connections; retry shortly"),
        ));
        handled.response.headers.push(("Retry-After", "1".to_owned()));
        let _ = conn.respond(&handled.response, false, false, false);
        if linger {
            conn.linger_close();
        }
    }
}

/// The `--ready-file`: the API base URL, for scripts; removed when the gateway exits.
struct ReadyFile(PathBuf);

impl ReadyFile {
    fn write(path: &std::path::Path, url: &str) -> Result<ReadyFile> {
        use std::io::Write;
        let mut f = crate::private_fs::create_new(path).map_err(|e| {
            Error::usage(format!("cannot create --ready-file {}: {e}", path.display())).hint("give a new path in an existing directory")
        })?;
        f.write_all(format!("{url}\n").as_bytes())
            .and_then(|_| f.sync_all())
            .map_err(|e| Error::failure(format!("cannot write --ready-file {}: {e}", path.display())))?;
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

/// Where to connect to wake the accept loop: the bound address, or loopback for a wildcard.
fn wake_address(local: SocketAddr) -> SocketAddr {
    let ip = match local.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    SocketAddr::new(ip, local.port())
}

/// First signal: stop accepting and drain. Second: quit at once.
fn on_signal(stopping: Arc<AtomicBool>, wake: SocketAddr) -> Result<()> {
    ctrlc::set_handler(move || {
        if stopping.swap(true, Ordering::SeqCst) {
            eprintln!("smsctl gateway: second signal, quitting without draining");
            std::process::exit(130);
        }
        eprintln!("smsctl gateway: stopping: finishing open requests and queued reports (signal again to quit at once)");
        // The accept loop is blocked in accept(); a connection of our own wakes it.
        let _ = TcpStream::connect_timeout(&wake, Duration::from_secs(1));
    })
    .map_err(|e| Error::failure(format!("cannot install the SIGINT/SIGTERM handler: {e}")))
}

/// Counts open connections; shutdown waits for it to reach zero.
#[derive(Default)]
struct Gauge {
    open: Mutex<usize>,
    changed: Condvar,
}

/// One open connection; dropping it (when its thread ends, or fails to start) frees the slot.
struct Slot(Arc<Gauge>);

impl Gauge {
    fn enter(gauge: &Arc<Gauge>, max: usize) -> Option<Slot> {
        let mut open = gauge.open.lock().unwrap_or_else(|p| p.into_inner());
        if *open >= max {
            return None;
        }
        *open += 1;
        Some(Slot(Arc::clone(gauge)))
    }

    /// Waits until no connection is open; `false` if `limit` passed first.
    fn wait_empty(&self, limit: Duration) -> bool {
        let open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        let (open, _) = self
            .changed
            .wait_timeout_while(open, limit, |n| *n > 0)
            .unwrap_or_else(|p| p.into_inner());
        *open == 0
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut open = self.0.open.lock().unwrap_or_else(|p| p.into_inner());
        *open -= 1;
        self.0.changed.notify_all();
    }
}
