//! The rules, in one place: the refusals (what a command may not do, each
//! with a code, IA's words and a hint) and the diagnostics (what is wrong
//! but may be saved). The document, the dialogs and the app ask these; no
//! other module decides a rule.

pub mod catalog;
pub mod coverage;
pub mod diagnostics;
pub mod enforcement;
pub mod lookups;
pub mod policy;
pub mod refusals;
pub mod server;

pub use crate::model::diagnostic::DiagnosticCode;
pub use crate::model::license::MediaServerStatus;
pub use diagnostics::*;
pub use refusals::{
    AfmtRefusal, Holder, NEEDS_BASIC_STATION, REQUEST_TOOL_POINTER, Refusal, check_allowed, check_capacity,
    check_editable, check_media_count, check_new_id, fit_media_to_level, needs_basic_station,
};
pub use server::{media_server_diagnostics, server_diagnostics};
