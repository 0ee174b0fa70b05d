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
}

impl<C> Default for Orders<C> {
    fn default() -> Self {
        Orders {
            stamp: None,
            by: Vec::new(),
        }
    }
}

impl<C: Copy + PartialEq> Orders<C> {
    /// The positions of `n` subjects in `col`'s order (ascending), sorting
    /// them with `sort` the first time after a data change.
    pub fn get(&mut self, stamp: (u64, u64), col: C, n: usize, sort: impl FnOnce(&mut [u32])) -> &[u32] {
        if self.stamp != Some(stamp) {
            self.stamp = Some(stamp);
            self.by.clear();
        }
        let at = match self.by.iter().position(|(c, _)| *c == col) {
            Some(at) => at,
            None => {
                let mut order: Vec<u32> = (0..u32::try_from(n).unwrap_or(u32::MAX)).collect();
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
