//! What a user's licenses are billed as (seed: "How license assignment
//! impacts billing"): the billing categories of a set of license keys, and
//! why in words. Usage & Billing, the replay and the history all read it.

use std::collections::BTreeSet;

use crate::model::catalog::{self, BillingCategory};

/// The categories of a session from the licenses active in it.
pub fn categories<'a>(keys: impl IntoIterator<Item = &'a str>) -> Vec<BillingCategory> {
    explain(keys).0
}

/// The categories of a set of licenses and why, in words (Usage & Billing
/// shows the reason per user). Seed, "Agent and Business User categories":
/// Business User is "I3_CLIENT_ACCESS (and none of the following licenses)";
/// Agent is "I3_ACCESS_ACD_MEDIA_1 or any add-on license". An add-on license
/// is one of the seed's "Add-on and module Access licenses" or a key of an
/// agent add-on category; IPA, listed among the Access license types, is not
/// one (docs/license-keys.md, "Billing").
pub fn explain<'a>(keys: impl IntoIterator<Item = &'a str>) -> (Vec<BillingCategory>, String) {
    let mut found = BTreeSet::new();
    let mut client = false;
    let mut agent_keys: Vec<&'static str> = Vec::new();
    let mut dialer_plugin = false;
    for key in keys {
        let key = catalog::canonical(key);
        dialer_plugin |= key == DIALER_SUPERVISOR_PLUGIN;
        if key == catalog::CLIENT {
            client = true;
            continue;
        }
        let Some(info) = catalog::lookup(key) else { continue };
        let category = info.billing.filter(|c| *c != BillingCategory::BusinessUser);
        if category.is_some() || info.add_on {
            found.insert(BillingCategory::Agent);
            agent_keys.push(info.label);
            if let Some(c) = category.filter(|c| c.is_add_on()) {
                found.insert(c);
            }
        } else if info.billing == Some(BillingCategory::BusinessUser) {
            client = true;
        }
    }
    if found.is_empty() {
        return if client {
            (
                vec![BillingCategory::BusinessUser],
                "Business User: Client Access and no ACD or add-on license".to_string(),
            )
        } else {
            (
                Vec::new(),
                "Not counted: no Client Access, ACD or add-on license".to_string(),
            )
        };
    }
    agent_keys.sort_unstable();
    agent_keys.dedup();
    let reason = match agent_keys.as_slice() {
        [one] => format!("Agent: holds {one}"),
        [first, rest @ ..] => format!(
            "Agent: holds {first} and {} other agent license{}",
            rest.len(),
            if rest.len() == 1 { "" } else { "s" }
        ),
        [] => "Agent".to_string(),
    };
    // The two places disagree; the reading taken is said where it counts.
    let reason = if dialer_plugin {
        format!("{reason}. {DIALER_SUPERVISOR_READING}")
    } else {
        reason
    };
    (found.into_iter().collect(), reason)
}

/// The Dialer supervisor plug-in's key as licenses and ordered items spell
/// it (the Interaction Supervisor Add-on).
const DIALER_SUPERVISOR_PLUGIN: &str = "I3_ACCESS_DIALER_SUPERVISOR_PLUGIN";

/// Where the Licensing Technical Reference disagrees with itself: its
/// Supervisor billing category names I3_ACCESS_DIALER_SUPERVISOR_PLUS,
/// while its ordered items (the Interaction Supervisor Add-on) and license
/// examples give I3_ACCESS_DIALER_SUPERVISOR_PLUGIN. Both are billed as
/// Supervisor (docs/seed-rules.toml), and a session billed through the
/// plug-in says so.
pub const DIALER_SUPERVISOR_READING: &str = "Supervisor through I3_ACCESS_DIALER_SUPERVISOR_PLUGIN: the Licensing \
     Technical Reference's table of billing categories names I3_ACCESS_DIALER_SUPERVISOR_PLUS for Supervisor, its \
     ordered items name this key; both are billed as Supervisor";
