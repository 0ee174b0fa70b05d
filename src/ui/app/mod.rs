//! The eframe application: owns the `Document`, routes the views' actions
//! to commands, and holds the view and dialog state. It never changes the
//! workspace itself: every change is a `Command` applied to the document.
//!
//! The App is split by concern: `io` opens, saves, imports and exports;
//! `actions` carries out what views ask for; `chrome` draws the menu bar,
//! navigation and status bar; `modals` the dialogs; `commands` (in `ui`)
//! defines every menu action with its shortcut once.

mod access;
mod actions;
mod applying;
mod chrome;
mod confirm;
mod csv_import;
mod dialog_list;
mod events;
mod export;
mod io;
mod modal_types;
mod modals;
mod recovery;
mod saving;
mod site;
mod startup;

pub use actions::ApplyError;
pub use dialog_list::{DialogKind, WindowKind};
use export::export_title;
pub use modal_types::*;
pub use startup::{Startup, history_path, load_demo_license};

use super::dialogs::{self, DialogResult};
use super::views::{self, Action, BulkKind};
use super::{files, widgets};
use crate::core::command::Command;
use crate::core::csv_io::Table;
pub use crate::core::demo::{DEMO_LICENSE, DEMO_WORKSPACE};
use crate::core::document::Document;
use crate::core::editing::{EditError, JournalPlace, OpenArgs, Opened, SaveError, Session, Target};
use crate::core::journal::{self, LicenseSource, Recovered};
use crate::core::license::{License, LoadOptions, SignatureStatus, TrustStore};
use crate::core::loading;
use crate::core::subject::{Subject, SubjectKind};
use crate::core::workspace::Workspace;
use crate::ui::commands::AppCommand;
use crate::ui::import::{self, Import};
use chrono::NaiveDate;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc;

pub struct App {
    /// The editing session: the document, its journal, save and recovery.
    session: Session,
    trust: TrustStore,
    allow_unsigned: bool,
    nav: Nav,
    /// The dialogs and messages waiting to be answered, newest on top; only
    /// the top one is shown (one modal handler, `modals.rs`).
    modals: Vec<Modal>,
    /// Every view's state (the one list: `views::Nav`).
    views: views::Views,
    warnings: views::warnings::WarningsPanel,
    show_warnings: bool,
    /// The zoom factor, kept for the preferences.
    zoom: f32,
    /// Menu entries and shortcuts chosen this frame, run at its end.
    commands: Vec<AppCommand>,
    /// A loaded events script (trainers, supervisors' history).
    simulation: Option<super::simulation::Simulation>,
    /// Real by default; trainers switch to a simulated clock.
    clock: views::enforcement::Clock,
    /// The stage whose obtrusive warning the user dismissed.
    dismissed_stage: Option<u8>,
    picker: Option<(FileKind, mpsc::Receiver<Option<PathBuf>>)>,
    /// The last command's result, shown in the status bar.
    status_message: Option<(bool, String)>,
    /// The message on show and since when: a confirmation ("Loaded x")
    /// leaves the status bar after `STATUS_SECONDS`; a problem stays until
    /// something replaces it.
    status_seen: Option<((bool, String), std::time::Instant)>,
    /// What to do once a Save As asked for by the unsaved-changes dialog
    /// succeeds (quit, open, load a scenario).
    after_save: Option<Pending>,
    /// The system file dialog came back without a file.
    pub(super) picker_returned_nothing: bool,
    recent: Vec<PathBuf>,
    dark: bool,
    allow_close: bool,
    /// The user chose to quit without what the views hold (`Modal::Held`).
    quit_without_held: bool,
    /// The window closes after this frame (nothing stands in the way): the
    /// rest of the frame is not drawn, so its last frames cost no rendering.
    /// Set again each frame (a test harness keeps running frames after).
    closing: bool,
    title: String,
    data_dir: Option<PathBuf>,
    /// The OS user, for the change log.
    actor: String,
    /// A workspace being opened on a worker thread.
    loading: Option<loading::Job>,
    /// A CSV import in progress.
    importing: Option<Import>,
    /// A finished import whose journal line is being made off the UI thread
    /// (edits wait until it is written).
    recording: Option<Recording>,
    /// A site import on a worker thread (File › Import site…).
    site_import: Option<crate::ui::site_import::Job>,
    /// The Help window (F1, Help › Contents).
    help: crate::ui::help::HelpWindow,
    /// Every status-bar message of the session (View › Messages).
    messages: crate::ui::messages::MessageLog,
    /// The frame-time log (`IA_LICENSING_FRAME_LOG`), off by default.
    frame_log: Option<crate::ui::frame_log::FrameLog>,
    /// Which renderer draws the window and why (Help › About).
    renderer: Option<crate::ui::renderer::RendererNote>,
    /// How much work is done at once on the window's thread (a change's
    /// plan, a replay, reading an events file); beyond, on a worker. Tests
    /// lower it to take the workers' path.
    limits: crate::ui::job::Limits,
    /// An events file being read and replayed on a worker (File › Open
    /// Events… of a long script).
    events_job: Option<EventsJob>,
    /// A large change being applied, undone or redone a slice per frame.
    applying: Option<crate::ui::apply_job::ApplyJob>,
    /// A save being written on a worker (`saving.rs`).
    saving: Option<saving::SaveJob>,
    /// The window was asked to close while a save ran: asked again once
    /// it is done.
    quit_after_save: bool,
    /// Events held back so each frame reads them in the user's order
    /// (`ui/input_order.rs`).
    input_order: crate::ui::input_order::InputOrder,
    /// This frame's pass number, and the frame a dialog was last opened
    /// in: a dialog does not take the Enter that opened it (a menu entry
    /// or button chosen by Enter).
    pass: u64,
    modal_opened_in: Option<u64>,
    /// Was a menu or dialog open when the last frame was drawn? (A press
    /// after it closed waits a frame: `input_order`.)
    overlay_drawn: bool,
    /// When this frame began (a change carried out in slices fills what is
    /// left of the frame's time).
    frame_started: std::time::Instant,
}

