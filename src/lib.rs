//! stockroom: the stock and order service of a small shop, whose checkout
//! never oversells, never refuses an order that stock could serve, and
//! never acknowledges an order it could lose.
//!
//! # Layout
//!
//! - [`config`]: every setting, from flags and `STOCKROOM_…` variables: the
//!   database url and the settings a store opens with among them.
//! - [`cli`]: one file per subcommand (`serve`, `config`, `migrate`, `admin`,
//!   `audit`, `import`, `export`, `backup`, `load`).
//! - [`domain`]: the shop's rules and values (skus, phones, orders, stock
//!   movements, preorders and how a restock shares its units among them,
//!   admins and their roles, passwords, when a sign-in waits,
//!   lists in pages, a batch of checkouts as data, messages in French and
//!   English, the notification channels' settings, tokens, photos checked
//!   and encoded again, the rules of every CSV and the catalog as CSV); no
//!   I/O.
//! - [`checkout`]: the checkout engine: every checkout rule, once, in a pure
//!   decision (`checkout/decide.rs`), and the one sequencer that batches
//!   checkouts into transactions on either database (group commit).
//! - [`store`]: the only SQL. It decides nothing: business verbs
//!   (`restock`, `set_order_status`, `audit`…), each one transaction,
//!   written once for both databases over a few primitives each supplies
//!   (`store/db.rs`), and a batch of checkouts read (locked on PostgreSQL),
//!   written and committed as the engine decided (`store/batch.rs`). SQLite
//!   through one writer thread (checkpoints on a thread of their own),
//!   PostgreSQL through a pool, for several instances on one database.
//! - [`http`]: the axum router, one file per resource, who is asking
//!   (`http/auth.rs`: a session or an API token, and the role a route
//!   needs, checked by its handler's extractor), the one table from
//!   errors to HTTP statuses (`http/problem/`), and the storefront and
//!   back office pages of `web/`, embedded and served by `http/web/`
//!   (content-hashed names, compressed once at start-up);
//!   under it the server itself (`http/serve/`): the caps on connections,
//!   their timers and the shutdown's deadline.
//! - [`notify`]: the channels an event leaves by once the outbox hands it
//!   over: webhooks signed as Standard Webhooks to targets checked against
//!   private addresses at every send, e-mail over SMTP, SMS through the
//!   owner's HTTP gateway, and their French texts; no database, no routes.
//! - [`outbox`]: the outbox's worker of each instance: events numbered
//!   (PostgreSQL) and fanned out to their targets, deliveries claimed for a
//!   lease, sent through [`notify`] and their outcomes written; never inside
//!   a checkout.
//! - [`metrics`]: the Prometheus metrics of `GET /metrics`, one recorder per
//!   app; it imports neither the store nor the HTTP layer.
//! - [`demo`]: the demo catalog of `serve --demo`.
//! - [`disk`]: whether the disk under the database is full, as the store's
//!   writes found it (for `/readyz`, the metrics and the log), and the file
//!   a probe writes to see if space was freed.
//! - [`files`]: files at rest (the database, backups, exports) made
//!   readable by their owner only, a backup never written through a link.
//! - [`malloc`]: glibc's allocator tuned once at start-up, for SQLite's
//!   churn of small allocations under a rush (the one `unsafe` call).
//! - [`backoff`]: how the sequencer and the store's transactions wait
//!   before trying again (capped, jittered, under a deadline).
//!
//! Arrows point down: cli → http → checkout (and outbox) → store →
//! domain. `notify` imports only `domain`; the outbox calls it. `disk`,
//! `files`, `malloc` and `backoff` import nothing of stockroom.
//! `docs/ARCHITECTURE.md` tells the life of a checkout and the invariants.

pub mod backoff;
pub mod checkout;
pub mod cli;
pub mod config;
pub mod demo;
pub mod disk;
pub mod domain;
pub mod files;
pub mod http;
pub mod malloc;
pub mod metrics;
pub mod notify;
pub mod outbox;
pub mod store;
