//! The eframe application: owns the loaded data, routes user actions, holds
//! view state.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc;

use chrono::NaiveDate;

use crate::core::document::Document;
use crate::core::license::{License, LoadOptions, SignatureStatus, TrustStore};
use crate::core::workspace::Workspace;

use super::{views, widgets};

/// The demo license, compiled in so a newcomer sees a loaded license at once.
pub const DEMO_LICENSE: &[u8] = include_bytes!("../../assets/demo.I3Lic");
/// The demo workspace that goes with it.
pub const DEMO_WORKSPACE: &str = include_str!("../../assets/demo.ialws");

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

/// Which kind of file a prompt or file dialog is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    License,
    Workspace,
}

impl FileKind {
    fn title(self) -> &'static str {
        match self {
            FileKind::License => "Load License",
            FileKind::Workspace => "Open Workspace",
        }
    }
    fn hint(self) -> &'static str {
        match self {
            FileKind::License => "/path/to/license.I3Lic",
            FileKind::Workspace => "/path/to/site.ialws",
        }
    }
}

/// The "open a file" prompt: a path field, plus Browse… where a dialog can open.
#[derive(Debug, Clone)]
pub struct OpenPrompt {
    pub kind: FileKind,
    pub path: String,
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
    LicensesAllocation,
    Users,
    Stations,
    Workgroups,
    LicenseStatistics,
    CloudEnforcement,
    UsageBilling,
}

pub struct App {
    pub doc: Document,
    pub source: Source,
    pub workspace_source: Source,
    pub trust: TrustStore,
    pub allow_unsigned: bool,
    pub read_only: bool,
    pub nav: Nav,
    pub error: Option<ErrorModal>,
    pub license_view: views::license::LicenseView,
    pub allocation_view: views::allocation::AllocationView,
    pub warnings: views::warnings::WarningsPanel,
    pub show_warnings: bool,
    pub enforcement_view: views::enforcement::EnforcementView,
    /// Real by default; trainers switch to a simulated clock.
    pub clock: views::enforcement::Clock,
    /// The stage whose obtrusive warning the user dismissed.
    dismissed_stage: Option<u8>,
    /// The "Load License…" path prompt, open when `Some`.
    pub open_prompt: Option<OpenPrompt>,
    picker: Option<(FileKind, mpsc::Receiver<Option<PathBuf>>)>,
}

impl App {
    pub fn new(cc: &eframe::CreationContext<'_>, startup: Startup) -> Self {
        cc.egui_ctx.set_theme(egui::Theme::Light);
        Self::from_startup(startup)
    }

    /// Builds the app without a window (used by tests too).
    pub fn from_startup(startup: Startup) -> Self {
        let demo = load_demo_license(&startup.trust);
        let today = chrono::Local::now().date_naive();
        // The demo workspace ships with the build and is checked by a test.
        let ws = Workspace::from_json(DEMO_WORKSPACE).unwrap_or_default();
        let mut app = App {
            doc: Document::new(Arc::new(demo), ws, today),
            source: Source::Demo,
            workspace_source: Source::Demo,
            trust: startup.trust,
            allow_unsigned: startup.allow_unsigned,
            read_only: startup.read_only,
            nav: Nav::LicenseManagement,
            error: None,
            license_view: Default::default(),
            allocation_view: Default::default(),
            warnings: Default::default(),
            show_warnings: true,
            enforcement_view: Default::default(),
            clock: Default::default(),
            dismissed_stage: None,
            open_prompt: None,
            picker: None,
        };
        if let Some(path) = startup.file {
            app.open_license(path);
        }
        app
    }

    pub fn today(&self) -> NaiveDate {
        self.doc.today()
    }

    pub fn license(&self) -> &License {
        self.doc.license()
    }

    /// The virtual-cloud enforcement status now.
    pub fn enforcement(&self) -> crate::core::enforcement::Status {
        use crate::core::enforcement;
        enforcement::status(
            enforcement::Terms::of(self.doc.license()),
            self.clock.check_ins(),
            self.clock.now(),
        )
    }

