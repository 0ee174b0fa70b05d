//! What a logon needs of a user's and a station's keys, worked out once
//! per user and per station instead of at every logon.
//!
//! A month of usage at 100,000 users is more than a million logons; each
//! asked, per key, which spelling of the catalogue it is, whether it is
//! Client Access and which pool it draws from, and compared it with every
//! key of the station — a hash lookup by text per pair, and reads of the
//! user's and the station's records, far apart in memory. The answers
//! depend only on the workspace and the license, which do not change
//! during a replay: they are kept here, small and side by side.

use rustc_hash::FxHashMap;

use crate::model::catalog;
use crate::model::names::NameSet;
use crate::model::workspace::{Station, StationType, User};

/// One distinct key name of the workspace (its names are shared, so the
/// address tells them apart without reading the text).
#[derive(Debug, Clone, Copy)]
pub(super) struct KeyFacts<'a> {
    /// The name as the workspace spells it.
    pub name: &'a str,
    /// Its catalogue key (aliases included), numbered: two names are the
    /// same key when these are equal.
    pub canon: u32,
    /// The license's key of that exact spelling (`Replay::keys`), if any.
    pub pool: Option<u32>,
    /// Client Access, by any spelling.
    pub client: bool,
}

/// Where a subject's keys are in an arena, once worked out.
#[derive(Debug, Clone, Copy, Default)]
struct Span {
    start: u32,
    len: u32,
    known: bool,
    /// A station: it is a configured remote station.
    remote: bool,
}

/// The facts of the keys of users and stations, by their position in the
/// workspace, made the first time each logs on.
#[derive(Debug, Default)]
pub(super) struct Facts<'a> {
    keys: Vec<KeyFacts<'a>>,
    by_address: FxHashMap<(usize, usize), u32>,
    canon_ids: FxHashMap<&'a str, u32>,
    users: Vec<Span>,
    /// Users' keys (`keys` positions), in the order of their key sets.
    user_keys: Vec<u32>,
    stations: Vec<Span>,
    /// Stations' keys (`keys` positions).
    station_keys: Vec<u32>,
}

impl<'a> Facts<'a> {
    pub fn new(users: usize, stations: usize) -> Self {
        Facts {
            users: vec![Span::default(); users],
            stations: vec![Span::default(); stations],
            ..Default::default()
        }
    }

    /// The facts of one key name (`pool_of`: the license's key of a
    /// spelling).
    fn key(&mut self, name: &'a str, pool_of: &impl Fn(&str) -> Option<u32>) -> u32 {
        let address = (name.as_ptr() as usize, name.len());
        if let Some(&k) = self.by_address.get(&address) {
            return k;
        }
        let canonical = catalog::canonical(name);
        let next = self.canon_ids.len() as u32;
        let canon = *self.canon_ids.entry(canonical).or_insert(next);
        let k = self.keys.len() as u32;
        self.keys.push(KeyFacts {
            name,
            canon,
            pool: pool_of(name),
            client: canonical == catalog::CLIENT,
        });
        self.by_address.insert(address, k);
        k
    }

    fn span(
        &mut self,
        station: bool,
        pos: usize,
        set: &'a NameSet,
        remote: bool,
        pool_of: &impl Fn(&str) -> Option<u32>,
    ) -> Span {
        let known = if station { self.stations[pos] } else { self.users[pos] };
        if known.known {
            return known;
        }
        let mut ids: Vec<u32> = Vec::with_capacity(set.len());
        for name in set.iter() {
            ids.push(self.key(name, pool_of));
        }
        let arena = if station {
            &mut self.station_keys
        } else {
            &mut self.user_keys
        };
        let span = Span {
            start: arena.len() as u32,
            len: ids.len() as u32,
            known: true,
            remote,
        };
        arena.extend(ids);
        if station {
            self.stations[pos] = span;
        } else {
            self.users[pos] = span;
        }
        span
    }

    /// Works out the user's and (when given) the station's keys, if not yet.
    pub fn learn(
        &mut self,
        user: (usize, &'a User),
        station: Option<(usize, &'a Station)>,
        pool_of: &impl Fn(&str) -> Option<u32>,
    ) {
        if !self.users[user.0].known {
            self.span(false, user.0, &user.1.licenses, false, pool_of);
        }
        if let Some((pos, st)) = station
            && !self.stations[pos].known
        {
            self.span(true, pos, &st.licenses, st.kind == StationType::Remote, pool_of);
        }
    }

    /// Is the station a configured remote station (`learn` first)?
    pub fn station_is_remote(&self, spos: usize) -> bool {
        self.stations[spos].remote
    }

    /// The user's keys, in the order of the user's set (`learn` first).
    pub fn user_keys(&self, upos: usize) -> impl Iterator<Item = KeyFacts<'a>> + '_ {
        let s = self.users[upos];
        self.user_keys[s.start as usize..(s.start + s.len) as usize]
            .iter()
            .map(|k| self.keys[*k as usize])
    }

    /// The station's keys (`learn` first).
    fn station_keys(&self, spos: usize) -> impl Iterator<Item = KeyFacts<'a>> + '_ {
        let s = self.stations[spos];
        self.station_keys[s.start as usize..(s.start + s.len) as usize]
            .iter()
            .map(|k| self.keys[*k as usize])
    }

    /// Does the user hold Client Access (by any spelling)?
    pub fn user_holds_client(&self, upos: usize) -> bool {
        self.user_keys(upos).any(|k| k.client)
    }

    /// Does the station hold Client Access (by any spelling)?
    pub fn station_holds_client(&self, spos: usize) -> bool {
        self.station_keys(spos).any(|k| k.client)
    }

    /// Does the station hold this key (by any spelling)?
    pub fn station_holds(&self, spos: usize, key: KeyFacts<'_>) -> bool {
        self.station_keys(spos).any(|k| k.canon == key.canon)
    }
}
