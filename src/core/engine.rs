//! The engine: derived data — configured counts, indexes (key → holders,
//! workgroup → members) and diagnostics — kept up to date incrementally from
//! what each command touched. `Engine::build` recounts from scratch; tests
//! compare the two.

use std::collections::BTreeSet;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use chrono::NaiveDate;
use serde::Serialize;

use super::catalog;
use super::license::License;
use super::rules::{self, Configured, Diagnostic, Severity, SubjectKind};
use super::workspace::{Method, Workspace, fold};

/// A subject as the engine indexes it: kind and case-folded id.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SubjectKey {
    pub kind: SubjectKind,
    pub id: String,
}

impl SubjectKey {
    pub fn user(id: &str) -> Self {
        SubjectKey {
            kind: SubjectKind::User,
            id: fold(id),
        }
    }
    pub fn station(id: &str) -> Self {
        SubjectKey {
            kind: SubjectKind::Station,
            id: fold(id),
        }
    }
}

/// What a change touched; the engine recomputes only that.
#[derive(Debug, Clone, Default)]
pub struct Touched {
    pub users: BTreeSet<String>,
    pub stations: BTreeSet<String>,
    pub workgroups: BTreeSet<String>,
}

impl Touched {
    pub fn user(&mut self, id: &str) {
        self.users.insert(fold(id));
    }
    pub fn station(&mut self, id: &str) {
        self.stations.insert(fold(id));
    }
    pub fn workgroup(&mut self, name: &str) {
        self.workgroups.insert(fold(name));
    }
    pub fn is_empty(&self) -> bool {
        self.users.is_empty() && self.stations.is_empty() && self.workgroups.is_empty()
    }
    pub fn extend(&mut self, other: Touched) {
        self.users.extend(other.users);
        self.stations.extend(other.stations);
        self.workgroups.extend(other.workgroups);
    }
}

/// One row of Licenses Allocation (IA's columns).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeyCounts {
    pub key: String,
    pub label: String,
    pub assignable_allowed: u32,
    pub assignable_configured: u32,
    pub concurrent_allowed: u32,
    pub concurrent_configured: u32,
    pub concurrent_in_use: u32,
    pub notes: String,
}

