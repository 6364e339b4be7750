//! Orders above the backends: read by their buyer or an admin, listed in
//! pages, moved on, and cancelled with their units returned to stock.

use super::admins::record_change;
use super::customers;
use super::db::{Db, Param, Writes};
use super::events;
use super::give_back::{self, BackToDrop};
use super::order_desk::{NewHistory, write_history};
use super::row::{Row, pair_row, unknown_value};
use super::stock::{level, record};
use super::{Resource, StoreError};
use crate::domain::events::{EventType, NewEvent};
use crate::domain::invalid::{FieldError, ValidationError};
use crate::domain::order::{
    CustomerView, Delivery, HistoryKind, Order, OrderLine, OrderStatus, Payment, PaymentMethod,
    PaymentStatus, StatusCounts,
};
use crate::domain::page::{OrderFilter, Page, StatusFilter, page, rows_for};
use crate::domain::stock::{MovementKind, NewMovement};
use crate::domain::time;
use crate::domain::tokens::token_matches;

/// The columns `order_row` reads, in its order: `seq` first, for pages.
macro_rules! order_columns {
    () => {
        "seq, id, number, status, created_at, currency, total, customer_name, customer_phone,
         customer_email, delivery_address, pickup_number, notes, delivery_fee, delivery_zone,
         delivery_zone_name, payment_status, payment_method, payment_amount, payment_reference,
         (select count(*) from order_history h where h.order_id = orders.id and h.kind = 'note')"
    };
}

/// The column after `order_columns!`: a page's first line column, or the
/// access token's hash.
const LINES_FROM: usize = 21;

/// The columns of an order line, read by `line_row`.
macro_rules! line_columns {
    ($prefix:literal) => {
        concat!(
            $prefix,
            "sku, ",
            $prefix,
            "title, ",
            $prefix,
            "size, ",
            $prefix,
            "color, ",
            $prefix,
            "unit_price, ",
            $prefix,
            "quantity, ",
            $prefix,
            "line_total, ",
            $prefix,
            "returned, ",
            $prefix,
            "restocked, ",
            $prefix,
            "preorder, ",
            $prefix,
            "allocated, ",
            $prefix,
            "drop_id"
        )
    };
}

/// The order `$1` and the hash of its access token (column 21).
const ORDER_BY_ID: &str = concat!(
    "select ",
    order_columns!(),
    ", access_token_hash from orders where id = $1"
);

/// The id and normalised phone of the order of sequence `$1`.
const ORDER_BY_SEQ: &str = "select id, customer_phone_normalised from orders where seq = $1";

/// The lines of the order `$1`, read by `line_row`.
const ORDER_LINES: &str = concat!(
    "select ",
    line_columns!(""),
    " from order_lines where order_id = $1 order by sku"
);

/// The orders a desk filter chooses (each condition when its parameter is
/// given): status `$1` (or `to_handle`), from `$2`, before `$3`, payment
/// `$4`, and a search: a folded name like `$5`, sequence `$6`, phone `$7`
/// or pickup number `$8`. A search scans the orders newest first: no index
/// serves a part of a name, and each one would cost every checkout a write
/// (docs/BENCHMARKS.md measures a search on 100,000 orders).
macro_rules! desk_filter {
    () => {
        "(cast($1 as text) is null or status = $1
           or ($1 = 'to_handle' and status in ('pending', 'confirmed', 'processing')))
         and (cast($2 as text) is null or created_at >= $2)
         and (cast($3 as text) is null or created_at < $3)
         and (cast($4 as text) is null or payment_status = $4)
         and (cast($5 as text) is null or customer_name_folded like $5 escape '\\'
           or seq = $6 or customer_phone_normalised = $7 or lower(pickup_number) = $8)"
    };
}

/// A page of orders, newest first, each with its lines (from column 21),
/// in one statement: the desk's filter, `seq` below `$9` when given, at
/// most `$10` orders.
const ORDERS_PAGE: &str = concat!(
    "select o.*, ",
    line_columns!("l."),
    " from (select ",
    order_columns!(),
    " from orders where ",
    desk_filter!(),
    " and (cast($9 as bigint) is null or seq < $9)
       order by seq desc limit $10) o
     left join order_lines l on l.order_id = o.id
     order by o.seq desc, l.sku"
);

/// How many orders have each status.
const COUNTS_BY_STATUS: &str = "select status, count(*) from orders group by status";

/// Sets the order `$3`'s status to `$1` at `$2`.
const UPDATE_ORDER_STATUS: &str = "update orders set status = $1, updated_at = $2 where id = $3";

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
    let status = filter.status.map(StatusFilter::as_str);
    let (from, to) = (filter.from.map(time::format), filter.to.map(time::format));
    let payment = filter.payment.map(PaymentStatus::as_str);
    let search = filter.search.as_ref();
    let name = search.map(|s| s.name_pattern.as_str());
    let seq = search.and_then(|s| s.seq);
    let phone = search.and_then(|s| s.phone.as_deref());
    let pickup = search.map(|s| s.pickup_number.as_str());
    let params: [&dyn Param; 10] = [
        &status,
        &from,
        &to,
        &payment,
        &name,
        &seq,
        &phone,
        &pickup,
        &filter.before_seq,
        &rows_for(filter.limit),
    ];
    let orders = orders_with_lines(&db.rows(ORDERS_PAGE, &params).await?)?;
    Ok(page(orders, filter.limit, |(seq, _)| seq.to_string()).map(|(_, order)| order))
}

