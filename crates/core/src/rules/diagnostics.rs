//! The diagnostics: what is wrong but may be saved. Each has a stable code,
//! a severity, a message in Interaction Administrator's words and a fix
//! hint. (What a command may not do is in `refusals`.)

use std::collections::BTreeSet;

use super::coverage::{self, AcdCapability, AcdStations, media_mask};
use super::lookups::Lookups;
use crate::model::catalog::{self, AcdLevel};
use crate::model::diagnostic::DiagnosticCode;
use crate::model::diagnostic::{Diagnostic, Severity};
use crate::model::license::License;
use crate::model::subject::Subject;
use crate::model::text;
use crate::model::workspace::{MediaType, NameSet, Station, StationType, User, Workspace};

/// The highest ACD level among keys.
pub fn acd_level<S: AsRef<str>>(keys: impl IntoIterator<Item = S>) -> Option<AcdLevel> {
    keys.into_iter().filter_map(|k| catalog::acd_level_of(k.as_ref())).max()
}

/// The highest IPA level among keys.
pub fn ipa_level<S: AsRef<str>>(keys: impl IntoIterator<Item = S>) -> Option<catalog::IpaLevel> {
    keys.into_iter().filter_map(|k| catalog::ipa_level_of(k.as_ref())).max()
}

fn media_list(media: &BTreeSet<MediaType>) -> String {
    media.iter().map(|m| m.label()).collect::<Vec<_>>().join(", ")
}

/// Diagnostics of one user. `stations` is the workspace's stations whose
/// ACD licenses may serve any agent (the engine keeps them;
/// `AcdStations::of` builds them).
pub fn user_diagnostics(user: &User, ws: &Workspace, stations: &AcdStations, out: &mut Vec<Diagnostic>) {
    user_diagnostics_with(user, &mut Lookups::new(ws), stations, out);
}

/// `user_diagnostics` in a pass over many users, with one `Lookups`.
pub fn user_diagnostics_with(user: &User, lookups: &mut Lookups, stations: &AcdStations, out: &mut Vec<Diagnostic>) {
    let ws = lookups.workspace();
    let subject = || Subject::user(user.id.clone());
    // This runs for every user on a recount, so the common case (nothing
    // wrong) allocates nothing: media as a bit mask, names only for a message.
    let mut mask = 0u8;
    for name in &user.workgroups {
        mask |= lookups.workgroup_media(name);
    }
    // One catalogue lookup per key serves both the ACD level and the
    // prerequisites (whose diagnostics follow the ACD ones).
    let mut level = None;
    let mut needs_check = false;
    // Client Access, and a license used in the CIC client (anything but ACD:
    // an ACD-only user may be a phone-only agent, who needs no client).
    let (mut client, mut in_client) = (false, false);
    for key in &user.licenses {
        if let Some(info) = lookups.key(key) {
            level = level.max(info.acd_level);
            needs_check |= !info.prerequisites.is_empty();
            if info.key == catalog::CLIENT {
                client = true;
            } else if info.acd_level.is_none() {
                in_client = true;
            }
        }
    }
    if !client && in_client {
        client_access_at_home(user, ws, out);
    }
    media_count(level, &user.acd_media_types, subject, &user.id, "User", out);
    let own = AcdCapability {
        level,
        media: media_mask(&user.acd_media_types),
    };
    if !own.covers(mask) {
        covered_elsewhere_or_not(user, ws, stations, own.level, mask, out);
    }
    if let Some(id) = &user.default_workstation
        && ws.station(id).is_none()
    {
        out.push(Diagnostic::new(
            Severity::Warning,
            DiagnosticCode::DefaultWorkstationUnknown,
            subject(),
            format!(
                "The default workstation of {} is {id}, which is not a station in this workspace",
                user.id
            ),
            "Choose an existing station as the default workstation on User Configuration, or clear it",
        ));
    }
    if needs_check {
        dependencies(&user.licenses, lookups, subject, &user.id, out);
    }
    if !ws.policies.is_empty() {
        lookups.user_policy_diagnostics(user, out);
    }
}

