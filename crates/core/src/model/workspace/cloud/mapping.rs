//! The mapping from what a user holds in PureConnect to a Genesys Cloud
//! license: rules, each with a target license, its reason, whether it is an
//! assumption, and conditions (all of them must hold). A user gets the
//! highest level among the rules they match, and every add-on a matching
//! rule gives; the rule that decided is named. Users who match no level
//! are listed, never dropped. Licenses are read from the workspace as it
//! is now: the history keeps no past allocations.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::{CloudLicense, Model, check_text, prices::CloudPrices};
use crate::model::catalog;
use crate::model::workspace::{MediaType, User, Workspace, fold_ref};

/// The most rules a mapping may have, and entries in one condition.
pub const MAX_RULES: usize = 500;
pub const MAX_ENTRIES: usize = 1000;

/// One row of the mapping table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// The rule's name, shown wherever it decided ("Voice ACD").
    pub name: String,
    /// The Genesys Cloud license it gives.
    pub license: CloudLicense,
    /// Why, in words.
    pub reason: String,
    /// Marked as an assumption (the default mapping's rows all are).
    #[serde(default)]
    pub assumption: bool,
    /// What the user must have; an empty condition matches everyone.
    #[serde(default)]
    pub when: Conditions,
}

/// A rule's conditions: every list given must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Conditions {
    /// Holds at least one of these license keys.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub holds_any: Vec<String>,
    /// Holds at least one license, and every license held is one of these
    /// ("Client Access only").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub holds_only: Vec<String>,
    /// The user's ACD interaction types include one of these.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub media_any: Vec<MediaType>,
    /// The user's ACD interaction types include all of these.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub media_all: Vec<MediaType>,
    /// The user's ACD interaction types include none of these.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub media_none: Vec<MediaType>,
    /// Has one of these roles (ignoring case).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles_any: Vec<String>,
    /// Is a member of one of these workgroups (ignoring case).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub workgroups_any: Vec<String>,
}

impl Conditions {
    pub fn is_empty(&self) -> bool {
        self.holds_any.is_empty()
            && self.holds_only.is_empty()
            && self.media_any.is_empty()
            && self.media_all.is_empty()
            && self.media_none.is_empty()
            && self.roles_any.is_empty()
            && self.workgroups_any.is_empty()
    }

    /// The conditions in words ("holds ACD Media 1 or ACD Media 2; takes
    /// Call/Callback").
    pub fn describe(&self) -> String {
        let labels = |keys: &[String], join: &str| {
            keys.iter()
                .map(|k| catalog::label(k).to_string())
                .collect::<Vec<_>>()
                .join(join)
        };
        let media = |m: &[MediaType], join: &str| m.iter().map(|t| t.label()).collect::<Vec<_>>().join(join);
        let mut parts = Vec::new();
        if !self.holds_any.is_empty() {
            parts.push(format!("holds {}", labels(&self.holds_any, " or ")));
        }
        if !self.holds_only.is_empty() {
            parts.push(format!("holds nothing but {}", labels(&self.holds_only, ", ")));
        }
        if !self.media_all.is_empty() {
            parts.push(format!("takes {}", media(&self.media_all, " and ")));
        }
        if !self.media_any.is_empty() {
            parts.push(format!("takes {}", media(&self.media_any, " or ")));
        }
        if !self.media_none.is_empty() {
            parts.push(format!("takes no {}", media(&self.media_none, " or ")));
        }
        if !self.roles_any.is_empty() {
            parts.push(format!("has the role {}", self.roles_any.join(" or ")));
        }
        if !self.workgroups_any.is_empty() {
            parts.push(format!("is in workgroup {}", self.workgroups_any.join(" or ")));
        }
        if parts.is_empty() {
            "everyone".to_string()
        } else {
            parts.join("; ")
        }
    }
}

fn keys(list: &[&str]) -> Vec<String> {
    list.iter().map(|k| k.to_string()).collect()
}

fn rule(name: &str, license: CloudLicense, reason: &str, when: Conditions) -> Rule {
    Rule {
        name: name.into(),
        license,
        reason: reason.into(),
        assumption: true,
        when,
    }
}

