//! Which file a path names: two names for one file (a link, `..`, another
//! case on a case-insensitive disk) are the same file, so an output is
//! never one of the command's inputs, and a lock is keyed on the file
//! itself.

use std::path::{Path, PathBuf};

use super::FileError;

/// The file a path names, resolving links and `..`; for a path that does
/// not exist yet, its folder is resolved and the name kept. Best effort: a
/// path whose folder does not exist either comes back absolute but as given.
pub fn canonical(path: &Path) -> PathBuf {
    if let Ok(full) = std::fs::canonicalize(path) {
        return full;
    }
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    match (absolute.parent(), absolute.file_name()) {
        (Some(dir), Some(name)) => std::fs::canonicalize(dir).map_or_else(|_| absolute.clone(), |d| d.join(name)),
        _ => absolute,
    }
}

/// Do two paths name the same existing file (device and inode), or, where
/// either does not exist, the same place once resolved?
pub fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(ma), Ok(mb)) => super::platform::same_existing_file((a, &ma), (b, &mb)),
        _ => canonical(a) == canonical(b),
    }
}

/// Is the file at `path` (following links) an issuer secret key? Key files
/// are small JSON objects holding a `secret_key`; anything larger, not a
/// regular file, or not such JSON is not one.
pub fn is_secret_key(path: &Path) -> bool {
    const MAX_KEY_FILE: u64 = 64 * 1024;
    match std::fs::metadata(path) {
        Ok(m) if m.is_file() && m.len() <= MAX_KEY_FILE => {}
        _ => return false,
    }
    let Ok(bytes) = super::read_capped(path, MAX_KEY_FILE) else {
        return false;
    };
    // A key saved by an editor may start with a byte-order mark.
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    serde_json::from_slice::<serde_json::Value>(text)
        .ok()
        .is_some_and(|v| v.get("secret_key").is_some_and(serde_json::Value::is_string))
}

/// Refuses an output that is the same file as any input (or key) of the
/// same command, or one of the files kept beside an input (its lock file,
/// its `.bak`), naming both, and an output that is an issuer secret key.
pub fn check_output(output: &Path, inputs: &[&Path]) -> Result<(), FileError> {
    for input in inputs {
        let mut bak = canonical(input).into_os_string();
        bak.push(".bak");
        let beside = [super::lock_path(input), PathBuf::from(bak)];
        if same_file(output, input) || beside.iter().any(|b| same_file(output, b)) {
            return Err(FileError::SameAsInput {
                output: output.to_path_buf(),
                input: input.to_path_buf(),
            });
        }
    }
    if is_secret_key(output) {
        return Err(FileError::SecretKey {
            path: output.to_path_buf(),
        });
    }
    Ok(())
}
