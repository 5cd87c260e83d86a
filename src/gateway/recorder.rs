//! The gateway's single store writer. Request threads hand it what to record; it commits
//! whatever has queued up in one `BEGIN IMMEDIATE` transaction (group commit).
//!
//! SQLite admits one writer at a time: many request threads each opening their own write
//! transaction would queue on the busy timeout (sleeping in steps) and pay one fsync each. One
//! writer batching the queue pays one fsync per batch, and a send still answers 201 only after
//! its message is durably recorded. The last-used time of keys and secrets is written once per
//! secret per batch, and the usage counters once per key, day, secret and address.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::thread::JoinHandle;

use tokio::sync::oneshot;

use crate::error::{Error, Result};
use crate::policy::{Policy, Violation};
use crate::store::events::{self, NewEvent};
use crate::store::keys::{self, SecretRow};
use crate::store::messages::{self, NewMessage};
use crate::store::{Store, StoreAt};
use crate::store::{audit, usage};
use crate::time::{Millis, UnixMillis};

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
        /// Rate and quota to enforce in the recording transaction (key policy).
        limits: Option<Box<Policy>>,
        /// A oneshot, so a request on the event loop awaits its commit without a thread.
        done: oneshot::Sender<Admitted>,
    },
    /// A refused authentication (claimed key id, never the secret).
    AuthFailure {
        key_id: String,
        ip: String,
        reason: &'static str,
        at: UnixMillis,
    },
    /// Someone tried a canary key: an audit row with the source address.
    CanaryTrip {
        key_id: String,
        ip: String,
        at: UnixMillis,
    },
    /// `DELETE` of a scheduled message; `done` hears whether it was still scheduled.
    Cancel {
        omnimessage_id: String,
        deleted: Box<NewEvent>,
        secret: Box<SecretRow>,
        at: UnixMillis,
        peer: String,
        done: mpsc::SyncSender<std::result::Result<bool, String>>,
    },
    /// Other writes that want the group commit (relay mode, Idempotency-Key): `work` runs in
    /// the batch's transaction; `done` hears once it is committed.
    Run {
        work: Mutex<Option<Work>>,
        done: mpsc::SyncSender<std::result::Result<(), String>>,
    },
    /// A secret authenticated a request that records nothing else.
    Touch {
        secret: Box<SecretRow>,
        at: UnixMillis,
        peer: String,
    },
    Stop,
}

/// What recording an accepted message came to: `Ok(Some(violation))` when its rate or quota
/// refused it (nothing recorded), `Err` when the writer failed or stopped.
pub(super) type Admitted = std::result::Result<Option<Violation>, String>;

/// The pending outcome of [`RecorderHandle::submit`].
pub(crate) struct Admission(oneshot::Receiver<Admitted>);

impl Admission {
    /// Waits on this thread (not on the event loop).
    pub(crate) fn wait(self) -> Admitted {
        self.0.blocking_recv().map_err(|_| STOPPED.to_owned())?
    }

    /// Waits on the event loop.
    pub(crate) async fn committed(self) -> Admitted {
        self.0.await.map_err(|_| STOPPED.to_owned())?
    }
}

const STOPPED: &str = "the store writer has stopped";

type Work = Box<dyn FnOnce(&crate::store::Conn) -> Result<()> + Send>;

pub(super) struct Recorder {
    tx: mpsc::Sender<Job>,
    thread: JoinHandle<()>,
}

/// What request threads and the report dispatcher hold.
#[derive(Clone)]
pub(crate) struct RecorderHandle {
    tx: mpsc::Sender<Job>,
}

impl Recorder {
    pub(super) fn start(db: &StoreAt) -> Result<Recorder> {
        let mut store = db.open()?;
        // Checkpoints copy the WAL into the database file and fsync it: done by the writer,
        // every ~1000 pages, they stall every request waiting for a commit. A checkpointer
        // thread of its own does them instead (PASSIVE: never blocks the writer).
        if let Some(conn) = store.conn().as_sqlite() {
            conn.pragma_update(None, "wal_autocheckpoint", 0)
                .map_err(|e| Error::failure(format!("cannot configure the store writer: {e}")))?;
        }
        let checkpointer = db.open()?;
        let wal_long = Arc::new(AtomicBool::new(false));
        let long = Arc::clone(&wal_long);
        std::thread::Builder::new()
            .name("gateway-checkpoint".into())
            .spawn(move || checkpoint(&checkpointer, &long))
            .map_err(|e| Error::failure(format!("cannot start the store checkpointer: {e}")))?;
        let (tx, rx) = mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("gateway-recorder".into())
            .spawn(move || run(&mut store, &rx, &wal_long))
            .map_err(|e| Error::failure(format!("cannot start the store writer: {e}")))?;
        Ok(Recorder { tx, thread })
    }

