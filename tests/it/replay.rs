//! Sessions, concurrent pools and billing categories.

use crate::util::*;
use chrono::{DateTime, Utc};
use ia_licensing::core::catalog::BillingCategory;
use ia_licensing::core::replay::{self, Event, EventKind, replay};
use ia_licensing::core::usage::{self, Collection};
use serde_json::json;

fn t(hm: &str) -> DateTime<Utc> {
    ia_licensing::core::enforcement::parse_time(&format!("2026-06-01T{hm}:00")).expect("time")
}

fn ev(at: &str, kind: EventKind, user: &str, station: Option<&str>) -> Event {
    Event {
        at: t(at),
        event: kind,
        user: user.into(),
        station: station.map(String::from),
        application: Some("Interaction Connect".into()),
        phone: None,
    }
}

fn on(at: &str, user: &str, station: &str) -> Event {
    ev(at, EventKind::Logon, user, Some(station))
}

fn off(at: &str, user: &str) -> Event {
    ev(at, EventKind::Logoff, user, None)
}

fn remote(at: &str, user: &str, phone: &str) -> Event {
    Event {
        phone: Some(phone.into()),
        ..ev(at, EventKind::DynamicRemoteLogon, user, None)
    }
}

#[test]
fn john_smith_session_counter() {
    // Seed rules LTR-1504-events-logon-logoff, LTR-1504-concurrent-use-any-application,
    // LTR-1508-only-licenses-and-time, LTR-1513-john-smith-table (docs/seed-rules.md).
    let lic = license_with(&["I3_ACCESS_CLIENT=5", "I3_ACCESS_ACD_MEDIA_1=5", "I3_ACCESS_RECORDER=5"]);
    let ws = workspace(
        json!({"format": 1, "users": [{"id": "john", "licenses": ["I3_ACCESS_CLIENT", "I3_ACCESS_ACD_MEDIA_1", "I3_ACCESS_RECORDER"]}]}),
    );
    let events = vec![
        on("08:00", "john", "ws1"),
        on("08:30", "john", "ws1"),
        off("15:00", "john"),
        on("15:30", "john", "ws1"),
        off("16:00", "john"),
        off("16:30", "john"),
    ];
    let r = replay(&lic, &ws, &events, None);
    let counters: Vec<u32> = r.counters.iter().map(|c| c.counter).collect();
    assert_eq!(counters, vec![1, 2, 1, 2, 1, 0]);
    let active: Vec<bool> = r.counters.iter().map(|c| c.active).collect();
    assert_eq!(active, vec![true, true, true, true, true, false]);
    assert_eq!(r.sessions.len(), 1, "one session from first logon to last logoff");
    assert_eq!(r.sessions[0].start, t("08:00"));
    assert_eq!(r.sessions[0].end, Some(t("16:30")));
}

#[test]
fn seed_usage_examples() {
    // Seed rules LTR-1462-agent-or-business-user, LTR-1462-add-ons-for-agents-only, LTR-1468-tina, LTR-1469-sam,
    // LTR-1470-jane, LTR-1504-licenses-active-at-event (docs/seed-rules.md).
    assert_eq!(
        usage::categories(["I3_CLIENT_ACCESS"]),
        vec![BillingCategory::BusinessUser]
    );
    assert_eq!(
        usage::categories(["I3_ACCESS_CLIENT", "I3_ACCESS_ACD_MEDIA_1"]),
        vec![BillingCategory::Agent]
    );
    let jane = usage::categories([
        "I3_CLIENT_ACCESS",
        "I3_ACCESS_ACD_MEDIA_1",
        "I3_ACCESS_ACD_MEDIA_3_PLUS",
        "I3_ACCESS_FEEDBACK",
    ]);
    assert_eq!(
        jane,
        vec![
            BillingCategory::Agent,
            BillingCategory::Feedback,
            BillingCategory::MultiChannel
        ]
    );
    // A supervisor add-on makes an agent too, never a business user.
    assert_eq!(
        usage::categories(["I3_ACCESS_CLIENT", "I3_ACCESS_SYSTEM_STATUS_SUPERVISOR_PLUGIN"]),
        vec![BillingCategory::Agent, BillingCategory::Supervisor]
    );
}

