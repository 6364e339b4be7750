//! The owner's request that schedules a drop or edits one before it
//! starts, checked field by field; what the store checks against the
//! database (skus known, units within stock, no overlapping drop) is the
//! store's.

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Deserializer};

use super::{
    DROP_LINES_MAX, DROP_NAME_CHARS_MAX, DROP_PERCENT_OFF_MAX, DROP_PERCENT_OFF_MIN,
    DROP_UNITS_PER_CUSTOMER_MAX, DROP_WINDOW_DAYS_MAX, DropView,
};
use crate::domain::invalid::{Checker, FieldError, ValidationError, integer_in, required_text};
use crate::domain::limits::{PRICE_MAX, STOCK_LEVEL_MAX};
use crate::domain::product::parse_slug;
use crate::domain::sku::Sku;
use crate::domain::time;

/// The body of `POST /api/v1/admin/drops`, before validation.
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct DropInput {
    #[schema(value_type = String, required, example = "Capsule de Noël")]
    pub name: Option<String>,
    /// The drop page's address, `/drop/{slug}`: lower-case letters, digits
    /// and single dashes.
    #[schema(value_type = String, required, example = "capsule-noel")]
    pub slug: Option<String>,
    /// RFC 3339 with a time of day; kept to the microsecond.
    #[schema(value_type = String, required, example = "2026-12-24T18:00:00.000Z")]
    pub starts_at: Option<String>,
    /// After `starts_at`, at most 90 days after it, and not already past.
    #[schema(value_type = String, required, example = "2026-12-24T20:00:00.000Z")]
    pub ends_at: Option<String>,
    /// Before the start, its products are not public (their pages 404,
    /// lists omit them) and cannot be ordered. Default `false`.
    #[schema(example = true)]
    pub hidden_until_start: Option<bool>,
    /// Units one customer (normalised phone) may buy over the drop's
    /// lines; `null` for no cap.
    #[schema(example = 2)]
    pub max_units_per_customer: Option<i64>,
    #[schema(value_type = Vec<DropLineInput>, required)]
    pub lines: Option<Vec<DropLineInput>>,
}

/// One line of a drop: a sku, the units offered and its price.
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct DropLineInput {
    /// A catalog sku, in any case; once per drop.
    #[schema(value_type = String, required, example = "ROBE-ETE-M")]
    pub sku: Option<String>,
    /// Units offered, at most the variant's stock when the drop is saved.
    #[schema(value_type = i64, required, example = 50)]
    pub units: Option<i64>,
    /// The drop's price in minor units (≥ 1); `null` or absent with no
    /// `percent_off` keeps the product's price.
    #[schema(example = 12000)]
    pub price: Option<i64>,
    /// The product's price less this percentage (1 to 90), rounded to
    /// the nearest minor unit (halves up). Not with `price`.
    #[schema(example = json!(null))]
    pub percent_off: Option<i64>,
}

/// The body of `PATCH /api/v1/admin/drops/{id}`, before the drop starts:
/// the fields given change; `lines`, when given, replaces every line.
/// Read-only fields (`id`, `status`, a line's `remaining`…) are ignored.
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct DropPatch {
    pub name: Option<String>,
    pub slug: Option<String>,
    pub starts_at: Option<String>,
    pub ends_at: Option<String>,
    pub hidden_until_start: Option<bool>,
    /// `null` removes the cap.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<i64>)]
    pub max_units_per_customer: Option<Option<i64>>,
    pub lines: Option<Vec<DropLineInput>>,
}

/// Tells `"field": null` (clear it) from a missing field (keep it).
fn present<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// A drop request, checked. Times are written as the store keeps them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewDrop {
    pub name: String,
    pub slug: String,
    pub starts_at: String,
    pub ends_at: String,
    pub hidden_until_start: bool,
    pub max_units_per_customer: Option<i64>,
    pub lines: Vec<NewDropLine>,
}

/// One line of a checked drop, with its place in the request (so that a
/// refusal found in the store names `lines[i]`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewDropLine {
    pub index: usize,
    pub sku: Sku,
    pub units: i64,
    pub price: Option<i64>,
    pub percent_off: Option<i64>,
}

