//! The GUI: eframe/egui. Renders core state and sends commands; it never
//! changes core data itself.

pub mod app;
pub mod dialogs;
pub mod files;
pub mod import;
pub mod selection;
pub mod simulation;
pub mod table_rows;
pub mod views;
pub mod widgets;

use std::process::ExitCode;

use crate::cli::GuiArgs;

/// Opens the main window.
pub fn run(args: GuiArgs) -> ExitCode {
    let store = match args.trust.trust_store() {
        Ok(store) => store,
        Err(e) => {
            eprintln!("ia-licensing: {e}");
            return ExitCode::from(2);
        }
    };
    let view = match args.view.as_deref().map(app::Nav::parse) {
        None => None,
        Some(Some(v)) => Some(v),
        Some(None) => {
            eprintln!(
                "ia-licensing: unknown view; use license, allocation, users, stations, workgroups, statistics, enforcement or usage"
            );
            return ExitCode::from(2);
        }
    };
    let startup = app::Startup {
        file: args.file,
        workspace: args.workspace,
        read_only: args.read_only,
        allow_unsigned: args.trust.allow_unsigned,
        trust: store,
        view,
        dark: args.dark,
        data_dir: crate::core::journal::data_dir(),
    };
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
                "ia-licensing: cannot open a window ({e}); is a display available? The CLI works without one: ia-licensing --help"
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
