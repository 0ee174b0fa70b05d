//! The customer account of the Activation File Management Tool (AFMT): what
//! was bought (ordered items) and the activation files generated from it.
//! Seed, Account Summary: "displays all ordered items that are available to
//! license for a specified account", with *Total / Used / Available* per
//! part: bought, used in active activation files, left to use. Deactivating
//! a license returns its items ("the number of lines and workstations are
//! available again for allocation"). The file format is in
//! docs/account-file.md.

mod activity;
mod edit;
mod email;
mod file;
mod generate;
pub mod request;
mod sites;
mod summary;
mod trust;
mod upgrade;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub use activity::{ActiveFilter, ActivityFilter};
pub use edit::{Edited, Generated, edit, generate, sign};
pub use file::{AccountLock, MAX_ACCOUNT_FILE_BYTES, load, parse, save};
pub use generate::{Drawn, afmt_checks, draw};
pub use sites::{InstallSite, SiteChange};
pub use summary::{DetailRow, SummaryRow};
pub use trust::{AccountStatus, AccountTrust, Signer, signed_text};
pub use upgrade::{UpgradeOption, UpgradeOutcome};

/// The only account format this build reads and writes.
pub const ACCOUNT_FORMAT: u32 = 1;

/// One ordered item: units of a part bought for an install site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrderedItem {
    pub part_number: String,
    pub quantity: i64,
    /// Perpetual (bought outright) or not (a term or subscription).
    #[serde(default = "yes")]
    pub perpetual: bool,
    pub install_site: String,
    /// The Upgrade Software tab's "Mirroring Available" column.
    #[serde(default)]
    pub mirroring_available: bool,
    /// Upgraded with "Mirror 3.0 -> 4.0": annual support renewal is charged
    /// on the most recent software version.
    #[serde(default)]
    pub mirrored: bool,
}

fn yes() -> bool {
    true
}

/// Units of one part drawn by an activation file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DrawnItem {
    pub part_number: String,
    pub quantity: i64,
}

/// One generated activation file (the Activation File Activity tab).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActivationFile {
    pub id: String,
    pub generated: NaiveDate,
    pub expires: NaiveDate,
    pub active: bool,
    pub install_site: String,
    pub generated_by: String,
    pub machine: String,
    pub host_id: String,
    /// "CIC 4.0", as the tab's Product column.
    pub product: String,
    /// The license level (`production`, `trial`, …): the tab's Type column.
    pub level: String,
    pub items: Vec<DrawnItem>,
    /// SHA-256 of the license file written, to find it again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub license_sha256: Option<String>,
    /// The activation file this one updated (an update replaces it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replaces: Option<String>,
    /// Where the license was written (so a generate interrupted between
    /// recording the draw and moving the license into place can be
    /// finished by the next change to the account).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub license_file: Option<String>,
    /// A certified partner's 30-day non-ordered development license: it
    /// draws nothing from the ordered items (seed: "Certified partner
    /// employees can generate an unlimited number of 30-day non-ordered
    /// development licenses for any product and any configuration").
    #[serde(default, skip_serializing_if = "is_false")]
    pub non_ordered: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// An `.ialacct` document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Account {
    pub format: u32,
    /// AFMT's "Account Name".
    pub account: String,
    #[serde(default)]
    pub support_option: String,
    pub ordered_items: Vec<OrderedItem>,
    #[serde(default)]
    pub activation_files: Vec<ActivationFile>,
    /// The Install Sites tab's records (name, address, Active). A site named
    /// by ordered items without a record is shown as active with no
    /// address; editing it makes its record. Absent in accounts made before
    /// the tab (they load as before; the signature covers the records).
    #[serde(default, rename = "install_sites", skip_serializing_if = "Vec::is_empty")]
    pub site_records: Vec<InstallSite>,
}

