//! The shop's settings: per-customer order limit, low-stock threshold, audit reference date.

use serde::{Deserialize, Deserializer, Serialize};

use super::invalid::{Checker, FieldError, ValidationError, integer_in};
use super::phone::is_country_code;
use super::time;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Settings {
    /// Orders one customer (by normalised phone) may place since the reference
    /// date, cancelled ones not counted; `None` means no limit.
    pub order_limit_per_customer: Option<i64>,
    /// A variant is low when its stock is at most this percent of its
    /// initial plus restocked units.
    pub low_stock_percent: i64,
    /// The audit and the order limit count from this instant.
    pub reference_date: String,
    /// Given to phone numbers written without `+` or `00`.
    pub default_country_code: String,
}

/// The body of `PUT /api/v1/admin/settings`: the fields given are merged.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct SettingsPatch {
    /// `null`: no limit.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<i64>)]
    pub order_limit_per_customer: Option<Option<i64>>,
    pub low_stock_percent: Option<i64>,
    /// An RFC 3339 time or a date (midnight UTC), not in the future.
    #[schema(example = "2026-11-28T09:30:00Z")]
    pub reference_date: Option<String>,
    #[schema(example = "+225")]
    pub default_country_code: Option<String>,
}

fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<i64>>, D::Error> {
    Option::<i64>::deserialize(d).map(Some)
}

/// The largest per-customer limit; a bigger one is no limit at all.
pub const ORDER_LIMIT_MAX: i64 = 1_000_000;

/// `low_stock_percent` is a percentage: 0 to 100.
pub const LOW_STOCK_PERCENT_MAX: i64 = 100;

impl SettingsPatch {
    pub fn apply_to(&self, current: &Settings) -> Result<Settings, ValidationError> {
        let mut checker = Checker::default();
        let mut next = current.clone();
        if let Some(limit) = self.order_limit_per_customer {
            let limit = limit
                .map(|l| integer_in("order_limit_per_customer", l, 1, ORDER_LIMIT_MAX))
                .transpose();
            next.order_limit_per_customer = checker.check(limit).flatten();
        }
        if let Some(percent) = self.low_stock_percent {
            next.low_stock_percent = checker
                .check(integer_in(
                    "low_stock_percent",
                    percent,
                    0,
                    LOW_STOCK_PERCENT_MAX,
                ))
                .unwrap_or_default();
        }
        if let Some(raw) = &self.reference_date {
            let at = time::parse("reference_date", raw).and_then(|at| {
                if at > chrono::Utc::now() + chrono::Duration::minutes(1) {
                    Err(FieldError::new(
                        "reference_date",
                        "La date de référence ne peut pas être dans le futur.",
                        "The reference date cannot be in the future.",
                    ))
                } else {
                    Ok(time::format(at))
                }
            });
            next.reference_date = checker.check(at).unwrap_or_default();
        }
        if let Some(code) = &self.default_country_code {
            if is_country_code(code.trim()) {
                next.default_country_code = code.trim().to_owned();
            } else {
                checker.push(FieldError::new(
                    "default_country_code",
                    "L'indicatif doit être « + » suivi de 1 à 4 chiffres (par exemple +225).",
                    "The country code must be `+` and 1 to 4 digits (for example +225).",
                ));
            }
        }
        checker.finish()?;
        Ok(next)
    }
}
