//! Server-level diagnostics: the license against the server it is for
//! (host ID, switchover, expiry), its product version (virtual cloud from
//! 2020 R2, subscription from 2018 R2 Patch 2), its usage-collection keys,
//! and the media servers' licensing.

use chrono::NaiveDate;

use crate::model::catalog;
use crate::model::diagnostic::DiagnosticCode;
use crate::model::diagnostic::{Diagnostic, Severity};
use crate::model::license::{Level, License, MediaServerStatus};
use crate::model::subject::Subject;
use crate::model::workspace::Workspace;

/// The multi-server rule: if a media server uses virtual cloud licensing,
/// the CIC server must too (seed: Appendix A).
pub fn media_server_diagnostics(media: &[MediaServerStatus], license: &License, out: &mut Vec<Diagnostic>) {
    for m in media {
        match &m.license {
            Ok(true) if !license.is_virtual_cloud() => out.push(Diagnostic::new(
                Severity::Error,
                DiagnosticCode::VcMediaServerMismatch,
                Subject::server(m.name.clone()),
                format!(
                    "Media server {} uses virtual cloud licensing, so the CIC server must also use virtual cloud \
                    licensing",
                    m.name
                ),
                "Load a CIC license with I3_FEATURE_VIRTUAL_CLOUD, or give the media server a traditional license",
            )),
            Ok(_) => {}
            Err(why) => out.push(Diagnostic::new(
                Severity::Warning,
                DiagnosticCode::MediaServerLicenseRefused,
                Subject::server(m.name.clone()),
                format!("The license file of media server {} could not be used: {why}", m.name),
                "Put the media server's license file next to the workspace, or correct its name in the workspace",
            )),
        }
    }
}

/// Server-level diagnostics: host ID, expiry, trial.
pub fn server_diagnostics(ws: &Workspace, license: &License, today: NaiveDate, out: &mut Vec<Diagnostic>) {
    // Where the seeds name a key two ways, the reading taken is said
    // (LTR-1468-tina: I3_CLIENT_ACCESS).
    for alias in &ws.read_as {
        if let Some(reading) = crate::model::catalog::alias_reading(alias) {
            out.push(Diagnostic::new(
                Severity::Info,
                DiagnosticCode::KeyReadAs,
                Subject::license(crate::model::catalog::canonical(alias)),
                format!("{reading}; the workspace writes {alias}"),
                "Nothing to do; write the key as license files do to leave no doubt",
            ));
        }
    }
    let f = &license.file;
    let ws_host = ws.server.host_id.trim();
    if !license.is_virtual_cloud() && !ws_host.is_empty() {
        let matches = |h: &str| h.trim().eq_ignore_ascii_case(ws_host);
        let switchover = f.server.switchover.as_ref().is_some_and(|s| matches(&s.host_id));
        if !matches(&f.server.host_id) && !switchover {
            out.push(Diagnostic::new(
                Severity::Error,
                DiagnosticCode::HostIdMismatch,
                Subject::server(ws.server.machine_name.clone()),
                format!(
                    "The server's host ID {ws_host} does not match the license's host ID {}: the license will not \
                        work on this server",
                    f.server.host_id
                ),
                "Generate a license for this server's host ID (GetHostID), or correct the workspace's server host ID",
            ));
        }
    }
    version_diagnostics(license, out);
    switchover_diagnostics(license, out);
    collection_diagnostics(license, out);
    if license.is_expired(today) {
        out.push(Diagnostic::new(
            Severity::Error,
            DiagnosticCode::LicenseExpired,
            Subject::server(f.server.machine_name.clone()),
            // `expires` is the last day the license is valid.
            format!("The license expired: its last day was {}", f.expires),
            "Load a renewed license file from the Activation File Management Tool",
        ));
    } else if !license.is_perpetual() {
        // Every level nears its end: trials (always shown, they are short),
        // development licenses after a year (a production license is perpetual:
        // no re-registration since the change log of 06-September-2018).
        let days = license.days_to_expiry(today);
        let notice = i64::from(ws.alerts.expiry_notice_days());
        if f.level == Level::Trial || days <= notice {
            let hint = match f.level {
                Level::Trial => "Order the product and load a production license before the trial ends",
                Level::DevelopmentSmall | Level::DevelopmentLarge => {
                    "Generate a new development license in the Activation File Management Tool before this one ends"
                }
                _ => "Renew the license in the Activation File Management Tool and load it before it expires",
            };
            out.push(Diagnostic::new(
                Severity::Warning,
                DiagnosticCode::LicenseExpiring,
                Subject::server(f.server.machine_name.clone()),
                if days == 0 {
                    format!("{} license: today is its last day ({})", f.level.label(), f.expires)
                } else {
                    format!(
                        "{} license: {} left (its last day is {})",
                        f.level.label(),
                        crate::model::text::count(usize::try_from(days).unwrap_or(0), "day", "days"),
                        f.expires
                    )
                },
                hint,
            ));
        }
    }
}

