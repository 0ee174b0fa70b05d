//! Writing: new files created exclusively, saves made atomic (temporary
//! file, sync, rename) with a backup, appends only to our own regular files,
//! and never a write over an issuer secret key.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::{FileError, identity, platform};

/// Creates a new file that must not exist yet (never through a symbolic
/// link, never over an existing file) with the given Unix mode, e.g. 0o600
/// for a secret key.
pub fn create_new_file(path: &Path, bytes: &[u8], mode: u32) -> Result<(), FileError> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    // `create_new` fails on any existing name; no-follow makes a dangling
    // link count as one on every system.
    platform::no_follow(&mut options);
    platform::with_mode(&mut options, mode, path)?;
    let mut file = options.open(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            FileError::Exists {
                path: path.to_path_buf(),
            }
        } else {
            FileError::Create {
                path: path.to_path_buf(),
                reason: e.to_string(),
            }
        }
    })?;
    let written = file.write_all(bytes).and_then(|()| file.sync_all());
    if let Err(e) = written {
        drop(file);
        let _ = std::fs::remove_file(path);
        return Err(FileError::WriteNew {
            path: path.to_path_buf(),
            reason: e.to_string(),
        });
    }
    Ok(())
}

/// Creates a new file that must not exist yet, atomically: the content is
/// written and synced to a temporary file beside it, then given the name
/// only if the name is still free (never replacing a file that appeared
/// meanwhile). A kill or a full disk before that leaves nothing at the
/// name — at most a `.NAME.*.tmp` beside it — never a partial file. New
/// files are readable by everyone and writable by their owner.
pub fn create_new_atomic(path: &Path, bytes: &[u8]) -> Result<(), FileError> {
    create_new_atomic_with(path, |w| w.write_all(bytes))
}

/// `create_new_atomic` for content produced by a writer.
pub fn create_new_atomic_with(
    path: &Path,
    content: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> Result<(), FileError> {
    if std::fs::symlink_metadata(path).is_ok() {
        return Err(FileError::Exists {
            path: path.to_path_buf(),
        });
    }
    write_temporary(path, Follow::Never, content)?.persist_new()
}

/// Whether a write may go through a symbolic link at its path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Follow {
    /// A new output (`-o`, an export, our own files): a link there was
    /// planted or is a mistake; it is refused, never written through.
    Never,
    /// The file the user opened (a workspace, an account), saved back
    /// where it lives: a link at its path is followed to the file it
    /// names, and the link stays a link.
    InPlace,
}

/// Where a new output goes: the path itself, which must not be a link,
/// a folder, a pipe or a device.
pub fn output_target(path: &Path) -> Result<PathBuf, FileError> {
    match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(path.to_path_buf()),
        Err(e) => Err(FileError::Save {
            path: path.to_path_buf(),
            reason: e.to_string(),
        }),
        Ok(meta) if meta.file_type().is_symlink() => Err(FileError::Link {
            path: path.to_path_buf(),
        }),
        Ok(meta) if meta.is_file() => Ok(path.to_path_buf()),
        Ok(_) => Err(FileError::NotAFile {
            path: path.to_path_buf(),
        }),
    }
}

/// Where a save of an opened file really goes: a symbolic link at `path`
/// is followed to the file it names (the link stays a link); a link to
/// nothing, or a path that is not a regular file, is refused rather than
/// written through blindly.
pub fn save_target(path: &Path) -> Result<PathBuf, FileError> {
    let path_buf = || path.to_path_buf();
    match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(path_buf()),
        Err(e) => Err(FileError::Save {
            path: path_buf(),
            reason: e.to_string(),
        }),
        Ok(meta) if meta.file_type().is_symlink() => {
            let target = std::fs::canonicalize(path).map_err(|_| FileError::DanglingLink { path: path_buf() })?;
            match std::fs::metadata(&target) {
                Ok(m) if m.is_file() => Ok(target),
                _ => Err(FileError::LinkToNonFile { path: path_buf() }),
            }
        }
        Ok(meta) if meta.is_file() => Ok(path_buf()),
        Ok(_) => Err(FileError::NotAFile { path: path_buf() }),
    }
}

/// Writes a new output atomically: a temporary file with a random name,
/// created exclusively in the same folder, is written, flushed and synced,
/// then renamed over the target, so a crash or a full disk never leaves a
/// half-written file. The previous version is kept as `NAME.bak` (e.g.
/// `site.ialws.bak`) by a hard link (no data is copied, so a full disk cannot
/// damage the old backup); the file keeps its permissions. An issuer secret
/// key is never written over, and a link at the path is refused.
pub fn atomic_write(path: &Path, bytes: &[u8]) -> Result<(), FileError> {
    atomic_write_with(path, |w| w.write_all(bytes))
}

