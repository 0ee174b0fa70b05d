//! Cases for rules of the seed register (docs/seed-rules.toml) that the
//! code implemented but no test checked. Each test names the register
//! entries it exercises; their quotes are in docs/seed-rules.md.

use std::collections::BTreeMap;
use std::process::Output;

use ia_licensing::core::catalog::{self, BillingCategory as B, KeyKind};
use ia_licensing::core::command::Command;
use ia_licensing::core::license::{License, LoadOptions, TrustStore};
use ia_licensing::core::subject::Subject;
use serde_json::{Value, json};

use crate::util::*;

fn run(args: &[&str]) -> Output {
    crate::util::bin().args(args).output().expect("run ia-licensing")
}

fn json_of(out: &Output) -> Value {
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("json")
}

/// The (assigned, pooled) count of each key a written license file holds.
fn counts_in(path: &std::path::Path) -> BTreeMap<String, (i64, i64)> {
    let v: Value = serde_json::from_slice(&std::fs::read(path).expect("read license")).expect("license json");
    v["licenses"]
        .as_array()
        .expect("licenses")
        .iter()
        .map(|l| {
            (
                l["key"].as_str().expect("key").to_string(),
                (l["assigned"].as_i64().unwrap_or(0), l["pooled"].as_i64().unwrap_or(0)),
            )
        })
        .collect()
}

