//! Returns and exchanges above the backends, in one transaction: units of
//! a shipped or delivered order come back (`return` movements when they go
//! back on the shelf), replacements are taken from stock like checkout
//! lines (a short one refuses everything), the order's lines, total and
//! status follow, and its history, its admin action and an
//! `order.returned` event are written with them.

use serde_json::json;

use super::StoreError;
use super::admins::record_change;
use super::catalog::color_from_stored;
use super::db::{Param, Writes};
use super::events;
use super::give_back::{self, BackToDrop};
use super::order_desk::{NewHistory, write_history};
use super::orders::load;
use super::stock::{level, record};
use crate::domain::events::{EventType, NewEvent};
use crate::domain::invalid::{FieldError, ValidationError};
use crate::domain::limits::Limits;
use crate::domain::order::{
    CheckoutRefusal, HistoryKind, InvalidTransition, Order, OrderLine, OrderStatus, ReturnInput,
    ReturnOutcome, ReturnRequest, ShortLine,
};
use crate::domain::stock::{MovementKind, NewMovement};

/// A variant's name and price today: title, size, colour, price.
const VARIANT_NOW: &str = "select p.title, v.size, v.color, p.price
    from variants v join products p on p.id = v.product_id where v.sku = $1";

/// Takes `$1` units of the sku `$2`, only if it holds them.
const TAKE_UNITS: &str =
    "update stock set available = available - $1 where sku = $2 and available >= $1";

const PUT_BACK_UNITS: &str = "update stock set available = available + $1 where sku = $2";

/// A line of the order as the return leaves it: units, total, returned.
const UPDATE_LINE: &str = "update order_lines set quantity = $1, line_total = $2, returned = $3,
    restocked = $4 where order_id = $5 and sku = $6";

const INSERT_LINE: &str = "insert into order_lines
    (order_id, sku, title, size, color, unit_price, quantity, line_total, returned, restocked)
    values ($1, $2, $3, $4, $5, $6, $7, $8, 0, 0)";

const UPDATE_ORDER: &str =
    "update orders set total = $1, status = $2, updated_at = $3 where id = $4";

/// Takes back units of the order `id` and gives its replacements, all or
/// nothing.
pub async fn take_return<D: Writes>(
    db: &D,
    id: &str,
    input: &ReturnInput,
    limits: &Limits,
    actor: &str,
    now: &str,
) -> Result<Order, D::Error> {
    let (order, _) = load(db, id, true).await?;
    if !order.status.takes_returns() {
        let refused = InvalidTransition {
            from: order.status,
            to: OrderStatus::Returned,
        };
        return Err(StoreError::from(refused).into());
    }
    let request = input.check(&order, limits).map_err(StoreError::from)?;
    let priced = price_replacements(db, &request).await?;
    let outcome = request.apply(&order, &priced).map_err(StoreError::from)?;
    move_stock(db, &order, &request, actor, now).await?;
    back_to_drops(db, &order, &request, now).await?;
    write_lines(db, &order, &outcome).await?;
    let status = if outcome.fully_returned {
        OrderStatus::Returned
    } else {
        order.status
    };
    let params: [&dyn Param; 4] = [&outcome.total_after, &status.as_str(), &now, &id];
    db.write(UPDATE_ORDER, &params).await?;
    let detail = json!({
        "lines": request.returned_lines(&order),
        "replacements": priced.iter().map(|l| json!({
            "sku": l.sku, "title": l.title, "size": l.size, "color": l.color,
            "quantity": l.quantity, "unit_price": l.unit_price,
        })).collect::<Vec<_>>(),
        "total_before": outcome.total_before,
        "total_after": outcome.total_after,
    });
    let line = NewHistory {
        order_id: id,
        kind: HistoryKind::Return,
        from: Some(order.status.as_str()),
        to: Some(status.as_str()),
        note: request.note.as_deref(),
        detail: Some(detail.clone()),
        actor,
        at: now,
    };
    write_history(db, line).await?;
    let event = NewEvent::order(EventType::OrderReturned, id, &order.number, status.as_str());
    events::append(db, &[event], now).await?;
    let before = json!({"status": order.status.as_str(), "total": order.total});
    let change = (actor, "order.return", id, now);
    record_change(db, change, Some(&before), Some(&detail)).await?;
    Ok(load(db, id, false).await?.0)
}

/// The returned units of drop lines back in their drops while they run
/// (those back on the shelf), and off the customer's count in them.
async fn back_to_drops<D: Writes>(
    db: &D,
    order: &Order,
    request: &ReturnRequest,
    now: &str,
) -> Result<(), D::Error> {
    for back in &request.lines {
        let line = order.lines.iter().find(|l| l.sku == back.sku.as_str());
        let Some((line, drop_id)) = line.and_then(|l| Some((l, l.drop_id.as_deref()?))) else {
            continue;
        };
        let back = BackToDrop {
            order_id: &order.id,
            drop_id,
            sku: &line.sku,
            to_drop: if request.restock { back.quantity } else { 0 },
            uncounted: back.quantity,
        };
        give_back::to_drop(db, back, now).await?;
    }
    Ok(())
}

