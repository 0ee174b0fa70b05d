//! What the fast path of loading notes about each user and station right
//! after reading it, while it is still in the processor's cache: the hash
//! of its ID (and machine name), whether those are blank or too long, and
//! the distinct license keys and workgroup names the list uses.
//!
//! When the notes show every record is fine, the loader's checks need no
//! further pass over 100k records (at that size a pass costs milliseconds
//! of memory traffic, most of the checks' time): the keys and workgroup
//! names are judged once each, and the ID indexes are built from the
//! hashes (`IdIndex::from_hashes`). Anything doubtful sends the loader to
//! its record-by-record checks, which say what is wrong where; the notes
//! only ever decide that nothing is.

use std::cell::RefCell;

use rustc_hash::FxHashMap;

use super::super::{IdIndex, MAX_ID_LEN, Station, User, Workgroup, fold_ref, id_hash};
use crate::model::names::{MAX_REMEMBERED, Name, address};

/// The notes on one list.
#[derive(Debug, Default)]
pub(super) struct Noted {
    /// `id_hash` of each folded ID, by position.
    ids: Vec<u64>,
    /// `id_hash` of each folded, trimmed machine name (stations).
    machines: Vec<u64>,
    /// A blank or too-long ID, a blank machine name, or more distinct names
    /// than are remembered: the record-by-record checks decide.
    doubtful: bool,
    /// The distinct license keys and workgroup names, by the address of
    /// the shared name (each kept alive, so the address stays its own).
    keys: FxHashMap<usize, Name>,
    workgroups: FxHashMap<usize, Name>,
}

impl Noted {
    fn with_capacity(n: usize) -> Noted {
        Noted {
            ids: Vec::with_capacity(n),
            ..Noted::default()
        }
    }

    fn id(&mut self, id: &str) {
        self.doubtful |= id.trim().is_empty() || id.len() > MAX_ID_LEN;
        self.ids.push(id_hash(&fold_ref(id)));
    }

    fn names(set: &mut FxHashMap<usize, Name>, doubtful: &mut bool, names: &crate::model::names::NameSet) {
        for name in names {
            if set.len() >= MAX_REMEMBERED {
                *doubtful = true;
                return;
            }
            set.entry(address(name)).or_insert_with(|| name.clone());
        }
    }
}

/// The notes of one load: armed before the fast parse, taken after.
#[derive(Debug, Default)]
pub(super) struct Notes {
    /// How many records a list of the file can hold at most (see `room`).
    room: usize,
    users: Option<Noted>,
    stations: Option<Noted>,
}

thread_local! {
    static NOTES: RefCell<Option<Notes>> = const { RefCell::new(None) };
}

/// The fewest bytes a user or station takes in a file this program writes
/// (`{"id":"a","name":"","method":"assignable","licenses":[],…}`).
const RECORD_BYTES: usize = 96;

/// Starts noting the parse of `text` (it runs on this thread).
pub(super) fn arm(text: &str) {
    let room = text.len() / RECORD_BYTES;
    NOTES.with(|n| {
        *n.borrow_mut() = Some(Notes {
            room,
            ..Notes::default()
        })
    });
}

/// Room to reserve for a list of the file being noted: as many records as
/// the file could hold if it held nothing else. A list that grows by
/// doubling copies itself at every step (at 100k users 25 MB in all, into
/// memory touched for the first time: 6–8% of a load); room reserved and
/// not filled is address space only, never touched, so it costs no memory.
/// Records written smaller than this program writes them (by hand) only
/// make the list grow as it would have anyway.
fn room() -> usize {
    NOTES.with(|n| n.borrow().as_ref().map_or(0, |n| n.room))
}

/// Stops noting; what was noted since `arm`.
pub(super) fn take() -> Option<Notes> {
    NOTES.with(|n| n.borrow_mut().take())
}

