//! One side of the engine: the users, or the stations. Subjects, keys and
//! workgroup names get integer handles; counts are vectors, key → holders
//! are bit sets, workgroup → members are handle sets.

use super::contributions::{Contribution, Contributions};
use super::*;
use crate::model::names::{MAX_REMEMBERED, address};

/// Distinct names with a handle each (handles are never reused, so a removed
/// subject's handle stays valid and simply holds nothing).
///
/// The names are kept one after another in one string and the index holds
/// only handles: a recount of 100k subjects makes no allocation per name,
/// and the index is 4 bytes a slot instead of a shared string and a handle
/// (the memory a recount touches is much of its cost, see
/// docs/performance.md).
#[derive(Debug, Clone, Default)]
pub(super) struct Names {
    text: String,
    /// Where each name ends in `text`; it starts where the previous ends.
    ends: Vec<u32>,
    index: hashbrown::HashTable<u32>,
}

/// The workspace's ID index hashes the same way, so a build can adopt a
/// copy of it (`Names::adopt`).
fn hash_of(name: &str) -> u64 {
    crate::model::workspace::id_hash(name)
}

/// The name of handle `h` in `text` (split from `Names` so the index can be
/// borrowed mutably meanwhile).
fn name_in<'a>(text: &'a str, ends: &[u32], h: u32) -> &'a str {
    let i = h as usize;
    let Some(&end) = ends.get(i) else { return "" };
    let start = if i == 0 { 0 } else { ends[i - 1] };
    text.get(start as usize..end as usize).unwrap_or("")
}

impl Names {
    /// Room for `n` names of about `bytes` bytes in all, `indexed` of
    /// them in the index.
    pub(super) fn with_capacity(n: usize, bytes: usize, indexed: usize) -> Names {
        Names {
            text: String::with_capacity(bytes),
            ends: Vec::with_capacity(n),
            index: hashbrown::HashTable::with_capacity(indexed),
        }
    }
    pub(super) fn len(&self) -> usize {
        self.ends.len()
    }
    /// Appends a name known to be new without indexing it: a build whose
    /// index is a copy of the workspace's pushes the IDs in list order, then
    /// `adopt`s the copy.
    pub(super) fn push_unindexed(&mut self, name: &str) -> u32 {
        let h = u32::try_from(self.ends.len()).unwrap_or(u32::MAX);
        self.text.push_str(name);
        self.ends.push(u32::try_from(self.text.len()).unwrap_or(u32::MAX));
        h
    }
    /// Takes `index` as the index of the names pushed so far: it must hold
    /// each handle once, hashed by `hash_of` of its name.
    pub(super) fn adopt(&mut self, index: hashbrown::HashTable<u32>) {
        self.index = index;
        // Every test that builds an engine checks the workspace kept its
        // index true (the release build trusts it: `user_pos` does too).
        #[cfg(debug_assertions)]
        for h in 0..self.ends.len() as u32 {
            debug_assert_eq!(self.get(self.name(h)), Some(h), "adopted index misses {}", self.name(h));
        }
    }
    pub(super) fn get(&self, name: &str) -> Option<u32> {
        self.index
            .find(hash_of(name), |&h| name_in(&self.text, &self.ends, h) == name)
            .copied()
    }
    pub(super) fn intern(&mut self, name: &str) -> u32 {
        let hash = hash_of(name);
        let Names { text, ends, index } = self;
        if let Some(&h) = index.find(hash, |&h| name_in(text, ends, h) == name) {
            return h;
        }
        self.push(hash, name)
    }
    fn push(&mut self, hash: u64, name: &str) -> u32 {
        let h = u32::try_from(self.ends.len()).unwrap_or(u32::MAX);
        self.text.push_str(name);
        self.ends.push(u32::try_from(self.text.len()).unwrap_or(u32::MAX));
        let Names { text, ends, index } = self;
        index.insert_unique(hash, h, |&h| hash_of(name_in(text, ends, h)));
        h
    }
    pub(super) fn name(&self, h: u32) -> &str {
        name_in(&self.text, &self.ends, h)
    }
}

/// The holders of one key (subject handles): a sorted list while few, one
/// bit per subject once many. A bit set for every key took keys × subjects
/// / 8 bytes, which a file naming 70k distinct keys, one per user, made
/// 1.2 GB; a list grows with the holders only, and only keys with more than
/// `FEW` holders — at most one per `FEW` assignments — pay for a bit set.
#[derive(Debug, Clone)]
pub(super) enum Holders {
    Few(Vec<u32>),
    Many(Bits),
}

