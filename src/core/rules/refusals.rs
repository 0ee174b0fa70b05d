//! The refusals: what a command may not do. Each has a stable code (for
//! JSON, tests and the change log), a message in Interaction
//! Administrator's words and a hint that says what to do. The document, the
//! dialogs and the app ask these checks; none decides a rule itself.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::core::catalog::{self, AcdLevel};
use crate::core::license::License;
use crate::core::workspace::{MediaType, Method, NameSet};

/// Why a change was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("There is no user `{id}`")]
    NoSuchUser { id: String },
    #[error("There is no station `{id}`")]
    NoSuchStation { id: String },
    #[error("There is no workgroup `{name}`")]
    NoSuchWorkgroup { name: String },
    #[error("Licenses are allocated to users and stations, not to a {kind}")]
    NotAHolder { kind: &'static str },
    #[error("A {what} ID cannot be blank")]
    IdBlank { what: &'static str },
    #[error("A {what} ID can be at most 256 characters")]
    IdTooLong { what: &'static str },
    #[error("A {what} named `{id}` already exists (names are unique ignoring case)")]
    IdTaken { what: &'static str, id: String },
    #[error("The Licensed Machine Name cannot be blank")]
    MachineNameBlank,
    #[error("This policy cannot be saved: {why}")]
    InvalidPolicy { why: String },
    #[error("This price list cannot be saved: {why}")]
    InvalidPriceList { why: String },
    #[error("Another station already uses the machine name `{name}`; it must be unique")]
    MachineNameTaken { name: String },
    #[error("Station licenses are always Assignable; a station cannot hold a concurrent license")]
    StationNeverConcurrent,
    #[error("All of a user's licenses use one allocation method, and this user's is {method}; change the method first")]
    OneMethodPerUser { method: &'static str },
    #[error("`{key}` is not a license key")]
    NotALicenseKey { key: String },
    #[error("{label} ({key}) is a server {kind}; it is not allocated to users or stations")]
    ServerKey {
        key: String,
        label: String,
        kind: &'static str,
    },
    #[error("{label} ({key}) is not in the loaded license file")]
    NotInLicense { key: String, label: String },
    #[error("The {label} license can only be allocated to stations")]
    StationOnly { label: String },
    #[error("{label} is a user license; it cannot be allocated to a station")]
    UserOnly { label: String },
    #[error("{level} is a user license only; stations may have Direct Routed or Group Routed Work Items")]
    IpaUserOnly { level: &'static str },
    #[error(
        "The license file has no concurrent (pooled) {label} licenses; set the user's method to Assignable or load a \
            license with pooled licenses"
    )]
    NoPooled { label: String },
    #[error("The license file has no assignable {label} licenses (only pooled); use the Concurrent method")]
    NoAssignable { label: String },
    #[error("All {allowed} assignable {label} licenses are allocated")]
    AssignableUsedUp { label: String, allowed: u32 },
    #[error("ACD {level} allows {cap} interaction type{}; {selected} are selected", if *.cap == 1 { "" } else { "s" })]
    TooManyMediaTypes {
        level: &'static str,
        cap: usize,
        selected: usize,
    },
    #[error("This change can only be made by Undo; it is not accepted as a command")]
    InternalOnly,
    #[error("Read-only mode: editing is off")]
    ReadOnly,
    #[error(
        "Allocation is read-only: the system is disabled and unlicensed (virtual cloud enforcement stage 6). Restore \
            the Genesys Cloud connection."
    )]
    SystemDisabled,
}

impl Refusal {
    /// Every code, for docs and the test that each has a triggering case.
    pub const CODES: &'static [&'static str] = &[
        "no-such-user",
        "invalid-policy",
        "invalid-price-list",
        "no-such-station",
        "no-such-workgroup",
        "not-a-holder",
        "id-blank",
        "id-too-long",
        "id-taken",
        "machine-name-blank",
        "machine-name-taken",
        "station-never-concurrent",
        "one-method-per-user",
        "not-a-license-key",
        "server-key",
        "not-in-license",
        "station-only",
        "user-only",
        "ipa-user-only",
        "no-pooled",
        "no-assignable",
        "assignable-used-up",
        "too-many-media-types",
        "internal-only",
        "read-only",
        "system-disabled",
    ];

    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::NoSuchUser { .. } => "no-such-user",
            Refusal::NoSuchStation { .. } => "no-such-station",
            Refusal::NoSuchWorkgroup { .. } => "no-such-workgroup",
            Refusal::NotAHolder { .. } => "not-a-holder",
            Refusal::IdBlank { .. } => "id-blank",
            Refusal::IdTooLong { .. } => "id-too-long",
            Refusal::IdTaken { .. } => "id-taken",
            Refusal::MachineNameBlank => "machine-name-blank",
            Refusal::InvalidPolicy { .. } => "invalid-policy",
            Refusal::InvalidPriceList { .. } => "invalid-price-list",
            Refusal::MachineNameTaken { .. } => "machine-name-taken",
            Refusal::StationNeverConcurrent => "station-never-concurrent",
            Refusal::OneMethodPerUser { .. } => "one-method-per-user",
            Refusal::NotALicenseKey { .. } => "not-a-license-key",
            Refusal::ServerKey { .. } => "server-key",
            Refusal::NotInLicense { .. } => "not-in-license",
            Refusal::StationOnly { .. } => "station-only",
            Refusal::UserOnly { .. } => "user-only",
            Refusal::IpaUserOnly { .. } => "ipa-user-only",
            Refusal::NoPooled { .. } => "no-pooled",
            Refusal::NoAssignable { .. } => "no-assignable",
            Refusal::AssignableUsedUp { .. } => "assignable-used-up",
            Refusal::TooManyMediaTypes { .. } => "too-many-media-types",
            Refusal::InternalOnly => "internal-only",
            Refusal::ReadOnly => "read-only",
            Refusal::SystemDisabled => "system-disabled",
        }
    }

    /// What the administrator can do about it.
    pub fn hint(&self) -> &'static str {
        match self {
            Refusal::NoSuchUser { .. } | Refusal::NoSuchStation { .. } | Refusal::NoSuchWorkgroup { .. } => {
                "Check the name, or add it first"
            }
            Refusal::NotAHolder { .. } => "Choose users or stations",
            Refusal::IdBlank { .. } | Refusal::IdTooLong { .. } => "Enter a name of 1 to 256 characters",
            Refusal::IdTaken { .. } => "Choose another name",
            Refusal::MachineNameBlank => "Enter the computer's name (it defaults to the station name)",
            Refusal::InvalidPolicy { .. } => "Correct the policy (docs/policies.md describes each field)",
            Refusal::InvalidPriceList { .. } => {
                "Give the currency and each price as a number of 0 or more with at most two decimals"
            }
            Refusal::MachineNameTaken { .. } => "Each station needs its own Licensed Machine Name",
            Refusal::StationNeverConcurrent => "Allocate it to the station as Assignable",
            Refusal::OneMethodPerUser { .. } => "Change the user's license allocation method first",
            Refusal::NotALicenseKey { .. } => "License keys start with I3_; see `ia-licensing license keys`",
            Refusal::ServerKey { .. } => "Server features and session licenses apply to the server as a whole",
            Refusal::NotInLicense { .. } => "Load a license file that includes it",
            Refusal::StationOnly { .. } => "Allocate it to the station",
            Refusal::UserOnly { .. } | Refusal::IpaUserOnly { .. } => "Allocate it to the user",
            Refusal::NoPooled { .. } => "Set the user's method to Assignable",
            Refusal::NoAssignable { .. } => "Set the user's method to Concurrent",
            Refusal::AssignableUsedUp { .. } => "Remove the license from someone who does not need it, or order more",
            Refusal::TooManyMediaTypes { .. } => "Select fewer interaction types, or allocate a higher ACD level",
            Refusal::InternalOnly => "Use Undo",
            Refusal::ReadOnly => "Restart without read-only to make changes",
            Refusal::SystemDisabled => "Restore the connection to the licensing service",
        }
    }
}

