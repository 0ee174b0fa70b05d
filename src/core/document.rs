//! The document: a license, a workspace, the engine's derived data and the
//! undo/redo history. `apply` is the only way the workspace changes.

use std::collections::BTreeSet;
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};

use super::changelog::LogEntry;
use serde::Serialize;

use super::catalog::{self, AcdLevel};
use super::command::Command;
use super::engine::{Engine, Touched};
use super::license::License;
use super::rules::{self, Holder, Refusal};
use super::subject::{Subject, SubjectKind};
use super::workspace::{Method, NameSet, Record, Station, User, Workspace, fold};

/// What happened to one subject of a command.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "result", rename_all = "kebab-case")]
pub enum Outcome {
    Changed,
    /// Nothing to do (already so).
    Unchanged {
        reason: String,
    },
    Refused {
        /// The refusal's stable code (`rules::Refusal::code`).
        code: &'static str,
        reason: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SubjectOutcome {
    pub subject: Subject,
    #[serde(flatten)]
    pub outcome: Outcome,
}

/// One recorded change, for the change log: subject, license key (when the
/// change is about one), before and after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub subject: Subject,
    pub key: Option<String>,
    pub before: String,
    pub after: String,
}

/// A command that changed something (or found nothing to do).
#[derive(Debug, Clone)]
pub struct Applied {
    pub outcomes: Vec<SubjectOutcome>,
    pub changes: Vec<Change>,
    pub inverse: Arc<Command>,
}

impl Applied {
    pub fn changed(&self) -> usize {
        self.outcomes.iter().filter(|o| o.outcome == Outcome::Changed).count()
    }
    pub fn refused(&self) -> impl Iterator<Item = (&Subject, &str)> {
        self.outcomes.iter().filter_map(|o| match &o.outcome {
            Outcome::Refused { reason, .. } => Some((&o.subject, reason.as_str())),
            _ => None,
        })
    }
}

/// A command that changed nothing because the rules refused it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    /// The first refused subject's refusal code.
    pub code: &'static str,
    pub reason: String,
    pub outcomes: Vec<SubjectOutcome>,
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.reason)
    }
}

impl std::error::Error for Refused {}

/// A command being applied in parts (see `Document::begin`).
#[derive(Debug)]
pub struct Transaction {
    summary: String,
    commands: Vec<Command>,
    inverses: Vec<Arc<Command>>,
    changed: bool,
    outcomes: Vec<SubjectOutcome>,
    /// The change log's length before the first part.
    log_from: usize,
}

impl Transaction {
    /// Every subject's outcome so far, in order.
    pub fn outcomes(&self) -> &[SubjectOutcome] {
        &self.outcomes
    }
}

/// One undoable step.
#[derive(Debug, Clone)]
pub struct Step {
    /// Shared with the journal's record of it (no copy of a large import).
    pub command: Arc<Command>,
    /// Shared with the `Applied` the step returned (a bulk edit's inverse
    /// restores thousands of subjects; it is not copied).
    pub inverse: Arc<Command>,
    pub summary: String,
    /// A license replacement (old, new) instead of a workspace command.
    pub license: Option<(Arc<License>, Arc<License>)>,
}

#[derive(Debug, Clone)]
pub struct Document {
    license: Arc<License>,
    ws: Workspace,
    engine: Engine,
    undo: Vec<Step>,
    redo: Vec<Step>,
    today: NaiveDate,
    /// Bumped on every change of the workspace (apply, undo, redo, open), so
    /// the app can tell whether there are unsaved changes.
    generation: u64,
    /// The change log, saved with the workspace.
    log: Vec<LogEntry>,
    /// "Now" for change-log entries (the caller's clock; time is an input).
    now: DateTime<Utc>,
    /// Who makes the changes (the OS user).
    actor: String,
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
}

impl Exec {
    fn outcome(&mut self, subject: Subject, outcome: Outcome) {
        self.outcomes.push(SubjectOutcome { subject, outcome });
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
        let log = take_change_log(&mut ws);
        let engine = Engine::build(&ws, &license, today);
        Document {
            license,
            ws,
            engine,
            undo: Vec::new(),
            redo: Vec::new(),
            today,
            generation: 0,
            log,
            now: today.and_time(chrono::NaiveTime::MIN).and_utc(),
            actor: "unknown".into(),
        }
    }

    /// Sets the time and the OS user for change-log entries.
    pub fn set_clock(&mut self, now: DateTime<Utc>, actor: &str) {
        self.now = now;
        if self.actor != actor {
            self.actor = actor.to_string();
        }
    }

    pub fn change_log(&self) -> &[LogEntry] {
        &self.log
    }

    /// The workspace file as it is saved: the workspace and its change log.
    pub fn to_file_value(&self) -> serde_json::Value {
        let mut v = self.ws.to_value();
        if !self.log.is_empty()
            && let (Some(obj), Ok(log)) = (v.as_object_mut(), serde_json::to_value(&self.log))
        {
            obj.insert("change_log".into(), log);
        }
        v
    }

