//! Client Access at logon, as an independent tester found it wrong from
//! the seeds alone (issue #29, second round): a Concurrent user the pool
//! cannot give Client Access, a configured remote station that must
//! acquire one, and a station's Client Access serving a Concurrent user.
//! Each test quotes the seed and names the register ids it implements
//! (docs/seed-rules.md).

use ia_licensing::core::license::Level;
use ia_licensing::core::license::generate;
use ia_licensing::core::replay::{self, Event, EventKind};
use ia_licensing::core::usage;
use serde_json::{Value, json};

use crate::seed_rule_fixes::{loaded, order};
use crate::util::*;

fn at(hm: &str) -> chrono::DateTime<chrono::Utc> {
    ia_licensing::core::enforcement::parse_time(&format!("2026-06-01T{hm}:00")).expect("time")
}

fn ev(hm: &str, kind: EventKind, user: &str, station: &str) -> Event {
    Event {
        at: at(hm),
        event: kind,
        user: user.into(),
        station: Some(station.into()),
        application: Some("Interaction Connect".into()),
        phone: None,
    }
}

fn on(hm: &str, user: &str, station: &str) -> Event {
    ev(hm, EventKind::Logon, user, station)
}

fn off(hm: &str, user: &str, station: &str) -> Event {
    ev(hm, EventKind::Logoff, user, station)
}

fn concurrent_users(ids: &[&str], keys: &[&str]) -> Vec<Value> {
    ids.iter()
        .map(|id| json!({"id": id, "method": "concurrent", "licenses": keys}))
        .collect()
}

fn station(id: &str, kind: &str, keys: &[&str]) -> Value {
    json!({"id": id, "type": kind, "machine_name": id, "licenses": keys})
}

/// Seed, Client Access license: "Without this license allocation, the CIC
/// client cannot run on the station." A Concurrent user whose Client Access
/// the pool cannot give, at a station that has none, does not log on: the
/// denial is reported and there is no session to bill; the pool's other
/// licenses are not taken either. (Before, the session ran all day.)
#[test]
fn ltr_264_a_concurrent_user_denied_client_access_gets_no_session() {
    // Seed rules LTR-264-client-access, LTR-350-concurrent-acquired-and-released (docs/seed-rules.md).
    let lic = license_with(&[
        "I3_LICENSE_BASIC_STATION=10",
        "I3_ACCESS_CLIENT=0+1",
        "I3_ACCESS_TRACKER=0+5",
    ]);
    let ws = workspace(json!({"format": 1,
        "users": concurrent_users(&["p1", "p2"], &["I3_ACCESS_CLIENT", "I3_ACCESS_TRACKER"]),
        "stations": [station("ws-1", "workstation", &["I3_LICENSE_BASIC_STATION"]),
                     station("ws-2", "workstation", &["I3_LICENSE_BASIC_STATION"])]}));
    let events = [
        on("09:00", "p1", "ws-1"),
        on("09:01", "p2", "ws-2"),
        off("17:00", "p1", "ws-1"),
        off("17:00", "p2", "ws-2"),
    ];
    let r = replay::replay(&lic, &ws, &events, None);
    let users: Vec<&str> = r.sessions.iter().map(|s| s.user.as_str()).collect();
    assert_eq!(users, vec!["p1"], "p2 never ran the client");
    assert_eq!(r.denials.len(), 1);
    assert_eq!(r.denials[0].user, "p2");
    assert_eq!(r.denials[0].key, "I3_ACCESS_CLIENT");
    assert!(r.denials[0].reason.contains("cannot run"), "{}", r.denials[0].reason);
    assert_eq!(r.peak.get("I3_ACCESS_TRACKER"), Some(&1), "p2 took no Tracker license");
    // The pools' demand says what would have served everyone: p2 wanted
    // both licenses from the refused logon to its logoff.
    assert_eq!(
        r.peak_demand.get("I3_ACCESS_CLIENT"),
        Some(&2),
        "the pool was wanted twice"
    );
    assert_eq!(r.peak_demand.get("I3_ACCESS_TRACKER"), Some(&2));
    let client = r.keys.iter().position(|k| k == "I3_ACCESS_CLIENT").expect("key") as u32;
    let last = r.demand_points.iter().rev().find(|p| p.key == client).expect("demand");
    assert_eq!((last.at, last.in_use), (at("17:00"), 0), "given back at the logoffs");
    assert!(
        r.ignored.is_empty(),
        "p2's logoff ends the refused logon: {:?}",
        r.ignored
    );
    // On subscription nothing stops the logon.
    let mut file = generate::build(&order(
        "2020 R2",
        &["I3_FEATURE_USAGE_TRACKING_UPLOAD"],
        &[
            "I3_LICENSE_BASIC_STATION=10",
            "I3_ACCESS_CLIENT=0+1",
            "I3_ACCESS_TRACKER=0+5",
        ],
    ))
    .expect("build");
    file.server.host_id = "G807test".into();
    let r = replay::replay(&loaded(&file), &ws, &events, None);
    assert_eq!(r.sessions.len(), 2);
    assert!(r.denials.is_empty());
    // At a station the workspace does not list (its licenses unknown), the
    // denial is reported and the logon goes on, as before.
    let r = replay::replay(
        &lic,
        &ws,
        &[on("09:00", "p1", "ws-1"), on("09:01", "p2", "elsewhere")],
        None,
    );
    assert_eq!(r.sessions.len(), 2);
    assert_eq!(r.denials.len(), 1);
}

