//! Orders above the backends: read by their buyer or an admin, listed in
//! pages, moved on, and cancelled with their units returned to stock.

use super::admins::record_change;
use super::customers;
use super::db::{Db, Param, Writes};
use super::events;
use super::row::{Row, unknown_value};
use super::stock::{level, record};
use super::{Resource, StoreError};
use crate::domain::events::{EventType, NewEvent};
use crate::domain::order::{CustomerView, Delivery, Order, OrderLine, OrderStatus};
use crate::domain::page::{OrderFilter, Page, page, rows_for};
use crate::domain::stock::{MovementKind, NewMovement};
use crate::domain::time;
use crate::domain::tokens::token_matches;

/// The columns `order_row` reads, in its order: `seq` first, for pages.
macro_rules! order_columns {
    () => {
        "seq, id, number, status, created_at, currency, total, customer_name, customer_phone,
         customer_email, delivery_address, pickup_number, notes, delivery_fee, delivery_zone,
         delivery_zone_name"
    };
}

/// The column after `order_columns!`: a page's first line column, or the
/// access token's hash.
const LINES_FROM: usize = 16;

/// The order `$1` and the hash of its access token (column 16).
const ORDER_BY_ID: &str = concat!(
    "select ",
    order_columns!(),
    ", access_token_hash from orders where id = $1"
);

/// The id and normalised phone of the order of sequence `$1`.
const ORDER_BY_SEQ: &str = "select id, customer_phone_normalised from orders where seq = $1";

/// The lines of the order `$1`, read by `line_row`.
const ORDER_LINES: &str = "select sku, title, size, color, unit_price, quantity, line_total
    from order_lines where order_id = $1 order by sku";

/// A page of orders, newest first, each with its lines (from column 16),
/// in one statement: status `$1`, from `$2`, before `$3`, `seq` below `$4`
/// (each when given), at most `$5` orders.
const ORDERS_PAGE: &str = concat!(
    "select o.*, l.sku, l.title, l.size, l.color, l.unit_price, l.quantity, l.line_total
     from (select ",
    order_columns!(),
    " from orders
       where (cast($1 as text) is null or status = $1) and (cast($2 as text) is null or created_at >= $2)
         and (cast($3 as text) is null or created_at < $3) and (cast($4 as bigint) is null or seq < $4)
       order by seq desc limit $5) o
     left join order_lines l on l.order_id = o.id
     order by o.seq desc, l.sku"
);

/// Sets the order `$3`'s status to `$1` at `$2`.
const UPDATE_ORDER_STATUS: &str = "update orders set status = $1, updated_at = $2 where id = $3";

/// Remembers a status change: order, from, to, actor, when.
const INSERT_STATUS_CHANGE: &str = "insert into order_status_changes
    (order_id, from_status, to_status, actor, created_at) values ($1, $2, $3, $4, $5)";

/// Gives a cancelled line's units `$1` back to the sku `$2`.
const RETURN_UNITS: &str = "update stock set available = available + $1 where sku = $2";

