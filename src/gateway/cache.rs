//! The gateway's in-memory copy of what authentication reads: secret hash → (secret row, key),
//! and the account's replacement table, so a request that authenticates and sends reads
//! nothing from the store.
//!
//! Invalidation: a watcher thread asks SQLite's `PRAGMA data_version` every
//! [`WATCH_INTERVAL`] on its own connection; it changes whenever another connection commits.
//! The gateway's own writers commit all the time (messages, report outcomes), so a change is
//! confirmed against the tip of the audit trail, which every key and replacement mutation
//! extends in its own transaction (the store's rule); when the tip moved, everything cached is
//! dropped. A revocation from `smsctl key revoke` is therefore seen within ~100 ms. As a
//! safety net for a change that bypassed the audit trail, no entry is used longer than
//! [`MAX_AGE`]. Decisions that depend on time (expiry, grace) are made per request from the
//! cached rows, never cached themselves; refusals are not cached (they stay store reads, which
//! also keeps a flood of wrong secrets from filling memory).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock, Weak};
use std::time::{Duration, Instant};

use crate::store::Conn;

use crate::error::{Error, Result};
use crate::store::keys::{Key, SecretRow};
use crate::store::{Store, StoreAt};
use crate::text::{AccountTable, ReplaceTable, Replacements};
use crate::token::SecretHash;

/// How often the watcher looks at the store.
pub(super) const WATCH_INTERVAL: Duration = Duration::from_millis(100);
/// The longest any entry is used without reading the store again.
pub(super) const MAX_AGE: Duration = Duration::from_secs(10);

/// A secret and the key it belongs to, as `auth::lookup` finds them.
type Found = (SecretRow, Arc<Key>);

pub(super) struct KeyCache {
    /// Bumped on every invalidation; entries loaded under an older generation are not used.
    generation: AtomicU64,
    secrets: RwLock<HashMap<[u8; 32], Entry<Found>>>,
    account_table: RwLock<Option<Entry<Arc<AccountTable>>>>,
}

struct Entry<T> {
    value: T,
    generation: u64,
    loaded: Instant,
}

impl<T: Clone> Entry<T> {
    fn fresh(&self, generation: u64) -> Option<T> {
        (self.generation == generation && self.loaded.elapsed() < MAX_AGE).then(|| self.value.clone())
    }
}

impl KeyCache {
    /// The cache and its watcher thread (which ends when the cache is dropped).
    pub(super) fn start(db: &StoreAt) -> Result<Arc<KeyCache>> {
        let cache = Arc::new(KeyCache {
            generation: AtomicU64::new(0),
            secrets: RwLock::new(HashMap::new()),
            account_table: RwLock::new(None),
        });
        let store = db.open()?;
        let weak = Arc::downgrade(&cache);
        let on_pg = store.conn().backend() == crate::store::Backend::Postgres;
        if on_pg {
            crate::store::pg::listen(store.conn())?;
        }
        std::thread::Builder::new()
            .name("gateway-cache".into())
            .spawn(move || if on_pg { watch_pg(store, &weak) } else { watch(&store, &weak) })
            .map_err(|e| Error::failure(format!("cannot start the key cache's watcher: {e}")))?;
        Ok(cache)
    }

    /// The secret with this hash and its key: from memory, else from `conn` (and kept).
    pub(super) fn lookup(&self, conn: &Conn, hash: &SecretHash) -> Result<Option<Found>> {
        let generation = self.generation.load(Ordering::Acquire);
        let cached = read(&self.secrets).get(&hash.0).and_then(|e| e.fresh(generation));
        if cached.is_some() {
            return Ok(cached);
        }
        let found = crate::auth::lookup(conn, hash)?;
        if let Some(value) = &found {
            self.keep(generation, |c| {
                write(&c.secrets).insert(
                    hash.0,
                    Entry {
                        value: value.clone(),
                        generation,
                        loaded: Instant::now(),
                    },
                );
            });
        }
        Ok(found)
    }

