//! The table of open client connections: caps in total and per client address, and which
//! connection gives way when a cap is reached (the one idle the longest; a connection in the
//! middle of a request is never closed for another).

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use tokio::sync::Notify;

pub(super) struct Conns {
    table: Mutex<Table>,
    max_total: usize,
    max_per_ip: usize,
}

#[derive(Default)]
struct Table {
    next_id: u64,
    open: HashMap<u64, Entry>,
    per_ip: HashMap<IpAddr, usize>,
}

struct Entry {
    ip: IpAddr,
    /// Since when the connection waits for its next request; `None` while one is handled.
    idle_since: Option<Instant>,
    evict: Arc<Notify>,
}

/// Over a cap with nothing idle to close.
pub(super) enum Full {
    Total(usize),
    PerIp(usize),
}

/// One open connection's place in the table; dropping it frees the place.
pub(super) struct Ticket {
    conns: Arc<Conns>,
    id: u64,
    evict: Arc<Notify>,
}

impl Conns {
    pub(super) fn new(max_total: usize, max_per_ip: usize) -> Arc<Conns> {
        Arc::new(Conns {
            table: Mutex::new(Table::default()),
            max_total: max_total.max(1),
            max_per_ip: max_per_ip.max(1),
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Table> {
        self.table.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A place for a new connection from `ip`, closing the longest-idle connection (from the
    /// same address when that address is at its cap) to make room.
    pub(super) fn admit(conns: &Arc<Conns>, ip: IpAddr) -> Result<Ticket, Full> {
        let mut table = conns.lock();
        if table.per_ip.get(&ip).copied().unwrap_or(0) >= conns.max_per_ip {
            if !table.evict_oldest_idle(Some(ip)) {
                return Err(Full::PerIp(conns.max_per_ip));
            }
        } else if table.open.len() >= conns.max_total && !table.evict_oldest_idle(None) {
            return Err(Full::Total(conns.max_total));
        }
        table.next_id += 1;
        let id = table.next_id;
        let evict = Arc::new(Notify::new());
        table.open.insert(
            id,
            Entry {
                ip,
                idle_since: Some(Instant::now()),
                evict: Arc::clone(&evict),
            },
        );
        *table.per_ip.entry(ip).or_insert(0) += 1;
        Ok(Ticket {
            conns: Arc::clone(conns),
            id,
            evict,
        })
    }

    pub(super) fn open(&self) -> usize {
        self.lock().open.len()
    }
}

impl Table {
    /// Closes the connection idle the longest (among `ip`'s when given); `false` if none is idle.
    fn evict_oldest_idle(&mut self, ip: Option<IpAddr>) -> bool {
        let oldest = self
            .open
            .iter()
            .filter(|(_, e)| ip.is_none_or(|ip| e.ip == ip))
            .filter_map(|(id, e)| e.idle_since.map(|since| (since, *id)))
            .min();
        let Some((_, id)) = oldest else {
            return false;
        };
        self.remove(id);
        true
    }

    fn remove(&mut self, id: u64) {
        let Some(entry) = self.open.remove(&id) else {
            return;
        };
        // Its task closes the connection when it sees this (a permit is kept if it is not waiting yet).
        entry.evict.notify_one();
        if let Some(n) = self.per_ip.get_mut(&entry.ip) {
            *n -= 1;
            if *n == 0 {
                self.per_ip.remove(&entry.ip);
            }
        }
    }
}

impl Ticket {
    /// The connection waits for its next request (`true`) or handles one (`false`). `false`
    /// when it was already chosen to make room: it must close, even if a request has begun to
    /// arrive meanwhile, or it would go on uncounted beside the newcomer that took its place.
    #[must_use]
    pub(super) fn set_idle(&self, idle: bool) -> bool {
        match self.conns.lock().open.get_mut(&self.id) {
            Some(entry) => {
                entry.idle_since = idle.then(Instant::now);
                true
            }
            None => false,
        }
    }

    /// Resolves when the connection was chosen to make room for another.
    pub(super) async fn evicted(&self) {
        self.evict.notified().await;
    }
}

impl Drop for Ticket {
    fn drop(&mut self) {
        let mut table = self.conns.lock();
        if let Some(entry) = table.open.get(&self.id) {
            // Not evicted: take it out without waking anyone.
            let ip = entry.ip;
            table.open.remove(&self.id);
            if let Some(n) = table.per_ip.get_mut(&ip) {
                *n -= 1;
                if *n == 0 {
                    table.per_ip.remove(&ip);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_longest_idle_connection_gives_way_and_busy_ones_never_do() {
        let a: IpAddr = "127.0.0.1".parse().unwrap();
        let b: IpAddr = "127.0.0.2".parse().unwrap();
        let conns = Conns::new(3, 2);
        let first = Conns::admit(&conns, a).ok().unwrap();
        let second = Conns::admit(&conns, a).ok().unwrap();
        // a is at its cap: its longest-idle connection (first) makes room.
        let third = Conns::admit(&conns, a).ok().unwrap();
        assert_eq!(conns.open(), 2);
        assert!(!conns.lock().open.contains_key(&first.id));
        // The one that gave way is told so when it next changes state, so it closes.
        assert!(!first.set_idle(false), "an evicted connection must not start a request");
        // Busy connections are never closed: with both of a's busy, a's next one is refused.
        assert!(second.set_idle(false));
        assert!(third.set_idle(false));
        assert!(matches!(Conns::admit(&conns, a), Err(Full::PerIp(2))));
        // The total cap closes the longest-idle connection of any address.
        let other = Conns::admit(&conns, b).ok().unwrap();
        assert_eq!(conns.open(), 3);
        let _newer = Conns::admit(&conns, b).ok().unwrap();
        assert!(!conns.lock().open.contains_key(&other.id));
        drop((first, other));
        assert_eq!(conns.open(), 3);
        drop(second);
        assert_eq!(conns.open(), 2);
    }
}
