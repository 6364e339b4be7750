//! Preorder lines waiting for stock: how a restock shares its units among
//! them (oldest order first, each line given what it lacks while units
//! last), and the back office's list of what waits, per variant.

use serde::Serialize;

/// A waiting line as the allocation sees it: what it still lacks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Waiting {
    pub missing: i64,
}

/// The units each line gets, in the order given (oldest order first),
/// from `available` units on hand and `places_taken` units counted as
/// waiting: a line gets what it lacks, or what is left. Never more than the
/// places taken, so a count the audit would find wrong cannot go below
/// zero (the audit reports it; the restock still goes through).
pub fn allocation(available: i64, places_taken: i64, lines: &[Waiting]) -> Vec<i64> {
    let mut left = available.min(places_taken).max(0);
    lines
        .iter()
        .map(|line| {
            let given = line.missing.max(0).min(left);
            left -= given;
            given
        })
        .collect()
}

/// The most waiting lines the back office is shown per variant, oldest
/// first; `lines_not_shown` counts the rest.
pub const PREORDER_LINES_SHOWN_MAX: usize = 200;

/// The answer of `GET /api/v1/admin/preorders`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PreorderList {
    /// Variants with lines waiting, the one waiting longest first; then
    /// variants taking preorders with nobody waiting.
    pub variants: Vec<PreorderVariant>,
}

/// One variant's preorders: its settings, its places, its waiting lines.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PreorderVariant {
    pub sku: String,
    pub product_id: String,
    pub title: String,
    pub size: String,
    pub color: Option<String>,
    /// Units on hand (0 while lines wait, unless a count or a return added some).
    pub available: i64,
    pub enabled: bool,
    pub cap: i64,
    /// `YYYY-MM-DD`.
    pub ships_by: Option<String>,
    /// Units waiting for stock: the places taken.
    pub waiting: i64,
    /// `cap` − `waiting`, never below 0.
    pub places_left: i64,
    /// Oldest first, at most `PREORDER_LINES_SHOWN_MAX`.
    pub lines: Vec<PreorderLine>,
    /// Waiting lines beyond those shown.
    pub lines_not_shown: i64,
}

/// A preorder line waiting for stock.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PreorderLine {
    pub order_id: String,
    /// `SR-1042`.
    pub number: String,
    pub status: String,
    pub customer_name: String,
    pub customer_phone: String,
    pub quantity: i64,
    /// Units restocks gave it so far.
    pub allocated: i64,
    /// When the order was placed: how long it has waited.
    pub created_at: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(missing: &[i64]) -> Vec<Waiting> {
        missing.iter().map(|&missing| Waiting { missing }).collect()
    }

    #[test]
    fn the_oldest_line_is_served_whole_before_the_next_gets_anything() {
        assert_eq!(allocation(5, 9, &lines(&[2, 4, 3])), [2, 3, 0]);
        assert_eq!(allocation(10, 9, &lines(&[2, 4, 3])), [2, 4, 3]);
        assert_eq!(allocation(1, 9, &lines(&[2, 4, 3])), [1, 0, 0]);
    }

    #[test]
    fn nothing_is_given_without_units_or_beyond_the_places_taken() {
        assert_eq!(allocation(0, 9, &lines(&[2, 4])), [0, 0]);
        assert_eq!(allocation(8, 3, &lines(&[2, 4])), [2, 1]);
        assert_eq!(allocation(8, 0, &lines(&[2])), [0]);
        assert_eq!(allocation(-1, 5, &lines(&[2])), [0]);
    }
}
