//! The `.I3Lic` document as it is written on disk (see `docs/license-file.md`).
//!
//! These types mirror the JSON exactly and reject unknown or duplicate
//! fields, so a file that parses here has the documented shape; counts are
//! read as `i64` so that a negative count is reported as *invalid* (a
//! semantic problem) rather than as a JSON type error.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The only format version this build reads and writes.
pub const FORMAT_VERSION: u32 = 1;

/// License level (seed: "License levels").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    Production,
    DevelopmentSmall,
    DevelopmentLarge,
    Trial,
    Evaluation,
}

impl Level {
    pub fn code(self) -> &'static str {
        match self {
            Level::Production => "production",
            Level::DevelopmentSmall => "development-small",
            Level::DevelopmentLarge => "development-large",
            Level::Trial => "trial",
            Level::Evaluation => "evaluation",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Level::Production => "Production",
            Level::DevelopmentSmall => "Development (small)",
            Level::DevelopmentLarge => "Development (large)",
            Level::Trial => "Trial",
            Level::Evaluation => "Evaluation",
        }
    }
    /// Development licenses include Access and Session licenses, 8 or 30 of each.
    pub fn development_size(self) -> Option<u32> {
        match self {
            Level::DevelopmentSmall => Some(8),
            Level::DevelopmentLarge => Some(30),
            _ => None,
        }
    }
    /// What the level means for whoever runs the server, in the seed's words
    /// (shown on the View License page, `license show` and the status bar).
    pub fn note(self) -> &'static str {
        match self {
            Level::Production => "Production servers request re-registration after one year.",
            Level::DevelopmentSmall | Level::DevelopmentLarge => {
                "Development license: not for production use. Interactions disconnect hourly."
            }
            Level::Trial => "Trial license: expires after 60 days. Components can be added to it.",
            Level::Evaluation => {
                "Evaluation license: you cannot add other components to the pre-defined configuration."
            }
        }
    }
    pub fn is_development(self) -> bool {
        self.development_size().is_some()
    }
    pub fn parse(text: &str) -> Option<Level> {
        [
            Level::Production,
            Level::DevelopmentSmall,
            Level::DevelopmentLarge,
            Level::Trial,
            Level::Evaluation,
        ]
        .into_iter()
        .find(|l| l.code() == text)
    }
}

/// Trial licenses run this many days, the generation day being day 1 (seed:
/// "Used for trial purposes; expires after 60 days").
pub const TRIAL_DAYS: i64 = 60;

/// A certified partner's non-ordered development license runs this many days
/// (seed: "Certified partner employees can generate an unlimited number of
/// 30-day non-ordered development licenses").
pub const PARTNER_DEVELOPMENT_DAYS: i64 = 30;

/// The last day of a term of `days` days starting on `first` (day 1).
pub fn last_day_of(first: NaiveDate, days: i64) -> Option<NaiveDate> {
    crate::core::dates::add_days(first, days.saturating_sub(1)).ok()
}

/// The last day of a one-year term starting on `first`: the day before its
/// anniversary (seed: ordered development "is active for one year").
pub fn last_day_of_year(first: NaiveDate) -> Option<NaiveDate> {
    crate::core::dates::previous_day(crate::core::dates::add_months(first, 12).ok()?).ok()
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Switchover {
    pub host_id: String,
    pub machine_name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerInfo {
    /// Empty for virtual-cloud licenses, which are not tied to a machine.
    pub host_id: String,
    pub machine_name: String,
    pub system_type: String,
    pub mail_connector: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub switchover: Option<Switchover>,
}

/// One `licenses` entry: assigned = assignable allowed, pooled = concurrent allowed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LicenseEntry {
    pub key: String,
    #[serde(default)]
    pub assigned: i64,
    #[serde(default)]
    pub pooled: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrderedItem {
    pub part_number: String,
    pub description: String,
    pub quantity: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VirtualCloud {
    pub ramp_date: NaiveDate,
    pub grace_period_days: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signature {
    pub algorithm: String,
    pub key_id: String,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LicenseFile {
    pub format: u32,
    pub product: String,
    pub product_version: String,
    pub level: Level,
    pub company: String,
    pub install_site: String,
    pub generated_by: String,
    pub generated: NaiveDate,
    pub expires: NaiveDate,
    pub server: ServerInfo,
    pub features: Vec<String>,
    pub licenses: Vec<LicenseEntry>,
    #[serde(default)]
    pub ordered_items: Vec<OrderedItem>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub virtual_cloud: Option<VirtualCloud>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<Signature>,
}

/// Perpetual licenses expire on 1/1/2100 (seed: AFMT).
pub fn perpetual_expiry() -> NaiveDate {
    NaiveDate::from_ymd_opt(2100, 1, 1).unwrap_or(NaiveDate::MAX)
}
