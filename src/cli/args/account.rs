//! The account commands' arguments (a submodule of `args.rs`, which holds
//! every other command's): the account file, its signing key, and the
//! Activation File Management Tool's tabs and forms.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Subcommand, ValueEnum};

use super::{NewArgs, OutputFormat};

use crate::core::license::TrustStore;

/// The account file: positional or `--account`.
#[derive(Debug, Args)]
pub struct AccountFile {
    /// The account file (.ialacct).
    #[arg(value_name = "ACCOUNT")]
    pub path: Option<PathBuf>,
    /// The account file, as an option.
    #[arg(long = "account", value_name = "ACCOUNT", conflicts_with = "path")]
    pub account: Option<PathBuf>,
}

/// Who signs an account a command writes, and which signatures to accept.
#[derive(Debug, Args)]
pub struct AccountSigning {
    /// The issuer private key that signs the account (and the license).
    #[arg(long, value_name = "KEYFILE")]
    pub sign_key: PathBuf,
    #[command(flatten)]
    pub trust: AccountTrustArgs,
}

/// Which account signatures to accept.
#[derive(Debug, Args, Default)]
pub struct AccountTrustArgs {
    /// Trust this issuer public key file for the account's signature
    /// (repeatable; the demo key and the signing key are trusted anyway).
    #[arg(long = "trust", value_name = "KEYFILE")]
    pub trust: Vec<PathBuf>,
    /// Draw on (or change) an account that is unsigned or tampered; the
    /// output says so.
    #[arg(long)]
    pub allow_unsigned_account: bool,
}

impl AccountTrustArgs {
    pub fn trust_store(&self) -> Result<TrustStore, crate::core::license::signing::KeyError> {
        let mut store = TrustStore::with_demo();
        for path in &self.trust {
            store.add_file(path)?;
        }
        Ok(store)
    }
}

#[derive(Debug, Subcommand)]
pub enum AccountCommand {
    /// Account Summary (Total / Used / Available per part), Software
    /// Details, Activation File Activity and the upgrade options.
    Show {
        #[command(flatten)]
        file: AccountFile,
        /// Trust this issuer public key file for the account's signature
        /// (repeatable; the demo key is trusted anyway).
        #[arg(long = "trust", value_name = "KEYFILE")]
        trust: Vec<PathBuf>,
        /// Only this install site (default: All Install Sites).
        #[arg(long, value_name = "SITE")]
        install_site: Option<String>,
        #[command(flatten)]
        activity: ActivityArgs,
        /// What to print: a table to read, or JSON for scripts.
        #[arg(long, value_enum, default_value_t)]
        format: OutputFormat,
    },
    /// The Install Sites tab: add, edit or deactivate an install site.
    #[command(subcommand)]
    Site(AccountSiteCommand),
    /// The Genesys Activation File Request Tool: draft a question or an
    /// activation file request (checked as the form checks it) and save it
    /// as FILE.json and a readable FILE.txt to send. Nothing is sent.
    Request(Box<RequestArgs>),
    /// New Activation File: generate a signed license from ordered items
    /// (--account FILE, --install-site, --part PART=UNITS …), drawing down
    /// what is available; more than is left is refused.
    Generate(Box<NewArgs>),
    /// Update an active activation file to more units: a new license
    /// replaces it, drawing only the difference.
    Update {
        /// The activation file to update (AF-0001, …).
        #[arg(long, value_name = "ID")]
        id: String,
        #[command(flatten)]
        new: Box<NewArgs>,
    },
    /// Deactivate an activation file: its items are available again.
    Deactivate {
        #[command(flatten)]
        file: AccountFile,
        /// The activation file to deactivate (AF-0001, …).
        #[arg(long, value_name = "ID")]
        id: String,
        #[command(flatten)]
        signing: AccountSigning,
        /// What to print: a table to read, or JSON for scripts.
        #[arg(long, value_enum, default_value_t)]
        format: OutputFormat,
    },
    /// Upgrade Software: move 3.0 parts to their 4.0 parts. With mirroring
    /// available, all parts with the upgrade option must be upgraded.
    Upgrade {
        #[command(flatten)]
        file: AccountFile,
        /// A part to upgrade (repeatable).
        #[arg(long = "part", value_name = "PART")]
        parts: Vec<String>,
        /// Upgrade every part with the upgrade option.
        #[arg(long)]
        all: bool,
        /// "Mirror 3.0 -> 4.0": annual support renewal is charged on the most
        /// recent software version.
        #[arg(long)]
        mirror: bool,
        #[command(flatten)]
        signing: AccountSigning,
        /// What to print: a table to read, or JSON for scripts.
        #[arg(long, value_enum, default_value_t)]
        format: OutputFormat,
    },
    /// Sign an account in place with the issuer key (keeping NAME.bak):
    /// brings accounts made before accounts were signed, or edited on
    /// purpose, back to valid.
    Sign {
        #[command(flatten)]
        file: AccountFile,
        /// The issuer private key to sign with.
        #[arg(long, value_name = "KEYFILE")]
        sign_key: PathBuf,
        /// Trust this issuer public key file, to say who signed the account
        /// before (repeatable).
        #[arg(long = "trust", value_name = "KEYFILE")]
        trust: Vec<PathBuf>,
        /// What to print: a table to read, or JSON for scripts.
        #[arg(long, value_enum, default_value_t)]
        format: OutputFormat,
    },
}

