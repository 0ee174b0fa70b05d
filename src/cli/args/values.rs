//! The values clap cannot read by itself, each refused with a typed error
//! (clap shows its words after "invalid value … for …").

use std::path::PathBuf;

use crate::core::csv_io::Table;
use crate::core::license::Level;

use super::OPENABLE_EXTENSIONS;

/// A bare FILE that is none of the three file types the GUI opens.
#[derive(Debug, thiserror::Error)]
#[error("not a command, nor a file to open (.I3Lic, .ialws or .ialacct); see --help")]
pub struct NotOpenable;

/// A FILE given before a command: which one was meant is not known.
#[derive(Debug, thiserror::Error)]
#[error(
    "{} is a file to open and cannot come before a command; give the command alone, or `gui {}`",
    .0.display(),
    .0.display()
)]
pub struct FileBeforeCommand(pub PathBuf);

#[derive(Debug, thiserror::Error)]
#[error("unknown table `{0}`; use users, stations or workgroups")]
pub struct UnknownTable(String);

#[derive(Debug, thiserror::Error)]
#[error("unknown level `{0}`; use production, development-small, development-large, trial or evaluation")]
pub struct UnknownLevel(String);

/// A bare FILE: only the three file types the GUI opens, so a mistyped
/// command is named as one rather than opened as a file.
pub(super) fn openable_file(text: &str) -> Result<PathBuf, NotOpenable> {
    let path = PathBuf::from(text);
    let known = path
        .extension()
        .is_some_and(|e| OPENABLE_EXTENSIONS.iter().any(|x| e.eq_ignore_ascii_case(x)));
    if known { Ok(path) } else { Err(NotOpenable) }
}

pub(super) fn parse_table(text: &str) -> Result<Table, UnknownTable> {
    Table::parse(text).ok_or_else(|| UnknownTable(text.to_string()))
}

pub(super) fn parse_level(text: &str) -> Result<Level, UnknownLevel> {
    Level::parse(text).ok_or_else(|| UnknownLevel(text.to_string()))
}

/// Why a `gui --view` name is refused (none is without the GUI).
#[cfg(feature = "gui")]
type ViewNameError = crate::ui::views::UnknownView;
#[cfg(not(feature = "gui"))]
type ViewNameError = std::convert::Infallible;

/// A `gui --view` name, checked against the GUI's one list of views.
pub(super) fn view_name(text: &str) -> Result<String, ViewNameError> {
    #[cfg(feature = "gui")]
    {
        crate::ui::views::parse_view_name(text).map(|n| n.name().to_string())
    }
    #[cfg(not(feature = "gui"))]
    {
        Ok(text.to_string())
    }
}
