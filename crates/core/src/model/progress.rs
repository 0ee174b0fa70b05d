//! How far a long piece of work has come, what it is doing, and a way to
//! stop it: shared between the thread doing the work and the one showing
//! it (the GUI's progress windows). The work checks `cancelled` every few
//! thousand steps and gives up there; the caller drops what it had.
//!
//! The core's long work takes one (a replay, Reclaim's candidates, a
//! change's plan); `Progress::default()` is for callers that never stop it.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// Shared by the worker and the window.
#[derive(Debug, Default)]
pub struct Progress {
    done: AtomicUsize,
    total: AtomicUsize,
    cancel: AtomicBool,
    /// What the work is doing now, in the user's words ("Replaying the
    /// events"); empty until it says.
    stage: Mutex<&'static str>,
}

impl Progress {
    /// From 0 to 1 within the current stage; 0 until the work knows its size.
    pub fn fraction(&self) -> f32 {
        let total = self.total.load(Ordering::Relaxed);
        if total == 0 {
            return 0.0;
        }
        (self.done.load(Ordering::Relaxed) as f64 / total as f64).min(1.0) as f32
    }

    /// Steps done and to do in the current stage.
    pub fn counts(&self) -> (usize, usize) {
        (self.done.load(Ordering::Relaxed), self.total.load(Ordering::Relaxed))
    }

    /// Asks the work to stop at its next check.
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    pub fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }

    /// Starts a stage of `total` steps, named for the window.
    pub fn stage_begins(&self, words: &'static str, total: usize) {
        if let Ok(mut stage) = self.stage.lock() {
            *stage = words;
        }
        self.done.store(0, Ordering::Relaxed);
        self.total.store(total, Ordering::Relaxed);
    }

    /// The current stage's words ("" before the first).
    pub fn stage(&self) -> &'static str {
        self.stage.lock().map_or("", |s| *s)
    }

    /// Sets the steps done in the current stage; false when the work
    /// should stop (cancelled).
    pub fn advance(&self, done: usize) -> bool {
        self.done.store(done, Ordering::Relaxed);
        !self.cancelled()
    }
}

/// Where a load is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    Reading,
    Checking,
    Parsing,
    Indexing,
    Counting,
    Done,
}

impl Stage {
    pub(crate) const ALL: [Stage; 6] = [
        Stage::Reading,
        Stage::Checking,
        Stage::Parsing,
        Stage::Indexing,
        Stage::Counting,
        Stage::Done,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Stage::Reading => "Reading the file",
            Stage::Checking => "Checking the file's structure",
            Stage::Parsing => "Reading users, stations and workgroups",
            Stage::Indexing => "Checking ids and building indexes",
            Stage::Counting => "Counting licenses and checking the rules",
            Stage::Done => "Done",
        }
    }

    /// Where the stage starts on the overall bar (measured shares of the
    /// time at 100k users).
    pub(crate) fn start(self) -> f32 {
        match self {
            Stage::Reading => 0.0,
            Stage::Checking => 0.08,
            Stage::Parsing => 0.30,
            Stage::Indexing => 0.70,
            Stage::Counting => 0.85,
            Stage::Done => 1.0,
        }
    }

    pub(crate) fn next(self) -> Stage {
        Stage::ALL.iter().copied().find(|s| *s > self).unwrap_or(Stage::Done)
    }
}

/// The user cancelled: what a stage reports to stop the work (why a load
/// was refused is the loader's own error, `edit::loading::Failure`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cancelled;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fraction_follows_the_stage_and_cancel_is_seen() {
        let p = Progress::default();
        assert_eq!(p.fraction(), 0.0);
        assert_eq!(p.stage(), "");
        p.stage_begins("Replaying the events", 200);
        assert!(p.advance(50));
        assert_eq!(p.fraction(), 0.25);
        assert_eq!(p.counts(), (50, 200));
        assert_eq!(p.stage(), "Replaying the events");
        // A new stage starts from nothing.
        p.stage_begins("Working out the candidates", 10);
        assert_eq!(p.fraction(), 0.0);
        p.cancel();
        assert!(!p.advance(5));
        assert!(p.cancelled());
    }
}
