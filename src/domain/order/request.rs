//! What a buyer asks for: the order and cart bodies, checked and merged.

use serde::{Deserialize, Serialize};

use crate::domain::email::optional_email;
use crate::domain::invalid::{
    Checker, FieldError, ValidationError, integer_in, optional_text, required_text,
};
use crate::domain::limits::{Limits, SLUG_CHARS_MAX};
use crate::domain::phone::{Country, Phone};
use crate::domain::shop::zone_id;
use crate::domain::sku::Sku;

// The bounds and patterns of these bodies are written into the OpenAPI
// document from `Limits` and the validators' patterns (`http/openapi/`).

/// The body of `POST /api/v1/orders` (and, for `lines`, of the cart check),
/// before validation. Any price or total a client sends is not even read.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct OrderInput {
    #[schema(value_type = CustomerInput, required)]
    pub customer: Option<CustomerInput>,
    pub delivery: Option<DeliveryInput>,
    /// Several lines of text allowed.
    pub notes: Option<String>,
    /// Lines of one sku are merged; the merged quantity is what the per-line
    /// maximum bounds.
    #[schema(value_type = Vec<LineInput>, required)]
    pub lines: Option<Vec<LineInput>>,
    /// The total the buyer was shown, delivery fee included: when the
    /// server's total differs, the order is refused with `price_changed`
    /// and nothing is written.
    #[schema(example = 31500)]
    pub expected_total: Option<i64>,
    /// The slug of the drop whose page the order was placed from: its
    /// prices were the ones shown, so before its start the order is refused
    /// with `drop_not_started` and after its end with `drop_ended`.
    #[schema(example = "noel-2026")]
    pub drop: Option<String>,
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct CustomerInput {
    /// No control characters, not blank.
    #[schema(value_type = String, required, example = "Awa K.")]
    pub name: Option<String>,
    /// `+` or `00` and the number, or a local number that gets the shop's
    /// country code; spaces, dashes, dots and parentheses are ignored. The
    /// pattern is the part of what is accepted that is valid whatever the
    /// shop's country code.
    #[schema(value_type = String, required, example = "+2250700000000")]
    pub phone: Option<String>,
    /// An address a message can be sent to: a name, `@` and a domain
    /// name with a dot (`domain/email.rs`).
    #[schema(example = "awa@example.ci")]
    pub email: Option<String>,
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct DeliveryInput {
    #[schema(example = "Cocody, Abidjan")]
    pub address: Option<String>,
    pub pickup_number: Option<String>,
    /// The id of one of the shop's delivery zones (`GET /api/v1/shop`);
    /// its fee is added to the total. None: no fee.
    #[schema(example = "cocody")]
    pub zone: Option<String>,
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct LineInput {
    /// A catalog sku, in any case; an unknown one is refused.
    #[schema(value_type = String, required, example = "ROBE-ETE-M")]
    pub sku: Option<String>,
    /// From 1 to the per-line maximum, after merging.
    #[schema(value_type = i64, required, example = 1)]
    pub quantity: Option<i64>,
    /// A preorder of a size at 0 whose preorders are open: it takes a
    /// place instead of stock, and ships when a restock comes.
    pub preorder: Option<bool>,
}

/// The body of `POST /api/v1/customer/check`: the customer's fields of an
/// order, each checked when given, so that a page asks the server rather
/// than copy its rules (libphonenumber's metadata among them).
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct CustomerCheckInput {
    #[schema(example = "Awa K.")]
    pub name: Option<String>,
    #[schema(example = "07 00 00 00 00")]
    pub phone: Option<String>,
    #[schema(example = "awa@example.ci")]
    pub email: Option<String>,
}

/// The fields given, as an order would keep them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct CheckedCustomer {
    pub name: Option<String>,
    /// The number in E.164 form, as the shop's country reads it: the
    /// customer the order limit counts.
    #[schema(example = "+2250700000000")]
    pub phone: Option<String>,
    pub email: Option<String>,
}

impl CustomerCheckInput {
    /// Each field given, checked as an order checks it (the phone as the
    /// checkout reads it, for the shop's `country`); fields named as in an
    /// order (`customer.phone`).
    pub fn check(
        &self,
        limits: &Limits,
        country: Country,
    ) -> Result<CheckedCustomer, ValidationError> {
        let mut checker = Checker::default();
        let name = self
            .name
            .as_deref()
            .map(|name| required_text("customer.name", Some(name), limits.customer_name_chars_max))
            .transpose();
        let name = checker.check(name).flatten();
        let phone = self
            .phone
            .as_deref()
            .map(|typed| {
                let typed = required_text("customer.phone", Some(typed), limits.phone_chars_max)?;
                Phone::check_shape(&typed)?;
                Phone::normalise(&typed, country).map(|phone| phone.as_str().to_owned())
            })
            .transpose();
        let phone = checker.check(phone).flatten();
        let email = checker
            .check(email(self.email.as_deref(), limits))
            .flatten();
        checker.finish()?;
        Ok(CheckedCustomer { name, phone, email })
    }
}

/// The body of `POST /api/v1/cart/check`.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct CartInput {
    /// Lines of one sku are merged.
    #[schema(value_type = Vec<LineInput>, required)]
    pub lines: Option<Vec<LineInput>>,
}

