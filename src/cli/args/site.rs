//! `site import`: its arguments (a submodule of `args.rs`, which holds
//! every other command's).

use std::path::PathBuf;

use clap::{ArgGroup, Args, Subcommand};

use super::OutputFormat;

#[derive(Debug, Subcommand)]
pub enum SiteCommand {
    /// Import a PureConnect site's users, stations, workgroups and license
    /// allocations from what its administrator can export: a folder of saved
    /// ICWS responses (scripts/export-site.py or .ps1) or a `reg export` of
    /// the Directory Services registry. Writes a new workspace and prints what
    /// was imported, every value that could not be mapped, every assumption
    /// applied and, with license-allocations, the self-check against the
    /// server's own counts. Exit 0 when written, 2 when refused.
    Import(SiteImportArgs),
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("source").required(true).args(["icws", "registry"])))]
pub struct SiteImportArgs {
    /// A folder of saved ICWS responses: users*.json, stations*.json,
    /// workgroups*.json, roles*.json, license-allocations*.json.
    #[arg(long, value_name = "DIR")]
    pub icws: Option<PathBuf>,
    /// A registry export (.reg, UTF-16LE or UTF-8) of the site's Directory
    /// Services key.
    #[arg(long, value_name = "FILE")]
    pub registry: Option<PathBuf>,
    /// The workspace to write (.ialws). It must not exist unless --force.
    #[arg(short = 'o', long = "out", value_name = "WORKSPACE")]
    pub out: PathBuf,
    /// Replace an existing workspace file (never one of the files read).
    #[arg(long)]
    pub force: bool,
    /// Write even though a session on the workspace did not end cleanly
    /// and its recovery journal holds unsaved changes: they are discarded
    /// (otherwise the import is refused, saying how to keep them).
    #[arg(long)]
    pub discard_journal: bool,
    /// What to print: a table to read, or JSON for scripts.
    #[arg(long, value_enum, default_value_t)]
    pub format: OutputFormat,
}
