//! Every call of the guarded path that differs between Unix and Windows, in
//! one place, each with both arms (a test, `tests/it/platform_rules.rs`,
//! fails on a `cfg(unix)` item without its Windows twin). Windows has no
//! machine here: its arms are written against std's stable
//! `std::os::windows` API and winapi-util, checked with `cargo check
//! --target x86_64-pc-windows-gnu`, and listed as untested in
//! docs/windows.md.

use std::fs::{File, Metadata, OpenOptions};
use std::path::Path;

use super::FileError;

/// CreateFile flags std does not name (winbase.h).
#[cfg(windows)]
mod flags {
    /// Open a symbolic link or junction itself instead of what it names.
    pub const FILE_FLAG_OPEN_REPARSE_POINT: u32 = 0x0020_0000;
    /// Needed to open a folder's handle (to read its attributes).
    pub const FILE_FLAG_BACKUP_SEMANTICS: u32 = 0x0200_0000;
    /// The access right that reads attributes and nothing else.
    pub const FILE_READ_ATTRIBUTES: u32 = 0x0080;
}

/// An open that never goes through a link at the last component and never
/// waits on a pipe or makes a terminal ours.
#[cfg(unix)]
pub(super) fn no_follow(options: &mut OpenOptions) {
    use std::os::unix::fs::OpenOptionsExt;
    options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_NOCTTY);
}

/// Windows: a link at the path is opened as itself, not followed
/// (`FILE_FLAG_OPEN_REPARSE_POINT`); the caller refuses it once open
/// ([`opened_link`]), so nothing is read or written through it. Opening a
/// file does not wait on a pipe there (named pipes live in `\\.\pipe\`,
/// not in folders, and their opens fail at once when busy).
#[cfg(windows)]
pub(super) fn no_follow(options: &mut OpenOptions) {
    use std::os::windows::fs::OpenOptionsExt;
    options.custom_flags(flags::FILE_FLAG_OPEN_REPARSE_POINT);
}

/// An open for reading that follows links but never waits: a FIFO given as
/// an input must not hang the program before its kind is checked.
#[cfg(unix)]
pub(super) fn non_blocking(options: &mut OpenOptions) {
    use std::os::unix::fs::OpenOptionsExt;
    options.custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY);
}

/// Windows: nothing to add. No folder holds a FIFO, a busy named pipe
/// fails at once, and the handle's kind is checked before a byte is read
/// (`check_regular`), so a pipe, console or device is refused there.
#[cfg(windows)]
pub(super) fn non_blocking(options: &mut OpenOptions) {
    let _ = options;
}

/// Did the open fail because the path is a symbolic link (`O_NOFOLLOW`)?
#[cfg(unix)]
pub(super) fn refused_as_link(e: &std::io::Error) -> bool {
    e.raw_os_error() == Some(libc::ELOOP)
}

/// Windows opens the link itself instead of refusing it: see
/// [`opened_link`].
#[cfg(windows)]
pub(super) fn refused_as_link(e: &std::io::Error) -> bool {
    let _ = e;
    false
}

/// Is what [`no_follow`] opened a link (only on Windows, where the link
/// itself is opened)? Read from the open handle, so nothing can swap the
/// file in between.
pub(super) fn opened_link(meta: &Metadata) -> bool {
    meta.file_type().is_symlink()
}

/// A new file's permissions: Unix mode bits (0o600 for a secret key).
#[cfg(unix)]
pub(super) fn with_mode(options: &mut OpenOptions, mode: u32, path: &Path) -> Result<(), FileError> {
    use std::os::unix::fs::OpenOptionsExt;
    let _ = path;
    options.mode(mode);
    Ok(())
}

/// Windows: a new file takes its folder's access list, as a file an editor
/// creates does. That is right for an ordinary file, but a file that must
/// be readable by its owner alone (an issuer secret key: no group or other
/// bits) cannot be made so without setting an access list, which this
/// program does not do: it is refused, saying so, rather than written
/// readable by whoever may read the folder.
#[cfg(windows)]
pub(super) fn with_mode(options: &mut OpenOptions, mode: u32, path: &Path) -> Result<(), FileError> {
    let _ = options;
    if mode & 0o077 == 0 {
        return Err(FileError::PrivateUnsupported {
            path: path.to_path_buf(),
        });
    }
    Ok(())
}

/// Does the open file have other names (hard links)?
#[cfg(unix)]
pub(super) fn other_names(file: &File) -> bool {
    use std::os::unix::fs::MetadataExt;
    file.metadata().is_ok_and(|m| m.nlink() > 1)
}

