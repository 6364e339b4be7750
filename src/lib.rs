//! stockroom: the stock and order service of a small shop, whose checkout
//! never oversells, never refuses an order that stock could serve, and
//! never acknowledges an order it could lose.
//!
//! # Layout
//!
//! - [`config`]: every setting, from flags and `STOCKROOM_…` variables.
//! - [`cli`]: one file per subcommand (`serve`, `config`, `migrate`, `admin`,
//!   `audit`, `import`, `export`, `backup`, `load`).
//! - [`domain`]: the shop's rules and values (skus, phones, orders, stock
//!   movements, messages in French and English); no I/O.
//! - [`store`]: the only SQL. Business verbs (`place_order`, `restock`, …),
//!   each one transaction, all but the checkout written once for both
//!   databases over a few primitives each supplies; SQLite through one
//!   writer thread with group commit (checkpoints on a thread of their
//!   own), PostgreSQL through a pool, one transaction per verb, for several
//!   instances on one database, with checkouts group-committed too (a
//!   batch's orders written with one statement per table).
//! - [`http`]: the axum router, one file per resource, the one table from
//!   errors to HTTP statuses (`http/problem/`), and the storefront and
//!   back office pages of `web/`, embedded and served by `http/web.rs`.
//! - [`metrics`]: the Prometheus metrics of `GET /metrics`, one recorder per app.
//! - [`demo`]: the demo catalog of `serve --demo`.
//!
//! `docs/ARCHITECTURE.md` tells the life of a checkout and the invariants.

pub mod cli;
pub mod config;
pub mod demo;
pub mod domain;
pub mod http;
pub mod metrics;
pub mod store;
