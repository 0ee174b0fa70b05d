//! Cases derived from the seeds' own words, one group per point of issue
//! #17, separate from the tests that grew with the code. Each test quotes
//! the passage it rests on; docs/seed-cases.md lists them as a table.

use std::sync::Arc;

use ia_licensing::core::compare;
use ia_licensing::core::license::generate::{self, Order, Quantity};
use ia_licensing::core::license::{Level, License, LoadOptions, TrustStore};

use crate::util::*;

fn order(level: Level) -> Order {
    Order {
        level,
        host_id: "G807test".into(),
        machine: "testing".into(),
        system_type: "Media Server Based".into(),
        company: "Seed".into(),
        install_site: "Test Install Site".into(),
        generated_by: "seed".into(),
        ..crate::util::base_order()
    }
}

fn load(file: &ia_licensing::core::license::LicenseFile) -> Result<Arc<License>, String> {
    let text = serde_json::to_string(file).expect("serialise");
    let store = TrustStore::empty();
    License::load_bytes(
        text.as_bytes(),
        LoadOptions {
            trust: &store,
            allow_unsigned: true,
        },
    )
    .map(Arc::new)
    .map_err(|e| e.to_string())
}

// ---- 6. License levels ----

/// Seed, License levels › Trial: "Used for trial purposes; expires after 60
/// days." Generated on 2026-01-01 (day 1), its 60th day is 2026-03-01.
#[test]
fn a_trial_lasts_sixty_days_counting_the_generation_day() {
    // Seed rules LTR-170-level-dictates-behaviour, LTR-197-trial-sixty-days (docs/seed-rules.md).
    let mut o = order(Level::Trial);
    o.licenses.push("I3_ACCESS_CLIENT=1".parse::<Quantity>().expect("q"));
    let file = generate::build(&o).expect("trial");
    assert_eq!(file.expires, date(2026, 3, 1));
    let trial = load(&file).expect("a 60-day trial loads");
    assert!(!trial.is_expired(date(2026, 3, 1)), "day 60 is still valid");
    assert!(trial.is_expired(date(2026, 3, 2)), "day 61 is past the trial");
    // A file claiming a 61st day is refused.
    let mut long = file.clone();
    long.expires = date(2026, 3, 2);
    let err = load(&long).expect_err("61 days");
    assert!(err.contains("60 days"), "{err}");
}

/// Seed, Ordered development: "This license is active for one year.
/// Interactions disconnect hourly." AFMT: "Certified partner employees can
/// generate an unlimited number of 30-day non-ordered development licenses".
#[test]
fn development_terms_and_the_hourly_disconnect() {
    // Seed rules LTR-170-level-dictates-behaviour, LTR-186-interactions-disconnect-hourly,
    // LTR-190-development-one-year, LTR-728-partner-thirty-days (docs/seed-rules.md).
    let ordered = generate::build(&order(Level::DevelopmentSmall)).expect("dev");
    assert_eq!(ordered.expires, date(2026, 12, 31), "one year, day 1 = 2026-01-01");
    let mut o = order(Level::DevelopmentLarge);
    o.partner_development = true;
    let partner = generate::build(&o).expect("partner dev");
    assert_eq!(partner.expires, date(2026, 1, 30), "30 days, day 1 = 2026-01-01");
    assert!(
        Level::DevelopmentSmall
            .note()
            .contains("Interactions disconnect hourly")
    );
    let mut wrong = order(Level::Production);
    wrong.partner_development = true;
    assert!(
        generate::build(&wrong).is_err(),
        "--non-ordered is for development only"
    );
}

/// Seed, Evaluation: "You cannot add other components to the pre-defined
/// configuration for this license."
#[test]
fn an_evaluation_license_that_adds_components_is_named_in_the_diff() {
    // Seed rule LTR-201-evaluation-no-added-components (docs/seed-rules.md).
    let old = license_with(&["I3_ACCESS_CLIENT=5"]);
    let mut o = order(Level::Evaluation);
    o.licenses = vec![
        "I3_ACCESS_CLIENT=5".parse().expect("q"),
        "I3_ACCESS_ACD_MEDIA_1=2".parse().expect("q"),
    ];
    let new = load(&generate::build(&o).expect("eval")).expect("load");
    let d = compare::diff(&old, &new, None);
    assert!(
        d.notes
            .iter()
            .any(|n| n.contains("cannot add other components") && n.contains("I3_ACCESS_ACD_MEDIA_1")),
        "{:?}",
        d.notes
    );
    // The same configuration as an evaluation adds nothing: no such note.
    let mut same = order(Level::Evaluation);
    same.licenses = vec!["I3_ACCESS_CLIENT=5".parse().expect("q")];
    let same = load(&generate::build(&same).expect("eval")).expect("load");
    let d = compare::diff(&old, &same, None);
    assert!(!d.notes.iter().any(|n| n.contains("cannot add other components")));
}

