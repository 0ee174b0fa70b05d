//! Commands: the one way to change a workspace. A command is a value
//! (serialisable), so the same type drives undo/redo (its inverse), the
//! change log, the recovery journal and bulk edits.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::model::catalog::{AcdLevel, IpaLevel};
use crate::model::subject::Subject;
use crate::model::workspace::{MediaType, Method, Station, StationType, User, Workgroup};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "kebab-case")]
pub enum Command {
    /// Allocate a license to users and/or stations. `method`, when given,
    /// states how it is to be held (a station can never hold Concurrent).
    Assign {
        subjects: Vec<Subject>,
        key: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        method: Option<Method>,
    },
    Unassign {
        subjects: Vec<Subject>,
        key: String,
    },
    /// Set the license allocation method of users (for all their licenses).
    SetMethod {
        users: Vec<String>,
        method: Method,
    },
    /// Set (or clear, with `None`) the ACD Access level and interaction types.
    SetAcd {
        subjects: Vec<Subject>,
        level: Option<AcdLevel>,
        #[serde(default)]
        media: BTreeSet<MediaType>,
    },
    /// Set (or clear) the IPA license level.
    SetIpa {
        subjects: Vec<Subject>,
        level: Option<IpaLevel>,
    },
    AddUser {
        user: User,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        at: Option<usize>,
    },
    RemoveUser {
        id: String,
    },
    RenameUser {
        id: String,
        new_id: String,
    },
    SetUserName {
        id: String,
        name: String,
    },
    AddStation {
        station: Station,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        at: Option<usize>,
    },
    RemoveStation {
        id: String,
    },
    RenameStation {
        id: String,
        new_id: String,
    },
    /// Station properties: type, enabled, Licensed Machine Name, shift station.
    SetStation {
        id: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        kind: Option<StationType>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        enabled: Option<bool>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        machine_name: Option<String>,
        /// A station shared by several shifts (its ACD license may serve
        /// any agent logged on there).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        shift_station: Option<bool>,
    },
    AddWorkgroup {
        workgroup: Workgroup,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        at: Option<usize>,
    },
    RemoveWorkgroup {
        name: String,
    },
    RenameWorkgroup {
        name: String,
        new_name: String,
    },
    SetWorkgroupMedia {
        name: String,
        media: BTreeSet<MediaType>,
    },
    /// Add users to (or remove them from) a workgroup.
    SetMembership {
        users: Vec<String>,
        workgroup: String,
        member: bool,
    },
    /// Replace a user's record (name, method, licenses, types, workgroups),
    /// with the rules checked — CSV import and the User Configuration dialog.
    UpdateUser {
        user: User,
    },
    /// Replace a station's record, with the rules checked.
    UpdateStation {
        station: Station,
    },
    /// Put a user record back exactly as it was (undo; no rule checks).
    /// Internal: never read from a session, a journal or a file (it would
    /// bypass every rule), so it cannot be deserialised.
    #[serde(skip_deserializing)]
    RestoreUser {
        user: User,
    },
    /// Put a station record back exactly as it was (undo; no rule checks).
    /// Internal, like `RestoreUser`.
    #[serde(skip_deserializing)]
    RestoreStation {
        station: Station,
    },
    /// Give users a role (or take it away), as IA's People › Roles.
    SetRole {
        users: Vec<String>,
        role: String,
        member: bool,
    },
    /// Replace the workspace's license policies (the Policies view's editor).
    SetPolicies {
        policies: Vec<crate::model::workspace::Policy>,
    },
    /// Replace the workspace's price list for the cost estimate (`null`
    /// removes it; docs/cost.md).
    SetPriceList {
        price_list: Option<crate::model::workspace::PriceList>,
    },
    /// Replace the workspace's Genesys Cloud estimate settings (mapping,
    /// prices, waves; docs/cloud-estimate.md). The defaults remove them.
    SetCloud {
        cloud: crate::model::workspace::cloud::CloudSettings,
    },
    /// Several commands as one step; `label` names it in menus and the
    /// change log ("Apply policies: Agents, Supervisors").
    Batch {
        commands: Vec<Command>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        label: Option<String>,
    },
}

