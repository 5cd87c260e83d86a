//! Delivery reports: the queue is the store's `message_events` rows with a webhook and no
//! outcome (planned and signed when the message was accepted, see [`super::lifecycle`]). A
//! scheduler hands due reports, in order per message, to a pool of workers that POST the
//! stored body with its `X-Messente-Signature`; 200-399 is delivered, anything else is retried
//! with exponential back-off, and every outcome is written back, so nothing is lost on restart.
//!
//! Fairness: each key has at most [`PER_KEY`] reports in the workers' hands (its bounded
//! in-memory queue; the rest wait in the store), and due reports are taken round-robin across
//! keys. Attempts have short connect and response timeouts. So a webhook that accepts
//! connections and never answers ties up [`PER_KEY`] of the [`WORKERS`] workers and slows
//! only the key that chose it; there is no shared queue for it to fill.
//!
//! Only URLs that pass `settings::validate_dlr_url` are contacted (https, or plain http to
//! loopback), through `crate::omni::client`'s agent: redirects not followed, every attempt timed out.
//!
//! Any key holder chooses the webhook per request, so a gateway reachable from other machines
//! would otherwise POST wherever a client asks: loopback services, the private network, cloud
//! metadata. Unless internal webhooks are allowed (the gateway listens on loopback, or
//! `--allow-internal-webhooks`), the host is resolved before every attempt and the report is
//! refused when any address is internal ([`internal`]). The connection resolves again, so a
//! DNS answer that changes in between (rebinding) is not caught.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr, ToSocketAddrs};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::error::{Error, Result};
use crate::omni::client;
use crate::store::events::{self, DlrOutcome, Event};
use crate::store::{Store, StoreAt};
use crate::time::Millis;
use crate::{address, settings, time};

pub(super) const WORKERS: usize = 16;
/// Reports of one key in the workers' hands at once.
pub(super) const PER_KEY: usize = 2;
/// Reports handed to the workers at once; the rest wait in the store.
const IN_FLIGHT: usize = 64;
const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);
/// The whole attempt: connect, send, response.
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(4);
const BACKOFF_BASE: Millis = Millis::from_i64(250);
const BACKOFF_MAX: Millis = Millis::from_secs(5);
/// Shortest time between looks at the store.
const MIN_LOOK: Duration = Duration::from_millis(5);
/// Longest sleep between looks at the store (reports planned for later, retries).
const POLL: Duration = Duration::from_millis(200);

/// The signature header, as the provider names it.
pub(crate) const SIGNATURE_HEADER: &str = "X-Messente-Signature";

enum Msg {
    /// New reports may be due.
    Wake,
    /// A worker finished one attempt.
    Attempted { id: i64, attempts: i64, result: Attempt },
    /// Stop by this deadline: what is not delivered by then stays queued in the store.
    Stop(Instant),
}

/// One POST's result.
enum Attempt {
    /// 200-399: the provider's rule for "delivered".
    Delivered,
    /// A failure worth retrying (transport error, other status).
    Failed(String),
    /// Never tried, and never will be (invalid or internal URL).
    Refused(String),
}

/// The scheduler: looks for due reports in the store, hands them to the workers, records what
/// happened, schedules retries with back-off.
pub(super) struct Dispatcher {
    tx: Sender<Msg>,
    pending: Arc<AtomicBool>,
    thread: JoinHandle<()>,
}

/// What request threads hold to say "reports were queued".
#[derive(Clone)]
pub(super) struct Waker {
    tx: Sender<Msg>,
    /// A wake is already on its way: under load every accepted message asks for one, and one
    /// look at the store serves them all.
    pending: Arc<AtomicBool>,
}

impl Waker {
    pub(super) fn wake(&self) {
        if !self.pending.swap(true, Ordering::AcqRel) {
            let _ = self.tx.send(Msg::Wake);
        }
    }
}