/// `atomic_write` for content produced by a writer (a large workspace is
/// serialised straight to the file, never held as one string in memory).
pub fn atomic_write_with(
    path: &Path,
    content: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> Result<(), FileError> {
    write_temporary(path, Follow::Never, content)?.persist(true)
}

/// `atomic_write` for a file the user opened, saved back where it lives
/// (through a link at its path, to the file the link names).
pub fn atomic_write_in_place(path: &Path, bytes: &[u8]) -> Result<(), FileError> {
    atomic_write_in_place_with(path, |w| w.write_all(bytes))
}

/// `atomic_write_in_place` for content produced by a writer.
pub fn atomic_write_in_place_with(
    path: &Path,
    content: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> Result<(), FileError> {
    write_temporary(path, Follow::InPlace, content)?.persist(true)
}

/// A file written in full beside its target but not yet in its place: the
/// second half of an atomic write, for a caller that must do something
/// else (commit an account) between writing a file and showing it.
/// Dropping it removes the temporary file.
pub struct Staged {
    tmp: tempfile::NamedTempFile,
    target: PathBuf,
    dir: PathBuf,
    name: String,
    asked: PathBuf,
    previous: bool,
}

impl Staged {
    /// Moves the file into place (keeping `NAME.bak` when `backup` and a
    /// previous version exists).
    pub fn persist(self, backup: bool) -> Result<(), FileError> {
        let Staged {
            tmp,
            target,
            dir,
            name,
            asked,
            previous,
        } = self;
        // The target may have become a key since the temporary file was
        // written; look again just before replacing it.
        if identity::is_secret_key(&target) {
            return Err(FileError::SecretKey { path: asked });
        }
        if previous && backup {
            keep_backup(&target, &dir.join(format!("{name}.bak")))?;
        }
        tmp.persist(&target).map_err(|e| FileError::Save {
            path: asked.clone(),
            reason: e.error.to_string(),
        })?;
        // Make the rename itself durable.
        if let Ok(d) = File::open(&dir) {
            let _ = d.sync_all();
        }
        Ok(())
    }
}

impl Staged {
    /// Moves the file into place only if nothing has the name yet: the
    /// name goes from free to the whole file in one step, and a file (or
    /// link) that appeared there meanwhile is never replaced.
    pub fn persist_new(self) -> Result<(), FileError> {
        let Staged {
            tmp,
            target,
            dir,
            asked,
            ..
        } = self;
        tmp.persist_noclobber(&target).map_err(|e| {
            if e.error.kind() == std::io::ErrorKind::AlreadyExists {
                FileError::Exists { path: asked.clone() }
            } else {
                FileError::Save {
                    path: asked.clone(),
                    reason: e.error.to_string(),
                }
            }
        })?;
        // Make the new name itself durable.
        if let Ok(d) = File::open(&dir) {
            let _ = d.sync_all();
        }
        Ok(())
    }
}

/// Writes `content` to a new temporary file next to `path` (created
/// exclusively, synced, with the permissions the file has now), refusing a
/// target that is an issuer secret key or not a regular file.
pub fn write_temporary(
    path: &Path,
    follow: Follow,
    content: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> Result<Staged, FileError> {
    let target = match follow {
        Follow::Never => output_target(path)?,
        Follow::InPlace => save_target(path)?,
    };
    if identity::is_secret_key(&target) {
        return Err(FileError::SecretKey {
            path: path.to_path_buf(),
        });
    }
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = target
        .file_name()
        .ok_or_else(|| FileError::NotAFile {
            path: path.to_path_buf(),
        })?
        .to_string_lossy()
        .into_owned();
    let unchanged = |e: &dyn std::fmt::Display| FileError::Save {
        path: path.to_path_buf(),
        reason: e.to_string(),
    };
    let previous = std::fs::metadata(&target).ok();
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".tmp")
        .tempfile_in(&dir)
        .map_err(|e| unchanged(&e))?;
    let write = |tmp: &mut tempfile::NamedTempFile| -> std::io::Result<()> {
        {
            let mut w = std::io::BufWriter::with_capacity(256 * 1024, tmp.as_file_mut());
            content(&mut w)?;
            w.flush()?;
        }
        platform::keep_owner_and_mode(tmp.as_file(), previous.as_ref())?;
        tmp.as_file().sync_all()
    };
    // On error the temporary file is removed when `tmp` drops.
    write(&mut tmp).map_err(|e| unchanged(&e))?;
    Ok(Staged {
        tmp,
        target,
        dir,
        name,
        asked: path.to_path_buf(),
        previous: previous.is_some(),
    })
}

/// Makes `bak` name the current content of `target` without writing data:
/// a hard link under a fresh random name, renamed over the old backup (a
/// rename replaces a link at `bak` instead of writing through it). Where
/// hard links are not supported the file is copied into a new temporary
/// file first; the old backup is replaced only once the copy is complete.
fn keep_backup(target: &Path, bak: &Path) -> Result<(), FileError> {
    let dir = bak.parent().unwrap_or(Path::new("."));
    let failed = |e: &dyn std::fmt::Display| FileError::Backup {
        bak: bak.to_path_buf(),
        reason: e.to_string(),
    };
    for _ in 0..8 {
        let link = dir.join(format!(".{}.{:016x}", file_name(bak), random_u64()));
        match std::fs::hard_link(target, &link) {
            Ok(()) => {
                return std::fs::rename(&link, bak).map_err(|e| {
                    let _ = std::fs::remove_file(&link);
                    failed(&e)
                });
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(_) => break,
        }
    }
    let mut copy = tempfile::Builder::new()
        .prefix(&format!(".{}.", file_name(bak)))
        .tempfile_in(dir)
        .map_err(|e| failed(&e))?;
    let mut source = super::open_regular(target)?;
    std::io::copy(&mut source, copy.as_file_mut())
        .and_then(|_| copy.as_file().sync_all())
        .map_err(|e| failed(&e))?;
    copy.persist(bak).map_err(|e| failed(&e.error))?;
    Ok(())
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
}

fn random_u64() -> u64 {
    let mut bytes = [0u8; 8];
    let _ = rand_core::RngCore::try_fill_bytes(&mut rand_core::OsRng, &mut bytes);
    u64::from_le_bytes(bytes) ^ u64::from(std::process::id())
}

/// Temporary files a write to `target` left behind when it was interrupted
/// (`.NAME.*.tmp` beside it), oldest first.
pub fn leftovers_of(target: &Path) -> Vec<PathBuf> {
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let prefix = format!(".{}.", file_name(target));
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut found: Vec<(std::time::SystemTime, PathBuf)> = entries
        .filter_map(Result::ok)
        .filter(|e| {
            let n = e.file_name().to_string_lossy().into_owned();
            n.starts_with(&prefix) && n.ends_with(".tmp")
        })
        .filter_map(|e| {
            let meta = std::fs::symlink_metadata(e.path()).ok()?;
            meta.is_file()
                .then(|| (meta.modified().unwrap_or(std::time::UNIX_EPOCH), e.path()))
        })
        .collect();
    found.sort();
    found.into_iter().map(|(_, p)| p).collect()
}

/// Opens one of our own files (a recovery journal) to append to it: never
/// through a symbolic link, only a regular file.
pub fn open_append(path: &Path) -> Result<File, FileError> {
    let mut options = std::fs::OpenOptions::new();
    options.append(true);
    platform::no_follow(&mut options);
    let file = options.open(path).map_err(|e| {
        if platform::refused_as_link(&e) {
            FileError::Link {
                path: path.to_path_buf(),
            }
        } else {
            FileError::Open {
                path: path.to_path_buf(),
                reason: e.to_string(),
            }
        }
    })?;
    // Windows opens a link as itself: refuse it before a byte is appended.
    if file.metadata().is_ok_and(|m| platform::opened_link(&m)) {
        return Err(FileError::Link {
            path: path.to_path_buf(),
        });
    }
    super::read::check_regular(&file, path)?;
    Ok(file)
}

/// Makes a folder and its parents (nothing if it exists).
pub fn create_dir_all(dir: &Path) -> Result<(), FileError> {
    std::fs::create_dir_all(dir).map_err(|e| FileError::Create {
        path: dir.to_path_buf(),
        reason: e.to_string(),
    })
}

/// Removes a file (or a link: the link, never what it names). A file that
/// is not there is not an error.
pub fn remove_file(path: &Path) -> Result<(), FileError> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(FileError::Save {
            path: path.to_path_buf(),
            reason: e.to_string(),
        }),
    }
}

/// Renames one of our own files (a journal that follows its workspace).
pub fn rename(from: &Path, to: &Path) -> Result<(), FileError> {
    std::fs::rename(from, to).map_err(|e| FileError::Save {
        path: to.to_path_buf(),
        reason: e.to_string(),
    })
}
