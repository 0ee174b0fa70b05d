//! A data generator for trying the app at scale and for the benchmarks:
//! a license and a matching workspace with a realistic mix of methods, media
//! levels, add-ons and workgroups, and a few deliberate problems. Seeded, so
//! the same arguments always give the same files.

use std::collections::BTreeSet;

use crate::model::dates;
use chrono::NaiveDate;
use serde_json::{Value, json};

use crate::analysis::replay::{Event, EventKind};
use crate::model::catalog;
pub use crate::model::demo::DemoError;
use crate::model::license::Level;
use crate::model::license::generate::{Order, Quantity, build, sign_to_text};
use crate::model::license::signing::IssuerKey;

/// The demo issuer's private key (public on purpose; what it signs is DEMO).
pub const DEMO_ISSUER_KEY: &str = include_str!("../../../../assets/keys/demo-issuer.key");

/// SplitMix64: small, fast and good enough to make test data.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// A number in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next_u64() % n }
    }
    /// True with probability `percent` %.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Size {
    pub users: usize,
    pub stations: usize,
    pub workgroups: usize,
    pub seed: u64,
}

const MEDIA: [&str; 4] = ["call", "chat", "email", "generic"];
const ADD_ONS: [&str; 6] = [
    "I3_ACCESS_RECORDER",
    "I3_ACCESS_RECORDER_QUALITYMONITORING_AGENT",
    "I3_ACCESS_FEEDBACK",
    "I3_ACCESS_DIALER_ADDON",
    "I3_ACCESS_SYSTEM_STATUS_SUPERVISOR_PLUGIN",
    "I3_ACCESS_WORKGROUP_SUPERVISOR_PLUGIN",
];

/// The generated files, as JSON values and signed license text.
pub struct Generated {
    pub license_text: String,
    pub workspace: Value,
}

/// Generates a workspace and a license that fits it (10 % headroom on
/// assignable counts, pools at 70 % of concurrent users), with about 1 % of
/// users and stations given a deliberate problem.
pub fn generate(size: Size) -> Result<Generated, DemoError> {
    let mut rng = Rng::new(size.seed);
    let workgroups: Vec<Value> = (0..size.workgroups.max(1))
        .map(|i| {
            let n = match i % 5 {
                0 | 1 => 1,
                2 | 3 => 2,
                _ => 3,
            };
            let start = rng.below(4) as usize;
            let media: BTreeSet<&str> = (0..n).map(|k| MEDIA[(start + k) % 4]).collect();
            json!({"name": format!("WG-{i:04}"), "media": media})
        })
        .collect();
    let wg_media: Vec<BTreeSet<String>> = workgroups
        .iter()
        .map(|w| {
            w["media"]
                .as_array()
                .map(|a| a.iter().filter_map(|m| m.as_str().map(String::from)).collect())
                .unwrap_or_default()
        })
        .collect();
    let mut assignable: std::collections::BTreeMap<String, u64> = Default::default();
    let mut concurrent: std::collections::BTreeMap<String, u64> = Default::default();
    let mut users = Vec::with_capacity(size.users);
    for i in 0..size.users {
        let concurrent_user = rng.chance(20);
        let agent = rng.chance(70);
        let mut licenses: BTreeSet<String> = [catalog::CLIENT.to_string()].into();
        let mut types: BTreeSet<String> = BTreeSet::new();
        let mut groups: BTreeSet<String> = BTreeSet::new();
        if agent {
            let g = rng.below(wg_media.len() as u64) as usize;
            groups.insert(format!("WG-{g:04}"));
            let needed = &wg_media[g];
            let level = match needed.len() {
                1 => catalog::ACD_MEDIA_1,
                2 => catalog::ACD_MEDIA_2,
                _ => catalog::ACD_MEDIA_3_PLUS,
            };
            licenses.insert(level.to_string());
            if needed.len() <= 2 {
                types.extend(needed.iter().cloned());
            }
            // A deliberate problem: Media 1 in a bigger queue, or the wrong type.
            if rng.chance(1) {
                licenses.retain(|k| catalog::acd_level_of(k).is_none());
                licenses.insert(catalog::ACD_MEDIA_1.to_string());
                types = ["email".to_string()].into();
            }
            for add_on in ADD_ONS {
                if rng.chance(15) {
                    licenses.insert(add_on.to_string());
                }
            }
        } else if rng.chance(10) {
            licenses.insert("I3_ACCESS_SYSTEM_STATUS_SUPERVISOR_PLUGIN".to_string());
        }
        if rng.chance(1) {
            licenses.insert("I3_ACCESS_ANALYZER".to_string()); // without Recorder: dependency-missing
        }
        let method = if concurrent_user && !licenses.contains("I3_ACCESS_ANALYZER") {
            "concurrent"
        } else {
            "assignable"
        };
        for k in &licenses {
            let m = if method == "concurrent" {
                &mut concurrent
            } else {
                &mut assignable
            };
            *m.entry(k.clone()).or_default() += 1;
        }
        users.push(json!({
            "id": format!("user{i:06}"),
            "name": format!("User {i}"),
            "method": method,
            "licenses": licenses,
            "acd_media_types": types,
            "workgroups": groups,
        }));
    }
    let mut stations = Vec::with_capacity(size.stations);
    for i in 0..size.stations {
        let remote = rng.chance(5);
        let mut licenses: BTreeSet<&str> = BTreeSet::new();
        if !rng.chance(1) {
            licenses.insert(catalog::BASIC_STATION); // 1 % lack it: basic-station-missing
        }
        if rng.chance(30) {
            licenses.insert(catalog::CLIENT);
        }
        for k in &licenses {
            *assignable.entry(k.to_string()).or_default() += 1;
        }
        let id = format!("ws{i:06}");
        stations.push(json!({
            "id": id,
            "type": if remote { "remote" } else { "workstation" },
            "enabled": true,
            "machine_name": id,
            "licenses": licenses,
            "acd_media_types": [],
        }));
    }
    let workspace = json!({
        "format": 1,
        "server": {"host_id": "G807test", "machine_name": "scale-cic"},
        "users": users,
        "stations": stations,
        "workgroups": workgroups,
    });
    let order = license_order(&assignable, &concurrent);
    let file = build(&order)?;
    let key = IssuerKey::from_json(DEMO_ISSUER_KEY)?;
    Ok(Generated {
        license_text: sign_to_text(&file, &key)?,
        workspace,
    })
}

