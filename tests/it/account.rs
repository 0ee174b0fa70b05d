//! The AFMT account end to end through the CLI: generate draws down
//! Available, more than is left is refused naming the part and the amount,
//! deactivate returns the units, update raises within what is available,
//! and the mirroring rule refuses a partial upgrade. Quantities come from the
//! seed's Account Summary (AL02 50/50/0, AL06 125/120/5, PL09 169/120/49).

use std::path::{Path, PathBuf};
use std::process::Output;

use crate::util::*;

fn copy_account(dir: &Path) -> PathBuf {
    let path = dir.join("account.ialacct");
    std::fs::copy(asset("demo.ialacct"), &path).expect("copy");
    path
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("run")
}

fn json(out: &Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("json")
}

fn row(summary: &serde_json::Value, part: &str) -> (i64, i64, i64) {
    let r = summary
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["part_number"] == part)
        .unwrap_or_else(|| panic!("no row {part}"));
    (
        r["total"].as_i64().expect("total"),
        r["used"].as_i64().expect("used"),
        r["available"].as_i64().expect("available"),
    )
}

fn generate(account: &Path, out: &Path, parts: &[&str], extra: &[&str]) -> Output {
    let key = asset("keys/demo-issuer.key");
    let mut args = vec![
        "account",
        "generate",
        "--account",
        s(account),
        "--level",
        "production",
        "--host-id",
        "G807test",
        "--machine",
        "testing",
        "--install-site",
        "Test Install Site",
        "--generated",
        "2026-01-01",
        "--sign-key",
        s(&key),
        "-o",
        s(out),
        "--format",
        "json",
    ];
    for p in parts {
        args.push("--part");
        args.push(p);
    }
    args.extend_from_slice(extra);
    run(&args)
}

#[test]
fn show_matches_the_seed_account_summary() {
    // Seed rules LTR-399-summary-al02, LTR-400-summary-al06, LTR-401-summary-ids2, LTR-402-summary-pl04,
    // LTR-403-summary-pl06, LTR-404-summary-pl09, LTR-405-summary-sl03, LTR-417-account-summary
    // (docs/seed-rules.md).
    let v = json(&run(&[
        "account",
        "show",
        s(&asset("demo.ialacct")),
        "--format",
        "json",
    ]));
    assert_eq!(v["account_name"], "Genesys Customer Care Platform");
    assert_eq!(v["account"]["status"], "demo");
    for (part, expected) in [
        ("SW-001-4.0-AL02", (50, 50, 0)),
        ("SW-001-4.0-AL06", (125, 120, 5)),
        ("SW-001-4.0-IDS2", (1, 0, 1)),
        ("SW-001-4.0-PL04", (101, 100, 1)),
        ("SW-001-4.0-PL06", (101, 100, 1)),
        ("SW-001-4.0-PL09", (169, 120, 49)),
        ("SW-001-4.0-SL03", (1, 1, 0)),
    ] {
        assert_eq!(row(&v["summary"], part), expected, "{part}");
    }
    assert_eq!(v["upgrade_options"].as_array().map(Vec::len), Some(9));
    // The same with --account.
    let again = json(&run(&[
        "account",
        "show",
        "--account",
        s(&asset("demo.ialacct")),
        "--format",
        "json",
    ]));
    assert_eq!(again, v);
}

