//! The workspace file: loading (a typed fast path, then the detailed path
//! that names every problem with its JSON path), the loader's checks, and
//! the saved form.

use crate::model::catalog;
use crate::model::progress::{Cancelled, Stage};
use rustc_hash::FxHashMap as HashMap;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeSet;
use std::fmt;

use super::*;
pub use crate::model::error::MediaServerError;
use checks::{PARALLEL_CHECK, at, check_stations, check_users, judge_key, may_hold};

mod checks;
mod notes;
use notes::Note;

/// A well-formed workspace file, parsed in one go (no unknown top-level
/// fields: a file with them takes the slower path that keeps them).
///
/// No separate pass looks for repeated keys on this path: serde's derived
/// records refuse a repeated field themselves (`FastUser`, `FastStation`,
/// `FastWorkgroup` and this struct have no catch-all map), so only the
/// small sections that can hold arbitrary keys (`server`, `media_servers`
/// with their kept unknown fields, the price list's maps, the change log)
/// are kept as raw text and checked before they are parsed. Any failure
/// sends the whole file to the detailed path, which checks every key.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FastFile<'a> {
    format: u64,
    #[serde(default, borrow)]
    server: Raw<'a>,
    // Each record is made into the workspace's type as it is read: no
    // intermediate list of 100k records to move afterwards.
    #[serde(default, deserialize_with = "records::<_, FastUser, User>")]
    users: Vec<User>,
    #[serde(default, deserialize_with = "records::<_, FastStation, Station>")]
    stations: Vec<Station>,
    #[serde(default, deserialize_with = "records::<_, FastWorkgroup, Workgroup>")]
    workgroups: Vec<Workgroup>,
    #[serde(default, borrow)]
    media_servers: Raw<'a>,
    #[serde(default, borrow)]
    alerts: Raw<'a>,
    #[serde(default, borrow)]
    policies: Raw<'a>,
    #[serde(default, borrow)]
    price_list: Raw<'a>,
    #[serde(default, borrow)]
    cloud: Raw<'a>,
    #[serde(default, borrow)]
    change_log: Raw<'a>,
}

/// A `T` written as a JSON object only. serde's derived records also take
/// an array of their fields in order (`[1]` for `{"format": 1}`), which the
/// detailed path (`from_value`) refuses; the fast path must accept nothing
/// it would refuse.
struct MapOnly<T>(T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for MapOnly<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Object<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> serde::de::Visitor<'de> for Object<T> {
            type Value = T;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
                T::deserialize(serde::de::value::MapAccessDeserializer::new(map))
            }
        }
        d.deserialize_map(Object(std::marker::PhantomData)).map(MapOnly)
    }
}

/// A list of records read as `F` and kept as `T`, one by one.
fn records<'de, D, F, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    F: Deserialize<'de> + Into<T>,
    T: Note,
{
    struct Records<F, T>(std::marker::PhantomData<(F, T)>);
    impl<'de, F: Deserialize<'de> + Into<T>, T: Note> serde::de::Visitor<'de> for Records<F, T> {
        type Value = Vec<T>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a list of records")
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
            // The size hint comes from the file: capped, so a claim of
            // billions cannot reserve memory up front. The room comes from
            // the text's length (`notes::room`).
            let hint = seq.size_hint().unwrap_or(0).min(1 << 20);
            let mut out = Vec::with_capacity(hint);
            // Address space only, and not needed: refused, the list grows
            // as it would have (a 256 MB file asks for hundreds of MB).
            let _ = out.try_reserve(T::room().saturating_sub(hint));
            let mut noted = T::notes(out.capacity());
            while let Some(MapOnly(record)) = seq.next_element::<MapOnly<F>>()? {
                let record: T = record.into();
                record.note(&mut noted);
                out.push(record);
            }
            T::keep(noted);
            Ok(out)
        }
    }
    d.deserialize_seq(Records::<F, T>(std::marker::PhantomData))
}

