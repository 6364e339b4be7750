//! Times: stored and shown as RFC 3339 UTC strings of one fixed width, so they sort as text.

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};

use super::invalid::FieldError;

/// `2026-11-28T12:41:27.123456Z`: microseconds, always the same width.
pub fn format(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, true)
}

pub fn now() -> String {
    format(Utc::now())
}

/// Reads an RFC 3339 time, or a plain date (`2026-11-28`, midnight UTC).
pub fn parse(field: &str, raw: &str) -> Result<DateTime<Utc>, FieldError> {
    let raw = raw.trim();
    if let Ok(at) = DateTime::parse_from_rfc3339(raw) {
        return Ok(at.with_timezone(&Utc));
    }
    if let Some(midnight) = NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
    {
        return Ok(midnight.and_utc());
    }
    Err(FieldError::new(
        field,
        format!(
            "« {raw} » n'est pas une date valide (exemple : 2026-11-28 ou 2026-11-28T09:30:00Z)."
        ),
        format!("`{raw}` is not a valid date (for example 2026-11-28 or 2026-11-28T09:30:00Z)."),
    ))
}

const MONTHS_FR: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// A stored time as people read it, in GMT (Abidjan's time):
/// "24 décembre 2026 à 18 h 00 GMT", "24 December 2026 at 18:00 GMT".
/// Text that is not a time is given back as it is.
pub fn spoken(lang: super::Lang, stored: &str) -> String {
    use chrono::{Datelike, Timelike};
    let Ok(at) = DateTime::parse_from_rfc3339(stored) else {
        return stored.to_owned();
    };
    let at = at.with_timezone(&Utc);
    match lang {
        super::Lang::Fr => format!(
            "{} {} {} à {} h {:02} GMT",
            at.day(),
            MONTHS_FR[at.month0() as usize],
            at.year(),
            at.hour(),
            at.minute()
        ),
        super::Lang::En => at.format("%-d %B %Y at %H:%M GMT").to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_written_with_a_fixed_width_so_text_order_is_time_order() {
        let early = parse("t", "2026-01-02T03:04:05Z").map(format);
        let late = parse("t", "2026-01-02T03:04:05.5+00:00").map(format);
        assert_eq!(early.as_deref(), Ok("2026-01-02T03:04:05.000000Z"));
        assert_eq!(late.as_deref(), Ok("2026-01-02T03:04:05.500000Z"));
    }

    #[test]
    fn a_time_is_spoken_in_french_with_its_month_written_out() {
        let at = "2026-12-24T18:05:00.000000Z";
        assert_eq!(
            spoken(crate::domain::Lang::Fr, at),
            "24 décembre 2026 à 18 h 05 GMT"
        );
        assert_eq!(
            spoken(crate::domain::Lang::En, at),
            "24 December 2026 at 18:05 GMT"
        );
    }

    #[test]
    fn a_plain_date_means_midnight_utc_and_nonsense_is_refused() {
        assert_eq!(
            parse("t", "2026-11-28").map(format).as_deref(),
            Ok("2026-11-28T00:00:00.000000Z")
        );
        assert!(parse("t", "yesterday").is_err());
        assert!(parse("t", "2026-13-01").is_err());
    }
}
