//! From one events file's replay to per-day summaries: what the history
//! keeps instead of raw events (docs/history.md).

use std::collections::BTreeMap;

use crate::model::dates;
use chrono::{DateTime, NaiveDate, Utc};

use super::logons;
use crate::analysis::replay::{self, Event, EventSink, PoolPoint, Replay, Replayer, Session};
use crate::analysis::usage::{CategorySet, billing_period, session_days};
use crate::model::license::License;
use crate::model::workspace::Workspace;

/// One key on one day.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct KeyDay {
    /// Most pooled licenses held at once.
    pub peak: u32,
    /// Most sessions that wanted the key at once (held or denied).
    pub demand: u32,
    pub denials: u32,
    /// License-minutes held (one license held an hour = 60).
    pub minutes: u64,
    /// The concurrent (pooled) allowance of the license imported with.
    pub allowance: u32,
}

/// One day of one events file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DaySummary {
    pub date: NaiveDate,
    /// Events of the file on that day.
    pub events: usize,
    pub keys: BTreeMap<String, KeyDay>,
    /// Distinct users per billing category (an agent is not also counted as
    /// a business user).
    pub users_by_category: BTreeMap<String, usize>,
}

/// What one events file contributes: the days it covers (first to last
/// event, empty days included, so re-importing clears stale data) and each
/// user's categories per day.
#[derive(Debug, Clone, Default)]
pub struct FileSummary {
    pub first: NaiveDate,
    pub last: NaiveDate,
    pub events: usize,
    pub days: Vec<DaySummary>,
    /// (user, day, categories) for every user counted that day, by day
    /// then user; users by their index in `logons.names`.
    pub user_days: Vec<(u32, NaiveDate, CategorySet)>,
    /// Every day of the file with each user's logged-on minutes (a day
    /// nobody logged on is empty); `logons.names` are the users of the
    /// file's sessions in name order.
    pub logons: super::logons::FileLogons,
    /// How the file ends and begins: what goes on into the next file of an
    /// import (`files::read_files`).
    pub tail: Tail,
}

/// Sessions open at the end of one events file, carried into the next of
/// the same import: logged on again at the start of its first day, so a
/// session over a file boundary (a night shift over the month's end) is
/// counted whole whichever way the events are split.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Carry {
    /// One logon per application of each session (the time is set when
    /// carried).
    pub logons: Vec<Event>,
    /// (user, key) the sessions were denied at their logon: not a new
    /// denial when logged on again.
    pub denied: Vec<(String, String)>,
}

/// The ends of one events file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tail {
    pub first_at: DateTime<Utc>,
    pub last_at: DateTime<Utc>,
    /// The first event of the last day: a file after it that starts later
    /// that day, but before `last_at`, overlaps it within the day.
    pub last_day_first_at: DateTime<Utc>,
    /// The sessions still open at the end.
    pub open: Carry,
    /// How many sessions were carried in from the file before.
    pub carried_in: usize,
    /// Logoffs that found the user logged off (a session begun in an
    /// earlier file that was not carried in).
    pub orphan_logoffs: usize,
    /// What the import says about the file's ends (`ImportReport::notes`).
    pub notes: Vec<String>,
}

impl Carry {
    /// How many sessions (not applications) the logons open.
    pub fn sessions(&self) -> usize {
        let mut users: Vec<&str> = self.logons.iter().map(|e| e.user.as_str()).collect();
        users.sort_unstable();
        users.dedup();
        users.len()
    }

    fn of(r: &Replay) -> Carry {
        let mut out = Carry::default();
        for h in &r.holders {
            // `remote:PHONE` is how a replay names a logon by phone.
            let (station, phone) = match h.station.as_deref().and_then(|s| s.strip_prefix("remote:")) {
                Some(phone) => (None, Some(phone.to_string())),
                None => (h.station.clone(), None),
            };
            let kind = if h.dynamic_remote {
                replay::EventKind::DynamicRemoteLogon
            } else {
                replay::EventKind::Logon
            };
            for app in &h.logon_applications {
                out.logons.push(Event {
                    at: h.since,
                    event: kind,
                    user: h.user.clone(),
                    station: station.clone(),
                    application: app.clone(),
                    phone: phone.clone(),
                });
            }
            out.denied.extend(h.denied.iter().map(|k| (h.user.clone(), k.clone())));
        }
        out
    }
}

impl FileSummary {
    /// Replays `events` (time-ordered, from nobody logged on) and sums them
    /// up per day. `None` for an empty file.
    pub fn of(license: &License, ws: &Workspace, events: &[Event]) -> Option<FileSummary> {
        let mut s = Summariser::new(license, ws);
        for e in events {
            s.event(e.clone());
        }
        s.finish()
    }
}

