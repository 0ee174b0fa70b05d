//! `check`: Licenses Allocation counts and diagnostics of a document, and
//! the order its license was made from — what `check --format json` prints
//! and the report pack's Licenses Allocation and Warnings sheets hold.

use serde::Serialize;

use crate::edit::document::Document;
use crate::engine::KeyCounts;
use crate::model::diagnostic::Diagnostic;
use crate::model::license::Trust;
use crate::services::reports::view_license::OrderedItemUsed;

/// `check --format json`.
#[derive(Serialize)]
pub struct Check<'a> {
    pub license: Trust,
    pub counts: Vec<KeyCounts>,
    pub diagnostics: Vec<&'a Diagnostic>,
    /// The license's "Ordered Items Used" (part, quantity).
    pub ordered_items: Vec<OrderedItemUsed>,
}

impl<'a> Check<'a> {
    pub fn of(doc: &'a Document) -> Check<'a> {
        let engine = doc.engine();
        Check {
            license: doc.license().signature.trust(),
            counts: engine.counts(doc.license()),
            diagnostics: engine.diagnostics(),
            ordered_items: crate::services::reports::view_license::ordered_items_used(doc.license()),
        }
    }
}
