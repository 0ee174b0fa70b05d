//! The domain core of ia-licensing: no egui, no clap, no file dialogs (its
//! own crate, so the compiler keeps it so). The GUI and the CLI are two thin
//! faces over what lives here.
//!
//! Layers, bottom first; a module imports only from its own layer and the
//! layers below it, and no two modules import each other in a circle
//! (`tests/it/layers.rs` reads the source and fails on either):
//!
//! 1. `fs` — the one guarded path to the file system.
//! 2. `model` — the data: license files, the key catalog, the workspace
//!    (with its policies, price list and cloud settings), dates, names,
//!    text, the change log, the built-in demo files.
//! 3. `rules` — what is allowed and what is warned about, with codes, IA's
//!    words and hints; policies judged against the workspace; the
//!    virtual-cloud enforcement stages (whose stage 6 locks allocation).
//! 4. `engine` — counts and diagnostics kept up to date per change.
//! 5. `edit` — commands, the document, the editing session, the journal,
//!    loading, CSV import and export.
//! 6. `analysis` — replays of events, usage and billing, cost, the usage
//!    history, reclaim, recommendations, the Genesys Cloud estimate, the
//!    plan of a change.
//! 7. `services` — what a face asks for whole: the AFMT account, report
//!    packs, the site import, the help pages.

pub mod analysis;
pub mod edit;
pub mod engine;
pub mod fs;
pub mod model;
pub mod rules;
pub mod services;

// Every module by its own name too, as the faces and tests have always
// said it (`core::workspace::User`); inside the core, paths name the layer.
pub use analysis::{cloud, companions, compare, cost, demo_generate, history, plan, reclaim, recommend, replay, usage};
pub use edit::{command, csv_io, document, editing, journal, loading, policy_apply};
pub use model::{
    alerts, catalog, changelog, dates, demo, diagnostic, error, fileio, id_pattern, license, names, parts, progress,
    subject, text, workspace,
};
pub use rules::{enforcement, policy};
pub use services::{account, help, reports, site_import};
