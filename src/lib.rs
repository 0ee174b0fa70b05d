//! ia-licensing: a replica of the License Management part of Interaction
//! Administrator (Genesys PureConnect / CIC).
//!
//! `core` holds the domain (no GUI); `cli` and `ui` are two faces over it.

pub mod cli;
/// The domain core, its own crate (`crates/core`): kept under this name so
/// the faces and tests say `crate::core::…` and `ia_licensing::core::…`.
pub use ia_licensing_core as core;
/// Starting the program from its arguments (both executables).
#[cfg(feature = "gui")]
pub mod start;
#[cfg(feature = "gui")]
pub mod ui;
