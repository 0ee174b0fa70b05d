//! Reading events files for an import: each file read, checked and summed
//! up on its own, on up to two worker threads.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

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
    for (path, result) in paths.iter().zip(results) {
        match result {
            Some(Ok(Some(summary))) => out.push((path.display().to_string(), summary)),
            Some(Ok(None)) => {}
            Some(Err(e)) => return Err(e),
            // Not reached: a failure stops the workers, so some files
            // after it were never read; the failure is reported above.
            None => {}
        }
    }
    Ok(out)
}

fn read_one(
    license: &crate::core::license::License,
    ws: &crate::core::workspace::Workspace,
    path: &Path,
) -> Result<Option<FileSummary>, HistoryError> {
    use crate::core::replay;
    let bytes = crate::core::fs::read_capped(path, replay::MAX_EVENTS_FILE_BYTES)?;
    let text = String::from_utf8(bytes)
        .map_err(|_| HistoryError(format!("{} is not UTF-8 text; nothing was imported", path.display())))?;
    let events = replay::parse_events(&text)
        .map_err(|e| HistoryError(format!("{}: {e}; nothing was imported", path.display())))?;
    Ok(FileSummary::of(license, ws, &events))
}
