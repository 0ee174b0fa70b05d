//! The command line's one error type, and the exit code of each case.
//!
//! Every command returns `Result<ExitCode, Failure>`; `Failure::report`
//! says it on stderr (or not) and gives the exit code: 2 for a file or
//! argument refused and for an output that could not be written (a full
//! disk behind `> out.json`: a script must see it), 0 for an output whose
//! reader went away (`| head -1`), said nothing about, as ripgrep does.

use std::process::ExitCode;

use crate::core::text::safe;

/// What a command could not do.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// A file or argument was refused; the reason says what and what to do.
    /// A core error is kept whole (its words are the message); the CLI's
    /// own refusals are words.
    #[error("{0}")]
    Refused(Box<dyn std::error::Error + Send + Sync>),
    /// Standard output could not be written (a full disk, a device error).
    #[error("cannot write the output ({0})")]
    Output(#[source] std::io::Error),
    /// The reader of standard output closed it before the end (`| head`).
    #[error("the output was closed before the end")]
    Closed,
}

impl Failure {
    /// A refusal in the command line's own words.
    pub fn refused(message: impl Into<String>) -> Self {
        Failure::Refused(message.into().into())
    }

    /// A failed write to standard output: a closed pipe is not an error
    /// worth a message; anything else is.
    pub fn from_write(e: std::io::Error) -> Self {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            Failure::Closed
        } else {
            Failure::Output(e)
        }
    }

    /// The exit code this failure ends the command with.
    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::Refused(_) | Failure::Output(_) => 2,
            Failure::Closed => 0,
        }
    }

    /// Says the failure on stderr (one line, escaped; nothing for a closed
    /// pipe) and gives the exit code.
    pub fn report(self) -> ExitCode {
        if !matches!(self, Failure::Closed) {
            eprintln!("ia-licensing: {}", safe(&self.to_string()));
        }
        ExitCode::from(self.exit_code())
    }
}

/// Every core error refuses with exit 2 and its message.
macro_rules! refused_from {
    ($($error:ty),*) => {$(
        impl From<$error> for Failure {
            fn from(e: $error) -> Self {
                Failure::Refused(Box::new(e))
            }
        }
    )*};
}

refused_from!(
    crate::core::error::FileError,
    crate::core::fs::LockError,
    serde_json::Error,
    crate::core::error::DateError,
    crate::core::journal::JournalError,
    crate::core::license::signing::KeyError,
    crate::core::csv_io::CsvError,
    crate::core::license::generate::OrderError,
    crate::core::replay::EventsError,
    crate::core::enforcement::CheckInsError,
    crate::core::demo::DemoError,
    crate::core::cloud::files::CloudError,
    crate::core::error::WorkbookError,
    crate::core::history::HistoryError,
    crate::core::error::ReportError,
    crate::core::error::MediaServerError,
    crate::core::site_import::SiteImportError
);

/// An account refusal; one the request tool answers says which command
/// drafts the request.
impl From<crate::core::account::AccountError> for Failure {
    fn from(e: crate::core::account::AccountError) -> Self {
        match &e {
            crate::core::account::AccountError::Refused(r) if r.points_to_request_tool() => {
                Failure::refused(format!("{e} (`ia-licensing account request` drafts it)"))
            }
            _ => Failure::Refused(Box::new(e)),
        }
    }
}
