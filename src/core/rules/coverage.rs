//! Where a user's ACD capability comes from. Seed, "Access licenses": "the
//! user's allowed capabilities consist of the combination of what the user
//! ID and the Station ID are assigned", and "if there are multiple shifts at
//! a site, you can use station licenses". A user's queues are covered when
//! the user's own ACD license fits them, or the default workstation's does;
//! shift stations cover them only when the user logs on there, which the
//! console cannot know (docs/station-licensing.md).

use std::collections::BTreeSet;

use crate::core::catalog::{self, AcdLevel};
use crate::core::workspace::{MediaType, NameSet, Station, User, Workspace, fold};

/// The ACD part of one holder's licensing: its level and its interaction
/// types as a bit mask.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AcdCapability {
    pub level: Option<AcdLevel>,
    pub media: u8,
}

impl AcdCapability {
    pub fn of(licenses: &NameSet, media: &BTreeSet<MediaType>) -> AcdCapability {
        AcdCapability {
            level: licenses.iter().filter_map(|k| catalog::acd_level_of(k)).max(),
            media: media_mask(media),
        }
    }

    /// Does this capability take every interaction type in `queues`? Media 1
    /// and 2 take as many types as they allow, and only those selected;
    /// Media 3 Plus takes any.
    pub fn covers(self, queues: u8) -> bool {
        match self.level {
            None => queues == 0,
            Some(level) => match level.capacity() {
                Some(c) => (queues.count_ones() as usize) <= c && queues & !self.media == 0,
                None => true,
            },
        }
    }
}

pub fn media_mask(media: &BTreeSet<MediaType>) -> u8 {
    media.iter().fold(0, |m, t| m | 1 << (*t as u8))
}

/// The enabled shift stations that hold an ACD license, with what they take.
/// The engine keeps one and rebuilds it when a station changes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ShiftStations {
    stations: Vec<(String, AcdCapability)>,
}

impl ShiftStations {
    pub fn of(ws: &Workspace) -> ShiftStations {
        Self::of_stations(ws.stations())
    }

    /// The shift stations among these (the others are skipped), for a pass
    /// over the stations that gathers them on the way.
    pub fn of_stations<'a>(stations: impl IntoIterator<Item = &'a Station>) -> ShiftStations {
        let mut stations: Vec<(String, AcdCapability)> = stations.into_iter().filter_map(Self::entry).collect();
        stations.sort_by_cached_key(|(id, _)| fold(id));
        ShiftStations { stations }
    }

    fn entry(s: &Station) -> Option<(String, AcdCapability)> {
        // Most stations are not shift stations: no catalogue lookups for them.
        if !(s.shift_station && s.enabled) {
            return None;
        }
        let c = AcdCapability::of(&s.licenses, &s.acd_media_types);
        c.level.is_some().then(|| (s.id.clone(), c))
    }

    /// Brings the list up to date after these stations (case-folded ids)
    /// changed; returns whether it changed. Kept sorted by folded id, so it
    /// equals `of` on the same workspace.
    pub fn update(&mut self, ws: &Workspace, changed: &[&str]) -> bool {
        let before = self.stations.len();
        let mut differs = false;
        self.stations.retain(|(id, _)| !changed.contains(&fold(id).as_str()));
        differs |= self.stations.len() != before;
        for id in changed {
            if let Some(entry) = ws.station(id).and_then(Self::entry) {
                let key = fold(&entry.0);
                let at = self.stations.partition_point(|(s, _)| fold(s) < key);
                self.stations.insert(at, entry);
                differs = true;
            }
        }
        differs
    }

    /// The shift stations whose ACD license takes `queues`, except `skip`.
    pub fn covering(&self, queues: u8, skip: Option<&str>) -> Vec<&str> {
        self.stations
            .iter()
            .filter(|(id, c)| c.covers(queues) && skip.is_none_or(|s| fold(s) != fold(id)))
            .map(|(id, _)| id.as_str())
            .collect()
    }
}

/// The user's default workstation, when it exists and is enabled.
pub fn default_workstation<'a>(user: &User, ws: &'a Workspace) -> Option<&'a Station> {
    user.default_workstation
        .as_deref()
        .and_then(|id| ws.station(id))
        .filter(|s| s.enabled)
}
