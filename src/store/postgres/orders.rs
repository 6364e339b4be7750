//! Orders on PostgreSQL: reading them, moving them on, and cancelling with the stock returned.

use deadpool_postgres::Transaction;

use super::PgStore;
use super::customers::uncount_order;
use super::rows::{all, fill_order_lines, load_order, record_admin_action, record_movement};
use super::sql::{execute, query_one};
use super::transaction::TxError;
use crate::domain::order::{Order, OrderStatus};
use crate::domain::time;
use crate::store::orders::{
    INSERT_STATUS_CHANGE, ORDERS_PAGE, UPDATE_ORDER_STATUS, cancellation_movement,
    cancellation_note, for_buyer, order_row, orders_page, status_action,
};
use crate::store::paging::rows_for;
use crate::store::{Admin, OrderFilter, Page, StoreError};

impl PgStore {
    pub async fn order_for_buyer(&self, id: &str, access_token: &str) -> Result<Order, StoreError> {
        let found = self
            .read(id, |client, id| Box::pin(load_order(client, id, false)))
            .await;
        for_buyer(found, id, access_token)
    }

    pub async fn order(&self, id: &str) -> Result<Order, StoreError> {
        self.read(id, |client, id| {
            Box::pin(async move { Ok(load_order(client, id, false).await?.0) })
        })
        .await
    }

    pub async fn orders(&self, filter: OrderFilter) -> Result<Page<Order>, StoreError> {
        self.read(&filter, |client, filter| {
            Box::pin(async move {
                let status = filter.status.map(OrderStatus::as_str);
                let rows = all(
                    client,
                    ORDERS_PAGE,
                    &[
                        &status,
                        &filter.from,
                        &filter.to,
                        &filter.before_seq,
                        &rows_for(filter.limit),
                    ],
                    order_row,
                )
                .await?;
                let mut page = orders_page(rows, filter.limit);
                fill_order_lines(client, &mut page.items).await?;
                Ok(page)
            })
        })
        .await
    }

    pub async fn set_order_status(
        &self,
        id: &str,
        status: OrderStatus,
        actor: &Admin,
    ) -> Result<Order, StoreError> {
        let data = (id, status, actor.name.as_str());
        self.write(&data, |tx, (id, status, actor)| {
            Box::pin(async move {
                // The order row is locked before its status is read: of two
                // cancels racing on two instances, the second waits, then
                // reads `cancelled` and is refused, so units return once.
                let (mut order, _) = load_order(tx, id, true).await?;
                let next = order.status.transition_to(*status)?;
                let now = time::now();
                execute(tx, UPDATE_ORDER_STATUS, &[&next.as_str(), &now, id]).await?;
                execute(
                    tx,
                    INSERT_STATUS_CHANGE,
                    &[id, &order.status.as_str(), &next.as_str(), actor, &now],
                )
                .await?;
                if next == OrderStatus::Cancelled {
                    // The customer's row before the stock rows, in the
                    // order a checkout takes them (`locks.rs`).
                    uncount_order(tx, id).await?;
                    return_stock(tx, &order, actor, &now).await?;
                }
                record_admin_action(tx, actor, &status_action(next), id, &now).await?;
                order.status = next;
                Ok(order)
            })
        })
        .await
    }
}

/// Puts every unit of a cancelled order back, one `cancellation` movement
/// per line, in sku order like checkouts, so the two never deadlock.
async fn return_stock(
    tx: &Transaction<'_>,
    order: &Order,
    actor: &str,
    now: &str,
) -> Result<(), TxError> {
    let note = cancellation_note(order);
    for line in &order.lines {
        let available: i64 = query_one(
            tx,
            "update stock set available = available + $2 where sku = $1 returning available",
            &[&line.sku, &line.quantity],
        )
        .await?
        .try_get(0)?;
        let movement = cancellation_movement(order, line, available, actor, &note, now);
        record_movement(tx, movement).await?;
    }
    Ok(())
}