const ACD_1_2: [&str; 2] = [catalog::ACD_MEDIA_1, catalog::ACD_MEDIA_2];
const DIGITAL: [MediaType; 3] = [MediaType::Chat, MediaType::Email, MediaType::Generic];

/// The mapping that ships: from the lowest level to the highest (a later
/// row's license ranks higher when no prices order them), every row an
/// assumption with why (docs/cloud-estimate.md lists them).
#[allow(
    clippy::too_many_lines,
    reason = "a data table: one row per shipped rule with its reason"
)]
pub fn default_mapping() -> Vec<Rule> {
    use CloudLicense::*;
    vec![
        rule(
            "Client Access only",
            Communicate,
            "A business user (Client Access, no ACD or agent add-on) makes and takes calls, has voicemail and \
             presence: Communicate, Genesys Cloud's calling and collaboration license without contact-center \
             routing.",
            Conditions {
                holds_only: keys(&[
                    catalog::CLIENT,
                    "I3_ACCESS_OUTLOOK_ADDIN",
                    "I3_ACCESS_OPERATOR_ADDON",
                    "I3_ACCESS_TRACKER",
                ]),
                ..Default::default()
            },
        ),
        rule(
            "Voice ACD",
            Cx1,
            "An ACD agent who takes calls: CX 1 is Genesys Cloud's voice contact-center level (routing, IVR, \
             recording).",
            Conditions {
                holds_any: keys(&ACD_1_2),
                media_any: vec![MediaType::Call],
                ..Default::default()
            },
        ),
        rule(
            "Dialer",
            Cx1,
            "Interaction Dialer agents: outbound campaigns are part of CX 1.",
            Conditions {
                holds_any: keys(&["I3_ACCESS_DIALER_ADDON"]),
                ..Default::default()
            },
        ),
        rule(
            "Recorder",
            Cx1,
            "A recorded user: call recording is part of CX 1.",
            Conditions {
                holds_any: keys(&["I3_ACCESS_RECORDER", "I3_ACCESS_RECORDER_CLIENT"]),
                ..Default::default()
            },
        ),
        rule(
            "Feedback",
            Cx1,
            "Interaction Feedback (post-call surveys): surveys come with a CX level; CX 1 is the lowest.",
            Conditions {
                holds_any: keys(&["I3_ACCESS_FEEDBACK"]),
                ..Default::default()
            },
        ),
        rule(
            "Supervisor plug-ins",
            Cx1,
            "A supervisor (Interaction Supervisor plug-ins) watches queues and agents: Genesys Cloud's \
             supervisor views need a CX level; CX 1 is the lowest.",
            Conditions {
                holds_any: keys(&[
                    "I3_ACCESS_SYSTEM_STATUS_SUPERVISOR_PLUGIN",
                    "I3_ACCESS_WORKGROUP_SUPERVISOR_PLUGIN",
                    "I3_ACCESS_HISTORICAL_REPORT_SUPERVISOR_PLUGIN",
                    "I3_ACCESS_REPORT_ASSISTANT_SUPERVISOR_PLUGIN",
                    "I3_ACCESS_DIALER_SUPERVISOR_PLUGIN",
                    "I3_ACCESS_DIALER_SUPERVISOR_PLUS",
                    "I3_ACCESS_SUPERVISOR_IPAD",
                ]),
                ..Default::default()
            },
        ),
        rule(
            "Supervisor role",
            Cx1,
            "Users with IA's Supervisor role: as for the supervisor plug-ins.",
            Conditions {
                roles_any: vec!["Supervisor".into()],
                ..Default::default()
            },
        ),
        rule(
            "Digital-only ACD",
            Cx2Digital,
            "An ACD agent who takes chats, emails or generic objects but no calls: CX 2 Digital is CX 2 without \
             voice.",
            Conditions {
                holds_any: keys(&ACD_1_2),
                media_any: DIGITAL.to_vec(),
                media_none: vec![MediaType::Call],
                ..Default::default()
            },
        ),
        rule(
            "Voice and digital ACD",
            Cx2,
            "An ACD agent who takes calls and chats or emails: CX 2 adds digital channels to CX 1.",
            Conditions {
                holds_any: keys(&ACD_1_2),
                media_all: vec![MediaType::Call],
                media_any: DIGITAL.to_vec(),
                ..Default::default()
            },
        ),
        rule(
            "Multi-channel ACD",
            Cx2,
            "ACD Media 3 Plus covers every interaction type: voice and digital, CX 2.",
            Conditions {
                holds_any: keys(&[catalog::ACD_MEDIA_3_PLUS]),
                ..Default::default()
            },
        ),
        rule(
            "Social media",
            Cx2,
            "ACD Social Media agents: messaging and social channels are digital channels, CX 2.",
            Conditions {
                holds_any: keys(&[catalog::ACD_SOCIAL_MEDIA]),
                ..Default::default()
            },
        ),
        rule(
            "Quality management",
            WemAddOn,
            "Interaction Quality Manager (evaluations of recorded interactions): quality management is part of \
             Genesys Cloud's workforce engagement (WEM), an add-on below CX 3 (CX 3 includes it).",
            Conditions {
                holds_any: keys(&[
                    "I3_ACCESS_RECORDER_QUALITYMONITORING",
                    "I3_ACCESS_RECORDER_QUALITYMONITORING_AGENT",
                ]),
                ..Default::default()
            },
        ),
        rule(
            "Optimizer",
            Cx3,
            "Interaction Optimizer (workforce scheduling and adherence): workforce management is part of CX 3.",
            Conditions {
                holds_any: keys(&[
                    "I3_ACCESS_OPTIMIZER_SCHEDULABLE",
                    "I3_ACCESS_OPTIMIZER_CLIENT",
                    "I3_ACCESS_OPTIMIZER_REALTIME_ADHERENCE",
                    "I3_ACCESS_OPTIMIZER_RTA_TRACKING",
                    "I3_ACCESS_OPTIMIZER_SUPERVISOR_PLUGIN",
                ]),
                ..Default::default()
            },
        ),
        rule(
            "Speech analytics",
            Cx3,
            "Interaction Analyzer and CX Insights (speech and interaction analytics): part of CX 3.",
            Conditions {
                holds_any: keys(&["I3_ACCESS_ANALYZER", "I3_ACCESS_ANALYTICS_CORE"]),
                ..Default::default()
            },
        ),
    ]
}

