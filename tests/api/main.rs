//! API tests: each test starts the real server on 127.0.0.1:0 with a fresh
//! database and talks to it over HTTP. SQLite by default;
//! `STOCKROOM_TEST_API_DATABASE=postgres` runs every one on PostgreSQL.

#[path = "../common/pg_schema.rs"]
mod pg_schema;
#[path = "../common/photos.rs"]
mod photos;
#[path = "../common/receivers/mod.rs"]
mod receivers;

mod helpers;
mod smoke;

mod allowed_hosts;
mod auth;
mod catalog;
mod catalog_admin;
mod checkout_model;
mod checkout_rules;
mod checkout_rush;
mod csv;
mod desk;
mod drops;
mod errors;
mod events;
mod history;
mod ledger_property;
mod malformed;
mod movements;
mod notify;
mod operations;
mod overload;
mod preorders;
mod product_edits;
mod rate_limit;
mod reports;
mod request_id;
mod security_headers;
mod shop;
mod staff;
mod stock;
mod stockroom;
mod text_fields;
mod web_assets;
