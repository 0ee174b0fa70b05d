//! A large change carried out a slice at a time, so that the window can
//! show its progress and stay responsive: applying a command (Apply
//! policies, Reclaim › Apply suggestions at 100,000 users change tens of
//! thousands of subjects), undoing or redoing one. The slices go through
//! a `Transaction`, as a CSV import's parts do; the whole run is one undo
//! step (or moves one step between the undo and redo lists), and a run
//! stopped half-way is rolled back, a slice at a time too, leaving the
//! document as it was.
//!
//! Cutting a command into slices changes nothing of what it does: every
//! part checks its subjects one after another either way (the rules see
//! the counts the subjects before left), and each slice keeps the labels
//! of the batches it comes from, so the change log credits each change to
//! the same rule as before.

use std::sync::Arc;

use super::{Document, Mode, Outcome, Step, SubjectOutcome, Transaction};
use crate::edit::command::Command;
use crate::model::subject::Subject;

/// How many subjects a command names: its size, for cutting it into slices
/// and for choosing whether to (a command about something else counts one).
pub fn size(command: &Command) -> usize {
    match command {
        Command::Batch { commands, .. } => commands.iter().map(size).sum(),
        other => subjects_of(other).max(1),
    }
}

/// The subjects a part names, for those that name a list of them.
fn subjects_of(command: &Command) -> usize {
    match command {
        Command::Assign { subjects, .. }
        | Command::Unassign { subjects, .. }
        | Command::SetAcd { subjects, .. }
        | Command::SetIpa { subjects, .. } => subjects.len(),
        Command::SetMethod { users, .. } | Command::SetRole { users, .. } | Command::SetMembership { users, .. } => {
            users.len()
        }
        _ => 0,
    }
}

/// `items` in runs of at most `max`, moved (not copied).
fn runs<T>(items: Vec<T>, max: usize) -> Vec<Vec<T>> {
    let mut out = Vec::with_capacity(items.len().div_ceil(max));
    let mut items = items.into_iter();
    loop {
        let run: Vec<T> = items.by_ref().take(max).collect();
        if run.is_empty() {
            return out;
        }
        out.push(run);
    }
}

/// A part about a list of subjects, cut into parts of at most `max`.
fn cut(command: Command, max: usize) -> Vec<Command> {
    match command {
        Command::Assign { subjects, key, method } => runs(subjects, max)
            .into_iter()
            .map(|subjects| Command::Assign {
                subjects,
                key: key.clone(),
                method,
            })
            .collect(),
        Command::Unassign { subjects, key } => runs(subjects, max)
            .into_iter()
            .map(|subjects| Command::Unassign {
                subjects,
                key: key.clone(),
            })
            .collect(),
        Command::SetAcd { subjects, level, media } => runs(subjects, max)
            .into_iter()
            .map(|subjects| Command::SetAcd {
                subjects,
                level,
                media: media.clone(),
            })
            .collect(),
        Command::SetIpa { subjects, level } => runs(subjects, max)
            .into_iter()
            .map(|subjects| Command::SetIpa { subjects, level })
            .collect(),
        Command::SetMethod { users, method } => runs(users, max)
            .into_iter()
            .map(|users| Command::SetMethod { users, method })
            .collect(),
        Command::SetRole { users, role, member } => runs(users, max)
            .into_iter()
            .map(|users| Command::SetRole {
                users,
                role: role.clone(),
                member,
            })
            .collect(),
        Command::SetMembership {
            users,
            workgroup,
            member,
        } => runs(users, max)
            .into_iter()
            .map(|users| Command::SetMembership {
                users,
                workgroup: workgroup.clone(),
                member,
            })
            .collect(),
        other => vec![other],
    }
}

/// `command` cut into slices of at most `max` subjects each (a part about
/// one thing counts one), in order; each piece inside keeps the labels of
/// the batches around it.
pub fn slices(command: &Command, max: usize) -> Vec<Command> {
    slices_of(command.clone(), max)
}

