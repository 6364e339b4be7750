//! Preorders of a variant: whether a buyer may order it at 0 and wait, how
//! many units may wait at once (`cap`), and the date the shop promises to
//! ship by. The settings as stored, an admin's change of them checked
//! against the shop's day, and what the back office and the storefront see.

use chrono::{NaiveDate, TimeDelta};
use serde::{Deserialize, Serialize};

use super::patch::present;
use crate::domain::invalid::{Checker, FieldError, ValidationError, integer_in};

/// The most units of one variant that may wait for stock at once.
pub const PREORDER_CAP_MAX: i64 = 10_000;

/// How far ahead a ships-by date may be, in days from the shop's today.
pub const PREORDER_SHIPS_BY_DAYS_MAX: i64 = 366;

/// A variant's preorder settings, as stored.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PreorderSettings {
    pub enabled: bool,
    pub cap: i64,
    /// `YYYY-MM-DD`.
    pub ships_by: Option<String>,
}

/// A variant's preorders as the API shows them. The back office sees them
/// always, with `waiting`; the storefront only when they are enabled, and
/// only the places left (`waiting` is the shop's business).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct VariantPreorder {
    /// Whether a buyer may order the variant at 0 units and wait.
    pub enabled: bool,
    /// The most units that may wait for stock at once.
    pub cap: i64,
    /// The date the shop promises to ship a preorder by, `YYYY-MM-DD`.
    #[schema(example = "2026-12-24")]
    pub ships_by: Option<String>,
    /// Units of preorder lines waiting for stock (the places taken); back office only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waiting: Option<i64>,
    /// Places a new preorder may still take: `cap` − `waiting`, never below 0.
    pub places_left: i64,
}

impl VariantPreorder {
    /// What the back office sees of `settings` with `waiting` units waiting.
    pub fn new(settings: PreorderSettings, waiting: i64) -> VariantPreorder {
        VariantPreorder {
            enabled: settings.enabled,
            cap: settings.cap,
            places_left: (settings.cap - waiting).max(0),
            ships_by: settings.ships_by,
            waiting: Some(waiting),
        }
    }

    /// What buyers see: nothing when preorders are off, and never `waiting`.
    pub fn for_buyers(self) -> Option<VariantPreorder> {
        self.enabled.then_some(VariantPreorder {
            waiting: None,
            ..self
        })
    }
}

/// The `preorder` object of `PATCH /api/v1/admin/variants/{sku}`: only the
/// fields given change.
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PreorderPatch {
    /// `true` needs a `ships_by` (given here or already set).
    pub enabled: Option<bool>,
    /// 0 to 10,000 units waiting at once. Lowering it below the units
    /// already waiting takes no place back: those orders keep theirs.
    #[schema(example = 20)]
    pub cap: Option<i64>,
    /// `YYYY-MM-DD`, from the shop's today to a year ahead; `null` clears
    /// it (only while preorders are off).
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, example = "2026-12-24")]
    pub ships_by: Option<Option<String>>,
}

impl PreorderPatch {
    /// The fields that can be judged without the current settings: the
    /// cap and the ships-by date (`apply_to` judges the rest).
    pub fn check_fields(&self, checker: &mut Checker, today: NaiveDate) {
        if let Some(cap) = self.cap {
            checker.check(integer_in("preorder.cap", cap, 0, PREORDER_CAP_MAX));
        }
        if let Some(Some(raw)) = &self.ships_by {
            checker.check(ships_by_date(raw, today));
        }
    }

    /// The settings after this patch, on a shop whose today is `today`.
    /// Refused, naming each field under `preorder.`: a cap out of range, a
    /// ships-by date that is not a date, in the past or too far ahead, and
    /// preorders enabled without a ships-by date, or whose date has passed.
    pub fn apply_to(
        &self,
        current: &PreorderSettings,
        today: NaiveDate,
    ) -> Result<PreorderSettings, ValidationError> {
        let mut checker = Checker::default();
        let mut next = current.clone();
        if let Some(cap) = self.cap {
            next.cap = checker
                .check(integer_in("preorder.cap", cap, 0, PREORDER_CAP_MAX))
                .unwrap_or(current.cap);
        }
        let mut date_valid = true;
        if let Some(ships_by) = &self.ships_by {
            let checked = ships_by
                .as_deref()
                .map(|raw| ships_by_date(raw, today))
                .transpose();
            date_valid = checked.is_ok();
            next.ships_by = checker.check(checked).flatten();
        }
        if let Some(enabled) = self.enabled {
            next.enabled = enabled;
        }
        if next.enabled && date_valid {
            checker.check(ships_by_for_enabled(next.ships_by.as_deref(), today));
        }
        checker.finish()?;
        Ok(next)
    }
}

