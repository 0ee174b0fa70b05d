//! A large change applied, undone or redone a slice per frame
//! (`ui::apply_job`): its progress window with Cancel, and what the app
//! does when it ends — the status bar, the refusals in front, the
//! recovery journal.

use super::*;
use crate::core::document::{Applied, Run, RunEnd, SubjectOutcome};
use crate::core::editing::{EditError, Session};
use crate::ui::apply_job::{ApplyJob, Ended};

impl App {
    /// Starts a run made by `start` through the session (nothing to run:
    /// `Ok(None)`; a change that may not begin now: the status bar says why).
    pub(super) fn start_run(&mut self, start: impl FnOnce(&mut Session) -> Result<Option<Run>, EditError>) {
        match start(&mut self.session) {
            Ok(Some(run)) => self.applying = Some(ApplyJob::new(run, self.limits.hold.clone())),
            Ok(None) => {}
            Err(e) => self.status_message = Some((false, e.to_string())),
        }
    }

    /// Is a change being applied, undone or redone over several frames?
    pub fn is_applying(&self) -> bool {
        self.applying.is_some()
    }

    /// Runs a change in progress to its end (tests; the window steps it).
    pub fn finish_applying(&mut self) {
        if let Some(job) = self.applying.take() {
            let ended = job.finish(&mut self.session);
            self.run_ended(ended);
        }
        self.poll_recording(true);
    }

    /// Moves a change in progress on by a frame's worth of slices.
    pub(super) fn step_apply(&mut self) {
        let Some(job) = &mut self.applying else { return };
        if job.step(&mut self.session, self.frame_started).is_none() {
            return;
        }
        if let Some(job) = self.applying.take() {
            let ended = job.end(&mut self.session);
            self.run_ended(ended);
        }
    }

    /// The progress window of a change in progress, with Cancel.
    pub(super) fn apply_dialog(&mut self, ctx: &egui::Context) {
        let Some(job) = &self.applying else { return };
        // The next slice comes with the next frame.
        ctx.request_repaint();
        let (detail, fraction) = job.progress();
        let cancelling = job.is_cancelling();
        let cancel = widgets::progress_window(
            ctx,
            "applying-change",
            widgets::Progress {
                heading: job.heading(),
                detail,
                fraction,
                started: job.started,
                note: if cancelling {
                    "nothing will be changed"
                } else {
                    "Cancel puts everything back as it was"
                },
            },
        );
        if cancel && let Some(job) = &mut self.applying {
            job.cancel();
        }
    }

    fn run_ended(&mut self, ended: Ended) {
        let at = self.clock.now();
        match ended {
            Ended::Cancelled(what) => {
                self.status_message = Some((true, format!("{what}: cancelled; nothing was changed")));
            }
            Ended::Done(RunEnd::Applied {
                command,
                outcomes,
                summary,
            }) => self.applied_in_slices(command, outcomes, summary),
            Ended::Done(RunEnd::Undone(summary)) => {
                self.status_message = Some(match self.session.record_undone(at) {
                    Ok(()) => (true, format!("Undid: {summary}")),
                    Err(e) => (false, format!("Cannot undo: {e}")),
                });
            }
            Ended::Done(RunEnd::Redone(summary, _)) => {
                self.status_message = Some(match self.session.record_redone(at) {
                    Ok(()) => (true, format!("Redid: {summary}")),
                    Err(e) => (false, format!("Cannot redo: {e}")),
                });
            }
            Ended::Done(RunEnd::RedoRefused(why)) => {
                self.status_message = Some((false, format!("Cannot redo: {why}")));
            }
        }
    }

    /// A change applied in slices: the status bar as `apply` says it, the
    /// refusals in front, and the journal line (made on a worker).
    fn applied_in_slices(&mut self, command: Option<Arc<Command>>, outcomes: Vec<SubjectOutcome>, summary: String) {
        let report = Applied {
            outcomes,
            changes: Vec::new(),
            inverse: Arc::new(Command::Batch {
                commands: Vec::new(),
                label: None,
            }),
            credits: Vec::new(),
        };
        let refused: Vec<&str> = report.refused().map(|(_, why)| why).collect();
        let Some(command) = command else {
            // Nothing changed: every subject was refused, or had it already.
            self.status_message = Some((
                refused.is_empty(),
                refused
                    .first()
                    .map_or_else(|| format!("{summary}: nothing to change"), |why| why.to_string()),
            ));
            return;
        };
        let message = if refused.is_empty() {
            summary.clone()
        } else {
            format!(
                "{summary}: {} changed, {} refused ({})",
                report.changed(),
                refused.len(),
                refused[0]
            )
        };
        if let Some(part) = crate::core::plan::AppliedInPart::of(&summary, &report) {
            self.open_modal(Modal::AppliedInPart(Box::new(part)));
        }
        self.status_message = Some((refused.is_empty(), message.clone()));
        self.record_on_worker(command, message, summary);
    }
}
