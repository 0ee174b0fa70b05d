//! License policies (workspace `policies`): ordered rules that say who
//! should hold what — *match* (role, workgroup, station type, ID pattern,
//! all optional, combined with AND) → *grant* (license keys, method, ACD
//! level and interaction types, or the lowest level that covers the
//! subject's workgroups). A subject's grants are the union of its matching
//! rules; two methods or two ACD levels are a conflict naming both rules.
//! Applying is one command built from the existing ones (one undo step,
//! the change log); see docs/policies.md.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::model::catalog::{self, AcdLevel};
use crate::model::id_pattern::IdPattern;
use crate::model::subject::Subject;
use crate::model::workspace::{MediaType, Method, User, Workspace, fold};

mod index;
pub use crate::model::workspace::policies::{AcdGrant, AppliesTo, Grant, Match, Policy};
pub use index::PolicyIndex;

mod credit;
use credit::credit;

/// A rule prepared for matching many subjects: names folded or resolved to
/// the workspace's spelling once, not per subject.
struct Compiled<'a> {
    policy: &'a Policy,
    to: AppliesTo,
    role: Option<String>,
    /// The workgroup as the workspace spells it (memberships use it);
    /// `Some(None)` when no workgroup of that name exists.
    workgroup: Option<Option<String>>,
    pattern: Option<IdPattern>,
    /// With a workgroup: which users (by position) are its members.
    members: Vec<bool>,
}

impl<'a> Compiled<'a> {
    fn new(policy: &'a Policy, ws: &Workspace) -> Self {
        let m = &policy.matches;
        Compiled {
            policy,
            to: policy.applies_to(),
            role: m.role.as_deref().map(fold),
            workgroup: m.workgroup.as_ref().map(|w| ws.workgroup(w).map(|g| g.name.clone())),
            pattern: m.id_pattern.clone(),
            members: Vec::new(),
        }
    }

    fn matches_user(&self, at: usize, u: &User, id: &mut Option<String>, roles: &mut Option<Vec<String>>) -> bool {
        let m = &self.policy.matches;
        if self.to != AppliesTo::Users || m.station_type.is_some() {
            return false;
        }
        if self.workgroup.is_some() && !self.members.get(at).copied().unwrap_or(false) {
            return false;
        }
        if let Some(r) = &self.role {
            let roles = roles.get_or_insert_with(|| u.roles.iter().map(|x| fold(x)).collect());
            if !roles.iter().any(|x| x == r) {
                return false;
            }
        }
        if let Some(p) = &self.pattern {
            let id = id.get_or_insert_with(|| fold(&u.id));
            if !p.matches_folded(id) {
                return false;
            }
        }
        true
    }

    fn matches_station(&self, s: &crate::model::workspace::Station, id: &mut Option<String>) -> bool {
        let m = &self.policy.matches;
        self.to == AppliesTo::Stations
            && m.role.is_none()
            && m.workgroup.is_none()
            && m.station_type.is_none_or(|t| t == s.kind)
            && self
                .pattern
                .as_ref()
                .is_none_or(|p| p.matches_folded(id.get_or_insert_with(|| fold(&s.id))))
    }
}

/// What one subject should change to match its policies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub subject: Subject,
    pub add: Vec<String>,
    pub remove: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<Method>,
    /// The ACD level and types to set (`None` when they already match).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub acd: Option<(AcdLevel, BTreeSet<MediaType>)>,
    /// The rules the change comes from: those that grant or remove what
    /// changes (not every rule the subject matches), in policy order.
    #[serde(skip)]
    pub rules: Vec<String>,
    /// Which rules each part of the change comes from.
    #[serde(skip)]
    pub credit: Vec<(Part, Vec<String>)>,
}

/// A part of a subject's change, for crediting it to its rules.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Part {
    /// A key to add: credited to the rules that grant it.
    Add(String),
    /// A key to remove: credited to the exclusive rules (which grant
    /// everything the subject may keep).
    Remove(String),
    /// The method: credited to the rules that grant that method.
    Method,
    /// The ACD level and types: credited to the rules with an ACD grant.
    Acd,
}

