#![no_main]
//! The workspace loader: any text gives a workspace or a list of problems,
//! never a panic; a loaded workspace saves and reloads to the same thing;
//! what the text path accepts (whose notes may spare the record checks),
//! the detailed path accepts as the same workspace.

use std::sync::Arc;

use ia_licensing::core::document::Document;
use ia_licensing::core::license::TrustStore;
use ia_licensing::core::workspace::Workspace;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(ws) = Workspace::from_json(text) {
        let value: serde_json::Value = serde_json::from_str(text).expect("accepted text is JSON");
        assert_eq!(Workspace::from_value(value).ok().as_ref(), Some(&ws), "the detailed path disagrees");
        let saved = ws.to_json();
        let again = Workspace::from_json(&saved).expect("a saved workspace reloads");
        assert_eq!(again, ws);
        let license = ia_licensing::core::demo::demo_license(&TrustStore::with_demo()).expect("demo");
        let doc = Document::new(Arc::new(license), ws, chrono::NaiveDate::from_ymd_opt(2026, 1, 1).expect("date"));
        assert!(doc.engine().same_as(&doc.recount()));
    }
});
