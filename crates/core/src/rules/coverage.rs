//! Where a user's ACD capability comes from. Seed, "Access licenses": "the
//! user's allowed capabilities consist of the combination of what the user
//! ID and the Station ID are assigned", and "if there are multiple shifts at
//! a site, you can use station licenses". A user's queues are covered when
//! the user's own ACD license fits them, or the default workstation's does;
//! other stations with ACD licenses cover them only when the user logs on
//! there, which the console cannot know (docs/station-licensing.md).

use std::collections::{BTreeMap, BTreeSet};

use rustc_hash::FxHashMap;

use crate::model::catalog::{self, AcdLevel};
use crate::model::names::Name;
use crate::model::workspace::{MediaType, NameSet, Station, StationType, User, Workspace, fold};

/// The ACD part of one holder's licensing: its level and its interaction
/// types as a bit mask.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
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

/// May this station's ACD licenses serve any agent who logs on there? An
/// enabled workstation (Workstation or Managed Workstation: where a user
/// logs on with a client), or an enabled station of another kind that is
/// marked as a shift station. Seed, "About Access licenses": "When a user
/// logs on to a specified station, that user exclusively acquires all the
/// licenses available to that station."
pub fn serves_agents(s: &Station) -> bool {
    s.enabled && (s.shift_station || matches!(s.kind, StationType::Workstation | StationType::ManagedWorkstation))
}

/// What `AcdStations::covering` found: up to `SHOWN` station ids (in
/// case-folded order) and how many there are in all.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Covering<'a> {
    pub first: Vec<&'a str>,
    pub count: usize,
}

/// How many stations a diagnostic names.
pub const SHOWN: usize = 5;

/// The stations whose ACD licenses may serve any agent (`serves_agents`,
/// with an ACD level), grouped by what they take: a user's queues are
/// matched against the few distinct capabilities, not every station, so a
/// site with 100k such stations costs a handful of comparisons per user.
/// The engine keeps one up to date as stations change.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AcdStations {
    /// Capability → (case-folded id, id), in folded order.
    groups: BTreeMap<AcdCapability, BTreeSet<(String, String)>>,
    /// Case-folded id → its capability.
    of: FxHashMap<String, AcdCapability>,
}

impl AcdStations {
    pub fn of(ws: &Workspace) -> AcdStations {
        Self::of_stations(ws.stations(), |k| catalog::acd_level_of(k))
    }

