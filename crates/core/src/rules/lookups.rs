//! What the subject rules look up for every key and workgroup a subject
//! names — the catalogue entry of a key, the media of a workgroup's queues —
//! remembered for one pass over many subjects (a recount).
//!
//! Names read from a file are shared (`names::intern`), so most lookups hash
//! the name's address instead of its text: at 100k users and stations this
//! halves the time the rules take. Each entry keeps its name alive, so the
//! address cannot be reused by another name while the entry exists; a name
//! not seen at that address (an edit's own copy) is looked up by text.

use rustc_hash::FxHashMap;

use super::coverage::media_mask;
use crate::model::catalog::{self, KeyInfo};
use crate::model::diagnostic::{Diagnostic, DiagnosticCode, Severity};
use crate::model::names::NameSet;
use crate::model::names::{MAX_REMEMBERED, Name, address};
use crate::model::subject::Subject;
use crate::model::workspace::{Method, Station, User, Workspace};
use crate::rules::policy::{self, Plan, Policy, PolicyIndex};

/// Lookups for one pass over a workspace that does not change meanwhile.
pub struct Lookups<'ws> {
    ws: &'ws Workspace,
    keys: FxHashMap<usize, (Option<&'static KeyInfo>, Name)>,
    media: FxHashMap<usize, (u8, Name)>,
    policies: PolicyPass<'ws>,
}

/// Subjects judged against the policies in this pass, and once there are
/// more than a few (a recount, not an edit), the index of the rules and
/// what was said for each combination met.
#[derive(Default)]
struct PolicyPass<'ws> {
    judged: usize,
    index: Option<PolicyIndex>,
    rules: Vec<&'ws Policy>,
    /// The combination being looked up (kept for its memory).
    key: Said,
    /// What a subject is told for a combination (its subject left blank);
    /// the names of its licenses are kept so their addresses stay theirs.
    said: hashbrown::HashTable<(Said, Vec<Diagnostic>, NameSet)>,
    /// What each combination of rules grants (by the rules' places).
    grants: hashbrown::HashMap<Vec<u32>, Grants, rustc_hash::FxBuildHasher>,
}

/// What a subject's policy diagnostics depend on (`policy::judge`): the
/// rules that match it (by place) and, of what it has, only what those
/// rules look at — which of the keys they grant it holds, its method when
/// a rule sets one, its ACD level and interaction types (and its
/// workgroups') under an ACD grant, and every license under an exclusive
/// rule (by the shared names' addresses). Most subjects that match the
/// same rules then share one.
#[derive(Default, Clone, PartialEq, Eq, Hash)]
struct Said {
    rules: Vec<u32>,
    /// Bit `i`: holds the `i`th key the rules grant.
    held: u64,
    licenses: Vec<usize>,
    method: Option<Method>,
    level: Option<catalog::AcdLevel>,
    media: u8,
    queues: u8,
}

/// What a combination of rules grants, as far as the key needs it.
struct Grants {
    /// The keys granted (as `judge` reads them), at most 64.
    keys: Vec<String>,
    method: bool,
    acd: bool,
    /// Exclusive, or more keys than the bits hold: every license counts.
    all_licenses: bool,
}

impl Grants {
    fn of(rules: &[&Policy]) -> Grants {
        let mut keys: Vec<String> = rules
            .iter()
            .flat_map(|p| {
                p.grant
                    .licenses
                    .iter()
                    .map(|k| catalog::canonical(k.trim()).to_string())
            })
            .collect();
        keys.sort_unstable();
        keys.dedup();
        Grants {
            all_licenses: rules.iter().any(|p| p.exclusive) || keys.len() > 64,
            keys,
            method: rules.iter().any(|p| p.grant.method.is_some()),
            acd: rules.iter().any(|p| p.grant.acd.is_some()),
        }
    }
}

