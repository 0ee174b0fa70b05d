//! Crediting each part of a change to the rules it comes from (the
//! change log names them; `edit::policy_apply` makes the command).

use std::collections::BTreeMap;

use super::{Change, Part, Policy};

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
