//! The command line's arguments (clap): every command, flag and value,
//! parsed before anything runs.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::core::license::generate::{self, Quantity};
use crate::core::license::{Level, TrustStore};

mod account;
mod cloud;
mod report;
mod site;
mod values;
pub use account::*;
pub use cloud::{CloudCommand, CloudEstimateArgs, EstimateFormat};
pub use report::ReportArgs;
pub use site::{SiteCommand, SiteImportArgs};
pub use values::FileBeforeCommand;
use values::{openable_file, parse_level, parse_table, view_name};

#[derive(Debug, Parser)]
#[command(
    name = "ia-licensing",
    version,
    about = "License Management for Genesys PureConnect (CIC), as in Interaction Administrator",
    long_about = "With no command, opens the GUI on the built-in demo license and workspace, or on FILE."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// A license (.I3Lic), workspace (.ialws) or account (.ialacct) file to
    /// open in the GUI, as `gui FILE` does (what a desktop passes on a
    /// double-click).
    #[arg(value_name = "FILE", value_parser = openable_file)]
    pub file: Option<PathBuf>,
    /// The renderer that draws the window: wgpu or glow (default: wgpu,
    /// falling back to glow when it cannot start). Also IA_LICENSING_RENDERER.
    #[arg(long, global = true, value_enum, value_name = "RENDERER")]
    pub renderer: Option<RendererArg>,
}

/// The extensions of the files the GUI opens from a plain `ia-licensing
/// FILE` (and that the desktop entry and MIME types announce).
pub const OPENABLE_EXTENSIONS: [&str; 3] = ["I3Lic", "ialws", "ialacct"];

/// What a parsed command line asks for: the GUI (with or without a file)
/// or a command.
#[derive(Debug)]
pub enum Action {
    Gui(GuiArgs),
    Run(Command),
}

impl Cli {
    /// The GUI for no command, `gui …` or a bare FILE; otherwise the
    /// command. A FILE followed by a command is refused: which one was
    /// meant is not known. (clap's own `args_conflicts_with_subcommands`
    /// would also refuse `--renderer glow gui FILE`.)
    pub fn action(self) -> Result<Action, FileBeforeCommand> {
        match (self.command, self.file) {
            (Some(_), Some(file)) => Err(FileBeforeCommand(file)),
            (Some(Command::Gui(args)), None) => Ok(Action::Gui(args)),
            (Some(command), None) => Ok(Action::Run(command)),
            (None, file) => Ok(Action::Gui(GuiArgs {
                file,
                ..GuiArgs::default()
            })),
        }
    }
}

/// `--renderer`: which of eframe's renderers draws the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RendererArg {
    Wgpu,
    Glow,
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
    /// The virtual cloud enforcement stage at a time: grace period, warnings, reduced function, disabled
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
    /// License policies: who should hold what (workspace `policies`).
    #[command(subcommand)]
    Policy(PolicyCommand),
    /// Idle licenses: users whose Assignable licenses went unused for N days
    /// (from events files), what to do with them, and the replay after it.
    Reclaim(ReclaimArgs),
    /// The Activation File Management Tool's account: ordered items (Total /
    /// Used / Available), activation files, upgrades.
    #[command(subcommand)]
    Account(AccountCommand),
    /// Usage history over months (NAME.ialhist next to the workspace):
    /// import events files, show days and billing periods.
    #[command(subcommand)]
    History(HistoryCommand),
    /// Bring a real PureConnect site in: import its users, stations,
    /// workgroups and allocations from an ICWS or registry export.
    #[command(subcommand)]
    Site(SiteCommand),
    /// An Excel report pack (.xlsx) for the same inputs as `check`, `csv
    /// export`, `usage`, `history show` and `recommend`: a cover and a sheet
    /// per table. Exit codes follow `check --fail-on`: 0, 1 with problems at
    /// or above it (the workbook is written), 2 when a file is refused.
    Report(ReportArgs),
    /// Beyond IA: what this site would cost on Genesys Cloud, from its usage
    /// history (named, concurrent, hourly), and a phased move.
    #[command(subcommand)]
    Cloud(CloudCommand),
}

