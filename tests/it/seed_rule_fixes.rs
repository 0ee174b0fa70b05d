//! Wrong answers an independent tester found from the seeds alone (issue
//! #29, second round), each fixed as a rule and tested on every path that
//! applies it: subscription keys before 2018 R2 Patch 2, what an update of
//! an evaluation activation file may add, AFMT's perpetual production
//! licenses, ordered items of another product version, the call ports of a
//! fully functional system, and a switchover server that is the primary
//! (Client Access at logon: `seed_rule_fixes_access`). Each test quotes the seed and names the register
//! ids it implements (docs/seed-rules.md).

use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::Arc;

use ia_licensing::core::account::{self, Account};
use ia_licensing::core::diagnostic::Severity;
use ia_licensing::core::document::Document;
use ia_licensing::core::license::format::Switchover;
use ia_licensing::core::license::generate::{self, Order, Quantity};
use ia_licensing::core::license::{Level, License, LoadOptions, TrustStore};
use ia_licensing::core::usage::Collection;
use serde_json::{Value, json};

use crate::util::*;

const SITE: &str = "Test Install Site";

fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("run")
}

fn ok_json(out: &Output) -> Value {
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("json")
}

/// The refusal's message (exit 2).
fn refused(out: &Output) -> String {
    assert_eq!(
        out.status.code(),
        Some(2),
        "expected a refusal: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn key() -> PathBuf {
    asset("keys/demo-issuer.key")
}

pub(crate) fn order(version: &str, features: &[&str], keys: &[&str]) -> Order {
    let vc = features.iter().any(|f| f.ends_with("VIRTUAL_CLOUD"));
    Order {
        product_version: version.into(),
        host_id: if vc { String::new() } else { "G807test".into() },
        machine: "testing".into(),
        system_type: "Media Server Based".into(),
        company: "Seed".into(),
        install_site: SITE.into(),
        generated_by: "seed".into(),
        generated: date(2026, 1, 5),
        licenses: keys.iter().map(|k| k.parse().expect("quantity")).collect(),
        features: features.iter().map(|f| f.to_string()).collect(),
        ramp_date: vc.then(|| date(2026, 2, 1)),
        grace_days: vc.then_some(7),
        ..crate::util::base_order()
    }
}

/// A license file as an issuer might have written it (whatever the
/// generator allows), loaded in training mode.
pub(crate) fn loaded(file: &ia_licensing::core::license::format::LicenseFile) -> Arc<License> {
    let text = serde_json::to_string(file).expect("json");
    Arc::new(
        License::load_bytes(
            text.as_bytes(),
            LoadOptions {
                trust: &TrustStore::empty(),
                allow_unsigned: true,
            },
        )
        .expect("load"),
    )
}

fn license_at(version: &str, features: &[&str]) -> Arc<License> {
    let mut file = generate::build(&order("2020 R2", features, &["I3_ACCESS_CLIENT=1"])).expect("build");
    file.product_version = version.into();
    loaded(&file)
}

fn empty_ws() -> Value {
    json!({"format": 1, "server": {"host_id": "G807test", "machine_name": "testing"}})
}

fn codes(doc: &Document) -> Vec<(String, Severity)> {
    doc.engine()
        .diagnostics()
        .into_iter()
        .map(|d| (d.code.to_string(), d.severity))
        .collect()
}

fn diag<'a>(doc: &'a Document, code: &str) -> Option<&'a ia_licensing::core::diagnostic::Diagnostic> {
    doc.engine().diagnostics().into_iter().find(|d| d.code == code)
}

// ---- F1: subscription keys before 2018 R2 Patch 2 ----

const USAGE_KEYS: [&str; 3] = [
    "I3_FEATURE_USAGE_TRACKING_UPLOAD",
    "I3_FEATURE_USAGE_TRACKING_LOCAL",
    "I3_FEATURE_USAGE_TRACKING",
];