/// File › Open Events… on a worker: the simulation it makes, with the
/// note to show (a file out of time order), or why the file was refused.
pub(super) struct EventsJob {
    path: PathBuf,
    job: crate::ui::job::Job<EventsRead>,
}

/// What reading an events file on a worker gives: the simulation and the
/// note to show, or why the file was refused.
pub(super) type EventsRead = Result<(Box<crate::ui::simulation::Simulation>, Option<String>), events::EventsRefusal>;

impl App {
    pub fn today(&self) -> NaiveDate {
        self.session.doc().today()
    }

    pub fn license(&self) -> &License {
        self.session.doc().license()
    }

    /// Does this session only read (started read-only, or another process
    /// edits the workspace)?
    pub fn read_only(&self) -> bool {
        self.session.read_only().is_some()
    }

    /// Puts a dialog or message in front of the others.
    /// True once the user chose to quit and nothing unsaved stands in the way.
    pub fn quitting(&self) -> bool {
        self.allow_close
    }

    pub fn open_modal(&mut self, modal: Modal) {
        self.modals.push(modal);
        self.modal_opened_in = Some(self.pass);
    }

    /// The configuration or confirmation dialog that is open, if any.
    pub fn dialog(&self) -> Option<&Dialog> {
        self.modals.iter().rev().find_map(|m| match m {
            Modal::Dialog(d) => Some(d),
            _ => None,
        })
    }

    /// Unsaved changes offered for restore, if any.
    pub fn recovery(&self) -> Option<&Recovered> {
        self.modals.iter().find_map(|m| match m {
            Modal::Recovery(rec, _) => Some(&**rec),
            _ => None,
        })
    }

    /// The file path prompt, if open.
    pub fn open_prompt(&self) -> Option<&OpenPrompt> {
        self.modals.iter().find_map(|m| match m {
            Modal::Path(p) => Some(p),
            _ => None,
        })
    }

    fn has_error(&self) -> bool {
        self.modals.iter().any(|m| matches!(m, Modal::Error(_)))
    }

    /// The document being edited.
    pub fn doc(&self) -> &Document {
        self.session.doc()
    }

