//! Renewals and upgrades: what changes between two licenses, and what that
//! does to the workspace before anything is loaded. (The right-sizing
//! report, add / reduce / keep per key, is `analysis/recommend.rs`.)

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::Serialize;

use crate::edit::document::Document;
use crate::engine::Engine;
use crate::model::catalog;
use crate::model::diagnostic::{Diagnostic, Severity};
use crate::model::license::License;

/// An old and a new value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change<T> {
    pub old: T,
    pub new: T,
}

fn change<T: PartialEq + Clone>(old: &T, new: &T) -> Option<Change<T>> {
    (old != new).then(|| Change {
        old: old.clone(),
        new: new.clone(),
    })
}

/// Counts of one key before and after (absent = 0).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeyChange {
    pub key: String,
    pub label: String,
    pub old_assigned: u32,
    pub new_assigned: u32,
    pub old_pooled: u32,
    pub new_pooled: u32,
}

impl KeyChange {
    /// True when the new license gives fewer of this key.
    pub fn is_reduction(&self) -> bool {
        self.new_assigned < self.old_assigned || self.new_pooled < self.old_pooled
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemChange {
    pub part_number: String,
    pub description: String,
    pub old_quantity: i64,
    pub new_quantity: i64,
}

/// Everything that differs between two licenses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LicenseDiff {
    pub product: Option<Change<String>>,
    pub product_version: Option<Change<String>>,
    pub level: Option<Change<String>>,
    pub host_id: Option<Change<String>>,
    pub machine_name: Option<Change<String>>,
    pub expires: Option<Change<NaiveDate>>,
    pub features_added: Vec<String>,
    pub features_removed: Vec<String>,
    /// Changed keys only; a key absent on one side counts 0 there.
    pub licenses: Vec<KeyChange>,
    pub ordered_items: Vec<ItemChange>,
    /// What the changes mean, in words.
    pub notes: Vec<String>,
}

impl LicenseDiff {
    pub fn is_empty(&self) -> bool {
        self.product.is_none()
            && self.product_version.is_none()
            && self.level.is_none()
            && self.host_id.is_none()
            && self.machine_name.is_none()
            && self.expires.is_none()
            && self.features_added.is_empty()
            && self.features_removed.is_empty()
            && self.licenses.is_empty()
            && self.ordered_items.is_empty()
    }
}

/// A license's host ID in words for a comparison: a virtual-cloud license
/// has none (it checks in with Genesys Cloud instead), which a blank would
/// not say.
pub fn host_id_words(license: &License) -> String {
    let host = license.file.server.host_id.trim();
    match (host.is_empty(), license.is_virtual_cloud()) {
        (false, _) => host.to_string(),
        (true, true) => "none (virtual cloud)".to_string(),
        (true, false) => "none".to_string(),
    }
}

/// Compares two licenses; `server_host_id` is the workspace's server host ID
/// (when known) to say whether a new host ID will work.
pub fn diff(old: &License, new: &License, server_host_id: Option<&str>) -> LicenseDiff {
    let (o, n) = (&old.file, &new.file);
    let mut notes = Vec::new();
    let host_id = change(&o.server.host_id, &n.server.host_id);
    if host_id.is_some() || old.is_virtual_cloud() != new.is_virtual_cloud() {
        if new.is_virtual_cloud() {
            notes.push(
                "The new license uses virtual cloud licensing: it has no host ID and needs Genesys Cloud \
                check-ins (see Cloud Enforcement)."
                    .into(),
            );
        } else {
            match server_host_id.map(str::trim).filter(|h| !h.is_empty()) {
                Some(h) if h.eq_ignore_ascii_case(n.server.host_id.trim()) => {
                    notes.push(format!(
                        "The new host ID {} matches this server's host ID.",
                        n.server.host_id
                    ));
                }
                Some(h) => notes.push(format!(
                    "The new host ID {} does not match this server's host ID {h}: the license will not work on this \
                        server.",
                    n.server.host_id
                )),
                None => notes.push(format!(
                    "The new license is locked to host ID {}; it must match the server's host ID (GetHostID).",
                    n.server.host_id
                )),
            }
        }
    }
    let level = change(&o.level.code().to_string(), &n.level.code().to_string());
    if let Some(l) = &level {
        notes.push(format!("License level changes from {} to {}.", l.old, l.new));
    }
    if n.level == crate::model::license::Level::Evaluation {
        let added = added_components(old, new);
        if !added.is_empty() {
            notes.push(format!(
                "An evaluation license cannot add other components to its pre-defined configuration, but this \
                    one adds {}. Ask for a production or trial license instead.",
                added.join(", ")
            ));
        }
    }
    let expires = change(&o.expires, &n.expires);
    if let Some(e) = &expires {
        notes.push(if e.new < e.old {
            format!("The new license expires earlier: {} instead of {}.", e.new, e.old)
        } else {
            format!("The new license runs longer: to {} instead of {}.", e.new, e.old)
        });
    }
    let canon = |v: &[String]| -> BTreeSet<String> { v.iter().map(|f| catalog::canonical(f).to_string()).collect() };
    let (of, nf) = (canon(&o.features), canon(&n.features));
    let features_added: Vec<String> = nf.difference(&of).cloned().collect();
    let features_removed: Vec<String> = of.difference(&nf).cloned().collect();
    let mut keys: Vec<String> = old.allowances().iter().map(|a| a.key.clone()).collect();
    for a in new.allowances() {
        if !keys.contains(&a.key) {
            keys.push(a.key.clone());
        }
    }
    let licenses = keys
        .into_iter()
        .filter_map(|key| {
            let (oa, op) = old.allowance(&key).map_or((0, 0), |a| (a.assigned, a.pooled));
            let (na, np) = new.allowance(&key).map_or((0, 0), |a| (a.assigned, a.pooled));
            ((oa, op) != (na, np)).then(|| KeyChange {
                label: catalog::label(&key).to_string(),
                key,
                old_assigned: oa,
                new_assigned: na,
                old_pooled: op,
                new_pooled: np,
            })
        })
        .collect();
    let mut items: BTreeMap<String, (String, i64, i64)> = BTreeMap::new();
    for i in &o.ordered_items {
        items
            .entry(i.part_number.clone())
            .or_insert((i.description.clone(), 0, 0))
            .1 += i.quantity;
    }
    for i in &n.ordered_items {
        items
            .entry(i.part_number.clone())
            .or_insert((i.description.clone(), 0, 0))
            .2 += i.quantity;
    }
    let ordered_items = items
        .into_iter()
        .filter(|(_, (_, a, b))| a != b)
        .map(|(part_number, (description, old_quantity, new_quantity))| ItemChange {
            part_number,
            description,
            old_quantity,
            new_quantity,
        })
        .collect();
    LicenseDiff {
        product: change(&o.product, &n.product),
        product_version: change(&o.product_version, &n.product_version),
        level,
        host_id,
        machine_name: change(&o.server.machine_name, &n.server.machine_name),
        expires,
        features_added,
        features_removed,
        licenses,
        ordered_items,
        notes,
    }
}

/// Keys and features the new license has that the old one lacks or gives
/// more of (seed, Evaluation: "You cannot add other components to the
/// pre-defined configuration for this license").
fn added_components(old: &License, new: &License) -> Vec<String> {
    let has_feature = |l: &License, f: &str| l.file.features.iter().any(|g| catalog::canonical(g) == f);
    let mut added: Vec<String> = new
        .file
        .features
        .iter()
        .map(|f| catalog::canonical(f))
        .filter(|f| !has_feature(old, f))
        .map(str::to_string)
        .collect();
    for a in new.allowances() {
        let (oa, op) = old.allowance(&a.key).map_or((0, 0), |o| (o.assigned, o.pooled));
        if a.assigned > oa || a.pooled > op {
            added.push(a.key.clone());
        }
    }
    added
}

/// The diagnostics the workspace would gain and lose under a new license.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Impact {
    pub new: Vec<Diagnostic>,
    pub resolved: Vec<Diagnostic>,
}

