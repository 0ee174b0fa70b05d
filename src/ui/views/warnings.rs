//! The Warnings panel: live diagnostics grouped by severity and code.

use crate::core::diagnostic::{Diagnostic, Severity};
use crate::core::document::Document;
use crate::ui::widgets;

/// Groups up to this size are listed in full; larger ones scroll.
const PLAIN_LIST: usize = 40;

#[derive(Default)]
pub struct WarningsPanel {
    groups: Vec<(Severity, String, Vec<Diagnostic>)>,
    built_for: Option<u64>,
}

impl WarningsPanel {
    fn refresh(&mut self, doc: &Document) {
        let rev = doc.engine().revision();
        if self.built_for == Some(rev) {
            return;
        }
        self.groups.clear();
        for d in doc.engine().diagnostics() {
            match self.groups.last_mut() {
                Some((s, c, list)) if *s == d.severity && *c == d.code => list.push(d.clone()),
                _ => self.groups.push((d.severity, d.code.clone(), vec![d.clone()])),
            }
        }
        self.built_for = Some(rev);
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, doc: &Document, out: &mut Vec<super::Action>) {
        self.refresh(doc);
        let (e, w, i) = doc.engine().totals();
        ui.horizontal(|ui| {
            ui.strong("Warnings");
            ui.label(format!("{e} errors, {w} warnings, {i} info"));
        });
        egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
            for (severity, code, list) in &self.groups {
                let color = match severity {
                    Severity::Error => widgets::error_red(ui),
                    Severity::Warning => widgets::warning_amber(ui),
                    Severity::Info => widgets::info_blue(ui),
                };
                let title = crate::core::rules::title(code);
                egui::CollapsingHeader::new(
                    egui::RichText::new(format!("{}: {title} ({})", severity.label(), list.len())).color(color),
                )
                .id_salt(code)
                .default_open(list.len() <= 5)
                .show(ui, |ui| {
                    let mut row = |ui: &mut egui::Ui, d: &Diagnostic| {
                        let text = format!("{}: {}", d.subject, d.message);
                        if ui.link(text).on_hover_text(format!("Fix: {}", d.hint)).clicked() {
                            out.push(super::Action::Reveal(d.subject.clone()));
                        }
                    };
                    if list.len() <= PLAIN_LIST {
                        for d in list {
                            row(ui, d);
                        }
                    } else {
                        // A large workspace can have tens of thousands of one
                        // code: only the rows in view are laid out (laying
                        // out every one took ~100 MB and a slow frame).
                        let height = ui.text_style_height(&egui::TextStyle::Body) + ui.spacing().item_spacing.y;
                        egui::ScrollArea::vertical()
                            .id_salt(("warnings-list", code))
                            .max_height(12.0 * height)
                            .auto_shrink([false, true])
                            .show_rows(ui, height, list.len(), |ui, range| {
                                for d in &list[range] {
                                    row(ui, d);
                                }
                            });
                    }
                });
            }
        });
    }
}
