//! The eframe application: owns the loaded data, routes user actions, holds
//! view state.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc;

use chrono::NaiveDate;

use crate::core::license::{License, LoadOptions, SignatureStatus, TrustStore};

use super::views;

/// The demo license, compiled in so a newcomer sees a loaded license at once.
pub const DEMO_LICENSE: &[u8] = include_bytes!("../../assets/demo.I3Lic");

/// What `main` hands the app.
pub struct Startup {
    pub file: Option<PathBuf>,
    pub read_only: bool,
    pub allow_unsigned: bool,
    pub trust: TrustStore,
}

/// Where the loaded license came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Demo,
    File(PathBuf),
}

/// A refused file, shown in a modal.
#[derive(Debug, Clone)]
pub struct ErrorModal {
    pub title: String,
    pub message: String,
}

/// The navigation tree's entries (IA's containers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nav {
    LicenseManagement,
}

pub struct App {
    pub license: Arc<License>,
    pub source: Source,
    pub trust: TrustStore,
    pub allow_unsigned: bool,
    pub read_only: bool,
    pub nav: Nav,
    pub error: Option<ErrorModal>,
    pub license_view: views::license::LicenseView,
    /// The "Load License…" path prompt, open when `Some`.
    pub open_prompt: Option<String>,
    picker: Option<mpsc::Receiver<Option<PathBuf>>>,
}

impl App {
    pub fn new(cc: &eframe::CreationContext<'_>, startup: Startup) -> Self {
        cc.egui_ctx.set_theme(egui::Theme::Light);
        Self::from_startup(startup)
    }

    /// Builds the app without a window (used by tests too).
    pub fn from_startup(startup: Startup) -> Self {
        let demo = load_demo_license(&startup.trust);
        let mut app = App {
            license: Arc::new(demo),
            source: Source::Demo,
            trust: startup.trust,
            allow_unsigned: startup.allow_unsigned,
            read_only: startup.read_only,
            nav: Nav::LicenseManagement,
            error: None,
            license_view: Default::default(),
            open_prompt: None,
            picker: None,
        };
        if let Some(path) = startup.file {
            app.open_license(path);
        }
        app
    }

    pub fn today(&self) -> NaiveDate {
        chrono::Local::now().date_naive()
    }

    /// Loads a license file; a refused file leaves everything as it was and
    /// shows the reason.
    pub fn open_license(&mut self, path: PathBuf) {
        let opts = LoadOptions {
            trust: &self.trust,
            allow_unsigned: self.allow_unsigned,
        };
        match License::load_path(&path, opts) {
            Ok(license) => {
                self.license = Arc::new(license);
                self.source = Source::File(path);
            }
            Err(refusal) => {
                self.error = Some(ErrorModal {
                    title: "License file refused".into(),
                    message: format!("{}\n\n{}", path.display(), refusal),
                });
            }
        }
    }

    fn start_browse(&mut self) {
        let (tx, rx) = mpsc::channel();
        // A file dialog blocks; run it off the UI thread. Where no desktop
        // portal exists it returns nothing and the path field stays.
        std::thread::spawn(move || {
            let picked = rfd::FileDialog::new()
                .add_filter("License file", &["I3Lic", "i3lic"])
                .pick_file();
            let _ = tx.send(picked);
        });
        self.picker = Some(rx);
    }

    fn poll_picker(&mut self) {
        if let Some(rx) = &self.picker {
            match rx.try_recv() {
                Ok(Some(path)) => {
                    self.picker = None;
                    self.open_prompt = None;
                    self.open_license(path);
                }
                Ok(None) | Err(mpsc::TryRecvError::Disconnected) => self.picker = None,
                Err(mpsc::TryRecvError::Empty) => {}
            }
        }
    }

