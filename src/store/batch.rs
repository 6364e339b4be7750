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
    BatchNeeds, BatchSnapshot, BatchWrites, DropForSale, DropLineForSale, KeptAnswer, KeptOutcome,
    PreorderTerms, VariantForSale,
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

/// The columns of a drop line as the checkout reads it, from
/// `drop_lines l join drops d`.
macro_rules! drop_line_rows {
    ($condition:literal) => {
        concat!(
            "select d.id, d.slug, d.name, d.starts_at, d.ends_at, d.hidden_until_start,
             d.max_units_per_customer, l.sku, l.units, l.price, l.percent_off, l.remaining
             from drop_lines l join drops d on d.id = l.drop_id where ",
            $condition
        )
    };
}

/// The lines of the drops of the sku `$1` that end after `$2` (SQLite).
pub const DROP_LINES_OF_SKU: &str = drop_line_rows!("l.sku = $1 and d.ends_at > $2");
/// The lines of the drops of the skus `$1` that end after `$2`, and every
/// line of the drops of the slugs `$3` (PostgreSQL).
pub const DROP_LINES_OF_BATCH: &str =
    drop_line_rows!("(l.sku = any($1) and d.ends_at > $2) or d.slug = any($3)");
/// Every line of the drop of the slug `$1` (SQLite).
pub const DROP_LINES_OF_SLUG: &str = drop_line_rows!("d.slug = $1");
/// What the customer `$1` bought in the drops that end after `$2` (SQLite).
pub const DROP_BOUGHT_BY_PHONE: &str = "select c.drop_id, c.phone, c.units
    from drop_customers c join drops d on d.id = c.drop_id
    where c.phone = $1 and d.ends_at > $2";
/// What the customers `$1` bought in the drops that end after `$2` (PostgreSQL).
pub const DROP_BOUGHT_BY_PHONES: &str = "select c.drop_id, c.phone, c.units
    from drop_customers c join drops d on d.id = c.drop_id
    where c.phone = any($1) and d.ends_at > $2";

/// The rows a batch's reads answered, the same columns on both databases.
pub(super) struct BatchRows<'r> {
    /// The variants for sale: `sku, title, size, color, price, available,
    /// for_sale, low_stock_threshold, received, preorder_enabled,
    /// preorder_cap, preorder_ships_by, preorder_waiting`.
    pub variants: &'r [Row],
    /// The customers' counts: `phone, orders_counted`.
    pub counts: &'r [Row],
    /// The answers kept with the batch's keys: `key, request_hash,
    /// created_at, order_id, refusal, lang`.
    pub answers: &'r [Row],
    /// The drops' lines, `drop_line_rows!`, a line twice at most.
    pub drop_lines: &'r [Row],
    /// What the customers bought in those drops: `drop_id, phone, units`.
    pub drop_bought: &'r [Row],
}

/// What the database holds for a batch, from the rows its reads answered,
/// and the shop's delivery zones.
pub(super) fn snapshot_of(
    settings: Settings,
    rows: BatchRows<'_>,
    zones: Vec<DeliveryZone>,
) -> Result<BatchSnapshot, StoreError> {
    let BatchRows {
        variants,
        counts,
        answers,
        drop_lines,
        drop_bought,
    } = rows;
    let mut snapshot = BatchSnapshot {
        settings,
        variants: Default::default(),
        orders_counted: Default::default(),
        answers: Default::default(),
        zones: Default::default(),
        drops: drops_of(drop_lines)?,
        drop_bought: Default::default(),
    };
    for row in drop_bought {
        let (drop_id, phone, units): (String, String, i64) =
            (row.value(0)?, row.value(1)?, row.value(2)?);
        snapshot.drop_bought.insert((drop_id, phone), units);
    }
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
            preorder: (row.value::<i64>(9)? == 1)
                .then(|| -> Result<PreorderTerms, StoreError> {
                    Ok(PreorderTerms {
                        cap: row.value(10)?,
                        ships_by: row.value::<Option<String>>(11)?.unwrap_or_default(),
                        waiting: row.value(12)?,
                    })
                })
                .transpose()?,
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

/// The drops of the rows of `drop_line_rows!`, each once with its lines.
fn drops_of(rows: &[Row]) -> Result<Vec<DropForSale>, StoreError> {
    let mut drops: Vec<DropForSale> = Vec::new();
    for row in rows {
        let id: String = row.value(0)?;
        let index = match drops.iter().position(|d| d.id == id) {
            Some(index) => index,
            None => {
                drops.push(DropForSale {
                    id,
                    slug: row.value(1)?,
                    name: row.value(2)?,
                    starts_at: row.value(3)?,
                    ends_at: row.value(4)?,
                    hidden_until_start: row.value::<i64>(5)? == 1,
                    max_units_per_customer: row.value(6)?,
                    lines: Default::default(),
                });
                drops.len() - 1
            }
        };
        let line = DropLineForSale {
            units: row.value(8)?,
            price: row.value(9)?,
            percent_off: row.value(10)?,
            remaining: row.value(11)?,
        };
        drops[index].lines.insert(row.value(7)?, line);
    }
    Ok(drops)
}

/// The refusal as kept in the `refusal` column: every field, including
/// those the wire form leaves out but the sentence names.
#[derive(Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
enum StoredRefusal {
    InsufficientStock {
        lines: Vec<StoredShortLine>,
    },
    OrderLimitReached {
        limit: i64,
    },
    DropLimitReached {
        drop: String,
        limit: i64,
        bought: i64,
    },
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
            CheckoutRefusal::DropLimitReached {
                drop,
                limit,
                bought,
            } => StoredRefusal::DropLimitReached {
                drop: drop.clone(),
                limit: *limit,
                bought: *bought,
            },
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
            StoredRefusal::DropLimitReached {
                drop,
                limit,
                bought,
            } => CheckoutRefusal::DropLimitReached {
                drop,
                limit,
                bought,
            },
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
