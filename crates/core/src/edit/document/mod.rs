//! The document: a license, a workspace, the engine's derived data and the
//! undo/redo history. `apply` is the only way the workspace changes.
//! `run` carries out each command; `records` holds what users and stations
//! share (add, remove, rename, edit); `outcome` the results a command
//! reports.

mod drafts;
mod dry_run;
mod log;
mod outcome;
mod prepared;
mod records;
mod run;
mod sliced;
mod transaction;

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};

pub use dry_run::{PartOutcome, parts};
pub use outcome::{Applied, Change, Outcome, Refused, Step, SubjectOutcome, Transaction};
pub use prepared::{CheckedForm, Prepared, SaveForm};
pub use sliced::{Run, RunEnd, size, slices};

use crate::edit::command::Command;
use crate::engine::{Engine, Touched};
use crate::model::changelog::{ChangeLog, ChangeLogError, SavedLog};
use crate::model::license::License;
use crate::model::subject::Subject;
use crate::model::workspace::Workspace;
use crate::rules::{self, Refusal};

#[derive(Debug, Clone)]
pub struct Document {
    license: Arc<License>,
    /// Shared with workers that read it (a replay, a plan) while the window
    /// goes on: `snapshot` is free, and the first change while one still
    /// holds it copies the workspace (copy on write).
    ws: Arc<Workspace>,
    engine: Engine,
    undo: Vec<Step>,
    redo: Vec<Step>,
    today: NaiveDate,
    /// Bumped on every change of the workspace (apply, undo, redo, open), so
    /// the app can tell whether there are unsaved changes.
    generation: u64,
    /// The change log, saved with the workspace (shared with a save being
    /// written on a worker, as the workspace is).
    log: Arc<ChangeLog>,
    /// A saved change log that could not be read, with why: kept and
    /// written back before the entries made since.
    log_unread: Option<Arc<(serde_json::Value, ChangeLogError)>>,
    /// "Now" for change-log entries (the caller's clock; time is an input).
    now: DateTime<Utc>,
    /// Who makes the changes (the OS user).
    actor: String,
    /// The saved form written on the loading thread, valid at the
    /// generation it was installed with (the journal's base at open).
    saved_form: Option<(u64, Box<serde_json::value::RawValue>)>,
}

/// Whether rules are checked (normal) or skipped (undo restoring a state
/// that was valid when it was left).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Normal,
    Restore,
}

#[derive(Default)]
struct Exec {
    outcomes: Vec<SubjectOutcome>,
    changes: Vec<Change>,
    inverses: Vec<Command>,
    /// Labelled batches: the changes each made, innermost first.
    credits: Vec<(std::ops::Range<usize>, String)>,
}

impl Exec {
    fn outcome(&mut self, subject: Subject, outcome: Outcome) {
        self.outcomes.push(SubjectOutcome { subject, outcome });
    }
    fn unchanged(&mut self, subject: Subject, reason: impl Into<String>) {
        self.outcome(subject, Outcome::Unchanged { reason: reason.into() });
    }
    fn refuse(&mut self, subject: Subject, refusal: Refusal) {
        self.outcome(
            subject,
            Outcome::Refused {
                code: refusal.code(),
                reason: refusal.to_string(),
            },
        );
    }
}

impl Document {
    pub fn new(license: Arc<License>, mut ws: Workspace, today: NaiveDate) -> Document {
        let (log, log_unread) = take_change_log(&mut ws);
        let engine = Engine::build(&ws, &license, today);
        Document {
            license,
            ws: Arc::new(ws),
            engine,
            undo: Vec::new(),
            redo: Vec::new(),
            today,
            generation: 0,
            log: Arc::new(log),
            log_unread: log_unread.map(Arc::new),
            now: today.and_time(chrono::NaiveTime::MIN).and_utc(),
            actor: "unknown".into(),
            saved_form: None,
        }
    }

    /// Sets the time and the OS user for change-log entries.
    pub fn set_clock(&mut self, now: DateTime<Utc>, actor: &str) {
        self.now = now;
        if self.actor != actor {
            self.actor = actor.to_string();
        }
    }

    pub fn change_log(&self) -> &ChangeLog {
        &self.log
    }

    /// Why the change log saved in the workspace could not be read (it is
    /// kept, and saved back as it was, before the entries made since).
    pub fn change_log_unread(&self) -> Option<&ChangeLogError> {
        self.log_unread.as_deref().map(|(_, why)| why)
    }

