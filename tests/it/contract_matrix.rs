//! The contract matrix: one test walks clap's command tree, so a command
//! added later is covered the day it exists (it fails until the command has
//! an example below, or an exception with its reason). For every command:
//! - with the trust options, a DEMO and an UNSIGNED license are marked in
//!   its JSON (`license`) and on the first line of its output;
//! - with an account, a DEMO and an UNSIGNED account likewise, and drawing
//!   on an unsigned one needs `--allow-unsigned-account`;
//! - with an output, each of its inputs given as the output is refused,
//!   naming it, and left byte for byte as it was; with a workspace, each
//!   output given as the workspace's usage history (`site.ialhist`, not
//!   there yet) is refused and nothing is written there (`history
//!   import`, which writes that history, excepted);
//! - every numeric option: 0 and the type's largest value never panic, one
//!   past the range its help declares is refused (exit 2) with the reason
//!   on the first line;
//! - every file argument: a FIFO and a dangling link are refused, without
//!   hanging.

use std::any::TypeId;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::util::{asset, bin, s};

/// A valid command line for each command (placeholders in braces are the
/// fixture's files); the `gui` opens a window and is the one exception.
fn example(path: &str) -> Option<&'static str> {
    Some(match path {
        "license verify" => "license verify {LIC}",
        "license show" => "license show {LIC}",
        "license new" => {
            "license new --account {ACCT} --install-site {SITE} --part SW-001-4.0-PL09=1 --part SW-001-4.0-IDS2=1 \
             --level production --host-id G807test --machine testing --sign-key {KEY} -o {OUT}"
        }
        "license keygen" => "license keygen -o {NEWDIR}",
        "license keys" => "license keys",
        "license parts" => "license parts",
        "license diff" => "license diff {LIC} {LIC2} --workspace {WS}",
        "check" => "check --license {LIC} --workspace {WS}",
        "csv export" => "csv export --workspace {WS} --table users -o {OUT}",
        "csv import" => "csv import --license {LIC} --workspace {WS} --table users --from {CSV} -o {OUT}",
        "enforcement" => "enforcement --license {VC} --checkins {CHECKINS} --at 2020-06-10T00:00:00Z",
        "usage" => "usage --license {LIC} --workspace {WS} --events {EVENTS}",
        "recommend" => "recommend --license {LIC} --workspace {WS} --events {EVENTS}",
        "session" => "session --license {LIC} --workspace {WS} --journal {NEWJOURNAL}",
        "recover" => "recover --journal {JOURNAL} -o {OUT}",
        "demo generate" => "demo generate --users 5 --stations 5 --workgroups 2 -o {NEWDIR}",
        "policy apply" => "policy apply --license {LIC} --workspace {WS} --dry-run -o {OUT}",
        "reclaim" => "reclaim --license {LIC} --workspace {WS} --events {EVENTS} --idle-days 30",
        "account show" => "account show {ACCT}",
        "account generate" => {
            "account generate --account {ACCT} --install-site {SITE} --part SW-001-4.0-PL09=1 \
             --part SW-001-4.0-IDS2=1 --level production --host-id G807test --machine testing --sign-key {KEY} -o {OUT}"
        }
        "account update" => {
            "account update --id AF-0001 --account {ACCT} --install-site {SITE} --part SW-001-4.0-PL09=121 \
             --part SW-001-4.0-AL02=50 --part SW-001-4.0-AL06=120 --part SW-001-4.0-PL04=100 \
             --part SW-001-4.0-PL06=100 --part SW-001-4.0-SL03=1 --level production --host-id G807test --machine testing --sign-key {KEY} \
             -o {OUT}"
        }
        "account deactivate" => "account deactivate {ACCT} --id AF-0001 --sign-key {KEY}",
        "account upgrade" => "account upgrade {ACCT} --all --mirror --sign-key {KEY}",
        "account sign" => "account sign {ACCT} --sign-key {KEY}",
        "account site add" => "account site add {ACCT} --name North --city Indianapolis --sign-key {KEY}",
        "account site edit" => "account site edit {ACCT} --name {SITE} --postal-code 46278 --sign-key {KEY}",
        "account site deactivate" => "account site deactivate {ACCT} --name {SITE} --sign-key {KEY}",
        "account request" => {
            "account request --account {ACCT} --type activation-file --category genesys --first-name Ann \
             --last-name Lee --email ann.lee@example.com --confirm-email ann.lee@example.com --end-user-account Acme \
             --sold-to Acme --subject Subscription --description Needed --date-needed 2026-12-01 -o {OUT}"
        }
        "history import" => "history import --workspace {WS} --events {EVENTS} --license {LIC} --history {NEWHIST}",
        "history show" => "history show --workspace {WS} --history {HIST}",
        "site import" => "site import --registry {REG} -o {NEWWS}",
        "cloud estimate" => "cloud estimate --workspace {WS} --history {HIST} --license {LIC}",
        "report" => "report --license {LIC} --workspace {WS} --events {EVENTS} --history {HIST} -o {OUT}",
        _ => return None,
    })
}

