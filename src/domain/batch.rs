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
}

/// The rows one batch names, each list sorted and without repeats.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BatchNeeds {
    pub keys: Vec<String>,
    /// The batch's customers.
    pub phones: Vec<Phone>,
    pub skus: Vec<Sku>,
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

/// An order to insert, decided by the engine; the database gives its number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrderToWrite {
    /// The order as it is stored (its `number` is left empty).
    pub order: Order,
    pub phone_normalised: String,
    /// The buyer's name without case or accents, for the desk's search.
    pub name_folded: String,
    pub access_token_hash: String,
    /// Units left after each line, in line order: the ledger's `available_after`.
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