impl From<FastUser> for User {
    fn from(u: FastUser) -> User {
        User {
            id: u.id,
            name: u.name,
            method: u.method,
            licenses: u.licenses,
            acd_media_types: u.acd_media_types,
            workgroups: u.workgroups,
            default_workstation: u.default_workstation,
            roles: u.roles,
            extra: Map::new(),
        }
    }
}

impl From<FastStation> for Station {
    fn from(s: FastStation) -> Station {
        Station {
            id: s.id,
            kind: s.kind,
            enabled: s.enabled,
            machine_name: s.machine_name,
            licenses: s.licenses,
            acd_media_types: s.acd_media_types,
            shift_station: s.shift_station,
            extra: Map::new(),
        }
    }
}

impl From<FastWorkgroup> for Workgroup {
    fn from(w: FastWorkgroup) -> Workgroup {
        Workgroup {
            name: w.name,
            media: w.media,
            extra: Map::new(),
        }
    }
}

/// A section's text as written (`null` included), or `None` when absent.
#[derive(Default)]
struct Raw<'a>(Option<&'a serde_json::value::RawValue>);

impl<'de: 'a, 'a> Deserialize<'de> for Raw<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        <&'a serde_json::value::RawValue>::deserialize(d).map(|r| Raw(Some(r)))
    }
}

impl Raw<'_> {
    /// The section parsed after checking it for repeated keys; `absent`
    /// when the file does not have it; `None` on any problem.
    fn parse<T: DeserializeOwned>(&self, absent: impl FnOnce() -> T) -> Option<T> {
        match self.0 {
            None => Some(absent()),
            Some(raw) => {
                crate::model::fileio::reject_duplicate_keys(raw.get()).ok()?;
                serde_json::from_str(raw.get()).ok()
            }
        }
    }
}