/// Sums up one events file per day as its events come (time order, from
/// nobody logged on): the replay's level changes, denials and sessions are
/// taken as each event adds them, so what is kept grows with the days and
/// the users, not with the events (a month of 100,000 users is 4 M events).
pub struct Summariser<'a> {
    license: &'a License,
    ws: &'a Workspace,
    replay: Replayer<'a>,
    /// The first event's day, and time.
    start: Option<NaiveDate>,
    first_at: Option<DateTime<Utc>>,
    last_at: Option<DateTime<Utc>>,
    /// The first event of the day of `last_at`.
    last_day_first_at: Option<DateTime<Utc>>,
    events: usize,
    /// Events per day.
    day_events: Vec<usize>,
    nkeys: usize,
    /// `nkeys` cells per day, grown as the days come.
    grid: Vec<KeyDay>,
    held: Walk,
    demand: Walk,
    key_index: rustc_hash::FxHashMap<String, usize>,
    /// Denials of keys the license does not have, per (day, key).
    extra_denials: BTreeMap<(usize, String), u32>,
    /// The sessions' users, by their index.
    names: Vec<String>,
    /// Each user's index in `names`, by the user's position in the
    /// workspace (`NO_INDEX` until their first session): the replay says
    /// whose each session is, no ID is looked up again.
    user_index: Vec<u32>,
    /// The index of a session's user the workspace does not list (not
    /// expected: sessions are the workspace's users').
    other_users: crate::model::seen::Seen,
    /// (day offset, user, categories) per session-day; merged at the end.
    user_days: Vec<(u32, u32, CategorySet)>,
    segments: Vec<logons::Segment>,
    /// Sessions carried in from the file before, logged on at the first
    /// day's midnight (`carry_at`) before the first event.
    carry: Carry,
    carry_at: Option<DateTime<Utc>>,
    /// While the carried sessions log on: a license denied at their logon
    /// in the earlier file is the same denial, not a new one.
    carrying: bool,
    /// The next file's first event, when the sessions still open at the end
    /// may go on into it (see `continued`).
    next_first: Option<DateTime<Utc>>,
}

