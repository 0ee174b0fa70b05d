//! Attacks on the promises "a signature nobody can forge", "DEMO is marked
//! everywhere", "no input panics or hangs": each test is written as an
//! attacker (or an unlucky user) would try, and fails on code without the
//! defence it names.

use crate::util::*;
use std::path::{Path, PathBuf};
use std::process::{Command as Process, Output, Stdio};
use std::time::{Duration, Instant};

use base64::Engine as _;
use ia_licensing::core::license::signing::{IssuerKey, TrustStore};
use serde_json::{Value, json};

fn bin() -> Process {
    crate::util::bin_with_data("ia-licensing-attacks-data")
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("run ia-licensing")
}

/// Every character a terminal could obey (C0, DEL, C1) or that reorders
/// text (bidirectional controls): none may come out raw.
fn assert_no_raw_controls(what: &str, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    for (i, c) in text.char_indices() {
        let bad = (c.is_control() && c != '\n') || ('\u{202A}'..='\u{202E}').contains(&c);
        assert!(!bad, "{what}: raw control character {c:?} at {i}:\n{text}");
    }
}

/// The demo license with some fields changed, signed again with the demo
/// key (which ships with the app: anyone can do this).
fn demo_signed(dir: &Path, name: &str, change: impl FnOnce(&mut Value)) -> PathBuf {
    let mut doc: Value = serde_json::from_slice(&std::fs::read(asset("demo.I3Lic")).expect("demo")).expect("json");
    change(&mut doc);
    let key = IssuerKey::from_path(&asset("keys/demo-issuer.key")).expect("demo key");
    let sig = key.sign(&doc).expect("sign");
    doc["signature"] = serde_json::to_value(sig).expect("sig json");
    let p = dir.join(name);
    std::fs::write(&p, serde_json::to_vec_pretty(&doc).expect("ser")).expect("write");
    p
}

// ---- Forgery ----

fn weak_key_file(dir: &Path, name: &str, bytes: [u8; 32]) -> PathBuf {
    let p = dir.join(name);
    let text = json!({
        "algorithm": "ed25519",
        "key_id": "acme-prod",
        "public_key": base64::engine::general_purpose::STANDARD.encode(bytes),
    });
    std::fs::write(&p, text.to_string()).expect("write key");
    p
}

#[test]
fn small_order_issuer_keys_are_refused_when_trusted() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut identity = [0u8; 32];
    identity[0] = 1;
    // The identity point, 32 zero bytes (a point of order 4), and the
    // point of order 2 (y = -1).
    let mut order2 = [0xffu8; 32];
    order2[0] = 0xec;
    order2[31] = 0x7f;
    for (name, bytes) in [
        ("identity.pub", identity),
        ("zero.pub", [0u8; 32]),
        ("order2.pub", order2),
    ] {
        let key = weak_key_file(dir.path(), name, bytes);
        let mut store = TrustStore::with_demo();
        assert!(store.add_file(&key).is_err(), "{name} was trusted");
        // A document "signed" by the identity key: R = identity, s = 0.
        let forged = demo_signed(dir.path(), "forged.I3Lic", |_| {});
        let mut doc: Value = serde_json::from_slice(&std::fs::read(&forged).expect("read")).expect("json");
        let mut sig = [0u8; 64];
        sig[0] = 1;
        doc["signature"] = json!({
            "algorithm": "ed25519",
            "key_id": "acme-prod",
            "value": base64::engine::general_purpose::STANDARD.encode(sig),
        });
        std::fs::write(&forged, doc.to_string()).expect("write");
        let o = run(&["license", "verify", s(&forged), "--trust", s(&key)]);
        assert_eq!(
            o.status.code(),
            Some(2),
            "{name}: {}",
            String::from_utf8_lossy(&o.stdout)
        );
        assert!(o.stdout.is_empty(), "nothing is printed as valid");
    }
}

