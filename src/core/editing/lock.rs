//! The journal's OS lock (one process edits a workspace at a time) and the
//! workspace file's disk stamp (a file changed behind the session).

use std::fs::File;
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

/// Who holds a journal's lock (from its lock file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    pub pid: Option<u32>,
    pub program: String,
}

impl std::fmt::Display for Holder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.pid {
            Some(pid) => write!(f, "process {pid} ({})", self.program),
            None => write!(f, "another process"),
        }
    }
}

/// An OS lock on a journal (`JOURNAL.lock`), held while the session lives.
/// The lock file is left in place: deleting it would let a third process
/// lock a new file while the second still holds the old one.
#[derive(Debug)]
pub struct JournalLock {
    _file: File,
}

impl JournalLock {
    /// Takes the lock, or says who has it.
    pub fn acquire(journal: &Path, program: &str) -> Result<JournalLock, LockError> {
        let path = lock_path(journal);
        if let Some(dir) = path.parent()
            && !dir.as_os_str().is_empty()
        {
            std::fs::create_dir_all(dir).map_err(|e| LockError::Io(format!("{}: {e}", dir.display())))?;
        }
        let mut file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| LockError::Io(format!("{}: {e}", path.display())))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                let mut text = String::new();
                let _ = file.take(256).read_to_string(&mut text);
                return Err(LockError::Held(parse_holder(&text)));
            }
            Err(std::fs::TryLockError::Error(e)) => {
                return Err(LockError::Io(format!("{}: {e}", path.display())));
            }
        }
        let _ = file.set_len(0);
        let _ = file.rewind();
        let _ = writeln!(file, "{} {program}", std::process::id());
        let _ = file.sync_data();
        Ok(JournalLock { _file: file })
    }
}

fn lock_path(journal: &Path) -> PathBuf {
    let mut name = journal.file_name().map_or_else(Default::default, ToOwned::to_owned);
    name.push(".lock");
    journal.with_file_name(name)
}

pub(super) fn parse_holder(text: &str) -> Holder {
    let mut parts = text.trim().splitn(2, ' ');
    let pid = parts.next().and_then(|p| p.parse().ok());
    let program = crate::core::text::safe(parts.next().unwrap_or("ia-licensing")).into_owned();
    Holder { pid, program }
}

/// Why a journal could not be locked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LockError {
    #[error("this workspace is being edited by {0}; close it there first, or open it read-only")]
    Held(Holder),
    #[error("cannot lock the recovery journal ({0})")]
    Io(String),
}

/// The file's modification time and size when it was opened or saved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DiskStamp {
    modified: Option<std::time::SystemTime>,
    len: u64,
}

impl DiskStamp {
    pub fn of(path: &Path) -> Option<DiskStamp> {
        let meta = std::fs::metadata(path).ok()?;
        Some(DiskStamp {
            modified: meta.modified().ok(),
            len: meta.len(),
        })
    }
}
