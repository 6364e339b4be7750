//! A stored row read column by column the same way on SQLite and on
//! PostgreSQL, so that each of the shop's values is read from its row once.

use super::StoreError;

/// A Rust value that both drivers read from a column (`String`, `i64`,
/// and their `Option`s).
pub trait Stored: rusqlite::types::FromSql + tokio_postgres::types::FromSqlOwned {}

impl<T> Stored for T where T: rusqlite::types::FromSql + tokio_postgres::types::FromSqlOwned {}

/// A row as either driver hands it over.
pub trait StoredRow {
    /// The value of the column at `index`, counted from 0.
    fn value<T: Stored>(&self, index: usize) -> Result<T, StoreError>;
}

impl StoredRow for rusqlite::Row<'_> {
    fn value<T: Stored>(&self, index: usize) -> Result<T, StoreError> {
        Ok(self.get(index)?)
    }
}

impl StoredRow for tokio_postgres::Row {
    fn value<T: Stored>(&self, index: usize) -> Result<T, StoreError> {
        Ok(self.try_get(index)?)
    }
}

/// A row of two columns: a key and a count (a sku's level, a customer's orders).
pub fn pair_row(row: &impl StoredRow) -> Result<(String, i64), StoreError> {
    Ok((row.value(0)?, row.value(1)?))
}

/// A stored word the code does not know (a status, a kind): a broken database.
pub fn unknown_value(column: &str, value: &str) -> StoreError {
    StoreError::Internal(format!("unknown stored {column} `{value}`"))
}