#[test]
fn a_non_canonical_signature_is_refused() {
    // s + L verifies with a lax check; the strict one refuses it.
    let dir = tempfile::tempdir().expect("tmp");
    let lic = demo_signed(dir.path(), "a.I3Lic", |_| {});
    let mut doc: Value = serde_json::from_slice(&std::fs::read(&lic).expect("read")).expect("json");
    let b64 = base64::engine::general_purpose::STANDARD;
    let mut sig = b64
        .decode(doc["signature"]["value"].as_str().expect("value"))
        .expect("b64");
    // L = 2^252 + 27742317777372353535851937790883648493, little-endian.
    const L: [u8; 32] = [
        0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
    ];
    let mut carry = 0u16;
    for i in 0..32 {
        let v = u16::from(sig[32 + i]) + u16::from(L[i]) + carry;
        sig[32 + i] = v as u8;
        carry = v >> 8;
    }
    doc["signature"]["value"] = json!(b64.encode(&sig));
    std::fs::write(&lic, doc.to_string()).expect("write");
    let o = run(&["license", "verify", s(&lic)]);
    assert_eq!(o.status.code(), Some(2), "{}", String::from_utf8_lossy(&o.stdout));
}

#[test]
fn escape_codes_in_a_license_cannot_rewrite_the_terminal() {
    let dir = tempfile::tempdir().expect("tmp");
    let lic = demo_signed(dir.path(), "evil.I3Lic", |d| {
        // Move to column 0, erase the line, write a fake signature row.
        d["company"] = json!("Acme\r\u{1b}[2KSignature         valid, issuer key acme-prod\nSignature         valid");
        d["install_site"] = json!("site\u{9b}31m\u{202e}evil");
        d["ordered_items"][0]["description"] = json!("x\u{7}\u{1b}]0;title\u{7}");
    });
    let o = run(&["license", "show", s(&lic)]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    assert_no_raw_controls("license show", &o.stdout);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.lines().next().is_some_and(|l| l.contains("DEMO")),
        "first line says DEMO:\n{text}"
    );
    let signature_rows = text.lines().filter(|l| l.starts_with("Signature")).count();
    assert_eq!(signature_rows, 1, "one Signature row:\n{text}");
    let o = run(&["license", "show", s(&lic), "--format", "json"]);
    assert_no_raw_controls("license show --format json", &o.stdout);
    let v: Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(
        v["company"].as_str().map(|c| c.contains('\u{1b}')),
        Some(true),
        "JSON keeps the value, escaped"
    );
    let o = run(&["license", "verify", s(&lic)]);
    assert_no_raw_controls("license verify", &o.stdout);
    assert_no_raw_controls("license verify (stderr)", &o.stderr);
}