/// Seed, Client Access license: "Without this license allocation, the CIC
/// client cannot run on the station. You license the features by user,
/// station, or both" (LTR-264-client-access). A user with client licenses
/// but no Client Access, whose default workstation has none either, cannot
/// run the client where they normally log on (a logon there is rejected in
/// the replay). Users without a default workstation are not judged: the
/// console does not know where they log on.
fn client_access_at_home(user: &User, ws: &Workspace, out: &mut Vec<Diagnostic>) {
    let Some(home) = coverage::default_workstation(user, ws) else {
        return;
    };
    if home.licenses.iter().any(|k| catalog::canonical(k) == catalog::CLIENT) {
        return;
    }
    out.push(Diagnostic::new(
        Severity::Warning,
        DiagnosticCode::ClientAccessMissing,
        Subject::user(user.id.clone()),
        format!(
            "Neither {} nor the default workstation {} holds a Client Access license: without it the CIC client \
                cannot run on the station, so {}'s other licenses cannot be used there",
            user.id, home.id, user.id
        ),
        "Allocate Client Access to the user (User Configuration › Licensing) or to the station (Station \
            Configuration › Licenses)",
    ));
}

/// What the license says about one holder's keys, as that holder would
/// see it in its configuration dialog: each key it holds that the license
/// file lacks (the license-wide `license-not-in-file` diagnostic, for this
/// holder). The engine reports these per key; dialogs add them per holder.
pub fn keys_not_in_license(keys: &NameSet, subject: Subject, license: &License, out: &mut Vec<Diagnostic>) {
    for key in keys {
        if license.allowance(key).is_none() {
            let label = catalog::label(key);
            out.push(Diagnostic::new(
                Severity::Error,
                DiagnosticCode::LicenseNotInFile,
                subject.clone(),
                format!("{label} ({key}) is not in the license file"),
                "Remove it, or load a license that includes it",
            ));
        }
    }
}

/// The workspace's alerts for one key: few assignable licenses left, or a
/// pool whose replayed peak comes near its size (docs/alerts.md).
fn alert_diagnostics(
    key: &str,
    c: Configured,
    assigned: u32,
    pooled: u32,
    alert: &crate::model::alerts::KeyAlert,
    peak: Option<u32>,
    out: &mut Vec<Diagnostic>,
) {
    let label = catalog::label(key);
    // Over the allowance is already an error (assignable-exceeded).
    if assigned > 0 && c.assignable <= assigned {
        let left = assigned - c.assignable;
        let by_count = alert.assignable_left.is_some_and(|n| left <= n);
        let by_percent = alert
            .assignable_left_percent
            .is_some_and(|p| u64::from(left) * 100 <= u64::from(p) * u64::from(assigned));
        if by_count || by_percent {
            let threshold = match (alert.assignable_left, alert.assignable_left_percent) {
                (Some(n), _) if by_count => format!("{} or fewer", num(n)),
                (_, Some(p)) => format!("{p} % or less"),
                _ => String::new(),
            };
            out.push(Diagnostic::new(
                Severity::Warning,
                DiagnosticCode::AssignableLow,
                Subject::license(key),
                format!(
                    "Only {} of {} assignable {label} licenses are left (the alert is set at {threshold})",
                    num(left),
                    num(assigned)
                ),
                "Order more, or free licenses from users who no longer need them",
            ));
        }
    }
    if let (Some(p), Some(peak)) = (alert.pool_peak_percent, peak)
        && pooled > 0
        && u64::from(peak) * 100 >= u64::from(p) * u64::from(pooled)
    {
        out.push(Diagnostic::new(
            Severity::Warning,
            DiagnosticCode::PoolNearCapacity,
            Subject::license(key),
            format!(
                "The concurrent {label} pool reached {} of {} in use at its peak (the alert is set at {p} %)",
                num(peak),
                num(pooled)
            ),
            "Add concurrent licenses before logons are denied, or move steady users to Assignable",
        ));
    }
}

