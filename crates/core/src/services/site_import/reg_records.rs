//! One user or station of a registry export, from the keys that hold it
//! (`reg_site.rs` finds them). Each value read must be of the kind its
//! meaning needs — a list of license keys, a text, a number — and is
//! reported with what was expected otherwise, never dropped unseen. What
//! `reg export` would not write is read by a stated rule and recorded as an
//! assumption: a value given twice (the later one is read, as Registry
//! Editor would import it), a deletion (left out), an allocation method in
//! other words than IA's; and a station whose two keys disagree on Active
//! is inactive, with a warning.

use std::collections::HashMap;

use serde_json::Value;

use super::Site;
use super::registry::{RegData, RegKey, RegValue};
use super::report::{Collector, shorten};
use crate::model::workspace::{Method, Station, StationType, User};

/// What the site's keys say about one user or station, merged over the
/// keys that hold it (in file order).
#[derive(Default)]
pub(super) struct Parts<'a> {
    pub name: Option<String>,
    pub first_line: usize,
    pub keys: Vec<(&'a RegKey, Place)>,
}

/// Which key of a record a value is in.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Place {
    UserInfo,
    Users,
    StationInfo,
    Workstations,
}

impl Place {
    fn words(self) -> &'static str {
        match self {
            Place::UserInfo => "AdminConfig\\UserInfo",
            Place::Users => "Users",
            Place::StationInfo => "AdminConfig\\StationInfo",
            Place::Workstations => "<SERVER>\\Workstations",
        }
    }
}

const KEYS: &str = "a list of license keys (a multi-string, or a text)";
const TEXT: &str = "a text";
const LIST: &str = "a list (a multi-string, or a text)";

/// The values of a record to read: for each key place and value name, the
/// last one given (a repeat is recorded), in the order first given.
/// Deletions are left out and recorded.
fn values<'a>(parts: &Parts<'a>, id: &str, c: &mut Collector) -> Vec<(Place, &'a RegValue)> {
    let mut out: Vec<(Place, &RegValue)> = Vec::new();
    let mut at: HashMap<(Place, String), usize> = HashMap::new();
    for (key, place) in &parts.keys {
        for v in &key.values {
            if v.data == RegData::Delete {
                c.assume(
                    "registry-deletion-ignored",
                    "A deletion ([-key] or \"value\"=-) is not something `reg export` writes: it is left out, and \
                     nothing it names is imported from it",
                    id,
                );
                continue;
            }
            match at.get(&(*place, v.name.to_ascii_lowercase())) {
                Some(&i) => {
                    c.assume(
                        "registry-repeated-value",
                        "A value given twice for one key (or for the same key written twice, in any letter case): \
                         the later one is read, as Registry Editor would import the file",
                        id,
                    );
                    out[i] = (*place, v);
                }
                None => {
                    at.insert((*place, v.name.to_ascii_lowercase()), out.len());
                    out.push((*place, v));
                }
            }
        }
    }
    out
}

fn at(file: &str, v: &RegValue) -> String {
    format!("{file} line {}", v.line)
}

/// What registry data is, in words.
fn kind(data: &RegData) -> &'static str {
    match data {
        RegData::Text(_) => "a text",
        RegData::Dword(_) | RegData::Qword(_) => "a number (dword)",
        RegData::Multi(_) => "a multi-string",
        RegData::Binary(_) => "binary data (hex:)",
        RegData::Delete => "a deletion",
    }
}

/// Registry data as a short text for the report.
fn shown(data: &RegData) -> String {
    match data {
        RegData::Binary(b) => {
            let hex: Vec<String> = b.iter().take(24).map(|x| format!("{x:02x}")).collect();
            let more = if b.len() > 24 { ",…" } else { "" };
            shorten(&format!(
                "hex:{}{more} ({})",
                hex.join(","),
                crate::model::text::count(b.len(), "byte", "bytes")
            ))
        }
        other => other.as_text().unwrap_or_default(),
    }
}