/// A ships-by date as given: `YYYY-MM-DD`, not before `today`, at most
/// `PREORDER_SHIPS_BY_DAYS_MAX` days after it.
fn ships_by_date(raw: &str, today: NaiveDate) -> Result<String, FieldError> {
    let field = "preorder.ships_by";
    let date = (raw.len() == 10)
        .then(|| NaiveDate::parse_from_str(raw, "%Y-%m-%d").ok())
        .flatten()
        .ok_or_else(|| {
            FieldError::new(
                field,
                format!(
                    "« {raw} » n'est pas une date au format AAAA-MM-JJ (exemple : 2026-12-24)."
                ),
                format!("`{raw}` is not a date as YYYY-MM-DD (for example 2026-12-24)."),
            )
        })?;
    if date < today {
        return Err(FieldError::new(
            field,
            format!(
                "La date de livraison promise ({raw}) est passée : choisissez aujourd'hui ({today}) ou plus tard."
            ),
            format!("The ships-by date ({raw}) is in the past: choose today ({today}) or later."),
        ));
    }
    let last = today + TimeDelta::days(PREORDER_SHIPS_BY_DAYS_MAX);
    if date > last {
        return Err(FieldError::new(
            field,
            format!(
                "La date de livraison promise ({raw}) est à plus de {PREORDER_SHIPS_BY_DAYS_MAX} jours : choisissez le {last} au plus tard."
            ),
            format!(
                "The ships-by date ({raw}) is more than {PREORDER_SHIPS_BY_DAYS_MAX} days ahead: choose {last} at the latest."
            ),
        ));
    }
    Ok(date.format("%Y-%m-%d").to_string())
}

/// Enabled preorders promise a date, and not one already past: a buyer is
/// told "livraison avant le …".
fn ships_by_for_enabled(ships_by: Option<&str>, today: NaiveDate) -> Result<(), FieldError> {
    match ships_by {
        None => Err(FieldError::new(
            "preorder.ships_by",
            "Pour ouvrir les précommandes, indiquez la date de livraison promise (AAAA-MM-JJ).",
            "Preorders need the date the shop promises to ship by (YYYY-MM-DD) to be enabled.",
        )),
        Some(raw) => ships_by_date(raw, today).map(|_| ()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 7).expect("a date")
    }

    fn patch(
        enabled: Option<bool>,
        cap: Option<i64>,
        ships_by: Option<Option<&str>>,
    ) -> PreorderPatch {
        PreorderPatch {
            enabled,
            cap,
            ships_by: ships_by.map(|d| d.map(str::to_owned)),
        }
    }

    fn fields(error: ValidationError) -> Vec<String> {
        error.0.into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn enabling_with_a_cap_and_a_date_from_today_on_is_taken() {
        let next = patch(Some(true), Some(20), Some(Some("2026-12-24")))
            .apply_to(&PreorderSettings::default(), today())
            .expect("valid");
        assert_eq!(
            next,
            PreorderSettings {
                enabled: true,
                cap: 20,
                ships_by: Some("2026-12-24".into())
            }
        );
        let on_the_day = patch(Some(true), None, Some(Some("2026-12-07")));
        assert!(on_the_day.apply_to(&next, today()).is_ok());
    }

    #[test]
    fn a_negative_or_huge_cap_a_past_or_malformed_date_are_refused_by_name() {
        let current = PreorderSettings::default();
        let refused =
            |p: PreorderPatch| fields(p.apply_to(&current, today()).expect_err("refused"));
        assert_eq!(refused(patch(None, Some(-1), None)), ["preorder.cap"]);
        assert_eq!(refused(patch(None, Some(10_001), None)), ["preorder.cap"]);
        for bad in [
            "2026-12-06",
            "24/12/2026",
            "2026-2-1",
            "2026-13-01",
            "demain",
            "2028-01-01",
        ] {
            assert_eq!(
                refused(patch(None, None, Some(Some(bad)))),
                ["preorder.ships_by"],
                "{bad}"
            );
        }
    }

    #[test]
    fn enabled_preorders_need_a_date_that_has_not_passed() {
        let refused = patch(Some(true), Some(5), None)
            .apply_to(&PreorderSettings::default(), today())
            .expect_err("no date");
        assert_eq!(fields(refused), ["preorder.ships_by"]);
        let passed = PreorderSettings {
            enabled: true,
            cap: 5,
            ships_by: Some("2026-11-30".into()),
        };
        let cap_only = patch(None, Some(8), None).apply_to(&passed, today());
        assert_eq!(
            fields(cap_only.expect_err("date passed")),
            ["preorder.ships_by"]
        );
        let off = patch(Some(false), None, None).apply_to(&passed, today());
        assert!(!off.expect("turned off").enabled);
        let cleared = patch(Some(true), None, Some(None)).apply_to(&passed, today());
        assert_eq!(fields(cleared.expect_err("cleared")), ["preorder.ships_by"]);
    }

    #[test]
    fn places_left_never_go_below_zero_and_buyers_see_no_waiting_count() {
        let settings = PreorderSettings {
            enabled: true,
            cap: 3,
            ships_by: Some("2026-12-24".into()),
        };
        let over = VariantPreorder::new(settings.clone(), 5);
        assert_eq!((over.places_left, over.waiting), (0, Some(5)));
        let public = VariantPreorder::new(settings, 1)
            .for_buyers()
            .expect("enabled");
        assert_eq!((public.places_left, public.waiting), (2, None));
        let off = VariantPreorder::new(PreorderSettings::default(), 0);
        assert_eq!(off.for_buyers(), None);
    }
}
