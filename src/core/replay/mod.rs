//! Sessions and concurrent pools: replaying logon/logoff events against the
//! license and workspace (seed: "Rules for Concurrent licenses", "Remote
//! station licensing", "Events and concurrent use").
//!
//! - A concurrent user acquires *all* its concurrent licenses when its first
//!   application loads and releases them at its last logoff; further
//!   applications re-use what was acquired (the count does not rise).
//! - Logging on at another computer logs the user off the previous one.
//! - When a pool is empty the user is denied that license: a denial is
//!   recorded and the logon proceeds without it.
//! - A dynamic remote logon takes a Basic Station from the unassigned Basic
//!   Station licenses, and is rejected when there are none; it needs no
//!   Client Access. A logon at a configured remote station needs Client
//!   Access on that station: it acquires an unassigned one, or the logon is
//!   refused (`access`).
//! - A logon where the CIC client cannot run (no Client Access from the
//!   user, the station or the pool) is refused: a denial, no session. What
//!   the station holds, a Concurrent user does not draw from the pool.
//! - Assignable licenses count as acquired from assignment, logged on or not.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::core::catalog::{self, BillingCategory};
pub use crate::core::error::EventsError;
use crate::core::license::License;
use crate::core::workspace::{Method, Workspace, fold, fold_ref};

mod access;
mod events;

pub use events::{Event, EventKind, MAX_EVENTS_FILE_BYTES, MAX_SPAN_DAYS, parse_events};

/// A concurrent license (or a dynamic remote Basic Station) not granted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Denial {
    pub at: DateTime<Utc>,
    pub user: String,
    pub key: String,
    pub reason: String,
}

/// How many logons the denials come from: a logon denied two licenses is
/// one logon denied (what "K logons would be denied" counts).
pub fn denied_logons(denials: &[Denial]) -> usize {
    let logons: std::collections::HashSet<(DateTime<Utc>, &str)> =
        denials.iter().map(|d| (d.at, d.user.as_str())).collect();
    logons.len()
}

/// One user's span from first logon to last logoff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Session {
    pub user: String,
    pub start: DateTime<Utc>,
    /// `None` while still active at the end of the events.
    pub end: Option<DateTime<Utc>>,
    pub station: Option<String>,
    /// Billing categories of the licenses active in the session.
    #[serde(serialize_with = "category_codes")]
    pub categories: Vec<BillingCategory>,
    /// Why the session counts in those categories, in words (shared by
    /// every session with the same licenses).
    pub billing_reason: std::sync::Arc<str>,
    /// Concurrent licenses held during the session.
    pub concurrent: Vec<std::sync::Arc<str>>,
}

fn category_codes<S: serde::Serializer>(c: &[BillingCategory], s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeSeq;
    let mut seq = s.serialize_seq(Some(c.len()))?;
    for cat in c {
        seq.serialize_element(cat.code())?;
    }
    seq.end()
}

/// A per-user session counter change (the seed's John Smith table).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CounterStep {
    pub at: DateTime<Utc>,
    /// Shared with every other step of the user (no copy per event).
    pub user: std::sync::Arc<str>,
    pub counter: u32,
    pub active: bool,
}

/// A pool level change: `key` held `in_use` times from `at`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolPoint {
    pub at: DateTime<Utc>,
    pub key: u32,
    pub in_use: u32,
}

#[derive(Debug, Clone)]
struct Active {
    /// The session in `Replay::sessions` (which has the station).
    session: usize,
    /// One entry per application logged on at the station (folded name, or
    /// `None` where the event did not say); the session counter is its length.
    apps: Vec<Option<String>>,
    held: Vec<u32>,
    wanted: Vec<u32>,
    dynamic_remote: bool,
    /// A configured remote station acquired an unassigned Client Access for
    /// this session (given back when it ends).
    remote_client: bool,
    /// The applications as the events named them, for the holders list.
    app_names: Vec<Option<String>>,
}

/// A logon refused because the pool could not give Client Access: what the
/// user wanted stays in the pools' demand until their logoff.
#[derive(Debug, Clone)]
struct Waiting {
    keys: Vec<u32>,
    /// The station of the refused logon (folded), to match its logoff.
    station: Option<String>,
}

