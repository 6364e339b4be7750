//! Stock on SQLite: restocks, adjustments and the ledger's history.

use rusqlite::{Connection, OptionalExtension, params};

use super::SqliteStore;
use super::rows::{MOVEMENT_COLUMNS, NewMovement, movement_row, record_movement};
use crate::domain::stock::{Adjustment, Movement, MovementKind, Restock};
use crate::domain::time;
use crate::store::{Admin, MovementFilter, Page, Resource, StockChange, StoreError};

impl SqliteStore {
    pub async fn restock(
        &self,
        sku: &str,
        restock: Restock,
        actor: &Admin,
    ) -> Result<StockChange, StoreError> {
        let (sku, actor) = (sku.to_owned(), actor.name.clone());
        self.write(move |conn| {
            let available = available_of(conn, &sku)?;
            let after = available + restock.quantity;
            set_available(conn, &sku, after)?;
            let movement = record_movement(
                conn,
                NewMovement {
                    sku: &sku,
                    kind: MovementKind::Restock,
                    quantity: restock.quantity,
                    available_after: after,
                    order_id: None,
                    actor: Some(&actor),
                    note: restock.note.as_deref(),
                    created_at: &time::now(),
                },
            )?;
            Ok(StockChange {
                sku: sku.clone(),
                available: after,
                movement,
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
        let (sku, actor) = (sku.to_owned(), actor.name.clone());
        self.write(move |conn| {
            let available = available_of(conn, &sku)?;
            let delta = adjustment.by.delta_from(available);
            let after = available + delta;
            if after < 0 {
                return Err(StoreError::StockWouldGoNegative {
                    sku: sku.clone(),
                    available,
                    delta,
                });
            }
            set_available(conn, &sku, after)?;
            let movement = record_movement(
                conn,
                NewMovement {
                    sku: &sku,
                    kind: MovementKind::Adjustment,
                    quantity: delta,
                    available_after: after,
                    order_id: None,
                    actor: Some(&actor),
                    note: Some(&adjustment.reason),
                    created_at: &time::now(),
                },
            )?;
            Ok(StockChange {
                sku: sku.clone(),
                available: after,
                movement,
            })
        })
        .await
    }

    pub async fn movements(&self, filter: MovementFilter) -> Result<Page<Movement>, StoreError> {
        self.read(move |conn| {
            let sql = format!(
                "select {MOVEMENT_COLUMNS} from stock_movements
                 where (?1 is null or sku = ?1) and (?2 is null or kind = ?2)
                   and (?3 is null or created_at >= ?3) and (?4 is null or created_at < ?4)
                   and (?5 is null or id < ?5)
                 order by id desc limit ?6"
            );
            let mut statement = conn.prepare_cached(&sql)?;
            let rows = statement.query_map(
                params![
                    filter.sku,
                    filter.kind.map(MovementKind::as_str),
                    filter.from,
                    filter.to,
                    filter.before_id,
                    filter.limit as i64 + 1
                ],
                movement_row,
            )?;
            let mut items = rows.collect::<rusqlite::Result<Vec<_>>>()?;
            let next_cursor = if items.len() > filter.limit {
                items.truncate(filter.limit);
                items.last().map(|m| m.id.clone())
            } else {
                None
            };
            Ok(Page { items, next_cursor })
        })
        .await
    }
}

/// Units on hand of a variant; `NotFound` for an unknown sku.
pub fn available_of(conn: &Connection, sku: &str) -> Result<i64, StoreError> {
    conn.prepare_cached("select available from stock where sku = ?1")?
        .query_row([sku], |row| row.get(0))
        .optional()?
        .ok_or_else(|| StoreError::not_found(Resource::Sku, sku))
}

fn set_available(conn: &Connection, sku: &str, available: i64) -> Result<(), StoreError> {
    conn.prepare_cached("update stock set available = ?2 where sku = ?1")?
        .execute(params![sku, available])?;
    Ok(())
}
