//! Bringing a real PureConnect site in (issue #35): the users, stations,
//! workgroups and license allocations of a CIC server, read from what its
//! administrator can export — a folder of saved ICWS responses (`icws.rs`)
//! or a `reg export` of the Directory Services registry (`registry.rs`,
//! read as the site's records by `reg_site.rs`) — and mapped field by field
//! onto a workspace (`mapping.rs`), with a self-check against the server's
//! own Licenses Allocation counts (`check.rs`). docs/site-import.md has the
//! mapping with what each row rests on.
//!
//! Inputs are hostile: every file is read capped (256 MiB for the whole
//! export), JSON deeper than 64 levels or saying a key twice is refused,
//! and every problem names its file and place. Nothing a value says is
//! dropped silently: what cannot be mapped is reported with its record and
//! field, and every assumption applied is listed.

mod check;
mod icws;
mod icws_props;
mod mapping;
mod output;
mod reg_records;
mod reg_site;
pub mod registry;
mod report;

use std::path::{Path, PathBuf};

pub use check::configured as configured_counts;
pub use output::{
    DiscardedJournal, WriteOptions, Written, check_journal, check_output, lock_output, write, write_with,
};
pub use report::{Assumption, Counts, Difference, FileNotRead, ImportReport, NotRead, SelfCheck, UnknownKey, Unmapped};

use crate::fs::FileError;
use crate::model::workspace::{LoadError, Station, User, Workgroup, Workspace};

/// The most an export may hold, all files together.
pub const MAX_EXPORT_BYTES: u64 = 256 * 1024 * 1024;
/// JSON nested deeper than this is refused (ICWS responses are a few
/// levels deep; serde_json's own limit is a stack guard, not a check).
pub const MAX_JSON_DEPTH: usize = 64;

/// What to import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A folder of saved ICWS responses (`users*.json`, `stations*.json`, …).
    Icws(PathBuf),
    /// A `reg export` of the Directory Services key (`.reg`).
    Registry(PathBuf),
}

impl Source {
    pub fn path(&self) -> &Path {
        match self {
            Source::Icws(p) | Source::Registry(p) => p,
        }
    }
}

/// Why an import was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SiteImportError {
    #[error(transparent)]
    File(#[from] FileError),
    /// A file that is not what its kind must be, with its place.
    #[error("{place}: {why}")]
    Refused { place: String, why: String },
    #[error(
        "{} holds no users*.json, stations*.json or workgroups*.json; give the folder the export script wrote",
        .0.display()
    )]
    NothingToImport(PathBuf),
    #[error(
        "{} already exists; choose a new file for the imported workspace, or ask to replace it",
        .0.display()
    )]
    Exists(PathBuf),
    /// The mapped workspace failed the loader's own checks (a bug in the
    /// mapping: nothing is written).
    #[error("the imported workspace would not load ({0}); nothing was written")]
    Invalid(String),
    #[error("the import was cancelled; nothing was written")]
    Cancelled,
    /// The workspace to replace is being edited (a session, the GUI, a
    /// command writing it in place holds its lock).
    #[error(
        "{} is being edited by {holder}; close it there first, or write the import to another file",
        .path.display()
    )]
    Locked { path: PathBuf, holder: crate::fs::Holder },
    /// The workspace's lock cannot be taken (its lock file is unsafe).
    #[error("{} cannot be replaced: {why}", .path.display())]
    Unlockable { path: PathBuf, why: String },
    /// The output would become a page of the ICWS export (a new file
    /// named after an endpoint in the export folder).
    #[error(
        "{} would be a page of the export in {}: the import reads every .json file there named after users, \
         stations, workgroups, roles or license-allocations, so the workspace cannot be written there; \
         choose another name, or a file outside the export folder",
        .out.display(),
        .export.display()
    )]
    PageOfExport { out: PathBuf, export: PathBuf },
    /// A session on the workspace did not end cleanly and its recovery
    /// journal holds unsaved changes (`changes`; `None`: the journal cannot
    /// be read, so it may): writing the import there would lose them.
    #[error("{}", output::unsaved_message(.path, .journal, *.changes))]
    UnsavedChanges {
        path: PathBuf,
        journal: PathBuf,
        changes: Option<usize>,
    },
}

impl SiteImportError {
    pub(crate) fn at(place: impl Into<String>, why: impl Into<String>) -> Self {
        SiteImportError::Refused {
            place: crate::model::fileio::tidy_message(&place.into()),
            why: crate::model::fileio::tidy_message(&why.into()),
        }
    }
}

impl From<LoadError> for SiteImportError {
    fn from(e: LoadError) -> Self {
        SiteImportError::Invalid(e.to_string())
    }
}

/// Where an import is, for a progress window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Reading,
    Mapping,
    Checking,
}

impl Stage {
    pub fn label(self) -> &'static str {
        match self {
            Stage::Reading => "Reading the export",
            Stage::Mapping => "Mapping users, stations and workgroups",
            Stage::Checking => "Comparing with the server's counts",
        }
    }
}

/// Progress: the stage, and bytes (reading) or records done of a total.
/// The callback returns false to cancel.
pub type Progress<'a> = &'a mut dyn FnMut(Stage, u64, u64) -> bool;

