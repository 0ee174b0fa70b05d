//! Alerts before limits (workspace `alerts`): a warning when few assignable
//! licenses of a key are left, when a pool's replayed peak comes near its
//! size, and when the license nears its expiry date (every level, not only
//! trials: development licenses last a year). See docs/alerts.md.

use serde::{Deserialize, Serialize};

/// Days before the expiry date that `license-expiring` starts, when the
/// workspace does not say.
pub const DEFAULT_EXPIRY_NOTICE_DAYS: u32 = 30;

/// The workspace's `alerts` section.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Alerts {
    /// Days before the expiry date to warn (default 30).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiry_notice_days: Option<u32>,
    /// Per-key thresholds.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keys: Vec<KeyAlert>,
}

/// Thresholds of one license key; each is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyAlert {
    pub key: String,
    /// Warn when this many assignable licenses or fewer are left.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignable_left: Option<u32>,
    /// Warn when this percentage of the assignable allowance or less is left.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignable_left_percent: Option<u32>,
    /// Warn when the replayed peak of the pool reaches this percentage of it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pool_peak_percent: Option<u32>,
}

impl Alerts {
    pub fn is_default(&self) -> bool {
        *self == Alerts::default()
    }

    pub fn expiry_notice_days(&self) -> u32 {
        self.expiry_notice_days.unwrap_or(DEFAULT_EXPIRY_NOTICE_DAYS)
    }

    /// The thresholds of a key (its canonical name), if any.
    pub fn of(&self, key: &str) -> Option<&KeyAlert> {
        self.keys
            .iter()
            .find(|k| crate::model::catalog::canonical(k.key.trim()) == key)
    }

    /// What is wrong with the section, with the JSON path of each problem.
    pub fn problems(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        if self.expiry_notice_days.is_some_and(|d| d > 3_650) {
            out.push(("$.alerts.expiry_notice_days".into(), "must be 0 to 3650 days".into()));
        }
        for (i, k) in self.keys.iter().enumerate() {
            let at = |f: &str| format!("$.alerts.keys[{i}].{f}");
            if !crate::model::catalog::is_well_formed(k.key.trim()) {
                out.push((
                    at("key"),
                    format!("`{}` is not an I3_ license key", crate::model::text::safe(&k.key)),
                ));
            }
            for (field, v) in [
                ("assignable_left_percent", k.assignable_left_percent),
                ("pool_peak_percent", k.pool_peak_percent),
            ] {
                if v.is_some_and(|p| !(1..=100).contains(&p)) {
                    out.push((at(field), "must be a percentage from 1 to 100".into()));
                }
            }
            if k.assignable_left.is_none() && k.assignable_left_percent.is_none() && k.pool_peak_percent.is_none() {
                out.push((
                    at("key"),
                    "sets no threshold: give assignable_left, assignable_left_percent or pool_peak_percent".into(),
                ));
            }
        }
        out
    }
}
