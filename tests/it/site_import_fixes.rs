//! `site import` after an independent trial (#35): an endpoint page that
//! cannot be read refuses the import with its name (never skipped); a
//! wrongly typed ICWS property is reported with what was found and what was
//! expected, and the import goes on; refusals give file lines; only a key
//! said twice gets the "say each thing once" hint; `--force` respects the
//! lock of a session editing the workspace; the table summarises the files.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use ia_licensing::core::fs::FileLock;
use ia_licensing::core::site_import;
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

/// Runs the binary with a deadline (a FIFO read by mistake would block it
/// forever): exit code, stdout parsed as JSON when it is, all the text.
fn run(args: &[&str]) -> (i32, Value, String) {
    let mut child = bin()
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run");
    let start = Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if start.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("site import still running after 60 s: {args:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().expect("output");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let json = serde_json::from_str(&stdout).unwrap_or(Value::Null);
    (
        out.status.code().unwrap_or(-1),
        json,
        stdout + &String::from_utf8_lossy(&out.stderr),
    )
}

fn import_files(files: &[(&str, Value)]) -> site_import::Imported {
    let files: Vec<(String, Vec<u8>)> = files
        .iter()
        .map(|(n, v)| (n.to_string(), serde_json::to_vec(v).expect("json")))
        .collect();
    site_import::import_icws_files(&files).expect("import")
}

fn unmapped_of<'a>(imported: &'a site_import::Imported, record: &str, field: &str) -> Vec<&'a site_import::Unmapped> {
    imported
        .report
        .unmapped
        .iter()
        .filter(|u| u.record == record && u.field == field)
        .collect()
}

#[cfg(unix)]
#[test]
fn an_endpoint_page_that_cannot_be_read_refuses_the_import_with_its_name() {
    /// A page's name, how to make it unreadable, and the reason expected.
    type Case<'a> = (&'a str, &'a dyn Fn(&Path), &'a str);
    let cases: [Case; 4] = [
        (
            "users-c.json",
            &|p| std::os::unix::fs::symlink(p.with_file_name("gone.json"), p).expect("link"),
            "cannot open",
        ),
        (
            "users-d.json",
            &|p| {
                let status = Command::new("mkfifo").arg(p).status().expect("mkfifo");
                assert!(status.success());
            },
            "not a regular file",
        ),
        (
            "users-e.json",
            &|p| std::os::unix::fs::symlink("/dev/zero", p).expect("link"),
            "not a regular file",
        ),
        ("stations-x.json", &|p| std::fs::create_dir(p).expect("dir"), "folder"),
    ];
    for (name, make, why) in cases {
        let dir = tempfile::tempdir().expect("dir");
        let icws = icws_copy(dir.path());
        make(&icws.join(name));
        let out = dir.path().join("site.ialws");
        let (code, _, text) = run(&["site", "import", "--icws", s(&icws), "-o", s(&out), "--format", "json"]);
        assert_eq!(code, 2, "{name}: {text}");
        assert!(text.contains(name) && text.contains(why), "{name}: {text}");
        assert!(!out.exists(), "{name}: nothing written");
    }
}

