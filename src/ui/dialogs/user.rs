//! User Configuration › Licensing, as Interaction Administrator has it. The
//! dialog edits a draft, shows the diagnostics the user would have before OK,
//! and refuses what the rules refuse with the reason next to the control.

use std::collections::HashMap;

use crate::core::catalog::{self, IpaLevel};
use crate::core::command::Command;
use crate::core::diagnostic::Diagnostic;
use crate::core::document::Document;
use crate::core::rules;
use crate::core::workspace::{Method, User};
use crate::ui::dialogs::{DialogResult, licensing, refusal};
use crate::ui::views::users::is_add_on;
use crate::ui::widgets;

pub struct UserDialog {
    pub original: User,
    pub draft: User,
    /// Refusals keyed by control ("method", "client", "acd", "types", "ipa", or a key).
    errors: HashMap<String, String>,
    preview: Vec<Diagnostic>,
    preview_for: Option<User>,
    /// The Roles field as typed (commas and spaces kept while typing).
    roles_text: String,
}

impl UserDialog {
    pub fn new(user: User) -> Self {
        let roles_text = user.roles.join(", ");
        UserDialog {
            original: user.clone(),
            draft: user,
            errors: HashMap::new(),
            preview: Vec::new(),
            preview_for: None,
            roles_text,
        }
    }

    /// Tries a change on a copy of the draft; keeps it only if the rules allow it.
    fn attempt(&mut self, doc: &Document, control: &str, change: impl FnOnce(&mut User)) {
        licensing::attempt(&mut self.draft, &mut self.errors, control, change, |u| {
            doc.check_user_draft(u)
        });
    }

    fn toggle_key(&mut self, doc: &Document, key: &str, on: bool) {
        self.attempt(doc, key, licensing::key_toggle(key, on));
    }

    /// The IPA License and its level.
    fn ipa_ui(&mut self, ui: &mut egui::Ui, doc: &Document, remaining: &dyn Fn(&str) -> String) {
        let license = doc.license();
        let ipa = rules::ipa_level(&self.draft.licenses);
        ui.horizontal(|ui| {
            let mut on = ipa.is_some();
            let any_ipa = IpaLevel::ALL.iter().any(|l| license.allowance(l.key()).is_some());
            if ui
                .add_enabled(on || any_ipa, egui::Checkbox::new(&mut on, "IPA License"))
                .changed()
            {
                self.attempt(doc, "ipa", move |u| {
                    u.licenses.retain(|k| catalog::ipa_level_of(k).is_none());
                    if on {
                        u.licenses.insert(IpaLevel::DirectRouted.key());
                    }
                });
            }
        });
        if let Some(current) = ipa {
            ui.horizontal(|ui| {
                ui.add_space(24.0);
                for l in IpaLevel::ALL {
                    if ui
                        .radio(current == l, l.label())
                        .on_hover_text(remaining(l.key()))
                        .clicked()
                        && current != l
                    {
                        self.attempt(doc, "ipa", move |u| {
                            u.licenses.retain(|k| catalog::ipa_level_of(k).is_none());
                            u.licenses.insert(l.key());
                        });
                    }
                }
            });
        }
        refusal(ui, self.errors.get("ipa"));
    }

    /// Additional Licenses: the add-ons the license has, and any the user
    /// holds that it lacks.
    fn add_ons_ui(&mut self, ui: &mut egui::Ui, doc: &Document, remaining: &dyn Fn(&str) -> String) {
        let license = doc.license();
        ui.add_space(6.0);
        ui.strong("Additional Licenses");
        let mut keys: Vec<String> = license
            .allowances()
            .iter()
            .map(|a| a.key.clone())
            .filter(|k| is_add_on(k) && k != catalog::ACD_SOCIAL_MEDIA && catalog::is_allocatable(k))
            .filter(|k| catalog::lookup(k).is_none_or(|i| i.holders.allows_user()))
            .collect();
        for k in &self.draft.licenses {
            if is_add_on(k) && **k != *catalog::ACD_SOCIAL_MEDIA && !keys.iter().any(|x| **x == **k) {
                keys.push(k.to_string());
            }
        }
        egui::ScrollArea::vertical()
            .id_salt("addons")
            .max_height(160.0)
            .show(ui, |ui| {
                for key in keys {
                    ui.horizontal(|ui| {
                        let mut on = self.draft.licenses.contains(&key);
                        let desc = catalog::lookup(&key).map_or("Unknown key", |k| k.description);
                        if ui
                            .checkbox(&mut on, catalog::label(&key))
                            .on_hover_text(format!("{key}\n{desc}"))
                            .changed()
                        {
                            self.toggle_key(doc, &key, on);
                        }
                        ui.weak(remaining(&key));
                    });
                    refusal(ui, self.errors.get(&key));
                }
            });
    }

