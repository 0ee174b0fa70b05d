//! What a face asks of the session besides the steps of record (`apply`,
//! `undo`, `redo`), each a narrow call so no face needs the document
//! mutably: the clock, the simulation's in-use counts and the media
//! servers' statuses (not edits), a preview that leaves the document
//! exactly as it was (a plan is `analysis::plan::plan_in`, on a dry run
//! inside the core), a transaction applied in parts that commits
//! or rolls back as one step and says which, and a large change carried
//! out a slice at a time. Each call that begins a change asks first
//! whether the session may change anything now (`may_change`).

use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::{EditError, Session};
use crate::edit::command::Command;
use crate::edit::document::{Applied, Document, Refused, Run, RunEnd, SubjectOutcome, Transaction};
use crate::model::license::License;
use crate::rules::{self, MediaServerStatus, Refusal};

/// Whether the allocation may be changed at `at` under this license:
/// not once a virtual-cloud system is disabled (enforcement stage 6,
/// "Allocation read-only"). `check_ins` are the good-standing responses
/// the caller knows of (none for the real clock). The session asks it
/// before every change; `policy apply` and `csv import`, which change a
/// workspace without a session, ask it too.
pub fn allocation_open(license: &License, check_ins: &[DateTime<Utc>], at: DateTime<Utc>) -> Result<(), Refusal> {
    use crate::rules::enforcement;
    let stage = enforcement::status(enforcement::Terms::of(license), check_ins, at).stage;
    rules::check_editable(false, stage)
}

/// How a transaction ended.
#[derive(Debug)]
pub enum TransactionEnd {
    /// Every part was accepted and the parts are one undoable step
    /// (`command` is what the journal records; `None`: nothing changed).
    Committed {
        outcomes: usize,
        command: Option<Arc<Command>>,
    },
    /// A part was refused, so every part was undone and nothing recorded;
    /// the outcomes of every part, refused ones included, in order.
    RolledBack { outcomes: Vec<SubjectOutcome> },
}

impl Session {
    /// The clock: "today" (expiry, trial days), "now" (the change log) and
    /// the check-ins that decide the virtual-cloud stage, hence the
    /// stage-6 lock on changes.
    pub fn set_clock(&mut self, now: DateTime<Utc>, check_ins: &[DateTime<Utc>]) {
        self.doc.set_today(now.date_naive());
        self.doc.set_clock(now, &self.actor);
        self.set_check_ins(check_ins);
    }

    /// The check-ins alone (a face whose clock changed between frames).
    pub fn set_check_ins(&mut self, check_ins: &[DateTime<Utc>]) {
        if self.check_ins != check_ins {
            self.check_ins = check_ins.to_vec();
        }
    }

    /// The one answer to "is the allocation locked at `at`?", as the rules
    /// word it: a read-only session (`Refusal::ReadOnly`), or virtual-cloud
    /// stage 6 with the check-ins the session knows (`SystemDisabled`).
    /// The GUI shows it (status bar, greyed menus); `may_change` refuses
    /// with it.
    pub fn allocation_lock(&self, at: DateTime<Utc>) -> Result<(), Refusal> {
        if self.why_read_only().is_some() {
            return Err(Refusal::ReadOnly);
        }
        allocation_open(self.doc.license(), &self.check_ins, at)
    }

    /// Whether a change may begin at `at`: not in a read-only session, not
    /// at virtual-cloud stage 6 (the rules' refusal, with its code).
    pub fn may_change(&self, at: DateTime<Utc>) -> Result<(), EditError> {
        self.writable()?;
        self.allocation_lock(at).map_err(|refusal| {
            EditError::Refused(Refused {
                code: refusal.code(),
                reason: refusal.to_string(),
                outcomes: Vec::new(),
            })
        })
    }

    /// The trainer's simulation: Concurrent in Use and its peaks (counts
    /// the engine shows, not an edit).
    pub fn set_in_use(&mut self, in_use: rustc_hash::FxHashMap<String, u32>, peaks: Vec<(String, u32)>) {
        self.doc.engine_mut().set_in_use(in_use);
        self.doc.set_peaks(peaks);
    }

    /// What the media servers' license files say (read beside the
    /// workspace; not an edit).
    pub fn set_media_servers(&mut self, media: Vec<MediaServerStatus>) {
        self.doc.set_media_servers(media);
    }

