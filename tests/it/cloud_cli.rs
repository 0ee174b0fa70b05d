//! `cloud estimate` as a process (the JSON contract, CSV, the table's first
//! line), hostile mapping, price and wave files, an old history, and the
//! workspace's `cloud` section.

use std::path::{Path, PathBuf};
use std::process::Command;

use ia_licensing::core::cloud::{self, CloudSettings, files};
use ia_licensing::core::command::Command as Cmd;
use ia_licensing::core::history::History;
use ia_licensing::core::workspace::Workspace;
use serde_json::{Value, json};

use crate::util::*;

/// A generated site (200 users, 45 days from 2026-01-01) with its history
/// imported: (workspace, license).
pub(crate) fn site(dir: &Path) -> (PathBuf, PathBuf) {
    let out = bin()
        .args([
            "demo",
            "generate",
            "--users",
            "200",
            "--stations",
            "200",
            "--workgroups",
            "10",
        ])
        .args(["--seed", "5", "--history-days", "45", "-o"])
        .arg(dir)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let ws = dir.join("workspace.ialws");
    let lic = dir.join("license.I3Lic");
    let out = bin()
        .args([
            "history",
            "import",
            "--workspace",
            s(&ws),
            "--license",
            s(&lic),
            "--events",
        ])
        .arg(dir.join("history/2026-01.json"))
        .arg(dir.join("history/2026-02.json"))
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    (ws, lic)
}

pub(crate) fn estimate(ws: &Path, extra: &[&str]) -> std::process::Output {
    bin()
        .args(["cloud", "estimate", "--workspace", s(ws)])
        .args(extra)
        .output()
        .expect("run")
}

pub(crate) fn json_of(out: &std::process::Output) -> Value {
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("json")
}

