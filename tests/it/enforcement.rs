//! Virtual cloud enforcement (seed Appendix B).

use crate::util::*;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use ia_licensing::core::enforcement::{self, CallPortLimit, SimClock, Terms, midnight, status};
use ia_licensing::core::rules::MediaServerStatus;
use serde_json::json;

fn d(y: i32, m: u32, day: u32) -> DateTime<Utc> {
    midnight(NaiveDate::from_ymd_opt(y, m, day).expect("date"))
}

fn terms(grace: i64) -> Terms {
    Terms {
        issued: NaiveDate::from_ymd_opt(2020, 5, 1).expect("date"),
        ramp_date: NaiveDate::from_ymd_opt(2020, 6, 1).expect("date"),
        grace_days: grace,
    }
}

#[test]
fn seed_example_day_by_day() {
    // Seed rules LTR-162-pairing-to-genesys-cloud, LTR-1614-virtual-cloud-needs-genesys-cloud,
    // LTR-1750-startup-good-standing, LTR-1759-grace-period, LTR-1766-stage-fully-functional,
    // LTR-1767-stage-non-obtrusive, LTR-1769-stage-supervisor-disabled, LTR-1779-example-issue-date,
    // LTR-1781-example-ramp-date, LTR-1783-example-grace, LTR-1785-install-window, LTR-1787-june-1,
    // LTR-1788-june-8, LTR-1789-june-15, LTR-1790-june-22, LTR-1791-june-29, LTR-1792-july-6,
    // LTR-1794-every-seven-days (docs/seed-rules.md).
    // Issued 05/01/2020, ramp 06/01/2020, grace 7 days, no check-ins.
    let mut day = d(2020, 5, 1);
    while day <= d(2020, 7, 20) {
        let expected = if day < d(2020, 6, 8) {
            1
        } else if day < d(2020, 6, 15) {
            2
        } else if day < d(2020, 6, 22) {
            3
        } else if day < d(2020, 6, 29) {
            4
        } else if day < d(2020, 7, 6) {
            5
        } else {
            6
        };
        let s = status(Some(terms(7)), &[], day + Duration::hours(12));
        assert_eq!(s.stage, expected, "{day}");
        assert_eq!(s.supervisor_enabled, expected < 4, "{day}");
        assert_eq!(s.enforced, day >= d(2020, 6, 1), "{day}");
        day += Duration::days(1);
    }
}

#[test]
fn stage_details() {
    // Seed rules LTR-1770-stage-twenty-percent, LTR-1771-stage-unlicensed, LTR-1791-june-29, LTR-1792-july-6
    // (docs/seed-rules.md).
    let s = status(Some(terms(7)), &[], d(2020, 6, 30));
    assert_eq!(s.stage, 5);
    assert_eq!(s.call_port_limit, Some(CallPortLimit::Percent { percent: 20 }));
    assert_eq!(s.since, Some(d(2020, 6, 29)));
    assert_eq!(s.next_stage_at, Some(d(2020, 7, 6)));
    let s = status(Some(terms(7)), &[], d(2021, 1, 1));
    assert_eq!(s.stage, 6);
    assert_eq!(s.call_port_limit, Some(CallPortLimit::Ports { ports: 2 }));
    assert_eq!(s.next_stage_at, None);
    assert_eq!(s.since, Some(d(2020, 7, 6)));
}

#[test]
fn before_the_ramp_date_nothing_is_enforced() {
    // Seed rules LTR-1758-ramp-date, LTR-1785-install-window (docs/seed-rules.md).
    let s = status(Some(terms(7)), &[], d(2020, 5, 31) + Duration::hours(23));
    assert_eq!(s.stage, 1);
    assert!(!s.enforced);
    assert_eq!(s.since, Some(d(2020, 5, 1)));
    assert_eq!(s.next_stage_at, Some(d(2020, 6, 8)));
    // A check-in before the ramp does not move the first deadline.
    let s = status(Some(terms(7)), &[d(2020, 5, 20)], d(2020, 6, 8));
    assert_eq!(s.stage, 2);
}