/// An order with its lines, and the hash of its access token; the order
/// row `locked` where the database locks rows.
pub async fn load<D: Db>(db: &D, id: &str, locked: bool) -> Result<(Order, String), D::Error> {
    let sql = D::locking(ORDER_BY_ID, locked);
    let found = db
        .first(&sql, &[&id], |row| {
            Ok((order_row(row)?.1, row.value(LINES_FROM)?))
        })
        .await?;
    let (mut order, token_hash) =
        found.ok_or_else(|| StoreError::not_found(Resource::Order, id))?;
    order.lines = db.all(ORDER_LINES, &[&id], |row| line_row(row, 0)).await?;
    Ok((order, token_hash))
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

/// The order of sequence `seq`, if `phone` (normalised) is its buyer's:
/// a wrong pair answers exactly like an unknown order.
pub async fn for_number_and_phone<D: Db>(
    db: &D,
    seq: i64,
    phone: &str,
) -> Result<Option<Order>, D::Error> {
    let found = db
        .first(ORDER_BY_SEQ, &[&seq], |row| {
            Ok((row.value::<String>(0)?, row.value::<String>(1)?))
        })
        .await?;
    match found {
        Some((id, buyer)) if buyer == phone => Ok(Some(load(db, &id, false).await?.0)),
        _ => Ok(None),
    }
}

/// A page of orders, newest first; the cursor is the last order's `seq`.
pub async fn list<D: Db>(db: &D, filter: &OrderFilter) -> Result<Page<Order>, D::Error> {
    let status = filter.status.map(OrderStatus::as_str);
    let (from, to) = (filter.from.map(time::format), filter.to.map(time::format));
    let params: [&dyn Param; 5] = [
        &status,
        &from,
        &to,
        &filter.before_seq,
        &rows_for(filter.limit),
    ];
    let orders = orders_with_lines(&db.rows(ORDERS_PAGE, &params).await?)?;
    Ok(page(orders, filter.limit, |(seq, _)| seq.to_string()).map(|(_, order)| order))
}

/// The orders in the rows of `ORDERS_PAGE`: one row per line, an order's
/// rows one after the other.
fn orders_with_lines(rows: &[Row]) -> Result<Vec<(i64, Order)>, StoreError> {
    let mut orders: Vec<(i64, Order)> = Vec::new();
    for row in rows {
        let seq: i64 = row.value(0)?;
        if orders.last().is_none_or(|(last, _)| *last != seq) {
            orders.push(order_row(row)?);
        }
        // An order without lines would have one row, its line columns null.
        let has_line = row.value::<Option<String>>(LINES_FROM)?.is_some();
        if let Some((_, order)) = orders.last_mut()
            && has_line
        {
            order.lines.push(line_row(row, LINES_FROM)?);
        }
    }
    Ok(orders)
}

/// Moves the order `id` on to `status`; cancelling returns its units to
/// stock. The transition is checked against the status read in this
/// transaction, the order row locked first where the database locks rows:
/// of two racing cancels, the second reads `cancelled` and is refused, so
/// units return once.
pub async fn set_status<D: Writes>(
    db: &D,
    id: &str,
    status: OrderStatus,
    actor: &str,
) -> Result<Order, D::Error> {
    let (mut order, _) = load(db, id, true).await?;
    let next = order
        .status
        .transition_to(status)
        .map_err(StoreError::from)?;
    let now = time::now();
    db.write(UPDATE_ORDER_STATUS, &[&next.as_str(), &now, &id])
        .await?;
    let params: [&dyn Param; 5] = [&id, &order.status.as_str(), &next.as_str(), &actor, &now];
    db.write(INSERT_STATUS_CHANGE, &params).await?;
    if next == OrderStatus::Cancelled {
        // The customer's row before the stock rows, in the order a
        // checkout takes them, so the two never deadlock.
        customers::uncount_order(db, id).await?;
        return_stock(db, &order, actor, &now).await?;
    }
    let kind = match next {
        OrderStatus::Cancelled => EventType::OrderCancelled,
        _ => EventType::OrderStatusChanged,
    };
    let event = NewEvent::order(kind, id, &order.number, next.as_str());
    events::append(db, &[event], &now).await?;
    let action = format!("order.{}", next.as_str());
    let (before, after) = (
        serde_json::json!({"status": order.status.as_str()}),
        serde_json::json!({"status": next.as_str()}),
    );
    let change = (actor, action.as_str(), id, now.as_str());
    record_change(db, change, Some(&before), Some(&after)).await?;
    order.status = next;
    Ok(order)
}

/// Puts every unit of a cancelled order back, one `cancellation` movement
/// per line, in sku order like checkouts.
async fn return_stock<D: Db>(
    db: &D,
    order: &Order,
    actor: &str,
    now: &str,
) -> Result<(), D::Error> {
    let note = format!("commande {} annulée", order.number);
    for line in &order.lines {
        db.write(RETURN_UNITS, &[&line.quantity, &line.sku]).await?;
        let returned = NewMovement {
            sku: &line.sku,
            kind: MovementKind::Cancellation,
            quantity: line.quantity,
            available_after: level(db, &line.sku, false).await?,
            order_id: Some(&order.id),
            actor: Some(actor),
            note: Some(&note),
            created_at: now,
            receipt: None,
        };
        record(db, &returned).await?;
    }
    Ok(())
}

/// An order row without its lines, and its `seq` (the pages' cursor).
fn order_row(row: &Row) -> Result<(i64, Order), StoreError> {
    let status: String = row.value(3)?;
    let order = Order {
        id: row.value(1)?,
        number: row.value(2)?,
        status: OrderStatus::parse(&status).ok_or_else(|| unknown_value("status", &status))?,
        created_at: row.value(4)?,
        currency: row.value(5)?,
        total: row.value(6)?,
        delivery_fee: row.value(13)?,
        customer: CustomerView {
            name: row.value(7)?,
            phone: row.value(8)?,
            email: row.value(9)?,
        },
        delivery: Delivery {
            address: row.value(10)?,
            pickup_number: row.value(11)?,
            zone: row.value(14)?,
            zone_name: row.value(15)?,
        },
        notes: row.value(12)?,
        lines: Vec::new(),
    };
    Ok((row.value(0)?, order))
}

/// An order line whose columns start at `first`.
fn line_row(row: &Row, first: usize) -> Result<OrderLine, StoreError> {
    Ok(OrderLine {
        sku: row.value(first)?,
        title: row.value(first + 1)?,
        size: row.value(first + 2)?,
        color: row.value(first + 3)?,
        unit_price: row.value(first + 4)?,
        quantity: row.value(first + 5)?,
        line_total: row.value(first + 6)?,
    })
}
