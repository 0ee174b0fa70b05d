//! From one events file's replay to per-day summaries: what the history
//! keeps instead of raw events (docs/history.md).

use std::collections::{BTreeMap, HashMap};

use crate::core::dates;
use chrono::{DateTime, NaiveDate, Utc};

use crate::core::license::License;
use crate::core::replay::{self, Event, PoolPoint, Replay};
use crate::core::usage::{CategorySet, billing_period, session_days};
use crate::core::workspace::Workspace;

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
    /// (user, day, categories) for every user counted that day.
    pub user_days: Vec<(String, NaiveDate, CategorySet)>,
    /// Every day of the file with each user's logged-on minutes (a day
    /// nobody logged on is empty).
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
        FileSummary::continued(license, ws, events, &Carry::default(), None)
    }

    /// As `of`, with the sessions `carry` logged on at the start of the
    /// file's first day, and the sessions still open at the end running to
    /// `run_to` (the end of the last day, when the next file goes on from
    /// there) instead of the last event.
    pub fn continued(
        license: &License,
        ws: &Workspace,
        events: &[Event],
        carry: &Carry,
        run_to: Option<DateTime<Utc>>,
    ) -> Option<FileSummary> {
        let first_at = events.first()?.at;
        let last_at = events.last()?.at;
        let carry_at = crate::core::enforcement::midnight(first_at.date_naive());
        let mut rp = replay::Replayer::new(license, ws);
        for e in &carry.logons {
            rp.apply(&Event {
                at: carry_at,
                ..e.clone()
            });
        }
        for e in events {
            rp.apply(e);
        }
        let mut r = rp.finish();
        // A session denied a license at its logon goes on without it: the
        // same denial, not a new one.
        r.denials
            .retain(|d| d.at != carry_at || !carry.denied.iter().any(|(u, k)| *u == d.user && *k == d.key));
        let end = run_to.filter(|t| *t > last_at).unwrap_or(last_at);
        let mut summary = summarise(license, &r, (first_at, last_at), end, events.len());
        summary.tail = Tail {
            first_at,
            last_at,
            open: Carry::of(&r),
            carried_in: carry.sessions(),
            orphan_logoffs: r.orphan_logoffs,
            notes: Vec::new(),
        };
        for e in events {
            let d = (e.at.date_naive() - summary.first).num_days() as usize;
            if let Some(day) = summary.days.get_mut(d) {
                day.events += 1;
            }
        }
        Some(summary)
    }
}

