//! The `license` CLI, run as a user would.

use crate::util::*;
use std::process::Output;
use std::time::{Duration, Instant};

fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("run ia-licensing")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn verify_demo_passes() {
    let o = run(&["license", "verify", asset("demo.I3Lic").to_str().expect("utf8")]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn show_json_has_the_seed_counts() {
    // Seed rule LTR-514-view-license-page (docs/seed-rules.md).
    let o = run(&[
        "license",
        "show",
        asset("demo.I3Lic").to_str().expect("utf8"),
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["status"], "valid");
    assert_eq!(v["issuer"], "demo");
    assert_eq!(v["product"], "CIC");
    assert_eq!(v["product_version"], "4.0");
    assert_eq!(v["level"], "production");
    assert_eq!(v["expires"], "2100-01-01");
    assert_eq!(v["server"]["host_id"], "G807test");
    assert_eq!(v["features"].as_array().map(Vec::len), Some(7));
    let lic = v["licenses"].as_array().expect("licenses");
    let find = |k: &str| lic.iter().find(|l| l["key"] == k).cloned().expect(k);
    assert_eq!(find("I3_ACCESS_SYSTEM_STATUS_SUPERVISOR_PLUGIN")["assigned"], 10);
    assert_eq!(find("I3_ACCESS_SYSTEM_STATUS_SUPERVISOR_PLUGIN")["pooled"], 6);
    assert_eq!(find("I3_ACCESS_CLIENT")["assigned"], 170);
    assert_eq!(find("I3_LICENSE_BASIC_STATION")["label"], "Basic Station");
    assert_eq!(v["ordered_items"].as_array().map(Vec::len), Some(6));
    assert!(v["warnings"].as_array().is_some());
}

#[test]
fn show_table_lists_licenses_like_view_license() {
    // Seed rule LTR-547-example-licenses (docs/seed-rules.md).
    let o = run(&["license", "show", asset("demo.I3Lic").to_str().expect("utf8")]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("I3_ACCESS_SYSTEM_STATUS_SUPERVISOR_PLUGIN (10 assigned, 6 pooled)"),
        "{text}"
    );
    assert!(text.contains("G807test"));
    assert!(text.contains("DEMO"));
}

#[test]
fn bad_files_exit_2_quickly_with_one_line() {
    let dir = tempfile::tempdir().expect("tmp");
    let demo = std::fs::read(asset("demo.I3Lic")).expect("demo");
    let big = dir.path().join("big.I3Lic");
    let f = std::fs::File::create(&big).expect("create");
    f.set_len(100 * 1024 * 1024).expect("sparse 100 MB");
    let cases = [
        ("truncated.I3Lic", demo[..demo.len() / 2].to_vec()),
        (
            "binary.I3Lic",
            (0..4096u32).map(|i| (i.wrapping_mul(2654435761) >> 13) as u8).collect(),
        ),
        ("empty.I3Lic", Vec::new()),
    ];
    let mut paths = vec![big];
    for (name, bytes) in cases {
        let p = dir.path().join(name);
        std::fs::write(&p, bytes).expect("write");
        paths.push(p);
    }
    for p in paths {
        let start = Instant::now();
        let o = run(&["license", "verify", p.to_str().expect("utf8")]);
        assert!(start.elapsed() < Duration::from_secs(10), "slow on {}", p.display());
        assert_eq!(o.status.code(), Some(2), "{}", p.display());
        let err = stderr(&o);
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}

#[test]
fn changing_a_count_is_tampered() {
    let dir = tempfile::tempdir().expect("tmp");
    let text = std::fs::read_to_string(asset("demo.I3Lic")).expect("demo");
    let changed = text.replacen("\"assigned\": 170", "\"assigned\": 171", 1);
    assert_ne!(changed, text);
    let p = dir.path().join("t.I3Lic");
    std::fs::write(&p, changed).expect("write");
    let o = run(&["license", "verify", p.to_str().expect("utf8")]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("tampered"), "{}", stderr(&o));
}

#[test]
fn new_with_al04_and_keygen() {
    // Seed rule LTR-1452-part-al04 (docs/seed-rules.md).
    let dir = tempfile::tempdir().expect("tmp");
    let keys = dir.path().join("keys");
    let o = run(&["license", "keygen", "-o", keys.to_str().expect("utf8")]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(keys.join("issuer.key").exists() && keys.join("issuer.pub").exists());
    let out = dir.path().join("new.I3Lic");
    let o = run(&[
        "license",
        "new",
        "--part",
        "SW-001-4.0-AL04=5+25",
        "--level",
        "production",
        "--host-id",
        "H1",
        "--machine",
        "cic1",
        "--sign-key",
        keys.join("issuer.key").to_str().expect("utf8"),
        "-o",
        out.to_str().expect("utf8"),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // Not trusted until the user says so.
    let o = run(&["license", "verify", out.to_str().expect("utf8")]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("unknown-signer"), "{}", stderr(&o));
    let o = run(&[
        "license",
        "show",
        out.to_str().expect("utf8"),
        "--format",
        "json",
        "--trust",
        keys.join("issuer.pub").to_str().expect("utf8"),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let lic = v["licenses"].as_array().expect("licenses");
    let get = |k: &str| {
        let l = lic.iter().find(|l| l["key"] == k).expect(k);
        (l["assigned"].as_u64(), l["pooled"].as_u64())
    };
    assert_eq!(get("I3_LICENSE_BASIC_STATION"), (Some(30), Some(0)));
    assert_eq!(get("I3_ACCESS_CLIENT"), (Some(5), Some(25)));
    assert_eq!(get("I3_ACCESS_ACD_MEDIA_1"), (Some(5), Some(25)));
    assert_ne!(v["issuer"], "demo");
}

#[test]
fn unsigned_needs_allow_unsigned() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(asset("demo.I3Lic")).expect("demo")).expect("json");
    v.as_object_mut().expect("object").remove("signature");
    let p = dir.path().join("u.I3Lic");
    std::fs::write(&p, serde_json::to_vec(&v).expect("ser")).expect("write");
    let o = run(&["license", "verify", p.to_str().expect("utf8")]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("unsigned"));
    let o = run(&[
        "license",
        "show",
        p.to_str().expect("utf8"),
        "--format",
        "json",
        "--allow-unsigned",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["status"], "unsigned");
    assert_eq!(v["issuer"], serde_json::Value::Null);
}
