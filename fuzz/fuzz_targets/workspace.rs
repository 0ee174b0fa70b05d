#![no_main]
//! The workspace loader: any text gives a workspace or a list of problems,
//! never a panic; a loaded workspace saves and reloads to the same thing;
//! what the text path accepts (whose notes may spare the record checks),
//! the detailed path accepts as the same workspace; its change log (entries
//! of one subject, bulk entries, or a log that cannot be read and is kept)
//! saves and reads back to the same entries, and saving that gives the same
//! file.

use std::sync::Arc;

use ia_licensing_core::document::Document;
use ia_licensing_core::license::TrustStore;
use ia_licensing_core::workspace::Workspace;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(ws) = Workspace::from_json(text) {
        let value: serde_json::Value = serde_json::from_str(text).expect("accepted text is JSON");
        assert_eq!(Workspace::from_value(value).ok().as_ref(), Some(&ws), "the detailed path disagrees");
        let saved = ws.to_json();
        let again = Workspace::from_json(&saved).expect("a saved workspace reloads");
        assert_eq!(again, ws);
        let license = ia_licensing_core::demo::demo_license(&TrustStore::with_demo()).expect("demo");
        let license = Arc::new(license);
        let today = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).expect("date");
        let doc = Document::new(license.clone(), ws, today);
        assert!(doc.engine().same_as(&doc.recount()));
        let saved = doc.to_file_json();
        let back = Document::new(license, Workspace::from_json(&saved).expect("a saved document reloads"), today);
        assert_eq!(back.change_log(), doc.change_log(), "the change log reads back the same");
        assert_eq!(back.change_log_unread().is_some(), doc.change_log_unread().is_some());
        assert_eq!(back.to_file_json(), saved, "saving what was read gives the same file");
    }
});
