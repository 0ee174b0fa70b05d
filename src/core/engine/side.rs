//! One side of the engine: the users, or the stations. Subjects, keys and
//! workgroup names get integer handles; counts are vectors, key → holders
//! are bit sets, workgroup → members are handle sets.

use super::*;

/// Distinct names with a handle each (handles are never reused, so a removed
/// subject's handle stays valid and simply holds nothing).
#[derive(Debug, Clone, Default)]
pub(super) struct Names {
    // One allocation per name, shared by the index and the list.
    pub(super) index: HashMap<Arc<str>, u32>,
    pub(super) names: Vec<Arc<str>>,
}

impl Names {
    pub(super) fn with_capacity(n: usize) -> Names {
        let mut index = HashMap::default();
        index.reserve(n);
        Names {
            index,
            names: Vec::with_capacity(n),
        }
    }
    pub(super) fn get(&self, name: &str) -> Option<u32> {
        self.index.get(name).copied()
    }
    pub(super) fn intern(&mut self, name: &str) -> u32 {
        if let Some(&h) = self.index.get(name) {
            return h;
        }
        let h = u32::try_from(self.names.len()).unwrap_or(u32::MAX);
        let name: Arc<str> = name.into();
        self.names.push(name.clone());
        self.index.insert(name, h);
        h
    }
    /// `intern` for a name not seen yet (a build from the loader's checked,
    /// unique IDs): one hash insert instead of a lookup then an insert. A
    /// name seen after all keeps its first handle.
    pub(super) fn intern_new(&mut self, name: &str) -> u32 {
        let h = u32::try_from(self.names.len()).unwrap_or(u32::MAX);
        let name: Arc<str> = name.into();
        match self.index.insert(name.clone(), h) {
            None => {
                self.names.push(name);
                h
            }
            Some(first) => {
                self.index.insert(name, first);
                first
            }
        }
    }
    pub(super) fn name(&self, h: u32) -> &str {
        self.names.get(h as usize).map_or("", |s| s)
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
            let mut inline = [0; INLINE];
            inline[..handles.len()].copy_from_slice(handles);
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
    pub(super) members: Vec<HashSet<u32>>,
    pub(super) diags: Vec<Vec<Diagnostic>>,
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

/// Bounds the address caches (names made one by one by edits are not shared).
pub(super) const MAX_SEEN: usize = 1 << 16;

pub(super) fn address(name: &Name) -> usize {
    Arc::as_ptr(name) as *const u8 as usize
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
            ids: Names::with_capacity(subjects),
            keys: Names::default(),
            workgroups: Names::default(),
            // Sized up front: a build fills every slot.
            contributions: vec![None; subjects],
            configured: Vec::new(),
            holders: Vec::new(),
            members: Vec::new(),
            diags: std::iter::repeat_with(Vec::new).take(subjects).collect(),
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
            let sid = side.ids.intern_new(&fold_ref(&u.id));
            let c = side.user_contribution(u);
            moved.clear();
            side.swap(sid, Some(c), &mut moved);
        }
        side
    }

    /// Every user's diagnostics, in list order (they only read the
    /// workspace, so they are worked out while the counts are).
    pub(super) fn user_diagnostics(
        ws: &Workspace,
        shift: &rules::coverage::ShiftStations,
        users: &[User],
    ) -> Vec<Vec<Diagnostic>> {
        users
            .iter()
            .map(|u| {
                let mut out = Vec::new();
                rules::user_diagnostics(u, ws, shift, &mut out);
                out
            })
            .collect()
    }

    /// Every station, from scratch.
    pub(super) fn build_stations(ws: &Workspace) -> Side {
        let mut side = Side::new(SubjectKind::Station, ws.stations().len());
        let mut moved = Vec::new();
        for s in ws.stations() {
            let sid = side.ids.intern_new(&fold_ref(&s.id));
            let c = side.station_contribution(s);
            moved.clear();
            side.swap(sid, Some(c), &mut moved);
            let mut out = Vec::new();
            rules::station_diagnostics(s, ws, &mut out);
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

    pub(super) fn workgroup_handle(&mut self, name: &Name) -> u32 {
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

    pub(super) fn remember(&mut self, key: &Name, h: u32) {
        if self.seen.len() < MAX_SEEN {
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

    pub(super) fn set_diags(&mut self, sid: u32, new: Vec<Diagnostic>) {
        let at = sid as usize;
        if at >= self.diags.len() {
            self.diags.resize_with(at + 1, Vec::new);
        }
        if self.diags[at].is_empty() && new.is_empty() {
            return;
        }
        count(&mut self.totals, &new, 1);
        for (i, d) in new.iter().enumerate() {
            self.by_code
                .entry((d.severity, d.code.clone()))
                .or_default()
                .insert((sid, i as u16));
        }
        let old = std::mem::replace(&mut self.diags[at], new);
        count(&mut self.totals, &old, -1);
        let now = self.diags[at].len();
        for (i, d) in old.iter().enumerate() {
            // Entries the new list has at the same place under the same
            // code stay.
            if i < now && self.diags[at][i].severity == d.severity && self.diags[at][i].code == d.code {
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
            .and_then(|h| self.diags.get(h as usize))
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
            .map(|&sid| self.ids.name(sid))
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
