//! A folder of saved ICWS responses (`GET /icws/{sessionId}/configuration/…`
//! with `select=`), one response per file, `{"items": [...]}`, named after
//! its endpoint: `users*.json`, `stations*.json`, `workgroups*.json`,
//! `roles*.json`, `license-allocations*.json`. Pages may come in any order;
//! the records are sorted once mapped.
//!
//! Every file named after an endpoint is read, or the import is refused
//! naming it: a page that cannot be read (a link to nothing, a pipe, a
//! device, a folder) is never left out unseen. Only an item's identity
//! (`configurationId {id, …}`) must be well formed; every other property
//! is read loosely (`icws_props.rs`), so one odd value is reported with its
//! record and field and the import goes on. Refusals name the file, the
//! item and the line and column of the file.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use super::icws_props::{self, RoleRef};
use super::report::Collector;
use super::{MAX_EXPORT_BYTES, Progress, Read, Site, SiteImportError, Stage, check_depth, file_name};

/// The endpoints read, by the start of the file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Endpoint {
    Users,
    Stations,
    Workgroups,
    Roles,
    Allocations,
}

impl Endpoint {
    pub(super) fn of(name: &str) -> Option<Endpoint> {
        let name = name.to_ascii_lowercase();
        // `license-allocations` first: no other prefix is a prefix of it.
        Self::ALL.into_iter().find(|e| name.starts_with(e.prefix()))
    }

    pub(super) const ALL: [Endpoint; 5] = [
        Endpoint::Allocations,
        Endpoint::Users,
        Endpoint::Stations,
        Endpoint::Workgroups,
        Endpoint::Roles,
    ];

    /// The endpoint's name, as the files start.
    pub(super) fn prefix(self) -> &'static str {
        match self {
            Endpoint::Allocations => "license-allocations",
            Endpoint::Users => "users",
            Endpoint::Stations => "stations",
            Endpoint::Workgroups => "workgroups",
            Endpoint::Roles => "roles",
        }
    }
}

/// `{id, displayName, uri}`: every configuration object's identity.
#[derive(Debug, Deserialize)]
#[serde(
    rename_all = "camelCase",
    expecting = "an identity {\"id\": …, \"displayName\": …, \"uri\": …}"
)]
pub(super) struct ConfigId {
    pub id: String,
    #[serde(default)]
    pub display_name: Option<Value>,
}

/// An item's identity; the rest of the item is read loosely.
#[derive(Deserialize)]
#[serde(
    rename_all = "camelCase",
    expecting = "an item {\"configurationId\": {\"id\": …}, …}"
)]
struct Identity {
    configuration_id: ConfigId,
}

#[derive(Deserialize)]
struct Page<'a> {
    #[serde(borrow)]
    items: Vec<&'a RawValue>,
}

/// Reads the folder: the site, the report so far, and the files read.
pub(super) fn read(dir: &Path, progress: Progress) -> Result<(Site, Collector, Vec<PathBuf>), SiteImportError> {
    if !crate::fs::is_dir(dir) {
        return Err(SiteImportError::at(
            dir.display().to_string(),
            "not a folder; an ICWS export is the folder the export script wrote (a registry export is a .reg file)",
        ));
    }
    let mut reader = Reader::new();
    let mut files: Vec<(PathBuf, Endpoint)> = Vec::new();
    // Every entry named like a response, whatever it is: one that cannot
    // be read refuses the import below, naming it. Every other entry is
    // listed as not read, with why.
    for path in crate::fs::all_entries_in(dir)? {
        let name = file_name(&path);
        match response_of(&name) {
            Some(e) => files.push((path, e)),
            None => reader
                .collector
                .file_not_read(&name, why_not_read(&name, crate::fs::is_dir(&path))),
        }
    }
    if !files
        .iter()
        .any(|(_, e)| matches!(e, Endpoint::Users | Endpoint::Stations | Endpoint::Workgroups))
    {
        return Err(SiteImportError::NothingToImport(dir.to_path_buf()));
    }
    let mut used = 0u64;
    let total = files.len() as u64;
    for (n, (path, endpoint)) in files.iter().enumerate() {
        if !progress(Stage::Reading, n as u64, total) {
            return Err(SiteImportError::Cancelled);
        }
        let name = file_name(path);
        let bytes = crate::fs::read_capped(path, MAX_EXPORT_BYTES - used).map_err(|e| match e {
            crate::fs::FileError::TooLarge { .. } => SiteImportError::at(
                &name,
                "the export is larger than 256 MiB, all files together; export fewer properties or split the site",
            ),
            other => SiteImportError::at(
                &name,
                format!("{other}; every file named after an endpoint is part of the export, so nothing was imported"),
            ),
        })?;
        used += bytes.len() as u64;
        reader.page(&name, *endpoint, &bytes)?;
    }
    let (site, collector) = reader.finish();
    Ok((site, collector, files.into_iter().map(|(p, _)| p).collect()))
}

