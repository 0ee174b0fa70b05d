//! `cloud estimate`: its arguments (a submodule of `args.rs`, which holds
//! every other command's).

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Subcommand, ValueEnum};

use super::TrustArgs;

#[derive(Debug, Subcommand)]
pub enum CloudCommand {
    /// Estimate per Genesys Cloud billing period: billable named users,
    /// the concurrent peak (30-minute rule) and hours per license, the cost
    /// under each model against today's PureConnect cost, and the phased
    /// move. An estimate, not a quote. Exit 0, or 2 when a file is refused.
    Estimate(Box<CloudEstimateArgs>),
}

#[derive(Debug, Args)]
pub struct CloudEstimateArgs {
    /// The workspace file (.ialws): users, stations, workgroups and their licenses.
    #[arg(long, value_name = "FILE")]
    pub workspace: PathBuf,
    /// The license (default: the one the history's last import used).
    #[arg(long, value_name = "FILE")]
    pub license: Option<PathBuf>,
    /// The usage history (default: the workspace's, NAME.ialhist).
    #[arg(long, value_name = "FILE")]
    pub history: Option<PathBuf>,
    /// A mapping file (JSON array of rules) instead of the workspace's.
    #[arg(long, value_name = "FILE")]
    pub mapping: Option<PathBuf>,
    /// A price list file (currency, prices and contract per license)
    /// instead of the workspace's.
    #[arg(long, value_name = "FILE")]
    pub prices: Option<PathBuf>,
    /// A waves file (JSON array of waves) instead of the workspace's.
    #[arg(long, value_name = "FILE")]
    pub waves: Option<PathBuf>,
    /// First day (default: the history's first).
    #[arg(long, value_parser = crate::core::dates::parse_arg_date, value_name = "DATE")]
    pub from: Option<NaiveDate>,
    /// Last day (default: the history's last).
    #[arg(long, value_parser = crate::core::dates::parse_arg_date, value_name = "DATE")]
    pub to: Option<NaiveDate>,
    /// What to print: a table to read, or JSON for scripts.
    #[arg(long, value_enum, default_value_t)]
    pub format: EstimateFormat,
    #[command(flatten)]
    pub trust: TrustArgs,
}

/// `cloud estimate --format`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum EstimateFormat {
    #[default]
    Table,
    Json,
    /// One row per period and license.
    Csv,
}
