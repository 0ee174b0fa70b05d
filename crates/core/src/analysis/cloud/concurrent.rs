//! Genesys Cloud's concurrent pool rule, per billing period and region (a
//! site is one region): at each minute, how many CX users are logged on;
//! for each N, the minutes (not necessarily contiguous) at which at least N
//! are; the billable peak is the largest N whose minutes add up to 30 or
//! more ("usage peaks shorter than 30 minutes in duration are
//! disregarded"). The N users present in the most minutes are the ones
//! charged, each at their own CX level (ties: user ID in alphabetical
//! order).

/// Peaks shorter than this (in minutes, added up) are disregarded.
pub const MIN_PEAK_MINUTES: u64 = 30;

/// Minutes of one billing period (its days with data, one after another)
/// and how many users are logged on in each, kept as a difference array so
/// that adding a logged-on span costs two writes.
#[derive(Debug, Clone, Default)]
pub struct MinuteCounts {
    diff: Vec<i32>,
}

impl MinuteCounts {
    /// Room for `minutes` minutes, everyone logged off.
    pub fn new(minutes: usize) -> MinuteCounts {
        MinuteCounts {
            diff: vec![0; minutes + 1],
        }
    }

    /// Clears the counts, keeping room for `minutes` minutes.
    pub fn reset(&mut self, minutes: usize) {
        self.diff.clear();
        self.diff.resize(minutes + 1, 0);
    }

    /// One more user logged on from minute `from` up to (not including)
    /// minute `to`; spans outside the room are cut to it.
    pub fn add(&mut self, from: usize, to: usize) {
        let end = self.diff.len().saturating_sub(1);
        let (from, to) = (from.min(end), to.min(end));
        if from < to {
            self.diff[from] += 1;
            self.diff[to] -= 1;
        }
    }

    /// The billable peak and the minutes at which at least that many users
    /// were logged on: `(0, 0)` when no level lasts 30 minutes.
    pub fn billable_peak(&self) -> (u64, u64) {
        // Minutes per level, then levels from the top down.
        let mut level: i64 = 0;
        let mut minutes_at: Vec<u64> = Vec::new();
        for d in &self.diff[..self.diff.len().saturating_sub(1)] {
            level += i64::from(*d);
            let l = usize::try_from(level.max(0)).unwrap_or(0);
            if l >= minutes_at.len() {
                minutes_at.resize(l + 1, 0);
            }
            minutes_at[l] += 1;
        }
        peak_of(&minutes_at)
    }
}

/// The billable peak from the minutes spent at each exact level.
pub fn peak_of(minutes_at: &[u64]) -> (u64, u64) {
    let mut accrued = 0u64;
    for (n, m) in minutes_at.iter().enumerate().skip(1).rev() {
        accrued += m;
        if accrued >= MIN_PEAK_MINUTES {
            return (n as u64, accrued);
        }
    }
    (0, 0)
}

/// The `n` users charged: the most minutes first, then by ID. `users` holds
/// (minutes, ID, anything); it is put in that order and cut to `n`.
pub fn charged<T>(users: &mut Vec<(u64, &str, T)>, n: u64) {
    users.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    users.truncate(usize::try_from(n).unwrap_or(usize::MAX));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Genesys' own example: 500 users for 31 minutes, 503 users for 6
    /// minutes → the billable peak is 500.
    #[test]
    fn genesys_worked_example_500_for_31_minutes_503_for_6() {
        let mut c = MinuteCounts::new(1440);
        for _ in 0..500 {
            c.add(600, 631);
        }
        for _ in 0..503 {
            c.add(700, 706);
        }
        assert_eq!(c.billable_peak(), (500, 37));
        // The 503 alone never last 30 minutes.
        let mut only = MinuteCounts::new(1440);
        for _ in 0..503 {
            only.add(700, 706);
        }
        assert_eq!(only.billable_peak(), (0, 0));
    }

    #[test]
    fn minutes_need_not_be_contiguous() {
        let mut c = MinuteCounts::new(1440);
        // 10 users for 15 minutes in the morning and 15 in the afternoon.
        for _ in 0..10 {
            c.add(540, 555);
            c.add(900, 915);
        }
        c.add(0, 1440);
        assert_eq!(c.billable_peak(), (11, 30));
    }

    #[test]
    fn ties_are_broken_by_id() {
        let mut users = vec![(10, "b", ()), (30, "c", ()), (10, "a", ()), (5, "d", ())];
        charged(&mut users, 3);
        let ids: Vec<&str> = users.iter().map(|u| u.1).collect();
        assert_eq!(ids, vec!["c", "a", "b"]);
    }
}