impl KeyCounts {
    /// Over its limit (highlighted in the view).
    pub fn over_limit(&self) -> bool {
        self.assignable_configured > self.assignable_allowed
            || (self.concurrent_configured > 0 && self.concurrent_allowed == 0)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Contribution {
    assignable: bool,
    keys: Vec<String>,
    workgroups: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Engine {
    contributions: HashMap<SubjectKey, Contribution>,
    configured: HashMap<String, Configured>,
    holders: HashMap<String, HashSet<SubjectKey>>,
    members: HashMap<String, BTreeSet<String>>,
    subject_diags: HashMap<SubjectKey, Vec<Diagnostic>>,
    key_diags: HashMap<String, Vec<Diagnostic>>,
    server_diags: Vec<Diagnostic>,
    in_use: HashMap<String, u32>,
    media_servers: Vec<rules::MediaServerStatus>,
    totals: [usize; 3],
    /// Bumped on every change, so views can cache what they derive.
    revision: u64,
}

fn severity_index(s: Severity) -> usize {
    match s {
        Severity::Error => 0,
        Severity::Warning => 1,
        Severity::Info => 2,
    }
}

impl Engine {
    /// Everything from scratch.
    pub fn build(ws: &Workspace, license: &License, today: NaiveDate) -> Engine {
        // One pass over the lists: no touched sets, no lookups by id.
        let mut engine = Engine::default();
        engine.contributions.reserve(ws.users().len() + ws.stations().len());
        let mut keys: HashSet<String> = HashSet::default();
        for u in ws.users() {
            let sk = SubjectKey::user(&u.id);
            let c = Contribution {
                assignable: u.method == Method::Assignable,
                keys: u.licenses.iter().cloned().collect(),
                workgroups: u.workgroups.iter().map(|w| fold(w)).collect(),
            };
            engine.swap_contribution(&sk, Some(c), &mut keys);
            let mut out = Vec::new();
            rules::user_diagnostics(u, ws, &mut out);
            if !out.is_empty() {
                engine.set_subject_diags(sk, Some(out));
            }
        }
        for s in ws.stations() {
            let sk = SubjectKey::station(&s.id);
            let c = Contribution {
                assignable: true,
                keys: s.licenses.iter().cloned().collect(),
                workgroups: Vec::new(),
            };
            engine.swap_contribution(&sk, Some(c), &mut keys);
            let mut out = Vec::new();
            rules::station_diagnostics(s, &mut out);
            if !out.is_empty() {
                engine.set_subject_diags(sk, Some(out));
            }
        }
        engine.refresh(ws, license, today, &Touched::default(), true);
        engine
    }

    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// Brings the engine up to date after a change. `all_keys` re-checks
    /// every key (after a license change).
    pub fn refresh(&mut self, ws: &Workspace, license: &License, today: NaiveDate, touched: &Touched, all_keys: bool) {
        self.revision += 1;
        let mut keys: HashSet<String> = HashSet::default();
        let mut diag_users: BTreeSet<String> = BTreeSet::new();
        for id in &touched.users {
            let sk = SubjectKey {
                kind: SubjectKind::User,
                id: id.clone(),
            };
            let new = ws.user(id).map(|u| Contribution {
                assignable: u.method == Method::Assignable,
                keys: u.licenses.iter().cloned().collect(),
                workgroups: u.workgroups.iter().map(|w| fold(w)).collect(),
            });
            self.swap_contribution(&sk, new, &mut keys);
            diag_users.insert(id.clone());
        }
        for id in &touched.stations {
            let sk = SubjectKey {
                kind: SubjectKind::Station,
                id: id.clone(),
            };
            let new = ws.station(id).map(|s| Contribution {
                assignable: true,
                keys: s.licenses.iter().cloned().collect(),
                workgroups: Vec::new(),
            });
            self.swap_contribution(&sk, new, &mut keys);
            self.set_subject_diags(
                sk,
                ws.station(id).map(|s| {
                    let mut out = Vec::new();
                    rules::station_diagnostics(s, &mut out);
                    out
                }),
            );
        }
        for wg in &touched.workgroups {
            if let Some(members) = self.members.get(wg) {
                diag_users.extend(members.iter().cloned());
            }
        }
        for id in diag_users {
            let diags = ws.user(&id).map(|u| {
                let mut out = Vec::new();
                rules::user_diagnostics(u, ws, &mut out);
                out
            });
            self.set_subject_diags(
                SubjectKey {
                    kind: SubjectKind::User,
                    id,
                },
                diags,
            );
        }
        if all_keys {
            keys.extend(self.configured.keys().cloned());
            keys.extend(self.key_diags.keys().cloned());
        }
        for key in keys {
            let mut out = Vec::new();
            rules::key_diagnostics(&key, self.configured(&key), license, &mut out);
            let old = if out.is_empty() {
                self.key_diags.remove(&key)
            } else {
                self.key_diags.insert(key, out.clone())
            };
            self.count(old.as_deref().unwrap_or(&[]), -1);
            self.count(&out, 1);
        }
        let mut server = Vec::new();
        rules::server_diagnostics(ws, license, today, &mut server);
        rules::media_server_diagnostics(&self.media_servers, license, &mut server);
        let old = std::mem::replace(&mut self.server_diags, server.clone());
        self.count(&old, -1);
        self.count(&server, 1);
    }

    fn swap_contribution(&mut self, sk: &SubjectKey, new: Option<Contribution>, keys: &mut HashSet<String>) {
        let old = self.contributions.remove(sk);
        if old == new {
            if let Some(c) = new {
                self.contributions.insert(sk.clone(), c);
            }
            return;
        }
        if let Some(old) = old {
            for k in &old.keys {
                let c = self.configured.entry(k.clone()).or_default();
                bump(c, old.assignable, sk.kind, -1);
                if let Some(h) = self.holders.get_mut(k) {
                    h.remove(sk);
                }
                keys.insert(k.clone());
            }
            for wg in &old.workgroups {
                if let Some(m) = self.members.get_mut(wg) {
                    m.remove(&sk.id);
                }
            }
        }
        if let Some(new) = new {
            for k in &new.keys {
                let c = self.configured.entry(k.clone()).or_default();
                bump(c, new.assignable, sk.kind, 1);
                self.holders.entry(k.clone()).or_default().insert(sk.clone());
                keys.insert(k.clone());
            }
            for wg in &new.workgroups {
                self.members.entry(wg.clone()).or_default().insert(sk.id.clone());
            }
            self.contributions.insert(sk.clone(), new);
        }
    }

    fn set_subject_diags(&mut self, sk: SubjectKey, diags: Option<Vec<Diagnostic>>) {
        let new = diags.unwrap_or_default();
        self.count(&new, 1);
        let old = if new.is_empty() {
            self.subject_diags.remove(&sk)
        } else {
            self.subject_diags.insert(sk, new)
        };
        if let Some(old) = old {
            self.count(&old, -1);
        }
    }

    fn count(&mut self, diags: &[Diagnostic], sign: i64) {
        for d in diags {
            let slot = &mut self.totals[severity_index(d.severity)];
            *slot = if sign > 0 { *slot + 1 } else { slot.saturating_sub(1) };
        }
    }

    /// Configured counts of a key.
    pub fn configured(&self, key: &str) -> Configured {
        self.configured.get(key).copied().unwrap_or_default()
    }

    /// Holders of a key (folded ids).
    pub fn holders(&self, key: &str) -> impl Iterator<Item = &SubjectKey> {
        self.holders.get(key).into_iter().flatten()
    }

    /// Members of a workgroup (folded user ids).
    pub fn members(&self, workgroup: &str) -> impl Iterator<Item = &String> {
        self.members.get(&fold(workgroup)).into_iter().flatten()
    }

    pub fn set_media_servers(&mut self, media: Vec<rules::MediaServerStatus>) {
        self.media_servers = media;
    }

    pub fn media_servers(&self) -> &[rules::MediaServerStatus] {
        &self.media_servers
    }

    pub fn set_in_use(&mut self, in_use: HashMap<String, u32>) {
        self.in_use = in_use;
        self.revision += 1;
    }

    /// (errors, warnings, infos).
    pub fn totals(&self) -> (usize, usize, usize) {
        (self.totals[0], self.totals[1], self.totals[2])
    }

    pub fn has_errors(&self) -> bool {
        self.totals[0] > 0
    }

    /// Diagnostics of one subject.
    pub fn diagnostics_of(&self, kind: SubjectKind, id: &str) -> &[Diagnostic] {
        self.subject_diags
            .get(&SubjectKey { kind, id: fold(id) })
            .map_or(&[], Vec::as_slice)
    }

    /// Every diagnostic, ordered by severity, code and subject.
    pub fn diagnostics(&self) -> Vec<&Diagnostic> {
        let mut all: Vec<&Diagnostic> = self
            .server_diags
            .iter()
            .chain(self.key_diags.values().flatten())
            .chain(self.subject_diags.values().flatten())
            .collect();
        all.sort_by(|a, b| {
            (a.severity, &a.code, a.subject.kind, &a.subject.id).cmp(&(
                b.severity,
                &b.code,
                b.subject.kind,
                &b.subject.id,
            ))
        });
        all
    }

    /// Licenses Allocation rows: the license's keys in file order, then keys
    /// configured but absent from the license.
    pub fn counts(&self, license: &License) -> Vec<KeyCounts> {
        let mut rows: Vec<KeyCounts> = license.allowances().iter().map(|a| self.row(&a.key, license)).collect();
        let mut extra: Vec<&String> = self
            .configured
            .iter()
            .filter(|(k, c)| c.assignable + c.concurrent > 0 && license.allowance(k).is_none())
            .map(|(k, _)| k)
            .collect();
        extra.sort();
        rows.extend(extra.into_iter().map(|k| self.row(k, license)));
        rows
    }

    pub fn row(&self, key: &str, license: &License) -> KeyCounts {
        let c = self.configured(key);
        let allowance = license.allowance(key);
        let (aa, ca) = allowance.map_or((0, 0), |a| (a.assigned, a.pooled));
        let in_use = self.in_use.get(key).copied().unwrap_or(0);
        let mut notes = Vec::new();
        if allowance.is_none() {
            notes.push("Not in the license file".to_string());
        }
        if allowance.is_some() && c.assignable > aa {
            notes.push(format!(
                "Assignable configured ({}) exceeds the {aa} allowed",
                c.assignable
            ));
        }
        if allowance.is_some() && c.concurrent > 0 && ca == 0 {
            notes.push("No concurrent licenses in the license file".to_string());
        } else if c.concurrent > ca && ca > 0 {
            notes.push(format!(
                "Concurrent configured ({}) exceeds the {ca} allowed: at most {ca} at once",
                c.concurrent
            ));
        }
        KeyCounts {
            key: key.to_string(),
            label: catalog::label(key).to_string(),
            assignable_allowed: aa,
            assignable_configured: c.assignable,
            concurrent_allowed: ca,
            concurrent_configured: c.concurrent,
            concurrent_in_use: in_use,
            notes: notes.join("; "),
        }
    }

    /// Compares with a from-scratch build (tests and debug checks).
    pub fn same_as(&self, other: &Engine) -> bool {
        let nonzero = |m: &HashMap<String, Configured>| -> HashMap<String, Configured> {
            m.iter()
                .filter(|(_, c)| **c != Configured::default())
                .map(|(k, c)| (k.clone(), *c))
                .collect()
        };
        let holders = |m: &HashMap<String, HashSet<SubjectKey>>| -> HashMap<String, HashSet<SubjectKey>> {
            m.iter()
                .filter(|(_, h)| !h.is_empty())
                .map(|(k, h)| (k.clone(), h.clone()))
                .collect()
        };
        let members = |m: &HashMap<String, BTreeSet<String>>| -> HashMap<String, BTreeSet<String>> {
            m.iter()
                .filter(|(_, h)| !h.is_empty())
                .map(|(k, h)| (k.clone(), h.clone()))
                .collect()
        };
        let diags = |e: &Engine| -> Vec<Diagnostic> { e.diagnostics().into_iter().cloned().collect() };
        nonzero(&self.configured) == nonzero(&other.configured)
            && holders(&self.holders) == holders(&other.holders)
            && members(&self.members) == members(&other.members)
            && diags(self) == diags(other)
            && self.totals == other.totals
    }
}

fn bump(c: &mut Configured, assignable: bool, kind: SubjectKind, sign: i32) {
    let add = |v: &mut u32| {
        *v = if sign > 0 {
            v.saturating_add(1)
        } else {
            v.saturating_sub(1)
        };
    };
    if assignable {
        add(&mut c.assignable);
    } else {
        add(&mut c.concurrent);
    }
    match kind {
        SubjectKind::Station => add(&mut c.stations),
        _ => add(&mut c.users),
    }
}

/// One row of the ordered-item view (AFMT's Account Summary columns).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrderedRow {
    pub part_number: String,
    pub product_category: String,
    pub description: String,
    pub total: i64,
    /// `None` for parts the catalogue does not know.
    pub used: Option<i64>,
    pub available: Option<i64>,
}

impl Engine {
    /// Ordered items with Total / Used / Available. A key's demand (its
    /// assignable configured count plus the concurrent configured count up to
    /// the pool) is served by the parts that expand to it, in file order; a
    /// part's used units are the most any of its keys takes from it. Server
    /// items count as used by the license itself, development systems only
    /// on a development license.
    pub fn ordered_items(&self, license: &License) -> Vec<OrderedRow> {
        use super::parts::{self, PartKind};
        let mut demand: HashMap<&str, i64> = HashMap::default();
        let mut rows = Vec::new();
        for item in &license.file.ordered_items {
            let part = parts::lookup(&item.part_number);
            let used = part.map(|p| {
                if p.kind == PartKind::Server {
                    let dev = p.part_number.contains("-IDS");
                    return if !dev || license.file.level.development_size().is_some() {
                        item.quantity
                    } else {
                        0
                    };
                }
                let mut used = 0;
                for key in p.keys {
                    let left = *demand.entry(key).or_insert_with(|| {
                        let c = self.configured(key);
                        let pooled = license.allowance(key).map_or(0, |a| a.pooled);
                        i64::from(c.assignable) + i64::from(c.concurrent.min(pooled))
                    });
                    used = used.max(left.min(item.quantity));
                }
                for key in p.keys {
                    if let Some(left) = demand.get_mut(key) {
                        *left = (*left - used).max(0);
                    }
                }
                used
            });
            rows.push(OrderedRow {
                part_number: item.part_number.clone(),
                product_category: part.map_or_else(String::new, |p| p.product_category.to_string()),
                description: item.description.clone(),
                total: item.quantity,
                used,
                available: used.map(|u| item.quantity - u),
            });
        }
        rows
    }
}
