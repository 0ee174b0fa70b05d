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

mod contributions;
mod side;

use side::{Side, count};

use std::collections::{BTreeMap, BTreeSet};

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use chrono::NaiveDate;
use serde::Serialize;

use crate::model::catalog;
use crate::model::diagnostic::{Diagnostic, DiagnosticCode, Severity};
use crate::model::license::License;
use crate::model::subject::SubjectKind;
use crate::model::workspace::{Method, Name, Station, User, Workspace, fold, fold_ref};
use crate::rules::coverage::AcdStations;
use crate::rules::{self, Configured};

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
    /// The license is on subscription: its counts are no limit, and what is
    /// used past them is billed per use (LTR-158-subscription-no-count-limit).
    pub billed_per_use: bool,
}

impl KeyCounts {
    /// Over its limit (highlighted in the view). A subscription license has
    /// no limit.
    pub fn over_limit(&self) -> bool {
        !self.billed_per_use
            && (self.assignable_configured > self.assignable_allowed
                || (self.concurrent_configured > 0 && self.concurrent_allowed == 0))
    }
}

/// What Licenses Allocation and License Statistics say above their tables
/// on a subscription license (seed, Subscription license scenario).
pub const SUBSCRIPTION_NOTE: &str = "Subscription license: the counts are what the license file lists, not limits. \
    \"There's no limit to the number of licenses available or the number of licenses that you can use; regardless \
    of whether you're using the assignable or concurrent allocation method. … Nothing stops multiple users from \
    logging on at the same time when peaks in demand occur.\" Usage is billed per use.";

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
    /// The stations whose ACD licenses may serve any agent.
    shift: AcdStations,
    /// Replayed peak in use per pooled key (alerts compare it with the pool).
    peaks: HashMap<String, u32>,
    /// Default workstation (case-folded) → the users (handles) that have it,
    /// and the reverse.
    homes: HashMap<String, HashSet<u32>>,
    home_of: HashMap<u32, String>,
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
            users: Side::new(SubjectKind::User, 0, false),
            stations: Side::new(SubjectKind::Station, 0, false),
            key_diags: HashMap::default(),
            server_diags: Vec::new(),
            totals: [0; 3],
            in_use: HashMap::default(),
            media_servers: Vec::new(),
            revision: 0,
            pending: Pending::default(),
            shift: AcdStations::default(),
            peaks: HashMap::default(),
            homes: HashMap::default(),
            home_of: HashMap::default(),
        }
    }
}

/// Users whose diagnostics one thread works out at a time during a build.
const USERS_PER_PART: usize = 4096;

/// A user's handle: users were interned in list order, so it is the
/// position; the name check keeps that honest without a lookup.
fn user_sid(side: &Side, i: usize, id: &str) -> Option<u32> {
    let folded = fold_ref(id);
    match u32::try_from(i) {
        Ok(h) if i < side.ids.len() && side.ids.name(h) == folded => Some(h),
        _ => side.ids.get(&folded),
    }
}

/// Files one part's user diagnostics and keeps its default workstations.
fn file_user_pass(users: &mut Side, all: &[User], pass: side::UserPass, homes: &mut Vec<(usize, String)>) {
    for (i, diags) in pass.diags {
        if let Some(u) = all.get(i)
            && let Some(sid) = user_sid(users, i, &u.id)
        {
            users.set_diags(sid, diags);
        }
    }
    homes.extend(pass.homes);
}