/// A refusal as JSON shows it: `{"code", "message", "hint"}`.
impl Serialize for Refusal {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("Refusal", 3)?;
        s.serialize_field("code", self.code())?;
        s.serialize_field("message", &self.to_string())?;
        s.serialize_field("hint", self.hint())?;
        s.end()
    }
}

/// Who is receiving a license, for the refusal checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holder<'a> {
    User { id: &'a str, method: Method },
    Station { id: &'a str },
}

/// Checks that do not depend on counts: may this holder have this key at all?
pub fn check_allowed(license: &License, holder: Holder<'_>, key: &str) -> Result<(), Refusal> {
    let label = || catalog::label(key).to_string();
    if !catalog::is_well_formed(key) {
        return Err(Refusal::NotALicenseKey { key: key.to_string() });
    }
    if let Some(info) = catalog::lookup(key)
        && info.kind != catalog::KeyKind::Access
    {
        return Err(Refusal::ServerKey {
            key: key.to_string(),
            label: label(),
            kind: match info.kind {
                catalog::KeyKind::Feature => "feature",
                catalog::KeyKind::Session => "session license",
                _ => "license",
            },
        });
    }
    if license.allowance(key).is_none() {
        return Err(Refusal::NotInLicense {
            key: key.to_string(),
            label: label(),
        });
    }
    let info = catalog::lookup(key);
    match holder {
        Holder::User { method, .. } => {
            // Station-only keys (Basic Station) are also the only ones that
            // cannot be concurrent, so this covers both.
            if info.is_some_and(|i| !i.holders.allows_user()) || !catalog::may_be_concurrent(key) {
                return Err(Refusal::StationOnly { label: label() });
            }
            // On subscription "There's no limit to the number of licenses
            // available … regardless of whether you're using the assignable or
            // concurrent allocation method" (LTR-158-subscription-no-count-limit).
            if method == Method::Concurrent
                && !license.is_subscription()
                && license.allowance(key).is_some_and(|a| a.pooled == 0)
            {
                return Err(Refusal::NoPooled { label: label() });
            }
        }
        Holder::Station { .. } => {
            if let Some(level) = catalog::ipa_level_of(key)
                && !level.station_allowed()
            {
                return Err(Refusal::IpaUserOnly { level: level.label() });
            }
            if info.is_some_and(|i| !i.holders.allows_station()) {
                return Err(Refusal::UserOnly { label: label() });
            }
        }
    }
    Ok(())
}

/// The assignable pool: refused when every assignable license is allocated.
/// On a subscription license the counts are no limit (seed, Subscription
/// license scenario: "There's no limit to the number of licenses available
/// or the number of licenses that you can use"; LTR-158-subscription-no-count-
/// limit): the assignment is accepted and `billed-per-use` says so.
pub fn check_capacity(license: &License, key: &str, assignable_configured: u32) -> Result<(), Refusal> {
    if license.is_subscription() {
        return Ok(());
    }
    let label = || catalog::label(key).to_string();
    let allowed = license.allowance(key).map_or(0, |a| a.assigned);
    if allowed == 0 {
        return Err(Refusal::NoAssignable { label: label() });
    }
    if assignable_configured >= allowed {
        return Err(Refusal::AssignableUsedUp {
            label: label(),
            allowed,
        });
    }
    Ok(())
}

/// A new user, station or workgroup name.
pub fn check_new_id(id: &str, what: &'static str, taken: bool) -> Result<(), Refusal> {
    if id.trim().is_empty() {
        return Err(Refusal::IdBlank { what });
    }
    if id.len() > 256 {
        return Err(Refusal::IdTooLong { what });
    }
    if taken {
        return Err(Refusal::IdTaken {
            what,
            id: id.to_string(),
        });
    }
    Ok(())
}

/// Media 1 allows one interaction type, Media 2 two.
pub fn check_media_count(licenses: &NameSet, types: &BTreeSet<MediaType>) -> Result<(), Refusal> {
    if let Some(level) = super::acd_level(licenses)
        && let Some(cap) = level.capacity()
        && types.len() > cap
    {
        return Err(Refusal::TooManyMediaTypes {
            level: level.label(),
            cap,
            selected: types.len(),
        });
    }
    Ok(())
}

/// Fits the licensed interaction types to a new ACD level: Media 1 keeps
/// one, Media 2 two (the first in order), Media 3 Plus needs none listed.
pub fn fit_media_to_level(level: AcdLevel, media: &mut BTreeSet<MediaType>) {
    match level.capacity() {
        Some(cap) => {
            while media.len() > cap {
                media.pop_last();
            }
        }
        None => media.clear(),
    }
}

/// Whether any change may be made at all: not in read-only mode, and not
/// once a virtual-cloud system is disabled (enforcement stage 6).
pub fn check_editable(read_only: bool, enforcement_stage: u8) -> Result<(), Refusal> {
    if read_only {
        Err(Refusal::ReadOnly)
    } else if enforcement_stage >= 6 {
        Err(Refusal::SystemDisabled)
    } else {
        Ok(())
    }
}

/// IA's message when an enabled station is saved without Basic Station.
pub const NEEDS_BASIC_STATION: &str =
    "A Basic Station license is needed to activate the station: without one it has no dial tone or audio.";

/// Does saving this station warrant IA's Basic Station message?
pub fn needs_basic_station(station: &crate::core::workspace::Station) -> bool {
    station.enabled && !station.licenses.contains(catalog::BASIC_STATION)
}
