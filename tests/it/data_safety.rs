//! Trustworthy with data: atomic saves, recovery after a kill, the change
//! log, and hostile input that must give a clear error and never a panic.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::Stdio;

use crate::util::*;
use ia_licensing::core::command::Command;
use ia_licensing::core::license::{License, LoadOptions, TrustStore};
use ia_licensing::core::subject::Subject;
use ia_licensing::core::workspace::Workspace;
use ia_licensing::core::{changelog, csv_io, replay};
use ia_licensing::core::{fileio, fs};
use serde_json::{Value, json};

fn strip_log(mut v: Value) -> Value {
    if let Some(o) = v.as_object_mut() {
        o.remove("change_log");
    }
    v
}

// ---- Atomic save ----

#[test]
fn atomic_save_keeps_a_backup_and_replaces_whole() {
    let dir = tempfile::tempdir().expect("tmp");
    let p = dir.path().join("site.ialws");
    fs::atomic_write(&p, b"first").expect("first save");
    fs::atomic_write(&p, b"second").expect("second save");
    assert_eq!(std::fs::read(&p).expect("read"), b"second");
    assert_eq!(std::fs::read(dir.path().join("site.ialws.bak")).expect("bak"), b"first");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .expect("ls")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name())
        .collect();
    assert_eq!(leftovers.len(), 2, "no temporary file left: {leftovers:?}");
}

#[test]
fn failed_saves_leave_the_file_and_say_why() {
    // The path is gone.
    let dir = tempfile::tempdir().expect("tmp");
    let gone = dir.path().join("no-such-folder").join("site.ialws");
    let e = fs::atomic_write(&gone, b"x").expect_err("missing folder");
    assert!(matches!(e, fileio::FileError::Save { .. }), "{e:?}");
    let e = e.to_string();
    assert!(e.contains("cannot save") && e.contains("unchanged"), "{e}");
    // A read-only folder. Root ignores permission bits, so as root use /proc,
    // where nobody may create files.
    let (ro_dir, _guard) = read_only_dir();
    let target = ro_dir.join("site.ialws");
    let before = std::fs::read(&target).ok();
    let e = fs::atomic_write(&target, b"new content")
        .expect_err("read-only folder")
        .to_string();
    assert!(e.contains("cannot save"), "{e}");
    assert_eq!(std::fs::read(&target).ok(), before, "the file on disk is unchanged");
}

/// A folder that cannot be written to, with whatever keeps it alive.
fn read_only_dir() -> (PathBuf, Option<tempfile::TempDir>) {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().to_path_buf();
    std::fs::write(path.join("site.ialws"), b"original").expect("seed");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o555)).expect("chmod");
    if std::fs::write(path.join("probe"), b"x").is_ok() {
        // Running as root: permission bits do not stop us.
        let _ = std::fs::remove_file(path.join("probe"));
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod back");
        return (PathBuf::from("/proc"), Some(dir));
    }
    (path, Some(dir))
}

#[test]
fn a_newer_workspace_format_is_refused_not_truncated() {
    let dir = tempfile::tempdir().expect("tmp");
    let p = dir.path().join("future.ialws");
    let text = r#"{"format": 3, "users": [{"id": "a", "hologram": true}]}"#;
    std::fs::write(&p, text).expect("write");
    let e = Workspace::load_path(&p).expect_err("refused");
    assert!(e.to_string().contains("newer version"), "{e}");
    assert_eq!(
        std::fs::read_to_string(&p).expect("read"),
        text,
        "the file is untouched"
    );
}

// ---- Recovery after a kill ----

