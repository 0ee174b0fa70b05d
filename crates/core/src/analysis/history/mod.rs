//! Usage history: per-day summaries of any number of events files, kept in
//! `NAME.ialhist` next to the workspace — an embedded SQLite database with a
//! versioned schema (docs/history.md). Raw events are not kept, so years fit
//! in megabytes; an import is one transaction, so a damaged file or a crash
//! in the middle changes nothing.
//!
//! Importing a file replaces the days it covers (its first to its last
//! event's day): importing the same file twice equals importing it once,
//! and overlapping files are merged by day (the later import wins the days
//! both cover).

mod files;
mod import;
pub mod logons;
mod show;
mod store;
pub mod summary;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

pub use files::{FileProgress, ImportProgress};
pub use logons::Logons;
pub use show::{Shown, show};

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use crate::model::catalog::BillingCategory;
use crate::model::error::FileError;

/// A usage history (`.ialhist`) could not be opened, read or written; each
/// says what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HistoryError {
    #[error(transparent)]
    File(#[from] FileError),
    #[error("there is no usage history at {}; import events files into it first (Usage History › Import, or the \
             history import command)", .0.display())]
    NoHistory(PathBuf),
    #[error("{} is not a usable usage history ({why}); import the events into a new history file", path.display())]
    Damaged { path: PathBuf, why: String },
    /// A query ran past `store::QUERY_LIMIT` (a crafted file).
    #[error(
        "{} is not a usable usage history (a query took longer than {} s: the file was not made by ia-licensing); \
         import the events into a new history file",
        .0.display(),
        store::QUERY_LIMIT.as_secs()
    )]
    TooSlow(PathBuf),
    #[error(
        "{} was written by a newer version of ia-licensing (history schema {version}, this one reads \
         {SCHEMA_VERSION}); update ia-licensing",
        path.display()
    )]
    Newer { path: PathBuf, version: i32 },
    /// Another process holds the write lock.
    #[error("another import is writing the history {}; try again when it has finished", .0.display())]
    Busy(PathBuf),
    #[error("cannot create {} ({why})", path.display())]
    Create { path: PathBuf, why: String },
    /// An import's write failed; its transaction was rolled back.
    #[error("cannot write {} ({why}); the history is unchanged", path.display())]
    Write { path: PathBuf, why: String },
    #[error("{} is not UTF-8 text; nothing was imported", .0.display())]
    NotUtf8(PathBuf),
    #[error("{}: {source}; nothing was imported", path.display())]
    Events {
        path: PathBuf,
        #[source]
        source: crate::analysis::replay::EventsError,
    },
    #[error("import cancelled; the history is unchanged")]
    Cancelled,
    /// Two files hold parts of one day that overlap.
    #[error("{0}")]
    Overlap(Box<Overlap>),
    /// A file that goes on from another the same day, out of time order.
    #[error(
        "{} goes on from {} on the same day ({day}) but is not in time order, so the two cannot be read as one: sort \
         its events by time (or join the two files) and import again. Nothing was imported",
        file.display(),
        other.display()
    )]
    NotInOrder {
        file: PathBuf,
        other: PathBuf,
        day: NaiveDate,
    },
    /// `history show` given a range backwards; a note says which end came
    /// from the history.
    #[error("the range starts on {from}{from_note} after it ends on {to}{to_note}; give the first day first")]
    Backwards {
        from: NaiveDate,
        to: NaiveDate,
        from_note: String,
        to_note: String,
    },
}
use crate::analysis::usage::{CategorySet, billing_period, count_users};
pub use summary::{Carry, DaySummary, FileSummary, KeyDay, Tail};

pub use store::SCHEMA_VERSION;

/// The history file of a workspace: `site.json` → `site.ialhist`.
pub fn path_for(workspace: &Path) -> PathBuf {
    workspace.with_extension("ialhist")
}

