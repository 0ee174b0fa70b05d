//! Virtual cloud enforcement (seed: Appendix B). A license with
//! `I3_FEATURE_VIRTUAL_CLOUD` must check in with Genesys Cloud; without a
//! "good standing" response the server degrades one stage per grace period.
//!
//! Time is an input: every function takes "now" and the check-in log; none
//! reads the clock. All times are UTC; a date (the ramp date, the issue date)
//! means its midnight. A stage boundary instant belongs to the *new* stage.

use chrono::{DateTime, NaiveDate, NaiveTime, TimeDelta, Utc};
use serde::Serialize;

use crate::model::dates;
use crate::model::license::License;

/// A check-ins file is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CheckInsError {
    /// Not a JSON array of strings (the parser's words).
    #[error("a check-ins file is a JSON array of RFC 3339 times ({0})")]
    NotAList(String),
    #[error("[{at}]: {source}")]
    Time {
        at: usize,
        #[source]
        source: crate::model::error::DateError,
    },
}

/// The server tries to check in this often.
pub const CHECK_IN_INTERVAL_HOURS: i64 = 12;
/// At startup or switchover a good-standing response is "recent" within this.
pub const RECENT_HOURS: i64 = 24;
pub const LAST_STAGE: u8 = 6;

/// The virtual-cloud parameters of a license.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Terms {
    pub issued: NaiveDate,
    pub ramp_date: NaiveDate,
    pub grace_days: i64,
}

impl Terms {
    /// `None` when the license has no virtual-cloud feature ("not applicable").
    pub fn of(license: &License) -> Option<Terms> {
        if !license.is_virtual_cloud() {
            return None;
        }
        let vc = license.file.virtual_cloud.as_ref()?;
        Some(Terms {
            issued: license.file.generated,
            ramp_date: vc.ramp_date,
            grace_days: vc.grace_period_days.max(1),
        })
    }

    fn grace(&self) -> TimeDelta {
        dates::days(self.grace_days)
    }

    /// `k` grace periods after `anchor` (`None` past what a date can hold).
    fn after_periods(&self, anchor: DateTime<Utc>, k: i64) -> Option<DateTime<Utc>> {
        dates::shift(anchor, dates::days(self.grace_days.saturating_mul(k))).ok()
    }

    fn ramp(&self) -> DateTime<Utc> {
        midnight(self.ramp_date)
    }
}

pub fn midnight(date: NaiveDate) -> DateTime<Utc> {
    date.and_time(NaiveTime::MIN).and_utc()
}

/// What the server may still do at a stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum CallPortLimit {
    Percent { percent: u8 },
    Ports { ports: u8 },
}

pub fn stage_name(stage: u8) -> &'static str {
    match stage {
        1 => "Fully functional",
        2 => "Non-obtrusive warning in the status bar",
        3 => "Obtrusive warning",
        4 => "Interaction Supervisor disabled",
        5 => "Limited to 20% of licensed call ports",
        _ => "Disabled: unlicensed, two call ports",
    }
}

pub fn call_port_limit(stage: u8) -> Option<CallPortLimit> {
    match stage {
        5 => Some(CallPortLimit::Percent { percent: 20 }),
        6.. => Some(CallPortLimit::Ports { ports: 2 }),
        _ => None,
    }
}

/// The call ports a stage leaves, in words. Stages 1 to 4 limit none
/// ("Fully functional" at stage 1, LTR-1766-stage-fully-functional): all
/// licensed call ports, never "none".
pub fn call_ports_words(limit: Option<CallPortLimit>) -> String {
    match limit {
        None => "all licensed call ports (not limited at this stage)".to_string(),
        Some(CallPortLimit::Percent { percent }) => format!("{percent}% of licensed call ports"),
        Some(CallPortLimit::Ports { ports }) => format!("{ports} call ports"),
    }
}

/// The enforcement state at one instant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Status {
    pub applicable: bool,
    pub stage: u8,
    pub stage_name: String,
    /// When the current stage began (`None` when not applicable).
    pub since: Option<DateTime<Utc>>,
    /// When the next stage begins if nothing changes (`None` at stage 6 or when not applicable).
    pub next_stage_at: Option<DateTime<Utc>>,
    pub call_port_limit: Option<CallPortLimit>,
    pub supervisor_enabled: bool,
    /// Before the ramp date nothing is enforced.
    pub enforced: bool,
    /// The ramp date, at midnight UTC (`None` when not applicable): the
    /// grace period starts then. Not the next stage's date, which before
    /// the ramp date is one grace period later.
    pub ramp_at: Option<DateTime<Utc>>,
    pub last_good_standing: Option<DateTime<Utc>>,
    /// The startup/switchover check: a good-standing response within the last 24 hours.
    pub recent_good_standing: bool,
}