/// Every command that reads a license says whose it is: `"license"` in
/// JSON, DEMO on the first line of a table.
#[test]
fn every_command_says_demo_for_a_demo_license() {
    let dir = tempfile::tempdir().expect("tmp");
    let lic = asset("demo.I3Lic");
    let ws = asset("demo.ialws");
    let events = dir.path().join("events.json");
    std::fs::write(
        &events,
        json!([{"at": "2026-03-02T09:00:00Z", "event": "logon", "user": "tina.ruiz1", "station": "st-001"}])
            .to_string(),
    )
    .expect("events");
    let vc = asset("demo-virtual-cloud.I3Lic");
    let commands: Vec<(Vec<&str>, &str)> = vec![
        (vec!["check", "--license", s(&lic), "--workspace", s(&ws)], "license"),
        (
            vec![
                "usage",
                "--license",
                s(&lic),
                "--workspace",
                s(&ws),
                "--events",
                s(&events),
            ],
            "license",
        ),
        (
            vec!["enforcement", "--license", s(&vc), "--at", "2020-07-01"],
            "license",
        ),
        (
            vec!["recommend", "--license", s(&lic), "--workspace", s(&ws)],
            "license",
        ),
        (vec!["license", "show", s(&lic)], "license"),
        (vec!["license", "diff", s(&lic), s(&vc)], "old_license"),
    ];
    for (args, field) in &commands {
        let mut json_args = args.clone();
        json_args.extend(["--format", "json"]);
        let o = run(&json_args);
        assert!(
            o.status.code().is_some_and(|c| c <= 1),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let v: Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{args:?}: {e}"));
        let trust = &v[field];
        assert_eq!(trust["demo"], true, "{args:?}: {v}");
        assert_eq!(trust["unsigned"], false, "{args:?}");
        assert_eq!(trust["issuer"], "demo", "{args:?}");
        assert_eq!(trust["status"], "valid", "{args:?}");
        let o = run(args);
        let text = String::from_utf8_lossy(&o.stdout);
        assert!(
            text.lines().next().is_some_and(|l| l.contains("DEMO")),
            "{args:?}: first line says DEMO:\n{text}"
        );
    }
    // csv import reports on standard error: DEMO comes first there.
    let csv = dir.path().join("u.csv");
    std::fs::write(
        &csv,
        "id,name,method,licenses,acd_media_types,workgroups\nzed,Zed,assignable,,,\n",
    )
    .expect("csv");
    let out = dir.path().join("out.ialws");
    let o = run(&[
        "csv",
        "import",
        "--license",
        s(&lic),
        "--workspace",
        s(&ws),
        "--table",
        "users",
        "--from",
        s(&csv),
        "-o",
        s(&out),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.lines().next().is_some_and(|l| l.contains("DEMO")), "{err}");
}

#[test]
fn csv_export_does_not_hand_a_spreadsheet_formulas() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut ws: Value = serde_json::from_str(&std::fs::read_to_string(asset("demo.ialws")).expect("ws")).expect("json");
    ws["users"][0]["name"] = json!("=HYPERLINK(\"http://evil\",\"click\")");
    ws["users"][1]["name"] = json!("@SUM(1+1)\u{1b}[31m");
    let p = dir.path().join("w.ialws");
    std::fs::write(&p, ws.to_string()).expect("write");
    let o = run(&["csv", "export", "--workspace", s(&p), "--table", "users"]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    assert_no_raw_controls("csv export", &o.stdout);
    let mut reader = csv::Reader::from_reader(o.stdout.as_slice());
    for record in reader.records() {
        let record = record.expect("row");
        for cell in record.iter() {
            assert!(
                !cell.starts_with(['=', '+', '-', '@']),
                "a cell starts like a formula: {cell}"
            );
        }
    }
}

#[cfg(unix)]
#[test]
fn keygen_writes_a_private_secret_key_and_never_follows_a_link() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tmp");
    let out = dir.path().join("keys");
    let o = run(&["license", "keygen", "-o", s(&out)]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let mode = std::fs::metadata(out.join("issuer.key"))
        .expect("key")
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o600, "the secret key is readable by its owner only");
    // A dangling link where the key would go: refused, its target not made.
    let trap = dir.path().join("trap");
    std::fs::create_dir(&trap).expect("dir");
    let victim = dir.path().join("victim.key");
    std::os::unix::fs::symlink(&victim, trap.join("issuer.key")).expect("link");
    let o = run(&["license", "keygen", "-o", s(&trap)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!victim.exists(), "the link was followed");
    // Never over an existing key.
    let o = run(&["license", "keygen", "-o", s(&out)]);
    assert_eq!(o.status.code(), Some(2));
}

// ---- Crashes and hangs ----

#[test]
fn far_dates_are_refused_not_panicked_on() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut vc: Value =
        serde_json::from_slice(&std::fs::read(asset("demo-virtual-cloud.I3Lic")).expect("vc")).expect("json");
    vc.as_object_mut().expect("obj").remove("signature");
    vc["virtual_cloud"]["ramp_date"] = json!("+262142-12-31");
    vc["expires"] = json!("+262142-12-31");
    let lic = dir.path().join("far.I3Lic");
    std::fs::write(&lic, vc.to_string()).expect("write");
    let o = run(&[
        "enforcement",
        "--license",
        s(&lic),
        "--allow-unsigned",
        "--at",
        "2020-01-01",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", String::from_utf8_lossy(&o.stderr));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("outside the dates"), "{err}");
    let o = run(&[
        "enforcement",
        "--license",
        s(&asset("demo-virtual-cloud.I3Lic")),
        "--at",
        "+262142-01-01",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", String::from_utf8_lossy(&o.stderr));
    for at in [
        "9999-12-31T23:59:59Z",
        "+262142-12-31T00:00:00Z",
        "-262143-01-01T00:00:00Z",
    ] {
        let events = dir.path().join("e.json");
        std::fs::write(
            &events,
            json!([{"at": at, "event": "logon", "user": "u1", "station": "s"}]).to_string(),
        )
        .expect("events");
        let o = run(&[
            "usage",
            "--license",
            s(&asset("demo.I3Lic")),
            "--workspace",
            s(&asset("demo.ialws")),
            "--events",
            s(&events),
        ]);
        assert!(o.status.code().is_some_and(|c| c == 0 || c == 2), "{at}: {o:?}");
        assert!(!String::from_utf8_lossy(&o.stderr).contains("panicked"), "{at}");
    }
}

#[test]
fn events_spanning_centuries_are_refused_at_once() {
    let dir = tempfile::tempdir().expect("tmp");
    let events = dir.path().join("e.json");
    std::fs::write(
        &events,
        json!([
            {"at": "1900-01-01T00:00:00Z", "event": "logon", "user": "u1", "station": "s"},
            {"at": "9999-01-01T00:00:00Z", "event": "logoff", "user": "u1", "station": "s"},
        ])
        .to_string(),
    )
    .expect("events");
    let started = Instant::now();
    let o = run(&[
        "usage",
        "--license",
        s(&asset("demo.I3Lic")),
        "--workspace",
        s(&asset("demo.ialws")),
        "--events",
        s(&events),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(started.elapsed() < Duration::from_secs(20), "refused quickly");
    assert!(String::from_utf8_lossy(&o.stderr).contains("split it"));
}

/// Runs a command with a deadline: a hang is a failure, not a stuck suite.
fn run_with_deadline(args: &[&str], deadline: Duration) -> Output {
    let mut child = bin()
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let started = Instant::now();
    loop {
        if child.try_wait().expect("wait").is_some() {
            return child.wait_with_output().expect("output");
        }
        if started.elapsed() > deadline {
            let _ = child.kill();
            panic!("{args:?} hung for {deadline:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[cfg(unix)]
#[test]
fn a_fifo_as_any_input_is_refused_not_waited_on() {
    let dir = tempfile::tempdir().expect("tmp");
    let fifo = dir.path().join("pipe");
    let made = Process::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("skipped: mkfifo is not available");
        return;
    }
    let lic = asset("demo.I3Lic");
    let ws = asset("demo.ialws");
    let cases: Vec<Vec<&str>> = vec![
        vec!["license", "show", s(&fifo)],
        vec!["check", "--license", s(&lic), "--workspace", s(&fifo)],
        vec![
            "usage",
            "--license",
            s(&lic),
            "--workspace",
            s(&ws),
            "--events",
            s(&fifo),
        ],
        vec!["license", "show", s(&lic), "--trust", s(&fifo)],
        vec!["recover", "--journal", s(&fifo)],
        vec![
            "enforcement",
            "--license",
            s(&lic),
            "--checkins",
            s(&fifo),
            "--at",
            "2020-01-01",
        ],
        vec![
            "csv",
            "import",
            "--license",
            s(&lic),
            "--workspace",
            s(&ws),
            "--table",
            "users",
            "--from",
            s(&fifo),
        ],
    ];
    for args in cases {
        let o = run_with_deadline(&args, Duration::from_secs(20));
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains("not a regular file"), "{args:?}: {err}");
    }
}

/// A workspace's usage history, its lock, backup and SQLite side files,
/// and its recovery journal (with its lock) are no output's place, before
/// they exist too, and by another name for the same place (issue #34
/// retrial: an .xlsx written as `site.ialhist`).
#[test]
fn a_workspaces_history_journal_and_their_side_files_are_no_output_before_they_exist() {
    use ia_licensing::core::companions;
    use ia_licensing::core::journal::{self, JournalOf};
    let d = tempfile::tempdir().expect("tmp");
    let ws = d.path().join("site.ialws");
    std::fs::write(&ws, "{}").expect("write");
    let data = d.path().join("data");
    let kept = companions::of_workspace(&ws, Some(&data));
    let journal = journal::path_for(&data, &JournalOf::File(&ws));
    for name in [
        "site.ialhist",
        "site.ialhist.lock",
        "site.ialhist.bak",
        "site.ialhist-wal",
    ] {
        let out = d.path().join(name);
        assert!(!out.exists());
        let err = companions::check_output(&out, &kept, &[]).expect_err(name);
        assert!(err.to_string().contains("site.ialws"), "{err}");
    }
    assert!(companions::check_output(&journal, &kept, &[]).is_err());
    assert!(companions::check_output(&ia_licensing::core::fs::lock_path(&journal), &kept, &[]).is_err());
    // By another name for the same place too.
    let other = d.path().join("sub").join("..").join("site.ialhist");
    std::fs::create_dir(d.path().join("sub")).expect("mkdir");
    assert!(companions::check_output(&other, &kept, &[]).is_err());
    // The history itself may be what a command writes.
    companions::check_output(&d.path().join("site.ialhist"), &kept, &[companions::Kind::History]).expect("allowed");
    companions::check_output(&d.path().join("report.xlsx"), &kept, &[]).expect("another file is fine");
}
