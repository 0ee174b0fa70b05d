//! One editing session: the document, its recovery journal (held with an
//! OS lock), the workspace file's disk stamp, save (atomic, `.bak`) and
//! recovery. The GUI and `ia-licensing session` both drive this type, so
//! every data-safety rule lives here once:
//!
//! - a step is acknowledged only after its journal line is on disk; if the
//!   line cannot be written the step is taken back and the caller told;
//! - one process edits a workspace at a time: the journal's lock says who;
//! - an unrecovered journal is never replaced without the caller deciding;
//! - a save refuses a file changed on disk since it was opened or saved
//!   (unless told to overwrite), and never writes a state the loader would
//!   refuse;
//! - internal undo records are never accepted as commands (see `Command`).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, Utc};
mod parts;
mod request;
mod save;
mod starting;

pub use crate::fs::{DiskStamp, FileLock, Holder, LockError};
pub use parts::{TransactionEnd, allocation_open};
pub use request::{Request, parse_request};
pub use save::{PendingSave, SaveTicket, SaveWriter};

use crate::edit::command::Command;
use crate::edit::document::{Applied, Document, Refused};
use crate::edit::journal::{self, Header, Journal, JournalOf, LicenseSource, Recovered, Step};
use crate::model::license::License;

/// Where the workspace being edited lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// The built-in demo workspace (saved only with Save As).
    Demo,
    /// A built-in trainer scenario.
    Scenario(String),
    /// A workspace file.
    File(PathBuf),
}

impl Target {
    fn journal_of(&self) -> JournalOf<'_> {
        match self {
            Target::Demo => JournalOf::Demo,
            Target::Scenario(name) => JournalOf::Scenario(name),
            Target::File(path) => JournalOf::File(path),
        }
    }
}

/// Where journals are kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JournalPlace {
    /// Nothing on disk (tests, or a session the caller does not protect).
    None,
    /// The data folder: one journal per workspace (`journal::path_for`).
    DataDir(PathBuf),
    /// One given journal file (`--journal FILE`).
    File(PathBuf),
}

impl JournalPlace {
    fn path_for(&self, target: &Target) -> Option<PathBuf> {
        match self {
            JournalPlace::None => None,
            JournalPlace::DataDir(dir) => Some(journal::path_for(dir, &target.journal_of())),
            JournalPlace::File(path) => Some(path.clone()),
        }
    }
}

/// What opening a session found.
#[derive(Debug, Clone)]
pub enum Opened {
    /// Ready: a new journal protects every step.
    Ready,
    /// Unsaved changes of a session that did not end cleanly: `restore` or
    /// `discard` them (nothing is journalled until then).
    Recovery(Box<Recovered>),
    /// Another process edits this workspace: the session is read-only.
    HeldBy(Holder),
    /// The journal cannot be kept (no data folder, a full disk): edits work
    /// but are not protected.
    Unprotected(String),
    /// The workspace file cannot be locked for editing (a file with other
    /// names, a lock file that is not safe to use): the session is
    /// read-only, and says why.
    Locked(String),
}

/// Why a step was not made.
#[derive(Debug, Clone, thiserror::Error)]
pub enum EditError {
    /// The rules refused it (nothing changed).
    #[error("{}", .0.reason)]
    Refused(Refused),
    /// It could not be journalled, so it was taken back.
    #[error("the change was not made: unsaved changes cannot be protected ({0})")]
    NotProtected(String),
    /// Another process holds the journal: this session only reads.
    #[error("this workspace is open read-only: {0}")]
    ReadOnly(String),
    /// A save is being written: changes wait until it is done.
    #[error("the workspace is being saved; make the change once the save is done")]
    Saving,
}