/// Problems of a mapping as (JSON path, why), paths under `at`.
pub fn problems(rules: &[Rule], at: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if rules.len() > MAX_RULES {
        out.push((
            at.to_string(),
            format!("has {} rules; the most is {MAX_RULES}", rules.len()),
        ));
        return out;
    }
    let mut names = BTreeSet::new();
    for (i, r) in rules.iter().enumerate() {
        let path = |field: &str| format!("{at}[{i}].{field}");
        if let Some(why) = check_text(&r.name, 64, "the rule's name") {
            out.push((path("name"), why));
        } else if !names.insert(r.name.trim().to_lowercase()) {
            out.push((path("name"), format!("the rule name “{}” is used twice", r.name.trim())));
        }
        if let Some(why) = check_text(&r.reason, 1000, "the reason") {
            out.push((path("reason"), why));
        }
        let w = &r.when;
        for (field, list) in [("holds_any", &w.holds_any), ("holds_only", &w.holds_only)] {
            if list.len() > MAX_ENTRIES {
                out.push((
                    path(&format!("when.{field}")),
                    format!("has more than {MAX_ENTRIES} entries"),
                ));
                continue;
            }
            for (j, key) in list.iter().enumerate() {
                let shown = || crate::model::text::safe(&key.chars().take(60).collect::<String>()).into_owned();
                if !catalog::is_well_formed(key) {
                    out.push((
                        path(&format!("when.{field}[{j}]")),
                        format!("`{}` is not a license key (I3_ACCESS_…)", shown()),
                    ));
                } else if catalog::lookup(key).is_none() {
                    // A misspelt key would match nobody, silently.
                    out.push((
                        path(&format!("when.{field}[{j}]")),
                        format!("`{}` is not a PureConnect license key; check its spelling", shown()),
                    ));
                }
            }
        }
        for (field, list) in [("roles_any", &w.roles_any), ("workgroups_any", &w.workgroups_any)] {
            if list.len() > MAX_ENTRIES {
                out.push((
                    path(&format!("when.{field}")),
                    format!("has more than {MAX_ENTRIES} entries"),
                ));
                continue;
            }
            for (j, name) in list.iter().enumerate() {
                if let Some(why) = check_text(name, 256, "a name") {
                    out.push((path(&format!("when.{field}[{j}]")), why));
                }
            }
        }
    }
    out
}

