//! The Upgrade Software tab. Seed: "You can select individual products to
//! upgrade. However, if mirroring is available, you must upgrade all
//! products with the upgrade option."

use serde::Serialize;

use super::{Account, AccountError, same};
use crate::model::parts;

/// A part of the account with an upgrade option (3.0 -> 4.0).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UpgradeOption {
    pub part_number: String,
    pub product_category: String,
    pub description: String,
    pub upgrades_to: String,
    pub mirroring_available: bool,
    /// Units that would be upgraded (all the account has of the part).
    pub quantity: i64,
}

/// What an upgrade did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UpgradeOutcome {
    /// (old part, new part, units).
    pub upgraded: Vec<(String, String, i64)>,
    pub mirrored: bool,
    /// Active activation files that use an upgraded part: they keep working
    /// but must be regenerated to carry the new version.
    pub regenerate: Vec<String>,
}

impl Account {
    /// The parts with an upgrade option, sorted.
    pub fn upgrade_options(&self) -> Vec<UpgradeOption> {
        let mut out: Vec<UpgradeOption> = Vec::new();
        for i in &self.ordered_items {
            let Some(part) = parts::lookup(&i.part_number) else {
                continue;
            };
            let Some(to) = part.upgrades_to else { continue };
            match out.iter_mut().find(|o| same(&o.part_number, &i.part_number)) {
                Some(o) => {
                    o.quantity += i.quantity;
                    o.mirroring_available |= i.mirroring_available;
                }
                None => out.push(UpgradeOption {
                    part_number: part.part_number.to_string(),
                    product_category: part.product_category.to_string(),
                    description: part.description.to_string(),
                    upgrades_to: to.to_string(),
                    mirroring_available: i.mirroring_available,
                    quantity: i.quantity,
                }),
            }
        }
        out.sort_by(|a, b| a.part_number.cmp(&b.part_number));
        out
    }

    /// The parts without an upgrade option ("Parts without Upgrade Options").
    pub fn parts_without_upgrade(&self) -> Vec<super::SummaryRow> {
        self.summary(None)
            .into_iter()
            .filter(|r| parts::lookup(&r.part_number).is_none_or(|p| p.upgrades_to.is_none()))
            .collect()
    }

    /// Upgrades the selected parts (all with `all`); with mirroring
    /// available on any upgradable part, every one must be selected. The
    /// ordered items and the active files that drew on them move to the new
    /// part, unit for unit.
    pub fn upgrade(&mut self, selected: &[String], all: bool, mirror: bool) -> Result<UpgradeOutcome, AccountError> {
        let options = self.upgrade_options();
        for s in selected {
            if !options.iter().any(|o| same(&o.part_number, s)) {
                return Err(AccountError::NotUpgradable { part: s.clone() });
            }
        }
        let chosen: Vec<&UpgradeOption> = options
            .iter()
            .filter(|o| all || selected.iter().any(|s| same(s, &o.part_number)))
            .collect();
        if chosen.is_empty() {
            return Err(AccountError::NothingToUpgrade);
        }
        if options.iter().any(|o| o.mirroring_available) {
            let missing: Vec<&str> = options
                .iter()
                .filter(|o| !chosen.iter().any(|c| c.part_number == o.part_number))
                .map(|o| o.part_number.as_str())
                .collect();
            if !missing.is_empty() {
                return Err(AccountError::MirroringNeedsAll {
                    missing: missing.join(", "),
                });
            }
        }
        let mut outcome = UpgradeOutcome {
            upgraded: Vec::new(),
            mirrored: mirror,
            regenerate: Vec::new(),
        };
        for o in &chosen {
            for i in self
                .ordered_items
                .iter_mut()
                .filter(|i| same(&i.part_number, &o.part_number))
            {
                i.part_number = o.upgrades_to.clone();
                i.mirrored |= mirror;
                i.mirroring_available = false;
            }
            for f in self.activation_files.iter_mut() {
                let mut touched = false;
                for i in f.items.iter_mut().filter(|i| same(&i.part_number, &o.part_number)) {
                    i.part_number = o.upgrades_to.clone();
                    touched = true;
                }
                if touched && f.active && !outcome.regenerate.contains(&f.id) {
                    outcome.regenerate.push(f.id.clone());
                }
            }
            outcome
                .upgraded
                .push((o.part_number.clone(), o.upgrades_to.clone(), o.quantity));
        }
        Ok(outcome)
    }
}