    /// The table `on` mode applies for a key: the account's entries (cached), the key's over them.
    pub(super) fn replacements(&self, conn: &Conn, key: &ReplaceTable) -> Result<Replacements> {
        let generation = self.generation.load(Ordering::Acquire);
        let cached = read(&self.account_table).as_ref().and_then(|e| e.fresh(generation));
        let table = match cached {
            Some(table) => table,
            None => {
                let table = Arc::new(crate::store::replacements::load(conn)?);
                self.keep(generation, |c| {
                    *write(&c.account_table) = Some(Entry {
                        value: Arc::clone(&table),
                        generation,
                        loaded: Instant::now(),
                    });
                });
                table
            }
        };
        Ok(Replacements::new(&table, key))
    }

    /// Keeps what was read under `generation` unless an invalidation came in between (the
    /// read may predate the change that caused it).
    fn keep(&self, generation: u64, store: impl FnOnce(&KeyCache)) {
        if self.generation.load(Ordering::Acquire) == generation {
            store(self);
        }
    }

    /// Drops everything cached.
    fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        write(&self.secrets).clear();
        *write(&self.account_table) = None;
    }
}

fn read<T>(lock: &RwLock<T>) -> std::sync::RwLockReadGuard<'_, T> {
    lock.read().unwrap_or_else(|p| p.into_inner())
}

fn write<T>(lock: &RwLock<T>) -> std::sync::RwLockWriteGuard<'_, T> {
    lock.write().unwrap_or_else(|p| p.into_inner())
}

/// The audit trail's last entry (sequence number and hash): moves with every key mutation.
fn audit_tip(conn: &Conn) -> crate::error::Result<Option<(i64, String)>> {
    Ok(crate::store::audit::last(conn)?.map(|h| (h.seq, h.hash)))
}

fn data_version(conn: &Conn) -> crate::error::Result<i64> {
    crate::store::data_version(conn)
}

/// PostgreSQL: every key-changing commit, on any node or by any operator, sends a
/// notification on [`crate::store::pg::CHANNEL`] (`audit::append`); this connection LISTENs.
/// Each wake-up also compares the audit tip, which covers notifications lost while the
/// session was down (the session is re-opened and LISTENs again).
fn watch_pg(store: Store, cache: &Weak<KeyCache>) {
    let mut tip = audit_tip(store.conn()).ok().flatten();
    loop {
        let Some(cache) = cache.upgrade() else {
            return;
        };
        let heard = store
            .conn()
            .with_pg(|client| {
                let mut notes = client.notifications();
                let mut pending = notes.timeout_iter(WATCH_INTERVAL);
                use postgres::fallible_iterator::FallibleIterator;
                pending.next().map(|n| n.is_some())
            })
            .unwrap_or(Ok(false));
        match heard {
            Ok(true) => {
                cache.invalidate();
                tip = audit_tip(store.conn()).ok().flatten();
            }
            Ok(false) => match audit_tip(store.conn()) {
                Ok(now_tip) if now_tip == tip => {}
                Ok(now_tip) => {
                    tip = now_tip;
                    cache.invalidate();
                }
                Err(_) => cache.invalidate(),
            },
            Err(_) => {
                // The session is gone (a server restart): forget everything, then listen again.
                cache.invalidate();
                drop(cache);
                std::thread::sleep(WATCH_INTERVAL);
                if crate::store::pg::listen(store.conn()).is_err() {
                    continue;
                }
                // Listening again: the next quiet tick compares the tip and drops whatever
                // was cached between the loss and now.
                tip = None;
            }
        }
    }
}

fn watch(store: &Store, cache: &Weak<KeyCache>) {
    let conn = store.conn();
    let mut version = data_version(conn).ok();
    let mut tip = audit_tip(conn).ok().flatten();
    loop {
        std::thread::sleep(WATCH_INTERVAL);
        let Some(cache) = cache.upgrade() else {
            return;
        };
        let now = data_version(conn).ok();
        if now.is_some() && now == version {
            continue;
        }
        version = now;
        match audit_tip(conn) {
            Ok(now_tip) if now_tip == tip => {}
            Ok(now_tip) => {
                tip = now_tip;
                cache.invalidate();
            }
            // Cannot tell: assume the worst.
            Err(_) => cache.invalidate(),
        }
    }
}