/// Why a save did not happen.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SaveError {
    #[error("there is no workspace file yet; save it with a name (Save As)")]
    NoFile,
    #[error(
        "{} was changed on disk by another program since it was opened; nothing was saved (save again with overwrite \
            to replace it, or save as another file)",
        .0.display()
    )]
    ChangedOnDisk(PathBuf),
    #[error(
        "{} is no longer the file that was opened (another file or a link was put in its place); nothing was \
         saved. Save your changes to a new file with Save As",
        .0.display()
    )]
    Replaced(PathBuf),
    #[error("the workspace has problems its own loader would refuse, so it was not saved: {0}")]
    Invalid(#[source] crate::model::workspace::LoadError),
    /// The file could not be written (or is refused as an output).
    #[error(transparent)]
    Write(#[from] crate::fs::FileError),
    /// Save As could not lock the journal the new file will have.
    #[error(transparent)]
    Lock(#[from] crate::fs::LockError),
    #[error("this workspace is open read-only: {0}")]
    ReadOnly(String),
    #[error("a save is already under way")]
    Busy,
    /// The worker writing the file ended without an answer (it panicked).
    #[error("the save stopped before its file was written; nothing was saved")]
    Interrupted,
}

/// The editing session.
pub struct Session {
    doc: Document,
    target: Target,
    license_source: LicenseSource,
    license_sha256: Option<String>,
    place: JournalPlace,
    journal: Option<Journal>,
    /// A new journal whose base (the workspace as opened, 33 MB at 100k)
    /// is being written on a thread of its own; every use of the journal
    /// waits for it first (`settle_journal`).
    journal_starting: Option<(PathBuf, std::thread::JoinHandle<Result<Journal, journal::JournalError>>)>,
    lock: Option<FileLock>,
    /// The workspace file's own lock, held while the session may change it:
    /// whatever journal another session uses, and whichever name it opens
    /// the file by, one session (or one `policy apply`, `csv import`)
    /// writes a workspace at a time.
    workspace_lock: Option<FileLock>,
    /// Set when another process holds the journal.
    read_only: Option<String>,
    /// Started read-only (a supervisor's `--read-only`): nothing may change
    /// for the whole session, whatever is opened.
    read_only_mode: bool,
    disk_stamp: Option<DiskStamp>,
    saved_generation: u64,
    /// A save begun and not yet finished (`save::begin_save`): no change
    /// may be made until it is.
    saving: bool,
    actor: String,
    program: String,
    /// Why the journal is not kept, when it is not.
    unprotected: Option<String>,
    /// The good-standing check-ins the face's clock knows of (the
    /// trainer's simulated clock; none for the real one): with the
    /// license they decide the virtual-cloud stage-6 lock.
    check_ins: Vec<DateTime<Utc>>,
}

/// What `Session::open` needs.
pub struct OpenArgs {
    pub doc: Document,
    pub target: Target,
    pub license_source: LicenseSource,
    pub place: JournalPlace,
    /// The OS user (change log).
    pub actor: String,
    /// Who we are, written into the lock file ("ia-licensing gui").
    pub program: String,
    pub now: DateTime<Utc>,
}

impl Session {
    /// Opens a session on a document: locks its journal, and either starts
    /// a new journal or hands back the unsaved changes found in it.
    pub fn open(args: OpenArgs) -> (Session, Opened) {
        let license_sha256 = match &args.license_source {
            LicenseSource::File { path } => journal::file_sha256(path).ok(),
            _ => None,
        };
        let disk_stamp = match &args.target {
            Target::File(path) => DiskStamp::of(path),
            _ => None,
        };
        let saved_generation = args.doc.generation();
        let mut session = Session {
            doc: args.doc,
            target: args.target,
            license_source: args.license_source,
            license_sha256,
            place: args.place,
            journal: None,
            journal_starting: None,
            lock: None,
            workspace_lock: None,
            read_only: None,
            read_only_mode: false,
            disk_stamp,
            saved_generation,
            saving: false,
            actor: args.actor,
            program: args.program,
            unprotected: None,
            check_ins: Vec::new(),
        };
        let opened = session.take_journal(args.now);
        (session, opened)
    }

    /// Locks this target's journal and looks inside.
    fn take_journal(&mut self, now: DateTime<Utc>) -> Opened {
        self.settle_journal();
        self.journal = None;
        self.lock = None;
        self.workspace_lock = None;
        self.read_only = None;
        self.unprotected = None;
        if let Target::File(file) = &self.target
            && !self.read_only_mode
        {
            match FileLock::acquire(file, &self.program) {
                Ok(lock) => self.workspace_lock = Some(lock),
                Err(LockError::Held(holder)) => {
                    self.read_only = Some(format!("{holder} is editing it"));
                    return Opened::HeldBy(holder);
                }
                Err(e) => {
                    let why = e.to_string();
                    self.read_only = Some(why.clone());
                    return Opened::Locked(why);
                }
            }
        }
        let Some(path) = self.place.path_for(&self.target) else {
            return Opened::Ready;
        };
        // The journal is our own file: a link planted at its name is never
        // followed (nor locked beside whatever it names).
        if crate::fs::is_link(&path) {
            return self.unprotect(format!(
                "the recovery journal {} is a symbolic link; it was left as it is",
                path.display()
            ));
        }
        match FileLock::acquire(&path, &self.program) {
            Ok(lock) => self.lock = Some(lock),
            Err(LockError::Held(holder)) => {
                self.read_only = Some(format!("{holder} is editing it"));
                return Opened::HeldBy(holder);
            }
            Err(e @ (LockError::Io(_) | LockError::Unsafe { .. })) => return self.unprotect(e.to_string()),
        }
        match journal::read(&path) {
            Ok(Some(rec)) if rec.unsaved_steps() > 0 => Opened::Recovery(Box::new(rec)),
            Ok(_) => self.start_journal(now),
            // A damaged journal is kept for the user (and `recover`), never
            // replaced: this session goes on without one.
            Err(e) => self.unprotect(format!("{e}; it was left as it is")),
        }
    }

    fn unprotect(&mut self, why: String) -> Opened {
        self.unprotected = Some(why.clone());
        Opened::Unprotected(why)
    }

    /// Rebuilds the unsaved changes found at open and goes on journalling
    /// after them. `load` loads a license source (the caller's trust).
    pub fn restore(
        &mut self,
        rec: &Recovered,
        load: &dyn Fn(&LicenseSource) -> Result<License, journal::JournalError>,
        accept_license_change: bool,
    ) -> Result<(), journal::RestoreError> {
        let restored = journal::restore(rec, load, accept_license_change)?;
        self.doc = restored.doc;
        self.saved_generation = restored.saved_generation.unwrap_or(u64::MAX);
        if let Some(path) = rec.workspace_path() {
            self.target = Target::File(path.to_path_buf());
            self.disk_stamp = DiskStamp::of(path);
        }
        self.license_source = rec.header.license.clone();
        self.license_sha256 = match &self.license_source {
            LicenseSource::File { path } => journal::file_sha256(path).ok(),
            _ => None,
        };
        if let Some(step) = rec.steps.iter().rev().find_map(|s| match s {
            Step::License { source, .. } => Some(source.clone()),
            _ => None,
        }) {
            self.license_source = step;
        }
        self.journal = match Journal::resume(&rec.path, rec.steps.len()) {
            Ok(j) => Some(j),
            Err(e) => {
                self.unprotected = Some(e.to_string());
                None
            }
        };
        Ok(())
    }

    /// Forgets the unsaved changes found at open and starts a new journal.
    pub fn discard_recovery(&mut self, now: DateTime<Utc>) -> Opened {
        self.start_journal(now)
    }

    /// Puts a new document in place (a workspace opened, a scenario
    /// loaded) by `change` on the current one (a 100k-user workspace comes
    /// with its counts, so it is not rebuilt): the old journal ends cleanly
    /// when everything was saved, and the new target's journal is taken.
    pub fn reopen(
        &mut self,
        change: impl FnOnce(&mut Document),
        target: Target,
        license_source: LicenseSource,
        now: DateTime<Utc>,
    ) -> Opened {
        self.end();
        change(&mut self.doc);
        self.target = target;
        self.license_source = license_source;
        self.license_sha256 = match &self.license_source {
            LicenseSource::File { path } => journal::file_sha256(path).ok(),
            _ => None,
        };
        self.disk_stamp = match &self.target {
            Target::File(path) => DiskStamp::of(path),
            _ => None,
        };
        self.saved_generation = self.doc.generation();
        self.take_journal(now)
    }

    // ---- Reading ----

    pub fn doc(&self) -> &Document {
        &self.doc
    }

    pub fn target(&self) -> &Target {
        &self.target
    }

    pub fn license_source(&self) -> &LicenseSource {
        &self.license_source
    }

    /// The files this session read: the license (when it is a file) and
    /// the workspace file. An export may be none of them.
    pub fn inputs(&self) -> Vec<PathBuf> {
        let mut out = Vec::new();
        if let LicenseSource::File { path } = &self.license_source {
            out.push(path.clone());
        }
        if let Target::File(path) = &self.target {
            out.push(path.clone());
        }
        out
    }

    pub fn dirty(&self) -> bool {
        self.doc.generation() != self.saved_generation
    }

    /// Why this session only reads (started read-only, or another process
    /// edits the workspace).
    pub fn read_only(&self) -> Option<String> {
        self.why_read_only()
    }

    /// Why steps are not journalled, when they are not.
    pub fn unprotected(&self) -> Option<&str> {
        self.unprotected.as_deref()
    }

    /// The journal's file (also while its base is being written).
    pub fn journal_path(&self) -> Option<&Path> {
        match &self.journal_starting {
            Some((path, _)) => Some(path),
            None => self.journal.as_ref().map(Journal::path),
        }
    }

    // ---- Steps ----

    /// Makes the whole session read-only (it cannot be undone: a read-only
    /// session is left by starting again without it).
    pub fn set_read_only_mode(&mut self) {
        self.read_only_mode = true;
    }

    /// Why nothing may change now, if so.
    fn why_read_only(&self) -> Option<String> {
        if self.read_only_mode {
            return Some("it was opened read-only; start again without read-only to make changes".into());
        }
        self.read_only.clone()
    }

    fn writable(&self) -> Result<(), EditError> {
        match self.why_read_only() {
            Some(why) => Err(EditError::ReadOnly(why)),
            None if self.saving => Err(EditError::Saving),
            None => Ok(()),
        }
    }

    /// Journals a step just made; when that fails, `take_back` undoes it
    /// (and the change-log entries past `log_len` go).
    fn protect(&mut self, step: &Step, log_len: usize, take_back: impl FnOnce(&mut Document)) -> Result<(), EditError> {
        self.settle_journal();
        let Some(journal) = &mut self.journal else {
            return Ok(());
        };
        let written = match step {
            Step::Apply { at, command } => journal.record_apply(*at, command),
            other => journal.record(other),
        };
        if let Err(e) = written {
            take_back(&mut self.doc);
            self.doc.truncate_log(log_len);
            return Err(EditError::NotProtected(e.to_string()));
        }
        Ok(())
    }

    /// Applies a command; acknowledged once journalled.
    pub fn apply(&mut self, command: Command, at: DateTime<Utc>) -> Result<Applied, EditError> {
        self.may_change(at)?;
        self.doc.set_clock(at, &self.actor);
        let log_len = self.doc.log_len();
        let generation = self.doc.generation();
        let applied = self.doc.apply(command.clone()).map_err(EditError::Refused)?;
        if self.doc.generation() != generation {
            self.protect(
                &Step::Apply {
                    at,
                    command: Box::new(command),
                },
                log_len,
                |doc| {
                    doc.undo();
                    doc.drop_redo_top();
                },
            )?;
        }
        Ok(applied)
    }

    /// Undoes the last step (`Ok(None)`: nothing to undo).
    pub fn undo(&mut self, at: DateTime<Utc>) -> Result<Option<String>, EditError> {
        self.may_change(at)?;
        self.doc.set_clock(at, &self.actor);
        let log_len = self.doc.log_len();
        let Some(summary) = self.doc.undo() else {
            return Ok(None);
        };
        self.protect(&Step::Undo { at }, log_len, |doc| {
            let _ = doc.redo();
        })?;
        Ok(Some(summary))
    }

    /// Redoes the last undone step (`Ok(None)`: nothing to redo).
    pub fn redo(&mut self, at: DateTime<Utc>) -> Result<Option<String>, EditError> {
        self.may_change(at)?;
        self.doc.set_clock(at, &self.actor);
        let log_len = self.doc.log_len();
        let Some(summary) = self.doc.redo().map_err(EditError::Refused)? else {
            return Ok(None);
        };
        self.protect(&Step::Redo { at }, log_len, |doc| {
            doc.undo();
        })?;
        Ok(Some(summary))
    }

    /// Replaces the license as one undoable step.
    pub fn replace_license(
        &mut self,
        license: Arc<License>,
        source: LicenseSource,
        summary: String,
        at: DateTime<Utc>,
    ) -> Result<(), EditError> {
        self.writable()?;
        self.doc.set_clock(at, &self.actor);
        let log_len = self.doc.log_len();
        let sha256 = match &source {
            LicenseSource::File { path } => journal::file_sha256(path).ok(),
            _ => None,
        };
        self.doc.replace_license(license, summary);
        let step = Step::License {
            at,
            source: source.clone(),
            sha256,
        };
        self.protect(&step, log_len, |doc| {
            doc.undo();
            doc.drop_redo_top();
        })?;
        self.license_source = source;
        Ok(())
    }

    /// Journals a transaction committed by `end_transaction` (a CSV
    /// import applied over several frames); taken back if that fails.
    /// (The change log keeps the import and its taking back, as happened.)
    pub fn record_commit(&mut self, command: &Command, at: DateTime<Utc>) -> Result<(), EditError> {
        if let Err(e) = self.writable() {
            self.doc.undo();
            self.doc.drop_redo_top();
            return Err(e);
        }
        self.settle_journal();
        let Some(journal) = &mut self.journal else {
            return Ok(());
        };
        if let Err(e) = journal.record_apply(at, command) {
            self.doc.undo();
            self.doc.drop_redo_top();
            return Err(EditError::NotProtected(e.to_string()));
        }
        Ok(())
    }

    /// `record_commit` with the journal line already made (by
    /// `Journal::apply_line`, off the UI thread for a large import).
    pub fn record_commit_line(&mut self, line: &str) -> Result<(), EditError> {
        if let Err(e) = self.writable() {
            self.doc.undo();
            self.doc.drop_redo_top();
            return Err(e);
        }
        self.settle_journal();
        let Some(journal) = &mut self.journal else {
            return Ok(());
        };
        if let Err(e) = journal.record_line(line) {
            self.doc.undo();
            self.doc.drop_redo_top();
            return Err(EditError::NotProtected(e.to_string()));
        }
        Ok(())
    }

    /// Journals an undo carried out in slices (`start_undo_run`, a large
    /// step undone over several frames); redone if that fails. (The change log keeps the undo and
    /// its taking back, as happened.)
    pub fn record_undone(&mut self, at: DateTime<Utc>) -> Result<(), EditError> {
        self.record_run(&Step::Undo { at }, |doc| {
            let _ = doc.redo();
        })
    }

    /// Journals a redo carried out in slices (`start_redo_run`);
    /// undone if that fails.
    pub fn record_redone(&mut self, at: DateTime<Utc>) -> Result<(), EditError> {
        self.record_run(&Step::Redo { at }, |doc| {
            doc.undo();
        })
    }

    fn record_run(&mut self, step: &Step, take_back: impl FnOnce(&mut Document)) -> Result<(), EditError> {
        if let Err(e) = self.writable() {
            take_back(&mut self.doc);
            return Err(e);
        }
        self.settle_journal();
        let Some(journal) = &mut self.journal else {
            return Ok(());
        };
        if let Err(e) = journal.record(step) {
            take_back(&mut self.doc);
            return Err(EditError::NotProtected(e.to_string()));
        }
        Ok(())
    }

    /// Does this session keep a recovery journal?
    /// (A journal whose base is still being written counts: its steps wait
    /// for it.)
    pub fn has_journal(&self) -> bool {
        self.journal.is_some() || self.journal_starting.is_some()
    }

    // ---- Saving ----

    /// Ends the session: the journal is deleted when everything is saved,
    /// kept (and its path returned) when there are unsaved changes.
    pub fn close(mut self) -> Option<PathBuf> {
        self.end()
    }

    /// `close` without giving the session up (a window closing): later
    /// steps are not journalled.
    pub fn end(&mut self) -> Option<PathBuf> {
        self.settle_journal();
        self.workspace_lock = None;
        let journal = self.journal.take()?;
        self.lock = None;
        if self.dirty() {
            return Some(journal.path().to_path_buf());
        }
        journal.discard();
        None
    }

    /// The user chose not to keep the unsaved changes (Don't Save): the
    /// journal goes, so nothing is offered for recovery next time.
    pub fn discard_unsaved(&mut self) {
        self.settle_journal();
        if let Some(journal) = self.journal.take() {
            journal.discard();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_parse() {
        assert_eq!(parse_request(r#"{"undo":true}"#), Ok(Request::Undo));
        assert_eq!(parse_request(r#"{"redo":true}"#), Ok(Request::Redo));
        assert_eq!(
            parse_request(r#"{"save":true,"overwrite":true}"#),
            Ok(Request::Save { overwrite: true })
        );
        assert!(parse_request(r#"{"op":"restore-user","user":{"id":"x","name":"y"}}"#).is_err());
        assert!(parse_request("[").is_err());
    }

    #[test]
    fn holder_text_is_tidied() {
        let h = crate::fs::parse_holder("42 ia-licensing\u{1b}[2J gui");
        assert_eq!(h.pid, Some(42));
        assert!(!h.program.contains('\u{1b}'));
    }
}
