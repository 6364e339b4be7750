//! The checkout on PostgreSQL: an order takes all of its stock or none of
//! it, in one transaction, however many instances take orders at once.
//!
//! In that transaction, in this order (always the same order of locks, so
//! two checkouts never deadlock): the idempotency key's row, then the
//! customer's row when a per-customer limit is set, then each line's stock
//! row in sku order with a conditional decrement (`available >= n`), then
//! the order, its lines at the server's prices, one `sale` movement per line
//! and the idempotency answer. A short line rolls back every line taken
//! before it (a savepoint) and the refusal names every short line.

use std::time::Instant;

use chrono::Utc;
use deadpool_postgres::Transaction;

use super::PgStore;
use super::customers::COUNT_ORDER;
use super::idempotency::{claim_key, keep_answer};
use super::locks::{lock_customer, take_stock};
use super::placing::{
    INSERT_LINE, INSERT_ORDER, PricedVariant, line_values, new_placed_order, order_values,
    price_lines, priced_skus, sale, short_line,
};
use super::rows::record_movement;
use super::settings::load_settings;
use super::sql::{execute, query_one};
use super::stock::available_of;
use super::transaction::TxError;
use crate::domain::order::{CheckoutRefusal, NewOrder, RequestedLine};
use crate::domain::phone::Phone;
use crate::domain::{ValidationError, time};
use crate::store::tokens::hash_token;
use crate::store::{
    CartLineStock, CheckoutAnswer, CheckoutOutcome, CheckoutRequest, PlacedOrder, StoreError,
};

impl PgStore {
    pub async fn check_cart(
        &self,
        lines: Vec<RequestedLine>,
    ) -> Result<Vec<CartLineStock>, StoreError> {
        self.read(lines.as_slice(), |client, lines| {
            Box::pin(async move {
                let skus: Vec<&str> = lines.iter().map(|l| l.sku.as_str()).collect();
                let priced = priced_skus(client, &skus).await?;
                let mut answer = Vec::with_capacity(lines.len());
                for (line, variant) in lines.iter().zip(price_lines(&priced, lines)?) {
                    answer.push(CartLineStock {
                        sku: line.sku.to_string(),
                        size: variant.size.clone(),
                        requested: line.quantity,
                        available: available_of(client, line.sku.as_str()).await?,
                    });
                }
                Ok(answer)
            })
        })
        .await
    }

    pub async fn place_order(
        &self,
        request: CheckoutRequest,
    ) -> Result<CheckoutAnswer, StoreError> {
        if let Some(batcher) = &self.batcher {
            let deadline = Instant::now() + self.config().checkout_timeout;
            return batcher.place(request, deadline).await;
        }
        let ttl = chrono::Duration::from_std(self.config().idempotency_ttl)
            .unwrap_or(chrono::Duration::days(1));
        let data = (request, self.config().currency.as_str(), ttl);
        self.write(&data, |tx, (request, currency, ttl)| {
            Box::pin(checkout(tx, request, currency, *ttl))
        })
        .await
    }
}

async fn checkout(
    tx: &Transaction<'_>,
    request: &CheckoutRequest,
    currency: &str,
    ttl: chrono::Duration,
) -> Result<CheckoutAnswer, TxError> {
    let now = Utc::now();
    if let Some(key) = &request.idempotency
        && let Some(stored) =
            claim_key(tx, key, &time::format(now), &time::format(now - ttl)).await?
    {
        return Ok(CheckoutAnswer::Replayed(stored));
    }
    let outcome = decide(tx, &request.order, currency, &time::format(now)).await?;
    if let Some(key) = &request.idempotency {
        let response = (request.render)(&outcome, request.lang);
        keep_answer(tx, key, &response).await?;
    }
    Ok(CheckoutAnswer::Decided(Box::new(outcome)))
}

/// Decides the order: limit first, then stock, then writes it. A refusal is
/// an `Ok(Err(_))` that wrote nothing; an `Err` is a request the store
/// cannot take at all (an unknown sku) or a failure.
async fn decide(
    tx: &Transaction<'_>,
    order: &NewOrder,
    currency: &str,
    now: &str,
) -> Result<CheckoutOutcome, TxError> {
    debug_assert!(
        order.lines.is_sorted_by(|a, b| a.sku < b.sku),
        "lines come merged and in sku order, the order stock rows are locked in"
    );
    let skus: Vec<&str> = order.lines.iter().map(|l| l.sku.as_str()).collect();
    let priced = priced_skus(tx, &skus).await?;
    let priced = price_lines(&priced, &order.lines)?;
    let settings = load_settings(tx, false).await?;
    let phone = Phone::normalise(&order.customer.phone, &settings.default_country_code)
        .map_err(|e| StoreError::from(ValidationError::one(e)))?;
    // Held to the commit: this customer's other checkouts wait here, and
    // the count read under it is final.
    let counted = lock_customer(tx, &phone).await?;
    if let Some(limit) = settings.order_limit_per_customer
        && counted >= limit
    {
        return Ok(Err(CheckoutRefusal::OrderLimitReached { limit }));
    }
    tx.batch_execute("savepoint take_stock").await?;
    // Counted before any stock row is locked, so that the hot rows are not
    // held a round trip longer for it; a refusal rolls it back with the
    // stock taken.
    execute(tx, COUNT_ORDER, &[&phone.as_str(), &now]).await?;
    let mut after = Vec::with_capacity(order.lines.len());
    let mut short = Vec::new();
    for (line, variant) in order.lines.iter().zip(priced.iter().copied()) {
        // Past the first short line nothing more is taken: the rest are
        // only read, to name every short line in the refusal.
        let left = if short.is_empty() {
            match take_stock(tx, line).await? {
                Ok(available_after) => {
                    after.push(available_after);
                    continue;
                }
                Err(left) => left,
            }
        } else {
            available_of(tx, line.sku.as_str()).await?
        };
        if left < line.quantity {
            short.push(short_line(line, variant, left));
        }
    }
    if !short.is_empty() {
        tx.batch_execute("rollback to savepoint take_stock; release savepoint take_stock")
            .await?;
        return Ok(Err(CheckoutRefusal::InsufficientStock(short)));
    }
    tx.batch_execute("release savepoint take_stock").await?;
    let placed = insert_order(tx, order, &phone, &priced, &after, currency, now).await?;
    Ok(Ok(placed))
}

async fn insert_order(
    tx: &Transaction<'_>,
    request: &NewOrder,
    phone: &Phone,
    priced: &[&PricedVariant],
    available_after: &[i64],
    currency: &str,
    now: &str,
) -> Result<PlacedOrder, TxError> {
    let mut placed = new_placed_order(request, priced, currency, now);
    let (order, token_hash) = (&placed.order, hash_token(&placed.access_token));
    let phone = phone.as_str();
    let number: String = query_one(
        tx,
        INSERT_ORDER,
        &order_values(order, &token_hash, &phone, &currency, &now),
    )
    .await?
    .try_get(0)?;
    for (line, after) in order.lines.iter().zip(available_after) {
        execute(tx, INSERT_LINE, &line_values(&order.id, line)).await?;
        record_movement(tx, sale(line, *after, &order.id, now)).await?;
    }
    placed.order.number = number;
    Ok(placed)
}
