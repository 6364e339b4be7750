//! The problem+json body: one struct, serialised as it is sent and described
//! as it is in the OpenAPI document, so the two cannot drift apart.

use serde::Serialize;
use utoipa::ToSchema;

use super::ApiError;
use crate::domain::Lang;
use crate::domain::order::{CheckoutRefusal, PricedLine, ShortLine};
use crate::domain::receiving::StaleLine;

/// An RFC 9457 problem: every error answer of the API
/// (`application/problem+json`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct Problem {
    /// `https://stockroom.dev/problems/<code with dashes>`.
    #[serde(rename = "type")]
    pub kind: String,
    /// In English, fixed per code.
    pub title: String,
    pub status: u16,
    /// The stable machine-readable name: `validation_failed`,
    /// `insufficient_stock`, `order_limit_reached`, `unauthorized`, …
    pub code: String,
    /// For a person, in French or English (`Accept-Language`).
    pub detail: String,
    /// `insufficient_stock`: every short line; `product_unavailable`: every
    /// line not for sale, with `available` 0; `price_changed`: every line's
    /// current price; `stale_stock`: every counted line whose stock moved.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub lines: Option<ProblemLines>,
    /// `validation_failed`: every rejected field.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub errors: Option<Vec<FieldProblem>>,
    /// `order_limit_reached`: the limit of orders per customer;
    /// `drop_limit_reached`: the drop's units per customer.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub limit: Option<i64>,
    /// `drop_not_started`, `drop_ended`: the drop's slug.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub drop: Option<String>,
    /// `drop_not_started`: when the drop opens (RFC 3339, the server's clock).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub starts_at: Option<String>,
    /// `drop_ended`: when the drop closed.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub ends_at: Option<String>,
    /// `price_changed`: the server's total, delivery fee included.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub total: Option<i64>,
    /// `price_changed`: the delivery zone's fee, in `total`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub delivery_fee: Option<i64>,
}

/// The lines a problem names, as its code says.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(untagged)]
pub enum ProblemLines {
    /// `insufficient_stock`, `product_unavailable`: `{"sku", "requested", "available"}`.
    Short(Vec<ShortLine>),
    /// `price_changed`: `{"sku", "unit_price"}`.
    Priced(Vec<PricedLine>),
    /// `stale_stock`: `{"sku", "expected_available", "available"}`, every
    /// counted line whose stock moved since it was counted.
    Stale(Vec<StaleLine>),
}

/// One rejected field of a `validation_failed` problem.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct FieldProblem {
    /// The field as the request named it: `customer.phone`, `lines[2].quantity`.
    pub field: String,
    /// Why, for a person, in the request's language.
    pub detail: String,
}