/// A subject whose matching rules are looked up.
enum Found<'s> {
    User(&'s User),
    Station(&'s Station),
}

impl<'ws> PolicyPass<'ws> {
    /// Counts a subject judged; true once the pass uses the index (built
    /// then).
    fn indexing(&mut self, ws: &Workspace) -> bool {
        self.judged += 1;
        if self.judged <= JUDGED_WITHOUT_INDEX {
            return false;
        }
        if self.index.is_none() {
            self.index = Some(PolicyIndex::new(&ws.policies));
        }
        true
    }

    /// The rules that match the subject into `rules`; false for none.
    fn find(&mut self, ws: &'ws Workspace, subject: Found) -> bool {
        let Some(index) = self.index.as_mut() else { return false };
        match subject {
            Found::User(u) => index.user_rules(&ws.policies, u, &mut self.rules),
            Found::Station(s) => index.station_rules(&ws.policies, s, &mut self.rules),
        }
        !self.rules.is_empty()
    }

    /// The combination of the rules just found and what the subject holds
    /// that they look at.
    fn key_for(&mut self, licenses: &NameSet, method: Option<Method>, media: u8, queues: u8) -> Said {
        let mut key = std::mem::take(&mut self.key);
        key.rules.clear();
        key.rules
            .extend_from_slice(self.index.as_ref().map_or(&[][..], |i| i.matched()));
        // One lookup for a combination met before.
        let rules = &self.rules;
        let grants = self
            .grants
            .entry_ref(key.rules.as_slice())
            .or_insert_with(|| Grants::of(rules));
        key.held = grants
            .keys
            .iter()
            .enumerate()
            .filter(|(_, k)| licenses.contains(k))
            .fold(0, |bits, (i, _)| bits | 1 << i);
        key.licenses.clear();
        if grants.all_licenses {
            key.licenses.extend(licenses.iter().map(address));
        }
        key.method = method.filter(|_| grants.method);
        key.level = if grants.acd {
            licenses.iter().filter_map(|k| catalog::acd_level_of(k)).max()
        } else {
            None
        };
        key.media = if grants.acd { media } else { 0 };
        key.queues = if grants.acd { queues } else { 0 };
        key
    }
}

/// A remembered diagnostic told to `subject`.
fn told(d: &Diagnostic, subject: Subject) -> Diagnostic {
    Diagnostic {
        severity: d.severity,
        code: d.code,
        subject,
        message: d.message.clone(),
        hint: d.hint.clone(),
    }
}

/// What is said for `key`, worked out by `judge` the first time it is met.
fn remember<'m>(
    said: &'m mut hashbrown::HashTable<(Said, Vec<Diagnostic>, NameSet)>,
    key: &Said,
    licenses: &NameSet,
    judge: impl FnOnce() -> Vec<Diagnostic>,
) -> std::borrow::Cow<'m, [Diagnostic]> {
    use hashbrown::hash_table::Entry;
    use std::borrow::Cow;
    use std::hash::BuildHasher;
    let hash = rustc_hash::FxBuildHasher.hash_one(key);
    let full = said.len() >= MAX_REMEMBERED;
    // One probe for a combination met before (most subjects of a recount):
    // comparing keys is much of the cost.
    let same = |e: &(Said, Vec<Diagnostic>, NameSet)| &e.0 == key;
    match said.entry(hash, same, |e| rustc_hash::FxBuildHasher.hash_one(&e.0)) {
        Entry::Occupied(e) => Cow::Borrowed(e.into_mut().1.as_slice()),
        Entry::Vacant(v) => {
            let words = judge();
            if full {
                return Cow::Owned(words);
            }
            // The names only matter while their addresses are in the key.
            let names = if key.licenses.is_empty() {
                NameSet::default()
            } else {
                licenses.clone()
            };
            Cow::Borrowed(v.insert((key.clone(), words, names)).into_mut().1.as_slice())
        }
    }
}

/// Subjects judged rule by rule before a pass builds the index: an edit
/// judges one or two, where building it would cost more than it saves.
const JUDGED_WITHOUT_INDEX: usize = 16;

impl<'ws> Lookups<'ws> {
    pub fn new(ws: &'ws Workspace) -> Self {
        Lookups {
            ws,
            keys: FxHashMap::default(),
            media: FxHashMap::default(),
            policies: PolicyPass::default(),
        }
    }

