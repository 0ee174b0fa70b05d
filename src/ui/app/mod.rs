//! The eframe application: owns the `Document`, routes the views' actions
//! to commands, and holds the view and dialog state. It never changes the
//! workspace itself: every change is a `Command` applied to the document.
//!
//! The App is split by concern: `io` opens, saves, imports and exports;
//! `actions` carries out what views ask for; `chrome` draws the menu bar,
//! navigation and status bar; `modals` the dialogs; `commands` (in `ui`)
//! defines every menu action with its shortcut once.

mod actions;
mod applying;
mod chrome;
mod confirm;
mod dialog_list;
mod export;
mod io;
mod modals;
mod site;

pub use dialog_list::{DialogKind, WindowKind};
use export::export_title;

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

/// What `main` hands the app.
pub struct Startup {
    pub file: Option<PathBuf>,
    pub workspace: Option<PathBuf>,
    pub read_only: bool,
    pub allow_unsigned: bool,
    pub trust: TrustStore,
    pub view: Option<Nav>,
    pub dark: bool,
    /// Where the recovery journal and the recent-files list live; `None`
    /// keeps nothing on disk (tests).
    pub data_dir: Option<PathBuf>,
    /// An AFMT account file (.ialacct) to open in the Account view.
    pub account: Option<PathBuf>,
}

impl Startup {
    /// The demo license and workspace, editable, light theme.
    pub fn demo(trust: TrustStore) -> Self {
        Startup {
            file: None,
            workspace: None,
            read_only: false,
            allow_unsigned: false,
            trust,
            view: None,
            dark: false,
            data_dir: None,
            account: None,
        }
    }
}

/// A finished large change (a CSV import, a change applied in slices)
/// waiting for its journal line, made on a worker: serialising a command
/// about 100,000 subjects takes a noticeable fraction of a second.
pub(super) struct Recording {
    rx: mpsc::Receiver<Result<String, String>>,
    /// The status bar once it is written ("Imported 12 rows from …").
    done: String,
    /// What the change was, to say it could not be protected.
    what: String,
}

/// What a file prompt (path field, or the system dialog) is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    License,
    Workspace,
    SaveWorkspaceAs,
    ImportCsv(Table),
    Events,
    Account,
    CompareLicense,
    /// A table as CSV or Excel.
    Export(views::Report, views::ExportFormat),
    /// The report pack (Excel).
    ExportReport,
}

impl FileKind {
    fn title(self) -> &'static str {
        match self {
            FileKind::License => "Load License",
            FileKind::Workspace => "Open Workspace",
            FileKind::SaveWorkspaceAs => "Save Workspace As",
            FileKind::ImportCsv(_) => "Import CSV",
            FileKind::Events => "Open Events",
            FileKind::Account => "Open Account",
            FileKind::CompareLicense => "Compare with license file",
            FileKind::Export(report, format) => export_title(report, format),
            FileKind::ExportReport => "Export Report (Excel)",
        }
    }
    fn hint(self) -> &'static str {
        use views::ExportFormat::{Csv, Excel};
        match self {
            FileKind::License | FileKind::CompareLicense => "/path/to/license.I3Lic",
            FileKind::Workspace | FileKind::SaveWorkspaceAs => "/path/to/site.ialws",
            FileKind::ImportCsv(_) | FileKind::Export(views::Report::Table(_), Csv) => "/path/to/users.csv",
            FileKind::Export(views::Report::Table(_), Excel) => "/path/to/users.xlsx",
            FileKind::Events => "/path/to/events.json",
            FileKind::Account => "/path/to/account.ialacct",
            FileKind::Export(_, Csv) => "/path/to/report.csv",
            FileKind::Export(_, Excel) | FileKind::ExportReport => "/path/to/report.xlsx",
        }
    }
    fn saves(self) -> bool {
        matches!(
            self,
            FileKind::SaveWorkspaceAs | FileKind::Export(..) | FileKind::ExportReport
        )
    }
}

/// The file prompt: a path field, plus Browse… where a system dialog can open.
#[derive(Debug, Clone)]
pub struct OpenPrompt {
    pub kind: FileKind,
    pub path: String,
}

