//! Renewals and upgrades: license comparison, impact, right-sizing.

use crate::util::*;
use ia_licensing::core::command::Command;
use ia_licensing::core::compare;
use ia_licensing::core::license::Level;
use ia_licensing::core::recommend::{self, Action};
use ia_licensing::core::replay::{self, Event, EventKind};
use ia_licensing::core::subject::Subject;
use serde_json::json;

#[test]
fn count_changes_and_keys_added_or_removed() {
    let old = license_with(&["I3_ACCESS_CLIENT=10+5", "I3_ACCESS_TRACKER=5", "I3_ACCESS_RECORDER=3"]);
    let new = license_with(&["I3_ACCESS_CLIENT=12+2", "I3_ACCESS_RECORDER=3", "I3_ACCESS_FEEDBACK=4"]);
    let d = compare::diff(&old, &new, None);
    let get = |k: &str| d.licenses.iter().find(|c| c.key == k).cloned();
    let client = get("I3_ACCESS_CLIENT").expect("client changed");
    assert_eq!(
        (
            client.old_assigned,
            client.new_assigned,
            client.old_pooled,
            client.new_pooled
        ),
        (10, 12, 5, 2)
    );
    assert!(client.is_reduction(), "pooled went down");
    let tracker = get("I3_ACCESS_TRACKER").expect("removed key");
    assert_eq!((tracker.old_assigned, tracker.new_assigned), (5, 0));
    let feedback = get("I3_ACCESS_FEEDBACK").expect("added key");
    assert_eq!((feedback.old_assigned, feedback.new_assigned), (0, 4));
    assert!(get("I3_ACCESS_RECORDER").is_none(), "unchanged keys are left out");
    assert_eq!(feedback.label, "Interaction Feedback Access");
}

#[test]
fn features_host_level_and_expiry() {
    let old = license_full(
        &["I3_ACCESS_CLIENT=1"],
        &["I3_FEATURE_SIP", "I3_FEATURE_SMS"],
        Level::Production,
        "HOST-A",
    );
    let new = license_full(
        &["I3_ACCESS_CLIENT=1"],
        &["I3_FEATURE_SIP", "I3_FEATURE_MEDIA_SERVERS"],
        Level::Trial,
        "HOST-B",
    );
    let d = compare::diff(&old, &new, Some("HOST-A"));
    assert_eq!(d.features_added, vec!["I3_FEATURE_MEDIA_SERVERS"]);
    assert_eq!(d.features_removed, vec!["I3_FEATURE_SMS"]);
    assert_eq!(
        d.host_id.as_ref().map(|c| (c.old.as_str(), c.new.as_str())),
        Some(("HOST-A", "HOST-B"))
    );
    assert!(
        d.notes
            .iter()
            .any(|n| n.contains("does not match this server's host ID HOST-A")),
        "{:?}",
        d.notes
    );
    assert_eq!(d.level.as_ref().map(|c| c.new.as_str()), Some("trial"));
    let e = d.expires.expect("expiry changed");
    assert!(e.new < e.old);
    assert!(d.notes.iter().any(|n| n.contains("expires earlier")));
    assert!(compare::diff(&old, &old, None).is_empty());
}

