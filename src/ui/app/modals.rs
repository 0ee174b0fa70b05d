//! The dialogs, one at a time like IA's modal dialogs.

use super::*;

impl App {
    /// The one modal handler: shows the dialog or message on top; what it
    /// keeps open goes back under anything it opened itself.
    pub(super) fn show_modals(&mut self, ctx: &egui::Context) {
        self.show_top_modal(ctx);
        // A Save As cancelled: what it would have led to is dropped.
        if self.after_save.is_some()
            && !self
                .modals
                .iter()
                .any(|m| matches!(m, Modal::Path(p) if p.kind == FileKind::SaveWorkspaceAs))
        {
            self.after_save = None;
        }
    }

    fn show_top_modal(&mut self, ctx: &egui::Context) {
        let Some(top) = self.modals.pop() else { return };
        // Escape cancels the dialog or message in front, as on a desktop;
        // only the recovery question waits for an answer (Restore or
        // Discard: neither is safe to assume).
        // An open drop-down list takes Escape itself (closing only the list).
        if !matches!(top, Modal::Recovery(..))
            && !crate::ui::drop_down::list_open(ctx)
            && ctx.input(|i| i.key_pressed(egui::Key::Escape))
        {
            ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Escape));
            match top {
                // Escape is Cancel: a confirmation goes back to where it came from.
                Modal::Dialog(Dialog::Confirm(_, Some(back))) => self.modals.push(Modal::Dialog(*back)),
                // Escape dismisses the warning, as its button does.
                Modal::CloudWarning(warning) => self.cloud_warning_dismissed(&warning),
                _ => {}
            }
            return;
        }
        if self.modal_opened_in == Some(self.pass) {
            // Opened this frame, by a key perhaps: that Enter was the
            // opener's, not this dialog's default button.
            ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Enter));
        }
        crate::ui::widgets::take_enter(ctx);
        let under = self.modals.len();
        let kept = match top {
            Modal::Dialog(dialog) => self.dialog_modal(ctx, dialog),
            Modal::Error(err) => error_modal(ctx, &err).then_some(Modal::Error(err)),
            Modal::Notice(notice) => notice_modal(ctx, &notice).then_some(Modal::Notice(notice)),
            Modal::Unsaved(pending) => self.pending_dialog(ctx, pending),
            Modal::Held(nav, what) => self.held_dialog(ctx, nav, what),
            Modal::Path(prompt) => self.open_dialog(ctx, prompt),
            Modal::Overwrite(path) => self.overwrite_dialog(ctx, path),
            Modal::Recovery(rec, changed) => self.recovery_dialog(ctx, rec, changed),
            Modal::SiteImport(form) => self.site_import_form(ctx, form),
            Modal::SiteReport(out, report) => {
                crate::ui::site_import::report_modal(ctx, &out, &report).then_some(Modal::SiteReport(out, report))
            }
            Modal::AppliedInPart(report) => applied_in_part_modal(ctx, &report).then_some(Modal::AppliedInPart(report)),
            Modal::InstallSite(dialog) => self.install_site_dialog(ctx, dialog),
            Modal::CloudWarning(warning) => self.cloud_warning_dialog(ctx, warning),
        };
        if let Some(modal) = kept {
            self.modals.insert(under, modal);
        }
    }

    fn dialog_modal(&mut self, ctx: &egui::Context, mut dialog: Dialog) -> Option<Modal> {
        let locked = self.allocation_locked().is_some();
        let outcome = match &mut dialog {
            Dialog::User(d) => d.show(ctx, self.session.doc(), locked),
            Dialog::Station(d) => d.show(ctx, self.session.doc(), locked),
            Dialog::License(d) => d.show(ctx, self.session.doc(), locked),
            Dialog::Bulk(d) => d.show(ctx, &mut self.session, &self.limits),
            Dialog::ConfirmRemove(kind, ids) => confirm_remove(ctx, *kind, ids),
            Dialog::Compare(d) => match d.show(ctx) {
                dialogs::compare::Choice::Keep => DialogResult::Keep,
                dialogs::compare::Choice::Cancel => DialogResult::Close,
                dialogs::compare::Choice::Load => {
                    self.load_license_now(d.path.clone(), d.license.clone());
                    DialogResult::Close
                }
            },
            Dialog::About => self.about(ctx),
            Dialog::Confirm(d, _) => d.show(ctx),
        };
        match outcome {
            DialogResult::Keep => Some(Modal::Dialog(dialog)),
            // Cancel on a confirmation goes back to the dialog it came from.
            DialogResult::Close => match dialog {
                Dialog::Confirm(_, back) => back.map(|b| Modal::Dialog(*b)),
                _ => None,
            },
            DialogResult::Confirm(command) => {
                self.confirm(*command, Some(dialog));
                None
            }
            DialogResult::Apply(command) => {
                let command = *command;
                let needs_bs_notice = matches!(&command, Command::UpdateStation { station }
                    if crate::core::rules::needs_basic_station(station));
                let result = self.apply(command);
                match (&mut dialog, result) {
                    // License Configuration stays open to add or remove more.
                    (Dialog::License(d), r) => {
                        d.message = r.err().map(|e| e.to_string());
                        Some(Modal::Dialog(dialog))
                    }
                    (_, Ok(())) => {
                        if needs_bs_notice {
                            self.open_modal(Modal::Notice(crate::core::rules::NEEDS_BASIC_STATION.to_string()));
                        }
                        None
                    }
                    (_, Err(why)) => {
                        // The refusal in front; the dialog stays under it.
                        self.open_modal(Modal::Error(ErrorModal {
                            title: "Not allowed".into(),
                            message: why.to_string(),
                        }));
                        Some(Modal::Dialog(dialog))
                    }
                }
            }
        }
    }

    pub(super) fn about(&self, ctx: &egui::Context) -> DialogResult {
        let mut outcome = DialogResult::Keep;
        let license = self.session.doc().license();
        crate::ui::widgets::modal("about").show(ctx, |ui| {
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
            if let Some(note) = &self.renderer {
                ui.separator();
                ui.label(note.describe());
            }
            if widgets::default_button(ui, true, "Close").clicked() || widgets::enter_pressed(ui) {
                outcome = DialogResult::Close;
            }
        });
        outcome
    }

    fn overwrite_dialog(&mut self, ctx: &egui::Context, path: PathBuf) -> Option<Modal> {
        let mut choice = None;
        crate::ui::widgets::modal("overwrite").show(ctx, |ui| {
            ui.heading("The file changed on disk");
            ui.label(format!(
                "{} was changed by another program or administrator since you opened it. Overwrite it \
                 with your version? (Save As… keeps both.)",
                path.display()
            ));
            ui.horizontal(|ui| {
                if ui.button("Overwrite").clicked() {
                    choice = Some(true);
                }
                // Cancel is the default: Enter never overwrites another's work.
                if widgets::default_button(ui, true, "Cancel").clicked() || widgets::enter_pressed(ui) {
                    choice = Some(false);
                }
            });
        });
        match choice {
            None => Some(Modal::Overwrite(path)),
            Some(overwrite) => {
                if overwrite && Target::File(path) == *self.session.target() {
                    self.save_with(true);
                }
                None
            }
        }
    }

    fn recovery_dialog(&mut self, ctx: &egui::Context, rec: Box<Recovered>, changed: Option<String>) -> Option<Modal> {
        let mut choice = None;
        crate::ui::widgets::modal("recovery").show(ctx, |ui| {
            ui.heading("Recover unsaved changes?");
            let what = rec
                .workspace_path()
                .map_or("the demo workspace".to_string(), |p| p.display().to_string());
            let n = crate::core::text::count(rec.unsaved_steps(), "unsaved change", "unsaved changes");
            ui.label(format!(
                "ia-licensing did not close normally. {n} to {what}, made since {}, can be restored.",
                rec.header.started.format("%Y-%m-%d %H:%M UTC")
            ));
            if let Some(changed) = &changed {
                ui.colored_label(widgets::error_red(ui), format!("{changed}."));
                ui.label("Restore against the current license, or put the previous license file back and restart.");
            }
            recovery_steps(ui, &rec);
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
                let accept = changed.is_some();
                self.restore_recovery_with(rec, accept);
                None
            }
            Some(false) => {
                self.discard_recovery();
                None
            }
            None => Some(Modal::Recovery(rec, changed)),
        }
    }

    fn pending_dialog(&mut self, ctx: &egui::Context, pending: Pending) -> Option<Modal> {
        let mut choice = None;
        crate::ui::widgets::modal("unsaved").show(ctx, |ui| {
            ui.heading("Unsaved changes");
            ui.label(format!("Save the changes to {} first?", self.workspace_name()));
            ui.horizontal(|ui| {
                if ui.button("Save").clicked() {
                    choice = Some(0);
                }
                if ui.button("Don't Save").clicked() {
                    choice = Some(1);
                }
                // Cancel is the default: Enter never writes over work or
                // drops it (docs/help/keyboard.md).
                if widgets::default_button(ui, true, "Cancel").clicked() || widgets::enter_pressed(ui) {
                    choice = Some(2);
                }
            });
        });
        let proceed = match choice {
            None => return Some(Modal::Unsaved(pending)),
            Some(0) => {
                // Goes on once saved (a save on a worker, or Save As first).
                self.save_then(false, Some(pending));
                return None;
            }
            Some(1) => {
                // Changes deliberately dropped: nothing to recover.
                self.session.discard_unsaved();
                true
            }
            _ => false,
        };
        if proceed {
            self.continue_pending(pending);
        }
        None
    }

    /// Changes a view holds outside the document: quit without them, go to
    /// them (to save them to the workspace), or Cancel (Enter, Escape).
    fn held_dialog(&mut self, ctx: &egui::Context, nav: Nav, what: &'static str) -> Option<Modal> {
        let mut choice = None;
        crate::ui::widgets::modal("held-changes").show(ctx, |ui| {
            ui.heading("Changes not saved to the workspace");
            ui.label(what);
            ui.horizontal(|ui| {
                if ui.button("Quit without them").clicked() {
                    choice = Some(0);
                }
                if ui.button(format!("Go to {}", nav.label())).clicked() {
                    choice = Some(1);
                }
                if widgets::default_button(ui, true, "Cancel").clicked() || widgets::enter_pressed(ui) {
                    choice = Some(2);
                }
            });
        });
        match choice {
            None => return Some(Modal::Held(nav, what)),
            Some(0) => {
                self.quit_without_held = true;
                // The unsaved-changes question follows when there are any.
                self.commands.push(AppCommand::Quit);
            }
            Some(1) => self.nav = nav,
            _ => {}
        }
        None
    }

    /// Goes on with what the unsaved-changes dialog held back.
    pub(super) fn continue_pending(&mut self, pending: Pending) {
        match pending {
            Pending::Quit => {
                self.allow_close = true;
                self.commands.push(AppCommand::Quit);
            }
            Pending::OpenWorkspace(path) => self.open_workspace_now(path),
            Pending::LoadScenario(index) => self.load_scenario_now(index),
        }
    }

    fn open_dialog(&mut self, ctx: &egui::Context, mut prompt: OpenPrompt) -> Option<Modal> {
        let mut keep = true;
        let mut chosen = None;
        let mut browse = false;
        crate::ui::widgets::modal("open-file").show(ctx, |ui| {
            ui.heading(prompt.kind.title());
            let label = ui.label("File path:");
            let edit = crate::ui::widgets::field(
                ui,
                egui::TextEdit::singleline(&mut prompt.path)
                    .desired_width(420.0)
                    .hint_text(prompt.kind.hint()),
            )
            .labelled_by(label.id);
            // The path field has the focus when the prompt opens.
            if ui.memory(|m| m.focused().is_none()) {
                edit.request_focus();
            }
            let typed = !prompt.path.trim().is_empty();
            // Enter is the default button, in the field or not: Open / Save
            // with a path, Cancel without one.
            if widgets::enter_pressed(ui) {
                if typed {
                    chosen = Some(PathBuf::from(prompt.path.trim()));
                } else {
                    keep = false;
                }
            }
            ui.horizontal(|ui| {
                browse = ui.button("Browse…").clicked();
                let verb = if prompt.kind.saves() { "Save" } else { "Open" };
                if widgets::dialog_button(ui, typed, typed, verb).clicked() {
                    chosen = Some(PathBuf::from(prompt.path.trim()));
                }
                if ui.add(egui::Button::new("Cancel").selected(!typed)).clicked() {
                    keep = false;
                }
            });
            if self.picker.is_some() {
                ui.label("Waiting for the file dialog… (where none can open, type the path above)");
            } else if self.picker_returned_nothing {
                ui.colored_label(
                    widgets::warning_amber(ui),
                    "The system file dialog returned no file (none may be available here): type the path above.",
                );
            }
        });
        if browse {
            self.picker_returned_nothing = false;
            self.start_browse(ctx, prompt.kind);
        }
        if let Some(p) = chosen {
            self.open_file(prompt.kind, p);
            keep = false;
        }
        keep.then_some(Modal::Path(prompt))
    }

    /// Stage 3 and beyond: an obtrusive warning at start and whenever the
    /// stage advances; dismissing it lasts until the next stage. Put on
    /// the modal stack (drawn by the one handler) before it is drawn.
    pub(super) fn enforcement_warning(&mut self, status: &crate::core::enforcement::Status) {
        if !status.enforced || status.stage < 3 {
            self.dismissed_stage = None;
            self.modals
                .retain(|m| !matches!(m, Modal::CloudWarning(w) if w.follows_clock));
            return;
        }
        let now = self.clock.now();
        let mut open = false;
        for m in &mut self.modals {
            if let Modal::CloudWarning(w) = m
                && w.follows_clock
            {
                w.status = status.clone();
                w.now = now;
                open = true;
            }
        }
        if open || self.dismissed_stage.is_some_and(|d| d >= status.stage) || self.has_error() {
            return;
        }
        self.open_modal(Modal::CloudWarning(Box::new(CloudWarning {
            status: status.clone(),
            now,
            follows_clock: true,
        })));
    }

    /// The warning; Dismiss (Enter, Escape) closes it until the next stage.
    fn cloud_warning_dialog(&mut self, ctx: &egui::Context, warning: Box<CloudWarning>) -> Option<Modal> {
        if cloud_warning_modal(ctx, &warning) {
            return Some(Modal::CloudWarning(warning));
        }
        self.cloud_warning_dismissed(&warning);
        None
    }

    /// Dismissing lasts until the next stage (a sample is only closed).
    pub(super) fn cloud_warning_dismissed(&mut self, warning: &CloudWarning) {
        if warning.follows_clock {
            self.dismissed_stage = Some(warning.status.stage);
        }
    }

    /// Install Site Details: Save makes the change through the Account
    /// view; the dialog closes once it is made, and stays (under the
    /// refusal) when it is not.
    fn install_site_dialog(
        &mut self,
        ctx: &egui::Context,
        mut dialog: Box<dialogs::install_site::SiteDetails>,
    ) -> Option<Modal> {
        use dialogs::install_site::SiteChoice;
        let locked = self.allocation_locked().is_some();
        match dialog.show(ctx, locked) {
            SiteChoice::Keep => Some(Modal::InstallSite(dialog)),
            SiteChoice::Cancel => None,
            SiteChoice::Save(change) => (!self.change_account(change)).then_some(Modal::InstallSite(dialog)),
        }
    }
}

