//! When a sign-in must wait: failures are counted per name and per client
//! address; past a threshold every attempt waits, the right password too,
//! and each failure after a wait doubles the next one. No I/O: the counts
//! are read and written by the store, the clock is an input.

use chrono::{DateTime, Duration, Utc};

/// The thresholds and delays of sign-in attempts (settings of `serve`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignInLimits {
    /// Consecutive failures for one name before attempts wait (10: the
    /// 11th is refused).
    pub name_failures_max: u32,
    /// Failures from one client address before attempts wait (30).
    pub address_failures_max: u32,
    /// Failures are counted while each comes within this time of the one
    /// before (15 minutes); after a quiet window they are forgotten.
    pub window: Duration,
    /// The first wait past a threshold; each further failure doubles it…
    pub first_wait: Duration,
    /// …up to this.
    pub longest_wait: Duration,
}

impl Default for SignInLimits {
    fn default() -> Self {
        SignInLimits {
            name_failures_max: 10,
            address_failures_max: 30,
            window: Duration::minutes(15),
            first_wait: Duration::minutes(15),
            longest_wait: Duration::hours(1),
        }
    }
}

/// The failures counted for one name or one address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Failures {
    pub count: u32,
    pub last_at: DateTime<Utc>,
}

impl SignInLimits {
    /// How long an attempt must still wait, given the failures counted for
    /// its subject and that subject's threshold; `None` when it may try.
    pub fn wait(
        &self,
        failures: Option<Failures>,
        max: u32,
        now: DateTime<Utc>,
    ) -> Option<Duration> {
        let failures = failures.filter(|f| !self.forgotten(f, max, now))?;
        let until = failures.last_at + self.delay(failures.count, max);
        (now < until).then(|| until - now)
    }

    /// Whether a new failure starts the count again, the previous ones
    /// forgotten: a window has passed since the last failure and its wait.
    pub fn forgotten(&self, failures: &Failures, max: u32, now: DateTime<Utc>) -> bool {
        now > failures.last_at + self.delay(failures.count, max) + self.window
    }

    /// The wait after `count` failures: none below the threshold, then the
    /// first wait doubled for each failure past it, capped.
    fn delay(&self, count: u32, max: u32) -> Duration {
        if count < max {
            return Duration::zero();
        }
        let doublings = (count - max).min(20);
        (self.first_wait * 2_i32.pow(doublings)).min(self.longest_wait)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minutes: i64) -> DateTime<Utc> {
        DateTime::UNIX_EPOCH + Duration::minutes(minutes)
    }

    fn failures(count: u32, last_minute: i64) -> Option<Failures> {
        Some(Failures {
            count,
            last_at: at(last_minute),
        })
    }

    #[test]
    fn below_the_threshold_nobody_waits() {
        let limits = SignInLimits::default();
        assert_eq!(limits.wait(None, 10, at(0)), None);
        assert_eq!(limits.wait(failures(9, 0), 10, at(0)), None);
    }

    #[test]
    fn at_the_threshold_the_next_attempt_waits_the_first_wait() {
        let limits = SignInLimits::default();
        assert_eq!(
            limits.wait(failures(10, 0), 10, at(1)),
            Some(Duration::minutes(14))
        );
        assert_eq!(limits.wait(failures(10, 0), 10, at(15)), None);
    }

    #[test]
    fn each_failure_past_the_threshold_doubles_the_wait_up_to_the_longest() {
        let limits = SignInLimits::default();
        assert_eq!(
            limits.wait(failures(11, 0), 10, at(0)),
            Some(Duration::minutes(30))
        );
        assert_eq!(
            limits.wait(failures(40, 0), 10, at(0)),
            Some(Duration::hours(1))
        );
    }

    #[test]
    fn failures_are_forgotten_a_window_after_the_last_wait_ends() {
        let limits = SignInLimits::default();
        let counted = failures(10, 0).expect("ten failures");
        assert!(!limits.forgotten(&counted, 10, at(29)));
        assert!(limits.forgotten(&counted, 10, at(31)));
        assert!(limits.forgotten(&failures(3, 0).expect("three failures"), 10, at(16)));
    }
}