impl Problem {
    /// The JSON sent. Strings, integers and lists always serialise; the
    /// empty fallback only keeps this free of a panic.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

impl ApiError {
    /// The problem+json document, in `lang`.
    pub fn body(&self, lang: Lang) -> Problem {
        let code = self.code();
        let mut problem = Problem {
            kind: format!("https://stockroom.dev/problems/{}", code.replace('_', "-")),
            title: self.title().to_owned(),
            status: self.status().as_u16(),
            code: code.to_owned(),
            detail: self.detail(lang),
            lines: None,
            errors: None,
            limit: None,
            drop: None,
            starts_at: None,
            ends_at: None,
            total: None,
            delivery_fee: None,
        };
        match self {
            ApiError::Refused(CheckoutRefusal::InsufficientStock(lines)) => {
                problem.lines = Some(ProblemLines::Short(lines.clone()))
            }
            ApiError::StaleStock(lines) => problem.lines = Some(ProblemLines::Stale(lines.clone())),
            ApiError::PriceChanged(change) => {
                problem.lines = Some(ProblemLines::Priced(change.lines.clone()));
                problem.total = Some(change.total);
                problem.delivery_fee = Some(change.delivery_fee);
            }
            ApiError::StockWouldGoNegative {
                sku,
                available,
                delta,
            } => {
                problem.lines = Some(ProblemLines::Short(vec![ShortLine {
                    sku: sku.clone(),
                    title: String::new(),
                    size: String::new(),
                    color: None,
                    requested: -delta,
                    available: *available,
                }]));
            }
            ApiError::ProductUnavailable(lines) => {
                // As a short line with nothing left: a cart that adjusts to
                // short lines takes these out.
                let none_left = lines.iter().map(|l| ShortLine {
                    sku: l.sku.clone(),
                    title: l.title.clone(),
                    size: l.size.clone(),
                    color: l.color.clone(),
                    requested: l.requested,
                    available: 0,
                });
                problem.lines = Some(ProblemLines::Short(none_left.collect()));
            }
            ApiError::Validation(e) => {
                let fields = e.0.iter().map(|f| FieldProblem {
                    field: f.field.clone(),
                    detail: f.message(lang).to_owned(),
                });
                problem.errors = Some(fields.collect());
            }
            ApiError::Refused(CheckoutRefusal::OrderLimitReached { limit })
            | ApiError::Refused(CheckoutRefusal::DropLimitReached { limit, .. }) => {
                problem.limit = Some(*limit)
            }
            ApiError::DropNotStarted(drop) => {
                problem.drop = Some(drop.slug.clone());
                problem.starts_at = Some(drop.starts_at.clone());
            }
            ApiError::DropEnded(drop) => {
                problem.drop = Some(drop.slug.clone());
                problem.ends_at = Some(drop.ends_at.clone());
            }
            _ => {}
        }
        problem
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::domain::{FieldError, ValidationError};

    fn sent(error: ApiError) -> Value {
        serde_json::from_str(&error.body(Lang::En).to_json()).expect("JSON")
    }

    #[test]
    fn a_problem_without_lines_errors_or_limit_has_none_of_these_fields() {
        let body = sent(ApiError::PreconditionFailed);
        let mut fields: Vec<_> = body.as_object().expect("an object").keys().collect();
        fields.sort();
        assert_eq!(fields, ["code", "detail", "status", "title", "type"]);
        assert_eq!(
            body["type"],
            "https://stockroom.dev/problems/precondition-failed"
        );
        assert_eq!(body["status"], 412);
    }

    #[test]
    fn a_stock_that_would_go_negative_names_its_line_like_a_short_checkout() {
        let body = sent(ApiError::StockWouldGoNegative {
            sku: "ROBE-ETE-M".into(),
            available: 2,
            delta: -5,
        });
        assert_eq!(
            body["lines"],
            json!([{"sku": "ROBE-ETE-M", "requested": 5, "available": 2}])
        );
    }

    #[test]
    fn a_validation_problem_lists_every_field_in_the_request_language() {
        let error = ValidationError(vec![
            FieldError::required("customer.name"),
            FieldError::too_long("notes", 10),
        ]);
        let body = sent(ApiError::Validation(error));
        assert_eq!(body["errors"][0]["field"], "customer.name");
        assert_eq!(
            body["errors"][1]["detail"],
            "The field `notes` is longer than 10 characters."
        );
        assert!(body.get("lines").is_none() && body.get("limit").is_none());
    }

    #[test]
    fn a_stale_count_names_every_stale_line_with_both_figures() {
        let body = sent(ApiError::StaleStock(vec![StaleLine {
            sku: "ROBE-ETE-M".into(),
            expected_available: 5,
            available: 3,
        }]));
        assert_eq!(body["status"], 409);
        assert_eq!(body["code"], "stale_stock");
        assert_eq!(
            body["lines"],
            json!([{"sku": "ROBE-ETE-M", "expected_available": 5, "available": 3}])
        );
    }

    #[test]
    fn an_order_limit_problem_gives_the_limit() {
        assert_eq!(
            sent(ApiError::Refused(CheckoutRefusal::OrderLimitReached {
                limit: 2
            }))["limit"],
            2
        );
    }
}
