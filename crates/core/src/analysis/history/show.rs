//! `history show`: the days and billing periods of a range of the history,
//! worked out once for the command's JSON and the report pack's Usage
//! History and History Periods sheets.

use std::path::Path;

use chrono::NaiveDate;
use serde::Serialize;

use super::{History, HistoryDay, HistoryError, HistoryPeriod};

/// `history show --format json`.
#[derive(Debug, Clone, Serialize)]
pub struct Shown {
    pub history: String,
    /// The range shown (`null` when the history has no days yet).
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub days: Vec<HistoryDay>,
    pub periods: Vec<HistoryPeriod>,
}

/// The history's days and periods from `from` to `to` (by default its
/// first and last day); a range that ends before it starts is refused,
/// saying which end came from the history.
pub fn show(
    store: &History,
    path: &Path,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Result<Shown, HistoryError> {
    let span = store.span()?;
    let (given_from, given_to) = (from.is_some(), to.is_some());
    let (from, to) = match span {
        Some((first, last)) => (from.unwrap_or(first), to.unwrap_or(last)),
        None => (from.unwrap_or_default(), to.unwrap_or_default()),
    };
    if from > to {
        let note = |given: bool, end: &str| {
            if given {
                String::new()
            } else {
                format!(" (the history's {end} day)")
            }
        };
        return Err(HistoryError::Backwards {
            from,
            to,
            from_note: note(given_from, "first"),
            to_note: note(given_to, "last"),
        });
    }
    let (days, periods) = if span.is_some() {
        (store.days(from, to)?, store.periods(from, to)?)
    } else {
        (Vec::new(), Vec::new())
    };
    Ok(Shown {
        history: path.display().to_string(),
        from: span.map(|_| from),
        to: span.map(|_| to),
        days,
        periods,
    })
}