/// Seed: "If a user logs on to a remote station, that station also must
/// acquire a Client Access license." A configured remote station without
/// Client Access acquires one of the license's unassigned Client Access
/// licenses for the logon (and returns it at logoff); when none is left
/// the logon is refused: no session, nothing billed.
#[test]
fn ltr_266_a_remote_station_acquires_an_unassigned_client_access() {
    // Seed rules LTR-266-remote-station-client-access, LTR-242-user-and-station-combined (docs/seed-rules.md).
    let ws = workspace(json!({"format": 1,
        "users": [{"id": "withcl", "licenses": ["I3_ACCESS_CLIENT"]}, {"id": "other", "licenses": ["I3_ACCESS_CLIENT"]}],
        "stations": [station("rem-1", "remote", &["I3_LICENSE_BASIC_STATION"]),
                     station("rem-2", "remote", &["I3_LICENSE_BASIC_STATION"])]}));
    // Ten Client Access, two held by the users: eight for remote stations.
    let lic = license_with(&["I3_LICENSE_BASIC_STATION=10", "I3_ACCESS_CLIENT=10"]);
    let r = replay::replay(
        &lic,
        &ws,
        &[on("09:02", "withcl", "rem-1"), off("17:00", "withcl", "rem-1")],
        None,
    );
    assert!(r.denials.is_empty(), "{:?}", r.denials);
    assert_eq!(r.sessions.len(), 1);
    assert_eq!(r.sessions[0].end, Some(at("17:00")));
    // Three Client Access: one left for the remote stations. The second
    // remote logon is refused until the first ends.
    let lic = license_with(&["I3_LICENSE_BASIC_STATION=10", "I3_ACCESS_CLIENT=3"]);
    let r = replay::replay(
        &lic,
        &ws,
        &[
            on("09:00", "withcl", "rem-1"),
            on("09:05", "other", "rem-2"),
            off("12:00", "withcl", "rem-1"),
            on("12:30", "other", "rem-2"),
        ],
        None,
    );
    assert_eq!(r.denials.len(), 1, "{:?}", r.denials);
    assert!(r.denials[0].reason.contains("rem-2"), "{}", r.denials[0].reason);
    assert_eq!(r.sessions.len(), 2, "withcl in the morning, other after 12:00");
    assert_eq!(r.sessions[1].start, at("12:30"));
    // None left (both held by users): refused, no session, not billed.
    let lic = license_full(
        &["I3_LICENSE_BASIC_STATION=10", "I3_ACCESS_CLIENT=2"],
        &[],
        Level::Production,
        "G807test",
    );
    let r = replay::replay(
        &lic,
        &ws,
        &[on("09:02", "withcl", "rem-1"), off("17:00", "withcl", "rem-1")],
        None,
    );
    assert!(r.sessions.is_empty());
    assert_eq!(r.denials.len(), 1);
    assert!(r.denials[0].reason.contains("rem-1"), "{}", r.denials[0].reason);
    let users = usage::UserCategories::of(&r.sessions, date(2026, 6, 1));
    let (_, periods) = usage::tally_users(&users);
    assert!(
        periods.iter().all(|p| p.users_by_category.values().all(|n| *n == 0)),
        "{periods:?}"
    );
    // A remote station that holds Client Access itself needs nothing more.
    let ws2 = workspace(json!({"format": 1,
        "users": [{"id": "withcl", "licenses": ["I3_ACCESS_CLIENT"]}],
        "stations": [station("rem-1", "remote", &["I3_LICENSE_BASIC_STATION", "I3_ACCESS_CLIENT"])]}));
    let r = replay::replay(&lic, &ws2, &[on("09:02", "withcl", "rem-1")], None);
    assert!(r.denials.is_empty() && r.sessions.len() == 1);
}