    pub(super) fn handle(&self) -> RecorderHandle {
        RecorderHandle { tx: self.tx.clone() }
    }

    /// Commits everything queued so far, then stops the writer.
    pub(super) fn finish(self) {
        let _ = self.tx.send(Job::Stop);
        if self.thread.join().is_err() {
            eprintln!("smsctl gateway: the store writer panicked");
        }
    }
}

impl RecorderHandle {
    /// Records an accepted message, its planned status changes, its usage and the last use of
    /// the key and secret; returns once committed. With `policy`, its rate and quota are
    /// enforced first in the same transaction; `Ok(Some(violation))` means refused and nothing
    /// recorded. Blocks: for threads; on the event loop, [`submit`](Self::submit).
    pub(crate) fn admit(
        &self,
        message: NewMessage,
        events: Vec<NewEvent>,
        secret: &SecretRow,
        peer: String,
        policy: Option<&Policy>,
    ) -> Admitted {
        self.submit(message, events, secret, peer, policy).wait()
    }

    /// [`admit`](Self::admit) without waiting: the commit's outcome arrives on the returned
    /// [`Admission`].
    pub(crate) fn submit(
        &self,
        message: NewMessage,
        events: Vec<NewEvent>,
        secret: &SecretRow,
        peer: String,
        policy: Option<&Policy>,
    ) -> Admission {
        let (done, wait) = oneshot::channel();
        let limits = policy.filter(|p| p.rate.is_some() || p.quota.is_some()).cloned().map(Box::new);
        // A send that fails drops `done`, so the Admission reports the stopped writer.
        let _ = self.tx.send(Job::Accept {
            message: Box::new(message),
            events,
            secret: Box::new(secret.clone()),
            peer,
            limits,
            done,
        });
        Admission(wait)
    }

    /// Counts a refused authentication (not waited for).
    pub(crate) fn auth_failure(&self, key_id: &str, ip: String, reason: &'static str, at: UnixMillis) {
        let _ = self.tx.send(Job::AuthFailure {
            key_id: key_id.to_owned(),
            ip,
            reason,
            at,
        });
    }

    /// Records a canary trip in the audit trail (not waited for).
    pub(crate) fn canary_trip(&self, key_id: &str, ip: String, at: UnixMillis) {
        let _ = self.tx.send(Job::CanaryTrip {
            key_id: key_id.to_owned(),
            ip,
            at,
        });
    }

    /// Records the last use of the key and secret (not waited for).
    pub(crate) fn touch(&self, secret: &SecretRow, at: UnixMillis, peer: String) {
        let _ = self.tx.send(Job::Touch {
            secret: Box::new(secret.clone()),
            at,
            peer,
        });
    }

