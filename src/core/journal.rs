//! The recovery journal: unsaved changes are appended, one JSON line per
//! step, and synced to disk, so that after a crash or a kill the next start
//! can rebuild the exact state.
//!
//! Line 1 is the header: the workspace as last saved (the base) and where
//! the license came from. Each further line is one step: a command applied,
//! an undo, a redo, or a license loaded. Replaying the steps on the base with
//! the same license reproduces the document, because commands are
//! deterministic. A last line cut short by a crash is ignored.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::command::Command;
use super::document::Document;
use super::license::{License, LoadOptions};
use super::workspace::Workspace;

pub const FORMAT: u32 = 1;
/// The journal may not grow past this (a runaway session is not recoverable
/// line by line anyway).
pub const MAX_BYTES: u64 = 1024 * 1024 * 1024;

/// Where a license came from, so recovery can load the same one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum LicenseSource {
    /// The demo license built into the app.
    Demo,
    /// A license file (loaded again, verified again, on recovery).
    File { path: PathBuf },
    /// Built-in trainer scenario data.
    Builtin { name: String },
}

/// The journal's first line. `B` is the base: raw JSON text when read back,
/// a borrowed view of the document when written (so starting a journal for a
/// 100k-user workspace does not copy it into a string first).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Header<B = Box<serde_json::value::RawValue>> {
    pub journal: u32,
    pub started: DateTime<Utc>,
    pub today: NaiveDate,
    /// The workspace file this session edits (`None`: the demo or a scenario).
    pub workspace_path: Option<PathBuf>,
    pub license: LicenseSource,
    /// The workspace as last saved, change log included (kept as raw JSON
    /// text: a 100k-user workspace is not rebuilt as a JSON tree to write it).
    pub base: B,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "step")]
pub enum Step {
    Apply { at: DateTime<Utc>, command: Command },
    Undo { at: DateTime<Utc> },
    Redo { at: DateTime<Utc> },
    License { at: DateTime<Utc>, source: LicenseSource },
}

/// An open journal, appending steps.
pub struct Journal {
    path: PathBuf,
    file: File,
    steps: usize,
}

fn io(path: &Path, e: std::io::Error) -> String {
    format!("recovery journal {}: {e}", path.display())
}

