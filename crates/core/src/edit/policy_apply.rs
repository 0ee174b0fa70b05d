//! Turning a policies plan into the one command that applies it, each part
//! credited to the rules it comes from (`rules::policy` judges; this is the
//! edit that carries the judgement out).

use std::collections::{BTreeMap, BTreeSet};

use crate::edit::command::Command;
use crate::model::catalog::AcdLevel;
use crate::model::subject::Subject;
use crate::model::workspace::{MediaType, Method};
use crate::rules::policy::{Part, Plan};

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