impl Impact {
    pub fn has_new_errors(&self) -> bool {
        self.new.iter().any(|d| d.severity == Severity::Error)
    }
}

/// What loading `new` would do to the document's diagnostics; nothing changes.
pub fn impact(doc: &Document, new: &License) -> Impact {
    let mut after = Engine::build(doc.workspace(), new, doc.today());
    if !doc.engine().media_servers().is_empty() {
        after.set_media_servers(doc.engine().media_servers().to_vec());
        after.refresh(doc.workspace(), new, doc.today(), &Default::default(), false);
    }
    let id = |d: &Diagnostic| (d.code, d.subject.clone());
    let before: Vec<&Diagnostic> = doc.engine().diagnostics();
    let after_list: Vec<&Diagnostic> = after.diagnostics();
    let before_ids: BTreeSet<_> = before.iter().map(|d| id(d)).collect();
    let after_ids: BTreeSet<_> = after_list.iter().map(|d| id(d)).collect();
    Impact {
        new: after_list
            .iter()
            .filter(|d| !before_ids.contains(&id(d)))
            .map(|d| (*d).clone())
            .collect(),
        resolved: before
            .iter()
            .filter(|d| !after_ids.contains(&id(d)))
            .map(|d| (*d).clone())
            .collect(),
    }
}