/// The virtual-cloud warning; false once dismissed.
fn cloud_warning_modal(ctx: &egui::Context, warning: &CloudWarning) -> bool {
    let status = &warning.status;
    let mut keep = true;
    crate::ui::widgets::modal("vc-warning").show(ctx, |ui| {
        ui.heading("Genesys Cloud connection required");
        let mut words = views::enforcement::consequence(status, warning.now);
        if let Some(first) = words.get(0..1) {
            words.replace_range(0..1, &first.to_uppercase());
        }
        ui.colored_label(views::enforcement::stage_color(status, ui.visuals().dark_mode), words);
        ui.label(
            "This server has not had a good-standing response from Genesys Cloud within the grace period. \
             Verify that the server is connected to the network and the Internet so it can check in; \
             a successful check-in returns the system to full function.",
        );
        if let Some(next) = status.next_stage_at {
            ui.label(format!(
                "If nothing changes, more of the system is restricted from {}.",
                next.format("%Y-%m-%d %H:%M UTC")
            ));
        }
        let dismiss_button = widgets::default_button(ui, true, "Dismiss");
        if dismiss_button.clicked() || widgets::enter_pressed(ui) {
            keep = false;
        }
    });
    keep
}

/// "Remove 3 users: …? You can undo this." for users, stations or workgroups.
fn confirm_remove(ctx: &egui::Context, kind: SubjectKind, ids: &[String]) -> DialogResult {
    let (one, many, released) = match kind {
        SubjectKind::Station => ("station", "stations", "Their licenses are released."),
        SubjectKind::Workgroup => ("workgroup", "workgroups", "The users stay; only their membership ends."),
        _ => ("user", "users", "Their licenses are released."),
    };
    let mut outcome = DialogResult::Keep;
    crate::ui::widgets::modal("confirm-remove").show(ctx, |ui| {
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
            if widgets::default_button(ui, true, "Remove").clicked() || widgets::enter_pressed(ui) {
                let commands = ids
                    .iter()
                    .map(|id| match kind {
                        SubjectKind::Station => Command::RemoveStation { id: id.clone() },
                        SubjectKind::Workgroup => Command::RemoveWorkgroup { name: id.clone() },
                        _ => Command::RemoveUser { id: id.clone() },
                    })
                    .collect();
                outcome = DialogResult::Apply(Box::new(Command::Batch { commands, label: None }));
            }
            if ui.button("Cancel").clicked() || ui.input(|i| i.key_pressed(egui::Key::Escape)) {
                outcome = DialogResult::Close;
            }
        });
    });
    outcome
}

