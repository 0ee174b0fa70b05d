//! The recovery journal: every step of work is appended, one JSON line per
//! step, and synced to disk before it is acknowledged, so that after a crash
//! or a kill the exact state can be rebuilt.
//!
//! Line 1 is the header: the workspace as it was opened (the base), who
//! edits it and which license it was written against (its source and the
//! SHA-256 of the file). Each further line is one step: a command applied,
//! an undo, a redo, a license loaded, or a save. Saves are markers: the
//! journal keeps its base across saves, so an undo past a save replays as
//! the undo it was. Replaying the steps on the base with the same license
//! reproduces the document, because commands are deterministic.
//!
//! Reading is strict: only a last line cut short by a crash (no line end)
//! is ignored; a damaged line anywhere else refuses the whole journal,
//! naming the line, rather than restoring a state that never existed.
//! `editing::Session` owns a journal (with its lock); nothing else writes one.

use crate::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::edit::command::Command;
use crate::edit::document::Document;
use crate::model::error::FileError;
use crate::model::license::{License, LoadOptions};
use crate::model::workspace::{Layout, Workspace};

/// The recovery journal could not be written, read or replayed.
#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    /// Writing or syncing a step failed (the step is then taken back).
    #[error("recovery journal {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    File(#[from] FileError),
    /// A step could not be written as JSON.
    #[error(transparent)]
    Json(#[from] serde_json::Error),
    #[error("a journal line must be one line")]
    NotOneLine,
    /// A line that is not a step (other than a last line cut short).
    #[error("{}", damaged_words(path, *line, why))]
    Damaged { path: PathBuf, line: usize, why: String },
    #[error("recovery journal {} was written by a newer version of ia-licensing", .0.display())]
    Newer(PathBuf),
    /// The license file a journal names is refused.
    #[error("{}: {refusal}", path.display())]
    License {
        path: PathBuf,
        #[source]
        refusal: crate::model::license::Refusal,
    },
    /// The demo or built-in license a journal names.
    #[error(transparent)]
    Demo(#[from] crate::model::demo::DemoError),
    /// A caller's loader does not load this kind of source.
    #[error("this license cannot be loaded here: {0}")]
    SourceNotLoaded(&'static str),
}

/// What a damaged journal line says, in words (what to do: keep the file).
fn damaged_words(path: &Path, line: usize, why: &str) -> String {
    crate::model::fileio::tidy_message(&format!(
        "recovery journal {}: line {line} is damaged ({why}); nothing was recovered. \
         Keep the file: the changes up to that line may be rebuilt by hand",
        path.display()
    ))
}

/// Format 2: saves are markers and the license is named by its hash.
/// Format 1 journals (restarted at each save) are still read.
pub const FORMAT: u32 = 2;
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
    /// SHA-256 (hex) of the license file the steps were made against
    /// (`None` for the built-in demo and scenarios).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub license_sha256: Option<String>,
    /// The OS user who made the changes (for the change log on replay).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub actor: String,
    /// The workspace as opened, change log included (kept as raw JSON
    /// text: a 100k-user workspace is not rebuilt as a JSON tree to write it).
    pub base: B,
    /// The layout of the workspace's file (the base is on one line
    /// whatever it was): a recovered workspace is saved as the file was.
    #[serde(default, skip_serializing_if = "Layout::is_pretty")]
    pub layout: Layout,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "step")]
pub enum Step {
    Apply {
        at: DateTime<Utc>,
        command: Box<Command>,
    },
    Undo {
        at: DateTime<Utc>,
    },
    Redo {
        at: DateTime<Utc>,
    },
    License {
        at: DateTime<Utc>,
        source: LicenseSource,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        sha256: Option<String>,
    },
    /// The document was saved to `path` (the state so far is on disk).
    Saved {
        at: DateTime<Utc>,
        path: PathBuf,
    },
}

/// An open journal, appending steps.
pub struct Journal {
    path: PathBuf,
    file: File,
    steps: usize,
}

