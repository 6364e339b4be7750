//! The caps on open connections: one on all of them, so the process never
//! runs out of open files, and a smaller one per client address, so one
//! address cannot take them all.
//!
//! The per-address cap counts the TCP peer, the only address a client
//! cannot choose (an IPv6 peer by its /64, as the rate limit counts it). A
//! trusted proxy is exempt: all its clients share its address, and the
//! proxy caps them itself.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex, PoisonError};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::config::AddressBlock;
use crate::http::client_address::budget_key;

/// The caps of one server.
pub struct ConnectionCaps {
    total: Arc<Semaphore>,
    total_max: usize,
    per_address_max: usize,
    trusted: Vec<AddressBlock>,
    open_by_address: Arc<Mutex<HashMap<IpAddr, usize>>>,
}

/// A connection's place under both caps; given back when dropped.
pub struct Admitted {
    _total: OwnedSemaphorePermit,
    _address: Option<AddressSlot>,
}

/// A connection counted against its address.
struct AddressSlot {
    open_by_address: Arc<Mutex<HashMap<IpAddr, usize>>>,
    key: IpAddr,
}

impl Drop for AddressSlot {
    fn drop(&mut self) {
        let mut open = lock(&self.open_by_address);
        if let Some(count) = open.get_mut(&self.key) {
            *count -= 1;
            if *count == 0 {
                // An address with nothing open costs no memory.
                open.remove(&self.key);
            }
        }
    }
}

impl ConnectionCaps {
    /// `total` connections at most, `per_address_max` from one address but
    /// a trusted proxy.
    pub fn new(total: usize, per_address_max: usize, trusted: Vec<AddressBlock>) -> Self {
        debug_assert!(total > 0 && per_address_max > 0);
        ConnectionCaps {
            total: Arc::new(Semaphore::new(total)),
            total_max: total,
            per_address_max,
            trusted,
            open_by_address: Arc::default(),
        }
    }

    /// Waits for room under the total cap: while every place is taken, new
    /// connections wait in the listen queue rather than fail.
    pub async fn room(&self) -> OwnedSemaphorePermit {
        // The semaphore is never closed, so acquiring cannot fail; a closed
        // one would only mean no more room ever.
        match self.total.clone().acquire_owned().await {
            Ok(permit) => permit,
            Err(_) => std::future::pending().await,
        }
    }

    /// Connections open at most, and from one address.
    pub fn maxima(&self) -> (usize, usize) {
        (self.total_max, self.per_address_max)
    }

    /// Whether every place under the total cap is taken.
    pub fn full(&self) -> bool {
        self.total.available_permits() == 0
    }

    /// Admits a connection from `peer` with its place under the total cap,
    /// or `None` when its address already holds as many as it may.
    pub fn admit(&self, peer: IpAddr, room: OwnedSemaphorePermit) -> Option<Admitted> {
        let peer = peer.to_canonical();
        if self.trusted.iter().any(|block| block.contains(peer)) {
            return Some(Admitted {
                _total: room,
                _address: None,
            });
        }
        let key = budget_key(peer);
        let mut open = lock(&self.open_by_address);
        let count = open.entry(key).or_insert(0);
        if *count >= self.per_address_max {
            return None;
        }
        *count += 1;
        Some(Admitted {
            _total: room,
            _address: Some(AddressSlot {
                open_by_address: self.open_by_address.clone(),
                key,
            }),
        })
    }

    /// Connections open from `peer`'s address (its /64 for IPv6).
    #[cfg(test)]
    fn open_from(&self, peer: IpAddr) -> usize {
        let key = budget_key(peer.to_canonical());
        lock(&self.open_by_address).get(&key).copied().unwrap_or(0)
    }
}

/// The counts stay right even if a thread panicked while holding them: each
/// change is one arithmetic step.
fn lock(
    counts: &Mutex<HashMap<IpAddr, usize>>,
) -> std::sync::MutexGuard<'_, HashMap<IpAddr, usize>> {
    counts.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().expect("an address")
    }

    async fn admit(caps: &ConnectionCaps, peer: &str) -> Option<Admitted> {
        let room = caps.room().await;
        caps.admit(ip(peer), room)
    }

    #[tokio::test]
    async fn an_address_at_its_cap_is_refused_and_others_are_not() {
        let caps = ConnectionCaps::new(10, 2, Vec::new());
        let first = admit(&caps, "198.51.100.7").await;
        let second = admit(&caps, "198.51.100.7").await;
        assert!(first.is_some() && second.is_some());
        assert!(admit(&caps, "198.51.100.7").await.is_none());
        assert!(admit(&caps, "203.0.113.9").await.is_some());
        assert_eq!(caps.open_from(ip("198.51.100.7")), 2);
        drop(first);
        assert_eq!(caps.open_from(ip("198.51.100.7")), 1);
        assert!(admit(&caps, "198.51.100.7").await.is_some());
    }

    #[tokio::test]
    async fn a_refused_connection_gives_its_place_under_the_total_back() {
        let caps = ConnectionCaps::new(2, 1, Vec::new());
        let kept = admit(&caps, "198.51.100.7").await;
        assert!(kept.is_some());
        assert!(admit(&caps, "198.51.100.7").await.is_none());
        assert!(!caps.full(), "the refused one holds no place");
        let other = admit(&caps, "203.0.113.9").await;
        assert!(other.is_some());
        assert!(caps.full());
        drop(other);
        assert!(!caps.full());
    }

    #[tokio::test]
    async fn a_trusted_proxy_is_not_capped_per_address_but_counts_toward_the_total() {
        let trusted = vec!["10.0.0.0/8".parse().expect("a block")];
        let caps = ConnectionCaps::new(3, 1, trusted);
        let held: Vec<_> = futures_of(&caps, "10.0.0.5", 3).await;
        assert!(held.iter().all(Option::is_some));
        assert!(caps.full());
        assert_eq!(caps.open_from(ip("10.0.0.5")), 0);
    }

    #[tokio::test]
    async fn ipv6_peers_are_counted_by_their_64_and_mapped_ipv4_as_ipv4() {
        let caps = ConnectionCaps::new(10, 1, Vec::new());
        let held = admit(&caps, "2001:db8:1:2::1").await;
        assert!(held.is_some());
        assert!(admit(&caps, "2001:db8:1:2::99").await.is_none());
        assert!(admit(&caps, "2001:db8:1:3::1").await.is_some());
        let v4 = admit(&caps, "203.0.113.9").await;
        assert!(v4.is_some());
        assert!(admit(&caps, "::ffff:203.0.113.9").await.is_none());
    }

    #[tokio::test]
    async fn an_address_with_nothing_open_is_forgotten() {
        let caps = ConnectionCaps::new(10, 5, Vec::new());
        let held = admit(&caps, "198.51.100.7").await;
        drop(held);
        assert!(lock(&caps.open_by_address).is_empty());
    }

    async fn futures_of(caps: &ConnectionCaps, peer: &str, n: usize) -> Vec<Option<Admitted>> {
        let mut held = Vec::new();
        for _ in 0..n {
            held.push(admit(caps, peer).await);
        }
        held
    }
}
