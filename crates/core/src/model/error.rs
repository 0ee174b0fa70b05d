//! Error types shared across the core. Each area of the core has its own
//! `thiserror` enum next to its code (`journal::JournalError`,
//! `history::HistoryError`, `csv_io::CsvError`, …), so a caller can tell a
//! file problem from a damaged journal or a bad date, and every variant says
//! what went wrong and what to do in its message. Here: dates, workbooks,
//! the change log, reports, media server names and session requests.

use chrono::NaiveDate;

pub use crate::fs::FileError;

/// A date outside what this tool accepts, or text that is not a date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error("`{field}` is {date}, outside the dates this tool accepts ({earliest} to {latest})")]
    OutOfRange {
        field: String,
        date: NaiveDate,
        earliest: NaiveDate,
        latest: NaiveDate,
    },
    #[error("`{0}` is not a date; use YYYY-MM-DD")]
    NotADate(String),
    #[error("`{0}` is not a date-time; use RFC 3339, e.g. 2020-06-08T12:00:00Z")]
    NotATime(String),
    /// Date arithmetic that would leave the dates chrono can hold.
    #[error("{date} moved by {by} is outside the dates this tool can represent; use a smaller value")]
    Overflow { date: String, by: String },
}

/// An Excel workbook (a report pack, a table exported as Excel) could not
/// be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WorkbookError {
    #[error(
        "the sheet {sheet} would have {rows} rows; an Excel worksheet holds at most {max} below its header \
         (export the table as CSV instead)"
    )]
    TooManyRows { sheet: String, rows: usize, max: usize },
    #[error("the workbook could not be made ({0})")]
    Writer(String),
    #[error(transparent)]
    File(#[from] FileError),
}

/// A saved change log that cannot be read (it is then kept as it is and
/// written back, and the entries made since are added after it).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChangeLogError {
    #[error("the change log is not a list of entries")]
    NotAList,
    #[error("change_log[{at}]: {reason}")]
    Unreadable { at: usize, reason: String },
    #[error("change_log[{at}]: `{field}` is missing")]
    Missing { at: usize, field: &'static str },
    #[error("change_log[{at}]: a bulk entry (`subjects`) cannot also have `{field}`")]
    MixedForms { at: usize, field: &'static str },
    #[error("change_log[{at}]: `{field}` is given without `subjects`")]
    StrayField { at: usize, field: &'static str },
    #[error("change_log[{at}]: `{field}` is empty")]
    Empty { at: usize, field: &'static str },
    #[error("change_log[{at}]: `pattern` has {given} entries for {subjects} subjects")]
    PatternCount { at: usize, given: usize, subjects: usize },
    #[error("change_log[{at}]: {patterns} patterns but no `pattern` saying which each subject has")]
    PatternMissing { at: usize, patterns: usize },
    #[error("change_log[{at}]: pattern {index} does not exist (there are {patterns})")]
    PatternOutOfRange { at: usize, index: usize, patterns: usize },
}

/// A CSV report (the change log, License Statistics, usage, cost, the
/// Genesys Cloud estimate) could not be made; the message is the CSV
/// writer's own.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error(transparent)]
    Csv(#[from] csv::Error),
    #[error(transparent)]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    NotUtf8(#[from] std::string::FromUtf8Error),
}

/// A media server's license file name is not allowed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MediaServerError {
    #[error("`{0}` must be a file name in the workspace's folder (no folders, no absolute paths)")]
    NotAFileName(String),
}

/// A line given to `ia-licensing session` is not a request.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RequestError {
    /// The line is not JSON (the parser's words).
    #[error("not JSON: {0}")]
    NotJson(String),
    /// JSON, but no request and no command (the parser's words, tidied).
    #[error("not a command: {0}")]
    NotACommand(String),
}

// Refusals and load errors that carry their message as text take a file
// or date error's words with `?` / `impl Into<String>`.
impl From<FileError> for String {
    fn from(e: FileError) -> String {
        e.to_string()
    }
}

impl From<DateError> for String {
    fn from(e: DateError) -> String {
        e.to_string()
    }
}