impl<'a> Summariser<'a> {
    pub fn new(license: &'a License, ws: &'a Workspace) -> Summariser<'a> {
        let mut replay = Replayer::streaming(license, ws);
        replay.track_session_users();
        let keys = replay_keys(license);
        let nkeys = keys.len();
        Summariser {
            license,
            ws,
            replay,
            start: None,
            first_at: None,
            last_at: None,
            last_day_first_at: None,
            events: 0,
            day_events: Vec::new(),
            nkeys,
            grid: Vec::new(),
            held: Walk::new(nkeys),
            demand: Walk::new(nkeys),
            key_index: keys.into_iter().enumerate().map(|(i, k)| (k, i)).collect(),
            extra_denials: BTreeMap::new(),
            names: Vec::new(),
            user_index: vec![NO_INDEX; ws.users().len()],
            other_users: Default::default(),
            user_days: Vec::new(),
            segments: Vec::new(),
            carry: Carry::default(),
            carry_at: None,
            carrying: false,
            next_first: None,
        }
    }

    /// As `new`, with the sessions `carry` (open at the end of the file
    /// before) logged on at the start of this file's first day; and, when
    /// `next_first` (the next file's first event) follows on from this
    /// file's last event, the sessions still open at the end run to the
    /// end of the last day (the next file goes on from there) instead of
    /// stopping at the last event.
    pub fn continued(
        license: &'a License,
        ws: &'a Workspace,
        carry: Carry,
        next_first: Option<DateTime<Utc>>,
    ) -> Summariser<'a> {
        Summariser {
            carry,
            next_first,
            ..Summariser::new(license, ws)
        }
    }

    /// The next file's first event, once it is known which file comes
    /// after the ones read into this summary (see `continued`).
    pub fn go_on_to(&mut self, next_first: Option<DateTime<Utc>>) {
        self.next_first = next_first;
    }

    /// The last event summed up so far.
    pub fn last_at(&self) -> Option<DateTime<Utc>> {
        self.last_at
    }

    /// Logs the carried sessions on at the first day's midnight.
    fn carry_in(&mut self, first: NaiveDate) {
        if self.carry.logons.is_empty() {
            return;
        }
        let at = crate::rules::enforcement::midnight(first);
        self.carry_at = Some(at);
        self.carrying = true;
        let logons = std::mem::take(&mut self.carry.logons);
        for e in &logons {
            self.replay.apply(&Event { at, ..e.clone() });
            self.take();
        }
        self.carry.logons = logons;
        self.carrying = false;
    }

    /// Does the next file go on from `last_at`: it starts at or after it,
    /// on the same day or the next?
    pub fn follows(last_at: DateTime<Utc>, next_first: DateTime<Utc>) -> bool {
        next_first >= last_at && (next_first.date_naive() - last_at.date_naive()).num_days() <= 1
    }

    /// The day of a time at or after the first event.
    fn day(&self, at: DateTime<Utc>) -> usize {
        let first = self.start.unwrap_or(at.date_naive());
        (at.date_naive() - first).num_days().max(0) as usize
    }

    /// Takes what the last event added to the replay.
    fn take(&mut self) {
        let Some(first) = self.start else { return };
        let nkeys = self.nkeys;
        let out = self.replay.pending();
        // Held: peaks and license-seconds, walking the level changes.
        for p in out.pool_points.drain(..) {
            self.held.point(&p, first, &mut self.grid, nkeys, &|cell, level, secs| {
                cell.peak = cell.peak.max(level);
                cell.minutes += u64::from(level) * secs;
            });
        }
        for p in out.demand_points.drain(..) {
            self.demand.point(&p, first, &mut self.grid, nkeys, &|cell, level, _| {
                cell.demand = cell.demand.max(level);
            });
        }
        let mut denials = std::mem::take(&mut out.denials);
        if self.carrying {
            let denied = &self.carry.denied;
            denials.retain(|d| !denied.iter().any(|(u, k)| *u == d.user && *k == d.key));
        }
        let sessions = std::mem::take(&mut out.sessions);
        out.session_logons.clear();
        let session_users = std::mem::take(self.replay.session_users());
        for d in &denials {
            let day = self.day(d.at);
            match self.key_index.get(d.key.as_str()) {
                Some(k) => cell(&mut self.grid, nkeys, day, *k).denials += 1,
                None => *self.extra_denials.entry((day, d.key.clone())).or_default() += 1,
            }
        }
        let last = self.last_at.map_or(first, |t| t.date_naive());
        let end = self.last_at.unwrap_or_default();
        for (i, s) in sessions.iter().enumerate() {
            self.session(s, session_users.get(i).map(|u| *u as usize), first, last, end);
        }
        // Give the lists back to the replay for the next event (their memory).
        *self.replay.session_users() = reuse(session_users);
        let out = self.replay.pending();
        out.denials = reuse(denials);
        out.sessions = reuse(sessions);
    }

    /// A session's categories per day and its logged-on minutes (one still
    /// open runs to `end`, the last event). `upos`: the user's position in
    /// the workspace, when the replay said it.
    fn session(&mut self, s: &Session, upos: Option<usize>, first: NaiveDate, last: NaiveDate, end: DateTime<Utc>) {
        // A carried session that ends as it is carried in (its logoff at
        // exactly midnight) ended in the file before: nothing of it is on
        // this day.
        if self.carry_at.is_some_and(|at| s.start == at && s.end == Some(at))
            && self.carry.logons.iter().any(|e| e.user == s.user)
        {
            return;
        }
        let names = &mut self.names;
        let upos = upos.or_else(|| self.ws.user_pos(&s.user));
        let user = match upos.and_then(|p| self.user_index.get_mut(p)) {
            Some(index) => {
                if *index == NO_INDEX {
                    names.push(s.user.clone());
                    *index = (names.len() - 1) as u32;
                }
                *index
            }
            None => {
                let found = self.other_users.pos(&s.user, |id| {
                    names.push(id.to_string());
                    Some(names.len() - 1)
                });
                // Every spelling gets an index above, so `found` is always set.
                found.map_or(0, |u| u32::try_from(u).unwrap_or(u32::MAX))
            }
        };
        let set = CategorySet::of(&s.categories);
        if !set.is_empty() {
            for day in session_days(s, last) {
                if day >= first && day <= last {
                    let d = u32::try_from((day - first).num_days()).unwrap_or(u32::MAX);
                    self.user_days.push((d, user, set));
                }
            }
        }
        logons::session_segments(s, user, first, last, end, &mut self.segments);
    }

    /// The summary of the events given; `None` when there were none.
    pub fn finish(mut self) -> Option<FileSummary> {
        let first = self.start?;
        let last_at = self.last_at?;
        let last = last_at.date_naive();
        let ndays = ((last - first).num_days() + 1) as usize;
        // Sessions still open run to the last event, or to the end of the
        // last day when the next file starts on the day after and goes on.
        let end = self
            .next_first
            .filter(|n| Summariser::follows(last_at, *n) && n.date_naive() > last)
            .and_then(|_| dates::next_day(last).ok())
            .map(crate::rules::enforcement::midnight)
            .filter(|t| *t > last_at)
            .unwrap_or(last_at);
        let replay = std::mem::replace(&mut self.replay, Replayer::streaming(self.license, self.ws));
        let mut rest = replay.finish();
        let nkeys = self.nkeys;
        for p in rest.pool_points.drain(..) {
            self.held.point(&p, first, &mut self.grid, nkeys, &|cell, level, secs| {
                cell.peak = cell.peak.max(level);
                cell.minutes += u64::from(level) * secs;
            });
        }
        self.held
            .advance(end, first, &mut self.grid, nkeys, &|cell, level, secs| {
                cell.peak = cell.peak.max(level);
                cell.minutes += u64::from(level) * secs;
            });
        for p in rest.demand_points.drain(..) {
            self.demand.point(&p, first, &mut self.grid, nkeys, &|cell, level, _| {
                cell.demand = cell.demand.max(level);
            });
        }
        self.demand
            .advance(end, first, &mut self.grid, nkeys, &|cell, level, _| {
                cell.demand = cell.demand.max(level);
            });
        for s in &rest.sessions {
            self.session(s, None, first, last, end);
        }
        let tail = Tail {
            first_at: self.first_at.unwrap_or(last_at),
            last_at,
            last_day_first_at: self.last_day_first_at.unwrap_or(last_at),
            open: Carry::of(&rest),
            carried_in: self.carry.sessions(),
            orphan_logoffs: rest.orphan_logoffs,
            notes: Vec::new(),
        };
        self.grid.resize(ndays * nkeys, KeyDay::default());
        // Users in name order, so the history numbers them the same way
        // whatever order their sessions closed in.
        let mut order: Vec<u32> = (0..self.names.len() as u32).collect();
        order.sort_unstable_by(|a, b| self.names[*a as usize].cmp(&self.names[*b as usize]));
        let mut remap = vec![0u32; order.len()];
        for (new, old) in order.iter().enumerate() {
            remap[*old as usize] = new as u32;
        }
        let mut names = std::mem::take(&mut self.names);
        let names: Vec<String> = order.iter().map(|i| std::mem::take(&mut names[*i as usize])).collect();
        let mut user_days = std::mem::take(&mut self.user_days);
        for u in &mut user_days {
            u.1 = remap[u.1 as usize];
        }
        user_days.sort_unstable_by_key(|u| (u.0, u.1));
        // One entry per user-day: the union of its sessions' categories.
        let mut merged: Vec<(u32, u32, CategorySet)> = Vec::with_capacity(user_days.len());
        for (d, u, set) in user_days {
            match merged.last_mut() {
                Some(m) if m.0 == d && m.1 == u => m.2 = m.2.union(set),
                _ => merged.push((d, u, set)),
            }
        }
        let mut segments = std::mem::take(&mut self.segments);
        for s in &mut segments {
            s.1 = remap[s.1 as usize];
        }
        let allowance: Vec<u32> = replay_keys(self.license)
            .iter()
            .map(|k| self.license.allowance(k).map_or(0, |a| a.pooled))
            .collect();
        let keys = replay_keys(self.license);
        let mut days = Vec::with_capacity(ndays);
        let mut at = 0;
        for d in 0..ndays {
            // Events are checked against the accepted date range when read,
            // so every day of a file is a representable date.
            let Ok(date) = dates::add_days(first, d as i64) else {
                break;
            };
            let mut day_keys = BTreeMap::new();
            for (k, name) in keys.iter().enumerate() {
                let mut cell = self.grid[d * nkeys + k];
                cell.allowance = allowance[k];
                // The walk credited license-seconds.
                cell.minutes /= 60;
                // Keys with a pool, or used or denied that day.
                if cell.allowance > 0 || cell.demand > 0 || cell.denials > 0 {
                    day_keys.insert(name.clone(), cell);
                }
            }
            for ((_, key), count) in self.extra_denials.range((d, String::new())..(d + 1, String::new())) {
                day_keys.entry(key.clone()).or_default().denials += count;
            }
            let from = at;
            while at < merged.len() && merged[at].0 as usize == d {
                at += 1;
            }
            days.push(DaySummary {
                date,
                events: self.day_events.get(d).copied().unwrap_or(0),
                keys: day_keys,
                users_by_category: crate::analysis::usage::count_users(merged[from..at].iter().map(|m| &m.2)),
            });
        }
        let user_days = merged
            .into_iter()
            .filter_map(|(d, u, set)| Some((u, dates::add_days(first, i64::from(d)).ok()?, set)))
            .collect();
        Some(FileSummary {
            first,
            last,
            events: self.events,
            days,
            user_days,
            logons: logons::from_segments(names, segments, first, last),
            tail,
        })
    }
}