impl Command {
    /// Short words for menus and the change log ("Assign Client Access").
    pub fn summary(&self) -> String {
        use crate::model::catalog::label;
        // With thousands separators: "Set 18,452 users to Concurrent".
        let n = |v: usize, what: &str| crate::model::text::count(v, what, &format!("{what}s"));
        match self {
            Command::Assign { subjects, key, .. } => format!("Assign {} to {}", label(key), subjects_words(subjects)),
            Command::Unassign { subjects, key } => format!("Remove {} from {}", label(key), subjects_words(subjects)),
            Command::SetMethod { users, method } => format!("Set {} to {}", n(users.len(), "user"), method.label()),
            Command::SetAcd { subjects, level, .. } => format!(
                "Set ACD {} on {}",
                level.map_or("none", |l| l.label()),
                subjects_words(subjects)
            ),
            Command::SetIpa { subjects, level } => {
                format!(
                    "Set IPA {} on {}",
                    level.map_or("none", |l| l.label()),
                    subjects_words(subjects)
                )
            }
            Command::AddUser { user, .. } => format!("Add user {}", user.id),
            Command::RemoveUser { id } => format!("Remove user {id}"),
            Command::RenameUser { id, new_id } => format!("Rename user {id} to {new_id}"),
            Command::SetUserName { id, .. } => format!("Rename {id}"),
            Command::AddStation { station, .. } => format!("Add station {}", station.id),
            Command::RemoveStation { id } => format!("Remove station {id}"),
            Command::RenameStation { id, new_id } => format!("Rename station {id} to {new_id}"),
            Command::SetStation { id, .. } => format!("Change station {id}"),
            Command::AddWorkgroup { workgroup, .. } => format!("Add workgroup {}", workgroup.name),
            Command::RemoveWorkgroup { name } => format!("Remove workgroup {name}"),
            Command::RenameWorkgroup { name, new_name } => format!("Rename workgroup {name} to {new_name}"),
            Command::SetWorkgroupMedia { name, .. } => format!("Set queue media of {name}"),
            Command::SetMembership {
                users,
                workgroup,
                member,
            } => {
                if *member {
                    format!("Add {} to {workgroup}", n(users.len(), "user"))
                } else {
                    format!("Remove {} from {workgroup}", n(users.len(), "user"))
                }
            }
            Command::UpdateUser { user } => format!("Change user {}", user.id),
            Command::UpdateStation { station } => format!("Change station {}", station.id),
            Command::RestoreUser { user } => format!("Restore user {}", user.id),
            Command::RestoreStation { station } => format!("Restore station {}", station.id),
            Command::SetPolicies { .. } => "Edit license policies".to_string(),
            Command::SetPriceList { price_list: Some(_) } => "Edit the price list".to_string(),
            Command::SetPriceList { price_list: None } => "Remove the price list".to_string(),
            Command::SetCloud { .. } => "Edit the Genesys Cloud estimate settings".to_string(),
            Command::SetRole { users, role, member } => format!(
                "{} role {role} {} {}",
                if *member { "Give" } else { "Remove" },
                if *member { "to" } else { "from" },
                match users.as_slice() {
                    [one] => format!("user {one}"),
                    many => n(many.len(), "user"),
                }
            ),
            Command::Batch { label: Some(label), .. } => label.clone(),
            Command::Batch { commands, label: None } => match commands.as_slice() {
                [one] => one.summary(),
                many if many.iter().all(|c| matches!(c, Command::RemoveUser { .. })) => {
                    format!("Remove {}", n(many.len(), "user"))
                }
                many if many.iter().all(|c| matches!(c, Command::RemoveStation { .. })) => {
                    format!("Remove {}", n(many.len(), "station"))
                }
                many if many.iter().all(|c| matches!(c, Command::RemoveWorkgroup { .. })) => {
                    format!("Remove {}", n(many.len(), "workgroup"))
                }
                many => n(many.len(), "change"),
            },
        }
    }
}

impl Command {
    /// The summary of what the command did, for its undo step ("Undo
    /// Assign ACD Media 1 to 71,450 users"): a bulk change names the
    /// subjects it changed, not every subject it was asked about (those
    /// that already had it, or were refused, did not change).
    /// `changed`: the subjects the command changed, in order (the document
    /// knows them from its outcomes).
    pub fn summary_applied(&self, changed: Vec<Subject>) -> String {
        let asked = match self {
            Command::Assign { subjects, .. }
            | Command::Unassign { subjects, .. }
            | Command::SetAcd { subjects, .. }
            | Command::SetIpa { subjects, .. } => subjects.len(),
            Command::SetMethod { users, .. } | Command::SetRole { users, .. } => users.len(),
            _ => return self.summary(),
        };
        if changed.is_empty() || changed.len() == asked {
            return self.summary();
        }
        let ids = |changed: Vec<Subject>| changed.into_iter().map(|s| s.id).collect::<Vec<_>>();
        let only = match self {
            Command::Assign { key, method, .. } => Command::Assign {
                subjects: changed,
                key: key.clone(),
                method: *method,
            },
            Command::Unassign { key, .. } => Command::Unassign {
                subjects: changed,
                key: key.clone(),
            },
            Command::SetAcd { level, media, .. } => Command::SetAcd {
                subjects: changed,
                level: *level,
                media: media.clone(),
            },
            Command::SetIpa { level, .. } => Command::SetIpa {
                subjects: changed,
                level: *level,
            },
            Command::SetMethod { method, .. } => Command::SetMethod {
                users: ids(changed),
                method: *method,
            },
            Command::SetRole { role, member, .. } => Command::SetRole {
                users: ids(changed),
                role: role.clone(),
                member: *member,
            },
            _ => return self.summary(),
        };
        only.summary()
    }