impl Change {
    /// The rules a part of the change is credited to.
    pub fn credited(&self, part: &Part) -> &[String] {
        self.credit
            .iter()
            .find(|(p, _)| p == part)
            .map_or(&[], |(_, rules)| rules.as_slice())
    }
}

impl Change {
    pub fn is_empty(&self) -> bool {
        self.add.is_empty() && self.remove.is_empty() && self.method.is_none() && self.acd.is_none()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Conflict {
    pub subject: Subject,
    pub rules: Vec<String>,
    pub message: String,
}

/// The policies' verdict on a workspace: what would change and what
/// conflicts; subjects no rule matches are not listed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    pub changes: Vec<Change>,
    pub unchanged: usize,
    pub conflicts: Vec<Conflict>,
    /// Users and stations each rule matches, by rule name.
    pub matched: BTreeMap<String, (usize, usize)>,
}

/// The workgroups' media of a user.
fn queue_media(u: &User, ws: &Workspace) -> BTreeSet<MediaType> {
    u.workgroups
        .iter()
        .filter_map(|w| ws.workgroup(w))
        .flat_map(|w| w.media.iter().copied())
        .collect()
}

/// The lowest ACD level that takes these types.
fn lowest_level(media: &BTreeSet<MediaType>) -> AcdLevel {
    AcdLevel::ALL
        .into_iter()
        .find(|l| l.capacity().is_none_or(|c| media.len() <= c))
        .unwrap_or(AcdLevel::Media3Plus)
}

/// One subject's desired state from its matching rules, against what it
/// holds now.
fn judge(
    subject: &dyn Fn() -> Subject,
    rules: &[&Policy],
    licenses: &crate::model::workspace::NameSet,
    method: Option<Method>,
    current_media: &BTreeSet<MediaType>,
    queues: &BTreeSet<MediaType>,
    plan: &mut Plan,
) {
    let mut want: BTreeSet<&str> = BTreeSet::new();
    // Which rules grant each key: a change is credited to those.
    let mut granted_by: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let mut methods: Vec<(Method, &str)> = Vec::new();
    let mut levels: Vec<(AcdLevel, &str)> = Vec::new();
    let mut media: BTreeSet<MediaType> = BTreeSet::new();
    let mut wants_acd = false;
    for p in rules {
        for k in &p.grant.licenses {
            let k = catalog::canonical(k.trim());
            want.insert(k);
            let by = granted_by.entry(k).or_default();
            if !by.contains(&p.name.as_str()) {
                by.push(&p.name);
            }
        }
        if let Some(m) = p.grant.method
            && !methods.iter().any(|(x, _)| *x == m)
        {
            methods.push((m, &p.name));
        }
        if let Some(acd) = &p.grant.acd {
            wants_acd = true;
            let level = acd.level.unwrap_or_else(|| lowest_level(queues));
            if !levels.iter().any(|(x, _)| *x == level) {
                levels.push((level, &p.name));
            }
            media.extend(if acd.media.is_empty() {
                queues.clone()
            } else {
                acd.media.clone()
            });
        }
    }
    let mut conflict = false;
    if methods.len() > 1 {
        conflict = true;
        plan.conflicts.push(Conflict {
            subject: subject(),
            rules: methods.iter().map(|(_, n)| n.to_string()).collect(),
            message: format!(
                "Policies {} grant different license allocation methods",
                methods
                    .iter()
                    .map(|(_, n)| format!("“{n}”"))
                    .collect::<Vec<_>>()
                    .join(" and ")
            ),
        });
    }
    if levels.len() > 1 {
        conflict = true;
        plan.conflicts.push(Conflict {
            subject: subject(),
            rules: levels.iter().map(|(_, n)| n.to_string()).collect(),
            message: format!(
                "Policies {} grant different ACD levels ({})",
                levels
                    .iter()
                    .map(|(_, n)| format!("“{n}”"))
                    .collect::<Vec<_>>()
                    .join(" and "),
                levels.iter().map(|(l, _)| l.label()).collect::<Vec<_>>().join(", ")
            ),
        });
    }
    if conflict {
        return;
    }
    let exclusive = rules.iter().any(|p| p.exclusive);
    let mut change = Change {
        subject: Subject::user(String::new()),
        add: Vec::new(),
        remove: Vec::new(),
        method: None,
        acd: None,
        rules: Vec::new(),
        credit: Vec::new(),
    };
    let current_level = licenses.iter().filter_map(|k| catalog::acd_level_of(k)).max();
    if wants_acd && let Some((level, _)) = levels.first() {
        let media: BTreeSet<MediaType> = match level.capacity() {
            Some(cap) => media.into_iter().take(cap).collect(),
            None => BTreeSet::new(),
        };
        let types_ok = level.capacity().is_none() || media.is_subset(current_media);
        if current_level != Some(*level) || !types_ok {
            change.acd = Some((*level, media));
        }
        want.insert(level.key());
    }
    for k in &want {
        if catalog::acd_level_of(k).is_some() {
            continue; // set through `acd`
        }
        if !licenses.contains(k) {
            change.add.push(k.to_string());
        }
    }
    if exclusive {
        for k in licenses {
            let acd = catalog::acd_level_of(k).is_some();
            if !(want.contains(k.as_ref()) || acd && wants_acd) && k.as_ref() != catalog::BASIC_STATION {
                change.remove.push(k.to_string());
            }
        }
    }
    if let (Some((m, _)), Some(current)) = (methods.first(), method)
        && *m != current
    {
        change.method = Some(*m);
    }
    if change.is_empty() {
        plan.unchanged += 1;
    } else {
        change.subject = subject();
        change.credit = credit(&change, rules, &granted_by);
        // The rules behind any part, in policy order.
        change.rules = rules
            .iter()
            .filter(|p| change.credit.iter().any(|(_, by)| by.contains(&p.name)))
            .map(|p| p.name.clone())
            .collect();
        plan.changes.push(change);
    }
}

/// How many users and stations one rule matches (the editor's live count).
pub fn count_matches(ws: &Workspace, policy: &Policy) -> (usize, usize) {
    (
        ws.users().iter().filter(|u| policy.matches_user(u)).count(),
        ws.stations().iter().filter(|s| policy.matches_station(s)).count(),
    )
}

/// Judges one user against the policies (nothing when no rule matches).
pub fn judge_user(ws: &Workspace, u: &User, plan: &mut Plan) -> bool {
    let rules: Vec<&Policy> = ws.policies.iter().filter(|p| p.matches_user(u)).collect();
    judge_user_rules(ws, u, &rules, plan)
}

/// `judge_user` finding the rules through an index of the workspace's
/// policies (a pass over many users); `rules` is scratch space.
pub fn judge_user_indexed<'p>(
    ws: &'p Workspace,
    u: &User,
    index: &mut PolicyIndex,
    rules: &mut Vec<&'p Policy>,
    plan: &mut Plan,
) -> bool {
    index.user_rules(&ws.policies, u, rules);
    judge_user_rules(ws, u, rules, plan)
}

