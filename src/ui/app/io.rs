//! Opening, saving, importing and exporting files, and background loads.

use super::*;
use crate::ui::job::Poll;
use crate::ui::simulation::{DocStamp, Simulation};

/// What the progress window says while an events file is read.
const READING_EVENTS: &str = "Reading the events";

/// Why an events file could not be read, in words.
fn events_refusal(path: &Path, e: crate::core::replay::ReadError) -> String {
    use crate::core::replay::ReadError;
    match e {
        ReadError::File(e) => String::from(e),
        ReadError::NotUtf8 => format!("{} is not UTF-8 text", path.display()),
        ReadError::Events(e) => String::from(e),
        ReadError::Cancelled => "the reading was stopped".to_string(),
    }
}

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
                note: "the open workspace stays as it is until this finishes",
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
            self.session.doc_mut().set_media_servers(media);
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
                Err(message) => self.open_modal(Modal::Error(ErrorModal {
                    title: "Cannot open the account".into(),
                    message,
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

    /// Loads an events script for the Simulation panel: a small file at
    /// once, a larger one on a worker (read, then replayed) behind a
    /// progress window with Cancel; the events loaded before stay until
    /// the new ones are ready.
    pub fn open_events(&mut self, path: &Path) {
        let name = path
            .file_name()
            .map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
        let size = crate::core::fs::size_of(path);
        if size > self.limits.event_bytes {
            self.events_job = None;
            let doc = self.session.doc();
            let (license, ws, stamp) = (doc.license().clone(), doc.snapshot(), DocStamp::of(doc));
            let (file, limits) = (path.to_path_buf(), self.limits.clone());
            let job = self.limits.spawn("open events", move |p| {
                let mut events = Vec::new();
                let read = crate::core::replay::read_file(
                    &file,
                    &mut |done, size| {
                        p.stage_begins(READING_EVENTS, size as usize);
                        p.advance(done as usize)
                    },
                    &mut events,
                );
                let stats = match read {
                    Err(crate::core::replay::ReadError::Cancelled) => return None,
                    Err(e) => return Some(Err(events_refusal(&file, e))),
                    Ok(stats) => stats,
                };
                let note = stats.note(&name);
                let mut sim = Simulation::replayed(name, events, &license, &ws, stamp, p)?;
                sim.limits = limits;
                Some(Ok((Box::new(sim), note)))
            });
            self.events_job = Some(EventsJob {
                path: path.to_path_buf(),
                job,
            });
            return;
        }
        // Read event by event into the list the simulation steps through
        // (not the file's text and then the list).
        match crate::core::replay::load_file(path) {
            Ok((events, stats)) => {
                let mut sim = Simulation::new(name.clone(), events);
                sim.limits = self.limits.clone();
                self.events_loaded(Box::new(sim), stats.note(&name));
            }
            Err(e) => self.events_refused(path, events_refusal(path, e)),
        }
    }

    /// An events script is ready: the Simulation panel plays it.
    fn events_loaded(&mut self, sim: Box<Simulation>, note: Option<String>) {
        // Said when the file was out of time order (read whole and sorted).
        if let Some(note) = note {
            self.status_message = Some((true, note));
        }
        self.simulation = Some(*sim);
        self.nav = Nav::LicenseStatistics;
    }

    fn events_refused(&mut self, path: &Path, why: String) {
        self.open_modal(Modal::Error(ErrorModal {
            title: "Events file refused".into(),
            message: format!(
                "{}\n\n{why}\n\nHelp › Events files describes the format.",
                path.display()
            ),
        }));
    }

    /// Puts an events file read on a worker in place, or says why not.
    pub(super) fn poll_events_job(&mut self) {
        let Some(open) = &mut self.events_job else { return };
        let answer = match open.job.poll() {
            Poll::Running => return,
            Poll::Done(answer) => Some(answer),
            Poll::Gone => None,
        };
        let Some(open) = self.events_job.take() else { return };
        match answer {
            Some(Ok((sim, note))) => self.events_loaded(sim, note),
            Some(Err(why)) => self.events_refused(&open.path, why),
            None => self.events_cancelled(&open.path),
        }
    }

    fn events_cancelled(&mut self, path: &Path) {
        let kept = if self.simulation.is_some() {
            "the events loaded before are unchanged"
        } else {
            "no events are loaded"
        };
        self.status_message = Some((true, format!("Opening {} was cancelled; {kept}", path.display())));
    }

    /// Waits for an events file being read on a worker and puts it in
    /// place (tests; the window polls).
    pub fn wait_for_events(&mut self) {
        if let Some(open) = &mut self.events_job
            && let Some(answer) = open.job.wait()
        {
            let path = open.path.clone();
            self.events_job = None;
            match answer {
                Ok((sim, note)) => self.events_loaded(sim, note),
                Err(why) => self.events_refused(&path, why),
            }
        }
    }

    /// Is an events file being read (or replayed) on a worker?
    pub fn is_opening_events(&self) -> bool {
        self.events_job.is_some()
    }

    /// The progress window of an events file being opened, with Cancel.
    pub(super) fn events_dialog(&mut self, ctx: &egui::Context) {
        let Some(open) = &self.events_job else { return };
        ctx.request_repaint_after(std::time::Duration::from_millis(50));
        let progress = &open.job.progress;
        let detail = match progress.stage() {
            READING_EVENTS => {
                let (done, size) = progress.counts();
                format!(
                    "{READING_EVENTS}: {:.1} of {:.1} MB",
                    done as f64 / 1e6,
                    size as f64 / 1e6
                )
            }
            "" => format!("{READING_EVENTS}…"),
            stage => format!("{stage}: {:.0} %", progress.fraction() * 100.0),
        };
        // Reading is the first half, the replay the second.
        let fraction = match progress.stage() {
            READING_EVENTS | "" => 0.5 * progress.fraction(),
            _ => 0.5 + 0.5 * progress.fraction(),
        };
        let cancel = widgets::progress_window(
            ctx,
            "opening-events",
            widgets::Progress {
                heading: widgets::file_heading("Opening", &open.path),
                detail,
                fraction,
                started: open.job.started,
                note: "the events loaded before stay until this finishes",
            },
        );
        if cancel && let Some(open) = self.events_job.take() {
            // Dropping the job stops the worker at its next check.
            drop(open.job);
            self.events_cancelled(&open.path);
        }
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
        let loaded = License::load_bytes(license, opts)
            .map_err(|e| e.to_string())
            .and_then(|l| {
                Workspace::from_json(workspace)
                    .map(|w| (l, w))
                    .map_err(|e| e.to_string())
            })
            .and_then(|(l, w)| {
                crate::core::replay::parse_events(events)
                    .map(|e| (l, w, e))
                    .map_err(String::from)
            });
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
                message: e,
            })),
        }
    }

    /// Starts a CSV import (read on a worker, applied over a few frames).
    pub(super) fn import_csv(&mut self, table: Table, path: &Path) {
        if self.refuse_if_locked() {
            return;
        }
        if let Some(old) = self.importing.take() {
            old.cancel(self.session.doc_mut());
        }
        self.importing = Some(Import::start(table, path.to_path_buf()));
    }

    /// Advances an import by one frame's worth of rows.
    pub(super) fn step_import(&mut self) {
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
        self.poll_recording(true);
    }

    /// Is a CSV import running (or its journal line being made)?
    pub fn is_importing(&self) -> bool {
        self.importing.is_some() || self.recording.is_some()
    }

    /// Writes a finished import's journal line once the worker has made it
    /// (`wait`: block until it has, for tests and quitting).
    pub(super) fn poll_recording(&mut self, wait: bool) {
        let Some(rec) = &self.recording else { return };
        let line = if wait {
            rec.rx.recv().map_err(|_| mpsc::TryRecvError::Disconnected)
        } else {
            rec.rx.try_recv()
        };
        let result = match line {
            Err(mpsc::TryRecvError::Empty) => return,
            Err(mpsc::TryRecvError::Disconnected) => Err("the journal worker stopped".to_string()),
            Ok(Err(e)) => Err(e),
            Ok(Ok(line)) => self.session.record_commit_line(&line).map_err(|e| e.to_string()),
        };
        let Some(rec) = self.recording.take() else { return };
        self.status_message = Some(match result {
            Ok(()) => (true, rec.done),
            Err(e) => (false, format!("{}: {e}", rec.what)),
        });
    }

    /// Journals a change committed on the document (an import, a change
    /// applied in slices): the line is made on a worker, written once ready
    /// (edits wait meanwhile); `done` goes to the status bar then.
    pub(super) fn record_on_worker(&mut self, command: Arc<Command>, done: String, what: String) {
        if !self.session.has_journal() {
            // Read-only checks and the taking back happen there too.
            self.status_message = Some(match self.session.record_commit(&command, self.clock.now()) {
                Ok(()) => (true, done),
                Err(e) => (false, format!("{what}: {e}")),
            });
            return;
        }
        let (tx, rx) = mpsc::channel();
        let at = self.clock.now();
        std::thread::spawn(move || {
            let _ = tx.send(crate::core::journal::Journal::apply_line(at, &command));
        });
        self.recording = Some(Recording { rx, done, what });
    }

    pub(super) fn import_finished(&mut self, path: &Path, done: import::Finished) {
        match done {
            import::Finished::Imported { rows, command } => {
                let Some(command) = command else {
                    self.status_message = Some((
                        true,
                        format!(
                            "Imported {} from {}",
                            crate::core::text::count(rows, "row", "rows"),
                            path.display()
                        ),
                    ));
                    return;
                };
                let done = format!(
                    "Imported {} from {}",
                    crate::core::text::count(rows, "row", "rows"),
                    path.display()
                );
                let protecting = self.session.has_journal();
                self.record_on_worker(command, done, format!("Import of {}", path.display()));
                if protecting {
                    self.status_message = Some((
                        true,
                        format!(
                            "Imported {} from {}; protecting them for recovery…",
                            crate::core::text::count(rows, "row", "rows"),
                            path.display()
                        ),
                    ));
                }
            }
            import::Finished::Refused(errors) => {
                let lines: Vec<String> = errors.iter().take(20).map(|e| e.to_string()).collect();
                self.open_modal(Modal::Error(ErrorModal {
                    title: "Import refused".into(),
                    message: format!(
                        "{}; nothing was imported. Fix them and import again.\n\n{}{}",
                        crate::core::text::count(errors.len(), "bad row", "bad rows"),
                        lines.join("\n"),
                        if errors.len() > 20 { "\n…" } else { "" }
                    ),
                }));
            }
            import::Finished::Cancelled => {
                self.status_message = Some((
                    true,
                    format!("Import of {} cancelled; nothing was imported", path.display()),
                ));
            }
            import::Finished::Failed(e) => {
                self.open_modal(Modal::Error(ErrorModal {
                    title: "Import failed".into(),
                    message: e,
                }));
            }
        }
    }

    /// The progress window of an import, with Cancel.
    pub(super) fn import_dialog(&mut self, ctx: &egui::Context) {
        let Some(job) = &self.importing else { return };
        ctx.request_repaint();
        let (what, fraction) = job.progress();
        let cancel = widgets::progress_window(
            ctx,
            "importing-csv",
            widgets::Progress {
                heading: widgets::file_heading("Importing", &job.path),
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
        self.picker = Some((kind, files::start(ctx, files::pick_for(kind))));
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
