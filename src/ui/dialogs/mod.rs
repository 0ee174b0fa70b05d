//! One file per dialog. A dialog holds its draft; the app applies the
//! command it returns.

pub mod bulk;
pub mod compare;
pub mod confirm;
pub mod install_site;
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

/// The lines a dialog's messages area reserves: room for a refusal and a
/// warning or two before it scrolls.
const MESSAGE_LINES: f32 = 3.0;

/// A dialog's messages (refusals, errors, warnings, each in its colour) in
/// an area of fixed height above the buttons: a message that appears or
/// goes never moves OK and Cancel from under the pointer (the dialog is
/// anchored at its top, so anything that grew above them pushed them
/// down). More than fits scrolls.
pub fn messages(ui: &mut egui::Ui, id: &str, lines: &[(egui::Color32, String)]) {
    let row = ui.text_style_height(&egui::TextStyle::Body) + ui.spacing().item_spacing.y;
    let height = row * MESSAGE_LINES;
    let width = ui.available_width();
    ui.allocate_ui_with_layout(
        egui::vec2(width, height),
        egui::Layout::top_down(egui::Align::Min),
        |ui| {
            ui.set_min_size(egui::vec2(width, height));
            egui::ScrollArea::vertical()
                .id_salt(id)
                .max_height(height)
                .auto_shrink([false, true])
                .show(ui, |ui| {
                    for (colour, text) in lines {
                        ui.colored_label(*colour, text);
                    }
                });
        },
    );
}