/// The user diagnostics a change of the ACD stations can add or remove.
pub fn depends_on_acd_stations(code: DiagnosticCode) -> bool {
    use DiagnosticCode::{AcdFromStations, AcdMediaLevelMismatch, AcdMediaTypeMismatch, WorkgroupMemberWithoutAcd};
    matches!(
        code,
        AcdFromStations | WorkgroupMemberWithoutAcd | AcdMediaLevelMismatch | AcdMediaTypeMismatch
    )
}

/// Seed, ACD media levels: "Media 1 - You can only choose one type of
/// interaction to queue to a user … Media 2 - You can select two types". A
/// file that selects more loads (it may be fixed), with this diagnostic; an
/// error, since no command may make it (the same rule refuses one).
/// `subject` is made only for a diagnostic: this runs for every subject on
/// a recount, and a copy of each ID is 200k allocations at 100k.
fn media_count(
    level: Option<AcdLevel>,
    media: &BTreeSet<MediaType>,
    subject: impl Fn() -> Subject,
    id: &str,
    noun: &str,
    out: &mut Vec<Diagnostic>,
) {
    let Some(level) = level else { return };
    let Some(cap) = level.capacity() else { return };
    if media.len() > cap {
        out.push(Diagnostic::new(
            Severity::Error,
            DiagnosticCode::AcdMediaTypesExceedLevel,
            subject(),
            format!(
                "{noun} {id} has ACD {}, which allows {cap} interaction type{}, but {} are selected ({})",
                level.label(),
                if cap == 1 { "" } else { "s" },
                media.len(),
                media_list(media)
            ),
            format!(
                "Select at most {cap} interaction type{} on the Licensing tab, or allocate a higher ACD level",
                if cap == 1 { "" } else { "s" }
            ),
        ));
    }
}

/// A user whose own ACD licensing does not take the queues' media: covered
/// by the default workstation (nothing to say), perhaps by other stations
/// with ACD licenses (an info naming up to five and their count), or not at
/// all (the ACD warnings). Seed, "About Access licenses": "if there are
/// multiple shifts at a site, you can use station licenses"
/// (LTR-244-multiple-shifts-station-licenses).
fn covered_elsewhere_or_not(
    user: &User,
    ws: &Workspace,
    stations: &AcdStations,
    level: Option<AcdLevel>,
    mask: u8,
    out: &mut Vec<Diagnostic>,
) {
    let home = coverage::default_workstation(user, ws);
    if home.is_some_and(|s| AcdCapability::of(&s.licenses, &s.acd_media_types).covers(mask)) {
        return;
    }
    let before = out.len();
    acd_diagnostics(user, ws, level, Subject::user(user.id.clone()), out);
    if out.len() == before {
        return;
    }
    let found = stations.covering(mask, home.map(|s| s.id.as_str()));
    if found.count == 0 {
        if let Some(home) = home {
            for d in &mut out[before..] {
                d.message = format!(
                    "{}; the default workstation {} does not cover them either",
                    d.message, home.id
                )
                .into();
            }
        }
        return;
    }
    // Stations would cover the queues: the console cannot know where the
    // user logs on, so the warnings become one info naming them.
    out.truncate(before);
    let mut names = found.first.join(", ");
    if found.count > found.first.len() {
        names.push_str(&format!(" and {} more", found.count - found.first.len()));
    }
    let home_words = home.map_or_else(String::new, |h| format!(" (the default workstation {} does not)", h.id));
    out.push(Diagnostic::new(
        Severity::Info,
        DiagnosticCode::AcdFromStations,
        Subject::user(user.id.clone()),
        format!(
            "{}'s own licenses do not cover the ACD queues of their workgroups, but {} hold{} ACD licenses that \
                do{home_words}: {names}. The user can take the queues' interactions when logged on at {}",
            user.id,
            crate::model::text::count(found.count, "station", "stations"),
            if found.count == 1 { "s" } else { "" },
            if found.count == 1 { "it" } else { "one of them" },
        ),
        "Set one of these stations as the user's default workstation if the user always works there, or give \
            the user an ACD Access license",
    ));
}