    pub fn to_file_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(&self.ws.file_view(&self.log)).unwrap_or_default();
        text.push('\n');
        text
    }

    /// Writes the saved form (as `to_file_json`) to a writer, without
    /// building it in memory first.
    pub fn write_file_json(&self, w: &mut dyn std::io::Write) -> std::io::Result<()> {
        serde_json::to_writer_pretty(&mut *w, &self.ws.file_view(&self.log))?;
        w.write_all(b"\n")
    }

    /// The saved form as the journal's header holds it (borrowed).
    pub fn file_view(&self) -> super::workspace::FileView<'_, LogEntry> {
        self.ws.file_view(&self.log)
    }

    /// The saved form on one line (for the recovery journal's header).
    pub fn to_file_json_compact(&self) -> String {
        serde_json::to_string(&self.ws.file_view(&self.log)).unwrap_or_default()
    }

    fn log_changes(&mut self, action: &str, changes: &[Change]) {
        for c in changes {
            self.log.push(LogEntry {
                time: self.now,
                user: self.actor.clone(),
                action: action.to_string(),
                subject: c.subject.clone(),
                key: c.key.clone(),
                before: c.before.clone(),
                after: c.after.clone(),
            });
        }
    }

    fn log_license(&mut self, action: &str, old: &License, new: &License) {
        let describe = |l: &License| {
            format!(
                "{} {} {} ({})",
                l.file.product,
                l.file.product_version,
                l.file.level.code(),
                l.file.server.host_id
            )
        };
        self.log.push(LogEntry {
            time: self.now,
            user: self.actor.clone(),
            action: action.to_string(),
            subject: Subject::server(new.file.server.machine_name.clone()),
            key: None,
            before: describe(old),
            after: describe(new),
        });
    }

    pub fn license(&self) -> &Arc<License> {
        &self.license
    }
    pub fn workspace(&self) -> &Workspace {
        &self.ws
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

    /// Would replacing a user's record with `draft` be allowed? (The User
    /// Configuration dialog asks before OK.)
    pub fn check_user_draft(&self, draft: &User) -> Result<(), Refusal> {
        let before = self.ws.user(&draft.id);
        self.check_user(before, draft)
    }

    /// Would replacing a station's record with `draft` be allowed?
    pub fn check_station_draft(&self, draft: &Station) -> Result<(), Refusal> {
        match self.ws.station(&draft.id) {
            Some(before) => self.check_station(before, draft),
            None => self.check_station(
                &Station {
                    licenses: NameSet::new(),
                    ..draft.clone()
                },
                draft,
            ),
        }
    }

    /// How many more of a key can be configured with a method: assignable
    /// licenses left, or the pool size for concurrent (pools may be
    /// oversubscribed, so that is a ceiling on use, not on configuration).
    pub fn remaining(&self, key: &str, method: Method) -> u32 {
        let Some(a) = self.license.allowance(key) else { return 0 };
        match method {
            Method::Assignable => a.assigned.saturating_sub(self.engine.configured(key).assignable),
            Method::Concurrent => a.pooled,
        }
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

    fn install(&mut self, mut ws: Workspace, engine: Engine) {
        self.log = take_change_log(&mut ws);
        self.ws = ws;
        self.engine = engine;
        self.undo.clear();
        self.redo.clear();
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
        self.log.truncate(len);
    }

    /// Forgets the step an undo just put on the redo stack (a step taken
    /// back is not redoable).
    pub(crate) fn drop_redo_top(&mut self) {
        self.redo.pop();
    }

    /// Checks the workspace the way loading its file would, before a save.
    /// A refusal here means a rule was bypassed somewhere; the counts are
    /// rebuilt (the check may have put names in canonical form).
    pub fn check_saveable(&mut self) -> Result<(), super::workspace::LoadError> {
        let checked = self.ws.recheck();
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
            self.log_changes(&command.summary(), &applied.changes);
            self.undo.push(Step {
                summary: command.summary(),
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
            let _ = self.exec(&applied.inverse, Mode::Restore);
            return Err(Refused {
                code,
                reason,
                outcomes: applied.outcomes,
            });
        }
        self.record(command, &applied);
        Ok(applied)
    }

    /// Starts a command applied in parts (a large import, a few thousand
    /// rows per frame so the window stays responsive); `commit` makes the
    /// parts one undoable step, `rollback` undoes them.
    pub fn begin(&self, summary: impl Into<String>) -> Transaction {
        Transaction {
            summary: summary.into(),
            commands: Vec::new(),
            inverses: Vec::new(),
            changed: false,
            outcomes: Vec::new(),
            log_from: self.log.len(),
        }
    }

    /// Applies one part; its outcomes (one per subject) are added to the
    /// transaction's, refused ones included.
    pub fn apply_part(&mut self, tx: &mut Transaction, command: Command) {
        match self.exec(&command, Mode::Normal) {
            Ok(applied) => {
                // Logged part by part (the end of a 100k-row import would
                // otherwise log them all in one frame); a rollback drops them.
                self.log_changes(&tx.summary, &applied.changes);
                tx.changed |= !applied.changes.is_empty() || applied.changed() > 0;
                tx.outcomes.extend(applied.outcomes);
                tx.inverses.push(applied.inverse);
                tx.commands.push(command);
            }
            // Nothing changed: every subject of the part was refused.
            Err(refused) => tx.outcomes.extend(refused.outcomes),
        }
    }

    /// Undoes every part applied so far (nothing is recorded).
    pub fn rollback(&mut self, tx: Transaction) {
        for inverse in tx.inverses.iter().rev() {
            let _ = self.exec(inverse, Mode::Restore);
        }
        self.log.truncate(tx.log_from);
    }

    /// Makes the parts one undoable step (when anything changed); returns
    /// the command the step stands for (for the recovery journal).
    pub fn commit(&mut self, tx: Transaction) -> Option<Arc<Command>> {
        if !tx.changed {
            return None;
        }
        let command = Arc::new(Command::Batch { commands: tx.commands });
        let inverse = Command::Batch {
            commands: tx
                .inverses
                .into_iter()
                .rev()
                .map(|i| Arc::try_unwrap(i).unwrap_or_else(|shared| (*shared).clone()))
                .collect(),
        };
        self.generation += 1;
        self.undo.push(Step {
            summary: tx.summary,
            command: command.clone(),
            inverse: Arc::new(inverse),
            license: None,
        });
        self.redo.clear();
        Some(command)
    }

    /// What a command would do, without doing it.
    /// The command is applied and at once undone in place: a copy of a
    /// 100k-user document would cost ≈ 100 ms and ≈ 120 MB per preview.
    /// Nothing is recorded (no undo step, no change-log entry, no new
    /// generation); only the engine's revision moves.
    pub fn preview(&mut self, command: &Command) -> Result<Applied, Refused> {
        let result = self.exec(command, Mode::Normal);
        if let Ok(applied) = &result {
            let _ = self.exec(&applied.inverse, Mode::Restore);
        }
        result
    }

    /// Replaces the license as one undoable step (Compare and load).
    pub fn replace_license(&mut self, new: Arc<License>, summary: String) {
        let old = std::mem::replace(&mut self.license, new.clone());
        self.rebuild();
        self.log_license(&summary, &old, &new);
        let empty = Command::Batch { commands: Vec::new() };
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
                self.log_changes(&format!("Redo: {}", step.summary), &applied.changes);
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
        let mut x = Exec::default();
        self.run(command, mode, &mut x);
        self.engine
            .refresh(&self.ws, &self.license, self.today, &Touched::default(), false);
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
            1 => x.inverses.pop().unwrap_or(Command::Batch { commands: Vec::new() }),
            _ => Command::Batch { commands: x.inverses },
        };
        Ok(Applied {
            outcomes: x.outcomes,
            changes: x.changes,
            inverse: Arc::new(inverse),
        })
    }

    /// Recounts what a step of a command touched; the diagnostics follow
    /// once the whole command has run (`exec`).
    fn refresh(&mut self, touched: &Touched) {
        self.engine.count(&self.ws, touched);
    }

    fn run(&mut self, command: &Command, mode: Mode, x: &mut Exec) {
        match command {
            Command::Assign { subjects, key, method } => {
                let key = catalog::canonical(key).to_string();
                for s in subjects {
                    self.edit_subject(s, mode, x, |holder_method, licenses, _| {
                        if let Some(m) = method {
                            match holder_method {
                                None if *m == Method::Concurrent => {
                                    return Err(Refusal::StationNeverConcurrent);
                                }
                                Some(own) if own != *m => {
                                    return Err(Refusal::OneMethodPerUser { method: own.label() });
                                }
                                _ => {}
                            }
                        }
                        if !licenses.insert(key.clone()) {
                            return Ok(Some(format!("already has {}", catalog::label(&key))));
                        }
                        Ok(None)
                    });
                }
            }
            Command::Unassign { subjects, key } => {
                let key = catalog::canonical(key).to_string();
                for s in subjects {
                    self.edit_subject(s, mode, x, |_, licenses, _| {
                        if licenses.remove(&key) {
                            Ok(None)
                        } else {
                            Ok(Some(format!("does not have {}", catalog::label(&key))))
                        }
                    });
                }
            }
            Command::SetMethod { users, method } => {
                for id in users {
                    self.edit_user(id, mode, x, |u| {
                        if u.method == *method {
                            return Ok(Some(format!("already {}", method.label())));
                        }
                        u.method = *method;
                        Ok(None)
                    });
                }
            }
            Command::SetAcd { subjects, level, media } => {
                for s in subjects {
                    self.edit_subject(s, mode, x, |_, licenses, types| {
                        licenses.retain(|k| catalog::acd_level_of(k).is_none());
                        types.clear();
                        if let Some(level) = level {
                            licenses.insert(level.key());
                            if *level != AcdLevel::Media3Plus {
                                types.extend(media.iter().copied());
                            }
                        }
                        Ok(None)
                    });
                }
            }
            Command::SetIpa { subjects, level } => {
                for s in subjects {
                    self.edit_subject(s, mode, x, |_, licenses, _| {
                        licenses.retain(|k| catalog::ipa_level_of(k).is_none());
                        if let Some(level) = level {
                            licenses.insert(level.key());
                        }
                        Ok(None)
                    });
                }
            }
            Command::AddUser { user, at } => self.add_record(user, *at, mode, x),
            Command::RemoveUser { id } => self.remove_record::<User>(id, x),
            Command::RenameUser { id, new_id } => self.rename_record::<User>(id, new_id, x),
            Command::SetUserName { id, name } => {
                self.edit_user(id, mode, x, |u| {
                    if u.name == *name {
                        return Ok(Some("same name".into()));
                    }
                    u.name = name.clone();
                    Ok(None)
                });
            }
            Command::AddStation { station, at } => self.add_record(station, *at, mode, x),
            Command::RemoveStation { id } => self.remove_record::<Station>(id, x),
            Command::RenameStation { id, new_id } => self.rename_record::<Station>(id, new_id, x),
            Command::SetStation {
                id,
                kind,
                enabled,
                machine_name,
            } => {
                let subject = Subject::station(id.clone());
                let Some(before) = self.ws.station(id).cloned() else {
                    return x.refuse(subject, Refusal::NoSuchStation { id: id.clone() });
                };
                let mut after = before.clone();
                if let Some(k) = kind {
                    after.kind = *k;
                }
                if let Some(e) = enabled {
                    after.enabled = *e;
                }
                if let Some(m) = machine_name {
                    let m = m.trim();
                    if m.is_empty() {
                        return x.refuse(subject, Refusal::MachineNameBlank);
                    }
                    if self.ws.machine_name_taken(m, Some(id)) {
                        return x.refuse(subject, Refusal::MachineNameTaken { name: m.to_string() });
                    }
                    after.machine_name = m.to_string();
                }
                self.commit_station(before, after, x);
            }
            Command::AddWorkgroup { workgroup, at } => {
                let subject = Subject::workgroup(workgroup.name.clone());
                if let Err(why) = rules::check_new_id(
                    &workgroup.name,
                    "workgroup",
                    self.ws.workgroup_pos(&workgroup.name).is_some(),
                ) {
                    return x.refuse(subject, why);
                }
                self.ws.insert_workgroup(*at, workgroup.clone());
                let mut t = Touched::default();
                t.workgroup(&workgroup.name);
                self.refresh(&t);
                x.changes.push(Change {
                    subject: subject.clone(),
                    key: None,
                    before: "—".into(),
                    after: "added".into(),
                });
                x.inverses.push(Command::RemoveWorkgroup {
                    name: workgroup.name.clone(),
                });
                x.outcome(subject, Outcome::Changed);
            }
            Command::RemoveWorkgroup { name } => {
                let subject = Subject::workgroup(name.clone());
                let Some(pos) = self.ws.workgroup_pos(name) else {
                    return x.refuse(subject, Refusal::NoSuchWorkgroup { name: name.clone() });
                };
                let real = self.ws.workgroups()[pos].name.clone();
                let members: Vec<String> = self.engine.members(&real).into_iter().map(str::to_string).collect();
                let mut restore = Vec::new();
                let mut t = Touched::default();
                for m in &members {
                    if let Some(u) = self.ws.user_mut(m) {
                        restore.push(Command::RestoreUser { user: u.clone() });
                        u.workgroups.remove(&real);
                        t.users.insert(fold(m));
                    }
                }
                let Some((at, wg)) = self.ws.remove_workgroup(&real) else {
                    return;
                };
                t.workgroup(&real);
                self.refresh(&t);
                x.changes.push(Change {
                    subject: subject.clone(),
                    key: None,
                    before: format!("{} members", members.len()),
                    after: "removed".into(),
                });
                let mut inverse = vec![Command::AddWorkgroup {
                    workgroup: wg,
                    at: Some(at),
                }];
                inverse.extend(restore);
                x.inverses.push(Command::Batch { commands: inverse });
                x.outcome(subject, Outcome::Changed);
            }
            Command::RenameWorkgroup { name, new_name } => {
                let subject = Subject::workgroup(name.clone());
                let Some(pos) = self.ws.workgroup_pos(name) else {
                    return x.refuse(subject, Refusal::NoSuchWorkgroup { name: name.clone() });
                };
                let real = self.ws.workgroups()[pos].name.clone();
                let taken = self.ws.workgroup_pos(new_name).is_some() && fold(new_name) != fold(name);
                if let Err(why) = rules::check_new_id(new_name, "workgroup", taken) {
                    return x.refuse(subject, why);
                }
                if real == *new_name {
                    return x.outcome(
                        subject,
                        Outcome::Unchanged {
                            reason: "same name".into(),
                        },
                    );
                }
                let members: Vec<String> = self.engine.members(&real).into_iter().map(str::to_string).collect();
                let mut t = Touched::default();
                for m in &members {
                    if let Some(u) = self.ws.user_mut(m) {
                        u.workgroups.remove(&real);
                        u.workgroups.insert(new_name.clone());
                        t.users.insert(fold(m));
                    }
                }
                self.ws.rename_workgroup(&real, new_name);
                t.workgroup(&real);
                t.workgroup(new_name);
                self.refresh(&t);
                x.changes.push(Change {
                    subject: Subject::workgroup(new_name.clone()),
                    key: None,
                    before: real.clone(),
                    after: new_name.clone(),
                });
                x.inverses.push(Command::RenameWorkgroup {
                    name: new_name.clone(),
                    new_name: real,
                });
                x.outcome(subject, Outcome::Changed);
            }
            Command::SetWorkgroupMedia { name, media } => {
                let subject = Subject::workgroup(name.clone());
                let Some(wg) = self.ws.workgroup_mut(name) else {
                    return x.refuse(subject, Refusal::NoSuchWorkgroup { name: name.clone() });
                };
                if wg.media == *media {
                    return x.outcome(
                        subject,
                        Outcome::Unchanged {
                            reason: "same media".into(),
                        },
                    );
                }
                let before = std::mem::replace(&mut wg.media, media.clone());
                let real = wg.name.clone();
                let mut t = Touched::default();
                t.workgroup(&real);
                self.refresh(&t);
                x.changes.push(Change {
                    subject: subject.clone(),
                    key: None,
                    before: media_words(&before),
                    after: media_words(media),
                });
                x.inverses.push(Command::SetWorkgroupMedia {
                    name: real,
                    media: before,
                });
                x.outcome(subject, Outcome::Changed);
            }
            Command::SetMembership {
                users,
                workgroup,
                member,
            } => {
                let Some(real) = self.ws.workgroup(workgroup).map(|w| w.name.clone()) else {
                    for u in users {
                        x.refuse(
                            Subject::user(u.clone()),
                            Refusal::NoSuchWorkgroup {
                                name: workgroup.clone(),
                            },
                        );
                    }
                    return;
                };
                let mut changed = Vec::new();
                for id in users {
                    let subject = Subject::user(id.clone());
                    let Some(u) = self.ws.user_mut(id) else {
                        x.refuse(subject, Refusal::NoSuchUser { id: id.clone() });
                        continue;
                    };
                    let did = if *member {
                        u.workgroups.insert(real.clone())
                    } else {
                        u.workgroups.remove(&real)
                    };
                    if !did {
                        let why = if *member {
                            format!("already a member of {real}")
                        } else {
                            format!("not a member of {real}")
                        };
                        x.outcome(subject, Outcome::Unchanged { reason: why });
                        continue;
                    }
                    let uid = u.id.clone();
                    let mut t = Touched::default();
                    t.user(&uid);
                    self.refresh(&t);
                    x.changes.push(Change {
                        subject: Subject::user(uid.clone()),
                        key: None,
                        before: if *member {
                            "—".into()
                        } else {
                            format!("member of {real}")
                        },
                        after: if *member {
                            format!("member of {real}")
                        } else {
                            "—".into()
                        },
                    });
                    changed.push(uid);
                    x.outcome(subject, Outcome::Changed);
                }
                if !changed.is_empty() {
                    x.inverses.push(Command::SetMembership {
                        users: changed,
                        workgroup: real,
                        member: !member,
                    });
                }
            }
            Command::UpdateUser { user } => {
                let mut groups = NameSet::new();
                for g in &user.workgroups {
                    match self.ws.workgroup(g) {
                        Some(wg) => {
                            groups.insert(wg.name.clone());
                        }
                        None => {
                            return x.refuse(
                                Subject::user(user.id.clone()),
                                Refusal::NoSuchWorkgroup { name: g.to_string() },
                            );
                        }
                    }
                }
                self.edit_user(&user.id, mode, x, |u| {
                    u.name = user.name.clone();
                    u.method = user.method;
                    u.licenses = user
                        .licenses
                        .iter()
                        .map(|k| catalog::canonical(k).to_string())
                        .collect();
                    u.acd_media_types = user.acd_media_types.clone();
                    u.workgroups = groups;
                    Ok(None)
                });
            }
            Command::UpdateStation { station } => {
                let subject = Subject::station(station.id.clone());
                let Some(before) = self.ws.station(&station.id).cloned() else {
                    return x.refuse(subject, Refusal::NoSuchStation { id: station.id.clone() });
                };
                let mut after = station.clone();
                after.id = before.id.clone();
                after.licenses = station
                    .licenses
                    .iter()
                    .map(|k| catalog::canonical(k).to_string())
                    .collect();
                let machine = after.machine_name.trim().to_string();
                if machine.is_empty() {
                    return x.refuse(subject, Refusal::MachineNameBlank);
                }
                if self.ws.machine_name_taken(&machine, Some(&before.id)) {
                    return x.refuse(
                        subject,
                        Refusal::MachineNameTaken {
                            name: machine.to_string(),
                        },
                    );
                }
                after.machine_name = machine;
                if mode == Mode::Normal
                    && let Err(why) = self.check_station(&before, &after)
                {
                    return x.refuse(subject, why);
                }
                self.commit_station(before, after, x);
            }
            Command::RestoreUser { user } if mode == Mode::Normal => {
                x.refuse(Subject::user(user.id.clone()), Refusal::InternalOnly)
            }
            Command::RestoreStation { station } if mode == Mode::Normal => {
                x.refuse(Subject::station(station.id.clone()), Refusal::InternalOnly)
            }
            Command::RestoreUser { user } => {
                let subject = Subject::user(user.id.clone());
                let Some(pos) = self.ws.user_pos(&user.id) else {
                    return x.refuse(subject, Refusal::NoSuchUser { id: user.id.clone() });
                };
                let before = self.ws.users()[pos].clone();
                self.commit_user(before, user.clone(), x);
            }
            Command::RestoreStation { station } => {
                let subject = Subject::station(station.id.clone());
                let Some(before) = self.ws.station(&station.id).cloned() else {
                    return x.refuse(subject, Refusal::NoSuchStation { id: station.id.clone() });
                };
                self.commit_station(before, station.clone(), x);
            }
            Command::Batch { commands } => {
                for c in commands {
                    self.run(c, mode, x);
                }
            }
        }
    }

    /// Removes a user or station (its licenses go with it); the inverse
    /// adds it back where it was.
    fn remove_record<R: Edited>(&mut self, id: &str, x: &mut Exec) {
        let subject = Subject::new(R::KIND, id);
        match self.ws.remove::<R>(id) {
            None => x.refuse(subject, no_such(R::KIND, id)),
            Some((at, record)) => {
                let mut t = Touched::default();
                t.subject(R::KIND, record.id());
                self.refresh(&t);
                x.changes.push(Change {
                    subject: Subject::new(R::KIND, record.id()),
                    key: None,
                    before: "exists".into(),
                    after: "removed".into(),
                });
                x.inverses.push(R::add_back(record, at));
                x.outcome(subject, Outcome::Changed);
            }
        }
    }

    /// Renames a user or station; the inverse renames it back.
    fn rename_record<R: Edited>(&mut self, id: &str, new_id: &str, x: &mut Exec) {
        let subject = Subject::new(R::KIND, id);
        let Some(old) = R::position(&self.ws, id).map(|i| R::all(&self.ws)[i].id().to_string()) else {
            return x.refuse(subject, no_such(R::KIND, id));
        };
        let taken = R::position(&self.ws, new_id).is_some() && fold(new_id) != fold(id);
        if let Err(why) = rules::check_new_id(new_id, R::NOUN, taken) {
            return x.refuse(subject, why);
        }
        if old == new_id {
            return x.outcome(
                subject,
                Outcome::Unchanged {
                    reason: "same ID".into(),
                },
            );
        }
        self.ws.rename::<R>(id, new_id);
        let mut t = Touched::default();
        t.subject(R::KIND, &old);
        t.subject(R::KIND, new_id);
        self.refresh(&t);
        x.changes.push(Change {
            subject: Subject::new(R::KIND, new_id),
            key: None,
            before: old.clone(),
            after: new_id.to_string(),
        });
        x.inverses.push(R::rename_back(new_id.to_string(), old));
        x.outcome(subject, Outcome::Changed);
    }

    /// Edits the licensing of a user or station through one closure that
    /// receives (the user's method or None for a station, licenses, ACD types)
    /// and returns Ok(None) for a change, Ok(Some(why)) for nothing to do.
    fn edit_subject(
        &mut self,
        subject: &Subject,
        mode: Mode,
        x: &mut Exec,
        f: impl FnOnce(
            Option<Method>,
            &mut NameSet,
            &mut BTreeSet<super::workspace::MediaType>,
        ) -> Result<Option<String>, Refusal>,
    ) {
        match subject.kind {
            SubjectKind::User => self.edit_record::<User>(&subject.id, mode, x, |u| {
                let (method, licenses, media) = u.licensing();
                f(method, licenses, media)
            }),
            SubjectKind::Station => self.edit_record::<Station>(&subject.id, mode, x, |s| {
                let (method, licenses, media) = s.licensing();
                f(method, licenses, media)
            }),
            _ => x.refuse(
                subject.clone(),
                Refusal::NotAHolder {
                    kind: kind_word(subject.kind),
                },
            ),
        }
    }

    fn edit_user(
        &mut self,
        id: &str,
        mode: Mode,
        x: &mut Exec,
        f: impl FnOnce(&mut User) -> Result<Option<String>, Refusal>,
    ) {
        self.edit_record::<User>(id, mode, x, f);
    }

    /// Changes a user's or station's record with `f`, then checks the rules
    /// (unless undoing) and records the change.
    fn edit_record<R: Edited>(
        &mut self,
        id: &str,
        mode: Mode,
        x: &mut Exec,
        f: impl FnOnce(&mut R) -> Result<Option<String>, Refusal>,
    ) {
        let subject = Subject::new(R::KIND, id);
        let Some(before) = R::position(&self.ws, id).map(|i| R::all(&self.ws)[i].clone()) else {
            return x.refuse(subject, no_such(R::KIND, id));
        };
        let mut after = before.clone();
        match f(&mut after) {
            Err(why) => return x.refuse(subject, why),
            Ok(Some(why)) => return x.outcome(subject, Outcome::Unchanged { reason: why }),
            Ok(None) => {}
        }
        if after == before {
            return x.outcome(
                subject,
                Outcome::Unchanged {
                    reason: "no change".into(),
                },
            );
        }
        if mode == Mode::Normal
            && let Err(why) = R::check(self, &before, &after)
        {
            return x.refuse(subject, why);
        }
        R::commit(self, before, after, x);
    }

    /// The rules for a user's new licensing: every newly held (or newly
    /// assignable) key must be allowed and, if assignable, available.
    fn check_user(&self, before: Option<&User>, after: &User) -> Result<(), Refusal> {
        for key in &after.licenses {
            let held_same = before.is_some_and(|b| b.licenses.contains(key) && b.method == after.method);
            if held_same {
                continue;
            }
            rules::check_allowed(
                &self.license,
                Holder::User {
                    id: &after.id,
                    method: after.method,
                },
                key,
            )?;
            if after.method == Method::Assignable {
                rules::check_capacity(&self.license, key, self.engine.configured(key).assignable)?;
            }
        }
        rules::check_media_count(&after.licenses, &after.acd_media_types)
    }

    fn check_station(&self, before: &Station, after: &Station) -> Result<(), Refusal> {
        for key in &after.licenses {
            if before.licenses.contains(key) {
                continue;
            }
            rules::check_allowed(&self.license, Holder::Station { id: &after.id }, key)?;
            rules::check_capacity(&self.license, key, self.engine.configured(key).assignable)?;
        }
        rules::check_media_count(&after.licenses, &after.acd_media_types)
    }

    fn commit_user(&mut self, before: User, after: User, x: &mut Exec) {
        let subject = Subject::user(after.id.clone());
        x.changes.extend(licensing_changes(
            &subject,
            before.method,
            &before.licenses,
            after.method,
            &after.licenses,
        ));
        if before.acd_media_types != after.acd_media_types {
            x.changes.push(Change {
                subject: subject.clone(),
                key: None,
                before: media_words(&before.acd_media_types),
                after: media_words(&after.acd_media_types),
            });
        }
        if before.name != after.name {
            x.changes.push(Change {
                subject: subject.clone(),
                key: None,
                before: before.name.clone(),
                after: after.name.clone(),
            });
        }
        if before.workgroups != after.workgroups {
            x.changes.push(Change {
                subject: subject.clone(),
                key: None,
                before: before.workgroups.iter().cloned().collect::<Vec<_>>().join(", "),
                after: after.workgroups.iter().cloned().collect::<Vec<_>>().join(", "),
            });
        }
        let id = after.id.clone();
        if let Some(u) = self.ws.user_mut(&before.id) {
            *u = after;
        }
        let mut t = Touched::default();
        t.user(&id);
        self.refresh(&t);
        x.inverses.push(Command::RestoreUser { user: before });
        x.outcome(subject, Outcome::Changed);
    }

    fn commit_station(&mut self, before: Station, after: Station, x: &mut Exec) {
        let subject = Subject::station(after.id.clone());
        if before == after {
            return x.outcome(
                subject,
                Outcome::Unchanged {
                    reason: "no change".into(),
                },
            );
        }
        x.changes.extend(licensing_changes(
            &subject,
            Method::Assignable,
            &before.licenses,
            Method::Assignable,
            &after.licenses,
        ));
        for (what, b, a) in [
            ("type", before.kind.label().to_string(), after.kind.label().to_string()),
            ("enabled", before.enabled.to_string(), after.enabled.to_string()),
            ("machine", before.machine_name.clone(), after.machine_name.clone()),
            (
                "media",
                media_words(&before.acd_media_types),
                media_words(&after.acd_media_types),
            ),
        ] {
            if a != b {
                x.changes.push(Change {
                    subject: subject.clone(),
                    key: None,
                    before: format!("{what}: {b}"),
                    after: format!("{what}: {a}"),
                });
            }
        }
        let id = after.id.clone();
        if let Some(s) = self.ws.station_mut(&before.id) {
            *s = after;
        }
        let mut t = Touched::default();
        t.station(&id);
        self.refresh(&t);
        x.inverses.push(Command::RestoreStation { station: before });
        x.outcome(subject, Outcome::Changed);
    }

    /// Adds a user or station: a free ID, the record made canonical
    /// (`Edited::prepare`), the rules for its licenses (unless undoing);
    /// the inverse removes it.
    fn add_record<R: Edited>(&mut self, record: &R, at: Option<usize>, mode: Mode, x: &mut Exec) {
        let subject = Subject::new(R::KIND, record.id());
        let taken = R::position(&self.ws, record.id()).is_some();
        if let Err(why) = rules::check_new_id(record.id(), R::NOUN, taken) {
            return x.refuse(subject, why);
        }
        let record = match R::prepare(self, record.clone()) {
            Ok(record) => record,
            Err(why) => return x.refuse(subject, why),
        };
        if mode == Mode::Normal
            && let Err(why) = R::check_new(self, &record)
        {
            return x.refuse(subject, why);
        }
        let id = record.id().to_string();
        self.ws.insert(at, record);
        let mut t = Touched::default();
        t.subject(R::KIND, &id);
        self.refresh(&t);
        x.changes.push(Change {
            subject: subject.clone(),
            key: None,
            before: "—".into(),
            after: "added".into(),
        });
        x.inverses.push(R::remove_command(id));
        x.outcome(subject, Outcome::Changed);
    }

    /// A new user's keys in canonical form and memberships in each
    /// workgroup's own spelling (a workgroup that does not exist is refused).
    fn prepare_user(&self, mut user: User) -> Result<User, Refusal> {
        user.licenses = user.licenses.iter().map(|k| catalog::canonical(k)).collect();
        let mut groups = NameSet::new();
        for g in &user.workgroups {
            let wg = self
                .ws
                .workgroup(g)
                .ok_or_else(|| Refusal::NoSuchWorkgroup { name: g.to_string() })?;
            groups.insert(wg.name.clone());
        }
        user.workgroups = groups;
        Ok(user)
    }

    /// A new station's Licensed Machine Name (the station name when blank;
    /// unique) and keys in canonical form.
    fn prepare_station(&self, mut station: Station) -> Result<Station, Refusal> {
        if station.machine_name.trim().is_empty() {
            station.machine_name = station.id.clone();
        }
        if self.ws.machine_name_taken(&station.machine_name, None) {
            return Err(Refusal::MachineNameTaken {
                name: station.machine_name.clone(),
            });
        }
        station.licenses = station
            .licenses
            .iter()
            .map(|k| catalog::canonical(k).to_string())
            .collect();
        Ok(station)
    }
}

/// Moves a saved change log out of the workspace's unknown fields (a log
/// that does not parse stays there, so it is still written back).
fn take_change_log(ws: &mut Workspace) -> Vec<LogEntry> {
    match ws
        .extra
        .get("change_log")
        .map(|v| serde_json::from_value::<Vec<LogEntry>>(v.clone()))
    {
        Some(Ok(log)) => {
            ws.extra.remove("change_log");
            log
        }
        _ => Vec::new(),
    }
}

/// What the document does differently for users and stations: the
/// commands that undo a removal or a rename, the licensing fields, the
/// rules for a change and how it is recorded.
trait Edited: Record + PartialEq {
    fn add_back(record: Self, at: usize) -> Command;
    fn remove_command(id: String) -> Command;
    fn rename_back(id: String, new_id: String) -> Command;
    /// A new record in canonical form, or why it cannot be added.
    fn prepare(doc: &Document, record: Self) -> Result<Self, Refusal>;
    /// The rules for a new record's licenses.
    fn check_new(doc: &Document, record: &Self) -> Result<(), Refusal>;
    /// The allocation method (`None`: a station, always Assignable), the
    /// licenses and the ACD interaction types.
    fn licensing(&mut self) -> (Option<Method>, &mut NameSet, &mut BTreeSet<super::workspace::MediaType>);
    fn check(doc: &Document, before: &Self, after: &Self) -> Result<(), Refusal>;
    fn commit(doc: &mut Document, before: Self, after: Self, x: &mut Exec);
}

impl Edited for User {
    fn remove_command(id: String) -> Command {
        Command::RemoveUser { id }
    }
    fn prepare(doc: &Document, user: Self) -> Result<Self, Refusal> {
        doc.prepare_user(user)
    }
    fn check_new(doc: &Document, user: &Self) -> Result<(), Refusal> {
        doc.check_user(None, user)
    }
    fn licensing(&mut self) -> (Option<Method>, &mut NameSet, &mut BTreeSet<super::workspace::MediaType>) {
        (Some(self.method), &mut self.licenses, &mut self.acd_media_types)
    }
    fn check(doc: &Document, before: &Self, after: &Self) -> Result<(), Refusal> {
        doc.check_user(Some(before), after)
    }
    fn commit(doc: &mut Document, before: Self, after: Self, x: &mut Exec) {
        doc.commit_user(before, after, x);
    }
    fn add_back(user: User, at: usize) -> Command {
        Command::AddUser { user, at: Some(at) }
    }
    fn rename_back(id: String, new_id: String) -> Command {
        Command::RenameUser { id, new_id }
    }
}

impl Edited for Station {
    fn remove_command(id: String) -> Command {
        Command::RemoveStation { id }
    }
    fn prepare(doc: &Document, station: Self) -> Result<Self, Refusal> {
        doc.prepare_station(station)
    }
    fn check_new(doc: &Document, station: &Self) -> Result<(), Refusal> {
        let empty = Station {
            licenses: NameSet::new(),
            ..station.clone()
        };
        doc.check_station(&empty, station)
    }
    fn licensing(&mut self) -> (Option<Method>, &mut NameSet, &mut BTreeSet<super::workspace::MediaType>) {
        (None, &mut self.licenses, &mut self.acd_media_types)
    }
    fn check(doc: &Document, before: &Self, after: &Self) -> Result<(), Refusal> {
        doc.check_station(before, after)
    }
    fn commit(doc: &mut Document, before: Self, after: Self, x: &mut Exec) {
        doc.commit_station(before, after, x);
    }
    fn add_back(station: Station, at: usize) -> Command {
        Command::AddStation { station, at: Some(at) }
    }
    fn rename_back(id: String, new_id: String) -> Command {
        Command::RenameStation { id, new_id }
    }
}

/// "There is no user/station/workgroup …".
fn no_such(kind: SubjectKind, id: &str) -> Refusal {
    match kind {
        SubjectKind::Station => Refusal::NoSuchStation { id: id.to_string() },
        SubjectKind::Workgroup => Refusal::NoSuchWorkgroup { name: id.to_string() },
        _ => Refusal::NoSuchUser { id: id.to_string() },
    }
}

fn kind_word(kind: SubjectKind) -> &'static str {
    match kind {
        SubjectKind::User => "user",
        SubjectKind::Station => "station",
        SubjectKind::Workgroup => "workgroup",
        SubjectKind::License => "license",
        SubjectKind::Server => "server",
    }
}

fn media_words(media: &BTreeSet<super::workspace::MediaType>) -> String {
    if media.is_empty() {
        "—".into()
    } else {
        media.iter().map(|m| m.label()).collect::<Vec<_>>().join(", ")
    }
}

fn licensing_changes(subject: &Subject, m0: Method, before: &NameSet, m1: Method, after: &NameSet) -> Vec<Change> {
    let mut out = Vec::new();
    if m0 != m1 {
        out.push(Change {
            subject: subject.clone(),
            key: None,
            before: m0.label().into(),
            after: m1.label().into(),
        });
    }
    for k in after.difference(before) {
        out.push(Change {
            subject: subject.clone(),
            key: Some(k.to_string()),
            before: "—".into(),
            after: m1.label().into(),
        });
    }
    for k in before.difference(after) {
        out.push(Change {
            subject: subject.clone(),
            key: Some(k.to_string()),
            before: m0.label().into(),
            after: "—".into(),
        });
    }
    out
}