/// A user logged on at the end of a replay: who holds which pooled
/// licenses, where, since when (the simulation's *Licenses in use*).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Holder {
    pub user: String,
    /// The station, or `remote:PHONE` for a dynamic remote logon.
    pub station: Option<String>,
    pub since: DateTime<Utc>,
    pub applications: Vec<String>,
    /// Pooled licenses held.
    pub held: Vec<String>,
    /// Pooled licenses wanted but denied at logon (the user works without
    /// them until they log on again).
    pub denied: Vec<String>,
    /// The applications as the events named them (`None`: not named) and
    /// whether the logon was a dynamic remote one: what logs the user on
    /// again when the session goes on into the next events file.
    #[serde(skip)]
    pub logon_applications: Vec<Option<String>>,
    #[serde(skip)]
    pub dynamic_remote: bool,
}

/// The outcome of a replay.
#[derive(Debug, Clone, Default)]
pub struct Replay {
    pub sessions: Vec<Session>,
    pub denials: Vec<Denial>,
    pub counters: Vec<CounterStep>,
    /// Key names for `PoolPoint::key`.
    pub keys: Vec<String>,
    /// Every change of a pool's level, in time order.
    pub pool_points: Vec<PoolPoint>,
    /// Every change of a key's demand (sessions that wanted it, held or
    /// denied), in time order: daily peaks of demand for the history.
    pub demand_points: Vec<PoolPoint>,
    /// The most pooled licenses held at once, per key.
    pub peak: BTreeMap<String, u32>,
    /// The most concurrent sessions that *wanted* a key at once (held or
    /// denied): what the pool would need to serve everyone.
    pub peak_demand: BTreeMap<String, u32>,
    /// Days on which a pool was completely in use, per key.
    pub full_days: BTreeMap<String, std::collections::BTreeSet<chrono::NaiveDate>>,
    /// Pooled licenses held at the end of the events, per key.
    pub in_use: BTreeMap<String, u32>,
    /// Dynamic remote Basic Stations in use at the end, and their peak.
    pub dynamic_basic_stations: u32,
    pub peak_dynamic_basic_stations: u32,
    pub events_applied: usize,
    pub last_event: Option<DateTime<Utc>>,
    /// Events that referred to unknown users or logged off without a logon.
    pub ignored: Vec<String>,
    /// Logoffs that found the user logged off (a session begun before the
    /// events: an earlier events file's).
    pub orphan_logoffs: usize,
    /// Users logged on at the end, by user ID.
    pub holders: Vec<Holder>,
}

/// Replays events from scratch. `until` stops before later events (the
/// trainer's clock); `None` replays them all.
pub fn replay(license: &License, ws: &Workspace, events: &[Event], until: Option<DateTime<Utc>>) -> Replay {
    let mut r = Replayer::new(license, ws);
    // One counter step per event, a session per logon: reserved once
    // instead of grown (and copied) step by step.
    let n = until.map_or(events.len(), |u| events.partition_point(|e| e.at <= u));
    r.out.counters.reserve(n);
    r.out.sessions.reserve(n / 2);
    for e in events {
        if until.is_some_and(|u| e.at > u) {
            break;
        }
        r.apply(e);
    }
    r.finish()
}

/// The computer an event comes from: its station, or `remote:PHONE` for a
/// dynamic remote logon (and a logoff that gives only the phone number).
fn event_station(e: &Event) -> Option<std::borrow::Cow<'_, str>> {
    use std::borrow::Cow;
    match (e.event, &e.station, &e.phone) {
        (EventKind::DynamicRemoteLogon, _, Some(p)) => Some(Cow::Owned(format!("remote:{p}"))),
        (EventKind::DynamicRemoteLogon, _, None) => None,
        (_, Some(s), _) => Some(Cow::Borrowed(s)),
        (_, None, Some(p)) => Some(Cow::Owned(format!("remote:{p}"))),
        (_, None, None) => None,
    }
}