impl Status {
    pub fn not_applicable() -> Status {
        Status {
            applicable: false,
            stage: 1,
            stage_name: "Not applicable (no virtual cloud license)".into(),
            since: None,
            next_stage_at: None,
            call_port_limit: None,
            supervisor_enabled: true,
            enforced: false,
            ramp_at: None,
            last_good_standing: None,
            recent_good_standing: true,
        }
    }

    /// Whole days until the next stage (rounded up), if one is coming.
    pub fn days_to_next(&self, now: DateTime<Utc>) -> Option<i64> {
        self.next_stage_at.map(|t| days_until(t, now))
    }

    /// Whole days until the ramp date (rounded up), while it is ahead.
    pub fn days_to_ramp(&self, now: DateTime<Utc>) -> Option<i64> {
        self.ramp_at.filter(|_| !self.enforced).map(|t| days_until(t, now))
    }
}

/// Whole days from `now` until `t`, rounded up (none once `t` has passed).
fn days_until(t: DateTime<Utc>, now: DateTime<Utc>) -> i64 {
    let secs = (t - now).num_seconds().max(0);
    (secs + 86_399) / 86_400
}

/// The last successful check-in at or before `at` (check-ins need not be sorted).
pub fn last_check_in(check_ins: &[DateTime<Utc>], at: DateTime<Utc>) -> Option<DateTime<Utc>> {
    check_ins.iter().copied().filter(|t| *t <= at).max()
}

/// The enforcement status at `at`.
pub fn status(terms: Option<Terms>, check_ins: &[DateTime<Utc>], at: DateTime<Utc>) -> Status {
    let Some(terms) = terms else {
        return Status::not_applicable();
    };
    let last = last_check_in(check_ins, at);
    let recent = last.is_some_and(|t| at - t <= dates::hours(RECENT_HOURS));
    let ramp = terms.ramp();
    let grace = terms.grace();
    if at < ramp {
        return Status {
            applicable: true,
            stage: 1,
            stage_name: stage_name(1).into(),
            since: Some(midnight(terms.issued)),
            next_stage_at: terms.after_periods(ramp, 1),
            call_port_limit: None,
            supervisor_enabled: true,
            enforced: false,
            ramp_at: Some(ramp),
            last_good_standing: last,
            recent_good_standing: recent,
        };
    }
    // The grace period runs from the ramp date or the last good standing,
    // whichever is later; each full period without a check-in adds a stage.
    let anchor = last.map_or(ramp, |t| t.max(ramp));
    let elapsed = (at - anchor).num_seconds();
    let periods = elapsed / grace.num_seconds();
    let stage = (1 + periods).min(i64::from(LAST_STAGE)) as u8;
    let since = if stage == 1 {
        last.filter(|t| *t >= ramp).unwrap_or(ramp)
    } else {
        terms.after_periods(anchor, i64::from(stage - 1)).unwrap_or(anchor)
    };
    let next_stage_at = if stage < LAST_STAGE {
        terms.after_periods(anchor, i64::from(stage))
    } else {
        None
    };
    Status {
        applicable: true,
        stage,
        stage_name: stage_name(stage).into(),
        since: Some(since),
        next_stage_at,
        call_port_limit: call_port_limit(stage),
        supervisor_enabled: stage < 4,
        enforced: true,
        ramp_at: Some(ramp),
        last_good_standing: last,
        recent_good_standing: recent,
    }
}

/// A stretch of time spent at one stage (for the timeline chart).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Segment {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub stage: u8,
    pub enforced: bool,
}

