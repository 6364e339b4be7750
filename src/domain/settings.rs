//! The shop's settings: per-customer order limit, low-stock threshold, audit
//! reference date, the country whose numbering plan reads phones.

use serde::{Deserialize, Deserializer, Serialize};

use super::invalid::{Checker, FieldError, ValidationError, integer_in};
use super::limits::STOCK_LEVEL_MAX;
use super::phone::Country;
use super::stock::LowStockRule;
use super::time;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Settings {
    /// Orders one customer (by normalised phone) may place since the reference
    /// date, cancelled ones not counted; `None` means no limit.
    pub order_limit_per_customer: Option<i64>,
    /// A variant without a threshold of its own is low at or below this
    /// many units; `null`: by `low_stock_percent` instead.
    pub low_stock_units: Option<i64>,
    /// With no threshold in units, a variant is low when its stock is at
    /// most this percent of its initial plus restocked units.
    pub low_stock_percent: i64,
    /// The audit and the order limit count from this instant.
    pub reference_date: String,
    /// The shop's country (ISO 3166 code, `CI` by default): libphonenumber
    /// reads a phone written without `+` or an international prefix as a
    /// number of this country. Côte d'Ivoire's numbers have 10 digits since
    /// 2021; a number of the older 8-digit plan is refused, never guessed.
    #[schema(value_type = String, example = "CI")]
    pub default_country: Country,
    /// The calling code of `default_country` (`+225`), for clients written
    /// before it: always derived from it, never set apart.
    pub default_country_code: String,
    /// Whether an order must give `delivery.pickup_number` (the number the
    /// shop's delivery service gives a parcel); the storefront then asks
    /// for it. Off by default.
    pub pickup_number_required: bool,
}

impl Settings {
    /// The shop's one rule of low stock.
    pub fn low_stock_rule(&self) -> LowStockRule {
        LowStockRule {
            units: self.low_stock_units,
            percent: self.low_stock_percent,
        }
    }

    /// `default_country` and the calling code it has.
    pub fn set_country(&mut self, country: Country) {
        self.default_country = country;
        self.default_country_code = country.calling_code();
    }

    /// The shop's country as a database holds it: the one stored, or, until
    /// the first start after migration V4 stores it, the country the older
    /// calling code names (Côte d'Ivoire if it names none). `None` when the
    /// stored code names no country.
    pub fn stored_country(stored: Option<&str>, calling_code: &str) -> Option<Country> {
        match stored {
            Some(stored) => Country::parse(stored).ok(),
            None => Some(Country::of_calling_code(calling_code).unwrap_or_default()),
        }
    }
}