impl Dispatcher {
    /// `allow_internal`: deliver to loopback, private and other internal addresses too.
    pub(super) fn start(db: &StoreAt, retries: u32, allow_internal: bool) -> Result<Dispatcher> {
        let mut store = db.open()?;
        let (tx, rx) = mpsc::channel();
        let pending = Arc::new(AtomicBool::new(false));
        let (jobs_tx, jobs_rx) = mpsc::channel::<Event>();
        let jobs_rx = Arc::new(Mutex::new(jobs_rx));
        let mut workers = Vec::with_capacity(WORKERS);
        for i in 0..WORKERS {
            let jobs_rx = Arc::clone(&jobs_rx);
            let done = tx.clone();
            let worker = std::thread::Builder::new()
                .name(format!("gateway-dlr-{i}"))
                .spawn(move || work(&jobs_rx, &done, allow_internal))
                .map_err(|e| Error::failure(format!("cannot start the delivery-report workers: {e}")))?;
            workers.push(worker);
        }
        let thread = std::thread::Builder::new()
            .name("gateway-dlr".into())
            .spawn({
                let pending = Arc::clone(&pending);
                move || {
                    schedule(&mut store, &rx, &pending, jobs_tx, retries);
                    // Workers still in an attempt are not waited for: their reports have no outcome
                    // in the store, so the next start sends them again.
                    drop(workers);
                }
            })
            .map_err(|e| Error::failure(format!("cannot start the delivery-report scheduler: {e}")))?;
        Ok(Dispatcher { tx, pending, thread })
    }

    pub(super) fn waker(&self) -> Waker {
        Waker {
            tx: self.tx.clone(),
            pending: Arc::clone(&self.pending),
        }
    }

    /// Delivers the reports due now (and those in flight) until `deadline`, then stops.
    /// Reports planned for later, retries not yet due and whatever the deadline cut off stay
    /// queued in the store for the next start.
    pub(super) fn finish(self, deadline: Instant) {
        let _ = self.tx.send(Msg::Stop(deadline));
        if self.thread.join().is_err() {
            eprintln!("smsctl gateway: the delivery-report scheduler panicked");
        }
    }
}

/// A report in the workers' hands.
struct Handed {
    key_id: String,
    /// For the log line.
    omnimessage_id: String,
    status: String,
}