#[derive(Debug, Subcommand)]
pub enum HistoryCommand {
    /// Import events files into the workspace's history. Each file replaces
    /// the days it covers; all files go in one transaction, so a refused
    /// file imports nothing. Exit 0 when imported, 2 when refused.
    Import {
        /// The workspace file (.ialws): users, stations, workgroups and their licenses.
        #[arg(long, value_name = "FILE")]
        workspace: PathBuf,
        /// Events files (JSON, docs/events-file.md), imported in this order.
        #[arg(long = "events", value_name = "FILE", required = true, num_args = 1..)]
        events: Vec<PathBuf>,
        /// The license to replay against (default: the one the history's
        /// last import used).
        #[arg(long, value_name = "FILE")]
        license: Option<PathBuf>,
        /// The history file (default: the workspace's, NAME.ialhist).
        #[arg(long, value_name = "FILE")]
        history: Option<PathBuf>,
        /// What to print: a table to read, or JSON for scripts.
        #[arg(long, value_enum, default_value_t)]
        format: OutputFormat,
        #[command(flatten)]
        trust: TrustArgs,
    },
    /// Days (peak in use, denials, users per billing category) and billing
    /// periods of the history. Exit 0, or 2 when there is no history.
    Show {
        /// The workspace file (.ialws): users, stations, workgroups and their licenses.
        #[arg(long, value_name = "FILE")]
        workspace: PathBuf,
        /// First day (default: the history's first).
        #[arg(long, value_parser = crate::core::dates::parse_arg_date, value_name = "DATE")]
        from: Option<NaiveDate>,
        /// Last day (default: the history's last).
        #[arg(long, value_parser = crate::core::dates::parse_arg_date, value_name = "DATE")]
        to: Option<NaiveDate>,
        /// The usage history (default: the workspace's, NAME.ialhist).
        #[arg(long, value_name = "FILE")]
        history: Option<PathBuf>,
        /// What to print: a table to read, or JSON for scripts.
        #[arg(long, value_enum, default_value_t)]
        format: OutputFormat,
    },
}

#[derive(Debug, Subcommand)]
pub enum PolicyCommand {
    /// Apply the workspace's policies: what changes, what is refused (per
    /// key) and what conflicts. Writes the workspace (or -o OUT) unless
    /// --dry-run. Exit 0 when nothing is refused or in conflict, 1 otherwise.
    Apply {
        /// The license file (.I3Lic).
        #[arg(long, value_name = "FILE")]
        license: PathBuf,
        /// The workspace file (.ialws): users, stations, workgroups and their licenses.
        #[arg(long, value_name = "FILE")]
        workspace: PathBuf,
        /// Show what would change; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Write the workspace here instead of over --workspace.
        #[arg(short = 'o', long = "out", value_name = "FILE")]
        out: Option<PathBuf>,
        /// What to print: a table to read, or JSON for scripts.
        #[arg(long, value_enum, default_value_t)]
        format: OutputFormat,
        #[command(flatten)]
        trust: TrustArgs,
    },
}

#[derive(Debug, Args)]
pub struct ReclaimArgs {
    /// The license file (.I3Lic).
    #[arg(long, value_name = "FILE")]
    pub license: PathBuf,
    /// The workspace file (.ialws): users, stations, workgroups and their licenses.
    #[arg(long, value_name = "FILE")]
    pub workspace: PathBuf,
    /// An events file of the history (repeatable).
    #[arg(long = "events", value_name = "FILE", required = true)]
    pub events: Vec<PathBuf>,
    /// Days without a session that make a license idle. Range: 1 to 36500.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(i64).range(1..=36_500))]
    pub idle_days: i64,
    /// The day to judge from (default: the time of the last event).
    #[arg(long, value_parser = crate::core::dates::parse_arg_date, value_name = "DATE")]
    pub as_of: Option<NaiveDate>,
    /// What to print: a table to read, or JSON for scripts.
    #[arg(long, value_enum, default_value_t)]
    pub format: OutputFormat,
    #[command(flatten)]
    pub trust: TrustArgs,
}

