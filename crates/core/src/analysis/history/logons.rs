//! Each user's logged-on minutes per day: what the Genesys Cloud estimate
//! needs to count named and concurrent users and hours under any mapping
//! (docs/history.md, schema 2). A day is one row of `day_logons` holding a
//! compact BLOB: format byte 1, then per user in ascending ID order the ID's
//! difference from the previous one, the number of spans and, per span, the
//! gap since the previous span's end and its length, all as LEB128 varints
//! in minutes of the day (0–1440). A year of 10,000 users is about 15 MB.
//!
//! A user is logged on in a minute when any of their sessions is open at
//! any moment of it; a session shorter than a minute still counts its
//! minute. Sessions still open at the end of an events file run to its
//! last event, or to the end of its last day when the next file of the
//! import goes on with them (`files::carry_over`), as the other summaries do.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};

use crate::analysis::replay::Session;
use crate::analysis::usage::CategorySet;
use crate::model::catalog::BillingCategory;

pub const MINUTES_PER_DAY: u16 = 1440;
/// The BLOB's format byte.
const FORMAT: u8 = 1;

/// A logged-on span: minutes `[from, to)` of a day.
pub type Span = [u16; 2];

/// What one events file adds: every day it covers, each with its users'
/// spans (users by their index in `names`, the IDs as in the events).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileLogons {
    pub names: Vec<String>,
    pub days: Vec<DayLogons>,
}

/// Hands `decode`'s caller each user's ID and spans.
pub type OnUser<'a> = dyn FnMut(i64, &[Span]) -> Result<(), BlobError> + 'a;

/// Why a day's BLOB of logged-on times was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BlobError {
    /// Out of shape: what is wrong.
    #[error("its logged-on times are damaged ({0})")]
    Damaged(&'static str),
    /// A user the users table does not list.
    #[error("user #{0} is missing from the users table")]
    UnknownUser(i64),
}

/// One day's spans per user (users by their index in `Logons::names`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DayLogons {
    pub date: NaiveDate,
    users: Vec<u32>,
    ends: Vec<u32>,
    spans: Vec<Span>,
}

impl DayLogons {
    pub fn new(date: NaiveDate) -> DayLogons {
        DayLogons {
            date,
            ..Default::default()
        }
    }

    /// Adds a user's spans (cut to the day, sorted and merged); a user
    /// with no minute left is not added. Each user is added once a day,
    /// with all their spans.
    pub fn push(&mut self, user: u32, spans: &[Span]) {
        let start = self.spans.len();
        self.spans.extend(
            spans
                .iter()
                .map(|[a, b]| [(*a).min(MINUTES_PER_DAY), (*b).min(MINUTES_PER_DAY)])
                .filter(|[a, b]| a < b),
        );
        let tail = &mut self.spans[start..];
        tail.sort_unstable();
        // Merge overlapping and touching spans in place.
        let mut kept = start;
        for i in start..self.spans.len() {
            let s = self.spans[i];
            if kept > start && s[0] <= self.spans[kept - 1][1] {
                let last = &mut self.spans[kept - 1];
                last[1] = last[1].max(s[1]);
            } else {
                self.spans[kept] = s;
                kept += 1;
            }
        }
        self.spans.truncate(kept);
        if kept == start {
            return;
        }
        self.users.push(user);
        self.ends.push(u32::try_from(self.spans.len()).unwrap_or(u32::MAX));
    }

    /// Each user and their spans, in the order added.
    pub fn iter(&self) -> impl Iterator<Item = (u32, &[Span])> {
        self.users.iter().enumerate().map(|(i, u)| {
            let from = if i == 0 { 0 } else { self.ends[i - 1] as usize };
            (*u, &self.spans[from..self.ends[i] as usize])
        })
    }

    pub fn len(&self) -> usize {
        self.users.len()
    }

    pub fn is_empty(&self) -> bool {
        self.users.is_empty()
    }
}

/// Spans cut to the day, sorted, overlapping and touching ones merged.
pub fn normalise(spans: &[Span]) -> Vec<Span> {
    let mut v: Vec<Span> = spans
        .iter()
        .map(|[a, b]| [(*a).min(MINUTES_PER_DAY), (*b).min(MINUTES_PER_DAY)])
        .filter(|[a, b]| a < b)
        .collect();
    v.sort_unstable();
    let mut out: Vec<Span> = Vec::with_capacity(v.len());
    for s in v {
        match out.last_mut() {
            Some(last) if s[0] <= last[1] => last[1] = last[1].max(s[1]),
            _ => out.push(s),
        }
    }
    out
}

