//! The case-insensitive ID index of users and stations: list positions in
//! a hash table keyed by the folded ID of the record at each position.
//!
//! The index holds 4 bytes per record and no copy of the IDs: at 100k users
//! its table fits in the processor's cache, where one of folded `String`
//! keys (100k allocations, 32 bytes a slot) did not, and loading spent more
//! time inserting into it than reading the records (docs/performance.md).
//! Every entry must point at a record whose ID is the one it was hashed
//! under, so the workspace changes entries *before* it moves or renames
//! records (`remove_at`) and adds them after (`insert`).

use std::hash::BuildHasher;

use super::{Record, fold_ref, same_ignoring_case};

#[derive(Debug, Clone, Default)]
pub struct IdIndex {
    table: hashbrown::HashTable<u32>,
}

/// The hash of a folded ID. The engine's index of subject IDs uses the same
/// one, so a recount can start from a copy of this table instead of hashing
/// every ID again (`IdIndex::table_of_every`).
pub fn hash(folded: &str) -> u64 {
    rustc_hash::FxBuildHasher.hash_one(folded)
}

/// `of_distinct` inserts in 2^8 runs.
const RUNS_LOG2: u32 = 8;

fn position(p: u32) -> usize {
    p as usize
}

impl IdIndex {
    pub fn with_capacity(n: usize) -> IdIndex {
        IdIndex {
            table: hashbrown::HashTable::with_capacity(n),
        }
    }

    /// Every record of `list` by position; a repeated ID keeps its first
    /// position (the loader reports repeats before building one).
    pub fn of<R: Record>(list: &[R]) -> IdIndex {
        let mut index = IdIndex::with_capacity(list.len());
        for pos in 0..list.len() {
            let _ = index.insert(list, pos);
        }
        index
    }

    /// Every record of `list`, keyed by `key`, whose `hashes` (by position,
    /// `hash` of the folded key) were noted while it was read; `None` when
    /// two keys are the same ignoring case (the caller then goes record by
    /// record, which says where).
    ///
    /// The entries go in in the order of their place in the table rather
    /// than the list's, and the records themselves are not read: at 100k
    /// records neither the table nor the list fits the processor's cache,
    /// and inserting in list order was a cache miss per record or two (a
    /// load spent more time on its three indexes than on any other check).
    /// The positions are first sorted into 256 runs by the part of the
    /// table they fall in (a counting sort), so each run writes into one
    /// small stretch of it.
    pub fn from_hashes<T>(list: &[T], hashes: &[u64], key: impl Fn(&T) -> &str) -> Option<IdIndex> {
        let n = list.len();
        if hashes.len() != n || u32::try_from(n).is_err() {
            return None;
        }
        // Every test that loads a file checks the hashes are the index's own.
        #[cfg(debug_assertions)]
        for (p, &h) in hashes.iter().enumerate() {
            debug_assert_eq!(h, hash(&fold_ref(key(&list[p]))), "noted hash of record {p}");
        }
        let mut table = hashbrown::HashTable::with_capacity(n);
        // hashbrown starts probing at `hash & (buckets - 1)`; its buckets
        // are a power of two at most 7/8 full. (Only the speed depends on
        // getting this right.)
        let buckets = (table.capacity().saturating_mul(8) / 7).next_power_of_two().max(1);
        let shift = buckets.trailing_zeros().saturating_sub(RUNS_LOG2);
        let run = |h: u64| ((h & (buckets as u64 - 1)) >> shift) as usize;
        let mut starts = vec![0usize; (1 << RUNS_LOG2) + 1];
        for &h in hashes {
            starts[run(h) + 1] += 1;
        }
        for i in 1..starts.len() {
            starts[i] += starts[i - 1];
        }
        let mut sorted = vec![(0u64, 0u32); n];
        for (p, &h) in hashes.iter().enumerate() {
            let slot = &mut starts[run(h)];
            sorted[*slot] = (h, p as u32);
            *slot += 1;
        }
        let folded = |p: u32| fold_ref(key(&list[position(p)]));
        for &(h, p) in &sorted {
            // A record is read only when the table holds a key with the
            // same hash bits (rare).
            if table
                .find(h, |&q| same_ignoring_case(key(&list[position(q)]), &folded(p)))
                .is_some()
            {
                return None;
            }
            table.insert_unique(h, p, |&q| hash(&folded(q)));
        }
        Some(IdIndex { table })
    }