#[test]
fn a_wrongly_typed_icws_property_is_reported_and_the_import_goes_on() {
    let imported = import_files(&[
        (
            "users.json",
            json!({"items": [
                {"configurationId": {"id": "u1", "displayName": 7}, "workgroups": "Sales",
                 "defaultWorkstation": "ws1", "licenseProperties": 5},
                {"configurationId": {"id": "u2"}, "roles": {"actualValue": "Agent"},
                 "licenseProperties": {"hasClientAccess": "yes", "mediaTypes": 1, "additionalLicenses": "I3_ACCESS_CLIENT",
                                       "licenseActive": "no"}},
                {"configurationId": {"id": "u3"}, "roles": {"actualValue": 5}},
                {"configurationId": {"id": "u4"}, "roles": {"something": []}},
                {"configurationId": {"id": "u5"}, "workgroups": [{"id": "Sales"}, 9], "displayName": ["x"]}
            ]}),
        ),
        (
            "stations.json",
            json!({"items": [{"configurationId": {"id": "s1"}, "stationType": 1, "stationLicenseProperties": "x"}]}),
        ),
        (
            "workgroups.json",
            json!({"items": [{"configurationId": {"id": "Sales"}, "utilizations": {"mediaType": 1}},
                              {"configurationId": {"id": "Billing"}, "utilizations": [3]}]}),
        ),
        (
            "roles.json",
            json!({"items": [{"configurationId": {"id": "Agent", "displayName": "Agent"}}]}),
        ),
        (
            "license-allocations.json",
            json!({"items": [{"configurationId": {"id": "I3_ACCESS_CLIENT"}, "assignableConfiguredCount": "x",
                              "concurrentConfiguredCount": 0}]}),
        ),
    ]);
    let ws = &imported.workspace;
    assert_eq!(ws.users().len(), 5, "every user imported");
    assert_eq!(ws.stations().len(), 1);
    for (record, field, expected) in [
        ("u1", "workgroups", "a list"),
        ("u1", "defaultWorkstation", "{id"),
        ("u1", "licenseProperties", "an object"),
        ("u1", "configurationId.displayName", "text"),
        ("u2", "licenseProperties.hasClientAccess", "true or false"),
        ("u2", "licenseProperties.mediaTypes", "a list"),
        ("u2", "licenseProperties.additionalLicenses", "a list"),
        ("u2", "licenseProperties.licenseActive", "true or false"),
        ("u3", "roles.actualValue", "a list"),
        ("u4", "roles", "actualValue"),
        ("u5", "workgroups[1]", "{id"),
        ("u5", "displayName", "text"),
        ("s1", "stationLicenseProperties", "an object"),
        ("Sales", "utilizations", "a list"),
        ("Billing", "utilizations[0]", "an object"),
        ("I3_ACCESS_CLIENT", "assignableConfiguredCount", "a whole number"),
    ] {
        let found = unmapped_of(&imported, record, field);
        assert_eq!(found.len(), 1, "{record} {field}: {:#?}", imported.report.unmapped);
        let u = found[0];
        let expected_text = u.expected.clone().unwrap_or_default();
        assert!(expected_text.contains(expected), "{record} {field}: {u:?}");
        // Called what it is: a value of the wrong kind, not a property left unread.
        assert!(!u.reason.contains("does not read"), "{u:?}");
        assert!(u.place.contains(".json items["), "{u:?}");
    }
    // The roles' actualValue as one text is read as one role, and said so.
    assert_eq!(ws.user("u2").expect("u2").roles, vec!["Agent"]);
    assert!(
        imported
            .report
            .assumptions
            .iter()
            .any(|a| a.code == "roles-single-text" && a.example == "u2"),
        "{:?}",
        imported.report.assumptions
    );
    assert!(ws.user("u3").expect("u3").roles.is_empty());
    // u5 keeps the membership that is a reference.
    assert_eq!(
        ws.user("u5")
            .expect("u5")
            .workgroups
            .iter()
            .map(|w| w.to_string())
            .collect::<Vec<_>>(),
        vec!["Sales"]
    );
    // A server count that cannot be read makes the self-check inconsistent.
    let check = imported.report.self_check.as_ref().expect("self-check");
    assert!(!check.consistent, "{check:?}");
    // A property the import does not know is still called that.
    let unknown = import_files(&[(
        "users.json",
        json!({"items": [{"configurationId": {"id": "u1"}, "licenseProperties": {"futureThing": 1}}]}),
    )]);
    assert!(
        unknown.report.unmapped[0].reason.contains("does not read"),
        "{:?}",
        unknown.report.unmapped
    );
}

/// Pretty-printed users with a malformed identity at item 300: the refusal
/// names the line and column of the file, not of the item.
#[test]
fn a_refusal_names_the_line_and_column_of_the_file() {
    let mut items: Vec<Value> = (0..300)
        .map(|i| json!({"configurationId": {"id": format!("u{i}")}}))
        .collect();
    items.push(json!({"configurationId": {"id": 12345}}));
    let text = serde_json::to_string_pretty(&json!({ "items": items })).expect("json");
    let line = text.lines().position(|l| l.contains("12345")).expect("marker") + 1;
    // serde_json's column: the last character it read (the number's last digit).
    let column = text.lines().nth(line - 1).expect("line").find("12345").expect("col") + "12345".len();
    let dir = tempfile::tempdir().expect("dir");
    std::fs::write(dir.path().join("users-0000.json"), &text).expect("write");
    let out = dir.path().join("o.ialws");
    let (code, _, message) = run(&["site", "import", "--icws", s(dir.path()), "-o", s(&out)]);
    assert_eq!(code, 2, "{message}");
    assert!(
        message.contains("users-0000.json items[300].configurationId.id"),
        "{message}"
    );
    assert!(
        message.contains(&format!("line {line} column {column}")),
        "line {line} column {column}: {message}"
    );
    // Not an object at all: its place and line too, in words (no type names of ours).
    let text = "{\"items\": [\n  {\"configurationId\": {\"id\": \"a\"}},\n  5\n]}";
    std::fs::write(dir.path().join("users-0000.json"), text).expect("write");
    let (code, _, message) = run(&["site", "import", "--icws", s(dir.path()), "-o", s(&out)]);
    assert_eq!(code, 2, "{message}");
    assert!(message.contains("items[1]") && message.contains("line 3"), "{message}");
    assert!(!message.contains("Icws"), "{message}");
}

