//! The workspace's policies (`policies`): rules that grant licenses by
//! role, workgroup and station type, as data with the matching of one
//! subject. Judging a whole workspace against them is `policy` (rules).

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::model::catalog::{self, AcdLevel};
use crate::model::id_pattern::IdPattern;

use super::{MediaType, Method, Station, StationType, User, fold_ref};

/// Which subjects a rule is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AppliesTo {
    Users,
    Stations,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Match {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workgroup: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub station_type: Option<StationType>,
    /// `*` any run of characters, `?` one; case ignored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_pattern: Option<IdPattern>,
    /// Users or stations; by default stations when `station_type` is given,
    /// users otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applies_to: Option<AppliesTo>,
}

/// The ACD part of a grant: a level (none: the lowest that covers the
/// subject's workgroups) and interaction types (none: the workgroups').
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AcdGrant {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<AcdLevel>,
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub media: BTreeSet<MediaType>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Grant {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub licenses: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<Method>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acd: Option<AcdGrant>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    pub name: String,
    #[serde(rename = "match", default)]
    pub matches: Match,
    pub grant: Grant,
    /// Holding more than the policies grant is drift too.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub exclusive: bool,
}

impl Policy {
    pub(crate) fn applies_to(&self) -> AppliesTo {
        self.matches
            .applies_to
            .unwrap_or(if self.matches.station_type.is_some() {
                AppliesTo::Stations
            } else {
                AppliesTo::Users
            })
    }

    pub(crate) fn matches_user(&self, u: &User) -> bool {
        let m = &self.matches;
        self.applies_to() == AppliesTo::Users
            && m.station_type.is_none()
            && m.role.as_ref().is_none_or(|r| u.roles.iter().any(|x| same(x, r)))
            && m.workgroup
                .as_ref()
                .is_none_or(|w| u.workgroups.contains(w.as_str()) || u.workgroups.iter().any(|x| same(x, w)))
            && m.id_pattern.as_ref().is_none_or(|p| p.matches_folded(&fold_ref(&u.id)))
    }

    pub(crate) fn matches_station(&self, s: &Station) -> bool {
        let m = &self.matches;
        self.applies_to() == AppliesTo::Stations
            && m.role.is_none()
            && m.workgroup.is_none()
            && m.station_type.is_none_or(|t| t == s.kind)
            && m.id_pattern.as_ref().is_none_or(|p| p.matches_folded(&fold_ref(&s.id)))
    }

    /// What is wrong with the rule, with its JSON path.
    pub fn problems(&self, i: usize) -> Vec<(String, String)> {
        let at = |f: &str| format!("$.policies[{i}].{f}");
        let mut out = Vec::new();
        if self.name.trim().is_empty() {
            out.push((at("name"), "a policy needs a name".into()));
        }
        for (j, k) in self.grant.licenses.iter().enumerate() {
            if !catalog::is_well_formed(k) {
                out.push((
                    at(&format!("grant.licenses[{j}]")),
                    format!("`{}` is not an I3_ license key", crate::model::text::safe(k)),
                ));
            }
        }
        if let Some(acd) = &self.grant.acd
            && let Some(cap) = acd.level.and_then(AcdLevel::capacity)
            && acd.media.len() > cap
        {
            out.push((
                at("grant.acd.media"),
                format!("ACD level allows {cap} interaction type(s)"),
            ));
        }
        if self.applies_to() == AppliesTo::Stations && (self.matches.role.is_some() || self.matches.workgroup.is_some())
        {
            out.push((
                at("match"),
                "roles and workgroups are users': a station rule cannot match them".into(),
            ));
        }
        if self.applies_to() == AppliesTo::Stations && self.grant.method.is_some() {
            out.push((at("grant.method"), "stations always hold licenses as Assignable".into()));
        }
        out
    }
}

/// Equal ignoring case, without allocating.
pub(crate) fn same(a: &str, b: &str) -> bool {
    (a.len() == b.len() && a.eq_ignore_ascii_case(b))
        || a.chars()
            .flat_map(char::to_lowercase)
            .eq(b.chars().flat_map(char::to_lowercase))
}
