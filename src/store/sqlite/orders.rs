//! Orders on SQLite: reading them, moving them on, and cancelling with the stock returned.

use rusqlite::{Connection, params};

use super::SqliteStore;
use super::customers::uncount_order;
use super::rows::{
    NewMovement, ORDER_COLUMNS, load_order, order_lines, order_row, record_admin_action,
    record_movement,
};
use super::stock::available_of;
use crate::domain::order::{Order, OrderStatus};
use crate::domain::stock::MovementKind;
use crate::domain::time;
use crate::store::tokens::token_matches;
use crate::store::{Admin, OrderFilter, Page, Resource, StoreError};

impl SqliteStore {
    pub async fn order_for_buyer(&self, id: &str, access_token: &str) -> Result<Order, StoreError> {
        let (id, token) = (id.to_owned(), access_token.to_owned());
        self.read(move |conn| {
            // A wrong token answers exactly like an unknown order.
            match load_order(conn, &id) {
                Ok((order, hash)) if token_matches(&token, &hash) => Ok(order),
                Ok(_) | Err(StoreError::NotFound { .. }) => {
                    Err(StoreError::not_found(Resource::Order, id))
                }
                Err(error) => Err(error),
            }
        })
        .await
    }

    pub async fn order(&self, id: &str) -> Result<Order, StoreError> {
        let id = id.to_owned();
        self.read(move |conn| Ok(load_order(conn, &id)?.0)).await
    }

    pub async fn orders(&self, filter: OrderFilter) -> Result<Page<Order>, StoreError> {
        self.read(move |conn| {
            let sql = format!(
                "select {ORDER_COLUMNS} from orders
                 where (?1 is null or status = ?1) and (?2 is null or created_at >= ?2)
                   and (?3 is null or created_at < ?3) and (?4 is null or seq < ?4)
                 order by seq desc limit ?5"
            );
            let mut statement = conn.prepare_cached(&sql)?;
            let rows = statement.query_map(
                params![
                    filter.status.map(OrderStatus::as_str),
                    filter.from,
                    filter.to,
                    filter.before_seq,
                    filter.limit as i64 + 1
                ],
                order_row,
            )?;
            let mut found = rows.collect::<rusqlite::Result<Vec<_>>>()?;
            let next_cursor = if found.len() > filter.limit {
                found.truncate(filter.limit);
                found.last().map(|(seq, _)| seq.to_string())
            } else {
                None
            };
            let mut items = Vec::with_capacity(found.len());
            for (_, mut order) in found {
                order.lines = order_lines(conn, &order.id)?;
                items.push(order);
            }
            Ok(Page { items, next_cursor })
        })
        .await
    }

    pub async fn set_order_status(
        &self,
        id: &str,
        status: OrderStatus,
        actor: &Admin,
    ) -> Result<Order, StoreError> {
        let (id, actor) = (id.to_owned(), actor.name.clone());
        self.write(move |conn| {
            let (mut order, _) = load_order(conn, &id)?;
            // The transition is checked against the status read in this
            // transaction, so of two racing cancels only the first applies.
            let next = order.status.transition_to(status)?;
            let now = time::now();
            conn.prepare_cached("update orders set status = ?2, updated_at = ?3 where id = ?1")?
                .execute(params![id, next.as_str(), now])?;
            conn.prepare_cached(
                "insert into order_status_changes (order_id, from_status, to_status, actor, created_at)
                 values (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![id, order.status.as_str(), next.as_str(), actor, now])?;
            if next == OrderStatus::Cancelled {
                uncount_order(conn, &id)?;
                return_stock(conn, &order, &actor, &now)?;
            }
            record_admin_action(conn, &actor, &format!("order.{}", next.as_str()), &id, &now)?;
            order.status = next;
            Ok(order)
        })
        .await
    }
}

/// Puts every unit of a cancelled order back, one `cancellation` movement per line.
fn return_stock(
    conn: &Connection,
    order: &Order,
    actor: &str,
    now: &str,
) -> Result<(), StoreError> {
    let note = format!("commande {} annulée", order.number);
    for line in &order.lines {
        conn.prepare_cached("update stock set available = available + ?2 where sku = ?1")?
            .execute(params![line.sku, line.quantity])?;
        let available = available_of(conn, &line.sku)?;
        record_movement(
            conn,
            NewMovement {
                sku: &line.sku,
                kind: MovementKind::Cancellation,
                quantity: line.quantity,
                available_after: available,
                order_id: Some(&order.id),
                actor: Some(actor),
                note: Some(&note),
                created_at: now,
            },
        )?;
    }
    Ok(())
}
