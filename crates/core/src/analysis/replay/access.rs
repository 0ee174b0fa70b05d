//! Client Access at logon: whether the CIC client can run for a logon, and
//! what the station gives the user (seed: "Client Access license", "About
//! Access licenses", "Remote station licensing").
//!
//! - "Without this license allocation, the CIC client cannot run on the
//!   station. You license the features by user, station, or both"
//!   (LTR-264-client-access): a logon where neither the user nor the
//!   station holds Client Access is refused; so is a Concurrent user's
//!   whose Client Access the pool cannot give at a station that has none.
//! - "Once authenticated, the user's allowed capabilities consist of the
//!   combination of what the user ID and the Station ID are assigned"
//!   (LTR-242-user-and-station-combined): a Concurrent user does not draw
//!   from the pool what the station already holds.
//! - "If a user logs on to a remote station, that station also must acquire
//!   a Client Access license" (LTR-266-remote-station-client-access): a
//!   configured remote station without one acquires one of the license's
//!   unassigned Client Access licenses for the logon, as a dynamic remote
//!   logon takes an unassigned Basic Station, and gives it back at logoff;
//!   when none is left the logon is refused.
//!
//! Only stations of the workspace are judged: of a station it does not
//! list, or a logon that names none, the console cannot see the licenses.

use super::Replayer;
use super::facts::{Facts, KeyFacts};
use crate::model::catalog;
use crate::model::license::License;
use crate::model::workspace::{Method, NameSet, Station, User, Workspace};

/// Does this set of keys hold Client Access (by any spelling)?
pub(super) fn holds_client(keys: &NameSet) -> bool {
    keys.iter().any(|k| catalog::canonical(k) == catalog::CLIENT)
}

/// The license's assignable Client Access licenses that no user or station
/// holds: what configured remote stations acquire at logon.
pub(super) fn unassigned_client_access(license: &License, ws: &Workspace) -> u32 {
    let allowed = license.allowance(catalog::CLIENT).map_or(0, |a| a.assigned);
    let users = ws
        .users()
        .iter()
        .filter(|u| u.method == Method::Assignable && holds_client(&u.licenses))
        .count();
    let stations = ws.stations().iter().filter(|s| holds_client(&s.licenses)).count();
    allowed.saturating_sub(u32::try_from(users + stations).unwrap_or(u32::MAX))
}

/// What a logon may go ahead with.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct LogonAccess {
    /// The station of the workspace the logon is at (its position): what
    /// it holds serves the user.
    pub station: Option<usize>,
    /// A configured remote station without Client Access acquires one of
    /// the unassigned ones for this logon.
    pub remote_acquires: bool,
}

impl LogonAccess {
    /// Does the station give the user this key (so a Concurrent user draws
    /// none from the pool)?
    pub fn serves(&self, facts: &Facts<'_>, key: KeyFacts<'_>) -> bool {
        self.station.is_some_and(|st| facts.station_holds(st, key)) || (self.remote_acquires && key.client)
    }
}

/// A logon refused for want of Client Access.
pub(super) struct Refused {
    pub reason: String,
    /// Refused because the pool could not give Client Access: the pooled
    /// keys the user wanted (their demand stands until the user's logoff,
    /// so the pool's demand says what would have served everyone).
    pub waiting: Vec<u32>,
}

impl<'a> Replayer<'a> {
    /// Whether the CIC client can run for this logon, and what the station
    /// gives. A dynamic remote logon needs no Client Access ("the user
    /// doesn't need a Client Access license"). The user's and the
    /// station's keys are those `Facts::learn` worked out.
    pub(super) fn logon_access(
        &self,
        upos: usize,
        user: &'a User,
        station: Option<(usize, &'a Station)>,
        dynamic: bool,
    ) -> Result<LogonAccess, Refused> {
        let Some((spos, st)) = station.filter(|_| !dynamic) else {
            return Ok(LogonAccess::default());
        };
        let facts = &self.facts;
        let user_has = facts.user_holds_client(upos);
        let station_holds = facts.station_holds_client(spos);
        if !user_has && !station_holds {
            return Err(Refused {
                reason: format!(
                    "neither {} nor station {} holds a Client Access license: without it the CIC client cannot run \
                     on the station",
                    user.id, st.id
                ),
                waiting: Vec::new(),
            });
        }
        // What the user's session elsewhere holds is given back when this
        // logon ends it ("the system logs off the user from the previous
        // computer"), so it counts as free here.
        let previous = self.active[upos].as_deref();
        let remote_acquires = facts.station_is_remote(spos) && !station_holds;
        if remote_acquires && !self.subscription {
            let own = u32::from(previous.is_some_and(|a| a.remote_client));
            if self.remote_client_in_use.saturating_sub(own) >= self.unassigned_client {
                let left = if self.unassigned_client == 0 {
                    "the license has no Client Access license left unassigned for it to acquire".to_string()
                } else {
                    format!(
                        "all {} of the license's unassigned Client Access licenses are acquired by other remote \
                         stations",
                        self.unassigned_client
                    )
                };
                return Err(Refused {
                    reason: format!(
                        "remote station {} has no Client Access license and {left}: a remote station must acquire \
                         one for the user to log on there, so the logon is refused",
                        st.id
                    ),
                    waiting: Vec::new(),
                });
            }
        }
        if user.method == Method::Concurrent && !station_holds && !remote_acquires {
            // The user's own Client Access must come from the pool.
            let key = facts.user_keys(upos).find(|k| k.client);
            let why = match key.map(|k| k.pool) {
                // A user without it was judged above (the station has none).
                None => None,
                Some(None) => Some(("Client Access is not in the license file".to_string(), false)),
                Some(Some(k)) => {
                    let own = u32::from(previous.is_some_and(|a| a.held.contains(&k)));
                    let pooled = self.pooled[k as usize];
                    let full = self.level[k as usize].saturating_sub(own) >= pooled;
                    match (full && !self.subscription, pooled) {
                        (false, _) => None,
                        (true, 0) => Some((
                            "the license has no concurrent (pooled) Client Access licenses".to_string(),
                            true,
                        )),
                        (true, n) => Some((format!("all {n} concurrent Client Access licenses are in use"), true)),
                    }
                }
            };
            if let Some((why, pool)) = why {
                // The pooled keys the user would have drawn here.
                let waiting = if pool {
                    facts
                        .user_keys(upos)
                        .filter(|k| !facts.station_holds(spos, *k))
                        .filter_map(|k| k.pool)
                        .collect()
                } else {
                    Vec::new()
                };
                return Err(Refused {
                    reason: format!(
                        "{why}, and station {} has none: without Client Access the CIC client cannot run on the \
                         station, so the logon is refused",
                        st.id
                    ),
                    waiting,
                });
            }
        }
        Ok(LogonAccess {
            station: Some(spos),
            remote_acquires,
        })
    }
}
