//! The built-in demo data: the demo license and workspace, and the trainer
//! scenarios, compiled in so the app shows something useful at once.

use crate::model::license::generate::OrderError;
use crate::model::license::signing::KeyError;
use crate::model::license::{License, LoadOptions, TrustStore};

/// Built-in demo or scenario data could not be loaded, or generated data
/// could not be made.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("there is no built-in scenario `{0}`")]
    NoSuchScenario(String),
    /// An embedded license refused (a broken build).
    #[error(transparent)]
    Refused(#[from] crate::model::license::Refusal),
    /// The embedded demo license is not JSON (a broken build).
    #[error(transparent)]
    Json(#[from] serde_json::Error),
    #[error(transparent)]
    Order(#[from] OrderError),
    #[error(transparent)]
    Key(#[from] KeyError),
}

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
            let mut value: serde_json::Value = serde_json::from_slice(DEMO_LICENSE)?;
            if let Some(obj) = value.as_object_mut() {
                obj.remove("signature");
            }
            let bytes = serde_json::to_vec(&value)?;
            Ok(License::load_bytes(
                &bytes,
                LoadOptions {
                    trust: &empty,
                    allow_unsigned: true,
                },
            )?)
        }
    }
}

/// A built-in scenario's license, verified with the trust store.
pub fn scenario_license(name: &str, trust: &TrustStore, allow_unsigned: bool) -> Result<License, DemoError> {
    let (_, bytes, _, _) = SCENARIOS
        .iter()
        .find(|(n, ..)| *n == name)
        .ok_or_else(|| DemoError::NoSuchScenario(name.to_string()))?;
    Ok(License::load_bytes(bytes, LoadOptions { trust, allow_unsigned })?)
}

/// A built-in scenario's name as a user reads it. The name stays as it is
/// in the files that refer to it (journals, recovery) and in the seed
/// register; the mark that says which one reproduces a table of the seed
/// is for developers, not shown.
pub fn scenario_title(name: &str) -> &str {
    name.strip_suffix(" (seed)").unwrap_or(name)
}