    /// Runs `work` in the next group-committed transaction and returns its value once that
    /// transaction is committed (an error in any job of the batch rolls the batch back).
    pub(crate) fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(&crate::store::Conn) -> Result<T> + Send + 'static,
    ) -> std::result::Result<T, String> {
        let slot = Arc::new(Mutex::new(None));
        let filled = Arc::clone(&slot);
        let work: Work = Box::new(move |conn| {
            let value = work(conn)?;
            *filled.lock().unwrap_or_else(|p| p.into_inner()) = Some(value);
            Ok(())
        });
        let (done, wait) = mpsc::sync_channel(1);
        self.tx
            .send(Job::Run {
                work: Mutex::new(Some(work)),
                done,
            })
            .map_err(|_| "the store writer has stopped".to_owned())?;
        wait.recv().map_err(|_| "the store writer has stopped".to_owned())??;
        let value = slot.lock().unwrap_or_else(|p| p.into_inner()).take();
        value.ok_or_else(|| "the store writer lost a result".to_owned())
    }

    /// Cancels a scheduled message; `Ok(false)` when it was no longer scheduled.
    pub(crate) fn cancel(
        &self,
        omnimessage_id: &str,
        deleted: NewEvent,
        secret: &SecretRow,
        at: UnixMillis,
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

/// How often an idle writer checks for `--retire-when-quiet` secrets that are due.
const RETIRE_TICK: std::time::Duration = std::time::Duration::from_secs(5);

/// How often the checkpointer copies committed WAL frames into the database file.
const CHECKPOINT_EVERY: std::time::Duration = std::time::Duration::from_millis(250);

/// Extra checkpoints run back to back before the writer is asked to start the WAL over.
const CATCH_UP_PASSES: usize = 3;

/// A WAL longer than this (4 KiB pages: 64 MiB) is started over by the writer.
const WAL_RESTART_FRAMES: i64 = 16 * 1024;

/// Runs for the life of the process (the last commit's frames are safe in the WAL; the next
/// open, or any other connection, checkpoints them).
///
/// SQLite starts the WAL over from its beginning only when a write begins with every frame
/// already copied, which a checkpoint running beside a busy writer never sees: under steady
/// load the file would grow without bound (half a gigabyte in a 5 s benchmark), and every
/// append to new blocks costs the kernel zeroing them. So when the WAL gets long, `wal_long`
/// asks the writer to run one checkpoint itself between two batches, copying only what came
/// since the last one here; its next transaction then starts the WAL over.
fn checkpoint(store: &Store, wal_long: &AtomicBool) {
    loop {
        std::thread::sleep(CHECKPOINT_EVERY);
        match crate::store::checkpoint(store.conn()) {
            Ok(frames) if frames > WAL_RESTART_FRAMES => {
                // What the writer's own checkpoint copies is what came since this one began:
                // a few more passes here (each copying what came during the last) leave it
                // about one batch, so its pause between two batches stays short.
                for _ in 0..CATCH_UP_PASSES {
                    if crate::store::checkpoint(store.conn()).is_err() {
                        break;
                    }
                }
                wal_long.store(true, Ordering::Release);
            }
            Ok(_) => {}
            Err(e) => eprintln!("smsctl gateway: checkpoint failed (retried): {}", e.message),
        }
    }
}

fn run(store: &mut Store, rx: &mpsc::Receiver<Job>, wal_long: &AtomicBool) {
    loop {
        let first = match rx.recv_timeout(RETIRE_TICK) {
            Ok(job) => job,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                // A quiet secret gets no traffic that would trigger a write: retire it here.
                // (Every write also retires due secrets first; see `Store::write`.)
                if keys::retirement_due(store.conn(), crate::time::now()).unwrap_or(false) {
                    if let Err(e) = store.write(|_| Ok(())) {
                        eprintln!("smsctl gateway: retiring quiet secrets failed: {}", e.message);
                    }
                }
                continue;
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        };
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
                let mut deferred = Deferred::new();
                let applied = batch
                    .iter()
                    .map(|job| apply(tx, job, &mut deferred))
                    .collect::<Result<Vec<Applied>>>()?;
                deferred.apply(tx)?;
                Ok(applied)
            })
            .map_err(|e| e.message);
        if let Err(e) = &outcome {
            eprintln!("smsctl gateway: recording failed: {e}");
        }
        for (i, job) in batch.into_iter().enumerate() {
            let result = outcome.as_ref().map(|applied| applied[i].clone()).map_err(Clone::clone);
            match job {
                Job::Accept { done, .. } => {
                    let _ = done.send(result.map(|a| a.refused));
                }
                Job::Cancel { done, .. } => {
                    let _ = done.send(result.map(|a| a.cancelled));
                }
                Job::Run { done, .. } => {
                    let _ = done.send(result.map(|_| ()));
                }
                _ => {}
            }
        }
        // After the replies: the batches waiting meanwhile only grow.
        if wal_long.swap(false, Ordering::AcqRel) {
            if let Err(e) = crate::store::checkpoint(store.conn()) {
                eprintln!("smsctl gateway: checkpoint failed (retried): {}", e.message);
            }
        }
        if stop {
            break;
        }
    }
}

/// What applying one job decided: a rate or quota refusal of an accepted message, and for a
/// `Cancel` whether the message was still scheduled.
#[derive(Clone, Default)]
struct Applied {
    refused: Option<Violation>,
    cancelled: bool,
}

/// What one batch writes once at the end of its transaction instead of once per message: the
/// last use of each secret (the latest use wins, as it would anyway) and the usage counters,
/// summed per key, UTC day, secret and address.
struct Deferred<'a> {
    latest: HashMap<i64, (&'a SecretRow, UnixMillis, &'a str)>,
    usage: HashMap<UsageCell<'a>, Counted>,
}

/// One `usage_daily` row: key id, secret id, client address and UTC day number.
type UsageCell<'a> = (&'a str, i64, &'a str, i64);

#[derive(Clone, Copy)]
struct Counted {
    messages: i64,
    parts: i64,
    last_at: UnixMillis,
}

const DAY: Millis = Millis::days(1);