/// Which of two levels is the higher: by their prices when both have one
/// under the same model (named, else concurrent, else hourly; the higher
/// price is the higher level), otherwise (or at equal prices) by the
/// mapping table's order, a later row's license being the higher (a table
/// reads from the lowest level up). Add-ons are not ranked (a user may have
/// several).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ranking {
    /// Where a rule first gives each license (levels no rule gives come
    /// after, in Genesys' order).
    position: [u16; CloudLicense::ALL.len()],
    /// Each license's price per model (`Model::ALL` order), when entered.
    prices: [[Option<i64>; 3]; CloudLicense::ALL.len()],
}

impl Ranking {
    pub fn new(rules: &[Rule], prices: Option<&CloudPrices>) -> Ranking {
        let mut position = [u16::MAX; CloudLicense::ALL.len()];
        for (i, r) in rules.iter().enumerate() {
            let p = &mut position[r.license.index()];
            *p = (*p).min(u16::try_from(i).unwrap_or(u16::MAX - 100));
        }
        for l in CloudLicense::ALL {
            if position[l.index()] == u16::MAX {
                position[l.index()] = u16::MAX - 20 + l.index() as u16;
            }
        }
        let prices = CloudLicense::ALL.map(|l| Model::ALL.map(|m| prices.and_then(|p| p.price(l, m)).map(|c| c.0)));
        Ranking { position, prices }
    }

    /// Is level `a` higher than level `b`?
    pub fn higher(&self, a: CloudLicense, b: CloudLicense) -> bool {
        let (pa, pb) = (&self.prices[a.index()], &self.prices[b.index()]);
        if let Some((x, y)) = pa.iter().zip(pb).find_map(|(x, y)| x.zip(*y))
            && x != y
        {
            return x > y;
        }
        self.position[a.index()] > self.position[b.index()]
    }
}

/// What one user maps to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Assignment {
    /// The level, and the rule that decided it (index into the mapping).
    pub level: Option<(CloudLicense, usize)>,
    /// Add-ons, one bit per `CloudLicense::index`.
    pub add_ons: u16,
}

impl Assignment {
    pub fn add_ons(self) -> impl Iterator<Item = CloudLicense> {
        CloudLicense::ALL
            .into_iter()
            .filter(move |l| self.add_ons & (1 << l.index()) != 0)
    }
}

/// A mapping ready to apply to many users: names folded once.
pub struct Compiled<'a> {
    rules: &'a [Rule],
    ranking: Ranking,
    roles: Vec<Vec<String>>,
    groups: Vec<Vec<String>>,
}

