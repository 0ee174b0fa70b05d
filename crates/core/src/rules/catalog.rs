//! Every diagnostic the rules can raise, listed once: its stable code (in
//! JSON, CSV and tooltips), its severity, its title in Interaction
//! Administrator's words (the Warnings panel's groups), what it means and
//! what to do. The Warnings help page is made from this list, and a test
//! holds every code the rules emit to an entry here.

use crate::model::diagnostic::{DiagnosticCode, Severity};

/// The words of each code (the code itself is `model::diagnostic`).
impl DiagnosticCode {
    /// Its entry in `ALL` (declared in the same order, a test holds them so).
    pub fn entry(self) -> &'static Entry {
        &ALL[self as usize]
    }

    /// Its short title in Interaction Administrator's words (the Warnings
    /// panel's groups, the tables' Warnings column).
    pub fn title(self) -> &'static str {
        self.entry().title
    }

    /// What it means, for the Warnings help page.
    pub fn meaning(self) -> &'static str {
        self.entry().meaning
    }

    /// What to do, in general (each diagnostic's own hint is specific).
    pub fn hint(self) -> &'static str {
        self.entry().fix
    }

    pub fn severity(self) -> Severity {
        self.entry().severity
    }
}

/// One kind of diagnostic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub code: DiagnosticCode,
    pub severity: Severity,
    pub title: &'static str,
    /// What it means, for the Warnings help page.
    pub meaning: &'static str,
    /// What to do, in general (each diagnostic's own hint is specific).
    pub fix: &'static str,
}

const fn entry(
    code: DiagnosticCode,
    severity: Severity,
    title: &'static str,
    meaning: &'static str,
    fix: &'static str,
) -> Entry {
    Entry {
        code,
        severity,
        title,
        meaning,
        fix,
    }
}

use Severity::{Error, Info, Warning};

