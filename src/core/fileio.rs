//! Reading files safely: size-capped reads so a huge or endless file is
//! refused before it is read whole.

use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

pub use super::error::FileError;

/// Opens a file for reading only if it is a regular file. A FIFO, socket or
/// device given as an input would block forever (or never end), so the open
/// does not wait (`O_NONBLOCK`) and the kind is checked on the open handle
/// before a byte is read.
pub fn open_regular(path: &Path) -> Result<File, FileError> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY);
    }
    let path_buf = || path.to_path_buf();
    let file = options.open(path).map_err(|e| FileError::Open {
        path: path_buf(),
        reason: e.to_string(),
    })?;
    let meta = file.metadata().map_err(|e| FileError::Read {
        path: path_buf(),
        reason: e.to_string(),
    })?;
    if meta.is_dir() {
        return Err(FileError::Folder { path: path_buf() });
    }
    if !meta.is_file() {
        return Err(FileError::NotRegular { path: path_buf() });
    }
    Ok(file)
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
    let mut bytes = Vec::with_capacity(size as usize);
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

/// Creates a new file that must not exist yet (never through a symbolic
/// link, never over an existing file) with the given Unix mode, e.g. 0o600
/// for a secret key.
pub fn create_new_file(path: &Path, bytes: &[u8], mode: u32) -> Result<(), FileError> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(mode).custom_flags(libc::O_NOFOLLOW);
    }
    #[cfg(not(unix))]
    let _ = mode;
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

/// Where a save really goes: a symbolic link at `path` is followed to the
/// file it names (the link stays a link); a link to nothing, or a path that
/// is not a regular file, is refused rather than written through blindly.
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

/// Writes a file atomically: a temporary file with a random name, created
/// exclusively in the same folder, is written, flushed and synced, then
/// renamed over the target, so a crash or a full disk never leaves a
/// half-written file. The previous version is kept as `NAME.bak` (e.g.
/// `site.ialws.bak`) by a hard link (no data is copied, so a full disk cannot
/// damage the old backup); the file keeps its permissions.
pub fn atomic_write(path: &Path, bytes: &[u8]) -> Result<(), FileError> {
    atomic_write_with(path, |w| w.write_all(bytes))
}

