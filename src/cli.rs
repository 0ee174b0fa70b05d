//! The command line: a thin face over the core. Parses arguments, loads
//! files, prints a table or JSON, and sets the exit code.
//!
//! Exit codes: 0 success; 1 the check found error-severity problems;
//! 2 a file or argument was refused (the reason is on stderr).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};
use serde_json::json;

use crate::core::catalog;
use crate::core::csv_io;
use crate::core::document::Document;
use crate::core::editing::JournalPlace;
use crate::core::license::generate::{self, Order, Quantity};
use crate::core::license::signing::{self, IssuerKey};
use crate::core::license::{Level, License, LoadOptions, TrustStore, format::Switchover};
use crate::core::parts;
use crate::core::text::safe;
use crate::core::workspace::Workspace;
use std::sync::Arc;

#[derive(Debug, Parser)]
#[command(
    name = "ia-licensing",
    version,
    about = "License Management for Genesys PureConnect (CIC), as in Interaction Administrator",
    long_about = "With no command, opens the GUI on the built-in demo license and workspace."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Open the GUI (on FILE, or on the demo data when no file is given).
    Gui(GuiArgs),
    /// Verify, show and generate license files.
    #[command(subcommand)]
    License(Box<LicenseCommand>),
    /// Check a workspace against a license: Licenses Allocation counts and
    /// diagnostics. Exit 0 without errors, 1 with errors, 2 when a file is refused.
    Check(CheckArgs),
    /// Import and export users, stations and workgroups as CSV.
    #[command(subcommand)]
    Csv(CsvCommand),
    /// The virtual cloud enforcement stage at a time (seed Appendix B).
    Enforcement(EnforcementArgs),
    /// Replay logon/logoff events: sessions, concurrent pools, denials and
    /// subscription billing categories.
    Usage(UsageArgs),
    /// Right-size the order: per key add, reduce or keep, with the reason.
    Recommend(RecommendArgs),
    /// A scripted editing session: reads commands (JSON lines) from standard
    /// input, applies them, journals them for recovery, and saves on request.
    Session(SessionArgs),
    /// Rebuild the workspace from a recovery journal after a crash.
    Recover(RecoverArgs),
    /// Demo data at scale.
    #[command(subcommand)]
    Demo(DemoCommand),
}

#[derive(Debug, Subcommand)]
pub enum DemoCommand {
    /// Write a license and a matching workspace (and optionally events) of a
    /// given size to DIR: license.I3Lic (signed with the demo key),
    /// workspace.ialws, events.json.
    Generate {
        #[arg(long, default_value_t = 1000)]
        users: usize,
        #[arg(long, default_value_t = 1000)]
        stations: usize,
        #[arg(long, default_value_t = 20)]
        workgroups: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Also write this many logon/logoff events.
        #[arg(long, value_name = "N")]
        events: Option<usize>,
        #[arg(short = 'o', long = "out", value_name = "DIR")]
        out: PathBuf,
    },
}

#[derive(Debug, Args)]
pub struct SessionArgs {
    #[arg(long, value_name = "FILE")]
    pub license: PathBuf,
    #[arg(long, value_name = "FILE")]
    pub workspace: PathBuf,
    /// The recovery journal (default: this workspace's journal in the data
    /// folder). It is locked while the session runs.
    #[arg(long, value_name = "FILE")]
    pub journal: Option<PathBuf>,
    /// Start even though the journal holds unsaved changes of a session that
    /// did not end cleanly (they are discarded).
    #[arg(long)]
    pub discard_journal: bool,
    #[command(flatten)]
    pub trust: TrustArgs,
}

#[derive(Debug, Args)]
pub struct RecoverArgs {
    /// The recovery journal (default: the one of --workspace, or the only
    /// journal in the data folder with unsaved changes).
    #[arg(long, value_name = "FILE")]
    pub journal: Option<PathBuf>,
    /// The workspace whose journal to read (instead of --journal).
    #[arg(long, value_name = "FILE", conflicts_with = "journal")]
    pub workspace: Option<PathBuf>,
    /// Replay even though the license file changed since the journal was
    /// written (otherwise refused, naming the file).
    #[arg(long)]
    pub accept_license_change: bool,
    /// Write the recovered workspace here (default: standard output).
    #[arg(short = 'o', long = "out", value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Delete the journal once the recovered workspace is safely written.
    #[arg(long)]
    pub discard: bool,
    #[command(flatten)]
    pub trust: TrustArgs,
}

#[derive(Debug, Args)]
pub struct RecommendArgs {
    #[arg(long, value_name = "FILE")]
    pub license: PathBuf,
    #[arg(long, value_name = "FILE")]
    pub workspace: PathBuf,
    /// Session history (an events file) for peaks and denials.
    #[arg(long, value_name = "FILE")]
    pub events: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t)]
    pub format: OutputFormat,
    #[command(flatten)]
    pub trust: TrustArgs,
}

#[derive(Debug, Args)]
pub struct UsageArgs {
    #[arg(long, value_name = "FILE")]
    pub license: PathBuf,
    #[arg(long, value_name = "FILE")]
    pub workspace: PathBuf,
    /// An events file (JSON, see docs/events-file.md).
    #[arg(long, value_name = "FILE")]
    pub events: PathBuf,
    #[arg(long, value_enum, default_value_t)]
    pub format: OutputFormat,
    #[command(flatten)]
    pub trust: TrustArgs,
}

/// Reads and parses an events file (capped in size).
pub fn load_events(path: &Path) -> Result<Vec<crate::core::sessions::Event>, Failure> {
    let bytes = crate::core::fileio::read_capped(path, crate::core::sessions::MAX_EVENTS_FILE_BYTES)?;
    let text =
        String::from_utf8(bytes).map_err(|_| Failure::refused(format!("{} is not UTF-8 text", path.display())))?;
    crate::core::sessions::parse_events(&text).map_err(|e| Failure::refused(format!("{}: {e}", path.display())))
}

#[derive(Debug, Args)]
pub struct EnforcementArgs {
    #[arg(long, value_name = "FILE")]
    pub license: PathBuf,
    /// A JSON array of RFC 3339 times of successful check-ins.
    #[arg(long = "checkins", value_name = "FILE")]
    pub checkins: Option<PathBuf>,
    /// The instant to evaluate (RFC 3339; a time without offset is UTC).
    #[arg(long, value_name = "DATETIME", value_parser = crate::core::enforcement::parse_time)]
    pub at: chrono::DateTime<chrono::Utc>,
    #[arg(long, value_enum, default_value_t)]
    pub format: OutputFormat,
    #[command(flatten)]
    pub trust: TrustArgs,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[arg(long, value_name = "FILE")]
    pub license: PathBuf,
    #[arg(long, value_name = "FILE")]
    pub workspace: PathBuf,
    #[arg(long, value_enum, default_value_t)]
    pub format: OutputFormat,
    /// The date to judge expiry against (default: today).
    #[arg(long, value_parser = crate::core::dates::parse_arg_date, value_name = "DATE")]
    pub today: Option<NaiveDate>,
    #[command(flatten)]
    pub trust: TrustArgs,
}

