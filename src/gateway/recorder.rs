//! The gateway's single store writer. Request threads hand it what to record; it commits
//! whatever has queued up in one `BEGIN IMMEDIATE` transaction (group commit).
//!
//! SQLite admits one writer at a time: many request threads each opening their own write
//! transaction would queue on the busy timeout (sleeping in steps) and pay one fsync each. One
//! writer batching the queue pays one fsync per batch, and a send still answers 201 only after
//! its message is durably recorded.

use std::path::Path;
use std::sync::mpsc;
use std::thread::JoinHandle;

use crate::error::{Error, Result};
use crate::store::Store;
use crate::store::keys::{self, SecretRow};
use crate::store::messages::{self, NewMessage};
use crate::time::Millis;

/// Most jobs committed in one transaction.
const MAX_BATCH: usize = 512;

enum Job {
    /// A message accepted by `POST /omnimessage` with `secret`; `done` hears when it is committed.
    Accept {
        message: Box<NewMessage>,
        secret: Box<SecretRow>,
        peer: String,
        done: mpsc::SyncSender<std::result::Result<(), String>>,
    },
    /// A secret authenticated a request that records nothing else.
    Touch {
        secret: Box<SecretRow>,
        at: Millis,
        peer: String,
    },
    /// The outcome of delivering a report to the webhook.
    Dlr {
        omnimessage_id: String,
        status: String,
        attempts: i64,
        at: Millis,
    },
    Stop,
}

pub struct Recorder {
    tx: mpsc::Sender<Job>,
    thread: JoinHandle<()>,
}

/// What request threads and the report dispatcher hold.
#[derive(Clone)]
pub struct RecorderHandle {
    tx: mpsc::Sender<Job>,
}

impl Recorder {
    pub fn start(db: &Path) -> Result<Recorder> {
        let mut store = Store::open(db)?;
        let (tx, rx) = mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("gateway-recorder".into())
            .spawn(move || run(&mut store, &rx))
            .map_err(|e| Error::failure(format!("cannot start the store writer: {e}")))?;
        Ok(Recorder { tx, thread })
    }

    pub fn handle(&self) -> RecorderHandle {
        RecorderHandle { tx: self.tx.clone() }
    }

    /// Commits everything queued so far, then stops the writer.
    pub fn finish(self) {
        let _ = self.tx.send(Job::Stop);
        if self.thread.join().is_err() {
            eprintln!("smsctl gateway: the store writer panicked");
        }
    }
}

impl RecorderHandle {
    /// Records an accepted message and the last use of the key and secret; returns once committed.
    pub fn accept(&self, message: NewMessage, secret: &SecretRow, peer: String) -> std::result::Result<(), String> {
        let (done, wait) = mpsc::sync_channel(1);
        self.tx
            .send(Job::Accept {
                message: Box::new(message),
                secret: Box::new(secret.clone()),
                peer,
                done,
            })
            .map_err(|_| "the store writer has stopped".to_owned())?;
        wait.recv().map_err(|_| "the store writer has stopped".to_owned())?
    }

    /// Records the last use of the key and secret (not waited for).
    pub fn touch(&self, secret: &SecretRow, at: Millis, peer: String) {
        let _ = self.tx.send(Job::Touch {
            secret: Box::new(secret.clone()),
            at,
            peer,
        });
    }

    /// Records a delivery-report outcome (not waited for).
    pub fn dlr_outcome(&self, omnimessage_id: &str, status: String, attempts: i64, at: Millis) {
        let _ = self.tx.send(Job::Dlr {
            omnimessage_id: omnimessage_id.to_owned(),
            status,
            attempts,
            at,
        });
    }
}

fn run(store: &mut Store, rx: &mpsc::Receiver<Job>) {
    while let Ok(first) = rx.recv() {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let stop = batch.iter().any(|j| matches!(j, Job::Stop));
        let outcome = store
            .write(|tx| {
                for job in &batch {
                    apply(tx, job)?;
                }
                Ok(())
            })
            .map_err(|e| e.message);
        if let Err(e) = &outcome {
            eprintln!("smsctl gateway: recording failed: {e}");
        }
        for job in batch {
            if let Job::Accept { done, .. } = job {
                let _ = done.send(outcome.clone());
            }
        }
        if stop {
            break;
        }
    }
}

fn apply(conn: &rusqlite::Connection, job: &Job) -> Result<()> {
    match job {
        Job::Accept { message, secret, peer, .. } => {
            messages::insert(conn, message)?;
            keys::touch_last_used(conn, secret, message.at, Some(peer))
        }
        Job::Touch { secret, at, peer } => keys::touch_last_used(conn, secret, *at, Some(peer)),
        Job::Dlr {
            omnimessage_id,
            status,
            attempts,
            at,
        } => messages::record_dlr(conn, omnimessage_id, status, *attempts, *at),
        Job::Stop => Ok(()),
    }
}
