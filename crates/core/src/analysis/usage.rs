//! Usage and subscription billing (seed: "How license assignment impacts
//! billing", Appendix A, and the usage-upload page).
//!
//! A session is a *Business User* when its licenses make nobody an agent
//! (Client Access and nothing else that counts), otherwise an *Agent* plus
//! every agent add-on category its licenses map to. Distinct users are
//! counted per category per day and per billing period (the 28th to the
//! 27th; the upload for a period is due by the 4th of the next month).

use std::collections::BTreeMap;

use crate::model::dates;
use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::analysis::replay::Session;
use crate::model::catalog::BillingCategory;
pub use crate::model::license::{Collection, Conflict};

pub use crate::model::billing::{DIALER_SUPERVISOR_READING, categories, explain};

/// The range a usage history opens on: the latest data. It ends at the
/// last day with data (not at the end of its billing period, which left
/// weeks without data on the right) and reaches back `months` months
/// (`None`: to the first day), starting where a billing period starts so
/// no period in it is cut short at the left — but never before the first
/// day with data. A history of 2026-01-01 to 2026-03-31 opens on all of
/// it for three months, not on 2026-01-28 to 2026-04-27.
pub fn latest_window(first: NaiveDate, last: NaiveDate, months: Option<u32>) -> (NaiveDate, NaiveDate) {
    let from = match months {
        None => first,
        Some(n) => {
            let back = dates::sub_months(last, n).and_then(dates::next_day).unwrap_or(first);
            billing_period(back).0.max(first)
        }
    };
    (from.min(last), last)
}

/// The billing period (28th to 27th) containing a day: (start, end, upload due).
pub fn billing_period(day: NaiveDate) -> (NaiveDate, NaiveDate, NaiveDate) {
    let start = if day.day() >= 28 {
        day.with_day(28).unwrap_or(day)
    } else {
        let first = day.with_day(1).unwrap_or(day);
        let prev = dates::previous_day(first).unwrap_or(first);
        prev.with_day(28).unwrap_or(prev)
    };
    // Dates are checked against `dates::LATEST` when read, so these stay
    // far from chrono's end; at its end a period stops at the last day.
    let next_start = dates::first_of_next_month(start).map_or(NaiveDate::MAX, |f| f.with_day(28).unwrap_or(f));
    let end = dates::previous_day(next_start).unwrap_or(next_start);
    let due = dates::first_of_next_month(end).map_or(end, |f| f.with_day(4).unwrap_or(f));
    (start, end, due)
}

/// Distinct users per category for one billing period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PeriodUsage {
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub upload_due: NaiveDate,
    pub users_by_category: BTreeMap<String, usize>,
}

/// Distinct users per category for one day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DayUsage {
    pub day: NaiveDate,
    pub users_by_category: BTreeMap<String, usize>,
}

/// A set of billing categories as bits (one per `BillingCategory::ALL`):
/// what one user counted as on one day or in one period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CategorySet(pub u16);

impl CategorySet {
    pub fn of(categories: &[BillingCategory]) -> CategorySet {
        let mut set = CategorySet::default();
        for c in categories {
            set.insert(*c);
        }
        set
    }

    pub fn insert(&mut self, c: BillingCategory) {
        self.0 |= 1 << c.index();
    }

    pub fn contains(self, c: BillingCategory) -> bool {
        self.0 & (1 << c.index()) != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn union(self, other: CategorySet) -> CategorySet {
        CategorySet(self.0 | other.0)
    }

    /// Seed, "Users and add-ons": Agent and Business User "are mutually
    /// exclusive in that a particular user cannot count as both an agent
    /// and a business user". A user who was an agent at any time of the
    /// day or period counts as an agent only (docs/cost.md).
    pub fn billed(self) -> CategorySet {
        if self.contains(BillingCategory::Agent) {
            CategorySet(self.0 & !(1 << BillingCategory::BusinessUser.index()))
        } else {
            self
        }
    }

    pub fn iter(self) -> impl Iterator<Item = BillingCategory> {
        BillingCategory::ALL.into_iter().filter(move |c| self.contains(*c))
    }
}

/// Days a session touches (an open session runs to `open_end`).
pub fn session_days(session: &Session, open_end: NaiveDate) -> impl Iterator<Item = NaiveDate> {
    let first = session.start.date_naive();
    let last = match session.end {
        // A logoff at exactly 00:00 ends the session with the day before:
        // nothing of it is on the new day (a session that starts and ends
        // at that moment is on it).
        Some(e) if e > session.start && e.time() == chrono::NaiveTime::MIN => {
            crate::model::dates::previous_day(e.date_naive()).unwrap_or(first)
        }
        Some(e) => e.date_naive(),
        None => open_end,
    }
    .max(first);
    first.iter_days().take_while(move |d| *d <= last)
}

/// What each user counted as, per billing period (keyed by the period's
/// first day) and per day: the union of their sessions' categories.
#[derive(Debug, Clone, Default)]
pub struct UserCategories {
    pub by_day: BTreeMap<NaiveDate, BTreeMap<String, CategorySet>>,
    pub by_period: BTreeMap<NaiveDate, BTreeMap<String, CategorySet>>,
    /// Counted sessions that logged off at exactly 00:00 on the first day
    /// of a billing period (the 28th), and the first of them (user, day):
    /// they end with the day before, so only the period before bills them.
    pub midnight_period_ends: (usize, Option<(String, NaiveDate)>),
}

impl UserCategories {
    /// Said where the usage is shown when a session logged off at exactly
    /// the start of a billing period: which period bills it is a reading
    /// (the seeds bill the users "within a billing period" and say nothing
    /// of a logoff at its first moment), so it is said, not taken silently.
    pub fn billing_note(&self) -> Option<String> {
        let (n, Some((user, day))) = &self.midnight_period_ends else {
            return None;
        };
        Some(format!(
            "{} logged off at exactly 00:00 on the first day of a billing period (the 28th; first: {user} on {day}): \
             a session ends with the day before its logoff at midnight, so {} billed in the period before only.",
            crate::model::text::count(*n, "session", "sessions"),
            if *n == 1 { "it is" } else { "they are" }
        ))
    }