#[derive(Debug, Subcommand)]
pub enum CsvCommand {
    /// Write users, stations or workgroups of a workspace as CSV.
    Export {
        #[arg(long, value_name = "FILE")]
        workspace: PathBuf,
        /// users, stations or workgroups.
        #[arg(long, value_parser = parse_table)]
        table: crate::core::csv_io::Table,
        /// Output file (default: standard output).
        #[arg(short = 'o', long = "out", value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Import CSV rows into a workspace (rows update existing subjects or add
    /// new ones; the allocation rules apply). Nothing is imported when a row
    /// is bad, unless --skip-bad-rows.
    Import {
        #[arg(long, value_name = "FILE")]
        license: PathBuf,
        #[arg(long, value_name = "FILE")]
        workspace: PathBuf,
        #[arg(long, value_parser = parse_table)]
        table: crate::core::csv_io::Table,
        #[arg(long = "from", value_name = "CSV")]
        from: PathBuf,
        /// Import the good rows and report the bad ones.
        #[arg(long)]
        skip_bad_rows: bool,
        /// Where to write the result (default: overwrite --workspace).
        #[arg(short = 'o', long = "out", value_name = "FILE")]
        out: Option<PathBuf>,
        #[command(flatten)]
        trust: TrustArgs,
    },
}

fn parse_table(text: &str) -> Result<crate::core::csv_io::Table, String> {
    crate::core::csv_io::Table::parse(text)
        .ok_or_else(|| format!("unknown table `{text}`; use users, stations or workgroups"))
}

/// Options every command that reads a license accepts.
#[derive(Debug, Clone, Args, Default)]
pub struct TrustArgs {
    /// Trust this issuer public key file (repeatable). Only keys named here
    /// (and the built-in demo key) are trusted.
    #[arg(long = "trust", value_name = "KEYFILE")]
    pub trust: Vec<PathBuf>,
    /// Training mode: load unsigned license files, marked UNSIGNED.
    #[arg(long)]
    pub allow_unsigned: bool,
}

impl TrustArgs {
    pub fn trust_store(&self) -> Result<TrustStore, String> {
        let mut store = TrustStore::with_demo();
        for path in &self.trust {
            store.add_file(path)?;
        }
        Ok(store)
    }
}

#[derive(Debug, Clone, Args, Default)]
pub struct GuiArgs {
    /// A license file (.I3Lic) to open.
    pub file: Option<PathBuf>,
    /// Open in read-only mode (for supervisors who only check statistics).
    #[arg(long)]
    pub read_only: bool,
    /// A workspace file (.ialws) to open with the license.
    #[arg(long, value_name = "FILE")]
    pub workspace: Option<PathBuf>,
    /// The view to start on: license, allocation, users, stations,
    /// workgroups, statistics, enforcement, usage.
    #[arg(long, value_name = "VIEW")]
    pub view: Option<String>,
    /// Start with the dark theme.
    #[arg(long)]
    pub dark: bool,
    #[command(flatten)]
    pub trust: TrustArgs,
}

#[derive(Debug, Clone, Copy, Default, ValueEnum)]
pub enum OutputFormat {
    #[default]
    Table,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum LicenseCommand {
    /// Check a license file: exit 0 when it can be loaded, 2 when it is refused.
    Verify {
        file: PathBuf,
        #[command(flatten)]
        trust: TrustArgs,
    },
    /// Show a license like the "View License" page.
    Show {
        file: PathBuf,
        #[arg(long, value_enum, default_value_t)]
        format: OutputFormat,
        /// The date to judge expiry against (default: today).
        #[arg(long, value_parser = crate::core::dates::parse_arg_date, value_name = "DATE")]
        today: Option<NaiveDate>,
        #[command(flatten)]
        trust: TrustArgs,
    },
    /// Generate a signed license from ordered part numbers ("New Activation File").
    New(Box<NewArgs>),
    /// Make an issuer key pair: DIR/issuer.key (secret) and DIR/issuer.pub.
    Keygen {
        #[arg(short = 'o', long = "out", value_name = "DIR")]
        out: PathBuf,
        /// Key id written into signatures (default: derived from the key).
        #[arg(long)]
        key_id: Option<String>,
    },
    /// Compare two licenses and, with --workspace, the impact of loading the
    /// new one. Exit 0 when it adds no error, 1 when it does, 2 when refused.
    Diff {
        old: PathBuf,
        new: PathBuf,
        #[arg(long, value_name = "FILE")]
        workspace: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t)]
        format: OutputFormat,
        #[arg(long, value_parser = crate::core::dates::parse_arg_date, value_name = "DATE")]
        today: Option<NaiveDate>,
        #[command(flatten)]
        trust: TrustArgs,
    },
    /// List the license-key catalogue.
    Keys {
        #[arg(long, value_enum, default_value_t)]
        format: OutputFormat,
    },
    /// List the part-number catalogue.
    Parts {
        #[arg(long, value_enum, default_value_t)]
        format: OutputFormat,
    },
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// An ordered part: PART=ASSIGNED[+POOLED] units (repeatable).
    #[arg(long = "part", value_name = "PART=ASSIGNED[+POOLED]")]
    pub parts: Vec<Quantity>,
    /// A key added directly: KEY=ASSIGNED[+POOLED] (repeatable).
    #[arg(long = "license", value_name = "KEY=ASSIGNED[+POOLED]")]
    pub licenses: Vec<Quantity>,
    /// A server feature key (repeatable).
    #[arg(long = "feature", value_name = "KEY")]
    pub features: Vec<String>,
    /// production, development-small, development-large, trial or evaluation.
    #[arg(long, value_parser = parse_level)]
    pub level: Level,
    /// The server's host ID (not needed for virtual-cloud licenses).
    #[arg(long, default_value = "")]
    pub host_id: String,
    #[arg(long, value_name = "NAME")]
    pub machine: String,
    #[arg(long)]
    pub switchover_host_id: Option<String>,
    #[arg(long)]
    pub switchover_machine: Option<String>,
    #[arg(long, default_value = "Media Server Based")]
    pub system_type: String,
    #[arg(long, default_value = "Microsoft Exchange Server")]
    pub mail_connector: String,
    #[arg(long, default_value = "2020 R2")]
    pub product_version: String,
    #[arg(long, default_value = "")]
    pub company: String,
    #[arg(long, default_value = "")]
    pub install_site: String,
    #[arg(long, default_value = "ia-licensing")]
    pub generated_by: String,
    /// Generation date (default: today).
    #[arg(long, value_parser = crate::core::dates::parse_arg_date, value_name = "DATE")]
    pub generated: Option<NaiveDate>,
    /// Expiry date (default: 2100-01-01; trial: generated + 60 days; development: one year).
    #[arg(long, value_parser = crate::core::dates::parse_arg_date, value_name = "DATE")]
    pub expires: Option<NaiveDate>,
    /// Virtual cloud: the date enforcement starts.
    #[arg(long, value_parser = crate::core::dates::parse_arg_date, value_name = "DATE")]
    pub ramp_date: Option<NaiveDate>,
    /// Virtual cloud: the grace period in days.
    #[arg(long, value_name = "N")]
    pub grace_days: Option<i64>,
    /// The issuer private key to sign with.
    #[arg(long, value_name = "KEYFILE")]
    pub sign_key: PathBuf,
    #[arg(short = 'o', long = "out", value_name = "FILE")]
    pub out: PathBuf,
}

