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
}

impl FileSummary {
    /// Replays `events` (time-ordered, from nobody logged on) and sums them
    /// up per day. `None` for an empty file.
    pub fn of(license: &License, ws: &Workspace, events: &[Event]) -> Option<FileSummary> {
        let first_at = events.first()?.at;
        let last_at = events.last()?.at;
        let r = replay::replay(license, ws, events, None);
        let mut summary = summarise(license, &r, first_at, last_at, events.len());
        for e in events {
            let d = (e.at.date_naive() - summary.first).num_days() as usize;
            if let Some(day) = summary.days.get_mut(d) {
                day.events += 1;
            }
        }
        Some(summary)
    }
}

fn summarise(license: &License, r: &Replay, first_at: DateTime<Utc>, last_at: DateTime<Utc>, n: usize) -> FileSummary {
    let first = first_at.date_naive();
    let last = last_at.date_naive();
    let ndays = ((last - first).num_days() + 1) as usize;
    let nkeys = r.keys.len();
    let mut grid = vec![KeyDay::default(); ndays * nkeys];
    let day_of = |at: DateTime<Utc>| ((at.date_naive() - first).num_days().max(0) as usize).min(ndays - 1);
    // Held: peaks and license-minutes, walking the level changes.
    walk(
        &r.pool_points,
        nkeys,
        ndays,
        first,
        last_at,
        &mut |d, k, level, secs| {
            let cell = &mut grid[d * nkeys + k];
            cell.peak = cell.peak.max(level);
            cell.minutes += u64::from(level) * secs;
        },
    );
    walk(&r.demand_points, nkeys, ndays, first, last_at, &mut |d, k, level, _| {
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
        logons: super::logons::from_sessions(&r.sessions, first, last, last_at),
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