/// A message in a modal (a refused file, a failed save).
#[derive(Debug, Clone)]
pub struct ErrorModal {
    pub title: String,
    pub message: String,
}

pub use crate::ui::views::Nav;

/// Something waiting for the user to decide about unsaved changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pending {
    Quit,
    OpenWorkspace(PathBuf),
    /// A built-in training scenario (index into `simulation::SCENARIOS`).
    LoadScenario(usize),
}

/// Something the user must answer before going on.
pub enum Modal {
    /// A configuration or confirmation dialog.
    Dialog(Dialog),
    Error(ErrorModal),
    /// IA's information message (OK only).
    Notice(String),
    /// Unsaved changes: Save, Don't Save or Cancel before going on.
    Unsaved(Pending),
    /// A view holds changes that are not in the document (the Genesys
    /// Cloud estimate's what-if): quit without them, go to them, or Cancel.
    Held(Nav, &'static str),
    /// A file path to type (or Browse…).
    Path(OpenPrompt),
    /// Save over a file changed on disk?
    Overwrite(PathBuf),
    /// Unsaved changes found in the journal; the second part says the
    /// license changed since (the user decides before replay).
    Recovery(Box<Recovered>, Option<String>),
    /// File › Import site…: the export and the workspace to write.
    SiteImport(Box<crate::ui::site_import::SiteImportForm>),
    /// A finished site import's report (the workspace it wrote).
    SiteReport(PathBuf, Box<crate::core::site_import::ImportReport>),
    /// A change applied in part: what was refused, in full.
    AppliedInPart(Box<crate::core::plan::AppliedInPart>),
}

/// The open dialog, if any (one at a time, like IA's modal dialogs).
pub enum Dialog {
    User(Box<dialogs::user::UserDialog>),
    Station(Box<dialogs::station::StationDialog>),
    License(dialogs::license_config::LicenseConfigDialog),
    Bulk(dialogs::bulk::BulkDialog),
    ConfirmRemove(SubjectKind, Vec<String>),
    Compare(Box<dialogs::compare::CompareDialog>),
    About,
    /// "Apply N changes to M users?" before a large change; the dialog it
    /// came from (a bulk change) comes back on Cancel.
    Confirm(Box<dialogs::confirm::ConfirmDialog>, Option<Box<Dialog>>),
}

pub struct App {
    /// The editing session: the document, its journal, save and recovery.
    session: Session,
    pub trust: TrustStore,
    pub allow_unsigned: bool,
    pub nav: Nav,
    /// The dialogs and messages waiting to be answered, newest on top; only
    /// the top one is shown (one modal handler, `modals.rs`).
    pub modals: Vec<Modal>,
    /// Every view's state (the one list: `views::Nav`).
    pub views: views::Views,
    pub warnings: views::warnings::WarningsPanel,
    pub show_warnings: bool,
    /// The zoom factor, kept for the preferences.
    zoom: f32,
    /// Menu entries and shortcuts chosen this frame, run at its end.
    commands: Vec<AppCommand>,
    /// A loaded events script (trainers, supervisors' history).
    pub simulation: Option<super::simulation::Simulation>,
    /// Real by default; trainers switch to a simulated clock.
    pub clock: views::enforcement::Clock,
    /// The stage whose obtrusive warning the user dismissed.
    dismissed_stage: Option<u8>,
    picker: Option<(FileKind, mpsc::Receiver<Option<PathBuf>>)>,
    /// The last command's result, shown in the status bar.
    pub status_message: Option<(bool, String)>,
    /// The message on show and since when: a confirmation ("Loaded x")
    /// leaves the status bar after `STATUS_SECONDS`; a problem stays until
    /// something replaces it.
    status_seen: Option<((bool, String), std::time::Instant)>,
    /// What to do once a Save As asked for by the unsaved-changes dialog
    /// succeeds (quit, open, load a scenario).
    after_save: Option<Pending>,
    /// The system file dialog came back without a file.
    pub(super) picker_returned_nothing: bool,
    pub recent: Vec<PathBuf>,
    pub dark: bool,
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
    /// A save that would overwrite a file changed on disk, awaiting an answer.
    /// Unsaved changes found in the workspace's journal, offered for restore.
    /// The journal's license file changed: the user decides before replay.
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
    pub help: crate::ui::help::HelpWindow,
    /// Every status-bar message of the session (View › Messages).
    pub messages: crate::ui::messages::MessageLog,
    /// The frame-time log (`IA_LICENSING_FRAME_LOG`), off by default.
    frame_log: Option<crate::ui::frame_log::FrameLog>,
    /// Which renderer draws the window and why (Help › About).
    pub renderer: Option<crate::ui::renderer::RendererNote>,
    /// How much work is done at once on the window's thread (a change's
    /// plan, a replay, reading an events file); beyond, on a worker. Tests
    /// lower it to take the workers' path.
    pub limits: crate::ui::job::Limits,
    /// An events file being read and replayed on a worker (File › Open
    /// Events… of a long script).
    events_job: Option<EventsJob>,
    /// A large change being applied, undone or redone a slice per frame.
    applying: Option<crate::ui::apply_job::ApplyJob>,
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
pub(super) type EventsRead = Result<(Box<crate::ui::simulation::Simulation>, Option<String>), String>;

impl App {
    pub fn new(cc: &eframe::CreationContext<'_>, startup: Startup) -> Self {
        let dark_asked = startup.dark;
        let mut app = Self::from_startup(startup);
        // Last session's preferences; `--dark` wins over a light preference.
        if let Some(prefs) = super::prefs::Preferences::load(cc.storage) {
            app.dark = dark_asked || prefs.dark;
            app.show_warnings = prefs.show_warnings;
            cc.egui_ctx.set_zoom_factor(prefs.zoom);
        }
        app.frame_log = crate::ui::frame_log::FrameLog::from_env();
        widgets::install_visuals(&cc.egui_ctx);
        // The View menu's zoom commands carry the shortcuts (shown there).
        cc.egui_ctx.options_mut(|o| o.zoom_with_keyboard = false);
        cc.egui_ctx.set_theme(if app.dark {
            egui::Theme::Dark
        } else {
            egui::Theme::Light
        });
        app
    }

