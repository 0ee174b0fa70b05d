//! The part-number catalogue: what Genesys sells (`SW-001-4.0-AL04`, …) and
//! the license keys each unit expands to (seed: "How sales orders are related
//! to licenses" and the Activation File Management Tool pages).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::catalog;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PartKind {
    /// Access licenses (AL…).
    Access,
    /// Access add-ons (AA…).
    AddOn,
    /// Session packs (PL…).
    Session,
    /// Server items (SL…, IDS…): they select the server, no per-user keys.
    Server,
}

#[derive(Debug, Clone, Serialize)]
pub struct PartInfo {
    pub part_number: &'static str,
    pub description: &'static str,
    /// AFMT's "Product Category" column.
    pub product_category: &'static str,
    pub kind: PartKind,
    /// Keys one unit of the part adds (each one license per unit).
    pub keys: &'static [&'static str],
    /// The 4.0 part a 3.0 part upgrades to (seed: Upgrade Software tab).
    pub upgrades_to: Option<&'static str>,
    /// True where the seed does not give the expansion.
    pub assumed: bool,
}

const BS: &str = catalog::BASIC_STATION;
const CLIENT: &str = catalog::CLIENT;
const M1: &str = catalog::ACD_MEDIA_1;
const M3: &str = catalog::ACD_MEDIA_3_PLUS;
const QM_AGENT: &str = "I3_ACCESS_RECORDER_QUALITYMONITORING_AGENT";

macro_rules! part {
    ($pn:expr, $desc:expr, $cat:expr, $kind:ident, $keys:expr, up=$up:expr, assumed=$assumed:expr) => {
        PartInfo {
            part_number: $pn,
            description: $desc,
            product_category: $cat,
            kind: PartKind::$kind,
            keys: $keys,
            upgrades_to: $up,
            assumed: $assumed,
        }
    };
}