    /// The workspace file as it is saved: the workspace and its change log.
    pub fn to_file_value(&self) -> serde_json::Value {
        serde_json::to_value(self.file_view()).unwrap_or_default()
    }

    /// The saved form as text, in the layout the file was read in
    /// (`Workspace::layout`: indented for a new file).
    pub fn to_file_json(&self) -> String {
        self.ws.layout.text(&self.file_view())
    }

    /// Writes the saved form (as `to_file_json`) to a writer, without
    /// building it in memory first.
    pub fn write_file_json(&self, w: &mut dyn std::io::Write) -> std::io::Result<()> {
        self.ws.layout.write(w, &self.file_view())
    }

    /// The saved form, borrowed (the journal's header holds it too). A
    /// change log with a bulk entry makes it format 2.
    pub fn file_view(&self) -> crate::model::workspace::FileView<'_, SavedLog<'_>> {
        prepared::file_view_of(&self.ws, &self.log, self.log_unread.as_deref())
    }

    /// The saved form on one line (for the recovery journal's header).
    pub fn to_file_json_compact(&self) -> String {
        serde_json::to_string(&self.file_view()).unwrap_or_default()
    }

    pub fn license(&self) -> &Arc<License> {
        &self.license
    }
    pub fn workspace(&self) -> &Workspace {
        &self.ws
    }

    /// The workspace as it is now, for a worker to read while the window
    /// goes on (no copy). Hold it only while the worker runs: a change made
    /// while it is held copies the workspace (≈ 15 ms at 100k users and
    /// 100k stations), the price of the worker's snapshot staying as it was.
    pub fn snapshot(&self) -> Arc<Workspace> {
        self.ws.clone()
    }
    pub fn engine(&self) -> &Engine {
        &self.engine
    }
    pub fn today(&self) -> NaiveDate {
        self.today
    }

    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// A from-scratch recount (the incremental engine must equal it).
    pub fn recount(&self) -> Engine {
        let mut e = Engine::build(&self.ws, &self.license, self.today);
        if !self.engine.media_servers().is_empty() {
            e.set_media_servers(self.engine.media_servers().to_vec());
            e.refresh(&self.ws, &self.license, self.today, &Touched::default(), false);
        }
        e
    }

    /// The replayed peak in use per pooled key: the pool alerts follow.
    pub fn set_peaks(&mut self, peaks: impl IntoIterator<Item = (String, u32)>) {
        if self.engine.set_peaks(peaks.into_iter().collect()) {
            self.engine
                .refresh(&self.ws, &self.license, self.today, &Touched::default(), true);
        }
    }

    /// Moves "now" (trial expiry and expiry diagnostics follow).
    pub fn set_today(&mut self, today: NaiveDate) {
        if today != self.today {
            self.today = today;
            self.engine
                .refresh(&self.ws, &self.license, today, &Touched::default(), false);
        }
    }

    /// Replaces the license; counts are kept, nothing is dropped, and the
    /// diagnostics show what no longer fits.
    pub fn set_license(&mut self, license: Arc<License>) {
        self.license = license;
        self.rebuild();
    }

    /// Replaces the workspace (a newly opened file); clears the history.
    pub fn set_workspace(&mut self, ws: Workspace) {
        self.engine.set_media_servers(Vec::new());
        let engine = Engine::build(&ws, &self.license, self.today);
        self.install(ws, engine);
    }

    /// `set_workspace` with its counts already made (on a loading thread)
    /// against `counted_with`; recounted if the license or the day changed
    /// since.
    pub fn set_workspace_counted(&mut self, ws: Workspace, engine: Engine, counted_with: &Arc<License>, on: NaiveDate) {
        if Arc::ptr_eq(counted_with, &self.license) && on == self.today {
            self.install(ws, engine);
        } else {
            self.set_workspace(ws);
        }
    }

    /// `set_workspace_counted` for a workspace prepared on the loading
    /// thread: its change log already read, its saved form already written.
    pub fn set_prepared(&mut self, prepared: Prepared, engine: Engine, counted_with: &Arc<License>, on: NaiveDate) {
        let Prepared {
            ws,
            log,
            log_unread,
            saved_form,
        } = prepared;
        let engine = if Arc::ptr_eq(counted_with, &self.license) && on == self.today {
            engine
        } else {
            self.engine.set_media_servers(Vec::new());
            Engine::build(&ws, &self.license, self.today)
        };
        self.install_parts(ws, log, log_unread, engine);
        self.saved_form = saved_form.map(|form| (self.generation, form));
    }