#[test]
fn concurrent_licenses_are_acquired_together_and_reused() {
    // Seed rules LTR-338-allocated-at-logon, LTR-346-all-licenses-at-module-load,
    // LTR-350-concurrent-acquired-and-released, LTR-351-reacquire-does-not-count (docs/seed-rules.md).
    let lic = license_with(&["I3_ACCESS_CLIENT=0+5", "I3_ACCESS_TRACKER=0+5"]);
    let ws = workspace(
        json!({"format": 1, "users": [{"id": "u", "method": "concurrent", "licenses": ["I3_ACCESS_CLIENT", "I3_ACCESS_TRACKER"]}]}),
    );
    let r = replay(&lic, &ws, &[on("08:00", "u", "ws1")], None);
    assert_eq!(r.in_use.get("I3_ACCESS_CLIENT"), Some(&1));
    assert_eq!(
        r.in_use.get("I3_ACCESS_TRACKER"),
        Some(&1),
        "all licenses at the first application"
    );
    let r = replay(&lic, &ws, &[on("08:00", "u", "ws1"), on("08:10", "u", "ws1")], None);
    assert_eq!(
        r.in_use.get("I3_ACCESS_CLIENT"),
        Some(&1),
        "a second application does not raise the count"
    );
    let r = replay(
        &lic,
        &ws,
        &[
            on("08:00", "u", "ws1"),
            on("08:10", "u", "ws1"),
            off("09:00", "u"),
            off("10:00", "u"),
        ],
        None,
    );
    assert_eq!(
        r.in_use.get("I3_ACCESS_CLIENT"),
        Some(&0),
        "released at the last logoff"
    );
    assert_eq!(r.peak.get("I3_ACCESS_CLIENT"), Some(&1));
}

#[test]
fn logging_on_elsewhere_logs_off_the_previous_computer() {
    // Seed rules LTR-332-logon-elsewhere-assignable, LTR-351-reacquire-does-not-count (docs/seed-rules.md).
    let lic = license_with(&["I3_ACCESS_CLIENT=0+5"]);
    let ws = workspace(
        json!({"format": 1, "users": [{"id": "u", "method": "concurrent", "licenses": ["I3_ACCESS_CLIENT"]}]}),
    );
    let r = replay(
        &lic,
        &ws,
        &[
            on("08:00", "u", "ws1"),
            on("08:05", "u", "ws1"),
            on("09:00", "u", "ws2"),
        ],
        None,
    );
    assert_eq!(r.sessions.len(), 2);
    assert_eq!(r.sessions[0].end, Some(t("09:00")));
    assert_eq!(r.sessions[1].station.as_deref(), Some("ws2"));
    assert_eq!(r.in_use.get("I3_ACCESS_CLIENT"), Some(&1), "still one license");
}

#[test]
fn the_tracker_scenario_50_pooled_80_users() {
    // Seed rules LTR-338-concurrent-users-only, LTR-350-concurrent-acquired-and-released,
    // LTR-359-concurrent-fifty-at-once (docs/seed-rules.md).
    let lic = license_with(&["I3_ACCESS_TRACKER=0+50"]);
    let users: Vec<_> = (0..80)
        .map(|i| json!({"id": format!("u{i}"), "method": "concurrent", "licenses": ["I3_ACCESS_TRACKER"]}))
        .collect();
    let ws = workspace(json!({"format": 1, "users": users}));
    let events: Vec<Event> = (0..80)
        .map(|i| on(&format!("08:{:02}", i % 60), &format!("u{i}"), &format!("ws{i}")))
        .collect();
    let r = replay(&lic, &ws, &sessions_sorted(events), None);
    assert_eq!(r.peak.get("I3_ACCESS_TRACKER"), Some(&50), "at most 50 at once");
    assert_eq!(r.denials.len(), 30, "the rest recorded as denials");
    assert!(
        r.denials[0]
            .reason
            .contains("all 50 concurrent Interaction Tracker Access licenses are in use")
    );
    assert_eq!(r.sessions.len(), 80, "denied users still log on");
    // Someone logs off: the next logon gets the freed license.
    let mut more = sessions_sorted(
        (0..80)
            .map(|i| on(&format!("08:{:02}", i % 60), &format!("u{i}"), &format!("ws{i}")))
            .collect(),
    );
    more.push(off("12:00", "u0"));
    let r = replay(&lic, &ws, &more, None);
    assert_eq!(r.in_use.get("I3_ACCESS_TRACKER"), Some(&49));
}

fn sessions_sorted(mut events: Vec<Event>) -> Vec<Event> {
    events.sort_by_key(|e| e.at);
    events
}