/// The replay state machine; feed it events in time order.
pub struct Replayer<'a> {
    license: &'a License,
    ws: &'a Workspace,
    key_index: rustc_hash::FxHashMap<String, u32>,
    pooled: Vec<u32>,
    level: Vec<u32>,
    demand: Vec<u32>,
    /// The session of each user logged on, by the user's position in the
    /// workspace (no hashing or case-folding per event).
    active: Vec<Option<Active>>,
    /// Each user's logon refused for want of pooled Client Access, until
    /// their logoff.
    waiting: Vec<Option<Waiting>>,
    /// Billing categories and reason per set of active keys: the same few
    /// sets recur for thousands of sessions.
    categories_memo: rustc_hash::FxHashMap<Vec<&'a str>, (Vec<BillingCategory>, std::sync::Arc<str>)>,
    /// The license's key names, shared by the sessions that hold them.
    key_names: Vec<std::sync::Arc<str>>,
    /// The active keys of the logon being applied (kept to reuse its memory).
    scratch_keys: Vec<&'a str>,
    /// Each user's ID, shared by their counter steps.
    ids: Vec<Option<std::sync::Arc<str>>>,
    /// Basic Station licenses not assigned to stations (for dynamic remote logons).
    unassigned_basic_stations: u32,
    /// A subscription license: no pool limits a logon.
    subscription: bool,
    /// Client Access licenses not assigned to users or stations (for
    /// configured remote stations without one), and how many are acquired.
    unassigned_client: u32,
    remote_client_in_use: u32,
    out: Replay,
}

impl<'a> Replayer<'a> {
    pub fn new(license: &'a License, ws: &'a Workspace) -> Self {
        let keys: Vec<String> = license.allowances().iter().map(|a| a.key.clone()).collect();
        let pooled = license.allowances().iter().map(|a| a.pooled).collect();
        let key_index = keys.iter().enumerate().map(|(i, k)| (k.clone(), i as u32)).collect();
        let bs_allowed = license.allowance(catalog::BASIC_STATION).map_or(0, |a| a.assigned);
        let bs_assigned = ws
            .stations()
            .iter()
            .filter(|s| s.licenses.contains(catalog::BASIC_STATION))
            .count() as u32;
        let n = keys.len();
        Replayer {
            license,
            ws,
            key_index,
            pooled,
            level: vec![0; n],
            demand: vec![0; n],
            active: vec![None; ws.users().len()],
            waiting: vec![None; ws.users().len()],
            categories_memo: Default::default(),
            key_names: keys.iter().map(|k| std::sync::Arc::from(k.as_str())).collect(),
            ids: vec![None; ws.users().len()],
            scratch_keys: Vec::new(),
            unassigned_basic_stations: bs_allowed.saturating_sub(bs_assigned),
            subscription: license.is_subscription(),
            unassigned_client: access::unassigned_client_access(license, ws),
            remote_client_in_use: 0,
            out: Replay {
                keys,
                ..Default::default()
            },
        }
    }

    fn deny(&mut self, at: DateTime<Utc>, user: &str, key: &str, reason: String) {
        self.out.denials.push(Denial {
            at,
            user: user.to_string(),
            key: key.to_string(),
            reason,
        });
    }

    fn set_level(&mut self, at: DateTime<Utc>, key: u32, level: u32) {
        self.level[key as usize] = level;
        self.out.pool_points.push(PoolPoint { at, key, in_use: level });
        let name = &self.out.keys[key as usize];
        let peak = self.out.peak.entry(name.clone()).or_insert(0);
        *peak = (*peak).max(level);
        if level >= self.pooled[key as usize] && level > 0 {
            self.out
                .full_days
                .entry(name.clone())
                .or_default()
                .insert(at.date_naive());
        }
    }

    fn set_demand(&mut self, at: DateTime<Utc>, key: u32, demand: u32) {
        self.demand[key as usize] = demand;
        self.out.demand_points.push(PoolPoint {
            at,
            key,
            in_use: demand,
        });
        let name = &self.out.keys[key as usize];
        let peak = self.out.peak_demand.entry(name.clone()).or_insert(0);
        *peak = (*peak).max(demand);
    }

