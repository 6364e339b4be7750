//! Several instances on one PostgreSQL: three real `stockroom serve`
//! processes share one database (a schema of the test's own) and take the
//! rush scenarios at the same time; then one of them is killed in the
//! middle of a storm; and what one instance learns of signing in
//! (sessions, revocations, failed attempts) the others know at once, and
//! a photo uploaded through one the others serve; and the outbox's events
//! are numbered once and delivered by one instance at a time.
//! Skipped, saying so, when `STOCKROOM_TEST_DATABASE_URL` is not set;
//! failed instead in CI (`CI` set).

#[path = "../common/pg_schema.rs"]
mod pg_schema;
#[path = "../common/photos.rs"]
mod photos;
#[path = "../common/receivers/mod.rs"]
mod receivers;

mod cluster;
mod counts;
mod crash;
mod desk;
mod events;
mod product_photos;
mod rush;
mod shop;
mod staff;
