//! Capped exponential backoff with jitter, bounded by a deadline: the one
//! way stockroom waits before trying again (a batch of checkouts after a
//! deadlock, a transaction after a lost connection, SQLite's write lock
//! held by another process).

use std::time::{Duration, Instant};

pub struct Backoff {
    deadline: Instant,
    pause: Duration,
    pause_max: Duration,
}

impl Backoff {
    /// From 2 ms, doubling to 200 ms at most.
    pub fn until(deadline: Instant) -> Backoff {
        Backoff::with_pauses(
            deadline,
            Duration::from_millis(2),
            Duration::from_millis(200),
        )
    }

    pub fn with_pauses(deadline: Instant, first: Duration, pause_max: Duration) -> Backoff {
        Backoff {
            deadline,
            pause: first,
            pause_max,
        }
    }

    /// How long to wait before the next attempt; `None` when waiting would
    /// end past the deadline. Half fixed, half random: racing instances
    /// spread out instead of colliding again in step.
    pub fn next_pause(&mut self) -> Option<Duration> {
        let jitter = Duration::from_micros(rand::random_range(0..=self.pause.as_micros() as u64));
        let sleep = self.pause / 2 + jitter / 2;
        if Instant::now() + sleep > self.deadline {
            return None;
        }
        self.pause = (self.pause * 2).min(self.pause_max);
        Some(sleep)
    }

    /// Sleeps before the next attempt; false when it would end past the deadline.
    pub async fn wait(&mut self) -> bool {
        match self.next_pause() {
            Some(pause) => {
                tokio::time::sleep(pause).await;
                true
            }
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pauses_grow_to_their_cap_and_stop_at_the_deadline() {
        let mut backoff = Backoff::with_pauses(
            Instant::now() + Duration::from_secs(60),
            Duration::from_millis(2),
            Duration::from_millis(8),
        );
        let pauses: Vec<Duration> = (0..5).filter_map(|_| backoff.next_pause()).collect();
        assert_eq!(pauses.len(), 5);
        assert!(pauses[0] >= Duration::from_millis(1) && pauses[0] <= Duration::from_millis(2));
        assert!(pauses[4] >= Duration::from_millis(4) && pauses[4] <= Duration::from_millis(8));
        let mut late = Backoff::until(Instant::now());
        assert_eq!(late.next_pause(), None);
    }
}