// The same records without unknown fields: no per-record buffering (serde's
// `flatten` buffers every field). A record with unknown fields sends the
// whole file down the path that keeps them.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FastUser {
    id: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    method: Method,
    #[serde(default)]
    licenses: NameSet,
    #[serde(default)]
    acd_media_types: BTreeSet<MediaType>,
    #[serde(default)]
    workgroups: NameSet,
    #[serde(default)]
    default_workstation: Option<String>,
    #[serde(default)]
    roles: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FastStation {
    id: String,
    #[serde(rename = "type", default)]
    kind: StationType,
    #[serde(default = "yes")]
    enabled: bool,
    #[serde(default)]
    machine_name: String,
    #[serde(default)]
    licenses: NameSet,
    #[serde(default)]
    acd_media_types: BTreeSet<MediaType>,
    #[serde(default)]
    shift_station: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FastWorkgroup {
    name: String,
    #[serde(default)]
    media: BTreeSet<MediaType>,
}

impl Workspace {
    /// Parses and checks workspace text.
    pub fn from_json(text: &str) -> Result<Workspace, LoadError> {
        Workspace::from_json_staged(text, &mut |_| Ok(())).map_err(|e| match e {
            StagedError::Load(e) => e,
            StagedError::Cancelled => LoadError::one("$", "cancelled"),
        })
    }

    /// `from_json`, telling `stage` where it is; an `Err` from `stage`
    /// (a cancelled load) stops it. The workspace keeps the text's layout.
    pub fn from_json_staged(
        text: &str,
        stage: &mut dyn FnMut(Stage) -> Result<(), Cancelled>,
    ) -> Result<Workspace, StagedError> {
        let mut ws = Workspace::parse_staged(text, stage)?;
        ws.layout = Layout::of(text);
        Ok(ws)
    }

    fn parse_staged(
        text: &str,
        stage: &mut dyn FnMut(Stage) -> Result<(), Cancelled>,
    ) -> Result<Workspace, StagedError> {
        let mut enter = |s: Stage| stage(s).map_err(|_| StagedError::Cancelled);
        enter(Stage::Checking)?;
        // The NUL check reads the whole text (4.5 ms at 100k users): JSON
        // refuses a raw NUL anywhere, so it runs only when the fast path
        // fails, to say why.
        crate::model::fileio::check_text_start(text, "workspace file").map_err(|e| LoadError::one("$", e))?;
        enter(Stage::Parsing)?;
        // Fast path: a well-formed file parses straight into the lists. Any
        // shape problem (or an unknown top-level field to keep, or a
        // repeated key) takes the path below, which reports every problem
        // with its JSON path.
        notes::arm(text);
        let parsed = serde_json::from_str::<MapOnly<FastFile>>(text).map(|MapOnly(fast)| fast);
        let notes = notes::take();
        if let Ok(fast) = parsed
            && (FORMAT_PLAIN..=FORMAT_VERSION).contains(&fast.format)
            && let Some(server) = fast.server.parse(ServerRef::default)
            && let Some(media_servers) = fast.media_servers.parse(Vec::<MediaServer>::new)
            && let Some(alerts) = fast.alerts.parse(crate::model::alerts::Alerts::default)
            && let Some(policies) = fast.policies.parse(Vec::<crate::model::workspace::Policy>::new)
            && let Some(price_list) = fast.price_list.parse(|| None::<crate::model::workspace::PriceList>)
            && let Some(cloud) = fast.cloud.parse(crate::model::workspace::cloud::CloudSettings::default)
            && let Some(change_log) = fast.change_log.parse(|| Value::Null)
        {
            enter(Stage::Indexing)?;
            let (users, stations, workgroups) = (fast.users, fast.stations, fast.workgroups);
            let mut ws = Workspace {
                server,
                users,
                stations,
                workgroups,
                media_servers,
                alerts,
                policies,
                price_list,
                cloud,
                ..Default::default()
            };
            if !change_log.is_null() {
                ws.extra.insert("change_log".into(), change_log);
            }
            let mut problems = Problems::default();
            // Every record is where the file has it: no position lists
            // (`at` reads a missing entry as the position itself).
            ws.check(&mut problems, notes, &[], &[], &[]);
            return if problems.0.is_empty() {
                ws.reindex_workgroups();
                Ok(ws)
            } else {
                Err(LoadError { problems: problems.0 }.into())
            };
        }
        crate::model::fileio::check_no_nul(text, "workspace file").map_err(|e| LoadError::one("$", e))?;
        crate::model::fileio::reject_duplicate_keys(text).map_err(|e| {
            // The scan also stops at a syntax error: the suffix is for a
            // key said twice only.
            let e = e.to_string();
            if e.contains("appears twice") {
                LoadError::one("$", format!("{e}; a workspace file must say each thing once"))
            } else {
                LoadError::one(
                    "$",
                    format!("not valid JSON ({e}); the file is damaged or not a workspace"),
                )
            }
        })?;
        let value: Value = serde_json::from_str(text).map_err(|e| {
            LoadError::one(
                "$",
                format!("not valid JSON ({e}); the file is damaged or not a workspace"),
            )
        })?;
        enter(Stage::Indexing)?;
        Ok(Workspace::from_value(value)?)
    }

    /// Reads a workspace file (capped in size).
    pub fn load_path(path: &std::path::Path) -> Result<Workspace, LoadError> {
        let bytes = crate::fs::read_capped(path, MAX_FILE_BYTES).map_err(|e| LoadError::one("$", e))?;
        let text = std::str::from_utf8(&bytes).map_err(|e| {
            LoadError::one(
                "$",
                format!(
                    "the file is not UTF-8 text (bad byte at offset {}); it is not a workspace",
                    e.valid_up_to()
                ),
            )
        })?;
        Workspace::from_json(text)
    }

    pub fn from_value(value: Value) -> Result<Workspace, LoadError> {
        let mut problems = Problems::default();
        let Value::Object(mut top) = value else {
            return Err(LoadError::one(
                "$",
                "a workspace is a JSON object ({\"format\": 1, \"users\": [...], ...})",
            ));
        };
        match top.shift_remove("format") {
            Some(Value::Number(n)) if n.as_u64().is_some_and(|v| (FORMAT_PLAIN..=FORMAT_VERSION).contains(&v)) => {}
            Some(Value::Number(n)) if n.as_u64().is_some_and(|v| v > FORMAT_VERSION) => {
                return Err(LoadError::one(
                    "$.format",
                    format!(
                        "workspace format {n} was written by a newer version of ia-licensing (this one reads format \
                            {FORMAT_VERSION}); update ia-licensing"
                    ),
                ));
            }
            Some(other) => problems.push(
                "$.format",
                format!("must be {FORMAT_PLAIN} or {FORMAT_VERSION}, found {}", short(&other)),
            ),
            None => problems.push("$.format", "missing; a workspace starts with \"format\": 1"),
        }
        let server: ServerRef = match top.shift_remove("server") {
            Some(v) => de(v, "$.server", &mut problems).unwrap_or_default(),
            None => ServerRef::default(),
        };
        // Keep each element's position in the file so later messages name
        // the right index even when an earlier element failed to parse.
        let (user_at, users): (Vec<usize>, Vec<User>) = list(top.shift_remove("users"), "$.users", &mut problems)
            .into_iter()
            .unzip();
        let (station_at, stations): (Vec<usize>, Vec<Station>) =
            list(top.shift_remove("stations"), "$.stations", &mut problems)
                .into_iter()
                .unzip();
        let (wg_at, workgroups): (Vec<usize>, Vec<Workgroup>) =
            list(top.shift_remove("workgroups"), "$.workgroups", &mut problems)
                .into_iter()
                .unzip();
        let media_servers: Vec<MediaServer> = list(top.shift_remove("media_servers"), "$.media_servers", &mut problems)
            .into_iter()
            .map(|(_, m)| m)
            .collect();
        let alerts = match top.shift_remove("alerts") {
            None => crate::model::alerts::Alerts::default(),
            Some(v) => serde_json::from_value(v).unwrap_or_else(|e| {
                problems.push("$.alerts", crate::model::fileio::tidy_message(&e.to_string()));
                crate::model::alerts::Alerts::default()
            }),
        };
        let price_list = match top.shift_remove("price_list") {
            None | Some(Value::Null) => None,
            Some(v) => serde_json::from_value(v).map(Some).unwrap_or_else(|e| {
                problems.push("$.price_list", crate::model::fileio::tidy_message(&e.to_string()));
                None
            }),
        };
        let cloud = match top.shift_remove("cloud") {
            None | Some(Value::Null) => crate::model::workspace::cloud::CloudSettings::default(),
            Some(v) => de(v, "$.cloud", &mut problems).unwrap_or_default(),
        };
        let policies: Vec<crate::model::workspace::Policy> =
            list(top.shift_remove("policies"), "$.policies", &mut problems)
                .into_iter()
                .map(|(_, p)| p)
                .collect();
        let mut ws = Workspace {
            server,
            users,
            stations,
            workgroups,
            media_servers,
            alerts,
            policies,
            price_list,
            cloud,
            extra: top,
            ..Default::default()
        };
        ws.check(&mut problems, None, &user_at, &station_at, &wg_at); // builds the id indexes
        if problems.0.is_empty() {
            ws.reindex_workgroups();
            Ok(ws)
        } else {
            Err(LoadError { problems: problems.0 })
        }
    }

    /// The loader's checks, run again on the workspace as it is now (before
    /// a save: the document never writes a file its own loader would
    /// refuse). Changes nothing when the workspace is valid.
    pub fn recheck(&mut self) -> Result<(), LoadError> {
        let mut problems = Problems::default();
        self.check(&mut problems, None, &[], &[], &[]);
        if problems.0.is_empty() {
            Ok(())
        } else {
            Err(LoadError { problems: problems.0 })
        }
    }

    /// Semantic checks of a freshly parsed workspace; also canonicalises names.
    /// `notes`: what the fast parse noted, which may spare the checks of
    /// each user and station (`notes::Notes::indexes`).
    fn check(
        &mut self,
        problems: &mut Problems,
        notes: Option<notes::Notes>,
        user_at: &[usize],
        station_at: &[usize],
        wg_at: &[usize],
    ) {
        for (path, why) in self.alerts.problems() {
            problems.push(&path, why);
        }
        for (path, why) in self.price_list.iter().flat_map(|p| p.problems()) {
            problems.push(&path, why);
        }
        for (path, why) in self.cloud.problems("$.cloud") {
            problems.push(&path, why);
        }
        let mut names = std::collections::HashSet::new();
        for (i, p) in self.policies.iter().enumerate() {
            for (path, why) in p.problems(i) {
                problems.push(&path, why);
            }
            if !names.insert(fold(p.name.trim())) {
                problems.push(
                    &format!("$.policies[{i}].name"),
                    format!("the policy name “{}” is used twice", crate::model::text::safe(&p.name)),
                );
            }
        }
        // Workgroups first: memberships refer to them.
        let mut wg_names: HashMap<String, (usize, String)> = HashMap::default();
        for (i, wg) in self.workgroups.iter().enumerate() {
            let i = at(wg_at, i);
            let path = format!("$.workgroups[{i}].name");
            if wg.name.trim().is_empty() {
                problems.push(&path, "a workgroup name cannot be blank");
            } else if let Some((j, _)) = wg_names.get(&fold(&wg.name)) {
                problems.push(
                    &path,
                    format!("duplicate workgroup name `{}` (also at $.workgroups[{j}])", wg.name),
                );
            } else {
                wg_names.insert(fold(&wg.name), (i, wg.name.clone()));
            }
        }
        // The id maps become the indexes (list position by folded id); paths
        // are only formatted for a problem. Users and stations are checked
        // on two threads when there are many (they share nothing); their
        // problems are reported users first, as one pass would.
        if let Some((users, stations)) = notes.and_then(|n| n.indexes(&self.users, &self.stations, &wg_names)) {
            self.user_index = users;
            self.station_index = stations;
            return;
        }
        let (users, stations) = (&mut self.users, &mut self.stations);
        let (user_index, station_index) = if users.len() + stations.len() >= PARALLEL_CHECK {
            let mut station_problems = Problems::default();
            let (user_index, station_index) = std::thread::scope(|scope| {
                let other = scope.spawn(|| check_stations(stations, station_at, &mut station_problems));
                let user_index = check_users(users, user_at, &wg_names, problems);
                let station_index = other.join().unwrap_or_else(|e| std::panic::resume_unwind(e));
                (user_index, station_index)
            });
            problems.0.extend(station_problems.0);
            problems.1.extend(station_problems.1);
            (user_index, station_index)
        } else {
            let user_index = check_users(users, user_at, &wg_names, problems);
            (user_index, check_stations(stations, station_at, problems))
        };
        self.user_index = user_index;
        self.station_index = station_index;
        // Kept once met: a later recheck finds the keys canonical already.
        self.read_as.extend(problems.1.iter().copied());
    }

    /// The file form, with whatever change log the file had kept as it was
    /// (a `Document` reads the log and saves it itself), in the layout the
    /// file was read in.
    pub fn to_json(&self) -> String {
        let format = match self.extra.get("change_log") {
            Some(log) if crate::model::changelog::has_bulk_entries(log) => FORMAT_VERSION,
            _ => FORMAT_PLAIN,
        };
        self.layout.text(&self.file_view::<Value>(None, format))
    }

    /// The file form borrowed from the workspace (no copy of the data), with
    /// an optional change log (the caller's saved form of it, which decides
    /// the format): what saving serialises.
    pub fn file_view<L: Serialize>(&self, change_log: Option<L>, format: u64) -> FileView<'_, L> {
        FileView {
            format,
            server: &self.server,
            users: &self.users,
            stations: &self.stations,
            workgroups: &self.workgroups,
            media_servers: &self.media_servers,
            alerts: &self.alerts,
            policies: &self.policies,
            price_list: self.price_list.as_ref(),
            cloud: &self.cloud,
            change_log,
            extra: &self.extra,
        }
    }
}

