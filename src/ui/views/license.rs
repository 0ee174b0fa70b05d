//! License Management: the loaded license, like IA's License Management
//! dialog and the tool's View License page.

use crate::core::catalog;
use crate::core::document::Document;
use crate::core::reports::view_license;

#[derive(Default)]
pub struct LicenseView {}

impl super::View for LicenseView {
    fn ui(&mut self, ui: &mut egui::Ui, cx: &mut super::ViewContext<'_>, out: &mut Vec<super::Action>) {
        if let Some(compare_only) = self.draw(ui, cx.doc, cx.read_only) {
            out.push(super::Action::LoadLicense { compare_only });
        }
    }
}

impl LicenseView {
    /// Draws the view; returns `Some(compare_only)` when the user pressed
    /// "Load License…" (false) or "Compare with file…" (true).
    pub fn draw(&mut self, ui: &mut egui::Ui, doc: &Document, read_only: Option<&str>) -> Option<bool> {
        let license = doc.license();
        let today = doc.today();
        let mut load = None;
        let f = &license.file;
        ui.horizontal(|ui| {
            ui.heading("License Management");
            // At the right edge, in reading order for Tab.
            crate::ui::a11y::right_aligned(ui, egui::Id::unique("license-actions"), |ui| {
                if ui.button("Compare with file…").clicked() {
                    load = Some(true);
                }
                let button = ui.add_enabled(read_only.is_none(), egui::Button::new("Load License…"));
                let button = match read_only {
                    Some(why) => button.on_disabled_hover_text(format!("Read-only: {why}")),
                    None => button,
                };
                if button.clicked() {
                    load = Some(false);
                }
            });
        });
        ui.separator();
        egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
            egui::Grid::new("license-details")
                .num_columns(2)
                .spacing([24.0, 4.0])
                .striped(true)
                .show(ui, |ui| {
                    for (k, v) in view_license::details(license, today) {
                        ui.strong(k);
                        ui.label(v);
                        ui.end_row();
                    }
                });
            ui.add_space(12.0);
            ui.heading("Features");
            if f.features.is_empty() {
                ui.label("This license lists no features.");
            }
            egui::Grid::new("features").num_columns(2).striped(true).show(ui, |ui| {
                for key in &f.features {
                    ui.monospace(key);
                    ui.label(catalog::label(key))
                        .on_hover_text(catalog::lookup(key).map_or("Unknown key (kept)", |k| k.description));
                    ui.end_row();
                }
            });
            ui.add_space(12.0);
            ui.heading("Licenses");
            egui::Grid::new("licenses").num_columns(3).striped(true).show(ui, |ui| {
                for (a, (text, label, kind)) in license.allowances().iter().zip(view_license::license_lines(license)) {
                    ui.monospace(text);
                    ui.label(label)
                        .on_hover_text(catalog::lookup(&a.key).map_or("Unknown key (kept)", |k| k.description));
                    ui.label(kind);
                    ui.end_row();
                }
            });
            ui.add_space(12.0);
            ui.heading("Ordered Items Used");
            let items = view_license::ordered_items_used(license);
            if items.is_empty() {
                ui.label("This license lists no ordered items.");
            }
            egui::Grid::new("ordered").num_columns(3).striped(true).show(ui, |ui| {
                for row in &items {
                    ui.monospace(&row.part_number);
                    ui.label(&row.description)
                        .on_hover_text(if row.product_category.is_empty() {
                            "Not in the part-number catalogue"
                        } else {
                            &row.product_category
                        });
                    ui.label(format!(
                        "({})",
                        crate::core::text::thousands(usize::try_from(row.quantity).unwrap_or(0))
                    ));
                    ui.end_row();
                }
            });
            ui.weak("What is left to use is on the account (File › Open Account…).");
            ui.add_space(12.0);
            if !license.warnings.is_empty() {
                ui.add_space(12.0);
                ui.heading("Warnings");
                for w in &license.warnings {
                    ui.colored_label(crate::ui::widgets::warning_amber(ui), w);
                }
            }
        });
        load
    }
}
