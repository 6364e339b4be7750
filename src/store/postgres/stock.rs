//! Stock on PostgreSQL: restocks, adjustments and the ledger's history.

use deadpool_postgres::GenericClient;

use super::PgStore;
use super::rows::{MOVEMENT_COLUMNS, NewMovement, movement_row, record_movement};
use super::sql::{execute, query, query_opt};
use super::transaction::TxError;
use crate::domain::stock::{Adjustment, Movement, MovementKind, Restock};
use crate::domain::time;
use crate::store::{Admin, MovementFilter, Page, Resource, StockChange, StoreError};

impl PgStore {
    pub async fn restock(
        &self,
        sku: &str,
        restock: Restock,
        actor: &Admin,
    ) -> Result<StockChange, StoreError> {
        let data = (sku, restock, actor.name.as_str());
        self.write(&data, |tx, (sku, restock, actor)| {
            Box::pin(async move {
                // Locked until commit, so `available_after` is this variant's
                // level right after this movement, whatever runs beside it.
                let available = locked_available(tx, sku).await?;
                let after = available + restock.quantity;
                set_available(tx, sku, after).await?;
                let movement = record_movement(
                    tx,
                    NewMovement {
                        sku,
                        kind: MovementKind::Restock,
                        quantity: restock.quantity,
                        available_after: after,
                        order_id: None,
                        actor: Some(actor),
                        note: restock.note.as_deref(),
                        created_at: &time::now(),
                    },
                )
                .await?;
                Ok(StockChange {
                    sku: sku.to_string(),
                    available: after,
                    movement,
                })
            })
        })
        .await
    }

    pub async fn adjust_stock(
        &self,
        sku: &str,
        adjustment: Adjustment,
        actor: &Admin,
    ) -> Result<StockChange, StoreError> {
        let data = (sku, adjustment, actor.name.as_str());
        self.write(&data, |tx, (sku, adjustment, actor)| {
            Box::pin(async move {
                let available = locked_available(tx, sku).await?;
                let delta = adjustment.by.delta_from(available);
                let after = available + delta;
                if after < 0 {
                    return Err(StoreError::StockWouldGoNegative {
                        sku: sku.to_string(),
                        available,
                        delta,
                    }
                    .into());
                }
                set_available(tx, sku, after).await?;
                let movement = record_movement(
                    tx,
                    NewMovement {
                        sku,
                        kind: MovementKind::Adjustment,
                        quantity: delta,
                        available_after: after,
                        order_id: None,
                        actor: Some(actor),
                        note: Some(&adjustment.reason),
                        created_at: &time::now(),
                    },
                )
                .await?;
                Ok(StockChange {
                    sku: sku.to_string(),
                    available: after,
                    movement,
                })
            })
        })
        .await
    }

    pub async fn movements(&self, filter: MovementFilter) -> Result<Page<Movement>, StoreError> {
        self.read(&filter, |client, filter| {
            Box::pin(async move {
                let sql = format!(
                    "select {MOVEMENT_COLUMNS} from stock_movements
                     where ($1::text is null or sku = $1) and ($2::text is null or kind = $2)
                       and ($3::text is null or created_at >= $3) and ($4::text is null or created_at < $4)
                       and ($5::bigint is null or id < $5)
                     order by id desc limit $6"
                );
                let rows = query(
                    client,
                    &sql,
                    &[
                        &filter.sku,
                        &filter.kind.map(MovementKind::as_str),
                        &filter.from,
                        &filter.to,
                        &filter.before_id,
                        &(filter.limit as i64 + 1),
                    ],
                )
                .await?;
                let mut items = rows.iter().map(movement_row).collect::<Result<Vec<_>, _>>()?;
                let next_cursor = if items.len() > filter.limit {
                    items.truncate(filter.limit);
                    items.last().map(|m| m.id.clone())
                } else {
                    None
                };
                Ok(Page { items, next_cursor })
            })
        })
        .await
    }
}

/// Units on hand of a variant, its row locked until the transaction ends.
async fn locked_available<C: GenericClient>(client: &C, sku: &str) -> Result<i64, TxError> {
    let row = query_opt(
        client,
        "select available from stock where sku = $1 for update",
        &[&sku],
    )
    .await?
    .ok_or_else(|| StoreError::not_found(Resource::Sku, sku))?;
    Ok(row.try_get(0)?)
}

async fn set_available<C: GenericClient>(
    client: &C,
    sku: &str,
    available: i64,
) -> Result<(), TxError> {
    execute(
        client,
        "update stock set available = $2 where sku = $1",
        &[&sku, &available],
    )
    .await?;
    Ok(())
}