/// The ACD diagnostics of a user whose licenses do not fit the queues.
fn acd_diagnostics(user: &User, ws: &Workspace, level: Option<AcdLevel>, subject: Subject, out: &mut Vec<Diagnostic>) {
    let subject = || subject.clone();
    let mut queue_media = BTreeSet::new();
    let mut acd_groups = Vec::new();
    for name in &user.workgroups {
        if let Some(wg) = ws.workgroup(name)
            && wg.has_acd_queue()
        {
            queue_media.extend(wg.media.iter().copied());
            acd_groups.push(wg.name.as_str());
        }
    }
    if !acd_groups.is_empty() {
        match level {
            None => out.push(Diagnostic::new(
                Severity::Warning,
                DiagnosticCode::WorkgroupMemberWithoutAcd,
                subject(),
                format!(
                    "{} is a member of {} with an ACD queue but holds no ACD Access license, so cannot take the \
                        queue's interactions",
                    user.id,
                    plural_groups(&acd_groups)
                ),
                "Give the user an ACD Access license (Media 1, Media 2 or Media 3 Plus) on User Configuration › \
                    Licensing, or remove the user from the workgroup",
            )),
            Some(level) => {
                let capacity = level.capacity();
                if capacity.is_some_and(|c| queue_media.len() > c) {
                    out.push(Diagnostic::new(
                        Severity::Warning,
                        DiagnosticCode::AcdMediaLevelMismatch,
                        subject(),
                        format!(
                            "ACD {} allows {} interaction type{}, but the queues of {} carry {} ({}): the system \
                                limits the ACD interaction types {} receives until the licensing problem is resolved",
                            level.label(),
                            capacity.unwrap_or(0),
                            if capacity == Some(1) { "" } else { "s" },
                            plural_groups(&acd_groups),
                            queue_media.len(),
                            media_list(&queue_media),
                            user.id
                        ),
                        if level == AcdLevel::Media1 {
                            "Give a Media 2 or Media 3 Plus license, or remove the user from workgroups with more \
                                media types"
                        } else {
                            "Give a Media 3 Plus license, or remove the user from workgroups with more media types"
                        },
                    ));
                } else if capacity.is_some() && !queue_media.is_subset(&user.acd_media_types) {
                    let missing: BTreeSet<MediaType> = queue_media.difference(&user.acd_media_types).copied().collect();
                    let licensed = if user.acd_media_types.is_empty() {
                        "no interaction type".to_string()
                    } else {
                        media_list(&user.acd_media_types)
                    };
                    // Only the workgroups whose queues carry a missing type
                    // (a trial found "Mail, Sales carry Email" with Sales on
                    // calls only).
                    let carrying: Vec<&str> = user
                        .workgroups
                        .iter()
                        .filter_map(|n| ws.workgroup(n))
                        .filter(|wg| wg.has_acd_queue() && wg.media.iter().any(|m| missing.contains(m)))
                        .map(|wg| wg.name.as_str())
                        .collect();
                    out.push(Diagnostic::new(
                        Severity::Warning,
                        DiagnosticCode::AcdMediaTypeMismatch,
                        subject(),
                        format!(
                            "{} is licensed for {licensed} but the queues of {} carry {}: the system limits the ACD \
                                interaction types {} receives until the licensing problem is resolved",
                            user.id,
                            plural_groups(&carrying),
                            media_list(&missing),
                            user.id
                        ),
                        "Choose the interaction types on User Configuration › Licensing to match the \
                         workgroup queues",
                    ));
                }
            }
        }
    }
}

fn plural_groups(groups: &[&str]) -> String {
    match groups {
        [one] => format!("workgroup {one}"),
        many => format!("workgroups {}", many.join(", ")),
    }
}