/// Judges one user against the rules that match it.
pub(crate) fn judge_user_rules(ws: &Workspace, u: &User, rules: &[&Policy], plan: &mut Plan) -> bool {
    if rules.is_empty() {
        return false;
    }
    for p in rules {
        if let Some(m) = plan.matched.get_mut(&p.name) {
            m.0 += 1;
        }
    }
    let queues = if rules.iter().any(|p| p.grant.acd.is_some()) {
        queue_media(u, ws)
    } else {
        BTreeSet::new()
    };
    judge(
        &|| Subject::user(u.id.clone()),
        rules,
        &u.licenses,
        Some(u.method),
        &u.acd_media_types,
        &queues,
        plan,
    );
    true
}

/// Judges one station against the policies.
pub fn judge_station(ws: &Workspace, s: &crate::model::workspace::Station, plan: &mut Plan) -> bool {
    let rules: Vec<&Policy> = ws.policies.iter().filter(|p| p.matches_station(s)).collect();
    judge_station_rules(s, &rules, plan)
}

/// `judge_station` finding the rules through an index (see
/// `judge_user_indexed`).
pub fn judge_station_indexed<'p>(
    ws: &'p Workspace,
    s: &crate::model::workspace::Station,
    index: &mut PolicyIndex,
    rules: &mut Vec<&'p Policy>,
    plan: &mut Plan,
) -> bool {
    index.station_rules(&ws.policies, s, rules);
    judge_station_rules(s, rules, plan)
}

