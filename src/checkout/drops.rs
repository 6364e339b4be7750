//! The checkout's rules of drops and preorders, as `decide.rs` applies
//! them: which drop a line sells through at the batch's time, what the
//! order's named drop says of that time, and which lines may take a
//! preorder place. Pure, like the decision.
//!
//! - A sku sells through the drop whose window holds the batch's time
//!   (drops of one sku never overlap: their creation refuses it). Before
//!   the start of a drop hidden until then, the sku cannot be ordered at
//!   all (`drop_not_started`); a drop that is not hidden leaves it an
//!   ordinary product until its start.
//! - An order placed from a drop's page names it: before its start it is
//!   refused with `drop_not_started`, after its end with `drop_ended`, so
//!   nobody is charged a price they were not shown.
//! - A preorder line needs the variant's preorders open and its stock at
//!   0, and a sku sold through a live drop cannot be preordered.

use crate::domain::batch::{BatchSnapshot, DropForSale, DropMomentKind, VariantForSale};
use crate::domain::order::{DropMoment, RequestedLine};
use crate::domain::{FieldError, ValidationError};
use crate::store::StoreError;

/// How a line is sold, once the drops have had their say.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineWay {
    /// From stock, at the product's price.
    Stock,
    /// From stock, through the drop at this index of the snapshot's, at
    /// its price and within its units.
    Drop(usize),
    /// A preorder place instead of stock.
    Preorder,
}

/// The drop an order names, from the snapshot; an unknown slug is a 422.
pub fn named_drop<'s>(
    snapshot: &'s BatchSnapshot,
    slug: Option<&str>,
) -> Result<Option<(usize, &'s DropForSale)>, StoreError> {
    let Some(slug) = slug else { return Ok(None) };
    let found = snapshot
        .drops
        .iter()
        .enumerate()
        .find(|(_, d)| d.slug == slug);
    match found {
        Some(found) => Ok(Some(found)),
        None => Err(ValidationError::one(FieldError::new(
            "drop",
            format!("La boutique n'a pas de vente « {slug} »."),
            format!("The shop has no drop `{slug}`."),
        ))
        .into()),
    }
}

/// What the named drop's window says of `at`: nothing when it is live.
pub fn check_named(drop: &DropForSale, at: &str) -> Result<(), StoreError> {
    match drop.moment(at) {
        DropMomentKind::Live => Ok(()),
        DropMomentKind::Upcoming => Err(StoreError::DropNotStarted(moment(drop))),
        DropMomentKind::Ended => Err(StoreError::DropEnded(moment(drop))),
    }
}

/// How each line sells at `at`; a line of a drop hidden until its start
/// refuses the order (`drop_not_started`), with the index of that drop.
pub fn line_ways(
    snapshot: &BatchSnapshot,
    lines: &[RequestedLine],
    at: &str,
) -> Result<Vec<LineWay>, (usize, StoreError)> {
    let mut ways = Vec::with_capacity(lines.len());
    for line in lines {
        let sku = line.sku.as_str();
        let mut way = if line.preorder {
            LineWay::Preorder
        } else {
            LineWay::Stock
        };
        for (index, drop) in snapshot.drops.iter().enumerate() {
            if !drop.lines.contains_key(sku) {
                continue;
            }
            match drop.moment(at) {
                DropMomentKind::Live if !line.preorder => way = LineWay::Drop(index),
                DropMomentKind::Live => {
                    let invalid = ValidationError::one(preorder_in_drop(sku, &drop.name));
                    return Err((index, invalid.into()));
                }
                DropMomentKind::Upcoming if drop.hidden_until_start => {
                    return Err((index, StoreError::DropNotStarted(moment(drop))));
                }
                DropMomentKind::Upcoming | DropMomentKind::Ended => {}
            }
        }
        ways.push(way);
    }
    Ok(ways)
}

/// A preorder line on a variant whose preorders are closed, or that has
/// stock (`level`): a 422 naming the line.
pub fn check_preorder(
    line: &RequestedLine,
    variant: &VariantForSale,
    level: i64,
) -> Result<(), FieldError> {
    let sku = line.sku.as_str();
    if variant.preorder.is_none() {
        return Err(FieldError::new(
            "lines",
            format!("{sku} ne se précommande pas : retirez « précommande » de cette ligne."),
            format!("{sku} cannot be preordered: remove “preorder” from this line."),
        ));
    }
    if level > 0 {
        return Err(FieldError::new(
            "lines",
            format!(
                "{sku} est de nouveau en stock ({level} disponible(s)) : commandez-le normalement, sans précommande."
            ),
            format!(
                "{sku} is back in stock ({level} available): order it normally, not as a preorder."
            ),
        ));
    }
    Ok(())
}