#[test]
fn generate_draws_down_and_refuses_more_than_is_left() {
    // Seed rules LTR-404-summary-pl09, LTR-417-account-summary, LTR-629-new-activation-file, LTR-716-order-first
    // (docs/seed-rules.md).
    let dir = tempfile::tempdir().expect("tmp");
    let key = asset("keys/demo-issuer.key");
    let z = dir.path().join("z.I3Lic");
    let account = copy_account(dir.path());
    let lic = dir.path().join("new.I3Lic");
    // PL09 has 49 available: 40 is fine.
    // With the one server item the form asks for ("Select One Valid Server
    // Item"): the large development system the site has available.
    let v = json(&generate(
        &account,
        &lic,
        &["SW-001-4.0-PL09=40", "SW-001-4.0-AL06=5", "SW-001-4.0-IDS2=1"],
        &[],
    ));
    assert_eq!(v["action"], "generated");
    assert_eq!(v["activation_file"], "AF-0002");
    assert_eq!(row(&v["summary"], "SW-001-4.0-PL09"), (169, 160, 9));
    assert_eq!(row(&v["summary"], "SW-001-4.0-AL06"), (125, 125, 0));
    // The license lists what it was generated from (Ordered Items Used).
    let shown = json(&run(&["license", "show", s(&lic), "--format", "json"]));
    let items: Vec<(String, i64)> = shown["ordered_items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| {
            (
                i["part_number"].as_str().unwrap_or("").to_string(),
                i["quantity"].as_i64().unwrap_or(0),
            )
        })
        .collect();
    assert!(items.contains(&("SW-001-4.0-PL09".into(), 40)), "{items:?}");
    // 10 more PL09: only 9 left — refused, naming the part and the amount.
    let before = std::fs::read(&account).expect("read");
    let out = generate(&account, &dir.path().join("x.I3Lic"), &["SW-001-4.0-PL09=10"], &[]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("SW-001-4.0-PL09") && err.contains("only 9 available"),
        "{err}"
    );
    assert_eq!(
        std::fs::read(&account).expect("read"),
        before,
        "a refusal changes nothing"
    );
    assert!(!dir.path().join("x.I3Lic").exists());
    // A part the site never bought is refused too.
    let out = generate(&account, &dir.path().join("y.I3Lic"), &["SW-001-4.0-AL04=1"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not among the ordered items"));
    // `license new --account` is the same path.
    let out = run(&[
        "license",
        "new",
        "--account",
        s(&account),
        "--level",
        "production",
        "--host-id",
        "H",
        "--machine",
        "m",
        "--install-site",
        "Test Install Site",
        "--part",
        "SW-001-3.0-PL03=9",
        "--part",
        "SW-001-3.0-IDS1=1",
        "--product-version",
        "3.0",
        "--sign-key",
        s(&key),
        "-o",
        s(&z),
        "--format",
        "json",
    ]);
    assert_eq!(row(&json(&out)["summary"], "SW-001-3.0-PL03"), (16, 9, 7));
}

#[test]
fn deactivate_returns_the_items_and_update_raises_within_what_is_available() {
    // Seed rules LTR-576-update-increases, LTR-580-deactivate-reasons, LTR-586-deactivate-returns-units
    // (docs/seed-rules.md).
    let dir = tempfile::tempdir().expect("tmp");
    let key = asset("keys/demo-issuer.key");
    let lic3 = dir.path().join("c.I3Lic");
    let account = copy_account(dir.path());
    // Seed: "When you deactivate a license, the number of lines and
    // workstations are available again for allocation."
    let v = json(&run(&[
        "account",
        "deactivate",
        s(&account),
        "--id",
        "AF-0001",
        "--sign-key",
        s(&key),
        "--format",
        "json",
    ]));
    assert_eq!(row(&v["summary"], "SW-001-4.0-AL02"), (50, 0, 50));
    assert_eq!(row(&v["summary"], "SW-001-4.0-PL09"), (169, 0, 169));
    let again = run(&[
        "account",
        "deactivate",
        s(&account),
        "--id",
        "AF-0001",
        "--sign-key",
        s(&key),
    ]);
    assert_eq!(again.status.code(), Some(2), "already inactive");
    // Generate 20 AL02, then update it to 30: only the difference is drawn.
    let lic = dir.path().join("a.I3Lic");
    let v = json(&generate(
        &account,
        &lic,
        &["SW-001-4.0-AL02=20", "SW-001-4.0-SL03=1"],
        &[],
    ));
    let id = v["activation_file"].as_str().expect("id").to_string();
    let mut args = vec!["account", "update", "--id", id.as_str()];
    let lic2 = dir.path().join("b.I3Lic");
    args.extend_from_slice(&[
        "--account",
        s(&account),
        "--level",
        "production",
        "--host-id",
        "G807test",
        "--machine",
        "testing",
        "--install-site",
        "Test Install Site",
        "--part",
        "SW-001-4.0-AL02=30",
        "--part",
        "SW-001-4.0-SL03=1",
        "--sign-key",
        s(&key),
        "-o",
        s(&lic2),
        "--format",
        "json",
    ]);
    let v = json(&run(&args));
    assert_eq!(v["action"], "updated");
    assert_eq!(row(&v["summary"], "SW-001-4.0-AL02"), (50, 30, 20));
    // Lowering on update is refused.
    let new_id = v["activation_file"].as_str().expect("id").to_string();
    let mut args = vec!["account", "update", "--id", new_id.as_str()];
    args.extend_from_slice(&[
        "--account",
        s(&account),
        "--level",
        "production",
        "--host-id",
        "G807test",
        "--machine",
        "testing",
        "--install-site",
        "Test Install Site",
        "--part",
        "SW-001-4.0-AL02=10",
        "--part",
        "SW-001-4.0-SL03=1",
        "--sign-key",
        s(&key),
        "-o",
        s(&lic3),
    ]);
    let out = run(&args);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("an update raises quantities"));
}

