//! The engine: derived data — configured counts, indexes (key → holders,
//! workgroup → members) and diagnostics — kept up to date incrementally from
//! what each command touched. `Engine::build` recounts from scratch; tests
//! compare the two.
//!
//! Ids, keys and workgroup names are interned to small integer handles
//! (`Names`), so the indexes are vectors and bit sets rather than maps of
//! strings: at 100k users and 100k stations a recount is a few dozen
//! milliseconds and the indexes a few megabytes. Users and stations are kept
//! on separate `Side`s, which share nothing, so a full build counts them on
//! two threads.

use std::collections::BTreeSet;
use std::sync::Arc;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use chrono::NaiveDate;
use serde::Serialize;

use super::catalog;
use super::diagnostic::{Diagnostic, Severity};
use super::license::License;
use super::rules::{self, Configured};
use super::subject::SubjectKind;
use super::workspace::{Method, Name, Station, User, Workspace, fold, fold_ref};

/// What a change touched (case-folded ids); the engine recomputes only that.
#[derive(Debug, Clone, Default)]
pub struct Touched {
    pub users: BTreeSet<String>,
    pub stations: BTreeSet<String>,
    pub workgroups: BTreeSet<String>,
}

impl Touched {
    pub fn user(&mut self, id: &str) {
        self.users.insert(fold(id));
    }
    pub fn station(&mut self, id: &str) {
        self.stations.insert(fold(id));
    }
    pub fn workgroup(&mut self, name: &str) {
        self.workgroups.insert(fold(name));
    }
    /// A user, station or workgroup, by kind (others are not counted).
    pub fn subject(&mut self, kind: SubjectKind, id: &str) {
        match kind {
            SubjectKind::User => self.user(id),
            SubjectKind::Station => self.station(id),
            SubjectKind::Workgroup => self.workgroup(id),
            SubjectKind::License | SubjectKind::Server => {}
        }
    }
    pub fn is_empty(&self) -> bool {
        self.users.is_empty() && self.stations.is_empty() && self.workgroups.is_empty()
    }
    pub fn extend(&mut self, other: Touched) {
        self.users.extend(other.users);
        self.stations.extend(other.stations);
        self.workgroups.extend(other.workgroups);
    }
}

/// One row of Licenses Allocation (IA's columns).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeyCounts {
    pub key: String,
    pub label: String,
    pub assignable_allowed: u32,
    pub assignable_configured: u32,
    pub concurrent_allowed: u32,
    pub concurrent_configured: u32,
    pub concurrent_in_use: u32,
    pub notes: String,
}

impl KeyCounts {
    /// Over its limit (highlighted in the view).
    pub fn over_limit(&self) -> bool {
        self.assignable_configured > self.assignable_allowed
            || (self.concurrent_configured > 0 && self.concurrent_allowed == 0)
    }
}

/// Distinct names with a handle each (handles are never reused, so a removed
/// subject's handle stays valid and simply holds nothing).
#[derive(Debug, Clone, Default)]
struct Names {
    // One allocation per name, shared by the index and the list.
    index: HashMap<Arc<str>, u32>,
    names: Vec<Arc<str>>,
}

impl Names {
    fn with_capacity(n: usize) -> Names {
        let mut index = HashMap::default();
        index.reserve(n);
        Names {
            index,
            names: Vec::with_capacity(n),
        }
    }
    fn get(&self, name: &str) -> Option<u32> {
        self.index.get(name).copied()
    }
    fn intern(&mut self, name: &str) -> u32 {
        if let Some(&h) = self.index.get(name) {
            return h;
        }
        let h = u32::try_from(self.names.len()).unwrap_or(u32::MAX);
        let name: Arc<str> = name.into();
        self.names.push(name.clone());
        self.index.insert(name, h);
        h
    }
    fn name(&self, h: u32) -> &str {
        self.names.get(h as usize).map_or("", |s| s)
    }
}

/// A set of small integers (subject handles), one bit each.
#[derive(Debug, Clone, Default)]
struct Bits {
    words: Vec<u64>,
    len: usize,
}

