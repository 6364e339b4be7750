//! A drop as the back office sees it (its lines with units left and
//! sold), as a buyer sees it (`GET /api/v1/drops/{slug}`), and its live
//! figures (orders per minute, refusals per reason).

use chrono::{DateTime, TimeDelta, Timelike, Utc};
use serde::Serialize;

use super::{DROP_LIVE_MINUTES, DropStatus, unit_price};
use crate::domain::time;

/// A drop: the body it was scheduled with, plus `id`, `status` and, on
/// each line, what its product is and how many units are left and sold.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[schema(as = Drop)]
pub struct DropView {
    pub id: String,
    pub name: String,
    pub slug: String,
    /// RFC 3339 UTC, to the microsecond.
    pub starts_at: String,
    /// RFC 3339 UTC, to the microsecond; moved to the moment it was ended
    /// early.
    pub ends_at: String,
    pub hidden_until_start: bool,
    pub max_units_per_customer: Option<i64>,
    /// In the order they were given.
    pub lines: Vec<DropLine>,
    /// At the server's time of the answer.
    pub status: DropStatus,
    pub created_at: String,
    pub updated_at: String,
}

/// One line of a drop, for the back office.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct DropLine {
    pub sku: String,
    /// Units offered through the drop in all.
    pub units: i64,
    /// The drop's own price, or `null`.
    pub price: Option<i64>,
    /// The percentage off the product's price, or `null`.
    pub percent_off: Option<i64>,
    /// The product's title.
    pub title: String,
    pub size: String,
    pub color: Option<String>,
    /// The product's slug, for a link to its page.
    pub product_slug: String,
    /// The product's own price now.
    pub product_price: i64,
    /// The product's picture: its first photo's thumbnail, else its
    /// drawing, else `null`.
    pub image_url: Option<String>,
    /// What one unit sells at in the drop: `price`, or `product_price` less
    /// `percent_off` rounded to the nearest, or `product_price`.
    pub unit_price: i64,
    /// Units the drop may still sell; units of an order cancelled while
    /// the drop runs come back here.
    pub remaining: i64,
    /// Units sold through the drop, in orders not cancelled.
    pub sold: i64,
}

impl DropLine {
    /// What one unit of this line sells at, for a product at `product_price`.
    pub fn unit_price(&self, product_price: i64) -> i64 {
        unit_price(self.price, self.percent_off, product_price)
    }
}

impl DropView {
    /// The status at `now` (a time as the store writes it).
    pub fn status_at(&self, now: &str) -> DropStatus {
        let units_left = self.lines.iter().any(|line| line.remaining > 0);
        DropStatus::at(now, &self.starts_at, &self.ends_at, units_left)
    }

    /// The drop as a buyer sees it at `server_time`. A drop hidden until
    /// its start shows none of its lines before it: its products are not
    /// public yet.
    pub fn public(&self, server_time: &str) -> PublicDrop {
        let status = self.status_at(server_time);
        let hidden = self.hidden_until_start && status == DropStatus::Upcoming;
        let lines = if hidden {
            Vec::new()
        } else {
            self.lines.iter().map(PublicDropLine::from).collect()
        };
        PublicDrop {
            name: self.name.clone(),
            slug: self.slug.clone(),
            starts_at: self.starts_at.clone(),
            ends_at: self.ends_at.clone(),
            status,
            server_time: server_time.to_owned(),
            hidden_until_start: self.hidden_until_start,
            max_units_per_customer: self.max_units_per_customer,
            lines,
        }
    }
}

/// `GET /api/v1/drops/{slug}`: what the drop's page shows and counts down
/// from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PublicDrop {
    pub name: String,
    pub slug: String,
    pub starts_at: String,
    pub ends_at: String,
    pub status: DropStatus,
    /// The server's clock when it answered: a page counts down from it,
    /// not from the phone's clock.
    pub server_time: String,
    /// When `true` and the drop is `upcoming`, `lines` is empty: its
    /// products are shown at the start.
    pub hidden_until_start: bool,
    /// Units one customer may buy over the drop's lines, or `null`.
    pub max_units_per_customer: Option<i64>,
    pub lines: Vec<PublicDropLine>,
}

/// One line of a drop as buyers see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PublicDropLine {
    pub sku: String,
    /// The product's title.
    pub title: String,
    pub size: String,
    pub color: Option<String>,
    /// The price the server charges for one unit through the drop.
    pub price: i64,
    /// The product's own price, for comparison.
    pub product_price: i64,
    /// Units the drop may still sell.
    pub remaining: i64,
    /// The product's slug (its page, once public).
    pub product_slug: String,
    /// The product's picture, or `null`.
    pub image_url: Option<String>,
}

impl From<&DropLine> for PublicDropLine {
    fn from(line: &DropLine) -> Self {
        PublicDropLine {
            sku: line.sku.clone(),
            title: line.title.clone(),
            size: line.size.clone(),
            color: line.color.clone(),
            price: line.unit_price,
            product_price: line.product_price,
            remaining: line.remaining,
            product_slug: line.product_slug.clone(),
            image_url: line.image_url.clone(),
        }
    }
}

