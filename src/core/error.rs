//! The core's error types. Each area of the core has its own type, so a
//! caller can tell a file problem from a damaged journal or a bad date, and
//! every one says what went wrong and what to do in its message. Most carry
//! that message as their content; `FileError` and `DateError` also say
//! which kind of problem it was.

use std::path::PathBuf;

use chrono::NaiveDate;

/// Why a file could not be read or written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileError {
    #[error("cannot open {} ({reason}); check the path", .path.display())]
    Open { path: PathBuf, reason: String },
    #[error("{} is a folder; choose a file", .path.display())]
    Folder { path: PathBuf },
    #[error("{} is not a regular file (a pipe, socket or device); only files are read", .path.display())]
    NotRegular { path: PathBuf },
    #[error(
        "{} is {:.1} MiB; the most this file type may be is {} MiB",
        .path.display(),
        *.size as f64 / 1048576.0,
        .max / 1048576
    )]
    TooLarge { path: PathBuf, size: u64, max: u64 },
    #[error("cannot read {} ({reason})", .path.display())]
    Read { path: PathBuf, reason: String },
    #[error("{} already exists (or is a link); choose another folder, nothing is overwritten", .path.display())]
    Exists { path: PathBuf },
    #[error("cannot create {} ({reason})", .path.display())]
    Create { path: PathBuf, reason: String },
    #[error("cannot write {} ({reason}); nothing was kept", .path.display())]
    WriteNew { path: PathBuf, reason: String },
    #[error("{} is a symbolic link to a file that does not exist; save to a real path", .path.display())]
    DanglingLink { path: PathBuf },
    #[error("{} is a symbolic link to something that is not a file; save to a real path", .path.display())]
    LinkToNonFile { path: PathBuf },
    #[error("{} is not a regular file (a folder, pipe or device); choose a file name", .path.display())]
    NotAFile { path: PathBuf },
    #[error("cannot save {} ({reason}); the file on disk is unchanged", .path.display())]
    Save { path: PathBuf, reason: String },
    #[error("cannot keep the previous version as {} ({reason}); nothing was saved", .bak.display())]
    Backup { bak: PathBuf, reason: String },
    /// Text read from a file is not what its kind must be (a BOM, NUL
    /// bytes, empty, duplicate keys).
    #[error("{0}")]
    Content(String),
}

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
