//! The Warnings panel: live diagnostics grouped by severity and code.

use crate::core::diagnostic::{Diagnostic, Severity};
use crate::core::document::Document;
use crate::ui::widgets;

/// Groups up to this size are listed in full; larger ones scroll.
const PLAIN_LIST: usize = 40;

#[derive(Default)]
pub struct WarningsPanel {
    /// (severity, code, count), from the engine's groups (kept by the
    /// engine as diagnostics change: nothing is cloned or sorted per edit).
    groups: Vec<(Severity, crate::core::rules::DiagnosticCode, usize)>,
    built_for: Option<u64>,
}

impl WarningsPanel {
    fn refresh(&mut self, doc: &Document) {
        let rev = doc.engine().revision();
        if self.built_for == Some(rev) {
            return;
        }
        self.groups = doc.engine().diagnostic_groups();
        self.built_for = Some(rev);
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, doc: &Document, out: &mut Vec<super::Action>) {
        self.refresh(doc);
        let (e, w, i) = doc.engine().totals();
        ui.horizontal(|ui| {
            ui.strong("Warnings");
            ui.label(format!(
                "{}, {}, {} info",
                crate::core::text::count(e, "error", "errors"),
                crate::core::text::count(w, "warning", "warnings"),
                crate::core::text::thousands(i)
            ));
        });
        egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
            for (severity, code, count) in &self.groups {
                let (severity, code, count) = (*severity, *code, *count);
                let color = match severity {
                    Severity::Error => widgets::error_red(ui),
                    Severity::Warning => widgets::warning_amber(ui),
                    Severity::Info => widgets::info_blue(ui),
                };
                let title = code.title();
                egui::CollapsingHeader::new(
                    egui::RichText::new(format!(
                        "{}: {title} ({})",
                        severity.label(),
                        crate::core::text::thousands(count)
                    ))
                    .color(color),
                )
                .id_salt(code.as_str())
                .default_open(count <= 5)
                .show(ui, |ui| {
                    let mut row = |ui: &mut egui::Ui, d: &Diagnostic| {
                        // IDs and names come from files: a control or
                        // invisible character is shown as an escape.
                        let text = crate::core::text::safe(&format!("{}: {}", d.subject, d.message)).into_owned();
                        if ui.link(text).on_hover_text(format!("Fix: {}", d.hint)).clicked() {
                            out.push(super::Action::Reveal(d.subject.clone()));
                        }
                    };
                    let engine = doc.engine();
                    if count <= PLAIN_LIST {
                        for d in engine.group_slice(severity, code, 0, count) {
                            row(ui, d);
                        }
                    } else {
                        // A large workspace can have tens of thousands of one
                        // code: only the rows in view are fetched and laid out.
                        let height = ui.text_style_height(&egui::TextStyle::Body) + ui.spacing().item_spacing.y;
                        egui::ScrollArea::vertical()
                            .id_salt(("warnings-list", code.as_str()))
                            .max_height(12.0 * height)
                            .auto_shrink([false, true])
                            .show_rows(ui, height, count, |ui, range| {
                                for d in engine.group_slice(severity, code, range.start, range.len()) {
                                    row(ui, d);
                                }
                            });
                    }
                });
            }
        });
    }
}