#[test]
fn impact_new_and_resolved() {
    let lic = license_with(&["I3_ACCESS_CLIENT=10", "I3_ACCESS_TRACKER=5"]);
    let users: Vec<_> = (0..8)
        .map(|i| json!({"id": format!("u{i}"), "licenses": ["I3_ACCESS_CLIENT"]}))
        .collect();
    let mut users = users;
    users.push(json!({"id": "t", "licenses": ["I3_ACCESS_TRACKER", "I3_ACCESS_RECORDER"]}));
    let d = doc(lic, json!({"format": 1, "users": users}));
    assert!(
        d.engine()
            .diagnostics()
            .iter()
            .any(|x| x.code == "license-not-in-file" && x.subject.id == "I3_ACCESS_RECORDER")
    );
    // 8 users hold Client Access but the new file allows 5; Tracker is gone; Recorder arrives.
    let new = license_with(&["I3_ACCESS_CLIENT=5", "I3_ACCESS_RECORDER=5"]);
    let before = d.engine().diagnostics().len();
    let imp = compare::impact(&d, &new);
    let codes = |v: &[ia_licensing::core::diagnostic::Diagnostic]| {
        v.iter()
            .map(|x| (x.code.to_string(), x.subject.id.clone()))
            .collect::<Vec<_>>()
    };
    assert!(
        codes(&imp.new).contains(&("assignable-exceeded".into(), "I3_ACCESS_CLIENT".into())),
        "{:?}",
        codes(&imp.new)
    );
    assert!(codes(&imp.new).contains(&("license-not-in-file".into(), "I3_ACCESS_TRACKER".into())));
    assert!(codes(&imp.resolved).contains(&("license-not-in-file".into(), "I3_ACCESS_RECORDER".into())));
    assert!(imp.has_new_errors());
    assert_eq!(d.engine().diagnostics().len(), before, "nothing changes until loaded");
}

#[test]
fn load_is_one_undoable_step() {
    let lic = license_with(&["I3_ACCESS_CLIENT=10"]);
    let mut d = doc(
        lic.clone(),
        json!({"format": 1, "users": [{"id": "a", "licenses": ["I3_ACCESS_CLIENT"]}]}),
    );
    d.apply(Command::Assign {
        subjects: vec![Subject::user("a")],
        key: "I3_ACCESS_CLIENT".into(),
        method: None,
    })
    .ok();
    let new = license_with(&["I3_ACCESS_CLIENT=0"]);
    d.replace_license(new, "Load license new".into());
    assert!(d.engine().has_errors());
    assert_eq!(d.undo().as_deref(), Some("Load license new"));
    assert!(std::sync::Arc::ptr_eq(d.license(), &lic));
    assert!(!d.engine().has_errors());
    assert!(d.redo().expect("redo").is_some());
    assert!(d.engine().has_errors());
}

#[test]
fn recommend_tracker_scenario_adds_15_pooled() {
    let lic = license_with(&["I3_ACCESS_TRACKER=0+50"]);
    let users: Vec<_> = (0..80)
        .map(|i| json!({"id": format!("u{i}"), "method": "concurrent", "licenses": ["I3_ACCESS_TRACKER"]}))
        .collect();
    let d = doc(lic.clone(), json!({"format": 1, "users": users}));
    // 65 log on at once, at 08:00–08:04.
    let events: Vec<Event> = (0..65)
        .map(|i| Event {
            at: ia_licensing::core::enforcement::parse_time(&format!("2026-06-01T08:{:02}:00", i % 5)).expect("t"),
            event: EventKind::Logon,
            user: format!("u{i}"),
            station: Some(format!("ws{i}")),
            application: None,
            phone: None,
        })
        .collect::<Vec<_>>();
    let mut events = events;
    events.sort_by_key(|e| e.at);
    let history = replay::replay(&lic, d.workspace(), &events, None);
    let recs = recommend::recommend(&d, Some(&history));
    let r = recs.iter().find(|r| r.key == "I3_ACCESS_TRACKER").expect("tracker");
    assert_eq!(r.action, Action::Add);
    assert_eq!(r.pooled_delta, 15);
    assert_eq!(r.peak_concurrent_in_use, Some(50));
    assert_eq!(r.denials, Some(15));
    assert!(r.reason.contains("15 denials"), "{}", r.reason);
    assert!(r.reason.contains("pooled 50 of 50 in use on 1 day"), "{}", r.reason);
}

