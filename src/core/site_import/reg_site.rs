//! The Directory Services registry of a CIC server, as `reg export` of
//! `HKLM\SOFTWARE\Wow6432Node\Interactive Intelligence\EIC\Directory
//! Services\Root\<SITE>\Production` writes it, read as the site's users,
//! stations and workgroups:
//! - `AdminConfig\UserInfo\<user>`: `Counted Licenses` (the `I3_*` keys), `Active`;
//! - `Users\<user>`: `displayName`, `Role`, `Workgroups`, `Default Workstation`,
//!   `License Allocation Method` ("Assignable Licensing" / "Concurrent Licensing");
//! - `AdminConfig\StationInfo\<station>` and `<SERVER>\Workstations\<station>`:
//!   `Counted Licenses`, `Active`, `Station Type`, `MAC Address`;
//! - `Workgroups\<workgroup>` (assumed: the export names no queue media).
//!
//! Keys outside the site's `Production` tree are not read. Values of the
//! licensing keys that are not read are reported; the many other values of
//! a user's or station's configuration are not licensing and are left alone.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde_json::Value;

use super::registry::{self, RegData, RegKey, RegValue};
use super::report::Collector;
use super::{MAX_EXPORT_BYTES, Progress, Read, Site, SiteImportError, Stage, file_name};
use crate::core::workspace::{Method, Station, StationType, User, Workgroup, fold};

/// Reads a `.reg` export file as a site.
pub(super) fn read(path: &Path, progress: Progress) -> Result<(Site, Collector), SiteImportError> {
    if !progress(Stage::Reading, 0, 1) {
        return Err(SiteImportError::Cancelled);
    }
    let name = file_name(path);
    let bytes = crate::core::fs::read_capped(path, MAX_EXPORT_BYTES)?;
    from_bytes(&bytes, &name)
}

/// A `.reg` export's bytes as a site (also what the fuzz target feeds).
pub(crate) fn from_bytes(bytes: &[u8], name: &str) -> Result<(Site, Collector), SiteImportError> {
    let text = registry::decode(bytes, name)?;
    let keys = registry::parse(&text, name)?;
    let mut c = Collector::new("registry");
    c.report.files.push(name.to_string());
    Ok((site(&keys, name, &mut c), c))
}

/// What the site's keys say about one user or station, merged over the
/// keys that hold it (in file order).
#[derive(Default)]
struct Parts<'a> {
    name: Option<String>,
    first_line: usize,
    keys: Vec<(&'a RegKey, Place)>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    UserInfo,
    Users,
    StationInfo,
    Workstations,
}

fn site(keys: &[RegKey], file: &str, c: &mut Collector) -> Site {
    let mut site = Site::default();
    let mut chosen: Option<String> = None;
    let mut users: BTreeMap<String, Parts> = BTreeMap::new();
    let mut stations: BTreeMap<String, Parts> = BTreeMap::new();
    let mut workgroups: Vec<Read<Workgroup>> = Vec::new();
    for key in keys {
        let parts: Vec<&str> = key.path.split('\\').collect();
        let Some(root) = parts
            .windows(2)
            .position(|w| w[0].eq_ignore_ascii_case("Directory Services") && w[1].eq_ignore_ascii_case("Root"))
        else {
            continue;
        };
        let rest = &parts[root + 2..];
        let [site_name, production, rest @ ..] = rest else {
            continue;
        };
        if !production.eq_ignore_ascii_case("Production") {
            continue;
        }
        match &chosen {
            None => chosen = Some(site_name.to_string()),
            Some(s) if !s.eq_ignore_ascii_case(site_name) => {
                c.unmapped(
                    &format!("{file} line {}", key.line),
                    &key.path,
                    "(key)",
                    site_name,
                    format!("a second site; only the first, {s}, is imported"),
                );
                continue;
            }
            Some(_) => {}
        }
        let lower: Vec<String> = rest.iter().map(|p| p.to_ascii_lowercase()).collect();
        let lower: Vec<&str> = lower.iter().map(String::as_str).collect();
        let (list, id, place) = match (lower.as_slice(), rest) {
            (["adminconfig", "userinfo", _], [.., id]) => (&mut users, id, Place::UserInfo),
            (["users", _], [.., id]) => (&mut users, id, Place::Users),
            (["adminconfig", "stationinfo", _], [.., id]) => (&mut stations, id, Place::StationInfo),
            ([_, "workstations", _], [server, _, id]) => {
                if site.machine_name.is_empty() {
                    site.machine_name = server.to_string();
                }
                (&mut stations, id, Place::Workstations)
            }
            (["workgroups", _], [.., wg]) => {
                site.workgroups_known = true;
                c.assume(
                    "registry-workgroups-no-media",
                    "Workgroups read from the registry have no ACD queue media: the export does not say which \
                     media a queue routes",
                    wg,
                );
                workgroups.push(Read {
                    record: Workgroup::new(wg.to_string(), []),
                    place: format!("{file} line {}", key.line),
                });
                continue;
            }
            _ => continue,
        };
        let entry = list.entry(fold(id)).or_default();
        if entry.name.is_none() {
            entry.name = Some(id.to_string());
            entry.first_line = key.line;
        }
        entry.keys.push((key, place));
    }
    for parts in users.into_values() {
        let place = format!("{file} line {}", parts.first_line);
        let record = user(&parts, file, c, &mut site);
        site.users.push(Read { record, place });
    }
    for parts in stations.into_values() {
        let place = format!("{file} line {}", parts.first_line);
        let record = station(&parts, file, c);
        site.stations.push(Read { record, place });
    }
    site.workgroups = workgroups;
    if !site.users.is_empty() || !site.stations.is_empty() {
        c.assume(
            "registry-no-server-counts",
            "A registry export has no Licenses Allocation counts of the server: there is no self-check",
            chosen.as_deref().unwrap_or(file),
        );
    }
    site
}

