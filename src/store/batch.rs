//! The store's side of the checkout engine: what a batch of checkouts reads
//! from the database and what it writes back. The engine (`checkout/`)
//! decides; the store only reads, locks and writes.
//!
//! A batch runs in one transaction: the store reads the settings, asks the
//! engine what the batch names ([`BatchDecider::needs`]), reads those rows
//! (on PostgreSQL it locks them: idempotency keys, then customers, then
//! stock rows, each sorted, always in this order), lets the engine decide
//! against that snapshot ([`BatchDecider::decide`]), writes what it decided
//! and commits.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::StoreError;
use chrono::{DateTime, Utc};

use crate::domain::Lang;
use crate::domain::order::{CheckoutRefusal, Order, ShortLine};
use crate::domain::phone::Phone;
use crate::domain::settings::Settings;
use crate::domain::sku::Sku;

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
}

/// A batch once written: what was written, and each placed order's
/// number as the database gave it, in the order of `BatchWrites::orders`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WrittenBatch {
    pub writes: BatchWrites,
    pub numbers: Vec<String>,
}

/// The checkout engine, as the store sees it. Both calls may run more than
/// once for one batch (a retried transaction); they must not have effects.
pub trait BatchDecider: Send + Sync + 'static {
    /// What the engine hands back with each decision.
    type Decided: Send + 'static;
    /// The rows the batch names, once the settings are known (phones are
    /// normalised with the shop's country code).
    fn needs(&self, settings: &Settings) -> BatchNeeds;
    /// Decides every checkout of the batch against the snapshot.
    fn decide(&self, snapshot: &BatchSnapshot) -> (BatchWrites, Self::Decided);
}

/// Why a batch was not written.
#[derive(Clone, Debug)]
pub enum BatchError {
    /// Nothing was written, and running the batch again may succeed (a
    /// serialization failure, a deadlock, a connection lost before commit).
    Retry(StoreError),
    /// Nothing was written because a statement failed: running each
    /// checkout alone keeps the failure with its own checkout.
    Failed(StoreError),
    /// Every checkout of the batch gets this answer: the database is
    /// unavailable, or the commit's outcome is unknown.
    Final(StoreError),
}

impl BatchError {
    pub fn into_store(self) -> StoreError {
        match self {
            BatchError::Retry(e) | BatchError::Failed(e) | BatchError::Final(e) => e,
        }
    }

    pub fn store_error(&self) -> &StoreError {
        match self {
            BatchError::Retry(e) | BatchError::Failed(e) | BatchError::Final(e) => e,
        }
    }
}

/// The refusal as kept in the `refusal` column: every field, including
/// those the wire form leaves out but the sentence names.
#[derive(Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
enum StoredRefusal {
    InsufficientStock { lines: Vec<StoredShortLine> },
    OrderLimitReached { limit: i64 },
}

#[derive(Serialize, Deserialize)]
struct StoredShortLine {
    sku: String,
    title: String,
    size: String,
    color: Option<String>,
    requested: i64,
    available: i64,
}

impl KeptOutcome {
    /// The `refusal` column's text, for a refusal.
    pub fn refusal_json(refusal: &CheckoutRefusal) -> String {
        let stored = match refusal {
            CheckoutRefusal::InsufficientStock(lines) => StoredRefusal::InsufficientStock {
                lines: lines
                    .iter()
                    .map(|l| StoredShortLine {
                        sku: l.sku.clone(),
                        title: l.title.clone(),
                        size: l.size.clone(),
                        color: l.color.clone(),
                        requested: l.requested,
                        available: l.available,
                    })
                    .collect(),
            },
            CheckoutRefusal::OrderLimitReached { limit } => {
                StoredRefusal::OrderLimitReached { limit: *limit }
            }
        };
        serde_json::to_string(&stored).unwrap_or_default()
    }

    /// Reads a kept outcome back from its columns.
    pub fn from_columns(
        order_id: Option<String>,
        refusal: Option<&str>,
        lang: &str,
    ) -> Result<KeptOutcome, StoreError> {
        if let Some(order_id) = order_id {
            return Ok(KeptOutcome::Placed { order_id });
        }
        let text = refusal.ok_or_else(|| {
            StoreError::Internal("an idempotency key keeps neither an order nor a refusal".into())
        })?;
        let stored: StoredRefusal = serde_json::from_str(text)
            .map_err(|e| StoreError::Internal(format!("a kept refusal cannot be read: {e}")))?;
        let refusal = match stored {
            StoredRefusal::InsufficientStock { lines } => CheckoutRefusal::InsufficientStock(
                lines
                    .into_iter()
                    .map(|l| ShortLine {
                        sku: l.sku,
                        title: l.title,
                        size: l.size,
                        color: l.color,
                        requested: l.requested,
                        available: l.available,
                    })
                    .collect(),
            ),
            StoredRefusal::OrderLimitReached { limit } => {
                CheckoutRefusal::OrderLimitReached { limit }
            }
        };
        Ok(KeptOutcome::Refused {
            refusal,
            lang: Lang::from_code(lang),
        })
    }

    /// The columns `order_id`, `refusal` and `lang` of this outcome.
    pub fn columns(&self) -> (Option<&str>, Option<String>, &'static str) {
        match self {
            KeptOutcome::Placed { order_id } => (Some(order_id), None, Lang::Fr.code()),
            KeptOutcome::Refused { refusal, lang } => {
                (None, Some(Self::refusal_json(refusal)), lang.code())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_refusal_reads_back_with_every_field_and_its_language() {
        let refusal = CheckoutRefusal::InsufficientStock(vec![ShortLine {
            sku: "ROBE-M".into(),
            title: "Robe d'été".into(),
            size: "M".into(),
            color: Some("rouge".into()),
            requested: 5,
            available: 3,
        }]);
        let kept = KeptOutcome::Refused {
            refusal,
            lang: Lang::En,
        };
        let (order_id, text, lang) = kept.columns();
        let back = KeptOutcome::from_columns(order_id.map(str::to_owned), text.as_deref(), lang)
            .expect("it reads back");
        assert_eq!(back, kept);
    }
}
