//! The refusals: what a command may not do. Each has a stable code (for
//! JSON, tests and the change log), a message in Interaction
//! Administrator's words and a hint that says what to do. The document, the
//! dialogs and the app ask these checks; none decides a rule itself.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::model::catalog::{self, AcdLevel};
use crate::model::license::License;
use crate::model::workspace::{MediaType, Method, NameSet};

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
    #[error("These Genesys Cloud estimate settings cannot be saved: {why}")]
    InvalidCloudSettings { why: String },
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
    #[error(
        "{}",
        if *.allowed == 1 {
            format!("The one assignable {label} license is allocated")
        } else {
            format!("All {allowed} assignable {label} licenses are allocated")
        }
    )]
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
        "invalid-cloud-settings",
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
            Refusal::InvalidCloudSettings { .. } => "invalid-cloud-settings",
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
            Refusal::InvalidPolicy { .. } => "Correct the policy (Help › Policies describes each field)",
            Refusal::InvalidPriceList { .. } => {
                "Give the currency and each price as a number of 0 or more with at most two decimals"
            }
            Refusal::InvalidCloudSettings { .. } => {
                "Correct the mapping, prices or waves (Help › Genesys Cloud estimate describes each field)"
            }
            Refusal::MachineNameTaken { .. } => "Each station needs its own Licensed Machine Name",
            Refusal::StationNeverConcurrent => "Allocate it to the station as Assignable",
            Refusal::OneMethodPerUser { .. } => "Change the user's license allocation method first",
            Refusal::NotALicenseKey { .. } => {
                "License keys start with I3_ (for example I3_ACCESS_CLIENT); the license keys command lists them"
            }
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
pub fn needs_basic_station(station: &crate::model::workspace::Station) -> bool {
    station.enabled && !station.licenses.contains(catalog::BASIC_STATION)
}

/// Where every refusal of the Activation File Management Tool points: the
/// tool Genesys Licensing answers (seed: "Customers and partners can submit
/// PureConnect license file requests through the Genesys Activation File
/// Request Tool").
pub const REQUEST_TOOL_POINTER: &str =
    "request it from the Genesys Licensing Team with the Genesys Activation File Request Tool";

