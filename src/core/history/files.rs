//! Reading events files for an import: each file read as it goes into a
//! replay and summed up per day, and how far each has been read; in time
//! order, the sessions still open at the end of a file go on into the
//! next one.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use super::HistoryError;
use super::summary::{Carry, FileSummary, Summariser};
use crate::core::replay::{self, ReadError};

/// One file read: its summary (`None` when it has no events) and the note
/// to show about how it was read.
pub(super) type FileRead = Result<(Option<FileSummary>, Option<String>), HistoryError>;

/// How far an import has read each of its files, shared with whoever
/// shows it (the Usage History view's progress window). One per import.
#[derive(Debug, Default)]
pub struct ImportProgress {
    files: OnceLock<Vec<FileProgress>>,
}

/// One file of an import.
#[derive(Debug)]
pub struct FileProgress {
    pub path: PathBuf,
    /// Its size when the import started.
    pub size: u64,
    read: AtomicU64,
    done: AtomicBool,
}

impl FileProgress {
    /// Bytes read so far (a file out of time order is read a second time,
    /// whole: the count starts again).
    pub fn read(&self) -> u64 {
        self.read.load(Ordering::Relaxed).min(self.size)
    }

    /// Read and summed up (or refused).
    pub fn is_done(&self) -> bool {
        self.done.load(Ordering::Relaxed)
    }
}

impl ImportProgress {
    /// The import's files: empty until it has looked at them.
    pub fn files(&self) -> &[FileProgress] {
        self.files.get().map_or(&[], Vec::as_slice)
    }

    /// Bytes read of all files, and their total.
    pub fn bytes(&self) -> (u64, u64) {
        self.files().iter().fold((0, 0), |(r, t), f| {
            (r + if f.is_done() { f.size } else { f.read() }, t + f.size)
        })
    }

    pub(super) fn start(&self, paths: &[PathBuf]) {
        let _ = self.files.set(
            paths
                .iter()
                .map(|p| FileProgress {
                    path: p.clone(),
                    size: crate::core::fs::size_of(p),
                    read: AtomicU64::new(0),
                    done: AtomicBool::new(false),
                })
                .collect(),
        );
    }

    pub(super) fn read(&self, i: usize, bytes: u64) {
        if let Some(f) = self.files().get(i) {
            f.read.store(bytes, Ordering::Relaxed);
        }
    }

    pub(super) fn done(&self, i: usize) {
        if let Some(f) = self.files().get(i) {
            f.done.store(true, Ordering::Relaxed);
        }
    }
}

/// The first event of an events file as it is written (the earliest,
/// for a file in time order), read from its first piece: the import takes
/// its files in this order. `None` for a file without events or one that
/// cannot be read (the import's read of it then says why).
pub(super) fn first_event(path: &Path) -> Option<chrono::DateTime<chrono::Utc>> {
    /// Keeps the first event given, and says when there is one.
    struct First<'c>(Option<chrono::DateTime<chrono::Utc>>, &'c std::cell::Cell<bool>);
    impl replay::EventSink for First<'_> {
        fn event(&mut self, e: replay::Event) {
            self.0.get_or_insert(e.at);
            self.1.set(true);
        }
        fn restart(&mut self) {}
    }
    // Stopped at the first progress report after an event (a piece).
    let seen = std::cell::Cell::new(false);
    let mut first = First(None, &seen);
    let _ = replay::read_file(path, &mut |_, _| !seen.get(), &mut first);
    first.0
}

/// Reads one events file into a replay and sums it up per day: from the
/// sessions `carry` (open at the end of the file before, logged on at the
/// start of this file's first day), and with the sessions still open at
/// the end running to the end of the last day when `next_first` (the next
/// file's first event) goes on from there. `read` is told the bytes read as
/// it goes; `quit` stops it.
pub(super) fn read_one(
    license: &crate::core::license::License,
    ws: &crate::core::workspace::Workspace,
    path: &Path,
    (carry, next_first): (Carry, Option<chrono::DateTime<chrono::Utc>>),
    quit: &(dyn Fn() -> bool + Sync),
    read: &(dyn Fn(u64) + Sync),
) -> FileRead {
    let mut summary = Summariser::continued(license, ws, carry, next_first);
    // Parsed on a thread of its own while this one replays and sums up.
    let stats = replay::read_file_piped(
        path,
        &mut |bytes, _| {
            read(bytes);
            !quit()
        },
        &mut summary,
    )
    .map_err(|e| match e {
        ReadError::File(e) => HistoryError::from(e),
        ReadError::NotUtf8 => HistoryError(format!("{} is not UTF-8 text; nothing was imported", path.display())),
        ReadError::Events(e) => HistoryError(format!("{}: {e}; nothing was imported", path.display())),
        ReadError::Cancelled => HistoryError("import cancelled; the history is unchanged".into()),
    })?;
    let name = path
        .file_name()
        .map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
    Ok((summary.finish(), stats.note(&name)))
}
