//! `site import` after a second independent trial (#35): an import cut off
//! while writing never leaves a partial workspace at the output's name; an
//! output that is (or would be) a page of the export is refused before any
//! lock is taken and nothing is created there; names with control
//! characters are kept as the workspace keeps them and reported one by one;
//! `--force` never silently makes a crashed session's unsaved changes
//! unrecoverable; a license given as a bare text is read as an assumption;
//! every file of the export folder that is not read is listed with why.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use ia_licensing::core::command::Command as Edit;
use ia_licensing::core::site_import::{self, Source};
use ia_licensing::core::workspace::Workspace;
use serde_json::{Value, json};

use crate::util::*;

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/site")
}

fn icws_copy(dir: &Path) -> PathBuf {
    let to = dir.join("icws");
    std::fs::create_dir_all(&to).expect("dir");
    for entry in std::fs::read_dir(fixtures().join("icws")).expect("fixtures") {
        let path = entry.expect("entry").path();
        std::fs::copy(&path, to.join(path.file_name().expect("name"))).expect("copy");
    }
    to
}

fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Exit code, stdout as JSON when it is, and all the text.
fn finish(out: std::process::Output) -> (i32, Value, String) {
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let json = serde_json::from_str(&stdout).unwrap_or(Value::Null);
    (
        out.status.code().unwrap_or(-1),
        json,
        stdout + &String::from_utf8_lossy(&out.stderr),
    )
}

fn run_in(data: &Path, args: &[&str]) -> (i32, Value, String) {
    finish(
        bin()
            .env("IA_LICENSING_DATA_DIR", data)
            .args(args)
            .output()
            .expect("run"),
    )
}

fn run(args: &[&str]) -> (i32, Value, String) {
    finish(bin().args(args).output().expect("run"))
}

fn import_files(files: &[(&str, Value)]) -> site_import::Imported {
    let files: Vec<(String, Vec<u8>)> = files
        .iter()
        .map(|(n, v)| (n.to_string(), serde_json::to_vec(v).expect("json")))
        .collect();
    site_import::import_icws_files(&files).expect("import")
}

/// An export of `n` users with licenses (a workspace of some size).
fn big_export(dir: &Path, n: usize) -> PathBuf {
    let folder = dir.join("big");
    std::fs::create_dir_all(&folder).expect("dir");
    let users: Vec<Value> = (0..n)
        .map(|i| {
            json!({"configurationId": {"id": format!("user{i:05}"), "displayName": format!("User number {i}")},
                   "licenseProperties": {"hasClientAccess": true, "mediaLevel": 3}})
        })
        .collect();
    std::fs::write(
        folder.join("users-0000.json"),
        serde_json::to_vec(&json!({ "items": users })).expect("json"),
    )
    .expect("write");
    folder
}

/// The binary under a file-size limit far below the workspace it writes:
/// the system stops it in the middle of the write (SIGXFSZ), as a kill
/// would, at a place no timing decides.
#[cfg(unix)]
fn import_cut_short(export: &Path, out: &Path, extra: &[&str]) -> std::process::ExitStatus {
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg("ulimit -f 16 && exec \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_ia-licensing"))
        .args(["site", "import", "--icws", s(export), "-o", s(out)])
        .args(extra)
        .env("IA_LICENSING_DATA_DIR", export.join("..").join("data"))
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    cmd.status().expect("run")
}

