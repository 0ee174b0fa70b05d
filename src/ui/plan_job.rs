//! Working out a change's plan (`core::plan`) for the confirmation without
//! stalling the window: a small change without much history is planned at
//! once on the document itself (a dry run costs about as much as the bulk
//! dialog's preview); a large one, or one with a long logon history to
//! replay, on a worker thread over a copy of the workspace, reporting the
//! replay's progress and stoppable with Cancel.

use std::sync::Arc;

use crate::core::command::Command;
use crate::core::document::{Document, size};
use crate::core::editing::Session;
use crate::core::plan::{self, ChangePlan, PlanError, Progress};
use crate::core::replay::Event;
use crate::ui::job::{Job, Poll};

/// How large a change may be and still be planned at once, on the
/// window's thread; anything larger is planned on a worker.
pub use crate::ui::job::Limits;

/// A plan being worked out, or worked out.
pub enum PlanJob {
    Ready(Box<ChangePlan>),
    Running(Job<Result<ChangePlan, PlanError>>),
    /// Cancelled, or the worker could not be started or stopped without an
    /// answer: the reason.
    Failed(String),
}

impl PlanJob {
    /// Starts planning `command` on `doc`; `events` is the loaded logon
    /// history, if any; within `limits` at once, else on a worker.
    pub fn start(
        session: &mut Session,
        command: &Command,
        events: Option<Arc<Vec<Event>>>,
        limits: &Limits,
    ) -> PlanJob {
        let small = size(command) <= limits.subjects && events.as_ref().is_none_or(|e| e.len() <= limits.events);
        if small {
            return match plan::plan_in(
                session,
                command,
                events.as_deref().map(Vec::as_slice),
                &Progress::default(),
            ) {
                Ok(p) => PlanJob::Ready(Box::new(p)),
                Err(e) => PlanJob::Failed(e.to_string()),
            };
        }
        // The worker plans on its own document: the workspace as it is now
        // (shared, not copied here; the worker makes its own copy to try the
        // change on), the engine rebuilt there.
        let doc = session.doc();
        let license = doc.license().clone();
        let ws = doc.snapshot();
        let today = doc.today();
        let command = command.clone();
        PlanJob::Running(limits.spawn("change plan", move |progress| {
            let mut doc = Document::new(license, Arc::unwrap_or_clone(ws), today);
            Some(plan::plan(
                &mut doc,
                &command,
                events.as_deref().map(Vec::as_slice),
                progress,
            ))
        }))
    }

    /// The plan, once worked out (polls the worker).
    pub fn poll(&mut self) -> Option<&ChangePlan> {
        if let PlanJob::Running(job) = self {
            match job.poll() {
                Poll::Running => {}
                Poll::Done(Ok(p)) => *self = PlanJob::Ready(Box::new(p)),
                Poll::Done(Err(e)) => *self = PlanJob::Failed(e.to_string()),
                Poll::Gone => *self = PlanJob::Failed(STOPPED.into()),
            }
        }
        match self {
            PlanJob::Ready(p) => Some(p),
            _ => None,
        }
    }

    /// Waits for the worker (tests, benches).
    pub fn wait(&mut self) {
        if let PlanJob::Running(job) = self {
            *self = match job.wait() {
                Some(Ok(p)) => PlanJob::Ready(Box::new(p)),
                Some(Err(e)) => PlanJob::Failed(e.to_string()),
                None => PlanJob::Failed(STOPPED.into()),
            };
        }
    }

    pub fn is_running(&self) -> bool {
        matches!(self, PlanJob::Running(_))
    }

    /// The replay's progress while running (0 to 1).
    pub fn fraction(&self) -> Option<f32> {
        match self {
            PlanJob::Running(job) => Some(job.progress.fraction()),
            _ => None,
        }
    }

    /// Stops the worker (its answer is dropped; dropping the job does too).
    pub fn cancel(&self) {
        if let PlanJob::Running(job) = self {
            job.cancel();
        }
    }
}

/// A worker that stopped (or never started) without a plan.
const STOPPED: &str = "the plan could not be worked out (its worker stopped)";