/// What the Activation File Management Tool (`account generate`, `license
/// new --account`, the Account view) and its forms may not do: each with a
/// stable code, the tool's words and a hint. (`license new` without an
/// account is the issuer's own tool and is not bound by these.)
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AfmtRefusal {
    /// Seed: "Trial bundle licenses and add-on bundle licenses are not
    /// available in the Activation File Management Tool."
    #[error(
        "Trial bundle licenses are not available in the Activation File Management Tool (a trial is a license \
         Genesys Licensing generates)"
    )]
    TrialBundle,
    #[error(
        "Add-on bundle licenses are not available in the Activation File Management Tool: {parts} {verb} add-on \
         items, which go with a server license (choose one valid server item with them)",
        verb = if .parts.contains(',') { "are" } else { "is" }
    )]
    AddOnBundle { parts: String },
    /// Seed: "The Activation File Management Tool (AFMT) allows customers
    /// with a perpetual license … Subscription customers must request a
    /// license from the Genesys Licensing Team"; "only Genesys Licensing can
    /// generate these types of activation files".
    #[error(
        "Subscription activation files ({keys}) are not generated in the Activation File Management Tool, which \
         allows customers with a perpetual license to manage their licenses: only Genesys Licensing can generate \
         them"
    )]
    Subscription { keys: String },
    #[error(
        "{parts} at install site {site} would be drawn from non-perpetual (subscription) ordered items: a Mixed \
         Estate activation file, which only Genesys Licensing can generate"
    )]
    MixedEstate { parts: String, site: String },
    /// Seed, New Activation File: "Machine Name *".
    #[error("Machine Name is required")]
    MachineNameRequired,
    /// Seed, New Activation File: "Select One Valid Switchover Server
    /// Item" — and the form's "There are no switchover parts available":
    /// the part catalogue has no switchover server item, so an account
    /// never holds one.
    #[error(
        "Select One Valid Switchover Server Item: there are no switchover parts available on this account, so the \
         license cannot name a switchover server"
    )]
    NoSwitchoverItem,
    /// Seed: "Select One Valid Server Item".
    #[error("Select One Valid Server Item: the order has no server item{}", available_words(.available))]
    NoServerItem { available: String },
    #[error("Select One Valid Server Item: the order has {chosen}, but an activation file takes one server item")]
    OneServerItem { chosen: String },
    /// Seed, AFMT: "Software licenses are perpetual and have an expiration
    /// date of 1/1/2100"; ordered development "is active for one year";
    /// non-ordered partner development licenses run 30 days. The New
    /// Activation File form has no expiration date.
    #[error("{term}: the Activation File Management Tool does not take another expiration date ({asked} was given)")]
    ExpirySetByType { term: String, asked: String },
    /// Seed, License levels, Evaluation: "You cannot add other components to
    /// the pre-defined configuration for this license."
    #[error(
        "Evaluation license: you cannot add other components to the pre-defined configuration. {id} has {has}; \
         the update adds {added}"
    )]
    EvaluationComponents { id: String, has: String, added: String },
    /// Seed, New Activation File: "select an Install Site, Product, Product
    /// Version, and License Type"; the Upgrade Software tab "Provides ability
    /// to upgrade licenses to a newer version". Ordered items go into an
    /// activation file of their own product version.
    #[error(
        "{line} ordered items ({parts}) cannot go into an activation file for product version {version}{}",
        if *.line == "CIC 3.0" { "" } else { " (CIC 3.0)" }
    )]
    ItemsOfAnotherVersion {
        line: &'static str,
        parts: String,
        version: String,
    },
    /// Install Site Details: "Name *".
    #[error("Install Site Details: Name is required")]
    InstallSiteNameRequired,
    #[error("Install Site Details: an install site named `{name}` already exists (names are unique ignoring case)")]
    InstallSiteTaken { name: String },
    #[error("There is no install site `{name}` in this account")]
    NoSuchInstallSite { name: String },
    #[error("Install site {name} is not active")]
    InstallSiteInactive { name: String },
    #[error("Install Site Details: {field} {why}")]
    InstallSiteField { field: &'static str, why: String },
    /// The Genesys Activation File Request Tool's checks, each naming its
    /// field as the form labels it.
    #[error("{field} is required")]
    RequestFieldRequired { field: &'static str },
    #[error("{field} {why}")]
    RequestFieldInvalid { field: &'static str, why: String },
    #[error("{field}: `{address}` is not a well-formed email address")]
    RequestEmailMalformed { field: &'static str, address: String },
    #[error("Confirm Corporate Email does not match Corporate Email")]
    RequestEmailsDiffer,
    #[error(
        "Corporate Email: {domain} is a public webmail domain; the request needs a corporate email (\"You will \
         require a corporate email to submit the request\")"
    )]
    RequestWebmail { domain: String },
    #[error("{field}: `{text}` is not a date (YYYY-MM-DD or M/D/YYYY)")]
    RequestDate { field: &'static str, text: String },
    #[error("{field} isn't available when the Request Type is Question")]
    RequestNotForQuestion { field: &'static str },
}

fn available_words(available: &str) -> String {
    if available.is_empty() {
        " (this install site has none available)".to_string()
    } else {
        format!(" (available at this install site: {available})")
    }
}

impl AfmtRefusal {
    /// Every code, for docs and the test that each has a triggering case.
    pub const CODES: &'static [&'static str] = &[
        "afmt-trial-bundle",
        "afmt-add-on-bundle",
        "afmt-subscription",
        "afmt-mixed-estate",
        "afmt-machine-name-required",
        "afmt-no-server-item",
        "afmt-one-server-item",
        "afmt-expiry-set-by-type",
        "afmt-evaluation-components",
        "afmt-items-of-another-version",
        "install-site-name-required",
        "install-site-taken",
        "no-such-install-site",
        "install-site-inactive",
        "install-site-field",
        "request-field-required",
        "request-field-invalid",
        "request-email-malformed",
        "request-emails-differ",
        "request-webmail",
        "request-date",
        "request-not-for-question",
    ];

    pub fn code(&self) -> &'static str {
        match self {
            AfmtRefusal::TrialBundle => "afmt-trial-bundle",
            AfmtRefusal::AddOnBundle { .. } => "afmt-add-on-bundle",
            AfmtRefusal::Subscription { .. } => "afmt-subscription",
            AfmtRefusal::MixedEstate { .. } => "afmt-mixed-estate",
            AfmtRefusal::MachineNameRequired => "afmt-machine-name-required",
            AfmtRefusal::NoSwitchoverItem => "afmt-no-switchover-item",
            AfmtRefusal::NoServerItem { .. } => "afmt-no-server-item",
            AfmtRefusal::OneServerItem { .. } => "afmt-one-server-item",
            AfmtRefusal::ExpirySetByType { .. } => "afmt-expiry-set-by-type",
            AfmtRefusal::EvaluationComponents { .. } => "afmt-evaluation-components",
            AfmtRefusal::ItemsOfAnotherVersion { .. } => "afmt-items-of-another-version",
            AfmtRefusal::InstallSiteNameRequired => "install-site-name-required",
            AfmtRefusal::InstallSiteTaken { .. } => "install-site-taken",
            AfmtRefusal::NoSuchInstallSite { .. } => "no-such-install-site",
            AfmtRefusal::InstallSiteInactive { .. } => "install-site-inactive",
            AfmtRefusal::InstallSiteField { .. } => "install-site-field",
            AfmtRefusal::RequestFieldRequired { .. } => "request-field-required",
            AfmtRefusal::RequestFieldInvalid { .. } => "request-field-invalid",
            AfmtRefusal::RequestEmailMalformed { .. } => "request-email-malformed",
            AfmtRefusal::RequestEmailsDiffer => "request-emails-differ",
            AfmtRefusal::RequestWebmail { .. } => "request-webmail",
            AfmtRefusal::RequestDate { .. } => "request-date",
            AfmtRefusal::RequestNotForQuestion { .. } => "request-not-for-question",
        }
    }

    /// What to do about it. The refusals of what the tool will not
    /// generate point to the request tool.
    pub fn hint(&self) -> String {
        match self {
            AfmtRefusal::TrialBundle
            | AfmtRefusal::AddOnBundle { .. }
            | AfmtRefusal::Subscription { .. }
            | AfmtRefusal::MixedEstate { .. } => {
                let mut h = REQUEST_TOOL_POINTER.to_string();
                if let Some(first) = h.get_mut(0..1) {
                    first.make_ascii_uppercase();
                }
                h
            }
            AfmtRefusal::MachineNameRequired => "Type the name of the IC server the license is for".into(),
            AfmtRefusal::NoSwitchoverItem => "Leave the switchover server out (Provide Switchover information at \
                another time) and generate the license for the primary server; a switchover pair needs a switchover \
                server item on the account: ask Genesys Licensing with the Genesys Activation File Request Tool"
                .into(),
            AfmtRefusal::NoServerItem { .. } | AfmtRefusal::OneServerItem { .. } => {
                "Give exactly one server item (an SL… server or IDS… development system part) with one unit".into()
            }
            AfmtRefusal::ExpirySetByType { .. } => {
                "Leave the expiration date out, and the tool sets it from the license type".into()
            }
            AfmtRefusal::EvaluationComponents { .. } => {
                "Update the evaluation with its own ordered items only, or deactivate it and generate a production \
                 activation file for the larger configuration"
                    .into()
            }
            AfmtRefusal::ItemsOfAnotherVersion { line, .. } => {
                if *line == "CIC 3.0" {
                    "Upgrade them on the Upgrade Software tab (3.0 -> 4.0) and generate the activation file with \
                     their 4.0 items, or choose Product Version CIC 3.0"
                        .into()
                } else {
                    "Choose Product Version CIC 4.0 or later, or use CIC 3.0 ordered items".into()
                }
            }
            AfmtRefusal::InstallSiteNameRequired => "Type the install site's name".into(),
            AfmtRefusal::InstallSiteTaken { .. } => "Choose another name, or edit the existing install site".into(),
            AfmtRefusal::NoSuchInstallSite { .. } => "`account show` lists the account's install sites".into(),
            AfmtRefusal::InstallSiteInactive { .. } => {
                "Choose an active install site, or edit this one and tick Active".into()
            }
            AfmtRefusal::InstallSiteField { .. } => "Correct the field".into(),
            AfmtRefusal::RequestFieldRequired { .. } => "Fill in the field".into(),
            AfmtRefusal::RequestFieldInvalid { .. } | AfmtRefusal::RequestDate { .. } => "Correct the field".into(),
            AfmtRefusal::RequestEmailMalformed { .. } => "Type the address as name@company.example".into(),
            AfmtRefusal::RequestEmailsDiffer => "Type the same corporate email address in both boxes".into(),
            AfmtRefusal::RequestWebmail { .. } => "Use your employer's email address".into(),
            AfmtRefusal::RequestNotForQuestion { .. } => {
                "Leave it empty, or choose Activation File Request as the Request Type".into()
            }
        }
    }

    /// The message and the hint, as a face shows them.
    pub fn with_hint(&self) -> String {
        format!("{self}; {}", lower_first(&self.hint()))
    }

    /// Is this something only Genesys Licensing generates (the refusal
    /// points to the request tool)?
    pub fn points_to_request_tool(&self) -> bool {
        matches!(
            self,
            AfmtRefusal::TrialBundle
                | AfmtRefusal::AddOnBundle { .. }
                | AfmtRefusal::Subscription { .. }
                | AfmtRefusal::MixedEstate { .. }
        )
    }
}

fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// An AFMT refusal as JSON shows it: `{"code", "message", "hint"}`.
impl Serialize for AfmtRefusal {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("AfmtRefusal", 3)?;
        s.serialize_field("code", self.code())?;
        s.serialize_field("message", &self.to_string())?;
        s.serialize_field("hint", &self.hint())?;
        s.end()
    }
}