// ---- 2. A logoff from the previous computer ----

fn event(at: &str, kind: &str, user: &str, station: &str, app: &str) -> serde_json::Value {
    serde_json::json!({"at": format!("2026-06-01T{at}:00"), "event": kind, "user": user,
        "station": station, "application": app})
}

/// Seed, Rules for Concurrent licenses: "If the user logs on to another
/// computer, the system logs off the user from the previous computer." The
/// old computer's own logoff, arriving later, must not end the session on
/// the new one nor free its concurrent license.
#[test]
fn a_late_logoff_from_the_previous_computer_keeps_the_new_session() {
    // Seed rule LTR-332-logon-elsewhere-assignable (docs/seed-rules.md).
    use ia_licensing::core::replay::{parse_events, replay};
    let lic = license_with(&["I3_ACCESS_CLIENT=0+1"]);
    let ws = workspace(serde_json::json!({"format": 1, "users": [
        {"id": "ann", "method": "concurrent", "licenses": ["I3_ACCESS_CLIENT"]},
        {"id": "bob", "method": "concurrent", "licenses": ["I3_ACCESS_CLIENT"]}]}));
    let events = serde_json::json!([
        event("08:00", "logon", "ann", "ws-1", "Interaction Connect"),
        event("09:00", "logon", "ann", "ws-2", "Interaction Connect"),
        event("09:05", "logoff", "ann", "ws-1", "Interaction Connect"),
        event("09:10", "logon", "bob", "ws-3", "Interaction Connect"),
        event("12:00", "logoff", "ann", "ws-2", "Interaction Connect"),
        event("12:05", "logon", "bob", "ws-3", "Interaction Desktop"),
    ]);
    let events = parse_events(&events.to_string()).expect("events");
    let r = replay(&lic, &ws, &events, None);
    // ann: one session ended at 09:00 by the move, one on ws-2 to 12:00.
    let ann: Vec<_> = r.sessions.iter().filter(|s| s.user == "ann").collect();
    assert_eq!(ann.len(), 2);
    assert_eq!(ann[1].station.as_deref(), Some("ws-2"));
    assert_eq!(
        ann[1].end.map(|t| t.format("%H:%M").to_string()).as_deref(),
        Some("12:00")
    );
    // bob is denied at 09:10: the one pooled license is still ann's.
    assert_eq!(r.denials.len(), 1, "{:?}", r.denials);
    assert_eq!(r.denials[0].user, "bob");
    assert_eq!(
        r.peak.get("I3_ACCESS_CLIENT"),
        Some(&1),
        "never more in use than the pool"
    );
    assert!(
        r.ignored.iter().any(|i| i.contains("from ws-1 ignored")),
        "{:?}",
        r.ignored
    );
}

/// Same seed rule, per application: a second application on the same
/// computer re-uses what was acquired, and each application's logoff ends
/// only that application (the session ends with the last one).
#[test]
fn each_applications_logoff_ends_only_that_application() {
    // Seed rule LTR-332-logon-elsewhere-assignable (docs/seed-rules.md).
    use ia_licensing::core::replay::{parse_events, replay};
    let lic = license_with(&["I3_ACCESS_CLIENT=0+1"]);
    let ws = workspace(serde_json::json!({"format": 1, "users": [
        {"id": "ann", "method": "concurrent", "licenses": ["I3_ACCESS_CLIENT"]}]}));
    let events = serde_json::json!([
        event("08:00", "logon", "ann", "ws-1", "Interaction Connect"),
        event("08:30", "logon", "ann", "ws-1", "IC Business Manager"),
        event("09:00", "logoff", "ann", "ws-1", "Interaction Desktop"),
        event("10:00", "logoff", "ann", "ws-1", "Interaction Connect"),
        event("11:00", "logoff", "ann", "ws-1", "IC Business Manager"),
    ]);
    let r = replay(&lic, &ws, &parse_events(&events.to_string()).expect("events"), None);
    let counters: Vec<u32> = r.counters.iter().map(|c| c.counter).collect();
    assert_eq!(
        counters,
        vec![1, 2, 1, 0],
        "the Desktop logoff is not one of ann's applications"
    );
    assert_eq!(
        r.sessions[0].end.map(|t| t.format("%H:%M").to_string()).as_deref(),
        Some("11:00")
    );
}