/// Each replacement at today's price; an unknown sku is refused naming
/// its line.
async fn price_replacements<D: Writes>(
    db: &D,
    request: &ReturnRequest,
) -> Result<Vec<OrderLine>, D::Error> {
    let mut priced = Vec::with_capacity(request.replacements.len());
    let mut unknown = Vec::new();
    for (i, line) in request.replacements.iter().enumerate() {
        let sku = line.sku.as_str();
        let found = db
            .first(VARIANT_NOW, &[&sku], |row| {
                let color: String = row.value(2)?;
                Ok((
                    row.value::<String>(0)?,
                    row.value::<String>(1)?,
                    color,
                    row.value(3)?,
                ))
            })
            .await?;
        match found {
            Some((title, size, color, price)) => priced.push(OrderLine::at_price(
                line,
                &title,
                &size,
                color_from_stored(color).as_deref(),
                price,
            )),
            None => unknown.push(FieldError::new(
                format!("replacements[{i}].sku"),
                format!("Aucun article ne porte la référence {sku}."),
                format!("No article has the sku {sku}."),
            )),
        }
    }
    if unknown.is_empty() {
        Ok(priced)
    } else {
        Err(StoreError::from(ValidationError(unknown)).into())
    }
}

/// The returned units back on the shelf (when restocked) and the
/// replacements taken, sku by sku in order (a sku's return before its
/// replacement, which may take the unit that came back). Every short
/// replacement is named in one refusal.
async fn move_stock<D: Writes>(
    db: &D,
    order: &Order,
    request: &ReturnRequest,
    actor: &str,
    now: &str,
) -> Result<(), D::Error> {
    let mut skus: Vec<&str> = request
        .lines
        .iter()
        .filter(|_| request.restock)
        .chain(&request.replacements)
        .map(|l| l.sku.as_str())
        .collect();
    skus.sort_unstable();
    skus.dedup();
    let returned_note = format!("retour de la commande {}", order.number);
    let exchanged_note = format!("échange de la commande {}", order.number);
    let mut short = Vec::new();
    for sku in skus {
        let back = request.lines.iter().find(|l| l.sku.as_str() == sku);
        if let Some(back) = back.filter(|_| request.restock) {
            db.write(PUT_BACK_UNITS, &[&back.quantity, &sku]).await?;
            let movement = NewMovement {
                sku,
                kind: MovementKind::Return,
                quantity: back.quantity,
                available_after: level(db, sku, false).await?,
                order_id: Some(&order.id),
                actor: Some(actor),
                note: Some(&returned_note),
                created_at: now,
                receipt: None,
            };
            record(db, &movement).await?;
        }
        let Some(out) = request.replacements.iter().find(|l| l.sku.as_str() == sku) else {
            continue;
        };
        if db.write(TAKE_UNITS, &[&out.quantity, &sku]).await? == 0 {
            let available = level(db, sku, false).await?;
            short.push((out.clone(), available));
            continue;
        }
        let movement = NewMovement {
            sku,
            kind: MovementKind::Sale,
            quantity: -out.quantity,
            available_after: level(db, sku, false).await?,
            order_id: Some(&order.id),
            actor: Some(actor),
            note: Some(&exchanged_note),
            created_at: now,
            receipt: None,
        };
        record(db, &movement).await?;
    }
    if short.is_empty() {
        return Ok(());
    }
    let mut lines = Vec::with_capacity(short.len());
    for (line, available) in short {
        let sku = line.sku.as_str();
        let (title, size, color) = db
            .first(VARIANT_NOW, &[&sku], |row| {
                let color: String = row.value(2)?;
                Ok((row.value(0)?, row.value(1)?, color_from_stored(color)))
            })
            .await?
            .unwrap_or_default();
        lines.push(ShortLine {
            sku: sku.to_owned(),
            title,
            size,
            color,
            requested: line.quantity,
            available,
        });
    }
    Err(StoreError::from(CheckoutRefusal::InsufficientStock(lines)).into())
}

/// The order's lines as the return leaves them.
async fn write_lines<D: Writes>(
    db: &D,
    order: &Order,
    outcome: &ReturnOutcome,
) -> Result<(), D::Error> {
    for line in &outcome.lines {
        let sku = line.sku.as_str();
        if order.lines.iter().any(|l| l.sku == sku) {
            let params: [&dyn Param; 6] = [
                &line.quantity,
                &line.line_total,
                &line.returned,
                &line.restocked,
                &order.id,
                &sku,
            ];
            db.write(UPDATE_LINE, &params).await?;
        } else {
            let params: [&dyn Param; 8] = [
                &order.id,
                &sku,
                &line.title,
                &line.size,
                &line.color,
                &line.unit_price,
                &line.quantity,
                &line.line_total,
            ];
            db.write(INSERT_LINE, &params).await?;
        }
    }
    Ok(())
}