/// The days run from the first event's to the last event's; sessions
/// still open stop at `end` (the last event, or the end of the last day
/// when the next file goes on).
fn summarise(
    license: &License,
    r: &Replay,
    (first_at, last_at): (DateTime<Utc>, DateTime<Utc>),
    end: DateTime<Utc>,
    n: usize,
) -> FileSummary {
    let first = first_at.date_naive();
    let last = last_at.date_naive();
    let ndays = ((last - first).num_days() + 1) as usize;
    let nkeys = r.keys.len();
    let mut grid = vec![KeyDay::default(); ndays * nkeys];
    let day_of = |at: DateTime<Utc>| ((at.date_naive() - first).num_days().max(0) as usize).min(ndays - 1);
    // Held: peaks and license-minutes, walking the level changes.
    walk(&r.pool_points, nkeys, ndays, first, end, &mut |d, k, level, secs| {
        let cell = &mut grid[d * nkeys + k];
        cell.peak = cell.peak.max(level);
        cell.minutes += u64::from(level) * secs;
    });
    walk(&r.demand_points, nkeys, ndays, first, end, &mut |d, k, level, _| {
        let cell = &mut grid[d * nkeys + k];
        cell.demand = cell.demand.max(level);
    });
    let mut extra_denials: BTreeMap<(usize, String), u32> = BTreeMap::new();
    let key_index: HashMap<&str, usize> = r.keys.iter().enumerate().map(|(i, k)| (k.as_str(), i)).collect();
    for d in &r.denials {
        match key_index.get(d.key.as_str()) {
            Some(k) => grid[day_of(d.at) * nkeys + k].denials += 1,
            None => *extra_denials.entry((day_of(d.at), d.key.clone())).or_default() += 1,
        }
    }
    let allowance: Vec<u32> = r
        .keys
        .iter()
        .map(|k| license.allowance(k).map_or(0, |a| a.pooled))
        .collect();
    // Each user's categories per day.
    let mut user_day: HashMap<(&str, NaiveDate), CategorySet> = HashMap::new();
    for s in &r.sessions {
        let set = CategorySet::of(&s.categories);
        if set.is_empty() {
            continue;
        }
        for day in session_days(s, last) {
            let e = user_day.entry((s.user.as_str(), day)).or_default();
            *e = e.union(set);
        }
    }
    let mut per_day_sets: Vec<Vec<CategorySet>> = vec![Vec::new(); ndays];
    let mut user_days = Vec::with_capacity(user_day.len());
    for ((user, day), set) in user_day {
        if day >= first && day <= last {
            per_day_sets[(day - first).num_days() as usize].push(set);
            user_days.push((user.to_string(), day, set));
        }
    }
    user_days.sort_unstable_by(|a, b| (a.1, &a.0).cmp(&(b.1, &b.0)));
    let mut days = Vec::with_capacity(ndays);
    for (d, sets) in per_day_sets.iter().enumerate() {
        // Events are checked against the accepted date range when read, so
        // every day of a file is a representable date.
        let Ok(date) = dates::add_days(first, d as i64) else {
            break;
        };
        let mut keys = BTreeMap::new();
        for (k, name) in r.keys.iter().enumerate() {
            let mut cell = grid[d * nkeys + k];
            cell.allowance = allowance[k];
            // The walk credited license-seconds.
            cell.minutes /= 60;
            // Keys with a pool, or used or denied that day.
            if cell.allowance > 0 || cell.demand > 0 || cell.denials > 0 {
                keys.insert(name.clone(), cell);
            }
        }
        for ((_, key), count) in extra_denials.range((d, String::new())..(d + 1, String::new())) {
            keys.entry(key.clone()).or_default().denials += count;
        }
        days.push(DaySummary {
            date,
            events: 0,
            keys,
            users_by_category: crate::core::usage::count_users(sets),
        });
    }
    FileSummary {
        first,
        last,
        events: n,
        days,
        user_days,
        logons: super::logons::from_sessions(&r.sessions, first, last, end),
        tail: Tail::default(),
    }
}

/// Walks level changes in time order, calling `f(day, key, level, seconds)`
/// for every stretch of constant level within a day (and once with 0
/// seconds at each change, so a momentary level counts as a peak). Levels
/// carried over midnight count on the next day too; the walk ends at `end`.
fn walk(
    points: &[PoolPoint],
    nkeys: usize,
    ndays: usize,
    first: NaiveDate,
    end: DateTime<Utc>,
    f: &mut dyn FnMut(usize, usize, u32, u64),
) {
    let mut level = vec![0u32; nkeys];
    let mut day = 0usize;
    let mut t = crate::core::enforcement::midnight(first);
    for p in points {
        advance(p.at, first, ndays, &mut day, &mut t, &level, f);
        level[p.key as usize] = p.in_use;
        f(day, p.key as usize, p.in_use, 0);
    }
    advance(end, first, ndays, &mut day, &mut t, &level, f);
}

/// Moves the walk's clock `t` to `to`, crediting the levels held meanwhile
/// to each day they span.
fn advance(
    to: DateTime<Utc>,
    first: NaiveDate,
    ndays: usize,
    day: &mut usize,
    t: &mut DateTime<Utc>,
    level: &[u32],
    f: &mut dyn FnMut(usize, usize, u32, u64),
) {
    while *t < to {
        let Ok(next) = dates::add_days(first, *day as i64 + 1) else {
            return;
        };
        let next_midnight = crate::core::enforcement::midnight(next);
        let stop = to.min(next_midnight);
        let secs = (stop - *t).num_seconds().max(0) as u64;
        for (k, l) in level.iter().enumerate() {
            if *l > 0 {
                f(*day, k, *l, secs);
            }
        }
        *t = stop;
        if stop < next_midnight {
            continue;
        }
        if *day + 1 >= ndays {
            break;
        }
        *day += 1;
        for (k, l) in level.iter().enumerate() {
            if *l > 0 {
                f(*day, k, *l, 0);
            }
        }
    }
}

/// The billing period (first day) of a day and the day's bit in it.
pub fn period_bit(day: NaiveDate) -> (NaiveDate, u32) {
    let (start, _, _) = billing_period(day);
    (start, (day - start).num_days() as u32)
}
