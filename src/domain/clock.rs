//! The shop's clock: what the checkout, the drops and their pages call
//! "now". The wall clock, moved by an offset (`serve --demo
//! --clock-offset`, for the browser tests of a drop's countdown) or held
//! still at one instant (the API tests of a drop's first millisecond).
//! Cheap to clone; every clone reads and moves the same clock.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, TimeDelta, Utc};

/// Held still at no instant: the clock runs.
const RUNNING: i64 = i64::MIN;

#[derive(Clone, Debug, Default)]
pub struct Clock {
    inner: Arc<Hands>,
}

#[derive(Debug)]
struct Hands {
    /// Microseconds added to the wall clock.
    offset_micros: AtomicI64,
    /// Microseconds since the epoch the clock is held at, or `RUNNING`.
    held_micros: AtomicI64,
}

impl Default for Hands {
    fn default() -> Self {
        Hands {
            offset_micros: AtomicI64::new(0),
            held_micros: AtomicI64::new(RUNNING),
        }
    }
}

impl Clock {
    /// The wall clock moved by `offset`.
    pub fn offset_by(offset: TimeDelta) -> Clock {
        let clock = Clock::default();
        clock.set_offset(offset);
        clock
    }

    pub fn now(&self) -> DateTime<Utc> {
        let held = self.inner.held_micros.load(Ordering::Relaxed);
        if held != RUNNING {
            return DateTime::from_timestamp_micros(held).unwrap_or_default();
        }
        let offset = self.inner.offset_micros.load(Ordering::Relaxed);
        Utc::now() + TimeDelta::microseconds(offset)
    }

    /// Moves the running clock by `offset` from the wall clock.
    pub fn set_offset(&self, offset: TimeDelta) {
        let micros = offset.num_microseconds().unwrap_or(0);
        self.inner.offset_micros.store(micros, Ordering::Relaxed);
    }

    /// Holds the clock at `at` until `run` (tests).
    pub fn hold_at(&self, at: DateTime<Utc>) {
        let micros = at.timestamp_micros().max(RUNNING + 1);
        self.inner.held_micros.store(micros, Ordering::Relaxed);
    }

    /// Lets a held clock run again.
    pub fn run(&self) {
        self.inner.held_micros.store(RUNNING, Ordering::Relaxed);
    }

    /// How far the clock is from the wall clock, for `/healthz`-style reports.
    pub fn offset(&self) -> TimeDelta {
        self.now() - Utc::now()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_held_clock_answers_its_instant_and_every_clone_moves_with_it() {
        let clock = Clock::default();
        let copy = clock.clone();
        let at = DateTime::parse_from_rfc3339("2026-12-24T18:00:00.001Z")
            .expect("a time")
            .with_timezone(&Utc);
        clock.hold_at(at);
        assert_eq!(copy.now(), at);
        copy.run();
        assert!((clock.now() - Utc::now()).num_seconds().abs() < 5);
    }

    #[test]
    fn an_offset_moves_the_wall_clock() {
        let clock = Clock::offset_by(TimeDelta::hours(2));
        let ahead = clock.now() - Utc::now();
        assert!(ahead > TimeDelta::minutes(119) && ahead < TimeDelta::minutes(121));
    }
}