/// What the estimate reads from a history for a range of days.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Logons {
    /// User IDs as in the events; indexes are the users of `days`.
    pub names: Vec<String>,
    /// Days with logged-on times, in date order.
    pub days: Vec<DayLogons>,
    /// Days of the history in the range without logged-on times (imported
    /// by an older version: their events must be imported again).
    pub lacking: Vec<NaiveDate>,
    /// Each user's PureConnect billing categories, per PureConnect billing
    /// period, with one bit per day of that period.
    pub categories: Vec<CategoryDays>,
}

/// One row of a user's PureConnect categories (`period_user`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CategoryDays {
    /// The PureConnect billing period's first day (28th).
    pub period: NaiveDate,
    pub user: u32,
    pub category: BillingCategory,
    /// Bit `i`: day `period + i`.
    pub days: i64,
}

impl Logons {
    /// Each user's PureConnect categories on the days `lo..=hi`.
    pub fn categories_between(&self, lo: NaiveDate, hi: NaiveDate) -> Vec<(u32, CategorySet)> {
        let mut sets: HashMap<u32, CategorySet> = HashMap::new();
        let mut masks: HashMap<NaiveDate, i64> = HashMap::new();
        for row in &self.categories {
            let mask = *masks.entry(row.period).or_insert_with(|| day_mask(row.period, lo, hi));
            if row.days & mask != 0 {
                sets.entry(row.user).or_default().insert(row.category);
            }
        }
        let mut out: Vec<(u32, CategorySet)> = sets.into_iter().collect();
        out.sort_unstable_by_key(|(u, _)| *u);
        out
    }
}

/// The bits of the days `lo..=hi` in the period starting `start` (63 days at most).
pub fn day_mask(start: NaiveDate, lo: NaiveDate, hi: NaiveDate) -> i64 {
    let mut mask = 0i64;
    for bit in 0..63i64 {
        let Ok(day) = crate::model::dates::add_days(start, bit) else {
            break;
        };
        if day > hi {
            break;
        }
        if day >= lo {
            mask |= 1 << bit;
        }
    }
    mask
}

/// One session's logged-on minutes on one day: (day offset from the
/// file's first day, user, from, to) in minutes of the day.
pub type Segment = (u32, u32, u16, u16);

/// Adds a session's spans, one per day it touches within `first..=last`
/// (a session still open runs to `end`), for user `user`.
pub fn session_segments(
    s: &Session,
    user: u32,
    first: NaiveDate,
    last: NaiveDate,
    end: DateTime<Utc>,
    segments: &mut Vec<Segment>,
) {
    let stop = s.end.unwrap_or(end);
    if stop < s.start {
        return;
    }
    let mut day = s.start.date_naive().max(first);
    let last_day = stop.date_naive().min(last);
    while day <= last_day {
        let midnight = crate::rules::enforcement::midnight(day);
        let lo = (s.start - midnight).num_seconds().max(0);
        let hi = (stop - midnight).num_seconds().min(86_400);
        let span = if s.start == stop {
            // A session shorter than a second still counts its minute.
            Some((lo / 60, lo / 60 + 1))
        } else if lo < hi {
            Some((lo / 60, (hi + 59) / 60))
        } else {
            None
        };
        if let Some((a, b)) = span {
            let a = u16::try_from(a.clamp(0, 1439)).unwrap_or(0);
            let b = u16::try_from(b.clamp(1, 1440)).unwrap_or(MINUTES_PER_DAY);
            let offset = u32::try_from((day - first).num_days()).unwrap_or(u32::MAX);
            segments.push((offset, user, a, b));
        }
        match crate::model::dates::next_day(day) {
            Ok(next) => day = next,
            Err(_) => break,
        }
    }
}

/// Each user's spans per day of `first..=last` from every session's
/// segments; every day of the range is listed. One flat list sorted once:
/// no map or list per user-day (a month of 100,000 users is two million
/// user-days).
pub fn from_segments(names: Vec<String>, mut segments: Vec<Segment>, first: NaiveDate, last: NaiveDate) -> FileLogons {
    let mut out = FileLogons {
        names,
        days: Vec::new(),
    };
    segments.sort_unstable();
    let mut day = first;
    while day <= last {
        out.days.push(DayLogons::new(day));
        match crate::model::dates::next_day(day) {
            Ok(next) => day = next,
            Err(_) => break,
        }
    }
    let mut spans: Vec<Span> = Vec::new();
    let mut i = 0;
    while i < segments.len() {
        let (d, u, _, _) = segments[i];
        spans.clear();
        while i < segments.len() && segments[i].0 == d && segments[i].1 == u {
            spans.push([segments[i].2, segments[i].3]);
            i += 1;
        }
        if let Some(day) = out.days.get_mut(d as usize) {
            day.push(u, &spans);
        }
    }
    out
}