/// The stages over `[from, to)`, split at every check-in and stage change.
pub fn timeline(terms: Terms, check_ins: &[DateTime<Utc>], from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<Segment> {
    let mut cuts: Vec<DateTime<Utc>> = vec![from, to];
    let ramp = terms.ramp();
    cuts.push(ramp);
    let mut sorted: Vec<DateTime<Utc>> = check_ins.to_vec();
    sorted.sort();
    // Stage changes happen every grace period after each anchor.
    let mut anchors = vec![ramp];
    anchors.extend(sorted.iter().copied().filter(|t| *t >= ramp));
    for (i, anchor) in anchors.iter().enumerate() {
        let until = anchors.get(i + 1).copied().unwrap_or(to);
        cuts.push(*anchor);
        for k in 1..i64::from(LAST_STAGE) {
            let Some(t) = terms.after_periods(*anchor, k) else {
                break;
            };
            if t >= until {
                break;
            }
            cuts.push(t);
        }
    }
    cuts.extend(sorted.iter().copied());
    cuts.retain(|t| *t >= from && *t <= to);
    cuts.sort();
    cuts.dedup();
    let mut out: Vec<Segment> = Vec::new();
    for pair in cuts.windows(2) {
        let (start, end) = (pair[0], pair[1]);
        let s = status(Some(terms), check_ins, start);
        match out.last_mut() {
            Some(last) if last.stage == s.stage && last.enforced == s.enforced && last.end == start => last.end = end,
            _ => out.push(Segment {
                start,
                end,
                stage: s.stage,
                enforced: s.enforced,
            }),
        }
    }
    out
}

/// Reads a check-ins file: a JSON array of RFC 3339 times (a time without an
/// offset is read as UTC).
pub fn parse_check_ins(text: &str) -> Result<Vec<DateTime<Utc>>, CheckInsError> {
    // string-error: serde's error is neither Clone nor Eq, as this error type is; its words (with the position) are what is kept.
    let values: Vec<String> = serde_json::from_str(text).map_err(|e| CheckInsError::NotAList(e.to_string()))?;
    values
        .iter()
        .enumerate()
        .map(|(at, v)| parse_time(v).map_err(|source| CheckInsError::Time { at, source }))
        .collect()
}

/// Parses `2020-06-08T12:00:00Z`, `2020-06-08T12:00:00+02:00`,
/// `2020-06-08T12:00:00` (UTC) or `2020-06-08` (midnight UTC).
pub fn parse_time(text: &str) -> Result<DateTime<Utc>, crate::model::error::DateError> {
    parse_time_unchecked(text).and_then(|t| crate::model::dates::check_time("time", t))
}

fn parse_time_unchecked(text: &str) -> Result<DateTime<Utc>, crate::model::error::DateError> {
    let t = text.trim();
    if let Some(dt) = plain_time(t) {
        return Ok(dt);
    }
    if let Ok(dt) = DateTime::parse_from_rfc3339(t) {
        return Ok(dt.with_timezone(&Utc));
    }
    for fmt in [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(n) = chrono::NaiveDateTime::parse_from_str(t, fmt) {
            return Ok(n.and_utc());
        }
    }
    if let Ok(d) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        return Ok(midnight(d));
    }
    Err(crate::model::error::DateError::NotATime(t.to_string()))
}

/// `YYYY-MM-DDTHH:MM:SS` read digit by digit: how events files write every
/// time (millions a month), where chrono's format parser, tried after
/// RFC 3339, takes most of an event's reading. Anything else, or a value
/// out of range (a leap second), is left to the general path, so what is
/// accepted and its value are the same.
fn plain_time(t: &str) -> Option<DateTime<Utc>> {
    let b = t.as_bytes();
    if b.len() != 19 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let num = |from: usize, to: usize| -> Option<u32> {
        b[from..to]
            .iter()
            .try_fold(0u32, |n, c| c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0')))
    };
    let date = NaiveDate::from_ymd_opt(i32::try_from(num(0, 4)?).ok()?, num(5, 7)?, num(8, 10)?)?;
    Some(date.and_hms_opt(num(11, 13)?, num(14, 16)?, num(17, 19)?)?.and_utc())
}

/// The trainer's clock: the real one, or a simulated instant with its own
/// check-in log and connection state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimClock {
    pub now: DateTime<Utc>,
    pub check_ins: Vec<DateTime<Utc>>,
    /// While connected, advancing the clock records a good-standing check-in
    /// every 12 hours, as the server would.
    pub connected: bool,
}

impl SimClock {
    pub fn new(now: DateTime<Utc>) -> Self {
        SimClock {
            now,
            check_ins: Vec::new(),
            connected: false,
        }
    }

    /// Moves the clock forward (never back) to `to`.
    pub fn advance_to(&mut self, to: DateTime<Utc>) {
        // The simulated clock stays within the dates files may hold, so no
        // arithmetic on it can overflow.
        let to = to.min(midnight(crate::model::dates::LATEST));
        if to <= self.now {
            return;
        }
        if self.connected {
            let step = dates::hours(CHECK_IN_INTERVAL_HOURS);
            // Only the last year of hourly check-ins can matter to a stage
            // (the grace period is at most a year); older ones are not kept.
            let year_before = dates::shift(to, dates::days(-(crate::model::license::MAX_GRACE_DAYS + 1))).unwrap_or(to);
            let from = self.now.max(year_before);
            let mut t = dates::shift(from, step).unwrap_or(to);
            while t <= to {
                self.check_ins.push(t);
                let Ok(next) = dates::shift(t, step) else { break };
                t = next;
            }
        }
        self.now = to;
    }

