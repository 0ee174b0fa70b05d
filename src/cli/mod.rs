//! The command line: a thin face over the core. `args` parses; one module
//! per command loads files, calls the core and prints a table or JSON; this
//! module holds what they share (loading, trust lines, printing, exit codes).
//!
//! Exit codes: 0 success; 1 the check found error-severity problems;
//! 2 a file or argument was refused, or the output could not be written
//! (the reason is on stderr); a closed pipe ends a command quietly with 0
//! (`failure.rs`).

mod account;
pub mod args;
mod check;
mod cloud;
mod csv;
mod demo;
mod editing;
mod enforcement;
mod failure;
pub mod guard;
mod history;
mod license;
mod order;
pub mod output;
pub mod package;
mod policy;
mod report;
mod site;
mod usage;

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use chrono::NaiveDate;

use crate::core::license::{License, LoadOptions};
use crate::core::text::safe;
use crate::core::workspace::Workspace;
pub use args::{Action, Cli, Command, GuiArgs, RendererArg};
use args::{DemoCommand, TrustArgs};
pub use failure::Failure;

/// Why an events file was refused, as every command says it.
pub fn events_refused(path: &Path, e: crate::core::replay::ReadError) -> Failure {
    use crate::core::replay::ReadError;
    match e {
        ReadError::File(e) => e.into(),
        ReadError::NotUtf8 => Failure::refused(format!("{} is not UTF-8 text", path.display())),
        ReadError::Events(e) => Failure::refused(format!("{}: {e}", path.display())),
        ReadError::Cancelled => Failure::refused(format!("reading {} was stopped", path.display())),
    }
}

/// The note about how an events file was read (nothing for a file in
/// time order), naming it by its file name.
pub fn events_note(path: &Path, stats: &crate::core::replay::ReadStats) -> Option<String> {
    let name = path
        .file_name()
        .map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
    stats.note(&name)
}

/// Replays an events file as it is read, keeping the totals and denials
/// (`check --events`, `recommend --events`); a file out of time order is
/// said on stderr (their output has no place for it).
pub fn replay_events(license: &License, ws: &Workspace, path: &Path) -> Result<crate::core::replay::Replay, Failure> {
    use crate::core::replay;
    let (r, stats) = replay::replay_file(license, ws, path, None, &mut |_, _| true, &mut replay::Totals)
        .map_err(|e| events_refused(path, e))?;
    if let Some(note) = events_note(path, &stats) {
        eprintln!("Note: {}", safe(&note));
    }
    Ok(r)
}

/// Every command and argument of the command line, as clap knows them:
/// what tests walk so a new command is covered the day it exists.
pub fn command_tree() -> clap::Command {
    <Cli as clap::CommandFactory>::command()
}

/// Parses the command line (clap prints help and usage errors and exits
/// 2 itself), then refuses it when an output is one of its inputs.
pub fn parse() -> Result<Cli, ExitCode> {
    parse_from(std::env::args_os())
}

/// `parse` over given arguments (the program's name first): the GUI-only
/// executable starts the GUI with its own arguments after `gui`.
pub fn parse_from(args: impl IntoIterator<Item = std::ffi::OsString>) -> Result<Cli, ExitCode> {
    use clap::{CommandFactory, FromArgMatches};
    // The hidden packaging command is added here only, so no help, man
    // page or completion (all made from `command_tree`) offers it.
    let matches = Cli::command().subcommand(package::command()).get_matches_from(args);
    if let Some((package::NAME, sub)) = matches.subcommand() {
        return Err(package::run(sub));
    }
    let cli = Cli::from_arg_matches(&matches).map_err(|e| {
        let _ = e.print();
        ExitCode::from(2)
    })?;
    if let Err(f) = guard::check(&matches) {
        return Err(f.report());
    }
    Ok(cli)
}

/// Runs a parsed command line (the GUI is started by `main`).
pub fn run(command: Command) -> ExitCode {
    let result = match command {
        Command::Gui(_) => Err(Failure::refused("the GUI is started by main")),
        Command::License(cmd) => license::run_license(*cmd),
        Command::Check(args) => check::run_check(args),
        Command::Csv(cmd) => csv::run_csv(cmd),
        Command::Enforcement(args) => enforcement::run_enforcement(args),
        Command::Usage(args) => usage::run_usage(args),
        Command::Recommend(args) => usage::run_recommend(args),
        Command::Session(args) => editing::run_session(args),
        Command::Recover(args) => editing::run_recover(args),
        Command::Demo(DemoCommand::Generate {
            users,
            stations,
            workgroups,
            seed,
            events,
            history_days,
            out,
        }) => demo::run_generate(users, stations, workgroups, seed, events, history_days, &out),
        Command::Account(cmd) => account::run_account(cmd),
        Command::Reclaim(args) => usage::run_reclaim(args),
        Command::Policy(cmd) => policy::run_policy(cmd),
        Command::History(cmd) => history::run_history(cmd),
        Command::Site(cmd) => site::run_site(cmd),
        Command::Cloud(cmd) => cloud::run_cloud(cmd),
        Command::Report(args) => report::run_report(args),
    };
    result.unwrap_or_else(Failure::report)
}

pub(crate) fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