#[test]
fn a_check_in_in_the_middle_of_each_stage_resets_to_stage_one() {
    // Seed rules LTR-1773-check-in-resets, LTR-1794-remedy-resets (docs/seed-rules.md).
    for stage in 1..=6u8 {
        // The middle of `stage` without check-ins.
        let mid = d(2020, 6, 1) + Duration::days(7 * i64::from(stage - 1)) + Duration::hours(84);
        assert_eq!(status(Some(terms(7)), &[], mid).stage, stage);
        let after = status(Some(terms(7)), &[mid], mid);
        assert_eq!(after.stage, 1, "check-in at stage {stage}");
        assert_eq!(after.since, Some(mid));
        assert_eq!(after.next_stage_at, Some(mid + Duration::days(7)), "grace starts over");
        assert_eq!(status(Some(terms(7)), &[mid], mid + Duration::days(7)).stage, 2);
        assert_eq!(
            status(Some(terms(7)), &[mid], mid + Duration::days(7) - Duration::seconds(1)).stage,
            1
        );
    }
}

#[test]
fn boundaries_belong_to_the_new_stage() {
    // Seed rules LTR-1758-ramp-date, LTR-1787-june-1, LTR-1788-june-8 (docs/seed-rules.md).
    assert_eq!(status(Some(terms(7)), &[], d(2020, 6, 8)).stage, 2);
    assert_eq!(
        status(Some(terms(7)), &[], d(2020, 6, 8) - Duration::seconds(1)).stage,
        1
    );
    assert_eq!(status(Some(terms(7)), &[], d(2020, 6, 1)).stage, 1);
    assert!(status(Some(terms(7)), &[], d(2020, 6, 1)).enforced);
}

#[test]
fn grace_one_and_thirty_days() {
    // Seed rules LTR-1759-grace-period, LTR-1777-example-only (docs/seed-rules.md).
    assert_eq!(status(Some(terms(1)), &[], d(2020, 6, 2)).stage, 2);
    assert_eq!(status(Some(terms(1)), &[], d(2020, 6, 6)).stage, 6);
    assert_eq!(status(Some(terms(30)), &[], d(2020, 7, 1)).stage, 2);
    assert_eq!(
        status(Some(terms(30)), &[], d(2020, 6, 30) + Duration::hours(23)).stage,
        1
    );
    assert_eq!(status(Some(terms(30)), &[], d(2020, 9, 29)).stage, 5);
    assert_eq!(status(Some(terms(30)), &[], d(2020, 10, 29)).stage, 6);
    assert_eq!(status(Some(terms(30)), &[], d(2020, 10, 28)).stage, 5);
}

#[test]
fn startup_needs_a_recent_good_standing() {
    // Seed rule LTR-1750-startup-good-standing (docs/seed-rules.md).
    let at = d(2020, 6, 10);
    assert!(!status(Some(terms(7)), &[], at).recent_good_standing);
    assert!(status(Some(terms(7)), &[at - Duration::hours(12)], at).recent_good_standing);
    assert!(!status(Some(terms(7)), &[at - Duration::hours(30)], at).recent_good_standing);
}

#[test]
fn licenses_without_the_feature_are_not_applicable() {
    // Seed rules LTR-1614-virtual-cloud-needs-genesys-cloud, LTR-1648-virtual-cloud-also-requires,
    // LTR-1748-virtual-cloud-triggers-connection (docs/seed-rules.md).
    let lic = license_with(&["I3_ACCESS_CLIENT=1"]);
    let s = status(Terms::of(&lic), &[], d(2030, 1, 1));
    assert!(!s.applicable);
    assert!(s.supervisor_enabled);
    assert_eq!(s.call_port_limit, None);
}

#[test]
fn the_simulated_clock_checks_in_every_12_hours_while_connected() {
    // Seed rule LTR-1750-twelve-hour-check-ins (docs/seed-rules.md).
    let mut clock = SimClock::new(d(2020, 6, 1));
    clock.advance(Duration::days(10));
    assert!(clock.check_ins.is_empty());
    assert_eq!(status(Some(terms(7)), &clock.check_ins, clock.now).stage, 2);
    clock.connected = true;
    clock.advance(Duration::days(1));
    assert_eq!(clock.check_ins.len(), 2);
    assert_eq!(status(Some(terms(7)), &clock.check_ins, clock.now).stage, 1);
    clock.connected = false;
    clock.advance(Duration::weeks(1));
    assert_eq!(status(Some(terms(7)), &clock.check_ins, clock.now).stage, 2);
    // Without a connection no check-in succeeds.
    assert!(!clock.check_in());
    assert_eq!(status(Some(terms(7)), &clock.check_ins, clock.now).stage, 2);
    clock.connected = true;
    assert!(clock.check_in());
    assert_eq!(status(Some(terms(7)), &clock.check_ins, clock.now).stage, 1);
}

