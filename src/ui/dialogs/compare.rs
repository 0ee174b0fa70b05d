//! Compare and load: what a new license changes and what it does to the
//! workspace, before anything is loaded. Cancel leaves everything as it was;
//! Load is one undoable step.

use std::path::PathBuf;
use std::sync::Arc;

use crate::core::compare::{self, Impact, LicenseDiff};
use crate::core::diagnostic::{Diagnostic, Severity};
use crate::core::document::Document;
use crate::core::license::License;
use crate::ui::widgets;

pub struct CompareDialog {
    pub path: PathBuf,
    pub license: Arc<License>,
    pub diff: LicenseDiff,
    pub impact: Impact,
    /// Compare only (License Management › Compare with file…): no Load button.
    pub compare_only: bool,
    /// The host IDs in words (a virtual-cloud license has none), old and new.
    host_ids: (String, String),
}

pub enum Choice {
    Keep,
    Cancel,
    Load,
}

impl CompareDialog {
    pub fn new(doc: &Document, path: PathBuf, license: License, compare_only: bool) -> Self {
        let diff = compare::diff(doc.license(), &license, Some(&doc.workspace().server.host_id));
        let impact = compare::impact(doc, &license);
        let host_ids = (compare::host_id_words(doc.license()), compare::host_id_words(&license));
        CompareDialog {
            host_ids,
            path,
            license: Arc::new(license),
            diff,
            impact,
            compare_only,
        }
    }

    pub fn show(&mut self, ctx: &egui::Context) -> Choice {
        let mut choice = Choice::Keep;
        crate::ui::widgets::modal("compare").show(ctx, |ui| {
            // Narrower in a small window (1024×700 at 150 %): Close stays in it.
            let screen = ctx.content_rect().size();
            ui.set_width(760.0_f32.min(screen.x - 60.0));
            ui.heading(if self.compare_only {
                "Compare licenses"
            } else {
                "Compare and load"
            });
            ui.label(format!("New license: {}", self.path.display()));
            ui.separator();
            egui::ScrollArea::vertical()
                .max_height(520.0_f32.min(screen.y - 220.0).max(120.0))
                .show(ui, |ui| {
                    let d = &self.diff;
                    if d.is_empty() {
                        ui.label("The licenses are the same.");
                    }
                    let field = |ui: &mut egui::Ui, name: &str, c: Option<(String, String)>| {
                        if let Some((o, n)) = c {
                            ui.label(format!("{name}: {o} to {n}"));
                        }
                    };
                    field(
                        ui,
                        "Product",
                        d.product.as_ref().map(|c| (c.old.clone(), c.new.clone())),
                    );
                    field(
                        ui,
                        "Version",
                        d.product_version.as_ref().map(|c| (c.old.clone(), c.new.clone())),
                    );
                    field(ui, "Level", d.level.as_ref().map(|c| (c.old.clone(), c.new.clone())));
                    field(ui, "Host ID", d.host_id.as_ref().map(|_| self.host_ids.clone()));
                    field(
                        ui,
                        "Machine",
                        d.machine_name.as_ref().map(|c| (c.old.clone(), c.new.clone())),
                    );
                    field(
                        ui,
                        "Expires",
                        d.expires.as_ref().map(|c| (c.old.to_string(), c.new.to_string())),
                    );
                    for n in &d.notes {
                        ui.label(n);
                    }
                    // IA's feature names, as License Management shows them; the
                    // key on hover.
                    for f in &d.features_added {
                        ui.colored_label(widgets::good_green(ui), format!("Feature added: {}", feature_name(f)))
                            .on_hover_text(f);
                    }
                    for f in &d.features_removed {
                        ui.colored_label(widgets::error_red(ui), format!("Feature removed: {}", feature_name(f)))
                            .on_hover_text(f);
                    }
                    if !d.licenses.is_empty() {
                        ui.add_space(6.0);
                        ui.strong("Licenses");
                        egui::Grid::new("cmp-keys").striped(true).show(ui, |ui| {
                            for h in ["License", "Assigned", "Pooled"] {
                                crate::ui::widgets::column_header(ui, h);
                            }
                            ui.end_row();
                            for k in &d.licenses {
                                let color = if k.is_reduction() {
                                    widgets::error_red(ui)
                                } else {
                                    widgets::good_green(ui)
                                };
                                ui.colored_label(color, &k.label).on_hover_text(&k.key);
                                let n = |x: u32| crate::core::text::thousands(x as usize);
                                ui.colored_label(color, format!("{} to {}", n(k.old_assigned), n(k.new_assigned)));
                                ui.colored_label(color, format!("{} to {}", n(k.old_pooled), n(k.new_pooled)));
                                ui.end_row();
                            }
                        });
                    }
                    if !d.ordered_items.is_empty() {
                        ui.add_space(6.0);
                        ui.strong("Ordered items");
                        for i in &d.ordered_items {
                            ui.label(format!(
                                "{} {}: {} to {}",
                                i.part_number, i.description, i.old_quantity, i.new_quantity
                            ));
                        }
                    }
                    ui.add_space(6.0);
                    ui.separator();
                    ui.strong(format!(
                        "Impact on the workspace: {} new, {} resolved",
                        self.impact.new.len(),
                        self.impact.resolved.len()
                    ));
                    let list = |ui: &mut egui::Ui, title: &str, items: &[Diagnostic], color: egui::Color32| {
                        if items.is_empty() {
                            return;
                        }
                        ui.label(title);
                        for x in items {
                            let c = if color == widgets::good_green(ui) {
                                color
                            } else if x.severity == Severity::Error {
                                widgets::error_red(ui)
                            } else {
                                widgets::warning_amber(ui)
                            };
                            ui.colored_label(c, format!("{}: {}", x.code.title(), x.message));
                        }
                    };
                    list(ui, "New:", &self.impact.new, widgets::error_red(ui));
                    list(ui, "Resolved:", &self.impact.resolved, widgets::good_green(ui));
                });
            ui.separator();
            ui.horizontal(|ui| {
                let enter = crate::ui::widgets::enter_pressed(ui);
                if !self.compare_only && (widgets::default_button(ui, true, "Load").clicked() || enter) {
                    choice = Choice::Load;
                }
                let close = if self.compare_only { "Close" } else { "Cancel" };
                if widgets::dialog_button(ui, true, self.compare_only, close).clicked() || (self.compare_only && enter)
                {
                    choice = Choice::Cancel;
                }
            });
        });
        choice
    }
}

/// A feature's name as IA shows it, or its key when the catalogue does not
/// know it.
fn feature_name(key: &str) -> String {
    crate::core::catalog::label(key).to_string()
}