    pub fn of(sessions: &[Session], open_end: NaiveDate) -> UserCategories {
        let mut out = UserCategories::default();
        for s in sessions {
            out.add(s, open_end);
        }
        out
    }

    /// Adds one session (sessions may come in any order: a replay read as
    /// it goes gives them as they close).
    pub fn add(&mut self, s: &Session, open_end: NaiveDate) {
        let set = CategorySet::of(&s.categories);
        if set.is_empty() {
            return;
        }
        if let Some(e) = s.end
            && e > s.start
            && e.time() == chrono::NaiveTime::MIN
            && e.day() == 28
        {
            let (n, first) = &mut self.midnight_period_ends;
            *n += 1;
            if first.as_ref().is_none_or(|(_, d)| e.date_naive() < *d) {
                *first = Some((s.user.clone(), e.date_naive()));
            }
        }
        for day in session_days(s, open_end) {
            let (start, _, _) = billing_period(day);
            let users = self.by_day.entry(day).or_default();
            match users.get_mut(s.user.as_str()) {
                Some(d) => *d = d.union(set),
                None => {
                    users.insert(s.user.clone(), set);
                }
            }
            let users = self.by_period.entry(start).or_default();
            match users.get_mut(s.user.as_str()) {
                Some(p) => *p = p.union(set),
                None => {
                    users.insert(s.user.clone(), set);
                }
            }
        }
    }
}

/// Distinct users per category among users' category sets, each counted as
/// billed (an agent is not also a business user).
pub fn count_users<'a>(sets: impl IntoIterator<Item = &'a CategorySet>) -> BTreeMap<String, usize> {
    let mut counts = [0usize; BillingCategory::ALL.len()];
    for set in sets {
        for c in set.billed().iter() {
            counts[c.index()] += 1;
        }
    }
    BillingCategory::ALL
        .into_iter()
        .filter(|c| counts[c.index()] > 0)
        .map(|c| (c.code().to_string(), counts[c.index()]))
        .collect()
}

/// Daily and per-period distinct users per category.
pub fn tally(sessions: &[Session], open_end: NaiveDate) -> (Vec<DayUsage>, Vec<PeriodUsage>) {
    tally_users(&UserCategories::of(sessions, open_end))
}

/// `tally` from users' categories already worked out.
pub fn tally_users(users: &UserCategories) -> (Vec<DayUsage>, Vec<PeriodUsage>) {
    let daily = users
        .by_day
        .iter()
        .map(|(day, m)| DayUsage {
            day: *day,
            users_by_category: count_users(m.values()),
        })
        .collect();
    let periods = users
        .by_period
        .iter()
        .map(|(start, m)| {
            let (period_start, period_end, upload_due) = billing_period(*start);
            PeriodUsage {
                period_start,
                period_end,
                upload_due,
                users_by_category: count_users(m.values()),
            }
        })
        .collect();
    (daily, periods)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    #[test]
    fn the_latest_window_ends_at_the_last_day_and_shows_the_latest_months() {
        // Trial 31: 2026-01-01 to 03-31 opened on 01-28 to 04-27.
        assert_eq!(
            latest_window(d(2026, 1, 1), d(2026, 3, 31), Some(3)),
            (d(2026, 1, 1), d(2026, 3, 31))
        );
        // A longer history: from the start of the period three months back.
        assert_eq!(
            latest_window(d(2025, 1, 1), d(2026, 3, 31), Some(3)),
            (d(2025, 12, 28), d(2026, 3, 31))
        );
        assert_eq!(
            latest_window(d(2025, 1, 1), d(2026, 3, 31), Some(1)),
            (d(2026, 2, 28), d(2026, 3, 31))
        );
        assert_eq!(
            latest_window(d(2025, 1, 1), d(2026, 3, 27), Some(1)),
            (d(2026, 2, 28), d(2026, 3, 27))
        );
        // Everything; one day.
        assert_eq!(
            latest_window(d(2025, 1, 1), d(2026, 3, 31), None),
            (d(2025, 1, 1), d(2026, 3, 31))
        );
        assert_eq!(
            latest_window(d(2026, 3, 5), d(2026, 3, 5), Some(12)),
            (d(2026, 3, 5), d(2026, 3, 5))
        );
    }

    #[test]
    fn billing_periods_run_28th_to_27th_due_the_4th() {
        assert_eq!(
            billing_period(d(2026, 5, 10)),
            (d(2026, 4, 28), d(2026, 5, 27), d(2026, 6, 4))
        );
        assert_eq!(
            billing_period(d(2026, 4, 28)),
            (d(2026, 4, 28), d(2026, 5, 27), d(2026, 6, 4))
        );
        assert_eq!(
            billing_period(d(2026, 5, 27)),
            (d(2026, 4, 28), d(2026, 5, 27), d(2026, 6, 4))
        );
        assert_eq!(
            billing_period(d(2026, 12, 30)),
            (d(2026, 12, 28), d(2027, 1, 27), d(2027, 2, 4))
        );
        assert_eq!(
            billing_period(d(2027, 1, 3)),
            (d(2026, 12, 28), d(2027, 1, 27), d(2027, 2, 4))
        );
        assert_eq!(
            billing_period(d(2028, 2, 28)),
            (d(2028, 2, 28), d(2028, 3, 27), d(2028, 4, 4))
        );
    }
}
