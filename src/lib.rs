//! ia-licensing: a replica of the License Management part of Interaction
//! Administrator (Genesys PureConnect / CIC).
//!
//! `core` holds the domain (no GUI); `cli` and `ui` are two faces over it.

pub mod cli;
pub mod core;
#[cfg(feature = "gui")]
pub mod ui;
