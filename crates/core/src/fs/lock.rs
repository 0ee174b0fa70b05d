//! OS file locks: one process changes a file (an account, a journal) at a
//! time. The lock lives in `FILE.lock` next to the file, keyed on the file
//! itself (two names for one file share one lock). The lock file is opened
//! without following links, must be a plain file with no other names, and
//! is written only once the lock is held — a link planted there never
//! leads anywhere. The OS releases the lock of a process that dies.

use std::fs::File;
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

use super::{Holder, LockError, identity, platform};

/// A held lock; released when dropped. The lock file is left in place:
/// deleting it would let a third process lock a new file while the second
/// still holds the old one.
#[derive(Debug)]
pub struct FileLock {
    _file: File,
    path: PathBuf,
}

impl FileLock {
    /// Locks `target` (which need not exist yet) for `program`, or says who
    /// holds it.
    pub fn acquire(target: &Path, program: &str) -> Result<FileLock, LockError> {
        // A file with other names (hard links) cannot be locked as one: each
        // name would get its own lock file, and the first save (a rename)
        // would split the names into two files anyway.
        if platform::path_has_other_names(target) {
            return Err(LockError::Unsafe {
                path: target.to_path_buf(),
                why: "a file with other names (hard links): one lock cannot cover them; copy it to a file of its own",
            });
        }
        let path = lock_path(target);
        if let Some(dir) = path.parent()
            && !dir.as_os_str().is_empty()
        {
            std::fs::create_dir_all(dir).map_err(|e| LockError::Io(format!("{}: {e}", dir.display())))?;
        }
        let mut file = open_lock_file(&path)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                let mut text = String::new();
                let _ = (&mut file).take(256).read_to_string(&mut text);
                let mut holder = parse_holder(&text);
                // The file names who wrote it last; the lock may be held by
                // another program: name no process that is gone.
                if holder.pid.is_some_and(|pid| !platform::process_alive(pid)) {
                    holder.pid = None;
                }
                return Err(LockError::Held(holder));
            }
            Err(std::fs::TryLockError::Error(e)) => {
                return Err(LockError::Io(format!("{}: {e}", path.display())));
            }
        }
        // Only now, holding the lock, is the file written: who holds it.
        let _ = file.set_len(0);
        let _ = file.rewind();
        let _ = writeln!(file, "{} {program}", std::process::id());
        let _ = file.sync_data();
        Ok(FileLock { _file: file, path })
    }

    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// `FILE.lock` beside the file a path really names.
pub fn lock_path(target: &Path) -> PathBuf {
    let full = identity::canonical(target);
    let mut name = full.file_name().map_or_else(Default::default, ToOwned::to_owned);
    name.push(".lock");
    full.with_file_name(name)
}

fn open_lock_file(path: &Path) -> Result<File, LockError> {
    let unsafe_lock = |why| LockError::Unsafe {
        path: path.to_path_buf(),
        why,
    };
    let mut options = std::fs::OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    platform::no_follow(&mut options);
    // Readable by everyone (it names who holds the lock), writable by us.
    // string-error: std::io::Error is neither Clone nor Eq, as LockError is; its words are kept.
    platform::with_mode(&mut options, 0o644, path).map_err(|e| LockError::Io(e.to_string()))?;
    let file = options.open(path).map_err(|e| {
        if platform::refused_as_link(&e) {
            return unsafe_lock("a symbolic link");
        }
        if std::fs::symlink_metadata(path).is_ok_and(|m| m.is_dir()) {
            return unsafe_lock("a folder");
        }
        LockError::Io(format!("{}: {e}", path.display()))
    })?;
    let meta = file
        .metadata()
        .map_err(|e| LockError::Io(format!("{}: {e}", path.display())))?;
    if platform::opened_link(&meta) {
        return Err(unsafe_lock("a symbolic link"));
    }
    if !meta.is_file() {
        return Err(unsafe_lock("a pipe, socket or device"));
    }
    if platform::other_names(&file) {
        return Err(unsafe_lock("a file with other names (a hard link)"));
    }
    Ok(file)
}

/// Who a lock file says holds it. The program name comes from a file
/// anyone could have written: controls and the invisible characters that
/// reorder text are shown escaped, and it is cut at 80 characters.
pub fn parse_holder(text: &str) -> Holder {
    let mut parts = text.trim().splitn(2, ' ');
    let pid = parts.next().and_then(|p| p.parse().ok());
    let mut program = String::new();
    for c in parts.next().unwrap_or("ia-licensing").chars().take(80) {
        if c.is_control() || is_format_character(c) {
            program.extend(c.escape_default());
        } else {
            program.push(c);
        }
    }
    Holder { pid, program }
}

/// Zero-width marks, bidirectional overrides and isolates, the BOM: the
/// same set `core::text` escapes (this module imports nothing of the core).
fn is_format_character(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{2028}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}