/// Seed, License Models: "Subscription - Introduced in PureConnect 2018 R2
/// Patch 2"; "Starting with PureConnect 2018 R2 Patch 2, a subscription
/// license model is available to on-premises customers." A loaded license
/// with a usage tracking key for an earlier version is an error; the
/// generator refuses to write one.
#[test]
fn ltr_140_usage_tracking_keys_before_2018_r2_patch_2_are_an_error() {
    // Seed rules LTR-140-subscription-since-2018-r2-p2, LTR-152-subscription-model-since-2018-r2-p2,
    // LTR-1612-subscription-billing-since, SUB-15-subscription-billing-option (docs/seed-rules.md).
    for key in USAGE_KEYS {
        for early in [
            "2018 R2 Patch 1",
            "2018 R2",
            "2018 R1 Patch 4",
            "2015 R1",
            "4.0",
            "3.0 SU 2",
        ] {
            let d = doc(license_at(early, &[key]), empty_ws());
            let e =
                diag(&d, "subscription-before-2018-r2-p2").unwrap_or_else(|| panic!("{key} {early}: {:?}", codes(&d)));
            assert_eq!(e.severity, Severity::Error);
            assert!(
                e.message.contains("2018 R2 Patch 2") && e.message.contains(key),
                "{}",
                e.message
            );
            assert!(!e.hint.is_empty());
            assert!(
                d.license().warnings.iter().any(|w| w.contains("2018 R2 Patch 2")),
                "{early}"
            );
            let note = Collection::note_for(d.license()).unwrap_or_default();
            assert!(note.contains("2018 R2 Patch 2"), "usage says so too: {note}");
            let err = generate::build(&order(early, &[key], &["I3_ACCESS_CLIENT=1"]))
                .expect_err(early)
                .to_string();
            assert!(
                err.contains("2018 R2 Patch 2") && err.contains(early.split(' ').next().unwrap_or("")),
                "{err}"
            );
        }
        for fine in ["2018 R2 Patch 2", "2018 R2 Patch 3", "2018 R3", "2020 R2"] {
            let d = doc(license_at(fine, &[key]), empty_ws());
            assert!(diag(&d, "subscription-before-2018-r2-p2").is_none(), "{key} {fine}");
            generate::build(&order(fine, &[key], &["I3_ACCESS_CLIENT=1"])).unwrap_or_else(|e| panic!("{fine}: {e}"));
        }
    }
    // Without a usage key the version is no matter; an unreadable version
    // is information naming the subscription rule it cannot check.
    let d = doc(license_at("2018 R1", &[]), empty_ws());
    assert!(diag(&d, "subscription-before-2018-r2-p2").is_none());
    let d = doc(license_at("soon", &["I3_FEATURE_USAGE_TRACKING_UPLOAD"]), empty_ws());
    assert!(diag(&d, "subscription-before-2018-r2-p2").is_none());
    let i = diag(&d, "product-version-unreadable").expect("info");
    assert!(i.message.contains("2018 R2 Patch 2"), "{}", i.message);
    // Virtual cloud before 2018 R2 Patch 2 is said once, by its own rule.
    let d = doc(license_at("2018 R1", &["I3_FEATURE_VIRTUAL_CLOUD"]), empty_ws());
    assert!(diag(&d, "vc-before-2020-r2").is_some());
    assert!(diag(&d, "subscription-before-2018-r2-p2").is_none());

    // `license new` refuses it and writes nothing; `check` exits 1 on a file
    // that has it.
    let dir = tempfile::tempdir().expect("tmp");
    let lic = dir.path().join("f1.I3Lic");
    let k = key();
    let new = |version: &str| {
        run(&[
            "license",
            "new",
            "--level",
            "production",
            "--host-id",
            "H1",
            "--machine",
            "ut1",
            "--feature",
            "I3_FEATURE_USAGE_TRACKING_UPLOAD",
            "--product-version",
            version,
            "--part",
            "SW-001-4.0-AL04=5",
            "--sign-key",
            s(&k),
            "-o",
            s(&lic),
        ])
    };
    let err = refused(&new("2018 R2 Patch 1"));
    assert!(
        err.contains("2018 R2 Patch 2") && err.contains("2018 R2 Patch 1"),
        "{err}"
    );
    assert!(!lic.exists());
    assert!(new("2018 R2 Patch 2").status.success());
    let mut file = generate::build(&order(
        "2020 R2",
        &["I3_FEATURE_USAGE_TRACKING_UPLOAD"],
        &["I3_ACCESS_CLIENT=1"],
    ))
    .expect("build");
    file.product_version = "2018 R2 Patch 1".into();
    let old = dir.path().join("old.I3Lic");
    std::fs::write(&old, serde_json::to_string(&file).expect("json")).expect("write");
    let ws = dir.path().join("ws.ialws");
    std::fs::write(&ws, empty_ws().to_string()).expect("write");
    let out = run(&[
        "check",
        "--license",
        s(&old),
        "--workspace",
        s(&ws),
        "--allow-unsigned",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert!(
        v["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .any(|d| d["code"] == "subscription-before-2018-r2-p2" && d["severity"] == "error"),
        "{v}"
    );
}

// ---- AFMT: evaluation, perpetual production, product versions ----

fn copy_account(dir: &Path) -> PathBuf {
    let p = dir.join("account.ialacct");
    std::fs::copy(asset("demo.ialacct"), &p).expect("copy");
    p
}

fn afmt(cmd: &[&str], account: &Path, out: &Path, level: &str, parts: &[&str], extra: &[&str]) -> Output {
    let k = key();
    let mut args: Vec<&str> = cmd.to_vec();
    args.extend([
        "--account",
        s(account),
        "--install-site",
        SITE,
        "--level",
        level,
        "--generated",
        "2026-01-05",
        "--sign-key",
        s(&k),
        "-o",
        s(out),
        "--format",
        "json",
    ]);
    if !extra.contains(&"--host-id") {
        args.extend(["--host-id", "HX", "--machine", "ev1"]);
    }
    for p in parts {
        args.extend(["--part", p]);
    }
    args.extend_from_slice(extra);
    run(&args)
}

/// Frees the demo account's one Intermediate Server (AF-0001 holds it).
fn free_server(account: &Path) {
    let k = key();
    let out = run(&[
        "account",
        "deactivate",
        s(account),
        "--id",
        "AF-0001",
        "--sign-key",
        s(&k),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

fn load_account(path: &Path) -> Account {
    account::load(path, &TrustStore::with_demo()).expect("load").0
}

/// Seed, License levels, Evaluation: "License that you can use for
/// evaluation purposes, which are small configurations that you purchase.
/// You cannot add other components to the pre-defined configuration for
/// this license." AFMT's Update ("update an existing license to increase
/// the number of stations or lines") of an evaluation activation file may
/// not bring in a part it did not have; raising the quantities of its own
/// parts is our reading, and the output says so.
#[test]
fn ltr_201_an_evaluation_update_adds_no_components() {
    // Seed rules LTR-201-evaluation-no-added-components, LTR-576-update-increases (docs/seed-rules.md).
    let dir = tempfile::tempdir().expect("tmp");
    let acct = copy_account(dir.path());
    free_server(&acct);
    let first = dir.path().join("ev.I3Lic");
    let parts = ["SW-001-4.0-SL03=1", "SW-001-4.0-AL02=10"];
    let v = ok_json(&afmt(
        &["account", "generate"],
        &acct,
        &first,
        "evaluation",
        &parts,
        &[],
    ));
    let id = v["activation_file"].as_str().expect("id").to_string();
    let before = std::fs::read(&acct).expect("read");
    // A new component: refused, nothing written, the account unchanged.
    let upd = dir.path().join("ev2.I3Lic");
    let mut more = parts.to_vec();
    more.push("SW-001-4.0-AL06=5");
    let err = refused(&afmt(
        &["account", "update", "--id", &id],
        &acct,
        &upd,
        "evaluation",
        &more,
        &[],
    ));
    assert!(err.contains("cannot add other components"), "{err}");
    assert!(err.contains("SW-001-4.0-AL06"), "{err}");
    assert!(!upd.exists());
    assert_eq!(std::fs::read(&acct).expect("read"), before);
    // The same through the core (the Account view's path).
    let a = load_account(&acct);
    let demo_key = ia_licensing::core::license::signing::demo_issuer_key().expect("key");
    let mut o = order("2020 R2", &[], &[]);
    o.level = Level::Evaluation;
    o.host_id = "HX".into();
    o.machine = "ev1".into();
    o.parts = more.iter().map(|p| p.parse::<Quantity>().expect("q")).collect();
    let e = account::draw(&a, &o, &demo_key, Some(&id)).expect_err("new component");
    assert!(e.to_string().contains("cannot add other components"), "{e}");
    // Its own parts, more of them: accepted, and the output says what the
    // reading is.
    let v = ok_json(&afmt(
        &["account", "update", "--id", &id],
        &acct,
        &upd,
        "evaluation",
        &["SW-001-4.0-SL03=1", "SW-001-4.0-AL02=12"],
        &[],
    ));
    let notes = v["notes"].as_array().expect("notes");
    assert!(
        notes
            .iter()
            .any(|n| n.as_str().is_some_and(|n| n.contains("pre-defined configuration"))),
        "{v}"
    );
    // A production activation file's update carries no such note.
    let dir2 = tempfile::tempdir().expect("tmp");
    let acct2 = copy_account(dir2.path());
    let p1 = dir2.path().join("p1.I3Lic");
    let v = ok_json(&afmt(
        &["account", "update", "--id", "AF-0001"],
        &acct2,
        &p1,
        "production",
        &[
            "SW-001-4.0-SL03=1",
            "SW-001-4.0-AL02=50",
            "SW-001-4.0-AL06=120",
            "SW-001-4.0-PL04=100",
            "SW-001-4.0-PL06=101",
            "SW-001-4.0-PL09=120",
        ],
        &["--host-id", "G807test", "--machine", "testing"],
    ));
    assert!(v.get("notes").is_none(), "{v}");
}

/// Seed, AFMT: "Software licenses are perpetual and have an expiration date
/// of 1/1/2100" (the LMS/AFMT table); the New Activation File form has no
/// expiration date. A production activation file with another date is
/// refused on the AFMT path; `license new` without an account (the
/// issuer's tool) still writes what it is told.
#[test]
fn ltr_376_afmt_production_activation_files_are_perpetual() {
    // Seed rules LTR-376-perpetual-expires-2100, LTR-190-development-one-year
    // (docs/seed-rules.md).
    let dir = tempfile::tempdir().expect("tmp");
    let acct = copy_account(dir.path());
    free_server(&acct);
    let out = dir.path().join("p.I3Lic");
    let parts = ["SW-001-4.0-SL03=1", "SW-001-4.0-AL06=5"];
    for cmd in [&["account", "generate"][..], &["license", "new"][..]] {
        let err = refused(&afmt(
            cmd,
            &acct,
            &out,
            "production",
            &parts,
            &["--expires", "2030-01-01"],
        ));
        assert!(err.contains("perpetual") && err.contains("1/1/2100"), "{err}");
        assert!(!out.exists());
    }
    // Ordered development runs one year: another date is refused the same way.
    let err = refused(&afmt(
        &["account", "generate"],
        &acct,
        &out,
        "development-small",
        &["SW-001-4.0-IDS2=1"],
        &["--expires", "2030-01-01"],
    ));
    assert!(err.contains("one year"), "{err}");
    // Without --expires: 2100-01-01.
    let v = ok_json(&afmt(&["account", "generate"], &acct, &out, "production", &parts, &[]));
    assert_eq!(v["action"], "generated");
    let shown = ok_json(&run(&["license", "show", s(&out), "--format", "json"]));
    assert_eq!(shown["expires"], "2100-01-01");
    assert_eq!(shown["perpetual"], true);
    // The issuer's own tool is not the AFMT.
    let k = key();
    let free = dir.path().join("free.I3Lic");
    let made = run(&[
        "license",
        "new",
        "--level",
        "production",
        "--host-id",
        "H",
        "--machine",
        "m",
        "--part",
        "SW-001-4.0-AL06=5",
        "--expires",
        "2030-01-01",
        "--sign-key",
        s(&k),
        "-o",
        s(&free),
    ]);
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
}

/// Seed, New Activation File: "From the list boxes, select an Install Site,
/// Product, Product Version, and License Type"; the Upgrade Software tab
/// "Provides ability to upgrade licenses to a newer version" (3.0 -> 4.0).
/// CIC 3.0 ordered items are not drawn into a 4.0 or later activation file
/// (2015 R1 on follow 4.0) until they are upgraded, nor 4.0 items into a
/// 3.0 file; the refusal says what to do.
#[test]
fn ltr_982_ordered_items_match_the_product_version() {
    // Seed rules LTR-982-select-product-version, LTR-372-upgrade-to-newer-version (docs/seed-rules.md).
    let dir = tempfile::tempdir().expect("tmp");
    let acct = copy_account(dir.path());
    let before = std::fs::read(&acct).expect("read");
    let out = dir.path().join("v.I3Lic");
    let old = ["SW-001-3.0-IDS1=1", "SW-001-3.0-AL02=5"];
    for version in ["2020 R2", "4.0", "2015 R1"] {
        let err = refused(&afmt(
            &["account", "generate"],
            &acct,
            &out,
            "production",
            &old,
            &["--product-version", version],
        ));
        assert!(
            err.contains("SW-001-3.0-IDS1") && err.contains("SW-001-3.0-AL02"),
            "{err}"
        );
        assert!(err.contains("Upgrade Software") && err.contains("3.0 -> 4.0"), "{err}");
        assert!(!out.exists());
        assert_eq!(std::fs::read(&acct).expect("read"), before);
    }
    // Mixed with a 4.0 server: the 3.0 part is named.
    let err = refused(&afmt(
        &["account", "generate"],
        &acct,
        &out,
        "development-small",
        &["SW-001-4.0-IDS2=1", "SW-001-3.0-AL02=5"],
        &[],
    ));
    assert!(err.contains("SW-001-3.0-AL02"), "{err}");
    // 4.0 items into a 3.0 file: refused too.
    let err = refused(&afmt(
        &["account", "generate"],
        &acct,
        &out,
        "development-small",
        &["SW-001-4.0-IDS2=1"],
        &["--product-version", "3.0"],
    ));
    assert!(err.contains("SW-001-4.0-IDS2") && err.contains("CIC 3.0"), "{err}");
    // 3.0 items for a 3.0 file: generated.
    let v = ok_json(&afmt(
        &["account", "generate"],
        &acct,
        &out,
        "production",
        &old,
        &["--product-version", "3.0"],
    ));
    assert_eq!(v["action"], "generated");
    // After the upgrade, the same units (now 4.0) go into 2020 R2.
    let dir2 = tempfile::tempdir().expect("tmp");
    let acct2 = copy_account(dir2.path());
    let k = key();
    let up = run(&[
        "account",
        "upgrade",
        s(&acct2),
        "--all",
        "--mirror",
        "--sign-key",
        s(&k),
    ]);
    assert!(up.status.success(), "{}", String::from_utf8_lossy(&up.stderr));
    let out2 = dir2.path().join("u.I3Lic");
    let v = ok_json(&afmt(
        &["account", "generate"],
        &acct2,
        &out2,
        "development-small",
        &["SW-001-4.0-IDS1=1", "SW-001-4.0-AL02=5"],
        &[],
    ));
    assert_eq!(v["action"], "generated", "{v}");
}

// ---- F7: the call ports of stage 1 ----

/// Seed, Appendix B: stage 1 "Fully functional. Your system meets the
/// enforcement rules or the ramp date hasn't expired." Call ports are
/// limited only from stage 5; before that the table says all licensed call
/// ports are available, not "none".
#[test]
fn ltr_1766_a_fully_functional_system_keeps_all_call_ports() {
    // Seed rules LTR-1766-stage-fully-functional, LTR-1770-stage-twenty-percent (docs/seed-rules.md).
    let lic = asset("demo-virtual-cloud.I3Lic");
    let table = run(&["enforcement", "--license", s(&lic), "--at", "2020-06-02T00:00:00"]);
    assert!(table.status.success());
    let text = String::from_utf8_lossy(&table.stdout);
    assert!(text.contains("Stage          1"), "{text}");
    let line = text
        .lines()
        .find(|l| l.starts_with("Call ports"))
        .expect("call ports line");
    assert!(!line.contains("none"), "{line}");
    assert!(line.contains("all licensed call ports"), "{line}");
    // The JSON contract is unchanged: no limit is null.
    let v = ok_json(&run(&[
        "enforcement",
        "--license",
        s(&lic),
        "--at",
        "2020-06-02T00:00:00",
        "--format",
        "json",
    ]));
    assert_eq!(v["status"]["call_port_limit"], Value::Null, "{v}");
    // Stage 6 still says two.
    let text =
        String::from_utf8_lossy(&run(&["enforcement", "--license", s(&lic), "--at", "2021-06-02T00:00:00"]).stdout)
            .into_owned();
    let line = text
        .lines()
        .find(|l| l.starts_with("Call ports"))
        .expect("call ports line");
    assert!(line.contains("2 call ports"), "{text}");
}

// ---- F8: a switchover server that is the primary ----

/// Seed: "CIC 4.0 Production licenses include information for both IC
/// servers in a switchover pair"; the switchover Host ID is "the host ID
/// for the MAC address of the network card on the second IC server in the
/// switchover pair", and "The host ID is the code that uniquely identifies
/// a server". A switchover with the primary's host ID (or machine name) is
/// refused by the generator and flagged by `check`.
#[test]
fn ltr_922_the_switchover_server_is_a_second_server() {
    // Seed rules LTR-922-switchover-pair, LTR-1044-switchover-second-server, LTR-1048-switchover-machine-name,
    // LTR-1034-host-id-locks-license
    // (docs/seed-rules.md).
    let pair = |host: &str, machine: &str| {
        let mut o = order("2020 R2", &[], &["I3_ACCESS_CLIENT=1"]);
        o.host_id = "H1".into();
        o.machine = "cic1".into();
        o.switchover = Some(Switchover {
            host_id: host.into(),
            machine_name: machine.into(),
        });
        o
    };
    for (host, machine) in [("H1", "cic2"), (" h1 ", "cic2"), ("H2", "CIC1")] {
        let err = generate::build(&pair(host, machine)).expect_err(host).to_string();
        assert!(err.contains("second IC server"), "{err}");
    }
    generate::build(&pair("H2", "cic2")).expect("a real pair");
    // The command line refuses it and writes nothing.
    let dir = tempfile::tempdir().expect("tmp");
    let out = dir.path().join("f8.I3Lic");
    let k = key();
    let err = refused(&run(&[
        "license",
        "new",
        "--level",
        "production",
        "--host-id",
        "H1",
        "--machine",
        "cic1",
        "--switchover-host-id",
        "H1",
        "--switchover-machine",
        "cic1",
        "--part",
        "SW-001-4.0-AL04=5",
        "--sign-key",
        s(&k),
        "-o",
        s(&out),
    ]));
    assert!(err.contains("second IC server"), "{err}");
    assert!(!out.exists());
    // A file that has it anyway: a warning naming both.
    let mut file = generate::build(&pair("H2", "cic2")).expect("pair");
    if let Some(sw) = file.server.switchover.as_mut() {
        sw.host_id = "H1".into();
    }
    let d = doc(
        loaded(&file),
        json!({"format": 1, "server": {"host_id": "H1", "machine_name": "cic1"}}),
    );
    let w = diag(&d, "switchover-same-server").unwrap_or_else(|| panic!("{:?}", codes(&d)));
    assert_eq!(w.severity, Severity::Warning);
    assert!(w.message.contains("H1"), "{}", w.message);
    let d = doc(
        loaded(&generate::build(&pair("H2", "cic2")).expect("pair")),
        json!({"format": 1, "server": {"host_id": "H1", "machine_name": "cic1"}}),
    );
    assert!(diag(&d, "switchover-same-server").is_none());
}
