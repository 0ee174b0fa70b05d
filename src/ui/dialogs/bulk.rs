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
    /// Roles: the role, and whether to give it (or take it away).
    pub role: String,
    pub give_role: bool,
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
    /// Each refused subject with its reason, in selection order.
    pub refused_subjects: Vec<(Subject, String)>,
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
            BulkKind::SetMethod | BulkKind::Roles => "will change",
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
        // The first license the whole selection may hold: never Basic
        // Station for users, never a user license for stations.
        let key = Self::offered(&subjects, doc).into_iter().next().unwrap_or_default();
        BulkDialog {
            kind,
            subjects,
            key,
            method: Method::Concurrent,
            role: String::new(),
            give_role: true,
            preview: None,
            preview_for: None,
        }
    }

    /// The licenses of the license file that every kind of subject in the
    /// selection may hold.
    pub fn offered(subjects: &[Subject], doc: &Document) -> Vec<String> {
        use crate::core::subject::SubjectKind;
        let users = subjects.iter().any(|s| s.kind == SubjectKind::User);
        let stations = subjects.iter().any(|s| s.kind == SubjectKind::Station);
        doc.license()
            .allowances()
            .iter()
            .map(|a| &a.key)
            .filter(|k| catalog::is_allocatable(k))
            .filter(|k| {
                catalog::lookup(k).is_none_or(|info| {
                    (!users || info.holders.allows_user()) && (!stations || info.holders.allows_station())
                })
            })
            .cloned()
            .collect()
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
            BulkKind::Roles => Command::SetRole {
                users: self.subjects.iter().map(|s| s.id.clone()).collect(),
                role: self.role.clone(),
                member: self.give_role,
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
                SubjectResult::Refused { reason, .. } => {
                    *p.refused.entry(reason.clone()).or_default() += 1;
                    p.refused_subjects.push((o.subject, reason));
                }
            }
        }
        p
    }

    pub fn show(&mut self, ctx: &egui::Context, doc: &mut Document) -> DialogResult {
        let stamp = (
            format!("{}|{}|{}", self.key, self.role, self.give_role),
            self.method,
            doc.generation(),
        );
        if self.preview_for.as_ref() != Some(&stamp) {
            self.preview = Some(self.preview(doc));
            self.preview_for = Some(stamp);
        }
        let mut outcome = DialogResult::Keep;
        crate::ui::widgets::modal("bulk").show(ctx, |ui| {
            ui.set_width(560.0);
            let title = match self.kind {
                BulkKind::Assign => "Assign license",
                BulkKind::Remove => "Remove license",
                BulkKind::SetMethod => "Set license allocation method",
                BulkKind::Roles => "Roles",
            };
            ui.heading(title);
            ui.label(format!(
                "{} selected",
                crate::core::text::thousands(self.subjects.len())
            ));
            ui.separator();
            match self.kind {
                BulkKind::Assign | BulkKind::Remove => {
                    let offered = Self::offered(&self.subjects, doc);
                    let combo = egui::ComboBox::from_label("License")
                        .selected_text(format!("{} ({})", catalog::label(&self.key), self.key))
                        .width(360.0)
                        .show_ui(ui, |ui| {
                            for key in &offered {
                                let text = catalog::label(key).to_string();
                                ui.selectable_value(&mut self.key, key.clone(), text).on_hover_text(key);
                            }
                        });
                    if ui.memory(|m| m.focused().is_none()) {
                        combo.response.request_focus();
                    }
                    if let Some(a) = doc.license().allowance(&self.key) {
                        ui.weak(format!(
                            "The license file allows {} assignable and {} concurrent {} licenses.",
                            crate::core::text::thousands(a.assigned as usize),
                            crate::core::text::thousands(a.pooled as usize),
                            catalog::label(&self.key)
                        ));
                    }
                }
                BulkKind::SetMethod => {
                    ui.horizontal(|ui| {
                        ui.radio_value(&mut self.method, Method::Assignable, "Assignable");
                        ui.radio_value(&mut self.method, Method::Concurrent, "Concurrent");
                    });
                }
                BulkKind::Roles => {
                    ui.horizontal(|ui| {
                        let label = ui.label("Role:");
                        crate::ui::widgets::field(
                            ui,
                            egui::TextEdit::singleline(&mut self.role).hint_text("e.g. Agent"),
                        )
                        .labelled_by(label.id);
                        ui.radio_value(&mut self.give_role, true, "Give it");
                        ui.radio_value(&mut self.give_role, false, "Take it away");
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
                if !p.refused_subjects.is_empty() {
                    const SHOWN: usize = 10;
                    for (subject, why) in p.refused_subjects.iter().take(SHOWN) {
                        ui.label(format!("{} {}: {why}", subject.kind.noun(), subject.id));
                    }
                    ui.horizontal(|ui| {
                        if p.refused_subjects.len() > SHOWN {
                            ui.label(format!(
                                "… {} more",
                                crate::core::text::thousands(p.refused_subjects.len() - SHOWN)
                            ));
                        }
                        if ui.button("Copy refused list").clicked() {
                            let text: String = p
                                .refused_subjects
                                .iter()
                                .map(|(s, why)| format!("{}\t{}\t{why}\n", s.kind.noun(), s.id))
                                .collect();
                            ui.ctx().copy_text(text);
                        }
                    });
                }
            }
            ui.separator();
            ui.horizontal(|ui| {
                let any = self.preview.as_ref().is_some_and(|p| p.changed > 0);
                // Enter confirms the default button, as in a desktop dialog.
                let enter = crate::ui::widgets::enter_pressed(ui);
                if ui.add_enabled(any, egui::Button::new("Apply")).clicked() || (any && enter) {
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