const FEW: usize = 1024;

impl Default for Holders {
    fn default() -> Self {
        Holders::Few(Vec::new())
    }
}

impl Holders {
    pub(super) fn insert(&mut self, i: u32) {
        match self {
            Holders::Few(list) => {
                // A build adds in handle order: the place is the end.
                if list.last().is_none_or(|&last| last < i) {
                    list.push(i);
                } else if let Err(at) = list.binary_search(&i) {
                    list.insert(at, i);
                }
                if list.len() > FEW {
                    let mut bits = Bits::default();
                    for &h in list.iter() {
                        bits.insert(h);
                    }
                    *self = Holders::Many(bits);
                }
            }
            Holders::Many(bits) => bits.insert(i),
        }
    }
    pub(super) fn remove(&mut self, i: u32) {
        match self {
            Holders::Few(list) => {
                if let Ok(at) = list.binary_search(&i) {
                    list.remove(at);
                }
            }
            Holders::Many(bits) => bits.remove(i),
        }
    }
    /// In handle order.
    pub(super) fn iter(&self) -> Box<dyn Iterator<Item = u32> + '_> {
        match self {
            Holders::Few(list) => Box::new(list.iter().copied()),
            Holders::Many(bits) => Box::new(bits.iter()),
        }
    }
}

/// A set of small integers (subject handles), one bit each.
#[derive(Debug, Clone, Default)]
pub(super) struct Bits {
    words: Vec<u64>,
}