    /// Builds the app without a window (used by tests too).
    pub fn from_startup(startup: Startup) -> Self {
        let today = chrono::Local::now().date_naive();
        let is = |p: &Option<PathBuf>, ext: &str| {
            p.as_ref()
                .is_some_and(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case(ext)))
        };
        // The license given on the command line is the one the session
        // opens with (read-only too: choosing what to look at is not an
        // edit), not a change made after starting on the demo.
        let given_license = startup
            .file
            .as_ref()
            .filter(|_| !is(&startup.file, "ialws") && !is(&startup.file, "ialacct"));
        let mut refused = None;
        let (license, license_source) = match given_license {
            Some(path) => match License::load_path(
                path,
                LoadOptions {
                    trust: &startup.trust,
                    allow_unsigned: startup.allow_unsigned,
                },
            ) {
                Ok(l) => (
                    l,
                    LicenseSource::File {
                        path: crate::core::fs::canonical(path),
                    },
                ),
                Err(r) => {
                    refused = Some((path.clone(), r));
                    (load_demo_license(&startup.trust), LicenseSource::Demo)
                }
            },
            None => (load_demo_license(&startup.trust), LicenseSource::Demo),
        };
        // A workspace given on the command line is loaded next: until then
        // the window shows an empty one, never the demo's people.
        let workspace_given = startup.workspace.is_some() || is(&startup.file, "ialws");
        let ws = if workspace_given {
            Workspace::default()
        } else {
            // The demo workspace ships with the build and is checked by a test.
            Workspace::from_json(DEMO_WORKSPACE).unwrap_or_default()
        };
        let doc = Document::new(Arc::new(license), ws, today);
        // A read-only session changes nothing, so it keeps no journal (and
        // takes no lock, offers no recovery).
        let place = match &startup.data_dir {
            Some(dir) if !startup.read_only => JournalPlace::DataDir(dir.clone()),
            _ => JournalPlace::None,
        };
        let (mut session, opened) = Session::open(OpenArgs {
            doc,
            target: Target::Demo,
            license_source,
            place,
            actor: crate::core::changelog::os_user(),
            program: "ia-licensing gui".into(),
            now: chrono::Utc::now(),
        });
        if startup.read_only {
            session.set_read_only_mode();
        }
        let mut app = App {
            session,
            trust: startup.trust,
            allow_unsigned: startup.allow_unsigned,
            nav: startup.view.unwrap_or(Nav::LicenseManagement),
            modals: Vec::new(),
            views: Default::default(),
            warnings: Default::default(),
            show_warnings: true,
            zoom: 1.0,
            commands: Vec::new(),
            simulation: None,
            clock: Default::default(),
            dismissed_stage: None,
            picker: None,
            status_message: None,
            help: Default::default(),
            messages: Default::default(),
            limits: Default::default(),
            events_job: None,
            applying: None,
            frame_started: std::time::Instant::now(),
            status_seen: None,
            after_save: None,
            picker_returned_nothing: false,
            recent: files::load_recent(startup.data_dir.as_deref()),
            data_dir: startup.data_dir.clone(),
            actor: crate::core::changelog::os_user(),
            loading: None,
            importing: None,
            recording: None,
            site_import: None,
            dark: startup.dark,
            allow_close: false,
            quit_without_held: false,
            closing: false,
            title: String::new(),
            frame_log: None,
            renderer: None,
            input_order: Default::default(),
            pass: 0,
            modal_opened_in: None,
            overlay_drawn: false,
        };
        app.opened(opened);
        if let Some((path, refusal)) = refused {
            app.refused_license(&path, &refusal);
        } else if given_license.is_some() {
            app.load_media_servers();
        }
        if let Some(path) = startup.file {
            if is(&Some(path.clone()), "ialws") {
                app.open_file(FileKind::Workspace, path);
            } else if is(&Some(path.clone()), "ialacct") {
                app.open_file(FileKind::Account, path);
            }
        }
        if let Some(path) = startup.workspace {
            app.open_file(FileKind::Workspace, path);
        }
        if let Some(path) = startup.account {
            app.open_file(FileKind::Account, path);
        }
        app
    }

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

