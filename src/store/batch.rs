//! The store's side of the checkout engine: the engine as the store calls
//! it ([`BatchDecider`]), why a batch was not written ([`BatchError`]), the
//! snapshot read from the rows each database answers, and how a
//! checkout's answer is kept in the columns of `idempotency_keys`.
//! The engine (`checkout/`) decides; the store only reads, locks and
//! writes the values of `domain/batch.rs`.
//!
//! A batch runs in one transaction: the store reads the settings, asks the
//! engine what the batch names ([`BatchDecider::needs`]), reads those rows
//! (on PostgreSQL it locks them: idempotency keys, then customers, then
//! stock rows, each sorted, always in this order), lets the engine decide
//! against that snapshot ([`BatchDecider::decide`]), writes what it decided
//! and commits.

use serde::{Deserialize, Serialize};

use super::StoreError;
use super::catalog::color_from_stored;
use super::row::{Row, pair_row};
use crate::domain::Lang;
use crate::domain::batch::{
    BatchNeeds, BatchSnapshot, BatchWrites, KeptAnswer, KeptOutcome, VariantForSale,
};
use crate::domain::order::{CheckoutRefusal, ShortLine};
use crate::domain::settings::Settings;
use crate::domain::shop::DeliveryZone;

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

/// What the database holds for a batch, from the rows its reads answered,
/// the same columns on both databases: the variants for sale (`sku, title,
/// size, color, price, available, for_sale, low_stock_threshold, received`), the customers' counts (`phone,
/// orders_counted`) and the answers kept with the batch's keys (`key,
/// request_hash, created_at, order_id, refusal, lang`), and the shop's
/// delivery zones.
pub(super) fn snapshot_of(
    settings: Settings,
    variants: &[Row],
    counts: &[Row],
    answers: &[Row],
    zones: Vec<DeliveryZone>,
) -> Result<BatchSnapshot, StoreError> {
    let mut snapshot = BatchSnapshot {
        settings,
        variants: Default::default(),
        orders_counted: Default::default(),
        answers: Default::default(),
        zones: Default::default(),
    };
    for zone in zones {
        snapshot.zones.insert(zone.id.clone(), zone);
    }
    for row in variants {
        let variant = VariantForSale {
            sku: row.value(0)?,
            title: row.value(1)?,
            size: row.value(2)?,
            color: color_from_stored(row.value(3)?),
            price: row.value(4)?,
            available: row.value(5)?,
            for_sale: row.value::<i64>(6)? == 1,
            low_stock_threshold: row.value(7)?,
            received: row.value(8)?,
        };
        snapshot.variants.insert(variant.sku.clone(), variant);
    }
    for row in counts {
        let (phone, count) = pair_row(row)?;
        snapshot.orders_counted.insert(phone, count);
    }
    for row in answers {
        let (order_id, refusal): (Option<String>, Option<String>) = (row.value(3)?, row.value(4)?);
        if order_id.is_none() && refusal.is_none() {
            continue; // a placeholder of this batch's own, on PostgreSQL
        }
        let lang: String = row.value(5)?;
        let answer = KeptAnswer {
            request_hash: row.value(1)?,
            created_at: row.value(2)?,
            outcome: KeptOutcome::from_columns(order_id, refusal.as_deref(), &lang)?,
        };
        snapshot.answers.insert(row.value(0)?, answer);
    }
    Ok(snapshot)
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

/// How an outcome is kept in the columns of `idempotency_keys`.
impl KeptOutcome {
    /// The `refusal` column's text, for a refusal.
    fn refusal_json(refusal: &CheckoutRefusal) -> String {
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
