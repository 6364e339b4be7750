//! Stock on SQLite: restocks, adjustments and the ledger's history.

use rusqlite::{Connection, params};

use super::SqliteStore;
use super::rows::{all, first, record_movement};
use crate::domain::stock::{Adjustment, Movement, MovementKind, Restock, StockEdit};
use crate::domain::time;
use crate::store::paging::{page, rows_for};
use crate::store::row::StoredRow;
use crate::store::stock::{
    AVAILABLE, MOVEMENTS_PAGE, SET_AVAILABLE, edit_movement, level_of, movement_row,
};
use crate::store::{Admin, MovementFilter, Page, StockChange, StoreError};

impl SqliteStore {
    pub async fn restock(
        &self,
        sku: &str,
        restock: Restock,
        actor: &Admin,
    ) -> Result<StockChange, StoreError> {
        self.edit_stock(sku, StockEdit::Restock(restock), actor)
            .await
    }

    pub async fn adjust_stock(
        &self,
        sku: &str,
        adjustment: Adjustment,
        actor: &Admin,
    ) -> Result<StockChange, StoreError> {
        self.edit_stock(sku, StockEdit::Adjust(adjustment), actor)
            .await
    }

    /// The writer is the only connection that writes, so the level read is
    /// the level the movement starts from.
    async fn edit_stock(
        &self,
        sku: &str,
        edit: StockEdit,
        actor: &Admin,
    ) -> Result<StockChange, StoreError> {
        let (sku, actor) = (sku.to_owned(), actor.name.clone());
        self.write(move |conn| {
            let now = time::now();
            let movement = edit_movement(&sku, &edit, available_of(conn, &sku)?, &actor, &now)?;
            conn.prepare_cached(SET_AVAILABLE)?
                .execute(params![movement.available_after, sku])?;
            Ok(record_movement(conn, movement)?.into())
        })
        .await
    }

    pub async fn movements(&self, filter: MovementFilter) -> Result<Page<Movement>, StoreError> {
        self.read(move |conn| {
            let kind = filter.kind.map(MovementKind::as_str);
            let rows = all(
                conn,
                MOVEMENTS_PAGE,
                params![
                    filter.sku,
                    kind,
                    filter.from,
                    filter.to,
                    filter.before_id,
                    rows_for(filter.limit)
                ],
                |row| movement_row(row),
            )?;
            Ok(page(rows, filter.limit, |m| m.id.clone()))
        })
        .await
    }
}

/// Units on hand of a variant; `NotFound` for an unknown sku.
pub fn available_of(conn: &Connection, sku: &str) -> Result<i64, StoreError> {
    level_of(first(conn, AVAILABLE, [sku], |row| row.value(0))?, sku)
}
