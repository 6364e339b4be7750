//! The primitives of `store/db.rs` on SQLite: statements run at once on the
//! connection given (the writer's, or a reader's), rows read as values.

use std::pin::pin;
use std::task::{Context, Poll, Waker};

use rusqlite::types::ValueRef;
use rusqlite::{CachedStatement, Connection};

use crate::store::StoreError;
use crate::store::db::{Db, Params, Writes};
use crate::store::row::{Row, Value};

/// Runs a verb of `store/*.rs` on SQLite. Each of its steps is a
/// synchronous call that is done when it returns, so the whole verb is
/// done at its first poll; one that waited would be a bug, answered as one.
pub fn ready<T>(verb: impl Future<Output = Result<T, StoreError>>) -> Result<T, StoreError> {
    let mut verb = pin!(verb);
    match verb.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(answer) => answer,
        Poll::Pending => Err(StoreError::Internal(
            "a SQLite verb waited, which none may".into(),
        )),
    }
}

/// `sql` prepared once per connection. SQLite numbers `$n` parameters in
/// the order they first appear and they are bound by position, so `$1, $2,
/// …` must first appear in that order, as they do in `store/*.rs`.
fn prepared<'c>(conn: &'c Connection, sql: &str) -> Result<CachedStatement<'c>, StoreError> {
    let statement = conn.prepare_cached(sql)?;
    debug_assert!(
        (1..=statement.parameter_count())
            .all(|i| statement.parameter_name(i) == Some(format!("${i}").as_str())),
        "parameters out of order in {sql}"
    );
    Ok(statement)
}

fn bound<'a>(params: &'a Params<'a>) -> impl rusqlite::Params + 'a {
    rusqlite::params_from_iter(params.iter().map(|p| *p as &dyn rusqlite::ToSql))
}

fn read_row(row: &rusqlite::Row<'_>, width: usize) -> Result<Row, StoreError> {
    let value = |index| {
        Ok(match row.get_ref(index)? {
            ValueRef::Null => Value::Null,
            ValueRef::Integer(n) => Value::Int(n),
            ValueRef::Text(text) => Value::Text(
                std::str::from_utf8(text)
                    .map_err(|e| StoreError::Internal(format!("column {index}: {e}")))?
                    .to_owned(),
            ),
            ValueRef::Blob(bytes) => Value::Bytes(bytes.to_vec()),
            other => {
                return Err(StoreError::Internal(format!(
                    "column {index} holds a {:?}",
                    other.data_type()
                )));
            }
        })
    };
    Ok(Row((0..width).map(value).collect::<Result<_, _>>()?))
}

/// Every row `statement` answers for `params`, added to `read`.
fn read_all(
    statement: &mut CachedStatement<'_>,
    params: impl rusqlite::Params,
    read: &mut Vec<Row>,
) -> Result<(), StoreError> {
    let width = statement.column_count();
    let mut rows = statement.query(params)?;
    while let Some(row) = rows.next()? {
        read.push(read_row(row, width)?);
    }
    Ok(())
}

/// Every row `sql` answers for each of `values` in turn, the statement
/// prepared once: a batch of checkouts reads its rows so, one key at a time.
pub(super) fn rows_each<'v>(
    conn: &Connection,
    sql: &str,
    values: impl IntoIterator<Item = &'v str>,
) -> Result<Vec<Row>, StoreError> {
    let mut statement = prepared(conn, sql)?;
    let mut read = Vec::new();
    for value in values {
        read_all(&mut statement, [value], &mut read)?;
    }
    Ok(read)
}

/// `rows_each` of a statement with a second parameter, `$2`, the same for every value.
pub(super) fn rows_each_with<'v>(
    conn: &Connection,
    sql: &str,
    values: impl IntoIterator<Item = &'v str>,
    second: &str,
) -> Result<Vec<Row>, StoreError> {
    let mut statement = prepared(conn, sql)?;
    let mut read = Vec::new();
    for value in values {
        read_all(&mut statement, [value, second], &mut read)?;
    }
    Ok(read)
}

impl Db for Connection {
    type Error = StoreError;
    const FOR_UPDATE: &'static str = "";
    const NEXT_ADMIN_ID: &'static str = "select coalesce(max(id), 0) + 1 from admins";
    const APPEND_EVENT: &'static str =
        "insert into events (type, data, created_at) values ($1, $2, $3)";
    const SKIP_LOCKED: &'static str = "";

    fn json_texts(param: &str) -> String {
        format!("select value from json_each({param})")
    }

    async fn rows(&self, sql: &str, params: &Params<'_>) -> Result<Vec<Row>, StoreError> {
        let mut read = Vec::new();
        read_all(&mut prepared(self, sql)?, bound(params), &mut read)?;
        Ok(read)
    }

    async fn write(&self, sql: &str, params: &Params<'_>) -> Result<u64, StoreError> {
        Ok(prepared(self, sql)?.execute(bound(params))? as u64)
    }

    async fn write_unique(
        &self,
        sql: &str,
        params: &Params<'_>,
        duplicate: impl FnOnce() -> StoreError,
    ) -> Result<u64, StoreError> {
        match prepared(self, sql)?.execute(bound(params)) {
            Err(error) if is_unique_violation(&error) => Err(duplicate()),
            changed => Ok(changed? as u64),
        }
    }

    /// No `returning`: SQLite builds a temporary table for it on every call.
    async fn insert(&self, sql: &str, params: &Params<'_>) -> Result<i64, StoreError> {
        prepared(self, sql)?.execute(bound(params))?;
        Ok(self.last_insert_rowid())
    }
}

/// Whether an error is a unique-key violation (a duplicate slug, sku or name).
fn is_unique_violation(error: &rusqlite::Error) -> bool {
    matches!(
        error,
        rusqlite::Error::SqliteFailure(e, _) if e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
            || e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY
    )
}

/// Nothing to lock: the writer is the only connection that writes, so
/// what a write transaction reads stays true until it writes.
impl Writes for Connection {
    async fn lock_customers(&self) -> Result<(), StoreError> {
        Ok(())
    }

    async fn lock_sign_in_failures(&self) -> Result<(), StoreError> {
        Ok(())
    }

    async fn lock_catalog(&self, _slugs: &[&str], _skus: &[&str]) -> Result<(), StoreError> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::db::Param;

    #[test]
    fn a_verb_runs_to_its_end_at_its_first_poll_with_parameters_bound_in_order() {
        let conn = Connection::open_in_memory().expect("an in-memory database");
        let params: [&dyn Param; 2] = [&"a", &7_i64];
        let rows = ready(conn.rows("select $1, $2, $1 || 'b'", &params)).expect("rows");
        let row = &rows[0].0;
        assert_eq!(row[0], Value::Text("a".into()));
        assert_eq!(row[1], Value::Int(7));
        assert_eq!(row[2], Value::Text("ab".into()));
    }

    #[test]
    #[cfg(debug_assertions)]
    #[should_panic(expected = "parameters out of order")]
    fn parameters_numbered_out_of_order_are_caught() {
        let conn = Connection::open_in_memory().expect("an in-memory database");
        let _ = prepared(&conn, "select $2, $1");
    }
}