// ---- 9. Smaller points ----

/// A concurrent user whose license has no pooled count is told the license
/// has none, not that "all 0" are in use.
#[test]
fn a_denial_on_a_key_without_a_pool_says_the_license_has_none() {
    use ia_licensing::core::replay::{parse_events, replay};
    let lic = license_with(&["I3_ACCESS_CLIENT=3"]);
    let ws = workspace(serde_json::json!({"format": 1, "users": [
        {"id": "ann", "method": "concurrent", "licenses": ["I3_ACCESS_CLIENT"]}]}));
    let events = serde_json::json!([event("08:00", "logon", "ann", "ws-1", "Interaction Connect")]);
    let r = replay(&lic, &ws, &parse_events(&events.to_string()).expect("events"), None);
    assert_eq!(r.denials.len(), 1);
    assert!(
        r.denials[0].reason.contains("no concurrent (pooled)"),
        "{}",
        r.denials[0].reason
    );
    assert!(!r.denials[0].reason.contains("all 0"));
}

/// Seed, Basic Station: "You cannot configure a Basic Station license as
/// Concurrent". The generator and the loader judge the same content alike.
#[test]
fn basic_station_concurrent_is_refused_by_generator_and_loader_alike() {
    // Seed rule LTR-256-basic-station-never-concurrent (docs/seed-rules.md).
    let mut o = order(Level::Production);
    o.licenses = vec!["I3_LICENSE_BASIC_STATION_CONCURRENT=5".parse().expect("q")];
    let generated = generate::build(&o).expect_err("generator refuses").to_string();
    let mut file = generate::build(&order(Level::Production)).expect("empty");
    file.licenses.push(ia_licensing::core::license::format::LicenseEntry {
        key: "I3_LICENSE_BASIC_STATION_CONCURRENT".into(),
        assigned: 5,
        pooled: 0,
    });
    let loaded = load(&file).expect_err("loader refuses");
    for text in [&generated, &loaded] {
        assert!(
            text.contains("cannot be pooled: Basic Station is never concurrent"),
            "{text}"
        );
    }
    let mut o = order(Level::Production);
    o.licenses = vec!["I3_LICENSE_BASIC_STATION=5+3".parse().expect("q")];
    assert!(
        generate::build(&o).is_err(),
        "pooled Basic Station is refused, not turned into assigned"
    );
}

/// Seed, Basic Station: "All workstations and configured remote stations
/// must have a Basic Station license allocated to activate station audio. If
/// you save an enabled station configuration that does not have the Basic
/// Station license allocated, a message appears."
#[test]
fn a_remote_station_and_a_workstation_without_basic_station_get_one_message() {
    // Seed rules LTR-258-basic-station-message, LTR-1556-configured-remote-basic-station (docs/seed-rules.md).
    let ws = serde_json::json!({"format": 1, "stations": [
        {"id": "ws1", "machine_name": "ws1"},
        {"id": "r1", "type": "remote", "machine_name": "r1"}]});
    let d = doc(license_with(&["I3_LICENSE_BASIC_STATION=5"]), ws);
    let found: Vec<_> = d
        .engine()
        .diagnostics()
        .into_iter()
        .filter(|x| x.subject.id == "ws1" || x.subject.id == "r1")
        .map(|x| (x.code.to_string(), x.severity))
        .collect();
    assert_eq!(found.len(), 2);
    assert_eq!(found[0], found[1], "same code and severity");
}

// ---- 8. Usage collection ----