    /// A user's `policy-drift` and `policy-conflict` diagnostics: judged
    /// rule by rule for the first few of a pass, then through the index,
    /// with what is said worked out once per combination of matching rules
    /// and what the user holds (in a recount most users share one).
    pub fn user_policy_diagnostics(&mut self, u: &User, out: &mut Vec<Diagnostic>) {
        let ws = self.ws;
        let subject = || Subject::user(u.id.clone());
        if !self.policies.indexing(ws) {
            let mut plan = Plan::default();
            if policy::judge_user(ws, u, &mut plan) {
                policy_diagnostics(&plan, subject(), out);
            }
            return;
        }
        if !self.policies.find(ws, Found::User(u)) {
            return;
        }
        // The workgroups' media only count for an ACD grant.
        let queues = if self.policies.rules.iter().any(|p| p.grant.acd.is_some()) {
            u.workgroups.iter().fold(0, |m, w| m | self.workgroup_media(w))
        } else {
            0
        };
        let pass = &mut self.policies;
        let key = pass.key_for(&u.licenses, Some(u.method), media_mask(&u.acd_media_types), queues);
        let rules = &pass.rules;
        let said = remember(&mut pass.said, &key, &u.licenses, || {
            let mut plan = Plan::default();
            let mut said = Vec::new();
            if policy::judge_user_rules(ws, u, rules, &mut plan) {
                policy_diagnostics(&plan, subject(), &mut said);
            }
            said
        });
        out.extend(said.iter().map(|d| told(d, subject())));
        pass.key = key;
    }

    /// A station's policy diagnostics, as `user_policy_diagnostics`.
    pub fn station_policy_diagnostics(&mut self, s: &Station, out: &mut Vec<Diagnostic>) {
        let ws = self.ws;
        let subject = || Subject::station(s.id.clone());
        if !self.policies.indexing(ws) {
            let mut plan = Plan::default();
            if policy::judge_station(ws, s, &mut plan) {
                policy_diagnostics(&plan, subject(), out);
            }
            return;
        }
        if !self.policies.find(ws, Found::Station(s)) {
            return;
        }
        let pass = &mut self.policies;
        let key = pass.key_for(&s.licenses, None, media_mask(&s.acd_media_types), 0);
        let rules = &pass.rules;
        let said = remember(&mut pass.said, &key, &s.licenses, || {
            let mut plan = Plan::default();
            let mut said = Vec::new();
            if policy::judge_station_rules(s, rules, &mut plan) {
                policy_diagnostics(&plan, subject(), &mut said);
            }
            said
        });
        out.extend(said.iter().map(|d| told(d, subject())));
        pass.key = key;
    }

    pub fn workspace(&self) -> &'ws Workspace {
        self.ws
    }

    /// The catalogue's entry for a key (aliases included).
    pub fn key(&mut self, key: &Name) -> Option<&'static KeyInfo> {
        if let Some(&(info, _)) = self.keys.get(&address(key)) {
            return info;
        }
        let info = catalog::lookup(key);
        if self.keys.len() < MAX_REMEMBERED {
            self.keys.insert(address(key), (info, key.clone()));
        }
        info
    }

    /// The media of a workgroup's queues as a mask (none when the
    /// workspace has no such workgroup).
    pub fn workgroup_media(&mut self, name: &Name) -> u8 {
        if let Some(&(mask, _)) = self.media.get(&address(name)) {
            return mask;
        }
        let mask = self.ws.workgroup(name).map_or(0, |wg| media_mask(&wg.media));
        if self.media.len() < MAX_REMEMBERED {
            self.media.insert(address(name), (mask, name.clone()));
        }
        mask
    }
}

/// `policy-drift` (holds less than its policies grant, or more under an
/// exclusive one) and `policy-conflict` (two rules disagree) for one
/// subject's plan.
fn policy_diagnostics(plan: &Plan, subject: Subject, out: &mut Vec<Diagnostic>) {
    for c in &plan.conflicts {
        out.push(Diagnostic::new(
            Severity::Warning,
            DiagnosticCode::PolicyConflict,
            subject.clone(),
            c.message.clone(),
            "Change one of the policies, or their match, so that they agree",
        ));
    }
    if let Some((rules, what)) = policy::drift_words(plan) {
        out.push(Diagnostic::new(
            Severity::Warning,
            DiagnosticCode::PolicyDrift,
            subject,
            format!(
                "{what}, as policy {} grants",
                rules.iter().map(|r| format!("“{r}”")).collect::<Vec<_>>().join(" and ")
            ),
            "Apply policies in the Policies view (Apply policies), or change the policy",
        ));
    }
}
