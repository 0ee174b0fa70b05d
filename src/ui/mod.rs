//! The GUI: eframe/egui. Renders core state and sends commands; it never
//! changes core data itself.

pub mod a11y;
pub mod app;
pub mod apply_job;
pub mod charts;
pub mod commands;
pub mod dialogs;
pub mod drop_down;
pub mod files;
pub mod frame_log;
pub mod front;
pub mod help;
pub mod import;
pub mod input_order;
pub mod job;
pub mod messages;
pub mod plan_job;
pub mod prefs;
pub mod renderer;
pub mod selection;
pub mod simulation;
pub mod site_import;
pub mod table;
pub mod table_rows;
pub mod views;
pub mod widgets;

use std::process::ExitCode;

/// Opens the main window on what `main` read from the command line, with
/// the renderer asked for, or wgpu falling back to glow (`renderer.rs`).
pub fn run(startup: app::Startup, forced: Option<renderer::Renderer>) -> ExitCode {
    use std::cell::RefCell;
    use std::rc::Rc;
    let forced = forced.or_else(|| renderer::from_env(renderer::ENV_FORCE));
    let fail = renderer::from_env(renderer::ENV_FAIL);
    // The app is made once, by whichever renderer starts; a renderer that
    // fails before making it leaves the start-up state for the next one.
    let startup = Rc::new(RefCell::new(Some(startup)));
    let mut fallback: Vec<String> = Vec::new();
    let mut last_error = String::new();
    for r in renderer::order(forced) {
        let mut viewport = egui::ViewportBuilder::default()
            .with_title("Interaction Administrator — License Management")
            .with_inner_size([1400.0, 900.0])
            .with_min_inner_size([800.0, 500.0]);
        if let Some(icon) = app_icon() {
            viewport = viewport.with_icon(icon);
        }
        let options = eframe::NativeOptions {
            viewport,
            renderer: r.eframe(),
            ..Default::default()
        };
        let cell = Rc::clone(&startup);
        let tried = fallback.clone();
        if r == renderer::Renderer::Glow {
            // egui_glow names the OpenGL driver in a log record as it starts.
            renderer::gl_strings::listen();
        }
        let result = eframe::run_native(
            "ia-licensing",
            options,
            Box::new(move |cc| {
                if fail == Some(r) {
                    return Err(format!("{} was asked to fail ({}={r})", r, renderer::ENV_FAIL).into());
                }
                let Some(startup) = cell.borrow_mut().take() else {
                    return Err("the window was already made once".into());
                };
                let used = renderer::describe_context(r, cc);
                renderer::gl_strings::stop();
                let note = renderer::RendererNote { used, fallback: tried };
                eprintln!("ia-licensing: {}", note.describe());
                let mut app = app::App::new(cc, startup);
                app.note_renderer(note);
                Ok(Box::new(app))
            }),
        );
        renderer::gl_strings::stop();
        match result {
            Ok(()) => return ExitCode::SUCCESS,
            Err(e) => {
                let why = format!("{r} did not start: {e}");
                eprintln!("ia-licensing: {why}");
                fallback.push(why);
                last_error = e.to_string();
                if startup.borrow().is_none() {
                    // The app ran and then failed: not a renderer problem.
                    break;
                }
            }
        }
    }
    eprintln!("ia-licensing: {}", renderer::no_window_hint(forced, &last_error));
    ExitCode::from(1)
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