fn io(path: &Path, source: std::io::Error) -> JournalError {
    JournalError::Io {
        path: path.to_path_buf(),
        source,
    }
}

impl Journal {
    /// Starts a new journal (replacing any previous one at `path`; the
    /// caller holds the journal's lock and has offered what it held).
    pub fn start<B: Serialize>(path: &Path, header: &Header<B>) -> Result<Journal, JournalError> {
        if let Some(dir) = path.parent()
            && !dir.as_os_str().is_empty()
        {
            crate::fs::create_dir_all(dir)?;
        }
        crate::fs::atomic_write_with(path, |w| {
            serde_json::to_writer(&mut *w, header)?;
            w.write_all(b"\n")
        })?;
        let _ = crate::fs::remove_file(&path.with_extension("jsonl.bak"));
        Self::resume(path, 0)
    }

    /// Continues an existing journal (after its steps were restored).
    pub fn resume(path: &Path, steps: usize) -> Result<Journal, JournalError> {
        let file = crate::fs::open_append(path)?;
        Ok(Journal {
            path: path.to_path_buf(),
            file,
            steps,
        })
    }

    /// Appends an applied command (as `record(&Step::Apply{..})` would,
    /// without needing a copy of the command).
    pub fn record_apply(&mut self, at: DateTime<Utc>, command: &Command) -> Result<(), JournalError> {
        let line = Self::apply_line(at, command)?;
        self.append_line(line.as_bytes())
    }

    /// The journal line of an applied command, without writing it: a large
    /// command (a 100k-row import) is serialised off the UI thread, then
    /// written with `record_line`.
    pub fn apply_line(at: DateTime<Utc>, command: &Command) -> Result<String, JournalError> {
        #[derive(Serialize)]
        #[serde(rename_all = "kebab-case", tag = "step")]
        enum Borrowed<'a> {
            Apply { at: DateTime<Utc>, command: &'a Command },
        }
        let mut line = serde_json::to_string(&Borrowed::Apply { at, command })?;
        line.push('\n');
        Ok(line)
    }

    /// Appends a line made by `apply_line` and syncs it.
    pub fn record_line(&mut self, line: &str) -> Result<(), JournalError> {
        if !line.ends_with('\n') || line[..line.len() - 1].contains('\n') {
            return Err(JournalError::NotOneLine);
        }
        self.append_line(line.as_bytes())
    }

    fn append_line(&mut self, line: &[u8]) -> Result<(), JournalError> {
        // One write: a crash leaves at most one line without its end.
        self.file.write_all(line).map_err(|e| io(&self.path, e))?;
        self.file.sync_data().map_err(|e| io(&self.path, e))?;
        self.steps += 1;
        Ok(())
    }

    /// Appends a step and syncs it to disk.
    pub fn record(&mut self, step: &Step) -> Result<(), JournalError> {
        let mut line = serde_json::to_string(step)?;
        line.push('\n');
        // One write: a crash leaves at most one line without its end.
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

    /// Removes the journal (a clean exit with everything saved).
    pub fn discard(self) {
        let _ = crate::fs::remove_file(&self.path);
    }
}

/// A journal read back: its header and every step.
#[derive(Debug, Clone)]
pub struct Recovered {
    pub path: PathBuf,
    pub header: Header,
    pub steps: Vec<Step>,
}

impl Recovered {
    /// Steps after the last save: the work a crash would lose.
    pub fn unsaved_steps(&self) -> usize {
        let last_save = self.steps.iter().rposition(|s| matches!(s, Step::Saved { .. }));
        self.steps.len() - last_save.map_or(0, |i| i + 1)
    }

    /// Where the recovered workspace belongs: the last save's path, or the
    /// file the session opened.
    pub fn workspace_path(&self) -> Option<&Path> {
        self.steps
            .iter()
            .rev()
            .find_map(|s| match s {
                Step::Saved { path, .. } => Some(path.as_path()),
                _ => None,
            })
            .or(self.header.workspace_path.as_deref())
    }
}

/// One step Restore would bring back, as the recovery question lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepLine {
    /// When it was made, "2026-05-04 14:03:12 UTC".
    pub time: String,
    /// What it did: the command's words, "Undo: …", "Load license".
    pub what: String,
    /// Who or what it is about: "user tina", "3 users", "the license".
    pub subject: String,
}

