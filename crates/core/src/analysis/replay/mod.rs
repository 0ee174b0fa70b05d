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

use chrono::{DateTime, Utc};

use crate::model::catalog::{self, BillingCategory};
use crate::model::license::License;
use crate::model::progress::Progress;
use crate::model::workspace::{Method, Workspace, fold, fold_ref};

mod access;
mod events;
mod facts;
use crate::model::seen;
mod logons;
mod stream;
mod types;
pub use events::{
    Event, EventKind, EventSink, EventsError, MAX_EVENTS_FILE_BYTES, MAX_SPAN_DAYS, ReadError, ReadStats, load_file,
    parse_events, read_bytes, read_file, read_file_piped,
};
pub use stream::{Take, Totals, replay_file, replay_taking};
pub use types::{CounterStep, Denial, Holder, PoolPoint, Replay, Session, denied_logons};

/// Where a logged-on user's session is.
#[derive(Debug, Clone)]
enum Slot {
    /// Its place in `Replay::sessions` (a replay that keeps every session).
    Kept(usize),
    /// The session itself until it ends, and the logon that started it (a
    /// streaming replay: it then goes to `Replay::sessions` for the caller
    /// to take). Kept in the user's `Active`, one allocation for both.
    Open(Session, usize),
}

#[derive(Debug, Clone)]
struct Active {
    /// The session (which has the station).
    session: Slot,
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

/// Replays events from scratch. `until` stops before later events (the
/// trainer's clock); `None` replays them all.
pub fn replay(license: &License, ws: &Workspace, events: &[Event], until: Option<DateTime<Utc>>) -> Replay {
    replay_with(license, ws, events, until, &Progress::default()).unwrap_or_default()
}

/// `replay`, reporting how many events are done and stopping when
/// `progress` is cancelled (`None`): for a worker thread, whose window
/// shows the progress and offers Cancel.
pub fn replay_with(
    license: &License,
    ws: &Workspace,
    events: &[Event],
    until: Option<DateTime<Utc>>,
    progress: &Progress,
) -> Option<Replay> {
    // Progress and the cancel flag every few thousand events: often enough
    // for the bar, rare enough to cost nothing.
    const CHUNK: usize = 4096;
    // Up to the first event after `until` (the events are in time order).
    let n = until.map_or(events.len(), |u| {
        events.iter().position(|e| e.at > u).unwrap_or(events.len())
    });
    let events = &events[..n];
    progress.stage_begins(REPLAYING, n);
    let mut r = Replayer::new(license, ws);
    // One counter step per event, a session per logon: reserved once
    // instead of grown (and copied) step by step.
    r.out.counters.reserve(n);
    r.out.sessions.reserve(n / 2);
    for (i, chunk) in events.chunks(CHUNK).enumerate() {
        if progress.cancelled() {
            return None;
        }
        for e in chunk {
            r.apply(e);
        }
        progress.advance(i * CHUNK + chunk.len());
    }
    if progress.cancelled() {
        return None;
    }
    Some(r.finish())
}

/// What a replay's progress says while it runs.
pub const REPLAYING: &str = "Replaying the events";

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

/// A session's billing categories and why, in words.
type Billed = (Vec<BillingCategory>, std::sync::Arc<str>);

/// The replay state machine; feed it events in time order.
pub struct Replayer<'a> {
    license: &'a License,
    ws: &'a Workspace,
    key_index: rustc_hash::FxHashMap<String, u32>,
    /// The users' and stations' keys as a logon needs them (Client Access,
    /// the catalogue key, the pool), worked out at their first logon.
    facts: facts::Facts<'a>,
    /// The keys of the logon being applied (kept to reuse its memory).
    scratch_facts: Vec<facts::KeyFacts<'a>>,
    /// The most held and wanted per key (`None`: never changed), and the
    /// days a pool was full: made into the replay's maps by name at the end.
    peaks: Vec<Option<u32>>,
    demand_peaks: Vec<Option<u32>>,
    full_days: Vec<Vec<chrono::NaiveDate>>,
    pooled: Vec<u32>,
    level: Vec<u32>,
    demand: Vec<u32>,
    /// The session of each user logged on, by the user's position in the
    /// workspace (no hashing or case-folding per event). Boxed: the list
    /// is a pointer per user, small enough to stay in the cache, and a
    /// logged-on user's state is one place in memory.
    active: Vec<Option<Box<Active>>>,
    /// Each user's logon refused for want of pooled Client Access, until
    /// their logoff, by the user's position: few at a time, so a small
    /// map every event can ask without a trip to memory.
    waiting: rustc_hash::FxHashMap<usize, Waiting>,
    /// Billing categories and reason per set of active keys: the same few
    /// sets recur for thousands of sessions.
    /// Keyed by the keys' addresses (the workspace's shared names).
    categories_memo: rustc_hash::FxHashMap<Vec<(usize, usize)>, Billed>,
    scratch_addresses: Vec<(usize, usize)>,
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
    /// The events' spellings of user and station IDs, looked up once each.
    users_seen: seen::Seen,
    stations_seen: seen::Seen,
    /// Sessions leave for `out.sessions` as they end, counter steps are not
    /// kept (see `Replayer::streaming`).
    streaming: bool,
    /// Sessions started so far (streaming: their logon numbers).
    logons: usize,
    /// Streaming, when asked for (`track_session_users`): the position in
    /// the workspace of the user of each session in `out.sessions`, for a
    /// caller that counts by user without looking each ID up again.
    session_users: Option<Vec<u32>>,
    /// Client Access licenses not assigned to users or stations (for
    /// configured remote stations without one), and how many are acquired.
    unassigned_client: u32,
    remote_client_in_use: u32,
    out: Replay,
}

