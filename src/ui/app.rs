//! The eframe application: owns the `Document`, routes the views' actions
//! to commands, and holds the view and dialog state. It never changes the
//! workspace itself: every change is a `Command` applied to the document.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc;

use chrono::NaiveDate;

use crate::core::command::Command;
use crate::core::csv_io::{self, Table};
use crate::core::document::Document;
use crate::core::editing::{EditError, JournalPlace, OpenArgs, Opened, SaveError, Session, Target};
use crate::core::journal::{self, LicenseSource, Recovered};
use crate::core::license::{License, LoadOptions, SignatureStatus, TrustStore};
use crate::core::loading;
use crate::core::subject::{Subject, SubjectKind};
use crate::core::workspace::Workspace;
use crate::ui::import::{self, Import};

use super::dialogs::{self, Outcome};
use super::views::{self, Action, BulkKind};
use super::{files, widgets};

pub use crate::core::demo::{DEMO_LICENSE, DEMO_WORKSPACE};

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
        }
    }
}

/// What a file prompt (path field, or the system dialog) is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    License,
    Workspace,
    SaveWorkspaceAs,
    ImportCsv(Table),
    ExportCsv(Table),
    Events,
    CompareLicense,
    ExportStatistics,
    ExportUsage,
    ExportChangeLog,
}

impl FileKind {
    fn title(self) -> &'static str {
        match self {
            FileKind::License => "Load License",
            FileKind::Workspace => "Open Workspace",
            FileKind::SaveWorkspaceAs => "Save Workspace As",
            FileKind::ImportCsv(_) => "Import CSV",
            FileKind::ExportCsv(_) => "Export CSV",
            FileKind::Events => "Open Events",
            FileKind::CompareLicense => "Compare with license file",
            FileKind::ExportStatistics => "Export License Statistics",
            FileKind::ExportUsage => "Export Usage",
            FileKind::ExportChangeLog => "Export Change Log",
        }
    }
    fn hint(self) -> &'static str {
        match self {
            FileKind::License | FileKind::CompareLicense => "/path/to/license.I3Lic",
            FileKind::Workspace | FileKind::SaveWorkspaceAs => "/path/to/site.ialws",
            FileKind::ImportCsv(_) | FileKind::ExportCsv(_) => "/path/to/users.csv",
            FileKind::Events => "/path/to/events.json",
            FileKind::ExportStatistics | FileKind::ExportUsage | FileKind::ExportChangeLog => "/path/to/report.csv",
        }
    }
    fn saves(self) -> bool {
        matches!(
            self,
            FileKind::SaveWorkspaceAs
                | FileKind::ExportCsv(_)
                | FileKind::ExportStatistics
                | FileKind::ExportUsage
                | FileKind::ExportChangeLog
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
    ChangeLog,
}

/// Something waiting for the user to decide about unsaved changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pending {
    Quit,
    OpenWorkspace(PathBuf),
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
}