/// A re-trial killed `site import` (without --force) mid-write and found a
/// truncated workspace at the output's name. The workspace is written to a
/// temporary file beside it and renamed into place: cut off, the name holds
/// nothing (or, with --force, the old file whole).
#[cfg(unix)]
#[test]
fn an_import_cut_off_while_writing_leaves_no_partial_workspace_at_the_name() {
    let dir = tempfile::tempdir().expect("dir");
    let export = big_export(dir.path(), 3_000);
    let out = dir.path().join("site.ialws");
    let status = import_cut_short(&export, &out, &[]);
    assert!(!status.success(), "the limit stops the write");
    assert!(
        !out.exists(),
        "a partial workspace was left at the output's name ({} bytes)",
        std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0)
    );
    // Replacing: the old workspace stays whole.
    std::fs::copy(asset("demo.ialws"), &out).expect("copy");
    let before = std::fs::read(&out).expect("read");
    let status = import_cut_short(&export, &out, &["--force"]);
    assert!(!status.success(), "the limit stops the write");
    assert_eq!(std::fs::read(&out).expect("read"), before, "the old workspace is whole");
    // Without the limit, the same import writes a workspace that loads.
    std::fs::remove_file(&out).expect("rm");
    let (code, _, text) = run(&["site", "import", "--icws", s(&export), "-o", s(&out)]);
    assert_eq!(code, 0, "{text}");
    assert_eq!(Workspace::load_path(&out).expect("loads").users().len(), 3_000);
}

/// `--force -o` a page of the export is refused before any lock is taken:
/// no lock file (nor anything else) appears in the export folder. A new
/// file there named like a page (which the next import would read as one)
/// is refused the same way, in the CLI and in the core the GUI writes
/// through; another name in the folder is the administrator's choice.
#[test]
fn an_output_that_is_a_page_of_the_export_is_refused_and_nothing_is_created() {
    let dir = tempfile::tempdir().expect("dir");
    let icws = icws_copy(dir.path());
    let before = names(&icws);
    let page = icws.join("users-a.json");
    let page_bytes = std::fs::read(&page).expect("read");
    let (code, _, text) = run(&["site", "import", "--icws", s(&icws), "-o", s(&page), "--force"]);
    assert_eq!(code, 2, "{text}");
    assert!(
        text.contains("users-a.json") && text.contains("same file as the input"),
        "{text}"
    );
    assert_eq!(names(&icws), before, "nothing created in the export folder: {text}");
    assert_eq!(std::fs::read(&page).expect("read"), page_bytes, "the page is untouched");
    let new_page = icws.join("users-new.json");
    for force in [false, true] {
        let mut args = vec!["site", "import", "--icws", s(&icws), "-o", s(&new_page)];
        if force {
            args.push("--force");
        }
        let (code, _, text) = run(&args);
        assert_eq!(code, 2, "{text}");
        assert!(text.contains("page of the export"), "{text}");
        assert_eq!(names(&icws), before, "nothing created in the export folder: {text}");
    }
    // The GUI's path: the core refuses it too, before any lock.
    let imported = site_import::import(&Source::Icws(icws.clone()), &mut |_, _, _| true).expect("import");
    let err = site_import::write(&imported, &page, true, None).expect_err("refused");
    assert!(err.to_string().contains("users-a.json"), "{err}");
    let err = site_import::write(&imported, &new_page, false, None).expect_err("refused");
    assert!(err.to_string().contains("page of the export"), "{err}");
    assert_eq!(names(&icws), before);
}

