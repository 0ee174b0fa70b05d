//! `NameSet`: the license keys and workgroup names a user or station has.
//!
//! A workspace holds hundreds of thousands of these sets, each with a handful
//! of names drawn from a small vocabulary (a few dozen keys, a few thousand
//! workgroups). A `BTreeSet<String>` spends a 280-byte node per set and a
//! heap string per name; here a set is a sorted vector of shared names, and
//! names read from a file are interned (one allocation per distinct name), so
//! a 100k-user workspace takes a fraction of the memory and the engine's
//! lookups touch a few hot strings instead of a million scattered ones.

use std::cell::RefCell;
use std::fmt;
use std::sync::Arc;

use rustc_hash::FxHashSet;
use serde::de::{SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A shared, immutable name.
pub type Name = Arc<str>;

thread_local! {
    // Per thread, so loading on a worker thread takes no lock; the names
    // outlive the pool because the sets hold their own references.
    static POOL: RefCell<FxHashSet<Name>> = RefCell::new(FxHashSet::default());
}

/// The address of a shared name: caches over one pass key by it (a pointer
/// hash instead of hashing the text). A cache entry must keep a clone of the
/// name, so the address cannot be reused by another name meanwhile.
pub fn address(name: &Name) -> usize {
    Arc::as_ptr(name) as *const u8 as usize
}

/// The most entries such a cache keeps: a hostile file may name millions of
/// distinct things.
pub const MAX_REMEMBERED: usize = 1 << 16;

/// The shared copy of a name (made once per thread per distinct name).
pub fn intern(name: &str) -> Name {
    POOL.with(|pool| {
        let mut pool = pool.borrow_mut();
        if let Some(n) = pool.get(name) {
            return n.clone();
        }
        // A hostile file could name millions of distinct things; past this
        // the pool stops growing and names are simply not shared.
        const MAX_POOLED: usize = 1 << 20;
        let n: Name = Arc::from(name);
        if pool.len() < MAX_POOLED {
            pool.insert(n.clone());
        }
        n
    })
}

/// A sorted set of names without duplicates (exact, case-sensitive order,
/// like the `BTreeSet<String>` it replaces).
#[derive(Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NameSet(Vec<Name>);

impl NameSet {
    pub fn new() -> Self {
        NameSet(Vec::new())
    }

    fn find(&self, name: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|n| (**n).cmp(name))
    }

    /// Adds a name; false when it was already there.
    pub fn insert(&mut self, name: impl AsRef<str>) -> bool {
        let name = name.as_ref();
        match self.find(name) {
            Ok(_) => false,
            Err(at) => {
                self.0.insert(at, intern(name));
                true
            }
        }
    }

    /// Removes a name; false when it was not there.
    pub fn remove(&mut self, name: &str) -> bool {
        match self.find(name) {
            Ok(at) => {
                self.0.remove(at);
                true
            }
            Err(_) => false,
        }
    }

    pub fn contains(&self, name: &str) -> bool {
        self.find(name).is_ok()
    }

    pub fn iter(&self) -> std::slice::Iter<'_, Name> {
        self.0.iter()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn clear(&mut self) {
        self.0.clear();
    }

    pub fn retain(&mut self, mut keep: impl FnMut(&str) -> bool) {
        self.0.retain(|n| keep(n));
    }

    pub fn first(&self) -> Option<&str> {
        self.0.first().map(|n| &**n)
    }

    /// The names of this set that are not in `other`, in order.
    pub fn difference<'a>(&'a self, other: &'a NameSet) -> impl Iterator<Item = &'a Name> + 'a {
        self.0.iter().filter(|n| !other.contains(n))
    }

    /// Every name of this set is also in `other`.
    pub fn is_subset(&self, other: &NameSet) -> bool {
        self.0.iter().all(|n| other.contains(n))
    }

    /// The names as owned strings, in order.
    pub fn to_strings(&self) -> Vec<String> {
        self.0.iter().map(|n| n.to_string()).collect()
    }

    fn from_unsorted(mut names: Vec<Name>) -> NameSet {
        // Written sorted (as saved) is the common case.
        if !names.is_sorted() {
            names.sort_unstable();
        }
        names.dedup();
        if names.capacity() > names.len() {
            names.shrink_to_fit();
        }
        NameSet(names)
    }
}

impl fmt::Debug for NameSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.0.iter()).finish()
    }
}

