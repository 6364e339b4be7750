//! Orders on PostgreSQL: reading them, moving them on, and cancelling with the stock returned.

use deadpool_postgres::Transaction;

use super::PgStore;
use super::customers::uncount_order;
use super::rows::{
    NewMovement, ORDER_COLUMNS, fill_order_lines, load_order, order_row, record_admin_action,
    record_movement,
};
use super::sql::{execute, query, query_one};
use super::transaction::TxError;
use crate::domain::order::{Order, OrderStatus};
use crate::domain::stock::MovementKind;
use crate::domain::time;
use crate::store::tokens::token_matches;
use crate::store::{Admin, OrderFilter, Page, Resource, StoreError};

impl PgStore {
    pub async fn order_for_buyer(&self, id: &str, access_token: &str) -> Result<Order, StoreError> {
        let found = self
            .read(id, |client, id| Box::pin(load_order(client, id, false)))
            .await;
        // A wrong token answers exactly like an unknown order.
        match found {
            Ok((order, hash)) if token_matches(access_token, &hash) => Ok(order),
            Ok(_) | Err(StoreError::NotFound { .. }) => {
                Err(StoreError::not_found(Resource::Order, id))
            }
            Err(error) => Err(error),
        }
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
                let sql = format!(
                    "select {ORDER_COLUMNS} from orders
                     where ($1::text is null or status = $1) and ($2::text is null or created_at >= $2)
                       and ($3::text is null or created_at < $3) and ($4::bigint is null or seq < $4)
                     order by seq desc limit $5"
                );
                let rows = query(
                    client,
                    &sql,
                    &[
                        &filter.status.map(OrderStatus::as_str),
                        &filter.from,
                        &filter.to,
                        &filter.before_seq,
                        &(filter.limit as i64 + 1),
                    ],
                )
                .await?;
                let mut found = rows.iter().map(order_row).collect::<Result<Vec<_>, _>>()?;
                let next_cursor = if found.len() > filter.limit {
                    found.truncate(filter.limit);
                    found.last().map(|(seq, _)| seq.to_string())
                } else {
                    None
                };
                let mut items: Vec<Order> = found.into_iter().map(|(_, order)| order).collect();
                fill_order_lines(client, &mut items).await?;
                Ok(Page { items, next_cursor })
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
                execute(
                    tx,
                    "update orders set status = $2, updated_at = $3 where id = $1",
                    &[id, &next.as_str(), &now],
                )
                .await?;
                execute(
                    tx,
                    "insert into order_status_changes (order_id, from_status, to_status, actor, created_at)
                     values ($1, $2, $3, $4, $5)",
                    &[id, &order.status.as_str(), &next.as_str(), actor, &now],
                )
                .await?;
                if next == OrderStatus::Cancelled {
                    // The customer's row before the stock rows, in the
                    // order a checkout takes them (`checkout.rs`).
                    uncount_order(tx, id).await?;
                    return_stock(tx, &order, actor, &now).await?;
                }
                let action = format!("order.{}", next.as_str());
                record_admin_action(tx, actor, &action, id, &now).await?;
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
    let note = format!("commande {} annulée", order.number);
    for line in &order.lines {
        let available: i64 = query_one(
            tx,
            "update stock set available = available + $2 where sku = $1 returning available",
            &[&line.sku, &line.quantity],
        )
        .await?
        .try_get(0)?;
        record_movement(
            tx,
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
        )
        .await?;
    }
    Ok(())
}