/// Seed 000: "Usage tracking upload licensing requires … I3_FEATURE_USAGE_
/// TRACKING"; seed 002: "Either of these license keys: I3_FEATURE_USAGE_
/// TRACKING or I3_FEATURE_USAGE_TRACKING_LOCAL". Where they disagree the
/// output says so.
#[test]
fn usage_tracking_alone_is_collected_with_a_note_that_the_seeds_disagree() {
    // Seed rules LTR-1630-upload-key-traditional, LTR-1637-upload-licensing-requires, LTR-1641-usage-tracking-key,
    // SUB-34-either-key (docs/seed-rules.md).
    use ia_licensing::core::usage::Collection;
    let lic = license_full(
        &["I3_ACCESS_CLIENT=1"],
        &["I3_FEATURE_USAGE_TRACKING"],
        Level::Production,
        "H",
    );
    let c = Collection::of(&lic);
    assert_eq!(c.code(), "usage-tracking");
    assert!(c.seed_note().is_some_and(|n| n.contains("disagree")));
    let upload = license_full(
        &["I3_ACCESS_CLIENT=1"],
        &["I3_FEATURE_USAGE_TRACKING_UPLOAD"],
        Level::Production,
        "H",
    );
    assert_eq!(Collection::of(&upload), Collection::Automated);
    assert!(Collection::of(&upload).seed_note().is_none());
}

// ---- 1. Licensing by station as well as by user ----

/// A site that followed the seed's advice: "if there are multiple shifts at
/// a site, you can use station licenses" — the agents hold Client Access
/// only, the stations hold ACD Media 1 for calls.
fn shift_site(agents: serde_json::Value, shift: bool) -> ia_licensing::core::document::Document {
    let station = |id: &str, media: &str| {
        serde_json::json!({"id": id, "machine_name": id, "shift_station": shift,
            "licenses": ["I3_LICENSE_BASIC_STATION", "I3_ACCESS_CLIENT", "I3_ACCESS_ACD_MEDIA_1"],
            "acd_media_types": [media]})
    };
    doc(
        license_with(&[
            "I3_LICENSE_BASIC_STATION=10",
            "I3_ACCESS_CLIENT=20",
            "I3_ACCESS_ACD_MEDIA_1=10",
        ]),
        serde_json::json!({"format": 1, "users": agents,
            "stations": [station("shift-01", "call"), station("shift-02", "call"), station("mail-01", "email")],
            "workgroups": [{"name": "Sales", "media": ["call"]}]}),
    )
}

fn user_codes(d: &ia_licensing::core::document::Document, id: &str) -> Vec<(String, String)> {
    d.engine()
        .diagnostics()
        .into_iter()
        .filter(|x| x.subject.id == id)
        .map(|x| (x.code.to_string(), format!("{:?}", x.severity)))
        .collect()
}

/// Seed, Access licenses: "the user's allowed capabilities consist of the
/// combination of what the user ID and the Station ID are assigned".
#[test]
fn an_agent_covered_by_the_default_workstation_gets_no_warning() {
    // Seed rules LTR-242-user-and-station-combined, LTR-272-acd-by-user-station-or-both,
    // LTR-1550-access-by-user-station-or-both (docs/seed-rules.md).
    let agents = serde_json::json!([
        {"id": "ann", "licenses": ["I3_ACCESS_CLIENT"], "workgroups": ["Sales"], "default_workstation": "shift-01"},
        {"id": "eve", "licenses": ["I3_ACCESS_CLIENT"], "workgroups": ["Sales"], "default_workstation": "mail-01"},
        {"id": "joe", "licenses": ["I3_ACCESS_CLIENT"], "workgroups": ["Sales"]}]);
    let mut d = shift_site(agents, false);
    assert!(user_codes(&d, "ann").is_empty(), "{:?}", user_codes(&d, "ann"));
    // eve's default workstation takes email only, but the two call
    // workstations do (no marking needed since #29, LTR-244): information.
    let eve: Vec<_> = d
        .engine()
        .diagnostics()
        .into_iter()
        .filter(|x| x.subject.id == "eve")
        .cloned()
        .collect();
    assert_eq!(eve.len(), 1);
    assert_eq!(eve[0].code, "acd-from-stations");
    assert!(
        eve[0].message.contains("default workstation mail-01 does not") && eve[0].message.contains("shift-01"),
        "{}",
        eve[0].message
    );
    assert_eq!(user_codes(&d, "joe"), vec![("acd-from-stations".into(), "Info".into())]);
    // With the call workstations disabled nothing covers eve and joe: the
    // warning, saying the default workstation does not cover them either.
    for id in ["shift-01", "shift-02"] {
        d.apply(ia_licensing::core::command::Command::SetStation {
            id: id.into(),
            kind: None,
            enabled: Some(false),
            machine_name: None,
            shift_station: None,
        })
        .expect("disable");
    }
    let eve: Vec<_> = d
        .engine()
        .diagnostics()
        .into_iter()
        .filter(|x| x.subject.id == "eve")
        .cloned()
        .collect();
    assert_eq!(eve[0].code, "workgroup-member-without-acd");
    assert!(
        eve[0]
            .message
            .contains("default workstation mail-01 does not cover them either"),
        "{}",
        eve[0].message
    );
    assert_eq!(
        user_codes(&d, "joe"),
        vec![("workgroup-member-without-acd".into(), "Warning".into())]
    );
}

