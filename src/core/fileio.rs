//! Reading files safely: size-capped reads so a huge or endless file is
//! refused before it is read whole.

use std::io::Read;
use std::path::Path;

/// Reads at most `max` bytes; a larger file is refused with a message.
pub fn read_capped(path: &Path, max: u64) -> Result<Vec<u8>, String> {
    let file =
        std::fs::File::open(path).map_err(|e| format!("cannot open {} ({e}); check the path", path.display()))?;
    let too_large = |size: u64| {
        format!(
            "{} is {:.1} MiB; the most this file type may be is {} MiB",
            path.display(),
            size as f64 / (1024.0 * 1024.0),
            max / (1024 * 1024)
        )
    };
    if let Ok(meta) = file.metadata() {
        if meta.is_dir() {
            return Err(format!("{} is a folder; choose a file", path.display()));
        }
        if meta.len() > max {
            return Err(too_large(meta.len()));
        }
    }
    let mut bytes = Vec::new();
    file.take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read {} ({e})", path.display()))?;
    if bytes.len() as u64 > max {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}