/// Activation File Activity's filters (`account show`).
#[derive(Debug, Args)]
pub struct ActivityArgs {
    /// Generation Date (>=): activation files generated on or after this day
    /// (YYYY-MM-DD, or M/D/YYYY as the tool shows dates).
    #[arg(long, value_parser = crate::core::dates::parse_form_date, value_name = "DATE")]
    pub generated_from: Option<NaiveDate>,
    /// Generation Date (<=): activation files generated on or before this day
    /// (YYYY-MM-DD, or M/D/YYYY).
    #[arg(long, value_parser = crate::core::dates::parse_form_date, value_name = "DATE")]
    pub generated_to: Option<NaiveDate>,
    /// Active: yes (active only), no (inactive only) or all. The tool's
    /// screen starts at yes; the command lists all unless asked.
    #[arg(long, value_enum, default_value_t = ActiveArg::All)]
    pub active: ActiveArg,
    /// Product Line: `CIC` (every CIC version) or a product such as `CIC 4.0`.
    #[arg(long, value_name = "P")]
    pub product_line: Option<String>,
    /// License Type: production, development-small, development-large (or
    /// development for both), evaluation, trial.
    #[arg(long, value_name = "T")]
    pub license_type: Option<String>,
    /// Generated By: only files this person generated.
    #[arg(long, value_name = "NAME")]
    pub generated_by: Option<String>,
    /// Machine Name: only files for this computer.
    #[arg(long, value_name = "M")]
    pub machine: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ActiveArg {
    Yes,
    No,
    All,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum YesNo {
    Yes,
    No,
}

/// Install Site Details' fields besides the name.
#[derive(Debug, Args)]
pub struct SiteArgs {
    /// Address Line 1.
    #[arg(long, value_name = "TEXT")]
    pub address: Option<String>,
    /// Address Line 2.
    #[arg(long, value_name = "TEXT")]
    pub address2: Option<String>,
    /// Address Line 3.
    #[arg(long, value_name = "TEXT")]
    pub address3: Option<String>,
    /// City.
    #[arg(long, value_name = "TEXT")]
    pub city: Option<String>,
    /// State / Province.
    #[arg(long, value_name = "TEXT")]
    pub state: Option<String>,
    /// Country.
    #[arg(long, value_name = "TEXT")]
    pub country: Option<String>,
    /// Postal Code.
    #[arg(long, value_name = "TEXT")]
    pub postal_code: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum AccountSiteCommand {
    /// New Install Site: create an install site (Name is required; active).
    Add {
        #[command(flatten)]
        file: AccountFile,
        /// Name * (unique in the account, ignoring case).
        #[arg(long, value_name = "NAME")]
        name: String,
        #[command(flatten)]
        details: SiteArgs,
        #[command(flatten)]
        signing: AccountSigning,
        /// What to print: a table to read, or JSON for scripts.
        #[arg(long, value_enum, default_value_t)]
        format: OutputFormat,
    },
    /// Edit an install site: its details, a new name (its ordered items and
    /// activation files follow), or Active.
    Edit {
        #[command(flatten)]
        file: AccountFile,
        /// The install site to edit.
        #[arg(long, value_name = "NAME")]
        name: String,
        /// Rename it.
        #[arg(long, value_name = "NAME")]
        new_name: Option<String>,
        #[command(flatten)]
        details: SiteArgs,
        /// Active: yes or no (clearing Active deactivates the site).
        #[arg(long, value_enum)]
        active: Option<YesNo>,
        #[command(flatten)]
        signing: AccountSigning,
        /// What to print: a table to read, or JSON for scripts.
        #[arg(long, value_enum, default_value_t)]
        format: OutputFormat,
    },
    /// Deactivate an install site (clear Active): no new activation file is
    /// generated for it; its items and files stay.
    Deactivate {
        #[command(flatten)]
        file: AccountFile,
        /// The install site to deactivate.
        #[arg(long, value_name = "NAME")]
        name: String,
        #[command(flatten)]
        signing: AccountSigning,
        /// What to print: a table to read, or JSON for scripts.
        #[arg(long, value_enum, default_value_t)]
        format: OutputFormat,
    },
}

/// Request Type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RequestTypeArg {
    Question,
    ActivationFile,
}

/// Activation File Category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CategoryArg {
    /// Genesys Environment.
    Genesys,
    /// Third-Party Products.
    ThirdParty,
    /// Pay-Per-Use or Hosted Environments.
    PayPerUse,
}

/// The Genesys Activation File Request Tool's form.
#[derive(Debug, Args)]
pub struct RequestArgs {
    /// The account the request is about.
    #[arg(long, value_name = "ACCOUNT")]
    pub account: PathBuf,
    /// Trust this issuer public key file for the account's signature
    /// (repeatable; the demo key is trusted anyway).
    #[arg(long = "trust", value_name = "KEYFILE")]
    pub trust: Vec<PathBuf>,
    /// Request Type: question or activation-file.
    #[arg(long = "type", value_enum)]
    pub request_type: RequestTypeArg,
    /// Activation File Category (activation-file requests only).
    #[arg(long, value_enum)]
    pub category: Option<CategoryArg>,
    /// Activation File Type, e.g. "New Deployment", "Evaluation", "Upgrade"
    /// (activation-file requests only).
    #[arg(long, value_name = "T")]
    pub file_type: Option<String>,
    /// Urgent (activation-file requests only).
    #[arg(long)]
    pub urgent: bool,
    /// First Name.
    #[arg(long, value_name = "TEXT")]
    pub first_name: String,
    /// Last Name.
    #[arg(long, value_name = "TEXT")]
    pub last_name: String,
    /// Corporate Email (not a public webmail address).
    #[arg(long, value_name = "E")]
    pub email: String,
    /// Confirm Corporate Email: the same address again.
    #[arg(long, value_name = "E")]
    pub confirm_email: String,
    /// Additional Email Recipients, separated by commas.
    #[arg(long, value_name = "E,…")]
    pub recipients: Option<String>,
    /// End User Account: the company the software is for.
    #[arg(long, value_name = "TEXT")]
    pub end_user_account: String,
    /// Sold To Account.
    #[arg(long, value_name = "TEXT")]
    pub sold_to: String,
    /// End User GARN (Genesys Account Reference Number).
    #[arg(long, value_name = "G")]
    pub garn: Option<String>,
    /// Work Phone.
    #[arg(long, value_name = "TEXT")]
    pub phone: Option<String>,
    /// Employer (a partner's own company, when not the end user).
    #[arg(long, value_name = "TEXT")]
    pub employer: Option<String>,
    /// Subject: a line saying what the request is about.
    #[arg(long, value_name = "TEXT")]
    pub subject: String,
    /// Description: what is needed and why.
    #[arg(long, value_name = "TEXT")]
    pub description: String,
    /// Date Needed (YYYY-MM-DD or M/D/YYYY).
    #[arg(long, value_name = "D")]
    pub date_needed: Option<String>,
    /// Why by that date (with --date-needed).
    #[arg(long, value_name = "TEXT")]
    pub date_reasoning: Option<String>,
    /// Request details: Primary MAC ID or Host ID.
    #[arg(long, value_name = "H")]
    pub host_id: Option<String>,
    /// Request details: Backup MAC ID or Host ID (switchover server).
    #[arg(long, value_name = "H")]
    pub backup_host_id: Option<String>,
    /// Request details: Deployment Type (production, lab, test, …).
    #[arg(long, value_name = "TEXT")]
    pub deployment_type: Option<String>,
    /// Request details: Implementation Type (add-on, migration, …).
    #[arg(long, value_name = "TEXT")]
    pub implementation_type: Option<String>,
    /// Request details: SO# or PO#.
    #[arg(long, value_name = "N")]
    pub order_number: Option<String>,
    /// Request details: Third Party Activation File Type (Nuance, Zoom, …).
    #[arg(long, value_name = "TEXT")]
    pub third_party_type: Option<String>,
    /// Request details: Please clarify your request.
    #[arg(long, value_name = "TEXT")]
    pub clarify: Option<String>,
    /// A file to attach in Step 2 (repeatable; the original activation
    /// file first). Only its name goes into the request.
    #[arg(long = "attach", value_name = "NAME")]
    pub attach: Vec<String>,
    /// The request (JSON); a readable copy is written next to it as .txt.
    #[arg(short = 'o', long = "out", value_name = "FILE")]
    pub out: PathBuf,
    /// What to print: a table to read, or JSON for scripts.
    #[arg(long, value_enum, default_value_t)]
    pub format: OutputFormat,
}