    fn install(&mut self, mut ws: Workspace, engine: Engine) {
        let (log, log_unread) = take_change_log(&mut ws);
        self.install_parts(ws, log, log_unread, engine);
    }

    fn install_parts(
        &mut self,
        ws: Workspace,
        log: ChangeLog,
        log_unread: Option<(serde_json::Value, ChangeLogError)>,
        engine: Engine,
    ) {
        (self.log, self.log_unread) = (Arc::new(log), log_unread.map(Arc::new));
        self.saved_form = None;
        let old = (
            std::mem::replace(&mut self.ws, Arc::new(ws)),
            std::mem::replace(&mut self.engine, engine),
            std::mem::take(&mut self.undo),
            std::mem::take(&mut self.redo),
        );
        drop_elsewhere(old.0.users().len() + old.0.stations().len(), old);
        self.generation += 1;
    }

    /// What the media servers' license files say (read by the caller).
    pub fn set_media_servers(&mut self, media: Vec<rules::MediaServerStatus>) {
        self.engine.set_media_servers(media);
        self.engine
            .refresh(&self.ws, &self.license, self.today, &Touched::default(), false);
    }

    /// The change log's length (to take back entries of a step that could
    /// not be journalled).
    pub(crate) fn log_len(&self) -> usize {
        self.log.len()
    }

    /// Drops change-log entries past `len` (a step taken back).
    pub(crate) fn truncate_log(&mut self, len: usize) {
        Arc::make_mut(&mut self.log).truncate(len);
    }

    /// Forgets the step an undo just put on the redo stack (a step taken
    /// back is not redoable).
    pub(crate) fn drop_redo_top(&mut self) {
        self.redo.pop();
    }

    /// Checks the workspace the way loading its file would, before a save.
    /// A refusal here means a rule was bypassed somewhere; the counts are
    /// rebuilt (the check may have put names in canonical form).
    pub fn check_saveable(&mut self) -> Result<(), crate::model::workspace::LoadError> {
        let checked = Arc::make_mut(&mut self.ws).recheck();
        if checked.is_err() {
            self.rebuild();
        }
        checked
    }

    fn rebuild(&mut self) {
        let media = self.engine.media_servers().to_vec();
        self.engine = Engine::build(&self.ws, &self.license, self.today);
        if !media.is_empty() {
            self.set_media_servers(media);
        }
    }

