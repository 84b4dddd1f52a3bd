//! The only place that reads the clock or the environment's idea of "now".
//!
//! - [`today`]: the as-of date when `--as-of` is not given. `KEHOACH_TODAY` (a date, not shown
//!   in `--help`) stands in for the system clock: the tests run commands under two different
//!   "clocks" with it and check that nothing but the as-of date depends on the day.
//! - [`source_date_epoch`]: `SOURCE_DATE_EPOCH` (seconds since 1970, the reproducible-builds
//!   convention), the time written where a file format demands a creation time (the entries of
//!   a DOCX package, an iCalendar's DTSTAMP). Without it those times come from the as-of date
//!   or a fixed date, never from the clock.

use chrono::{DateTime, NaiveDate, Utc};

/// Today: `KEHOACH_TODAY` when it holds a date, else the local date of the system clock.
pub fn today() -> NaiveDate {
    std::env::var("KEHOACH_TODAY")
        .ok()
        .and_then(|s| crate::dates::parse(s.trim()))
        .unwrap_or_else(|| chrono::Local::now().date_naive())
}

/// `SOURCE_DATE_EPOCH` as a time, when it is set to a whole number of seconds that a date can
/// hold; anything else is ignored, as the convention asks.
pub fn source_date_epoch() -> Option<DateTime<Utc>> {
    parse_epoch(&std::env::var("SOURCE_DATE_EPOCH").ok()?)
}

fn parse_epoch(s: &str) -> Option<DateTime<Utc>> {
    let secs: i64 = s.trim().parse().ok()?;
    DateTime::from_timestamp(secs, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epochs() {
        assert_eq!(
            parse_epoch("1640995200").unwrap().to_rfc3339(),
            "2022-01-01T00:00:00+00:00"
        );
        assert_eq!(parse_epoch(" 0 ").unwrap().timestamp(), 0);
        assert!(parse_epoch("").is_none());
        assert!(parse_epoch("2022-01-01").is_none());
        assert!(parse_epoch("1.5").is_none());
        assert!(parse_epoch("99999999999999999999").is_none());
    }
}
