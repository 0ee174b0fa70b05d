//! A diagnostic (what is wrong but may be saved), its severity and its
//! code; the rules that make them are in `rules::diagnostics`, each code's
//! words (title, meaning, hint) in `rules::catalog`.

use serde::{Deserialize, Serialize};

use crate::model::subject::Subject;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "Error",
            Severity::Warning => "Warning",
            Severity::Info => "Info",
        }
    }
}

/// Declares the codes once: the enum, its text (in JSON, CSV, journals and
/// tooltips, exactly as these strings) and the list in declaration order.
macro_rules! codes {
    ($($variant:ident = $code:literal,)*) => {
        /// A diagnostic's stable code. Serialised as its text, so JSON and
        /// files read as they always have; ordered by that text too (lists
        /// sort diagnostics by code as they did when codes were strings).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum DiagnosticCode {
            $(#[serde(rename = $code)] $variant,)*
        }

        impl DiagnosticCode {
            /// Every code, in the order of `ALL` (errors first).
            pub const EVERY: &[DiagnosticCode] = &[$(DiagnosticCode::$variant,)*];

            /// The code as JSON, CSV and tooltips show it.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(DiagnosticCode::$variant => $code,)*
                }
            }
        }
    };
}

codes! {
    LicenseNotInFile = "license-not-in-file",
    AssignableExceeded = "assignable-exceeded",
    AcdMediaTypesExceedLevel = "acd-media-types-exceed-level",
    HostIdMismatch = "host-id-mismatch",
    LicenseExpired = "license-expired",
    VcMediaServerMismatch = "vc-media-server-mismatch",
    VcBefore2020R2 = "vc-before-2020-r2",
    SubscriptionBefore2018R2P2 = "subscription-before-2018-r2-p2",
    BasicStationMissing = "basic-station-missing",
    WorkgroupMemberWithoutAcd = "workgroup-member-without-acd",
    AcdMediaLevelMismatch = "acd-media-level-mismatch",
    AcdMediaTypeMismatch = "acd-media-type-mismatch",
    DependencyMissing = "dependency-missing",
    ClientAccessMissing = "client-access-missing",
    VcLocalUpload = "vc-local-upload",
    SwitchoverSameServer = "switchover-same-server",
    DefaultWorkstationUnknown = "default-workstation-unknown",
    PolicyDrift = "policy-drift",
    PolicyConflict = "policy-conflict",
    AssignableLow = "assignable-low",
    PoolNearCapacity = "pool-near-capacity",
    LicenseExpiring = "license-expiring",
    UnknownLicenseKey = "unknown-license-key",
    MediaServerLicenseRefused = "media-server-license-refused",
    KeyReadAs = "key-read-as",
    UsageUploadAndLocal = "usage-upload-and-local",
    AcdFromStations = "acd-from-stations",
    BilledPerUse = "billed-per-use",
    ProductVersionUnreadable = "product-version-unreadable",
}

impl DiagnosticCode {
    /// The code for its text, if it is one of ours.
    pub fn parse(text: &str) -> Option<DiagnosticCode> {
        Self::EVERY.iter().copied().find(|c| c.as_str() == text)
    }
}

impl std::fmt::Display for DiagnosticCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialOrd for DiagnosticCode {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for DiagnosticCode {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl PartialEq<str> for DiagnosticCode {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for DiagnosticCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// The message and hint are shared texts: a recount tells the same words
/// to every subject a combination of licenses and policies fits (26,184
/// diagnostics at 100k with 50 policies), each a pointer, not a copy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: DiagnosticCode,
    pub subject: Subject,
    pub message: std::sync::Arc<str>,
    pub hint: std::sync::Arc<str>,
}

impl Diagnostic {
    /// A diagnostic with its code, the subject it is about, what is wrong
    /// and what to do.
    pub fn new(
        severity: Severity,
        code: DiagnosticCode,
        subject: Subject,
        message: String,
        hint: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            severity,
            code,
            subject,
            message: message.into(),
            hint: hint.into().into(),
        }
    }
}
