//! `stockroom export`: the catalog (and, with `--stock`, the stock) as CSV,
//! in the columns `stockroom import` reads.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use super::open_store;
use crate::config::DatabaseArgs;
use crate::domain::catalog_csv;
use crate::files::private_file;

#[derive(Args, Debug)]
pub struct ExportArgs {
    /// Fill the `stock` column with each variant's units on hand; without
    /// it the column is empty, and importing the file changes no stock.
    #[arg(long)]
    stock: bool,
    /// Write to this file instead of the standard output.
    #[arg(long, short)]
    output: Option<PathBuf>,
    #[command(flatten)]
    database: DatabaseArgs,
}

pub async fn run(args: ExportArgs) -> Result<(), String> {
    let store = open_store(&args.database).await?;
    let mut products = store
        .list_products(false)
        .await
        .map_err(|e| e.to_string())?;
    // The store lists newest first; a file reads better in creation order.
    products.reverse();
    let out: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(
            // With `--stock` it tells what the shop holds.
            private_file(path).map_err(|e| format!("cannot write {}: {e}", path.display()))?,
        ),
        None => Box::new(std::io::stdout().lock()),
    };
    catalog_csv::write(&products, args.stock, out).map_err(|e| e.to_string())
}
