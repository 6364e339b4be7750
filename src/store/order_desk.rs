//! The order desk above the backends: payments, staff notes and edits of
//! an order, each written with its line of history (`order_history`) and
//! its admin action, in the transaction of the change; and the history
//! read back. Status changes and returns write theirs in `orders.rs` and
//! `returns.rs`.

use serde_json::json;

use super::StoreError;
use super::admins::record_change;
use super::db::{Db, Param, Writes};
use super::events;
use super::orders::load;
use super::row::{Row, unknown_value};
use crate::domain::events::{EventType, NewEvent};
use crate::domain::limits::Limits;
use crate::domain::order::{
    FieldChange, HistoryEvent, HistoryKind, Order, OrderEdit, OrderStatus, Payment, PaymentInput,
    StaffNote,
};
use crate::domain::product::folded;
use crate::domain::time;

/// One line of an order's history: order, kind, from, to, note, detail
/// (JSON), actor, when.
const INSERT_HISTORY: &str = "insert into order_history
    (order_id, kind, from_value, to_value, note, detail, actor, created_at)
    values ($1, $2, $3, $4, $5, $6, $7, $8)";

/// The history of the order `$1`, oldest first.
const HISTORY: &str = "select created_at, actor, kind, from_value, to_value, note, detail
    from order_history where order_id = $1 order by id";

const SET_PAYMENT: &str = "update orders set payment_status = $1, payment_method = $2,
    payment_amount = $3, payment_reference = $4, updated_at = $5 where id = $6";

const SET_PICKUP_NUMBER: &str =
    "update orders set pickup_number = $1, updated_at = $2 where id = $3";

const SET_ADDRESS: &str = "update orders set delivery_address = $1, updated_at = $2 where id = $3";

/// A line of history to write.
pub struct NewHistory<'a> {
    pub order_id: &'a str,
    pub kind: HistoryKind,
    pub from: Option<&'a str>,
    pub to: Option<&'a str>,
    pub note: Option<&'a str>,
    pub detail: Option<serde_json::Value>,
    pub actor: &'a str,
    pub at: &'a str,
}

/// Writes one line of an order's history; answers its id.
pub async fn write_history<D: Db>(db: &D, line: NewHistory<'_>) -> Result<i64, D::Error> {
    let (kind, detail) = (line.kind.as_str(), line.detail.map(|d| d.to_string()));
    let params: [&dyn Param; 8] = [
        &line.order_id,
        &kind,
        &line.from,
        &line.to,
        &line.note,
        &detail,
        &line.actor,
        &line.at,
    ];
    db.insert(INSERT_HISTORY, &params).await
}

/// The order `id` with its history: its creation, then every line kept.
pub async fn history<D: Db>(db: &D, id: &str) -> Result<Vec<HistoryEvent>, D::Error> {
    let (order, _) = load(db, id, false).await?;
    let created = HistoryEvent {
        at: order.created_at.clone(),
        actor: None,
        kind: HistoryKind::Created,
        from: None,
        to: Some(OrderStatus::Pending.as_str().to_owned()),
        note: None,
        detail: Some(json!({"total": order.total, "customer": order.customer.name})),
    };
    let mut events = vec![created];
    events.extend(db.all(HISTORY, &[&id], history_row).await?);
    Ok(events)
}

fn history_row(row: &Row) -> Result<HistoryEvent, StoreError> {
    let kind: String = row.value(2)?;
    let detail: Option<String> = row.value(6)?;
    Ok(HistoryEvent {
        at: row.value(0)?,
        actor: row.value(1)?,
        kind: HistoryKind::parse(&kind).ok_or_else(|| unknown_value("kind", &kind))?,
        from: row.value(3)?,
        to: row.value(4)?,
        note: row.value(5)?,
        detail: detail.and_then(|d| serde_json::from_str(&d).ok()),
    })
}