/// Commands the matrix does not run, with the reason.
const EXCEPTIONS: &[(&str, &str)] = &[("gui", "opens a window; its arguments are tested by the UI tests")];

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Trust {
    Demo,
    Unsigned,
}

/// Every leaf command of the tree: its path ("account generate") and
/// definition.
fn leaves() -> Vec<(String, clap::Command)> {
    fn walk(prefix: &str, cmd: &clap::Command, out: &mut Vec<(String, clap::Command)>) {
        for sub in cmd.get_subcommands() {
            if sub.get_name() == "help" {
                continue;
            }
            let path = if prefix.is_empty() {
                sub.get_name().to_string()
            } else {
                format!("{prefix} {}", sub.get_name())
            };
            if sub.has_subcommands() {
                walk(&path, sub, out);
            } else {
                out.push((path, sub.clone()));
            }
        }
    }
    let mut out = Vec::new();
    walk("", &ia_licensing::cli::command_tree(), &mut out);
    out
}

/// The files a command line's placeholders name, made fresh for each run
/// (commands change accounts and workspaces).
struct Fixture {
    _dir: tempfile::TempDir,
    files: BTreeMap<&'static str, PathBuf>,
}

impl Fixture {
    fn new(trust: Trust) -> Fixture {
        let dir = tempfile::tempdir().expect("tmp");
        let d = dir.path().to_path_buf();
        let d = d.as_path();
        let mut files = BTreeMap::new();
        let copy = |name: &str, from: &Path| {
            let to = d.join(name);
            std::fs::copy(from, &to).expect("copy fixture");
            to
        };
        let license = |name: &str, from: &Path| {
            let to = copy(name, from);
            if trust == Trust::Unsigned {
                strip_signature(&to);
            }
            to
        };
        files.insert("LIC", license("site.I3Lic", &asset("scenarios/shift-change.I3Lic")));
        files.insert("LIC2", license("other.I3Lic", &asset("scenarios/shift-change.I3Lic")));
        files.insert("VC", license("cloud.I3Lic", &asset("demo-virtual-cloud.I3Lic")));
        files.insert("WS", copy("site.ialws", &asset("scenarios/shift-change.ialws")));
        files.insert(
            "EVENTS",
            copy("events.json", &asset("scenarios/shift-change.events.json")),
        );
        let acct = copy("site.ialacct", &asset("demo.ialacct"));
        if trust == Trust::Unsigned {
            strip_signature(&acct);
        }
        files.insert("ACCT", acct);
        files.insert("KEY", copy("issuer.key", &asset("keys/demo-issuer.key")));
        let checkins = d.join("checkins.json");
        std::fs::write(&checkins, r#"["2020-06-02T00:00:00Z"]"#).expect("checkins");
        files.insert("CHECKINS", checkins);
        files.insert("OUT", d.join("out.file"));
        files.insert("NEWDIR", d.join("new-folder"));
        files.insert("NEWJOURNAL", d.join("new-journal.jsonl"));
        files.insert("NEWHIST", d.join("new.ialhist"));
        files.insert("NEWWS", d.join("imported.ialws"));
        files.insert(
            "REG",
            copy(
                "site.reg",
                &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/site/site.reg"),
            ),
        );
        let mut fx = Fixture { _dir: dir, files };
        let allow: &[&str] = if trust == Trust::Unsigned {
            &["--allow-unsigned"]
        } else {
            &[]
        };
        // A CSV export of the users, a history and a journal with one
        // unsaved step, all made by the binary itself.
        let csv = d.join("users.csv");
        let p = fx.path("WS");
        assert_ok(&run(
            &["csv", "export", "--workspace", s(&p), "--table", "users", "-o", s(&csv)],
            "",
        ));
        fx.files.insert("CSV", csv);
        // Not the workspace's own `site.ialhist`: that one must not exist,
        // so an output there is tried before it does (`check_outputs`).
        let hist = d.join("usage.ialhist");
        let mut args = vec![
            "history",
            "import",
            "--workspace",
            s(&p),
            "--events",
            s(&fx.files["EVENTS"]),
            "--license",
            s(&fx.files["LIC"]),
            "--history",
            s(&hist),
        ];
        args.extend_from_slice(allow);
        assert_ok(&run(&args, ""));
        fx.files.insert("HIST", hist);
        let journal = d.join("journal.jsonl");
        let mut args = vec![
            "session",
            "--license",
            s(&fx.files["LIC"]),
            "--workspace",
            s(&p),
            "--journal",
            s(&journal),
        ];
        args.extend_from_slice(allow);
        let step = r#"{"op":"set-user-name","id":"agent01","name":"Renamed"}"#;
        let out = run(&args, &format!("{step}\n"));
        assert_ok(&out);
        fx.files.insert("JOURNAL", journal);
        fx
    }

    fn path(&self, key: &str) -> PathBuf {
        self.files[key].clone()
    }

    /// The example with its placeholders filled in.
    fn args(&self, example: &str) -> Vec<String> {
        example
            .split_whitespace()
            .map(|w| match w.strip_prefix('{').and_then(|w| w.strip_suffix('}')) {
                Some("SITE") => "Test Install Site".to_string(),
                Some(key) => s(&self.files[key]).to_string(),
                None => w.to_string(),
            })
            .collect()
    }
}

fn strip_signature(path: &Path) {
    let mut v: Value = serde_json::from_slice(&std::fs::read(path).expect("read")).expect("json");
    v.as_object_mut().expect("object").remove("signature");
    std::fs::write(path, serde_json::to_vec_pretty(&v).expect("ser")).expect("write");
}

/// Runs the binary with `stdin`, killing it (and failing) after 60 s.
fn run<S: AsRef<std::ffi::OsStr>>(args: &[S], stdin: &str) -> Output {
    use std::io::Write as _;
    let mut child = bin()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    if let Some(mut input) = child.stdin.take() {
        let _ = input.write_all(stdin.as_bytes());
    }
    let started = Instant::now();
    loop {
        if child.try_wait().expect("wait").is_some() {
            return child.wait_with_output().expect("output");
        }
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            let shown: Vec<String> = args.iter().map(|a| a.as_ref().to_string_lossy().into_owned()).collect();
            panic!("hung for a minute: {}", shown.join(" "));
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn assert_ok(out: &Output) {
    assert!(
        out.status.code().is_some_and(|c| c == 0 || c == 1),
        "exit {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn first_lines(out: &Output) -> (String, String) {
    let first = |b: &[u8]| String::from_utf8_lossy(b).lines().next().unwrap_or("").to_string();
    (first(&out.stdout), first(&out.stderr))
}

fn arg_value<'a>(cmd: &clap::Command, id: &str) -> Option<&'a str> {
    let _ = (cmd, id);
    None
}

fn has_arg(cmd: &clap::Command, id: &str) -> bool {
    cmd.get_arguments().any(|a| a.get_id().as_str() == id)
}

/// The long flag (`--users`) or, for a positional, nothing.
fn flag(arg: &clap::Arg) -> Option<String> {
    arg.get_long()
        .map(|l| format!("--{l}"))
        .or_else(|| arg.get_short().map(|c| format!("-{c}")))
}

/// `args` with `--name VALUE` (or `-o VALUE`) replaced, or appended.
fn with_option(args: &[String], arg: &clap::Arg, value: &str) -> Vec<String> {
    let names: Vec<String> = [
        arg.get_long().map(|l| format!("--{l}")),
        arg.get_short().map(|c| format!("-{c}")),
    ]
    .into_iter()
    .flatten()
    .collect();
    let mut out = Vec::new();
    let mut i = 0;
    let mut replaced = false;
    while i < args.len() {
        if names.contains(&args[i]) && !replaced {
            out.push(args[i].clone());
            out.push(value.to_string());
            i += 2;
            replaced = true;
            continue;
        }
        out.push(args[i].clone());
        i += 1;
    }
    if !replaced && let Some(f) = flag(arg) {
        out.push(f);
        out.push(value.to_string());
    }
    out
}

/// The value a placeholder-filled argument list gives an option (or the
/// positional at `index` among positionals).
fn value_of(args: &[String], arg: &clap::Arg, positional_index: usize) -> Option<String> {
    if arg.is_positional() {
        // Positionals follow the subcommand words; skip flags and their values.
        return args
            .iter()
            .filter(|a| !a.starts_with('-'))
            .nth(positional_index)
            .cloned();
    }
    let names: Vec<String> = [
        arg.get_long().map(|l| format!("--{l}")),
        arg.get_short().map(|c| format!("-{c}")),
    ]
    .into_iter()
    .flatten()
    .collect();
    args.iter()
        .position(|a| names.contains(a))
        .and_then(|i| args.get(i + 1).cloned())
}

fn is_path(arg: &clap::Arg) -> bool {
    arg.get_action().takes_values() && arg.get_value_parser().type_id() == TypeId::of::<PathBuf>()
}

/// "Range: A to B." in an option's help.
fn declared_range(arg: &clap::Arg) -> Option<(f64, f64)> {
    let help = arg.get_help()?.to_string().replace('\n', " ");
    let rest = &help[help.find("Range: ")? + "Range: ".len()..];
    let (a, rest) = rest.split_once(" to ")?;
    let b: String = rest.chars().take_while(|c| c.is_ascii_digit() || *c == '.').collect();
    Some((a.trim().parse().ok()?, b.trim_end_matches('.').parse().ok()?))
}

/// The numeric type of an option, with its largest value as text.
fn numeric(arg: &clap::Arg) -> Option<(&'static str, f64)> {
    let t = arg.get_value_parser().type_id();
    [
        (TypeId::of::<u64>(), "18446744073709551615", u64::MIN as f64),
        (TypeId::of::<i64>(), "9223372036854775807", i64::MIN as f64),
        (TypeId::of::<u32>(), "4294967295", 0.0),
        (TypeId::of::<i32>(), "2147483647", i32::MIN as f64),
        (TypeId::of::<usize>(), "18446744073709551615", 0.0),
        (TypeId::of::<f64>(), "1.7976931348623157e308", f64::MIN),
    ]
    .into_iter()
    .find(|(id, _, _)| t == *id)
    .map(|(_, max, min)| (max, min))
}

#[test]
fn every_command_keeps_the_contract() {
    let mut failures: Vec<String> = Vec::new();
    let mut covered = 0;
    for (path, cmd) in leaves() {
        if EXCEPTIONS.iter().any(|(p, _)| *p == path) {
            continue;
        }
        let Some(ex) = example(&path) else {
            failures.push(format!(
                "`{path}` has no example in the contract matrix (tests/it/contract_matrix.rs)"
            ));
            continue;
        };
        covered += 1;
        // The example itself runs.
        let fx = Fixture::new(Trust::Demo);
        let out = run(&fx.args(ex), "");
        if !out.status.code().is_some_and(|c| c == 0 || c == 1) {
            failures.push(format!(
                "`{path}`: the example fails ({:?}): {}",
                out.status.code(),
                String::from_utf8_lossy(&out.stderr)
            ));
            continue;
        }
        check_trust(&path, &cmd, ex, &mut failures);
        check_outputs(&path, &cmd, ex, &mut failures);
        check_numbers(&path, &cmd, ex, &mut failures);
        check_files(&path, &cmd, ex, &mut failures);
    }
    assert!(covered >= 25, "only {covered} commands covered");
    assert!(
        failures.is_empty(),
        "{} contract failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    let _ = arg_value;
}

/// DEMO and UNSIGNED licenses (and accounts) are marked in the JSON and on
/// the first line.
fn check_trust(path: &str, cmd: &clap::Command, ex: &str, failures: &mut Vec<String>) {
    let account = path.starts_with("account") || has_arg(cmd, "allow_unsigned_account");
    let license = has_arg(cmd, "allow_unsigned");
    for trust in [Trust::Demo, Trust::Unsigned] {
        let (word, allow) = match trust {
            Trust::Demo => ("DEMO", None),
            Trust::Unsigned => (
                "UNSIGNED",
                Some(if account {
                    "--allow-unsigned-account"
                } else {
                    "--allow-unsigned"
                }),
            ),
        };
        if !account && !license {
            continue;
        }
        if account && trust == Trust::Unsigned && has_arg(cmd, "allow_unsigned_account") {
            // Without the flag, an unsigned account is not drawn on.
            let fx = Fixture::new(trust);
            let before = std::fs::read(fx.path("ACCT")).expect("read");
            let out = run(&fx.args(ex), "");
            if out.status.code() != Some(2) {
                failures.push(format!(
                    "`{path}`: an unsigned account was used without --allow-unsigned-account"
                ));
            }
            if std::fs::read(fx.path("ACCT")).expect("read") != before {
                failures.push(format!("`{path}`: a refused unsigned account was changed"));
            }
        }
        let allow_here = match allow {
            Some(a) if a == "--allow-unsigned-account" && !has_arg(cmd, "allow_unsigned_account") => None,
            other => other,
        };
        // The table (or plain) output: the first line of stdout or stderr.
        let fx = Fixture::new(trust);
        let mut args = fx.args(ex);
        if let Some(a) = allow_here {
            args.push(a.to_string());
        }
        let out = run(&args, "");
        let (o, e) = first_lines(&out);
        let marked = if path == "account sign" {
            // Signing with the demo key leaves a DEMO account.
            o.starts_with("DEMO") || e.starts_with("DEMO") || o.starts_with("Signed")
        } else {
            // (`license diff` says which license: "Old license: DEMO license …".)
            [&o, &e]
                .iter()
                .any(|l| l.starts_with(word) || l.strip_prefix("Old license: ").is_some_and(|r| r.starts_with(word)))
        };
        if !marked {
            failures.push(format!("`{path}` ({word}): first lines are {o:?} / {e:?}"));
        }
        // The JSON: the `license` (or `account`) object.
        if !has_arg(cmd, "format") {
            continue;
        }
        let fx = Fixture::new(trust);
        let mut args = fx.args(ex);
        args.extend(["--format".to_string(), "json".to_string()]);
        if let Some(a) = allow_here {
            args.push(a.to_string());
        }
        let out = run(&args, "");
        let json: Value = match serde_json::from_slice(&out.stdout) {
            Ok(v) => v,
            Err(e) => {
                failures.push(format!("`{path}` --format json is not JSON ({e})"));
                continue;
            }
        };
        let ok = if account {
            let status = json["account"]["status"].as_str().unwrap_or("");
            match (trust, path) {
                (_, "account sign") => status == "demo",
                (Trust::Demo, _) => status == "demo",
                (Trust::Unsigned, _) => status == "unsigned",
            }
        } else {
            let objects: Vec<&Value> = if path == "license diff" {
                vec![&json["old_license"], &json["new_license"]]
            } else {
                vec![&json["license"]]
            };
            objects.iter().all(|l| match trust {
                Trust::Demo => l["demo"] == true && l["status"] == "valid",
                Trust::Unsigned => l["unsigned"] == true,
            })
        };
        if !ok {
            failures.push(format!("`{path}` ({word}): JSON does not say so: {json}"));
        }
    }
}

/// Each input given as the output is refused, naming it, and unchanged.
fn check_outputs(path: &str, cmd: &clap::Command, ex: &str, failures: &mut Vec<String>) {
    let fx = Fixture::new(Trust::Demo);
    let args = fx.args(ex);
    let outputs: Vec<&clap::Arg> = cmd
        .get_arguments()
        .filter(|a| is_path(a) && ia_licensing::cli::guard::is_output(path, a.get_id().as_str()))
        .filter(|a| value_of(&args, a, 0).is_some())
        .collect();
    if outputs.is_empty() {
        return;
    }
    let mut positional = 0;
    let mut inputs: Vec<PathBuf> = Vec::new();
    for a in cmd.get_arguments() {
        let index = positional;
        if a.is_positional() {
            positional += 1;
        }
        if !is_path(a) || ia_licensing::cli::guard::is_output(path, a.get_id().as_str()) {
            continue;
        }
        if let Some(v) = value_of(&args, a, index) {
            inputs.push(PathBuf::from(v));
        }
    }
    for out_arg in &outputs {
        for input in &inputs {
            let fx = Fixture::new(Trust::Demo);
            // The same file in this fixture.
            let name = input.file_name().expect("name");
            let target = fx
                .files
                .values()
                .find(|p| p.file_name() == Some(name))
                .cloned()
                .expect("fixture file");
            let before = std::fs::read(&target).expect("read input");
            let args = with_option(&fx.args(ex), out_arg, s(&target));
            let out = run(&args, "");
            let err = String::from_utf8_lossy(&out.stderr);
            if out.status.code() != Some(2) || !err.contains(&*name.to_string_lossy()) {
                failures.push(format!(
                    "`{path}`: its input {} as {} was not refused by name ({:?}): {err}",
                    name.to_string_lossy(),
                    flag(out_arg).unwrap_or_default(),
                    out.status.code()
                ));
            }
            if std::fs::read(&target).expect("read input") != before {
                failures.push(format!("`{path}`: its input {} was changed", name.to_string_lossy()));
            }
        }
    }
    check_own_history(path, cmd, ex, &outputs, failures);
}

/// Each output given as the workspace's own usage history, before that
/// history exists, is refused naming it, and nothing is written there —
/// but for `history import --history`, which writes that very file.
fn check_own_history(path: &str, cmd: &clap::Command, ex: &str, outputs: &[&clap::Arg], failures: &mut Vec<String>) {
    let Some(ws_arg) = cmd.get_arguments().find(|a| a.get_id().as_str() == "workspace") else {
        return;
    };
    for out_arg in outputs {
        let fx = Fixture::new(Trust::Demo);
        let args = fx.args(ex);
        let Some(ws) = value_of(&args, ws_arg, 0) else { continue };
        let own = PathBuf::from(ws).with_extension("ialhist");
        assert!(!own.exists(), "the fixture has no {}", own.display());
        let out = run(&with_option(&args, out_arg, s(&own)), "");
        let err = String::from_utf8_lossy(&out.stderr);
        let writes_it = path == "history import" && out_arg.get_id().as_str() == "history";
        let shown = flag(out_arg).unwrap_or_default();
        if writes_it {
            if out.status.code().is_none_or(|c| c >= 2) || !own.is_file() {
                failures.push(format!(
                    "`{path}` {shown}: the workspace's own history was not written ({:?}): {err}",
                    out.status.code()
                ));
            }
            continue;
        }
        if out.status.code() != Some(2) || !err.contains("site.ialhist") {
            failures.push(format!(
                "`{path}`: the workspace's own usage history as {shown} was not refused by name ({:?}): {err}",
                out.status.code()
            ));
        }
        if own.exists() {
            failures.push(format!(
                "`{path}`: {shown} wrote the workspace's own usage history {}",
                own.display()
            ));
        }
    }
}

/// 0 and the type's largest value never panic; past the declared range is
/// refused with the reason on the first line.
fn check_numbers(path: &str, cmd: &clap::Command, ex: &str, failures: &mut Vec<String>) {
    for arg in cmd.get_arguments() {
        let Some((max, type_min)) = numeric(arg) else { continue };
        let name = flag(arg).unwrap_or_default();
        let Some((lo, hi)) = declared_range(arg) else {
            failures.push(format!(
                "`{path}` {name}: numeric, but its help declares no \"Range: A to B.\""
            ));
            continue;
        };
        let mut past = vec![format_number(hi + 1.0)];
        if lo > type_min {
            past.push(format_number(lo - 1.0));
        }
        for value in ["0", max] {
            let fx = Fixture::new(Trust::Demo);
            let out = run(&with_option(&fx.args(ex), arg, value), "");
            if out.status.code() == Some(101) || out.status.code().is_none() {
                failures.push(format!("`{path}` {name} {value}: crashed ({:?})", out.status.code()));
            }
        }
        for value in past {
            let fx = Fixture::new(Trust::Demo);
            let out = run(&with_option(&fx.args(ex), arg, &value), "");
            let (_, e) = first_lines(&out);
            if out.status.code() != Some(2) || !e.contains(&value) {
                failures.push(format!(
                    "`{path}` {name} {value}: not refused with the reason first ({:?}): {e}",
                    out.status.code()
                ));
            }
        }
    }
}

fn format_number(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{x}")
    }
}

/// A FIFO and a dangling link as any file argument are refused.
fn check_files(path: &str, cmd: &clap::Command, ex: &str, failures: &mut Vec<String>) {
    let mut positional = 0;
    for arg in cmd.get_arguments() {
        let index = positional;
        if arg.is_positional() {
            positional += 1;
        }
        if !is_path(arg) {
            continue;
        }
        let fx = Fixture::new(Trust::Demo);
        if value_of(&fx.args(ex), arg, index).is_none() {
            continue;
        }
        for kind in ["FIFO", "dangling link"] {
            let fx = Fixture::new(Trust::Demo);
            let bad = fx.path("OUT").with_file_name(format!("bad-{}", kind.replace(' ', "-")));
            if kind == "FIFO" {
                let made = std::process::Command::new("mkfifo").arg(&bad).status();
                if !made.is_ok_and(|s| s.success()) {
                    continue;
                }
            } else {
                std::os::unix::fs::symlink(bad.with_extension("missing"), &bad).expect("link");
            }
            let mut args = fx.args(ex);
            if arg.is_positional() {
                let original = value_of(&args, arg, index).expect("value");
                if let Some(p) = args.iter().position(|a| *a == original) {
                    args[p] = s(&bad).to_string();
                }
            } else {
                args = with_option(&args, arg, s(&bad));
            }
            let out = run(&args, "");
            if out.status.code() != Some(2) {
                failures.push(format!(
                    "`{path}` {}: a {kind} was not refused ({:?}): {}",
                    flag(arg).unwrap_or_else(|| arg.get_id().to_string()),
                    out.status.code(),
                    String::from_utf8_lossy(&out.stderr)
                ));
            }
        }
    }
}