/// A document a command will change and save: its change log is stamped
/// with the real time and the OS user (`changelog::who_and_when`).
pub fn editable_document(license: License, ws: Workspace) -> crate::core::document::Document {
    let (now, who) = crate::core::changelog::who_and_when();
    let mut doc = crate::core::document::Document::new(std::sync::Arc::new(license), ws, now.date_naive());
    doc.set_clock(now, &who);
    doc
}

/// Refuses a change to the allocation once a virtual-cloud system is
/// disabled (stage 6, "Allocation read-only"), as the GUI and `session`
/// do: the same check, the session's (`core::editing::allocation_open`).
/// The real clock, no check-ins known.
pub fn allocation_open(license: &License) -> Result<(), Failure> {
    crate::core::editing::allocation_open(license, &[], chrono::Utc::now())
        .map_err(|refusal| Failure::Refused(Box::new(refusal)))
}

/// Locks a workspace a command will write in place (the lock a session
/// holds), or says who edits it.
pub fn lock_workspace(path: &Path, program: &str) -> Result<crate::core::fs::FileLock, Failure> {
    crate::core::fs::FileLock::acquire(path, program).map_err(|e| match e {
        crate::core::fs::LockError::Held(holder) => Failure::refused(format!(
            "{} is being edited by {holder}; close it there first, or write the result elsewhere with -o",
            path.display()
        )),
        e => Failure::refused(format!("{} cannot be written in place: {e}", path.display())),
    })
}

/// Loads a license the way every command does, refusing with exit 2.
pub fn load_license(path: &Path, trust: &TrustArgs) -> Result<License, Failure> {
    let store = trust.trust_store()?;
    License::load_path(
        path,
        LoadOptions {
            trust: &store,
            allow_unsigned: trust.allow_unsigned,
        },
    )
    .map_err(|r| Failure::refused(format!("{}: {r}", path.display())))
}

/// Loads a workspace file, refusing with exit 2.
pub fn load_workspace(path: &Path) -> Result<Workspace, Failure> {
    Workspace::load_path(path).map_err(|e| {
        let shown = path.display().to_string();
        let message = e.to_string();
        // A file that cannot be read at all names itself ("/dev/zero is not
        // a regular file"): not "/dev/zero: $: /dev/zero is …".
        match message.strip_prefix("$: ").filter(|m| m.starts_with(&shown)) {
            Some(whole) => Failure::refused(whole.to_string()),
            None => Failure::refused(format!("{shown}: {message}")),
        }
    })
}

/// Writes the edited workspace of `csv import` and `policy apply`: a new
/// file with -o; otherwise the workspace, saved where it lives. Returns
/// where it went.
pub(crate) fn write_workspace(
    doc: &crate::core::document::Document,
    workspace: std::path::PathBuf,
    out: Option<std::path::PathBuf>,
) -> Result<std::path::PathBuf, Failure> {
    let follow = if out.is_some() {
        crate::core::fs::Follow::Never
    } else {
        crate::core::fs::Follow::InPlace
    };
    let target = out.unwrap_or(workspace);
    crate::core::fs::write_temporary(&target, follow, |w| doc.write_file_json(w))
        .and_then(|t| t.persist(true))
        .map_err(|e| Failure::refused(format!("cannot write {} ({e})", target.display())))?;
    Ok(target)
}

pub(crate) fn serde_plain<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

pub(crate) fn pretty_json<T: serde::Serialize>(value: &T) -> Result<String, Failure> {
    let mut text = serde_json::to_string_pretty(value)?;
    text.push('\n');
    Ok(text)
}

/// A table's first line: DEMO or UNSIGNED when that applies.
pub(crate) fn banner(out: &mut String, licenses: &[&License]) {
    for license in licenses {
        if let Some(line) = license.signature.banner() {
            out.push_str(line);
            out.push('\n');
            return;
        }
    }
}

/// Prints JSON with every control character escaped (serde_json leaves C1
/// controls and bidirectional marks raw).
pub fn print_json<T: serde::Serialize + ?Sized>(value: &T) -> Result<(), Failure> {
    // Written as it is made (an account with 50,000 activation files is
    // tens of megabytes of JSON): the formatter escapes every character a
    // terminal would obey, so nothing is escaped twice.
    let out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let formatter = crate::core::text::SafeFormatter::new(serde_json::ser::PrettyFormatter::new());
    let mut ser = serde_json::Serializer::with_formatter(out, formatter);
    let written = value.serialize(&mut ser).map_err(std::io::Error::from).and_then(|()| {
        let mut out = ser.into_inner();
        out.write_all(b"\n")?;
        out.flush()
    });
    written_or_closed(written)
}

pub fn print_text(text: &str) -> Result<(), Failure> {
    // The last line of defence: whatever a field still carries, the
    // terminal obeys none of it (fields are escaped as tables are laid out).
    let text = crate::core::text::safe_lines(text);
    let mut out = std::io::stdout().lock();
    written_or_closed(out.write_all(text.as_bytes()).and_then(|()| out.flush()))
}

/// A failed write to standard output ends the command: a closed pipe
/// (`| head`) quietly with exit 0, anything else (a full disk behind
/// `> out.json`) with exit 2, so a script sees it.
fn written_or_closed(result: std::io::Result<()>) -> Result<(), Failure> {
    result.map_err(Failure::from_write)
}
