//! A count above the backends: many adjustments applied all or nothing,
//! each line refused as stale when its stock moved since it was counted.

use super::StoreError;
use super::db::Db;
use super::stock::{SET_AVAILABLE, below_zero, level_if_known, record_named, unknown_line_sku};
use crate::domain::receiving::{Count, StaleLine};
use crate::domain::stock::{Adjustment, Movement, StockEdit};
use crate::domain::{ValidationError, time};

/// Applies a count: every line's stock read in the transaction (locked, in
/// sku order, as a checkout locks them, so that no sale slips between the
/// comparison and the write); unknown skus refused together (422); every
/// line whose `expected_available` is not the stock read refused together
/// (`stale_stock`); then one `adjustment` per line that changes the stock,
/// in the order given. A line that would go below zero refuses the whole
/// count. Nothing is written unless everything is.
pub async fn apply<D: Db>(db: &D, count: &Count, actor: &str) -> Result<Vec<Movement>, D::Error> {
    let mut by_sku: Vec<_> = count.lines.iter().collect();
    by_sku.sort_by(|a, b| a.sku.cmp(&b.sku));
    let mut levels = Vec::with_capacity(by_sku.len());
    let mut unknown = Vec::new();
    for line in by_sku {
        let sku = line.sku.as_str();
        match level_if_known(db, sku, true).await? {
            Some(available) => levels.push((line.index, available)),
            None => unknown.push((line.index, sku)),
        }
    }
    if !unknown.is_empty() {
        unknown.sort();
        let fields = unknown
            .into_iter()
            .map(|(index, sku)| unknown_line_sku(index, sku));
        return Err(StoreError::from(ValidationError(fields.collect())).into());
    }
    let available_of = |index: usize| {
        levels
            .iter()
            .find(|(i, _)| *i == index)
            .map_or(0, |(_, available)| *available)
    };
    let stale: Vec<StaleLine> = count
        .lines
        .iter()
        .filter_map(|line| {
            let available = available_of(line.index);
            let expected = line.expected_available?;
            (expected != available).then(|| StaleLine {
                sku: line.sku.to_string(),
                expected_available: expected,
                available,
            })
        })
        .collect();
    if !stale.is_empty() {
        return Err(StoreError::StaleStock(stale).into());
    }
    let now = time::now();
    let mut movements = Vec::new();
    for line in &count.lines {
        let available = available_of(line.index);
        if line.by.delta_from(available) == 0 {
            // A count that finds what the stock says changes nothing.
            continue;
        }
        let edit = StockEdit::Adjust(Adjustment {
            by: line.by,
            reason: count.reason.clone(),
        });
        let sku = line.sku.as_str();
        let movement = edit
            .movement(sku, available, actor, &now)
            .map_err(|refused| below_zero(sku, refused))?;
        db.write(SET_AVAILABLE, &[&movement.available_after, &sku])
            .await?;
        movements.push(record_named(db, movement).await?);
    }
    Ok(movements)
}