/// Every diagnostic, errors first, in the order the Warnings panel sorts
/// its groups.
pub const ALL: &[Entry] = &[
    entry(
        DiagnosticCode::LicenseNotInFile,
        Error,
        "License not in the license file",
        "A license is allocated to users or stations (or configured as Concurrent) but the loaded license \
         file does not include it: the server will not grant it.",
        "Remove the allocations (Licenses Allocation lists who holds it), or load a license file that \
         includes the license.",
    ),
    entry(
        DiagnosticCode::AssignableExceeded,
        Error,
        "More licenses allocated than allowed",
        "More users or stations hold an Assignable license than the license file allows. The server grants \
         licenses up to the count; the rest go without.",
        "Remove the license from the users or stations that need it least, or order more and load the new \
         license file.",
    ),
    entry(
        DiagnosticCode::AcdMediaTypesExceedLevel,
        Error,
        "More interaction types than the ACD level allows",
        "An ACD Access license allows a number of interaction types (Media 1: one, Media 2: two, Media 3 \
         Plus: all), but more are selected on the Licensing tab.",
        "Select fewer interaction types on the Licensing tab, or allocate a higher ACD level.",
    ),
    entry(
        DiagnosticCode::HostIdMismatch,
        Error,
        "Host ID does not match the license",
        "The license file is generated for a server's host ID; this workspace's server has another one, so \
         the license will not work there.",
        "Load the license generated for this server, or generate one for its host ID in the Activation File \
         Management Tool.",
    ),
    entry(
        DiagnosticCode::LicenseExpired,
        Error,
        "License expired",
        "The license file's expiration date has passed: the server no longer grants its licenses.",
        "Load a renewed license file from the Activation File Management Tool.",
    ),
    entry(
        DiagnosticCode::VcMediaServerMismatch,
        Error,
        "Media server not on cloud licensing",
        "A media server uses virtual cloud licensing while the CIC server does not, or the other way round; \
         both must use the same kind of licensing.",
        "Give the media server a license of the same kind as the CIC server's.",
    ),
    entry(
        DiagnosticCode::VcBefore2020R2,
        Error,
        "Virtual cloud before PureConnect 2020 R2",
        "The license uses virtual cloud licensing for a product version before 2020 R2; virtual cloud \
         licensing is available starting with PureConnect 2020 R2.",
        "Upgrade to PureConnect 2020 R2 or later and request a license for that version, or use a usage \
         tracking upload license.",
    ),
    entry(
        DiagnosticCode::SubscriptionBefore2018R2P2,
        Error,
        "Subscription before PureConnect 2018 R2 Patch 2",
        "The license has usage tracking keys (I3_FEATURE_USAGE_TRACKING, _UPLOAD or _LOCAL) for a product \
         version before 2018 R2 Patch 2; the subscription license model they belong to was introduced in \
         PureConnect 2018 R2 Patch 2.",
        "Upgrade to PureConnect 2018 R2 Patch 2 or later and request a license for that version, or ask for a \
         perpetual license without the usage tracking keys.",
    ),
    entry(
        DiagnosticCode::BasicStationMissing,
        Warning,
        "Station without Basic Station",
        "An enabled station has no Basic Station license. Without it the station cannot be activated: no \
         dial tone or audio.",
        "Allocate Basic Station on Station Configuration › Licenses, or disable the station.",
    ),
    entry(
        DiagnosticCode::WorkgroupMemberWithoutAcd,
        Warning,
        "Queue member without ACD Access",
        "A user belongs to a workgroup with an ACD queue but holds no ACD Access license (nor does their \
         default workstation or a shift station), so cannot take the queue's interactions.",
        "Allocate an ACD Access license (Media 1, Media 2 or Media 3 Plus) on User Configuration › \
         Licensing, or remove the user from the workgroup.",
    ),
    entry(
        DiagnosticCode::AcdMediaLevelMismatch,
        Warning,
        "ACD level below the queues' media",
        "The queues of a user's workgroups carry more interaction types than the user's ACD level allows; \
         the system limits the interaction types the user receives until the licensing problem is resolved.",
        "Allocate a higher ACD level, or take the user out of the queues they cannot serve.",
    ),
    entry(
        DiagnosticCode::AcdMediaTypeMismatch,
        Warning,
        "Interaction types do not match the queues",
        "The interaction types selected on the user's Licensing tab do not include the types the queues of \
         their workgroups carry.",
        "Select the queues' interaction types on the Licensing tab (within what the ACD level allows).",
    ),
    entry(
        DiagnosticCode::DependencyMissing,
        Warning,
        "Prerequisite license missing",
        "A license needs another one to work (for example an add-on needs Client Access, an ACD license \
         needs Client Access), and the holder lacks it.",
        "Allocate the prerequisite license to the same user or station, or remove the add-on.",
    ),
    entry(
        DiagnosticCode::ClientAccessMissing,
        Warning,
        "No Client Access for the client",
        "Neither the user nor their default workstation holds a Client Access license: the CIC client cannot \
         run there, so the user's other licenses cannot be used on that station.",
        "Allocate Client Access to the user (User Configuration › Licensing) or to the station (Station \
         Configuration › Licenses).",
    ),
    entry(
        DiagnosticCode::VcLocalUpload,
        Warning,
        "Virtual cloud with manual upload",
        "The license uses virtual cloud licensing and holds I3_FEATURE_USAGE_TRACKING_LOCAL, which prevents \
         the automatic upload that virtual cloud licensing requires.",
        "Ask for a virtual cloud license without I3_FEATURE_USAGE_TRACKING_LOCAL.",
    ),
    entry(
        DiagnosticCode::SwitchoverSameServer,
        Warning,
        "Switchover server is the primary",
        "The license's switchover server has the primary server's Host ID or Machine Name, so the switchover \
         pair it describes has no second IC server; the backup server cannot use the license.",
        "Ask for a license whose switchover Host ID and Machine Name are those of the second IC server in the \
         pair.",
    ),
    entry(
        DiagnosticCode::DefaultWorkstationUnknown,
        Warning,
        "Default workstation not found",
        "A user's default workstation names a station that is not in this workspace.",
        "Choose an existing station as the default workstation on User Configuration, or clear it.",
    ),
    entry(
        DiagnosticCode::PolicyDrift,
        Warning,
        "Differs from its license policy",
        "A user or station holds less than its license policies grant, or more than an exclusive policy \
         allows.",
        "Apply policies in the Policies view, or change the policy.",
    ),
    entry(
        DiagnosticCode::PolicyConflict,
        Warning,
        "License policies disagree",
        "Two policies that match the same user or station disagree about a license (one grants it, another \
         removes it).",
        "Change one of the policies, or what they match, so that they agree.",
    ),
    entry(
        DiagnosticCode::AssignableLow,
        Warning,
        "Few assignable licenses left",
        "Fewer Assignable licenses are left than the alert set for the license.",
        "Order more, or free licenses from users who no longer need them (Reclaim Licenses finds idle ones).",
    ),
    entry(
        DiagnosticCode::PoolNearCapacity,
        Warning,
        "Concurrent pool near capacity",
        "The concurrent pool's peak in use came within the alert set for the license: logons will soon be \
         denied.",
        "Add concurrent licenses before logons are denied, or move steady users to Assignable.",
    ),
    entry(
        DiagnosticCode::LicenseExpiring,
        Warning,
        "License expiring",
        "The license file expires soon; after that the server no longer grants its licenses.",
        "Request a renewed license file in time and load it.",
    ),
    entry(
        DiagnosticCode::UnknownLicenseKey,
        Warning,
        "Unknown license key",
        "A license key is allocated that this console does not know, so its rules are not checked.",
        "Check the key's spelling against the license file.",
    ),
    entry(
        DiagnosticCode::MediaServerLicenseRefused,
        Warning,
        "Media server license refused",
        "The license file of a media server named in the workspace could not be read or verified.",
        "Put the media server's license file next to the workspace, or correct its name in the workspace.",
    ),
    entry(
        DiagnosticCode::KeyReadAs,
        Info,
        "License key read under another name",
        "The workspace names a license key the way part of the PureConnect documentation spells it \
         (I3_CLIENT_ACCESS for I3_ACCESS_CLIENT): the documentation names the key two ways, and the console reads \
         the spelling as the key that license files carry.",
        "Nothing to do; write the key as license files do (I3_ACCESS_CLIENT) to leave no doubt.",
    ),
    entry(
        DiagnosticCode::UsageUploadAndLocal,
        Info,
        "Both automated and manual upload keys",
        "The license holds both I3_FEATURE_USAGE_TRACKING_UPLOAD (automated upload) and \
         I3_FEATURE_USAGE_TRACKING_LOCAL (manual): the local key prevents the automatic upload, so usage is \
         read as uploaded by hand.",
        "Ask for a license with only the upload key you use.",
    ),
    entry(
        DiagnosticCode::AcdFromStations,
        Info,
        "ACD through stations",
        "A user's own licenses do not cover the ACD queues of their workgroups, but stations hold ACD licenses \
         that do: the user can take the queues' interactions when logged on at one of them.",
        "Nothing, if the user always works at one of these stations (make it the default workstation); \
         otherwise allocate an ACD Access license to the user.",
    ),
    entry(
        DiagnosticCode::BilledPerUse,
        Info,
        "Past the file's counts: billed per use",
        "On a subscription license there is no limit to the number of licenses that can be used: more are \
         configured than the file lists, nothing is refused, and each user is billed per use.",
        "Nothing to fix; allocate only the licenses users need, since each one adds to the monthly bill.",
    ),
    entry(
        DiagnosticCode::ProductVersionUnreadable,
        Info,
        "Product version not read",
        "The license's product version is not in a form this console can compare (such as 2020 R2), so the \
         rules that depend on the version are not checked.",
        "Ask the issuer for a license whose product version reads like 2020 R2.",
    ),
];

