//! `ia-licensing check` and `csv`, run as a process.

use std::path::PathBuf;

fn asset(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("assets")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

fn run(args: &[&str]) -> std::process::Output {
    crate::util::bin().args(args).output().expect("run")
}

#[test]
fn check_demo_json_contract() {
    let o = run(&[
        "check",
        "--license",
        &asset("demo.I3Lic"),
        "--workspace",
        &asset("demo.ialws"),
        "--format",
        "json",
    ]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "the demo has error-severity problems on purpose"
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let counts = v["counts"].as_array().expect("counts");
    let client = counts
        .iter()
        .find(|c| c["key"] == "I3_ACCESS_CLIENT")
        .expect("client row");
    for field in [
        "key",
        "label",
        "assignable_allowed",
        "assignable_configured",
        "concurrent_allowed",
        "concurrent_configured",
        "concurrent_in_use",
        "notes",
    ] {
        assert!(client.get(field).is_some(), "missing {field}");
    }
    assert_eq!(client["assignable_allowed"], 170);
    let diags = v["diagnostics"].as_array().expect("diagnostics");
    for d in diags {
        for field in ["severity", "code", "message", "hint"] {
            assert!(d.get(field).is_some(), "missing {field}");
        }
        assert!(
            ["user", "station", "workgroup", "license", "server"]
                .contains(&d["subject"]["kind"].as_str().expect("kind"))
        );
        assert!(d["subject"]["id"].is_string());
    }
    let codes: Vec<&str> = diags.iter().filter_map(|d| d["code"].as_str()).collect();
    // The lobby phone and the remote station: one rule for both (seed: "All
    // workstations and configured remote stations must have a Basic Station").
    assert_eq!(codes.iter().filter(|c| **c == "basic-station-missing").count(), 2);
    for code in [
        "acd-media-level-mismatch",
        "acd-media-type-mismatch",
        "dependency-missing",
    ] {
        assert_eq!(codes.iter().filter(|c| **c == code).count(), 1, "{code}: {codes:?}");
    }
}

#[test]
fn check_exit_codes() {
    let dir = tempfile::tempdir().expect("tmp");
    let clean = dir.path().join("clean.ialws");
    let text = serde_json::json!({
        "format": 1,
        "server": {"host_id": "G807test", "machine_name": "testing"},
        "users": [{"id": "a", "licenses": ["I3_ACCESS_CLIENT"]}],
    });
    std::fs::write(&clean, text.to_string()).expect("write");
    let o = run(&[
        "check",
        "--license",
        &asset("demo.I3Lic"),
        "--workspace",
        clean.to_str().expect("utf8"),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let bad = dir.path().join("bad.ialws");
    std::fs::write(&bad, r#"{"format": 1, "users": [{"id": "a"}, {"id": "A"}]}"#).expect("write");
    let o = run(&[
        "check",
        "--license",
        &asset("demo.I3Lic"),
        "--workspace",
        bad.to_str().expect("utf8"),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("$.users[1].id"));
}

#[test]
fn csv_export_and_import_cli() {
    let dir = tempfile::tempdir().expect("tmp");
    let csv = dir.path().join("users.csv");
    let o = run(&[
        "csv",
        "export",
        "--workspace",
        &asset("demo.ialws"),
        "--table",
        "users",
        "-o",
        csv.to_str().expect("utf8"),
    ]);
    assert_eq!(o.status.code(), Some(0));
    let text = std::fs::read_to_string(&csv).expect("csv");
    assert!(text.starts_with("id,name,method,licenses,acd_media_types,workgroups"));
    let out = dir.path().join("out.ialws");
    let o = run(&[
        "csv",
        "import",
        "--license",
        &asset("demo.I3Lic"),
        "--workspace",
        &asset("demo.ialws"),
        "--table",
        "users",
        "--from",
        csv.to_str().expect("utf8"),
        "-o",
        out.to_str().expect("utf8"),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(out.exists());
}