/// Control characters and escape codes in names are kept as they are, as
/// the workspace loader keeps every name (the IDs must stay the server's),
/// shown escaped wherever printed, and each is reported as a warning with
/// its record and field — for ICWS and registry exports alike.
#[test]
fn names_with_control_characters_are_kept_and_each_is_reported() {
    let imported = import_files(&[
        (
            "users.json",
            json!({"items": [
                {"configurationId": {"id": "evil\u{1b}[2J", "displayName": "x\u{9b}y"},
                 "workgroups": [{"id": "g\u{202e}h"}], "defaultWorkstation": {"id": "ws\u{7}1"}},
                {"configurationId": {"id": "plain", "displayName": "Plain Name"}}
            ]}),
        ),
        (
            "stations.json",
            json!({"items": [{"configurationId": {"id": "ws\u{7}1"}, "stationType": 1, "machineName": "m\u{8}c"}]}),
        ),
        (
            "workgroups.json",
            json!({"items": [{"configurationId": {"id": "g\u{202e}h"}}]}),
        ),
    ]);
    let ws = &imported.workspace;
    let user = ws.users().iter().find(|u| u.id.starts_with("evil")).expect("user kept");
    assert_eq!(user.id, "evil\u{1b}[2J", "kept exactly");
    assert_eq!(user.name, "x\u{9b}y");
    assert_eq!(ws.stations()[0].machine_name, "m\u{8}c");
    let warned = |record: &str, field: &str| {
        imported
            .report
            .warnings
            .iter()
            .any(|w| w.record == record && w.field == field && w.reason.contains("control"))
    };
    for (record, field) in [
        ("evil\u{1b}[2J", "configurationId.id"),
        ("evil\u{1b}[2J", "configurationId.displayName"),
        ("evil\u{1b}[2J", "defaultWorkstation"),
        ("ws\u{7}1", "configurationId.id"),
        ("ws\u{7}1", "machineName"),
        ("g\u{202e}h", "configurationId.id"),
    ] {
        assert!(
            warned(record, field),
            "{record:?} {field}: {:#?}",
            imported.report.warnings
        );
    }
    assert!(
        !imported.report.warnings.iter().any(|w| w.record == "plain"),
        "a plain name is not reported"
    );
    // The registry: the key name and the display name.
    let reg = "Windows Registry Editor Version 5.00\r\n\r\n\
        [HKEY_LOCAL_MACHINE\\SOFTWARE\\Wow6432Node\\Interactive Intelligence\\EIC\\Directory Services\\Root\\S\\Production\\Users\\r\u{1b}[31m]\r\n\
        \"displayName\"=\"Red\u{1b}[0m\"\r\n";
    let imported = site_import::import_registry_bytes("site.reg", reg.as_bytes()).expect("import");
    assert_eq!(imported.workspace.users()[0].id, "r\u{1b}[31m");
    let fields: Vec<&str> = imported
        .report
        .warnings
        .iter()
        .filter(|w| w.reason.contains("control"))
        .map(|w| w.field.as_str())
        .collect();
    assert_eq!(
        fields,
        vec!["(key name)", "displayName"],
        "{:#?}",
        imported.report.warnings
    );
    // Printed, every one is escaped.
    let dir = tempfile::tempdir().expect("dir");
    let folder = dir.path().join("e");
    std::fs::create_dir_all(&folder).expect("dir");
    std::fs::write(
        folder.join("users.json"),
        serde_json::to_vec(&json!({"items": [{"configurationId": {"id": "evil\u{1b}[2J"}}]})).expect("json"),
    )
    .expect("write");
    for format in ["table", "json"] {
        let out = dir.path().join(format!("{format}.ialws"));
        let (code, _, text) = run(&[
            "site",
            "import",
            "--icws",
            s(&folder),
            "-o",
            s(&out),
            "--format",
            format,
        ]);
        assert_eq!(code, 0, "{text}");
        assert!(!text.contains('\u{1b}'), "{text}");
        assert!(text.contains("control character"), "{format}: reported: {text}");
    }
}

/// A session on `ws` that applies one change and is killed: its journal in
/// `data` holds one unsaved change.
fn crashed_session(data: &Path, ws: &Path, license: &Path) {
    let mut child = crate::util::bin()
        .env("IA_LICENSING_DATA_DIR", data)
        .args(["session", "--license", s(license), "--workspace", s(ws)])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start session");
    let mut stdin = child.stdin.take().expect("stdin");
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let edit = Edit::SetUserName {
        id: "tina.ruiz1".into(),
        name: "Tina R.".into(),
    };
    writeln!(stdin, "{}", serde_json::to_string(&edit).expect("json")).expect("send");
    stdin.flush().expect("flush");
    let mut reply = String::new();
    stdout.read_line(&mut reply).expect("reply");
    assert!(reply.contains("\"ok\":true"), "{reply}");
    child.kill().expect("kill");
    let _ = child.wait();
}

