//! The JSON each command prints, as types: the contract other tools rely
//! on (field names and shapes) is written here once and checked by the
//! tests that run the binary. Every command that reads a license starts
//! with whose it is (`license`, or `old_license` and `new_license`).
//! `usage --format json` is the one written as it goes, field by field
//! (`cli/usage.rs`, `UsageJson`: `license, sessions, peak_concurrent_in_use,
//! denials, billing, daily, usage_collection, usage_collection_note,
//! ignored, cost?, events_note?`).

use serde::Serialize;

use crate::core::compare::{Impact, LicenseDiff};
use crate::core::enforcement::Status;
use crate::core::license::Trust;
use crate::core::recommend::Recommendation;

/// `check --format json` (built in the core: the report pack holds the same).
pub use crate::core::reports::check::Check;

/// `enforcement --format json`.
#[derive(Serialize)]
pub struct Enforcement {
    pub license: Trust,
    #[serde(flatten)]
    pub status: Status,
}

/// `recommend --format json`.
#[derive(Serialize)]
pub struct Recommend {
    pub license: Trust,
    pub keys: Vec<Recommendation>,
}

/// `license diff --format json`.
#[derive(Serialize)]
pub struct Diff {
    pub old_license: Trust,
    pub new_license: Trust,
    #[serde(flatten)]
    pub diff: LicenseDiff,
    /// With `--workspace`: what loading the new license would change.
    pub impact: Option<Impact>,
}

/// A table for the terminal: a header row, columns as wide as their
/// content (no wrapping: a pipe has no width), plain ASCII borders. Cells
/// must already be escaped (`core::text::safe`): the table measures them.
pub fn table(header: &[&str]) -> comfy_table::Table {
    let mut table = comfy_table::Table::new();
    table
        .load_preset(comfy_table::presets::ASCII_BORDERS_ONLY_CONDENSED)
        .set_content_arrangement(comfy_table::ContentArrangement::Disabled)
        .set_header(header.iter().copied());
    table
}

/// Right-aligns the count columns.
pub fn align_right(table: &mut comfy_table::Table, columns: std::ops::Range<usize>) {
    for i in columns {
        if let Some(column) = table.column_mut(i) {
            column.set_cell_alignment(comfy_table::CellAlignment::Right);
        }
    }
}

/// `license show --format json`: the View License page.
#[derive(Serialize)]
pub struct LicenseShow<'a> {
    pub license: Trust,
    /// `valid` or `unsigned` (the same as `license.status`).
    pub status: &'static str,
    pub issuer: Option<String>,
    pub demo: bool,
    pub expired: bool,
    pub perpetual: bool,
    pub days_to_expiry: i64,
    pub product: &'a str,
    pub product_version: &'a str,
    pub level: &'static str,
    /// What the level means, in the seed's words.
    pub level_note: &'static str,
    pub company: &'a str,
    pub install_site: &'a str,
    pub generated_by: &'a str,
    pub generated: String,
    pub expires: String,
    pub server: Server<'a>,
    pub features: &'a [String],
    pub feature_details: Vec<FeatureDetail<'a>>,
    pub licenses: Vec<LicenseLine<'a>>,
    pub ordered_items: Vec<OrderedItemLine<'a>>,
    pub virtual_cloud: Option<VirtualCloudTerms>,
    pub warnings: &'a [String],
}

#[derive(Serialize)]
pub struct Server<'a> {
    pub host_id: &'a str,
    pub machine_name: &'a str,
    pub system_type: &'a str,
    pub mail_connector: &'a str,
    pub switchover: Option<Switchover<'a>>,
}

#[derive(Serialize)]
pub struct Switchover<'a> {
    pub host_id: &'a str,
    pub machine_name: &'a str,
}

#[derive(Serialize)]
pub struct FeatureDetail<'a> {
    pub key: &'a str,
    pub label: &'a str,
    pub known: bool,
}

#[derive(Serialize)]
pub struct LicenseLine<'a> {
    pub key: &'a str,
    pub label: &'a str,
    /// `access`, `feature`, `session` or `engine`; `null` for a key this
    /// console does not know.
    pub kind: Option<crate::core::catalog::KeyKind>,
    pub assigned: u32,
    pub pooled: u32,
}

#[derive(Serialize)]
pub struct OrderedItemLine<'a> {
    pub part_number: &'a str,
    pub description: &'a str,
    pub quantity: i64,
    pub product_category: Option<&'static str>,
}

#[derive(Serialize)]
pub struct VirtualCloudTerms {
    pub ramp_date: String,
    pub grace_period_days: i64,
}