impl Bits {
    fn insert(&mut self, i: u32) {
        let (w, b) = (i as usize / 64, i % 64);
        if w >= self.words.len() {
            self.words.resize(w + 1, 0);
        }
        if self.words[w] & (1 << b) == 0 {
            self.words[w] |= 1 << b;
            self.len += 1;
        }
    }
    fn remove(&mut self, i: u32) {
        let (w, b) = (i as usize / 64, i % 64);
        if let Some(word) = self.words.get_mut(w)
            && *word & (1 << b) != 0
        {
            *word &= !(1 << b);
            self.len -= 1;
        }
    }
    fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        self.words.iter().enumerate().flat_map(|(w, &word)| {
            let mut rest = word;
            std::iter::from_fn(move || {
                if rest == 0 {
                    return None;
                }
                let b = rest.trailing_zeros();
                rest &= rest - 1;
                Some(w as u32 * 64 + b)
            })
        })
    }
}

/// What one subject adds to the counts: its keys and (users) workgroups, as
/// handles on its side.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Contribution {
    assignable: bool,
    /// Key handles, then workgroup handles.
    handles: Handles,
    keys: u16,
}

impl Contribution {
    fn new(assignable: bool, handles: &[u32], keys: usize) -> Contribution {
        Contribution {
            assignable,
            handles: Handles::new(handles),
            keys: u16::try_from(keys).unwrap_or(u16::MAX),
        }
    }
    fn keys(&self) -> &[u32] {
        &self.handles.as_slice()[..self.keys as usize]
    }
    fn workgroups(&self) -> &[u32] {
        &self.handles.as_slice()[self.keys as usize..]
    }
}

/// A subject's handles: inline when few (nearly every subject), so a
/// recount of 200k subjects makes no allocation per subject.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Handles {
    Inline(u8, [u32; INLINE]),
    Heap(Box<[u32]>),
}

const INLINE: usize = 7;

impl Handles {
    fn new(handles: &[u32]) -> Handles {
        if handles.len() <= INLINE {
            let mut inline = [0; INLINE];
            inline[..handles.len()].copy_from_slice(handles);
            Handles::Inline(handles.len() as u8, inline)
        } else {
            Handles::Heap(handles.into())
        }
    }
    fn as_slice(&self) -> &[u32] {
        match self {
            Handles::Inline(len, inline) => &inline[..*len as usize],
            Handles::Heap(heap) => heap,
        }
    }
}

/// The derived data of one kind of subject (users or stations).
#[derive(Debug, Clone)]
struct Side {
    kind: SubjectKind,
    /// Case-folded subject ids.
    ids: Names,
    /// License keys as written.
    keys: Names,
    /// Case-folded workgroup names (users only).
    workgroups: Names,
    contributions: Vec<Option<Contribution>>,
    configured: Vec<Configured>,
    holders: Vec<Bits>,
    members: Vec<HashSet<u32>>,
    diags: Vec<Vec<Diagnostic>>,
    totals: [usize; 3],
    /// Handles by the address of a shared name: names read from a file are
    /// interned, so most lookups hash a pointer instead of comparing text
    /// (and touch no reference count another thread also touches). Each
    /// entry keeps its name alive, so the address cannot be reused meanwhile.
    seen: HashMap<usize, (u32, Name)>,
    seen_workgroups: HashMap<usize, (u32, Name)>,
    /// Reused while making a contribution.
    scratch: Vec<u32>,
}

/// Bounds the address caches (names made one by one by edits are not shared).
const MAX_SEEN: usize = 1 << 16;

fn address(name: &Name) -> usize {
    Arc::as_ptr(name) as *const u8 as usize
}

fn severity_index(s: Severity) -> usize {
    match s {
        Severity::Error => 0,
        Severity::Warning => 1,
        Severity::Info => 2,
    }
}

fn count(totals: &mut [usize; 3], diags: &[Diagnostic], sign: i64) {
    for d in diags {
        let slot = &mut totals[severity_index(d.severity)];
        *slot = if sign > 0 { *slot + 1 } else { slot.saturating_sub(1) };
    }
}

impl Side {
    fn new(kind: SubjectKind, subjects: usize) -> Side {
        Side {
            kind,
            ids: Names::with_capacity(subjects),
            keys: Names::default(),
            workgroups: Names::default(),
            // Sized up front: a build fills every slot.
            contributions: vec![None; subjects],
            configured: Vec::new(),
            holders: Vec::new(),
            members: Vec::new(),
            diags: std::iter::repeat_with(Vec::new).take(subjects).collect(),
            totals: [0; 3],
            seen: HashMap::default(),
            seen_workgroups: HashMap::default(),
            scratch: Vec::new(),
        }
    }

