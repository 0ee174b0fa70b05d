//! How a workspace file is laid out: indented, as this app writes a new
//! file, or on one line, as `demo generate` and other tools write it. A
//! save keeps the layout the file was read in, so opening and saving a
//! file without a change gives it back the same size (a 33 MB compact
//! file no longer comes back as 51 MB of indentation).

use serde::{Deserialize, Serialize};

/// The layout of a workspace file's JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Layout {
    /// Indented, one value a line, ending with a line break (a new file).
    #[default]
    Pretty,
    /// On one line; `newline`: with a line break after it.
    Compact { newline: bool },
}

/// How far into a file its layout is looked for: an indented file breaks
/// its first line after the opening brace, a compact one never does.
const LOOK: usize = 4096;

impl Layout {
    /// The layout of a file's text: compact when no line break comes
    /// before its last value ends (looked for in its first 4 KB only).
    pub fn of(text: &str) -> Layout {
        let body = text.trim_end();
        let head = body.as_bytes().get(..LOOK).unwrap_or(body.as_bytes());
        if head.contains(&b'\n') {
            Layout::Pretty
        } else {
            Layout::Compact {
                newline: text.len() > body.len() && text.ends_with('\n'),
            }
        }
    }

    pub fn is_pretty(&self) -> bool {
        *self == Layout::Pretty
    }

    /// Writes `value` in this layout.
    pub fn write<T: Serialize + ?Sized>(self, w: &mut dyn std::io::Write, value: &T) -> std::io::Result<()> {
        match self {
            Layout::Pretty => {
                serde_json::to_writer_pretty(&mut *w, value)?;
                w.write_all(b"\n")
            }
            Layout::Compact { newline } => {
                serde_json::to_writer(&mut *w, value)?;
                if newline { w.write_all(b"\n") } else { Ok(()) }
            }
        }
    }

    /// `write` to a string.
    pub fn text<T: Serialize + ?Sized>(self, value: &T) -> String {
        let mut out = Vec::new();
        // Writing to memory fails only for a value JSON cannot hold (a map
        // with non-string keys), which the saved forms never have.
        let _ = self.write(&mut out, value);
        String::from_utf8(out).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_layout_is_read_from_the_text() {
        assert_eq!(Layout::of("{\n  \"format\": 1\n}\n"), Layout::Pretty);
        assert_eq!(Layout::of("{\"format\":1}"), Layout::Compact { newline: false });
        assert_eq!(Layout::of("{\"format\":1}\n"), Layout::Compact { newline: true });
        // A line break deep in a long compact file (inside a name) is not
        // looked for.
        let long = format!("{{\"a\":\"{}\\n\"}}", "x".repeat(10_000));
        assert_eq!(Layout::of(&long), Layout::Compact { newline: false });
    }

    #[test]
    fn each_layout_writes_what_it_reads_as() {
        let v = serde_json::json!({"format": 1, "users": [{"id": "a"}]});
        for layout in [
            Layout::Pretty,
            Layout::Compact { newline: false },
            Layout::Compact { newline: true },
        ] {
            let text = layout.text(&v);
            assert_eq!(Layout::of(&text), layout, "{text}");
            assert_eq!(serde_json::from_str::<serde_json::Value>(&text).ok(), Some(v.clone()));
        }
    }
}
