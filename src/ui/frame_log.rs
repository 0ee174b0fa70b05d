//! The frame-time log: with `IA_LICENSING_FRAME_LOG=FILE` set, the GUI
//! appends one tab-separated line per frame: Unix time in ms, the wall time
//! in ms the app spent in its per-frame function (everything it does on the
//! UI thread; egui's tessellation and the renderer are not included), the
//! view's `--view` name, and the actions handled in that frame (`-` if
//! none). `scripts/frame-session.sh` reads it to prove no frame stalls.
//!
//! Why a log and not a bench: a criterion bench measures egui's work for a
//! few chosen interactions; the log measures what a person actually waits
//! for, with every job, dialog and recount the app runs on the UI thread.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;
use std::time::Instant;

use crate::core::fs;

/// The environment variable that turns the log on.
pub const ENV: &str = "IA_LICENSING_FRAME_LOG";

pub struct FrameLog {
    file: fs::File,
    /// What was handled this frame, in order.
    actions: Vec<String>,
    started: Option<Instant>,
    /// A write failed once (disk full, file removed): say so once, stop.
    broken: bool,
}

impl FrameLog {
    /// The log named by the environment, if any. A path that cannot be
    /// opened is reported on stderr and the app runs without a log.
    pub fn from_env() -> Option<FrameLog> {
        let path = std::env::var_os(ENV)?;
        match FrameLog::open(Path::new(&path)) {
            Ok(log) => Some(log),
            Err(e) => {
                eprintln!("ia-licensing: no frame-time log: {e}");
                None
            }
        }
    }

    /// Appends to `path` (made if missing; never through a link, never a
    /// device or pipe: the guarded file path).
    pub fn open(path: &Path) -> Result<FrameLog, fs::FileError> {
        match fs::create_new_file(path, b"", 0o644) {
            Ok(()) | Err(fs::FileError::Exists { .. }) => {}
            Err(e) => return Err(e),
        }
        Ok(FrameLog {
            file: fs::open_append(path)?,
            actions: Vec::new(),
            started: None,
            broken: false,
        })
    }

    pub fn begin_frame(&mut self) {
        self.actions.clear();
        self.started = Some(Instant::now());
    }

    /// Notes an action by the name of its variant (`Assign`, `Save`, …).
    pub fn note(&mut self, action: &impl std::fmt::Debug) {
        self.actions.push(variant_name(action));
    }

    /// Writes the frame's line.
    pub fn end_frame(&mut self, view: &str) {
        let Some(started) = self.started.take() else { return };
        if self.broken {
            return;
        }
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        let line = format_line(unix_ms(), ms, view, &self.actions);
        if let Err(e) = self.file.write_all(line.as_bytes()) {
            eprintln!("ia-licensing: the frame-time log stopped: {e}");
            self.broken = true;
        }
    }
}

fn unix_ms() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or(0)
}

/// One line: exactly four tab-separated fields and a newline.
pub fn format_line(unix_ms: u128, ms: f64, view: &str, actions: &[String]) -> String {
    let actions = if actions.is_empty() {
        "-".to_string()
    } else {
        actions.join(",")
    };
    // Names are identifiers; the view name too: nothing can add a field.
    format!("{unix_ms}\t{ms:.3}\t{}\t{}\n", clean(view), clean(&actions))
}

fn clean(s: &str) -> String {
    s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

/// The name of an enum value's variant from its derived `Debug`, without
/// formatting its fields (a bulk command may carry 100,000 subjects): the
/// writer stops at the first character that is not part of the name.
pub fn variant_name(value: &impl std::fmt::Debug) -> String {
    struct Name(String);
    impl std::fmt::Write for Name {
        fn write_str(&mut self, s: &str) -> std::fmt::Result {
            for c in s.chars() {
                if c.is_alphanumeric() || c == '_' {
                    self.0.push(c);
                } else {
                    return Err(std::fmt::Error);
                }
            }
            Ok(())
        }
    }
    let mut name = Name(String::new());
    let _ = write!(name, "{value:?}");
    if name.0.is_empty() { "?".to_string() } else { name.0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    #[allow(dead_code)]
    enum Sample {
        Assign { subjects: Vec<String> },
        Save,
        Open(String),
    }

    #[test]
    fn the_variant_name_without_its_fields() {
        let big = Sample::Assign {
            subjects: vec!["x".repeat(10); 100_000],
        };
        assert_eq!(variant_name(&big), "Assign");
        assert_eq!(variant_name(&Sample::Save), "Save");
        assert_eq!(variant_name(&Sample::Open("a\tb".into())), "Open");
        assert_eq!(variant_name(&Box::new(Sample::Save)), "Save");
    }

    #[test]
    fn a_line_has_four_fields() {
        let line = format_line(1, 2.5, "users\tx", &[]);
        assert_eq!(line, "1\t2.500\tusers x\t-\n");
        let line = format_line(1, 0.0, "users", &["Assign".into(), "Save".into()]);
        assert_eq!(line.trim_end().split('\t').count(), 4);
        assert!(line.ends_with("\tAssign,Save\n"));
    }
}
