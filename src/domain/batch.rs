//! A batch of checkouts as data, the same on both databases: the rows it
//! names, what the database holds for it, and what the engine decided to
//! write. The engine (`checkout/`) decides on these values; the store reads
//! them from the database and writes them back.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::Lang;
use super::events::NewEvent;
use super::order::{CheckoutRefusal, Order};
use super::phone::Phone;
use super::settings::Settings;
use super::shop::DeliveryZone;
use super::sku::Sku;

/// A variant as the checkout sees it, the same on both databases: what it
/// is, the server's price and the units on hand.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VariantForSale {
    pub sku: String,
    pub title: String,
    pub size: String,
    pub color: Option<String>,
    pub price: i64,
    pub available: i64,
    /// Its product is active and it is not retired.
    pub for_sale: bool,
    /// Its own low-stock threshold, if it has one.
    pub low_stock_threshold: Option<i64>,
    /// Units received (initial plus restocked), read only when the shop's
    /// low-stock rule is its percent and the variant has no threshold; else 0.
    pub received: i64,
    /// Its preorders, when they are open.
    pub preorder: Option<PreorderTerms>,
}

/// A variant's open preorders as the checkout sees them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PreorderTerms {
    /// Units that may wait for stock at once.
    pub cap: i64,
    /// Units of preorder lines waiting for stock: the places taken.
    pub waiting: i64,
    /// `YYYY-MM-DD`.
    pub ships_by: String,
}

/// A drop as the checkout sees it: its window, its cap per customer, and
/// those of its lines the batch names (every line, when an order names
/// the drop).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DropForSale {
    pub id: String,
    pub slug: String,
    pub name: String,
    /// As stored (`time::format`): compared as text with the batch's time.
    pub starts_at: String,
    pub ends_at: String,
    pub hidden_until_start: bool,
    pub max_units_per_customer: Option<i64>,
    /// By sku.
    pub lines: HashMap<String, DropLineForSale>,
}

/// One line of a drop as the checkout sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DropLineForSale {
    /// Units the drop offers in all.
    pub units: i64,
    /// The drop's price, or its percentage off the product's; neither:
    /// the product's price.
    pub price: Option<i64>,
    pub percent_off: Option<i64>,
    /// Units not yet sold through the drop.
    pub remaining: i64,
}

impl DropLineForSale {
    /// What one unit costs through the drop: its own price, or the
    /// product's less the percentage, rounded to the nearest unit of the
    /// currency (half up).
    pub fn unit_price(&self, product_price: i64) -> i64 {
        match (self.price, self.percent_off) {
            (Some(price), _) => price,
            (None, Some(percent)) => (product_price * (100 - percent) + 50) / 100,
            (None, None) => product_price,
        }
    }
}

/// What a drop's window says of an instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DropMomentKind {
    Upcoming,
    Live,
    Ended,
}

impl DropForSale {
    /// Where `at` (stored form) falls in the window `[starts_at, ends_at)`.
    pub fn moment(&self, at: &str) -> DropMomentKind {
        if at < self.starts_at.as_str() {
            DropMomentKind::Upcoming
        } else if at < self.ends_at.as_str() {
            DropMomentKind::Live
        } else {
            DropMomentKind::Ended
        }
    }
}

/// The rows one batch names, each list sorted and without repeats.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BatchNeeds {
    pub keys: Vec<String>,
    /// The batch's customers.
    pub phones: Vec<Phone>,
    pub skus: Vec<Sku>,
    /// The drops the batch's orders name by slug.
    pub drop_slugs: Vec<String>,
    /// The batch's time, stored form: the drops of its skus that end after
    /// it are read, with what its customers bought in them.
    pub at: String,
}

impl BatchNeeds {
    /// The phones as stored, for a query's parameter.
    pub fn phone_texts(&self) -> Vec<&str> {
        self.phones.iter().map(Phone::as_str).collect()
    }

    /// The skus as stored, for a query's parameter.
    pub fn sku_texts(&self) -> Vec<&str> {
        self.skus.iter().map(Sku::as_str).collect()
    }
}

