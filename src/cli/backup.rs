//! `stockroom backup FILE`: a consistent copy of the SQLite database, taken
//! while the server runs (docs/OPERATIONS.md says how to restore it).
//! PostgreSQL has its own tool for this, and the command says so.

use std::path::PathBuf;

use clap::Args;

use super::open_store;
use crate::config::DatabaseArgs;
use crate::config::DatabaseUrl;

/// The answer on PostgreSQL, given before any connection is tried.
const USE_PG_DUMP: &str = "stockroom backup copies an SQLite database file; \
on PostgreSQL, back up with the database's own tool while the service runs: \
pg_dump -Fc (and pg_restore to restore; see docs/OPERATIONS.md)";

#[derive(Args, Debug)]
pub struct BackupArgs {
    /// The new file to write; an existing file is never overwritten.
    file: PathBuf,
    #[command(flatten)]
    database: DatabaseArgs,
}

pub async fn run(args: BackupArgs) -> Result<(), String> {
    if let DatabaseUrl::Postgres(_) = DatabaseUrl::parse(args.database.url_or_default())? {
        return Err(USE_PG_DUMP.into());
    }
    let store = open_store(&args.database).await?;
    store
        .backup(&args.file)
        .await
        .map_err(|e| format!("backup failed: {e}"))?;
    println!("backup written to {}", args.file.display());
    Ok(())
}
