//! The shop's identity, its delivery zones and honest prices: what
//! `GET /api/v1/shop` shows, what its owner changes, the fee of a zone in
//! an order's total, and an order refused with `price_changed` when the
//! buyer was shown another total.

mod delivery;
mod identity;
mod lookup;
mod prices;
