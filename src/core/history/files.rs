//! Reading events files for an import: each file read, checked and summed
//! up on its own, on up to two worker threads; then, in time order, the
//! sessions still open at the end of a file go on into the next one (which
//! is read again with them when there are any).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use super::summary::Carry;
use super::{FileSummary, HistoryError};

/// One events file read: its summary (`None` when it has no events).
type FileResult = Result<Option<FileSummary>, HistoryError>;

/// Reads, checks and sums up events files on up to two worker threads
/// (each file is replayed on its own, from nobody logged on). The first
/// problem in file order refuses the lot: nothing is imported from any.
/// Empty files contribute nothing. `cancel` stops between files.
pub fn read_files(
    license: &crate::core::license::License,
    ws: &crate::core::workspace::Workspace,
    paths: &[PathBuf],
    cancel: &AtomicBool,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<Vec<(String, FileSummary)>, HistoryError> {
    use std::sync::Mutex;
    use std::sync::atomic::AtomicUsize;
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<FileResult>>> = Mutex::new(vec![None; paths.len()]);
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 2);
    std::thread::scope(|scope| {
        for _ in 0..workers.min(paths.len().max(1)) {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= paths.len() || cancel.load(Ordering::Relaxed) {
                        break;
                    }
                    let result = read_one(license, ws, &paths[i]);
                    let failed = result.is_err();
                    if let Ok(mut r) = results.lock() {
                        r[i] = Some(result);
                    }
                    progress(done.fetch_add(1, Ordering::Relaxed) + 1, paths.len());
                    if failed {
                        // Later files cannot help: stop the other worker too.
                        next.store(paths.len(), Ordering::Relaxed);
                    }
                }
            });
        }
    });
    if cancel.load(Ordering::Relaxed) {
        return Err(HistoryError("import cancelled; the history is unchanged".into()));
    }
    let results = results
        .into_inner()
        .map_err(|_| HistoryError("an import worker failed; the history is unchanged".into()))?;
    let mut out = Vec::new();
    let mut read = Vec::new();
    for (path, result) in paths.iter().zip(results) {
        match result {
            Some(Ok(Some(summary))) => {
                out.push((path.display().to_string(), summary));
                read.push(path.as_path());
            }
            Some(Ok(None)) => {}
            Some(Err(e)) => return Err(e),
            // Not reached: a failure stops the workers, so some files
            // after it were never read; the failure is reported above.
            None => {}
        }
    }
    carry_over(license, ws, &read, &mut out, cancel)?;
    Ok(out)
}

/// Sessions open at the end of a file go on into the next file (in time
/// order) when it follows on: it starts after the file's last event, on the
/// same day or the next. The file then runs its open sessions to the end
/// of its last day, and the next file logs them on again at the start of
/// its first day (both read again for it). Whatever cannot be carried is
/// said in the files' notes: sessions open at the end of the import, or
/// before a gap, and logoffs with no logon.
fn carry_over(
    license: &crate::core::license::License,
    ws: &crate::core::workspace::Workspace,
    paths: &[&Path],
    files: &mut [(String, FileSummary)],
    cancel: &AtomicBool,
) -> Result<(), HistoryError> {
    use crate::core::text::count;
    let mut order: Vec<usize> = (0..files.len()).collect();
    order.sort_by_key(|i| (files[*i].1.tail.first_at, *i));
    let mut carry = Carry::default();
    let mut carried_from: Option<usize> = None;
    for (k, &i) in order.iter().enumerate() {
        if cancel.load(Ordering::Relaxed) {
            return Err(HistoryError("import cancelled; the history is unchanged".into()));
        }
        let next = order.get(k + 1).map(|j| files[*j].1.tail.first_at);
        let this = &files[i].1;
        let follows = next.filter(|n| *n >= this.tail.last_at && (n.date_naive() - this.last).num_days() <= 1);
        // Open sessions run to the end of the last day when the next file
        // starts on the day after (on the same day, it replaces that day).
        let run_to = follows
            .filter(|n| n.date_naive() > this.last)
            .and_then(|_| crate::core::dates::next_day(this.last).ok())
            .map(crate::core::enforcement::midnight);
        if !carry.logons.is_empty() || (run_to.is_some() && !this.tail.open.logons.is_empty()) {
            files[i].1 = read_one_with(license, ws, paths[i], &carry, run_to)?.ok_or_else(|| {
                HistoryError(format!(
                    "{} changed while it was imported; nothing was imported",
                    paths[i].display()
                ))
            })?;
        }
        let (source, this) = &mut files[i];
        let mut notes = Vec::new();
        if let Some(from) = carried_from.filter(|_| this.tail.carried_in > 0) {
            notes.push(format!(
                "{} open at the end of {} went on into {source} and {} counted whole.",
                count(this.tail.carried_in, "session", "sessions"),
                paths[from].display(),
                if this.tail.carried_in == 1 { "is" } else { "are" }
            ));
        }
        if this.tail.orphan_logoffs > 0 {
            notes.push(format!(
                "{source}: {} found the user logged off (a session begun in an earlier events file?): import the \
                 files together, in one import, to count those sessions.",
                count(this.tail.orphan_logoffs, "logoff", "logoffs")
            ));
        }
        let open = this.tail.open.sessions();
        if open > 0 && follows.is_none() {
            notes.push(format!(
                "{source}: {} still open at its last event ({}) {} counted up to it{}.",
                count(open, "session", "sessions"),
                this.tail.last_at.format("%Y-%m-%d %H:%M:%S"),
                if open == 1 { "is" } else { "are" },
                if next.is_some() {
                    "; the next events file does not start on that day or the next"
                } else {
                    ""
                }
            ));
        }
        this.tail.notes = notes;
        (carry, carried_from) = match follows {
            Some(_) => (this.tail.open.clone(), Some(i)),
            None => (Carry::default(), None),
        };
    }
    Ok(())
}

fn read_one(
    license: &crate::core::license::License,
    ws: &crate::core::workspace::Workspace,
    path: &Path,
) -> Result<Option<FileSummary>, HistoryError> {
    read_one_with(license, ws, path, &Carry::default(), None)
}

fn read_one_with(
    license: &crate::core::license::License,
    ws: &crate::core::workspace::Workspace,
    path: &Path,
    carry: &Carry,
    run_to: Option<chrono::DateTime<chrono::Utc>>,
) -> Result<Option<FileSummary>, HistoryError> {
    use crate::core::replay;
    let bytes = crate::core::fs::read_capped(path, replay::MAX_EVENTS_FILE_BYTES)?;
    let text = String::from_utf8(bytes)
        .map_err(|_| HistoryError(format!("{} is not UTF-8 text; nothing was imported", path.display())))?;
    let events = replay::parse_events(&text)
        .map_err(|e| HistoryError(format!("{}: {e}; nothing was imported", path.display())))?;
    Ok(FileSummary::continued(license, ws, &events, carry, run_to))
}