/// Seed, Appendix A: "Starting with PureConnect 2020 R2, a virtual cloud
/// licensing option is available" (LTR-1614-virtual-cloud-from-2020-r2),
/// and License Models: "Subscription - Introduced in PureConnect 2018 R2
/// Patch 2" (LTR-140-subscription-since-2018-r2-p2): a virtual cloud
/// license before 2020 R2, or a usage tracking key before 2018 R2 Patch 2,
/// is an error (the one that applies: virtual cloud says the later
/// floor); a version this console cannot read is said once, as
/// information, naming the rules it leaves unchecked.
fn version_diagnostics(license: &License, out: &mut Vec<Diagnostic>) {
    use crate::model::license::version::{ACCEPTED_FORMS, VersionCheck, subscription_at, virtual_cloud_at};
    let f = &license.file;
    let server = || Subject::server(f.server.machine_name.clone());
    let usage_keys = license.usage_tracking_keys();
    match virtual_cloud_at(&f.product_version) {
        VersionCheck::TooEarly(v) if license.is_virtual_cloud() => out.push(Diagnostic::new(
            Severity::Error,
            DiagnosticCode::VcBefore2020R2,
            server(),
            format!(
                "The license has {} for product version {v}, but virtual cloud licensing is available starting \
                    with PureConnect 2020 R2",
                catalog::FEATURE_VIRTUAL_CLOUD
            ),
            "Upgrade to PureConnect 2020 R2 or later and request a license for that version, or use a usage \
                tracking upload license",
        )),
        VersionCheck::Unreadable => {
            let mut unchecked = Vec::new();
            if license.is_virtual_cloud() {
                unchecked.push("virtual cloud licensing from 2020 R2");
            }
            if !usage_keys.is_empty() {
                unchecked.push("subscription from 2018 R2 Patch 2");
            }
            out.push(Diagnostic::new(
                Severity::Info,
                DiagnosticCode::ProductVersionUnreadable,
                server(),
                format!(
                    "The product version `{}` is not in a form this console can compare ({ACCEPTED_FORMS}), so the \
                        rules that depend on the version{} are not checked",
                    f.product_version.trim().chars().take(60).collect::<String>(),
                    if unchecked.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", unchecked.join("; "))
                    }
                ),
                "Ask the issuer for a license whose product version reads like 2020 R2",
            ));
        }
        _ if !license.is_virtual_cloud() && !usage_keys.is_empty() => {
            if let VersionCheck::TooEarly(v) = subscription_at(&f.product_version) {
                out.push(Diagnostic::new(
                    Severity::Error,
                    DiagnosticCode::SubscriptionBefore2018R2P2,
                    server(),
                    crate::model::license::version::subscription_too_early(&usage_keys, &v.to_string()),
                    "Upgrade to PureConnect 2018 R2 Patch 2 or later and request a license for that version, or \
                        ask for a perpetual license without the usage tracking keys",
                ));
            }
        }
        _ => {}
    }
}

/// Seed, Generate a Production License: the switchover Host Id is "the host
/// ID for the MAC address of the network card on the second IC server in
/// the switchover pair", and "The host ID is the code that uniquely
/// identifies a server" (LTR-1044-switchover-second-server): a switchover
/// with the primary's host ID or machine name names no second server.
fn switchover_diagnostics(license: &License, out: &mut Vec<Diagnostic>) {
    let f = &license.file;
    if let Some(why) = f.server.switchover_same_server() {
        out.push(Diagnostic::new(
            Severity::Warning,
            DiagnosticCode::SwitchoverSameServer,
            Subject::server(f.server.machine_name.clone()),
            format!("The license's switchover server {why}: the switchover pair has no second IC server"),
            "Ask for a license whose switchover Host ID and Machine Name are those of the second IC server in the \
                pair (GetHostID on that server)",
        ));
    }
}

/// The usage-collection keys that contradict each other. Seed 002, License
/// Keys: I3_FEATURE_USAGE_TRACKING_LOCAL "prevents the automatic upload of
/// usage data" (SUB-150-local-prevents-upload); seed 000, Appendix A:
/// "Virtual cloud licensing requires the use of the automated upload
/// option" (LTR-1614-virtual-cloud-automated-upload).
fn collection_diagnostics(license: &License, out: &mut Vec<Diagnostic>) {
    use crate::model::license::Collection;
    let server = || Subject::server(license.file.server.machine_name.clone());
    if let Some(conflict) = Collection::conflict(license) {
        let (severity, code, hint) = match conflict {
            crate::model::license::Conflict::VirtualCloudLocal => (
                Severity::Warning,
                DiagnosticCode::VcLocalUpload,
                "Ask for a virtual cloud license without I3_FEATURE_USAGE_TRACKING_LOCAL: virtual cloud usage \
                    must upload automatically",
            ),
            crate::model::license::Conflict::UploadAndLocal => (
                Severity::Info,
                DiagnosticCode::UsageUploadAndLocal,
                "Ask for a license with only the upload key you use: I3_FEATURE_USAGE_TRACKING_UPLOAD (automated) \
                    or I3_FEATURE_USAGE_TRACKING_LOCAL (manual)",
            ),
        };
        out.push(Diagnostic::new(
            severity,
            code,
            server(),
            conflict.words().to_string(),
            hint,
        ));
    }
}