fn parse_level(text: &str) -> Result<Level, String> {
    Level::parse(text).ok_or_else(|| {
        format!("unknown level `{text}`; use production, development-small, development-large, trial or evaluation")
    })
}

/// Runs a parsed command line (the GUI is started by `main`).
pub fn run(command: Command) -> ExitCode {
    let result = match command {
        Command::Gui(_) => Err(Failure::refused("the GUI is started by main")),
        Command::License(cmd) => run_license(*cmd),
        Command::Check(args) => run_check(args),
        Command::Csv(cmd) => run_csv(cmd),
        Command::Enforcement(args) => run_enforcement(args),
        Command::Usage(args) => run_usage(args),
        Command::Recommend(args) => run_recommend(args),
        Command::Session(args) => run_session(args),
        Command::Recover(args) => run_recover(args),
        Command::Demo(DemoCommand::Generate {
            users,
            stations,
            workgroups,
            seed,
            events,
            out,
        }) => run_generate(users, stations, workgroups, seed, events, &out),
    };
    match result {
        Ok(code) => code,
        Err(f) => {
            eprintln!("ia-licensing: {}", safe(&f.message));
            ExitCode::from(f.code)
        }
    }
}

/// An error to print on stderr with its exit code.
pub struct Failure {
    pub code: u8,
    pub message: String,
}

impl Failure {
    pub fn refused(message: impl Into<String>) -> Self {
        Failure {
            code: 2,
            message: message.into(),
        }
    }
}

impl From<String> for Failure {
    fn from(message: String) -> Self {
        Failure::refused(message)
    }
}

fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
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
    Workspace::load_path(path).map_err(|e| Failure::refused(format!("{}: {e}", path.display())))
}

fn run_generate(
    users: usize,
    stations: usize,
    workgroups: usize,
    seed: u64,
    events: Option<usize>,
    out: &Path,
) -> Result<ExitCode, Failure> {
    use crate::core::scale;
    const MAX: usize = 10_000_000;
    if users > MAX || stations > MAX || workgroups > 1_000_000 || events.is_some_and(|e| e > 100_000_000) {
        return Err(Failure::refused(
            "that is more than this generator makes (10 million users or stations)",
        ));
    }
    let g = scale::generate(scale::Size {
        users,
        stations,
        workgroups,
        seed,
    })?;
    std::fs::create_dir_all(out).map_err(|e| Failure::refused(format!("cannot create {} ({e})", out.display())))?;
    let write = |name: &str, bytes: &[u8]| -> Result<(), Failure> {
        crate::core::fileio::atomic_write(&out.join(name), bytes).map_err(Failure::refused)
    };
    write("license.I3Lic", g.license_text.as_bytes())?;
    let ws = serde_json::to_vec(&g.workspace).map_err(|e| e.to_string())?;
    write("workspace.ialws", &ws)?;
    if let Some(n) = events {
        let ev = scale::events(users, n, seed);
        write("events.json", &serde_json::to_vec(&ev).map_err(|e| e.to_string())?)?;
    }
    eprintln!("{}", crate::core::license::DEMO_BANNER);
    eprintln!(
        "wrote {}/license.I3Lic and workspace.ialws ({users} users, {stations} stations, {workgroups} workgroups){}",
        safe(&out.display().to_string()),
        if events.is_some() { " and events.json" } else { "" }
    );
    Ok(ExitCode::SUCCESS)
}

/// Where a CLI session keeps its journal: `--journal FILE`, or the data
/// folder (one journal per workspace).
fn journal_place(given: Option<PathBuf>) -> Result<JournalPlace, Failure> {
    match given {
        Some(path) => Ok(JournalPlace::File(path)),
        None => crate::core::journal::data_dir()
            .map(JournalPlace::DataDir)
            .ok_or_else(|| Failure::refused("no data folder for the recovery journal; give --journal FILE")),
    }
}