/// `--force` over a workspace whose crashed session left unsaved changes
/// in its recovery journal is refused, naming the journal and how many
/// changes, and saying how to keep them; `--discard-journal` replaces it
/// and discards them, saying so. The GUI's path (the core) refuses too.
#[test]
fn force_over_a_workspace_with_unsaved_journalled_changes_is_refused() {
    let dir = tempfile::tempdir().expect("dir");
    let data = dir.path().join("data");
    let ws = dir.path().join("site.ialws");
    let license = dir.path().join("demo.I3Lic");
    std::fs::copy(asset("demo.ialws"), &ws).expect("copy");
    std::fs::copy(asset("demo.I3Lic"), &license).expect("copy");
    crashed_session(&data, &ws, &license);
    let journals = names(&data.join("journals"));
    let journal = journals
        .iter()
        .find(|n| n.ends_with(".jsonl"))
        .map(|n| data.join("journals").join(n))
        .expect("a journal");
    let before = std::fs::read(&ws).expect("read");
    let icws = fixtures().join("icws");
    let (code, _, text) = run_in(&data, &["site", "import", "--icws", s(&icws), "-o", s(&ws), "--force"]);
    assert_eq!(code, 2, "{text}");
    assert!(
        text.contains("1 unsaved change") && text.contains(s(&journal)) && text.contains("--discard-journal"),
        "{text}"
    );
    assert!(text.contains("recover"), "says how to keep them: {text}");
    assert_eq!(std::fs::read(&ws).expect("read"), before, "untouched");
    assert!(journal.exists(), "the journal is kept");
    // Through the core too (the GUI's worker writes through it).
    let imported = site_import::import(&Source::Icws(icws.clone()), &mut |_, _, _| true).expect("import");
    let err = site_import::write_with(
        &imported,
        &ws,
        &site_import::WriteOptions {
            replace: true,
            data_dir: Some(data.clone()),
            ..Default::default()
        },
    )
    .expect_err("refused");
    assert!(err.to_string().contains("1 unsaved change"), "{err}");
    assert_eq!(std::fs::read(&ws).expect("read"), before, "untouched");
    // --discard-journal: replaced, the journal discarded, and said so.
    let (code, report, text) = run_in(
        &data,
        &[
            "site",
            "import",
            "--icws",
            s(&icws),
            "-o",
            s(&ws),
            "--force",
            "--discard-journal",
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("discarded 1 unsaved change"), "{text}");
    assert_eq!(report["discarded_journal"]["changes"], 1, "{report}");
    assert!(!journal.exists(), "the journal is discarded");
    assert_eq!(Workspace::load_path(&ws).expect("loads").users().len(), 251);
    // --discard-journal alone does not replace anything.
    let other = dir.path().join("other.ialws");
    std::fs::copy(asset("demo.ialws"), &other).expect("copy");
    let (code, _, text) = run_in(
        &data,
        &[
            "site",
            "import",
            "--icws",
            s(&icws),
            "-o",
            s(&other),
            "--discard-journal",
        ],
    );
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("already exists"), "{text}");
}

/// `additionalLicenses` documented as `[{id, displayName, uri}]`: a bare
/// text element is read as the key, and the assumption is reported.
#[test]
fn a_bare_text_additional_license_is_read_as_an_assumption() {
    let imported = import_files(&[(
        "users.json",
        json!({"items": [
            {"configurationId": {"id": "u1"},
             "licenseProperties": {"additionalLicenses": ["I3_ACCESS_RECORDER_QUALITYMONITORING_AGENT",
                                                          {"id": "I3_ACCESS_DIALER_ADDON"}]}},
            {"configurationId": {"id": "u2"},
             "licenseProperties": {"additionalLicenses": [{"id": "I3_ACCESS_DIALER_ADDON"}]}}
        ]}),
    )]);
    let user = &imported.workspace.users()[0];
    assert!(
        user.licenses.contains("I3_ACCESS_RECORDER_QUALITYMONITORING_AGENT"),
        "read"
    );
    let assumed = imported
        .report
        .assumptions
        .iter()
        .find(|a| a.code == "additional-license-text")
        .unwrap_or_else(|| panic!("reported: {:#?}", imported.report.assumptions));
    assert_eq!((assumed.count, assumed.example.as_str()), (1, "u1"));
    assert!(assumed.text.contains("{id, displayName, uri}"), "{}", assumed.text);
}