/// The license that fits the generated workspace: 10 % headroom on the
/// assignable counts, pools at 70 % of concurrent demand.
fn license_order(
    assignable: &std::collections::BTreeMap<String, u64>,
    concurrent: &std::collections::BTreeMap<String, u64>,
) -> Order {
    let mut keys: BTreeSet<String> = assignable.keys().cloned().collect();
    keys.extend(concurrent.keys().cloned());
    keys.remove("I3_ACCESS_ANALYZER"); // not sold: license-not-in-file for the few who have it
    let licenses: Vec<Quantity> = keys
        .iter()
        .map(|k| {
            let a = assignable.get(k).copied().unwrap_or(0);
            let c = concurrent.get(k).copied().unwrap_or(0);
            Quantity {
                name: k.clone(),
                assigned: a + a / 10 + 1,
                pooled: if catalog::may_be_concurrent(k) { c * 7 / 10 } else { 0 },
            }
        })
        .collect();
    Order {
        level: Level::Production,
        product_version: "2020 R2".into(),
        host_id: "G807test".into(),
        machine: "scale-cic".into(),
        switchover: None,
        system_type: "Media Server Based".into(),
        mail_connector: "Microsoft Exchange Server".into(),
        company: "Scale Test".into(),
        install_site: "Generated".into(),
        generated_by: "ia-licensing demo generate".into(),
        generated: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default(),
        expires: None,
        parts: vec![],
        licenses,
        features: vec!["I3_FEATURE_SIP".into(), "I3_FEATURE_USAGE_TRACKING_UPLOAD".into()],
        ramp_date: None,
        grace_days: None,
        partner_development: false,
    }
}

