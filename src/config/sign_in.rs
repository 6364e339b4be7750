//! How long a back-office session lasts, and when failed sign-ins make
//! the next ones wait.

use chrono::Duration;
use clap::Args;

use crate::domain::sign_in::SignInLimits;

/// The flags of `serve` for sessions and sign-in.
#[derive(Args, Clone, Debug)]
pub struct SignInArgs {
    /// A session unused for this many minutes ends (the next request
    /// signs in again).
    #[arg(long, env = "STOCKROOM_SESSION_IDLE_MINUTES",
          default_value_t = SignInConfig::DEFAULT_IDLE_MINUTES,
          value_parser = clap::value_parser!(u32).range(1..=525_600))]
    pub session_idle_minutes: u32,

    /// A session ends this many hours after its sign-in, used or not.
    #[arg(long, env = "STOCKROOM_SESSION_MAX_HOURS",
          default_value_t = SignInConfig::DEFAULT_MAX_HOURS,
          value_parser = clap::value_parser!(u32).range(1..=8_760))]
    pub session_max_hours: u32,

    /// Consecutive failed sign-ins for one name before every attempt
    /// waits, the right password too.
    #[arg(long, env = "STOCKROOM_SIGN_IN_NAME_FAILURES_MAX",
          default_value_t = SignInLimits::default().name_failures_max,
          value_parser = clap::value_parser!(u32).range(1..=1_000))]
    pub sign_in_name_failures_max: u32,

    /// Failed sign-ins from one client address before its attempts wait.
    #[arg(long, env = "STOCKROOM_SIGN_IN_ADDRESS_FAILURES_MAX",
          default_value_t = SignInLimits::default().address_failures_max,
          value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub sign_in_address_failures_max: u32,

    /// Failures are counted while each comes within this many minutes of
    /// the one before.
    #[arg(long, env = "STOCKROOM_SIGN_IN_WINDOW_MINUTES",
          default_value_t = SignInLimits::default().window.num_minutes() as u32,
          value_parser = clap::value_parser!(u32).range(1..=1_440))]
    pub sign_in_window_minutes: u32,

    /// The first wait past a threshold, in seconds; each further failure
    /// doubles it, up to an hour.
    #[arg(long, env = "STOCKROOM_SIGN_IN_FIRST_WAIT_SECONDS",
          default_value_t = SignInLimits::default().first_wait.num_seconds() as u32,
          value_parser = clap::value_parser!(u32).range(1..=86_400))]
    pub sign_in_first_wait_seconds: u32,
}

/// Sessions' lifetimes and sign-in limits, as the server reads them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignInConfig {
    pub session_idle: Duration,
    pub session_max: Duration,
    pub limits: SignInLimits,
    /// How long a setup link works (48 hours, as the contract says).
    pub setup_link_valid_for: Duration,
}

impl SignInConfig {
    /// 12 hours: a day at the counter without signing in again.
    pub const DEFAULT_IDLE_MINUTES: u32 = 12 * 60;
    /// A week: even a session used every day signs in again weekly.
    pub const DEFAULT_MAX_HOURS: u32 = 7 * 24;

    pub fn from_args(args: &SignInArgs) -> SignInConfig {
        let limits = SignInLimits {
            name_failures_max: args.sign_in_name_failures_max,
            address_failures_max: args.sign_in_address_failures_max,
            window: Duration::minutes(args.sign_in_window_minutes.into()),
            first_wait: Duration::seconds(args.sign_in_first_wait_seconds.into()),
            ..SignInLimits::default()
        };
        SignInConfig {
            session_idle: Duration::minutes(args.session_idle_minutes.into()),
            session_max: Duration::hours(args.session_max_hours.into()),
            limits,
            ..SignInConfig::default()
        }
    }
}

impl Default for SignInConfig {
    fn default() -> Self {
        SignInConfig {
            session_idle: Duration::minutes(SignInConfig::DEFAULT_IDLE_MINUTES.into()),
            session_max: Duration::hours(SignInConfig::DEFAULT_MAX_HOURS.into()),
            limits: SignInLimits::default(),
            setup_link_valid_for: Duration::hours(48),
        }
    }
}