    /// The editing session (journal, save, recovery).
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// Tests: from now on the session refuses every step, as when it was
    /// started read-only (what a journal that can no longer be written
    /// does to a step in flight, without a full disk).
    #[cfg(feature = "testing")]
    pub fn test_refuse_further_steps(&mut self) {
        self.session.set_read_only_mode();
    }

    pub fn dirty(&self) -> bool {
        self.session.dirty()
    }

    /// The virtual-cloud enforcement status now.
    pub fn enforcement(&self) -> crate::core::enforcement::Status {
        use crate::core::enforcement;
        enforcement::status(
            enforcement::Terms::of(self.session.doc().license()),
            self.clock.check_ins(),
            self.clock.now(),
        )
    }

    /// Allocation is read-only because the session is (started with
    /// `--read-only`, or another process edits the workspace) or because the
    /// system is disabled (virtual cloud stage 6): the session's answer (it
    /// has the clock's check-ins from the frame's start or the command).
    pub fn allocation_locked(&self) -> Option<crate::core::rules::Refusal> {
        self.session.allocation_lock(self.clock.now()).err()
    }

    fn workspace_name(&self) -> String {
        match self.session.target() {
            Target::Demo => "demo workspace".into(),
            Target::Scenario(name) => format!("scenario: {}", crate::core::demo::scenario_title(name)),
            Target::File(p) => p
                .file_name()
                .map_or_else(|| p.display().to_string(), |n| n.to_string_lossy().into_owned()),
        }
    }

    /// The window title: workspace name and an unsaved-changes mark.
    pub fn window_title(&self) -> String {
        format!(
            "{}{} — ia-licensing",
            if self.dirty() { "* " } else { "" },
            self.workspace_name()
        )
    }

    // ---- Drawing ----

    /// Draws the whole window.
    /// One frame, timed into the frame-time log when there is one.
    pub fn show_and_log(&mut self, ui: &mut egui::Ui) {
        if let Some(log) = &mut self.frame_log {
            log.begin_frame();
        }
        self.show(ui);
        if let Some(log) = &mut self.frame_log {
            log.end_frame(self.nav.name());
        }
    }

    /// Logs each frame's app time to `log` (see `ui::frame_log`).
    pub fn set_frame_log(&mut self, log: crate::ui::frame_log::FrameLog) {
        self.frame_log = Some(log);
    }

    /// Notes what this frame handled, for the frame-time log.
    pub(super) fn note_action(&mut self, action: &impl std::fmt::Debug) {
        if let Some(log) = &mut self.frame_log {
            log.note(action);
        }
    }