/// `count` logon/logoff events over the users, in time order, spread over
/// the 30 days from 2026-06-01: logons at an even pace, each by a user not
/// logged on, and each session logged off after one to nine hours, the
/// same day (before midnight). Sessions that ran for days (a user toggled
/// at random, most never logged off) made every day count everyone who had
/// logged on since the first: "Distinct users per day" climbed like a
/// running total (#31). Only the sessions still open when `count` is
/// reached have no logoff.
pub fn events(users: usize, count: usize, seed: u64) -> Vec<Event> {
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;
    let mut rng = Rng::new(seed);
    let users = users.max(1);
    let start = crate::rules::enforcement::midnight(NaiveDate::from_ymd_opt(2026, 6, 1).unwrap_or_default());
    const SPAN_MS: i64 = 30 * 24 * 3600 * 1000;
    const DAY_MS: i64 = 24 * 3600 * 1000;
    // About half the events are logons.
    let step = SPAN_MS / (count / 2).max(1) as i64;
    let mut logged_on = vec![false; users];
    let mut on_count = 0usize;
    // Logoffs to come: (milliseconds from start, user).
    let mut due: BinaryHeap<Reverse<(i64, usize)>> = BinaryHeap::new();
    let mut out = Vec::with_capacity(count);
    let (mut next_logon, mut clock) = (0i64, 0i64);
    let event = |ms: i64, event: EventKind, u: usize| Event {
        at: dates::shift(start, dates::millis(ms)).unwrap_or(start),
        event,
        user: format!("user{u:06}"),
        station: Some(format!("ws{u:06}")),
        application: None,
        phone: None,
    };
    while out.len() < count {
        // A logoff due before the next logon, or every user logged on.
        let logoff = due
            .peek()
            .is_some_and(|Reverse((at, _))| *at <= next_logon || on_count >= users);
        if logoff && let Some(Reverse((at, u))) = due.pop() {
            clock = clock.max(at);
            logged_on[u] = false;
            on_count -= 1;
            out.push(event(clock, EventKind::Logoff, u));
            continue;
        }
        // The next user not logged on, from a random one.
        let mut u = rng.below(users as u64) as usize;
        while logged_on[u] {
            u = (u + 1) % users;
        }
        clock = clock.max(next_logon);
        logged_on[u] = true;
        on_count += 1;
        out.push(event(clock, EventKind::Logon, u));
        let midnight = (clock / DAY_MS + 1) * DAY_MS;
        let length = 3600 * 1000 + rng.below(8 * 3600 * 1000) as i64;
        due.push(Reverse(((clock + length).min(midnight - 60_000).max(clock), u)));
        next_logon += step;
    }
    out
}

/// First day of generated usage history.
pub fn history_start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default()
}

/// A generated usage history's events from `from` to `to` (both included),
/// in time order: each user works five days of seven (which five depends
/// on the user), turns up nine days in ten, and logs on at their own
/// station for a shift of about eight hours starting at 6:00, 10:00 or
/// 14:00 (by user) with up to an hour's spread. The same seed and day give
/// the same events whatever range they are asked in.
pub fn history_events(users: usize, from: NaiveDate, to: NaiveDate, seed: u64) -> Vec<Event> {
    let mut out = Vec::new();
    for day in from.iter_days().take_while(|d| *d <= to) {
        let n = (day - history_start()).num_days().unsigned_abs();
        let mut rng = Rng::new(seed ^ n.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let midnight = crate::rules::enforcement::midnight(day);
        for u in 0..users {
            let weekday = (n as usize + u) % 7;
            let shows_up = rng.chance(90);
            if weekday >= 5 || !shows_up {
                continue;
            }
            let offset = dates::minutes(60 * (6 + 4 * (u % 3) as i64) + rng.below(60) as i64);
            let Ok(start) = dates::shift(midnight, offset) else {
                continue;
            };
            let Ok(end) = dates::shift(start, dates::minutes(450 + rng.below(60) as i64)) else {
                continue;
            };
            for (at, event) in [(start, EventKind::Logon), (end, EventKind::Logoff)] {
                out.push(Event {
                    at,
                    event,
                    user: format!("user{u:06}"),
                    station: Some(format!("ws{u:06}")),
                    application: None,
                    phone: None,
                });
            }
        }
    }
    out.sort_by_key(|e| e.at);
    out
}