/// Problems found while loading, each with its JSON path.
#[derive(Debug, Default)]
struct Problems(Vec<Problem>, BTreeSet<&'static str>);

impl Problems {
    fn push(&mut self, path: &str, message: impl Into<String>) {
        // Enough to fix a file; a broken 100k-row file must not make a 100k-line message.
        if self.0.len() < 1000 {
            self.0.push(Problem {
                path: crate::model::fileio::tidy_message(path),
                message: crate::model::fileio::tidy_message(&message.into()),
            });
        }
    }
}

fn de<T: DeserializeOwned>(value: Value, path: &str, problems: &mut Problems) -> Option<T> {
    // The fast path borrows the value; only a failure pays for the path.
    if let Ok(v) = T::deserialize(&value) {
        return Some(v);
    }
    match serde_path_to_error::deserialize::<_, T>(value) {
        Ok(v) => Some(v),
        Err(e) => {
            let inner = e.path().to_string();
            let full = if inner == "." {
                path.to_string()
            } else {
                format!("{path}.{inner}")
            };
            problems.push(&full.replace(".[", "["), e.into_inner().to_string());
            None
        }
    }
}

fn list<T: DeserializeOwned>(value: Option<Value>, path: &str, problems: &mut Problems) -> Vec<(usize, T)> {
    match value {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items
            .into_iter()
            .enumerate()
            .filter_map(|(i, v)| de(v, &format!("{path}[{i}]"), problems).map(|t| (i, t)))
            .collect(),
        Some(other) => {
            problems.push(path, format!("must be a list, found {}", short(&other)));
            Vec::new()
        }
    }
}

fn short(v: &Value) -> String {
    let text = v.to_string();
    if text.chars().count() > 40 {
        format!("{}…", text.chars().take(40).collect::<String>())
    } else {
        text
    }
}

/// One problem of a refused workspace file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub path: String,
    pub message: String,
}

