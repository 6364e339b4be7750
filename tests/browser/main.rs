//! Browser tests: the real server, seeded with the demo shop, driven in
//! Debian's headless Chromium (`/usr/bin/chromium`, or `STOCKROOM_CHROMIUM`).
//! Without Chromium each test says it is skipped and passes, except in CI
//! (`CI` set), where it fails (`no_silent_skips.rs` checks it). Every view a
//! test waits for, and every dialog it opens, must pass axe-core's WCAG 2.1
//! AA rules (`axe.rs`); axe-core comes from npm (`npm ci --prefix
//! tests/browser/axe`), and without it a test runs without that check and
//! says so, except in CI, where it fails. Screenshots go to
//! `target/browser-screenshots/`; `STOCKROOM_DOCS_SCREENSHOTS=1` also
//! refreshes the README's, in `docs/screenshots/`.

mod api_docs;
mod axe;
mod back_office;
mod back_office_rules;
mod back_office_words;
mod buyer;
mod catalog;
mod checks;
mod chrome;
mod csv;
mod desk_reports;
mod drops;
mod every_page;
mod journal;
mod live_orders;
mod no_silent_skips;
mod notifications;
mod order_desk;
#[path = "../common/photos.rs"]
mod photos;
mod preorders;
mod product_photos;
#[path = "../common/receivers/mod.rs"]
mod receivers;
mod receiving;
mod screenshots;
mod shop;
mod shop_identity;
#[path = "../common/skip.rs"]
mod skip;
mod staff;
mod storefront;
mod waitlist;
mod webhooks;
