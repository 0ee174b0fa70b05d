//! File › Save and Save As, written on a worker for a large workspace
//! (`core::editing::SaveWriter`: 33 MB and a quarter of a second at 100k
//! users and stations) behind a progress window with the file's name, the
//! window going on drawing. Meanwhile:
//! - changes wait: the session refuses them until the save ends (and the
//!   shortcuts and views are behind the progress window), so the file holds
//!   the document as it was when Save was chosen, and the workspace is never
//!   copied because the save still reads it;
//! - Save asked for again is not lost nor doubled: it is made once more
//!   after this one only if something changed since this one began;
//! - quitting waits for the save, then goes on.
//!
//! A small workspace is saved at once, on the window's thread, as before.

use super::*;
use crate::core::editing::{PendingSave, SaveTicket};
use crate::ui::job::{Job, Poll};

/// A save being written.
pub(super) struct SaveJob {
    ticket: SaveTicket,
    job: Job<Result<(), SaveError>>,
    /// What the unsaved-changes question held back (quit, open a file, load
    /// a scenario): done once saved.
    then: Option<Pending>,
    /// Save (or Save As, to the file given) was asked for again while this
    /// one ran.
    again: Option<Again>,
}

enum Again {
    Save,
    SaveAs(PathBuf),
}

impl App {
    /// Saves to the workspace's file (Save As… for the demo); true when
    /// saved, or being saved on a worker.
    pub fn save(&mut self) -> bool {
        self.save_with(false)
    }

    /// Saves; `overwrite` replaces a file changed on disk since it was
    /// opened (asked first).
    pub(super) fn save_with(&mut self, overwrite: bool) -> bool {
        self.save_then(overwrite, None)
    }

    /// Saves, then goes on with `then` once everything is saved.
    pub(super) fn save_then(&mut self, overwrite: bool, then: Option<Pending>) -> bool {
        self.poll_recording(true);
        match self.session.begin_save(overwrite) {
            Ok(pending) => self.run_save(pending, then),
            Err(SaveError::NoFile) => {
                self.prompt_open(FileKind::SaveWorkspaceAs);
                // Carried on with once the Save As is done.
                self.after_save = then;
                false
            }
            Err(SaveError::ChangedOnDisk(path)) => {
                self.open_modal(Modal::Overwrite(path));
                false
            }
            Err(SaveError::Busy) => self.save_again(Again::Save, then),
            Err(e) => {
                self.save_failed(&e);
                false
            }
        }
    }

    /// Save As to `path`; what the unsaved-changes question held back
    /// (`after_save`) goes on once it is saved.
    pub(super) fn save_to(&mut self, path: PathBuf) -> bool {
        self.poll_recording(true);
        let then = self.after_save.take();
        match self.session.begin_save_as(&path) {
            Ok(pending) => self.run_save(pending, then),
            Err(SaveError::Busy) => self.save_again(Again::SaveAs(path), then),
            Err(e) => {
                self.save_failed(&e);
                false
            }
        }
    }

    /// A save asked for while one runs: remembered, not started twice.
    fn save_again(&mut self, again: Again, then: Option<Pending>) -> bool {
        let Some(running) = &mut self.saving else { return false };
        // A Save As names its file: it is kept over a plain Save.
        if !matches!((&running.again, &again), (Some(Again::SaveAs(_)), Again::Save)) {
            running.again = Some(again);
        }
        if then.is_some() {
            running.then = then;
        }
        true
    }

    /// Writes a save begun by the session: at once for a small workspace,
    /// on a worker for a large one.
    fn run_save(&mut self, pending: PendingSave, then: Option<Pending>) -> bool {
        let PendingSave { writer, ticket } = pending;
        let ws = self.session.doc().workspace();
        let job = if ws.users().len() + ws.stations().len() <= self.limits.subjects {
            Job::done(writer.write())
        } else {
            self.limits.spawn("save", move |p| Some(writer.write_reporting(p)))
        };
        let at_once = !job.is_running();
        self.saving = Some(SaveJob {
            ticket,
            job,
            then,
            again: None,
        });
        if at_once {
            return self.poll_saving();
        }
        true
    }