/// `slices`, taking the command (its parts are moved into the slices, not
/// copied: an undo restores tens of thousands of whole records).
fn slices_of(command: Command, max: usize) -> Vec<Command> {
    let max = max.max(1);
    let mut out = Vec::new();
    let mut slice: Vec<Command> = Vec::new();
    let mut in_slice = 0;
    let mut labels: Vec<String> = Vec::new();
    pieces(command, max, &mut labels, &mut |piece, n| {
        if in_slice + n > max && !slice.is_empty() {
            out.push(one(std::mem::take(&mut slice)));
            in_slice = 0;
        }
        slice.push(piece);
        in_slice += n;
    });
    if !slice.is_empty() {
        out.push(one(slice));
    }
    out
}

/// The pieces of a command (parts, cut to size), each wrapped in the
/// labelled batches it is in, with its size.
fn pieces(command: Command, max: usize, labels: &mut Vec<String>, emit: &mut dyn FnMut(Command, usize)) {
    match command {
        Command::Batch { commands, label } => {
            let labelled = label.is_some();
            if let Some(l) = label {
                labels.push(l);
            }
            for c in commands {
                pieces(c, max, labels, emit);
            }
            if labelled {
                labels.pop();
            }
        }
        part => {
            for piece in cut(part, max) {
                let n = size(&piece);
                let wrapped = labels.iter().rev().fold(piece, |inner, label| Command::Batch {
                    commands: vec![inner],
                    label: Some(label.clone()),
                });
                emit(wrapped, n);
            }
        }
    }
}

/// One command for a slice's pieces.
fn one(mut pieces: Vec<Command>) -> Command {
    if pieces.len() == 1
        && let Some(only) = pieces.pop()
    {
        return only;
    }
    Command::Batch {
        commands: pieces,
        label: None,
    }
}

/// An empty command, in place of one taken to be cut into slices.
fn nothing() -> Arc<Command> {
    Arc::new(Command::Batch {
        commands: Vec::new(),
        label: None,
    })
}

/// Takes a step's command or inverse to be cut into slices: moved when the
/// step alone holds it, else copied.
fn take(shared: &mut Arc<Command>) -> Command {
    let taken = std::mem::replace(shared, nothing());
    Arc::try_unwrap(taken).unwrap_or_else(|still| (*still).clone())
}

/// The batch a run's slices make again, as one command (what the step
/// stands for once its own command or inverse was taken to cut).
fn rejoined(slices: Vec<Command>, label: Option<String>) -> Arc<Command> {
    Arc::new(Command::Batch {
        commands: slices,
        label,
    })
}

/// What a run does.
#[derive(Debug)]
enum Kind {
    Apply,
    /// The step being undone (back on the undo list if the run stops).
    Undo(Step),
    /// The step being redone (back on the redo list if the run stops), and
    /// its command's label.
    Redo(Step, Option<String>),
}

/// A change being carried out a slice at a time (see the module).
#[derive(Debug)]
pub struct Run {
    kind: Kind,
    tx: Transaction,
    slices: std::vec::IntoIter<Command>,
    /// Subjects in every slice, and in those done.
    total: usize,
    done: usize,
    /// Slices rolled back so far (a run stopped half-way).
    rolled_back: usize,
    /// How large a slice rolled back at a time may be.
    max: usize,
    /// An applied command's first slice: the undo step is named after the
    /// subjects that changed ("to 71,727 users"), not all those asked.
    template: Option<Command>,
}

/// How a run ended.
#[derive(Debug)]
pub enum RunEnd {
    /// Applied, as one undo step; the command it stands for (for the
    /// recovery journal), `None` when nothing changed; every subject's
    /// outcome.
    Applied {
        command: Option<Arc<Command>>,
        outcomes: Vec<SubjectOutcome>,
        /// The change in words (the summary of the command it was cut from).
        summary: String,
    },
    /// Undone: the step's summary.
    Undone(String),
    /// Redone: the step's summary, and every subject's outcome.
    Redone(String, Vec<SubjectOutcome>),
    /// Nothing could be redone: every subject refused (why, the first).
    RedoRefused(String),
}