    /// What opening a session found: unsaved changes to offer, another
    /// process editing the workspace, or a journal that cannot be kept.
    fn opened(&mut self, opened: Opened) {
        match opened {
            Opened::Ready => {}
            Opened::Recovery(rec) => self.open_modal(Modal::Recovery(rec, None)),
            Opened::HeldBy(holder) => {
                self.open_modal(Modal::Notice(format!(
                    "This workspace is being edited by {holder}. It is open read-only here; close it there to edit it."
                )));
            }
            Opened::Unprotected(why) => {
                self.status_message = Some((false, format!("Unsaved changes cannot be protected: {why}")));
            }
            Opened::Locked(why) => {
                self.open_modal(Modal::Notice(format!(
                    "This workspace is open read-only here: it cannot be locked for editing ({why})."
                )));
            }
        }
    }

    fn load_source(&self) -> impl Fn(&LicenseSource) -> Result<License, journal::JournalError> + use<> {
        let trust = self.trust.clone();
        let allow_unsigned = self.allow_unsigned;
        move |source: &LicenseSource| journal::load_source(source, &trust, allow_unsigned)
    }

    /// Rebuilds the unsaved changes found in the journal.
    pub fn restore_recovery(&mut self) {
        let Some(at) = self.modals.iter().position(|m| matches!(m, Modal::Recovery(..))) else {
            return;
        };
        if let Modal::Recovery(rec, changed) = self.modals.remove(at) {
            self.restore_recovery_with(rec, changed.is_some());
        }
    }

