//! What a command reports: each subject's outcome, the changes for the
//! change log, the inverse for undo; a refusal; a command applied in parts;
//! an undoable step.

use std::sync::Arc;

use serde::Serialize;

use crate::edit::command::Command;
use crate::model::license::License;
use crate::model::subject::Subject;

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
    /// The changes a labelled batch inside the command made (positions in
    /// `changes`) and its label, innermost first: the change log credits
    /// each change to what made it ("Apply policies: Agents" for the key
    /// the Agents rule grants), not to the whole step.
    pub credits: Vec<(std::ops::Range<usize>, String)>,
}

impl Applied {
    /// What the change log says made change `i`: the innermost labelled
    /// batch around it, else the whole command's summary.
    pub fn credit<'a>(&'a self, i: usize, summary: &'a str) -> &'a str {
        self.credits
            .iter()
            .find(|(at, _)| at.contains(&i))
            .map_or(summary, |(_, label)| label.as_str())
    }
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
    pub(super) summary: String,
    pub(super) commands: Vec<Command>,
    pub(super) inverses: Vec<Arc<Command>>,
    pub(super) changed: bool,
    pub(super) outcomes: Vec<SubjectOutcome>,
    /// The change log's length before the first part.
    pub(super) log_from: usize,
    /// Rules checked (applying, redoing) or not (undoing: restoring a state
    /// that was valid when it was left).
    pub(super) mode: super::Mode,
    /// What the change log puts before each change's credit ("Undo: ").
    pub(super) log_prefix: &'static str,
    /// The time of its change-log entries: when it began. A change made in
    /// parts over many frames is one entry (one time, user and action),
    /// not one per part.
    pub(super) at: chrono::DateTime<chrono::Utc>,
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
