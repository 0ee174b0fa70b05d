//! Opening an SQLite database file (the usage history): only a regular
//! file, never through a link, and no link or device planted where SQLite
//! keeps its rollback journal. What is inside (the schema) is the caller's
//! to check.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

use super::FileError;

/// Opens the database at `path` with `flags` (plus no-follow): refused when
/// the path is a link, a folder, a pipe or a device, when SQLite's side
/// files (`-journal`, `-wal`, `-shm`) are anything but regular files, and
/// when the file is swapped between the check and the open.
pub fn open_database(path: &Path, flags: OpenFlags) -> Result<Connection, FileError> {
    let before = regular_or_absent(path)?;
    if before.is_none() && !flags.contains(OpenFlags::SQLITE_OPEN_CREATE) {
        return Err(FileError::Open {
            path: path.to_path_buf(),
            reason: "there is no such file".into(),
        });
    }
    for side in side_files(path) {
        regular_or_absent(&side)?;
    }
    let conn =
        Connection::open_with_flags(path, flags | OpenFlags::SQLITE_OPEN_NOFOLLOW).map_err(|e| FileError::Open {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?;
    // SQLite opens (and creates) the file at once: what is there now must
    // be a regular file, and the one that was checked.
    let after = regular_or_absent(path)?;
    if let (Some(a), Some(b)) = (&before, &after)
        && super::platform::identity(a) != super::platform::identity(b)
    {
        return Err(FileError::Open {
            path: path.to_path_buf(),
            reason: "the file was replaced while it was being opened".into(),
        });
    }
    Ok(conn)
}

/// A database in memory only (no file at all): for comparing a file's
/// schema with the one this build would create.
pub fn open_in_memory() -> rusqlite::Result<Connection> {
    Connection::open_in_memory()
}

/// The rollback journal and WAL files SQLite keeps beside a database.
pub fn side_files(path: &Path) -> [PathBuf; 3] {
    let with = |suffix: &str| {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        PathBuf::from(name)
    };
    [with("-journal"), with("-wal"), with("-shm")]
}

/// `Ok(None)` when nothing is at `path`, `Ok(Some(meta))` for a regular
/// file (not followed through a link), an error for anything else.
fn regular_or_absent(path: &Path) -> Result<Option<std::fs::Metadata>, FileError> {
    match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(FileError::Open {
            path: path.to_path_buf(),
            reason: e.to_string(),
        }),
        Ok(m) if m.file_type().is_symlink() => Err(FileError::Link {
            path: path.to_path_buf(),
        }),
        Ok(m) if m.is_dir() => Err(FileError::Folder {
            path: path.to_path_buf(),
        }),
        Ok(m) if !m.is_file() => Err(FileError::NotRegular {
            path: path.to_path_buf(),
        }),
        Ok(m) => Ok(Some(m)),
    }
}
