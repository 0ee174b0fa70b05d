//! What the command line does when its output cannot be written: a full
//! disk behind `> out.json` exits 2 with a message (a script must see it),
//! a reader that went away (`| head -1`) exits 0 quietly, as ripgrep does.
//! Each test runs the binary with its standard output on `/dev/full` or on
//! a pipe whose reading end is already closed, so every write fails.

use std::process::{Command, Output, Stdio};

use crate::util::*;

/// Standard output on a device that is always full.
fn full_disk() -> Stdio {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full");
    Stdio::from(full)
}

/// Standard output on a pipe nobody reads any more: every write fails
/// with a broken pipe, whatever its size and however fast the command.
fn closed_pipe() -> Stdio {
    let (reader, writer) = std::io::pipe().expect("pipe");
    drop(reader);
    Stdio::from(writer)
}

fn run(mut cmd: Command, stdout: Stdio, stdin: &str) -> Output {
    use std::io::Write;
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(stdout)
        .stderr(Stdio::piped())
        .spawn()
        .expect("start ia-licensing");
    let mut input = child.stdin.take().expect("stdin");
    // The command may stop reading before the end: a failed write here is
    // its business, not the test's.
    let _ = input.write_all(stdin.as_bytes());
    drop(input);
    child.wait_with_output().expect("wait")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn command(args: &[&str]) -> Command {
    let mut cmd = bin();
    cmd.args(args);
    cmd
}

#[test]
fn a_table_to_a_full_disk_exits_2_saying_why() {
    let out = run(command(&["license", "parts"]), full_disk(), "");
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("cannot write the output"), "{}", stderr(&out));
}

#[test]
fn json_to_a_full_disk_exits_2_saying_why() {
    let lic = asset("demo.I3Lic");
    let out = run(
        command(&["license", "show", s(&lic), "--format", "json"]),
        full_disk(),
        "",
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("cannot write the output"), "{}", stderr(&out));
}

#[test]
fn a_closed_pipe_exits_0_and_says_nothing() {
    let lic = asset("demo.I3Lic");
    for args in [
        vec!["license", "parts"],
        vec!["license", "keys", "--format", "json"],
        vec!["license", "show", s(&lic)],
    ] {
        let out = run(command(&args), closed_pipe(), "");
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
        assert_eq!(stderr(&out), "", "{args:?}");
    }
}

#[test]
fn a_new_key_id_to_a_full_disk_exits_2_and_a_closed_pipe_0() {
    let dir = tempfile::tempdir().expect("tmp");
    let full = dir.path().join("full");
    let out = run(command(&["license", "keygen", "-o", s(&full)]), full_disk(), "");
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("cannot write the output"), "{}", stderr(&out));
    let closed = dir.path().join("closed");
    let out = run(command(&["license", "keygen", "-o", s(&closed)]), closed_pipe(), "");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!stderr(&out).contains("ia-licensing:"), "{}", stderr(&out));
    assert!(closed.join("issuer.pub").is_file());
}

/// A session whose replies cannot be written stops: no more steps without
/// their acknowledgement; the reason and exit code as for any command.
#[test]
fn a_session_stops_when_its_replies_cannot_be_written() {
    let dir = tempfile::tempdir().expect("tmp");
    let lic = dir.path().join("site.I3Lic");
    let ws = dir.path().join("site.ialws");
    std::fs::copy(asset("demo.I3Lic"), &lic).expect("license");
    std::fs::copy(asset("demo.ialws"), &ws).expect("workspace");
    let session = |journal: &str| {
        command(&[
            "session",
            "--license",
            s(&lic),
            "--workspace",
            s(&ws),
            "--journal",
            s(&dir.path().join(journal)),
        ])
    };
    let requests = "{\"undo\":true}\n{\"undo\":true}\n";
    let out = run(session("full.journal"), full_disk(), requests);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("cannot write the output"), "{}", stderr(&out));
    let out = run(session("closed.journal"), closed_pipe(), requests);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!stderr(&out).contains("ia-licensing:"), "{}", stderr(&out));
}