fn preorder_in_drop(sku: &str, drop: &str) -> FieldError {
    FieldError::new(
        "lines",
        format!("{sku} se vend en ce moment dans la vente « {drop} » : il ne se précommande pas."),
        format!("{sku} is on sale in the drop “{drop}” right now: it cannot be preordered."),
    )
}

/// The drop as a refusal names it.
pub fn moment(drop: &DropForSale) -> DropMoment {
    DropMoment {
        slug: drop.slug.clone(),
        name: drop.name.clone(),
        starts_at: drop.starts_at.clone(),
        ends_at: drop.ends_at.clone(),
    }
}

/// The refusal's code counted on a drop's live page; `None` for answers
/// that are not refusals of the moment (a replay, a reused key).
pub fn refusal_code(error: &StoreError) -> Option<&'static str> {
    Some(match error {
        StoreError::Invalid(_) => "validation_failed",
        StoreError::ProductUnavailable(_) => "product_unavailable",
        StoreError::PriceChanged(_) => "price_changed",
        StoreError::DropNotStarted(_) => "drop_not_started",
        StoreError::DropEnded(_) => "drop_ended",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use chrono::{DateTime, TimeDelta, Utc};

    use super::super::decide::tests::{request, rules, snapshot};
    use super::super::decide::{Decision, decide};
    use crate::checkout::CheckoutRequest;
    use crate::domain::batch::{BatchSnapshot, DropForSale, DropLineForSale, PreorderTerms};
    use crate::domain::order::CheckoutRefusal;
    use crate::domain::time;
    use crate::store::StoreError;

    fn start() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-12-24T18:00:00Z")
            .expect("a time")
            .with_timezone(&Utc)
    }

    /// A drop of ROBE-M from `start()` for a day: 3 units at 9,000, two per customer.
    fn with_drop(hidden: bool) -> BatchSnapshot {
        let mut snapshot = snapshot(10, HashMap::new());
        let line = DropLineForSale {
            units: 3,
            price: Some(9000),
            percent_off: None,
            remaining: 3,
        };
        snapshot.drops.push(DropForSale {
            id: "d1".into(),
            slug: "noel".into(),
            name: "Noël".into(),
            starts_at: time::format(start()),
            ends_at: time::format(start() + TimeDelta::days(1)),
            hidden_until_start: hidden,
            max_units_per_customer: Some(2),
            lines: HashMap::from([("ROBE-M".to_owned(), line)]),
        });
        snapshot
    }

    fn buyer(key: &str, phone: &str, quantity: i64) -> CheckoutRequest {
        let mut request = request("ROBE-M", key, key);
        request.order.customer.phone = phone.into();
        request.order.lines[0].quantity = quantity;
        request
    }

    #[test]
    fn a_hidden_drop_refuses_its_line_one_millisecond_before_its_start_and_serves_it_at_the_start()
    {
        let snapshot = with_drop(true);
        let early = start() - TimeDelta::milliseconds(1);
        let (writes, decisions) =
            decide(&snapshot, &[&buyer("a", "0700000001", 1)], &rules(), early);
        assert!(
            matches!(&decisions[0], Decision::Unkept(StoreError::DropNotStarted(d)) if d.slug == "noel"),
            "{decisions:?}"
        );
        assert_eq!(writes.drop_refusals[0].key, "drop_not_started");
        let (writes, decisions) = decide(
            &snapshot,
            &[&buyer("a", "0700000001", 1)],
            &rules(),
            start(),
        );
        assert!(
            matches!(decisions[0], Decision::Placed { .. }),
            "{decisions:?}"
        );
        let line = &writes.orders[0].order.lines[0];
        assert_eq!(
            (line.unit_price, line.drop_id.as_deref()),
            (9000, Some("d1"))
        );
        assert_eq!(writes.drop_units[0].left, 2);
        assert_eq!(writes.stock[0].left, 9, "a drop's sale takes stock too");
    }

    #[test]
    fn a_drop_that_is_not_hidden_leaves_its_product_ordinary_until_its_start() {
        let snapshot = with_drop(false);
        let early = start() - TimeDelta::seconds(1);
        let (writes, decisions) =
            decide(&snapshot, &[&buyer("a", "0700000001", 1)], &rules(), early);
        assert!(matches!(decisions[0], Decision::Placed { .. }));
        assert_eq!(writes.orders[0].order.lines[0].unit_price, 15000);
        assert!(writes.drop_units.is_empty());
    }

    #[test]
    fn the_cap_counts_every_spelling_of_a_phone_as_one_customer() {
        let snapshot = with_drop(false);
        let spellings = [
            buyer("a", "0700000001", 1),
            buyer("b", "+225 07 00 00 00 01", 1),
            buyer("c", "00225 0700000001", 1),
        ];
        let requests: Vec<&CheckoutRequest> = spellings.iter().collect();
        let (writes, decisions) = decide(&snapshot, &requests, &rules(), start());
        assert!(matches!(decisions[0], Decision::Placed { .. }));
        assert!(matches!(decisions[1], Decision::Placed { .. }));
        assert!(
            matches!(
                &decisions[2],
                Decision::Refused(CheckoutRefusal::DropLimitReached {
                    limit: 2,
                    bought: 2,
                    ..
                })
            ),
            "{decisions:?}"
        );
        assert_eq!(writes.drop_customers.len(), 1);
        assert_eq!(writes.drop_customers[0].added, 2);
    }

    #[test]
    fn a_drop_sells_its_units_and_then_none_though_stock_remains_until_its_end() {
        let snapshot = with_drop(false);
        let buyers: Vec<CheckoutRequest> = (1..=5)
            .map(|n| buyer(&format!("k{n}"), &format!("070000000{n}"), 1))
            .collect();
        let requests: Vec<&CheckoutRequest> = buyers.iter().collect();
        let (writes, decisions) = decide(&snapshot, &requests, &rules(), start());
        let placed = decisions
            .iter()
            .filter(|d| matches!(d, Decision::Placed { .. }))
            .count();
        assert_eq!(placed, 3);
        let Decision::Refused(CheckoutRefusal::InsufficientStock(short)) = &decisions[3] else {
            panic!("short: {decisions:?}");
        };
        assert_eq!(short[0].available, 0);
        assert_eq!(writes.stock[0].left, 7);
        let after = start() + TimeDelta::days(1);
        let (writes, decisions) = decide(&snapshot, &requests[..1], &rules(), after);
        assert!(matches!(decisions[0], Decision::Placed { .. }));
        assert_eq!(
            writes.orders[0].order.lines[0].unit_price, 15000,
            "its own price after the end"
        );
    }

    #[test]
    fn an_order_from_the_drop_page_is_refused_before_the_start_and_after_the_end() {
        let snapshot = with_drop(false);
        let mut named = buyer("a", "0700000001", 1);
        named.order.drop = Some("noel".into());
        let before = start() - TimeDelta::milliseconds(1);
        let (_, decisions) = decide(&snapshot, &[&named], &rules(), before);
        assert!(matches!(
            decisions[0],
            Decision::Unkept(StoreError::DropNotStarted(_))
        ));
        let end = start() + TimeDelta::days(1);
        let (_, decisions) = decide(&snapshot, &[&named], &rules(), end);
        assert!(matches!(
            decisions[0],
            Decision::Unkept(StoreError::DropEnded(_))
        ));
        named.order.drop = Some("inconnue".into());
        let (_, decisions) = decide(&snapshot, &[&named], &rules(), start());
        assert!(matches!(
            decisions[0],
            Decision::Unkept(StoreError::Invalid(_))
        ));
    }

    #[test]
    fn a_preorder_takes_places_up_to_the_cap_only_when_the_stock_is_zero() {
        let mut snapshot = snapshot(0, HashMap::new());
        let variant = snapshot.variants.get_mut("ROBE-M").expect("ROBE-M");
        variant.preorder = Some(PreorderTerms {
            cap: 3,
            waiting: 1,
            ships_by: "2027-01-15".into(),
        });
        let mut first = buyer("a", "0700000001", 2);
        first.order.lines[0].preorder = true;
        let mut second = buyer("b", "0700000002", 1);
        second.order.lines[0].preorder = true;
        let (writes, decisions) = decide(&snapshot, &[&first, &second], &rules(), start());
        assert!(matches!(decisions[0], Decision::Placed { .. }));
        assert!(
            matches!(&decisions[1], Decision::Refused(CheckoutRefusal::InsufficientStock(s)) if s[0].available == 0)
        );
        assert_eq!(writes.preorder_places, [("ROBE-M".to_owned(), 2)]);
        assert!(writes.stock.is_empty(), "a preorder takes no stock");
        assert!(writes.orders[0].order.lines[0].preorder);
        snapshot
            .variants
            .get_mut("ROBE-M")
            .expect("ROBE-M")
            .available = 1;
        let (_, decisions) = decide(&snapshot, &[&first], &rules(), start());
        assert!(
            matches!(decisions[0], Decision::Unkept(StoreError::Invalid(_))),
            "stock is back"
        );
    }
}
