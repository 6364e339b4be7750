//! The primitives of `store/db.rs` on PostgreSQL: statements on a pooled
//! connection or transaction (`Pg`), prepared once per connection, rows
//! read as values. `transaction.rs` gives a verb its transaction.

use deadpool_postgres::{GenericClient, Transaction};
use tokio_postgres::error::SqlState;
use tokio_postgres::types::{ToSql, Type};

use super::import;
use super::sql::{execute, query};
use super::transaction::TxError;
use crate::store::StoreError;
use crate::store::db::{Db, Params, Writes};
use crate::store::row::{Row, Value};

/// A connection, or a transaction, the verbs of `store/*.rs` run on.
pub struct Pg<'a, C>(pub &'a C);

fn bound<'a>(params: &'a Params<'a>) -> Vec<&'a (dyn ToSql + Sync)> {
    params.iter().map(|p| *p as &(dyn ToSql + Sync)).collect()
}

pub(super) fn read_row(row: &tokio_postgres::Row) -> Result<Row, TxError> {
    let value = |(index, column): (usize, &tokio_postgres::Column)| {
        Ok(match *column.type_() {
            Type::INT8 => row
                .try_get::<_, Option<i64>>(index)?
                .map_or(Value::Null, Value::Int),
            Type::TEXT | Type::VARCHAR => row
                .try_get::<_, Option<String>>(index)?
                .map_or(Value::Null, Value::Text),
            Type::BYTEA => row
                .try_get::<_, Option<Vec<u8>>>(index)?
                .map_or(Value::Null, Value::Bytes),
            ref other => {
                return Err(StoreError::Internal(format!("column {index} is a {other}")).into());
            }
        })
    };
    let values = row.columns().iter().enumerate().map(value);
    Ok(Row(values.collect::<Result<_, TxError>>()?))
}

impl<C: GenericClient> Db for Pg<'_, C> {
    type Error = TxError;
    const FOR_UPDATE: &'static str = " for update";
    const NEXT_ADMIN_ID: &'static str = "select nextval(pg_get_serial_sequence('admins', 'id'))";
    const APPEND_EVENT: &'static str =
        "insert into event_inbox (type, data, created_at) values ($1, $2, $3)";
    const SKIP_LOCKED: &'static str = " for update skip locked";

    fn json_texts(param: &str) -> String {
        // Cast to text first: the parameter is bound as text, like `cast($8 as text)`.
        format!("select jsonb_array_elements_text(cast(cast({param} as text) as jsonb))")
    }

    async fn rows(&self, sql: &str, params: &Params<'_>) -> Result<Vec<Row>, TxError> {
        let rows = query(self.0, sql, &bound(params)).await?;
        rows.iter().map(read_row).collect()
    }

    async fn write(&self, sql: &str, params: &Params<'_>) -> Result<u64, TxError> {
        Ok(execute(self.0, sql, &bound(params)).await?)
    }

    async fn write_unique(
        &self,
        sql: &str,
        params: &Params<'_>,
        duplicate: impl FnOnce() -> StoreError,
    ) -> Result<u64, TxError> {
        match execute(self.0, sql, &bound(params)).await {
            Err(error) if error.code() == Some(&SqlState::UNIQUE_VIOLATION) => {
                Err(duplicate().into())
            }
            changed => Ok(changed?),
        }
    }

    async fn insert(&self, sql: &str, params: &Params<'_>) -> Result<i64, TxError> {
        let sql = format!("{sql} returning id");
        self.one(&sql, params, |row| row.value(0)).await
    }
}

impl Writes for Pg<'_, Transaction<'_>> {
    /// The whole table, so that checkouts and cancellations that hold a
    /// customer's row finish before the recount (and are counted from
    /// `orders`), and the others wait and then count by the new date. A
    /// checkout counts its orders against the settings it read after
    /// locking its customers' rows, so one that waited counts by the new
    /// date too.
    async fn lock_customers(&self) -> Result<(), TxError> {
        Ok(self
            .0
            .batch_execute("lock table customers in exclusive mode")
            .await?)
    }

    async fn lock_sign_in_failures(&self) -> Result<(), TxError> {
        // Share row exclusive conflicts with itself and with writes, not
        // with plain reads.
        Ok(self
            .0
            .batch_execute("lock table sign_in_failures in share row exclusive mode")
            .await?)
    }

    async fn lock_catalog(&self, slugs: &[&str], skus: &[&str]) -> Result<(), TxError> {
        import::lock_catalog(self.0, slugs, skus).await
    }
}