    /// The users, stations and workgroups the command is about, each once,
    /// in the order named (a batch: its parts'); none for the workspace's
    /// settings (policies, price list, cloud settings).
    pub fn subjects(&self) -> Vec<Subject> {
        let mut out: Vec<Subject> = Vec::new();
        self.collect_subjects(&mut out);
        let mut seen = std::collections::HashSet::new();
        out.retain(|s| seen.insert((s.kind, crate::model::workspace::fold(&s.id))));
        out
    }

    fn collect_subjects(&self, out: &mut Vec<Subject>) {
        let users = |ids: &[String], out: &mut Vec<Subject>| out.extend(ids.iter().map(|id| Subject::user(id.clone())));
        match self {
            Command::Assign { subjects, .. }
            | Command::Unassign { subjects, .. }
            | Command::SetAcd { subjects, .. }
            | Command::SetIpa { subjects, .. } => out.extend(subjects.iter().cloned()),
            Command::SetMethod { users: ids, .. } | Command::SetRole { users: ids, .. } => users(ids, out),
            Command::SetMembership {
                users: ids, workgroup, ..
            } => {
                users(ids, out);
                out.push(Subject::workgroup(workgroup.clone()));
            }
            Command::AddUser { user, .. } | Command::UpdateUser { user } | Command::RestoreUser { user } => {
                out.push(Subject::user(user.id.clone()))
            }
            Command::RemoveUser { id } | Command::RenameUser { id, .. } | Command::SetUserName { id, .. } => {
                out.push(Subject::user(id.clone()))
            }
            Command::AddStation { station, .. }
            | Command::UpdateStation { station }
            | Command::RestoreStation { station } => out.push(Subject::station(station.id.clone())),
            Command::RemoveStation { id } | Command::RenameStation { id, .. } | Command::SetStation { id, .. } => {
                out.push(Subject::station(id.clone()))
            }
            Command::AddWorkgroup { workgroup, .. } => out.push(Subject::workgroup(workgroup.name.clone())),
            Command::RemoveWorkgroup { name }
            | Command::RenameWorkgroup { name, .. }
            | Command::SetWorkgroupMedia { name, .. } => out.push(Subject::workgroup(name.clone())),
            Command::SetPolicies { .. } | Command::SetPriceList { .. } | Command::SetCloud { .. } => {}
            Command::Batch { commands, .. } => commands.iter().for_each(|c| c.collect_subjects(out)),
        }
    }

    /// Who the command is about, in words: "user tina", "3 users and 1
    /// station", "the workspace" (its settings).
    pub fn subject_words(&self) -> String {
        use crate::model::subject::SubjectKind;
        let subjects = self.subjects();
        if let [one] = subjects.as_slice() {
            return one.to_string();
        }
        if subjects.is_empty() {
            return "the workspace".to_string();
        }
        let n = |kind: SubjectKind| subjects.iter().filter(|s| s.kind == kind).count();
        kinds_words(&[
            (n(SubjectKind::User), "user", "users"),
            (n(SubjectKind::Station), "station", "stations"),
            (n(SubjectKind::Workgroup), "workgroup", "workgroups"),
            (n(SubjectKind::License), "license", "licenses"),
            (n(SubjectKind::Server), "server", "servers"),
        ])
    }
}

/// Whom a command is for, in IA's words: "user tina", "18,452 users",
/// "50 stations", "60 users and stations".
/// A summary as a result, for the status bar: "Remove station phone-03"
/// reads "Removed station phone-03" (the menus keep the command's words:
/// "Undo Remove station phone-03").
pub fn done_words(summary: &str) -> String {
    const PAST: [(&str, &str); 12] = [
        ("Assign ", "Assigned "),
        ("Remove ", "Removed "),
        ("Set ", "Set "),
        ("Add ", "Added "),
        ("Rename ", "Renamed "),
        ("Change ", "Changed "),
        ("Restore ", "Restored "),
        ("Edit ", "Edited "),
        ("Give ", "Gave "),
        ("Apply ", "Applied "),
        ("Reclaim ", "Reclaimed "),
        ("Import ", "Imported "),
    ];
    PAST.iter()
        .find_map(|(now, done)| summary.strip_prefix(now).map(|rest| format!("{done}{rest}")))
        .unwrap_or_else(|| format!("Done: {summary}"))
}

fn subjects_words(subjects: &[Subject]) -> String {
    match subjects {
        [one] => one.to_string(),
        many => crate::model::subject::count_words(many),
    }
}

/// "3 users and 1 station" from counts per kind (kinds with none left
/// out); "nothing" when every count is 0.
fn kinds_words(counts: &[(usize, &str, &str)]) -> String {
    let parts: Vec<String> = counts
        .iter()
        .filter(|(n, ..)| *n > 0)
        .map(|(n, one, many)| crate::model::text::count(*n, one, many))
        .collect();
    match parts.as_slice() {
        [] => "nothing".to_string(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}