/// Seed, Upgrade Software: "You can select individual products to upgrade.
/// However, if mirroring is available, you must upgrade all products with
/// the upgrade option."
#[test]
fn mirroring_refuses_a_partial_upgrade_and_all_moves_to_4_0() {
    // Seed rules LTR-611-mirroring-all-or-none, LTR-617-upgrade-aa01 (docs/seed-rules.md).
    let dir = tempfile::tempdir().expect("tmp");
    let account = copy_account(dir.path());
    let key = asset("keys/demo-issuer.key");
    let out = run(&[
        "account",
        "upgrade",
        s(&account),
        "--part",
        "SW-001-3.0-AL02",
        "--sign-key",
        s(&key),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("mirroring is available") && err.contains("SW-001-3.0-AA01"),
        "{err}"
    );
    let v = json(&run(&[
        "account",
        "upgrade",
        s(&account),
        "--all",
        "--mirror",
        "--sign-key",
        s(&key),
        "--format",
        "json",
    ]));
    assert_eq!(v["upgraded"].as_array().map(Vec::len), Some(9));
    assert_eq!(v["mirrored"], true);
    // 3.0 Business Client (35) joins the 4.0 Business Client (50).
    assert_eq!(row(&v["summary"], "SW-001-4.0-AL02"), (85, 50, 35));
    assert!(
        !v["summary"]
            .as_array()
            .expect("rows")
            .iter()
            .any(|r| r["part_number"].as_str().is_some_and(|p| p.starts_with("SW-001-3.0")))
    );
    // Without mirroring, parts may be upgraded one at a time.
    let text = std::fs::read_to_string(asset("demo.ialacct"))
        .expect("read")
        .replace("\"mirroring_available\": true", "\"mirroring_available\": false");
    let plain = dir.path().join("plain.ialacct");
    std::fs::write(&plain, text).expect("write");
    // Changed by hand, the account no longer matches its signature: its
    // issuer signs it again on purpose.
    json(&run(&[
        "account",
        "sign",
        s(&plain),
        "--sign-key",
        s(&key),
        "--format",
        "json",
    ]));
    let v = json(&run(&[
        "account",
        "upgrade",
        s(&plain),
        "--part",
        "SW-001-3.0-AL02",
        "--sign-key",
        s(&key),
        "--format",
        "json",
    ]));
    assert_eq!(v["upgraded"].as_array().map(Vec::len), Some(1));
}

#[test]
fn hostile_account_files_are_refused_with_the_reason() {
    let dir = tempfile::tempdir().expect("tmp");
    let cases = [
        ("{", "account file is invalid"),
        (r#"{"format": 9, "account": "A", "ordered_items": []}"#, "newer version"),
        (
            r#"{"format": 1, "account": "A", "ordered_items": [], "x": 1}"#,
            "unknown field",
        ),
        (
            r#"{"format": 1, "account": "A", "ordered_items": [
                {"part_number": "SW-001-4.0-AL02", "quantity": -1, "install_site": "S"}]}"#,
            "quantity -1",
        ),
        (
            r#"{"format": 1, "account": "A", "ordered_items": [
               {"part_number": "SW-001-4.0-AL02", "quantity": 1, "install_site": "S"}],
               "activation_files": [{"id": "AF-1", "generated": "2020-01-01", "expires": "2100-01-01", "active": true,
               "install_site": "S", "generated_by": "g", "machine": "m", "host_id": "h", "product": "CIC 4.0",
               "level": "production", "items": [{"part_number": "SW-001-4.0-AL02", "quantity": 5}]}]}"#,
            "only 1 were ordered",
        ),
        (
            r#"{"format": 1, "account": "A", "account": "B", "ordered_items": []}"#,
            "once",
        ),
    ];
    for (i, (text, expected)) in cases.iter().enumerate() {
        let path = dir.path().join(format!("bad{i}.ialacct"));
        std::fs::write(&path, text).expect("write");
        let out = run(&["account", "show", s(&path)]);
        assert_eq!(out.status.code(), Some(2), "case {i}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(expected), "case {i}: {err}");
    }
    // A directory, a missing file.
    assert_eq!(run(&["account", "show", s(dir.path())]).status.code(), Some(2));
    assert_eq!(
        run(&["account", "show", s(&dir.path().join("none"))]).status.code(),
        Some(2)
    );
}

/// Two processes drawing on one account: the second waits its turn (the
/// lock), so the account never records more than was bought.
#[test]
fn a_locked_account_is_refused_naming_the_holder() {
    let dir = tempfile::tempdir().expect("tmp");
    let account = copy_account(dir.path());
    let _held = ia_licensing::core::account::AccountLock::acquire(&account).expect("lock");
    let out = generate(&account, &dir.path().join("l.I3Lic"), &["SW-001-4.0-PL09=1"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("in use by"));
}
