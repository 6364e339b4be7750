//! The checkout on SQLite: an order takes all of its stock or none of it.
//!
//! Runs inside the writer's transaction, in the job's own savepoint: every
//! line's price and stock read first (in sku order), so a short line is
//! refused before anything is written; then one conditional decrement per
//! line (`available >= n`), the order, its lines at the server's prices, one
//! `sale` movement per line, the customer's count of orders and the
//! idempotency answer. Any failure rolls
//! the job's savepoint back, and only that job's.

use chrono::Utc;
use rusqlite::{Connection, OptionalExtension, params};

use super::SqliteStore;
use super::customers::{count_order, orders_counted};
use super::rows::{NewMovement, record_movement};
use super::settings::load_settings;
use crate::domain::order::{
    CheckoutRefusal, CustomerView, NewOrder, Order, OrderLine, OrderStatus, RequestedLine,
    ShortLine,
};
use crate::domain::phone::Phone;
use crate::domain::stock::MovementKind;
use crate::domain::{FieldError, ValidationError, time};
use crate::store::tokens::{hash_token, new_token};
use crate::store::{
    CartLineStock, CheckoutAnswer, CheckoutOutcome, CheckoutRequest, IdempotencyKey, PlacedOrder,
    StoreError, StoredResponse,
};

impl SqliteStore {
    pub async fn check_cart(
        &self,
        lines: Vec<RequestedLine>,
    ) -> Result<Vec<CartLineStock>, StoreError> {
        self.read(move |conn| {
            lines
                .iter()
                .map(|line| {
                    let variant = priced_variant(conn, line)?;
                    Ok(CartLineStock {
                        sku: line.sku.to_string(),
                        size: variant.size,
                        requested: line.quantity,
                        available: variant.available,
                    })
                })
                .collect()
        })
        .await
    }

    pub async fn place_order(
        &self,
        request: CheckoutRequest,
    ) -> Result<CheckoutAnswer, StoreError> {
        let currency = self.config().currency.clone();
        let ttl = chrono::Duration::from_std(self.config().idempotency_ttl)
            .unwrap_or(chrono::Duration::days(1));
        self.write(move |conn| {
            let now = Utc::now();
            if let Some(key) = &request.idempotency
                && let Some(stored) = earlier_answer(conn, key, &time::format(now - ttl))?
            {
                return Ok(CheckoutAnswer::Replayed(stored));
            }
            let outcome = decide(conn, &request.order, &currency, &time::format(now))?;
            if let Some(key) = &request.idempotency {
                let response = (request.render)(&outcome, request.lang);
                keep_answer(conn, key, &response, &time::format(now))?;
            }
            Ok(CheckoutAnswer::Decided(Box::new(outcome)))
        })
        .await
    }
}

/// The answer kept for this key, if it is younger than `oldest`; an answer
/// for another body is a misuse of the key.
fn earlier_answer(
    conn: &Connection,
    key: &IdempotencyKey,
    oldest: &str,
) -> Result<Option<StoredResponse>, StoreError> {
    let found = conn
        .prepare_cached("select request_hash, status, response, created_at from idempotency_keys where key = ?1")?
        .query_row([&key.key], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, u16>(1)?, row.get::<_, String>(2)?, row.get::<_, String>(3)?))
        })
        .optional()?;
    match found {
        None => Ok(None),
        Some((_, _, _, created_at)) if created_at.as_str() < oldest => {
            conn.prepare_cached("delete from idempotency_keys where key = ?1")?
                .execute([&key.key])?;
            Ok(None)
        }
        Some((hash, status, body, _)) if hash == key.request_hash => {
            Ok(Some(StoredResponse { status, body }))
        }
        Some(_) => Err(StoreError::IdempotencyKeyReused),
    }
}

