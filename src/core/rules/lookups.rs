//! What the subject rules look up for every key and workgroup a subject
//! names — the catalogue entry of a key, the media of a workgroup's queues —
//! remembered for one pass over many subjects (a recount).
//!
//! Names read from a file are shared (`names::intern`), so most lookups hash
//! the name's address instead of its text: at 100k users and stations this
//! halves the time the rules take. Each entry keeps its name alive, so the
//! address cannot be reused by another name while the entry exists; a name
//! not seen at that address (an edit's own copy) is looked up by text.

use rustc_hash::FxHashMap;

use super::coverage::media_mask;
use crate::core::catalog::{self, KeyInfo};
use crate::core::names::{MAX_REMEMBERED, Name, address};
use crate::core::workspace::Workspace;

/// Lookups for one pass over a workspace that does not change meanwhile.
pub struct Lookups<'ws> {
    ws: &'ws Workspace,
    keys: FxHashMap<usize, (Option<&'static KeyInfo>, Name)>,
    media: FxHashMap<usize, (u8, Name)>,
}

impl<'ws> Lookups<'ws> {
    pub fn new(ws: &'ws Workspace) -> Self {
        Lookups {
            ws,
            keys: FxHashMap::default(),
            media: FxHashMap::default(),
        }
    }

    pub fn workspace(&self) -> &'ws Workspace {
        self.ws
    }

    /// The catalogue's entry for a key (aliases included).
    pub fn key(&mut self, key: &Name) -> Option<&'static KeyInfo> {
        if let Some(&(info, _)) = self.keys.get(&address(key)) {
            return info;
        }
        let info = catalog::lookup(key);
        if self.keys.len() < MAX_REMEMBERED {
            self.keys.insert(address(key), (info, key.clone()));
        }
        info
    }

    /// The media of a workgroup's queues as a mask (none when the
    /// workspace has no such workgroup).
    pub fn workgroup_media(&mut self, name: &Name) -> u8 {
        if let Some(&(mask, _)) = self.media.get(&address(name)) {
            return mask;
        }
        let mask = self.ws.workgroup(name).map_or(0, |wg| media_mask(&wg.media));
        if self.media.len() < MAX_REMEMBERED {
            self.media.insert(address(name), (mask, name.clone()));
        }
        mask
    }
}
