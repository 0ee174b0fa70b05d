//! Usage and subscription billing (seed: "How license assignment impacts
//! billing", Appendix A, and the usage-upload page).
//!
//! A session is a *Business User* when its licenses make nobody an agent
//! (Client Access and nothing else that counts), otherwise an *Agent* plus
//! every agent add-on category its licenses map to. Distinct users are
//! counted per category per day and per billing period (the 28th to the
//! 27th; the upload for a period is due by the 4th of the next month).

use std::collections::{BTreeMap, BTreeSet};

use crate::dates;
use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use super::catalog::{self, BillingCategory};
pub use super::license::{Collection, Conflict};
use super::replay::Session;

/// The categories of a session from the licenses active in it.
pub fn categories<'a>(keys: impl IntoIterator<Item = &'a str>) -> Vec<BillingCategory> {
    explain(keys).0
}

/// The categories of a set of licenses and why, in words (Usage & Billing
/// shows the reason per user). Seed, "Agent and Business User categories":
/// Business User is "I3_CLIENT_ACCESS (and none of the following licenses)";
/// Agent is "I3_ACCESS_ACD_MEDIA_1 or any add-on license". An add-on license
/// is one of the seed's "Add-on and module Access licenses" or a key of an
/// agent add-on category; IPA, listed among the Access license types, is not
/// one (docs/license-keys.md, "Billing").
pub fn explain<'a>(keys: impl IntoIterator<Item = &'a str>) -> (Vec<BillingCategory>, String) {
    let mut found = BTreeSet::new();
    let mut client = false;
    let mut agent_keys: Vec<&'static str> = Vec::new();
    let mut dialer_plugin = false;
    for key in keys {
        let key = catalog::canonical(key);
        dialer_plugin |= key == DIALER_SUPERVISOR_PLUGIN;
        if key == catalog::CLIENT {
            client = true;
            continue;
        }
        let Some(info) = catalog::lookup(key) else { continue };
        let category = info.billing.filter(|c| *c != BillingCategory::BusinessUser);
        if category.is_some() || info.add_on {
            found.insert(BillingCategory::Agent);
            agent_keys.push(info.label);
            if let Some(c) = category.filter(|c| c.is_add_on()) {
                found.insert(c);
            }
        } else if info.billing == Some(BillingCategory::BusinessUser) {
            client = true;
        }
    }
    if found.is_empty() {
        return if client {
            (
                vec![BillingCategory::BusinessUser],
                "Business User: Client Access and no ACD or add-on license".to_string(),
            )
        } else {
            (
                Vec::new(),
                "Not counted: no Client Access, ACD or add-on license".to_string(),
            )
        };
    }
    agent_keys.sort_unstable();
    agent_keys.dedup();
    let reason = match agent_keys.as_slice() {
        [one] => format!("Agent: holds {one}"),
        [first, rest @ ..] => format!(
            "Agent: holds {first} and {} other agent license{}",
            rest.len(),
            if rest.len() == 1 { "" } else { "s" }
        ),
        [] => "Agent".to_string(),
    };
    // The two places disagree; the reading taken is said where it counts.
    let reason = if dialer_plugin {
        format!("{reason}. {DIALER_SUPERVISOR_READING}")
    } else {
        reason
    };
    (found.into_iter().collect(), reason)
}

/// The Dialer supervisor plug-in's key as licenses and ordered items spell
/// it (the Interaction Supervisor Add-on).
const DIALER_SUPERVISOR_PLUGIN: &str = "I3_ACCESS_DIALER_SUPERVISOR_PLUGIN";

/// Where the Licensing Technical Reference disagrees with itself: its
/// Supervisor billing category names I3_ACCESS_DIALER_SUPERVISOR_PLUS,
/// while its ordered items (the Interaction Supervisor Add-on) and license
/// examples give I3_ACCESS_DIALER_SUPERVISOR_PLUGIN. Both are billed as
/// Supervisor (docs/seed-rules.toml), and a session billed through the
/// plug-in says so.
pub const DIALER_SUPERVISOR_READING: &str = "Supervisor through I3_ACCESS_DIALER_SUPERVISOR_PLUGIN: the Licensing \
     Technical Reference's table of billing categories names I3_ACCESS_DIALER_SUPERVISOR_PLUS for Supervisor, its \
     ordered items name this key; both are billed as Supervisor";

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
            crate::dates::previous_day(e.date_naive()).unwrap_or(first)
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
            crate::text::count(*n, "session", "sessions"),
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
