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
use crate::store::events::{self, NewEvent};
use crate::store::keys::{self, SecretRow};
use crate::store::messages::{self, NewMessage};
use crate::time::Millis;

/// Most jobs committed in one transaction.
const MAX_BATCH: usize = 512;

enum Job {
    /// A message accepted with `secret`, and its planned status changes; `done` hears when it
    /// is committed.
    Accept {
        message: Box<NewMessage>,
        events: Vec<NewEvent>,
        secret: Box<SecretRow>,
        peer: String,
        done: mpsc::SyncSender<std::result::Result<(), String>>,
    },
    /// `DELETE` of a scheduled message; `done` hears whether it was still scheduled.
    Cancel {
        omnimessage_id: String,
        deleted: Box<NewEvent>,
        secret: Box<SecretRow>,
        at: Millis,
        peer: String,
        done: mpsc::SyncSender<std::result::Result<bool, String>>,
    },
    /// A secret authenticated a request that records nothing else.
    Touch {
        secret: Box<SecretRow>,
        at: Millis,
        peer: String,
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
    pub fn accept(&self, message: NewMessage, events: Vec<NewEvent>, secret: &SecretRow, peer: String) -> std::result::Result<(), String> {
        let (done, wait) = mpsc::sync_channel(1);
        self.tx
            .send(Job::Accept {
                message: Box::new(message),
                events,
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

    /// Cancels a scheduled message; `Ok(false)` when it was no longer scheduled.
    pub fn cancel(
        &self,
        omnimessage_id: &str,
        deleted: NewEvent,
        secret: &SecretRow,
        at: Millis,
        peer: String,
    ) -> std::result::Result<bool, String> {
        let (done, wait) = mpsc::sync_channel(1);
        self.tx
            .send(Job::Cancel {
                omnimessage_id: omnimessage_id.to_owned(),
                deleted: Box::new(deleted),
                secret: Box::new(secret.clone()),
                at,
                peer,
                done,
            })
            .map_err(|_| "the store writer has stopped".to_owned())?;
        wait.recv().map_err(|_| "the store writer has stopped".to_owned())?
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
            .write(|tx| batch.iter().map(|job| apply(tx, job)).collect::<Result<Vec<bool>>>())
            .map_err(|e| e.message);
        if let Err(e) = &outcome {
            eprintln!("smsctl gateway: recording failed: {e}");
        }
        for (i, job) in batch.into_iter().enumerate() {
            let result = outcome.as_ref().map(|applied| applied[i]).map_err(Clone::clone);
            match job {
                Job::Accept { done, .. } => {
                    let _ = done.send(result.map(|_| ()));
                }
                Job::Cancel { done, .. } => {
                    let _ = done.send(result);
                }
                _ => {}
            }
        }
        if stop {
            break;
        }
    }
}

/// Applies one job; the flag is what a `Cancel` reports (whether it was still scheduled).
fn apply(conn: &rusqlite::Connection, job: &Job) -> Result<bool> {
    match job {
        Job::Accept {
            message,
            events,
            secret,
            peer,
            ..
        } => {
            messages::insert(conn, message)?;
            for event in events {
                events::insert(conn, event)?;
            }
            keys::touch_last_used(conn, secret, message.at, Some(peer))?;
        }
        Job::Cancel {
            omnimessage_id,
            deleted,
            secret,
            at,
            peer,
            ..
        } => {
            keys::touch_last_used(conn, secret, *at, Some(peer))?;
            return events::cancel(conn, omnimessage_id, deleted, *at);
        }
        Job::Touch { secret, at, peer } => keys::touch_last_used(conn, secret, *at, Some(peer))?,
        Job::Stop => {}
    }
    Ok(true)
}