/// `GET /api/v1/admin/drops/{id}/live`: a running drop as its back-office
/// page follows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct DropLive {
    /// With each line's units left.
    pub drop: DropView,
    pub server_time: String,
    /// Orders placed through the drop in each of the last 10 minutes,
    /// oldest first, the current minute last.
    pub orders_per_minute: Vec<MinuteCount>,
    /// Orders placed through the drop since it was created.
    pub orders: i64,
    /// Checkouts the drop refused, by the refusal's code, most first.
    pub refusals: Vec<RefusalCount>,
}

/// Orders in one minute.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct MinuteCount {
    /// The minute's start, RFC 3339 UTC (`2026-12-24T18:03:00.000000Z`).
    pub minute: String,
    pub orders: i64,
}

/// Checkouts refused for one reason.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RefusalCount {
    /// `drop_limit_reached`, `insufficient_stock`, `drop_not_started`…
    pub code: String,
    pub count: i64,
}

/// The first minute the live view counts at `now`: `DROP_LIVE_MINUTES`
/// minutes ending with the current one.
pub fn live_since(now: DateTime<Utc>) -> DateTime<Utc> {
    minute_of(now) - TimeDelta::minutes(DROP_LIVE_MINUTES as i64 - 1)
}

/// The live view's minutes at `now`, each with the orders `counted` gives
/// it (`(minute's first 16 characters, orders)`), none missing.
pub fn per_minute(now: DateTime<Utc>, counted: &[(String, i64)]) -> Vec<MinuteCount> {
    let first = live_since(now);
    (0..DROP_LIVE_MINUTES as i64)
        .map(|k| {
            let minute = time::format(first + TimeDelta::minutes(k));
            let key = &minute[..16];
            let orders = counted
                .iter()
                .find(|(at, _)| at == key)
                .map_or(0, |(_, n)| *n);
            MinuteCount { minute, orders }
        })
        .collect()
}

fn minute_of(at: DateTime<Utc>) -> DateTime<Utc> {
    at.with_second(0)
        .and_then(|at| at.with_nanosecond(0))
        .unwrap_or(at)
}

/// Which drops to list: a page, newest first.
#[derive(Clone, Debug)]
pub struct DropFilter {
    pub limit: usize,
    /// The `created_at` and id of the previous page's last drop.
    pub before: Option<(String, String)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(remaining: i64) -> DropLine {
        DropLine {
            sku: "ROBE-M".into(),
            units: 5,
            price: None,
            percent_off: Some(20),
            title: "Robe".into(),
            size: "M".into(),
            color: None,
            product_slug: "robe".into(),
            product_price: 15_000,
            image_url: None,
            unit_price: 12_000,
            remaining,
            sold: 5 - remaining,
        }
    }

    fn drop(hidden: bool, remaining: i64) -> DropView {
        DropView {
            id: "d1".into(),
            name: "Noël".into(),
            slug: "noel".into(),
            starts_at: "2026-12-24T18:00:00.000000Z".into(),
            ends_at: "2026-12-24T20:00:00.000000Z".into(),
            hidden_until_start: hidden,
            max_units_per_customer: Some(2),
            lines: vec![line(remaining)],
            status: DropStatus::Upcoming,
            created_at: "2026-12-01T00:00:00.000000Z".into(),
            updated_at: "2026-12-01T00:00:00.000000Z".into(),
        }
    }

    #[test]
    fn a_hidden_drop_shows_its_lines_only_from_its_start() {
        let before = drop(true, 5).public("2026-12-24T17:59:59.999000Z");
        assert_eq!(before.status, DropStatus::Upcoming);
        assert!(before.lines.is_empty());
        let at = drop(true, 5).public("2026-12-24T18:00:00.000000Z");
        assert_eq!(at.status, DropStatus::Live);
        assert_eq!(at.lines[0].price, 12_000);
        let shown = drop(false, 5).public("2026-12-24T17:00:00.000000Z");
        assert_eq!(shown.lines.len(), 1);
    }

    #[test]
    fn a_drop_whose_lines_are_gone_is_sold_out_until_its_end() {
        assert_eq!(
            drop(false, 0).status_at("2026-12-24T19:00:00.000000Z"),
            DropStatus::SoldOut
        );
        assert_eq!(
            drop(false, 0).status_at("2026-12-24T20:00:00.000000Z"),
            DropStatus::Ended
        );
    }

    #[test]
    fn the_live_view_has_ten_minutes_the_current_one_last() {
        let now = time::parse("now", "2026-12-24T18:09:30.5Z").expect("valid in this test");
        let counted = vec![
            ("2026-12-24T18:09".to_owned(), 7),
            ("2026-12-24T18:00".to_owned(), 2),
        ];
        let minutes = per_minute(now, &counted);
        assert_eq!(minutes.len(), DROP_LIVE_MINUTES);
        assert_eq!(minutes[0].minute, "2026-12-24T18:00:00.000000Z");
        assert_eq!(minutes[0].orders, 2);
        assert_eq!(minutes[9].orders, 7);
        assert_eq!(minutes[5].orders, 0);
    }
}
