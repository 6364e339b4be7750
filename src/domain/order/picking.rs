//! The picking list: what to take off the shelves for a set of orders,
//! each variant once with its units summed and the orders it goes to.

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;

use crate::domain::product::folded;

use super::Order;

/// `GET /api/v1/admin/picking`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PickingList {
    /// One per variant, by product title, then size in the product's
    /// order, then colour.
    pub lines: Vec<PickingLine>,
    /// How many orders have something to pick.
    #[schema(example = 3)]
    pub order_count: i64,
    /// Every unit to pick, all lines together.
    #[schema(example = 7)]
    pub units: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PickingLine {
    #[schema(example = "ROBE-ETE-M")]
    pub sku: String,
    /// As the newest order holding it names it.
    #[schema(example = "Robe d'été")]
    pub title: String,
    #[schema(example = "M")]
    pub size: String,
    pub color: Option<String>,
    /// Units still to pick: each order's units less those that came back.
    #[schema(example = 3)]
    pub quantity: i64,
    /// The orders these units go to, by number, oldest first.
    #[schema(example = json!(["SR-1041", "SR-1042"]))]
    pub orders: Vec<String>,
}

impl PickingList {
    /// The list of `orders`; `positions` gives each sku's place among its
    /// product's sizes (a sku without one comes after the others).
    pub fn of(orders: &[Order], positions: &HashMap<String, i64>) -> PickingList {
        let mut by_sku: HashMap<&str, (PickingLine, BTreeSet<i64>)> = HashMap::new();
        let mut picked_orders = BTreeSet::new();
        for order in orders {
            let seq = sequence(&order.number);
            for line in &order.lines {
                let left = line.quantity - line.returned;
                if left <= 0 {
                    continue;
                }
                picked_orders.insert(order.id.as_str());
                let (picked, numbers) = by_sku.entry(line.sku.as_str()).or_insert_with(|| {
                    let first = PickingLine {
                        sku: line.sku.clone(),
                        title: line.title.clone(),
                        size: line.size.clone(),
                        color: line.color.clone(),
                        quantity: 0,
                        orders: Vec::new(),
                    };
                    (first, BTreeSet::new())
                });
                picked.quantity += left;
                numbers.insert(seq);
            }
        }
        let mut lines: Vec<PickingLine> = by_sku
            .into_values()
            .map(|(mut line, numbers)| {
                line.orders = numbers.into_iter().map(number).collect();
                line
            })
            .collect();
        let place = |line: &PickingLine| positions.get(&line.sku).copied().unwrap_or(i64::MAX);
        lines.sort_by_cached_key(|line| {
            (
                folded(&line.title),
                place(line),
                line.color.as_deref().map(folded),
                line.sku.clone(),
            )
        });
        PickingList {
            units: lines.iter().map(|l| l.quantity).sum(),
            order_count: picked_orders.len() as i64,
            lines,
        }
    }
}

/// The number of an order (`SR-1042`), as a number to sort by.
fn sequence(number: &str) -> i64 {
    number.trim_start_matches("SR-").parse().unwrap_or(i64::MAX)
}

fn number(sequence: i64) -> String {
    format!("SR-{sequence}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::order::{CustomerView, Delivery, OrderLine, OrderStatus};

    fn line(sku: &str, title: &str, size: &str, quantity: i64, returned: i64) -> OrderLine {
        OrderLine {
            sku: sku.into(),
            title: title.into(),
            size: size.into(),
            color: None,
            unit_price: 1000,
            quantity,
            line_total: 1000 * quantity,
            returned,
            restocked: 0,
            preorder: false,
            allocated: 0,
            drop_id: None,
        }
    }

    fn order(number: &str, lines: Vec<OrderLine>) -> Order {
        Order {
            id: format!("id-{number}"),
            number: number.into(),
            status: OrderStatus::Confirmed,
            created_at: String::new(),
            currency: "XOF".into(),
            total: 0,
            delivery_fee: 0,
            customer: CustomerView {
                name: "Awa".into(),
                phone: "+2250700000000".into(),
                email: None,
            },
            delivery: Delivery::default(),
            notes: None,
            lines,
            payment: None,
            staff_notes: None,
        }
    }

    #[test]
    fn units_are_summed_per_variant_with_the_orders_they_go_to_oldest_first() {
        let orders = [
            order("SR-1043", vec![line("ROBE-M", "Robe", "M", 2, 0)]),
            order(
                "SR-1042",
                vec![
                    line("ROBE-M", "Robe", "M", 1, 0),
                    line("ROBE-L", "Robe", "L", 3, 1),
                ],
            ),
        ];
        let list = PickingList::of(&orders, &HashMap::new());
        let m = list.lines.iter().find(|l| l.sku == "ROBE-M").expect("M");
        assert_eq!(m.quantity, 3);
        assert_eq!(m.orders, ["SR-1042", "SR-1043"]);
        let l = list.lines.iter().find(|l| l.sku == "ROBE-L").expect("L");
        assert_eq!(
            (l.quantity, l.orders.as_slice()),
            (2, ["SR-1042".to_owned()].as_slice())
        );
        assert_eq!((list.units, list.order_count), (5, 2));
    }

    #[test]
    fn lines_go_by_title_then_the_products_size_order_and_returned_units_are_not_picked() {
        let orders = [order(
            "SR-1001",
            vec![
                line("ROBE-XL", "robe", "XL", 1, 0),
                line("ROBE-S", "Robe", "S", 1, 0),
                line("CHEMISE-M", "Chemise", "M", 1, 0),
                line("ÉCHARPE-U", "Écharpe", "U", 1, 0),
                line("ROBE-M", "Robe", "M", 2, 2),
            ],
        )];
        let positions = HashMap::from([("ROBE-S".to_owned(), 0), ("ROBE-XL".to_owned(), 3)]);
        let list = PickingList::of(&orders, &positions);
        let skus: Vec<&str> = list.lines.iter().map(|l| l.sku.as_str()).collect();
        assert_eq!(skus, ["CHEMISE-M", "ÉCHARPE-U", "ROBE-S", "ROBE-XL"]);
    }
}