/// One day of the history (`history show` JSON).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct HistoryDay {
    pub date: NaiveDate,
    /// Most pooled licenses held at once, per key.
    pub peak: BTreeMap<String, u32>,
    /// Most sessions that wanted the key at once (held or denied).
    pub peak_demand: BTreeMap<String, u32>,
    pub denials: BTreeMap<String, u32>,
    /// License-minutes held, per key.
    pub minutes_in_use: BTreeMap<String, u64>,
    /// The concurrent allowance of the license the day was imported with.
    pub allowance: BTreeMap<String, u32>,
    pub users_by_category: BTreeMap<String, usize>,
}

/// One billing period of the history (`history show` JSON).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HistoryPeriod {
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub due: NaiveDate,
    /// Distinct users per category on the period's days within the range.
    pub users_by_category: BTreeMap<String, usize>,
    /// Days of the period the history has within the range.
    pub days_covered: usize,
    /// Every day of the period is in the range and in the history.
    pub complete: bool,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    pub files: Vec<ImportedFile>,
    pub days_replaced: usize,
    pub days_added: usize,
    /// Sessions carried from one file into the next, and what could not
    /// be (sessions open at the end, logoffs with no logon).
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportedFile {
    pub source: String,
    pub first: NaiveDate,
    pub last: NaiveDate,
    pub events: usize,
    /// Said when the file's events were not in time order (it was then
    /// read whole and sorted).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// An open history.
pub struct History {
    conn: Connection,
    path: PathBuf,
    /// When the running read must give up (see `store::QueryLimit`).
    limit: store::QueryLimit,
    /// The file's schema (`PRAGMA user_version`): an older one is brought
    /// up to `SCHEMA_VERSION` by the next import.
    version: i32,
}

/// Two events files that hold overlapping parts of one day (times as
/// `HH:MM:SS`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overlap {
    pub file: PathBuf,
    pub other: PathBuf,
    pub day: NaiveDate,
    pub starts: String,
    pub other_from: String,
    pub other_to: String,
}

impl std::fmt::Display for Overlap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let Overlap {
            file,
            other,
            day,
            starts,
            other_from,
            other_to,
        } = self;
        write!(
            f,
            "{} starts at {starts} on {day}, inside the part of that day {} holds ({other_from} to {other_to}): the \
             two overlap, so neither holds the whole day. Import the day from one file (a re-export that starts at \
             or before {other_from} replaces the day), or cut the files where they do not overlap, and import again. \
             Nothing was imported",
            file.display(),
            other.display()
        )
    }
}

fn damaged(path: &Path, e: impl std::fmt::Display) -> HistoryError {
    HistoryError::Damaged {
        path: path.to_path_buf(),
        why: e.to_string(),
    }
}

