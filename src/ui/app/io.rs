//! Opening, saving, importing and exporting files, and background loads.

use super::*;
use crate::ui::simulation::Simulation;

impl App {
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
                self.open_modal(Modal::Dialog(Dialog::Compare(Box::new(dialog))));
            }
            Err(refusal) => self.refused_license(&path, &refusal),
        }
    }

    /// A refused license file: the reason, and the reassurance that nothing changed.
    pub(super) fn refused_license(&mut self, path: &Path, refusal: &crate::core::license::Refusal) {
        self.open_modal(Modal::Error(ErrorModal {
            title: "License file refused".into(),
            message: format!(
                "{}\n\n{refusal}\n\nThe previously loaded license and workspace are unchanged.",
                path.display()
            ),
        }));
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
    pub(super) fn load_license_now(&mut self, path: PathBuf, license: Arc<License>) {
        self.poll_recording(true);
        let name = path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        let source = LicenseSource::File {
            path: crate::core::fs::canonical(&path),
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
        self.start_demo_clock();
    }

    /// A demo virtual-cloud license on the real clock would open years past
    /// its ramp date, in the unlicensed stage, behind a blocking warning.
    /// Trainers get the simulated clock on the ramp date instead (full
    /// function), to move forward in Cloud Enforcement.
    pub(super) fn start_demo_clock(&mut self) {
        use crate::core::enforcement::{SimClock, Terms, midnight};
        let license = self.session.doc().license();
        let Some(terms) = Terms::of(license) else { return };
        if !license.signature.is_demo() || !matches!(self.clock, views::enforcement::Clock::Real) {
            return;
        }
        if self.enforcement().stage < 3 {
            return;
        }
        self.clock = views::enforcement::Clock::Simulated(SimClock::new(midnight(terms.ramp_date)));
        self.status_message = Some((
            true,
            format!(
                "Demo license: the simulated clock starts on its ramp date, {}; move it in Cloud Enforcement",
                terms.ramp_date
            ),
        ));
    }

    /// Opens a workspace file; asks first when there are unsaved changes; a
    /// refused file leaves the open one untouched.
    pub fn open_workspace(&mut self, path: PathBuf) {
        if self.dirty() {
            self.open_modal(Modal::Unsaved(Pending::OpenWorkspace(path)));
            return;
        }
        self.open_workspace_now(path);
    }

    /// Starts loading a workspace on a worker thread; `poll_loading` puts
    /// it in place when it is ready (the open one stays until then).
    pub(super) fn open_workspace_now(&mut self, path: PathBuf) {
        if let Some(job) = self.loading.take() {
            job.progress.cancel();
        }
        let doc = self.session.doc();
        self.loading = Some(loading::Job::spawn(path, doc.license().clone(), doc.today()));
    }

    /// Installs a finished load, or reports why it failed.
    pub(super) fn poll_loading(&mut self) {
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

    pub(super) fn finish_loading(&mut self, path: PathBuf, result: Result<loading::Loaded, loading::Failure>) {
        match result {
            Ok(loaded) => {
                let today = self.session.doc().today();
                let license_source = self.session.license_source().clone();
                let opened = self.session.reopen(
                    |doc| doc.set_prepared(loaded.workspace, loaded.engine, &loaded.license, today),
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
                self.open_modal(Modal::Error(ErrorModal {
                    title: "Workspace file refused".into(),
                    message: format!("{}\n\n{e}\n\nThe open workspace is unchanged.", path.display()),
                }));
            }
        }
    }

    /// The progress window of a load, with Cancel.
    pub(super) fn loading_dialog(&mut self, ctx: &egui::Context) {
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
                heading: widgets::file_heading("Opening", &job.path),
                detail,
                fraction: job.progress.fraction(),
                started: job.started,
                note: if self.nothing_open() {
                    // At start-up with a workspace given: an empty window
                    // waits for it, there is nothing open to keep.
                    "the workspace is shown once it is read"
                } else {
                    "the open workspace stays as it is until this finishes"
                },
            },
        );
        if cancel && let Some(job) = self.loading.take() {
            job.progress.cancel();
            self.finish_loading(job.path, Err(loading::Failure::Cancelled));
        }
    }

    pub(super) fn load_media_servers(&mut self) {
        if let Target::File(path) = self.session.target()
            && !self.session.doc().workspace().media_servers.is_empty()
        {
            let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
            let opts = LoadOptions {
                trust: &self.trust,
                allow_unsigned: self.allow_unsigned,
            };
            let media = crate::core::license::media_server_statuses(self.session.doc().workspace(), &dir, opts);
            self.session.set_media_servers(media);
        }
    }

    /// Saves to the workspace's file (Save As… for the demo).
    pub fn save(&mut self) -> bool {
        self.save_with(false)
    }

    /// Saves; `overwrite` replaces a file changed on disk since it was
    /// opened (asked first).
    pub(super) fn save_with(&mut self, overwrite: bool) -> bool {
        self.poll_recording(true);
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
                self.open_modal(Modal::Overwrite(path));
                false
            }
            Err(e) => {
                self.save_failed(&e);
                false
            }
        }
    }

    pub(super) fn save_to(&mut self, path: PathBuf) -> bool {
        self.poll_recording(true);
        match self.session.save_as(&path, self.clock.now()) {
            Ok(()) => {
                self.saved(&path);
                if let Some(pending) = self.after_save.take() {
                    self.continue_pending(pending);
                }
                true
            }
            Err(e) => {
                self.save_failed(&e);
                false
            }
        }
    }

    pub(super) fn saved(&mut self, path: &Path) {
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

    pub(super) fn save_failed(&mut self, e: &SaveError) {
        self.open_modal(Modal::Error(ErrorModal {
            title: "Save failed".into(),
            message: format!("{e}\n\nYour changes are still open; save them somewhere else with File › Save As…"),
        }));
    }

    pub fn open_file(&mut self, kind: FileKind, path: PathBuf) {
        if kind.saves()
            && let Err(e) = self.check_output(kind, &path)
        {
            self.open_modal(Modal::Error(ErrorModal {
                title: format!("{} refused", kind.title()),
                message: e.to_string(),
            }));
            return;
        }
        match kind {
            FileKind::License => self.open_license(path),
            FileKind::Workspace => self.open_workspace(path),
            FileKind::SaveWorkspaceAs => {
                self.save_to(path);
            }
            FileKind::ImportCsv(table) => self.import_csv(table, &path),
            FileKind::Events => self.open_events(&path),
            FileKind::Account => match self.views.account_view.open_path(&path, &self.trust) {
                Ok(()) => {
                    self.nav = Nav::Account;
                    self.status_message = Some((true, format!("Opened account {}", path.display())));
                }
                Err(e) => self.open_modal(Modal::Error(ErrorModal {
                    title: "Cannot open the account".into(),
                    message: e.to_string(),
                })),
            },
            FileKind::CompareLicense => self.open_license_with(path, true),
            FileKind::Export(report, format) => self.export(report, format, &path),
            FileKind::ExportReport => self.export_report(&path),
        }
    }

    /// An output chosen in a file dialog may not be a file the app has
    /// open (the license, the workspace — except Save As over itself —,
    /// the account or its signing key) nor an issuer secret key.
    pub(super) fn check_output(&self, kind: FileKind, path: &Path) -> Result<(), crate::core::fs::FileError> {
        let mut inputs = self.session.inputs();
        if matches!(kind, FileKind::SaveWorkspaceAs)
            && let crate::core::editing::Target::File(own) = self.session.target()
        {
            inputs.retain(|p| p != own);
        }
        if let Some(open) = &self.views.account_view.open {
            inputs.push(open.path.clone());
        }
        let key = self.views.account_view.sign_key.trim();
        if !key.is_empty() {
            inputs.push(PathBuf::from(key));
        }
        let refs: Vec<&Path> = inputs.iter().map(PathBuf::as_path).collect();
        crate::core::fs::check_output(path, &refs)?;
        crate::core::companions::check_output(path, &self.kept_files(), &[])
    }

    /// The files what is open keeps beside it, existing or not: its usage
    /// history (with its lock, backup and side files) and its recovery
    /// journal (with its lock). No export or Save As may be one of them.
    pub(super) fn kept_files(&self) -> Vec<crate::core::companions::Companion> {
        use crate::core::companions;
        let name = match self.session.target() {
            crate::core::editing::Target::File(p) => p.display().to_string(),
            _ => "the open workspace".to_string(),
        };
        let mut kept = Vec::new();
        if let Some(h) = super::history_path(self.session.target(), self.data_dir.as_deref()) {
            kept.extend(companions::of_history(&h, &name));
        }
        if let Some(j) = self.session.journal_path() {
            kept.extend(companions::of_journal(j, &name));
        }
        kept
    }

    /// Loads a built-in trainer scenario: its license, workspace and events.
    pub fn load_scenario(&mut self, index: usize) {
        if crate::ui::simulation::SCENARIOS.get(index).is_none() {
            return;
        }
        // Read-only, a scenario opens in place of the open files and stays
        // read-only: it is built in, nothing of it is ever saved.
        if self.dirty() {
            self.open_modal(Modal::Unsaved(Pending::LoadScenario(index)));
            return;
        }
        self.load_scenario_now(index);
    }

    /// Loads a scenario, replacing the open license and workspace.
    pub(super) fn load_scenario_now(&mut self, index: usize) {
        let Some((name, license, workspace, events)) = crate::ui::simulation::SCENARIOS.get(index) else {
            return;
        };
        let opts = LoadOptions {
            trust: &self.trust,
            allow_unsigned: self.allow_unsigned,
        };
        let loaded = (|| -> Result<_, ScenarioError> {
            let license = License::load_bytes(license, opts)?;
            let ws = Workspace::from_json(workspace)?;
            let events = crate::core::replay::parse_events(events)?;
            Ok((license, ws, events))
        })();
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
                let mut sim = Simulation::new(name.to_string(), events);
                sim.limits = self.limits.clone();
                self.simulation = Some(sim);
                self.nav = Nav::LicenseStatistics;
                self.opened(opened);
                // A virtual-cloud scenario is about the enforcement stages:
                // it opens there, on the simulated clock at its ramp date.
                if crate::core::enforcement::Terms::of(self.session.doc().license()).is_some() {
                    self.clock = Default::default();
                    self.start_demo_clock();
                    self.nav = Nav::CloudEnforcement;
                }
            }
            Err(e) => self.open_modal(Modal::Error(ErrorModal {
                title: "Scenario refused".into(),
                message: e.to_string(),
            })),
        }
    }

    pub fn prompt_open(&mut self, kind: FileKind) {
        // A Browse… that returned nothing belongs to the prompt it was
        // pressed in, not to this new one.
        self.picker_returned_nothing = false;
        self.open_modal(Modal::Path(OpenPrompt {
            kind,
            path: String::new(),
        }));
    }

    pub(super) fn start_browse(&mut self, ctx: &egui::Context, kind: FileKind) {
        // The dialog runs off the UI thread (it blocks). Where no desktop
        // portal exists it returns nothing and the path field stays.
        self.picker = Some((kind, files::start(ctx, kind.pick())));
    }

    pub(super) fn poll_picker(&mut self) {
        if let Some((kind, rx)) = &self.picker {
            let kind = *kind;
            match rx.try_recv() {
                Ok(Some(path)) => {
                    self.picker = None;
                    self.modals.retain(|m| !matches!(m, Modal::Path(_)));
                    self.open_file(kind, path);
                }
                Ok(None) | Err(mpsc::TryRecvError::Disconnected) => {
                    self.picker = None;
                    self.picker_returned_nothing = true;
                }
                Err(mpsc::TryRecvError::Empty) => {}
            }
        }
    }
}

/// Why a built-in scenario would not load (its license, workspace or
/// events refused: a trust store without the demo key, a build gone wrong).
#[derive(Debug, thiserror::Error)]
enum ScenarioError {
    #[error(transparent)]
    License(#[from] crate::core::license::Refusal),
    #[error(transparent)]
    Workspace(#[from] crate::core::workspace::LoadError),
    #[error(transparent)]
    Events(#[from] crate::core::replay::EventsError),
}