/// `atomic_write` for content produced by a writer (a large workspace is
/// serialised straight to the file, never held as one string in memory).
pub fn atomic_write_with(
    path: &Path,
    content: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> Result<(), FileError> {
    let target = save_target(path)?;
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
        keep_owner_and_mode(tmp.as_file(), previous.as_ref())?;
        tmp.as_file().sync_all()
    };
    // On error the temporary file is removed when `tmp` drops.
    write(&mut tmp).map_err(|e| unchanged(&e))?;
    if previous.is_some() {
        keep_backup(&target, &dir.join(format!("{name}.bak")))?;
    }
    tmp.persist(&target).map_err(|e| unchanged(&e.error))?;
    // Make the rename itself durable.
    if let Ok(d) = File::open(&dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// The new file gets the old one's permissions (and owner, where allowed);
/// a new file is readable by everyone and writable by its owner, as a file
/// created by an editor would be.
fn keep_owner_and_mode(file: &File, previous: Option<&std::fs::Metadata>) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        let mode = previous.map_or(0o644, |m| m.mode() & 0o7777);
        file.set_permissions(std::fs::Permissions::from_mode(mode))?;
        if let Some(m) = previous {
            // Only root may give a file away; elsewhere it is ours already.
            let _ = std::os::unix::fs::fchown(file, Some(m.uid()), Some(m.gid()));
        }
    }
    #[cfg(not(unix))]
    let _ = (file, previous);
    Ok(())
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
    let mut source = open_regular(target)?;
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

/// Refuses JSON text in which an object repeats a key: `serde_json::Value`
/// would silently keep the last one, and a file that says two things must
/// not be read as either.
pub fn reject_duplicate_keys(text: &str) -> Result<(), FileError> {
    use serde::de::{DeserializeSeed, Deserializer, Error as _, MapAccess, SeqAccess, Visitor};

    struct Any;
    impl<'de> DeserializeSeed<'de> for Any {
        type Value = ();
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            d.deserialize_any(Any)
        }
    }
    impl<'de> Visitor<'de> for Any {
        type Value = ();
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("JSON")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            // Keys borrowed from the text (no allocation unless escaped),
            // compared by a linear scan while the object is small — a
            // workspace has hundreds of thousands of small objects.
            let mut seen: Vec<std::borrow::Cow<'de, str>> = Vec::new();
            let mut many: Option<std::collections::HashSet<std::borrow::Cow<'de, str>>> = None;
            while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                let twice = match &mut many {
                    Some(set) => !set.insert(key.clone()),
                    None if seen.len() < 16 => {
                        let twice = seen.contains(&key);
                        seen.push(key.clone());
                        twice
                    }
                    None => {
                        let mut set: std::collections::HashSet<_> = seen.drain(..).collect();
                        let twice = !set.insert(key.clone());
                        many = Some(set);
                        twice
                    }
                };
                if twice {
                    let shown: String = key.chars().take(40).collect();
                    return Err(A::Error::custom(format!(
                        "the key `{shown}` appears twice in one object"
                    )));
                }
                map.next_value_seed(Any)?;
            }
            Ok(())
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            while seq.next_element_seed(Any)?.is_some() {}
            Ok(())
        }
        fn visit_bool<E>(self, _: bool) -> Result<(), E> {
            Ok(())
        }
        fn visit_i64<E>(self, _: i64) -> Result<(), E> {
            Ok(())
        }
        fn visit_u64<E>(self, _: u64) -> Result<(), E> {
            Ok(())
        }
        fn visit_f64<E>(self, _: f64) -> Result<(), E> {
            Ok(())
        }
        fn visit_str<E>(self, _: &str) -> Result<(), E> {
            Ok(())
        }
        fn visit_unit<E>(self) -> Result<(), E> {
            Ok(())
        }
    }
    let mut de = serde_json::Deserializer::from_str(text);
    let content = |e: serde_json::Error| FileError::Content(e.to_string());
    Any.deserialize(&mut de).map_err(content)?;
    de.end().map_err(content)
}

/// Checks text read from a file before parsing: no byte-order mark, no NUL.
pub fn check_text(text: &str, what: &str) -> Result<(), FileError> {
    check_text_start(text, what)?;
    check_no_nul(text, what)
}

/// `check_text` without the pass over the whole text for a NUL byte: for
/// JSON, which refuses a raw NUL anywhere, a reader may look for one only
/// once the text failed to parse (to say why).
pub fn check_text_start(text: &str, what: &str) -> Result<(), FileError> {
    if text.starts_with('\u{feff}') {
        return Err(FileError::Content(format!(
            "the {what} starts with a byte-order mark (BOM); save it as UTF-8 without BOM"
        )));
    }
    if text.trim().is_empty() {
        return Err(FileError::Content(format!("the {what} is empty")));
    }
    Ok(())
}

/// No NUL byte in the text (a damaged file).
pub fn check_no_nul(text: &str, what: &str) -> Result<(), FileError> {
    if let Some(pos) = text.find('\0') {
        return Err(FileError::Content(format!(
            "the {what} contains a NUL byte at offset {pos}; it is damaged"
        )));
    }
    Ok(())
}

/// Makes a message safe to show on one line: control characters are escaped
/// and long quoted pieces (a hostile 1 MB field name, say) are shortened.
pub fn tidy_message(message: &str) -> String {
    const KEEP: usize = 60;
    let mut out = String::with_capacity(message.len().min(1024));
    for (i, piece) in message.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        let inside_quotes = i % 2 == 1;
        let chars = piece.chars().count();
        let shown: String = if inside_quotes && chars > KEEP {
            let head: String = piece.chars().take(KEEP).collect();
            format!("{head}… ({chars} characters)")
        } else {
            piece.to_string()
        };
        for c in shown.chars() {
            if super::text::is_unsafe(c) {
                out.extend(c.escape_default());
            } else {
                out.push(c);
            }
        }
    }
    out
}
