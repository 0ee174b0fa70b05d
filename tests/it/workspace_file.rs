//! The workspace file: loading reports every problem with its JSON path,
//! unknown fields survive a save, and CSV import/export.

use crate::util::*;
use ia_licensing::core::csv_io::{self, Table};
use ia_licensing::core::workspace::Workspace;
use serde_json::json;

fn problems(v: serde_json::Value) -> Vec<(String, String)> {
    Workspace::from_value(v)
        .expect_err("refused")
        .problems
        .into_iter()
        .map(|p| (p.path, p.message))
        .collect()
}

#[test]
fn duplicate_user_id_names_the_path() {
    let p = problems(json!({"format": 1, "users": [{"id": "tina"}, {"id": "TINA"}]}));
    assert_eq!(p.len(), 1, "{p:?}");
    assert_eq!(p[0].0, "$.users[1].id");
    assert!(p[0].1.contains("duplicate user ID"), "{p:?}");
}

#[test]
fn unknown_station_type_names_the_path() {
    let p = problems(
        json!({"format": 1, "stations": [{"id": "s", "machine_name": "s"}, {"id": "k", "type": "kiosk", "machine_name": "k"}]}),
    );
    assert_eq!(p[0].0, "$.stations[1].type", "{p:?}");
    assert!(p[0].1.contains("kiosk"), "{p:?}");
}

#[test]
fn dangling_workgroup_names_the_path() {
    let p = problems(
        json!({"format": 1, "users": [{"id": "a", "workgroups": ["Nope"]}], "workgroups": [{"name": "Sales"}]}),
    );
    assert_eq!(p[0].0, "$.users[0].workgroups");
    assert!(p[0].1.contains("Nope"), "{p:?}");
}

#[test]
fn every_problem_is_reported() {
    let p = problems(json!({"format": 1,
        "users": [{"id": "a"}, {"id": "A"}, {"id": "b", "method": "sometimes"}, {"id": "c", "licenses": ["I3_LICENSE_BASIC_STATION"]}],
        "stations": [{"id": "s1", "machine_name": ""}, {"id": "s2", "machine_name": "x"}, {"id": "s3", "machine_name": "X"}]}));
    let paths: Vec<&str> = p.iter().map(|(path, _)| path.as_str()).collect();
    for want in [
        "$.users[1].id",
        "$.users[2].method",
        "$.users[3].licenses",
        "$.stations[0].machine_name",
        "$.stations[2].machine_name",
    ] {
        assert!(paths.contains(&want), "{want} missing from {p:?}");
    }
}