impl Recovered {
    /// The steps after the last save, in order — what Restore brings back
    /// beyond what is on disk. An undo or a redo names the step it undid or
    /// redid (the journal records only that it happened, so the steps are
    /// followed from the start as the document's undo and redo lists).
    pub fn unsaved_lines(&self) -> Vec<StepLine> {
        let from = self.steps.len() - self.unsaved_steps();
        let mut undo: Vec<(String, String)> = Vec::new();
        let mut redo: Vec<(String, String)> = Vec::new();
        let mut out = Vec::new();
        let time = |at: &DateTime<Utc>| at.format("%Y-%m-%d %H:%M:%S UTC").to_string();
        for (i, step) in self.steps.iter().enumerate() {
            let line = match step {
                Step::Apply { at, command } => {
                    let done = (command.summary(), command.subject_words());
                    undo.push(done.clone());
                    redo.clear();
                    Some((time(at), done.0, done.1))
                }
                Step::Undo { at } => {
                    let (what, subject) = undo.pop().unwrap_or_else(|| ("a step".into(), String::new()));
                    redo.push((what.clone(), subject.clone()));
                    Some((time(at), format!("Undo: {what}"), subject))
                }
                Step::Redo { at } => {
                    let (what, subject) = redo.pop().unwrap_or_else(|| ("a step".into(), String::new()));
                    undo.push((what.clone(), subject.clone()));
                    Some((time(at), format!("Redo: {what}"), subject))
                }
                Step::License { at, source, .. } => {
                    let what = "Load license".to_string();
                    let subject = match source {
                        LicenseSource::Demo => "the demo license".to_string(),
                        LicenseSource::Builtin { name } => format!("the license of {name}"),
                        LicenseSource::File { path } => path
                            .file_name()
                            .map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned()),
                    };
                    undo.push((what.clone(), subject.clone()));
                    redo.clear();
                    Some((time(at), what, subject))
                }
                Step::Saved { .. } => None,
            };
            if i >= from
                && let Some((time, what, subject)) = line
            {
                // Text from the journal is shown: escaped like any file text.
                out.push(StepLine {
                    time,
                    what: crate::model::text::safe(&what).into_owned(),
                    subject: crate::model::text::safe(&subject).into_owned(),
                });
            }
        }
        out
    }
}

/// Reads a journal; `Ok(None)` when there is none or it holds no steps.
/// A damaged line (other than a last line cut short) refuses the journal.
pub fn read(path: &Path) -> Result<Option<Recovered>, JournalError> {
    if !path.exists() {
        return Ok(None);
    }
    let bytes = crate::fs::read_capped(path, MAX_BYTES)?;
    parse(path, &bytes)
}

/// `read` on bytes already in memory (`path` names them in messages).
pub fn parse(path: &Path, bytes: &[u8]) -> Result<Option<Recovered>, JournalError> {
    let damaged = |line: usize, why: &dyn std::fmt::Display| JournalError::Damaged {
        path: path.to_path_buf(),
        line,
        why: why.to_string(),
    };
    let complete = bytes.ends_with(b"\n");
    let mut lines: Vec<&[u8]> = bytes.split(|b| *b == b'\n').collect();
    // After the final line end `split` yields an empty piece; without a
    // final line end the last piece is a line cut short by a crash.
    let cut_short = lines.pop().filter(|last| !last.is_empty() && !complete);
    let _ = cut_short;
    let mut numbered = lines.iter().enumerate().map(|(i, l)| (i + 1, *l));
    let Some((_, first)) = numbered.find(|(_, l)| !l.iter().all(u8::is_ascii_whitespace)) else {
        return Ok(None);
    };
    let header: Header = serde_json::from_slice(first).map_err(|e| damaged(1, &e))?;
    if header.journal > FORMAT {
        return Err(JournalError::Newer(path.to_path_buf()));
    }
    let mut steps = Vec::new();
    for (n, line) in numbered {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let step: Step = serde_json::from_slice(line).map_err(|e| damaged(n, &e))?;
        steps.push(step);
    }
    if steps.is_empty() {
        return Ok(None);
    }
    Ok(Some(Recovered {
        path: path.to_path_buf(),
        header,
        steps,
    }))
}

