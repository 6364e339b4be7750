//! The outbox: events written in the transaction of their change, read
//! back in id order without gaps, their stock thresholds, and the
//! waitlist's signups queued once.

mod delivery;
mod outbox;
mod stream;
mod waitlist;