impl super::History {
    /// The logged-on minutes and PureConnect categories of `from..=to`:
    /// what the Genesys Cloud estimate reads. Days imported before schema
    /// 2 are listed in `lacking`.
    pub fn logons(&self, from: NaiveDate, to: NaiveDate) -> Result<Logons, super::HistoryError> {
        use rusqlite::params;
        let e = |e: rusqlite::Error| self.db_err(e);
        let (f, t) = (super::date_text(from), super::date_text(to));
        let mut out = Logons::default();
        let mut index: HashMap<i64, u32> = HashMap::new();
        {
            let mut stmt = self
                .read()
                .prepare_cached("SELECT id, name FROM users ORDER BY id")
                .map_err(e)?;
            let mut rows = stmt.query([]).map_err(e)?;
            while let Some(row) = rows.next().map_err(e)? {
                let i = u32::try_from(out.names.len()).map_err(|_| self.err("too many users"))?;
                index.insert(row.get(0).map_err(e)?, i);
                out.names.push(row.get(1).map_err(e)?);
            }
        }
        let mut days = Vec::new();
        {
            let mut stmt = self
                .read()
                .prepare_cached("SELECT day FROM days WHERE day BETWEEN ?1 AND ?2 ORDER BY day")
                .map_err(e)?;
            let mut rows = stmt.query(params![f, t]).map_err(e)?;
            while let Some(row) = rows.next().map_err(e)? {
                let day: String = row.get(0).map_err(e)?;
                days.push(self.parse_date(&day)?);
            }
        }
        if self.version >= 2 {
            let mut stmt = self
                .read()
                .prepare_cached("SELECT day, data FROM day_logons WHERE day BETWEEN ?1 AND ?2 ORDER BY day")
                .map_err(e)?;
            let mut rows = stmt.query(params![f, t]).map_err(e)?;
            while let Some(row) = rows.next().map_err(e)? {
                let day: String = row.get(0).map_err(e)?;
                let date = self.parse_date(&day)?;
                if days.binary_search(&date).is_err() {
                    continue;
                }
                let blob = row
                    .get_ref(1)
                    .map_err(e)?
                    .as_blob()
                    .map_err(|_| self.err(format!("{day}: its logged-on times are not a BLOB")))?;
                let mut d = DayLogons::new(date);
                decode(blob, &mut |id, spans| {
                    let i = index.get(&id).ok_or(BlobError::UnknownUser(id))?;
                    d.push(*i, spans);
                    Ok(())
                })
                .map_err(|why| self.err(format!("{day}: {why}")))?;
                out.days.push(d);
            }
        }
        let mut with = out.days.iter().map(|d| d.date).peekable();
        for day in days {
            while with.next_if(|d| *d < day).is_some() {}
            if with.next_if_eq(&day).is_none() {
                out.lacking.push(day);
            }
        }
        let mut stmt = self
            .read()
            .prepare_cached("SELECT period, user, category, days FROM period_user WHERE period BETWEEN ?1 AND ?2")
            .map_err(e)?;
        let first_period = crate::analysis::usage::billing_period(from).0;
        let mut rows = stmt.query(params![super::date_text(first_period), t]).map_err(e)?;
        let mut periods: HashMap<String, NaiveDate> = HashMap::new();
        while let Some(row) = rows.next().map_err(e)? {
            let p: String = row.get(0).map_err(e)?;
            let period = match periods.get(&p) {
                Some(d) => *d,
                None => {
                    let d = self.parse_date(&p)?;
                    periods.insert(p, d);
                    d
                }
            };
            let id: i64 = row.get(1).map_err(e)?;
            let cat: i64 = row.get(2).map_err(e)?;
            let user = *index
                .get(&id)
                .ok_or_else(|| self.err(format!("user #{id} is missing from the users table")))?;
            let category = usize::try_from(cat)
                .ok()
                .and_then(|c| BillingCategory::ALL.get(c).copied())
                .ok_or_else(|| self.err(format!("{cat} is not a billing category")))?;
            out.categories.push(CategoryDays {
                period,
                user,
                category,
                days: row.get(3).map_err(e)?,
            });
        }
        Ok(out)
    }
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn get_varint(bytes: &[u8], at: &mut usize) -> Option<u64> {
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let byte = *bytes.get(*at)?;
        *at += 1;
        v |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Some(v);
        }
    }
    None
}

