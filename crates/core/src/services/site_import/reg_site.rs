//! The Directory Services registry of a CIC server, as `reg export` of
//! `HKLM\SOFTWARE\Wow6432Node\Interactive Intelligence\EIC\Directory
//! Services\Root\<SITE>\Production` writes it, read as the site's users,
//! stations and workgroups:
//! - `AdminConfig\UserInfo\<user>`: `Counted Licenses` (the `I3_*` keys), `Active`;
//! - `Users\<user>`: `displayName`, `Role`, `Workgroups`, `Default Workstation`,
//!   `License Allocation Method` ("Assignable Licensing" / "Concurrent Licensing");
//! - `AdminConfig\StationInfo\<station>` and `<SERVER>\Workstations\<station>`:
//!   `Counted Licenses`, `Active`, `Station Type`, `MAC Address`;
//! - `Workgroups\<workgroup>` (assumed: the export names no queue media).
//!
//! A file without any key under a site's `Production` is refused: it is not
//! such an export. Every other key of the file — under `Production` or
//! beside it — that the import does not read is listed (grouped by where
//! it is); values of the licensing keys that are not read are reported
//! (`reg_records.rs`). What the file says that `reg export` would not write
//! (a deletion, a value said twice) is read by a stated rule, recorded as
//! an assumption.

use std::collections::BTreeMap;
use std::path::Path;

use super::reg_records::{self, Parts, Place};
use super::registry::{self, Encoding, RegKey};
use super::report::Collector;
use super::{MAX_EXPORT_BYTES, Progress, Read, Site, SiteImportError, Stage, file_name};
use crate::model::workspace::{Workgroup, fold};

/// Reads a `.reg` export file as a site.
pub(super) fn read(path: &Path, progress: Progress) -> Result<(Site, Collector), SiteImportError> {
    if !progress(Stage::Reading, 0, 1) {
        return Err(SiteImportError::Cancelled);
    }
    let name = file_name(path);
    let bytes = crate::fs::read_capped(path, MAX_EXPORT_BYTES)?;
    from_bytes(&bytes, &name)
}

/// A `.reg` export's bytes as a site (also what the fuzz target feeds).
pub(crate) fn from_bytes(bytes: &[u8], name: &str) -> Result<(Site, Collector), SiteImportError> {
    let (text, encoding) = registry::decode(bytes, name)?;
    let keys = registry::parse(&text, name)?;
    let mut c = Collector::new("registry");
    c.report.files.push(name.to_string());
    if encoding == Encoding::Utf16WithoutMark {
        c.assume(
            "registry-utf16-no-bom",
            "The file has no byte-order mark, but a NUL byte after each letter: it is read as UTF-16LE, what \
             `reg export` writes",
            name,
        );
    }
    let site = site(&keys, name, &mut c)?;
    Ok((site, c))
}

/// Where a key is, relative to the site's `Production` key.
enum Under<'a> {
    /// Under `…\Directory Services\Root\<site>\Production`: the site and the
    /// path below `Production`.
    Production(&'a str, Vec<&'a str>),
    /// Anything else.
    Outside,
}

fn under(path: &str) -> Under<'_> {
    let parts: Vec<&str> = path.split('\\').collect();
    let root = parts
        .windows(2)
        .position(|w| w[0].eq_ignore_ascii_case("Directory Services") && w[1].eq_ignore_ascii_case("Root"));
    match root.map(|r| &parts[r + 2..]) {
        Some([site, production, rest @ ..]) if production.eq_ignore_ascii_case("Production") => {
            Under::Production(site, rest.to_vec())
        }
        _ => Under::Outside,
    }
}

const PRODUCTION: &str =
    r"HKEY_LOCAL_MACHINE\SOFTWARE\Wow6432Node\Interactive Intelligence\EIC\Directory Services\Root\SITE\Production";

