//! The rows a subject table shows: filtered, then in the order of the sort
//! column. A column's order over all subjects is sorted once per data
//! revision and kept, so clicking between headers or typing in the search
//! box is one linear pass over the rows, not a sort of 100k of them.

use crate::core::document::Document;

/// What the orders depend on: the data, not the query.
pub fn data_stamp(doc: &Document) -> (u64, u64) {
    (doc.engine().revision(), doc.generation())
}

/// Orders of the subjects by column, valid for one data revision.
pub struct Orders<C> {
    stamp: Option<(u64, u64)>,
    by: Vec<(C, Vec<u32>)>,
    /// The orders of the previous revision: after an edit a column's rows
    /// are nearly in order already, and the sort (which finds runs) sorts
    /// them again in about one pass instead of sorting 100k rows anew.
    before: Vec<(C, Vec<u32>)>,
}

impl<C> Default for Orders<C> {
    fn default() -> Self {
        Orders {
            stamp: None,
            by: Vec::new(),
            before: Vec::new(),
        }
    }
}

impl<C: Copy + PartialEq> Orders<C> {
    /// The positions of `n` subjects in `col`'s order (ascending), sorting
    /// them with `sort` the first time after a data change. `sort` must
    /// order totally (ties broken by position), so that starting from the
    /// previous order gives the same result as starting afresh.
    pub fn get(&mut self, stamp: (u64, u64), col: C, n: usize, sort: impl FnOnce(&mut [u32])) -> &[u32] {
        if self.stamp != Some(stamp) {
            self.stamp = Some(stamp);
            self.before = std::mem::take(&mut self.by);
        }
        let at = match self.by.iter().position(|(c, _)| *c == col) {
            Some(at) => at,
            None => {
                let reuse = self.before.iter().position(|(c, o)| *c == col && o.len() == n);
                let mut order: Vec<u32> = match reuse {
                    // A permutation of the same positions.
                    Some(i) => self.before.swap_remove(i).1,
                    None => (0..u32::try_from(n).unwrap_or(u32::MAX)).collect(),
                };
                sort(&mut order);
                self.by.push((col, order));
                self.by.len() - 1
            }
        };
        &self.by[at].1
    }
}

/// The rows to show: `order` (reversed when descending) filtered by `keep`.
pub fn rows(order: &[u32], descending: bool, mut keep: impl FnMut(usize) -> bool) -> Vec<usize> {
    let mut out = Vec::new();
    let mut visit = |&i: &u32| {
        if keep(i as usize) {
            out.push(i as usize);
        }
    };
    if descending {
        order.iter().rev().for_each(&mut visit);
    } else {
        order.iter().for_each(&mut visit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_order_sorted_again_from_the_last_one_equals_a_fresh_sort() {
        // Names with ties; between the two revisions row 1 was renamed.
        static BEFORE: [&str; 5] = ["b", "a", "b", "c", "a"];
        static AFTER: [&str; 5] = ["b", "d", "b", "c", "a"];
        let (before, after) = (&BEFORE, &AFTER);
        let sort = |names: &'static [&'static str; 5]| {
            move |order: &mut [u32]| order.sort_by(|a, b| names[*a as usize].cmp(names[*b as usize]).then(a.cmp(b)))
        };
        let mut orders = Orders::default();
        assert_eq!(orders.get((1, 0), 0, 5, sort(before)), [1, 4, 0, 2, 3]);
        let again = orders.get((2, 0), 0, 5, sort(after)).to_vec();
        let mut fresh = Orders::default();
        assert_eq!(again, fresh.get((2, 0), 0, 5, sort(after)));
        assert_eq!(again, [4, 0, 2, 3, 1]);
        // Another size: a fresh order, not the old permutation.
        assert_eq!(orders.get((3, 0), 0, 3, |o: &mut [u32]| o.reverse()), [2, 1, 0]);
    }
}
