//! One side of the engine: the users, or the stations. Subjects, keys and
//! workgroup names get integer handles; counts are vectors, key → holders
//! are bit sets, workgroup → members are handle sets.

use super::*;
use crate::core::names::{MAX_REMEMBERED, address};

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

fn hash_of(name: &str) -> u64 {
    use std::hash::BuildHasher;
    rustc_hash::FxBuildHasher.hash_one(name)
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
    /// Room for `n` names of about `bytes` bytes in all.
    pub(super) fn with_capacity(n: usize, bytes: usize) -> Names {
        Names {
            text: String::with_capacity(bytes),
            ends: Vec::with_capacity(n),
            index: hashbrown::HashTable::with_capacity(n),
        }
    }
    pub(super) fn len(&self) -> usize {
        self.ends.len()
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

/// A set of small integers (subject handles), one bit each.
#[derive(Debug, Clone, Default)]
pub(super) struct Bits {
    pub(super) words: Vec<u64>,
    pub(super) len: usize,
}

impl Bits {
    pub(super) fn insert(&mut self, i: u32) {
        let (w, b) = (i as usize / 64, i % 64);
        if w >= self.words.len() {
            self.words.resize(w + 1, 0);
        }
        if self.words[w] & (1 << b) == 0 {
            self.words[w] |= 1 << b;
            self.len += 1;
        }
    }
    pub(super) fn remove(&mut self, i: u32) {
        let (w, b) = (i as usize / 64, i % 64);
        if let Some(word) = self.words.get_mut(w)
            && *word & (1 << b) != 0
        {
            *word &= !(1 << b);
            self.len -= 1;
        }
    }
    pub(super) fn iter(&self) -> impl Iterator<Item = u32> + '_ {
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
pub(super) struct Contribution {
    pub(super) assignable: bool,
    /// Key handles, then workgroup handles.
    pub(super) handles: Handles,
    pub(super) keys: u16,
}

impl Contribution {
    pub(super) fn new(assignable: bool, handles: &[u32], keys: usize) -> Contribution {
        Contribution {
            assignable,
            handles: Handles::new(handles),
            keys: u16::try_from(keys).unwrap_or(u16::MAX),
        }
    }
    pub(super) fn keys(&self) -> &[u32] {
        &self.handles.as_slice()[..self.keys as usize]
    }
    pub(super) fn workgroups(&self) -> &[u32] {
        &self.handles.as_slice()[self.keys as usize..]
    }
}

/// A subject's handles: inline when few (nearly every subject), so a
/// recount of 200k subjects makes no allocation per subject.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Handles {
    Inline(u8, [u32; INLINE]),
    Heap(Box<[u32]>),
}

pub(super) const INLINE: usize = 7;

impl Handles {
    pub(super) fn new(handles: &[u32]) -> Handles {
        if handles.len() <= INLINE {
            // A fixed-length copy: one of unknown length is a call to
            // memcpy, a tenth of a recount's time for two or three handles.
            let inline: [u32; INLINE] = std::array::from_fn(|i| handles.get(i).copied().unwrap_or(0));
            Handles::Inline(handles.len() as u8, inline)
        } else {
            Handles::Heap(handles.into())
        }
    }
    pub(super) fn as_slice(&self) -> &[u32] {
        match self {
            Handles::Inline(len, inline) => &inline[..*len as usize],
            Handles::Heap(heap) => heap,
        }
    }
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
    pub(super) contributions: Vec<Option<Contribution>>,
    pub(super) configured: Vec<Configured>,
    pub(super) holders: Vec<Bits>,
    /// Workgroup → member handles. Compressed bitmaps: a recount adds
    /// members in handle order (an append), and a workgroup of any size
    /// takes an edit in constant time.
    pub(super) members: Vec<roaring::RoaringBitmap>,
    /// Subjects with diagnostics only (few among 100k): a recount touches
    /// no memory for the others.
    pub(super) diags: HashMap<u32, Vec<Diagnostic>>,
    /// (severity, code) → the (subject handle, index in its list) of each
    /// diagnostic: the Warnings panel's groups, kept as diagnostics change.
    pub(super) by_code: BTreeMap<(Severity, String), BTreeSet<(u32, u16)>>,
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
    pub(super) fn new(kind: SubjectKind, subjects: usize) -> Side {
        Side {
            kind,
            // IDs are short: 16 bytes each is room enough for most.
            ids: Names::with_capacity(subjects, subjects * 16),
            keys: Names::default(),
            workgroups: Names::default(),
            // Room up front: a build appends one per subject.
            contributions: Vec::with_capacity(subjects),
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
        let mut side = Side::new(SubjectKind::User, ws.users().len());
        // Which keys moved does not matter when building from scratch; one
        // list is reused instead of one per subject.
        let mut moved = Vec::new();
        for u in ws.users() {
            let sid = side.ids.intern(&fold_ref(&u.id));
            let c = side.user_contribution(u);
            moved.clear();
            side.add_new(sid, c, &mut moved);
        }
        side
    }

    /// The diagnostics of the users at `first..` (the list's positions
    /// from `first`), in list order, for those that have any (they only
    /// read the workspace, so they are worked out while the counts are).
    pub(super) fn user_diagnostics(
        ws: &Workspace,
        shift: &rules::coverage::ShiftStations,
        users: &[User],
        first: usize,
    ) -> Vec<(usize, Vec<Diagnostic>)> {
        let mut found = Vec::new();
        let mut out = Vec::new();
        let mut lookups = rules::lookups::Lookups::new(ws);
        for (i, u) in users.iter().enumerate() {
            rules::user_diagnostics_with(u, &mut lookups, shift, &mut out);
            if !out.is_empty() {
                found.push((first + i, std::mem::take(&mut out)));
            }
        }
        found
    }

    /// Every station, from scratch.
    pub(super) fn build_stations(ws: &Workspace) -> Side {
        let mut side = Side::new(SubjectKind::Station, ws.stations().len());
        let mut moved = Vec::new();
        let mut lookups = rules::lookups::Lookups::new(ws);
        for s in ws.stations() {
            let sid = side.ids.intern(&fold_ref(&s.id));
            let c = side.station_contribution(s);
            moved.clear();
            side.add_new(sid, c, &mut moved);
            let mut out = Vec::new();
            rules::station_diagnostics_with(s, &mut lookups, &mut out);
            side.set_diags(sid, out);
        }
        side
    }

    pub(super) fn key_handle(&mut self, key: &Name) -> u32 {
        if let Some(&(h, _)) = self.seen.get(&address(key)) {
            return h;
        }
        let h = self.keys.intern(key);
        if h as usize >= self.configured.len() {
            let words = self.contributions.capacity().max(self.contributions.len()) / 64 + 1;
            self.configured.resize(h as usize + 1, Configured::default());
            self.holders.resize_with(h as usize + 1, || Bits {
                words: Vec::with_capacity(words),
                len: 0,
            });
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

    pub(super) fn user_contribution(&mut self, u: &User) -> Contribution {
        let mut handles = std::mem::take(&mut self.scratch);
        handles.clear();
        handles.extend(u.licenses.iter().map(|k| self.key_handle(k)));
        handles.extend(u.workgroups.iter().map(|w| self.workgroup_handle(w)));
        let c = Contribution::new(u.method == Method::Assignable, &handles, u.licenses.len());
        self.scratch = handles;
        c
    }

    pub(super) fn station_contribution(&mut self, s: &Station) -> Contribution {
        let mut handles = std::mem::take(&mut self.scratch);
        handles.clear();
        handles.extend(s.licenses.iter().map(|k| self.key_handle(k)));
        let c = Contribution::new(true, &handles, handles.len());
        self.scratch = handles;
        c
    }

    /// Counts a subject met for the first time in a build (its handle is
    /// the next one): appended, nothing to take back or compare.
    pub(super) fn add_new(&mut self, sid: u32, new: Contribution, moved: &mut Vec<u32>) {
        if sid as usize != self.contributions.len() {
            self.swap(sid, Some(new), moved);
            return;
        }
        for &k in new.keys() {
            bump(&mut self.configured[k as usize], new.assignable, self.kind, 1);
            self.holders[k as usize].insert(sid);
        }
        for &w in new.workgroups() {
            self.members[w as usize].insert(sid);
        }
        self.contributions.push(Some(new));
    }

    /// Replaces a subject's contribution; `moved` gets the keys whose counts
    /// changed.
    pub(super) fn swap(&mut self, sid: u32, new: Option<Contribution>, moved: &mut Vec<u32>) {
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
            self.contributions[at] = Some(new);
        }
    }

    pub(super) fn set_diags(&mut self, sid: u32, new: Vec<Diagnostic>) {
        if new.is_empty() && !self.diags.contains_key(&sid) {
            return;
        }
        count(&mut self.totals, &new, 1);
        for (i, d) in new.iter().enumerate() {
            self.by_code
                .entry((d.severity, d.code.clone()))
                .or_default()
                .insert((sid, i as u16));
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
            let key = (d.severity, d.code.clone());
            if let Some(set) = self.by_code.get_mut(&key) {
                set.remove(&(sid, i as u16));
                if set.is_empty() {
                    self.by_code.remove(&key);
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
