//! Bulk allocation: with many users or stations selected, Assign license… /
//! Remove license… / Set method… shows a preview ("312 will get it, 18
//! refused: 12 no licenses left, …") and applies as one undoable command.

use std::collections::BTreeMap;

use crate::core::catalog;
use crate::core::command::Command;
use crate::core::document::{Document, Outcome as SubjectResult};
use crate::core::subject::Subject;
use crate::core::workspace::Method;
use crate::ui::dialogs::DialogResult;
use crate::ui::views::BulkKind;
use crate::ui::widgets;

pub struct BulkDialog {
    pub kind: BulkKind,
    pub subjects: Vec<Subject>,
    pub key: String,
    pub method: Method,
    preview: Option<Preview>,
    preview_for: Option<(String, Method, u64)>,
}

/// The counted outcome of a dry run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Preview {
    pub changed: usize,
    pub unchanged: usize,
    /// Refusal reason → how many subjects.
    pub refused: BTreeMap<String, usize>,
}

impl Preview {
    pub fn refused_total(&self) -> usize {
        self.refused.values().sum()
    }

    /// "312 will get it, 18 refused: 12 All 50 … are allocated; 6 …".
    pub fn summary(&self, kind: BulkKind) -> String {
        let verb = match kind {
            BulkKind::Assign => "will get it",
            BulkKind::Remove => "will lose it",
            BulkKind::SetMethod => "will change",
        };
        let mut text = format!("{} {verb}", self.changed);
        if self.unchanged > 0 {
            text.push_str(&format!(", {} already so", self.unchanged));
        }
        if !self.refused.is_empty() {
            let parts: Vec<String> = self.refused.iter().map(|(why, n)| format!("{n} {why}")).collect();
            text.push_str(&format!(", {} refused: {}", self.refused_total(), parts.join("; ")));
        }
        text
    }
}

impl BulkDialog {
    pub fn new(kind: BulkKind, subjects: Vec<Subject>, doc: &Document) -> Self {
        let key = doc
            .license()
            .allowances()
            .iter()
            .map(|a| a.key.clone())
            .find(|k| catalog::is_allocatable(k))
            .unwrap_or_default();
        BulkDialog {
            kind,
            subjects,
            key,
            method: Method::Concurrent,
            preview: None,
            preview_for: None,
        }
    }

    pub fn command(&self) -> Command {
        match self.kind {
            BulkKind::Assign => Command::Assign {
                subjects: self.subjects.clone(),
                key: self.key.clone(),
                method: None,
            },
            BulkKind::Remove => Command::Unassign {
                subjects: self.subjects.clone(),
                key: self.key.clone(),
            },
            BulkKind::SetMethod => Command::SetMethod {
                users: self.subjects.iter().map(|s| s.id.clone()).collect(),
                method: self.method,
            },
        }
    }

    /// Dry-runs the command and counts the outcomes.
    pub fn preview(&self, doc: &mut Document) -> Preview {
        let outcomes = match doc.preview(&self.command()) {
            Ok(applied) => applied.outcomes,
            Err(refused) => refused.outcomes,
        };
        let mut p = Preview::default();
        for o in outcomes {
            match o.outcome {
                SubjectResult::Changed => p.changed += 1,
                SubjectResult::Unchanged { .. } => p.unchanged += 1,
                SubjectResult::Refused { reason, .. } => *p.refused.entry(reason).or_default() += 1,
            }
        }
        p
    }

    pub fn show(&mut self, ctx: &egui::Context, doc: &mut Document) -> DialogResult {
        let stamp = (self.key.clone(), self.method, doc.generation());
        if self.preview_for.as_ref() != Some(&stamp) {
            self.preview = Some(self.preview(doc));
            self.preview_for = Some(stamp);
        }
        let mut outcome = DialogResult::Keep;
        egui::Modal::new(egui::Id::unique("bulk")).show(ctx, |ui| {
            ui.set_width(560.0);
            let title = match self.kind {
                BulkKind::Assign => "Assign license",
                BulkKind::Remove => "Remove license",
                BulkKind::SetMethod => "Set license allocation method",
            };
            ui.heading(title);
            ui.label(format!("{} selected", self.subjects.len()));
            ui.separator();
            match self.kind {
                BulkKind::Assign | BulkKind::Remove => {
                    egui::ComboBox::from_label("License")
                        .selected_text(format!("{} ({})", catalog::label(&self.key), self.key))
                        .width(360.0)
                        .show_ui(ui, |ui| {
                            for a in doc.license().allowances() {
                                if catalog::is_allocatable(&a.key) {
                                    let text = format!(
                                        "{} ({} assigned, {} pooled)",
                                        catalog::label(&a.key),
                                        a.assigned,
                                        a.pooled
                                    );
                                    ui.selectable_value(&mut self.key, a.key.clone(), text);
                                }
                            }
                        });
                }
                BulkKind::SetMethod => {
                    ui.horizontal(|ui| {
                        ui.radio_value(&mut self.method, Method::Assignable, "Assignable");
                        ui.radio_value(&mut self.method, Method::Concurrent, "Concurrent");
                    });
                }
            }
            ui.add_space(6.0);
            if let Some(p) = &self.preview {
                let color = if p.refused.is_empty() {
                    ui.visuals().text_color()
                } else {
                    widgets::warning_amber(ui)
                };
                ui.colored_label(color, p.summary(self.kind));
            }
            ui.separator();
            ui.horizontal(|ui| {
                let any = self.preview.as_ref().is_some_and(|p| p.changed > 0);
                if ui.add_enabled(any, egui::Button::new("Apply")).clicked() {
                    outcome = DialogResult::Apply(Box::new(self.command()));
                }
                if ui.button("Cancel").clicked() {
                    outcome = DialogResult::Close;
                }
            });
        });
        outcome
    }
}
