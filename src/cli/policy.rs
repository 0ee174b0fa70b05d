//! `policy apply`: the workspace's license policies as one command, with
//! per-key refusals and conflicts reported (docs/policies.md).

use std::process::ExitCode;

use serde::Serialize;

use super::args::{OutputFormat, PolicyCommand};
use super::{Failure, banner, load_license, load_workspace, print_json, print_text};
use crate::core::command::Command;
use crate::core::document::Outcome;
use crate::core::policy::{self, Conflict};
use crate::core::policy_apply;
use crate::core::subject::Subject;
use crate::core::text::safe;

#[derive(Serialize)]
struct Changed {
    subject: Subject,
    add: Vec<String>,
    remove: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    method: Option<crate::core::workspace::Method>,
    #[serde(skip_serializing_if = "Option::is_none")]
    acd: Option<serde_json::Value>,
    /// The rules what changes is credited to: those that grant or remove
    /// it (not every rule the subject matches), in policy order.
    rules: Vec<String>,
}

#[derive(Serialize)]
struct Refused {
    subject: Subject,
    key: String,
    code: &'static str,
    message: String,
}

#[derive(Serialize)]
struct Report<'a> {
    license: crate::core::license::Trust,
    changed: Vec<Changed>,
    unchanged: usize,
    refused: Vec<Refused>,
    conflicts: &'a [Conflict],
}

/// What a sub-command is about, for a refusal: its key, or the method/ACD.
fn about(c: &Command) -> String {
    match c {
        Command::Assign { key, .. } | Command::Unassign { key, .. } => key.clone(),
        Command::SetMethod { .. } => "method".into(),
        Command::SetAcd { level, .. } => level.map_or_else(|| "acd".into(), |l| l.key().to_string()),
        // A part credited to its rules is a labelled batch of one command.
        Command::Batch { commands, .. } => commands.first().map(about).unwrap_or_default(),
        _ => String::new(),
    }
}

pub(super) fn run_policy(cmd: PolicyCommand) -> Result<ExitCode, Failure> {
    let PolicyCommand::Apply {
        license,
        workspace,
        dry_run,
        out,
        format,
        trust,
    } = cmd;
    // Written in place: held from reading to writing, as a session would.
    let _lock = if out.is_none() && !dry_run {
        Some(super::lock_workspace(&workspace, "ia-licensing policy apply")?)
    } else {
        None
    };
    let lic = load_license(&license, &trust)?;
    // A dry run changes nothing, so it may show what would change.
    if !dry_run {
        super::allocation_open(&lic)?;
    }
    let ws = load_workspace(&workspace)?;
    let plan = policy::plan(&ws);
    let mut doc = super::editable_document(lic, ws);
    // Each part on its own, in order, so one exhausted allowance refuses
    // only its own key (reported per subject and key).
    let parts = match policy_apply::command(&plan) {
        None => Vec::new(),
        Some(Command::Batch { commands, .. }) => commands,
        Some(one) => vec![one],
    };
    let mut refused: Vec<Refused> = Vec::new();
    for part in &parts {
        let outcomes = match doc.apply(part.clone()) {
            Ok(applied) => applied.outcomes,
            Err(refusal) => refusal.outcomes,
        };
        for o in outcomes {
            if let Outcome::Refused { code, reason } = o.outcome {
                refused.push(Refused {
                    subject: o.subject,
                    key: about(part),
                    code,
                    message: reason,
                });
            }
        }
    }
    let changed: Vec<Changed> = plan
        .changes
        .iter()
        .filter_map(|c| {
            let lost = |k: &str| refused.iter().any(|r| r.subject == c.subject && r.key == k);
            let add: Vec<String> = c.add.iter().filter(|k| !lost(k)).cloned().collect();
            let remove: Vec<String> = c.remove.iter().filter(|k| !lost(k)).cloned().collect();
            let method = c.method.filter(|_| !lost("method"));
            let acd = c
                .acd
                .as_ref()
                .filter(|(l, _)| !lost(l.key()))
                .map(|(l, m)| serde_json::json!({"level": l, "media": m}));
            let empty = add.is_empty() && remove.is_empty() && method.is_none() && acd.is_none();
            // Credited only for what is still done (a refused key's rules
            // made no change here).
            let done = |part: &policy::Part| match part {
                policy::Part::Add(k) => add.contains(k),
                policy::Part::Remove(k) => remove.contains(k),
                policy::Part::Method => method.is_some(),
                policy::Part::Acd => acd.is_some(),
            };
            let rules = c
                .rules
                .iter()
                .filter(|r| c.credit.iter().any(|(part, by)| done(part) && by.contains(r)))
                .cloned()
                .collect();
            (!empty).then(|| Changed {
                subject: c.subject.clone(),
                add,
                remove,
                method,
                acd,
                rules,
            })
        })
        .collect();
    let failed = !refused.is_empty() || !plan.conflicts.is_empty();
    if !dry_run && !parts.is_empty() {
        let target = super::write_workspace(&doc, workspace, out)?;
        eprintln!("wrote {}", safe(&target.display().to_string()));
    }
    match format {
        OutputFormat::Json => print_json(&Report {
            license: doc.license().signature.trust(),
            changed,
            unchanged: plan.unchanged,
            refused,
            conflicts: &plan.conflicts,
        })?,
        OutputFormat::Table => {
            let mut text = String::new();
            banner(&mut text, &[doc.license()]);
            text.push_str(&format!(
                "{} {}, {} already so, {} refused, {} in conflict\n",
                crate::core::subject::count_words(changed.iter().map(|c| &c.subject)),
                if dry_run { "would change" } else { "changed" },
                plan.unchanged,
                refused.len(),
                plan.conflicts.len()
            ));
            for c in &changed {
                text.push_str(&format!(
                    "  {}: {}{}{}({})\n",
                    safe(&c.subject.to_string()),
                    if c.add.is_empty() {
                        String::new()
                    } else {
                        format!("+{} ", c.add.join(" +"))
                    },
                    if c.remove.is_empty() {
                        String::new()
                    } else {
                        format!("-{} ", c.remove.join(" -"))
                    },
                    c.method.map_or(String::new(), |m| format!("method {} ", m.label())),
                    safe(&c.rules.join(", "))
                ));
            }
            for r in &refused {
                text.push_str(&format!(
                    "  refused {} {}: {} ({})\n",
                    safe(&r.subject.to_string()),
                    r.key,
                    safe(&r.message),
                    r.code
                ));
            }
            for c in &plan.conflicts {
                text.push_str(&format!(
                    "  conflict {}: {}\n",
                    safe(&c.subject.to_string()),
                    safe(&c.message)
                ));
            }
            print_text(&text)?;
        }
    }
    Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
