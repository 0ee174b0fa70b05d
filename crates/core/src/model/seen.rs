//! IDs as the events spell them, mapped to their place in the workspace.
//!
//! Every event names a user, most a station: a month of usage for 100,000
//! users is four million lookups, each of which in the workspace's own
//! index touches its hash table, the record and the ID's text — three
//! places far apart in a workspace of hundreds of megabytes. The events
//! spell the same few IDs over and over, so the answer for a spelling is
//! kept here, the spelling beside it: one place in a small table.

use std::hash::BuildHasher;

use hashbrown::HashTable;

/// The longest spelling kept in place; longer ones are kept in a map.
const INLINE: usize = 22;

#[derive(Clone, Copy)]
struct Entry {
    text: [u8; INLINE],
    len: u8,
    /// The position, or `NONE` for an ID the workspace does not have.
    pos: u32,
}

const NONE: u32 = u32::MAX;

/// Spellings seen, with the position the workspace gave for each.
#[derive(Default)]
pub(crate) struct Seen {
    table: HashTable<Entry>,
    long: rustc_hash::FxHashMap<Box<str>, u32>,
}

impl Seen {
    /// The position of `id`, asking `lookup` the first time a spelling is
    /// met (the workspace does not change during a replay).
    pub(crate) fn pos(&mut self, id: &str, lookup: impl FnOnce(&str) -> Option<usize>) -> Option<usize> {
        let bytes = id.as_bytes();
        if bytes.len() > INLINE {
            if let Some(pos) = self.long.get(id) {
                return (*pos != NONE).then_some(*pos as usize);
            }
            let found = lookup(id);
            let pos = found.and_then(|p| u32::try_from(p).ok()).unwrap_or(NONE);
            self.long.insert(id.into(), pos);
            return found;
        }
        let hash = rustc_hash::FxBuildHasher.hash_one(bytes);
        // Compared as whole arrays (the rest zero): a few wide loads, not
        // a call to compare a handful of bytes.
        let mut text = [0u8; INLINE];
        text[..bytes.len()].copy_from_slice(bytes);
        let same = |e: &Entry| usize::from(e.len) == bytes.len() && e.text == text;
        if let Some(e) = self.table.find(hash, same) {
            return (e.pos != NONE).then_some(e.pos as usize);
        }
        let found = lookup(id);
        let entry = Entry {
            text,
            len: bytes.len() as u8,
            pos: found.and_then(|p| u32::try_from(p).ok()).unwrap_or(NONE),
        };
        self.table.insert_unique(hash, entry, |e| {
            rustc_hash::FxBuildHasher.hash_one(&e.text[..usize::from(e.len)])
        });
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_spelling_is_asked_once_short_or_long() {
        let mut seen = Seen::default();
        let mut asked = 0;
        let mut look = |id: &str| {
            asked += 1;
            (id != "nobody").then_some(id.len())
        };
        assert_eq!(seen.pos("ab", &mut look), Some(2));
        assert_eq!(seen.pos("ab", &mut look), Some(2));
        assert_eq!(seen.pos("nobody", &mut look), None);
        assert_eq!(seen.pos("nobody", &mut look), None);
        let long = "x".repeat(INLINE + 1);
        assert_eq!(seen.pos(&long, &mut look), Some(INLINE + 1));
        assert_eq!(seen.pos(&long, &mut look), Some(INLINE + 1));
        assert_eq!(asked, 3);
    }
}
