//! `stockroom export`: the catalog (and, with `--stock`, the stock) as CSV,
//! in the columns `stockroom import` reads, by the rules of every CSV of
//! stockroom (`domain/csv_rules.rs`): French headers unless `--lang en`,
//! a byte-order mark and `;` with `--excel`.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use super::open_store;
use crate::config::DatabaseArgs;
use crate::domain::Lang;
use crate::domain::catalog_csv;
use crate::domain::csv_rules::CsvStyle;
use crate::files::private_file;

#[derive(Args, Debug)]
pub struct ExportArgs {
    /// Fill the `stock` column with each variant's units on hand; without
    /// it the column is empty, and importing the file changes no stock.
    #[arg(long)]
    stock: bool,
    /// The language of the headers and statuses: `fr` or `en`.
    #[arg(long, default_value = "fr", value_parser = ["fr", "en"])]
    lang: String,
    /// For Excel: a byte-order mark first and `;` between cells.
    #[arg(long)]
    excel: bool,
    /// Write to this file instead of the standard output.
    #[arg(long, short)]
    output: Option<PathBuf>,
    #[command(flatten)]
    database: DatabaseArgs,
}

pub async fn run(args: ExportArgs) -> Result<(), String> {
    let store = open_store(&args.database).await?;
    let products = store
        .catalog_for_export()
        .await
        .map_err(|e| e.to_string())?;
    let style = CsvStyle {
        lang: Lang::from_code(&args.lang),
        excel: args.excel,
    };
    let csv = catalog_csv::write(&products, args.stock, style);
    let mut out: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(
            // With `--stock` it tells what the shop holds.
            private_file(path).map_err(|e| format!("cannot write {}: {e}", path.display()))?,
        ),
        None => Box::new(std::io::stdout().lock()),
    };
    out.write_all(&csv)
        .and_then(|()| out.flush())
        .map_err(|e| e.to_string())
}
