//! The properties of one ICWS item, read loosely: ICWS leaves out
//! properties whose value is null and writes enumerations as integers
//! (ICWS help, *Design Principles*). A property of the wrong kind (a text
//! where a list of references is expected, a number where an object is) is
//! reported with its record and field, what was found and what was
//! expected, and left out — the import goes on. A null is a property left
//! out. A property the import does not know is reported as one it does
//! not read.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::Site;
use super::check::ServerCount;
use super::icws::ConfigId;
use super::report::{Collector, kind, show};
use crate::model::catalog::{self, AcdLevel, IpaLevel};
use crate::model::workspace::{MediaType, Method, Station, StationType, User, Workgroup};

/// A role reference: the role's id and the display name it carries.
pub(super) type RoleRef = (String, Option<String>);

const REFERENCE: &str = "a reference {id, displayName, uri}";
const LEFT_OUT: &str = "left out";

/// One item's properties with its place and record, for reports.
struct Item<'a> {
    props: &'a Map<String, Value>,
    place: &'a str,
    id: &'a str,
}

impl Item<'_> {
    /// A property, `None` when left out or null.
    fn get(&self, name: &str) -> Option<&Value> {
        self.props.get(name).filter(|v| !v.is_null())
    }

    fn wrong(&self, c: &mut Collector, field: &str, value: &Value, expected: &str, done: &str) {
        c.wrong_kind(self.place, self.id, field, &show(value), kind(value), expected, done);
    }
}

/// The display name of an identity, when it is text (reported otherwise).
pub(super) fn display_name(id: &ConfigId, place: &str, c: &mut Collector) -> Option<String> {
    match id.display_name.as_ref()? {
        Value::String(s) => Some(s.clone()),
        Value::Null => None,
        other => {
            c.wrong_kind(
                place,
                &id.id,
                "configurationId.displayName",
                &show(other),
                kind(other),
                "text",
                "the name is taken from elsewhere",
            );
            None
        }
    }
}

/// A reference `{id, …}`: its id and display name.
fn reference(value: &Value) -> Option<(String, Option<String>)> {
    let o = value.as_object()?;
    let id = o.get("id")?.as_str()?;
    Some((
        id.to_string(),
        o.get("displayName").and_then(Value::as_str).map(str::to_string),
    ))
}

pub(super) fn user(
    id: ConfigId,
    props: &Map<String, Value>,
    place: &str,
    c: &mut Collector,
    site: &mut Site,
) -> (User, Vec<RoleRef>) {
    let shown = display_name(&id, place, c);
    let it = Item {
        props,
        place,
        id: &id.id,
    };
    // The name: the identity's display name, else the user's own.
    let own = match it.get("displayName") {
        Some(Value::String(s)) => Some(s.clone()),
        Some(v) => {
            it.wrong(c, "displayName", v, "text", "the user is imported without a name");
            None
        }
        None => None,
    };
    let mut user = User::new(id.id.clone(), shown.or(own).unwrap_or_default());
    match it.get("licenseProperties") {
        Some(Value::Object(lp)) => {
            let l = licensing(lp, &it, "licenseProperties", true, c);
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
                    &id.id,
                    "licenseProperties.licenseActive",
                    "false",
                    "License Active is off on the server: imported with the licenses it has configured",
                );
                site.inactive.push(id.id.clone());
            }
        }
        Some(v) => it.wrong(
            c,
            "licenseProperties",
            v,
            "an object of license properties",
            "the user is imported without licenses",
        ),
        None => {}
    }
    match it.get("workgroups") {
        Some(Value::Array(items)) => {
            for (i, wg) in items.iter().enumerate() {
                match reference(wg) {
                    Some((name, _)) => {
                        user.workgroups.insert(&name);
                    }
                    None => it.wrong(
                        c,
                        &format!("workgroups[{i}]"),
                        wg,
                        REFERENCE,
                        "the membership is left out",
                    ),
                }
            }
        }
        Some(v) => it.wrong(
            c,
            "workgroups",
            v,
            "a list of workgroup references",
            "no memberships imported",
        ),
        None => {}
    }
    if let Some(v) = it.get("defaultWorkstation") {
        match reference(v) {
            Some((station, _)) => user.default_workstation = Some(station),
            None => it.wrong(c, "defaultWorkstation", v, REFERENCE, "no default workstation imported"),
        }
    }
    let refs = it.get("roles").map(|r| role_refs(r, &it, c)).unwrap_or_default();
    (user, refs)
}

