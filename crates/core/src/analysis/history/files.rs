//! Reading events files for an import: each file read as it goes into a
//! replay and summed up per day, and how far each has been read; in time
//! order, the sessions still open at the end of a file go on into the
//! next one.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use chrono::{DateTime, Utc};

use super::HistoryError;
use super::summary::{Carry, FileSummary, Summariser};
use crate::analysis::replay::{self, ReadError};

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
                    size: crate::fs::size_of(p),
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

/// How `read_chain` ended.
// Made once per chain of files and matched at once: its size is no cost.
#[allow(clippy::large_enum_variant)]
pub(super) enum Chain {
    /// The summary of the first `n` files of the order from `k`, read one
    /// after the other into it, and what the import says of their joins.
    Read(FileRead, usize, Vec<String>),
    /// The file at this place of the chain (1 or more) goes on from the
    /// one before on the same day but is not in time order: it cannot be
    /// read on into the summary (its events would come again, sorted).
    /// Read the chain again, stopping before it.
    Unordered(usize),
}

/// Does a file starting at `next_first` go on with the day of `last_at`:
/// it starts at or after it, on that same day? Its events then belong to
/// the same day's summary, so it is read on into it (a day split over two
/// files is summed up once, as one).
pub(super) fn goes_on_same_day(last_at: DateTime<Utc>, next_first: DateTime<Utc>) -> bool {
    Summariser::follows(last_at, next_first) && next_first.date_naive() == last_at.date_naive()
}

/// Reads the files `order[k..]` (time order; `firsts` their first events)
/// into one replay and sums them up per day: from the sessions `carry`
/// (open at the end of the file before, logged on at the start of this
/// file's first day); each next file that goes on with the last day (see
/// `goes_on_same_day`) is read on into the same summary, up to `most`
/// files. The sessions still open at the end run to the end of the last
/// day when the file after goes on from there. `read(i, bytes)` is told
/// the bytes read of file `i` as it goes, `done(i)` when it is read;
/// `quit` stops it.
#[allow(clippy::too_many_arguments)]
pub(super) fn read_chain(
    license: &crate::model::license::License,
    ws: &crate::model::workspace::Workspace,
    paths: &[PathBuf],
    (order, k, firsts): (&[usize], usize, &[Option<DateTime<Utc>>]),
    carry: Carry,
    most: usize,
    quit: &(dyn Fn() -> bool + Sync),
    progress: &ImportProgress,
) -> Chain {
    let mut summary = Summariser::continued(license, ws, carry, None);
    let mut notes: Vec<String> = Vec::new();
    let mut joins: Vec<String> = Vec::new();
    let mut n = 0;
    loop {
        let i = order[k + n];
        let next_first = order.get(k + n + 1).and_then(|j| firsts[*j]);
        summary.go_on_to(next_first);
        let path = paths[i].as_path();
        let name = path
            .file_name()
            .map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
        let stats = if n == 0 {
            read_into(path, &mut summary, quit, &|b| progress.read(i, b))
        } else {
            // Read on into the summary: a restart (the file is not in
            // time order) cannot take back what it gave.
            let mut on = Continuing {
                inner: &mut summary,
                restarted: false,
            };
            let stats = read_into(path, &mut on, quit, &|b| progress.read(i, b));
            if on.restarted {
                return Chain::Unordered(n);
            }
            stats
        };
        progress.done(i);
        match stats {
            Ok(stats) => notes.extend(stats.note(&name)),
            Err(e) => return Chain::Read(Err(e), n + 1, joins),
        }
        n += 1;
        let more = n < most
            && summary
                .last_at()
                .zip(next_first)
                .is_some_and(|(last, next)| goes_on_same_day(last, next));
        if !more {
            break;
        }
        let before = paths[order[k + n - 1]].display().to_string();
        joins.push(format!(
            "{} goes on from {} on the same day ({}): the two were read as one, so the day is summed up once.",
            paths[order[k + n]].display(),
            before,
            summary
                .last_at()
                .map(|t| t.date_naive().to_string())
                .unwrap_or_default()
        ));
    }
    let note = (!notes.is_empty()).then(|| notes.join(" "));
    Chain::Read(Ok((summary.finish(), note)), n, joins)
}

/// A summary read on into from a second file: its restart is noted, not
/// passed on (it would wipe what the first file gave).
struct Continuing<'s, 'a> {
    inner: &'s mut Summariser<'a>,
    restarted: bool,
}

impl replay::EventSink for Continuing<'_, '_> {
    fn event(&mut self, e: replay::Event) {
        if !self.restarted {
            self.inner.event(e);
        }
    }
    fn restart(&mut self) {
        self.restarted = true;
    }
}

/// One file's events into `sink`, parsed on a thread of its own while this
/// one replays and sums up.
fn read_into(
    path: &Path,
    sink: &mut dyn replay::EventSink,
    quit: &(dyn Fn() -> bool + Sync),
    read: &(dyn Fn(u64) + Sync),
) -> Result<replay::ReadStats, HistoryError> {
    replay::read_file_piped(
        path,
        &mut |bytes, _| {
            read(bytes);
            !quit()
        },
        sink,
    )
    .map_err(|e| match e {
        ReadError::File(e) => HistoryError::from(e),
        ReadError::NotUtf8 => HistoryError::NotUtf8(path.to_path_buf()),
        ReadError::Events(source) => HistoryError::Events {
            path: path.to_path_buf(),
            source,
        },
        ReadError::Cancelled => HistoryError::Cancelled,
    })
}