    /// Every user's counts, from scratch (diagnostics: `user_diagnostics`).
    fn build_users(ws: &Workspace) -> Side {
        let mut side = Side::new(SubjectKind::User, ws.users().len());
        for u in ws.users() {
            let sid = side.ids.intern(&fold_ref(&u.id));
            let c = side.user_contribution(u);
            side.swap(sid, Some(c), &mut Vec::new());
        }
        side
    }

    /// Every user's diagnostics, in list order (they only read the
    /// workspace, so they are worked out while the counts are).
    fn user_diagnostics(ws: &Workspace, users: &[User]) -> Vec<Vec<Diagnostic>> {
        users
            .iter()
            .map(|u| {
                let mut out = Vec::new();
                rules::user_diagnostics(u, ws, &mut out);
                out
            })
            .collect()
    }

    /// Every station, from scratch.
    fn build_stations(ws: &Workspace) -> Side {
        let mut side = Side::new(SubjectKind::Station, ws.stations().len());
        for s in ws.stations() {
            let sid = side.ids.intern(&fold_ref(&s.id));
            let c = side.station_contribution(s);
            side.swap(sid, Some(c), &mut Vec::new());
            let mut out = Vec::new();
            rules::station_diagnostics(s, &mut out);
            side.set_diags(sid, out);
        }
        side
    }

    fn key_handle(&mut self, key: &Name) -> u32 {
        if let Some(&(h, _)) = self.seen.get(&address(key)) {
            return h;
        }
        let h = self.keys.intern(key);
        if h as usize >= self.configured.len() {
            let words = self.contributions.len() / 64 + 1;
            self.configured.resize(h as usize + 1, Configured::default());
            self.holders.resize_with(h as usize + 1, || Bits {
                words: Vec::with_capacity(words),
                len: 0,
            });
        }
        self.remember(key, h);
        h
    }

    fn workgroup_handle(&mut self, name: &Name) -> u32 {
        if let Some(&(h, _)) = self.seen_workgroups.get(&address(name)) {
            return h;
        }
        let h = self.workgroups.intern(&fold_ref(name));
        if h as usize >= self.members.len() {
            self.members.resize_with(h as usize + 1, HashSet::default);
        }
        if self.seen_workgroups.len() < MAX_SEEN {
            self.seen_workgroups.insert(address(name), (h, name.clone()));
        }
        h
    }

    fn remember(&mut self, key: &Name, h: u32) {
        if self.seen.len() < MAX_SEEN {
            self.seen.insert(address(key), (h, key.clone()));
        }
    }

    fn user_contribution(&mut self, u: &User) -> Contribution {
        let mut handles = std::mem::take(&mut self.scratch);
        handles.clear();
        handles.extend(u.licenses.iter().map(|k| self.key_handle(k)));
        handles.extend(u.workgroups.iter().map(|w| self.workgroup_handle(w)));
        let c = Contribution::new(u.method == Method::Assignable, &handles, u.licenses.len());
        self.scratch = handles;
        c
    }

    fn station_contribution(&mut self, s: &Station) -> Contribution {
        let mut handles = std::mem::take(&mut self.scratch);
        handles.clear();
        handles.extend(s.licenses.iter().map(|k| self.key_handle(k)));
        let c = Contribution::new(true, &handles, handles.len());
        self.scratch = handles;
        c
    }

    /// Replaces a subject's contribution; `moved` gets the keys whose counts
    /// changed.
    fn swap(&mut self, sid: u32, new: Option<Contribution>, moved: &mut Vec<u32>) {
        let at = sid as usize;
        if at >= self.contributions.len() {
            self.contributions.resize(at + 1, None);
        }
        if self.contributions[at] == new {
            return;
        }
        let kind = self.kind;
        if let Some(old) = self.contributions[at].take() {
            for &k in old.keys() {
                bump(&mut self.configured[k as usize], old.assignable, kind, -1);
                self.holders[k as usize].remove(sid);
                moved.push(k);
            }
            for &w in old.workgroups() {
                self.members[w as usize].remove(&sid);
            }
        }
        if let Some(new) = new {
            for &k in new.keys() {
                bump(&mut self.configured[k as usize], new.assignable, kind, 1);
                self.holders[k as usize].insert(sid);
                moved.push(k);
            }
            for &w in new.workgroups() {
                self.members[w as usize].insert(sid);
            }
            self.contributions[at] = Some(new);
        }
    }

