//! The stage-6 allocation lock ("Allocation read-only": a virtual-cloud
//! system disabled after five grace periods without a check-in) in every
//! face: the editing session (the GUI and `session`), `policy apply` and
//! `csv import` all refuse a change, with the rules' words.
//! `demo-virtual-cloud.I3Lic`: ramp date 2020-06-01, grace 7 days, so the
//! real clock is long past stage 6 with no check-in.

use std::io::{BufRead, BufReader, Write};
use std::process::Stdio;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use ia_licensing::core::command::Command;
use ia_licensing::core::document::Document;
use ia_licensing::core::editing::{EditError, JournalPlace, OpenArgs, Session, Target};
use ia_licensing::core::journal::LicenseSource;
use ia_licensing::core::license::{License, LoadOptions, TrustStore};
use ia_licensing::core::workspace::Workspace;

use crate::util::{asset, bin, date, s};

const LOCKED: &str = "Allocation is read-only";

fn at(text: &str) -> DateTime<Utc> {
    ia_licensing::core::enforcement::parse_time(text).expect("time")
}

fn virtual_cloud_session() -> Session {
    let store = TrustStore::with_demo();
    let license = License::load_bytes(
        &std::fs::read(asset("demo-virtual-cloud.I3Lic")).expect("license"),
        LoadOptions {
            trust: &store,
            allow_unsigned: false,
        },
    )
    .expect("load");
    let ws = Workspace::from_json(&std::fs::read_to_string(asset("demo.ialws")).expect("ws")).expect("workspace");
    let doc = Document::new(Arc::new(license), ws, date(2020, 7, 20));
    Session::open(OpenArgs {
        doc,
        target: Target::Demo,
        license_source: LicenseSource::Demo,
        place: JournalPlace::None,
        actor: "tests".into(),
        program: "tests".into(),
        now: at("2020-07-20T09:00:00Z"),
    })
    .0
}

fn rename() -> Command {
    Command::SetUserName {
        id: "tina.ruiz1".into(),
        name: "Tina R.".into(),
    }
}

#[test]
fn the_session_refuses_every_change_at_stage_six_and_not_before() {
    let mut session = virtual_cloud_session();
    // Stage 6 from 2020-07-06 (five 7-day periods after the ramp date).
    let locked = at("2020-07-20T09:00:00Z");
    match session.apply(rename(), locked) {
        Err(EditError::Refused(r)) => {
            assert_eq!(r.code, "system-disabled");
            assert!(r.reason.starts_with(LOCKED), "{}", r.reason);
        }
        other => panic!("applied at stage 6: {other:?}"),
    }
    assert!(session.undo(locked).is_err() && session.redo(locked).is_err());
    assert!(session.begin("Import", locked).is_err(), "an import may not begin");
    assert!(
        session.start_run(rename(), 10, locked).is_err(),
        "nor a change in slices"
    );
    assert!(!session.dirty(), "nothing changed");
    // A check-in the day before: stage 1 again, the change is made.
    session.set_clock(locked, &[at("2020-07-19T09:00:00Z")]);
    session.apply(rename(), locked).expect("applied in good standing");
    // Before the ramp date nothing is enforced.
    let mut early = virtual_cloud_session();
    early
        .apply(rename(), at("2020-05-20T09:00:00Z"))
        .expect("before the ramp date");
}

/// A workspace and the virtual-cloud license in a folder of their own.
fn files() -> (tempfile::TempDir, std::path::PathBuf, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("tmp");
    let lic = dir.path().join("vc.I3Lic");
    let ws = dir.path().join("site.ialws");
    std::fs::copy(asset("demo-virtual-cloud.I3Lic"), &lic).expect("license");
    std::fs::copy(asset("demo.ialws"), &ws).expect("workspace");
    (dir, lic, ws)
}