/// Every entry of the export folder that is not read is listed, with why,
/// in the table and the JSON: files that are not JSON, JSON files named
/// after no endpoint, a file named after an endpoint but not JSON, a folder.
#[test]
fn every_file_of_the_folder_not_read_is_listed_with_why() {
    let dir = tempfile::tempdir().expect("dir");
    let icws = icws_copy(dir.path());
    std::fs::write(icws.join("notes.txt"), "hello").expect("write");
    std::fs::write(icws.join("users.csv"), "id\n").expect("write");
    std::fs::write(icws.join("readme.json"), "{}").expect("write");
    std::fs::write(icws.join(".DS_Store"), [0u8, 1, 2]).expect("write");
    std::fs::create_dir(icws.join("old")).expect("dir");
    let out = dir.path().join("o.ialws");
    let (code, report, text) = run(&["site", "import", "--icws", s(&icws), "-o", s(&out), "--format", "json"]);
    assert_eq!(code, 0, "{text}");
    let listed: Vec<(String, String)> = report["files_not_read"]
        .as_array()
        .unwrap_or_else(|| panic!("files_not_read: {report}"))
        .iter()
        .map(|f| {
            (
                f["file"].as_str().expect("file").to_string(),
                f["why"].as_str().expect("why").to_string(),
            )
        })
        .collect();
    let why = |name: &str| {
        listed
            .iter()
            .find(|(f, _)| f == name)
            .map(|(_, w)| w.clone())
            .unwrap_or_else(|| panic!("{name} not listed: {listed:?}"))
    };
    assert!(why("notes.txt").contains("not a JSON file"), "{listed:?}");
    assert!(why(".DS_Store").contains("not a JSON file"), "{listed:?}");
    assert!(why("users.csv").contains("not a JSON file"), "{listed:?}");
    assert!(why("readme.json").contains("not named after"), "{listed:?}");
    assert!(why("old").contains("folder"), "{listed:?}");
    assert_eq!(listed.len(), 5, "{listed:?}");
    // The table says the same.
    std::fs::remove_file(&out).expect("rm");
    let (code, _, text) = run(&["site", "import", "--icws", s(&icws), "-o", s(&out)]);
    assert_eq!(code, 0, "{text}");
    let section = text
        .split("Files not read")
        .nth(1)
        .unwrap_or_else(|| panic!("no Files not read section: {text}"));
    for name in ["notes.txt", "users.csv", "readme.json", ".DS_Store", "old"] {
        assert!(section.contains(name), "{name}: {text}");
    }
    assert!(
        section.contains("not a JSON file") && section.contains("folder"),
        "{text}"
    );
}

/// A third trial (N1): a key that license-allocations lists twice (two
/// pages, or one page) was merged without a word, and a stale duplicate
/// decided the self-check. The first is compared; each later one is a
/// warning with its place and both counts; a key in another letter case is
/// the same key.
#[test]
fn a_key_listed_twice_by_license_allocations_is_reported_not_merged() {
    let users = json!({"items": [{"configurationId": {"id": "u1"},
        "licenseProperties": {"hasClientAccess": true, "allocationType": 0}}]});
    let first = json!({"items": [{"configurationId": {"id": "I3_ACCESS_CLIENT"},
        "assignableConfiguredCount": 1, "concurrentConfiguredCount": 0}]});
    let stale = json!({"items": [{"configurationId": {"id": "i3_access_client"},
        "assignableConfiguredCount": 9, "concurrentConfiguredCount": 4}]});
    let imported = import_files(&[
        ("users-0000.json", users),
        ("license-allocations-0000.json", first),
        ("license-allocations-0200.json", stale),
    ]);
    let check = imported.report.self_check.as_ref().expect("self-check");
    assert!(check.consistent, "the first is compared: {check:?}");
    let said = imported
        .report
        .warnings
        .iter()
        .find(|w| w.reason.contains("lists I3_ACCESS_CLIENT again"))
        .unwrap_or_else(|| panic!("reported: {:#?}", imported.report.warnings));
    assert!(said.place.contains("license-allocations-0200.json"), "{said:?}");
    assert!(
        said.value.contains('9') && said.reason.contains("license-allocations-0000.json"),
        "{said:?}"
    );
}
