//! The workspace (`.ialws`): what an administrator configures — users,
//! stations, workgroups — and its file format (see `docs/workspace-file.md`).
//!
//! Loading checks the whole file and reports *every* problem with its JSON
//! path; a file with problems never replaces the open workspace (the caller
//! only swaps on `Ok`). Unknown fields are kept and written back on save.

pub mod cloud;
mod file;
mod id_index;
mod layout;
pub mod policies;
pub mod price_list;
pub mod roles;

pub use id_index::{IdIndex, hash as id_hash};
pub use layout::Layout;

pub use file::{LoadError, Problem, StagedError, media_server_license_path};

use std::collections::BTreeSet;

use rustc_hash::FxHashMap as HashMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

pub use crate::model::names::{Name, NameSet, fold, fold_ref, same_ignoring_case};
pub use policies::Policy;
pub use price_list::{Cents, PriceList};

/// The newest workspace format this version reads: 2, a file whose change
/// log has a bulk entry (one entry for a step over many subjects; older
/// versions refuse it as "written by a newer version" instead of misreading
/// the log).
pub const FORMAT_VERSION: u64 = 2;
/// The format of a file without bulk change-log entries (what every version
/// reads).
pub const FORMAT_PLAIN: u64 = 1;
/// Workspace files larger than this are refused before they are read whole.
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;
/// The longest user, station or workgroup ID accepted.
pub const MAX_ID_LEN: usize = 256;

/// License allocation method: one per user, for all of the user's licenses.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Method {
    #[default]
    Assignable,
    Concurrent,
}

impl Method {
    pub fn label(self) -> &'static str {
        match self {
            Method::Assignable => "Assignable",
            Method::Concurrent => "Concurrent",
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StationType {
    #[default]
    Workstation,
    ManagedWorkstation,
    StandaloneFax,
    StandalonePhone,
    Remote,
}

impl StationType {
    pub const ALL: [StationType; 5] = [
        StationType::Workstation,
        StationType::ManagedWorkstation,
        StationType::StandaloneFax,
        StationType::StandalonePhone,
        StationType::Remote,
    ];
    pub fn label(self) -> &'static str {
        match self {
            StationType::Workstation => "Workstation",
            StationType::ManagedWorkstation => "Managed Workstation",
            StationType::StandaloneFax => "Stand-alone Fax",
            StationType::StandalonePhone => "Stand-alone Phone",
            StationType::Remote => "Remote Station",
        }
    }
}

/// ACD interaction types (Call and Callback count as one type).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MediaType {
    Call,
    Chat,
    Email,
    Generic,
}

