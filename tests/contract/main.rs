//! The store contract suite: the checkout's scenarios and the ledger's
//! rules, written once against `Store` and run on SQLite and on PostgreSQL
//! from the same code. Every test exists twice, `…::on_sqlite` and
//! `…::on_postgres`; the PostgreSQL one says it is skipped when
//! `STOCKROOM_TEST_DATABASE_URL` is not set, and fails instead in CI
//! (`CI` set), as `no_silent_skips.rs` checks.

#[path = "../common/pg_schema.rs"]
mod pg_schema;

mod harness;

mod batch;
mod cancel;
mod checkout;
mod conservation;
mod desk_migration;
mod engine_model;
mod idempotency;
mod import;
mod limit;
mod lost_connections;
mod no_silent_skips;
mod phones;
mod schema;