fn dependencies(
    keys: &NameSet,
    lookups: &mut Lookups,
    subject: impl Fn() -> Subject,
    who: &str,
    out: &mut Vec<Diagnostic>,
) {
    for key in keys {
        let Some(info) = lookups.key(key) else { continue };
        for pre in info.prerequisites {
            if !keys.contains(pre) {
                out.push(Diagnostic::new(
                    Severity::Warning,
                    DiagnosticCode::DependencyMissing,
                    subject(),
                    format!(
                        "{} needs {}, which {who} does not have",
                        info.label,
                        catalog::label(pre)
                    ),
                    format!(
                        "Also allocate {} ({pre}), or remove {}",
                        catalog::label(pre),
                        info.label
                    ),
                ));
            }
        }
    }
}

/// Diagnostics of one station.
pub fn station_diagnostics(station: &Station, ws: &Workspace, out: &mut Vec<Diagnostic>) {
    station_diagnostics_with(station, &mut Lookups::new(ws), out);
}

/// `station_diagnostics` in a pass over many stations, with one `Lookups`.
pub fn station_diagnostics_with(station: &Station, lookups: &mut Lookups, out: &mut Vec<Diagnostic>) {
    let ws = lookups.workspace();
    let subject = || Subject::station(station.id.clone());
    // Seed, Basic Station: "All workstations and configured remote stations
    // must have a Basic Station license allocated to activate station audio.
    // If you save an enabled station configuration that does not have the
    // Basic Station license allocated, a message appears." One rule, one
    // message, one severity for both kinds of station.
    if station.enabled && !station.licenses.contains(catalog::BASIC_STATION) {
        let what = if station.kind == StationType::Remote {
            "Remote station"
        } else {
            "Station"
        };
        out.push(Diagnostic::new(
            Severity::Warning,
            DiagnosticCode::BasicStationMissing,
            subject(),
            format!(
                "{what} {} is enabled but has no Basic Station license: a Basic Station license is needed to \
                    activate the station (no dial tone or audio)",
                station.id
            ),
            "Allocate the Basic Station license on Station Configuration › Licenses, or disable the station",
        ));
    }
    let level = station
        .licenses
        .iter()
        .filter_map(|k| lookups.key(k).and_then(|info| info.acd_level))
        .max();
    let noun = if station.kind == StationType::Remote {
        "Remote station"
    } else {
        "Station"
    };
    media_count(level, &station.acd_media_types, subject, &station.id, noun, out);
    dependencies(&station.licenses, lookups, subject, &station.id, out);
    if !ws.policies.is_empty() {
        lookups.station_policy_diagnostics(station, out);
    }
}

/// Per-key configured counts the key rules need.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Configured {
    pub assignable: u32,
    pub concurrent: u32,
    pub users: u32,
    pub stations: u32,
}

/// How far a key's configured counts go past what a subscription license
/// file lists (`billed-per-use`). Elsewhere the refusals keep assignable
/// counts within the file, and concurrent licenses may be configured past
/// the pool (they are taken at logon).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PastCounts {
    /// Assignable licenses the file lists.
    pub listed: u32,
    /// Assignable licenses configured, and how many of them past `listed`.
    pub assignable: u32,
    pub assignable_over: u32,
    /// Users configured as Concurrent for a key the file lists no pool of.
    pub concurrent_unlisted: u32,
}

impl PastCounts {
    pub fn any(&self) -> bool {
        self.assignable_over > 0 || self.concurrent_unlisted > 0
    }
}

/// The counts of `key` past what the subscription license lists, if any
/// (LTR-158-subscription-no-count-limit: "There's no limit to the number
/// of licenses available", each user is billed per use). `None` for a
/// license that is not a subscription or does not list the key.
pub fn past_counts(license: &License, key: &str, c: Configured) -> Option<PastCounts> {
    if !license.is_subscription() {
        return None;
    }
    let a = license.allowance(key)?;
    let past = PastCounts {
        listed: a.assigned,
        assignable: c.assignable,
        assignable_over: c.assignable.saturating_sub(a.assigned),
        concurrent_unlisted: if a.pooled == 0 { c.concurrent } else { 0 },
    };
    past.any().then_some(past)
}

