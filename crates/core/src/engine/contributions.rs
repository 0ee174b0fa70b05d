//! What each subject adds to the counts — its key handles and (users) its
//! workgroup handles — kept so an edit can take the old contribution back.
//!
//! Every subject's handles live one after another in one list, and each
//! subject has a 12-byte span into it: a recount of 200k subjects writes
//! about 20 bytes a subject in two growing lists instead of a 40-byte record
//! with room for seven handles (the memory a recount writes is much of its
//! cost at 100k, where it no longer fits the cache; docs/performance.md).
//! An edit appends the subject's new handles and leaves the old ones as
//! garbage; the list is compacted when garbage is most of it.

/// One subject's place in the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Span {
    start: u32,
    len: u32,
    /// How many of the handles are keys (the rest are workgroups).
    keys: u16,
    assignable: bool,
    /// False for a subject that holds nothing (removed, or never counted).
    present: bool,
}

/// One subject's contribution, borrowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Contribution<'a> {
    pub(super) assignable: bool,
    /// Key handles, then workgroup handles.
    pub(super) handles: &'a [u32],
    pub(super) keys: usize,
}

impl<'a> Contribution<'a> {
    pub(super) fn keys(&self) -> &'a [u32] {
        &self.handles[..self.keys.min(self.handles.len())]
    }
    pub(super) fn workgroups(&self) -> &'a [u32] {
        &self.handles[self.keys.min(self.handles.len())..]
    }
}

#[derive(Debug, Clone, Default)]
pub(super) struct Contributions {
    spans: Vec<Span>,
    handles: Vec<u32>,
    /// Handles no span points at any more.
    garbage: usize,
}

/// Below this many handles the list is never compacted (it is small).
const COMPACT_FROM: usize = 4096;

impl Contributions {
    /// Room for `subjects` subjects of about `handles_each` handles.
    pub(super) fn with_capacity(subjects: usize, handles_each: usize) -> Contributions {
        Contributions {
            spans: Vec::with_capacity(subjects),
            handles: Vec::with_capacity(subjects.saturating_mul(handles_each)),
            garbage: 0,
        }
    }

    /// Subjects with a slot (counted or not).
    pub(super) fn len(&self) -> usize {
        self.spans.len()
    }

    pub(super) fn get(&self, sid: u32) -> Option<Contribution<'_>> {
        let span = self.spans.get(sid as usize).filter(|s| s.present)?;
        let start = span.start as usize;
        Some(Contribution {
            assignable: span.assignable,
            handles: self.handles.get(start..start + span.len as usize).unwrap_or(&[]),
            keys: usize::from(span.keys),
        })
    }

    /// Appends the next subject's contribution (its handle is `len()`).
    pub(super) fn push(&mut self, new: Contribution<'_>) {
        let span = self.append(new);
        self.spans.push(span);
    }

    /// Replaces subject `sid`'s contribution (`None`: it holds nothing).
    pub(super) fn set(&mut self, sid: u32, new: Option<Contribution<'_>>) {
        let at = sid as usize;
        if at >= self.spans.len() {
            self.spans.resize(at + 1, Span::default());
        }
        let old = self.spans[at];
        if old.present {
            self.garbage += old.len as usize;
        }
        self.spans[at] = match new {
            Some(new) => self.append(new),
            None => Span::default(),
        };
        if self.handles.len() >= COMPACT_FROM && self.garbage * 2 > self.handles.len() {
            self.compact();
        }
    }

    fn append(&mut self, new: Contribution<'_>) -> Span {
        let start = u32::try_from(self.handles.len()).unwrap_or(u32::MAX);
        // One at a time: two or three handles is the usual, and a copy of
        // unknown length is a call to memcpy, slower than the copy itself.
        self.handles.reserve(new.handles.len());
        for &h in new.handles {
            self.handles.push(h);
        }
        Span {
            start,
            len: u32::try_from(new.handles.len()).unwrap_or(u32::MAX),
            keys: u16::try_from(new.keys).unwrap_or(u16::MAX),
            assignable: new.assignable,
            present: true,
        }
    }

    /// Rewrites the list with the live handles only, in subject order.
    fn compact(&mut self) {
        let mut handles = Vec::with_capacity(self.handles.len() - self.garbage);
        for span in self.spans.iter_mut().filter(|s| s.present) {
            let start = span.start as usize;
            let live = &self.handles[start..start + span.len as usize];
            span.start = u32::try_from(handles.len()).unwrap_or(u32::MAX);
            handles.extend_from_slice(live);
        }
        self.handles = handles;
        self.garbage = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(assignable: bool, handles: &[u32], keys: usize) -> Contribution<'_> {
        Contribution {
            assignable,
            handles,
            keys,
        }
    }

    #[test]
    fn replaced_contributions_read_back_and_survive_compaction() {
        let mut all = Contributions::with_capacity(4, 2);
        all.push(c(true, &[1, 2, 9], 2));
        all.push(c(false, &[3], 1));
        assert_eq!(
            all.get(0).map(|x| (x.keys(), x.workgroups())),
            Some((&[1, 2][..], &[9][..]))
        );
        // Many edits of one subject: the garbage is compacted away and the
        // others keep what they had.
        for round in 0..10_000u32 {
            all.set(1, Some(c(round % 2 == 0, &[round, round + 1], 1)));
        }
        assert!(
            all.handles.len() < 2 * COMPACT_FROM + 8,
            "compacted: {}",
            all.handles.len()
        );
        assert_eq!(all.get(0), Some(c(true, &[1, 2, 9], 2)));
        assert_eq!(all.get(1), Some(c(false, &[9_999, 10_000], 1)));
        all.set(0, None);
        assert_eq!(all.get(0), None);
        // A slot far beyond the end holds nothing until set.
        assert_eq!(all.get(7), None);
        all.set(7, Some(c(true, &[], 0)));
        assert_eq!(all.get(7).map(|x| x.handles.len()), Some(0));
        assert_eq!(all.len(), 8);
    }
}