/// What an account action may not do, in AFMT's terms, with what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccountError {
    #[error(
        "{part} at install site {site}: {wanted} wanted but only {available} available; order more, deactivate an \
         activation file that uses it, or lower the quantity"
    )]
    NotEnoughAvailable {
        part: String,
        site: String,
        wanted: i64,
        available: i64,
    },
    #[error("{part} is not among the ordered items of install site {site}; choose a part the account has bought")]
    NotOrdered { part: String, site: String },
    #[error("no activation file {id} in this account; `account show` lists them")]
    NoSuchActivationFile { id: String },
    #[error("activation file {id} is already inactive")]
    AlreadyInactive { id: String },
    #[error(
        "an update raises quantities: {part} would go from {old} to {new}; to lower it, deactivate the activation \
         file and generate a new one"
    )]
    UpdateLowers { part: String, old: i64, new: i64 },
    #[error("{part} has no upgrade option; `account show` lists the parts that have one")]
    NotUpgradable { part: String },
    #[error(
        "mirroring is available, so you must upgrade all products with the upgrade option ({missing} not \
         selected); select them all (--all)"
    )]
    MirroringNeedsAll { missing: String },
    #[error("nothing to upgrade: give --part PART or --all")]
    NothingToUpgrade,
    #[error("the account file is invalid: {0}")]
    Invalid(String),
    /// What was asked of the account cannot be done as asked (a missing
    /// install site or part, a license the order cannot make).
    #[error("{0}")]
    Order(String),
    /// The order cannot make a license (the generator's refusal, whole).
    #[error(transparent)]
    Generate(#[from] crate::model::license::generate::OrderError),
    /// The license just generated does not load with the issuer's key
    /// (worded as when it was an invalid-account message).
    #[error("the account file is invalid: the generated license does not verify: {0}")]
    NotVerified(#[source] crate::model::license::Refusal),
    /// What the Activation File Management Tool and its forms refuse
    /// (`rules::AfmtRefusal`: a code, the tool's words, a hint).
    #[error("{}", .0.with_hint())]
    Refused(#[from] crate::rules::AfmtRefusal),
    #[error(transparent)]
    File(#[from] crate::model::error::FileError),
    #[error("the account file is in use by {0}; try again when it has finished")]
    InUse(String),
    #[error("cannot lock the account file: {0}")]
    Lock(#[source] crate::fs::LockError),
    /// An account nobody vouches for is not drawn on by default.
    #[error(
        "the account is {status}{}; nothing was changed. If you issued it, sign it again with your key (`account \
         sign`); to use it anyway, allow unsigned accounts (--allow-unsigned-account): it then stays unsigned",
        if .note.is_empty() { String::new() } else { format!(" ({})", .note) }
    )]
    Untrusted { status: &'static str, note: String },
    /// The license could not be moved into place; the account was put back.
    #[error(
        "the license could not be written to {} ({reason}); the account was put back as it was, so no units were \
         drawn",
        .out.display()
    )]
    LicenseNotWritten { out: std::path::PathBuf, reason: String },
    /// The license could not be written and the account not put back.
    #[error(
        "the license could not be written to {} ({reason}); the account records activation file {id} without a \
         license: deactivate {id} to make its units available again",
        .out.display()
    )]
    DrawNotUndone {
        out: std::path::PathBuf,
        id: String,
        reason: String,
    },
    /// A vouched-for account is changed only by the key that signed it.
    #[error(
        "the account is signed by `{signed_by}`, not by the key `{key}`; sign changes with the key that signed it \
         (to move the account to another key on purpose, sign it with that key first)"
    )]
    OtherSigner { signed_by: String, key: String },
    /// Activation file numbers are never reused or wrapped.
    #[error("the account has used every activation file number (up to AF-{max}); start a new account file")]
    IdsExhausted { max: u32 },
}

impl Account {
    /// A new, empty account.
    pub fn new(name: &str) -> Account {
        Account {
            format: ACCOUNT_FORMAT,
            account: name.to_string(),
            support_option: String::new(),
            ordered_items: Vec::new(),
            activation_files: Vec::new(),
            site_records: Vec::new(),
        }
    }

    /// Units of a part bought for a site (all sites with `None`).
    pub fn total(&self, part: &str, site: Option<&str>) -> i64 {
        self.ordered_items
            .iter()
            .filter(|i| same(&i.part_number, part) && site.is_none_or(|s| same(&i.install_site, s)))
            .map(|i| i.quantity)
            .sum()
    }

    /// Units of a part used by the site's active activation files.
    pub fn used(&self, part: &str, site: Option<&str>) -> i64 {
        self.activation_files
            .iter()
            .filter(|f| f.active && site.is_none_or(|s| same(&f.install_site, s)))
            .flat_map(|f| &f.items)
            .filter(|i| same(&i.part_number, part))
            .map(|i| i.quantity)
            .sum()
    }

    pub fn available(&self, part: &str, site: Option<&str>) -> i64 {
        self.total(part, site) - self.used(part, site)
    }