/// Seed: "if there are multiple shifts at a site, you can use station
/// licenses". Where the console cannot know which shift station an agent
/// uses, it says so as info with the stations that would cover the queues.
#[test]
fn shift_stations_turn_the_warning_into_an_info_naming_them() {
    // Seed rule LTR-244-multiple-shifts-station-licenses (docs/seed-rules.md).
    let agents: Vec<_> = (1..=3)
        .map(|i| serde_json::json!({"id": format!("agent{i}"), "licenses": ["I3_ACCESS_CLIENT"], "workgroups": ["Sales"]}))
        .collect();
    let d = shift_site(serde_json::Value::Array(agents), true);
    for i in 1..=3 {
        let id = format!("agent{i}");
        let found: Vec<_> = d
            .engine()
            .diagnostics()
            .into_iter()
            .filter(|x| x.subject.id == id)
            .cloned()
            .collect();
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].code, "acd-from-stations");
        assert_eq!(found[0].severity, ia_licensing::core::diagnostic::Severity::Info);
        assert!(
            found[0].message.contains("2 stations hold") && found[0].message.contains("shift-01, shift-02"),
            "{}",
            found[0].message
        );
        assert!(
            !found[0].message.contains("mail-01"),
            "the email station does not cover a calls queue"
        );
    }
    assert_eq!(d.engine().totals().1, 0, "no warnings at a site that followed the seed");
}

/// Disabling the covering stations (a command) brings the warnings back,
/// and the incremental result equals a recount.
#[test]
fn changing_a_station_rechecks_the_agents_it_covers() {
    // Seed rule LTR-272-acd-by-user-station-or-both (docs/seed-rules.md).
    use ia_licensing::core::command::Command;
    let agents = serde_json::json!([
        {"id": "ann", "licenses": ["I3_ACCESS_CLIENT"], "workgroups": ["Sales"], "default_workstation": "shift-01"},
        {"id": "joe", "licenses": ["I3_ACCESS_CLIENT"], "workgroups": ["Sales"]}]);
    let mut d = shift_site(agents, true);
    assert!(user_codes(&d, "ann").is_empty());
    assert_eq!(user_codes(&d, "joe")[0].0, "acd-from-stations");
    for id in ["shift-02", "mail-01"] {
        d.apply(Command::SetStation {
            id: id.into(),
            kind: None,
            enabled: Some(false),
            machine_name: None,
            shift_station: None,
        })
        .expect("set");
    }
    // shift-01 still covers joe's queue (it is ann's default workstation,
    // and any agent may log on at it).
    assert_eq!(user_codes(&d, "joe")[0].0, "acd-from-stations");
    d.apply(Command::SetStation {
        id: "shift-01".into(),
        kind: Some(ia_licensing::core::workspace::StationType::StandalonePhone),
        enabled: None,
        machine_name: None,
        shift_station: Some(false),
    })
    .expect("set");
    assert_eq!(user_codes(&d, "joe")[0].0, "workgroup-member-without-acd");
    assert!(
        user_codes(&d, "ann").is_empty(),
        "ann's default workstation still covers her (a stand-alone phone now)"
    );
    d.apply(Command::RemoveStation { id: "shift-01".into() })
        .expect("remove");
    let ann: Vec<String> = user_codes(&d, "ann").into_iter().map(|(c, _)| c).collect();
    assert!(ann.contains(&"workgroup-member-without-acd".to_string()), "{ann:?}");
    assert!(ann.contains(&"default-workstation-unknown".to_string()), "{ann:?}");
    assert!(d.engine().same_as(&d.recount()));
}

// ---- 3. Interaction types per ACD media level, in files ----

