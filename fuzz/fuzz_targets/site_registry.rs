#![no_main]
//! `site import --registry`: any bytes (UTF-16LE or UTF-8 `.reg` text)
//! import or are refused with a reason naming the line, never a panic; an
//! imported workspace saves and reloads equal.

use ia_licensing_core::site_import;
use ia_licensing_core::workspace::Workspace;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(imported) = site_import::import_registry_bytes("site.reg", data) else { return };
    let text = imported.workspace.to_json();
    let back = Workspace::from_json(&text).expect("an imported workspace loads");
    assert_eq!(back, imported.workspace);
});