impl DropInput {
    /// Checks every field and every line at `now`, naming each mistake.
    pub fn validate(&self, now: DateTime<Utc>) -> Result<NewDrop, ValidationError> {
        let mut checker = Checker::default();
        let name = checker.check(required_text(
            "name",
            self.name.as_deref(),
            DROP_NAME_CHARS_MAX,
        ));
        let slug = checker.check(parse_slug(self.slug.as_deref().unwrap_or("")));
        let starts_at = checker.check(instant("starts_at", self.starts_at.as_deref()));
        let ends_at = checker.check(instant("ends_at", self.ends_at.as_deref()));
        if let (Some(starts_at), Some(ends_at)) = (starts_at, ends_at)
            && let Err(error) = window(starts_at, ends_at, now)
        {
            checker.push(error);
        }
        let cap = self
            .max_units_per_customer
            .map(|cap| {
                checker.check(integer_in(
                    "max_units_per_customer",
                    cap,
                    1,
                    DROP_UNITS_PER_CUSTOMER_MAX,
                ))
            })
            .unwrap_or(Some(0));
        let lines = drop_lines(&mut checker, self.lines.as_deref());
        checker.finish()?;
        match (name, slug, starts_at, ends_at, cap) {
            (Some(name), Some(slug), Some(starts_at), Some(ends_at), Some(_)) => Ok(NewDrop {
                name,
                slug,
                starts_at: time::format(starts_at),
                ends_at: time::format(ends_at),
                hidden_until_start: self.hidden_until_start.unwrap_or(false),
                max_units_per_customer: self.max_units_per_customer,
                lines,
            }),
            // The checker holds an error for every field that is None.
            _ => Err(ValidationError::one(FieldError::required("name"))),
        }
    }
}

impl DropPatch {
    /// The drop `current` with this patch applied, all checked again at `now`.
    pub fn apply_to(
        &self,
        current: &DropView,
        now: DateTime<Utc>,
    ) -> Result<NewDrop, ValidationError> {
        let keep_lines = || current.lines.iter().map(DropLineInput::from).collect();
        let input = DropInput {
            name: Some(self.name.clone().unwrap_or_else(|| current.name.clone())),
            slug: Some(self.slug.clone().unwrap_or_else(|| current.slug.clone())),
            starts_at: Some(
                self.starts_at
                    .clone()
                    .unwrap_or_else(|| current.starts_at.clone()),
            ),
            ends_at: Some(
                self.ends_at
                    .clone()
                    .unwrap_or_else(|| current.ends_at.clone()),
            ),
            hidden_until_start: Some(
                self.hidden_until_start
                    .unwrap_or(current.hidden_until_start),
            ),
            max_units_per_customer: self
                .max_units_per_customer
                .unwrap_or(current.max_units_per_customer),
            lines: Some(self.lines.clone().unwrap_or_else(keep_lines)),
        };
        input.validate(now)
    }
}

impl From<&super::DropLine> for DropLineInput {
    fn from(line: &super::DropLine) -> Self {
        DropLineInput {
            sku: Some(line.sku.clone()),
            units: Some(line.units),
            price: line.price,
            percent_off: line.percent_off,
        }
    }
}

/// An RFC 3339 time with its time of day: a drop opens at a second, not
/// on a day.
fn instant(field: &str, raw: Option<&str>) -> Result<DateTime<Utc>, FieldError> {
    let raw = raw.map(str::trim).filter(|r| !r.is_empty());
    let raw = raw.ok_or_else(|| FieldError::required(field))?;
    if !raw.contains(['T', 't', ' ']) {
        return Err(FieldError::new(
            field,
            format!(
                "« {raw} » n'a pas d'heure : donnez la date et l'heure (exemple : 2026-12-24T18:00:00.000Z)."
            ),
            format!(
                "`{raw}` has no time of day: give the date and the time (for example 2026-12-24T18:00:00.000Z)."
            ),
        ));
    }
    time::parse(field, raw)
}

