//! `stockroom import FILE`: creates and updates the catalog and its stock
//! from CSV (what `stockroom export` or the back office's export writes, in
//! either language, `,` or `;`). The whole file is checked first and every
//! bad line reported; then it is applied in one transaction, all or
//! nothing; with `--dry-run`, checked against the database and rolled back.

use std::path::PathBuf;

use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};

use super::open_store;
use crate::config::DatabaseArgs;
use crate::domain::catalog_csv;
use crate::store::StoreError;

/// Below this many products the import is over before a bar is worth drawing.
const PROGRESS_BAR_PRODUCTS_MIN: usize = 200;

#[derive(Args, Debug)]
pub struct ImportArgs {
    /// The CSV file (columns in docs/OPERATIONS.md).
    file: PathBuf,
    /// The admin recorded as the actor of every change (an active admin's
    /// name); by default `cli`, the person at the shell.
    #[arg(long, env = "STOCKROOM_IMPORT_ADMIN")]
    admin: Option<String>,
    /// Check the file against the database and say what would change,
    /// writing nothing.
    #[arg(long)]
    dry_run: bool,
    #[command(flatten)]
    database: DatabaseArgs,
}

pub async fn run(args: ImportArgs) -> Result<(), String> {
    let data = std::fs::read(&args.file)
        .map_err(|e| format!("cannot read {}: {e}", args.file.display()))?;
    let mut file = catalog_csv::parse(&data).map_err(|errors| {
        let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
        format!(
            "{} bad line(s) in {}; nothing was imported:\n{}",
            errors.len(),
            args.file.display(),
            lines.join("\n")
        )
    })?;
    let store = open_store(&args.database).await?;
    let actor = match args.admin {
        Some(name) => {
            let admins = store.list_admins().await.map_err(|e| e.to_string())?;
            if !admins
                .iter()
                .any(|a| a.name == name && a.revoked_at.is_none())
            {
                return Err(format!("there is no active admin named `{name}`"));
            }
            name
        }
        None => "cli".to_owned(),
    };
    let products = std::mem::take(&mut file.products);
    let bar = if products.len() >= PROGRESS_BAR_PRODUCTS_MIN {
        ProgressBar::new(products.len() as u64)
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} products {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let ticker = bar.clone();
    let summary = store
        .import_catalog(
            products,
            &actor,
            args.dry_run,
            Box::new(move |done| ticker.set_position(done)),
        )
        .await
        .map_err(|error| match error {
            StoreError::ImportRefused(mut refused) => {
                file.rename_columns(&mut refused);
                let lines: Vec<String> = refused.iter().map(ToString::to_string).collect();
                format!("nothing was imported:\n{}", lines.join("\n"))
            }
            other => format!("nothing was imported: {other}"),
        })?;
    bar.finish_and_clear();
    let done = if args.dry_run {
        "dry run, nothing written; would import"
    } else {
        "imported"
    };
    println!(
        "{done}: {} product(s) created, {} updated; {} variant(s) created, {} updated; stock changed on {}",
        summary.products_created,
        summary.products_updated,
        summary.variants_created,
        summary.variants_updated,
        summary.stock_changed
    );
    Ok(())
}