fn at(file: &str, v: &RegValue) -> String {
    format!("{file} line {}", v.line)
}

fn user(parts: &Parts, file: &str, c: &mut Collector, site: &mut Site) -> User {
    let id = parts.name.clone().unwrap_or_default();
    let mut user = User::new(id.clone(), "");
    let mut types_assumed = false;
    for (key, place) in &parts.keys {
        for v in &key.values {
            let name = v.name.to_ascii_lowercase();
            match (place, name.as_str()) {
                (_, _) if v.data == RegData::Delete => {}
                (Place::UserInfo, "counted licenses") => {
                    for k in keys_of(&v.data) {
                        user.licenses.insert(k);
                    }
                    types_assumed = true;
                }
                (Place::UserInfo, "active") => license_active(v, file, &id, c, site),
                (Place::UserInfo, _) => c.unmapped(
                    &at(file, v),
                    &id,
                    &v.name,
                    &shown(&v.data),
                    "a licensing value this import does not read; left out",
                ),
                (Place::Users, "displayname") => user.name = v.data.as_text().unwrap_or_default(),
                (Place::Users, "role" | "roles") => user.roles = v.data.as_list(),
                (Place::Users, "workgroups") => {
                    for wg in v.data.as_list() {
                        user.workgroups.insert(wg.trim());
                    }
                }
                (Place::Users, "default workstation") => {
                    user.default_workstation = v.data.as_text().filter(|s| !s.trim().is_empty());
                }
                (Place::Users, "license allocation method") => {
                    let text = v.data.as_text().unwrap_or_default();
                    match text.trim().to_ascii_lowercase().as_str() {
                        "assignable licensing" | "assignable" => user.method = Method::Assignable,
                        "concurrent licensing" | "concurrent" => user.method = Method::Concurrent,
                        _ => c.unmapped(
                            &at(file, v),
                            &id,
                            &v.name,
                            &shown(&v.data),
                            "not Assignable Licensing or Concurrent Licensing; imported as Assignable",
                        ),
                    }
                }
                _ => {}
            }
        }
    }
    if types_assumed
        && user
            .licenses
            .iter()
            .any(|k| matches!(k.as_ref(), "I3_ACCESS_ACD_MEDIA_1" | "I3_ACCESS_ACD_MEDIA_2"))
    {
        c.assume(
            "registry-no-media-types",
            "The registry export does not say a Media 1 or Media 2 user's interaction types: none are imported",
            &id,
        );
    }
    user
}