    pub fn engine_mut(&mut self) -> &mut Engine {
        &mut self.engine
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }
    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }
    pub fn undo_summary(&self) -> Option<&str> {
        self.undo.last().map(|s| s.summary.as_str())
    }
    pub fn redo_summary(&self) -> Option<&str> {
        self.redo.last().map(|s| s.summary.as_str())
    }
    pub fn history(&self) -> &[Step] {
        &self.undo
    }

    /// Applies a command: on success it is one undoable step (when anything
    /// changed); when every subject is refused, nothing changes.
    pub fn apply(&mut self, command: Command) -> Result<Applied, Refused> {
        let applied = self.exec(&command, Mode::Normal)?;
        self.record(command, &applied);
        Ok(applied)
    }

    /// Makes an applied command an undoable step and logs its changes
    /// (when anything changed).
    fn record(&mut self, command: Command, applied: &Applied) {
        if !applied.changes.is_empty() || applied.changed() > 0 {
            self.generation += 1;
            // The log and the undo step name what changed ("to 71,450
            // users"), not every subject asked about.
            let summary = command.summary_applied(
                applied
                    .outcomes
                    .iter()
                    .filter(|o| o.outcome == Outcome::Changed)
                    .map(|o| o.subject.clone())
                    .collect::<Vec<_>>(),
            );
            self.log_applied("", &summary, applied);
            self.undo.push(Step {
                summary,
                command: Arc::new(command),
                inverse: applied.inverse.clone(),
                license: None,
            });
            self.redo.clear();
        }
    }

    /// Applies a command only if no subject of it is refused; otherwise
    /// rolls back what it did and returns every subject's outcome (without a
    /// copy of the document, unlike `preview` then `apply`).
    pub fn apply_all_or_nothing(&mut self, command: Command) -> Result<Applied, Refused> {
        let applied = self.exec(&command, Mode::Normal)?;
        let refused = applied.outcomes.iter().find_map(|o| match &o.outcome {
            Outcome::Refused { code, reason } => Some((*code, reason.clone())),
            _ => None,
        });
        if let Some((code, reason)) = refused {
            // Undo in place; the inverse restores exactly what was changed.
            self.put_back((*applied.inverse).clone());
            self.engine
                .refresh(&self.ws, &self.license, self.today, &Touched::default(), false);
            return Err(Refused {
                code,
                reason,
                outcomes: applied.outcomes,
            });
        }
        self.record(command, &applied);
        Ok(applied)
    }

    /// What a command would do, without doing it.
    /// The command is applied and at once undone in place: a copy of a
    /// 100k-user document would cost ≈ 100 ms and ≈ 120 MB per preview.
    /// Nothing is recorded (no undo step, no change-log entry, no new
    /// generation); only the engine's revision moves.
    pub fn preview(&mut self, command: &Command) -> Result<Applied, Refused> {
        // The counts follow every step (the rules read them); the
        // diagnostics are brought up to date once, after the inverse has
        // put everything back, instead of for the changed state and again
        // for the restored one.
        let revision = self.engine.revision();
        let mut result = self.exec_with(command, Mode::Normal, false);
        if let Ok(applied) = &mut result {
            // The caller reads the outcomes only: the inverse is moved back
            // into place, not copied.
            let inverse = std::mem::replace(
                &mut applied.inverse,
                Arc::new(Command::Batch {
                    commands: Vec::new(),
                    label: None,
                }),
            );
            self.put_back(Arc::try_unwrap(inverse).unwrap_or_else(|shared| (*shared).clone()));
        }
        self.engine
            .refresh(&self.ws, &self.license, self.today, &Touched::default(), false);
        // The document is exactly as before, so what views derived from it
        // still holds: without this, a preview of 10k users would make the
        // tables sort 100k rows again.
        self.engine.keep_revision(revision);
        result
    }

    /// Undoes a command from its inverse, moving the saved records back
    /// into place instead of copying them; records nothing (a preview, a
    /// rollback) and recounts once at the end (no rule reads the counts
    /// while restoring).
    fn put_back(&mut self, inverse: Command) {
        let mut touched = Touched::default();
        self.put_back_into(inverse, &mut touched);
        self.engine.count(&self.ws, &touched);
    }

    fn put_back_into(&mut self, inverse: Command, touched: &mut Touched) {
        match inverse {
            Command::Batch { commands, .. } => {
                for c in commands {
                    self.put_back_into(c, touched);
                }
            }
            Command::RestoreUser { user } => {
                if let Some(at) = self.ws.user_pos(&user.id) {
                    touched.user(&user.id);
                    Arc::make_mut(&mut self.ws).replace_at(at, user);
                }
            }
            Command::RestoreStation { station } => {
                if let Some(at) = self.ws.station_pos(&station.id) {
                    touched.station(&station.id);
                    Arc::make_mut(&mut self.ws).replace_at(at, station);
                }
            }
            other => {
                // Anything else (adds, removals, renames) the usual way,
                // after what was put back so far is counted.
                self.engine.count(&self.ws, &std::mem::take(touched));
                let _ = self.exec_with(&other, Mode::Restore, false);
            }
        }
    }

    /// Replaces the license as one undoable step (Compare and load).
    pub fn replace_license(&mut self, new: Arc<License>, summary: String) {
        let old = std::mem::replace(&mut self.license, new.clone());
        self.rebuild();
        self.log_license(&summary, &old, &new);
        let empty = Command::Batch {
            commands: Vec::new(),
            label: None,
        };
        self.undo.push(Step {
            command: Arc::new(empty.clone()),
            inverse: Arc::new(empty),
            summary,
            license: Some((old, new)),
        });
        self.redo.clear();
    }

    /// Undoes the last step; returns its summary.
    pub fn undo(&mut self) -> Option<String> {
        let step = self.undo.pop()?;
        if let Some((old, new)) = &step.license {
            self.license = old.clone();
            self.rebuild();
            let (old, new) = (old.clone(), new.clone());
            self.log_license(&format!("Undo: {}", step.summary), &new, &old);
            let summary = step.summary.clone();
            self.redo.push(step);
            return Some(summary);
        }
        match self.exec(&step.inverse, Mode::Restore) {
            Ok(applied) => {
                self.generation += 1;
                self.log_changes(&format!("Undo: {}", step.summary), &applied.changes);
                let summary = step.summary.clone();
                self.redo.push(step);
                Some(summary)
            }
            Err(_) => None,
        }
    }

    /// Redoes the last undone step. The rules apply again, so a redo can be
    /// refused if something else changed meanwhile.
    pub fn redo(&mut self) -> Result<Option<String>, Refused> {
        let Some(step) = self.redo.pop() else { return Ok(None) };
        if let Some((old, new)) = &step.license {
            self.license = new.clone();
            self.rebuild();
            let (old, new) = (old.clone(), new.clone());
            self.log_license(&format!("Redo: {}", step.summary), &old, &new);
            let summary = step.summary.clone();
            self.undo.push(step);
            return Ok(Some(summary));
        }
        match self.exec(&step.command, Mode::Normal) {
            Ok(applied) => {
                self.generation += 1;
                self.log_applied("Redo: ", &step.summary, &applied);
                let summary = step.summary.clone();
                self.undo.push(Step {
                    inverse: applied.inverse,
                    ..step
                });
                Ok(Some(summary))
            }
            Err(e) => {
                self.redo.push(step);
                Err(e)
            }
        }
    }

    fn exec(&mut self, command: &Command, mode: Mode) -> Result<Applied, Refused> {
        self.exec_with(command, mode, true)
    }

    /// `exec`; `diagnostics: false` leaves the engine's diagnostics to a
    /// later refresh (a preview refreshes once at its end).
    fn exec_with(&mut self, command: &Command, mode: Mode, diagnostics: bool) -> Result<Applied, Refused> {
        let mut x = Exec::default();
        self.run(command, mode, &mut x);
        if diagnostics {
            self.engine
                .refresh(&self.ws, &self.license, self.today, &Touched::default(), false);
        }
        let changed = x.outcomes.iter().any(|o| o.outcome == Outcome::Changed);
        let first_refusal = x.outcomes.iter().find_map(|o| match &o.outcome {
            Outcome::Refused { code, reason } => Some((*code, reason.clone())),
            _ => None,
        });
        if !changed && let Some((code, reason)) = first_refusal {
            return Err(Refused {
                code,
                reason,
                outcomes: x.outcomes,
            });
        }
        x.inverses.reverse();
        let inverse = match x.inverses.len() {
            1 => x.inverses.pop().unwrap_or(Command::Batch {
                commands: Vec::new(),
                label: None,
            }),
            _ => Command::Batch {
                commands: x.inverses,
                label: None,
            },
        };
        Ok(Applied {
            outcomes: x.outcomes,
            changes: x.changes,
            inverse: Arc::new(inverse),
            credits: x.credits,
        })
    }

    /// Recounts what a step of a command touched; the diagnostics follow
    /// once the whole command has run (`exec`).
    fn refresh(&mut self, touched: &Touched) {
        self.engine.count(&self.ws, touched);
    }
}

/// Frees what a newly opened workspace replaces. A 100k workspace and its
/// engine take about 10 ms to free (a million small allocations), which on
/// the caller's thread — the UI's, when a load finishes — would be a frame
/// of their own; so a large one is freed on a thread of its own.
pub(super) fn drop_elsewhere<T: Send + 'static>(records: usize, old: T) {
    const LARGE: usize = 20_000;
    if records < LARGE {
        return drop(old);
    }
    // If no thread can be made, the closure — and `old` with it — is freed
    // here, as it would have been.
    let spawned = std::thread::Builder::new()
        .name("free old workspace".into())
        .spawn(move || drop(old));
    drop(spawned);
}

/// Moves a saved change log out of the workspace's unknown fields: read,
/// or kept as it is with why it could not be read.
fn take_change_log(ws: &mut Workspace) -> (ChangeLog, Option<(serde_json::Value, ChangeLogError)>) {
    match ws.extra.shift_remove("change_log") {
        None | Some(serde_json::Value::Null) => (ChangeLog::default(), None),
        Some(saved) => match ChangeLog::read(&saved) {
            Ok(log) => (log, None),
            Err(why) => (ChangeLog::default(), Some((saved, why))),
        },
    }
}
