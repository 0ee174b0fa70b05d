//! Files the GUI touches on the user's behalf: the system file dialog (rfd,
//! which needs a desktop portal on Linux — where none exists it returns
//! nothing and the path field in the prompt is used instead) and the list of
//! recent files in the platform's data folder.

use std::path::{Path, PathBuf};
use std::sync::{Arc, mpsc};

const MAX_RECENT: usize = 8;

/// What a Browse… asks the system file dialog for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pick {
    /// An existing file: what kind (the dialog's filter name) and its
    /// extensions.
    Open(&'static str, &'static [&'static str]),
    /// Where to save a file of a kind.
    Save(&'static str, &'static [&'static str]),
    /// An existing folder.
    Folder,
}

impl Pick {
    /// The system dialog (blocking: call it off the UI thread).
    fn system(self) -> Option<PathBuf> {
        let dialog = rfd::FileDialog::new();
        match self {
            Pick::Open(what, ext) => dialog.add_filter(what, ext).pick_file(),
            Pick::Save(what, ext) => dialog.add_filter(what, ext).save_file(),
            Pick::Folder => dialog.pick_folder(),
        }
    }
}

/// Opens file dialogs for the Browse… buttons beside typed paths. The
/// console's is the system dialog on a worker thread; tests install one
/// that answers at once (`set_picker`), so no test opens a real dialog.
pub trait Picker: Send + Sync {
    /// Starts a dialog; its answer (`None`: cancelled, or no dialog could
    /// open) arrives on the receiver.
    fn start(&self, pick: Pick) -> mpsc::Receiver<Option<PathBuf>>;
}

/// The system file dialog (rfd), off the UI thread: it blocks, and where
/// no desktop portal exists it returns nothing.
struct SystemPicker;

impl Picker for SystemPicker {
    fn start(&self, pick: Pick) -> mpsc::Receiver<Option<PathBuf>> {
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(pick.system());
        });
        rx
    }
}

#[derive(Clone)]
struct Installed(Arc<dyn Picker>);

fn picker_id() -> egui::Id {
    egui::Id::unique("ia-licensing-file-picker")
}

/// Makes `picker` answer every Browse… of this context (tests).
pub fn set_picker(ctx: &egui::Context, picker: Arc<dyn Picker>) {
    ctx.data_mut(|d| d.insert_temp(picker_id(), Installed(picker)));
}

fn picker(ctx: &egui::Context) -> Arc<dyn Picker> {
    ctx.data(|d| d.get_temp::<Installed>(picker_id()))
        .map_or_else(|| Arc::new(SystemPicker) as Arc<dyn Picker>, |p| p.0)
}

/// The Browse… beside a typed path: the dialog it waits for, and whether
/// the last one came back without a file.
#[derive(Default)]
pub struct Browse {
    pending: Option<mpsc::Receiver<Option<PathBuf>>>,
    nothing: bool,
}

impl Browse {
    /// A Browse… button (named for assistive technology after what it
    /// chooses, `what`: "Browse for the signing key file") that writes the file chosen into `path`; true in the
    /// frame it does. Typing stays possible: where no dialog can open, it
    /// says so and the field is used.
    pub fn button(&mut self, ui: &mut egui::Ui, what: &str, pick: Pick, path: &mut String) -> bool {
        self.button_text(ui, "Browse…", what, pick, path)
    }

    /// `button` with another text ("Browse folder…").
    pub fn button_text(&mut self, ui: &mut egui::Ui, text: &str, what: &str, pick: Pick, path: &mut String) -> bool {
        let mut chosen = false;
        if let Some(rx) = &self.pending {
            match rx.try_recv() {
                Ok(Some(p)) => {
                    *path = p.display().to_string();
                    chosen = true;
                    self.pending = None;
                }
                Ok(None) | Err(mpsc::TryRecvError::Disconnected) => {
                    self.nothing = true;
                    self.pending = None;
                }
                // Look again soon, without a busy loop of frames.
                Err(mpsc::TryRecvError::Empty) => ui.ctx().request_repaint_after(std::time::Duration::from_millis(100)),
            }
        }
        let idle = self.pending.is_none();
        let button = ui
            .add_enabled(idle, egui::Button::new(text))
            .on_hover_text(format!("Choose {what} with the file dialog"))
            .on_disabled_hover_text("Waiting for the file dialog");
        // Several Browse… in a form: each says for what.
        button.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, idle, format!("Browse for {what}")));
        if button.clicked() {
            self.nothing = false;
            self.pending = Some(start(ui.ctx(), pick));
            ui.ctx().request_repaint();
        }
        if self.nothing {
            ui.weak("No file chosen (where no file dialog can open, type the path)");
        }
        chosen
    }
}

/// Starts the file dialog for `pick` with this context's picker (the
/// system's, or a test's).
pub fn start(ctx: &egui::Context, pick: Pick) -> mpsc::Receiver<Option<PathBuf>> {
    picker(ctx).start(pick)
}

fn recent_file(data_dir: Option<&Path>) -> Option<PathBuf> {
    data_dir.map(|d| d.join("recent.json"))
}

/// The recent files, newest first (missing or unreadable list: none).
pub fn load_recent(data_dir: Option<&Path>) -> Vec<PathBuf> {
    recent_file(data_dir)
        .and_then(|p| crate::core::fs::read_capped(&p, 64 * 1024).ok())
        .and_then(|b| serde_json::from_slice::<Vec<PathBuf>>(&b).ok())
        .unwrap_or_default()
}

/// Puts a path at the top of the recent list and stores the list (best effort).
pub fn remember(data_dir: Option<&Path>, recent: &mut Vec<PathBuf>, path: &Path) {
    let path = crate::core::fs::canonical(path);
    recent.retain(|p| *p != path);
    recent.insert(0, path);
    recent.truncate(MAX_RECENT);
    if let Some(file) = recent_file(data_dir) {
        if let Some(dir) = file.parent() {
            let _ = crate::core::fs::create_dir_all(dir);
        }
        if let Ok(text) = serde_json::to_vec_pretty(recent) {
            let _ = crate::core::fs::atomic_write(&file, &text);
        }
    }
}
