//! The core's error types. Each area of the core has its own type, so a
//! caller can tell a file problem from a damaged journal or a bad date, and
//! every one says what went wrong and what to do in its message. Most carry
//! that message as their content; `FileError` and `DateError` also say
//! which kind of problem it was.

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

/// Error types whose content is the message (what went wrong and what to
/// do); they convert from and into `String` so layers that only show the
/// message can pass them on with `?`.
macro_rules! message_error {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct $name(pub String);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl std::error::Error for $name {}

        impl From<String> for $name {
            fn from(message: String) -> Self {
                $name(message)
            }
        }

        impl From<&str> for $name {
            fn from(message: &str) -> Self {
                $name(message.to_string())
            }
        }

        impl From<$name> for String {
            fn from(e: $name) -> String {
                e.0
            }
        }

        impl From<FileError> for $name {
            fn from(e: FileError) -> Self {
                $name(e.to_string())
            }
        }

        impl From<DateError> for $name {
            fn from(e: DateError) -> Self {
                $name(e.to_string())
            }
        }
    )*};
}

message_error! {
    /// The recovery journal could not be written, read or replayed.
    JournalError;
    /// An issuer key file is unusable, or signing failed.
    KeyError;
    /// A CSV file could not be read or written.
    CsvError;
    /// An order ("New Activation File") cannot be made into a license.
    OrderError;
    /// An events or check-ins file is refused.
    EventsError;
    /// Built-in demo or scenario data could not be loaded, or generated data
    /// could not be made.
    DemoError;
    /// A report (change log, statistics) could not be written.
    ReportError;
    /// A media server's license file name is not allowed.
    MediaServerError;
    /// A line given to `ia-licensing session` is not a request.
    RequestError;
    /// A usage history (`.ialhist`) could not be opened, read or written.
    HistoryError;
    /// A Genesys Cloud mapping, price list or waves file is refused
    /// (docs/cloud-estimate.md).
    CloudError;
}

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
