//! Reports both faces show, built once: the CLI prints them as tables or
//! JSON, the GUI lays them out in its views; `sheet` and `xlsx` put the
//! same typed rows into Excel workbooks (`pack`: the report pack).

pub mod change_log;
pub mod check;
pub mod cloud;
pub mod cost;
pub mod pack;
pub mod sheet;
pub mod statistics;
pub mod usage;
pub mod view_license;
pub mod xlsx;

pub use crate::model::error::ReportError;
