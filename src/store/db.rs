//! The few primitives each database supplies, over which the verbs of
//! `store/*.rs` are written once: run a statement with parameters both
//! drivers bind, read its rows as plain values, the handful of statements
//! whose dialects differ, and the locks only PostgreSQL takes. SQLite's
//! side (`sqlite/db.rs`) runs in its writer or on a reader, PostgreSQL's
//! (`postgres/db.rs`) in a pooled transaction; `on_either!` runs a verb on
//! whichever is open.

use std::borrow::Cow;

use super::StoreError;
use super::row::Row;

/// A statement parameter both drivers bind: text, `i64`, their options.
pub trait Param: rusqlite::ToSql + tokio_postgres::types::ToSql + Sync {}

impl<T> Param for T where T: rusqlite::ToSql + tokio_postgres::types::ToSql + Sync {}

pub type Params<'a> = [&'a dyn Param];

/// One database transaction (or, for reads, one connection).
///
/// `async` although SQLite's side never waits: written so, a verb is one
/// body for both databases, and SQLite's runs to its end at its first poll
/// (`sqlite::ready`).
pub trait Db {
    /// `StoreError` on SQLite; on PostgreSQL, one that also tells whether
    /// the transaction may run again.
    type Error: From<StoreError>;

    /// Ends a read whose rows must stay locked until the transaction ends:
    /// PostgreSQL's ` for update`, as instances write side by side, and
    /// nothing on SQLite, whose writer is alone to write.
    const FOR_UPDATE: &'static str;

    /// The id of the next admin, drawn before the insert because the token carries it.
    const NEXT_ADMIN_ID: &'static str;

    /// Appends one event (`$1` type, `$2` data, `$3` when) to the outbox:
    /// `events` itself on SQLite, whose one writer commits in id order;
    /// PostgreSQL's inbox, numbered after commit (`store/events.rs`).
    const APPEND_EVENT: &'static str;

    /// Ends a read of rows to claim: PostgreSQL's ` for update skip
    /// locked`, so that instances claim different rows without waiting;
    /// nothing on SQLite, whose writer is alone.
    const SKIP_LOCKED: &'static str;

    /// A subquery of the strings of the JSON array (as text) in the
    /// parameter `param` (`$7`): how a statement takes a list of any length.
    fn json_texts(param: &str) -> String;

    /// Every row `sql` answers.
    async fn rows(&self, sql: &str, params: &Params<'_>) -> Result<Vec<Row>, Self::Error>;

    /// Runs `sql`; answers how many rows it changed.
    async fn write(&self, sql: &str, params: &Params<'_>) -> Result<u64, Self::Error>;

    /// Runs `sql`; a unique key it breaks is refused with `duplicate()`.
    async fn write_unique(
        &self,
        sql: &str,
        params: &Params<'_>,
        duplicate: impl FnOnce() -> StoreError,
    ) -> Result<u64, Self::Error>;

    /// Runs the insert `sql`; answers the id the database gave the new row.
    async fn insert(&self, sql: &str, params: &Params<'_>) -> Result<i64, Self::Error>;

    /// Every row `sql` answers, each read by `read`.
    async fn all<T>(
        &self,
        sql: &str,
        params: &Params<'_>,
        read: impl Fn(&Row) -> Result<T, StoreError>,
    ) -> Result<Vec<T>, Self::Error> {
        let rows = self.rows(sql, params).await?;
        Ok(rows.iter().map(read).collect::<Result<_, _>>()?)
    }

    /// The first row `sql` answers, if any, read by `read`.
    async fn first<T>(
        &self,
        sql: &str,
        params: &Params<'_>,
        read: impl Fn(&Row) -> Result<T, StoreError>,
    ) -> Result<Option<T>, Self::Error> {
        let rows = self.rows(sql, params).await?;
        Ok(rows.first().map(read).transpose()?)
    }

    /// The one row `sql` always answers, read by `read`.
    async fn one<T>(
        &self,
        sql: &str,
        params: &Params<'_>,
        read: impl Fn(&Row) -> Result<T, StoreError>,
    ) -> Result<T, Self::Error> {
        let found = self.first(sql, params, read).await?;
        Ok(found.ok_or_else(|| StoreError::Internal(format!("no row from {sql}")))?)
    }

    /// `sql`, whose rows stay locked until the transaction ends when
    /// `locked` and the database needs it (`FOR_UPDATE`).
    fn locking(sql: &'static str, locked: bool) -> Cow<'static, str> {
        if locked && !Self::FOR_UPDATE.is_empty() {
            Cow::Owned(format!("{sql}{}", Self::FOR_UPDATE))
        } else {
            Cow::Borrowed(sql)
        }
    }
}

/// What a write transaction locks where the database needs it: PostgreSQL
/// locks, as instances write side by side; SQLite, whose writer is alone
/// to write, locks nothing.
pub trait Writes: Db {
    /// Locks every customer's count until the transaction ends, before
    /// they are all counted again (`customers::recount`).
    async fn lock_customers(&self) -> Result<(), Self::Error>;

    /// Locks the counts of failed sign-ins until the transaction ends, so
    /// that attempts are counted one after the other even for a name or an
    /// address that has no count yet (a row lock would find no row).
    async fn lock_sign_in_failures(&self) -> Result<(), Self::Error>;

    /// Waits for any other import, and locks the products named by `slugs`
    /// and the stock rows of their variants and of `skus` until the
    /// transaction ends, where the database needs it.
    async fn lock_catalog(&self, slugs: &[&str], skus: &[&str]) -> Result<(), Self::Error>;
}

/// Runs a verb of `store/*.rs` on whichever database `$store` opened:
/// `write` in SQLite's writer or in one PostgreSQL transaction (run again
/// whole on a transient error), its outcome noted for the disk
/// (`Store::noted`), `read` on a reader or a pooled connection.
/// `$data` is owned, as SQLite's writer takes it to its thread; each run of
/// the verb borrows it through `$pattern`, with `$db` its database.
macro_rules! on_either {
    (write, $store:expr, $data:expr, |$db:ident, $pattern:pat_param| $verb:expr) => {{
        let backend = &$store.0.backend;
        let written =
            $crate::store::db::on_either!(@run write, backend, $data, |$db, $pattern| $verb);
        $store.noted(written).await
    }};
    (read, $store:expr, $data:expr, |$db:ident, $pattern:pat_param| $verb:expr) => {
        $crate::store::db::on_either!(@run read, &$store.0.backend, $data, |$db, $pattern| $verb)
    };
    // On a `&Backend`, its outcome not noted.
    (@run $method:ident, $backend:expr, $data:expr,
     |$db:ident, $pattern:pat_param| $verb:expr) => {
        match $backend {
            $crate::store::Backend::Sqlite(store) => {
                let data = $data;
                store
                    .$method(move |$db| {
                        let $pattern = &data;
                        $crate::store::sqlite::ready($verb)
                    })
                    .await
            }
            $crate::store::Backend::Postgres(store) => {
                store
                    .$method(&$data, |db, $pattern| {
                        Box::pin(async move {
                            let $db = &db;
                            $verb.await
                        })
                    })
                    .await
            }
        }
    };
}

/// Calls the method `$call` names on whichever backend `$store` opened,
/// bound to `$backend`: what both backends supply, stated once.
macro_rules! on_backend {
    ($store:expr, |$backend:ident| $call:expr) => {
        match &$store.0.backend {
            $crate::store::Backend::Sqlite($backend) => $call,
            $crate::store::Backend::Postgres($backend) => $call,
        }
    };
}

pub(crate) use {on_backend, on_either};