#[derive(Debug, Subcommand)]
pub enum DemoCommand {
    /// Write a license and a matching workspace (and optionally events) of a
    /// given size to DIR: license.I3Lic (signed with the demo key),
    /// workspace.ialws, events.json.
    Generate {
        /// Users to make. Range: 0 to 10000000.
        #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(0..=10_000_000))]
        users: u64,
        /// Stations to make. Range: 0 to 10000000.
        #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(0..=10_000_000))]
        stations: u64,
        /// Workgroups to make. Range: 0 to 1000000.
        #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u64).range(0..=1_000_000))]
        workgroups: u64,
        /// The random seed (the same seed makes the same data). Range: 0 to
        /// 18446744073709551615.
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u64))]
        seed: u64,
        /// Also write this many logon/logoff events. Range: 0 to 100000000.
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(0..=100_000_000))]
        events: Option<u64>,
        /// Also write a usage history of N days from 2026-01-01: one events
        /// file per month in OUT/history/ (import them with `history import`).
        /// Range: 1 to 1098.
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=1098))]
        history_days: Option<u64>,
        /// The folder the license, workspace and events are written into.
        #[arg(short = 'o', long = "out", value_name = "DIR")]
        out: PathBuf,
    },
}

#[derive(Debug, Args)]
pub struct SessionArgs {
    /// The license file (.I3Lic).
    #[arg(long, value_name = "FILE")]
    pub license: PathBuf,
    /// The workspace file (.ialws): users, stations, workgroups and their licenses.
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
    /// The license file (.I3Lic).
    #[arg(long, value_name = "FILE")]
    pub license: PathBuf,
    /// The workspace file (.ialws): users, stations, workgroups and their licenses.
    #[arg(long, value_name = "FILE")]
    pub workspace: PathBuf,
    /// Session history (an events file) for peaks and denials.
    #[arg(long, value_name = "FILE")]
    pub events: Option<PathBuf>,
    /// A usage history (.ialhist): pools are sized on a percentile of its
    /// daily peaks of demand.
    #[arg(long, value_name = "FILE", conflicts_with = "events")]
    pub history: Option<PathBuf>,
    /// The percentile of daily peaks a pool is sized on (with --history),
    /// at most two decimals. Range: 50 to 100.
    #[arg(long, value_name = "P", default_value_t = 95.0, requires = "history",
          value_parser = crate::core::recommend::parse_percentile)]
    pub percentile: f64,
    /// What to print: a table to read, or JSON for scripts.
    #[arg(long, value_enum, default_value_t)]
    pub format: OutputFormat,
    #[command(flatten)]
    pub trust: TrustArgs,
}

#[derive(Debug, Args)]
pub struct UsageArgs {
    /// The license file (.I3Lic).
    #[arg(long, value_name = "FILE")]
    pub license: PathBuf,
    /// The workspace file (.ialws): users, stations, workgroups and their licenses.
    #[arg(long, value_name = "FILE")]
    pub workspace: PathBuf,
    /// An events file (JSON, see docs/events-file.md).
    #[arg(long, value_name = "FILE")]
    pub events: PathBuf,
    /// What to print: a table to read, or JSON for scripts.
    #[arg(long, value_enum, default_value_t)]
    pub format: OutputFormat,
    #[command(flatten)]
    pub trust: TrustArgs,
}

#[derive(Debug, Args)]
pub struct EnforcementArgs {
    /// The license file (.I3Lic).
    #[arg(long, value_name = "FILE")]
    pub license: PathBuf,
    /// A JSON array of RFC 3339 times of successful check-ins.
    #[arg(long = "checkins", value_name = "FILE")]
    pub checkins: Option<PathBuf>,
    /// The instant to evaluate (RFC 3339; a time without offset is UTC).
    #[arg(long, value_name = "DATETIME", value_parser = crate::core::enforcement::parse_time)]
    pub at: chrono::DateTime<chrono::Utc>,
    /// What to print: a table to read, or JSON for scripts.
    #[arg(long, value_enum, default_value_t)]
    pub format: OutputFormat,
    #[command(flatten)]
    pub trust: TrustArgs,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The license file (.I3Lic).
    #[arg(long, value_name = "FILE")]
    pub license: PathBuf,
    /// The workspace file (.ialws): users, stations, workgroups and their licenses.
    #[arg(long, value_name = "FILE")]
    pub workspace: PathBuf,
    /// What to print: a table to read, or JSON for scripts.
    #[arg(long, value_enum, default_value_t)]
    pub format: OutputFormat,
    /// The date to judge expiry against (default: today).
    #[arg(long, value_parser = crate::core::dates::parse_arg_date, value_name = "DATE")]
    pub today: Option<NaiveDate>,
    /// An events file whose replayed peaks feed the pool alerts.
    #[arg(long, value_name = "FILE")]
    pub events: Option<PathBuf>,
    /// Exit 1 when any diagnostic of this severity or worse is found:
    /// `warning` for scheduled checks that should catch alerts, `error`
    /// (the default) otherwise.
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,
    #[command(flatten)]
    pub trust: TrustArgs,
}