impl<'a> Compiled<'a> {
    pub fn new(rules: &'a [Rule], prices: Option<&CloudPrices>) -> Compiled<'a> {
        let fold_all = |v: &[String]| v.iter().map(|s| fold_ref(s.trim()).into_owned()).collect();
        Compiled {
            rules,
            ranking: Ranking::new(rules, prices),
            roles: rules.iter().map(|r| fold_all(&r.when.roles_any)).collect(),
            groups: rules.iter().map(|r| fold_all(&r.when.workgroups_any)).collect(),
        }
    }

    pub fn ranking(&self) -> &Ranking {
        &self.ranking
    }

    /// The user's license and add-ons under the mapping.
    pub fn assign(&self, ws: &Workspace, user: &User) -> Assignment {
        let media = user_media(ws, user);
        let mut out = Assignment::default();
        let mut add_on_rule = [usize::MAX; CloudLicense::ALL.len()];
        for (i, r) in self.rules.iter().enumerate() {
            if !self.matches(i, r, user, &media) {
                continue;
            }
            if r.license.is_add_on() {
                out.add_ons |= 1 << r.license.index();
                let slot = &mut add_on_rule[r.license.index()];
                *slot = (*slot).min(i);
                continue;
            }
            let better = match out.level {
                None => true,
                Some((l, _)) => self.ranking.higher(r.license, l),
            };
            if better {
                out.level = Some((r.license, i));
            }
        }
        out
    }

    /// The add-on rule that gave `user` the add-on `l` first.
    pub fn add_on_rule(&self, ws: &Workspace, user: &User, l: CloudLicense) -> Option<usize> {
        let media = user_media(ws, user);
        self.rules
            .iter()
            .enumerate()
            .find(|(i, r)| r.license == l && self.matches(*i, r, user, &media))
            .map(|(i, _)| i)
    }

    fn matches(&self, i: usize, r: &Rule, user: &User, media: &BTreeSet<MediaType>) -> bool {
        let w = &r.when;
        let holds = |k: &String| user.licenses.contains(catalog::canonical(k));
        if !w.holds_any.is_empty() && !w.holds_any.iter().any(holds) {
            return false;
        }
        if !w.holds_only.is_empty() {
            let only = !user.licenses.is_empty()
                && user
                    .licenses
                    .iter()
                    .all(|k| w.holds_only.iter().any(|o| catalog::canonical(o) == &**k));
            if !only {
                return false;
            }
        }
        if !w.media_any.is_empty() && !w.media_any.iter().any(|m| media.contains(m)) {
            return false;
        }
        if !w.media_all.iter().all(|m| media.contains(m)) {
            return false;
        }
        if w.media_none.iter().any(|m| media.contains(m)) {
            return false;
        }
        if !self.roles[i].is_empty()
            && !user
                .roles
                .iter()
                .any(|role| self.roles[i].contains(&fold_ref(role.trim()).into_owned()))
        {
            return false;
        }
        if !self.groups[i].is_empty()
            && !user
                .workgroups
                .iter()
                .any(|g| self.groups[i].contains(&fold_ref(g.trim()).into_owned()))
        {
            return false;
        }
        true
    }
}

/// A user's ACD interaction types: those licensed (Media 1 and 2), and for
/// ACD Media 3 Plus, which covers every type, those of the user's
/// workgroups' queues.
pub fn user_media(ws: &Workspace, user: &User) -> BTreeSet<MediaType> {
    let mut media = user.acd_media_types.clone();
    if user.licenses.contains(catalog::ACD_MEDIA_3_PLUS) {
        for g in user.workgroups.iter() {
            if let Some(wg) = ws.workgroup(g) {
                media.extend(wg.media.iter().copied());
            }
        }
    }
    media
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_mapping_is_valid_and_all_assumptions() {
        let m = default_mapping();
        assert!(problems(&m, "$").is_empty(), "{:?}", problems(&m, "$"));
        assert!(m.iter().all(|r| r.assumption && !r.reason.is_empty()));
    }

    #[test]
    fn without_prices_a_later_row_ranks_higher_with_prices_the_dearer() {
        use crate::model::workspace::Cents;
        let rules = default_mapping();
        let r = Ranking::new(&rules, None);
        assert!(r.higher(CloudLicense::Cx1, CloudLicense::Communicate));
        assert!(r.higher(CloudLicense::Cx2, CloudLicense::Cx2Digital));
        assert!(r.higher(CloudLicense::Cx3, CloudLicense::Cx2));
        // Prices for two levels only: those two go by price, the rest by
        // the table.
        let mut p = CloudPrices {
            currency: "USD".into(),
            ..Default::default()
        };
        for (l, c) in [(CloudLicense::Cx1, 500), (CloudLicense::Cx3, 100)] {
            p.licenses.insert(
                l.code().into(),
                super::super::LicensePrice {
                    per_named_user: Some(Cents(c)),
                    ..Default::default()
                },
            );
        }
        let r = Ranking::new(&rules, Some(&p));
        assert!(r.higher(CloudLicense::Cx1, CloudLicense::Cx3));
        assert!(r.higher(CloudLicense::Cx3, CloudLicense::Cx2));
    }
}
