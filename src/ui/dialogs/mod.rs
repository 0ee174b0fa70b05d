//! One file per dialog. A dialog holds its draft; the app applies the
//! command it returns.

pub mod bulk;
pub mod compare;
pub mod confirm;
pub mod license_config;
pub mod licensing;
pub mod station;
pub mod user;

use crate::core::command::Command;

/// What a dialog wants after a frame.
pub enum DialogResult {
    Keep,
    Close,
    Apply(Box<Command>),
    /// Ask first (`confirm::ConfirmDialog`), then apply; Cancel there comes
    /// back to the dialog.
    Confirm(Box<Command>),
}

/// Red text next to a control, when the rules refused a change to it.
pub fn refusal(ui: &mut egui::Ui, message: Option<&String>) {
    if let Some(m) = message {
        ui.colored_label(crate::ui::widgets::error_red(ui), m);
    }
}