#[test]
fn only_a_key_said_twice_gets_the_say_it_once_hint() {
    let dir = tempfile::tempdir().expect("dir");
    let out = dir.path().join("o.ialws");
    std::fs::write(
        dir.path().join("users-0000.json"),
        "{\"items\":[{\"configurationId\":{\"id\":\"a\"}}",
    )
    .expect("write");
    let (code, _, text) = run(&["site", "import", "--icws", s(dir.path()), "-o", s(&out)]);
    assert_eq!(code, 2, "{text}");
    assert!(
        text.contains("users-0000.json") && text.contains("line 1 column 40"),
        "{text}"
    );
    assert!(!text.contains("each thing once"), "{text}");
    std::fs::write(dir.path().join("users-0000.json"), "{\"items\":[], \"items\":[]}").expect("write");
    let (code, _, text) = run(&["site", "import", "--icws", s(dir.path()), "-o", s(&out)]);
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("twice") && text.contains("each thing once"), "{text}");
}

/// `--force` replaces a workspace only when no session is editing it: the
/// same lock `csv import` and `session` take.
#[test]
fn force_does_not_replace_a_workspace_a_session_is_editing() {
    let dir = tempfile::tempdir().expect("dir");
    let ws = dir.path().join("w.ialws");
    std::fs::copy(asset("demo.ialws"), &ws).expect("copy");
    let before = std::fs::read(&ws).expect("read");
    let lock = FileLock::acquire(&ws, "ia-licensing session").expect("lock");
    let icws = fixtures().join("icws");
    let (code, _, text) = run(&["site", "import", "--icws", s(&icws), "-o", s(&ws), "--force"]);
    assert_eq!(code, 2, "{text}");
    assert!(
        text.contains("being edited by") && text.contains(&format!("process {}", std::process::id())),
        "{text}"
    );
    assert_eq!(std::fs::read(&ws).expect("read"), before, "untouched");
    // Through the core too (the GUI's worker writes through it).
    let imported = site_import::import(&site_import::Source::Icws(icws.clone()), &mut |_, _, _| true).expect("import");
    let err = site_import::write(&imported, &ws, true, None).expect_err("locked");
    assert!(err.to_string().contains("being edited by"), "{err}");
    drop(lock);
    let (code, _, text) = run(&["site", "import", "--icws", s(&icws), "-o", s(&ws), "--force"]);
    assert_eq!(code, 0, "{text}");
    assert_eq!(Workspace::load_path(&ws).expect("loads").users().len(), 251);
}

/// 120 pages of users: the table counts the pages per endpoint instead of
/// naming every file.
#[test]
fn the_files_read_are_summarised_per_endpoint() {
    let dir = tempfile::tempdir().expect("dir");
    for page in 0..120 {
        let items: Vec<Value> = (0..2)
            .map(|i| json!({"configurationId": {"id": format!("user{page:04}-{i}")}}))
            .collect();
        std::fs::write(
            dir.path().join(format!("users-{:04}.json", page * 2)),
            serde_json::to_vec(&json!({ "items": items })).expect("json"),
        )
        .expect("write");
    }
    std::fs::write(dir.path().join("stations-0000.json"), "{\"items\": []}").expect("write");
    let out = dir.path().join("o.ialws");
    let (code, _, text) = run(&["site", "import", "--icws", s(dir.path()), "-o", s(&out)]);
    assert_eq!(code, 0, "{text}");
    let line = text
        .lines()
        .find(|l| l.starts_with("Files read"))
        .expect("Files read line");
    assert!(
        line.contains("users: 120 pages") && line.contains("stations: 1 page"),
        "{line}"
    );
    assert!(line.len() < 200, "{line}");
    // JSON keeps every file name.
    std::fs::remove_file(&out).expect("rm");
    let (code, report, text) = run(&[
        "site",
        "import",
        "--icws",
        s(dir.path()),
        "-o",
        s(&out),
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{text}");
    assert_eq!(report["files"].as_array().expect("files").len(), 121);
}
