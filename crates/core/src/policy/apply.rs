//! Turning a plan into the one command that applies it, each part
//! credited to the rules it comes from.

use std::collections::{BTreeMap, BTreeSet};

use super::{Change, Part, Plan, Policy};
use crate::catalog::AcdLevel;
use crate::command::Command;
use crate::subject::Subject;
use crate::workspace::{MediaType, Method};

/// Credits each part of a change to the rules it comes from: an added key
/// to the rules that grant it, a removed key to the exclusive rules, the
/// method to the rules that grant it, the ACD level to the rules with an
/// ACD grant.
pub(super) fn credit(
    change: &Change,
    rules: &[&Policy],
    granted_by: &BTreeMap<&str, Vec<&str>>,
) -> Vec<(Part, Vec<String>)> {
    let names = |pick: &dyn Fn(&Policy) -> bool| -> Vec<String> {
        rules.iter().filter(|p| pick(p)).map(|p| p.name.clone()).collect()
    };
    let mut out = Vec::new();
    for k in &change.add {
        let by = granted_by
            .get(k.as_str())
            .map(|by| by.iter().map(|n| n.to_string()).collect())
            .unwrap_or_default();
        out.push((Part::Add(k.clone()), by));
    }
    for k in &change.remove {
        out.push((Part::Remove(k.clone()), names(&|p| p.exclusive)));
    }
    if let Some(m) = change.method {
        out.push((Part::Method, names(&|p| p.grant.method == Some(m))));
    }
    if change.acd.is_some() {
        out.push((Part::Acd, names(&|p| p.grant.acd.is_some())));
    }
    out
}

/// The one command that applies a plan: methods first (new licenses then
/// take the right method), then ACD, then the keys to add and to remove —
/// one command per key, so one exhausted allowance refuses only its own.
/// Each part is a batch labelled with the rules it is credited to, so the
/// change log says which rule made each change ("Apply policies: Agents"),
/// and the whole step is named after all of them.
pub fn command(plan: &Plan) -> Option<Command> {
    type Rules = Vec<String>;
    type Acd = (AcdLevel, BTreeSet<MediaType>);
    let mut commands = Vec::new();
    let mut methods: BTreeMap<(u8, Rules), Vec<String>> = BTreeMap::new();
    let mut acd: BTreeMap<(Acd, Rules), Vec<Subject>> = BTreeMap::new();
    let mut add: BTreeMap<(&str, Rules), Vec<Subject>> = BTreeMap::new();
    let mut remove: BTreeMap<(&str, Rules), Vec<Subject>> = BTreeMap::new();
    for c in &plan.changes {
        if let Some(m) = c.method {
            methods
                .entry((u8::from(m == Method::Concurrent), c.credited(&Part::Method).to_vec()))
                .or_default()
                .push(c.subject.id.clone());
        }
        if let Some(a) = &c.acd {
            acd.entry((a.clone(), c.credited(&Part::Acd).to_vec()))
                .or_default()
                .push(c.subject.clone());
        }
        for k in &c.add {
            add.entry((k, c.credited(&Part::Add(k.clone())).to_vec()))
                .or_default()
                .push(c.subject.clone());
        }
        for k in &c.remove {
            remove
                .entry((k, c.credited(&Part::Remove(k.clone())).to_vec()))
                .or_default()
                .push(c.subject.clone());
        }
    }
    let credited = |command: Command, rules: &[String]| Command::Batch {
        commands: vec![command],
        label: Some(format!("Apply policies: {}", rules.join(", "))),
    };
    for ((concurrent, rules), users) in methods {
        let method = if concurrent == 1 {
            Method::Concurrent
        } else {
            Method::Assignable
        };
        commands.push(credited(Command::SetMethod { users, method }, &rules));
    }
    for (((level, media), rules), subjects) in acd {
        commands.push(credited(
            Command::SetAcd {
                subjects,
                level: Some(level),
                media,
            },
            &rules,
        ));
    }
    for ((key, rules), subjects) in add {
        commands.push(credited(
            Command::Assign {
                subjects,
                key: key.to_string(),
                method: None,
            },
            &rules,
        ));
    }
    for ((key, rules), subjects) in remove {
        commands.push(credited(
            Command::Unassign {
                subjects,
                key: key.to_string(),
            },
            &rules,
        ));
    }
    // Named after the rules behind any change.
    let mut rules: Vec<&str> = plan
        .changes
        .iter()
        .flat_map(|c| c.rules.iter().map(String::as_str))
        .collect();
    rules.sort_unstable();
    rules.dedup();
    let label = format!("Apply policies: {}", rules.join(", "));
    (!commands.is_empty()).then_some(Command::Batch {
        commands,
        label: Some(label),
    })
}
