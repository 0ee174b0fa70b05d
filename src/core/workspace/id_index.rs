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

fn hash(folded: &str) -> u64 {
    rustc_hash::FxBuildHasher.hash_one(folded)
}

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

    pub fn len(&self) -> usize {
        self.table.len()
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
    use crate::core::workspace::User;

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
