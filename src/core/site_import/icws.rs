//! A folder of saved ICWS responses (`GET /icws/{sessionId}/configuration/…`
//! with `select=`), one response per file, `{"items": [...]}`, named after
//! its endpoint: `users*.json`, `stations*.json`, `workgroups*.json`,
//! `roles*.json`, `license-allocations*.json`. Pages may come in any order;
//! the records are sorted once mapped.
//!
//! ICWS leaves out properties whose value is null and writes enumerations
//! as integers (ICWS help, *Design Principles*); each property is read
//! loosely (a `Value`) so that one odd value is reported with its record
//! and field instead of refusing the whole export, while a record whose
//! identity (`configurationId`) is malformed refuses it, with its place.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::{Map, Value};

use super::check::ServerCount;
use super::report::{Collector, show};
use super::{MAX_EXPORT_BYTES, Progress, Read, Site, SiteImportError, Stage, check_depth, file_name};
use crate::core::catalog::{self, AcdLevel, IpaLevel};
use crate::core::workspace::{MediaType, Method, Station, StationType, User, Workgroup};

/// The endpoints read, by the start of the file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Endpoint {
    Users,
    Stations,
    Workgroups,
    Roles,
    Allocations,
}

impl Endpoint {
    fn of(name: &str) -> Option<Endpoint> {
        let name = name.to_ascii_lowercase();
        // `license-allocations` first: no other prefix is a prefix of it.
        [
            ("license-allocations", Endpoint::Allocations),
            ("users", Endpoint::Users),
            ("stations", Endpoint::Stations),
            ("workgroups", Endpoint::Workgroups),
            ("roles", Endpoint::Roles),
        ]
        .into_iter()
        .find(|(prefix, _)| name.starts_with(prefix))
        .map(|(_, e)| e)
    }
}

