//! Returns and exchanges: units of a shipped or delivered order come back,
//! to the shelf or not (a damaged item), and replacement lines may go out
//! in their place, charged at their price of the day (contract, detail 12).

use serde::{Deserialize, Serialize};

use super::{LineInput, Order, OrderLine, RequestedLine, merge_lines_of};
use crate::domain::invalid::{Checker, FieldError, ValidationError, optional_text};
use crate::domain::limits::Limits;
use crate::domain::sku::Sku;

use super::history::STAFF_NOTE_CHARS_MAX;

/// The body of `POST /api/v1/admin/orders/{id}/return`.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct ReturnInput {
    /// Units that came back, by sku of the order.
    #[schema(value_type = Vec<LineInput>, required)]
    pub lines: Option<Vec<LineInput>>,
    /// Whether the units go back on the shelf (`return` movements); false
    /// for a damaged item. True when absent.
    pub restock: Option<bool>,
    /// Units taken from stock in their place (an exchange), at today's price.
    pub replacements: Option<Vec<LineInput>>,
    /// Several lines allowed; at most 2,000 characters.
    pub note: Option<String>,
}

/// A return checked against its order: lines and replacements merged by
/// sku and sorted, so that stock rows are taken in the checkout's order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReturnRequest {
    pub lines: Vec<RequestedLine>,
    pub restock: bool,
    pub replacements: Vec<RequestedLine>,
    pub note: Option<String>,
}

impl ReturnInput {
    /// The return this body asks of `order`: each returned sku must be one
    /// of its lines, for at most the units not yet returned.
    pub fn check(&self, order: &Order, limits: &Limits) -> Result<ReturnRequest, ValidationError> {
        let mut checker = Checker::default();
        let given = self.lines.as_deref().unwrap_or_default();
        let lines = if given.is_empty() {
            checker.push(FieldError::new(
                "lines",
                "Indiquez au moins un article rendu.",
                "Name at least one returned line.",
            ));
            None
        } else {
            checker.check(merge_lines_of("lines", given, limits))
        };
        for line in lines.iter().flatten() {
            let at = given
                .iter()
                .position(|g| {
                    g.sku
                        .as_deref()
                        .is_some_and(|raw| Sku::parse("", raw).is_ok_and(|s| s == line.sku))
                })
                .unwrap_or_default();
            match order.lines.iter().find(|l| l.sku == line.sku.as_str()) {
                None => checker.push(FieldError::new(
                    format!("lines[{at}].sku"),
                    format!("{} n'est pas dans la commande {}.", line.sku, order.number),
                    format!("{} is not in order {}.", line.sku, order.number),
                )),
                Some(bought) if line.quantity > bought.quantity - bought.returned => {
                    let left = bought.quantity - bought.returned;
                    checker.push(FieldError::new(
                        format!("lines[{at}].quantity"),
                        format!(
                            "La commande {} n'a que {left} {} à rendre pour {}.",
                            order.number,
                            if left > 1 { "unités" } else { "unité" },
                            bought.name_fr()
                        ),
                        format!(
                            "Order {} has only {left} unit(s) of {} left to return.",
                            order.number, line.sku
                        ),
                    ))
                }
                Some(_) => {}
            }
        }
        let replacements = match self.replacements.as_deref() {
            None | Some([]) => Some(Vec::new()),
            Some(given) => checker.check(merge_lines_of("replacements", given, limits)),
        };
        let note = checker.check(optional_text(
            "note",
            self.note.as_deref(),
            STAFF_NOTE_CHARS_MAX,
            true,
        ));
        checker.finish()?;
        let sorted = |mut lines: Vec<RequestedLine>| {
            lines.sort_by(|a, b| a.sku.cmp(&b.sku));
            lines
        };
        Ok(ReturnRequest {
            lines: sorted(lines.expect("checked")),
            restock: self.restock.unwrap_or(true),
            replacements: sorted(replacements.expect("checked")),
            note: note.expect("checked"),
        })
    }
}

/// A replacement at today's price, as the stock read it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PricedReplacement {
    pub line: OrderLine,
}

/// The order once a return is applied: its lines (units returned counted,
/// replacements added), its new total, and whether every unit came back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReturnOutcome {
    pub lines: Vec<OrderLine>,
    pub total_before: i64,
    pub total_after: i64,
    pub fully_returned: bool,
}

/// One line of a return as the history and the event show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ReturnedLine {
    pub sku: String,
    pub title: String,
    pub size: String,
    pub color: Option<String>,
    pub quantity: i64,
    pub restocked: i64,
}

impl ReturnRequest {
    /// `order` after this return, `replacements` being this request's
    /// replacements priced today (same skus, same order). A replacement of
    /// a sku the order holds adds to its line, which can have one price
    /// only: at another price than the line's, it is refused.
    pub fn apply(
        &self,
        order: &Order,
        replacements: &[OrderLine],
    ) -> Result<ReturnOutcome, ValidationError> {
        let mut lines = order.lines.clone();
        for asked in &self.lines {
            let line = lines
                .iter_mut()
                .find(|l| l.sku == asked.sku.as_str())
                .expect("checked against the order");
            line.returned += asked.quantity;
            if self.restock {
                line.restocked += asked.quantity;
            }
        }
        let mut checker = Checker::default();
        for (i, new) in replacements.iter().enumerate() {
            match lines.iter_mut().find(|l| l.sku == new.sku) {
                Some(line) if line.unit_price != new.unit_price => checker.push(FieldError::new(
                    format!("replacements[{i}].sku"),
                    format!(
                        "{} est dans la commande à {} et coûte aujourd'hui {} : une ligne n'a qu'un prix. Échangez contre une autre taille, ou passez une nouvelle commande.",
                        line.name_fr(),
                        line.unit_price,
                        new.unit_price
                    ),
                    format!(
                        "{} is in the order at {} and costs {} today: a line has one price only.",
                        line.sku, line.unit_price, new.unit_price
                    ),
                )),
                Some(line) => {
                    line.quantity += new.quantity;
                    line.line_total = line.unit_price * line.quantity;
                }
                None => lines.push(new.clone()),
            }
        }
        checker.finish()?;
        lines.sort_by(|a, b| a.sku.cmp(&b.sku));
        let kept: i64 = lines
            .iter()
            .map(|l| (l.quantity - l.returned) * l.unit_price)
            .sum();
        Ok(ReturnOutcome {
            fully_returned: lines.iter().all(|l| l.returned == l.quantity),
            total_before: order.total,
            total_after: kept + order.delivery_fee,
            lines,
        })
    }

