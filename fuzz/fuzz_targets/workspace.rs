#![no_main]
//! The workspace loader: any text gives a workspace or a list of problems,
//! never a panic; a loaded workspace saves and reloads to the same thing.

use std::sync::Arc;

use ia_licensing::core::document::Document;
use ia_licensing::core::license::TrustStore;
use ia_licensing::core::workspace::Workspace;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(ws) = Workspace::from_json(text) {
        let saved = ws.to_json();
        let again = Workspace::from_json(&saved).expect("a saved workspace reloads");
        assert_eq!(again, ws);
        let license = ia_licensing::core::demo::demo_license(&TrustStore::with_demo()).expect("demo");
        let doc = Document::new(Arc::new(license), ws, chrono::NaiveDate::from_ymd_opt(2026, 1, 1).expect("date"));
        assert!(doc.engine().same_as(&doc.recount()));
    }
});