/// An export given as (file name, bytes) pairs, named as the export script
/// names them (the fuzz target and tests; `read` for a folder).
pub(super) fn from_files(files: &[(String, Vec<u8>)]) -> Result<(Site, Collector), SiteImportError> {
    let mut reader = Reader::new();
    let mut any = false;
    for (name, bytes) in files {
        match response_of(name) {
            Some(e) => {
                any |= matches!(e, Endpoint::Users | Endpoint::Stations | Endpoint::Workgroups);
                reader.page(name, e, bytes)?;
            }
            None => reader.collector.file_not_read(name, why_not_read(name, false)),
        }
    }
    if !any {
        return Err(SiteImportError::NothingToImport(PathBuf::from("the export")));
    }
    Ok(reader.finish())
}

/// Whether a file of the export folder with this name is read as a page.
pub(super) fn is_page_name(name: &str) -> bool {
    response_of(name).is_some()
}

/// The endpoint a file of the folder is a response of: a `.json` file
/// named after it (`users-0200.json`).
fn response_of(name: &str) -> Option<Endpoint> {
    let json = Path::new(name)
        .extension()
        .is_some_and(|e| e.to_string_lossy().eq_ignore_ascii_case("json"));
    json.then(|| Endpoint::of(name)).flatten()
}

/// Why an entry of the export folder is not read, in words.
fn why_not_read(name: &str, folder: bool) -> &'static str {
    if folder {
        "a folder: only the files directly in the export folder are read"
    } else if !Path::new(name)
        .extension()
        .is_some_and(|e| e.to_string_lossy().eq_ignore_ascii_case("json"))
    {
        if Endpoint::of(name).is_some() {
            "named after an endpoint but not a JSON file (.json): the export script saves each response as .json"
        } else {
            "not a JSON file (.json): the export holds the server's responses as .json files"
        }
    } else {
        "a JSON file not named after an endpoint (users, stations, workgroups, roles, license-allocations): \
         the export script names each response after its endpoint"
    }
}

/// The pages read so far.
struct Reader {
    site: Site,
    collector: Collector,
    /// Roles by id: their display name.
    roles: HashMap<String, String>,
    /// Each user's role references, in the order of `site.users`.
    user_roles: Vec<Vec<RoleRef>>,
}

impl Reader {
    fn new() -> Self {
        Reader {
            site: Site::default(),
            collector: Collector::new("icws"),
            roles: HashMap::new(),
            user_roles: Vec::new(),
        }
    }

    /// One saved response.
    fn page(&mut self, name: &str, endpoint: Endpoint, bytes: &[u8]) -> Result<(), SiteImportError> {
        let c = &mut self.collector;
        c.report.files.push(name.to_string());
        let text = json_text(bytes, name)?;
        let page: Page = serde_json::from_str(text)
            .map_err(|e| SiteImportError::at(name, format!("not an ICWS response ({{\"items\": [...]}}): {e}")))?;
        if matches!(endpoint, Endpoint::Workgroups) {
            self.site.workgroups_known = true;
        }
        for (i, raw) in page.items.into_iter().enumerate() {
            let place = format!("{name} items[{i}]");
            let (id, props) = item(raw, text, &place)?;
            match endpoint {
                Endpoint::Users => {
                    let (user, refs) = icws_props::user(id, &props, &place, c, &mut self.site);
                    self.site.users.push(Read { record: user, place });
                    self.user_roles.push(refs);
                }
                Endpoint::Stations => {
                    let record = icws_props::station(id, &props, &place, c);
                    self.site.stations.push(Read { record, place });
                }
                Endpoint::Workgroups => {
                    let record = icws_props::workgroup(id, &props, &place, c);
                    self.site.workgroups.push(Read { record, place });
                }
                Endpoint::Roles => {
                    let shown = icws_props::display_name(&id, &place, c).unwrap_or_else(|| id.id.clone());
                    self.roles.insert(id.id, shown);
                }
                Endpoint::Allocations => {
                    let count = icws_props::allocation(id, &props, &place, c);
                    self.site.allocations.get_or_insert_with(Vec::new).push(count);
                }
            }
        }
        Ok(())
    }