/// A checked order request: lines merged by sku and sorted, so that every
/// checkout takes its stock rows in the same order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewOrder {
    pub customer: Customer,
    pub delivery: Delivery,
    pub notes: Option<String>,
    pub lines: Vec<RequestedLine>,
    /// What the buyer was shown; `None`: whatever the server's total is.
    pub expected_total: Option<i64>,
    /// The slug of the drop the order was placed from, if any.
    pub drop: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Customer {
    pub name: String,
    /// As the buyer typed it; shown on the order.
    pub phone: String,
    pub email: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Delivery {
    pub address: Option<String>,
    pub pickup_number: Option<String>,
    /// The delivery zone's id, as the order named it.
    pub zone: Option<String>,
    /// The zone's name when the order was placed.
    pub zone_name: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestedLine {
    pub sku: Sku,
    pub quantity: i64,
    /// Takes a preorder place instead of stock.
    pub preorder: bool,
}

impl OrderInput {
    /// Checks every field. The phone's shape is checked here; it is
    /// normalised with the shop's country code inside the checkout.
    pub fn validate(&self, limits: &Limits) -> Result<NewOrder, ValidationError> {
        let mut checker = Checker::default();
        let customer = self.customer.as_ref();
        let name = checker.check(required_text(
            "customer.name",
            customer.and_then(|c| c.name.as_deref()),
            limits.customer_name_chars_max,
        ));
        let phone = customer.and_then(|c| c.phone.as_deref());
        let phone = checker.check(
            required_text("customer.phone", phone, limits.phone_chars_max)
                .and_then(|typed| Phone::check_shape(&typed).map(|()| typed)),
        );
        let email = checker.check(email(customer.and_then(|c| c.email.as_deref()), limits));
        let delivery = self.delivery.as_ref();
        let address = checker.check(optional_text(
            "delivery.address",
            delivery.and_then(|d| d.address.as_deref()),
            limits.address_chars_max,
            true,
        ));
        let pickup_number = checker.check(optional_text(
            "delivery.pickup_number",
            delivery.and_then(|d| d.pickup_number.as_deref()),
            limits.pickup_number_chars_max,
            false,
        ));
        let zone = delivery
            .and_then(|d| d.zone.as_deref())
            .map(|raw| zone_id("delivery.zone", raw))
            .transpose();
        let zone = checker.check(zone);
        let expected_total = self
            .expected_total
            .map(|total| integer_in("expected_total", total, 0, i64::MAX / 2))
            .transpose();
        let expected_total = checker.check(expected_total);
        let drop = checker.check(drop_slug(self.drop.as_deref()));
        let notes = checker.check(optional_text(
            "notes",
            self.notes.as_deref(),
            limits.notes_chars_max,
            true,
        ));
        // Sorted by sku, so that every checkout takes its stock rows in one order.
        let lines = checker.check(merge_lines(self.lines.as_deref(), limits).map(|mut lines| {
            lines.sort_by(|a, b| a.sku.cmp(&b.sku));
            lines
        }));
        checker.finish()?;
        match (
            name,
            phone,
            email,
            address,
            pickup_number,
            notes,
            lines,
            (zone, expected_total, drop),
        ) {
            (
                Some(name),
                Some(phone),
                Some(email),
                Some(address),
                Some(pickup_number),
                Some(notes),
                Some(lines),
                (Some(zone), Some(expected_total), Some(drop)),
            ) => Ok(NewOrder {
                customer: Customer { name, phone, email },
                delivery: Delivery {
                    address,
                    pickup_number,
                    zone,
                    zone_name: None,
                },
                notes,
                lines,
                expected_total,
                drop,
            }),
            // The checker holds an error for every field that is None.
            _ => Err(ValidationError::one(FieldError::required("lines"))),
        }
    }
}

impl CartInput {
    pub fn validate(&self, limits: &Limits) -> Result<Vec<RequestedLine>, ValidationError> {
        merge_lines(self.lines.as_deref(), limits).map_err(ValidationError::one)
    }
}

/// The drop an order names: a slug's shape; whether the shop has it is
/// the checkout's to say.
fn drop_slug(raw: Option<&str>) -> Result<Option<String>, FieldError> {
    let Some(raw) = raw else { return Ok(None) };
    let slug = raw.trim();
    let shaped = !slug.is_empty()
        && slug.len() <= SLUG_CHARS_MAX
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if shaped {
        Ok(Some(slug.to_owned()))
    } else {
        Err(FieldError::new(
            "drop",
            format!("« {raw} » n'est pas le nom d'une vente de la boutique."),
            format!("`{raw}` is not the name of one of the shop's drops."),
        ))
    }
}

fn email(raw: Option<&str>, limits: &Limits) -> Result<Option<String>, FieldError> {
    optional_email("customer.email", raw, limits.email_chars_max)
}

/// Merges lines that name the same sku and checks each quantity; lines keep
/// the order in which their sku first appears.
pub fn merge_lines(
    lines: Option<&[LineInput]>,
    limits: &Limits,
) -> Result<Vec<RequestedLine>, FieldError> {
    let lines = lines.unwrap_or_default();
    if lines.is_empty() {
        return Err(FieldError::new(
            "lines",
            "La commande ne contient aucun article.",
            "The order has no lines.",
        ));
    }
    if lines.len() > limits.order_lines_max {
        let max = limits.order_lines_max;
        return Err(FieldError::new(
            "lines",
            format!("Une commande contient au plus {max} lignes."),
            format!("An order has at most {max} lines."),
        ));
    }
    merge_lines_of("lines", lines, limits)
}

/// Merges the lines of the list `list` (`lines`, `replacements`), each
/// refusal naming its line (`replacements[1].quantity`).
pub fn merge_lines_of(
    list: &str,
    lines: &[LineInput],
    limits: &Limits,
) -> Result<Vec<RequestedLine>, FieldError> {
    let max = limits.line_quantity_max;
    let mut merged: Vec<RequestedLine> = Vec::with_capacity(lines.len());
    for (i, line) in lines.iter().enumerate() {
        let sku = Sku::parse(
            &format!("{list}[{i}].sku"),
            line.sku.as_deref().unwrap_or(""),
        )?;
        let field = format!("{list}[{i}].quantity");
        let quantity = line.quantity.ok_or_else(|| FieldError::required(&field))?;
        if !(1..=max).contains(&quantity) {
            return Err(FieldError::out_of_range(&field, 1, max));
        }
        let preorder = line.preorder.unwrap_or(false);
        match merged.iter_mut().find(|m| m.sku == sku) {
            Some(existing) if existing.preorder != preorder => {
                return Err(FieldError::new(
                    format!("{list}[{i}].preorder"),
                    format!(
                        "{sku} est à la fois précommandé et acheté : choisissez l'un ou l'autre."
                    ),
                    format!("{sku} is both preordered and bought: choose one."),
                ));
            }
            Some(existing) if existing.quantity + quantity > max => {
                return Err(FieldError::new(
                    field,
                    format!("La quantité totale de {sku} dépasse {max}."),
                    format!("The total quantity of {sku} is more than {max}."),
                ));
            }
            Some(existing) => existing.quantity += quantity,
            None => merged.push(RequestedLine {
                sku,
                quantity,
                preorder,
            }),
        }
    }
    Ok(merged)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(sku: &str, quantity: i64) -> LineInput {
        LineInput {
            sku: Some(sku.into()),
            quantity: Some(quantity),
            preorder: None,
        }
    }

    #[test]
    fn duplicate_skus_are_merged_in_the_order_they_first_appear() {
        let lines = [line("b", 1), line("A", 2), line("B", 3)];
        let merged = merge_lines(Some(&lines), &Limits::default()).expect("valid lines");
        let summary: Vec<_> = merged
            .iter()
            .map(|l| (l.sku.as_str(), l.quantity))
            .collect();
        assert_eq!(summary, [("B", 4), ("A", 2)]);
    }

    #[test]
    fn an_order_takes_its_lines_in_sku_order() {
        let input = OrderInput {
            customer: Some(CustomerInput {
                name: Some("Awa".into()),
                phone: Some("0700000000".into()),
                email: None,
            }),
            lines: Some(vec![line("b", 1), line("A", 2)]),
            ..Default::default()
        };
        let order = input.validate(&Limits::default()).expect("valid");
        let skus: Vec<_> = order.lines.iter().map(|l| l.sku.as_str()).collect();
        assert_eq!(skus, ["A", "B"]);
    }

    #[test]
    fn quantities_must_be_from_one_to_the_maximum_after_merging() {
        let limits = Limits::default();
        assert!(merge_lines(Some(&[line("A", 0)]), &limits).is_err());
        assert!(merge_lines(Some(&[line("A", -1)]), &limits).is_err());
        assert!(merge_lines(Some(&[line("A", 101)]), &limits).is_err());
        assert!(merge_lines(Some(&[line("A", 60), line("A", 41)]), &limits).is_err());
        assert!(merge_lines(Some(&[line("A", 60), line("A", 40)]), &limits).is_ok());
    }

    #[test]
    fn an_order_has_one_line_at_least_and_the_line_limit_at_most() {
        let limits = Limits::default();
        assert!(merge_lines(Some(&[]), &limits).is_err());
        assert!(merge_lines(None, &limits).is_err());
        let many: Vec<_> = (0..51).map(|i| line(&format!("S{i}"), 1)).collect();
        assert!(merge_lines(Some(&many), &limits).is_err());
    }

    #[test]
    fn an_order_needs_a_name_and_a_valid_phone() {
        let input = OrderInput {
            lines: Some(vec![line("A", 1)]),
            ..Default::default()
        };
        let error = input.validate(&Limits::default()).expect_err("no customer");
        let fields: Vec<_> = error.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["customer.name", "customer.phone"]);
    }
}