#[test]
fn cloud_estimate_json_csv_and_table_follow_the_contract() {
    let dir = tempfile::tempdir().expect("dir");
    let (ws, _) = site(dir.path());
    // No --license: the one the history recorded. No prices: counts only.
    let v = json_of(&estimate(&ws, &["--format", "json"]));
    assert_eq!(v["license"]["demo"], true);
    assert!(v["license"]["status"].is_string());
    assert_eq!(v["prices_missing"], true);
    assert!(v["note"].as_str().is_some_and(|n| n.contains("not a quote")));
    let assumptions = v["assumptions"].as_array().expect("assumptions");
    assert!(
        assumptions
            .iter()
            .all(|a| a["rule"].is_string() && a["text"].is_string())
    );
    assert!(assumptions.iter().any(|a| a["rule"] == "Licenses as they are now"));
    assert!(v["unmatched_users"].is_array() && v["waves"].as_array().is_some_and(Vec::is_empty));
    let periods = v["periods"].as_array().expect("periods");
    assert_eq!(periods.len(), 2, "January and February (calendar months)");
    let p = &periods[0];
    assert_eq!(
        (p["start"].as_str(), p["end"].as_str()),
        (Some("2026-01-01"), Some("2026-01-31"))
    );
    for k in ["named", "concurrent", "hours", "overage"] {
        assert!(p[k].is_object(), "{k}");
    }
    for m in ["named", "concurrent", "hourly"] {
        assert!(p["overage"][m].is_object(), "overage.{m}");
    }
    for k in ["named", "concurrent", "hourly", "pureconnect"] {
        assert!(p["cost"][k].is_null(), "{k}");
    }
    assert!(p["cheapest"].is_null());
    assert!(p["named"]["communicate"].as_u64().is_some_and(|n| n > 0));
    for (lic, h) in p["hours"].as_object().expect("hours") {
        let h = h.as_f64().expect("number");
        assert!(
            (h * 100.0 - (h * 100.0).round()).abs() < 1e-6,
            "{lic}: {h} has two decimals at most"
        );
    }
    for (lic, n) in p["concurrent"].as_object().expect("concurrent") {
        assert!(n.as_u64() <= p["named"][lic].as_u64(), "{lic}");
    }
    // With the example prices and a wave: costs, the cheapest model, the
    // phased move.
    let waves = dir.path().join("waves.json");
    std::fs::write(
        &waves,
        r#"[{"name": "Pilot", "date": "2026-02-01", "workgroups": ["WG-0001"]}]"#,
    )
    .expect("write");
    let prices = asset("cloud-prices.example.json");
    let v = json_of(&estimate(
        &ws,
        &["--prices", s(&prices), "--waves", s(&waves), "--format", "json"],
    ));
    assert_eq!(v["prices_missing"], false);
    assert_eq!(v["currency"], "USD");
    let p = &v["periods"][0];
    for k in ["named", "concurrent", "hourly"] {
        assert!(p["cost"][k].as_f64().is_some_and(|c| c > 0.0), "{k}");
    }
    assert!(
        p["cost"]["pureconnect"].is_null(),
        "the generated workspace has no PureConnect price list"
    );
    assert!(["named", "concurrent", "hourly"].contains(&p["cheapest"].as_str().expect("cheapest")));
    let wave = &v["waves"][0];
    assert_eq!(
        (wave["name"].as_str(), wave["date"].as_str()),
        (Some("Pilot"), Some("2026-02-01"))
    );
    assert!(wave["users"].as_array().is_some_and(|u| !u.is_empty()));
    assert_eq!(
        v["periods"][0]["phased"]["moved_users"], 0,
        "the pilot moves in February"
    );
    assert!(v["periods"][1]["phased"]["moved_users"].as_u64().is_some_and(|n| n > 0));
    // CSV: one row per period and license.
    let out = estimate(&ws, &["--prices", s(&prices), "--format", "csv"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).expect("utf8");
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some(ia_licensing::core::reports::cloud::HEADER.join(",").as_str())
    );
    let rows: usize = v["periods"]
        .as_array()
        .expect("p")
        .iter()
        .map(|p| p["by_license"].as_object().map_or(0, |m| m.len()))
        .sum();
    assert_eq!(lines.count(), rows);
    // The table starts with the DEMO line and gives the cheapest model.
    let out = estimate(&ws, &["--prices", s(&prices)]);
    let text = String::from_utf8(out.stdout).expect("utf8");
    assert!(text.starts_with("DEMO"), "{text}");
    assert!(text.contains("Cheapest") && text.contains("Assumptions in force"));
    // --from after --to, a day outside the range of dates, no history: 2.
    assert_eq!(
        estimate(&ws, &["--from", "2026-02-01", "--to", "2026-01-01"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(estimate(&ws, &["--from", "+99999-01-01"]).status.code(), Some(2));
    let other = dir.path().join("other.ialws");
    std::fs::copy(&ws, &other).expect("copy");
    let out = estimate(&other, &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("history import"));
}

/// Each hostile file is refused (exit 2) naming the file and the JSON path.
#[test]
fn hostile_mapping_price_and_wave_files_are_refused_with_their_path() {
    let dir = tempfile::tempdir().expect("dir");
    let cases: Vec<(&str, String, &str)> = vec![
        (
            "prices",
            r#"{"currency": "USD", "licenses": {"cx1": {"per_hour": 1.005}}}"#.into(),
            "$.licenses.cx1.per_hour",
        ),
        (
            "prices",
            r#"{"currency": "USD", "licenses": {"cx1": {"per_named_user": -3}}}"#.into(),
            "$.licenses.cx1.per_named_user",
        ),
        (
            "prices",
            r#"{"currency": "USD", "licenses": {"cx1": {"per_named_user": 2e9}}}"#.into(),
            "$.licenses.cx1.per_named_user",
        ),
        (
            "prices",
            r#"{"currency": "USD", "licenses": {"cx1": {"per_hour": 1, "per_hour": 2}}}"#.into(),
            "$.licenses.cx1",
        ),
        (
            "prices",
            r#"{"currency": "USD", "licenses": {"cx9": {}}}"#.into(),
            "$.licenses.cx9",
        ),
        (
            "prices",
            r#"{"currency": "USD", "licenses": {"cx1": {"contracted": 1.5}}}"#.into(),
            "$.licenses.cx1.contracted",
        ),
        (
            "prices",
            r#"{"currency": "USD", "billing_start_day": 31}"#.into(),
            "$.billing_start_day",
        ),
        ("prices", r#"{"currency": "USD", "surprise": true}"#.into(), "$"),
        ("prices", r#"{"currency": ""}"#.into(), "$.currency"),
        (
            "mapping",
            r#"[{"name": "a", "license": "cx9", "reason": "r"}]"#.into(),
            "$[0].license",
        ),
        (
            "mapping",
            r#"[{"name": "a", "license": "cx1", "reason": "r", "when": {"holds_any": ["nope"]}}]"#.into(),
            "$[0].when.holds_any[0]",
        ),
        (
            "mapping",
            r#"[{"name": "a", "license": "cx1", "reason": "r", "when": {"media_any": ["fax"]}}]"#.into(),
            "$[0].when.media_any[0]",
        ),
        (
            "mapping",
            r#"[{"name": "a", "license": "cx1", "reason": "r"}, {"name": "A", "license": "cx2", "reason": "r"}]"#
                .into(),
            "$[1].name",
        ),
        (
            "mapping",
            r#"[{"name": " ", "license": "cx1", "reason": "r"}]"#.into(),
            "$[0].name",
        ),
        ("waves", r#"[{"name": "w", "date": "2026-02-30"}]"#.into(), "$[0].date"),
        ("waves", r#"[{"name": "w", "date": "0001-01-01"}]"#.into(), "$[0].date"),
        (
            "waves",
            r#"[{"name": "w", "date": "2026-02-01"}, {"name": "w", "date": "2026-03-01"}]"#.into(),
            "$[1].name",
        ),
        (
            "waves",
            r#"[{"name": "w", "date": "2026-02-01", "users": [7]}]"#.into(),
            "$[0].users[0]",
        ),
        ("waves", r#"{"name": "w"}"#.into(), "$"),
        ("waves", "\u{feff}[]".into(), "byte-order mark"),
        ("waves", "".into(), "empty"),
        ("waves", format!("{}1{}", "[".repeat(200), "]".repeat(200)), "$"),
    ];
    for (i, (kind, text, path)) in cases.iter().enumerate() {
        let file = dir.path().join(format!("{kind}-{i}.json"));
        std::fs::write(&file, text).expect("write");
        let e = match *kind {
            "prices" => files::read_prices(&file).err(),
            "mapping" => files::read_mapping(&file).err(),
            _ => files::read_waves(&file).err(),
        }
        .unwrap_or_else(|| panic!("{kind} {text} was accepted"))
        .to_string();
        assert!(e.contains(&format!("{kind}-{i}.json")), "names the file: {e}");
        assert!(e.contains(path), "{text}: expected {path} in {e}");
    }
    // Not UTF-8, and too large.
    let file = dir.path().join("bad.json");
    std::fs::write(&file, [0xff, 0xfe, b'[', b']']).expect("write");
    assert!(files::read_waves(&file).is_err_and(|e| e.to_string().contains("UTF-8")));
    let big = dir.path().join("big.json");
    std::fs::write(&big, vec![b' '; (files::MAX_FILE_BYTES + 1) as usize]).expect("write");
    assert!(files::read_mapping(&big).is_err());
    // Through the command line: exit 2, one line naming file and path.
    let ws = dir.path().join("site.ialws");
    std::fs::copy(asset("scenarios/shift-change.ialws"), &ws).expect("copy");
    let prices = dir.path().join("prices-0.json");
    let out = estimate(&ws, &["--prices", s(&prices)]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    #[cfg(unix)]
    {
        let fifo = dir.path().join("fifo.json");
        let made = Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        if made {
            assert!(files::read_waves(&fifo).is_err(), "a FIFO is not read");
        }
    }
}

/// A history written before schema 2 opens and shows as before; the
/// estimate names the days that lack logged-on times; the next import
/// adds them and moves the file to schema 2.
#[test]
fn an_old_history_keeps_working_and_the_next_import_migrates_it() {
    let dir = tempfile::tempdir().expect("dir");
    let ws = dir.path().join("site.ialws");
    std::fs::copy(asset("scenarios/shift-change.ialws"), &ws).expect("copy");
    let lic = asset("scenarios/shift-change.I3Lic");
    let events = asset("scenarios/shift-change.events.json");
    let import = || {
        bin()
            .args([
                "history",
                "import",
                "--workspace",
                s(&ws),
                "--license",
                s(&lic),
                "--events",
                s(&events),
            ])
            .output()
            .expect("run")
    };
    assert_eq!(import().status.code(), Some(0));
    let hist = dir.path().join("site.ialhist");
    let version = || -> i64 {
        let conn = rusqlite::Connection::open(&hist).expect("db");
        conn.query_row("PRAGMA user_version", [], |r| r.get(0))
            .expect("version")
    };
    assert_eq!(version(), 2);
    // Make it a schema-1 history, as the previous version wrote it.
    let conn = rusqlite::Connection::open(&hist).expect("db");
    conn.execute_batch("DROP TABLE day_logons; PRAGMA user_version = 1;")
        .expect("downgrade");
    drop(conn);
    let h = History::open_read_only(&hist).expect("a schema-1 history opens");
    assert_eq!(h.days(date(2026, 6, 1), date(2026, 6, 1)).expect("days").len(), 1);
    let l = h.logons(date(2026, 6, 1), date(2026, 6, 1)).expect("logons");
    assert_eq!((l.days.len(), l.lacking.clone()), (0, vec![date(2026, 6, 1)]));
    drop(h);
    let show = bin()
        .args(["history", "show", "--workspace", s(&ws), "--format", "json"])
        .output()
        .expect("run");
    assert_eq!(show.status.code(), Some(0));
    let v = json_of(&estimate(&ws, &["--format", "json"]));
    assert_eq!(v["days_without_logons"], json!(["2026-06-01"]));
    assert!(
        v["days_without_logons_note"]
            .as_str()
            .is_some_and(|n| n.contains("was imported before") && n.contains("Import its events again"))
    );
    assert_eq!(version(), 1, "reading changes nothing");
    // The next import migrates it.
    assert_eq!(import().status.code(), Some(0));
    assert_eq!(version(), 2);
    let v = json_of(&estimate(&ws, &["--format", "json"]));
    assert_eq!(v["days_without_logons"], json!([]));
    assert!(
        v["periods"][0]["named"]["cx1"].as_u64().is_some_and(|n| n > 0),
        "{}",
        v["periods"][0]
    );
    // A schema-1 file with an object of schema 2 only is not schema 1.
    let conn = rusqlite::Connection::open(&hist).expect("db");
    conn.execute_batch("PRAGMA user_version = 1;").expect("tamper");
    drop(conn);
    let e = History::open_read_only(&hist).err().expect("refused").to_string();
    assert!(e.contains("did not create"), "{e}");
}

/// The workspace's `cloud` section: not written while at its defaults (an
/// old workspace saves as it was), kept when set, checked like a file, and
/// changed through one undoable command.
#[test]
fn the_workspace_cloud_section_is_saved_only_when_set_and_changed_by_a_command() {
    let text = Workspace::from_json(include_str!("../../assets/demo.ialws"))
        .expect("demo")
        .to_json();
    let ws = Workspace::from_json(&text).expect("reload");
    assert!(ws.cloud.is_default());
    assert_eq!(ws.to_json(), text, "an untouched workspace saves byte for byte");
    assert!(!text.contains("\"cloud\""));
    let mut doc = demo_doc();
    let before = doc.workspace().to_json();
    let settings = CloudSettings {
        prices: Some(cloud::prices::example().expect("example")),
        waves: vec![cloud::Wave {
            name: "Pilot".into(),
            date: date(2026, 3, 1),
            workgroups: vec!["Sales".into()],
            users: vec![],
        }],
        ..Default::default()
    };
    doc.apply(Cmd::SetCloud {
        cloud: settings.clone(),
    })
    .expect("applied");
    let saved = doc.workspace().to_json();
    let v: Value = serde_json::from_str(&saved).expect("json");
    assert_eq!(v["cloud"]["waves"][0]["name"], "Pilot");
    assert!(
        v["cloud"].get("mapping").is_none(),
        "the default mapping is not written"
    );
    assert_eq!(Workspace::from_json(&saved).expect("reload").cloud, settings);
    assert!(doc.change_log().iter().any(|e| e.after().contains("1 wave")));
    doc.undo();
    assert_eq!(doc.workspace().to_json(), before, "undo restores the exact file");
    // Refused like the loader would refuse it.
    let mut bad = settings.clone();
    bad.waves[0].name = " ".into();
    let e = doc.apply(Cmd::SetCloud { cloud: bad }).expect_err("refused");
    assert!(e.to_string().contains("cannot be blank"), "{e}");
    // The loader names the place.
    let mut v: Value = serde_json::from_str(&before).expect("json");
    v["cloud"] = json!({"prices": {"currency": "USD", "licenses": {"cx1": {"per_hour": 0.333}}}});
    let e = Workspace::from_value(v.clone()).expect_err("refused").to_string();
    assert!(
        e.contains("$.cloud.prices.licenses.cx1.per_hour") && e.contains("two decimals"),
        "{e}"
    );
    let e = Workspace::from_json(&v.to_string()).expect_err("refused").to_string();
    assert!(e.contains("$.cloud.prices.licenses.cx1.per_hour"), "{e}");
}
