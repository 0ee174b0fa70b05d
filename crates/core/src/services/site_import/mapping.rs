//! From the records read to a workspace that opens like any other: IDs
//! checked (blank, too long, repeated across pages), keys checked against
//! who may hold them, memberships resolved, machine names kept unique —
//! and everything left out reported with its record and field. Unknown
//! keys are kept as they are (they may be keys our catalogue lacks) and
//! listed. The loader's own checks run on the result before it is handed
//! back.

use std::collections::HashMap;

use serde_json::Value;

use super::report::Collector;
use super::{Read, Site, SiteImportError};
use crate::model::catalog::{self, KeyKind};
use crate::model::workspace::{MAX_ID_LEN, NameSet, Station, User, Workgroup, Workspace, fold};

pub(super) fn build(site: Site, c: &mut Collector) -> Result<Workspace, SiteImportError> {
    let mut ws = Workspace::default();
    ws.server.machine_name = site.machine_name.clone();
    let workgroups = workgroups(&site, c);
    let names: HashMap<String, String> = workgroups.iter().map(|w| (fold(&w.name), w.name.clone())).collect();
    for wg in workgroups {
        ws.insert_workgroup(None, wg);
    }
    let mut stations = unique(site.stations, "station", |s: &Station| &s.id, c);
    stations.sort_by_key(|r| fold(&r.record.id));
    let mut machines: HashMap<String, String> = HashMap::new();
    for Read { mut record, place } in stations {
        keys(&mut record.licenses, &place, &record.id, false, c);
        let machine = fold(record.machine_name.trim());
        if let Some(other) = machines.get(&machine) {
            c.unmapped(
                &place,
                &record.id,
                "machineName",
                &record.machine_name,
                format!("the machine name is already station {other}'s; this station keeps its own name instead"),
            );
            record.machine_name = record.id.clone();
        }
        let machine = fold(record.machine_name.trim());
        if machines.contains_key(&machine) {
            c.skipped(
                &place,
                &record.id,
                "machineName",
                &record.machine_name,
                "no unique machine name is left for it; the station is not imported",
            );
            continue;
        }
        machines.insert(machine, record.id.clone());
        controls(c, &place, &record.id, Field::Id, &record.id);
        if record.machine_name != record.id {
            controls(c, &place, &record.id, Field::MachineName, &record.machine_name);
        }
        if let Some(Value::String(mac)) = record.extra.get("mac_address") {
            controls(c, &place, &record.id, Field::MacAddress, mac);
        }
        ws.insert(None, record);
    }
    let mut users = unique(site.users, "user", |u: &User| &u.id, c);
    users.sort_by_key(|r| fold(&r.record.id));
    for Read { mut record, place } in users {
        keys(&mut record.licenses, &place, &record.id, true, c);
        let mut member = NameSet::new();
        for wg in &record.workgroups {
            match names.get(&fold(wg)) {
                Some(real) => {
                    member.insert(real);
                }
                None => c.unmapped(
                    &place,
                    &record.id,
                    "workgroups",
                    wg,
                    "no workgroup of the export has that name; the membership is left out",
                ),
            }
        }
        record.workgroups = member;
        if let Some(ws_name) = &record.default_workstation
            && ws_name.trim().is_empty()
        {
            record.default_workstation = None;
        }
        controls(c, &place, &record.id, Field::Id, &record.id);
        controls(c, &place, &record.id, Field::Name, &record.name);
        if let Some(station) = &record.default_workstation {
            controls(c, &place, &record.id, Field::DefaultWorkstation, station);
        }
        for role in &record.roles {
            controls(c, &place, &record.id, Field::Roles, role);
        }
        ws.insert(None, record);
    }
    // Never hand back what the loader would refuse.
    ws.recheck()?;
    Ok(ws)
}

/// The workgroups: as exported (repeats and blank names reported), or —
/// when the export has none — made from the users' memberships.
fn workgroups(site: &Site, c: &mut Collector) -> Vec<Workgroup> {
    let mut seen: HashMap<String, String> = HashMap::new();
    let mut out = Vec::new();
    if site.workgroups_known {
        for Read { record, place } in &site.workgroups {
            if !valid_id(&record.name, place, "workgroup", c) {
                continue;
            }
            if let Some(first) = seen.get(&fold(&record.name)) {
                c.unmapped(
                    place,
                    &record.name,
                    id_field(c),
                    &record.name,
                    format!("the workgroup appears again (first at {first}); the first is kept"),
                );
                continue;
            }
            seen.insert(fold(&record.name), place.clone());
            controls(c, place, &record.name, Field::Id, &record.name);
            out.push(record.clone());
        }
    } else {
        for Read { record, place } in &site.users {
            for wg in &record.workgroups {
                let name = wg.trim();
                if name.is_empty() || name.len() > MAX_ID_LEN || seen.contains_key(&fold(name)) {
                    continue;
                }
                c.assume(
                    "workgroups-from-memberships",
                    "The export has no workgroups: each workgroup a user belongs to is made, with no ACD queue",
                    name,
                );
                seen.insert(fold(name), String::new());
                controls(c, place, name, Field::Memberships, name);
                out.push(Workgroup::new(name.to_string(), []));
            }
        }
    }
    out.sort_by_key(|w| fold(&w.name));
    out
}