fn schedule(store: &mut Store, rx: &Receiver<Msg>, pending: &AtomicBool, jobs: Sender<Event>, retries: u32) {
    let mut in_flight: HashMap<i64, Handed> = HashMap::new();
    let mut per_key: HashMap<String, usize> = HashMap::new();
    let mut stopping: Option<Instant> = None;
    let mut last_look: Option<Instant> = None;
    loop {
        // At most one look at the store per MIN_LOOK: under load, wakes come with every
        // accepted message.
        if let Some(rest) = last_look.and_then(|at| MIN_LOOK.checked_sub(at.elapsed())) {
            std::thread::sleep(rest);
        }
        last_look = Some(Instant::now());
        // Wakes from now on ask for another look; this one covers those before.
        pending.store(false, Ordering::Release);
        if stopping.is_some_and(|deadline| Instant::now() >= deadline) {
            let unattempted: Vec<i64> = in_flight.keys().copied().collect();
            if store.conn().backend() == crate::store::Backend::Postgres && !unattempted.is_empty() {
                let _ = store.write(|tx| events::release_claims(tx, &unattempted, time::now()));
            }
            let left = events::queued_count(store.conn()).unwrap_or(0);
            eprintln!("smsctl gateway: drain deadline reached; {left} report(s) stay queued for the next start");
            break;
        }
        let now = time::now();
        let due = if in_flight.len() < IN_FLIGHT {
            events::due_reports_fair(store.conn(), now, PER_KEY as u32, IN_FLIGHT as u32).unwrap_or_else(|e| {
                eprintln!("smsctl gateway: cannot read the report queue: {}", e.message);
                Vec::new()
            })
        } else {
            Vec::new()
        };
        let mut handed = false;
        // What this look may hand out, within the in-flight and per-key limits...
        let mut picked = Vec::new();
        let mut picked_per_key: HashMap<String, usize> = HashMap::new();
        for (key_id, event) in due {
            let busy = per_key.get(&key_id).copied().unwrap_or(0) + picked_per_key.get(&key_id).copied().unwrap_or(0);
            if in_flight.len() + picked.len() >= IN_FLIGHT || busy >= PER_KEY || in_flight.contains_key(&event.id) {
                continue;
            }
            *picked_per_key.entry(key_id.clone()).or_insert(0) += 1;
            picked.push((key_id, event));
        }
        // ...and of that, what no other node took first.
        for (key_id, event) in claimed(store, picked, now) {
            *per_key.entry(key_id.clone()).or_insert(0) += 1;
            in_flight.insert(
                event.id,
                Handed {
                    key_id,
                    omnimessage_id: event.omnimessage_id.clone(),
                    status: event.status.clone(),
                },
            );
            handed = true;
            if jobs.send(event).is_err() {
                return;
            }
        }
        if stopping.is_some() && in_flight.is_empty() && !handed {
            break;
        }
        let wait = match events::next_due(store.conn()) {
            Ok(Some(at)) if at > now => (at - now).to_std().min(POLL),
            Ok(Some(_)) if in_flight.is_empty() => Duration::from_millis(10),
            _ => POLL,
        };
        let wait = stopping.map_or(wait, |deadline| wait.min(deadline.saturating_duration_since(Instant::now())));
        // Everything that arrived is taken before the next look at the store: under load every
        // accepted message wakes the scheduler, and one look serves them all.
        let mut next = rx.recv_timeout(wait);
        loop {
            match next {
                Ok(Msg::Attempted { id, attempts, result }) => {
                    let what = match in_flight.remove(&id) {
                        Some(done) => {
                            if let Some(n) = per_key.get_mut(&done.key_id) {
                                *n -= 1;
                                if *n == 0 {
                                    per_key.remove(&done.key_id);
                                }
                            }
                            format!("{} report for {}", done.status, done.omnimessage_id)
                        }
                        None => format!("report {id}"),
                    };
                    record(store, id, &what, attempts, result, retries);
                }
                Ok(Msg::Wake) => {}
                Ok(Msg::Stop(deadline)) => stopping = Some(deadline),
                Err(mpsc::RecvTimeoutError::Timeout) => break,
                Err(mpsc::RecvTimeoutError::Disconnected) => return,
            }
            next = rx.try_recv().map_err(|e| match e {
                mpsc::TryRecvError::Empty => mpsc::RecvTimeoutError::Timeout,
                mpsc::TryRecvError::Disconnected => mpsc::RecvTimeoutError::Disconnected,
            });
        }
    }
    // Dropping `jobs` ends the workers.
}

/// How long a node's claim on a report lasts (PostgreSQL): longer than one attempt (2 s to
/// connect, 4 s in all); a claim that lapses while its report waits for a worker lets another
/// node deliver it too (at least once).
const CLAIM_LEASE: Millis = Millis::from_secs(10);

/// Which of `picked` this node may deliver: all on SQLite (one gateway per store); on
/// PostgreSQL, where other nodes work the same queue, those it claimed first.
fn claimed(store: &mut Store, picked: Vec<(String, events::Event)>, now: time::UnixMillis) -> Vec<(String, events::Event)> {
    if store.conn().backend() != crate::store::Backend::Postgres || picked.is_empty() {
        return picked;
    }
    let ids: Vec<i64> = picked.iter().map(|(_, e)| e.id).collect();
    match store.write(|tx| events::claim(tx, &ids, now, CLAIM_LEASE)) {
        Ok(got) => picked.into_iter().filter(|(_, e)| got.contains(&e.id)).collect(),
        Err(e) => {
            eprintln!("smsctl gateway: cannot claim reports: {}", e.message);
            Vec::new()
        }
    }
}

