//! The range of dates a file may hold. chrono represents ±262,000 years,
//! but adding a grace period or walking billing days near its ends
//! overflows (a panic). Every date read from a file, or given on the
//! command line, is checked against this range first, so the arithmetic
//! after it cannot overflow; anything outside is refused, naming the field.

use chrono::{DateTime, NaiveDate, Utc};

pub use super::error::DateError;

/// The earliest date accepted (PureConnect did not exist before it).
pub const EARLIEST: NaiveDate = match NaiveDate::from_ymd_opt(1900, 1, 1) {
    Some(d) => d,
    None => NaiveDate::MIN,
};
/// The latest date accepted (a perpetual license's 2100 fits easily).
pub const LATEST: NaiveDate = match NaiveDate::from_ymd_opt(9999, 12, 31) {
    Some(d) => d,
    None => NaiveDate::MAX,
};

/// Refuses a date outside `EARLIEST..=LATEST`, naming the field.
pub fn check_date(field: &str, date: NaiveDate) -> Result<NaiveDate, DateError> {
    if (EARLIEST..=LATEST).contains(&date) {
        Ok(date)
    } else {
        Err(DateError::OutOfRange {
            field: field.to_string(),
            date,
            earliest: EARLIEST,
            latest: LATEST,
        })
    }
}

/// `check_date` for an instant.
pub fn check_time(field: &str, at: DateTime<Utc>) -> Result<DateTime<Utc>, DateError> {
    check_date(field, at.date_naive()).map(|_| at)
}

/// Parses a `YYYY-MM-DD` command-line date within the accepted range.
pub fn parse_arg_date(text: &str) -> Result<NaiveDate, DateError> {
    let date: NaiveDate = text.trim().parse().map_err(|_| DateError::NotADate(text.to_string()))?;
    check_date("date", date)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn range_ends() {
        assert!(check_date("d", EARLIEST).is_ok());
        assert!(check_date("d", LATEST).is_ok());
        assert!(check_date("d", NaiveDate::MAX).is_err());
        assert!(check_date("d", NaiveDate::MIN).is_err());
        assert!(parse_arg_date("+262142-01-01").is_err());
    }
}