/// Records with a usable, unrepeated ID (ignoring case); the rest are
/// reported and left out. The first of a repeat is kept.
fn unique<T>(records: Vec<Read<T>>, noun: &str, id: impl Fn(&T) -> &String, c: &mut Collector) -> Vec<Read<T>> {
    let mut seen: HashMap<String, String> = HashMap::new();
    let mut out = Vec::with_capacity(records.len());
    for r in records {
        let rid = id(&r.record).clone();
        if !valid_id(&rid, &r.place, noun, c) {
            continue;
        }
        if let Some(first) = seen.get(&fold(&rid)) {
            c.skipped(
                &r.place,
                &rid,
                id_field(c),
                &rid,
                format!("the {noun} appears again (first at {first}; IDs are unique ignoring case); the first is kept"),
            );
            continue;
        }
        seen.insert(fold(&rid), r.place.clone());
        out.push(r);
    }
    out
}

/// A field of a record that holds a name, for `controls`.
#[derive(Debug, Clone, Copy)]
enum Field {
    Id,
    Name,
    DefaultWorkstation,
    Roles,
    Memberships,
    MachineName,
    MacAddress,
}

impl Field {
    /// The field as the export names it.
    fn label(self, icws: bool) -> &'static str {
        match (self, icws) {
            (Field::Id, true) => "configurationId.id",
            (Field::Id, false) => "(key name)",
            (Field::Name, true) => "configurationId.displayName",
            (Field::Name, false) => "displayName",
            (Field::DefaultWorkstation, true) => "defaultWorkstation",
            (Field::DefaultWorkstation, false) => "Default Workstation",
            (Field::Roles, true) => "roles",
            (Field::Roles, false) => "Role",
            (Field::Memberships, true) => "workgroups",
            (Field::Memberships, false) => "Workgroups",
            (Field::MachineName, true) => "machineName",
            (Field::MachineName, false) => "Machine Name",
            (Field::MacAddress, _) => "MAC Address",
        }
    }
}

/// A name holding control characters or invisible formatting marks (an
/// escape code, a line break, a right-to-left override) is imported as it
/// is — the workspace keeps every name exactly, as its loader does, and an
/// ID must stay the server's for the site's logon history to match — and
/// reported, field by field, as a warning. Every printed or shown copy is
/// escaped (`core::text`), so none reaches a terminal.
fn controls(c: &mut Collector, place: &str, record: &str, field: Field, value: &str) {
    if value.chars().any(crate::model::text::is_unsafe) {
        let label = field.label(c.report.source == "icws");
        c.warning(
            place,
            record,
            label,
            value,
            "holds control characters or invisible marks (an escape code, say); kept as the server has it, \
             shown escaped",
        );
    }
}

/// The field that names a record: ICWS's identity, or the registry key.
fn id_field(c: &Collector) -> &'static str {
    if c.report.source == "icws" {
        "configurationId.id"
    } else {
        "(key name)"
    }
}

fn valid_id(id: &str, place: &str, noun: &str, c: &mut Collector) -> bool {
    let field = id_field(c);
    if id.trim().is_empty() {
        c.skipped(
            place,
            "(blank)",
            field,
            id,
            format!("a {noun} without a name; not imported"),
        );
        return false;
    }
    if id.len() > MAX_ID_LEN {
        c.skipped(
            place,
            id,
            field,
            id,
            format!(
                "a {noun} ID of {} bytes; the most is {MAX_ID_LEN}; not imported",
                id.len()
            ),
        );
        return false;
    }
    true
}

/// Keeps the keys a user (`user`) or a station may hold, in canonical
/// form; reports the others. Keys the catalogue does not know are kept.
fn keys(licenses: &mut NameSet, place: &str, id: &str, user: bool, c: &mut Collector) {
    let field = if user { "licenses" } else { "station licenses" };
    let mut kept = NameSet::new();
    for key in licenses.iter() {
        let key: &str = key.as_ref();
        if !catalog::is_well_formed(key) {
            c.unmapped(
                place,
                id,
                field,
                key,
                "not a license key (I3_ followed by capitals, digits and _); left out",
            );
            continue;
        }
        let canon = catalog::canonical(key);
        match catalog::lookup(canon) {
            None => {
                c.unknown_key(canon, id);
                kept.insert(canon);
            }
            Some(info) if info.kind != KeyKind::Access => c.unmapped(
                place,
                id,
                field,
                key,
                format!(
                    "{} is a server feature or session license, not allocated to users or stations; left out",
                    info.label
                ),
            ),
            Some(info) if user && !info.holders.allows_user() => c.unmapped(
                place,
                id,
                field,
                key,
                format!("{} can only be allocated to stations; left out", info.label),
            ),
            Some(info) if !user && !info.holders.allows_station() => c.unmapped(
                place,
                id,
                field,
                key,
                format!(
                    "{} is a user license; it cannot be allocated to a station; left out",
                    info.label
                ),
            ),
            Some(_) => {
                kept.insert(canon);
            }
        }
    }
    *licenses = kept;
}
