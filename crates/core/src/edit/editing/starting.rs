//! A session's new recovery journal: its header, and its base (the
//! workspace as opened) written at once, or, when the loading thread made
//! it already (33 MB at 100k users and stations), on a thread of its own
//! while the window goes on; every use of the journal waits for that
//! thread first (`settle_journal`), so no step is ever journalled before
//! its base.

use super::*;

impl Session {
    /// A new journal whose base is the document now.
    pub(super) fn start_journal(&mut self, now: DateTime<Utc>) -> Opened {
        let Some(path) = self.place.path_for(&self.target) else {
            return Opened::Ready;
        };
        // The base was made on the loading thread when the workspace was
        // opened there: it is written on a thread of its own (the window
        // goes on; every use of the journal waits for it), otherwise now.
        if let Some(form) = self.doc.take_saved_form() {
            let header = self.header(now, form);
            let at = path.clone();
            let spawned = std::thread::Builder::new()
                .name("journal base".into())
                .spawn(move || Journal::start(&at, &header));
            return match spawned {
                Ok(handle) => {
                    self.journal_starting = Some((path, handle));
                    self.unprotected = None;
                    Opened::Ready
                }
                Err(e) => self.unprotect(format!("the recovery journal could not be started ({e})")),
            };
        }
        match Journal::start(&path, &self.header(now, self.doc.file_view())) {
            Ok(j) => {
                self.journal = Some(j);
                self.unprotected = None;
                Opened::Ready
            }
            // string-error: why the session is unprotected is kept to be shown (a status line), not handled.
            Err(e) => self.unprotect(e.to_string()),
        }
    }

    /// A new journal's header, with its base (the workspace as opened).
    fn header<B>(&self, now: DateTime<Utc>, base: B) -> Header<B> {
        Header {
            journal: journal::FORMAT,
            started: now,
            today: self.doc.today(),
            workspace_path: match &self.target {
                Target::File(p) => Some(crate::fs::canonical(p)),
                _ => None,
            },
            license: self.license_source.clone(),
            license_sha256: self.license_sha256.clone(),
            actor: self.actor.clone(),
            base,
            layout: self.doc.workspace().layout,
        }
    }

    /// Waits for a journal being started (its base written on a thread of
    /// its own at open) and takes it, or notes why it could not be.
    pub fn settle_journal(&mut self) {
        if let Some((_, handle)) = self.journal_starting.take() {
            self.took_journal(handle.join());
        }
    }

    /// Takes a journal being started once its base is written, without
    /// waiting; the reason when it could not be (the face says so: changes
    /// made from now on are not protected).
    pub fn poll_journal(&mut self) -> Option<String> {
        let (_, handle) = self.journal_starting.take_if(|(_, h)| h.is_finished())?;
        self.took_journal(handle.join());
        self.unprotected.clone()
    }

    fn took_journal(&mut self, started: std::thread::Result<Result<Journal, journal::JournalError>>) {
        match started {
            Ok(Ok(j)) => self.journal = Some(j),
            // string-error: kept to be shown (the session is unprotected), not handled.
            Ok(Err(e)) => self.unprotected = Some(e.to_string()),
            Err(_) => self.unprotected = Some("the recovery journal could not be started".into()),
        }
    }
}
