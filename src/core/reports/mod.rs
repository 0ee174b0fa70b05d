//! Reports both faces show, built once: the CLI prints them as tables or
//! JSON, the GUI lays them out in its views.

pub mod cloud;
pub mod cost;
pub mod statistics;
pub mod usage;
pub mod view_license;

pub use crate::core::error::ReportError;
