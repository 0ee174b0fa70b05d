//! Alerts before limits: few assignable licenses left, a pool near
//! capacity at its replayed peak, a license nearing its expiry date, and
//! `check --fail-on warning` for scheduled checks.

use ia_licensing::core::license::Level;
use serde_json::json;

use crate::util::*;

fn codes(d: &ia_licensing::core::document::Document) -> Vec<String> {
    d.engine()
        .diagnostics()
        .into_iter()
        .map(|x| x.code.to_string())
        .collect()
}

#[test]
fn assignable_low_by_count_and_by_percent() {
    let users: Vec<_> = (0..8)
        .map(|i| json!({"id": format!("u{i}"), "licenses": ["I3_ACCESS_CLIENT"]}))
        .collect();
    let ws = |alert: serde_json::Value| json!({"format": 1, "users": users.clone(), "alerts": {"keys": [alert]}});
    // 10 allowed, 8 configured: 2 left.
    let lic = || license_with(&["I3_ACCESS_CLIENT=10"]);
    let d = doc(lic(), ws(json!({"key": "I3_ACCESS_CLIENT", "assignable_left": 2})));
    assert!(codes(&d).contains(&"assignable-low".to_string()));
    let msg = d
        .engine()
        .diagnostics()
        .into_iter()
        .find(|x| x.code == "assignable-low")
        .map(|x| x.message.clone());
    assert!(msg.is_some_and(|m| m.contains("Only 2 of 10")));
    let d = doc(lic(), ws(json!({"key": "I3_ACCESS_CLIENT", "assignable_left": 1})));
    assert!(
        !codes(&d).contains(&"assignable-low".to_string()),
        "3 or more left is fine at 1"
    );
    let d = doc(
        lic(),
        ws(json!({"key": "I3_ACCESS_CLIENT", "assignable_left_percent": 20})),
    );
    assert!(codes(&d).contains(&"assignable-low".to_string()), "20 % of 10 is 2");
    let d = doc(
        lic(),
        ws(json!({"key": "I3_ACCESS_CLIENT", "assignable_left_percent": 10})),
    );
    assert!(!codes(&d).contains(&"assignable-low".to_string()));
}

#[test]
fn the_alert_follows_edits_incrementally() {
    use ia_licensing::core::command::Command as C;
    use ia_licensing::core::subject::Subject;
    let mut d = doc(
        license_with(&["I3_ACCESS_CLIENT=5"]),
        json!({"format": 1, "users": [{"id": "a"}, {"id": "b"}, {"id": "c"}],
               "alerts": {"keys": [{"key": "I3_ACCESS_CLIENT", "assignable_left": 2}]}}),
    );
    assert!(!codes(&d).contains(&"assignable-low".to_string()));
    d.apply(C::Assign {
        subjects: vec![Subject::user("a"), Subject::user("b"), Subject::user("c")],
        key: "I3_ACCESS_CLIENT".into(),
        method: None,
    })
    .expect("assign");
    assert!(codes(&d).contains(&"assignable-low".to_string()));
    assert!(d.engine().same_as(&d.recount()));
    d.undo().expect("undo");
    assert!(!codes(&d).contains(&"assignable-low".to_string()));
}

#[test]
fn every_level_warns_before_it_expires() {
    // Seed rules LTR-146-perpetual-indefinitely, LTR-190-development-one-year, LTR-376-perpetual-expires-2100
    // (docs/seed-rules.md).
    // Development: one year from 2026-01-01, last day 2026-12-31.
    let dev = license_full(&["I3_ACCESS_CLIENT=1"], &[], Level::DevelopmentSmall, "G807test");
    let ws = json!({"format": 1});
    let mut d = ia_licensing::core::document::Document::new(dev.clone(), workspace(ws.clone()), date(2026, 11, 1));
    assert!(!codes(&d).contains(&"license-expiring".to_string()), "60 days left");
    d.set_today(date(2026, 12, 10));
    assert!(codes(&d).contains(&"license-expiring".to_string()), "21 days left");
    // The notice period comes from the workspace.
    let d = ia_licensing::core::document::Document::new(
        dev,
        workspace(json!({"format": 1, "alerts": {"expiry_notice_days": 90}})),
        date(2026, 11, 1),
    );
    assert!(codes(&d).contains(&"license-expiring".to_string()));
    // A perpetual production license never does.
    let d = ia_licensing::core::document::Document::new(
        license_with(&["I3_ACCESS_CLIENT=1"]),
        workspace(ws),
        date(2099, 12, 1),
    );
    assert!(!codes(&d).contains(&"license-expiring".to_string()));
}

#[test]
fn a_bad_alerts_section_is_refused_with_its_path() {
    for (alerts, expected) in [
        (
            json!({"keys": [{"key": "I3_ACCESS_CLIENT", "pool_peak_percent": 150}]}),
            "$.alerts.keys[0].pool_peak_percent",
        ),
        (json!({"keys": [{"key": "I3_ACCESS_CLIENT"}]}), "sets no threshold"),
        (
            json!({"keys": [{"key": "nope", "assignable_left": 1}]}),
            "not an I3_ license key",
        ),
        (json!({"expiry_notice_days": -1}), "$.alerts"),
        (json!({"surprise": 1}), "$.alerts"),
    ] {
        let err = ia_licensing::core::workspace::Workspace::from_value(json!({"format": 1, "alerts": alerts}))
            .expect_err("refused");
        assert!(err.to_string().contains(expected), "{err}");
    }
}

/// `check --events` feeds the replayed peaks to the pool alerts, and
/// `--fail-on warning` turns any warning into exit 1 for a scheduled task.
#[test]
fn check_fails_on_warnings_when_asked_and_reads_pool_peaks_from_events() {
    let dir = tempfile::tempdir().expect("tmp");
    let scen = |f: &str| asset(&format!("scenarios/shift-change.{f}"));
    let mut ws: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(scen("ialws")).expect("read")).expect("json");
    ws["alerts"] = json!({"keys": [{"key": "I3_ACCESS_CLIENT", "pool_peak_percent": 90}]});
    let ws_path = dir.path().join("alerts.ialws");
    std::fs::write(&ws_path, ws.to_string()).expect("write");
    let lic = scen("I3Lic");
    let events = scen("events.json");
    let run = |extra: &[&str]| {
        let mut args = vec![
            "check",
            "--license",
            s(&lic),
            "--workspace",
            s(&ws_path),
            "--format",
            "json",
        ];
        args.extend_from_slice(extra);
        crate::util::bin().args(&args).output().expect("run")
    };
    let has = |out: &std::process::Output, code: &str| {
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        v["diagnostics"]
            .as_array()
            .expect("list")
            .iter()
            .any(|d| d["code"] == code)
    };
    let plain = run(&[]);
    assert!(!has(&plain, "pool-near-capacity"), "no events, no peak");
    let with_events = run(&["--events", s(&events)]);
    assert!(has(&with_events, "pool-near-capacity"), "the pool of 50 peaked at 50");
    assert_eq!(with_events.status.code(), Some(0), "warnings alone pass by default");
    let strict = run(&["--events", s(&events), "--fail-on", "warning"]);
    assert_eq!(strict.status.code(), Some(1));
}