/// The user's roles: a list of references, or an inherited value
/// `{actualValue, effectiveValue}` whose `actualValue` (the roles given
/// to the user in IA) is read — a text there is read as one role.
fn role_refs(value: &Value, it: &Item, c: &mut Collector) -> Vec<RoleRef> {
    const LIST: &str = "a list of role references";
    let one_text = |c: &mut Collector, s: &str| {
        c.assume(
            "roles-single-text",
            "A user's roles given as one text instead of a list are read as one role of that name",
            it.id,
        );
        vec![(s.to_string(), None)]
    };
    let list: &[Value] = match value {
        Value::Array(items) => items,
        Value::Object(o) => {
            let actual = o.get("actualValue").filter(|v| !v.is_null());
            let effective = o.get("effectiveValue").filter(|v| !v.is_null());
            match actual {
                Some(Value::Array(a)) => a,
                Some(Value::String(s)) => return one_text(c, s),
                Some(v) => {
                    it.wrong(c, "roles.actualValue", v, LIST, "the user's own roles are left out");
                    &[]
                }
                None => match effective {
                    Some(Value::Array(e)) => {
                        c.assume(
                            "roles-effective",
                            "A user's roles are read from the effective roles (roles given through workgroups \
                             included) when the user's own roles are left out",
                            it.id,
                        );
                        e
                    }
                    Some(Value::String(s)) => return one_text(c, s),
                    Some(v) => {
                        it.wrong(c, "roles.effectiveValue", v, LIST, "no roles imported");
                        &[]
                    }
                    None => {
                        it.wrong(
                            c,
                            "roles",
                            value,
                            "an object with actualValue (a list of role references)",
                            "no roles imported",
                        );
                        &[]
                    }
                },
            }
        }
        other => {
            it.wrong(c, "roles", other, LIST, "no roles imported");
            &[]
        }
    };
    let mut out = Vec::new();
    for (i, item) in list.iter().enumerate() {
        match item {
            Value::String(s) => out.push((s.clone(), None)),
            Value::Object(o) => {
                // An inherited entry may wrap its reference in `value`.
                let inner = o.get("value").filter(|v| v.is_object()).unwrap_or(item);
                match reference(inner) {
                    Some(r) => out.push(r),
                    None => it.wrong(c, &format!("roles[{i}]"), item, REFERENCE, "the role is left out"),
                }
            }
            other => it.wrong(c, &format!("roles[{i}]"), other, REFERENCE, "the role is left out"),
        }
    }
    out
}

pub(super) fn station(id: ConfigId, props: &Map<String, Value>, place: &str, c: &mut Collector) -> Station {
    let it = Item {
        props,
        place,
        id: &id.id,
    };
    let kind = match it.get("stationType").map(|v| (v, v.as_u64())) {
        Some((_, Some(0))) => StationType::StandalonePhone,
        Some((_, Some(1))) => StationType::Workstation,
        Some((_, Some(2))) => StationType::StandaloneFax,
        Some((_, Some(3))) => StationType::Remote,
        Some((_, Some(4))) => {
            c.assume(
                "station-type-unified-messaging",
                "A Unified Messaging station is imported as a Workstation: IA's licensing has no station type of \
                 its own for it",
                it.id,
            );
            StationType::Workstation
        }
        None => {
            c.assume(
                "station-type-missing",
                "A station whose type the export leaves out is imported as a Workstation",
                it.id,
            );
            StationType::Workstation
        }
        Some((v, _)) => {
            c.unmapped(
                place,
                it.id,
                "stationType",
                &show(v),
                "not a known station type; imported as a Workstation",
            );
            StationType::Workstation
        }
    };
    let mut st = Station::new(id.id.clone(), kind);
    if it.get("stationType").and_then(Value::as_u64) == Some(4) {
        st.extra
            .insert("source_station_type".into(), Value::from("Unified Messaging"));
    }
    match it.get("active") {
        Some(Value::Bool(b)) => st.enabled = *b,
        None => c.assume(
            "station-active-missing",
            "A station whose Active setting the export leaves out is imported as active",
            it.id,
        ),
        Some(v) => it.wrong(c, "active", v, "true or false", "imported as active"),
    }
    match it.get("machineName") {
        Some(Value::String(m)) if !m.trim().is_empty() => st.machine_name = m.clone(),
        None | Some(Value::String(_)) => {}
        Some(v) => it.wrong(c, "machineName", v, "text", "the station name is used"),
    }
    match it.get("stationLicenseProperties") {
        Some(Value::Object(props)) => {
            let l = licensing(props, &it, "stationLicenseProperties", false, c);
            for key in l.keys {
                st.licenses.insert(&key);
            }
            st.acd_media_types = l.media;
            if l.active == Some(false) {
                c.warning(
                    place,
                    it.id,
                    "stationLicenseProperties.licenseActive",
                    "false",
                    "License Active is off on the server: imported with the licenses it has configured",
                );
            }
        }
        Some(v) => it.wrong(
            c,
            "stationLicenseProperties",
            v,
            "an object of license properties",
            "the station is imported without licenses",
        ),
        None => {}
    }
    st
}