impl MediaType {
    pub const ALL: [MediaType; 4] = [MediaType::Call, MediaType::Chat, MediaType::Email, MediaType::Generic];
    pub fn label(self) -> &'static str {
        match self {
            MediaType::Call => "Call/Callback",
            MediaType::Chat => "Chat",
            MediaType::Email => "Email",
            MediaType::Generic => "Generic",
        }
    }
    pub fn code(self) -> &'static str {
        match self {
            MediaType::Call => "call",
            MediaType::Chat => "chat",
            MediaType::Email => "email",
            MediaType::Generic => "generic",
        }
    }
    pub fn parse(text: &str) -> Option<MediaType> {
        MediaType::ALL
            .into_iter()
            .find(|m| m.code().eq_ignore_ascii_case(text.trim()))
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ServerRef {
    #[serde(default)]
    pub host_id: String,
    #[serde(default)]
    pub machine_name: String,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct User {
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub method: Method,
    #[serde(default)]
    pub licenses: NameSet,
    #[serde(default)]
    pub acd_media_types: BTreeSet<MediaType>,
    #[serde(default)]
    pub workgroups: NameSet,
    /// IA's User Configuration "Default Workstation": the station the user
    /// normally logs on at, whose licenses combine with the user's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_workstation: Option<String>,
    /// IA's People › Roles (Agent, Supervisor, Administrator, custom).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl User {
    pub fn new(id: impl Into<String>, name: impl Into<String>) -> Self {
        User {
            id: id.into(),
            name: name.into(),
            method: Method::Assignable,
            licenses: NameSet::new(),
            acd_media_types: BTreeSet::new(),
            workgroups: NameSet::new(),
            default_workstation: None,
            roles: Vec::new(),
            extra: Map::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Station {
    pub id: String,
    #[serde(rename = "type", default)]
    pub kind: StationType,
    #[serde(default = "yes")]
    pub enabled: bool,
    #[serde(default)]
    pub machine_name: String,
    #[serde(default)]
    pub licenses: NameSet,
    #[serde(default)]
    pub acd_media_types: BTreeSet<MediaType>,
    /// A station shared by the agents of several shifts (seed: "if there
    /// are multiple shifts at a site, you can use station licenses"): any
    /// agent may log on at it, so its licenses may serve any of them.
    #[serde(default, skip_serializing_if = "is_false")]
    pub shift_station: bool,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

fn yes() -> bool {
    true
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl Station {
    pub fn new(id: impl Into<String>, kind: StationType) -> Self {
        let id = id.into();
        Station {
            machine_name: id.clone(),
            id,
            kind,
            enabled: true,
            licenses: NameSet::new(),
            acd_media_types: BTreeSet::new(),
            shift_station: false,
            extra: Map::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Workgroup {
    pub name: String,
    /// The interaction types the workgroup's ACD queue carries (empty: no ACD queue).
    #[serde(default)]
    pub media: BTreeSet<MediaType>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Workgroup {
    pub fn new(name: impl Into<String>, media: impl IntoIterator<Item = MediaType>) -> Self {
        Workgroup {
            name: name.into(),
            media: media.into_iter().collect(),
            extra: Map::new(),
        }
    }
    /// A workgroup with an ACD queue: one that routes at least one media type.
    pub fn has_acd_queue(&self) -> bool {
        !self.media.is_empty()
    }
}

/// A media server named in the workspace with its own license file
/// (path relative to the workspace file).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MediaServer {
    pub name: String,
    pub license: String,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The workspace as written to a file, borrowing its data.
#[derive(Serialize)]
pub struct FileView<'a, L: Serialize> {
    format: u64,
    server: &'a ServerRef,
    users: &'a [User],
    stations: &'a [Station],
    workgroups: &'a [Workgroup],
    #[serde(skip_serializing_if = "<[MediaServer]>::is_empty")]
    media_servers: &'a [MediaServer],
    #[serde(skip_serializing_if = "is_default_alerts")]
    alerts: &'a crate::model::alerts::Alerts,
    #[serde(skip_serializing_if = "<[crate::model::workspace::Policy]>::is_empty")]
    policies: &'a [crate::model::workspace::Policy],
    #[serde(skip_serializing_if = "Option::is_none")]
    price_list: Option<&'a crate::model::workspace::PriceList>,
    #[serde(skip_serializing_if = "is_default_cloud")]
    cloud: &'a crate::model::workspace::cloud::CloudSettings,
    #[serde(skip_serializing_if = "Option::is_none")]
    change_log: Option<L>,
    #[serde(flatten)]
    extra: &'a Map<String, Value>,
}

fn is_default_alerts(a: &&crate::model::alerts::Alerts) -> bool {
    a.is_default()
}

fn is_default_cloud(c: &&crate::model::workspace::cloud::CloudSettings) -> bool {
    c.is_default()
}

/// What users and stations share as records: an id unique ignoring case,
/// kept in a list with an index. Code that treats them alike is written
/// once over this trait.
pub trait Record: Clone + 'static {
    /// Which kind of subject the record is.
    const KIND: crate::model::subject::SubjectKind;
    /// "user" or "station", for messages.
    const NOUN: &'static str;
    fn id(&self) -> &str;
    fn set_id(&mut self, id: String);
    fn all(ws: &Workspace) -> &[Self];
    fn position(ws: &Workspace, id: &str) -> Option<usize>;
    /// The list and its index, to change together.
    fn parts_mut(ws: &mut Workspace) -> (&mut Vec<Self>, &mut IdIndex);
}

/// Users and stations: the same record shape over their own list and index.
macro_rules! record {
    ($record:ty, $kind:ident, $noun:literal, $list:ident, $index:ident, $position:ident) => {
        impl Record for $record {
            const KIND: crate::model::subject::SubjectKind = crate::model::subject::SubjectKind::$kind;
            const NOUN: &'static str = $noun;
            fn id(&self) -> &str {
                &self.id
            }
            fn set_id(&mut self, id: String) {
                self.id = id;
            }
            fn all(ws: &Workspace) -> &[Self] {
                &ws.$list
            }
            fn position(ws: &Workspace, id: &str) -> Option<usize> {
                ws.$position(id)
            }
            fn parts_mut(ws: &mut Workspace) -> (&mut Vec<Self>, &mut IdIndex) {
                (&mut ws.$list, &mut ws.$index)
            }
        }
    };
}

record!(User, User, "user", users, user_index, user_pos);
record!(Station, Station, "station", stations, station_index, station_pos);

/// What users and stations hold: licenses and, with ACD Media 1 or 2, the
/// licensed interaction types.
pub trait Licensed {
    fn licenses(&self) -> &NameSet;
    fn acd_media_types(&self) -> &BTreeSet<MediaType>;
    fn licensing_mut(&mut self) -> (&mut NameSet, &mut BTreeSet<MediaType>);
}

/// Users and stations hold their licensing in fields of the same names.
macro_rules! licensed {
    ($($record:ty),*) => {$(
        impl Licensed for $record {
            fn licenses(&self) -> &NameSet {
                &self.licenses
            }
            fn acd_media_types(&self) -> &BTreeSet<MediaType> {
                &self.acd_media_types
            }
            fn licensing_mut(&mut self) -> (&mut NameSet, &mut BTreeSet<MediaType>) {
                (&mut self.licenses, &mut self.acd_media_types)
            }
        }
    )*};
}

licensed!(User, Station);

/// Users, stations and workgroups, each with a case-insensitive id index.
#[derive(Debug, Clone, Default)]
pub struct Workspace {
    pub server: ServerRef,
    users: Vec<User>,
    stations: Vec<Station>,
    workgroups: Vec<Workgroup>,
    pub media_servers: Vec<MediaServer>,
    /// Thresholds for the alerts before limits.
    pub alerts: crate::model::alerts::Alerts,
    /// Who should hold what (docs/policies.md).
    pub policies: Vec<crate::model::workspace::Policy>,
    /// The site's prices for the cost estimate (docs/cost.md).
    pub price_list: Option<crate::model::workspace::PriceList>,
    /// The Genesys Cloud estimate's mapping, prices and waves
    /// (docs/cloud-estimate.md); not written while at its defaults.
    pub cloud: crate::model::workspace::cloud::CloudSettings,
    user_index: IdIndex,
    station_index: IdIndex,
    workgroup_index: HashMap<String, usize>,
    /// Workgroup names as written: memberships use them, so most lookups hit
    /// here without case-folding.
    workgroup_exact: HashMap<String, usize>,
    /// Unknown top-level fields, written back on save.
    pub extra: Map<String, Value>,
    /// Seed spellings of keys met when the file was read (`I3_CLIENT_ACCESS`),
    /// held in their canonical form: said as `key-read-as` (where the seeds
    /// name one key two ways, the reading taken is said, not silent).
    pub read_as: std::collections::BTreeSet<&'static str>,
    /// How the file was laid out when read (indented or on one line): a
    /// save keeps it. Not part of what the workspace holds (`==` ignores it).
    pub layout: Layout,
}

impl PartialEq for Workspace {
    fn eq(&self, other: &Self) -> bool {
        // The indexes are derived from the lists.
        self.server == other.server
            && self.users == other.users
            && self.stations == other.stations
            && self.workgroups == other.workgroups
            && self.media_servers == other.media_servers
            && self.alerts == other.alerts
            && self.policies == other.policies
            && self.price_list == other.price_list
            && self.cloud == other.cloud
            && self.extra == other.extra
    }
}

impl Workspace {
    pub fn users(&self) -> &[User] {
        &self.users
    }
    pub fn stations(&self) -> &[Station] {
        &self.stations
    }
    pub fn workgroups(&self) -> &[Workgroup] {
        &self.workgroups
    }

    /// The ID indexes, for the engine (`IdIndex::table_of_every`).
    pub fn user_index(&self) -> &IdIndex {
        &self.user_index
    }
    pub fn station_index(&self) -> &IdIndex {
        &self.station_index
    }

    pub fn user_pos(&self, id: &str) -> Option<usize> {
        self.user_index.get(&self.users, id)
    }
    pub fn station_pos(&self, id: &str) -> Option<usize> {
        self.station_index.get(&self.stations, id)
    }
    pub fn workgroup_pos(&self, name: &str) -> Option<usize> {
        if let Some(&i) = self.workgroup_exact.get(name) {
            return Some(i);
        }
        self.workgroup_index.get(fold_ref(name).as_ref()).copied()
    }
    pub fn user(&self, id: &str) -> Option<&User> {
        self.user_pos(id).map(|i| &self.users[i])
    }
    pub fn station(&self, id: &str) -> Option<&Station> {
        self.station_pos(id).map(|i| &self.stations[i])
    }
    pub fn workgroup(&self, name: &str) -> Option<&Workgroup> {
        self.workgroup_pos(name).map(|i| &self.workgroups[i])
    }
    pub fn user_mut(&mut self, id: &str) -> Option<&mut User> {
        self.user_pos(id).map(|i| &mut self.users[i])
    }
    pub fn station_mut(&mut self, id: &str) -> Option<&mut Station> {
        self.station_pos(id).map(|i| &mut self.stations[i])
    }
    pub fn workgroup_mut(&mut self, name: &str) -> Option<&mut Workgroup> {
        self.workgroup_pos(name).map(|i| &mut self.workgroups[i])
    }

    /// Inserts a user or station at `at` (end when `None`). The caller
    /// checked the id is free.
    pub fn insert<R: Record>(&mut self, at: Option<usize>, record: R) -> usize {
        let (list, index) = R::parts_mut(self);
        let at = at.unwrap_or(list.len()).min(list.len());
        list.insert(at, record);
        if at + 1 == list.len() {
            let _ = index.insert(list, at);
        } else {
            index.rebuild(list);
        }
        at
    }

    /// Puts `record` in place of the user or station at `at`, returning the
    /// one it replaces (an edit: no copy of the old record is made). An id
    /// that differs (ignoring case) moves its index entry.
    pub fn replace_at<R: Record>(&mut self, at: usize, record: R) -> Option<R> {
        let (list, index) = R::parts_mut(self);
        let same_id = fold_ref(list.get(at)?.id()) == fold_ref(record.id());
        if !same_id {
            index.remove_at(list, at);
        }
        let old = std::mem::replace(&mut list[at], record);
        if !same_id {
            let _ = index.insert(list, at);
        }
        Some(old)
    }

    /// Removes a user or station; its position and record.
    pub fn remove<R: Record>(&mut self, id: &str) -> Option<(usize, R)> {
        let at = R::position(self, id)?;
        let (list, index) = R::parts_mut(self);
        if at + 1 == list.len() {
            index.remove_at(list, at);
            let record = list.remove(at);
            return Some((at, record));
        }
        let record = list.remove(at);
        index.rebuild(list);
        Some((at, record))
    }

    /// Renames a user or station (the caller checked the new id is free).
    pub fn rename<R: Record>(&mut self, id: &str, new_id: &str) -> bool {
        let Some(at) = R::position(self, id) else { return false };
        let (list, index) = R::parts_mut(self);
        index.remove_at(list, at);
        list[at].set_id(new_id.to_string());
        let _ = index.insert(list, at);
        true
    }

    pub fn insert_workgroup(&mut self, at: Option<usize>, wg: Workgroup) -> usize {
        let at = at.unwrap_or(self.workgroups.len()).min(self.workgroups.len());
        self.workgroups.insert(at, wg);
        self.reindex_workgroups();
        at
    }
    pub fn remove_workgroup(&mut self, name: &str) -> Option<(usize, Workgroup)> {
        let at = self.workgroup_pos(name)?;
        let wg = self.workgroups.remove(at);
        self.reindex_workgroups();
        Some((at, wg))
    }
    pub fn rename_workgroup(&mut self, name: &str, new_name: &str) -> bool {
        let Some(at) = self.workgroup_pos(name) else {
            return false;
        };
        self.workgroup_index.remove(&fold(name));
        let old = self.workgroups[at].name.clone();
        self.workgroup_exact.remove(&old);
        self.workgroup_exact.insert(new_name.to_string(), at);
        self.workgroups[at].name = new_name.to_string();
        self.workgroup_index.insert(fold(new_name), at);
        true
    }

    /// Is a station machine name used by a station other than `except`?
    pub fn machine_name_taken(&self, machine: &str, except: Option<&str>) -> bool {
        // Compared without folding copies: one station edit would otherwise
        // make two strings per station (200k at 100k stations).
        let m = machine.trim();
        self.stations.iter().any(|s| {
            same_ignoring_case(s.machine_name.trim(), m) && except.is_none_or(|e| !same_ignoring_case(&s.id, e))
        })
    }

    fn reindex_workgroups(&mut self) {
        self.workgroup_index = self
            .workgroups
            .iter()
            .enumerate()
            .map(|(i, w)| (fold(&w.name), i))
            .collect();
        self.workgroup_exact = self
            .workgroups
            .iter()
            .enumerate()
            .map(|(i, w)| (w.name.clone(), i))
            .collect();
    }
}