impl EventSink for Summariser<'_> {
    fn event(&mut self, e: Event) {
        let at = e.at;
        // The day, worked out once per event (not per use).
        let date = at.date_naive();
        if self.start.is_none() {
            let first = date;
            self.start = Some(first);
            self.first_at = Some(at);
            self.held.start(first);
            self.demand.start(first);
            self.carry_in(first);
        }
        if self.last_at.is_none_or(|l| l.date_naive() != date) {
            self.last_day_first_at = Some(at);
        }
        self.last_at = Some(at);
        self.events += 1;
        let d = self.start.map_or(0, |first| (date - first).num_days().max(0) as usize);
        if self.day_events.len() <= d {
            self.day_events.resize(d + 1, 0);
        }
        self.day_events[d] += 1;
        self.replay.apply(&e);
        self.take();
    }

    fn restart(&mut self) {
        let carry = std::mem::take(&mut self.carry);
        *self = Summariser::continued(self.license, self.ws, carry, self.next_first);
    }
}

/// A user without a session yet (`Summariser::user_index`).
const NO_INDEX: u32 = u32::MAX;

/// The license's keys as the replay numbers them.
fn replay_keys(license: &License) -> Vec<String> {
    license.allowances().iter().map(|a| a.key.clone()).collect()
}

/// An emptied list, keeping its memory.
fn reuse<T>(mut v: Vec<T>) -> Vec<T> {
    v.clear();
    v
}