    pub fn show(&mut self, ui: &mut egui::Ui) {
        self.pass = ui.ctx().cumulative_pass_nr();
        self.overlay_drawn = self.overlay_open(ui.ctx());
        self.frame_started = std::time::Instant::now();
        self.poll_picker();
        self.poll_workers();
        let ctx = ui.ctx().clone();
        self.expire_status(&ctx);
        // The clock drives "today" everywhere (expiry, trial days).
        let now = self.clock.now();
        self.session.set_clock(now, self.clock.check_ins());
        let enforcement = self.enforcement();
        // Decided at the start of the frame, before the menu bar or a dialog
        // closes itself on this frame's key: that key is theirs, not the
        // table's behind them.
        let keys_for_views = !self.keyboard_owned_elsewhere(&ctx);
        self.closing = false;
        self.window_events(&ctx);
        self.poll_recording(false);
        if self.loading.is_none()
            && self.importing.is_none()
            && self.recording.is_none()
            && self.events_job.is_none()
            && self.applying.is_none()
            && self.saving.is_none()
        {
            // Nothing else may change the workspace while a load or an
            // import is under way.
            self.shortcuts(&ctx);
        }
        // Quit at once, before anything is drawn: a closing window's last
        // frames are not worth rendering.
        if self.commands.contains(&AppCommand::Quit) {
            self.commands.retain(|c| *c != AppCommand::Quit);
            self.run_command(&ctx, AppCommand::Quit);
        }
        if self.closing {
            return;
        }
        self.run_simulation(&ctx);
        let mut actions = Vec::new();
        egui::Panel::top("menu").show(ui, |ui| self.menu_bar(ui));
        egui::Panel::bottom("status").show(ui, |ui| self.status_bar(ui, &enforcement));
        // Keyboard order (Tab) follows drawing order: navigation, then the
        // view, then the Warnings panel. The panel's space is reserved here
        // (panels must come before the central panel) and its content drawn
        // after the view.
        crate::ui::a11y::name_panel_handle(ui, "Resize the navigation panel", |ui| {
            egui::Panel::left("nav")
                .resizable(true)
                .default_size(210.0)
                .show(ui, |ui| self.nav_tree(ui))
        });
        let mut warnings_rect = None;
        if self.show_warnings {
            // At most a quarter of the window's height: in a short window (1024×700
            // at 150 %, 466 points) 170 points of warnings left the view a
            // strip too thin for a table's header row.
            let most = (ui.available_height() * 0.25).max(60.0);
            crate::ui::a11y::name_panel_handle(ui, "Resize the Warnings panel", |ui| {
                egui::Panel::bottom("warnings")
                    .resizable(true)
                    .default_size(170.0_f32.min(most))
                    .max_size(most)
                    .show(ui, |ui| {
                        // The content, drawn after the view, belongs to
                        // this panel for a screen reader.
                        warnings_rect = Some((ui.max_rect(), ui.unique_id()));
                        ui.allocate_space(ui.available_size());
                    })
            });
        }
        let locked = self.allocation_locked();
        widgets::set_locked_reason(&ctx, self.locked_reason());
        egui::CentralPanel::default().show(ui, |ui| {
            if *self.session.license_source() == LicenseSource::Demo && *self.session.target() == Target::Demo {
                chrome::demo_banner(ui);
            } else if let Target::Scenario(name) = self.session.target() {
                let name = crate::core::demo::scenario_title(name);
                // Read-only, Save As is disabled: the banner must not send
                // the user to it.
                ui.label(if self.read_only() {
                    format!("Training scenario: {name} (built-in data, read-only: nothing of it is saved)")
                } else {
                    format!("Training scenario: {name} (built-in data; Save As… to keep changes)")
                });
            }
            if let Some(why) = &locked
                && matches!(
                    self.nav,
                    Nav::LicensesAllocation | Nav::Users | Nav::Stations | Nav::Workgroups
                )
            {
                ui.colored_label(widgets::error_red(ui), why.to_string());
            }
            if let Some(job) = &self.applying {
                // The view is drawn again once the change is done: its
                // figures would be worked out again for every slice, behind
                // the progress window (a 100k table sorted each frame).
                ui.heading(self.nav.label());
                ui.separator();
                ui.label(format!("{}…", job.heading()));
            } else if self.nav == Nav::LicenseStatistics && !enforcement.supervisor_enabled {
                ui.heading("License Statistics");
                ui.separator();
                ui.colored_label(
                    widgets::error_red(ui),
                    "Interaction Supervisor is disabled (virtual cloud enforcement stage 4 or later): License \
                     Statistics is not available until the server checks in with Genesys Cloud.",
                );
            } else {
                let App {
                    session,
                    clock,
                    simulation,
                    nav,
                    views: every_view,
                    data_dir,
                    limits,
                    ..
                } = self;
                let history_path = history_path(session.target(), data_dir.as_deref());
                let view = every_view.get_mut(*nav);
                let read_only = session.read_only();
                let mut cx = views::ViewContext {
                    doc: session.doc(),
                    locked: locked.is_some(),
                    read_only: read_only.as_deref(),
                    keys: keys_for_views,
                    clock,
                    simulation: simulation.as_mut(),
                    history_path: history_path.as_deref(),
                    license_source: Some(session.license_source()),
                    limits,
                };
                view.ui(ui, &mut cx, &mut actions);
            }
        });
        if let Some((rect, parent)) = warnings_rect {
            let mut panel = ui.new_child(
                egui::UiBuilder::new()
                    .max_rect(rect)
                    .id_salt("warnings-content")
                    .accessibility_parent(parent),
            );
            panel.set_clip_rect(rect);
            self.warnings.ui(&mut panel, self.session.doc(), &mut actions);
        }
        for a in actions {
            self.handle(a);
        }
        // Menu entries and shortcuts queued this frame run now.
        for command in std::mem::take(&mut self.commands) {
            self.run_command(&ctx, command);
        }
        // Help floats above the console and under any dialog.
        if crate::ui::help::take_request(&ctx) {
            self.help.show_page(self.nav.name());
        }
        self.help.ui(&ctx, self.modals.is_empty());
        self.messages.ui(&ctx, self.modals.is_empty());
        self.enforcement_warning(&enforcement);
        self.show_modals(&ctx);
        self.progress_dialogs(&ctx);
        // After the dialog: a Cancel clicked this frame wins over the next part.
        self.step_import();
        self.step_apply();
        let title = self.window_title();
        if title != self.title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title = title;
        }
    }

    /// Takes what the workers finished (a load, its journal, a save, an
    /// events file).
    fn poll_workers(&mut self) {
        self.poll_loading();
        self.poll_journal();
        self.poll_saving();
        self.poll_events_job();
    }

    /// The progress windows of the work under way, each with its Cancel
    /// (a save has none).
    fn progress_dialogs(&mut self, ctx: &egui::Context) {
        self.loading_dialog(ctx);
        self.events_dialog(ctx);
        self.import_dialog(ctx);
        self.apply_dialog(ctx);
        self.saving_dialog(ctx);
        self.site_import_dialog(ctx);
    }

    /// Advances a playing simulation and feeds Concurrent in Use to the engine.
    fn run_simulation(&mut self, ctx: &egui::Context) {
        let Some(sim) = &mut self.simulation else { return };
        sim.tick(ctx.input(|i| i.stable_dt).min(0.1));
        if sim.refresh(self.session.doc()) {
            let in_use = sim.current.in_use.iter().map(|(k, v)| (k.clone(), *v)).collect();
            let peaks: Vec<(String, u32)> = sim.current.peak.iter().map(|(k, v)| (k.clone(), *v)).collect();
            self.session.set_in_use(in_use, peaks);
        }
        if sim.playing {
            ctx.request_repaint();
        } else if sim.replaying().is_some() {
            // A replay on a worker: its figures are shown once it is in.
            ctx.request_repaint_after(std::time::Duration::from_millis(50));
        }
    }

    fn window_events(&mut self, ctx: &egui::Context) {
        let dropped: Vec<PathBuf> = ctx.input(|i| i.raw.dropped_files.iter().map(|f| f.path().to_path_buf()).collect());
        for path in dropped {
            if path.as_os_str().is_empty() {
                continue;
            }
            let is_workspace = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("ialws"));
            self.open_file(
                if is_workspace {
                    FileKind::Workspace
                } else {
                    FileKind::License
                },
                path,
            );
        }
        if ctx.input(|i| i.viewport().close_requested()) {
            if self.saving.is_some() {
                // Quitting waits for the save; the close is asked again then.
                ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
                self.quit_after_save = true;
                return;
            }
            let held = self
                .views
                .held_changes()
                .filter(|_| !self.allow_close && !self.quit_without_held);
            if let Some((nav, what)) = held {
                // Asked first: saving the document would not keep them.
                ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
                if !self.modals.iter().any(|m| matches!(m, Modal::Held(..))) {
                    self.open_modal(Modal::Held(nav, what));
                }
            } else if self.dirty() && !self.allow_close {
                ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
                self.open_modal(Modal::Unsaved(Pending::Quit));
            } else {
                if !self.dirty() {
                    // A clean exit: nothing to recover next time.
                    self.session.end();
                }
                self.closing = true;
            }
        }
    }

    /// File › Quit (and the Quit the unsaved-changes question leads to).
    /// With nothing in the way — changes a view holds, unsaved changes —
    /// the session ends here (its journal goes: nothing to recover) and
    /// the window is hidden at once, so the frames until it closes are not
    /// drawn (under software rendering each takes a tenth of a second or
    /// more). Otherwise the close request asks first, as the close box does.
    pub(super) fn quit(&mut self, ctx: &egui::Context) {
        if self.saving.is_some() {
            // Quitting waits for the save, then goes on (`saving.rs`).
            self.quit_after_save = true;
            return;
        }
        let held = self.views.held_changes().is_some() && !self.allow_close && !self.quit_without_held;
        let unsaved = self.dirty() && !self.allow_close;
        if !held && !unsaved {
            if !self.dirty() {
                self.session.end();
            }
            self.closing = true;
            ctx.send_viewport_cmd(egui::ViewportCommand::Visible(false));
        }
        ctx.send_viewport_cmd(egui::ViewportCommand::Close);
    }

    /// Queues the commands whose shortcut was pressed (not while typing).
    fn shortcuts(&mut self, ctx: &egui::Context) {
        // A text field keeps its own keys (Ctrl+A selects its text); a
        // dialog or an open menu owns the keyboard while it is in front.
        if ctx.text_edit_focused() || self.keyboard_owned_elsewhere(ctx) {
            return;
        }
        self.commands.extend(AppCommand::pressed(ctx));
    }

    /// Is a menu (or another popup) or a dialog open?
    fn overlay_open(&self, ctx: &egui::Context) -> bool {
        egui::Popup::is_any_open(ctx) || !self.modals.is_empty()
    }

    /// Is a dialog, message, menu or floating window (Help, Messages) in
    /// front of the views (so that keys are theirs, not the table's behind
    /// them)?
    fn keyboard_owned_elsewhere(&self, ctx: &egui::Context) -> bool {
        !self.modals.is_empty()
            || egui::Popup::is_any_open(ctx)
            || self.help.owns_keyboard()
            || self.messages.owns_keyboard()
            || self.loading.is_some()
            || self.importing.is_some()
            || self.events_job.is_some()
            || self.applying.is_some()
            || self.saving.is_some()
    }
}