    fn set_diags(&mut self, sid: u32, new: Vec<Diagnostic>) {
        let at = sid as usize;
        if at >= self.diags.len() {
            self.diags.resize_with(at + 1, Vec::new);
        }
        count(&mut self.totals, &new, 1);
        let old = std::mem::replace(&mut self.diags[at], new);
        count(&mut self.totals, &old, -1);
    }

    /// Re-reads the touched subjects (folded ids); returns the handles of
    /// users whose diagnostics need recomputing and adds the names of keys
    /// whose counts moved.
    fn refresh_subjects(&mut self, ws: &Workspace, ids: &BTreeSet<String>, keys: &mut HashSet<String>) -> Vec<u32> {
        let mut moved = Vec::new();
        let mut again = Vec::with_capacity(ids.len());
        for id in ids {
            let sid = self.ids.intern(id);
            let new = match self.kind {
                SubjectKind::Station => ws.station(id).map(|s| self.station_contribution(s)),
                _ => ws.user(id).map(|u| self.user_contribution(u)),
            };
            self.swap(sid, new, &mut moved);
            again.push(sid);
        }
        moved.sort_unstable();
        moved.dedup();
        for k in moved {
            let name = self.keys.name(k);
            if !keys.contains(name) {
                keys.insert(name.to_string());
            }
        }
        again
    }

    fn configured(&self, key: &str) -> Configured {
        self.keys
            .get(key)
            .and_then(|h| self.configured.get(h as usize))
            .copied()
            .unwrap_or_default()
    }

    fn diagnostics_of(&self, id: &str) -> &[Diagnostic] {
        self.ids
            .get(&fold_ref(id))
            .and_then(|h| self.diags.get(h as usize))
            .map_or(&[], Vec::as_slice)
    }

    fn holders(&self, key: &str) -> impl Iterator<Item = (SubjectKind, &str)> {
        self.keys
            .get(key)
            .and_then(|h| self.holders.get(h as usize))
            .into_iter()
            .flat_map(|bits| bits.iter())
            .map(|sid| (self.kind, self.ids.name(sid)))
    }

    fn members(&self, workgroup: &str) -> Vec<&str> {
        let mut out: Vec<&str> = self
            .workgroups
            .get(&fold_ref(workgroup))
            .and_then(|h| self.members.get(h as usize))
            .into_iter()
            .flatten()
            .map(|&sid| self.ids.name(sid))
            .collect();
        out.sort_unstable();
        out
    }

    /// Every key with a non-zero count on this side.
    fn counted_keys(&self) -> impl Iterator<Item = (&str, Configured)> {
        self.configured
            .iter()
            .enumerate()
            .filter(|(_, c)| **c != Configured::default())
            .map(|(h, c)| (self.keys.name(h as u32), *c))
    }
}

/// Revisions are unique across engines, so a view caching what it derived
/// from one engine never mistakes a replacement (a newly opened workspace)
/// for the same data.
fn next_revision() -> u64 {
    static LAST: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    LAST.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1
}

fn add(a: Configured, b: Configured) -> Configured {
    Configured {
        assignable: a.assignable.saturating_add(b.assignable),
        concurrent: a.concurrent.saturating_add(b.concurrent),
        users: a.users.saturating_add(b.users),
        stations: a.stations.saturating_add(b.stations),
    }
}

#[derive(Debug, Clone)]
pub struct Engine {
    users: Side,
    stations: Side,
    key_diags: HashMap<String, Vec<Diagnostic>>,
    server_diags: Vec<Diagnostic>,
    /// Totals of the key and server diagnostics (the sides count their own).
    totals: [usize; 3],
    in_use: HashMap<String, u32>,
    media_servers: Vec<rules::MediaServerStatus>,
    /// Bumped on every change, so views can cache what they derive.
    revision: u64,
    /// Counted but not yet diagnosed (see `count`).
    pending: Pending,
}

#[derive(Debug, Clone, Default)]
struct Pending {
    users: Vec<u32>,
    stations: Vec<u32>,
    keys: HashSet<String>,
}

impl Default for Engine {
    fn default() -> Self {
        Engine {
            users: Side::new(SubjectKind::User, 0),
            stations: Side::new(SubjectKind::Station, 0),
            key_diags: HashMap::default(),
            server_diags: Vec::new(),
            totals: [0; 3],
            in_use: HashMap::default(),
            media_servers: Vec::new(),
            revision: 0,
            pending: Pending::default(),
        }
    }
}

