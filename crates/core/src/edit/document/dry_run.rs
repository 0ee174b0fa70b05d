//! A dry run part by part: what each part of a command would do to each of
//! its subjects, and the workspace as the whole command would leave it —
//! then everything put back. The confirmation's plan (`core::plan`) is
//! built on it: it needs to know which key a refusal was about, and what
//! every subject holds afterwards, which `preview` (one command, outcomes
//! only) does not say.

use super::{Document, Mode, SubjectOutcome};
use crate::edit::command::Command;
use crate::engine::{Engine, Touched};
use crate::model::workspace::Workspace;

/// One part of a command (a command that is not a `Batch`) and what it did
/// to each of its subjects.
#[derive(Debug, Clone)]
pub struct PartOutcome<'c> {
    pub part: &'c Command,
    pub outcomes: Vec<SubjectOutcome>,
}

/// The parts of a command in the order they run (a `Batch` runs its
/// commands in order; nested batches are flattened).
pub fn parts(command: &Command) -> Vec<&Command> {
    let mut out = Vec::new();
    fn walk<'c>(c: &'c Command, out: &mut Vec<&'c Command>) {
        match c {
            Command::Batch { commands, .. } => commands.iter().for_each(|c| walk(c, out)),
            other => out.push(other),
        }
    }
    walk(command, &mut out);
    out
}

impl Document {
    /// Runs each part of `command` in order, as `apply` would (each part
    /// sees what the parts before it did), lets `inspect` read the
    /// workspace as the whole command would leave it (and the engine's
    /// counts, which follow every part), then puts everything
    /// back. Nothing is recorded: no undo step, no change-log entry, no new
    /// generation; the engine's revision is kept, as in `preview`, since the
    /// document ends exactly as it was.
    pub fn dry_run<'c, R>(
        &mut self,
        command: &'c Command,
        inspect: impl FnOnce(&Workspace, &Engine) -> R,
    ) -> (Vec<PartOutcome<'c>>, R) {
        let revision = self.engine.revision();
        let mut inverses = Vec::new();
        let mut results = Vec::new();
        for part in parts(command) {
            // Diagnostics are brought up to date once, after everything is
            // put back; the counts the rules read follow every part.
            match self.exec_with(part, Mode::Normal, false) {
                Ok(applied) => {
                    inverses.push(applied.inverse);
                    results.push(PartOutcome {
                        part,
                        outcomes: applied.outcomes,
                    });
                }
                // Every subject refused: nothing changed.
                Err(refused) => results.push(PartOutcome {
                    part,
                    outcomes: refused.outcomes,
                }),
            }
        }
        let seen = inspect(&self.ws, &self.engine);
        for inverse in inverses.into_iter().rev() {
            // Moved back into place, not copied, when nothing else holds it.
            self.put_back(std::sync::Arc::try_unwrap(inverse).unwrap_or_else(|shared| (*shared).clone()));
        }
        self.engine
            .refresh(&self.ws, &self.license, self.today, &Touched::default(), false);
        self.engine.keep_revision(revision);
        (results, seen)
    }
}
