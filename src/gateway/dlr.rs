//! Delivery reports: after a 201, a small pool of workers POSTs the report to the effective
//! webhook with bounded retries and exponential back-off, and has the outcome recorded.
//!
//! Only URLs that pass `settings::validate_dlr_url` are contacted (https, or plain http to
//! loopback), through `crate::http`'s agent: redirects not followed, every attempt timed out.
//!
//! Any key holder chooses the webhook per request, so a gateway reachable from other machines
//! would otherwise POST wherever a client asks: loopback services, the private network, cloud
//! metadata. Unless internal webhooks are allowed (the gateway listens on loopback, or
//! `--allow-internal-webhooks`), the host is resolved before every attempt and the report is
//! refused when any address is internal ([`internal`]). The connection resolves again, so a
//! DNS answer that changes in between (rebinding) is not caught.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, ToSocketAddrs};
use std::sync::mpsc::{self, Receiver, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use super::recorder::RecorderHandle;
use super::wire::DeliveryReport;
use crate::error::{Error, Result};
use crate::{http, settings, time};

const WORKERS: usize = 4;
/// Reports waiting beyond this many are dropped (and the drop recorded) rather than held.
const QUEUE: usize = 10_000;
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(5);
const BACKOFF_BASE: Duration = Duration::from_millis(250);
const BACKOFF_MAX: Duration = Duration::from_secs(5);

pub struct DlrJob {
    pub url: String,
    pub report: DeliveryReport,
}

enum Msg {
    Job(DlrJob),
    Stop,
}

pub struct Dispatcher {
    tx: SyncSender<Msg>,
    workers: Vec<JoinHandle<()>>,
    recorder: RecorderHandle,
}

/// What request threads hold to hand reports over.
#[derive(Clone)]
pub struct DlrQueue {
    tx: SyncSender<Msg>,
    recorder: RecorderHandle,
}

impl Dispatcher {
    /// `allow_internal`: deliver to loopback, private and other internal addresses too.
    pub fn start(retries: u32, allow_internal: bool, recorder: RecorderHandle) -> Result<Dispatcher> {
        let (tx, rx) = mpsc::sync_channel(QUEUE);
        let rx = Arc::new(Mutex::new(rx));
        let mut workers = Vec::with_capacity(WORKERS);
        for i in 0..WORKERS {
            let rx = Arc::clone(&rx);
            let recorder = recorder.clone();
            let worker = std::thread::Builder::new()
                .name(format!("gateway-dlr-{i}"))
                .spawn(move || work(&rx, retries, allow_internal, &recorder))
                .map_err(|e| Error::failure(format!("cannot start the delivery-report workers: {e}")))?;
            workers.push(worker);
        }
        Ok(Dispatcher { tx, workers, recorder })
    }

    pub fn queue(&self) -> DlrQueue {
        DlrQueue {
            tx: self.tx.clone(),
            recorder: self.recorder.clone(),
        }
    }

    /// Delivers every report queued so far (retries included), then stops the workers.
    pub fn finish(self) {
        for _ in &self.workers {
            let _ = self.tx.send(Msg::Stop);
        }
        for worker in self.workers {
            if worker.join().is_err() {
                eprintln!("smsctl gateway: a delivery-report worker panicked");
            }
        }
    }
}

impl DlrQueue {
    pub fn enqueue(&self, job: DlrJob) {
        let omnimessage_id = job.report.omnimessage_id.clone();
        let why = match self.tx.try_send(Msg::Job(job)) {
            Ok(()) => return,
            Err(TrySendError::Full(_)) => "failed: report queue full",
            Err(TrySendError::Disconnected(_)) => "failed: gateway stopping",
        };
        eprintln!("smsctl gateway: report for {omnimessage_id} {why}");
        self.recorder.dlr_outcome(&omnimessage_id, why.to_owned(), 0, time::now());
    }
}

fn work(rx: &Mutex<Receiver<Msg>>, retries: u32, allow_internal: bool, recorder: &RecorderHandle) {
    // Loopback webhooks bypass any proxy from the environment (crate::http's rule).
    let loopback = http::agent(ATTEMPT_TIMEOUT, true);
    let remote = http::agent(ATTEMPT_TIMEOUT, false);
    loop {
        let msg = rx.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).recv();
        let Ok(Msg::Job(job)) = msg else { break };
        let (status, attempts) = deliver(&loopback, &remote, &job, retries, allow_internal);
        let omnimessage_id = &job.report.omnimessage_id;
        eprintln!("smsctl gateway: report for {omnimessage_id} {status} ({attempts} attempt(s))");
        recorder.dlr_outcome(omnimessage_id, status, attempts, time::now());
    }
}

