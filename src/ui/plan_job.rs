//! Working out a change's plan (`core::plan`) for the confirmation without
//! stalling the window: a small change without much history is planned at
//! once on the document itself (a dry run costs about as much as the bulk
//! dialog's preview); a large one, or one with a long logon history to
//! replay, on a worker thread over a copy of the workspace, reporting the
//! replay's progress and stoppable with Cancel.

use std::sync::Arc;
use std::sync::mpsc;

use crate::core::command::Command;
use crate::core::document::{Document, parts};
use crate::core::plan::{self, ChangePlan, PlanError, Progress};
use crate::core::replay::Event;

/// How large a change may be and still be planned at once, on the
/// window's thread; anything larger is planned on a worker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Subjects named by the change: a dry run of 5,000 takes a few
    /// milliseconds.
    pub subjects: usize,
    /// Events to replay: the built-in scenarios have a few thousand.
    pub events: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            subjects: 5_000,
            events: 50_000,
        }
    }
}

/// A plan being worked out, or worked out.
pub enum PlanJob {
    Ready(Box<ChangePlan>),
    Running {
        rx: mpsc::Receiver<Result<ChangePlan, PlanError>>,
        progress: Arc<Progress>,
    },
    /// Cancelled, or the worker could not be started or stopped without an
    /// answer: the reason.
    Failed(String),
}

/// How many subjects the parts of a command name (a size, for choosing
/// where to plan it).
fn named(command: &Command) -> usize {
    parts(command)
        .iter()
        .map(|p| match p {
            Command::Assign { subjects, .. }
            | Command::Unassign { subjects, .. }
            | Command::SetAcd { subjects, .. }
            | Command::SetIpa { subjects, .. } => subjects.len(),
            Command::SetMethod { users, .. } | Command::SetRole { users, .. } => users.len(),
            _ => 1,
        })
        .sum()
}

impl PlanJob {
    /// Starts planning `command` on `doc`; `events` is the loaded logon
    /// history, if any; within `limits` at once, else on a worker.
    pub fn start(doc: &mut Document, command: &Command, events: Option<Arc<Vec<Event>>>, limits: Limits) -> PlanJob {
        let small = named(command) <= limits.subjects && events.as_ref().is_none_or(|e| e.len() <= limits.events);
        let progress = Arc::new(Progress::default());
        if small {
            return match plan::plan(doc, command, events.as_deref().map(Vec::as_slice), &progress) {
                Ok(p) => PlanJob::Ready(Box::new(p)),
                Err(e) => PlanJob::Failed(e.to_string()),
            };
        }
        // The worker plans on its own document: the workspace copied here
        // (≈ 15 ms at 100k users and 100k stations), the engine rebuilt
        // there.
        let license = doc.license().clone();
        let ws = doc.workspace().clone();
        let today = doc.today();
        let command = command.clone();
        let (tx, rx) = mpsc::channel();
        let shared = progress.clone();
        let spawned = std::thread::Builder::new().name("change plan".into()).spawn(move || {
            let mut doc = Document::new(license, ws, today);
            let result = plan::plan(&mut doc, &command, events.as_deref().map(Vec::as_slice), &shared);
            // The dialog may be gone (Cancel): nobody to tell.
            let _ = tx.send(result);
        });
        match spawned {
            Ok(_) => PlanJob::Running { rx, progress },
            Err(e) => PlanJob::Failed(format!("the plan could not be worked out ({e})")),
        }
    }

    /// The plan, once worked out (polls the worker).
    pub fn poll(&mut self) -> Option<&ChangePlan> {
        if let PlanJob::Running { rx, .. } = self {
            match rx.try_recv() {
                Ok(Ok(p)) => *self = PlanJob::Ready(Box::new(p)),
                Ok(Err(e)) => *self = PlanJob::Failed(e.to_string()),
                Err(mpsc::TryRecvError::Empty) => {}
                Err(mpsc::TryRecvError::Disconnected) => {
                    *self = PlanJob::Failed("the plan could not be worked out (its worker stopped)".into())
                }
            }
        }
        match self {
            PlanJob::Ready(p) => Some(p),
            _ => None,
        }
    }

    /// Waits for the worker (tests, benches).
    pub fn wait(&mut self) {
        if let PlanJob::Running { rx, .. } = self {
            *self = match rx.recv() {
                Ok(Ok(p)) => PlanJob::Ready(Box::new(p)),
                Ok(Err(e)) => PlanJob::Failed(e.to_string()),
                Err(_) => PlanJob::Failed("the plan could not be worked out (its worker stopped)".into()),
            };
        }
    }

    pub fn is_running(&self) -> bool {
        matches!(self, PlanJob::Running { .. })
    }

    /// The replay's progress while running (0 to 1).
    pub fn fraction(&self) -> Option<f32> {
        match self {
            PlanJob::Running { progress, .. } => Some(progress.fraction()),
            _ => None,
        }
    }

    /// Stops the worker (its answer is dropped).
    pub fn cancel(&self) {
        if let PlanJob::Running { progress, .. } = self {
            progress.cancel();
        }
    }
}

impl Drop for PlanJob {
    fn drop(&mut self) {
        // A dialog closed while planning: the worker stops at its next
        // check instead of replaying to the end for nobody.
        self.cancel();
    }
}
