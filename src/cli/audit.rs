//! `stockroom audit`: the consistency audit for cron and CI. Prints the same
//! report as `GET /api/v1/admin/audit` and fails when anything is off.

use clap::Args;

use super::open_store;
use crate::config::DatabaseArgs;
use crate::domain::audit::{AuditReport, AuditStatus};

#[derive(Args, Debug)]
pub struct AuditArgs {
    /// Print the report as JSON, the document of `GET /api/v1/admin/audit`.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    database: DatabaseArgs,
}

/// Prints the report; `Ok(false)` when it found an inconsistency.
pub async fn run(args: AuditArgs) -> Result<bool, String> {
    let store = open_store(&args.database).await?;
    let report = store.audit().await.map_err(|e| e.to_string())?;
    if args.json {
        let text = serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?;
        println!("{text}");
    } else {
        print!("{}", table(&report));
    }
    Ok(report.consistent)
}

/// An anomaly shouts, so that it stands out in a column of `ok`.
fn status_name(status: AuditStatus) -> String {
    match status {
        AuditStatus::Anomaly => status.as_str().to_uppercase(),
        other => other.as_str().to_owned(),
    }
}

/// A table for a person: one line per variant, columns aligned, a verdict last.
pub fn table(report: &AuditReport) -> String {
    let header = [
        "sku",
        "size",
        "initial",
        "restocked",
        "adjusted",
        "sold",
        "returned",
        "allocated",
        "expected",
        "available",
        "difference",
        "status",
    ];
    let rows: Vec<Vec<String>> = report
        .variants
        .iter()
        .map(|v| {
            vec![
                v.sku.clone(),
                v.size.clone(),
                v.initial.to_string(),
                v.restocked.to_string(),
                v.adjusted.to_string(),
                v.sold.to_string(),
                v.returned.to_string(),
                v.allocated.to_string(),
                v.expected.to_string(),
                v.available.to_string(),
                v.difference.to_string(),
                status_name(v.status),
            ]
        })
        .collect();
    let widths: Vec<usize> = (0..header.len())
        .map(|i| {
            rows.iter()
                .map(|r| r[i].chars().count())
                .chain([header[i].len()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: Vec<&str>| {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .enumerate()
            .map(|(i, (cell, width))| {
                // Names to the left, numbers to the right.
                if i < 2 || i == cells.len() - 1 {
                    format!("{cell:<width$}")
                } else {
                    format!("{cell:>width$}")
                }
            })
            .collect();
        format!("{}\n", padded.join("  ").trim_end())
    };
    let mut out = format!("audit since {}\n\n", report.reference_date);
    out.push_str(&line(header.to_vec()));
    for row in &rows {
        out.push_str(&line(row.iter().map(String::as_str).collect()));
    }
    for negative in &report.negative_stock {
        out.push_str(&format!(
            "NEGATIVE STOCK: {} has {}\n",
            negative.sku, negative.available
        ));
    }
    for customer in &report.customer_counts {
        out.push_str(&format!(
            "CUSTOMER COUNT: {} counted {}, their orders make {}\n",
            customer.phone, customer.counted, customer.expected
        ));
    }
    let anomalies = report
        .variants
        .iter()
        .filter(|v| v.status == AuditStatus::Anomaly)
        .count();
    if report.consistent {
        out.push_str(&format!(
            "\nconsistent: ledger, stock and orders agree on {} variant(s)\n",
            report.variants.len()
        ));
    } else {
        out.push_str(&format!(
            "\nINCONSISTENT: {anomalies} variant(s) with an anomaly, {} negative stock row(s), {} customer count(s) off\n",
            report.negative_stock.len(),
            report.customer_counts.len()
        ));
    }
    out
}