/// A record the fast parse notes as it reads it.
pub(super) trait Note {
    fn note(&self, noted: &mut Noted);
    /// Where the list's notes are kept (`None`: nowhere).
    fn slot(notes: &mut Notes) -> Option<&mut Option<Noted>>;
    /// Keeps the list's notes (when noting is armed).
    fn keep(noted: Noted) {
        NOTES.with(|n| {
            if let Some(notes) = n.borrow_mut().as_mut()
                && let Some(slot) = Self::slot(notes)
            {
                *slot = Some(noted);
            }
        });
    }
    fn notes(n: usize) -> Noted {
        Noted::with_capacity(n)
    }
    /// Room to reserve for the list (`room`).
    fn room() -> usize {
        room()
    }
}

impl Note for User {
    fn note(&self, noted: &mut Noted) {
        noted.id(&self.id);
        Noted::names(&mut noted.keys, &mut noted.doubtful, &self.licenses);
        Noted::names(&mut noted.workgroups, &mut noted.doubtful, &self.workgroups);
    }
    fn slot(notes: &mut Notes) -> Option<&mut Option<Noted>> {
        Some(&mut notes.users)
    }
}

impl Note for Station {
    fn note(&self, noted: &mut Noted) {
        noted.id(&self.id);
        let machine = self.machine_name.trim();
        noted.doubtful |= machine.is_empty();
        noted.machines.push(id_hash(&fold_ref(machine)));
        Noted::names(&mut noted.keys, &mut noted.doubtful, &self.licenses);
    }
    fn slot(notes: &mut Notes) -> Option<&mut Option<Noted>> {
        Some(&mut notes.stations)
    }
}

impl Note for Workgroup {
    fn note(&self, _: &mut Noted) {}
    fn slot(_: &mut Notes) -> Option<&mut Option<Noted>> {
        None
    }
    fn notes(_: usize) -> Noted {
        Noted::default()
    }
    /// A few thousand at most: no room reserved.
    fn room() -> usize {
        0
    }
}

/// Whether a key passes the loader's checks as written on a user
/// (`users`) or a station (`judge_key`, `may_hold`).
fn key_fine(key: &Name, users: bool) -> bool {
    let (fine, info) = super::judge_key(key);
    fine && info.is_none_or(|i| super::may_hold(i, users))
}

impl Notes {
    /// The ID indexes of users and stations, when the notes show every
    /// record passes the loader's checks: IDs and machine names fine and
    /// distinct, keys fine, workgroup names written as the workgroups
    /// spell them (`wg_names`: folded name → (position, name)). `None`:
    /// the record-by-record checks must decide.
    pub(super) fn indexes(
        self,
        users: &[User],
        stations: &[Station],
        wg_names: &FxHashMap<String, (usize, String)>,
    ) -> Option<(IdIndex, IdIndex)> {
        // A list the file leaves out was never read: empty notes, which
        // match only an empty list (the lengths are compared below).
        let (u, s) = (self.users.unwrap_or_default(), self.stations.unwrap_or_default());
        if u.doubtful || s.doubtful || u.ids.len() != users.len() || s.ids.len() != stations.len() {
            return None;
        }
        let fine = u.keys.values().all(|k| key_fine(k, true))
            && s.keys.values().all(|k| key_fine(k, false))
            && u.workgroups.values().all(|name| {
                wg_names
                    .get(fold_ref(name).as_ref())
                    .is_some_and(|(_, real)| **real == **name)
            });
        if !fine {
            return None;
        }
        let users_index = || IdIndex::from_hashes(users, &u.ids, |r: &User| r.id.as_str());
        let stations_index = || {
            let machines = IdIndex::from_hashes(stations, &s.machines, |r: &Station| r.machine_name.trim());
            machines.and_then(|_| IdIndex::from_hashes(stations, &s.ids, |r: &Station| r.id.as_str()))
        };
        let (users_index, stations_index) = if users.len() + stations.len() >= super::PARALLEL_CHECK {
            std::thread::scope(|scope| {
                let other = scope.spawn(stations_index);
                let mine = users_index();
                (mine, other.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            })
        } else {
            (users_index(), stations_index())
        };
        Some((users_index?, stations_index?))
    }
}