/// Seed, ACD media levels: "Media 1 - You can only choose one type of
/// interaction to queue to a user." A file that gives a Media 1 user two
/// types loads, with a diagnostic and a fix hint, like the command refusal.
#[test]
fn a_media_1_user_with_two_types_in_a_file_is_diagnosed() {
    // Seed rule LTR-1567-media-1-one-type (docs/seed-rules.md).
    let d = doc(
        license_with(&[
            "I3_ACCESS_CLIENT=5",
            "I3_ACCESS_ACD_MEDIA_1=5",
            "I3_ACCESS_ACD_MEDIA_2=5",
        ]),
        serde_json::json!({"format": 1, "users": [
            {"id": "mia", "licenses": ["I3_ACCESS_CLIENT", "I3_ACCESS_ACD_MEDIA_1"], "acd_media_types": ["call", "email"]},
            {"id": "max", "licenses": ["I3_ACCESS_CLIENT", "I3_ACCESS_ACD_MEDIA_2"], "acd_media_types": ["call", "email"]}],
            "stations": [{"id": "s1", "machine_name": "s1",
                "licenses": ["I3_LICENSE_BASIC_STATION", "I3_ACCESS_ACD_MEDIA_1"], "acd_media_types": ["call", "chat"]}]}),
    );
    let mia: Vec<_> = d
        .engine()
        .diagnostics()
        .into_iter()
        .filter(|x| x.subject.id == "mia")
        .cloned()
        .collect();
    assert_eq!(mia.len(), 1);
    assert_eq!(mia[0].code, "acd-media-types-exceed-level");
    assert!(
        mia[0].message.contains("allows 1 interaction type"),
        "{}",
        mia[0].message
    );
    assert!(!mia[0].hint.is_empty());
    assert!(user_codes(&d, "max").is_empty(), "Media 2 may take two types");
    assert!(
        user_codes(&d, "s1")
            .iter()
            .any(|(c, _)| c == "acd-media-types-exceed-level")
    );
}

/// The same, end to end: `check` reports it and exits 1 (an error).
#[test]
fn check_reports_a_media_1_user_with_two_types() {
    // Seed rule LTR-1567-media-1-one-type (docs/seed-rules.md).
    let dir = tempfile::tempdir().expect("tmp");
    let ws = dir.path().join("media.ialws");
    std::fs::write(
        &ws,
        r#"{"format": 1, "users": [{"id": "mia", "licenses": ["I3_ACCESS_CLIENT", "I3_ACCESS_ACD_MEDIA_1"],
            "acd_media_types": ["call", "email"]}]}"#,
    )
    .expect("write");
    let out = crate::util::bin()
        .args([
            "check",
            "--license",
            s(&asset("demo.I3Lic")),
            "--workspace",
            s(&ws),
            "--format",
            "json",
        ])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let codes: Vec<&str> = json["diagnostics"]
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect();
    assert!(codes.contains(&"acd-media-types-exceed-level"), "{codes:?}");
}

// ---- 7. Which keys a station may hold; billing of add-ons ----

/// IA's Station Configuration › Licenses offers exactly: Basic Station,
/// Client Access, ACD Access (Media 1 / 2 / 3 Plus) and Interaction Process
/// Automation ("Direct Routed or Group Routed only"). Every other access
/// key is a user license.
#[test]
fn stations_hold_only_what_station_configuration_offers() {
    // Seed rules LTR-268-client-access-user-or-station, LTR-276-acd-user-or-station,
    // LTR-1550-access-by-user-station-or-both (docs/seed-rules.md).
    use ia_licensing::core::catalog::{self, KeyKind};
    let mut station_keys: Vec<&str> = catalog::all()
        .iter()
        .filter(|k| k.kind == KeyKind::Access && k.holders.allows_station())
        .map(|k| k.key)
        .collect();
    station_keys.sort_unstable();
    assert_eq!(
        station_keys,
        vec![
            "I3_ACCESS_ACD_MEDIA_1",
            "I3_ACCESS_ACD_MEDIA_2",
            "I3_ACCESS_ACD_MEDIA_3_PLUS",
            "I3_ACCESS_CLIENT",
            "I3_ACCESS_IPA_USER",
            "I3_ACCESS_IPA_USER_ACD",
            "I3_LICENSE_BASIC_STATION",
        ]
    );
    // A workspace file giving a station a user license is refused, naming it.
    let err = ia_licensing::core::workspace::Workspace::from_value(serde_json::json!({"format": 1,
        "stations": [{"id": "s", "machine_name": "s", "licenses": ["I3_ACCESS_RECORDER"]}]}))
    .expect_err("a station with Recorder");
    assert!(err.to_string().contains("user license"), "{err}");
}

