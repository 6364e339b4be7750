//! What placing an order reads and writes, shared by the checkout of one
//! order (`checkout.rs`) and the batched one (`batch.rs`): prices, the
//! order as stored, its rows, and how a refusal names a short line.

use std::collections::HashMap;

use deadpool_postgres::GenericClient;
use tokio_postgres::types::ToSql;

use super::rows::{NewMovement, color_from_stored};
use super::sql::query;
use super::transaction::TxError;
use crate::domain::order::{
    CustomerView, NewOrder, Order, OrderLine, OrderStatus, RequestedLine, ShortLine,
};
use crate::domain::stock::MovementKind;
use crate::domain::{FieldError, ValidationError};
use crate::store::tokens::new_token;
use crate::store::{PlacedOrder, StoreError};

/// A variant as an order line needs it: what it is and the server's price.
pub(super) struct PricedVariant {
    pub title: String,
    pub size: String,
    pub color: Option<String>,
    pub price: i64,
}

/// The variants of `skus` that exist, at the server's prices, by sku.
pub(super) async fn priced_skus<C: GenericClient>(
    client: &C,
    skus: &[&str],
) -> Result<HashMap<String, PricedVariant>, TxError> {
    let rows = query(
        client,
        "select v.sku, p.title, v.size, v.color, p.price
         from variants v join products p on p.id = v.product_id where v.sku = any($1)",
        &[&skus],
    )
    .await?;
    let mut priced = HashMap::with_capacity(rows.len());
    for row in rows {
        let variant = PricedVariant {
            title: row.try_get(1)?,
            size: row.try_get(2)?,
            color: color_from_stored(row.try_get(3)?),
            price: row.try_get(4)?,
        };
        priced.insert(row.try_get(0)?, variant);
    }
    Ok(priced)
}

/// Each line's variant at the server's price, in line order; an unknown sku
/// is a 422 naming the first one, as on SQLite.
pub(super) fn price_lines<'p>(
    priced: &'p HashMap<String, PricedVariant>,
    lines: &[RequestedLine],
) -> Result<Vec<&'p PricedVariant>, StoreError> {
    lines
        .iter()
        .map(|line| {
            let sku = &line.sku;
            priced.get(sku.as_str()).ok_or_else(|| {
                StoreError::from(ValidationError::one(FieldError::new(
                    "lines",
                    format!("Aucun article ne porte la référence {sku}."),
                    format!("No article has the sku {sku}."),
                )))
            })
        })
        .collect()
}

/// How a refusal names a line the stock cannot serve.
pub(super) fn short_line(
    line: &RequestedLine,
    variant: &PricedVariant,
    available: i64,
) -> ShortLine {
    ShortLine {
        sku: line.sku.to_string(),
        title: variant.title.clone(),
        size: variant.size.clone(),
        color: variant.color.clone(),
        requested: line.quantity,
        available,
    }
}

/// The order as it will be stored, before the database numbers it.
pub(super) fn new_placed_order(
    request: &NewOrder,
    priced: &[&PricedVariant],
    currency: &str,
    now: &str,
) -> PlacedOrder {
    // Time-ordered (v7), as on SQLite: new orders land at the end of the id
    // index; 74 random bits keep ids unguessable.
    let id = uuid::Uuid::now_v7().to_string();
    let lines: Vec<OrderLine> = request
        .lines
        .iter()
        .zip(priced)
        .map(|(line, variant)| {
            let color = variant.color.as_deref();
            OrderLine::at_price(line, &variant.title, &variant.size, color, variant.price)
        })
        .collect();
    let customer = &request.customer;
    let order = Order {
        id,
        number: String::new(),
        status: OrderStatus::Pending,
        created_at: now.to_owned(),
        currency: currency.to_owned(),
        total: lines.iter().map(|l| l.line_total).sum(),
        customer: CustomerView {
            name: customer.name.clone(),
            phone: customer.phone.clone(),
            email: customer.email.clone(),
        },
        delivery: request.delivery.clone(),
        notes: request.notes.clone(),
        lines,
    };
    PlacedOrder {
        order,
        access_token: new_token("sro_"),
    }
}

/// Inserts an order; answers its number.
pub(super) const INSERT_ORDER: &str = "insert into orders (id, access_token_hash, status, currency,
    total, customer_name, customer_phone, customer_phone_normalised, customer_email,
    delivery_address, pickup_number, notes, created_at, updated_at)
    values ($1, $2, 'pending', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)
    returning number";

pub(super) const INSERT_LINE: &str = "insert into order_lines
    (order_id, sku, title, size, color, unit_price, quantity, line_total)
    values ($1, $2, $3, $4, $5, $6, $7, $8)";

/// The values of `INSERT_ORDER` for `order`, in its parameters' order.
pub(super) fn order_values<'a>(
    order: &'a Order,
    token_hash: &'a String,
    phone: &'a &'a str,
    currency: &'a &'a str,
    now: &'a &'a str,
) -> [&'a (dyn ToSql + Sync); 12] {
    let (customer, delivery) = (&order.customer, &order.delivery);
    [
        &order.id,
        token_hash,
        currency,
        &order.total,
        &customer.name,
        &customer.phone,
        phone,
        &customer.email,
        &delivery.address,
        &delivery.pickup_number,
        &order.notes,
        now,
    ]
}

/// The values of `INSERT_LINE` for one line of the order `order_id`.
pub(super) fn line_values<'a>(
    order_id: &'a String,
    line: &'a OrderLine,
) -> [&'a (dyn ToSql + Sync); 8] {
    [
        order_id,
        &line.sku,
        &line.title,
        &line.size,
        &line.color,
        &line.unit_price,
        &line.quantity,
        &line.line_total,
    ]
}

/// The ledger row of one line sold.
pub(super) fn sale<'a>(
    line: &'a OrderLine,
    available_after: i64,
    order_id: &'a str,
    now: &'a str,
) -> NewMovement<'a> {
    NewMovement {
        sku: &line.sku,
        kind: MovementKind::Sale,
        quantity: -line.quantity,
        available_after,
        order_id: Some(order_id),
        actor: None,
        note: None,
        created_at: now,
    }
}
