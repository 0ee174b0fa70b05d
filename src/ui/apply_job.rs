//! A large change applied, undone or redone a slice at a time
//! (`core::document::Run`), a few milliseconds of it per frame, so the
//! window goes on drawing its progress window; Cancel rolls back what was
//! done, a slice per frame too, and leaves the document as it was. It is
//! the CSV import's way of applying (`ui::import`), for any command.

use crate::core::document::{Run, RunEnd};
use crate::core::editing::Session;

/// Subjects per slice: about 5 µs each at 100,000 users and stations, so a
/// slice is one or two milliseconds.
pub const SLICE: usize = 250;

/// A frame carries out slices until it has taken this long in all (at least
/// one slice each frame): well inside the 16 ms of a smooth frame.
const FRAME_BUDGET: std::time::Duration = std::time::Duration::from_millis(7);

/// A change being carried out, or rolled back after Cancel.
pub struct ApplyJob {
    run: Run,
    pub started: std::time::Instant,
    cancelled: bool,
    /// While set, no slice is carried out (tests: the progress window stays
    /// on screen for as long as they look at it).
    hold: Option<std::sync::Arc<std::sync::atomic::AtomicBool>>,
    /// Slices to roll back when Cancel was pressed (for the progress bar).
    to_roll_back: usize,
    /// Every slice is done; the run ends in the next frame (its end makes
    /// the undo step: a frame's work of its own).
    slices_done: bool,
}

/// How a job ended.
pub enum Ended {
    Done(RunEnd),
    /// Cancelled and rolled back: the change in words.
    Cancelled(String),
}

impl ApplyJob {
    pub fn new(run: Run, hold: Option<std::sync::Arc<std::sync::atomic::AtomicBool>>) -> ApplyJob {
        ApplyJob {
            run,
            started: std::time::Instant::now(),
            cancelled: false,
            hold,
            to_roll_back: 0,
            slices_done: false,
        }
    }

    /// The window's heading: "Applying …", "Undoing …", "Redoing …".
    pub fn heading(&self) -> String {
        let summary = self.run.summary();
        if self.run.is_undo() {
            format!("Undoing {}", summary.trim_start_matches("Undo: "))
        } else if self.run.is_redo() {
            format!("Redoing {}", summary.trim_start_matches("Redo: "))
        } else {
            format!("Applying {summary}")
        }
    }

    /// What the progress window says, and how far along it is (0 to 1).
    pub fn progress(&self) -> (String, f32) {
        let (done, total) = self.run.progress();
        if self.cancelled {
            let left = self.run.left_to_roll_back();
            let back = self.to_roll_back.saturating_sub(left);
            let fraction = back as f32 / self.to_roll_back.max(1) as f32;
            return ("Cancelling: putting everything back as it was".into(), fraction);
        }
        let what = if self.run.is_undo() {
            "Putting back"
        } else {
            "Checking and changing"
        };
        (
            format!(
                "{what} {} of {} users and stations",
                crate::core::text::thousands(done),
                crate::core::text::thousands(total)
            ),
            done as f32 / total.max(1) as f32,
        )
    }

    pub fn is_cancelling(&self) -> bool {
        self.cancelled
    }

    /// Stops the change: what was done is rolled back over the next frames.
    pub fn cancel(&mut self) {
        if !self.cancelled {
            self.cancelled = true;
            self.to_roll_back = self.run.left_to_roll_back();
        }
    }

    /// Moves the job on by a frame's worth of work (the frame began at
    /// `frame`); `Some` when it ends.
    pub fn step(&mut self, session: &mut Session, frame: std::time::Instant) -> Option<()> {
        let held = self
            .hold
            .as_ref()
            .is_some_and(|h| h.load(std::sync::atomic::Ordering::Acquire));
        if held && !self.cancelled {
            return None;
        }
        if self.slices_done && !self.cancelled {
            return Some(());
        }
        loop {
            let finished = if self.cancelled {
                session.roll_back_slice(&mut self.run)
            } else {
                session.run_slice(&mut self.run)
            };
            if finished {
                // Ending the run is a few milliseconds at 100k: in this
                // frame only if it has time left for it.
                if self.cancelled || frame.elapsed() < FRAME_BUDGET / 2 {
                    return Some(());
                }
                self.slices_done = true;
                return None;
            }
            if frame.elapsed() >= FRAME_BUDGET {
                return None;
            }
        }
    }

    /// Ends a job `step` said is over.
    pub fn end(self, session: &mut Session) -> Ended {
        if self.cancelled {
            let what = self.run.summary();
            session.abandon_run(self.run);
            Ended::Cancelled(what)
        } else {
            Ended::Done(session.finish_run(self.run))
        }
    }

    /// Runs the job to its end at once (tests; the window steps it).
    pub fn finish(mut self, session: &mut Session) -> Ended {
        self.hold = None;
        while self.step(session, std::time::Instant::now()).is_none() {}
        self.end(session)
    }
}
