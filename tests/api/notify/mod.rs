//! The channels of `stockroom::notify` against real receivers on
//! 127.0.0.1 (`tests/common/receivers/`): a webhook endpoint and an SMS
//! gateway that answer, fail, hang or redirect, and an SMTP server that
//! delivers, refuses, hangs or closes the connection.

mod email;
mod sms;
mod webhook;

use std::time::Duration;

use stockroom::notify::Outbound;

/// Deadlines long enough for a loaded machine to answer a receiver on
/// 127.0.0.1, with private targets allowed (the receivers are on loopback).
fn outbound() -> Outbound {
    Outbound {
        allow_private: true,
        webhook_timeout: Duration::from_secs(10),
        sms_timeout: Duration::from_secs(10),
        smtp_timeout: Duration::from_secs(10),
        smtp_command_timeout: Duration::from_secs(10),
    }
}

/// Every deadline at `after`, for receivers that never answer.
fn impatient(after: Duration) -> Outbound {
    Outbound {
        allow_private: true,
        webhook_timeout: after,
        sms_timeout: after,
        smtp_timeout: after,
        smtp_command_timeout: after,
    }
}

/// How long a test waits for what a receiver should have got by now.
const ARRIVAL: Duration = Duration::from_secs(5);