/// Seed: "Once authenticated, the user's allowed capabilities consist of
/// the combination of what the user ID and the Station ID are assigned";
/// Client Access: "You license the features by user, station, or both." A
/// Concurrent user at a station that holds Client Access runs the client
/// on the station's license: nothing is drawn from the pool for it (the
/// user's other concurrent licenses still are).
#[test]
fn ltr_264_a_station_client_access_serves_a_concurrent_user() {
    // Seed rules LTR-264-client-by-user-station-or-both, LTR-242-user-and-station-combined (docs/seed-rules.md).
    let lic = license_with(&[
        "I3_LICENSE_BASIC_STATION=10",
        "I3_ACCESS_CLIENT=2+1",
        "I3_ACCESS_TRACKER=0+1",
    ]);
    let ws = workspace(json!({"format": 1,
        "users": concurrent_users(&["x1", "x2"], &["I3_ACCESS_CLIENT"]),
        "stations": [station("ws-ca1", "workstation", &["I3_LICENSE_BASIC_STATION", "I3_ACCESS_CLIENT"]),
                     station("ws-ca2", "workstation", &["I3_LICENSE_BASIC_STATION", "I3_ACCESS_CLIENT"])]}));
    let r = replay::replay(
        &lic,
        &ws,
        &[on("09:00", "x1", "ws-ca1"), on("09:01", "x2", "ws-ca2")],
        None,
    );
    assert!(r.denials.is_empty(), "{:?}", r.denials);
    assert_eq!(r.sessions.len(), 2);
    assert_eq!(
        r.peak.get("I3_ACCESS_CLIENT"),
        Some(&0),
        "no pooled Client Access taken"
    );
    assert!(r.sessions.iter().all(|s| s.concurrent.is_empty()));
    // Billing still sees Client Access in the session.
    assert!(r.sessions.iter().all(|s| !s.categories.is_empty()));
    // Their other concurrent licenses still come from the pool.
    let ws = workspace(json!({"format": 1,
        "users": concurrent_users(&["x1", "x2"], &["I3_ACCESS_CLIENT", "I3_ACCESS_TRACKER"]),
        "stations": [station("ws-ca1", "workstation", &["I3_LICENSE_BASIC_STATION", "I3_ACCESS_CLIENT"]),
                     station("ws-ca2", "workstation", &["I3_LICENSE_BASIC_STATION", "I3_ACCESS_CLIENT"])]}));
    let r = replay::replay(
        &lic,
        &ws,
        &[on("09:00", "x1", "ws-ca1"), on("09:01", "x2", "ws-ca2")],
        None,
    );
    assert_eq!(r.sessions.len(), 2);
    assert_eq!(r.denials.len(), 1);
    assert_eq!(r.denials[0].key, "I3_ACCESS_TRACKER");
    assert_eq!(r.peak.get("I3_ACCESS_TRACKER"), Some(&1));
}
