//! Work that would hold up the window, run on a worker thread: the
//! window polls for the answer once a frame and shows the progress (what
//! the worker is doing and how far, `core::progress::Progress`), and
//! Cancel stops the worker at its next check (its answer, if any, is
//! dropped). A change's plan, opening an events file, the simulation's
//! replays and Reclaim Licenses' candidates all run through `Job`; the
//! progress window is `widgets::progress_window`.
//!
//! What is small enough is done at once instead (tests, the built-in
//! scenarios): `Job::done` holds an answer made on the window's thread,
//! so callers treat both the same.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::sync::mpsc;

pub use crate::core::progress::Progress;

/// How much work is done at once, on the window's thread; anything larger
/// runs on a worker. Tests lower the sizes to take the workers' path, and
/// hold the workers to look at their progress windows.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Subjects a change names: planning 5,000 takes a few milliseconds.
    pub subjects: usize,
    /// Events to replay: the built-in scenarios have a few thousand;
    /// 200,000 over 100,000 users take about a second.
    pub events: usize,
    /// Bytes of an events file read at once (about 90 bytes an event).
    pub event_bytes: u64,
    /// While set, workers wait before they start (tests).
    pub hold: Option<Arc<AtomicBool>>,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            subjects: 5_000,
            events: 50_000,
            event_bytes: 4_000_000,
            hold: None,
        }
    }
}

impl Limits {
    /// Everything on a worker, however small (tests).
    pub fn on_workers() -> Limits {
        Limits {
            subjects: 0,
            events: 0,
            event_bytes: 0,
            hold: None,
        }
    }

    /// Starts `work` on a worker, held while `hold` is set.
    pub fn spawn<T: Send + 'static>(
        &self,
        name: &str,
        work: impl FnOnce(&Progress) -> Option<T> + Send + 'static,
    ) -> Job<T> {
        Job::spawn_held(name, self.hold.clone(), work)
    }
}

/// A piece of work on a worker thread, or already done.
pub struct Job<T> {
    pub progress: Arc<Progress>,
    pub started: std::time::Instant,
    state: State<T>,
}

enum State<T> {
    Running(mpsc::Receiver<Option<T>>),
    Done(Option<T>),
}

/// Where a job is.
pub enum Poll<T> {
    Running,
    /// The answer (taken: a second poll says `Gone`).
    Done(T),
    /// Cancelled, or the worker stopped without an answer.
    Gone,
}

impl<T: Send + 'static> Job<T> {
    /// Runs `work` on a thread named `name`; it reports on the progress it
    /// is given and returns `None` when cancelled.
    pub fn spawn(name: &str, work: impl FnOnce(&Progress) -> Option<T> + Send + 'static) -> Job<T> {
        Self::spawn_held(name, None, work)
    }

    /// `spawn`, the worker first waiting while `hold` is set (tests: the
    /// progress window stays on screen for as long as they look at it).
    pub fn spawn_held(
        name: &str,
        hold: Option<Arc<AtomicBool>>,
        work: impl FnOnce(&Progress) -> Option<T> + Send + 'static,
    ) -> Job<T> {
        let progress = Arc::new(Progress::default());
        let (tx, rx) = mpsc::channel();
        let shared = progress.clone();
        let spawned = std::thread::Builder::new().name(name.into()).spawn(move || {
            if let Some(hold) = hold {
                while hold.load(std::sync::atomic::Ordering::Acquire) && !shared.cancelled() {
                    std::thread::sleep(std::time::Duration::from_millis(5));
                }
            }
            let answer = if shared.cancelled() { None } else { work(&shared) };
            // The window may have stopped waiting (Cancel): nobody to tell.
            let _ = tx.send(answer);
        });
        let state = match spawned {
            Ok(_) => State::Running(rx),
            // No thread to be had: nothing is done, the caller says so.
            Err(_) => State::Done(None),
        };
        Job {
            progress,
            started: std::time::Instant::now(),
            state,
        }
    }

    /// An answer made at once, on the caller's thread.
    pub fn done(answer: T) -> Job<T> {
        Job {
            progress: Arc::new(Progress::default()),
            started: std::time::Instant::now(),
            state: State::Done(Some(answer)),
        }
    }

    /// Takes the answer once the worker has one.
    pub fn poll(&mut self) -> Poll<T> {
        if let State::Running(rx) = &self.state {
            match rx.try_recv() {
                Ok(answer) => self.state = State::Done(answer),
                Err(mpsc::TryRecvError::Empty) => return Poll::Running,
                Err(mpsc::TryRecvError::Disconnected) => self.state = State::Done(None),
            }
        }
        match &mut self.state {
            State::Done(answer) => answer.take().map_or(Poll::Gone, Poll::Done),
            State::Running(_) => Poll::Running,
        }
    }

    /// Waits for the answer (tests, benches; the window polls).
    pub fn wait(&mut self) -> Option<T> {
        if let State::Running(rx) = &self.state {
            self.state = State::Done(rx.recv().ok().flatten());
        }
        match &mut self.state {
            State::Done(answer) => answer.take(),
            State::Running(_) => None,
        }
    }

    pub fn is_running(&self) -> bool {
        matches!(self.state, State::Running(_))
    }

    /// Asks the worker to stop (its answer will be dropped).
    pub fn cancel(&self) {
        self.progress.cancel();
    }
}

impl<T> Drop for Job<T> {
    fn drop(&mut self) {
        // Nobody waits for it any more: the worker stops at its next check
        // instead of working on for nobody.
        self.progress.cancel();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_worker_answers_and_a_cancelled_one_does_not() {
        let mut job = Job::spawn("test", |p| {
            p.stage_begins("Counting", 3);
            p.advance(3);
            Some(7)
        });
        assert_eq!(job.wait(), Some(7));
        assert!(matches!(job.poll(), Poll::Gone), "the answer is taken once");

        let hold = Arc::new(AtomicBool::new(true));
        let mut held = Job::spawn_held("test", Some(hold.clone()), |_| Some(1));
        assert!(matches!(held.poll(), Poll::Running), "held until released");
        held.cancel();
        assert_eq!(held.wait(), None, "cancelled before it started: no answer");

        let mut now = Job::done("at once");
        assert!(!now.is_running());
        assert!(matches!(now.poll(), Poll::Done("at once")));
    }
}
