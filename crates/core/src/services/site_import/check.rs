//! The self-check: each key's Assignable Configured and Concurrent
//! Configured counts of the imported workspace against the server's own
//! (`license-allocations`: IA's Licenses Allocation columns, computed by
//! the server). The import is consistent only when no count differs — the
//! honest test that the mapping read the site right.

use std::collections::BTreeMap;

use super::report::{Difference, SelfCheck};
use crate::model::catalog;
use crate::model::workspace::{Method, Workspace};

/// One key's configured counts as the server reports them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ServerCount {
    pub key: String,
    /// `None`: the export's count is not a number (reported as unmapped).
    pub assignable_configured: Option<u64>,
    pub concurrent_configured: Option<u64>,
    /// Where the server listed it (file and item).
    pub place: String,
}

/// The server's counts with each key once (ignoring letter case, any
/// spelling of it): the first listed is compared, each later one is
/// reported as a warning with its place — a repeated key is never merged
/// silently (a trial found a stale duplicate deciding the check).
pub(crate) fn first_of_each_key(server: Vec<ServerCount>, c: &mut super::report::Collector) -> Vec<ServerCount> {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut out: Vec<ServerCount> = Vec::with_capacity(server.len());
    let count = |n: Option<u64>| n.map_or_else(|| "not a number".to_string(), |n| n.to_string());
    for s in server {
        let key = catalog::canonical(&s.key.trim().to_ascii_uppercase()).to_string();
        match seen.get(&key) {
            Some(&first) => {
                let f = &out[first];
                c.warning(
                    &s.place,
                    &s.key,
                    "key",
                    &format!(
                        "assignable configured {}, concurrent configured {}",
                        count(s.assignable_configured),
                        count(s.concurrent_configured)
                    ),
                    format!(
                        "license-allocations lists {key} again (first at {}: assignable configured {}, concurrent \
                         configured {}): the first is compared, this one is not",
                        f.place,
                        count(f.assignable_configured),
                        count(f.concurrent_configured)
                    ),
                );
            }
            None => {
                seen.insert(key.clone(), out.len());
                out.push(ServerCount { key, ..s });
            }
        }
    }
    out
}

/// Configured counts per key, counted the way the engine counts them:
/// Assignable = users with the Assignable method holding the key plus
/// stations holding it (enabled or not); Concurrent = users with the
/// Concurrent method holding it.
pub fn configured(ws: &Workspace) -> BTreeMap<String, (u64, u64)> {
    let mut counts: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    for u in ws.users() {
        for key in &u.licenses {
            let slot = counts.entry(key.to_string()).or_default();
            match u.method {
                Method::Assignable => slot.0 += 1,
                Method::Concurrent => slot.1 += 1,
            }
        }
    }
    for s in ws.stations() {
        for key in &s.licenses {
            counts.entry(key.to_string()).or_default().0 += 1;
        }
    }
    counts
}

/// Compares the imported counts with the server's; every difference is
/// listed, with a note when users whose License Active is off hold the key
/// (the server may leave them out of its counts).
pub(crate) fn compare(ws: &Workspace, server: &[ServerCount], inactive: &[String]) -> SelfCheck {
    let ours = configured(ws);
    // Per key: the server's counts; `None` inside when one could not be read.
    let mut theirs: BTreeMap<String, (Option<u64>, Option<u64>)> = BTreeMap::new();
    for s in server {
        let key = catalog::canonical(s.key.trim()).to_string();
        let slot = theirs.entry(key).or_insert((Some(0), Some(0)));
        // A key listed on two pages is listed once by the server: the
        // larger count stands (the pages overlap, they do not add up); an
        // unreadable count stays unreadable.
        slot.0 = slot.0.zip(s.assignable_configured).map(|(a, b)| a.max(b));
        slot.1 = slot.1.zip(s.concurrent_configured).map(|(a, b)| a.max(b));
    }
    let inactive_holders = |key: &str, method: Method| -> usize {
        inactive
            .iter()
            .filter_map(|id| ws.user(id))
            .filter(|u| u.method == method && u.licenses.contains(key))
            .count()
    };
    let mut keys: Vec<&String> = ours.keys().chain(theirs.keys()).collect();
    keys.sort();
    keys.dedup();
    let mut differences = Vec::new();
    for key in &keys {
        let (a, c) = ours.get(*key).copied().unwrap_or_default();
        let server = theirs.get(*key).copied();
        for (column, imported, server_count, method) in [
            ("assignable", a, server.map(|s| s.0), Method::Assignable),
            ("concurrent", c, server.map(|s| s.1), Method::Concurrent),
        ] {
            // Listed with this count; or not listed, and none imported.
            match server_count {
                Some(Some(n)) if n == imported => continue,
                None if imported == 0 => continue,
                _ => {}
            }
            let off = inactive_holders(key, method);
            let note = match (server_count, off) {
                (None, _) => "the server's license-allocations does not list this key".to_string(),
                (Some(None), _) => {
                    "the server's count in license-allocations is not a number (see the values not mapped)".to_string()
                }
                (Some(Some(_)), 0) => String::new(),
                (Some(Some(_)), n) => format!(
                    "{} with License Active off hold it (imported with their licenses)",
                    crate::model::text::count(n, "user", "users")
                ),
            };
            differences.push(Difference {
                key: key.to_string(),
                label: catalog::label(key).to_string(),
                column: column.into(),
                server: server_count.flatten(),
                imported,
                note,
            });
        }
    }
    SelfCheck {
        consistent: differences.is_empty(),
        keys_compared: keys.len(),
        differences,
    }
}
