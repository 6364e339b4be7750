//! Stock on PostgreSQL: restocks, adjustments and the ledger's history.

use deadpool_postgres::GenericClient;

use super::PgStore;
use super::rows::{all, first, record_movement};
use super::sql::execute;
use super::transaction::TxError;
use crate::domain::stock::{Adjustment, Movement, MovementKind, Restock, StockEdit};
use crate::domain::time;
use crate::store::paging::{page, rows_for};
use crate::store::row::StoredRow;
use crate::store::stock::{
    AVAILABLE, MOVEMENTS_PAGE, SET_AVAILABLE, edit_movement, level_of, movement_row,
};
use crate::store::{Admin, MovementFilter, Page, StockChange, StoreError};

/// The units on hand of the sku `$1`, its row locked until the transaction
/// ends, so that a movement's `available_after` is the level right after
/// it, whatever runs beside it.
const LOCKED_AVAILABLE: &str = "select available from stock where sku = $1 for update";

impl PgStore {
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

    async fn edit_stock(
        &self,
        sku: &str,
        edit: StockEdit,
        actor: &Admin,
    ) -> Result<StockChange, StoreError> {
        let data = (sku, edit, actor.name.as_str());
        self.write(&data, |tx, (sku, edit, actor)| {
            Box::pin(async move {
                let found = first(tx, LOCKED_AVAILABLE, &[sku], |row| row.value(0)).await?;
                let now = time::now();
                let movement = edit_movement(sku, edit, level_of(found, sku)?, actor, &now)?;
                execute(tx, SET_AVAILABLE, &[&movement.available_after, sku]).await?;
                Ok(record_movement(tx, movement).await?.into())
            })
        })
        .await
    }

    pub async fn movements(&self, filter: MovementFilter) -> Result<Page<Movement>, StoreError> {
        self.read(&filter, |client, filter| {
            Box::pin(async move {
                let kind = filter.kind.map(MovementKind::as_str);
                let rows = all(
                    client,
                    MOVEMENTS_PAGE,
                    &[
                        &filter.sku,
                        &kind,
                        &filter.from,
                        &filter.to,
                        &filter.before_id,
                        &rows_for(filter.limit),
                    ],
                    movement_row,
                )
                .await?;
                Ok(page(rows, filter.limit, |m| m.id.clone()))
            })
        })
        .await
    }
}

/// Units on hand of a variant; `NotFound` for an unknown sku.
pub async fn available_of<C: GenericClient>(client: &C, sku: &str) -> Result<i64, TxError> {
    let found = first(client, AVAILABLE, &[&sku], |row| row.value(0)).await?;
    Ok(level_of(found, sku)?)
}
