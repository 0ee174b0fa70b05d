//! The domain core: no egui, no clap, no file dialogs. The GUI and the CLI
//! are two thin faces over what lives here.

pub mod catalog;
pub mod license;
pub mod parts;
