//! Licenses Allocation: IA's columns, sortable, rows over their limit
//! highlighted. Rows are cached and rebuilt only when the engine changes.

use egui_extras::{Column, TableBuilder};

use crate::core::document::Document;
use crate::core::engine::KeyCounts;
use crate::ui::widgets;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortBy {
    #[default]
    FileOrder,
    Name,
    AssignableAllowed,
    AssignableConfigured,
    ConcurrentAllowed,
    ConcurrentConfigured,
    ConcurrentInUse,
}

#[derive(Default)]
pub struct AllocationView {
    sort: SortBy,
    descending: bool,
    rows: Vec<KeyCounts>,
    /// (engine revision, license pointer) the rows were built from.
    built_for: Option<(u64, usize)>,
}

pub const COLUMNS: [(&str, SortBy); 7] = [
    ("Name", SortBy::Name),
    ("Assignable Allowed", SortBy::AssignableAllowed),
    ("Assignable Configured", SortBy::AssignableConfigured),
    ("Concurrent Allowed", SortBy::ConcurrentAllowed),
    ("Concurrent Configured", SortBy::ConcurrentConfigured),
    ("Concurrent in Use", SortBy::ConcurrentInUse),
    ("Notes", SortBy::FileOrder),
];

impl super::View for AllocationView {
    fn ui(&mut self, ui: &mut egui::Ui, cx: &mut super::ViewContext<'_>, out: &mut Vec<super::Action>) {
        self.draw(ui, cx.doc, out);
    }
}

impl AllocationView {
    fn refresh(&mut self, doc: &Document) {
        let stamp = (doc.engine().revision(), std::sync::Arc::as_ptr(doc.license()) as usize);
        if self.built_for == Some(stamp) {
            return;
        }
        self.rows = doc.engine().counts(doc.license());
        self.built_for = Some(stamp);
        self.sort_rows();
    }

    fn sort_rows(&mut self) {
        let key = |r: &KeyCounts| -> u32 {
            match self.sort {
                SortBy::AssignableAllowed => r.assignable_allowed,
                SortBy::AssignableConfigured => r.assignable_configured,
                SortBy::ConcurrentAllowed => r.concurrent_allowed,
                SortBy::ConcurrentConfigured => r.concurrent_configured,
                SortBy::ConcurrentInUse => r.concurrent_in_use,
                _ => 0,
            }
        };
        match self.sort {
            SortBy::FileOrder => {}
            SortBy::Name => self.rows.sort_by(|a, b| a.label.cmp(&b.label)),
            _ => self.rows.sort_by_key(key),
        }
        if self.descending {
            self.rows.reverse();
        }
    }

    pub fn draw(&mut self, ui: &mut egui::Ui, doc: &Document, out: &mut Vec<super::Action>) {
        self.refresh(doc);
        ui.heading("Licenses Allocation");
        ui.label("Every license the license file allows, with how many are configured on users and stations.");
        if doc.license().is_subscription() {
            ui.label(crate::core::engine::SUBSCRIPTION_NOTE);
        }
        ui.separator();
        let mut clicked = None;
        ui.weak("Double-click a license, or right-click › Properties, to see and change who holds it.");
        let mut open: Option<String> = None;
        {
            // Row text must not swallow clicks meant for the row.
            ui.style_mut().interaction.selectable_labels = false;
        }
        // Sideways scrolling when the window (or a zoom) is narrower than
        // the columns.
        egui::ScrollArea::horizontal().id_salt("allocation-h").show(ui, |ui| {
            TableBuilder::new(ui)
                .id_salt("allocation")
                .sense(egui::Sense::click())
                .striped(true)
                .resizable(true)
                .column(Column::initial(300.0).at_least(120.0))
                .columns(Column::initial(130.0).at_least(60.0), 5)
                .column(Column::remainder().at_least(120.0))
                .header(24.0, |mut header| {
                    for (i, (name, sort)) in COLUMNS.iter().enumerate() {
                        header.col(|ui| {
                            let sorted = *sort == self.sort && *sort != SortBy::FileOrder;
                            ui.horizontal(|ui| {
                                let label = egui::RichText::new(*name).strong();
                                let button = egui::Button::new(label).frame(false);
                                if ui.add(button).on_hover_text("Sort by this column").clicked() {
                                    clicked = Some(i);
                                }
                                if sorted {
                                    widgets::sort_arrow(ui, self.descending);
                                }
                            });
                        });
                    }
                })
                .body(|body| {
                    body.rows(22.0, self.rows.len(), |mut row| {
                        let r = &self.rows[row.index()];
                        let over = r.over_limit();
                        let color = |ui: &egui::Ui| {
                            if over {
                                widgets::error_red(ui)
                            } else {
                                ui.visuals().text_color()
                            }
                        };
                        row.col(|ui| {
                            ui.colored_label(color(ui), &r.label).on_hover_text(format!(
                                "{}\n{}",
                                r.key,
                                crate::core::catalog::lookup(&r.key).map_or("Unknown key", |k| k.description)
                            ));
                        });
                        for n in [
                            r.assignable_allowed,
                            r.assignable_configured,
                            r.concurrent_allowed,
                            r.concurrent_configured,
                            r.concurrent_in_use,
                        ] {
                            row.col(|ui| {
                                ui.colored_label(color(ui), crate::core::text::thousands(n as usize));
                            });
                        }
                        row.col(|ui| {
                            ui.colored_label(color(ui), &r.notes);
                        });
                        let resp = row.response();
                        if resp.double_clicked() {
                            open = Some(r.key.clone());
                        }
                        resp.context_menu(|ui| {
                            if ui.button("Properties").clicked() {
                                open = Some(r.key.clone());
                                ui.close();
                            }
                        });
                    });
                });
        });
        if let Some(key) = open {
            out.push(super::Action::OpenLicense(key));
        }
        if let Some(i) = clicked {
            let sort = COLUMNS[i].1;
            if sort == self.sort {
                self.descending = !self.descending;
            } else {
                self.sort = sort;
                self.descending = false;
            }
            self.built_for = None;
        }
    }
}
