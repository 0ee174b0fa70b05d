//! Changing a document: commands, the document that carries them out
//! with undo, the editing session (journal, save, recover), loading, CSV.
pub mod command;
pub mod csv_io;
pub mod document;
pub mod editing;
pub mod journal;
pub mod loading;
pub mod policy_apply;