pub(super) fn workgroup(id: ConfigId, props: &Map<String, Value>, place: &str, c: &mut Collector) -> Workgroup {
    let it = Item {
        props,
        place,
        id: &id.id,
    };
    let name = id.id.clone();
    let mut media = BTreeSet::new();
    let utilizations: &[Value] = match it.get("utilizations") {
        Some(Value::Array(items)) => items,
        Some(v) => {
            it.wrong(
                c,
                "utilizations",
                v,
                "a list of utilizations",
                "no queue media imported",
            );
            &[]
        }
        None => &[],
    };
    for (i, u) in utilizations.iter().enumerate() {
        let Some(o) = u.as_object() else {
            it.wrong(
                c,
                &format!("utilizations[{i}]"),
                u,
                "an object {mediaType, utilizationPercent}",
                LEFT_OUT,
            );
            continue;
        };
        let field = format!("utilizations[{i}].mediaType");
        let Some(kind) = o.get("mediaType").filter(|v| !v.is_null()) else {
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
        if o.get("utilizationPercent").and_then(Value::as_u64) == Some(0) {
            c.assume(
                "utilization-zero",
                "An interaction type with 0 % utilization is not one the workgroup's queue routes",
                &name,
            );
            continue;
        }
        if let Some(m) = media_type(kind, &it, &field, c) {
            media.insert(m);
        }
    }
    match it.get("hasQueue") {
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
        Some(v) => it.wrong(c, "hasQueue", v, "true or false", "utilizations decide"),
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

/// One license's counts of the server's Licenses Allocation. A count that
/// is not a whole number is reported, and cannot agree with the import.
pub(super) fn allocation(id: ConfigId, props: &Map<String, Value>, place: &str, c: &mut Collector) -> ServerCount {
    let it = Item {
        props,
        place,
        id: &id.id,
    };
    let mut count = |field: &str| match it.get(field) {
        None => Some(0),
        Some(v) => v.as_u64().or_else(|| {
            it.wrong(
                c,
                field,
                v,
                "a whole number",
                "the self-check cannot agree on this license's count",
            );
            None
        }),
    };
    ServerCount {
        assignable_configured: count("assignableConfiguredCount"),
        concurrent_configured: count("concurrentConfiguredCount"),
        key: id.id,
        place: place.to_string(),
    }
}

/// What a `licenseProperties` or `stationLicenseProperties` object says.
#[derive(Default)]
struct Licensing {
    keys: Vec<String>,
    method: Option<Method>,
    media: BTreeSet<MediaType>,
    active: Option<bool>,
}

fn licensing(props: &Map<String, Value>, it: &Item, at: &str, user: bool, c: &mut Collector) -> Licensing {
    let mut l = Licensing::default();
    let mut level = None;
    let mut media_items: Option<(String, &Vec<Value>)> = None;
    let (place, id) = (it.place, it.id);
    for (name, value) in props {
        if value.is_null() {
            continue;
        }
        let field = format!("{at}.{name}");
        let mut unmapped = |why: &str| c.unmapped(place, id, &field, &show(value), why);
        match (name.as_str(), value) {
            ("licenseActive", Value::Bool(b)) => l.active = Some(*b),
            ("hasClientAccess", Value::Bool(b)) => {
                if *b {
                    l.keys.push(catalog::CLIENT.into());
                }
            }
            ("licenseActive", v) => it.wrong(c, &field, v, "true or false", "read as on"),
            ("hasClientAccess", v) => it.wrong(c, &field, v, "true or false", "no Client Access imported"),
            ("allocationType", v) => match v.as_u64() {
                Some(0) => l.method = Some(Method::Assignable),
                Some(1) if user => l.method = Some(Method::Concurrent),
                Some(1) => unmapped("stations hold licenses as Assignable only; imported as Assignable"),
                _ => unmapped("not 0 (assignable) or 1 (concurrent); the user is imported as Assignable"),
            },
            ("mediaLevel", v) => match v.as_u64() {
                Some(0) => {}
                Some(1) => level = Some(AcdLevel::Media1),
                Some(2) => level = Some(AcdLevel::Media2),
                Some(3) => level = Some(AcdLevel::Media3Plus),
                _ => unmapped("not a media level (0 none, 1–3 Media 1–3); no ACD license imported"),
            },
            ("mediaTypes", Value::Array(items)) => media_items = Some((field, items)),
            ("mediaTypes", v) => it.wrong(
                c,
                &field,
                v,
                "a list of interaction types",
                "no interaction types imported",
            ),
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
                _ => unmapped("not an Interaction Process Automation level (0–4); no IPA license imported"),
            },
            ("additionalLicenses", Value::Array(items)) => {
                let mut bare_text = false;
                for (i, item) in items.iter().enumerate() {
                    let key = match item {
                        Value::String(s) => {
                            bare_text = true;
                            Some(s.as_str())
                        }
                        Value::Object(o) => o.get("id").and_then(Value::as_str),
                        _ => None,
                    };
                    match key {
                        Some(k) => l.keys.push(k.trim().to_string()),
                        None => it.wrong(c, &format!("{field}[{i}]"), item, REFERENCE, "the license is left out"),
                    }
                }
                if bare_text {
                    // Documented as references; a bare text can only be
                    // the key itself. Said once per record.
                    c.assume(
                        "additional-license-text",
                        "A license in additionalLicenses given as a text instead of a reference {id, displayName, \
                         uri} is read as the license key",
                        id,
                    );
                }
            }
            ("additionalLicenses", v) => it.wrong(
                c,
                &field,
                v,
                "a list of license references",
                "no additional licenses imported",
            ),
            (n, v) if !user && n.to_ascii_lowercase().contains("basicstation") => {
                c.assume(
                    "basic-station-flag",
                    "A station license setting naming the basic station, when on, is the Basic Station license",
                    id,
                );
                match v {
                    Value::Bool(true) => l.keys.push(catalog::BASIC_STATION.into()),
                    Value::Bool(false) => {}
                    other => it.wrong(c, &field, other, "true or false", "no Basic Station imported"),
                }
            }
            _ => unmapped("a property this import does not read; left out"),
        }
    }
    if let Some(level) = level {
        l.keys.push(level.key().into());
    }
    if let Some((field, items)) = media_items {
        let mut types = BTreeSet::new();
        for (i, item) in items.iter().enumerate() {
            if let Some(m) = media_type(item, it, &format!("{field}[{i}]"), c) {
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
fn media_type(value: &Value, it: &Item, field: &str, c: &mut Collector) -> Option<MediaType> {
    match value.as_u64() {
        Some(1) => Some(MediaType::Call),
        Some(2) => Some(MediaType::Chat),
        Some(3) => Some(MediaType::Email),
        Some(4) => Some(MediaType::Generic),
        // Call and Callback count as one type (the Licensing Technical Reference).
        Some(5) => Some(MediaType::Call),
        Some(6) => {
            c.unmapped(
                it.place,
                it.id,
                field,
                "6 (work item)",
                "work items are licensed by Interaction Process Automation, not by ACD media level; left out",
            );
            None
        }
        _ => {
            c.unmapped(
                it.place,
                it.id,
                field,
                &show(value),
                "not an ACD interaction type IA licenses; left out",
            );
            None
        }
    }
}