/// Returns the recorded status (`delivered`, `failed: why` or `refused: why`) and the number
/// of attempts made.
fn deliver(loopback: &ureq::Agent, remote: &ureq::Agent, job: &DlrJob, retries: u32, allow_internal: bool) -> (String, i64) {
    // Checked again here: a key's webhook was validated when set, but rules may have tightened.
    let url = match settings::validate_dlr_url(&job.url) {
        Ok(url) => url,
        Err(e) => return (format!("failed: {}", e.message), 0),
    };
    let parsed = match url::Url::parse(&url) {
        Ok(parsed) => parsed,
        Err(e) => return (format!("failed: {e}"), 0),
    };
    let agent = if settings::is_loopback_url(&parsed) { loopback } else { remote };
    let body = match serde_json::to_value(&job.report) {
        Ok(body) => body,
        Err(e) => return (format!("failed: cannot encode the report: {e}"), 0),
    };
    let mut last = String::new();
    let mut delay = BACKOFF_BASE;
    for attempt in 1..=i64::from(retries) + 1 {
        let checked = if allow_internal { Ok(()) } else { check_destination(&parsed) };
        let outcome = match checked {
            Ok(()) => http::post_json(agent, &url, None, &body),
            Err(Destination::Refused(why)) => return (format!("refused: {why}"), attempt - 1),
            Err(Destination::Unresolved(why)) => Err(Error::network(why)),
        };
        match outcome {
            Ok(response) if (200..300).contains(&response.status) => return ("delivered".to_owned(), attempt),
            Ok(response) => last = format!("HTTP {}", response.status),
            Err(e) => last = e.message,
        }
        if attempt <= i64::from(retries) {
            std::thread::sleep(delay);
            delay = (delay * 2).min(BACKOFF_MAX);
        }
    }
    (format!("failed: {last}"), i64::from(retries) + 1)
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

/// Why `ip` is internal (not a public unicast address), or `None` when it is public.
/// IPv4 addresses carried in IPv6 (mapped, compatible, NAT64, 6to4) are judged as IPv4.
pub fn internal(ip: IpAddr) -> Option<&'static str> {
    match ip.to_canonical() {
        IpAddr::V4(v4) => internal_v4(v4),
        IpAddr::V6(v6) => internal_v6(v6),
    }
}

fn internal_v4(ip: Ipv4Addr) -> Option<&'static str> {
    let [a, b, ..] = ip.octets();
    Some(match () {
        _ if a == 0 => "an unspecified address",
        _ if ip.is_loopback() => "a loopback address",
        _ if ip.is_private() => "a private address",
        _ if ip.is_link_local() => "a link-local address",
        _ if a == 100 && (64..128).contains(&b) => "a shared (CGNAT) address",
        _ if ip.is_multicast() => "a multicast address",
        _ if ip.is_broadcast() || a >= 240 => "a reserved address",
        _ if a == 192 && b == 0 && ip.octets()[2] == 0 => "a reserved address",
        _ if a == 198 && (18..20).contains(&b) => "a reserved address",
        _ => return None,
    })
}

fn internal_v6(ip: Ipv6Addr) -> Option<&'static str> {
    let s = ip.segments();
    let embedded = |hi: u16, lo: u16| Ipv4Addr::from((u32::from(hi) << 16) | u32::from(lo));
    Some(match () {
        _ if ip.is_unspecified() => "an unspecified address",
        _ if ip.is_loopback() => "a loopback address",
        _ if ip.is_multicast() => "a multicast address",
        _ if (s[0] & 0xfe00) == 0xfc00 => "a unique-local address",
        _ if (s[0] & 0xffc0) == 0xfe80 => "a link-local address",
        _ if (s[0] & 0xffc0) == 0xfec0 => "a site-local address",
        // IPv4-compatible (::a.b.c.d) and NAT64 (64:ff9b::a.b.c.d): the IPv4 address decides.
        _ if s[..6] == [0; 6] || s[..6] == [0x64, 0xff9b, 0, 0, 0, 0] => return internal_v4(embedded(s[6], s[7])),
        // 6to4 (2002:a.b.c.d::/48).
        _ if s[0] == 0x2002 => return internal_v4(embedded(s[1], s[2])),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(ip: &str) -> Option<&'static str> {
        internal(ip.parse().unwrap())
    }

    #[test]
    fn internal_addresses() {
        for (ip, expected) in [
            ("127.0.0.1", "a loopback address"),
            ("127.255.0.9", "a loopback address"),
            ("0.0.0.0", "an unspecified address"),
            ("0.0.0.1", "an unspecified address"),
            ("10.1.2.3", "a private address"),
            ("172.16.0.1", "a private address"),
            ("172.31.255.255", "a private address"),
            ("192.168.1.1", "a private address"),
            ("169.254.169.254", "a link-local address"),
            ("100.64.0.1", "a shared (CGNAT) address"),
            ("100.127.255.255", "a shared (CGNAT) address"),
            ("224.0.0.1", "a multicast address"),
            ("255.255.255.255", "a reserved address"),
            ("::1", "a loopback address"),
            ("::", "an unspecified address"),
            ("fc00::1", "a unique-local address"),
            ("fd12:3456::1", "a unique-local address"),
            ("fe80::1", "a link-local address"),
            ("ff02::1", "a multicast address"),
            // IPv4 in IPv6 is judged as the IPv4 address.
            ("::ffff:127.0.0.1", "a loopback address"),
            ("::ffff:169.254.169.254", "a link-local address"),
            ("::ffff:10.0.0.1", "a private address"),
            ("::10.0.0.1", "a private address"),
            ("64:ff9b::a9fe:a9fe", "a link-local address"),
            ("2002:7f00:1::", "a loopback address"),
        ] {
            assert_eq!(kind(ip), Some(expected), "{ip}");
        }
        for public in [
            "203.0.113.5",
            "8.8.8.8",
            "172.32.0.1",
            "100.128.0.1",
            "169.253.0.1",
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