#[test]
fn kill_mid_session_then_recover_the_exact_state() {
    let dir = tempfile::tempdir().expect("tmp");
    let license = dir.path().join("demo.I3Lic");
    let ws_path = dir.path().join("site.ialws");
    std::fs::copy(asset("demo.I3Lic"), &license).expect("copy license");
    std::fs::copy(asset("demo.ialws"), &ws_path).expect("copy workspace");
    let journal = dir.path().join("recovery.jsonl");
    let commands = vec![
        Command::SetUserName {
            id: "tina.ruiz1".into(),
            name: "Tina R.".into(),
        },
        Command::Unassign {
            subjects: vec![Subject::user("sam.ruiz2")],
            key: "I3_ACCESS_RECORDER_QUALITYMONITORING_AGENT".into(),
        },
        Command::Assign {
            subjects: vec![Subject::station("lobby-phone")],
            key: "I3_LICENSE_BASIC_STATION".into(),
            method: None,
        },
    ];
    let mut child = crate::util::bin()
        .args([
            "session",
            "--license",
            license.to_str().expect("utf8"),
            "--workspace",
            ws_path.to_str().expect("utf8"),
            "--journal",
            journal.to_str().expect("utf8"),
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start session");
    let mut stdin = child.stdin.take().expect("stdin");
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    for c in &commands {
        writeln!(stdin, "{}", serde_json::to_string(c).expect("json")).expect("send");
        stdin.flush().expect("flush");
        let mut reply = String::new();
        stdout.read_line(&mut reply).expect("reply");
        let v: Value = serde_json::from_str(&reply).expect("reply json");
        assert_eq!(v["ok"], true, "{reply}");
    }
    writeln!(stdin, "{}", json!({"undo": true})).expect("send undo");
    stdin.flush().expect("flush");
    let mut reply = String::new();
    stdout.read_line(&mut reply).expect("reply");
    // Kill it: no save, no clean exit.
    child.kill().expect("kill");
    let _ = child.wait();
    assert_eq!(
        std::fs::read(&ws_path).expect("ws"),
        std::fs::read(asset("demo.ialws")).expect("demo"),
        "nothing was saved"
    );
    // Recover.
    let out = dir.path().join("recovered.ialws");
    let o = crate::util::bin()
        .args([
            "recover",
            "--journal",
            journal.to_str().expect("utf8"),
            "-o",
            out.to_str().expect("utf8"),
        ])
        .output()
        .expect("recover");
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    // The same steps in-process give the same workspace.
    let store = TrustStore::with_demo();
    let lic = License::load_path(
        &license,
        LoadOptions {
            trust: &store,
            allow_unsigned: false,
        },
    )
    .expect("license");
    let mut expected = ia_licensing::core::document::Document::new(
        std::sync::Arc::new(lic),
        Workspace::load_path(&ws_path).expect("ws"),
        date(2026, 1, 1),
    );
    for c in commands {
        expected.apply(c).expect("apply");
    }
    expected.undo().expect("undo");
    let recovered: Value = serde_json::from_str(&std::fs::read_to_string(&out).expect("out")).expect("json");
    assert_eq!(strip_log(recovered.clone()), strip_log(expected.to_file_value()));
    assert!(
        recovered["change_log"].is_array(),
        "change log saved with the workspace"
    );
    let back = ia_licensing::core::document::Document::new(
        expected.license().clone(),
        Workspace::from_value(recovered).expect("the recovered workspace loads"),
        expected.today(),
    );
    // The same entries (made at other times, by whoever runs the test).
    let what = |d: &ia_licensing::core::document::Document| {
        d.change_log()
            .iter()
            .map(|e| {
                let e = e.to_entry();
                (e.action, e.subject, e.key, e.before, e.after)
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(what(&back), what(&expected));
    assert!(back.change_log().iter().any(|e| e.action().starts_with("Undo: ")));
}

#[test]
fn journal_ignores_a_line_cut_short_by_a_crash() {
    let dir = tempfile::tempdir().expect("tmp");
    let p = dir.path().join("j.jsonl");
    let d = demo_doc();
    let header = ia_licensing::core::journal::Header {
        journal: 1,
        started: chrono::Utc::now(),
        today: d.today(),
        workspace_path: None,
        license: ia_licensing::core::journal::LicenseSource::Demo,
        license_sha256: None,
        actor: String::new(),
        base: ia_licensing::core::journal::raw_base(&d).expect("raw"),
        layout: Default::default(),
    };
    let mut j = ia_licensing::core::journal::Journal::start(&p, &header).expect("start");
    let at = chrono::Utc::now();
    j.record(&ia_licensing::core::journal::Step::Apply {
        at,
        command: Box::new(Command::SetUserName {
            id: "tina.ruiz1".into(),
            name: "T".into(),
        }),
    })
    .expect("record");
    drop(j);
    let mut f = std::fs::OpenOptions::new().append(true).open(&p).expect("open");
    f.write_all(br#"{"step":"apply","at":"2026-"#).expect("partial");
    let r = ia_licensing::core::journal::read(&p).expect("read").expect("steps");
    assert_eq!(r.steps.len(), 1);
    let store = TrustStore::with_demo();
    let doc = ia_licensing::core::journal::restore(
        &r,
        &|_| ia_licensing::core::demo::demo_license(&store).map_err(Into::into),
        false,
    )
    .expect("restore")
    .doc;
    assert_eq!(doc.workspace().user("tina.ruiz1").map(|u| u.name.as_str()), Some("T"));
}

// ---- Change log ----

#[test]
fn change_log_records_who_what_before_after_and_round_trips() {
    let mut d = demo_doc();
    let t = chrono::DateTime::parse_from_rfc3339("2026-11-24T10:00:00Z")
        .expect("t")
        .with_timezone(&chrono::Utc);
    d.set_clock(t, "admin1");
    d.apply(Command::Unassign {
        subjects: vec![Subject::user("tina.ruiz1")],
        key: "I3_ACCESS_CLIENT".into(),
    })
    .expect("unassign");
    let e = d.change_log().last().expect("entry");
    assert_eq!(
        (e.user(), e.id(), e.key()),
        ("admin1", "tina.ruiz1", Some("I3_ACCESS_CLIENT"))
    );
    assert_eq!((e.before(), e.after()), ("Assignable", "—"));
    assert_eq!(e.time(), t);
    d.undo();
    assert!(
        d.change_log()
            .last()
            .is_some_and(|e| e.action().starts_with("Undo: ") && e.after() == "Assignable")
    );
    // Saved with the workspace and read back.
    let text = d.to_file_json();
    let back = ia_licensing::core::document::Document::new(
        d.license().clone(),
        Workspace::from_json(&text).expect("load"),
        d.today(),
    );
    assert_eq!(back.change_log(), d.change_log());
    // Filter and CSV.
    let f = changelog::Filter {
        subject: "TINA".into(),
        license: "client access".into(),
        ..Default::default()
    };
    assert_eq!(d.change_log().iter().filter(|e| f.matches(e)).count(), 2);
    let csv = changelog::csv(d.change_log().iter()).expect("csv");
    assert!(csv.starts_with("time,os_user,action,subject_kind,subject,license_key,before,after"));
    assert!(csv.contains("admin1"));
}

// ---- Hostile input ----

fn hostile_inputs() -> Vec<(&'static str, Vec<u8>)> {
    let demo = std::fs::read(asset("demo.I3Lic")).expect("demo");
    let mut deep = String::new();
    for _ in 0..50 {
        deep.push_str("{\"a\":");
    }
    deep.push('1');
    for _ in 0..50 {
        deep.push('}');
    }
    let mut big_array = String::from("{\"format\": 1, \"users\": [");
    big_array.push_str(&"0,".repeat(10_000_000));
    big_array.push_str("0]}");
    vec![
        ("empty", Vec::new()),
        ("truncated", demo[..demo.len() / 3].to_vec()),
        ("invalid UTF-8", b"{\"format\": 1, \"users\": [\xff\xfe]}".to_vec()),
        ("BOM", [b"\xEF\xBB\xBF".as_slice(), b"{\"format\": 1}"].concat()),
        ("50-level nesting", deep.into_bytes()),
        ("10-million-element array", big_array.into_bytes()),
        (
            "number beyond i64",
            b"{\"format\": 99999999999999999999999, \"users\": []}".to_vec(),
        ),
        ("number beyond u32", b"{\"format\": 4294967297, \"users\": []}".to_vec()),
        (
            "duplicate keys",
            b"{\"format\": 1, \"users\": [], \"users\": [{\"id\": \"x\"}]}".to_vec(),
        ),
        (
            "1 MB key string",
            format!(
                "{{\"format\": 1, \"users\": [{{\"id\": \"u\", \"licenses\": [\"I3_{}\"]}}]}}",
                "A".repeat(1 << 20)
            )
            .into_bytes(),
        ),
        ("NUL bytes", b"{\"format\": 1,\0 \"users\": []}".to_vec()),
    ]
}

#[test]
fn hostile_license_files_give_a_clear_error() {
    let store = TrustStore::with_demo();
    for (name, bytes) in hostile_inputs() {
        let r = License::load_bytes(
            &bytes,
            LoadOptions {
                trust: &store,
                allow_unsigned: true,
            },
        );
        let e = r.expect_err(name);
        assert!(!e.reason.is_empty() && !e.reason.contains('\n'), "{name}: {e}");
        assert!(
            e.reason.len() < 600,
            "{name}: message too long ({} bytes)",
            e.reason.len()
        );
    }
}

#[test]
fn hostile_workspace_files_give_a_clear_error() {
    for (name, bytes) in hostile_inputs() {
        let e = match std::str::from_utf8(&bytes) {
            Err(_) => continue, // load_path reports invalid UTF-8; see below
            Ok(text) => Workspace::from_json(text).expect_err(name),
        };
        let text = e.to_string();
        assert!(!text.is_empty(), "{name}");
        assert!(text.len() < 200_000, "{name}: message too long");
        assert!(!text.contains(&"A".repeat(1000)), "{name}: hostile text echoed whole");
    }
    let dir = tempfile::tempdir().expect("tmp");
    let p = dir.path().join("bad.ialws");
    std::fs::write(&p, b"{\"format\": 1, \"users\": [\xff]}").expect("write");
    assert!(
        Workspace::load_path(&p)
            .expect_err("utf8")
            .to_string()
            .contains("not UTF-8")
    );
}

#[test]
fn hostile_events_and_csv_give_a_clear_error() {
    for (name, bytes) in hostile_inputs() {
        let text = String::from_utf8_lossy(&bytes);
        let e = replay::parse_events(&text).expect_err(name);
        assert!(!e.to_string().is_empty(), "{name}");
    }
    let d = demo_doc();
    for (name, bytes) in hostile_inputs() {
        let text = String::from_utf8_lossy(&bytes);
        // CSV is not JSON: every such row is refused or fails the header check, never panics.
        match csv_io::parse(d.workspace(), csv_io::Table::Users, &text) {
            Ok(parsed) => assert!(
                parsed.commands.is_empty() || !parsed.errors.is_empty() || name == "empty",
                "{name}"
            ),
            Err(e) => assert!(!e.to_string().is_empty()),
        }
    }
}

#[test]
fn wrong_types_at_every_workspace_field_are_named() {
    let base: Value = serde_json::from_str(include_str!("../../assets/demo.ialws")).expect("demo");
    let mut pointers = Vec::new();
    fn walk(v: &Value, p: String, out: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                for (k, c) in m {
                    walk(c, format!("{p}/{k}"), out);
                }
            }
            Value::Array(a) => {
                for (i, c) in a.iter().enumerate().take(2) {
                    walk(c, format!("{p}/{i}"), out);
                }
            }
            _ => out.push(p),
        }
    }
    walk(&base, String::new(), &mut pointers);
    assert!(pointers.len() > 20);
    for ptr in pointers {
        let mut v = base.clone();
        let leaf = v.pointer_mut(&ptr).expect("leaf");
        // A wrong type: an object where a value was expected.
        *leaf = json!({"unexpected": [1, 2, 3]});
        let e = Workspace::from_value(v).expect_err(&ptr);
        let path_like = ptr.trim_start_matches('/').split('/').next().unwrap_or("");
        assert!(e.to_string().contains(path_like), "{ptr}: {e}");
    }
}

#[test]
fn counts_that_would_overflow_are_refused_or_fit() {
    // Each count is capped at 1,000,000, so sums fit; a bigger one is invalid.
    let store = TrustStore::empty();
    let mut v: Value = serde_json::from_slice(&std::fs::read(asset("demo.I3Lic")).expect("demo")).expect("json");
    v.as_object_mut().expect("obj").remove("signature");
    v["licenses"][0]["assigned"] = json!(u64::MAX);
    let e = License::load_bytes(
        &serde_json::to_vec(&v).expect("ser"),
        LoadOptions {
            trust: &store,
            allow_unsigned: true,
        },
    )
    .expect_err("huge");
    assert!(e.reason.contains("line") || e.reason.contains("absurd"), "{e}");
    v["licenses"][0]["assigned"] = json!(1_000_000);
    v["licenses"][1]["assigned"] = json!(1_000_000);
    v["licenses"]
        .as_array_mut()
        .expect("arr")
        .push(json!({"key": "I3_ACCESS_CLIENT_CONCURRENT", "pooled": 1_000_000}));
    let l = License::load_bytes(
        &serde_json::to_vec(&v).expect("ser"),
        LoadOptions {
            trust: &store,
            allow_unsigned: true,
        },
    )
    .expect("fits");
    let c = l.allowance("I3_ACCESS_CLIENT").expect("client");
    assert_eq!(u64::from(c.assigned) + u64::from(c.pooled), 2_000_000);
}

#[test]
fn unsigned_is_never_treated_as_signed_and_trust_is_explicit() {
    let mut v: Value = serde_json::from_slice(&std::fs::read(asset("demo.I3Lic")).expect("demo")).expect("json");
    v["signature"] = Value::Null;
    let bytes = serde_json::to_vec(&v).expect("ser");
    let store = TrustStore::with_demo();
    let l = License::load_bytes(
        &bytes,
        LoadOptions {
            trust: &store,
            allow_unsigned: true,
        },
    )
    .expect("training mode");
    assert!(l.signature.issuer().is_none());
    assert!(
        License::load_bytes(
            &bytes,
            LoadOptions {
                trust: &store,
                allow_unsigned: false
            }
        )
        .is_err()
    );
    // Only the demo key unless the user adds one.
    assert_eq!(TrustStore::with_demo().keys().len(), 1);
    let _ = Path::new("unused");
}

/// Inputs the fuzzers found; each once crashed a property and is kept as a
/// regression test.
#[test]
fn fuzz_regressions() {
    // A field name with an escaped newline was echoed into a two-line reason.
    let bytes = include_bytes!("../fixtures/fuzz/license-newline-in-field-name.bin");
    let store = TrustStore::with_demo();
    let e = License::load_bytes(
        bytes,
        LoadOptions {
            trust: &store,
            allow_unsigned: true,
        },
    )
    .expect_err("refused");
    assert!(!e.reason.contains('\n'), "{e}");
    assert!(e.reason.contains("unknown field"), "{e}");
}

#[test]
fn long_hostile_names_are_shortened_in_messages() {
    let name = "x".repeat(1 << 20);
    let text = format!("{{\"format\": 1, \"users\": [], \"{name}\": 1, \"{name}\": 2}}");
    let e = Workspace::from_json(&text).expect_err("duplicate");
    assert!(e.to_string().len() < 1000, "{} bytes", e.to_string().len());
    let store = TrustStore::with_demo();
    let lic = format!("{{\"format\": 1, \"{name}\": 1}}");
    let e = License::load_bytes(
        lic.as_bytes(),
        LoadOptions {
            trust: &store,
            allow_unsigned: true,
        },
    )
    .expect_err("refused");
    assert!(e.reason.len() < 1000, "{} bytes", e.reason.len());
}

/// The recovery question lists the steps Restore brings back — those after
/// the last save, each with its time, what it did and whom it is about; an
/// undo or redo names the step it undid or redid, even one made before the
/// save.
#[test]
fn recovery_lists_the_unsaved_steps_with_time_what_and_subject() {
    use chrono::TimeZone;
    use ia_licensing::core::journal::{self, LicenseSource, Recovered, Step};
    let d = demo_doc();
    let at = |m: u32| {
        chrono::Utc
            .with_ymd_and_hms(2026, 5, 4, 14, m, 0)
            .single()
            .expect("time")
    };
    let assign = Command::Assign {
        subjects: vec![Subject::user("ann"), Subject::user("bob"), Subject::station("ws-1")],
        key: "I3_ACCESS_CLIENT".into(),
        method: None,
    };
    let rename = Command::SetUserName {
        id: "tina.ruiz1".into(),
        name: "T".into(),
    };
    let rec = Recovered {
        path: PathBuf::from("journal.jsonl"),
        header: journal::Header {
            journal: journal::FORMAT,
            started: at(0),
            today: d.today(),
            workspace_path: None,
            license: LicenseSource::Demo,
            license_sha256: None,
            actor: "trainer".into(),
            base: journal::raw_base(&d).expect("base"),
            layout: Default::default(),
        },
        steps: vec![
            Step::Apply {
                at: at(1),
                command: Box::new(assign),
            },
            Step::Saved {
                at: at(2),
                path: PathBuf::from("site.ialws"),
            },
            Step::Apply {
                at: at(3),
                command: Box::new(rename),
            },
            Step::Undo { at: at(4) },
            Step::Undo { at: at(5) },
            Step::Redo { at: at(6) },
        ],
    };
    let lines: Vec<(String, String, String)> = rec
        .unsaved_lines()
        .into_iter()
        .map(|l| (l.time, l.what, l.subject))
        .collect();
    let line = |m: u32, what: &str, subject: &str| {
        (
            format!("2026-05-04 14:{m:02}:00 UTC"),
            what.to_string(),
            subject.to_string(),
        )
    };
    assert_eq!(
        lines,
        vec![
            line(3, "Rename tina.ruiz1", "user tina.ruiz1"),
            line(4, "Undo: Rename tina.ruiz1", "user tina.ruiz1"),
            line(
                5,
                "Undo: Assign Client Access to 2 users and 1 station",
                "2 users and 1 station"
            ),
            line(
                6,
                "Redo: Assign Client Access to 2 users and 1 station",
                "2 users and 1 station"
            ),
        ]
    );
    assert_eq!(rec.unsaved_steps(), lines.len());
}