/// `{id, displayName, uri}`: every configuration object's identity.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ConfigId {
    id: String,
    #[serde(default)]
    display_name: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct IcwsUser {
    configuration_id: ConfigId,
    #[serde(default)]
    display_name: Option<Value>,
    #[serde(default)]
    license_properties: Option<Map<String, Value>>,
    #[serde(default)]
    workgroups: Option<Vec<ConfigId>>,
    #[serde(default)]
    roles: Option<Value>,
    #[serde(default)]
    default_workstation: Option<ConfigId>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct IcwsStation {
    configuration_id: ConfigId,
    #[serde(default)]
    station_type: Option<Value>,
    #[serde(default)]
    active: Option<Value>,
    #[serde(default)]
    machine_name: Option<Value>,
    #[serde(default)]
    station_license_properties: Option<Map<String, Value>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct IcwsWorkgroup {
    configuration_id: ConfigId,
    #[serde(default)]
    has_queue: Option<Value>,
    #[serde(default)]
    utilizations: Option<Vec<Value>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct IcwsAllocation {
    configuration_id: ConfigId,
    #[serde(default)]
    assignable_configured_count: Option<u64>,
    #[serde(default)]
    concurrent_configured_count: Option<u64>,
}

#[derive(Deserialize)]
struct Page<'a> {
    #[serde(borrow)]
    items: Vec<&'a serde_json::value::RawValue>,
}

/// Reads the folder: the site, the report so far, and the files read.
pub(super) fn read(dir: &Path, progress: Progress) -> Result<(Site, Collector, Vec<PathBuf>), SiteImportError> {
    if !crate::core::fs::is_dir(dir) {
        return Err(SiteImportError::at(
            dir.display().to_string(),
            "not a folder; an ICWS export is the folder the export script wrote (a registry export is a .reg file)",
        ));
    }
    let mut reader = Reader::new();
    let mut files: Vec<(PathBuf, Endpoint)> = Vec::new();
    for path in crate::core::fs::files_in(dir, "json")? {
        match Endpoint::of(&file_name(&path)) {
            Some(e) => files.push((path, e)),
            None => reader.collector.report.skipped_files.push(file_name(&path)),
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
        let bytes = crate::core::fs::read_capped(path, MAX_EXPORT_BYTES - used).map_err(|e| match e {
            crate::core::fs::FileError::TooLarge { .. } => SiteImportError::at(
                &name,
                "the export is larger than 256 MiB, all files together; export fewer properties or split the site",
            ),
            other => other.into(),
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
        match Endpoint::of(name) {
            Some(e) => {
                any |= matches!(e, Endpoint::Users | Endpoint::Stations | Endpoint::Workgroups);
                reader.page(name, e, bytes)?;
            }
            None => reader.collector.report.skipped_files.push(name.clone()),
        }
    }
    if !any {
        return Err(SiteImportError::NothingToImport(PathBuf::from("the export")));
    }
    Ok(reader.finish())
}

/// The pages read so far.
struct Reader {
    site: Site,
    collector: Collector,
    roles: HashMap<String, String>,
    user_roles: Vec<Vec<(String, Option<String>)>>,
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
        let (site, c) = (&mut self.site, &mut self.collector);
        c.report.files.push(name.to_string());
        let text = json_text(bytes, name)?;
        let page: Page = serde_json::from_str(text)
            .map_err(|e| SiteImportError::at(name, format!("not an ICWS response ({{\"items\": [...]}}): {e}")))?;
        for (i, raw) in page.items.into_iter().enumerate() {
            let place = format!("{name} items[{i}]");
            match endpoint {
                Endpoint::Users => {
                    let (user, refs) = user(typed(raw, &place)?, &place, c, site);
                    site.users.push(Read { record: user, place });
                    self.user_roles.push(refs);
                }
                Endpoint::Stations => {
                    let record = station(typed(raw, &place)?, &place, c);
                    site.stations.push(Read { record, place });
                }
                Endpoint::Workgroups => {
                    site.workgroups_known = true;
                    let record = workgroup(typed(raw, &place)?, &place, c);
                    site.workgroups.push(Read { record, place });
                }
                Endpoint::Roles => {
                    let role: ConfigId = typed::<RoleItem>(raw, &place)?.configuration_id;
                    let shown = role.display_name.unwrap_or_else(|| role.id.clone());
                    self.roles.insert(role.id, shown);
                }
                Endpoint::Allocations => {
                    let a: IcwsAllocation = typed(raw, &place)?;
                    site.allocations.get_or_insert_with(Vec::new).push(ServerCount {
                        key: a.configuration_id.id,
                        assignable_configured: a.assignable_configured_count.unwrap_or(0),
                        concurrent_configured: a.concurrent_configured_count.unwrap_or(0),
                        place,
                    });
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

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RoleItem {
    configuration_id: ConfigId,
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
    crate::core::fileio::reject_duplicate_keys(text)
        .map_err(|e| SiteImportError::at(name, format!("{e}; a response must say each thing once")))?;
    Ok(text)
}

/// One item as `T`, or a refusal naming the item and the property.
fn typed<T: serde::de::DeserializeOwned>(raw: &serde_json::value::RawValue, place: &str) -> Result<T, SiteImportError> {
    let mut de = serde_json::Deserializer::from_str(raw.get());
    serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let at = if path == "." {
            place.to_string()
        } else {
            format!("{place}.{path}")
        };
        SiteImportError::at(at, e.into_inner().to_string())
    })
}

fn user(u: IcwsUser, place: &str, c: &mut Collector, site: &mut Site) -> (User, Vec<(String, Option<String>)>) {
    let id = u.configuration_id.id;
    // The name: the identity's display name, else the user's own.
    let name = u
        .configuration_id
        .display_name
        .or_else(|| u.display_name.as_ref().and_then(Value::as_str).map(str::to_string));
    let mut user = User::new(id.clone(), name.unwrap_or_default());
    if let Some(props) = &u.license_properties {
        let l = licensing(props, place, &id, "licenseProperties", true, c);
        if let Some(method) = l.method {
            user.method = method;
        }
        for key in l.keys {
            user.licenses.insert(&key);
        }
        user.acd_media_types = l.media;
        if l.active == Some(false) {
            c.warning(
                place,
                &id,
                "licenseProperties.licenseActive",
                "false",
                "License Active is off on the server: imported with the licenses it has configured",
            );
            site.inactive.push(id.clone());
        }
    }
    for wg in u.workgroups.unwrap_or_default() {
        user.workgroups.insert(&wg.id);
    }
    user.default_workstation = u.default_workstation.map(|w| w.id);
    let refs = u.roles.map(|r| role_refs(&r, place, &id, c)).unwrap_or_default();
    (user, refs)
}

/// The user's roles: a list of references, or an inherited value
/// `{actualValue, effectiveValue}` whose `actualValue` (the roles given
/// to the user in IA) is read.
fn role_refs(value: &Value, place: &str, id: &str, c: &mut Collector) -> Vec<(String, Option<String>)> {
    let list = match value {
        Value::Array(items) => items.as_slice(),
        Value::Object(o) => match (o.get("actualValue"), o.get("effectiveValue")) {
            (Some(Value::Array(a)), _) => a.as_slice(),
            (_, Some(Value::Array(e))) => {
                c.assume(
                    "roles-effective",
                    "A user's roles are read from the effective roles (roles given through workgroups included) when \
                     the user's own roles are left out",
                    id,
                );
                e.as_slice()
            }
            _ => &[],
        },
        other => {
            c.unmapped(
                place,
                id,
                "roles",
                &show(other),
                "not a list of roles; no roles imported",
            );
            &[]
        }
    };
    let mut out = Vec::new();
    for item in list {
        match item {
            Value::String(s) => out.push((s.clone(), None)),
            Value::Object(o) => {
                let inner = o.get("value").and_then(Value::as_object).unwrap_or(o);
                match inner.get("id").and_then(Value::as_str) {
                    Some(rid) => out.push((
                        rid.to_string(),
                        inner.get("displayName").and_then(Value::as_str).map(str::to_string),
                    )),
                    None => c.unmapped(place, id, "roles[]", &show(item), "a role without an id; left out"),
                }
            }
            other => c.unmapped(place, id, "roles[]", &show(other), "a role without an id; left out"),
        }
    }
    out
}

fn station(s: IcwsStation, place: &str, c: &mut Collector) -> Station {
    let id = s.configuration_id.id;
    let kind = match s.station_type.as_ref().map(|v| (v, v.as_u64())) {
        Some((_, Some(0))) => StationType::StandalonePhone,
        Some((_, Some(1))) => StationType::Workstation,
        Some((_, Some(2))) => StationType::StandaloneFax,
        Some((_, Some(3))) => StationType::Remote,
        Some((_, Some(4))) => {
            c.assume(
                "station-type-unified-messaging",
                "A Unified Messaging station is imported as a Workstation: IA's licensing has no station type of \
                 its own for it",
                &id,
            );
            StationType::Workstation
        }
        None => {
            c.assume(
                "station-type-missing",
                "A station whose type the export leaves out is imported as a Workstation",
                &id,
            );
            StationType::Workstation
        }
        Some((v, _)) => {
            c.unmapped(
                place,
                &id,
                "stationType",
                &show(v),
                "not a known station type; imported as a Workstation",
            );
            StationType::Workstation
        }
    };
    let mut st = Station::new(id.clone(), kind);
    if s.station_type.as_ref().and_then(Value::as_u64) == Some(4) {
        st.extra
            .insert("source_station_type".into(), Value::from("Unified Messaging"));
    }
    match s.active {
        Some(Value::Bool(b)) => st.enabled = b,
        None => c.assume(
            "station-active-missing",
            "A station whose Active setting the export leaves out is imported as active",
            &id,
        ),
        Some(v) => c.unmapped(place, &id, "active", &show(&v), "not true or false; imported as active"),
    }
    match s.machine_name {
        Some(Value::String(m)) if !m.trim().is_empty() => st.machine_name = m,
        None | Some(Value::String(_)) => {}
        Some(v) => c.unmapped(
            place,
            &id,
            "machineName",
            &show(&v),
            "not a name; the station name is used",
        ),
    }
    if let Some(props) = &s.station_license_properties {
        let l = licensing(props, place, &id, "stationLicenseProperties", false, c);
        for key in l.keys {
            st.licenses.insert(&key);
        }
        st.acd_media_types = l.media;
        if l.active == Some(false) {
            c.warning(
                place,
                &id,
                "stationLicenseProperties.licenseActive",
                "false",
                "License Active is off on the server: imported with the licenses it has configured",
            );
        }
    }
    st
}

fn workgroup(w: IcwsWorkgroup, place: &str, c: &mut Collector) -> Workgroup {
    let name = w.configuration_id.id;
    let mut media = BTreeSet::new();
    for (i, u) in w.utilizations.iter().flatten().enumerate() {
        let field = format!("utilizations[{i}].mediaType");
        let Some(kind) = u.get("mediaType") else {
            c.unmapped(
                place,
                &name,
                &field,
                "(missing)",
                "a utilization without a media type; left out",
            );
            continue;
        };
        // A type the queue gives 0 % of an agent to is not routed to them.
        if u.get("utilizationPercent").and_then(Value::as_u64) == Some(0) {
            c.assume(
                "utilization-zero",
                "An interaction type with 0 % utilization is not one the workgroup's queue routes",
                &name,
            );
            continue;
        }
        if let Some(m) = media_type(kind, place, &name, &field, c) {
            media.insert(m);
        }
    }
    match w.has_queue {
        Some(Value::Bool(false)) => {
            if !media.is_empty() {
                c.assume(
                    "no-queue-no-media",
                    "A workgroup without an ACD queue routes no interaction types, whatever its utilization settings say",
                    &name,
                );
            }
            media.clear();
        }
        Some(Value::Bool(true)) | None => {}
        Some(v) => c.unmapped(
            place,
            &name,
            "hasQueue",
            &show(&v),
            "not true or false; utilizations decide",
        ),
    }
    if !media.is_empty() {
        c.assume(
            "queue-media-from-utilizations",
            "A workgroup's ACD queue carries the interaction types of its utilization settings",
            &name,
        );
    }
    Workgroup::new(name, media)
}

/// What a `licenseProperties` or `stationLicenseProperties` object says.
#[derive(Default)]
struct Licensing {
    keys: Vec<String>,
    method: Option<Method>,
    media: BTreeSet<MediaType>,
    active: Option<bool>,
}

fn licensing(props: &Map<String, Value>, place: &str, id: &str, at: &str, user: bool, c: &mut Collector) -> Licensing {
    let mut l = Licensing::default();
    let mut level = None;
    let mut media_field = None;
    for (name, value) in props {
        let field = format!("{at}.{name}");
        macro_rules! unmapped {
            ($why:expr) => {
                c.unmapped(place, id, &field, &show(value), $why)
            };
        }
        match (name.as_str(), value) {
            ("licenseActive", Value::Bool(b)) => l.active = Some(*b),
            ("hasClientAccess", Value::Bool(b)) => {
                if *b {
                    l.keys.push(catalog::CLIENT.into());
                }
            }
            ("allocationType", v) => match v.as_u64() {
                Some(0) => l.method = Some(Method::Assignable),
                Some(1) if user => l.method = Some(Method::Concurrent),
                Some(1) => unmapped!("stations hold licenses as Assignable only; imported as Assignable"),
                _ => unmapped!("not 0 (assignable) or 1 (concurrent); the user is imported as Assignable"),
            },
            ("mediaLevel", v) => match v.as_u64() {
                Some(0) => {}
                Some(1) => level = Some(AcdLevel::Media1),
                Some(2) => level = Some(AcdLevel::Media2),
                Some(3) => level = Some(AcdLevel::Media3Plus),
                _ => unmapped!("not a media level (0 none, 1–3 Media 1–3); no ACD license imported"),
            },
            ("mediaTypes", Value::Array(_)) => media_field = Some((field, value)),
            ("interactionProcessAutomationType", v) => match v.as_u64() {
                Some(0) => {}
                Some(n @ 1..=4) => {
                    let ipa = IpaLevel::ALL[n as usize - 1];
                    c.assume(
                        "ipa-order",
                        "The Interaction Process Automation levels 1–4 are read as Direct Routed Work Items, Group \
                         Routed Work Items, Process Monitor and Process Designer, IA's order",
                        id,
                    );
                    l.keys.push(ipa.key().into());
                }
                _ => unmapped!("not an Interaction Process Automation level (0–4); no IPA license imported"),
            },
            ("additionalLicenses", Value::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    let key = match item {
                        Value::String(s) => Some(s.as_str()),
                        Value::Object(o) => o.get("id").and_then(Value::as_str),
                        _ => None,
                    };
                    match key {
                        Some(k) => l.keys.push(k.trim().to_string()),
                        None => c.unmapped(
                            place,
                            id,
                            &format!("{field}[{i}]"),
                            &show(item),
                            "a license without an id; left out",
                        ),
                    }
                }
            }
            (n, Value::Bool(b)) if !user && n.to_ascii_lowercase().contains("basicstation") => {
                c.assume(
                    "basic-station-flag",
                    "A station license setting naming the basic station, when on, is the Basic Station license",
                    id,
                );
                if *b {
                    l.keys.push(catalog::BASIC_STATION.into());
                }
            }
            _ => unmapped!("a property this import does not read; left out"),
        }
    }
    if let Some(level) = level {
        l.keys.push(level.key().into());
    }
    if let Some((field, Value::Array(items))) = media_field {
        let mut types = BTreeSet::new();
        for (i, item) in items.iter().enumerate() {
            if let Some(m) = media_type(item, place, id, &format!("{field}[{i}]"), c) {
                types.insert(m);
            }
        }
        match level {
            Some(AcdLevel::Media1 | AcdLevel::Media2) => l.media = types,
            Some(AcdLevel::Media3Plus) => c.assume(
                "media-3-any-type",
                "Media 3 Plus covers every interaction type: the types selected with it are not kept",
                id,
            ),
            None if !types.is_empty() => c.unmapped(
                place,
                id,
                &field,
                &types.iter().map(|m| m.code()).collect::<Vec<_>>().join(";"),
                "interaction types without a media level; not kept",
            ),
            None => {}
        }
    }
    l
}

/// An ICWS media type (1 call, 2 chat, 3 email, 4 generic, 5 callback,
/// 6 work item, …) as one of IA's ACD interaction types.
fn media_type(value: &Value, place: &str, id: &str, field: &str, c: &mut Collector) -> Option<MediaType> {
    match value.as_u64() {
        Some(1) => Some(MediaType::Call),
        Some(2) => Some(MediaType::Chat),
        Some(3) => Some(MediaType::Email),
        Some(4) => Some(MediaType::Generic),
        // Call and Callback count as one type (the Licensing Technical Reference).
        Some(5) => Some(MediaType::Call),
        Some(6) => {
            c.unmapped(
                place,
                id,
                field,
                "6 (work item)",
                "work items are licensed by Interaction Process Automation, not by ACD media level; left out",
            );
            None
        }
        _ => {
            c.unmapped(
                place,
                id,
                field,
                &show(value),
                "not an ACD interaction type IA licenses; left out",
            );
            None
        }
    }
}
