//! The Account Summary and Software Details tabs.

use serde::Serialize;

use super::{Account, same};
use crate::model::parts;

/// One Account Summary row: Total / Used / Available of a part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SummaryRow {
    pub part_number: String,
    pub product_category: String,
    pub description: String,
    pub total: i64,
    pub used: i64,
    pub available: i64,
}

/// One Software Details row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DetailRow {
    pub part_number: String,
    pub product_category: String,
    pub description: String,
    pub mirror: bool,
    pub sold_to: String,
    pub perpetual: i64,
    pub non_perpetual: i64,
    pub total: i64,
}

fn describe(part: &str) -> (String, String) {
    parts::lookup(part).map_or_else(
        || (String::new(), "(not in the part-number catalogue)".to_string()),
        |p| (p.product_category.to_string(), p.description.to_string()),
    )
}

impl Account {
    /// The distinct part numbers of the ordered items (of one site), sorted.
    fn part_numbers(&self, site: Option<&str>) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for i in &self.ordered_items {
            if site.is_none_or(|s| same(&i.install_site, s)) && !out.iter().any(|p| same(p, &i.part_number)) {
                out.push(i.part_number.trim().to_string());
            }
        }
        out.sort_unstable();
        out
    }

    /// Units of each part used by the active activation files (of one
    /// site): one pass over the files, keyed by the part in lower case —
    /// an account may hold tens of thousands of activation files.
    fn used_by_part(&self, site: Option<&str>) -> std::collections::HashMap<String, i64> {
        let mut used: std::collections::HashMap<String, i64> = std::collections::HashMap::new();
        for f in self
            .activation_files
            .iter()
            .filter(|f| f.active && site.is_none_or(|s| same(&f.install_site, s)))
        {
            for i in &f.items {
                let e = used.entry(i.part_number.trim().to_lowercase()).or_default();
                *e = e.saturating_add(i.quantity);
            }
        }
        used
    }

    /// The Account Summary tab, for one install site or all (`None`).
    pub fn summary(&self, site: Option<&str>) -> Vec<SummaryRow> {
        let used = self.used_by_part(site);
        self.part_numbers(site)
            .into_iter()
            .map(|part| {
                let (product_category, description) = describe(&part);
                let total = self.total(&part, site);
                let used = used.get(&part.to_lowercase()).copied().unwrap_or(0);
                SummaryRow {
                    total,
                    used,
                    available: total - used,
                    part_number: part,
                    product_category,
                    description,
                }
            })
            .collect()
    }

    /// The Software Details tab: perpetual and non-perpetual units per part.
    pub fn details(&self, site: Option<&str>) -> Vec<DetailRow> {
        self.part_numbers(site)
            .into_iter()
            .map(|part| {
                let items = || {
                    self.ordered_items
                        .iter()
                        .filter(|i| same(&i.part_number, &part) && site.is_none_or(|s| same(&i.install_site, s)))
                };
                let perpetual = items().filter(|i| i.perpetual).map(|i| i.quantity).sum();
                let non_perpetual = items().filter(|i| !i.perpetual).map(|i| i.quantity).sum();
                let (product_category, description) = describe(&part);
                DetailRow {
                    mirror: items().any(|i| i.mirrored),
                    sold_to: self.account.clone(),
                    perpetual,
                    non_perpetual,
                    total: perpetual + non_perpetual,
                    part_number: part,
                    product_category,
                    description,
                }
            })
            .collect()
    }
}
