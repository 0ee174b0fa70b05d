#![no_main]
//! `site import --icws`: any bytes, split into an export's files (users,
//! stations, workgroups, roles, license-allocations), import or are refused
//! with a reason, never a panic; an imported workspace saves and reloads
//! equal, and its self-check agrees with itself.

use ia_licensing_core::site_import;
use ia_licensing_core::workspace::Workspace;
use libfuzzer_sys::fuzz_target;

const NAMES: [&str; 5] = [
    "users-0.json",
    "stations-0.json",
    "workgroups.json",
    "roles.json",
    "license-allocations.json",
];

fuzz_target!(|data: &[u8]| {
    // Files are separated by a 0xFF byte (never in UTF-8 text), named in turn.
    let files: Vec<(String, Vec<u8>)> = data
        .split(|&b| b == 0xFF)
        .zip(NAMES.iter().cycle())
        .map(|(bytes, name)| (name.to_string(), bytes.to_vec()))
        .collect();
    let Ok(imported) = site_import::import_icws_files(&files) else { return };
    let text = imported.workspace.to_json();
    let back = Workspace::from_json(&text).expect("an imported workspace loads");
    assert_eq!(back, imported.workspace);
    if let Some(check) = &imported.report.self_check {
        assert_eq!(check.consistent, check.differences.is_empty());
    }
});