/// Records what the shop was paid for the order `id`, and tells the
/// outbox (`payment.recorded`).
pub async fn record_payment<D: Writes>(
    db: &D,
    id: &str,
    input: &PaymentInput,
    actor: &str,
) -> Result<Order, D::Error> {
    let (mut order, _) = load(db, id, true).await?;
    let before = order.payment.clone().unwrap_or(Payment::UNPAID);
    let payment = input
        .check(order.total, &order.currency, &before)
        .map_err(StoreError::from)?;
    let now = time::now();
    let (status, method) = (payment.status.as_str(), payment.method.map(|m| m.as_str()));
    let params: [&dyn Param; 6] = [
        &status,
        &method,
        &payment.amount,
        &payment.reference,
        &now,
        &id,
    ];
    db.write(SET_PAYMENT, &params).await?;
    let detail =
        json!({"method": method, "amount": payment.amount, "reference": payment.reference});
    write_history(
        db,
        NewHistory {
            order_id: id,
            kind: HistoryKind::Payment,
            from: Some(before.status.as_str()),
            to: Some(status),
            note: None,
            detail: Some(detail.clone()),
            actor,
            at: &now,
        },
    )
    .await?;
    let event = NewEvent::order(
        EventType::PaymentRecorded,
        id,
        &order.number,
        order.status.as_str(),
    );
    events::append(db, &[event], &now).await?;
    let change = (actor, "order.payment", id, now.as_str());
    record_change(db, change, Some(&before), Some(&payment)).await?;
    order.payment = Some(payment);
    Ok(order)
}

/// Adds a staff note to the order `id`.
pub async fn add_note<D: Writes>(
    db: &D,
    id: &str,
    note: &str,
    actor: &str,
) -> Result<StaffNote, D::Error> {
    load(db, id, true).await?;
    let now = time::now();
    let line = NewHistory {
        order_id: id,
        kind: HistoryKind::Note,
        from: None,
        to: None,
        note: Some(note),
        detail: None,
        actor,
        at: &now,
    };
    let note_id = write_history(db, line).await?;
    let change = (actor, "order.note", id, now.as_str());
    record_change(db, change, None::<&()>, Some(&json!({"note": note}))).await?;
    Ok(StaffNote {
        id: note_id.to_string(),
        at: now,
        actor: actor.to_owned(),
        note: note.to_owned(),
    })
}

/// Changes the pickup number or the delivery address of the order `id`;
/// each changed field is one line of its history.
pub async fn edit<D: Writes>(
    db: &D,
    id: &str,
    edit: &OrderEdit,
    limits: &Limits,
    actor: &str,
) -> Result<Order, D::Error> {
    let (mut order, _) = load(db, id, true).await?;
    let changes = edit.changes(&order, limits).map_err(StoreError::from)?;
    let now = time::now();
    for FieldChange {
        field,
        before,
        after,
    } in &changes
    {
        let sql = if *field == "pickup_number" {
            SET_PICKUP_NUMBER
        } else {
            SET_ADDRESS
        };
        db.write(sql, &[after, &now, &id]).await?;
        let line = NewHistory {
            order_id: id,
            kind: HistoryKind::Edit,
            from: before.as_deref(),
            to: after.as_deref(),
            note: None,
            detail: Some(json!({"field": field})),
            actor,
            at: &now,
        };
        write_history(db, line).await?;
        let change = (actor, "order.edit", id, now.as_str());
        record_change(
            db,
            change,
            Some(&json!({*field: before})),
            Some(&json!({*field: after})),
        )
        .await?;
        match *field {
            "pickup_number" => order.delivery.pickup_number = after.clone(),
            _ => order.delivery.address = after.clone(),
        }
    }
    Ok(order)
}

/// The names of orders placed before migration V11, without their folded
/// form.
const NAMES_TO_FOLD: &str =
    "select seq, customer_name from orders where customer_name_folded is null order by seq";

const SET_FOLDED_NAME: &str = "update orders set customer_name_folded = $1 where seq = $2";

/// Folds the names of orders placed before the desk's search existed, once
/// (the first start after migration V11); answers how many.
pub async fn fold_names<D: Writes>(db: &D) -> Result<usize, D::Error> {
    let names = db
        .all(NAMES_TO_FOLD, &[], |row| {
            Ok((row.value::<i64>(0)?, row.value::<String>(1)?))
        })
        .await?;
    for (seq, name) in &names {
        db.write(SET_FOLDED_NAME, &[&folded(name), seq]).await?;
    }
    Ok(names.len())
}
