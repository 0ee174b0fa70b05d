//! The data: what a license file, a workspace and their parts are, with
//! their file formats and checks. Imports only `fs`.
pub mod alerts;
pub mod billing;
pub mod catalog;
pub mod changelog;
pub mod dates;
pub mod demo;
pub mod diagnostic;
pub mod error;
pub mod fileio;
pub mod id_pattern;
pub mod license;
pub mod names;
pub mod parts;
pub mod progress;
pub mod seen;
pub mod subject;
pub mod text;
pub mod workspace;