fn record(store: &mut Store, id: i64, report: &str, attempts: i64, result: Attempt, retries: u32) {
    let now = time::now();
    let finish = |store: &mut Store, attempts: i64, outcome: DlrOutcome| {
        let written = store.write(|tx| events::finish(tx, id, attempts, &outcome, now));
        (outcome.to_string(), written)
    };
    let (what, written) = match result {
        Attempt::Delivered => finish(store, attempts, DlrOutcome::Delivered),
        Attempt::Refused(why) => finish(store, attempts - 1, DlrOutcome::Refused(why)),
        Attempt::Failed(why) if attempts > i64::from(retries) => finish(store, attempts, DlrOutcome::Failed(why)),
        Attempt::Failed(why) => {
            let next = now + backoff(attempts);
            let written = store.write(|tx| events::retry_at(tx, id, attempts, next));
            (format!("retrying ({why})"), written)
        }
    };
    match written {
        Ok(()) => eprintln!("smsctl gateway: {report} {what} ({attempts} attempt(s))"),
        // Left queued: the next look at the store tries it again.
        Err(e) => eprintln!("smsctl gateway: cannot record the {report}: {}", e.message),
    }
}

/// Delay before retry number `attempts` (250 ms, 500 ms, 1 s, ..., at most 5 s).
fn backoff(attempts: i64) -> Millis {
    let shift = (attempts - 1).clamp(0, 16) as u32;
    Millis::from_i64(BACKOFF_BASE.as_i64() << shift).min(BACKOFF_MAX)
}

fn work(jobs: &Mutex<Receiver<Event>>, done: &Sender<Msg>, allow_internal: bool) {
    // Loopback webhooks bypass any proxy from the environment (the client's rule, crate::omni::client).
    let loopback = client::agent_with(ATTEMPT_TIMEOUT, CONNECT_TIMEOUT, true);
    let remote = client::agent_with(ATTEMPT_TIMEOUT, CONNECT_TIMEOUT, false);
    loop {
        let job = jobs.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).recv();
        let Ok(event) = job else { break };
        let result = attempt(&loopback, &remote, &event, allow_internal);
        let msg = Msg::Attempted {
            id: event.id,
            attempts: event.attempts + 1,
            result,
        };
        if done.send(msg).is_err() {
            break;
        }
    }
}

/// One POST of the stored body with its stored signature.
fn attempt(loopback: &ureq::Agent, remote: &ureq::Agent, event: &Event, allow_internal: bool) -> Attempt {
    let Some(url) = event.dlr_url.as_deref() else {
        return Attempt::Refused("no webhook".into());
    };
    // Checked again here: a key's webhook was validated when set, but rules may have tightened.
    let url = match settings::validate_dlr_url(url) {
        Ok(url) => url,
        Err(e) => return Attempt::Refused(e.message),
    };
    let parsed = match url::Url::parse(&url) {
        Ok(parsed) => parsed,
        Err(e) => return Attempt::Refused(e.to_string()),
    };
    if !allow_internal {
        match check_destination(&parsed) {
            Ok(()) => {}
            Err(Destination::Refused(why)) => return Attempt::Refused(why),
            Err(Destination::Unresolved(why)) => return Attempt::Failed(why),
        }
    }
    let agent = if settings::is_loopback_url(&parsed) { loopback } else { remote };
    let headers = [("Content-Type", "application/json"), (SIGNATURE_HEADER, event.signature.as_str())];
    match client::post_bytes(agent, &url, &headers, event.body.as_bytes()) {
        Ok(response) if (200..400).contains(&response.status) => Attempt::Delivered,
        Ok(response) => Attempt::Failed(format!("HTTP {}", response.status)),
        Err(e) => Attempt::Failed(e.message),
    }
}

