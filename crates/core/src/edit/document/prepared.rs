//! A workspace made ready on a loading thread: its change log read and its
//! saved form written once, there. Installing it then costs the UI thread
//! only moves: the recovery journal's base (the workspace as opened) is the
//! saved form already written, not a second serialisation of 100,000 users
//! and stations (about 100 ms on the UI thread, the frame log showed).

use serde_json::value::RawValue;

use super::{Document, take_change_log};
use crate::model::changelog::{ChangeLog, ChangeLogError, SavedLog};
use crate::model::workspace::{FileView, Workspace};

pub struct Prepared {
    pub(super) ws: Workspace,
    pub(super) log: ChangeLog,
    pub(super) log_unread: Option<(serde_json::Value, ChangeLogError)>,
    /// The saved form, exactly as `Document::file_view` writes it.
    pub(super) saved_form: Option<Box<RawValue>>,
}

impl std::fmt::Debug for Prepared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Prepared")
            .field("users", &self.ws.users().len())
            .field("stations", &self.ws.stations().len())
            .field("change_log", &self.log.len())
            .finish_non_exhaustive()
    }
}

impl Prepared {
    /// Reads the change log out of `ws` and writes its saved form (slow at
    /// 100k: call it on a worker thread).
    pub fn new(mut ws: Workspace) -> Prepared {
        let (log, log_unread) = take_change_log(&mut ws);
        let saved_form = serde_json::value::to_raw_value(&file_view_of(&ws, &log, log_unread.as_ref())).ok();
        Prepared {
            ws,
            log,
            log_unread,
            saved_form,
        }
    }

    pub fn workspace(&self) -> &Workspace {
        &self.ws
    }
}

/// The saved form of a workspace with its change log (one definition, for
/// the document and for a workspace prepared on a worker).
pub(super) fn file_view_of<'a>(
    ws: &'a Workspace,
    log: &'a ChangeLog,
    unread: Option<&'a (serde_json::Value, ChangeLogError)>,
) -> FileView<'a, SavedLog<'a>> {
    let log = SavedLog {
        unread: unread.map(|(v, _)| v),
        log,
    };
    let format = if log.has_bulk_entries() {
        crate::model::workspace::FORMAT_VERSION
    } else {
        crate::model::workspace::FORMAT_PLAIN
    };
    ws.file_view((!log.is_empty()).then_some(log), format)
}

/// What a save writes, taken from the document at once (shared, not
/// copied: `Document::save_form`) and written on a worker while the window
/// goes on. Edits wait for the save to end (`editing::Session`), so the
/// document never copies what the save still reads.
pub struct SaveForm {
    ws: std::sync::Arc<Workspace>,
    log: std::sync::Arc<ChangeLog>,
    unread: Option<std::sync::Arc<(serde_json::Value, ChangeLogError)>>,
}

/// A save's workspace after the loader's checks (`SaveForm::checked`).
pub struct CheckedForm {
    ws: Workspace,
    log: std::sync::Arc<ChangeLog>,
    unread: Option<std::sync::Arc<(serde_json::Value, ChangeLogError)>>,
}

impl SaveForm {
    /// The loader's checks (`Workspace::recheck`), on the worker's own copy
    /// of the workspace so that the document the window shows is not
    /// touched: a state the loader would refuse is never saved. The copy
    /// is what is written (the check may put names in canonical form, as
    /// it did on the document itself before saves moved to a worker).
    pub fn checked(self) -> Result<CheckedForm, crate::model::workspace::LoadError> {
        // The document's share is let go of here, once copied.
        let mut ws = std::sync::Arc::unwrap_or_clone(self.ws);
        ws.recheck()?;
        Ok(CheckedForm {
            ws,
            log: self.log,
            unread: self.unread,
        })
    }
}

impl CheckedForm {
    /// Writes the saved form, exactly as `Document::write_file_json`.
    pub fn write(&self, w: &mut dyn std::io::Write) -> std::io::Result<()> {
        // In the layout the file was read in, as `Document::write_file_json`.
        self.ws
            .layout
            .write(w, &file_view_of(&self.ws, &self.log, self.unread.as_deref()))
    }
}

impl Document {
    /// What a save writes, shared with the document (see `SaveForm`).
    pub fn save_form(&self) -> SaveForm {
        SaveForm {
            ws: self.ws.clone(),
            log: self.log.clone(),
            unread: self.log_unread.clone(),
        }
    }

    /// The saved form written when the workspace was prepared, if nothing
    /// changed since (the journal's base at open); taken once.
    pub fn take_saved_form(&mut self) -> Option<Box<RawValue>> {
        match self.saved_form.take() {
            Some((generation, form)) if generation == self.generation => Some(form),
            _ => None,
        }
    }
}