impl Engine {
    /// Everything from scratch: users and stations on two threads.
    pub fn build(ws: &Workspace, license: &License, today: NaiveDate) -> Engine {
        // Thread A: the users' counts and the first half of their
        // diagnostics; thread B: the stations and the second half (the two
        // take about as long).
        let all = ws.users();
        let (first, second) = all.split_at(all.len() / 2);
        let (mut users, stations, mut user_diags) = std::thread::scope(|scope| {
            let other = scope.spawn(|| (Side::build_stations(ws), Side::user_diagnostics(ws, second)));
            let users = Side::build_users(ws);
            let diags = Side::user_diagnostics(ws, first);
            // A panic in the other thread is a bug; redo its part here rather
            // than lose the counts.
            let (stations, rest) = other
                .join()
                .unwrap_or_else(|_| (Side::build_stations(ws), Side::user_diagnostics(ws, second)));
            (users, stations, [diags, rest])
        });
        let user_diags = std::mem::take(&mut user_diags[0])
            .into_iter()
            .chain(std::mem::take(&mut user_diags[1]));
        for (u, diags) in all.iter().zip(user_diags) {
            if !diags.is_empty()
                && let Some(sid) = users.ids.get(&fold_ref(&u.id))
            {
                users.set_diags(sid, diags);
            }
        }
        let mut engine = Engine {
            users,
            stations,
            ..Engine::default()
        };
        engine.refresh(ws, license, today, &Touched::default(), true);
        engine
    }

    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// Brings the engine up to date after a change. `all_keys` re-checks
    /// every key (after a license change).
    pub fn refresh(&mut self, ws: &Workspace, license: &License, today: NaiveDate, touched: &Touched, all_keys: bool) {
        // `count` moves the revision.
        self.count(ws, touched);
        let mut keys = std::mem::take(&mut self.pending.keys);
        let mut again = std::mem::take(&mut self.pending.users);
        let mut stations = std::mem::take(&mut self.pending.stations);
        stations.sort_unstable();
        stations.dedup();
        for sid in stations {
            let id = self.stations.ids.name(sid);
            let mut out = Vec::new();
            if let Some(s) = ws.station(id) {
                rules::station_diagnostics(s, &mut out);
            }
            self.stations.set_diags(sid, out);
        }
        again.sort_unstable();
        again.dedup();
        for sid in again {
            let id = self.users.ids.name(sid);
            let mut out = Vec::new();
            if let Some(u) = ws.user(id) {
                rules::user_diagnostics(u, ws, &mut out);
            }
            self.users.set_diags(sid, out);
        }
        if all_keys {
            keys.extend(self.users.counted_keys().map(|(k, _)| k.to_string()));
            keys.extend(self.stations.counted_keys().map(|(k, _)| k.to_string()));
            keys.extend(self.key_diags.keys().cloned());
        }
        for key in keys {
            let mut out = Vec::new();
            rules::key_diagnostics(&key, self.configured(&key), license, &mut out);
            let old = if out.is_empty() {
                self.key_diags.remove(&key)
            } else {
                self.key_diags.insert(key, out.clone())
            };
            count(&mut self.totals, old.as_deref().unwrap_or(&[]), -1);
            count(&mut self.totals, &out, 1);
        }
        let mut server = Vec::new();
        rules::server_diagnostics(ws, license, today, &mut server);
        rules::media_server_diagnostics(&self.media_servers, license, &mut server);
        let old = std::mem::replace(&mut self.server_diags, server);
        count(&mut self.totals, &old, -1);
        let server = std::mem::take(&mut self.server_diags);
        count(&mut self.totals, &server, 1);
        self.server_diags = server;
    }

    /// The counts and indexes part of `refresh`: what a command needs while
    /// it runs (capacity checks, workgroup members). The diagnostics of what
    /// it touched wait for the next `refresh`, so a bulk edit of 10k users
    /// checks each rule once per subject at the end, not once per step.
    pub fn count(&mut self, ws: &Workspace, touched: &Touched) {
        self.revision = next_revision();
        let users = self.users.refresh_subjects(ws, &touched.users, &mut self.pending.keys);
        self.pending.users.extend(users);
        let stations = self
            .stations
            .refresh_subjects(ws, &touched.stations, &mut self.pending.keys);
        self.pending.stations.extend(stations);
        for wg in &touched.workgroups {
            if let Some(h) = self.users.workgroups.get(wg) {
                self.pending
                    .users
                    .extend(self.users.members[h as usize].iter().copied());
            }
        }
    }