/// Windows: the link count of the handle (std's is not stable yet). A count
/// that cannot be read counts as other names: the lock is refused rather
/// than shared by accident.
#[cfg(windows)]
pub(super) fn other_names(file: &File) -> bool {
    winapi_util::file::information(file).map_or(true, |i| i.number_of_links() > 1)
}

/// Does the regular file at `path` (following links) have other names?
/// `false` when nothing is there.
#[cfg(unix)]
pub(super) fn path_has_other_names(path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.nlink() > 1)
}

/// Windows: the file is opened for its attributes only (no read access,
/// so no pipe is connected to and nothing is read) to ask its link count.
#[cfg(windows)]
pub(super) fn path_has_other_names(path: &Path) -> bool {
    if !std::fs::metadata(path).is_ok_and(|m| m.is_file()) {
        return false;
    }
    attributes_handle(path).is_ok_and(|f| other_names(&f))
}

/// A handle to a file or folder that reads attributes only.
#[cfg(windows)]
fn attributes_handle(path: &Path) -> std::io::Result<File> {
    use std::os::windows::fs::OpenOptionsExt;
    OpenOptions::new()
        .access_mode(flags::FILE_READ_ATTRIBUTES)
        .custom_flags(flags::FILE_FLAG_BACKUP_SEMANTICS)
        .open(path)
}

/// Which file some metadata is of: (device, inode).
#[cfg(unix)]
pub(super) fn identity(meta: &Metadata) -> (u64, u64) {
    use std::os::unix::fs::MetadataExt;
    (meta.dev(), meta.ino())
}

/// Windows: std's metadata has no file index on stable Rust; the creation
/// time (100 ns steps) tells a replaced file apart in practice: a file
/// swapped in was created at another time.
#[cfg(windows)]
pub(super) fn identity(meta: &Metadata) -> (u64, u64) {
    use std::os::windows::fs::MetadataExt;
    (0, meta.creation_time())
}

/// Do two paths, both of which exist, name the same file?
#[cfg(unix)]
pub(super) fn same_existing_file(a: (&Path, &Metadata), b: (&Path, &Metadata)) -> bool {
    identity(a.1) == identity(b.1)
}

/// Windows: the volume serial number and file index of each (what
/// `dev`/`ino` are on Unix), read from handles that read attributes only;
/// so a hard link, a link or another spelling is the same file. Where a
/// handle cannot be had, the paths are compared resolved and ignoring case
/// (NTFS names are case-insensitive by default).
#[cfg(windows)]
pub(super) fn same_existing_file(a: (&Path, &Metadata), b: (&Path, &Metadata)) -> bool {
    let id = |p: &Path| {
        attributes_handle(p)
            .and_then(|f| winapi_util::file::information(&f))
            .map(|i| (i.volume_serial_number(), i.file_index()))
    };
    match (id(a.0), id(b.0)) {
        (Ok(x), Ok(y)) => x == y,
        _ => {
            let name = |p: &Path| super::canonical(p).to_string_lossy().to_lowercase();
            name(a.0) == name(b.0)
        }
    }
}

/// Is the process with this id still running?
#[cfg(target_os = "linux")]
pub(super) fn process_alive(pid: u32) -> bool {
    Path::new("/proc").join(pid.to_string()).exists()
}

/// Without /proc (Windows, macOS): trust what the lock file says, so a
/// holder is named even if it may have gone; the lock itself is the OS's
/// and was released when it went.
#[cfg(not(target_os = "linux"))]
pub(super) fn process_alive(pid: u32) -> bool {
    let _ = pid;
    true
}

/// The new file of a save gets the old one's permissions (and owner, where
/// allowed); a new file is readable by everyone and writable by its owner,
/// as a file created by an editor would be.
#[cfg(unix)]
pub(super) fn keep_owner_and_mode(file: &File, previous: Option<&Metadata>) -> std::io::Result<()> {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let mode = previous.map_or(0o644, |m| m.mode() & 0o7777);
    file.set_permissions(std::fs::Permissions::from_mode(mode))?;
    if let Some(m) = previous {
        // Only root may give a file away; elsewhere it is ours already.
        let _ = std::os::unix::fs::fchown(file, Some(m.uid()), Some(m.gid()));
    }
    Ok(())
}

/// Windows: the temporary file was created in the same folder, so it has
/// the folder's inherited access list, as the old file had unless someone
/// gave it its own (docs/windows.md); the read-only attribute is carried
/// over.
#[cfg(windows)]
pub(super) fn keep_owner_and_mode(file: &File, previous: Option<&Metadata>) -> std::io::Result<()> {
    if let Some(m) = previous {
        file.set_permissions(m.permissions())?;
    }
    Ok(())
}