#[test]
fn newer_format_and_bad_json_are_refused_clearly() {
    let e = Workspace::from_json(r#"{"format": 3}"#).expect_err("newer");
    assert!(e.to_string().contains("newer version"), "{e}");
    let e = Workspace::from_json(r#"{"format": 1, "users": [}"#).expect_err("json");
    assert!(e.to_string().contains("line 1 column"), "{e}");
    let e = Workspace::from_json("").expect_err("empty");
    assert!(e.to_string().contains("empty"), "{e}");
}

#[test]
fn unknown_fields_are_kept_on_save() {
    let text = r#"{"format": 1, "x-site": {"region": "emea"},
        "server": {"host_id": "H", "machine_name": "m", "rack": 7},
        "users": [{"id": "a", "phone": "555-0100"}],
        "stations": [{"id": "s", "machine_name": "s", "location": "2F"}],
        "workgroups": [{"name": "Q", "color": "blue"}]}"#;
    let ws = Workspace::from_json(text).expect("load");
    let saved: serde_json::Value = serde_json::from_str(&ws.to_json()).expect("saved json");
    assert_eq!(saved["x-site"]["region"], "emea");
    assert_eq!(saved["server"]["rack"], 7);
    assert_eq!(saved["users"][0]["phone"], "555-0100");
    assert_eq!(saved["stations"][0]["location"], "2F");
    assert_eq!(saved["workgroups"][0]["color"], "blue");
    assert_eq!(Workspace::from_json(&ws.to_json()).expect("reload"), ws);
}

#[test]
fn demo_workspace_round_trips() {
    let ws = Workspace::from_json(include_str!("../../assets/demo.ialws")).expect("demo");
    assert!(ws.users().len() > 100 && ws.stations().len() > 100);
    assert_eq!(Workspace::from_json(&ws.to_json()).expect("reload"), ws);
}

#[test]
fn csv_export_then_import_round_trips() {
    let d = demo_doc();
    for table in [Table::Workgroups, Table::Users, Table::Stations] {
        let text = csv_io::export(d.workspace(), table).expect("export");
        let mut copy = d.clone();
        let report = csv_io::import(&mut copy, table, &text, false).expect("import");
        assert!(report.errors.is_empty(), "{table:?}: {:?}", report.errors);
        assert_eq!(copy.workspace(), d.workspace(), "{table:?}");
    }
}

#[test]
fn csv_import_reports_rows_and_imports_nothing_on_error() {
    let mut d = doc(license_with(&["I3_ACCESS_CLIENT=1"]), json!({"format": 1}));
    let csv = "id,name,method,licenses\nann,Ann,assignable,I3_ACCESS_CLIENT\nbob,Bob,sometimes,\n\
               cat,Cat,assignable,I3_ACCESS_CLIENT\n";
    let r = csv_io::import(&mut d, Table::Users, csv, false).expect("import");
    assert_eq!(r.errors.len(), 1);
    assert_eq!(r.errors[0].row, 3);
    assert!(r.errors[0].message.contains("sometimes"));
    assert!(d.workspace().users().is_empty(), "nothing imported");
    // Skipping bad rows: ann gets the one Client Access, cat is refused by the rules.
    let r = csv_io::import(&mut d, Table::Users, csv, true).expect("import");
    assert_eq!(r.imported, 1, "{:?}", r.errors);
    assert_eq!(r.errors.iter().map(|e| e.row).collect::<Vec<_>>(), vec![3, 4]);
    assert!(r.errors[1].message.contains("The one assignable"), "{:?}", r.errors);
    assert_eq!(d.workspace().users().len(), 1);
    // One undo removes the whole import.
    d.undo().expect("undo");
    assert!(d.workspace().users().is_empty());
}

#[test]
fn csv_import_refused_by_the_rules_is_rolled_back_in_place() {
    let mut d = doc(license_with(&["I3_ACCESS_CLIENT=1"]), json!({"format": 1}));
    let log = d.change_log().len();
    // Both rows parse; the second finds no Client Access left and is refused.
    let csv = "id,name,method,licenses\nann,Ann,assignable,I3_ACCESS_CLIENT\ncat,Cat,assignable,I3_ACCESS_CLIENT\n";
    let r = csv_io::import(&mut d, Table::Users, csv, false).expect("import");
    assert_eq!(r.imported, 0);
    assert_eq!(r.errors.iter().map(|e| e.row).collect::<Vec<_>>(), vec![3]);
    assert!(d.workspace().users().is_empty(), "ann was applied, then rolled back");
    assert!(!d.can_undo(), "a rolled-back import is not a step");
    assert_eq!(d.change_log().len(), log, "nor a logged change");
    assert!(d.engine().same_as(&d.recount()));
}

/// The fast path reads records without a separate pass for repeated keys:
/// a key said twice anywhere (a user's field, the server's kept unknown
/// fields, a media server, the alerts, a policy, the price list's maps, the
/// change log) still refuses the file, with the same words.
#[test]
fn a_key_said_twice_anywhere_refuses_the_workspace() {
    let base = r#"{"format": 1, "server": {"host_id": "G807test", "machine_name": "testing"},
        "users": [{"id": "u1", "licenses": ["I3_ACCESS_CLIENT"]}], "stations": [], "workgroups": []"#;
    let cases = [
        ("top level", format!(r#"{base}, "users": []}}"#)),
        (
            "a user's field",
            base.replace(r#"{"id": "u1","#, r#"{"id": "u1", "id": "u2","#) + "}",
        ),
        (
            "a station's field",
            base.replace(
                r#""stations": []"#,
                r#""stations": [{"id": "s", "machine_name": "s", "enabled": true, "enabled": false}]"#,
            ) + "}",
        ),
        (
            "a workgroup's field",
            base.replace(r#""workgroups": []"#, r#""workgroups": [{"name": "A", "name": "B"}]"#) + "}",
        ),
        (
            "the server's unknown field",
            base.replace(
                r#""machine_name": "testing"}"#,
                r#""machine_name": "testing", "x": 1, "x": 2}"#,
            ) + "}",
        ),
        (
            "a media server",
            format!(r#"{base}, "media_servers": [{{"name": "m", "license": "m.I3Lic", "n": 1, "n": 2}}]}}"#),
        ),
        (
            "the alerts",
            format!(r#"{base}, "alerts": {{"expiry_notice_days": 5, "expiry_notice_days": 9}}}}"#),
        ),
        (
            "the price list's prices",
            format!(
                r#"{base}, "price_list": {{"currency": "USD", "per_user_per_period": {{"agent": 1, "agent": 100}}}}}}"#
            ),
        ),
        (
            "the change log",
            format!(r#"{base}, "change_log": [{{"a": 1, "a": 2}}]}}"#),
        ),
    ];
    for (place, text) in cases {
        let e = Workspace::from_json(&text).expect_err(place).to_string();
        assert!(e.contains("each thing once") || e.contains("duplicate"), "{place}: {e}");
    }
    // The same file without the repeat loads (the cases are otherwise valid).
    assert!(Workspace::from_json(&format!("{base}}}")).is_ok());
}

/// Large workspaces are checked on two threads (users, stations); the
/// problems still come users first, each list in order, as one pass gives.
#[test]
fn a_large_workspace_reports_its_problems_in_file_order() {
    let n = 15_000;
    let mut users: Vec<serde_json::Value> = (0..n).map(|i| json!({"id": format!("u{i}")})).collect();
    let mut stations: Vec<serde_json::Value> = (0..n)
        .map(|i| json!({"id": format!("s{i}"), "machine_name": format!("m{i}")}))
        .collect();
    users[10] = json!({"id": "u5"});
    users[14_000] = json!({"id": "u13"});
    stations[3] = json!({"id": "s1", "machine_name": "x3"});
    stations[9_000] = json!({"id": "s9001", "machine_name": "m7"});
    let v = json!({"format": 1, "server": {"host_id": "G807test", "machine_name": "testing"},
        "users": users, "stations": stations, "workgroups": []});
    let e = Workspace::from_json(&v.to_string()).expect_err("problems");
    let paths: Vec<&str> = e.problems.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(
        paths,
        vec![
            "$.users[10].id",
            "$.users[14000].id",
            "$.stations[3].id",
            "$.stations[9000].machine_name",
            "$.stations[9001].id"
        ]
    );
}

#[test]
fn a_nul_byte_anywhere_is_named_as_the_damage() {
    // The loader looks for NUL bytes only once the text failed to parse
    // (JSON refuses them anywhere); the message still says what is wrong.
    let good = r#"{"format": 1, "users": [{"id": "alice", "name": "Alice"}], "stations": []}"#;
    for at in [
        good.find("alice").expect("id") + 2,
        good.find(", \"stations\"").expect("comma"),
    ] {
        let mut text = good.to_string();
        text.insert(at, '\0');
        let e = Workspace::from_json(&text).expect_err("NUL refused").to_string();
        assert!(e.contains(&format!("NUL byte at offset {at}")), "{e}");
    }
    assert!(Workspace::from_json(good).is_ok());
}

#[test]
fn ids_and_machine_names_repeated_in_another_case_are_refused() {
    let p = problems(json!({
        "format": 1,
        "users": [{"id": "Émile"}, {"id": "ÉMILE"}, {"id": "kelvin"}, {"id": "\u{212A}ELVIN"}],
        "stations": [
            {"id": "s1", "machine_name": "Desk-1"},
            {"id": "S1", "machine_name": "desk-2"},
            {"id": "s3", "machine_name": " DESK-1 "}
        ]
    }));
    let at = |path: &str| p.iter().find(|(p, _)| p == path).map(|(_, m)| m.clone());
    assert!(
        at("$.users[1].id").is_some_and(|m| m.contains("also at $.users[0]")),
        "{p:?}"
    );
    // The Kelvin sign folds to an ASCII k.
    assert!(
        at("$.users[3].id").is_some_and(|m| m.contains("also at $.users[2]")),
        "{p:?}"
    );
    assert!(
        at("$.stations[1].id").is_some_and(|m| m.contains("also at $.stations[0]")),
        "{p:?}"
    );
    assert!(
        at("$.stations[2].machine_name").is_some_and(|m| m.contains("already used by $.stations[0]")),
        "{p:?}"
    );
    assert_eq!(p.len(), 4, "{p:?}");
}

// ---- The fast path's notes decide only that nothing is wrong ----

/// Problems of a file read as text (the fast parse, whose notes may spare
/// the record-by-record checks), which must be exactly those of the
/// detailed path (`from_value`).
fn problems_both_ways(v: serde_json::Value) -> Vec<(String, String)> {
    let text = Workspace::from_json(&v.to_string())
        .expect_err("refused as text")
        .problems
        .into_iter()
        .map(|p| (p.path, p.message))
        .collect::<Vec<_>>();
    assert_eq!(text, problems(v), "the two paths disagree");
    text
}

/// One user and one station, fine, plus what a case adds.
fn base(users: serde_json::Value, stations: serde_json::Value) -> serde_json::Value {
    let mut all_users = vec![json!({"id": "ok", "licenses": ["I3_ACCESS_CLIENT"], "workgroups": ["Sales"]})];
    all_users.extend(users.as_array().cloned().unwrap_or_default());
    let mut all_stations =
        vec![json!({"id": "ws-ok", "machine_name": "ws-ok", "licenses": ["I3_LICENSE_BASIC_STATION"]})];
    all_stations.extend(stations.as_array().cloned().unwrap_or_default());
    json!({"format": 1, "users": all_users, "stations": all_stations, "workgroups": [{"name": "Sales"}]})
}

#[test]
fn every_loader_check_of_a_record_still_speaks_through_the_fast_path() {
    let long = "x".repeat(300);
    let cases = [
        (
            base(
                json!([{"id": "b", "licenses": ["I3_LICENSE_BASIC_STATION"]}]),
                json!([]),
            ),
            "$.users[1].licenses",
            "can only be allocated to stations",
        ),
        (
            base(
                json!([]),
                json!([{"id": "s2", "machine_name": "m2", "licenses": ["I3_ACCESS_TRACKER"]}]),
            ),
            "$.stations[1].licenses",
            "is a user license",
        ),
        (
            base(json!([]), json!([{"id": "s2", "machine_name": "WS-OK"}])),
            "$.stations[1].machine_name",
            "already used by $.stations[0]",
        ),
        (
            base(json!([]), json!([{"id": "s2", "machine_name": "  "}])),
            "$.stations[1].machine_name",
            "cannot be blank",
        ),
        (
            base(json!([{"id": " "}]), json!([])),
            "$.users[1].id",
            "cannot be blank",
        ),
        (base(json!([{"id": long}]), json!([])), "$.users[1].id", "bytes long"),
        (
            base(json!([]), json!([{"id": long, "machine_name": "m2"}])),
            "$.stations[1].id",
            "bytes long",
        ),
        (
            base(json!([{"id": "OK"}]), json!([])),
            "$.users[1].id",
            "duplicate user ID",
        ),
        (
            base(json!([]), json!([{"id": "Ws-Ok", "machine_name": "m2"}])),
            "$.stations[1].id",
            "duplicate station ID",
        ),
        (
            base(json!([{"id": "c", "workgroups": ["Nope"]}]), json!([])),
            "$.users[1].workgroups",
            "no workgroup has that name",
        ),
        (
            base(json!([{"id": "c", "licenses": ["NOT_A_KEY"]}]), json!([])),
            "$.users[1].licenses",
            "not a license key",
        ),
        (
            base(
                json!([{"id": "c", "licenses": ["I3_FEATURE_VIRTUAL_CLOUD"]}]),
                json!([]),
            ),
            "$.users[1].licenses",
            "server feature or session",
        ),
        // Files that leave a list out altogether.
        (
            json!({"format": 1, "users": [{"id": "a"}, {"id": "A"}]}),
            "$.users[1].id",
            "duplicate user ID",
        ),
        (
            json!({"format": 1, "stations": [{"id": "s", "machine_name": "m"}, {"id": "t", "machine_name": "M"}]}),
            "$.stations[1].machine_name",
            "already used by $.stations[0]",
        ),
    ];
    for (file, path, says) in cases {
        let p = problems_both_ways(file.clone());
        assert!(
            p.iter().any(|(at, why)| at == path && why.contains(says)),
            "expected `{says}` at {path} for {file}, got {p:?}"
        );
    }
}

#[test]
fn keys_and_memberships_written_otherwise_are_tidied_on_the_fast_path_too() {
    let file = base(
        // A seed alias of Client Access.
        json!([{"id": "c", "licenses": ["I3_CLIENT_ACCESS"], "workgroups": ["SALES"]}]),
        json!([{"id": "s2", "machine_name": "m2", "licenses": ["I3_CLIENT_ACCESS"]}]),
    );
    let ws = Workspace::from_json(&file.to_string()).expect("loads");
    let c = ws.user("C").expect("user c");
    assert_eq!(
        c.licenses.iter().map(|k| k.to_string()).collect::<Vec<_>>(),
        ["I3_ACCESS_CLIENT"]
    );
    assert_eq!(
        c.workgroups.iter().map(|w| w.to_string()).collect::<Vec<_>>(),
        ["Sales"]
    );
    let s = ws.station("S2").expect("station s2");
    assert_eq!(
        s.licenses.iter().map(|k| k.to_string()).collect::<Vec<_>>(),
        ["I3_ACCESS_CLIENT"]
    );
}

/// Above the size where the checks run on two threads, the indexes built
/// from the parse's notes find every record ignoring case, and a repeat
/// anywhere is still named with both places.
#[test]
fn a_large_file_is_indexed_from_its_notes_and_a_late_repeat_is_found() {
    let n = 15_000;
    let users: Vec<_> = (0..n).map(|i| json!({"id": format!("User{i:05}")})).collect();
    let stations: Vec<_> = (0..n)
        .map(|i| json!({"id": format!("Ws{i:05}"), "machine_name": format!("Machine{i:05}")}))
        .collect();
    let file = json!({"format": 1, "users": users, "stations": stations});
    let ws = Workspace::from_json(&file.to_string()).expect("loads");
    let users_only = json!({"format": 1, "users": file["users"].clone()});
    let users_only = Workspace::from_json(&users_only.to_string()).expect("loads");
    assert_eq!(users_only.user_pos("USER00042"), Some(42));
    for i in (0..n).step_by(997) {
        assert_eq!(ws.user_pos(&format!("user{i:05}")), Some(i));
        assert_eq!(ws.station_pos(&format!("WS{i:05}")), Some(i));
    }
    assert_eq!(ws.user_pos("user99999"), None);
    let mut users: Vec<_> = (0..n).map(|i| json!({"id": format!("User{i:05}")})).collect();
    users.push(json!({"id": "USER07000"}));
    let stations: Vec<_> = (0..n)
        .map(|i| json!({"id": format!("Ws{i:05}"), "machine_name": format!("Machine{i:05}")}))
        .collect();
    let p = problems_both_ways(json!({"format": 1, "users": users, "stations": stations}));
    assert_eq!(p.len(), 1, "{p:?}");
    assert_eq!(p[0].0, format!("$.users[{n}].id"));
    assert!(p[0].1.contains("also at $.users[7000]"), "{p:?}");
}

/// Found by fuzzing: serde's derived records also read an array of their
/// fields in order, so the text path took `[1]` for `{"format": 1}` (an
/// empty workspace) and `["u1"]` for a user, where the detailed path
/// refuses both. The text path now reads records only from objects.
#[test]
fn a_workspace_or_a_record_written_as_an_array_is_refused_both_ways() {
    let top = Workspace::from_json("[1]").expect_err("an array is no workspace");
    assert!(top.problems[0].message.contains("JSON object"), "{top:?}");
    let user_as_array = json!({"format": 1, "users": [["u1"]]});
    let p = problems_both_ways(user_as_array);
    assert_eq!(p[0].0, "$.users[0]", "{p:?}");
    let station_as_array = json!({"format": 1, "stations": [["s1", "workstation", true, "s1"]]});
    let p = problems_both_ways(station_as_array);
    assert_eq!(p[0].0, "$.stations[0]", "{p:?}");
}

/// The journal's base at open is written on the loading thread
/// (`document::Prepared`): byte for byte what the document itself would
/// write, change log included (plain and bulk entries), and only while
/// nothing has changed since.
#[test]
fn a_prepared_workspace_writes_the_same_saved_form_as_the_document() {
    use ia_licensing::core::command::Command;
    use ia_licensing::core::document::Prepared;
    use ia_licensing::core::subject::Subject;
    let mut made = crate::util::demo_doc();
    made.set_clock(chrono::Utc::now(), "tester");
    let users: Vec<Subject> = made
        .workspace()
        .users()
        .iter()
        .take(150)
        .map(|u| Subject::user(u.id.clone()))
        .collect();
    made.apply(Command::Unassign {
        subjects: users.clone(),
        key: "I3_ACCESS_CLIENT".into(),
    })
    .expect("bulk change");
    made.apply(Command::Unassign {
        subjects: users[..1].to_vec(),
        key: "I3_LICENSE_BASIC_STATION".into(),
    })
    .ok();
    let saved = made.to_file_json_compact();
    assert!(saved.contains("change_log"), "the saved form carries a change log");

    let ws = Workspace::from_json(&saved).expect("reads back");
    let prepared = Prepared::new(ws.clone());
    let mut doc = crate::util::demo_doc();
    let license = doc.license().clone();
    let today = doc.today();
    let engine = ia_licensing::core::engine::Engine::build(prepared.workspace(), &license, today);
    doc.set_prepared(prepared, engine, &license, today);
    let written = doc.take_saved_form().expect("written on the loading thread");
    assert_eq!(
        written.get(),
        doc.to_file_json_compact(),
        "the same JSON as the document writes"
    );
    assert_eq!(written.get(), saved, "and the same as the file it came from");
    assert!(doc.take_saved_form().is_none(), "taken once");

    // After a change the form is stale: the document writes its own.
    let prepared = Prepared::new(ws);
    let engine = ia_licensing::core::engine::Engine::build(prepared.workspace(), &license, today);
    doc.set_prepared(prepared, engine, &license, today);
    let generation = doc.generation();
    doc.apply(Command::Assign {
        subjects: users[1..2].to_vec(),
        key: "I3_ACCESS_CLIENT".into(),
        method: None,
    })
    .expect("a change");
    assert_ne!(doc.generation(), generation);
    assert!(doc.take_saved_form().is_none(), "not after an edit");
}
