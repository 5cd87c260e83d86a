//! Delivery reports: after a 201, a small pool of workers POSTs the report to the effective
//! webhook with bounded retries and exponential back-off, and has the outcome recorded.
//!
//! Only URLs that pass `settings::validate_dlr_url` are contacted (https, or plain http to
//! loopback), through `crate::http`'s agent: redirects not followed, every attempt timed out.

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
    pub fn start(retries: u32, recorder: RecorderHandle) -> Result<Dispatcher> {
        let (tx, rx) = mpsc::sync_channel(QUEUE);
        let rx = Arc::new(Mutex::new(rx));
        let mut workers = Vec::with_capacity(WORKERS);
        for i in 0..WORKERS {
            let rx = Arc::clone(&rx);
            let recorder = recorder.clone();
            let worker = std::thread::Builder::new()
                .name(format!("gateway-dlr-{i}"))
                .spawn(move || work(&rx, retries, &recorder))
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

fn work(rx: &Mutex<Receiver<Msg>>, retries: u32, recorder: &RecorderHandle) {
    // Loopback webhooks bypass any proxy from the environment (crate::http's rule).
    let loopback = http::agent(ATTEMPT_TIMEOUT, true);
    let remote = http::agent(ATTEMPT_TIMEOUT, false);
    loop {
        let msg = rx.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).recv();
        let Ok(Msg::Job(job)) = msg else { break };
        let (status, attempts) = deliver(&loopback, &remote, &job, retries);
        let omnimessage_id = &job.report.omnimessage_id;
        eprintln!("smsctl gateway: report for {omnimessage_id} {status} ({attempts} attempt(s))");
        recorder.dlr_outcome(omnimessage_id, status, attempts, time::now());
    }
}

/// Returns the recorded status (`delivered` or `failed: why`) and the number of attempts made.
fn deliver(loopback: &ureq::Agent, remote: &ureq::Agent, job: &DlrJob, retries: u32) -> (String, i64) {
    // Checked again here: a key's webhook was validated when set, but rules may have tightened.
    let url = match settings::validate_dlr_url(&job.url) {
        Ok(url) => url,
        Err(e) => return (format!("failed: {}", e.message), 0),
    };
    let agent = match url::Url::parse(&url) {
        Ok(parsed) if settings::is_loopback_url(&parsed) => loopback,
        _ => remote,
    };
    let body = match serde_json::to_value(&job.report) {
        Ok(body) => body,
        Err(e) => return (format!("failed: cannot encode the report: {e}"), 0),
    };
    let mut last = String::new();
    let mut delay = BACKOFF_BASE;
    for attempt in 1..=i64::from(retries) + 1 {
        match http::post_json(agent, &url, None, &body) {
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
