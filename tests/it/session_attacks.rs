//! Attacks on "never lose work": kills between steps, saves then undos,
//! damaged journals, two processes on one workspace, full disks, symlinks,
//! files changed behind the session's back, and internal records smuggled
//! in as commands. Each test fails on code without the defence it names.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command as Process, Stdio};
use std::sync::Arc;

use crate::util::*;
use ia_licensing::core::command::Command;
use ia_licensing::core::document::Document;
use ia_licensing::core::editing::{JournalPlace, OpenArgs, Opened, SaveError, Session, Target};
use ia_licensing::core::journal::{self, LicenseSource};
use ia_licensing::core::license::{License, LoadOptions, TrustStore};
use ia_licensing::core::subject::Subject;
use ia_licensing::core::workspace::Workspace;
use proptest::prelude::*;
use serde_json::{Value, json};

/// A folder with a copy of the demo license and workspace.
fn site() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().expect("tmp");
    let lic = dir.path().join("site.I3Lic");
    let ws = dir.path().join("site.ialws");
    std::fs::copy(asset("demo.I3Lic"), &lic).expect("license");
    std::fs::copy(asset("demo.ialws"), &ws).expect("workspace");
    (dir, lic, ws)
}

struct Cli {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

impl Cli {
    fn start(lic: &Path, ws: &Path, journal: &Path, extra: &[&str]) -> Cli {
        let mut child = crate::util::bin()
            .args([
                "session",
                "--license",
                s(lic),
                "--workspace",
                s(ws),
                "--journal",
                s(journal),
            ])
            .args(extra)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start session");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = BufReader::new(child.stdout.take().expect("stdout"));
        Cli { child, stdin, stdout }
    }

    /// Sends one request and reads its reply (the acknowledgement).
    fn send(&mut self, request: &Value) -> Value {
        writeln!(self.stdin, "{request}").expect("send");
        self.stdin.flush().expect("flush");
        let mut reply = String::new();
        self.stdout.read_line(&mut reply).expect("reply");
        serde_json::from_str(&reply).unwrap_or_else(|e| panic!("reply {reply:?}: {e}"))
    }

    fn kill(mut self) {
        self.child.kill().expect("kill -9");
        let _ = self.child.wait();
    }
}

/// A second `session` on the same workspace, given no commands.
fn session_without_input(lic: &Path, ws: &Path, journal: &Path) -> std::process::Output {
    crate::util::bin()
        .args([
            "session",
            "--license",
            s(lic),
            "--workspace",
            s(ws),
            "--journal",
            s(journal),
        ])
        .stdin(Stdio::null())
        .output()
        .expect("second session")
}

/// A site whose session renamed Tina to `name` and was then killed: the
/// journal holds one unsaved step.
fn killed_after_one_rename(name: &str) -> (tempfile::TempDir, PathBuf, PathBuf, PathBuf) {
    let (dir, lic, ws) = site();
    let journal = dir.path().join("j.jsonl");
    let mut cli = Cli::start(&lic, &ws, &journal, &[]);
    assert_eq!(cli.send(&rename("tina.ruiz1", name))["ok"], true);
    cli.kill();
    (dir, lic, ws, journal)
}

fn recover(journal: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    crate::util::bin()
        .args(["recover", "--journal", s(journal), "-o", s(out)])
        .args(extra)
        .output()
        .expect("recover")
}

fn rename(id: &str, name: &str) -> Value {
    json!({"op": "set-user-name", "id": id, "name": name})
}

fn without_log(mut v: Value) -> Value {
    if let Some(o) = v.as_object_mut() {
        o.remove("change_log");
    }
    v
}

fn file_json(p: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(p).expect("read")).expect("json")
}

