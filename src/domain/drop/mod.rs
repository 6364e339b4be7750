//! Drops: a campaign that sells a few skus at its own price inside a
//! window `[starts_at, ends_at)`, at most `units` of each line in all and
//! at most `max_units_per_customer` units to one customer. Here: the
//! request that schedules one, checked (`input.rs`); where an instant falls
//! in its window and the status that follows; the price of one of its
//! lines, the one rule the checkout engine and the pages read; the drop as
//! the back office and as buyers see it (`view.rs`); and the conflicts an
//! owner's change can meet.

mod input;
mod view;

pub use input::*;
pub use view::*;

use crate::domain::{Lang, time};

/// A drop's name, in characters.
pub const DROP_NAME_CHARS_MAX: usize = 100;
/// Lines one drop may hold: a drop is a few articles, not a catalog.
pub const DROP_LINES_MAX: usize = 100;
/// The longest window, in days.
pub const DROP_WINDOW_DAYS_MAX: i64 = 90;
/// A line's `percent_off`, inclusive bounds.
pub const DROP_PERCENT_OFF_MIN: i64 = 1;
pub const DROP_PERCENT_OFF_MAX: i64 = 90;
/// The largest `max_units_per_customer`.
pub const DROP_UNITS_PER_CUSTOMER_MAX: i64 = 10_000;
/// The longest key (id or slug) a path may name; ids are UUIDs, slugs
/// at most `SLUG_CHARS_MAX`.
pub const DROP_KEY_CHARS_MAX: usize = 100;
/// Minutes of orders the live view counts, one figure per minute.
pub const DROP_LIVE_MINUTES: usize = 10;

/// Where an instant falls against a window `[starts_at, ends_at)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Before `starts_at`.
    Before,
    /// From `starts_at` (included) to `ends_at` (excluded).
    Inside,
    /// At `ends_at` or after.
    After,
}

/// Where `now` falls in `[starts_at, ends_at)`. The three are times as the
/// store writes them (`time::format`: RFC 3339 UTC of one fixed width),
/// compared as text exactly as both databases compare them.
pub fn phase(now: &str, starts_at: &str, ends_at: &str) -> Phase {
    if now < starts_at {
        Phase::Before
    } else if now < ends_at {
        Phase::Inside
    } else {
        Phase::After
    }
}

/// The price one unit of a drop line sells at, in minor units: the line's
/// own `price` when it has one; the product's price less `percent_off`,
/// rounded to the nearest minor unit (halves up); else the product's
/// price. The drop's pages and the back office read it here; the checkout
/// engine's `DropLineForSale::unit_price` (`domain/batch.rs`) is the same
/// rule, which `the_engine_charges_what_the_drop_shows` keeps equal.
pub fn unit_price(price: Option<i64>, percent_off: Option<i64>, product_price: i64) -> i64 {
    match (price, percent_off) {
        (Some(price), _) => price,
        (None, Some(percent)) => {
            let kept = i128::from(100 - percent.clamp(0, 100));
            let minor = (i128::from(product_price) * kept + 50) / 100;
            i64::try_from(minor).unwrap_or(product_price)
        }
        (None, None) => product_price,
    }
}

/// A drop's status at an instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DropStatus {
    /// Before `starts_at`.
    Upcoming,
    /// Inside the window, with units left on some line.
    Live,
    /// Inside the window, every line's units sold.
    SoldOut,
    /// At or after `ends_at`.
    Ended,
}

impl DropStatus {
    /// The status at `now` (times as `phase` reads them); `units_left`
    /// whether some line still has units.
    pub fn at(now: &str, starts_at: &str, ends_at: &str, units_left: bool) -> DropStatus {
        match phase(now, starts_at, ends_at) {
            Phase::Before => DropStatus::Upcoming,
            Phase::Inside if units_left => DropStatus::Live,
            Phase::Inside => DropStatus::SoldOut,
            Phase::After => DropStatus::Ended,
        }
    }
}

/// An owner's change to drops that the drops as they stand refuse.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DropConflict {
    /// A sku already in another drop whose window overlaps this one's:
    /// a sku sells through one drop at a time. `already_exists`.
    #[error("{sku} is already in the drop {other_slug} over an overlapping window")]
    Overlap {
        sku: String,
        other_slug: String,
        other_name: String,
    },
    /// An edit of a drop that has started: only ending it is allowed.
    /// `invalid_transition`.
    #[error("the drop {slug} started at {starts_at}")]
    Started {
        slug: String,
        name: String,
        starts_at: String,
    },
    /// Ending (or editing) a drop that has ended. `invalid_transition`.
    #[error("the drop {slug} ended at {ends_at}")]
    Ended {
        slug: String,
        name: String,
        ends_at: String,
    },
}