/// A staged load either failed or was cancelled.
#[derive(Debug)]
pub enum StagedError {
    Load(LoadError),
    Cancelled,
}

impl From<LoadError> for StagedError {
    fn from(e: LoadError) -> Self {
        StagedError::Load(e)
    }
}

/// Why a workspace file was refused: every problem found, with its path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    pub problems: Vec<Problem>,
}

impl LoadError {
    pub fn one(path: &str, message: impl Into<String>) -> Self {
        LoadError {
            problems: vec![Problem {
                path: path.into(),
                message: message.into(),
            }],
        }
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.problems.as_slice() {
            [one] => write!(f, "{}: {}", one.path, one.message),
            many => {
                write!(f, "{} problems", many.len())?;
                for p in many {
                    write!(f, "\n  {}: {}", p.path, p.message)?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for LoadError {}

/// Resolves a media server's license file name against the workspace's
/// folder. Only a plain file name in that folder is accepted — no absolute
/// paths, no `..` — so a workspace cannot make the app read arbitrary files.
pub fn media_server_license_path(
    workspace_dir: &std::path::Path,
    name: &str,
) -> Result<std::path::PathBuf, MediaServerError> {
    let p = std::path::Path::new(name);
    let plain = p.components().count() == 1 && matches!(p.components().next(), Some(std::path::Component::Normal(_)));
    if !plain || name.trim().is_empty() {
        return Err(MediaServerError::NotAFileName(name.to_string()));
    }
    Ok(workspace_dir.join(p))
}