impl Run {
    /// Subjects done and in all (for a progress bar).
    pub fn progress(&self) -> (usize, usize) {
        (self.done, self.total)
    }

    /// Is every slice done?
    pub fn is_done(&self) -> bool {
        self.slices.len() == 0
    }

    /// Slices applied and not yet rolled back (while rolling back).
    pub fn left_to_roll_back(&self) -> usize {
        self.tx.inverses.len()
    }

    /// The change in words: the command's summary, "Undo: …", "Redo: …".
    pub fn summary(&self) -> String {
        format!("{}{}", self.tx.log_prefix, self.tx.summary)
    }

    /// Is this run undoing a step (or redoing one)?
    pub fn is_undo(&self) -> bool {
        matches!(self.kind, Kind::Undo(_))
    }

    pub fn is_redo(&self) -> bool {
        matches!(self.kind, Kind::Redo(..))
    }
}

impl Document {
    /// Starts applying `command` in slices of at most `max` subjects.
    pub fn start_run(&self, command: Command, max: usize) -> Run {
        let mut run = self.run_of(Kind::Apply, self.begin(command.summary()), command, max);
        run.template = run.slices.as_slice().first().cloned();
        run
    }

    /// Starts undoing the last step in slices (`None`: nothing to undo, or
    /// a license replacement, which is undone at once by `undo`).
    pub fn start_undo_run(&mut self, max: usize) -> Option<Run> {
        let mut step = self.undo.pop()?;
        if step.license.is_some() {
            self.undo.push(step);
            return None;
        }
        let mut tx = self.begin(step.summary.clone());
        tx.mode = Mode::Restore;
        tx.log_prefix = "Undo: ";
        // Cut without a copy; the step gets it back, as its slices, when
        // the run ends (`rejoined`).
        let inverse = take(&mut step.inverse);
        Some(self.run_of(Kind::Undo(step), tx, inverse, max))
    }

    /// Starts redoing the last undone step in slices (`None`: nothing to
    /// redo, or a license replacement, which is redone at once by `redo`).
    pub fn start_redo_run(&mut self, max: usize) -> Option<Run> {
        let mut step = self.redo.pop()?;
        if step.license.is_some() {
            self.redo.push(step);
            return None;
        }
        let mut tx = self.begin(step.summary.clone());
        tx.log_prefix = "Redo: ";
        let command = take(&mut step.command);
        let label = match &command {
            Command::Batch { label, .. } => label.clone(),
            _ => None,
        };
        Some(self.run_of(Kind::Redo(step, label), tx, command, max))
    }

    fn run_of(&self, kind: Kind, tx: Transaction, command: Command, max: usize) -> Run {
        let slices = slices_of(command, max);
        let total = slices.iter().map(size).sum();
        Run {
            kind,
            tx,
            slices: slices.into_iter(),
            total,
            done: 0,
            rolled_back: 0,
            max: max.max(1),
            template: None,
        }
    }

    /// Carries out the next slice; true when every slice is done.
    pub fn run_slice(&mut self, run: &mut Run) -> bool {
        if let Some(slice) = run.slices.next() {
            run.done += size(&slice);
            self.exec_part(&mut run.tx, &slice);
            // Every slice, refused or not: together they are the step's
            // command (or inverse) again, as the whole command would be.
            run.tx.commands.push(slice);
        }
        run.is_done()
    }

    /// The size of the step `undo` would undo (0: none).
    pub fn undo_size(&self) -> usize {
        self.undo
            .last()
            .filter(|s| s.license.is_none())
            .map_or(0, |s| size(&s.inverse))
    }

    /// The size of the step `redo` would redo (0: none).
    pub fn redo_size(&self) -> usize {
        self.redo
            .last()
            .filter(|s| s.license.is_none())
            .map_or(0, |s| size(&s.command))
    }