/// The steps Restore would bring back: when, what, who it is about — one
/// line each, scrollable (a journal can hold thousands).
fn recovery_steps(ui: &mut egui::Ui, rec: &Recovered) {
    let lines = rec.unsaved_lines();
    if lines.is_empty() {
        return;
    }
    ui.label("Restore brings back these steps, in order:");
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 4.0;
    egui::ScrollArea::vertical()
        .id_salt("recovery-steps")
        .max_height(200.0)
        // All of it at once (see `confirm::list`).
        .min_scrolled_height(200f32.min(lines.len() as f32 * (row_height + ui.spacing().item_spacing.y)))
        .auto_shrink([false, true])
        .show_rows(ui, row_height, lines.len(), |ui, range| {
            egui::Grid::new("recovery-steps-grid")
                .num_columns(3)
                .striped(true)
                .start_row(range.start)
                .show(ui, |ui| {
                    for line in &lines[range] {
                        ui.label(&line.time);
                        ui.label(&line.what);
                        ui.label(&line.subject);
                        ui.end_row();
                    }
                });
        });
}

/// A change applied in part, in full: what was applied, what changed and
/// what was refused (scrollable, copyable); true while it stays open.
fn applied_in_part_modal(ctx: &egui::Context, report: &crate::core::plan::AppliedInPart) -> bool {
    let mut open = true;
    crate::ui::widgets::modal("applied-in-part").show(ctx, |ui| {
        ui.set_width(640.0);
        ui.heading("Applied in part");
        ui.label(format!("{}.", report.what));
        ui.colored_label(widgets::warning_amber(ui), format!("{}.", report.sentence));
        let row_height = ui.text_style_height(&egui::TextStyle::Body) + 4.0;
        egui::ScrollArea::vertical()
            .id_salt("applied-in-part-list")
            .max_height(220.0)
            // All of it at once (see `confirm::list`).
            .min_scrolled_height(220f32.min(report.refused.len() as f32 * (row_height + ui.spacing().item_spacing.y)))
            .auto_shrink([false, true])
            .show_rows(ui, row_height, report.refused.len(), |ui, range| {
                for (subject, why) in &report.refused[range] {
                    ui.label(format!("{subject}: {why}"));
                }
            });
        ui.label("What changed is one step: Undo takes it back.");
        ui.horizontal(|ui| {
            if widgets::default_button(ui, true, "OK").clicked() || widgets::enter_pressed(ui) {
                open = false;
            }
            if ui.button("Copy list").clicked() {
                ui.ctx().copy_text(report.to_text());
            }
        });
    });
    open
}

/// An error message; true while it stays open.
fn error_modal(ctx: &egui::Context, err: &ErrorModal) -> bool {
    let mut open = true;
    crate::ui::widgets::modal("error").show(ctx, |ui| {
        ui.set_max_width(640.0);
        ui.heading(&err.title);
        ui.label(&err.message);
        if widgets::default_button(ui, true, "OK").clicked() || widgets::enter_pressed(ui) {
            open = false;
        }
    });
    open
}

/// IA's information message; true while it stays open.
fn notice_modal(ctx: &egui::Context, notice: &str) -> bool {
    let mut open = true;
    crate::ui::widgets::modal("notice").show(ctx, |ui| {
        ui.heading("Interaction Administrator");
        ui.label(notice);
        if widgets::default_button(ui, true, "OK").clicked() || widgets::enter_pressed(ui) {
            open = false;
        }
    });
    open
}