static PARTS: &[PartInfo] = &[
    // 4.0 access licenses — seed table "Access Licenses".
    part!(
        "SW-001-4.0-AL01",
        "Basic Station",
        "CIC 4.0",
        Access,
        &[BS],
        up = None,
        assumed = false
    ),
    part!(
        "SW-001-4.0-AL02",
        "Business Client",
        "CIC 4.0",
        Access,
        &[BS, CLIENT],
        up = None,
        assumed = false
    ),
    part!(
        "SW-001-4.0-AL03",
        "Phone-only Call Center",
        "CIC 4.0",
        Access,
        &[BS, M1],
        up = None,
        assumed = false
    ),
    part!(
        "SW-001-4.0-AL04",
        "Contact Center Level 1",
        "CIC 4.0",
        Access,
        &[BS, CLIENT, M1],
        up = None,
        assumed = false
    ),
    // Contact Center Level 3: the seed's View License example pairs 120 units
    // with 120 Client, Media 3 Plus, QM Agent and Basic Station licenses.
    part!(
        "SW-001-4.0-AL06",
        "Contact Center Level 3",
        "CIC 4.0",
        Access,
        &[BS, CLIENT, M3, QM_AGENT],
        up = None,
        assumed = true
    ),
    part!(
        "SW-001-4.0-AL08",
        "Contact Center Level 3",
        "CIC 4.0",
        Access,
        &[BS, CLIENT, M3, QM_AGENT],
        up = None,
        assumed = true
    ),
    // 4.0 add-ons — seed table "Access Add-on Licenses".
    part!(
        "SW-001-4.0-AA01",
        "Interaction Supervisor Add-on",
        "CIC 4.0",
        AddOn,
        &[
            "I3_ACCESS_DIALER_SUPERVISOR_PLUGIN",
            "I3_ACCESS_WORKGROUP_SUPERVISOR_PLUGIN",
            "I3_ACCESS_HISTORICAL_REPORT_SUPERVISOR_PLUGIN"
        ],
        up = None,
        assumed = false
    ),
    part!(
        "SW-001-4.0-AA02",
        "Interaction Scriptor Add-on",
        "CIC 4.0",
        AddOn,
        &["I3_ACCESS_INTERACTION_SCRIPTER_ADDON"],
        up = None,
        assumed = false
    ),
    part!(
        "SW-001-4.0-AA17",
        "Interaction Report Assistant",
        "CIC 4.0",
        AddOn,
        &["I3_ACCESS_REPORT_ASSISTANT_SUPERVISOR_PLUGIN"],
        up = None,
        assumed = false
    ),
    // 4.0 sessions — expansion read off the View License example (100 ↔ 100).
    part!(
        "SW-001-4.0-PL04",
        "Advanced Session",
        "CIC 4.0",
        Session,
        &["I3_LICENSE_ADVANCED_SESSION_ADDON"],
        up = None,
        assumed = true
    ),
    part!(
        "SW-001-4.0-PL06",
        "Conference Session",
        "CIC 4.0",
        Session,
        &["I3_LICENSE_CONFERECE_SESSION_ADDON"],
        up = None,
        assumed = true
    ),
    part!(
        "SW-001-4.0-PL08",
        "Conference Session",
        "CIC 4.0",
        Session,
        &["I3_LICENSE_CONFERECE_SESSION_ADDON"],
        up = None,
        assumed = true
    ),
    part!(
        "SW-001-4.0-PL09",
        "Media Session",
        "CIC 4.0",
        Session,
        &["I3_LICENSE_MEDIA_SESSION_ADDON"],
        up = None,
        assumed = true
    ),
    // 4.0 server items.
    part!(
        "SW-001-4.0-SL03",
        "Intermediate Server",
        "CIC 4.0",
        Server,
        &[],
        up = None,
        assumed = false
    ),
    part!(
        "SW-001-4.0-IDS2",
        "Large PureConnect On Premise development system - Included w/ Server",
        "CIC 4.0",
        Server,
        &[],
        up = None,
        assumed = false
    ),
    // 4.0 targets of the seed's 3.0 -> 4.0 upgrades that the seed does not
    // list itself: same suffix, same description (assumed).
    part!(
        "SW-001-4.0-AA07",
        "Interaction Client Mobile Edition - Add on",
        "CIC 4.0",
        AddOn,
        &[],
        up = None,
        assumed = true
    ),
    part!(
        "SW-001-4.0-AA08",
        "Unified Messaging add-on",
        "CIC 4.0",
        AddOn,
        &[],
        up = None,
        assumed = true
    ),
    part!(
        "SW-001-4.0-AAF1",
        "Interaction Client for Outlook Edition Add-on",
        "CIC 4.0",
        AddOn,
        &["I3_ACCESS_OUTLOOK_ADDIN"],
        up = None,
        assumed = true
    ),
    part!(
        "SW-001-4.0-IDS1",
        "Small PureConnect On Premise development system - included w/ Server",
        "CIC 4.0",
        Server,
        &[],
        up = None,
        assumed = true
    ),
    part!(
        "SW-001-4.0-PL03",
        "Basic Session",
        "CIC 4.0",
        Session,
        &["I3_LICENSE_BASIC_SESSION"],
        up = None,
        assumed = true
    ),
    // 3.0 parts from the seed's upgrade table (3.0 -> 4.0).
    part!(
        "SW-001-3.0-AA01",
        "Interaction Supervisor add-on",
        "CIC 3.0",
        AddOn,
        &[
            "I3_ACCESS_DIALER_SUPERVISOR_PLUGIN",
            "I3_ACCESS_WORKGROUP_SUPERVISOR_PLUGIN",
            "I3_ACCESS_HISTORICAL_REPORT_SUPERVISOR_PLUGIN"
        ],
        up = Some("SW-001-4.0-AA01"),
        assumed = true
    ),
    part!(
        "SW-001-3.0-AA07",
        "Interaction Client Mobile Edition - Add on",
        "CIC 3.0",
        AddOn,
        &[],
        up = Some("SW-001-4.0-AA07"),
        assumed = true
    ),
    part!(
        "SW-001-3.0-AA08",
        "Unified Messaging add-on",
        "CIC 3.0",
        AddOn,
        &[],
        up = Some("SW-001-4.0-AA08"),
        assumed = true
    ),
    part!(
        "SW-001-3.0-AAF1",
        "Interaction Client for Outlook Edition Add-on",
        "CIC 3.0",
        AddOn,
        &["I3_ACCESS_OUTLOOK_ADDIN"],
        up = Some("SW-001-4.0-AAF1"),
        assumed = true
    ),
    part!(
        "SW-001-3.0-AL01",
        "Basic Station",
        "CIC 3.0",
        Access,
        &[BS],
        up = Some("SW-001-4.0-AL01"),
        assumed = true
    ),
    part!(
        "SW-001-3.0-AL02",
        "Business Client",
        "CIC 3.0",
        Access,
        &[BS, CLIENT],
        up = Some("SW-001-4.0-AL02"),
        assumed = true
    ),
    part!(
        "SW-001-3.0-AL04",
        "Contact Center Level 1",
        "CIC 3.0",
        Access,
        &[BS, CLIENT, M1],
        up = Some("SW-001-4.0-AL04"),
        assumed = true
    ),
    part!(
        "SW-001-3.0-IDS1",
        "Small PureConnect On Premise development system - included w/ Server",
        "CIC 3.0",
        Server,
        &[],
        up = Some("SW-001-4.0-IDS1"),
        assumed = true
    ),
    part!(
        "SW-001-3.0-PL03",
        "Basic Session",
        "CIC 3.0",
        Session,
        &["I3_LICENSE_BASIC_SESSION"],
        up = Some("SW-001-4.0-PL03"),
        assumed = true
    ),
];