fn wrong(c: &mut Collector, file: &str, id: &str, v: &RegValue, expected: &str, done: &str) {
    c.wrong_kind(
        &at(file, v),
        id,
        &v.name,
        &shown(&v.data),
        kind(&v.data),
        expected,
        done,
    );
}

/// A value that must be a text (a number is read as its digits).
fn text(c: &mut Collector, file: &str, id: &str, v: &RegValue, done: &str) -> Option<String> {
    match &v.data {
        RegData::Text(s) => Some(s.clone()),
        RegData::Dword(_) | RegData::Qword(_) => v.data.as_text(),
        _ => {
            wrong(c, file, id, v, TEXT, done);
            None
        }
    }
}

/// A value that must be a list: a multi-string, or one text.
fn list(c: &mut Collector, file: &str, id: &str, v: &RegValue, expected: &str, done: &str) -> Vec<String> {
    match &v.data {
        RegData::Multi(_) | RegData::Text(_) => v.data.as_list(),
        _ => {
            wrong(c, file, id, v, expected, done);
            Vec::new()
        }
    }
}

pub(super) fn user(parts: &Parts, file: &str, c: &mut Collector, site: &mut Site) -> User {
    let id = parts.name.clone().unwrap_or_default();
    let mut user = User::new(id.clone(), "");
    let mut types_assumed = false;
    for (place, v) in values(parts, &id, c) {
        let name = v.name.to_ascii_lowercase();
        match (place, name.as_str()) {
            (Place::UserInfo, "counted licenses") => {
                for k in keys_of(&list(c, file, &id, v, KEYS, "no licenses read from it")) {
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
            (Place::Users, "displayname") => {
                user.name = text(c, file, &id, v, "the user is imported without a name").unwrap_or_default();
            }
            (Place::Users, "role" | "roles") => user.roles = list(c, file, &id, v, LIST, "no roles imported"),
            (Place::Users, "workgroups") => {
                for wg in list(c, file, &id, v, LIST, "no memberships imported") {
                    user.workgroups.insert(wg.trim());
                }
            }
            (Place::Users, "default workstation") => {
                user.default_workstation =
                    text(c, file, &id, v, "no default workstation imported").filter(|s| !s.trim().is_empty());
            }
            (Place::Users, "license allocation method") => {
                if let Some(m) = method(v, file, &id, c) {
                    user.method = m;
                }
            }
            _ => {}
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

/// A user's `Active`: off is imported with a warning (and noted for the
/// self-check's notes).
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

/// `License Allocation Method`: IA's "Assignable Licensing" / "Concurrent
/// Licensing"; in other letter case or without "Licensing", read with an
/// assumption; anything else reported (the user stays Assignable).
fn method(v: &RegValue, file: &str, id: &str, c: &mut Collector) -> Option<Method> {
    let text = text(c, file, id, v, "imported as Assignable")?;
    let method = match text.trim() {
        "Assignable Licensing" => return Some(Method::Assignable),
        "Concurrent Licensing" => return Some(Method::Concurrent),
        other => match other.to_ascii_lowercase().as_str() {
            "assignable licensing" | "assignable" => Method::Assignable,
            "concurrent licensing" | "concurrent" => Method::Concurrent,
            _ => {
                c.unmapped(
                    &at(file, v),
                    id,
                    &v.name,
                    &shown(&v.data),
                    "not Assignable Licensing or Concurrent Licensing; imported as Assignable",
                );
                return None;
            }
        },
    };
    c.assume(
        "registry-method-words",
        "A License Allocation Method written otherwise than IA's \"Assignable Licensing\" or \"Concurrent \
         Licensing\" (\"Concurrent\", other letter case) is read as that method",
        id,
    );
    Some(method)
}

pub(super) fn station(parts: &Parts, file: &str, c: &mut Collector) -> Station {
    let id = parts.name.clone().unwrap_or_default();
    let mut st = Station::new(id.clone(), StationType::Workstation);
    let mut typed = false;
    // Each key's Active, to tell a disagreement.
    let mut actives: Vec<(Place, bool, &RegValue)> = Vec::new();
    for (place, v) in values(parts, &id, c) {
        let name = v.name.to_ascii_lowercase();
        match name.as_str() {
            "counted licenses" => {
                for k in keys_of(&list(c, file, &id, v, KEYS, "no licenses read from it")) {
                    st.licenses.insert(k);
                }
            }
            "active" => {
                if let Some(on) = active(v, file, &id, c) {
                    actives.push((place, on, v));
                }
            }
            "station type" => {
                if let Some(words) = text(c, file, &id, v, "imported as a Workstation") {
                    typed = true;
                    st.kind = station_type(&words, v, file, &id, c, &mut st.extra);
                }
            }
            "mac address" => {
                if let Some(mac) = text(c, file, &id, v, "not kept") {
                    st.extra.insert("mac_address".into(), Value::from(mac));
                }
            }
            _ if place == Place::StationInfo => c.unmapped(
                &at(file, v),
                &id,
                &v.name,
                &shown(&v.data),
                "a licensing value this import does not read; left out",
            ),
            _ => {}
        }
    }
    // Inactive wins: a station is active only when every key saying so agrees.
    st.enabled = actives.iter().all(|(_, on, _)| *on);
    if actives.iter().any(|(_, on, _)| *on) && !st.enabled {
        c.assume(
            "registry-station-active-conflict",
            "A station whose AdminConfig\\StationInfo and <SERVER>\\Workstations keys disagree on Active is \
             imported as inactive: it is active only when every key that says so agrees",
            &id,
        );
        let said: Vec<String> = actives
            .iter()
            .map(|(place, on, v)| {
                format!(
                    "{} says {} ({})",
                    place.words(),
                    if *on { "active" } else { "inactive" },
                    at(file, v)
                )
            })
            .collect();
        let (_, _, first) = actives[0];
        c.warning(
            &at(file, first),
            &id,
            "Active",
            &actives
                .iter()
                .map(|(_, _, v)| shown(&v.data))
                .collect::<Vec<_>>()
                .join(" and "),
            format!("{}: imported as inactive", said.join(", ")),
        );
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

/// `Active`: `1`/`0`, `true`/`false`, `yes`/`no`, as text or a dword.
fn active(v: &RegValue, file: &str, id: &str, c: &mut Collector) -> Option<bool> {
    let text = text(c, file, id, v, "left as active")?;
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
    words: &str,
    v: &RegValue,
    file: &str,
    id: &str,
    c: &mut Collector,
    extra: &mut serde_json::Map<String, Value>,
) -> StationType {
    let text = words.trim().to_ascii_lowercase();
    let kind = match text.as_str() {
        "0" | "stand-alone phone" | "standalone phone" => Some(StationType::StandalonePhone),
        "1" | "workstation" => Some(StationType::Workstation),
        "2" | "stand-alone fax" | "standalone fax" => Some(StationType::StandaloneFax),
        "3" | "remote station" | "remote" => Some(StationType::Remote),
        "managed workstation" => Some(StationType::ManagedWorkstation),
        _ => None,
    };
    if let Some(kind) = kind {
        c.assume(
            "registry-station-type-words",
            "A registry Station Type is read as IA's station type names or their numbers (0 Stand-alone Phone, \
             1 Workstation, 2 Stand-alone Fax, 3 Remote Station, 4 Unified Messaging)",
            id,
        );
        return kind;
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
fn keys_of(items: &[String]) -> Vec<String> {
    items
        .iter()
        .flat_map(|s| s.split([',', ';', ' ', '\t']))
        .filter(|k| !k.is_empty())
        .map(str::to_string)
        .collect()
}
