#![no_main]
//! The recovery journal reader and replay: any bytes are read as a journal
//! or refused (never a panic), and a journal that reads replays against the
//! demo license or is refused with a reason, never a partial success.

use std::path::Path;

use ia_licensing_core::journal;
use ia_licensing_core::license::TrustStore;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(Some(rec)) = journal::parse(Path::new("fuzz.jsonl"), data) else { return };
    // Work that a hostile journal could cost stays bounded by its size.
    let _ = rec.unsaved_steps();
    let _ = rec.workspace_path();
    let store = TrustStore::with_demo();
    // Only the built-in sources: a fuzzed path must not read this machine's files.
    let load = |source: &journal::LicenseSource| match source {
        journal::LicenseSource::Demo => {
            ia_licensing_core::demo::demo_license(&store).map_err(journal::JournalError::from)
        }
        _ => Err(journal::JournalError::SourceNotLoaded("only the demo license in the fuzz target")),
    };
    if let Ok(restored) = journal::restore(&rec, &load, true) {
        let doc = restored.doc;
        assert_eq!(doc.engine().counts(doc.license()), doc.recount().counts(doc.license()));
    }
});
