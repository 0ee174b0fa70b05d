//! `scripts/export-site.py` against `icws_stub.py`, a local stand-in for
//! ICWS that serves the synthetic fixtures in pages, checks the CSRF header
//! and the session cookie, and answers `Range: items=N-M` the way a server
//! might: a plain page, 206 with Content-Range and 416 past the end, the
//! whole list whatever the Range, or the first page again. The script ends
//! a list cleanly, never pages forever, and never leaves a partial folder.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::util::*;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixtures() -> PathBuf {
    root().join("tests/fixtures/site")
}

fn python() -> bool {
    let ok = Command::new("python3").arg("--version").output().is_ok();
    if !ok {
        eprintln!("python3 is not installed: the export script test is skipped");
    }
    ok
}

/// Waits for a child at most `secs` seconds (a script paging forever is
/// killed, and the test fails).
fn wait(mut child: std::process::Child, secs: u64) -> Option<Output> {
    let start = Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if start.elapsed() > Duration::from_secs(secs) {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Some(child.wait_with_output().expect("output"))
}

/// Runs the export script against the stub serving `folder` in `mode`:
/// its output (None when it did not finish within 60 s) and its log.
fn export(folder: &Path, mode: &str, out: &Path, extra: &[&str]) -> (Option<bool>, String) {
    let dir = tempfile::tempdir().expect("dir");
    let port_file = dir.path().join("port");
    let mut server = Command::new("python3")
        .arg(fixtures().join("icws_stub.py"))
        .arg(folder)
        .arg(&port_file)
        .arg(mode)
        .spawn()
        .expect("start the stub");
    let mut port = String::new();
    for _ in 0..100 {
        port = std::fs::read_to_string(&port_file).unwrap_or_default();
        if port.ends_with('\n') {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let child = Command::new("python3")
        .arg(root().join("scripts/export-site.py"))
        .args([
            "--server",
            &format!("http://127.0.0.1:{}", port.trim()),
            "--user",
            "admin",
        ])
        .args(["--out", s(out)])
        .args(extra)
        .env("ICWS_PASSWORD", "secret")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run the script");
    let result = wait(child, 60);
    let _ = server.kill();
    let _ = server.wait();
    match result {
        None => (None, "the script was still running after 60 s".into()),
        Some(o) => (
            Some(o.status.success()),
            String::from_utf8_lossy(&o.stderr).into_owned() + &String::from_utf8_lossy(&o.stdout),
        ),
    }
}

fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn import(folder: &Path, dir: &Path) -> Value {
    let ws = dir.join(format!("{}.ialws", folder.file_name().expect("name").to_string_lossy()));
    let out = bin()
        .args(["site", "import", "--icws", s(folder), "-o", s(&ws), "--format", "json"])
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("json")
}

/// A site of exactly 400 users (two full pages), with the fixtures'
/// stations, workgroups and roles.
fn site_of_400(dir: &Path) -> PathBuf {
    let folder = dir.join("site400");
    std::fs::create_dir_all(&folder).expect("dir");
    let users: Vec<Value> = (0..400)
        .map(|i| json!({"configurationId": {"id": format!("user{i:03}")}, "licenseProperties": {"hasClientAccess": true}}))
        .collect();
    std::fs::write(
        folder.join("users-0000.json"),
        serde_json::to_vec(&json!({ "items": users })).expect("json"),
    )
    .expect("write");
    for name in ["stations.json", "workgroups.json", "roles.json"] {
        std::fs::copy(fixtures().join("icws").join(name), folder.join(name)).expect("copy");
    }
    folder
}

#[test]
fn the_python_export_script_pages_through_icws_with_its_headers() {
    if !python() {
        return;
    }
    let dir = tempfile::tempdir().expect("dir");
    let out = dir.path().join("export");
    let (ok, log) = export(&fixtures().join("icws"), "normal", &out, &["--page-size", "200"]);
    assert_eq!(ok, Some(true), "{log}");
    // Two pages of users (200 + 51), one of each other endpoint.
    assert_eq!(
        names(&out),
        vec![
            "license-allocations-0000.json",
            "roles-0000.json",
            "stations-0000.json",
            "users-0000.json",
            "users-0200.json",
            "workgroups-0000.json"
        ],
        "{log}"
    );
    let report = import(&out, dir.path());
    assert_eq!(report["counts"]["users"], 251);
    assert_eq!(report["consistent"], true);
    // Only the folder: no temporary folder left beside it.
    assert_eq!(names(dir.path()), vec!["export", "export.ialws"]);
}

/// 400 users are two full pages: a server that answers the third request
/// with 416 (Range Not Satisfiable) has ended the list; with Content-Range
/// the script knows it before asking.
#[test]
fn a_list_of_a_multiple_of_200_ends_cleanly() {
    if !python() {
        return;
    }
    let dir = tempfile::tempdir().expect("dir");
    let site = site_of_400(dir.path());
    for mode in ["416", "strict"] {
        let out = dir.path().join(format!("export-{mode}"));
        let (ok, log) = export(&site, mode, &out, &[]);
        assert_eq!(ok, Some(true), "{mode}: {log}");
        let files = names(&out);
        assert!(
            files.contains(&"users-0000.json".to_string()) && files.contains(&"users-0200.json".to_string()),
            "{mode}: {files:?}"
        );
        assert!(!files.contains(&"users-0400.json".to_string()), "{mode}: {files:?}");
        assert!(log.contains("users: 400 items"), "{mode}: {log}");
        assert_eq!(import(&out, dir.path())["counts"]["users"], 400, "{mode}");
    }
}

/// A server that ignores Range sends the whole list each time: the first
/// response is kept (it holds every item) with a warning, and paging stops.
#[test]
fn a_server_that_ignores_range_is_not_paged_forever() {
    if !python() {
        return;
    }
    let dir = tempfile::tempdir().expect("dir");
    let site = site_of_400(dir.path());
    let out = dir.path().join("export");
    let (ok, log) = export(&site, "ignore-range", &out, &["--endpoints", "users,stations"]);
    assert_eq!(ok, Some(true), "{log}");
    assert!(log.contains("Range") && log.contains("400"), "warns: {log}");
    assert_eq!(names(&out), vec!["stations-0000.json", "users-0000.json"]);
    assert_eq!(import(&out, dir.path())["counts"]["users"], 400);
}

/// A server that sends the first page again whatever the Range can never
/// give the rest: the script fails, says why, and leaves no folder behind
/// (a partial export would import with exit 0).
#[test]
fn a_server_that_repeats_a_page_fails_and_leaves_no_folder() {
    if !python() {
        return;
    }
    let dir = tempfile::tempdir().expect("dir");
    let site = site_of_400(dir.path());
    let out = dir.path().join("export");
    let (ok, log) = export(&site, "first-page", &out, &[]);
    assert_eq!(ok, Some(false), "{log}");
    assert!(log.contains("same items"), "{log}");
    assert!(!out.exists(), "no partial folder: {log}");
    assert_eq!(names(dir.path()), vec!["site400"], "nothing left beside it");
}

/// A server may send fewer items than asked while the list goes on (the
/// ICWS help enforces its limits "regardless of the value of the Range
/// header"): a short page in the middle does not end the export — with or
/// without a Content-Range — and the next page starts after the last item
/// received, so every user is exported (a re-trial found 250 of 400
/// exported with exit 0).
#[test]
fn a_short_page_in_the_middle_does_not_end_the_list() {
    if !python() {
        return;
    }
    let dir = tempfile::tempdir().expect("dir");
    let site = site_of_400(dir.path());
    for mode in ["short-middle", "short-middle-strict"] {
        let out = dir.path().join(format!("export-{mode}"));
        let (ok, log) = export(&site, mode, &out, &["--endpoints", "users,stations"]);
        assert_eq!(ok, Some(true), "{mode}: {log}");
        assert!(log.contains("users: 400 items"), "{mode}: {log}");
        let files = names(&out);
        assert!(
            files.contains(&"users-0200.json".to_string()) && files.contains(&"users-0250.json".to_string()),
            "{mode}: the page after the short one starts at item 250: {files:?}"
        );
        let report = import(&out, dir.path());
        assert_eq!(report["counts"]["users"], 400, "{mode}");
        assert_eq!(report["counts"]["records_skipped"], 0, "{mode}: no item twice");
    }
}

/// A server that never ends a list — a full page of new items for every
/// Range, or a Content-Range total always past the page — is stopped at
/// the bound (`--max-items`, 1,000,000 by default): the script fails,
/// says why, and leaves no folder.
#[test]
fn a_server_that_keeps_sending_pages_is_stopped_and_leaves_no_folder() {
    if !python() {
        return;
    }
    let dir = tempfile::tempdir().expect("dir");
    let site = site_of_400(dir.path());
    for mode in ["endless", "growing-total"] {
        let out = dir.path().join(format!("export-{mode}"));
        let (ok, log) = export(&site, mode, &out, &["--endpoints", "users", "--max-items", "1000"]);
        assert_eq!(ok, Some(false), "{mode}: {log}");
        assert!(
            log.contains("more than 1,000 users") && log.contains("nothing was written"),
            "{mode}: {log}"
        );
        assert!(!out.exists(), "{mode}: no partial folder");
    }
    assert_eq!(names(dir.path()), vec!["site400"], "nothing left beside it");
}

/// A server whose pages go past the total its Content-Range announced
/// cannot be trusted to have sent the list: the script fails with both
/// figures and leaves no folder.
#[test]
fn pages_past_the_announced_total_stop_the_export() {
    if !python() {
        return;
    }
    let dir = tempfile::tempdir().expect("dir");
    let site = site_of_400(dir.path());
    let out = dir.path().join("export");
    let (ok, log) = export(&site, "over-total", &out, &["--endpoints", "users"]);
    assert_eq!(ok, Some(false), "{log}");
    assert!(log.contains("announced 300") && log.contains("400"), "{log}");
    assert!(!out.exists(), "no partial folder: {log}");
}