    /// What `command` would do, leaving the document exactly as it was (no
    /// step, no change-log entry, no new generation).
    pub fn preview(&mut self, command: &Command) -> Result<Applied, Refused> {
        let (generation, log) = (self.doc.generation(), self.doc.log_len());
        let result = self.doc.preview(command);
        debug_assert_eq!((generation, log), (self.doc.generation(), self.doc.log_len()));
        result
    }

    /// Runs `f` on the document for a dry run that must leave it exactly
    /// as it was (a plan: `analysis::plan::plan_in`); inside the core only,
    /// so no face has a mutable way into the document.
    pub(crate) fn dry_run<T>(&mut self, f: impl FnOnce(&mut Document) -> T) -> T {
        let (generation, log) = (self.doc.generation(), self.doc.log_len());
        let out = f(&mut self.doc);
        debug_assert_eq!((generation, log), (self.doc.generation(), self.doc.log_len()));
        out
    }

    // ---- A transaction in parts (a large import, a few rows a frame) ----

    /// Begins a change applied in parts, if a change may begin now.
    pub fn begin(&mut self, summary: impl Into<String>, at: DateTime<Utc>) -> Result<Transaction, EditError> {
        self.may_change(at)?;
        Ok(self.doc.begin(summary))
    }

    /// Applies one part; its outcomes join the transaction's.
    pub fn apply_part(&mut self, tx: &mut Transaction, command: Command) {
        self.doc.apply_part(tx, command);
    }

    /// Ends a transaction as one step: committed when no part was refused,
    /// else rolled back; says which. The journal line of a commit is
    /// written by `record_commit` (or `record_commit_line`), which takes
    /// the step back if it cannot be written.
    pub fn end_transaction(&mut self, tx: Transaction) -> TransactionEnd {
        if tx
            .outcomes()
            .iter()
            .any(|o| matches!(o.outcome, crate::edit::document::Outcome::Refused { .. }))
        {
            let outcomes = tx.outcomes().to_vec();
            self.doc.rollback(tx);
            return TransactionEnd::RolledBack { outcomes };
        }
        let outcomes = tx.outcomes().len();
        let command = self.doc.commit(tx);
        TransactionEnd::Committed { outcomes, command }
    }

    /// Abandons a transaction: every part applied is undone.
    pub fn roll_back(&mut self, tx: Transaction) {
        self.doc.rollback(tx);
    }

    // ---- A change carried out a slice at a time ----

    /// Starts applying `command` in slices of `max` subjects.
    pub fn start_run(&mut self, command: Command, max: usize, at: DateTime<Utc>) -> Result<Run, EditError> {
        self.may_change(at)?;
        Ok(self.doc.start_run(command, max))
    }

    /// Starts undoing the last step in slices (`None`: nothing to undo).
    pub fn start_undo_run(&mut self, max: usize, at: DateTime<Utc>) -> Result<Option<Run>, EditError> {
        self.may_change(at)?;
        Ok(self.doc.start_undo_run(max))
    }

    /// Starts redoing the last undone step in slices (`None`: nothing to redo).
    pub fn start_redo_run(&mut self, max: usize, at: DateTime<Utc>) -> Result<Option<Run>, EditError> {
        self.may_change(at)?;
        Ok(self.doc.start_redo_run(max))
    }

    /// Carries out the run's next slice; true when none is left.
    pub fn run_slice(&mut self, run: &mut Run) -> bool {
        self.doc.run_slice(run)
    }

    /// Takes back the run's last slice; true when none is left.
    pub fn roll_back_slice(&mut self, run: &mut Run) -> bool {
        self.doc.roll_back_slice(run)
    }

    /// Ends a run whose slices are all done: one undoable step (journalled
    /// by `record_commit`, `record_undone` or `record_redone`).
    pub fn finish_run(&mut self, run: Run) -> RunEnd {
        self.doc.finish_run(run)
    }

    /// Ends a run whose slices were all taken back: the document is as it was.
    pub fn abandon_run(&mut self, run: Run) {
        self.doc.abandon_run(run);
    }

    /// At the process's exit: the document is let go without freeing it a
    /// piece at a time (a 100k workspace, its engine and undo steps), since
    /// the process ends at once. Nothing is written: saves and the journal
    /// are written as they happen.
    pub fn forget_document_at_exit(&mut self) {
        let empty = Document::new(
            self.doc.license().clone(),
            crate::model::workspace::Workspace::default(),
            self.doc.today(),
        );
        std::mem::forget(std::mem::replace(&mut self.doc, empty));
    }
}
