//! `stockroom migrate`: applies pending schema migrations.

use crate::config::DatabaseArgs;
use crate::config::{DatabaseUrl, redact_url};
use crate::store::{postgres, sqlite};

pub async fn run(args: DatabaseArgs) -> Result<(), String> {
    let url = args.url_or_default();
    match DatabaseUrl::parse(url)? {
        DatabaseUrl::Sqlite(path) => sqlite::migrate_only(&path).map_err(|e| e.to_string())?,
        DatabaseUrl::Postgres(pg_url) => postgres::migrate_only(&pg_url, &args.store_config())
            .await
            .map_err(|e| e.to_string())?,
    }
    println!("migrations applied to {}", redact_url(url));
    Ok(())
}
