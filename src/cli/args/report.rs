//! `report`: its arguments (a submodule of `args.rs`).

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::Args;

use super::{FailOn, OutputFormat, TrustArgs};

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The license file (.I3Lic).
    #[arg(long, value_name = "FILE")]
    pub license: PathBuf,
    /// The workspace file (.ialws): users, stations, workgroups and their licenses.
    #[arg(long, value_name = "FILE")]
    pub workspace: PathBuf,
    /// An events file: License Statistics, Denials, Usage & Billing, Daily
    /// Usage and Estimated Cost (as `usage` gives them), and the pools'
    /// peaks for the check. Without it those sheets are left out and the
    /// cover says why.
    #[arg(long, value_name = "FILE")]
    pub events: Option<PathBuf>,
    /// The usage history (default: the workspace's, NAME.ialhist, when it
    /// exists): Usage History and History Periods (as `history show`), and
    /// pools sized on its daily peaks in Right-Sizing.
    #[arg(long, value_name = "FILE")]
    pub history: Option<PathBuf>,
    /// First day of the history shown (default: its first).
    #[arg(long, value_parser = crate::core::dates::parse_arg_date, value_name = "DATE")]
    pub from: Option<NaiveDate>,
    /// Last day of the history shown (default: its last).
    #[arg(long, value_parser = crate::core::dates::parse_arg_date, value_name = "DATE")]
    pub to: Option<NaiveDate>,
    /// The percentile of the history's daily peaks a pool is sized on, at
    /// most two decimals. Range: 50 to 100.
    #[arg(long, value_name = "P", default_value_t = 95.0,
          value_parser = crate::core::recommend::parse_percentile)]
    pub percentile: f64,
    /// The date to judge expiry against (default: today).
    #[arg(long, value_parser = crate::core::dates::parse_arg_date, value_name = "DATE")]
    pub today: Option<NaiveDate>,
    /// Exit 1 when the check finds a diagnostic of this severity or worse
    /// (the workbook is written all the same), as `check --fail-on`.
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,
    /// The workbook to write (.xlsx).
    #[arg(short = 'o', long = "out", value_name = "FILE.xlsx")]
    pub out: PathBuf,
    /// What to print once written: a summary (table) or JSON.
    #[arg(long, value_enum, default_value_t)]
    pub format: OutputFormat,
    #[command(flatten)]
    pub trust: TrustArgs,
}