    pub fn show(&mut self, ctx: &egui::Context, doc: &Document, locked: bool) -> DialogResult {
        if self.preview_for.as_ref() != Some(&self.draft) {
            self.preview.clear();
            rules::user_diagnostics(
                &self.draft,
                doc.workspace(),
                doc.engine().acd_stations(),
                &mut self.preview,
            );
            rules::keys_not_in_license(
                &self.draft.licenses,
                crate::core::subject::Subject::user(self.draft.id.clone()),
                doc.license(),
                &mut self.preview,
            );
            self.preview_for = Some(self.draft.clone());
        }
        let mut outcome = DialogResult::Keep;
        let license = doc.license();
        crate::ui::widgets::modal("user-config").show(ctx, |ui| {
            ui.set_width(640.0);
            ui.heading(format!("User Configuration — {}", self.draft.id));
            ui.label(&self.draft.name);
            ui.add_enabled_ui(!locked, |ui| {
                // IA's User Configuration names the station the user works
                // at; its licenses combine with the user's own.
                ui.horizontal(|ui| {
                    let label = ui.label("Default Workstation:");
                    let mut text = self.draft.default_workstation.clone().unwrap_or_default();
                    let edit = crate::ui::widgets::field(ui, egui::TextEdit::singleline(&mut text).hint_text("none"))
                        .labelled_by(label.id)
                        .on_hover_text(
                            "The station this user normally logs on at. Its licenses (for example its ACD Access \
                                license) combine with the user's own.",
                        );
                    if edit.changed() {
                        let text = text.trim();
                        self.draft.default_workstation = (!text.is_empty()).then(|| text.to_string());
                    }
                    match self.draft.default_workstation.as_deref() {
                        Some(id) if doc.workspace().station(id).is_none() => {
                            ui.colored_label(widgets::warning_amber(ui), "not a station in this workspace");
                        }
                        _ => {}
                    }
                });
                // IA's People › Roles; license policies can match them.
                ui.horizontal(|ui| {
                    let label = ui.label("Roles:");
                    let edit = crate::ui::widgets::field(
                        ui,
                        egui::TextEdit::singleline(&mut self.roles_text).hint_text("e.g. Agent, Supervisor"),
                    )
                    .labelled_by(label.id);
                    if edit.changed() {
                        self.draft.roles = self
                            .roles_text
                            .split(',')
                            .map(str::trim)
                            .filter(|r| !r.is_empty())
                            .map(str::to_string)
                            .collect();
                    }
                });
            });
            ui.separator();
            ui.strong("Licensing");
            ui.add_enabled_ui(!locked, |ui| {
                // Method.
                ui.horizontal(|ui| {
                    ui.label("License allocation method:");
                    for m in [Method::Assignable, Method::Concurrent] {
                        if ui.radio(self.draft.method == m, m.label()).clicked() && self.draft.method != m {
                            self.attempt(doc, "method", |u| u.method = m);
                        }
                    }
                });
                refusal(ui, self.errors.get("method"));
                // What is left counting the draft as it stands: a box just
                // ticked takes one, one just unticked gives it back.
                let draft = self.draft.clone();
                let remaining = |key: &str| -> String {
                    if license.allowance(key).is_none() {
                        return "not in the license".into();
                    }
                    let n = crate::core::text::thousands(doc.remaining_for_user_draft(key, &draft) as usize);
                    match draft.method {
                        Method::Assignable => format!("{n} available"),
                        Method::Concurrent => format!("pool of {n}"),
                    }
                };
                // Client Access.
                ui.horizontal(|ui| {
                    let mut on = self.draft.licenses.contains(catalog::CLIENT);
                    // A license the file lacks can be removed, not added.
                    let can = on || license.allowance(catalog::CLIENT).is_some();
                    if ui
                        .add_enabled(can, egui::Checkbox::new(&mut on, "Client Access License"))
                        .on_hover_text(catalog::lookup(catalog::CLIENT).map_or("", |k| k.description))
                        .changed()
                    {
                        self.toggle_key(doc, catalog::CLIENT, on);
                    }
                    ui.weak(remaining(catalog::CLIENT));
                });
                refusal(ui, self.errors.get(catalog::CLIENT));
                // ACD Access.
                if let Some((control, change)) =
                    super::licensing::acd_section(ui, doc, &self.draft, &self.errors, &remaining)
                {
                    self.attempt(doc, control, change);
                }
                // ACD Social Media.
                ui.horizontal(|ui| {
                    let mut on = self.draft.licenses.contains(catalog::ACD_SOCIAL_MEDIA);
                    let can = on || license.allowance(catalog::ACD_SOCIAL_MEDIA).is_some();
                    if ui
                        .add_enabled(can, egui::Checkbox::new(&mut on, "ACD Social Media"))
                        .changed()
                    {
                        self.toggle_key(doc, catalog::ACD_SOCIAL_MEDIA, on);
                    }
                    ui.weak(remaining(catalog::ACD_SOCIAL_MEDIA));
                });
                refusal(ui, self.errors.get(catalog::ACD_SOCIAL_MEDIA));
                self.ipa_ui(ui, doc, &remaining);
                self.add_ons_ui(ui, doc, &remaining);
            });
            ui.separator();
            ui.strong("Warnings this user would have");
            if self.preview.is_empty() {
                ui.label("None.");
            }
            for d in &self.preview {
                let color = match d.severity {
                    crate::core::diagnostic::Severity::Error => widgets::error_red(ui),
                    crate::core::diagnostic::Severity::Warning => widgets::warning_amber(ui),
                    crate::core::diagnostic::Severity::Info => ui.visuals().text_color(),
                };
                ui.colored_label(color, format!("{}: {}", d.code.title(), d.message))
                    .on_hover_text(&*d.hint);
            }
            ui.separator();
            ui.horizontal(|ui| {
                let changed = self.draft != self.original;
                let ok = !locked && changed;
                if crate::ui::widgets::default_button(ui, ok, "OK").clicked() || (ok && widgets::enter_pressed(ui)) {
                    outcome = DialogResult::Apply(Box::new(Command::UpdateUser {
                        user: self.draft.clone(),
                    }));
                }
                if ui.button("Cancel").clicked() {
                    outcome = DialogResult::Close;
                }
                if locked {
                    ui.weak("Read-only");
                }
            });
        });
        outcome
    }
}