impl Bits {
    fn insert(&mut self, i: u32) {
        let (w, b) = (i as usize / 64, i % 64);
        if w >= self.words.len() {
            self.words.resize(w + 1, 0);
        }
        self.words[w] |= 1 << b;
    }
    fn remove(&mut self, i: u32) {
        let (w, b) = (i as usize / 64, i % 64);
        if let Some(word) = self.words.get_mut(w) {
            *word &= !(1 << b);
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

/// A contribution just made by `user_contribution` or `station_contribution`:
/// its handles are in `Side::scratch`.
#[derive(Debug, Clone, Copy)]
pub(super) struct Made {
    assignable: bool,
    keys: usize,
}

/// What a pass over some users found: the diagnostics of those that have
/// any and the default workstations (case-folded) of those that have one,
/// by position in the list.
#[derive(Debug, Default)]
pub(super) struct UserPass {
    pub(super) diags: Vec<(usize, Vec<Diagnostic>)>,
    pub(super) homes: Vec<(usize, String)>,
}

/// The derived data of one kind of subject (users or stations).
#[derive(Debug, Clone)]
pub(super) struct Side {
    pub(super) kind: SubjectKind,
    /// Case-folded subject ids.
    pub(super) ids: Names,
    /// License keys as written.
    pub(super) keys: Names,
    /// Case-folded workgroup names (users only).
    pub(super) workgroups: Names,
    pub(super) contributions: Contributions,
    pub(super) configured: Vec<Configured>,
    pub(super) holders: Vec<Holders>,
    /// Workgroup → member handles. Compressed bitmaps: a recount adds
    /// members in handle order (an append), and a workgroup of any size
    /// takes an edit in constant time.
    pub(super) members: Vec<roaring::RoaringBitmap>,
    /// Subjects with diagnostics only (few among 100k): a recount touches
    /// no memory for the others.
    pub(super) diags: HashMap<u32, Vec<Diagnostic>>,
    /// (severity, code) → the (subject handle, index in its list) of each
    /// diagnostic: the Warnings panel's groups, kept as diagnostics change.
    /// (Severity, then code: looked up by the code's text, no copy made
    /// per diagnostic.)
    pub(super) by_code: BTreeMap<Severity, BTreeMap<DiagnosticCode, BTreeSet<(u32, u16)>>>,
    pub(super) totals: [usize; 3],
    /// Handles by the address of a shared name: names read from a file are
    /// interned, so most lookups hash a pointer instead of comparing text
    /// (and touch no reference count another thread also touches). Each
    /// entry keeps its name alive, so the address cannot be reused meanwhile.
    pub(super) seen: HashMap<usize, (u32, Name)>,
    pub(super) seen_workgroups: HashMap<usize, (u32, Name)>,
    /// Reused while making a contribution.
    pub(super) scratch: Vec<u32>,
}

pub(super) fn severity_index(s: Severity) -> usize {
    match s {
        Severity::Error => 0,
        Severity::Warning => 1,
        Severity::Info => 2,
    }
}

pub(super) fn count(totals: &mut [usize; 3], diags: &[Diagnostic], sign: i64) {
    for d in diags {
        let slot = &mut totals[severity_index(d.severity)];
        *slot = if sign > 0 { *slot + 1 } else { slot.saturating_sub(1) };
    }
}

impl Side {
    /// Room for `subjects`; `index_ids`: room in the ID index too (not
    /// needed when the build adopts the workspace's).
    pub(super) fn new(kind: SubjectKind, subjects: usize, index_ids: bool) -> Side {
        Side {
            kind,
            // IDs are short: 16 bytes each is room enough for most.
            ids: Names::with_capacity(subjects, subjects * 16, if index_ids { subjects } else { 0 }),
            keys: Names::default(),
            workgroups: Names::default(),
            // Room up front: a build appends one per subject (users hold
            // two keys and a workgroup or so, stations one key).
            contributions: Contributions::with_capacity(subjects, 3),
            configured: Vec::new(),
            holders: Vec::new(),
            members: Vec::new(),
            diags: HashMap::default(),
            by_code: BTreeMap::new(),
            totals: [0; 3],
            seen: HashMap::default(),
            seen_workgroups: HashMap::default(),
            scratch: Vec::new(),
        }
    }

    /// Every user's counts, from scratch (diagnostics: `user_diagnostics`).
    pub(super) fn build_users(ws: &Workspace) -> Side {
        let users = ws.users();
        let adopted = ws.user_index().table_of_every(users.len());
        let mut side = Side::new(SubjectKind::User, users.len(), adopted.is_none());
        let mut members = Vec::with_capacity(users.len());
        for u in users {
            let sid = side.id_handle(&u.id, adopted.is_some());
            let c = side.user_contribution(u);
            side.add_new(sid, c, &mut members);
        }
        if let Some(index) = adopted {
            side.ids.adopt(index.clone());
        }
        side.add_members(&members);
        side
    }

    /// Adds (workgroup, subject) pairs gathered in handle order to the
    /// members, one workgroup at a time: at 100k users inserting each pair
    /// as it comes touches 2,000 bitmaps at random, a cache miss apiece;
    /// sorted by workgroup (a counting sort, which keeps the handle order),
    /// each bitmap is built in one go.
    fn add_members(&mut self, pairs: &[(u32, u32)]) {
        let mut starts = vec![0usize; self.members.len() + 1];
        for &(w, _) in pairs {
            starts[w as usize + 1] += 1;
        }
        for i in 1..starts.len() {
            starts[i] += starts[i - 1];
        }
        let mut next = starts.clone();
        let mut sorted = vec![0u32; pairs.len()];
        for &(w, sid) in pairs {
            sorted[next[w as usize]] = sid;
            next[w as usize] += 1;
        }
        for (w, bitmap) in self.members.iter_mut().enumerate() {
            // Each once: a user may name one workgroup twice in different
            // case (the handles are in order, so a repeat is adjacent).
            let run = &sorted[starts[w]..starts[w + 1]];
            let sids = || {
                let mut last = None;
                run.iter().copied().filter(move |&sid| {
                    let new = last != Some(sid);
                    last = Some(sid);
                    new
                })
            };
            // Strictly increasing, so building cannot fail; if it did, the
            // inserts below would still be right.
            if bitmap.is_empty()
                && let Ok(built) = roaring::RoaringBitmap::from_sorted_iter(sids())
            {
                *bitmap = built;
                continue;
            }
            bitmap.extend(sids());
        }
    }

    /// The handle of the next subject's ID in a build: the next one, when
    /// the workspace's index is adopted afterwards (every ID distinct), or
    /// interned.
    fn id_handle(&mut self, id: &str, adopting: bool) -> u32 {
        if adopting {
            self.ids.push_unindexed(&fold_ref(id))
        } else {
            self.ids.intern(&fold_ref(id))
        }
    }

    /// The diagnostics of the users at `first..` (the list's positions
    /// from `first`), in list order, for those that have any, and their
    /// default workstations (they only read the workspace, so they are
    /// worked out while the counts are).
    pub(super) fn user_diagnostics(
        ws: &Workspace,
        shift: &rules::coverage::AcdStations,
        users: &[User],
        first: usize,
    ) -> UserPass {
        Side::user_diagnostics_with(&mut rules::lookups::Lookups::new(ws), shift, users, first)
    }

    /// `user_diagnostics` with the lookups of a pass over several parts.
    pub(super) fn user_diagnostics_with(
        lookups: &mut rules::lookups::Lookups,
        shift: &rules::coverage::AcdStations,
        users: &[User],
        first: usize,
    ) -> UserPass {
        let mut pass = UserPass::default();
        let mut out = Vec::new();
        for (i, u) in users.iter().enumerate() {
            rules::user_diagnostics_with(u, lookups, shift, &mut out);
            if !out.is_empty() {
                // Moved into a list exactly as long as needed (most users
                // with diagnostics have one); the scratch list is kept.
                let mut exact = Vec::with_capacity(out.len());
                exact.append(&mut out);
                pass.diags.push((first + i, exact));
            }
            if let Some(home) = &u.default_workstation {
                pass.homes.push((first + i, fold_ref(home).into_owned()));
            }
        }
        pass
    }

    /// Every station, from scratch, and the stations with ACD licenses that
    /// may serve any agent among them.
    pub(super) fn build_stations(ws: &Workspace) -> (Side, rules::coverage::AcdStations) {
        let stations = ws.stations();
        let adopted = ws.station_index().table_of_every(stations.len());
        let mut side = Side::new(SubjectKind::Station, stations.len(), adopted.is_none());
        let mut lookups = rules::lookups::Lookups::new(ws);
        let mut serving = Vec::new();
        for s in stations {
            let sid = side.id_handle(&s.id, adopted.is_some());
            let c = side.station_contribution(s);
            // Stations belong to no workgroup.
            side.add_new(sid, c, &mut Vec::new());
            let mut out = Vec::new();
            rules::station_diagnostics_with(s, &mut lookups, &mut out);
            side.set_diags(sid, out);
            if rules::coverage::serves_agents(s) {
                serving.push(s);
            }
        }
        if let Some(index) = adopted {
            side.ids.adopt(index.clone());
        }
        let acd = rules::coverage::AcdStations::of_stations(serving, |k| lookups.key(k).and_then(|i| i.acd_level));
        (side, acd)
    }

    pub(super) fn key_handle(&mut self, key: &Name) -> u32 {
        if let Some(&(h, _)) = self.seen.get(&address(key)) {
            return h;
        }
        let h = self.keys.intern(key);
        if h as usize >= self.configured.len() {
            self.configured.resize(h as usize + 1, Configured::default());
            self.holders.resize_with(h as usize + 1, Holders::default);
        }
        self.remember(key, h);
        h
    }

    pub(super) fn workgroup_handle(&mut self, name: &Name) -> u32 {
        if let Some(&(h, _)) = self.seen_workgroups.get(&address(name)) {
            return h;
        }
        let h = self.workgroups.intern(&fold_ref(name));
        if h as usize >= self.members.len() {
            self.members.resize_with(h as usize + 1, roaring::RoaringBitmap::new);
        }
        if self.seen_workgroups.len() < MAX_REMEMBERED {
            self.seen_workgroups.insert(address(name), (h, name.clone()));
        }
        h
    }

    pub(super) fn remember(&mut self, key: &Name, h: u32) {
        if self.seen.len() < MAX_REMEMBERED {
            self.seen.insert(address(key), (h, key.clone()));
        }
    }

    /// Puts the user's handles in `scratch`.
    pub(super) fn user_contribution(&mut self, u: &User) -> Made {
        let mut handles = std::mem::take(&mut self.scratch);
        handles.clear();
        handles.extend(u.licenses.iter().map(|k| self.key_handle(k)));
        handles.extend(u.workgroups.iter().map(|w| self.workgroup_handle(w)));
        self.scratch = handles;
        Made {
            assignable: u.method == Method::Assignable,
            keys: u.licenses.len(),
        }
    }

    /// Puts the station's handles in `scratch`.
    pub(super) fn station_contribution(&mut self, s: &Station) -> Made {
        let mut handles = std::mem::take(&mut self.scratch);
        handles.clear();
        handles.extend(s.licenses.iter().map(|k| self.key_handle(k)));
        self.scratch = handles;
        Made {
            assignable: true,
            keys: s.licenses.len(),
        }
    }

    /// Counts a subject met for the first time in a build (its handle is
    /// the next one): appended, nothing to take back or compare. Its
    /// workgroups go to `members` as (workgroup, subject) for `add_members`.
    pub(super) fn add_new(&mut self, sid: u32, made: Made, members: &mut Vec<(u32, u32)>) {
        if sid as usize != self.contributions.len() {
            // An ID met again (a workspace with a repeated ID): the pairs
            // gathered so far go in first, so the swap takes back what the
            // earlier one added.
            // Which keys moved does not matter when building from scratch.
            self.add_members(members);
            members.clear();
            self.swap(sid, Some(made), &mut Vec::new());
            return;
        }
        let new = Contribution {
            assignable: made.assignable,
            handles: &self.scratch,
            keys: made.keys,
        };
        for &k in new.keys() {
            bump(&mut self.configured[k as usize], new.assignable, self.kind, 1);
            self.holders[k as usize].insert(sid);
        }
        members.extend(new.workgroups().iter().map(|&w| (w, sid)));
        self.contributions.push(new);
    }

    /// Replaces a subject's contribution (`None`: it no longer exists);
    /// `moved` gets the keys whose counts changed.
    pub(super) fn swap(&mut self, sid: u32, made: Option<Made>, moved: &mut Vec<u32>) {
        let new = made.map(|m| Contribution {
            assignable: m.assignable,
            handles: &self.scratch,
            keys: m.keys,
        });
        let old = self.contributions.get(sid);
        if old == new {
            return;
        }
        let kind = self.kind;
        if let Some(old) = old {
            for &k in old.keys() {
                bump(&mut self.configured[k as usize], old.assignable, kind, -1);
                self.holders[k as usize].remove(sid);
                moved.push(k);
            }
            for &w in old.workgroups() {
                self.members[w as usize].remove(sid);
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
        }
        self.contributions.set(sid, new);
    }

    pub(super) fn set_diags(&mut self, sid: u32, new: Vec<Diagnostic>) {
        if new.is_empty() && !self.diags.contains_key(&sid) {
            return;
        }
        count(&mut self.totals, &new, 1);
        for (i, d) in new.iter().enumerate() {
            let codes = self.by_code.entry(d.severity).or_default();
            match codes.get_mut(&d.code) {
                Some(set) => {
                    set.insert((sid, i as u16));
                }
                None => {
                    codes.insert(d.code, BTreeSet::from([(sid, i as u16)]));
                }
            }
        }
        let old = if new.is_empty() {
            self.diags.remove(&sid).unwrap_or_default()
        } else {
            self.diags.insert(sid, new).unwrap_or_default()
        };
        count(&mut self.totals, &old, -1);
        let now = self.diags.get(&sid).map_or(&[][..], Vec::as_slice);
        for (i, d) in old.iter().enumerate() {
            // Entries the new list has at the same place under the same
            // code stay.
            if now.get(i).is_some_and(|n| n.severity == d.severity && n.code == d.code) {
                continue;
            }
            if let Some(codes) = self.by_code.get_mut(&d.severity) {
                if let Some(set) = codes.get_mut(&d.code) {
                    set.remove(&(sid, i as u16));
                    if set.is_empty() {
                        codes.remove(&d.code);
                    }
                }
                if codes.is_empty() {
                    self.by_code.remove(&d.severity);
                }
            }
        }
    }

    /// Re-reads the touched subjects (folded ids); returns the handles of
    /// users whose diagnostics need recomputing and adds the names of keys
    /// whose counts moved.
    pub(super) fn refresh_subjects(
        &mut self,
        ws: &Workspace,
        ids: &BTreeSet<String>,
        keys: &mut HashSet<String>,
    ) -> Vec<u32> {
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

    pub(super) fn configured(&self, key: &str) -> Configured {
        self.keys
            .get(key)
            .and_then(|h| self.configured.get(h as usize))
            .copied()
            .unwrap_or_default()
    }

    pub(super) fn diagnostics_of(&self, id: &str) -> &[Diagnostic] {
        self.ids
            .get(&fold_ref(id))
            .and_then(|h| self.diags.get(&h))
            .map_or(&[], Vec::as_slice)
    }

    pub(super) fn holders(&self, key: &str) -> impl Iterator<Item = (SubjectKind, &str)> {
        self.keys
            .get(key)
            .and_then(|h| self.holders.get(h as usize))
            .into_iter()
            .flat_map(|bits| bits.iter())
            .map(|sid| (self.kind, self.ids.name(sid)))
    }

    pub(super) fn members(&self, workgroup: &str) -> Vec<&str> {
        let mut out: Vec<&str> = self
            .workgroups
            .get(&fold_ref(workgroup))
            .and_then(|h| self.members.get(h as usize))
            .into_iter()
            .flatten()
            .map(|sid| self.ids.name(sid))
            .collect();
        out.sort_unstable();
        out
    }

    /// Every key with a non-zero count on this side.
    pub(super) fn counted_keys(&self) -> impl Iterator<Item = (&str, Configured)> {
        self.configured
            .iter()
            .enumerate()
            .filter(|(_, c)| **c != Configured::default())
            .map(|(h, c)| (self.keys.name(h as u32), *c))
    }
}