/// The body of `PUT /api/v1/admin/settings`: the fields given are merged.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct SettingsPatch {
    /// `null`: no limit.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<i64>)]
    pub order_limit_per_customer: Option<Option<i64>>,
    /// `null`: low stock by `low_stock_percent`.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<i64>)]
    pub low_stock_units: Option<Option<i64>>,
    pub low_stock_percent: Option<i64>,
    /// An RFC 3339 time or a date (midnight UTC), not in the future.
    #[schema(example = "2026-11-28T09:30:00Z")]
    pub reference_date: Option<String>,
    /// An ISO 3166 code of a country libphonenumber knows, in either case.
    #[schema(example = "CI")]
    pub default_country: Option<String>,
    /// The older setting: a calling code, read as the country it names
    /// (its main country where several share it: `+1` is the United States).
    #[schema(example = "+225")]
    pub default_country_code: Option<String>,
    /// `true`: every order must give its pickup number.
    pub pickup_number_required: Option<bool>,
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
        if let Some(units) = self.low_stock_units {
            let units = units
                .map(|u| integer_in("low_stock_units", u, 0, STOCK_LEVEL_MAX))
                .transpose();
            next.low_stock_units = checker.check(units).flatten();
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
        if let Some(country) = checker.check(self.country()).flatten() {
            next.set_country(country);
        }
        if let Some(required) = self.pickup_number_required {
            next.pickup_number_required = required;
        }
        checker.finish()?;
        Ok(next)
    }

    /// The country the patch names, by `default_country` or by the older
    /// `default_country_code`; given both, they must name one country.
    fn country(&self) -> Result<Option<Country>, FieldError> {
        let by_code = self
            .default_country_code
            .as_deref()
            .map(Country::of_calling_code);
        match (self.default_country.as_deref().map(Country::parse), by_code) {
            (Some(country), None) => country.map(Some),
            (None, by_code) => by_code.transpose(),
            (Some(country), Some(by_code)) => {
                let country = country?;
                let code = self
                    .default_country_code
                    .as_deref()
                    .unwrap_or_default()
                    .trim();
                if by_code.is_ok() && country.calling_code() == code {
                    Ok(Some(country))
                } else {
                    Err(FieldError::new(
                        "default_country_code",
                        format!(
                            "L'indicatif {code} n'est pas celui du pays {}.",
                            country.code()
                        ),
                        format!("The calling code {code} is not that of {}.", country.code()),
                    ))
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_country_not_stored_yet_is_the_one_the_older_calling_code_names() {
        let country =
            |stored, code| Settings::stored_country(stored, code).map(|c| c.code().to_owned());
        assert_eq!(country(Some("FR"), "+225").as_deref(), Some("FR"));
        assert_eq!(country(None, "+33").as_deref(), Some("FR"));
        assert_eq!(country(None, "+999").as_deref(), Some("CI"));
        assert_eq!(country(Some("ZZ"), "+225"), None);
    }

    fn current() -> Settings {
        Settings {
            order_limit_per_customer: Some(2),
            low_stock_units: Some(2),
            low_stock_percent: 20,
            reference_date: "1970-01-01T00:00:00.000000Z".into(),
            default_country: Country::DEFAULT,
            default_country_code: "+225".into(),
            pickup_number_required: false,
        }
    }

    fn patched(patch: serde_json::Value) -> Result<Settings, ValidationError> {
        let patch: SettingsPatch = serde_json::from_value(patch).expect("a patch");
        patch.apply_to(&current())
    }

    fn refused_field(patch: serde_json::Value) -> String {
        let refused = patched(patch).expect_err("refused");
        refused.0[0].field.clone()
    }

    #[test]
    fn the_pickup_number_is_required_only_when_the_owner_says_so() {
        assert!(!current().pickup_number_required);
        let next = patched(serde_json::json!({"pickup_number_required": true})).expect("saved");
        assert!(next.pickup_number_required);
        let kept = patched(serde_json::json!({"low_stock_percent": 10})).expect("saved");
        assert!(!kept.pickup_number_required, "a patch without it keeps it");
    }

    #[test]
    fn a_country_brings_its_calling_code() {
        let next = patched(serde_json::json!({"default_country": "fr"})).expect("saved");
        assert_eq!(next.default_country.code(), "FR");
        assert_eq!(next.default_country_code, "+33");
    }

    #[test]
    fn the_older_country_code_is_read_as_the_country_it_names() {
        let next = patched(serde_json::json!({"default_country_code": "+221"})).expect("saved");
        assert_eq!(next.default_country.code(), "SN");
        let both = serde_json::json!({"default_country": "CA", "default_country_code": "+1"});
        assert_eq!(patched(both).expect("saved").default_country.code(), "CA");
    }

    #[test]
    fn an_unknown_country_or_code_or_two_that_disagree_are_refused_by_name() {
        let unknown = serde_json::json!({"default_country": "XX"});
        assert_eq!(refused_field(unknown), "default_country");
        let unknown_code = serde_json::json!({"default_country_code": "+999"});
        assert_eq!(refused_field(unknown_code), "default_country_code");
        let apart = serde_json::json!({"default_country": "FR", "default_country_code": "+225"});
        assert_eq!(refused_field(apart), "default_country_code");
    }
}