/// Judges one station against the rules that match it.
pub(crate) fn judge_station_rules(s: &crate::model::workspace::Station, rules: &[&Policy], plan: &mut Plan) -> bool {
    if rules.is_empty() {
        return false;
    }
    for p in rules {
        if let Some(m) = plan.matched.get_mut(&p.name) {
            m.1 += 1;
        }
    }
    judge(
        &|| Subject::station(s.id.clone()),
        rules,
        &s.licenses,
        None,
        &s.acd_media_types,
        &BTreeSet::new(),
        plan,
    );
    true
}

/// Judges every user and station against the workspace's policies.
pub fn plan(ws: &Workspace) -> Plan {
    let mut plan = Plan::default();
    if ws.policies.is_empty() {
        return plan;
    }
    for p in &ws.policies {
        plan.matched.insert(p.name.clone(), (0, 0));
    }
    let mut compiled: Vec<Compiled> = ws.policies.iter().map(|p| Compiled::new(p, ws)).collect();
    // Workgroup criteria: one pass over the memberships marks each rule's
    // members, instead of a name lookup per user and rule.
    let mut by_group: std::collections::HashMap<String, Vec<usize>> = std::collections::HashMap::new();
    for (i, c) in compiled.iter().enumerate() {
        if let Some(Some(name)) = &c.workgroup {
            by_group.entry(name.clone()).or_default().push(i);
        }
    }
    if !by_group.is_empty() {
        let n = ws.users().len();
        for i in by_group.values().flatten() {
            compiled[*i].members = vec![false; n];
        }
        for (at, u) in ws.users().iter().enumerate() {
            for w in &u.workgroups {
                if let Some(rules) = by_group.get(&**w) {
                    for &i in rules {
                        compiled[i].members[at] = true;
                    }
                }
            }
        }
    }
    let mut rules: Vec<&Policy> = Vec::with_capacity(compiled.len());
    let mut counts = vec![(0usize, 0usize); compiled.len()];
    for (at, u) in ws.users().iter().enumerate() {
        rules.clear();
        let (mut id, mut roles) = (None, None);
        for (i, c) in compiled.iter().enumerate() {
            if c.matches_user(at, u, &mut id, &mut roles) {
                rules.push(c.policy);
                counts[i].0 += 1;
            }
        }
        if rules.is_empty() {
            continue;
        }
        // The workgroups' media only matter to an ACD grant.
        let queues = if rules.iter().any(|p| p.grant.acd.is_some()) {
            queue_media(u, ws)
        } else {
            BTreeSet::new()
        };
        judge(
            &|| Subject::user(u.id.clone()),
            &rules,
            &u.licenses,
            Some(u.method),
            &u.acd_media_types,
            &queues,
            &mut plan,
        );
    }
    for s in ws.stations() {
        rules.clear();
        let mut id = None;
        for (i, c) in compiled.iter().enumerate() {
            if c.matches_station(s, &mut id) {
                rules.push(c.policy);
                counts[i].1 += 1;
            }
        }
        if rules.is_empty() {
            continue;
        }
        judge(
            &|| Subject::station(s.id.clone()),
            &rules,
            &s.licenses,
            None,
            &s.acd_media_types,
            &BTreeSet::new(),
            &mut plan,
        );
    }
    for (c, n) in compiled.iter().zip(counts) {
        plan.matched.insert(c.policy.name.clone(), n);
    }
    plan
}

/// The `policy-drift` and `policy-conflict` words of one subject's plan.
pub fn drift_words(plan: &Plan) -> Option<(Vec<String>, String)> {
    let c = plan.changes.first()?;
    let mut what = Vec::new();
    if !c.add.is_empty() {
        what.push(format!(
            "lacks {}",
            c.add.iter().map(|k| catalog::label(k)).collect::<Vec<_>>().join(", ")
        ));
    }
    if let Some((level, _)) = &c.acd {
        what.push(format!("should have ACD {}", level.label()));
    }
    if let Some(m) = c.method {
        what.push(format!("should be {}", m.label()));
    }
    if !c.remove.is_empty() {
        what.push(format!(
            "also holds {}",
            c.remove
                .iter()
                .map(|k| catalog::label(k))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    Some((c.rules.clone(), what.join("; ")))
}
