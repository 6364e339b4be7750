//! Preorders above the backends: the units a restock brings serve the
//! waiting preorder lines of their sku first, oldest order first, in the
//! restock's own transaction, before any sale can see them; and the back
//! office's list of what waits, per variant.
//!
//! Where the database locks rows, a restock takes the orders of the lines
//! waiting before it takes the stock rows (`lock_waiting_orders`), in the
//! order a cancellation, a return or a desk's edit takes an order before
//! its stock, so that they never deadlock and one of them waits for the
//! other: a cancellation either ends before the restock reads the lines
//! (its lines are passed over, its places already freed) or starts after
//! it commits (and reads what its lines were given). A line of an order
//! placed between the two reads is taken when its turn comes; only a
//! cancellation of that very order in that instant can deadlock, and the
//! database then runs one of the two again.

use std::collections::HashMap;

use super::StoreError;
use super::catalog::color_from_stored;
use super::db::{Db, Param};
use super::deliveries::{self, NewDelivery};
use super::events;
use super::row::Row;
use super::stock::{insert_movement, level, named};
use crate::domain::delivery::Channel;
use crate::domain::events::{EventType, NewEvent};
use crate::domain::preorder::{
    PREORDER_LINES_SHOWN_MAX, PreorderLine, PreorderList, PreorderVariant, Waiting, allocation,
};
use crate::domain::stock::{Movement, MovementKind, NewMovement, ReceiptOf};
use crate::domain::waitlist::WaitlistMessage;

/// The units on hand of the sku `$1` and its places taken.
const STOCK_OF: &str = "select available, preorder_waiting from stock where sku = $1";

/// The preorder lines of the sku `$1` still waiting, in orders not
/// cancelled, oldest order first; read by `waiting_row`.
const WAITING_LINES: &str = "select l.order_id, o.number, o.status, l.quantity, l.allocated,
      o.customer_phone_normalised, o.customer_email
    from order_lines l join orders o on o.id = l.order_id
    where l.sku = $1 and l.preorder = 1 and l.allocated < l.quantity and o.status <> 'cancelled'
    order by o.seq";

/// The orders, not cancelled, with a preorder line of a sku in the JSON
/// array `$1` still waiting (`{skus}` is the database's subquery of its
/// texts), oldest first; locked by the caller where the database locks rows.
const WAITING_ORDERS: &str = "select o.id from orders o
    where o.status <> 'cancelled' and exists (select 1 from order_lines l
      where l.order_id = o.id and l.preorder = 1 and l.allocated < l.quantity
        and l.sku in ({skus}))
    order by o.seq";

/// The order `$1`, locked by the caller where the database locks rows.
const ORDER_ROW: &str = "select id from orders where id = $1";

/// `$1` units of the sku `$2` given to its waiting preorders.
const TAKE_FOR_PREORDERS: &str = "update stock set available = available - $1,
    preorder_waiting = preorder_waiting - $1 where sku = $2";

/// `$1` more units given to the line of the sku `$3` in the order `$2`.
const ALLOCATE_LINE: &str =
    "update order_lines set allocated = allocated + $1 where order_id = $2 and sku = $3";

/// Whether the owner set an SMS channel and an e-mail channel: how a buyer
/// can be told.
const CHANNELS_SET: &str = "select
    cast(case when sms is null then 0 else 1 end as bigint),
    cast(case when email is null then 0 else 1 end as bigint)
    from notification_channels where id = 1";

/// The variants with preorder lines waiting, the one waiting longest
/// first, then those taking preorders (or counting places) with none;
/// read by `variant_row`.
const PREORDER_VARIANTS: &str = "with waiting as (
       select l.sku, min(o.seq) as oldest, count(*) as lines
       from order_lines l join orders o on o.id = l.order_id
       where l.preorder = 1 and l.allocated < l.quantity and o.status <> 'cancelled'
       group by l.sku)
     select v.sku, v.product_id, p.title, v.size, v.color, s.available, v.preorder_enabled,
       v.preorder_cap, v.preorder_ships_by, s.preorder_waiting, cast(coalesce(w.lines, 0) as bigint)
     from variants v join stock s on s.sku = v.sku join products p on p.id = v.product_id
       left join waiting w on w.sku = v.sku
     where v.preorder_enabled = 1 or s.preorder_waiting > 0 or w.sku is not null
     order by case when w.oldest is null then 1 else 0 end, w.oldest, p.title, v.position";

