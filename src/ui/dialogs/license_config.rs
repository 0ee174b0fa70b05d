//! License Configuration (Licenses Allocation › Properties): the users and
//! stations that hold one license, searchable, with Add… and Remove.

use crate::core::catalog;
use crate::core::command::Command;
use crate::core::document::Document;
use crate::core::subject::{Subject, SubjectKind};
use crate::ui::dialogs::DialogResult;
use crate::ui::widgets;

pub struct LicenseConfigDialog {
    pub key: String,
    filter: String,
    selected: Option<Subject>,
    add_id: String,
    pub message: Option<String>,
}

impl LicenseConfigDialog {
    pub fn new(key: String) -> Self {
        LicenseConfigDialog {
            key,
            filter: String::new(),
            selected: None,
            add_id: String::new(),
            message: None,
        }
    }

    pub fn show(&mut self, ctx: &egui::Context, doc: &Document, locked: bool) -> DialogResult {
        let mut outcome = DialogResult::Keep;
        let ws = doc.workspace();
        let row = doc.engine().row(&self.key, doc.license());
        egui::Modal::new(egui::Id::unique("license-config")).show(ctx, |ui| {
            ui.set_width(560.0);
            ui.heading(format!("License Configuration — {}", catalog::label(&self.key)));
            ui.label(&self.key);
            ui.label(format!(
                "Assignable: {} of {} configured · Concurrent: {} configured, {} allowed",
                row.assignable_configured, row.assignable_allowed, row.concurrent_configured, row.concurrent_allowed
            ));
            ui.separator();
            ui.horizontal(|ui| {
                let label = ui.label("Search holders:");
                ui.text_edit_singleline(&mut self.filter).labelled_by(label.id);
            });
            let needle = self.filter.trim().to_lowercase();
            let mut holders: Vec<Subject> = doc
                .engine()
                .holders(&self.key)
                .filter_map(|(kind, id)| match kind {
                    SubjectKind::User => ws.user(id).map(|u| Subject::user(u.id.clone())),
                    SubjectKind::Station => ws.station(id).map(|s| Subject::station(s.id.clone())),
                    _ => None,
                })
                .filter(|s| needle.is_empty() || s.id.to_lowercase().contains(&needle))
                .collect();
            holders.sort();
            egui::ScrollArea::vertical()
                .max_height(260.0)
                .auto_shrink([false, true])
                .show_rows(ui, 20.0, holders.len(), |ui, range| {
                    for s in &holders[range] {
                        let label = format!(
                            "{}{}",
                            s,
                            ws.user(&s.id)
                                .filter(|_| s.kind == SubjectKind::User)
                                .map_or(String::new(), |u| format!(" ({})", u.method.label()))
                        );
                        let selected = self.selected.as_ref() == Some(s);
                        if ui.selectable_label(selected, label).clicked() {
                            self.selected = Some(s.clone());
                        }
                    }
                });
            ui.label(format!("{} holders shown", holders.len()));
            ui.separator();
            ui.add_enabled_ui(!locked, |ui| {
                ui.horizontal(|ui| {
                    let label = ui.label("Add:");
                    ui.add(
                        egui::TextEdit::singleline(&mut self.add_id)
                            .hint_text("user or station ID")
                            .desired_width(180.0),
                    )
                    .labelled_by(label.id);
                    let id = self.add_id.trim().to_string();
                    if ui.add_enabled(!id.is_empty(), egui::Button::new("Add user…")).clicked() {
                        outcome = DialogResult::Apply(Box::new(Command::Assign {
                            subjects: vec![Subject::user(id.clone())],
                            key: self.key.clone(),
                            method: None,
                        }));
                    }
                    if ui
                        .add_enabled(!id.is_empty(), egui::Button::new("Add station…"))
                        .clicked()
                    {
                        outcome = DialogResult::Apply(Box::new(Command::Assign {
                            subjects: vec![Subject::station(id)],
                            key: self.key.clone(),
                            method: None,
                        }));
                    }
                    if let Some(sel) = self.selected.clone()
                        && ui.button("Remove").clicked()
                    {
                        outcome = DialogResult::Apply(Box::new(Command::Unassign {
                            subjects: vec![sel],
                            key: self.key.clone(),
                        }));
                        self.selected = None;
                    }
                });
            });
            if let Some(m) = &self.message {
                ui.colored_label(widgets::error_red(ui), m);
            }
            if ui.button("Close").clicked() {
                outcome = DialogResult::Close;
            }
        });
        outcome
    }
}