/// The cell of key `k` on day `d`, growing the grid to that day.
fn cell(grid: &mut Vec<KeyDay>, nkeys: usize, d: usize, k: usize) -> &mut KeyDay {
    let need = (d + 1) * nkeys;
    if grid.len() < need {
        grid.resize(need, KeyDay::default());
    }
    &mut grid[d * nkeys + k]
}

/// What a walk credits: `f(cell, level, seconds)` for every stretch of
/// constant level within a day, and once with 0 seconds at each change,
/// so a momentary level counts as a peak.
type Credit = dyn Fn(&mut KeyDay, u32, u64);

/// Walks level changes in time order as they come. Levels carried over
/// midnight count on the next day too; `advance` to the last event ends it.
struct Walk {
    level: Vec<u32>,
    day: usize,
    /// The walk's clock: everything before it is credited.
    t: DateTime<Utc>,
}

impl Walk {
    fn new(nkeys: usize) -> Walk {
        Walk {
            level: vec![0; nkeys],
            day: 0,
            t: DateTime::<Utc>::MIN_UTC,
        }
    }

    /// Starts the clock at the first day's midnight.
    fn start(&mut self, first: NaiveDate) {
        self.t = crate::rules::enforcement::midnight(first);
    }

    fn point(&mut self, p: &PoolPoint, first: NaiveDate, grid: &mut Vec<KeyDay>, nkeys: usize, f: &Credit) {
        self.advance(p.at, first, grid, nkeys, f);
        self.level[p.key as usize] = p.in_use;
        f(cell(grid, nkeys, self.day, p.key as usize), p.in_use, 0);
    }

    /// Moves the clock to `to` (at most the last event), crediting the
    /// levels held meanwhile to each day they span.
    fn advance(&mut self, to: DateTime<Utc>, first: NaiveDate, grid: &mut Vec<KeyDay>, nkeys: usize, f: &Credit) {
        while self.t < to {
            let Ok(next) = dates::add_days(first, self.day as i64 + 1) else {
                return;
            };
            let next_midnight = crate::rules::enforcement::midnight(next);
            let stop = to.min(next_midnight);
            let secs = (stop - self.t).num_seconds().max(0) as u64;
            for (k, l) in self.level.iter().enumerate() {
                if *l > 0 {
                    f(cell(grid, nkeys, self.day, k), *l, secs);
                }
            }
            self.t = stop;
            if stop < next_midnight {
                continue;
            }
            // `to` is at most the last event, so the next day is one of
            // the file's.
            self.day += 1;
            for (k, l) in self.level.iter().enumerate() {
                if *l > 0 {
                    f(cell(grid, nkeys, self.day, k), *l, 0);
                }
            }
        }
    }
}

/// The billing period (first day) of a day and the day's bit in it.
pub fn period_bit(day: NaiveDate) -> (NaiveDate, u32) {
    let (start, _, _) = billing_period(day);
    (start, (day - start).num_days() as u32)
}