fn station(parts: &Parts, file: &str, c: &mut Collector) -> Station {
    let id = parts.name.clone().unwrap_or_default();
    let mut st = Station::new(id.clone(), StationType::Workstation);
    let mut typed = false;
    for (key, place) in &parts.keys {
        for v in &key.values {
            let name = v.name.to_ascii_lowercase();
            match name.as_str() {
                _ if v.data == RegData::Delete => {}
                "counted licenses" => {
                    for k in keys_of(&v.data) {
                        st.licenses.insert(k);
                    }
                }
                "active" => {
                    if let Some(on) = active(v, file, &id, c) {
                        st.enabled = on;
                    }
                }
                "station type" => {
                    typed = true;
                    st.kind = station_type(v, file, &id, c, &mut st.extra);
                }
                "mac address" => {
                    if let Some(mac) = v.data.as_text() {
                        st.extra.insert("mac_address".into(), Value::from(mac));
                    }
                }
                _ if *place == Place::StationInfo => c.unmapped(
                    &at(file, v),
                    &id,
                    &v.name,
                    &shown(&v.data),
                    "a licensing value this import does not read; left out",
                ),
                _ => {}
            }
        }
    }
    if !typed {
        c.assume(
            "station-type-missing",
            "A station without a station type is imported as a Workstation",
            &id,
        );
    }
    st
}

/// A user's `Active`: off is imported with a warning (and noted for the
/// self-check).
fn license_active(v: &RegValue, file: &str, id: &str, c: &mut Collector, site: &mut Site) {
    if active(v, file, id, c) == Some(false) {
        c.warning(
            &at(file, v),
            id,
            &v.name,
            &shown(&v.data),
            "License Active is off on the server: imported with the licenses it has configured",
        );
        site.inactive.push(id.to_string());
    }
}

/// `Active`: `1`/`0`, `true`/`false`, `yes`/`no`, as text or a dword.
fn active(v: &RegValue, file: &str, id: &str, c: &mut Collector) -> Option<bool> {
    let text = v.data.as_text().unwrap_or_default();
    match text.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" => Some(true),
        "0" | "false" | "no" => Some(false),
        _ => {
            c.unmapped(&at(file, v), id, &v.name, &shown(&v.data), "not 1 or 0; left as active");
            None
        }
    }
}

/// `Station Type` as a number (ICWS's `stationType`: 0 stand-alone phone,
/// 1 workstation, 2 stand-alone fax, 3 remote station, 4 unified
/// messaging) or as IA's words.
fn station_type(
    v: &RegValue,
    file: &str,
    id: &str,
    c: &mut Collector,
    extra: &mut serde_json::Map<String, Value>,
) -> StationType {
    let text = v.data.as_text().unwrap_or_default().trim().to_ascii_lowercase();
    let words: HashMap<&str, StationType> = [
        ("0", StationType::StandalonePhone),
        ("1", StationType::Workstation),
        ("2", StationType::StandaloneFax),
        ("3", StationType::Remote),
        ("workstation", StationType::Workstation),
        ("managed workstation", StationType::ManagedWorkstation),
        ("stand-alone phone", StationType::StandalonePhone),
        ("standalone phone", StationType::StandalonePhone),
        ("stand-alone fax", StationType::StandaloneFax),
        ("standalone fax", StationType::StandaloneFax),
        ("remote station", StationType::Remote),
        ("remote", StationType::Remote),
    ]
    .into_iter()
    .collect();
    if let Some(kind) = words.get(text.as_str()) {
        c.assume(
            "registry-station-type-words",
            "A registry Station Type is read as IA's station type names or their numbers (0 Stand-alone Phone, \
             1 Workstation, 2 Stand-alone Fax, 3 Remote Station, 4 Unified Messaging)",
            id,
        );
        return *kind;
    }
    if matches!(text.as_str(), "4" | "unified messaging") {
        c.assume(
            "station-type-unified-messaging",
            "A Unified Messaging station is imported as a Workstation: IA's licensing has no station type of \
             its own for it",
            id,
        );
        extra.insert("source_station_type".into(), Value::from("Unified Messaging"));
        return StationType::Workstation;
    }
    c.unmapped(
        &at(file, v),
        id,
        &v.name,
        &shown(&v.data),
        "not a known station type; imported as a Workstation",
    );
    StationType::Workstation
}

/// The keys of `Counted Licenses`: a multi-string, or one text listing
/// them (keys hold no blanks, commas or semicolons, so those separate).
fn keys_of(data: &RegData) -> Vec<String> {
    data.as_list()
        .iter()
        .flat_map(|s| s.split([',', ';', ' ', '\t']))
        .filter(|k| !k.is_empty())
        .map(str::to_string)
        .collect()
}

fn shown(data: &RegData) -> String {
    match data {
        RegData::Binary(b) => format!("{} bytes", b.len()),
        other => other.as_text().unwrap_or_default(),
    }
}