#[test]
fn dynamic_remote_takes_unassigned_basic_stations_or_is_rejected() {
    // Seed rules LTR-256-dynamic-remote-basic-station, LTR-266-dynamic-remote-no-client-access,
    // LTR-1557-dynamic-remote-rejected (docs/seed-rules.md).
    let lic = license_with(&["I3_LICENSE_BASIC_STATION=3", "I3_ACCESS_CLIENT=5"]);
    let ws = workspace(json!({"format": 1,
        "users": [{"id": "a"}, {"id": "b"}, {"id": "c"}],
        "stations": [{"id": "s1", "machine_name": "s1", "licenses": ["I3_LICENSE_BASIC_STATION"]}]}));
    let r = replay(
        &lic,
        &ws,
        &[
            remote("09:00", "a", "5550001"),
            remote("09:01", "b", "5550002"),
            remote("09:02", "c", "5550003"),
        ],
        None,
    );
    assert_eq!(r.sessions.len(), 2);
    assert_eq!(r.denials.len(), 1);
    assert_eq!(r.denials[0].user, "c");
    assert!(r.denials[0].reason.contains("rejected"));
    assert_eq!(r.peak_dynamic_basic_stations, 2);
    // A dynamic remote logon needs no Client Access.
    assert!(r.denials.iter().all(|d| d.key != "I3_ACCESS_CLIENT"));
    // When one hangs up, the next caller gets in.
    let r = replay(
        &lic,
        &ws,
        &[
            remote("09:00", "a", "1"),
            remote("09:01", "b", "2"),
            off("09:30", "a"),
            remote("09:40", "c", "3"),
        ],
        None,
    );
    assert!(r.denials.is_empty());
}

#[test]
fn configured_remote_station_needs_client_access_there() {
    // Seed rules LTR-242-user-and-station-combined, LTR-266-remote-station-client-access (docs/seed-rules.md).
    // Two Client Access licenses, held by user a and station r2: none is left
    // for r1 to acquire, so a logon there is refused.
    let lic = license_with(&["I3_LICENSE_BASIC_STATION=3", "I3_ACCESS_CLIENT=2"]);
    let ws = workspace(
        json!({"format": 1, "users": [{"id": "a", "licenses": ["I3_ACCESS_CLIENT"]}],
        "stations": [{"id": "r1", "type": "remote", "machine_name": "r1", "licenses": ["I3_LICENSE_BASIC_STATION"]},
                     {"id": "r2", "type": "remote", "machine_name": "r2", "licenses": ["I3_LICENSE_BASIC_STATION", "I3_ACCESS_CLIENT"]}]}),
    );
    let r = replay(&lic, &ws, &[on("09:00", "a", "r1")], None);
    assert_eq!(r.denials.len(), 1);
    assert!(r.denials[0].reason.contains("remote station r1 has no Client Access"));
    assert!(r.sessions.is_empty());
    let r = replay(&lic, &ws, &[on("09:00", "a", "r2")], None);
    assert!(r.denials.is_empty());
    // With one more, r1 acquires it for the logon.
    let lic = license_with(&["I3_LICENSE_BASIC_STATION=3", "I3_ACCESS_CLIENT=3"]);
    let r = replay(&lic, &ws, &[on("09:00", "a", "r1")], None);
    assert!(r.denials.is_empty());
    assert_eq!(r.sessions.len(), 1);
}

#[test]
fn assignable_licenses_are_not_pooled() {
    // Seed rules LTR-332-assignable-acquired-immediately, LTR-1504-licenses-active-at-event (docs/seed-rules.md).
    let lic = license_with(&["I3_ACCESS_CLIENT=5+5"]);
    let ws = workspace(json!({"format": 1, "users": [{"id": "a", "licenses": ["I3_ACCESS_CLIENT"]}]}));
    let r = replay(&lic, &ws, &[on("09:00", "a", "ws")], None);
    assert_eq!(
        r.in_use.get("I3_ACCESS_CLIENT"),
        Some(&0),
        "assignable: acquired from assignment, not from the pool"
    );
    assert_eq!(r.sessions[0].categories, vec![BillingCategory::BusinessUser]);
}