    /// The user's ID, made once per user for all their counter steps.
    fn shared_id(&mut self, upos: usize) -> std::sync::Arc<str> {
        self.ids[upos]
            .get_or_insert_with(|| std::sync::Arc::from(self.ws.users()[upos].id.as_str()))
            .clone()
    }

    fn counter(&mut self, at: DateTime<Utc>, user: std::sync::Arc<str>, counter: u32) {
        self.out.counters.push(CounterStep {
            at,
            user,
            counter,
            active: counter > 0,
        });
    }

    fn end_session(&mut self, pos: usize, at: DateTime<Utc>) {
        let Some(active) = self.active.get_mut(pos).and_then(Option::take) else {
            return;
        };
        for k in &active.held {
            let level = self.level[*k as usize].saturating_sub(1);
            self.set_level(at, *k, level);
        }
        for k in &active.wanted {
            let demand = self.demand[*k as usize].saturating_sub(1);
            self.set_demand(at, *k, demand);
        }
        if active.dynamic_remote {
            self.out.dynamic_basic_stations = self.out.dynamic_basic_stations.saturating_sub(1);
        }
        if active.remote_client {
            self.remote_client_in_use = self.remote_client_in_use.saturating_sub(1);
        }
        self.out.sessions[active.session].end = Some(at);
        let id = self.shared_id(pos);
        self.counter(at, id, 0);
    }

    /// Ends a refused logon's wait: its demand is given back.
    fn stop_waiting(&mut self, pos: usize, at: DateTime<Utc>) {
        if let Some(w) = self.waiting.get_mut(pos).and_then(Option::take) {
            for k in w.keys {
                let demand = self.demand[k as usize].saturating_sub(1);
                self.set_demand(at, k, demand);
            }
        }
    }

    /// A logoff that belongs to the user's refused logon (none active, or
    /// one named at the refused station) ends the wait.
    fn ends_wait(&mut self, pos: usize, e: &Event) -> bool {
        let Some(w) = self.waiting.get(pos).and_then(Option::as_ref) else {
            return false;
        };
        let from = event_station(e).map(|s| fold(&s));
        let mine = self.active[pos].is_none() || (from.is_some() && from == w.station);
        if mine {
            self.stop_waiting(pos, e.at);
        }
        mine
    }