/// The waiting preorder lines, each variant's oldest first, at most `$1`
/// per variant; read by `line_row`.
const PREORDER_LINES: &str = "select w.sku, w.order_id, w.number, w.status, w.customer_name,
       w.customer_phone, w.quantity, w.allocated, w.created_at
     from (select l.sku, l.order_id, o.number, o.status, o.customer_name, o.customer_phone,
             l.quantity, l.allocated, o.created_at,
             row_number() over (partition by l.sku order by o.seq) as place
           from order_lines l join orders o on o.id = l.order_id
           where l.preorder = 1 and l.allocated < l.quantity and o.status <> 'cancelled') w
     where w.place <= $1 order by w.sku, w.place";

/// Units that just arrived on a sku by a restock or a receipt.
#[derive(Clone, Copy, Debug)]
pub struct Arrived<'a> {
    pub sku: &'a str,
    /// Units on hand before they arrived, for the crossing the change tells.
    pub before: i64,
    pub actor: &'a str,
    pub at: &'a str,
    /// The receipt they came with: its allocations carry it too.
    pub receipt: Option<ReceiptOf<'a>>,
}

/// A waiting line, as `WAITING_LINES` reads it.
struct WaitingLine {
    order_id: String,
    number: String,
    status: String,
    quantity: i64,
    allocated: i64,
    phone: String,
    email: Option<String>,
}

/// Locks the orders whose preorder lines of `skus` wait, oldest first,
/// where the database locks rows (PostgreSQL: instances restock and cancel
/// side by side); nothing on SQLite, whose writer is alone. Called by a
/// restock and a receipt before they lock their stock rows.
pub async fn lock_waiting_orders<D: Db>(db: &D, skus: &[&str]) -> Result<(), D::Error> {
    if D::FOR_UPDATE.is_empty() || skus.is_empty() {
        return Ok(());
    }
    let skus = serde_json::to_string(skus).map_err(|e| StoreError::Internal(e.to_string()))?;
    let sql = format!(
        "{}{}",
        WAITING_ORDERS.replace("{skus}", &D::json_texts("$1")),
        D::FOR_UPDATE
    );
    db.rows(&sql, &[&skus]).await?;
    Ok(())
}

/// Serves the waiting preorders of `arrived.sku` from its units on hand
/// (the restock's movement written, its level set), then tells the one
/// crossing the whole change makes, from the level before the units came
/// to the level they leave: a restock that all goes to preorders is not
/// "back in stock". Answers the `preorder_allocation` movements, oldest
/// order first.
pub async fn serve_waiting<D: Db>(db: &D, arrived: Arrived<'_>) -> Result<Vec<Movement>, D::Error> {
    let allocations = allocate_waiting(db, &arrived).await?;
    let after = level(db, arrived.sku, false).await?;
    events::stock_moved(db, arrived.sku, arrived.before, after, arrived.at).await?;
    Ok(allocations)
}

/// Gives each waiting line of the sku what it lacks while units last,
/// oldest order first (`domain::preorder::allocation`): the units leave
/// the shelf and the places they held, the line counts them, a
/// `preorder_allocation` movement records them, and the order's
/// `order.preorder_allocated` event and its buyer's message are queued.
async fn allocate_waiting<D: Db>(db: &D, arrived: &Arrived<'_>) -> Result<Vec<Movement>, D::Error> {
    let sku = arrived.sku;
    let (available, taken): (i64, i64) = db
        .one(&D::locking(STOCK_OF, true), &[&sku], |row| {
            Ok((row.value(0)?, row.value(1)?))
        })
        .await?;
    if available <= 0 || taken <= 0 {
        return Ok(Vec::new());
    }
    let lines = db.all(WAITING_LINES, &[&sku], waiting_row).await?;
    let missing: Vec<Waiting> = lines
        .iter()
        .map(|l| Waiting {
            missing: l.quantity - l.allocated,
        })
        .collect();
    let shares = allocation(available, taken, &missing);
    let channels = db
        .first(CHANNELS_SET, &[], |row| {
            Ok((row.value::<i64>(0)? == 1, row.value::<i64>(1)? == 1))
        })
        .await?
        .unwrap_or((false, false));
    let mut left = available;
    let mut movements = Vec::new();
    for (line, given) in lines.iter().zip(shares) {
        if given == 0 {
            continue;
        }
        left -= given;
        // Held already, unless the order was placed since `lock_waiting_orders`.
        db.rows(&D::locking(ORDER_ROW, true), &[&line.order_id])
            .await?;
        db.write(TAKE_FOR_PREORDERS, &[&given, &sku]).await?;
        let params: [&dyn Param; 3] = [&given, &line.order_id, &sku];
        db.write(ALLOCATE_LINE, &params).await?;
        let note = format!("précommande {}", line.number);
        let movement = NewMovement {
            sku,
            kind: MovementKind::PreorderAllocation,
            quantity: -given,
            available_after: left,
            order_id: Some(&line.order_id),
            actor: Some(arrived.actor),
            note: Some(&note),
            created_at: arrived.at,
            receipt: arrived.receipt,
        };
        let id = insert_movement(db, &movement).await?;
        let event = NewEvent::order(
            EventType::OrderPreorderAllocated,
            &line.order_id,
            &line.number,
            &line.status,
        );
        events::append(db, &[event], arrived.at).await?;
        tell_buyer(db, sku, line, given, channels, arrived.at).await?;
        movements.push(named(db, movement, id).await?);
    }
    Ok(movements)
}