#[test]
fn an_undo_after_a_save_survives_a_kill() {
    let (dir, lic, ws) = site();
    let journal = dir.path().join("j.jsonl");
    let mut cli = Cli::start(&lic, &ws, &journal, &[]);
    assert_eq!(cli.send(&rename("tina.ruiz1", "Tina One"))["ok"], true);
    assert_eq!(cli.send(&json!({"save": true}))["ok"], true);
    let saved = file_json(&ws);
    assert_eq!(cli.send(&json!({"undo": true}))["ok"], true);
    assert_eq!(cli.send(&json!({"redo": true}))["ok"], true);
    assert_eq!(cli.send(&json!({"undo": true}))["ok"], true);
    cli.kill();
    assert_eq!(file_json(&ws), saved, "the kill saved nothing");
    let out = dir.path().join("recovered.ialws");
    let o = recover(&journal, &out, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let recovered = file_json(&out);
    // The acknowledged state: the rename undone (the save stays on disk).
    let name = recovered["users"]
        .as_array()
        .and_then(|u| u.iter().find(|u| u["id"] == "tina.ruiz1"))
        .map(|u| u["name"].clone());
    assert_eq!(name, Some(json!("Tina Ruiz")), "the undo after the save was replayed");
    assert_eq!(without_log(recovered), without_log(file_json(&asset("demo.ialws"))));
}

#[test]
fn a_damaged_line_in_the_middle_refuses_recovery_naming_it() {
    let (dir, lic, ws) = site();
    let journal = dir.path().join("j.jsonl");
    let mut cli = Cli::start(&lic, &ws, &journal, &[]);
    for i in 0..4 {
        assert_eq!(cli.send(&rename("tina.ruiz1", &format!("T{i}")))["ok"], true);
    }
    cli.kill();
    let text = std::fs::read_to_string(&journal).expect("journal");
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    lines[2] = lines[2].replace("set-user-name", "set-user-nam");
    std::fs::write(&journal, lines.join("\n") + "\n").expect("damage");
    let out = dir.path().join("recovered.ialws");
    let o = recover(&journal, &out, &["--discard"]);
    assert_eq!(o.status.code(), Some(2), "a partial state is not success");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("line 3"), "{err}");
    assert!(!out.exists(), "nothing was written");
    assert!(journal.exists(), "the journal is kept");
}