    /// Ends a run whose slices are all done: the applied slices become one
    /// undo step (the undone step moves to the redo list, the redone one
    /// back to the undo list).
    pub fn finish_run(&mut self, run: Run) -> RunEnd {
        let Run {
            kind,
            mut tx,
            template,
            total,
            ..
        } = run;
        match kind {
            Kind::Apply => {
                // Named after the subjects that changed, as `apply` names a
                // step made at once (`Command::summary_applied`).
                let changed = tx.outcomes.iter().filter(|o| o.outcome == Outcome::Changed).count();
                if let Some(template) = template.filter(|_| changed > 0 && changed < total) {
                    let changed: Vec<Subject> = tx
                        .outcomes
                        .iter()
                        .filter(|o| o.outcome == Outcome::Changed)
                        .map(|o| o.subject.clone())
                        .collect();
                    let applied = template.summary_applied(changed);
                    // The slices were logged under the words of all asked;
                    // the log names what changed, as the undo step does.
                    Arc::make_mut(&mut self.log).rename_since(tx.log_from, &tx.summary, &applied);
                    tx.summary = applied;
                }
                // Handed over, not copied (90k outcomes at 100k users).
                let (outcomes, summary) = (std::mem::take(&mut tx.outcomes), tx.summary.clone());
                // Labelled with what was applied: the journal's record of
                // it, replayed after a crash, is then called the same.
                RunEnd::Applied {
                    command: self.commit_as(tx, Some(summary.clone())),
                    outcomes,
                    summary,
                }
            }
            Kind::Undo(mut step) => {
                self.generation += 1;
                step.inverse = rejoined(std::mem::take(&mut tx.commands), None);
                let summary = step.summary.clone();
                self.redo.push(step);
                // What the undo did to get there (its inverses, every
                // subject's outcome) is freed off this thread.
                super::drop_elsewhere(total, tx);
                RunEnd::Undone(summary)
            }
            Kind::Redo(mut step, label) => {
                let refused = tx.outcomes.iter().find_map(|o| match &o.outcome {
                    Outcome::Refused { reason, .. } => Some(reason.clone()),
                    _ => None,
                });
                step.command = rejoined(tx.commands, label);
                if !tx.changed
                    && let Some(reason) = refused
                {
                    // As `redo`: nothing changed, the step stays to redo.
                    self.redo.push(step);
                    return RunEnd::RedoRefused(reason);
                }
                self.generation += 1;
                let inverse = Command::Batch {
                    commands: tx
                        .inverses
                        .into_iter()
                        .rev()
                        .map(|i| Arc::try_unwrap(i).unwrap_or_else(|shared| (*shared).clone()))
                        .collect(),
                    label: None,
                };
                let summary = step.summary.clone();
                self.undo.push(Step {
                    inverse: Arc::new(inverse),
                    ..step
                });
                RunEnd::Redone(summary, tx.outcomes)
            }
        }
    }

    /// Rolls back part of a run that was stopped: up to a slice's worth of
    /// what it did, newest first. True once everything is rolled back; then
    /// `abandon_run` puts the document's lists back as they were.
    pub fn roll_back_slice(&mut self, run: &mut Run) -> bool {
        let mut budget = run.max;
        while budget > 0
            && let Some(inverse) = run.tx.inverses.pop()
        {
            budget = budget.saturating_sub(size(&inverse));
            run.rolled_back += 1;
            let _ = self.exec(&inverse, Mode::Restore);
        }
        run.tx.inverses.is_empty()
    }

    /// Ends a rolled-back run: the change log loses its entries, and the
    /// step being undone or redone goes back where it was.
    pub fn abandon_run(&mut self, mut run: Run) {
        while !self.roll_back_slice(&mut run) {}
        Arc::make_mut(&mut self.log).truncate(run.tx.log_from);
        // The step's own command or inverse, as its slices: those carried
        // out (and rolled back) and those left.
        let mut all = std::mem::take(&mut run.tx.commands);
        all.extend(run.slices);
        match run.kind {
            Kind::Apply => {}
            Kind::Undo(mut step) => {
                step.inverse = rejoined(all, None);
                self.undo.push(step);
            }
            Kind::Redo(mut step, label) => {
                step.command = rejoined(all, label);
                self.redo.push(step);
            }
        }
    }
}