    pub fn activation_file(&self, id: &str) -> Option<&ActivationFile> {
        self.activation_files.iter().find(|f| same(&f.id, id))
    }

    /// Would drawing these units at a site fit? `returning` is an activation
    /// file whose units come back first (an update replaces it).
    pub fn check_draw(&self, site: &str, items: &[DrawnItem], returning: Option<&str>) -> Result<(), AccountError> {
        let mut wanted: Vec<(String, i64)> = Vec::new();
        for i in items {
            match wanted.iter_mut().find(|(p, _)| same(p, &i.part_number)) {
                Some((_, q)) => *q += i.quantity,
                None => wanted.push((i.part_number.clone(), i.quantity)),
            }
        }
        let back = returning.and_then(|id| self.activation_file(id)).filter(|f| f.active);
        for (part, q) in wanted {
            if !self
                .ordered_items
                .iter()
                .any(|i| same(&i.part_number, &part) && same(&i.install_site, site))
            {
                return Err(AccountError::NotOrdered {
                    part,
                    site: site.to_string(),
                });
            }
            let returned: i64 = back
                .iter()
                .flat_map(|f| &f.items)
                .filter(|i| same(&i.part_number, &part))
                .map(|i| i.quantity)
                .sum();
            let available = self.available(&part, Some(site)) + returned;
            if q > available {
                return Err(AccountError::NotEnoughAvailable {
                    part,
                    site: site.to_string(),
                    wanted: q,
                    available: available.max(0),
                });
            }
        }
        Ok(())
    }

    /// Records a generated activation file after `check_draw` allowed it;
    /// returns its new id.
    pub fn record(&mut self, mut file: ActivationFile) -> Result<String, AccountError> {
        self.check_draw(&file.install_site, &file.items, file.replaces.as_deref())?;
        if let Some(old) = &file.replaces {
            let old_file = self
                .activation_files
                .iter()
                .find(|f| same(&f.id, old))
                .ok_or_else(|| AccountError::NoSuchActivationFile { id: old.clone() })?;
            if !old_file.active {
                return Err(AccountError::AlreadyInactive { id: old.clone() });
            }
            for before in &old_file.items {
                let after: i64 = file
                    .items
                    .iter()
                    .filter(|i| same(&i.part_number, &before.part_number))
                    .map(|i| i.quantity)
                    .sum();
                if after < before.quantity {
                    return Err(AccountError::UpdateLowers {
                        part: before.part_number.clone(),
                        old: before.quantity,
                        new: after,
                    });
                }
            }
            self.deactivate(old)?;
        }
        file.id = self.next_id()?;
        let id = file.id.clone();
        self.activation_files.push(file);
        Ok(id)
    }

    /// Deactivates an activation file: its items are available again.
    pub fn deactivate(&mut self, id: &str) -> Result<(), AccountError> {
        let f = self
            .activation_files
            .iter_mut()
            .find(|f| same(&f.id, id))
            .ok_or_else(|| AccountError::NoSuchActivationFile { id: id.to_string() })?;
        if !f.active {
            return Err(AccountError::AlreadyInactive { id: id.to_string() });
        }
        f.active = false;
        Ok(())
    }

    /// "AF-0001", "AF-0002", … one more than the highest number in use;
    /// refused at the largest number rather than wrapped to a used one.
    fn next_id(&self) -> Result<String, AccountError> {
        let n = self
            .activation_files
            .iter()
            .filter_map(|f| f.id.trim().strip_prefix("AF-").and_then(|n| n.parse::<u32>().ok()))
            .max()
            .unwrap_or(0);
        let next = n.checked_add(1).ok_or(AccountError::IdsExhausted { max: u32::MAX })?;
        Ok(format!("AF-{next:04}"))
    }

    /// The install sites: those with a record and those named by the
    /// ordered items, sorted.
    pub fn install_sites(&self) -> Vec<String> {
        let mut sites: Vec<String> = self
            .site_records
            .iter()
            .map(|r| r.name.trim().to_string())
            .chain(self.ordered_items.iter().map(|i| i.install_site.trim().to_string()))
            .collect();
        sites.sort_unstable_by_key(|s| s.to_lowercase());
        sites.dedup_by(|a, b| same(a, b));
        sites
    }
}

/// Part numbers, ids and sites compare without regard to case or the
/// surrounding spaces.
pub(crate) fn same(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim())
}
