//! The domain core: no egui, no clap, no file dialogs. The GUI and the CLI
//! are two thin faces over what lives here.

pub mod account;
pub mod alerts;
pub mod catalog;
pub mod changelog;
pub mod cloud;
pub mod command;
pub mod compare;
pub mod cost;
pub mod csv_io;
pub mod dates;
pub mod demo;
pub mod diagnostic;
pub mod document;
pub mod editing;
pub mod enforcement;
pub mod engine;
pub mod error;
pub mod fileio;
pub mod fs;
pub mod history;
pub mod journal;
pub mod license;
pub mod loading;
pub mod names;
pub mod parts;
pub mod policy;
pub mod reclaim;
pub mod recommend;
pub mod replay;
pub mod reports;
pub mod rules;
pub mod subject;
pub mod text;
pub mod usage;
pub mod workspace;
