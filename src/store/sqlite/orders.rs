//! Orders on SQLite: reading them, moving them on, and cancelling with the stock returned.

use rusqlite::{Connection, params};

use super::SqliteStore;
use super::customers::uncount_order;
use super::rows::{all, load_order, order_lines, record_admin_action, record_movement};
use super::stock::available_of;
use crate::domain::order::{Order, OrderStatus};
use crate::domain::time;
use crate::store::orders::{
    INSERT_STATUS_CHANGE, ORDERS_PAGE, UPDATE_ORDER_STATUS, cancellation_movement,
    cancellation_note, for_buyer, order_row, orders_page, status_action,
};
use crate::store::paging::rows_for;
use crate::store::{Admin, OrderFilter, Page, StoreError};

impl SqliteStore {
    pub async fn order_for_buyer(&self, id: &str, access_token: &str) -> Result<Order, StoreError> {
        let (id, token) = (id.to_owned(), access_token.to_owned());
        self.read(move |conn| for_buyer(load_order(conn, &id), &id, &token))
            .await
    }

    pub async fn order(&self, id: &str) -> Result<Order, StoreError> {
        let id = id.to_owned();
        self.read(move |conn| Ok(load_order(conn, &id)?.0)).await
    }

    pub async fn orders(&self, filter: OrderFilter) -> Result<Page<Order>, StoreError> {
        self.read(move |conn| {
            let status = filter.status.map(OrderStatus::as_str);
            let rows = all(
                conn,
                ORDERS_PAGE,
                params![
                    status,
                    filter.from,
                    filter.to,
                    filter.before_seq,
                    rows_for(filter.limit)
                ],
                |row| order_row(row),
            )?;
            let mut page = orders_page(rows, filter.limit);
            for order in &mut page.items {
                order.lines = order_lines(conn, &order.id)?;
            }
            Ok(page)
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
            conn.prepare_cached(UPDATE_ORDER_STATUS)?
                .execute(params![next.as_str(), now, id])?;
            conn.prepare_cached(INSERT_STATUS_CHANGE)?.execute(params![
                id,
                order.status.as_str(),
                next.as_str(),
                actor,
                now
            ])?;
            if next == OrderStatus::Cancelled {
                uncount_order(conn, &id)?;
                return_stock(conn, &order, &actor, &now)?;
            }
            record_admin_action(conn, &actor, &status_action(next), &id, &now)?;
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
    let note = cancellation_note(order);
    for line in &order.lines {
        // No `returning`: SQLite builds a temporary table for it.
        conn.prepare_cached("update stock set available = available + ?2 where sku = ?1")?
            .execute(params![line.sku, line.quantity])?;
        let available = available_of(conn, &line.sku)?;
        record_movement(
            conn,
            cancellation_movement(order, line, available, actor, &note, now),
        )?;
    }
    Ok(())
}
