//! Attacks on the newer surfaces (issue #28), one test per class, each
//! written as the attacker would try it and failing without the defence it
//! names: links at lock files, two names for one account, two generates at
//! once, a hand-raised quantity, outputs over inputs and keys, a license
//! that cannot be written, activation file numbers at their end, a crafted
//! usage history, a busy history, a history path that is a device, huge
//! numbers, non-UTF-8 session input, the change log's who and when, prices
//! with three decimals, a workgroup called "(Stations)", CSV round trips,
//! the percentile and hostile ID patterns.

use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};

use proptest::prelude::*;
use serde_json::{Value, json};

use crate::util::{asset, bin, s};

fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("run")
}

fn code(out: &Output) -> Option<i32> {
    out.status.code()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn json(out: &Output) -> Value {
    assert!(out.status.success(), "exit {:?}: {}", code(out), stderr(out));
    serde_json::from_slice(&out.stdout).expect("json")
}

fn key() -> PathBuf {
    asset("keys/demo-issuer.key")
}

fn account_copy(dir: &Path) -> PathBuf {
    let p = dir.join("site.ialacct");
    std::fs::copy(asset("demo.ialacct"), &p).expect("copy account");
    p
}

fn generate(account: &Path, out: &Path, units: &str, extra: &[&str]) -> Output {
    let part = format!("SW-001-4.0-PL09={units}");
    let k = key();
    let mut args = vec![
        "account",
        "generate",
        "--account",
        s(account),
        "--install-site",
        "Test Install Site",
        "--part",
        &part,
        // "Select One Valid Server Item" (#29): the development system the
        // seed's account has available.
        "--part",
        "SW-001-4.0-IDS2=1",
        "--level",
        "production",
        "--host-id",
        "G807test",
        "--machine",
        "testing",
        "--sign-key",
        s(&k),
        "-o",
        s(out),
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    run(&args)
}

fn victim(dir: &Path) -> (PathBuf, &'static str) {
    let p = dir.join("precious.txt");
    let text = "precious content";
    std::fs::write(&p, text).expect("victim");
    (p, text)
}

// ---- Locks ----

#[test]
fn a_link_planted_at_the_account_lock_never_reaches_its_target() {
    let dir = tempfile::tempdir().expect("tmp");
    let account = account_copy(dir.path());
    let (victim, text) = victim(dir.path());
    std::os::unix::fs::symlink(&victim, dir.path().join("site.ialacct.lock")).expect("link");
    let out = run(&[
        "account",
        "deactivate",
        s(&account),
        "--id",
        "AF-0001",
        "--sign-key",
        s(&key()),
    ]);
    assert_eq!(code(&out), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("lock file"), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&victim).expect("read"), text);
}

#[test]
fn a_link_planted_at_a_journal_lock_never_reaches_its_target() {
    let dir = tempfile::tempdir().expect("tmp");
    let (victim, text) = victim(dir.path());
    let ws = dir.path().join("w.ialws");
    std::fs::copy(asset("scenarios/shift-change.ialws"), &ws).expect("copy");
    let lic = asset("scenarios/shift-change.I3Lic");
    // An explicit journal, and the data folder's journal of the workspace.
    let journal = dir.path().join("j.jsonl");
    std::os::unix::fs::symlink(&victim, dir.path().join("j.jsonl.lock")).expect("link");
    let data = dir.path().join("data");
    let in_data = ia_licensing::core::journal::path_for(&data, &ia_licensing::core::journal::JournalOf::File(&ws));
    std::fs::create_dir_all(in_data.parent().expect("dir")).expect("journals dir");
    let mut lock_name = in_data.file_name().expect("name").to_owned();
    lock_name.push(".lock");
    std::os::unix::fs::symlink(&victim, in_data.with_file_name(lock_name)).expect("link");
    for extra in [vec!["--journal", s(&journal)], vec![]] {
        let mut args = vec!["session", "--license", s(&lic), "--workspace", s(&ws)];
        args.extend(extra);
        let out = bin()
            .args(&args)
            .env("IA_LICENSING_DATA_DIR", &data)
            .stdin(Stdio::null())
            .output()
            .expect("run");
        assert_eq!(code(&out), Some(2), "{}", stderr(&out));
        assert_eq!(std::fs::read_to_string(&victim).expect("read"), text);
    }
}

#[test]
fn a_link_to_the_account_shares_its_lock() {
    let dir = tempfile::tempdir().expect("tmp");
    let account = account_copy(dir.path());
    let alias = dir.path().join("alias.ialacct");
    std::os::unix::fs::symlink(&account, &alias).expect("link");
    let held = ia_licensing::core::account::AccountLock::acquire(&account).expect("lock");
    let out = generate(&alias, &dir.path().join("a.I3Lic"), "1", &[]);
    assert_eq!(code(&out), Some(2));
    assert!(stderr(&out).contains("in use"), "{}", stderr(&out));
    drop(held);
    json(&generate(&alias, &dir.path().join("a.I3Lic"), "1", &[]));
}

#[test]
fn two_generates_at_once_never_draw_the_same_units_twice() {
    let dir = tempfile::tempdir().expect("tmp");
    let account = account_copy(dir.path());
    // 49 Media Session units are left: each asks for all of them.
    let children: Vec<_> = (0..4)
        .map(|i| {
            let out = dir.path().join(format!("g{i}.I3Lic"));
            let account = account.clone();
            std::thread::spawn(move || (generate(&account, &out, "49", &[]), out))
        })
        .collect();
    let results: Vec<(Output, PathBuf)> = children.into_iter().map(|c| c.join().expect("thread")).collect();
    let made: Vec<&PathBuf> = results
        .iter()
        .filter(|(o, _)| o.status.success())
        .map(|(_, p)| p)
        .collect();
    assert_eq!(made.len(), 1, "exactly one draws the 49 units");
    for (o, p) in &results {
        if !o.status.success() {
            assert!(!p.exists(), "no license without its draw");
        }
    }
    let shown = json(&run(&["account", "show", s(&account), "--format", "json"]));
    let pl09 = shown["summary"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["part_number"] == "SW-001-4.0-PL09")
        .expect("row")
        .clone();
    assert_eq!(pl09["used"], 169);
    assert_eq!(shown["activation_files"].as_array().map(Vec::len), Some(2));
}

// ---- The account as a trust boundary ----

#[test]
fn a_quantity_raised_by_hand_is_not_signed_into_a_license() {
    let dir = tempfile::tempdir().expect("tmp");
    let account = account_copy(dir.path());
    let text = std::fs::read_to_string(&account).expect("read");
    let raised = text.replacen("\"quantity\": 169", "\"quantity\": 100169", 1);
    assert_ne!(raised, text, "the seed's 169 Media Session units are in the file");
    std::fs::write(&account, &raised).expect("write");
    let out = generate(&account, &dir.path().join("x.I3Lic"), "1000", &[]);
    assert_eq!(code(&out), Some(2));
    assert!(stderr(&out).contains("tampered"), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(&account).expect("read"),
        raised,
        "nothing written"
    );
    assert!(!dir.path().join("x.I3Lic").exists());
    let shown = run(&["account", "show", s(&account)]);
    assert!(String::from_utf8_lossy(&shown.stdout).starts_with("TAMPERED account"));
    // On purpose, with the flag: the output says so.
    let out = generate(
        &account,
        &dir.path().join("x.I3Lic"),
        "1000",
        &["--allow-unsigned-account"],
    );
    let v = json(&out);
    assert_eq!(v["account"]["status"], "tampered");
    assert_eq!(v["account"]["allowed_unsigned"], true);
    assert!(stderr(&out).starts_with("TAMPERED account"), "{}", stderr(&out));
    // Used on purpose, it is not laundered: it stays unsigned, never valid.
    let shown = json(&run(&["account", "show", s(&account), "--format", "json"]));
    assert_eq!(shown["account"]["status"], "unsigned");
}

#[test]
fn changes_keep_the_key_that_signed_the_account() {
    let dir = tempfile::tempdir().expect("tmp");
    let account = account_copy(dir.path());
    let keys = dir.path().join("keys");
    assert!(
        run(&["license", "keygen", "-o", s(&keys), "--key-id", "acme-issuer"])
            .status
            .success()
    );
    let own = keys.join("issuer.key");
    let public = keys.join("issuer.pub");
    json(&run(&[
        "account",
        "sign",
        s(&account),
        "--sign-key",
        s(&own),
        "--format",
        "json",
    ]));
    // The demo key may not re-sign an account acme vouches for.
    let out = generate(&account, &dir.path().join("d.I3Lic"), "1", &["--trust", s(&public)]);
    assert_eq!(code(&out), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("acme-issuer"), "{}", stderr(&out));
    let v = json(&run(&[
        "account",
        "show",
        s(&account),
        "--trust",
        s(&public),
        "--format",
        "json",
    ]));
    assert_eq!(v["account"]["status"], "valid");
    // account sign names who signed it before.
    let v = json(&run(&[
        "account",
        "sign",
        s(&account),
        "--sign-key",
        s(&key()),
        "--trust",
        s(&public),
        "--format",
        "json",
    ]));
    assert_eq!(v["previous_issuer"], "acme-issuer");
    assert_eq!(v["account"]["status"], "demo");
}

#[test]
fn outputs_never_replace_an_inputs_lock_or_backup() {
    let dir = tempfile::tempdir().expect("tmp");
    let account = account_copy(dir.path());
    for beside in ["site.ialacct.lock", "site.ialacct.bak"] {
        let target = dir.path().join(beside);
        std::fs::write(&target, "kept").expect("write");
        let out = generate(&account, &target, "1", &[]);
        assert_eq!(code(&out), Some(2), "{beside}: {}", stderr(&out));
        assert_eq!(std::fs::read_to_string(&target).expect("read"), "kept");
    }
}

#[test]
fn an_update_keeps_the_server_and_the_type() {
    let dir = tempfile::tempdir().expect("tmp");
    let account = account_copy(dir.path());
    let k = key();
    let update = |host: &str, level: &str| {
        run(&[
            "account",
            "update",
            "--id",
            "AF-0001",
            "--account",
            s(&account),
            "--install-site",
            "Test Install Site",
            "--part",
            "SW-001-4.0-PL09=121",
            "--part",
            "SW-001-4.0-AL02=50",
            "--part",
            "SW-001-4.0-AL06=120",
            "--part",
            "SW-001-4.0-PL04=100",
            "--part",
            "SW-001-4.0-PL06=100",
            "--part",
            "SW-001-4.0-SL03=1",
            "--level",
            level,
            "--host-id",
            host,
            "--machine",
            "testing",
            "--sign-key",
            s(&k),
            "-o",
            s(&dir.path().join("u.I3Lic")),
        ])
    };
    for (host, level) in [("OTHERHOST", "production"), ("G807test", "development-large")] {
        let out = update(host, level);
        assert_eq!(code(&out), Some(2), "{host} {level}");
        assert!(stderr(&out).contains("keeps"), "{}", stderr(&out));
    }
    assert!(update("G807test", "production").status.success());
}

#[test]
fn key_ids_that_could_never_be_trusted_are_refused() {
    let dir = tempfile::tempdir().expect("tmp");
    for (i, id) in ["", "  ", "ia-licensing-demo-issuer", "evil\u{1b}[31mred"]
        .iter()
        .enumerate()
    {
        let out_dir = dir.path().join(format!("k{i}"));
        let out = run(&["license", "keygen", "-o", s(&out_dir), "--key-id", id]);
        assert_eq!(code(&out), Some(2), "{id:?}");
        assert!(!out_dir.join("issuer.key").exists());
        assert!(!String::from_utf8_lossy(&out.stdout).contains('\u{1b}'));
    }
}

#[test]
fn reclaim_refuses_to_judge_before_the_first_event() {
    let out = run(&[
        "reclaim",
        "--license",
        s(&asset("scenarios/idle-tracker.I3Lic")),
        "--workspace",
        s(&asset("scenarios/idle-tracker.ialws")),
        "--events",
        s(&asset("scenarios/idle-tracker.events.json")),
        "--idle-days",
        "5",
        "--as-of",
        "1999-01-01",
    ]);
    assert_eq!(code(&out), Some(2));
    assert!(stderr(&out).contains("before the first event"), "{}", stderr(&out));
}

#[test]
fn an_account_signed_by_an_unknown_key_needs_trust() {
    let dir = tempfile::tempdir().expect("tmp");
    let account = account_copy(dir.path());
    let keys = dir.path().join("keys");
    assert!(run(&["license", "keygen", "-o", s(&keys)]).status.success());
    let own = keys.join("issuer.key");
    json(&run(&[
        "account",
        "sign",
        s(&account),
        "--sign-key",
        s(&own),
        "--format",
        "json",
    ]));
    // Shown with the demo key only: nobody trusted vouches for it.
    let v = json(&run(&["account", "show", s(&account), "--format", "json"]));
    assert_eq!(v["account"]["status"], "unsigned");
    assert!(v["account"]["note"].as_str().expect("note").contains("not trusted"));
    let v = json(&run(&[
        "account",
        "show",
        s(&account),
        "--trust",
        s(&keys.join("issuer.pub")),
        "--format",
        "json",
    ]));
    assert_eq!(v["account"]["status"], "valid");
    // Generating with the demo key (which does not vouch for it): refused.
    let out = generate(&account, &dir.path().join("y.I3Lic"), "1", &[]);
    assert_eq!(code(&out), Some(2), "{}", stderr(&out));
}

#[test]
fn outputs_never_replace_an_input_or_a_key() {
    let dir = tempfile::tempdir().expect("tmp");
    let k = dir.path().join("k.key");
    std::fs::copy(key(), &k).expect("key");
    let other_key = dir.path().join("other.key");
    std::fs::copy(key(), &other_key).expect("key");
    let key_text = std::fs::read(&k).expect("read");
    for out in [&k, &other_key] {
        let r = run(&[
            "license",
            "new",
            "--level",
            "production",
            "--host-id",
            "H",
            "--machine",
            "m",
            "--part",
            "SW-001-4.0-AL04=5",
            "--sign-key",
            s(&k),
            "-o",
            s(out),
        ]);
        assert_eq!(code(&r), Some(2), "{}", stderr(&r));
        assert_eq!(std::fs::read(out).expect("read"), key_text, "the key is intact");
    }
    // Through another name of the same file.
    let alias = dir.path().join("alias.key");
    std::os::unix::fs::symlink(&k, &alias).expect("link");
    let account = account_copy(dir.path());
    let r = generate(&account, &alias, "1", &[]);
    assert_eq!(code(&r), Some(2));
    let account_text = std::fs::read(&account).expect("read");
    let r = generate(&account, &account, "1", &[]);
    assert_eq!(code(&r), Some(2));
    assert!(stderr(&r).contains("same file"), "{}", stderr(&r));
    assert_eq!(std::fs::read(&account).expect("read"), account_text);
}

#[test]
fn a_license_that_cannot_be_written_draws_nothing() {
    let dir = tempfile::tempdir().expect("tmp");
    let account = account_copy(dir.path());
    let before = std::fs::read(&account).expect("read");
    let out = generate(&account, &dir.path().join("missing-folder/new.I3Lic"), "1", &[]);
    assert_eq!(code(&out), Some(2));
    assert_eq!(
        std::fs::read(&account).expect("read"),
        before,
        "no draw without its license"
    );
}

#[test]
fn activation_file_numbers_never_wrap() {
    let dir = tempfile::tempdir().expect("tmp");
    let account = account_copy(dir.path());
    let mut v: Value = serde_json::from_slice(&std::fs::read(&account).expect("read")).expect("json");
    v.as_object_mut().expect("object").remove("signature");
    v["activation_files"][0]["id"] = json!(format!("AF-{}", u32::MAX));
    std::fs::write(&account, serde_json::to_vec_pretty(&v).expect("ser")).expect("write");
    json(&run(&[
        "account",
        "sign",
        s(&account),
        "--sign-key",
        s(&key()),
        "--format",
        "json",
    ]));
    let out = generate(&account, &dir.path().join("z.I3Lic"), "1", &[]);
    assert_eq!(code(&out), Some(2));
    assert!(
        stderr(&out).contains("every activation file number"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn an_account_with_fifty_thousand_activation_files_loads() {
    let dir = tempfile::tempdir().expect("tmp");
    let account = account_copy(dir.path());
    let mut v: Value = serde_json::from_slice(&std::fs::read(&account).expect("read")).expect("json");
    v.as_object_mut().expect("object").remove("signature");
    let template = v["activation_files"][0].clone();
    let files: Vec<Value> = (1..=50_000)
        .map(|i| {
            let mut f = template.clone();
            f["id"] = json!(format!("AF-{i:05}"));
            f["active"] = json!(i == 1);
            f
        })
        .collect();
    v["activation_files"] = Value::Array(files);
    std::fs::write(&account, serde_json::to_vec(&v).expect("ser")).expect("write");
    json(&run(&[
        "account",
        "sign",
        s(&account),
        "--sign-key",
        s(&key()),
        "--format",
        "json",
    ]));
    let shown = json(&run(&["account", "show", s(&account), "--format", "json"]));
    assert_eq!(shown["activation_files"].as_array().map(Vec::len), Some(50_000));
    assert_eq!(shown["account"]["status"], "demo");
}

// ---- The usage history ----

fn history(dir: &Path) -> (PathBuf, PathBuf) {
    let ws = dir.join("site.ialws");
    std::fs::copy(asset("scenarios/shift-change.ialws"), &ws).expect("copy");
    let hist = dir.join("site.ialhist");
    json(&run(&[
        "history",
        "import",
        "--workspace",
        s(&ws),
        "--events",
        s(&asset("scenarios/shift-change.events.json")),
        "--license",
        s(&asset("scenarios/shift-change.I3Lic")),
        "--format",
        "json",
    ]));
    (ws, hist)
}

fn tamper(hist: &Path, sql: &str) {
    let conn = rusqlite::Connection::open(hist).expect("open");
    conn.execute_batch(sql).expect("tamper");
}

#[test]
fn a_crafted_history_is_refused_not_run() {
    for (what, sql) in [
        (
            "a recursive view",
            "DROP TABLE day_category; CREATE VIEW day_category AS WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL \
             SELECT n + 1 FROM r) SELECT '2020-01-01' AS day, 'agent' AS category, n AS users FROM r;",
        ),
        (
            "a trigger",
            "CREATE TRIGGER t AFTER INSERT ON days BEGIN DELETE FROM users; END;",
        ),
        ("an extra table", "CREATE TABLE extra (x);"),
        ("an extra index", "CREATE INDEX extra_idx ON users(name);"),
    ] {
        let dir = tempfile::tempdir().expect("tmp");
        let (ws, hist) = history(dir.path());
        tamper(&hist, sql);
        let started = std::time::Instant::now();
        for args in [
            vec!["history", "show", "--workspace", s(&ws)],
            vec![
                "recommend",
                "--license",
                s(&asset("scenarios/shift-change.I3Lic")),
                "--workspace",
                s(&ws),
                "--history",
                s(&hist),
            ],
        ] {
            let out = run(&args);
            assert_eq!(code(&out), Some(2), "{what}: {}", stderr(&out));
            assert!(stderr(&out).contains("did not create"), "{what}: {}", stderr(&out));
        }
        assert!(started.elapsed().as_secs() < 60, "{what}: refused, not run");
    }
}

#[test]
fn an_unknown_category_in_a_history_is_refused() {
    for (sql, import) in [
        (
            "INSERT INTO period_category SELECT period, 'bogus', 3 FROM period_category LIMIT 1;",
            false,
        ),
        (
            "INSERT INTO day_category SELECT day, 'bogus', 1 FROM days LIMIT 1;",
            false,
        ),
        // Read when an import recounts the period.
        // (on a day the import does not replace, so the row survives to be read)
        (
            "INSERT INTO period_user SELECT period, user, 99, 1073741824 FROM period_user LIMIT 1;",
            true,
        ),
    ] {
        let dir = tempfile::tempdir().expect("tmp");
        let (ws, hist) = history(dir.path());
        tamper(&hist, sql);
        let events = asset("scenarios/shift-change.events.json");
        let out = if import {
            run(&["history", "import", "--workspace", s(&ws), "--events", s(&events)])
        } else {
            run(&[
                "history",
                "show",
                "--workspace",
                s(&ws),
                "--from",
                "2000-01-01",
                "--to",
                "2100-01-01",
            ])
        };
        assert_eq!(code(&out), Some(2), "{sql}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(
            err.contains("not a billing category") || err.contains("never writes"),
            "{sql}: {err}"
        );
    }
}

#[test]
fn a_history_path_that_is_a_device_is_refused_and_nothing_is_written_beside_it() {
    let dir = tempfile::tempdir().expect("tmp");
    let ws = dir.path().join("site.ialws");
    std::fs::copy(asset("scenarios/shift-change.ialws"), &ws).expect("copy");
    let out = run(&[
        "history",
        "import",
        "--workspace",
        s(&ws),
        "--events",
        s(&asset("scenarios/shift-change.events.json")),
        "--license",
        s(&asset("scenarios/shift-change.I3Lic")),
        "--history",
        "/dev/null",
    ]);
    assert_eq!(code(&out), Some(2), "{}", stderr(&out));
    assert!(!Path::new("/dev/null-journal").exists());
    let out = run(&["history", "show", "--workspace", s(&ws), "--history", "/dev/zero"]);
    assert_eq!(code(&out), Some(2));
}

#[test]
fn a_history_another_process_is_writing_is_called_busy() {
    let dir = tempfile::tempdir().expect("tmp");
    let (ws, hist) = history(dir.path());
    let conn = rusqlite::Connection::open(&hist).expect("open");
    conn.execute_batch("BEGIN EXCLUSIVE; INSERT INTO meta VALUES ('x', 'y');")
        .expect("hold the write lock");
    let started = std::time::Instant::now();
    let out = run(&[
        "history",
        "import",
        "--workspace",
        s(&ws),
        "--events",
        s(&asset("scenarios/shift-change.events.json")),
    ]);
    assert_eq!(code(&out), Some(2));
    let err = stderr(&out);
    assert!(err.contains("another import is writing"), "{err}");
    assert!(!err.contains("not a usable"), "{err}");
    assert!(started.elapsed().as_secs() < 30, "waits at most a few seconds");
    conn.execute_batch("ROLLBACK;").expect("release");
}

// ---- Numbers, input lines, who and when ----

#[test]
fn a_huge_idle_period_is_refused_and_never_panics_in_the_core() {
    let out = run(&[
        "reclaim",
        "--license",
        s(&asset("scenarios/idle-tracker.I3Lic")),
        "--workspace",
        s(&asset("scenarios/idle-tracker.ialws")),
        "--events",
        s(&asset("scenarios/idle-tracker.events.json")),
        "--idle-days",
        "100000000",
    ]);
    assert_eq!(code(&out), Some(2));
    assert!(stderr(&out).lines().next().unwrap_or("").contains("100000000"));
    // The core itself, past any range: nothing is idle that long.
    let doc = crate::util::demo_doc();
    let at = chrono::Utc::now();
    let none = ia_licensing::core::reclaim::candidates(doc.license(), doc.workspace(), &[], i64::MAX, at);
    assert!(none.is_empty());
    // A negative period is past any event too: whatever it finds, no panic.
    let _ = ia_licensing::core::reclaim::candidates(doc.license(), doc.workspace(), &[], i64::MIN, at);
}

#[test]
fn a_session_answers_a_line_that_is_not_utf8_and_goes_on() {
    use std::io::Write as _;
    let dir = tempfile::tempdir().expect("tmp");
    let ws = dir.path().join("w.ialws");
    std::fs::copy(asset("scenarios/shift-change.ialws"), &ws).expect("copy");
    let mut child = bin()
        .args([
            "session",
            "--license",
            s(&asset("scenarios/shift-change.I3Lic")),
            "--workspace",
            s(&ws),
            "--journal",
            s(&dir.path().join("j.jsonl")),
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut input = child.stdin.take().expect("stdin");
    input.write_all(b"\xff\xfe not text\n").expect("write");
    input.write_all(b"{\"undo\":true}\n").expect("write");
    drop(input);
    let out = child.wait_with_output().expect("wait");
    let text = String::from_utf8_lossy(&out.stdout);
    let replies: Vec<Value> = text.lines().map(|l| serde_json::from_str(l).expect("reply")).collect();
    assert_eq!(replies.len(), 2, "{text}");
    assert_eq!(replies[0]["ok"], false);
    assert!(replies[0]["error"].as_str().expect("error").contains("not UTF-8"));
    assert!(replies[1].get("ok").is_some(), "the session went on");
}

#[test]
fn every_saving_command_logs_the_real_time_and_the_os_user() {
    let dir = tempfile::tempdir().expect("tmp");
    let lic = asset("scenarios/shift-change.I3Lic");
    // csv import: a renamed user.
    let ws = dir.path().join("w.ialws");
    std::fs::copy(asset("scenarios/shift-change.ialws"), &ws).expect("copy");
    let csv = dir.path().join("users.csv");
    assert!(
        run(&[
            "csv",
            "export",
            "--workspace",
            s(&ws),
            "--table",
            "users",
            "-o",
            s(&csv)
        ])
        .status
        .success()
    );
    let text = std::fs::read_to_string(&csv).expect("csv");
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let cells: Vec<&str> = lines[1].splitn(3, ',').collect();
    lines[1] = format!("{},Renamed By Import,{}", cells[0], cells[2]);
    std::fs::write(&csv, lines.join("\n") + "\n").expect("write");
    let before = chrono::Utc::now() - chrono::TimeDelta::try_minutes(1).expect("minute");
    for (user_env, expected) in [(Some("tester"), "tester".to_string()), (None, whoami_user())] {
        let out_ws = dir.path().join(format!("out-{}.ialws", expected.len()));
        let mut cmd = bin();
        cmd.args([
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
            s(&out_ws),
        ]);
        for v in ["USER", "USERNAME", "LOGNAME"] {
            cmd.env_remove(v);
        }
        if let Some(u) = user_env {
            cmd.env("USER", u);
        }
        let out = cmd.output().expect("run");
        assert!(out.status.success(), "{}", stderr(&out));
        let saved: Value = serde_json::from_slice(&std::fs::read(&out_ws).expect("read")).expect("json");
        let log = saved["change_log"].as_array().expect("a change log");
        let last = log.last().expect("an entry");
        assert_eq!(last["user"], expected.as_str());
        assert_ne!(last["user"], "unknown");
        let time: chrono::DateTime<chrono::Utc> = last["time"].as_str().expect("time").parse().expect("rfc 3339");
        assert!(time >= before, "the real time, not midnight: {time}");
    }
}

fn whoami_user() -> String {
    // What the system says the account is, as `id -un` does.
    let out = std::process::Command::new("id").arg("-un").output().expect("id");
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

#[test]
fn prices_with_three_decimals_are_refused_wherever_they_come_from() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut ws: Value =
        serde_json::from_slice(&std::fs::read(asset("scenarios/shift-change.ialws")).expect("read")).expect("json");
    ws["price_list"] = json!({"currency": "EUR", "per_user_per_period": {"agent": 123456.789}});
    let path = dir.path().join("w.ialws");
    std::fs::write(&path, serde_json::to_vec(&ws).expect("ser")).expect("write");
    let out = run(&[
        "check",
        "--license",
        s(&asset("scenarios/shift-change.I3Lic")),
        "--workspace",
        s(&path),
    ]);
    assert_eq!(code(&out), Some(2));
    let err = stderr(&out);
    assert!(err.contains("price_list") && err.contains("two decimals"), "{err}");
    assert!(ia_licensing::core::cost::Cents::from_amount(9_999_999.999).is_err());
    assert!(ia_licensing::core::cost::Cents::from_amount(0.001).is_err());
}

#[test]
fn a_workgroup_called_stations_stays_apart_from_the_stations_row() {
    use ia_licensing::core::cost::{self, Cents, PriceList};
    let ws = crate::util::workspace(json!({
        "format": 1,
        "users": [{"id": "u1", "licenses": ["I3_ACCESS_CLIENT"], "workgroups": ["(Stations)"]}],
        "stations": [{"id": "s1", "machine_name": "s1", "type": "workstation", "licenses": ["I3_LICENSE_BASIC_STATION"]}],
        "workgroups": [{"name": "(Stations)"}]
    }));
    let prices: PriceList = serde_json::from_value(json!({
        "currency": "EUR",
        "per_user_per_period": {"business-user": 10.0},
        "per_assignable_license_per_month": {"I3_LICENSE_BASIC_STATION": 2.0, "I3_ACCESS_CLIENT": 1.0}
    }))
    .expect("prices");
    let mut set = ia_licensing::core::usage::CategorySet::default();
    set.insert(ia_licensing::core::catalog::BillingCategory::BusinessUser);
    let day = crate::util::date(2026, 1, 5);
    let estimate = cost::estimate(&prices, [(day, vec![("u1", set)])], &ws);
    let p = &estimate.periods[0];
    assert_eq!(p.by_workgroup["(Stations)"], Cents(1100), "the workgroup's own user");
    assert_eq!(p.stations, Cents(200), "the station licenses, apart");
    assert_eq!(p.total, Cents(1300));
}

// ---- CSV, percentile, patterns: properties ----

fn hostile_name() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "'", "''", "=", "+", "-", "@", "\t", "\r", "\n", ",", ";", "\"", " ", "a", "Zoë", "=1+1", "é",
    ]);
    prop::collection::vec(pieces, 1..8).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn csv_export_then_import_gives_every_name_back(names in prop::collection::vec(hostile_name(), 1..6)) {
        use ia_licensing::core::csv_io::{self, Table};
        let users: Vec<Value> = names
            .iter()
            .enumerate()
            .map(|(i, n)| json!({"id": format!("u{i}"), "name": n}))
            .collect();
        let original = crate::util::workspace(json!({"format": 1, "users": users}));
        let text = csv_io::export(&original, Table::Users).expect("export");
        let blank: Vec<Value> = (0..names.len()).map(|i| json!({"id": format!("u{i}"), "name": "x"})).collect();
        let mut doc = crate::util::doc(crate::util::license_with(&["I3_ACCESS_CLIENT=10"]), json!({"format": 1, "users": blank}));
        let report = csv_io::import(&mut doc, Table::Users, &text, false).expect("import");
        prop_assert!(report.errors.is_empty(), "{:?}", report.errors);
        for (i, n) in names.iter().enumerate() {
            let u = doc.workspace().user(&format!("u{i}")).expect("user");
            prop_assert_eq!(&*u.name, n.as_str());
        }
    }

    #[test]
    fn the_nearest_rank_percentile_is_exact(
        values in prop::collection::vec(0u32..1000, 1..300),
        whole in 50u32..=100,
        hundredths in 0u32..100,
    ) {
        let p_h = (whole * 100 + hundredths).min(10_000);
        let p = f64::from(p_h) / 100.0;
        let mut sorted = values.clone();
        sorted.sort_unstable();
        let n = sorted.len() as u64;
        // The smallest rank k with k/n ≥ p/100.
        let k = (1..=n).find(|k| k * 10_000 >= u64::from(p_h) * n).expect("a rank");
        let text = format!("{p}");
        let parsed = ia_licensing::core::recommend::parse_percentile(&text).expect("parses");
        prop_assert_eq!(ia_licensing::core::recommend::percentile(&values, parsed), Some(sorted[(k - 1) as usize]));
    }

    #[test]
    fn id_patterns_match_as_a_backtracking_glob_would(
        pattern in "[ab*?]{0,8}",
        id in "[abAB]{0,12}",
    ) {
        let compiled = ia_licensing::core::id_pattern::IdPattern::new(&pattern);
        prop_assert_eq!(compiled.matches(&id), reference_glob(&pattern.to_lowercase(), &id.to_lowercase()));
    }
}

/// The textbook recursive glob: slow, obviously right.
fn reference_glob(p: &str, t: &str) -> bool {
    fn go(p: &[char], t: &[char]) -> bool {
        match p.first() {
            None => t.is_empty(),
            Some('*') => (0..=t.len()).any(|i| go(&p[1..], &t[i..])),
            Some('?') => !t.is_empty() && go(&p[1..], &t[1..]),
            Some(c) => t.first() == Some(c) && go(&p[1..], &t[1..]),
        }
    }
    let (p, t): (Vec<char>, Vec<char>) = (p.chars().collect(), t.chars().collect());
    go(&p, &t)
}

#[test]
fn a_percentile_with_three_decimals_is_refused() {
    use ia_licensing::core::recommend::parse_percentile;
    assert!(parse_percentile("95.125").is_err());
    assert_eq!(parse_percentile("99.95"), Ok(99.95));
    assert_eq!(parse_percentile("95%"), Ok(95.0));
    for bad in ["", ".5", "95.", "1e2", "-95", "49.99", "100.01", "NaN"] {
        assert!(parse_percentile(bad).is_err(), "{bad}");
    }
}

#[test]
fn hostile_id_patterns_take_linear_time() {
    // The backtracking matcher took 25 s over 8,000 users x 100 of these;
    // here a few thousand pairs must finish at once (the bench measures).
    let id = "a".repeat(250);
    for n in [10, 100, 200] {
        let p = ia_licensing::core::id_pattern::IdPattern::new(&format!("*{}b*", "a".repeat(n)));
        for _ in 0..2_000 {
            assert!(!p.matches(&id));
        }
    }
}

// ---- What the attack trial found ----

fn scenario_copy(dir: &Path, name: &str) -> PathBuf {
    let ws = dir.join(name);
    std::fs::copy(asset("scenarios/shift-change.ialws"), &ws).expect("copy");
    ws
}

fn spawn_session(ws: &Path, journal: &Path) -> std::process::Child {
    bin()
        .args([
            "session",
            "--license",
            s(&asset("scenarios/shift-change.I3Lic")),
            "--workspace",
            s(ws),
            "--journal",
            s(journal),
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn")
}

/// Waits until a session has taken its locks (its journal exists).
fn wait_for(path: &Path) {
    for _ in 0..500 {
        if path.exists() {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    panic!("{} never appeared", path.display());
}

#[test]
fn one_writer_per_workspace_whatever_journal_or_name() {
    let dir = tempfile::tempdir().expect("tmp");
    let ws = scenario_copy(dir.path(), "w.ialws");
    let j1 = dir.path().join("one.jsonl");
    let mut first = spawn_session(&ws, &j1);
    wait_for(&j1);
    // A second session with a journal of its own: refused, naming the first.
    let out = run(&[
        "session",
        "--license",
        s(&asset("scenarios/shift-change.I3Lic")),
        "--workspace",
        s(&ws),
        "--journal",
        s(&dir.path().join("two.jsonl")),
    ]);
    assert_eq!(code(&out), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("being edited by"), "{}", stderr(&out));
    // In-place writers wait their turn too (with -o they write elsewhere).
    let before = std::fs::read(&ws).expect("read");
    let lic = asset("scenarios/shift-change.I3Lic");
    let out = run(&["policy", "apply", "--license", s(&lic), "--workspace", s(&ws)]);
    assert_eq!(code(&out), Some(2), "{}", stderr(&out));
    let csv = dir.path().join("u.csv");
    assert!(
        run(&[
            "csv",
            "export",
            "--workspace",
            s(&ws),
            "--table",
            "users",
            "-o",
            s(&csv)
        ])
        .status
        .success()
    );
    let out = run(&[
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
    ]);
    assert_eq!(code(&out), Some(2), "{}", stderr(&out));
    assert_eq!(std::fs::read(&ws).expect("read"), before);
    drop(first.stdin.take());
    let _ = first.wait();
}

#[test]
fn a_hard_linked_account_or_workspace_is_not_edited_under_two_locks() {
    let dir = tempfile::tempdir().expect("tmp");
    let account = account_copy(dir.path());
    let hard = dir.path().join("hard.ialacct");
    std::fs::hard_link(&account, &hard).expect("hard link");
    let before = std::fs::read(&account).expect("read");
    let out = generate(&hard, &dir.path().join("h.I3Lic"), "1", &[]);
    assert_eq!(code(&out), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("other names"), "{}", stderr(&out));
    assert_eq!(std::fs::read(&account).expect("read"), before);
    let ws = scenario_copy(dir.path(), "w.ialws");
    std::fs::hard_link(&ws, dir.path().join("w2.ialws")).expect("hard link");
    let out = bin()
        .args([
            "session",
            "--license",
            s(&asset("scenarios/shift-change.I3Lic")),
            "--workspace",
            s(&ws),
            "--journal",
            s(&dir.path().join("j.jsonl")),
        ])
        .stdin(Stdio::null())
        .output()
        .expect("run");
    assert_eq!(code(&out), Some(2), "{}", stderr(&out));
}

#[test]
fn a_generate_interrupted_before_the_license_was_moved_is_finished_next_time() {
    let dir = tempfile::tempdir().expect("tmp");
    let account = account_copy(dir.path());
    let out = dir.path().join("new.I3Lic");
    json(&generate(&account, &out, "1", &[]));
    // As a kill between recording the draw and moving the license leaves it.
    let staged = dir.path().join(".new.I3Lic.AbCdEf.tmp");
    std::fs::rename(&out, &staged).expect("stage");
    let k = key();
    json(&run(&[
        "account",
        "deactivate",
        s(&account),
        "--id",
        "AF-0001",
        "--sign-key",
        s(&k),
        "--format",
        "json",
    ]));
    assert!(out.exists(), "the license was moved into place");
    assert!(!staged.exists());
    // A temporary file whose content is not the recorded license stays put.
    std::fs::rename(&out, &staged).expect("stage");
    std::fs::write(&staged, "not the license").expect("write");
    json(&run(&[
        "account",
        "sign",
        s(&account),
        "--sign-key",
        s(&k),
        "--format",
        "json",
    ]));
    assert!(!out.exists());
}

#[test]
fn a_session_never_saves_over_a_file_swapped_in_at_its_path() {
    use std::io::Write as _;
    let dir = tempfile::tempdir().expect("tmp");
    let lic = dir.path().join("site.I3Lic");
    std::fs::copy(asset("scenarios/shift-change.I3Lic"), &lic).expect("copy");
    let license_bytes = std::fs::read(&lic).expect("read");
    let ws = scenario_copy(dir.path(), "w.ialws");
    let journal = dir.path().join("j.jsonl");
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
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    wait_for(&journal);
    std::fs::rename(&ws, dir.path().join("w.orig")).expect("move");
    std::os::unix::fs::symlink(&lic, &ws).expect("link");
    let mut input = child.stdin.take().expect("stdin");
    input
        .write_all(
            b"{\"op\":\"set-user-name\",\"id\":\"agent01\",\"name\":\"X\"}\n{\"save\":true,\"overwrite\":true}\n",
        )
        .expect("write");
    drop(input);
    let out = child.wait_with_output().expect("wait");
    let text = String::from_utf8_lossy(&out.stdout);
    let last: Value = serde_json::from_str(text.lines().last().expect("a reply")).expect("json");
    assert_eq!(last["ok"], false, "{text}");
    assert_eq!(
        std::fs::read(&lic).expect("read"),
        license_bytes,
        "the license is intact"
    );
}

#[test]
fn a_journal_path_that_is_a_link_is_never_written_through() {
    let dir = tempfile::tempdir().expect("tmp");
    let victim = dir.path().join("victim.txt");
    std::fs::write(&victim, "").expect("empty victim");
    let journal = dir.path().join("j.jsonl");
    std::os::unix::fs::symlink(&victim, &journal).expect("link");
    let ws = scenario_copy(dir.path(), "w.ialws");
    let out = bin()
        .args([
            "session",
            "--license",
            s(&asset("scenarios/shift-change.I3Lic")),
            "--workspace",
            s(&ws),
            "--journal",
            s(&journal),
        ])
        .stdin(Stdio::null())
        .output()
        .expect("run");
    assert_eq!(code(&out), Some(2), "{}", stderr(&out));
    assert_eq!(
        std::fs::read(&victim).expect("read").len(),
        0,
        "nothing written through the link"
    );
    assert!(!dir.path().join("victim.txt.lock").exists());
    assert!(!dir.path().join("victim.txt.bak").exists());
}

#[test]
fn outputs_are_never_written_through_a_planted_link() {
    let dir = tempfile::tempdir().expect("tmp");
    let (victim, text) = victim(dir.path());
    let out = dir.path().join("out.csv");
    std::os::unix::fs::symlink(&victim, &out).expect("link");
    let ws = asset("scenarios/shift-change.ialws");
    let r = run(&[
        "csv",
        "export",
        "--workspace",
        s(&ws),
        "--table",
        "users",
        "-o",
        s(&out),
    ]);
    assert_eq!(code(&r), Some(2), "{}", stderr(&r));
    assert!(stderr(&r).contains("symbolic link"), "{}", stderr(&r));
    assert_eq!(std::fs::read_to_string(&victim).expect("read"), text);
    // Inside demo generate's folder, at names the user never typed.
    let folder = dir.path().join("demo");
    std::fs::create_dir(&folder).expect("dir");
    std::os::unix::fs::symlink(&victim, folder.join("workspace.ialws")).expect("link");
    let r = run(&[
        "demo",
        "generate",
        "--users",
        "3",
        "--stations",
        "3",
        "--workgroups",
        "1",
        "-o",
        s(&folder),
    ]);
    assert_eq!(code(&r), Some(2), "{}", stderr(&r));
    assert_eq!(std::fs::read_to_string(&victim).expect("read"), text);
}

#[test]
fn a_secret_key_saved_with_a_byte_order_mark_is_still_a_key() {
    let dir = tempfile::tempdir().expect("tmp");
    let k = dir.path().join("bom.key");
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(std::fs::read(key()).expect("key"));
    std::fs::write(&k, &bytes).expect("write");
    let ws = asset("scenarios/shift-change.ialws");
    let r = run(&["csv", "export", "--workspace", s(&ws), "--table", "users", "-o", s(&k)]);
    assert_eq!(code(&r), Some(2), "{}", stderr(&r));
    assert_eq!(std::fs::read(&k).expect("read"), bytes);
}

#[test]
fn a_signing_key_reusing_the_demo_keys_id_signs_nothing() {
    let dir = tempfile::tempdir().expect("tmp");
    let account = account_copy(dir.path());
    // Made by hand: keygen refuses this id.
    let (secret, _) = ia_licensing::core::license::signing::generate_key_pair(Some("temporary")).expect("key pair");
    let mut secret = serde_json::to_value(secret).expect("json");
    secret["key_id"] = json!("ia-licensing-demo-issuer");
    let k = dir.path().join("evil.key");
    std::fs::write(&k, secret.to_string()).expect("write");
    let before = std::fs::read(&account).expect("read");
    let r = run(&["account", "sign", s(&account), "--sign-key", s(&k)]);
    assert_eq!(code(&r), Some(2), "{}", stderr(&r));
    assert_eq!(std::fs::read(&account).expect("read"), before);
}

#[test]
fn the_change_log_records_a_clean_user_name() {
    assert!(!ia_licensing::core::changelog::os_user().chars().any(char::is_control));
    let dir = tempfile::tempdir().expect("tmp");
    let ws = scenario_copy(dir.path(), "w.ialws");
    let lic = asset("scenarios/shift-change.I3Lic");
    let out_ws = dir.path().join("out.ialws");
    let out = bin()
        .args([
            "policy",
            "apply",
            "--license",
            s(&lic),
            "--workspace",
            s(&ws),
            "-o",
            s(&out_ws),
        ])
        .env("USER", "ev\u{1b}[31mil\nx")
        .output()
        .expect("run");
    assert!(out.status.code().is_some_and(|c| c < 2), "{}", stderr(&out));
    if let Ok(bytes) = std::fs::read(&out_ws) {
        let saved: Value = serde_json::from_slice(&bytes).expect("json");
        for entry in saved["change_log"].as_array().into_iter().flatten() {
            let user = entry["user"].as_str().expect("user");
            assert!(!user.chars().any(char::is_control), "{user:?}");
        }
    }
}

#[test]
fn an_id_starting_with_a_tab_or_space_round_trips_through_csv() {
    use ia_licensing::core::csv_io::{self, Table};
    let ids = ["\tid", " lead", "trail ", "'quoted", "=1+1"];
    let users: Vec<Value> = ids.iter().map(|i| json!({"id": i, "name": format!("n{i}")})).collect();
    let original = crate::util::workspace(json!({"format": 1, "users": users}));
    let text = csv_io::export(&original, Table::Users).expect("export");
    let mut doc = crate::util::doc(
        crate::util::license_with(&["I3_ACCESS_CLIENT=10"]),
        json!({"format": 1}),
    );
    let report = csv_io::import(&mut doc, Table::Users, &text, false).expect("import");
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    for id in ids {
        let u = doc.workspace().user(id).unwrap_or_else(|| panic!("{id:?} came back"));
        assert_eq!(&*u.name, format!("n{id}").as_str());
    }
    assert_eq!(doc.workspace().users().len(), ids.len());
}