    pub fn len(&self) -> usize {
        self.table.len()
    }

    /// The table itself — positions hashed by `hash` of the folded ID there —
    /// when it holds every one of a list of `len` records (no ID repeated);
    /// the engine copies it as its own index of that list's IDs, whose
    /// handles are then the positions.
    pub fn table_of_every(&self, len: usize) -> Option<&hashbrown::HashTable<u32>> {
        (self.table.len() == len).then_some(&self.table)
    }

    pub fn is_empty(&self) -> bool {
        self.table.is_empty()
    }

    /// The position of the record with this ID (ignoring case).
    pub fn get<R: Record>(&self, list: &[R], id: &str) -> Option<usize> {
        let folded = fold_ref(id);
        self.table
            .find(hash(&folded), |&p| {
                list.get(position(p))
                    .is_some_and(|r| same_ignoring_case(r.id(), &folded))
            })
            .map(|&p| position(p))
    }

    /// Adds `list[pos]`; when another position already has its ID (ignoring
    /// case), nothing is added and that position is returned.
    pub fn insert<R: Record>(&mut self, list: &[R], pos: usize) -> Result<(), usize> {
        self.insert_by(list, pos, R::id)
    }

    /// `insert` keyed by another text of the records (the loader checks
    /// stations' machine names with an index of its own); such an index is
    /// only ever added to.
    pub fn insert_by<T>(&mut self, list: &[T], pos: usize, key: impl Fn(&T) -> &str) -> Result<(), usize> {
        let Some(record) = list.get(pos) else { return Ok(()) };
        let Ok(p) = u32::try_from(pos) else { return Ok(()) };
        let folded = fold_ref(key(record));
        let h = hash(&folded);
        let same = |&q: &u32| {
            list.get(position(q))
                .is_some_and(|r| same_ignoring_case(key(r), &folded))
        };
        if let Some(&q) = self.table.find(h, same) {
            return Err(position(q));
        }
        self.table
            .insert_unique(h, p, |&q| list.get(position(q)).map_or(0, |r| hash(&fold_ref(key(r)))));
        Ok(())
    }

    /// Takes out the entry of `list[pos]` (before that record is removed,
    /// moved or renamed).
    pub fn remove_at<R: Record>(&mut self, list: &[R], pos: usize) {
        let Some(record) = list.get(pos) else { return };
        let h = hash(&fold_ref(record.id()));
        if let Ok(entry) = self.table.find_entry(h, |&q| position(q) == pos) {
            entry.remove();
        }
    }

    /// Starts again from the list (after positions moved).
    pub fn rebuild<R: Record>(&mut self, list: &[R]) {
        *self = IdIndex::of(list);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::workspace::User;

    fn users(ids: &[&str]) -> Vec<User> {
        ids.iter().map(|id| User::new(*id, "")).collect()
    }

    #[test]
    fn finds_ids_ignoring_case_and_refuses_repeats() {
        let list = users(&["alice", "Bob", "ÉMILE", "\u{212A}elvin"]);
        let mut index = IdIndex::of(&list);
        assert_eq!(index.len(), 4);
        assert_eq!(index.get(&list, "ALICE"), Some(0));
        assert_eq!(index.get(&list, "bob"), Some(1));
        assert_eq!(index.get(&list, "émile"), Some(2));
        // The Kelvin sign folds to an ASCII k, as `fold` says.
        assert_eq!(index.get(&list, "kelvin"), Some(3));
        assert_eq!(index.get(&list, "carol"), None);
        let mut more = list.clone();
        more.push(User::new("BOB", ""));
        assert_eq!(index.insert(&more, 4), Err(1));
        index.remove_at(&more, 1);
        assert_eq!(index.get(&more, "bob"), None);
        assert_eq!(index.insert(&more, 4), Ok(()));
        assert_eq!(index.get(&more, "Bob"), Some(4));
    }
}