/// What the database holds for a batch, read inside its transaction.
#[derive(Clone, Debug)]
pub struct BatchSnapshot {
    pub settings: Settings,
    /// The variants of the batch's skus that exist, by sku.
    pub variants: HashMap<String, VariantForSale>,
    /// Orders counted toward the per-customer limit, by normalised phone;
    /// a phone that is absent has none.
    pub orders_counted: HashMap<String, i64>,
    /// The answers kept for the batch's keys, whatever their age.
    pub answers: HashMap<String, KeptAnswer>,
    /// The shop's delivery zones, by id.
    pub zones: HashMap<String, DeliveryZone>,
    /// The drops of the batch's skus that end after its time, and those
    /// its orders name.
    pub drops: Vec<DropForSale>,
    /// Units each customer bought in each of those drops, by (drop id,
    /// normalised phone); absent: none.
    pub drop_bought: HashMap<(String, String), i64>,
}

/// An answer kept with an idempotency key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeptAnswer {
    /// SHA-256 of the canonical body that got this answer.
    pub request_hash: String,
    pub created_at: String,
    pub outcome: KeptOutcome,
}

/// A checkout's answer kept as data, rendered again on a replay: the order
/// placed, or the refusal and the language it was given in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeptOutcome {
    Placed {
        order_id: String,
    },
    Refused {
        refusal: CheckoutRefusal,
        lang: Lang,
    },
}

/// Units one batch takes from one sku, and what it expects to be left: the
/// store checks that the database agrees.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StockTaken {
    pub sku: String,
    pub taken: i64,
    pub left: i64,
}

/// Units one batch takes from one drop line, and what it expects left.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DropUnitsTaken {
    pub drop_id: String,
    pub sku: String,
    pub taken: i64,
    pub left: i64,
}

/// A count a batch adds to, by drop: a customer's units, or the
/// refusals of one code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DropCount {
    pub drop_id: String,
    /// The customer's normalised phone, or the refusal's code.
    pub key: String,
    pub added: i64,
}

/// An order to insert, decided by the engine; the database gives its number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrderToWrite {
    /// The order as it is stored (its `number` is left empty).
    pub order: Order,
    pub phone_normalised: String,
    /// The buyer's name without case or accents, for the desk's search.
    pub name_folded: String,
    pub access_token_hash: String,
    /// Units left after each line, in line order: the ledger's
    /// `available_after` (a preorder line writes no movement).
    pub lines_left: Vec<i64>,
}

/// An answer to keep with its key, new or taking over an expired one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyToKeep {
    pub key: String,
    pub request_hash: String,
    pub outcome: KeptOutcome,
}

/// Everything a batch writes, as the engine decided it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BatchWrites {
    /// When the batch was decided: its orders' and answers' time.
    pub decided_at: DateTime<Utc>,
    /// One entry per sku the batch takes from, in sku order.
    pub stock: Vec<StockTaken>,
    /// The orders placed, in the order they were decided.
    pub orders: Vec<OrderToWrite>,
    /// Orders added to customers' counts toward the limit, by normalised phone.
    pub counts: Vec<(String, i64)>,
    /// Units taken from drop lines, by drop and sku.
    pub drop_units: Vec<DropUnitsTaken>,
    /// Units added to customers' counts in drops.
    pub drop_customers: Vec<DropCount>,
    /// Refusals of checkouts of drops, by drop and code.
    pub drop_refusals: Vec<DropCount>,
    /// Preorder places taken, by sku.
    pub preorder_places: Vec<(String, i64)>,
    pub keep: Vec<KeyToKeep>,
    /// Keys whose request kept no answer (it was invalid): a placeholder or
    /// an expired answer of theirs is deleted.
    pub release: Vec<String>,
    /// The stock events the batch raises (a size sold out, low), in sku
    /// order; each placed order's `order.created` is written with its
    /// number, which the database gives.
    pub events: Vec<NewEvent>,
}

/// A batch once written: what was written, and each placed order's
/// number as the database gave it, in the order of `BatchWrites::orders`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WrittenBatch {
    pub writes: BatchWrites,
    pub numbers: Vec<String>,
}