#[test]
fn cli_session_refuses_a_change_at_stage_six() {
    let (dir, lic, ws) = files();
    let journal = dir.path().join("recovery.jsonl");
    let mut child = bin()
        .args([
            "session",
            "--license",
            s(&lic),
            "--workspace",
            s(&ws),
            "--journal",
            s(&journal),
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start session");
    let mut stdin = child.stdin.take().expect("stdin");
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    writeln!(stdin, "{}", serde_json::to_string(&rename()).expect("json")).expect("send");
    stdin.flush().expect("flush");
    let mut reply = String::new();
    stdout.read_line(&mut reply).expect("reply");
    drop(stdin);
    let _ = child.wait();
    let v: serde_json::Value = serde_json::from_str(&reply).expect("reply json");
    assert_eq!(v["ok"], false, "{reply}");
    assert!(v["error"].as_str().is_some_and(|e| e.starts_with(LOCKED)), "{reply}");
    assert_eq!(
        std::fs::read(&ws).expect("ws"),
        std::fs::read(asset("demo.ialws")).expect("demo")
    );
}

#[test]
fn cli_policy_apply_refuses_at_stage_six_but_shows_a_dry_run() {
    let (_dir, lic, ws) = files();
    let run = |extra: &[&str]| {
        let mut args = vec!["policy", "apply", "--license", s(&lic), "--workspace", s(&ws)];
        args.extend_from_slice(extra);
        bin().args(&args).output().expect("run")
    };
    let o = run(&[]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains(LOCKED), "{err}");
    let o = run(&["--dry-run"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!err.contains(LOCKED), "a dry run changes nothing: {err}");
    assert_eq!(
        std::fs::read(&ws).expect("ws"),
        std::fs::read(asset("demo.ialws")).expect("demo")
    );
}

#[test]
fn cli_csv_import_refuses_at_stage_six() {
    let (dir, lic, ws) = files();
    let csv = dir.path().join("u.csv");
    std::fs::write(
        &csv,
        "id,name,method,licenses,acd_media_types,workgroups\nzed,Zed,assignable,,,\n",
    )
    .expect("csv");
    let out = dir.path().join("out.ialws");
    for target in [None, Some(&out)] {
        let mut args = vec![
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
        ];
        if let Some(o) = target {
            args.extend(["-o", s(o)]);
        }
        let o = bin().args(&args).output().expect("run");
        assert_eq!(o.status.code(), Some(2));
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(LOCKED), "{err}");
    }
    assert!(!out.exists());
    assert_eq!(
        std::fs::read(&ws).expect("ws"),
        std::fs::read(asset("demo.ialws")).expect("demo")
    );
}

/// The session's transaction in parts: committed as one step when every
/// part is accepted, rolled back as one when a part is refused — and it
/// says which. A preview leaves the document exactly as it was.
#[test]
fn a_session_transaction_commits_or_rolls_back_as_one_step() {
    use ia_licensing::core::editing::TransactionEnd;
    let now = at("2020-05-20T09:00:00Z");
    let mut session = virtual_cloud_session();
    let before = session.doc().workspace().clone();
    let generation = session.doc().generation();
    session.preview(&rename()).expect("preview");
    assert_eq!(*session.doc().workspace(), before);
    assert_eq!(session.doc().generation(), generation, "a preview is no step");
    let mut tx = session.begin("Import 2 users", now).expect("begin");
    session.apply_part(&mut tx, rename());
    session.apply_part(
        &mut tx,
        Command::SetUserName {
            id: "sam.ruiz2".into(),
            name: "Sam R.".into(),
        },
    );
    match session.end_transaction(tx) {
        TransactionEnd::Committed { outcomes, command } => {
            assert_eq!(outcomes, 2);
            assert!(command.is_some());
        }
        other => panic!("{other:?}"),
    }
    assert!(session.doc().can_undo(), "one step");
    session.undo(now).expect("undo").expect("undone");
    assert_eq!(*session.doc().workspace(), before, "one undo takes both back");
    // A refused part rolls back every part.
    let mut tx = session.begin("Import", now).expect("begin");
    session.apply_part(&mut tx, rename());
    session.apply_part(
        &mut tx,
        Command::Assign {
            subjects: vec![ia_licensing::core::subject::Subject::user("tina.ruiz1")],
            key: "I3_LICENSE_BASIC_STATION".into(),
            method: None,
        },
    );
    match session.end_transaction(tx) {
        TransactionEnd::RolledBack { outcomes } => assert_eq!(outcomes.len(), 2),
        other => panic!("{other:?}"),
    }
    assert_eq!(*session.doc().workspace(), before, "rolled back");
}

/// The session gives the one answer the GUI shows (the status bar's
/// "Allocation read-only", greyed menus) and `may_change` refuses with:
/// the rules' refusal, read-only first, then stage 6 with the check-ins the
/// session was given.
#[test]
fn the_session_answers_whether_the_allocation_is_locked() {
    use ia_licensing::core::rules::Refusal;
    let mut session = virtual_cloud_session();
    let locked = at("2020-07-20T09:00:00Z");
    assert_eq!(session.allocation_lock(locked), Err(Refusal::SystemDisabled));
    assert_eq!(session.allocation_lock(at("2020-06-02T09:00:00Z")), Ok(()));
    session.set_clock(locked, &[at("2020-07-19T09:00:00Z")]);
    assert_eq!(session.allocation_lock(locked), Ok(()), "a check-in the day before");
    session.set_read_only_mode();
    assert_eq!(session.allocation_lock(locked), Err(Refusal::ReadOnly));
    assert!(matches!(session.may_change(locked), Err(EditError::ReadOnly(_))));
}