/// How long a confirmation stays in the status bar.
const STATUS_SECONDS: u64 = 10;

impl App {
    fn expire_status(&mut self, ctx: &egui::Context) {
        let Some(current) = self.status_message.clone() else {
            self.status_seen = None;
            return;
        };
        let now = std::time::Instant::now();
        match &self.status_seen {
            Some((seen, since)) if *seen == current => {
                let age = now.duration_since(*since);
                let keep = std::time::Duration::from_secs(STATUS_SECONDS);
                if current.0 && age >= keep {
                    self.status_message = None;
                    self.status_seen = None;
                } else if current.0 {
                    ctx.request_repaint_after(keep - age);
                }
            }
            _ => {
                self.messages.push(current.0, &current.1);
                self.status_seen = Some((current.clone(), now));
                if current.0 {
                    ctx.request_repaint_after(std::time::Duration::from_secs(STATUS_SECONDS));
                }
            }
        }
    }

    /// Ages the status message as if `seconds` had passed (tests).
    #[cfg(feature = "testing")]
    pub fn age_status_message(&mut self, seconds: u64) {
        if let Some((_, since)) = &mut self.status_seen
            && let Some(earlier) = since.checked_sub(std::time::Duration::from_secs(seconds))
        {
            *since = earlier;
        }
    }
}

impl eframe::App for App {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.zoom = ui.ctx().zoom_factor();
        self.show_and_log(ui);
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        // A save still being written (the window closed another way) ends
        // first: the file and the journal's marker are written whole.
        self.wait_for_saving();
        // The process ends right after the window (`ui::run`): freeing a
        // 100k workspace, its engine, undo steps and replays one allocation
        // at a time would only keep it waiting. None of them writes
        // anything when dropped (the session ended when the close was
        // accepted; saves and the journal are written as they happen).
        self.session.forget_document_at_exit();
        std::mem::forget(self.simulation.take());
        std::mem::forget(std::mem::take(&mut self.views));
    }

    /// A burst of input that arrived during a slow frame is read in the
    /// order it was given, over as many frames as that takes.
    fn raw_input_hook(&mut self, ctx: &egui::Context, raw_input: &mut egui::RawInput) {
        let overlay_gone = self.overlay_drawn && !self.overlay_open(ctx);
        if self.input_order.order(raw_input, overlay_gone) {
            ctx.request_repaint();
        }
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        super::prefs::Preferences {
            dark: self.dark,
            zoom: self.zoom,
            show_warnings: self.show_warnings,
        }
        .save(storage);
    }
}
