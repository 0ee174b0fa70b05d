//! One file per view; each holds only its own view state.

pub mod license;