/// One day's BLOB from each user's spans (`users` in ascending ID order,
/// spans normalised).
pub fn encode(users: &[(i64, &[Span])]) -> Vec<u8> {
    let mut out = vec![FORMAT];
    let mut previous = 0i64;
    for (id, spans) in users {
        if spans.is_empty() {
            continue;
        }
        put_varint(&mut out, id.saturating_sub(previous).unsigned_abs());
        previous = *id;
        put_varint(&mut out, spans.len() as u64);
        let mut end = 0u16;
        for [a, b] in spans.iter() {
            put_varint(&mut out, u64::from(a.saturating_sub(end)));
            put_varint(&mut out, u64::from(b.saturating_sub(*a)));
            end = *b;
        }
    }
    out
}

/// Reads a day's BLOB, handing each user's ID and spans to `user`.
/// Anything out of shape (IDs not ascending, spans out of order or past
/// the day's end, bytes left over) refuses the BLOB.
pub fn decode(blob: &[u8], user: &mut OnUser<'_>) -> Result<(), BlobError> {
    let bad = BlobError::Damaged;
    if blob.first() != Some(&FORMAT) {
        return Err(bad("unknown format"));
    }
    let mut at = 1;
    let mut id = 0i64;
    let mut spans: Vec<Span> = Vec::new();
    while at < blob.len() {
        let delta = get_varint(blob, &mut at).ok_or_else(|| bad("a user ID is cut short"))?;
        if delta == 0 {
            return Err(bad("a user is listed twice"));
        }
        id = i64::try_from(delta)
            .ok()
            .and_then(|d| id.checked_add(d))
            .ok_or_else(|| bad("a user ID is out of range"))?;
        let n = get_varint(blob, &mut at).ok_or_else(|| bad("a span count is cut short"))?;
        if n == 0 || n > u64::from(MINUTES_PER_DAY / 2) {
            return Err(bad("a span count is out of range"));
        }
        spans.clear();
        let mut end = 0u64;
        for _ in 0..n {
            let gap = get_varint(blob, &mut at).ok_or_else(|| bad("a span is cut short"))?;
            let len = get_varint(blob, &mut at).ok_or_else(|| bad("a span is cut short"))?;
            let from = end.checked_add(gap).ok_or_else(|| bad("a span is out of range"))?;
            let to = from.checked_add(len).ok_or_else(|| bad("a span is out of range"))?;
            if len == 0 || to > u64::from(MINUTES_PER_DAY) || (gap == 0 && end != 0) {
                return Err(bad("a span is out of range"));
            }
            spans.push([from as u16, to as u16]);
            end = to;
        }
        user(id, &spans)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_round_trips_and_damage_is_refused() {
        let users = vec![(3i64, vec![[0u16, 10u16], [20, 1440]]), (200, vec![[500, 501]])];
        let slices: Vec<(i64, &[Span])> = users.iter().map(|(i, s)| (*i, s.as_slice())).collect();
        let blob = encode(&slices);
        let mut back = Vec::new();
        decode(&blob, &mut |id, s| {
            back.push((id, s.to_vec()));
            Ok(())
        })
        .expect("decodes");
        assert_eq!(back, users);
        for damaged in [
            &blob[..blob.len() - 1],
            &[2u8][..],
            &[1, 0, 1, 0, 1][..],
            &[1, 1, 1, 0, 0][..],
            &[1, 1, 1, 160, 11, 1][..],
        ] {
            assert!(decode(damaged, &mut |_, _| Ok(())).is_err(), "{damaged:?}");
        }
    }

    #[test]
    fn spans_merge_and_a_day_lists_them_per_user() {
        assert_eq!(
            normalise(&[[5, 10], [0, 5], [20, 2000], [8, 9]]),
            vec![[0, 10], [20, 1440]]
        );
        let mut d = DayLogons::new(NaiveDate::default());
        d.push(7, &[[1, 2]]);
        d.push(9, &[]);
        d.push(4, &[[3, 4], [6, 8]]);
        let got: Vec<(u32, Vec<Span>)> = d.iter().map(|(u, s)| (u, s.to_vec())).collect();
        assert_eq!(got, vec![(7, vec![[1, 2]]), (4, vec![[3, 4], [6, 8]])]);
    }
}
