//! The Activation File Management Tool after issue #29: what it will not
//! generate (trial and add-on bundles, subscription, mixed estate), what
//! its New Activation File form requires (Machine Name, one valid server
//! item), the partner's unlimited non-ordered development licenses, the
//! Activation File Activity filters, the Install Sites tab and the Genesys
//! Activation File Request Tool, through the command line and the core.
//! Each test quotes the seed and names the register ids it implements.

use std::path::{Path, PathBuf};
use std::process::Output;

use ia_licensing::core::account::{self, Account, DrawnItem, OrderedItem};
use ia_licensing::core::license::TrustStore;
use ia_licensing::core::license::generate::{Order, Quantity};
use serde_json::Value;

use crate::util::*;

const SITE: &str = "Test Install Site";

fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("run")
}

fn ok(out: &Output) -> Value {
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("json")
}

/// The refusal's message (exit 2, one line on stderr).
fn refused(out: &Output) -> String {
    assert_eq!(
        out.status.code(),
        Some(2),
        "expected a refusal: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn copy_account(dir: &Path) -> PathBuf {
    let p = dir.join("account.ialacct");
    std::fs::copy(asset("demo.ialacct"), &p).expect("copy");
    p
}

fn key() -> PathBuf {
    asset("keys/demo-issuer.key")
}

/// `account generate` at the seed's site with these parts and options.
fn generate(account: &Path, out: &Path, parts: &[&str], extra: &[&str]) -> Output {
    let k = key();
    let mut args = vec![
        "account",
        "generate",
        "--account",
        s(account),
        "--install-site",
        SITE,
        "--host-id",
        "G807test",
        "--machine",
        "testing",
        "--generated",
        "2026-01-05",
        "--sign-key",
        s(&k),
        "-o",
        s(out),
        "--format",
        "json",
    ];
    if !extra.contains(&"--level") {
        args.extend(["--level", "production"]);
    }
    for p in parts {
        args.extend(["--part", p]);
    }
    args.extend_from_slice(extra);
    run(&args)
}

fn available(account: &Path, part: &str) -> i64 {
    account::load(account, &TrustStore::with_demo())
        .expect("load")
        .0
        .available(part, Some(SITE))
}

// ---- What AFMT will not generate ----

/// Seed, New Activation File tab: "Trial bundle licenses and add-on bundle
/// licenses are not available in the Activation File Management Tool." The
/// AFMT path refuses both and points to the request tool; `license new`
/// without an account (the issuer's own tool) still makes a trial.
#[test]
fn trial_and_add_on_bundles_are_refused_on_the_afmt_path_only() {
    // Seed rule LTR-629-no-trial-or-add-on-bundles (docs/seed-rules.md).
    let dir = tempfile::tempdir().expect("tmp");
    let acct = copy_account(dir.path());
    let before = std::fs::read(&acct).expect("read");
    let out = dir.path().join("t.I3Lic");
    for cmd in ["account generate", "license new"] {
        let k = key();
        let mut args: Vec<&str> = cmd.split(' ').collect();
        args.extend([
            "--account",
            s(&acct),
            "--install-site",
            SITE,
            "--level",
            "trial",
            "--host-id",
            "H",
            "--machine",
            "m",
            "--part",
            "SW-001-4.0-PL09=1",
            "--part",
            "SW-001-4.0-IDS2=1",
            "--sign-key",
            s(&k),
            "-o",
            s(&out),
        ]);
        let err = refused(&run(&args));
        assert!(err.contains("Trial bundle licenses are not available"), "{cmd}: {err}");
        assert!(err.contains("Genesys Activation File Request Tool"), "{cmd}: {err}");
        assert!(err.contains("account request"), "{cmd}: {err}");
    }
    // Add-on items alone are an add-on bundle.
    let err = refused(&generate(&acct, &out, &["SW-001-3.0-AA01=1", "SW-001-3.0-AA08=2"], &[]));
    assert!(
        err.contains("Add-on bundle licenses are not available") && err.contains("SW-001-3.0-AA01"),
        "{err}"
    );
    assert!(err.contains("Activation File Request Tool"), "{err}");
    assert_eq!(std::fs::read(&acct).expect("read"), before, "nothing drawn");
    assert!(!out.exists());
    // An add-on with its server item is a server license: generated.
    ok(&generate(
        &acct,
        &out,
        &["SW-001-3.0-AA01=1", "SW-001-3.0-IDS1=1"],
        &["--product-version", "3.0"],
    ));
    // Without an account, a trial is still the issuer's to make.
    let k = key();
    let trial = dir.path().join("trial.I3Lic");
    ok(&run(&[
        "license",
        "new",
        "--level",
        "trial",
        "--host-id",
        "H",
        "--machine",
        "m",
        "--license",
        "I3_ACCESS_CLIENT=1",
        "--sign-key",
        s(&k),
        "-o",
        s(&trial),
        "--format",
        "json",
    ]));
}

/// Seed, AFMT: "The Activation File Management Tool (AFMT) allows customers
/// with a perpetual license to manage and configure their PureConnect
/// product licenses. Subscription customers must request a license from the
/// Genesys Licensing Team." Request a License File: "If you need
/// Subscription or Mixed Estate activation files, you must submit a request
/// using this tool because only Genesys Licensing can generate these types
/// of activation files."
#[test]
fn subscription_licenses_are_refused_on_the_afmt_path_and_pointed_to_the_request_tool() {
    // Seed rules LTR-363-afmt-perpetual-only, LTR-1081-subscription-mixed-estate-genesys-only
    // (docs/seed-rules.md).
    let dir = tempfile::tempdir().expect("tmp");
    let acct = copy_account(dir.path());
    let before = std::fs::read(&acct).expect("read");
    let out = dir.path().join("s.I3Lic");
    let parts = ["SW-001-4.0-PL09=1", "SW-001-4.0-IDS2=1"];
    for features in [
        vec!["--feature", "I3_FEATURE_USAGE_TRACKING_UPLOAD"],
        vec!["--feature", "I3_FEATURE_USAGE_TRACKING_LOCAL"],
        vec!["--feature", "I3_FEATURE_USAGE_TRACKING"],
        vec![
            "--feature",
            "I3_FEATURE_VIRTUAL_CLOUD",
            "--ramp-date",
            "2026-03-01",
            "--grace-days",
            "7",
        ],
        // A virtual cloud license before 2020 R2 is refused too (for being
        // a subscription, before its version is looked at).
        vec![
            "--feature",
            "I3_FEATURE_USAGE_VIRTUAL_CLOUD",
            "--ramp-date",
            "2026-03-01",
            "--grace-days",
            "7",
            "--product-version",
            "2019 R4",
        ],
    ] {
        let err = refused(&generate(&acct, &out, &parts, &features));
        assert!(
            err.contains("Subscription activation files") && err.contains("only Genesys Licensing can generate"),
            "{features:?}: {err}"
        );
        if features.contains(&"2019 R4") {
            assert!(
                err.contains("starting with PureConnect 2020 R2") && err.contains("2019 R4"),
                "{err}"
            );
        }
        assert!(err.contains("Genesys Activation File Request Tool"), "{err}");
    }
    assert_eq!(std::fs::read(&acct).expect("read"), before, "nothing drawn");
    // Mixed estate: an account whose site has perpetual and subscription
    // (non-perpetual) units of a part.
    let mut a = Account::new("Mixed");
    for (part, quantity, perpetual) in [
        ("SW-001-4.0-AL02", 10, true),
        ("SW-001-4.0-AL02", 5, false),
        ("SW-001-4.0-AL04", 5, false),
        ("SW-001-4.0-SL03", 2, true),
    ] {
        a.ordered_items.push(OrderedItem {
            part_number: part.into(),
            quantity,
            perpetual,
            install_site: "HQ".into(),
            mirroring_available: false,
            mirrored: false,
        });
    }
    let order = |parts: &[&str]| Order {
        host_id: "H".into(),
        machine: "m".into(),
        system_type: "Media Server Based".into(),
        install_site: "HQ".into(),
        generated_by: "t".into(),
        generated: date(2026, 1, 5),
        parts: parts.iter().map(|p| p.parse::<Quantity>().expect("q")).collect(),
        ..crate::util::base_order()
    };
    let demo_key = ia_licensing::core::license::signing::demo_issuer_key().expect("key");
    // Within the perpetual units: fine.
    account::draw(
        &a,
        &order(&["SW-001-4.0-AL02=10", "SW-001-4.0-SL03=1"]),
        &demo_key,
        None,
    )
    .expect("perpetual");
    // Past them, into the subscription units: a mixed estate.
    let err = account::draw(
        &a,
        &order(&["SW-001-4.0-AL02=12", "SW-001-4.0-SL03=1"]),
        &demo_key,
        None,
    )
    .expect_err("mixed")
    .to_string();
    assert!(
        err.contains("Mixed Estate") && err.contains("only Genesys Licensing"),
        "{err}"
    );
    assert!(err.contains("Activation File Request Tool"), "{err}");
    // A part bought only on subscription, with the perpetual server item:
    // mixed too; on its own it is a subscription.
    let err = account::draw(&a, &order(&["SW-001-4.0-AL04=1", "SW-001-4.0-SL03=1"]), &demo_key, None)
        .expect_err("mixed")
        .to_string();
    assert!(err.contains("Mixed Estate"), "{err}");
    let mut sub_only = a.clone();
    sub_only.ordered_items.retain(|i| i.part_number != "SW-001-4.0-SL03");
    sub_only.ordered_items.push(OrderedItem {
        part_number: "SW-001-4.0-SL03".into(),
        quantity: 1,
        perpetual: false,
        install_site: "HQ".into(),
        mirroring_available: false,
        mirrored: false,
    });
    let err = account::draw(
        &sub_only,
        &order(&["SW-001-4.0-AL04=1", "SW-001-4.0-SL03=1"]),
        &demo_key,
        None,
    )
    .expect_err("subscription")
    .to_string();
    assert!(err.contains("Subscription activation files"), "{err}");
}

// ---- The New Activation File form ----

/// Seed, New Activation File: "Machine Name *" — required; a blank (or
/// spaces) is refused on the AFMT path.
#[test]
fn a_blank_machine_name_is_refused() {
    // Seed rule LTR-646-machine-name-required (docs/seed-rules.md).
    let dir = tempfile::tempdir().expect("tmp");
    let acct = copy_account(dir.path());
    let out = dir.path().join("m.I3Lic");
    for blank in ["", "   ", "\t"] {
        let k = key();
        let err = refused(&run(&[
            "account",
            "generate",
            "--account",
            s(&acct),
            "--install-site",
            SITE,
            "--level",
            "production",
            "--host-id",
            "G807test",
            "--machine",
            blank,
            "--part",
            "SW-001-4.0-IDS2=1",
            "--sign-key",
            s(&k),
            "-o",
            s(&out),
        ]));
        assert!(err.contains("Machine Name is required"), "{blank:?}: {err}");
    }
    assert_eq!(available(&acct, "SW-001-4.0-IDS2"), 1);
    ok(&generate(&acct, &out, &["SW-001-4.0-IDS2=1"], &[]));
}

/// Seed, New Activation File: "Select One Valid Server Item". None, two
/// different ones, or two units of one are refused, naming what is
/// available; one is generated.
#[test]
fn exactly_one_valid_server_item() {
    // Seed rule LTR-653-one-valid-server-item (docs/seed-rules.md).
    let dir = tempfile::tempdir().expect("tmp");
    let acct = copy_account(dir.path());
    let out = dir.path().join("srv.I3Lic");
    let err = refused(&generate(&acct, &out, &["SW-001-4.0-PL09=1"], &[]));
    assert!(
        err.contains("Select One Valid Server Item") && err.contains("no server item"),
        "{err}"
    );
    assert!(err.contains("SW-001-4.0-IDS2"), "names what is available: {err}");
    assert!(!err.contains("SW-001-4.0-SL03 "), "SL03 has none available: {err}");
    let err = refused(&generate(
        &acct,
        &out,
        &["SW-001-4.0-PL09=1", "SW-001-4.0-IDS2=1", "SW-001-3.0-IDS1=1"],
        &[],
    ));
    assert!(
        err.contains("Select One Valid Server Item") && err.contains("SW-001-4.0-IDS2 (1) and SW-001-3.0-IDS1 (1)"),
        "{err}"
    );
    assert!(!out.exists());
    // Two units of one server item: an account with two SL03 at a site.
    let mut a = Account::new("Two servers");
    for (part, q) in [("SW-001-4.0-SL03", 2), ("SW-001-4.0-AL02", 10)] {
        a.ordered_items.push(OrderedItem {
            part_number: part.into(),
            quantity: q,
            perpetual: true,
            install_site: "HQ".into(),
            mirroring_available: false,
            mirrored: false,
        });
    }
    let k = ia_licensing::core::license::signing::demo_issuer_key().expect("key");
    let mut order = Order {
        host_id: "H".into(),
        machine: "m".into(),
        install_site: "HQ".into(),
        generated_by: "t".into(),
        generated: date(2026, 1, 5),
        parts: vec![
            "SW-001-4.0-SL03=2".parse().expect("q"),
            "SW-001-4.0-AL02=1".parse().expect("q"),
        ],
        ..crate::util::base_order()
    };
    let err = account::draw(&a, &order, &k, None).expect_err("two units").to_string();
    assert!(err.contains("SW-001-4.0-SL03 (2)"), "{err}");
    order.parts[0] = "SW-001-4.0-SL03=1".parse().expect("q");
    let drawn = account::draw(&a, &order, &k, None).expect("one");
    assert_eq!(
        drawn.items,
        vec![
            DrawnItem {
                part_number: "SW-001-4.0-SL03".into(),
                quantity: 1
            },
            DrawnItem {
                part_number: "SW-001-4.0-AL02".into(),
                quantity: 1
            }
        ]
    );
    // One server item is enough on its own.
    let v = ok(&generate(&acct, &out, &["SW-001-4.0-IDS2=1"], &[]));
    assert_eq!(v["action"], "generated");
}

/// Seed, Who can generate licenses: "Certified partner employees can
/// generate an unlimited number of 30-day non-ordered development licenses
/// for any product and any configuration." On the AFMT path
/// `--non-ordered` draws nothing: Available stays, any configuration (even
/// parts the site never ordered, or none) is accepted, again and again.
#[test]
fn non_ordered_partner_development_licenses_are_unlimited() {
    // Seed rules LTR-728-partner-unlimited-development, LTR-728-partner-thirty-days (docs/seed-rules.md).
    let dir = tempfile::tempdir().expect("tmp");
    let acct = copy_account(dir.path());
    let before = ia_licensing::core::account::load(&acct, &TrustStore::with_demo())
        .expect("load")
        .0
        .summary(Some(SITE));
    for (i, parts) in [
        vec!["SW-001-4.0-PL09=49"],
        vec!["SW-001-4.0-PL09=1000"],
        vec!["SW-001-4.0-AL04=25"],
        vec![],
        vec!["SW-001-4.0-IDS2=1", "SW-001-4.0-SL03=1"],
    ]
    .into_iter()
    .enumerate()
    {
        let out = dir.path().join(format!("dev{i}.I3Lic"));
        let v = ok(&generate(
            &acct,
            &out,
            &parts,
            &["--level", "development-large", "--non-ordered"],
        ));
        assert_eq!(v["action"], "generated", "{parts:?}");
        let shown = ok(&run(&["license", "show", s(&out), "--format", "json"]));
        assert_eq!(shown["expires"], "2026-02-03", "30 days from 2026-01-05 (day 1)");
    }
    let after = ia_licensing::core::account::load(&acct, &TrustStore::with_demo())
        .expect("load")
        .0;
    assert_eq!(after.summary(Some(SITE)), before, "nothing drawn");
    let partner: Vec<_> = after.activation_files.iter().filter(|f| f.non_ordered).collect();
    assert_eq!(partner.len(), 5);
    assert!(partner.iter().all(|f| f.items.is_empty() && f.active));
    // Not for a production level, and the form's other rules still hold.
    let out = dir.path().join("x.I3Lic");
    let err = refused(&generate(&acct, &out, &[], &["--non-ordered"]));
    assert!(err.contains("development"), "{err}");
    let k = key();
    let err = refused(&run(&[
        "account",
        "generate",
        "--account",
        s(&acct),
        "--install-site",
        SITE,
        "--level",
        "development-small",
        "--non-ordered",
        "--host-id",
        "H",
        "--machine",
        " ",
        "--sign-key",
        s(&k),
        "-o",
        s(&out),
    ]));
    assert!(err.contains("Machine Name is required"), "{err}");
    // Without --non-ordered a development license draws as before.
    let err = refused(&generate(
        &acct,
        &out,
        &["SW-001-4.0-PL09=1000", "SW-001-4.0-IDS2=1"],
        &["--level", "development-large"],
    ));
    assert!(err.contains("only 49 available"), "{err}");
}

// ---- Activation File Activity filters ----

/// An account with varied activation files: the seed's AF-0001 (production,
/// 2018-08-30, Work TestIS0, testing) and four partner development files.
fn varied(dir: &Path) -> PathBuf {
    let acct = copy_account(dir);
    let k = key();
    for (i, (day, machine, by, level)) in [
        ("2026-01-05", "dev-a", "Pat Partner", "development-small"),
        ("2026-02-10", "dev-b", "Pat Partner", "development-large"),
        ("2026-03-15", "dev-c", "Sam Other", "development-large"),
        ("2026-03-31", "dev-d", "Sam Other", "development-small"),
    ]
    .into_iter()
    .enumerate()
    {
        let out = dir.join(format!("v{i}.I3Lic"));
        ok(&run(&[
            "account",
            "generate",
            "--account",
            s(&acct),
            "--install-site",
            SITE,
            "--level",
            level,
            "--non-ordered",
            "--host-id",
            "H",
            "--machine",
            machine,
            "--generated-by",
            by,
            "--generated",
            day,
            "--product-version",
            if i == 0 { "2020 R2" } else { "2021 R1" },
            "--sign-key",
            s(&k),
            "-o",
            s(&out),
            "--format",
            "json",
        ]));
    }
    // AF-0003 (dev-b) is deactivated.
    ok(&run(&[
        "account",
        "deactivate",
        s(&acct),
        "--id",
        "AF-0003",
        "--sign-key",
        s(&k),
        "--format",
        "json",
    ]));
    acct
}

fn ids(acct: &Path, filters: &[&str]) -> Vec<String> {
    let mut args = vec!["account", "show", s(acct), "--format", "json"];
    args.extend_from_slice(filters);
    let v = ok(&run(&args));
    v["activation_files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| f["id"].as_str().expect("id").to_string())
        .collect()
}

/// Seed, View licenses for an account: "Use the filtering options to view
/// active and inactive licenses generated for an account", with each
/// option's row; [Blank] is any.
#[test]
fn activation_file_activity_filters_as_the_seed_describes_them() {
    // Seed rules LTR-500-activity-filters, LTR-503-filter-install-site, LTR-504-filter-generated-after,
    // LTR-505-filter-generated-before, LTR-506-filter-active, LTR-507-filter-product-line,
    // LTR-508-filter-license-type, LTR-509-filter-generated-by, LTR-510-filter-machine-name (docs/seed-rules.md).
    let dir = tempfile::tempdir().expect("tmp");
    let acct = varied(dir.path());
    let all = ["AF-0001", "AF-0002", "AF-0003", "AF-0004", "AF-0005"];
    // The command lists every file unless asked (the screen starts at Yes).
    assert_eq!(ids(&acct, &[]), all);
    // Active: Yes / No / All.
    assert_eq!(
        ids(&acct, &["--active", "yes"]),
        ["AF-0001", "AF-0002", "AF-0004", "AF-0005"]
    );
    assert_eq!(ids(&acct, &["--active", "no"]), ["AF-0003"]);
    assert_eq!(ids(&acct, &["--active", "all"]), all);
    // Generation Date (>=) and (<=), inclusive, alone or as a range.
    assert_eq!(
        ids(&acct, &["--generated-from", "2026-02-10"]),
        ["AF-0003", "AF-0004", "AF-0005"]
    );
    assert_eq!(
        ids(&acct, &["--generated-to", "2026-02-10"]),
        ["AF-0001", "AF-0002", "AF-0003"]
    );
    assert_eq!(
        ids(
            &acct,
            &["--generated-from", "2026-02-10", "--generated-to", "2026-03-15"]
        ),
        ["AF-0003", "AF-0004"]
    );
    assert_eq!(
        ids(
            &acct,
            &["--generated-from", "2026-03-31", "--generated-to", "2026-03-31"]
        ),
        ["AF-0005"]
    );
    let err = refused(&run(&[
        "account",
        "show",
        s(&acct),
        "--generated-from",
        "2026-04-01",
        "--generated-to",
        "2026-03-01",
    ]));
    assert!(err.contains("after --generated-to"), "{err}");
    // The tool's own way of writing dates is read too; a day-first date
    // is not a date.
    assert_eq!(ids(&acct, &["--generated-from", "03/15/2026"]), ["AF-0004", "AF-0005"]);
    let err = refused(&run(&["account", "show", s(&acct), "--generated-from", "31/03/2026"]));
    assert!(err.contains("31/03/2026"), "{err}");
    // Product Line: a line takes every version; a product only itself.
    assert_eq!(ids(&acct, &["--product-line", "CIC"]), all);
    assert_eq!(ids(&acct, &["--product-line", "cic 4.0"]), ["AF-0001"]);
    assert_eq!(
        ids(&acct, &["--product-line", "CIC 2021 R1"]),
        ["AF-0003", "AF-0004", "AF-0005"]
    );
    assert!(ids(&acct, &["--product-line", "CI"]).is_empty());
    // License Type: by code, label, or development for both sizes.
    assert_eq!(ids(&acct, &["--license-type", "production"]), ["AF-0001"]);
    assert_eq!(
        ids(&acct, &["--license-type", "Development (large)"]),
        ["AF-0003", "AF-0004"]
    );
    assert_eq!(
        ids(&acct, &["--license-type", "development"]),
        ["AF-0002", "AF-0003", "AF-0004", "AF-0005"]
    );
    // Generated By and Machine Name: that person / that computer only.
    assert_eq!(ids(&acct, &["--generated-by", "sam other"]), ["AF-0004", "AF-0005"]);
    assert_eq!(ids(&acct, &["--generated-by", "Work TestIS0"]), ["AF-0001"]);
    assert_eq!(ids(&acct, &["--machine", "DEV-B"]), ["AF-0003"]);
    assert!(ids(&acct, &["--machine", "dev"]).is_empty());
    // Install Site, and every filter at once.
    assert_eq!(ids(&acct, &["--install-site", SITE]), all);
    // A site the account does not have is a typo, not an empty list.
    let err = refused(&run(&["account", "show", s(&acct), "--install-site", "Elsewhere"]));
    assert!(err.contains("no install site `Elsewhere`"), "{err}");
    assert_eq!(
        ids(
            &acct,
            &[
                "--active",
                "yes",
                "--generated-from",
                "2026-01-01",
                "--license-type",
                "development",
                "--generated-by",
                "Sam Other",
                "--machine",
                "dev-d",
                "--product-line",
                "CIC",
                "--install-site",
                SITE
            ]
        ),
        ["AF-0005"]
    );
    // The filter applied is in the JSON; the table says how many.
    let v = ok(&run(&[
        "account",
        "show",
        s(&acct),
        "--active",
        "no",
        "--format",
        "json",
    ]));
    assert_eq!(v["activity_filter"]["active"], "no");
    let table = run(&["account", "show", s(&acct), "--active", "no"]);
    assert!(String::from_utf8_lossy(&table.stdout).contains("Number of Total Results # 1"));
}

// ---- Install Sites ----

fn site_cmd(acct: &Path, args: &[&str]) -> Output {
    let k = key();
    let mut all = vec!["account", "site"];
    all.extend_from_slice(args);
    all.extend(["--account", s(acct), "--sign-key", s(&k), "--format", "json"]);
    run(&all)
}

/// Seed, Install Sites tab: "The Install Sites tab allows you to view,
/// edit, create, and deactivate install sites"; "New Install Site: Opens the
/// Install Site Details dialog box to allow you to create an install site";
/// Install Site Details "Name *"; "To deactivate an install site, clear the
/// Active check box".
#[test]
fn install_sites_are_created_edited_and_deactivated_in_the_signed_account() {
    // Seed rules LTR-673-install-sites-tab, LTR-686-new-install-site, LTR-690-install-site-name-required,
    // LTR-700-deactivate-install-site (docs/seed-rules.md).
    let dir = tempfile::tempdir().expect("tmp");
    // An account signed before the tab (no `install_sites`) still verifies
    // and lists its items' site, active, with no address.
    let old = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/account-before-install-sites.ialacct");
    let v = ok(&run(&["account", "show", s(&old), "--format", "json"]));
    assert_eq!(v["account"]["status"], "demo");
    assert_eq!(v["install_site_details"][0]["name"], SITE);
    assert_eq!(v["install_site_details"][0]["active"], true);
    assert!(v["install_site_details"][0].get("city").is_none());
    // The demo account has the seed's record: "Test Install Site 112 Test
    // St Test City Test State Test County 88888 Yes".
    let acct = copy_account(dir.path());
    let v = ok(&run(&["account", "show", s(&acct), "--format", "json"]));
    let row = &v["install_site_details"][0];
    assert_eq!(
        (
            &row["name"],
            &row["address_line_1"],
            &row["city"],
            &row["postal_code"],
            &row["active"]
        ),
        (
            &Value::from(SITE),
            &Value::from("112 Test St"),
            &Value::from("Test City"),
            &Value::from("88888"),
            &Value::from(true)
        )
    );
    // New Install Site: Name is required (blank or spaces), unique.
    for blank in ["", "  "] {
        let err = refused(&site_cmd(&acct, &["add", "--name", blank]));
        assert!(err.contains("Name is required"), "{err}");
    }
    let err = refused(&site_cmd(&acct, &["add", "--name", "test install site"]));
    assert!(err.contains("already exists"), "{err}");
    let v = ok(&site_cmd(
        &acct,
        &[
            "add",
            "--name",
            "North Campus",
            "--address",
            "1 Main St",
            "--city",
            "Indianapolis",
            "--state",
            "IN",
            "--country",
            "USA",
            "--postal-code",
            "46278",
        ],
    ));
    assert_eq!(v["action"], "added");
    assert_eq!(v["install_site"]["city"], "Indianapolis");
    assert_eq!(v["install_site"]["active"], true);
    assert_eq!(v["account"]["status"], "demo", "signed again");
    let err = refused(&site_cmd(&acct, &["add", "--name", "Bad\u{1b}[31m"]));
    assert!(err.contains("control character"), "{err}");
    // Edit: the seed's details for its site; a rename carries the items.
    ok(&site_cmd(
        &acct,
        &[
            "edit",
            "--name",
            SITE,
            "--address",
            "112 Test St",
            "--city",
            "Test City",
            "--state",
            "Test State",
            "--country",
            "Test County",
            "--postal-code",
            "88888",
        ],
    ));
    let v = ok(&site_cmd(&acct, &["edit", "--name", SITE, "--new-name", "Test Site 2"]));
    assert_eq!(v["install_site"]["name"], "Test Site 2");
    assert_eq!(v["install_site"]["address_line_1"], "112 Test St");
    let loaded = account::load(&acct, &TrustStore::with_demo()).expect("load");
    assert_eq!(loaded.1.status.word(), "demo");
    assert!(loaded.0.ordered_items.iter().all(|i| i.install_site == "Test Site 2"));
    assert!(
        loaded
            .0
            .activation_files
            .iter()
            .all(|f| f.install_site == "Test Site 2")
    );
    let err = refused(&site_cmd(
        &acct,
        &["edit", "--name", "Test Site 2", "--new-name", "north campus"],
    ));
    assert!(err.contains("already exists"), "{err}");
    let err = refused(&site_cmd(&acct, &["edit", "--name", "Nowhere", "--city", "X"]));
    assert!(err.contains("no install site `Nowhere`"), "{err}");
    // Deactivate (clear Active): generating there is refused until it is
    // active again; its units stay.
    let v = ok(&site_cmd(&acct, &["deactivate", "--name", "test site 2"]));
    assert_eq!(v["install_site"]["active"], false);
    let err = refused(&site_cmd(&acct, &["deactivate", "--name", "Test Site 2"]));
    assert!(err.contains("not active"), "{err}");
    let out = dir.path().join("g.I3Lic");
    let k = key();
    let generate_at = |site: &str| {
        run(&[
            "account",
            "generate",
            "--account",
            s(&acct),
            "--install-site",
            site,
            "--level",
            "production",
            "--host-id",
            "H",
            "--machine",
            "m",
            "--part",
            "SW-001-4.0-IDS2=1",
            "--sign-key",
            s(&k),
            "-o",
            s(&out),
            "--format",
            "json",
        ])
    };
    let err = refused(&generate_at("Test Site 2"));
    assert!(err.contains("Install site Test Site 2 is not active"), "{err}");
    ok(&site_cmd(&acct, &["edit", "--name", "Test Site 2", "--active", "yes"]));
    ok(&generate_at("Test Site 2"));
    // The records are signed: a site's postal code changed by hand reads as
    // tampered.
    let text = std::fs::read_to_string(&acct).expect("read");
    let edited = text.replacen("\"postal_code\": \"88888\"", "\"postal_code\": \"99999\"", 1);
    assert_ne!(edited, text);
    std::fs::write(&acct, edited).expect("write");
    assert_eq!(
        account::load(&acct, &TrustStore::with_demo())
            .expect("load")
            .1
            .status
            .word(),
        "tampered"
    );
    let err = refused(&site_cmd(&acct, &["add", "--name", "South"]));
    assert!(err.contains("tampered"), "{err}");
}

// ---- The Genesys Activation File Request Tool ----

/// A valid question, as `account request` arguments (field → value).
fn question(acct: &Path, out: &Path) -> Vec<String> {
    [
        "account",
        "request",
        "--account",
        s(acct),
        "--type",
        "question",
        "--first-name",
        "Ann",
        "--last-name",
        "Lee",
        "--email",
        "ann.lee@acme-contact.example",
        "--confirm-email",
        "ann.lee@acme-contact.example",
        "--end-user-account",
        "Genesys Customer Care Platform",
        "--sold-to",
        "Genesys Customer Care Platform",
        "--subject",
        "Subscription license",
        "--description",
        "We need a subscription license for our CIC 2020 R2 server.",
        "-o",
        s(out),
        "--format",
        "json",
    ]
    .into_iter()
    .map(String::from)
    .collect()
}

fn with(args: &[String], flag: &str, value: Option<&str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    let mut done = false;
    while i < args.len() {
        if args[i] == flag {
            if let Some(v) = value {
                out.push(flag.into());
                out.push(v.into());
            }
            i += 2;
            done = true;
            continue;
        }
        out.push(args[i].clone());
        i += 1;
    }
    if !done && let Some(v) = value {
        out.push(flag.into());
        out.push(v.into());
    }
    out
}

fn request(args: &[String]) -> Output {
    bin().args(args).output().expect("run")
}

/// Seed, Request a License File: "Customers and partners can submit
/// PureConnect license file requests through the Genesys Activation File
/// Request Tool. You can also use this tool to communicate with the Genesys
/// Licensing Team about licensing-related issues"; "Enter contact details,
/// account details and choose to submit either a 'Question' or an
/// 'Activation File Request.'" A question is drafted as FILE.json and a
/// readable FILE.txt; nothing is sent.
#[test]
fn a_question_is_drafted_as_json_and_readable_text() {
    // Seed rules LTR-1079-request-tool, LTR-1097-question-or-request, LTR-380-request-tool-no-logon,
    // AFMT-47-request-tool-no-logon, LTR-407-related-question (docs/seed-rules.md).
    let dir = tempfile::tempdir().expect("tmp");
    let acct = copy_account(dir.path());
    let out = dir.path().join("question.json");
    let v = ok(&request(&question(&acct, &out)));
    assert_eq!(v["account"]["status"], "demo");
    assert_eq!(v["request"]["request_type"], "question");
    assert!(v["request"].get("category").is_none());
    let saved: Value = serde_json::from_slice(&std::fs::read(&out).expect("json")).expect("parse");
    assert_eq!(saved["request"]["first_name"], "Ann");
    assert_eq!(saved["request"]["tool"], "Genesys Activation File Request Tool");
    assert!(
        saved["request"]["status"]
            .as_str()
            .is_some_and(|t| t.contains("not sent") && t.contains("no logon credentials"))
    );
    assert_eq!(saved["account"]["name"], "Genesys Customer Care Platform");
    let txt = std::fs::read_to_string(dir.path().join("question.txt")).expect("txt");
    for words in [
        "Request Summary",
        "First Name                    Ann",
        "Corporate Email               ann.lee@acme-contact.example",
        "Request Type                  Question",
        "Subscription license",
        "Step 2 – Add Attachments",
    ] {
        assert!(txt.contains(words), "{words}:\n{txt}");
    }
    assert!(!txt.contains("Activation File Category"), "not for a Question:\n{txt}");
    // The output may not be the account (nor the readable copy land on it).
    let err = refused(&request(&with(&question(&acct, &out), "-o", Some(s(&acct)))));
    assert!(err.contains("account.ialacct"), "{err}");
    let shadow = dir.path().join("account.json");
    let txt_over = dir.path().join("account.txt");
    std::fs::copy(&acct, &txt_over).expect("copy");
    let err = refused(&request(&with(
        &with(&question(&txt_over, &shadow), "--account", Some(s(&txt_over))),
        "-o",
        Some(s(&shadow)),
    )));
    assert!(err.contains("account.txt"), "{err}");
    assert!(!shadow.exists());
}

/// Seed: "If choosing an Activation File Request, select a 'Category'";
/// "You can then choose the 'File Type' you need"; "Urgent: If selected,
/// your request is urgent"; the details section; "Please upload your
/// Original Activation File (if applicable)"; the fields "Not applicable to
/// PureConnect" are left out; "Tip! Enter the Genesys Account Reference
/// Number (GARN)".
#[test]
fn an_activation_file_request_carries_its_category_details_and_attachments() {
    // Seed rules LTR-1079-request-tool, LTR-1099-request-categories, LTR-1105-file-type, LTR-1168-urgent,
    // LTR-1184-request-details-section, LTR-1192-not-applicable-fields, LTR-1238-original-activation-file,
    // LTR-1111-garn (docs/seed-rules.md).
    let dir = tempfile::tempdir().expect("tmp");
    let acct = copy_account(dir.path());
    let out = dir.path().join("afr.json");
    let mut args = with(&question(&acct, &out), "--type", Some("activation-file"));
    for (flag, value) in [
        ("--category", "pay-per-use"),
        ("--file-type", "New Deployment"),
        ("--garn", "GARN-0042"),
        ("--phone", "+1 317 555 0101"),
        ("--employer", "Acme"),
        ("--recipients", "ops@acme-contact.example, it@acme-contact.example"),
        ("--date-needed", "3/20/2027"),
        ("--date-reasoning", "Go-live"),
        ("--host-id", "G807test"),
        ("--backup-host-id", "G807backup"),
        ("--deployment-type", "production"),
        ("--implementation-type", "new deployment"),
        ("--order-number", "PO-7"),
        ("--clarify", "Subscription with usage tracking upload"),
        ("--attach", "site.I3Lic"),
    ] {
        args = with(&args, flag, Some(value));
    }
    args.push("--attach".into());
    args.push("hostid.txt".into());
    args.push("--urgent".into());
    let v = ok(&request(&args));
    let r = &v["request"];
    assert_eq!(r["request_type"], "activation-file");
    assert_eq!(r["category"], "pay-per-use");
    assert_eq!(r["file_type"], "New Deployment");
    assert_eq!(r["urgent"], true);
    assert_eq!(r["end_user_garn"], "GARN-0042");
    assert_eq!(r["date_needed"], "2027-03-20");
    assert_eq!(r["additional_email_recipients"].as_array().map(Vec::len), Some(2));
    assert_eq!(r["details"]["host_id"], "G807test");
    assert_eq!(r["details"]["order_number"], "PO-7");
    assert_eq!(r["attachments"][0], "site.I3Lic", "the original activation file first");
    assert!(
        r["left_out_not_applicable"]
            .as_array()
            .is_some_and(|a| a.iter().any(|f| f == "PBX/SIP") && a.len() == 11)
    );
    let txt = std::fs::read_to_string(dir.path().join("afr.txt")).expect("txt");
    for words in [
        "Activation File Category      Pay-Per-Use or Hosted Environments",
        "Activation File Type          New Deployment",
        "Urgent                        Yes",
        "Date Needed                   3/20/2027",
        "Primary MAC ID or Host ID",
        "not applicable to PureConnect",
        "Original Activation File",
        "- site.I3Lic",
        "- hostid.txt",
    ] {
        assert!(txt.contains(words), "{words}:\n{txt}");
    }
    // Without a GARN (a tip, not a requirement) it is saved too.
    ok(&request(&with(&args, "--garn", None)));
    // Every category, and third-party's own file type only with it.
    for c in ["genesys", "third-party"] {
        ok(&request(&with(&args, "--category", Some(c))));
    }
    let tp = with(&args, "--third-party-type", Some("Nuance"));
    let err = refused(&request(&tp));
    assert!(err.contains("Third Party Activation File Type"), "{err}");
    ok(&request(&with(&tp, "--category", Some("third-party"))));
}

/// The form's checks, each naming its field: every required field blank;
/// mismatched, malformed and webmail addresses; malformed dates; what a
/// Question does not have; an Activation File Request without a Category.
#[test]
fn the_request_form_refuses_what_the_form_would_naming_the_field() {
    // Seed rules LTR-1113-corporate-email, LTR-1176-confirm-email, LTR-1154-category-not-for-questions,
    // LTR-1162-file-type-not-for-questions, LTR-1168-urgent, LTR-1097-question-or-request,
    // LTR-1099-request-categories, LTR-1184-request-details-section (docs/seed-rules.md).
    let dir = tempfile::tempdir().expect("tmp");
    let acct = copy_account(dir.path());
    let out = dir.path().join("r.json");
    let base = question(&acct, &out);
    for (flag, field) in [
        ("--first-name", "First Name"),
        ("--last-name", "Last Name"),
        ("--email", "Corporate Email"),
        ("--confirm-email", "Confirm Corporate Email"),
        ("--end-user-account", "End User Account"),
        ("--sold-to", "Sold To Account"),
        ("--subject", "Subject"),
        ("--description", "Description"),
    ] {
        for blank in ["", "   "] {
            let err = refused(&request(&with(&base, flag, Some(blank))));
            assert!(err.contains(&format!("{field} is required")), "{flag}: {err}");
        }
    }
    assert!(!out.exists(), "nothing saved");
    // Emails.
    let err = refused(&request(&with(
        &base,
        "--confirm-email",
        Some("ann.lee@acme-contact.exampl"),
    )));
    assert!(err.contains("Confirm Corporate Email does not match"), "{err}");
    ok(&request(&with(
        &base,
        "--confirm-email",
        Some("ANN.LEE@acme-contact.example"),
    )));
    for bad in [
        "ann.lee",
        "ann@",
        "@acme.example",
        "ann lee@acme.example",
        "ann@acme",
        "ann@@acme.example",
    ] {
        let args = with(&with(&base, "--email", Some(bad)), "--confirm-email", Some(bad));
        let err = refused(&request(&args));
        assert!(
            err.contains("Corporate Email") && err.contains("well-formed"),
            "{bad}: {err}"
        );
    }
    for webmail in [
        "ann@gmail.com",
        "ann@Hotmail.com",
        "ann@mail.yahoo.com",
        "ann@outlook.com",
    ] {
        let args = with(&with(&base, "--email", Some(webmail)), "--confirm-email", Some(webmail));
        let err = refused(&request(&args));
        assert!(
            err.contains("public webmail domain") && err.contains("corporate email"),
            "{webmail}: {err}"
        );
    }
    let err = refused(&request(&with(
        &base,
        "--recipients",
        Some("ops@acme.example, not-an-address"),
    )));
    assert!(
        err.contains("Additional Email Recipients") && err.contains("not-an-address"),
        "{err}"
    );
    // Dates.
    for bad in [
        "tomorrow",
        "2027-02-30",
        "13/1/2027",
        "20/3/2027",
        "2027/03/20",
        "3-20-2027",
        "3/20/27",
    ] {
        let err = refused(&request(&with(&base, "--date-needed", Some(bad))));
        assert!(
            err.contains("Date Needed") && err.contains("is not a date"),
            "{bad}: {err}"
        );
    }
    for good in ["2027-03-20", "3/20/2027", "12/1/2027"] {
        ok(&request(&with(&base, "--date-needed", Some(good))));
    }
    // A Question has no category, file type, Urgent or details.
    for (flag, value, field) in [
        ("--category", Some("genesys"), "Activation File Category"),
        ("--file-type", Some("Upgrade"), "Activation File Type"),
        ("--host-id", Some("G807test"), "Primary MAC ID or Host ID"),
    ] {
        let err = refused(&request(&with(&base, flag, value)));
        assert!(err.contains(&format!("{field} isn't available")), "{flag}: {err}");
    }
    let mut urgent = base.clone();
    urgent.push("--urgent".into());
    let err = refused(&request(&urgent));
    assert!(err.contains("Urgent isn't available"), "{err}");
    // An Activation File Request needs its Category.
    let err = refused(&request(&with(&base, "--type", Some("activation-file"))));
    assert!(err.contains("Activation File Category is required"), "{err}");
    // Several problems at once: each is named, the first first.
    let many = with(&with(&base, "--first-name", Some("")), "--subject", Some(""));
    let err = refused(&request(&many));
    assert!(
        err.contains("First Name is required") && err.contains("Subject is required"),
        "{err}"
    );
    // Control characters and overlong fields.
    std::fs::remove_file(&out).expect("remove the last saved request");
    let err = refused(&request(&with(&base, "--subject", Some("a\u{1b}[2Jb"))));
    assert!(err.contains("Subject") && err.contains("control character"), "{err}");
    let long = "x".repeat(300);
    let err = refused(&request(&with(&base, "--last-name", Some(&long))));
    assert!(err.contains("Last Name is longer than 255"), "{err}");
    assert!(!out.exists(), "nothing saved by a refusal");
}
