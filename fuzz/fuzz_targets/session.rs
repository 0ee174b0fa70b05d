#![no_main]
//! The `session` request parser and the editing session behind it: any
//! lines are parsed or refused, and the accepted ones are applied, undone
//! and redone on the demo document without a panic; counts always equal a
//! recount, and the document never holds a state its loader would refuse
//! when saved.

use std::sync::Arc;

use ia_licensing_core::document::Document;
use ia_licensing_core::editing::{self, JournalPlace, OpenArgs, Request, Session, Target};
use ia_licensing_core::journal::LicenseSource;
use ia_licensing_core::license::TrustStore;
use ia_licensing_core::workspace::Workspace;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn demo() -> &'static Document {
    static DOC: OnceLock<Document> = OnceLock::new();
    DOC.get_or_init(|| {
        let license = ia_licensing_core::demo::demo_license(&TrustStore::with_demo()).expect("demo");
        let ws = Workspace::from_json(ia_licensing_core::demo::DEMO_WORKSPACE).expect("demo workspace");
        Document::new(Arc::new(license), ws, chrono::NaiveDate::from_ymd_opt(2026, 1, 1).expect("date"))
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (mut session, _) = Session::open(OpenArgs {
        doc: demo().clone(),
        target: Target::Demo,
        license_source: LicenseSource::Demo,
        place: JournalPlace::None,
        actor: "fuzz".into(),
        program: "fuzz".into(),
        now: chrono::DateTime::UNIX_EPOCH,
    });
    let at = chrono::DateTime::UNIX_EPOCH;
    for line in text.lines().take(64) {
        match editing::parse_request(line) {
            Ok(Request::Apply(command)) => {
                let _ = session.apply(*command, at);
            }
            Ok(Request::Undo) => {
                let _ = session.undo(at);
            }
            Ok(Request::Redo) => {
                let _ = session.redo(at);
            }
            // No file behind the demo: a save is refused, never written.
            Ok(Request::Save { overwrite }) => assert!(session.save(overwrite, at).is_err()),
            Err(_) => {}
        }
    }
    let doc = session.doc();
    assert_eq!(doc.engine().counts(doc.license()), doc.recount().counts(doc.license()));
    // What the session holds is something its own loader would open.
    let text = doc.to_file_json();
    Workspace::from_json(&text).expect("the document never holds a state its loader refuses");
});