    fn side(&self, kind: SubjectKind) -> Option<&Side> {
        match kind {
            SubjectKind::User => Some(&self.users),
            SubjectKind::Station => Some(&self.stations),
            _ => None,
        }
    }

    /// Configured counts of a key.
    pub fn configured(&self, key: &str) -> Configured {
        add(self.users.configured(key), self.stations.configured(key))
    }

    /// Holders of a key: kind and case-folded id, users first, each in the
    /// order they were first counted.
    pub fn holders(&self, key: &str) -> impl Iterator<Item = (SubjectKind, &str)> {
        self.users.holders(key).chain(self.stations.holders(key))
    }

    /// Members of a workgroup (case-folded user ids, sorted).
    pub fn members(&self, workgroup: &str) -> Vec<&str> {
        self.users.members(workgroup)
    }

    /// How many users are members of a workgroup.
    pub fn member_count(&self, workgroup: &str) -> usize {
        let side = &self.users;
        side.workgroups
            .get(&fold_ref(workgroup))
            .and_then(|h| side.members.get(h as usize))
            .map_or(0, HashSet::len)
    }

    pub fn set_media_servers(&mut self, media: Vec<rules::MediaServerStatus>) {
        self.media_servers = media;
    }

    pub fn media_servers(&self) -> &[rules::MediaServerStatus] {
        &self.media_servers
    }

    pub fn set_in_use(&mut self, in_use: HashMap<String, u32>) {
        self.in_use = in_use;
        self.revision = next_revision();
    }

    /// (errors, warnings, infos).
    pub fn totals(&self) -> (usize, usize, usize) {
        let t = |i: usize| self.totals[i] + self.users.totals[i] + self.stations.totals[i];
        (t(0), t(1), t(2))
    }

    pub fn has_errors(&self) -> bool {
        self.totals().0 > 0
    }

    /// Diagnostics of one subject.
    pub fn diagnostics_of(&self, kind: SubjectKind, id: &str) -> &[Diagnostic] {
        self.side(kind).map_or(&[], |side| side.diagnostics_of(id))
    }

    /// Every diagnostic, ordered by severity, code and subject.
    pub fn diagnostics(&self) -> Vec<&Diagnostic> {
        let mut all: Vec<&Diagnostic> = self
            .server_diags
            .iter()
            .chain(self.key_diags.values().flatten())
            .chain(self.users.diags.iter().flatten())
            .chain(self.stations.diags.iter().flatten())
            .collect();
        all.sort_by(|a, b| {
            (a.severity, &a.code, a.subject.kind, &a.subject.id).cmp(&(
                b.severity,
                &b.code,
                b.subject.kind,
                &b.subject.id,
            ))
        });
        all
    }

    /// Licenses Allocation rows: the license's keys in file order, then keys
    /// configured but absent from the license.
    pub fn counts(&self, license: &License) -> Vec<KeyCounts> {
        let mut rows: Vec<KeyCounts> = license.allowances().iter().map(|a| self.row(&a.key, license)).collect();
        let mut extra: Vec<&str> = self
            .users
            .counted_keys()
            .chain(self.stations.counted_keys())
            .map(|(k, _)| k)
            .filter(|k| license.allowance(k).is_none())
            .collect();
        extra.sort_unstable();
        extra.dedup();
        rows.extend(extra.into_iter().map(|k| self.row(k, license)));
        rows
    }

    pub fn row(&self, key: &str, license: &License) -> KeyCounts {
        let c = self.configured(key);
        let allowance = license.allowance(key);
        let (aa, ca) = allowance.map_or((0, 0), |a| (a.assigned, a.pooled));
        let in_use = self.in_use.get(key).copied().unwrap_or(0);
        let mut notes = Vec::new();
        if allowance.is_none() {
            notes.push("Not in the license file".to_string());
        }
        if allowance.is_some() && c.assignable > aa {
            notes.push(format!(
                "Assignable configured ({}) exceeds the {aa} allowed",
                c.assignable
            ));
        }
        if allowance.is_some() && c.concurrent > 0 && ca == 0 {
            notes.push("No concurrent licenses in the license file".to_string());
        } else if c.concurrent > ca && ca > 0 {
            notes.push(format!(
                "Concurrent configured ({}) exceeds the {ca} allowed: at most {ca} at once",
                c.concurrent
            ));
        }
        KeyCounts {
            key: key.to_string(),
            label: catalog::label(key).to_string(),
            assignable_allowed: aa,
            assignable_configured: c.assignable,
            concurrent_allowed: ca,
            concurrent_configured: c.concurrent,
            concurrent_in_use: in_use,
            notes: notes.join("; "),
        }
    }

