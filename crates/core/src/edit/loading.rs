//! Opening a workspace off the UI thread: the worker reads, checks, parses
//! and counts, reporting its stage and progress through a shared `Progress`
//! the UI polls each frame, and stops at the next check once cancelled.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicU64, Ordering};

use chrono::NaiveDate;

use crate::engine::Engine;
use crate::model::license::License;
pub use crate::model::progress::Stage;
use crate::model::workspace::LoadError;

/// Why a load produced nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    Cancelled,
    /// The file was refused; its words say why and what to do.
    Refused(Refused),
}

/// Why a workspace file was refused, the error kept whole.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    /// It could not be read.
    #[error(transparent)]
    File(#[from] crate::fs::FileError),
    /// It is not a workspace the loader accepts.
    #[error(transparent)]
    Workspace(#[from] LoadError),
    #[error("the file is not UTF-8 text (bad byte at offset {0}); it is not a workspace")]
    NotUtf8(usize),
    /// string-error: `std::io::Error` is neither `Clone` nor `Eq`; its
    /// words are all a thread that could not start leaves to say.
    #[error("cannot start loading ({0}); close other programs and try again")]
    NoThread(String),
    #[error("loading stopped unexpectedly; try again, and report it if it happens again")]
    Stopped,
}

impl From<Refused> for Failure {
    fn from(e: Refused) -> Self {
        Failure::Refused(e)
    }
}

impl From<crate::fs::FileError> for Failure {
    fn from(e: crate::fs::FileError) -> Self {
        Failure::Refused(e.into())
    }
}

impl From<LoadError> for Failure {
    fn from(e: LoadError) -> Self {
        Failure::Refused(e.into())
    }
}
use crate::model::workspace::{MAX_FILE_BYTES, Workspace};

/// While set, workers wait before reading (so a UI test can see the
/// progress window and press Cancel). Built only with the `test-hooks`
/// feature, which only the tests turn on. Input files are regular files
/// only, so a FIFO can no longer hold a load open.
#[cfg(feature = "test-hooks")]
pub static HOLD_FOR_TESTS: AtomicBool = AtomicBool::new(false);

/// Shared between the worker and the UI.
#[derive(Debug)]
pub struct Progress {
    cancelled: AtomicBool,
    stage: AtomicU8,
    done: AtomicU64,
    total: AtomicU64,
}

impl Default for Progress {
    fn default() -> Self {
        Progress {
            cancelled: AtomicBool::new(false),
            stage: AtomicU8::new(0),
            done: AtomicU64::new(0),
            total: AtomicU64::new(0),
        }
    }
}

impl Progress {
    pub fn new() -> Arc<Progress> {
        Arc::new(Progress::default())
    }

    /// Asks the worker to stop; it does at its next check.
    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::Relaxed);
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Relaxed)
    }

    pub fn stage(&self) -> Stage {
        Stage::ALL
            .get(self.stage.load(Ordering::Relaxed) as usize)
            .copied()
            .unwrap_or(Stage::Done)
    }

    /// Bytes read so far and the file's size (the reading stage).
    pub fn bytes(&self) -> (u64, u64) {
        (self.done.load(Ordering::Relaxed), self.total.load(Ordering::Relaxed))
    }

    /// Overall progress, 0 to 1.
    pub fn fraction(&self) -> f32 {
        let stage = self.stage();
        let (start, end) = (stage.start(), stage.next().start());
        let within = match (stage, self.bytes()) {
            (Stage::Reading, (done, total)) if total > 0 => done as f32 / total as f32,
            _ => 0.0,
        };
        start + (end - start) * within.clamp(0.0, 1.0)
    }

    /// Moves to a stage; `Err` when the load was cancelled meanwhile.
    pub fn enter(&self, stage: Stage) -> Result<(), Failure> {
        self.stage.store(stage as u8, Ordering::Relaxed);
        if self.is_cancelled() {
            Err(Failure::Cancelled)
        } else {
            Ok(())
        }
    }
}

