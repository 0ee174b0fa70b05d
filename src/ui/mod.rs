//! The GUI: eframe/egui. Renders core state and sends commands; it never
//! changes core data itself.

pub mod app;
pub mod charts;
pub mod commands;
pub mod dialogs;
pub mod files;
pub mod help;
pub mod import;
pub mod messages;
pub mod plan_job;
pub mod prefs;
pub mod selection;
pub mod simulation;
pub mod site_import;
pub mod table;
pub mod table_rows;
pub mod views;
pub mod widgets;

use std::process::ExitCode;

/// Opens the main window on what `main` read from the command line.
pub fn run(startup: app::Startup) -> ExitCode {
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("Interaction Administrator — License Management")
        .with_inner_size([1400.0, 900.0])
        .with_min_inner_size([800.0, 500.0]);
    if let Some(icon) = app_icon() {
        viewport = viewport.with_icon(icon);
    }
    let options = eframe::NativeOptions {
        viewport,
        ..Default::default()
    };
    match eframe::run_native(
        "ia-licensing",
        options,
        Box::new(move |cc| Ok(Box::new(app::App::new(cc, startup)))),
    ) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!(
                "ia-licensing: cannot open a window ({e}); is a display available? The CLI works without one: \
                    ia-licensing --help"
            );
            ExitCode::from(1)
        }
    }
}

/// The window icon, decoded from the PNG in `assets/`.
fn app_icon() -> Option<egui::IconData> {
    let bytes = include_bytes!("../../assets/icon.png");
    let image = image::load_from_memory(bytes).ok()?.into_rgba8();
    let (width, height) = image.dimensions();
    Some(egui::IconData {
        rgba: image.into_raw(),
        width,
        height,
    })
}