    /// Replays the unsaved changes; `accept_license_change` replays against
    /// a license file that changed since the journal was written.
    fn restore_recovery_with(&mut self, rec: Box<Recovered>, accept_license_change: bool) {
        let load = self.load_source();
        match self.session.restore(&rec, &load, accept_license_change) {
            Ok(()) => {
                self.load_media_servers();
                let n = rec.unsaved_steps();
                let what = crate::core::text::count(n, "unsaved change", "unsaved changes");
                self.status_message = Some((true, format!("Restored {what}")));
            }
            Err(journal::RestoreError::LicenseChanged(changed)) => {
                // Asked again, now saying what changed.
                self.open_modal(Modal::Recovery(rec, Some(changed.to_string())));
            }
            Err(journal::RestoreError::Failed(e)) => {
                self.open_modal(Modal::Error(ErrorModal {
                    title: "Unsaved changes could not be restored".into(),
                    message: format!(
                        "{e}\n\nThe changes are kept in the recovery journal in the data folder, which \
                         is left as it is: open the same workspace again to be asked once more (Help › Files, \
                         After a crash)."
                    ),
                }));
            }
        }
    }

    pub fn discard_recovery(&mut self) {
        self.modals.retain(|m| !matches!(m, Modal::Recovery(..)));
        let opened = self.session.discard_recovery(self.clock.now());
        self.opened(opened);
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
    /// system is disabled (virtual cloud stage 6).
    pub fn allocation_locked(&self) -> Option<crate::core::rules::Refusal> {
        crate::core::rules::check_editable(self.read_only(), self.enforcement().stage).err()
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
        self.poll_loading();
        self.poll_events_job();
        let ctx = ui.ctx().clone();
        self.expire_status(&ctx);
        // The clock drives "today" everywhere (expiry, trial days).
        let now = self.clock.now();
        let doc = self.session.doc_mut();
        doc.set_today(now.date_naive());
        doc.set_clock(now, &self.actor);
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
            crate::ui::a11y::name_panel_handle(ui, "Resize the Warnings panel", |ui| {
                egui::Panel::bottom("warnings")
                    .resizable(true)
                    .default_size(170.0)
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
        self.modals(&ctx);
        self.enforcement_dialog(&ctx, &enforcement);
        self.loading_dialog(&ctx);
        self.events_dialog(&ctx);
        self.import_dialog(&ctx);
        self.apply_dialog(&ctx);
        self.site_import_dialog(&ctx);
        // After the dialog: a Cancel clicked this frame wins over the next part.
        self.step_import();
        self.step_apply();
        let title = self.window_title();
        if title != self.title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title = title;
        }
    }

    /// Advances a playing simulation and feeds Concurrent in Use to the engine.
    fn run_simulation(&mut self, ctx: &egui::Context) {
        let Some(sim) = &mut self.simulation else { return };
        sim.tick(ctx.input(|i| i.stable_dt).min(0.1));
        if sim.refresh(self.session.doc()) {
            let in_use = sim.current.in_use.iter().map(|(k, v)| (k.clone(), *v)).collect();
            let peaks: Vec<(String, u32)> = sim.current.peak.iter().map(|(k, v)| (k.clone(), *v)).collect();
            let doc = self.session.doc_mut();
            doc.engine_mut().set_in_use(in_use);
            doc.set_peaks(peaks);
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
        // The process ends right after the window (`ui::run`): freeing a
        // 100k workspace, its engine, undo steps and replays one allocation
        // at a time would only keep it waiting. None of them writes
        // anything when dropped (the session ended when the close was
        // accepted; saves and the journal are written as they happen).
        let doc = self.session.doc();
        let empty = Document::new(doc.license().clone(), Workspace::default(), doc.today());
        std::mem::forget(std::mem::replace(self.session.doc_mut(), empty));
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

/// The embedded demo license, verified like any other file.
pub fn load_demo_license(trust: &TrustStore) -> License {
    crate::core::demo::demo_license(trust).unwrap_or_else(|e| panic!("the embedded demo license is broken: {e}"))
}

/// The usage history of what is open: next to a workspace file
/// (`site.ialhist`), or in the data folder for the demo and scenarios.
pub fn history_path(target: &crate::core::editing::Target, data_dir: Option<&std::path::Path>) -> Option<PathBuf> {
    use crate::core::editing::Target;
    match target {
        Target::File(p) => Some(crate::core::history::path_for(p)),
        Target::Demo => data_dir.map(|d| d.join("history").join("demo.ialhist")),
        Target::Scenario(name) => data_dir.map(|d| {
            let safe: String = name
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
                .collect();
            d.join("history").join(format!("scenario-{safe}.ialhist"))
        }),
    }
}
