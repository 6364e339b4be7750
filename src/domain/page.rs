//! Lists in pages, newest first, and the filters that choose what they
//! hold. A page reads one row more than it shows, and that row's presence
//! says another page follows, which starts after the key of the page's
//! last item (its cursor).

use chrono::{DateTime, Utc};

use super::order::{OrderSearch, OrderStatus, PaymentStatus};
use super::product::folded;
use super::sku::Sku;
use super::stock::{MovementKind, VariantName};

/// One page of a list, newest first; `next_cursor` fetches the next page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

/// Which movements to list.
#[derive(Clone, Debug, Default)]
pub struct MovementFilter {
    pub sku: Option<Sku>,
    pub kind: Option<MovementKind>,
    /// From this time on (inclusive).
    pub from: Option<DateTime<Utc>>,
    /// Before this time (exclusive).
    pub to: Option<DateTime<Utc>>,
    /// Only the movements of this receipt (its id).
    pub receipt: Option<String>,
    /// Words a person searched the ledger with (`?q=`), folded: each must
    /// be found in the variant's product title, sku or colour, or be its
    /// size. Empty: every variant.
    pub words: Vec<String>,
    pub limit: usize,
    /// The last id of the previous page.
    pub before_id: Option<i64>,
}

impl MovementFilter {
    /// The words of a search, folded (any case, with or without accents).
    pub fn words_of(q: &str) -> Vec<String> {
        q.split_whitespace().map(folded).collect()
    }

    /// Whether the variant `sku` named `name` holds every word searched.
    pub fn names(&self, sku: &str, name: &VariantName) -> bool {
        let haystack = [Some(name.title.as_str()), Some(sku), name.color.as_deref()]
            .into_iter()
            .flatten()
            .map(folded)
            .collect::<Vec<_>>()
            .join(" ");
        let size = folded(&name.size);
        self.words
            .iter()
            .all(|word| haystack.contains(word.as_str()) || *word == size)
    }
}

/// Which receipts to list: a page, newest first.
#[derive(Clone, Debug, Default)]
pub struct ReceiptFilter {
    pub limit: usize,
    /// The `created_at` and id of the previous page's last receipt.
    pub before: Option<(String, String)>,
}

/// The orders of one status, or every order still to handle.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatusFilter {
    Is(OrderStatus),
    /// Pending, confirmed or processing (`status=to_handle`).
    ToHandle,
}

impl StatusFilter {
    /// The word the API and the SQL name it by.
    pub fn as_str(self) -> &'static str {
        match self {
            StatusFilter::Is(status) => status.as_str(),
            StatusFilter::ToHandle => "to_handle",
        }
    }

    pub fn parse(raw: &str) -> Option<StatusFilter> {
        match raw {
            "to_handle" => Some(StatusFilter::ToHandle),
            _ => OrderStatus::parse(raw).map(StatusFilter::Is),
        }
    }
}

/// Which orders the desk lists (and counts, picks and exports).
#[derive(Clone, Debug, Default)]
pub struct OrderFilter {
    pub status: Option<StatusFilter>,
    pub payment: Option<PaymentStatus>,
    /// What the search box holds, read every way it can be.
    pub search: Option<OrderSearch>,
    /// From this time on (inclusive).
    pub from: Option<DateTime<Utc>>,
    /// Before this time (exclusive).
    pub to: Option<DateTime<Utc>>,
    pub limit: usize,
    /// The last `seq` of the previous page.
    pub before_seq: Option<i64>,
}

/// The rows to read for a page of `limit` items.
pub fn rows_for(limit: usize) -> i64 {
    limit as i64 + 1
}

/// The page of `rows`, read with `rows_for(limit)`; its cursor is the key
/// of its last item when more rows follow.
pub fn page<T>(mut rows: Vec<T>, limit: usize, key: impl Fn(&T) -> String) -> Page<T> {
    let next_cursor = if rows.len() > limit {
        rows.truncate(limit);
        rows.last().map(key)
    } else {
        None
    };
    Page {
        items: rows,
        next_cursor,
    }
}

impl<T> Page<T> {
    /// The same page, each item turned into another value.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            next_cursor: self.next_cursor,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_page_and_one_more_row_gives_the_last_key_as_cursor() {
        let page = page(vec![9, 8, 7], 2, |n| n.to_string());
        assert_eq!(page.items, vec![9, 8]);
        assert_eq!(page.next_cursor.as_deref(), Some("8"));
    }

    #[test]
    fn the_last_page_has_no_cursor() {
        let page = page(vec![9, 8], 2, |n| n.to_string());
        assert_eq!(page.items, vec![9, 8]);
        assert_eq!(page.next_cursor, None);
        assert_eq!(rows_for(2), 3);
    }

    #[test]
    fn a_ledger_search_finds_a_variant_by_title_sku_colour_or_size_in_any_case_and_accents() {
        let filter = MovementFilter {
            words: MovementFilter::words_of("ÉTÉ  robe"),
            ..MovementFilter::default()
        };
        let dress = VariantName {
            title: "Robe d'été".into(),
            size: "M".into(),
            color: None,
        };
        assert!(filter.names("ROBE-ETE-M", &dress));
        let shirt = VariantName {
            title: "Chemise en lin".into(),
            size: "L".into(),
            color: Some("Bleu nuit".into()),
        };
        assert!(!filter.names("CHEMISE-LIN-BLEU-L", &shirt));
        let by = |q: &str| MovementFilter {
            words: MovementFilter::words_of(q),
            ..MovementFilter::default()
        };
        assert!(by("chemise bleu").names("CHEMISE-LIN-BLEU-L", &shirt));
        assert!(by("lin-bleu").names("CHEMISE-LIN-BLEU-L", &shirt));
        assert!(by("chemise l").names("CHEMISE-LIN-BLEU-L", &shirt));
        assert!(!by("chemise xl").names("CHEMISE-LIN-BLEU-L", &shirt));
        assert!(
            by("").names("CHEMISE-LIN-BLEU-L", &shirt),
            "no words keep every variant"
        );
    }
}