impl Engine {
    /// Everything from scratch: users and stations on two threads.
    pub fn build(ws: &Workspace, license: &License, today: NaiveDate) -> Engine {
        // Thread A: the users' counts; thread B: the stations (finding the
        // shift stations on the way, which the user diagnostics need).
        // Then both take the users' diagnostics part by part until none is
        // left — how much a part costs depends on the data (policies may
        // match only some users), so a fixed half each would leave one
        // thread waiting — and thread A files its parts as it goes, so only
        // thread B's are filed after. Each list is read once per pass: at
        // 100k the lists do not fit the cache, and a pass over them is a
        // millisecond of memory.
        let all = ws.users();
        let parts = all.len().div_ceil(USERS_PER_PART);
        let next = std::sync::atomic::AtomicUsize::new(0);
        let claim = || {
            let p = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            (p < parts).then(|| {
                let from = p * USERS_PER_PART;
                (from, &all[from..(from + USERS_PER_PART).min(all.len())])
            })
        };
        let (shift_tx, shift_rx) = std::sync::mpsc::channel();
        let (mut users, stations, shift, passes, mut homes) = std::thread::scope(|scope| {
            let other = scope.spawn(|| {
                let (stations, shift) = Side::build_stations(ws);
                // A closed channel means thread A is gone (a bug); the
                // join below then redoes its part.
                let _ = shift_tx.send(shift.clone());
                let mut lookups = rules::lookups::Lookups::new(ws);
                let mut passes = Vec::new();
                while let Some((from, part)) = claim() {
                    passes.push(Side::user_diagnostics_with(&mut lookups, &shift, part, from));
                }
                (stations, passes)
            });
            let mut users = Side::build_users(ws);
            let shift = shift_rx.recv().unwrap_or_else(|_| AcdStations::of(ws));
            let mut lookups = rules::lookups::Lookups::new(ws);
            let mut homes = Vec::new();
            while let Some((from, part)) = claim() {
                let pass = Side::user_diagnostics_with(&mut lookups, &shift, part, from);
                file_user_pass(&mut users, all, pass, &mut homes);
            }
            // A panic in the other thread is a bug; redo its part here rather
            // than lose the counts (every part: filing one twice changes
            // nothing).
            let (stations, passes) = other.join().unwrap_or_else(|_| {
                (
                    Side::build_stations(ws).0,
                    vec![Side::user_diagnostics(ws, &shift, all, 0)],
                )
            });
            (users, stations, shift, passes, homes)
        });
        for pass in passes {
            file_user_pass(&mut users, all, pass, &mut homes);
        }
        let mut engine = Engine {
            users,
            stations,
            shift,
            ..Engine::default()
        };
        for (i, home) in homes {
            if let Some(u) = all.get(i)
                && let Some(sid) = user_sid(&engine.users, i, &u.id)
            {
                engine.set_home(sid, Some(home));
            }
        }
        engine.refresh(ws, license, today, &Touched::default(), true);
        engine
    }

    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// Sets the revision back after changes that were all undone (a
    /// preview): the caller vouches that everything is as it was then.
    pub fn keep_revision(&mut self, revision: u64) {
        self.revision = revision;
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
        for &sid in &stations {
            let id = self.stations.ids.name(sid);
            let mut out = Vec::new();
            if let Some(s) = ws.station(id) {
                rules::station_diagnostics(s, ws, &mut out);
            }
            self.stations.set_diags(sid, out);
        }
        if !stations.is_empty() {
            self.users_of_changed_stations(ws, &stations, &mut again);
        }
        again.sort_unstable();
        again.dedup();
        for sid in again {
            let id = self.users.ids.name(sid);
            let mut out = Vec::new();
            let user = ws.user(id);
            if let Some(u) = user {
                rules::user_diagnostics(u, ws, &self.shift, &mut out);
            }
            let home = user
                .and_then(|u| u.default_workstation.as_deref())
                .map(|h| fold_ref(h).into_owned());
            self.set_home(sid, home);
            self.users.set_diags(sid, out);
        }
        if all_keys {
            keys.extend(self.users.counted_keys().map(|(k, _)| k.to_string()));
            keys.extend(self.stations.counted_keys().map(|(k, _)| k.to_string()));
            keys.extend(self.key_diags.keys().cloned());
            keys.extend(
                ws.alerts
                    .keys
                    .iter()
                    .map(|k| catalog::canonical(k.key.trim()).to_string()),
            );
        }
        for key in keys {
            let mut out = Vec::new();
            let alert = ws.alerts.of(&key);
            let peak = self.peaks.get(&key).copied();
            rules::key_diagnostics(&key, self.configured(&key), license, alert, peak, &mut out);
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

    /// Users whose ACD coverage may change with these stations: those whose
    /// default workstation is one of them, and, when the shift stations
    /// change, those whose ACD diagnostics depend on them. One pass over the
    /// users, only when stations change.
    fn users_of_changed_stations(&mut self, ws: &Workspace, stations: &[u32], again: &mut Vec<u32>) {
        let changed: Vec<&str> = stations.iter().map(|&sid| self.stations.ids.name(sid)).collect();
        for id in &changed {
            if let Some(users) = self.homes.get(*id) {
                again.extend(users.iter().copied());
            }
        }
        // The capabilities that gained or lost a station: only users whose
        // queues one of them covers can change (an entry removed and put
        // back unchanged is no change at all).
        let touched = self.shift.update(ws, &changed);
        if !touched.is_empty() {
            let mut lookups = rules::lookups::Lookups::new(ws);
            for (&sid, diags) in &self.users.diags {
                if !diags.iter().any(|d| rules::depends_on_acd_stations(d.code)) {
                    continue;
                }
                let mask = ws.user(self.users.ids.name(sid)).map_or(0, |u| {
                    u.workgroups.iter().fold(0, |m, w| m | lookups.workgroup_media(w))
                });
                if touched.iter().any(|c| c.covers(mask)) {
                    again.push(sid);
                }
            }
        }
    }

    /// Records a user's default workstation (case-folded), so a station
    /// edit finds the users it may cover without a pass over all users.
    fn set_home(&mut self, sid: u32, home: Option<String>) {
        if let Some(old) = self.home_of.remove(&sid)
            && let Some(set) = self.homes.get_mut(&old)
        {
            set.remove(&sid);
            if set.is_empty() {
                self.homes.remove(&old);
            }
        }
        if let Some(home) = home {
            self.homes.entry(home.clone()).or_default().insert(sid);
            self.home_of.insert(sid, home);
        }
    }

    /// The stations with ACD licenses the user diagnostics are judged
    /// against.
    pub fn acd_stations(&self) -> &AcdStations {
        &self.shift
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
                self.pending.users.extend(self.users.members[h as usize].iter());
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
            .map_or(0, |m| usize::try_from(m.len()).unwrap_or(usize::MAX))
    }

    pub fn set_media_servers(&mut self, media: Vec<rules::MediaServerStatus>) {
        self.media_servers = media;
    }

    pub fn media_servers(&self) -> &[rules::MediaServerStatus] {
        &self.media_servers
    }

    /// Sets the replayed peaks; true when they changed (the key diagnostics
    /// then need a refresh with every key).
    pub fn set_peaks(&mut self, peaks: HashMap<String, u32>) -> bool {
        if peaks == self.peaks {
            return false;
        }
        self.peaks = peaks;
        true
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
            .chain(self.users.diags.values().flatten())
            .chain(self.stations.diags.values().flatten())
            .collect();
        all.sort_by(|a, b| {
            // The message last: one subject may have a code twice (one per
            // key), and the sides keep their lists in no particular order.
            (a.severity, &a.code, a.subject.kind, &a.subject.id, &a.message).cmp(&(
                b.severity,
                &b.code,
                b.subject.kind,
                &b.subject.id,
                &b.message,
            ))
        });
        all
    }

    /// The Warnings panel's groups: (severity, code, how many), ordered by
    /// severity then code. Cheap: the sides keep their groups as the
    /// diagnostics change, so nothing is cloned or sorted per edit.
    pub fn diagnostic_groups(&self) -> Vec<(Severity, DiagnosticCode, usize)> {
        let mut groups: BTreeMap<(Severity, DiagnosticCode), usize> = BTreeMap::new();
        for d in self.server_diags.iter().chain(self.key_diags.values().flatten()) {
            *groups.entry((d.severity, d.code)).or_default() += 1;
        }
        for side in [&self.users, &self.stations] {
            for (severity, codes) in &side.by_code {
                for (code, set) in codes {
                    *groups.entry((*severity, *code)).or_default() += set.len();
                }
            }
        }
        groups.into_iter().map(|((s, c), n)| (s, c, n)).collect()
    }

    /// The diagnostics of one group, `skip` then at most `take`: the server's
    /// and the keys' first (by key), then users' and stations' (in the order
    /// they were first counted).
    pub fn group_slice(&self, severity: Severity, code: DiagnosticCode, skip: usize, take: usize) -> Vec<&Diagnostic> {
        let same = |d: &&Diagnostic| d.severity == severity && d.code == code;
        let mut keyed: Vec<&Diagnostic> = self.key_diags.values().flatten().filter(same).collect();
        keyed.sort_by(|a, b| a.subject.id.cmp(&b.subject.id));
        let sides = [&self.users, &self.stations].into_iter().flat_map(move |side| {
            side.by_code
                .get(&severity)
                .and_then(|codes| codes.get(&code))
                .into_iter()
                .flatten()
                .filter_map(move |&(sid, i)| side.diags.get(&sid)?.get(i as usize))
        });
        self.server_diags
            .iter()
            .filter(same)
            .chain(keyed)
            .chain(sides)
            .skip(skip)
            .take(take)
            .collect()
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
        let subscription = license.is_subscription();
        if allowance.is_none() {
            notes.push("Not in the license file".to_string());
        }
        match allowance {
            None => {}
            // No count limit on subscription: the notes say what is past the
            // file's counts and why nothing is refused.
            Some(_) if subscription && (c.assignable > aa || c.concurrent > ca || in_use > ca) => {
                notes.push("Past the file's counts: subscription, billed per use".to_string());
            }
            Some(_) if subscription => {}
            Some(_) => {
                if c.assignable > aa {
                    notes.push(format!(
                        "Assignable configured ({}) exceeds the {aa} allowed",
                        c.assignable
                    ));
                }
                if c.concurrent > 0 && ca == 0 {
                    notes.push("No concurrent licenses in the license file".to_string());
                } else if c.concurrent > ca && ca > 0 {
                    notes.push(format!(
                        "Concurrent configured ({}) exceeds the {ca} allowed: at most {ca} at once",
                        c.concurrent
                    ));
                }
            }
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
            billed_per_use: subscription,
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
                for sid in m {
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