/// Where the session of a logged-on user is kept.
fn session_of<'s>(sessions: &'s [Session], slot: &'s Slot) -> &'s Session {
    match slot {
        Slot::Kept(i) => &sessions[*i],
        Slot::Open(s, _) => s,
    }
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
            facts: facts::Facts::new(ws.users().len(), ws.stations().len()),
            scratch_facts: Vec::new(),
            peaks: vec![None; n],
            demand_peaks: vec![None; n],
            full_days: vec![Vec::new(); n],
            scratch_addresses: Vec::new(),
            pooled,
            level: vec![0; n],
            demand: vec![0; n],
            active: vec![None; ws.users().len()],
            waiting: Default::default(),
            categories_memo: Default::default(),
            key_names: keys.iter().map(|k| std::sync::Arc::from(k.as_str())).collect(),
            ids: vec![None; ws.users().len()],
            scratch_keys: Vec::new(),
            unassigned_basic_stations: bs_allowed.saturating_sub(bs_assigned),
            subscription: license.is_subscription(),
            users_seen: Default::default(),
            stations_seen: Default::default(),
            streaming: false,
            logons: 0,
            session_users: None,
            unassigned_client: access::unassigned_client_access(license, ws),
            remote_client_in_use: 0,
            out: Replay {
                keys,
                ..Default::default()
            },
        }
    }

    /// A replay for events read as they go: memory follows the users
    /// logged on, not the events. A session goes to `Replay::sessions`
    /// when it ends (sessions come in the order they close; those still
    /// open at the end follow at `finish`), no counter steps are kept, and
    /// the caller takes what each event added — closed sessions, denials,
    /// pool and demand points — from `pending()` as it goes.
    pub fn streaming(license: &'a License, ws: &'a Workspace) -> Self {
        Replayer {
            streaming: true,
            ..Replayer::new(license, ws)
        }
    }

    /// What the events so far added and the caller has not taken yet (a
    /// streaming replay): sessions, denials, pool and demand points, and
    /// the events ignored. Peaks and full days are made by `finish`.
    pub fn pending(&mut self) -> &mut Replay {
        &mut self.out
    }

    /// From now on, note the user of each session that ends (a streaming
    /// replay): `session_users` gives their positions in the workspace,
    /// one per session of `pending().sessions`, and is emptied with them.
    pub(crate) fn track_session_users(&mut self) {
        self.session_users.get_or_insert_with(Vec::new);
    }

    /// The users' positions of the sessions that ended, beside
    /// `pending().sessions` (see `track_session_users`).
    pub(crate) fn session_users(&mut self) -> &mut Vec<u32> {
        self.session_users.get_or_insert_with(Vec::new)
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
        let peak = self.peaks[key as usize].get_or_insert(0);
        *peak = (*peak).max(level);
        if level >= self.pooled[key as usize] && level > 0 {
            let day = at.date_naive();
            let days = &mut self.full_days[key as usize];
            // Times come in order: a day is added once.
            if days.last() != Some(&day) {
                days.push(day);
            }
        }
    }

    fn set_demand(&mut self, at: DateTime<Utc>, key: u32, demand: u32) {
        self.demand[key as usize] = demand;
        self.out.demand_points.push(PoolPoint {
            at,
            key,
            in_use: demand,
        });
        let peak = self.demand_peaks[key as usize].get_or_insert(0);
        *peak = (*peak).max(demand);
    }

    /// The user's ID, made once per user for all their counter steps.
    fn shared_id(&mut self, upos: usize) -> std::sync::Arc<str> {
        self.ids[upos]
            .get_or_insert_with(|| std::sync::Arc::from(self.ws.users()[upos].id.as_str()))
            .clone()
    }

    fn counter(&mut self, at: DateTime<Utc>, upos: usize, counter: u32) {
        if self.streaming {
            return;
        }
        let user = self.shared_id(upos);
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
        let active = *active;
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
        match active.session {
            Slot::Kept(i) => self.out.sessions[i].end = Some(at),
            Slot::Open(mut s, logon) => {
                s.end = Some(at);
                self.out.sessions.push(s);
                self.out.session_logons.push(logon);
                if let Some(users) = &mut self.session_users {
                    users.push(pos as u32);
                }
            }
        }
        self.counter(at, pos, 0);
    }

    /// Ends a refused logon's wait: its demand is given back.
    fn stop_waiting(&mut self, pos: usize, at: DateTime<Utc>) {
        if let Some(w) = self.waiting.remove(&pos) {
            for k in w.keys {
                let demand = self.demand[k as usize].saturating_sub(1);
                self.set_demand(at, k, demand);
            }
        }
    }

    /// A logoff that belongs to the user's refused logon (none active, or
    /// one named at the refused station) ends the wait.
    fn ends_wait(&mut self, pos: usize, e: &Event) -> bool {
        let Some(w) = self.waiting.get(&pos) else {
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
        let Some(upos) = self.users_seen.pos(&e.user, |id| ws.user_pos(id)) else {
            self.out.ignored.push(format!("{}: unknown user `{}`", e.at, e.user));
            return;
        };
        let user = &ws.users()[upos];
        match e.event {
            EventKind::ForcedLogoff => {
                let waited = self.waiting.contains_key(&upos);
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
            EventKind::Logoff => self.logoff(e, upos, user),
            EventKind::Logon | EventKind::DynamicRemoteLogon => self.logon(e, upos, user),
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
                let s = session_of(sessions, &a.session);
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
        // Streaming: the sessions still open follow the closed ones.
        for a in std::mem::take(&mut self.active).into_iter().flatten() {
            if let Slot::Open(s, logon) = a.session {
                self.out.sessions.push(s);
                self.out.session_logons.push(logon);
            }
        }
        self.out.in_use = self
            .out
            .keys
            .iter()
            .enumerate()
            .filter(|(i, _)| self.pooled[*i] > 0)
            .map(|(i, k)| (k.clone(), self.level[i]))
            .collect();
        for (i, k) in self.out.keys.iter().enumerate() {
            if self.peaks[i].is_some() || self.pooled[i] > 0 {
                self.out.peak.insert(k.clone(), self.peaks[i].unwrap_or(0));
            }
            if let Some(p) = self.demand_peaks[i] {
                self.out.peak_demand.insert(k.clone(), p);
            }
            let days = std::mem::take(&mut self.full_days[i]);
            if !days.is_empty() {
                self.out.full_days.insert(k.clone(), days.into_iter().collect());
            }
        }
        self.out
    }
}
