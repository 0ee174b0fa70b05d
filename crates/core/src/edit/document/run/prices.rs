//! The prices the estimates use: the price list (usage cost) and the
//! Genesys Cloud settings (mapping, prices, contract, waves).

use std::sync::Arc;

use super::super::outcome::{Change, Outcome};
use super::super::{Document, Exec};
use crate::edit::command::Command;
use crate::model::subject::Subject;
use crate::rules::Refusal;

impl Document {
    /// Replaces the price list (or removes it).
    pub(super) fn set_price_list(&mut self, price_list: &Option<crate::model::workspace::PriceList>, x: &mut Exec) {
        let subject = Subject::server("price_list");
        if let Some((_, why)) = price_list.iter().flat_map(|p| p.problems()).next() {
            return x.refuse(subject, Refusal::InvalidPriceList { why });
        }
        if self.ws.price_list == *price_list {
            return x.unchanged(subject, "same price list");
        }
        let describe = |p: &Option<crate::model::workspace::PriceList>| match p {
            None => "no price list".to_string(),
            Some(p) => format!(
                "{} ({})",
                crate::model::text::count(
                    p.per_user_per_period.len() + p.per_assignable_license_per_month.len(),
                    "price",
                    "prices"
                ),
                p.currency
            ),
        };
        let old = std::mem::replace(&mut Arc::make_mut(&mut self.ws).price_list, price_list.clone());
        x.changes.push(Change {
            subject: subject.clone(),
            key: None,
            before: describe(&old),
            after: describe(price_list),
        });
        x.inverses.push(Command::SetPriceList { price_list: old });
        x.outcome(subject, Outcome::Changed);
    }

    /// Replaces the Genesys Cloud settings.
    pub(super) fn set_cloud(&mut self, cloud: &crate::model::workspace::cloud::CloudSettings, x: &mut Exec) {
        let subject = Subject::server("cloud");
        if let Some((path, why)) = cloud.problems("$.cloud").into_iter().next() {
            return x.refuse(
                subject,
                Refusal::InvalidCloudSettings {
                    why: format!("{path}: {why}"),
                },
            );
        }
        if self.ws.cloud == *cloud {
            return x.unchanged(subject, "same Genesys Cloud settings");
        }
        let old = std::mem::replace(&mut Arc::make_mut(&mut self.ws).cloud, cloud.clone());
        x.changes.push(Change {
            subject: subject.clone(),
            key: None,
            before: old.describe(),
            after: cloud.describe(),
        });
        x.inverses.push(Command::SetCloud { cloud: old });
        x.outcome(subject, Outcome::Changed);
    }
}