impl Journal {
    /// Starts a new journal (replacing any previous one at `path`).
    pub fn start<B: Serialize>(path: &Path, header: &Header<B>) -> Result<Journal, String> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| io(path, e))?;
        }
        super::fileio::atomic_write_with(path, |w| {
            serde_json::to_writer(&mut *w, header)?;
            w.write_all(b"\n")
        })?;
        let _ = std::fs::remove_file(path.with_extension("jsonl.bak"));
        let file = OpenOptions::new().append(true).open(path).map_err(|e| io(path, e))?;
        Ok(Journal {
            path: path.to_path_buf(),
            file,
            steps: 0,
        })
    }

    /// Appends an applied command (as `record(&Step::Apply{..})` would,
    /// without needing a copy of the command).
    pub fn record_apply(&mut self, at: DateTime<Utc>, command: &Command) -> Result<(), String> {
        #[derive(Serialize)]
        #[serde(rename_all = "kebab-case", tag = "step")]
        enum Borrowed<'a> {
            Apply { at: DateTime<Utc>, command: &'a Command },
        }
        self.append(&Borrowed::Apply { at, command })
    }

    /// Appends a step and syncs it to disk.
    pub fn record(&mut self, step: &Step) -> Result<(), String> {
        self.append(step)
    }

    fn append(&mut self, step: &impl Serialize) -> Result<(), String> {
        let mut line = serde_json::to_string(step).map_err(|e| e.to_string())?;
        line.push('\n');
        self.file.write_all(line.as_bytes()).map_err(|e| io(&self.path, e))?;
        self.file.sync_data().map_err(|e| io(&self.path, e))?;
        self.steps += 1;
        Ok(())
    }

    pub fn steps(&self) -> usize {
        self.steps
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Removes the journal (after a save, or a clean exit without changes).
    pub fn discard(self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// A journal read back: its header and complete steps.
#[derive(Debug, Clone)]
pub struct Recovered {
    pub header: Header,
    pub steps: Vec<Step>,
}

/// Reads a journal; `Ok(None)` when there is none or it holds no steps.
pub fn read(path: &Path) -> Result<Option<Recovered>, String> {
    if !path.exists() {
        return Ok(None);
    }
    let bytes = super::fileio::read_capped(path, MAX_BYTES)?;
    let text = String::from_utf8_lossy(&bytes);
    let mut lines = text.split('\n');
    let Some(first) = lines.next().filter(|l| !l.trim().is_empty()) else {
        return Ok(None);
    };
    let header: Header = serde_json::from_str(first)
        .map_err(|e| format!("recovery journal {}: the header is damaged ({e})", path.display()))?;
    if header.journal > FORMAT {
        return Err(format!(
            "recovery journal {} was written by a newer version of ia-licensing",
            path.display()
        ));
    }
    let mut steps = Vec::new();
    for line in lines {
        if line.trim().is_empty() {
            continue;
        }
        // A line cut short by a crash ends the journal.
        match serde_json::from_str::<Step>(line) {
            Ok(step) => steps.push(step),
            Err(_) => break,
        }
    }
    if steps.is_empty() {
        return Ok(None);
    }
    Ok(Some(Recovered { header, steps }))
}

/// Rebuilds the document a journal describes. `load` turns a license source
/// into a license (the caller knows the trust store and the demo data).
pub fn restore(
    recovered: &Recovered,
    load: &dyn Fn(&LicenseSource) -> Result<License, String>,
) -> Result<Document, String> {
    let license = load(&recovered.header.license)?;
    let ws = Workspace::from_json(recovered.header.base.get())
        .map_err(|e| format!("the journal's saved workspace does not load: {e}"))?;
    let mut doc = Document::new(Arc::new(license), ws, recovered.header.today);
    for (i, step) in recovered.steps.iter().enumerate() {
        match step {
            Step::Apply { at, command } => {
                doc.set_clock(*at, &super::changelog::os_user());
                doc.apply(command.clone()).map_err(|e| format!("step {}: {e}", i + 1))?;
            }
            Step::Undo { at } => {
                doc.set_clock(*at, &super::changelog::os_user());
                doc.undo();
            }
            Step::Redo { at } => {
                doc.set_clock(*at, &super::changelog::os_user());
                doc.redo().map_err(|e| format!("step {}: {e}", i + 1))?;
            }
            Step::License { at, source } => {
                doc.set_clock(*at, &super::changelog::os_user());
                let license = load(source)?;
                doc.replace_license(Arc::new(license), "Load license".into());
            }
        }
    }
    Ok(doc)
}

/// Loads a file license source with the given options (demo and built-in
/// sources are the caller's).
pub fn load_file_source(path: &Path, opts: LoadOptions<'_>) -> Result<License, String> {
    License::load_path(path, opts).map_err(|r| format!("{}: {r}", path.display()))
}

/// The default journal location: the platform's data folder
/// (`IA_LICENSING_DATA_DIR` overrides it).
pub fn default_path() -> Option<PathBuf> {
    data_dir().map(|d| d.join("recovery.jsonl"))
}

/// The app's data folder (`IA_LICENSING_DATA_DIR` overrides it, for tests
/// and portable installs).
pub fn data_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("IA_LICENSING_DATA_DIR") {
        return Some(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("", "", "ia-licensing").map(|d| d.data_dir().to_path_buf())
}

impl Journal {
    /// Continues an existing journal (after its steps were restored).
    pub fn resume(path: &Path, steps: usize) -> Result<Journal, String> {
        let file = OpenOptions::new().append(true).open(path).map_err(|e| io(path, e))?;
        Ok(Journal {
            path: path.to_path_buf(),
            file,
            steps,
        })
    }
}

/// Loads the license a journal names: the demo, a built-in scenario, or a
/// file (verified again with the caller's trust store).
pub fn load_source(
    source: &LicenseSource,
    trust: &super::license::TrustStore,
    allow_unsigned: bool,
) -> Result<License, String> {
    match source {
        LicenseSource::Demo => super::demo::demo_license(trust),
        LicenseSource::Builtin { name } => super::demo::scenario_license(name, trust, allow_unsigned),
        LicenseSource::File { path } => load_file_source(path, LoadOptions { trust, allow_unsigned }),
    }
}

/// A document's saved form as the raw JSON a journal header holds.
pub fn raw_base(doc: &Document) -> Result<Box<serde_json::value::RawValue>, String> {
    serde_json::value::RawValue::from_string(doc.to_file_json_compact()).map_err(|e| e.to_string())
}