/// How many orders have each status, and how many are still to handle.
pub async fn counts<D: Db>(db: &D) -> Result<StatusCounts, D::Error> {
    let rows = db.all(COUNTS_BY_STATUS, &[], pair_row).await?;
    let mut counts = StatusCounts::default();
    for (status, count) in rows {
        let status: String = status;
        let status = OrderStatus::parse(&status).ok_or_else(|| unknown_value("status", &status))?;
        counts.add(status, count);
    }
    Ok(counts)
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

/// Moves the order `id` on to `status`, or one step back with a `reason`;
/// cancelling returns its units to stock. The move is checked against the
/// status read in this transaction, the order row locked first where the
/// database locks rows: of two racing cancels, the second reads
/// `cancelled` and is refused, so units return once.
pub async fn set_status<D: Writes>(
    db: &D,
    id: &str,
    status: OrderStatus,
    reason: Option<&str>,
    actor: &str,
    now: &str,
) -> Result<Order, D::Error> {
    let (mut order, _) = load(db, id, true).await?;
    let next = if order.status.step_back() == Some(status) {
        reason.ok_or_else(|| StoreError::from(ValidationError::one(reason_required(status))))?;
        status
    } else {
        order
            .status
            .transition_to(status)
            .map_err(StoreError::from)?
    };
    db.write(UPDATE_ORDER_STATUS, &[&next.as_str(), &now, &id])
        .await?;
    let line = NewHistory {
        order_id: id,
        kind: HistoryKind::Status,
        from: Some(order.status.as_str()),
        to: Some(next.as_str()),
        note: reason,
        detail: None,
        actor,
        at: now,
    };
    write_history(db, line).await?;
    if next == OrderStatus::Cancelled {
        // The customer's row before the stock rows, in the order a
        // checkout takes them, so the two never deadlock.
        customers::uncount_order(db, id).await?;
        return_stock(db, &order, actor, now).await?;
    }
    let kind = match next {
        OrderStatus::Cancelled => EventType::OrderCancelled,
        _ => EventType::OrderStatusChanged,
    };
    let event = NewEvent::order(kind, id, &order.number, next.as_str());
    events::append(db, &[event], now).await?;
    let action = format!("order.{}", next.as_str());
    let (before, after) = (
        serde_json::json!({"status": order.status.as_str()}),
        serde_json::json!({"status": next.as_str()}),
    );
    let change = (actor, action.as_str(), id, now);
    record_change(db, change, Some(&before), Some(&after)).await?;
    order.status = next;
    Ok(order)
}

/// The refusal of a step back to `status` without its reason.
fn reason_required(status: OrderStatus) -> FieldError {
    FieldError::new(
        "reason",
        format!(
            "Dites pourquoi la commande revient à « {} » : une étape en arrière se fait avec sa raison.",
            status.label_fr()
        ),
        format!(
            "Say why the order goes back to `{}`: a step back needs its reason.",
            status.as_str()
        ),
    )
}

/// Puts every unit of a cancelled order back, one `cancellation` movement
/// per line, in sku order like checkouts: a drop's line gives its units
/// back to the drop while it runs, a preorder line frees its places still
/// waiting and gives back only the units restocks gave it.
async fn return_stock<D: Writes>(
    db: &D,
    order: &Order,
    actor: &str,
    now: &str,
) -> Result<(), D::Error> {
    let note = format!("commande {} annulée", order.number);
    for line in &order.lines {
        if let Some(drop_id) = &line.drop_id {
            let back = BackToDrop {
                order_id: &order.id,
                drop_id,
                sku: &line.sku,
                to_drop: line.quantity,
                uncounted: line.quantity,
            };
            give_back::to_drop(db, back, now).await?;
        }
        let held = if line.preorder {
            give_back::free_places(db, &line.sku, line.quantity - line.allocated).await?;
            line.allocated
        } else {
            line.quantity
        };
        if held == 0 {
            continue;
        }
        db.write(RETURN_UNITS, &[&held, &line.sku]).await?;
        let returned = NewMovement {
            sku: &line.sku,
            kind: MovementKind::Cancellation,
            quantity: held,
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
        payment: Some(payment_row(row, 16)?),
        staff_notes: Some(row.value(20)?),
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
        returned: row.value(first + 7)?,
        restocked: row.value(first + 8)?,
        preorder: row.value::<i64>(first + 9)? == 1,
        allocated: row.value(first + 10)?,
        drop_id: row.value(first + 11)?,
    })
}

/// A payment whose four columns start at `first`.
fn payment_row(row: &Row, first: usize) -> Result<Payment, StoreError> {
    let status: String = row.value(first)?;
    let method: Option<String> = row.value(first + 1)?;
    Ok(Payment {
        status: PaymentStatus::parse(&status)
            .ok_or_else(|| unknown_value("payment_status", &status))?,
        method: method
            .map(|m| PaymentMethod::parse(&m).ok_or_else(|| unknown_value("payment_method", &m)))
            .transpose()?,
        amount: row.value(first + 2)?,
        reference: row.value(first + 3)?,
    })
}