fn keep_answer(
    conn: &Connection,
    key: &IdempotencyKey,
    response: &StoredResponse,
    now: &str,
) -> Result<(), StoreError> {
    conn.prepare_cached(
        "insert into idempotency_keys (key, request_hash, status, response, created_at) values (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![key.key, key.request_hash, response.status, response.body, now])?;
    Ok(())
}

/// A variant as the checkout needs it: the server's price and the stock now.
struct PricedVariant {
    title: String,
    size: String,
    color: Option<String>,
    price: i64,
    available: i64,
}

fn priced_variant(conn: &Connection, line: &RequestedLine) -> Result<PricedVariant, StoreError> {
    conn.prepare_cached(
        "select p.title, v.size, v.color, p.price, s.available from variants v
         join products p on p.id = v.product_id join stock s on s.sku = v.sku where v.sku = ?1",
    )?
    .query_row([line.sku.as_str()], |row| {
        let color: String = row.get(2)?;
        Ok(PricedVariant {
            title: row.get(0)?,
            size: row.get(1)?,
            color: (!color.is_empty()).then_some(color),
            price: row.get(3)?,
            available: row.get(4)?,
        })
    })
    .optional()?
    .ok_or_else(|| {
        let sku = &line.sku;
        ValidationError::one(FieldError::new(
            "lines",
            format!("Aucun article ne porte la référence {sku}."),
            format!("No article has the sku {sku}."),
        ))
        .into()
    })
}

/// Decides the order: limit first, then stock, then writes it. A refusal is
/// an `Ok(Err(_))` that wrote nothing; an `Err` is a request the store
/// cannot take at all (an unknown sku) or a failure.
fn decide(
    conn: &Connection,
    order: &NewOrder,
    currency: &str,
    now: &str,
) -> Result<CheckoutOutcome, StoreError> {
    let priced = order
        .lines
        .iter()
        .map(|line| priced_variant(conn, line))
        .collect::<Result<Vec<_>, _>>()?;
    let settings = load_settings(conn)?;
    let phone = Phone::normalise(&order.customer.phone, &settings.default_country_code)
        .map_err(ValidationError::one)?;
    if let Some(limit) = settings.order_limit_per_customer {
        let placed = orders_counted(conn, &phone)?;
        if placed >= limit {
            return Ok(Err(CheckoutRefusal::OrderLimitReached { limit }));
        }
    }
    // The writer is the only connection that writes, so what it reads here
    // is what the updates below will find: short lines are known before
    // anything is written, and a refusal writes nothing.
    let short: Vec<ShortLine> = order
        .lines
        .iter()
        .zip(&priced)
        .filter(|(line, variant)| variant.available < line.quantity)
        .map(|(line, variant)| ShortLine {
            sku: line.sku.to_string(),
            title: variant.title.clone(),
            size: variant.size.clone(),
            color: variant.color.clone(),
            requested: line.quantity,
            available: variant.available,
        })
        .collect();
    if !short.is_empty() {
        return Ok(Err(CheckoutRefusal::InsufficientStock(short)));
    }
    let mut after = Vec::with_capacity(order.lines.len());
    for (line, variant) in order.lines.iter().zip(&priced) {
        take_stock(conn, line)?;
        after.push(variant.available - line.quantity);
    }
    let placed = insert_order(conn, order, &phone, &priced, &after, currency, now)?;
    count_order(conn, &phone, now, &settings.reference_date)?;
    Ok(Ok(placed))
}

/// The conditional decrement, the guarantee behind the read above: it takes
/// the units only if they are all there. Finding them gone would mean a
/// second writer, which the design rules out; the job then fails whole.
fn take_stock(conn: &Connection, line: &RequestedLine) -> Result<(), StoreError> {
    let taken = conn
        .prepare_cached(
            "update stock set available = available - ?2 where sku = ?1 and available >= ?2",
        )?
        .execute(params![line.sku.as_str(), line.quantity])?;
    if taken == 1 {
        Ok(())
    } else {
        Err(StoreError::Internal(format!(
            "the stock of {} changed under the writer",
            line.sku
        )))
    }
}

fn insert_order(
    conn: &Connection,
    request: &NewOrder,
    phone: &Phone,
    priced: &[PricedVariant],
    available_after: &[i64],
    currency: &str,
    now: &str,
) -> Result<PlacedOrder, StoreError> {
    // Time-ordered (v7): new orders land at the end of the id index instead
    // of on a random page; 74 random bits keep ids unguessable.
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
    let total = lines.iter().map(|l| l.line_total).sum();
    let (customer, delivery) = (&request.customer, &request.delivery);
    conn.prepare_cached(
        "insert into orders (id, access_token_hash, status, currency, total, customer_name,
         customer_phone, customer_phone_normalised, customer_email, delivery_address, pickup_number, notes,
         created_at, updated_at)
         values (?1, ?2, 'pending', ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)",
    )?
    .execute(params![
        id,
        hash_token(&access_token),
        currency,
        total,
        customer.name,
        customer.phone,
        phone.as_str(),
        customer.email,
        delivery.address,
        delivery.pickup_number,
        request.notes,
        now
    ])?;
    // The same rule as the schema's generated `number` column.
    let number = format!("SR-{}", 1000 + conn.last_insert_rowid());
    for (line, after) in lines.iter().zip(available_after) {
        conn.prepare_cached(
            "insert into order_lines (order_id, sku, title, size, color, unit_price, quantity, line_total)
             values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?
        .execute(params![id, line.sku, line.title, line.size, line.color, line.unit_price, line.quantity, line.line_total])?;
        record_movement(
            conn,
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
        )?;
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
