//! A CSV import: read on a worker, applied a few thousand rows a frame as
//! one transaction (committed or rolled back as one step), its journal
//! line recorded on a worker.

use super::*;

impl App {
    /// Starts a CSV import (read on a worker, applied over a few frames).
    pub(super) fn import_csv(&mut self, table: Table, path: &Path) {
        if self.refuse_if_locked() {
            return;
        }
        if let Some(old) = self.importing.take() {
            old.cancel(&mut self.session);
        }
        self.importing = Some(Import::start(table, path.to_path_buf()));
    }

    /// Advances an import by one frame's worth of rows.
    pub(super) fn step_import(&mut self) {
        let Some(job) = &mut self.importing else { return };
        let Some(done) = job.step(&mut self.session, self.clock.now()) else {
            return;
        };
        let path = job.path.clone();
        self.importing = None;
        self.import_finished(&path, done);
    }

    /// Runs an import in progress to its end (tests; the GUI steps it).
    pub fn finish_import(&mut self) {
        if let Some(job) = self.importing.take() {
            let path = job.path.clone();
            let done = job.finish(&mut self.session, self.clock.now());
            self.import_finished(&path, done);
        }
        self.poll_recording(true);
    }

    /// Is a CSV import running (or its journal line being made)?
    pub fn is_importing(&self) -> bool {
        self.importing.is_some() || self.recording.is_some()
    }

    /// Writes a finished import's journal line once the worker has made it
    /// (`wait`: block until it has, for tests and quitting).
    pub(super) fn poll_recording(&mut self, wait: bool) {
        let Some(rec) = &self.recording else { return };
        let line = if wait {
            rec.rx.recv().map_err(|_| mpsc::TryRecvError::Disconnected)
        } else {
            rec.rx.try_recv()
        };
        let result = match line {
            Err(mpsc::TryRecvError::Empty) => return,
            Err(mpsc::TryRecvError::Disconnected) => Err(RecordError::WorkerStopped),
            Ok(Err(e)) => Err(RecordError::Journal(e)),
            Ok(Ok(line)) => self.session.record_commit_line(&line).map_err(RecordError::Edit),
        };
        let Some(rec) = self.recording.take() else { return };
        self.status_message = Some(match result {
            Ok(()) => (true, rec.done),
            Err(e) => (false, format!("{}: {e}", rec.what)),
        });
    }

    /// Journals a change committed on the document (an import, a change
    /// applied in slices): the line is made on a worker, written once ready
    /// (edits wait meanwhile); `done` goes to the status bar then.
    pub(super) fn record_on_worker(&mut self, command: Arc<Command>, done: String, what: String) {
        if !self.session.has_journal() {
            // Read-only checks and the taking back happen there too.
            self.status_message = Some(match self.session.record_commit(&command, self.clock.now()) {
                Ok(()) => (true, done),
                Err(e) => (false, format!("{what}: {e}")),
            });
            return;
        }
        let (tx, rx) = mpsc::channel();
        let at = self.clock.now();
        std::thread::spawn(move || {
            let _ = tx.send(crate::core::journal::Journal::apply_line(at, &command));
        });
        self.recording = Some(Recording { rx, done, what });
    }

    pub(super) fn import_finished(&mut self, path: &Path, done: import::Finished) {
        match done {
            import::Finished::Imported { rows, command } => {
                let Some(command) = command else {
                    self.status_message = Some((
                        true,
                        format!(
                            "Imported {} from {}",
                            crate::core::text::count(rows, "row", "rows"),
                            path.display()
                        ),
                    ));
                    return;
                };
                let done = format!(
                    "Imported {} from {}",
                    crate::core::text::count(rows, "row", "rows"),
                    path.display()
                );
                let protecting = self.session.has_journal();
                self.record_on_worker(command, done, format!("Import of {}", path.display()));
                if protecting {
                    self.status_message = Some((
                        true,
                        format!(
                            "Imported {} from {}; protecting them for recovery…",
                            crate::core::text::count(rows, "row", "rows"),
                            path.display()
                        ),
                    ));
                }
            }
            import::Finished::Refused(errors) => {
                let lines: Vec<String> = errors.iter().take(20).map(|e| e.to_string()).collect();
                self.open_modal(Modal::Error(ErrorModal {
                    title: "Import refused".into(),
                    message: format!(
                        "{}; nothing was imported. Fix them and import again.\n\n{}{}",
                        crate::core::text::count(errors.len(), "bad row", "bad rows"),
                        lines.join("\n"),
                        if errors.len() > 20 { "\n…" } else { "" }
                    ),
                }));
            }
            import::Finished::Cancelled => {
                self.status_message = Some((
                    true,
                    format!("Import of {} cancelled; nothing was imported", path.display()),
                ));
            }
            import::Finished::Failed(e) => {
                self.open_modal(Modal::Error(ErrorModal {
                    title: "Import failed".into(),
                    message: e.to_string(),
                }));
            }
        }
    }

    /// The progress window of an import, with Cancel.
    pub(super) fn import_dialog(&mut self, ctx: &egui::Context) {
        let Some(job) = &self.importing else { return };
        ctx.request_repaint();
        let (what, fraction) = job.progress();
        let cancel = widgets::progress_window(
            ctx,
            "importing-csv",
            widgets::Progress {
                heading: widgets::file_heading("Importing", &job.path),
                detail: what,
                fraction,
                started: job.started,
                note: "nothing is changed until every row is checked",
            },
        );
        if cancel && let Some(job) = self.importing.take() {
            let path = job.path.clone();
            job.cancel(&mut self.session);
            self.import_finished(&path, import::Finished::Cancelled);
        }
    }
}

/// Why a large change's journal line was not written (after "{what}: ").
#[derive(Debug, thiserror::Error)]
enum RecordError {
    #[error("the journal worker stopped")]
    WorkerStopped,
    #[error(transparent)]
    Journal(crate::core::journal::JournalError),
    #[error(transparent)]
    Edit(EditError),
}
