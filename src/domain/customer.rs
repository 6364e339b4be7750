//! Customers as the desk sees them: one per normalised phone, made of the
//! orders placed with it. What each figure counts is decided here, once:
//! `orders` counts every order, cancelled ones too (`cancelled` says how
//! many); `units` and `total_spent` leave cancelled orders out and take
//! the others as they stand after returns (units that came back are not
//! counted, and an order's total is its current one).

use serde::Serialize;

use super::order::{Order, OrderSearch, OrderStatus};

/// `GET /api/v1/admin/customers` lists these, newest last order first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct CustomerSummary {
    /// The number in E.164 form: one customer is one number.
    #[schema(example = "+2250700000000")]
    pub phone: String,
    /// Every name given with this number, as typed, first used first.
    #[schema(example = json!(["Awa K.", "Awa Koné"]))]
    pub names: Vec<String>,
    /// Every order placed with this number, cancelled ones included.
    #[schema(example = 3)]
    pub orders: i64,
    /// Of those, the cancelled ones.
    #[schema(example = 1)]
    pub cancelled: i64,
    /// Units bought in the orders not cancelled, less the units that came back.
    #[schema(example = 4)]
    pub units: i64,
    /// The current totals of the orders not cancelled (after returns and
    /// exchanges, delivery fees included), in minor units of the shop's currency.
    #[schema(example = 46500)]
    pub total_spent: i64,
    /// The orders counted toward the per-customer limit (since the
    /// reference date, not cancelled); 0 for a customer never counted.
    #[schema(example = 2)]
    pub counted_toward_limit: i64,
    /// When the newest order was placed.
    pub last_order_at: String,
}

/// `GET /api/v1/admin/customers/{phone}`: the summary's figures and the
/// orders themselves, whose count is therefore `orders_count`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct CustomerDetail {
    #[schema(example = "+2250700000000")]
    pub phone: String,
    pub names: Vec<String>,
    /// Every order placed with this number, cancelled ones included (the
    /// list's `orders`).
    pub orders_count: i64,
    pub cancelled: i64,
    pub units: i64,
    pub total_spent: i64,
    pub counted_toward_limit: i64,
    pub last_order_at: String,
    /// The newest first, at most 100 (`orders_count` counts them all).
    pub orders: Vec<Order>,
}

impl CustomerDetail {
    pub fn new(summary: CustomerSummary, orders: Vec<Order>) -> CustomerDetail {
        CustomerDetail {
            phone: summary.phone,
            names: summary.names,
            orders_count: summary.orders,
            cancelled: summary.cancelled,
            units: summary.units,
            total_spent: summary.total_spent,
            counted_toward_limit: summary.counted_toward_limit,
            last_order_at: summary.last_order_at,
            orders,
        }
    }
}

/// Which customers to list: a page, newest last order first.
#[derive(Clone, Debug, Default)]
pub struct CustomerFilter {
    /// A customer matches when one of their orders matches the text as
    /// the desk's search reads it: a phone, part of a name, an order number.
    pub search: Option<OrderSearch>,
    pub limit: usize,
    /// The newest order's `seq` of the previous page's last customer.
    pub before_seq: Option<i64>,
}

/// One order of a customer, as the summary counts it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CustomerOrder {
    pub name: String,
    pub status: OrderStatus,
    pub total: i64,
    /// Units bought less units that came back.
    pub units: i64,
    pub created_at: String,
}

impl CustomerSummary {
    /// The summary of the customer `phone` from their `orders`, oldest
    /// first, and their count toward the limit. `None` without orders.
    pub fn of(phone: String, orders: &[CustomerOrder], counted: i64) -> Option<CustomerSummary> {
        let last = orders.last()?;
        let mut names: Vec<String> = Vec::new();
        for order in orders {
            if !names.contains(&order.name) {
                names.push(order.name.clone());
            }
        }
        let kept = || orders.iter().filter(|o| o.status != OrderStatus::Cancelled);
        Some(CustomerSummary {
            phone,
            names,
            orders: orders.len() as i64,
            cancelled: orders.len() as i64 - kept().count() as i64,
            units: kept().map(|o| o.units).sum(),
            total_spent: kept().map(|o| o.total).sum(),
            counted_toward_limit: counted,
            last_order_at: last.created_at.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order(name: &str, status: OrderStatus, total: i64, units: i64, at: &str) -> CustomerOrder {
        CustomerOrder {
            name: name.into(),
            status,
            total,
            units,
            created_at: at.into(),
        }
    }

    #[test]
    fn cancelled_orders_are_counted_but_not_spent_and_names_are_listed_once() {
        let orders = [
            order("Awa", OrderStatus::Delivered, 30000, 2, "2026-01-01"),
            order("Awa K.", OrderStatus::Cancelled, 15000, 1, "2026-01-02"),
            order("Awa", OrderStatus::Returned, 0, 0, "2026-01-03"),
            order("Awa", OrderStatus::Pending, 16500, 1, "2026-01-04"),
        ];
        let summary = CustomerSummary::of("+2250700000000".into(), &orders, 3).expect("orders");
        assert_eq!(summary.names, ["Awa", "Awa K."]);
        assert_eq!((summary.orders, summary.cancelled), (4, 1));
        assert_eq!((summary.units, summary.total_spent), (3, 46500));
        assert_eq!(summary.counted_toward_limit, 3);
        assert_eq!(summary.last_order_at, "2026-01-04");
    }

    #[test]
    fn a_phone_without_orders_is_no_customer() {
        assert_eq!(CustomerSummary::of("+2250700000000".into(), &[], 0), None);
    }
}