/// Diagnostics about one key across the workspace.
pub fn key_diagnostics(
    key: &str,
    c: Configured,
    license: &License,
    alert: Option<&crate::model::alerts::KeyAlert>,
    peak: Option<u32>,
    out: &mut Vec<Diagnostic>,
) {
    if let (Some(alert), Some(a)) = (alert, license.allowance(key)) {
        alert_diagnostics(key, c, a.assigned, a.pooled, alert, peak, out);
    }
    if c.assignable + c.concurrent == 0 {
        return;
    }
    let label = catalog::label(key);
    let holders = holders_words(c);
    match license.allowance(key) {
        None => out.push(Diagnostic::new(
            Severity::Error,
            DiagnosticCode::LicenseNotInFile,
            Subject::license(key),
            format!("{label} ({key}) is allocated to {holders} but is not in the license file"),
            "Remove the allocations, or load a license that includes it",
        )),
        Some(a) if license.is_subscription() => {
            // No count limit on subscription: what is past the file's counts
            // is billed per use (LTR-158-subscription-no-count-limit).
            if let Some(past) = past_counts(license, key, c) {
                let assignable_over = past.assignable_over;
                let what = if assignable_over > 0 {
                    format!(
                        "{} assignable {label} licenses are configured, {} more than the {} the license file lists",
                        num(c.assignable),
                        num(assignable_over),
                        num(a.assigned)
                    )
                } else {
                    format!(
                        "{label} is configured as Concurrent on {}, and the license file lists no pooled {label} \
                         licenses",
                        text::count(c.concurrent as usize, "user", "users")
                    )
                };
                out.push(Diagnostic::new(
                    Severity::Info,
                    DiagnosticCode::BilledPerUse,
                    Subject::license(key),
                    format!(
                        "{what}: on a subscription license \"There's no limit to the number of licenses available \
                            or the number of licenses that you can use\", so nothing is refused; each user is billed \
                            per use"
                    ),
                    "Nothing to fix; assign only the licenses users need, since each one affects the monthly bill",
                ));
            }
        }
        Some(a) => {
            if c.assignable > a.assigned {
                out.push(Diagnostic::new(
                    Severity::Error,
                    DiagnosticCode::AssignableExceeded,
                    Subject::license(key),
                    format!(
                        "{} assignable {label} licenses are configured but the license allows {}",
                        num(c.assignable),
                        num(a.assigned)
                    ),
                    format!(
                        "Remove {}, move users to Concurrent, or load a license with more",
                        text::count((c.assignable - a.assigned) as usize, "allocation", "allocations")
                    ),
                ));
            }
            if c.concurrent > 0 && a.pooled == 0 {
                out.push(Diagnostic::new(
                    Severity::Error,
                    DiagnosticCode::LicenseNotInFile,
                    Subject::license(key),
                    format!(
                        "{label} is configured as Concurrent on {} but the license file has no pooled {label} \
                         licenses",
                        text::count(c.concurrent as usize, "user", "users")
                    ),
                    "Set those users to Assignable, or load a license with pooled licenses",
                ));
            }
        }
    }
    if catalog::lookup(key).is_none() {
        out.push(Diagnostic::new(
            Severity::Warning,
            DiagnosticCode::UnknownLicenseKey,
            Subject::license(key),
            format!(
                "{key} is allocated to {holders} but this console does not know the key; its rules are not checked"
            ),
            "Check the key's spelling against the license file",
        ));
    }
}

fn holders_words(c: Configured) -> String {
    let mut parts = Vec::new();
    if c.users > 0 {
        parts.push(text::count(c.users as usize, "user", "users"));
    }
    if c.stations > 0 {
        parts.push(text::count(c.stations as usize, "station", "stations"));
    }
    parts.join(" and ")
}

/// A count as users read it: "25,174".
fn num(n: u32) -> String {
    text::thousands(n as usize)
}

/// A diagnostic code's short title in Interaction Administrator's words
/// (the one list is `rules::catalog`).
pub fn title(code: &str) -> &str {
    super::catalog::title(code)
}