#[test]
fn timeline_matches_status() {
    // Seed rule LTR-1794-every-seven-days (docs/seed-rules.md).
    let checks = [d(2020, 6, 18) + Duration::hours(5)];
    let segs = enforcement::timeline(terms(7), &checks, d(2020, 5, 1), d(2020, 8, 15));
    for seg in &segs {
        let mid = seg.start + (seg.end - seg.start) / 2;
        assert_eq!(status(Some(terms(7)), &checks, mid).stage, seg.stage, "{seg:?}");
    }
    assert!(segs.iter().any(|s| s.stage == 6));
}

#[test]
fn media_server_on_virtual_cloud_needs_a_virtual_cloud_cic_server() {
    // Seed rules LTR-1658-media-server-virtual-cloud, SUB-56-media-server-virtual-cloud (docs/seed-rules.md).
    let mut d1 = doc(license_with(&["I3_ACCESS_CLIENT=1"]), json!({"format": 1}));
    d1.set_media_servers(vec![MediaServerStatus {
        name: "ms1".into(),
        license: Ok(true),
    }]);
    let codes: Vec<String> = d1.engine().diagnostics().iter().map(|x| x.code.to_string()).collect();
    assert!(codes.contains(&"vc-media-server-mismatch".to_string()), "{codes:?}");
    d1.set_media_servers(vec![MediaServerStatus {
        name: "ms1".into(),
        license: Ok(false),
    }]);
    assert!(d1.engine().diagnostics().is_empty());
    assert!(d1.engine().same_as(&d1.recount()));
}

#[test]
fn cli_enforcement_contract() {
    // Seed rules LTR-1748-virtual-cloud-triggers-connection, LTR-1770-stage-twenty-percent,
    // LTR-1771-stage-unlicensed, LTR-1779-example-issue-date, LTR-1791-june-29 (docs/seed-rules.md).
    let lic = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets/demo-virtual-cloud.I3Lic");
    let dir = tempfile::tempdir().expect("tmp");
    let checks = dir.path().join("checkins.json");
    std::fs::write(&checks, r#"["2020-06-20T09:00:00Z"]"#).expect("write");
    let run = |args: &[&str]| {
        let o = crate::util::bin().args(args).output().expect("run");
        assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
        serde_json::from_slice::<serde_json::Value>(&o.stdout).expect("json")
    };
    let l = lic.to_str().expect("utf8");
    let v = run(&[
        "enforcement",
        "--license",
        l,
        "--at",
        "2020-06-29T00:00:00Z",
        "--format",
        "json",
    ]);
    assert_eq!(v["applicable"], true);
    assert_eq!(v["stage"], 5);
    assert_eq!(v["call_port_limit"]["percent"], 20);
    assert_eq!(v["supervisor_enabled"], false);
    assert_eq!(v["next_stage_at"], "2020-07-06T00:00:00Z");
    let v = run(&[
        "enforcement",
        "--license",
        l,
        "--checkins",
        checks.to_str().expect("utf8"),
        "--at",
        "2020-06-21T00:00:00Z",
        "--format",
        "json",
    ]);
    assert_eq!(v["stage"], 1);
    assert_eq!(v["since"], "2020-06-20T09:00:00Z");
    let v = run(&[
        "enforcement",
        "--license",
        l,
        "--at",
        "2020-08-01T00:00:00Z",
        "--format",
        "json",
    ]);
    assert_eq!(v["call_port_limit"]["ports"], 2);
    assert_eq!(v["next_stage_at"], serde_json::Value::Null);
    let demo = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets/demo.I3Lic");
    let v = run(&[
        "enforcement",
        "--license",
        demo.to_str().expect("utf8"),
        "--at",
        "2020-08-01T00:00:00Z",
        "--format",
        "json",
    ]);
    assert_eq!(v["applicable"], false);
}
