//! Orders above the backends: the SQL both databases run to read orders and
//! move them on, reading their rows, pages, the buyer's token check, and
//! the movements a cancellation writes.

use super::paging::page;
use super::row::{StoredRow, unknown_value};
use super::stock::NewMovement;
use super::tokens::token_matches;
use super::{Page, Resource, StoreError};
use crate::domain::order::{CustomerView, Delivery, Order, OrderLine, OrderStatus};
use crate::domain::stock::MovementKind;

/// The columns `order_row` reads, in its order: `seq` first, for pages.
macro_rules! order_columns {
    () => {
        "seq, id, number, status, created_at, currency, total, customer_name, customer_phone, \
         customer_email, delivery_address, pickup_number, notes"
    };
}

/// The order `$1` and the hash of its access token, read by `order_with_token_row`.
pub const ORDER_BY_ID: &str = concat!(
    "select ",
    order_columns!(),
    ", access_token_hash from orders where id = $1"
);

/// A page of orders, newest first, read by `order_row`: status `$1`, from
/// `$2`, before `$3`, `seq` below `$4` (each when given), at most `$5` rows.
pub const ORDERS_PAGE: &str = concat!(
    "select ",
    order_columns!(),
    " from orders
    where (cast($1 as text) is null or status = $1) and (cast($2 as text) is null or created_at >= $2)
      and (cast($3 as text) is null or created_at < $3) and (cast($4 as bigint) is null or seq < $4)
    order by seq desc limit $5"
);

/// The lines of the order `$1`, read by `line_row`.
pub const ORDER_LINES: &str = "select sku, title, size, color, unit_price, quantity, line_total
    from order_lines where order_id = $1 order by sku";

/// Sets the order `$3`'s status to `$1` at `$2`.
pub const UPDATE_ORDER_STATUS: &str =
    "update orders set status = $1, updated_at = $2 where id = $3";

/// Remembers a status change: order, from, to, actor, when.
pub const INSERT_STATUS_CHANGE: &str = "insert into order_status_changes
    (order_id, from_status, to_status, actor, created_at) values ($1, $2, $3, $4, $5)";

/// An order row without its lines, and its `seq` (the pages' cursor).
pub fn order_row(row: &impl StoredRow) -> Result<(i64, Order), StoreError> {
    let status: String = row.value(3)?;
    let order = Order {
        id: row.value(1)?,
        number: row.value(2)?,
        status: OrderStatus::parse(&status).ok_or_else(|| unknown_value("status", &status))?,
        created_at: row.value(4)?,
        currency: row.value(5)?,
        total: row.value(6)?,
        customer: CustomerView {
            name: row.value(7)?,
            phone: row.value(8)?,
            email: row.value(9)?,
        },
        delivery: Delivery {
            address: row.value(10)?,
            pickup_number: row.value(11)?,
        },
        notes: row.value(12)?,
        lines: Vec::new(),
    };
    Ok((row.value(0)?, order))
}

/// A row of `ORDER_BY_ID`: the order without its lines, and its token's hash.
pub fn order_with_token_row(row: &impl StoredRow) -> Result<(Order, String), StoreError> {
    Ok((order_row(row)?.1, row.value(13)?))
}

/// A row of `ORDER_LINES` (or any query that starts with its columns).
pub fn line_row(row: &impl StoredRow) -> Result<OrderLine, StoreError> {
    Ok(OrderLine {
        sku: row.value(0)?,
        title: row.value(1)?,
        size: row.value(2)?,
        color: row.value(3)?,
        unit_price: row.value(4)?,
        quantity: row.value(5)?,
        line_total: row.value(6)?,
    })
}

/// The page of `rows` read with `ORDERS_PAGE`, lines not read yet.
pub fn orders_page(rows: Vec<(i64, Order)>, limit: usize) -> Page<Order> {
    page(rows, limit, |(seq, _)| seq.to_string()).map(|(_, order)| order)
}

/// The order `found` under `id`, if `access_token` is its token: a wrong
/// token answers exactly like an unknown order.
pub fn for_buyer(
    found: Result<(Order, String), StoreError>,
    id: &str,
    access_token: &str,
) -> Result<Order, StoreError> {
    match found {
        Ok((order, hash)) if token_matches(access_token, &hash) => Ok(order),
        Ok(_) | Err(StoreError::NotFound { .. }) => Err(StoreError::not_found(Resource::Order, id)),
        Err(error) => Err(error),
    }
}

/// What the admin trail calls a move to `status`.
pub fn status_action(status: OrderStatus) -> String {
    format!("order.{}", status.as_str())
}

/// The note of every movement a cancellation writes.
pub fn cancellation_note(order: &Order) -> String {
    format!("commande {} annulée", order.number)
}

/// The movement returning `line`'s units to stock when `order` is cancelled.
pub fn cancellation_movement<'a>(
    order: &'a Order,
    line: &'a OrderLine,
    available_after: i64,
    actor: &'a str,
    note: &'a str,
    now: &'a str,
) -> NewMovement<'a> {
    NewMovement {
        sku: &line.sku,
        kind: MovementKind::Cancellation,
        quantity: line.quantity,
        available_after,
        order_id: Some(&order.id),
        actor: Some(actor),
        note: Some(note),
        created_at: now,
    }
}