    /// The site, with each user's roles by name: the roles endpoint's
    /// display name, else the reference's, else the role's id.
    fn finish(mut self) -> (Site, Collector) {
        for (read, refs) in self.site.users.iter_mut().zip(self.user_roles) {
            read.record.roles = refs
                .into_iter()
                .map(|(id, shown)| self.roles.get(&id).cloned().or(shown).unwrap_or(id))
                .collect();
        }
        (self.site, self.collector)
    }
}

/// The text of a JSON file: UTF-8 (a leading byte-order mark, as Windows
/// PowerShell 5.1 writes, is skipped), nested at most 64 deep, no key said
/// twice in one object.
pub(crate) fn json_text<'a>(bytes: &'a [u8], name: &str) -> Result<&'a str, SiteImportError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        SiteImportError::at(
            name,
            format!(
                "not UTF-8 text (bad byte at offset {}); save the response as UTF-8",
                e.valid_up_to()
            ),
        )
    })?;
    check_depth(text)
        .map_err(|at| SiteImportError::at(name, format!("JSON nested deeper than 64 levels at byte {at}")))?;
    crate::model::fileio::scan_json(text).map_err(|e| match e {
        crate::model::fileio::JsonScanError::DuplicateKey(e) => {
            SiteImportError::at(name, format!("{e}; a response must say each thing once"))
        }
        crate::model::fileio::JsonScanError::Syntax(e) => SiteImportError::at(
            name,
            format!("not valid JSON ({e}); the file is cut short or damaged: export it again"),
        ),
    })?;
    Ok(text)
}

/// One item: its identity and its other properties. An item that is not
/// an object, or whose identity is malformed, refuses the import with the
/// item, the property and the line and column of the file.
fn item(raw: &RawValue, text: &str, place: &str) -> Result<(ConfigId, Map<String, Value>), SiteImportError> {
    let refuse = |e: serde_json::Error, path: &str| {
        let at = if path.is_empty() || path == "." {
            place.to_string()
        } else {
            format!("{place}.{path}")
        };
        let (line, column) = file_position(text, raw, e.line(), e.column());
        let message = e.to_string();
        let why = message
            .strip_suffix(&format!(" at line {} column {}", e.line(), e.column()))
            .unwrap_or(&message);
        SiteImportError::at(at, format!("{why} at line {line} column {column}"))
    };
    let mut de = serde_json::Deserializer::from_str(raw.get());
    let identity: Identity = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        refuse(e.into_inner(), &path)
    })?;
    // Valid JSON already: only a number out of range can fail here.
    let props: Map<String, Value> = serde_json::from_str(raw.get()).map_err(|e| refuse(e, ""))?;
    Ok((identity.configuration_id, props))
}

/// A position inside an item (`line`, `column`, as serde_json counts
/// them, 1-based) as the line and column of the whole file.
fn file_position(text: &str, raw: &RawValue, line: usize, column: usize) -> (usize, usize) {
    // The item is a slice of the file's text (borrowed by `Page`).
    let start = (raw.get().as_ptr() as usize).wrapping_sub(text.as_ptr() as usize);
    let Some(before) = text.get(..start) else {
        return (line, column);
    };
    let item_line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let item_column = start - before.rfind('\n').map_or(0, |n| n + 1) + 1;
    if line <= 1 {
        (item_line, item_column + column.saturating_sub(1))
    } else {
        (item_line + line - 1, column)
    }
}