    pub fn apply(&mut self, e: &Event) {
        self.out.events_applied += 1;
        self.out.last_event = Some(e.at);
        let ws: &'a Workspace = self.ws;
        let Some(upos) = ws.user_pos(&e.user) else {
            self.out.ignored.push(format!("{}: unknown user `{}`", e.at, e.user));
            return;
        };
        let user = &ws.users()[upos];
        match e.event {
            EventKind::ForcedLogoff => {
                let waited = self.waiting[upos].is_some();
                self.stop_waiting(upos, e.at);
                if self.active[upos].is_some() {
                    self.end_session(upos, e.at);
                } else if waited {
                    return;
                } else {
                    self.out.orphan_logoffs += 1;
                    self.out
                        .ignored
                        .push(format!("{}: {} was logged off but was not logged on", e.at, user.id));
                    return;
                }
            }
            EventKind::Logoff => {
                if self.ends_wait(upos, e) {
                    return;
                }
                let Some(active) = self.active[upos].as_mut() else {
                    self.out.orphan_logoffs += 1;
                    self.out
                        .ignored
                        .push(format!("{}: {} logged off without being logged on", e.at, user.id));
                    return;
                };
                // Seed: "If the user logs on to another computer, the system
                // logs off the user from the previous computer." A logoff
                // that names another computer belongs to the session that
                // ended there; it must not end the session on this one.
                let from = event_station(e);
                let here = self.out.sessions[active.session].station.as_deref();
                if let (Some(from), Some(here)) = (from.as_deref(), here)
                    && fold_ref(from) != fold_ref(here)
                {
                    let msg = format!(
                        "{}: logoff of {} from {} ignored: the user is logged on at {} (logging on there logged \
                            them off {})",
                        e.at,
                        user.id,
                        from.strip_prefix("remote:").unwrap_or(from),
                        here.strip_prefix("remote:").unwrap_or(here),
                        from.strip_prefix("remote:").unwrap_or(from),
                    );
                    self.out.ignored.push(msg);
                    return;
                }
                // Each application's logoff ends that application only.
                let app = e.application.as_deref().map(fold);
                let app_pos = match &app {
                    Some(a) => active
                        .apps
                        .iter()
                        .position(|x| x.as_deref() == Some(a.as_str()))
                        .or_else(|| active.apps.iter().position(Option::is_none)),
                    None => active.apps.len().checked_sub(1),
                };
                let Some(app_pos) = app_pos else {
                    let msg = format!(
                        "{}: logoff of {} from {} ignored: that application is not logged on",
                        e.at,
                        user.id,
                        e.application.as_deref().unwrap_or("")
                    );
                    self.out.ignored.push(msg);
                    return;
                };
                active.apps.remove(app_pos);
                if app_pos < active.app_names.len() {
                    active.app_names.remove(app_pos);
                }
                let counter = active.apps.len() as u32;
                if counter == 0 {
                    self.end_session(upos, e.at);
                } else {
                    let id = self.shared_id(upos);
                    self.counter(e.at, id, counter);
                }
            }
            EventKind::Logon | EventKind::DynamicRemoteLogon => {
                let dynamic = e.event == EventKind::DynamicRemoteLogon;
                let station = event_station(e);
                // Same computer: another application re-uses what was acquired.
                if let Some(active) = self.active[upos].as_mut() {
                    let here = self.out.sessions[active.session].station.as_deref();
                    let same = here.map(fold_ref) == station.as_deref().map(fold_ref);
                    if same {
                        active.apps.push(e.application.as_deref().map(fold));
                        active.app_names.push(e.application.clone());
                        let counter = active.apps.len() as u32;
                        let id = self.shared_id(upos);
                        self.counter(e.at, id, counter);
                        return;
                    }
                }
                // Seed, Client Access license: "Without this license
                // allocation, the CIC client cannot run on the station. You
                // license the features by user, station, or both"
                // (LTR-264-client-access); "If a user logs on to a remote
                // station, that station also must acquire a Client Access
                // license" (LTR-266-remote-station-client-access). A logon
                // refused is a denial and no session, and a session the user
                // has elsewhere goes on.
                let access = match self.logon_access(upos, user, station.as_deref(), dynamic) {
                    Ok(access) => access,
                    Err(refused) => {
                        self.stop_waiting(upos, e.at);
                        if !refused.waiting.is_empty() {
                            // Still wanted until the user's logoff: the pool
                            // would have needed that many more.
                            for &k in &refused.waiting {
                                let demand = self.demand[k as usize] + 1;
                                self.set_demand(e.at, k, demand);
                            }
                            self.waiting[upos] = Some(Waiting {
                                keys: refused.waiting,
                                station: station.as_deref().map(fold),
                            });
                        }
                        let id = user.id.clone();
                        self.deny(e.at, &id, catalog::CLIENT, refused.reason);
                        return;
                    }
                };
                self.stop_waiting(upos, e.at);
                if self.active[upos].is_some() {
                    // Another computer: log off from the previous one first.
                    self.end_session(upos, e.at);
                }
                if dynamic {
                    // Subscription: "Nothing stops multiple users from logging
                    // on at the same time" (LTR-158-nothing-stops-peaks).
                    if self.out.dynamic_basic_stations >= self.unassigned_basic_stations && !self.subscription {
                        self.deny(
                            e.at,
                            &user.id,
                            catalog::BASIC_STATION,
                            "dynamic remote logon rejected: no unassigned Basic Station license is available".into(),
                        );
                        return;
                    }
                    self.out.dynamic_basic_stations += 1;
                    self.out.peak_dynamic_basic_stations = self
                        .out
                        .peak_dynamic_basic_stations
                        .max(self.out.dynamic_basic_stations);
                }
                if access.remote_acquires {
                    self.remote_client_in_use += 1;
                }
                // Acquire every concurrent license at the first application.
                let mut held = Vec::new();
                let mut wanted = Vec::new();
                // A scratch list reused from logon to logon.
                let mut active_keys: Vec<&'a str> = std::mem::take(&mut self.scratch_keys);
                active_keys.clear();
                for key in &user.licenses {
                    // What the station holds serves a Concurrent user too: none
                    // is drawn from the pool (LTR-242-user-and-station-combined).
                    if user.method == Method::Assignable || access.serves(key) {
                        active_keys.push(key);
                        continue;
                    }
                    let Some(&k) = self.key_index.get(&**key) else {
                        let id = user.id.clone();
                        self.deny(e.at, &id, key, format!("{key} is not in the license file"));
                        continue;
                    };
                    wanted.push(k);
                    let demand = self.demand[k as usize] + 1;
                    self.set_demand(e.at, k, demand);
                    if self.level[k as usize] < self.pooled[k as usize] || self.subscription {
                        let level = self.level[k as usize] + 1;
                        self.set_level(e.at, k, level);
                        held.push(k);
                        active_keys.push(key);
                    } else {
                        let id = user.id.clone();
                        let pooled = self.pooled[k as usize];
                        let reason = if pooled == 0 {
                            format!(
                                "the license has no concurrent (pooled) {} licenses",
                                catalog::label(key)
                            )
                        } else {
                            format!("all {pooled} concurrent {} licenses are in use", catalog::label(key))
                        };
                        self.deny(e.at, &id, key, reason);
                    }
                }
                let (categories, billing_reason) = match self.categories_memo.get(active_keys.as_slice()) {
                    Some(known) => known.clone(),
                    None => {
                        let (categories, reason) = super::usage::explain(active_keys.iter().copied());
                        let entry = (categories, std::sync::Arc::<str>::from(reason));
                        self.categories_memo.insert(active_keys.clone(), entry.clone());
                        entry
                    }
                };
                self.scratch_keys = active_keys;
                let concurrent = held.iter().map(|k| self.key_names[*k as usize].clone()).collect();
                self.out.sessions.push(Session {
                    user: user.id.clone(),
                    start: e.at,
                    end: None,
                    station: station.map(std::borrow::Cow::into_owned),
                    categories,
                    billing_reason,
                    concurrent,
                });
                let session = self.out.sessions.len() - 1;
                self.active[upos] = Some(Active {
                    session,
                    apps: vec![e.application.as_deref().map(fold)],
                    app_names: vec![e.application.clone()],
                    held,
                    wanted,
                    dynamic_remote: dynamic,
                    remote_client: access.remote_acquires,
                });
                let id = self.shared_id(upos);
                self.counter(e.at, id, 1);
            }
        }
        let _ = self.license;
    }

