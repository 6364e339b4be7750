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
    fn a_plain_date_means_midnight_utc_and_nonsense_is_refused() {
        assert_eq!(
            parse("t", "2026-11-28").map(format).as_deref(),
            Ok("2026-11-28T00:00:00.000000Z")
        );
        assert!(parse("t", "yesterday").is_err());
        assert!(parse("t", "2026-13-01").is_err());
    }
}