#[test]
fn recommend_reduce_and_keep() {
    let lic = license_with(&["I3_ACCESS_CLIENT=200", "I3_ACCESS_RECORDER=10"]);
    let mut users: Vec<_> = (0..120)
        .map(|i| json!({"id": format!("u{i}"), "licenses": ["I3_ACCESS_CLIENT"]}))
        .collect();
    for u in users.iter_mut().take(10) {
        u["licenses"] = json!(["I3_ACCESS_CLIENT", "I3_ACCESS_RECORDER"]);
    }
    let d = doc(lic, json!({"format": 1, "users": users}));
    let recs = recommend::recommend(&d, None);
    let client = recs.iter().find(|r| r.key == "I3_ACCESS_CLIENT").expect("client");
    assert_eq!(client.action, Action::Reduce);
    assert_eq!(client.assigned_delta, -80);
    assert!(
        client.reason.contains("assignable 200 allowed, 120 configured"),
        "{}",
        client.reason
    );
    let rec = recs.iter().find(|r| r.key == "I3_ACCESS_RECORDER").expect("recorder");
    assert_eq!(rec.action, Action::Keep);
}

#[test]
fn cli_diff_and_recommend_contract() {
    let dir = tempfile::tempdir().expect("tmp");
    let bin = env!("CARGO_BIN_EXE_ia-licensing");
    let asset = |n: &str| {
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("assets")
            .join(n)
            .to_string_lossy()
            .into_owned()
    };
    let small = dir.path().join("small.I3Lic");
    let o = std::process::Command::new(bin)
        .args([
            "license",
            "new",
            "--level",
            "production",
            "--host-id",
            "G807test",
            "--machine",
            "testing",
            "--part",
            "SW-001-4.0-AL02=5",
            "--sign-key",
            &asset("keys/demo-issuer.key"),
            "-o",
            small.to_str().expect("utf8"),
        ])
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let run = |args: &[&str]| std::process::Command::new(bin).args(args).output().expect("run");
    let o = run(&[
        "license",
        "diff",
        &asset("demo.I3Lic"),
        small.to_str().expect("utf8"),
        "--workspace",
        &asset("demo.ialws"),
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(1), "the smaller license adds errors");
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert!(v["level"].is_null());
    assert!(v["host_id"].is_null());
    assert!(v["expires"].is_null());
    assert!(v["features_removed"].as_array().is_some_and(|a| a.len() == 7));
    let client = v["licenses"]
        .as_array()
        .expect("licenses")
        .iter()
        .find(|l| l["key"] == "I3_ACCESS_CLIENT")
        .cloned()
        .expect("client");
    assert_eq!(
        (client["old_assigned"].as_u64(), client["new_assigned"].as_u64()),
        (Some(170), Some(5))
    );
    assert!(client["label"].is_string());
    assert!(
        v["impact"]["new"]
            .as_array()
            .is_some_and(|a| a.iter().any(|d| d["code"] == "assignable-exceeded"))
    );
    assert!(v["impact"]["resolved"].is_array());
    // Without a workspace: no impact, exit 0.
    let o = run(&[
        "license",
        "diff",
        &asset("demo.I3Lic"),
        small.to_str().expect("utf8"),
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert!(v["impact"].is_null());
    // recommend.
    let o = run(&[
        "recommend",
        "--license",
        &asset("scenarios/shift-change.I3Lic"),
        "--workspace",
        &asset("scenarios/shift-change.ialws"),
        "--events",
        &asset("scenarios/shift-change.events.json"),
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let k = v["keys"]
        .as_array()
        .expect("keys")
        .iter()
        .find(|k| k["key"] == "I3_ACCESS_CLIENT")
        .cloned()
        .expect("client");
    for f in [
        "assignable_allowed",
        "assignable_configured",
        "concurrent_allowed",
        "concurrent_configured",
        "peak_concurrent_in_use",
        "denials",
        "action",
        "assigned_delta",
        "pooled_delta",
        "reason",
    ] {
        assert!(k.get(f).is_some(), "{f}");
    }
    assert_eq!(k["action"], "add");
    assert_eq!(k["pooled_delta"], 10);
}