impl DropConflict {
    /// The problem's code: both are 409.
    pub fn code(&self) -> &'static str {
        match self {
            DropConflict::Overlap { .. } => "already_exists",
            DropConflict::Started { .. } | DropConflict::Ended { .. } => "invalid_transition",
        }
    }

    /// The sentence for the owner.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (
                DropConflict::Overlap {
                    sku,
                    other_slug,
                    other_name,
                },
                Lang::Fr,
            ) => format!(
                "L'article {sku} est déjà dans la vente flash « {other_name} » ({other_slug}), sur une période qui chevauche celle-ci : un article ne peut être que dans une vente flash à la fois."
            ),
            (
                DropConflict::Overlap {
                    sku,
                    other_slug,
                    other_name,
                },
                Lang::En,
            ) => format!(
                "The article {sku} is already in the drop “{other_name}” ({other_slug}), over a period that overlaps this one: an article can be in one drop at a time."
            ),
            (
                DropConflict::Started {
                    name, starts_at, ..
                },
                Lang::Fr,
            ) => format!(
                "La vente flash « {name} » a commencé le {} : elle ne peut plus être modifiée, seulement arrêtée plus tôt.",
                time::spoken(lang, starts_at)
            ),
            (
                DropConflict::Started {
                    name, starts_at, ..
                },
                Lang::En,
            ) => format!(
                "The drop “{name}” started on {}: it can no longer be edited, only ended early.",
                time::spoken(lang, starts_at)
            ),
            (DropConflict::Ended { name, ends_at, .. }, Lang::Fr) => format!(
                "La vente flash « {name} » est déjà terminée (depuis le {}).",
                time::spoken(lang, ends_at)
            ),
            (DropConflict::Ended { name, ends_at, .. }, Lang::En) => format!(
                "The drop “{name}” has already ended (on {}).",
                time::spoken(lang, ends_at)
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const START: &str = "2026-12-24T18:00:00.000000Z";
    const END: &str = "2026-12-24T20:00:00.000000Z";

    #[test]
    fn a_window_includes_its_start_and_excludes_its_end() {
        assert_eq!(
            phase("2026-12-24T17:59:59.999000Z", START, END),
            Phase::Before
        );
        assert_eq!(phase(START, START, END), Phase::Inside);
        assert_eq!(
            phase("2026-12-24T19:59:59.999999Z", START, END),
            Phase::Inside
        );
        assert_eq!(phase(END, START, END), Phase::After);
    }

    #[test]
    fn a_drop_is_sold_out_only_inside_its_window() {
        assert_eq!(
            DropStatus::at("2026-12-24T12:00:00.000000Z", START, END, false),
            DropStatus::Upcoming
        );
        assert_eq!(DropStatus::at(START, START, END, true), DropStatus::Live);
        assert_eq!(
            DropStatus::at(START, START, END, false),
            DropStatus::SoldOut
        );
        assert_eq!(DropStatus::at(END, START, END, true), DropStatus::Ended);
    }

    #[test]
    fn a_line_sells_at_its_price_or_the_product_price_less_its_percentage_rounded() {
        assert_eq!(unit_price(Some(12_000), None, 15_000), 12_000);
        assert_eq!(unit_price(None, Some(20), 15_000), 12_000);
        // 12,345 less 15 % is 10,493.25: 10,493; 15 less 10 % is 13.5: 14.
        assert_eq!(unit_price(None, Some(15), 12_345), 10_493);
        assert_eq!(unit_price(None, Some(10), 15), 14);
        assert_eq!(unit_price(None, Some(90), 1), 0);
        assert_eq!(unit_price(None, None, 15_000), 15_000);
    }

    #[test]
    fn the_engine_charges_what_the_drop_shows() {
        use crate::domain::batch::DropLineForSale;
        for (price, percent_off) in [
            (Some(9_999), None),
            (None, Some(1)),
            (None, Some(15)),
            (None, Some(90)),
            (None, None),
        ] {
            for product_price in [0, 1, 15, 12_345, 15_000, 999_999_999] {
                let engine = DropLineForSale {
                    units: 1,
                    price,
                    percent_off,
                    remaining: 1,
                };
                assert_eq!(
                    unit_price(price, percent_off, product_price),
                    engine.unit_price(product_price),
                    "{price:?} {percent_off:?} {product_price}"
                );
            }
        }
    }

    #[test]
    fn conflicts_name_the_sku_and_the_other_drop_or_the_moment() {
        let overlap = DropConflict::Overlap {
            sku: "ROBE-M".into(),
            other_slug: "noel".into(),
            other_name: "Noël".into(),
        };
        assert_eq!(overlap.code(), "already_exists");
        assert!(overlap.message(Lang::Fr).contains("ROBE-M"));
        assert!(overlap.message(Lang::Fr).contains("« Noël » (noel)"));
        let started = DropConflict::Started {
            slug: "noel".into(),
            name: "Noël".into(),
            starts_at: START.into(),
        };
        assert_eq!(started.code(), "invalid_transition");
        assert!(
            started
                .message(Lang::Fr)
                .contains("24 décembre 2026 à 18 h 00 GMT")
        );
    }
}
