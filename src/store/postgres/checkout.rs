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

use chrono::Utc;
use deadpool_postgres::{GenericClient, Transaction};

use super::PgStore;
use super::idempotency::{claim_key, keep_answer};
use super::locks::{lock_customer, take_stock};
use super::rows::{NewMovement, color_from_stored, record_movement};
use super::settings::load_settings;
use super::sql::{execute, query, query_one};
use super::stock::available_of;
use super::transaction::TxError;
use crate::domain::order::{
    CheckoutRefusal, CustomerView, NewOrder, Order, OrderLine, OrderStatus, RequestedLine,
    ShortLine,
};
use crate::domain::phone::Phone;
use crate::domain::stock::MovementKind;
use crate::domain::{FieldError, ValidationError, time};
use crate::store::tokens::{hash_token, new_token};
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
                let priced = priced_variants(client, lines).await?;
                let mut answer = Vec::with_capacity(lines.len());
                for (line, variant) in lines.iter().zip(priced) {
                    answer.push(CartLineStock {
                        sku: line.sku.to_string(),
                        size: variant.size,
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

struct PricedVariant {
    title: String,
    size: String,
    color: Option<String>,
    price: i64,
}

/// Each line's variant at the server's price, in line order; an unknown sku
/// is a 422 naming the first one, as on SQLite.
async fn priced_variants<C: GenericClient>(
    client: &C,
    lines: &[RequestedLine],
) -> Result<Vec<PricedVariant>, TxError> {
    let skus: Vec<&str> = lines.iter().map(|l| l.sku.as_str()).collect();
    let rows = query(
        client,
        "select v.sku, p.title, v.size, v.color, p.price
         from variants v join products p on p.id = v.product_id where v.sku = any($1)",
        &[&skus],
    )
    .await?;
    let mut priced = Vec::with_capacity(lines.len());
    for line in lines {
        let Some(row) = rows.iter().find(|row| {
            row.try_get::<_, &str>(0)
                .is_ok_and(|sku| sku == line.sku.as_str())
        }) else {
            let sku = &line.sku;
            return Err(StoreError::from(ValidationError::one(FieldError::new(
                "lines",
                format!("Aucun article ne porte la référence {sku}."),
                format!("No article has the sku {sku}."),
            )))
            .into());
        };
        priced.push(PricedVariant {
            title: row.try_get(1)?,
            size: row.try_get(2)?,
            color: color_from_stored(row.try_get(3)?),
            price: row.try_get(4)?,
        });
    }
    Ok(priced)
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
    let priced = priced_variants(tx, &order.lines).await?;
    let settings = load_settings(tx, false).await?;
    let phone = Phone::normalise(&order.customer.phone, &settings.default_country_code)
        .map_err(|e| StoreError::from(ValidationError::one(e)))?;
    if let Some(limit) = settings.order_limit_per_customer {
        lock_customer(tx, &phone).await?;
        // Counted after the lock, in a fresh snapshot (READ COMMITTED): the
        // orders of any checkout of this customer that held the lock before
        // are committed and counted.
        let placed: i64 = query_one(
            tx,
            "select count(*) from orders where customer_phone_normalised = $1 and created_at >= $2
             and status <> 'cancelled'",
            &[&phone.as_str(), &settings.reference_date],
        )
        .await?
        .try_get(0)?;
        if placed >= limit {
            return Ok(Err(CheckoutRefusal::OrderLimitReached { limit }));
        }
    }
    tx.batch_execute("savepoint take_stock").await?;
    let mut after = Vec::with_capacity(order.lines.len());
    let mut short = Vec::new();
    for (line, variant) in order.lines.iter().zip(&priced) {
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
            short.push(ShortLine {
                sku: line.sku.to_string(),
                title: variant.title.clone(),
                size: variant.size.clone(),
                color: variant.color.clone(),
                requested: line.quantity,
                available: left,
            });
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
    priced: &[PricedVariant],
    available_after: &[i64],
    currency: &str,
    now: &str,
) -> Result<PlacedOrder, TxError> {
    // Time-ordered (v7), as on SQLite: new orders land at the end of the id
    // index; 74 random bits keep ids unguessable.
    let id = uuid::Uuid::now_v7().to_string();
    let access_token = new_token("sro_");
    let lines: Vec<OrderLine> = request
        .lines
        .iter()
        .zip(priced)
        .map(|(line, variant)| {
            let color = variant.color.as_deref();
            OrderLine::at_price(line, &variant.title, &variant.size, color, variant.price)
        })
        .collect();
    let total: i64 = lines.iter().map(|l| l.line_total).sum();
    let (customer, delivery) = (&request.customer, &request.delivery);
    let number: String = query_one(
        tx,
        "insert into orders (id, access_token_hash, status, currency, total, customer_name,
         customer_phone, customer_phone_normalised, customer_email, delivery_address, pickup_number, notes,
         created_at, updated_at)
         values ($1, $2, 'pending', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)
         returning number",
        &[&id, &hash_token(&access_token), &currency, &total, &customer.name, &customer.phone,
          &phone.as_str(), &customer.email, &delivery.address, &delivery.pickup_number,
          &request.notes, &now],
    )
    .await?
    .try_get(0)?;
    for (line, after) in lines.iter().zip(available_after) {
        execute(
            tx,
            "insert into order_lines (order_id, sku, title, size, color, unit_price, quantity, line_total)
             values ($1, $2, $3, $4, $5, $6, $7, $8)",
            &[&id, &line.sku, &line.title, &line.size, &line.color, &line.unit_price,
              &line.quantity, &line.line_total],
        )
        .await?;
        record_movement(
            tx,
            NewMovement {
                sku: &line.sku,
                kind: MovementKind::Sale,
                quantity: -line.quantity,
                available_after: *after,
                order_id: Some(&id),
                actor: None,
                note: None,
                created_at: now,
            },
        )
        .await?;
    }
    let order = Order {
        id,
        number,
        status: OrderStatus::Pending,
        created_at: now.to_owned(),
        currency: currency.to_owned(),
        total,
        customer: CustomerView {
            name: customer.name.clone(),
            phone: customer.phone.clone(),
            email: customer.email.clone(),
        },
        delivery: delivery.clone(),
        notes: request.notes.clone(),
        lines,
    };
    Ok(PlacedOrder {
        order,
        access_token,
    })
}