    pub fn finish(mut self) -> Replay {
        let keys = &self.out.keys;
        let sessions = &self.out.sessions;
        let mut holders: Vec<Holder> = self
            .active
            .iter()
            .flatten()
            .map(|a| {
                let s = &sessions[a.session];
                Holder {
                    user: s.user.clone(),
                    station: s.station.clone(),
                    since: s.start,
                    applications: a
                        .app_names
                        .iter()
                        .map(|n| n.clone().unwrap_or_else(|| "(application not named)".to_string()))
                        .collect(),
                    held: a.held.iter().map(|k| keys[*k as usize].clone()).collect(),
                    denied: a
                        .wanted
                        .iter()
                        .filter(|k| !a.held.contains(k))
                        .map(|k| keys[*k as usize].clone())
                        .collect(),
                    logon_applications: a.app_names.clone(),
                    dynamic_remote: a.dynamic_remote,
                }
            })
            .collect();
        holders.sort_by(|a, b| a.user.cmp(&b.user));
        self.out.holders = holders;
        self.out.in_use = self
            .out
            .keys
            .iter()
            .enumerate()
            .filter(|(i, _)| self.pooled[*i] > 0)
            .map(|(i, k)| (k.clone(), self.level[i]))
            .collect();
        for (i, k) in self.out.keys.iter().enumerate() {
            if self.pooled[i] > 0 {
                self.out.peak.entry(k.clone()).or_insert(0);
            }
        }
        self.out
    }
}