#[test]
fn events_file_errors_name_the_element() {
    let e = replay::parse_events(
        r#"[{"at": "2026-06-01T08:00:00", "event": "logon", "user": "a"}, {"at": "x", "event": "logon", "user": "b"}]"#,
    )
    .expect_err("bad time");
    assert!(e.to_string().contains("[1]") && e.to_string().contains("at"), "{e}");
    let e =
        replay::parse_events(r#"[{"at": "2026-06-01T08:00:00", "event": "teleport", "user": "a"}]"#).expect_err("kind");
    assert!(e.to_string().contains("teleport"), "{e}");
    let e = replay::parse_events(r#"[{"at": "2026-06-01T08:00:00", "event": "dynamic-remote-logon", "user": "a"}]"#)
        .expect_err("phone");
    assert!(e.to_string().contains("phone"), "{e}");
}

#[test]
fn collection_method_from_the_license() {
    // Seed rules LTR-1628-automated-upload-keys, LTR-1630-upload-key-traditional,
    // LTR-1635-upload-license-automated, SUB-29-upload-or-manual, SUB-34-either-key, SUB-153-no-key-no-collection
    // (docs/seed-rules.md).
    assert_eq!(Collection::of(&license_with(&["I3_ACCESS_CLIENT=1"])), Collection::None);
    let lic = license_full(
        &["I3_ACCESS_CLIENT=1"],
        &["I3_FEATURE_USAGE_TRACKING_UPLOAD"],
        ia_licensing::core::license::Level::Production,
        "H",
    );
    assert_eq!(Collection::of(&lic), Collection::Automated);
    let lic = license_full(
        &["I3_ACCESS_CLIENT=1"],
        &["I3_FEATURE_USAGE_TRACKING_LOCAL"],
        ia_licensing::core::license::Level::Production,
        "H",
    );
    assert_eq!(Collection::of(&lic), Collection::Local);
}

#[test]
fn usage_cli_contract() {
    // Seed rules LTR-154-monthly-bill-from-usage, LTR-1510-active-sessions-bill, SUB-136-upload-by-the-4th
    // (docs/seed-rules.md).
    let asset = |n: &str| {
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("assets/scenarios")
            .join(n)
            .to_string_lossy()
            .into_owned()
    };
    let usage = |scenario: &str| -> serde_json::Value {
        let o = crate::util::bin()
            .args([
                "usage",
                "--license",
                &asset(&format!("{scenario}.I3Lic")),
                "--workspace",
                &asset(&format!("{scenario}.ialws")),
                "--events",
                &asset(&format!("{scenario}.events.json")),
                "--format",
                "json",
            ])
            .output()
            .expect("run");
        assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
        serde_json::from_slice(&o.stdout).expect("json")
    };
    // Shift change is perpetual (pools that fill up and deny logons are the
    // perpetual model's): sessions and denials, no billing.
    let v = usage("shift-change");
    assert_eq!(v["usage_collection"], "none");
    assert_eq!(v["peak_concurrent_in_use"]["I3_ACCESS_CLIENT"], 50);
    // The ten agents the pool cannot give Client Access do not log on: the
    // CIC client cannot run without it (LTR-264-client-access).
    assert_eq!(v["sessions"].as_array().map(Vec::len), Some(50));
    let s = &v["sessions"][0];
    for f in ["user", "start", "end", "categories"] {
        assert!(s.get(f).is_some(), "session field {f}");
    }
    let d = &v["denials"][0];
    for f in ["at", "user", "key", "reason"] {
        assert!(d.get(f).is_some(), "denial field {f}");
    }
    assert_eq!(v["billing"].as_array().map(Vec::len), Some(0));
    // John Smith's day is on subscription billing: the period and its due date.
    let v = usage("john-smith");
    assert_eq!(v["usage_collection"], "automated");
    let b = &v["billing"][0];
    assert_eq!(b["period_start"], "2026-05-28");
    assert_eq!(b["period_end"], "2026-06-27");
    assert_eq!(b["upload_due"], "2026-07-04");
    assert_eq!(b["users_by_category"]["agent"], 1);
}

/// The replay a worker runs reports how far it has come, gives the same
/// replay as `replay`, and stops when cancelled.
#[test]
fn a_replay_with_progress_is_the_replay_and_stops_when_cancelled() {
    use ia_licensing::core::progress::Progress;
    let lic = license_with(&["I3_ACCESS_CLIENT=5"]);
    let ws = workspace(json!({"format": 1, "users": [{"id": "john", "method": "concurrent"}]}));
    let events: Vec<Event> = (0..10_000)
        .map(|i| {
            let at = ia_licensing::core::dates::shift(t("08:00"), ia_licensing::core::dates::seconds(i)).expect("time");
            let kind = if i % 2 == 0 {
                EventKind::Logon
            } else {
                EventKind::Logoff
            };
            Event {
                at,
                event: kind,
                user: "john".into(),
                station: (i % 2 == 0).then(|| "ws1".to_string()),
                application: Some("Interaction Connect".into()),
                phone: None,
            }
        })
        .collect();
    let progress = Progress::default();
    let with = replay::replay_with(&lic, &ws, &events, None, &progress).expect("not cancelled");
    let plain = replay(&lic, &ws, &events, None);
    assert_eq!(with.sessions.len(), plain.sessions.len());
    assert_eq!(with.counters.len(), 10_000);
    assert_eq!(progress.counts(), (10_000, 10_000), "every event counted");
    assert_eq!(progress.stage(), replay::REPLAYING);
    // Up to a time: only the events until then are counted.
    let until = ia_licensing::core::dates::shift(t("08:00"), ia_licensing::core::dates::seconds(99)).expect("time");
    let part = replay::replay_with(&lic, &ws, &events, Some(until), &progress).expect("not cancelled");
    assert_eq!(part.counters.len(), 100);
    assert_eq!(progress.counts(), (100, 100));
    let stopped = Progress::default();
    stopped.cancel();
    assert!(replay::replay_with(&lic, &ws, &events, None, &stopped).is_none());
}
