//! What Usage History reads: the range it shows from the history file,
//! the events files an import reads, and the license text kept with an
//! import; and why any of it could not be read.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::history::Span;
use crate::core::cost::{self, CostEstimate};
use crate::core::dates;
use crate::core::document::Document;
use crate::core::fs;
use crate::core::history::{History, HistoryDay, HistoryPeriod};
use crate::core::usage::billing_period;

/// Why the history could not be read or an import could not be made
/// (words the view shows).
#[derive(Debug, thiserror::Error)]
pub enum HistoryViewError {
    #[error(transparent)]
    History(#[from] crate::core::history::HistoryError),
    #[error(transparent)]
    File(#[from] crate::core::error::FileError),
    #[error("{} has no events files (*.json)", .0.display())]
    NoEventsFiles(PathBuf),
}

/// What the view shows, read from the history for one range.
pub struct Loaded {
    pub span: Option<(NaiveDate, NaiveDate)>,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub days: Vec<HistoryDay>,
    pub periods: Vec<HistoryPeriod>,
    pub cost: Option<CostEstimate>,
    /// The licenses with daily peaks in the range, sorted (the chart's
    /// choices, worked out once per read rather than per frame).
    pub keys: Vec<String>,
}

impl Loaded {
    pub(super) fn empty() -> Loaded {
        Loaded {
            span: None,
            from: NaiveDate::default(),
            to: NaiveDate::default(),
            days: Vec::new(),
            periods: Vec::new(),
            cost: None,
            keys: Vec::new(),
        }
    }
}

/// The open license's file text, kept with an import so that the command
/// line (`cloud estimate`, `history import`) finds the license the events
/// were replayed against. Read again from where the license came from, and
/// kept only when it is the license open (a file changed since is not).
pub fn license_text(
    source: Option<&crate::core::journal::LicenseSource>,
    open: &crate::core::license::License,
) -> Option<String> {
    use crate::core::journal::LicenseSource;
    let bytes: Vec<u8> = match source? {
        LicenseSource::Demo => crate::core::demo::DEMO_LICENSE.to_vec(),
        LicenseSource::File { path } => fs::read_capped(path, crate::core::license::MAX_FILE_BYTES).ok()?,
        LicenseSource::Builtin { name } => crate::core::demo::SCENARIOS.iter().find(|s| s.0 == name)?.1.to_vec(),
    };
    let text = String::from_utf8(bytes).ok()?;
    let file: crate::core::license::LicenseFile = serde_json::from_str(&text).ok()?;
    (file == open.file).then_some(text)
}

/// The events files of a path: the file itself, or a folder's `*.json`
/// files in name order (a month each).
pub fn events_files(path: &Path) -> Result<Vec<PathBuf>, HistoryViewError> {
    if fs::is_dir(path) {
        let files = fs::files_in(path, "json")?;
        if files.is_empty() {
            return Err(HistoryViewError::NoEventsFiles(path.to_path_buf()));
        }
        Ok(files)
    } else {
        Ok(vec![path.to_path_buf()])
    }
}

/// Reads the range the view shows.
pub fn load(
    path: &Path,
    doc: &Document,
    span: Span,
    end_period: Option<NaiveDate>,
) -> Result<Loaded, HistoryViewError> {
    let store = History::open_read_only(path)?;
    let hspan = store.span()?;
    let Some((first, last)) = hspan else {
        return Ok(Loaded::empty());
    };
    let (from, to) = match end_period.filter(|p| *p < billing_period(last).0) {
        // The latest: ending at the last day with data (trial 31: the
        // view opened on weeks without data and hid the first month).
        None => crate::core::usage::latest_window(first, last, span.periods().and_then(|n| u32::try_from(n).ok())),
        // Earlier: whole billing periods, ending with the one chosen.
        Some(end_period) => {
            let end = billing_period(end_period).0;
            let (_, to, _) = billing_period(end);
            let from = match span.periods() {
                None => billing_period(first).0,
                Some(n) => {
                    let mut start = end;
                    for _ in 1..n {
                        start = dates::previous_day(start).map_or(start, |d| billing_period(d).0);
                    }
                    start
                }
            };
            (from, to)
        }
    };
    let days = store.days(from, to)?;
    let periods = store.periods(from, to)?;
    let cost = match &doc.workspace().price_list {
        Some(prices) => {
            let users = store.user_periods(from, to)?;
            Some(cost::estimate(prices, users.iter(), doc.workspace()))
        }
        None => None,
    };
    let mut keys: Vec<String> = days.iter().flat_map(|d| d.peak.keys().cloned()).collect();
    keys.sort_unstable();
    keys.dedup();
    Ok(Loaded {
        span: hspan,
        from,
        to,
        days,
        periods,
        cost,
        keys,
    })
}
