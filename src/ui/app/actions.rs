//! Carrying out what views ask for: commands, undo, redo, dialogs, reveal.

use super::*;

/// Why a change was not made (the status bar says it too).
#[derive(Debug, Clone, thiserror::Error)]
pub enum ApplyError {
    /// Editing is locked: read-only, or virtual-cloud stage 6.
    #[error(transparent)]
    Locked(#[from] crate::core::rules::Refusal),
    /// Refused by the rules, or not protected by the journal.
    #[error(transparent)]
    Edit(#[from] EditError),
}

impl App {
    // ---- Commands ----

    pub(super) fn refuse_if_locked(&mut self) -> bool {
        self.session.set_check_ins(self.clock.check_ins());
        if let Some(why) = self.allocation_locked() {
            self.status_message = Some((false, why.to_string()));
            true
        } else {
            false
        }
    }

    /// Applies a command and reports the result in the status bar.
    pub fn apply(&mut self, command: Command) -> Result<(), ApplyError> {
        // A step journalled before the import's own line would be replayed
        // out of order: wait for it (a fraction of a second at most).
        self.poll_recording(true);
        self.session.set_check_ins(self.clock.check_ins());
        if let Some(why) = self.allocation_locked() {
            self.status_message = Some((false, why.to_string()));
            return Err(why.into());
        }
        self.note_action(&command);
        if crate::core::document::size(&command) > self.limits.subjects {
            // A slice per frame, with a progress window and Cancel.
            let at = self.clock.now();
            self.start_run(|s| s.start_run(command, crate::ui::apply_job::SLICE, at).map(Some));
            return Ok(());
        }
        let summary = command.summary();
        match self.session.apply(command, self.clock.now()) {
            Ok(applied) => {
                // Applied in part: the whole of it in front, wrapped, with
                // every refusal (the status bar shows one line).
                if let Some(report) = crate::core::plan::AppliedInPart::of(&summary, &applied) {
                    self.open_modal(Modal::AppliedInPart(Box::new(report)));
                }
                let refused: Vec<&str> = applied.refused().map(|(_, why)| why).collect();
                // A result, in the past tense, naming what changed (the
                // undo step's words: the users who changed, not all asked).
                let step = self.session.doc().undo_summary().filter(|_| applied.changed() > 0);
                let done = crate::core::command::done_words(step.unwrap_or(&summary));
                self.status_message = Some(if refused.is_empty() {
                    (true, done)
                } else {
                    (
                        false,
                        format!(
                            "{done}: {} changed, {} refused ({})",
                            applied.changed(),
                            refused.len(),
                            refused[0]
                        ),
                    )
                });
                Ok(())
            }
            Err(e) => {
                // A refusal says its reason; the rest, what was not made.
                self.status_message = Some((false, e.to_string()));
                Err(e.into())
            }
        }
    }

    pub fn undo(&mut self) {
        if self.refuse_if_locked() {
            return;
        }
        if self.session.doc().undo_size() > self.limits.subjects {
            let at = self.clock.now();
            self.start_run(|s| s.start_undo_run(crate::ui::apply_job::SLICE, at));
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
        if self.session.doc().redo_size() > self.limits.subjects {
            let at = self.clock.now();
            self.start_run(|s| s.start_redo_run(crate::ui::apply_job::SLICE, at));
            return;
        }
        match self.session.redo(self.clock.now()) {
            Ok(Some(s)) => self.status_message = Some((true, format!("Redid: {s}"))),
            Ok(None) => {}
            Err(e) => self.status_message = Some((false, format!("Cannot redo: {e}"))),
        }
    }

    pub(super) fn select_all(&mut self) {
        match self.nav {
            Nav::Users => self.views.users_view.select_all(self.session.doc()),
            Nav::Stations => self.views.stations_view.select_all(self.session.doc()),
            Nav::Workgroups => self.views.workgroups_view.table.select_all(self.session.doc()),
            _ => {}
        }
    }

    /// Carries out what a view asked for.
    pub fn handle(&mut self, action: Action) {
        self.poll_recording(true);
        if !matches!(action, Action::Command(_)) {
            // A command is noted by `apply`, under its own name.
            self.note_action(&action);
        }
        match action {
            Action::Command(c) => {
                let _ = self.apply(*c);
            }
            Action::Confirm(c) => self.confirm(*c, None),
            Action::OpenUser(id) => {
                if let Some(u) = self.session.doc().workspace().user(&id) {
                    self.open_modal(Modal::Dialog(Dialog::User(Box::new(dialogs::user::UserDialog::new(
                        u.clone(),
                    )))));
                }
            }
            Action::OpenStation(id) => {
                if let Some(s) = self.session.doc().workspace().station(&id) {
                    self.open_modal(Modal::Dialog(Dialog::Station(Box::new(
                        dialogs::station::StationDialog::new(s.clone()),
                    ))));
                }
            }
            Action::OpenLicense(key) => {
                self.open_modal(Modal::Dialog(Dialog::License(
                    dialogs::license_config::LicenseConfigDialog::new(key),
                )));
            }
            Action::Bulk { kind, users, stations } => {
                let mut subjects: Vec<Subject> = users.into_iter().map(Subject::user).collect();
                if kind != BulkKind::SetMethod {
                    subjects.extend(stations.into_iter().map(Subject::station));
                }
                self.open_modal(Modal::Dialog(Dialog::Bulk(dialogs::bulk::BulkDialog::new(
                    kind,
                    subjects,
                    self.session.doc(),
                ))));
            }
            Action::ConfirmRemove { kind, ids } => match self.locked_reason() {
                // Delete on a row while editing is locked: said, not silent.
                Some(why) => self.status_message = Some((false, format!("Nothing was removed: {why}"))),
                None => self.open_modal(Modal::Dialog(Dialog::ConfirmRemove(kind, ids))),
            },
            Action::Reveal(subject) => self.reveal(&subject),
            Action::Account(views::account::AccountAction::Open) => self.prompt_open(FileKind::Account),
            Action::Account(views::account::AccountAction::SiteDetails(dialog)) => {
                self.open_modal(Modal::InstallSite(dialog));
            }
            Action::Account(a) => {
                self.change_account(a);
            }
            Action::LoadLicense { compare_only } => self.prompt_open(if compare_only {
                FileKind::CompareLicense
            } else {
                FileKind::License
            }),
            Action::Export(report, format) => self.prompt_open(FileKind::Export(report, format)),
        }
    }

    /// Makes an account change through the Account view (which holds the
    /// open account); says how it went. True when it was made.
    pub(super) fn change_account(&mut self, change: views::account::AccountAction) -> bool {
        if self.read_only() {
            self.status_message = Some((false, "Read-only: the account cannot be changed".into()));
            return false;
        }
        let today = self.today();
        match self.views.account_view.apply(change, today, &self.trust) {
            Ok(m) => {
                if !m.is_empty() {
                    self.status_message = Some((true, m));
                }
                true
            }
            Err(e) => {
                self.open_modal(Modal::Error(ErrorModal {
                    title: "Account".into(),
                    message: e.to_string(),
                }));
                false
            }
        }
    }

    /// Selects and shows a diagnostic's subject.
    pub fn reveal(&mut self, subject: &Subject) {
        match subject.kind {
            SubjectKind::User => {
                self.nav = Nav::Users;
                self.views.users_view.reveal(self.session.doc(), &subject.id);
            }
            SubjectKind::Station => {
                self.nav = Nav::Stations;
                self.views.stations_view.reveal(self.session.doc(), &subject.id);
            }
            SubjectKind::Workgroup => {
                self.nav = Nav::Workgroups;
                self.views.workgroups_view.table.reveal(self.session.doc(), &subject.id);
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

    /// Runs a menu action (from the menu bar or its shortcut).
    pub(super) fn run_command(&mut self, ctx: &egui::Context, command: AppCommand) {
        self.poll_recording(true);
        self.note_action(&command);
        // A shortcut for a command the menu shows off does nothing but say why.
        if command.changes_document()
            && let Some(why) = self.session.read_only()
        {
            self.status_message = Some((false, format!("Read-only: {why}")));
            return;
        }
        let zoom = ctx.zoom_factor();
        match command {
            AppCommand::OpenLicense => self.prompt_open(FileKind::License),
            AppCommand::OpenWorkspace => self.prompt_open(FileKind::Workspace),
            AppCommand::Save => {
                self.save();
            }
            AppCommand::SaveAs => self.prompt_open(FileKind::SaveWorkspaceAs),
            AppCommand::ImportCsv(table) => self.prompt_open(FileKind::ImportCsv(table)),
            AppCommand::ExportCsv(table) => {
                self.prompt_open(FileKind::Export(views::Report::Table(table), views::ExportFormat::Csv))
            }
            AppCommand::ExportExcel(table) => self.prompt_open(FileKind::Export(
                views::Report::Table(table),
                views::ExportFormat::Excel,
            )),
            AppCommand::ExportReport => self.prompt_open(FileKind::ExportReport),
            AppCommand::ImportSite => self.open_modal(Modal::SiteImport(Box::default())),
            AppCommand::OpenEvents => self.prompt_open(FileKind::Events),
            AppCommand::OpenAccount => self.prompt_open(FileKind::Account),
            AppCommand::Quit => self.quit(ctx),
            AppCommand::Undo => self.undo(),
            AppCommand::Redo => self.redo(),
            AppCommand::SelectAll => self.select_all(),
            AppCommand::ZoomIn => ctx.set_zoom_factor((zoom + 0.1).min(2.0)),
            AppCommand::ZoomOut => ctx.set_zoom_factor((zoom - 0.1).max(0.6)),
            AppCommand::ZoomReset => ctx.set_zoom_factor(1.0),
            AppCommand::Zoom150 => ctx.set_zoom_factor(1.5),
            AppCommand::Messages => self.messages.open = true,
            AppCommand::HelpForView => self.help.show_page(self.nav.name()),
            AppCommand::HelpContents => self.help.show_page(crate::core::help::CONTENTS),
            AppCommand::About => self.open_modal(Modal::Dialog(Dialog::About)),
        }
    }
}
