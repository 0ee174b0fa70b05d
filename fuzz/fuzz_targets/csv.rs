#![no_main]
//! The CSV importer: any text is parsed and imported (all or nothing) without
//! a panic, against the demo license and workspace.

use std::sync::Arc;

use ia_licensing_core::csv_io::{self, Table};
use ia_licensing_core::document::Document;
use ia_licensing_core::license::TrustStore;
use ia_licensing_core::workspace::Workspace;
use libfuzzer_sys::fuzz_target;

/// The demo document, built once: each input starts from a copy (building
/// it per input made this target ~50 times slower than the others).
fn demo() -> &'static Document {
    static DOC: std::sync::OnceLock<Document> = std::sync::OnceLock::new();
    DOC.get_or_init(|| {
        let license = ia_licensing_core::demo::demo_license(&TrustStore::with_demo()).expect("demo");
        let ws = Workspace::from_json(ia_licensing_core::demo::DEMO_WORKSPACE).expect("demo workspace");
        Document::new(Arc::new(license), ws, chrono::NaiveDate::from_ymd_opt(2026, 1, 1).expect("date"))
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut doc = demo().clone();
    for table in [Table::Workgroups, Table::Users, Table::Stations] {
        let before = doc.workspace().clone();
        if let Ok(report) = csv_io::import(&mut doc, table, text, false)
            && !report.errors.is_empty()
        {
            assert_eq!(*doc.workspace(), before, "a refused import changes nothing");
        }
    }
    assert!(doc.engine().same_as(&doc.recount()));
});