fn date_text(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

impl History {
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn err(&self, e: impl std::fmt::Display) -> HistoryError {
        damaged(&self.path, e)
    }

    /// An SQLite error in terms of what the user can do: busy (another
    /// import), too slow (a crafted file), or damaged.
    fn db_err(&self, e: rusqlite::Error) -> HistoryError {
        store::sql_error(&self.path, &e)
    }

    /// The connection for one read, which may take at most
    /// `store::QUERY_LIMIT` before it is interrupted.
    fn read(&self) -> &Connection {
        self.limit.start();
        &self.conn
    }

    /// The license text the last import used (so later imports may omit it).
    pub fn stored_license(&self) -> Result<Option<String>, HistoryError> {
        self.read()
            .query_row("SELECT value FROM meta WHERE name = 'license'", [], |r| r.get(0))
            .optional()
            .map_err(|e| self.db_err(e))
    }

    /// The first and last day in the history.
    pub fn span(&self) -> Result<Option<(NaiveDate, NaiveDate)>, HistoryError> {
        let (a, b): (Option<String>, Option<String>) = self
            .read()
            .query_row("SELECT min(day), max(day) FROM days", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .map_err(|e| self.db_err(e))?;
        match (a, b) {
            (Some(a), Some(b)) => Ok(Some((self.parse_date(&a)?, self.parse_date(&b)?))),
            _ => Ok(None),
        }
    }

    fn parse_date(&self, text: &str) -> Result<NaiveDate, HistoryError> {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| self.err(format!("`{text}` is not a date")))
    }

    fn count<T: TryFrom<i64>>(&self, n: i64) -> Result<T, HistoryError> {
        T::try_from(n).map_err(|_| self.err(format!("{n} is not a count")))
    }

    /// The days from `from` to `to` (both included) that the history has.
    pub fn days(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<HistoryDay>, HistoryError> {
        let (f, t) = (date_text(from), date_text(to));
        let e = |e: rusqlite::Error| self.db_err(e);
        let mut out: BTreeMap<String, HistoryDay> = BTreeMap::new();
        let mut stmt = self
            .read()
            .prepare_cached("SELECT day FROM days WHERE day BETWEEN ?1 AND ?2 ORDER BY day")
            .map_err(e)?;
        let mut rows = stmt.query(params![f, t]).map_err(e)?;
        while let Some(row) = rows.next().map_err(e)? {
            let day: String = row.get(0).map_err(e)?;
            let date = self.parse_date(&day)?;
            out.insert(
                day,
                HistoryDay {
                    date,
                    ..Default::default()
                },
            );
        }
        let mut stmt = self
            .read()
            .prepare_cached(
                "SELECT day, key, peak, demand, denials, minutes, allowance FROM day_key \
                 WHERE day BETWEEN ?1 AND ?2",
            )
            .map_err(e)?;
        let mut rows = stmt.query(params![f, t]).map_err(e)?;
        while let Some(row) = rows.next().map_err(e)? {
            let day: String = row.get(0).map_err(e)?;
            let key: String = row.get(1).map_err(e)?;
            let Some(d) = out.get_mut(&day) else { continue };
            d.peak.insert(key.clone(), self.count(row.get(2).map_err(e)?)?);
            d.peak_demand.insert(key.clone(), self.count(row.get(3).map_err(e)?)?);
            d.denials.insert(key.clone(), self.count(row.get(4).map_err(e)?)?);
            d.minutes_in_use
                .insert(key.clone(), self.count(row.get(5).map_err(e)?)?);
            d.allowance.insert(key, self.count(row.get(6).map_err(e)?)?);
        }
        let mut stmt = self
            .read()
            .prepare_cached("SELECT day, category, users FROM day_category WHERE day BETWEEN ?1 AND ?2")
            .map_err(e)?;
        let mut rows = stmt.query(params![f, t]).map_err(e)?;
        while let Some(row) = rows.next().map_err(e)? {
            let day: String = row.get(0).map_err(e)?;
            let cat: String = row.get(1).map_err(e)?;
            if BillingCategory::from_code(&cat).is_none() {
                return Err(self.err(format!(
                    "`{}` is not a billing category",
                    crate::model::text::safe(&cat)
                )));
            }
            if let Some(d) = out.get_mut(&day) {
                d.users_by_category.insert(cat, self.count(row.get(2).map_err(e)?)?);
            }
        }
        Ok(out.into_values().collect())
    }

    /// The billing periods overlapping `from`..=`to`, counting users on the
    /// period's days within that range only.
    pub fn periods(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<HistoryPeriod>, HistoryError> {
        let e = |e: rusqlite::Error| self.db_err(e);
        let covered: Vec<NaiveDate> = {
            let mut stmt = self
                .read()
                .prepare_cached("SELECT day FROM days WHERE day BETWEEN ?1 AND ?2 ORDER BY day")
                .map_err(e)?;
            let rows = stmt
                .query_map(params![date_text(from), date_text(to)], |r| r.get::<_, String>(0))
                .map_err(e)?;
            let mut days = Vec::new();
            for day in rows {
                days.push(self.parse_date(&day.map_err(e)?)?);
            }
            days
        };
        let mut out = Vec::new();
        let mut period = billing_period(from).0;
        while period <= to {
            let (start, end, due) = billing_period(period);
            let lo = start.max(from);
            let hi = end.min(to);
            let days_covered = covered.iter().filter(|d| **d >= lo && **d <= hi).count();
            let whole = lo == start && hi == end;
            let p = date_text(start);
            let users_by_category = if days_covered == 0 {
                BTreeMap::new()
            } else if whole {
                let mut stmt = self
                    .read()
                    .prepare_cached("SELECT category, users FROM period_category WHERE period = ?1")
                    .map_err(e)?;
                let rows = stmt
                    .query_map(params![p], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))
                    .map_err(e)?;
                let mut m = BTreeMap::new();
                for row in rows {
                    let (c, n) = row.map_err(e)?;
                    if BillingCategory::from_code(&c).is_none() {
                        return Err(self.err(format!("`{}` is not a billing category", crate::model::text::safe(&c))));
                    }
                    m.insert(c, self.count(n)?);
                }
                m
            } else {
                let mask = day_mask(start, lo, hi);
                let sets = period_sets(self.read(), &p, Some(mask)).map_err(e)?;
                count_users(sets.values())
            };
            if days_covered > 0 {
                let length = (end - start).num_days() as usize + 1;
                out.push(HistoryPeriod {
                    start,
                    end,
                    due,
                    users_by_category,
                    days_covered,
                    complete: whole && days_covered == length,
                });
            }
            let Ok(next) = crate::model::dates::next_day(end) else {
                break;
            };
            period = next;
        }
        Ok(out)
    }

    /// Every day's peak wanted per key (days without a row for a key
    /// count 0), for sizing pools on a percentile.
    pub fn daily_peaks(&self, percentile: f64) -> Result<crate::analysis::recommend::DailyPeaks, HistoryError> {
        let e = |e: rusqlite::Error| self.db_err(e);
        let total: i64 = self
            .read()
            .query_row("SELECT count(*) FROM days", [], |r| r.get(0))
            .map_err(e)?;
        let mut days: BTreeMap<String, Vec<u32>> = BTreeMap::new();
        let mut stmt = self
            .read()
            .prepare_cached("SELECT key, demand FROM day_key WHERE day IN (SELECT day FROM days) ORDER BY day")
            .map_err(e)?;
        let mut rows = stmt.query([]).map_err(e)?;
        while let Some(row) = rows.next().map_err(e)? {
            let key: String = row.get(0).map_err(e)?;
            let n = self.count(row.get(1).map_err(e)?)?;
            days.entry(key).or_default().push(n);
        }
        let total = self.count::<usize>(total)?;
        for v in days.values_mut() {
            v.resize(total.max(v.len()), 0);
        }
        Ok(crate::analysis::recommend::DailyPeaks { percentile, days })
    }

    /// Each user's categories per billing period within `from`..=`to`
    /// (for the cost estimate per workgroup).
    pub fn user_periods(&self, from: NaiveDate, to: NaiveDate) -> Result<UserPeriods, HistoryError> {
        let e = |e: rusqlite::Error| self.db_err(e);
        let mut names: HashMap<i64, usize> = HashMap::new();
        let mut out = UserPeriods::default();
        {
            let mut stmt = self.read().prepare_cached("SELECT id, name FROM users").map_err(e)?;
            let mut rows = stmt.query([]).map_err(e)?;
            while let Some(row) = rows.next().map_err(e)? {
                names.insert(row.get(0).map_err(e)?, out.names.len());
                out.names.push(row.get(1).map_err(e)?);
            }
        }
        // One scan in key order (period, user, category): a user's rows
        // are next to each other, so no map is needed per period.
        let mut stmt = self
            .read()
            .prepare_cached(
                "SELECT period, user, category, days FROM period_user WHERE period BETWEEN ?1 AND ?2 \
                 ORDER BY period, user",
            )
            .map_err(e)?;
        let mut rows = stmt
            .query(params![date_text(billing_period(from).0), date_text(to)])
            .map_err(e)?;
        let mut current: Option<(String, NaiveDate, i64)> = None;
        while let Some(row) = rows.next().map_err(e)? {
            let period = row
                .get_ref(0)
                .map_err(e)?
                .as_str()
                .map_err(|_| self.err("a period that is not text"))?;
            if current.as_ref().is_none_or(|(p, _, _)| p != period) {
                let start = self.parse_date(period)?;
                let (start, end, _) = billing_period(start);
                let mask = day_mask(start, start.max(from), end.min(to));
                current = Some((period.to_string(), start, mask));
            }
            let Some((_, start, mask)) = &current else { continue };
            let days: i64 = row.get(3).map_err(e)?;
            if days & mask == 0 {
                continue;
            }
            let id: i64 = row.get(1).map_err(e)?;
            let cat: i64 = row.get(2).map_err(e)?;
            let Some(&i) = names.get(&id) else {
                return Err(self.err(format!("user #{id} is missing from the users table")));
            };
            let Some(c) = usize::try_from(cat).ok().and_then(|c| BillingCategory::ALL.get(c)) else {
                return Err(self.err(format!("{cat} is not a billing category")));
            };
            let users = out.periods.entry(*start).or_default();
            match users.last_mut() {
                Some((last, set)) if *last == i => set.insert(*c),
                _ => {
                    let mut set = CategorySet::default();
                    set.insert(*c);
                    users.push((i, set));
                }
            }
        }
        drop(rows);
        Ok(out)
    }
}

/// Each user's categories per billing period, from a history.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserPeriods {
    pub names: Vec<String>,
    /// Period (first day) → (index into `names`, categories).
    pub periods: BTreeMap<NaiveDate, Vec<(usize, CategorySet)>>,
}

impl UserPeriods {
    /// `cost::estimate`'s input.
    pub fn iter(&self) -> impl Iterator<Item = (NaiveDate, impl Iterator<Item = (&str, CategorySet)>)> {
        self.periods
            .iter()
            .map(|(d, users)| (*d, users.iter().map(|(i, s)| (self.names[*i].as_str(), *s))))
    }
}

/// The bits of the days `lo..=hi` in the period starting `start`.
fn day_mask(start: NaiveDate, lo: NaiveDate, hi: NaiveDate) -> i64 {
    let mut mask = 0i64;
    for day in lo.iter_days().take_while(|d| *d <= hi) {
        let bit = (day - start).num_days();
        if (0..63).contains(&bit) {
            mask |= 1 << bit;
        }
    }
    mask
}

/// Each user's categories in one period, on the days of `mask` (all days
/// when `None`).
fn period_sets(conn: &Connection, period: &str, mask: Option<i64>) -> rusqlite::Result<HashMap<i64, CategorySet>> {
    let mut stmt = conn.prepare_cached("SELECT user, category, days FROM period_user WHERE period = ?1")?;
    let mut rows = stmt.query(params![period])?;
    let mut sets: HashMap<i64, CategorySet> = HashMap::new();
    while let Some(row) = rows.next()? {
        let user: i64 = row.get(0)?;
        let cat: i64 = row.get(1)?;
        let days: i64 = row.get(2)?;
        if mask.is_some_and(|m| days & m == 0) {
            continue;
        }
        let Some(c) = usize::try_from(cat).ok().and_then(|i| BillingCategory::ALL.get(i)) else {
            return Err(rusqlite::Error::FromSqlConversionFailure(
                1,
                rusqlite::types::Type::Integer,
                Box::new(std::io::Error::other(format!("{cat} is not a billing category"))),
            ));
        };
        sets.entry(user).or_default().insert(*c);
    }
    Ok(sets)
}