/// The severity at which `check` exits 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Warning,
    Error,
}

#[derive(Debug, Subcommand)]
pub enum CsvCommand {
    /// Write users, stations or workgroups of a workspace as CSV.
    Export {
        /// The workspace file (.ialws): users, stations, workgroups and their licenses.
        #[arg(long, value_name = "FILE")]
        workspace: PathBuf,
        /// users, stations or workgroups.
        #[arg(long, value_parser = parse_table)]
        table: crate::core::csv_io::Table,
        /// Output file: the exact text, which `csv import` reads back unchanged
        /// (default: standard output, where control characters are shown
        /// escaped, as everything printed is).
        #[arg(short = 'o', long = "out", value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Import CSV rows into a workspace (rows update existing subjects or add
    /// new ones; the allocation rules apply). Nothing is imported when a row
    /// is bad, unless --skip-bad-rows.
    Import {
        /// The license file (.I3Lic).
        #[arg(long, value_name = "FILE")]
        license: PathBuf,
        /// The workspace file (.ialws): users, stations, workgroups and their licenses.
        #[arg(long, value_name = "FILE")]
        workspace: PathBuf,
        /// users, stations or workgroups.
        #[arg(long, value_parser = parse_table)]
        table: crate::core::csv_io::Table,
        /// The CSV file to import (as `csv export` writes it).
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
    pub fn trust_store(&self) -> Result<TrustStore, crate::core::license::signing::KeyError> {
        let mut store = TrustStore::with_demo();
        for path in &self.trust {
            store.add_file(path)?;
        }
        Ok(store)
    }
}

#[derive(Debug, Clone, Args, Default)]
pub struct GuiArgs {
    /// A license (.I3Lic), workspace (.ialws) or account (.ialacct) file to open.
    pub file: Option<PathBuf>,
    /// Open in read-only mode (for supervisors who only check statistics).
    #[arg(long)]
    pub read_only: bool,
    /// A workspace file (.ialws) to open with the license.
    #[arg(long, value_name = "FILE")]
    pub workspace: Option<PathBuf>,
    /// The view to start on (the GUI's list of views).
    #[arg(long, value_name = "VIEW", value_parser = view_name, help = view_help())]
    pub view: Option<String>,
    /// An account file (.ialacct) to open in the Account view.
    #[arg(long, value_name = "FILE")]
    pub account: Option<PathBuf>,
    /// Start with the dark theme.
    #[arg(long)]
    pub dark: bool,
    #[command(flatten)]
    pub trust: TrustArgs,
}

fn view_help() -> String {
    #[cfg(feature = "gui")]
    {
        format!("The view to start on: {}", crate::ui::views::Nav::names().join(", "))
    }
    #[cfg(not(feature = "gui"))]
    {
        "The view to start on".to_string()
    }
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
        /// The license file (.I3Lic).
        file: PathBuf,
        #[command(flatten)]
        trust: TrustArgs,
    },
    /// Show a license like the "View License" page.
    Show {
        /// The license file (.I3Lic).
        file: PathBuf,
        /// What to print: a table to read, or JSON for scripts.
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
        /// The folder the key pair is written into.
        #[arg(short = 'o', long = "out", value_name = "DIR")]
        out: PathBuf,
        /// Key id written into signatures (default: derived from the key).
        #[arg(long)]
        key_id: Option<String>,
    },
    /// Compare two licenses and, with --workspace, the impact of loading the
    /// new one. Exit 0 when it adds no error, 1 when it does, 2 when refused.
    Diff {
        /// The license in use now (.I3Lic).
        old: PathBuf,
        /// The license to compare it with (.I3Lic).
        new: PathBuf,
        /// A workspace to judge the new license's impact on.
        #[arg(long, value_name = "FILE")]
        workspace: Option<PathBuf>,
        /// What to print: a table to read, or JSON for scripts.
        #[arg(long, value_enum, default_value_t)]
        format: OutputFormat,
        /// The date to judge expiry against (default: today).
        #[arg(long, value_parser = crate::core::dates::parse_arg_date, value_name = "DATE")]
        today: Option<NaiveDate>,
        #[command(flatten)]
        trust: TrustArgs,
    },
    /// List the license-key catalogue.
    Keys {
        /// What to print: a table to read, or JSON for scripts.
        #[arg(long, value_enum, default_value_t)]
        format: OutputFormat,
    },
    /// List the part-number catalogue.
    Parts {
        /// What to print: a table to read, or JSON for scripts.
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
    /// The server's machine name (Machine Name).
    #[arg(long, value_name = "NAME")]
    pub machine: String,
    /// The switchover server's host ID, for a switchover pair.
    #[arg(long)]
    pub switchover_host_id: Option<String>,
    /// The switchover server's machine name.
    #[arg(long)]
    pub switchover_machine: Option<String>,
    /// The system type the license names.
    #[arg(long, default_value = generate::DEFAULT_SYSTEM_TYPE)]
    pub system_type: String,
    /// The mail connector the license names.
    #[arg(long, default_value = generate::DEFAULT_MAIL_CONNECTOR)]
    pub mail_connector: String,
    /// The CIC product version (e.g. 2020 R2).
    #[arg(long, default_value = generate::DEFAULT_PRODUCT_VERSION)]
    pub product_version: String,
    /// The company the license is issued to.
    #[arg(long, default_value = "")]
    pub company: String,
    /// The install site the license is for.
    #[arg(long, default_value = "")]
    pub install_site: String,
    /// Who generated the license, as the file records it.
    #[arg(long, default_value = generate::DEFAULT_GENERATED_BY)]
    pub generated_by: String,
    /// Generation date (default: today).
    #[arg(long, value_parser = crate::core::dates::parse_arg_date, value_name = "DATE")]
    pub generated: Option<NaiveDate>,
    /// Last valid day (default: 2100-01-01; trial: day 60 counting the
    /// generation day as day 1; development: one year, or 30 days with
    /// --non-ordered).
    #[arg(long, value_parser = crate::core::dates::parse_arg_date, value_name = "DATE")]
    pub expires: Option<NaiveDate>,
    /// Virtual cloud: the date enforcement starts.
    #[arg(long, value_parser = crate::core::dates::parse_arg_date, value_name = "DATE")]
    pub ramp_date: Option<NaiveDate>,
    /// Virtual cloud: the grace period in days. Range: 1 to 365.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(i64).range(1..=crate::core::license::MAX_GRACE_DAYS))]
    pub grace_days: Option<i64>,
    /// A certified partner's 30-day non-ordered development license
    /// (development levels only).
    #[arg(long)]
    pub non_ordered: bool,
    /// The issuer private key to sign with.
    #[arg(long, value_name = "KEYFILE")]
    pub sign_key: PathBuf,
    /// The license file to write (.I3Lic).
    #[arg(short = 'o', long = "out", value_name = "FILE")]
    pub out: PathBuf,
    /// Draw the parts from this account's ordered items (AFMT's New
    /// Activation File): more than is available is refused, and the account
    /// records the activation file.
    #[arg(long, value_name = "ACCOUNT")]
    pub account: Option<PathBuf>,
    /// With --account: which account signatures to accept.
    #[command(flatten)]
    pub account_trust: AccountTrustArgs,
    /// What to print on standard output once written (table: a summary).
    #[arg(long, value_enum, default_value_t)]
    pub format: OutputFormat,
}