/// A window that ends after it starts, within the longest, and not over
/// at `now`.
fn window(
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), FieldError> {
    if ends_at <= starts_at {
        return Err(FieldError::new(
            "ends_at",
            "La fin de la vente flash (ends_at) doit venir après son début (starts_at).",
            "The drop's end (ends_at) must come after its start (starts_at).",
        ));
    }
    if ends_at - starts_at > TimeDelta::days(DROP_WINDOW_DAYS_MAX) {
        return Err(FieldError::new(
            "ends_at",
            format!(
                "Une vente flash dure au plus {DROP_WINDOW_DAYS_MAX} jours : rapprochez sa fin (ends_at) de son début."
            ),
            format!(
                "A drop lasts at most {DROP_WINDOW_DAYS_MAX} days: bring its end (ends_at) closer to its start."
            ),
        ));
    }
    if ends_at <= now {
        return Err(FieldError::new(
            "ends_at",
            format!(
                "Cette période est déjà passée : la fin (ends_at) est avant maintenant ({}).",
                time::format(now)
            ),
            format!(
                "This window is already over: its end (ends_at) is before now ({}).",
                time::format(now)
            ),
        ));
    }
    Ok(())
}

/// The lines of a drop, each sku once; every mistake goes to `checker`.
fn drop_lines(checker: &mut Checker, lines: Option<&[DropLineInput]>) -> Vec<NewDropLine> {
    let lines = lines.unwrap_or_default();
    if lines.is_empty() {
        checker.push(FieldError::new(
            "lines",
            "La vente flash ne contient aucun article : ajoutez au moins une ligne.",
            "The drop has no articles: add at least one line.",
        ));
        return Vec::new();
    }
    if lines.len() > DROP_LINES_MAX {
        checker.push(FieldError::new(
            "lines",
            format!(
                "{} lignes : une vente flash compte au plus {DROP_LINES_MAX} lignes.",
                lines.len()
            ),
            format!(
                "{} lines: a drop holds at most {DROP_LINES_MAX} lines.",
                lines.len()
            ),
        ));
        return Vec::new();
    }
    let mut checked: Vec<NewDropLine> = Vec::with_capacity(lines.len());
    // Every sku read so far with its line, kept or not, so that a sku
    // twice is named even when its first line is refused for its units.
    let mut seen: Vec<(Sku, usize)> = Vec::with_capacity(lines.len());
    for (i, line) in lines.iter().enumerate() {
        if let Some(line) = drop_line(checker, i, line, &mut seen) {
            checked.push(line);
        }
    }
    checked
}