fn site(keys: &[RegKey], file: &str, c: &mut Collector) -> Result<Site, SiteImportError> {
    let place = |key: &RegKey| format!("{file} line {}", key.line);
    // The site: the first key under a site's Production names it.
    let chosen = keys
        .iter()
        .filter(|k| !k.delete)
        .find_map(|k| match under(&k.path) {
            Under::Production(site, _) => Some(site.to_string()),
            Under::Outside => None,
        })
        .ok_or_else(|| {
            SiteImportError::at(
                file,
                format!(
                    "no key under a site's Directory Services Production key: this is not an export of a CIC \
                     server's Directory Services. Expected keys under {PRODUCTION} (export that key with `reg \
                     export`)"
                ),
            )
        })?;
    let mut site = Site::default();
    let mut users: BTreeMap<String, Parts> = BTreeMap::new();
    let mut stations: BTreeMap<String, Parts> = BTreeMap::new();
    let mut workgroups: Vec<Read<Workgroup>> = Vec::new();
    for key in keys {
        if key.delete {
            // Named by its path under Production (the full path is long).
            let shown = match under(&key.path) {
                Under::Production(_, rest) if !rest.is_empty() => rest.join("\\"),
                _ => key.path.clone(),
            };
            c.assume(
                "registry-deletion-ignored",
                "A deletion ([-key] or \"value\"=-) is not something `reg export` writes: it is left out, and \
                 nothing it names is imported from it",
                &shown,
            );
            continue;
        }
        let rest = match under(&key.path) {
            Under::Production(site_name, _) if !site_name.eq_ignore_ascii_case(&chosen) => {
                c.not_read(
                    &format!("Root\\{site_name}\\Production (a second site; only {chosen} is imported)"),
                    &place(key),
                );
                continue;
            }
            Under::Production(_, rest) => rest,
            Under::Outside => {
                // The keys above Production hold nothing of the site.
                if !key.values.is_empty() {
                    c.not_read(&outside(&key.path), &place(key));
                }
                continue;
            }
        };
        let lower: Vec<String> = rest.iter().map(|p| p.to_ascii_lowercase()).collect();
        let lower: Vec<&str> = lower.iter().map(String::as_str).collect();
        let (list, id, at) = match (lower.as_slice(), rest.as_slice()) {
            (["adminconfig", "userinfo", _], [.., id]) => (&mut users, *id, Place::UserInfo),
            (["users", _], [.., id]) => (&mut users, *id, Place::Users),
            (["adminconfig", "stationinfo", _], [.., id]) => (&mut stations, *id, Place::StationInfo),
            ([_, "workstations", _], [server, _, id]) => {
                if site.machine_name.is_empty() {
                    site.machine_name = server.to_string();
                }
                (&mut stations, *id, Place::Workstations)
            }
            (["workgroups", _], [.., wg]) => {
                site.workgroups_known = true;
                c.assume(
                    "registry-workgroups-no-media",
                    "Workgroups read from the registry have no ACD queue media: the export does not say which \
                     media a queue routes",
                    wg,
                );
                workgroups.push(Read {
                    record: Workgroup::new(wg.to_string(), []),
                    place: place(key),
                });
                continue;
            }
            _ => {
                // A container of the records read holds nothing else.
                let container = matches!(
                    lower.as_slice(),
                    [] | ["adminconfig"]
                        | ["adminconfig", "userinfo" | "stationinfo"]
                        | ["users"]
                        | ["workgroups"]
                        | [_]
                        | [_, "workstations"]
                );
                if !(container && key.values.is_empty()) {
                    c.not_read(&group(&rest, &lower), &place(key));
                }
                continue;
            }
        };
        let entry = list.entry(fold(id)).or_default();
        if entry.name.is_none() {
            entry.name = Some(id.to_string());
            entry.first_line = key.line;
        }
        entry.keys.push((key, at));
    }
    for parts in users.into_values() {
        let place = format!("{file} line {}", parts.first_line);
        let record = reg_records::user(&parts, file, c, &mut site);
        site.users.push(Read { record, place });
    }
    for parts in stations.into_values() {
        let place = format!("{file} line {}", parts.first_line);
        let record = reg_records::station(&parts, file, c);
        site.stations.push(Read { record, place });
    }
    site.workgroups = workgroups;
    if !site.users.is_empty() || !site.stations.is_empty() {
        c.assume(
            "registry-no-server-counts",
            "A registry export has no Licenses Allocation counts of the server: there is no self-check",
            &chosen,
        );
    }
    Ok(site)
}

/// Where an unread key under Production is, for the list of keys not
/// read: the path with each record's name as `<user>`, `<station>`,
/// `<workgroup>` or `<server>`; elsewhere its first part (two under
/// `AdminConfig`).
fn group(rest: &[&str], lower: &[&str]) -> String {
    let named = |names: &[&str], tail: &[&str]| {
        names
            .iter()
            .copied()
            .chain(tail.iter().copied())
            .collect::<Vec<_>>()
            .join("\\")
    };
    match (lower, rest) {
        (["adminconfig", "userinfo", _, ..], [a, u, _, tail @ ..]) => named(&[a, u, "<user>"], tail),
        (["adminconfig", "stationinfo", _, ..], [a, s, _, tail @ ..]) => named(&[a, s, "<station>"], tail),
        (["users", _, ..], [u, _, tail @ ..]) => named(&[u, "<user>"], tail),
        (["workgroups", _, ..], [w, _, tail @ ..]) => named(&[w, "<workgroup>"], tail),
        ([_, "workstations", _, ..], [_, w, _, tail @ ..]) => named(&["<server>", w, "<station>"], tail),
        (["adminconfig", ..], [a, second, ..]) => named(&[a, second], &[]),
        (_, [first, ..]) => first.to_string(),
        (_, []) => "Production".to_string(),
    }
}

/// A key outside the site's Production key, for the list of keys not read:
/// its path to at most four parts.
fn outside(path: &str) -> String {
    let parts: Vec<&str> = path.split('\\').collect();
    let shown = parts[..parts.len().min(4)].join("\\");
    let more = if parts.len() > 4 { "\\…" } else { "" };
    format!("{shown}{more} (outside the site's Production key)")
}
