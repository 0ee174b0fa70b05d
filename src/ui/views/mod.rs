//! One file per view; each holds only its own view state.

pub mod allocation;
pub mod enforcement;
pub mod license;
pub mod warnings;
