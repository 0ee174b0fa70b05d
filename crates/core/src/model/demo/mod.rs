//! The built-in demo data: the demo license and workspace, and the trainer
//! scenarios, compiled in so the app shows something useful at once.

pub use crate::model::error::DemoError;
use crate::model::license::{License, LoadOptions, TrustStore};

/// The seed's View License example, signed with the demo key.
pub const DEMO_LICENSE: &[u8] = include_bytes!("../../../../../assets/demo.I3Lic");
/// The demo workspace that goes with it.
pub const DEMO_WORKSPACE: &str = include_str!("../../../../../assets/demo.ialws");

/// Built-in scenarios: (name, license, workspace, events).
pub const SCENARIOS: [(&str, &[u8], &str, &str); 5] = [
    (
        "John Smith's day (seed)",
        include_bytes!("../../../../../assets/scenarios/john-smith.I3Lic"),
        include_str!("../../../../../assets/scenarios/john-smith.ialws"),
        include_str!("../../../../../assets/scenarios/john-smith.events.json"),
    ),
    (
        "Shift change: 60 agents, 50 pooled",
        include_bytes!("../../../../../assets/scenarios/shift-change.I3Lic"),
        include_str!("../../../../../assets/scenarios/shift-change.ialws"),
        include_str!("../../../../../assets/scenarios/shift-change.events.json"),
    ),
    (
        "Dynamic remote logons exhaust Basic Stations",
        include_bytes!("../../../../../assets/scenarios/dynamic-remote.I3Lic"),
        include_str!("../../../../../assets/scenarios/dynamic-remote.ialws"),
        include_str!("../../../../../assets/scenarios/dynamic-remote.events.json"),
    ),
    (
        "Idle Tracker licenses: 20 of 100 unused for 60 days",
        include_bytes!("../../../../../assets/scenarios/idle-tracker.I3Lic"),
        include_str!("../../../../../assets/scenarios/idle-tracker.ialws"),
        include_str!("../../../../../assets/scenarios/idle-tracker.events.json"),
    ),
    (
        "Virtual cloud: check-ins and enforcement stages",
        include_bytes!("../../../../../assets/demo-virtual-cloud.I3Lic"),
        include_str!("../../../../../assets/scenarios/virtual-cloud.ialws"),
        include_str!("../../../../../assets/scenarios/virtual-cloud.events.json"),
    ),
];

/// The embedded demo license, verified like any other file. If the trust
/// store lacks the demo key, it is read unsigned (visibly marked) so the
/// window still opens.
pub fn demo_license(trust: &TrustStore) -> Result<License, DemoError> {
    demo_license_inner(trust).map_err(DemoError)
}

fn demo_license_inner(trust: &TrustStore) -> Result<License, String> {
    match License::load_bytes(
        DEMO_LICENSE,
        LoadOptions {
            trust,
            allow_unsigned: true,
        },
    ) {
        Ok(l) => Ok(l),
        Err(_) => {
            let empty = TrustStore::empty();
            let mut value: serde_json::Value = serde_json::from_slice(DEMO_LICENSE).map_err(|e| e.to_string())?;
            if let Some(obj) = value.as_object_mut() {
                obj.remove("signature");
            }
            let bytes = serde_json::to_vec(&value).map_err(|e| e.to_string())?;
            License::load_bytes(
                &bytes,
                LoadOptions {
                    trust: &empty,
                    allow_unsigned: true,
                },
            )
            .map_err(|e| e.to_string())
        }
    }
}

/// A built-in scenario's license, verified with the trust store.
pub fn scenario_license(name: &str, trust: &TrustStore, allow_unsigned: bool) -> Result<License, DemoError> {
    scenario_license_inner(name, trust, allow_unsigned).map_err(DemoError)
}

fn scenario_license_inner(name: &str, trust: &TrustStore, allow_unsigned: bool) -> Result<License, String> {
    let (_, bytes, _, _) = SCENARIOS
        .iter()
        .find(|(n, ..)| *n == name)
        .ok_or_else(|| format!("there is no built-in scenario `{name}`"))?;
    License::load_bytes(bytes, LoadOptions { trust, allow_unsigned }).map_err(|e| e.to_string())
}

/// A built-in scenario's name as a user reads it. The name stays as it is
/// in the files that refer to it (journals, recovery) and in the seed
/// register; the mark that says which one reproduces a table of the seed
/// is for developers, not shown.
pub fn scenario_title(name: &str) -> &str {
    name.strip_suffix(" (seed)").unwrap_or(name)
}