/// A site as read from an export, before mapping: records with the place
/// each came from.
#[derive(Debug, Default)]
pub(crate) struct Site {
    pub users: Vec<Read<User>>,
    pub stations: Vec<Read<Station>>,
    pub workgroups: Vec<Read<Workgroup>>,
    /// False when the export has no workgroups at all (memberships then
    /// make the workgroups, without queues).
    pub workgroups_known: bool,
    pub machine_name: String,
    /// Users whose License Active is off, by id (for the self-check's notes).
    pub inactive: Vec<String>,
    /// The server's Licenses Allocation counts, when exported.
    pub allocations: Option<Vec<check::ServerCount>>,
}

/// A record and where it was read.
#[derive(Debug)]
pub(crate) struct Read<T> {
    pub record: T,
    pub place: String,
}

/// A finished import: the workspace, its report, the export it came from
/// and the files read (an output may be none of them, nor a page of the
/// export: `output.rs`).
#[derive(Debug)]
pub struct Imported {
    pub workspace: Workspace,
    pub report: ImportReport,
    /// `None` for an export given as bytes (the fuzz targets).
    pub source: Option<Source>,
    pub inputs: Vec<PathBuf>,
}

/// Reads an export and maps it onto a new workspace.
pub fn import(source: &Source, progress: Progress) -> Result<Imported, SiteImportError> {
    let (site, collector, inputs) = match source {
        Source::Icws(dir) => icws::read(dir, progress)?,
        Source::Registry(file) => {
            let (site, collector) = reg_site::read(file, progress)?;
            (site, collector, vec![file.clone()])
        }
    };
    let mut imported = map(site, collector, inputs, progress)?;
    imported.source = Some(source.clone());
    Ok(imported)
}

/// An ICWS export given as (file name, bytes) pairs, named as the export
/// script names them: what the fuzz target feeds.
pub fn import_icws_files(files: &[(String, Vec<u8>)]) -> Result<Imported, SiteImportError> {
    let (site, collector) = icws::from_files(files)?;
    map(site, collector, Vec::new(), &mut |_, _, _| true)
}

/// A registry export's bytes: what the fuzz target feeds.
pub fn import_registry_bytes(name: &str, bytes: &[u8]) -> Result<Imported, SiteImportError> {
    let (site, collector) = reg_site::from_bytes(bytes, name)?;
    map(site, collector, Vec::new(), &mut |_, _, _| true)
}

fn map(
    site: Site,
    mut collector: report::Collector,
    inputs: Vec<PathBuf>,
    progress: Progress,
) -> Result<Imported, SiteImportError> {
    if !progress(Stage::Mapping, 0, 1) {
        return Err(SiteImportError::Cancelled);
    }
    let allocations = site.allocations.clone();
    let inactive = site.inactive.clone();
    let workspace = mapping::build(site, &mut collector)?;
    if !progress(Stage::Checking, 0, 1) {
        return Err(SiteImportError::Cancelled);
    }
    let allocations = allocations.map(|server| check::first_of_each_key(server, &mut collector));
    collector.report.self_check = allocations.map(|server| check::compare(&workspace, &server, &inactive));
    let c = &mut collector.report.counts;
    c.users = workspace.users().len();
    c.stations = workspace.stations().len();
    c.workgroups = workspace.workgroups().len();
    c.allocations = workspace.users().iter().map(|u| u.licenses.len()).sum::<usize>()
        + workspace.stations().iter().map(|s| s.licenses.len()).sum::<usize>();
    Ok(Imported {
        workspace,
        report: collector.finish(),
        source: None,
        inputs,
    })
}

/// Refuses JSON nested deeper than `MAX_JSON_DEPTH`, naming the byte where
/// it gets too deep. Brackets inside strings do not count.
pub(crate) fn check_depth(text: &str) -> Result<(), usize> {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for (at, b) in text.bytes().enumerate() {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_JSON_DEPTH {
                    return Err(at);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// The files an import read, in a line: the registry export's name, or the
/// ICWS pages counted per endpoint ("users: 50 pages, stations: 1 page") —
/// 10,000 pages named one by one would be a line of 180 KB. The report's
/// `files` lists every one.
pub fn files_read(report: &ImportReport) -> String {
    if report.source != "icws" {
        return report
            .files
            .iter()
            .map(|f| crate::model::text::safe(f).into_owned())
            .collect::<Vec<_>>()
            .join(", ");
    }
    let order = [
        icws::Endpoint::Users,
        icws::Endpoint::Stations,
        icws::Endpoint::Workgroups,
        icws::Endpoint::Roles,
        icws::Endpoint::Allocations,
    ];
    order
        .iter()
        .filter_map(|e| {
            let n = report
                .files
                .iter()
                .filter(|f| icws::Endpoint::of(f) == Some(*e))
                .count();
            (n > 0).then(|| format!("{}: {}", e.prefix(), crate::model::text::count(n, "page", "pages")))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The name of a file, for places in messages.
pub(crate) fn file_name(path: &Path) -> String {
    path.file_name()
        .map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_counts_brackets_outside_strings_only() {
        let deep = format!("{}{}", "[".repeat(65), "]".repeat(65));
        assert_eq!(check_depth(&deep), Err(64));
        let ok = format!("{}{}", "[".repeat(64), "]".repeat(64));
        assert_eq!(check_depth(&ok), Ok(()));
        let quoted = format!("{{\"a\": \"{}\\\"\"}}", "[".repeat(100));
        assert_eq!(check_depth(&quoted), Ok(()));
    }
}