    /// The returned lines, named as the order names them.
    pub fn returned_lines(&self, order: &Order) -> Vec<ReturnedLine> {
        self.lines
            .iter()
            .filter_map(|asked| {
                let line = order.lines.iter().find(|l| l.sku == asked.sku.as_str())?;
                Some(ReturnedLine {
                    sku: line.sku.clone(),
                    title: line.title.clone(),
                    size: line.size.clone(),
                    color: line.color.clone(),
                    quantity: asked.quantity,
                    restocked: if self.restock { asked.quantity } else { 0 },
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::order::{CustomerView, Delivery, OrderStatus};

    fn line(sku: &str, size: &str, quantity: i64, unit_price: i64) -> OrderLine {
        OrderLine {
            sku: sku.into(),
            title: "Robe Awa".into(),
            size: size.into(),
            color: None,
            unit_price,
            quantity,
            line_total: unit_price * quantity,
            returned: 0,
            restocked: 0,
            preorder: false,
            allocated: 0,
            drop_id: None,
        }
    }

    fn order(lines: Vec<OrderLine>) -> Order {
        let total = lines.iter().map(|l| l.line_total).sum::<i64>() + 1_000;
        Order {
            id: "o".into(),
            number: "SR-1042".into(),
            status: OrderStatus::Delivered,
            created_at: "2026-12-01T10:00:00Z".into(),
            currency: "XOF".into(),
            total,
            delivery_fee: 1_000,
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

    fn input(lines: &[(&str, i64)], replacements: &[(&str, i64)]) -> ReturnInput {
        let of = |lines: &[(&str, i64)]| {
            lines
                .iter()
                .map(|(sku, quantity)| LineInput {
                    preorder: None,
                    sku: Some((*sku).into()),
                    quantity: Some(*quantity),
                })
                .collect()
        };
        ReturnInput {
            lines: Some(of(lines)),
            restock: None,
            replacements: Some(of(replacements)),
            note: None,
        }
    }

    #[test]
    fn an_exchange_m_for_l_returns_one_and_adds_one_at_todays_price() {
        let order = order(vec![line("ROBE-M", "M", 1, 10_000)]);
        let request = input(&[("ROBE-M", 1)], &[("ROBE-L", 1)])
            .check(&order, &Limits::default())
            .expect("valid");
        let outcome = request
            .apply(&order, &[line("ROBE-L", "L", 1, 12_000)])
            .expect("applied");
        assert_eq!(outcome.total_before, 11_000);
        assert_eq!(outcome.total_after, 13_000);
        assert!(!outcome.fully_returned);
        let m = outcome
            .lines
            .iter()
            .find(|l| l.sku == "ROBE-M")
            .expect("the M");
        assert_eq!((m.returned, m.restocked), (1, 1));
    }

    #[test]
    fn every_unit_back_makes_the_order_returned() {
        let order = order(vec![line("ROBE-M", "M", 2, 10_000)]);
        let mut body = input(&[("ROBE-M", 1), ("robe-m", 1)], &[]);
        body.restock = Some(false);
        let request = body.check(&order, &Limits::default()).expect("valid");
        let outcome = request.apply(&order, &[]).expect("applied");
        assert!(outcome.fully_returned);
        assert_eq!(outcome.total_after, 1_000);
        assert_eq!(outcome.lines[0].restocked, 0);
    }

    #[test]
    fn a_return_of_what_the_order_does_not_hold_names_its_line() {
        let order = order(vec![line("ROBE-M", "M", 1, 10_000)]);
        let fields = |body: ReturnInput| {
            body.check(&order, &Limits::default())
                .expect_err("refused")
                .0
                .into_iter()
                .map(|e| e.field)
                .collect::<Vec<_>>()
        };
        assert_eq!(fields(input(&[("ROBE-M", 2)], &[])), ["lines[0].quantity"]);
        assert_eq!(fields(input(&[("ROBE-XL", 1)], &[])), ["lines[0].sku"]);
        assert_eq!(fields(input(&[], &[])), ["lines"]);
        assert_eq!(
            fields(input(&[("ROBE-M", 1)], &[("ROBE-L", 0)])),
            ["replacements[0].quantity"]
        );
    }

    #[test]
    fn a_replacement_of_a_line_at_another_price_is_refused() {
        let order = order(vec![line("ROBE-M", "M", 2, 10_000)]);
        let request = input(&[("ROBE-M", 1)], &[("ROBE-M", 1)])
            .check(&order, &Limits::default())
            .expect("valid");
        let same = request
            .apply(&order, &[line("ROBE-M", "M", 1, 10_000)])
            .expect("same price");
        assert_eq!((same.lines[0].quantity, same.lines[0].returned), (3, 1));
        let refused = request
            .apply(&order, &[line("ROBE-M", "M", 1, 8_000)])
            .expect_err("another price");
        assert_eq!(refused.0[0].field, "replacements[0].sku");
    }
}