/// A journal's license as it is on disk now, to compare with the one the
/// steps were made against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LicenseChanged {
    pub path: PathBuf,
    pub was: String,
    pub now: String,
}

impl std::fmt::Display for LicenseChanged {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the license file {} has changed since these changes were made (SHA-256 was {}…, now {}…); \
             replaying them against the new license may refuse or change some of them",
            self.path.display(),
            &self.was[..self.was.len().min(12)],
            &self.now[..self.now.len().min(12)]
        )
    }
}

/// Why a journal could not be replayed.
#[derive(Debug, thiserror::Error)]
pub enum RestoreError {
    /// The license changed: the user decides (replay against the current
    /// one, or put the old file back).
    #[error("{0}")]
    LicenseChanged(LicenseChanged),
    /// The license could not be read or loaded.
    #[error(transparent)]
    Journal(#[from] JournalError),
    #[error("{0}")]
    Failed(String),
}

/// What a replay gives: the document, and its generation at the last save
/// (so the app knows what is already on disk).
pub struct Restored {
    pub doc: Document,
    pub saved_generation: Option<u64>,
}

/// Rebuilds the document a journal describes. `load` turns a license source
/// into a license (the caller knows the trust store and the demo data);
/// unless `accept_license_change`, a license file whose content differs from
/// the one the journal names is refused with `LicenseChanged`.
pub fn restore(
    recovered: &Recovered,
    load: &dyn Fn(&LicenseSource) -> Result<License, JournalError>,
    accept_license_change: bool,
) -> Result<Restored, RestoreError> {
    let check = |source: &LicenseSource, sha: &Option<String>| -> Result<(), RestoreError> {
        if accept_license_change {
            return Ok(());
        }
        if let (LicenseSource::File { path }, Some(was)) = (source, sha) {
            let now = file_sha256(path)?;
            if &now != was {
                return Err(RestoreError::LicenseChanged(LicenseChanged {
                    path: path.clone(),
                    was: was.clone(),
                    now,
                }));
            }
        }
        Ok(())
    };
    let header = &recovered.header;
    check(&header.license, &header.license_sha256)?;
    for step in &recovered.steps {
        if let Step::License { source, sha256, .. } = step {
            check(source, sha256)?;
        }
    }
    let license = load(&header.license)?;
    let mut ws = Workspace::from_json(header.base.get())
        .map_err(|e| RestoreError::Failed(format!("the journal's saved workspace does not load: {e}")))?;
    ws.layout = header.layout;
    let mut doc = Document::new(Arc::new(license), ws, header.today);
    let actor = if header.actor.is_empty() {
        crate::model::changelog::os_user()
    } else {
        header.actor.clone()
    };
    let failed = |i: usize, e: &dyn std::fmt::Display| RestoreError::Failed(format!("step {}: {e}", i + 1));
    let mut saved_generation = None;
    for (i, step) in recovered.steps.iter().enumerate() {
        match step {
            Step::Apply { at, command } => {
                doc.set_clock(*at, &actor);
                doc.apply((**command).clone()).map_err(|e| failed(i, &e.reason))?;
            }
            Step::Undo { at } => {
                doc.set_clock(*at, &actor);
                // An undo was journalled only when there was a step to undo.
                doc.undo().ok_or_else(|| failed(i, &"there is nothing to undo"))?;
            }
            Step::Redo { at } => {
                doc.set_clock(*at, &actor);
                doc.redo()
                    .map_err(|e| failed(i, &e.reason))?
                    .ok_or_else(|| failed(i, &"there is nothing to redo"))?;
            }
            Step::License { at, source, .. } => {
                doc.set_clock(*at, &actor);
                let license = load(source)?;
                doc.replace_license(Arc::new(license), "Load license".into());
            }
            Step::Saved { .. } => saved_generation = Some(doc.generation()),
        }
    }
    Ok(Restored { doc, saved_generation })
}

/// SHA-256 (hex) of a file, read with the license size cap.
pub fn file_sha256(path: &Path) -> Result<String, JournalError> {
    use sha2::Digest;
    let bytes = crate::fs::read_capped(path, crate::model::license::MAX_FILE_BYTES)?;
    Ok(sha2::Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

/// Loads a file license source with the given options (demo and built-in
/// sources are the caller's).
pub fn load_file_source(path: &Path, opts: LoadOptions<'_>) -> Result<License, JournalError> {
    License::load_path(path, opts).map_err(|refusal| JournalError::License {
        path: path.to_path_buf(),
        refusal,
    })
}

/// The app's data folder (`IA_LICENSING_DATA_DIR` overrides it, for tests
/// and portable installs).
pub fn data_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("IA_LICENSING_DATA_DIR") {
        return Some(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("", "", "ia-licensing").map(|d| d.data_dir().to_path_buf())
}

/// The journal of one workspace in the data folder: `journals/NAME-HASH.jsonl`
/// for a file (the hash of its full path, so two `site.ialws` in different
/// folders do not share one), `journals/demo.jsonl` for the demo and
/// `journals/scenario-NAME.jsonl` for a built-in scenario. One workspace,
/// one journal: two processes editing it meet at its lock.
pub fn path_for(data_dir: &Path, workspace: &JournalOf<'_>) -> PathBuf {
    use sha2::Digest;
    let clean = |s: &str| -> String {
        s.chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                    c
                } else {
                    '_'
                }
            })
            .take(40)
            .collect()
    };
    let name = match workspace {
        JournalOf::Demo => "demo".to_string(),
        JournalOf::Scenario(name) => format!("scenario-{}", clean(name)),
        JournalOf::File(path) => {
            let full = crate::fs::canonical(path);
            let hash = sha2::Sha256::digest(full.to_string_lossy().as_bytes());
            let stem = full
                .file_stem()
                .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
            format!(
                "{}-{:02x}{:02x}{:02x}{:02x}",
                clean(&stem),
                hash[0],
                hash[1],
                hash[2],
                hash[3]
            )
        }
    };
    data_dir.join("journals").join(format!("{name}.jsonl"))
}

/// Which workspace a journal belongs to.
#[derive(Debug, Clone, Copy)]
pub enum JournalOf<'a> {
    Demo,
    Scenario(&'a str),
    File(&'a Path),
}

/// Every journal in the data folder (for `recover` without a path).
pub fn journals_in(data_dir: &Path) -> Vec<PathBuf> {
    crate::fs::files_in(&data_dir.join("journals"), "jsonl").unwrap_or_default()
}

/// Loads the license a journal names: the demo, a built-in scenario, or a
/// file (verified again with the caller's trust store).
pub fn load_source(
    source: &LicenseSource,
    trust: &crate::model::license::TrustStore,
    allow_unsigned: bool,
) -> Result<License, JournalError> {
    match source {
        LicenseSource::Demo => Ok(crate::model::demo::demo_license(trust)?),
        LicenseSource::Builtin { name } => Ok(crate::model::demo::scenario_license(name, trust, allow_unsigned)?),
        LicenseSource::File { path } => load_file_source(path, LoadOptions { trust, allow_unsigned }),
    }
}

/// A document's saved form as the raw JSON a journal header holds.
pub fn raw_base(doc: &Document) -> Result<Box<serde_json::value::RawValue>, JournalError> {
    Ok(serde_json::value::RawValue::from_string(doc.to_file_json_compact())?)
}