pub struct App {
    /// The editing session: the document, its journal, save and recovery.
    session: Session,
    pub trust: TrustStore,
    pub allow_unsigned: bool,
    pub read_only: bool,
    pub nav: Nav,
    pub error: Option<ErrorModal>,
    pub notice: Option<String>,
    pub dialog: Option<Dialog>,
    pub pending: Option<Pending>,
    pub license_view: views::license::LicenseView,
    pub allocation_view: views::allocation::AllocationView,
    pub users_view: views::users::UsersView,
    pub stations_view: views::stations::StationsView,
    pub workgroups_view: views::workgroups::WorkgroupsView,
    pub warnings: views::warnings::WarningsPanel,
    pub show_warnings: bool,
    /// The zoom factor, kept for the preferences.
    zoom: f32,
    pub enforcement_view: views::enforcement::EnforcementView,
    pub statistics_view: views::statistics::StatisticsView,
    pub usage_view: views::usage::UsageView,
    pub changelog_view: views::changelog::ChangeLogView,
    /// A loaded events script (trainers, supervisors' history).
    pub simulation: Option<super::simulation::Simulation>,
    /// Real by default; trainers switch to a simulated clock.
    pub clock: views::enforcement::Clock,
    /// The stage whose obtrusive warning the user dismissed.
    dismissed_stage: Option<u8>,
    pub open_prompt: Option<OpenPrompt>,
    picker: Option<(FileKind, mpsc::Receiver<Option<PathBuf>>)>,
    /// The last command's result, shown in the status bar.
    pub status_message: Option<(bool, String)>,
    pub recent: Vec<PathBuf>,
    pub dark: bool,
    allow_close: bool,
    title: String,
    data_dir: Option<PathBuf>,
    /// The OS user, for the change log.
    actor: String,
    /// A save that would overwrite a file changed on disk, awaiting an answer.
    pub overwrite_prompt: Option<PathBuf>,
    /// Unsaved changes found in the workspace's journal, offered for restore.
    pub recovery: Option<Box<Recovered>>,
    /// The journal's license file changed: the user decides before replay.
    license_changed: Option<String>,
    /// A workspace being opened on a worker thread.
    loading: Option<loading::Job>,
    /// A CSV import in progress.
    importing: Option<Import>,
}

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
        cc.egui_ctx.set_theme(if app.dark {
            egui::Theme::Dark
        } else {
            egui::Theme::Light
        });
        app
    }

    /// Builds the app without a window (used by tests too).
    pub fn from_startup(startup: Startup) -> Self {
        let demo = load_demo_license(&startup.trust);
        let today = chrono::Local::now().date_naive();
        // The demo workspace ships with the build and is checked by a test.
        let ws = Workspace::from_json(DEMO_WORKSPACE).unwrap_or_default();
        let doc = Document::new(Arc::new(demo), ws, today);
        let (session, opened) = Session::open(OpenArgs {
            doc,
            target: Target::Demo,
            license_source: LicenseSource::Demo,
            place: startup
                .data_dir
                .clone()
                .map_or(JournalPlace::None, JournalPlace::DataDir),
            actor: crate::core::changelog::os_user(),
            program: "ia-licensing gui".into(),
            now: chrono::Utc::now(),
        });
        let mut app = App {
            session,
            trust: startup.trust,
            allow_unsigned: startup.allow_unsigned,
            read_only: startup.read_only,
            nav: startup.view.unwrap_or(Nav::LicenseManagement),
            error: None,
            notice: None,
            dialog: None,
            pending: None,
            license_view: Default::default(),
            allocation_view: Default::default(),
            users_view: Default::default(),
            stations_view: Default::default(),
            workgroups_view: Default::default(),
            warnings: Default::default(),
            show_warnings: true,
            zoom: 1.0,
            enforcement_view: Default::default(),
            statistics_view: Default::default(),
            usage_view: Default::default(),
            changelog_view: Default::default(),
            simulation: None,
            clock: Default::default(),
            dismissed_stage: None,
            open_prompt: None,
            picker: None,
            status_message: None,
            recent: files::load_recent(startup.data_dir.as_deref()),
            data_dir: startup.data_dir.clone(),
            actor: crate::core::changelog::os_user(),
            overwrite_prompt: None,
            recovery: None,
            license_changed: None,
            loading: None,
            importing: None,
            dark: startup.dark,
            allow_close: false,
            title: String::new(),
        };
        app.opened(opened);
        if let Some(path) = startup.file {
            // Given on the command line: load at once (no Compare dialog).
            if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("ialws")) {
                app.open_file(FileKind::Workspace, path);
            } else {
                app.load_license_file(path);
            }
        }
        if let Some(path) = startup.workspace {
            app.open_file(FileKind::Workspace, path);
        }
        app
    }

    pub fn today(&self) -> NaiveDate {
        self.session.doc().today()
    }

    pub fn license(&self) -> &License {
        self.session.doc().license()
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
            Opened::Recovery(rec) => self.recovery = Some(rec),
            Opened::HeldBy(holder) => {
                self.read_only = true;
                self.notice = Some(format!(
                    "This workspace is being edited by {holder}. It is open read-only here; close it there to edit it."
                ));
            }
            Opened::Unprotected(why) => {
                self.status_message = Some((false, format!("Unsaved changes cannot be protected: {why}")));
            }
        }
    }

    fn load_source(&self) -> impl Fn(&LicenseSource) -> Result<License, String> + use<> {
        let trust = self.trust.clone();
        let allow_unsigned = self.allow_unsigned;
        move |source: &LicenseSource| journal::load_source(source, &trust, allow_unsigned)
    }

    /// Rebuilds the unsaved changes found in the journal.
    pub fn restore_recovery(&mut self) {
        self.restore_recovery_with(false);
    }

    /// `restore_recovery`; `accept_license_change` replays against a
    /// license file that changed since the journal was written.
    pub fn restore_recovery_with(&mut self, accept_license_change: bool) {
        let Some(rec) = self.recovery.take() else { return };
        let load = self.load_source();
        match self.session.restore(&rec, &load, accept_license_change) {
            Ok(()) => {
                self.load_media_servers();
                let n = rec.unsaved_steps();
                self.status_message = Some((true, format!("Restored {n} unsaved {}", plural(n, "change"))));
            }
            Err(journal::RestoreError::LicenseChanged(changed)) => {
                self.license_changed = Some(changed.to_string());
                self.recovery = Some(rec);
            }
            Err(journal::RestoreError::Failed(e)) => {
                self.error = Some(ErrorModal {
                    title: "Unsaved changes could not be restored".into(),
                    message: format!(
                        "{e}\n\nThe journal is kept in the data folder; `ia-licensing recover` can try again."
                    ),
                });
            }
        }
    }

    pub fn discard_recovery(&mut self) {
        self.recovery = None;
        self.license_changed = None;
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

    /// Allocation is read-only by choice (View › Read-only) or because the
    /// system is disabled (virtual cloud stage 6).
    pub fn allocation_locked(&self) -> Option<&'static str> {
        if self.read_only {
            Some("Read-only mode: editing is off (View › Read-only)")
        } else if self.enforcement().stage >= 6 {
            Some(
                "Allocation is read-only: the system is disabled and unlicensed (virtual cloud enforcement stage 6). Restore the Genesys Cloud connection.",
            )
        } else {
            None
        }
    }

    fn workspace_name(&self) -> String {
        match self.session.target() {
            Target::Demo => "demo workspace".into(),
            Target::Scenario(name) => format!("scenario: {name}"),
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

    // ---- Files ----

    /// Opens a license file from the UI: *Compare and load* shows what it
    /// changes first. A refused file leaves
    /// everything as it was and shows the reason.
    pub fn open_license(&mut self, path: PathBuf) {
        self.open_license_with(path, false);
    }

    /// Verifies a license file and shows Compare and load (or compare only).
    pub fn open_license_with(&mut self, path: PathBuf, compare_only: bool) {
        let opts = LoadOptions {
            trust: &self.trust,
            allow_unsigned: self.allow_unsigned,
        };
        match License::load_path(&path, opts) {
            Ok(license) => {
                let dialog = dialogs::compare::CompareDialog::new(self.session.doc(), path, license, compare_only);
                self.dialog = Some(Dialog::Compare(Box::new(dialog)));
            }
            Err(refusal) => self.refused_license(&path, &refusal),
        }
    }

    /// A refused license file: the reason, and the reassurance that nothing changed.
    fn refused_license(&mut self, path: &Path, refusal: &crate::core::license::Refusal) {
        self.error = Some(ErrorModal {
            title: "License file refused".into(),
            message: format!(
                "{}\n\n{refusal}\n\nThe previously loaded license and workspace are unchanged.",
                path.display()
            ),
        });
    }

    /// Verifies and loads a license file at once (command line, tests).
    pub fn load_license_file(&mut self, path: PathBuf) {
        let opts = LoadOptions {
            trust: &self.trust,
            allow_unsigned: self.allow_unsigned,
        };
        match License::load_path(&path, opts) {
            Ok(license) => self.load_license_now(path, Arc::new(license)),
            Err(refusal) => self.refused_license(&path, &refusal),
        }
    }

    /// Replaces the license as one undoable step.
    fn load_license_now(&mut self, path: PathBuf, license: Arc<License>) {
        let name = path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        let source = LicenseSource::File {
            path: std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone()),
        };
        let at = self.clock.now();
        if let Err(e) = self
            .session
            .replace_license(license, source, format!("Load license {name}"), at)
        {
            self.status_message = Some((false, e.to_string()));
            return;
        }
        self.load_media_servers();
        files::remember(self.data_dir.as_deref(), &mut self.recent, &path);
        self.status_message = Some((true, format!("Loaded {name}")));
    }

    /// Opens a workspace file; asks first when there are unsaved changes; a
    /// refused file leaves the open one untouched.
    pub fn open_workspace(&mut self, path: PathBuf) {
        if self.dirty() {
            self.pending = Some(Pending::OpenWorkspace(path));
            return;
        }
        self.open_workspace_now(path);
    }

    /// Starts loading a workspace on a worker thread; `poll_loading` puts
    /// it in place when it is ready (the open one stays until then).
    fn open_workspace_now(&mut self, path: PathBuf) {
        if let Some(job) = self.loading.take() {
            job.progress.cancel();
        }
        let doc = self.session.doc();
        self.loading = Some(loading::Job::spawn(path, doc.license().clone(), doc.today()));
    }

    /// Installs a finished load, or reports why it failed.
    fn poll_loading(&mut self) {
        let Some(result) = self.loading.as_ref().and_then(loading::Job::poll) else {
            return;
        };
        let Some(job) = self.loading.take() else { return };
        self.finish_loading(job.path, result);
    }

    /// Waits for a load in progress and installs it (tests; the GUI polls).
    pub fn wait_for_loading(&mut self) {
        if let Some(job) = self.loading.take() {
            let path = job.path.clone();
            let result = job.wait();
            self.finish_loading(path, result);
        }
    }

    /// Is a workspace being loaded?
    pub fn is_loading(&self) -> bool {
        self.loading.is_some()
    }

    fn finish_loading(&mut self, path: PathBuf, result: Result<loading::Loaded, loading::Failure>) {
        match result {
            Ok(loaded) => {
                let today = self.session.doc().today();
                let license_source = self.session.license_source().clone();
                let opened = self.session.reopen(
                    |doc| doc.set_workspace_counted(loaded.workspace, loaded.engine, &loaded.license, today),
                    Target::File(path.clone()),
                    license_source,
                    self.clock.now(),
                );
                files::remember(self.data_dir.as_deref(), &mut self.recent, &path);
                self.status_message = Some((true, format!("Opened {}", path.display())));
                self.load_media_servers();
                self.opened(opened);
            }
            Err(loading::Failure::Cancelled) => {
                self.status_message = Some((
                    true,
                    format!(
                        "Opening {} was cancelled; the open workspace is unchanged",
                        path.display()
                    ),
                ));
            }
            Err(loading::Failure::Refused(e)) => {
                self.error = Some(ErrorModal {
                    title: "Workspace file refused".into(),
                    message: format!("{}\n\n{e}\n\nThe open workspace is unchanged.", path.display()),
                });
            }
        }
    }

    /// The progress window of a load, with Cancel.
    fn loading_dialog(&mut self, ctx: &egui::Context) {
        let Some(job) = &self.loading else { return };
        // Keep polling while the worker runs.
        ctx.request_repaint_after(std::time::Duration::from_millis(50));
        let stage = job.progress.stage();
        let detail = match (stage, job.progress.bytes()) {
            (loading::Stage::Reading, (done, total)) if total > 0 => format!(
                "{}: {:.1} of {:.1} MB",
                stage.label(),
                done as f64 / 1e6,
                total as f64 / 1e6
            ),
            _ => format!("{}…", stage.label()),
        };
        let cancel = widgets::progress_window(
            ctx,
            "loading-workspace",
            widgets::Progress {
                verb: "Opening",
                path: &job.path,
                detail,
                fraction: job.progress.fraction(),
                started: job.started,
                note: "the open workspace stays as it is until this finishes",
            },
        );
        if cancel && let Some(job) = self.loading.take() {
            job.progress.cancel();
            self.finish_loading(job.path, Err(loading::Failure::Cancelled));
        }
    }

    fn load_media_servers(&mut self) {
        if let Target::File(path) = self.session.target()
            && !self.session.doc().workspace().media_servers.is_empty()
        {
            let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
            let opts = LoadOptions {
                trust: &self.trust,
                allow_unsigned: self.allow_unsigned,
            };
            let media = crate::core::license::media_server_statuses(self.session.doc().workspace(), &dir, opts);
            self.session.doc_mut().set_media_servers(media);
        }
    }

    /// Saves to the workspace's file (Save As… for the demo).
    pub fn save(&mut self) -> bool {
        self.save_with(false)
    }

    /// Saves; `overwrite` replaces a file changed on disk since it was
    /// opened (asked first).
    fn save_with(&mut self, overwrite: bool) -> bool {
        let at = self.clock.now();
        match self.session.save(overwrite, at) {
            Ok(path) => {
                self.saved(&path);
                true
            }
            Err(SaveError::NoFile) => {
                self.prompt_open(FileKind::SaveWorkspaceAs);
                false
            }
            Err(SaveError::ChangedOnDisk(path)) => {
                self.overwrite_prompt = Some(path);
                false
            }
            Err(e) => {
                self.save_failed(&e);
                false
            }
        }
    }

    fn save_to(&mut self, path: PathBuf) -> bool {
        match self.session.save_as(&path, self.clock.now()) {
            Ok(()) => {
                self.saved(&path);
                true
            }
            Err(e) => {
                self.save_failed(&e);
                false
            }
        }
    }

    fn saved(&mut self, path: &Path) {
        files::remember(self.data_dir.as_deref(), &mut self.recent, path);
        self.status_message = Some(match self.session.unprotected() {
            None => (true, format!("Saved {}", path.display())),
            Some(why) => (
                false,
                format!(
                    "Saved {}, but unsaved changes cannot be protected: {why}",
                    path.display()
                ),
            ),
        });
    }

    fn save_failed(&mut self, e: &SaveError) {
        self.error = Some(ErrorModal {
            title: "Save failed".into(),
            message: format!("{e}\n\nYour changes are still open; save them somewhere else with File › Save As…"),
        });
    }

    pub fn open_file(&mut self, kind: FileKind, path: PathBuf) {
        match kind {
            FileKind::License => self.open_license(path),
            FileKind::Workspace => self.open_workspace(path),
            FileKind::SaveWorkspaceAs => {
                self.save_to(path);
            }
            FileKind::ImportCsv(table) => self.import_csv(table, &path),
            FileKind::ExportCsv(table) => self.export_csv(table, &path),
            FileKind::Events => self.open_events(&path),
            FileKind::CompareLicense => self.open_license_with(path, true),
            FileKind::ExportStatistics => {
                let rows = views::statistics::rows(self.session.doc(), self.simulation.as_ref().map(|s| &s.current));
                self.write_report(&path, views::statistics::csv(&rows));
            }
            FileKind::ExportChangeLog => {
                let text = self.changelog_view.filter().and_then(|f| {
                    crate::core::changelog::csv(self.session.doc().change_log().iter().filter(|e| f.matches(e)))
                });
                self.write_report(&path, text);
            }
            FileKind::ExportUsage => {
                let text = match &self.simulation {
                    Some(sim) => views::usage::csv(&views::usage::tally(sim).0),
                    None => Err("No session history is loaded; there is no usage to export".to_string()),
                };
                self.write_report(&path, text);
            }
        }
    }

    fn write_report(&mut self, path: &Path, text: Result<String, String>) {
        match text.and_then(|t| crate::core::fileio::atomic_write(path, t.as_bytes())) {
            Ok(()) => self.status_message = Some((true, format!("Exported to {}", path.display()))),
            Err(e) => {
                self.error = Some(ErrorModal {
                    title: "Export failed".into(),
                    message: e,
                })
            }
        }
    }

    /// Loads an events script for the Simulation panel.
    pub fn open_events(&mut self, path: &Path) {
        let loaded = crate::core::fileio::read_capped(path, crate::core::sessions::MAX_EVENTS_FILE_BYTES)
            .and_then(|b| String::from_utf8(b).map_err(|_| format!("{} is not UTF-8 text", path.display())))
            .and_then(|t| crate::core::sessions::parse_events(&t));
        match loaded {
            Ok(events) => {
                let name = path
                    .file_name()
                    .map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
                self.simulation = Some(super::simulation::Simulation::new(name, events));
                self.nav = Nav::LicenseStatistics;
            }
            Err(e) => {
                self.error = Some(ErrorModal {
                    title: "Events file refused".into(),
                    message: format!("{}\n\n{e}\n\nSee docs/events-file.md for the format.", path.display()),
                });
            }
        }
    }

    /// Loads a built-in trainer scenario: its license, workspace and events.
    pub fn load_scenario(&mut self, index: usize) {
        let Some((name, license, workspace, events)) = super::simulation::SCENARIOS.get(index) else {
            return;
        };
        if self.dirty() {
            self.status_message = Some((false, "Save or undo your changes before loading a scenario".into()));
            return;
        }
        let opts = LoadOptions {
            trust: &self.trust,
            allow_unsigned: self.allow_unsigned,
        };
        let loaded = License::load_bytes(license, opts)
            .map_err(|e| e.to_string())
            .and_then(|l| {
                Workspace::from_json(workspace)
                    .map(|w| (l, w))
                    .map_err(|e| e.to_string())
            })
            .and_then(|(l, w)| crate::core::sessions::parse_events(events).map(|e| (l, w, e)));
        match loaded {
            Ok((license, ws, events)) => {
                let opened = self.session.reopen(
                    |doc| {
                        doc.set_license(Arc::new(license));
                        doc.set_workspace(ws);
                    },
                    Target::Scenario(name.to_string()),
                    LicenseSource::Builtin { name: name.to_string() },
                    self.clock.now(),
                );
                self.simulation = Some(super::simulation::Simulation::new(name.to_string(), events));
                self.nav = Nav::LicenseStatistics;
                self.opened(opened);
            }
            Err(e) => {
                self.error = Some(ErrorModal {
                    title: "Scenario refused".into(),
                    message: e,
                })
            }
        }
    }

    /// Starts a CSV import (read on a worker, applied over a few frames).
    fn import_csv(&mut self, table: Table, path: &Path) {
        if self.refuse_if_locked() {
            return;
        }
        if let Some(old) = self.importing.take() {
            old.cancel(self.session.doc_mut());
        }
        self.importing = Some(Import::start(table, path.to_path_buf()));
    }

    /// Advances an import by one frame's worth of rows.
    fn step_import(&mut self) {
        let Some(job) = &mut self.importing else { return };
        let Some(done) = job.step(self.session.doc_mut()) else {
            return;
        };
        let path = job.path.clone();
        self.importing = None;
        self.import_finished(&path, done);
    }

    /// Runs an import in progress to its end (tests; the GUI steps it).
    pub fn finish_import(&mut self) {
        if let Some(job) = self.importing.take() {
            let path = job.path.clone();
            let done = job.finish(self.session.doc_mut());
            self.import_finished(&path, done);
        }
    }

    /// Is a CSV import running?
    pub fn is_importing(&self) -> bool {
        self.importing.is_some()
    }

    fn import_finished(&mut self, path: &Path, done: import::Finished) {
        match done {
            import::Finished::Imported { rows, command } => {
                if let Some(command) = command
                    && let Err(e) = self.session.record_commit(&command, self.clock.now())
                {
                    self.status_message = Some((false, format!("Import of {}: {e}", path.display())));
                    return;
                }
                self.status_message = Some((true, format!("Imported {rows} rows from {}", path.display())));
            }
            import::Finished::Refused(errors) => {
                let lines: Vec<String> = errors.iter().take(20).map(|e| e.to_string()).collect();
                self.error = Some(ErrorModal {
                    title: "Import refused".into(),
                    message: format!(
                        "{} bad row(s); nothing was imported. Fix them and import again.\n\n{}{}",
                        errors.len(),
                        lines.join("\n"),
                        if errors.len() > 20 { "\n…" } else { "" }
                    ),
                });
            }
            import::Finished::Cancelled => {
                self.status_message = Some((
                    true,
                    format!("Import of {} cancelled; nothing was imported", path.display()),
                ));
            }
            import::Finished::Failed(e) => {
                self.error = Some(ErrorModal {
                    title: "Import failed".into(),
                    message: e,
                });
            }
        }
    }

    /// The progress window of an import, with Cancel.
    fn import_dialog(&mut self, ctx: &egui::Context) {
        let Some(job) = &self.importing else { return };
        ctx.request_repaint();
        let (what, fraction) = job.progress();
        let cancel = widgets::progress_window(
            ctx,
            "importing-csv",
            widgets::Progress {
                verb: "Importing",
                path: &job.path,
                detail: what,
                fraction,
                started: job.started,
                note: "nothing is changed until every row is checked",
            },
        );
        if cancel && let Some(job) = self.importing.take() {
            let path = job.path.clone();
            job.cancel(self.session.doc_mut());
            self.import_finished(&path, import::Finished::Cancelled);
        }
    }

    fn export_csv(&mut self, table: Table, path: &Path) {
        match csv_io::export(self.session.doc().workspace(), table)
            .and_then(|text| crate::core::fileio::atomic_write(path, text.as_bytes()))
        {
            Ok(()) => self.status_message = Some((true, format!("Exported to {}", path.display()))),
            Err(e) => {
                self.error = Some(ErrorModal {
                    title: "Export failed".into(),
                    message: e,
                })
            }
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
            let _ = tx.send(files::pick(kind));
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

    // ---- Commands ----

    fn refuse_if_locked(&mut self) -> bool {
        if let Some(why) = self.allocation_locked() {
            self.status_message = Some((false, why.to_string()));
            true
        } else {
            false
        }
    }

    /// Applies a command and reports the result in the status bar.
    pub fn apply(&mut self, command: Command) -> Result<(), String> {
        if self.refuse_if_locked() {
            return Err(self.allocation_locked().unwrap_or_default().to_string());
        }
        let summary = command.summary();
        match self.session.apply(command, self.clock.now()) {
            Ok(applied) => {
                let refused: Vec<&str> = applied.refused().map(|(_, why)| why).collect();
                self.status_message = Some(if refused.is_empty() {
                    (true, summary)
                } else {
                    (
                        false,
                        format!(
                            "{summary}: {} changed, {} refused ({})",
                            applied.changed(),
                            refused.len(),
                            refused[0]
                        ),
                    )
                });
                Ok(())
            }
            Err(EditError::Refused(refused)) => {
                self.status_message = Some((false, refused.reason.clone()));
                Err(refused.reason)
            }
            Err(e) => {
                let message = e.to_string();
                self.status_message = Some((false, message.clone()));
                Err(message)
            }
        }
    }

    pub fn undo(&mut self) {
        if self.refuse_if_locked() {
            return;
        }
        match self.session.undo(self.clock.now()) {
            Ok(Some(s)) => self.status_message = Some((true, format!("Undid: {s}"))),
            Ok(None) => {}
            Err(e) => self.status_message = Some((false, format!("Cannot undo: {e}"))),
        }
    }

    pub fn redo(&mut self) {
        if self.refuse_if_locked() {
            return;
        }
        match self.session.redo(self.clock.now()) {
            Ok(Some(s)) => self.status_message = Some((true, format!("Redid: {s}"))),
            Ok(None) => {}
            Err(e) => self.status_message = Some((false, format!("Cannot redo: {e}"))),
        }
    }

    fn select_all(&mut self) {
        match self.nav {
            Nav::Users => self.users_view.select_all(self.session.doc()),
            Nav::Stations => self.stations_view.select_all(self.session.doc()),
            Nav::Workgroups => self.workgroups_view.table.select_all(self.session.doc()),
            _ => {}
        }
    }

    /// Carries out a view action (public for UI tests that start from an action).
    pub fn handle_action_for_tests(&mut self, action: Action) {
        self.handle(action);
    }

    fn handle(&mut self, action: Action) {
        match action {
            Action::Command(c) => {
                let _ = self.apply(c);
            }
            Action::OpenUser(id) => {
                if let Some(u) = self.session.doc().workspace().user(&id) {
                    self.dialog = Some(Dialog::User(Box::new(dialogs::user::UserDialog::new(u.clone()))));
                }
            }
            Action::OpenStation(id) => {
                if let Some(s) = self.session.doc().workspace().station(&id) {
                    self.dialog = Some(Dialog::Station(Box::new(dialogs::station::StationDialog::new(
                        s.clone(),
                    ))));
                }
            }
            Action::OpenLicense(key) => {
                self.dialog = Some(Dialog::License(dialogs::license_config::LicenseConfigDialog::new(key)));
            }
            Action::Bulk { kind, users, stations } => {
                let mut subjects: Vec<Subject> = users.into_iter().map(Subject::user).collect();
                if kind != BulkKind::SetMethod {
                    subjects.extend(stations.into_iter().map(Subject::station));
                }
                self.dialog = Some(Dialog::Bulk(dialogs::bulk::BulkDialog::new(
                    kind,
                    subjects,
                    self.session.doc(),
                )));
            }
            Action::ConfirmRemove { kind, ids } => self.dialog = Some(Dialog::ConfirmRemove(kind, ids)),
            Action::Reveal(subject) => self.reveal(&subject),
        }
    }

    /// Selects and shows a diagnostic's subject.
    pub fn reveal(&mut self, subject: &Subject) {
        match subject.kind {
            SubjectKind::User => {
                self.nav = Nav::Users;
                self.users_view.reveal(self.session.doc(), &subject.id);
            }
            SubjectKind::Station => {
                self.nav = Nav::Stations;
                self.stations_view.reveal(self.session.doc(), &subject.id);
            }
            SubjectKind::Workgroup => {
                self.nav = Nav::Workgroups;
                self.workgroups_view.table.reveal(self.session.doc(), &subject.id);
            }
            SubjectKind::License => {
                self.nav = Nav::LicensesAllocation;
                self.handle(Action::OpenLicense(subject.id.clone()));
            }
            SubjectKind::Server => {
                self.nav = Nav::LicenseManagement;
            }
        }
    }

    // ---- Drawing ----

    /// Draws the whole window.
    pub fn show(&mut self, ui: &mut egui::Ui) {
        self.poll_picker();
        self.poll_loading();
        let ctx = ui.ctx().clone();
        // The clock drives "today" everywhere (expiry, trial days).
        let now = self.clock.now();
        let doc = self.session.doc_mut();
        doc.set_today(now.date_naive());
        doc.set_clock(now, &self.actor);
        let enforcement = self.enforcement();
        self.window_events(&ctx);
        if self.loading.is_none() && self.importing.is_none() {
            // Nothing else may change the workspace while a load or an
            // import is under way.
            self.shortcuts(&ctx);
        }
        self.run_simulation(&ctx);
        let mut actions = Vec::new();
        egui::Panel::top("menu").show(ui, |ui| self.menu_bar(ui));
        egui::Panel::bottom("status").show(ui, |ui| self.status_bar(ui, &enforcement));
        if self.show_warnings {
            egui::Panel::bottom("warnings")
                .resizable(true)
                .default_size(170.0)
                .show(ui, |ui| {
                    self.warnings.ui(ui, self.session.doc(), &mut actions);
                });
        }
        egui::Panel::left("nav")
            .resizable(true)
            .default_size(210.0)
            .show(ui, |ui| self.nav_tree(ui));
        let locked = self.allocation_locked();
        egui::CentralPanel::default().show(ui, |ui| {
            if *self.session.license_source() == LicenseSource::Demo && *self.session.target() == Target::Demo {
                demo_banner(ui);
            } else if let Target::Scenario(name) = self.session.target() {
                ui.label(format!("Training scenario: {name} (built-in data; Save As… to keep changes)"));
            }
            if let Some(why) = locked
                && matches!(self.nav, Nav::LicensesAllocation | Nav::Users | Nav::Stations | Nav::Workgroups)
            {
                ui.colored_label(widgets::ERROR_RED, why);
            }
            match self.nav {
                Nav::LicenseManagement => {
                    match self.license_view.ui(ui, self.session.doc()) {
                        Some(true) => self.prompt_open(FileKind::CompareLicense),
                        Some(false) => self.prompt_open(FileKind::License),
                        None => {}
                    }
                }
                Nav::LicensesAllocation => self.allocation_view.ui(ui, self.session.doc(), &mut actions),
                Nav::Users => self.users_view.ui(ui, self.session.doc(), locked.is_some(), &mut actions),
                Nav::Stations => self.stations_view.ui(ui, self.session.doc(), locked.is_some(), &mut actions),
                Nav::Workgroups => self.workgroups_view.ui(ui, self.session.doc(), locked.is_some(), &mut actions),
                Nav::CloudEnforcement => self.enforcement_view.ui(ui, self.session.doc().license(), &mut self.clock),
                Nav::LicenseStatistics if enforcement.supervisor_enabled => {
                    if self.statistics_view.ui(ui, self.session.doc(), self.simulation.as_mut()) {
                        self.prompt_open(FileKind::ExportStatistics);
                    }
                }
                                Nav::ChangeLog => {
                    if self.changelog_view.ui(ui, self.session.doc()) {
                        self.prompt_open(FileKind::ExportChangeLog);
                    }
                }
                Nav::UsageBilling => {
                    if self.usage_view.ui(ui, self.session.doc(), self.simulation.as_mut()) {
                        self.prompt_open(FileKind::ExportUsage);
                    }
                }
                Nav::LicenseStatistics => {
                    ui.heading("License Statistics");
                    ui.separator();
                    ui.colored_label(
                        widgets::ERROR_RED,
                        "Interaction Supervisor is disabled (virtual cloud enforcement stage 4 or later): License Statistics is not available until the server checks in with Genesys Cloud.",
                    );
                }
            }
        });
        for a in actions {
            self.handle(a);
        }
        self.dialogs(&ctx);
        self.open_dialog(&ctx);
        self.pending_dialog(&ctx);
        self.error_modal(&ctx);
        self.enforcement_dialog(&ctx, &enforcement);
        self.recovery_dialog(&ctx);
        self.overwrite_dialog(&ctx);
        self.loading_dialog(&ctx);
        self.import_dialog(&ctx);
        // After the dialog: a Cancel clicked this frame wins over the next part.
        self.step_import();
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
            self.session.doc_mut().engine_mut().set_in_use(in_use);
        }
        if sim.playing {
            ctx.request_repaint();
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
            if self.dirty() && !self.allow_close {
                ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
                self.pending = Some(Pending::Quit);
            } else if !self.dirty() {
                // A clean exit: nothing to recover next time.
                self.session.end();
            }
        }
    }

    fn shortcuts(&mut self, ctx: &egui::Context) {
        use egui::{Key, KeyboardShortcut, Modifiers};
        if ctx.egui_wants_keyboard_input() {
            return;
        }
        let redo_shift = KeyboardShortcut::new(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
        let redo_y = KeyboardShortcut::new(Modifiers::COMMAND, Key::Y);
        let undo = KeyboardShortcut::new(Modifiers::COMMAND, Key::Z);
        let save = KeyboardShortcut::new(Modifiers::COMMAND, Key::S);
        // Check the longer shortcut first: Ctrl+Shift+Z also matches Ctrl+Z.
        if ctx.input_mut(|i| i.consume_shortcut(&redo_shift) || i.consume_shortcut(&redo_y)) {
            self.redo();
        } else if ctx.input_mut(|i| i.consume_shortcut(&undo)) {
            self.undo();
        }
        if ctx.input_mut(|i| i.consume_shortcut(&save)) {
            self.save();
        }
    }

    fn menu_bar(&mut self, ui: &mut egui::Ui) {
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
                if ui.add(egui::Button::new("Save").shortcut_text("Ctrl+S")).clicked() {
                    self.save();
                    ui.close();
                }
                if ui.button("Save As…").clicked() {
                    self.prompt_open(FileKind::SaveWorkspaceAs);
                    ui.close();
                }
                ui.separator();
                ui.menu_button("Import CSV…", |ui| {
                    for (label, t) in [
                        ("Users…", Table::Users),
                        ("Stations…", Table::Stations),
                        ("Workgroups…", Table::Workgroups),
                    ] {
                        if ui.button(label).clicked() {
                            self.prompt_open(FileKind::ImportCsv(t));
                            ui.close();
                        }
                    }
                });
                ui.menu_button("Export CSV…", |ui| {
                    for (label, t) in [
                        ("Users…", Table::Users),
                        ("Stations…", Table::Stations),
                        ("Workgroups…", Table::Workgroups),
                    ] {
                        if ui.button(label).clicked() {
                            self.prompt_open(FileKind::ExportCsv(t));
                            ui.close();
                        }
                    }
                });
                ui.separator();
                if ui.button("Open Events…").clicked() {
                    self.prompt_open(FileKind::Events);
                    ui.close();
                }
                ui.menu_button("Scenarios", |ui| {
                    for (i, (name, ..)) in super::simulation::SCENARIOS.iter().enumerate() {
                        if ui.button(*name).clicked() {
                            self.load_scenario(i);
                            ui.close();
                        }
                    }
                });
                ui.separator();
                ui.menu_button("Recent files", |ui| {
                    if self.recent.is_empty() {
                        ui.label("No recent files");
                    }
                    for path in self.recent.clone() {
                        if ui.button(path.display().to_string()).clicked() {
                            let is_ws = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("ialws"));
                            self.open_file(if is_ws { FileKind::Workspace } else { FileKind::License }, path);
                            ui.close();
                        }
                    }
                });
                ui.separator();
                if ui.button("Quit").clicked() {
                    ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
                    ui.close();
                }
            });
            ui.menu_button("Edit", |ui| {
                let undo_text = self
                    .doc()
                    .undo_summary()
                    .map_or("Undo".to_string(), |s| format!("Undo {s}"));
                if ui
                    .add_enabled(
                        self.session.doc().can_undo(),
                        egui::Button::new(undo_text).shortcut_text("Ctrl+Z"),
                    )
                    .clicked()
                {
                    self.undo();
                    ui.close();
                }
                let redo_text = self
                    .doc()
                    .redo_summary()
                    .map_or("Redo".to_string(), |s| format!("Redo {s}"));
                if ui
                    .add_enabled(
                        self.session.doc().can_redo(),
                        egui::Button::new(redo_text).shortcut_text("Ctrl+Y"),
                    )
                    .clicked()
                {
                    self.redo();
                    ui.close();
                }
                ui.separator();
                if ui
                    .add(egui::Button::new("Select all").shortcut_text("Ctrl+A"))
                    .clicked()
                {
                    self.select_all();
                    ui.close();
                }
            });
            ui.menu_button("View", |ui| {
                if ui.checkbox(&mut self.dark, "Dark theme").changed() {
                    ui.ctx().set_theme(if self.dark {
                        egui::Theme::Dark
                    } else {
                        egui::Theme::Light
                    });
                }
                ui.checkbox(&mut self.show_warnings, "Warnings panel");
                ui.checkbox(&mut self.read_only, "Read-only");
                ui.separator();
                let zoom = ui.ctx().zoom_factor();
                if ui.button("Zoom in").clicked() {
                    ui.ctx().set_zoom_factor((zoom + 0.1).min(2.0));
                }
                if ui.button("Zoom out").clicked() {
                    ui.ctx().set_zoom_factor((zoom - 0.1).max(0.6));
                }
                if ui.button("Actual size (100 %)").clicked() {
                    ui.ctx().set_zoom_factor(1.0);
                }
                if ui.button("150 %").clicked() {
                    ui.ctx().set_zoom_factor(1.5);
                }
            });
            ui.menu_button("Help", |ui| {
                if ui.button("About").clicked() {
                    self.dialog = Some(Dialog::About);
                    ui.close();
                }
            });
        });
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
        item(ui, Nav::ChangeLog, "Change Log");
        ui.add_space(8.0);
        ui.checkbox(&mut self.show_warnings, "Show Warnings panel");
    }

    fn status_bar(&self, ui: &mut egui::Ui, enforcement: &crate::core::enforcement::Status) {
        let today = self.today();
        let license = self.session.doc().license();
        ui.horizontal(|ui| {
            let f = &license.file;
            ui.label(format!("{} {} · {}", f.product, f.product_version, f.level.label()));
            ui.separator();
            match &license.signature {
                SignatureStatus::Valid(_) if license.signature.is_demo() => {
                    ui.colored_label(widgets::WARNING_AMBER, "Signature valid · DEMO");
                }
                SignatureStatus::Valid(issuer) => {
                    ui.label(format!("Signature valid · {}", issuer.name()));
                }
                SignatureStatus::Unsigned => {
                    ui.colored_label(widgets::ERROR_RED, "UNSIGNED");
                }
            }
            ui.separator();
            if license.is_perpetual() {
                ui.label("perpetual");
            } else if license.is_expired(today) {
                ui.colored_label(widgets::ERROR_RED, format!("expired on {}", f.expires));
            } else {
                ui.label(format!("{} days to expiry", license.days_to_expiry(today)));
            }
            ui.separator();
            let (e, w, _) = self.session.doc().engine().totals();
            let err_color = if e > 0 {
                widgets::ERROR_RED
            } else {
                ui.visuals().text_color()
            };
            ui.colored_label(err_color, format!("{e} errors"));
            ui.label(format!("{w} warnings"));
            if enforcement.applicable {
                ui.separator();
                widgets::dot(ui, views::enforcement::stage_color(enforcement));
                ui.label(views::enforcement::status_words(enforcement, self.clock.now()));
            }
            if let Some(why) = self.allocation_locked() {
                ui.separator();
                ui.colored_label(
                    widgets::ERROR_RED,
                    if self.read_only {
                        "Read-only"
                    } else {
                        "Allocation read-only (stage 6)"
                    },
                )
                .on_hover_text(why);
            }
            if let Some((ok, msg)) = &self.status_message {
                ui.separator();
                if *ok {
                    ui.label(msg);
                } else {
                    ui.colored_label(widgets::ERROR_RED, msg);
                }
            }
        });
    }

    fn dialogs(&mut self, ctx: &egui::Context) {
        let locked = self.allocation_locked().is_some();
        let Some(mut dialog) = self.dialog.take() else { return };
        let outcome = match &mut dialog {
            Dialog::User(d) => d.show(ctx, self.session.doc(), locked),
            Dialog::Station(d) => d.show(ctx, self.session.doc(), locked),
            Dialog::License(d) => d.show(ctx, self.session.doc(), locked),
            Dialog::Bulk(d) => d.show(ctx, self.session.doc_mut()),
            Dialog::ConfirmRemove(kind, ids) => confirm_remove(ctx, *kind, ids),
            Dialog::Compare(d) => match d.show(ctx) {
                dialogs::compare::Choice::Keep => Outcome::Keep,
                dialogs::compare::Choice::Cancel => Outcome::Close,
                dialogs::compare::Choice::Load => {
                    self.load_license_now(d.path.clone(), d.license.clone());
                    Outcome::Close
                }
            },
            Dialog::About => self.about(ctx),
        };
        match outcome {
            Outcome::Keep => self.dialog = Some(dialog),
            Outcome::Close => {}
            Outcome::Apply(command) => {
                let command = *command;
                let needs_bs_notice = matches!(&command, Command::UpdateStation { station }
                    if station.enabled && !station.licenses.contains(crate::core::catalog::BASIC_STATION));
                let result = self.apply(command);
                match (&mut dialog, result) {
                    // License Configuration stays open to add or remove more.
                    (Dialog::License(d), r) => {
                        d.message = r.err();
                        self.dialog = Some(dialog);
                    }
                    (_, Ok(())) => {
                        if needs_bs_notice {
                            self.notice = Some(dialogs::station::NEEDS_BASIC_STATION.to_string());
                        }
                    }
                    (_, Err(why)) => {
                        self.error = Some(ErrorModal {
                            title: "Not allowed".into(),
                            message: why,
                        });
                        self.dialog = Some(dialog);
                    }
                }
            }
        }
    }

    fn about(&self, ctx: &egui::Context) -> Outcome {
        let mut outcome = Outcome::Keep;
        let license = self.session.doc().license();
        egui::Modal::new(egui::Id::unique("about")).show(ctx, |ui| {
            ui.heading("About ia-licensing");
            ui.label(format!("Version {}", env!("CARGO_PKG_VERSION")));
            ui.label("License Management for Genesys PureConnect (CIC), as in Interaction Administrator.");
            ui.separator();
            ui.label(format!(
                "License: {} {} ({})",
                license.file.product,
                license.file.product_version,
                license.file.level.label()
            ));
            ui.label(match &license.signature {
                SignatureStatus::Valid(i) if license.signature.is_demo() => {
                    format!("Signature valid, issuer key {} (DEMO)", i.name())
                }
                SignatureStatus::Valid(i) => format!("Signature valid, issuer key {}", i.name()),
                SignatureStatus::Unsigned => "UNSIGNED (training mode)".to_string(),
            });
            ui.label(if license.is_perpetual() {
                "Perpetual".to_string()
            } else {
                format!("Expires {}", license.file.expires)
            });
            if ui.button("Close").clicked() {
                outcome = Outcome::Close;
            }
        });
        outcome
    }

    fn overwrite_dialog(&mut self, ctx: &egui::Context) {
        let Some(path) = self.overwrite_prompt.clone() else {
            return;
        };
        let mut choice = None;
        egui::Modal::new(egui::Id::unique("overwrite")).show(ctx, |ui| {
            ui.heading("The file changed on disk");
            ui.label(format!(
                "{} was changed by another program or administrator since you opened it. Overwrite it with your version? \
                 (Save As… keeps both.)",
                path.display()
            ));
            ui.horizontal(|ui| {
                if ui.button("Overwrite").clicked() {
                    choice = Some(true);
                }
                if ui.button("Cancel").clicked() {
                    choice = Some(false);
                }
            });
        });
        if let Some(overwrite) = choice {
            self.overwrite_prompt = None;
            if overwrite && Target::File(path) == *self.session.target() {
                self.save_with(true);
            }
        }
    }

    fn recovery_dialog(&mut self, ctx: &egui::Context) {
        let Some(rec) = &self.recovery else { return };
        let mut choice = None;
        egui::Modal::new(egui::Id::unique("recovery")).show(ctx, |ui| {
            ui.heading("Recover unsaved changes?");
            let what = rec
                .workspace_path()
                .map_or("the demo workspace".to_string(), |p| p.display().to_string());
            let n = rec.unsaved_steps();
            ui.label(format!(
                "ia-licensing did not close normally. {n} unsaved {} to {what}, made since {}, can be restored.",
                plural(n, "change"),
                rec.header.started.format("%Y-%m-%d %H:%M UTC")
            ));
            if let Some(changed) = &self.license_changed {
                ui.colored_label(widgets::ERROR_RED, format!("{changed}."));
                ui.label("Restore against the current license, or put the previous license file back and restart.");
            }
            ui.horizontal(|ui| {
                if ui.button("Restore").clicked() {
                    choice = Some(true);
                }
                if ui.button("Discard").clicked() {
                    choice = Some(false);
                }
            });
        });
        match choice {
            Some(true) => {
                let accept = self.license_changed.take().is_some();
                self.restore_recovery_with(accept);
            }
            Some(false) => self.discard_recovery(),
            None => {}
        }
    }

    fn pending_dialog(&mut self, ctx: &egui::Context) {
        let Some(pending) = self.pending.clone() else { return };
        let mut choice = None;
        egui::Modal::new(egui::Id::unique("unsaved")).show(ctx, |ui| {
            ui.heading("Unsaved changes");
            ui.label(format!("Save the changes to {} first?", self.workspace_name()));
            ui.horizontal(|ui| {
                if ui.button("Save").clicked() {
                    choice = Some(0);
                }
                if ui.button("Don't Save").clicked() {
                    choice = Some(1);
                }
                if ui.button("Cancel").clicked() {
                    choice = Some(2);
                }
            });
        });
        let proceed = match choice {
            None => return,
            Some(0) => self.save() && !self.dirty(),
            Some(1) => {
                // Changes deliberately dropped: nothing to recover.
                self.session.discard_unsaved();
                true
            }
            _ => false,
        };
        self.pending = None;
        if proceed {
            match pending {
                Pending::Quit => {
                    self.allow_close = true;
                    ctx.send_viewport_cmd(egui::ViewportCommand::Close);
                }
                Pending::OpenWorkspace(path) => self.open_workspace_now(path),
            }
        }
    }

    fn open_dialog(&mut self, ctx: &egui::Context) {
        let Some(mut prompt) = self.open_prompt.take() else {
            return;
        };
        let mut keep = true;
        let mut chosen = None;
        let mut browse = false;
        egui::Modal::new(egui::Id::unique("open-file")).show(ctx, |ui| {
            ui.heading(prompt.kind.title());
            let label = ui.label("File path:");
            let edit = ui
                .add(
                    egui::TextEdit::singleline(&mut prompt.path)
                        .desired_width(420.0)
                        .hint_text(prompt.kind.hint()),
                )
                .labelled_by(label.id);
            let typed = !prompt.path.trim().is_empty();
            if edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) && typed {
                chosen = Some(PathBuf::from(prompt.path.trim()));
            }
            ui.horizontal(|ui| {
                browse = ui.button("Browse…").clicked();
                let verb = if prompt.kind.saves() { "Save" } else { "Open" };
                if ui.add_enabled(typed, egui::Button::new(verb)).clicked() {
                    chosen = Some(PathBuf::from(prompt.path.trim()));
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
        if let Some(p) = chosen {
            self.open_file(prompt.kind, p);
            keep = false;
        }
        if keep {
            self.open_prompt = Some(prompt);
        }
    }

    fn error_modal(&mut self, ctx: &egui::Context) {
        if let Some(err) = &self.error {
            let mut close = false;
            egui::Modal::new(egui::Id::unique("error")).show(ctx, |ui| {
                ui.set_max_width(640.0);
                ui.heading(&err.title);
                ui.label(&err.message);
                if ui.button("OK").clicked() {
                    close = true;
                }
            });
            if close {
                self.error = None;
            }
        } else if let Some(notice) = &self.notice {
            let mut close = false;
            egui::Modal::new(egui::Id::unique("notice")).show(ctx, |ui| {
                ui.heading("Interaction Administrator");
                ui.label(notice);
                if ui.button("OK").clicked() {
                    close = true;
                }
            });
            if close {
                self.notice = None;
            }
        }
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
}

impl eframe::App for App {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.zoom = ui.ctx().zoom_factor();
        self.show(ui);
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

/// "Remove 3 users: …? You can undo this." for users, stations or workgroups.
fn confirm_remove(ctx: &egui::Context, kind: SubjectKind, ids: &[String]) -> Outcome {
    let (one, many, released) = match kind {
        SubjectKind::Station => ("station", "stations", "Their licenses are released."),
        SubjectKind::Workgroup => ("workgroup", "workgroups", "Their members stay, without them."),
        _ => ("user", "users", "Their licenses are released."),
    };
    let mut outcome = Outcome::Keep;
    egui::Modal::new(egui::Id::unique("confirm-remove")).show(ctx, |ui| {
        let noun = if ids.len() == 1 { one } else { many };
        ui.heading(format!("Remove {many}"));
        let names = if ids.len() <= 5 {
            ids.join(", ")
        } else {
            format!("{} and {} more", ids[..5].join(", "), ids.len() - 5)
        };
        ui.label(format!(
            "Remove {} {noun}: {names}? {released} You can undo this.",
            ids.len()
        ));
        ui.horizontal(|ui| {
            if ui.button("Remove").clicked() || ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                let commands = ids
                    .iter()
                    .map(|id| match kind {
                        SubjectKind::Station => Command::RemoveStation { id: id.clone() },
                        SubjectKind::Workgroup => Command::RemoveWorkgroup { name: id.clone() },
                        _ => Command::RemoveUser { id: id.clone() },
                    })
                    .collect();
                outcome = Outcome::Apply(Box::new(Command::Batch { commands }));
            }
            if ui.button("Cancel").clicked() || ui.input(|i| i.key_pressed(egui::Key::Escape)) {
                outcome = Outcome::Close;
            }
        });
    });
    outcome
}

fn demo_banner(ui: &mut egui::Ui) {
    egui::Frame::new()
        .fill(if ui.visuals().dark_mode { egui::Color32::from_rgb(0x4A, 0x3C, 0x10) } else { egui::Color32::from_rgb(0xFF, 0xF4, 0xCE) })
        .inner_margin(egui::Margin::same(8))
        .corner_radius(4.0)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.label(
                "Demo data: the built-in demo license (signed with the public demo key, DEMO) and demo workspace. \
                 Open your own with File › Open License… / Open Workspace…, by dropping a file on the window, or with `ia-licensing gui FILE`.",
            );
        });
    ui.add_space(6.0);
}

/// A file's modification time and size, to notice changes by others.
/// "1 change", "2 changes".
fn plural(n: usize, word: &str) -> String {
    if n == 1 { word.to_string() } else { format!("{word}s") }
}

/// The embedded demo license, verified like any other file.
pub fn load_demo_license(trust: &TrustStore) -> License {
    crate::core::demo::demo_license(trust).unwrap_or_else(|e| panic!("the embedded demo license is broken: {e}"))
}