/// The line `lines[index]`, or `None` with its mistakes in `checker`;
/// its sku joins `seen`.
fn drop_line(
    checker: &mut Checker,
    index: usize,
    line: &DropLineInput,
    seen: &mut Vec<(Sku, usize)>,
) -> Option<NewDropLine> {
    let field = |name: &str| format!("lines[{index}].{name}");
    let sku = checker.check(Sku::parse(&field("sku"), line.sku.as_deref().unwrap_or("")));
    let first = sku
        .as_ref()
        .and_then(|sku| seen.iter().find(|(s, _)| s == sku))
        .map(|(_, first)| *first);
    match (&sku, first) {
        (Some(sku), Some(first)) => checker.push(FieldError::new(
            field("sku"),
            format!(
                "L'article {sku} figure déjà dans cette vente flash (lines[{first}]) : une ligne par article."
            ),
            format!("The article {sku} is already in this drop (lines[{first}]): one line per article."),
        )),
        (Some(sku), None) => seen.push((sku.clone(), index)),
        _ => {}
    }
    let units = checker.check(
        line.units
            .ok_or_else(|| FieldError::required(&field("units")))
            .and_then(|u| integer_in(&field("units"), u, 1, STOCK_LEVEL_MAX)),
    );
    let price = match line.price {
        None => Some(None),
        Some(p) => checker
            .check(integer_in(&field("price"), p, 1, PRICE_MAX))
            .map(Some),
    };
    let percent_off = match line.percent_off {
        None => Some(None),
        Some(p) => {
            let (min, max) = (DROP_PERCENT_OFF_MIN, DROP_PERCENT_OFF_MAX);
            checker
                .check(integer_in(&field("percent_off"), p, min, max))
                .map(Some)
        }
    };
    if line.price.is_some() && line.percent_off.is_some() {
        checker.push(FieldError::new(
            format!("lines[{index}]"),
            "Donnez soit un prix (price), soit un pourcentage de remise (percent_off), pas les deux.",
            "Give either a price (price) or a percentage off (percent_off), not both.",
        ));
        return None;
    }
    match (sku, units, price, percent_off) {
        (Some(sku), Some(units), Some(price), Some(percent_off)) if first.is_none() => {
            Some(NewDropLine {
                index,
                sku,
                units,
                price,
                percent_off,
            })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;

    fn now() -> DateTime<Utc> {
        time::parse("now", "2026-12-01T10:00:00Z").expect("valid in this test")
    }

    fn input(body: Value) -> DropInput {
        serde_json::from_value(body).expect("valid in this test")
    }

    fn good() -> Value {
        json!({
            "name": "Capsule de Noël", "slug": "capsule-noel",
            "starts_at": "2026-12-24T18:00:00.000Z", "ends_at": "2026-12-24T20:00:00.000Z",
            "hidden_until_start": true, "max_units_per_customer": 2,
            "lines": [{"sku": "robe-m", "units": 50, "price": 12000},
                      {"sku": "ROBE-L", "units": 5, "percent_off": 20},
                      {"sku": "ROBE-S", "units": 5}]
        })
    }

    fn fields(body: Value) -> Vec<String> {
        let refused = input(body).validate(now()).expect_err("refused");
        refused.0.into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn a_good_drop_keeps_its_times_to_the_microsecond_and_its_skus_upper_case() {
        let drop = input(good()).validate(now()).expect("valid in this test");
        assert_eq!(drop.starts_at, "2026-12-24T18:00:00.000000Z");
        assert_eq!(drop.lines[0].sku.as_str(), "ROBE-M");
        assert_eq!(drop.lines[1].percent_off, Some(20));
        assert_eq!(
            (drop.lines[2].price, drop.lines[2].percent_off),
            (None, None)
        );
        assert!(drop.hidden_until_start);
    }

    #[test]
    fn a_window_backwards_too_long_or_over_is_refused_on_its_end() {
        let mut body = good();
        body["ends_at"] = json!("2026-12-24T17:00:00Z");
        assert_eq!(fields(body), ["ends_at"]);
        let mut body = good();
        body["ends_at"] = json!("2027-03-24T18:00:00.001Z");
        assert_eq!(fields(body), ["ends_at"]);
        let mut body = good();
        body["starts_at"] = json!("2026-11-01T10:00:00Z");
        body["ends_at"] = json!("2026-12-01T10:00:00Z");
        assert_eq!(fields(body), ["ends_at"]);
    }

    #[test]
    fn a_time_without_its_time_of_day_is_refused() {
        let mut body = good();
        body["starts_at"] = json!("2026-12-24");
        assert_eq!(fields(body), ["starts_at"]);
    }

    #[test]
    fn bad_lines_are_each_named() {
        let mut body = good();
        body["lines"] = json!([
            {"sku": "A", "units": 0},
            {"sku": "B", "units": 1, "price": 0},
            {"sku": "C", "units": 1, "percent_off": 91},
            {"sku": "D", "units": 1, "price": 100, "percent_off": 10},
            {"sku": "a", "units": 1},
        ]);
        assert_eq!(
            fields(body),
            [
                "lines[0].units",
                "lines[1].price",
                "lines[2].percent_off",
                "lines[3]",
                "lines[4].sku"
            ]
        );
    }

    #[test]
    fn no_lines_too_many_lines_and_a_cap_below_one_are_refused() {
        let mut body = good();
        body["lines"] = json!([]);
        body["max_units_per_customer"] = json!(0);
        assert_eq!(fields(body), ["max_units_per_customer", "lines"]);
        let mut body = good();
        let many: Vec<Value> = (0..=DROP_LINES_MAX)
            .map(|i| json!({"sku": format!("S{i}"), "units": 1}))
            .collect();
        body["lines"] = json!(many);
        assert_eq!(fields(body), ["lines"]);
    }

    #[test]
    fn a_bad_slug_and_a_missing_name_are_refused() {
        let mut body = good();
        body["slug"] = json!("Capsule Noël");
        body["name"] = json!("  ");
        assert_eq!(fields(body), ["name", "slug"]);
    }
}
