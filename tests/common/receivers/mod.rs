//! Real receivers on 127.0.0.1 for the tests of notifications: an HTTP
//! server that stands in for webhook endpoints and SMS gateways, and an
//! SMTP server that stands in for the shop's mail server. Each starts on a
//! port of its own, records what it gets, answers as the test tells it
//! (a status, a delay, a redirect, a hang, a closed connection), and can
//! be told to answer differently while it runs.
//!
//! A test binary includes them with
//! `#[path = "../common/receivers/mod.rs"] mod receivers;`, then:
//!
//! ```ignore
//! let hooks = HttpReceiver::start().await;            // answers 200
//! // … point a webhook at hooks.url("/in"), act …
//! let got = hooks.wait_for(1, Duration::from_secs(5)).await;
//! got[0].verify_webhook(&secret.expose()).expect("signed"); // Standard Webhooks
//! assert!(hooks.overlapping_ids().is_empty());        // no id twice at once
//!
//! let mail = SmtpReceiver::start().await;             // accepts everything
//! // … an e-mail channel with host "127.0.0.1", mail.port(), tls "none" …
//! let mails = mail.wait_for(1, Duration::from_secs(5)).await;
//! assert_eq!(mails[0].subject(), "Nouvelle commande SR-1042 : …");
//! ```
//!
//! "Receivers stopped, then started": `stop().await` closes the port (new
//! connections are refused), and `HttpReceiver::start_on(address, …)`
//! opens the same one again.

// Each test binary that includes them uses a part.
#![allow(dead_code, unused_imports)]

mod http;
mod mime;
mod smtp;

pub use http::{Answer, HttpReceiver, ReceivedRequest};
pub use smtp::{ReceivedMail, SmtpBehaviour, SmtpReceiver};
