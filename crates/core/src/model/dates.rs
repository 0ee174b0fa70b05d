//! Dates: the range a file may hold, and the only arithmetic on dates and
//! times. chrono represents ±262,000 years, but adding a grace period or an
//! idle period near its ends overflows — a panic with `+`, and `Duration::
//! days(n)` itself panics for a huge `n`. So every date read from a file or
//! given on the command line is checked against the accepted range, and
//! every span added to or taken from a date or time goes through the
//! functions below, which return an error instead (a test greps `src/` for
//! chrono arithmetic anywhere else).

use chrono::{DateTime, Datelike, Months, NaiveDate, TimeDelta, Utc};

pub use crate::model::error::DateError;

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

/// A date as the Activation File Management Tool's forms take it:
/// `YYYY-MM-DD`, or `M/D/YYYY` as its screens show dates ("08/30/2018",
/// "3/20/2019"); within the accepted range.
pub fn parse_form_date(text: &str) -> Result<NaiveDate, DateError> {
    let t = text.trim();
    let not_a_date = || DateError::NotADate(text.to_string());
    let date = if t.contains('/') {
        let parts: Vec<&str> = t.split('/').collect();
        let [m, d, y] = parts.as_slice() else {
            return Err(not_a_date());
        };
        let num = |s: &str, max_len: usize| -> Option<u32> {
            (!s.is_empty() && s.len() <= max_len && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse().ok())
                .flatten()
        };
        let y = num(y, 4)
            .filter(|_| y.len() == 4)
            .and_then(|y| i32::try_from(y).ok())
            .ok_or_else(not_a_date)?;
        NaiveDate::from_ymd_opt(y, num(m, 2).ok_or_else(not_a_date)?, num(d, 2).ok_or_else(not_a_date)?)
            .ok_or_else(not_a_date)?
    } else {
        if t.len() != 10 {
            return Err(not_a_date());
        }
        NaiveDate::parse_from_str(t, "%Y-%m-%d").map_err(|_| not_a_date())?
    };
    check_date("date", date)
}

/// A span of `n` days (saturating at chrono's largest span, so building
/// one never panics; adding it is what may be refused).
pub fn days(n: i64) -> TimeDelta {
    TimeDelta::try_days(n).unwrap_or(if n < 0 { TimeDelta::MIN } else { TimeDelta::MAX })
}

/// A span of `n` hours (saturating).
pub fn hours(n: i64) -> TimeDelta {
    TimeDelta::try_hours(n).unwrap_or(if n < 0 { TimeDelta::MIN } else { TimeDelta::MAX })
}

/// A span of `n` minutes (saturating).
pub fn minutes(n: i64) -> TimeDelta {
    TimeDelta::try_minutes(n).unwrap_or(if n < 0 { TimeDelta::MIN } else { TimeDelta::MAX })
}

/// A span of `n` seconds (saturating).
pub fn seconds(n: i64) -> TimeDelta {
    TimeDelta::try_seconds(n).unwrap_or(if n < 0 { TimeDelta::MIN } else { TimeDelta::MAX })
}

/// A span of `n` milliseconds (saturating).
pub fn millis(n: i64) -> TimeDelta {
    TimeDelta::try_milliseconds(n).unwrap_or(if n < 0 { TimeDelta::MIN } else { TimeDelta::MAX })
}

/// `date` moved by `n` days (back when negative), or an error when that
/// leaves the dates chrono can hold.
pub fn add_days(date: NaiveDate, n: i64) -> Result<NaiveDate, DateError> {
    // The message is made only when it is needed (this runs per event).
    date.checked_add_signed(days(n)).ok_or_else(|| DateError::Overflow {
        date: date.to_string(),
        by: format!("{n} days"),
    })
}

/// `at` moved by `by` (back when negative), or an error.
pub fn shift(at: DateTime<Utc>, by: TimeDelta) -> Result<DateTime<Utc>, DateError> {
    at.checked_add_signed(by).ok_or_else(|| DateError::Overflow {
        date: at.to_rfc3339(),
        by: describe(by),
    })
}

/// The day after `date` (the last day chrono holds has none).
pub fn next_day(date: NaiveDate) -> Result<NaiveDate, DateError> {
    add_days(date, 1)
}

/// The day before `date`.
pub fn previous_day(date: NaiveDate) -> Result<NaiveDate, DateError> {
    add_days(date, -1)
}

/// The first day of the month after `date`'s.
pub fn first_of_next_month(date: NaiveDate) -> Result<NaiveDate, DateError> {
    date.with_day(1)
        .and_then(|d| d.checked_add_months(Months::new(1)))
        .ok_or_else(|| DateError::Overflow {
            date: date.to_string(),
            by: "a month".into(),
        })
}

/// `date` plus `n` whole months (the day clamped to the month's length).
pub fn add_months(date: NaiveDate, n: u32) -> Result<NaiveDate, DateError> {
    date.checked_add_months(Months::new(n))
        .ok_or_else(|| DateError::Overflow {
            date: date.to_string(),
            by: format!("{n} months"),
        })
}

/// `date` minus `n` whole months (the day clamped to the month's length).
pub fn sub_months(date: NaiveDate, n: u32) -> Result<NaiveDate, DateError> {
    date.checked_sub_months(Months::new(n))
        .ok_or_else(|| DateError::Overflow {
            date: date.to_string(),
            by: format!("-{n} months"),
        })
}

fn describe(by: TimeDelta) -> String {
    if by.num_days().abs() >= 1 {
        format!("{} days", by.num_days())
    } else {
        format!("{} seconds", by.num_seconds())
    }
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

    #[test]
    fn arithmetic_refuses_instead_of_panicking() {
        let d = NaiveDate::from_ymd_opt(2026, 1, 31).expect("date");
        assert_eq!(
            add_days(d, 1).expect("next"),
            NaiveDate::from_ymd_opt(2026, 2, 1).expect("date")
        );
        assert!(add_days(d, 100_000_000).is_err());
        assert!(add_days(d, i64::MIN).is_err());
        assert!(add_days(NaiveDate::MAX, 1).is_err());
        let at = DateTime::<Utc>::from_timestamp(0, 0).expect("epoch");
        assert!(shift(at, days(i64::MAX)).is_err());
        assert!(shift(at, hours(i64::MIN)).is_err());
        assert_eq!(
            first_of_next_month(d).expect("month"),
            NaiveDate::from_ymd_opt(2026, 2, 1).expect("date")
        );
        assert_eq!(
            add_months(d, 1).expect("clamped"),
            NaiveDate::from_ymd_opt(2026, 2, 28).expect("date")
        );
        assert!(first_of_next_month(NaiveDate::MAX).is_err());
    }
}