/// The entry for `code`, if it is one of ours.
pub fn entry_of(code: &str) -> Option<&'static Entry> {
    DiagnosticCode::parse(code).map(DiagnosticCode::entry)
}

/// A code's title in IA's words, for the screens (the code itself stays
/// in tooltips, JSON and CSV); an unknown code is shown as it is.
pub fn title(code: &str) -> &str {
    entry_of(code).map_or(code, |e| e.title)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every `Diagnostic::new(Severity::X, DiagnosticCode::Y` in the rules,
    /// read from the source.
    fn emitted() -> Vec<(String, String)> {
        let source = [
            include_str!("diagnostics.rs"),
            include_str!("server.rs"),
            include_str!("lookups.rs"),
        ]
        .join("\n");
        let mut out = Vec::new();
        let mut lines = source.lines();
        while let Some(line) = lines.next() {
            let t = line.trim();
            if let Some(sev) = t.strip_prefix("Severity::")
                && let Some(sev) = sev.strip_suffix(',')
            {
                let Some(next) = lines.next() else { break };
                let Some(code) = next.trim().trim_end_matches(',').strip_prefix("DiagnosticCode::") else {
                    continue;
                };
                out.push((sev.to_string(), code.to_string()));
            }
        }
        out
    }

    #[test]
    fn every_code_the_rules_emit_is_listed_with_its_severity() {
        let found = emitted();
        assert!(found.len() >= 20, "the scan sees the rules: {found:?}");
        for (sev, code) in found {
            let e = ALL
                .iter()
                .find(|e| format!("{:?}", e.code) == code)
                .unwrap_or_else(|| panic!("{code} is not in rules::catalog::ALL"));
            assert_eq!(format!("{:?}", e.severity), sev, "{code}");
        }
    }

    #[test]
    fn codes_and_titles_are_unique_and_read_as_text() {
        let mut codes = std::collections::BTreeSet::new();
        let mut titles = std::collections::BTreeSet::new();
        for e in ALL {
            assert!(codes.insert(e.code), "{} twice", e.code);
            assert!(titles.insert(e.title), "{} twice", e.title);
            for text in [e.meaning, e.fix] {
                assert!(text.ends_with('.'), "{}: {text}", e.code);
                assert!(!text.contains("  "), "{}: {text}", e.code);
            }
        }
    }

    /// `DiagnosticCode::entry` finds an entry by its place in the list.
    #[test]
    fn the_codes_are_declared_in_the_order_of_the_entries() {
        assert_eq!(ALL.len(), DiagnosticCode::EVERY.len());
        for (i, e) in ALL.iter().enumerate() {
            assert_eq!(e.code as usize, i, "{}", e.code);
            assert_eq!(DiagnosticCode::parse(e.code.as_str()), Some(e.code));
        }
    }

    #[test]
    fn errors_come_first() {
        let order: Vec<Severity> = ALL.iter().map(|e| e.severity).collect();
        let mut sorted = order.clone();
        sorted.sort();
        assert_eq!(order, sorted);
    }
}