    /// The ACD stations among these; `level_of` gives a key's ACD level
    /// (a pass over the stations passes its cached catalogue lookups).
    pub fn of_stations<'a>(
        stations: impl IntoIterator<Item = &'a Station>,
        mut level_of: impl FnMut(&Name) -> Option<AcdLevel>,
    ) -> AcdStations {
        let mut out = AcdStations::default();
        for s in stations {
            if let Some(c) = Self::entry(s, &mut level_of) {
                out.insert(fold(&s.id), s.id.clone(), c);
            }
        }
        out
    }

    fn entry(s: &Station, level_of: &mut impl FnMut(&Name) -> Option<AcdLevel>) -> Option<AcdCapability> {
        // Most stations hold no ACD license: one pass over their few keys.
        if !serves_agents(s) {
            return None;
        }
        let level = s.licenses.iter().filter_map(&mut *level_of).max()?;
        Some(AcdCapability {
            level: Some(level),
            media: media_mask(&s.acd_media_types),
        })
    }

    fn insert(&mut self, folded: String, id: String, c: AcdCapability) {
        self.groups.entry(c).or_default().insert((folded.clone(), id));
        self.of.insert(folded, c);
    }

    fn remove(&mut self, folded: &str) -> Option<(String, AcdCapability)> {
        let c = self.of.remove(folded)?;
        let group = self.groups.get_mut(&c)?;
        let key = group
            .range((folded.to_string(), String::new())..)
            .next()
            .filter(|(f, _)| f == folded)
            .cloned()?;
        group.remove(&key);
        if group.is_empty() {
            self.groups.remove(&c);
        }
        Some((key.1, c))
    }

    /// Brings the list up to date after these stations (case-folded ids)
    /// changed; returns the capabilities that gained or lost a station
    /// (empty when nothing changed), so the caller re-checks only the users
    /// those can cover.
    pub fn update(&mut self, ws: &Workspace, changed: &[&str]) -> Vec<AcdCapability> {
        let mut touched = Vec::new();
        for &folded in changed {
            let old = self.remove(folded);
            let new = ws
                .station(folded)
                .and_then(|s| Self::entry(s, &mut |k| catalog::acd_level_of(k)).map(|c| (s.id.clone(), c)));
            if old != new {
                touched.extend(old.as_ref().map(|o| o.1));
                touched.extend(new.as_ref().map(|n| n.1));
            }
            if let Some((id, c)) = new {
                self.insert(folded.to_string(), id, c);
            }
        }
        touched.sort_unstable();
        touched.dedup();
        touched
    }

    /// How many stations there are.
    pub fn len(&self) -> usize {
        self.of.len()
    }

    pub fn is_empty(&self) -> bool {
        self.of.is_empty()
    }

    /// The stations whose ACD licenses take `queues`, except `skip`: the
    /// first `SHOWN` (in case-folded order) and the count.
    pub fn covering(&self, queues: u8, skip: Option<&str>) -> Covering<'_> {
        let skip = skip.map(fold);
        let skip = skip.as_deref();
        let mut count = 0;
        let mut first: Vec<(&str, &str)> = Vec::new();
        for (c, group) in &self.groups {
            if c.covers(queues) {
                count += group.len();
                first.extend(
                    group
                        .iter()
                        .filter(|(folded, _)| Some(folded.as_str()) != skip)
                        .take(SHOWN)
                        .map(|(f, id)| (f.as_str(), id.as_str())),
                );
            }
        }
        if let Some(s) = skip
            && self.of.get(s).is_some_and(|c| c.covers(queues))
        {
            count -= 1;
        }
        first.sort_unstable();
        first.truncate(SHOWN);
        Covering {
            first: first.into_iter().map(|(_, id)| id).collect(),
            count,
        }
    }
}

/// The user's default workstation, when it exists and is enabled.
pub fn default_workstation<'a>(user: &User, ws: &'a Workspace) -> Option<&'a Station> {
    user.default_workstation
        .as_deref()
        .and_then(|id| ws.station(id))
        .filter(|s| s.enabled)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::workspace::Workspace;

    fn ws(stations: serde_json::Value) -> Workspace {
        Workspace::from_value(serde_json::json!({"format": 1, "stations": stations})).expect("workspace")
    }

    fn station(id: &str, level: &str, media: &[&str]) -> serde_json::Value {
        serde_json::json!({"id": id, "machine_name": id, "licenses": [level], "acd_media_types": media})
    }

    #[test]
    fn covering_counts_names_five_in_order_and_skips_the_default_workstation() {
        let call = 1 << (MediaType::Call as u8);
        let mut list: Vec<serde_json::Value> = (0..8)
            .map(|i| station(&format!("ws-{}", 8 - i), catalog::ACD_MEDIA_1, &["call"]))
            .collect();
        list.push(station("m3", catalog::ACD_MEDIA_3_PLUS, &[]));
        list.push(station("mail", catalog::ACD_MEDIA_1, &["email"]));
        let w = ws(serde_json::Value::Array(list));
        let a = AcdStations::of(&w);
        assert_eq!(a.len(), 10);
        let c = a.covering(call, None);
        assert_eq!(c.count, 9, "eight call stations and the Media 3 Plus one");
        assert_eq!(c.first, ["m3", "ws-1", "ws-2", "ws-3", "ws-4"]);
        let c = a.covering(call, Some("WS-1"));
        assert_eq!(c.count, 8);
        assert_eq!(c.first, ["m3", "ws-2", "ws-3", "ws-4", "ws-5"]);
        // Skipping a station that does not cover changes nothing.
        assert_eq!(a.covering(call, Some("mail")).count, 9);
        // An update that changes nothing reports no group.
        let mut b = a.clone();
        assert!(b.update(&w, &["ws-3"]).is_empty());
        assert_eq!(b, a);
    }
}