fn run_session(args: SessionArgs) -> Result<ExitCode, Failure> {
    use crate::core::editing::{self, EditError, OpenArgs, Opened, Request, SaveError, Session, Target};
    use crate::core::journal::LicenseSource;
    use std::io::BufRead;
    let license = load_license(&args.license, &args.trust)?;
    let ws = load_workspace(&args.workspace)?;
    let now = chrono::Utc::now();
    // Standard output carries the replies; whose license it is goes first
    // on standard error.
    if let Some(b) = license.signature.banner() {
        eprintln!("{b}");
    }
    let doc = Document::new(Arc::new(license), ws, now.date_naive());
    let license_path = std::fs::canonicalize(&args.license).unwrap_or(args.license.clone());
    let workspace_path = std::fs::canonicalize(&args.workspace).unwrap_or(args.workspace.clone());
    let (mut session, opened) = Session::open(OpenArgs {
        doc,
        target: Target::File(workspace_path),
        license_source: LicenseSource::File { path: license_path },
        place: journal_place(args.journal)?,
        actor: crate::core::changelog::os_user(),
        program: "ia-licensing session".into(),
        now,
    });
    match opened {
        Opened::Ready => {}
        Opened::HeldBy(holder) => {
            return Err(Failure::refused(format!(
                "{} is being edited by {holder}; close it there first",
                args.workspace.display()
            )));
        }
        Opened::Recovery(rec) if args.discard_journal => {
            eprintln!(
                "ia-licensing: discarding {} unsaved change(s) in {} (--discard-journal)",
                rec.unsaved_steps(),
                rec.path.display()
            );
            if let Opened::Unprotected(why) = session.discard_recovery(now) {
                return Err(Failure::refused(format!("unsaved changes cannot be protected: {why}")));
            }
        }
        Opened::Recovery(rec) => {
            return Err(Failure::refused(format!(
                "{} holds {} unsaved change(s) from a session that did not end cleanly; \
                 rebuild them with `ia-licensing recover --journal {}`, or start over with --discard-journal",
                rec.path.display(),
                rec.unsaved_steps(),
                rec.path.display()
            )));
        }
        Opened::Unprotected(why) => {
            return Err(Failure::refused(format!("unsaved changes cannot be protected: {why}")));
        }
    }
    let stdin = std::io::stdin();
    let mut out = std::io::stdout().lock();
    let error = |e: &dyn std::fmt::Display| json!({"ok": false, "error": e.to_string()});
    for line in stdin.lock().lines() {
        let line = line.map_err(|e| Failure::refused(format!("cannot read standard input ({e})")))?;
        if line.trim().is_empty() {
            continue;
        }
        let now = chrono::Utc::now();
        let reply = match editing::parse_request(&line) {
            Err(e) => error(&e),
            Ok(Request::Undo) => match session.undo(now) {
                Ok(r) => json!({"ok": r.is_some(), "undone": r}),
                Err(e) => error(&e),
            },
            Ok(Request::Redo) => match session.redo(now) {
                Ok(r) => json!({"ok": r.is_some(), "redone": r}),
                Err(e) => error(&e),
            },
            Ok(Request::Save { overwrite }) => match session.save(overwrite, now) {
                Ok(path) => json!({"ok": true, "saved": path}),
                Err(e @ SaveError::ChangedOnDisk(_)) => {
                    json!({"ok": false, "error": e.to_string(), "changed_on_disk": true})
                }
                Err(e) => error(&e),
            },
            Ok(Request::Apply(command)) => match session.apply(*command, now) {
                Ok(applied) => json!({"ok": true, "changed": applied.changed(), "outcomes": applied.outcomes}),
                Err(EditError::Refused(refused)) => {
                    json!({"ok": false, "error": refused.reason, "outcomes": refused.outcomes})
                }
                Err(e) => error(&e),
            },
        };
        // The reply is the acknowledgement: the step is journalled by now.
        let text = crate::core::text::to_safe_json_line(&reply).map_err(|e| e.to_string())?;
        let _ = writeln!(out, "{text}");
        let _ = out.flush();
    }
    if let Some(kept) = session.close() {
        eprintln!(
            "ia-licensing: unsaved changes are kept in {}; `ia-licensing recover --journal {}` rebuilds them",
            kept.display(),
            kept.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Which journal `recover` reads: the one given, the one of `--workspace`,
/// or the only one in the data folder with unsaved changes.
fn recover_journal(args: &RecoverArgs) -> Result<PathBuf, Failure> {
    use crate::core::journal;
    if let Some(path) = &args.journal {
        return Ok(path.clone());
    }
    let dir = journal::data_dir().ok_or_else(|| Failure::refused("no data folder; give --journal FILE"))?;
    if let Some(ws) = &args.workspace {
        return Ok(journal::path_for(&dir, &journal::JournalOf::File(ws)));
    }
    let pending: Vec<PathBuf> = journal::journals_in(&dir)
        .into_iter()
        .filter(|p| journal::read(p).ok().flatten().is_some_and(|r| r.unsaved_steps() > 0))
        .collect();
    match pending.as_slice() {
        [] => Err(Failure::refused(format!(
            "there are no unsaved changes to recover in {}",
            dir.join("journals").display()
        ))),
        [one] => Ok(one.clone()),
        many => Err(Failure::refused(format!(
            "{} journals hold unsaved changes; choose one with --journal: {}",
            many.len(),
            many.iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

fn run_recover(args: RecoverArgs) -> Result<ExitCode, Failure> {
    use crate::core::editing::JournalLock;
    use crate::core::journal::{self, LicenseSource, RestoreError};
    let path = recover_journal(&args)?;
    // A journal still being written is not recovered from under its session.
    let _lock = JournalLock::acquire(&path, "ia-licensing recover").map_err(|e| Failure::refused(e.to_string()))?;
    let Some(recovered) = journal::read(&path)? else {
        return Err(Failure::refused(format!(
            "{}: there are no unsaved changes to recover",
            path.display()
        )));
    };
    let store = args.trust.trust_store()?;
    let allow_unsigned = args.trust.allow_unsigned;
    let load = |source: &LicenseSource| journal::load_source(source, &store, allow_unsigned);
    let restored = match journal::restore(&recovered, &load, args.accept_license_change) {
        Ok(r) => r,
        Err(RestoreError::LicenseChanged(changed)) => {
            return Err(Failure::refused(format!(
                "{changed}. Put the previous license file back, or run again with --accept-license-change to replay against the current one"
            )));
        }
        Err(RestoreError::Failed(e)) => {
            return Err(Failure::refused(format!(
                "{}: {e}; nothing was recovered and the journal is kept",
                path.display()
            )));
        }
    };
    if let Some(b) = restored.doc.license().signature.banner() {
        eprintln!("{b}");
    }
    let text = restored.doc.to_file_json();
    match &args.out {
        Some(out) => crate::core::fileio::atomic_write(out, text.as_bytes())?,
        None => {
            // Written and flushed in full, or the journal stays.
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(text.as_bytes())
                .and_then(|()| stdout.flush())
                .map_err(|e| {
                    Failure::refused(format!(
                        "cannot write the recovered workspace ({e}); the journal is kept"
                    ))
                })?;
        }
    }
    eprintln!(
        "recovered {} step(s) ({} unsaved) from {}",
        recovered.steps.len(),
        recovered.unsaved_steps(),
        path.display()
    );
    if args.discard {
        std::fs::remove_file(&path).map_err(|e| Failure::refused(format!("cannot delete {} ({e})", path.display())))?;
    }
    Ok(ExitCode::SUCCESS)
}

fn run_recommend(args: RecommendArgs) -> Result<ExitCode, Failure> {
    use crate::core::compare;
    let license = load_license(&args.license, &args.trust)?;
    let ws = load_workspace(&args.workspace)?;
    let history = match &args.events {
        Some(path) => Some(crate::core::sessions::replay(&license, &ws, &load_events(path)?, None)),
        None => None,
    };
    let doc = Document::new(Arc::new(license), ws, today());
    let keys = compare::recommend(&doc, history.as_ref());
    match args.format {
        OutputFormat::Json => print_json(&with_trust(json!({ "keys": keys }), &[("license", doc.license())]))?,
        OutputFormat::Table => {
            let mut out = String::new();
            banner(&mut out, &[doc.license()]);
            for r in &keys {
                let delta = match (r.assigned_delta, r.pooled_delta) {
                    (0, 0) => String::new(),
                    (a, 0) => format!(" {a:+} assigned"),
                    (0, p) => format!(" {p:+} pooled"),
                    (a, p) => format!(" {a:+} assigned, {p:+} pooled"),
                };
                let action = serde_plain(&r.action);
                out.push_str(&format!(
                    "{:<46} {action:<6}{delta}\n    {}\n",
                    safe(&r.label),
                    safe(&r.reason)
                ));
                if let Some(p) = &r.suggested_part {
                    out.push_str(&format!(
                        "    order {} {} ({} assigned + {} pooled units)\n",
                        p.part_number, p.description, p.assigned, p.pooled
                    ));
                }
            }
            print_text(&out)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn run_diff(
    old: &Path,
    new: &Path,
    workspace: Option<&Path>,
    format: OutputFormat,
    at: Option<NaiveDate>,
    trust: &TrustArgs,
) -> Result<ExitCode, Failure> {
    use crate::core::compare;
    let old_l = load_license(old, trust)?;
    let new_l = load_license(new, trust)?;
    let ws = workspace.map(load_workspace).transpose()?;
    let diff = compare::diff(&old_l, &new_l, ws.as_ref().map(|w| w.server.host_id.as_str()));
    let impact = ws.map(|ws| {
        let doc = Document::new(Arc::new(old_l.clone()), ws, at.unwrap_or_else(today));
        compare::impact(&doc, &new_l)
    });
    match format {
        OutputFormat::Json => {
            let mut v = serde_json::to_value(&diff).map_err(|e| e.to_string())?;
            v["impact"] = serde_json::to_value(&impact).map_err(|e| e.to_string())?;
            print_json(&with_trust(v, &[("old_license", &old_l), ("new_license", &new_l)]))?;
        }
        OutputFormat::Table => {
            let mut out = String::new();
            if let Some(line) = old_l.signature.banner() {
                out.push_str(&format!("Old license: {line}\n"));
            }
            if let Some(line) = new_l.signature.banner() {
                out.push_str(&format!("New license: {line}\n"));
            }
            let mut line = |k: &str, c: Option<String>| {
                if let Some(c) = c {
                    out.push_str(&format!("{k:<16}{}\n", safe(&c)));
                }
            };
            line(
                "Product",
                diff.product.as_ref().map(|c| format!("{} → {}", c.old, c.new)),
            );
            line(
                "Version",
                diff.product_version.as_ref().map(|c| format!("{} → {}", c.old, c.new)),
            );
            line("Level", diff.level.as_ref().map(|c| format!("{} → {}", c.old, c.new)));
            line(
                "Host ID",
                diff.host_id.as_ref().map(|c| format!("{} → {}", c.old, c.new)),
            );
            line(
                "Machine",
                diff.machine_name.as_ref().map(|c| format!("{} → {}", c.old, c.new)),
            );
            line(
                "Expires",
                diff.expires.as_ref().map(|c| format!("{} → {}", c.old, c.new)),
            );
            for f in &diff.features_added {
                out.push_str(&format!("+ feature {}\n", safe(f)));
            }
            for f in &diff.features_removed {
                out.push_str(&format!("- feature {}\n", safe(f)));
            }
            for k in &diff.licenses {
                out.push_str(&format!(
                    "{} {:<44} assigned {} → {}, pooled {} → {}\n",
                    if k.is_reduction() { "-" } else { "+" },
                    safe(&k.label),
                    k.old_assigned,
                    k.new_assigned,
                    k.old_pooled,
                    k.new_pooled
                ));
            }
            for i in &diff.ordered_items {
                out.push_str(&format!(
                    "  item {} {}: {} → {}\n",
                    safe(&i.part_number),
                    safe(&i.description),
                    i.old_quantity,
                    i.new_quantity
                ));
            }
            for n in &diff.notes {
                out.push_str(&format!("note: {}\n", safe(n)));
            }
            if diff.is_empty() {
                out.push_str("The licenses are the same.\n");
            }
            if let Some(imp) = &impact {
                out.push_str(&format!(
                    "\nImpact on the workspace: {} new, {} resolved\n",
                    imp.new.len(),
                    imp.resolved.len()
                ));
                for (what, list) in [("new", &imp.new), ("resolved", &imp.resolved)] {
                    for d in list {
                        let (sev, code) = (d.severity.label(), &d.code);
                        out.push_str(&format!(
                            "  {what:<8} {sev:<8} {code:<28} {}: {}\n",
                            safe(&d.subject.to_string()),
                            safe(&d.message)
                        ));
                    }
                }
            }
            print_text(&out)?;
        }
    }
    Ok(if impact.as_ref().is_some_and(compare::Impact::has_new_errors) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn run_usage(args: UsageArgs) -> Result<ExitCode, Failure> {
    use crate::core::{sessions, usage};
    let license = load_license(&args.license, &args.trust)?;
    let ws = load_workspace(&args.workspace)?;
    let events = load_events(&args.events)?;
    let replay = sessions::replay(&license, &ws, &events, None);
    let collection = usage::Collection::of(&license);
    let open_end = replay.last_event.map_or_else(today, |t| t.date_naive());
    let (daily, periods) = if collection == usage::Collection::None {
        (Vec::new(), Vec::new())
    } else {
        usage::tally(&replay.sessions, open_end)
    };
    match args.format {
        OutputFormat::Json => print_json(&with_trust(
            json!({
            "sessions": replay.sessions,
            "peak_concurrent_in_use": replay.peak,
            "denials": replay.denials,
            "billing": periods,
            "daily": daily,
            "usage_collection": collection.code(),
            "ignored": replay.ignored,
            }),
            &[("license", &license)],
        ))?,
        OutputFormat::Table => {
            let mut out = String::new();
            banner(&mut out, &[&license]);
            out += &format!(
                "Usage collection: {}\n  {}\n\n",
                collection.code(),
                collection.explanation()
            );
            out.push_str(&format!("Sessions: {}\n", replay.sessions.len()));
            for s in replay.sessions.iter().take(50) {
                let cats: Vec<&str> = s.categories.iter().map(|c| c.code()).collect();
                out.push_str(&format!(
                    "  {:<20} {} → {}  {}\n",
                    safe(&s.user),
                    s.start.format("%Y-%m-%d %H:%M"),
                    s.end
                        .map_or("(active)".to_string(), |e| e.format("%Y-%m-%d %H:%M").to_string()),
                    cats.join(", ")
                ));
            }
            if replay.sessions.len() > 50 {
                out.push_str(&format!("  … {} more\n", replay.sessions.len() - 50));
            }
            out.push_str("\nPeak concurrent in use\n");
            for (k, n) in &replay.peak {
                let pooled = license.allowance(k).map_or(0, |a| a.pooled);
                out.push_str(&format!(
                    "  {:<46} {n} of {pooled}\n",
                    safe(crate::core::catalog::label(k))
                ));
            }
            out.push_str(&format!("\nDenials: {}\n", replay.denials.len()));
            for d in replay.denials.iter().take(50) {
                out.push_str(&format!(
                    "  {} {:<20} {}: {}\n",
                    d.at.format("%Y-%m-%d %H:%M"),
                    safe(&d.user),
                    safe(&d.key),
                    safe(&d.reason)
                ));
            }
            if !periods.is_empty() {
                out.push_str("\nBilling periods (distinct users per category)\n");
                for p in &periods {
                    let cats: Vec<String> = p.users_by_category.iter().map(|(c, n)| format!("{c} {n}")).collect();
                    out.push_str(&format!(
                        "  {} to {} (upload due {}): {}\n",
                        p.period_start,
                        p.period_end,
                        p.upload_due,
                        cats.join(", ")
                    ));
                }
            }
            print_text(&out)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn run_enforcement(args: EnforcementArgs) -> Result<ExitCode, Failure> {
    use crate::core::enforcement;
    let license = load_license(&args.license, &args.trust)?;
    let check_ins = match &args.checkins {
        Some(path) => {
            let bytes = crate::core::fileio::read_capped(path, 64 * 1024 * 1024)?;
            let text = String::from_utf8(bytes)
                .map_err(|_| Failure::refused(format!("{} is not UTF-8 text", path.display())))?;
            enforcement::parse_check_ins(&text).map_err(|e| Failure::refused(format!("{}: {e}", path.display())))?
        }
        None => Vec::new(),
    };
    let status = enforcement::status(enforcement::Terms::of(&license), &check_ins, args.at);
    match args.format {
        OutputFormat::Json => print_json(&with_trust(
            serde_json::to_value(&status).map_err(|e| e.to_string())?,
            &[("license", &license)],
        ))?,
        OutputFormat::Table => {
            let mut out = String::new();
            banner(&mut out, &[&license]);
            if !status.applicable {
                out.push_str("Not applicable: the license has no I3_FEATURE_VIRTUAL_CLOUD\n");
            } else {
                out.push_str(&format!("Stage          {} — {}\n", status.stage, status.stage_name));
                if !status.enforced {
                    out.push_str("               (before the ramp date: nothing is enforced yet)\n");
                }
                let t = |d: Option<chrono::DateTime<chrono::Utc>>| d.map_or("—".to_string(), |d| d.to_rfc3339());
                out.push_str(&format!("Since          {}\n", t(status.since)));
                out.push_str(&format!("Next stage at  {}\n", t(status.next_stage_at)));
                out.push_str(&format!("Last good standing {}\n", t(status.last_good_standing)));
                let limit = match status.call_port_limit {
                    None => "none".to_string(),
                    Some(enforcement::CallPortLimit::Percent { percent }) => {
                        format!("{percent}% of licensed call ports")
                    }
                    Some(enforcement::CallPortLimit::Ports { ports }) => format!("{ports} call ports"),
                };
                out.push_str(&format!("Call ports     {limit}\n"));
                out.push_str(&format!(
                    "Interaction Supervisor {}\n",
                    if status.supervisor_enabled {
                        "enabled"
                    } else {
                        "disabled"
                    }
                ));
            }
            print_text(&out)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn run_check(args: CheckArgs) -> Result<ExitCode, Failure> {
    let license = load_license(&args.license, &args.trust)?;
    let ws = load_workspace(&args.workspace)?;
    let media = if ws.media_servers.is_empty() {
        Vec::new()
    } else {
        let store = args.trust.trust_store()?;
        let dir = args.workspace.parent().map(Path::to_path_buf).unwrap_or_default();
        crate::core::license::media_server_statuses(
            &ws,
            &dir,
            LoadOptions {
                trust: &store,
                allow_unsigned: args.trust.allow_unsigned,
            },
        )
    };
    let mut doc = Document::new(Arc::new(license), ws, args.today.unwrap_or_else(today));
    if !media.is_empty() {
        doc.set_media_servers(media);
    }
    let engine = doc.engine();
    let counts = engine.counts(doc.license());
    let diags = engine.diagnostics();
    match args.format {
        OutputFormat::Json => print_json(&check_json(&doc))?,
        OutputFormat::Table => {
            let mut out = String::new();
            banner(&mut out, &[doc.license()]);
            out.push_str("Licenses Allocation\n");
            out.push_str(&format!(
                "{:<46} {:>10} {:>10} {:>10} {:>10} {:>8}  {}\n",
                "Name", "Assign.Al", "Assign.Cf", "Conc.Al", "Conc.Cf", "In use", "Notes"
            ));
            for c in &counts {
                out.push_str(&format!(
                    "{:<46} {:>10} {:>10} {:>10} {:>10} {:>8}  {}\n",
                    safe(&c.label),
                    c.assignable_allowed,
                    c.assignable_configured,
                    c.concurrent_allowed,
                    c.concurrent_configured,
                    c.concurrent_in_use,
                    safe(&c.notes)
                ));
            }
            let (e, w, i) = engine.totals();
            out.push_str(&format!("\nDiagnostics: {e} errors, {w} warnings, {i} info\n"));
            for d in &diags {
                out.push_str(&format!(
                    "  {:<8} {:<30} {}: {}\n           hint: {}\n",
                    d.severity.label(),
                    d.code,
                    safe(&d.subject.to_string()),
                    safe(&d.message),
                    safe(&d.hint)
                ));
            }
            print_text(&out)?;
        }
    }
    Ok(if engine.has_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// `check --format json`.
pub fn check_json(doc: &Document) -> serde_json::Value {
    let engine = doc.engine();
    with_trust(
        json!({
            "counts": engine.counts(doc.license()),
            "diagnostics": engine.diagnostics(),
            "ordered_items": engine.ordered_items(doc.license()),
        }),
        &[("license", doc.license())],
    )
}

fn run_csv(cmd: CsvCommand) -> Result<ExitCode, Failure> {
    match cmd {
        CsvCommand::Export { workspace, table, out } => {
            let ws = load_workspace(&workspace)?;
            let text = csv_io::export(&ws, table)?;
            match out {
                Some(path) => crate::core::fileio::atomic_write(&path, text.as_bytes())?,
                None => print_text(&text)?,
            }
            Ok(ExitCode::SUCCESS)
        }
        CsvCommand::Import {
            license,
            workspace,
            table,
            from,
            skip_bad_rows,
            out,
            trust,
        } => {
            let license = load_license(&license, &trust)?;
            let ws = load_workspace(&workspace)?;
            let bytes = crate::core::fileio::read_capped(&from, 256 * 1024 * 1024)?;
            let text = String::from_utf8(bytes)
                .map_err(|_| Failure::refused(format!("{} is not UTF-8 text", from.display())))?;
            let mut doc = Document::new(Arc::new(license), ws, today());
            if let Some(b) = doc.license().signature.banner() {
                eprintln!("{b}");
            }
            let report = csv_io::import(&mut doc, table, &text, skip_bad_rows)?;
            for e in &report.errors {
                eprintln!("{}: {}", safe(&from.display().to_string()), safe(&e.to_string()));
            }
            if !report.errors.is_empty() && !skip_bad_rows {
                return Err(Failure::refused(format!(
                    "{} bad row{}; nothing imported (fix them, or use --skip-bad-rows)",
                    report.errors.len(),
                    if report.errors.len() == 1 { "" } else { "s" }
                )));
            }
            let target = out.unwrap_or(workspace);
            crate::core::fileio::atomic_write_with(&target, |w| doc.write_file_json(w))
                .map_err(|e| Failure::refused(format!("cannot write {} ({e})", target.display())))?;
            eprintln!(
                "imported {} row{} into {}",
                report.imported,
                if report.imported == 1 { "" } else { "s" },
                target.display()
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn run_license(cmd: LicenseCommand) -> Result<ExitCode, Failure> {
    match cmd {
        LicenseCommand::Verify { file, trust } => {
            let license = load_license(&file, &trust)?;
            let mut line = format!("{}: {}", safe(&file.display().to_string()), license.signature.code());
            if let Some(issuer) = license.signature.issuer() {
                line.push_str(&format!(", issuer {}", safe(issuer.name())));
            }
            if license.signature.is_demo() {
                line.push_str(" (DEMO: signed with the public demo key)");
            }
            if license.signature == crate::core::license::SignatureStatus::Unsigned {
                line.push_str(" (UNSIGNED: loaded in training mode)");
            }
            if license.is_expired(today()) {
                line.push_str(&format!(", expired on {}", license.file.expires));
            }
            if let Some(b) = license.signature.banner() {
                line = format!("{b}\n{}", safe(&line));
            }
            print_text(&format!("{line}\n"))?;
            for w in &license.warnings {
                eprintln!("warning: {}", safe(w));
            }
            Ok(ExitCode::SUCCESS)
        }
        LicenseCommand::Show {
            file,
            format,
            today: at,
            trust,
        } => {
            let license = load_license(&file, &trust)?;
            let at = at.unwrap_or_else(today);
            match format {
                OutputFormat::Json => print_json(&with_trust(license_json(&license, at), &[("license", &license)]))?,
                OutputFormat::Table => {
                    let mut out = String::new();
                    banner(&mut out, &[&license]);
                    out.push_str(&license_table(&license, at));
                    print_text(&out)?;
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        LicenseCommand::New(args) => {
            let args = *args;
            let key = IssuerKey::from_path(&args.sign_key)?;
            let switchover = match (args.switchover_host_id, args.switchover_machine) {
                (Some(host_id), Some(machine_name)) => Some(Switchover { host_id, machine_name }),
                (None, None) => None,
                _ => {
                    return Err(Failure::refused(
                        "give both --switchover-host-id and --switchover-machine, or neither",
                    ));
                }
            };
            let order = Order {
                level: args.level,
                product_version: args.product_version,
                host_id: args.host_id,
                machine: args.machine,
                switchover,
                system_type: args.system_type,
                mail_connector: args.mail_connector,
                company: args.company,
                install_site: args.install_site,
                generated_by: args.generated_by,
                generated: args.generated.unwrap_or_else(today),
                expires: args.expires,
                parts: args.parts,
                licenses: args.licenses,
                features: args.features,
                ramp_date: args.ramp_date,
                grace_days: args.grace_days,
            };
            let file = generate::build(&order)?;
            let text = generate::sign_to_text(&file, &key)?;
            // Check what we wrote loads, with the signing key trusted.
            let mut store = TrustStore::with_demo();
            let public = signing::parse_public_key(&public_key_json(&key, &args.sign_key)?)?;
            store.add(public.0, public.1)?;
            let made = License::load_bytes(
                text.as_bytes(),
                LoadOptions {
                    trust: &store,
                    allow_unsigned: false,
                },
            )
            .map_err(|r| Failure::refused(format!("the generated license does not verify: {r}")))?;
            crate::core::fileio::atomic_write(&args.out, text.as_bytes())?;
            if let Some(b) = made.signature.banner() {
                eprintln!("{b}");
            }
            eprintln!("wrote {}", safe(&args.out.display().to_string()));
            Ok(ExitCode::SUCCESS)
        }
        LicenseCommand::Keygen { out, key_id } => {
            let (secret, public) = signing::generate_key_pair(key_id.as_deref())?;
            std::fs::create_dir_all(&out)
                .map_err(|e| Failure::refused(format!("cannot create {} ({e})", out.display())))?;
            let key_path = out.join("issuer.key");
            let pub_path = out.join("issuer.pub");
            // The secret key: only its owner may read it, created new (never
            // through a link, never over an existing file).
            crate::core::fileio::create_new_file(&key_path, pretty_json(&secret)?.as_bytes(), 0o600)?;
            if let Err(e) = crate::core::fileio::create_new_file(&pub_path, pretty_json(&public)?.as_bytes(), 0o644) {
                let _ = std::fs::remove_file(&key_path);
                return Err(Failure::refused(e));
            }
            println!("{}", public.key_id);
            eprintln!(
                "wrote {} (keep it secret) and {}",
                key_path.display(),
                pub_path.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        LicenseCommand::Diff {
            old,
            new,
            workspace,
            format,
            today: at,
            trust,
        } => run_diff(&old, &new, workspace.as_deref(), format, at, &trust),
        LicenseCommand::Keys { format } => {
            match format {
                OutputFormat::Json => print_json(&serde_json::to_value(catalog::all()).map_err(|e| e.to_string())?)?,
                OutputFormat::Table => {
                    let mut out = String::new();
                    for k in catalog::all() {
                        out.push_str(&format!(
                            "{:<48} {:<52} {:<8} {:<8} {}{}\n",
                            k.key,
                            k.label,
                            serde_plain(&k.kind),
                            serde_plain(&k.holders),
                            if k.concurrent {
                                "concurrent-ok"
                            } else {
                                "assignable-only"
                            },
                            if k.assumed { " (assumed)" } else { "" }
                        ));
                    }
                    print_text(&out)?;
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        LicenseCommand::Parts { format } => {
            match format {
                OutputFormat::Json => print_json(&serde_json::to_value(parts::all()).map_err(|e| e.to_string())?)?,
                OutputFormat::Table => {
                    let mut out = String::new();
                    for p in parts::all() {
                        out.push_str(&format!(
                            "{:<18} {:<8} {:<62} {}{}\n",
                            p.part_number,
                            p.product_category,
                            p.description,
                            p.keys.join(" "),
                            if p.assumed { " (assumed)" } else { "" }
                        ));
                    }
                    print_text(&out)?;
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The public half of a private key file, as public-key JSON.
fn public_key_json(key: &IssuerKey, path: &Path) -> Result<String, Failure> {
    let bytes = crate::core::fileio::read_capped(path, 64 * 1024)?;
    let file: signing::SecretKeyFile = serde_json::from_slice(&bytes).map_err(|e| Failure::refused(e.to_string()))?;
    Ok(json!({"algorithm": file.algorithm, "key_id": key.key_id, "public_key": file.public_key}).to_string())
}

fn serde_plain<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn pretty_json<T: serde::Serialize>(value: &T) -> Result<String, Failure> {
    let mut text = serde_json::to_string_pretty(value).map_err(|e| e.to_string())?;
    text.push('\n');
    Ok(text)
}

/// A command's JSON with the license's trust first (`"license": {...}`,
/// or `name` for `license diff`'s two).
fn with_trust(value: serde_json::Value, trust: &[(&str, &License)]) -> serde_json::Value {
    let mut map = serde_json::Map::new();
    for (name, license) in trust {
        map.insert(
            (*name).to_string(),
            serde_json::to_value(license.signature.trust()).unwrap_or_default(),
        );
    }
    match value {
        serde_json::Value::Object(rest) => map.extend(rest),
        other => {
            map.insert("result".into(), other);
        }
    }
    serde_json::Value::Object(map)
}

/// A table's first line: DEMO or UNSIGNED when that applies.
fn banner(out: &mut String, licenses: &[&License]) {
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
pub fn print_json(value: &serde_json::Value) -> Result<(), Failure> {
    let text = crate::core::text::to_safe_json_pretty(value).map_err(|e| e.to_string())?;
    print_text(&format!("{text}\n"))
}

pub fn print_text(text: &str) -> Result<(), Failure> {
    // The last line of defence: whatever a field still carries, the
    // terminal obeys none of it (fields are escaped as tables are laid out).
    let text = crate::core::text::safe_lines(text);
    let mut out = std::io::stdout().lock();
    // A closed pipe (`| head`) is not an error worth a message.
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
    Ok(())
}

/// `license show --format json`.
pub fn license_json(license: &License, today: NaiveDate) -> serde_json::Value {
    let f = &license.file;
    json!({
        "status": license.signature.code(),
        "issuer": license.signature.issuer().map(|i| i.name().to_string()),
        "demo": license.signature.is_demo(),
        "expired": license.is_expired(today),
        "perpetual": license.is_perpetual(),
        "days_to_expiry": license.days_to_expiry(today),
        "product": f.product,
        "product_version": f.product_version,
        "level": f.level.code(),
        "company": f.company,
        "install_site": f.install_site,
        "generated_by": f.generated_by,
        "generated": f.generated.to_string(),
        "expires": f.expires.to_string(),
        "server": {
            "host_id": f.server.host_id,
            "machine_name": f.server.machine_name,
            "system_type": f.server.system_type,
            "mail_connector": f.server.mail_connector,
            "switchover": f.server.switchover.as_ref().map(|s| json!({"host_id": s.host_id, "machine_name": s.machine_name})),
        },
        "features": f.features,
        "feature_details": f.features.iter().map(|k| json!({
            "key": k, "label": catalog::label(k), "known": catalog::lookup(k).is_some(),
        })).collect::<Vec<_>>(),
        "licenses": license.allowances().iter().map(|a| json!({
            "key": a.key,
            "label": catalog::label(&a.key),
            "kind": catalog::lookup(&a.key).map(|k| serde_plain(&k.kind)),
            "assigned": a.assigned,
            "pooled": a.pooled,
        })).collect::<Vec<_>>(),
        "ordered_items": f.ordered_items.iter().map(|o| json!({
            "part_number": o.part_number,
            "description": o.description,
            "quantity": o.quantity,
            "product_category": parts::lookup(&o.part_number).map(|p| p.product_category),
        })).collect::<Vec<_>>(),
        "virtual_cloud": f.virtual_cloud.as_ref().map(|v| json!({
            "ramp_date": v.ramp_date.to_string(), "grace_period_days": v.grace_period_days,
        })),
        "warnings": license.warnings,
    })
}

/// Signature line as people read it.
pub fn signature_words(license: &License) -> String {
    match &license.signature {
        crate::core::license::SignatureStatus::Valid(signing::Issuer::Demo) => {
            "valid, demo issuer key (DEMO: anyone can sign with it)".to_string()
        }
        crate::core::license::SignatureStatus::Valid(signing::Issuer::Key(id)) => {
            format!("valid, issuer key {}", safe(id))
        }
        crate::core::license::SignatureStatus::Unsigned => "UNSIGNED (training mode)".to_string(),
    }
}

/// `license show` as a table, laid out like the tool's View License page.
pub fn license_table(license: &License, today: NaiveDate) -> String {
    let f = &license.file;
    let mut out = String::new();
    // Every value comes from the file: escaped so it stays on its row.
    let mut row = |k: &str, v: &str| out.push_str(&format!("{k:<18}{}\n", safe(v)));
    row("Product", &format!("{} {}", f.product, f.product_version));
    row("License Level", f.level.label());
    row("Generation Date", &f.generated.to_string());
    let expiry = if license.is_perpetual() {
        format!("{} (perpetual)", f.expires)
    } else if license.is_expired(today) {
        format!("{} (EXPIRED)", f.expires)
    } else {
        format!("{} ({} days left)", f.expires, license.days_to_expiry(today))
    };
    row("Expiration Date", &expiry);
    row("Generated By", &f.generated_by);
    row("Company Name", &f.company);
    row("Site Name", &f.install_site);
    row(
        "Host Id",
        if f.server.host_id.is_empty() {
            "(none: virtual cloud)"
        } else {
            &f.server.host_id
        },
    );
    row("Machine Name", &f.server.machine_name);
    if let Some(s) = &f.server.switchover {
        row("Switchover", &format!("{} ({})", s.machine_name, s.host_id));
    }
    row("Machine Type", &f.server.system_type);
    row("Mail Connector", &f.server.mail_connector);
    row("Signature", &signature_words(license));
    if let Some(vc) = &f.virtual_cloud {
        row("Ramp Date", &vc.ramp_date.to_string());
        row("Grace Period", &format!("{} days", vc.grace_period_days));
    }
    out.push_str("\nFeatures\n");
    for k in &f.features {
        out.push_str(&format!("  {:<46}{}\n", safe(k), safe(catalog::label(k))));
    }
    out.push_str("\nLicenses\n");
    for a in license.allowances() {
        let text = format!("{} ({} assigned, {} pooled)", safe(&a.key), a.assigned, a.pooled);
        out.push_str(&format!("  {text:<70}{}\n", safe(catalog::label(&a.key))));
    }
    out.push_str("\nOrdered Items Used\n");
    for o in &f.ordered_items {
        out.push_str(&format!(
            "  {} {} ({})\n",
            safe(&o.part_number),
            safe(&o.description),
            o.quantity
        ));
    }
    if !license.warnings.is_empty() {
        out.push_str("\nWarnings\n");
        for w in &license.warnings {
            out.push_str(&format!("  {}\n", safe(w)));
        }
    }
    out
}
