//! Reading files safely: size-capped reads so a huge or endless file is
//! refused before it is read whole.

use std::io::Read;
use std::path::Path;

/// Reads at most `max` bytes; a larger file is refused with a message.
pub fn read_capped(path: &Path, max: u64) -> Result<Vec<u8>, String> {
    read_capped_with(path, max, &mut |_, _| true).map(Option::unwrap_or_default)
}

/// `read_capped` in 1 MiB pieces for a worker thread: after each piece
/// `progress(done, size)` is told the bytes read and the file's size, and
/// returning false stops the read (`Ok(None)`: cancelled).
pub fn read_capped_with(
    path: &Path,
    max: u64,
    progress: &mut dyn FnMut(u64, u64) -> bool,
) -> Result<Option<Vec<u8>>, String> {
    let mut file =
        std::fs::File::open(path).map_err(|e| format!("cannot open {} ({e}); check the path", path.display()))?;
    let too_large = |size: u64| {
        format!(
            "{} is {:.1} MiB; the most this file type may be is {} MiB",
            path.display(),
            size as f64 / (1024.0 * 1024.0),
            max / (1024 * 1024)
        )
    };
    let mut size = 0;
    if let Ok(meta) = file.metadata() {
        if meta.is_dir() {
            return Err(format!("{} is a folder; choose a file", path.display()));
        }
        if meta.len() > max {
            return Err(too_large(meta.len()));
        }
        size = meta.len();
    }
    let mut bytes = Vec::with_capacity(size as usize);
    let mut chunk = vec![0u8; 1 << 20];
    loop {
        if !progress(bytes.len() as u64, size) {
            return Ok(None);
        }
        let n = file
            .read(&mut chunk)
            .map_err(|e| format!("cannot read {} ({e})", path.display()))?;
        if n == 0 {
            break;
        }
        bytes.extend_from_slice(&chunk[..n]);
        // A FIFO or a growing file can pass the size check above.
        if bytes.len() as u64 > max {
            return Err(too_large(bytes.len() as u64));
        }
    }
    Ok(Some(bytes))
}

/// Writes a file atomically: a temporary file in the same folder is written,
/// flushed and synced, then renamed over the target, so a crash or a full
/// disk never leaves a half-written file. The previous version is kept as
/// `NAME.bak` (e.g. `site.ialws.bak`).
pub fn atomic_write(path: &Path, bytes: &[u8]) -> Result<(), String> {
    atomic_write_with(path, |w| w.write_all(bytes))
}

/// `atomic_write` for content produced by a writer (a large workspace is
/// serialised straight to the file, never held as one string in memory).
pub fn atomic_write_with(
    path: &Path,
    content: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> Result<(), String> {
    use std::io::Write;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let name = path
        .file_name()
        .ok_or_else(|| format!("{} is not a file path", path.display()))?
        .to_string_lossy()
        .into_owned();
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let write = || -> std::io::Result<()> {
        let mut f = std::io::BufWriter::with_capacity(256 * 1024, std::fs::File::create(&tmp)?);
        content(&mut f)?;
        f.flush()?;
        f.get_ref().sync_all()?;
        Ok(())
    };
    if let Err(e) = write() {
        let _ = std::fs::remove_file(&tmp);
        return Err(format!(
            "cannot save {} ({e}); the file on disk is unchanged",
            path.display()
        ));
    }
    if path.exists() {
        let bak = dir.join(format!("{name}.bak"));
        if let Err(e) = std::fs::copy(path, &bak) {
            let _ = std::fs::remove_file(&tmp);
            return Err(format!(
                "cannot keep the previous version as {} ({e}); nothing was saved",
                bak.display()
            ));
        }
    }
    if let Err(e) = std::fs::rename(&tmp, path) {
        let _ = std::fs::remove_file(&tmp);
        return Err(format!(
            "cannot save {} ({e}); the file on disk is unchanged",
            path.display()
        ));
    }
    // Make the rename itself durable.
    if let Ok(d) = std::fs::File::open(&dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Refuses JSON text in which an object repeats a key: `serde_json::Value`
/// would silently keep the last one, and a file that says two things must
/// not be read as either.
pub fn reject_duplicate_keys(text: &str) -> Result<(), String> {
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
            let mut seen = std::collections::HashSet::new();
            while let Some(key) = map.next_key::<String>()? {
                if !seen.insert(key.clone()) {
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
    Any.deserialize(&mut de).map_err(|e| e.to_string())?;
    de.end().map_err(|e| e.to_string())
}

/// Checks text read from a file before parsing: no byte-order mark, no NUL.
pub fn check_text(text: &str, what: &str) -> Result<(), String> {
    if text.starts_with('\u{feff}') {
        return Err(format!(
            "the {what} starts with a byte-order mark (BOM); save it as UTF-8 without BOM"
        ));
    }
    if let Some(pos) = text.find('\0') {
        return Err(format!("the {what} contains a NUL byte at offset {pos}; it is damaged"));
    }
    if text.trim().is_empty() {
        return Err(format!("the {what} is empty"));
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
            if c.is_control() {
                out.extend(c.escape_default());
            } else {
                out.push(c);
            }
        }
    }
    out
}
