//! `stockroom backup FILE`: a consistent copy of the SQLite database, taken
//! while the server runs (docs/OPERATIONS.md says how to restore it).

use std::path::PathBuf;

use clap::Args;

use super::open_store;
use crate::config::DatabaseArgs;

#[derive(Args, Debug)]
pub struct BackupArgs {
    /// The new file to write; an existing file is never overwritten.
    file: PathBuf,
    #[command(flatten)]
    database: DatabaseArgs,
}

pub async fn run(args: BackupArgs) -> Result<(), String> {
    let store = open_store(&args.database).await?;
    store
        .backup(&args.file)
        .await
        .map_err(|e| format!("backup failed: {e}"))?;
    println!("backup written to {}", args.file.display());
    Ok(())
}
