//! `stockroom backup FILE`: a consistent copy of the SQLite database, taken
//! while the server runs (docs/OPERATIONS.md says how to restore it).
//! PostgreSQL has its own tool for this, and the command says so.

use std::path::{Path, PathBuf};

use clap::Args;

use super::open_store;
use crate::config::DatabaseArgs;
use crate::config::DatabaseUrl;
use crate::files::claim_new;

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
    // Claimed first, exclusively: any existing entry, a dangling symbolic
    // link included, is refused and never followed.
    let target = &args.file;
    let file = claim_new(target).map_err(|e| claim_refused(target, &e))?;
    if let Err(e) = store.backup(file, target).await {
        // The name was ours: nothing half-written is left behind.
        let _ = std::fs::remove_file(target);
        return Err(format!("backup failed: {e}"));
    }
    println!("backup written to {}", target.display());
    Ok(())
}

/// Why the backup's file could not be claimed: a name already taken is the
/// operator's mistake; anything else, the disk's.
fn claim_refused(target: &Path, error: &std::io::Error) -> String {
    if error.kind() == std::io::ErrorKind::AlreadyExists {
        format!(
            "{} already exists; a backup never overwrites a file",
            target.display()
        )
    } else {
        format!("cannot create {}: {error}", target.display())
    }
}