/// Queues the buyer's message that their preorder arrived: by SMS when
/// the owner set an SMS channel, else by e-mail when the owner set one and
/// the order has an address; nobody is told otherwise (the event is
/// written all the same, for the owner's channels and webhooks).
async fn tell_buyer<D: Db>(
    db: &D,
    sku: &str,
    line: &WaitingLine,
    given: i64,
    (sms, email): (bool, bool),
    at: &str,
) -> Result<(), D::Error> {
    let (channel, recipient) = match (&line.email, sms, email) {
        (_, true, _) => (Channel::Sms, line.phone.as_str()),
        (Some(address), false, true) => (Channel::Email, address.as_str()),
        _ => return Ok(()),
    };
    let message = WaitlistMessage::PreorderArrived {
        order_id: line.order_id.clone(),
        number: line.number.clone(),
        sku: sku.to_owned(),
        allocated: line.allocated + given,
        quantity: line.quantity,
    };
    let delivery = NewDelivery::to_person(channel, recipient, &message);
    deliveries::insert(db, &delivery, at).await?;
    Ok(())
}

/// The back office's preorders: every variant with lines waiting (or
/// taking preorders), its lines oldest first, at most
/// `PREORDER_LINES_SHOWN_MAX` of them each.
pub async fn list<D: Db>(db: &D) -> Result<PreorderList, D::Error> {
    let mut variants = db.all(PREORDER_VARIANTS, &[], variant_row).await?;
    let shown = PREORDER_LINES_SHOWN_MAX as i64;
    let lines = db.all(PREORDER_LINES, &[&shown], line_row).await?;
    let place: HashMap<String, usize> = variants
        .iter()
        .enumerate()
        .map(|(i, v)| (v.sku.clone(), i))
        .collect();
    for (sku, line) in lines {
        if let Some(&i) = place.get(&sku) {
            variants[i].lines.push(line);
        }
    }
    for variant in &mut variants {
        variant.lines_not_shown -= variant.lines.len() as i64;
    }
    Ok(PreorderList { variants })
}

/// A row of `WAITING_LINES`.
fn waiting_row(row: &Row) -> Result<WaitingLine, StoreError> {
    Ok(WaitingLine {
        order_id: row.value(0)?,
        number: row.value(1)?,
        status: row.value(2)?,
        quantity: row.value(3)?,
        allocated: row.value(4)?,
        phone: row.value(5)?,
        email: row.value(6)?,
    })
}

/// A row of `PREORDER_VARIANTS`, its lines not read yet (`lines_not_shown`
/// holds all of them until they are).
fn variant_row(row: &Row) -> Result<PreorderVariant, StoreError> {
    let (cap, waiting): (i64, i64) = (row.value(7)?, row.value(9)?);
    Ok(PreorderVariant {
        sku: row.value(0)?,
        product_id: row.value(1)?,
        title: row.value(2)?,
        size: row.value(3)?,
        color: color_from_stored(row.value(4)?),
        available: row.value(5)?,
        enabled: row.value::<i64>(6)? != 0,
        cap,
        ships_by: row.value(8)?,
        waiting,
        places_left: (cap - waiting).max(0),
        lines: Vec::new(),
        lines_not_shown: row.value(10)?,
    })
}

/// A row of `PREORDER_LINES`, with its sku.
fn line_row(row: &Row) -> Result<(String, PreorderLine), StoreError> {
    Ok((
        row.value(0)?,
        PreorderLine {
            order_id: row.value(1)?,
            number: row.value(2)?,
            status: row.value(3)?,
            customer_name: row.value(4)?,
            customer_phone: row.value(5)?,
            quantity: row.value(6)?,
            allocated: row.value(7)?,
            created_at: row.value(8)?,
        },
    ))
}