impl<S: AsRef<str>> FromIterator<S> for NameSet {
    fn from_iter<I: IntoIterator<Item = S>>(iter: I) -> Self {
        NameSet::from_unsorted(iter.into_iter().map(|s| intern(s.as_ref())).collect())
    }
}

impl<S: AsRef<str>> Extend<S> for NameSet {
    fn extend<I: IntoIterator<Item = S>>(&mut self, iter: I) {
        for s in iter {
            self.insert(s);
        }
    }
}

impl<'a> IntoIterator for &'a NameSet {
    type Item = &'a Name;
    type IntoIter = std::slice::Iter<'a, Name>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl IntoIterator for NameSet {
    type Item = Name;
    type IntoIter = std::vec::IntoIter<Name>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<S: AsRef<str>, const N: usize> From<[S; N]> for NameSet {
    fn from(names: [S; N]) -> Self {
        names.into_iter().collect()
    }
}

impl Serialize for NameSet {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(|n| &**n))
    }
}

impl<'de> Deserialize<'de> for NameSet {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Names;
        impl<'de> Visitor<'de> for Names {
            type Value = NameSet;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list of names")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<NameSet, A::Error> {
                // Most sets hold a few names, and a JSON list does not say
                // how many: they are read into a small array first, so the
                // set is allocated once at its size (not grown, then
                // shrunk: two allocations and a copy, 200k times a file).
                const SMALL: usize = 8;
                let mut small: [Option<Name>; SMALL] = Default::default();
                let mut count = 0;
                let mut names: Vec<Name> = Vec::new();
                // Borrowed when the text has no escapes (no temporary String).
                while let Some(name) = seq.next_element::<std::borrow::Cow<'de, str>>()? {
                    let name = intern(&name);
                    if count < SMALL {
                        small[count] = Some(name);
                        count += 1;
                        continue;
                    }
                    if names.is_empty() {
                        names.reserve(SMALL * 2);
                        names.extend(small.iter_mut().filter_map(Option::take));
                    }
                    names.push(name);
                }
                if names.is_empty() && count > 0 {
                    names.reserve_exact(count);
                    names.extend(small.iter_mut().filter_map(Option::take));
                }
                Ok(NameSet::from_unsorted(names))
            }
        }
        deserializer.deserialize_seq(Names)
    }
}

// Case folding of IDs (the workspace, policies and ID patterns share it).

/// Lower-cased id used by the indexes (ids are unique case-insensitively).
pub fn fold(id: &str) -> String {
    fold_ref(id).into_owned()
}

/// Equal once case-folded (`fold`), without a copy when both are ASCII.
pub fn same_ignoring_case(a: &str, b: &str) -> bool {
    // IDs are nearly always written in lower case: one comparison.
    if a == b {
        return true;
    }
    if a.is_ascii() && b.is_ascii() {
        a.eq_ignore_ascii_case(b)
    } else {
        fold_ref(a) == fold_ref(b)
    }
}

/// Case-folds without allocating when the id is already lower case (the
/// common case), for lookups.
pub fn fold_ref(id: &str) -> std::borrow::Cow<'_, str> {
    if id.bytes().all(|b| b.is_ascii() && !b.is_ascii_uppercase()) {
        std::borrow::Cow::Borrowed(id)
    } else {
        std::borrow::Cow::Owned(id.to_lowercase())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn behaves_like_a_sorted_set() {
        let mut s = NameSet::new();
        assert!(s.insert("b"));
        assert!(s.insert("a"));
        assert!(!s.insert("b"));
        assert_eq!(s.to_strings(), ["a", "b"]);
        assert!(s.contains("a") && !s.contains("A"));
        assert!(s.remove("a") && !s.remove("a"));
        assert_eq!(s.len(), 1);
        let t: NameSet = ["c", "b", "c"].into_iter().collect();
        assert_eq!(t.to_strings(), ["b", "c"]);
        assert!(s.is_subset(&t));
    }

    #[test]
    fn reads_and_writes_a_json_list_and_shares_names() {
        let a: NameSet = serde_json::from_str(r#"["I3_B","I3_A","I3_B"]"#).expect("list");
        let b: NameSet = serde_json::from_str(r#"["I3_A"]"#).expect("list");
        assert_eq!(serde_json::to_string(&a).expect("json"), r#"["I3_A","I3_B"]"#);
        assert!(Arc::ptr_eq(&a.0[0], &b.0[0]));
        assert!(serde_json::from_str::<NameSet>(r#"["a", 1]"#).is_err());
    }
}