    /// Is a save being written?
    pub fn is_saving(&self) -> bool {
        self.saving.is_some()
    }

    /// Waits for a save being written and ends it (tests; the window polls).
    pub fn wait_for_saving(&mut self) {
        while let Some(s) = &mut self.saving {
            let written = s.job.wait();
            self.end_save(written);
        }
        self.session.settle_journal();
    }

    /// Ends a save whose file is written (or could not be); true when it
    /// was saved.
    pub(super) fn poll_saving(&mut self) -> bool {
        let Some(s) = &mut self.saving else { return false };
        let written = match s.job.poll() {
            Poll::Running => return false,
            Poll::Done(written) => Some(written),
            Poll::Gone => None,
        };
        self.end_save(written)
    }

    fn end_save(&mut self, written: Option<Result<(), SaveError>>) -> bool {
        let Some(SaveJob {
            ticket, then, again, ..
        }) = self.saving.take()
        else {
            return false;
        };
        let written = written.unwrap_or(Err(SaveError::Interrupted));
        let saved = match self.session.finish_save(ticket, written, self.clock.now()) {
            Ok(path) => {
                self.saved(&path);
                if let Some(Again::SaveAs(path)) = again {
                    self.after_save = then;
                    self.save_to(path);
                } else if again.is_some() && self.dirty() {
                    // Changed since this save began: saved again, once.
                    self.save_then(false, then);
                } else if let Some(pending) = then
                    && !self.dirty()
                {
                    self.continue_pending(pending);
                }
                true
            }
            Err(e) => {
                self.save_failed(&e);
                false
            }
        };
        if self.quit_after_save && self.saving.is_none() {
            // The close that waited for the save asks again (the unsaved-
            // changes question comes if the save failed).
            self.quit_after_save = false;
            self.commands.push(AppCommand::Quit);
        }
        saved
    }

    /// The progress window of a save (no Cancel: the file is replaced whole
    /// or not at all, and it is soon done).
    pub(super) fn saving_dialog(&mut self, ctx: &egui::Context) {
        let Some(s) = &self.saving else { return };
        ctx.request_repaint_after(std::time::Duration::from_millis(50));
        let progress = &s.job.progress;
        let (done, total) = progress.counts();
        let detail = match progress.stage() {
            "" => "Waiting to start…".to_string(),
            "Writing" if total > 0 => format!(
                "Writing: {:.1} MB of about {:.1} MB",
                done as f64 / 1e6,
                total as f64 / 1e6
            ),
            "Writing" => format!("Writing: {:.1} MB", done as f64 / 1e6),
            stage => format!("{stage}…"),
        };
        widgets::busy_window(
            ctx,
            "saving-workspace",
            widgets::Progress {
                heading: widgets::file_heading("Saving", s.ticket.path()),
                detail,
                fraction: progress.fraction().min(0.99),
                started: s.job.started,
                note: "changes wait until the file is written",
            },
        );
    }

    pub(super) fn saved(&mut self, path: &Path) {
        files::remember(self.data_dir.as_deref(), &mut self.recent, path);
        self.status_message = Some(match self.session.unprotected() {
            None => (true, format!("Saved {}", path.display())),
            Some(why) => (
                false,
                format!(
                    "Saved {}, but unsaved changes cannot be protected: {why}",
                    path.display()
                ),
            ),
        });
    }

    pub(super) fn save_failed(&mut self, e: &SaveError) {
        self.open_modal(Modal::Error(ErrorModal {
            title: "Save failed".into(),
            message: format!("{e}\n\nYour changes are still open; save them somewhere else with File › Save As…"),
        }));
    }

    /// A journal whose base was being written at open: says so when it
    /// could not be (changes from now on are not protected).
    pub(super) fn poll_journal(&mut self) {
        if let Some(why) = self.session.poll_journal() {
            self.status_message = Some((false, format!("Unsaved changes cannot be protected: {why}")));
        }
    }
}
