//! PostgreSQL side of the store: a pool of connections and one database
//! transaction per business verb, with every guarantee inside the database,
//! so that any number of stateless instances can share one PostgreSQL.
//!
//! Every verb but the checkout is written once above it (`store/*.rs`)
//! over the primitives of `db.rs`; `transaction.rs` runs every verb in a
//! transaction of its own. A batch of checkouts is one transaction too
//! (`checkout.rs`), whatever its size.

mod audit;
mod bulk_rows;
mod checkout;
mod db;
mod events;
mod import;
mod ops;
mod pipeline;
mod sql;
mod transaction;

use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod, Runtime};
use tokio_postgres::NoTls;

use super::db::Db;
use super::{StoreError, describe_pg_error};
use crate::config::StoreConfig;

mod embedded {
    refinery::embed_migrations!("migrations/postgres");
}

/// The key of the advisory lock that lets one instance at a time migrate.
const MIGRATION_LOCK_KEY: i64 = 0x5354_4f43_4b52_4f4f; // "STOCKROO"

pub struct PgStore {
    pool: Pool,
    config: StoreConfig,
}

impl PgStore {
    /// Connects to the database at `url`, applies pending migrations and
    /// opens a pool of at most `config.pg_pool_max` connections.
    pub async fn open(url: &str, config: StoreConfig) -> Result<PgStore, StoreError> {
        let pg_config = config.pg_connection(url).map_err(StoreError::Unavailable)?;
        migrate(&pg_config).await?;
        let manager = Manager::from_config(
            pg_config,
            NoTls,
            ManagerConfig {
                // A broken connection shows as closed; a live one needs no
                // extra round trip before each use.
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(config.pg_pool_max)
            .wait_timeout(Some(config.checkout_timeout))
            .create_timeout(Some(config.pg_connect_timeout))
            .runtime(Runtime::Tokio1)
            .build()
            .map_err(|e| StoreError::Internal(format!("cannot build the connection pool: {e}")))?;
        let store = PgStore { pool, config };
        warn_if_not_durable(&store).await?;
        Ok(store)
    }

    pub fn config(&self) -> &StoreConfig {
        &self.config
    }
}

/// An acknowledged order must survive a crash: say so loudly if the
/// server does not write to disk at all.
async fn warn_if_not_durable(store: &PgStore) -> Result<(), StoreError> {
    let fsync: String = store
        .read(&(), |db, ()| {
            Box::pin(async move { db.one("show fsync", &[], |row| row.value(0)).await })
        })
        .await?;
    if fsync != "on" {
        tracing::warn!(
            fsync = %fsync,
            "PostgreSQL runs with fsync off: a crash of the database can lose acknowledged orders"
        );
    }
    Ok(())
}

/// Applies pending migrations on a connection of its own. Instances that
/// start together take turns through an advisory lock (on an engine without
/// advisory locks, run `stockroom migrate` once before starting them).
async fn migrate(pg: &tokio_postgres::Config) -> Result<(), StoreError> {
    migrate_to(pg, refinery::Target::Latest).await
}

async fn migrate_to(
    pg: &tokio_postgres::Config,
    target: refinery::Target,
) -> Result<(), StoreError> {
    let (mut client, connection) = pg.connect(NoTls).await.map_err(|e| {
        StoreError::Unavailable(format!(
            "cannot connect to PostgreSQL: {}",
            describe_pg_error(&e)
        ))
    })?;
    let driver = tokio::spawn(async move {
        if let Err(error) = connection.await {
            tracing::warn!(%error, "the migration connection ended with an error");
        }
    });
    client
        .execute("select pg_advisory_lock($1)", &[&MIGRATION_LOCK_KEY])
        .await?;
    let applied = embedded::migrations::runner()
        .set_target(target)
        .run_async(&mut client)
        .await
        .map(|_| ())
        .map_err(|e| StoreError::Internal(format!("migration failed: {e}")));
    // Closing the connection releases the lock, even if unlocking fails.
    let _ = client
        .execute("select pg_advisory_unlock($1)", &[&MIGRATION_LOCK_KEY])
        .await;
    drop(client);
    let _ = driver.await;
    applied
}

/// Applies pending migrations to the database at `url` and returns.
pub async fn migrate_only(url: &str, config: &StoreConfig) -> Result<(), StoreError> {
    migrate(&config.pg_connection(url).map_err(StoreError::Unavailable)?).await
}

/// Applies the migrations up to `version` only, to the database at `url`:
/// a database as an older stockroom left it, for the tests of a migration.
pub async fn migrate_up_to(
    url: &str,
    config: &StoreConfig,
    version: refinery::SchemaVersion,
) -> Result<(), StoreError> {
    let target = refinery::Target::Version(version);
    let pg = config.pg_connection(url).map_err(StoreError::Unavailable)?;
    migrate_to(&pg, target).await
}