/// Seed rules LTR-1442-part-numbers-map-to-licenses, LTR-1449-part-al01,
/// LTR-1450-part-al02, LTR-1451-part-al03, LTR-1454-part-aa01,
/// LTR-1455-part-aa02 and LTR-1456-part-aa17: the "Access Licenses" table
/// of "How sales orders are related to licenses", row by row (assigned and
/// pooled units as the table gives them, and the keys one unit holds).
#[test]
fn part_table_rows_expand_as_the_seed_lists() {
    use ia_licensing::core::parts;
    const BS: &str = "I3_LICENSE_BASIC_STATION";
    /// Part, assigned units, pooled units, and each key's (assigned, pooled).
    type Row = (&'static str, u64, u64, &'static [(&'static str, u64, u64)]);
    let rows: [Row; 7] = [
        ("SW-001-4.0-AL01", 0, 25, &[(BS, 25, 0)]),
        ("SW-001-4.0-AL02", 5, 0, &[(BS, 5, 0), ("I3_ACCESS_CLIENT", 5, 0)]),
        (
            "SW-001-4.0-AL03",
            5,
            25,
            &[(BS, 30, 0), ("I3_ACCESS_ACD_MEDIA_1", 5, 25)],
        ),
        (
            "SW-001-4.0-AL04",
            5,
            25,
            &[
                (BS, 30, 0),
                ("I3_ACCESS_CLIENT", 5, 25),
                ("I3_ACCESS_ACD_MEDIA_1", 5, 25),
            ],
        ),
        (
            "SW-001-4.0-AA01",
            2,
            0,
            &[
                ("I3_ACCESS_DIALER_SUPERVISOR_PLUGIN", 2, 0),
                ("I3_ACCESS_WORKGROUP_SUPERVISOR_PLUGIN", 2, 0),
                ("I3_ACCESS_HISTORICAL_REPORT_SUPERVISOR_PLUGIN", 2, 0),
            ],
        ),
        (
            "SW-001-4.0-AA02",
            1,
            1,
            &[("I3_ACCESS_INTERACTION_SCRIPTER_ADDON", 1, 1)],
        ),
        (
            "SW-001-4.0-AA17",
            2,
            2,
            &[("I3_ACCESS_REPORT_ASSISTANT_SUPERVISOR_PLUGIN", 2, 2)],
        ),
    ];
    for (part, assigned, pooled, expected) in rows {
        let info = parts::lookup(part).unwrap_or_else(|| panic!("{part} is not in the catalogue"));
        let mut got = BTreeMap::new();
        parts::expand_into(info, assigned, pooled, &mut got);
        let got: BTreeMap<&str, (u64, u64)> = got.iter().map(|(k, c)| (k.as_str(), (c.assigned, c.pooled))).collect();
        let want: BTreeMap<&str, (u64, u64)> = expected.iter().map(|&(k, a, p)| (k, (a, p))).collect();
        assert_eq!(got, want, "{part} = {assigned}+{pooled}");
    }
}

/// Seed rules LTR-1477-business-user-row, LTR-1478-agent-row,
/// LTR-1478-media-2-agent, LTR-1489-add-on-categories and
/// LTR-1496-salesforce-business-user: the "Categories and licenses" tables.
#[test]
fn add_on_categories_follow_the_seed_table() {
    use ia_licensing::core::usage::explain;
    let with_client = |key: &str| explain(["I3_CLIENT_ACCESS", key]).0;
    // Business User: I3_CLIENT_ACCESS and none of the others.
    assert_eq!(explain(["I3_CLIENT_ACCESS"]).0, vec![B::BusinessUser]);
    // Agent: I3_ACCESS_ACD_MEDIA_1 (and, our reading, Media 2) or any add-on.
    assert_eq!(with_client("I3_ACCESS_ACD_MEDIA_1"), vec![B::Agent]);
    assert_eq!(with_client("I3_ACCESS_ACD_MEDIA_2"), vec![B::Agent]);
    let table: [(B, &[&str]); 12] = [
        (B::Analyzer, &["I3_ACCESS_ANALYZER"]),
        (B::CxInsights, &["I3_ACCESS_ANALYTICS_CORE"]),
        (B::Dialer, &["I3_ACCESS_DIALER_ADDON"]),
        (B::Feedback, &["I3_ACCESS_FEEDBACK"]),
        (B::MultiChannel, &["I3_ACCESS_ACD_MEDIA_3_PLUS"]),
        (
            B::QualityManager,
            &[
                "I3_ACCESS_RECORDER_QUALITYMONITORING",
                "I3_ACCESS_RECORDER_QUALITYMONITORING_AGENT",
            ],
        ),
        (B::Recorder, &["I3_ACCESS_RECORDER"]),
        (
            B::SalesforceAgent,
            &["I3_LICENSE_SALESFORCE", "I3_LICENSE_SALESFORCE_BUSINESSUSER"],
        ),
        (B::SocialMediaAcd, &["I3_ACCESS_ACD_SOCIAL_MEDIA"]),
        (
            B::Supervisor,
            &[
                "I3_ACCESS_WORKGROUP_SUPERVISOR_PLUGIN",
                "I3_ACCESS_DIALER_SUPERVISOR_PLUS",
                "I3_ACCESS_HISTORICAL_REPORT_SUPERVISOR_PLUGIN",
                "I3_ACCESS_REPORT_ASSISTANT_SUPERVISOR_PLUGIN",
                "I3_ACCESS_SYSTEM_STATUS_SUPERVISOR_PLUGIN",
            ],
        ),
        (B::WebPortalAgent, &["I3_ACCESS_IWP_USER_AGENT"]),
        (B::WebPortalSupervisor, &["I3_ACCESS_IWP_USER_ENTERPRISE"]),
    ];
    for (category, keys) in table {
        for key in keys {
            assert_eq!(with_client(key), vec![B::Agent, category], "{key}");
            // Without Client Access the add-on still makes an agent.
            assert_eq!(explain([*key]).0, vec![B::Agent, category], "{key} alone");
        }
    }
}

/// Seed rule LTR-1462-agent-or-business-user: "a particular user cannot
/// count as both an agent and a business user". A user who was a Business
/// User in one session and an Agent in another counts as an Agent.
#[test]
fn a_user_is_billed_as_agent_or_business_user_never_both() {
    use ia_licensing::core::usage::CategorySet;
    let day = CategorySet::of(&[B::BusinessUser]).union(CategorySet::of(&[B::Agent, B::Recorder]));
    let billed: Vec<B> = day.billed().iter().collect();
    assert_eq!(billed, vec![B::Agent, B::Recorder]);
    let business: Vec<B> = CategorySet::of(&[B::BusinessUser]).billed().iter().collect();
    assert_eq!(business, vec![B::BusinessUser]);
}

/// Seed rules LTR-451-software-details, LTR-464-details-al02,
/// LTR-496-activity-example-row, LTR-592-upgrade-software,
/// LTR-601-without-upgrade-rows and LTR-617-upgrade-aa01: the seed's
/// account as `account show` gives it, tab by tab.
#[test]
fn account_tabs_match_the_seed() {
    let v = json_of(&run(&[
        "account",
        "show",
        s(&asset("demo.ialacct")),
        "--format",
        "json",
    ]));
    let find = |list: &str, part: &str| -> Value {
        v[list]
            .as_array()
            .unwrap_or_else(|| panic!("no {list}"))
            .iter()
            .find(|r| r["part_number"] == part)
            .cloned()
            .unwrap_or_else(|| panic!("{list}: no {part}"))
    };
    // Software Details: Mirror No, Sold To the account, all perpetual.
    for (part, total) in [
        ("SW-001-4.0-AL02", 50),
        ("SW-001-4.0-AL06", 125),
        ("SW-001-4.0-IDS2", 1),
        ("SW-001-4.0-PL04", 101),
        ("SW-001-4.0-PL06", 101),
        ("SW-001-4.0-PL09", 169),
        ("SW-001-4.0-SL03", 1),
    ] {
        let d = find("software_details", part);
        assert_eq!(d["product_category"], "CIC 4.0", "{part}");
        assert_eq!(d["mirror"], false, "{part}");
        assert_eq!(d["sold_to"], "Genesys Customer Care Platform", "{part}");
        assert_eq!(
            (
                d["perpetual"].as_i64(),
                d["non_perpetual"].as_i64(),
                d["total"].as_i64()
            ),
            (Some(total), Some(0), Some(total)),
            "{part}"
        );
        // Parts without Upgrade Options: the same parts and quantities.
        assert_eq!(
            find("parts_without_upgrade", part)["total"].as_i64(),
            Some(total),
            "{part}"
        );
    }
    // Parts with Upgrade Options: "3.0 -> 4.0", mirroring available.
    let options = v["upgrade_options"].as_array().expect("upgrade_options");
    assert_eq!(options.len(), 9);
    for (suffix, quantity) in [
        ("AA01", 1),
        ("AA07", 4),
        ("AA08", 35),
        ("AAF1", 4),
        ("AL01", 30),
        ("AL02", 35),
        ("AL04", 9),
        ("IDS1", 1),
        ("PL03", 16),
    ] {
        let o = find("upgrade_options", &format!("SW-001-3.0-{suffix}"));
        assert_eq!(o["product_category"], "CIC 3.0", "{suffix}");
        assert_eq!(o["quantity"].as_i64(), Some(quantity), "{suffix}");
        assert_eq!(o["mirroring_available"], true, "{suffix}");
        assert!(
            o["upgrades_to"].as_str().is_some_and(|t| t.starts_with("SW-001-4.0-")),
            "{suffix}: {}",
            o["upgrades_to"]
        );
    }
    // Activation File Activity: the seed's one row.
    let files = v["activation_files"].as_array().expect("activation_files");
    let af = files.iter().find(|f| f["id"] == "AF-0001").expect("AF-0001");
    for (field, value) in [
        ("generated", "2018-08-30"),
        ("expires", "2100-01-01"),
        ("install_site", "Test Install Site"),
        ("generated_by", "Work TestIS0"),
        ("machine", "testing"),
        ("product", "CIC 4.0"),
        ("level", "production"),
    ] {
        assert_eq!(af[field], value, "{field}");
    }
    assert_eq!(af["active"], true);
}

/// Seed rules LTR-536-example-features and LTR-560-ordered-items-used: the
/// View License example's Features and Ordered Items Used.
#[test]
fn view_license_features_and_ordered_items_match_the_seed() {
    let d = demo_doc();
    let license = d.license();
    let features: Vec<&str> = license.file.features.iter().map(String::as_str).collect();
    assert_eq!(
        features,
        [
            "I3_FEATURE_VERSION_CIC",
            "I3_FEATURE_RWP_CITY",
            "I3_FEATURE_SIP",
            "I3_FEATURE_SMS",
            "I3_FEATURE_MEDIA_SERVERS",
            "I3_FEATURE_ADVANCED_SECURITY",
            "I3_FEATURE_SU_ALLOWED"
        ]
    );
    for f in features {
        let info = catalog::lookup(f).unwrap_or_else(|| panic!("{f} unknown"));
        assert_eq!(info.kind, KeyKind::Feature, "{f}");
    }
    let rows = ia_licensing::core::reports::view_license::ordered_items_used(license);
    let got: Vec<(&str, &str, i64)> = rows
        .iter()
        .map(|r| (r.part_number.as_str(), r.description.as_str(), r.quantity))
        .collect();
    assert_eq!(
        got,
        [
            ("SW-001-4.0-SL03", "Intermediate Server", 1),
            ("SW-001-4.0-AL02", "Business Client", 50),
            ("SW-001-4.0-AL08", "Contact Center Level 3", 120),
            ("SW-001-4.0-PL04", "Advanced Session", 100),
            ("SW-001-4.0-PL08", "Conference Session", 100),
            ("SW-001-4.0-PL09", "Media Session", 120),
        ]
    );
}

/// Seed rules LTR-182-small-non-ordered-development,
/// LTR-184-large-non-ordered-development, LTR-192-small-ordered-development
/// and LTR-193-large-ordered-development: "all Feature Licenses; and Access
/// and Sessions licenses (8 of each)", 30 for a large one.
#[test]
fn development_licenses_hold_every_feature_and_8_or_30_of_each_license() {
    let dir = tempfile::tempdir().expect("tmp");
    let key = asset("keys/demo-issuer.key");
    let not_included = [
        "I3_FEATURE_VIRTUAL_CLOUD",
        "I3_FEATURE_USAGE_TRACKING_UPLOAD",
        "I3_FEATURE_USAGE_TRACKING_LOCAL",
        "I3_FEATURE_USAGE_TRACKING",
    ];
    for (level, each) in [("development-small", 8), ("development-large", 30)] {
        for non_ordered in [false, true] {
            let out = dir.path().join(format!("{level}-{non_ordered}.I3Lic"));
            let mut args = vec![
                "license",
                "new",
                "--level",
                level,
                "--host-id",
                "DEV1",
                "--machine",
                "dev1",
                "--generated",
                "2026-01-01",
                "--sign-key",
                s(&key),
                "-o",
                s(&out),
            ];
            if non_ordered {
                args.push("--non-ordered");
            }
            let o = run(&args);
            assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
            let counts = counts_in(&out);
            for info in catalog::all() {
                if matches!(info.kind, KeyKind::Access | KeyKind::Session) {
                    assert_eq!(counts.get(info.key), Some(&(each, 0)), "{level}: {}", info.key);
                }
            }
            let v: Value = serde_json::from_slice(&std::fs::read(&out).expect("read")).expect("json");
            let features: Vec<&str> = v["features"]
                .as_array()
                .expect("features")
                .iter()
                .filter_map(Value::as_str)
                .collect();
            for info in catalog::all().iter().filter(|k| k.kind == KeyKind::Feature) {
                assert_eq!(
                    features.contains(&info.key),
                    !not_included.contains(&info.key),
                    "{level}: {}",
                    info.key
                );
            }
        }
    }
}

/// Seed rules LTR-192-small-ordered-development and
/// LTR-193-large-ordered-development through the account (AFMT) path and
/// with parts: "A **large** ordered development license includes all
/// Feature Licenses; and Access and Sessions licenses (30 of each)" — the
/// development system's server item ordered (IDS1 small, IDS2 large) does
/// not take the bundle away, and an add-on part adds to it (an independent
/// tester found 0 Access licenses in an account-generated development file).
#[test]
fn a_development_license_with_its_parts_still_holds_8_or_30_of_each() {
    let dir = tempfile::tempdir().expect("tmp");
    let key = asset("keys/demo-issuer.key");
    let account = dir.path().join("a.ialacct");
    std::fs::write(
        &account,
        serde_json::to_vec(&json!({
            "format": 1, "account": "Acme", "support_option": "Unknown",
            "ordered_items": [
                { "part_number": "SW-001-4.0-IDS2", "quantity": 1, "perpetual": true, "install_site": "HQ" },
                { "part_number": "SW-001-4.0-IDS1", "quantity": 1, "perpetual": true, "install_site": "HQ" }
            ],
            "activation_files": []
        }))
        .expect("json"),
    )
    .expect("write");
    let o = run(&["account", "sign", s(&account), "--sign-key", s(&key)]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    for (level, part, host, each) in [
        ("development-large", "SW-001-4.0-IDS2=1", "D1", 30),
        ("development-small", "SW-001-4.0-IDS1=1", "D2", 8),
    ] {
        let out = dir.path().join(format!("{level}.I3Lic"));
        let o = run(&[
            "account",
            "generate",
            "--account",
            s(&account),
            "--install-site",
            "HQ",
            "--level",
            level,
            "--part",
            part,
            "--host-id",
            host,
            "--machine",
            host,
            "--generated",
            "2026-01-01",
            "--sign-key",
            s(&key),
            "-o",
            s(&out),
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
        let counts = counts_in(&out);
        for info in catalog::all()
            .iter()
            .filter(|k| matches!(k.kind, KeyKind::Access | KeyKind::Session))
        {
            assert_eq!(counts.get(info.key), Some(&(each, 0)), "{level}: {}", info.key);
        }
    }
    // The issuer's tool with an add-on part: the bundle, and the part on top.
    let out = dir.path().join("addon.I3Lic");
    let o = run(&[
        "license",
        "new",
        "--level",
        "development-small",
        "--part",
        "SW-001-4.0-AL04=2",
        "--host-id",
        "D3",
        "--machine",
        "d3",
        "--generated",
        "2026-01-01",
        "--sign-key",
        s(&key),
        "-o",
        s(&out),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let counts = counts_in(&out);
    let access = catalog::all()
        .iter()
        .filter(|k| matches!(k.kind, KeyKind::Access | KeyKind::Session))
        .count();
    assert!(counts.len() >= access, "{counts:?}");
    assert!(
        counts.values().all(|(a, _)| *a >= 8),
        "every license at least the bundle's 8: {counts:?}"
    );
}

/// Seed rule LTR-256-basic-station-station-types: "You can allocate a
/// Basic Station license to Workstations, Managed Workstations, Stand-alone
/// Fax, Stand-alone Phone, and Remote stations"; and
/// LTR-1546-basic-station-stations-only: "one station at a time or
/// multiple stations at once".
#[test]
fn every_station_type_may_hold_basic_station() {
    let types = [
        "workstation",
        "managed-workstation",
        "standalone-fax",
        "standalone-phone",
        "remote",
    ];
    let stations: Vec<Value> = types
        .iter()
        .map(|t| json!({"id": format!("st-{t}"), "type": t, "machine_name": format!("m-{t}")}))
        .collect();
    let mut d = doc(
        license_with(&["I3_LICENSE_BASIC_STATION=10"]),
        json!({"format": 1, "stations": stations}),
    );
    let applied = d
        .apply(Command::Assign {
            subjects: types.iter().map(|t| Subject::station(format!("st-{t}"))).collect(),
            key: "I3_LICENSE_BASIC_STATION".into(),
            method: None,
        })
        .expect("all five at once");
    assert_eq!(applied.changed(), 5);
    assert_eq!(d.engine().configured("I3_LICENSE_BASIC_STATION").assignable, 5);
    assert!(
        !d.engine()
            .diagnostics()
            .iter()
            .any(|x| x.code == "basic-station-missing"),
        "every type holds it"
    );
}

/// Seed rules LTR-332-removing-releases-user-license,
/// LTR-333-station-acquires-immediately and
/// LTR-333-removing-releases-station-license: an Assignable license counts
/// as soon as it is allocated, and removing it or deleting its holder
/// releases it at once.
#[test]
fn removing_or_deleting_releases_an_assignable_license() {
    const TRACKER: &str = "I3_ACCESS_TRACKER";
    const CLIENT: &str = "I3_ACCESS_CLIENT";
    let mut d = doc(
        license_with(&["I3_ACCESS_TRACKER=2", "I3_ACCESS_CLIENT=2"]),
        json!({"format": 1,
            "users": [{"id": "a"}, {"id": "b"}, {"id": "c"}],
            "stations": [{"id": "s1", "machine_name": "s1"}, {"id": "s2", "machine_name": "s2"},
                         {"id": "s3", "machine_name": "s3"}]}),
    );
    let assign = |d: &mut ia_licensing::core::document::Document, who: Subject, key: &str| {
        d.apply(Command::Assign {
            subjects: vec![who],
            key: key.into(),
            method: None,
        })
        .map(|a| a.changed())
        .map_err(|e| e.reason)
    };
    // Users: two fit, the third is refused until one is released.
    assert_eq!(assign(&mut d, Subject::user("a"), TRACKER), Ok(1));
    assert_eq!(assign(&mut d, Subject::user("b"), TRACKER), Ok(1));
    assert_eq!(
        d.engine().configured(TRACKER).assignable,
        2,
        "acquired without any logon"
    );
    assert!(assign(&mut d, Subject::user("c"), TRACKER).is_err());
    d.apply(Command::Unassign {
        subjects: vec![Subject::user("a")],
        key: TRACKER.into(),
    })
    .expect("remove from a");
    assert_eq!(assign(&mut d, Subject::user("c"), TRACKER), Ok(1));
    d.apply(Command::RemoveUser { id: "b".into() }).expect("delete b");
    assert_eq!(d.engine().configured(TRACKER).assignable, 1);
    assert_eq!(assign(&mut d, Subject::user("a"), TRACKER), Ok(1));
    // Stations alike.
    assert_eq!(assign(&mut d, Subject::station("s1"), CLIENT), Ok(1));
    assert_eq!(assign(&mut d, Subject::station("s2"), CLIENT), Ok(1));
    assert_eq!(
        d.engine().configured(CLIENT).assignable,
        2,
        "acquired without any logon"
    );
    assert!(assign(&mut d, Subject::station("s3"), CLIENT).is_err());
    d.apply(Command::RemoveStation { id: "s1".into() }).expect("delete s1");
    assert_eq!(assign(&mut d, Subject::station("s3"), CLIENT), Ok(1));
    d.apply(Command::Unassign {
        subjects: vec![Subject::station("s2")],
        key: CLIENT.into(),
    })
    .expect("remove from s2");
    assert_eq!(d.engine().configured(CLIENT).assignable, 1);
    assert!(d.engine().same_as(&d.recount()));
}

/// Seed rules SUB-136-upload-by-the-4th and SUB-137-billing-period-example:
/// "if the billing period is April 28th through May 27th, then all usage
/// files must be uploaded from the portal by June 4th".
#[test]
fn the_billing_period_example_of_the_seed() {
    use ia_licensing::core::usage::billing_period;
    for day in [date(2026, 4, 28), date(2026, 5, 1), date(2026, 5, 27)] {
        assert_eq!(
            billing_period(day),
            (date(2026, 4, 28), date(2026, 5, 27), date(2026, 6, 4)),
            "{day}"
        );
    }
    assert_eq!(
        billing_period(date(2026, 5, 28)),
        (date(2026, 5, 28), date(2026, 6, 27), date(2026, 7, 4))
    );
    // Across the year's end.
    assert_eq!(
        billing_period(date(2026, 1, 10)),
        (date(2025, 12, 28), date(2026, 1, 27), date(2026, 2, 4))
    );
}

/// Seed rules LTR-922-switchover-pair, LTR-658-switchover-later,
/// LTR-1034-host-id-locks-license and LTR-1820-one-host-id-per-server: one
/// production license names both servers of a switchover pair; it serves
/// either, and no third.
#[test]
fn a_switchover_pair_shares_one_license() {
    let dir = tempfile::tempdir().expect("tmp");
    let lic = dir.path().join("pair.I3Lic");
    let o = run(&[
        "license",
        "new",
        "--level",
        "production",
        "--license",
        "I3_ACCESS_CLIENT=5",
        "--host-id",
        "PRIMARY1",
        "--machine",
        "cic1",
        "--switchover-host-id",
        "BACKUP1",
        "--switchover-machine",
        "cic2",
        "--sign-key",
        s(&asset("keys/demo-issuer.key")),
        "-o",
        s(&lic),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let mismatch_on = |host: &str| -> bool {
        let ws = dir.path().join(format!("{host}.ialws"));
        std::fs::write(
            &ws,
            json!({"format": 1, "server": {"host_id": host, "machine_name": "cic"}}).to_string(),
        )
        .expect("write workspace");
        let out = run(&["check", "--license", s(&lic), "--workspace", s(&ws), "--format", "json"]);
        let v: Value = serde_json::from_slice(&out.stdout).expect("check json");
        v["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .any(|d| d["code"] == "host-id-mismatch")
    };
    assert!(!mismatch_on("PRIMARY1"));
    assert!(!mismatch_on("backup1"), "the switchover server, any case");
    assert!(mismatch_on("THIRD1"), "one host ID per server: a third is not licensed");
}

/// Seed rules LTR-588-allocate-by-site and LTR-1050-add-on-items: "When you
/// allocate licenses, allocate them by site" — what a license may draw is
/// what its own install site has available, add-on items included.
#[test]
fn ordered_items_are_drawn_by_install_site() {
    use ia_licensing::core::account::{Account, DrawnItem};
    let account: Account = serde_json::from_value(json!({
        "format": 1,
        "account": "Two Sites",
        "ordered_items": [
            {"part_number": "SW-001-4.0-AL02", "quantity": 10, "install_site": "North"},
            {"part_number": "SW-001-4.0-AA01", "quantity": 5, "install_site": "North"},
            {"part_number": "SW-001-4.0-AL02", "quantity": 10, "install_site": "South"}
        ]
    }))
    .expect("account");
    let item = |part: &str, quantity: i64| DrawnItem {
        part_number: part.into(),
        quantity,
    };
    // 15 of the 20 AL02 bought in all, but North has 10.
    let err = account
        .check_draw("North", &[item("SW-001-4.0-AL02", 15)], None)
        .expect_err("more than North has");
    assert!(err.to_string().contains("only 10 available"), "{err}");
    account
        .check_draw(
            "North",
            &[item("SW-001-4.0-AL02", 10), item("SW-001-4.0-AA01", 2)],
            None,
        )
        .expect("North's own items, an add-on among them");
    // South bought no add-on.
    let err = account
        .check_draw("South", &[item("SW-001-4.0-AA01", 1)], None)
        .expect_err("not ordered at South");
    assert!(err.to_string().contains("install site South"), "{err}");
    assert_eq!(account.available("SW-001-4.0-AL02", Some("South")), 10);
    assert_eq!(account.total("SW-001-4.0-AL02", None), 20);
}

/// Seed rules LTR-1628-automated-upload-keys, LTR-1631-virtual-cloud-key,
/// LTR-1824-virtual-cloud-key-name-corrected and
/// SUB-148-usage-virtual-cloud-spelling: I3_FEATURE_VIRTUAL_CLOUD is the
/// virtual cloud method, and the subscription page's
/// I3_FEATURE_USAGE_VIRTUAL_CLOUD is read as it.
#[test]
fn the_virtual_cloud_key_and_its_spellings_mean_virtual_cloud_collection() {
    use ia_licensing::core::usage::Collection;
    let text = std::fs::read_to_string(asset("demo-virtual-cloud.I3Lic")).expect("vc demo");
    let mut v: Value = serde_json::from_str(&text).expect("json");
    v.as_object_mut().expect("object").remove("signature");
    let load = |v: &Value| {
        let store = TrustStore::empty();
        License::load_bytes(
            v.to_string().as_bytes(),
            LoadOptions {
                trust: &store,
                allow_unsigned: true,
            },
        )
        .expect("loads")
    };
    let plain = load(&v);
    assert!(plain.is_virtual_cloud());
    assert_eq!(Collection::of(&plain), Collection::VirtualCloud);
    let features = v["features"].as_array_mut().expect("features");
    let at = features
        .iter()
        .position(|f| f == "I3_FEATURE_VIRTUAL_CLOUD")
        .expect("the key");
    features[at] = "I3_FEATURE_USAGE_VIRTUAL_CLOUD".into();
    let alias = load(&v);
    assert!(alias.is_virtual_cloud(), "the other spelling is the same key");
    assert_eq!(Collection::of(&alias), Collection::VirtualCloud);
    assert!(
        alias
            .warnings
            .iter()
            .any(|w| w.contains("read as I3_FEATURE_VIRTUAL_CLOUD")),
        "{:?}",
        alias.warnings
    );
}

/// Seed rule LTR-1576-media-1-warning-limits: "A warning message appears,
/// stating that the system limits the ACD interaction types that the user
/// receives until you resolve the licensing problem."
#[test]
fn the_acd_warning_says_the_system_limits_the_interaction_types() {
    let d = doc(
        license_with(&["I3_ACCESS_CLIENT=5", "I3_ACCESS_ACD_MEDIA_1=5"]),
        json!({"format": 1,
            "users": [{"id": "mia", "licenses": ["I3_ACCESS_CLIENT", "I3_ACCESS_ACD_MEDIA_1"],
                       "acd_media_types": ["call"], "workgroups": ["Service"]}],
            "workgroups": [{"name": "Service", "media": ["call", "email"]}]}),
    );
    let warning = d
        .engine()
        .diagnostics()
        .into_iter()
        .find(|x| x.subject.id == "mia")
        .cloned()
        .expect("a warning for mia");
    assert_eq!(warning.code, "acd-media-level-mismatch");
    assert!(
        warning.message.contains(
            "the system limits the ACD interaction types mia receives until the licensing problem is resolved"
        ),
        "{}",
        warning.message
    );
}

/// LTR-1498-supervisor-dialer-key: the reference's Supervisor billing row
/// names I3_ACCESS_DIALER_SUPERVISOR_PLUS, its ordered items (Interaction
/// Supervisor Add-on) I3_ACCESS_DIALER_SUPERVISOR_PLUGIN. Both bill as
/// Supervisor, and a session billed through the plug-in says which reading
/// was taken (a trial found the reading taken silently); the Plus key and
/// the other plug-ins need no such word.
#[test]
fn the_dialer_supervisor_plug_in_is_billed_as_supervisor_and_says_so() {
    use ia_licensing::core::usage::{DIALER_SUPERVISOR_READING, explain};
    let (cats, reason) = explain(["I3_CLIENT_ACCESS", "I3_ACCESS_DIALER_SUPERVISOR_PLUGIN"]);
    assert_eq!(cats, vec![B::Agent, B::Supervisor]);
    assert!(reason.contains(DIALER_SUPERVISOR_READING), "{reason}");
    assert!(reason.contains("I3_ACCESS_DIALER_SUPERVISOR_PLUS"), "{reason}");
    for key in [
        "I3_ACCESS_DIALER_SUPERVISOR_PLUS",
        "I3_ACCESS_WORKGROUP_SUPERVISOR_PLUGIN",
    ] {
        let (cats, reason) = explain(["I3_CLIENT_ACCESS", key]);
        assert_eq!(cats, vec![B::Agent, B::Supervisor], "{key}");
        assert!(!reason.contains("Technical Reference"), "{key}: {reason}");
    }
}

/// A session that logs off at exactly 00:00 on the 28th (the first moment
/// of a billing period) ends with the day before, so only the period before
/// bills it; `usage` says so (a trial found the reading taken silently),
/// in the JSON's `billing_note` and a Note line of the table.
#[test]
fn a_logoff_at_the_first_moment_of_a_billing_period_is_said() {
    let dir = tempfile::tempdir().expect("dir");
    let events = dir.path().join("events.json");
    std::fs::write(
        &events,
        r#"[{"at": "2026-06-27T20:00:00", "event": "logon", "user": "john.smith", "station": "ws-js", "application": "Interaction Connect"},
            {"at": "2026-06-28T00:00:00", "event": "logoff", "user": "john.smith", "station": "ws-js", "application": "Interaction Connect"}]"#,
    )
    .expect("write");
    let run = |format: &str| {
        crate::util::bin()
            .args([
                "usage",
                "--license",
                s(&asset("scenarios/john-smith.I3Lic")),
                "--workspace",
                s(&asset("scenarios/john-smith.ialws")),
                "--events",
                s(&events),
                "--format",
                format,
            ])
            .output()
            .expect("run")
    };
    let out = run("json");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let billing = v["billing"].as_array().expect("billing");
    assert_eq!(billing.len(), 1, "the period before only: {billing:?}");
    assert_eq!(billing[0]["period_start"], "2026-05-28");
    let note = v["billing_note"].as_str().expect("a billing note");
    assert!(note.contains("00:00") && note.contains("period before"), "{note}");
    let text = String::from_utf8(run("table").stdout).expect("utf8");
    assert!(text.contains("Note: 1 session logged off at exactly 00:00"), "{text}");
    // A logoff a minute later touches the new period, and needs no note.
    std::fs::write(
        &events,
        r#"[{"at": "2026-06-27T20:00:00", "event": "logon", "user": "john.smith", "station": "ws-js", "application": "Interaction Connect"},
            {"at": "2026-06-28T00:01:00", "event": "logoff", "user": "john.smith", "station": "ws-js", "application": "Interaction Connect"}]"#,
    )
    .expect("write");
    let v: serde_json::Value = serde_json::from_slice(&run("json").stdout).expect("json");
    assert_eq!(v["billing"].as_array().map(Vec::len), Some(2));
    assert!(v.get("billing_note").is_none());
}

/// LTR-1049-switchover-server-item: "In the **Select One Valid Switchover
/// Server Item** section, select the switchover server type for the second
/// server in the pair", and the form shows "There are no switchover parts
/// available". A trial generated a switchover license from an account that
/// never ordered a switchover item; the AFMT path now refuses it, says what
/// to do and records nothing, while `license new` (no account) still
/// takes a switchover.
#[test]
fn the_afmt_path_refuses_a_switchover_without_a_switchover_item() {
    let dir = tempfile::tempdir().expect("tmp");
    let acct = dir.path().join("a.ialacct");
    std::fs::copy(asset("demo.ialacct"), &acct).expect("copy account");
    let before = std::fs::read(&acct).expect("read");
    let out = dir.path().join("sw.I3Lic");
    let o = run(&[
        "account",
        "generate",
        "--account",
        s(&acct),
        "--install-site",
        "Test Install Site",
        "--part",
        "SW-001-4.0-IDS2=1",
        "--level",
        "development-large",
        "--host-id",
        "H9",
        "--machine",
        "m9",
        "--switchover-host-id",
        "H10",
        "--switchover-machine",
        "m10",
        "--sign-key",
        s(&asset("keys/demo-issuer.key")),
        "-o",
        s(&out),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", String::from_utf8_lossy(&o.stdout));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("Select One Valid Switchover Server Item"), "{err}");
    assert!(err.contains("no switchover parts available"), "{err}");
    assert!(!out.exists(), "no license written");
    assert_eq!(std::fs::read(&acct).expect("read"), before, "the account is unchanged");
}

/// LTR-1468-tina and SUB-148-usage-virtual-cloud-spelling: where the seeds
/// name one key two ways, the spelling given is read as the key license
/// files carry, and the output says so (a trial found both readings taken
/// silently): `license new` with the alias notes it; a workspace holding
/// I3_CLIENT_ACCESS gets the `key-read-as` information in `check`.
#[test]
fn a_key_given_in_its_other_spelling_is_read_and_said() {
    let dir = tempfile::tempdir().expect("tmp");
    let lic = dir.path().join("vc.I3Lic");
    let o = run(&[
        "license",
        "new",
        "--level",
        "production",
        "--product-version",
        "2020 R2",
        "--license",
        "I3_CLIENT_ACCESS=5",
        "--feature",
        "I3_FEATURE_USAGE_VIRTUAL_CLOUD",
        "--ramp-date",
        "2026-01-01",
        "--grace-days",
        "30",
        "--host-id",
        "H1",
        "--machine",
        "cic1",
        "--sign-key",
        s(&asset("keys/demo-issuer.key")),
        "-o",
        s(&lic),
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("I3_FEATURE_USAGE_VIRTUAL_CLOUD is read as I3_FEATURE_VIRTUAL_CLOUD"),
        "{err}"
    );
    assert!(err.contains("I3_CLIENT_ACCESS is read as I3_ACCESS_CLIENT"), "{err}");
    let v: Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["notes"].as_array().map(Vec::len), Some(2), "{v}");
    // A workspace in the billing section's spelling.
    let ws = dir.path().join("w.ialws");
    std::fs::write(
        &ws,
        json!({"format": 1, "server": {"host_id": "H1", "machine_name": "cic1"},
               "users": [{"id": "tina", "licenses": ["I3_CLIENT_ACCESS"]}]})
        .to_string(),
    )
    .expect("write");
    let out = run(&["check", "--license", s(&lic), "--workspace", s(&ws), "--format", "json"]);
    let v: Value = serde_json::from_slice(&out.stdout).expect("check json");
    let said = v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .find(|d| d["code"] == "key-read-as")
        .unwrap_or_else(|| panic!("{v}"));
    assert!(
        said["message"]
            .as_str()
            .is_some_and(|m| m.contains("I3_CLIENT_ACCESS is read as I3_ACCESS_CLIENT")),
        "{said}"
    );
    // Written as license files carry it: nothing to say.
    std::fs::write(
        &ws,
        json!({"format": 1, "server": {"host_id": "H1", "machine_name": "cic1"},
               "users": [{"id": "tina", "licenses": ["I3_ACCESS_CLIENT"]}]})
        .to_string(),
    )
    .expect("write");
    let out = run(&["check", "--license", s(&lic), "--workspace", s(&ws), "--format", "json"]);
    let v: Value = serde_json::from_slice(&out.stdout).expect("check json");
    assert!(
        !v["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .any(|d| d["code"] == "key-read-as")
    );
}

/// SUB-136-upload-by-the-4th against SUB-137-billing-period-example: the
/// page says "before the 4th of each month" and, in its example, "by June
/// 4th". The due date given is the 4th (the example's reading), and the
/// manual method's explanation says which reading it is (a trial found it
/// taken silently).
#[test]
fn the_upload_due_day_says_its_reading() {
    use ia_licensing::core::usage::{Collection, billing_period};
    let (start, end, due) = billing_period(date(2026, 5, 3));
    assert_eq!(
        (start, end, due),
        (date(2026, 4, 28), date(2026, 5, 27), date(2026, 6, 4))
    );
    let words = Collection::Local.explanation();
    assert!(
        words.contains("before the 4th of each month") && words.contains("by June 4th"),
        "{words}"
    );
    assert!(
        words.contains("disagrees") && words.contains("read as the last day"),
        "{words}"
    );
}