    pub fn advance(&mut self, by: TimeDelta) {
        self.advance_to(dates::shift(self.now, by).unwrap_or(self.now));
    }

    /// A successful check-in now, which needs the connection: without one
    /// nothing is recorded (a check-in cannot succeed). True when recorded.
    pub fn check_in(&mut self) -> bool {
        if self.connected {
            self.check_ins.push(self.now);
        }
        self.connected
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> DateTime<Utc> {
        midnight(NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default())
    }

    fn seed() -> Terms {
        Terms {
            issued: NaiveDate::from_ymd_opt(2020, 5, 1).unwrap_or_default(),
            ramp_date: NaiveDate::from_ymd_opt(2020, 6, 1).unwrap_or_default(),
            grace_days: 7,
        }
    }

    #[test]
    fn days_to_the_ramp_date_count_to_the_ramp_date_not_the_next_stage() {
        // Seed terms: ramp 2020-06-01, grace 7 days; stage 2 begins 06-08.
        let before = status(Some(seed()), &[], d(2020, 5, 1));
        assert_eq!(before.ramp_at, Some(d(2020, 6, 1)));
        assert_eq!(before.days_to_ramp(d(2020, 5, 1)), Some(31));
        assert_eq!(
            before.days_to_next(d(2020, 5, 1)),
            Some(38),
            "the next stage is a grace period later"
        );
        // Part of a day left counts as a day.
        let noon = dates::shift(d(2020, 5, 31), dates::hours(12)).expect("date");
        assert_eq!(status(Some(seed()), &[], noon).days_to_ramp(noon), Some(1));
        // Once the ramp date has come there is no ramp date ahead.
        assert_eq!(
            status(Some(seed()), &[], d(2020, 6, 1)).days_to_ramp(d(2020, 6, 1)),
            None
        );
        assert_eq!(Status::not_applicable().days_to_ramp(d(2020, 5, 1)), None);
    }

    #[test]
    fn seed_example_stage_dates() {
        for (date, stage) in [
            (d(2020, 6, 8), 2),
            (d(2020, 6, 15), 3),
            (d(2020, 6, 22), 4),
            (d(2020, 6, 29), 5),
            (d(2020, 7, 6), 6),
        ] {
            assert_eq!(status(Some(seed()), &[], date).stage, stage, "{date}");
            assert_eq!(
                status(Some(seed()), &[], dates::shift(date, dates::seconds(-1)).expect("date")).stage,
                stage - 1,
                "just before {date}"
            );
        }
    }

    #[test]
    fn plain_times_read_digit_by_digit_are_what_chrono_reads() {
        let chrono_reads = |t: &str| {
            chrono::NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S")
                .ok()
                .map(|n| n.and_utc())
        };
        for t in [
            "2026-06-01T08:00:00",
            "0000-01-01T00:00:00",
            "9999-12-31T23:59:59",
            "2024-02-29T12:30:45",
            "2023-02-29T12:30:45",
            "2026-13-01T08:00:00",
            "2026-06-31T08:00:00",
            "2026-06-01T24:00:00",
            "2026-06-01T08:60:00",
            "2026-06-01T08:00:60",
            "2026-06-01 08:00:00",
            "2026-06-01T8:00:000",
            "+026-06-01T08:00:00",
            "2026-06-01T08:00:0x",
        ] {
            // What the digits give, chrono gives (the rest is chrono's).
            if let Some(got) = plain_time(t) {
                assert_eq!(Some(got), chrono_reads(t), "{t}");
            }
        }
        assert!(
            plain_time("2026-06-01T08:00:60").is_none(),
            "a leap second is chrono's to read"
        );
        assert!(
            plain_time("2026-06-01T08:00:00").is_some(),
            "the events files' form is read digit by digit"
        );
        assert!(
            plain_time("+026-06-01T08:00:00").is_none(),
            "a signed year is chrono's to read"
        );
    }

    #[test]
    fn timeline_covers_the_span_without_gaps() {
        let segs = timeline(seed(), &[d(2020, 6, 10)], d(2020, 5, 1), d(2020, 8, 1));
        assert_eq!(segs.first().map(|s| s.start), Some(d(2020, 5, 1)));
        assert_eq!(segs.last().map(|s| s.end), Some(d(2020, 8, 1)));
        for w in segs.windows(2) {
            assert_eq!(w[0].end, w[1].start);
        }
    }
}
