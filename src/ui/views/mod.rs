//! One file per view; each holds only its own view state and reports what
//! the user asked for as `Action`s, which the app carries out.

pub mod allocation;
pub mod changelog;
pub mod enforcement;
pub mod license;
pub mod stations;
pub mod statistics;
pub mod usage;
pub mod users;
pub mod warnings;
pub mod workgroups;

use crate::core::command::Command;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BulkKind {
    Assign,
    Remove,
    SetMethod,
}

/// What a view asks the app to do.
#[derive(Debug, Clone)]
pub enum Action {
    Command(Command),
    OpenUser(String),
    OpenStation(String),
    OpenLicense(String),
    Bulk {
        kind: BulkKind,
        users: Vec<String>,
        stations: Vec<String>,
    },
    /// Remove these users, stations or workgroups, after asking.
    ConfirmRemove {
        kind: crate::core::subject::SubjectKind,
        ids: Vec<String>,
    },
    /// Select and show a diagnostic's subject.
    Reveal(crate::core::subject::Subject),
}
