//! Checks on text read from files (no BOM, no NUL, no key said twice) and
//! messages made safe to show. Opening, reading and writing files is
//! `core::fs`'s.

pub use crate::fs::FileError;

/// Refuses JSON text in which an object repeats a key: `serde_json::Value`
/// would silently keep the last one, and a file that says two things must
/// not be read as either.
pub fn reject_duplicate_keys(text: &str) -> Result<(), FileError> {
    // string-error: serde's error is neither Clone nor Eq, as this error type is; its words (with the position) are what is kept.
    scan_json(text).map_err(|e| FileError::Content(e.to_string()))
}

/// Why JSON text failed `scan_json`.
#[derive(Debug)]
pub enum JsonScanError {
    /// An object says a key twice (the error names the key and its place).
    DuplicateKey(serde_json::Error),
    /// The text is not JSON (its place is in the error).
    Syntax(serde_json::Error),
}

impl std::fmt::Display for JsonScanError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            JsonScanError::DuplicateKey(e) | JsonScanError::Syntax(e) => e.fmt(f),
        }
    }
}

/// `reject_duplicate_keys`, telling a key said twice from text that is not
/// JSON at all (the scan stops at either): only the first is a file saying
/// two things.
pub fn scan_json(text: &str) -> Result<(), JsonScanError> {
    scan(text).map_err(|e| match e.classify() {
        // The scan accepts every value: its only data error is the repeat.
        serde_json::error::Category::Data => JsonScanError::DuplicateKey(e),
        _ => JsonScanError::Syntax(e),
    })
}

fn scan(text: &str) -> Result<(), serde_json::Error> {
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
    Any.deserialize(&mut de)?;
    de.end()
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
    if text.is_empty() {
        return Err(FileError::Content(format!("the {what} is empty")));
    }
    if text.trim().is_empty() {
        // Not empty: 100 MB of spaces is something else than no bytes.
        return Err(FileError::Content(format!(
            "the {what} holds nothing but white space ({} bytes)",
            crate::model::text::thousands(text.len())
        )));
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
    plain_words(&tidy_quotes(message))
}

/// The parser's words for what a value should be, in the user's: Rust
/// type names ("expected u32") and chrono's "input is out of range" (a date
/// such as February 30) mean nothing to an administrator.
fn plain_words(message: &str) -> String {
    const WORDS: &[(&str, &str)] = &[
        ("expected u8", "expected a whole number of 0 or more"),
        ("expected u16", "expected a whole number of 0 or more"),
        ("expected u32", "expected a whole number of 0 or more"),
        ("expected u64", "expected a whole number of 0 or more"),
        ("expected usize", "expected a whole number of 0 or more"),
        ("expected i8", "expected a whole number"),
        ("expected i16", "expected a whole number"),
        ("expected i32", "expected a whole number"),
        ("expected i64", "expected a whole number"),
        ("expected f32", "expected a number"),
        ("expected f64", "expected a number"),
        ("invalid type: floating point", "a number with a fraction,"),
        ("input is out of range", "not a day of the calendar (or out of range)"),
    ];
    let mut out = message.to_string();
    // "expected struct CloudPrices": a type name of ours, never the user's.
    let mut at = 0;
    while let Some(i) = out[at..].find("expected struct ") {
        let start = at + i;
        let name = start + "expected struct ".len();
        let end = out[name..]
            .find(|c: char| !c.is_ascii_alphanumeric() && c != '_')
            .map_or(out.len(), |e| name + e);
        out.replace_range(start..end, "expected an object ({ … })");
        at = start + "expected an object ({ … })".len();
    }
    for (from, to) in WORDS {
        // Whole words only: "expected u32" but not "expected u320".
        let mut at = 0;
        while let Some(i) = out[at..].find(from) {
            let start = at + i;
            let end = start + from.len();
            let whole = out[end..].chars().next().is_none_or(|c| !c.is_ascii_alphanumeric());
            if whole {
                out.replace_range(start..end, to);
                at = start + to.len();
            } else {
                at = end;
            }
        }
    }
    out
}

/// Long quoted values shortened and unsafe characters escaped.
fn tidy_quotes(message: &str) -> String {
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
            if crate::model::text::is_unsafe(c) {
                out.extend(c.escape_default());
            } else {
                out.push(c);
            }
        }
    }
    out
}
