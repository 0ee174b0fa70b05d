//! The files an input keeps beside it, which no output may be, whether or
//! not they exist yet: a workspace's usage history (`NAME.ialhist`, with
//! its lock, backup and SQLite's side files) and its recovery journal in
//! the data folder (with its lock). An output written there would destroy
//! them, or, where they do not exist yet, take their place (an `.xlsx`
//! named `site.ialhist` leaves the workspace with a history nothing can
//! read). `fs::check_output` guards an input itself, its lock and its
//! backup; these are the files only the layers above `fs` know of.

use std::path::{Path, PathBuf};

use crate::edit::journal::{self, JournalOf};
use crate::fs::FileError;

/// What a companion file is to its input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The usage history itself (what `history import --history` writes).
    History,
    /// The history's lock, backup or an SQLite side file.
    HistorySide,
    /// The recovery journal or its lock.
    Journal,
}

/// A file kept beside an input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Companion {
    pub path: PathBuf,
    pub kind: Kind,
    /// What it is, as a message names it ("the usage history of site.ialws").
    pub what: String,
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// A usage history's own files: itself (as `Kind::History`), its lock, its
/// backup and SQLite's side files; `of` names whose history it is (or is
/// the history's own name).
pub fn of_history(history: &Path, of: &str) -> Vec<Companion> {
    let mut out = vec![Companion {
        path: history.to_path_buf(),
        kind: Kind::History,
        what: format!("the usage history of {of}"),
    }];
    let own = history.display().to_string();
    let side = |path: PathBuf, what: &str| Companion {
        path,
        kind: Kind::HistorySide,
        what: if own == of {
            format!("the {what} of the usage history {own}")
        } else {
            format!("the {what} of the usage history of {of}")
        },
    };
    out.push(side(crate::fs::lock_path(history), "lock"));
    out.push(side(with_suffix(history, ".bak"), "backup"));
    for file in crate::fs::side_files(history) {
        out.push(side(file, "database side file"));
    }
    out
}

/// A recovery journal and its lock; `of` names whose journal it is.
pub fn of_journal(journal: &Path, of: &str) -> Vec<Companion> {
    vec![
        Companion {
            path: journal.to_path_buf(),
            kind: Kind::Journal,
            what: format!("the recovery journal of {of}"),
        },
        Companion {
            path: crate::fs::lock_path(journal),
            kind: Kind::Journal,
            what: format!("the lock of the recovery journal of {of}"),
        },
    ]
}

/// Everything a workspace file keeps beside it: its usage history (next
/// to it) and its recovery journal (in `data_dir`, when there is one).
pub fn of_workspace(workspace: &Path, data_dir: Option<&Path>) -> Vec<Companion> {
    let name = workspace.display().to_string();
    let mut out = of_history(&crate::analysis::history::path_for(workspace), &name);
    if let Some(dir) = data_dir {
        out.extend(of_journal(&journal::path_for(dir, &JournalOf::File(workspace)), &name));
    }
    out
}

/// Refuses an output that is one of `companions`, except those of a kind
/// in `allowed` (`history import` writes the workspace's own history),
/// saying what the file is.
pub fn check_output(output: &Path, companions: &[Companion], allowed: &[Kind]) -> Result<(), FileError> {
    for c in companions {
        if !allowed.contains(&c.kind) && crate::fs::same_file(output, &c.path) {
            return Err(FileError::KeptWithInput {
                output: output.to_path_buf(),
                what: c.what.clone(),
            });
        }
    }
    Ok(())
}