pub fn all() -> &'static [PartInfo] {
    PARTS
}

pub fn lookup(part_number: &str) -> Option<&'static PartInfo> {
    PARTS
        .iter()
        .find(|p| p.part_number.eq_ignore_ascii_case(part_number.trim()))
}

/// Assigned and pooled counts of one key.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub assigned: u64,
    pub pooled: u64,
}

/// Expands ordered units of a part into per-key counts, adding to `into`.
/// Each unit adds one license of every key the part lists; pooled units go to
/// the pooled count of keys that may be concurrent, and keys that may not
/// (Basic Station) take every unit as assigned.
pub fn expand_into(part: &PartInfo, assigned_units: u64, pooled_units: u64, into: &mut BTreeMap<String, Counts>) {
    for key in part.keys {
        add_key(key, assigned_units, pooled_units, into);
    }
}

/// Adds a key's counts following the same concurrency rule as parts.
pub fn add_key(key: &str, assigned: u64, pooled: u64, into: &mut BTreeMap<String, Counts>) {
    let entry = into.entry(key.to_string()).or_default();
    if catalog::may_be_concurrent(key) {
        entry.assigned = entry.assigned.saturating_add(assigned);
        entry.pooled = entry.pooled.saturating_add(pooled);
    } else {
        entry.assigned = entry.assigned.saturating_add(assigned).saturating_add(pooled);
    }
}

/// The parts that provide a key, 4.0 parts first.
pub fn parts_providing(key: &str) -> impl Iterator<Item = &'static PartInfo> + '_ {
    PARTS.iter().filter(move |p| p.keys.contains(&key))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn al04_expands_as_the_seed_lists() {
        let part = lookup("SW-001-4.0-AL04").expect("AL04");
        let mut out = BTreeMap::new();
        expand_into(part, 5, 25, &mut out);
        assert_eq!(
            out[catalog::BASIC_STATION],
            Counts {
                assigned: 30,
                pooled: 0
            }
        );
        assert_eq!(
            out[catalog::CLIENT],
            Counts {
                assigned: 5,
                pooled: 25
            }
        );
        assert_eq!(
            out[catalog::ACD_MEDIA_1],
            Counts {
                assigned: 5,
                pooled: 25
            }
        );
    }

    #[test]
    fn every_part_key_is_in_the_key_catalogue() {
        for p in all() {
            for k in p.keys {
                assert!(catalog::lookup(k).is_some(), "{} expands to unknown {k}", p.part_number);
            }
            if let Some(up) = p.upgrades_to {
                assert!(lookup(up).is_some(), "{} upgrades to unknown {up}", p.part_number);
            }
        }
    }

    /// Seed, Upgrade Software › Parts with Upgrade Options: "SW-001-3.0-AA01
    /// … AA07 … AA08 … AAF1 … AL01 … AL02 … AL04 … IDS1 … PL03", each with
    /// "3.0 -> 4.0".
    #[test]
    fn the_nine_seed_upgrades_reach_a_4_0_part() {
        for suffix in ["AA01", "AA07", "AA08", "AAF1", "AL01", "AL02", "AL04", "IDS1", "PL03"] {
            let old = lookup(&format!("SW-001-3.0-{suffix}")).expect("3.0 part");
            let target = old.upgrades_to.and_then(lookup).expect("upgrade target");
            assert_eq!(target.product_category, "CIC 4.0", "{suffix}");
            assert_eq!(target.kind, old.kind, "{suffix}");
            assert_eq!(target.keys, old.keys, "{suffix}: an upgrade keeps the licenses");
        }
    }
}