    /// Allocation is read-only by choice (View › Read-only) or because the
    /// system is disabled (virtual cloud stage 6).
    pub fn allocation_locked(&self) -> Option<&'static str> {
        if self.read_only {
            Some("Read-only mode")
        } else if self.enforcement().stage >= 6 {
            Some(
                "Allocation is read-only: the system is disabled and unlicensed (virtual cloud enforcement stage 6). Restore the Genesys Cloud connection.",
            )
        } else {
            None
        }
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
                self.doc.set_license(Arc::new(license));
                self.source = Source::File(path);
            }
            Err(refusal) => {
                self.error = Some(ErrorModal {
                    title: "License file refused".into(),
                    message: format!(
                        "{}\n\n{}\n\nThe previously loaded license and workspace are unchanged.",
                        path.display(),
                        refusal
                    ),
                });
            }
        }
    }

    /// Opens a workspace file; a refused file leaves the open one untouched.
    pub fn open_workspace(&mut self, path: PathBuf) {
        match Workspace::load_path(&path) {
            Ok(ws) => {
                self.doc.set_workspace(ws);
                self.workspace_source = Source::File(path);
            }
            Err(e) => {
                self.error = Some(ErrorModal {
                    title: "Workspace file refused".into(),
                    message: format!("{}\n\n{e}\n\nThe open workspace is unchanged.", path.display()),
                });
            }
        }
    }

    pub fn open_file(&mut self, kind: FileKind, path: PathBuf) {
        match kind {
            FileKind::License => self.open_license(path),
            FileKind::Workspace => self.open_workspace(path),
        }
    }

    pub fn prompt_open(&mut self, kind: FileKind) {
        self.open_prompt = Some(OpenPrompt {
            kind,
            path: String::new(),
        });
    }

    fn start_browse(&mut self, kind: FileKind) {
        let (tx, rx) = mpsc::channel();
        // A file dialog blocks; run it off the UI thread. Where no desktop
        // portal exists it returns nothing and the path field stays.
        std::thread::spawn(move || {
            let picked = rfd::FileDialog::new()
                .add_filter("License file", &["I3Lic", "i3lic"])
                .pick_file();
            let _ = tx.send(picked);
        });
        self.picker = Some((kind, rx));
    }

    fn poll_picker(&mut self) {
        if let Some((kind, rx)) = &self.picker {
            let kind = *kind;
            match rx.try_recv() {
                Ok(Some(path)) => {
                    self.picker = None;
                    self.open_prompt = None;
                    self.open_file(kind, path);
                }
                Ok(None) | Err(mpsc::TryRecvError::Disconnected) => self.picker = None,
                Err(mpsc::TryRecvError::Empty) => {}
            }
        }
    }

    /// Draws the whole window.
    pub fn show(&mut self, ui: &mut egui::Ui) {
        self.poll_picker();
        // The clock drives "today" everywhere (expiry, trial days).
        self.doc.set_today(self.clock.now().date_naive());
        let enforcement = self.enforcement();
        let ctx = ui.ctx().clone();
        let dropped: Vec<PathBuf> = ctx.input(|i| i.raw.dropped_files.iter().map(|f| f.path().to_path_buf()).collect());
        for path in dropped {
            let is_workspace = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("ialws"));
            if !path.as_os_str().is_empty() {
                self.open_file(
                    if is_workspace {
                        FileKind::Workspace
                    } else {
                        FileKind::License
                    },
                    path,
                );
            }
        }
        egui::Panel::top("menu").show(ui, |ui| {
            egui::MenuBar::new().ui(ui, |ui| {
                ui.menu_button("File", |ui| {
                    if ui.button("Open License…").clicked() {
                        self.prompt_open(FileKind::License);
                        ui.close();
                    }
                    if ui.button("Open Workspace…").clicked() {
                        self.prompt_open(FileKind::Workspace);
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
        if self.show_warnings {
            egui::Panel::bottom("warnings")
                .resizable(true)
                .default_size(180.0)
                .show(ui, |ui| {
                    self.warnings.ui(ui, &self.doc);
                });
        }
        egui::Panel::left("nav")
            .resizable(true)
            .default_size(210.0)
            .show(ui, |ui| self.nav_tree(ui));
        egui::CentralPanel::default().show(ui, |ui| {
            if self.source == Source::Demo && self.workspace_source == Source::Demo {
                demo_banner(ui);
            }
            match self.nav {
                Nav::LicenseManagement => {
                    if self.license_view.ui(ui, &self.doc) {
                        self.prompt_open(FileKind::License);
                    }
                }
                Nav::LicensesAllocation => {
                    if let Some(why) = self.allocation_locked() {
                        ui.colored_label(widgets::ERROR_RED, why);
                    }
                    self.allocation_view.ui(ui, &self.doc)
                }
                Nav::CloudEnforcement => self.enforcement_view.ui(ui, self.doc.license(), &mut self.clock),
                Nav::LicenseStatistics if !enforcement.supervisor_enabled => {
                    ui.heading("License Statistics");
                    ui.separator();
                    ui.colored_label(
                        widgets::ERROR_RED,
                        "Interaction Supervisor is disabled (virtual cloud enforcement stage 4 or later): License Statistics is not available until the server checks in with Genesys Cloud.",
                    );
                }
                other => placeholder(ui, other),
            }
        });
        self.open_dialog(&ctx);
        self.error_modal(&ctx);
        self.enforcement_dialog(&ctx, &enforcement);
    }

    /// Stage 3 and beyond: an obtrusive warning at start and whenever the
    /// stage advances; dismissing it lasts until the next stage.
    fn enforcement_dialog(&mut self, ctx: &egui::Context, status: &crate::core::enforcement::Status) {
        if !status.enforced || status.stage < 3 {
            self.dismissed_stage = None;
            return;
        }
        if self.dismissed_stage.is_some_and(|d| d >= status.stage) || self.error.is_some() {
            return;
        }
        let mut dismiss = false;
        egui::Modal::new(egui::Id::unique("vc-warning")).show(ctx, |ui| {
            ui.heading("Genesys Cloud connection required");
            ui.colored_label(
                views::enforcement::stage_color(status),
                format!("Stage {}: {}", status.stage, status.stage_name),
            );
            ui.label(
                "This server has not had a good-standing response from Genesys Cloud within the grace period. \
                 Verify that the server is connected to the network and the Internet so it can check in; \
                 a successful check-in returns the system to full function.",
            );
            if let Some(next) = status.next_stage_at {
                ui.label(format!(
                    "If nothing changes, the next stage begins {}.",
                    next.format("%Y-%m-%d %H:%M UTC")
                ));
            }
            if ui.button("Dismiss").clicked() {
                dismiss = true;
            }
        });
        if dismiss {
            self.dismissed_stage = Some(status.stage);
        }
    }

    fn nav_tree(&mut self, ui: &mut egui::Ui) {
        ui.add_space(4.0);
        ui.strong("Interaction Administrator");
        ui.add_space(4.0);
        let mut item = |ui: &mut egui::Ui, nav: Nav, label: &str| {
            ui.selectable_value(&mut self.nav, nav, label);
        };
        item(ui, Nav::LicenseManagement, "License Management");
        item(ui, Nav::LicensesAllocation, "Licenses Allocation");
        egui::CollapsingHeader::new("People").default_open(true).show(ui, |ui| {
            item(ui, Nav::Users, "Users");
        });
        item(ui, Nav::Stations, "Stations");
        item(ui, Nav::Workgroups, "Workgroups");
        item(ui, Nav::LicenseStatistics, "License Statistics");
        item(ui, Nav::CloudEnforcement, "Cloud Enforcement");
        item(ui, Nav::UsageBilling, "Usage & Billing");
        ui.add_space(8.0);
        ui.checkbox(&mut self.show_warnings, "Show Warnings panel");
    }

    fn status_bar(&self, ui: &mut egui::Ui) {
        let today = self.today();
        let license = self.doc.license();
        ui.horizontal(|ui| {
            let f = &license.file;
            ui.label(format!("{} {} · {}", f.product, f.product_version, f.level.label()));
            ui.separator();
            match &license.signature {
                SignatureStatus::Valid(issuer) if license.signature.is_demo() => {
                    let _ = issuer;
                    ui.colored_label(egui::Color32::from_rgb(0xB0, 0x60, 0x00), "Signature valid · DEMO");
                }
                SignatureStatus::Valid(issuer) => {
                    ui.label(format!("Signature valid · {}", issuer.name()));
                }
                SignatureStatus::Unsigned => {
                    ui.colored_label(egui::Color32::RED, "UNSIGNED");
                }
            }
            ui.separator();
            if license.is_perpetual() {
                ui.label("perpetual");
            } else if license.is_expired(today) {
                ui.colored_label(egui::Color32::RED, format!("expired on {}", f.expires));
            } else {
                ui.label(format!("{} days to expiry", license.days_to_expiry(today)));
            }
            ui.separator();
            let (e, w, _) = self.doc.engine().totals();
            let err_color = if e > 0 {
                egui::Color32::from_rgb(0xC0, 0x20, 0x20)
            } else {
                ui.visuals().text_color()
            };
            ui.colored_label(err_color, format!("{e} errors"));
            ui.label(format!("{w} warnings"));
            let status = self.enforcement();
            if status.applicable {
                ui.separator();
                widgets::dot(ui, views::enforcement::stage_color(&status));
                ui.label(views::enforcement::status_words(&status, self.clock.now()));
            }
            if let Some(why) = self.allocation_locked() {
                ui.separator();
                ui.colored_label(
                    widgets::ERROR_RED,
                    if self.read_only {
                        why
                    } else {
                        "Allocation read-only (stage 6)"
                    },
                );
            }
        });
    }

    fn open_dialog(&mut self, ctx: &egui::Context) {
        let Some(mut prompt) = self.open_prompt.take() else {
            return;
        };
        let mut keep = true;
        let mut load = None;
        let mut browse = false;
        egui::Modal::new(egui::Id::unique("open-file")).show(ctx, |ui| {
            ui.heading(prompt.kind.title());
            ui.label("File path:");
            let edit = ui.add(
                egui::TextEdit::singleline(&mut prompt.path)
                    .desired_width(420.0)
                    .hint_text(prompt.kind.hint()),
            );
            let typed = !prompt.path.trim().is_empty();
            if edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) && typed {
                load = Some(PathBuf::from(prompt.path.trim()));
            }
            ui.horizontal(|ui| {
                browse = ui.button("Browse…").clicked();
                if ui.add_enabled(typed, egui::Button::new("Open")).clicked() {
                    load = Some(PathBuf::from(prompt.path.trim()));
                }
                if ui.button("Cancel").clicked() {
                    keep = false;
                }
            });
            if self.picker.is_some() {
                ui.label("Waiting for the file dialog… (where none can open, type the path above)");
            }
        });
        if browse {
            self.start_browse(prompt.kind);
        }
        if let Some(p) = load {
            self.open_file(prompt.kind, p);
            keep = false;
        }
        if keep {
            self.open_prompt = Some(prompt);
        }
    }

    fn error_modal(&mut self, ctx: &egui::Context) {
        let Some(err) = &self.error else { return };
        let mut close = false;
        egui::Modal::new(egui::Id::unique("error")).show(ctx, |ui| {
            ui.heading(&err.title);
            ui.label(&err.message);
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

fn placeholder(ui: &mut egui::Ui, nav: Nav) {
    let (title, what) = match nav {
        Nav::Users => (
            "Users",
            "Every user with method, Client, ACD level, IPA, add-ons, workgroups and warnings; User Configuration › Licensing.",
        ),
        Nav::Stations => (
            "Stations",
            "Every station with type, Licensed Machine Name, Basic Station and Access licenses; Station Configuration › Licenses.",
        ),
        Nav::Workgroups => (
            "Workgroups",
            "Workgroups with their queue media types and members' ACD levels.",
        ),
        Nav::LicenseStatistics => (
            "License Statistics",
            "Per license: allowed, configured, in use now, peak in use, denials and utilisation, with a chart over time.",
        ),
        Nav::CloudEnforcement => (
            "Cloud Enforcement",
            "For virtual-cloud licenses: ramp date, grace period, last good standing, the current enforcement stage and its timeline.",
        ),
        Nav::UsageBilling => (
            "Usage & Billing",
            "Subscription usage: distinct users per billing category per day and per billing period (28th to 27th).",
        ),
        _ => ("", ""),
    };
    ui.heading(title);
    ui.separator();
    ui.label(what);
    ui.label("This view is not built yet.");
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
                "Demo data: the built-in demo license (signed with the public demo key, DEMO) and demo workspace. \
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
            let mut value: serde_json::Value = serde_json::from_slice(DEMO_LICENSE).unwrap_or_default();
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
