//! Reading: regular files only (checked on the open handle), capped in size,
//! never blocking on a pipe.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use super::FileError;

/// Opens a file for reading only if it is a regular file. A FIFO, socket or
/// device given as an input would block forever (or never end), so the open
/// does not wait (`O_NONBLOCK`) and the kind is checked on the open handle
/// before a byte is read.
pub fn open_regular(path: &Path) -> Result<File, FileError> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    super::platform::non_blocking(&mut options);
    let file = options.open(path).map_err(|e| FileError::Open {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })?;
    check_regular(&file, path)?;
    Ok(file)
}

/// The open handle is a regular file (not a folder, pipe or device).
pub(super) fn check_regular(file: &File, path: &Path) -> Result<std::fs::Metadata, FileError> {
    let meta = file.metadata().map_err(|e| FileError::Read {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })?;
    if meta.is_dir() {
        return Err(FileError::Folder {
            path: path.to_path_buf(),
        });
    }
    if !meta.is_file() {
        return Err(FileError::NotRegular {
            path: path.to_path_buf(),
        });
    }
    Ok(meta)
}

/// Reads at most `max` bytes; a larger file is refused with a message.
pub fn read_capped(path: &Path, max: u64) -> Result<Vec<u8>, FileError> {
    read_capped_with(path, max, &mut |_, _| true).map(Option::unwrap_or_default)
}

/// `read_capped` in 1 MiB pieces for a worker thread: after each piece
/// `progress(done, size)` is told the bytes read and the file's size, and
/// returning false stops the read (`Ok(None)`: cancelled).
pub fn read_capped_with(
    path: &Path,
    max: u64,
    progress: &mut dyn FnMut(u64, u64) -> bool,
) -> Result<Option<Vec<u8>>, FileError> {
    let mut file = open_regular(path)?;
    let too_large = |size: u64| FileError::TooLarge {
        path: path.to_path_buf(),
        size,
        max,
    };
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    if size > max {
        return Err(too_large(size));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    let mut chunk = vec![0u8; 1 << 20];
    loop {
        if !progress(bytes.len() as u64, size) {
            return Ok(None);
        }
        let n = file.read(&mut chunk).map_err(|e| FileError::Read {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?;
        if n == 0 {
            break;
        }
        bytes.extend_from_slice(&chunk[..n]);
        // A file that grows while it is read can pass the size check above.
        if bytes.len() as u64 > max {
            return Err(too_large(bytes.len() as u64));
        }
    }
    Ok(Some(bytes))
}

/// A regular file opened for reading as a stream (with its size), for
/// readers that parse as they go.
pub fn open_stream(path: &Path, max: u64) -> Result<(File, u64), FileError> {
    let file = open_regular(path)?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    if size > max {
        return Err(FileError::TooLarge {
            path: path.to_path_buf(),
            size,
            max,
        });
    }
    Ok((file, size))
}

/// The regular files directly in a folder whose extension is `extension`
/// (compared ignoring case), sorted by name. Links to files count; folders,
/// pipes and devices are left out.
pub fn files_in(dir: &Path, extension: &str) -> Result<Vec<PathBuf>, FileError> {
    let entries = std::fs::read_dir(dir).map_err(|e| FileError::Open {
        path: dir.to_path_buf(),
        reason: e.to_string(),
    })?;
    let mut found: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.extension()
                .is_some_and(|e| e.to_string_lossy().eq_ignore_ascii_case(extension))
        })
        .filter(|p| std::fs::metadata(p).is_ok_and(|m| m.is_file()))
        .collect();
    found.sort();
    Ok(found)
}

/// Every entry directly in a folder, sorted by name, whatever it is:
/// files, links (dangling ones too), pipes, devices, folders. For a reader
/// that must account for every name — reading one through `read_capped`
/// refuses what is not a regular file, naming it, instead of leaving it
/// out unseen (`files_in` leaves such entries out) — and list what it does
/// not read.
pub fn all_entries_in(dir: &Path) -> Result<Vec<PathBuf>, FileError> {
    let entries = std::fs::read_dir(dir).map_err(|e| FileError::Open {
        path: dir.to_path_buf(),
        reason: e.to_string(),
    })?;
    let mut found = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| FileError::Read {
            path: dir.to_path_buf(),
            reason: e.to_string(),
        })?;
        found.push(entry.path());
    }
    found.sort();
    Ok(found)
}

/// Is there a folder at `path` (following links)?
pub fn is_dir(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.is_dir())
}

/// Is there a regular file at `path` (following links)?
pub fn is_file(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.is_file())
}

/// Is `path` itself a symbolic link (whatever it names, if anything)?
pub fn is_link(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
}

/// The size of the file at `path` (following links), 0 when there is
/// none: for progress only (what is read is capped when it is opened).
pub fn size_of(path: &Path) -> u64 {
    std::fs::metadata(path).map_or(0, |m| m.len())
}

/// Does anything (a file, folder, link — even a dangling one) exist at `path`?
pub fn exists(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok()
}

/// A file's identity, modification time and size, to tell whether it
/// changed on disk — or was replaced by another file (a link swapped in).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DiskStamp {
    modified: Option<std::time::SystemTime>,
    len: u64,
    identity: (u64, u64),
}

impl DiskStamp {
    pub fn of(path: &Path) -> Option<DiskStamp> {
        let meta = std::fs::metadata(path).ok()?;
        Some(DiskStamp {
            modified: meta.modified().ok(),
            len: meta.len(),
            identity: super::platform::identity(&meta),
        })
    }

    /// Is this the same file as `other` (not only the same content)?
    pub fn same_file_as(&self, other: &DiskStamp) -> bool {
        self.identity == other.identity
    }

    /// When the file was last modified, if the system says.
    pub fn modified(&self) -> Option<std::time::SystemTime> {
        self.modified
    }
}