/// Seed, Usage calculation examples: Tina (Client Access only) is BUSINESS
/// USER; Sam (Client Access, Media 1) is AGENT; Jane (Client Access, Media
/// 1, Media 3 Plus, Feedback) is AGENT, MULTI-CHANNEL and FEEDBACK. And
/// "Agent: I3_ACCESS_ACD_MEDIA_1 or any add-on license": Scripter, Tracker,
/// Optimizer, Operator and Outlook are in the add-on table.
#[test]
fn billing_categories_follow_the_seed_examples_and_the_add_on_table() {
    // Seed rules LTR-291-add-on-table, LTR-1462-assigned-licenses-establish, LTR-1462-add-ons-for-agents-only,
    // LTR-1468-tina, LTR-1469-sam, LTR-1470-jane, LTR-1478-agent-row (docs/seed-rules.md).
    use ia_licensing::core::catalog::BillingCategory as B;
    use ia_licensing::core::usage::explain;
    assert_eq!(explain(["I3_CLIENT_ACCESS"]).0, vec![B::BusinessUser]);
    assert_eq!(explain(["I3_CLIENT_ACCESS", "I3_ACCESS_ACD_MEDIA_1"]).0, vec![B::Agent]);
    assert_eq!(
        explain([
            "I3_CLIENT_ACCESS",
            "I3_ACCESS_ACD_MEDIA_1",
            "I3_ACCESS_ACD_MEDIA_3_PLUS",
            "I3_ACCESS_FEEDBACK"
        ])
        .0,
        vec![B::Agent, B::Feedback, B::MultiChannel]
    );
    for add_on in [
        "I3_ACCESS_INTERACTION_SCRIPTER_ADDON",
        "I3_ACCESS_TRACKER",
        "I3_ACCESS_OPTIMIZER_SCHEDULABLE",
        "I3_ACCESS_OPERATOR_ADDON",
        "I3_ACCESS_OUTLOOK_ADDIN",
    ] {
        let (cats, reason) = explain(["I3_ACCESS_CLIENT", add_on]);
        assert_eq!(cats, vec![B::Agent], "{add_on}");
        assert!(reason.starts_with("Agent: holds"), "{reason}");
    }
    // IPA is an Access license type, not an add-on (decision in docs/billing.md).
    let (cats, reason) = explain(["I3_ACCESS_CLIENT", "I3_ACCESS_IPA_USER"]);
    assert_eq!(cats, vec![B::BusinessUser]);
    assert!(reason.starts_with("Business User"), "{reason}");
}

/// docs/license-keys.md is generated from the catalogues
/// (scripts/license-keys-doc.py): every key and part row says what the
/// code says, holders and assumptions included.
#[test]
fn license_keys_doc_matches_the_catalogue() {
    // Seed rule LTR-291-add-on-table (docs/seed-rules.md).
    use ia_licensing::core::{catalog, parts};
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/license-keys.md")).expect("doc");
    for k in catalog::all() {
        let row = doc
            .lines()
            .find(|l| l.starts_with(&format!("| `{}` |", k.key)))
            .unwrap_or_else(|| panic!("{} has no row; run scripts/license-keys-doc.py", k.key));
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        let holders = serde_json::to_value(k.holders).expect("holders");
        assert_eq!(
            cells[4],
            holders.as_str().expect("str"),
            "{}: run scripts/license-keys-doc.py",
            k.key
        );
        assert_eq!(
            cells[10] == "assumed",
            k.assumed,
            "{}: run scripts/license-keys-doc.py",
            k.key
        );
        assert_eq!(
            cells[8] == "yes",
            k.add_on,
            "{}: run scripts/license-keys-doc.py",
            k.key
        );
    }
    for p in parts::all() {
        let row = doc
            .lines()
            .find(|l| l.starts_with(&format!("| `{}` |", p.part_number)))
            .unwrap_or_else(|| panic!("{} has no row; run scripts/license-keys-doc.py", p.part_number));
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        assert_eq!(cells[6], p.upgrades_to.unwrap_or(""), "{}", p.part_number);
        assert_eq!(cells[7] == "assumed", p.assumed, "{}", p.part_number);
    }
}