impl<'a> Deferred<'a> {
    fn new() -> Deferred<'a> {
        Deferred {
            latest: HashMap::new(),
            usage: HashMap::new(),
        }
    }

    fn touch(&mut self, secret: &'a SecretRow, at: UnixMillis, peer: &'a str) {
        let entry = self.latest.entry(secret.id).or_insert((secret, at, peer));
        if at >= entry.1 {
            *entry = (secret, at, peer);
        }
    }

    /// Counts one accepted message (and the use of its secret).
    fn accept(&mut self, message: &'a NewMessage, secret: &'a SecretRow, peer: &'a str) {
        self.touch(secret, message.at, peer);
        let cell = (
            message.key_id.as_str(),
            secret.id,
            peer,
            message.at.as_i64().div_euclid(DAY.as_i64()),
        );
        let c = self.usage.entry(cell).or_insert(Counted {
            messages: 0,
            parts: 0,
            last_at: message.at,
        });
        c.messages += 1;
        c.parts += message.parts;
        c.last_at = c.last_at.max(message.at);
    }

    /// Writes the counts of `key_id` now, so a quota decided next sees them.
    fn flush_usage_of(&mut self, conn: &crate::store::Conn, key_id: &str) -> Result<()> {
        let due: Vec<_> = self.usage.keys().filter(|cell| cell.0 == key_id).copied().collect();
        for cell in due {
            if let Some(counted) = self.usage.remove(&cell) {
                write_usage(conn, cell, counted)?;
            }
        }
        Ok(())
    }

    /// Oldest use first, so a key used through two secrets in one batch ends with its latest use.
    fn apply(self, conn: &crate::store::Conn) -> Result<()> {
        for (cell, counted) in self.usage {
            write_usage(conn, cell, counted)?;
        }
        let mut latest: Vec<_> = self.latest.into_values().collect();
        latest.sort_by_key(|(_, at, _)| *at);
        for (secret, at, peer) in latest {
            keys::touch_last_used(conn, secret, at, Some(peer))?;
        }
        Ok(())
    }
}

fn write_usage(conn: &crate::store::Conn, (key_id, secret_id, ip, _): UsageCell<'_>, c: Counted) -> Result<()> {
    usage::record_accept(conn, key_id, secret_id, ip, c.messages, c.parts, c.last_at)
}

fn apply<'a>(conn: &crate::store::Conn, job: &'a Job, deferred: &mut Deferred<'a>) -> Result<Applied> {
    match job {
        Job::Accept {
            message,
            events,
            secret,
            peer,
            limits,
            ..
        } => {
            if let Some(policy) = limits {
                // A quota is decided from the usage rows (a rate from its bucket row): write this
                // key's counts of the batch so far first.
                if policy.quota.is_some() {
                    deferred.flush_usage_of(conn, &message.key_id)?;
                }
                // Decided and counted in this one transaction: exact, and durable across restarts.
                let state = usage::limit_state(conn, &message.key_id, policy, message.at)?;
                let parts = u32::try_from(message.parts).unwrap_or(u32::MAX);
                let (_, violation, bucket) = crate::policy::check_limits(policy, parts, message.at, &state);
                if violation.is_some() {
                    return Ok(Applied {
                        refused: violation,
                        cancelled: false,
                    });
                }
                if let (Some(rate), Some(bucket)) = (&policy.rate, bucket) {
                    usage::save_bucket(conn, &message.key_id, rate, bucket)?;
                }
            }
            messages::insert_accepted(conn, message, events)?;
            deferred.accept(message, secret, peer);
        }
        Job::AuthFailure { key_id, ip, reason, at } => usage::record_failure(conn, key_id, ip, reason, *at)?,
        Job::CanaryTrip { key_id, ip, at } => {
            usage::record_failure(conn, key_id, ip, "canary", *at)?;
            audit::append(
                conn,
                *at,
                audit::Event {
                    actor: "gateway",
                    action: usage::CANARY_TRIPPED,
                    key_id: Some(key_id),
                    before: None,
                    after: Some(serde_json::json!({ "ip": ip })),
                },
            )?;
        }
        Job::Cancel {
            omnimessage_id,
            deleted,
            secret,
            at,
            peer,
            ..
        } => {
            deferred.touch(secret, *at, peer);
            return Ok(Applied {
                refused: None,
                cancelled: events::cancel(conn, omnimessage_id, deleted, *at)?,
            });
        }
        Job::Touch { secret, at, peer } => deferred.touch(secret, *at, peer),
        Job::Run { work, .. } => {
            let work = work.lock().unwrap_or_else(|p| p.into_inner()).take();
            if let Some(work) = work {
                work(conn)?;
            }
        }
        Job::Stop => {}
    }
    Ok(Applied::default())
}
