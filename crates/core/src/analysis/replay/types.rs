//! What a replay gives: sessions, denials, counter steps, pool levels
//! and the holders at the end.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::model::catalog::BillingCategory;

/// A concurrent license (or a dynamic remote Basic Station) not granted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Denial {
    pub at: DateTime<Utc>,
    pub user: String,
    pub key: String,
    pub reason: String,
}

/// How many logons the denials come from: a logon denied two licenses is
/// one logon denied (what "K logons would be denied" counts).
pub fn denied_logons(denials: &[Denial]) -> usize {
    let logons: std::collections::HashSet<(DateTime<Utc>, &str)> =
        denials.iter().map(|d| (d.at, d.user.as_str())).collect();
    logons.len()
}

/// One user's span from first logon to last logoff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Session {
    pub user: String,
    pub start: DateTime<Utc>,
    /// `None` while still active at the end of the events.
    pub end: Option<DateTime<Utc>>,
    pub station: Option<String>,
    /// Billing categories of the licenses active in the session.
    #[serde(serialize_with = "category_codes")]
    pub categories: Vec<BillingCategory>,
    /// Why the session counts in those categories, in words (shared by
    /// every session with the same licenses).
    pub billing_reason: std::sync::Arc<str>,
    /// Concurrent licenses held during the session.
    pub concurrent: Vec<std::sync::Arc<str>>,
}

fn category_codes<S: serde::Serializer>(c: &[BillingCategory], s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeSeq;
    let mut seq = s.serialize_seq(Some(c.len()))?;
    for cat in c {
        seq.serialize_element(cat.code())?;
    }
    seq.end()
}

/// A per-user session counter change (the seed's John Smith table).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CounterStep {
    pub at: DateTime<Utc>,
    /// Shared with every other step of the user (no copy per event).
    pub user: std::sync::Arc<str>,
    pub counter: u32,
    pub active: bool,
}

/// A pool level change: `key` held `in_use` times from `at`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolPoint {
    pub at: DateTime<Utc>,
    pub key: u32,
    pub in_use: u32,
}

/// A user logged on at the end of a replay: who holds which pooled
/// licenses, where, since when (the simulation's *Licenses in use*).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Holder {
    pub user: String,
    /// The station, or `remote:PHONE` for a dynamic remote logon.
    pub station: Option<String>,
    pub since: DateTime<Utc>,
    pub applications: Vec<String>,
    /// Pooled licenses held.
    pub held: Vec<String>,
    /// Pooled licenses wanted but denied at logon (the user works without
    /// them until they log on again).
    pub denied: Vec<String>,
    /// The applications as the events named them (`None`: not named) and
    /// whether the logon was a dynamic remote one: what logs the user on
    /// again when the session goes on into the next events file.
    #[serde(skip)]
    pub logon_applications: Vec<Option<String>>,
    #[serde(skip)]
    pub dynamic_remote: bool,
}

/// The outcome of a replay.
#[derive(Debug, Clone, Default)]
pub struct Replay {
    pub sessions: Vec<Session>,
    /// A streaming replay: the logon (0 for the replay's first) that
    /// started each session of `sessions`, which come as they close.
    /// Empty otherwise (the sessions are then in logon order).
    pub session_logons: Vec<usize>,
    pub denials: Vec<Denial>,
    pub counters: Vec<CounterStep>,
    /// Key names for `PoolPoint::key`.
    pub keys: Vec<String>,
    /// Every change of a pool's level, in time order.
    pub pool_points: Vec<PoolPoint>,
    /// Every change of a key's demand (sessions that wanted it, held or
    /// denied), in time order: daily peaks of demand for the history.
    pub demand_points: Vec<PoolPoint>,
    /// The most pooled licenses held at once, per key.
    pub peak: BTreeMap<String, u32>,
    /// The most concurrent sessions that *wanted* a key at once (held or
    /// denied): what the pool would need to serve everyone.
    pub peak_demand: BTreeMap<String, u32>,
    /// Days on which a pool was completely in use, per key.
    pub full_days: BTreeMap<String, std::collections::BTreeSet<chrono::NaiveDate>>,
    /// Pooled licenses held at the end of the events, per key.
    pub in_use: BTreeMap<String, u32>,
    /// Dynamic remote Basic Stations in use at the end, and their peak.
    pub dynamic_basic_stations: u32,
    pub peak_dynamic_basic_stations: u32,
    pub events_applied: usize,
    pub last_event: Option<DateTime<Utc>>,
    /// Events that referred to unknown users or logged off without a logon.
    pub ignored: Vec<String>,
    /// Logoffs that found the user logged off (a session begun before the
    /// events: an earlier events file's).
    pub orphan_logoffs: usize,
    /// Users logged on at the end, by user ID.
    pub holders: Vec<Holder>,
}