enum Destination {
    /// An internal address: no attempt is made.
    Refused(String),
    /// The name did not resolve: counts as a failed attempt (and is retried).
    Unresolved(String),
}

/// Resolves the webhook's host and refuses it when any address is internal.
fn check_destination(url: &url::Url) -> std::result::Result<(), Destination> {
    let port = url.port_or_known_default().unwrap_or(443);
    let addrs: Vec<SocketAddr> = match url.host() {
        Some(url::Host::Ipv4(ip)) => vec![SocketAddr::new(IpAddr::V4(ip), port)],
        Some(url::Host::Ipv6(ip)) => vec![SocketAddr::new(IpAddr::V6(ip), port)],
        Some(url::Host::Domain(name)) => (name, port)
            .to_socket_addrs()
            .map_err(|e| Destination::Unresolved(format!("cannot resolve {name}: {e}")))?
            .collect(),
        None => return Err(Destination::Refused("the URL has no host".into())),
    };
    if addrs.is_empty() {
        return Err(Destination::Unresolved("the host resolved to no address".into()));
    }
    for addr in addrs {
        if let Some(kind) = internal(addr.ip()) {
            return Err(Destination::Refused(format!(
                "{} is {kind}; internal webhooks need --allow-internal-webhooks or a loopback --listen",
                addr.ip().to_canonical()
            )));
        }
    }
    Ok(())
}

/// Why `ip` is internal (not a public unicast address), or `None` when it is public
/// (`address::Class::is_internal`; IPv4 carried in IPv6 is judged as IPv4).
pub(super) fn internal(ip: IpAddr) -> Option<&'static str> {
    let class = address::classify(ip);
    class.is_internal().then(|| class.description())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(ip: &str) -> Option<&'static str> {
        internal(ip.parse().unwrap())
    }

    /// The table itself is tested in `address`; this is the set the webhook check refuses.
    #[test]
    fn internal_addresses() {
        for (ip, expected) in [
            ("127.0.0.1", "a loopback address"),
            ("10.1.2.3", "a private address"),
            ("169.254.169.254", "a link-local address"),
            ("100.64.0.1", "a shared (CGNAT) address"),
            ("0.0.0.1", "an unspecified address"),
            ("224.0.0.1", "a multicast address"),
            ("255.255.255.255", "a broadcast address"),
            ("198.18.0.1", "a benchmarking address"),
            ("240.0.0.1", "a reserved address"),
            ("fd12:3456::1", "a unique-local address"),
            ("fec0::1", "a site-local address"),
            ("64:ff9b:1::a9fe:a9fe", "a local-use NAT64 address"),
            ("2001:0:4136:e378:8000:63bf:3fff:fdd2", "a Teredo address"),
            ("::ffff:169.254.169.254", "a link-local address"),
            ("2002:7f00:1::", "a loopback address"),
        ] {
            assert_eq!(kind(ip), Some(expected), "{ip}");
        }
        for public in [
            "203.0.113.5",
            "8.8.8.8",
            "2001:db8::1",
            "2606:4700::1111",
            "::ffff:8.8.8.8",
            "64:ff9b::808:808",
        ] {
            assert_eq!(kind(public), None, "{public}");
        }
    }

    #[test]
    fn destinations_are_checked_by_address() {
        let check = |u: &str| check_destination(&url::Url::parse(u).unwrap());
        assert!(matches!(check("http://127.0.0.1:9/x"), Err(Destination::Refused(why)) if why.contains("loopback")));
        assert!(matches!(check("http://[::1]:9/x"), Err(Destination::Refused(_))));
        assert!(matches!(check("http://localhost:9/x"), Err(Destination::Refused(_))));
        assert!(matches!(check("https://169.254.169.254/latest"), Err(Destination::Refused(why)) if why.contains("link-local")));
        assert!(check("https://203.0.113.5/dlr").is_ok());
    }
}