/// A workspace ready to show: its derived data was counted on the worker.
#[derive(Debug)]
pub struct Loaded {
    pub path: PathBuf,
    /// The workspace with its change log read and its saved form written
    /// (for the recovery journal), here rather than on the UI thread.
    pub workspace: crate::edit::document::Prepared,
    /// Counted against `license`; use it only if that is still the license.
    pub engine: Engine,
    pub license: Arc<License>,
}

/// Loads a workspace file and counts it against a license; meant for a
/// worker thread (see `spawn`).
pub fn load_workspace(
    path: &Path,
    license: Arc<License>,
    today: NaiveDate,
    progress: &Progress,
) -> Result<Loaded, Failure> {
    progress.enter(Stage::Reading)?;
    #[cfg(feature = "test-hooks")]
    while HOLD_FOR_TESTS.load(Ordering::Acquire) && !progress.is_cancelled() {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let bytes = crate::fs::read_capped_with(path, MAX_FILE_BYTES, &mut |done, size| {
        progress.done.store(done, Ordering::Relaxed);
        progress.total.store(size, Ordering::Relaxed);
        !progress.is_cancelled()
    })?
    .ok_or(Failure::Cancelled)?;
    let workspace = {
        let text = std::str::from_utf8(&bytes).map_err(|e| Refused::NotUtf8(e.valid_up_to()))?;
        let mut enter = |stage| progress.enter(stage).map_err(|_| crate::model::progress::Cancelled);
        Workspace::from_json_staged(text, &mut enter).map_err(|e| match e {
            crate::model::workspace::StagedError::Cancelled => Failure::Cancelled,
            crate::model::workspace::StagedError::Load(e) => e.into(),
        })?
    };
    drop(bytes);
    progress.enter(Stage::Counting)?;
    let engine = Engine::build(&workspace, &license, today);
    let workspace = crate::edit::document::Prepared::new(workspace);
    progress.enter(Stage::Done)?;
    Ok(Loaded {
        path: path.to_path_buf(),
        workspace,
        engine,
        license,
    })
}

/// A load running on its own thread.
pub struct Job {
    pub path: PathBuf,
    pub progress: Arc<Progress>,
    pub started: std::time::Instant,
    result: std::sync::mpsc::Receiver<Result<Loaded, Failure>>,
}

impl Job {
    /// Starts loading `path` on a new thread.
    pub fn spawn(path: PathBuf, license: Arc<License>, today: NaiveDate) -> Job {
        let progress = Progress::new();
        let (tx, rx) = std::sync::mpsc::channel();
        let worker = progress.clone();
        let p = path.clone();
        let spawned = std::thread::Builder::new()
            .name("workspace-load".into())
            .spawn(move || {
                let result = load_workspace(&p, license, today, &worker);
                // The UI may have stopped waiting (cancelled): nothing to do.
                let _ = tx.send(result);
            });
        let result = match spawned {
            Ok(_) => rx,
            Err(e) => {
                let (tx, rx) = std::sync::mpsc::channel();
                let _ = tx.send(Err(Refused::NoThread(e.to_string()).into()));
                rx
            }
        };
        Job {
            path,
            progress,
            started: std::time::Instant::now(),
            result,
        }
    }

    /// The result once the worker has finished.
    pub fn poll(&self) -> Option<Result<Loaded, Failure>> {
        match self.result.try_recv() {
            Ok(r) => Some(r),
            Err(std::sync::mpsc::TryRecvError::Empty) => None,
            Err(std::sync::mpsc::TryRecvError::Disconnected) => Some(Err(Refused::Stopped.into())),
        }
    }

    /// Blocks until the worker has finished (tests and the CLI).
    pub fn wait(self) -> Result<Loaded, Failure> {
        self.result.recv().unwrap_or_else(|_| Err(Refused::Stopped.into()))
    }
}