#[test]
fn a_journal_line_cut_short_at_the_end_is_the_only_one_ignored() {
    let (dir, _lic, _ws, journal) = killed_after_one_rename("Cut");
    let mut f = std::fs::OpenOptions::new().append(true).open(&journal).expect("open");
    f.write_all(br#"{"step":"apply","at":"2026-"#).expect("partial");
    let out = dir.path().join("r.ialws");
    let o = recover(&journal, &out, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn a_session_does_not_replace_an_unrecovered_journal() {
    let (_dir, lic, ws, journal) = killed_after_one_rename("Keep me");
    let before = std::fs::read(&journal).expect("journal");
    let o = session_without_input(&lic, &ws, &journal);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("recover"));
    assert_eq!(std::fs::read(&journal).expect("journal"), before, "untouched");
}

#[test]
fn two_sessions_on_one_workspace_meet_at_the_lock() {
    let (dir, lic, ws) = site();
    let journal = dir.path().join("j.jsonl");
    let mut first = Cli::start(&lic, &ws, &journal, &[]);
    assert_eq!(first.send(&rename("tina.ruiz1", "First"))["ok"], true);
    let pid = first.child.id();
    let o = session_without_input(&lic, &ws, &journal);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains(&format!("process {pid}")), "names the holder: {err}");
    // `recover` does not read a journal from under its running session.
    let o = recover(&journal, &dir.path().join("r.ialws"), &[]);
    assert_eq!(o.status.code(), Some(2));
    // The first session's work is intact and still journalled.
    assert_eq!(first.send(&rename("tina.ruiz1", "Still mine"))["ok"], true);
    first.kill();
    let o = recover(&journal, &dir.path().join("r.ialws"), &[]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn recover_discard_keeps_the_journal_when_the_output_fails() {
    let (dir, _lic, _ws, journal) = killed_after_one_rename("X");
    let o = recover(&journal, &dir.path().join("no-such-folder/out.ialws"), &["--discard"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(journal.exists(), "nothing is deleted until its replacement is written");
    // A closed pipe on standard output: also kept.
    let mut child = crate::util::bin()
        .args(["recover", "--journal", s(&journal), "--discard"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    drop(child.stdout.take());
    let _ = child.wait();
    assert!(journal.exists(), "kept after a closed pipe");
}

#[test]
fn a_session_does_not_save_over_a_file_changed_by_someone_else() {
    let (dir, lic, ws) = site();
    let journal = dir.path().join("j.jsonl");
    let mut cli = Cli::start(&lic, &ws, &journal, &[]);
    assert_eq!(cli.send(&rename("tina.ruiz1", "Mine"))["ok"], true);
    std::thread::sleep(std::time::Duration::from_millis(20));
    let theirs = b"{\"format\":1,\"users\":[],\"stations\":[],\"workgroups\":[]}\n";
    std::fs::write(&ws, theirs).expect("someone else saves");
    let reply = cli.send(&json!({"save": true}));
    assert_eq!(reply["ok"], false, "{reply}");
    assert_eq!(reply["changed_on_disk"], true);
    assert_eq!(std::fs::read(&ws).expect("ws"), theirs, "their file is untouched");
    let reply = cli.send(&json!({"save": true, "overwrite": true}));
    assert_eq!(reply["ok"], true, "{reply}");
    cli.kill();
    let _ = dir;
}

#[test]
fn internal_undo_records_are_not_accepted_as_commands() {
    let (dir, lic, ws) = site();
    let journal = dir.path().join("j.jsonl");
    let mut cli = Cli::start(&lic, &ws, &journal, &[]);
    let smuggled = json!({"op": "restore-user", "user": {
        "id": "tina.ruiz1", "name": "T", "licenses": ["I3_LICENSE_BASIC_STATION"], "workgroups": ["No Such Group"]
    }});
    let reply = cli.send(&smuggled);
    assert_eq!(reply["ok"], false, "{reply}");
    let batch = json!({"op": "batch", "commands": [smuggled]});
    assert_eq!(cli.send(&batch)["ok"], false);
    // An add with the same content goes through the rules.
    let add = json!({"op": "add-user", "user": {
        "id": "new.one", "name": "N", "licenses": ["I3_LICENSE_BASIC_STATION"], "workgroups": ["No Such Group"]
    }});
    let _ = cli.send(&add);
    let _ = cli.send(&json!({"save": true}));
    cli.kill();
    // Whatever was saved opens again.
    Workspace::load_path(&ws).expect("the saved workspace loads");
    // A journal carrying an internal record is refused, naming the line.
    let mut text = std::fs::read_to_string(&journal).expect("journal");
    text.push_str(&format!(
        "{}\n",
        json!({"step": "apply", "at": "2026-01-01T00:00:00Z", "command": smuggled})
    ));
    std::fs::write(&journal, text).expect("write");
    let o = recover(&journal, &dir.path().join("r.ialws"), &[]);
    assert_eq!(o.status.code(), Some(2), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn recovery_against_a_changed_license_asks_first() {
    let (dir, lic, _ws, journal) = killed_after_one_rename("Before renewal");
    // A renewal replaces the license file.
    std::fs::copy(asset("demo-virtual-cloud.I3Lic"), &lic).expect("renewal");
    let out = dir.path().join("r.ialws");
    let o = recover(&journal, &out, &[]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("site.I3Lic") && err.contains("changed"), "{err}");
    assert!(!out.exists());
    let o = recover(&journal, &out, &["--accept-license-change"]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
}

// ---- Saving ----

fn session_on(ws_path: &Path, journal: Option<&Path>) -> Session {
    let doc = Document::new(
        Arc::new(demo_license()),
        Workspace::load_path(ws_path).expect("ws"),
        date(2026, 1, 1),
    );
    let (session, opened) = Session::open(OpenArgs {
        doc,
        target: Target::File(ws_path.to_path_buf()),
        license_source: LicenseSource::Demo,
        place: journal.map_or(JournalPlace::None, |j| JournalPlace::File(j.to_path_buf())),
        actor: "tester".into(),
        program: "tests".into(),
        now: chrono::Utc::now(),
    });
    assert!(matches!(opened, Opened::Ready), "{opened:?}");
    session
}

fn demo_license() -> License {
    let store = TrustStore::with_demo();
    License::load_bytes(
        include_bytes!("../../assets/demo.I3Lic"),
        LoadOptions {
            trust: &store,
            allow_unsigned: false,
        },
    )
    .expect("demo license")
}

fn tina(name: &str) -> Command {
    Command::SetUserName {
        id: "tina.ruiz1".into(),
        name: name.into(),
    }
}

#[cfg(unix)]
#[test]
fn saving_through_symlinks_keeps_the_links_and_their_targets_safe() {
    use std::os::unix::fs::{PermissionsExt, symlink};
    let (dir, _lic, real) = site();
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).expect("mode");
    // The workspace is opened through a link in another folder.
    let links = dir.path().join("links");
    std::fs::create_dir(&links).expect("dir");
    let link = links.join("site.ialws");
    symlink(&real, &link).expect("link");
    // A trap: the .bak next to the real file is a link to a victim file.
    let victim = dir.path().join("victim.txt");
    std::fs::write(&victim, "do not touch").expect("victim");
    symlink(&victim, dir.path().join("site.ialws.bak")).expect("bak link");
    let mut session = session_on(&link, None);
    session.apply(tina("Linked"), chrono::Utc::now()).expect("apply");
    session.save(false, chrono::Utc::now()).expect("save");
    assert!(
        std::fs::symlink_metadata(&link).expect("meta").file_type().is_symlink(),
        "the link is still a link"
    );
    assert!(
        std::fs::read_to_string(&real).expect("real").contains("Linked"),
        "the target was saved"
    );
    assert_eq!(std::fs::read_to_string(&victim).expect("victim"), "do not touch");
    let mode = std::fs::metadata(&real).expect("meta").permissions().mode() & 0o777;
    assert_eq!(mode, 0o640, "the file keeps its permissions");
    // A link to nothing is refused, not written through.
    let dangling = links.join("gone.ialws");
    symlink(dir.path().join("nowhere/x.ialws"), &dangling).expect("dangling");
    assert!(matches!(
        session.save_as(&dangling, chrono::Utc::now()),
        Err(SaveError::Write(_))
    ));
    // No temporary files are left behind.
    let stray: Vec<_> = std::fs::read_dir(dir.path())
        .expect("ls")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp"))
        .collect();
    assert!(stray.is_empty(), "{stray:?}");
}

/// A small tmpfs fills up during the save: the workspace and its old
/// `.bak` are both unchanged. Needs root (mount); skipped otherwise.
#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_leaves_the_workspace_and_its_backup_unchanged() {
    let dir = tempfile::tempdir().expect("tmp");
    let mnt = dir.path().join("small");
    std::fs::create_dir(&mnt).expect("dir");
    let mounted = Process::new("mount")
        .args(["-t", "tmpfs", "-o", "size=512k", "tmpfs", s(&mnt)])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|st| st.success());
    if !mounted {
        eprintln!("skipped: cannot mount a small tmpfs here (needs root and mount rights)");
        return;
    }
    let result = std::panic::catch_unwind(|| {
        let ws = mnt.join("site.ialws");
        std::fs::copy(asset("demo.ialws"), &ws).expect("copy");
        let mut session = session_on(&ws, None);
        session.apply(tina("First save"), chrono::Utc::now()).expect("apply");
        session
            .save(false, chrono::Utc::now())
            .expect("first save makes a .bak");
        let before = std::fs::read(&ws).expect("ws");
        let bak_before = std::fs::read(mnt.join("site.ialws.bak")).expect("bak");
        // Fill the disk, leaving less than one workspace of room.
        let filler = mnt.join("filler");
        let room = 512 * 1024 - 2 * before.len() as u64 - 16 * 1024;
        std::fs::write(&filler, vec![0u8; room.max(1) as usize]).ok();
        session.apply(tina("Second save"), chrono::Utc::now()).expect("apply");
        let saved = session.save(false, chrono::Utc::now());
        assert!(saved.is_err(), "the disk is full: {saved:?}");
        assert_eq!(std::fs::read(&ws).expect("ws"), before, "the workspace is unchanged");
        assert_eq!(
            std::fs::read(mnt.join("site.ialws.bak")).expect("bak"),
            bak_before,
            "the old backup is unchanged"
        );
    });
    let _ = Process::new("umount").arg(&mnt).status();
    if let Err(e) = result {
        std::panic::resume_unwind(e);
    }
}

// ---- Recover equals the last acknowledged state ----

#[derive(Debug, Clone)]
enum Op {
    Rename(usize, u8),
    Unassign(usize),
    Assign(usize),
    Undo,
    Redo,
    Save,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (0usize..6, any::<u8>()).prop_map(|(u, n)| Op::Rename(u, n)),
        2 => (0usize..6).prop_map(Op::Unassign),
        2 => (0usize..6).prop_map(Op::Assign),
        2 => Just(Op::Undo),
        1 => Just(Op::Redo),
        1 => Just(Op::Save),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Random commands, saves, undos and redos, then a kill at a random
    /// step: the journal rebuilds exactly what was acknowledged.
    #[test]
    fn recover_equals_the_last_acknowledged_state(ops in prop::collection::vec(op(), 1..24), kill_at in 0usize..24) {
        recover_after_a_kill(&ops, kill_at)?;
    }
}

/// Runs `ops` in a session, "kills" it after `kill_at` of them, and checks
/// that the journal rebuilds exactly what was acknowledged.
fn recover_after_a_kill(ops: &[Op], kill_at: usize) -> Result<(), TestCaseError> {
    let (dir, _lic, ws) = site();
    let journal = dir.path().join("j.jsonl");
    let users: Vec<String> = Workspace::load_path(&ws)
        .expect("ws")
        .users()
        .iter()
        .take(6)
        .map(|u| u.id.clone())
        .collect();
    let mut session = session_on(&ws, Some(&journal));
    let t0 = chrono::Utc::now();
    for (i, op) in ops.iter().enumerate().take(kill_at.max(1)) {
        let at = t0 + chrono::Duration::seconds(i as i64);
        // Refusals are part of the test: whatever the outcome, the journal
        // must rebuild the state the session acknowledged.
        let client = |u: &usize| (vec![Subject::user(users[*u].clone())], "I3_ACCESS_CLIENT".to_string());
        let command = match op {
            Op::Rename(u, n) => Some(Command::SetUserName {
                id: users[*u].clone(),
                name: format!("N{n}"),
            }),
            Op::Unassign(u) => {
                let (subjects, key) = client(u);
                Some(Command::Unassign { subjects, key })
            }
            Op::Assign(u) => {
                let (subjects, key) = client(u);
                Some(Command::Assign {
                    subjects,
                    key,
                    method: None,
                })
            }
            Op::Undo | Op::Redo | Op::Save => None,
        };
        match (command, op) {
            (Some(command), _) => drop(session.apply(command, at)),
            (None, Op::Undo) => drop(session.undo(at)),
            (None, Op::Redo) => drop(session.redo(at)),
            (None, _) => drop(session.save(false, at)),
        }
    }
    let acknowledged = session.doc().to_file_value();
    let dirty = session.dirty();
    // The kill: no clean close (the lock goes with the process).
    drop(session);
    let store = TrustStore::with_demo();
    match journal::read(&journal).expect("read") {
        Some(rec) => {
            let load = |src: &LicenseSource| journal::load_source(src, &store, false);
            let restored = journal::restore(&rec, &load, false).expect("restore");
            prop_assert_eq!(restored.doc.to_file_value(), acknowledged);
            prop_assert_eq!(rec.unsaved_steps() > 0, dirty || rec.unsaved_steps() > 0);
        }
        None => {
            // No step was journalled: what is on disk is the state.
            prop_assert!(!dirty);
            prop_assert_eq!(without_log(file_json(&ws)), without_log(acknowledged));
        }
    }
    Ok(())
}

/// A save in three parts (begun, written on a worker, finished): while it
/// is written no change may be made (what is written is what was there
/// when it began, and the journal's "saved" marker stays true), a second
/// save is refused as busy, not started twice; the file is exactly what a
/// save at once writes; a failed write leaves everything unsaved and
/// editable again.
#[test]
fn a_save_written_elsewhere_holds_changes_until_it_is_finished() {
    let (dir, _lic, ws_path) = site();
    let journal = dir.path().join("j.jsonl");
    let mut session = session_on(&ws_path, Some(&journal));
    let rename = |name: &str| Command::SetUserName {
        id: "tina.ruiz1".into(),
        name: name.into(),
    };
    session.apply(rename("Tina One"), chrono::Utc::now()).expect("rename");
    let expected = session.doc().to_file_json();
    let pending = session.begin_save(false).expect("begin");
    assert!(session.is_saving());
    let refused = session.apply(rename("Tina Two"), chrono::Utc::now());
    assert!(
        matches!(refused, Err(ia_licensing::core::editing::EditError::Saving)),
        "{refused:?}"
    );
    assert!(session.undo(chrono::Utc::now()).is_err(), "no undo either");
    assert!(matches!(session.begin_save(false), Err(SaveError::Busy)));
    let (writer, ticket) = (pending.writer, pending.ticket);
    let written = std::thread::spawn(move || writer.write()).join().expect("worker");
    let path = session.finish_save(ticket, written, chrono::Utc::now()).expect("saved");
    assert_eq!(path, ws_path);
    assert!(!session.is_saving());
    assert!(!session.dirty());
    assert_eq!(std::fs::read_to_string(&ws_path).expect("read"), expected);
    // A write that failed: nothing saved, changes taken again.
    session.apply(rename("Tina Three"), chrono::Utc::now()).expect("rename");
    let pending = session.begin_save(false).expect("begin");
    let disk_full = ia_licensing::core::fs::FileError::Save {
        path: ws_path.clone(),
        reason: "disk full".into(),
    };
    let failed = session.finish_save(
        pending.ticket,
        Err(SaveError::Write(disk_full.clone())),
        chrono::Utc::now(),
    );
    assert_eq!(failed, Err(SaveError::Write(disk_full)));
    assert!(session.dirty());
    session
        .apply(rename("Tina Four"), chrono::Utc::now())
        .expect("editable again");
}