    /// Draws the whole window.
    pub fn show(&mut self, ui: &mut egui::Ui) {
        self.poll_picker();
        let ctx = ui.ctx().clone();
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .collect()
        });
        for path in dropped {
            if !path.as_os_str().is_empty() {
                self.open_license(path);
            }
        }
        egui::Panel::top("menu").show(ui, |ui| {
            egui::MenuBar::new().ui(ui, |ui| {
                ui.menu_button("File", |ui| {
                    if ui.button("Open License…").clicked() {
                        self.open_prompt = Some(String::new());
                        ui.close();
                    }
                    if ui.button("Quit").clicked() {
                        ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
                    }
                });
                ui.menu_button("Help", |ui| {
                    ui.label(format!("ia-licensing {}", env!("CARGO_PKG_VERSION")));
                });
            });
        });
        egui::Panel::bottom("status").show(ui, |ui| self.status_bar(ui));
        egui::Panel::left("nav")
            .resizable(true)
            .default_size(200.0)
            .show(ui, |ui| {
                ui.heading("Licensing");
                ui.selectable_value(&mut self.nav, Nav::LicenseManagement, "License Management");
            });
        egui::CentralPanel::default().show(ui, |ui| {
            if self.source == Source::Demo {
                demo_banner(ui);
            }
            match self.nav {
                Nav::LicenseManagement => {
                    let today = self.today();
                    if self.license_view.ui(ui, &self.license, today) {
                        self.open_prompt = Some(String::new());
                    }
                }
            }
        });
        self.open_dialog(&ctx);
        self.error_modal(&ctx);
    }

    fn status_bar(&self, ui: &mut egui::Ui) {
        let today = self.today();
        ui.horizontal(|ui| {
            let f = &self.license.file;
            ui.label(format!(
                "{} {} · {}",
                f.product,
                f.product_version,
                f.level.label()
            ));
            ui.separator();
            match &self.license.signature {
                SignatureStatus::Valid(issuer) if self.license.signature.is_demo() => {
                    let _ = issuer;
                    ui.colored_label(
                        egui::Color32::from_rgb(0xB0, 0x60, 0x00),
                        "Signature valid · DEMO",
                    );
                }
                SignatureStatus::Valid(issuer) => {
                    ui.label(format!("Signature valid · {}", issuer.name()));
                }
                SignatureStatus::Unsigned => {
                    ui.colored_label(egui::Color32::RED, "UNSIGNED");
                }
            }
            ui.separator();
            if self.license.is_perpetual() {
                ui.label("perpetual");
            } else if self.license.is_expired(today) {
                ui.colored_label(egui::Color32::RED, format!("expired on {}", f.expires));
            } else {
                ui.label(format!(
                    "{} days to expiry",
                    self.license.days_to_expiry(today)
                ));
            }
            if self.read_only {
                ui.separator();
                ui.label("Read-only");
            }
        });
    }

    fn open_dialog(&mut self, ctx: &egui::Context) {
        let Some(mut path) = self.open_prompt.take() else {
            return;
        };
        let mut keep = true;
        let mut load = None;
        egui::Modal::new(egui::Id::unique("open-license")).show(ctx, |ui| {
            ui.heading("Load License");
            ui.label("License file (.I3Lic):");
            let edit = ui.add(
                egui::TextEdit::singleline(&mut path)
                    .desired_width(420.0)
                    .hint_text("/path/to/license.I3Lic"),
            );
            if edit.lost_focus()
                && ui.input(|i| i.key_pressed(egui::Key::Enter))
                && !path.trim().is_empty()
            {
                load = Some(PathBuf::from(path.trim()));
            }
            ui.horizontal(|ui| {
                if ui.button("Browse…").clicked() {
                    self.start_browse();
                }
                if ui
                    .add_enabled(!path.trim().is_empty(), egui::Button::new("Open"))
                    .clicked()
                {
                    load = Some(PathBuf::from(path.trim()));
                }
                if ui.button("Cancel").clicked() {
                    keep = false;
                }
            });
            if self.picker.is_some() {
                ui.label("Waiting for the file dialog… (where none can open, type the path above)");
            }
        });
        if let Some(p) = load {
            self.open_license(p);
            keep = false;
        }
        if keep {
            self.open_prompt = Some(path);
        }
    }

    fn error_modal(&mut self, ctx: &egui::Context) {
        let Some(err) = &self.error else { return };
        let mut close = false;
        egui::Modal::new(egui::Id::unique("error")).show(ctx, |ui| {
            ui.heading(&err.title);
            ui.label(&err.message);
            ui.label("The previously loaded license is unchanged.");
            if ui.button("OK").clicked() {
                close = true;
            }
        });
        if close {
            self.error = None;
        }
    }
}

impl eframe::App for App {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
    }
}

fn demo_banner(ui: &mut egui::Ui) {
    egui::Frame::new()
        .fill(egui::Color32::from_rgb(0xFF, 0xF4, 0xCE))
        .inner_margin(egui::Margin::same(8))
        .corner_radius(4.0)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.colored_label(
                egui::Color32::from_rgb(0x5A, 0x40, 0x00),
                "Demo data: this is the built-in demo license, signed with the public demo key (DEMO). \
                 Open your own with File › Open License…, by dropping a file on the window, or with `ia-licensing gui FILE`.",
            );
        });
    ui.add_space(6.0);
}

/// The embedded demo license, verified like any other file.
pub fn load_demo_license(trust: &TrustStore) -> License {
    let opts = LoadOptions {
        trust,
        allow_unsigned: true,
    };
    match License::load_bytes(DEMO_LICENSE, opts) {
        Ok(l) => l,
        // The build ships a demo that verifies (a test checks it); if the
        // user's trust store lacks the demo key, fall back to reading it
        // unsigned so the window still opens, visibly marked.
        Err(_) => {
            let empty = TrustStore::empty();
            let mut value: serde_json::Value =
                serde_json::from_slice(DEMO_LICENSE).unwrap_or_default();
            if let Some(obj) = value.as_object_mut() {
                obj.remove("signature");
            }
            let bytes = serde_json::to_vec(&value).unwrap_or_default();
            License::load_bytes(
                &bytes,
                LoadOptions {
                    trust: &empty,
                    allow_unsigned: true,
                },
            )
            .unwrap_or_else(|e| panic!("the embedded demo license is broken: {e}"))
        }
    }
}