    /// Compares with a from-scratch build (tests and debug checks).
    pub fn same_as(&self, other: &Engine) -> bool {
        type Counts = HashMap<String, Configured>;
        let configured = |e: &Engine| -> Counts {
            let mut m = Counts::default();
            for (k, c) in e.users.counted_keys().chain(e.stations.counted_keys()) {
                let slot = m.entry(k.to_string()).or_default();
                *slot = add(*slot, c);
            }
            m
        };
        let holders = |e: &Engine| -> BTreeSet<(String, SubjectKind, String)> {
            let mut all = BTreeSet::new();
            for side in [&e.users, &e.stations] {
                for (h, bits) in side.holders.iter().enumerate() {
                    for sid in bits.iter() {
                        let key = side.keys.name(h as u32).to_string();
                        all.insert((key, side.kind, side.ids.name(sid).to_string()));
                    }
                }
            }
            all
        };
        let members = |e: &Engine| -> BTreeSet<(String, String)> {
            let side = &e.users;
            let mut all = BTreeSet::new();
            for (h, m) in side.members.iter().enumerate() {
                for &sid in m {
                    all.insert((
                        side.workgroups.name(h as u32).to_string(),
                        side.ids.name(sid).to_string(),
                    ));
                }
            }
            all
        };
        let diags = |e: &Engine| -> Vec<Diagnostic> { e.diagnostics().into_iter().cloned().collect() };
        configured(self) == configured(other)
            && holders(self) == holders(other)
            && members(self) == members(other)
            && diags(self) == diags(other)
            && self.totals() == other.totals()
    }
}

fn bump(c: &mut Configured, assignable: bool, kind: SubjectKind, sign: i32) {
    let add = |v: &mut u32| {
        *v = if sign > 0 {
            v.saturating_add(1)
        } else {
            v.saturating_sub(1)
        };
    };
    if assignable {
        add(&mut c.assignable);
    } else {
        add(&mut c.concurrent);
    }
    match kind {
        SubjectKind::Station => add(&mut c.stations),
        _ => add(&mut c.users),
    }
}

/// One row of the ordered-item view (AFMT's Account Summary columns).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrderedRow {
    pub part_number: String,
    pub product_category: String,
    pub description: String,
    pub total: i64,
    /// `None` for parts the catalogue does not know.
    pub used: Option<i64>,
    pub available: Option<i64>,
}

impl Engine {
    /// Ordered items with Total / Used / Available. A key's demand (its
    /// assignable configured count plus the concurrent configured count up to
    /// the pool) is served by the parts that expand to it, in file order; a
    /// part's used units are the most any of its keys takes from it. Server
    /// items count as used by the license itself, development systems only
    /// on a development license.
    pub fn ordered_items(&self, license: &License) -> Vec<OrderedRow> {
        use super::parts::{self, PartKind};
        let mut demand: HashMap<&str, i64> = HashMap::default();
        let mut rows = Vec::new();
        for item in &license.file.ordered_items {
            let part = parts::lookup(&item.part_number);
            let used = part.map(|p| {
                if p.kind == PartKind::Server {
                    let dev = p.part_number.contains("-IDS");
                    return if !dev || license.file.level.development_size().is_some() {
                        item.quantity
                    } else {
                        0
                    };
                }
                let mut used = 0;
                for key in p.keys {
                    let left = *demand.entry(key).or_insert_with(|| {
                        let c = self.configured(key);
                        let pooled = license.allowance(key).map_or(0, |a| a.pooled);
                        i64::from(c.assignable) + i64::from(c.concurrent.min(pooled))
                    });
                    used = used.max(left.min(item.quantity));
                }
                for key in p.keys {
                    if let Some(left) = demand.get_mut(key) {
                        *left = (*left - used).max(0);
                    }
                }
                used
            });
            rows.push(OrderedRow {
                part_number: item.part_number.clone(),
                product_category: part.map_or_else(String::new, |p| p.product_category.to_string()),
                description: item.description.clone(),
                total: item.quantity,
                used,
                available: used.map(|u| item.quantity - u),
            });
        }
        rows
    }
}
